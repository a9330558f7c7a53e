//! Input: keys and the mouse become [`Action`]s, and [`App::update`] routes each to the pane
//! that owns it.

use super::{Action, App, FilterView, Focus, Mode};
use crate::tui::filter_bar::InputOutcome;
use crate::tui::side_panel::{PanelCommand, PanelOutcome};
use crate::tui::conv_view::{ConvOutcome, ConvPane};
use crate::tui::expert_view::ExpertOutcome;
use crate::tui::follow_view::FollowPane;
use crate::tui::stream_view::StreamPane;
use crate::tui::summary_view::{SummaryOutcome, SummaryPane};
use crate::tui::tcp_state_view::TcpStatePane;
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};

impl App {
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
        if let Some(a) = crate::tui::keys::action_for(&self.mode, key, self.debug_panic) {
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
            self.notice = None;
        }
        // The wheel scrolls the full-screen views as the arrow keys do, three lines a notch.
        if let Action::Scroll { down, .. } = action
            && matches!(self.mode, Mode::Conversations | Mode::Follow | Mode::Expert | Mode::Summary)
        {
            for _ in 0..3 {
                self.update(if down { Action::Down } else { Action::Up });
            }
            return;
        }
        self.load_detail();
        match self.mode {
            Mode::Filter => return self.update_filter(&action),
            Mode::Goto => return self.update_goto(&action),
            Mode::Search => return self.update_search(&action),
            Mode::Save => return self.update_save(&action),
            Mode::Help => {
                self.mode = Mode::Normal;
                return;
            }
            Mode::Ladder => {
                match self.stream.update(&action) {
                    InputOutcome::Cancel => self.mode = Mode::Normal,
                    InputOutcome::Quit => self.quit = true,
                    InputOutcome::Submit => {
                        if let Some(n) = self.stream.jump()
                            && self.select_frame(n)
                        {
                            self.mode = Mode::Normal;
                            self.focus = Focus::List;
                        }
                    }
                    InputOutcome::Editing => {}
                }
                return;
            }
            Mode::TcpState => {
                match self.tcp_state.update(&action) {
                    InputOutcome::Cancel => self.mode = Mode::Normal,
                    InputOutcome::Quit => self.quit = true,
                    InputOutcome::Editing | InputOutcome::Submit => {
                        if let Some(n) = self.tcp_state.frame() {
                            self.select_frame(n);
                        }
                    }
                }
                return;
            }
            Mode::Conversations => {
                match self.conv.update(&action, self.store.stats.as_ref().map(|r| &r.stats)) {
                    ConvOutcome::Stay => {}
                    ConvOutcome::Close => self.mode = Mode::Normal,
                    ConvOutcome::Quit => self.quit = true,
                    ConvOutcome::Apply(filter) => {
                        if self.set_filter(&filter).is_ok() {
                            self.filter_view = FilterView::Hide;
                            self.focus = Focus::List;
                            self.mode = Mode::Normal;
                        }
                    }
                }
                return;
            }
            Mode::Expert => {
                match self.expert.update(&action, self.store.stats.as_ref().map(|r| &r.stats)) {
                    ExpertOutcome::Stay => {}
                    ExpertOutcome::Close => self.mode = Mode::Normal,
                    ExpertOutcome::Quit => self.quit = true,
                    ExpertOutcome::Jump(n) => {
                        self.mode = Mode::Normal;
                        if self.select_frame(n) {
                            self.focus = Focus::List;
                        }
                    }
                }
                return;
            }
            Mode::Follow => {
                match self.follow.update(&action) {
                    InputOutcome::Cancel => self.mode = Mode::Normal,
                    InputOutcome::Quit => self.quit = true,
                    InputOutcome::Editing | InputOutcome::Submit => {}
                }
                return;
            }
            Mode::Summary => {
                match self.summary.update(&action) {
                    SummaryOutcome::Stay => {}
                    SummaryOutcome::Close => self.mode = Mode::Normal,
                    SummaryOutcome::Quit => self.quit = true,
                }
                return;
            }
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
                    if let Some(r) = rows.get(self.tree.cursor)
                        && r.expandable
                    {
                        self.tree.set_expanded(r.key, true);
                    }
                }
                _ => {}
            },
            Action::Toggle => {
                if self.focus == Focus::List {
                    self.focus = Focus::Tree;
                } else {
                    self.toggle_at(self.tree.cursor);
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
                let text = self.active_filter().unwrap_or("").to_string();
                self.filter.set(&text);
            }
            Action::StartGoto => {
                self.mode = Mode::Goto;
                self.goto.text.clear();
            }
            Action::NextMatch | Action::PrevMatch => {
                let forward = action == Action::NextMatch;
                if self.search_repeat && self.last_search.is_some() {
                    self.start_search(forward);
                } else {
                    self.jump_match(forward);
                }
            }
            Action::SortNext => self.sort_next(),
            Action::SortReverse => self.sort_reverse(),
            Action::TimeFormat => self.next_time_format(),
            Action::Mark => self.toggle_mark(),
            Action::UnmarkAll => self.unmark_all(),
            Action::NextMarked => self.jump_marked(true),
            Action::PrevMarked => self.jump_marked(false),
            Action::ApplyField => self.apply_field(false),
            Action::ApplyFieldAnd => self.apply_field(true),
            Action::PrepareField => self.prepare_field(),
            Action::StartSearch => {
                self.mode = Mode::Search;
            }
            Action::StartSave => {
                self.mode = Mode::Save;
            }
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
                self.open_stream();
            }
            Action::TcpState => {
                self.mode = Mode::TcpState;
                self.tcp_state = TcpStatePane::open(&self.store, self.selected_frame(), &self.stream_frames());
            }
            Action::Conversations => {
                self.store.start_stats();
                let v = self.store.verdicts();
                let sel = self.selected_frame();
                let (tcp, udp) = (sel.and_then(|n| v.tcp_stream(n)), sel.and_then(|n| v.udp_stream(n)));
                let (sort, reverse) = (self.conv.sort, self.conv.reverse);
                self.conv = ConvPane::open(tcp, udp);
                (self.conv.sort, self.conv.reverse) = (sort, reverse);
                self.mode = Mode::Conversations;
            }
            Action::Expert => {
                self.store.start_stats();
                self.mode = Mode::Expert;
            }
            Action::Summary => {
                self.store.start_stats();
                self.summary = SummaryPane::default();
                self.mode = Mode::Summary;
            }
            Action::Follow => {
                let hex = self.follow.hex;
                self.follow = FollowPane::open(&self.store, self.selected_frame(), self.game.clone(), self.lang);
                self.follow.hex = hex;
                self.follow.advance(&self.store, std::time::Duration::from_millis(50));
                self.mode = Mode::Follow;
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

    /// Opens the `L` view on the selected frame's stream (its graphs under the display
    /// filter, when the filter hides frames).
    pub(super) fn open_stream(&mut self) {
        let shown = match (&self.store.filter, self.filter_view) {
            (Some(run), FilterView::Hide) => Some((run.filter.text(), run.matches.as_slice())),
            _ => None,
        };
        self.stream = StreamPane::open(&self.store, self.selected_frame(), self.stream_frames(), shown);
    }

    fn collapse_or_parent(&mut self) {
        let rows = self.tree_rows();
        let Some(r) = rows.get(self.tree.cursor) else { return };
        if r.expandable && r.expanded {
            self.tree.set_expanded(r.key, false);
            return;
        }
        let indent = r.indent;
        if let Some(p) = (0..self.tree.cursor).rev().find(|&j| rows[j].indent < indent) {
            self.set_tree_cursor(p, &rows);
        }
    }

    fn move_focused(&mut self, delta: isize) {
        match self.focus {
            Focus::List | Focus::Side => self.move_list(delta),
            Focus::Tree => self.move_tree(delta),
            Focus::Hex => self.move_hex(delta.saturating_mul(16)),
            Focus::Explain => self.explain.scroll_by(delta),
        }
    }

    fn update_filter(&mut self, action: &Action) {
        match self.filter.update(action) {
            InputOutcome::Editing => {}
            InputOutcome::Submit => {
                let text = self.filter.text.clone();
                match self.set_filter(&text) {
                    Ok(()) => {
                        self.mode = Mode::Normal;
                        self.search_repeat = false;
                    }
                    Err(e) => self.filter.error = Some(e),
                }
            }
            InputOutcome::Cancel => {
                self.mode = Mode::Normal;
                self.filter.text = self.active_filter().unwrap_or("").to_string();
                self.filter.error = None;
            }
            InputOutcome::Quit => self.quit = true,
        }
    }

    fn update_goto(&mut self, action: &Action) {
        match self.goto.update(action) {
            InputOutcome::Editing => {}
            InputOutcome::Submit => {
                self.mode = Mode::Normal;
                let n: u64 = self.goto.text.parse().unwrap_or(0);
                if !self.select_frame(n) {
                    let (text, last) = (&self.goto.text, self.store.len());
                    self.message = Some(crate::explain::ui_with("tui.no_such_frame", self.lang, &[("n", text), ("last", &last)]));
                } else {
                    self.focus = Focus::List;
                }
            }
            InputOutcome::Cancel => self.mode = Mode::Normal,
            InputOutcome::Quit => self.quit = true,
        }
    }

    fn click(&mut self, col: u16, row: u16) {
        let r = self.regions;
        // The list's column header (the line above its rows) sorts by the column clicked.
        if self.mode == Mode::Normal && r.list.height > 0 && row + 1 == r.list.y && col >= r.list.x && col < r.list.x + r.list.width {
            if let Some(c) = crate::tui::packet_list::column_at(self, col - r.list.x, r.list.width) {
                self.sort_by(c);
            }
            return;
        }
        match r.hit(col, row) {
            Some(Focus::List) => {
                self.focus = Focus::List;
                let i = self.list.top + (row - r.list.y) as usize;
                if let Some(n) = self.frame_at(i) {
                    self.set_selected(n);
                }
            }
            Some(Focus::Tree) => {
                self.focus = Focus::Tree;
                let i = self.tree.top + (row - r.tree.y) as usize;
                let rows = self.tree_rows();
                if let Some(tr) = rows.get(i) {
                    let marker_col = r.tree.x + tr.indent * 2;
                    let on_marker = col >= marker_col && col < marker_col + 2;
                    // A click on the marker, or a second click on the selected row, toggles.
                    let again = i == self.tree.cursor;
                    self.set_tree_cursor(i, &rows);
                    self.hex.cursor = None;
                    if tr.expandable && (on_marker || again) {
                        self.toggle_at(i);
                    }
                }
            }
            Some(Focus::Hex) => {
                self.focus = Focus::Hex;
                let line = self.hex.top + (row - r.hex.y) as usize;
                let len = self.hex_source().1.len();
                if let Some(b) = crate::tui::hex::byte_at_col(col - r.hex.x, len) {
                    self.select_byte(line * 16 + b);
                }
            }
            Some(Focus::Explain) => self.focus = Focus::Explain,
            Some(Focus::Side) if self.side.is_some() => self.focus = Focus::Side,
            _ => {}
        }
    }

    fn scroll(&mut self, col: u16, row: u16, down: bool) {
        let r = self.regions;
        let d: isize = if down { 3 } else { -3 };
        match r.hit(col, row) {
            Some(Focus::List) => self.list.wheel(d, self.shown_len(), self.list_page()),
            Some(Focus::Tree) => self.tree.wheel(d, self.tree_rows().len(), r.tree.height as usize),
            Some(Focus::Hex) => self.hex.wheel(d, self.hex_source().1.len(), r.hex.height as usize),
            Some(Focus::Explain) => self.explain.scroll_by(d),
            _ => {}
        }
    }
}
