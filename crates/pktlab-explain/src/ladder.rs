//! The ladder diagram as text: mark labels, the header line and the plain-text picture
//! (`pktlab stats ladder`, the TUI's ladder view), worded by the `ui ladder.*` entries of
//! `text/ui.txt`. The diagram itself is built by the engine
//! (`pktlab_core::analysis::ladder`).

use crate::{Lang, ui, ui_with};
use pktlab_core::analysis::ladder::{
    Ladder, Mark, Row, arrow, fmt_ms, fmt_secs, span_for, text_width,
};
use std::fmt::Write as _;

/// A mark's short label in the chosen language (`ui ladder.mark.*` in `text/ui.txt`).
pub fn mark_label(mark: Mark, lang: Lang) -> String {
    let key = match mark {
        Mark::Retransmission => "retransmission",
        Mark::FastRetransmission => "fast_retransmission",
        Mark::SpuriousRetransmission => "spurious_retransmission",
        Mark::OutOfOrder => "out_of_order",
        Mark::LostSegment => "lost_segment",
        Mark::AckedUnseen => "acked_unseen",
        Mark::DupAck(n) => return ui_with("ladder.mark.dup_ack", lang, &[("n", &n)]),
        Mark::ZeroWindow => "zero_window",
        Mark::ZeroWindowProbe => "zero_window_probe",
        Mark::ZeroWindowProbeAck => "zero_window_probe_ack",
        Mark::WindowFull => "window_full",
        Mark::WindowUpdate => "window_update",
        Mark::KeepAlive => "keep_alive",
        Mark::KeepAliveAck => "keep_alive_ack",
        Mark::PortsReused => "ports_reused",
        Mark::Rtt(ns) => return ui_with("ladder.mark.rtt", lang, &[("ms", &fmt_ms(ns))]),
    };
    ui(&format!("ladder.mark.{key}"), lang)
}

/// A row's marks joined by commas.
pub fn marks_text(row: &Row, lang: Lang) -> String {
    row.marks
        .iter()
        .map(|m| mark_label(*m, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The header line: the time and frame captions and the two endpoints over the columns.
pub fn header(l: &Ladder, span: usize, lang: Lang) -> String {
    let (t, f, m) = (
        ui("ladder.time", lang),
        ui("ladder.frame", lang),
        ui("ladder.marks", lang),
    );
    let (t, f) = (t.as_str(), f.as_str());
    let c = format!("{}:{}", l.client.0, l.client.1);
    let s = format!("{}:{}", l.server.0, l.server.1);
    let gap = span.saturating_sub(text_width(&c) + text_width(&s)).max(1);
    let tpad = 10usize.saturating_sub(text_width(t));
    let fpad = 7usize.saturating_sub(text_width(f));
    format!(
        "{}{t} {}{f}  {c}{}{s}  {m}",
        " ".repeat(tpad),
        " ".repeat(fpad),
        " ".repeat(gap)
    )
}

/// One row as text (without a trailing newline).
pub fn row_line(r: &Row, span: usize, lang: Lang) -> String {
    let marks = marks_text(r, lang);
    let line = format!(
        "{:>10} {:>7}  {}",
        fmt_secs(r.rel_ns),
        r.frame,
        arrow(r.dir, &r.label(), span)
    );
    if marks.is_empty() {
        line
    } else {
        format!("{line}  {marks}")
    }
}

/// The whole diagram as plain text, for a terminal `width` cells wide.
pub fn render_text(l: &Ladder, width: usize, lang: Lang) -> String {
    let span = span_for(width);
    let mut s = String::new();
    let title = ui_with(
        "ladder.title",
        lang,
        &[("stream", &l.stream), ("segments", &l.rows.len())],
    );
    let _ = writeln!(s, "{title}");
    let _ = writeln!(s, "{}", header(l, span, lang));
    for r in &l.rows {
        let _ = writeln!(s, "{}", row_line(r, span, lang));
    }
    s
}
