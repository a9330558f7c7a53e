//! DNS (and mDNS, which tshark dissects with the same fields) over UDP or TCP port 53/5353:
//! header, flags, counts, questions and resource records with compressed names expanded.

use super::data::WS_TEXT;
use super::label::LabelCx;
use super::model::*;
use super::{Ctx, rd};
use std::fmt::Write;

pub static DNS_LENGTH: FieldDef = FieldDef::new("dns.length", "Length", FieldType::U16, Base::Dec);
pub static DNS_ID: FieldDef = FieldDef::new("dns.id", "Transaction ID", FieldType::U16, Base::Hex);
pub static DNS_FLAGS: FieldDef = FieldDef::new("dns.flags", "Flags", FieldType::U16, Base::Hex).custom(flags_label);
pub static DNS_FLAGS_RESPONSE: FieldDef = FieldDef::new("dns.flags.response", "Response", FieldType::Bool, Base::None).mask(0x8000).tfs("Message is a response", "Message is a query");
pub static DNS_FLAGS_OPCODE: FieldDef = FieldDef::new("dns.flags.opcode", "Opcode", FieldType::U16, Base::Dec).mask(0x7800).vals(opcode_name);
pub static DNS_FLAGS_AUTHORITATIVE: FieldDef = FieldDef::new("dns.flags.authoritative", "Authoritative", FieldType::Bool, Base::None).mask(0x400).tfs("Server is an authority for domain", "Server is not an authority for domain");
pub static DNS_FLAGS_TRUNCATED: FieldDef = FieldDef::new("dns.flags.truncated", "Truncated", FieldType::Bool, Base::None).mask(0x200).tfs("Message is truncated", "Message is not truncated");
pub static DNS_FLAGS_RECDESIRED: FieldDef = FieldDef::new("dns.flags.recdesired", "Recursion desired", FieldType::Bool, Base::None).mask(0x100).tfs("Do query recursively", "Don't do query recursively");
pub static DNS_FLAGS_RECAVAIL: FieldDef = FieldDef::new("dns.flags.recavail", "Recursion available", FieldType::Bool, Base::None).mask(0x80).tfs("Server can do recursive queries", "Server can't do recursive queries");
pub static DNS_FLAGS_Z: FieldDef = FieldDef::new("dns.flags.z", "Z", FieldType::Bool, Base::None).mask(0x40).custom(z_label);
pub static DNS_FLAGS_AUTHENTICATED: FieldDef = FieldDef::new("dns.flags.authenticated", "Answer authenticated", FieldType::Bool, Base::None).mask(0x20).custom(ad_label);
pub static DNS_FLAGS_CHECKDISABLE: FieldDef = FieldDef::new("dns.flags.checkdisable", "Non-authenticated data", FieldType::Bool, Base::None).mask(0x10).tfs("Acceptable", "Unacceptable");
pub static DNS_FLAGS_RCODE: FieldDef = FieldDef::new("dns.flags.rcode", "Reply code", FieldType::U16, Base::Dec).mask(0xf).vals(rcode_name);
pub static DNS_COUNT_QUERIES: FieldDef = FieldDef::new("dns.count.queries", "Questions", FieldType::U16, Base::Dec);
pub static DNS_COUNT_ANSWERS: FieldDef = FieldDef::new("dns.count.answers", "Answer RRs", FieldType::U16, Base::Dec);
pub static DNS_COUNT_AUTH_RR: FieldDef = FieldDef::new("dns.count.auth_rr", "Authority RRs", FieldType::U16, Base::Dec);
pub static DNS_COUNT_ADD_RR: FieldDef = FieldDef::new("dns.count.add_rr", "Additional RRs", FieldType::U16, Base::Dec);
pub static DNS_QRY_NAME: FieldDef = FieldDef::new("dns.qry.name", "Name", FieldType::Str, Base::None);
pub static DNS_QRY_NAME_LEN: FieldDef = FieldDef::new("dns.qry.name.len", "Name Length", FieldType::U16, Base::Dec);
pub static DNS_COUNT_LABELS: FieldDef = FieldDef::new("dns.count.labels", "Label Count", FieldType::U16, Base::Dec);
pub static DNS_QRY_TYPE: FieldDef = FieldDef::new("dns.qry.type", "Type", FieldType::U16, Base::Dec).vals(type_desc);
pub static DNS_QRY_CLASS: FieldDef = FieldDef::new("dns.qry.class", "Class", FieldType::U16, Base::Hex).vals(class_name).whole(class_label);
pub static DNS_QRY_QU: FieldDef = FieldDef::new("dns.qry.qu", "\"QU\" question", FieldType::Bool, Base::None).mask(0x8000).tfs("True", "False");
pub static DNS_RESP_NAME: FieldDef = FieldDef::new("dns.resp.name", "Name", FieldType::Str, Base::None);
pub static DNS_RESP_TYPE: FieldDef = FieldDef::new("dns.resp.type", "Type", FieldType::U16, Base::Dec).vals(type_desc);
pub static DNS_RESP_CLASS: FieldDef = FieldDef::new("dns.resp.class", "Class", FieldType::U16, Base::Hex).vals(class_name).whole(class_label);
pub static DNS_RESP_CACHE_FLUSH: FieldDef = FieldDef::new("dns.resp.cache_flush", "Cache flush", FieldType::Bool, Base::None).mask(0x8000).tfs("True", "False");
pub static DNS_RESP_TTL: FieldDef = FieldDef::new("dns.resp.ttl", "Time to live", FieldType::U32, Base::Dec).custom(ttl_label);
pub static DNS_RESP_LEN: FieldDef = FieldDef::new("dns.resp.len", "Data length", FieldType::U16, Base::Dec);
pub static DNS_A: FieldDef = FieldDef::new("dns.a", "Address", FieldType::Ipv4, Base::None);
pub static DNS_AAAA: FieldDef = FieldDef::new("dns.aaaa", "AAAA Address", FieldType::Ipv6, Base::None);
pub static DNS_CNAME: FieldDef = FieldDef::new("dns.cname", "CNAME", FieldType::Str, Base::None);
pub static DNS_PTR_DOMAIN_NAME: FieldDef = FieldDef::new("dns.ptr.domain_name", "Domain Name", FieldType::Str, Base::None);
pub static DNS_NS: FieldDef = FieldDef::new("dns.ns", "Name Server", FieldType::Str, Base::None);
pub static DNS_MX_PREFERENCE: FieldDef = FieldDef::new("dns.mx.preference", "Preference", FieldType::U16, Base::Dec);
pub static DNS_MX_MAIL_EXCHANGE: FieldDef = FieldDef::new("dns.mx.mail_exchange", "Mail Exchange", FieldType::Str, Base::None);
pub static DNS_TXT: FieldDef = FieldDef::new("dns.txt", "TXT", FieldType::Str, Base::None);
pub static DNS_TXT_LENGTH: FieldDef = FieldDef::new("dns.txt.length", "TXT Length", FieldType::U8, Base::Dec);
pub static DNS_DATA: FieldDef = FieldDef::new("dns.data", "Data", FieldType::Bytes, Base::None);

