//! Unit tests per protocol on real frames cut from the public captures (skipped with a
//! message when ../shared is absent). Expected values are what tshark 4.0 prints for the
//! same frame (`tshark -T fields -E occurrence=a`).

use super::format::{Occurrence, cells};
use super::testutil::{dissect_all, first};
use super::*;

/// All occurrences, `,`-joined, of a field in frame `n` (1-based).
fn all(frames: &[(Vec<u8>, Dissection)], n: usize, abbrev: &str) -> String {
    let (data, d) = &frames[n - 1];
    cells(d, data, abbrev, Occurrence::All)
}

fn field<'a>(d: &'a Dissection, abbrev: &str) -> &'a Field {
    d.fields.iter().find(|f| f.def.abbrev == abbrev).unwrap_or_else(|| panic!("{abbrev} missing"))
}

#[test]
fn ethernet_ipv4_tcp_syn_with_options() {
    let Some(f) = dissect_all("chrissanders-tcp_handshake.pcapng") else { return };
    let checks = [
        ("eth.dst", "00:05:5d:21:99:4c"),
        ("eth.type", "0x0800"),
        ("ip.src", "172.16.16.128"),
        ("ip.flags", "0x02"),
        ("ip.flags.df", "1"),
        ("ip.hdr_len", "20"),
        ("ip.dsfield", "0x00"),
        ("ip.id", "0x317f"),
        ("ip.checksum", "0x55eb"),
        ("tcp.flags", "0x0002"),
        ("tcp.hdr_len", "32"),
        ("tcp.options.mss_val", "1460"),
        ("tcp.options.wscale.shift", "2"),
        ("tcp.options.wscale.multiplier", "4"),
        ("tcp.options.sack_perm", "0402"),
        ("tcp.option_kind", "2,1,3,1,1,4"),
        ("tcp.option_len", "4,3,2"),
        ("tcp.checksum", "0xcfeb"),
        ("tcp.window_size_value", "8192"),
        ("tcp.flags.str", "··········S·"),
        ("ip.addr", "172.16.16.128,212.58.226.142"),
        ("tcp.port", "2826,80"),
    ];
    for (name, want) in checks {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
    let (data, d) = &f[0];
    assert_eq!(d.protocol, "TCP");
    assert_eq!(d.info, "2826 → 80 [SYN] Seq=3691127924 Win=8192 Len=0 MSS=1460 WS=4 SACK_PERM");
    assert_eq!((d.src.as_str(), d.dst.as_str()), ("172.16.16.128", "212.58.226.142"));
    // Byte ranges and bit masks.
    assert_eq!(field(d, "eth.type").range(), 12..14);
    assert_eq!(field(d, "ip.src").range(), 26..30);
    let flags = field(d, "ip.flags.df");
    assert_eq!((flags.range(), flags.def.bitmask), (20..21, 0x40));
    assert_eq!(field(d, "tcp.flags").def.bitmask, 0x0fff);
    assert_eq!(field(d, "tcp.options.mss_val").range(), 56..58);
    assert_eq!(&data[field(d, "tcp.options.mss_val").range()], &[0x05, 0xb4]);
    assert!(field(d, "tcp.len").generated);
    assert!(field(d, "ip.addr").hidden);
    // Layers, in order, with their OSI layer.
    let layers: Vec<_> = d.layers.iter().map(|l| (l.proto, l.osi.number())).collect();
    assert_eq!(layers, [("frame", 1), ("eth", 2), ("ip", 3), ("tcp", 4)]);
    assert_eq!(first(&f[0], "frame.protocols"), "eth:ethertype:ip:tcp");
    assert!(d.experts.iter().any(|e| e.key == "tcp.connection.syn" && e.message == "Connection establish request (SYN): server port 80"));
}

#[test]
fn linux_sll_nanosecond_timestamps_option() {
    let Some(f) = dissect_all("tcpdump-tcp-handshake-nano.pcap") else { return };
    let checks = [
        ("sll.pkttype", "4"),
        ("sll.hatype", "512"),
        ("sll.halen", "0"),
        ("sll.src.eth", ""),
        ("sll.etype", "0x0800"),
        ("sll.unused", "0000000000000000"),
        ("tcp.options.timestamp.tsval", "1131021154"),
        ("tcp.options.timestamp.tsecr", "0"),
        ("frame.time_epoch", "1418145369.924505488"),
        ("frame.encap_type", "25"),
        ("tcp.srcport", "46656"),
    ];
    for (name, want) in checks {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
}

#[test]
fn sack_blocks() {
    let Some(f) = dissect_all("chrissanders-tcp_dupack.pcapng") else { return };
    // Raw edges (tshark with relative sequence numbers off); the analysis makes them relative.
    assert_eq!(all(&f, 3, "tcp.options.sack_le"), "1310978658");
    assert_eq!(all(&f, 3, "tcp.options.sack_re"), "1310985498");
    assert_eq!(all(&f, 3, "tcp.options.sack.count"), "1");
    assert_eq!(
        f[2].1.info,
        "38760 → 80 [ACK] Seq=704338729 Ack=1310973186 Win=382 Len=0 TSval=22247173 TSecr=1332354 SLE=1310978658 SRE=1310985498"
    );
}

#[test]
fn udp_with_bad_checksum_and_data() {
    let Some(f) = dissect_all("zeek-udp-packet.pcap") else { return };
    for (name, want) in [
        ("udp.srcport", "12345"),
        ("udp.dstport", "31337"),
        ("udp.length", "14"),
        ("udp.checksum", "0xfe21"),
        ("udp.checksum.status", "0"),
        ("udp.payload", "31323334350a"),
        ("data.data", "31323334350a"),
        ("data.len", "6"),
    ] {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
    let d = &f[0].1;
    assert_eq!(d.info, "12345 → 31337 Len=6");
    assert!(d.experts.iter().any(|e| e.key == "udp.checksum_bad"));
}

#[test]
fn dns_response() {
    let Some(f) = dissect_all("tcpdump-dns_udp.pcap") else { return };
    for (name, want) in [
        ("dns.id", "0x5934"),
        ("dns.flags", "0x8500"),
        ("dns.qry.name", "www.tcpdump.org"),
        ("dns.qry.type", "1"),
        ("dns.a", "192.139.46.66,198.199.88.104,209.87.249.18,97.107.133.15"),
        ("dns.count.answers", "2"),
        ("dns.flags.rcode", "0"),
        ("dns.aaaa", "2607:f0b0:f::babe:f00d,2600:3c03::f03c:91ff:fe96:e8ef"),
        ("dns.ns", "sns.cooperix.net,nic.sandelman.ca"),
    ] {
        assert_eq!(all(&f, 2, name), want, "{name}");
    }
    assert_eq!(f[1].1.protocol, "DNS");
    assert!(f[1].1.info.starts_with("Standard query response 0x5934 A www.tcpdump.org A 192.139.46.66"));
}

#[test]
fn icmp_error_quotes_ip_and_icmp() {
    let Some(f) = dissect_all("chrissanders-icmp_traceroute.pcapng") else { return };
    for (name, want) in [
        ("icmp.type", "11,8"),
        ("icmp.code", "0,0"),
        ("ip.src", "192.168.100.1,192.168.100.138"),
        ("ip.ttl", "255,1"),
        ("icmp.ident", "1280"),
        ("icmp.seq", "14336"),
        ("icmp.checksum.status", "1,2"),
    ] {
        assert_eq!(all(&f, 2, name), want, "{name}");
    }
    assert_eq!(f[0].1.info, "Echo (ping) request  id=0x0500, seq=14336/56, ttl=1");
    assert_eq!(f[1].1.info, "Time-to-live exceeded (Time to live exceeded in transit)");
    // The quoted header does not take over the columns.
    assert_eq!(f[1].1.src, "192.168.100.1");
}

#[test]
fn icmpv6_behind_hop_by_hop_and_router_advertisement() {
    let Some(f) = dissect_all("tcpdump-icmpv6.pcap") else { return };
    for (name, want) in [
        ("ipv6.nxt", "0"),
        ("ipv6.hopopts.nxt", "58"),
        ("ipv6.opt.type", "0x05,0x01"),
        ("ipv6.opt.router_alert", "0"),
        ("icmpv6.type", "143"),
        ("icmpv6.mldr.nb_mcast_records", "1"),
        ("icmpv6.mldr.mar.multicast_address", "ff02::db8:1122:3344"),
    ] {
        assert_eq!(all(&f, 2, name), want, "{name}");
    }
    assert_eq!(first(&f[1], "frame.protocols"), "eth:ethertype:ipv6:ipv6.hopopts:icmpv6");
    for (name, want) in [
        ("icmpv6.type", "134"),
        ("icmpv6.nd.ra.cur_hop_limit", "64"),
        ("icmpv6.nd.ra.router_lifetime", "15"),
        ("icmpv6.opt.type", "3,25,31,5,1,7,8"),
        ("icmpv6.opt.prefix", "2222:3333:4444:5555:6600::"),
        ("icmpv6.opt.mtu", "100"),
        ("icmpv6.checksum.status", "1"),
    ] {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
    assert_eq!(f[0].1.info, "Router Advertisement from b0:99:28:c8:d6:6c");
}

#[test]
fn ipv6_routing_header() {
    let Some(f) = dissect_all("tcpdump-ipv6-routing-header.pcap") else { return };
    for (name, want) in [
        ("ipv6.routing.type", "0"),
        ("ipv6.routing.segleft", "1"),
        ("ipv6.routing.src.addr", "2200::210:2:0:0:4"),
        ("ipv6.nxt", "43"),
        ("ipv6.routing.nxt", "58"),
        ("icmpv6.echo.identifier", "0x0000"),
    ] {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
    // The Destination column (and the checksum) use the route's final hop.
    assert_eq!(f[0].1.dst, "2200::210:2:0:0:4");
    assert_eq!(all(&f, 3, "udp.checksum.status"), "1");
}

#[test]
fn vlan_tag() {
    let Some(f) = dissect_all("zeek-http-vlan-0.pcap") else { return };
    for (name, want) in [("vlan.id", "0"), ("vlan.priority", "5"), ("vlan.dei", "1"), ("vlan.etype", "0x0800"), ("eth.type", "0x8100")] {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
    assert_eq!(field(&f[0].1, "vlan.id").def.bitmask, 0x0fff);
}

#[test]
fn bsd_null_and_ipv6() {
    let Some(f) = dissect_all("gopacket-test_loopback.pcap") else { return };
    for (name, want) in [("null.family", "30"), ("ipv6.src", "::1"), ("ipv6.plen", "516"), ("ipv6.hlim", "64"), ("ipv6.flow", "0x000000"), ("ipv6.tclass", "0x00000000")] {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
}

#[test]
fn raw_ip_link_type() {
    let Some(f) = dissect_all("tcpdump-LINKTYPE_RAW_ipv4.pcap") else { return };
    for (name, want) in [("frame.encap_type", "7"), ("ip.src", "192.168.1.100"), ("udp.dstport", "53"), ("dns.qry.name", "example.com")] {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
    assert_eq!(first(&f[0], "frame.protocols"), "raw:ip:udp:dns");
}

#[test]
fn ipv4_fragments_reassembled() {
    let Some(f) = dissect_all("chrissanders-ip_frag_source.pcapng") else { return };
    // The first two fragments show their bytes as data only.
    assert_eq!(first(&f[0], "frame.protocols"), "eth:ethertype:ip:data");
    assert_eq!(all(&f, 1, "icmp.type"), "");
    for (name, want) in [
        ("ip.flags.mf", "0"),
        ("ip.frag_offset", "370"),
        ("ip.fragment", "1,2,3"),
        ("ip.fragment.count", "3"),
        ("ip.reassembled.length", "3508"),
        ("icmp.type", "8"),
        ("icmp.seq", "57"),
    ] {
        assert_eq!(all(&f, 3, name), want, "{name}");
    }
    let d = &f[2].1;
    assert_eq!(d.sources.len(), 1);
    let icmp = field(d, "icmp.type");
    assert_eq!((icmp.source, icmp.offset), (1, 0));
    assert_eq!(d.field_bytes(&f[2].0, icmp), &[8]);
}

#[test]
fn ipv6_fragments_reassembled() {
    let Some(f) = dissect_all("chrissanders-ipv6_fragments.pcapng") else { return };
    for (name, want) in [
        ("ipv6.fraghdr.offset", "181"),
        ("ipv6.fraghdr.more", "0"),
        ("ipv6.fraghdr.ident", "0xcde00817"),
        ("ipv6.fragment", "1,2"),
        ("ipv6.reassembled.length", "1508"),
        ("icmpv6.type", "128"),
    ] {
        assert_eq!(all(&f, 2, name), want, "{name}");
    }
}

#[test]
fn vxlan_inner_frame() {
    let Some(f) = dissect_all("tcpdump-vxlan.pcap") else { return };
    for (name, want) in [("vxlan.vni", "100"), ("vxlan.flags", "0x0800"), ("eth.type", "0x0800,0x0800"), ("ip.src", "192.168.203.1,192.168.203.3"), ("icmp.type", "8")] {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
    // The columns show the inner packet, as tshark's do.
    assert_eq!(f[0].1.src, "192.168.203.3");
}

#[test]
fn arp_announcement_with_padding() {
    let Some(f) = dissect_all("ndpi-fix2.pcap") else { return };
    for (name, want) in [
        ("arp.opcode", "1"),
        ("arp.src.hw_mac", "02:95:c6:f7:93:4b"),
        ("arp.src.proto_ipv4", "10.101.0.2"),
        ("arp.dst.proto_ipv4", "10.101.0.2"),
        ("arp.dst.hw_mac", "00:00:00:00:00:00"),
        ("eth.padding", "000000000000000000000000000000000000"),
    ] {
        assert_eq!(all(&f, 1, name), want, "{name}");
    }
    assert_eq!(f[0].1.info, "ARP Announcement for 10.101.0.2");
    assert_eq!(f[0].1.protocol, "ARP");
}

#[test]
fn header_cut_by_snaplen_is_not_malformed() {
    let Some(f) = dissect_all("tcpdump-tcp_header_heapoverflow.pcap") else { return };
    assert_eq!(all(&f, 1, "tcp.srcport"), "12336");
    assert_eq!(all(&f, 1, "tcp.seq_raw"), "");
    let d = &f[0].1;
    assert!(!d.is_malformed());
    assert_eq!(d.info, "12336 → 12336[Packet size limited during capture]");
}

#[test]
fn pcapng_interface_and_comments() {
    let Some(f) = dissect_all("ndpi-rtp.pcapng") else { return };
    assert_eq!(all(&f, 1, "frame.interface_id"), "0");
    let commented: Vec<_> = f.iter().filter(|(_, d)| d.fields.iter().any(|x| x.def.abbrev == "frame.comment")).collect();
    assert_eq!(commented.len(), 2);
}

#[test]
fn format_rules() {
    static U8HEX: FieldDef = FieldDef::new("x.a", "a", FieldType::U8, Base::Hex);
    static U32HEX: FieldDef = FieldDef::new("x.b", "b", FieldType::U32, Base::Hex);
    static B: FieldDef = FieldDef::new("x.c", "c", FieldType::Bool, Base::None);
    static N: FieldDef = FieldDef::new("x.d", "d", FieldType::None, Base::None);
    static BY: FieldDef = FieldDef::new("x.e", "e", FieldType::Bytes, Base::None);
    static T: FieldDef = FieldDef::new("x.f", "f", FieldType::AbsTime, Base::None);
    static R: FieldDef = FieldDef::new("x.g", "g", FieldType::RelTime, Base::None);
    let mk = |def: &'static FieldDef, value: Value| Field { def, offset: 1, len: 2, depth: 0, source: 0, generated: false, hidden: false, value };
    let d = Dissection::default();
    let frame = [0xde, 0xad, 0xbe, 0xef];
    let c = |f: Field| format::cell(&d, &frame, &f);
    assert_eq!(c(mk(&U8HEX, Value::UInt(2))), "0x02");
    assert_eq!(c(mk(&U32HEX, Value::UInt(0xcde00817))), "0xcde00817");
    assert_eq!(c(mk(&B, Value::Bool(true))), "1");
    assert_eq!(c(mk(&N, Value::None)), "1");
    assert_eq!(c(mk(&BY, Value::Bytes)), "adbe");
    assert_eq!(c(mk(&R, Value::Time(Timestamp { secs: 980658802, nanos: 1882137472 }))), "980658802.1882137472");
    assert_eq!(c(mk(&T, Value::Time(Timestamp { secs: 1262893114, nanos: 341715000 }))), "Jan  7, 2010 19:38:34.341715000 UTC");
    assert_eq!(c(mk(&R, Value::Duration(-141_000))), "-0.000141000");
    assert_eq!(c(mk(&R, Value::Duration(132_627_000))), "0.132627000");
}

#[test]
fn every_field_name_is_unique_and_wireshark_shaped() {
    // A protocol nested in another's tree (the OCSP response a TLS CertificateStatus
    // staples) is an item named as the protocol, without a dot.
    const NESTED_PROTOCOLS: &[&str] = &["ocsp"];
    let mut seen = std::collections::HashSet::new();
    for d in fields() {
        assert!(seen.insert(d.abbrev), "{} defined twice", d.abbrev);
        assert!(d.abbrev.contains('.') || (NESTED_PROTOCOLS.contains(&d.abbrev) && d.ftype == FieldType::None), "{}", d.abbrev);
        // Names from ASN.1 modules keep their element names' capitals
        // (`x509af.signedCertificate_element`); the protocol part is lower case.
        // (Some protocol names have a hyphen: `urlencoded-form`.)
        let (proto, rest) = d.abbrev.split_once('.').unwrap_or((d.abbrev, ""));
        assert!(proto.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'), "{}", d.abbrev);
        // (MIME header names keep their hyphens: `mime_multipart.header.content-type`.)
        let header = rest.starts_with("header.") && d.abbrev.starts_with("mime_multipart.");
        assert!(rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || (header && c == '-')), "{}", d.abbrev);
    }
    assert!(seen.contains("tcp.options.mss_val") && seen.contains("tcp.seq_raw") && seen.contains("udp.checksum.status"));
}

#[test]
fn every_emitted_field_is_registered() {
    let Some(mut frames) = dissect_all("rusticata-wireshark_samples-test.pcapng") else { return };
    for name in ["tcpdump-icmpv6.pcap", "chrissanders-icmp_traceroute.pcapng", "tcpdump-vxlan.pcap", "zeek-smtp.pcap"] {
        frames.extend(dissect_all(name).unwrap_or_default());
    }
    let registered: std::collections::HashSet<*const FieldDef> = fields().map(|d| d as *const FieldDef).chain(crate::analysis::fields().map(|d| d as *const FieldDef)).collect();
    for (_, d) in &frames {
        // (A line only the tree has is no field: FieldDef::tree_only.)
        for f in d.fields.iter().filter(|f| !f.def.tree_only) {
            assert!(registered.contains(&(f.def as *const FieldDef)), "{} is emitted but not in fields()", f.def.abbrev);
        }
        // Layer ranges are in order and cover the fields.
        let mut next = 0;
        for l in &d.layers {
            assert!(l.fields.start >= next && l.fields.end >= l.fields.start, "layer {} {:?}", l.proto, l.fields);
            next = l.fields.end;
        }
        assert_eq!(next as usize, d.fields.len());
    }
}

#[test]
fn fast_number_writers() {
    for n in [0u64, 7, 10, 99, 100, 101, 255, 1000, 65535, 4294967295, u64::MAX] {
        let mut s = String::new();
        push_dec(&mut s, n);
        assert_eq!(s, n.to_string());
        let mut h = String::new();
        push_hex_w(&mut h, n, 4);
        assert_eq!(h, format!("0x{n:04x}"));
    }
}

#[test]
fn igmp_with_router_alert_option() {
    let Some(f) = dissect_all("ndpi-netflix.pcap") else { return };
    for (name, want) in [
        ("igmp.type", "0x16"),
        ("igmp.max_resp", "0"),
        ("igmp.maddr", "239.255.255.250"),
        ("igmp.checksum", "0xfa04"),
        ("igmp.checksum.status", "1"),
        ("ip.options.routeralert", "94040000"),
        ("ip.opt.ra", "0"),
        ("ip.opt.len", "4"),
        ("ip.hdr_len", "24"),
    ] {
        assert_eq!(all(&f, 187, name), want, "{name}");
    }
    assert_eq!(f[186].1.protocol, "IGMPv2");
    assert_eq!(f[186].1.info, "Membership Report group 239.255.255.250");
    assert_eq!(first(&f[186], "frame.protocols"), "eth:ethertype:ip:igmp:igmp");
}

#[test]
fn enhanced_gre_of_pptp() {
    let Some(f) = dissect_all("tcpdump-pptp.pcap") else { return };
    for (name, want) in [
        ("gre.flags_and_version", "0x3001"),
        ("gre.proto", "0x880b"),
        ("gre.key.payload_length", "48"),
        ("gre.key.call_id", "0"),
        ("gre.sequence_number", "0"),
        ("gre.flags.version", "1"),
    ] {
        assert_eq!(all(&f, 16, name), want, "{name}");
    }
}

#[test]
fn dhcp_padding_between_options_is_an_option_of_type_0() {
    let Some(f) = dissect_all("hadrielk-le-advanced-test102.pcapng") else { return };
    // Frame 4, a DHCP Offer, with its third option (Renewal Time Value, 6 bytes) overwritten
    // by padding: tshark 4.0 then shows `Option: (0) Padding` holding `Padding: 000000000000`
    // where the option was, and the padding after End at the top as before.
    let mut data = f[3].0.clone();
    let cookie = data.windows(7).position(|w| w == [99, 130, 83, 99, 53, 1, 2]).expect("the offer's options");
    let renewal = cookie + 4 + 3 + 6;
    assert_eq!(data[renewal..renewal + 2], [58, 4]);
    data[renewal..renewal + 6].fill(0);
    let meta = FrameMeta { number: 1, orig_len: data.len() as u32, link_type: Some(crate::capture::linktype::ETHERNET), ..FrameMeta::default() };
    let mut d = Dissection::default();
    Dissector::new().dissect(&meta, &data, &mut d);
    let frame = (data, d);
    assert_eq!(cells(&frame.1, &frame.0, "dhcp.option.padding", Occurrence::All), format!("000000000000,{}", "00".repeat(26)));
    assert_eq!(cells(&frame.1, &frame.0, "dhcp.option.type", Occurrence::All), "53,1,0,59,51,54,255");
    let fields = &frame.1.fields;
    let pads: Vec<usize> = fields.iter().enumerate().filter(|(_, x)| x.def.abbrev == "dhcp.option.padding").map(|(i, _)| i).collect();
    let (between, after_end) = (&fields[pads[0]], &fields[pads[1]]);
    let option = &fields[pads[0] - 1];
    assert_eq!((option.def.abbrev, option.offset, option.len), ("dhcp.option.type", renewal as u32, 1));
    assert_eq!((between.offset, between.len, between.depth), (renewal as u32, 6, option.depth + 1));
    assert_eq!(after_end.depth, option.depth);
}
