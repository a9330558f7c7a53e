//! The ladder (sequence) diagram of one TCP connection: the client and the server as two
//! columns and one arrow per segment, with its flags, relative numbers, length, window and
//! what the sequence analysis concluded about it — the picture every TCP textbook draws.
//!
//! [`LadderBuilder`] takes the analysis verdicts of a stream in frame order (from the CLI's
//! frame loop, the TUI's stored verdicts or a [`crate::pipeline::Sequence`]); the explanation crate's
//! `ladder::render_text` draws the plain-text picture:
//!
//! ```text
//!  time(s)  frame  10.77.0.1:40000                 10.77.0.2:8080
//!  0.000000     1  ├──────── SYN Seq=0 Len=0 ─────────▶┤
//!  0.000031     2  ├◀─── SYN, ACK Seq=0 Ack=1 Len=0 ───┤
//! ```

use super::analyzer::TransportVerdict;
use super::flags::Flags;
use super::tcp::{ACK, FIN, PSH, RST, SYN, TcpVerdict};
use std::fmt::Write as _;
use std::net::IpAddr;

/// Which way a segment goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// Client → server (left to right).
    ToServer,
    /// Server → client (right to left).
    ToClient,
}

/// One thing the analysis said about a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Retransmission,
    FastRetransmission,
    SpuriousRetransmission,
    OutOfOrder,
    /// Segments before this one were not captured (lost).
    LostSegment,
    AckedUnseen,
    /// Duplicate ACK number n.
    DupAck(u32),
    ZeroWindow,
    ZeroWindowProbe,
    ZeroWindowProbeAck,
    WindowFull,
    WindowUpdate,
    KeepAlive,
    KeepAliveAck,
    PortsReused,
    /// This segment ACKs data, `tcp.analysis.ack_rtt` nanoseconds after it was sent.
    Rtt(i64),
}

impl Mark {
    /// Whether the mark reports trouble (drawn in a warning color).
    pub fn is_problem(self) -> bool {
        matches!(
            self,
            Mark::Retransmission
                | Mark::FastRetransmission
                | Mark::SpuriousRetransmission
                | Mark::OutOfOrder
                | Mark::LostSegment
                | Mark::AckedUnseen
                | Mark::DupAck(_)
                | Mark::ZeroWindow
                | Mark::WindowFull
        )
    }
}

/// Milliseconds with three decimals (`0.052ms`).
pub fn fmt_ms(ns: i64) -> String {
    format!("{:.3}ms", ns as f64 / 1e6)
}

/// One segment of the diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub frame: u64,
    /// Nanoseconds since the stream's first segment.
    pub rel_ns: i64,
    pub dir: Dir,
    /// `tcp.flags` (12 bits).
    pub tcp_flags: u16,
    /// Relative `tcp.seq` / `tcp.ack`.
    pub seq: u32,
    pub ack: u32,
    pub len: u32,
    /// Calculated window (`tcp.window_size`).
    pub window: u32,
    pub marks: Vec<Mark>,
}

impl Row {
    /// `SYN, ACK` as Wireshark writes the flags in Info.
    pub fn flag_names(&self) -> String {
        flag_names(self.tcp_flags)
    }

    /// The label drawn on the arrow: `SYN, ACK Seq=0 Ack=1 Len=0`.
    pub fn label(&self) -> String {
        let mut s = self.flag_names();
        let _ = write!(s, " Seq={}", self.seq);
        if self.tcp_flags & ACK != 0 {
            let _ = write!(s, " Ack={}", self.ack);
        }
        let _ = write!(s, " Len={}", self.len);
        s
    }

    pub fn has(&self, m: Mark) -> bool {
        self.marks.contains(&m)
    }
}

/// `tcp.flags` as the Info column names them (`FIN, PSH, ACK`).
pub fn flag_names(flags: u16) -> String {
    const NAMES: [(u16, &str); 9] = [
        (FIN, "FIN"),
        (SYN, "SYN"),
        (RST, "RST"),
        (PSH, "PSH"),
        (ACK, "ACK"),
        (0x020, "URG"),
        (0x040, "ECE"),
        (0x080, "CWR"),
        (0x100, "AE"),
    ];
    let v: Vec<&str> = NAMES.iter().filter(|(b, _)| flags & b != 0).map(|(_, n)| *n).collect();
    if v.is_empty() { "<None>".to_owned() } else { v.join(", ") }
}

/// The diagram of one stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Ladder {
    pub stream: u32,
    /// The SYN sender (else the first sender) and its peer.
    pub client: (IpAddr, u16),
    pub server: (IpAddr, u16),
    /// Capture time of the stream's first segment, nanoseconds since the epoch.
    pub start_ts: i64,
    pub rows: Vec<Row>,
}

