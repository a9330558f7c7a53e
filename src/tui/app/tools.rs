//! The packet list's tools, as a Wireshark user reaches for them: sort by a column (`o`/`O`),
//! time display formats (`t`), marks (`m`, `M`, `[`/`]`, `frame.marked`), filters from the
//! selected tree item (`a`/`A`/`&`), find (`s`, then `n`/`N`) and saving frames (`w`).

use super::{App, Mode};
use crate::explain::{ui, ui_with};
use crate::tui::field_filter;
use crate::tui::filter_bar::InputOutcome;
use crate::tui::search::{Pattern, PatternError, SearchRun};
use crate::tui::sort::{ListKey, SortColumn, SortRun, Sorted};
use std::time::{Duration, Instant};

/// How long one tick may spend searching.
const SEARCH_BUDGET: Duration = Duration::from_millis(15);

impl App {
    // ----- sort ---------------------------------------------------------------------------

    /// Which list is shown: the filter generation and whether the filter hides frames.
    pub(super) fn list_key(&self) -> ListKey {
        (self.list_gen, self.hiding().is_some())
    }

    /// The finished sort of the list shown, if the list is sorted.
    pub(super) fn active_sort(&self) -> Option<&Sorted> {
        let (key, col, s) = self.sort.sorted.as_ref()?;
        (self.sort.column == Some(*col) && *key == self.list_key()).then_some(s)
    }

    /// Whether a sort is chosen but not ready yet (the list shows capture order meanwhile).
    pub fn sorting(&self) -> bool {
        self.sort.column.is_some() && self.active_sort().is_none()
    }

    /// Starts or picks up the sort of the list shown. True when the order changed.
    pub(super) fn tick_sort(&mut self) -> bool {
        let Some(col) = self.sort.column else {
            self.sort.run = None;
            return false;
        };
        let key = self.list_key();
        if let Some(run) = &mut self.sort.run {
            if run.column != col || run.list != key {
                self.sort.run = None;
            } else {
                return match run.poll() {
                    Some(s) => {
                        self.sort.run = None;
                        self.sort.sorted = Some((key, col, s));
                        self.scroll_list_to_selection();
                        true
                    }
                    None => false,
                };
            }
        }
        if self.active_sort().is_some() {
            return false;
        }
        // Sort a complete list: wait for the loader and for a filter that hides frames.
        let loaded = self.store.load.done || self.store.is_live();
        let filtered = self.hiding().is_none() || self.store.filter.as_ref().is_none_or(|f| f.progress.done);
        if !loaded || !filtered {
            return false;
        }
        let frames: Vec<u32> = (0..self.base_len()).map_while(|r| self.base_at(r)).map(|n| u32::try_from(n).unwrap_or(u32::MAX)).collect();
        self.sort.run = Some(SortRun::start(&self.store, col, frames, key));
        false
    }

    /// Waits for the sort of the list shown (tests and scripts).
    pub fn wait_sort(&mut self) {
        self.tick_sort();
        if let Some(run) = &mut self.sort.run
            && let Some(s) = run.wait()
        {
            let (key, col) = (run.list, run.column);
            self.sort.run = None;
            self.sort.sorted = Some((key, col, s));
            self.scroll_list_to_selection();
        }
    }

    fn sort_notice(&mut self) {
        self.notice = Some(match self.sort.column {
            None => ui("tui.sort.none", self.lang),
            Some(c) => {
                let name = self.labels().cols[c.index()];
                let dir = if self.sort.reverse { "▼" } else { "▲" };
                ui_with("tui.sort.by", self.lang, &[("column", &name), ("dir", &dir)])
            }
        });
    }

    pub(super) fn sort_next(&mut self) {
        self.sort.column = SortColumn::next(self.sort.column);
        self.sort.reverse = false;
        self.tick_sort();
        self.scroll_list_to_selection();
        self.sort_notice();
    }