pub static DNS_SOA_MNAME: FieldDef = FieldDef::new("dns.soa.mname", "Primary name server", FieldType::Str, Base::None);
pub static DNS_SOA_RNAME: FieldDef = FieldDef::new("dns.soa.rname", "Responsible authority's mailbox", FieldType::Str, Base::None);
pub static DNS_SOA_SERIAL_NUMBER: FieldDef = FieldDef::new("dns.soa.serial_number", "Serial Number", FieldType::U32, Base::Dec);
pub static DNS_SOA_REFRESH_INTERVAL: FieldDef = FieldDef::new("dns.soa.refresh_interval", "Refresh Interval", FieldType::U32, Base::Dec).custom(interval_label);
pub static DNS_SOA_RETRY_INTERVAL: FieldDef = FieldDef::new("dns.soa.retry_interval", "Retry Interval", FieldType::U32, Base::Dec).custom(interval_label);
pub static DNS_SOA_EXPIRE_LIMIT: FieldDef = FieldDef::new("dns.soa.expire_limit", "Expire limit", FieldType::U32, Base::Dec).custom(interval_label);
pub static DNS_SOA_MINIMUM_TTL: FieldDef = FieldDef::new("dns.soa.minimum_ttl", "Minimum TTL", FieldType::U32, Base::Dec).custom(interval_label);
pub static DNS_SRV_PRIORITY: FieldDef = FieldDef::new("dns.srv.priority", "Priority", FieldType::U16, Base::Dec);
pub static DNS_SRV_WEIGHT: FieldDef = FieldDef::new("dns.srv.weight", "Weight", FieldType::U16, Base::Dec);
pub static DNS_SRV_PORT: FieldDef = FieldDef::new("dns.srv.port", "Port", FieldType::U16, Base::Dec);
pub static DNS_SRV_TARGET: FieldDef = FieldDef::new("dns.srv.target", "Target", FieldType::Str, Base::None);

pub static DNS_RR_UDP_PAYLOAD_SIZE: FieldDef = FieldDef::new("dns.rr.udp_payload_size", "UDP payload size", FieldType::U16, Base::Dec).whole(payload_size_label);
pub static DNS_RESP_EXT_RCODE: FieldDef = FieldDef::new("dns.resp.ext_rcode", "Higher bits in extended RCODE", FieldType::U8, Base::Hex);
pub static DNS_RESP_EDNS0_VERSION: FieldDef = FieldDef::new("dns.resp.edns0_version", "EDNS0 version", FieldType::U8, Base::Dec);
pub static DNS_RESP_Z: FieldDef = FieldDef::new("dns.resp.z", "Z", FieldType::U16, Base::Hex);
pub static DNS_RESP_Z_DO: FieldDef = FieldDef::new("dns.resp.z.do", "DO bit", FieldType::Bool, Base::None).mask(0x8000).tfs("Accepts DNSSEC security RRs", "Cannot handle DNSSEC security RRs");
pub static DNS_RESP_Z_RESERVED: FieldDef = FieldDef::new("dns.resp.z.reserved", "Reserved", FieldType::U16, Base::Hex).mask(0x7fff);
pub static DNS_OPT: FieldDef = FieldDef::new("dns.opt", "Option", FieldType::None, Base::None).whole(opt_label);
pub static DNS_OPT_CODE: FieldDef = FieldDef::new("dns.opt.code", "Option Code", FieldType::U16, Base::Dec).vals(opt_code_name);
pub static DNS_OPT_LEN: FieldDef = FieldDef::new("dns.opt.len", "Option Length", FieldType::U16, Base::Dec);
pub static DNS_OPT_DATA: FieldDef = FieldDef::new("dns.opt.data", "Option Data", FieldType::Bytes, Base::None);
pub static DNS_RESPONSE_IN: FieldDef = FieldDef::new("dns.response_in", "Response In", FieldType::FrameNum, Base::None);
pub static DNS_RESPONSE_TO: FieldDef = FieldDef::new("dns.response_to", "Request In", FieldType::FrameNum, Base::None);
pub static DNS_TIME: FieldDef = FieldDef::new("dns.time", "Time", FieldType::RelTime, Base::None);
pub static DNS_UNSOLICITED: FieldDef = FieldDef::new("dns.unsolicited", "Unsolicited", FieldType::Bool, Base::None);
pub static DNS_RETRANSMIT_REQUEST_IN: FieldDef = FieldDef::new("dns.retransmit_request_in", "Retransmitted request. Original request in", FieldType::FrameNum, Base::None);
pub static DNS_RETRANSMIT_RESPONSE_IN: FieldDef = FieldDef::new("dns.retransmit_response_in", "Retransmitted response. Original response in", FieldType::FrameNum, Base::None);
pub static DNS_RETRANSMISSION: FieldDef = FieldDef::new("dns.retransmission", "Retransmission", FieldType::Bool, Base::None);
pub static DNS_OPT_COOKIE_CLIENT: FieldDef = FieldDef::new("dns.opt.cookie.client", "Client Cookie", FieldType::Bytes, Base::None);
pub static DNS_OPT_COOKIE_SERVER: FieldDef = FieldDef::new("dns.opt.cookie.server", "Server Cookie", FieldType::Bytes, Base::None).whole(server_cookie_label);

/// Every field this module defines.
/// `Flags: 0x8500 Standard query response, No error`.
fn flags_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let _ = write!(out, "Flags: 0x{v:04x} {}", opcode_name((v >> 11) & 0xf).unwrap_or("Unknown operation"));
    if v & 0x8000 != 0 {
        let _ = write!(out, " response, {}", rcode_name(v & 0xf).unwrap_or("Unknown error"));
    }
}

