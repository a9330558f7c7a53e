//! IPv4: every header field (flag bits, fragment offset, options), the header checksum, the
//! hidden two-sided `ip.addr`/`ip.host`, fragment reassembly, then the payload protocol.

use super::ip::{self, IP_VERSION, Pseudo, ecn_name, proto, proto_name};
use super::model::*;
use super::{checksum, dispatch};
use super::reassembly::Key;
use super::{Addr, Ctx, Part, rd};

pub static IP_HDR_LEN: FieldDef = FieldDef::new("ip.hdr_len", "Header Length", FieldType::U8, Base::Dec).mask(0x0f).custom(ip::hdr_len_label).pure().block();
pub static IP_DSFIELD: FieldDef = FieldDef::new("ip.dsfield", "Differentiated Services Field", FieldType::U8, Base::Hex).custom(ip::ds_label).pure().block();
pub static IP_DSFIELD_DSCP: FieldDef = FieldDef::new("ip.dsfield.dscp", "Differentiated Services Codepoint", FieldType::U8, Base::Dec).mask(0xfc).vals(ip::dscp_name);
pub static IP_DSFIELD_ECN: FieldDef = FieldDef::new("ip.dsfield.ecn", "Explicit Congestion Notification", FieldType::U8, Base::Dec).mask(0x3).vals(ecn_name);
pub static IP_LEN: FieldDef = FieldDef::new("ip.len", "Total Length", FieldType::U16, Base::Dec);
pub static IP_ID: FieldDef = FieldDef::new("ip.id", "Identification", FieldType::U16, Base::HexDec).volatile();
pub static IP_FLAGS: FieldDef = FieldDef::new("ip.flags", "Flags", FieldType::U8, Base::Hex).mask(0xe0).custom(flags_label).pure().block();

/// `Flags: 0x2, Don't fragment`: the value, then the names of the flags set.
fn flags_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let _ = std::fmt::Write::write_fmt(out, format_args!("Flags: 0x{v:x}"));
    for (bit, name) in [(4, "Reserved bit"), (2, "Don't fragment"), (1, "More fragments")] {
        if v & bit != 0 {
            out.push_str(", ");
            out.push_str(name);
        }
    }
}
pub static IP_FLAGS_RB: FieldDef = FieldDef::new("ip.flags.rb", "Reserved bit", FieldType::Bool, Base::None).mask(0x80);
pub static IP_FLAGS_DF: FieldDef = FieldDef::new("ip.flags.df", "Don't fragment", FieldType::Bool, Base::None).mask(0x40);
pub static IP_FLAGS_MF: FieldDef = FieldDef::new("ip.flags.mf", "More fragments", FieldType::Bool, Base::None).mask(0x20);
pub static IP_FRAG_OFFSET: FieldDef = FieldDef::new("ip.frag_offset", "Fragment Offset", FieldType::U16, Base::Dec).mask(0x1fff).block();
pub static IP_TTL: FieldDef = FieldDef::new("ip.ttl", "Time to Live", FieldType::U8, Base::Dec).block();
pub static IP_PROTO: FieldDef = FieldDef::new("ip.proto", "Protocol", FieldType::U8, Base::Dec).vals(proto_name).block();
pub static IP_CHECKSUM: FieldDef = FieldDef::new("ip.checksum", "Header Checksum", FieldType::U16, Base::Hex).custom(checksum_label);

