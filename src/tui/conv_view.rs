//! The conversations view (`C`): every TCP and UDP conversation with frames and bytes each
//! way and in total, the start relative to the first frame and the duration — the numbers
//! of `tshark -q -z conv,tcp` / `-z conv,udp` and `pktlab stats conv`, counted by the
//! statistics pass ([`super::capture_stats`]). ↑/↓ select, Tab switches TCP ↔ UDP, `s`
//! cycles the sort column, `r` reverses it, Enter filters the list to the conversation
//! (`tcp.stream == N`), Esc goes back.
//!
//! ```text
//! ┌ 대화 · TCP 2 · UDP 2 ───────────────────────────────────────────────────────┐
//! │ [TCP 2]  UDP 2                                          정렬: 프레임 ↓        │
//! │    # 주소 A               주소 B               프레임    바이트  상대 시작     │
//! │    1 127.0.0.1:55838      127.0.0.1:27777          77      6115  0.010388000   │
//! ```

use super::action::Action;
use super::app::App;
use super::capture_stats::CaptureStats;
use super::text::{fit, pad, width};
use crate::analysis::conv::{ConvRow, Proto, endpoint, nstime_secs};
use crate::explain::{Lang, ui, ui_with};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};
use std::cmp::Ordering;

/// The columns the table can be sorted by, in the order `s` cycles through them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Total frames, most first (tshark's order; ties by stream).
    #[default]
    Frames,
    Bytes,
    FramesAb,
    BytesAb,
    FramesBa,
    BytesBa,
    Start,
    Duration,
    A,
    B,
    Stream,
}

const CYCLE: [SortKey; 11] =
    [SortKey::Frames, SortKey::Bytes, SortKey::FramesAb, SortKey::BytesAb, SortKey::FramesBa, SortKey::BytesBa, SortKey::Start, SortKey::Duration, SortKey::A, SortKey::B, SortKey::Stream];

impl SortKey {
    /// The next column `s` sorts by.
    pub fn next(self) -> SortKey {
        let i = CYCLE.iter().position(|k| *k == self).unwrap_or(0);
        CYCLE[(i + 1) % CYCLE.len()]
    }

    /// Whether the column sorts largest first before `r` (counts, sizes, durations).
    fn descending(self) -> bool {
        !matches!(self, SortKey::Start | SortKey::A | SortKey::B | SortKey::Stream)
    }

    /// The column's heading (also the sort's name on screen).
    pub fn label(self, lang: Lang) -> String {
        match self {
            SortKey::Frames => ui("tui.conv.col.frames", lang),
            SortKey::Bytes => ui("tui.conv.col.bytes", lang),
            SortKey::FramesAb => ui("tui.conv.col.frames_ab", lang),
            SortKey::BytesAb => ui("tui.conv.col.bytes_ab", lang),
            SortKey::FramesBa => ui("tui.conv.col.frames_ba", lang),
            SortKey::BytesBa => ui("tui.conv.col.bytes_ba", lang),
            SortKey::Start => ui("tui.conv.col.start", lang),
            SortKey::Duration => ui("tui.conv.col.duration", lang),
            SortKey::A => ui("tui.conv.col.a", lang),
            SortKey::B => ui("tui.conv.col.b", lang),
            SortKey::Stream => ui("tui.conv.col.stream", lang),
        }
    }

    fn cmp(self, x: &ConvRow, y: &ConvRow) -> Ordering {
        let primary = match self {
            SortKey::Frames => x.frames().cmp(&y.frames()),
            SortKey::Bytes => x.bytes().cmp(&y.bytes()),
            SortKey::FramesAb => x.frames_ab.cmp(&y.frames_ab),
            SortKey::BytesAb => x.bytes_ab.cmp(&y.bytes_ab),
            SortKey::FramesBa => x.frames_ba.cmp(&y.frames_ba),
            SortKey::BytesBa => x.bytes_ba.cmp(&y.bytes_ba),
            SortKey::Start => x.first_ts.cmp(&y.first_ts),
            SortKey::Duration => x.duration().cmp(&y.duration()),
            SortKey::A => x.a.cmp(&y.a),
            SortKey::B => x.b.cmp(&y.b),
            SortKey::Stream => Ordering::Equal,
        };
        if self.descending() { primary.reverse() } else { primary }
    }
}

