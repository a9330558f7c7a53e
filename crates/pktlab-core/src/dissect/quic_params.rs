//! The TLS extension `quic_transport_parameters` (RFC 9000 section 18) a QUIC handshake's
//! hellos carry, taken apart as tshark's `ssl_dissect_hnd_hello_ext_quic_transport_parameters`
//! does: each parameter a subtree `Parameter: max_idle_timeout (len=4) 60000 ms` holding its
//! type, length, value bytes and the value read as the parameter's kind.

use super::data::WS_TEXT;
use super::label::LabelCx;
use super::model::*;
use super::{Ctx, rd};
use std::fmt::Write as _;

const fn f(abbrev: &'static str, name: &'static str, ftype: FieldType, base: Base) -> FieldDef {
    FieldDef::new(abbrev, name, ftype, base)
}
use Base::{Dec as D, None as N};
use FieldType::{Bytes as B, U64};

pub static TYPE: FieldDef = f("tls.quic.parameter.type", "Type", U64, D).custom(type_label).pure();
pub static LENGTH: FieldDef = f("tls.quic.parameter.length", "Length", U64, D);
pub static VALUE: FieldDef = f("tls.quic.parameter.value", "Value", B, N).custom(missing_label);
pub static ORIGINAL_DCID: FieldDef = f("tls.quic.parameter.original_destination_connection_id", "original_destination_connection_id", B, N).custom(missing_label);
pub static MAX_IDLE_TIMEOUT: FieldDef = f("tls.quic.parameter.max_idle_timeout", "max_idle_timeout", U64, D);
pub static STATELESS_RESET_TOKEN: FieldDef = f("tls.quic.parameter.stateless_reset_token", "stateless_reset_token", B, N).custom(missing_label);
pub static MAX_UDP_PAYLOAD_SIZE: FieldDef = f("tls.quic.parameter.max_udp_payload_size", "max_udp_payload_size", U64, D);
pub static INITIAL_MAX_DATA: FieldDef = f("tls.quic.parameter.initial_max_data", "initial_max_data", U64, D);
pub static INITIAL_MAX_STREAM_DATA_BIDI_LOCAL: FieldDef = f("tls.quic.parameter.initial_max_stream_data_bidi_local", "initial_max_stream_data_bidi_local", U64, D);
pub static INITIAL_MAX_STREAM_DATA_BIDI_REMOTE: FieldDef = f("tls.quic.parameter.initial_max_stream_data_bidi_remote", "initial_max_stream_data_bidi_remote", U64, D);
pub static INITIAL_MAX_STREAM_DATA_UNI: FieldDef = f("tls.quic.parameter.initial_max_stream_data_uni", "initial_max_stream_data_uni", U64, D);
pub static INITIAL_MAX_STREAMS_BIDI: FieldDef = f("tls.quic.parameter.initial_max_streams_bidi", "initial_max_streams_bidi", U64, D);
pub static INITIAL_MAX_STREAMS_UNI: FieldDef = f("tls.quic.parameter.initial_max_streams_uni", "initial_max_streams_uni", U64, D);
pub static ACK_DELAY_EXPONENT: FieldDef = f("tls.quic.parameter.ack_delay_exponent", "ack_delay_exponent", U64, D);
pub static MAX_ACK_DELAY: FieldDef = f("tls.quic.parameter.max_ack_delay", "max_ack_delay", U64, D);
pub static PA_IPV4: FieldDef = f("tls.quic.parameter.preferred_address.ipv4address", "ipv4Address", FieldType::Ipv4, N);
pub static PA_IPV4_PORT: FieldDef = f("tls.quic.parameter.preferred_address.ipv4port", "ipv4Port", FieldType::U16, D);
pub static PA_IPV6: FieldDef = f("tls.quic.parameter.preferred_address.ipv6address", "ipv6Address", FieldType::Ipv6, N);
pub static PA_IPV6_PORT: FieldDef = f("tls.quic.parameter.preferred_address.ipv6port", "ipv6Port", FieldType::U16, D);
pub static PA_CID_LENGTH: FieldDef = f("tls.quic.parameter.preferred_address.connectionid.length", "Length", FieldType::U8, D);
pub static PA_CID: FieldDef = f("tls.quic.parameter.preferred_address.connectionid", "connectionId", B, N).custom(missing_label);
pub static PA_RESET_TOKEN: FieldDef = f("tls.quic.parameter.preferred_address.statelessresettoken", "statelessResetToken", B, N).custom(missing_label);
pub static ACTIVE_CID_LIMIT: FieldDef = f("tls.quic.parameter.active_connection_id_limit", "Active Connection ID Limit", U64, D);
pub static INITIAL_SCID: FieldDef = f("tls.quic.parameter.initial_source_connection_id", "Initial Source Connection ID", B, N).custom(missing_label);
pub static RETRY_SCID: FieldDef = f("tls.quic.parameter.retry_source_connection_id", "Retry Source Connection ID", B, N).custom(missing_label);
pub static MAX_DATAGRAM_FRAME_SIZE: FieldDef = f("tls.quic.parameter.max_datagram_frame_size", "max_datagram_frame_size", U64, D);
pub static CIBIR_LENGTH: FieldDef = f("tls.quic.parameter.cibir_encoding.length", "length", U64, D);
pub static CIBIR_OFFSET: FieldDef = f("tls.quic.parameter.cibir_encoding.offset", "offset", U64, D);
pub static LOSS_BITS: FieldDef = f("tls.quic.parameter.loss_bits", "loss_bits", U64, D);
pub static MIN_ACK_DELAY: FieldDef = f("tls.quic.parameter.min_ack_delay", "min_ack_delay", U64, D);
pub static GOOGLE_USER_AGENT: FieldDef = f("tls.quic.parameter.google.user_agent", "Google UserAgent", FieldType::Str, N);
pub static GOOGLE_KEY_UPDATE_NOT_YET_SUPPORTED: FieldDef = f("tls.quic.parameter.google.key_update_not_yet_supported", "Google Key Update not yet supported", FieldType::None, N);
pub static GOOGLE_QUIC_VERSION: FieldDef = f("tls.quic.parameter.google.quic_version", "Google QUIC version", FieldType::U32, Base::Hex).custom(version_label);
pub static GOOGLE_INITIAL_RTT: FieldDef = f("tls.quic.parameter.google.initial_rtt", "Google Initial RTT", U64, D);
pub static GOOGLE_SUPPORT_HANDSHAKE_DONE: FieldDef = f("tls.quic.parameter.google.support_handshake_done", "Google Support Handshake Done", FieldType::None, N);
pub static GOOGLE_CONNECTION_OPTIONS: FieldDef = f("tls.quic.parameter.google.connection_options", "Google Connection options", B, N).custom(missing_label);
pub static ENABLE_TIME_STAMP_V2: FieldDef = f("tls.quic.parameter.enable_time_stamp_v2", "Enable TimestampV2", U64, D).vals(time_stamp_v2_name);
pub static CHOSEN_VERSION: FieldDef = f("tls.quic.parameter.vi.chosen_version", "Chosen Version", FieldType::U32, Base::Hex).custom(version_label);
pub static OTHER_VERSION: FieldDef = f("tls.quic.parameter.vi.other_version", "Other Version", FieldType::U32, Base::Hex).custom(version_label);
pub static FACEBOOK_PARTIAL_RELIABILITY: FieldDef = f("tls.quic.parameter.facebook.partial_reliability", "Facebook Partial Reliability", U64, D);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &TYPE, &LENGTH, &VALUE, &ORIGINAL_DCID, &MAX_IDLE_TIMEOUT, &STATELESS_RESET_TOKEN, &MAX_UDP_PAYLOAD_SIZE, &INITIAL_MAX_DATA, &INITIAL_MAX_STREAM_DATA_BIDI_LOCAL,
    &INITIAL_MAX_STREAM_DATA_BIDI_REMOTE, &INITIAL_MAX_STREAM_DATA_UNI, &INITIAL_MAX_STREAMS_BIDI, &INITIAL_MAX_STREAMS_UNI, &ACK_DELAY_EXPONENT, &MAX_ACK_DELAY, &PA_IPV4,
    &PA_IPV4_PORT, &PA_IPV6, &PA_IPV6_PORT, &PA_CID_LENGTH, &PA_CID, &PA_RESET_TOKEN, &ACTIVE_CID_LIMIT, &INITIAL_SCID, &RETRY_SCID, &MAX_DATAGRAM_FRAME_SIZE, &CIBIR_LENGTH,
    &CIBIR_OFFSET, &LOSS_BITS, &MIN_ACK_DELAY, &GOOGLE_USER_AGENT, &GOOGLE_KEY_UPDATE_NOT_YET_SUPPORTED, &GOOGLE_QUIC_VERSION, &GOOGLE_INITIAL_RTT,
    &GOOGLE_SUPPORT_HANDSHAKE_DONE, &GOOGLE_CONNECTION_OPTIONS, &ENABLE_TIME_STAMP_V2, &CHOSEN_VERSION, &OTHER_VERSION, &FACEBOOK_PARTIAL_RELIABILITY,
];

