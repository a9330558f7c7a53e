//! The application state and its one entry point for change, [`App::update`].
//!
//! Input becomes an [`Action`] ([`super::keys`] for keys, [`App::mouse`] for the mouse);
//! `update` changes state; [`super::layout::draw`] draws it. Long work (indexing, analysis,
//! filtering) runs in the [`Store`]'s threads and is picked up by [`App::tick`].
//!
//! Public API for other parts of pktlab (the lessons drive the TUI through these; they are
//! kept stable):
//! - [`App::select_frame`] — select frame N (1-based) in the list, tree and hex view;
//! - [`App::select_field`] — select a field by its Wireshark name in the tree (expanding
//!   its parents) and light its bytes;
//! - [`App::set_filter`] — apply a display filter (empty clears it), or get its error;
//! - [`App::set_side_panel`] / [`App::take_side_panel`] — put a [`SidePanel`] beside the
//!   explanation; it joins the Tab cycle and gets keys while focused.

use super::i18n::{Labels, labels};
use super::side_panel::{PanelCommand, PanelOutcome, SidePanel};
use super::store::Store;
use super::theme::Theme;
use super::tree::{self, NodeKey, NodeRef, TreeRow};
use crate::dissect::{Dissection, Timestamp};
use crate::explain::Lang;
use crate::filter::{Filter, FilterError};
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use std::collections::HashSet;

/// What the keyboard is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a display filter after `/`.
    Filter,
    /// Typing a frame number after `:`.
    Goto,
    Help,
    /// The full-screen TCP stream view (`L`).
    Ladder,
}

/// Which pane has the keyboard in normal mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    List,
    Tree,
    Hex,
    Explain,
    /// The installed [`SidePanel`].
    Side,
}

/// How a display filter shows its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterView {
    /// Only matching frames are listed (Wireshark's display filter).
    Hide,
    /// Every frame is listed, matching ones marked; `n`/`N` jump between them.
    Mark,
}

/// Everything input can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusNext,
    FocusPrev,
    /// Expand/collapse the tree node under the cursor.
    Toggle,
    StartFilter,
    StartGoto,
    Input(char),
    Backspace,
    ClearInput,
    Submit,
    Cancel,
    NextMatch,
    PrevMatch,
    ToggleMarkMode,
    Help,
    Quit,
    Ladder,
    /// Left click at a screen cell.
    Click { col: u16, row: u16 },
    /// Mouse wheel over a screen cell.
    Scroll { col: u16, row: u16, down: bool },
    /// Panic on purpose (only with `PKTLAB_DEBUG_PANIC=1`): tests terminal restoration.
    DebugPanic,
}

/// Where each pane was drawn last, for mouse hits and page sizes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Regions {
    /// Packet rows (below the column header).
    pub list: Rect,
    pub tree: Rect,
    pub hex: Rect,
    pub explain: Rect,
    pub side: Rect,
}

/// The byte range the selected tree node covers: (source, start, len).
pub type Span = (u8, usize, usize);

/// The whole TUI state.
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
                match lang {
                    Lang::Ko => format!("멈춤: 새 패킷 {new}개 (G: 따라가기) │ {status}"),
                    Lang::En => format!("held: {new} new (G: follow) │ {status}"),
                }
            }
            None => status,
        }
    }
}

