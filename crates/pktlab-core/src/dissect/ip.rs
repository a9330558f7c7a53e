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

pub static IP_VERSION: FieldDef = FieldDef::new("ip.version", "Version", FieldType::U8, Base::Dec);

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
        proto::NONXT => "IPv6 No Next Header",
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
