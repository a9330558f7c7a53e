//! The application: the panes' states, the [`Store`], and the one entry point for change,
//! [`App::update`].
//!
//! Input becomes an [`Action`] ([`super::keys`] for keys, [`App::mouse`] for the mouse);
//! `update` changes state; [`App::layout`] fits the panes to the screen (regions, scroll
//! offsets, the rows on screen loaded into the store's cache); [`super::layout::draw`] then
//! draws from `&App` and changes nothing. Long work (indexing, analysis, filtering) runs in
//! the [`Store`]'s threads and is picked up by [`App::tick`].
//!
//! Each pane owns its state ([`ListPane`], [`TreePane`], [`HexPane`], [`ExplainPane`],
//! [`FilterInput`], [`GotoInput`], [`StreamPane`], [`TcpStatePane`], [`ConvPane`], [`FollowPane`],
//! [`ExpertPane`], [`SummaryPane`]); the files here hold what joins them:
//! [`select`](self) (which frame, node and byte are selected, and the filter) and `input`
//! (actions, keys and the mouse).
//!
//! Public API for other parts of pktlab (the lessons drive the TUI through these; they are
//! kept stable):
//! - [`App::select_frame`] — select frame N (1-based) in the list, tree and hex view;
//! - [`App::select_field`] — select a field by its Wireshark name in the tree (expanding
//!   its parents) and light its bytes;
//! - [`App::set_filter`] — apply a display filter (empty clears it), or get its error;
//! - [`App::set_side_panel`] / [`App::take_side_panel`] — put a [`SidePanel`] beside the
//!   explanation; it joins the Tab cycle and gets keys while focused.

mod input;
mod select;
mod tools;

pub use super::action::{Action, FilterView, Focus, Mode, Regions, Span};
use super::explain_pane::ExplainPane;
use super::filter_bar::{FilterInput, GotoInput, SaveInput, SearchInput};
use super::packet_list::TimeFormat;
use super::search::{Pattern, SearchRun};
use super::sort::ListSort;
use super::hex::HexPane;
use super::i18n::{Labels, labels};
use super::packet_list::ListPane;
use super::side_panel::SidePanel;
use super::store::Store;
use super::conv_view::ConvPane;
use super::expert_view::ExpertPane;
use super::follow_view::FollowPane;
use super::stream_view::StreamPane;
use super::summary_view::SummaryPane;
use super::tcp_state_view::TcpStatePane;
use super::theme::Theme;
use super::tree::TreePane;
use crate::dissect::Timestamp;
use crate::explain::Lang;
use ratatui::layout::Rect;

/// A live capture shown as it happens: the list follows the newest frame unless the user has
/// moved away from the end (then it holds still and counts what arrived since).
pub struct LiveView {
    /// One line about the capture (counts, drops), kept current by the capture thread.
    pub status: std::sync::Arc<std::sync::Mutex<String>>,
    /// Frames in the store when the user stopped following; None while following.
    pub held_at: Option<usize>,
}

impl LiveView {
    /// The capture line, plus how many frames arrived while the list held still.
    pub fn line(&self, frames: usize, lang: Lang) -> String {
        let status = self.status.lock().map(|s| s.clone()).unwrap_or_default();
        match self.held_at {
            Some(h) => {
                let new = frames.saturating_sub(h);
                crate::explain::ui_with("tui.live_held", lang, &[("new", &new), ("status", &status)])
            }
            None => status,
        }
    }
}

/// How long one tick may spend taking in the followed stream.
const FOLLOW_BUDGET: std::time::Duration = std::time::Duration::from_millis(15);

