//! ICMPv6: type, code, checksum over the IPv6 pseudo-header, echo, error messages (with the
//! quoted IPv6 packet), neighbour discovery messages and their options.

use super::ip::{Pseudo, proto};
use super::{checksum, dispatch};
use super::label::LabelCx;
use super::model::*;
use super::{Ctx, rd};
use std::fmt::Write;

pub static ICMPV6_TYPE: FieldDef = FieldDef::new("icmpv6.type", "Type", FieldType::U8, Base::Dec).vals(type_name);
pub static ICMPV6_CODE: FieldDef = FieldDef::new("icmpv6.code", "Code", FieldType::U8, Base::Dec).custom(code_label);

/// `Code: 4 (Port unreachable)` for the types whose codes Wireshark names, else `Code: 0`.
fn code_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::icmp::named_code(cx, &ICMPV6_TYPE, out, push_code_name);
}

/// The name Wireshark gives code `c` of type `t` (`Port unreachable`; `Unknown (9)` for a
/// code it does not know of a type whose codes it names), appended to `out`; false (and
/// nothing appended) for a type whose codes have no names.
fn push_code_name(t: u64, c: u64, out: &mut String) -> bool {
    const UNREACH: [&str; 8] = [
        "no route to destination",
        "Administratively prohibited",
        "Beyond scope of source address",
        "Address unreachable",
        "Port unreachable",
        "Source address failed ingress/egress policy",
        "Reject route to destination",
        "Error in Source Routing Header",
    ];
    const EXCEED: [&str; 2] = ["hop limit exceeded in transit", "fragment reassembly time exceeded"];
    const PARAM: [&str; 4] = ["erroneous header field encountered", "unrecognized Next Header type encountered", "unrecognized IPv6 option encountered", "IPv6 First Fragment has incomplete IPv6 Header Chain"];
    const RENUMBER: [(u64, &str); 3] = [(0, "Command"), (1, "Result"), (255, "Sequence number reset")];
    const NI_QUERY: [&str; 3] = ["Query subject = IPv6 addresses", "Query subject = DNS name or empty", "Query subject = IPv4 addresses"];
    const NI_REPLY: [&str; 3] = ["Successful", "Refused", "Unknown query type"];
    const EXT_REPLY: [&str; 5] = ["No error", "Malformed Query", "No Such Interface", "No Such Table Entry", "Multiple Interfaces Satisfy Query"];
    let name = match t {
        // (Destination Unreachable's unknown codes are plain `Unknown`.)
        1 => Some(UNREACH.get(c as usize).copied().unwrap_or("Unknown")),
        3 => EXCEED.get(c as usize).copied(),
        4 => PARAM.get(c as usize).copied(),
        138 => RENUMBER.iter().find(|(k, _)| *k == c).map(|(_, n)| *n),
        139 => NI_QUERY.get(c as usize).copied(),
        140 => NI_REPLY.get(c as usize).copied(),
        160 => (c == 0).then_some("No error"),
        161 => EXT_REPLY.get(c as usize).copied(),
        _ => return false,
    };
    match name {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "Unknown ({c})");
        }
    }
    true
}
pub static ICMPV6_CHECKSUM: FieldDef = FieldDef::new("icmpv6.checksum", "Checksum", FieldType::U16, Base::Hex).custom(checksum_label);
pub static ICMPV6_CHECKSUM_STATUS: FieldDef = FieldDef::new("icmpv6.checksum.status", "Checksum Status", FieldType::U8, Base::Dec).custom(super::label::checksum_status).pure();
pub static ICMPV6_RESERVED: FieldDef = FieldDef::new("icmpv6.reserved", "Reserved", FieldType::Bytes, Base::None);
pub static ICMPV6_DATA: FieldDef = FieldDef::new("icmpv6.data", "Data", FieldType::Bytes, Base::None);
pub static ICMPV6_MTU: FieldDef = FieldDef::new("icmpv6.mtu", "MTU", FieldType::U32, Base::Dec);
pub static ICMPV6_POINTER: FieldDef = FieldDef::new("icmpv6.pointer", "Pointer", FieldType::U32, Base::Dec);
pub static ICMPV6_ECHO_IDENTIFIER: FieldDef = FieldDef::new("icmpv6.echo.identifier", "Identifier", FieldType::U16, Base::Hex);
pub static ICMPV6_ECHO_SEQUENCE_NUMBER: FieldDef = FieldDef::new("icmpv6.echo.sequence_number", "Sequence", FieldType::U16, Base::Dec);
pub static ICMPV6_ND_RA_CUR_HOP_LIMIT: FieldDef = FieldDef::new("icmpv6.nd.ra.cur_hop_limit", "Cur hop limit", FieldType::U8, Base::Dec);
pub static ICMPV6_ND_RA_FLAG: FieldDef = FieldDef::new("icmpv6.nd.ra.flag", "Flags", FieldType::U8, Base::Hex).custom(ra_flags_label);
pub static ICMPV6_ND_RA_FLAG_M: FieldDef = FieldDef::new("icmpv6.nd.ra.flag.m", "Managed address configuration", FieldType::Bool, Base::None).mask(0x80);
pub static ICMPV6_ND_RA_FLAG_O: FieldDef = FieldDef::new("icmpv6.nd.ra.flag.o", "Other configuration", FieldType::Bool, Base::None).mask(0x40);
pub static ICMPV6_ND_RA_FLAG_H: FieldDef = FieldDef::new("icmpv6.nd.ra.flag.h", "Home Agent", FieldType::Bool, Base::None).mask(0x20);
pub static ICMPV6_ND_RA_FLAG_PRF: FieldDef = FieldDef::new("icmpv6.nd.ra.flag.prf", "Prf (Default Router Preference)", FieldType::U8, Base::Dec).mask(0x18).vals(prf_name);
pub static ICMPV6_ND_RA_FLAG_P: FieldDef = FieldDef::new("icmpv6.nd.ra.flag.p", "Proxy", FieldType::Bool, Base::None).mask(0x4);
pub static ICMPV6_ND_RA_FLAG_RSV: FieldDef = FieldDef::new("icmpv6.nd.ra.flag.rsv", "Reserved", FieldType::U8, Base::Dec).mask(0x3);
pub static ICMPV6_ND_RA_ROUTER_LIFETIME: FieldDef = FieldDef::new("icmpv6.nd.ra.router_lifetime", "Router lifetime (s)", FieldType::U16, Base::Dec);
pub static ICMPV6_ND_RA_REACHABLE_TIME: FieldDef = FieldDef::new("icmpv6.nd.ra.reachable_time", "Reachable time (ms)", FieldType::U32, Base::Dec);
pub static ICMPV6_ND_RA_RETRANS_TIMER: FieldDef = FieldDef::new("icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)", FieldType::U32, Base::Dec);
pub static ICMPV6_ND_NS_TARGET_ADDRESS: FieldDef = FieldDef::new("icmpv6.nd.ns.target_address", "Target Address", FieldType::Ipv6, Base::None);
pub static ICMPV6_ND_NA_FLAG: FieldDef = FieldDef::new("icmpv6.nd.na.flag", "Flags", FieldType::U32, Base::Hex);
pub static ICMPV6_ND_NA_FLAG_R: FieldDef = FieldDef::new("icmpv6.nd.na.flag.r", "Router", FieldType::Bool, Base::None).mask(0x80000000);
pub static ICMPV6_ND_NA_FLAG_S: FieldDef = FieldDef::new("icmpv6.nd.na.flag.s", "Solicited", FieldType::Bool, Base::None).mask(0x40000000);
pub static ICMPV6_ND_NA_FLAG_O: FieldDef = FieldDef::new("icmpv6.nd.na.flag.o", "Override", FieldType::Bool, Base::None).mask(0x20000000);
pub static ICMPV6_ND_NA_FLAG_RSV: FieldDef = FieldDef::new("icmpv6.nd.na.flag.rsv", "Reserved", FieldType::U32, Base::Dec).mask(0x1fffffff);
pub static ICMPV6_ND_NA_TARGET_ADDRESS: FieldDef = FieldDef::new("icmpv6.nd.na.target_address", "Target Address", FieldType::Ipv6, Base::None);
pub static ICMPV6_OPT: FieldDef = FieldDef::new("icmpv6.opt", "ICMPv6 Option", FieldType::None, Base::None).whole(opt_label);
pub static ICMPV6_OPT_TYPE: FieldDef = FieldDef::new("icmpv6.opt.type", "Type", FieldType::U8, Base::Dec).vals(opt_type_name);
pub static ICMPV6_OPT_LENGTH: FieldDef = FieldDef::new("icmpv6.opt.length", "Length", FieldType::U8, Base::Dec).custom(opt_length_label);
pub static ICMPV6_OPT_LINKADDR: FieldDef = FieldDef::new("icmpv6.opt.linkaddr", "Link-layer address", FieldType::Bytes, Base::None);
pub static ICMPV6_OPT_SRC_LINKADDR: FieldDef = FieldDef::new("icmpv6.opt.src_linkaddr", "Source Link-layer address", FieldType::Bytes, Base::None);
pub static ICMPV6_OPT_TARGET_LINKADDR: FieldDef = FieldDef::new("icmpv6.opt.target_linkaddr", "Target Link-layer address", FieldType::Bytes, Base::None);
pub static ICMPV6_OPT_PREFIX_LENGTH: FieldDef = FieldDef::new("icmpv6.opt.prefix.length", "Prefix Length", FieldType::U8, Base::Dec);
pub static ICMPV6_OPT_PREFIX_FLAG: FieldDef = FieldDef::new("icmpv6.opt.prefix.flag", "Flag", FieldType::U8, Base::Hex).custom(prefix_flag_label).pure();
pub static ICMPV6_OPT_PREFIX_FLAG_L: FieldDef = FieldDef::new("icmpv6.opt.prefix.flag.l", "On-link flag(L)", FieldType::Bool, Base::None).mask(0x80);
pub static ICMPV6_OPT_PREFIX_FLAG_A: FieldDef = FieldDef::new("icmpv6.opt.prefix.flag.a", "Autonomous address-configuration flag(A)", FieldType::Bool, Base::None).mask(0x40);
pub static ICMPV6_OPT_PREFIX_FLAG_R: FieldDef = FieldDef::new("icmpv6.opt.prefix.flag.r", "Router address flag(R)", FieldType::Bool, Base::None).mask(0x20);
pub static ICMPV6_OPT_PREFIX_FLAG_RESERVED: FieldDef = FieldDef::new("icmpv6.opt.prefix.flag.reserved", "Reserved", FieldType::U8, Base::Dec).mask(0x1f);
pub static ICMPV6_OPT_PREFIX_VALID_LIFETIME: FieldDef = FieldDef::new("icmpv6.opt.prefix.valid_lifetime", "Valid Lifetime", FieldType::U32, Base::Dec).custom(lifetime_label).pure();
pub static ICMPV6_OPT_PREFIX_PREFERRED_LIFETIME: FieldDef = FieldDef::new("icmpv6.opt.prefix.preferred_lifetime", "Preferred Lifetime", FieldType::U32, Base::Dec).custom(lifetime_label).pure();
pub static ICMPV6_OPT_PREFIX: FieldDef = FieldDef::new("icmpv6.opt.prefix", "Prefix", FieldType::Ipv6, Base::None);
pub static ICMPV6_OPT_RESERVED: FieldDef = FieldDef::new("icmpv6.opt.reserved", "Reserved", FieldType::None, Base::None);
pub static ICMPV6_OPT_MTU: FieldDef = FieldDef::new("icmpv6.opt.mtu", "MTU", FieldType::U32, Base::Dec);
pub static ICMPV6_OPT_PADDING: FieldDef = FieldDef::new("icmpv6.opt.padding", "Padding", FieldType::None, Base::None);
pub static ICMPV6_OPT_ADVERTISEMENT_INTERVAL: FieldDef = FieldDef::new("icmpv6.opt.advertisement_interval", "Advertisement Interval", FieldType::U32, Base::Dec);
// (tshark 4.0 names the lifetime "Home Agent Preference" too.)
pub static ICMPV6_OPT_HOME_AGENT_PREFERENCE: FieldDef = FieldDef::new("icmpv6.opt.home_agent_preference", "Home Agent Preference", FieldType::U16, Base::Dec);
pub static ICMPV6_OPT_HOME_AGENT_LIFETIME: FieldDef = FieldDef::new("icmpv6.opt.home_agent_lifetime", "Home Agent Preference", FieldType::U16, Base::Dec);
pub static ICMPV6_OPT_RDNSS_LIFETIME: FieldDef = FieldDef::new("icmpv6.opt.rdnss.lifetime", "Lifetime", FieldType::U32, Base::Dec).custom(lifetime_label).pure();
pub static ICMPV6_OPT_RDNSS: FieldDef = FieldDef::new("icmpv6.opt.rdnss", "Recursive DNS Servers", FieldType::Ipv6, Base::None);
pub static ICMPV6_OPT_DNSSL_LIFETIME: FieldDef = FieldDef::new("icmpv6.opt.dnssl.lifetime", "Lifetime", FieldType::U32, Base::Dec).custom(lifetime_label).pure();
pub static ICMPV6_OPT_DNSSL: FieldDef = FieldDef::new("icmpv6.opt.dnssl", "Domain Names", FieldType::Str, Base::None);
pub static ICMPV6_MLD_MAXIMUM_RESPONSE_DELAY: FieldDef = FieldDef::new("icmpv6.mld.maximum_response_delay", "Maximum Response Delay [ms]", FieldType::U16, Base::Dec);
pub static ICMPV6_MLD_MULTICAST_ADDRESS: FieldDef = FieldDef::new("icmpv6.mld.multicast_address", "Multicast Address", FieldType::Ipv6, Base::None);
pub static ICMPV6_MLDR_NB_MCAST_RECORDS: FieldDef = FieldDef::new("icmpv6.mldr.nb_mcast_records", "Number of Multicast Address Records", FieldType::U16, Base::Dec);
pub static ICMPV6_MLDR_MAR: FieldDef = FieldDef::new("icmpv6.mldr.mar", "Multicast Address Record", FieldType::None, Base::None).whole(mar_label);
pub static ICMPV6_MLDR_MAR_RECORD_TYPE: FieldDef = FieldDef::new("icmpv6.mldr.mar.record_type", "Record Type", FieldType::U8, Base::Dec).vals(record_type_name);
pub static ICMPV6_MLDR_MAR_AUX_DATA_LEN: FieldDef = FieldDef::new("icmpv6.mldr.mar.aux_data_len", "Aux Data Len", FieldType::U8, Base::Dec);
pub static ICMPV6_MLDR_MAR_NB_SOURCES: FieldDef = FieldDef::new("icmpv6.mldr.mar.nb_sources", "Number of Sources", FieldType::U16, Base::Dec);
pub static ICMPV6_MLDR_MAR_MULTICAST_ADDRESS: FieldDef = FieldDef::new("icmpv6.mldr.mar.multicast_address", "Multicast Address", FieldType::Ipv6, Base::None);
pub static ICMPV6_MLDR_MAR_SOURCE_ADDRESS: FieldDef = FieldDef::new("icmpv6.mldr.mar.source_address", "Source Address", FieldType::Ipv6, Base::None);

