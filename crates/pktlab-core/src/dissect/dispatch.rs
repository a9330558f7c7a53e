//! Which dissector reads the next header: the one place that maps a link type, an EtherType,
//! an IP protocol number or a TCP/UDP port to a protocol's `dissect` function, and says
//! which byte-stream protocol a TCP connection speaks.
//!
//! Protocol files import only the context ([`Ctx`], `rd`, the `push_*` writers), the model,
//! [`super::checksum`], [`super::ip`], the reassembly infrastructure ([`super::reassembly`]
//! for IP, [`super::tcp_pdu`] for TCP streams) and this module; they never call each other.
//! When a header is done it hands its payload here (`dispatch::ethertype`,
//! `dispatch::ip_payload`, `dispatch::udp_payload`, `dispatch::tcp_segment`, ...), and this
//! module picks the next dissector.
//!
//! # Adding a protocol
//!
//! 1. Write `dissect/NAME.rs` with its `FieldDef`s (named as `tshark -G fields` names them), a
//!    `pub static FIELDS: &[&FieldDef]`, and a `dissect` function with the signature of the
//!    table it joins, e.g. for a UDP or TCP port:
//!    `pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) -> bool`
//!    (return `false` when the bytes are not this protocol, so the next candidate or `data`
//!    gets them). Open its layer with [`Ctx::open`] and nest subtrees with [`Ctx::child`].
//! 2. Declare it in `dissect/mod.rs` (`pub mod NAME;`, and `NAME::FIELDS` in `fields()`).
//! 3. Add one line to the table here: a port in [`UDP_PORTS`] / [`TCP_PORTS`] (with its
//!    number in [`port`]), an arm in [`ip_payload`] for an IP protocol, or in [`ethertype`]
//!    for an EtherType. A byte-stream protocol over TCP whose PDUs span segments is a row
//!    of [`TCP_APPS`] instead: its ports and heuristics, its framing (`pdu_len`) and its
//!    `dissect`, which then gets each PDU whole.

use super::ip::{Pseudo, proto};
use super::tcp_pdu::{self, Segment, TcpApp};
use super::{Ctx, Flow, arp, data as raw_data, dhcp, dns, eth, gre, http, icmp, icmpv6, igmp, ipv4, ipv6, null, quic, sll, tcp, teredo, tls, udp, vlan, vxlan, websocket};

/// LINKTYPE_* values of pcap and pcapng link-layer headers: the capture reader's names.
pub use crate::capture::linktype as link;

/// EtherTypes (IEEE 802 numbers) pktlab dissects or names.
pub mod ethertype {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    pub const RARP: u16 = 0x8035;
    pub const VLAN: u16 = 0x8100;
    pub const IPV6: u16 = 0x86dd;
    pub const PPP: u16 = 0x880b;
    pub const PPPOE_DISCOVERY: u16 = 0x8863;
    pub const PPPOE_SESSION: u16 = 0x8864;
    pub const MPLS: u16 = 0x8847;
    pub const EAPOL: u16 = 0x888e;
    pub const QINQ: u16 = 0x88a8;
    pub const LLDP: u16 = 0x88cc;
    pub const MACSEC: u16 = 0x88e5;
    pub const VLAN_9100: u16 = 0x9100;
    /// Transparent Ethernet bridging (an Ethernet frame inside GRE).
    pub const TEB: u16 = 0x6558;
    /// Values below this are a length (802.3) or a Linux `ltype`, not an EtherType.
    pub const MIN: u16 = 0x0600;

    /// Names of EtherTypes, as tshark shows them (`Type: IPv4 (0x0800)`).
    pub fn name(t: u64) -> Option<&'static str> {
        let Ok(t) = u16::try_from(t) else { return None };
        Some(match t {
            IPV4 => "IPv4",
            ARP => "ARP",
            IPV6 => "IPv6",
            VLAN => "802.1Q Virtual LAN",
            QINQ => "802.1ad Provider Bridge (Q-in-Q)",
            VLAN_9100 => "VLAN tagged frame",
            PPP => "PPP",
            PPPOE_DISCOVERY => "PPPoE Discovery",
            PPPOE_SESSION => "PPPoE Session",
            MPLS => "MPLS label switched packet",
            LLDP => "802.1 Link Layer Discovery Protocol (LLDP)",
            EAPOL => "802.1X Authentication",
            MACSEC => "802.1AE (MACsec)",
            RARP => "RARP",
            _ => return None,
        })
    }
}