/// `Z: reserved (0)`.
fn z_label(cx: &LabelCx<'_>, out: &mut String) {
    let _ = write!(out, "Z: reserved ({})", cx.uint());
}

/// A query's `AD bit: Set`, a response's `Answer authenticated: Answer/authority portion was
/// (not) authenticated by the server`.
fn ad_label(cx: &LabelCx<'_>, out: &mut String) {
    let response = cx.d.fields.get(cx.idx.saturating_sub(8)..cx.idx).unwrap_or(&[]).iter().any(|f| std::ptr::eq(f.def, &DNS_FLAGS_RESPONSE) && f.value == Value::Bool(true));
    let set = cx.uint() != 0;
    if response {
        out.push_str(if set { "Answer authenticated: Answer/authority portion was authenticated by the server" } else { "Answer authenticated: Answer/authority portion was not authenticated by the server" });
    } else {
        out.push_str(if set { "AD bit: Set" } else { "AD bit: Not set" });
    }
}

/// Whether the field is in an mDNS layer (whose classes carry the QU / cache-flush bit).
fn in_mdns(cx: &LabelCx<'_>) -> bool {
    cx.layer().is_some_and(|l| l.proto == "mdns")
}

/// The 15-bit pattern mDNS shows before a class or payload size (`.000 0000 0000 0001 = `).
fn mdns_pattern(cx: &LabelCx<'_>, out: &mut String) {
    let raw = cx.bytes().iter().take(2).fold(0u64, |a, b| (a << 8) | u64::from(*b));
    super::label::bit_pattern(0x7fff, raw, 16, out);
    out.push_str(" = ");
}

/// `Class: IN (0x0001)`; in mDNS, whose top bit is the QU or cache-flush flag, with the
/// 15 class bits' pattern first.
fn class_label(cx: &LabelCx<'_>, out: &mut String) {
    if in_mdns(cx) {
        mdns_pattern(cx, out);
    }
    out.push_str("Class: ");
    cx.value(out);
}

/// `UDP payload size: 1232`; in mDNS, as the 15 bits beside the cache-flush flag:
/// `.000 0101 1010 0000 = UDP payload size: 0x05a0`.
fn payload_size_label(cx: &LabelCx<'_>, out: &mut String) {
    if in_mdns(cx) {
        mdns_pattern(cx, out);
        let _ = write!(out, "UDP payload size: 0x{:04x}", cx.uint());
    } else {
        let _ = write!(out, "UDP payload size: {}", cx.uint());
    }
}

/// `Option: COOKIE`: an EDNS option titled with its code's name.
fn opt_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Option");
    if let Some(c) = cx.children().find(|f| std::ptr::eq(f.def, &DNS_OPT_CODE)) {
        let code = match c.value {
            Value::UInt(n) => n,
            _ => 0,
        };
        out.push_str(": ");
        out.push_str(opt_code_name(code).unwrap_or("Unknown"));
    }
}

/// `Server Cookie: <MISSING>` when the option holds the client cookie alone.
fn server_cookie_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Server Cookie: ");
    if cx.field.len == 0 {
        out.push_str("<MISSING>");
    } else {
        cx.value(out);
    }
}

/// EDNS option codes, as Wireshark names them.
pub fn opt_code_name(c: u64) -> Option<&'static str> {
    Some(match c {
        0 => "Reserved",
        1 => "LLQ - Long-lived query",
        2 => "UL - Update lease",
        3 => "NSID - Name Server Identifier",
        4 => "Owner (reserved)",
        5 => "DAU - DNSSEC Algorithm Understood (RFC6975)",
        6 => "DHU - DS Hash Understood (RFC6975)",
        7 => "N3U - NSEC3 Hash Understood (RFC6975)",
        8 => "CSUBNET - Client subnet",
        9 => "EDNS EXPIRE (RFC7314)",
        10 => "COOKIE",
        11 => "EDNS TCP Keepalive",
        12 => "PADDING",
        13 => "CHAIN",
        15 => "Extended DNS Error",
        20730 => "Experimental - CSUBNET - Client subnet",
        _ => return None,
    })
}

/// `Time to live: 300 (5 minutes)`.
fn ttl_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let _ = write!(out, "Time to live: {v}");
    secs_words(v, out);
}

/// ` (5 minutes)`, ` (0 seconds)`: a number of seconds in words after its value.
fn secs_words(v: u64, out: &mut String) {
    out.push_str(" (");
    if v == 0 {
        out.push_str("0 seconds");
    } else {
        super::label::duration_words(v, out);
    }
    out.push(')');
}

/// `Refresh Interval: 1800 (30 minutes)`: an SOA interval, in seconds and in words.
fn interval_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let _ = write!(out, "{}: {v}", cx.field.def.name);
    secs_words(v, out);
}

pub static FIELDS: &[&FieldDef] = &[&DNS_LENGTH, &DNS_ID, &DNS_FLAGS, &DNS_FLAGS_RESPONSE, &DNS_FLAGS_OPCODE, &DNS_FLAGS_AUTHORITATIVE, &DNS_FLAGS_TRUNCATED, &DNS_FLAGS_RECDESIRED, &DNS_FLAGS_RECAVAIL, &DNS_FLAGS_Z, &DNS_FLAGS_AUTHENTICATED, &DNS_FLAGS_CHECKDISABLE, &DNS_FLAGS_RCODE, &DNS_COUNT_QUERIES, &DNS_COUNT_ANSWERS, &DNS_COUNT_AUTH_RR, &DNS_COUNT_ADD_RR, &DNS_QRY_NAME, &DNS_QRY_NAME_LEN, &DNS_COUNT_LABELS, &DNS_QRY_TYPE, &DNS_QRY_CLASS, &DNS_QRY_QU, &DNS_RESP_NAME, &DNS_RESP_TYPE, &DNS_RESP_CLASS, &DNS_RESP_CACHE_FLUSH, &DNS_RESP_TTL, &DNS_RESP_LEN, &DNS_A, &DNS_AAAA, &DNS_CNAME, &DNS_PTR_DOMAIN_NAME, &DNS_NS, &DNS_MX_PREFERENCE, &DNS_MX_MAIL_EXCHANGE, &DNS_TXT, &DNS_TXT_LENGTH, &DNS_DATA, &DNS_SOA_MNAME, &DNS_SOA_RNAME, &DNS_SOA_SERIAL_NUMBER, &DNS_SOA_REFRESH_INTERVAL, &DNS_SOA_RETRY_INTERVAL, &DNS_SOA_EXPIRE_LIMIT, &DNS_SOA_MINIMUM_TTL, &DNS_SRV_PRIORITY, &DNS_SRV_WEIGHT, &DNS_SRV_PORT, &DNS_SRV_TARGET, &DNS_RR_UDP_PAYLOAD_SIZE, &DNS_RESP_EXT_RCODE, &DNS_RESP_EDNS0_VERSION, &DNS_RESP_Z, &DNS_RESP_Z_DO, &DNS_RESP_Z_RESERVED, &DNS_OPT, &DNS_OPT_CODE, &DNS_OPT_LEN, &DNS_OPT_DATA, &DNS_OPT_COOKIE_CLIENT, &DNS_OPT_COOKIE_SERVER, &DNS_RESPONSE_IN, &DNS_RESPONSE_TO, &DNS_TIME, &DNS_UNSOLICITED, &DNS_RETRANSMIT_REQUEST_IN, &DNS_RETRANSMIT_RESPONSE_IN, &DNS_RETRANSMISSION];

