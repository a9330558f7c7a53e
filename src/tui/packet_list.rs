//! The packet list: Wireshark's columns, one row per frame, coloured by protocol.
//!
//! ```text
//! 번호   시간         출발지          목적지          프로토콜 길이  정보
//!     1  0.000000     10.0.0.1        10.0.0.2        TCP       74  51234 → 80 [SYN] …
//! ```
//! Only the rows on screen are dissected (through the store's row cache), so a million-frame
//! list scrolls as fast as a ten-frame one.

use super::action::{FilterView, Focus};
use super::app::App;
use super::text::pad;
use crate::dissect::Timestamp;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The list's own state: the selected frame and the first row on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListPane {
    /// Selected frame (1-based; 0 before any frame is loaded).
    pub(crate) selected: u64,
    /// The list row drawn first.
    pub top: usize,
}

impl ListPane {
    /// Scrolls so that list row `row` is on a page of `page` rows.
    pub fn reveal(&mut self, row: usize, page: usize) {
        let page = page.max(1);
        if row < self.top {
            self.top = row;
        } else if row >= self.top + page {
            self.top = row + 1 - page;
        }
    }

    /// Moves the view by `delta` rows (mouse wheel), within a list of `len` rows.
    pub fn wheel(&mut self, delta: isize, len: usize, page: usize) {
        let max = len.saturating_sub(page.max(1));
        self.top = (self.top as isize + delta).clamp(0, max as isize) as usize;
    }

    /// Keeps a full page on screen when the list is long enough.
    pub fn fit(&mut self, len: usize, page: usize) {
        self.top = self.top.min(len.saturating_sub(page));
    }
}

/// Column widths for a pane `w` cells wide: No., Time, Source, Destination, Protocol, Length.
/// Info takes the rest.
fn widths(w: usize, total: usize, header: &[&str; 7]) -> [usize; 6] {
    let no = total.max(1).to_string().len().max(super::text::width(header[0]));
    let (time, addr, len) = if w >= 150 {
        (11, 26, 6)
    } else if w >= 110 {
        (11, 20, 6)
    } else {
        (9, 15, 5)
    };
    [no, time, addr, addr, super::text::width(header[4]).max(6), len]
}

/// Seconds since the first frame, as Wireshark's default Time column.
pub fn rel_time(ts: Option<Timestamp>, first: Option<Timestamp>) -> String {
    match (ts, first) {
        (Some(t), Some(f)) => {
            let d = t.as_nanos() - f.as_nanos();
            let sign = if d < 0 { "-" } else { "" };
            let a = d.unsigned_abs();
            format!("{sign}{}.{:06}", a / 1_000_000_000, (a % 1_000_000_000) / 1000)
        }
        _ => String::new(),
    }
}

fn line(cols: &[String], ws: &[usize; 6], width: usize) -> String {
    let mut s = String::new();
    for (i, c) in cols.iter().enumerate() {
        match ws.get(i) {
            // No. and Length are right-aligned.
            Some(&w) if i == 0 || i == 5 => {
                let t = super::text::fit(c, w);
                s.push_str(&" ".repeat(w.saturating_sub(super::text::width(&t))));
                s.push_str(&t);
                s.push(' ');
            }
            Some(&w) => {
                s.push_str(&pad(c, w));
                s.push(' ');
            }
            None => s.push_str(c),
        }
    }
    pad(&s, width)
}

/// The rows of the list inside the pane's `area` (below the column header).
pub fn rows_area(area: Rect) -> Rect {
    Rect { y: area.y + u16::from(area.height > 0), height: area.height.saturating_sub(1), ..area }
}

/// Draws the header into the first line of `area` and the rows below it, from the rows the
/// store has cached ([`App::layout`] fills the cache for the rows on screen).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let theme = app.theme;
    let l = app.labels();
    let ws = widths(width, app.store.len(), &l.cols);
    let header: Vec<String> = l.cols.iter().map(|c| c.to_string()).collect();
    buf.set_stringn(area.x, area.y, line(&header, &ws, width), width, theme.header());
    let rows = rows_area(area);
    let len = app.shown_len();
    if len == 0 {
        let msg = if app.store.load.done { l.no_frames } else { l.loading };
        buf.set_stringn(rows.x, rows.y, msg, width, theme.dim());
        return;
    }
    let page = rows.height as usize;
    let selected = app.selected_frame();
    let first = app.first_ts();
    let marking = app.filter_view == FilterView::Mark && app.store.filter.is_some();
    for i in 0..page {
        let Some(n) = app.frame_at(app.list.top + i) else { break };
        let (ts, len) = match app.store.entry(n) {
            Some(e) => (e.ts(), e.orig_len),
            None => continue,
        };
        let is_match = marking && app.is_match(n);
        let Some(r) = app.store.cached_row(n) else { continue };
        let bad = r.alert;
        let cols = [
            n.to_string(),
            rel_time(ts, first),
            r.src.clone(),
            r.dst.clone(),
            r.protocol.to_string(),
            len.to_string(),
            r.info.clone(),
        ];
        let mut style = theme.protocol(r.protocol, bad);
        if is_match {
            style = style.patch(theme.marked());
        }
        if Some(n) == selected {
            style = style.patch(theme.cursor(app.focus == Focus::List));
        }
        let mut text = line(&cols, &ws, width);
        if is_match {
            // A marker in the last cell of the No. column's padding.
            text.replace_range(0..1, "●");
        }
        buf.set_stringn(rows.x, rows.y + i as u16, text, width, style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_time() {
        let f = Some(Timestamp { secs: 10, nanos: 500_000_000 });
        assert_eq!(rel_time(Some(Timestamp { secs: 11, nanos: 0 }), f), "0.500000");
        assert_eq!(rel_time(Some(Timestamp { secs: 10, nanos: 0 }), f), "-0.500000");
        assert_eq!(rel_time(None, f), "");
    }
}
