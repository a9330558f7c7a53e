//! Time series of one conversation, for graphs: a tcptrace-style sequence-number-over-time
//! plot per direction (each data segment a vertical bar from `seq` to `seq + len`, each ACK a
//! point), throughput per interval, the RTT samples (`tcp.analysis.ack_rtt`) over time; and
//! for a UDP flow, packets and bytes per interval and the inter-arrival jitter.
//!
//! Jitter follows RFC 3550 §6.4.1: `J += (|D| − J) / 16`, where `D` is the change in transit
//! time between consecutive packets. A capture has no sender timestamps, so `D` is taken as
//! the change of the inter-arrival gap (a sender ticking at a fixed rate makes the two equal).
//!
//! All functions are pure: they take the verdicts of frames in capture order, with times in
//! nanoseconds since the epoch, and return numbers.

use super::analyzer::{FrameAnalysis, TransportVerdict};
use super::tcp::{FIN, SYN, TcpVerdict};
use super::udp::UdpVerdict;

/// 0 = from the conversation's first sender (the client), 1 = from its peer.
pub type Side = usize;

/// One segment in the sequence graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeqPoint {
    pub frame: u64,
    /// Seconds since the stream's first packet.
    pub t: f64,
    /// Relative `tcp.seq` and `tcp.seq + tcp.len` (SYN and FIN count one).
    pub seq: u32,
    pub end: u32,
    /// Relative `tcp.ack` this segment carries (None without the ACK flag).
    pub ack: Option<u32>,
    /// `tcp.window_size`: the receive window it advertises, scaled by the flow's factor.
    pub window: u32,
    pub retransmission: bool,
}

/// One RTT sample: at time `t` a segment acknowledged data sent `rtt` seconds earlier.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RttPoint {
    pub frame: u64,
    pub t: f64,
    /// Seconds.
    pub rtt: f64,
}

/// The series of one TCP stream.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TcpSeries {
    pub stream: u32,
    pub start_ts: i64,
    /// Segments per direction, in frame order.
    pub seq: [Vec<SeqPoint>; 2],
    /// RTT samples per direction of the ACK (side 1 = the server acknowledging client data).
    pub rtt: [Vec<RttPoint>; 2],
    /// (time, payload bytes) of each segment per direction, for throughput; index for index
    /// the same segments as `seq`.
    pub bytes: [Vec<(f64, u32)>; 2],
    /// Set by [`TcpSeries::starting_at`]: times count from `start_ts`, not from the first
    /// segment pushed.
    pub fixed_start: bool,
}

impl TcpSeries {
    pub fn new(stream: u32) -> Self {
        TcpSeries { stream, ..Self::default() }
    }

    /// A series whose times count from `start_ts` (ns since the epoch) whatever segments are
    /// pushed: the stream's first frame, when only some of its frames are (a display filter).
    pub fn starting_at(stream: u32, start_ts: i64) -> Self {
        TcpSeries { stream, start_ts, fixed_start: true, ..Self::default() }
    }

    /// Adds one segment if it belongs to the stream.
    pub fn push(&mut self, frame: u64, ts: i64, v: &TcpVerdict) {
        if v.stream != self.stream || v.in_error {
            return;
        }
        if !self.fixed_start && self.seq.iter().all(Vec::is_empty) {
            self.start_ts = ts;
        }
        let t = ts.saturating_sub(self.start_ts) as f64 / 1e9;
        let side = usize::from(!v.from_initiator);
        let len = v.seglen.unwrap_or(0);
        let phantom = u32::from(v.tcp_flags & (SYN | FIN) != 0);
        let retrans = v.flags.has(
            super::Flags::RETRANSMISSION | super::Flags::FAST_RETRANSMISSION | super::Flags::SPURIOUS_RETRANSMISSION,
        );
        let ack = (v.tcp_flags & super::tcp::ACK != 0).then_some(v.ack);
        self.seq[side].push(SeqPoint { frame, t, seq: v.seq, end: v.seq.wrapping_add(len).wrapping_add(phantom), ack, window: v.window, retransmission: retrans });
        self.bytes[side].push((t, len));
        if let Some(rtt) = v.ack_rtt {
            self.rtt[side].push(RttPoint { frame, t, rtt: rtt as f64 / 1e9 });
        }
    }

    pub fn push_frame(&mut self, fa: &FrameAnalysis) {
        for (_, v) in &fa.layers {
            if let TransportVerdict::Tcp(t) = v {
                self.push(fa.frame, fa.ts, t);
            }
        }
    }

    /// Last time of any point, seconds.
    pub fn duration(&self) -> f64 {
        self.bytes.iter().filter_map(|b| b.last().map(|p| p.0)).fold(0.0, f64::max)
    }