/// Well-known TCP and UDP ports of the protocols in the port tables.
pub mod port {
    pub const DNS: u16 = 53;
    pub const MDNS: u16 = 5353;
    pub const TEREDO: u16 = 3544;
    pub const VXLAN: u16 = 4789;
    pub const DHCP_SERVER: u16 = 67;
    pub const DHCP_CLIENT: u16 = 68;
    pub const SSDP: u16 = 1900;
}

/// BSD address families (`null.family`) that carry IP.
pub mod family {
    pub const INET: u32 = 2;
    /// AF_INET6 on Linux (10), the BSDs (24, 28, 30), Windows (23) and others (26).
    pub const INET6: [u32; 6] = [10, 23, 24, 26, 28, 30];
}

/// A dissector of a TCP or UDP payload: `data[off..end]`; false if the bytes are not its
/// protocol (they then go to the next candidate).
pub(crate) type PortDissector = fn(&mut Ctx, &[u8], usize, usize) -> bool;

/// UDP payloads by port (either side), tried in order.
pub(crate) static UDP_PORTS: &[(&[u16], PortDissector)] = &[
    (&[port::DNS, port::MDNS], |cx, d, o, e| dns::dissect(cx, d, o, e, false)),
    (&[port::DHCP_SERVER, port::DHCP_CLIENT], |cx, d, o, e| cx.app_wanted() && dhcp::dissect(cx, d, o, e)),
    (&[port::SSDP], |cx, d, o, e| cx.app_wanted() && http::dissect_ssdp(cx, d, o, e)),
    (&[port::VXLAN], vxlan::dissect),
    (&[port::TEREDO], teredo::dissect),
];

/// TCP payloads by port (either side), tried in order.
pub(crate) static TCP_PORTS: &[(&[u16], PortDissector)] = &[(&[port::DNS], |cx, d, o, e| dns::dissect(cx, d, o, e, true))];

/// The byte-stream protocols over TCP whose PDUs [`tcp_pdu`] reassembles across segments.
/// A connection speaks the first whose port either side uses and whose look its first
/// payload has (everything on HTTP's ports is HTTP's, as tshark hands it all to HTTP), else
/// the first whose heuristic takes it; WebSocket only follows HTTP's `101 Switching Protocols`.
pub(crate) static TCP_APPS: &[TcpApp] = &[
    TcpApp { name: "tls", ports: tls::PORTS, on_port: tls::looks_like, owns_ports: false, claims_rest: false, heuristic: Some(tls::looks_like_hello), pdu_len: |b, _| tls::pdu_len(b), pdu_state: Some(tls::pdu_state), after_pdu: Some(tls::after_pdu), dissect: tls::dissect, pdu_size: None, awaited: Some(tls::record_awaited) },
    TcpApp { name: "http", ports: http::PORTS, on_port: |_| true, owns_ports: true, claims_rest: true, heuristic: Some(http::looks_like), pdu_len: http::pdu_len, pdu_state: Some(http::pdu_state), after_pdu: Some(http::after_pdu), dissect: http::dissect, pdu_size: None, awaited: Some(http::message_awaited) },
    TcpApp { name: "websocket", ports: &[], on_port: |_| false, owns_ports: false, claims_rest: false, heuristic: None, pdu_len: |b, _| websocket::pdu_len(b), pdu_state: None, after_pdu: None, dissect: websocket::dissect, pdu_size: Some(websocket::pdu_size), awaited: None },
];

