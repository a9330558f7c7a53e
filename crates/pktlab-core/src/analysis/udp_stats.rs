//! Per-flow, per-direction UDP statistics (complementing [`super::series::UdpSeries`], which
//! gives the same jitter over time): packets and bytes per second, inter-arrival jitter in the style
//! of RFC 3550 and a datagram size distribution (Wireshark's packet-length buckets).
//!
//! Jitter: RFC 3550 §6.4.1 smooths |D| with gain 1/16, where D is the change in transit time
//! between consecutive packets. A plain UDP flow has no sender timestamps, so D is taken as the
//! change in inter-arrival time (the sender is assumed to keep its previous spacing):
//! `D(i) = (R(i) − R(i−1)) − (R(i−1) − R(i−2))`, `J += (|D| − J) / 16`.

use super::analyzer::FrameAnalysis;
use std::collections::BTreeMap;

/// Upper bounds (inclusive) of Wireshark's packet-length buckets; the last bucket is open.
pub const SIZE_BUCKETS: [u32; 9] = [19, 39, 79, 159, 319, 639, 1279, 2559, 5119];

/// Statistics of one direction of a UDP flow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UdpFlowStats {
    pub stream: u32,
    /// From the flow's first sender to its peer.
    pub from_initiator: bool,
    pub packets: u64,
    /// Payload bytes (`udp.length` − 8).
    pub bytes: u64,
    pub first_ts: i64,
    pub last_ts: i64,
    /// Smoothed jitter, seconds.
    pub jitter: f64,
    /// Mean inter-arrival time, seconds.
    pub mean_iat: f64,
    /// Datagram (`udp.length`) counts per [`SIZE_BUCKETS`] bucket, plus one for ≥ 5120.
    pub sizes: [u64; 10],
    prev_ts: Option<i64>,
    prev_iat: Option<i64>,
}

impl UdpFlowStats {
    pub fn new(stream: u32) -> Self {
        UdpFlowStats { stream, ..Default::default() }
    }

    /// Adds one datagram: capture time (ns) and `udp.length`.
    pub fn push(&mut self, ts: i64, length: u16) {
        if self.packets == 0 {
            self.first_ts = ts;
        }
        self.packets += 1;
        self.bytes += length.saturating_sub(8) as u64;
        self.last_ts = ts;
        let b = SIZE_BUCKETS.iter().position(|&m| length as u32 <= m).unwrap_or(SIZE_BUCKETS.len());
        if let Some(c) = self.sizes.get_mut(b) {
            *c += 1;
        }
        if let Some(p) = self.prev_ts {
            let iat = ts.saturating_sub(p);
            if let Some(pi) = self.prev_iat {
                let d = (iat.saturating_sub(pi)) as f64 / 1e9;
                self.jitter += (d.abs() - self.jitter) / 16.0;
            }
            self.prev_iat = Some(iat);
        }
        self.prev_ts = Some(ts);
        if self.packets > 1 {
            self.mean_iat = self.duration() / (self.packets - 1) as f64;
        }
    }

    /// Seconds from the first to the last datagram.
    pub fn duration(&self) -> f64 {
        self.last_ts.saturating_sub(self.first_ts) as f64 / 1e9
    }

    /// Packets per second over the flow's duration (0 for a single instant).
    pub fn packets_per_sec(&self) -> f64 {
        let d = self.duration();
        if d > 0.0 { self.packets as f64 / d } else { 0.0 }
    }

    /// Payload bytes per second over the flow's duration.
    pub fn bytes_per_sec(&self) -> f64 {
        let d = self.duration();
        if d > 0.0 { self.bytes as f64 / d } else { 0.0 }
    }

    /// Label of size bucket `i`: `0-19`, …, `5120+`.
    pub fn bucket_label(i: usize) -> String {
        let lo = if i == 0 { 0 } else { SIZE_BUCKETS.get(i - 1).map(|m| m + 1).unwrap_or(0) };
        match SIZE_BUCKETS.get(i) {
            Some(hi) => format!("{lo}-{hi}"),
            None => format!("{lo}+"),
        }
    }
}

/// All UDP flows of a capture, one entry per (stream, from the initiator), fed analyses in
/// frame order. Jitter is per direction: the two senders have unrelated clocks and pacing.
#[derive(Clone, Debug, Default)]
pub struct UdpFlows {
    pub flows: BTreeMap<(u32, bool), UdpFlowStats>,
}

impl UdpFlows {
    pub fn push(&mut self, fa: &FrameAnalysis) {
        let Some(u) = fa.udp() else { return };
        if u.in_error {
            return;
        }
        let key = (u.stream, u.from_initiator);
        self.flows
            .entry(key)
            .or_insert_with(|| UdpFlowStats { from_initiator: u.from_initiator, ..UdpFlowStats::new(u.stream) })
            .push(fa.ts, u.length);
    }
}

/// Datagrams per second of one flow, in buckets of `bucket` seconds from its first datagram.
pub fn packets_per_bucket(times: &[i64], bucket: f64) -> Vec<u64> {
    let Some(&first) = times.first() else { return Vec::new() };
    if !(bucket.is_finite() && bucket > 0.0) {
        return Vec::new();
    }
    let mut out: Vec<u64> = Vec::new();
    for &t in times {
        let i = (t.saturating_sub(first) as f64 / 1e9 / bucket).max(0.0) as usize;
        if i > 1_000_000 {
            continue;
        }
        if out.len() <= i {
            out.resize(i + 1, 0);
        }
        if let Some(c) = out.get_mut(i) {
            *c += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: i64 = 1_000_000;

    #[test]
    fn constant_spacing_has_no_jitter() {
        let mut s = UdpFlowStats::new(0);
        for i in 0..50 {
            s.push(i * 20 * MS, 172);
        }
        assert_eq!(s.jitter, 0.0);
        assert_eq!(s.packets, 50);
        assert_eq!(s.bytes, 50 * 164);
        assert!((s.mean_iat - 0.020).abs() < 1e-12);
        assert!((s.packets_per_sec() - 50.0 / 0.98).abs() < 1e-9);
        assert_eq!(s.sizes[4], 50, "172 falls in 160-319");
        assert_eq!(UdpFlowStats::bucket_label(4), "160-319");
        assert_eq!(UdpFlowStats::bucket_label(9), "5120+");
    }

    #[test]
    fn jitter_follows_rfc3550_smoothing() {
        // Arrivals 0, 20, 50, 70 ms: IATs 20, 30, 20 → D = 10 ms, −10 ms.
        let mut s = UdpFlowStats::new(0);
        for t in [0, 20, 50, 70] {
            s.push(t * MS, 100);
        }
        let j1 = 0.010 / 16.0;
        let j2 = j1 + (0.010 - j1) / 16.0;
        assert!((s.jitter - j2).abs() < 1e-12, "{}", s.jitter);
    }

    #[test]
    fn per_bucket_counts() {
        assert_eq!(packets_per_bucket(&[0, 100 * MS, 1500 * MS, 1600 * MS, 3100 * MS], 1.0), [2, 2, 0, 1]);
        assert!(packets_per_bucket(&[], 1.0).is_empty());
        let mut one = UdpFlowStats::new(0);
        one.push(5, 8);
        assert_eq!((one.packets_per_sec(), one.bytes, one.sizes[0]), (0.0, 0, 1));
    }
}
