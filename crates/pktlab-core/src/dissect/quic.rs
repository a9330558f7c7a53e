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
use aes::cipher::{BlockEncrypt, KeyInit};
use aes_gcm::aead::{Aead, Payload};

pub static QUIC_HEADER_FORM: FieldDef = FieldDef::new("quic.header_form", "Header Form", FieldType::U8, Base::Dec).mask(0x80).vals(form_name);
pub static QUIC_FIXED_BIT: FieldDef = FieldDef::new("quic.fixed_bit", "Fixed Bit", FieldType::Bool, Base::None).mask(0x40).tfs("True", "False");
pub static QUIC_LONG_PACKET_TYPE: FieldDef = FieldDef::new("quic.long.packet_type", "Packet Type", FieldType::U8, Base::Dec).mask(0x30).vals(type_name);
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
pub static QUIC_FRAME_TYPE: FieldDef = FieldDef::new("quic.frame_type", "Frame Type", FieldType::U64, Base::Hex).vals(frame_name);
pub static QUIC_PADDING_LENGTH: FieldDef = FieldDef::new("quic.padding_length", "Padding Length", FieldType::U32, Base::Dec);
pub static QUIC_CRYPTO_OFFSET: FieldDef = FieldDef::new("quic.crypto.offset", "Offset", FieldType::U64, Base::Dec);
pub static QUIC_CRYPTO_LENGTH: FieldDef = FieldDef::new("quic.crypto.length", "Length", FieldType::U64, Base::Dec);
pub static QUIC_CRYPTO_DATA: FieldDef = FieldDef::new("quic.crypto.crypto_data", "Crypto Data", FieldType::None, Base::None);
pub static QUIC_CONNECTION_NUMBER: FieldDef = FieldDef::new("quic.connection.number", "Connection Number", FieldType::U32, Base::Dec);
pub static QUIC_PACKET_LENGTH: FieldDef = FieldDef::new("quic.packet_length", "Packet Length", FieldType::U32, Base::Dec);
pub static QUIC_ACK_LARGEST: FieldDef = FieldDef::new("quic.ack.largest_acknowledged", "Largest Acknowledged", FieldType::U64, Base::Dec);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &QUIC_HEADER_FORM, &QUIC_FIXED_BIT, &QUIC_LONG_PACKET_TYPE, &QUIC_LONG_RESERVED, &QUIC_PACKET_NUMBER_LENGTH, &QUIC_SPIN_BIT, &QUIC_VERSION, &QUIC_DCIL, &QUIC_DCID, &QUIC_SCIL, &QUIC_SCID, &QUIC_TOKEN_LENGTH,
    &QUIC_TOKEN, &QUIC_LENGTH, &QUIC_PACKET_NUMBER, &QUIC_PAYLOAD, &QUIC_PROTECTED_PAYLOAD, &QUIC_SHORT, &QUIC_FRAME, &QUIC_FRAME_TYPE, &QUIC_PADDING_LENGTH,
    &QUIC_CRYPTO_OFFSET, &QUIC_CRYPTO_LENGTH, &QUIC_CRYPTO_DATA, &QUIC_ACK_LARGEST, &QUIC_CONNECTION_NUMBER, &QUIC_PACKET_LENGTH,
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
}

const MAX_CONNS: usize = 1 << 16;

/// A QUIC variable-length integer at `o`: (value, bytes).
fn varint(d: &[u8], o: usize) -> Option<(u64, usize)> {
    let b0 = *d.get(o)?;
    let n = 1usize << (b0 >> 6);
    let mut v = (b0 & 0x3f) as u64;
    for i in 1..n {
        v = (v << 8) | *d.get(o + i)? as u64;
    }
    Some((v, n))
}

fn known_version(v: u32) -> bool {
    v == 1 || v & 0xffff_ff00 == 0xff00_0000
}

/// Whether the datagram at `off` starts with a QUIC long header of a version tshark knows.
fn looks_long(data: &[u8], off: usize) -> bool {
    matches!(rd::u8(data, off), Some(b) if b & 0xc0 == 0xc0) && rd::u32(data, off + 1).is_some_and(known_version)
}

