//! The full-screen view of the selected frame's conversation (`L`): the ladder diagram of a
//! TCP stream and its graphs (`g`), or the graphs of a UDP flow. The drawing lives in
//! [`super::ladder`] and [`super::charts`]; this file holds the view's state and keys.
//!
//! ```text
//!    time(s)   frame  10.77.0.1:43850                10.77.0.2:8080  marks
//!   0.000000       1  ├──────── SYN Seq=0 Len=0 ─────────▶┤
//!   0.000023       2  ├◀─── SYN, ACK Seq=0 Ack=1 Len=0 ───┤  RTT 0.023ms
//! ```

use super::action::Action;
use super::app::App;
use super::filter_bar::InputOutcome;
use super::ladder::LadderView;
use super::store::Store;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The `L` view's state: the stream's frames, its diagram and graphs, and the scroll.
#[derive(Default)]
pub struct StreamPane {
    pub scroll: usize,
    /// The frames of the TCP stream shown (found when the view opens).
    pub frames: Vec<u64>,
    /// The diagram and graphs (built when the view opens).
    pub view: LadderView,
}

impl StreamPane {
    /// Opens the view on the stream of frame `selected`, whose stream has `frames`.
    pub fn open(store: &Store, selected: Option<u64>, frames: Vec<u64>) -> StreamPane {
        let view = LadderView::open(store, selected);
        let at = selected.and_then(|n| view.row_of(n));
        StreamPane { scroll: at.unwrap_or(0).saturating_sub(5), frames, view }
    }

    /// A key's action; Cancel closes the view, Quit quits.
    pub fn update(&mut self, action: &Action) -> InputOutcome {
        match action {
            Action::Cancel => return InputOutcome::Cancel,
            Action::Quit => return InputOutcome::Quit,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::PageDown => self.scroll += 10,
            Action::Input('g') => self.view.cycle_chart(),
            _ => {}
        }
        InputOutcome::Editing
    }

    /// Keeps the last page of the diagram the furthest scroll, for a view `area`.
    pub fn fit(&mut self, area: Rect) {
        if let Some(ld) = self.view.ladder.as_ref() {
            // Inside the border, one header line above the rows.
            let rows = area.height.saturating_sub(3) as usize;
            self.scroll = self.scroll.min(ld.rows.len().saturating_sub(rows));
        }
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    super::ladder::render(app, area, buf);
}
