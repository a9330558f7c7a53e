//! TCP conversation tracking and sequence analysis, a pure transition over segments in
//! frame order that reproduces tshark 4.0's `packet-tcp.c` (default preferences: relative
//! sequence numbers, analysis on, window scaling unknown until seen, bytes in flight
//! tracked).
//!
//! The order of the checks follows `tcp_analyze_sequence_number`: zero-window probe (which
//! ends the forward checks), zero window, lost segment, keep-alive, window update, window
//! full, keep-alive ACK and zero-window-probe ACK (both end the forward checks), duplicate
//! ACK; then ACKed-unseen-segment; then, for segments carrying data, SYN or FIN: spurious
//! retransmission, fast retransmission, out-of-order, and plain retransmission, first match
//! wins. Sequence comparisons wrap at 2^32 as tshark's `GT_SEQ`/`LT_SEQ` do.

use super::flags::Flags;
use std::net::IpAddr;

pub use crate::dissect::tcp::flag::{ACK, FIN, PSH, RST, SYN};

/// tshark stops remembering unacknowledged segments of a flow past this many.
const MAX_UNACKED_SEGMENTS: usize = 1000;

fn gt_seq(x: u32, y: u32) -> bool {
    (y.wrapping_sub(x) as i32) < 0
}
fn lt_seq(x: u32, y: u32) -> bool {
    (x.wrapping_sub(y) as i32) < 0
}
fn le_seq(x: u32, y: u32) -> bool {
    (x.wrapping_sub(y) as i32) <= 0
}

/// Addresses and ports of a packet, as the innermost network layer before it gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Endpoints {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub sport: u16,
    pub dport: u16,
}

impl Default for Endpoints {
    fn default() -> Self {
        let any = IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED);
        Endpoints { src: any, dst: any, sport: 0, dport: 0 }
    }
}

impl Endpoints {
    /// Which of the two flows of a conversation this packet belongs to, decided as tshark's
    /// `get_tcp_conversation_data` does: by comparing addresses, then ports.
    pub(crate) fn flow_index(&self) -> usize {
        let greater = match self.src.cmp(&self.dst) {
            std::cmp::Ordering::Equal => self.sport > self.dport,
            o => o == std::cmp::Ordering::Greater,
        };
        if greater { 0 } else { 1 }
    }

    /// The same conversation whichever way the packet goes.
    pub(crate) fn key(&self) -> ConvKey {
        let a = (self.src, self.sport);
        let b = (self.dst, self.dport);
        if a <= b { ConvKey { a, b } } else { ConvKey { a: b, b: a } }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ConvKey {
    a: (IpAddr, u16),
    b: (IpAddr, u16),
}

/// Up to four SACK blocks (left edge, right edge), absolute numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sack {
    pub len: u8,
    pub blocks: [(u32, u32); 4],
}

impl Sack {
    pub fn push(&mut self, left: u32, right: u32) {
        if (self.len as usize) < self.blocks.len() {
            self.blocks[self.len as usize] = (left, right);
            self.len += 1;
        }
    }
    fn delivered(&self) -> u32 {
        self.blocks[..self.len as usize]
            .iter()
            .fold(0u32, |acc, (l, r)| acc.wrapping_add(r.wrapping_sub(*l)))
    }
}

/// What the analysis needs of one TCP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpSegment {
    pub ends: Endpoints,
    pub seq: u32,
    pub ack: u32,
    /// The 12 flag bits (`tcp.flags`).
    pub flags: u16,
    /// `tcp.window_size_value`, as sent.
    pub window: u16,
    /// Payload length from the IP length (`tcp.len`); `None` when tshark cannot know it
    /// (header quoted in an ICMP error, or shorter than its own header length).
    pub seglen: Option<u32>,
    /// Window scale option shift, if the segment carries one.
    pub wscale: Option<u8>,
    pub sack: Sack,
    /// The header is quoted inside an ICMP/ICMPv6 error: it gets a stream but no analysis.
    pub in_error: bool,
}

