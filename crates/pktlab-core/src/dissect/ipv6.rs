//! IPv6: the fixed header (hidden two-sided `ipv6.addr`/`ipv6.host`), the extension headers
//! (hop-by-hop and destination options, routing, fragment, each listed in `frame.protocols`
//! as tshark does), fragment reassembly, then the payload protocol.

use super::dispatch;
use super::ip::{self, IP_VERSION, Pseudo, ecn_name, proto_name};
use super::model::*;
use super::reassembly::Key;
use super::{Addr, Ctx, rd};

pub static IPV6_VERSION: FieldDef = FieldDef::new("ipv6.version", "Version", FieldType::U8, Base::Dec).mask(0xf0);
pub static IPV6_TCLASS: FieldDef = FieldDef::new("ipv6.tclass", "Traffic Class", FieldType::U32, Base::Hex).mask(0xff00000).custom(ip::ds_label).pure();
pub static IPV6_TCLASS_DSCP: FieldDef = FieldDef::new("ipv6.tclass.dscp", "Differentiated Services Codepoint", FieldType::U32, Base::Dec).mask(0xfc00000).vals(ip::dscp_name);
pub static IPV6_TCLASS_ECN: FieldDef = FieldDef::new("ipv6.tclass.ecn", "Explicit Congestion Notification", FieldType::U32, Base::Dec).mask(0x300000).vals(ecn_name);
pub static IPV6_FLOW: FieldDef = FieldDef::new("ipv6.flow", "Flow Label", FieldType::U24, Base::Hex).mask(0xfffff);
pub static IPV6_PLEN: FieldDef = FieldDef::new("ipv6.plen", "Payload Length", FieldType::U16, Base::Dec);
pub static IPV6_NXT: FieldDef = FieldDef::new("ipv6.nxt", "Next Header", FieldType::U8, Base::Dec).vals(proto_name);
pub static IPV6_HLIM: FieldDef = FieldDef::new("ipv6.hlim", "Hop Limit", FieldType::U8, Base::Dec);
pub static IPV6_SRC: FieldDef = FieldDef::new("ipv6.src", "Source Address", FieldType::Ipv6, Base::None);
pub static IPV6_ADDR: FieldDef = FieldDef::new("ipv6.addr", "Source or Destination Address", FieldType::Ipv6, Base::None);
pub static IPV6_SRC_HOST: FieldDef = FieldDef::new("ipv6.src_host", "Source Host", FieldType::Ipv6, Base::None);
pub static IPV6_HOST: FieldDef = FieldDef::new("ipv6.host", "Source or Destination Host", FieldType::Ipv6, Base::None);
pub static IPV6_DST: FieldDef = FieldDef::new("ipv6.dst", "Destination Address", FieldType::Ipv6, Base::None);
pub static IPV6_DST_HOST: FieldDef = FieldDef::new("ipv6.dst_host", "Destination Host", FieldType::Ipv6, Base::None);
pub static IPV6_HOPOPTS: FieldDef = FieldDef::new("ipv6.hopopts", "IPv6 Hop-by-Hop Option", FieldType::None, Base::None).whole(ext_label);
pub static IPV6_HOPOPTS_NXT: FieldDef = FieldDef::new("ipv6.hopopts.nxt", "Next Header", FieldType::U8, Base::Dec).vals(proto_name);
pub static IPV6_HOPOPTS_LEN: FieldDef = FieldDef::new("ipv6.hopopts.len", "Length", FieldType::U8, Base::Dec);
pub static IPV6_HOPOPTS_LEN_OCT: FieldDef = FieldDef::new("ipv6.hopopts.len_oct", "Length", FieldType::U16, Base::Dec).unit(" bytes");
pub static IPV6_DSTOPTS: FieldDef = FieldDef::new("ipv6.dstopts", "Destination Options for IPv6", FieldType::None, Base::None).whole(ext_label);
pub static IPV6_DSTOPTS_NXT: FieldDef = FieldDef::new("ipv6.dstopts.nxt", "Next Header", FieldType::U8, Base::Dec).vals(proto_name);
pub static IPV6_DSTOPTS_LEN: FieldDef = FieldDef::new("ipv6.dstopts.len", "Length", FieldType::U8, Base::Dec);
pub static IPV6_DSTOPTS_LEN_OCT: FieldDef = FieldDef::new("ipv6.dstopts.len_oct", "Length", FieldType::U16, Base::Dec).unit(" bytes");
pub static IPV6_OPT: FieldDef = FieldDef::new("ipv6.opt", "IPv6 Option", FieldType::None, Base::None).whole(opt_label);
pub static IPV6_OPT_TYPE: FieldDef = FieldDef::new("ipv6.opt.type", "Type", FieldType::U8, Base::Hex).vals(opt_type_name);
pub static IPV6_OPT_TYPE_ACTION: FieldDef = FieldDef::new("ipv6.opt.type.action", "Action", FieldType::U8, Base::Dec).mask(0xc0).vals(opt_action_name);
pub static IPV6_OPT_TYPE_CHANGE: FieldDef = FieldDef::new("ipv6.opt.type.change", "May Change", FieldType::Bool, Base::None).mask(0x20).tfs("Yes", "No");
pub static IPV6_OPT_TYPE_REST: FieldDef = FieldDef::new("ipv6.opt.type.rest", "Low-Order Bits", FieldType::U8, Base::Hex).mask(0x1f);
pub static IPV6_OPT_LENGTH: FieldDef = FieldDef::new("ipv6.opt.length", "Length", FieldType::U8, Base::Dec);
pub static IPV6_OPT_PAD1: FieldDef = FieldDef::new("ipv6.opt.pad1", "Pad1", FieldType::None, Base::None);
pub static IPV6_OPT_PADN: FieldDef = FieldDef::new("ipv6.opt.padn", "PadN", FieldType::Bytes, Base::None);
pub static IPV6_OPT_ROUTER_ALERT: FieldDef = FieldDef::new("ipv6.opt.router_alert", "Router Alert", FieldType::U16, Base::Dec).vals(router_alert_name);
pub static IPV6_OPT_JUMBO: FieldDef = FieldDef::new("ipv6.opt.jumbo", "Payload Length", FieldType::U32, Base::Dec);
pub static IPV6_OPT_TEL: FieldDef = FieldDef::new("ipv6.opt.tel", "Tunnel Encapsulation Limit", FieldType::U8, Base::Dec);
pub static IPV6_OPT_UNKNOWN: FieldDef = FieldDef::new("ipv6.opt.unknown", "Unknown Option Payload", FieldType::Bytes, Base::None);
pub static IPV6_ROUTING: FieldDef = FieldDef::new("ipv6.routing", "Routing Header for IPv6", FieldType::None, Base::None).whole(ext_label);
pub static IPV6_ROUTING_NXT: FieldDef = FieldDef::new("ipv6.routing.nxt", "Next Header", FieldType::U8, Base::Dec).vals(proto_name);
pub static IPV6_ROUTING_LEN: FieldDef = FieldDef::new("ipv6.routing.len", "Length", FieldType::U8, Base::Dec);
pub static IPV6_ROUTING_LEN_OCT: FieldDef = FieldDef::new("ipv6.routing.len_oct", "Length", FieldType::U16, Base::Dec).unit(" bytes");
pub static IPV6_ROUTING_TYPE: FieldDef = FieldDef::new("ipv6.routing.type", "Type", FieldType::U8, Base::Dec).vals(routing_type_name);
pub static IPV6_ROUTING_SEGLEFT: FieldDef = FieldDef::new("ipv6.routing.segleft", "Segments Left", FieldType::U8, Base::Dec);
pub static IPV6_ROUTING_UNKNOWN_DATA: FieldDef = FieldDef::new("ipv6.routing.unknown_data", "Type-Specific Data", FieldType::Bytes, Base::None);
pub static IPV6_ROUTING_SRC_RESERVED: FieldDef = FieldDef::new("ipv6.routing.src.reserved", "Reserved", FieldType::Bytes, Base::None);
pub static IPV6_ROUTING_SRC_ADDR: FieldDef = FieldDef::new("ipv6.routing.src.addr", "Address", FieldType::Ipv6, Base::None).whole(vector_address_label);
pub static IPV6_FRAGHDR: FieldDef = FieldDef::new("ipv6.fraghdr", "Fragment Header for IPv6", FieldType::None, Base::None).whole(ext_label);
pub static IPV6_FRAGHDR_NXT: FieldDef = FieldDef::new("ipv6.fraghdr.nxt", "Next header", FieldType::U8, Base::Dec).vals(proto_name);
pub static IPV6_FRAGHDR_RESERVED_OCTET: FieldDef = FieldDef::new("ipv6.fraghdr.reserved_octet", "Reserved octet", FieldType::U8, Base::Hex);
pub static IPV6_FRAGHDR_OFFSET: FieldDef = FieldDef::new("ipv6.fraghdr.offset", "Offset", FieldType::U16, Base::Dec).mask(0xfff8).custom(frag_offset_label).pure();
pub static IPV6_FRAGHDR_RESERVED_BITS: FieldDef = FieldDef::new("ipv6.fraghdr.reserved_bits", "Reserved bits", FieldType::U16, Base::Dec).mask(0x6);
pub static IPV6_FRAGHDR_MORE: FieldDef = FieldDef::new("ipv6.fraghdr.more", "More Fragments", FieldType::Bool, Base::None).mask(0x1).tfs("Yes", "No");
pub static IPV6_FRAGHDR_IDENT: FieldDef = FieldDef::new("ipv6.fraghdr.ident", "Identification", FieldType::U32, Base::Hex);
/// `[Frame: 1, payload: 0-1231 (1232 bytes)]`: its range is in the reassembled datagram.
pub static IPV6_FRAGMENT: FieldDef = FieldDef::new("ipv6.fragment", "IPv6 Fragment", FieldType::FrameNum, Base::None).whole(super::tcp::segment_label);
/// `[2 IPv6 Fragments (1400 bytes): #1(1232), #2(168)]`, over the reassembled bytes.
pub static IPV6_FRAGMENTS: FieldDef = FieldDef::new("ipv6.fragments", "IPv6 Fragments", FieldType::None, Base::None).whole(|cx, out| super::reassembly::fragments_label(cx, out, &IPV6_FRAGMENT, "IPv6 Fragments"));
pub static IPV6_FRAGMENT_COUNT: FieldDef = FieldDef::new("ipv6.fragment.count", "Fragment count", FieldType::U32, Base::Dec);
pub static IPV6_REASSEMBLED_IN: FieldDef = FieldDef::new("ipv6.reassembled.in", "Reassembled IPv6 in frame", FieldType::FrameNum, Base::None);
pub static IPV6_REASSEMBLED_LENGTH: FieldDef = FieldDef::new("ipv6.reassembled.length", "Reassembled IPv6 length", FieldType::U32, Base::Dec);
pub static IPV6_REASSEMBLED_DATA: FieldDef = FieldDef::new("ipv6.reassembled.data", "Reassembled IPv6 data", FieldType::Bytes, Base::None);