pub static ICMPV6_MLD_MAXIMUM_RESPONSE_CODE: FieldDef = FieldDef::new("icmpv6.mld.maximum_response_code", "Maximum Response Code", FieldType::U16, Base::Dec);
pub static ICMPV6_MLD_FLAG: FieldDef = FieldDef::new("icmpv6.mld.flag", "Flags", FieldType::U8, Base::Hex);
pub static ICMPV6_MLD_FLAG_S: FieldDef = FieldDef::new("icmpv6.mld.flag.s", "Suppress Router-Side Processing", FieldType::Bool, Base::None).mask(0x8).tfs("True", "False");
pub static ICMPV6_MLD_FLAG_QRV: FieldDef = FieldDef::new("icmpv6.mld.flag.qrv", "QRV (Querier's Robustness Variable)", FieldType::U8, Base::Dec).mask(0x7);
pub static ICMPV6_MLD_FLAG_RESERVED: FieldDef = FieldDef::new("icmpv6.mld.flag.reserved", "Reserved", FieldType::U8, Base::Dec).mask(0xf0);
pub static ICMPV6_MLD_QQI: FieldDef = FieldDef::new("icmpv6.mld.qqi", "QQIC (Querier's Query Interval Code)", FieldType::U8, Base::Dec);
pub static ICMPV6_MLD_NB_SOURCES: FieldDef = FieldDef::new("icmpv6.mld.nb_sources", "Number of Sources", FieldType::U16, Base::Dec);
pub static ICMPV6_MLD_SOURCE_ADDRESS: FieldDef = FieldDef::new("icmpv6.mld.source_address", "Source Address", FieldType::Ipv6, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&ICMPV6_TYPE, &ICMPV6_CODE, &ICMPV6_CHECKSUM, &ICMPV6_CHECKSUM_STATUS, &ICMPV6_RESERVED, &ICMPV6_DATA, &ICMPV6_MTU, &ICMPV6_POINTER, &ICMPV6_ECHO_IDENTIFIER, &ICMPV6_ECHO_SEQUENCE_NUMBER, &ICMPV6_ND_RA_CUR_HOP_LIMIT, &ICMPV6_ND_RA_FLAG, &ICMPV6_ND_RA_FLAG_M, &ICMPV6_ND_RA_FLAG_O, &ICMPV6_ND_RA_FLAG_H, &ICMPV6_ND_RA_FLAG_PRF, &ICMPV6_ND_RA_FLAG_P, &ICMPV6_ND_RA_FLAG_RSV, &ICMPV6_ND_RA_ROUTER_LIFETIME, &ICMPV6_ND_RA_REACHABLE_TIME, &ICMPV6_ND_RA_RETRANS_TIMER, &ICMPV6_ND_NS_TARGET_ADDRESS, &ICMPV6_ND_NA_FLAG, &ICMPV6_ND_NA_FLAG_R, &ICMPV6_ND_NA_FLAG_S, &ICMPV6_ND_NA_FLAG_O, &ICMPV6_ND_NA_FLAG_RSV, &ICMPV6_ND_NA_TARGET_ADDRESS, &ICMPV6_OPT, &ICMPV6_OPT_TYPE, &ICMPV6_OPT_LENGTH, &ICMPV6_OPT_LINKADDR, &ICMPV6_OPT_SRC_LINKADDR, &ICMPV6_OPT_TARGET_LINKADDR, &ICMPV6_OPT_PREFIX_LENGTH, &ICMPV6_OPT_PREFIX_FLAG, &ICMPV6_OPT_PREFIX_FLAG_L, &ICMPV6_OPT_PREFIX_FLAG_A, &ICMPV6_OPT_PREFIX_FLAG_R, &ICMPV6_OPT_PREFIX_FLAG_RESERVED, &ICMPV6_OPT_PREFIX_VALID_LIFETIME, &ICMPV6_OPT_PREFIX_PREFERRED_LIFETIME, &ICMPV6_OPT_PREFIX, &ICMPV6_OPT_MTU, &ICMPV6_OPT_RESERVED, &ICMPV6_OPT_PADDING, &ICMPV6_OPT_ADVERTISEMENT_INTERVAL, &ICMPV6_OPT_HOME_AGENT_PREFERENCE, &ICMPV6_OPT_HOME_AGENT_LIFETIME, &ICMPV6_OPT_RDNSS_LIFETIME, &ICMPV6_OPT_RDNSS, &ICMPV6_OPT_DNSSL_LIFETIME, &ICMPV6_OPT_DNSSL, &ICMPV6_MLD_MAXIMUM_RESPONSE_DELAY, &ICMPV6_MLD_MULTICAST_ADDRESS, &ICMPV6_MLDR_NB_MCAST_RECORDS, &ICMPV6_MLDR_MAR, &ICMPV6_MLDR_MAR_RECORD_TYPE, &ICMPV6_MLDR_MAR_AUX_DATA_LEN, &ICMPV6_MLDR_MAR_NB_SOURCES, &ICMPV6_MLDR_MAR_MULTICAST_ADDRESS, &ICMPV6_MLDR_MAR_SOURCE_ADDRESS, &ICMPV6_MLD_MAXIMUM_RESPONSE_CODE, &ICMPV6_MLD_FLAG, &ICMPV6_MLD_FLAG_S, &ICMPV6_MLD_FLAG_QRV, &ICMPV6_MLD_FLAG_RESERVED, &ICMPV6_MLD_QQI, &ICMPV6_MLD_NB_SOURCES, &ICMPV6_MLD_SOURCE_ADDRESS];