/// `Header Checksum: 0x04fb [correct]`, `… incorrect, should be 0xacbd(may be caused by "IP
/// checksum offload"?)`, or `[validation disabled]`.
fn checksum_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::label::checksum(cx, out, &IP_CHECKSUM_STATUS, &IP_CHECKSUM_CALCULATED, "(may be caused by \"IP checksum offload\"?)", " [validation disabled]");
}
pub static IP_CHECKSUM_STATUS: FieldDef = FieldDef::new("ip.checksum.status", "Header checksum status", FieldType::U8, Base::Dec).custom(super::label::checksum_status).pure();
pub static IP_CHECKSUM_CALCULATED: FieldDef = FieldDef::new("ip.checksum_calculated", "Calculated Checksum", FieldType::U16, Base::Hex).volatile();
pub static IP_SRC: FieldDef = FieldDef::new("ip.src", "Source Address", FieldType::Ipv4, Base::None);
pub static IP_ADDR: FieldDef = FieldDef::new("ip.addr", "Source or Destination Address", FieldType::Ipv4, Base::None);
pub static IP_SRC_HOST: FieldDef = FieldDef::new("ip.src_host", "Source Host", FieldType::Ipv4, Base::None);
pub static IP_HOST: FieldDef = FieldDef::new("ip.host", "Source or Destination Host", FieldType::Ipv4, Base::None);
pub static IP_DST: FieldDef = FieldDef::new("ip.dst", "Destination Address", FieldType::Ipv4, Base::None);
pub static IP_DST_HOST: FieldDef = FieldDef::new("ip.dst_host", "Destination Host", FieldType::Ipv4, Base::None);
pub static IP_OPT_TYPE: FieldDef = FieldDef::new("ip.opt.type", "Type", FieldType::U8, Base::Dec);
pub static IP_OPT_TYPE_COPY: FieldDef = FieldDef::new("ip.opt.type.copy", "Copy on fragmentation", FieldType::Bool, Base::None).mask(0x80).tfs("Yes", "No");
pub static IP_OPT_TYPE_CLASS: FieldDef = FieldDef::new("ip.opt.type.class", "Class", FieldType::U8, Base::Dec).mask(0x60).vals(opt_class_name);
pub static IP_OPT_TYPE_NUMBER: FieldDef = FieldDef::new("ip.opt.type.number", "Number", FieldType::U8, Base::Dec).mask(0x1f).vals(opt_number_name);
pub static IP_OPT_LEN: FieldDef = FieldDef::new("ip.opt.len", "Length", FieldType::U8, Base::Dec);
pub static IP_OPT_PTR: FieldDef = FieldDef::new("ip.opt.ptr", "Pointer", FieldType::U8, Base::Dec);
pub static IP_OPT_RA: FieldDef = FieldDef::new("ip.opt.ra", "Router Alert", FieldType::U16, Base::Dec).vals(ra_name);
pub static IP_OPT_MTU: FieldDef = FieldDef::new("ip.opt.mtu", "MTU", FieldType::U16, Base::Dec);
pub static IP_OPT_ADDR: FieldDef = FieldDef::new("ip.opt.addr", "IP Address", FieldType::Ipv4, Base::None);
pub static IP_OPT_PADDING: FieldDef = FieldDef::new("ip.opt.padding", "Padding", FieldType::Bytes, Base::None);
pub static IP_OPTIONS_EOL: FieldDef = FieldDef::new("ip.options.eol", "IP Option - End of Options List (EOL)", FieldType::None, Base::None).whole(option_label);
pub static IP_OPTIONS_NOP: FieldDef = FieldDef::new("ip.options.nop", "IP Option - No-Operation (NOP)", FieldType::None, Base::None).whole(option_label);
pub static IP_OPTIONS_ROUTERALERT: FieldDef = FieldDef::new("ip.options.routeralert", "IP Option - Router Alert", FieldType::None, Base::None).whole(option_label);
pub static IP_OPTIONS_RECORD_ROUTE: FieldDef = FieldDef::new("ip.options.record_route", "IP Option - Record Route", FieldType::None, Base::None).whole(option_label);
pub static IP_OPTIONS_TIMESTAMP: FieldDef = FieldDef::new("ip.options.timestamp", "IP Option - Time Stamp", FieldType::None, Base::None).whole(option_label);
pub static IP_OPTIONS_ROUTE: FieldDef = FieldDef::new("ip.options.route", "IP Option - Loose Source Route", FieldType::None, Base::None).whole(option_label);
pub static IP_OPTIONS_SOURCE_ROUTE: FieldDef = FieldDef::new("ip.options.source_route", "IP Option - Strict Source Route", FieldType::None, Base::None).whole(option_label);
/// `[Frame: 3, payload: 0-1479 (1480 bytes)]`: its range is in the reassembled datagram.
pub static IP_FRAGMENT: FieldDef = FieldDef::new("ip.fragment", "IPv4 Fragment", FieldType::FrameNum, Base::None).whole(super::tcp::segment_label);
/// `[3 IPv4 Fragments (3008 bytes): #3(1480), #4(1480), #5(48)]`, over the reassembled bytes.
pub static IP_FRAGMENTS: FieldDef = FieldDef::new("ip.fragments", "IPv4 Fragments", FieldType::Bytes, Base::None).whole(|cx, out| super::reassembly::fragments_label(cx, out, &IP_FRAGMENT, "IPv4 Fragments"));
pub static IP_FRAGMENT_COUNT: FieldDef = FieldDef::new("ip.fragment.count", "Fragment count", FieldType::U32, Base::Dec);
pub static IP_REASSEMBLED_IN: FieldDef = FieldDef::new("ip.reassembled_in", "Reassembled IPv4 in frame", FieldType::FrameNum, Base::None);
pub static IP_REASSEMBLED_LENGTH: FieldDef = FieldDef::new("ip.reassembled.length", "Reassembled IPv4 length", FieldType::U32, Base::Dec);
pub static IP_REASSEMBLED_DATA: FieldDef = FieldDef::new("ip.reassembled.data", "Reassembled IPv4 data", FieldType::Bytes, Base::None);

