//! The tcpdump capture-filter subset that people actually type, parsed to a small tree. The
//! tree is compiled to classic BPF for the kernel ([`crate::bpf`]) and, where that is not
//! possible, applied in user space by [`CaptureFilter::matches_frame`]; both give the packets
//! libpcap's compile of the same text gives (`tests/bpf_libpcap.rs` checks it frame by frame).
//!
//! Grammar (pcap-filter(7) subset):
//! ```text
//! expr    = not { ("and" | "&&" | "or" | "||") not }
//! not     = ("not" | "!") not | "(" expr ")" | primitive
//! primitive = [proto] [dir] kind ID | proto | "less" N | "greater" N
//! proto   = ip | ip6 | arp | tcp | udp | icmp | icmp6
//! dir     = src | dst | src or dst | src and dst
//! kind    = host | net | port | portrange      (net A/len or net A mask M)
//! ```
//! As in tcpdump, `and` and `or` bind equally and group from the left: `tcp and port 80 or
//! udp and port 53` is `((tcp and port 80) or udp) and port 53`; `not` binds tightest.
//! As in tcpdump, an ID with no keywords repeats the previous primitive's keywords:
//! `port 7777 or 7778` means `port 7777 or port 7778`, `host a and not b` means
//! `host a and not host b`; after a primitive with no ID (`tcp`, `less 100`) a bare ID is an
//! error, as in tcpdump. Unlike tcpdump, a bare ID may also start the filter (`127.0.0.1`
//! means `host 127.0.0.1`). Host names are not resolved, and there are no MAC addresses.
//!
//! Meaning, as libpcap 1.10 compiles it (pcap-filter(7)): `host A` (IPv4) also matches ARP
//! and RARP sender/target addresses; `tcp`, `udp` and `icmp6` look through one IPv6 fragment
//! header; `port` means TCP, UDP or SCTP, IPv4 first fragments only, IPv6 with the transport
//! header right after the fixed header; VLAN tags are not looked through. A frame too short for
//! a header the filter reads is rejected as a whole, as BPF does.

use crate::capture::linktype;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// A compiled capture filter.
#[derive(Clone, Debug)]
pub struct CaptureFilter {
    text: String,
    root: Node,
}

/// Why a capture filter did not compile: a message and the 1-based column of the token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("capture filter, column {column}: {message}")]
pub struct CaptureFilterError {
    pub column: usize,
    pub message: String,
}

/// A protocol keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Proto {
    Ip,
    Ip6,
    Arp,
    Tcp,
    Udp,
    Icmp,
    Icmp6,
}

impl Proto {
    fn name(self) -> &'static str {
        match self {
            Proto::Ip => "ip",
            Proto::Ip6 => "ip6",
            Proto::Arp => "arp",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
            Proto::Icmp6 => "icmp6",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    SrcOrDst,
    SrcAndDst,
    Src,
    Dst,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Host,
    Net,
    Port,
    PortRange,
}

/// An address and mask, as 32-bit words in network order (one for IPv4, four for IPv6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Net {
    V4 { addr: u32, mask: u32 },
    V6 { addr: [u32; 4], mask: [u32; 4] },
}

/// One primitive: a test on a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Test {
    Proto(Proto),
    /// `host` and `net` (a host is a net with every mask bit set). `proto` is `ip` or `ip6`.
    Addr { proto: Option<Proto>, dir: Dir, net: Net },
    /// `port` and `portrange`. `proto` is `tcp` or `udp`; none means TCP, UDP or SCTP.
    Ports { proto: Option<Proto>, dir: Dir, lo: u16, hi: u16 },
    /// `less N`: wire length ≤ N.
    Less(u32),
    /// `greater N`: wire length ≥ N.
    Greater(u32),
}

#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// The empty filter.
    All,
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Prim(Test),
}

/// Keywords of the last primitive, for IDs given alone.
#[derive(Clone, Copy, Debug)]
struct Qualifiers {
    proto: Option<Proto>,
    dir: Dir,
    kind: Kind,
}

struct Parser<'a> {
    tokens: Vec<(usize, &'a str)>,
    at: usize,
    /// None after a primitive without an ID (`tcp`, `less 100`): a bare ID may not follow.
    last: Option<Qualifiers>,
    end_column: usize,
}

