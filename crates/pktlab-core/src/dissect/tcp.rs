//! TCP: every header field, the checksum over the pseudo-header, the options (see
//! [`super::tcp_options`]), the payload, and the Info column tshark prints (with raw sequence
//! numbers and window; the analysis rewrites them relative and scaled).

use super::checksum;
use super::dispatch;
use super::ip::{Pseudo, proto};
use super::model::*;
use super::tcp_pdu::Segment;
use super::{Ctx, Part, push_dec, rd};
use std::fmt::Write;

pub static TCP_SRCPORT: FieldDef = FieldDef::new("tcp.srcport", "Source Port", FieldType::U16, Base::Dec).block();
pub static TCP_DSTPORT: FieldDef = FieldDef::new("tcp.dstport", "Destination Port", FieldType::U16, Base::Dec).block();
pub static TCP_PORT: FieldDef = FieldDef::new("tcp.port", "Source or Destination Port", FieldType::U16, Base::Dec);
pub static TCP_SEQ: FieldDef = FieldDef::new("tcp.seq", "Sequence Number", FieldType::U32, Base::Dec).custom(seq_label);

/// `Sequence Number: 1    (relative sequence number)` (a quoted header's is the raw number).
fn seq_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    out.push_str("Sequence Number: ");
    out.push_str(itoa::Buffer::new().format(cx.uint()));
    // The analysis puts the relative number just before the raw one.
    if cx.d.fields.get(cx.idx + 1).is_some_and(|f| std::ptr::eq(f.def, &TCP_SEQ_RAW) && !f.hidden) {
        out.push_str("    (relative sequence number)");
    }
}
pub static TCP_SEQ_RAW: FieldDef = FieldDef::new("tcp.seq_raw", "Sequence Number (raw)", FieldType::U32, Base::Dec).volatile();
pub static TCP_ACK_RAW: FieldDef = FieldDef::new("tcp.ack_raw", "Acknowledgment number (raw)", FieldType::U32, Base::Dec);
pub static TCP_HDR_LEN: FieldDef = FieldDef::new("tcp.hdr_len", "Header Length", FieldType::U8, Base::Dec).mask(0xf0).custom(super::ip::hdr_len_label).pure().block();
pub static TCP_FLAGS: FieldDef = FieldDef::new("tcp.flags", "Flags", FieldType::U16, Base::Hex).mask(0xfff).whole(flags_label).pure().block();

/// `Flags: 0x012 (SYN, ACK)`: the flag names set, with no bit pattern.
fn flags_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let n = cx.uint();
    out.push_str("Flags: ");
    super::push_hex_w(out, n, 3);
    out.push_str(" (");
    // (tshark's word for none.)
    if !push_set_flag_names(out, n) {
        out.push_str("<None>");
    }
    out.push(')');
}
pub static TCP_FLAGS_RES: FieldDef = FieldDef::new("tcp.flags.res", "Reserved", FieldType::Bool, Base::None).mask(0xe00);
pub static TCP_FLAGS_AE: FieldDef = FieldDef::new("tcp.flags.ae", "Accurate ECN", FieldType::Bool, Base::None).mask(0x100);
pub static TCP_FLAGS_CWR: FieldDef = FieldDef::new("tcp.flags.cwr", "Congestion Window Reduced", FieldType::Bool, Base::None).mask(0x80);
pub static TCP_FLAGS_ECE: FieldDef = FieldDef::new("tcp.flags.ece", "ECN-Echo", FieldType::Bool, Base::None).mask(0x40);
pub static TCP_FLAGS_URG: FieldDef = FieldDef::new("tcp.flags.urg", "Urgent", FieldType::Bool, Base::None).mask(0x20);
pub static TCP_FLAGS_ACK: FieldDef = FieldDef::new("tcp.flags.ack", "Acknowledgment", FieldType::Bool, Base::None).mask(0x10);
pub static TCP_FLAGS_PUSH: FieldDef = FieldDef::new("tcp.flags.push", "Push", FieldType::Bool, Base::None).mask(0x8);
pub static TCP_FLAGS_RESET: FieldDef = FieldDef::new("tcp.flags.reset", "Reset", FieldType::Bool, Base::None).mask(0x4);
pub static TCP_FLAGS_SYN: FieldDef = FieldDef::new("tcp.flags.syn", "Syn", FieldType::Bool, Base::None).mask(0x2);
pub static TCP_FLAGS_FIN: FieldDef = FieldDef::new("tcp.flags.fin", "Fin", FieldType::Bool, Base::None).mask(0x1);
pub static TCP_FLAGS_STR: FieldDef = FieldDef::new("tcp.flags.str", "TCP Flags", FieldType::Str, Base::None);
pub static TCP_WINDOW_SIZE_VALUE: FieldDef = FieldDef::new("tcp.window_size_value", "Window", FieldType::U16, Base::Dec);
pub static TCP_CHECKSUM: FieldDef = FieldDef::new("tcp.checksum", "Checksum", FieldType::U16, Base::Hex).custom(checksum_label);