pub fn type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        1 => "Destination Unreachable",
        2 => "Packet Too Big",
        3 => "Time Exceeded",
        4 => "Parameter Problem",
        128 => "Echo (ping) request",
        129 => "Echo (ping) reply",
        130 => "Multicast Listener Query",
        131 => "Multicast Listener Report",
        132 => "Multicast Listener Done",
        133 => "Router Solicitation",
        134 => "Router Advertisement",
        135 => "Neighbor Solicitation",
        136 => "Neighbor Advertisement",
        137 => "Redirect",
        143 => "Multicast Listener Report Message v2",
        _ => return None,
    })
}

/// The first child of `def` under the labelled field, as an integer or the field itself.
fn child_of<'a>(cx: &LabelCx<'a>, def: &'static FieldDef) -> Option<&'a Field> {
    cx.children().find(|f| std::ptr::eq(f.def, def))
}

fn uint_of(f: &Field) -> u64 {
    match f.value {
        Value::UInt(n) => n,
        _ => 0,
    }
}

/// `Checksum: 0x… [correct]` and its other forms ([`super::label::checksum_by_expert`]).
fn checksum_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::label::checksum_by_expert(cx, out, &ICMPV6_CHECKSUM_STATUS);
}

/// `Flags: 0x40, Other configuration, Prf (Default Router Preference): Medium`.
fn ra_flags_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let _ = write!(out, "Flags: 0x{v:02x}");
    for (bit, name) in [(0x80, "Managed"), (0x40, "Other configuration"), (0x20, "Home Agent")] {
        if v & bit != 0 {
            out.push_str(", ");
            out.push_str(name);
        }
    }
    out.push_str(", Prf (Default Router Preference): ");
    out.push_str(prf_name((v >> 3) & 3).unwrap_or("Unknown"));
    if v & 0x04 != 0 {
        out.push_str(", Proxy");
    }
}

