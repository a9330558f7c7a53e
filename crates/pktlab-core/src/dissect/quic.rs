//! QUIC (RFC 9000) over UDP: long headers (Initial, 0-RTT, Handshake, Retry) with version
//! and connection IDs, short headers with the destination connection ID whose length the
//! connection's long headers announced, and Initial packets decrypted as tshark does by
//! default (RFC 9001: keys derived from the client's first destination connection ID), so
//! the TLS ClientHello and ServerHello their CRYPTO frames carry (server name, ALPN, cipher
//! suites) show. Later packets stay protected (their keys come from the TLS handshake).

use super::model::*;
use super::{Ctx, dispatch, rd};
use super::data::WS_TEXT;
use super::label::LabelCx;
use super::format::push_hex;
use std::fmt::Write;
use aes::cipher::{BlockEncrypt, KeyInit};
use aes_gcm::aead::{Aead, Payload};

pub static QUIC_HEADER_FORM: FieldDef = FieldDef::new("quic.header_form", "Header Form", FieldType::U8, Base::Dec).mask(0x80).vals(form_name);
pub static QUIC_FIXED_BIT: FieldDef = FieldDef::new("quic.fixed_bit", "Fixed Bit", FieldType::Bool, Base::None).mask(0x40).tfs("True", "False");
pub static QUIC_LONG_PACKET_TYPE: FieldDef = FieldDef::new("quic.long.packet_type", "Packet Type", FieldType::U8, Base::Dec).mask(0x30).vals(type_name);
/// QUIC version 2's packet type, whose numbers differ from version 1's.
pub static QUIC_LONG_PACKET_TYPE_V2: FieldDef = FieldDef::new("quic.long.packet_type_v2", "Packet Type", FieldType::U8, Base::Dec).mask(0x30).vals(type_name_v2);
/// Shown only once header protection is off (an Initial pktlab decrypts), as tshark.
/// (Their bit patterns are the unprotected byte's, not the bytes on the wire: written by
/// [`unprotected_bits_label`].)
pub static QUIC_LONG_RESERVED: FieldDef = FieldDef::new("quic.long.reserved", "Reserved", FieldType::U8, Base::Dec).mask(0x0c).whole(unprotected_bits_label);
pub static QUIC_PACKET_NUMBER_LENGTH: FieldDef = FieldDef::new("quic.packet_number_length", "Packet Number Length", FieldType::U8, Base::Dec).mask(0x03).vals(pn_length_name).whole(unprotected_bits_label);
pub static QUIC_SPIN_BIT: FieldDef = FieldDef::new("quic.spin_bit", "Spin Bit", FieldType::Bool, Base::None).mask(0x20).tfs("True", "False");
pub static QUIC_VERSION: FieldDef = FieldDef::new("quic.version", "Version", FieldType::U32, Base::Hex).vals(version_name);
pub static QUIC_DCIL: FieldDef = FieldDef::new("quic.dcil", "Destination Connection ID Length", FieldType::U8, Base::Dec);
pub static QUIC_DCID: FieldDef = FieldDef::new("quic.dcid", "Destination Connection ID", FieldType::Bytes, Base::None);
pub static QUIC_SCIL: FieldDef = FieldDef::new("quic.scil", "Source Connection ID Length", FieldType::U8, Base::Dec);
pub static QUIC_SCID: FieldDef = FieldDef::new("quic.scid", "Source Connection ID", FieldType::Bytes, Base::None);
pub static QUIC_TOKEN_LENGTH: FieldDef = FieldDef::new("quic.token_length", "Token Length", FieldType::U64, Base::Dec);
pub static QUIC_TOKEN: FieldDef = FieldDef::new("quic.token", "Token", FieldType::Bytes, Base::None);
pub static QUIC_LENGTH: FieldDef = FieldDef::new("quic.length", "Length", FieldType::U64, Base::Dec);
pub static QUIC_PACKET_NUMBER: FieldDef = FieldDef::new("quic.packet_number", "Packet Number", FieldType::U64, Base::Dec);
pub static QUIC_PAYLOAD: FieldDef = FieldDef::new("quic.payload", "Payload", FieldType::Bytes, Base::None);
pub static QUIC_PROTECTED_PAYLOAD: FieldDef = FieldDef::new("quic.protected_payload", "Protected Payload", FieldType::Bytes, Base::None);
pub static QUIC_SHORT: FieldDef = FieldDef::new("quic.short", "QUIC Short Header", FieldType::None, Base::None).whole(short_label);
pub static QUIC_FRAME: FieldDef = FieldDef::new("quic.frame", "Frame", FieldType::None, Base::None).whole(frame_label);
/// (A range string with a hex base: tshark's tree shows the hex, its fields and JSON the
/// number.)
pub static QUIC_FRAME_TYPE: FieldDef = FieldDef::new("quic.frame_type", "Frame Type", FieldType::U64, Base::Dec).vals(frame_name).custom(frame_type_label).pure();
pub static QUIC_PADDING_LENGTH: FieldDef = FieldDef::new("quic.padding_length", "Padding Length", FieldType::U32, Base::Dec);
pub static QUIC_CRYPTO_OFFSET: FieldDef = FieldDef::new("quic.crypto.offset", "Offset", FieldType::U64, Base::Dec);
pub static QUIC_CRYPTO_LENGTH: FieldDef = FieldDef::new("quic.crypto.length", "Length", FieldType::U64, Base::Dec);
pub static QUIC_CRYPTO_DATA: FieldDef = FieldDef::new("quic.crypto.crypto_data", "Crypto Data", FieldType::None, Base::None);
pub static QUIC_CONNECTION_NUMBER: FieldDef = FieldDef::new("quic.connection.number", "Connection Number", FieldType::U32, Base::Dec);
pub static QUIC_PACKET_LENGTH: FieldDef = FieldDef::new("quic.packet_length", "Packet Length", FieldType::U32, Base::Dec);
pub static QUIC_ACK_LARGEST: FieldDef = FieldDef::new("quic.ack.largest_acknowledged", "Largest Acknowledged", FieldType::U64, Base::Dec);
pub static QUIC_ACK_DELAY: FieldDef = FieldDef::new("quic.ack.ack_delay", "ACK Delay", FieldType::U64, Base::Dec);
pub static QUIC_ACK_RANGE_COUNT: FieldDef = FieldDef::new("quic.ack.ack_range_count", "ACK Range Count", FieldType::U64, Base::Dec);
pub static QUIC_ACK_FIRST_RANGE: FieldDef = FieldDef::new("quic.ack.first_ack_range", "First ACK Range", FieldType::U64, Base::Dec);
pub static QUIC_ACK_GAP: FieldDef = FieldDef::new("quic.ack.gap", "Gap", FieldType::U64, Base::Dec);
pub static QUIC_ACK_RANGE: FieldDef = FieldDef::new("quic.ack.ack_range", "ACK Range", FieldType::U64, Base::Dec);
pub static QUIC_ACK_ECT0: FieldDef = FieldDef::new("quic.ack.ect0_count", "ECT(0) Count", FieldType::U64, Base::Dec);
pub static QUIC_ACK_ECT1: FieldDef = FieldDef::new("quic.ack.ect1_count", "ECT(1) Count", FieldType::U64, Base::Dec);
pub static QUIC_ACK_ECN_CE: FieldDef = FieldDef::new("quic.ack.ecn_ce_count", "ECN-CE Count", FieldType::U64, Base::Dec);
pub static QUIC_CC_ERROR_CODE: FieldDef = FieldDef::new("quic.cc.error_code", "Error code", FieldType::U64, Base::Dec).vals(transport_error_name);
pub static QUIC_CC_ERROR_CODE_APP: FieldDef = FieldDef::new("quic.cc.error_code.app", "Application Error code", FieldType::U64, Base::Dec);
pub static QUIC_CC_TLS_ALERT: FieldDef = FieldDef::new("quic.cc.error_code.tls_alert", "TLS Alert Description", FieldType::U8, Base::Dec).vals(super::tls_names::alert_desc_name);
pub static QUIC_CC_FRAME_TYPE: FieldDef = FieldDef::new("quic.cc.frame_type", "Frame Type", FieldType::U64, Base::Dec);
pub static QUIC_CC_REASON_LENGTH: FieldDef = FieldDef::new("quic.cc.reason_phrase.length", "Reason phrase Length", FieldType::U64, Base::Dec);
pub static QUIC_CC_REASON: FieldDef = FieldDef::new("quic.cc.reason_phrase", "Reason phrase", FieldType::Str, Base::None);
pub static QUIC_RETRY_TOKEN: FieldDef = FieldDef::new("quic.retry_token", "Retry Token", FieldType::Bytes, Base::None);
/// `[verified]` after it when its check passed (no expert item on it).
pub static QUIC_RETRY_TAG: FieldDef = FieldDef::new("quic.retry_integrity_tag", "Retry Integrity Tag", FieldType::Bytes, Base::None).custom(retry_tag_label);
/// What tshark could not read of a packet (without keys: its packet number and payload).
pub static QUIC_REMAINING_PAYLOAD: FieldDef = FieldDef::new("quic.remaining_payload", "Remaining Payload", FieldType::Bytes, Base::None);
/// Expert items Wireshark adds alone (see [`note`]).
pub static QUIC_DECRYPTION_FAILED: FieldDef = FieldDef::new("quic.decryption_failed", "Failed to decrypt handshake", FieldType::None, Base::None);
pub static QUIC_COALESCED_PADDING: FieldDef = FieldDef::new("quic.coalesced_padding_data", "Coalesced Padding Data", FieldType::None, Base::None);
pub static QUIC_FT_UNKNOWN: FieldDef = FieldDef::new("quic.ft.unknown", "Unknown Frame Type", FieldType::None, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &QUIC_HEADER_FORM, &QUIC_FIXED_BIT, &QUIC_LONG_PACKET_TYPE, &QUIC_LONG_PACKET_TYPE_V2, &QUIC_LONG_RESERVED, &QUIC_PACKET_NUMBER_LENGTH, &QUIC_SPIN_BIT, &QUIC_VERSION, &QUIC_DCIL, &QUIC_DCID, &QUIC_SCIL, &QUIC_SCID, &QUIC_TOKEN_LENGTH,
    &QUIC_TOKEN, &QUIC_LENGTH, &QUIC_PACKET_NUMBER, &QUIC_PAYLOAD, &QUIC_PROTECTED_PAYLOAD, &QUIC_SHORT, &QUIC_FRAME, &QUIC_FRAME_TYPE, &QUIC_PADDING_LENGTH,
    &QUIC_CRYPTO_OFFSET, &QUIC_CRYPTO_LENGTH, &QUIC_CRYPTO_DATA, &QUIC_ACK_LARGEST, &QUIC_CONNECTION_NUMBER, &QUIC_PACKET_LENGTH,
    &QUIC_ACK_DELAY, &QUIC_ACK_RANGE_COUNT, &QUIC_ACK_FIRST_RANGE, &QUIC_ACK_GAP, &QUIC_ACK_RANGE, &QUIC_ACK_ECT0, &QUIC_ACK_ECT1, &QUIC_ACK_ECN_CE,
    &QUIC_CC_ERROR_CODE, &QUIC_CC_ERROR_CODE_APP, &QUIC_CC_TLS_ALERT, &QUIC_CC_FRAME_TYPE, &QUIC_CC_REASON_LENGTH, &QUIC_CC_REASON, &QUIC_REMAINING_PAYLOAD,
    &QUIC_DECRYPTION_FAILED, &QUIC_COALESCED_PADDING, &QUIC_FT_UNKNOWN, &QUIC_RETRY_TOKEN, &QUIC_RETRY_TAG,
];

