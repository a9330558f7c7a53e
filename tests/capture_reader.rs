//! The capture reader against tshark 4.0 (frame.number, interface id, time, lengths of every
//! frame of every public capture), and against hostile files made by cutting and corrupting
//! those real captures: every good record before the damage is kept, the error names the
//! file, the offset and the problem, and nothing panics or allocates what a header claims.

use pktlab::capture::{CaptureErrorKind, CaptureFile, Record, RecordKind};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn public_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public")).to_path_buf()
}

fn public_captures() -> Vec<PathBuf> {
    let dir = public_dir();
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("SKIPPED: {} is absent; public-capture checks not run", dir.display());
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".pcap") || n.ends_with(".pcapng")
        })
        .collect();
    v.sort();
    v
}

fn read_public(name: &str) -> Option<Vec<u8>> {
    let p = public_dir().join(name);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("SKIPPED: {} is absent", p.display());
            None
        }
    }
}

/// (records, error) of reading `bytes` whole.
fn read_all(bytes: Vec<u8>) -> (usize, Option<String>, Vec<(usize, u32)>) {
    match CaptureFile::from_bytes("test.cap", bytes) {
        Err(e) => (0, Some(e.to_string()), Vec::new()),
        Ok(f) => {
            let mut n = 0;
            let mut lens = Vec::new();
            for r in f.records() {
                match r {
                    Ok(r) => {
                        n += 1;
                        lens.push((r.data.len(), r.orig_len));
                    }
                    Err(e) => return (n, Some(e.to_string()), lens),
                }
            }
            (n, None, lens)
        }
    }
}

fn cell(r: &Record) -> [String; 5] {
    [
        r.interface_id.map(|i| i.to_string()).unwrap_or_default(),
        r.ts.map(|t| t.to_string()).unwrap_or_default(),
        r.orig_len.to_string(),
        r.data.len().to_string(),
        if r.kind == RecordKind::Custom { "custom".into() } else { r.link_type.map(|l| l.to_string()).unwrap_or_default() },
    ]
}

#[test]
fn every_public_capture_reads_like_tshark() {
    let caps = public_captures();
    let (mut frames, mut checked) = (0usize, 0usize);
    for cap in &caps {
        let oracle_path = PathBuf::from(format!("{}.oracle.tsv", cap.display()));
        let Ok(text) = std::fs::read_to_string(&oracle_path) else { continue };
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
        let col = |n: &str| header.iter().position(|h| *h == n).expect("oracle column");
        let (c_if, c_t, c_len, c_cap) = (col("frame.interface_id"), col("frame.time_epoch"), col("frame.len"), col("frame.cap_len"));
        let file = CaptureFile::open(cap).unwrap_or_else(|e| panic!("{e}"));
        let mut recs = file.records();
        let tshark_err = Path::new(&format!("{}.oracle.err", cap.display())).exists();
        for (i, line) in lines.enumerate() {
            let row: Vec<&str> = line.split('\t').collect();
            let rec = match recs.next() {
                Some(Ok(r)) => r,
                other => panic!("{}: frame {} missing: {:?}", cap.display(), i + 1, other.map(|r| r.map(|_| ()))),
            };
            let got = cell(&rec);
            let want = [row[c_if], row[c_t], row[c_len], row[c_cap]];
            for k in 0..4 {
                assert_eq!(got[k], want[k], "{} frame {} column {}", cap.display(), i + 1, header[[c_if, c_t, c_len, c_cap][k]]);
                checked += 1;
            }
            frames += 1;
        }
        match recs.next() {
            None => assert!(!tshark_err, "{}: tshark reported damage, pktlab read to the end", cap.display()),
            Some(Err(e)) => {
                assert!(tshark_err, "{}: unexpected error {e}", cap.display());
                assert!(e.to_string().contains("cut short"), "{e}");
            }
            Some(Ok(_)) => panic!("{}: more records than tshark printed", cap.display()),
        }
    }
    if !caps.is_empty() {
        println!("capture reader: {frames} frames of {} captures, {checked} cells equal to tshark", caps.len());
        assert!(frames > 14_000, "expected the whole public corpus, read {frames} frames");
    }
}

#[test]
fn cutting_a_file_anywhere_keeps_the_good_records_and_names_the_offset() {
    for name in ["zeek-smtp.pcap", "hadrielk-le-advanced-test102.pcapng", "tcpdump-pptp.pcap", "rusticata-modified-format.pcap"] {
        let Some(full) = read_public(name) else { continue };
        let (all, err, lens) = read_all(full.clone());
        assert!(err.is_none(), "{name}: {err:?}");
        for cut in 0..full.len() {
            let (n, err, got) = read_all(full[..cut].to_vec());
            assert!(n <= all);
            assert_eq!(got[..], lens[..n], "{name} cut at {cut}: records before the cut must be intact");
            if let Some(e) = err {
                assert!(e.starts_with("test.cap: at byte "), "{e}");
            }
        }
    }
}