/// The link layer the capture's link type names (`None`: unknown, the bytes are data).
pub(crate) fn link(cx: &mut Ctx, link_type: Option<u32>, data: &[u8]) {
    match link_type {
        Some(link::ETHERNET) => eth::dissect(cx, data, 0),
        Some(link::NULL) => null::dissect(cx, data, false),
        Some(link::LOOP) => null::dissect(cx, data, true),
        Some(link::RAW) => {
            cx.add_proto("raw");
            ip_by_version(cx, data);
        }
        Some(link::IPV4) => ip_by_version(cx, data),
        Some(link::IPV6) => {
            ipv6::dissect(cx, data, 0);
        }
        Some(link::LINUX_SLL) => sll::dissect_v1(cx, data),
        Some(link::LINUX_SLL2) => sll::dissect_v2(cx, data),
        _ => {
            raw_data::dissect(cx, data, 0, data.len());
        }
    }
}

/// Raw IP: the version nibble says IPv4 or IPv6.
fn ip_by_version(cx: &mut Ctx, data: &[u8]) {
    match data.first().map(|b| b >> 4) {
        Some(4) => ipv4::dissect(cx, data, 0),
        Some(6) => ipv6::dissect(cx, data, 0),
        _ => raw_data::dissect(cx, data, 0, data.len()),
    };
}

/// Hands a payload to the protocol an EtherType names (Ethernet, VLAN, SLL), listing
/// `ethertype` in `frame.protocols` as tshark does. Returns the offset where the payload's
/// protocol says it ends (its total length), for trailer detection.
pub(crate) fn ethertype(cx: &mut Ctx, data: &[u8], off: usize, etype: u16) -> usize {
    cx.add_proto("ethertype");
    match etype {
        ethertype::IPV4 => ipv4::dissect(cx, data, off),
        ethertype::IPV6 => ipv6::dissect(cx, data, off),
        ethertype::ARP => arp::dissect(cx, data, off),
        ethertype::VLAN | ethertype::QINQ | ethertype::VLAN_9100 => vlan::dissect(cx, data, off),
        _ => raw_data::dissect(cx, data, off, data.len()),
    }
}

/// A GRE payload by its protocol type (an EtherType; not listed as `ethertype`). `inner`
/// ends where the GRE packet does; unknown payloads are data up to `end`.
pub(crate) fn gre_payload(cx: &mut Ctx, data: &[u8], inner: &[u8], off: usize, end: usize, ptype: u16) {
    match ptype {
        ethertype::IPV4 => {
            ipv4::dissect(cx, inner, off);
        }
        ethertype::IPV6 => {
            ipv6::dissect(cx, inner, off);
        }
        ethertype::TEB => eth::dissect(cx, inner, off),
        _ => {
            raw_data::dissect(cx, data, off, end);
        }
    }
}

/// A BSD loopback payload by its address family.
pub(crate) fn bsd_family(cx: &mut Ctx, data: &[u8], off: usize, af: u32) {
    match af {
        family::INET => {
            ipv4::dissect(cx, data, off);
        }
        f if family::INET6.contains(&f) => {
            ipv6::dissect(cx, data, off);
        }
        _ => {
            raw_data::dissect(cx, data, off, data.len());
        }
    }
}

/// Hands an IP payload (`off..end`, `end` by the IP length) to its protocol.
pub(crate) fn ip_payload(cx: &mut Ctx, data: &[u8], off: usize, end: usize, ip_proto: u8, pseudo: Pseudo) {
    match ip_proto {
        proto::TCP => tcp::dissect(cx, data, off, end, pseudo),
        proto::UDP => udp::dissect(cx, data, off, end, pseudo),
        proto::ICMP => icmp::dissect(cx, data, off, end),
        proto::ICMPV6 => icmpv6::dissect(cx, data, off, end, pseudo),
        proto::IGMP => igmp::dissect(cx, data, off, end),
        proto::GRE => gre::dissect(cx, data, off, end),
        proto::IPIP => {
            ipv4::dissect(cx, data, off);
        }
        proto::IPV6 => {
            ipv6::dissect(cx, data, off);
        }
        proto::NONXT => {
            if cx.in_error == 0 {
                cx.out.info.clear();
                cx.out.info.push_str("IPv6 no next header");
            }
            raw_data::dissect(cx, data, off, end);
        }
        _ => {
            raw_data::dissect(cx, data, off, end);
        }
    }
}

