//! A capture's summary, as Wireshark's "Capture File Properties" gives it: frames, bytes,
//! first and last time, duration and average rates, and how many frames (and bytes) carry
//! each protocol layer.

use crate::dissect::{Dissection, FrameMeta, Timestamp};

/// Frames and bytes of one protocol layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtoCount {
    /// The protocol's filter name (`eth`, `ip`, `tcp`, `dns`…).
    pub proto: &'static str,
    /// Wireshark's title for it (`Transmission Control Protocol`).
    pub title: &'static str,
    /// Frames carrying the protocol (once per frame, however many layers of it).
    pub frames: u64,
    /// Bytes on the wire of those frames.
    pub bytes: u64,
}

/// The summary, built frame by frame.
#[derive(Clone, Debug, Default)]
pub struct CaptureSummary {
    pub frames: u64,
    /// Bytes on the wire (`frame.len` summed).
    pub bytes: u64,
    /// Bytes captured (`frame.cap_len` summed).
    pub captured: u64,
    /// The earliest and the latest timestamp (records without one are not counted).
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    /// In the order each protocol first appeared.
    protocols: Vec<ProtoCount>,
}

impl CaptureSummary {
    /// Counts one frame: its facts, its captured length and its dissection.
    pub fn add(&mut self, meta: &FrameMeta, cap_len: usize, d: &Dissection) {
        self.frames += 1;
        self.bytes += u64::from(meta.orig_len);
        self.captured += cap_len as u64;
        if let Some(t) = meta.ts {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
        for (i, l) in d.layers.iter().enumerate() {
            if l.proto == "frame" || d.layers[..i].iter().any(|p| p.proto == l.proto) {
                continue;
            }
            match self.protocols.iter_mut().find(|p| p.proto == l.proto) {
                Some(p) => {
                    p.frames += 1;
                    p.bytes += u64::from(meta.orig_len);
                }
                None => self.protocols.push(ProtoCount { proto: l.proto, title: l.title, frames: 1, bytes: u64::from(meta.orig_len) }),
            }
        }
    }

    /// Nanoseconds from the earliest to the latest frame.
    pub fn duration_ns(&self) -> i64 {
        match (self.first, self.last) {
            (Some(f), Some(l)) => i64::try_from(l.as_nanos() - f.as_nanos()).unwrap_or(i64::MAX),
            _ => 0,
        }
    }

    /// Frames per second and bytes per second over the duration (None for an instant).
    pub fn rates(&self) -> Option<(f64, f64)> {
        let secs = self.duration_ns() as f64 / 1e9;
        (secs > 0.0).then(|| (self.frames as f64 / secs, self.bytes as f64 / secs))
    }

    /// Every protocol seen, the most frames first (ties in order of appearance).
    pub fn protocols(&self) -> Vec<&ProtoCount> {
        let mut v: Vec<&ProtoCount> = self.protocols.iter().collect();
        v.sort_by_key(|p| std::cmp::Reverse(p.frames));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::{Layer, Osi};

    fn layer(proto: &'static str) -> Layer {
        Layer { proto, title: proto, osi: Osi::Network, offset: 0, len: 0, source: 0, fields: 0..0, summary: String::new() }
    }

    #[test]
    fn counts_frames_bytes_time_and_protocols() {
        let mut s = CaptureSummary::default();
        let meta = |secs: i64, len: u32| FrameMeta { ts: Some(Timestamp { secs, nanos: 0 }), orig_len: len, ..Default::default() };
        let d = |ps: &[&'static str]| Dissection { layers: ps.iter().map(|p| layer(p)).collect(), ..Default::default() };
        s.add(&meta(12, 100), 100, &d(&["frame", "eth", "ip", "udp", "dns"]));
        s.add(&meta(10, 60), 60, &d(&["frame", "eth", "ip", "tcp"]));
        s.add(&meta(14, 1500), 96, &d(&["frame", "eth", "ip", "icmp", "ip", "udp"]));
        assert_eq!((s.frames, s.bytes, s.captured), (3, 1660, 256));
        assert_eq!(s.duration_ns(), 4_000_000_000);
        assert_eq!(s.rates(), Some((0.75, 415.0)));
        let p: Vec<(&str, u64, u64)> = s.protocols().iter().map(|p| (p.proto, p.frames, p.bytes)).collect();
        assert_eq!(p, [("eth", 3, 1660), ("ip", 3, 1660), ("udp", 2, 1600), ("dns", 1, 100), ("tcp", 1, 60), ("icmp", 1, 1500)]);
    }
}
