//! ICMP: type, code, checksum, the type's own fields, and for error messages the quoted IP
//! header and the first bytes of its transport header, dissected as tshark does.

use super::{checksum, dispatch};
use super::model::*;
use super::{Ctx, rd};
use std::fmt::Write;

pub static ICMP_TYPE: FieldDef = FieldDef::new("icmp.type", "Type", FieldType::U8, Base::Dec).vals_shown(type_name).custom(type_label);
pub static ICMP_CODE: FieldDef = FieldDef::new("icmp.code", "Code", FieldType::U8, Base::Dec).custom(code_label);
pub static ICMP_CHECKSUM: FieldDef = FieldDef::new("icmp.checksum", "Checksum", FieldType::U16, Base::Hex).custom(checksum_label);

/// `Type: 8 (Echo (ping) request)`: the number first, as ICMP's dissector writes it.
fn type_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let t = cx.uint();
    let _ = write!(out, "Type: {t} ({})", type_name(t).unwrap_or("Unknown ICMP (obsolete or malformed?)"));
}

/// `Code: 3 (Port unreachable)` for the types whose codes have names, else `Code: 0`.
fn code_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    named_code(cx, &ICMP_TYPE, out, |t, c, out| code_name(t, c).map(|n| out.push_str(n)).is_some());
}

/// `Code: N (NAME)` of an ICMP or ICMPv6 code field, the name `name` appends for (type,
/// code) read from the layer's `type_def` field (returning false, and appending nothing,
/// where codes of that type have no names).
pub(crate) fn named_code(cx: &super::label::LabelCx<'_>, type_def: &'static FieldDef, out: &mut String, name: impl Fn(u64, u64, &mut String) -> bool) {
    let c = cx.uint();
    let t = cx.in_layer(type_def).map_or(u64::MAX, |f| match f.value {
        Value::UInt(n) => n,
        _ => u64::MAX,
    });
    let _ = write!(out, "Code: {c}");
    let at = out.len();
    out.push_str(" (");
    if name(t, c, out) {
        out.push(')');
    } else {
        out.truncate(at);
    }
}

/// Names of ICMP codes (Wireshark's `unreach_str`, `exceed_str`, `redir_str`).
fn code_name(t: u64, c: u64) -> Option<&'static str> {
    const UNREACH: [&str; 16] = [
        "Network unreachable",
        "Host unreachable",
        "Protocol unreachable",
        "Port unreachable",
        "Fragmentation needed",
        "Source route failed",
        "Destination network unknown",
        "Destination host unknown",
        "Source host isolated",
        "Network administratively prohibited",
        "Host administratively prohibited",
        "Network unreachable for TOS",
        "Host unreachable for TOS",
        "Communication administratively filtered",
        "Host precedence violation",
        "Precedence cutoff in effect",
    ];
    const EXCEED: [&str; 2] = ["Time to live exceeded in transit", "Fragment reassembly time exceeded"];
    const REDIR: [&str; 4] = ["Redirect for network", "Redirect for host", "Redirect for TOS and network", "Redirect for TOS and host"];
    let c = c as usize;
    match t {
        3 => UNREACH.get(c).copied(),
        11 => EXCEED.get(c).copied(),
        5 => REDIR.get(c).copied(),
        _ => None,
    }
}