/// The parameters in `d..dend` (the extension's data). Drafts up to 26 wrote them with
/// 16-bit types and lengths behind a list length; those stay the extension's data bytes.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], d: usize, dend: usize) -> bool {
    if dend - d >= 6
        && rd::u16(data, d).is_some_and(|n| 2 + n as usize == dend - d)
        && rd::u16(data, d + 4).is_some_and(|n| 6 + n as usize <= dend - d)
    {
        return false;
    }
    let mut o = d;
    while o < dend {
        let Some((ty, tn)) = super::quic::varint(data, o) else { break };
        let Some((len, ln)) = super::quic::varint(data, o + tn) else { break };
        let at = o;
        o += tn + ln;
        // (A type and length running past the extension: nothing more to read.)
        let Ok(plen) = usize::try_from(len) else { break };
        if o > dend {
            break;
        }
        let pend = o.saturating_add(plen);
        // The value read ahead, for the subtree's title.
        let num = super::quic::varint(data, o).map(|v| v.0);
        if cx.wants(&WS_TEXT) {
            let mut t = String::from("Parameter: ");
            if grease(ty) {
                t.push_str("GREASE");
            } else if ty > u64::from(u32::MAX) {
                let _ = write!(t, "Unknown 0x{ty:08x}");
            } else if let Some(n) = name(ty) {
                t.push_str(n);
            } else {
                let _ = write!(t, "Unknown 0x{ty:04x}");
            }
            let _ = write!(t, " (len={len})");
            if let Some(v) = num {
                match ty {
                    0x01 => {
                        let _ = write!(t, " {v} ms");
                    }
                    0x03..=0x09 | 0x0b | 0x0e | 0x20 | 0xde1a | 0xff03_de1a => {
                        let _ = write!(t, " {v}");
                    }
                    0x3127 => {
                        let _ = write!(t, " {v} us");
                    }
                    0x1000 => {
                        let off = super::quic::varint(data, o + super::quic::varint(data, o).map_or(0, |x| x.1)).map(|x| x.0);
                        let _ = write!(t, " Length: {v}");
                        if let Some(off) = off {
                            let _ = write!(t, ", Offset: {off}");
                        }
                    }
                    _ => {}
                }
            }
            cx.add(&WS_TEXT, at, (pend.min(dend)) - at, Value::Str(t.into_boxed_str()));
        }
        cx.child(|cx| {
            cx.add(&TYPE, at, tn, Value::UInt(ty));
            cx.add(&LENGTH, at + tn, ln, Value::UInt(len));
            let vend = pend.min(dend);
            cx.add(&VALUE, o, vend - o, Value::Bytes);
            value(cx, data, ty, o, vend);
        });
        o = pend;
    }
    true
}

