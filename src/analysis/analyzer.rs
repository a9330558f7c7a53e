//! The analyzer: extracts the transport headers of each dissected frame and runs them
//! through the TCP and UDP trackers, in frame order.

use super::tcp::{Endpoints, Sack, TcpSegment, TcpTracker, TcpVerdict};
use super::udp::{UdpDatagram, UdpTracker, UdpVerdict};
use crate::dissect::model::{Dissection, FrameMeta, Value};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One transport header of a frame, as the analysis reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp(TcpSegment),
    Udp(UdpDatagram),
}

/// The analysis of one transport layer.
#[derive(Clone, Debug, PartialEq)]
pub enum TransportVerdict {
    Tcp(TcpVerdict),
    Udp(UdpVerdict),
}

/// What the analysis concluded about one frame: one entry per TCP/UDP layer, outermost first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameAnalysis {
    pub frame: u64,
    /// Capture time in nanoseconds since the epoch (0 when the record has none).
    pub ts: i64,
    /// (index into `Dissection::layers`, verdict).
    pub layers: Vec<(usize, TransportVerdict)>,
}

impl FrameAnalysis {
    /// The first (outermost) TCP verdict, the one tshark's `-E occurrence=f` prints.
    pub fn tcp(&self) -> Option<&TcpVerdict> {
        self.layers.iter().find_map(|(_, v)| match v {
            TransportVerdict::Tcp(t) => Some(t),
            TransportVerdict::Udp(_) => None,
        })
    }

    pub fn udp(&self) -> Option<&UdpVerdict> {
        self.layers.iter().find_map(|(_, v)| match v {
            TransportVerdict::Udp(u) => Some(u),
            TransportVerdict::Tcp(_) => None,
        })
    }
}

/// Conversation state across a capture. Feed frames in order; each call is O(1) amortized
/// apart from walking the flow's unacknowledged segments, as tshark does.
#[derive(Default)]
pub struct Analyzer {
    tcp: TcpTracker,
    udp: UdpTracker,
}

/// Nanoseconds since the epoch of a frame (0 when it has no timestamp).
pub fn ts_nanos(meta: &FrameMeta) -> i64 {
    meta.ts.map(|t| t.as_nanos().clamp(i64::MIN as i128, i64::MAX as i128) as i64).unwrap_or(0)
}

impl Analyzer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn tcp_stream_count(&self) -> u32 {
        self.tcp.stream_count()
    }

    pub fn udp_stream_count(&self) -> u32 {
        self.udp.stream_count()
    }

    /// Analyses one dissected frame. `frame` is the frame's bytes (unused today: every input
    /// comes from fields), `meta` its capture facts.
    pub fn process(&mut self, d: &Dissection, frame: &[u8], meta: &FrameMeta) -> FrameAnalysis {
        let _ = frame;
        let mut inputs: Vec<(usize, Transport)> = Vec::new();
        extract(d, &mut inputs);
        self.process_inputs(meta.number, ts_nanos(meta), &inputs)
    }

    /// Analyses transport headers already extracted (by [`extract`] or built by hand).
    pub fn process_inputs(&mut self, frame: u64, ts: i64, inputs: &[(usize, Transport)]) -> FrameAnalysis {
        let layers = inputs
            .iter()
            .map(|(layer, t)| {
                let v = match t {
                    Transport::Tcp(seg) => TransportVerdict::Tcp(self.tcp.process(frame, ts, seg)),
                    Transport::Udp(dg) => TransportVerdict::Udp(self.udp.process(dg)),
                };
                (*layer, v)
            })
            .collect();
        FrameAnalysis { frame, ts, layers }
    }
}

fn uint(v: &Value) -> Option<u64> {
    match v {
        Value::UInt(n) => Some(*n),
        Value::Int(n) => u64::try_from(*n).ok(),
        _ => None,
    }
}