/// The whole TUI state.
pub struct App {
    pub store: Store,
    /// Set for a live capture.
    pub live: Option<LiveView>,
    pub lang: Lang,
    pub theme: Theme,
    pub mode: Mode,
    pub focus: Focus,
    pub file_name: String,
    pub list: ListPane,
    pub tree: TreePane,
    pub hex: HexPane,
    pub explain: ExplainPane,
    pub filter: FilterInput,
    pub filter_view: FilterView,
    pub goto: GotoInput,
    /// The `L` view.
    pub stream: StreamPane,
    /// The `T` view.
    pub tcp_state: TcpStatePane,
    /// The `C` view.
    pub conv: ConvPane,
    /// The `F` view.
    pub follow: FollowPane,
    /// The `E` view.
    pub expert: ExpertPane,
    /// The `S` view.
    pub summary: SummaryPane,
    /// The game protocol description (`--proto`) the follow view frames messages with.
    pub game: Option<std::sync::Arc<crate::game::GameProto>>,
    /// A one-line message for the status bar (goto errors and the like).
    pub message: Option<String>,
    /// A one-line report of what a key did (sorted, saved, found), shown when there is no
    /// `message`.
    pub notice: Option<String>,
    /// The packet list's sort (`o`, `O`).
    pub sort: ListSort,
    /// How the Time column shows times (`t`).
    pub time_format: TimeFormat,
    /// The search prompt (`s`).
    pub search: SearchInput,
    /// The save prompt (`w`).
    pub save: SaveInput,
    search_run: Option<SearchRun>,
    save_run: Option<super::save::SaveRun>,
    last_search: Option<Pattern>,
    /// `n`/`N` repeat the last search (true after a search, false after a filter).
    search_repeat: bool,
    /// Bumped whenever the display filter changes (a sort belongs to one list).
    list_gen: u64,
    side: Option<Box<dyn SidePanel>>,
    /// Where [`App::layout`] put each pane.
    pub regions: Regions,
    pub quit: bool,
    pub debug_panic: bool,
    first_ts: Option<Timestamp>,
}

impl App {
    pub fn new(store: Store, file_name: String, lang: Lang, theme: Theme) -> App {
        let mut app = App {
            store,
            live: None,
            lang,
            theme,
            mode: Mode::Normal,
            focus: Focus::List,
            file_name,
            list: ListPane::default(),
            tree: TreePane::default(),
            hex: HexPane::default(),
            explain: ExplainPane::default(),
            filter: FilterInput::default(),
            filter_view: FilterView::Hide,
            goto: GotoInput::default(),
            stream: StreamPane::default(),
            tcp_state: TcpStatePane::default(),
            conv: ConvPane::default(),
            follow: FollowPane::default(),
            expert: ExpertPane::default(),
            summary: SummaryPane::default(),
            game: None,
            message: None,
            notice: None,
            sort: ListSort::default(),
            time_format: TimeFormat::default(),
            search: SearchInput::default(),
            save: SaveInput::default(),
            search_run: None,
            save_run: None,
            last_search: None,
            search_repeat: false,
            list_gen: 0,
            side: None,
            regions: Regions::default(),
            quit: false,
            debug_panic: false,
            first_ts: None,
        };
        app.tick();
        app
    }