#[test]
fn hostile_headers_are_reported_without_allocating_what_they_claim() {
    let Some(good) = read_public("zeek-udp-packet.pcap") else { return };
    // pcap, little-endian: record header at 24: ts_sec, ts_usec, incl_len, orig_len.
    let mut huge = good.clone();
    huge[32..36].copy_from_slice(&u32::MAX.to_le_bytes());
    let (n, err, _) = read_all(huge);
    assert_eq!(n, 0);
    let err = err.expect("an error");
    assert!(err.contains("at byte 24") && err.contains("4294967295 bytes needed"), "{err}");

    // A record length that overruns into the next record: the record before it is kept.
    let mut second = good.clone();
    let first_len = u32::from_le_bytes([good[32], good[33], good[34], good[35]]) as usize;
    let rec2 = 24 + 16 + first_len;
    second[rec2 + 8..rec2 + 12].copy_from_slice(&(1u32 << 31).to_le_bytes());
    let (n, err, _) = read_all(second);
    assert_eq!(n, 1);
    assert!(err.expect("error").contains(&format!("at byte {rec2}")));

    // Snaplen 0 in the file header is legal and changes nothing.
    let mut snap0 = good.clone();
    snap0[16..20].copy_from_slice(&0u32.to_le_bytes());
    assert_eq!(read_all(snap0).0, 4);

    // Wrong magic.
    let mut magic = good.clone();
    magic[..4].copy_from_slice(b"GIF8");
    let err = read_all(magic).1.expect("error");
    assert!(err.contains("at byte 0") && err.contains("not a pcap or pcapng file (magic number 47494638)"), "{err}");

    // Empty file and a file shorter than its header.
    assert!(read_all(Vec::new()).1.expect("error").contains("file cut short"));
    assert!(read_all(good[..10].to_vec()).1.expect("error").contains("pcap file header"));
}

#[test]
fn pcapng_damage_is_named() {
    let Some(good) = read_public("chrissanders-tcp_handshake.pcapng") else { return };
    let (all, err, _) = read_all(good.clone());
    assert_eq!((all, err), (3, None));
    // Walk to the first EPB.
    let blocks = block_offsets(&good);
    let (epb, len) = *blocks.iter().find(|(o, _)| good[*o] == 6).expect("an EPB");

    // The two lengths of a block disagree.
    let mut bad = good.clone();
    bad[epb + len - 4..epb + len].copy_from_slice(&(len as u32 + 4).to_le_bytes());
    let err = read_all(bad).1.expect("error");
    assert!(err.contains(&format!("at byte {}", epb + len - 4)) && err.contains("two lengths disagree"), "{err}");

    // A length that is not a multiple of 4.
    let mut bad = good.clone();
    bad[epb + 4..epb + 8].copy_from_slice(&(len as u32 + 1).to_le_bytes());
    assert!(read_all(bad).1.expect("error").contains("multiple of 4"));

    // An unknown block type is skipped, as the pcapng spec says.
    let mut unknown = good.clone();
    unknown[epb..epb + 4].copy_from_slice(&0x0000_7777u32.to_le_bytes());
    assert_eq!(read_all(unknown), (2, None, read_all(good.clone()).2[1..].to_vec()));

    // An EPB naming an interface that was never described.
    let mut bad = good.clone();
    bad[epb + 8..epb + 12].copy_from_slice(&9u32.to_le_bytes());
    let err = read_all(bad).1.expect("error");
    assert!(err.contains("interface id 9, but the section describes 1 interface"), "{err}");

    // Captured length larger than the block.
    let mut bad = good.clone();
    bad[epb + 20..epb + 24].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(read_all(bad).1.expect("error").contains("exceeds"));
}

fn block_offsets(b: &[u8]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut p = 0;
    while p + 8 <= b.len() {
        let len = u32::from_le_bytes([b[p + 4], b[p + 5], b[p + 6], b[p + 7]]) as usize;
        if len < 12 {
            break;
        }
        v.push((p, len));
        p += len;
    }
    v
}

#[test]
fn a_million_zero_length_records_read_fast() {
    let Some(good) = read_public("zeek-udp-packet.pcap") else { return };
    let mut b = good[..24].to_vec();
    let rec = &good[24..40];
    for _ in 0..1_000_000 {
        b.extend_from_slice(&rec[..8]);
        b.extend_from_slice(&[0; 8]);
    }
    let t = Instant::now();
    let (n, err, _) = read_all(b);
    assert_eq!((n, err), (1_000_000, None));
    println!("1,000,000 zero-length records in {:?}", t.elapsed());
}

#[test]
fn a_missing_file_names_itself() {
    let e = CaptureFile::open(Path::new("/nonexistent/x.pcap")).err().expect("error");
    assert!(matches!(e.kind, CaptureErrorKind::Io(_)));
    assert!(e.to_string().starts_with("/nonexistent/x.pcap: at byte 0: "), "{e}");
}