/// What tshark's Info says of a segment whose checksum is wrong, with the check on (after
/// the window, before the length).
const INCORRECT: &str = " [TCP CHECKSUM INCORRECT]";

/// `Checksum: 0x6107 [correct]`, `… incorrect, should be 0x1c60(maybe caused by "TCP checksum
/// offload"?)`, or `[unverified]`.
fn checksum_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::label::checksum(cx, out, &TCP_CHECKSUM_STATUS, &TCP_CHECKSUM_CALCULATED, "(maybe caused by \"TCP checksum offload\"?)", " [unverified]");
}
pub static TCP_CHECKSUM_STATUS: FieldDef = FieldDef::new("tcp.checksum.status", "Checksum Status", FieldType::U8, Base::Dec).custom(super::label::checksum_status).pure();
pub static TCP_CHECKSUM_CALCULATED: FieldDef = FieldDef::new("tcp.checksum_calculated", "Calculated Checksum", FieldType::U16, Base::Hex).volatile();
pub static TCP_URGENT_POINTER: FieldDef = FieldDef::new("tcp.urgent_pointer", "Urgent Pointer", FieldType::U16, Base::Dec);
pub static TCP_LEN: FieldDef = FieldDef::new("tcp.len", "TCP Segment Len", FieldType::U32, Base::Dec);
pub static TCP_PAYLOAD: FieldDef = FieldDef::new("tcp.payload", "TCP payload", FieldType::Bytes, Base::None).custom(super::label::payload).pure();
/// A RST's payload, shown as text (RFC 1122 4.2.2.12: it may say why the connection was
/// reset) and dissected no further.
pub static TCP_RESET_CAUSE: FieldDef = FieldDef::new("tcp.reset_cause", "Reset cause", FieldType::Str, Base::None);

/// Every field this module defines.
/// `[PDU Size: 40]`: the length of a PDU read by tshark's `tcp_dissect_pdus` (WebSocket's
/// frames), added by [`super::tcp_pdu`] for each PDU the segment holds.
pub static TCP_PDU_SIZE: FieldDef = FieldDef::new("tcp.pdu.size", "PDU Size", FieldType::U32, Base::Dec);

/// `TCP segment data (1448 bytes)`: the part of the segment that belongs to a PDU
/// reassembled from several segments (see [`super::tcp_pdu`]).
pub static TCP_SEGMENT_DATA: FieldDef = FieldDef::new("tcp.segment_data", "TCP segment data", FieldType::Bytes, Base::None).custom(segment_data_label);

