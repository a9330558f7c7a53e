//! The analyzer: extracts the transport headers of each dissected frame and runs them
//! through the TCP and UDP trackers, in frame order.

use super::tcp::{Endpoints, Sack, TcpSegment, TcpTracker, TcpVerdict};
use super::udp::{UdpDatagram, UdpTracker, UdpVerdict};
use crate::dissect::model::{Dissection, Field, FieldDef, FrameMeta, TransportFacts, Value};
use crate::dissect::{ipv4, ipv6, tcp, tcp_options, udp};
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
    /// The transport headers of the frame being analysed, reused from frame to frame.
    inputs: Vec<(usize, Transport)>,
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
        let mut out = FrameAnalysis::default();
        self.process_into(d, frame, meta, &mut out);
        out
    }

    /// [`Analyzer::process`] into `out`, reusing its memory (the hot path of a frame loop).
    pub fn process_into(&mut self, d: &Dissection, frame: &[u8], meta: &FrameMeta, out: &mut FrameAnalysis) {
        let _ = frame;
        let mut inputs = std::mem::take(&mut self.inputs);
        inputs.clear();
        extract(d, &mut inputs);
        self.inputs_into(meta.number, ts_nanos(meta), &inputs, out);
        self.inputs = inputs;
    }

    /// Analyses transport headers already extracted (by [`extract`] or built by hand).
    pub fn process_inputs(&mut self, frame: u64, ts: i64, inputs: &[(usize, Transport)]) -> FrameAnalysis {
        let mut out = FrameAnalysis::default();
        self.inputs_into(frame, ts, inputs, &mut out);
        out
    }

    /// [`Analyzer::process_inputs`] into `out`, reusing its memory.
    pub fn process_extracted(&mut self, frame: u64, ts: i64, inputs: &[(usize, Transport)], out: &mut FrameAnalysis) {
        self.inputs_into(frame, ts, inputs, out);
    }

    fn inputs_into(&mut self, frame: u64, ts: i64, inputs: &[(usize, Transport)], out: &mut FrameAnalysis) {
        out.frame = frame;
        out.ts = ts;
        out.layers.clear();
        for (layer, t) in inputs {
            let v = match t {
                Transport::Tcp(seg) => TransportVerdict::Tcp(self.tcp.process(frame, ts, seg)),
                Transport::Udp(dg) => TransportVerdict::Udp(self.udp.process(dg, ts)),
            };
            out.layers.push((*layer, v));
        }
    }
}

/// Whether a field is of definition `def` (definitions are statics: compared by address).
#[inline]
fn is(a: &FieldDef, def: &'static FieldDef) -> bool {
    std::ptr::eq(a, def)
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
                    if is(f.def, &ipv6::IPV6_ROUTING_SEGLEFT)
                        && let Value::UInt(n) = f.value
                    {
                        segleft = n;
                    }
                    let a = match f.value {
                        Value::Ipv4(a) => IpAddr::V4(Ipv4Addr::from(a)),
                        Value::Ipv6(a) => IpAddr::V6(Ipv6Addr::from(a)),
                        _ => continue,
                    };
                    if src.is_none() && (is(f.def, &ipv4::IP_SRC) || is(f.def, &ipv6::IPV6_SRC)) {
                        src = Some(a);
                    } else if dst.is_none() && (is(f.def, &ipv4::IP_DST) || is(f.def, &ipv6::IPV6_DST)) {
                        dst = Some(a);
                    } else if is(f.def, &ipv6::IPV6_ROUTING_SRC_ADDR) {
                        route_last = Some(a);
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
                let h = match d.transports.iter().find(|t| t.layer as usize == li && !t.udp) {
                    Some(t) => *t,
                    None => scan_tcp(fields),
                };
                // tshark reads ports, numbers, flags and window before it looks the
                // conversation up: a header cut before them gets no stream.
                let (Some(sport), Some(dport), Some(ack), Some(flags), Some(window)) = (h.sport, h.dport, h.ack, h.flags, h.window) else {
                    continue;
                };
                if h.seq.is_none() && !in_error {
                    continue;
                }
                let mut sack = Sack::default();
                for &(l, r) in h.sack.iter().take(h.sack_len as usize) {
                    sack.push(l, r);
                }
                let ends = Endpoints { src, dst, sport, dport };
                out.push((
                    li,
                    Transport::Tcp(TcpSegment {
                        ends,
                        seq: h.seq.unwrap_or(0),
                        ack,
                        flags,
                        window,
                        seglen: if in_error { None } else { h.seglen },
                        wscale: h.wscale,
                        sack,
                        in_error,
                    }),
                ));
            }
            "udp" => {
                let Some((src, dst)) = addrs else { continue };
                let h = match d.transports.iter().find(|t| t.layer as usize == li && t.udp) {
                    Some(t) => *t,
                    None => scan_udp(fields),
                };
                let (Some(sport), Some(dport), Some(length)) = (h.sport, h.dport, h.length) else { continue };
                out.push((li, Transport::Udp(UdpDatagram { ends: Endpoints { src, dst, sport, dport }, length, in_error })));
            }
            _ => {}
        }
    }
}

/// A TCP layer's numbers read from its fields, for dissections built without
/// [`Dissection::transports`] (by hand, in tests).
fn scan_tcp(fields: &[Field]) -> TransportFacts {
    let mut h = TransportFacts::default();
    let mut sack_le = None;
    for f in fields {
        let Some(n) = uint(&f.value) else { continue };
        let def = f.def;
        if is(def, &tcp::TCP_SRCPORT) {
            h.sport = Some(n as u16);
        } else if is(def, &tcp::TCP_DSTPORT) {
            h.dport = Some(n as u16);
        } else if h.seq.is_none() && (is(def, &tcp::TCP_SEQ_RAW) || is(def, &super::fields::TCP_SEQ)) {
            // A quoted header may carry only `tcp.seq` (tshark omits `seq_raw` there).
            h.seq = Some(n as u32);
        } else if is(def, &tcp::TCP_ACK_RAW) {
            h.ack = Some(n as u32);
        } else if is(def, &tcp::TCP_FLAGS) {
            h.flags = Some(n as u16);
        } else if is(def, &tcp::TCP_WINDOW_SIZE_VALUE) {
            h.window = Some(n as u16);
        } else if is(def, &tcp::TCP_LEN) {
            h.seglen = Some(n as u32);
        } else if is(def, &tcp_options::TCP_OPTIONS_WSCALE_SHIFT) {
            h.wscale = Some(n as u8);
        } else if is(def, &tcp_options::TCP_OPTIONS_SACK_LE) {
            sack_le = Some(n as u32);
        } else if is(def, &tcp_options::TCP_OPTIONS_SACK_RE)
            && let Some(l) = sack_le.take()
            && let Some(slot) = h.sack.get_mut(h.sack_len as usize)
        {
            *slot = (l, n as u32);
            h.sack_len += 1;
        }
    }
    h
}

/// A UDP layer's numbers read from its fields (see [`scan_tcp`]).
fn scan_udp(fields: &[Field]) -> TransportFacts {
    let mut h = TransportFacts { udp: true, ..TransportFacts::default() };
    for f in fields {
        let Some(n) = uint(&f.value) else { continue };
        if is(f.def, &udp::UDP_SRCPORT) {
            h.sport = Some(n as u16);
        } else if is(f.def, &udp::UDP_DSTPORT) {
            h.dport = Some(n as u16);
        } else if is(f.def, &udp::UDP_LENGTH) {
            h.length = Some(n as u16);
        }
    }
    h
}
