//! The dissector never panics: random bytes under every link type, and real frames from the
//! public captures mutated and cut at random points (when ../shared is present), dissected
//! by one long-lived dissector so the reassembly and echo tables see hostile input too.

use pktlab::capture::CaptureFile;
use pktlab::dissect::format::{Occurrence, cells};
use pktlab::dissect::{Dissection, Dissector, FrameMeta, Timestamp};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

const LINK_TYPES: &[Option<u32>] = &[None, Some(0), Some(1), Some(101), Some(108), Some(113), Some(127), Some(228), Some(229), Some(276), Some(12345)];

/// Real frames (link type, bytes) from a few public captures covering every dissector.
fn corpus() -> &'static Vec<(Option<u32>, Vec<u8>)> {
    static C: OnceLock<Vec<(Option<u32>, Vec<u8>)>> = OnceLock::new();
    C.get_or_init(|| {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public"));
        let names = [
            "chrissanders-icmp_traceroute.pcapng",
            "chrissanders-ip_frag_source.pcapng",
            "chrissanders-ipv6_fragments.pcapng",
            "tcpdump-icmpv6.pcap",
            "tcpdump-ipv6-routing-header.pcap",
            "tcpdump-vxlan.pcap",
            "tcpdump-dns_udp.pcap",
            "zeek-http-vlan-0.pcap",
            "tcpdump-tcp-handshake-nano.pcap",
            "lwerdna-simple_http_sll2.pcap",
            "gopacket-test_loopback.pcap",
            "tcpdump-LINKTYPE_RAW_ipv6.pcap",
            "chrissanders-tcp_dupack.pcapng",
            "zeek-smtp.pcap",
            "rusticata-wireshark_samples-test.pcapng",
        ];
        let mut out = Vec::new();
        for n in names {
            let Ok(file) = CaptureFile::open(&dir.join(n)) else { continue };
            for rec in file.records().take(200).flatten() {
                out.push((rec.link_type, rec.data.to_vec()));
            }
        }
        if out.is_empty() {
            println!("../shared/captures/public absent: mutation cases use random bytes only");
        }
        out
    })
}

fn run(dis: &mut Dissector, link_type: Option<u32>, data: &[u8], orig_len: u32) {
    let meta = FrameMeta { number: 1, ts: Some(Timestamp { secs: 1, nanos: 2 }), orig_len, interface_id: Some(0), interface: None, link_type, comments: vec![], times: Default::default() };
    let mut d = Dissection::default();
    dis.dissect(&meta, data, &mut d);
    // Printing every field must not panic either, and ranges must be readable.
    for f in &d.fields {
        let _ = pktlab::dissect::format::cell(&d, data, f);
        let _ = d.field_bytes(data, f);
    }
    let _ = cells(&d, data, "_ws.expert", Occurrence::First);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(lt in 0usize..LINK_TYPES.len(), data in proptest::collection::vec(any::<u8>(), 0..200), extra in 0u32..2000) {
        let mut dis = Dissector::new();
        run(&mut dis, LINK_TYPES[lt], &data, data.len() as u32 + extra);
        run(&mut dis, LINK_TYPES[lt], &data, data.len().saturating_sub(extra as usize) as u32);
    }

    #[test]
    fn mutated_real_frames_never_panic(
        pick in any::<usize>(),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..12),
        cut in any::<usize>(),
        lie in 0u32..3,
    ) {
        let corpus = corpus();
        let (lt, mut data) = if corpus.is_empty() {
            (Some(1), vec![0u8; 64])
        } else {
            corpus[pick % corpus.len()].clone()
        };
        let wire = data.len() as u32;
        for (at, v) in flips {
            if !data.is_empty() {
                let i = at % data.len();
                data[i] = v;
            }
        }
        if !data.is_empty() {
            data.truncate(cut % (data.len() + 1));
        }
        let orig_len = match lie { 0 => wire, 1 => data.len() as u32, _ => 0 };
        let mut dis = Dissector::new();
        run(&mut dis, lt, &data, orig_len);
        // Any other link type over the same bytes.
        run(&mut dis, LINK_TYPES[pick % LINK_TYPES.len()], &data, orig_len);
    }
}

#[test]
fn every_prefix_of_every_corpus_frame() {
    let mut dis = Dissector::new();
    for (lt, data) in corpus().iter().take(400) {
        for n in 0..=data.len().min(200) {
            run(&mut dis, *lt, &data[..n], data.len() as u32);
        }
    }
}