/// `TCP segment data (1448 bytes)`, `Retransmitted TCP segment data (1448 bytes)` in a frame
/// the analysis found a retransmission (its bytes were sent before: read by no protocol); a
/// fast retransmission (shown as a retransmission too) is read as any segment.
fn segment_data_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let flagged = |name: &str| cx.d.fields.iter().any(|f| f.def.abbrev == name);
    if flagged("tcp.analysis.retransmission") && !flagged("tcp.analysis.fast_retransmission") {
        out.push_str("Retransmitted ");
    }
    super::label::payload(cx, out);
}
/// Under `[N Reassembled TCP Segments …]`: `[Frame: 14, payload: 0-32767 (32768 bytes)]`.
pub static TCP_SEGMENT: FieldDef = FieldDef::new("tcp.segment", "TCP Segment", FieldType::FrameNum, Base::None).whole(segment_label);
pub static TCP_SEGMENT_COUNT: FieldDef = FieldDef::new("tcp.segment.count", "Segment count", FieldType::U32, Base::Dec);
pub static TCP_REASSEMBLED_LENGTH: FieldDef = FieldDef::new("tcp.reassembled.length", "Reassembled TCP length", FieldType::U32, Base::Dec);
pub static TCP_REASSEMBLED_DATA: FieldDef = FieldDef::new("tcp.reassembled.data", "Reassembled TCP Data", FieldType::Bytes, Base::None);
/// Without reassembly, a segment inside a PDU begun in frame N (see [`super::tcp_pdu`]).
pub static TCP_CONTINUATION_TO: FieldDef = FieldDef::new("tcp.continuation_to", "This is a continuation to the PDU in frame", FieldType::FrameNum, Base::None);

/// `Frame: 14, payload: 0-32767 (32768 bytes)`: the segment's (or IP fragment's) frame and
/// where its bytes sit in the reassembled PDU (the field's range in the reassembled buffer);
/// `Frame: 15 (no data)` for a part with none.
pub(crate) fn segment_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let (a, n) = (u64::from(cx.field.offset), u64::from(cx.field.len));
    if n == 0 {
        // (A FIN that ends a PDU running until the connection closes.)
        let _ = write!(out, "Frame: {} (no data)", cx.uint());
        return;
    }
    let _ = write!(out, "Frame: {}, payload: {a}-{} (", cx.uint(), (a + n).saturating_sub(1));
    super::label::bytes_plural(n, out);
    out.push(')');
}

pub static FIELDS: &[&FieldDef] = &[&TCP_SRCPORT, &TCP_DSTPORT, &TCP_PORT, &TCP_SEQ_RAW, &TCP_ACK_RAW, &TCP_HDR_LEN, &TCP_FLAGS, &TCP_FLAGS_RES, &TCP_FLAGS_AE, &TCP_FLAGS_CWR, &TCP_FLAGS_ECE, &TCP_FLAGS_URG, &TCP_FLAGS_ACK, &TCP_FLAGS_PUSH, &TCP_FLAGS_RESET, &TCP_FLAGS_SYN, &TCP_FLAGS_FIN, &TCP_FLAGS_STR, &TCP_WINDOW_SIZE_VALUE, &TCP_CHECKSUM, &TCP_CHECKSUM_STATUS, &TCP_CHECKSUM_CALCULATED, &TCP_URGENT_POINTER, &TCP_LEN, &TCP_PAYLOAD, &TCP_RESET_CAUSE, &TCP_PDU_SIZE, &TCP_SEGMENT_DATA, &TCP_SEGMENT, &TCP_SEGMENT_COUNT, &TCP_REASSEMBLED_LENGTH, &TCP_REASSEMBLED_DATA, &TCP_CONTINUATION_TO];

/// The ports (see [`super::Part::TcpPorts`]).
pub(crate) static PORT_FIELDS: &[&FieldDef] = &[&TCP_SRCPORT, &TCP_DSTPORT, &TCP_PORT];

/// The rest of the header's own fields (see [`super::Part::TcpHeader`]).
pub(crate) static HEADER_FIELDS: &[&FieldDef] = &[
    &TCP_LEN,
    &TCP_SEQ_RAW,
    &TCP_SEQ,
    &TCP_ACK_RAW,
    &TCP_HDR_LEN,
    &TCP_FLAGS,
    &TCP_WINDOW_SIZE_VALUE,
    &TCP_CHECKSUM,
    &TCP_CHECKSUM_STATUS,
    &TCP_CHECKSUM_CALCULATED,
    &TCP_URGENT_POINTER,
    &TCP_PAYLOAD,
];

