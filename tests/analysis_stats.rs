//! UDP flow statistics and TCP/UDP overhead over real captures (reader → dissector →
//! analyzer), checked against tshark's analysis oracle (tcp.len totals, udp.stream counts).

use pktlab::analysis::overhead::Overhead;
use pktlab::analysis::udp_stats::UdpFlows;
use pktlab::capture::CaptureFile;

mod common;
use common::public;

fn run(name: &str) -> Option<(Overhead, UdpFlows)> {
    let file = CaptureFile::open(&public(name)).ok()?;
    let (mut o, mut u) = (Overhead::default(), UdpFlows::default());
    // Damage ends the walk; the frames before it count.
    let _ = common::each_frame(&file, |_, _, d, fa| {
        o.push(d, fa);
        u.push(fa);
    });
    Some((o, u))
}

/// (sum of tcp.len, rows with a tcp.len, rows with a udp.stream) from the oracle.
fn oracle(name: &str) -> Option<(u64, u64, u64)> {
    let text = std::fs::read_to_string(public(&format!("{name}.analysis.tsv"))).ok()?;
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next()?.split('\t').collect();
    let (len, us) = (head.iter().position(|h| *h == "tcp.len")?, head.iter().position(|h| *h == "udp.stream")?);
    let (mut sum, mut tcp, mut udp) = (0, 0, 0);
    for l in lines {
        let c: Vec<&str> = l.split('\t').collect();
        if let Some(n) = c.get(len).and_then(|s| s.parse::<u64>().ok()) {
            sum += n;
            tcp += 1;
        }
        if c.get(us).is_some_and(|s| !s.is_empty()) {
            udp += 1;
        }
    }
    Some((sum, tcp, udp))
}

#[test]
fn overhead_and_udp_flows_agree_with_tshark_totals() {
    let mut checked = 0;
    for name in ["chrissanders-tcp_handshake.pcapng", "lwerdna-simple_http_sll2.pcap", "ndpi-rtp.pcapng", "tcpdump-dns_udp.pcap", "ndpi-teamspeak3.pcap"] {
        let (Some((o, u)), Some((tcp_bytes, tcp_frames, udp_frames))) = (run(name), oracle(name)) else { continue };
        checked += 1;
        println!(
            "{name}: TCP {} frames, {} header B, {} payload B ({:.1}% overhead); UDP {} frames, {} header B, {} payload B ({:.1}%); {} UDP flow directions",
            o.tcp.frames,
            o.tcp.header_bytes,
            o.tcp.payload_bytes,
            o.tcp.overhead_ratio() * 100.0,
            o.udp.frames,
            o.udp.header_bytes,
            o.udp.payload_bytes,
            o.udp.overhead_ratio() * 100.0,
            u.flows.len()
        );
        assert_eq!((o.tcp.frames, o.tcp.payload_bytes), (tcp_frames, tcp_bytes), "{name} tcp");
        assert_eq!(o.udp.frames, udp_frames, "{name} udp");
        assert_eq!(o.udp.transport_header_bytes, 8 * udp_frames, "{name}: 8-byte UDP headers");
        assert!(o.tcp.transport_header_bytes >= 20 * o.tcp.frames, "{name}: TCP headers at least 20 bytes");
        let flow_packets: u64 = u.flows.values().map(|f| f.packets).sum();
        assert_eq!(flow_packets, udp_frames, "{name} udp flows");
        let sized: u64 = u.flows.values().map(|f| f.sizes.iter().sum::<u64>()).sum();
        assert_eq!(sized, flow_packets);
        for f in u.flows.values() {
            assert!(f.jitter.is_finite() && f.jitter >= 0.0 && f.mean_iat >= 0.0);
        }
    }
    if checked == 0 {
        eprintln!("skip: public captures not present");
    }
}
