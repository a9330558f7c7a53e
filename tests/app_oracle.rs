//! Conformance of the application layers (DNS, HTTP, WebSocket, TLS, QUIC, DHCP) with tshark
//! 4.0: every column of `FILE.app.tsv` that names a field pktlab defines is compared cell by
//! cell (first occurrence, as `-E occurrence=f` prints it) on every public capture and on the
//! captures recorded for the project (`tests/app/FILE.app.tsv`, made by
//! `../shared/captures/make-app-oracle.sh` from `captures/app/FILE`), and the frame sets of
//! `FILE.appflags.tsv` (`http.request`, `tls.handshake.type == 1`, `tcp.analysis.reused_ports`,
//! …) are compared with the frames pktlab's display filter keeps.
//!
//! Per protocol it prints the share of the cells tshark fills that agree (at least 99% is
//! required) and how many cells pktlab fills where tshark leaves them empty (at most 1% of
//! the filled ones). Explained single differences are listed in tests/app_deviations.txt.

mod common;

use pktlab::analysis::annotate;
use pktlab::capture::CaptureFile;
use pktlab::dissect::format::{Occurrence, cells};
use pktlab::filter::Filter;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Score {
    filled: u64,
    agree: u64,
    extra: u64,
    examples: Vec<String>,
}

/// The protocol a column belongs to, for the per-protocol figures.
fn proto(col: &str) -> &str {
    col.split('.').next().unwrap_or(col)
}

/// Captures with an application oracle: (capture, oracle, flags).
fn captures() -> Vec<(PathBuf, PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let public = common::public("");
    if public.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&public).expect("public dir").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.to_string_lossy().ends_with(".app.tsv")).collect();
        v.sort();
        for o in v {
            let cap = PathBuf::from(o.to_string_lossy().trim_end_matches(".app.tsv"));
            let flags = PathBuf::from(format!("{}.appflags.tsv", cap.display()));
            out.push((cap, o, flags));
        }
    } else {
        println!("../shared/captures/public is absent: only the project's own captures are compared");
    }
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/app");
    if let Ok(rd) = std::fs::read_dir(&own) {
        let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.to_string_lossy().ends_with(".app.tsv")).collect();
        v.sort();
        for o in v {
            let name = o.file_name().unwrap_or_default().to_string_lossy().trim_end_matches(".app.tsv").to_owned();
            let cap = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/app").join(&name);
            let flags = own.join(format!("{name}.appflags.tsv"));
            out.push((cap, o, flags));
        }
    }
    out
}

/// Cells and frame-set members left out of the count: (capture, frame, column or flag).
fn deviations() -> HashSet<(String, u64, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/app_deviations.txt")).unwrap_or_default();
    let mut d = HashSet::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        match line.split('\t').collect::<Vec<_>>().as_slice() {
            [cap, frame, col, _reason] => {
                d.insert(((*cap).to_owned(), frame.parse().unwrap_or(0), (*col).to_owned()));
            }
            _ => panic!("bad line in app_deviations.txt: {line}"),
        }
    }
    d
}