/// Reads every TCP and UDP layer of a dissection, with the addresses of the network layer
/// nearest before it. A layer after an ICMP/ICMPv6 layer is a quoted header (`in_error`).
/// Layers whose ports or numbers are missing (cut by the snaplen) are skipped.
pub fn extract(d: &Dissection, out: &mut Vec<(usize, Transport)>) {
    let mut addrs: Option<(IpAddr, IpAddr)> = None;
    let mut in_error = false;
    for (li, layer) in d.layers.iter().enumerate() {
        let fields = d.fields.get(layer.fields.start as usize..layer.fields.end as usize).unwrap_or(&[]);
        match layer.proto {
            "ip" | "ipv6" => {
                let (mut src, mut dst) = (None, None);
                // A type 0 routing header with segments left sends the packet on to its
                // last address, which tshark takes as the destination of the conversation.
                let (mut segleft, mut route_last) = (0u64, None);
                for f in fields {
                    if f.def.abbrev == "ipv6.routing.segleft"
                        && let Value::UInt(n) = f.value
                    {
                        segleft = n;
                    }
                    let a = match f.value {
                        Value::Ipv4(a) => IpAddr::V4(Ipv4Addr::from(a)),
                        Value::Ipv6(a) => IpAddr::V6(Ipv6Addr::from(a)),
                        _ => continue,
                    };
                    match f.def.abbrev {
                        "ip.src" | "ipv6.src" if src.is_none() => src = Some(a),
                        "ip.dst" | "ipv6.dst" if dst.is_none() => dst = Some(a),
                        "ipv6.routing.src.addr" => route_last = Some(a),
                        _ => {}
                    }
                }
                if segleft > 0 && route_last.is_some() {
                    dst = route_last;
                }
                if let (Some(s), Some(t)) = (src, dst) {
                    addrs = Some((s, t));
                }
            }
            "icmp" | "icmpv6" => in_error = true,
            "tcp" => {
                let Some((src, dst)) = addrs else { continue };
                let (mut sport, mut dport, mut seq, mut ack, mut fl, mut win) = (None, None, None, None, None, None);
                let (mut seglen, mut wscale, mut sack, mut sack_le) = (None, None, Sack::default(), None);
                for f in fields {
                    let Some(n) = uint(&f.value) else { continue };
                    match f.def.abbrev {
                        "tcp.srcport" => sport = Some(n as u16),
                        "tcp.dstport" => dport = Some(n as u16),
                        // A quoted header may carry only `tcp.seq` (tshark omits `seq_raw` there).
                        "tcp.seq_raw" | "tcp.seq" if seq.is_none() => seq = Some(n as u32),
                        "tcp.ack_raw" => ack = Some(n as u32),
                        "tcp.flags" => fl = Some(n as u16),
                        "tcp.window_size_value" => win = Some(n as u16),
                        "tcp.len" => seglen = Some(n as u32),
                        "tcp.options.wscale.shift" => wscale = Some(n as u8),
                        "tcp.options.sack_le" => sack_le = Some(n as u32),
                        "tcp.options.sack_re" => {
                            if let Some(l) = sack_le.take() {
                                sack.push(l, n as u32);
                            }
                        }
                        _ => {}
                    }
                }
                // tshark reads ports, numbers, flags and window before it looks the
                // conversation up: a header cut before them gets no stream.
                let (Some(sport), Some(dport), Some(ack), Some(flags), Some(window)) = (sport, dport, ack, fl, win) else {
                    continue;
                };
                if seq.is_none() && !in_error {
                    continue;
                }
                let ends = Endpoints { src, dst, sport, dport };
                out.push((
                    li,
                    Transport::Tcp(TcpSegment {
                        ends,
                        seq: seq.unwrap_or(0),
                        ack,
                        flags,
                        window,
                        seglen: if in_error { None } else { seglen },
                        wscale,
                        sack,
                        in_error,
                    }),
                ));
            }
            "udp" => {
                let Some((src, dst)) = addrs else { continue };
                let (mut sport, mut dport, mut length) = (None, None, None);
                for f in fields {
                    let Some(n) = uint(&f.value) else { continue };
                    match f.def.abbrev {
                        "udp.srcport" => sport = Some(n as u16),
                        "udp.dstport" => dport = Some(n as u16),
                        "udp.length" => length = Some(n as u16),
                        _ => {}
                    }
                }
                let (Some(sport), Some(dport), Some(length)) = (sport, dport, length) else { continue };
                out.push((li, Transport::Udp(UdpDatagram { ends: Endpoints { src, dst, sport, dport }, length, in_error })));
            }
            _ => {}
        }
    }
}
