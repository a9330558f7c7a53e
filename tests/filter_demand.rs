//! A dissector given a filter's [`Demand`] adds only the fields the filter reads (the fast
//! first look of `dissect -Y` and `-T fields`). On every frame of every capture, for every
//! filter in tests/filters.txt (plus a few about checksums, experts, text and the newer language
//! forms), the filter must
//! give the same answer on the lean dissection as on the full one, and every field the lean
//! one holds must be the full one's, in the same order with the same value.

use pktlab::capture::CaptureFile;
use pktlab::dissect::{Dissection, Dissector};
use pktlab::filter::Filter;
use std::path::{Path, PathBuf};

fn captures() -> Vec<PathBuf> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("captures")];
    let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public");
    if public.is_dir() {
        dirs.push(public);
    } else {
        eprintln!("SKIPPED (public captures): ../shared/captures/public is absent; the project's own captures only");
    }
    let mut v: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    v.sort();
    v
}

fn filters() -> Vec<Filter> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/filters.txt")).expect("tests/filters.txt");
    let extra = [
        "tcp.checksum.status == 1",
        "udp.checksum_calculated == udp.checksum",
        "ip.checksum.status == 0",
        "_ws.expert",
        "_ws.malformed",
        "frame.protocols contains \"dns\"",
        "tcp.flags.str contains \"S\"",
        "mdns || dns.qry.name",
        "eth.addr == ff:ff:ff:ff:ff:ff",
        "ipv6.routing.segleft > 0",
        // The language's newer forms: arithmetic, functions, layers, quantifiers, time fields,
        // masks on bytes, slices past the end.
        "ip.len - 20 > 1000",
        "tcp.dstport == tcp.srcport + 1",
        "-ip.len < -1400 || {ip.ttl + 1} * 2 == 130",
        "string(ip.src) == \"127.0.0.1\"",
        "upper(dns.qry.name) contains \"GOOGLE\"",
        "max(udp.srcport, udp.dstport) < 1024",
        "abs(-udp.srcport) == 53",
        "len(tcp.port) == 2 && count(ip.src) == 2",
        "ip.addr#2 == 127.0.0.1",
        "ip.dst#[-1] == 224.0.0.251",
        "all ip.addr == 127.0.0.1",
        "any tcp.port > 1024",
        "frame.time_relative > 1 && frame.time_delta < 0.5",
        "frame.time >= \"2015-01-01T00:00:00Z\"",
        "icmp.resptime > 10",
        "eth.src & ff:00:00:00:00:00",
        "frame[60] && udp[0:2] == :00:35",
        "ip.flags.df == \"Set\" && tcp.checksum.status == \"Good\"",
    ];
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .chain(extra)
        .map(|l| Filter::compile(l).unwrap_or_else(|e| panic!("{l}: {}", e.render(l))))
        .collect()
}

/// Whether `lean`'s fields are a subsequence of `full`'s with equal definitions and values.
fn is_part_of(lean: &Dissection, full: &Dissection) -> bool {
    let mut it = full.fields.iter();
    lean.fields.iter().all(|l| it.any(|f| std::ptr::eq(f.def, l.def) && f.value == l.value && f.offset == l.offset && f.len == l.len && f.source == l.source))
}

#[test]
fn a_filter_sees_the_same_frames_on_its_lean_dissection() {
    let filters = filters();
    let (mut frames, mut checks) = (0u64, 0u64);
    for path in captures() {
        let Ok(file) = CaptureFile::open(&path) else { continue };
        let mut full = Dissector::new();
        // One lean dissector per filter: each sees every frame in order, as the full one does.
        let mut lean: Vec<Dissector> = filters
            .iter()
            .map(|f| {
                let mut d = Dissector::new();
                d.set_text(false);
                d.set_demand(Some(f.demand()));
                d
            })
            .collect();
        let (mut df, mut dl) = (Dissection::default(), Dissection::default());
        for (i, rec) in file.records().enumerate() {
            let Ok(rec) = rec else { break };
            let meta = rec.meta(i as u64 + 1);
            full.dissect(&meta, rec.data, &mut df);
            for (flt, ld) in filters.iter().zip(lean.iter_mut()) {
                ld.dissect(&meta, rec.data, &mut dl);
                assert_eq!(
                    flt.matches(&dl, rec.data),
                    flt.matches(&df, rec.data),
                    "{} frame {}: {:?} differs on the lean dissection",
                    path.display(),
                    meta.number,
                    flt.text()
                );
                assert!(is_part_of(&dl, &df), "{} frame {}: {:?}: a lean field is not the full one's", path.display(), meta.number, flt.text());
                assert_eq!(dl.layers.len(), df.layers.len(), "{} frame {}: layers", path.display(), meta.number);
                assert_eq!(dl.transports, df.transports, "{} frame {}: transport facts", path.display(), meta.number);
                checks += 1;
            }
            frames += 1;
        }
    }
    assert!(frames > 0);
    println!("lean vs full dissection: {} filters on {frames} frames, {checks} answers, all equal", filters.len());
}
