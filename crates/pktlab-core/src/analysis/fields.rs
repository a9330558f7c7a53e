//! Field definitions the analysis adds to a dissection, named and typed as tshark 4.0's
//! `tshark -G fields` lists them (`tcp.stream` FT_UINT32, `tcp.window_size_scalefactor`
//! FT_INT32, `tcp.analysis.ack_rtt` FT_RELATIVE_TIME, flags FT_NONE, …).

use crate::dissect::label::LabelCx;
use crate::dissect::model::{Base, FieldDef, FieldType, Value};
pub use crate::dissect::tcp::TCP_SEQ;

macro_rules! defs {
    ($($id:ident $(= $abbrev:literal, $name:literal, $ty:ident, $base:ident $(, $modifier:ident)?)?;)*) => {
        $($(pub static $id: FieldDef = FieldDef::new($abbrev, $name, FieldType::$ty, Base::$base)$(.$modifier())?;)?)*
        /// Every analysis field, in registration order.
        pub static ALL: &[&FieldDef] = &[$(&$id),*];
    };
}

/// `tcp.completeness`: what the connection has shown so far, named as tshark does.
pub static TCP_COMPLETENESS: FieldDef = FieldDef::new("tcp.completeness", "Conversation completeness", FieldType::U8, Base::Dec).custom(completeness_label).pure();
/// `tcp.ack`, relative to the peer's initial sequence number.
pub static TCP_ACK: FieldDef = FieldDef::new("tcp.ack", "Acknowledgment Number", FieldType::U32, Base::Dec).custom(ack_label);

/// `tcp.analysis.duplicate_ack`, which tshark's tree words as a sentence.
pub static TCP_DUPLICATE_ACK: FieldDef = FieldDef::new("tcp.analysis.duplicate_ack", "Duplicate ACK", FieldType::None, Base::None).custom(|_, out| out.push_str("This is a TCP duplicate ack"));

/// `tcp.window_size_scalefactor`: -1 and -2 say why there is no factor.
pub static TCP_WINDOW_SCALEFACTOR: FieldDef = FieldDef::new("tcp.window_size_scalefactor", "Window size scaling factor", FieldType::I32, Base::Dec).custom(scalefactor_label).pure();

/// `Window size scaling factor: 1024`, `-1 (unknown)`, `-2 (no window scaling used)`.
fn scalefactor_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint() as i64;
    out.push_str("Window size scaling factor: ");
    out.push_str(itoa::Buffer::new().format(v));
    match v {
        -1 => out.push_str(" (unknown)"),
        -2 => out.push_str(" (no window scaling used)"),
        _ => {}
    }
}

/// `tcp.nxtseq`, relative.
pub static TCP_NXTSEQ: FieldDef = FieldDef::new("tcp.nxtseq", "Next Sequence Number", FieldType::U32, Base::Dec).custom(nxtseq_label);

/// `Next Sequence Number: 10    (relative sequence number)`.
fn nxtseq_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Next Sequence Number: ");
    out.push_str(itoa::Buffer::new().format(cx.uint()));
    // Absolute with `-o tcp.relative_sequence_numbers:FALSE`.
    if crate::dissect::prefs::tcp_relative() {
        out.push_str("    (relative sequence number)");
    }
}

/// `Conversation completeness: Incomplete, DATA (15)` (Wireshark's `conversation_completeness_fill`).
fn completeness_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let name = match v {
        1 => "Incomplete, SYN_SENT",
        3 => "Incomplete, CLIENT_ESTABLISHED",
        7 => "Incomplete, ESTABLISHED",
        15 => "Incomplete, DATA",
        31 | 47 | 63 => "Complete, WITH_DATA",
        23 | 39 | 55 => "Complete, NO_DATA",
        _ => "Incomplete",
    };
    out.push_str("Conversation completeness: ");
    out.push_str(name);
    out.push_str(" (");
    out.push_str(itoa::Buffer::new().format(v));
    out.push(')');
}

/// `Acknowledgment Number: 1    (relative ack number)` on a segment with ACK set.
fn ack_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Acknowledgment Number: ");
    out.push_str(itoa::Buffer::new().format(cx.uint()));
    let acked = cx.in_layer(&crate::dissect::tcp::TCP_FLAGS).is_some_and(|f| matches!(f.value, Value::UInt(n) if n & 0x10 != 0));
    // Relative when the raw number follows (see `-o tcp.relative_sequence_numbers`).
    let relative = cx.d.fields.get(cx.idx + 1).is_some_and(|f| std::ptr::eq(f.def, &crate::dissect::tcp::TCP_ACK_RAW) && !f.hidden);
    if acked && relative {
        out.push_str("    (relative ack number)");
    }
}

defs! {
    TCP_STREAM = "tcp.stream", "Stream index", U32, Dec;
    TCP_COMPLETENESS;
    // Defined by the dissector (a header quoted in an ICMP error carries it); the analysis
    // fills it in for every other segment and registers it here, in tshark's order.
    TCP_SEQ;
    TCP_NXTSEQ;
    TCP_ACK;
    TCP_WINDOW_SIZE = "tcp.window_size", "Calculated window size", U32, Dec;
    TCP_WINDOW_SCALEFACTOR;
    TCP_TIME_RELATIVE = "tcp.time_relative", "Time since first frame in this TCP stream", RelTime, None, volatile;
    TCP_TIME_DELTA = "tcp.time_delta", "Time since previous frame in this TCP stream", RelTime, None, volatile;
    TCP_ANALYSIS = "tcp.analysis", "SEQ/ACK analysis", None, None;
    TCP_ANALYSIS_FLAGS = "tcp.analysis.flags", "TCP Analysis Flags", None, None;
    TCP_ACKS_FRAME = "tcp.analysis.acks_frame", "This is an ACK to the segment in frame", FrameNum, None, volatile;
    TCP_ACK_RTT = "tcp.analysis.ack_rtt", "The RTT to ACK the segment was", RelTime, None, volatile;
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
    TCP_DUPLICATE_ACK;
    TCP_DUPLICATE_ACK_NUM = "tcp.analysis.duplicate_ack_num", "Duplicate ACK #", U32, Dec;
    TCP_DUPLICATE_ACK_FRAME = "tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame", FrameNum, None;
    TCP_ZERO_WINDOW = "tcp.analysis.zero_window", "TCP Zero Window segment", None, None;
    TCP_ZERO_WINDOW_PROBE = "tcp.analysis.zero_window_probe", "TCP Zero Window Probe", None, None;
    TCP_ZERO_WINDOW_PROBE_ACK = "tcp.analysis.zero_window_probe_ack", "ACK to a TCP Zero Window Probe", None, None;
    TCP_RTO = "tcp.analysis.rto", "The RTO for this segment was", RelTime, None;
    TCP_RTO_FRAME = "tcp.analysis.rto_frame", "RTO based on delta from frame", FrameNum, None;
    UDP_STREAM = "udp.stream", "Stream index", U32, Dec;
    UDP_TIME_RELATIVE = "udp.time_relative", "Time since first frame", RelTime, None, volatile;
    UDP_TIME_DELTA = "udp.time_delta", "Time since previous frame", RelTime, None, volatile;
}