/// Every field this module defines.
pub static IPV6_EMBED_IPV4_PREFIX: FieldDef = FieldDef::new("ipv6.embed_ipv4_prefix", "Embedded IPv4 Prefix", FieldType::Bytes, Base::None);
pub static IPV6_SRC_EMBED_IPV4: FieldDef = FieldDef::new("ipv6.src_embed_ipv4", "Source Embedded IPv4", FieldType::Ipv4, Base::None);
pub static IPV6_DST_EMBED_IPV4: FieldDef = FieldDef::new("ipv6.dst_embed_ipv4", "Destination Embedded IPv4", FieldType::Ipv4, Base::None);
pub static IPV6_EMBED_IPV4: FieldDef = FieldDef::new("ipv6.embed_ipv4", "Embedded IPv4", FieldType::Ipv4, Base::None);

pub static IPV6_SRC_TS_IPV4: FieldDef = FieldDef::new("ipv6.src_ts_ipv4", "Source Teredo Server IPv4", FieldType::Ipv4, Base::None);
pub static IPV6_SRC_TC_PORT: FieldDef = FieldDef::new("ipv6.src_tc_port", "Source Teredo Port", FieldType::U16, Base::Dec);
pub static IPV6_SRC_TC_IPV4: FieldDef = FieldDef::new("ipv6.src_tc_ipv4", "Source Teredo Client IPv4", FieldType::Ipv4, Base::None);
pub static IPV6_DST_TS_IPV4: FieldDef = FieldDef::new("ipv6.dst_ts_ipv4", "Destination Teredo Server IPv4", FieldType::Ipv4, Base::None);
pub static IPV6_DST_TC_PORT: FieldDef = FieldDef::new("ipv6.dst_tc_port", "Destination Teredo Port", FieldType::U16, Base::Dec);
pub static IPV6_DST_TC_IPV4: FieldDef = FieldDef::new("ipv6.dst_tc_ipv4", "Destination Teredo Client IPv4", FieldType::Ipv4, Base::None);
pub static IPV6_TS_IPV4: FieldDef = FieldDef::new("ipv6.ts_ipv4", "Teredo Server IPv4", FieldType::Ipv4, Base::None);
pub static IPV6_TC_PORT: FieldDef = FieldDef::new("ipv6.tc_port", "Teredo Port", FieldType::U16, Base::Dec);
pub static IPV6_TC_IPV4: FieldDef = FieldDef::new("ipv6.tc_ipv4", "Teredo Client IPv4", FieldType::Ipv4, Base::None);
pub static IPV6_SRC_SLAAC_MAC: FieldDef = FieldDef::new("ipv6.src_slaac_mac", "Source SLAAC MAC", FieldType::Ether, Base::None);
pub static IPV6_DST_SLAAC_MAC: FieldDef = FieldDef::new("ipv6.dst_slaac_mac", "Destination SLAAC MAC", FieldType::Ether, Base::None);
pub static IPV6_SLAAC_MAC: FieldDef = FieldDef::new("ipv6.slaac_mac", "SLAAC MAC", FieldType::Ether, Base::None);

