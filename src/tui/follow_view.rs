//! Follow stream (`F`): the payload of the selected frame's TCP connection (reassembled in
//! sequence order, retransmitted bytes once) or UDP flow, both directions in their own
//! colours, as ASCII or as a hex dump (`x`), scrolled with ↑/↓ and PgUp/PgDn — the bytes and
//! the lines `tshark -z follow` and `pktlab follow` print ([`crate::analysis::follow`]).
//! With a game protocol description (`pktlab FILE --proto game.toml`) the stream is shown
//! message by message, framed by [`crate::game::GameDecoder`] (`m` switches to the plain
//! bytes and back).
//!
//! Large streams stay responsive: the stream's frames are found in the stored verdicts and
//! dissected a few milliseconds' worth at a time ([`FollowPane::advance`], called on every
//! tick), so the view fills in while the keys keep working; at most [`MAX_BYTES`] of payload
//! are shown.
//!
//! ```text
//! ┌ 스트림 따라가기 · TCP 0 · ASCII ────────────────────────────────────────────┐
//! │ ▶ 10.77.0.1:43850 545바이트 · ◀ 10.77.0.2:8080 4413바이트                   │
//! │       4 ▶ GET /index.html HTTP/1.1                                          │
//! │       6 ◀ HTTP/1.1 200 OK                                                   │
//! ```

use super::action::Action;
use super::app::App;
use super::store::Store;
use super::text::fit;
use crate::analysis::TransportVerdict;
use crate::analysis::analyzer::ts_nanos;
use crate::analysis::follow::{Follow, ascii, hex_line, payload};
use crate::dissect::{Dissection, Dissector, Value};
use crate::explain::{Lang, ui, ui_with};
use crate::game::{GameDecoder, GameProto};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// At most this many payload bytes are taken in (the rest of a huge stream is left out).
pub const MAX_BYTES: usize = 4 << 20;

/// One game message (or a game protocol's warning) of the followed stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GameMessage {
    /// 0: sent by the stream's first sender, 1: by its peer.
    pub node: u8,
    pub frame: u64,
    /// `LOGIN len=12`, a datagram's fields, or a warning's text.
    pub title: String,
    /// The message's payload (after its header), or the datagram's payload.
    pub bytes: Vec<u8>,
    pub warning: bool,
}

/// What a line of the view is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Data,
    /// A game message's heading.
    Message,
    Warning,
}

/// One line on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowLine {
    pub node: u8,
    /// The frame the line's bytes came in, on the first line of a chunk or message.
    pub frame: Option<u64>,
    pub text: String,
    pub kind: LineKind,
}

/// The `F` view's state.
#[derive(Default)]
pub struct FollowPane {
    pub udp: bool,
    pub stream: Option<u32>,
    /// The reassembly (None when the selected frame has no stream).
    pub follow: Option<Follow>,
    /// The game messages, with a protocol description.
    pub messages: Vec<GameMessage>,
    game: Option<GameDecoder>,
    /// Show game messages (with a description) rather than the plain bytes.
    pub framed: bool,
    pub hex: bool,
    pub scroll: usize,
    /// All of the stream has been taken in (or [`MAX_BYTES`] reached).
    pub done: bool,
    pub truncated: bool,
    /// The next frame to look at.
    next: u64,
    taken: usize,
    dissector: Option<Dissector>,
    d: Dissection,
    /// Lines built so far, and from what.
    lines: Vec<FollowLine>,
    built_chunks: usize,
    built_messages: usize,
    hex_pos: [usize; 2],
    built_for: (bool, bool, usize),
    /// Payload bytes each side sent (as shown).
    pub sent: [u64; 2],
    page: usize,
    /// The language of the game messages' headings.
    lang: Lang,
}

impl FollowPane {
    /// Opens the view on the stream of frame `selected` (its TCP stream, else its UDP
    /// stream, from the stored analysis); `game` frames messages when given.
    pub fn open(store: &Store, selected: Option<u64>, game: Option<Arc<GameProto>>, lang: Lang) -> FollowPane {
        let v = store.verdicts();
        let (udp, stream) = match selected.map(|n| (v.tcp_stream(n), v.udp_stream(n))) {
            Some((Some(s), _)) => (false, Some(s)),
            Some((None, Some(s))) => (true, Some(s)),
            _ => (false, None),
        };
        let mut dissector = Dissector::new();
        dissector.set_text(false);
        let framed = game.is_some();
        FollowPane {
            udp,
            stream,
            follow: stream.map(|s| Follow::new(s, udp)),
            game: game.map(GameDecoder::new),
            framed,
            done: stream.is_none(),
            next: 1,
            dissector: Some(dissector),
            lang,
            ..FollowPane::default()
        }
    }