impl CaptureFilter {
    /// Compiles `text`. An empty or blank filter matches everything.
    pub fn compile(text: &str) -> Result<CaptureFilter, CaptureFilterError> {
        let tokens = tokenize(text);
        let mut p = Parser {
            tokens,
            at: 0,
            last: Some(Qualifiers { proto: None, dir: Dir::SrcOrDst, kind: Kind::Host }),
            end_column: text.chars().count() + 1,
        };
        let root = if p.tokens.is_empty() { Node::All } else { p.expr()? };
        if let Some(&(col, tok)) = p.tokens.get(p.at) {
            return Err(CaptureFilterError { column: col, message: format!("unexpected \"{tok}\"") });
        }
        Ok(CaptureFilter { text: text.to_string(), root })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn root(&self) -> &Node {
        &self.root
    }

    /// Whether a frame of link type `link_type` passes the filter: `frame` is what was
    /// captured of it, `wire_len` its length on the wire (for `less` and `greater`).
    /// A frame of a link type pktlab does not know passes only filters that ask nothing of
    /// its headers.
    pub fn matches_frame(&self, link_type: u32, frame: &[u8], wire_len: u32) -> bool {
        let f = Frame { link: Link::of(link_type), data: frame, wire_len };
        eval(&self.root, &f).unwrap_or(false)
    }
}

impl fmt::Display for CaptureFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for Dir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dir::SrcOrDst => "",
            Dir::SrcAndDst => "src and dst ",
            Dir::Src => "src ",
            Dir::Dst => "dst ",
        })
    }
}

/// The primitive spelled out with every keyword (`81` in `port 80 or 81` is `port 81`).
impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proto = |p: &Option<Proto>| p.map(|p| format!("{} ", p.name())).unwrap_or_default();
        match self {
            Test::Proto(p) => f.write_str(p.name()),
            Test::Addr { proto: p, dir, net } => {
                let (addr, bits, full) = match *net {
                    Net::V4 { addr, mask } => (IpAddr::from(Ipv4Addr::from(addr)), mask.count_ones(), mask == u32::MAX),
                    Net::V6 { addr, mask } => {
                        let a = addr.iter().fold(0u128, |acc, w| (acc << 32) | u128::from(*w));
                        let m: u32 = mask.iter().map(|w| w.count_ones()).sum();
                        (IpAddr::from(std::net::Ipv6Addr::from(a)), m, m == 128)
                    }
                };
                if full {
                    write!(f, "{}{dir}host {addr}", proto(p))
                } else if let Net::V4 { mask, .. } = net
                    && mask.leading_ones() != bits
                {
                    write!(f, "{}{dir}net {addr} mask {}", proto(p), Ipv4Addr::from(*mask))
                } else {
                    write!(f, "{}{dir}net {addr}/{bits}", proto(p))
                }
            }
            Test::Ports { proto: p, dir, lo, hi } if lo == hi => write!(f, "{}{dir}port {lo}", proto(p)),
            Test::Ports { proto: p, dir, lo, hi } => write!(f, "{}{dir}portrange {lo}-{hi}", proto(p)),
            Test::Less(n) => write!(f, "less {n}"),
            Test::Greater(n) => write!(f, "greater {n}"),
        }
    }
}

/// Splits on whitespace and around parentheses and `!`; keeps 1-based character columns.
fn tokenize(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut col = 0;
    for (i, c) in text.char_indices() {
        col += 1;
        let single = c == '(' || c == ')' || (c == '!' && !text[i..].starts_with("!="));
        if c.is_whitespace() || single {
            if let Some((s, sc)) = start.take() {
                out.push((sc, &text[s..i]));
            }
            if single {
                out.push((col, &text[i..i + c.len_utf8()]));
            }
        } else if start.is_none() {
            start = Some((i, col));
        }
    }
    if let Some((s, sc)) = start {
        out.push((sc, &text[s..]));
    }
    out
}

