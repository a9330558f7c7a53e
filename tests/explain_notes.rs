//! `explain::value_note` on real dissections: the project's own recordings (`captures/`, real
//! traffic recorded on this machine) and, when `../shared` is present, public captures. The
//! expected numbers were read off the same frames with tshark 4.0.


use pktlab::capture::CaptureFile;
use pktlab::dissect::{Dissection, Dissector, FrameMeta, Value};
use pktlab::explain::{self, Lang};
use std::path::{Path, PathBuf};

type Frame = (Vec<u8>, Dissection);

/// Every frame of a capture, dissected and annotated by the analysis (None if the file is absent).
fn frames(path: &Path) -> Option<Vec<Frame>> {
    let file = CaptureFile::open(path).ok()?;
    let mut seq = pktlab::pipeline::Sequence::new(true);
    let mut out = Vec::new();
    for r in file.records() {
        let Ok(r) = r else { break };
        seq.push(&r);
        seq.annotate();
        out.push((r.data.to_vec(), std::mem::take(seq.dissection_mut())));
    }
    Some(out)
}

fn own(name: &str) -> Vec<Frame> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name);
    frames(&p).unwrap_or_else(|| panic!("cannot read {}", p.display()))
}

fn public(name: &str) -> Option<Vec<Frame>> {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public").join(name);
    let f = frames(&p);
    if f.is_none() {
        println!("{} absent: skipped", p.display());
    }
    f
}

/// The note on the first occurrence of `abbrev` in frame `number` (1-based).
fn note(frames: &[Frame], number: usize, abbrev: &str, lang: Lang) -> String {
    let (bytes, d) = &frames[number - 1];
    let i = d.fields.iter().position(|f| f.def.abbrev == abbrev).unwrap_or_else(|| panic!("frame {number} has no {abbrev}"));
    explain::value_note(d, bytes, i, lang).unwrap_or_else(|| panic!("no note for {abbrev} in frame {number}"))
}

#[test]
fn mss_on_a_1500_byte_veth_link_is_1500_minus_20_minus_20() {
    let f = own("handshake.pcap");
    let ko = note(&f, 1, "tcp.options.mss_val", Lang::Ko);
    assert!(ko.contains("1500(MTU) − 20(IP 헤더) − 20(TCP 헤더) = 1460"), "{ko}");
    assert!(ko.contains("이더넷 표준 MTU"), "{ko}");
    let en = note(&f, 1, "tcp.options.mss_val", Lang::En);
    assert!(en.contains("1500 (MTU) − 20 (IP header) − 20 (TCP header) = 1460"), "{en}");
}

#[test]
fn mss_on_loopback_is_bounded_by_the_16_bit_ip_length() {
    let f = own("loopback.pcap");
    let ko = note(&f, 1, "tcp.options.mss_val", Lang::Ko);
    assert!(ko.contains("65535(IP 최대 길이) − 20(IP 헤더) − 20(TCP 헤더) = 65495"), "{ko}");
    let v6 = own("ipv6.pcap");
    let ko = note(&v6, 1, "tcp.options.mss_val", Lang::Ko);
    assert!(ko.contains("65536(MTU) − 40(IPv6 헤더) − 20(TCP 헤더) = 65476"), "{ko}");
}

#[test]
fn window_scale_shift_and_scaled_window() {
    let f = own("handshake.pcap");
    let ko = note(&f, 1, "tcp.options.wscale.shift", Lang::Ko);
    assert!(ko.contains("2^10 = 1024를 곱해요"), "{ko}");
    // Frame 3: tshark shows window 63 and calculated window 64512.
    let ko = note(&f, 3, "tcp.window_size_value", Lang::Ko);
    assert!(ko.contains("63 × 배율 1024 = 64,512바이트"), "{ko}");
    // In a SYN the window is never scaled.
    let ko = note(&f, 1, "tcp.window_size_value", Lang::Ko);
    assert!(ko.contains("배율을 곱하지 않고"), "{ko}");
    let en = note(&f, 3, "tcp.window_size_scalefactor", Lang::En);
    assert!(en.contains("multiplied by 1024"), "{en}");
}