pub fn type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        13 => "HINFO",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        41 => "OPT",
        43 => "DS",
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        64 => "SVCB",
        65 => "HTTPS",
        255 => "ANY",
        _ => return None,
    })
}

/// Reads a (possibly compressed) name at `o` in `msg`; returns (text, bytes used at `o`,
/// label count). None if it runs off the message or loops.
fn name(msg: &[u8], mut o: usize) -> Option<(String, usize, u32)> {
    let mut s = String::new();
    let mut used = None;
    let mut labels = 0u32;
    let start = o;
    for _ in 0..128 {
        let l = *msg.get(o)? as usize;
        if l == 0 {
            if used.is_none() {
                used = Some(o + 1 - start);
            }
            if s.is_empty() {
                s.push_str("<Root>");
            }
            return Some((s, used.unwrap_or(1), labels));
        }
        if l & 0xc0 == 0xc0 {
            let p = ((l & 0x3f) << 8) | *msg.get(o + 1)? as usize;
            if used.is_none() {
                used = Some(o + 2 - start);
            }
            o = p;
            continue;
        }
        if l & 0xc0 != 0 {
            return None;
        }
        let label = msg.get(o + 1..o + 1 + l)?;
        if !s.is_empty() {
            s.push('.');
        }
        for &c in label {
            if c.is_ascii_graphic() && c != b'.' {
                s.push(c as char);
            } else if c == b'.' {
                s.push_str("\\.");
            } else {
                let _ = write!(s, "\\{c:03}");
            }
        }
        labels += 1;
        o += 1 + l;
    }
    None
}

/// Whether a UDP payload on a port no dissector claims looks like a DNS message, as
/// tshark's heuristic (`dns_udp`, on by default) judges it: more than a header, a standard
/// query's opcode, a query with one question and no answer or authority records or a
/// response with at most one question, 100 answers and 10 authority records, and at most 10
/// additional records.
pub(crate) fn looks_like_udp(msg: &[u8]) -> bool {
    let field = |at: usize| rd::u16(msg, at).unwrap_or(0);
    if msg.len() <= 12 {
        return false;
    }
    let (flags, quest, ans, auth, add) = (field(2), field(4), field(6), field(8), field(10));
    if flags & 0x7800 != 0 {
        return false;
    }
    let counts_fit = if flags & 0x8000 == 0 { quest == 1 && ans == 0 && auth == 0 } else { quest <= 1 && ans <= 100 && auth <= 10 };
    counts_fit && add <= 10
}