/// `Checksum: 0x23f3 [correct]`, or `[unverified] [in ICMP error packet]` for a quoted message.
fn checksum_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let st = cx.d.fields.get(cx.idx + 1..).unwrap_or(&[]).iter().take(2).find(|f| std::ptr::eq(f.def, &ICMP_CHECKSUM_STATUS)).map(|f| match f.value {
        Value::UInt(n) => n,
        _ => 2,
    });
    let _ = write!(out, "Checksum: 0x{:04x}", cx.uint());
    match st {
        Some(1) => out.push_str(" [correct]"),
        Some(0) => {
            // The value it should have is in the expert item's "Bad checksum [should be 0x…]".
            let should = cx.d.experts.iter().find(|e| e.field == Some(cx.idx as u32)).and_then(|e| e.message.split("should be ").nth(1)).map(|m| m.trim_end_matches(']'));
            out.push_str(" incorrect");
            if let Some(v) = should {
                let _ = write!(out, ", should be {v}");
            }
        }
        Some(_) => out.push_str(" [unverified] [in ICMP error packet]"),
        None => {}
    }
}
pub static ICMP_CHECKSUM_STATUS: FieldDef = FieldDef::new("icmp.checksum.status", "Checksum Status", FieldType::U8, Base::Dec).custom(super::label::checksum_status).pure();
pub static ICMP_IDENT: FieldDef = FieldDef::new("icmp.ident", "Identifier (BE)", FieldType::U16, Base::DecHex);
pub static ICMP_IDENT_LE: FieldDef = FieldDef::new("icmp.ident_le", "Identifier (LE)", FieldType::U16, Base::DecHex);
pub static ICMP_SEQ: FieldDef = FieldDef::new("icmp.seq", "Sequence Number (BE)", FieldType::U16, Base::DecHex);
pub static ICMP_SEQ_LE: FieldDef = FieldDef::new("icmp.seq_le", "Sequence Number (LE)", FieldType::U16, Base::DecHex);
pub static ICMP_UNUSED: FieldDef = FieldDef::new("icmp.unused", "Unused", FieldType::Bytes, Base::None);
pub static ICMP_MTU: FieldDef = FieldDef::new("icmp.mtu", "MTU of next hop", FieldType::U16, Base::Dec);
pub static ICMP_REDIR_GW: FieldDef = FieldDef::new("icmp.redir_gw", "Gateway Address", FieldType::Ipv4, Base::None);
pub static ICMP_POINTER: FieldDef = FieldDef::new("icmp.pointer", "Pointer", FieldType::U32, Base::Dec);
pub static ICMP_LENGTH: FieldDef = FieldDef::new("icmp.length", "Length", FieldType::U8, Base::Dec);
pub static ICMP_ORIGINATE_TIMESTAMP: FieldDef = FieldDef::new("icmp.originate_timestamp", "Originate Timestamp", FieldType::U32, Base::Dec);
pub static ICMP_RECEIVE_TIMESTAMP: FieldDef = FieldDef::new("icmp.receive_timestamp", "Receive Timestamp", FieldType::U32, Base::Dec);
pub static ICMP_TRANSMIT_TIMESTAMP: FieldDef = FieldDef::new("icmp.transmit_timestamp", "Transmit Timestamp", FieldType::U32, Base::Dec);
pub static ICMP_ADDRESS_MASK: FieldDef = FieldDef::new("icmp.address_mask", "Address Mask", FieldType::Ipv4, Base::None);
pub static ICMP_DATA_TIME: FieldDef = FieldDef::new("icmp.data_time", "Timestamp from icmp data", FieldType::AbsTime, Base::None);

pub static ICMP_LENGTH_ORIGINAL_DATAGRAM: FieldDef = FieldDef::new("icmp.length.original_datagram", "Length of original datagram", FieldType::U8, Base::Dec);

pub static ICMP_DATA_TIME_RELATIVE: FieldDef = FieldDef::new("icmp.data_time_relative", "Timestamp from icmp data (relative)", FieldType::RelTime, Base::None);

/// Every field this module defines.
pub static ICMP_RESP_IN: FieldDef = FieldDef::new("icmp.resp_in", "Response frame", FieldType::FrameNum, Base::None);
pub static ICMP_RESP_TO: FieldDef = FieldDef::new("icmp.resp_to", "Request frame", FieldType::FrameNum, Base::None);
pub static ICMP_RESPTIME: FieldDef = FieldDef::new("icmp.resptime", "Response time", FieldType::Float, Base::None).unit(" ms");

/// Every field this module defines. `icmp.resp_in` (on a request, the reply's frame) needs a
/// look ahead that one pass over the capture does not have; like tshark reading a file in
/// one pass, requests do not carry it.
pub static FIELDS: &[&FieldDef] = &[&ICMP_RESP_IN, &ICMP_RESP_TO, &ICMP_RESPTIME, &ICMP_TYPE, &ICMP_CODE, &ICMP_CHECKSUM, &ICMP_CHECKSUM_STATUS, &ICMP_IDENT, &ICMP_IDENT_LE, &ICMP_SEQ, &ICMP_SEQ_LE, &ICMP_UNUSED, &ICMP_MTU, &ICMP_REDIR_GW, &ICMP_POINTER, &ICMP_LENGTH, &ICMP_LENGTH_ORIGINAL_DATAGRAM, &ICMP_ORIGINATE_TIMESTAMP, &ICMP_RECEIVE_TIMESTAMP, &ICMP_TRANSMIT_TIMESTAMP, &ICMP_ADDRESS_MASK, &ICMP_DATA_TIME, &ICMP_DATA_TIME_RELATIVE];

pub fn type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "Echo (ping) reply",
        3 => "Destination unreachable",
        4 => "Source quench (flow control)",
        5 => "Redirect",
        8 => "Echo (ping) request",
        9 => "Router advertisement",
        10 => "Router solicitation",
        11 => "Time-to-live exceeded",
        12 => "Parameter problem",
        13 => "Timestamp request",
        14 => "Timestamp reply",
        17 => "Address mask request",
        18 => "Address mask reply",
        _ => return None,
    })
}

