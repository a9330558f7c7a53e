//! WebSocket frames (RFC 6455) on a connection after its HTTP `101 Switching Protocols`:
//! FIN, opcode, mask, payload length (7, 16 or 64 bits), masking key, and the payload
//! unmasked (text, close code and reason, ping/pong bytes). Frames that span segments arrive
//! reassembled.

use super::model::*;
use super::tcp_pdu::{Need, PduState};
use super::label::LabelCx;
use super::{Ctx, rd};

/// `Payload length: 127 Extended Payload Length (64 bits)`: 126 and 127 announce the longer
/// length that follows.
fn length_label(cx: &LabelCx<'_>, out: &mut String) {
    let n = cx.uint();
    out.push_str("Payload length: ");
    super::push_dec(out, n);
    match n {
        126 => out.push_str(" Extended Payload Length (16 bits)"),
        127 => out.push_str(" Extended Payload Length (64 bits)"),
        _ => {}
    }
}

pub static WEBSOCKET_FIN: FieldDef = FieldDef::new("websocket.fin", "Fin", FieldType::Bool, Base::None).mask(0x80).tfs("True", "False");
pub static WEBSOCKET_RSV: FieldDef = FieldDef::new("websocket.rsv", "Reserved", FieldType::U8, Base::Hex).mask(0x70);
pub static WEBSOCKET_OPCODE: FieldDef = FieldDef::new("websocket.opcode", "Opcode", FieldType::U8, Base::Dec).mask(0x0f).vals(opcode_name);
pub static WEBSOCKET_MASK: FieldDef = FieldDef::new("websocket.mask", "Mask", FieldType::Bool, Base::None).mask(0x80).tfs("True", "False");
pub static WEBSOCKET_PAYLOAD_LENGTH: FieldDef = FieldDef::new("websocket.payload_length", "Payload length", FieldType::U8, Base::Dec).mask(0x7f).custom(length_label);
pub static WEBSOCKET_PAYLOAD_LENGTH_EXT_16: FieldDef = FieldDef::new("websocket.payload_length_ext_16", "Extended Payload length (16 bits)", FieldType::U16, Base::Dec);
pub static WEBSOCKET_PAYLOAD_LENGTH_EXT_64: FieldDef = FieldDef::new("websocket.payload_length_ext_64", "Extended Payload length (64 bits)", FieldType::U64, Base::Dec);
pub static WEBSOCKET_MASKING_KEY: FieldDef = FieldDef::new("websocket.masking_key", "Masking-Key", FieldType::Bytes, Base::None);
pub static WEBSOCKET_PAYLOAD: FieldDef = FieldDef::new("websocket.payload", "Payload", FieldType::None, Base::None);
pub static WEBSOCKET_MASKED_PAYLOAD: FieldDef = FieldDef::new("websocket.masked_payload", "Masked payload", FieldType::None, Base::None);
pub static WEBSOCKET_PAYLOAD_CONTINUE: FieldDef = FieldDef::new("websocket.payload.continue", "Continue", FieldType::Bytes, Base::None);
pub static WEBSOCKET_PAYLOAD_TEXT: FieldDef = FieldDef::new("websocket.payload.text", "Text", FieldType::Str, Base::None);
pub static WEBSOCKET_PAYLOAD_CLOSE: FieldDef = FieldDef::new("websocket.payload.close", "Close", FieldType::None, Base::None);
pub static WEBSOCKET_CLOSE_STATUS_CODE: FieldDef = FieldDef::new("websocket.payload.close.status_code", "Status code", FieldType::U16, Base::Dec).vals(close_name);
pub static WEBSOCKET_CLOSE_REASON: FieldDef = FieldDef::new("websocket.payload.close.reason", "Reason", FieldType::Str, Base::None);
pub static WEBSOCKET_PAYLOAD_PING: FieldDef = FieldDef::new("websocket.payload.ping", "Ping", FieldType::Bytes, Base::None);
pub static WEBSOCKET_PAYLOAD_PONG: FieldDef = FieldDef::new("websocket.payload.pong", "Pong", FieldType::Bytes, Base::None);
pub static WEBSOCKET_PAYLOAD_UNKNOWN: FieldDef = FieldDef::new("websocket.payload.unknown", "Unknown", FieldType::Bytes, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &WEBSOCKET_FIN, &WEBSOCKET_RSV, &WEBSOCKET_OPCODE, &WEBSOCKET_MASK, &WEBSOCKET_PAYLOAD_LENGTH, &WEBSOCKET_PAYLOAD_LENGTH_EXT_16, &WEBSOCKET_PAYLOAD_LENGTH_EXT_64,
    &WEBSOCKET_MASKING_KEY, &WEBSOCKET_PAYLOAD, &WEBSOCKET_MASKED_PAYLOAD, &WEBSOCKET_PAYLOAD_CONTINUE, &WEBSOCKET_PAYLOAD_TEXT, &WEBSOCKET_PAYLOAD_CLOSE,
    &WEBSOCKET_CLOSE_STATUS_CODE, &WEBSOCKET_CLOSE_REASON, &WEBSOCKET_PAYLOAD_PING, &WEBSOCKET_PAYLOAD_PONG, &WEBSOCKET_PAYLOAD_UNKNOWN,
];