/// RFC 9001's Initial salt for QUIC version 1.
const SALT_V1: [u8; 20] = [0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a];

type Key = ([u8; 16], u16, [u8; 16], u16);

#[derive(Default, Clone)]
struct Conn {
    /// The connection's number, in the order connections were first seen (tshark's
    /// `quic.connection.number`).
    number: u64,
    /// The destination connection ID of the client's first Initial (it keys every Initial).
    initial_dcid: Vec<u8>,
    /// Which side of the key is the client (0: the lower endpoint).
    client: usize,
    /// Per direction: the length of the connection IDs its packets carry as destination.
    dcid_len: [Option<usize>; 2],
    /// A ServerHello named the connection's cipher suite (tshark's `tls_get_cipher_info`
    /// answers): without the secrets, tshark then says they are missing.
    cipher_known: bool,
    /// tshark gave up on the connection's 1-RTT packets (its `skip_decryption`).
    skip_1rtt: bool,
    /// Per direction: how far the Initial CRYPTO stream runs without a gap.
    crypto_next: [u64; 2],
    /// Per direction: a handshake message the CRYPTO stream has begun and not finished.
    hs_pending: [Option<super::tls::HsPending>; 2],
    /// The server sent a Retry: the client's next Initial names the connection ID its keys
    /// come from (tshark clears `client_dcid_set`).
    retry_pending: bool,
}

impl Conns {
    /// Whether a connection between the flow's endpoints was seen.
    pub(crate) fn knows(&self, flow: &super::Flow) -> bool {
        !self.map.is_empty() && self.map.contains_key(&flow.key())
    }
}

/// QUIC connections by their UDP endpoints (lower endpoint first).
#[derive(Default)]
pub struct Conns {
    map: foldhash::HashMap<Key, Conn>,
    /// The number the next new connection gets.
    next: u64,
    /// The connection as it was before the frame last read (its number, the endpoints, the
    /// connection or none, the next number): a frame read again (a filter's pass, then the
    /// output's) starts from it, so reading a frame twice reads it the same.
    before: Option<(u64, Key, Option<Conn>, u64)>,
}

impl Conns {
    /// Starts frame `frame` on the connection `key`: as it was before the frame if the frame
    /// is read again, else noted as it is now.
    fn enter(&mut self, frame: u64, key: Key) {
        match &self.before {
            Some((f, k, conn, next)) if *f == frame && *k == key => {
                match conn {
                    Some(c) => {
                        self.map.insert(key, c.clone());
                    }
                    None => {
                        self.map.remove(&key);
                    }
                }
                self.next = *next;
            }
            _ => self.before = Some((frame, key, self.map.get(&key).cloned(), self.next)),
        }
    }
}

const MAX_CONNS: usize = 1 << 16;

/// A QUIC variable-length integer at `o`: (value, bytes).
pub(crate) fn varint(d: &[u8], o: usize) -> Option<(u64, usize)> {
    let b0 = *d.get(o)?;
    let n = 1usize << (b0 >> 6);
    let mut v = (b0 & 0x3f) as u64;
    for i in 1..n {
        v = (v << 8) | *d.get(o + i)? as u64;
    }
    Some((v, n))
}

fn known_version(v: u32) -> bool {
    v == 1 || v == V2 || v & 0xffff_ff00 == 0xff00_0000
}

/// QUIC version 2 (RFC 9369): its own long packet type numbers, Initial salt, key labels and
/// Retry key.
const V2: u32 = 0x6b33_43cf;

