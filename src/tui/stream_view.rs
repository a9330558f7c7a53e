//! The full-screen view of the selected frame's conversation (`L`): the ladder diagram of a
//! TCP stream and its graphs (`g`), or the graphs of a UDP flow. The drawing lives in
//! [`super::ladder`] and [`super::charts`]; this file holds the view's state and keys. On a
//! graph: `h`/`l` (←/→) move the cursor, Home/End to the first/last sample, Enter goes to its
//! frame in the list, `[`/`]` mark a range and `z` zooms to it, `+`/`-` zoom around the
//! cursor, `Z` or Esc show the whole stream again (Esc closes the view when nothing is
//! zoomed), `d` switches the direction.
//!
//! ```text
//!    time(s)   frame  10.77.0.1:43850                10.77.0.2:8080  marks
//!   0.000000       1  ├──────── SYN Seq=0 Len=0 ─────────▶┤
//!   0.000023       2  ├◀─── SYN, ACK Seq=0 Ack=1 Len=0 ───┤  RTT 0.023ms
//! ```

use super::action::Action;
use super::app::App;
use super::charts::ChartKey;
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
    /// The view opened before the analysis pass was through the file, so it may lack the
    /// stream or its later frames; the app builds it again when the pass is done.
    pub partial: bool,
}

impl StreamPane {
    /// Opens the view on the stream of frame `selected`, whose stream has `frames`; the
    /// graphs take only the frames `shown` lists (the display filter's text and matches).
    pub fn open(store: &Store, selected: Option<u64>, frames: Vec<u64>, shown: Option<(&str, &[u32])>) -> StreamPane {
        let view = LadderView::open(store, selected, shown);
        let at = selected.and_then(|n| view.row_of(n));
        StreamPane { scroll: at.unwrap_or(0).saturating_sub(5), frames, view, partial: !store.analysis_done() && !store.is_live() }
    }

    /// A key's action; Cancel closes the view, Quit quits, Submit asks to go to
    /// [`StreamPane::jump`]'s frame.
    pub fn update(&mut self, action: &Action) -> InputOutcome {
        if self.view.chart.is_some() {
            let key = match action {
                Action::Left => Some(ChartKey::Left),
                Action::Right => Some(ChartKey::Right),
                Action::Top => Some(ChartKey::First),
                Action::Bottom => Some(ChartKey::Last),
                Action::Input('[') => Some(ChartKey::MarkStart),
                Action::Input(']') => Some(ChartKey::MarkEnd),
                Action::Input('z') => Some(ChartKey::ZoomToMarks),
                Action::Input('+' | '=') => Some(ChartKey::ZoomIn),
                Action::Input('-') => Some(ChartKey::ZoomOut),
                Action::Input('Z') => Some(ChartKey::Reset),
                Action::Input('d') => Some(ChartKey::Direction),
                // Esc first undoes a zoom or marks.
                Action::Cancel if self.view.chart_key(ChartKey::Reset) => return InputOutcome::Editing,
                Action::Submit => return if self.jump().is_some() { InputOutcome::Submit } else { InputOutcome::Editing },
                _ => None,
            };
            if let Some(k) = key {
                self.view.chart_key(k);
                return InputOutcome::Editing;
            }
        }
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

    /// The frame Enter goes to: the one under the graph's cursor.
    pub fn jump(&self) -> Option<u64> {
        self.view.cursor_frame()
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
