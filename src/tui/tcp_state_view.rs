//! The TCP state view (`T`): both endpoints of the selected frame's stream after that
//! segment — RFC 9293 state, SND.UNA, SND.NXT, RCV.NXT, window, bytes in flight, a
//! sequence-space bar per direction — and a sentence on what the segment changed (texts in
//! `pktlab-explain`'s `text/tcp_state.txt`). ↑/↓ step
//! through the stream's segments (the list selection follows), Esc goes back.
//!
//! ```text
//! ┌ TCP state · stream 0 · frame 4 (4/14) ────────────────────────────┐
//! │ → client 10.0.0.1:51234  ESTABLISHED                              │
//! │   SND.UNA 1  SND.NXT 10  RCV.NXT 1  window 64512  in flight 9     │
//! │   ████████▓▓░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░                        │
//! ```

use super::action::Action;
use super::app::App;
use super::filter_bar::InputOutcome;
use super::store::Store;
use crate::analysis::analyzer::ts_nanos;
use crate::analysis::tcp_state::{Endpoint, Step, steps};
use crate::analysis::{TcpVerdict, TransportVerdict};
use crate::dissect::{Dissection, Dissector};
use crate::explain::tcp_state::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// The view's state: the stream's steps and which one is shown.
#[derive(Clone, Debug, Default)]
pub struct TcpStatePane {
    pub stream: Option<u32>,
    /// "address:port" of the client and the server.
    pub names: (String, String),
    pub steps: Vec<Step>,
    pub at: usize,
}

impl TcpStatePane {
    /// Computes the states of the stream of frame `selected` (its first 100,000 segments).
    pub fn open(store: &Store, selected: Option<u64>, frames: &[u64]) -> TcpStatePane {
        let v = store.verdicts();
        let stream = selected.and_then(|n| v.tcp_stream(n));
        let mut segs: Vec<(u64, TcpVerdict)> = Vec::new();
        let mut dissector = Dissector::new();
        let mut d = Dissection::default();
        for &n in frames {
            let Some(meta) = store.meta(n) else { continue };
            dissector.dissect(&meta, store.frame_bytes(n), &mut d);
            let Some(fa) = v.frame_analysis(n, ts_nanos(&meta), &d) else { continue };
            if let Some(t) = fa.layers.iter().find_map(|(_, t)| match t {
                TransportVerdict::Tcp(t) if !t.in_error && Some(t.stream) == stream => Some(t.clone()),
                _ => None,
            }) {
                segs.push((n, t));
            }
        }
        let steps = steps(&segs);
        let names = match (segs.first(), steps.first()) {
            (Some((_, t)), Some(s)) => {
                let src = format!("{}:{}", t.ends.src, t.ends.sport);
                let dst = format!("{}:{}", t.ends.dst, t.ends.dport);
                if s.from_client { (src, dst) } else { (dst, src) }
            }
            _ => Default::default(),
        };
        let at = selected.and_then(|n| steps.iter().position(|s| s.frame == n)).unwrap_or(0);
        TcpStatePane { stream, names, steps, at }
    }

    /// A key's action: ↑/↓ step (the caller selects the new frame), Esc closes, q quits.
    pub fn update(&mut self, action: &Action) -> InputOutcome {
        let last = self.steps.len().saturating_sub(1);
        match action {
            Action::Cancel => return InputOutcome::Cancel,
            Action::Quit => return InputOutcome::Quit,
            Action::Up => self.at = self.at.saturating_sub(1),
            Action::Down => self.at = (self.at + 1).min(last),
            Action::Top => self.at = 0,
            Action::Bottom => self.at = last,
            _ => {}
        }
        InputOutcome::Editing
    }

    /// The frame of the step shown.
    pub fn frame(&self) -> Option<u64> {
        self.steps.get(self.at).map(|s| s.frame)
    }
}

fn num(n: Option<u32>) -> String {
    n.map_or_else(|| "?".to_string(), |n| n.to_string())
}

/// The bar of one direction, `w` cells: acked (a quarter), then in flight and the usable
/// part of the peer's window in proportion.
pub fn bar(sender: &Endpoint, peer: &Endpoint, w: usize) -> String {
    let acked = w / 4;
    let rest = w - acked;
    let flight = sender.in_flight().unwrap_or(0) as u64;
    let wnd = peer.rcv_wnd.unwrap_or(0) as u64;
    let total = flight.max(wnd).max(1);
    let f = ((flight * rest as u64).div_ceil(total) as usize).min(rest);
    let usable = (wnd.saturating_sub(flight) * rest as u64 / total) as usize;
    let usable = usable.min(rest - f);
    format!("{}{}{}{}", "█".repeat(acked), "▓".repeat(f), "░".repeat(usable), " ".repeat(rest - f - usable))
}

/// Draws the view over `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let lang = app.lang;
    let theme = app.theme;
    let p = &app.tcp_state;
    let step = p.steps.get(p.at);
    let title = match (p.stream, step) {
        (Some(s), Some(st)) => {
            format!(" {} · {} {s} · {} {} ({}/{}) ", text("title", lang), text("stream", lang), text("frame", lang), st.frame, p.at + 1, p.steps.len())
        }
        _ => format!(" {} ", text("title", lang)),
    };
    let block = Block::default().borders(Borders::ALL).title(title).title_style(theme.header());
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    if w == 0 || inner.height == 0 {
        return;
    }
    let Some(st) = step else {
        buf.set_stringn(inner.x, inner.y, text("no_stream", lang), w, theme.dim());
        return;
    };
    let mut lines: Vec<(String, ratatui::style::Style)> = Vec::new();
    let ends = [(text("client", lang), &p.names.0, &st.client, &st.server, st.from_client), (text("server", lang), &p.names.1, &st.server, &st.client, !st.from_client)];
    for (who, name, e, peer, sent) in ends {
        let arrow = if sent { "→" } else { " " };
        lines.push((format!("{arrow} {who} {name}  {}", e.state.name()), theme.header()));
        lines.push((
            format!(
                "   SND.UNA {}  SND.NXT {}  RCV.NXT {}  {} {}  {} {}",
                num(e.snd_una),
                num(e.snd_nxt),
                num(e.rcv_nxt),
                text("window", lang),
                num(e.rcv_wnd),
                text("in_flight", lang),
                num(e.in_flight())
            ),
            ratatui::style::Style::default(),
        ));
        lines.push((format!("   {}", bar(e, peer, w.saturating_sub(4).min(60))), theme.ok()));
        lines.push((String::new(), ratatui::style::Style::default()));
    }
    for l in super::text::wrap(&text(st.change.key(), lang), w) {
        lines.push((l, ratatui::style::Style::default()));
    }
    lines.push((String::new(), ratatui::style::Style::default()));
    lines.push((text("legend", lang), theme.dim()));
    for (i, (l, style)) in lines.iter().take(inner.height as usize).enumerate() {
        buf.set_stringn(inner.x, inner.y + i as u16, super::text::fit(l, w), w, *style);
    }
}