/// RFC 9369's Initial salt for QUIC version 2.
const SALT_V2: [u8; 20] = [0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9];

/// Whether the datagram at `off` starts with a QUIC long header of a version tshark knows.
fn looks_long(data: &[u8], off: usize) -> bool {
    matches!(rd::u8(data, off), Some(b) if b & 0xc0 == 0xc0) && rd::u32(data, off + 1).is_some_and(known_version)
}

/// Dissects QUIC packets in `off..end` of a UDP datagram between `src:sport` and
/// `dst:dport`; false (adding nothing) if the datagram is not QUIC.
///
/// As tshark's `dissect_quic`: each packet of the datagram is a `QUIC IETF` layer of its own
/// (the first one holds the connection's information); a packet coalesced after the first
/// whose destination connection ID is not the first one's is padding appended to the
/// datagram (a layer holding only that note); the Info column is the last packet's.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize, sport: u16, dport: u16) -> bool {
    let end = end.min(data.len());
    let Some((s, d)) = cx.net else { return false };
    let (key, dir) = super::Flow { src: (s, sport), dst: (d, dport), tcp: false }.key_dir();
    let long = looks_long(data, off);
    let known = cx.quic.map.contains_key(&key);
    if !long && !known {
        return false;
    }
    if !long && rd::u8(data, off).is_none_or(|b| b & 0x40 == 0) {
        return false;
    }
    cx.out.stateful = true;
    cx.quic.enter(cx.frame_number, key);
    if cx.in_error == 0 {
        cx.set_protocol("QUIC");
    }
    let mut info = String::new();
    let mut first_dcid: Vec<u8> = Vec::new();
    let mut p = off;
    while p < end {
        let li = cx.open_as("quic", if p == off { "quic" } else { "" }, "QUIC IETF", Osi::Transport, p, end - p);
        if p == off {
            // tshark's connection information (the number a new connection is about to get).
            let number = cx.quic.map.get(&key).map_or(cx.quic.next, |c| c.number);
            text(cx, p, 0, "QUIC Connection information");
            cx.child(|cx| cx.add_gen(&QUIC_CONNECTION_NUMBER, p, 0, Value::UInt(number)));
        }
        let dcid = packet_dcid(cx, data, p, key, dir);
        if p == off {
            first_dcid = dcid.unwrap_or_default();
        } else if dcid.is_some_and(|c| c != first_dcid) {
            note(cx, &QUIC_COALESCED_PADDING, p, Severity::Note, "(Random) padding data appended to the datagram");
            cx.close(li);
            break;
        }
        let pend = message_end(data, p, end);
        cx.set_len(li, pend - p);
        cx.add_gen(&QUIC_PACKET_LENGTH, p, 0, Value::UInt((pend - p) as u64));
        info.clear();
        let b0 = data[p];
        let stop = if b0 & 0x80 != 0 { long_packet(cx, data, p, pend, key, dir, &mut info) } else { short_packet(cx, data, p, pend, key, dir, &mut info) };
        // What tshark could not read of the packet (without keys: its packet number and
        // payload).
        if let Some(s) = stop
            && s < pend
        {
            cx.add(&QUIC_REMAINING_PAYLOAD, s, pend - s, Value::Bytes);
        }
        cx.close(li);
        if stop.is_none() {
            break;
        }
        p = pend;
    }
    if cx.in_error == 0 && cx.text {
        cx.out.info.clear();
        cx.out.info.push_str(&info);
    }
    true
}

/// The long packet type a first byte means in `version` (QUIC v2 numbers them otherwise):
/// 0 Initial, 1 0-RTT, 2 Handshake, 3 Retry.
fn long_type(b0: u8, version: u32) -> u8 {
    let t = (b0 >> 4) & 3;
    if version == V2 { (t + 3) & 3 } else { t }
}

/// Where the packet at `p` ends (tshark's `quic_get_message_tvb`): a long header's by its
/// Length, when that ends inside the datagram; a short header, a Retry, a version
/// negotiation or anything unreadable runs to the datagram's end.
fn message_end(data: &[u8], p: usize, end: usize) -> usize {
    let within = || -> Option<usize> {
        let b0 = rd::u8(data, p)?;
        if b0 & 0x80 == 0 {
            return None;
        }
        let version = rd::u32(data, p + 1)?;
        let t = long_type(b0, version);
        if t == 3 || version == 0 {
            return None;
        }
        let (pn_at, pl) = long_lengths(data, p, t)?;
        if pl > i32::MAX as u64 {
            return None;
        }
        let len = (pn_at - p).checked_add(pl as usize)?;
        (len < end - p).then_some(p + len)
    };
    within().unwrap_or(end)
}

/// What the lengths of the long header at `p` (of packet type `t`: an Initial has a token)
/// say: where its packet number starts, and its Length (the packet number and payload).
fn long_lengths(data: &[u8], p: usize, t: u8) -> Option<(usize, u64)> {
    let mut o = p + 5;
    o += 1 + rd::u8(data, o)? as usize;
    o += 1 + rd::u8(data, o)? as usize;
    if t == 0 {
        let (tl, n) = varint(data, o)?;
        o = o.checked_add(n)?.checked_add(usize::try_from(tl).ok()?)?;
    }
    let (len, n) = varint(data, o)?;
    Some((o + n, len))
}

/// The destination connection ID of the packet at `p`, as tshark compares coalesced
/// packets with the first (`check_dcid_on_coalesced_packet`): a long header's own (empty if
/// longer than 20 bytes), a short header's by its connection's length for this direction;
/// None (anything goes) for a short header of no known connection.
fn packet_dcid(cx: &Ctx, data: &[u8], p: usize, key: Key, dir: usize) -> Option<Vec<u8>> {
    let b0 = rd::u8(data, p)?;
    if b0 & 0x80 != 0 {
        let n = rd::u8(data, p + 5).map_or(0, usize::from);
        if n == 0 || n > 20 {
            return Some(Vec::new());
        }
        return Some(data.get(p + 6..p + 6 + n).map_or_else(Vec::new, <[u8]>::to_vec));
    }
    let n = cx.quic.map.get(&key)?.dcid_len[dir].unwrap_or(0);
    Some(data.get(p + 1..p + 1 + n).map_or_else(Vec::new, <[u8]>::to_vec))
}

/// A note Wireshark adds as an expert item alone (its field is the expert's name), at `at`.
fn note(cx: &mut Ctx, def: &'static FieldDef, at: usize, severity: Severity, message: &'static str) {
    let i = cx.add_gen(def, at, 0, Value::None);
    cx.expert(severity, def.abbrev, message, Some(i));
}

/// An expert item Wireshark adds as an item of its own (`proto_tree_add_expert`): its
/// message as a line of the tree, the expert item under it.
fn text_expert(cx: &mut Ctx, at: usize, len: usize, key: &'static str, message: &'static str) {
    let i = cx.add(&WS_TEXT, at, len, Value::Str(message.into()));
    cx.expert(Severity::Note, key, message, Some(i));
}