#[test]
fn application_layers_agree_with_tshark() {
    let dev = deviations();
    let caps = captures();
    if caps.is_empty() {
        println!("no application oracle found: nothing compared");
        return;
    }
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let mut skipped: BTreeSet<String> = BTreeSet::new();
    let mut set_failures = Vec::new();
    let mut sets_compared = 0;
    for (cap, oracle, flags) in &caps {
        let name = cap.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(oracle).expect("read oracle");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
        let cols: Vec<(usize, &str)> = header
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                let known = !c.starts_with("frame.") && pktlab::fields::by_name(c).is_some();
                if !known {
                    skipped.insert(c.to_string());
                }
                known
            })
            .map(|(i, c)| (i, *c))
            .collect();
        let wanted: Vec<(String, BTreeSet<u64>)> = std::fs::read_to_string(flags)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(f, s)| (f.to_owned(), s.split(',').filter_map(|n| n.trim().parse().ok()).collect()))
            .collect();
        let filters: Vec<(String, Option<Filter>, BTreeSet<u64>)> = wanted.into_iter().map(|(f, set)| (f.clone(), Filter::compile(&f).ok(), set)).collect();
        let mut got_sets: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); filters.len()];
        let file = match CaptureFile::open(cap) {
            Ok(f) => f,
            Err(e) => {
                assert!(rows.is_empty(), "{name}: cannot open ({e}) but the oracle has rows");
                continue;
            }
        };
        let read = common::each_frame(&file, |meta, data, d, fa| {
            let Some(row) = rows.get(meta.number as usize - 1) else { return };
            // Generated fields (tcp.time_relative, relative numbers) as tshark shows them.
            annotate(fa, d);
            for &(i, col) in &cols {
                if dev.contains(&(name.clone(), meta.number, col.to_owned())) {
                    continue;
                }
                let want = row.get(i).copied().unwrap_or("");
                let got = cells(d, data, col, Occurrence::First);
                let s = scores.entry(proto(col).to_owned()).or_default();
                if want.is_empty() {
                    if !got.is_empty() {
                        s.extra += 1;
                        if s.examples.len() < 12 {
                            s.examples.push(format!("{name} #{} {col}: got {got:?}, tshark empty", meta.number));
                        }
                    }
                    continue;
                }
                s.filled += 1;
                if got == want {
                    s.agree += 1;
                } else if s.examples.len() < 12 {
                    s.examples.push(format!("{name} #{} {col}: got {got:?}, tshark {want:?}", meta.number));
                }
            }
            for (k, (f, flt, _)) in filters.iter().enumerate() {
                if dev.contains(&(name.clone(), meta.number, f.clone())) {
                    continue;
                }
                if flt.as_ref().is_some_and(|flt| flt.matches(d, data)) {
                    got_sets[k].insert(meta.number);
                }
            }
        });
        if let Err(e) = read {
            // A capture damaged part-way: the frames before the damage were compared.
            println!("{name}: reading stopped: {e}");
        }
        for (k, (f, flt, want)) in filters.iter().enumerate() {
            sets_compared += 1;
            let want: BTreeSet<u64> = want.iter().copied().filter(|n| !dev.contains(&(name.clone(), *n, f.clone()))).collect();
            let want = &want;
            if flt.is_none() {
                set_failures.push(format!("{name} `{f}`: pktlab does not know this filter"));
                continue;
            }
            if &got_sets[k] != want {
                let extra: Vec<_> = got_sets[k].difference(want).take(8).collect();
                let missing: Vec<_> = want.difference(&got_sets[k]).take(8).collect();
                set_failures.push(format!("{name} `{f}`: pktlab also {extra:?}, misses {missing:?}"));
            }
        }
    }
    println!("columns pktlab does not fill (not compared): {skipped:?}");
    let mut bad = Vec::new();
    for (p, s) in &scores {
        let pct = 100.0 * s.agree as f64 / s.filled.max(1) as f64;
        println!("{p}: {}/{} cells tshark fills agree ({pct:.2}%), {} filled where tshark is empty", s.agree, s.filled, s.extra);
        for e in &s.examples {
            println!("    {e}");
        }
        if s.filled > 0 && pct < 99.0 {
            bad.push(format!("{p}: {pct:.2}% < 99%"));
        }
        if s.extra * 100 > s.filled.max(1) {
            bad.push(format!("{p}: {} cells filled where tshark is empty", s.extra));
        }
    }
    println!("frame sets: {}/{sets_compared} equal", sets_compared - set_failures.len());
    for f in &set_failures {
        println!("    {f}");
    }
    assert!(bad.is_empty(), "{bad:?}");
    assert!(set_failures.is_empty(), "{} frame sets differ", set_failures.len());
}