/// The header's fields from the version to the checksum (see [`Part::Ipv4Header`]).
pub(crate) static HEADER_FIELDS: &[&FieldDef] = &[
    &IP_VERSION,
    &IP_HDR_LEN,
    &IP_DSFIELD,
    &IP_DSFIELD_DSCP,
    &IP_DSFIELD_ECN,
    &IP_LEN,
    &IP_ID,
    &IP_FLAGS,
    &IP_FLAGS_RB,
    &IP_FLAGS_DF,
    &IP_FLAGS_MF,
    &IP_FRAG_OFFSET,
    &IP_TTL,
    &IP_PROTO,
    &IP_CHECKSUM,
    &IP_CHECKSUM_STATUS,
    &IP_CHECKSUM_CALCULATED,
];

/// The hidden twins of the addresses (see [`Part::Ipv4Hosts`]).
pub(crate) static HOST_FIELDS: &[&FieldDef] = &[&IP_ADDR, &IP_SRC_HOST, &IP_HOST, &IP_DST_HOST];

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&IP_VERSION, &IP_HDR_LEN, &IP_DSFIELD, &IP_DSFIELD_DSCP, &IP_DSFIELD_ECN, &IP_LEN, &IP_ID, &IP_FLAGS, &IP_FLAGS_RB, &IP_FLAGS_DF, &IP_FLAGS_MF, &IP_FRAG_OFFSET, &IP_TTL, &IP_PROTO, &IP_CHECKSUM, &IP_CHECKSUM_STATUS, &IP_CHECKSUM_CALCULATED, &IP_SRC, &IP_ADDR, &IP_SRC_HOST, &IP_HOST, &IP_DST, &IP_DST_HOST, &IP_OPT_TYPE, &IP_OPT_TYPE_COPY, &IP_OPT_TYPE_CLASS, &IP_OPT_TYPE_NUMBER, &IP_OPT_LEN, &IP_OPT_PTR, &IP_OPT_RA, &IP_OPT_MTU, &IP_OPT_ADDR, &IP_OPT_PADDING, &IP_OPTIONS_EOL, &IP_OPTIONS_NOP, &IP_OPTIONS_ROUTERALERT, &IP_OPTIONS_RECORD_ROUTE, &IP_OPTIONS_TIMESTAMP, &IP_OPTIONS_ROUTE, &IP_OPTIONS_SOURCE_ROUTE, &IP_FRAGMENT, &IP_FRAGMENTS, &IP_FRAGMENT_COUNT, &IP_REASSEMBLED_IN, &IP_REASSEMBLED_LENGTH, &IP_REASSEMBLED_DATA];