/// A long header packet at `p` ending at `pend`: its fields, and (for a version 1 Initial)
/// its frames; its Info text into `info`. Returns where tshark stops reading it (the rest is
/// its Remaining Payload), None if the header is cut short.
#[allow(clippy::too_many_arguments)]
fn long_packet(cx: &mut Ctx, data: &[u8], p: usize, pend: usize, key: Key, dir: usize, info: &mut String) -> Option<usize> {
    let b0 = rd::u8(data, p)?;
    cx.add(&QUIC_HEADER_FORM, p, 1, Value::UInt(1));
    let version = rd::u32(data, p + 1)?;
    let ptype = long_type(b0, version);
    // (tshark shows no fixed bit for a Retry.)
    if ptype != 3 {
        cx.add(&QUIC_FIXED_BIT, p, 1, Value::Bool(b0 & 0x40 != 0));
    }
    cx.add(if version == V2 { &QUIC_LONG_PACKET_TYPE_V2 } else { &QUIC_LONG_PACKET_TYPE }, p, 1, Value::UInt(((b0 >> 4) & 3) as u64));
    // An Initial pktlab can decrypt, read ahead: its first byte without header protection
    // gives the reserved bits and the packet number's length, shown here as tshark does.
    let unprotected = if ptype == 0 && (version == 1 || version == V2) { initial_ahead(cx, data, p, pend, key, dir, version) } else { None };
    if let Some((_, _, _, b0)) = &unprotected {
        cx.add(&QUIC_LONG_RESERVED, p, 1, Value::UInt(((b0 >> 2) & 3) as u64));
        cx.add(&QUIC_PACKET_NUMBER_LENGTH, p, 1, Value::UInt((b0 & 3) as u64));
    }
    info.push_str(type_name(ptype as u64).unwrap_or("Long Header"));
    cx.add(&QUIC_VERSION, p + 1, 4, Value::UInt(version as u64));
    let dcil = rd::u8(data, p + 5)? as usize;
    cx.add(&QUIC_DCIL, p + 5, 1, Value::UInt(dcil as u64));
    let dcid = data.get(p + 6..p + 6 + dcil)?.to_vec();
    if dcil > 0 {
        cx.add(&QUIC_DCID, p + 6, dcil, Value::Bytes);
    }
    let q = p + 6 + dcil;
    let scil = rd::u8(data, q)? as usize;
    cx.add(&QUIC_SCIL, q, 1, Value::UInt(scil as u64));
    let scid = data.get(q + 1..q + 1 + scil)?.to_vec();
    if scil > 0 {
        cx.add(&QUIC_SCID, q + 1, scil, Value::Bytes);
    }
    let mut o = q + 1 + scil;
    // The connection: who the client is, the Initial keys' connection ID, the CID lengths.
    if cx.quic.map.len() >= MAX_CONNS {
        cx.quic.map.clear();
    }
    let number = cx.quic.next;
    let mut created = false;
    let conn = cx.quic.map.entry(key).or_insert_with(|| {
        created = true;
        Conn { number, initial_dcid: dcid.clone(), client: dir, ..Conn::default() }
    });
    conn.dcid_len[dir] = Some(dcil);
    conn.dcid_len[1 - dir] = Some(scil);
    let (cipher_known, from_client) = (conn.cipher_known, conn.client == dir);
    // A Retry from the server: its integrity tag is checked against the connection ID the
    // client's Initial went to (none if a Retry came before), and the client's next Initial
    // starts the keys again.
    let mut odcid = None;
    if ptype == 3 && !from_client {
        if !conn.retry_pending {
            odcid = Some(conn.initial_dcid.clone());
        }
        conn.retry_pending = true;
    } else if ptype == 0 && from_client && conn.retry_pending && dcil > 0 {
        conn.initial_dcid = dcid.clone();
        conn.retry_pending = false;
    }
    if created {
        cx.quic.next += 1;
    }
    if dcil > 0 && dcil <= 20 {
        info.push_str(", DCID=");
        push_hex(info, &dcid);
    }
    if scil > 0 && scil <= 20 {
        info.push_str(", SCID=");
        push_hex(info, &scid);
    }
    if ptype == 3 {
        // Retry: a token and the integrity tag (RFC 9001 5.8), nothing to decrypt. (A header
        // running past the datagram leaves neither.)
        let o = o.min(pend);
        let tag_at = if pend - o >= 16 { pend - 16 } else { pend };
        cx.add(&QUIC_RETRY_TOKEN, o, tag_at - o, Value::Bytes);
        if tag_at < pend {
            let ti = cx.add(&QUIC_RETRY_TAG, tag_at, 16, Value::Bytes);
            match odcid {
                Some(odcid) if retry_tag_ok(data, p, tag_at, &odcid, version) => {}
                Some(_) => cx.expert(Severity::Warn, "quic.bad_retry", "Retry Integrity Tag verification failure", Some(ti)),
                None => cx.expert(Severity::Warn, "quic.bad_retry", "Cannot verify Retry Packet due to unknown ODCID", Some(ti)),
            }
        }
        return Some(pend);
    }
    if ptype == 0 {
        let (tl, n) = varint(data, o)?;
        cx.add(&QUIC_TOKEN_LENGTH, o, n, Value::UInt(tl));
        o += n;
        if tl > 0 {
            let tl = usize::try_from(tl).ok()?;
            data.get(o..o + tl)?;
            cx.add(&QUIC_TOKEN, o, tl, Value::Bytes);
            o += tl;
        }
    }
    let (len, n) = varint(data, o)?;
    cx.add(&QUIC_LENGTH, o, n, Value::UInt(len));
    o += n;
    // Without the TLS secrets (a key log), tshark reads no further than the Length of a
    // Handshake or 0-RTT packet: it says why.
    let error = match ptype {
        2 if cipher_known => Some("Failed to create decryption context: Secrets are not available"),
        2 => Some("Failed to create decryption context: Unable to retrieve cipher information"),
        1 if from_client => Some("Failed to create decryption context: Secrets are not available"),
        1 => Some("Failed to decrypt packet number"),
        _ => None,
    };
    if let Some(message) = error {
        note(cx, &QUIC_DECRYPTION_FAILED, p, Severity::Warn, message);
        return Some(o);
    }
    // (Only a version 1 Initial was unprotected.)
    if let Some((pn, pnlen, plain, _)) = unprotected {
        cx.add(&QUIC_PACKET_NUMBER, o, pnlen, Value::UInt(pn));
        // The payload as sent (encrypted, with its tag); its frames come from the plaintext.
        cx.add(&QUIC_PAYLOAD, o + pnlen, pend.saturating_sub(o + pnlen), Value::Bytes);
        let _ = write!(info, ", PKN: {pn}");
        frames(cx, plain, key, dir, info);
        return Some(pend);
    }
    if pend > o {
        cx.add(&QUIC_PROTECTED_PAYLOAD, o, pend - o, Value::Bytes);
    }
    Some(pend)
}

/// A short header packet at `p` (to `end`): its header; pktlab has no 1-RTT keys, so it stops
/// after the destination connection ID, as tshark does without a key log (the first such
/// packet of a connection says why, once a ServerHello named the cipher; every one until
/// then).
#[allow(clippy::too_many_arguments)]
fn short_packet(cx: &mut Ctx, data: &[u8], p: usize, end: usize, key: Key, dir: usize, info: &mut String) -> Option<usize> {
    let b0 = rd::u8(data, p)?;
    let (dcil, error) = match cx.quic.map.get_mut(&key) {
        Some(conn) => {
            let error = if conn.skip_1rtt {
                None
            } else if conn.cipher_known {
                conn.skip_1rtt = true;
                Some("Failed to create decryption context: Secrets are not available")
            } else {
                Some("Failed to create decryption context: Missing TLS handshake, unsupported ciphers or padding")
            };
            (conn.dcid_len[dir].unwrap_or(0), error)
        }
        None => (0, None),
    };
    cx.add(&QUIC_SHORT, p, end - p, Value::None);
    info.push_str("Protected Payload (KP0)");
    let o = cx.child(|cx| {
        cx.add(&QUIC_HEADER_FORM, p, 1, Value::UInt(0));
        cx.add(&QUIC_FIXED_BIT, p, 1, Value::Bool(b0 & 0x40 != 0));
        cx.add(&QUIC_SPIN_BIT, p, 1, Value::Bool(b0 & 0x20 != 0));
        if dcil > 0 && p + 1 + dcil <= end {
            cx.add(&QUIC_DCID, p + 1, dcil, Value::Bytes);
            info.push_str(", DCID=");
            push_hex(info, &data[p + 1..p + 1 + dcil]);
        }
        (p + 1 + dcil).min(end)
    });
    if let Some(message) = error {
        note(cx, &QUIC_DECRYPTION_FAILED, p, Severity::Warn, message);
    }
    Some(o)
}