/// Dissects QUIC packets in `off..end` of a UDP datagram between `src:sport` and
/// `dst:dport`; false (adding nothing) if the datagram is not QUIC.
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
    let li = cx.open("quic", "QUIC IETF", Osi::Transport, off, end - off);
    if cx.in_error == 0 {
        cx.set_protocol("QUIC");
    }
    let mut info: Vec<String> = Vec::new();
    let mut p = off;
    let mut first = true;
    while p < end {
        let Some(b0) = rd::u8(data, p) else { break };
        if !first {
            // A coalesced packet: only long headers follow one another.
            if b0 & 0x80 == 0 || !looks_long(data, p) {
                break;
            }
        }
        first = false;
        // tshark's connection information (the number a new connection is about to get),
        // then `[Packet Length: n]` for each packet of the datagram, filled in once the
        // packet's end is known.
        let number = cx.quic.map.get(&key).map_or(cx.quic.next, |c| c.number);
        text(cx, p, 0, "QUIC Connection information");
        cx.child(|cx| cx.add_gen(&QUIC_CONNECTION_NUMBER, p, 0, Value::UInt(number)));
        let plen = cx.add_gen(&QUIC_PACKET_LENGTH, p, 0, Value::UInt(0));
        let next = if b0 & 0x80 != 0 { long_packet(cx, data, p, end, key, dir, &mut info) } else { short_packet(cx, data, p, end, key, dir, &mut info) };
        if let Some(f) = cx.out.fields.get_mut(plen as usize)
            && std::ptr::eq(f.def, &QUIC_PACKET_LENGTH)
        {
            let n = next.filter(|&n| n > p).unwrap_or(end).min(end) - p;
            f.value = Value::UInt(n as u64);
        }
        match next {
            Some(n) if n > p => p = n,
            _ => break,
        }
    }
    cx.close(li);
    if cx.in_error == 0 && cx.text {
        let text = info.join(", ");
        cx.out.info.clear();
        cx.out.info.push_str(&text);
    }
    true
}

#[allow(clippy::too_many_arguments)]
fn long_packet(cx: &mut Ctx, data: &[u8], p: usize, end: usize, key: Key, dir: usize, info: &mut Vec<String>) -> Option<usize> {
    let b0 = rd::u8(data, p)?;
    let ptype = (b0 >> 4) & 3;
    cx.add(&QUIC_HEADER_FORM, p, 1, Value::UInt(1));
    cx.add(&QUIC_FIXED_BIT, p, 1, Value::Bool(b0 & 0x40 != 0));
    cx.add(&QUIC_LONG_PACKET_TYPE, p, 1, Value::UInt(ptype as u64));
    let version = rd::u32(data, p + 1)?;
    // An Initial pktlab can decrypt, read ahead: its first byte without header protection
    // gives the reserved bits and the packet number's length, shown here as tshark does.
    let unprotected = if ptype == 0 && version == 1 { initial_ahead(cx, data, p, end, key, dir) } else { None };
    if let Some((_, _, _, b0)) = &unprotected {
        cx.add(&QUIC_LONG_RESERVED, p, 1, Value::UInt(((b0 >> 2) & 3) as u64));
        cx.add(&QUIC_PACKET_NUMBER_LENGTH, p, 1, Value::UInt((b0 & 3) as u64));
    }
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
        Conn { number, initial_dcid: dcid.clone(), client: dir, dcid_len: [None, None] }
    });
    conn.dcid_len[dir] = Some(dcil);
    conn.dcid_len[1 - dir] = Some(scil);
    if created {
        cx.quic.next += 1;
    }
    let mut label = type_name(ptype as u64).unwrap_or("Unknown").to_owned();
    if dcil > 0 {
        label.push_str(&format!(", DCID={}", hex(&dcid)));
    }
    if scil > 0 {
        label.push_str(&format!(", SCID={}", hex(&scid)));
    }
    if ptype == 3 {
        // Retry: a token and an integrity tag, nothing to decrypt.
        info.push(label);
        return Some(end);
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
    let pend = o.checked_add(usize::try_from(len).ok()?)?.min(end);
    // (Only a version 1 Initial was unprotected.)
    if let Some((pn, pnlen, plain, _)) = unprotected {
        cx.add(&QUIC_PACKET_NUMBER, o, pnlen, Value::UInt(pn));
        // The payload as sent (encrypted, with its tag); its frames come from the plaintext.
        cx.add(&QUIC_PAYLOAD, o + pnlen, pend.saturating_sub(o + pnlen), Value::Bytes);
        label.push_str(&format!(", PKN: {pn}"));
        let names = frames(cx, plain, &mut *info);
        for nm in names {
            label.push_str(", ");
            label.push_str(nm);
        }
        info.push(label);
        return Some(pend);
    }
    if pend > o {
        cx.add(&QUIC_PROTECTED_PAYLOAD, o, pend - o, Value::Bytes);
    }
    info.push(label);
    Some(pend)
}