pub struct App {
    pub store: Store,
    /// Set for a live capture.
    pub live: Option<LiveView>,
    pub lang: Lang,
    pub theme: Theme,
    pub mode: Mode,
    pub focus: Focus,
    pub file_name: String,
    /// Selected frame (1-based; 0 before any frame is loaded).
    selected: u64,
    pub list_top: usize,
    pub tree_cursor: usize,
    pub tree_top: usize,
    toggled: HashSet<NodeKey>,
    /// The tree node to keep selected when the frame changes.
    remembered: Option<NodeKey>,
    /// Byte under the hex cursor (in the selected node's source).
    pub hex_cursor: Option<usize>,
    pub hex_top: usize,
    pub explain_scroll: usize,
    pub filter_input: String,
    pub filter_error: Option<FilterError>,
    pub filter_view: FilterView,
    pub goto_input: String,
    /// A one-line message for the status bar (goto errors and the like).
    pub message: Option<String>,
    side: Option<Box<dyn SidePanel>>,
    pub regions: Regions,
    pub ladder_scroll: usize,
    /// The frames of the TCP stream shown by the stream view (found when it opens).
    pub ladder_frames: Vec<u64>,
    /// The diagram and graphs of the `L` view (built when it opens).
    pub ladder_view: super::ladder::LadderView,
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
            selected: 0,
            list_top: 0,
            tree_cursor: 0,
            tree_top: 0,
            toggled: HashSet::new(),
            remembered: None,
            hex_cursor: None,
            hex_top: 0,
            explain_scroll: 0,
            filter_input: String::new(),
            filter_error: None,
            filter_view: FilterView::Hide,
            goto_input: String::new(),
            message: None,
            side: None,
            regions: Regions::default(),
            ladder_scroll: 0,
            ladder_frames: Vec::new(),
            ladder_view: super::ladder::LadderView::default(),
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
        if self.selected == 0 && !self.store.is_empty() {
            self.selected = 1;
        }
        if changed {
            self.fix_selection();
        }
        changed
    }

    // ----- the list -------------------------------------------------------------------

    /// The filter whose matches narrow the list (Hide view only).
    fn hiding(&self) -> Option<&[u32]> {
        match (&self.store.filter, self.filter_view) {
            (Some(run), FilterView::Hide) => Some(&run.matches),
            _ => None,
        }
    }

    /// Rows in the packet list.
    pub fn shown_len(&self) -> usize {
        self.hiding().map_or(self.store.len(), <[u32]>::len)
    }

    /// The frame number shown at list row `row`.
    pub fn frame_at(&self, row: usize) -> Option<u64> {
        match self.hiding() {
            Some(m) => m.get(row).map(|&n| u64::from(n)),
            None => (row < self.store.len()).then_some(row as u64 + 1),
        }
    }

    /// The list row of frame `n`, or where it would be.
    fn row_of(&self, n: u64) -> Result<usize, usize> {
        match self.hiding() {
            Some(m) => m.binary_search(&u32::try_from(n).unwrap_or(u32::MAX)),
            None if n >= 1 && n as usize <= self.store.len() => Ok(n as usize - 1),
            None => Err(self.store.len()),
        }
    }

    pub fn selected_frame(&self) -> Option<u64> {
        (self.selected != 0).then_some(self.selected)
    }

    pub fn selected_row(&self) -> Option<usize> {
        self.row_of(self.selected).ok()
    }

    /// Whether frame `n` matches the current filter (for marking).
    pub fn is_match(&self, n: u64) -> bool {
        self.store.filter.as_ref().is_some_and(|f| f.matches.binary_search(&u32::try_from(n).unwrap_or(u32::MAX)).is_ok())
    }

    /// Keeps the selection on a listed frame after the list changed under it.
    fn fix_selection(&mut self) {
        if self.shown_len() == 0 {
            return;
        }
        if let Err(ins) = self.row_of(self.selected) {
            let row = ins.min(self.shown_len() - 1);
            if let Some(n) = self.frame_at(row) {
                self.set_selected(n);
            }
        }
    }

    fn set_selected(&mut self, n: u64) {
        if n != self.selected {
            self.selected = n;
            self.explain_scroll = 0;
            self.hex_top = 0;
            self.hex_cursor = None;
            self.restore_tree_cursor();
        }
        self.scroll_list_to_selection();
    }

    fn list_page(&self) -> usize {
        (self.regions.list.height as usize).max(1)
    }

    fn scroll_list_to_selection(&mut self) {
        let Some(row) = self.selected_row() else { return };
        let page = self.list_page();
        if row < self.list_top {
            self.list_top = row;
        } else if row >= self.list_top + page {
            self.list_top = row + 1 - page;
        }
    }

    fn move_list(&mut self, delta: isize) {
        let len = self.shown_len();
        if len == 0 {
            return;
        }
        let cur = self.selected_row().unwrap_or(0) as isize;
        let row = cur.saturating_add(delta).clamp(0, len as isize - 1) as usize;
        if let Some(n) = self.frame_at(row) {
            self.set_selected(n);
        }
    }

    /// Selects frame `n` (1-based) in the list, tree and hex view. A frame the filter hides
    /// switches the list to "mark matches" so it can be shown. False if there is no such frame.
    pub fn select_frame(&mut self, n: u64) -> bool {
        if n == 0 || n as usize > self.store.len() {
            return false;
        }
        if self.row_of(n).is_err() {
            self.filter_view = FilterView::Mark;
        }
        self.set_selected(n);
        true
    }

    // ----- the tree -------------------------------------------------------------------

    /// The selected frame's dissection and bytes.
    pub fn detail(&mut self) -> Option<(&Dissection, &[u8])> {
        let n = self.selected_frame()?;
        self.store.detail(n)?;
        self.store.cached_detail(n)
    }

    /// The visible tree rows of the selected frame.
    pub fn tree_rows(&mut self) -> Vec<TreeRow> {
        let lang = self.lang;
        let toggled = self.toggled.clone();
        match self.detail() {
            Some((d, frame)) => tree::build_rows(d, frame, &toggled, lang),
            None => Vec::new(),
        }
    }

    fn restore_tree_cursor(&mut self) {
        let rows = self.tree_rows();
        if let Some(key) = self.remembered
            && let Some(i) = rows.iter().position(|r| r.key == key)
        {
            self.tree_cursor = i;
        }
        self.tree_cursor = self.tree_cursor.min(rows.len().saturating_sub(1));
        self.scroll_tree_to_cursor();
    }

    fn scroll_tree_to_cursor(&mut self) {
        let page = (self.regions.tree.height as usize).max(1);
        if self.tree_cursor < self.tree_top {
            self.tree_top = self.tree_cursor;
        } else if self.tree_cursor >= self.tree_top + page {
            self.tree_top = self.tree_cursor + 1 - page;
        }
    }

    fn set_tree_cursor(&mut self, i: usize, rows: &[TreeRow]) {
        self.tree_cursor = i.min(rows.len().saturating_sub(1));
        self.remembered = rows.get(self.tree_cursor).map(|r| r.key);
        self.explain_scroll = 0;
        self.scroll_tree_to_cursor();
    }

    fn move_tree(&mut self, delta: isize) {
        let rows = self.tree_rows();
        if rows.is_empty() {
            return;
        }
        let i = (self.tree_cursor as isize).saturating_add(delta).clamp(0, rows.len() as isize - 1) as usize;
        self.set_tree_cursor(i, &rows);
        self.hex_cursor = None;
    }

    /// The tree node under the cursor.
    pub fn selected_node(&mut self) -> Option<NodeRef> {
        let c = self.tree_cursor;
        self.tree_rows().get(c).map(|r| r.node)
    }

    fn set_expanded(&mut self, key: NodeKey, open: bool) {
        if tree::is_expanded(key, &self.toggled) != open && !self.toggled.remove(&key) {
            self.toggled.insert(key);
        }
    }

    fn toggle_at(&mut self, i: usize) {
        let rows = self.tree_rows();
        if let Some(r) = rows.get(i)
            && r.expandable
        {
            self.set_expanded(r.key, !r.expanded);
        }
    }

    /// Expands every ancestor of field `fi` so its row is visible, and returns the row.
    fn reveal_field(&mut self, fi: usize) -> Option<usize> {
        let mut keys = Vec::new();
        {
            let (d, _) = self.detail()?;
            let f = d.fields.get(fi)?;
            let layer = d.layer_of(fi as u32)?;
            keys.push(NodeKey::Osi(layer.osi.number()));
            keys.push(NodeKey::Layer(layer.proto));
            let mut depth = f.depth;
            let mut j = fi;
            while depth > 0 && j > layer.fields.start as usize {
                j -= 1;
                if let Some(p) = d.fields.get(j)
                    && p.depth < depth
                    && !p.hidden
                {
                    keys.push(NodeKey::Field(p.def.abbrev));
                    depth = p.depth;
                }
            }
        }
        for k in keys {
            self.set_expanded(k, true);
        }
        self.tree_rows().iter().position(|r| r.node == NodeRef::Field(fi))
    }

    /// Selects the first shown occurrence of field `abbrev` (Wireshark name) in the selected
    /// frame: the tree cursor moves to it (parents expanded) and its bytes light up. False if
    /// the frame has no such field.
    pub fn select_field(&mut self, abbrev: &str) -> bool {
        let fi = match self.detail() {
            Some((d, _)) => d.fields.iter().position(|f| !f.hidden && f.def.abbrev == abbrev),
            None => None,
        };
        let Some(fi) = fi else { return false };
        let Some(row) = self.reveal_field(fi) else { return false };
        let rows = self.tree_rows();
        self.set_tree_cursor(row, &rows);
        self.hex_cursor = None;
        true
    }

    /// The bytes the selected node covers.
    pub fn selected_span(&mut self) -> Option<Span> {
        let node = self.selected_node()?;
        let (d, _) = self.detail()?;
        match node {
            NodeRef::Field(i) => d.fields.get(i).map(|f| (f.source, f.offset as usize, f.len as usize)),
            NodeRef::Layer(i) => d.layers.get(i).map(|l| (l.source, l.offset as usize, l.len as usize)),
            NodeRef::Osi(o) => {
                let ls: Vec<_> = d.layers.iter().filter(|l| l.osi == o && l.source == 0).collect();
                let start = ls.iter().map(|l| l.offset as usize).min()?;
                let end = ls.iter().map(|l| l.offset as usize + l.len as usize).max()?;
                Some((0, start, end - start))
            }
        }
    }

    /// The bytes the hex view shows: the selected node's source (the frame, or a reassembled
    /// buffer).
    pub fn hex_source(&mut self) -> (u8, Vec<u8>) {
        let src = self.selected_span().map_or(0, |s| s.0);
        match self.detail() {
            Some((d, frame)) => (src, d.source_bytes(frame, src).to_vec()),
            None => (0, Vec::new()),
        }
    }

    /// Puts the hex cursor on byte `at` and selects the innermost field covering it.
    pub fn select_byte(&mut self, at: usize) {
        let (src, bytes) = self.hex_source();
        if bytes.is_empty() {
            return;
        }
        let at = at.min(bytes.len() - 1);
        let fi = match self.detail() {
            Some((d, _)) => d
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.hidden && f.source == src && f.len > 0 && f.range().contains(&at))
                .min_by_key(|(i, f)| (f.len, std::cmp::Reverse(*i)))
                .map(|(i, _)| i),
            None => None,
        };
        if let Some(fi) = fi
            && let Some(row) = self.reveal_field(fi)
        {
            let rows = self.tree_rows();
            self.set_tree_cursor(row, &rows);
        }
        self.hex_cursor = Some(at);
        let page = (self.regions.hex.height as usize).max(1);
        let line = at / 16;
        if line < self.hex_top {
            self.hex_top = line;
        } else if line >= self.hex_top + page {
            self.hex_top = line + 1 - page;
        }
    }

    fn move_hex(&mut self, delta: isize) {
        let start = match self.hex_cursor {
            Some(c) => c,
            None => self.selected_span().map_or(0, |s| s.1),
        };
        let at = (start as isize).saturating_add(delta).max(0) as usize;
        self.select_byte(at);
    }

    // ----- filter -------------------------------------------------------------------

    /// Applies display filter `text` (empty clears it). On error the current filter stays.
    pub fn set_filter(&mut self, text: &str) -> Result<(), FilterError> {
        let text = text.trim();
        if text.is_empty() {
            self.store.clear_filter();
            self.filter_input.clear();
            self.filter_error = None;
            self.fix_selection();
            return Ok(());
        }
        let f = Filter::compile(text)?;
        self.filter_input = text.to_string();
        self.filter_error = None;
        self.store.start_filter(f);
        self.list_top = 0;
        Ok(())
    }

    /// The text of the filter in force (the last good one).
    pub fn active_filter(&self) -> Option<&str> {
        self.store.filter.as_ref().map(|f| f.filter.text())
    }

    fn validate_filter_input(&mut self) {
        self.filter_error = if self.filter_input.trim().is_empty() {
            None
        } else {
            Filter::compile(&self.filter_input).err()
        };
    }

    fn jump_match(&mut self, forward: bool) {
        let Some(run) = &self.store.filter else { return };
        let cur = u32::try_from(self.selected).unwrap_or(u32::MAX);
        let found = run.matches.binary_search(&cur);
        let next = if forward {
            let i = match found {
                Ok(i) => i + 1,
                Err(i) => i,
            };
            run.matches.get(i)
        } else {
            let (Ok(i) | Err(i)) = found;
            i.checked_sub(1).and_then(|j| run.matches.get(j))
        };
        if let Some(&n) = next {
            self.set_selected(u64::from(n));
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

    pub fn side_panel_mut(&mut self) -> Option<&mut (dyn SidePanel + 'static)> {
        self.side.as_deref_mut()
    }

    pub fn has_side_panel(&self) -> bool {
        self.side.is_some()
    }

    fn run_panel_commands(&mut self, cmds: Vec<PanelCommand>) {
        for c in cmds {
            match c {
                PanelCommand::SelectFrame(n) => {
                    self.select_frame(n);
                }
                PanelCommand::SelectField(f) => {
                    self.select_field(&f);
                }
                PanelCommand::SetFilter(t) => {
                    let _ = self.set_filter(&t);
                }
                PanelCommand::FocusList => self.focus = Focus::List,
            }
        }
    }

    // ----- input -------------------------------------------------------------------

    /// A key: routed to the side panel when it has focus, else through the key table.
    pub fn key(&mut self, key: KeyEvent) {
        if self.mode == Mode::Normal
            && self.focus == Focus::Side
            && let Some(panel) = self.side.as_mut()
        {
            match panel.handle_key(key) {
                PanelOutcome::Consumed => return,
                PanelOutcome::Ignored => {}
                PanelOutcome::Close => {
                    self.take_side_panel();
                    return;
                }
                PanelOutcome::Commands(c) => {
                    self.run_panel_commands(c);
                    return;
                }
            }
        }
        if let Some(a) = super::keys::action_for(&self.mode, key, self.debug_panic) {
            self.update(a);
        }
    }

    /// A mouse event, as an action.
    pub fn mouse(&mut self, m: MouseEvent) {
        let a = match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Action::Click { col: m.column, row: m.row },
            MouseEventKind::ScrollDown => Action::Scroll { col: m.column, row: m.row, down: true },
            MouseEventKind::ScrollUp => Action::Scroll { col: m.column, row: m.row, down: false },
            _ => return,
        };
        self.update(a);
    }

    fn focus_order(&self) -> Vec<Focus> {
        let mut v = vec![Focus::List, Focus::Tree, Focus::Hex, Focus::Explain];
        if self.side.is_some() {
            v.push(Focus::Side);
        }
        v
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Click { .. } | Action::Scroll { .. }) {
            self.message = None;
        }
        match self.mode {
            Mode::Filter => return self.update_filter(action),
            Mode::Goto => return self.update_goto(action),
            Mode::Help => {
                self.mode = Mode::Normal;
                return;
            }
            Mode::Ladder => return self.update_ladder(action),
            Mode::Normal => {}
        }
        let page = match self.focus {
            Focus::List => self.list_page(),
            Focus::Tree => self.regions.tree.height.max(1) as usize,
            Focus::Hex => self.regions.hex.height.max(1) as usize,
            _ => self.regions.explain.height.max(1) as usize,
        } as isize;
        match action {
            Action::Up => self.move_focused(-1),
            Action::Down => self.move_focused(1),
            Action::PageUp => self.move_focused(-page),
            Action::PageDown => self.move_focused(page),
            Action::Top => self.move_focused(isize::MIN / 2),
            Action::Bottom => self.move_focused(isize::MAX / 2),
            Action::Left => match self.focus {
                Focus::Hex => self.move_hex(-1),
                Focus::Tree => self.collapse_or_parent(),
                _ => {}
            },
            Action::Right => match self.focus {
                Focus::Hex => self.move_hex(1),
                Focus::Tree => {
                    let rows = self.tree_rows();
                    if let Some(r) = rows.get(self.tree_cursor)
                        && r.expandable
                    {
                        self.set_expanded(r.key, true);
                    }
                }
                _ => {}
            },
            Action::Toggle => {
                if self.focus == Focus::List {
                    self.focus = Focus::Tree;
                } else {
                    self.toggle_at(self.tree_cursor);
                }
            }
            Action::FocusNext | Action::FocusPrev => {
                let order = self.focus_order();
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let n = order.len();
                let j = if action == Action::FocusNext { (i + 1) % n } else { (i + n - 1) % n };
                self.focus = order[j];
            }
            Action::StartFilter => {
                self.mode = Mode::Filter;
                self.filter_input = self.active_filter().unwrap_or("").to_string();
                self.validate_filter_input();
            }
            Action::StartGoto => {
                self.mode = Mode::Goto;
                self.goto_input.clear();
            }
            Action::NextMatch => self.jump_match(true),
            Action::PrevMatch => self.jump_match(false),
            Action::ToggleMarkMode => {
                self.filter_view = match self.filter_view {
                    FilterView::Hide => FilterView::Mark,
                    FilterView::Mark => FilterView::Hide,
                };
                self.fix_selection();
                self.scroll_list_to_selection();
            }
            Action::Help => self.mode = Mode::Help,
            Action::Quit => self.quit = true,
            Action::Ladder => {
                self.mode = Mode::Ladder;
                self.ladder_scroll = 0;
                self.ladder_frames = self.stream_frames();
                self.ladder_view = super::ladder::LadderView::open(&self.store, self.selected_frame());
                let at = self.selected_frame().and_then(|n| self.ladder_view.row_of(n));
                self.ladder_scroll = at.unwrap_or(0).saturating_sub(5);
            }
            Action::Click { col, row } => self.click(col, row),
            Action::Scroll { col, row, down } => self.scroll(col, row, down),
            Action::DebugPanic => {
                if self.debug_panic {
                    panic!("PKTLAB_DEBUG_PANIC: panic requested with the debug key");
                }
            }
            Action::Cancel => {
                if self.focus == Focus::Side {
                    self.focus = Focus::List;
                }
            }
            Action::Input(_) | Action::Backspace | Action::ClearInput | Action::Submit => {}
        }
    }

    fn collapse_or_parent(&mut self) {
        let rows = self.tree_rows();
        let Some(r) = rows.get(self.tree_cursor) else { return };
        if r.expandable && r.expanded {
            self.set_expanded(r.key, false);
            return;
        }
        let indent = r.indent;
        if let Some(p) = (0..self.tree_cursor).rev().find(|&j| rows[j].indent < indent) {
            self.set_tree_cursor(p, &rows);
        }
    }

    fn move_focused(&mut self, delta: isize) {
        match self.focus {
            Focus::List | Focus::Side => self.move_list(delta),
            Focus::Tree => self.move_tree(delta),
            Focus::Hex => self.move_hex(delta.saturating_mul(16)),
            Focus::Explain => {
                self.explain_scroll = (self.explain_scroll as isize).saturating_add(delta).max(0) as usize;
            }
        }
    }

    fn update_filter(&mut self, action: Action) {
        match action {
            Action::Input(c) => {
                self.filter_input.push(c);
                self.validate_filter_input();
            }
            Action::Backspace => {
                self.filter_input.pop();
                self.validate_filter_input();
            }
            Action::ClearInput => {
                self.filter_input.clear();
                self.validate_filter_input();
            }
            Action::Submit => {
                let text = self.filter_input.clone();
                match self.set_filter(&text) {
                    Ok(()) => self.mode = Mode::Normal,
                    Err(e) => self.filter_error = Some(e),
                }
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.filter_error = None;
                self.filter_input = self.active_filter().unwrap_or("").to_string();
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    fn update_goto(&mut self, action: Action) {
        match action {
            Action::Input(c) if c.is_ascii_digit() => self.goto_input.push(c),
            Action::Input(_) => {}
            Action::Backspace => {
                self.goto_input.pop();
            }
            Action::ClearInput => self.goto_input.clear(),
            Action::Submit => {
                self.mode = Mode::Normal;
                let n: u64 = self.goto_input.parse().unwrap_or(0);
                if !self.select_frame(n) {
                    self.message = Some(match self.lang {
                        Lang::Ko => format!("{}번 프레임은 없어요 (1–{}).", self.goto_input, self.store.len()),
                        Lang::En => format!("No frame {} (1–{}).", self.goto_input, self.store.len()),
                    });
                } else {
                    self.focus = Focus::List;
                }
            }
            Action::Cancel => self.mode = Mode::Normal,
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    fn update_ladder(&mut self, action: Action) {
        match action {
            Action::Cancel => self.mode = Mode::Normal,
            Action::Up => self.ladder_scroll = self.ladder_scroll.saturating_sub(1),
            Action::Down => self.ladder_scroll += 1,
            Action::PageUp => self.ladder_scroll = self.ladder_scroll.saturating_sub(10),
            Action::PageDown => self.ladder_scroll += 10,
            Action::Input('g') => self.ladder_view.cycle_chart(),
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    fn click(&mut self, col: u16, row: u16) {
        let r = self.regions;
        let hit = |a: Rect| col >= a.x && col < a.x + a.width && row >= a.y && row < a.y + a.height;
        if hit(r.list) {
            self.focus = Focus::List;
            let i = self.list_top + (row - r.list.y) as usize;
            if let Some(n) = self.frame_at(i) {
                self.set_selected(n);
            }
        } else if hit(r.tree) {
            self.focus = Focus::Tree;
            let i = self.tree_top + (row - r.tree.y) as usize;
            let rows = self.tree_rows();
            if let Some(tr) = rows.get(i) {
                let marker_col = r.tree.x + tr.indent * 2;
                let on_marker = col >= marker_col && col < marker_col + 2;
                // A click on the marker, or a second click on the selected row, toggles.
                let again = i == self.tree_cursor;
                self.set_tree_cursor(i, &rows);
                self.hex_cursor = None;
                if tr.expandable && (on_marker || again) {
                    self.toggle_at(i);
                }
            }
        } else if hit(r.hex) {
            self.focus = Focus::Hex;
            let line = self.hex_top + (row - r.hex.y) as usize;
            let len = self.hex_source().1.len();
            if let Some(b) = super::hex::byte_at_col(col - r.hex.x, len) {
                self.select_byte(line * 16 + b);
            }
        } else if hit(r.explain) {
            self.focus = Focus::Explain;
        } else if hit(r.side) && self.side.is_some() {
            self.focus = Focus::Side;
        }
    }

    fn scroll(&mut self, col: u16, row: u16, down: bool) {
        let r = self.regions;
        let hit = |a: Rect| col >= a.x && col < a.x + a.width && row >= a.y && row < a.y + a.height;
        let d: isize = if down { 3 } else { -3 };
        if hit(r.list) {
            let max = self.shown_len().saturating_sub(self.list_page());
            self.list_top = (self.list_top as isize + d).clamp(0, max as isize) as usize;
        } else if hit(r.tree) {
            let max = self.tree_rows().len().saturating_sub(r.tree.height as usize);
            self.tree_top = (self.tree_top as isize + d).clamp(0, max as isize) as usize;
        } else if hit(r.hex) {
            let lines = self.hex_source().1.len().div_ceil(16);
            let max = lines.saturating_sub(r.hex.height as usize);
            self.hex_top = (self.hex_top as isize + d).clamp(0, max as isize) as usize;
        } else if hit(r.explain) {
            self.explain_scroll = (self.explain_scroll as isize + d).max(0) as usize;
        }
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
