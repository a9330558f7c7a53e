//! Compact storage of the TCP/UDP analysis of every frame.
//!
//! Why store it: `tcp.stream`, relative sequence numbers and the `tcp.analysis.*` flags of a
//! frame depend on every frame before it, so they cannot be computed for one visible frame on
//! its own. The background analysis pass runs [`crate::analysis::Analyzer`] over the whole
//! capture once, in order, and keeps each verdict here in 72 bytes ([`Compact`]) instead of
//! the analyzer's ~200-byte [`TcpVerdict`]: the endpoints, raw numbers and flags are *not*
//! stored, because they are in the frame itself and come back when the frame is dissected
//! again. [`Verdicts::frame_analysis`] rebuilds the full [`FrameAnalysis`] for the frame on
//! screen, so [`crate::analysis::annotate()`] adds exactly what the CLI adds.

use crate::analysis::analyzer::{FrameAnalysis, Transport, TransportVerdict};
use crate::analysis::{Flags, TcpVerdict, UdpVerdict};
use crate::dissect::Dissection;

const TCP: u8 = 1;
const UDP: u8 = 2;

const B_FROM_INITIATOR: u16 = 1;
const B_HAS_ANALYSIS: u16 = 2;
const B_NXTSEQ: u16 = 4;
const B_SEGLEN: u16 = 8;
const B_SCALE: u16 = 16;
const B_ACKS: u16 = 32;
const B_ACK_RTT: u16 = 64;
const B_INIT_RTT: u16 = 128;
const B_BIF: u16 = 256;
const B_PUSH: u16 = 512;

/// One transport layer's verdict, without what the frame itself says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Compact {
    /// Index into `Dissection::layers`.
    layer: u8,
    kind: u8,
    bits: u16,
    stream: u32,
    seq: u32,
    ack: u32,
    nxtseq: u32,
    seglen: u32,
    window: u32,
    scalefactor: i32,
    flags: u32,
    dupack_num: u32,
    dupack_frame: u32,
    acks_frame: u32,
    bif: u32,
    push: u32,
    ack_rtt: i64,
    initial_rtt: i64,
}

/// The verdicts of frames 1..=n, in order: `start[i]..start[i+1]` index `items` for frame i+1.
#[derive(Clone, Debug, Default)]
pub struct Verdicts {
    start: Vec<u32>,
    items: Vec<Compact>,
    /// Per item: `tcp.time_delta` / `udp.time_delta` in nanoseconds.
    deltas: Vec<i64>,
    /// Per TCP stream: the capture time (ns) of its first segment, for `tcp.time_relative`.
    stream_first: Vec<i64>,
    /// Per UDP stream: the same for `udp.time_relative`.
    udp_first: Vec<i64>,
}

/// Records the first time of `stream` in `firsts` if it is new.
fn note_first(firsts: &mut Vec<i64>, stream: u32, first: i64) {
    let s = stream as usize;
    if s >= firsts.len() {
        firsts.resize(s + 1, 0);
        firsts[s] = first;
    }
}

impl Verdicts {
    /// How many frames have been recorded.
    pub fn frames(&self) -> usize {
        self.start.len()
    }

    /// Bytes of heap used (for the memory budget).
    pub fn heap_bytes(&self) -> usize {
        self.start.capacity() * 4 + self.items.capacity() * std::mem::size_of::<Compact>() + (self.deltas.capacity() + self.stream_first.capacity() + self.udp_first.capacity()) * 8
    }

    /// Records the next frame's analysis.
    pub fn push(&mut self, fa: &FrameAnalysis) {
        self.start.push(self.items.len() as u32);
        for (layer, v) in &fa.layers {
            let layer = u8::try_from(*layer).unwrap_or(u8::MAX);
            self.deltas.push(match v {
                TransportVerdict::Tcp(t) => {
                    note_first(&mut self.stream_first, t.stream, fa.ts - t.time_relative);
                    t.time_delta
                }
                TransportVerdict::Udp(u) => {
                    note_first(&mut self.udp_first, u.stream, fa.ts - u.time_relative);
                    u.time_delta
                }
            });
            self.items.push(match v {
                TransportVerdict::Tcp(t) => compact_tcp(layer, t),
                TransportVerdict::Udp(u) => Compact {
                    layer,
                    kind: UDP,
                    bits: if u.from_initiator { B_FROM_INITIATOR } else { 0 },
                    stream: u.stream,
                    ..Compact::default()
                },
            });
        }
    }

    /// Appends a batch recorded for the frames that follow.
    pub fn append(&mut self, other: Verdicts) {
        let base = self.items.len() as u32;
        self.start.extend(other.start.iter().map(|s| s + base));
        self.items.extend(other.items);
        self.deltas.extend(other.deltas);
        for (s, first) in other.stream_first.into_iter().enumerate() {
            if s >= self.stream_first.len() {
                self.stream_first.push(first);
            }
        }
        for (s, first) in other.udp_first.into_iter().enumerate() {
            if s >= self.udp_first.len() {
                self.udp_first.push(first);
            }
        }
    }

    /// The index in `items` of frame `number`'s first item.
    fn item_start(&self, number: u64) -> usize {
        let i = usize::try_from(number).ok().and_then(|n| n.checked_sub(1));
        i.and_then(|i| self.start.get(i)).map(|&s| s as usize).unwrap_or(0)
    }

    fn items_of(&self, number: u64) -> &[Compact] {
        let Some(i) = usize::try_from(number).ok().and_then(|n| n.checked_sub(1)) else { return &[] };
        let Some(&s) = self.start.get(i) else { return &[] };
        let e = self.start.get(i + 1).copied().unwrap_or(self.items.len() as u32);
        self.items.get(s as usize..e as usize).unwrap_or(&[])
    }