/// Collects the rows of one stream from verdicts in frame order.
#[derive(Clone, Debug)]
pub struct LadderBuilder {
    stream: u32,
    start_ts: Option<i64>,
    /// First sender, and the sender of the first SYN without ACK.
    first: Option<((IpAddr, u16), (IpAddr, u16))>,
    syn_from: Option<((IpAddr, u16), (IpAddr, u16))>,
    /// Rows with the sender of each, the direction decided in `finish`.
    rows: Vec<(Row, (IpAddr, u16))>,
}

fn marks_of(v: &TcpVerdict) -> Vec<Mark> {
    let f: Flags = v.flags;
    let mut m = Vec::new();
    let table = [
        (Flags::REUSED_PORTS, Mark::PortsReused),
        (Flags::LOST_SEGMENT, Mark::LostSegment),
        (Flags::SPURIOUS_RETRANSMISSION, Mark::SpuriousRetransmission),
        (Flags::FAST_RETRANSMISSION, Mark::FastRetransmission),
        (Flags::RETRANSMISSION, Mark::Retransmission),
        (Flags::OUT_OF_ORDER, Mark::OutOfOrder),
        (Flags::ACK_LOST_SEGMENT, Mark::AckedUnseen),
        (Flags::ZERO_WINDOW, Mark::ZeroWindow),
        (Flags::ZERO_WINDOW_PROBE, Mark::ZeroWindowProbe),
        (Flags::ZERO_WINDOW_PROBE_ACK, Mark::ZeroWindowProbeAck),
        (Flags::WINDOW_FULL, Mark::WindowFull),
        (Flags::WINDOW_UPDATE, Mark::WindowUpdate),
        (Flags::KEEP_ALIVE, Mark::KeepAlive),
        (Flags::KEEP_ALIVE_ACK, Mark::KeepAliveAck),
    ];
    for (bit, mark) in table {
        if f.has(bit) {
            m.push(mark);
        }
    }
    if f.has(Flags::DUPLICATE_ACK) {
        m.push(Mark::DupAck(v.dupack_num));
    }
    if let Some(rtt) = v.ack_rtt {
        m.push(Mark::Rtt(rtt));
    }
    m
}

impl LadderBuilder {
    pub fn new(stream: u32) -> Self {
        LadderBuilder { stream, start_ts: None, first: None, syn_from: None, rows: Vec::new() }
    }

    /// Adds a segment if it belongs to the stream (headers quoted in ICMP errors are skipped).
    pub fn push(&mut self, frame: u64, ts: i64, v: &TcpVerdict) {
        if v.stream != self.stream || v.in_error {
            return;
        }
        let src = (v.ends.src, v.ends.sport);
        let dst = (v.ends.dst, v.ends.dport);
        let start = *self.start_ts.get_or_insert(ts);
        self.first.get_or_insert((src, dst));
        if v.tcp_flags & (SYN | ACK) == SYN && self.syn_from.is_none() {
            self.syn_from = Some((src, dst));
        }
        let row = Row {
            frame,
            rel_ns: ts.saturating_sub(start),
            dir: Dir::ToServer,
            tcp_flags: v.tcp_flags,
            seq: v.seq,
            ack: v.ack,
            len: v.seglen.unwrap_or(0),
            window: v.window,
            marks: marks_of(v),
        };
        self.rows.push((row, src));
    }