    /// Whether a game protocol description frames the stream.
    pub fn has_game(&self) -> bool {
        self.game.is_some()
    }

    /// Takes in the stream's frames the analysis has reached, for about `budget`; true when
    /// anything new came in.
    pub fn advance(&mut self, store: &Store, budget: Duration) -> bool {
        if self.done {
            return false;
        }
        let (Some(stream), Some(follow), Some(dissector)) = (self.stream, self.follow.as_mut(), self.dissector.as_mut()) else {
            self.done = true;
            return true;
        };
        let v = store.verdicts();
        let analysed = v.frames() as u64;
        let start = Instant::now();
        let mut changed = false;
        let mut dissected = 0u32;
        while self.next <= analysed {
            let n = self.next;
            self.next += 1;
            let member = if self.udp { v.udp_stream(n) == Some(stream) } else { v.tcp_stream(n) == Some(stream) };
            if member && let Some(meta) = store.meta(n) {
                dissected += 1;
                let bytes = store.frame_bytes(n);
                dissector.dissect(&meta, bytes, &mut self.d);
                if let Some(fa) = v.frame_analysis(n, ts_nanos(&meta), &self.d) {
                    let before = follow.chunks.len();
                    for (li, t) in &fa.layers {
                        follow.add(n, t, payload(&self.d, bytes, *li));
                    }
                    for c in &follow.chunks[before..] {
                        self.taken += c.data.len();
                        self.sent[usize::from(c.node == 1)] += c.data.len() as u64;
                    }
                    if let Some(game) = self.game.as_mut() {
                        let node = node_of(follow, &fa.layers);
                        game.process(&mut self.d, bytes);
                        game_messages(&self.d, bytes, n, node, self.lang, &mut self.messages);
                    }
                    changed = true;
                }
                if self.taken >= MAX_BYTES {
                    self.truncated = true;
                    self.done = true;
                    return true;
                }
            }
            // Look at the clock every few dissections (or every many frames passed over).
            if (member && dissected.is_multiple_of(32) || n.is_multiple_of(8192)) && start.elapsed() >= budget {
                return changed;
            }
        }
        if store.analysis.done {
            self.done = true;
            changed = true;
        }
        changed
    }

    /// Builds the lines for a view `width` cells wide and keeps the scroll in range for a
    /// page of `page` lines.
    pub fn fit(&mut self, width: usize, page: usize) {
        self.page = page.max(1);
        let key = (self.hex, self.framed && self.game.is_some(), width);
        if self.built_for != key {
            self.built_for = key;
            self.lines.clear();
            self.built_chunks = 0;
            self.built_messages = 0;
            self.hex_pos = [0, 0];
        }
        let text_w = width.saturating_sub(gutter(width, self.hex)).max(8);
        if key.1 {
            for m in &self.messages[self.built_messages..] {
                let kind = if m.warning { LineKind::Warning } else { LineKind::Message };
                self.lines.push(FollowLine { node: m.node, frame: Some(m.frame), text: m.title.clone(), kind });
                if !m.bytes.is_empty() {
                    push_data(&mut self.lines, m.node, None, &m.bytes, self.hex, 0, text_w.saturating_sub(2), "  ");
                }
            }
            self.built_messages = self.messages.len();
        } else if let Some(f) = &self.follow {
            for c in &f.chunks[self.built_chunks..] {
                let side = usize::from(c.node == 1);
                push_data(&mut self.lines, c.node, Some(c.frame), &c.data, self.hex, self.hex_pos[side], text_w, "");
                self.hex_pos[side] += c.data.len();
            }
            self.built_chunks = f.chunks.len();
        }
        self.scroll = self.scroll.min(self.lines.len().saturating_sub(self.page));
    }

    /// The lines as last built by [`FollowPane::fit`].
    pub fn lines(&self) -> &[FollowLine] {
        &self.lines
    }

    /// A key's action; Cancel closes the view.
    pub fn update(&mut self, action: &Action) -> super::filter_bar::InputOutcome {
        use super::filter_bar::InputOutcome;
        let page = self.page.max(1);
        match action {
            Action::Cancel => return InputOutcome::Cancel,
            Action::Quit => return InputOutcome::Quit,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll += page,
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = usize::MAX / 2,
            Action::Input('x') => self.hex = !self.hex,
            Action::Input('m') if self.game.is_some() => self.framed = !self.framed,
            _ => {}
        }
        InputOutcome::Editing
    }
}