    pub fn labels(&self) -> &'static Labels {
        labels(self.lang)
    }

    /// Picks up background progress. Returns true when the screen should be redrawn.
    pub fn tick(&mut self) -> bool {
        // Live: follow the newest frame while the selection is on the last row.
        let at_end = self.shown_len() == 0 || self.selected_row().is_some_and(|r| r + 1 >= self.shown_len());
        let frames = self.store.len();
        if let Some(live) = &mut self.live {
            live.held_at = if at_end { None } else { Some(live.held_at.unwrap_or(frames)) };
        }
        let changed = self.store.poll();
        if changed && at_end && self.live.is_some() && self.mode == Mode::Normal && self.focus == Focus::List {
            self.move_list(isize::MAX / 2);
        }
        if self.first_ts.is_none() {
            self.first_ts = self.store.entry(1).and_then(|e| e.ts());
        }
        if self.list.selected == 0 && !self.store.is_empty() {
            self.list.selected = 1;
        }
        if changed {
            self.fix_selection();
        }
        let sorted = self.tick_sort();
        let searched = self.tick_search();
        let saved = self.tick_save();
        // An `L` view opened while the analysis was still running is built again, on the same
        // graph, once the analysis is through the file.
        let mut reopened = false;
        if self.mode == Mode::Ladder && self.stream.partial && self.store.analysis_done() {
            let chart = self.stream.view.chart;
            self.open_stream();
            if chart.is_some() && self.stream.view.ladder.is_some() {
                self.stream.view.chart = chart;
            }
            reopened = true;
        }
        let changed = changed || sorted || searched || saved || reopened;
        self.load_detail();
        // The follow view takes in its stream a few milliseconds at a time.
        let followed = self.mode == Mode::Follow && self.follow.advance(&self.store, FOLLOW_BUDGET);
        changed || followed
    }

    /// Whether a view is still filling in (the follow view's stream), so the screen should be
    /// redrawn soon.
    pub fn working(&self) -> bool {
        (self.mode == Mode::Follow && !self.follow.done) || (self.mode == Mode::Ladder && self.stream.partial) || self.searching() || self.saving() || self.sort.run.is_some()
    }

    /// Fits every pane to `area` (the whole screen): records the [`Regions`], keeps cursors
    /// and scroll offsets on screen, and loads the dissections the screen shows. Drawing
    /// calls it first; tests call it to set page sizes without drawing.
    pub fn layout(&mut self, area: Rect) {
        self.load_detail();
        let g = super::layout::geometry(self, area);
        self.regions = g.regions;
        if self.mode == Mode::Ladder {
            self.stream.fit(g.main);
            return;
        }
        if self.mode == Mode::TcpState {
            return;
        }
        let inner = ratatui::widgets::Block::default().borders(ratatui::widgets::Borders::ALL).inner(g.main);
        let stats = self.store.stats.as_ref().map(|r| (&r.stats, r.generation));
        match self.mode {
            Mode::Conversations => return self.conv.fit(stats, super::conv_view::table_rows(inner).height as usize),
            Mode::Expert => return self.expert.fit(stats.map(|s| s.0), super::expert_view::table_rows(inner).height as usize),
            Mode::Follow => return self.follow.fit(inner.width as usize, super::follow_view::page(inner)),
            Mode::Summary => return,
            _ => {}
        }
        let page = self.regions.list.height as usize;
        self.list.fit(self.shown_len(), page);
        let shown: Vec<u64> = (0..page).map_while(|i| self.frame_at(self.list.top + i)).collect();
        self.store.load_rows(&shown);
        let rows = self.tree_rows().len();
        self.tree.fit(rows, self.regions.tree.height as usize);
        let span = self.selected_span();
        let len = self.hex_source().1.len();
        self.hex.fit(span, len, self.regions.hex.height as usize);
        let e = self.regions.explain;
        if e.width > 0 && e.height > 0 {
            let lines = super::explain_pane::lines(self, e.width as usize).len();
            self.explain.fit(lines, e.height as usize);
        }
    }

    // ----- side panel -------------------------------------------------------------------

    /// Installs a side panel beside the explanation (replacing any) and focuses it.
    pub fn set_side_panel(&mut self, panel: Box<dyn SidePanel>) {
        self.side = Some(panel);
        self.focus = Focus::Side;
    }

    /// Removes and returns the side panel.
    pub fn take_side_panel(&mut self) -> Option<Box<dyn SidePanel>> {
        if self.focus == Focus::Side {
            self.focus = Focus::List;
        }
        self.side.take()
    }

    pub fn side_panel(&self) -> Option<&dyn SidePanel> {
        self.side.as_deref()
    }

    pub fn side_panel_mut(&mut self) -> Option<&mut (dyn SidePanel + 'static)> {
        self.side.as_deref_mut()
    }

    pub fn has_side_panel(&self) -> bool {
        self.side.is_some()
    }

    /// The frames of the selected frame's TCP stream (at most 100,000), from the stored
    /// analysis.
    pub fn stream_frames(&self) -> Vec<u64> {
        let v = self.store.verdicts();
        let Some(s) = self.selected_frame().and_then(|n| v.tcp_stream(n)) else { return Vec::new() };
        (1..=v.frames() as u64).filter(|&n| v.tcp_stream(n) == Some(s)).take(100_000).collect()
    }

    /// Capture time of the first frame (the Time column is relative to it, as in Wireshark).
    pub fn first_ts(&self) -> Option<Timestamp> {
        self.first_ts
    }
}