/// The value of a parameter of type `ty` in `o..end`, read as its kind.
fn value(cx: &mut Ctx, data: &[u8], ty: u64, o: usize, end: usize) {
    let var = |cx: &mut Ctx, def: &'static FieldDef, o: usize| -> Option<usize> {
        let (v, n) = super::quic::varint(data, o)?;
        cx.add(def, o, n, Value::UInt(v));
        Some(o + n)
    };
    let bytes = |cx: &mut Ctx, def: &'static FieldDef, o: usize, n: usize| {
        if o + n <= data.len() {
            cx.add(def, o, n, Value::Bytes);
        }
    };
    let plen = end - o;
    if let Some(def) = varint_field(ty) {
        var(cx, def, o);
        return;
    }
    match ty {
        0x00 => bytes(cx, &ORIGINAL_DCID, o, plen),
        0x02 => bytes(cx, &STATELESS_RESET_TOKEN, o, 16),
        0x0d => {
            let Some(a) = rd::arr::<4>(data, o) else { return };
            cx.add(&PA_IPV4, o, 4, Value::Ipv4(a));
            let Some(p) = rd::u16(data, o + 4) else { return };
            cx.add(&PA_IPV4_PORT, o + 4, 2, Value::UInt(p.into()));
            let Some(a) = rd::arr::<16>(data, o + 6) else { return };
            cx.add(&PA_IPV6, o + 6, 16, Value::Ipv6(a));
            let Some(p) = rd::u16(data, o + 22) else { return };
            cx.add(&PA_IPV6_PORT, o + 22, 2, Value::UInt(p.into()));
            let Some(n) = rd::u8(data, o + 24).filter(|&n| n <= 20) else { return };
            cx.add(&PA_CID_LENGTH, o + 24, 1, Value::UInt(n.into()));
            bytes(cx, &PA_CID, o + 25, n as usize);
            bytes(cx, &PA_RESET_TOKEN, o + 25 + n as usize, 16);
        }
        0x0f => bytes(cx, &INITIAL_SCID, o, plen),
        0x10 => bytes(cx, &RETRY_SCID, o, plen),
        0x11 => {
            let mut q = o;
            let mut def = &CHOSEN_VERSION;
            while q + 4 <= end {
                cx.add(def, q, 4, Value::UInt(rd::u32(data, q).unwrap_or(0).into()));
                def = &OTHER_VERSION;
                q += 4;
            }
        }
        0x1000 => {
            if let Some(q) = var(cx, &CIBIR_LENGTH, o) {
                var(cx, &CIBIR_OFFSET, q);
            }
        }
        0x3129 => {
            if let Some(b) = data.get(o..end) {
                cx.add(&GOOGLE_USER_AGENT, o, plen, Value::Str(super::http::ascii_text(b)));
            }
        }
        0x312b => {
            cx.add(&GOOGLE_KEY_UPDATE_NOT_YET_SUPPORTED, o, plen, Value::None);
        }
        0x4752 => {
            if let Some(v) = rd::u32(data, o) {
                cx.add(&GOOGLE_QUIC_VERSION, o, 4, Value::UInt(v.into()));
            }
        }
        0x312a => {
            cx.add(&GOOGLE_SUPPORT_HANDSHAKE_DONE, o, plen, Value::None);
        }
        0x3128 => bytes(cx, &GOOGLE_CONNECTION_OPTIONS, o, plen),
        _ => {}
    }
}