/// Which node sent a frame with these transport verdicts.
fn node_of(f: &Follow, layers: &[(usize, TransportVerdict)]) -> u8 {
    let src: Option<(IpAddr, u16)> = layers.iter().find_map(|(_, t)| match t {
        TransportVerdict::Tcp(t) if !t.in_error => Some((t.ends.src, t.ends.sport)),
        TransportVerdict::Udp(u) if !u.in_error => Some((u.ends.src, u.ends.sport)),
        _ => None,
    });
    u8::from(src.is_some() && f.nodes[0] != src)
}

/// The game messages (and warnings) the decoder added to `d`, frame `n`'s dissection.
fn game_messages(d: &Dissection, frame: &[u8], n: u64, node: u8, lang: Lang, out: &mut Vec<GameMessage>) {
    let udp = d.layers.iter().rev().find(|l| l.proto == "tcp" || l.proto == "udp").is_some_and(|l| l.proto == "udp");
    for l in d.layers.iter().filter(|l| l.proto == "game") {
        let fields = d.fields.get(l.fields.start as usize..l.fields.end as usize).unwrap_or(&[]);
        if udp {
            // A datagram: its fields in the title, its payload below.
            let bytes = d.source_bytes(frame, l.source);
            let data = bytes.get(l.offset as usize..(l.offset + l.len) as usize).unwrap_or(&[]).to_vec();
            let title = l.summary.split_once(": ").map_or(l.summary.as_str(), |(_, s)| s).to_string();
            out.push(GameMessage { node, frame: n, title, bytes: data, warning: false });
            continue;
        }
        for (i, _) in fields.iter().enumerate().filter(|(_, f)| f.def.abbrev == "game.msg") {
            let (mut name, mut len, mut segments, mut body) = (String::new(), 0u64, 1u64, Vec::new());
            for p in fields[i + 1..].iter().take_while(|x| x.def.abbrev != "game.msg") {
                match (p.def.abbrev, &p.value) {
                    ("game.msg_name", Value::Str(s)) => name = s.to_string(),
                    ("game.msg_len", Value::UInt(v)) => len = *v,
                    ("game.segments", Value::UInt(v)) => segments = *v,
                    ("game.payload", _) => {
                        let src = d.source_bytes(frame, p.source);
                        body = src.get(p.offset as usize..(p.offset + p.len) as usize).unwrap_or(&[]).to_vec();
                    }
                    _ => {}
                }
            }
            let mut title = ui_with("tui.follow.message", lang, &[("name", &name), ("len", &len)]);
            if segments > 1 {
                title.push_str(&format!(" · {}", ui_with("tui.follow.segments", lang, &[("n", &segments)])));
            }
            out.push(GameMessage { node, frame: n, title, bytes: body, warning: false });
        }
    }
    for e in d.experts.iter().filter(|e| e.key.starts_with("game.")) {
        let title = crate::explain::expert(e.key, lang).map_or_else(|| e.message.clone(), |doc| doc.title);
        out.push(GameMessage { node, frame: n, title: format!("⚠ {title}"), bytes: Vec::new(), warning: true });
    }
}

/// Cells before a line's text: the frame number and the direction mark, or only the mark
/// when a hex dump would not fit beside the number.
fn gutter(width: usize, hex: bool) -> usize {
    if hex && width < 77 + 10 { 2 } else { 10 }
}

/// Appends the lines of `data`: ASCII (tshark's characters, split at line feeds and cut to
/// `w` cells) or a hex dump whose offsets start at `pos`.
#[allow(clippy::too_many_arguments)]
fn push_data(lines: &mut Vec<FollowLine>, node: u8, frame: Option<u64>, data: &[u8], hex: bool, pos: usize, w: usize, indent: &str) {
    let mut first = frame;
    let mut push = |text: String| lines.push(FollowLine { node, frame: first.take(), text: format!("{indent}{text}"), kind: LineKind::Data });
    if hex {
        for (i, row) in data.chunks(16).enumerate() {
            push(hex_line(pos + i * 16, row));
        }
        return;
    }
    let text = ascii(data);
    let mut parts: Vec<&str> = text.split('\n').collect();
    if parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    for part in parts {
        let part = part.strip_suffix('\r').unwrap_or(part);
        let chars: Vec<char> = part.chars().collect();
        if chars.is_empty() {
            push(String::new());
        }
        for piece in chars.chunks(w.max(1)) {
            push(piece.iter().collect());
        }
    }
}