    /// Payload bytes per second of `side` in intervals of `interval` seconds:
    /// (interval start, bytes/s).
    pub fn throughput(&self, side: Side, interval: f64) -> Vec<(f64, f64)> {
        let pts = self.bytes.get(side).map(Vec::as_slice).unwrap_or(&[]);
        bucket(pts.iter().map(|&(t, b)| (t, b as f64)), self.duration(), interval)
            .into_iter()
            .map(|(t, sum, _)| (t, sum / interval))
            .collect()
    }
}

/// Sums `(t, value)` points into buckets of `interval` seconds covering 0..=`end`:
/// (bucket start, sum, count). An interval that is not positive gives no buckets.
pub fn bucket(points: impl Iterator<Item = (f64, f64)>, end: f64, interval: f64) -> Vec<(f64, f64, u64)> {
    if interval.is_nan() || interval <= 0.0 || !end.is_finite() || end < 0.0 {
        return Vec::new();
    }
    // At most a million buckets, whatever is asked.
    let n = ((end / interval).floor() as usize).saturating_add(1).min(1_000_000);
    let mut out: Vec<(f64, f64, u64)> = (0..n).map(|i| (i as f64 * interval, 0.0, 0)).collect();
    for (t, v) in points {
        if t.is_nan() || t < 0.0 {
            continue;
        }
        let i = ((t / interval).floor() as usize).min(n - 1);
        if let Some(b) = out.get_mut(i) {
            b.1 += v;
            b.2 += 1;
        }
    }
    out
}

/// The series of one UDP flow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UdpSeries {
    pub stream: u32,
    pub start_ts: i64,
    /// (seconds since the flow's first datagram, frame length on the wire) per direction.
    pub packets: [Vec<(f64, u32)>; 2],
    /// The frame number of each datagram, index for index with `packets` (0 when pushed
    /// without one).
    pub frames: [Vec<u64>; 2],
    /// Set by [`UdpSeries::starting_at`]: times count from `start_ts`.
    pub fixed_start: bool,
}

impl UdpSeries {
    pub fn new(stream: u32) -> Self {
        UdpSeries { stream, ..Self::default() }
    }

    /// A series whose times count from `start_ts` (ns since the epoch), as
    /// [`TcpSeries::starting_at`].
    pub fn starting_at(stream: u32, start_ts: i64) -> Self {
        UdpSeries { stream, start_ts, fixed_start: true, ..Self::default() }
    }

    /// Adds one datagram if it belongs to the flow; `wire_len` is the frame's length.
    pub fn push(&mut self, ts: i64, v: &UdpVerdict, wire_len: u32) {
        self.push_frame(0, ts, v, wire_len);
    }

    /// [`UdpSeries::push`] remembering the datagram's frame number.
    pub fn push_frame(&mut self, frame: u64, ts: i64, v: &UdpVerdict, wire_len: u32) {
        if v.stream != self.stream || v.in_error {
            return;
        }
        if !self.fixed_start && self.packets.iter().all(Vec::is_empty) {
            self.start_ts = ts;
        }
        let t = ts.saturating_sub(self.start_ts) as f64 / 1e9;
        let side = usize::from(!v.from_initiator);
        self.packets[side].push((t, wire_len));
        self.frames[side].push(frame);
    }

    pub fn duration(&self) -> f64 {
        self.packets.iter().filter_map(|p| p.last().map(|x| x.0)).fold(0.0, f64::max)
    }

    /// (interval start, packets/s, bytes/s) of `side`.
    pub fn rates(&self, side: Side, interval: f64) -> Vec<(f64, f64, f64)> {
        let pts = self.packets.get(side).map(Vec::as_slice).unwrap_or(&[]);
        bucket(pts.iter().map(|&(t, b)| (t, b as f64)), self.duration(), interval)
            .into_iter()
            .map(|(t, bytes, n)| (t, n as f64 / interval, bytes / interval))
            .collect()
    }

    /// Inter-arrival gaps of `side`: (arrival time, gap since the previous datagram), seconds.
    pub fn gaps(&self, side: Side) -> Vec<(f64, f64)> {
        let pts = self.packets.get(side).map(Vec::as_slice).unwrap_or(&[]);
        pts.windows(2).map(|w| (w[1].0, w[1].0 - w[0].0)).collect()
    }

    /// RFC 3550-style running jitter of `side` after each datagram: (time, jitter), seconds.
    pub fn jitter(&self, side: Side) -> Vec<(f64, f64)> {
        jitter(&self.gaps(side))
    }
}

/// The running RFC 3550 jitter over inter-arrival gaps `(t, gap)`: `J += (|D| − J)/16` with
/// `D` the change between consecutive gaps.
pub fn jitter(gaps: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut j = 0.0;
    gaps.windows(2)
        .map(|w| {
            let d = (w[1].1 - w[0].1).abs();
            j += (d - j) / 16.0;
            (w[1].0, j)
        })
        .collect()
}

