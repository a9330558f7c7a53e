//! TCP conversation and UDP flow analysis over dissected packets.
//!
//! [`Analyzer`] is a pure transition: fed dissections in frame order, it assigns
//! `tcp.stream`/`udp.stream`, relative sequence numbers, scaled windows, RTTs and tshark 4.0's
//! `tcp.analysis.*` verdicts, and [`annotate`] writes them back into the dissection as
//! generated fields, expert items and Info-column markers. No I/O, no clock, no UI types.
//!
//! On top of the per-frame verdicts: conversation tables ([`conv`]), expert information
//! counted over the capture ([`expert`]), a capture summary ([`summary`]), reassembled streams
//! ([`follow`]), the ladder diagram model ([`ladder`]), time series ([`series`]),
//! the RFC 6298 retransmission timer over RTT samples ([`rto`]), UDP flow statistics
//! ([`udp_stats`]), TCP/UDP header overhead ([`overhead`]) and both
//! endpoints' RFC 9293 state after each segment ([`tcp_state`]).

pub mod analyzer;
pub mod annotate;
pub mod conv;
pub mod expert;
pub mod fields;
pub mod flags;
pub mod follow;
pub mod ladder;
pub mod overhead;
pub mod rto;
pub mod series;
pub mod summary;
pub mod tcp;
pub mod tcp_state;
pub mod udp;
pub mod udp_stats;

pub use analyzer::{Analyzer, FrameAnalysis, Transport, TransportVerdict};
pub use annotate::annotate;
pub use flags::Flags;
pub use tcp::{Endpoints, FinClose, Sack, TcpSegment, TcpVerdict};
pub use udp::{UdpDatagram, UdpVerdict};

use crate::dissect::FieldDef;

/// Every field definition the analysis can add to a dissection.
pub fn fields() -> impl Iterator<Item = &'static FieldDef> {
    fields::ALL.iter().copied()
}
