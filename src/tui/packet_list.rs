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
fn widths(w: usize, total: usize, header: &[String; 7], format: TimeFormat) -> [usize; 6] {
    let no = total.max(1).to_string().len().max(super::text::width(&header[0]));
    let (time, addr, len) = if w >= 150 {
        (11, 26, 6)
    } else if w >= 110 {
        (11, 20, 6)
    } else {
        (9, 15, 5)
    };
    // Date and time need 26 cells; the addresses give some of theirs on a narrow screen.
    let (time, addr) = match format {
        TimeFormat::Absolute if w < 110 => (26, 13),
        TimeFormat::Absolute => (26, addr),
        _ => (time, addr),
    };
    [no, time, addr, addr, super::text::width(&header[4]).max(6), len]
}

/// The column headers: the Time column names its format, the sorted column has ▲ (ascending)
/// or ▼ (descending).
fn header(app: &App) -> [String; 7] {
    let l = app.labels();
    let mut h = l.cols.map(str::to_string);
    if app.time_format != TimeFormat::SinceFirst {
        h[1] = crate::explain::ui(&format!("tui.time.{}", app.time_format.key()), app.lang);
    }
    if let Some(c) = app.sort.column {
        h[c.index()].push(if app.sort.reverse { '▼' } else { '▲' });
    }
    h
}

/// Which column the list's cell `x` (from the pane's left edge) is in, for a click on the
/// header.
pub fn column_at(app: &App, x: u16, width: u16) -> Option<super::sort::SortColumn> {
    let ws = widths(width as usize, app.store.len(), &header(app), app.time_format);
    let mut at = 0usize;
    for (i, w) in ws.iter().enumerate() {
        at += w + 1;
        if (x as usize) < at {
            return super::sort::SortColumn::ALL.get(i).copied();
        }
    }
    Some(super::sort::SortColumn::Info)
}

/// How the Time column shows a frame's time (`t` steps through them), as tshark's `-t`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeFormat {
    /// Seconds since the first frame (`-t r`, Wireshark's default).
    #[default]
    SinceFirst,
    /// Date and time of day in the local zone (`-t ad`).
    Absolute,
    /// Seconds since the previous captured frame (`-t d`).
    SincePrevCaptured,
    /// Seconds since the previous displayed frame (`-t dd`).
    SincePrevDisplayed,
}

impl TimeFormat {
    pub fn next(self) -> TimeFormat {
        match self {
            TimeFormat::SinceFirst => TimeFormat::Absolute,
            TimeFormat::Absolute => TimeFormat::SincePrevCaptured,
            TimeFormat::SincePrevCaptured => TimeFormat::SincePrevDisplayed,
            TimeFormat::SincePrevDisplayed => TimeFormat::SinceFirst,
        }
    }

    /// The `ui.txt` key part naming the format (`tui.time.<key>` for the column header,
    /// `tui.time.<key>.long` for the status message).
    pub fn key(self) -> &'static str {
        match self {
            TimeFormat::SinceFirst => "relative",
            TimeFormat::Absolute => "absolute",
            TimeFormat::SincePrevCaptured => "delta",
            TimeFormat::SincePrevDisplayed => "delta_displayed",
        }
    }
}

/// A frame's Time cell in `format`: `first` is the capture's first frame's time and `prev`
/// the previous captured or displayed frame's (for the two delta formats; None for the first).
pub fn time_cell(format: TimeFormat, ts: Option<Timestamp>, first: Option<Timestamp>, prev: Option<Timestamp>) -> String {
    match format {
        TimeFormat::SinceFirst => rel_time(ts, first),
        TimeFormat::Absolute => ts.map(abs_time).unwrap_or_default(),
        TimeFormat::SincePrevCaptured | TimeFormat::SincePrevDisplayed => rel_time(ts, prev.or(ts)),
    }
}

/// Date and time of day in the local zone with microseconds, as `tshark -t ad` prints it
/// (`2026-12-01 01:02:09.187451`).
pub fn abs_time(t: Timestamp) -> String {
    let secs = t.secs.saturating_add(crate::dissect::format::local_offset(t.secs));
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::dissect::format::civil(secs);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:06}", rem / 3600, rem % 3600 / 60, rem % 60, t.nanos / 1000)
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
        // A sort arrow stays visible when the header is cut.
        let cut;
        let c = match (c.chars().last(), ws.get(i)) {
            (Some(a @ ('▲' | '▼')), Some(&w)) if super::text::width(c) > w => {
                let body: String = c.chars().take(c.chars().count() - 1).collect();
                cut = format!("{}{a}", super::text::fit(&body, w.saturating_sub(1)));
                &cut
            }
            _ => c,
        };
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
    let header = header(app);
    let ws = widths(width, app.store.len(), &header, app.time_format);
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
        let marked = app.store.is_marked(n);
        let Some(r) = app.store.cached_row(n) else { continue };
        let bad = r.alert;
        let prev = match app.time_format {
            TimeFormat::SincePrevCaptured => app.prev_time(n, false),
            TimeFormat::SincePrevDisplayed => app.prev_time(n, true),
            _ => None,
        };
        let cols = [
            n.to_string(),
            time_cell(app.time_format, ts, first, prev),
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
        if marked {
            style = style.patch(theme.user_marked());
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