/// Dissects a DNS message in `off..end`. `tcp`: preceded by a 2-byte length. Returns false
/// (adding nothing) if the bytes cannot be a DNS header.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize, tcp: bool) -> bool {
    let end = end.min(data.len());
    let (mut o, len_field) = if tcp {
        let Some(l) = rd::u16(data, off) else { return false };
        (off + 2, Some(l))
    } else {
        (off, None)
    };
    if end < o + 12 {
        return false;
    }
    let msg = data.get(o..end).unwrap_or(&[]);
    let base = o;
    let mdns = is_mdns(cx);
    // tshark dissects mDNS as its own protocol ("mdns": `dns` does not match it, `mdns`
    // does) with the DNS fields.
    let li = if mdns {
        cx.open("mdns", "Multicast Domain Name System", Osi::Application, off, end - off)
    } else {
        cx.open("dns", "Domain Name System", Osi::Application, off, end - off)
    };
    if let Some(l) = len_field {
        cx.add(&DNS_LENGTH, off, 2, Value::UInt(l as u64));
    }
    let id = rd::u16(msg, 0).unwrap_or(0);
    let flags = rd::u16(msg, 2).unwrap_or(0);
    let counts = [rd::u16(msg, 4).unwrap_or(0), rd::u16(msg, 6).unwrap_or(0), rd::u16(msg, 8).unwrap_or(0), rd::u16(msg, 10).unwrap_or(0)];
    let response = flags & 0x8000 != 0;
    if let Some(s) = cx.summary(li) {
        s.push_str(if mdns { "Multicast Domain Name System" } else { "Domain Name System" });
        s.push_str(if response { " (response)" } else { " (query)" });
    }
    let id_at = cx.add(&DNS_ID, o, 2, Value::UInt(id as u64));
    cx.add(&DNS_FLAGS, o + 2, 2, Value::UInt(flags as u64));
    cx.child(|cx| {
        cx.add(&DNS_FLAGS_RESPONSE, o + 2, 2, Value::Bool(response));
        cx.add(&DNS_FLAGS_OPCODE, o + 2, 2, Value::UInt(((flags >> 11) & 0xf) as u64));
        if response {
            cx.add(&DNS_FLAGS_AUTHORITATIVE, o + 2, 2, Value::Bool(flags & 0x0400 != 0));
        }
        cx.add(&DNS_FLAGS_TRUNCATED, o + 2, 2, Value::Bool(flags & 0x0200 != 0));
        cx.add(&DNS_FLAGS_RECDESIRED, o + 2, 2, Value::Bool(flags & 0x0100 != 0));
        if response {
            cx.add(&DNS_FLAGS_RECAVAIL, o + 2, 2, Value::Bool(flags & 0x0080 != 0));
        }
        cx.add(&DNS_FLAGS_Z, o + 2, 2, Value::Bool(flags & 0x0040 != 0));
        if response || flags & 0x0020 != 0 {
            cx.add(&DNS_FLAGS_AUTHENTICATED, o + 2, 2, Value::Bool(flags & 0x0020 != 0));
        }
        cx.add(&DNS_FLAGS_CHECKDISABLE, o + 2, 2, Value::Bool(flags & 0x0010 != 0));
        if response {
            cx.add(&DNS_FLAGS_RCODE, o + 2, 2, Value::UInt((flags & 0xf) as u64));
        }
    });
    let cdefs = [&DNS_COUNT_QUERIES, &DNS_COUNT_ANSWERS, &DNS_COUNT_AUTH_RR, &DNS_COUNT_ADD_RR];
    for (i, d) in cdefs.into_iter().enumerate() {
        cx.add(d, o + 4 + 2 * i, 2, Value::UInt(counts[i] as u64));
    }
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol(if mdns { "MDNS" } else { "DNS" });
        cx.out.info.clear();
        let op = match (flags >> 11) & 0xf {
            0 => "Standard query",
            1 => "Inverse query",
            2 => "Server status request",
            4 => "Zone change notification",
            5 => "Dynamic update",
            _ => "Unknown operation",
        };
        let _ = write!(cx.out.info, "{op}{} 0x{id:04x}", if response { " response" } else { "" });
        if response {
            let rcode = match flags & 0xf {
                0 => "",
                1 => " Format error",
                2 => " Server failure",
                3 => " No such name",
                4 => " Not implemented",
                5 => " Refused",
                _ => " Unknown error",
            };
            cx.out.info.push_str(rcode);
        }
    }
    let mut p = 12usize;
    // Questions, under "Queries", each under its one-line summary.
    let labels = cx.wants(&WS_TEXT);
    let mut section = None;
    let mut zone_transfer = false;
    for qi in 0..counts[0] {
        let Some((n, used, labels_n)) = name(msg, p) else {
            cx.close(li);
            cx.malformed();
            return true;
        };
        let (Some(t), Some(c)) = (rd::u16(msg, p + used), rd::u16(msg, p + used + 2)) else {
            cx.close(li);
            cx.malformed();
            return true;
        };
        if outer {
            let _ = write!(cx.out.info, " {} {n}", type_name(t as u64).unwrap_or("Unknown"));
            if mdns {
                cx.out.info.push_str(if c & 0x8000 != 0 { ", \"QU\" question" } else { ", \"QM\" question" });
            }
        }
        zone_transfer |= t == 251 || t == 252;
        if labels && qi == 0 {
            section = Some((cx.add(&WS_TEXT, base + p, 0, Value::Str("Queries".into())), base + p));
        }
        let nlen = if n == "<Root>" { 0 } else { n.len() };
        // Each query under the Queries line (its one-line summary), its parts under that.
        cx.child(|cx| {
            if labels {
                let mut line = format!("{n}: type {}, class {}", type_name(t as u64).unwrap_or("Unknown"), class_name((c & if mdns { 0x7fff } else { 0xffff }) as u64).unwrap_or("Unknown"));
                if mdns {
                    line.push_str(if c & 0x8000 != 0 { ", \"QU\" question" } else { ", \"QM\" question" });
                }
                cx.add(&WS_TEXT, base + p, used + 4, Value::Str(line.into_boxed_str()));
            }
            cx.child(|cx| {
                cx.add(&DNS_QRY_NAME, base + p, used, Value::Str(n.into_boxed_str()));
                cx.add_gen(&DNS_QRY_NAME_LEN, base + p, used, Value::UInt(nlen as u64));
                cx.add_gen(&DNS_COUNT_LABELS, base + p, used, Value::UInt(labels_n as u64));
                cx.add(&DNS_QRY_TYPE, base + p + used, 2, Value::UInt(t as u64));
                if mdns {
                    cx.add(&DNS_QRY_CLASS, base + p + used + 2, 2, Value::UInt((c & 0x7fff) as u64));
                    cx.add(&DNS_QRY_QU, base + p + used + 2, 2, Value::Bool(c & 0x8000 != 0));
                } else {
                    cx.add(&DNS_QRY_CLASS, base + p + used + 2, 2, Value::UInt(c as u64));
                }
            });
        });
        p += used + 4;
    }
    end_section(cx, section, base + p);
    // Answers, authority and additional records.
    let rr_total = counts[1] as u32 + counts[2] as u32 + counts[3] as u32;
    let starts = [0u32, counts[1] as u32, counts[1] as u32 + counts[2] as u32];
    let titles = ["Answers", "Authoritative nameservers", "Additional records"];
    let mut section = None;
    for ri in 0..rr_total {
        if labels && let Some(k) = starts.iter().rposition(|s| *s == ri) {
            end_section(cx, section.take(), base + p);
            section = Some((cx.add(&WS_TEXT, base + p, 0, Value::Str(titles[k].into())), base + p));
        }
        let Some((n, used, _)) = name(msg, p) else {
            cx.close(li);
            cx.malformed();
            return true;
        };
        let (Some(t), Some(c), Some(ttl), Some(rdlen)) = (rd::u16(msg, p + used), rd::u16(msg, p + used + 2), rd::u32(msg, p + used + 4), rd::u16(msg, p + used + 8)) else {
            cx.close(li);
            cx.malformed();
            return true;
        };
        let rdlen = rdlen as usize;
        let rdo = p + used + 10;
        // Each record under its section's line (its one-line summary), its parts under that.
        let whole = cx.child(|cx| {
            if labels {
                let line = rr_line(&n, t, c, mdns, msg, rdo, rdlen);
                cx.add(&WS_TEXT, base + p, used + 10 + rdlen, Value::Str(line.into_boxed_str()));
            }
            cx.child(|cx| {
                let n_str = n;
                cx.add(&DNS_RESP_NAME, base + p, used, Value::Str(n_str.into_boxed_str()));
                cx.add(&DNS_RESP_TYPE, base + p + used, 2, Value::UInt(t as u64));
                if t == 41 {
                    // EDNS(0): the class is the UDP payload size, the TTL holds the extended RCODE,
                    // version and flags.
                    let q = base + p + used;
                    if mdns {
                        cx.add(&DNS_RR_UDP_PAYLOAD_SIZE, q + 2, 2, Value::UInt((c & 0x7fff) as u64));
                        cx.add(&DNS_RESP_CACHE_FLUSH, q + 2, 2, Value::Bool(c & 0x8000 != 0));
                    } else {
                        cx.add(&DNS_RR_UDP_PAYLOAD_SIZE, q + 2, 2, Value::UInt(c as u64));
                    }
                    cx.add(&DNS_RESP_EXT_RCODE, q + 4, 1, Value::UInt((ttl >> 24) as u64));
                    cx.add(&DNS_RESP_EDNS0_VERSION, q + 5, 1, Value::UInt(((ttl >> 16) & 0xff) as u64));
                    cx.add(&DNS_RESP_Z, q + 6, 2, Value::UInt((ttl & 0xffff) as u64));
                    cx.child(|cx| {
                        cx.add(&DNS_RESP_Z_DO, q + 6, 2, Value::Bool(ttl & 0x8000 != 0));
                        cx.add(&DNS_RESP_Z_RESERVED, q + 6, 2, Value::UInt((ttl & 0x7fff) as u64));
                    });
                } else {
                    if mdns {
                        cx.add(&DNS_RESP_CLASS, base + p + used + 2, 2, Value::UInt((c & 0x7fff) as u64));
                        cx.add(&DNS_RESP_CACHE_FLUSH, base + p + used + 2, 2, Value::Bool(c & 0x8000 != 0));
                    } else {
                        cx.add(&DNS_RESP_CLASS, base + p + used + 2, 2, Value::UInt(c as u64));
                    }
                    cx.add(&DNS_RESP_TTL, base + p + used + 4, 4, Value::UInt(ttl as u64));
                }
                cx.add(&DNS_RESP_LEN, base + p + used + 8, 2, Value::UInt(rdlen as u64));
                if msg.len() < rdo + rdlen {
                    return false;
                }
                if outer {
                    let _ = write!(cx.out.info, " {}", type_name(t as u64).unwrap_or("Unknown"));
                    if mdns && c & 0x8000 != 0 {
                        cx.out.info.push_str(", cache flush");
                    }
                }
                match (t, rdlen) {
                    (1, 4) => {
                        let a = rd::arr::<4>(msg, rdo).unwrap_or_default();
                        cx.add(&DNS_A, base + rdo, 4, Value::Ipv4(a));
                        if outer {
                            cx.out.info.push(' ');
                            super::push_ipv4(&mut cx.out.info, a);
                        }
                    }
                    (28, 16) => {
                        let a = rd::arr::<16>(msg, rdo).unwrap_or_default();
                        cx.add(&DNS_AAAA, base + rdo, 16, Value::Ipv6(a));
                        if outer {
                            cx.out.info.push(' ');
                            super::push_ipv6(&mut cx.out.info, a);
                        }
                    }
                    (5 | 12 | 2, _) => {
                        if let Some((target, _, _)) = name(msg, rdo) {
                            if outer {
                                let _ = write!(cx.out.info, " {target}");
                            }
                            let def = match t {
                                5 => &DNS_CNAME,
                                12 => &DNS_PTR_DOMAIN_NAME,
                                _ => &DNS_NS,
                            };
                            cx.add(def, base + rdo, rdlen, Value::Str(target.into_boxed_str()));
                        }
                    }
                    (15, _) if rdlen >= 3 => {
                        let pref = rd::u16(msg, rdo).unwrap_or(0);
                        cx.add(&DNS_MX_PREFERENCE, base + rdo, 2, Value::UInt(pref as u64));
                        if let Some((target, _, _)) = name(msg, rdo + 2) {
                            if outer {
                                let _ = write!(cx.out.info, " {pref} {target}");
                            }
                            cx.add(&DNS_MX_MAIL_EXCHANGE, base + rdo + 2, rdlen - 2, Value::Str(target.into_boxed_str()));
                        }
                    }
                    (6, _) => soa(cx, msg, base, rdo, rdlen, outer),
                    (16, _) => {
                        // Each string: its length, then its text.
                        let mut q = rdo;
                        while q < rdo + rdlen {
                            let Some(n) = rd::u8(msg, q) else { break };
                            cx.add(&DNS_TXT_LENGTH, base + q, 1, Value::UInt(n as u64));
                            let Some(text) = msg.get(q + 1..q + 1 + n as usize) else { break };
                            cx.add(&DNS_TXT, base + q + 1, n as usize, Value::Str(String::from_utf8_lossy(text).into()));
                            q += 1 + n as usize;
                        }
                    }
                    (41, _) => {
                        // Each option beside the record's other fields, its parts under it.
                        {
                            let mut q = rdo;
                            while q + 4 <= rdo + rdlen {
                                let code = rd::u16(msg, q).unwrap_or(0);
                                let olen = rd::u16(msg, q + 2).unwrap_or(0) as usize;
                                let oend = (q + 4 + olen).min(rdo + rdlen);
                                cx.add(&DNS_OPT, base + q, oend - q, Value::None);
                                cx.child(|cx| {
                                    cx.add(&DNS_OPT_CODE, base + q, 2, Value::UInt(code as u64));
                                    cx.add(&DNS_OPT_LEN, base + q + 2, 2, Value::UInt(olen as u64));
                                    if oend > q + 4 {
                                        cx.add(&DNS_OPT_DATA, base + q + 4, oend - q - 4, Value::Bytes);
                                    }
                                    // A cookie: the client's 8 bytes, then the server's (none in a
                                    // client's first query).
                                    if code == 10 && oend >= q + 12 {
                                        cx.add(&DNS_OPT_COOKIE_CLIENT, base + q + 4, 8, Value::Bytes);
                                        cx.add(&DNS_OPT_COOKIE_SERVER, base + q + 12, oend - q - 12, Value::Bytes);
                                    }
                                });
                                q = oend.max(q + 4);
                            }
                        }
                    }
                    (33, _) if rdlen >= 7 => {
                        let v = [rd::u16(msg, rdo), rd::u16(msg, rdo + 2), rd::u16(msg, rdo + 4)];
                        let defs = [&DNS_SRV_PRIORITY, &DNS_SRV_WEIGHT, &DNS_SRV_PORT];
                        for (i, d) in defs.into_iter().enumerate() {
                            cx.add(d, base + rdo + 2 * i, 2, Value::UInt(v[i].unwrap_or(0) as u64));
                        }
                        if let Some((target, _, _)) = name(msg, rdo + 6) {
                            if outer {
                                let _ = write!(cx.out.info, " {} {} {} {target}", v[0].unwrap_or(0), v[1].unwrap_or(0), v[2].unwrap_or(0));
                            }
                            cx.add(&DNS_SRV_TARGET, base + rdo + 6, rdlen - 6, Value::Str(target.into_boxed_str()));
                        }
                    }
                    _ => {
                        if rdlen > 0 {
                            cx.add(&DNS_DATA, base + rdo, rdlen, Value::Bytes);
                        }
                    }
                }
                true
            })
        });
        if !whole {
            cx.close(li);
            cx.malformed();
            return true;
        }
        p = rdo + rdlen;
    }
    end_section(cx, section, base + p);
    let _ = &mut o;
    track(cx, id, flags, id_at, zone_transfer);
    cx.close(li);
    true
}