fn proto_of(tok: &str) -> Option<Proto> {
    Some(match tok {
        "ip" => Proto::Ip,
        "ip6" => Proto::Ip6,
        "arp" => Proto::Arp,
        "tcp" => Proto::Tcp,
        "udp" => Proto::Udp,
        "icmp" => Proto::Icmp,
        "icmp6" => Proto::Icmp6,
        _ => return None,
    })
}

fn v6_words(a: u128) -> [u32; 4] {
    [(a >> 96) as u32, (a >> 64) as u32, (a >> 32) as u32, a as u32]
}

fn net_of(addr: IpAddr, prefix: u8) -> Net {
    match addr {
        IpAddr::V4(a) => {
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix)) };
            Net::V4 { addr: u32::from(a), mask }
        }
        IpAddr::V6(a) => {
            let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix)) };
            Net::V6 { addr: v6_words(u128::from(a)), mask: v6_words(mask) }
        }
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.tokens.get(self.at).map(|t| t.1)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.at).map(|t| t.0).unwrap_or(self.end_column)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, CaptureFilterError> {
        Err(CaptureFilterError { column: self.column(), message: message.into() })
    }

    /// `and` and `or` at one precedence, left to right (pcap-filter(7)).
    fn expr(&mut self) -> Result<Node, CaptureFilterError> {
        let mut left = self.not()?;
        while let Some(op @ ("and" | "&&" | "or" | "||")) = self.peek() {
            self.at += 1;
            let right = Box::new(self.not()?);
            left = if matches!(op, "and" | "&&") { Node::And(Box::new(left), right) } else { Node::Or(Box::new(left), right) };
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Node, CaptureFilterError> {
        match self.peek() {
            Some("not" | "!") => {
                self.at += 1;
                Ok(Node::Not(Box::new(self.not()?)))
            }
            Some("(") => {
                self.at += 1;
                let inner = self.expr()?;
                if self.peek() != Some(")") {
                    return self.error("missing \")\"");
                }
                self.at += 1;
                Ok(inner)
            }
            Some(_) => Ok(Node::Prim(self.primitive()?)),
            None => self.error("filter ends where a primitive (e.g. \"port 7777\") was expected"),
        }
    }

    /// `less N` / `greater N`.
    fn length(&mut self, word: &str) -> Result<Test, CaptureFilterError> {
        self.at += 1;
        let Some(n) = self.peek().and_then(|t| t.parse::<u32>().ok()) else {
            return self.error(format!("\"{word}\" needs a length in bytes, e.g. \"{word} 100\""));
        };
        self.at += 1;
        self.last = None;
        Ok(if word == "less" { Test::Less(n) } else { Test::Greater(n) })
    }

    fn primitive(&mut self) -> Result<Test, CaptureFilterError> {
        let start = self.at;
        if let Some(word @ ("less" | "greater")) = self.peek() {
            return self.length(word);
        }
        if self.peek() == Some("ether") {
            return self.error(
                "\"ether\" qualifiers take MAC addresses, which pktlab's capture filters do not support \
                 (use host, net, port or a protocol such as ip, ip6, arp)",
            );
        }
        let mut proto = None;
        let mut dir = None;
        let mut kind = None;
        if let Some(p) = self.peek().and_then(proto_of) {
            proto = Some(p);
            self.at += 1;
        }
        match self.peek() {
            Some("src") | Some("dst") => {
                let first = self.peek();
                self.at += 1;
                let combined = match (self.peek(), self.tokens.get(self.at + 1).map(|t| t.1)) {
                    (Some("or"), Some("src" | "dst")) => Some(Dir::SrcOrDst),
                    (Some("and"), Some("src" | "dst")) => Some(Dir::SrcAndDst),
                    _ => None,
                };
                dir = Some(match combined {
                    Some(d) => {
                        self.at += 2;
                        d
                    }
                    None if first == Some("src") => Dir::Src,
                    None => Dir::Dst,
                });
            }
            _ => {}
        }
        match self.peek() {
            Some("host") => kind = Some(Kind::Host),
            Some("net") => kind = Some(Kind::Net),
            Some("port") => kind = Some(Kind::Port),
            Some("portrange") => kind = Some(Kind::PortRange),
            _ => {}
        }
        if kind.is_some() {
            self.at += 1;
        }
        if let (Some(p), None, None) = (proto, dir, kind) {
            self.last = None;
            return Ok(Test::Proto(p));
        }
        let q = if proto.is_none() && dir.is_none() && kind.is_none() {
            match self.last {
                Some(q) => q,
                None => {
                    return self.error(
                        "a value alone repeats the previous primitive's keywords, and that one has none \
                         (write them out, e.g. \"port 7777\")",
                    );
                }
            }
        } else {
            Qualifiers { proto, dir: dir.unwrap_or(Dir::SrcOrDst), kind: kind.unwrap_or(Kind::Host) }
        };
        let Some(id) = self.peek() else {
            return self.error("a host, net or port value is missing here");
        };
        if matches!(id, "and" | "or" | "not" | "(" | ")" | "&&" | "||" | "!") {
            return self.error(format!("expected a value, found \"{id}\""));
        }
        if let Some(p) = q.proto {
            let fits = match q.kind {
                Kind::Host | Kind::Net => matches!(p, Proto::Ip | Proto::Ip6),
                Kind::Port | Kind::PortRange => matches!(p, Proto::Tcp | Proto::Udp),
            };
            if !fits {
                return Err(CaptureFilterError {
                    column: self.tokens.get(start).map(|t| t.0).unwrap_or(1),
                    message: "this protocol cannot be combined with that kind of value".into(),
                });
            }
        }
        let test = match q.kind {
            Kind::Host => match id.parse::<IpAddr>() {
                Ok(addr) => {
                    let max = if addr.is_ipv4() { 32 } else { 128 };
                    Test::Addr { proto: q.proto, dir: q.dir, net: net_of(addr, max) }
                }
                Err(_) => {
                    return self.error(format!(
                        "\"{id}\" is not an IP address (host names are not resolved) or a keyword"
                    ));
                }
            },
            Kind::Net => self.net(id, q)?,
            Kind::Port => match id.parse::<u16>() {
                Ok(n) => Test::Ports { proto: q.proto, dir: q.dir, lo: n, hi: n },
                Err(_) => return self.error(format!("\"{id}\" is not a port number (0..=65535)")),
            },
            Kind::PortRange => {
                let range = id.split_once('-').and_then(|(a, b)| Some((a.parse::<u16>().ok()?, b.parse::<u16>().ok()?)));
                match range {
                    Some((lo, hi)) if lo <= hi => Test::Ports { proto: q.proto, dir: q.dir, lo, hi },
                    _ => return self.error(format!("\"{id}\" is not a port range like 7000-7999")),
                }
            }
        };
        if let Test::Addr { proto: Some(p), net, .. } = &test {
            let v6 = matches!(net, Net::V6 { .. });
            if (*p == Proto::Ip && v6) || (*p == Proto::Ip6 && !v6) {
                return self.error(format!(
                    "\"{}\" cannot be combined with an IPv{} address",
                    p.name(),
                    if v6 { 6 } else { 4 }
                ));
            }
        }
        self.at += 1;
        self.last = Some(q);
        Ok(test)
    }

    /// `net A/len`, `net A` (every bit) or `net A mask M` (IPv4); the value is at the cursor.
    fn net(&mut self, id: &str, q: Qualifiers) -> Result<Test, CaptureFilterError> {
        let id_column = self.column();
        let (a, len) = id.split_once('/').unwrap_or((id, ""));
        let Ok(addr) = a.parse::<IpAddr>() else {
            return self.error(format!("\"{a}\" is not a network address"));
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let net = if len.is_empty() && self.tokens.get(self.at + 1).map(|t| t.1) == Some("mask") {
            let Some(&(col, m)) = self.tokens.get(self.at + 2) else {
                self.at += 2;
                return self.error("\"mask\" needs a netmask like 255.255.0.0");
            };
            let IpAddr::V4(a4) = addr else {
                return Err(CaptureFilterError { column: col, message: "\"mask\" is for IPv4 networks; write A/len".into() });
            };
            let Ok(mask) = m.parse::<Ipv4Addr>() else {
                return Err(CaptureFilterError { column: col, message: format!("\"{m}\" is not a netmask like 255.255.0.0") });
            };
            self.at += 2;
            Net::V4 { addr: u32::from(a4), mask: u32::from(mask) }
        } else {
            match if len.is_empty() { Ok(max) } else { len.parse::<u8>() } {
                Ok(prefix) if prefix <= max => net_of(addr, prefix),
                _ => return self.error(format!("\"{len}\" is not a prefix length (0..={max})")),
            }
        };
        let host_bits = match net {
            Net::V4 { addr, mask } => addr & !mask != 0,
            Net::V6 { addr, mask } => addr.iter().zip(mask).any(|(a, m)| a & !m != 0),
        };
        if host_bits {
            return Err(CaptureFilterError {
                column: id_column,
                message: format!("non-network bits set in \"{id}\" (as in tcpdump, give the network's address)"),
            });
        }
        Ok(Test::Addr { proto: q.proto, dir: q.dir, net })
    }
}

/// A network-layer protocol a filter can ask about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NetProto {
    V4,
    V6,
    Arp,
    Rarp,
}

impl NetProto {
    pub(crate) fn ethertype(self) -> u32 {
        match self {
            NetProto::V4 => 0x0800,
            NetProto::V6 => 0x86DD,
            NetProto::Arp => 0x0806,
            NetProto::Rarp => 0x8035,
        }
    }
}

/// How a link type tells which network protocol a frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LinkKind {
    /// A 16-bit EtherType at this offset (Ethernet 12, Linux cooked 14, cooked v2 0).
    EtherType(u32),
    /// Bare IP: the version nibble of the first byte (IPv4 or IPv6, never ARP).
    IpVersion,
    /// Always this protocol (LINKTYPE_IPV4, LINKTYPE_IPV6).
    Only(NetProto),
    /// A 4-byte address family in the sender's byte order (BSD loopback); user space only.
    NullFamily,
    /// A link type pktlab does not know: it carries nothing a filter can name.
    Unknown,
}