/// The bits under `tcp.flags` (see [`super::Part::TcpFlagBits`]).
pub(crate) static FLAG_BIT_FIELDS: &[&FieldDef] = &[
    &TCP_FLAGS_RES,
    &TCP_FLAGS_AE,
    &TCP_FLAGS_CWR,
    &TCP_FLAGS_ECE,
    &TCP_FLAGS_URG,
    &TCP_FLAGS_ACK,
    &TCP_FLAGS_PUSH,
    &TCP_FLAGS_RESET,
    &TCP_FLAGS_SYN,
    &TCP_FLAGS_FIN,
    &TCP_FLAGS_STR,
];

/// The flag bits of the 12-bit flags field (`tcp.flags`).
pub mod flag {
    pub const FIN: u16 = 0x0001;
    pub const SYN: u16 = 0x0002;
    pub const RST: u16 = 0x0004;
    pub const PSH: u16 = 0x0008;
    pub const ACK: u16 = 0x0010;
    pub const URG: u16 = 0x0020;
    pub const ECE: u16 = 0x0040;
    pub const CWR: u16 = 0x0080;
    pub const AE: u16 = 0x0100;
    pub const RESERVED: u16 = 0x0e00;
    /// All 12 bits.
    pub const ALL: u16 = 0x0fff;
}

/// Flag names in tshark's Info order (lowest bit first).
const FLAG_NAMES: [&str; 9] = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"];

/// tshark's `tcp.flags.str`: 12 characters, a letter for each bit set, `·` otherwise.
pub fn flags_str(flags: u16) -> Box<str> {
    const LETTERS: &[u8; 12] = b"RRRACEUAPRSF";
    // (A letter is one byte, `·` two: the exact length, so the box is the string's own
    // memory.)
    let set = (flags & flag::ALL).count_ones() as usize;
    let mut s = String::with_capacity(set + 2 * (12 - set));
    for (i, c) in LETTERS.iter().enumerate() {
        if flags & (1 << (11 - i)) != 0 {
            s.push(char::from(*c));
        } else {
            s.push('·');
        }
    }
    s.into_boxed_str()
}

/// The names of the flags set in `flags` (`SYN, ACK`); whether there was one.
fn push_set_flag_names(s: &mut String, flags: u64) -> bool {
    let mut any = false;
    for (i, n) in FLAG_NAMES.iter().enumerate() {
        if flags & (1 << i) != 0 {
            if any {
                s.push_str(", ");
            }
            s.push_str(n);
            any = true;
        }
    }
    any
}

/// The `[SYN, ACK]` part of the Info column.
pub fn push_flag_names(s: &mut String, flags: u16) {
    s.push('[');
    let mut first = !push_set_flag_names(s, u64::from(flags));
    if flags & flag::RESERVED != 0 {
        if !first {
            s.push_str(", ");
        }
        s.push_str("Reserved");
        first = false;
    }
    if first {
        s.push_str("<None>");
    }
    s.push(']');
}