/// Everything the analysis concluded about one TCP segment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TcpVerdict {
    pub stream: u32,
    /// The packet's own addresses and ports.
    pub ends: Endpoints,
    /// Quoted in an ICMP error (stream only, no analysis).
    pub in_error: bool,
    /// True when the segment goes from the conversation's first sender to its peer.
    pub from_initiator: bool,
    /// `tcp.seq`: relative to the flow's base (raw when the header is quoted in an error).
    pub seq: u32,
    /// `tcp.ack`: relative when the ACK bit is set, else the raw field.
    pub ack: u32,
    pub nxtseq: Option<u32>,
    pub seglen: Option<u32>,
    /// `tcp.window_size`: the advertised window scaled by the flow's factor.
    pub window: u32,
    /// `tcp.window_size_scalefactor`: -1 unknown, -2 no scaling, else the multiplier;
    /// `None` on SYN segments (tshark does not show it there).
    pub scalefactor: Option<i32>,
    pub flags: Flags,
    /// Whether tshark shows a SEQ/ACK analysis subtree (`tcp.analysis`) for the segment.
    pub has_analysis: bool,
    pub dupack_num: u32,
    pub dupack_frame: u64,
    pub acks_frame: Option<u64>,
    /// A plain retransmission's RTO (ns since the segment it repeats was sent) and that
    /// segment's frame: tshark's `tcp.analysis.rto` and `tcp.analysis.rto_frame`.
    pub rto: Option<(i64, u64)>,
    /// Nanoseconds.
    pub ack_rtt: Option<i64>,
    pub initial_rtt: Option<i64>,
    pub bytes_in_flight: Option<u32>,
    pub push_bytes_sent: Option<u32>,
    pub tcp_flags: u16,
    pub seq_raw: u32,
    pub ack_raw: u32,
    /// `tcp.time_relative` and `tcp.time_delta` (ns): since the conversation's first
    /// segment and since its previous one.
    pub time_relative: i64,
    pub time_delta: i64,
    /// On a FIN: whether it starts the close (its sender's peer had not sent a FIN yet) or
    /// answers one — tshark's "This frame initiates / undergoes the connection closing".
    pub fin_close: Option<FinClose>,
    /// `tcp.completeness` as tshark shows it on this segment: what the connection had shown
    /// before it (SYN 1, SYN-ACK 2, ACK 4, data 8, FIN 16, RST 32). None where unknown.
    pub completeness: Option<u8>,
}

/// Which side of the close a FIN is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinClose {
    /// Its sender closes first (or sends its FIN again before the peer's).
    Active,
    /// The peer had already sent its FIN.
    Passive,
}

#[derive(Clone, Copy, Debug)]
struct Unacked {
    frame: u64,
    seq: u32,
    nextseq: u32,
    ts: i64,
}

#[derive(Clone, Debug)]
struct Flow {
    base_seq: u32,
    base_set: bool,
    /// -1 unknown, -2 no scaling, else the shift.
    win_scale: i16,
    /// Last advertised window, unscaled (u32::MAX before any).
    window: u32,
    is_first_ack: bool,
    nextseq: u32,
    nextseqframe: u64,
    nextseqtime: i64,
    maxseqtobeacked: u32,
    lastack: u32,
    lastacktime: i64,
    lastnondupack: u64,
    /// Duplicate ACKs in a row; -1 after an "ACKed unseen segment" was flagged the other way.
    dupacknum: i32,
    /// Unacknowledged segments, oldest first.
    segments: Vec<Unacked>,
    valid_bif: bool,
    push_bytes_sent: u32,
    push_set_last: bool,
    lastsegmentflags: Flags,
    /// SACK blocks of this flow's latest segment.
    sack: Sack,
    /// This flow sent a FIN before its peer did (tshark's `closing_initiator`).
    closing_initiator: bool,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            base_seq: 0,
            base_set: false,
            win_scale: -1,
            window: u32::MAX,
            is_first_ack: false,
            nextseq: 0,
            nextseqframe: 0,
            nextseqtime: 0,
            maxseqtobeacked: 0,
            lastack: 0,
            lastacktime: 0,
            lastnondupack: 0,
            dupacknum: 0,
            segments: Vec::new(),
            valid_bif: true,
            push_bytes_sent: 0,
            push_set_last: false,
            lastsegmentflags: Flags::default(),
            sack: Sack::default(),
            closing_initiator: false,
        }
    }
}