/// Draws the view over `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let lang = app.lang;
    let theme = app.theme;
    let p = &app.follow;
    let mode = if p.framed && p.has_game() {
        ui("tui.follow.mode_messages", lang)
    } else if p.hex {
        ui("tui.follow.mode_hex", lang)
    } else {
        ui("tui.follow.mode_ascii", lang)
    };
    let proto = if p.udp { "UDP" } else { "TCP" };
    let mut title = match p.stream {
        Some(s) => ui_with("tui.follow.title", lang, &[("proto", &proto), ("stream", &s), ("mode", &mode)]),
        None => ui("tui.follow.title_none", lang),
    };
    if !p.done {
        title.push_str(" …");
    }
    if p.truncated {
        title.push_str(&format!(" · {}", ui_with("tui.follow.truncated", lang, &[("mib", &(MAX_BYTES >> 20))])));
    }
    let block = Block::default().borders(Borders::ALL).title(format!(" {title} ")).title_style(theme.header());
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    if w == 0 || inner.height < 3 {
        return;
    }
    let Some(f) = &p.follow else {
        buf.set_stringn(inner.x, inner.y, fit(&ui("tui.follow.no_stream", lang), w), w, theme.dim());
        return;
    };
    let node = |i: usize| f.nodes[i].map(|(ip, port)| crate::analysis::conv::endpoint((ip, port))).unwrap_or_default();
    let head = ui_with("tui.follow.nodes", lang, &[("a", &node(0)), ("a_bytes", &p.sent[0]), ("b", &node(1)), ("b_bytes", &p.sent[1])]);
    buf.set_stringn(inner.x, inner.y, fit(&head, w), w, theme.header());
    let rows = inner.height as usize - 2;
    let gw = gutter(w, p.hex && !(p.framed && p.has_game()));
    if p.lines.is_empty() {
        let msg = if p.done { ui("tui.follow.empty", lang) } else { app.labels().loading.to_string() };
        buf.set_stringn(inner.x, inner.y + 1, fit(&msg, w), w, theme.dim());
    }
    for (i, l) in p.lines.iter().skip(p.scroll).take(rows).enumerate() {
        let y = inner.y + 1 + i as u16;
        let mark = if l.node == 0 { "▶" } else { "◀" };
        let gutter = if gw > 2 {
            format!("{:>7} {mark} ", l.frame.map(|n| n.to_string()).unwrap_or_default())
        } else {
            format!("{mark} ")
        };
        let side = theme.follow_side(l.node);
        buf.set_stringn(inner.x, y, &gutter, w, theme.dim());
        buf.set_stringn(inner.x + gw as u16 - 2, y, mark, 1, side);
        let text = &l.text;
        let style = match l.kind {
            LineKind::Data => side,
            LineKind::Message => side.patch(theme.layer_heading()),
            LineKind::Warning => theme.error(),
        };
        if gw < w {
            buf.set_stringn(inner.x + gw as u16, y, fit(text, w - gw), w - gw, style);
        }
    }
    let keys = if p.has_game() { ui("tui.follow.keys_game", lang) } else { ui("tui.follow.keys", lang) };
    buf.set_stringn(inner.x, inner.y + inner.height - 1, fit(&keys, w), w, theme.dim());
}

/// The lines drawn below the heading inside the view's `inner` area.
pub fn page(inner: Rect) -> usize {
    inner.height.saturating_sub(2) as usize
}

/// The language-independent text of the lines (tests compare it with `pktlab follow`).
pub fn texts(p: &FollowPane) -> Vec<&str> {
    p.lines.iter().map(|l| l.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_lines_split_at_line_feeds_and_wrap() {
        let mut v = Vec::new();
        push_data(&mut v, 1, Some(7), b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", false, 0, 10, "");
        let t: Vec<&str> = v.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(t, ["GET / HTTP", "/1.1", "Host: x", ""]);
        assert_eq!(v[0].frame, Some(7));
        assert!(v[1..].iter().all(|l| l.frame.is_none() && l.node == 1));
    }

    #[test]
    fn hex_lines_count_each_sides_offset() {
        let mut v = Vec::new();
        push_data(&mut v, 0, None, &[0x41; 20], true, 32, 80, "");
        assert_eq!(v.len(), 2);
        assert!(v[0].text.starts_with("00000020  41 41"), "{}", v[0].text);
        assert!(v[1].text.starts_with("00000030  41 41 41 41"), "{}", v[1].text);
    }
}