/// A text-only tree item (when the tree's text is wanted).
fn text(cx: &mut Ctx, off: usize, len: usize, s: &'static str) {
    if cx.wants(&WS_TEXT) {
        cx.add(&WS_TEXT, off, len, Value::Str(s.into()));
    }
}

/// `.... 00.. = Reserved: 0`, `.... ..01 = Packet Number Length: 2 bytes (1)`: the bits of
/// the first byte once header protection is off (the field's value), under its mask; the
/// tree's own pattern would show the protected byte on the wire.
fn unprotected_bits_label(cx: &LabelCx<'_>, out: &mut String) {
    let def = cx.field.def;
    super::label::bit_pattern(def.bitmask, cx.uint() << def.bitmask.trailing_zeros(), 8, out);
    out.push_str(" = ");
    out.push_str(def.name);
    out.push_str(": ");
    cx.value(out);
}

/// `2 bytes` for a packet number length field of 1 (tshark's `quic_packet_number_lengths`).
fn pn_length_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "1 bytes",
        1 => "2 bytes",
        2 => "3 bytes",
        3 => "4 bytes",
        _ => return None,
    })
}

/// HKDF-Expand-Label of TLS 1.3 with an empty context.
fn expand_label(secret: &[u8], label: &str, len: usize) -> Option<Vec<u8>> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::from_prk(secret).ok()?;
    let full = format!("tls13 {label}");
    let mut info = Vec::with_capacity(4 + full.len());
    info.extend_from_slice(&(len as u16).to_be_bytes());
    info.push(full.len() as u8);
    info.extend_from_slice(full.as_bytes());
    info.push(0);
    let mut out = vec![0u8; len];
    hk.expand(&info, &mut out).ok()?;
    Some(out)
}

/// An Initial long header at `p` (up to `end`) unprotected and decrypted before its fields are
/// added: where its packet number starts and the packet ends, by the header's lengths, and
/// the keys of its connection (the client's first destination connection ID, as
/// [`long_packet`] records it; this packet's own when it is the first).
fn initial_ahead(cx: &Ctx, data: &[u8], p: usize, end: usize, key: Key, dir: usize, version: u32) -> Option<(u64, usize, Vec<u8>, u8)> {
    let dcil = rd::u8(data, p + 5)? as usize;
    let dcid = data.get(p + 6..p + 6 + dcil)?;
    let (o, len) = long_lengths(data, p, 0)?;
    let pend = o.checked_add(usize::try_from(len).ok()?)?.min(end);
    let (initial_dcid, client) = match cx.quic.map.get(&key) {
        // (The client's first Initial after a Retry: its new destination ID keys it.)
        Some(conn) if conn.retry_pending && dir == conn.client => (dcid, conn.client),
        Some(conn) => (conn.initial_dcid.as_slice(), conn.client),
        None => (dcid, dir),
    };
    unprotect(data, p, o, pend, initial_dcid, dir == client, version == V2)
}

/// Whether the Retry at `p` whose tag starts at `tag_at` carries the integrity tag RFC 9001
/// (section 5.8) computes over the client's original destination connection ID `odcid`.
fn retry_tag_ok(data: &[u8], p: usize, tag_at: usize, odcid: &[u8], version: u32) -> bool {
    const KEY_V1: [u8; 16] = [0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a, 0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e];
    const NONCE_V1: [u8; 12] = [0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb];
    const KEY_V2: [u8; 16] = [0x8f, 0xb4, 0xb0, 0x1b, 0x56, 0xac, 0x48, 0xe2, 0x60, 0xfb, 0xcb, 0xce, 0xad, 0x7c, 0xcc, 0x92];
    const NONCE_V2: [u8; 12] = [0xd8, 0x69, 0x69, 0xbc, 0x2d, 0x7c, 0x6d, 0x99, 0x90, 0xef, 0xb0, 0x4a];
    let (key, nonce) = if version == V2 { (KEY_V2, NONCE_V2) } else { (KEY_V1, NONCE_V1) };
    let (Some(packet), Some(tag)) = (data.get(p..tag_at), data.get(tag_at..tag_at + 16)) else { return false };
    let mut aad = Vec::with_capacity(1 + odcid.len() + packet.len());
    aad.push(odcid.len() as u8);
    aad.extend_from_slice(odcid);
    aad.extend_from_slice(packet);
    let Ok(aead) = aes_gcm::Aes128Gcm::new_from_slice(&key) else { return false };
    aead.decrypt(aes_gcm::Nonce::from_slice(&nonce), Payload { msg: tag, aad: &aad }).is_ok()
}

/// Removes the header protection and decrypts an Initial packet (header at `p`, packet
/// number at `pn_at`, packet end `pend`): (packet number, its length, plaintext, the first
/// byte unprotected).
fn unprotect(data: &[u8], p: usize, pn_at: usize, pend: usize, dcid: &[u8], client: bool, v2: bool) -> Option<(u64, usize, Vec<u8>, u8)> {
    let (initial, _) = hkdf::Hkdf::<sha2::Sha256>::extract(Some(if v2 { &SALT_V2 } else { &SALT_V1 }), dcid);
    let secret = expand_label(&initial, if client { "client in" } else { "server in" }, 32)?;
    let (kl, il, hl) = if v2 { ("quicv2 key", "quicv2 iv", "quicv2 hp") } else { ("quic key", "quic iv", "quic hp") };
    let key = expand_label(&secret, kl, 16)?;
    let iv = expand_label(&secret, il, 12)?;
    let hp = expand_label(&secret, hl, 16)?;
    let sample = data.get(pn_at + 4..pn_at + 20)?;
    let hp_cipher = aes::Aes128::new_from_slice(&hp).ok()?;
    let mut block = aes::Block::clone_from_slice(sample);
    hp_cipher.encrypt_block(&mut block);
    let mut header = data.get(p..pn_at + 4)?.to_vec();
    header[0] ^= block[0] & 0x0f;
    let pnlen = (header[0] & 3) as usize + 1;
    let pn_rel = pn_at - p;
    let mut pn = 0u64;
    for i in 0..pnlen {
        header[pn_rel + i] ^= block[1 + i];
        pn = (pn << 8) | header[pn_rel + i] as u64;
    }
    header.truncate(pn_rel + pnlen);
    let ct = data.get(pn_at + pnlen..pend)?;
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&iv);
    for (i, b) in pn.to_be_bytes().iter().enumerate() {
        nonce[4 + i] ^= b;
    }
    let aead = aes_gcm::Aes128Gcm::new_from_slice(&key).ok()?;
    let plain = aead.decrypt(aes_gcm::Nonce::from_slice(&nonce), Payload { msg: ct, aad: &header }).ok()?;
    Some((pn, pnlen, plain, header[0]))
}