/// A UDP payload (`off..end`, not empty) by its ports, then QUIC by its header (any port:
/// a long header with a known version, or a connection seen before), then DNS by its
/// header ([`dns::looks_like_udp`]).
pub(crate) fn udp_payload(cx: &mut Ctx, data: &[u8], off: usize, end: usize, sport: u16, dport: u16) {
    if !cx.decode_as.is_empty()
        && let Some(rule) = cx.decode_as.iter().find(|r| !r.tcp && r.covers(sport, dport))
    {
        if !decode_udp(cx, rule, data, off, end, sport, dport) {
            raw_data::dissect(cx, data, off, end);
        }
        return;
    }
    if by_port(UDP_PORTS, cx, data, off, end, sport, dport) {
        return;
    }
    if cx.app_wanted() && cx.in_error == 0 {
        if cx.flows
            && let Some((s, d)) = cx.net
        {
            cx.out.flow = Some(Flow { src: (s, sport), dst: (d, dport), tcp: false });
        }
        if quic::dissect(cx, data, off, end, sport, dport) {
            return;
        }
    }
    // tshark's heuristic DNS over UDP, tried after QUIC's (registered later, tried sooner).
    if dns::looks_like_udp(data.get(off..end).unwrap_or(&[])) && dns::dissect(cx, data, off, end, false) {
        return;
    }
    raw_data::dissect(cx, data, off, end);
}

/// What the outermost TCP header of a frame hands on: its flags to the stream reassembly (a
/// SYN starts a direction's sequence space, a FIN without payload ends a PDU that runs until
/// the connection closes), and its payload `off..end` (`seglen` bytes by the IP length) by
/// its ports ([`TCP_PORTS`]), then to the byte-stream protocols ([`TCP_APPS`]), else as data.
#[inline]
pub(crate) fn tcp_segment(cx: &mut Ctx, data: &[u8], off: usize, end: usize, seglen: usize, seg: Segment) {
    if seg.flags & tcp::flag::SYN != 0 {
        tcp_pdu::syn(cx, seg);
    }
    if cx.flows && (seglen > 0 || seg.flags & tcp::flag::FIN != 0) {
        let (s, d) = tcp_pdu::addrs(seg.pseudo);
        cx.out.flow = Some(Flow { src: (s, seg.sport), dst: (d, seg.dport), tcp: true });
    }
    if seglen == 0 {
        if seg.flags & tcp::flag::FIN != 0 {
            tcp_pdu::fin(cx, seg);
        }
        return;
    }
    if off >= end {
        return;
    }
    if !cx.decode_as.is_empty()
        && let Some(rule) = cx.decode_as.iter().find(|r| r.tcp && r.covers(seg.sport, seg.dport))
    {
        match rule.proto {
            "dns" if dns::dissect(cx, data, off, end, true) => return,
            "dns" | "data" => {
                raw_data::dissect(cx, data, off, end);
                return;
            }
            // A byte-stream protocol: its row in `cx.tcp_apps` owns the rule's ports.
            _ => {}
        }
    } else if by_port(TCP_PORTS, cx, data, off, end, seg.sport, seg.dport) {
        return;
    }
    if tcp_pdu::dissect(cx, data, off, end, seg) {
        return;
    }
    raw_data::dissect(cx, data, off, end);
}

/// The TLS handshake messages a QUIC connection's CRYPTO frames carry (`off..end` of the
/// stream they make, in order).
pub(crate) fn tls_handshakes(cx: &mut Ctx, data: &[u8], off: usize, end: usize, pending: &mut Option<tls::HsPending>) {
    tls::dissect_handshakes_nested(cx, data, off, end, pending);
}

/// Whether a dissector of `table` whose port is either side claimed the payload.
fn by_port(table: &[(&[u16], PortDissector)], cx: &mut Ctx, data: &[u8], off: usize, end: usize, sport: u16, dport: u16) -> bool {
    table.iter().any(|(ports, dissect)| ports.iter().any(|&p| p == sport || p == dport) && dissect(cx, data, off, end))
}

