//! A pane another part of pktlab (the lessons) puts beside the explanation.
//!
//! The lesson helper implements [`SidePanel`] and installs it with
//! [`super::App::set_side_panel`]. While a panel is installed it takes the upper part of the
//! explanation column and joins the Tab cycle; when it has focus, keys go to
//! [`SidePanel::handle_key`] first, and what it returns can drive the rest of the screen
//! ([`PanelCommand`]) exactly as a person would: select a frame, select a field, set a filter.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What a panel wants after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PanelOutcome {
    /// The panel used the key; nothing else happens.
    Consumed,
    /// The panel does not use this key; the app handles it as usual.
    Ignored,
    /// The panel asks to be closed (removed from the screen).
    Close,
    /// The panel used the key and asks the app to do these things, in order.
    Commands(Vec<PanelCommand>),
}

/// Something a panel asks the app to do (the same as [`super::App`]'s public methods).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PanelCommand {
    SelectFrame(u64),
    /// A Wireshark field name, e.g. `tcp.options.mss_val`.
    SelectField(String),
    /// A display filter; an empty string clears the filter.
    SetFilter(String),
    /// Put the keyboard focus back on the packet list.
    FocusList,
}

/// A pane drawn beside the explanation.
pub trait SidePanel {
    /// The pane's title (shown in its top border).
    fn title(&self) -> String;
    /// Draws the pane's content into `area` (the border is drawn by the app).
    fn render(&self, area: Rect, buf: &mut Buffer);
    /// A key pressed while the pane has focus.
    fn handle_key(&mut self, key: KeyEvent) -> PanelOutcome;
}