    pub(super) fn sort_reverse(&mut self) {
        if self.sort.column.is_none() {
            self.sort.column = Some(SortColumn::No);
        }
        self.sort.reverse = !self.sort.reverse;
        self.tick_sort();
        self.scroll_list_to_selection();
        self.sort_notice();
    }

    /// Sorts by `column` (a click on its header): ascending first, reversed on a second click.
    pub(super) fn sort_by(&mut self, column: SortColumn) {
        if self.sort.column == Some(column) {
            self.sort.reverse = !self.sort.reverse;
        } else {
            self.sort.column = Some(column);
            self.sort.reverse = false;
        }
        self.tick_sort();
        self.scroll_list_to_selection();
        self.sort_notice();
    }

    // ----- time format --------------------------------------------------------------------

    pub(super) fn next_time_format(&mut self) {
        self.time_format = self.time_format.next();
        let name = ui(&format!("tui.time.{}.long", self.time_format.key()), self.lang);
        self.notice = Some(ui_with("tui.time.now", self.lang, &[("format", &name)]));
    }

    /// The time the Time column measures frame `n` from in the delta formats: the previous
    /// captured frame, or the previous frame the display filter lets through.
    pub fn prev_time(&self, n: u64, displayed: bool) -> Option<crate::dissect::Timestamp> {
        let prev = if displayed {
            match self.base_row_of(n) {
                Ok(i) => i.checked_sub(1).and_then(|j| self.base_at(j))?,
                Err(_) => n.checked_sub(1)?,
            }
        } else {
            n.checked_sub(1)?
        };
        self.store.entry(prev).map(|e| e.ts().unwrap_or_default())
    }

    // ----- marks --------------------------------------------------------------------------

    pub(super) fn toggle_mark(&mut self) {
        let Some(n) = self.selected_frame() else { return };
        let on = !self.store.is_marked(n);
        self.store.set_marked(n, on);
        self.marks_changed();
    }

    pub(super) fn unmark_all(&mut self) {
        if !self.store.marked().is_empty() {
            self.store.clear_marks();
            self.marks_changed();
        }
    }

    /// A filter that reads `frame.marked` is run again with the new marks.
    fn marks_changed(&mut self) {
        if let Some(run) = &self.store.filter
            && run.filter.text().contains("frame.marked")
        {
            let f = run.filter.clone();
            self.store.start_filter(f);
            self.list_gen += 1;
        }
        self.load_detail();
    }

    pub(super) fn jump_marked(&mut self, forward: bool) {
        if self.store.marked().is_empty() {
            self.message = Some(ui("tui.mark.none", self.lang));
            return;
        }
        let found = self.find_row(forward, |app, n| app.store.is_marked(n));
        match found {
            Some(n) => self.set_selected(n),
            None => self.message = Some(ui("tui.mark.no_more", self.lang)),
        }
    }

    /// The first frame after (or before) the selected row, in the list's order, for which
    /// `pred` holds.
    fn find_row(&self, forward: bool, pred: impl Fn(&App, u64) -> bool) -> Option<u64> {
        let len = self.shown_len();
        let cur = self.selected_row();
        let rows: Box<dyn Iterator<Item = usize>> = match (forward, cur) {
            (true, Some(r)) => Box::new(r + 1..len),
            (true, None) => Box::new(0..len),
            (false, Some(r)) => Box::new((0..r).rev()),
            (false, None) => Box::new((0..len).rev()),
        };
        rows.filter_map(|r| self.frame_at(r)).find(|&n| pred(self, n))
    }

    /// n/N after a filter: the next or previous matching frame in the list's order.
    pub(super) fn jump_match_sorted(&mut self, forward: bool) {
        if let Some(n) = self.find_row(forward, |app, n| app.is_match(n)) {
            self.set_selected(n);
        }
    }

    // ----- filter from the tree -----------------------------------------------------------

    /// The filter for the selected tree item (None for an OSI heading or no frame).
    pub fn field_filter(&self) -> Option<String> {
        let node = self.selected_node()?;
        let (d, frame) = self.loaded_detail()?;
        field_filter::for_node(d, frame, node)
    }