/// The transaction lines at the end of the tree: a query's `Response In` or retransmission,
/// a response's `Request In` and `Time`, its retransmission, or `Unsolicited`.
fn track(cx: &mut Ctx, id: u16, flags: u16, id_at: u32, zone_transfer: bool) {
    if cx.in_error > 0 {
        return;
    }
    let Some((src, dst)) = cx.net else { return };
    let Some(t) = cx.out.transports.last() else { return };
    let (sp, dp, tcp) = (t.sport.unwrap_or(0), t.dport.unwrap_or(0), !t.udp);
    let conv = if (src, sp) <= (dst, dp) { (src, sp, dst, dp, tcp) } else { (dst, dp, src, sp, tcp) };
    let response = flags & 0x8000 != 0;
    let frame = cx.frame_number;
    // The transaction lines depend on the frames before: the loops that dissect on several
    // threads dissect this frame again in order.
    cx.out.stateful = true;
    let tr = cx.dns.track(conv, id, response, frame, cx.ts);
    if !response && zone_transfer && !tr.retransmission {
        cx.dns.set_multiple(conv, id, frame);
    }
    if !response {
        if tr.retransmission && tr.req_frame != 0 {
            cx.expert(Severity::Warn, "dns.retransmit_request", format!("DNS query retransmission. Original request in frame {}", tr.req_frame), Some(id_at));
            cx.add_gen(&DNS_RETRANSMIT_REQUEST_IN, 0, 0, Value::UInt(tr.req_frame));
            cx.add_gen(&DNS_RETRANSMISSION, 0, 0, Value::Bool(true));
        } else if tr.rep_frame != 0 {
            cx.add_gen(&DNS_RESPONSE_IN, 0, 0, Value::UInt(tr.rep_frame));
        }
    } else if tr.req_frame != 0 {
        if tr.retransmission && tr.rep_frame != 0 {
            cx.expert(Severity::Warn, "dns.retransmit_response", format!("DNS response retransmission. Original response in frame {}", tr.rep_frame), Some(id_at));
            cx.add_gen(&DNS_RETRANSMIT_RESPONSE_IN, 0, 0, Value::UInt(tr.rep_frame));
            cx.add_gen(&DNS_RETRANSMISSION, 0, 0, Value::Bool(true));
        } else {
            cx.add_gen(&DNS_RESPONSE_TO, 0, 0, Value::UInt(tr.req_frame));
            let ns = match (cx.ts, tr.req_time) {
                (Some(a), Some(b)) => a.as_nanos() - b.as_nanos(),
                _ => 0,
            };
            cx.add_gen(&DNS_TIME, 0, 0, Value::Duration(ns.clamp(i64::MIN as i128, i64::MAX as i128) as i64));
        }
    } else if !tr.retransmission {
        cx.add_gen(&DNS_UNSOLICITED, 0, 0, Value::Bool(true));
    }
}