fn option_def(t: u8) -> (&'static FieldDef, &'static str) {
    match t {
        0 => (&IP_OPTIONS_EOL, "End of Options List (EOL)"),
        1 => (&IP_OPTIONS_NOP, "No Operation (NOP)"),
        7 => (&IP_OPTIONS_RECORD_ROUTE, "Record Route"),
        68 => (&IP_OPTIONS_TIMESTAMP, "Time Stamp"),
        131 => (&IP_OPTIONS_ROUTE, "Loose Source Route"),
        137 => (&IP_OPTIONS_SOURCE_ROUTE, "Strict Source Route"),
        148 => (&IP_OPTIONS_ROUTERALERT, "Router Alert"),
        _ => (&IP_OPT_TYPE, "Unknown"),
    }
}

/// `IP Option - Router Alert (4 bytes): Router shall examine packet (0)`: an option's name,
/// its length when it has one, and a Router Alert's value.
fn option_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    if cx.field.len > 1 {
        out.push_str(" (");
        super::label::bytes_plural(u64::from(cx.field.len), out);
        out.push(')');
    }
    if std::ptr::eq(cx.field.def, &IP_OPTIONS_ROUTERALERT)
        && let Some(ra) = cx.children().find(|f| std::ptr::eq(f.def, &IP_OPT_RA))
    {
        out.push_str(": ");
        super::label::value_text(cx.d, cx.frame, ra, out);
    }
}

/// Option classes (the type's bits 5-6).
fn opt_class_name(c: u64) -> Option<&'static str> {
    ["Control", "Reserved for future use", "Debugging and measurement", "Reserved for future use"].get(c as usize).copied()
}

/// Option numbers (the type's low 5 bits), as Wireshark names them.
fn opt_number_name(n: u64) -> Option<&'static str> {
    Some(match n {
        0 => "End of Option List (EOL)",
        1 => "No-Operation (NOP)",
        2 => "Security",
        3 => "Loose source route",
        4 => "Time stamp",
        5 => "Extended security",
        6 => "Commercial IP security option",
        7 => "Record route",
        8 => "Stream identifier",
        9 => "Strict source route",
        10 => "Experimental Measurement",
        11 => "MTU probe",
        12 => "MTU Reply",
        13 => "Experimental Flow Control",
        14 => "Experimental Access Control",
        15 => "Ask Estrin",
        16 => "IMI Traffic Descriptor",
        17 => "Extended Internet Protocol",
        18 => "Traceroute",
        19 => "Address Extension",
        20 => "Router Alert",
        21 => "Selective Directed Broadcast",
        22 => "Unassigned",
        23 => "Dynamic Packet State",
        24 => "Upstream Multicast Packet",
        25 => "Quick-Start",
        30 => "RFC 3692-style experiment",
        _ => return None,
    })
}

/// Router Alert values (RFC 2113): 0, the rest reserved.
fn ra_name(v: u64) -> Option<&'static str> {
    Some(if v == 0 { "Router shall examine packet" } else { "Reserved" })
}

/// The Options line's text: `Options: (4 bytes), Router Alert`, each option's name in turn.
fn options_title(data: &[u8], mut o: usize, end: usize) -> String {
    let mut s = String::new();
    let _ = std::fmt::Write::write_fmt(&mut s, format_args!("Options: ({} bytes)", end - o));
    while o < end {
        let Some(t) = rd::u8(data, o) else { break };
        s.push_str(", ");
        s.push_str(option_def(t).1);
        match t {
            0 => break,
            1 => o += 1,
            _ => match rd::u8(data, o + 1) {
                Some(l) if l >= 2 => o += l as usize,
                _ => break,
            },
        }
    }
    s
}