#[test]
fn good_checksum_is_confirmed_and_bad_loopback_checksum_gets_the_computed_value() {
    let f = own("handshake.pcap");
    // tshark: tcp.checksum 0x6107, status good (offload was turned off for this recording).
    let ko = note(&f, 1, "tcp.checksum", Lang::Ko);
    assert!(ko.contains("0x6107") && ko.contains("맞아요"), "{ko}");
    let ko = note(&f, 1, "ip.checksum", Lang::Ko);
    assert!(ko.contains("맞아요"), "{ko}");
    // tshark on loopback.pcap frame 1: tcp.checksum 0xfe30, tcp.checksum_calculated 0xba8e.
    let lo = own("loopback.pcap");
    let ko = note(&lo, 1, "tcp.checksum", Lang::Ko);
    assert!(ko.contains("0xfe30") && ko.contains("0xba8e") && ko.contains("틀렸어요"), "{ko}");
    assert!(ko.contains("루프백"), "{ko}");
    let en = note(&lo, 1, "tcp.checksum", Lang::En);
    assert!(en.contains("should be 0xba8e"), "{en}");
}

#[test]
fn ttl_flags_ports_and_sequence_numbers() {
    let f = own("handshake.pcap");
    let ko = note(&f, 1, "ip.ttl", Lang::Ko);
    assert!(ko.contains("초기값 64"), "{ko}");
    let ko = note(&f, 2, "tcp.flags", Lang::Ko);
    assert!(ko.starts_with("0x012 = SYN+ACK") && ko.contains("연결 수락(SYN+ACK)"), "{ko}");
    let ko = note(&f, 1, "tcp.seq_raw", Lang::Ko);
    assert!(ko.contains("초기 순서 번호(ISN)"), "{ko}");
    let ko = note(&f, 3, "tcp.ack", Lang::Ko);
    assert!(ko.contains("1번 바이트"), "{ko}");
    let ko = note(&f, 1, "tcp.hdr_len", Lang::Ko);
    assert!(ko.contains("기본 20 + 옵션"), "{ko}");
    let dns = own("dns.pcap");
    let ko = note(&dns, 1, "udp.dstport", Lang::Ko);
    assert!(ko.contains("53번은 보통 DNS"), "{ko}");
    // tshark: the answer's TTL is 300 s.
    let ko = note(&dns, 2, "dns.resp.ttl", Lang::Ko);
    assert!(ko.contains("300초(약 5.0분)"), "{ko}");
    let ko = note(&dns, 1, "udp.length", Lang::Ko);
    assert!(ko.contains("UDP 헤더 8바이트"), "{ko}");
}

#[test]
fn sack_blocks_duplicate_acks_and_rtt() {
    let f = own("bulk-loss.pcap");
    // tshark: frame 20 carries SACK 10137-11585 (relative) and is duplicate ACK #1.
    let ko = note(&f, 20, "tcp.options.sack_re", Lang::Ko);
    assert!(ko.contains("1448바이트"), "{ko}");
    let ko = note(&f, 30, "tcp.analysis.duplicate_ack_num", Lang::Ko);
    assert!(ko.contains("3번째 중복 ACK") && ko.contains("빠른 재전송"), "{ko}");
    // tshark: frame 48 is a (fast) retransmission of seq 8689, 1448 bytes.
    let ko = note(&f, 48, "tcp.analysis.retransmission", Lang::Ko);
    assert!(ko.contains("8689~10137번 바이트(1448바이트)를 다시 보냈어요"), "{ko}");
    let en = note(&f, 48, "tcp.analysis.fast_retransmission", Lang::En);
    assert!(en.contains("Bytes 8689–10137 (1448 bytes)"), "{en}");
    let (bytes, d) = f
        .iter()
        .find(|(_, d)| d.fields.iter().any(|x| x.def.abbrev == "tcp.analysis.ack_rtt"))
        .expect("an ACK with an RTT");
    let i = d.fields.iter().position(|x| x.def.abbrev == "tcp.analysis.ack_rtt").unwrap_or_default();
    let ns = match d.fields[i].value {
        Value::Duration(ns) => ns,
        ref v => panic!("ack_rtt value {v:?}"),
    };
    let ko = explain::value_note(d, bytes, i, Lang::Ko).unwrap_or_default();
    let ms = ns as f64 / 1e6;
    let shown = if ms >= 100.0 { format!("{ms:.0} ms") } else if ms >= 1.0 { format!("{ms:.1} ms") } else { format!("{ms:.3} ms") };
    assert!(ko.contains(&shown), "{ko} should show {shown}");
}