#[derive(Clone, Debug)]
struct Conv {
    stream: u32,
    initiator: (IpAddr, u16),
    flows: [Flow; 2],
    ts_mru_syn: i64,
    ts_first_rtt: i64,
    /// Capture times (ns) of the conversation's first and latest segments.
    ts_first: i64,
    ts_prev: i64,
    /// tshark's conversation completeness bits so far.
    completeness: u8,
}

/// Per-frame scratch of tshark's `tcp_acked` record.
#[derive(Default)]
struct Acked {
    exists: bool,
    flags: Flags,
    dupack_num: u32,
    dupack_frame: u64,
    frame_acked: u64,
    rtt: i64,
    rto: i64,
    rto_frame: u64,
    bytes_in_flight: u32,
    push_bytes_sent: u32,
}

impl Acked {
    fn flag(&mut self, bit: u32) {
        self.exists = true;
        self.flags.set(bit);
    }
}

/// All TCP conversations seen so far.
#[derive(Default)]
pub struct TcpTracker {
    convs: Vec<Conv>,
    by_key: foldhash::HashMap<ConvKey, usize>,
}

/// tshark's conversation completeness after a segment: a new conversation counts only a pure
/// SYN (and its Fast Open data); later segments add SYN-ACK, data or a pure ACK, FIN-ACK, RST.
fn next_completeness(cur: u8, new_conv: bool, flags: u16, seglen: u32) -> u8 {
    const FIN_ACK: u16 = FIN | ACK;
    if new_conv {
        let mut c = 0;
        if flags & (SYN | ACK) == SYN {
            c |= 1;
            if seglen > 0 {
                c |= 8;
            }
        }
        return c;
    }
    let mut c = cur;
    match flags & (SYN | ACK) {
        x if x == SYN | ACK => c |= 2,
        ACK => c |= if seglen > 0 { 8 } else { 4 },
        _ => {}
    }
    if flags & FIN_ACK == FIN_ACK {
        c |= 16;
    }
    if flags & RST != 0 {
        c |= 32;
    }
    c
}

impl TcpTracker {
    /// Number of TCP streams seen (the next `tcp.stream` index).
    pub fn stream_count(&self) -> u32 {
        self.convs.len() as u32
    }

    fn new_conv(&mut self, seg: &TcpSegment, ts: i64) -> usize {
        let idx = self.convs.len();
        self.convs.push(Conv {
            stream: idx as u32,
            initiator: (seg.ends.src, seg.ends.sport),
            flows: [Flow::default(), Flow::default()],
            ts_mru_syn: 0,
            ts_first_rtt: 0,
            ts_first: ts,
            ts_prev: ts,
            completeness: 0,
        });
        self.by_key.insert(seg.ends.key(), idx);
        idx
    }

