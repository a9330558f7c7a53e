//! The hex + ASCII view; the selected field's bytes are highlighted, byte-exact.
//!
//! ```text
//! 0000  45 00 00 3c 1c 46 40 00  40 06 b1 e6 0a 00 00 01  E..<.F@.@.......
//! ```
//! Layout of a line: offset (4 hex digits, 8 for sources over 64 KiB), two spaces, 16 bytes
//! as `hh ` with one extra space after the eighth, one space, then 16 ASCII cells.

use super::action::{Focus, Span};
use super::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn offset_width(len: usize) -> usize {
    if len > 0xffff { 8 } else { 4 }
}

/// The byte view's own state: the byte under the cursor and the first line on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HexPane {
    /// Byte under the hex cursor (in the selected node's source).
    pub cursor: Option<usize>,
    /// The line (16 bytes) drawn first.
    pub top: usize,
}

impl HexPane {
    /// Puts the cursor on byte `at` and scrolls its line onto a page of `page` lines.
    pub fn put_cursor(&mut self, at: usize, page: usize) {
        self.cursor = Some(at);
        let page = page.max(1);
        let line = at / 16;
        if line < self.top {
            self.top = line;
        } else if line >= self.top + page {
            self.top = line + 1 - page;
        }
    }

    /// Moves the view by `delta` lines (mouse wheel) over `len` bytes.
    pub fn wheel(&mut self, delta: isize, len: usize, page: usize) {
        let max = len.div_ceil(16).saturating_sub(page);
        self.top = (self.top as isize + delta).clamp(0, max as isize) as usize;
    }

    /// Keeps the highlighted `span` on screen when the cursor is not in use, and a full page
    /// shown, for `len` bytes on a page of `page` lines.
    pub fn fit(&mut self, span: Option<Span>, len: usize, page: usize) {
        if let Some((_, start, n)) = span
            && self.cursor.is_none()
            && n > 0
        {
            let first = start / 16;
            let last = (start + n - 1) / 16;
            if first < self.top || last >= self.top + page {
                self.top = first;
            }
        }
        self.top = self.top.min(len.div_ceil(16).saturating_sub(page));
    }
}

/// Column (relative to the pane) of byte `i` (0..16) of a line, in the hex part.
pub fn hex_col(i: usize, len: usize) -> usize {
    offset_width(len) + 2 + i * 3 + usize::from(i >= 8)
}

/// Column of byte `i` in the ASCII part.
pub fn ascii_col(i: usize, len: usize) -> usize {
    offset_width(len) + 2 + 16 * 3 + 1 + 1 + i
}

/// Which byte of a line a click at column `col` hits (hex or ASCII part).
pub fn byte_at_col(col: u16, len: usize) -> Option<usize> {
    let col = col as usize;
    (0..16).find(|&i| {
        let h = hex_col(i, len);
        (col >= h && col < h + 2) || col == ascii_col(i, len)
    })
}

/// Draws the selected frame's bytes (or the selected field's reassembled source).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let (_, bytes) = app.hex_source();
    let span = app.selected_span();
    let theme = app.theme;
    let lines = bytes.len().div_ceil(16);
    let page = area.height as usize;
    let hl = |i: usize| span.is_some_and(|(_, s, l)| i >= s && i < s + l);
    let ow = offset_width(bytes.len());
    for row in 0..page {
        let line = app.hex.top + row;
        if line >= lines {
            break;
        }
        let y = area.y + row as u16;
        let off = format!("{:0ow$x}", line * 16);
        buf.set_stringn(area.x, y, &off, area.width as usize, theme.dim());
        for i in 0..16 {
            let at = line * 16 + i;
            let Some(&b) = bytes.get(at) else { break };
            let mut style = if hl(at) { theme.highlight() } else { ratatui::style::Style::default() };
            if app.hex.cursor == Some(at) && app.focus == Focus::Hex {
                style = style.patch(theme.hex_cursor());
            }
            let hx = hex_col(i, bytes.len());
            if hx + 2 <= area.width as usize {
                buf.set_stringn(area.x + hx as u16, y, format!("{b:02x}"), 2, style);
                // Join highlighted neighbours so a field reads as one block.
                if hl(at) && hl(at + 1) && i != 15 && hx + 3 <= area.width as usize {
                    let gap = if i == 7 { 2 } else { 1 };
                    buf.set_stringn(area.x + hx as u16 + 2, y, " ".repeat(gap), gap, theme.highlight());
                }
            }
            let ax = ascii_col(i, bytes.len());
            if ax < area.width as usize {
                let c = if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' };
                buf.set_stringn(area.x + ax as u16, y, c.to_string(), 1, style);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip() {
        for i in 0..16 {
            assert_eq!(byte_at_col(hex_col(i, 100) as u16, 100), Some(i));
            assert_eq!(byte_at_col(hex_col(i, 100) as u16 + 1, 100), Some(i));
            assert_eq!(byte_at_col(ascii_col(i, 100) as u16, 100), Some(i));
        }
        assert_eq!(byte_at_col(0, 100), None);
        assert_eq!(ascii_col(15, 100), 71);
    }
}