/// A link layer as filters see it: the protocol test, and where the network header starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    pub kind: LinkKind,
    /// Offset of the network-layer header.
    pub nl: u32,
}

impl Link {
    pub(crate) fn of(link_type: u32) -> Link {
        let (kind, nl) = match link_type {
            linktype::ETHERNET => (LinkKind::EtherType(12), 14),
            linktype::LINUX_SLL => (LinkKind::EtherType(14), 16),
            linktype::LINUX_SLL2 => (LinkKind::EtherType(0), 20),
            linktype::RAW => (LinkKind::IpVersion, 0),
            linktype::IPV4 => (LinkKind::Only(NetProto::V4), 0),
            linktype::IPV6 => (LinkKind::Only(NetProto::V6), 0),
            linktype::NULL | linktype::LOOP => (LinkKind::NullFamily, 4),
            _ => (LinkKind::Unknown, 0),
        };
        Link { kind, nl }
    }
}

/// The IP protocol number of a transport keyword.
pub(crate) fn ip_number(p: Proto) -> u32 {
    match p {
        Proto::Tcp => 6,
        Proto::Udp => 17,
        Proto::Icmp => 1,
        Proto::Icmp6 => 58,
        Proto::Ip | Proto::Ip6 | Proto::Arp => 0,
    }
}

