//! UDP flows: one `udp.stream` index per pair of endpoints, in order of first appearance
//! (tshark gives datagrams quoted in ICMP errors a stream too).

use super::tcp::{ConvKey, Endpoints};
use std::net::IpAddr;

/// What the analysis needs of one UDP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdpDatagram {
    pub ends: Endpoints,
    /// `udp.length` as sent (header included).
    pub length: u16,
    pub in_error: bool,
}

/// The analysis of one datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdpVerdict {
    pub stream: u32,
    pub ends: Endpoints,
    /// `udp.length` as sent.
    pub length: u16,
    pub in_error: bool,
    /// True when the datagram goes from the flow's first sender to its peer.
    pub from_initiator: bool,
    /// `udp.time_relative` and `udp.time_delta` (ns): since the flow's first datagram and
    /// since its previous one; shown only when `timed`.
    pub timed: bool,
    pub time_relative: i64,
    pub time_delta: i64,
}

/// All UDP flows seen so far.
#[derive(Default)]
pub struct UdpTracker {
    initiators: Vec<(IpAddr, u16)>,
    /// Per stream: capture times (ns) of its first and latest datagrams.
    times: Vec<(i64, i64)>,
    by_key: foldhash::HashMap<ConvKey, u32>,
}

impl UdpTracker {
    pub fn stream_count(&self) -> u32 {
        self.initiators.len() as u32
    }

    /// Analyses one datagram captured at `ts` (nanoseconds since the epoch).
    pub fn process(&mut self, d: &UdpDatagram, ts: i64) -> UdpVerdict {
        let next = self.initiators.len() as u32;
        let stream = *self.by_key.entry(d.ends.key()).or_insert(next);
        if stream == next {
            self.initiators.push((d.ends.src, d.ends.sport));
            self.times.push((ts, ts));
        }
        let from_initiator = self.initiators.get(stream as usize) == Some(&(d.ends.src, d.ends.sport));
        // tshark times a datagram when it hands on a payload: not a quoted header, nor an
        // empty datagram.
        let timed = !d.in_error && d.length > 8;
        let (time_relative, time_delta) = match self.times.get_mut(stream as usize) {
            Some((first, prev)) if timed => {
                let t = (ts - *first, ts - *prev);
                *prev = ts;
                t
            }
            _ => (0, 0),
        };
        UdpVerdict { stream, ends: d.ends, length: d.length, in_error: d.in_error, from_initiator, timed, time_relative, time_delta }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn dgram(a: [u8; 4], ap: u16, b: [u8; 4], bp: u16) -> UdpDatagram {
        UdpDatagram {
            ends: Endpoints { src: IpAddr::V4(Ipv4Addr::from(a)), dst: IpAddr::V4(Ipv4Addr::from(b)), sport: ap, dport: bp },
            length: 20,
            in_error: false,
        }
    }

    #[test]
    fn both_directions_share_a_stream_and_new_pairs_get_the_next_index() {
        let mut t = UdpTracker::default();
        let a = t.process(&dgram([10, 0, 0, 1], 5000, [10, 0, 0, 2], 53), 0);
        let b = t.process(&dgram([10, 0, 0, 2], 53, [10, 0, 0, 1], 5000), 5);
        let c = t.process(&dgram([10, 0, 0, 1], 5001, [10, 0, 0, 2], 53), 9);
        assert_eq!((a.stream, b.stream, c.stream), (0, 0, 1));
        assert_eq!((b.time_relative, b.time_delta, c.time_relative), (5, 5, 0));
        assert!(a.from_initiator && !b.from_initiator && c.from_initiator);
        assert_eq!(t.stream_count(), 2);
    }
}