#[test]
fn zero_window() {
    let f = own("zero-window.pcap");
    // tshark: frame 9 advertises window 0.
    let ko = note(&f, 9, "tcp.window_size_value", Lang::Ko);
    assert!(ko.contains("zero window"), "{ko}");
    let ko = note(&f, 9, "tcp.window_size", Lang::Ko);
    assert!(ko.contains("계산된 윈도가 0"), "{ko}");
}

#[test]
fn epoch_time_as_a_utc_date() {
    // tshark: frame.time_epoch 1262893114.341715000 = 2010-01-07 19:38:34.341715 UTC.
    let Some(f) = public("chrissanders-tcp_handshake.pcapng") else { return };
    let ko = note(&f, 1, "frame.time_epoch", Lang::Ko);
    assert_eq!(ko, "협정 세계시(UTC)로 2010-01-07 19:38:34.341715000이에요.");
    let en = note(&f, 1, "frame.time_epoch", Lang::En);
    assert_eq!(en, "2010-01-07 19:38:34.341715000 UTC.");
}

#[test]
fn udp_checksum_zero_over_ipv4_means_not_computed() {
    let Some(f) = public("tcpdump-vxlan.pcap") else { return };
    let ko = note(&f, 1, "udp.checksum", Lang::Ko);
    assert!(ko.contains("계산하지 않음"), "{ko}");
    let ko = note(&f, 1, "udp.dstport", Lang::Ko);
    assert!(ko.contains("VXLAN"), "{ko}");
}

#[test]
fn bad_udp_and_ip_checksums_match_tsharks_computed_values() {
    // tshark -o udp.check_checksum:TRUE: udp.checksum 0xfe21, udp.checksum_calculated 0xbdbc.
    if let Some(f) = public("zeek-udp-packet.pcap") {
        let ko = note(&f, 1, "udp.checksum", Lang::Ko);
        assert!(ko.contains("0xfe21") && ko.contains("0xbdbc"), "{ko}");
    }
    // tshark -o ip.check_checksum:TRUE: frames 1-3 have ip.checksum 0x0000, calculated
    // 0xd577, 0xd4be, 0xf7a9.
    if let Some(f) = public("chrissanders-ip_frag_source.pcapng") {
        for (n, want) in [(1, "0xd577"), (2, "0xd4be"), (3, "0xf7a9")] {
            let ko = note(&f, n, "ip.checksum", Lang::Ko);
            assert!(ko.contains(want) && ko.contains("틀렸어요"), "frame {n}: {ko}");
        }
    }
}

