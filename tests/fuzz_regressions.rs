//! Inputs the fuzzers found (fuzz/run.sh), kept so they stay fixed: every file under
//! tests/regressions/<target>/ goes through what that fuzz target exercises.
//! A finding is added here once fixed (or, for a timeout, once shown to be the machine's load
//! and not the code: the input must then run well within the fuzzer's limit here).

use pktlab::analysis::{Analyzer, annotate};
use pktlab::capture::CaptureFile;
use pktlab::dissect::{Dissection, Dissector, FrameMeta};
use pktlab::filter::Filter;
use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/regressions")).join(target);
    let Ok(rd) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut v: Vec<_> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
        .collect();
    v.sort();
    v
}

fn seed_frame() -> Vec<u8> {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds/lo-tcp-udp.pcap")).expect("seed capture");
    let file = CaptureFile::from_bytes("seed.pcap", bytes).expect("seed header");
    let first = file.records().next().expect("a frame").expect("a good frame");
    first.data.to_vec()
}

#[test]
fn filter_findings() {
    let frame = seed_frame();
    let meta = FrameMeta { number: 1, orig_len: frame.len() as u32, link_type: Some(1), ..FrameMeta::default() };
    let mut d = Dissection::default();
    Dissector::new().dissect(&meta, &frame, &mut d);
    for (name, data) in inputs("filter") {
        let text = String::from_utf8_lossy(&data);
        let t = std::time::Instant::now();
        match Filter::compile(&text) {
            Ok(f) => {
                let _ = f.matches(&d, &frame);
            }
            Err(e) => assert!(!e.render(&text).is_empty(), "{name}: empty error"),
        }
        println!("{name}: {:?}", t.elapsed());
    }
}

#[test]
fn capture_and_dissect_findings() {
    for target in ["capture_file", "dissect"] {
        for (name, data) in inputs(target) {
            let mut dissector = Dissector::new();
            let mut d = Dissection::default();
            if target == "dissect" {
                let Some((_, frame)) = data.split_first() else { continue };
                for lt in [0, 1, 101, 108, 113, 127, 228, 229, 276] {
                    let meta = FrameMeta { number: 1, orig_len: frame.len() as u32, link_type: Some(lt), ..FrameMeta::default() };
                    dissector.dissect(&meta, frame, &mut d);
                    annotate(&Analyzer::new().process(&d, frame, &meta), &mut d);
                }
                continue;
            }
            let Ok(file) = CaptureFile::from_bytes(name.clone(), data) else { continue };
            for (i, r) in file.records().enumerate() {
                let Ok(r) = r else { break };
                let meta = FrameMeta {
                    number: i as u64 + 1,
                    ts: r.ts,
                    orig_len: r.orig_len,
                    interface_id: r.interface_id,
                    interface: r.interface.clone(),
                    link_type: r.link_type,
                    comments: Vec::new(),
                    times: Default::default(),
                };
                dissector.dissect(&meta, r.data, &mut d);
            }
        }
    }
}

/// game_proto found that every parse leaked its layer title and column text. Parsing the same
/// description again must reuse them (the same `'static` text), so reloading a description
/// costs nothing, and a broken one must still give its `file:line` message.
#[test]
fn game_proto_findings() {
    use pktlab::game::proto::GameProto;
    let found = inputs("game_proto");
    assert!(!found.is_empty(), "tests/regressions/game_proto/ holds the leak finding");
    for (name, data) in found {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        match (GameProto::parse(Path::new("fuzz.toml"), text), GameProto::parse(Path::new("fuzz.toml"), text)) {
            (Ok(a), Ok(b)) => {
                assert!(std::ptr::eq(a.title, b.title), "{name}: the title was made again");
                assert!(std::ptr::eq(a.column, b.column), "{name}: the column was made again");
                let _ = a.field_defs();
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            _ => panic!("{name}: two parses of the same text disagree"),
        }
    }
}