/// The header's length and the payload's, if the header is all there.
fn header(buf: &[u8]) -> Option<(usize, u64)> {
    let b1 = rd::u8(buf, 1)?;
    let masked = b1 & 0x80 != 0;
    let (mut h, len) = match b1 & 0x7f {
        126 => (4, rd::u16(buf, 2)? as u64),
        127 => (10, u64::from_be_bytes(rd::arr::<8>(buf, 2)?)),
        n => (2, n as u64),
    };
    if masked {
        h += 4;
    }
    Some((h, len))
}

/// How long the frame at the start of `buf` is.
pub(crate) fn pdu_len(buf: &[u8]) -> Need {
    let Some((h, len)) = header(buf) else { return Need::More };
    match (h as u64).checked_add(len) {
        Some(total) if total <= buf.len() as u64 => Need::Done(total as usize),
        Some(total) if total <= (16 << 20) => Need::More,
        _ => Need::NotMine,
    }
}

/// The length of the frame at the start of `buf` by its header, if the header is there
/// (`[PDU Size: N]` in the TCP tree).
pub(crate) fn pdu_size(buf: &[u8]) -> Option<u64> {
    let (h, len) = header(buf)?;
    (h as u64).checked_add(len)
}

/// Dissects the frame in `a..b` of `data`. A frame read from one segment that cannot be
/// reassembled (`st.alone`) may be cut by the segment's end: as tshark, its header is shown,
/// the masked payload's item if it is masked, and then the mark that the rest is missing.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], a: usize, b: usize, st: PduState, first: bool) {
    // tshark reaches WebSocket through HTTP's dissector (the connection was upgraded), once
    // per segment: `frame.protocols` lists `http:websocket` once, however many frames.
    let listed = cx.protos.len();
    let li = cx.open_as("websocket", "http:websocket", "WebSocket", Osi::Application, a, b - a);
    if !first {
        cx.protos.truncate(listed);
    }
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("WebSocket");
    }
    let frame = data.get(a..b).unwrap_or(&[]);
    let (Some(b0), Some(b1), Some((h, len))) = (rd::u8(frame, 0), rd::u8(frame, 1), header(frame)) else {
        cx.close(li);
        cx.short(data, a, 2);
        return;
    };
    let (fin, opcode, masked) = (b0 & 0x80 != 0, b0 & 0x0f, b1 & 0x80 != 0);
    cx.add(&WEBSOCKET_FIN, a, 1, Value::Bool(fin));
    cx.add(&WEBSOCKET_RSV, a, 1, Value::UInt(((b0 & 0x70) >> 4) as u64));
    cx.add(&WEBSOCKET_OPCODE, a, 1, Value::UInt(opcode as u64));
    cx.add(&WEBSOCKET_MASK, a + 1, 1, Value::Bool(masked));
    cx.add(&WEBSOCKET_PAYLOAD_LENGTH, a + 1, 1, Value::UInt((b1 & 0x7f) as u64));
    let mut p = a + 2;
    match b1 & 0x7f {
        126 => {
            cx.add(&WEBSOCKET_PAYLOAD_LENGTH_EXT_16, p, 2, Value::UInt(len));
            p += 2;
        }
        127 => {
            cx.add(&WEBSOCKET_PAYLOAD_LENGTH_EXT_64, p, 8, Value::UInt(len));
            p += 8;
        }
        _ => {}
    }
    let key = if masked {
        let k = rd::arr::<4>(data, p).unwrap_or_default();
        cx.add(&WEBSOCKET_MASKING_KEY, p, 4, Value::Bytes);
        p += 4;
        Some(k)
    } else {
        None
    };
    let _ = h;
    let cut = st.alone && (p as u64).saturating_add(len) > b as u64;
    let pend = (p as u64).saturating_add(len).min(b as u64) as usize;
    if cut {
        if key.is_some() && len > 0 {
            cx.add(&WEBSOCKET_MASKED_PAYLOAD, p, b.saturating_sub(p), Value::None);
        }
    } else if pend > p {
        // The payload's items close the layer; what a data frame carries follows it.
        let payload_then_data = |cx: &mut Ctx, buf: &[u8], p: usize, end: usize| {
            payload(cx, buf, p, end, opcode, st.alone);
            cx.close(li);
            if !st.alone {
                app_data(cx, buf, p, end, opcode);
            }
        };
        match key {
            Some(k) => {
                cx.add(&WEBSOCKET_MASKED_PAYLOAD, p, pend - p, Value::None);
                let unmasked: Vec<u8> = data[p..pend].iter().enumerate().map(|(i, c)| c ^ k[i % 4]).collect();
                cx.in_reassembled(unmasked, |cx, buf| payload_then_data(cx, buf, 0, buf.len()));
            }
            None => payload_then_data(cx, data, p, pend),
        }
    }
    if pend <= p || cut {
        cx.close(li);
    }
    if outer && cx.text {
        // Each frame's text replaces the one before (tshark's `col_set_str`), except where
        // TCP's reassembly hands the frames over one by one behind a fence: then they are
        // joined.
        if first || st.alone {
            cx.out.info.clear();
        } else {
            cx.out.info.push_str(", ");
        }
        // As tshark writes it: `WebSocket Text [FIN] ` (a space where `[MASKED]` is not),
        // `WebSocket Text[FRAGMENT]  [MASKED]`.
        let info = &mut cx.out.info;
        info.push_str("WebSocket ");
        info.push_str(opcode_name(opcode as u64).unwrap_or("Unknown Opcode"));
        info.push_str(if fin { " [FIN]" } else { "[FRAGMENT] " });
        info.push_str(if masked { " [MASKED]" } else { " " });
    }
    if cut {
        super::tcp_pdu::unreassembled(cx, "WebSocket", st.alone_reason);
    }
}