/// `Flag: 0xc0, On-link flag(L), Autonomous address-configuration flag(A)`: the value, then
/// the name of each flag set.
fn prefix_flag_label(cx: &LabelCx<'_>, out: &mut String) {
    super::label::named_flags(cx, out, 2, &[&ICMPV6_OPT_PREFIX_FLAG_L, &ICMPV6_OPT_PREFIX_FLAG_A, &ICMPV6_OPT_PREFIX_FLAG_R]);
}

/// A lifetime in seconds and, as tshark adds, what an all-ones value (forever) or, for
/// DNS servers and search lists, zero (no longer to be used) means: `Lifetime: 0 (RDNSS
/// address MUST no longer be used)`.
fn lifetime_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    super::push_dec(out, v);
    let def = cx.field.def;
    let note = match v {
        0xffff_ffff => Some("Infinity"),
        0 if std::ptr::eq(def, &ICMPV6_OPT_RDNSS_LIFETIME) => Some("RDNSS address MUST no longer be used"),
        0 if std::ptr::eq(def, &ICMPV6_OPT_DNSSL_LIFETIME) => Some("DNSSL domain name MUST no longer be used"),
        _ => None,
    };
    if let Some(n) = note {
        out.push_str(" (");
        out.push_str(n);
        out.push(')');
    }
}

/// Default router preferences (RFC 4191).
fn prf_name(v: u64) -> Option<&'static str> {
    ["Medium", "High", "Reserved", "Low"].get(v as usize).copied()
}

