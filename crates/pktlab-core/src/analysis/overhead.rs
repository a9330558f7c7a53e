//! TCP versus UDP overhead: for every frame whose outermost transport is TCP or UDP, the
//! bytes of all headers up to and including the transport header, against the transport
//! payload (`tcp.len`, `udp.length` − 8).

use super::analyzer::{FrameAnalysis, TransportVerdict};
use crate::dissect::Dissection;

/// Totals for one protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub frames: u64,
    /// Link, network and transport header bytes.
    pub header_bytes: u64,
    /// Only the transport header's bytes.
    pub transport_header_bytes: u64,
    pub payload_bytes: u64,
}

impl Counts {
    /// Header share of the bytes carried, 0..=1 (0 when nothing was counted).
    pub fn overhead_ratio(&self) -> f64 {
        let total = self.header_bytes + self.payload_bytes;
        if total == 0 { 0.0 } else { self.header_bytes as f64 / total as f64 }
    }

    /// Mean payload per frame.
    pub fn mean_payload(&self) -> f64 {
        if self.frames == 0 { 0.0 } else { self.payload_bytes as f64 / self.frames as f64 }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overhead {
    pub tcp: Counts,
    pub udp: Counts,
}

impl Overhead {
    /// Counts one frame from its dissection and analysis (headers quoted in ICMP errors and
    /// frames without TCP/UDP are skipped).
    pub fn push(&mut self, d: &Dissection, fa: &FrameAnalysis) {
        let Some((idx, v)) = fa.layers.first() else { return };
        let Some(layer) = d.layers.get(*idx) else { return };
        let header = layer.offset as u64 + layer.len as u64;
        let (c, payload) = match v {
            TransportVerdict::Tcp(t) if !t.in_error => (&mut self.tcp, t.seglen.unwrap_or(0) as u64),
            TransportVerdict::Udp(u) if !u.in_error => (&mut self.udp, u.length.saturating_sub(8) as u64),
            _ => return,
        };
        c.frames += 1;
        c.header_bytes += header;
        c.transport_header_bytes += layer.len as u64;
        c.payload_bytes += payload;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios() {
        let c = Counts { frames: 2, header_bytes: 108, transport_header_bytes: 40, payload_bytes: 92 };
        assert!((c.overhead_ratio() - 108.0 / 200.0).abs() < 1e-12);
        assert_eq!(c.mean_payload(), 46.0);
        assert_eq!(Counts::default().overhead_ratio(), 0.0);
        assert_eq!(Overhead::default().tcp.mean_payload(), 0.0);
    }
}