    /// The `tcp.stream` of frame `number`'s first TCP layer, if analysed.
    pub fn tcp_stream(&self, number: u64) -> Option<u32> {
        self.items_of(number).iter().find(|c| c.kind == TCP).map(|c| c.stream)
    }

    /// The `udp.stream` of frame `number`'s first UDP layer, if analysed.
    pub fn udp_stream(&self, number: u64) -> Option<u32> {
        self.items_of(number).iter().find(|c| c.kind == UDP).map(|c| c.stream)
    }

    /// Rebuilds the frame's full analysis from its compact verdicts and its fresh dissection
    /// `d`; `ts` is its capture time in nanoseconds. None when the analysis pass has not reached the frame yet.
    pub fn frame_analysis(&self, number: u64, ts: i64, d: &Dissection) -> Option<FrameAnalysis> {
        if number == 0 || number as usize > self.frames() {
            return None;
        }
        let transports = super::store::transports(d);
        let mut layers = Vec::new();
        let base = self.item_start(number);
        for (k, c) in self.items_of(number).iter().enumerate() {
            let Some((_, t)) = transports.iter().find(|(l, _)| *l == c.layer as usize) else { continue };
            let v = match (c.kind, t) {
                (TCP, Transport::Tcp(seg)) => TransportVerdict::Tcp(TcpVerdict {
                    stream: c.stream,
                    ends: seg.ends,
                    in_error: seg.in_error,
                    from_initiator: c.bits & B_FROM_INITIATOR != 0,
                    seq: c.seq,
                    ack: c.ack,
                    nxtseq: opt(c.bits, B_NXTSEQ, c.nxtseq),
                    seglen: opt(c.bits, B_SEGLEN, c.seglen),
                    window: c.window,
                    scalefactor: opt(c.bits, B_SCALE, c.scalefactor),
                    flags: Flags(c.flags),
                    has_analysis: c.bits & B_HAS_ANALYSIS != 0,
                    dupack_num: c.dupack_num,
                    dupack_frame: u64::from(c.dupack_frame),
                    acks_frame: opt(c.bits, B_ACKS, u64::from(c.acks_frame)),
                    ack_rtt: opt(c.bits, B_ACK_RTT, c.ack_rtt),
                    initial_rtt: opt(c.bits, B_INIT_RTT, c.initial_rtt),
                    bytes_in_flight: opt(c.bits, B_BIF, c.bif),
                    push_bytes_sent: opt(c.bits, B_PUSH, c.push),
                    tcp_flags: seg.flags,
                    seq_raw: seg.seq,
                    ack_raw: seg.ack,
                    time_relative: ts - self.stream_first.get(c.stream as usize).copied().unwrap_or(ts),
                    time_delta: self.deltas.get(base + k).copied().unwrap_or(0),
                }),
                (UDP, Transport::Udp(dg)) => TransportVerdict::Udp(UdpVerdict {
                    stream: c.stream,
                    ends: dg.ends,
                    length: dg.length,
                    in_error: dg.in_error,
                    from_initiator: c.bits & B_FROM_INITIATOR != 0,
                    timed: !dg.in_error && dg.length > 8,
                    time_relative: ts - self.udp_first.get(c.stream as usize).copied().unwrap_or(ts),
                    time_delta: self.deltas.get(base + k).copied().unwrap_or(0),
                }),
                _ => continue,
            };
            layers.push((c.layer as usize, v));
        }
        Some(FrameAnalysis { frame: number, ts, layers })
    }
}

fn opt<T>(bits: u16, bit: u16, v: T) -> Option<T> {
    (bits & bit != 0).then_some(v)
}

fn compact_tcp(layer: u8, t: &TcpVerdict) -> Compact {
    let mut bits = 0;
    let mut set = |cond: bool, b: u16| {
        if cond {
            bits |= b;
        }
    };
    set(t.from_initiator, B_FROM_INITIATOR);
    set(t.has_analysis, B_HAS_ANALYSIS);
    set(t.nxtseq.is_some(), B_NXTSEQ);
    set(t.seglen.is_some(), B_SEGLEN);
    set(t.scalefactor.is_some(), B_SCALE);
    set(t.acks_frame.is_some(), B_ACKS);
    set(t.ack_rtt.is_some(), B_ACK_RTT);
    set(t.initial_rtt.is_some(), B_INIT_RTT);
    set(t.bytes_in_flight.is_some(), B_BIF);
    set(t.push_bytes_sent.is_some(), B_PUSH);
    Compact {
        layer,
        kind: TCP,
        bits,
        stream: t.stream,
        seq: t.seq,
        ack: t.ack,
        nxtseq: t.nxtseq.unwrap_or(0),
        seglen: t.seglen.unwrap_or(0),
        window: t.window,
        scalefactor: t.scalefactor.unwrap_or(0),
        flags: t.flags.0,
        dupack_num: t.dupack_num,
        dupack_frame: u32::try_from(t.dupack_frame).unwrap_or(u32::MAX),
        acks_frame: t.acks_frame.and_then(|f| u32::try_from(f).ok()).unwrap_or(0),
        bif: t.bytes_in_flight.unwrap_or(0),
        push: t.push_bytes_sent.unwrap_or(0),
        ack_rtt: t.ack_rtt.unwrap_or(0),
        initial_rtt: t.initial_rtt.unwrap_or(0),
    }
}
