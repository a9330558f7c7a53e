//! TLS records over TCP (and the handshake messages QUIC carries in CRYPTO frames): content
//! type, record version and length; handshake type, length and version; the hellos' random,
//! session id, cipher suites, compression methods and extensions (server name, ALPN,
//! supported versions by name, the others as bytes); change cipher spec, alerts and
//! encrypted application data. Records that span segments arrive reassembled.

use super::model::*;
use super::tcp_pdu::{ConnState, Need, PduState};
use super::{Ctx, rd};

pub static TLS_RECORD: FieldDef = FieldDef::new("tls.record", "Record Layer", FieldType::None, Base::None);
pub static TLS_RECORD_CONTENT_TYPE: FieldDef = FieldDef::new("tls.record.content_type", "Content Type", FieldType::U8, Base::Dec).vals(content_type_name);
pub static TLS_RECORD_OPAQUE_TYPE: FieldDef = FieldDef::new("tls.record.opaque_type", "Opaque Type", FieldType::U8, Base::Dec).vals(content_type_name);
pub static TLS_RECORD_VERSION: FieldDef = FieldDef::new("tls.record.version", "Version", FieldType::U16, Base::Hex).vals(version_name);
pub static TLS_RECORD_LENGTH: FieldDef = FieldDef::new("tls.record.length", "Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE: FieldDef = FieldDef::new("tls.handshake", "Handshake Protocol", FieldType::None, Base::None);
pub static TLS_HANDSHAKE_TYPE: FieldDef = FieldDef::new("tls.handshake.type", "Handshake Type", FieldType::U8, Base::Dec).vals(handshake_name);
pub static TLS_HANDSHAKE_LENGTH: FieldDef = FieldDef::new("tls.handshake.length", "Length", FieldType::U24, Base::Dec);
pub static TLS_HANDSHAKE_VERSION: FieldDef = FieldDef::new("tls.handshake.version", "Version", FieldType::U16, Base::Hex).vals(version_name);
pub static TLS_HANDSHAKE_RANDOM: FieldDef = FieldDef::new("tls.handshake.random", "Random", FieldType::Bytes, Base::None);
pub static TLS_HANDSHAKE_SESSION_ID_LENGTH: FieldDef = FieldDef::new("tls.handshake.session_id_length", "Session ID Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE_SESSION_ID: FieldDef = FieldDef::new("tls.handshake.session_id", "Session ID", FieldType::Bytes, Base::None);
pub static TLS_HANDSHAKE_CIPHER_SUITES_LENGTH: FieldDef = FieldDef::new("tls.handshake.cipher_suites_length", "Cipher Suites Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE_CIPHERSUITES: FieldDef = FieldDef::new("tls.handshake.ciphersuites", "Cipher Suites", FieldType::None, Base::None);
pub static TLS_HANDSHAKE_CIPHERSUITE: FieldDef = FieldDef::new("tls.handshake.ciphersuite", "Cipher Suite", FieldType::U16, Base::Hex).vals(cipher_name);
pub static TLS_HANDSHAKE_COMP_METHODS_LENGTH: FieldDef = FieldDef::new("tls.handshake.comp_methods_length", "Compression Methods Length", FieldType::U8, Base::Dec);
pub static TLS_HANDSHAKE_COMP_METHODS: FieldDef = FieldDef::new("tls.handshake.comp_methods", "Compression Methods", FieldType::None, Base::None);
pub static TLS_HANDSHAKE_COMP_METHOD: FieldDef = FieldDef::new("tls.handshake.comp_method", "Compression Method", FieldType::U8, Base::Dec);
pub static TLS_HANDSHAKE_EXTENSIONS_LENGTH: FieldDef = FieldDef::new("tls.handshake.extensions_length", "Extensions Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE_EXTENSION_TYPE: FieldDef = FieldDef::new("tls.handshake.extension.type", "Type", FieldType::U16, Base::Dec).vals(extension_name);
pub static TLS_HANDSHAKE_EXTENSION_LEN: FieldDef = FieldDef::new("tls.handshake.extension.len", "Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE_EXTENSION_DATA: FieldDef = FieldDef::new("tls.handshake.extension.data", "Data", FieldType::Bytes, Base::None);
pub static TLS_SNI_LIST_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_server_name_list_len", "Server Name list length", FieldType::U16, Base::Dec);
pub static TLS_SNI_TYPE: FieldDef = FieldDef::new("tls.handshake.extensions_server_name_type", "Server Name Type", FieldType::U8, Base::Dec);
pub static TLS_SNI_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_server_name_len", "Server Name length", FieldType::U16, Base::Dec);
pub static TLS_SNI: FieldDef = FieldDef::new("tls.handshake.extensions_server_name", "Server Name", FieldType::Str, Base::None);
pub static TLS_ALPN_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_alpn_len", "ALPN Extension Length", FieldType::U16, Base::Dec);
pub static TLS_ALPN_STR_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_alpn_str_len", "ALPN string length", FieldType::U8, Base::Dec);
pub static TLS_ALPN_STR: FieldDef = FieldDef::new("tls.handshake.extensions_alpn_str", "ALPN Next Protocol", FieldType::Str, Base::None);
pub static TLS_SUPPORTED_VERSIONS_LEN: FieldDef = FieldDef::new("tls.handshake.extensions.supported_versions_len", "Supported Versions length", FieldType::U8, Base::Dec);
pub static TLS_SUPPORTED_VERSION: FieldDef = FieldDef::new("tls.handshake.extensions.supported_version", "Supported Version", FieldType::U16, Base::Hex).vals(version_name);
pub static TLS_CERTIFICATES_LENGTH: FieldDef = FieldDef::new("tls.handshake.certificates_length", "Certificates Length", FieldType::U24, Base::Dec);
pub static TLS_CERTIFICATE_LENGTH: FieldDef = FieldDef::new("tls.handshake.certificate_length", "Certificate Length", FieldType::U24, Base::Dec);
pub static TLS_CERTIFICATE: FieldDef = FieldDef::new("tls.handshake.certificate", "Certificate", FieldType::Bytes, Base::None);
pub static TLS_CHANGE_CIPHER_SPEC: FieldDef = FieldDef::new("tls.change_cipher_spec", "Change Cipher Spec Message", FieldType::None, Base::None);
pub static TLS_APP_DATA: FieldDef = FieldDef::new("tls.app_data", "Encrypted Application Data", FieldType::Bytes, Base::None);
pub static TLS_ALERT_MESSAGE: FieldDef = FieldDef::new("tls.alert_message", "Alert Message", FieldType::None, Base::None);
pub static TLS_ALERT_LEVEL: FieldDef = FieldDef::new("tls.alert_message.level", "Level", FieldType::U8, Base::Dec);
pub static TLS_ALERT_DESC: FieldDef = FieldDef::new("tls.alert_message.desc", "Description", FieldType::U8, Base::Dec);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &TLS_RECORD, &TLS_RECORD_CONTENT_TYPE, &TLS_RECORD_OPAQUE_TYPE, &TLS_RECORD_VERSION, &TLS_RECORD_LENGTH, &TLS_HANDSHAKE, &TLS_HANDSHAKE_TYPE, &TLS_HANDSHAKE_LENGTH, &TLS_HANDSHAKE_VERSION,
    &TLS_HANDSHAKE_RANDOM, &TLS_HANDSHAKE_SESSION_ID_LENGTH, &TLS_HANDSHAKE_SESSION_ID, &TLS_HANDSHAKE_CIPHER_SUITES_LENGTH, &TLS_HANDSHAKE_CIPHERSUITES,
    &TLS_HANDSHAKE_CIPHERSUITE, &TLS_HANDSHAKE_COMP_METHODS_LENGTH, &TLS_HANDSHAKE_COMP_METHODS, &TLS_HANDSHAKE_COMP_METHOD, &TLS_HANDSHAKE_EXTENSIONS_LENGTH,
    &TLS_HANDSHAKE_EXTENSION_TYPE, &TLS_HANDSHAKE_EXTENSION_LEN, &TLS_HANDSHAKE_EXTENSION_DATA, &TLS_SNI_LIST_LEN, &TLS_SNI_TYPE, &TLS_SNI_LEN, &TLS_SNI, &TLS_ALPN_LEN,
    &TLS_ALPN_STR_LEN, &TLS_ALPN_STR, &TLS_SUPPORTED_VERSIONS_LEN, &TLS_SUPPORTED_VERSION, &TLS_CERTIFICATES_LENGTH, &TLS_CERTIFICATE_LENGTH, &TLS_CERTIFICATE,
    &TLS_CHANGE_CIPHER_SPEC, &TLS_APP_DATA, &TLS_ALERT_MESSAGE, &TLS_ALERT_LEVEL, &TLS_ALERT_DESC,
];

/// TCP ports tshark hands to TLS by default.
pub const PORTS: &[u16] = &[443, 465, 563, 585, 614, 636, 853, 989, 990, 992, 993, 994, 995, 2484, 3269, 4433, 5061, 5223, 5349, 8443];

/// The largest record body TLS allows (2^14 plus expansion).
const MAX_RECORD: usize = 16384 + 2048;

/// Whether `buf` starts with a TLS record header.
pub(crate) fn looks_like(buf: &[u8]) -> bool {
    match (buf.first(), buf.get(1), buf.get(2)) {
        (Some(20..=24), Some(3), Some(0..=4)) => rd::u16(buf, 3).is_none_or(|l| (l as usize) <= MAX_RECORD),
        (Some(20..=24), Some(3), None) | (Some(20..=24), None, None) => true,
        _ => false,
    }
}

/// Whether `buf` starts with a record holding a ClientHello or ServerHello (tshark's
/// heuristic for TLS on ports it does not list).
pub(crate) fn looks_like_hello(buf: &[u8]) -> bool {
    buf.len() >= 6 && buf[0] == 22 && buf[1] == 3 && buf[2] <= 4 && matches!(buf[5], 1 | 2) && looks_like(buf)
}

/// How long the record at the start of `buf` is.
pub(crate) fn pdu_len(buf: &[u8]) -> Need {
    if !looks_like(buf) {
        return Need::NotMine;
    }
    match rd::u16(buf, 3) {
        Some(l) if buf.len() >= 5 + l as usize => Need::Done(5 + l as usize),
        _ => Need::More,
    }
}

/// The facts a record going direction `dir` starts with: encrypted after a ChangeCipherSpec
/// went that way, TLS 1.3 once the ServerHello chose it.
pub(crate) fn pdu_state(conn: &ConnState, dir: usize, _rec: &[u8]) -> PduState {
    PduState { encrypted: conn.ccs[dir], tls13: conn.tls13, ..PduState::default() }
}

/// Notes a whole record: a ServerHello choosing TLS 1.3, a ChangeCipherSpec.
pub(crate) fn after_pdu(conn: &mut ConnState, dir: usize, rec: &[u8]) -> Option<&'static str> {
    if server_hello_version(rec) == Some(0x0304) {
        conn.tls13 = true;
    }
    // Under TLS 1.3 a ChangeCipherSpec is only for middleboxes: the handshake records after
    // it (a second ClientHello after a HelloRetryRequest, the ServerHello) are still plain.
    if rec.first() == Some(&20) && !conn.tls13 {
        conn.ccs[dir] = true;
    }
    None
}

/// The version a record holding a ServerHello chooses (its supported_versions extension, or
/// the hello's own version).
fn server_hello_version(rec: &[u8]) -> Option<u16> {
    if rec.first() != Some(&22) || rec.get(5) != Some(&2) {
        return None;
    }
    let hello = 9;
    let legacy = rd::u16(rec, hello)?;
    let mut p = hello + 34;
    p += 1 + *rec.get(p)? as usize;
    p += 3;
    let el = rd::u16(rec, p)? as usize;
    p += 2;
    let end = (p + el).min(rec.len());
    while p + 4 <= end {
        let (t, l) = (rd::u16(rec, p)?, rd::u16(rec, p + 2)? as usize);
        if t == 43 {
            return rd::u16(rec, p + 4);
        }
        p += 4 + l;
    }
    Some(legacy)
}

/// Dissects the record in `a..b` of `data`.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], a: usize, b: usize, st: PduState, first: bool) {
    let li = cx.open("tls", "Transport Layer Security", Osi::Presentation, a, b - a);
    let outer = cx.in_error == 0;
    let (Some(ct), Some(ver), Some(len)) = (rd::u8(data, a), rd::u16(data, a + 1), rd::u16(data, a + 3)) else {
        cx.close(li);
        cx.short(data, a, 5);
        return;
    };
    if outer {
        cx.set_protocol(if st.tls13 { "TLSv1.3" } else { match ver {
            0x0300 => "SSLv3",
            0x0301 => "TLSv1",
            0x0302 => "TLSv1.1",
            0x0304 => "TLSv1.3",
            _ => "TLSv1.2",
        } });
    }
    let end = (a + 5 + len as usize).min(b);
    cx.add(&TLS_RECORD, a, end - a, Value::None);
    let mut info: Vec<&'static str> = Vec::new();
    cx.child(|cx| {
        // Under TLS 1.3 an encrypted record's outer type hides the real one: an opaque type.
        let opaque = if st.tls13 && ct == 23 { &TLS_RECORD_OPAQUE_TYPE } else { &TLS_RECORD_CONTENT_TYPE };
        cx.add(opaque, a, 1, Value::UInt(ct as u64));
        cx.add(&TLS_RECORD_VERSION, a + 1, 2, Value::UInt(ver as u64));
        cx.add(&TLS_RECORD_LENGTH, a + 3, 2, Value::UInt(len as u64));
        let body = a + 5;
        match ct {
            20 => {
                cx.add(&TLS_CHANGE_CIPHER_SPEC, body, end - body, Value::None);
                info.push("Change Cipher Spec");
            }
            21 => {
                if st.encrypted || len != 2 {
                    info.push("Encrypted Alert");
                } else {
                    cx.add(&TLS_ALERT_MESSAGE, body, 2, Value::None);
                    cx.child(|cx| {
                        cx.add(&TLS_ALERT_LEVEL, body, 1, Value::UInt(rd::u8(data, body).unwrap_or(0) as u64));
                        cx.add(&TLS_ALERT_DESC, body + 1, 1, Value::UInt(rd::u8(data, body + 1).unwrap_or(0) as u64));
                    });
                    info.push("Alert");
                }
            }
            22 => {
                let valid = rd::u8(data, body).is_some_and(|t| handshake_name(t as u64).is_some());
                if st.encrypted || !valid {
                    cx.add(&TLS_HANDSHAKE, body, end - body, Value::None);
                    info.push("Encrypted Handshake Message");
                } else {
                    handshakes(cx, data, body, end, &mut info);
                }
            }
            23 => {
                cx.add(&TLS_APP_DATA, body, end - body, Value::Bytes);
                info.push("Application Data");
            }
            _ => info.push("Heartbeat"),
        }
    });
    cx.close(li);
    if let Some(s) = cx.summary(li) {
        s.push_str(info.join(", ").as_str());
    }
    if outer && cx.text {
        if first {
            cx.out.info.clear();
        } else {
            cx.out.info.push_str(", ");
        }
        cx.out.info.push_str(&info.join(", "));
    }
}

/// Handshake messages outside records, in `off..end`: a `tls` layer of their own (QUIC's
/// CRYPTO frames carry the ClientHello and ServerHello this way).
pub(crate) fn dissect_handshakes(cx: &mut Ctx, data: &[u8], off: usize, end: usize) {
    let li = cx.open("tls", "TLSv1.3 Record Layer", Osi::Presentation, off, end - off);
    let mut info = Vec::new();
    handshakes(cx, data, off, end, &mut info);
    cx.close(li);
}

/// Handshake messages in `off..end`, each a subtree; their names go to `info`.
fn handshakes(cx: &mut Ctx, data: &[u8], mut off: usize, end: usize, info: &mut Vec<&'static str>) {
    while off + 4 <= end {
        let (Some(t), Some(hl)) = (rd::u8(data, off), rd::u24(data, off + 1)) else { break };
        let mend = (off + 4 + hl as usize).min(end);
        cx.add(&TLS_HANDSHAKE, off, mend - off, Value::None);
        cx.child(|cx| {
            cx.add(&TLS_HANDSHAKE_TYPE, off, 1, Value::UInt(t as u64));
            cx.add(&TLS_HANDSHAKE_LENGTH, off + 1, 3, Value::UInt(hl as u64));
            let b = off + 4;
            match t {
                1 | 2 => hello(cx, data, b, mend, t == 1),
                11 => certificates(cx, data, b, mend),
                _ => {}
            }
        });
        info.push(handshake_name(t as u64).unwrap_or("Unknown Handshake Message"));
        off = off + 4 + hl as usize;
    }
}

fn hello(cx: &mut Ctx, data: &[u8], b: usize, end: usize, client: bool) {
    let Some(v) = rd::u16(data, b).filter(|_| b + 2 <= end) else { return };
    cx.add(&TLS_HANDSHAKE_VERSION, b, 2, Value::UInt(v as u64));
    if b + 34 > end {
        return;
    }
    cx.add(&TLS_HANDSHAKE_RANDOM, b + 2, 32, Value::Bytes);
    let mut p = b + 34;
    let Some(sl) = rd::u8(data, p) else { return };
    cx.add(&TLS_HANDSHAKE_SESSION_ID_LENGTH, p, 1, Value::UInt(sl as u64));
    p += 1;
    if sl > 0 && p + sl as usize <= end {
        cx.add(&TLS_HANDSHAKE_SESSION_ID, p, sl as usize, Value::Bytes);
    }
    p += sl as usize;
    if client {
        let Some(cl) = rd::u16(data, p).filter(|_| p + 2 <= end) else { return };
        cx.add(&TLS_HANDSHAKE_CIPHER_SUITES_LENGTH, p, 2, Value::UInt(cl as u64));
        p += 2;
        let cend = (p + cl as usize).min(end);
        cx.add(&TLS_HANDSHAKE_CIPHERSUITES, p, cend - p, Value::None);
        cx.child(|cx| {
            let mut q = p;
            while q + 2 <= cend {
                cx.add(&TLS_HANDSHAKE_CIPHERSUITE, q, 2, Value::UInt(rd::u16(data, q).unwrap_or(0) as u64));
                q += 2;
            }
        });
        p += cl as usize;
        let Some(ml) = rd::u8(data, p).filter(|_| p < end) else { return };
        cx.add(&TLS_HANDSHAKE_COMP_METHODS_LENGTH, p, 1, Value::UInt(ml as u64));
        p += 1;
        let mend = (p + ml as usize).min(end);
        cx.add(&TLS_HANDSHAKE_COMP_METHODS, p, mend - p, Value::None);
        cx.child(|cx| {
            for q in p..mend {
                cx.add(&TLS_HANDSHAKE_COMP_METHOD, q, 1, Value::UInt(rd::u8(data, q).unwrap_or(0) as u64));
            }
        });
        p += ml as usize;
    } else {
        let Some(cs) = rd::u16(data, p).filter(|_| p + 2 <= end) else { return };
        cx.add(&TLS_HANDSHAKE_CIPHERSUITE, p, 2, Value::UInt(cs as u64));
        p += 2;
        let Some(cm) = rd::u8(data, p).filter(|_| p < end) else { return };
        cx.add(&TLS_HANDSHAKE_COMP_METHOD, p, 1, Value::UInt(cm as u64));
        p += 1;
    }
    let Some(el) = rd::u16(data, p).filter(|_| p + 2 <= end) else { return };
    cx.add(&TLS_HANDSHAKE_EXTENSIONS_LENGTH, p, 2, Value::UInt(el as u64));
    p += 2;
    let eend = (p + el as usize).min(end);
    while p + 4 <= eend {
        let (Some(et), Some(elen)) = (rd::u16(data, p), rd::u16(data, p + 2)) else { break };
        let d = p + 4;
        let dend = (d + elen as usize).min(eend);
        cx.add(&TLS_HANDSHAKE_EXTENSION_TYPE, p, 2, Value::UInt(et as u64));
        cx.add(&TLS_HANDSHAKE_EXTENSION_LEN, p + 2, 2, Value::UInt(elen as u64));
        extension(cx, data, et, d, dend, client);
        p = d + elen as usize;
    }
}

fn extension(cx: &mut Ctx, data: &[u8], et: u16, d: usize, dend: usize, client: bool) {
    match et {
        0 if dend >= d + 2 => {
            let Some(ll) = rd::u16(data, d) else { return };
            cx.add(&TLS_SNI_LIST_LEN, d, 2, Value::UInt(ll as u64));
            let mut q = d + 2;
            while q + 3 <= dend {
                let (Some(nt), Some(nl)) = (rd::u8(data, q), rd::u16(data, q + 1)) else { break };
                cx.add(&TLS_SNI_TYPE, q, 1, Value::UInt(nt as u64));
                cx.add(&TLS_SNI_LEN, q + 1, 2, Value::UInt(nl as u64));
                let ne = (q + 3 + nl as usize).min(dend);
                let name = String::from_utf8_lossy(data.get(q + 3..ne).unwrap_or(&[])).into_owned();
                cx.add(&TLS_SNI, q + 3, ne - (q + 3), Value::Str(name.into_boxed_str()));
                q = ne;
            }
        }
        16 if dend >= d + 2 => {
            let Some(ll) = rd::u16(data, d) else { return };
            cx.add(&TLS_ALPN_LEN, d, 2, Value::UInt(ll as u64));
            let mut q = d + 2;
            while q < dend {
                let Some(sl) = rd::u8(data, q) else { break };
                let se = (q + 1 + sl as usize).min(dend);
                cx.add(&TLS_ALPN_STR_LEN, q, 1, Value::UInt(sl as u64));
                let s = String::from_utf8_lossy(data.get(q + 1..se).unwrap_or(&[])).into_owned();
                cx.add(&TLS_ALPN_STR, q + 1, se - (q + 1), Value::Str(s.into_boxed_str()));
                q = se;
            }
        }
        43 if client && dend > d => {
            let Some(ll) = rd::u8(data, d) else { return };
            cx.add(&TLS_SUPPORTED_VERSIONS_LEN, d, 1, Value::UInt(ll as u64));
            let mut q = d + 1;
            while q + 2 <= dend {
                cx.add(&TLS_SUPPORTED_VERSION, q, 2, Value::UInt(rd::u16(data, q).unwrap_or(0) as u64));
                q += 2;
            }
        }
        43 if dend >= d + 2 => {
            cx.add(&TLS_SUPPORTED_VERSION, d, 2, Value::UInt(rd::u16(data, d).unwrap_or(0) as u64));
        }
        _ if dend > d => {
            cx.add(&TLS_HANDSHAKE_EXTENSION_DATA, d, dend - d, Value::Bytes);
        }
        _ => {}
    }
}

fn certificates(cx: &mut Ctx, data: &[u8], b: usize, end: usize) {
    let Some(total) = rd::u24(data, b).filter(|_| b + 3 <= end) else { return };
    cx.add(&TLS_CERTIFICATES_LENGTH, b, 3, Value::UInt(total as u64));
    let mut p = b + 3;
    while p + 3 <= end {
        let Some(cl) = rd::u24(data, p) else { break };
        cx.add(&TLS_CERTIFICATE_LENGTH, p, 3, Value::UInt(cl as u64));
        let ce = (p + 3 + cl as usize).min(end);
        cx.add(&TLS_CERTIFICATE, p + 3, ce - (p + 3), Value::Bytes);
        p = p + 3 + cl as usize;
    }
}

pub fn content_type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        20 => "Change Cipher Spec",
        21 => "Alert",
        22 => "Handshake",
        23 => "Application Data",
        24 => "Heartbeat",
        _ => return None,
    })
}