/// Dissects a TCP header at `off`; `end` is where the segment ends by the IP length.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize, pseudo: Pseudo) {
    let li = cx.open("tcp", "Transmission Control Protocol", Osi::Transport, off, 20);
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("TCP");
    }
    // The Info column is written only for the outermost header, and only when text is on.
    let info = outer && cx.columns;
    cx.open_facts(li, false);
    // Blocks of fields no wanted field is in are skipped (see `Part`); the facts, expert
    // items and Info are kept.
    let (ports, hdr, bits) = (cx.part(Part::TcpPorts), cx.part(Part::TcpHeader), cx.part(Part::TcpFlagBits));
    // The analysis's fields made beforehand go in place as the header's are added: in the
    // outermost header, with every field, when the whole header was captured (so every
    // field they go beside is there).
    let placing = cx.adds_for(li)
        && outer
        && ports
        && hdr
        && bits
        && data.get(off + 12).is_some_and(|b| {
            let hlen = (b >> 4) as usize * 4;
            hlen >= 20 && data.len() >= off + hlen
        });
    if placing {
        cx.start_placing();
    }
    let Some(sport) = rd::u16(data, off) else { return stop(cx, li, data, off, 2) };
    if ports {
        cx.add(&TCP_SRCPORT, off, 2, Value::UInt(sport as u64));
    }
    cx.facts().sport = Some(sport);
    let Some(dport) = rd::u16(data, off + 2) else { return stop(cx, li, data, off + 2, 2) };
    cx.facts().dport = Some(dport);
    if ports {
        cx.add(&TCP_DSTPORT, off + 2, 2, Value::UInt(dport as u64));
        cx.add_hidden(&TCP_PORT, off, 2, Value::UInt(sport as u64));
        cx.add_hidden(&TCP_PORT, off + 2, 2, Value::UInt(dport as u64));
    }
    if info {
        cx.out.info.clear();
        let info = &mut cx.out.info;
        push_dec(info, sport as u64);
        info.push_str(" → ");
        push_dec(info, dport as u64);
    }
    // tshark reads the numbers, offset, flags and window before adding any of them.
    let (Some(seq), Some(ack), Some(offx), Some(win)) = (rd::u32(data, off + 4), rd::u32(data, off + 8), rd::u16(data, off + 12), rd::u16(data, off + 14)) else {
        return stop(cx, li, data, off + 4, 12);
    };
    let hlen = ((offx >> 12) as usize) * 4;
    let flags = offx & flag::ALL;
    let seglen = end.saturating_sub(off + hlen);
    let facts = cx.facts();
    (facts.seq, facts.ack, facts.flags, facts.window) = (Some(seq), Some(ack), Some(flags), Some(win));
    if outer {
        facts.seglen = Some(seglen as u32);
    }
    let hl_at = if hdr {
        if outer {
            if placing {
                cx.place(Slot::BeforeLen, off);
            }
            cx.add_gen(&TCP_LEN, off, 0, Value::UInt(seglen as u64));
            if placing {
                cx.place(Slot::BeforeSeqRaw, off);
            }
            cx.add(&TCP_SEQ_RAW, off + 4, 4, Value::UInt(seq as u64));
            if placing {
                cx.place(Slot::AfterSeqRaw, off);
                cx.place(Slot::BeforeAckRaw, off);
            }
        } else {
            cx.add(&TCP_SEQ, off + 4, 4, Value::UInt(seq as u64));
        }
        cx.add(&TCP_ACK_RAW, off + 8, 4, Value::UInt(ack as u64));
        let hl_at = cx.add(&TCP_HDR_LEN, off + 12, 1, Value::UInt(hlen as u64));
        cx.add(&TCP_FLAGS, off + 12, 2, Value::UInt(flags as u64));
        hl_at
    } else {
        cx.out.fields.len() as u32
    };
    // The bits' block also adds the expert items of SYN, RST and FIN.
    let flag_experts = outer && flags & (flag::SYN | flag::RST | flag::FIN) != 0 && cx.experts();
    if bits || flag_experts {
        flag_bits(cx, off, flags, outer, sport, dport);
    }
    if placing
        && let Some(placed) = cx.out.placed.as_mut()
    {
        let last = cx.out.fields.len().checked_sub(1);
        placed.flags_str = last.filter(|&i| std::ptr::eq(cx.out.fields[i].def, &TCP_FLAGS_STR)).map(|i| i as u32);
    }
    if hdr {
        cx.add(&TCP_WINDOW_SIZE_VALUE, off + 14, 2, Value::UInt(win as u64));
        if placing {
            cx.place(Slot::AfterWindowValue, off);
        }
    }
    if info {
        let info = &mut cx.out.info;
        info.push(' ');
        push_flag_names(info, flags);
        info.push_str(" Seq=");
        push_dec(info, seq as u64);
        if flags & flag::ACK != 0 {
            info.push_str(" Ack=");
            push_dec(info, ack as u64);
        }
        info.push_str(" Win=");
        push_dec(info, win as u64);
    }
    if hlen < 20 {
        cx.expert(Severity::Error, "tcp.bogus_header_length", format!("Bogus TCP header length ({hlen}, must be at least 20)"), Some(hl_at));
        cx.close(li);
        return;
    }
    cx.set_len(li, hlen);
    let Some(stored) = rd::u16(data, off + 16) else { return stop(cx, li, data, off + 16, 2) };
    let ck_at = if hdr { cx.add(&TCP_CHECKSUM, off + 16, 2, Value::UInt(stored as u64)) } else { cx.out.fields.len() as u32 };
    // (Without the header's fields, only the verification's expert item may be wanted.)
    let verify = cx.checksums() && super::prefs::TCP_CHECK_CHECKSUM.get();
    // With `-o tcp.check_checksum:TRUE` given, a segment whose checksum is wrong is not
    // reassembled (tshark's `desegment_ok = FALSE`): its payload is read on its own. That
    // decides what later frames show, so it is checked whatever the reader wants.
    let mut reassemble = true;
    if outer && !verify && super::prefs::TCP_CHECK_CHECKSUM.explicitly_on()
        && let Some(seg) = data.get(off..end)
    {
        reassemble = checksum::finish(checksum::sum(seg, pseudo.sum(proto::TCP, seg.len()))) == 0;
        if info && !reassemble {
            cx.out.info.push_str(INCORRECT);
        }
    }
    if hdr || verify {
        // Verified when the whole segment was captured; a quoted header is checked over the
        // bytes quoted, as tshark does. (Not at all when a demand wants no checksum: only the
        // unwanted status would follow.)
        let seg = if outer { data.get(off..end) } else { data.get(off..end.min(data.len())) };
        match seg.filter(|_| verify) {
            Some(seg) if outer || !seg.is_empty() => {
                let ps = pseudo.sum(proto::TCP, seg.len());
                let (good, calc) = checksum::verify(ps, seg, 16);
                cx.add_gen(&TCP_CHECKSUM_STATUS, off + 16, 0, Value::UInt(good as u64));
                cx.add_gen(&TCP_CHECKSUM_CALCULATED, off + 16, 2, Value::UInt(calc as u64));
                if !good {
                    cx.expert(Severity::Error, "tcp.checksum_bad", checksum::bad_message(calc), Some(ck_at));
                    reassemble = !(outer && super::prefs::TCP_CHECK_CHECKSUM.explicitly_on());
                    // As tshark's Info with the check asked for (pktlab's own default
                    // check leaves the Info as tshark's default shows it).
                    if info && !reassemble {
                        cx.out.info.push_str(INCORRECT);
                    }
                }
            }
            _ => {
                cx.add_gen(&TCP_CHECKSUM_STATUS, off + 16, 0, Value::UInt(2));
            }
        }
    }
    let Some(urg) = rd::u16(data, off + 18) else { return stop(cx, li, data, off + 18, 2) };
    if hdr {
        cx.add(&TCP_URGENT_POINTER, off + 18, 2, Value::UInt(urg as u64));
    }
    if info {
        if flags & flag::URG != 0 {
            let _ = write!(cx.out.info, " Urg={urg}");
        }
        cx.out.info.push_str(" Len=");
        push_dec(&mut cx.out.info, seglen as u64);
    }
    // (With the analysis put in place, its relative numbers.)
    let (seq_shown, ack_shown) = cx.adds.as_deref().and_then(|a| a.numbers).filter(|_| placing).unwrap_or((seq, ack));
    if let Some(s) = cx.summary(li) {
        s.push_str("Src Port: ");
        push_dec(s, sport as u64);
        s.push_str(", Dst Port: ");
        push_dec(s, dport as u64);
        s.push_str(", Seq: ");
        push_dec(s, seq_shown as u64);
        if flags & flag::ACK != 0 {
            s.push_str(", Ack: ");
            push_dec(s, ack_shown as u64);
        }
        s.push_str(", Len: ");
        push_dec(s, seglen as u64);
    }
    if hlen > 20 {
        if data.len() < off + hlen {
            return stop(cx, li, data, off + 20, hlen - 20);
        }
        super::tcp_options::dissect(cx, data, off + 20, off + hlen, info, flags & flag::SYN != 0);
    }
    let pstart = off + hlen;
    let pend = end.min(data.len());
    if placing {
        cx.place(Slot::BeforePayload, off);
    }
    // tshark adds the payload item only when the bytes the header announces were captured.
    if hdr && pend > pstart && (end <= data.len() || !outer) {
        cx.add(&TCP_PAYLOAD, pstart, pend - pstart, Value::Bytes);
    }
    // tshark shows the bytes of a RST as its cause, in ASCII (up to a NUL), and hands them
    // to no protocol.
    let reset_cause = flags & flag::RST != 0 && pend > pstart;
    if reset_cause && cx.wants(&TCP_RESET_CAUSE) {
        let b = &data[pstart..pend];
        let text = &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())];
        cx.add(&TCP_RESET_CAUSE, pstart, pend - pstart, Value::Str(super::http::ascii_text(text)));
    }
    cx.close(li);
    if outer && !reset_cause {
        if info && pend > pstart {
            cx.out.tcp_info.clone_from(&cx.out.info);
        }
        dispatch::tcp_segment(cx, data, pstart, pend, seglen, Segment { pseudo, sport, dport, seq, flags, reassemble });
    }
}

