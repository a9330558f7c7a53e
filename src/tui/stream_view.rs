//! The full-screen view of the selected frame's TCP stream (`L`): one line per segment with
//! an arrow showing its direction between the two endpoints, from the stored analysis.
//! (The analysis helper's ladder diagram replaces the drawing when `analysis::ladder` lands;
//! the key and the frame list stay.)
//!
//! ```text
//! 10.0.0.1:51234                                  10.0.0.2:80
//!      1  0.000000  ├──── 51234 → 80 [SYN] Seq=0 ────────────▶┤
//!      2  0.000105  ├◀─── 80 → 51234 [SYN, ACK] Seq=0 Ack=1 ──┤
//! ```

use super::app::App;
use super::packet_list::rel_time;
use super::text::{fit, pad, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

pub fn render(app: &mut App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let l = app.labels();
    let theme = app.theme;
    let block = Block::default().borders(Borders::ALL).title(format!(" {} (Esc) ", l.stream_title)).title_style(theme.header());
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let frames = app.ladder_frames.clone();
    if frames.is_empty() {
        buf.set_stringn(inner.x, inner.y, fit(l.no_stream, inner.width as usize), inner.width as usize, theme.dim());
        return;
    }
    let w = inner.width as usize;
    let first = app.first_ts();
    let (a, b) = match app.store.row(frames[0]) {
        Some(r) => (r.src.clone(), r.dst.clone()),
        None => (String::new(), String::new()),
    };
    let lead = 20;
    let span = w.saturating_sub(lead + 2).max(10);
    buf.set_stringn(inner.x + lead as u16, inner.y, pad(&a, span / 2), span / 2, theme.header());
    let bx = inner.x + (lead + span + 2).saturating_sub(width(&b)).min(w) as u16;
    buf.set_stringn(bx, inner.y, &b, w, theme.header());
    let rows = inner.height.saturating_sub(1) as usize;
    app.ladder_scroll = app.ladder_scroll.min(frames.len().saturating_sub(rows));
    for (i, &n) in frames.iter().skip(app.ladder_scroll).take(rows).enumerate() {
        let ts = app.store.entry(n).and_then(|e| e.ts());
        let Some(r) = app.store.row(n) else { continue };
        let forward = r.src == a;
        let label = fit(&format!(" {} ", r.info), span.saturating_sub(4));
        let fill = span.saturating_sub(width(&label) + 3);
        let arrow = if forward {
            format!("├{}{}{}▶┤", "─".repeat(2), label, "─".repeat(fill.saturating_sub(2)))
        } else {
            format!("├◀{}{}{}┤", "─".repeat(2), label, "─".repeat(fill.saturating_sub(2)))
        };
        let line = format!("{:>7} {:<11} {arrow}", n, rel_time(ts, first));
        let style = theme.protocol(r.protocol, false);
        let style = if Some(n) == app.selected_frame() { style.patch(theme.cursor(true)) } else { style };
        buf.set_stringn(inner.x, inner.y + 1 + i as u16, fit(&line, w), w, style);
    }
}
