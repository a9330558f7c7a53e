//! Compact storage of the TCP/UDP analysis of every frame.
//!
//! Why store it: `tcp.stream`, relative sequence numbers and the `tcp.analysis.*` flags of a
//! frame depend on every frame before it, so they cannot be computed for one visible frame on
//! its own. The background analysis pass runs [`crate::analysis::Analyzer`] over the whole
//! capture once, in order, and keeps each verdict here as a few variable-length integers
//! (about 20 bytes for a TCP segment, 6 for a UDP datagram) instead of the analyzer's
//! ~200-byte [`TcpVerdict`]: the endpoints, raw numbers and flags are *not* stored, because
//! they are in the frame itself and come back when the frame is dissected again; numbers that
//! follow from others are stored as small differences (next sequence number from the
//! sequence number, referenced frames from the frame's own number).
//! [`Verdicts::frame_analysis`] rebuilds the full [`FrameAnalysis`] for the frame on screen,
//! so [`crate::analysis::annotate()`] adds exactly what the CLI adds.

use crate::analysis::analyzer::{FrameAnalysis, Transport, TransportVerdict};
use crate::analysis::{FinClose, Flags, TcpVerdict, UdpVerdict};
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
const B_DUPACK: u16 = 1024;
const B_FIN_ACTIVE: u16 = 2048;
const B_FIN_PASSIVE: u16 = 4096;
const B_COMPLETENESS: u16 = 8192;
const B_RTO: u16 = 16384;

/// Frames per chunk of [`Verdicts`]: each chunk's offsets count from its own start, so they
/// fit in 32 bits whatever the capture's size.
const CHUNK_SHIFT: u32 = 16;

/// One transport layer's verdict, without what the frame itself says (the decoded form).
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
    /// `tcp.time_delta` / `udp.time_delta` in nanoseconds.
    delta: i64,
    /// `tcp.completeness` (with `B_COMPLETENESS`).
    completeness: u8,
    /// `tcp.analysis.rto` (ns) and `tcp.analysis.rto_frame` (with `B_RTO`).
    rto: i64,
    rto_frame: u32,
}

/// The verdicts of frames 1..=n, in order, in chunks of 2^CHUNK_SHIFT frames: frame i+1's
/// items start at `chunks[i >> CHUNK_SHIFT].offsets[i & mask]` in that chunk's `bytes` and end
/// where the next frame's start (each chunk grows on its own, so a long capture never holds a
/// doubled copy of everything).
#[derive(Clone, Debug, Default)]
pub struct Verdicts {
    chunks: Vec<Chunk>,
    frames: usize,
    /// Per TCP stream: the capture time (ns) of its first segment, for `tcp.time_relative`.
    stream_first: Vec<i64>,
    /// Per UDP stream: the same for `udp.time_relative`.
    udp_first: Vec<i64>,
}

#[derive(Clone, Debug, Default)]
struct Chunk {
    offsets: Vec<u32>,
    bytes: Vec<u8>,
}

fn put(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push(v as u8 | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn put_signed(buf: &mut Vec<u8>, v: i64) {
    put(buf, ((v << 1) ^ (v >> 63)) as u64);
}

/// Reads back what [`put`] and [`put_signed`] wrote.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn get(&mut self) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift.min(63);
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        v
    }

    fn get_signed(&mut self) -> i64 {
        let u = self.get();
        ((u >> 1) as i64) ^ -((u & 1) as i64)
    }

    fn get32(&mut self) -> u32 {
        u32::try_from(self.get()).unwrap_or(u32::MAX)
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }
}