    /// Analyses one segment of frame `frame` captured at `ts` (nanoseconds since the epoch).
    pub fn process(&mut self, frame: u64, ts: i64, seg: &TcpSegment) -> TcpVerdict {
        let fwd = seg.ends.flow_index();
        let rev = 1 - fwd;
        let before = self.convs.len();
        let mut ci = match self.by_key.get(&seg.ends.key()) {
            Some(&i) => i,
            None => self.new_conv(seg, ts),
        };
        let mut ta = Acked::default();
        let syn_only = seg.flags & (SYN | ACK) == SYN;
        let syn_ack = seg.flags & (SYN | ACK) == SYN | ACK;
        {
            let f = &self.convs[ci].flows[fwd];
            if syn_only && f.base_set {
                // A SYN with the connection's own ISN is a retransmission, not a new session.
                if seg.seq != f.base_seq {
                    ci = self.new_conv(seg, ts);
                    ta.flag(Flags::REUSED_PORTS);
                } else {
                    let f = &mut self.convs[ci].flows[fwd];
                    f.nextseq = f.maxseqtobeacked;
                }
            } else if syn_ack && f.base_set && seg.seq != f.base_seq {
                self.convs[ci].flows[fwd].base_seq = seg.seq;
                ta.flag(Flags::REUSED_PORTS);
            }
        }
        let conv = &mut self.convs[ci];
        // tshark forgets the forward flow's SACK blocks before analysing the segment.
        conv.flows[fwd].sack = Sack::default();

        let mut v = TcpVerdict {
            stream: conv.stream,
            ends: seg.ends,
            in_error: seg.in_error,
            from_initiator: (seg.ends.src, seg.ends.sport) == conv.initiator,
            seq: seg.seq,
            ack: seg.ack,
            window: seg.window as u32,
            tcp_flags: seg.flags,
            seq_raw: seg.seq,
            ack_raw: seg.ack,
            time_relative: ts - conv.ts_first,
            time_delta: ts - conv.ts_prev,
            ..TcpVerdict::default()
        };
        conv.ts_prev = ts;
        if !seg.in_error {
            v.completeness = Some(conv.completeness);
            conv.completeness = next_completeness(conv.completeness, ci >= before, seg.flags, seg.seglen.unwrap_or(0));
        }

        match seg.seglen {
            Some(len) if !seg.in_error => {
                analyze_sequence_number(conv, fwd, frame, ts, seg, len, &mut ta);
                v.seq = seg.seq.wrapping_sub(conv.flows[fwd].base_seq);
                if seg.flags & ACK != 0 {
                    v.ack = seg.ack.wrapping_sub(conv.flows[rev].base_seq);
                }
                let ws = conv.flows[fwd].win_scale;
                if seg.flags & SYN == 0 && ws >= 0 {
                    v.window = (seg.window as u32) << ws.min(14);
                }
                let nxt = v.seq.wrapping_add(len);
                v.nxtseq = Some(if seg.flags & (SYN | FIN) != 0 { nxt.wrapping_add(1) } else { nxt });
                v.seglen = Some(len);
            }
            _ => {}
        }
        if seg.flags & SYN == 0 {
            let ws = conv.flows[fwd].win_scale;
            v.scalefactor = Some(if ws >= 0 { 1 << ws.min(14) } else { ws as i32 });
        }
        // A FIN starts the close unless the peer's FIN came first (tshark tracks this on every
        // segment with a readable header, whatever the analysis preferences).
        if seg.flags & FIN != 0 && seg.seglen.is_some() && !seg.in_error {
            v.fin_close = Some(if conv.flows[rev].closing_initiator {
                FinClose::Passive
            } else {
                conv.flows[fwd].closing_initiator = true;
                FinClose::Active
            });
        }

        if seg.flags & SYN != 0 {
            if seg.flags & ACK == 0 {
                conv.ts_mru_syn = ts;
            }
            conv.flows[fwd].is_first_ack = true;
        }
        if seg.flags & (SYN | ACK) == ACK {
            if conv.ts_mru_syn != 0 && conv.ts_first_rtt == 0 {
                conv.ts_first_rtt = ts - conv.ts_mru_syn;
            }
            conv.flows[fwd].is_first_ack = false;
        }

        if ta.exists {
            v.has_analysis = true;
            v.flags = ta.flags;
            if ta.rto != 0 {
                v.rto = Some((ta.rto, ta.rto_frame));
            }
            if ta.frame_acked != 0 {
                v.acks_frame = Some(ta.frame_acked);
                if ta.rtt != 0 {
                    v.ack_rtt = Some(ta.rtt);
                }
            }
            if conv.ts_first_rtt != 0 {
                v.initial_rtt = Some(conv.ts_first_rtt);
            }
            if ta.bytes_in_flight != 0 {
                v.bytes_in_flight = Some(ta.bytes_in_flight);
                v.push_bytes_sent = Some(ta.push_bytes_sent);
            }
            if ta.dupack_num != 0 && !ta.flags.is_empty() {
                v.dupack_num = ta.dupack_num;
                v.dupack_frame = ta.dupack_frame;
            }
        }

        if let Some(shift) = seg.wscale {
            conv.flows[fwd].win_scale = shift.min(14) as i16;
        }
        conv.flows[fwd].sack = seg.sack;
        if seg.flags & SYN != 0 {
            // verify_tcp_window_scaling
            if conv.flows[fwd].win_scale == -1 {
                conv.flows[fwd].win_scale = -2;
                conv.flows[rev].win_scale = -2;
            } else if seg.flags & ACK != 0 && conv.flows[rev].win_scale == -2 {
                conv.flows[fwd].win_scale = -2;
            }
        }
        v
    }
}

