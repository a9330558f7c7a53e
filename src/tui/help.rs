//! The `?` help overlay: every key, centred over the screen.

use super::app::App;
use super::text::{fit, pad, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = app.labels();
    let kw = l.help.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    let dw = l.help.iter().map(|(_, d)| width(d)).max().unwrap_or(0);
    let w = ((kw + dw + 5) as u16).max(width(l.help_title) as u16 + 4).min(area.width);
    let h = (l.help.len() as u16 + 2).min(area.height);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    Clear.render(r, buf);
    let block = Block::default().borders(Borders::ALL).title(l.help_title).title_style(app.theme.header());
    let inner = block.inner(r);
    block.render(r, buf);
    for (i, (k, d)) in l.help.iter().enumerate().take(inner.height as usize) {
        let s = format!("{}  {}", pad(k, kw), d);
        buf.set_stringn(inner.x, inner.y + i as u16, fit(&s, inner.width as usize), inner.width as usize, ratatui::style::Style::default());
        buf.set_stringn(inner.x, inner.y + i as u16, fit(k, inner.width as usize), inner.width as usize, app.theme.header());
    }
}