/// A Teredo address (2001:0::/32, RFC 4380) shows what it carries, as tshark does: the
/// server's IPv4 address, and the client's port and IPv4 address (both stored inverted), on
/// the side's fields, then on the two-sided ones (hidden).
fn teredo(cx: &mut Ctx, at: usize, a: [u8; 16], side: [&'static FieldDef; 3]) {
    if a[..4] != [0x20, 0x01, 0, 0] {
        return;
    }
    let server = [a[4], a[5], a[6], a[7]];
    let port = !u16::from_be_bytes([a[10], a[11]]);
    let client = [!a[12], !a[13], !a[14], !a[15]];
    for (defs, hidden) in [(side, false), ([&IPV6_TS_IPV4, &IPV6_TC_PORT, &IPV6_TC_IPV4], true)] {
        let [s, p, c] = defs;
        for (def, off, len, value) in [(s, 4, 4, Value::Ipv4(server)), (p, 10, 2, Value::UInt(port as u64)), (c, 12, 4, Value::Ipv4(client))] {
            if hidden {
                cx.add_hidden(def, at + off, len, value);
            } else {
                cx.add_gen(def, at + off, len, value);
            }
        }
    }
}

/// An address whose interface identifier is a modified EUI-64 (the universal/local bit set,
/// `ff:fe` in its middle; RFC 4291 appendix A) shows the MAC address it was made from, as
/// tshark does: the side's, then the two-sided one (hidden).
fn slaac(cx: &mut Ctx, at: usize, a: [u8; 16], side: &'static FieldDef) {
    if a[8] & 0x02 == 0 || a[11] != 0xff || a[12] != 0xfe {
        return;
    }
    let mac = [a[8] & !0x02, a[9], a[10], a[13], a[14], a[15]];
    cx.add_gen(side, at + 8, 8, Value::Ether(mac));
    cx.add_hidden(&IPV6_SLAAC_MAC, at + 8, 8, Value::Ether(mac));
}

/// An address of the NAT64 well-known prefix 64:ff9b::/96 (RFC 6052) shows the IPv4 address
/// it embeds, as tshark does: the prefix, the side's embedded address and the two-sided one.
fn nat64(cx: &mut Ctx, at: usize, a: [u8; 16], side: &'static FieldDef) {
    const WKP: [u8; 12] = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
    if a[..12] != WKP {
        return;
    }
    let v4 = [a[12], a[13], a[14], a[15]];
    cx.add_gen(&IPV6_EMBED_IPV4_PREFIX, at, 12, Value::Bytes);
    cx.add_gen(side, at + 12, 4, Value::Ipv4(v4));
    cx.add_gen(&IPV6_EMBED_IPV4, at + 12, 4, Value::Ipv4(v4));
}

pub static FIELDS: &[&FieldDef] = &[&IPV6_SRC_TS_IPV4, &IPV6_SRC_TC_PORT, &IPV6_SRC_TC_IPV4, &IPV6_DST_TS_IPV4, &IPV6_DST_TC_PORT, &IPV6_DST_TC_IPV4, &IPV6_TS_IPV4, &IPV6_TC_PORT, &IPV6_TC_IPV4, &IPV6_SRC_SLAAC_MAC, &IPV6_DST_SLAAC_MAC, &IPV6_SLAAC_MAC, &IPV6_EMBED_IPV4_PREFIX, &IPV6_SRC_EMBED_IPV4, &IPV6_DST_EMBED_IPV4, &IPV6_EMBED_IPV4, &IPV6_VERSION, &IPV6_TCLASS, &IPV6_TCLASS_DSCP, &IPV6_TCLASS_ECN, &IPV6_FLOW, &IPV6_PLEN, &IPV6_NXT, &IPV6_HLIM, &IPV6_SRC, &IPV6_ADDR, &IPV6_SRC_HOST, &IPV6_HOST, &IPV6_DST, &IPV6_DST_HOST, &IPV6_HOPOPTS, &IPV6_HOPOPTS_NXT, &IPV6_HOPOPTS_LEN, &IPV6_HOPOPTS_LEN_OCT, &IPV6_DSTOPTS, &IPV6_DSTOPTS_NXT, &IPV6_DSTOPTS_LEN, &IPV6_DSTOPTS_LEN_OCT, &IPV6_OPT, &IPV6_OPT_TYPE, &IPV6_OPT_TYPE_ACTION, &IPV6_OPT_TYPE_CHANGE, &IPV6_OPT_TYPE_REST, &IPV6_OPT_LENGTH, &IPV6_OPT_PAD1, &IPV6_OPT_PADN, &IPV6_OPT_ROUTER_ALERT, &IPV6_OPT_JUMBO, &IPV6_OPT_TEL, &IPV6_OPT_UNKNOWN, &IPV6_ROUTING, &IPV6_ROUTING_NXT, &IPV6_ROUTING_LEN, &IPV6_ROUTING_LEN_OCT, &IPV6_ROUTING_TYPE, &IPV6_ROUTING_SEGLEFT, &IPV6_ROUTING_UNKNOWN_DATA, &IPV6_ROUTING_SRC_RESERVED, &IPV6_ROUTING_SRC_ADDR, &IPV6_FRAGHDR, &IPV6_FRAGHDR_NXT, &IPV6_FRAGHDR_RESERVED_OCTET, &IPV6_FRAGHDR_OFFSET, &IPV6_FRAGHDR_RESERVED_BITS, &IPV6_FRAGHDR_MORE, &IPV6_FRAGHDR_IDENT, &IPV6_FRAGMENT, &IPV6_FRAGMENTS, &IPV6_FRAGMENT_COUNT, &IPV6_REASSEMBLED_IN, &IPV6_REASSEMBLED_LENGTH, &IPV6_REASSEMBLED_DATA];

/// An extension header's line: its title (a routing header's names its type). The field's
/// text value is what `-T fields` prints for it (its filter name, or the routing header's
/// title).
fn ext_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    match &cx.field.value {
        Value::Str(s) if **s != *cx.field.def.abbrev => out.push_str(s),
        _ => out.push_str(cx.field.def.name),
    }
}

