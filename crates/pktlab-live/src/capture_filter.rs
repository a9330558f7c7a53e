//! The tcpdump capture-filter subset that people actually type, compiled to a small tree
//! and applied in user space (the AF_PACKET backend cannot load BPF without `unsafe`).
//!
//! Grammar (pcap-filter(7) subset):
//! ```text
//! expr    = and { ("or" | "||") and }
//! and     = not { ("and" | "&&") not }
//! not     = ("not" | "!") not | "(" expr ")" | primitive
//! primitive = [proto] [dir] kind ID | proto
//! proto   = ether | ip | ip6 | arp | tcp | udp | icmp | icmp6
//! dir     = src | dst | src or dst | src and dst
//! kind    = host | net | port | portrange
//! ```
//! As in tcpdump, an ID with no keywords repeats the previous primitive's keywords:
//! `port 7777 or 7778` means `port 7777 or port 7778`, `host a and not b` means
//! `host a and not host b`. A bare ID starting the filter is a `host`.

use super::frame_peek::{ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6, Peek};
use std::fmt;
use std::net::IpAddr;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Proto {
    Ether,
    Ip,
    Ip6,
    Arp,
    Tcp,
    Udp,
    Icmp,
    Icmp6,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
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

#[derive(Clone, Debug)]
enum Node {
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Proto(Proto),
    Host { proto: Option<Proto>, dir: Dir, addr: IpAddr },
    Net { proto: Option<Proto>, dir: Dir, addr: IpAddr, prefix: u8 },
    Ports { proto: Option<Proto>, dir: Dir, lo: u16, hi: u16 },
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
    last: Qualifiers,
    end_column: usize,
}

impl CaptureFilter {
    /// Compiles `text`. An empty or blank filter matches everything.
    pub fn compile(text: &str) -> Result<CaptureFilter, CaptureFilterError> {
        let tokens = tokenize(text);
        let mut p = Parser {
            tokens,
            at: 0,
            last: Qualifiers { proto: None, dir: Dir::SrcOrDst, kind: Kind::Host },
            end_column: text.chars().count() + 1,
        };
        let root = if p.tokens.is_empty() { Node::Proto(Proto::Ether) } else { p.expr()? };
        if let Some(&(col, tok)) = p.tokens.get(p.at) {
            return Err(CaptureFilterError { column: col, message: format!("unexpected \"{tok}\"") });
        }
        Ok(CaptureFilter { text: text.to_string(), root })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether a frame whose headers are `p` passes the filter.
    pub fn matches(&self, p: &Peek) -> bool {
        eval(&self.root, p)
    }
}

impl fmt::Display for CaptureFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
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
        "ether" => Proto::Ether,
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

    fn expr(&mut self) -> Result<Node, CaptureFilterError> {
        let mut left = self.and()?;
        while matches!(self.peek(), Some("or" | "||")) {
            self.at += 1;
            let right = self.and()?;
            left = Node::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, CaptureFilterError> {
        let mut left = self.not()?;
        while matches!(self.peek(), Some("and" | "&&")) {
            self.at += 1;
            let right = self.not()?;
            left = Node::And(Box::new(left), Box::new(right));
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
            Some(_) => self.primitive(),
            None => self.error("filter ends where a primitive (e.g. \"port 7777\") was expected"),
        }
    }

    fn primitive(&mut self) -> Result<Node, CaptureFilterError> {
        let start = self.at;
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
        if proto.is_some() && dir.is_none() && kind.is_none() {
            return Ok(Node::Proto(proto.unwrap_or(Proto::Ether)));
        }
        let q = if proto.is_none() && dir.is_none() && kind.is_none() {
            if start == 0 {
                Qualifiers { proto: None, dir: Dir::SrcOrDst, kind: Kind::Host }
            } else {
                self.last
            }
        } else {
            Qualifiers {
                proto,
                dir: dir.unwrap_or(Dir::SrcOrDst),
                kind: kind.unwrap_or(Kind::Host),
            }
        };
        let Some(id) = self.peek() else {
            return self.error("a host, net or port value is missing here");
        };
        if matches!(id, "and" | "or" | "not" | "(" | ")" | "&&" | "||" | "!") {
            return self.error(format!("expected a value, found \"{id}\""));
        }
        let node = match q.kind {
            Kind::Host => match id.parse::<IpAddr>() {
                Ok(addr) => Node::Host { proto: q.proto, dir: q.dir, addr },
                Err(_) => {
                    return self.error(format!(
                        "\"{id}\" is not an IP address (host names are not resolved) or a keyword"
                    ));
                }
            },
            Kind::Net => {
                let (a, len) = id.split_once('/').unwrap_or((id, ""));
                let Ok(addr) = a.parse::<IpAddr>() else {
                    return self.error(format!("\"{a}\" is not a network address"));
                };
                let max = if addr.is_ipv4() { 32 } else { 128 };
                let prefix = if len.is_empty() { Ok(max) } else { len.parse::<u8>() };
                match prefix {
                    Ok(prefix) if prefix <= max => Node::Net { proto: q.proto, dir: q.dir, addr, prefix },
                    _ => return self.error(format!("\"{len}\" is not a prefix length (0..={max})")),
                }
            }
            Kind::Port => match id.parse::<u16>() {
                Ok(n) => Node::Ports { proto: q.proto, dir: q.dir, lo: n, hi: n },
                Err(_) => return self.error(format!("\"{id}\" is not a port number (0..=65535)")),
            },
            Kind::PortRange => {
                let range = id.split_once('-').and_then(|(a, b)| Some((a.parse::<u16>().ok()?, b.parse::<u16>().ok()?)));
                match range {
                    Some((lo, hi)) if lo <= hi => Node::Ports { proto: q.proto, dir: q.dir, lo, hi },
                    _ => return self.error(format!("\"{id}\" is not a port range like 7000-7999")),
                }
            }
        };
        if let Some(p) = q.proto {
            let fits = match q.kind {
                Kind::Host | Kind::Net => matches!(p, Proto::Ip | Proto::Ip6 | Proto::Ether),
                Kind::Port | Kind::PortRange => matches!(p, Proto::Tcp | Proto::Udp),
            };
            if !fits {
                return Err(CaptureFilterError {
                    column: self.tokens.get(start).map(|t| t.0).unwrap_or(1),
                    message: "this protocol cannot be combined with that kind of value".into(),
                });
            }
        }
        self.at += 1;
        self.last = q;
        Ok(node)
    }
}

fn proto_matches(p: Proto, k: &Peek) -> bool {
    match p {
        Proto::Ether => true,
        Proto::Ip => k.ether_type == Some(ETHERTYPE_IPV4),
        Proto::Ip6 => k.ether_type == Some(ETHERTYPE_IPV6),
        Proto::Arp => k.ether_type == Some(ETHERTYPE_ARP),
        Proto::Tcp => k.ip_proto == Some(6),
        Proto::Udp => k.ip_proto == Some(17),
        Proto::Icmp => k.ip_proto == Some(1) && k.ether_type == Some(ETHERTYPE_IPV4),
        Proto::Icmp6 => k.ip_proto == Some(58),
    }
}

fn dir_matches<T: Copy>(dir: Dir, src: Option<T>, dst: Option<T>, test: impl Fn(T) -> bool) -> bool {
    let s = src.is_some_and(&test);
    let d = dst.is_some_and(&test);
    match dir {
        Dir::SrcOrDst => s || d,
        Dir::SrcAndDst => s && d,
        Dir::Src => s,
        Dir::Dst => d,
    }
}

fn in_net(a: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (a, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix)) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix)) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

fn eval(n: &Node, k: &Peek) -> bool {
    match n {
        Node::Or(a, b) => eval(a, k) || eval(b, k),
        Node::And(a, b) => eval(a, k) && eval(b, k),
        Node::Not(a) => !eval(a, k),
        Node::Proto(p) => proto_matches(*p, k),
        Node::Host { proto, dir, addr } => {
            proto.is_none_or(|p| proto_matches(p, k)) && dir_matches(*dir, k.src, k.dst, |a| a == *addr)
        }
        Node::Net { proto, dir, addr, prefix } => {
            proto.is_none_or(|p| proto_matches(p, k))
                && dir_matches(*dir, k.src, k.dst, |a| in_net(a, *addr, *prefix))
        }
        Node::Ports { proto, dir, lo, hi } => {
            let proto_ok = match proto {
                Some(p) => proto_matches(*p, k),
                None => matches!(k.ip_proto, Some(6 | 17 | 132)),
            };
            proto_ok && dir_matches(*dir, k.src_port, k.dst_port, |p| (*lo..=*hi).contains(&p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn udp(src: &str, sport: u16, dst: &str, dport: u16) -> Peek {
        Peek {
            ether_type: Some(ETHERTYPE_IPV4),
            src: src.parse().ok(),
            dst: dst.parse().ok(),
            ip_proto: Some(17),
            src_port: Some(sport),
            dst_port: Some(dport),
        }
    }

    fn m(filter: &str, p: &Peek) -> bool {
        CaptureFilter::compile(filter).unwrap().matches(p)
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
}