fn unreach_code(c: u8) -> &'static str {
    match c {
        0 => "Network unreachable",
        1 => "Host unreachable",
        2 => "Protocol unreachable",
        3 => "Port unreachable",
        4 => "Fragmentation needed",
        5 => "Source route failed",
        6 => "Destination network unknown",
        7 => "Destination host unknown",
        9 | 10 => "Communication administratively prohibited",
        13 => "Communication administratively filtered",
        _ => "Unknown code",
    }
}

/// tshark's heuristic: the first 8 data bytes of an echo are read as a timestamp (seconds,
/// microseconds; big- then little-endian) if it lies within a day of the capture time.
/// Returns whether they were (the data then starts after them).
fn data_time(cx: &mut Ctx, data: &[u8], o: usize, end: usize) -> bool {
    let Some(now) = cx.ts else { return false };
    if end.saturating_sub(o) <= 8 {
        return false;
    }
    let (Some(bs), Some(bu), Some(ls), Some(lu)) = (rd::u32(data, o), rd::u32(data, o + 4), rd::u32le(data, o), rd::u32le(data, o + 4)) else {
        return false;
    };
    let near = |s: u32, us: u32| (s as i64 - now.secs).unsigned_abs() < 86_400 && us < 1_000_000;
    let (s, us) = if near(bs, bu) { (bs, bu) } else { (ls, lu) };
    if !near(s, us) {
        return false;
    }
    let t = Timestamp { secs: s as i64, nanos: us * 1000 };
    cx.add(&ICMP_DATA_TIME, o, 8, Value::Time(t));
    let rel = now.as_nanos() - t.as_nanos();
    cx.add_gen(&ICMP_DATA_TIME_RELATIVE, o, 8, Value::Duration(rel.clamp(i64::MIN as i128, i64::MAX as i128) as i64));
    true
}

pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) {
    let li = cx.open("icmp", "Internet Control Message Protocol", Osi::Network, off, end.saturating_sub(off));
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("ICMP");
    }
    let (Some(t), Some(code)) = (rd::u8(data, off), rd::u8(data, off + 1)) else {
        cx.close(li);
        cx.short(data, off, 2);
        return;
    };
    cx.add(&ICMP_TYPE, off, 1, Value::UInt(t as u64));
    cx.add(&ICMP_CODE, off + 1, 1, Value::UInt(code as u64));
    let Some(stored) = rd::u16(data, off + 2) else {
        cx.close(li);
        cx.short(data, off + 2, 2);
        return;
    };
    let ck_at = cx.add(&ICMP_CHECKSUM, off + 2, 2, Value::UInt(stored as u64));
    {
        match data.get(off..end) {
            Some(msg) if outer => {
                let (good, calc) = checksum::verify(0, msg, 2);
                cx.add_gen(&ICMP_CHECKSUM_STATUS, off + 2, 0, Value::UInt(good as u64));
                if !good {
                    cx.expert(Severity::Error, "icmp.checksum_bad", checksum::bad_message(calc), Some(ck_at));
                }
            }
            _ => {
                cx.add_gen(&ICMP_CHECKSUM_STATUS, off + 2, 0, Value::UInt(2));
            }
        }
    }
    if outer {
        cx.out.info.clear();
        match type_name(t as u64) {
            Some(n) => {
                let _ = write!(cx.out.info, "{n:<20}");
            }
            None => {
                let _ = write!(cx.out.info, "{:<20}", "Unknown ICMP (obsolete or malformed?)");
            }
        }
    }
    let b = off + 4;
    match t {
        0 | 8 => {
            let (Some(id), Some(seq)) = (rd::u16(data, b), rd::u16(data, b + 2)) else {
                cx.close(li);
                cx.short(data, b, 4);
                return;
            };
            cx.add(&ICMP_IDENT, b, 2, Value::UInt(id as u64));
            cx.add(&ICMP_IDENT_LE, b, 2, Value::UInt(id.swap_bytes() as u64));
            cx.add(&ICMP_SEQ, b + 2, 2, Value::UInt(seq as u64));
            cx.add(&ICMP_SEQ_LE, b + 2, 2, Value::UInt(seq.swap_bytes() as u64));
            let mut request = None;
            if outer && let Some((src, dst)) = cx.net {
                cx.out.stateful = true;
                if t == 8 {
                    cx.echo.request(src, dst, id, seq, cx.frame_number, cx.ts);
                } else if let Some((req, req_ts)) = cx.echo.reply(src, dst, id, seq) {
                    request = Some(req);
                    cx.add_gen(&ICMP_RESP_TO, 0, 0, Value::UInt(req));
                    if let (Some(now), Some(then)) = (cx.ts, req_ts) {
                        let ms = (now.as_nanos() - then.as_nanos()) as f64 / 1e6;
                        cx.add_gen(&ICMP_RESPTIME, 0, 0, Value::Float(ms));
                    }
                }
            }
            let timed = data_time(cx, data, b + 4, end);
            cx.close(li);
            if outer {
                let _ = write!(cx.out.info, " id=0x{id:04x}, seq={seq}/{}, ttl={}", seq.swap_bytes(), cx.hop_limit);
                if let Some(req) = request {
                    let _ = write!(cx.out.info, " (request in {req})");
                }
            }
            // (As tshark: the data after the timestamp.)
            dispatch::data(cx, data, if timed { b + 12 } else { b + 4 }, end);
        }
        3 | 4 | 5 | 11 | 12 => {
            let mut rfc4884 = None;
            if data.len() < b + 4 {
                cx.close(li);
                cx.short(data, b, 4);
                return;
            }
            match t {
                3 if code == 4 => {
                    cx.add(&ICMP_UNUSED, b, 2, Value::Bytes);
                    let mtu = rd::u16(data, b + 2).unwrap_or(0);
                    cx.add(&ICMP_MTU, b + 2, 2, Value::UInt(mtu as u64));
                }
                3 | 11 | 12 if rd::u8(data, b + 1).unwrap_or(0) != 0 => {
                    // RFC 4884: a length (in 32-bit words) of the quoted datagram, after
                    // which ICMP extension objects follow.
                    let words = rd::u8(data, b + 1).unwrap_or(0) as usize;
                    cx.add(&ICMP_UNUSED, b, 1, Value::Bytes);
                    cx.add(&ICMP_LENGTH, b + 1, 1, Value::UInt(words as u64));
                    cx.add_gen(&ICMP_LENGTH_ORIGINAL_DATAGRAM, b + 1, 1, Value::UInt(words as u64 * 4));
                    cx.add(&ICMP_UNUSED, b + 2, 2, Value::Bytes);
                    rfc4884 = Some(b + 4 + words * 4);
                }
                5 => {
                    let gw = rd::arr::<4>(data, b).unwrap_or_default();
                    cx.add(&ICMP_REDIR_GW, b, 4, Value::Ipv4(gw));
                }
                12 => {
                    let p = rd::u8(data, b).unwrap_or(0);
                    cx.add(&ICMP_POINTER, b, 1, Value::UInt(p as u64));
                    cx.add(&ICMP_UNUSED, b + 1, 3, Value::Bytes);
                }
                _ => {
                    cx.add(&ICMP_UNUSED, b, 4, Value::Bytes);
                }
            }
            cx.close(li);
            if outer {
                match t {
                    3 => {
                        let _ = write!(cx.out.info, " ({})", unreach_code(code));
                    }
                    11 => cx.out.info.push_str(if code == 0 { " (Time to live exceeded in transit)" } else { " (Fragment reassembly time exceeded)" }),
                    _ => {}
                }
            }
            if end > b + 4 && outer {
                // The quoted datagram: its own length may claim more than was quoted.
                let qend = rfc4884.unwrap_or(end).min(end);
                let quoted = data.get(..qend.min(data.len())).unwrap_or(data);
                cx.in_error += 1;
                dispatch::ipv4(cx, quoted, b + 4);
                cx.in_error -= 1;
            } else {
                dispatch::data(cx, data, b + 4, end);
            }
            // The extension structure's 4-byte header must follow the quoted datagram (when
            // anything follows it at all: a length that ends exactly at the payload's end
            // announces no extension).
            if let Some(ext) = rfc4884
                && ext != end
                && ext + 4 > end
            {
                cx.malformed();
                // (ICMP's exception, after the quoted datagram's layers.)
                cx.out.malformed_in = "icmp";
            }
        }
        13 | 14 => {
            let (Some(id), Some(seq)) = (rd::u16(data, b), rd::u16(data, b + 2)) else {
                cx.close(li);
                cx.short(data, b, 4);
                return;
            };
            cx.add(&ICMP_IDENT, b, 2, Value::UInt(id as u64));
            cx.add(&ICMP_SEQ, b + 2, 2, Value::UInt(seq as u64));
            let defs = [&ICMP_ORIGINATE_TIMESTAMP, &ICMP_RECEIVE_TIMESTAMP, &ICMP_TRANSMIT_TIMESTAMP];
            for (i, d) in defs.into_iter().enumerate() {
                let o = b + 4 + 4 * i;
                match rd::u32(data, o) {
                    Some(v) => {
                        cx.add(d, o, 4, Value::UInt(v as u64));
                    }
                    None => {
                        cx.close(li);
                        cx.short(data, o, 4);
                        return;
                    }
                }
            }
            cx.close(li);
        }
        _ => {
            cx.close(li);
            dispatch::data(cx, data, b, end);
        }
    }
}
