//! A dissector given a filter's [`Demand`] adds only the fields the filter reads (the fast
//! first look of `dissect -Y` and `-T fields`). On every frame of every capture, for every
//! filter in tests/filters.txt (plus a few about checksums, experts, text and the newer language
//! forms), the filter must
//! give the same answer on the lean dissection as on the full one, and every field the lean
//! one holds must be the full one's, in the same order with the same value.
//!
//! A lean dissector also skips whole blocks of a header no wanted field is in (the frame
//! layer, Ethernet addresses, the IPv4 header, TCP's flag bits and options, UDP, …): for every
//! field a full dissection of a capture holds, a dissector wanting that field alone must add
//! every occurrence of it, so a block that adds a field it does not list is caught.

use pktlab::capture::CaptureFile;
use pktlab::dissect::{Demand, Dissection, Dissector, FieldDef, Value};
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
        // Each block a lean dissection skips whole when no field of it is wanted (the frame
        // layer, Ethernet addresses, the IPv4 header and host twins, TCP ports, header, flag
        // bits and options, UDP, data), alone and beside a field of another block, with
        // expert items (which a skipped block still adds) and checksums.
        "frame.len > 100 && frame.cap_len == frame.len",
        "frame.number == 3 || frame.time_delta_displayed > 0.1",
        "frame.protocols == \"eth:ethertype:ip:udp:data\"",
        "eth.dst.ig == 1 || eth.src.lg == 1",
        "eth.ig == 0 && tcp.port == 443",
        "ip.ttl < 64 || ip.flags.df == 0",
        "ip.dsfield.dscp > 0 || ip.id == 0",
        "ip.hdr_len > 20 && udp",
        "ip.checksum.status == \"Good\" && ip.proto == 17",
        "ip.host == 127.0.0.1 && !(ip.dst_host == 127.0.0.1)",
        "ip.src_host == 10.0.0.1 || tcp.flags.syn == 1",
        "tcp.srcport < tcp.dstport && tcp.flags.push == 1",
        "tcp.hdr_len > 20 && tcp.window_size_value < 1000",
        "tcp.urgent_pointer > 0 || tcp.seq_raw == 0 || tcp.ack_raw == 1",
        "tcp.payload && !data",
        "tcp.len > 0 && tcp.flags.ack == 1",
        "tcp.options.wscale.shift > 5 || tcp.options.sack_le",
        "tcp.options.mss_val < 1460 || tcp.options.timestamp.tsval == 0",
        "tcp.option_kind == 8 && ip.src",
        "tcp.checksum.status == 2 && tcp.flags.fin == 1",
        "udp.length > 100 && udp.srcport > 1024",
        "udp.payload && udp.checksum.status == 1",
        "udp.port == 53 || udp.checksum_calculated == 0",
        "data.len > 10 && ip.proto == 6",
        "data.data[0] == 0x17",
        "_ws.expert && tcp.port == 80",
        "_ws.expert && udp && !ip.ttl",
        "_ws.malformed || frame.len < 60",
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

/// The occurrences of `def` in `d`: (value, offset, length, source, depth, hidden, generated).
fn occurrences(d: &Dissection, def: &'static FieldDef) -> Vec<(Value, u32, u32, u8, u8, bool, bool)> {
    d.fields.iter().filter(|f| std::ptr::eq(f.def, def)).map(|f| (f.value.clone(), f.offset, f.len, f.source, f.depth, f.hidden, f.generated)).collect()
}

#[test]
fn a_dissector_wanting_one_field_adds_every_occurrence_of_it() {
    let every: Vec<&'static FieldDef> = pktlab::dissect::fields().collect();
    let (mut fields_checked, mut answers) = (0usize, 0u64);
    for path in captures() {
        let Ok(file) = CaptureFile::open(&path) else { continue };
        // The full dissection of every frame, in order (one dissector sees them all).
        let mut full = Dissector::new();
        let mut fulls = Vec::new();
        let mut metas = Vec::new();
        for (i, rec) in file.records().enumerate() {
            let Ok(rec) = rec else { break };
            let meta = rec.meta(i as u64 + 1);
            let mut d = Dissection::default();
            full.dissect(&meta, rec.data, &mut d);
            fulls.push(d);
            metas.push(meta);
        }
        // Each field some frame holds, wanted alone by a dissector that reads every frame.
        let held: std::collections::HashSet<*const FieldDef> = fulls.iter().flat_map(|d| d.fields.iter().map(|f| f.def as *const FieldDef)).collect();
        for &def in every.iter().filter(|def| held.contains(&(**def as *const FieldDef))) {
            let mut lean = Dissector::new();
            lean.set_text(false);
            lean.set_demand(Some(Demand::new([def], false)));
            let mut dl = Dissection::default();
            for ((rec, meta), df) in file.records().zip(&metas).zip(&fulls) {
                let Ok(rec) = rec else { break };
                lean.dissect(meta, rec.data, &mut dl);
                assert_eq!(occurrences(&dl, def), occurrences(df, def), "{} frame {}: {} wanted alone", path.display(), meta.number, def.abbrev);
                assert_eq!(dl.layers.len(), df.layers.len(), "{} frame {}: layers", path.display(), meta.number);
                assert_eq!(dl.transports, df.transports, "{} frame {}: transport facts", path.display(), meta.number);
                answers += 1;
            }
            fields_checked += 1;
        }
    }
    assert!(fields_checked > 100, "only {fields_checked} fields seen");
    println!("one field wanted alone: {fields_checked} (capture, field) pairs, {answers} frames, every occurrence there");
}