/// IP options between byte 20 and the header's end: the `Options: (n bytes), …` line, each
/// option under it, its parts below that.
fn options(cx: &mut Ctx, data: &[u8], mut o: usize, end: usize) {
    if cx.wants(&super::data::WS_TEXT) {
        let title = options_title(data, o, end);
        cx.add(&super::data::WS_TEXT, o, end - o, Value::Str(title.into_boxed_str()));
    }
    cx.child(|cx| {
        while o < end {
            match option(cx, data, o, end) {
                Some(next) => o = next,
                None => return,
            }
        }
    });
}

/// One option at `o`; returns where the next one starts, or None after the last.
fn option(cx: &mut Ctx, data: &[u8], o: usize, end: usize) -> Option<usize> {
    let t = rd::u8(data, o)?;
    let (def, _) = option_def(t);
    if t == 0 || t == 1 {
        if !std::ptr::eq(def, &IP_OPT_TYPE) {
            cx.add(def, o, 1, Value::Bytes);
        }
        cx.child(|cx| type_bits(cx, o, t));
        let o = o + 1;
        if t == 0 {
            if o < end && data.len() >= end {
                cx.add(&IP_OPT_PADDING, o, end - o, Value::Bytes);
            }
            return None;
        }
        return Some(o);
    }
    let len = rd::u8(data, o + 1)? as usize;
    let whole = if len >= 2 && o + len <= end { len } else { end - o };
    if !std::ptr::eq(def, &IP_OPT_TYPE) {
        // Option items print as their bytes in hex, as tshark's do.
        cx.add(def, o, whole, Value::Bytes);
    }
    cx.child(|cx| {
        type_bits(cx, o, t);
        cx.add(&IP_OPT_LEN, o + 1, 1, Value::UInt(len as u64));
        if len < 2 || o + len > end {
            cx.expert(Severity::Warn, "ip.opt.len.invalid", "Invalid length for option", None);
            return None;
        }
        match t {
            148 if len == 4 => {
                if let Some(v) = rd::u16(data, o + 2) {
                    cx.add(&IP_OPT_RA, o + 2, 2, Value::UInt(v as u64));
                }
            }
            7 | 131 | 137 if len >= 3 => {
                if let Some(p) = rd::u8(data, o + 2) {
                    cx.add(&IP_OPT_PTR, o + 2, 1, Value::UInt(p as u64));
                }
                let mut a = o + 3;
                while a + 4 <= o + len {
                    if let Some(addr) = rd::arr::<4>(data, a) {
                        cx.add(&IP_OPT_ADDR, a, 4, Value::Ipv4(addr));
                    }
                    a += 4;
                }
            }
            _ => {}
        }
        Some(o + len)
    })
}

fn type_bits(cx: &mut Ctx, o: usize, t: u8) {
    cx.add(&IP_OPT_TYPE, o, 1, Value::UInt(t as u64));
    cx.child(|cx| {
        cx.add(&IP_OPT_TYPE_COPY, o, 1, Value::Bool(t & 0x80 != 0));
        cx.add(&IP_OPT_TYPE_CLASS, o, 1, Value::UInt(((t >> 5) & 3) as u64));
        cx.add(&IP_OPT_TYPE_NUMBER, o, 1, Value::UInt((t & 0x1f) as u64));
    });
}