    /// Adds every TCP layer of a frame's analysis that belongs to the stream.
    pub fn push_frame(&mut self, fa: &super::FrameAnalysis) {
        for (_, v) in &fa.layers {
            if let TransportVerdict::Tcp(t) = v {
                self.push(fa.frame, fa.ts, t);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The diagram; None when no segment of the stream was seen.
    pub fn finish(self) -> Option<Ladder> {
        let (client, server) = self.syn_from.or(self.first)?;
        let rows = self
            .rows
            .into_iter()
            .map(|(mut r, src)| {
                r.dir = if src == client { Dir::ToServer } else { Dir::ToClient };
                r
            })
            .collect();
        Some(Ladder { stream: self.stream, client, server, start_ts: self.start_ts.unwrap_or(0), rows })
    }
}

impl Ladder {
    /// Frame numbers with a given mark.
    pub fn frames_with(&self, pred: impl Fn(&Mark) -> bool) -> Vec<u64> {
        self.rows.iter().filter(|r| r.marks.iter().any(&pred)).map(|r| r.frame).collect()
    }
}

/// Display width of a string in terminal cells (CJK wide characters count two).
pub fn text_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let c = c as u32;
    let wide = (0x1100..=0x115F).contains(&c)
        || (0x2E80..=0xA4CF).contains(&c)
        || (0xAC00..=0xD7A3).contains(&c)
        || (0xF900..=0xFAFF).contains(&c)
        || (0xFE30..=0xFE4F).contains(&c)
        || (0xFF00..=0xFF60).contains(&c)
        || (0xFFE0..=0xFFE6).contains(&c);
    if wide { 2 } else { 1 }
}

/// Cuts `s` to at most `w` cells, ending with `…` when cut.
pub fn truncate(s: &str, w: usize) -> String {
    if text_width(s) <= w {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    if w > 0 {
        out.push('…');
    }
    out
}

/// Seconds with six decimals (`0.000105`).
pub fn fmt_secs(ns: i64) -> String {
    let neg = ns < 0;
    let n = ns.unsigned_abs();
    format!("{}{}.{:06}", if neg { "-" } else { "" }, n / 1_000_000_000, (n % 1_000_000_000) / 1000)
}

/// Width of the time and frame columns before the arrow: `{:>10} {:>7}  `.
pub const LEAD: usize = 10 + 1 + 7 + 2;

/// The arrow of one row, exactly `span` cells wide: `├──── label ────▶┤` or `├◀──── label ────┤`.
pub fn arrow(dir: Dir, label: &str, span: usize) -> String {
    let span = span.max(8);
    // Two end caps and the head take three cells; the label gets a space on each side.
    let room = span - 3;
    let label = truncate(label, room.saturating_sub(4));
    let lw = text_width(&label) + 2;
    let dashes = room.saturating_sub(lw);
    let left = dashes / 2;
    let right = dashes - left;
    let body = format!("{} {label} {}", "─".repeat(left), "─".repeat(right));
    match dir {
        Dir::ToServer => format!("├{body}▶┤"),
        Dir::ToClient => format!("├◀{body}┤"),
    }
}

/// How wide the arrow is for a total width `width` (the marks get what is left, at least 24).
pub fn span_for(width: usize) -> usize {
    width.saturating_sub(LEAD + 24).clamp(24, 64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::CaptureFile;
    use std::path::Path;

    /// Stream `stream` of a committed capture, every frame analysed in order.
    fn from_capture(name: &str, stream: u32) -> Option<Ladder> {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../captures").join(name);
        let f = CaptureFile::open(&p).expect("capture opens");
        let mut seq = crate::pipeline::Sequence::new(true);
        let mut b = LadderBuilder::new(stream);
        for rec in f.records() {
            seq.push(&rec.expect("record"));
            b.push_frame(seq.analysis().expect("analysed"));
        }
        b.finish()
    }

    fn ladder(name: &str, stream: u32) -> Ladder {
        from_capture(name, stream).expect("stream exists")
    }

    #[test]
    fn handshake_starts_with_the_three_way_handshake() {
        let l = ladder("handshake.pcap", 0);
        assert_eq!(l.rows.len(), 14);
        let r: Vec<(Dir, String)> = l.rows.iter().take(3).map(|r| (r.dir, r.label())).collect();
        assert_eq!(
            r,
            vec![
                (Dir::ToServer, "SYN Seq=0 Len=0".to_owned()),
                (Dir::ToClient, "SYN, ACK Seq=0 Ack=1 Len=0".to_owned()),
                (Dir::ToServer, "ACK Seq=1 Ack=1 Len=0".to_owned()),
            ]
        );
        assert_ne!(l.client.1, 8080);
        assert_eq!(l.server.1, 8080);
        // The SYN/ACK carries the handshake's RTT sample.
        assert!(l.rows[1].marks.iter().any(|m| matches!(m, Mark::Rtt(ns) if *ns > 0)));
    }

    #[test]
    fn arrows_keep_their_width_and_direction() {
        for span in [8, 24, 40] {
            let a = arrow(Dir::ToServer, "SYN, ACK Seq=0 Ack=1 Len=0", span);
            assert_eq!(text_width(&a), span, "{a}");
            assert!(a.starts_with('├') && a.ends_with("▶┤"));
            let b = arrow(Dir::ToClient, "재전송 라벨", span);
            assert_eq!(text_width(&b), span, "{b}");
            assert!(b.starts_with("├◀") && b.ends_with('┤'));
        }
    }

    #[test]
    fn missing_stream_is_none() {
        assert_eq!(from_capture("handshake.pcap", 99), None);
    }
}