/// Mean of the second element, None when empty.
pub fn mean(points: &[(f64, f64)]) -> Option<f64> {
    if points.is_empty() { None } else { Some(points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::CaptureFile;
    use std::path::Path;

    /// Every frame's analysis and wire length.
    fn analyse(name: &str) -> Vec<(FrameAnalysis, u32)> {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../captures").join(name);
        let f = CaptureFile::open(&p).expect("capture opens");
        let mut seq = crate::pipeline::Sequence::new(true);
        let mut out = Vec::new();
        for r in f.records() {
            let r = r.expect("record");
            seq.push(&r);
            out.push((seq.analysis().cloned().expect("analysed"), r.orig_len));
        }
        out
    }

    #[test]
    fn game_udp_ticks_arrive_every_50_ms() {
        let frames = analyse("game.pcap");
        // The flow with the most server→client datagrams (the state ticks).
        let mut streams = std::collections::BTreeMap::<u32, usize>::new();
        for (fa, _) in &frames {
            if let Some(u) = fa.udp() {
                *streams.entry(u.stream).or_default() += 1;
            }
        }
        assert!(!streams.is_empty(), "game.pcap has UDP flows");
        let mut checked = 0;
        for &stream in streams.keys() {
            let mut s = UdpSeries::new(stream);
            for (fa, len) in &frames {
                if let Some(u) = fa.udp() {
                    s.push(fa.ts, u, *len);
                }
            }
            for side in 0..2 {
                let gaps = s.gaps(side);
                if gaps.len() < 20 {
                    continue;
                }
                // Losses before the wire make some gaps 100 ms; the median is the tick.
                let mut g: Vec<f64> = gaps.iter().map(|x| x.1).collect();
                g.sort_by(f64::total_cmp);
                let median = g[g.len() / 2];
                if (median - 0.05).abs() < 0.005 {
                    checked += 1;
                    let j = s.jitter(side);
                    let last = j.last().map(|x| x.1).unwrap_or(f64::NAN);
                    assert!((0.0..0.05).contains(&last), "jitter {last}");
                    let rates = s.rates(side, 1.0);
                    let full: Vec<f64> = rates.iter().take(rates.len().saturating_sub(1)).map(|r| r.1).collect();
                    assert!(full.iter().all(|&pps| (14.0..=22.0).contains(&pps)), "{full:?}");
                }
            }
        }
        assert!(checked >= 2, "at least the two clients' tick flows run at 20 Hz, {checked} found");
    }

    #[test]
    fn bulk_loss_sequence_graph_and_throughput() {
        let frames = analyse("bulk-loss.pcap");
        let mut s = TcpSeries::new(0);
        for (fa, _) in &frames {
            s.push_frame(fa);
        }
        // Client data climbs to 120000 bytes (+ SYN and FIN).
        let top = s.seq[0].iter().map(|p| p.end).max().unwrap_or(0);
        assert_eq!(top, 120_002);
        let retrans: Vec<u64> = s.seq[0].iter().filter(|p| p.retransmission).map(|p| p.frame).collect();
        assert_eq!(retrans, vec![48, 61, 114, 162]);
        // Server ACKs carry the RTT samples.
        assert!(!s.rtt[1].is_empty() && s.rtt[1].iter().all(|r| r.rtt > 0.0));
        // Throughput buckets add up to every client payload byte sent, resent ones included.
        let sent: u64 = frames
            .iter()
            .filter_map(|(fa, _)| fa.tcp())
            .filter(|v| v.stream == 0 && v.from_initiator)
            .map(|v| u64::from(v.seglen.unwrap_or(0)))
            .sum();
        assert!(sent > 120_000);
        let total: f64 = s.throughput(0, 0.001).iter().map(|x| x.1 * 0.001).sum();
        assert!((total - sent as f64).abs() < 0.5, "{total} vs {sent}");
    }

    #[test]
    fn buckets_and_jitter() {
        let b = bucket([(0.0, 1.0), (0.5, 2.0), (1.2, 4.0)].into_iter(), 1.2, 1.0);
        assert_eq!(b, vec![(0.0, 3.0, 2), (1.0, 4.0, 1)]);
        assert!(bucket([(0.0, 1.0)].into_iter(), 1.0, 0.0).is_empty());
        let steady: Vec<(f64, f64)> = (1..10).map(|i| (i as f64 * 0.05, 0.05)).collect();
        assert!(jitter(&steady).iter().all(|j| j.1.abs() < 1e-12));
        let j = jitter(&[(0.05, 0.05), (0.11, 0.06)]);
        assert!((j[0].1 - 0.01 / 16.0).abs() < 1e-12);
    }
}