/// Appends one item of frame `frame` to `buf`.
fn encode(buf: &mut Vec<u8>, frame: u64, c: &Compact) {
    buf.push(c.layer);
    buf.push(c.kind);
    put(buf, u64::from(c.bits));
    put(buf, u64::from(c.stream));
    put_signed(buf, c.delta);
    if c.kind != TCP {
        return;
    }
    put(buf, u64::from(c.seq));
    put(buf, u64::from(c.ack));
    put(buf, u64::from(c.window));
    put(buf, u64::from(c.flags));
    let bit = |b: u16| c.bits & b != 0;
    if bit(B_NXTSEQ) {
        put_signed(buf, i64::from(c.nxtseq.wrapping_sub(c.seq) as i32));
    }
    if bit(B_SEGLEN) {
        put(buf, u64::from(c.seglen));
    }
    if bit(B_SCALE) {
        put_signed(buf, i64::from(c.scalefactor));
    }
    if bit(B_DUPACK) {
        put(buf, u64::from(c.dupack_num));
        put_signed(buf, frame as i64 - i64::from(c.dupack_frame));
    }
    if bit(B_ACKS) {
        put_signed(buf, frame as i64 - i64::from(c.acks_frame));
    }
    if bit(B_ACK_RTT) {
        put_signed(buf, c.ack_rtt);
    }
    if bit(B_INIT_RTT) {
        put_signed(buf, c.initial_rtt);
    }
    if bit(B_BIF) {
        put(buf, u64::from(c.bif));
    }
    if bit(B_PUSH) {
        put(buf, u64::from(c.push));
    }
    if bit(B_COMPLETENESS) {
        put(buf, u64::from(c.completeness));
    }
    if bit(B_RTO) {
        put_signed(buf, c.rto);
        put_signed(buf, frame as i64 - i64::from(c.rto_frame));
    }
}