#[allow(clippy::too_many_arguments)]
fn short_packet(cx: &mut Ctx, data: &[u8], p: usize, end: usize, key: Key, dir: usize, info: &mut Vec<String>) -> Option<usize> {
    let b0 = rd::u8(data, p)?;
    cx.add(&QUIC_SHORT, p, end - p, Value::None);
    let label = cx.child(|cx| {
        cx.add(&QUIC_HEADER_FORM, p, 1, Value::UInt(0));
        cx.add(&QUIC_FIXED_BIT, p, 1, Value::Bool(b0 & 0x40 != 0));
        cx.add(&QUIC_SPIN_BIT, p, 1, Value::Bool(b0 & 0x20 != 0));
        let dcil = cx.quic.map.get(&key).and_then(|c| c.dcid_len[dir]).unwrap_or(0);
        let mut label = "Protected Payload (KP0)".to_owned();
        if dcil > 0 && p + 1 + dcil <= end {
            cx.add(&QUIC_DCID, p + 1, dcil, Value::Bytes);
            label.push_str(&format!(", DCID={}", hex(data.get(p + 1..p + 1 + dcil).unwrap_or(&[]))));
        }
        let o = (p + 1 + dcil).min(end);
        if end > o {
            cx.add(&QUIC_PROTECTED_PAYLOAD, o, end - o, Value::Bytes);
        }
        label
    });
    info.push(label);
    Some(end)
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

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
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
fn initial_ahead(cx: &Ctx, data: &[u8], p: usize, end: usize, key: Key, dir: usize) -> Option<(u64, usize, Vec<u8>, u8)> {
    let dcil = rd::u8(data, p + 5)? as usize;
    let dcid = data.get(p + 6..p + 6 + dcil)?;
    let q = p + 6 + dcil;
    let scil = rd::u8(data, q)? as usize;
    let mut o = q + 1 + scil;
    let (tl, n) = varint(data, o)?;
    o = o.checked_add(n)?.checked_add(usize::try_from(tl).ok()?)?;
    let (len, n) = varint(data, o)?;
    o += n;
    let pend = o.checked_add(usize::try_from(len).ok()?)?.min(end);
    let (initial_dcid, client) = match cx.quic.map.get(&key) {
        Some(conn) => (conn.initial_dcid.as_slice(), conn.client),
        None => (dcid, dir),
    };
    unprotect(data, p, o, pend, initial_dcid, dir == client)
}

/// Removes the header protection and decrypts an Initial packet (header at `p`, packet
/// number at `pn_at`, packet end `pend`): (packet number, its length, plaintext, the first
/// byte unprotected).
fn unprotect(data: &[u8], p: usize, pn_at: usize, pend: usize, dcid: &[u8], client: bool) -> Option<(u64, usize, Vec<u8>, u8)> {
    let (initial, _) = hkdf::Hkdf::<sha2::Sha256>::extract(Some(&SALT_V1), dcid);
    let secret = expand_label(&initial, if client { "client in" } else { "server in" }, 32)?;
    let key = expand_label(&secret, "quic key", 16)?;
    let iv = expand_label(&secret, "quic iv", 12)?;
    let hp = expand_label(&secret, "quic hp", 16)?;
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

/// The frames of a decrypted payload, as fields in a new source; returns their names for
/// the Info column (each kind once, in order).
fn frames(cx: &mut Ctx, plain: Vec<u8>, _info: &mut Vec<String>) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    cx.in_reassembled(plain, |cx, b| {
        let mut crypto: Vec<(u64, usize, usize)> = Vec::new();
        let mut o = 0usize;
        while o < b.len() {
            let Some((t, n)) = varint(b, o) else { break };
            let start = o;
            let name = frame_name(t).unwrap_or("UNKNOWN");
            if !names.contains(&name) {
                names.push(name);
            }
            let fi = cx.add(&QUIC_FRAME, start, 0, Value::None);
            let next = cx.child(|cx| {
                cx.add(&QUIC_FRAME_TYPE, start, n, Value::UInt(t));
                frame(cx, b, t, start, start + n, &mut crypto)
            });
            // A frame cut short ends the payload's frames.
            let Some(next) = next else { break };
            o = next;
            if let Some(f) = cx.out.fields.get_mut(fi as usize)
                && std::ptr::eq(f.def, &QUIC_FRAME)
            {
                f.len = (o.min(b.len()) - start) as u32;
            }
        }
        // The TLS handshake in the CRYPTO frames, when they run without a gap from offset 0.
        crypto.sort();
        let mut buf = Vec::new();
        for (coff, at, len) in crypto {
            if coff as usize != buf.len() {
                break;
            }
            buf.extend_from_slice(&b[at..at + len]);
        }
        if !buf.is_empty() {
            cx.in_reassembled(buf, |cx, hb| dispatch::tls_handshakes(cx, hb, 0, hb.len()));
        }
    });
    names
}

/// The fields of a frame of type `t` at `start` whose type ends at `o`, CRYPTO frames' data
/// noted in `crypto` (offset in the stream, at, length); where the frame ends, or None if it
/// is cut short.
fn frame(cx: &mut Ctx, b: &[u8], t: u64, start: usize, mut o: usize, crypto: &mut Vec<(u64, usize, usize)>) -> Option<usize> {
    match t {
        0x00 => {
            let pad = b[start..].iter().take_while(|&&c| c == 0).count();
            cx.add(&QUIC_PADDING_LENGTH, start, pad, Value::UInt(pad as u64));
            o = start + pad;
        }
        0x01 => {}
        0x02 | 0x03 => {
            let (largest, n1) = varint(b, o)?;
            cx.add(&QUIC_ACK_LARGEST, o, n1, Value::UInt(largest));
            o += n1;
            let (_delay, n2) = varint(b, o)?;
            o += n2;
            let (count, n3) = varint(b, o)?;
            o += n3;
            let (_first, n4) = varint(b, o)?;
            o += n4;
            for _ in 0..count.min(1024) {
                let (Some((_, g)), Some((_, r))) = (varint(b, o), varint(b, o + varint(b, o).map_or(0, |v| v.1))) else { return None };
                o += g + r;
            }
            if t == 0x03 {
                for _ in 0..3 {
                    let Some((_, k)) = varint(b, o) else { break };
                    o += k;
                }
            }
        }
        0x06 => {
            let (coff, n1) = varint(b, o)?;
            cx.add(&QUIC_CRYPTO_OFFSET, o, n1, Value::UInt(coff));
            o += n1;
            let (clen, n2) = varint(b, o)?;
            cx.add(&QUIC_CRYPTO_LENGTH, o, n2, Value::UInt(clen));
            o += n2;
            let clen = usize::try_from(clen).unwrap_or(usize::MAX).min(b.len() - o);
            cx.add(&QUIC_CRYPTO_DATA, o, clen, Value::None);
            crypto.push((coff, o, clen));
            o += clen;
        }
        _ => {
            // A frame pktlab does not decode: the rest of the payload.
            o = b.len();
        }
    }
    Some(o)
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

/// QUIC versions as tshark names them (`Version: 1 (0x00000001)`).
pub fn version_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0x0000_0001 => "1",
        0x6b33_43cf => "2",
        0xff00_001d => "draft-29",
        0xff00_0020 => "draft-32",
        0xff00_0022 => "draft-34",
        _ => return None,
    })
}