/// Sets the length of a section's title item (added with length 0 at `start`) to end at `end`.
fn end_section(cx: &mut Ctx, section: Option<(u32, usize)>, end: usize) {
    if let Some((i, start)) = section
        && let Some(f) = cx.out.fields.get_mut(i as usize)
        && std::ptr::eq(f.def, &WS_TEXT)
    {
        f.len = end.saturating_sub(start) as u32;
    }
}

/// A record's one-line summary, as Wireshark titles it: `name: type A, class IN, addr 1.2.3.4`.
fn rr_line(n: &str, t: u16, c: u16, mdns: bool, msg: &[u8], rdo: usize, rdlen: usize) -> String {
    let tn = type_name(t as u64).unwrap_or("Unknown");
    // mDNS marks a record that replaces the cached ones (the class's top bit).
    let flush = if mdns && c & 0x8000 != 0 { ", cache flush" } else { "" };
    if t == 41 {
        return format!("{n}: type {tn}{flush}");
    }
    let class = class_name((c & if mdns { 0x7fff } else { 0xffff }) as u64).map_or_else(|| format!("0x{c:04x}"), str::to_owned);
    let mut s = format!("{n}: type {tn}, class {class}{flush}");
    match t {
        1 if rdlen == 4 => {
            s.push_str(", addr ");
            super::push_ipv4(&mut s, rd::arr::<4>(msg, rdo).unwrap_or_default());
        }
        28 if rdlen == 16 => {
            s.push_str(", addr ");
            super::push_ipv6(&mut s, rd::arr::<16>(msg, rdo).unwrap_or_default());
        }
        2 | 5 | 12 => {
            if let Some((target, _, _)) = name(msg, rdo) {
                let key = match t {
                    2 => "ns ",
                    5 => "cname ",
                    _ => "",
                };
                let _ = write!(s, ", {key}{target}");
            }
        }
        15 if rdlen >= 3 => {
            if let Some((target, _, _)) = name(msg, rdo + 2) {
                let _ = write!(s, ", preference {}, mx {target}", rd::u16(msg, rdo).unwrap_or(0));
            }
        }
        6 => {
            if let Some((mname, _, _)) = name(msg, rdo) {
                let _ = write!(s, ", mname {mname}");
            }
        }
        _ => {}
    }
    s
}

/// SOA record data: two names and five numbers.
fn soa(cx: &mut Ctx, msg: &[u8], base: usize, rdo: usize, rdlen: usize, outer: bool) {
    let Some((mname, mused, _)) = name(msg, rdo) else { return };
    if outer {
        let _ = write!(cx.out.info, " {mname}");
    }
    cx.add(&DNS_SOA_MNAME, base + rdo, mused, Value::Str(mname.into_boxed_str()));
    let Some((rname, rused, _)) = name(msg, rdo + mused) else { return };
    cx.add(&DNS_SOA_RNAME, base + rdo + mused, rused, Value::Str(rname.into_boxed_str()));
    let mut p = rdo + mused + rused;
    let defs = [&DNS_SOA_SERIAL_NUMBER, &DNS_SOA_REFRESH_INTERVAL, &DNS_SOA_RETRY_INTERVAL, &DNS_SOA_EXPIRE_LIMIT, &DNS_SOA_MINIMUM_TTL];
    for d in defs {
        if p + 4 > rdo + rdlen {
            return;
        }
        let Some(v) = rd::u32(msg, p) else { return };
        cx.add(d, base + p, 4, Value::UInt(v as u64));
        p += 4;
    }
}