/// An IPv4 header whose place says it is one (an ICMP error's quoted datagram).
pub(crate) fn ipv4(cx: &mut Ctx, data: &[u8], off: usize) -> usize {
    ipv4::dissect(cx, data, off)
}

/// An IPv6 header whose place says it is one (Teredo's payload, an ICMPv6 error's quoted
/// packet, an IPv4 header whose version nibble says 6).
pub(crate) fn ipv6(cx: &mut Ctx, data: &[u8], off: usize) -> usize {
    ipv6::dissect(cx, data, off)
}

/// An Ethernet frame whose place says it is one (VXLAN's payload).
pub(crate) fn ethernet(cx: &mut Ctx, data: &[u8], off: usize) {
    eth::dissect(cx, data, off)
}

/// Bytes no dissector claims: the `data` layer over `data[off..end]`; returns `end`.
pub(crate) fn data(cx: &mut Ctx, data: &[u8], off: usize, end: usize) -> usize {
    raw_data::dissect(cx, data, off, end)
}

/// A "decode as" rule (`tshark -d udp.port==5000,dns`): traffic to or from these TCP or UDP
/// ports is the named protocol, whatever the port tables and heuristics say. Rules apply to
/// every [`super::Dissector`] made after [`set_decode_as`] (as tshark's `-d` applies to the
/// whole run), or to one with [`super::Dissector::set_decode_as`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeAs {
    /// TCP (`tcp.port`) or UDP (`udp.port`).
    pub tcp: bool,
    /// The ports, `lo..=hi`.
    pub lo: u16,
    pub hi: u16,
    /// The protocol, one of [`DECODE_AS_UDP`] or [`DECODE_AS_TCP`].
    pub proto: &'static str,
}

/// Protocols a UDP port can be decoded as.
pub const DECODE_AS_UDP: &[&str] = &["data", "dhcp", "dns", "mdns", "quic", "ssdp", "teredo", "vxlan"];
/// Protocols a TCP port can be decoded as.
pub const DECODE_AS_TCP: &[&str] = &["data", "dns", "http", "tls", "websocket"];

impl DecodeAs {
    /// Reads tshark's form `LAYER==SELECTOR,PROTOCOL`: `udp.port==5000,dns`,
    /// `tcp.port==8080-8090,http` (a range) or `tcp.port==8080:3,http` (three ports from 8080).
    pub fn parse(text: &str) -> Result<DecodeAs, String> {
        let bad = |why: String| format!("-d {text}: {why}");
        let (sel, proto) = text.rsplit_once(',').ok_or_else(|| bad("expected LAYER==PORT,PROTOCOL, e.g. udp.port==5000,dns".into()))?;
        let (layer, ports) = sel.split_once("==").ok_or_else(|| bad("expected == between the layer type and the port, e.g. udp.port==5000,dns".into()))?;
        let tcp = match layer.trim() {
            "tcp.port" => true,
            "udp.port" => false,
            other => return Err(bad(format!("\"{other}\" is not a layer type pktlab can decode as; valid ones are tcp.port and udp.port"))),
        };
        let port = |s: &str| s.trim().parse::<u16>().map_err(|_| bad(format!("\"{}\" is not a port number (0-65535)", s.trim())));
        let ports = ports.trim();
        let (lo, hi) = if let Some((a, b)) = ports.split_once('-') {
            (port(a)?, port(b)?)
        } else if let Some((a, n)) = ports.split_once(':') {
            let lo = port(a)?;
            let n: u16 = n.trim().parse().ok().filter(|&n| n >= 1).ok_or_else(|| bad(format!("\"{}\" is not a count of ports", n.trim())))?;
            (lo, lo.checked_add(n - 1).ok_or_else(|| bad("the range passes port 65535".into()))?)
        } else {
            let p = port(ports)?;
            (p, p)
        };
        if lo > hi {
            return Err(bad(format!("the range {lo}-{hi} is empty")));
        }
        let names = if tcp { DECODE_AS_TCP } else { DECODE_AS_UDP };
        let proto = proto.trim().to_ascii_lowercase();
        let Some(&proto) = names.iter().find(|n| **n == proto) else {
            return Err(bad(format!("\"{proto}\" is not a protocol a {} port can be decoded as; valid ones are {}", if tcp { "TCP" } else { "UDP" }, names.join(", "))));
        };
        Ok(DecodeAs { tcp, lo, hi, proto })
    }