/// What the frames of an Initial packet read and change: the Info text, and the client's or
/// the server's Initial CRYPTO stream.
struct Frames<'a> {
    info: &'a mut String,
    /// How far the CRYPTO stream runs without a gap (tshark's `max_contiguous_offset`).
    crypto_next: u64,
    /// A ServerHello named a cipher suite (see [`Conn::cipher_known`]).
    cipher: bool,
    /// A handshake message begun and not finished (see [`Conn::hs_pending`]).
    hs_pending: Option<super::tls::HsPending>,
}

/// The frames of a decrypted payload, as fields in a new source (tshark's "Decrypted QUIC"),
/// each frame's name appended to `info`.
fn frames(cx: &mut Ctx, plain: Vec<u8>, key: Key, dir: usize, info: &mut String) {
    let Some(conn) = cx.quic.map.get_mut(&key) else { return };
    let mut st = Frames { info, crypto_next: conn.crypto_next[dir], cipher: false, hs_pending: conn.hs_pending[dir].take() };
    cx.in_reassembled(plain, |cx, b| {
        let mut o = 0usize;
        while o < b.len() {
            let Some((t, n)) = varint(b, o) else { break };
            let start = o;
            let fi = cx.add(&QUIC_FRAME, start, 0, Value::None);
            let next = cx.child(|cx| {
                cx.add(&QUIC_FRAME_TYPE, start, n, Value::UInt(t));
                frame(cx, b, t, start, start + n, &mut st)
            });
            // A frame cut short ends the payload's frames.
            let Some(next) = next else { break };
            o = next.min(b.len());
            if let Some(f) = cx.out.fields.get_mut(fi as usize)
                && std::ptr::eq(f.def, &QUIC_FRAME)
            {
                f.len = (o - start) as u32;
            }
        }
    });
    if let Some(conn) = cx.quic.map.get_mut(&key) {
        conn.crypto_next[dir] = st.crypto_next;
        conn.cipher_known |= st.cipher;
        conn.hs_pending[dir] = st.hs_pending;
    }
}

/// The fields of a frame of type `t` at `start` whose type ends at `o` (tshark's
/// `dissect_quic_frame_type`, for the frames an Initial packet may carry); where the frame
/// ends, or None if it is cut short.
fn frame(cx: &mut Ctx, b: &[u8], t: u64, start: usize, mut o: usize, st: &mut Frames<'_>) -> Option<usize> {
    let var = |cx: &mut Ctx, def: &'static FieldDef, o: &mut usize| -> Option<u64> {
        let (v, n) = varint(b, *o)?;
        cx.add(def, *o, n, Value::UInt(v));
        *o += n;
        Some(v)
    };
    match t {
        0x00 => {
            // One PADDING frame for a run of zeros, its length counting the type byte.
            let pad = 1 + b[o..].iter().take_while(|&&c| c == 0).count();
            st.info.push_str(", PADDING");
            cx.add_gen(&QUIC_PADDING_LENGTH, o, 0, Value::UInt(pad as u64));
            o = start + pad;
        }
        0x01 => st.info.push_str(", PING"),
        0x02 | 0x03 => {
            st.info.push_str(if t == 2 { ", ACK" } else { ", ACK_ECN" });
            var(cx, &QUIC_ACK_LARGEST, &mut o)?;
            var(cx, &QUIC_ACK_DELAY, &mut o)?;
            let count = var(cx, &QUIC_ACK_RANGE_COUNT, &mut o)?;
            var(cx, &QUIC_ACK_FIRST_RANGE, &mut o)?;
            for _ in 0..count {
                var(cx, &QUIC_ACK_GAP, &mut o)?;
                var(cx, &QUIC_ACK_RANGE, &mut o)?;
            }
            if t == 0x03 {
                var(cx, &QUIC_ACK_ECT0, &mut o)?;
                var(cx, &QUIC_ACK_ECT1, &mut o)?;
                var(cx, &QUIC_ACK_ECN_CE, &mut o)?;
            }
        }
        0x06 => {
            st.info.push_str(", CRYPTO");
            let coff = var(cx, &QUIC_CRYPTO_OFFSET, &mut o)?;
            let clen = var(cx, &QUIC_CRYPTO_LENGTH, &mut o)?;
            let clen = usize::try_from(clen).ok().filter(|&n| n <= b.len() - o)?;
            cx.add(&QUIC_CRYPTO_DATA, o, clen, Value::None);
            crypto(cx, b, coff, o, clen, st);
            o += clen;
        }
        0x1c | 0x1d => {
            st.info.push_str(", CC");
            let (code, n) = varint(b, o)?;
            if t == 0x1c {
                cx.add(&QUIC_CC_ERROR_CODE, o, n, Value::UInt(code));
                if code >> 8 == 1 && super::tls_names::alert_desc_name(code & 0xff).is_some() {
                    cx.add(&QUIC_CC_TLS_ALERT, o + n - 1, 1, Value::UInt(code & 0xff));
                }
                o += n;
                var(cx, &QUIC_CC_FRAME_TYPE, &mut o)?;
            } else {
                cx.add(&QUIC_CC_ERROR_CODE_APP, o, n, Value::UInt(code));
                o += n;
            }
            let rl = var(cx, &QUIC_CC_REASON_LENGTH, &mut o)?;
            let rl = usize::try_from(rl).ok().filter(|&n| n <= b.len() - o)?;
            cx.add(&QUIC_CC_REASON, o, rl, Value::Str(super::http::ascii_text(&b[o..o + rl])));
            o += rl;
        }
        _ if frame_name(t).is_some() => {
            // A frame no Initial packet may carry: pktlab reads no further.
            o = b.len();
        }
        _ => {
            // An unknown type: tshark notes it and reads on after the type.
            let i = cx.add_gen(&QUIC_FT_UNKNOWN, start, 0, Value::None);
            cx.expert(Severity::Note, QUIC_FT_UNKNOWN.abbrev, format!("Unknown Frame Type {t:#x}"), Some(i));
        }
    }
    Some(o)
}

/// A CRYPTO frame's data `b[at..at + len]` at offset `coff` of its stream, as tshark's
/// `desegment_quic_crypto`: bytes already seen are a retransmission (a note, nothing
/// more), bytes partly seen an overlap (a note, then the new bytes); bytes that continue the
/// stream go to TLS, whose handshake messages nest in the frame's tree; bytes after a gap
/// wait (pktlab does not put them together with the gap's bytes later).
fn crypto(cx: &mut Ctx, b: &[u8], coff: u64, mut at: usize, mut len: usize, st: &mut Frames<'_>) {
    let end = coff.saturating_add(len as u64);
    if end <= st.crypto_next {
        text_expert(cx, at, len, "quic.retransmission", "This QUIC frame has a reused stream offset (retransmission?)");
        return;
    }
    if coff < st.crypto_next {
        text_expert(cx, at, len, "quic.overlap", "This QUIC frame overlaps a previous frame in the stream");
        let overlap = (st.crypto_next - coff) as usize;
        at += overlap;
        len -= overlap;
    } else if coff > st.crypto_next {
        return;
    }
    st.crypto_next = end;
    st.cipher |= server_hello_cipher(&b[at..at + len]);
    dispatch::tls_handshakes(cx, b, at, at + len, &mut st.hs_pending);
}

/// Whether `hs` holds a ServerHello naming a TLS 1.3 cipher suite (which tshark's TLS
/// session then knows: QUIC's later packets can say their secrets are missing).
fn server_hello_cipher(hs: &[u8]) -> bool {
    let mut i = 0usize;
    while i + 4 <= hs.len() {
        let (t, n) = (hs[i], rd::u24(hs, i + 1).unwrap_or(0) as usize);
        if t == 2 {
            // type, length, version, random, session ID, cipher suite
            let sid = rd::u8(hs, i + 4 + 2 + 32).map_or(0, usize::from);
            return rd::u16(hs, i + 4 + 2 + 32 + 1 + sid).is_some_and(|c| (0x1301..=0x1305).contains(&c));
        }
        i += 4 + n;
    }
    false
}