/// Whether the transport layer just before is on the mDNS port.
fn is_mdns(cx: &Ctx) -> bool {
    cx.out.transports.last().is_some_and(|t| t.udp && (t.sport == Some(5353) || t.dport == Some(5353)))
}

/// Record types with tshark's descriptions (`Type: A (Host Address) (1)`).
pub fn type_desc(t: u64) -> Option<&'static str> {
    Some(match t {
        1 => "A (Host Address)",
        2 => "NS (authoritative Name Server)",
        5 => "CNAME (Canonical NAME for an alias)",
        6 => "SOA (Start Of a zone of Authority)",
        12 => "PTR (domain name PoinTeR)",
        15 => "MX (Mail eXchange)",
        16 => "TXT (Text strings)",
        28 => "AAAA (IPv6 Address)",
        33 => "SRV (Server Selection)",
        41 => "OPT",
        65 => "HTTPS (HTTPS Specific Service Endpoints)",
        255 => "* (A request for all records the server/cache has available)",
        _ => return type_name(t),
    })
}

pub fn class_name(c: u64) -> Option<&'static str> {
    Some(match c {
        1 => "IN",
        3 => "CH",
        4 => "HS",
        255 => "ANY",
        _ => return None,
    })
}

pub fn opcode_name(o: u64) -> Option<&'static str> {
    Some(match o {
        0 => "Standard query",
        1 => "Inverse query",
        2 => "Server status request",
        4 => "Zone change notification",
        5 => "Dynamic update",
        _ => return None,
    })
}

pub fn rcode_name(r: u64) -> Option<&'static str> {
    Some(match r {
        0 => "No error",
        1 => "Format error",
        2 => "Server failure",
        3 => "No such name",
        4 => "Not implemented",
        5 => "Refused",
        _ => return None,
    })
}

/// A conversation's two ends (address, port), lower first, and whether it is TCP.
type ConvKey = ([u8; 16], u16, [u8; 16], u16, bool);

/// One query and its answer, as Wireshark's `dns_transaction_t`.
#[derive(Clone, Copy)]
struct Transaction {
    req_frame: u64,
    rep_frame: u64,
    req_time: Option<Timestamp>,
    /// A zone transfer (AXFR/IXFR) is answered by several messages.
    multiple_responds: bool,
}

/// What the table says about one message.
#[derive(Default)]
struct Tracked {
    req_frame: u64,
    rep_frame: u64,
    req_time: Option<Timestamp>,
    retransmission: bool,
}

/// DNS transactions by conversation and ID, for `Request In`, `Time` and retransmissions,
/// kept the way tshark keeps them: a query opens a transaction unless the conversation's
/// last one with its ID is still unanswered and under 5 s old (then it is a retransmission);
/// a response answers the last transaction with its ID, or is a retransmission of the
/// answer when it was already answered. A frame dissected again gets the same verdict.
#[derive(Default)]
pub(crate) struct Transactions {
    map: foldhash::HashMap<(ConvKey, u16), Vec<Transaction>>,
    /// The highest frame number seen, and the messages already tracked in it.
    last_frame: u64,
    in_last: Vec<(ConvKey, u16, bool)>,
}

/// tshark's `retransmission_timer`: a repeated query later than this opens a new transaction.
const RETRANSMISSION_SECS: i128 = 5;

impl Transactions {
    fn track(&mut self, conv: ConvKey, id: u16, response: bool, frame: u64, ts: Option<Timestamp>) -> Tracked {
        let visited = frame < self.last_frame || (frame == self.last_frame && self.in_last.contains(&(conv, id, response)));
        if !visited {
            if frame != self.last_frame {
                self.last_frame = frame;
                self.in_last.clear();
            }
            self.in_last.push((conv, id, response));
        }
        if self.map.len() >= 65536 && !self.map.contains_key(&(conv, id)) {
            self.map.clear();
        }
        let list = self.map.entry((conv, id)).or_default();
        // The last transaction opened at or before this frame.
        let at = list.iter().rposition(|t| t.req_frame <= frame);
        let mut out = Tracked::default();
        if !visited {
            if !response {
                let retrans = at.map(|i| list[i]).filter(|t| t.rep_frame == 0).filter(|t| match (ts, t.req_time) {
                    (Some(a), Some(b)) => (a.as_nanos() - b.as_nanos()) < RETRANSMISSION_SECS * 1_000_000_000,
                    _ => true,
                });
                match retrans {
                    Some(t) => {
                        out = Tracked { req_frame: t.req_frame, rep_frame: t.rep_frame, req_time: t.req_time, retransmission: true };
                    }
                    None => {
                        list.push(Transaction { req_frame: frame, rep_frame: 0, req_time: ts, multiple_responds: false });
                        out = Tracked { req_frame: frame, rep_frame: 0, req_time: ts, retransmission: false };
                    }
                }
            } else if let Some(i) = at {
                let t = &mut list[i];
                let retransmission = if t.rep_frame == 0 {
                    t.rep_frame = frame;
                    false
                } else {
                    !t.multiple_responds
                };
                out = Tracked { req_frame: t.req_frame, rep_frame: t.rep_frame, req_time: t.req_time, retransmission };
            }
        } else if let Some(i) = at {
            let t = list[i];
            if !response && t.req_frame != frame {
                out = Tracked { req_frame: t.req_frame, rep_frame: 0, req_time: ts, retransmission: true };
            } else {
                let retransmission = response && t.rep_frame != frame && !t.multiple_responds;
                out = Tracked { req_frame: t.req_frame, rep_frame: t.rep_frame, req_time: t.req_time, retransmission };
            }
        }
        out
    }

    /// Marks the conversation's transaction opened by `frame` as a zone transfer.
    fn set_multiple(&mut self, conv: ConvKey, id: u16, frame: u64) {
        if let Some(t) = self.map.get_mut(&(conv, id)).and_then(|l| l.iter_mut().rev().find(|t| t.req_frame <= frame)) {
            t.multiple_responds = true;
        }
    }
}