/// `QUIC Short Header DCID=a20102b4d0036a0f`.
fn short_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("QUIC Short Header");
    if let Some(f) = cx.children().find(|f| std::ptr::eq(f.def, &QUIC_DCID)) {
        out.push_str(" DCID=");
        super::format::push_hex(out, cx.d.field_bytes(cx.frame, f));
    }
}

/// A frame's subtree title: its type's name (`ACK`, `CRYPTO`), `PADDING Length: n`.
fn frame_label(cx: &LabelCx<'_>, out: &mut String) {
    let mut kids = cx.children();
    let t = match kids.next().map(|f| &f.value) {
        Some(Value::UInt(t)) => *t,
        _ => {
            out.push_str("Frame");
            return;
        }
    };
    out.push_str(frame_name(t).unwrap_or("UNKNOWN"));
    if t == 0
        && let Some(f) = cx.children().find(|f| std::ptr::eq(f.def, &QUIC_PADDING_LENGTH))
    {
        out.push_str(" Length: ");
        if let Value::UInt(n) = f.value {
            out.push_str(&n.to_string());
        }
    }
}

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
        0x18 => "NEW_CONNECTION_ID",
        0x1c | 0x1d => "CONNECTION_CLOSE",
        0x1e => "HANDSHAKE_DONE",
        _ => return None,
    })
}