/// Reads one item of frame `frame` (the inverse of [`encode`]).
fn decode(cur: &mut Cursor<'_>, frame: u64) -> Compact {
    let layer = cur.bytes.get(cur.at).copied().unwrap_or(0);
    let kind = cur.bytes.get(cur.at + 1).copied().unwrap_or(0);
    cur.at += 2;
    let bits = u16::try_from(cur.get()).unwrap_or(0);
    let mut c = Compact { layer, kind, bits, stream: cur.get32(), delta: cur.get_signed(), ..Compact::default() };
    if kind != TCP {
        return c;
    }
    c.seq = cur.get32();
    c.ack = cur.get32();
    c.window = cur.get32();
    c.flags = cur.get32();
    let bit = |b: u16| bits & b != 0;
    let frame_ref = |d: i64| u32::try_from(frame as i64 - d).unwrap_or(u32::MAX);
    if bit(B_NXTSEQ) {
        c.nxtseq = c.seq.wrapping_add(cur.get_signed() as i32 as u32);
    }
    if bit(B_SEGLEN) {
        c.seglen = cur.get32();
    }
    if bit(B_SCALE) {
        c.scalefactor = cur.get_signed() as i32;
    }
    if bit(B_DUPACK) {
        c.dupack_num = cur.get32();
        c.dupack_frame = frame_ref(cur.get_signed());
    }
    if bit(B_ACKS) {
        c.acks_frame = frame_ref(cur.get_signed());
    }
    if bit(B_ACK_RTT) {
        c.ack_rtt = cur.get_signed();
    }
    if bit(B_INIT_RTT) {
        c.initial_rtt = cur.get_signed();
    }
    if bit(B_BIF) {
        c.bif = cur.get32();
    }
    if bit(B_PUSH) {
        c.push = cur.get32();
    }
    if bit(B_COMPLETENESS) {
        c.completeness = u8::try_from(cur.get()).unwrap_or(0);
    }
    if bit(B_RTO) {
        c.rto = cur.get_signed();
        c.rto_frame = frame_ref(cur.get_signed());
    }
    c
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
        self.frames
    }

    /// Bytes of heap used (for the memory budget).
    pub fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.offsets.capacity() * 4 + c.bytes.capacity()).sum::<usize>()
            + self.chunks.capacity() * std::mem::size_of::<Chunk>()
            + (self.stream_first.capacity() + self.udp_first.capacity()) * 8
    }

    /// Bytes of encoded verdicts.
    pub fn encoded_len(&self) -> usize {
        self.chunks.iter().map(|c| c.bytes.len()).sum()
    }

    /// The chunk the next frame goes into, started if needed.
    fn open_chunk(&mut self) -> &mut Chunk {
        if self.frames.is_multiple_of(1 << CHUNK_SHIFT) {
            self.chunks.push(Chunk { offsets: Vec::with_capacity(1 << CHUNK_SHIFT), bytes: Vec::new() });
        }
        self.frames += 1;
        let c = self.chunks.last_mut().expect("a chunk was just opened");
        c.offsets.push(c.bytes.len() as u32);
        c
    }

    /// Frame index `i`'s (0-based) encoded items.
    fn encoded(&self, i: usize) -> &[u8] {
        let Some(c) = self.chunks.get(i >> CHUNK_SHIFT) else { return &[] };
        let k = i & ((1 << CHUNK_SHIFT) - 1);
        let Some(&s) = c.offsets.get(k) else { return &[] };
        let e = c.offsets.get(k + 1).copied().unwrap_or(c.bytes.len() as u32);
        c.bytes.get(s as usize..e as usize).unwrap_or(&[])
    }

    /// Records the next frame's analysis.
    pub fn push(&mut self, fa: &FrameAnalysis) {
        let mut buf = std::mem::take(&mut self.open_chunk().bytes);
        for (layer, v) in &fa.layers {
            let layer = u8::try_from(*layer).unwrap_or(u8::MAX);
            let c = match v {
                TransportVerdict::Tcp(t) => {
                    note_first(&mut self.stream_first, t.stream, fa.ts - t.time_relative);
                    compact_tcp(layer, t)
                }
                TransportVerdict::Udp(u) => {
                    note_first(&mut self.udp_first, u.stream, fa.ts - u.time_relative);
                    Compact {
                        layer,
                        kind: UDP,
                        bits: if u.from_initiator { B_FROM_INITIATOR } else { 0 },
                        stream: u.stream,
                        delta: u.time_delta,
                        ..Compact::default()
                    }
                }
            };
            encode(&mut buf, fa.frame, &c);
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.bytes = buf;
        }
    }

    /// Records frame `number`'s items as already encoded (by another [`Verdicts`]).
    fn push_encoded(&mut self, items: &[u8]) {
        self.open_chunk().bytes.extend_from_slice(items);
    }

    /// Appends a batch recorded for the frames that follow.
    pub fn append(&mut self, other: Verdicts) {
        for j in 0..other.frames() {
            self.push_encoded(other.encoded(j));
        }
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

    /// Frame `number`'s items, decoded.
    fn items_of(&self, number: u64) -> Vec<Compact> {
        let Some(i) = usize::try_from(number).ok().and_then(|n| n.checked_sub(1)).filter(|&i| i < self.frames()) else { return Vec::new() };
        let mut cur = Cursor { bytes: self.encoded(i), at: 0 };
        let mut out = Vec::new();
        while !cur.done() {
            out.push(decode(&mut cur, number));
        }
        out
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
        for c in &self.items_of(number) {
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
                    rto: (c.bits & B_RTO != 0).then_some((c.rto, u64::from(c.rto_frame))),
                    ack_rtt: opt(c.bits, B_ACK_RTT, c.ack_rtt),
                    initial_rtt: opt(c.bits, B_INIT_RTT, c.initial_rtt),
                    bytes_in_flight: opt(c.bits, B_BIF, c.bif),
                    push_bytes_sent: opt(c.bits, B_PUSH, c.push),
                    tcp_flags: seg.flags,
                    seq_raw: seg.seq,
                    ack_raw: seg.ack,
                    time_relative: ts - self.stream_first.get(c.stream as usize).copied().unwrap_or(ts),
                    time_delta: c.delta,
                    fin_close: if c.bits & B_FIN_ACTIVE != 0 {
                        Some(FinClose::Active)
                    } else if c.bits & B_FIN_PASSIVE != 0 {
                        Some(FinClose::Passive)
                    } else {
                        None
                    },
                    completeness: opt(c.bits, B_COMPLETENESS, c.completeness),
                }),
                (UDP, Transport::Udp(dg)) => TransportVerdict::Udp(UdpVerdict {
                    stream: c.stream,
                    ends: dg.ends,
                    length: dg.length,
                    in_error: dg.in_error,
                    from_initiator: c.bits & B_FROM_INITIATOR != 0,
                    timed: !dg.in_error && dg.length > 8,
                    // (The analyzer times only datagrams it can time; the others say 0.)
                    time_relative: if !dg.in_error && dg.length > 8 { ts - self.udp_first.get(c.stream as usize).copied().unwrap_or(ts) } else { 0 },
                    time_delta: c.delta,
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
    set(t.dupack_num != 0 || t.dupack_frame != 0, B_DUPACK);
    set(t.fin_close == Some(FinClose::Active), B_FIN_ACTIVE);
    set(t.fin_close == Some(FinClose::Passive), B_FIN_PASSIVE);
    set(t.completeness.is_some(), B_COMPLETENESS);
    set(t.rto.is_some(), B_RTO);
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
        delta: t.time_delta,
        completeness: t.completeness.unwrap_or(0),
        rto: t.rto.map_or(0, |(ns, _)| ns),
        rto_frame: t.rto.and_then(|(_, f)| u32::try_from(f).ok()).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::CaptureFile;
    use crate::pipeline::Sequence;
    use std::path::Path;

    /// Every frame's analysis as the analyzer made it, and its dissection.
    fn analysed(name: &str) -> Vec<(FrameAnalysis, Dissection)> {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name);
        let f = CaptureFile::open(&p).expect("capture");
        let mut seq = Sequence::new(true);
        let mut out = Vec::new();
        for r in f.records() {
            seq.push(&r.expect("record"));
            out.push((seq.analysis().cloned().expect("analysed"), seq.dissection().clone()));
        }
        out
    }

    #[test]
    fn stored_verdicts_give_back_the_analysis_in_a_few_bytes() {
        for name in ["bulk-loss.pcap", "game.pcap", "handshake.pcap", "rst.pcap", "zero-window.pcap", "udp-frag.pcap"] {
            let frames = analysed(name);
            // Stored in two batches, as the analysis thread hands them over.
            let (mut v, mut second) = (Verdicts::default(), Verdicts::default());
            let half = frames.len() / 2;
            for (i, (fa, _)) in frames.iter().enumerate() {
                if i < half { v.push(fa) } else { second.push(fa) }
            }
            v.append(second);
            assert_eq!(v.frames(), frames.len());
            for (fa, d) in &frames {
                assert_eq!(v.frame_analysis(fa.frame, fa.ts, d).as_ref(), Some(fa), "{name} frame {}", fa.frame);
            }
            let per_frame = v.encoded_len() as f64 / frames.len() as f64;
            // (One of these bytes is `tcp.completeness`, which the tree shows since -V matches tshark.)
            assert!(per_frame < 29.0, "{name}: {per_frame:.1} bytes per frame");
        }
    }

    #[test]
    fn chunks_keep_offsets_small_on_long_captures() {
        let frames = analysed("game.pcap");
        let mut v = Verdicts::default();
        let n = (1usize << CHUNK_SHIFT) * 2 + 17;
        for i in 0..n {
            let (fa, _) = &frames[i % frames.len()];
            let fa = FrameAnalysis { frame: i as u64 + 1, ..fa.clone() };
            v.push(&fa);
        }
        assert_eq!(v.chunks.len(), 3);
        for i in [0, (1 << CHUNK_SHIFT) - 1, 1 << CHUNK_SHIFT, n - 1] {
            let (fa, _) = &frames[i % frames.len()];
            let want = fa.layers.iter().find_map(|(_, t)| match t {
                TransportVerdict::Udp(u) => Some(u.stream),
                TransportVerdict::Tcp(_) => None,
            });
            assert_eq!(v.udp_stream(i as u64 + 1), want, "frame {}", i + 1);
        }
    }
}
