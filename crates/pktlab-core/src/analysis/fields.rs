//! Field definitions the analysis adds to a dissection, named and typed as tshark 4.0's
//! `tshark -G fields` lists them (`tcp.stream` FT_UINT32, `tcp.window_size_scalefactor`
//! FT_INT32, `tcp.analysis.ack_rtt` FT_RELATIVE_TIME, flags FT_NONE, …).

use crate::dissect::model::{Base, FieldDef, FieldType};
pub use crate::dissect::tcp::TCP_SEQ;

macro_rules! defs {
    ($($id:ident $(= $abbrev:literal, $name:literal, $ty:ident, $base:ident)?;)*) => {
        $($(pub static $id: FieldDef = FieldDef::new($abbrev, $name, FieldType::$ty, Base::$base);)?)*
        /// Every analysis field, in registration order.
        pub static ALL: &[&FieldDef] = &[$(&$id),*];
    };
}

defs! {
    TCP_STREAM = "tcp.stream", "Stream index", U32, Dec;
    // Defined by the dissector (a header quoted in an ICMP error carries it); the analysis
    // fills it in for every other segment and registers it here, in tshark's order.
    TCP_SEQ;
    TCP_NXTSEQ = "tcp.nxtseq", "Next Sequence Number", U32, Dec;
    TCP_ACK = "tcp.ack", "Acknowledgment Number", U32, Dec;
    TCP_WINDOW_SIZE = "tcp.window_size", "Calculated window size", U32, Dec;
    TCP_WINDOW_SCALEFACTOR = "tcp.window_size_scalefactor", "Window size scaling factor", I32, Dec;
    TCP_TIME_RELATIVE = "tcp.time_relative", "Time since first frame in this TCP stream", RelTime, None;
    TCP_TIME_DELTA = "tcp.time_delta", "Time since previous frame in this TCP stream", RelTime, None;
    TCP_ANALYSIS = "tcp.analysis", "SEQ/ACK analysis", None, None;
    TCP_ANALYSIS_FLAGS = "tcp.analysis.flags", "TCP Analysis Flags", None, None;
    TCP_ACKS_FRAME = "tcp.analysis.acks_frame", "This is an ACK to the segment in frame", FrameNum, None;
    TCP_ACK_RTT = "tcp.analysis.ack_rtt", "The RTT to ACK the segment was", RelTime, None;
    TCP_INITIAL_RTT = "tcp.analysis.initial_rtt", "iRTT", RelTime, None;
    TCP_BYTES_IN_FLIGHT = "tcp.analysis.bytes_in_flight", "Bytes in flight", U32, Dec;
    TCP_PUSH_BYTES_SENT = "tcp.analysis.push_bytes_sent", "Bytes sent since last PSH flag", U32, Dec;
    TCP_RETRANSMISSION = "tcp.analysis.retransmission", "This frame is a (suspected) retransmission", None, None;
    TCP_FAST_RETRANSMISSION = "tcp.analysis.fast_retransmission", "This frame is a (suspected) fast retransmission", None, None;
    TCP_SPURIOUS_RETRANSMISSION = "tcp.analysis.spurious_retransmission", "This frame is a (suspected) spurious retransmission", None, None;
    TCP_OUT_OF_ORDER = "tcp.analysis.out_of_order", "This frame is a (suspected) out-of-order segment", None, None;
    TCP_REUSED_PORTS = "tcp.analysis.reused_ports", "A new tcp session is started with the same ports as an earlier session in this trace", None, None;
    TCP_LOST_SEGMENT = "tcp.analysis.lost_segment", "Previous segment(s) not captured (common at capture start)", None, None;
    TCP_ACK_LOST_SEGMENT = "tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured (common at capture start)", None, None;
    TCP_WINDOW_UPDATE = "tcp.analysis.window_update", "TCP window update", None, None;
    TCP_WINDOW_FULL = "tcp.analysis.window_full", "TCP window specified by the receiver is now completely full", None, None;
    TCP_KEEP_ALIVE = "tcp.analysis.keep_alive", "TCP keep-alive segment", None, None;
    TCP_KEEP_ALIVE_ACK = "tcp.analysis.keep_alive_ack", "ACK to a TCP keep-alive segment", None, None;
    TCP_DUPLICATE_ACK = "tcp.analysis.duplicate_ack", "Duplicate ACK", None, None;
    TCP_DUPLICATE_ACK_NUM = "tcp.analysis.duplicate_ack_num", "Duplicate ACK #", U32, Dec;
    TCP_DUPLICATE_ACK_FRAME = "tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame", FrameNum, None;
    TCP_ZERO_WINDOW = "tcp.analysis.zero_window", "TCP Zero Window segment", None, None;
    TCP_ZERO_WINDOW_PROBE = "tcp.analysis.zero_window_probe", "TCP Zero Window Probe", None, None;
    TCP_ZERO_WINDOW_PROBE_ACK = "tcp.analysis.zero_window_probe_ack", "ACK to a TCP Zero Window Probe", None, None;
    UDP_STREAM = "udp.stream", "Stream index", U32, Dec;
    UDP_TIME_RELATIVE = "udp.time_relative", "Time since first frame", RelTime, None;
    UDP_TIME_DELTA = "udp.time_delta", "Time since previous frame", RelTime, None;
}