fn analyze_sequence_number(conv: &mut Conv, fwd: usize, frame: u64, ts: i64, seg: &TcpSegment, seglen: u32, ta: &mut Acked) {
    let (seq, ack, flags, window) = (seg.seq, seg.ack, seg.flags, seg.window as u32);
    let first_rtt = conv.ts_first_rtt;
    let [f0, f1] = &mut conv.flows;
    let (f, r) = if fwd == 0 { (f0, f1) } else { (f1, f0) };

    if !f.base_set {
        f.base_seq = if flags & SYN != 0 { seq } else { seq.wrapping_sub(1) };
        f.base_set = true;
    }
    if !r.base_set && flags & ACK != 0 {
        r.base_seq = ack.wrapping_sub(1);
        r.base_set = true;
    }
    if flags & ACK != 0 {
        r.valid_bif = true;
    }

    'fwd: {
        if seglen == 1 && seq == f.nextseq && r.window == 0 {
            ta.flag(Flags::ZERO_WINDOW_PROBE);
            break 'fwd;
        }
        if window == 0 && flags & (RST | FIN | SYN) == 0 {
            ta.flag(Flags::ZERO_WINDOW);
        }
        if f.nextseq != 0 && gt_seq(seq, f.nextseq) && flags & RST == 0 {
            ta.flag(Flags::LOST_SEGMENT);
            f.valid_bif = false;
        }
        let plain = flags & (SYN | FIN | RST) == 0;
        if (seglen == 0 || seglen == 1) && seq == f.nextseq.wrapping_sub(1) && plain {
            ta.flag(Flags::KEEP_ALIVE);
        }
        let same_pos = seglen == 0 && seq == f.nextseq && ack == f.lastack && plain;
        if same_pos && window != 0 && window != f.window {
            ta.flag(Flags::WINDOW_UPDATE);
        }
        if seglen > 0 && r.win_scale != -1 && plain {
            let shift = if r.is_first_ack || r.win_scale == -2 { 0 } else { r.win_scale.min(14) as u32 };
            let edge = r.lastack.wrapping_add(r.window.wrapping_shl(shift));
            if seq.wrapping_add(seglen) == edge {
                ta.flag(Flags::WINDOW_FULL);
            }
        }
        if same_pos && window != 0 && window == f.window && r.lastsegmentflags.has(Flags::KEEP_ALIVE) {
            ta.flag(Flags::KEEP_ALIVE_ACK);
            break 'fwd;
        }
        if same_pos && window == 0 && window == f.window && r.lastsegmentflags.has(Flags::ZERO_WINDOW_PROBE) {
            ta.flag(Flags::ZERO_WINDOW_PROBE_ACK);
            break 'fwd;
        }
        if same_pos && window != 0 && window == f.window {
            // After -1 (an ACKed-unseen mark) the count starts again at 1.
            f.dupacknum = if f.dupacknum == -1 { 1 } else { f.dupacknum.saturating_add(1) };
            ta.flag(Flags::DUPLICATE_ACK);
            ta.dupack_num = f.dupacknum.max(0) as u32;
            ta.dupack_frame = f.lastnondupack;
        }
    }

    if ack != f.lastack {
        f.lastnondupack = frame;
        f.dupacknum = 0;
    }

    // tshark 4.0.17: an ACK beyond everything seen the other way flags the gap. When the
    // other way has sent more since the mark was set, the mark moves up to it; when it has
    // not (that way is stalled), only the first such ACK is flagged: the other way's
    // duplicate-ACK count, set to -1, remembers it.
    if r.maxseqtobeacked != 0 && gt_seq(ack, r.maxseqtobeacked) && flags & ACK != 0 {
        ta.exists = true;
        if r.maxseqtobeacked < r.nextseq {
            r.maxseqtobeacked = r.nextseq;
            ta.flag(Flags::ACK_LOST_SEGMENT);
        } else {
            if r.dupacknum == 0 {
                ta.flag(Flags::ACK_LOST_SEGMENT);
            }
            r.dupacknum = -1;
        }
    }

    if (seglen > 0 || flags & (SYN | FIN) != 0) && !ta.flags.has(Flags::KEEP_ALIVE) {
        classify_repeat(first_rtt, f, r, seq, seglen, flags, ts, ta);
    }

    let mut nextseq = seq.wrapping_add(seglen);
    if (seglen != 0 || flags & (SYN | FIN) != 0) && f.segments.len() < MAX_UNACKED_SEGMENTS {
        if flags & (SYN | FIN) != 0 {
            nextseq = nextseq.wrapping_add(1);
        }
        f.segments.push(Unacked { frame, seq, nextseq, ts });
    }
    let zwp = ta.flags.has(Flags::ZERO_WINDOW_PROBE);
    if (gt_seq(nextseq, f.nextseq) || f.nextseq == 0) && !zwp {
        f.nextseq = nextseq;
        f.nextseqframe = frame;
        f.nextseqtime = ts;
    }
    if (seq == f.maxseqtobeacked || f.maxseqtobeacked == 0) && !zwp {
        f.maxseqtobeacked = f.nextseq;
    }
    f.window = window;
    f.lastack = ack;
    f.lastacktime = ts;
    f.lastsegmentflags = if ta.exists { ta.flags } else { Flags::default() };

    // Drop what this ACK covers in the other direction; the oldest exact match gives the RTT.
    let mut acked: Option<(u64, i64)> = None;
    r.segments.retain_mut(|u| {
        if ack == u.nextseq {
            if acked.is_none() {
                acked = Some((u.frame, ts - u.ts));
            }
            false
        } else if gt_seq(ack, u.seq) && le_seq(ack, u.nextseq) {
            u.seq = ack;
            true
        } else {
            gt_seq(u.nextseq, ack)
        }
    });
    if let Some((fr, rtt)) = acked {
        ta.exists = true;
        ta.frame_acked = fr;
        ta.rtt = rtt;
    }

    if seglen != 0 && f.valid_bif
        && let Some(first) = f.segments.first() {
            let base = f.base_seq;
            let (mut lo, mut hi) = (first.seq.wrapping_sub(base), first.nextseq.wrapping_sub(base));
            for u in &f.segments {
                hi = hi.max(u.nextseq.wrapping_sub(base));
                lo = lo.min(u.seq.wrapping_sub(base));
            }
            let in_flight = hi.wrapping_sub(lo).wrapping_sub(r.sack.delivered());
            if in_flight > 0 && in_flight < 2_000_000_000 {
                ta.exists = true;
                ta.bytes_in_flight = in_flight;
                if flags & (SYN | FIN) != 0 {
                    ta.bytes_in_flight -= 1;
                }
            }
            let push = flags & PSH != 0;
            if push || f.push_set_last {
                f.push_bytes_sent = if push && !f.push_set_last { f.push_bytes_sent.wrapping_add(seglen) } else { seglen };
            } else {
                f.push_bytes_sent = f.push_bytes_sent.wrapping_add(seglen);
            }
            f.push_set_last = push;
            ta.exists = true;
            ta.push_bytes_sent = f.push_bytes_sent;
        }
}