/// What a key did in the view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConvOutcome {
    Stay,
    Close,
    Quit,
    /// Filter the list with this display filter and go back to it.
    Apply(String),
}

/// The view's state.
#[derive(Clone, Debug, Default)]
pub struct ConvPane {
    pub proto: Option<Proto>,
    pub sort: SortKey,
    pub reverse: bool,
    /// The selected conversation's stream.
    pub selected: Option<u32>,
    /// The first row on screen.
    pub top: usize,
    /// Streams in display order, and what they were sorted from.
    order: Vec<u32>,
    sorted_for: Option<(u64, Proto, SortKey, bool)>,
    /// Table rows on screen (set by [`ConvPane::fit`]).
    page: usize,
}

fn rows(stats: &CaptureStats, proto: Proto) -> &[ConvRow] {
    match proto {
        Proto::Tcp => &stats.conv.tcp,
        Proto::Udp => &stats.conv.udp,
    }
}

/// The conversation of `stream` in a table kept in stream order.
pub fn row(stats: &CaptureStats, proto: Proto, stream: u32) -> Option<&ConvRow> {
    let rs = rows(stats, proto);
    rs.binary_search_by_key(&stream, |r| r.stream).ok().map(|i| &rs[i])
}

impl ConvPane {
    /// Opens the view with the conversation of the selected frame (`tcp`/`udp` stream, from
    /// the stored analysis) selected.
    pub fn open(tcp: Option<u32>, udp: Option<u32>) -> ConvPane {
        let (proto, selected) = match (tcp, udp) {
            (Some(s), _) => (Some(Proto::Tcp), Some(s)),
            (None, Some(s)) => (Some(Proto::Udp), Some(s)),
            _ => (None, None),
        };
        ConvPane { proto, selected, ..ConvPane::default() }
    }

    /// The table shown: the chosen one, else TCP when it has rows, else UDP.
    pub fn shown(&self, stats: &CaptureStats) -> Proto {
        self.proto.unwrap_or(if stats.conv.tcp.is_empty() && !stats.conv.udp.is_empty() { Proto::Udp } else { Proto::Tcp })
    }

    /// Re-sorts when the statistics or the sort changed, keeps the selection on its
    /// conversation and on screen; `page` is the number of table rows the screen shows.
    pub fn fit(&mut self, stats: Option<(&CaptureStats, u64)>, page: usize) {
        self.page = page.max(1);
        let Some((stats, generation)) = stats else { return };
        let proto = self.shown(stats);
        let key = (generation, proto, self.sort, self.reverse);
        if self.sorted_for != Some(key) {
            let mut v: Vec<&ConvRow> = rows(stats, proto).iter().collect();
            let sort = self.sort;
            v.sort_by(|x, y| sort.cmp(x, y).then(x.stream.cmp(&y.stream)));
            if self.reverse {
                v.reverse();
            }
            self.order = v.iter().map(|r| r.stream).collect();
            self.sorted_for = Some(key);
        }
        if self.selected.is_none_or(|s| !self.order.contains(&s)) {
            self.selected = self.order.first().copied();
        }
        if let Some(i) = self.cursor() {
            if i < self.top {
                self.top = i;
            } else if i >= self.top + self.page {
                self.top = i + 1 - self.page;
            }
        }
        self.top = self.top.min(self.order.len().saturating_sub(self.page));
    }

    /// The selected row's index in display order.
    pub fn cursor(&self) -> Option<usize> {
        self.order.iter().position(|s| Some(*s) == self.selected)
    }

    /// The streams in display order (as last sorted by [`ConvPane::fit`]).
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    fn move_by(&mut self, delta: isize) {
        if self.order.is_empty() {
            return;
        }
        let i = self.cursor().unwrap_or(0) as isize;
        let j = i.saturating_add(delta).clamp(0, self.order.len() as isize - 1) as usize;
        self.selected = Some(self.order[j]);
    }