/// `ICMPv6 Option (Source link-layer address : 48:a1:95:d2:7e:03)`, `ICMPv6 Option (MTU : 1500)`,
/// `ICMPv6 Option (Prefix information : 2001:db8::/64)`.
fn opt_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("ICMPv6 Option");
    let Some(t) = child_of(cx, &ICMPV6_OPT_TYPE).map(uint_of) else { return };
    out.push_str(" (");
    match opt_type_name(t) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "{t}");
        }
    }
    match t {
        1 | 2 => {
            if let Some(a) = child_of(cx, &ICMPV6_OPT_LINKADDR) {
                out.push_str(" : ");
                match a.value {
                    Value::Ether(m) => super::push_ether(out, m),
                    _ => super::format::push_colon_hex(out, cx.d.field_bytes(cx.frame, a)),
                }
            }
        }
        3 => {
            if let (Some(p), Some(l)) = (child_of(cx, &ICMPV6_OPT_PREFIX), child_of(cx, &ICMPV6_OPT_PREFIX_LENGTH))
                && let Value::Ipv6(a) = p.value
            {
                out.push_str(" : ");
                super::push_ipv6(out, a);
                let _ = write!(out, "/{}", uint_of(l));
            }
        }
        5 => {
            if let Some(m) = child_of(cx, &ICMPV6_OPT_MTU) {
                let _ = write!(out, " : {}", uint_of(m));
            }
        }
        7 => {
            if let Some(m) = child_of(cx, &ICMPV6_OPT_ADVERTISEMENT_INTERVAL) {
                let _ = write!(out, " : {}", uint_of(m));
            }
        }
        // Each server address and each domain name, after a space.
        25 | 31 => {
            for f in cx.children() {
                match &f.value {
                    Value::Ipv6(a) if std::ptr::eq(f.def, &ICMPV6_OPT_RDNSS) => {
                        out.push(' ');
                        super::push_ipv6(out, *a);
                    }
                    Value::Str(n) if std::ptr::eq(f.def, &ICMPV6_OPT_DNSSL) => {
                        out.push(' ');
                        out.push_str(n);
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out.push(')');
}

/// `Length: 1 (8 bytes)`: the option's length in units of 8 bytes.
fn opt_length_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let _ = write!(out, "Length: {v} ({} bytes)", v * 8);
}

/// `Multicast Address Record Changed to exclude: ff02::db8:1122:3344`.
fn mar_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Multicast Address Record");
    if let Some(t) = child_of(cx, &ICMPV6_MLDR_MAR_RECORD_TYPE) {
        out.push(' ');
        out.push_str(record_type_name(uint_of(t)).unwrap_or("Unknown"));
    }
    if let Some(a) = child_of(cx, &ICMPV6_MLDR_MAR_MULTICAST_ADDRESS)
        && let Value::Ipv6(a) = a.value
    {
        out.push_str(": ");
        super::push_ipv6(out, a);
    }
}

/// MLDv2 record types (RFC 3810).
fn record_type_name(v: u64) -> Option<&'static str> {
    ["Include", "Exclude", "Changed to include", "Changed to exclude", "Allow new sources", "Block old sources"].get((v as usize).wrapping_sub(1)).copied()
}

/// Neighbour-discovery option types, as Wireshark names them.
fn opt_type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        1 => "Source link-layer address",
        2 => "Target link-layer address",
        3 => "Prefix information",
        4 => "Redirected header",
        5 => "MTU",
        6 => "NBMA Shortcut Limit Option",
        7 => "Advertisement Interval",
        8 => "Home Agent Information",
        9 => "Source Address List",
        10 => "Target Address List",
        11 => "CGA",
        12 => "RSA Signature",
        13 => "Timestamp",
        14 => "Nonce",
        15 => "Trust Anchor",
        16 => "Certificate",
        17 => "IP Address/Prefix Option",
        18 => "New Router Prefix Information",
        19 => "Link-layer Address",
        20 => "Neighbor Advertisement Acknowledgment",
        23 => "MAP",
        24 => "Route Information",
        25 => "Recursive DNS Server",
        26 => "RA Flags Extension",
        27 => "Handover Key Request",
        28 => "Handover Key Reply",
        29 => "Handover Assist Information",
        30 => "Mobile Node Identifier Option",
        31 => "DNS Search List Option",
        32 => "Proxy Signature (PS)",
        33 => "Address Registration Option",
        34 => "6LoWPAN Context Option",
        35 => "Authoritative Border Router",
        36 => "6LoWPAN Capability Indication Option",
        37 => "DHCP Captive-Portal",
        38 => "PREF64 Option",
        138 => "CARD Request",
        139 => "CARD Reply",
        253 => "RFC3692-style Experiment 1",
        254 => "RFC3692-style Experiment 2",
        _ => return None,
    })
}

/// The first source (1) or target (2) link-layer address option that holds an Ethernet
/// address, for the Info column.
fn lla(data: &[u8], mut o: usize, end: usize, kind: u8) -> Option<[u8; 6]> {
    while o + 2 <= end {
        let t = rd::u8(data, o)?;
        let len = rd::u8(data, o + 1)? as usize * 8;
        if len == 0 {
            return None;
        }
        if t == kind && len == 8 {
            return rd::arr::<6>(data, o + 2);
        }
        o += len;
    }
    None
}

/// A domain name in DNS form (labels, each after its length, ending with a zero) at the
/// start of `b`, with the dots between its labels, and how many bytes it takes; `None` when
/// a label runs past `b` or the name does not end in it.
fn search_name(b: &[u8]) -> Option<(String, usize)> {
    let mut name = String::new();
    let mut i = 0;
    loop {
        let n = *b.get(i)? as usize;
        i += 1;
        if n == 0 {
            return Some((name, i));
        }
        let label = b.get(i..i + n)?;
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(&String::from_utf8_lossy(label));
        i += n;
    }
}