/// Decides whether a segment that carries data (or SYN/FIN) repeats earlier sequence space,
/// and how: spurious, fast, out-of-order or plain retransmission. `first_rtt` (the handshake
/// RTT, 0 if unknown) bounds how late an out-of-order segment may come; 3 ms without it.
#[allow(clippy::too_many_arguments)]
fn classify_repeat(first_rtt: i64, f: &Flow, r: &Flow, seq: u32, seglen: u32, flags: u16, ts: i64, ta: &mut Acked) {
    let mut seq_not_advanced = f.nextseq != 0 && lt_seq(seq, f.nextseq);
    if seglen > 1 && f.nextseq.wrapping_sub(1) == seq {
        seq_not_advanced = false;
    }
    if seglen > 0 && r.lastack != 0 && le_seq(seq.wrapping_add(seglen), r.lastack) {
        ta.flag(Flags::SPURIOUS_RETRANSMISSION);
        return;
    }
    let since_dupack = ts - r.lastacktime;
    if seq_not_advanced && r.dupacknum >= 2 && r.lastack == seq && (0..20_000_000).contains(&since_dupack) {
        ta.flag(Flags::FAST_RETRANSMISSION);
        return;
    }
    let since_nextseq = ts - f.nextseqtime;
    let ooo_thres = if first_rtt == 0 { 3_000_000 } else { first_rtt };
    let syn_fin = if flags & (SYN | FIN) != 0 { 1 } else { 0 };
    if seq_not_advanced
        && (0..ooo_thres).contains(&since_nextseq)
        && f.nextseq != seq.wrapping_add(seglen).wrapping_add(syn_fin)
    {
        ta.flag(Flags::OUT_OF_ORDER);
        return;
    }
    if seq_not_advanced {
        ta.flag(Flags::RETRANSMISSION);
        // The RTO: since the flow's latest new data at worst, better since the eldest
        // segment not yet acknowledged, as tshark takes it ("likely to be the one retransmitted
        // here": not always the one whose bytes this repeats).
        ta.rto = ts - f.nextseqtime;
        ta.rto_frame = f.nextseqframe;
        if let Some(u) = f.segments.first() {
            ta.rto = ts - u.ts;
            ta.rto_frame = u.frame;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn seg(from_client: bool, seq: u32, ack: u32, flags: u16) -> TcpSegment {
        let (c, s) = (IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)));
        let ends = if from_client { Endpoints { src: c, dst: s, sport: 40000, dport: 80 } } else { Endpoints { src: s, dst: c, sport: 80, dport: 40000 } };
        TcpSegment { ends, seq, ack, flags, window: 1000, seglen: Some(0), wscale: None, sack: Sack::default(), in_error: false }
    }

    #[test]
    fn the_first_fin_initiates_the_close_and_the_answer_undergoes_it() {
        let mut t = TcpTracker::default();
        let closes = |t: &mut TcpTracker, segs: &[(bool, u32, u32, u16)]| -> Vec<Option<FinClose>> {
            segs.iter().enumerate().map(|(i, &(c, s, a, f))| t.process(i as u64 + 1, i as i64, &seg(c, s, a, f)).fin_close).collect()
        };
        let got = closes(
            &mut t,
            &[
                (true, 100, 0, SYN),
                (false, 500, 101, SYN | ACK),
                (true, 101, 501, ACK),
                (false, 501, 101, FIN | ACK),
                (false, 501, 101, FIN | ACK), // the server's FIN again: still the active side
                (true, 101, 502, FIN | ACK),
                (true, 102, 502, ACK),
            ],
        );
        use FinClose::{Active, Passive};
        assert_eq!(got, [None, None, None, Some(Active), Some(Active), Some(Passive), None]);
        // Simultaneous close on a new connection (port reuse starts a new stream): the first
        // FIN captured is the active one.
        let got = closes(&mut t, &[(true, 9000, 0, SYN), (false, 7000, 9001, SYN | ACK), (true, 9001, 7001, FIN | ACK), (false, 7001, 9001, FIN | ACK)]);
        assert_eq!(got, [None, None, Some(Active), Some(Passive)]);
    }
}