pub fn form_name(v: u64) -> Option<&'static str> {
    Some(if v == 1 { "Long Header" } else { "Short Header" })
}

pub fn type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "Initial",
        1 => "0-RTT",
        2 => "Handshake",
        3 => "Retry",
        _ => return None,
    })
}

/// Version 2's long packet types (RFC 9369: Retry 0, Initial 1, 0-RTT 2, Handshake 3).
pub fn type_name_v2(t: u64) -> Option<&'static str> {
    type_name((t + 3) & 3)
}

/// QUIC versions as tshark names them (`Version: 1 (0x00000001)`: its `quic_version_vals`).
pub fn version_name(v: u64) -> Option<&'static str> {
    const DRAFTS: [&str; 31] = [
        "draft-04", "draft-05", "draft-06", "draft-07", "draft-08", "draft-09", "draft-10", "draft-11", "draft-12", "draft-13", "draft-14", "draft-15", "draft-16", "draft-17", "draft-18",
        "draft-19", "draft-20", "draft-21", "draft-22", "draft-23", "draft-24", "draft-25", "draft-26", "draft-27", "draft-28", "draft-29", "draft-30", "draft-31", "draft-32", "draft-33",
        "draft-34",
    ];
    Some(match v {
        0x0000_0000 => "Version Negotiation",
        0x0000_0001 => "1",
        0x4547_4700..=0x4547_47ff => "Quant",
        0x5043_5130..=0x5043_5131 => "Picoquic internal",
        0x5052_4f58 => "Proxied QUIC (PROX)",
        0x5130_3433 => "Google Q043",
        0x5130_3434 => "Google Q044",
        0x5130_3436 => "Google Q046",
        0x5130_3530 => "Google Q050",
        0x5147_4f00..=0x5147_4fff => "QGO (QUIC GO)",
        0x5430_3530 => "Google T050",
        0x5430_3531 => "Google T051",
        0x91c1_7000..=0x91c1_70ff => "Quicly",
        0xabcd_0000..=0xabcd_000f => "MsQuic",
        0xf0f0_f0f0..=0xf0f0_f0ff => "ETH Zürich (Measurability experiments)",
        0xf0f0_f1f0..=0xf0f0_f1ff => "Telecom Italia (Measurability experiments)",
        0xf123_f0c0..=0xf123_f0cf => "MozQuic",
        0xface_b001 => "Facebook mvfst (draft-22)",
        0xface_b002 => "Facebook mvfst (draft-27)",
        0xface_b003..=0xface_b00d | 0xface_b00f => "Facebook mvfst",
        0xface_b00e => "Facebook mvfst (Experimental)",
        0xff00_0004..=0xff00_0022 => DRAFTS[(v - 0xff00_0004) as usize],
        0xff02_0000 => "v2-draft-00",
        0x709a_50c4 => "v2-draft-01",
        0x6b33_43cf => "2",
        _ => return None,
    })
}

/// A CONNECTION_CLOSE's transport error codes (tshark's `quic_transport_error_code_vals`).
pub fn transport_error_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0x00 => "NO_ERROR",
        0x01 => "INTERNAL_ERROR",
        0x02 => "CONNECTION_REFUSED",
        0x03 => "FLOW_CONTROL_ERROR",
        0x04 => "STREAM_ID_ERROR",
        0x05 => "STREAM_STATE_ERROR",
        0x06 => "FINAL_SIZE_ERROR",
        0x07 => "FRAME_ENCODING_ERROR",
        0x08 => "TRANSPORT_PARAMETER_ERROR",
        0x09 => "CONNECTION_ID_LIMIT_ERROR",
        0x0a => "PROTOCOL_VIOLATION",
        0x0b => "INVALID_TOKEN",
        0x0c => "APPLICATION_ERROR",
        0x0d => "CRYPTO_BUFFER_EXCEEDED",
        0x0e => "KEY_UPDATE_ERROR",
        0x0f => "AEAD_LIMIT_REACHED",
        0x10 => "NO_VIABLE_PATH",
        0x11 => "VERSION_NEGOTIATION_ERROR",
        0x100..=0x1ff => "CRYPTO_ERROR",
        _ => return None,
    })
}

/// `Retry Integrity Tag: 6eb23daf6cce48da9455c437f460cada [verified]`.
fn retry_tag_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Retry Integrity Tag: ");
    cx.value(out);
    if !cx.d.experts.iter().any(|e| e.field == Some(cx.idx as u32)) {
        out.push_str(" [verified]");
    }
}

/// `QUIC Short Header DCID=a20102b4d0036a0f`.
fn short_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("QUIC Short Header");
    if let Some(f) = cx.children().find(|f| std::ptr::eq(f.def, &QUIC_DCID)) {
        out.push_str(" DCID=");
        super::format::push_hex(out, cx.d.field_bytes(cx.frame, f));
    }
}

/// A frame's subtree title: its type's name (`ACK`, `CRYPTO`), `PADDING Length: n`,
/// `CONNECTION_CLOSE (Transport) Error code: CRYPTO_ERROR (No application protocol)`.
fn frame_label(cx: &LabelCx<'_>, out: &mut String) {
    let uint = |def: &FieldDef| cx.children().find(|f| std::ptr::eq(f.def, def)).and_then(|f| if let Value::UInt(n) = f.value { Some(n) } else { None });
    let Some(t) = uint(&QUIC_FRAME_TYPE) else {
        out.push_str("Frame");
        return;
    };
    out.push_str(frame_name(t).unwrap_or("Unknown"));
    match t {
        0x00 => {
            if let Some(n) = uint(&QUIC_PADDING_LENGTH) {
                let _ = write!(out, " Length: {n}");
            }
        }
        0x1c => {
            if let Some(code) = uint(&QUIC_CC_ERROR_CODE) {
                match transport_error_name(code) {
                    _ if code > 0x3fff => {
                        let _ = write!(out, " Error code: {code:#x}");
                    }
                    Some(name) => {
                        let _ = write!(out, " Error code: {name}");
                    }
                    None => {
                        let _ = write!(out, " Error code: Unknown ({code})");
                    }
                }
                if let Some(alert) = uint(&QUIC_CC_TLS_ALERT).and_then(super::tls_names::alert_desc_name) {
                    let _ = write!(out, " ({alert})");
                }
            }
        }
        0x1d => {
            if let Some(code) = uint(&QUIC_CC_ERROR_CODE_APP) {
                if code == 0 {
                    out.push_str(" Error code: 0");
                } else {
                    let _ = write!(out, " Error code: {code:#x}");
                }
            }
        }
        _ => {}
    }
}

/// `Frame Type: CRYPTO (0x0000000000000006)`.
fn frame_type_label(cx: &LabelCx<'_>, out: &mut String) {
    let t = cx.uint();
    let _ = write!(out, "Frame Type: {} (0x{t:016x})", frame_name(t).unwrap_or("Unknown"));
}