/// IP protocols `port` means: the keyword's, or TCP, UDP and SCTP.
pub(crate) fn port_protos(proto: Option<Proto>) -> &'static [u32] {
    match proto {
        Some(Proto::Tcp) => &[6],
        Some(Proto::Udp) => &[17],
        _ => &[132, 6, 17],
    }
}

/// IPv6 fragment header (next-header value).
pub(crate) const IPV6_FRAGMENT: u32 = 44;
/// Fragment-offset bits of the IPv4 flags/offset word.
pub(crate) const IPV4_FRAG_OFFSET: u32 = 0x1FFF;

/// A load past the end of the captured bytes: the whole filter rejects the frame, as BPF does.
struct Short;

type R = Result<bool, Short>;

struct Frame<'a> {
    link: Link,
    data: &'a [u8],
    wire_len: u32,
}

impl Frame<'_> {
    fn bytes<const N: usize>(&self, at: u32) -> Result<[u8; N], Short> {
        let at = at as usize;
        self.data.get(at..at + N).and_then(|s| s.try_into().ok()).ok_or(Short)
    }

    fn b(&self, at: u32) -> Result<u32, Short> {
        Ok(u32::from(self.bytes::<1>(at)?[0]))
    }

    fn h(&self, at: u32) -> Result<u32, Short> {
        Ok(u32::from(u16::from_be_bytes(self.bytes(at)?)))
    }

    fn w(&self, at: u32) -> Result<u32, Short> {
        Ok(u32::from_be_bytes(self.bytes(at)?))
    }

    fn is(&self, p: NetProto) -> R {
        Ok(match self.link.kind {
            LinkKind::EtherType(at) => self.h(at)? == p.ethertype(),
            LinkKind::IpVersion => match p {
                NetProto::V4 => self.b(0)? & 0xF0 == 0x40,
                NetProto::V6 => self.b(0)? & 0xF0 == 0x60,
                NetProto::Arp | NetProto::Rarp => false,
            },
            LinkKind::Only(q) => p == q,
            LinkKind::NullFamily => {
                let b: [u8; 4] = self.bytes(0)?;
                let le = u32::from_le_bytes(b);
                let family = if le < 256 { le } else { u32::from_be_bytes(b) };
                match p {
                    NetProto::V4 => family == 2,
                    NetProto::V6 => matches!(family, 10 | 24 | 28 | 30),
                    NetProto::Arp | NetProto::Rarp => false,
                }
            }
            LinkKind::Unknown => false,
        })
    }

    /// IPv4 with this protocol number.
    fn ipv4_next(&self, n: u32) -> R {
        Ok(self.is(NetProto::V4)? && self.b(self.link.nl + 9)? == n)
    }

    /// IPv6 with this next header, directly or after one fragment header.
    fn ipv6_next(&self, n: u32) -> R {
        let nl = self.link.nl;
        Ok(self.is(NetProto::V6)? && {
            let next = self.b(nl + 6)?;
            next == n || (next == IPV6_FRAGMENT && self.b(nl + 40)? == n)
        })
    }

    /// The masked address words at `at` equal `addr` (words with an empty mask are not read).
    fn addr_at(&self, at: u32, addr: &[u32], mask: &[u32]) -> R {
        for (i, (a, m)) in addr.iter().zip(mask).enumerate() {
            if *m != 0 && self.w(at + 4 * i as u32)? & m != *a {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

fn by_dir(dir: Dir, src: impl Fn() -> R, dst: impl Fn() -> R) -> R {
    match dir {
        Dir::Src => src(),
        Dir::Dst => dst(),
        Dir::SrcOrDst => Ok(src()? || dst()?),
        Dir::SrcAndDst => Ok(src()? && dst()?),
    }
}

fn eval(n: &Node, f: &Frame) -> R {
    match n {
        Node::All => Ok(true),
        Node::Or(a, b) => Ok(eval(a, f)? || eval(b, f)?),
        Node::And(a, b) => Ok(eval(a, f)? && eval(b, f)?),
        Node::Not(a) => Ok(!eval(a, f)?),
        Node::Prim(t) => test(t, f),
    }
}

fn test(t: &Test, f: &Frame) -> R {
    let nl = f.link.nl;
    match *t {
        Test::Proto(Proto::Ip) => f.is(NetProto::V4),
        Test::Proto(Proto::Ip6) => f.is(NetProto::V6),
        Test::Proto(Proto::Arp) => f.is(NetProto::Arp),
        Test::Proto(Proto::Icmp) => f.ipv4_next(1),
        Test::Proto(Proto::Icmp6) => f.ipv6_next(58),
        Test::Proto(p) => Ok(f.ipv4_next(ip_number(p))? || f.ipv6_next(ip_number(p))?),
        Test::Addr { proto, dir, net: Net::V4 { addr, mask } } => {
            // IPv4 source/destination, then ARP and RARP sender/target protocol addresses.
            let all = [(NetProto::V4, 12, 16), (NetProto::Arp, 14, 24), (NetProto::Rarp, 14, 24)];
            let families = if proto == Some(Proto::Ip) { &all[..1] } else { &all[..] };
            for &(p, src, dst) in families {
                let addr_at = |at: u32| f.addr_at(nl + at, &[addr], &[mask]);
                if f.is(p)? && by_dir(dir, || addr_at(src), || addr_at(dst))? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Test::Addr { dir, net: Net::V6 { addr, mask }, .. } => {
            Ok(f.is(NetProto::V6)? && by_dir(dir, || f.addr_at(nl + 8, &addr, &mask), || f.addr_at(nl + 24, &addr, &mask))?)
        }
        Test::Ports { proto, dir, lo, hi } => {
            let protos = port_protos(proto);
            let port_at = |at: u32| -> R {
                let v = f.h(at)?;
                Ok(u32::from(lo) <= v && v <= u32::from(hi))
            };
            // IPv6: the transport header right after the fixed header.
            if f.is(NetProto::V6)?
                && protos.contains(&f.b(nl + 6)?)
                && by_dir(dir, || port_at(nl + 40), || port_at(nl + 42))?
            {
                return Ok(true);
            }
            // IPv4: first fragments only, after the header length the IHL says.
            Ok(f.is(NetProto::V4)?
                && protos.contains(&f.b(nl + 9)?)
                && f.h(nl + 6)? & IPV4_FRAG_OFFSET == 0
                && {
                    let x = 4 * (f.b(nl)? & 0x0F);
                    by_dir(dir, || port_at(nl + x), || port_at(nl + x + 2))?
                })
        }
        Test::Less(n) => Ok(f.wire_len <= n),
        Test::Greater(n) => Ok(f.wire_len >= n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Ethernet + IPv4 + UDP frame as Linux puts it on `lo` (zero MACs), 8 payload bytes.
    fn udp(src: &str, sport: u16, dst: &str, dport: u16) -> Vec<u8> {
        let (s, d): (Ipv4Addr, Ipv4Addr) = (src.parse().unwrap(), dst.parse().unwrap());
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0, 0, 36, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0]);
        f.extend_from_slice(&s.octets());
        f.extend_from_slice(&d.octets());
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&[0, 16, 0, 0]);
        f.extend_from_slice(&[0; 8]);
        f
    }

    fn m(filter: &str, frame: &[u8]) -> bool {
        CaptureFilter::compile(filter).unwrap().matches_frame(linktype::ETHERNET, frame, frame.len() as u32)
    }

    #[test]
    fn primitives() {
        let p = udp("127.0.0.1", 50000, "127.0.0.2", 7778);
        assert!(m("", &p));
        assert!(m("udp", &p));
        assert!(!m("tcp", &p));
        assert!(m("port 7778", &p));
        assert!(m("udp dst port 7778", &p));
        assert!(!m("src port 7778", &p));
        assert!(!m("tcp port 7778", &p));
        assert!(m("host 127.0.0.2", &p));
        assert!(m("src host 127.0.0.1", &p));
        assert!(!m("dst host 127.0.0.1", &p));
        assert!(m("net 127.0.0.0/8", &p));
        assert!(m("portrange 7000-7999", &p));
        assert!(m("ip", &p));
        assert!(!m("ip6", &p));
        assert!(m("src or dst port 50000", &p));
        assert!(!m("src and dst port 50000", &p));
    }

    #[test]
    fn boolean_operators_and_implied_keywords() {
        let p = udp("127.0.0.1", 50000, "127.0.0.2", 7778);
        assert!(m("port 7777 or 7778", &p));
        assert!(!m("port 7777 or 7779", &p));
        assert!(m("udp and not port 22", &p));
        assert!(m("!(tcp or arp)", &p));
        assert!(m("tcp or (udp && dst port 7778)", &p));
        assert!(!m("host 127.0.0.1 and not 127.0.0.2", &p));
        assert!(m("127.0.0.1", &p));
        // As tcpdump: `and` does not bind tighter than `or`.
        assert!(!m("udp or tcp and port 22", &p));
        assert!(m("tcp and port 22 or udp", &p));
    }

    #[test]
    fn errors_name_the_column() {
        let e = CaptureFilter::compile("port 7777 or").unwrap_err();
        assert_eq!(e.column, 13);
        let e = CaptureFilter::compile("port 99999").unwrap_err();
        assert_eq!(e.column, 6);
        assert!(e.message.contains("not a port"));
        let e = CaptureFilter::compile("host example.com").unwrap_err();
        assert!(e.message.contains("not resolved"), "{e}");
        let e = CaptureFilter::compile("(udp").unwrap_err();
        assert!(e.message.contains("missing"));
        let e = CaptureFilter::compile("udp host 1.2.3.4").unwrap_err();
        assert_eq!(e.column, 1);
        assert!(CaptureFilter::compile("port 1 2").is_err());
    }

    /// What tcpdump refuses, pktlab refuses too (it would have no libpcap meaning to match).
    #[test]
    fn refuses_what_tcpdump_refuses() {
        for (filter, column, words) in [
            ("ether", 1, "MAC"),
            ("ether host 1.2.3.4", 1, "MAC"),
            ("ip host ::1", 9, "IPv6"),
            ("ip6 net 10.0.0.0/8", 9, "IPv4"),
            ("net 10.0.0.1/8", 5, "non-network bits"),
            ("net 10.0.0.1 mask 255.0.0.0", 5, "non-network bits"),
            ("net ::1 mask ffff::", 14, "IPv4 networks"),
            ("port 80 or tcp or 81", 19, "has none"),
            ("less 100 or 200", 13, "has none"),
            ("less", 5, "length"),
        ] {
            let e = CaptureFilter::compile(filter).unwrap_err();
            assert_eq!(e.column, column, "{filter}: {e}");
            assert!(e.message.contains(words), "{filter}: {e}");
        }
    }

    #[test]
    fn libpcap_meanings() {
        let p = udp("127.0.0.1", 50000, "127.0.0.2", 7778);
        // less/greater read the wire length, not what was captured.
        let f = CaptureFilter::compile("less 60").unwrap();
        assert!(f.matches_frame(linktype::ETHERNET, &p, 50));
        assert!(!f.matches_frame(linktype::ETHERNET, &p[..20], 61));
        assert!(m("greater 50", &p));
        assert!(m("net 127.0.0.0 mask 255.0.0.0", &p) && !m("net 127.0.0.0 mask 255.0.0.255", &p));
        // A host also matches ARP sender and target addresses.
        let mut arp = vec![0xFF; 6];
        arp.extend_from_slice(&[2, 0, 0, 0, 0, 1, 0x08, 0x06]);
        arp.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);
        assert!(m("host 10.0.0.1", &arp) && m("dst host 10.0.0.2", &arp) && m("net 10.0.0.0/24", &arp));
        assert!(!m("ip host 10.0.0.1", &arp) && !m("src host 10.0.0.2", &arp));
        // A VLAN tag is not looked through.
        let mut tagged = p[..12].to_vec();
        tagged.extend_from_slice(&[0x81, 0, 0, 5]);
        tagged.extend_from_slice(&p[12..]);
        assert!(!m("udp", &tagged) && !m("host 127.0.0.1", &tagged));
        // Later IPv4 fragments have no ports; a frame cut inside the header the filter reads is
        // rejected as a whole, even under "not".
        let mut frag = p.clone();
        frag[14 + 7] = 0x10;
        assert!(m("udp", &frag) && !m("port 7778", &frag));
        assert!(!m("not port 7778", &p[..36]) && m("not port 7778", &frag));
    }

    #[test]
    fn primitives_print_with_every_keyword() {
        let f = CaptureFilter::compile("tcp port 80 or 81 or src net 10.0.0.0 mask 255.0.255.0 or 10.1.0.0 or ip6 dst net 2001:db8::/32").unwrap();
        let mut out = Vec::new();
        fn walk(n: &Node, out: &mut Vec<String>) {
            match n {
                Node::Or(a, b) | Node::And(a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
                Node::Not(a) => walk(a, out),
                Node::Prim(t) => out.push(t.to_string()),
                Node::All => {}
            }
        }
        walk(f.root(), &mut out);
        assert_eq!(
            out,
            ["tcp port 80", "tcp port 81", "src net 10.0.0.0 mask 255.0.255.0", "src host 10.1.0.0", "ip6 dst net 2001:db8::/32"]
        );
    }
}