/// `Offset: 185 (1480 bytes)`: the fragment offset counts 8-byte units.
fn frag_offset_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let n = cx.uint();
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    out.push_str(itoa::Buffer::new().format(n));
    out.push_str(" (");
    out.push_str(itoa::Buffer::new().format(n * 8));
    out.push_str(" bytes)");
}

/// An option's line: its type's name (`Router Alert`, `PadN`), as tshark titles it.
fn opt_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    match cx.bytes().first() {
        Some(&t) => match opt_type_name(u64::from(t)) {
            Some(name) => out.push_str(name),
            None => {
                out.push_str("Unknown IPv6 Option (");
                out.push_str(itoa::Buffer::new().format(t));
                out.push(')');
            }
        },
        None => out.push_str(cx.field.def.name),
    }
}

/// What a node must do with an option it does not know (the type's top two bits).
fn opt_action_name(a: u64) -> Option<&'static str> {
    Some(match a {
        0 => "Skip and continue",
        1 => "Discard",
        2 => "Discard and send ICMP Parameter Problem",
        3 => "Discard and send ICMP if not multicast",
        _ => return None,
    })
}

fn router_alert_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "MLD",
        1 => "RSVP",
        2 => "Active Network",
        _ => return None,
    })
}

pub fn routing_type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "Source Route",
        1 => "Nimrod",
        2 => "Type 2 Routing",
        3 => "RPL Source Route",
        4 => "Segment Routing",
        5 => "Compact Routing Header 16",
        6 => "Compact Routing Header 32",
        253 => "Experiment 1",
        254 => "Experiment 2",
        _ => return None,
    })
}

