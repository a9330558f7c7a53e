//! The ladder diagram as text: mark labels, the header line and the plain-text picture
//! (`pktlab stats ladder`, the TUI's ladder view). The diagram itself is built by the engine
//! (`pktlab_core::analysis::ladder`).

use crate::Lang;
use pktlab_core::analysis::ladder::{Ladder, Mark, Row, arrow, fmt_ms, fmt_secs, span_for, text_width};
use std::fmt::Write as _;

/// A mark's short label in the chosen language.
pub fn mark_label(mark: Mark, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let s = match mark {
        Mark::Retransmission => if ko { "재전송" } else { "retransmission" },
        Mark::FastRetransmission => if ko { "빠른 재전송" } else { "fast retransmission" },
        Mark::SpuriousRetransmission => if ko { "불필요한 재전송" } else { "spurious retransmission" },
        Mark::OutOfOrder => if ko { "순서 어긋남" } else { "out-of-order" },
        Mark::LostSegment => if ko { "앞 세그먼트 유실" } else { "previous segment lost" },
        Mark::AckedUnseen => if ko { "못 본 세그먼트 ACK" } else { "ACKed unseen segment" },
        Mark::DupAck(n) => return if ko { format!("중복 ACK #{n}") } else { format!("dup ACK #{n}") },
        Mark::ZeroWindow => if ko { "윈도 0" } else { "zero window" },
        Mark::ZeroWindowProbe => if ko { "윈도 0 탐색" } else { "zero window probe" },
        Mark::ZeroWindowProbeAck => if ko { "윈도 0 탐색 ACK" } else { "zero window probe ACK" },
        Mark::WindowFull => if ko { "윈도 가득 참" } else { "window full" },
        Mark::WindowUpdate => if ko { "윈도 갱신" } else { "window update" },
        Mark::KeepAlive => if ko { "연결 유지(keep-alive)" } else { "keep-alive" },
        Mark::KeepAliveAck => if ko { "연결 유지 ACK" } else { "keep-alive ACK" },
        Mark::PortsReused => if ko { "포트 재사용" } else { "ports reused" },
        Mark::Rtt(ns) => return format!("RTT {}", fmt_ms(ns)),
    };
    s.to_owned()
}

/// A row's marks joined by commas.
pub fn marks_text(row: &Row, lang: Lang) -> String {
    row.marks.iter().map(|m| mark_label(*m, lang)).collect::<Vec<_>>().join(", ")
}

/// The header line: the time and frame captions and the two endpoints over the columns.
pub fn header(l: &Ladder, span: usize, lang: Lang) -> String {
    let (t, f, m) = if lang == Lang::Ko { ("시간(초)", "프레임", "표시") } else { ("time(s)", "frame", "marks") };
    let c = format!("{}:{}", l.client.0, l.client.1);
    let s = format!("{}:{}", l.server.0, l.server.1);
    let gap = span.saturating_sub(text_width(&c) + text_width(&s)).max(1);
    let tpad = 10usize.saturating_sub(text_width(t));
    let fpad = 7usize.saturating_sub(text_width(f));
    format!("{}{t} {}{f}  {c}{}{s}  {m}", " ".repeat(tpad), " ".repeat(fpad), " ".repeat(gap))
}

/// One row as text (without a trailing newline).
pub fn row_line(r: &Row, span: usize, lang: Lang) -> String {
    let marks = marks_text(r, lang);
    let line = format!("{:>10} {:>7}  {}", fmt_secs(r.rel_ns), r.frame, arrow(r.dir, &r.label(), span));
    if marks.is_empty() { line } else { format!("{line}  {marks}") }
}

/// The whole diagram as plain text, for a terminal `width` cells wide.
pub fn render_text(l: &Ladder, width: usize, lang: Lang) -> String {
    let span = span_for(width);
    let mut s = String::new();
    let title = if lang == Lang::Ko {
        format!("TCP 스트림 {} 래더 다이어그램: 세그먼트 {}개, 왼쪽이 클라이언트예요", l.stream, l.rows.len())
    } else {
        format!("TCP stream {} ladder diagram: {} segments, client on the left", l.stream, l.rows.len())
    };
    let _ = writeln!(s, "{title}");
    let _ = writeln!(s, "{}", header(l, span, lang));
    for r in &l.rows {
        let _ = writeln!(s, "{}", row_line(r, span, lang));
    }
    s
}
