//! The full-screen view of the selected frame's conversation (`L`): the ladder diagram of a
//! TCP stream and its graphs (`g`), or the graphs of a UDP flow. The drawing lives in
//! [`super::ladder`] and [`super::charts`]; the key and the frame list stay here and in `app`.
//!
//! ```text
//!    time(s)   frame  10.77.0.1:43850                10.77.0.2:8080  marks
//!   0.000000       1  ├──────── SYN Seq=0 Len=0 ─────────▶┤
//!   0.000023       2  ├◀─── SYN, ACK Seq=0 Ack=1 Len=0 ───┤  RTT 0.023ms
//! ```

use super::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn render(app: &mut App, area: Rect, buf: &mut Buffer) {
    super::ladder::render(app, area, buf);
}