/// A source route's address with its place in the list: `Address[1]: 2001:db8::1`.
fn vector_address_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let f = cx.field;
    // Its place: one more than the addresses before it under the same header.
    let before = cx.d.fields.get(..cx.idx).unwrap_or(&[]).iter().rev().take_while(|x| x.depth >= f.depth).filter(|x| x.depth == f.depth && std::ptr::eq(x.def, f.def)).count();
    out.push_str(f.def.name);
    out.push('[');
    out.push_str(itoa::Buffer::new().format(before + 1));
    out.push_str("]: ");
    cx.value(out);
}

/// The options of a hop-by-hop or destination options header (`o..end`), each at the
/// current depth with its parts below it.
fn opts(cx: &mut Ctx, data: &[u8], mut o: usize, end: usize) {
    while o < end {
        match opt(cx, data, o, end) {
            Some(next) => o = next,
            None => return,
        }
    }
}

/// One option at `o`; returns where the next one starts, or None to stop.
fn opt(cx: &mut Ctx, data: &[u8], o: usize, end: usize) -> Option<usize> {
    let t = rd::u8(data, o)?;
    if t == 0 {
        cx.add(&IPV6_OPT, o, 1, Value::None);
        cx.child(|cx| {
            opt_type(cx, o, t);
            cx.add(&IPV6_OPT_PAD1, o, 1, Value::None);
        });
        return Some(o + 1);
    }
    let len = rd::u8(data, o + 1)? as usize;
    let whole = (2 + len).min(end - o);
    cx.add(&IPV6_OPT, o, whole, Value::None);
    cx.child(|cx| {
        opt_type(cx, o, t);
        cx.add(&IPV6_OPT_LENGTH, o + 1, 1, Value::UInt(len as u64));
        if o + 2 + len > end || data.len() < o + 2 + len {
            cx.expert(Severity::Error, "ipv6.opt.invalid_len", "Invalid IPv6 option length", None);
            return None;
        }
        let v = o + 2;
        match (t, len) {
            (1, _) => {
                cx.add(&IPV6_OPT_PADN, v, len, Value::Bytes);
            }
            (5, 2) => {
                let r = rd::u16(data, v).unwrap_or(0);
                cx.add(&IPV6_OPT_ROUTER_ALERT, v, 2, Value::UInt(r as u64));
            }
            (4, 1) => {
                let r = rd::u8(data, v).unwrap_or(0);
                cx.add(&IPV6_OPT_TEL, v, 1, Value::UInt(r as u64));
            }
            (0xc2, 4) => {
                let r = rd::u32(data, v).unwrap_or(0);
                cx.add(&IPV6_OPT_JUMBO, v, 4, Value::UInt(r as u64));
            }
            _ => {
                if len > 0 {
                    cx.add(&IPV6_OPT_UNKNOWN, v, len, Value::Bytes);
                }
            }
        }
        Some(o + 2 + len)
    })
}

