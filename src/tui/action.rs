//! The vocabulary shared by every pane: what the keyboard is doing ([`Mode`]), which pane has
//! it ([`Focus`]), what input can ask for ([`Action`]) and where panes were laid out
//! ([`Regions`]). A leaf module: it depends on no other part of the TUI.

use ratatui::layout::Rect;

/// What the keyboard is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a display filter after `/`.
    Filter,
    /// Typing a frame number after `:`.
    Goto,
    /// Typing what to find after `s` (text, hex bytes or a display filter).
    Search,
    /// Typing the path to save frames to after `w`.
    Save,
    Help,
    /// The full-screen TCP stream view (`L`).
    Ladder,
    /// Both endpoints' TCP state after the selected segment (`T`).
    TcpState,
    /// TCP and UDP conversations (`C`).
    Conversations,
    /// The selected frame's stream, followed (`F`).
    Follow,
    /// Expert information of the capture (`E`).
    Expert,
    /// The capture's statistics summary (`S`).
    Summary,
}

impl Mode {
    /// Whether the mode is a full-screen view (the panes are hidden).
    pub fn is_view(self) -> bool {
        matches!(self, Mode::Ladder | Mode::TcpState | Mode::Conversations | Mode::Follow | Mode::Expert | Mode::Summary)
    }
}

/// Which pane has the keyboard in normal mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    List,
    Tree,
    Hex,
    Explain,
    /// The installed side panel (lessons).
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
    TcpState,
    Conversations,
    Follow,
    Expert,
    Summary,
    /// Sort the list by the next column (`o`; after Info, capture order again).
    SortNext,
    /// Reverse the sort (`O`).
    SortReverse,
    /// Next time display format (`t`).
    TimeFormat,
    /// Mark or unmark the selected frame (`m`).
    Mark,
    /// Unmark every frame (`M`).
    UnmarkAll,
    NextMarked,
    PrevMarked,
    /// Filter on the selected tree item (`a`), prepare it in the filter bar (`A`), or add it
    /// to the filter in force with `&&` (`&`).
    ApplyField,
    PrepareField,
    ApplyFieldAnd,
    StartSearch,
    StartSave,
    /// Left click at a screen cell.
    Click { col: u16, row: u16 },
    /// Mouse wheel over a screen cell.
    Scroll { col: u16, row: u16, down: bool },
    /// Panic on purpose (only with `PKTLAB_DEBUG_PANIC=1`): tests terminal restoration.
    DebugPanic,
}

/// Where each pane is laid out, for mouse hits and page sizes. Computed by
/// `App::layout` before drawing (drawing itself changes nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Regions {
    /// Packet rows (below the column header).
    pub list: Rect,
    pub tree: Rect,
    pub hex: Rect,
    pub explain: Rect,
    pub side: Rect,
}

impl Regions {
    /// Which region holds the cell (`col`, `row`), if any.
    pub fn hit(&self, col: u16, row: u16) -> Option<Focus> {
        let inside = |a: Rect| col >= a.x && col < a.x + a.width && row >= a.y && row < a.y + a.height;
        [(self.list, Focus::List), (self.tree, Focus::Tree), (self.hex, Focus::Hex), (self.explain, Focus::Explain), (self.side, Focus::Side)]
            .into_iter()
            .find(|(r, _)| inside(*r))
            .map(|(_, f)| f)
    }
}

/// The byte range the selected tree node covers: (source, start, len).
pub type Span = (u8, usize, usize);