    /// A key's action. `stats` is the statistics so far (None before the pass reported).
    pub fn update(&mut self, action: &Action, stats: Option<&CaptureStats>) -> ConvOutcome {
        let page = self.page.max(1) as isize;
        match action {
            Action::Cancel => return ConvOutcome::Close,
            Action::Quit => return ConvOutcome::Quit,
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::FocusNext | Action::FocusPrev => {
                if let Some(st) = stats {
                    self.proto = Some(match self.shown(st) {
                        Proto::Tcp => Proto::Udp,
                        Proto::Udp => Proto::Tcp,
                    });
                    self.selected = None;
                    self.top = 0;
                }
            }
            Action::Input('s') => {
                self.sort = self.sort.next();
                self.reverse = false;
            }
            Action::Input('r') => self.reverse = !self.reverse,
            Action::Submit => {
                if let (Some(st), Some(s)) = (stats, self.selected) {
                    let proto = self.shown(st);
                    if let Some(r) = row(st, proto, s) {
                        return ConvOutcome::Apply(r.filter(proto));
                    }
                }
            }
            _ => {}
        }
        ConvOutcome::Stay
    }
}

/// Relative start as tshark prints it (`%.9f` seconds).
pub fn start_text(r: &ConvRow, capture_start: i64) -> String {
    format!("{:.9}", nstime_secs(r.first_ts - capture_start))
}

/// Duration as tshark prints it (`%.4f` seconds).
pub fn duration_text(r: &ConvRow) -> String {
    format!("{:.4}", nstime_secs(r.duration()))
}

/// One table column: heading, width, right-aligned, and the cell of a row.
struct Col {
    key: SortKey,
    w: usize,
    right: bool,
}

fn cell(key: SortKey, r: &ConvRow, start: i64) -> String {
    match key {
        SortKey::Stream => r.stream.to_string(),
        SortKey::A => endpoint(r.a),
        SortKey::B => endpoint(r.b),
        SortKey::Frames => r.frames().to_string(),
        SortKey::Bytes => r.bytes().to_string(),
        SortKey::FramesAb => r.frames_ab.to_string(),
        SortKey::BytesAb => r.bytes_ab.to_string(),
        SortKey::FramesBa => r.frames_ba.to_string(),
        SortKey::BytesBa => r.bytes_ba.to_string(),
        SortKey::Start => start_text(r, start),
        SortKey::Duration => duration_text(r),
    }
}

fn line(cols: &[Col], cells: &[String]) -> String {
    let mut s = String::new();
    for (c, t) in cols.iter().zip(cells) {
        let t = fit(t, c.w);
        if c.right {
            s.push_str(&" ".repeat(c.w - width(&t)));
            s.push_str(&t);
        } else {
            s.push_str(&pad(&t, c.w));
        }
        s.push_str(&" ".repeat(GAP));
    }
    s
}

/// Cells between two columns.
const GAP: usize = 2;

/// The columns that fit in `w` cells: the stream, both ends, frames and bytes in total and
/// the start always; the duration, then each direction's counts, when there is room (the
/// lines about the selected row below the table have them all). `start` is the capture's
/// first time.
fn columns(w: usize, rows: &[&ConvRow], pane: &ConvPane, start: i64, lang: Lang) -> Vec<Col> {
    let head = |k: SortKey| width(&k.label(lang)) + usize::from(k == pane.sort);
    let widest = |k: SortKey| rows.iter().map(|r| width(&cell(k, r, start))).max().unwrap_or(1);
    let num = |k: SortKey| Col { key: k, w: head(k).max(widest(k)), right: true };
    let used = |cs: &[Col]| cs.iter().map(|c| c.w + GAP).sum::<usize>();
    let addr = widest(SortKey::A).max(widest(SortKey::B)).max(head(SortKey::A)).max(head(SortKey::B));
    let base = [num(SortKey::Stream), num(SortKey::Frames), num(SortKey::Bytes), num(SortKey::Start)];
    let dur = num(SortKey::Duration);
    let dirs = [num(SortKey::FramesAb), num(SortKey::BytesAb), num(SortKey::FramesBa), num(SortKey::BytesBa)];
    let fixed = used(&base) + 2 * (addr + GAP);
    let with_dur = fixed + dur.w + GAP <= w;
    let with_dirs = with_dur && fixed + dur.w + GAP + used(&dirs) <= w;
    let addr = if with_dur { addr } else { addr.min((w.saturating_sub(used(&base)) / 2).saturating_sub(GAP)).max(8) };
    let [stream, frames, bytes, rel] = base;
    let mut cols = vec![stream, Col { key: SortKey::A, w: addr, right: false }, Col { key: SortKey::B, w: addr, right: false }];
    if with_dirs {
        cols.extend(dirs);
    }
    cols.extend([frames, bytes, rel]);
    if with_dur {
        cols.push(dur);
    }
    cols
}

