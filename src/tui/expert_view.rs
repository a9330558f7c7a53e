//! The expert information view (`E`): the expert items of the whole capture grouped by
//! severity and then by group, protocol and summary, with how many items each has — the
//! table of `tshark -q -z expert` — counted by the statistics pass
//! ([`super::capture_stats`]). ↑/↓ select a group, Enter selects the first frame carrying it
//! in the list, Esc goes back. Under the table: the selected item's explanation.
//!
//! ```text
//! ┌ 전문가 정보 · 항목 58개 · 54/166 프레임 ─────────────────────────────┐
//! │      빈도 그룹       프로토콜  요약                                   │
//! │ 경고 (2)                                                             │
//! │         2 Sequence   TCP       This frame is a (suspected) out-of-order│
//! ```

use super::action::Action;
use super::app::App;
use super::capture_stats::CaptureStats;
use super::text::{fit, pad, width, wrap};
use crate::analysis::expert::ExpertGroup;
use crate::dissect::Severity;
use crate::explain::{Lang, ui, ui_with};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Clear, Widget};

/// What a key did in the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpertOutcome {
    Stay,
    Close,
    Quit,
    /// Select this frame in the list and go back to it.
    Jump(u64),
}

/// The view's state.
#[derive(Clone, Debug, Default)]
pub struct ExpertPane {
    /// The selected group (an index into [`crate::analysis::expert::ExpertTable::groups`]).
    pub cursor: usize,
    /// The first table line on screen (severity headings count as lines).
    pub top: usize,
    page: usize,
}

/// One line of the table: a severity heading or a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Heading(Severity, u64),
    Group(usize),
}

/// The table's lines: each severity present (most severe first) with its item count, then
/// its groups.
pub fn table(groups: &[&ExpertGroup]) -> Vec<Row> {
    let mut v = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if i == 0 || groups[i - 1].severity != g.severity {
            let n = groups.iter().filter(|x| x.severity == g.severity).map(|x| x.count).sum();
            v.push(Row::Heading(g.severity, n));
        }
        v.push(Row::Group(i));
    }
    v
}

/// A severity's heading, e.g. "경고 (2)" / "Warnings (2)".
pub fn severity_heading(s: Severity, n: u64, lang: Lang) -> String {
    match s {
        Severity::Error => ui_with("tui.expert.errors", lang, &[("n", &n)]),
        Severity::Warn => ui_with("tui.expert.warnings", lang, &[("n", &n)]),
        Severity::Note => ui_with("tui.expert.notes", lang, &[("n", &n)]),
        Severity::Chat => ui_with("tui.expert.chats", lang, &[("n", &n)]),
    }
}

impl ExpertPane {
    /// Keeps the cursor on a group and its line on a page of `page` lines.
    pub fn fit(&mut self, stats: Option<&CaptureStats>, page: usize) {
        self.page = page.max(1);
        let Some(stats) = stats else { return };
        let groups = stats.expert.groups();
        self.cursor = self.cursor.min(groups.len().saturating_sub(1));
        let lines = table(&groups);
        let Some(at) = lines.iter().position(|r| *r == Row::Group(self.cursor)) else {
            self.top = 0;
            return;
        };
        // Show the heading above the first group of a severity too.
        let want = if at > 0 && matches!(lines[at - 1], Row::Heading(..)) { at - 1 } else { at };
        if want < self.top {
            self.top = want;
        } else if at >= self.top + self.page {
            self.top = at + 1 - self.page;
        }
        self.top = self.top.min(lines.len().saturating_sub(self.page));
    }

    /// A key's action; `stats` is the statistics so far.
    pub fn update(&mut self, action: &Action, stats: Option<&CaptureStats>) -> ExpertOutcome {
        let n = stats.map_or(0, |s| s.expert.groups().len());
        let last = n.saturating_sub(1) as isize;
        let page = self.page.max(1) as isize;
        let mut go = |d: isize| self.cursor = (self.cursor as isize).saturating_add(d).clamp(0, last) as usize;
        match action {
            Action::Cancel => return ExpertOutcome::Close,
            Action::Quit => return ExpertOutcome::Quit,
            Action::Up => go(-1),
            Action::Down => go(1),
            Action::PageUp => go(-page),
            Action::PageDown => go(page),
            Action::Top => go(isize::MIN / 2),
            Action::Bottom => go(isize::MAX / 2),
            Action::Submit => {
                if let Some(g) = stats.and_then(|s| s.expert.groups().get(self.cursor).map(|g| g.first_frame)) {
                    return ExpertOutcome::Jump(g);
                }
            }
            _ => {}
        }
        ExpertOutcome::Stay
    }
}

