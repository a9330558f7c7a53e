//! The status bar: frames shown/total, the filter in force, progress of the background
//! passes (load, analysis, filter) and the file name, most important first so a narrow
//! terminal cuts the least useful part.

use super::app::{App, FilterView};
use super::store::Progress;
use super::text::pad;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn percent(p: &Progress, total: u64) -> u64 {
    if p.done || total == 0 { 100 } else { (p.bytes.saturating_mul(100) / total).min(99) }
}

fn bar(pct: u64, cells: usize) -> String {
    let full = (pct as usize * cells) / 100;
    format!("[{}{}]", "█".repeat(full), "·".repeat(cells - full))
}

/// The status line's text (also used by tests and the tmux benchmark, which waits for
/// "모두 읽음"/"all loaded").
pub fn text(app: &App) -> String {
    let l = app.labels();
    let total = app.store.total_bytes();
    let mut parts = vec![format!("{}/{} {}", app.shown_len(), app.store.len(), l.frames)];
    match &app.store.filter {
        Some(run) => {
            let mut s = format!("{}: {}", l.filter, run.filter.text());
            if !run.progress.done {
                s.push_str(&format!(" ({} {}%)", l.filtering, percent(&run.progress, total)));
            }
            if app.filter_view == FilterView::Mark {
                s.push_str(&format!(" [{}: {}]", l.mark_mode, run.matches.len()));
            }
            parts.push(s);
        }
        None => parts.push(l.no_filter.to_string()),
    }
    if app.sorting() {
        let pct = match &app.sort.run {
            Some(run) => percent(&run.progress(total), total).min(99),
            None => 0,
        };
        parts.push(crate::explain::ui_with("tui.sort.busy", app.lang, &[("pct", &pct)]));
    }
    if let Some(pct) = app.search_percent() {
        parts.push(crate::explain::ui_with("tui.search.busy", app.lang, &[("pct", &pct)]));
    }
    let marks = app.store.marked().len();
    if marks > 0 {
        parts.push(crate::explain::ui_with("tui.mark.count", app.lang, &[("count", &marks)]));
    }
    let load = &app.store.load;
    if let Some(live) = &app.live
        && !load.done
    {
        parts.push(live.line(app.store.len(), app.lang));
    } else if load.done {
        parts.push(format!("{} {}", l.loaded, app.store.len()));
    } else {
        let pct = percent(load, total);
        parts.push(format!("{} {} {pct}%", l.loading, bar(pct, 10)));
    }
    if let Some(e) = &load.error {
        parts.push(format!("{}: {e}", l.load_error));
    }
    if load.done && !app.store.analysis.done {
        let frames = app.store.len().max(1) as u64;
        parts.push(format!("{} {}%", l.analysing, (app.store.analysed() * 100 / frames).min(99)));
    }
    if let Some(p) = super::terminal::worker_panic() {
        parts.push(format!("! {p}"));
    }
    parts.push(app.file_name.clone());
    parts.join(" │ ")
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let s = pad(&format!(" {}", text(app)), area.width as usize);
    buf.set_stringn(area.x, area.y, s, area.width as usize, app.theme.status());
}