/// The field of a parameter whose value is one variable-length integer.
fn varint_field(ty: u64) -> Option<&'static FieldDef> {
    Some(match ty {
        0x01 => &MAX_IDLE_TIMEOUT,
        0x03 => &MAX_UDP_PAYLOAD_SIZE,
        0x04 => &INITIAL_MAX_DATA,
        0x05 => &INITIAL_MAX_STREAM_DATA_BIDI_LOCAL,
        0x06 => &INITIAL_MAX_STREAM_DATA_BIDI_REMOTE,
        0x07 => &INITIAL_MAX_STREAM_DATA_UNI,
        0x08 => &INITIAL_MAX_STREAMS_BIDI,
        0x09 => &INITIAL_MAX_STREAMS_UNI,
        0x0a => &ACK_DELAY_EXPONENT,
        0x0b => &MAX_ACK_DELAY,
        0x0e => &ACTIVE_CID_LIMIT,
        0x20 => &MAX_DATAGRAM_FRAME_SIZE,
        0x1057 => &LOSS_BITS,
        0xde1a | 0xff03_de1a => &MIN_ACK_DELAY,
        0x3127 => &GOOGLE_INITIAL_RTT,
        0x7158 => &ENABLE_TIME_STAMP_V2,
        0xff00 => &FACEBOOK_PARTIAL_RELIABILITY,
        _ => return None,
    })
}