#[test]
fn a_growing_file_is_resumed_from_a_checkpoint() {
    for name in ["ndpi-rtp.pcapng", "zeek-smtp.pcap", "hadrielk-le-advanced-test102.pcapng"] {
        let Some(full) = read_public(name) else { continue };
        let (all, _, lens) = read_all(full.clone());
        for cut in [full.len() / 3, full.len() / 2, full.len() - 5] {
            // A writer has written `cut` bytes so far.
            let part = CaptureFile::from_bytes("growing", full[..cut].to_vec()).expect("header");
            let mut walk = part.records();
            let mut got: Vec<(usize, u32)> = Vec::new();
            for r in walk.by_ref() {
                match r {
                    Ok(r) => got.push((r.data.len(), r.orig_len)),
                    Err(e) => assert!(e.to_string().contains("cut short"), "{e}"),
                }
            }
            let at = walk.checkpoint();
            // Later the file is whole: go on from where the first walk stopped.
            let whole = CaptureFile::from_bytes("growing", full.clone()).expect("header");
            for r in whole.records_from(&at) {
                let r = r.expect("the rest reads cleanly");
                got.push((r.data.len(), r.orig_len));
            }
            assert_eq!(got.len(), all, "{name} cut at {cut}");
            assert_eq!(got, lens, "{name} cut at {cut}");
        }
    }
}

mod whole_files {
    //! Whole capture files mutated and cut at random points, through the reader, the
    //! dissector and the analysis: nothing panics, every error names the file and an offset
    //! inside it, and records before the damage are the same as in the intact file.
    use pktlab::analysis::{Analyzer, annotate};
    use pktlab::capture::CaptureFile;
    use pktlab::dissect::{Dissection, Dissector};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn files() -> &'static Vec<(String, Vec<u8>)> {
        static F: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
        F.get_or_init(|| {
            let mut v = Vec::new();
            for dir in [concat!(env!("CARGO_MANIFEST_DIR"), "/captures"), concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public")] {
                let Ok(rd) = std::fs::read_dir(dir) else { continue };
                let mut names: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                names.sort();
                for p in names {
                    let n = p.to_string_lossy().to_string();
                    if !(n.ends_with(".pcap") || n.ends_with(".pcapng")) {
                        continue;
                    }
                    if let Ok(b) = std::fs::read(&p)
                        && b.len() < 300_000
                    {
                        v.push((n, b));
                    }
                }
            }
            v
        })
    }

    /// Reads and dissects everything; returns the captured lengths of the good records.
    fn run(bytes: Vec<u8>) -> Vec<usize> {
        let len = bytes.len() as u64;
        let Ok(file) = CaptureFile::from_bytes("mutated.cap", bytes) else { return Vec::new() };
        let mut dissector = Dissector::new();
        let mut analyzer = Analyzer::new();
        let mut d = Dissection::default();
        let mut lens = Vec::new();
        for (i, r) in file.records().enumerate() {
            match r {
                Ok(r) => {
                    let meta = r.meta(i as u64 + 1);
                    dissector.dissect(&meta, r.data, &mut d);
                    let fa = analyzer.process(&d, r.data, &meta);
                    annotate(&fa, &mut d);
                    for f in &d.fields {
                        let _ = pktlab::dissect::format::cell(&d, r.data, f);
                    }
                    lens.push(r.data.len());
                }
                Err(e) => {
                    assert!(e.to_string().starts_with("mutated.cap: at byte "), "{e}");
                    assert!(e.offset <= len, "offset {} beyond the file's {len} bytes", e.offset);
                }
            }
        }
        lens
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        #[test]
        fn mutated_and_cut_files_never_panic(
            pick in any::<prop::sample::Index>(),
            muts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
            cut in any::<prop::sample::Index>(),
        ) {
            let files = files();
            if files.is_empty() {
                return Ok(());
            }
            let (_, orig) = &files[pick.index(files.len())];
            let intact = run(orig.clone());
            let mut b = orig.clone();
            let mut first_change = b.len();
            for (at, byte) in &muts {
                let i = at.index(b.len().max(1));
                if let Some(x) = b.get_mut(i) {
                    if *x != *byte {
                        first_change = first_change.min(i);
                    }
                    *x = *byte;
                }
            }
            let cut_at = cut.index(b.len() + 1);
            b.truncate(cut_at);
            let got = run(b);
            // Records that end before the first changed byte and the cut are read as before.
            let prefix_end = first_change.min(cut_at);
            let mut same = 0usize;
            if let Ok(f) = CaptureFile::from_bytes("intact", orig.clone()) {
                for r in f.records().flatten() {
                    // The record's end, with a margin for pcapng options and trailer.
                    if r.data_offset as usize + r.data.len() + 64 >= prefix_end {
                        break;
                    }
                    same += 1;
                }
            }
            let same = same.min(intact.len());
            prop_assert!(got.len() >= same.saturating_sub(1), "lost good records: {} < {}", got.len(), same);
            prop_assert_eq!(&got[..same.min(got.len())], &intact[..same.min(got.len())]);
        }
    }
}
