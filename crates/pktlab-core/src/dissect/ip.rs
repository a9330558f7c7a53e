//! What IPv4 and IPv6 share: the IP protocol numbers (`ip.proto`, `ipv6.nxt`) and their
//! names, the ECN codepoints, the `ip.version` field both versions add, and the
//! pseudo-header a transport checksum covers. Neutral ground, so that neither IP version nor
//! any transport imports another protocol's file.

use super::checksum;
use super::model::*;

/// IP protocol numbers (IANA "Assigned Internet Protocol Numbers").
pub mod proto {
    pub const HOPOPTS: u8 = 0;
    pub const ICMP: u8 = 1;
    pub const IGMP: u8 = 2;
    pub const IPIP: u8 = 4;
    pub const TCP: u8 = 6;
    pub const UDP: u8 = 17;
    pub const IPV6: u8 = 41;
    pub const ROUTING: u8 = 43;
    pub const FRAGMENT: u8 = 44;
    pub const GRE: u8 = 47;
    pub const ESP: u8 = 50;
    pub const AH: u8 = 51;
    pub const ICMPV6: u8 = 58;
    pub const NONXT: u8 = 59;
    pub const DSTOPTS: u8 = 60;
    pub const OSPF: u8 = 89;
    pub const PIM: u8 = 103;
    pub const SCTP: u8 = 132;
}

pub static IP_VERSION: FieldDef = FieldDef::new("ip.version", "Version", FieldType::U8, Base::Dec).mask(0xf0).block();

/// DSCP names (`ip.dsfield.dscp`, `ipv6.tclass.dscp`), Wireshark's `dscp_vals`.
pub fn dscp_name(v: u64) -> Option<&'static str> {
    DSCP.iter().find(|d| d.0 as u64 == v).map(|d| d.1)
}

/// DSCP short names, for the DS field's summary (`DSCP: CS0`).
pub fn dscp_short(v: u64) -> &'static str {
    DSCP.iter().find(|d| d.0 as u64 == v).map_or("Unknown", |d| d.2)
}

/// ECN short names, for the DS field's summary (`ECN: Not-ECT`).
pub fn ecn_short(v: u64) -> &'static str {
    ["Not-ECT", "ECT(1)", "ECT(0)", "CE"].get(v as usize).copied().unwrap_or("Unknown")
}

const DSCP: [(u8, &str, &str); 22] = [
    (0, "Default", "CS0"),
    (1, "Lower Effort", "LE"),
    (8, "Class Selector 1", "CS1"),
    (10, "Assured Forwarding 11", "AF11"),
    (12, "Assured Forwarding 12", "AF12"),
    (14, "Assured Forwarding 13", "AF13"),
    (16, "Class Selector 2", "CS2"),
    (18, "Assured Forwarding 21", "AF21"),
    (20, "Assured Forwarding 22", "AF22"),
    (22, "Assured Forwarding 23", "AF23"),
    (24, "Class Selector 3", "CS3"),
    (26, "Assured Forwarding 31", "AF31"),
    (28, "Assured Forwarding 32", "AF32"),
    (30, "Assured Forwarding 33", "AF33"),
    (32, "Class Selector 4", "CS4"),
    (34, "Assured Forwarding 41", "AF41"),
    (36, "Assured Forwarding 42", "AF42"),
    (38, "Assured Forwarding 43", "AF43"),
    (40, "Class Selector 5", "CS5"),
    (46, "Expedited Forwarding", "EF PHB"),
    (48, "Class Selector 6", "CS6"),
    (56, "Class Selector 7", "CS7"),
];

/// `Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)` (and IPv6's Traffic Class):
/// the byte in hex, then the short names of its two parts.
pub(crate) fn ds_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    super::push_hex_w(out, v, 2);
    out.push_str(" (DSCP: ");
    out.push_str(dscp_short(v >> 2));
    out.push_str(", ECN: ");
    out.push_str(ecn_short(v & 3));
    out.push(')');
}

/// `Header Length: 20 bytes (5)`: IPv4's and TCP's header length, in bytes and in words.
pub(crate) fn hdr_len_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let mut b = itoa::Buffer::new();
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    out.push_str(b.format(v));
    out.push_str(" bytes (");
    out.push_str(b.format(v >> 2));
    out.push(')');
}

/// The addresses a transport checksum's pseudo-header covers.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Pseudo {
    V4([u8; 4], [u8; 4]),
    V6([u8; 16], [u8; 16]),
}

impl Pseudo {
    pub fn sum(self, proto: u8, len: usize) -> u32 {
        match self {
            Pseudo::V4(s, d) => checksum::pseudo_v4(s, d, proto, len as u32),
            Pseudo::V6(s, d) => checksum::pseudo_v6(s, d, proto, len as u32),
        }
    }
}

/// Protocol names for `ip.proto` / `ipv6.nxt`.
pub fn proto_name(p: u64) -> Option<&'static str> {
    let Ok(p) = u8::try_from(p) else { return None };
    Some(match p {
        proto::HOPOPTS => "IPv6 Hop-by-Hop Option",
        proto::ICMP => "ICMP",
        proto::IGMP => "IGMP",
        proto::IPIP => "IPIP",
        proto::TCP => "TCP",
        proto::UDP => "UDP",
        proto::IPV6 => "IPv6",
        proto::ROUTING => "Routing Header for IPv6",
        proto::FRAGMENT => "Fragment Header for IPv6",
        proto::GRE => "GRE",
        proto::ESP => "ESP",
        proto::AH => "AH",
        proto::ICMPV6 => "ICMPv6",
        proto::NONXT => "No Next Header for IPv6",
        proto::DSTOPTS => "Destination Options for IPv6",
        proto::SCTP => "SCTP",
        _ => return None,
    })
}

/// ECN codepoints (`ip.dsfield.ecn`, `ipv6.tclass.ecn`).
pub fn ecn_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Not ECN-Capable Transport",
        1 => "ECN-Capable Transport codepoint '01'",
        2 => "ECN-Capable Transport codepoint '10'",
        3 => "Congestion Experienced",
        _ => return None,
    })
}