    /// `a` (and `&` with `and`): applies the selected item's filter.
    pub(super) fn apply_field(&mut self, and: bool) {
        let Some(new) = self.field_filter() else {
            self.message = Some(ui("tui.apply.none", self.lang));
            return;
        };
        let text = match (and, self.active_filter()) {
            (true, Some(old)) => field_filter::and(old, &new),
            _ => new,
        };
        match self.set_filter(&text) {
            Ok(()) => {
                self.search_repeat = false;
                self.notice = Some(ui_with("tui.apply.done", self.lang, &[("filter", &text)]));
            }
            Err(e) => self.message = Some(format!("{text}: {e}")),
        }
    }

    /// `A`: opens the filter bar holding the selected item's filter, to edit before Enter.
    pub(super) fn prepare_field(&mut self) {
        let Some(new) = self.field_filter() else {
            self.message = Some(ui("tui.apply.none", self.lang));
            return;
        };
        self.mode = Mode::Filter;
        self.filter.set(&new);
    }

    // ----- search -------------------------------------------------------------------------

    pub(super) fn update_search(&mut self, action: &crate::tui::action::Action) {
        match self.search.update(action) {
            InputOutcome::Editing => {}
            InputOutcome::Cancel => self.mode = Mode::Normal,
            InputOutcome::Quit => self.quit = true,
            InputOutcome::Submit => {
                self.mode = Mode::Normal;
                match Pattern::parse(self.search.kind, &self.search.text) {
                    Ok(p) => {
                        self.last_search = Some(p);
                        self.search_repeat = true;
                        self.start_search(true);
                    }
                    Err(e) => {
                        self.message = Some(match e {
                            PatternError::Empty => ui("tui.search.empty", self.lang),
                            PatternError::BadHex(piece) => ui_with("tui.search.bad_hex", self.lang, &[("piece", &piece)]),
                            PatternError::BadFilter(m) => ui_with("tui.search.bad_filter", self.lang, &[("error", &m)]),
                        })
                    }
                }
            }
        }
    }

    /// Starts looking for the last search from the row after (before) the selected one.
    pub(super) fn start_search(&mut self, forward: bool) {
        let Some(pattern) = self.last_search.clone() else { return };
        let len = self.shown_len();
        if len == 0 {
            return;
        }
        let cur = self.selected_row().unwrap_or(0);
        let row = if forward { (cur + 1) % len } else { (cur + len - 1) % len };
        let wrapped = if forward { cur + 1 >= len } else { cur == 0 };
        self.search_run = Some(SearchRun { pattern, forward, row, left: len, wrapped });
        self.advance_search(Duration::from_millis(50));
    }

    /// Looks at rows for at most `budget`. True if the search is still going.
    pub(super) fn advance_search(&mut self, budget: Duration) -> bool {
        let Some(mut run) = self.search_run.take() else { return false };
        let start = Instant::now();
        let len = self.shown_len();
        let mut looked = 0u32;
        while run.left > 0 && len > 0 {
            looked += 1;
            if looked.is_multiple_of(64) && start.elapsed() > budget {
                self.search_run = Some(run);
                return true;
            }
            let row = run.row.min(len - 1);
            let hit = self.frame_at(row).is_some_and(|n| match &run.pattern {
                Pattern::Filter(f) => self.store.frame_matches(n, f),
                p => p.in_bytes(self.store.frame_bytes(n)),
            });
            if hit {
                let n = self.frame_at(row).unwrap_or(1);
                self.set_selected(n);
                self.notice = Some(ui_with(if run.wrapped { "tui.search.found_wrapped" } else { "tui.search.found" }, self.lang, &[("n", &n)]));
                return false;
            }
            run.left -= 1;
            if run.forward {
                run.row += 1;
                if run.row >= len {
                    run.row = 0;
                    run.wrapped = true;
                }
            } else if run.row == 0 {
                run.row = len - 1;
                run.wrapped = true;
            } else {
                run.row -= 1;
            }
        }
        self.message = Some(ui_with("tui.search.not_found", self.lang, &[("what", &self.search.text)]));
        false
    }