pub fn version_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        _ => return None,
    })
}

pub fn handshake_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "Hello Request",
        1 => "Client Hello",
        2 => "Server Hello",
        3 => "Hello Verify Request",
        4 => "New Session Ticket",
        5 => "End of Early Data",
        8 => "Encrypted Extensions",
        11 => "Certificate",
        12 => "Server Key Exchange",
        13 => "Certificate Request",
        14 => "Server Hello Done",
        15 => "Certificate Verify",
        16 => "Client Key Exchange",
        20 => "Finished",
        21 => "Certificate URL",
        22 => "Certificate Status",
        24 => "Key Update",
        _ => return None,
    })
}

pub fn extension_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "server_name",
        5 => "status_request",
        10 => "supported_groups",
        11 => "ec_point_formats",
        13 => "signature_algorithms",
        16 => "application_layer_protocol_negotiation",
        18 => "signed_certificate_timestamp",
        21 => "padding",
        23 => "extended_master_secret",
        35 => "session_ticket",
        41 => "pre_shared_key",
        43 => "supported_versions",
        45 => "psk_key_exchange_modes",
        51 => "key_share",
        57 => "quic_transport_parameters",
        65281 => "renegotiation_info",
        _ => return None,
    })
}

pub fn cipher_name(c: u64) -> Option<&'static str> {
    Some(match c {
        0x1301 => "TLS_AES_128_GCM_SHA256",
        0x1302 => "TLS_AES_256_GCM_SHA384",
        0x1303 => "TLS_CHACHA20_POLY1305_SHA256",
        0xc02b => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xc02c => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xc02f => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xc030 => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xcca8 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xcca9 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xc013 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xc014 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0x009c => "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009d => "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x002f => "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0035 => "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x000a => "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        0x00ff => "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        _ => return None,
    })
}