/// Our recomputed checksum agrees with the dissector's verdict on every TCP/UDP/IPv4 checksum
/// of the project's recordings and the public corpus (two independent implementations).
#[test]
fn checksum_notes_agree_with_the_dissectors_status() {
    let mut files: Vec<PathBuf> = ["handshake.pcap", "loopback.pcap", "ipv6.pcap", "dns.pcap", "game.pcap", "bulk-loss.pcap"]
        .iter()
        .map(|n| Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(n))
        .collect();
    for n in ["zeek-smtp.pcap", "ndpi-teamspeak3.pcap", "ndpi-fix2.pcap", "ndpi-reddit.pcap", "zeek-chksums-localhost-bad-chksum.pcap"] {
        files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public").join(n));
    }
    let (mut agree, mut checked) = (0usize, 0usize);
    let mut disagreements = Vec::new();
    for p in &files {
        let Some(frames) = frames(p) else { continue };
        for (num, (bytes, d)) in frames.iter().enumerate() {
            for (i, f) in d.fields.iter().enumerate() {
                let status_name = match f.def.abbrev {
                    "tcp.checksum" => "tcp.checksum.status",
                    "udp.checksum" => "udp.checksum.status",
                    "ip.checksum" => "ip.checksum.status",
                    _ => continue,
                };
                // The status that follows this checksum field.
                let Some(status) = d.fields[i + 1..].iter().find(|x| x.def.abbrev == status_name) else { continue };
                let Value::UInt(s @ (0 | 1)) = status.value else { continue };
                let Some(n) = explain::value_note(d, bytes, i, Lang::En) else { continue };
                checked += 1;
                let says_good = n.contains(": correct");
                let says_bad = n.starts_with("Wrong") || n.starts_with("A header quoted inside an ICMP error");
                if (s == 1 && says_good) || (s == 0 && says_bad) {
                    agree += 1;
                } else {
                    disagreements.push(format!("{} frame {}: {} status {s}: {n}", p.display(), num + 1, f.def.abbrev));
                }
            }
        }
    }
    println!("checksum notes checked: {checked}, agreeing with the dissector: {agree}");
    assert!(checked > 1000, "too few checksums checked: {checked}");
    assert!(disagreements.is_empty(), "{} disagreements, first: {:?}", disagreements.len(), &disagreements[..disagreements.len().min(5)]);
}

/// captures/framing.pcap (port 7777) decoded with protos/demo.toml: one 4004-byte message
/// spans three segments; every game field, fixed or defined by the description, has docs.
#[test]
fn game_messages_spanning_segments() {
    use pktlab::game::{GameDecoder, GameProto};
    use std::sync::Arc;
    let desc = Path::new(env!("CARGO_MANIFEST_DIR")).join("protos/demo.toml");
    let text = std::fs::read_to_string(&desc).expect("protos/demo.toml");
    let proto = GameProto::parse(&desc, &text).unwrap_or_else(|e| panic!("{e}"));
    pktlab::fields::register(&proto.field_defs());
    for def in proto.field_defs() {
        let ko = explain::field(def.abbrev, Lang::Ko).unwrap_or_else(|| panic!("no doc for {}", def.abbrev));
        assert!(!ko.body.is_empty());
    }
    let mut decoder = GameDecoder::new(Arc::new(proto));
    let file = CaptureFile::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/framing.pcap")).expect("framing.pcap");
    let mut dissector = Dissector::new();
    let mut spanning = Vec::new();
    for (n, r) in file.records().enumerate() {
        let Ok(r) = r else { break };
        let meta = FrameMeta {
            number: n as u64 + 1,
            ts: r.ts,
            orig_len: r.orig_len,
            interface_id: r.interface_id,
            interface: r.interface.clone(),
            link_type: r.link_type,
            comments: Vec::new(),
            times: Default::default(),
        };
        let mut d = Dissection::default();
        dissector.dissect(&meta, r.data, &mut d);
        decoder.process(&mut d, r.data);
        for (i, f) in d.fields.iter().enumerate() {
            if f.def.abbrev.starts_with("game.") {
                assert!(explain::field(f.def.abbrev, Lang::Ko).is_some(), "no doc for {}", f.def.abbrev);
            }
            if f.def.abbrev == "game.segments" && f.value == Value::UInt(3) {
                spanning.push(explain::value_note(&d, r.data, i, Lang::Ko).unwrap_or_default());
            }
        }
    }
    assert_eq!(spanning.len(), 1, "expected the one 4004-byte message in three segments");
    assert!(spanning[0].contains("TCP 세그먼트 3개에 나뉘어"), "{}", spanning[0]);
}