    /// Whether a search is still walking the list.
    pub fn searching(&self) -> bool {
        self.search_run.is_some()
    }

    /// How far the running search is (rows looked at of the list), for the status line.
    pub fn search_percent(&self) -> Option<u64> {
        let run = self.search_run.as_ref()?;
        let len = self.shown_len().max(1) as u64;
        Some(((len - run.left as u64) * 100 / len).min(99))
    }

    /// Runs the search to its end (tests).
    pub fn finish_search(&mut self) {
        while self.advance_search(Duration::from_secs(3600)) {}
    }

    pub(super) fn tick_search(&mut self) -> bool {
        self.search_run.is_some() && {
            self.advance_search(SEARCH_BUDGET);
            true
        }
    }

    // ----- save ---------------------------------------------------------------------------

    /// The frames `w` saves: the listed frames in capture order, or every marked frame.
    pub fn save_frames(&self) -> Vec<u64> {
        if self.save.marked {
            self.store.marked().iter().copied().collect()
        } else {
            (0..self.base_len()).map_while(|r| self.base_at(r)).collect()
        }
    }

    /// The save prompt's description of what it saves, and how many frames.
    pub fn save_frames_label(&self) -> (String, usize) {
        if self.save.marked {
            (ui("tui.save.marked", self.lang), self.store.marked().len())
        } else {
            (ui("tui.save.displayed", self.lang), self.base_len())
        }
    }

    pub(super) fn update_save(&mut self, action: &crate::tui::action::Action) {
        match self.save.update(action) {
            InputOutcome::Editing => {}
            InputOutcome::Cancel => self.mode = Mode::Normal,
            InputOutcome::Quit => self.quit = true,
            InputOutcome::Submit => {
                self.mode = Mode::Normal;
                let path = self.save.text.trim().to_string();
                if path.is_empty() {
                    self.message = Some(ui("tui.save.no_path", self.lang));
                    return;
                }
                let frames = self.save_frames();
                if frames.is_empty() {
                    self.message = Some(ui("tui.save.nothing", self.lang));
                    return;
                }
                let full = match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
                    (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
                    _ => std::path::PathBuf::from(&path),
                };
                self.save_run = Some(crate::tui::save::SaveRun::start(&self.store, &frames, full));
                self.notice = Some(ui_with("tui.save.busy", self.lang, &[("count", &frames.len())]));
            }
        }
    }

    /// Picks up a finished save: its report, or why it failed.
    pub(super) fn tick_save(&mut self) -> bool {
        let Some(run) = &mut self.save_run else { return false };
        match run.poll() {
            Some(r) => {
                let path = run.path.clone();
                self.save_run = None;
                self.save_done(&path, r);
                true
            }
            None => false,
        }
    }

    /// Waits for a save to finish (tests).
    pub fn wait_save(&mut self) {
        if let Some(mut run) = self.save_run.take() {
            let path = run.path.clone();
            if let Some(r) = run.wait() {
                self.save_done(&path, r);
            }
        }
    }

    /// Whether a save is being written.
    pub fn saving(&self) -> bool {
        self.save_run.is_some()
    }

    fn save_done(&mut self, path: &std::path::Path, r: Result<crate::tui::save::Saved, crate::live::pcapng_writer::WriteError>) {
        self.notice = None;
        match r {
            Ok(s) => self.notice = Some(ui_with("tui.save.done", self.lang, &[("count", &s.frames), ("path", &path.display())])),
            Err(e) => {
                let cause = e.source.to_string();
                self.message = Some(ui_with("tui.save.failed", self.lang, &[("path", &path.display()), ("error", &cause)]));
            }
        }
    }
}