/// Whether a parameter type is one RFC 9000 reserves to exercise the rule that unknown
/// ones are ignored (31 * N + 27).
fn grease(ty: u64) -> bool {
    ty > 27 && (ty - 27).is_multiple_of(31)
}

/// Parameter names (tshark's `quic_transport_parameter_id`).
pub fn name(ty: u64) -> Option<&'static str> {
    Some(match ty {
        0x00 => "original_destination_connection_id",
        0x01 => "max_idle_timeout",
        0x02 => "stateless_reset_token",
        0x03 => "max_udp_payload_size",
        0x04 => "initial_max_data",
        0x05 => "initial_max_stream_data_bidi_local",
        0x06 => "initial_max_stream_data_bidi_remote",
        0x07 => "initial_max_stream_data_uni",
        0x08 => "initial_max_streams_bidi",
        0x09 => "initial_max_streams_uni",
        0x0a => "ack_delay_exponent",
        0x0b => "max_ack_delay",
        0x0c => "disable_active_migration",
        0x0d => "preferred_address",
        0x0e => "active_connection_id_limit",
        0x0f => "initial_source_connection_id",
        0x10 => "retry_source_connection_id",
        0x11 => "version_information",
        0x20 => "max_datagram_frame_size",
        0x1000 => "cibir_encoding",
        0x1057 => "loss_bits",
        0x2ab2 => "grease_quic_bit",
        0x7157 => "enable_time_stamp",
        0x7158 => "enable_time_stamp_v2",
        0xde1a | 0xff03_de1a => "min_ack_delay",
        0x3129 => "google_user_agent",
        0x312b => "google_key_update_not_yet_supported",
        0x4752 => "google_quic_version",
        0x3127 => "google_initial_rtt",
        0x312a => "google_support_handshake_done",
        0x4751 => "google_quic_params",
        0x3128 => "google_connection_options",
        0xff00 => "facebook_partial_reliability",
        _ => return None,
    })
}

/// `Type: max_idle_timeout (0x01)`.
fn type_label(cx: &LabelCx<'_>, out: &mut String) {
    let ty = cx.uint();
    out.push_str("Type: ");
    out.push_str(if grease(ty) {
        "GREASE"
    } else if ty > u64::from(u32::MAX) {
        "Unknown"
    } else {
        name(ty).unwrap_or("Unknown")
    });
    let _ = write!(out, " (0x{ty:02x})");
}

/// Bytes as tshark labels them, `<MISSING>` when there are none.
fn missing_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    if cx.field.len == 0 {
        out.push_str("<MISSING>");
    } else {
        cx.value(out);
    }
}

/// `Chosen Version: 1 (0x00000001)`, a reserved version `… (GREASE)`.
fn version_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    match super::quic::version_name(v) {
        Some(n) => out.push_str(n),
        None => out.push_str("Unknown"),
    }
    let _ = write!(out, " (0x{v:08x})");
    if v & 0x0f0f_0f0f == 0x0a0a_0a0a {
        out.push_str(" (GREASE)");
    }
}

fn time_stamp_v2_name(v: u64) -> Option<&'static str> {
    Some(match v {
        1 => "I would like to receive TIME_STAMP frames",
        2 => "I am able to generate TIME_STAMP frames",
        3 => "I am able to generate TIME_STAMP frames and I would like to receive them",
        _ => return None,
    })
}