/// The flag bits under `tcp.flags` (one level down), `tcp.flags.str`, and the expert items
/// of a SYN, RST or FIN in the outermost header, on the bit they concern.
fn flag_bits(cx: &mut Ctx, off: usize, flags: u16, outer: bool, sport: u16, dport: u16) {
    let experts = outer && cx.experts();
    cx.child(|cx| {
        let bits: [(&'static FieldDef, u16); 10] = [
            (&TCP_FLAGS_RES, flag::RESERVED),
            (&TCP_FLAGS_AE, flag::AE),
            (&TCP_FLAGS_CWR, flag::CWR),
            (&TCP_FLAGS_ECE, flag::ECE),
            (&TCP_FLAGS_URG, flag::URG),
            (&TCP_FLAGS_ACK, flag::ACK),
            (&TCP_FLAGS_PUSH, flag::PSH),
            (&TCP_FLAGS_RESET, flag::RST),
            (&TCP_FLAGS_SYN, flag::SYN),
            (&TCP_FLAGS_FIN, flag::FIN),
        ];
        for (def, m) in bits {
            let at = cx.add(def, off + 12, 2, Value::Bool(flags & m != 0));
            if !experts || flags & m == 0 {
                continue;
            }
            match m {
                flag::SYN if flags & flag::ACK != 0 => {
                    cx.expert(Severity::Chat, "tcp.connection.synack", format!("Connection establish acknowledge (SYN+ACK): server port {sport}"), Some(at));
                }
                flag::SYN => cx.expert(Severity::Chat, "tcp.connection.syn", format!("Connection establish request (SYN): server port {dport}"), Some(at)),
                flag::RST => cx.expert(Severity::Warn, "tcp.connection.rst", "Connection reset (RST)", Some(at)),
                flag::FIN => cx.expert(Severity::Chat, "tcp.connection.fin", "Connection finish (FIN)", Some(at)),
                _ => {}
            }
        }
        if cx.wants(&TCP_FLAGS_STR) {
            cx.add_gen(&TCP_FLAGS_STR, off + 12, 2, Value::Str(flags_str(flags)));
        }
    });
}

fn stop(cx: &mut Ctx, li: usize, data: &[u8], off: usize, len: usize) {
    cx.close(li);
    cx.short(data, off, len);
}