    fn covers(&self, sport: u16, dport: u16) -> bool {
        (self.lo..=self.hi).contains(&sport) || (self.lo..=self.hi).contains(&dport)
    }
}

/// The rules every new dissector starts with (see [`set_decode_as`]).
static DEFAULT_RULES: std::sync::RwLock<Vec<DecodeAs>> = std::sync::RwLock::new(Vec::new());

/// Sets the "decode as" rules of every dissector made from now on (the CLI's `-d`).
pub fn set_decode_as(rules: Vec<DecodeAs>) {
    if let Ok(mut r) = DEFAULT_RULES.write() {
        *r = rules;
    }
}

/// The rules new dissectors start with.
pub(crate) fn default_rules() -> Vec<DecodeAs> {
    DEFAULT_RULES.read().map(|r| r.clone()).unwrap_or_default()
}

/// The byte-stream table for `rules`: a copy of each named protocol's row that owns the
/// rules' ports and takes any first payload there, before the shipped rows. Built once per
/// set of rules (a run has one), so it lives as long as the program.
pub(crate) fn tcp_apps_for(rules: &[DecodeAs]) -> &'static [TcpApp] {
    type Built = Vec<(Vec<DecodeAs>, &'static [TcpApp])>;
    static BUILT: std::sync::Mutex<Built> = std::sync::Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, apps)) = built.iter().find(|(r, _)| r == rules) {
        return apps;
    }
    let apps = build_tcp_apps(rules);
    built.push((rules.to_vec(), apps));
    apps
}

fn build_tcp_apps(rules: &[DecodeAs]) -> &'static [TcpApp] {
    let mut apps = Vec::new();
    for r in rules.iter().filter(|r| r.tcp) {
        let Some(base) = TCP_APPS.iter().find(|a| a.name == r.proto) else { continue };
        let ports: &'static [u16] = Box::leak((r.lo..=r.hi).collect::<Vec<u16>>().into_boxed_slice());
        apps.push(TcpApp {
            name: base.name,
            ports,
            on_port: |_| true,
            owns_ports: true,
            claims_rest: base.claims_rest,
            heuristic: base.heuristic,
            pdu_len: base.pdu_len,
            pdu_state: base.pdu_state,
            after_pdu: base.after_pdu,
            dissect: base.dissect,
            pdu_size: base.pdu_size,
            awaited: base.awaited,
        });
    }
    if apps.is_empty() {
        return TCP_APPS;
    }
    apps.extend(TCP_APPS.iter().map(|a| TcpApp { ..*a }));
    Box::leak(apps.into_boxed_slice())
}

/// A UDP payload on a port a rule names, as the rule's protocol; false if the protocol's
/// dissector refuses the bytes (they are then data).
fn decode_udp(cx: &mut Ctx, rule: &DecodeAs, data: &[u8], off: usize, end: usize, sport: u16, dport: u16) -> bool {
    match rule.proto {
        "dns" => dns::dissect(cx, data, off, end, false),
        "mdns" => dns::dissect(cx, data, off, end, false),
        "dhcp" => cx.app_wanted() && dhcp::dissect(cx, data, off, end),
        "ssdp" => cx.app_wanted() && http::dissect_ssdp(cx, data, off, end),
        "vxlan" => vxlan::dissect(cx, data, off, end),
        "teredo" => teredo::dissect(cx, data, off, end),
        "quic" => cx.app_wanted() && quic::dissect(cx, data, off, end, sport, dport),
        _ => false,
    }
}