/// What a data frame carries, after the WebSocket layer, as tshark hands it on when no
/// subprotocol is known: a text frame's lines (`Line-based text data`), a binary frame's
/// bytes as data.
fn app_data(cx: &mut Ctx, data: &[u8], p: usize, end: usize, opcode: u8) {
    match opcode {
        1 => super::data::text_lines(cx, data, p, end, None),
        2 => {
            super::data::dissect(cx, data, p, end);
        }
        _ => {}
    }
}

/// The payload's item and what it holds. A data frame (continuation, text, binary) read
/// from a segment that cannot be reassembled (`alone`) is not decoded, as tshark skips the
/// data of a packet it treats as a fragment; control frames are.
fn payload(cx: &mut Ctx, data: &[u8], p: usize, end: usize, opcode: u8, alone: bool) {
    cx.add(&WEBSOCKET_PAYLOAD, p, end - p, Value::None);
    if alone && opcode <= 2 {
        return;
    }
    let bytes = data.get(p..end).unwrap_or(&[]);
    cx.child(|cx| match opcode {
        0 => {
            cx.add(&WEBSOCKET_PAYLOAD_CONTINUE, p, end - p, Value::Bytes);
        }
        1 => {
            cx.add(&WEBSOCKET_PAYLOAD_TEXT, p, end - p, Value::Str(String::from_utf8_lossy(bytes).into_owned().into_boxed_str()));
        }
        // A binary frame's bytes are the data protocol's, after the WebSocket layer.
        2 => {}
        8 => {
            cx.add(&WEBSOCKET_PAYLOAD_CLOSE, p, end - p, Value::None);
            cx.child(|cx| {
                if let Some(code) = rd::u16(data, p).filter(|_| end >= p + 2) {
                    cx.add(&WEBSOCKET_CLOSE_STATUS_CODE, p, 2, Value::UInt(code as u64));
                    if end > p + 2 {
                        let reason = String::from_utf8_lossy(&bytes[2..]).into_owned();
                        cx.add(&WEBSOCKET_CLOSE_REASON, p + 2, end - p - 2, Value::Str(reason.into_boxed_str()));
                    }
                }
            });
        }
        9 => {
            cx.add(&WEBSOCKET_PAYLOAD_PING, p, end - p, Value::Bytes);
        }
        10 => {
            cx.add(&WEBSOCKET_PAYLOAD_PONG, p, end - p, Value::Bytes);
        }
        _ => {
            let idx = cx.add(&WEBSOCKET_PAYLOAD_UNKNOWN, p, end - p, Value::Bytes);
            if opcode != 2 {
                let msg = format!("Dissector for Websocket Opcode ({opcode}) code not implemented, Contact Wireshark developers if you want this supported");
                cx.expert(Severity::Note, "websocket.payload.unknown.undecoded", msg, Some(idx));
            }
        }
    });
}

pub fn opcode_name(o: u64) -> Option<&'static str> {
    Some(match o {
        0 => "Continuation",
        1 => "Text",
        2 => "Binary",
        8 => "Connection Close",
        9 => "Ping",
        10 => "Pong",
        _ => return None,
    })
}

pub fn close_name(c: u64) -> Option<&'static str> {
    Some(match c {
        1000 => "Normal Closure",
        1001 => "Going Away",
        1002 => "Protocol error",
        1003 => "Unsupported Data",
        1005 => "No Status Rcvd",
        1006 => "Abnormal Closure",
        1007 => "Invalid frame payload data",
        1008 => "Policy Violation",
        1009 => "Message Too Big",
        1010 => "Mandatory Ext.",
        1011 => "Internal Server",
        1015 => "TLS handshake",
        _ => return None,
    })
}