/// Widths of the frequency, group and protocol columns.
const FREQ: usize = 9;
const GROUP: usize = 10;
const PROTO: usize = 9;

fn group_line(g: &ExpertGroup) -> String {
    format!("{:>FREQ$} {} {} {}", g.count, pad(g.group, GROUP), pad(g.protocol, PROTO), g.summary)
}

/// Lines under the table: how many lines the selection's explanation gets in `inner`.
fn explanation_lines(inner: Rect) -> u16 {
    if inner.height >= 16 { 5 } else { 2 }
}

/// The table's lines inside the view's `inner` area (below the heading, above the selected
/// item's lines and the key line).
pub fn table_rows(inner: Rect) -> Rect {
    Rect { y: inner.y + 1, height: inner.height.saturating_sub(2 + explanation_lines(inner)), ..inner }
}

/// Draws the view over `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let lang = app.lang;
    let theme = app.theme;
    let p = &app.expert;
    let run = app.store.stats.as_ref();
    let stats = run.map(|r| &r.stats);
    let title = match stats {
        Some(s) => {
            let items: u64 = s.expert.groups().iter().map(|g| g.count).sum();
            ui_with("tui.expert.title", lang, &[("items", &items), ("with", &s.expert.frames_with), ("frames", &s.expert.frames)])
        }
        None => app.labels().expert.to_string(),
    };
    let inner = super::capture_stats::framed(app, title, area, buf);
    let w = inner.width as usize;
    if w == 0 || inner.height < 5 {
        return;
    }
    let Some(stats) = stats else {
        buf.set_stringn(inner.x, inner.y, ui("tui.stats.waiting", lang), w, theme.dim());
        return;
    };
    let count = ui("tui.expert.col.count", lang);
    let head = format!(
        "{}{count} {} {} {}",
        " ".repeat(FREQ.saturating_sub(width(&count))),
        pad(&ui("tui.expert.col.group", lang), GROUP),
        pad(&ui("tui.expert.col.protocol", lang), PROTO),
        ui("tui.expert.col.summary", lang)
    );
    buf.set_stringn(inner.x, inner.y, fit(&head, w), w, theme.header());
    let groups = stats.expert.groups();
    let lines = table(&groups);
    let body = table_rows(inner);
    if lines.is_empty() {
        buf.set_stringn(inner.x, body.y, ui("tui.expert.none", lang), w, theme.dim());
    }
    for (i, r) in lines.iter().skip(p.top).take(body.height as usize).enumerate() {
        let y = body.y + i as u16;
        match *r {
            Row::Heading(s, n) => {
                buf.set_stringn(inner.x, y, fit(&severity_heading(s, n, lang), w), w, theme.severity(s).patch(theme.layer_heading()));
            }
            Row::Group(gi) => {
                let g = groups[gi];
                let style = if gi == p.cursor { theme.cursor(true) } else { theme.severity(g.severity) };
                buf.set_stringn(inner.x, y, pad(&group_line(g), w), w, style);
            }
        }
    }
    // The selected group: its first frame and key, then what it means.
    let mut y = body.y + body.height;
    if let Some(g) = groups.get(p.cursor) {
        let about = ui_with("tui.expert.selected", lang, &[("frame", &g.first_frame), ("key", &g.key)]);
        buf.set_stringn(inner.x, y, fit(&about, w), w, Style::default());
        y += 1;
        let room = explanation_lines(inner) as usize - 1;
        if let Some(doc) = crate::explain::expert(g.key, lang) {
            let text = if room > 1 { format!("{}: {}", doc.title, doc.body) } else { doc.title };
            for l in wrap(&text, w).into_iter().filter(|l| !l.is_empty()).take(room) {
                buf.set_stringn(inner.x, y, &l, w, theme.dim());
                y += 1;
            }
        }
    }
    buf.set_stringn(inner.x, inner.y + inner.height - 1, fit(&ui("tui.expert.keys", lang), w), w, theme.dim());
}