/// Frame types as tshark names them (its `quic_frame_type_vals`).
pub fn frame_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0x00 => "PADDING",
        0x01 => "PING",
        0x02 | 0x03 => "ACK",
        0x04 => "RESET_STREAM",
        0x05 => "STOP_SENDING",
        0x06 => "CRYPTO",
        0x07 => "NEW_TOKEN",
        0x08..=0x0f => "STREAM",
        0x10 => "MAX_DATA",
        0x11 => "MAX_STREAM_DATA",
        0x12 => "MAX_STREAMS (BIDI)",
        0x13 => "MAX_STREAMS (UNI)",
        0x14 => "DATA_BLOCKED",
        0x15 => "STREAM_DATA_BLOCKED",
        0x16 => "STREAMS_BLOCKED (BIDI)",
        0x17 => "STREAMS_BLOCKED (UNI)",
        0x18 => "NEW_CONNECTION_ID",
        0x19 => "RETIRE_CONNECTION_ID",
        0x1a => "PATH_CHALLENGE",
        0x1b => "PATH_RESPONSE",
        0x1c => "CONNECTION_CLOSE (Transport)",
        0x1d => "CONNECTION_CLOSE (Application)",
        0x1e => "HANDSHAKE_DONE",
        0x30 | 0x31 => "DATAGRAM",
        0x40 => "MP_NEW_CONNECTION_ID",
        0x41 => "MP_RETIRE_CONNECTION_ID",
        0x42 | 0x43 => "MP_ACK",
        0x44 => "ADD_ADDRESS",
        0x45 => "REMOVE_ADDRESS",
        0x46 => "UNIFLOWS",
        0xac => "IMMEDIATE_ACK",
        0xaf => "ACK_FREQUENCY",
        0x02f5 => "TIME_STAMP",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::{Dissection, Dissector, FrameMeta, quic_params};

    /// A client Initial (destination ID 0102030405060708) carrying `plain`, sealed as RFC
    /// 9001 says, in an Ethernet/IPv4/UDP frame to port 443.
    fn client_initial(plain: &[u8]) -> Vec<u8> {
        initial_of(1, plain)
    }

    /// [`client_initial`] in QUIC `version` (1 or 2).
    fn initial_of(version: u32, plain: &[u8]) -> Vec<u8> {
        let dcid = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let v2 = version == V2;
        let (initial, _) = hkdf::Hkdf::<sha2::Sha256>::extract(Some(if v2 { &SALT_V2 } else { &SALT_V1 }), &dcid);
        let secret = expand_label(&initial, "client in", 32).unwrap();
        let l = if v2 { "quicv2" } else { "quic" };
        let (key, iv, hp) = (expand_label(&secret, &format!("{l} key"), 16).unwrap(), expand_label(&secret, &format!("{l} iv"), 12).unwrap(), expand_label(&secret, &format!("{l} hp"), 16).unwrap());
        let mut plain = plain.to_vec();
        plain.resize(plain.len().max(20), 0);
        // (Version 2 numbers the Initial type 1.)
        let mut h = vec![if v2 { 0xd1 } else { 0xc1 }];
        h.extend_from_slice(&version.to_be_bytes());
        h.push(8);
        h.extend_from_slice(&dcid);
        h.extend_from_slice(&[0, 0]);
        h.extend_from_slice(&(0x4000 | (2 + plain.len() + 16) as u16).to_be_bytes());
        let pn_at = h.len();
        h.extend_from_slice(&[0, 0]);
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&iv);
        let aead = aes_gcm::Aes128Gcm::new_from_slice(&key).unwrap();
        let ct = aead.encrypt(aes_gcm::Nonce::from_slice(&nonce), Payload { msg: &plain, aad: &h }).unwrap();
        h.extend_from_slice(&ct);
        let mut mask = aes::Block::clone_from_slice(&h[pn_at + 4..pn_at + 20]);
        aes::Aes128::new_from_slice(&hp).unwrap().encrypt_block(&mut mask);
        h[0] ^= mask[0] & 0x0f;
        h[pn_at] ^= mask[1];
        h[pn_at + 1] ^= mask[2];
        let total = 28 + h.len();
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2]);
        f.extend_from_slice(&40000u16.to_be_bytes());
        f.extend_from_slice(&443u16.to_be_bytes());
        f.extend_from_slice(&((8 + h.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(&h);
        f
    }

    /// A CRYPTO frame at offset 0 holding a ClientHello whose only extension is
    /// quic_transport_parameters with `params`.
    fn crypto_client_hello(params: &[u8]) -> Vec<u8> {
        let mut body = vec![0x03, 0x03];
        body.extend_from_slice(&[0x11; 32]);
        body.extend_from_slice(&[0, 0, 2, 0x13, 0x01, 1, 0]);
        let ext_len = 4 + params.len();
        body.extend_from_slice(&(ext_len as u16).to_be_bytes());
        body.extend_from_slice(&[0, 57]);
        body.extend_from_slice(&(params.len() as u16).to_be_bytes());
        body.extend_from_slice(params);
        let mut hs = vec![1, 0, (body.len() >> 8) as u8, body.len() as u8];
        hs.extend_from_slice(&body);
        let mut f = vec![0x06, 0x00, 0x40 | (hs.len() >> 8) as u8, hs.len() as u8];
        f.extend_from_slice(&hs);
        f
    }

    fn dissect(frame: &[u8]) -> Dissection {
        let meta = FrameMeta { number: 1, orig_len: frame.len() as u32, link_type: Some(1), ..FrameMeta::default() };
        let mut d = Dissection::default();
        Dissector::new().dissect(&meta, frame, &mut d);
        d
    }

    #[test]
    fn transport_parameters_of_a_sealed_initial_are_read() {
        // max_idle_timeout 60000 (4-byte varint), initial_max_streams_bidi 128, a GREASE one.
        let d = dissect(&client_initial(&crypto_client_hello(&[0x01, 0x04, 0x80, 0x00, 0xea, 0x60, 0x08, 0x02, 0x40, 0x80, 0x1b + 31, 0x00])));
        let v = |def: &FieldDef| d.fields.iter().find(|f| std::ptr::eq(f.def, def)).map(|f| f.value.clone());
        assert_eq!(v(&quic_params::MAX_IDLE_TIMEOUT), Some(Value::UInt(60000)));
        assert_eq!(v(&quic_params::INITIAL_MAX_STREAMS_BIDI), Some(Value::UInt(128)));
        assert_eq!(d.fields.iter().filter(|f| std::ptr::eq(f.def, &quic_params::TYPE)).count(), 3);
        assert!(d.has_protocol("tls") && d.has_proto("quic"));
    }

    #[test]
    fn a_version_2_initial_is_decrypted_with_its_own_salt_and_labels() {
        let d = dissect(&initial_of(V2, &crypto_client_hello(&[0x01, 0x04, 0x80, 0x00, 0xea, 0x60])));
        let v = |def: &FieldDef| d.fields.iter().find(|f| std::ptr::eq(f.def, def)).map(|f| f.value.clone());
        assert_eq!(v(&QUIC_LONG_PACKET_TYPE_V2), Some(Value::UInt(1)));
        assert_eq!(v(&QUIC_VERSION), Some(Value::UInt(V2 as u64)));
        assert_eq!(v(&quic_params::MAX_IDLE_TIMEOUT), Some(Value::UInt(60000)));
        assert!(v(&QUIC_LONG_PACKET_TYPE).is_none());
    }

    #[test]
    fn a_parameter_cut_short_ends_the_parameters() {
        // (fuzz/quic_initial found it: a type whose varint runs past the extension.)
        for params in [&[0x40][..], &[0x01, 0x44][..], &[0x01, 0x04, 0x80][..], &[0x80, 0x00][..]] {
            let d = dissect(&client_initial(&crypto_client_hello(params)));
            assert!(d.has_protocol("tls"), "{params:?}");
        }
    }
}