/// Dissects an IPv4 header at `off`; returns where the datagram ends by its Total Length.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize) -> usize {
    let Some(b0) = rd::u8(data, off) else {
        let li = cx.open("ip", "Internet Protocol Version 4", Osi::Network, off, 0);
        cx.short(data, off, 1);
        cx.close(li);
        return data.len();
    };
    if b0 >> 4 == 6 && cx.in_error == 0 {
        return dispatch::ipv6(cx, data, off);
    }
    let li = cx.open("ip", "Internet Protocol Version 4", Osi::Network, off, 20);
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("IPv4");
    }
    let version = b0 >> 4;
    let hlen = ((b0 & 0x0f) as usize) * 4;
    // The header's fields up to the checksum, and the hidden host twins of the addresses,
    // are added only when some of them are wanted (see `Part`).
    let hdr = cx.part(Part::Ipv4Header);
    if hdr {
        cx.add(&IP_VERSION, off, 1, Value::UInt(version as u64));
    }
    if version != 4 {
        cx.expert(Severity::Error, "ip.bogus_ip_version", format!("Bogus IP version ({version})"), None);
        cx.close(li);
        return data.len();
    }
    if hdr {
        cx.add(&IP_HDR_LEN, off, 1, Value::UInt(hlen as u64));
    }
    if hlen < 20 {
        // tshark's item covers the bytes the header claims (`len(ip) == 16`).
        cx.set_len(li, hlen);
        let msg = format!("Bogus IP header length ({hlen}, must be at least 20)");
        if outer {
            cx.out.info.clear();
            cx.out.info.push_str(&msg);
        }
        cx.expert(Severity::Error, "ip.bogus_header_length", msg, None);
        cx.close(li);
        return data.len();
    }
    cx.set_len(li, hlen);
    let Some(tos) = rd::u8(data, off + 1) else { return stop(cx, li, data, off + 1, 1) };
    if hdr {
        cx.add(&IP_DSFIELD, off + 1, 1, Value::UInt(tos as u64));
        cx.child(|cx| {
            cx.add(&IP_DSFIELD_DSCP, off + 1, 1, Value::UInt((tos >> 2) as u64));
            cx.add(&IP_DSFIELD_ECN, off + 1, 1, Value::UInt((tos & 3) as u64));
        });
    }
    let Some(mut ip_len) = rd::u16(data, off + 2).map(|v| v as usize) else { return stop(cx, li, data, off + 2, 2) };
    let len_at = if hdr { cx.add(&IP_LEN, off + 2, 2, Value::UInt(ip_len as u64)) } else { cx.out.fields.len() as u32 };
    if ip_len < hlen {
        if ip_len == 0 {
            // TCP segmentation offload: the length is what the frame holds.
            ip_len = cx.reported.max(data.len()).saturating_sub(off);
        } else {
            let msg = format!("Bogus IP length ({ip_len}, less than header length {hlen})");
            if outer {
                cx.out.info.clear();
                cx.out.info.push_str(&msg);
            }
            cx.expert(Severity::Error, "ip.bogus_ip_length", msg, Some(len_at));
            cx.close(li);
            return data.len();
        }
    }
    let Some(id) = rd::u16(data, off + 4) else { return stop(cx, li, data, off + 4, 2) };
    if hdr {
        cx.add(&IP_ID, off + 4, 2, Value::UInt(id as u64));
    }
    let Some(fl) = rd::u16(data, off + 6) else { return stop(cx, li, data, off + 6, 2) };
    let flags = (fl >> 13) as u8;
    let frag = (fl & 0x1fff) as usize;
    if hdr {
        cx.add(&IP_FLAGS, off + 6, 1, Value::UInt(flags as u64));
        cx.child(|cx| {
            cx.add(&IP_FLAGS_RB, off + 6, 1, Value::Bool(flags & 4 != 0));
            cx.add(&IP_FLAGS_DF, off + 6, 1, Value::Bool(flags & 2 != 0));
            cx.add(&IP_FLAGS_MF, off + 6, 1, Value::Bool(flags & 1 != 0));
        });
        cx.add(&IP_FRAG_OFFSET, off + 6, 2, Value::UInt(frag as u64));
    }
    let Some(ttl) = rd::u8(data, off + 8) else { return stop(cx, li, data, off + 8, 1) };
    let ttl_at = if hdr { cx.add(&IP_TTL, off + 8, 1, Value::UInt(ttl as u64)) } else { cx.out.fields.len() as u32 };
    let Some(proto) = rd::u8(data, off + 9) else { return stop(cx, li, data, off + 9, 1) };
    if let Some(d0) = rd::u8(data, off + 16) {
        let lncb = d0 == 224 && rd::u16(data, off + 17) == Some(0) && rd::u8(data, off + 19).is_some();
        // As Wireshark: the TTL a packet to 224.0.0.x should carry is 1, except VRRP's
        // (224.0.0.18) and mDNS's (224.0.0.251) 255, and any for GLBP (224.0.0.102).
        let want = match rd::u8(data, off + 19) {
            Some(18 | 251) => Some(255),
            Some(102) => None,
            _ => Some(1),
        };
        if lncb {
            if let Some(want) = want.filter(|&w| w != ttl) {
                cx.expert(
                    Severity::Note,
                    "ip.ttl.lncb",
                    format!("\"Time To Live\" != {want} for a packet sent to the Local Network Control Block (see RFC 3171)"),
                    Some(ttl_at),
                );
            }
        } else if d0 & 0xf0 != 0xe0 && ttl < 5 && proto != proto::PIM && proto != proto::OSPF {
            cx.expert(Severity::Note, "ip.ttl.too_small", format!("\"Time To Live\" only {ttl}"), Some(ttl_at));
        }
    }
    if hdr {
        cx.add(&IP_PROTO, off + 9, 1, Value::UInt(proto as u64));
    }
    let Some(stored) = rd::u16(data, off + 10) else { return stop(cx, li, data, off + 10, 2) };
    let ck_at = if hdr { cx.add(&IP_CHECKSUM, off + 10, 2, Value::UInt(stored as u64)) } else { cx.out.fields.len() as u32 };
    let verify = cx.checksums() && super::prefs::IP_CHECK_CHECKSUM.get();
    match data.get(off..off + hlen).filter(|_| verify) {
        Some(header) => {
            let (good, calc) = checksum::verify(0, header, 10);
            if hdr {
                cx.add_gen(&IP_CHECKSUM_STATUS, off + 10, 0, Value::UInt(if good { 1 } else { 0 }));
                cx.add_gen(&IP_CHECKSUM_CALCULATED, off + 10, 2, Value::UInt(calc as u64));
            }
            if !good {
                cx.expert(Severity::Error, "ip.checksum_bad", checksum::bad_message(calc), Some(ck_at));
            }
        }
        None if hdr => {
            cx.add_gen(&IP_CHECKSUM_STATUS, off + 10, 0, Value::UInt(2));
        }
        None => {}
    }
    let Some(src) = rd::arr::<4>(data, off + 12) else { return stop(cx, li, data, off + 12, 4) };
    let hosts = cx.part(Part::Ipv4Hosts) && cx.hidden_wanted();
    cx.add(&IP_SRC, off + 12, 4, Value::Ipv4(src));
    if hosts {
        cx.add_hidden(&IP_ADDR, off + 12, 4, Value::Ipv4(src));
        cx.add_hidden(&IP_SRC_HOST, off + 12, 4, Value::Ipv4(src));
        cx.add_hidden(&IP_HOST, off + 12, 4, Value::Ipv4(src));
    }
    let Some(dst) = rd::arr::<4>(data, off + 16) else { return stop(cx, li, data, off + 16, 4) };
    cx.add(&IP_DST, off + 16, 4, Value::Ipv4(dst));
    if hosts {
        cx.add_hidden(&IP_ADDR, off + 16, 4, Value::Ipv4(dst));
        cx.add_hidden(&IP_DST_HOST, off + 16, 4, Value::Ipv4(dst));
        cx.add_hidden(&IP_HOST, off + 16, 4, Value::Ipv4(dst));
    }
    if outer {
        cx.col_src = Addr::V4(src);
        cx.col_dst = Addr::V4(dst);
        cx.hop_limit = ttl;
        let (mut s16, mut d16) = ([0u8; 16], [0u8; 16]);
        s16[..4].copy_from_slice(&src);
        d16[..4].copy_from_slice(&dst);
        cx.net = Some((s16, d16));
    }
    if hlen > 20 {
        if data.len() < off + hlen {
            cx.close(li);
            cx.short(data, off + 20, hlen - 20);
            return off + ip_len;
        }
        options(cx, data, off + 20, off + hlen);
    }
    if let Some(s) = cx.summary(li) {
        s.push_str("Src: ");
        super::push_ipv4(s, src);
        s.push_str(", Dst: ");
        super::push_ipv4(s, dst);
    }
    let end = off + ip_len;
    let pstart = off + hlen;
    let more = flags & 1 != 0;
    let pseudo = Pseudo::V4(src, dst);

    if (more || frag != 0) && cx.in_error == 0 {
        // A fragment: collect it; the frame completing the datagram dissects the whole.
        let avail_end = end.min(data.len());
        let bytes = data.get(pstart..avail_end).unwrap_or(&[]);
        if avail_end < end {
            // tshark reassembles only fragments captured whole.
            cx.close(li);
            if outer {
                fragment_info(cx, proto, frag, id);
            }
            dispatch::data(cx, data, pstart, end);
            return end;
        }
        let mut k = Key { v6: false, src: [0; 16], dst: [0; 16], id: id as u32, proto };
        k.src[..4].copy_from_slice(&src);
        k.dst[..4].copy_from_slice(&dst);
        cx.out.stateful = true;
        let done = cx.reasm.add(k, cx.frame_number, frag * 8, more, bytes);
        match done {
            Some(r) => {
                let total = r.payload.len();
                let sid = cx.next_source();
                let prev_source = cx.source;
                // tshark's fragment tree carries the reassembled bytes.
                cx.source = sid;
                cx.add_gen(&IP_FRAGMENTS, 0, total, Value::Bytes);
                cx.child(|cx| {
                    for &(frame, at, len) in &r.parts {
                        cx.add_gen(&IP_FRAGMENT, at, len, Value::UInt(frame));
                    }
                    cx.source = prev_source;
                    cx.add_gen(&IP_FRAGMENT_COUNT, pstart, 0, Value::UInt(r.count as u64));
                    cx.add_gen(&IP_REASSEMBLED_LENGTH, pstart, 0, Value::UInt(total as u64));
                    cx.source = sid;
                    cx.add_gen(&IP_REASSEMBLED_DATA, 0, total, Value::Bytes);
                    cx.source = prev_source;
                });
                cx.close(li);
                cx.in_reassembled(r.payload, |cx, buf| dispatch::ip_payload(cx, buf, 0, total, proto, pseudo));
            }
            None => {
                cx.close(li);
                if outer {
                    fragment_info(cx, proto, frag, id);
                }
                dispatch::data(cx, data, pstart, end);
            }
        }
        return end;
    }
    cx.close(li);
    dispatch::ip_payload(cx, data, pstart, end, proto, pseudo);
    end
}

fn fragment_info(cx: &mut Ctx, proto: u8, frag: usize, id: u16) {
    use std::fmt::Write;
    cx.out.info.clear();
    let name = proto_name(proto as u64).unwrap_or("Unknown");
    let _ = write!(cx.out.info, "Fragmented IP protocol (proto={name} {proto}, off={}, ID={id:04x})", frag * 8);
}

/// Ends the layer at a field the bytes do not hold.
fn stop(cx: &mut Ctx, li: usize, data: &[u8], off: usize, len: usize) -> usize {
    cx.close(li);
    cx.short(data, off, len);
    data.len()
}


