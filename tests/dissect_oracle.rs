//! Conformance of the dissector with tshark 4.0: for every public capture with a
//! `NAME.oracle.tsv` (57 columns, header row = field names), every frame is dissected and
//! every cell printed as `-T fields -E occurrence=f` would print it, then compared.
//! Columns tshark fills from heuristics or state pktlab deliberately does not copy are
//! listed in tests/dissect_deviations.txt (`column<TAB>reason`, or
//! `capture<TAB>frame<TAB>column<TAB>reason` for single cells) and left out of the count.

use pktlab::capture::CaptureFile;
use pktlab::dissect::format::{Occurrence, cells};
use pktlab::dissect::{Dissection, Dissector, FrameMeta};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

fn public_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public")).to_path_buf()
}

struct Deviations {
    columns: HashSet<String>,
    cells: HashSet<(String, u64, String)>,
}

fn deviations() -> Deviations {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dissect_deviations.txt")).unwrap_or_default();
    let mut d = Deviations { columns: HashSet::new(), cells: HashSet::new() };
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('\t').collect();
        match parts.as_slice() {
            [col, _reason] => {
                d.columns.insert((*col).to_owned());
            }
            [cap, frame, col, _reason] => {
                d.cells.insert(((*cap).to_owned(), frame.parse().unwrap_or(0), (*col).to_owned()));
            }
            _ => panic!("bad line in dissect_deviations.txt: {line}"),
        }
    }
    d
}

#[derive(Default)]
struct Score {
    matched: u64,
    total: u64,
}

#[test]
fn dissector_agrees_with_tshark() {
    let dir = public_dir();
    if !dir.exists() {
        println!("../shared/captures/public is absent: dissector conformance test skipped");
        return;
    }
    let dev = deviations();
    let mut oracles: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read public dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".oracle.tsv"))
        .collect();
    oracles.sort();
    let mut total = Score::default();
    let mut per_column: BTreeMap<String, (u64, Vec<String>)> = BTreeMap::new();
    // Excluded columns are still compared, for information only.
    let mut excluded: BTreeMap<String, (u64, u64, Vec<String>)> = BTreeMap::new();
    let mut proto_pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
    for oracle in &oracles {
        let name = oracle.file_name().unwrap().to_string_lossy().trim_end_matches(".oracle.tsv").to_owned();
        let cap = dir.join(&name);
        let text = std::fs::read_to_string(oracle).expect("read oracle");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
        let file = match CaptureFile::open(&cap) {
            Ok(f) => f,
            Err(e) => {
                assert!(rows.is_empty(), "{name}: cannot open ({e}) but the oracle has rows");
                continue;
            }
        };
        let mut dis = Dissector::new();
        let mut d = Dissection::default();
        let mut score = Score::default();
        let mut records = file.records();
        for (i, row) in rows.iter().enumerate() {
            let number = i as u64 + 1;
            let rec = match records.next() {
                Some(Ok(r)) => r,
                other => panic!("{name}: frame {number} missing from the reader: {other:?}"),
            };
            let meta = FrameMeta {
                number,
                ts: rec.ts,
                orig_len: rec.orig_len,
                interface_id: rec.interface_id,
                interface: rec.interface.clone(),
                link_type: rec.link_type,
                comments: rec.comments.iter().map(|c| c.to_string()).collect(),
                times: Default::default(),
            };
            dis.dissect(&meta, rec.data, &mut d);
            for (c, col) in header.iter().enumerate() {
                let want = row.get(c).copied().unwrap_or("");
                let got = cells(&d, rec.data, col, Occurrence::First);
                if dev.columns.contains(*col) || dev.cells.contains(&(name.clone(), number, (*col).to_owned())) {
                    let e = excluded.entry((*col).to_owned()).or_default();
                    e.1 += 1;
                    if got == want {
                        e.0 += 1;
                    } else if *col == "frame.protocols" {
                        *proto_pairs.entry((got.clone(), want.chars().take(60).collect())).or_default() += 1;
                    } else if e.2.len() < 8 {
                        e.2.push(format!("{name} #{number}: got {got:?}, tshark {want:?}"));
                    }
                    continue;
                }
                score.total += 1;
                if got == want {
                    score.matched += 1;
                } else {
                    let e = per_column.entry((*col).to_owned()).or_default();
                    e.0 += 1;
                    if e.1.len() < 5 {
                        e.1.push(format!("{name} #{number}: got {got:?}, tshark {want:?}"));
                    }
                }
            }
        }
        println!(
            "{name}: {}/{} cells ({:.3}%)",
            score.matched,
            score.total,
            100.0 * score.matched as f64 / score.total.max(1) as f64
        );
        total.matched += score.matched;
        total.total += score.total;
    }
    println!("\nmismatches by column:");
    for (col, (n, examples)) in &per_column {
        println!("  {col}: {n}");
        for e in examples {
            println!("      {e}");
        }
    }
    println!("\nexcluded columns (informative, see tests/dissect_deviations.txt):");
    for (col, (ok, n, examples)) in &excluded {
        println!("  {col}: {ok}/{n} agree");
        for e in examples {
            println!("      {e}");
        }
    }
    let mut pairs: Vec<_> = proto_pairs.into_iter().collect();
    pairs.sort_by_key(|p| std::cmp::Reverse(p.1));
    for ((got, want), n) in pairs.iter().take(25) {
        println!("      frame.protocols x{n}: got {got:?}, tshark {want:?}");
    }
    let pct = 100.0 * total.matched as f64 / total.total.max(1) as f64;
    println!("\nTOTAL: {}/{} cells agree ({pct:.3}%)", total.matched, total.total);
    assert!(pct >= 99.9, "agreement {pct:.3}% is below 99.9%");
}
