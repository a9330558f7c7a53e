//! The bottom line: the filter being typed (validated on every key, with the error's column
//! marked under it), the `:N` prompt, or a hint / message.
//!
//! ```text
//! 필터: tcp.prot == 80
//!       ^~~~~~~~ column 1: "tcp.prot" is not a field (did you mean "tcp.port"?)
//! ```

use super::app::{App, Mode};
use super::text::{fit, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Lines the bar needs in the current mode.
pub fn height(app: &App) -> u16 {
    if app.mode == Mode::Filter { 2 } else { 1 }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let l = app.labels();
    let w = area.width as usize;
    let theme = app.theme;
    match app.mode {
        Mode::Filter => {
            let prompt = format!("{}: ", l.filter);
            let pw = width(&prompt);
            let style = if app.filter_error.is_some() { theme.error() } else { theme.ok() };
            buf.set_stringn(area.x, area.y, &prompt, w, theme.header());
            buf.set_stringn(area.x + pw as u16, area.y, &app.filter_input, w.saturating_sub(pw), style);
            let cursor_x = pw + width(&app.filter_input);
            if cursor_x < w {
                buf.set_stringn(area.x + cursor_x as u16, area.y, "▏", 1, theme.header());
            }
            if area.height < 2 {
                return;
            }
            let y = area.y + 1;
            match &app.filter_error {
                Some(e) => {
                    // Columns count characters; the caret goes under the character's cell.
                    let before: String = app.filter_input.chars().take(e.column.saturating_sub(1)).collect();
                    let mark: String = app.filter_input.chars().skip(e.column.saturating_sub(1)).take(e.len.max(1)).collect();
                    let x = pw + width(&before);
                    let carets = format!("^{}", "~".repeat(width(&mark).max(1) - 1));
                    let msg = format!("{carets} {e}");
                    if x < w {
                        buf.set_stringn(area.x + x as u16, y, fit(&msg, w - x), w - x, theme.error());
                    }
                }
                None if app.filter_input.trim().is_empty() => {}
                None => {
                    buf.set_stringn(area.x + pw as u16, y, fit(l.filter_ok, w.saturating_sub(pw)), w, theme.ok());
                }
            }
        }
        Mode::Goto => {
            let s = format!("{}: {}▏", l.goto, app.goto_input);
            buf.set_stringn(area.x, area.y, fit(&s, w), w, theme.header());
        }
        _ => {
            let (s, style) = match &app.message {
                Some(m) => (m.as_str(), theme.error()),
                None => (l.help_hint, theme.dim()),
            };
            buf.set_stringn(area.x, area.y, fit(s, w), w, style);
        }
    }
}