/// Neighbour-discovery options from `o` to `end`.
fn nd_options(cx: &mut Ctx, data: &[u8], mut o: usize, end: usize) {
    while o + 2 <= end {
        let (Some(t), Some(l)) = (rd::u8(data, o), rd::u8(data, o + 1)) else { return };
        let len = l as usize * 8;
        if len == 0 || o + len > end || data.len() < o + len {
            cx.add(&ICMPV6_OPT, o, end.min(data.len()).saturating_sub(o), Value::None);
            cx.child(|cx| {
                cx.add(&ICMPV6_OPT_TYPE, o, 1, Value::UInt(t as u64));
                cx.add(&ICMPV6_OPT_LENGTH, o + 1, 1, Value::UInt(l as u64));
            });
            cx.expert(Severity::Error, "icmpv6.invalid.option.length", "Invalid option length (Zero)", None);
            cx.malformed();
            return;
        }
        cx.add(&ICMPV6_OPT, o, len, Value::None);
        cx.child(|cx| {
            cx.add(&ICMPV6_OPT_TYPE, o, 1, Value::UInt(t as u64));
            cx.add(&ICMPV6_OPT_LENGTH, o + 1, 1, Value::UInt(l as u64));
            let v = o + 2;
            match t {
                1 | 2 => {
                    let def = if t == 1 { &ICMPV6_OPT_SRC_LINKADDR } else { &ICMPV6_OPT_TARGET_LINKADDR };
                    // An Ethernet address prints with colons, as tshark's do.
                    let value = match (len, rd::arr::<6>(data, v)) {
                        (8, Some(m)) => Value::Ether(m),
                        _ => Value::Bytes,
                    };
                    let n = if len == 8 { 6 } else { len - 2 };
                    cx.add(&ICMPV6_OPT_LINKADDR, v, n, value.clone());
                    cx.add_hidden(def, v, n, value);
                }
                3 if len == 32 => {
                    let plen = rd::u8(data, v).unwrap_or(0);
                    let fl = rd::u8(data, v + 1).unwrap_or(0);
                    cx.add(&ICMPV6_OPT_PREFIX_LENGTH, v, 1, Value::UInt(plen as u64));
                    cx.add(&ICMPV6_OPT_PREFIX_FLAG, v + 1, 1, Value::UInt(fl as u64));
                    cx.child(|cx| {
                        cx.add(&ICMPV6_OPT_PREFIX_FLAG_L, v + 1, 1, Value::Bool(fl & 0x80 != 0));
                        cx.add(&ICMPV6_OPT_PREFIX_FLAG_A, v + 1, 1, Value::Bool(fl & 0x40 != 0));
                        cx.add(&ICMPV6_OPT_PREFIX_FLAG_R, v + 1, 1, Value::Bool(fl & 0x20 != 0));
                        cx.add(&ICMPV6_OPT_PREFIX_FLAG_RESERVED, v + 1, 1, Value::UInt((fl & 0x1f) as u64));
                    });
                    let vl = rd::u32(data, v + 2).unwrap_or(0);
                    let pl = rd::u32(data, v + 6).unwrap_or(0);
                    cx.add(&ICMPV6_OPT_PREFIX_VALID_LIFETIME, v + 2, 4, Value::UInt(vl as u64));
                    cx.add(&ICMPV6_OPT_PREFIX_PREFERRED_LIFETIME, v + 6, 4, Value::UInt(pl as u64));
                    cx.add(&ICMPV6_OPT_RESERVED, v + 10, 4, Value::None);
                    let p = rd::arr::<16>(data, v + 14).unwrap_or_default();
                    cx.add(&ICMPV6_OPT_PREFIX, v + 14, 16, Value::Ipv6(p));
                }
                5 if len == 8 => {
                    cx.add(&ICMPV6_OPT_RESERVED, v, 2, Value::None);
                    let m = rd::u32(data, v + 2).unwrap_or(0);
                    cx.add(&ICMPV6_OPT_MTU, v + 2, 4, Value::UInt(m as u64));
                }
                // Advertisement interval (RFC 6275): reserved, then milliseconds.
                7 if len == 8 => {
                    cx.add(&ICMPV6_OPT_RESERVED, v, 2, Value::None);
                    let i = rd::u32(data, v + 2).unwrap_or(0);
                    cx.add(&ICMPV6_OPT_ADVERTISEMENT_INTERVAL, v + 2, 4, Value::UInt(i as u64));
                }
                // Home agent information (RFC 6275): reserved, preference, lifetime.
                8 if len == 8 => {
                    cx.add(&ICMPV6_OPT_RESERVED, v, 2, Value::None);
                    let p = rd::u16(data, v + 2).unwrap_or(0);
                    let l = rd::u16(data, v + 4).unwrap_or(0);
                    cx.add(&ICMPV6_OPT_HOME_AGENT_PREFERENCE, v + 2, 2, Value::UInt(p as u64));
                    cx.add(&ICMPV6_OPT_HOME_AGENT_LIFETIME, v + 4, 2, Value::UInt(l as u64));
                }
                // Recursive DNS servers (RFC 8106): reserved, lifetime, then addresses.
                25 if len >= 8 => {
                    cx.add(&ICMPV6_OPT_RESERVED, v, 2, Value::None);
                    let l = rd::u32(data, v + 2).unwrap_or(0);
                    cx.add(&ICMPV6_OPT_RDNSS_LIFETIME, v + 2, 4, Value::UInt(l as u64));
                    let mut a = v + 6;
                    while a + 16 <= o + len {
                        let addr = rd::arr::<16>(data, a).unwrap_or_default();
                        cx.add(&ICMPV6_OPT_RDNSS, a, 16, Value::Ipv6(addr));
                        a += 16;
                    }
                }
                // DNS search list (RFC 8106): reserved, lifetime, then names in DNS form up
                // to zero padding.
                31 if len >= 8 => {
                    cx.add(&ICMPV6_OPT_RESERVED, v, 2, Value::None);
                    let l = rd::u32(data, v + 2).unwrap_or(0);
                    cx.add(&ICMPV6_OPT_DNSSL_LIFETIME, v + 2, 4, Value::UInt(l as u64));
                    let end = o + len;
                    let mut n = v + 6;
                    while n < end {
                        if data.get(n) == Some(&0) {
                            cx.add(&ICMPV6_OPT_PADDING, n, end - n, Value::None);
                            break;
                        }
                        let Some((name, used)) = search_name(data.get(n..end).unwrap_or(&[])) else { break };
                        cx.add(&ICMPV6_OPT_DNSSL, n, used, Value::Str(name.into()));
                        n += used;
                    }
                }
                _ => {}
            }
        });
        o += len;
    }
}

pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize, pseudo: Pseudo) {
    let li = cx.open("icmpv6", "Internet Control Message Protocol v6", Osi::Network, off, end.saturating_sub(off));
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("ICMPv6");
    }
    let (Some(t), Some(code), Some(stored)) = (rd::u8(data, off), rd::u8(data, off + 1), rd::u16(data, off + 2)) else {
        cx.close(li);
        cx.short(data, off, 4);
        return;
    };
    cx.add(&ICMPV6_TYPE, off, 1, Value::UInt(t as u64));
    cx.add(&ICMPV6_CODE, off + 1, 1, Value::UInt(code as u64));
    let ck_at = cx.add(&ICMPV6_CHECKSUM, off + 2, 2, Value::UInt(stored as u64));
    {
        match data.get(off..end) {
            Some(msg) if outer => {
                let ps = pseudo.sum(proto::ICMPV6, msg.len());
                let (good, calc) = checksum::verify(ps, msg, 2);
                cx.add_gen(&ICMPV6_CHECKSUM_STATUS, off + 2, 0, Value::UInt(good as u64));
                if !good {
                    cx.expert(Severity::Error, "icmpv6.checksum_bad", checksum::bad_message(calc), Some(ck_at));
                }
            }
            _ => {
                cx.add_gen(&ICMPV6_CHECKSUM_STATUS, off + 2, 0, Value::UInt(2));
            }
        }
    }
    if outer {
        cx.out.info.clear();
        match type_name(t as u64) {
            Some(n) => cx.out.info.push_str(n),
            None => {
                let _ = write!(cx.out.info, "Unknown ICMPv6 type {t}");
            }
        }
        let at = cx.out.info.len();
        cx.out.info.push_str(" (");
        if push_code_name(t as u64, code as u64, &mut cx.out.info) {
            cx.out.info.push(')');
        } else {
            cx.out.info.truncate(at);
        }
    }
    let b = off + 4;
    let need = |n: usize| data.len() >= b + n && end >= b + n;
    match t {
        1..=4 => {
            if !need(4) {
                cx.close(li);
                cx.short(data, b, 4);
                return;
            }
            match t {
                2 => {
                    let m = rd::u32(data, b).unwrap_or(0);
                    cx.add(&ICMPV6_MTU, b, 4, Value::UInt(m as u64));
                }
                4 => {
                    let p = rd::u32(data, b).unwrap_or(0);
                    cx.add(&ICMPV6_POINTER, b, 4, Value::UInt(p as u64));
                }
                _ => {
                    cx.add(&ICMPV6_RESERVED, b, 4, Value::Bytes);
                }
            }
            cx.close(li);
            if end > b + 4 && outer {
                let quoted = data.get(..end.min(data.len())).unwrap_or(data);
                cx.in_error += 1;
                dispatch::ipv6(cx, quoted, b + 4);
                cx.in_error -= 1;
            }
        }
        128 | 129 => {
            if !need(4) {
                cx.close(li);
                cx.short(data, b, 4);
                return;
            }
            let id = rd::u16(data, b).unwrap_or(0);
            let seq = rd::u16(data, b + 2).unwrap_or(0);
            cx.add(&ICMPV6_ECHO_IDENTIFIER, b, 2, Value::UInt(id as u64));
            cx.add(&ICMPV6_ECHO_SEQUENCE_NUMBER, b + 2, 2, Value::UInt(seq as u64));
            cx.close(li);
            if outer {
                let _ = write!(cx.out.info, " id=0x{id:04x}, seq={seq}, hop limit={}", cx.hop_limit);
                if let Some((src, dst)) = cx.net {
                    cx.out.stateful = true;
                    if t == 128 {
                        cx.echo.request(src, dst, id ^ 0x8000, seq, cx.frame_number, cx.ts);
                    } else if let Some((req, _)) = cx.echo.reply(src, dst, id ^ 0x8000, seq) {
                        let _ = write!(cx.out.info, " (request in {req})");
                    }
                }
            }
            dispatch::data(cx, data, b + 4, end);
        }
        130..=132 => {
            if !need(20) {
                cx.close(li);
                cx.short(data, b, 20);
                return;
            }
            let d = rd::u16(data, b).unwrap_or(0);
            // An MLDv2 query (RFC 3810) is longer and carries a response code.
            let v2 = t == 130 && end.saturating_sub(off) >= 28;
            let def = if v2 { &ICMPV6_MLD_MAXIMUM_RESPONSE_CODE } else { &ICMPV6_MLD_MAXIMUM_RESPONSE_DELAY };
            cx.add(def, b, 2, Value::UInt(d as u64));
            cx.add(&ICMPV6_RESERVED, b + 2, 2, Value::Bytes);
            let a = rd::arr::<16>(data, b + 4).unwrap_or_default();
            cx.add(&ICMPV6_MLD_MULTICAST_ADDRESS, b + 4, 16, Value::Ipv6(a));
            if v2
                && let (Some(fl), Some(qqi), Some(ns)) = (rd::u8(data, b + 20), rd::u8(data, b + 21), rd::u16(data, b + 22))
            {
                cx.add(&ICMPV6_MLD_FLAG, b + 20, 1, Value::UInt(fl as u64));
                cx.child(|cx| {
                    cx.add(&ICMPV6_MLD_FLAG_S, b + 20, 1, Value::Bool(fl & 8 != 0));
                    cx.add(&ICMPV6_MLD_FLAG_QRV, b + 20, 1, Value::UInt((fl & 7) as u64));
                    cx.add(&ICMPV6_MLD_FLAG_RESERVED, b + 20, 1, Value::UInt((fl >> 4) as u64));
                });
                cx.add(&ICMPV6_MLD_QQI, b + 21, 1, Value::UInt(qqi as u64));
                cx.add(&ICMPV6_MLD_NB_SOURCES, b + 22, 2, Value::UInt(ns as u64));
                for i in 0..ns as usize {
                    if let Some(sa) = rd::arr::<16>(data, b + 24 + 16 * i) {
                        cx.add(&ICMPV6_MLD_SOURCE_ADDRESS, b + 24 + 16 * i, 16, Value::Ipv6(sa));
                    }
                }
            }
            cx.close(li);
        }
        143 => {
            if !need(4) {
                cx.close(li);
                cx.short(data, b, 4);
                return;
            }
            cx.add(&ICMPV6_RESERVED, b, 2, Value::Bytes);
            let n = rd::u16(data, b + 2).unwrap_or(0);
            cx.add(&ICMPV6_MLDR_NB_MCAST_RECORDS, b + 2, 2, Value::UInt(n as u64));
            let mut o = b + 4;
            for _ in 0..n {
                let (Some(rt), Some(aux), Some(ns), Some(ma)) = (rd::u8(data, o), rd::u8(data, o + 1), rd::u16(data, o + 2), rd::arr::<16>(data, o + 4)) else {
                    cx.close(li);
                    cx.short(data, o, 20);
                    return;
                };
                let rlen = 20 + ns as usize * 16 + aux as usize * 4;
                cx.add(&ICMPV6_MLDR_MAR, o, rlen, Value::None);
                cx.child(|cx| {
                    cx.add(&ICMPV6_MLDR_MAR_RECORD_TYPE, o, 1, Value::UInt(rt as u64));
                    cx.add(&ICMPV6_MLDR_MAR_AUX_DATA_LEN, o + 1, 1, Value::UInt(aux as u64));
                    cx.add(&ICMPV6_MLDR_MAR_NB_SOURCES, o + 2, 2, Value::UInt(ns as u64));
                    cx.add(&ICMPV6_MLDR_MAR_MULTICAST_ADDRESS, o + 4, 16, Value::Ipv6(ma));
                    for i in 0..ns as usize {
                        let so = o + 20 + i * 16;
                        if let Some(sa) = rd::arr::<16>(data, so) {
                            cx.add(&ICMPV6_MLDR_MAR_SOURCE_ADDRESS, so, 16, Value::Ipv6(sa));
                        }
                    }
                });
                o += rlen;
            }
            cx.close(li);
        }
        133 => {
            if !need(4) {
                cx.close(li);
                cx.short(data, b, 4);
                return;
            }
            cx.add(&ICMPV6_RESERVED, b, 4, Value::Bytes);
            if outer && let Some(m) = lla(data, b + 4, end.min(data.len()), 1) {
                cx.out.info.push_str(" from ");
                super::push_ether(&mut cx.out.info, m);
            }
            nd_options(cx, data, b + 4, end);
            cx.close(li);
        }
        134 => {
            if !need(12) {
                cx.close(li);
                cx.short(data, b, 12);
                return;
            }
            let hl = rd::u8(data, b).unwrap_or(0);
            let fl = rd::u8(data, b + 1).unwrap_or(0);
            cx.add(&ICMPV6_ND_RA_CUR_HOP_LIMIT, b, 1, Value::UInt(hl as u64));
            cx.add(&ICMPV6_ND_RA_FLAG, b + 1, 1, Value::UInt(fl as u64));
            cx.child(|cx| {
                cx.add(&ICMPV6_ND_RA_FLAG_M, b + 1, 1, Value::Bool(fl & 0x80 != 0));
                cx.add(&ICMPV6_ND_RA_FLAG_O, b + 1, 1, Value::Bool(fl & 0x40 != 0));
                cx.add(&ICMPV6_ND_RA_FLAG_H, b + 1, 1, Value::Bool(fl & 0x20 != 0));
                cx.add(&ICMPV6_ND_RA_FLAG_PRF, b + 1, 1, Value::UInt(((fl >> 3) & 3) as u64));
                cx.add(&ICMPV6_ND_RA_FLAG_P, b + 1, 1, Value::Bool(fl & 0x04 != 0));
                cx.add(&ICMPV6_ND_RA_FLAG_RSV, b + 1, 1, Value::UInt((fl & 3) as u64));
            });
            let lt = rd::u16(data, b + 2).unwrap_or(0);
            let rt = rd::u32(data, b + 4).unwrap_or(0);
            let rx = rd::u32(data, b + 8).unwrap_or(0);
            cx.add(&ICMPV6_ND_RA_ROUTER_LIFETIME, b + 2, 2, Value::UInt(lt as u64));
            cx.add(&ICMPV6_ND_RA_REACHABLE_TIME, b + 4, 4, Value::UInt(rt as u64));
            cx.add(&ICMPV6_ND_RA_RETRANS_TIMER, b + 8, 4, Value::UInt(rx as u64));
            if outer && let Some(m) = lla(data, b + 12, end.min(data.len()), 1) {
                cx.out.info.push_str(" from ");
                super::push_ether(&mut cx.out.info, m);
            }
            nd_options(cx, data, b + 12, end);
            cx.close(li);
        }
        135 | 136 => {
            if !need(20) {
                cx.close(li);
                cx.short(data, b, 20);
                return;
            }
            let target = rd::arr::<16>(data, b + 4).unwrap_or_default();
            if t == 135 {
                cx.add(&ICMPV6_RESERVED, b, 4, Value::Bytes);
                cx.add(&ICMPV6_ND_NS_TARGET_ADDRESS, b + 4, 16, Value::Ipv6(target));
            } else {
                let fl = rd::u32(data, b).unwrap_or(0);
                cx.add(&ICMPV6_ND_NA_FLAG, b, 4, Value::UInt(fl as u64));
                cx.child(|cx| {
                    cx.add(&ICMPV6_ND_NA_FLAG_R, b, 4, Value::Bool(fl & 0x8000_0000 != 0));
                    cx.add(&ICMPV6_ND_NA_FLAG_S, b, 4, Value::Bool(fl & 0x4000_0000 != 0));
                    cx.add(&ICMPV6_ND_NA_FLAG_O, b, 4, Value::Bool(fl & 0x2000_0000 != 0));
                    cx.add(&ICMPV6_ND_NA_FLAG_RSV, b, 4, Value::UInt((fl & 0x1fff_ffff) as u64));
                });
                cx.add(&ICMPV6_ND_NA_TARGET_ADDRESS, b + 4, 16, Value::Ipv6(target));
            }
            if outer {
                let info = &mut cx.out.info;
                info.push_str(if t == 135 { " for " } else { " " });
                super::push_ipv6(info, target);
                if t == 136 {
                    let fl = rd::u32(data, b).unwrap_or(0);
                    let names: Vec<&str> = [(0x8000_0000u32, "rtr"), (0x4000_0000, "sol"), (0x2000_0000, "ovr")]
                        .iter()
                        .filter(|(m, _)| fl & m != 0)
                        .map(|(_, n)| *n)
                        .collect();
                    if !names.is_empty() {
                        let _ = write!(info, " ({})", names.join(", "));
                    }
                }
                let (kind, word) = if t == 135 { (1, " from ") } else { (2, " is at ") };
                if let Some(m) = lla(data, b + 20, end.min(data.len()), kind) {
                    info.push_str(word);
                    super::push_ether(info, m);
                }
            }
            nd_options(cx, data, b + 20, end);
            cx.close(li);
        }
        _ => {
            let n = end.min(data.len()).saturating_sub(b);
            if n > 0 {
                cx.add(&ICMPV6_DATA, b, n, Value::Bytes);
            }
            cx.close(li);
        }
    }
}