/// Draws the view over `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let lang = app.lang;
    let theme = app.theme;
    let p = &app.conv;
    let run = app.store.stats.as_ref();
    let stats = run.map(|r| &r.stats);
    let (ntcp, nudp) = stats.map_or((0, 0), |s| (s.conv.tcp.len(), s.conv.udp.len()));
    let title = ui_with("tui.conv.title", lang, &[("tcp", &ntcp), ("udp", &nudp)]);
    let inner = super::capture_stats::framed(app, title, area, buf);
    let w = inner.width as usize;
    if w == 0 || inner.height < 2 + FOOT {
        return;
    }
    let Some(stats) = stats else {
        buf.set_stringn(inner.x, inner.y, ui("tui.stats.waiting", lang), w, theme.dim());
        return;
    };
    let proto = p.shown(stats);
    // Line 1: the two tables as tabs, and the sort.
    let tab = |pr: Proto, n: usize| {
        let name = pr.name().to_uppercase();
        if pr == proto { format!("[{name} {n}]") } else { format!(" {name} {n} ") }
    };
    let tabs = format!("{}  {}", tab(Proto::Tcp, ntcp), tab(Proto::Udp, nudp));
    let dir = if p.sort.descending() != p.reverse { "↓" } else { "↑" };
    let sort = ui_with("tui.conv.sorted_by", lang, &[("column", &format!("{} {dir}", p.sort.label(lang)))]);
    buf.set_stringn(inner.x, inner.y, &tabs, w, theme.header());
    let sw = width(&sort);
    if sw + width(&tabs) < w {
        buf.set_stringn(inner.x + (w - sw) as u16, inner.y, &sort, sw, theme.dim());
    }
    // The table, then two lines about the selected conversation and the keys.
    let table: Vec<&ConvRow> = p.order.iter().filter_map(|s| row(stats, proto, *s)).collect();
    let start = stats.conv.capture_start.unwrap_or(0);
    let cols = columns(w, &table, p, start, lang);
    let heads: Vec<String> = cols
        .iter()
        .map(|c| {
            let mut t = c.key.label(lang);
            if c.key == p.sort {
                t.push_str(dir);
            }
            t
        })
        .collect();
    buf.set_stringn(inner.x, inner.y + 1, line(&cols, &heads), w, theme.header());
    let body = table_rows(inner);
    if table.is_empty() {
        buf.set_stringn(inner.x, body.y, ui("tui.conv.none", lang), w, theme.dim());
    }
    for (i, r) in table.iter().skip(p.top).take(body.height as usize).enumerate() {
        let cells: Vec<String> = cols.iter().map(|c| cell(c.key, r, start)).collect();
        let style = if Some(r.stream) == p.selected { theme.cursor(true) } else { ratatui::style::Style::default() };
        buf.set_stringn(inner.x, body.y + i as u16, pad(&line(&cols, &cells), w), w, style);
    }
    let foot = inner.y + inner.height - FOOT;
    if let Some(r) = p.selected.and_then(|s| row(stats, proto, s)) {
        let ab = ui_with("tui.conv.direction", lang, &[("from", &"A"), ("to", &"B"), ("frames", &r.frames_ab), ("bytes", &r.bytes_ab)]);
        let ba = ui_with("tui.conv.direction", lang, &[("from", &"B"), ("to", &"A"), ("frames", &r.frames_ba), ("bytes", &r.bytes_ba)]);
        let lines = [
            format!("A {} ↔ B {}", endpoint(r.a), endpoint(r.b)),
            format!("{ab} · {ba}"),
            ui_with("tui.conv.timing", lang, &[("start", &start_text(r, start)), ("duration", &duration_text(r)), ("filter", &r.filter(proto))]),
        ];
        for (i, l) in lines.iter().enumerate() {
            buf.set_stringn(inner.x, foot + i as u16, fit(l, w), w, ratatui::style::Style::default());
        }
    }
    buf.set_stringn(inner.x, foot + FOOT - 1, fit(&ui("tui.conv.keys", lang), w), w, theme.dim());
}

/// Lines under the table: three about the selected conversation, then the keys.
const FOOT: u16 = 4;

/// The table's rows inside the view's `inner` area: below the tabs and the heading, above
/// the lines about the selection and the key line.
pub fn table_rows(inner: Rect) -> Rect {
    Rect { y: inner.y + 2, height: inner.height.saturating_sub(2 + FOOT), ..inner }
}