fn opt_type(cx: &mut Ctx, o: usize, t: u8) {
    cx.add(&IPV6_OPT_TYPE, o, 1, Value::UInt(t as u64));
    cx.child(|cx| {
        cx.add(&IPV6_OPT_TYPE_ACTION, o, 1, Value::UInt((t >> 6) as u64));
        cx.add(&IPV6_OPT_TYPE_CHANGE, o, 1, Value::Bool(t & 0x20 != 0));
        cx.add(&IPV6_OPT_TYPE_REST, o, 1, Value::UInt((t & 0x1f) as u64));
    });
}

/// Dissects an IPv6 header at `off`; returns where the packet ends by its Payload Length.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize) -> usize {
    let li = cx.open("ipv6", "Internet Protocol Version 6", Osi::Network, off, 40);
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("IPv6");
    }
    let Some(w0) = rd::u32(data, off) else { return stop(cx, li, data, off, 4) };
    let version = (w0 >> 28) as u8;
    cx.add(&IPV6_VERSION, off, 1, Value::UInt(version as u64));
    // tshark also adds IPv4's version field, hidden, so `ip.version == 6` matches.
    cx.add_hidden(&IP_VERSION, off, 1, Value::UInt(version as u64));
    cx.add(&IPV6_TCLASS, off, 4, Value::UInt(((w0 >> 20) & 0xff) as u64));
    cx.child(|cx| {
        cx.add(&IPV6_TCLASS_DSCP, off, 4, Value::UInt(((w0 >> 22) & 0x3f) as u64));
        cx.add(&IPV6_TCLASS_ECN, off, 4, Value::UInt(((w0 >> 20) & 3) as u64));
    });
    cx.add(&IPV6_FLOW, off + 1, 3, Value::UInt((w0 & 0xfffff) as u64));
    if version != 6 {
        cx.expert(Severity::Error, "ipv6.bogus_ipv6_version", format!("Bogus IP version ({version})"), None);
        cx.close(li);
        return data.len();
    }
    let Some(plen) = rd::u16(data, off + 4).map(|v| v as usize) else { return stop(cx, li, data, off + 4, 2) };
    cx.add(&IPV6_PLEN, off + 4, 2, Value::UInt(plen as u64));
    let Some(nxt) = rd::u8(data, off + 6) else { return stop(cx, li, data, off + 6, 1) };
    cx.add(&IPV6_NXT, off + 6, 1, Value::UInt(nxt as u64));
    let Some(hlim) = rd::u8(data, off + 7) else { return stop(cx, li, data, off + 7, 1) };
    cx.add(&IPV6_HLIM, off + 7, 1, Value::UInt(hlim as u64));
    let Some(src) = rd::arr::<16>(data, off + 8) else { return stop(cx, li, data, off + 8, 16) };
    cx.add(&IPV6_SRC, off + 8, 16, Value::Ipv6(src));
    cx.add_hidden(&IPV6_ADDR, off + 8, 16, Value::Ipv6(src));
    cx.add_hidden(&IPV6_SRC_HOST, off + 8, 16, Value::Ipv6(src));
    cx.add_hidden(&IPV6_HOST, off + 8, 16, Value::Ipv6(src));
    let Some(dst) = rd::arr::<16>(data, off + 24) else { return stop(cx, li, data, off + 24, 16) };
    cx.add(&IPV6_DST, off + 24, 16, Value::Ipv6(dst));
    cx.add_hidden(&IPV6_ADDR, off + 24, 16, Value::Ipv6(dst));
    cx.add_hidden(&IPV6_DST_HOST, off + 24, 16, Value::Ipv6(dst));
    cx.add_hidden(&IPV6_HOST, off + 24, 16, Value::Ipv6(dst));
    // (tshark adds what the addresses embed after both of them.)
    teredo(cx, off + 8, src, [&IPV6_SRC_TS_IPV4, &IPV6_SRC_TC_PORT, &IPV6_SRC_TC_IPV4]);
    teredo(cx, off + 24, dst, [&IPV6_DST_TS_IPV4, &IPV6_DST_TC_PORT, &IPV6_DST_TC_IPV4]);
    slaac(cx, off + 8, src, &IPV6_SRC_SLAAC_MAC);
    slaac(cx, off + 24, dst, &IPV6_DST_SLAAC_MAC);
    nat64(cx, off + 8, src, &IPV6_SRC_EMBED_IPV4);
    nat64(cx, off + 24, dst, &IPV6_DST_EMBED_IPV4);
    if outer {
        cx.col_src = Addr::V6(src);
        cx.col_dst = Addr::V6(dst);
        cx.hop_limit = hlim;
        cx.net = Some((src, dst));
    }
    if let Some(s) = cx.summary(li) {
        s.push_str("Src: ");
        super::push_ipv6(s, src);
        s.push_str(", Dst: ");
        super::push_ipv6(s, dst);
    }
    // TSO: a zero payload length means "what the frame holds".
    let plen = if plen == 0 && nxt != 0 { cx.reported.max(data.len()).saturating_sub(off + 40) } else { plen };
    let end = off + 40 + plen;
    let mut pseudo = Pseudo::V6(src, dst);
    let mut o = off + 40;
    let mut next = nxt;
    // Extension headers.
    loop {
        match next {
            ip::proto::HOPOPTS | ip::proto::DSTOPTS => {
                let (proto, nxt_def, len_def, oct_def, p) = if next == 0 {
                    (&IPV6_HOPOPTS, &IPV6_HOPOPTS_NXT, &IPV6_HOPOPTS_LEN, &IPV6_HOPOPTS_LEN_OCT, "ipv6.hopopts")
                } else {
                    (&IPV6_DSTOPTS, &IPV6_DSTOPTS_NXT, &IPV6_DSTOPTS_LEN, &IPV6_DSTOPTS_LEN_OCT, "ipv6.dstopts")
                };
                cx.add_proto(p);
                let (Some(n), Some(l)) = (rd::u8(data, o), rd::u8(data, o + 1)) else { return stop(cx, li, data, o, 2) };
                let hl = (l as usize + 1) * 8;
                // tshark prints these protocol items as their own name.
                cx.add(proto, o, hl.min(data.len().saturating_sub(o)), Value::Str(p.into()));
                let whole = cx.child(|cx| {
                    cx.add(nxt_def, o, 1, Value::UInt(n as u64));
                    cx.add(len_def, o + 1, 1, Value::UInt(l as u64));
                    cx.add_gen(oct_def, o + 1, 1, Value::UInt(hl as u64));
                    if data.len() < o + hl {
                        return false;
                    }
                    opts(cx, data, o + 2, o + hl);
                    true
                });
                if !whole {
                    return stop(cx, li, data, o, hl);
                }
                o += hl;
                next = n;
            }
            ip::proto::ROUTING => {
                cx.add_proto("ipv6.routing");
                let (Some(n), Some(l)) = (rd::u8(data, o), rd::u8(data, o + 1)) else { return stop(cx, li, data, o, 2) };
                let hl = (l as usize + 1) * 8;
                let rname = match rd::u8(data, o + 2) {
                    Some(0) => "Routing Header for IPv6 (Source Route)",
                    Some(2) => "Routing Header for IPv6 (Type 2 Routing)",
                    Some(3) => "Routing Header for IPv6 (RPL Source Route)",
                    Some(4) => "Routing Header for IPv6 (Segment Routing)",
                    _ => "Routing Header for IPv6",
                };
                cx.add(&IPV6_ROUTING, o, hl.min(data.len().saturating_sub(o)), Value::Str(rname.into()));
                let routed = cx.child(|cx| {
                    cx.add(&IPV6_ROUTING_NXT, o, 1, Value::UInt(n as u64));
                    cx.add(&IPV6_ROUTING_LEN, o + 1, 1, Value::UInt(l as u64));
                    cx.add_gen(&IPV6_ROUTING_LEN_OCT, o + 1, 1, Value::UInt(hl as u64));
                    let (Some(t), Some(segleft)) = (rd::u8(data, o + 2), rd::u8(data, o + 3)) else { return Err((o + 2, 2)) };
                    let type_at = cx.add(&IPV6_ROUTING_TYPE, o + 2, 1, Value::UInt(t as u64));
                    cx.add(&IPV6_ROUTING_SEGLEFT, o + 3, 1, Value::UInt(segleft as u64));
                    if data.len() < o + hl {
                        return Err((o + 4, hl - 4));
                    }
                    if t == 0 {
                        cx.add(&IPV6_ROUTING_SRC_RESERVED, o + 4, 4, Value::Bytes);
                        let mut a = o + 8;
                        let mut last = None;
                        while a + 16 <= o + hl {
                            if let Some(addr) = rd::arr::<16>(data, a) {
                                cx.add(&IPV6_ROUTING_SRC_ADDR, a, 16, Value::Ipv6(addr));
                                last = Some(addr);
                            }
                            a += 16;
                        }
                        // RFC 5095 deprecates type 0 (tshark notes it on the type, after the
                        // addresses).
                        cx.expert(Severity::Note, "ipv6.routing.deprecated", "Routing header type is deprecated", Some(type_at));
                        // The transport checksum covers the final destination, the route's last hop.
                        if segleft > 0
                            && let Some(final_dst) = last
                        {
                            pseudo = Pseudo::V6(src, final_dst);
                            if outer {
                                cx.col_dst = Addr::V6(final_dst);
                            }
                        }
                    } else if hl > 4 {
                        cx.add(&IPV6_ROUTING_UNKNOWN_DATA, o + 4, hl - 4, Value::Bytes);
                    }
                    Ok(())
                });
                if let Err((at, n)) = routed {
                    return stop(cx, li, data, at, n);
                }
                o += hl;
                next = n;
            }
            ip::proto::FRAGMENT => {
                cx.add_proto("ipv6.fraghdr");
                let (Some(n), Some(r), Some(offw), Some(ident)) = (rd::u8(data, o), rd::u8(data, o + 1), rd::u16(data, o + 2), rd::u32(data, o + 4)) else {
                    return stop(cx, li, data, o, 8);
                };
                cx.add(&IPV6_FRAGHDR, o, 8, Value::Str("ipv6.fraghdr".into()));
                cx.child(|cx| {
                    cx.add(&IPV6_FRAGHDR_NXT, o, 1, Value::UInt(n as u64));
                    cx.add(&IPV6_FRAGHDR_RESERVED_OCTET, o + 1, 1, Value::UInt(r as u64));
                    cx.add(&IPV6_FRAGHDR_OFFSET, o + 2, 2, Value::UInt((offw >> 3) as u64));
                    cx.add(&IPV6_FRAGHDR_RESERVED_BITS, o + 2, 2, Value::UInt(((offw >> 1) & 3) as u64));
                    cx.add(&IPV6_FRAGHDR_MORE, o + 2, 2, Value::Bool(offw & 1 != 0));
                    cx.add(&IPV6_FRAGHDR_IDENT, o + 4, 4, Value::UInt(ident as u64));
                });
                o += 8;
                let foff = (offw >> 3) as usize * 8;
                let more = offw & 1 != 0;
                if (foff != 0 || more) && cx.in_error == 0 {
                    return fragment(cx, li, data, o, end, n, foff, more, ident, src, dst, pseudo);
                }
                next = n;
            }
            _ => break,
        }
    }
    cx.close(li);
    dispatch::ip_payload(cx, data, o, end, next, pseudo);
    end
}

