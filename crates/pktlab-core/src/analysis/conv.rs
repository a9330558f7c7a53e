//! Conversation tables, as `tshark -q -z conv,tcp -z conv,udp` prints them: one row per
//! stream with frames and bytes each way (A is the first sender), the start relative to the
//! first frame of the capture and the duration. Headers quoted in ICMP errors are not
//! counted (tshark's conversation taps skip error packets).

use super::analyzer::{FrameAnalysis, TransportVerdict};
use std::fmt::Write as _;
use std::net::IpAddr;

/// TCP or UDP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Tcp,
    Udp,
}

/// One conversation (one `tcp.stream` or `udp.stream`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvRow {
    pub stream: u32,
    pub a: (IpAddr, u16),
    pub b: (IpAddr, u16),
    pub frames_ab: u64,
    pub bytes_ab: u64,
    pub frames_ba: u64,
    pub bytes_ba: u64,
    /// Nanoseconds since the epoch of the first and last frame.
    pub first_ts: i64,
    pub last_ts: i64,
}

impl ConvRow {
    pub fn frames(&self) -> u64 {
        self.frames_ab + self.frames_ba
    }
    pub fn bytes(&self) -> u64 {
        self.bytes_ab + self.bytes_ba
    }

    /// Nanoseconds from the first to the last frame.
    pub fn duration(&self) -> i64 {
        self.last_ts - self.first_ts
    }

    /// The display filter that keeps exactly this conversation's frames
    /// (`tcp.stream == 3`), as `pktlab dissect -Y` and the TUI take it.
    pub fn filter(&self, proto: Proto) -> String {
        format!("{}.stream == {}", proto.name(), self.stream)
    }
}