#[allow(clippy::too_many_arguments)]
fn fragment(
    cx: &mut Ctx,
    li: usize,
    data: &[u8],
    o: usize,
    end: usize,
    next: u8,
    foff: usize,
    more: bool,
    ident: u32,
    src: [u8; 16],
    dst: [u8; 16],
    pseudo: Pseudo,
) -> usize {
    let avail_end = end.min(data.len());
    if avail_end < end || o > avail_end {
        cx.close(li);
        dispatch::data(cx, data, o, end);
        return end;
    }
    let bytes = data.get(o..avail_end).unwrap_or(&[]);
    let key = Key { v6: true, src, dst, id: ident, proto: 0 };
    cx.out.stateful = true;
    match cx.reasm.add(key, cx.frame_number, foff, more, bytes) {
        Some(r) => {
            let total = r.payload.len();
            // (The tree and its fragments over the reassembled bytes, as tshark's.)
            let sid = cx.next_source();
            let prev_source = cx.source;
            cx.source = sid;
            cx.add_gen(&IPV6_FRAGMENTS, 0, total, Value::None);
            cx.child(|cx| {
                for &(frame, at, len) in &r.parts {
                    cx.add_gen(&IPV6_FRAGMENT, at, len, Value::UInt(frame));
                }
                cx.source = prev_source;
                cx.add_gen(&IPV6_FRAGMENT_COUNT, o, 0, Value::UInt(r.count as u64));
                cx.add_gen(&IPV6_REASSEMBLED_LENGTH, o, 0, Value::UInt(total as u64));
                cx.source = sid;
                cx.add_gen(&IPV6_REASSEMBLED_DATA, 0, total, Value::Bytes);
                cx.source = prev_source;
            });
            cx.close(li);
            cx.in_reassembled(r.payload, |cx, buf| dispatch::ip_payload(cx, buf, 0, total, next, pseudo));
        }
        None => {
            cx.close(li);
            if cx.in_error == 0 {
                use std::fmt::Write;
                cx.out.info.clear();
                let name = proto_name(next as u64).unwrap_or("Unknown");
                let _ = write!(cx.out.info, "IPv6 fragment (off={foff} more={} ident=0x{ident:08x} nxt={next})", if more { 'y' } else { 'n' });
                let _ = name;
            }
            dispatch::data(cx, data, o, end);
        }
    }
    end
}

fn stop(cx: &mut Ctx, li: usize, data: &[u8], off: usize, len: usize) -> usize {
    cx.close(li);
    cx.short(data, off, len);
    data.len()
}

/// IPv6 option types (`ipv6.opt.type`).
pub fn opt_type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "Pad1",
        1 => "PadN",
        4 => "Tunnel Encapsulation Limit",
        5 => "Router Alert",
        0xc2 => "Jumbo Payload",
        _ => return None,
    })
}