impl Proto {
    /// The protocol's filter name: `tcp` or `udp`.
    pub fn name(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// Conversation tables built frame by frame.
#[derive(Clone, Debug, Default)]
pub struct ConvTable {
    pub tcp: Vec<ConvRow>,
    pub udp: Vec<ConvRow>,
    /// Timestamp of the capture's first frame (relative starts count from it).
    pub capture_start: Option<i64>,
}

impl ConvTable {
    /// Counts one frame of `frame_len` bytes on the wire.
    pub fn add(&mut self, fa: &FrameAnalysis, frame_len: u32) {
        if self.capture_start.is_none() {
            self.capture_start = Some(fa.ts);
        }
        for (_, v) in &fa.layers {
            let (rows, stream, ends) = match v {
                TransportVerdict::Tcp(t) if !t.in_error => (&mut self.tcp, t.stream, t.ends),
                TransportVerdict::Udp(u) if !u.in_error => (&mut self.udp, u.stream, u.ends),
                _ => continue,
            };
            let pos = match rows.binary_search_by_key(&stream, |r| r.stream) {
                Ok(p) => p,
                Err(p) => {
                    let (a, b) = ((ends.src, ends.sport), (ends.dst, ends.dport));
                    rows.insert(p, ConvRow { stream, a, b, frames_ab: 0, bytes_ab: 0, frames_ba: 0, bytes_ba: 0, first_ts: fa.ts, last_ts: fa.ts });
                    p
                }
            };
            let row = &mut rows[pos];
            // A is the first sender counted here (an ICMP-quoted header may have opened the
            // stream, so the stream's own initiator is not used).
            let ab = (ends.src, ends.sport) == row.a;
            if ab {
                row.frames_ab += 1;
                row.bytes_ab += frame_len as u64;
            } else {
                row.frames_ba += 1;
                row.bytes_ba += frame_len as u64;
            }
            row.first_ts = row.first_ts.min(fa.ts);
            row.last_ts = row.last_ts.max(fa.ts);
        }
    }

    /// The table for one protocol, in tshark's order: most frames first, ties by stream.
    pub fn sorted(&self, proto: Proto) -> Vec<&ConvRow> {
        let rows = match proto {
            Proto::Tcp => &self.tcp,
            Proto::Udp => &self.udp,
        };
        let mut v: Vec<&ConvRow> = rows.iter().collect();
        v.sort_by(|x, y| y.frames().cmp(&x.frames()).then(x.stream.cmp(&y.stream)));
        v
    }

    /// One conversation table exactly as tshark 4.0's `-z conv,tcp` / `-z conv,udp` prints it.
    pub fn render(&self, proto: Proto) -> String {
        let title = match proto {
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
        };
        let mut s = String::new();
        let rule = "=".repeat(80);
        let _ = writeln!(s, "{rule}\n{title} Conversations\nFilter:<No Filter>");
        let _ = writeln!(s, "{:59}|       <-      | |       ->      | |     Total     |    Relative    |   Duration   |", "");
        let _ = writeln!(s, "{:59}| Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |", "");
        let start = self.capture_start.unwrap_or(0);
        for r in self.sorted(proto) {
            let _ = writeln!(
                s,
                "{:<26} <-> {:<26}  {:>6} {:<9}  {:>6} {:<9}  {:>6} {:<9}  {:>14.9}   {:>12.4}",
                endpoint(r.a),
                endpoint(r.b),
                r.frames_ba,
                size(r.bytes_ba),
                r.frames_ab,
                size(r.bytes_ab),
                r.frames(),
                size(r.bytes()),
                nstime_secs(r.first_ts - start),
                nstime_secs(r.last_ts - r.first_ts),
            );
        }
        let _ = writeln!(s, "{rule}");
        s
    }
}

/// tshark's `printf("%14.9f")` of a relative time it holds as seconds + nanoseconds and turns
/// into a double (hence `183109031.969092011` for …969092000 ns).
pub fn nstime_secs(ns: i64) -> f64 {
    ns.div_euclid(1_000_000_000) as f64 + ns.rem_euclid(1_000_000_000) as f64 / 1e9
}

/// `address:port` as tshark's conversation table writes it.
pub fn endpoint((ip, port): (IpAddr, u16)) -> String {
    format!("{ip}:{port}")
}

/// Sizes as tshark's conversation table words them: `812 bytes`, `22 kB`, `3 MB`.
pub fn size(n: u64) -> String {
    match n {
        0..10_000 => format!("{n} bytes"),
        10_000..10_000_000 => format!("{} kB", n / 1000),
        10_000_000..10_000_000_000 => format!("{} MB", n / 1_000_000),
        _ => format!("{} GB", n / 1_000_000_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tcp::{Endpoints, TcpVerdict};
    use std::net::Ipv4Addr;

    fn frame(ts: i64, src: u8, dst: u8, sport: u16, dport: u16) -> FrameAnalysis {
        let ip = |n| IpAddr::V4(Ipv4Addr::new(10, 0, 0, n));
        let t = TcpVerdict { stream: 0, ends: Endpoints { src: ip(src), dst: ip(dst), sport, dport }, ..Default::default() };
        FrameAnalysis { frame: 1, ts, layers: vec![(0, TransportVerdict::Tcp(t))] }
    }

    #[test]
    fn counts_each_direction_from_the_first_sender() {
        let mut c = ConvTable::default();
        c.add(&frame(1_000_000_000, 1, 2, 5000, 80), 60);
        c.add(&frame(1_500_000_000, 2, 1, 80, 5000), 1500);
        c.add(&frame(2_000_000_000, 1, 2, 5000, 80), 60);
        let r = &c.tcp[0];
        assert_eq!((r.frames_ab, r.bytes_ab, r.frames_ba, r.bytes_ba), (2, 120, 1, 1500));
        let text = c.render(Proto::Tcp);
        assert!(text.contains("10.0.0.1:5000"), "{text}");
        assert!(text.contains("1.0000"), "{text}");
    }

    #[test]
    fn sizes_switch_units_like_tshark() {
        assert_eq!(size(9999), "9999 bytes");
        assert_eq!(size(22_800), "22 kB");
        assert_eq!(size(12_345_678), "12 MB");
    }
}
