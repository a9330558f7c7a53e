//! Every field the dissector defines, compared with what `tshark -T fields -E occurrence=a`
//! prints for it, over every public capture (beyond the 57 oracle columns). Needs tshark
//! 4.0 at test time and takes about a minute, so it is opt-in:
//! `cargo test --test dissect_tshark -- --ignored --nocapture`.
//! Fields listed in tests/dissect_tshark_deviations.txt are reported but not counted.

use pktlab::capture::CaptureFile;
use pktlab::dissect::format::Occurrence;
use pktlab::dissect::{Dissection, Dissector};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;

fn excluded() -> HashSet<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dissect_tshark_deviations.txt")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| match l.split('\t').collect::<Vec<_>>().as_slice() {
            [col, _] => Some((*col).to_owned()),
            _ => None,
        })
        .collect()
}

#[test]
#[ignore = "needs tshark 4.0; about a minute"]
fn every_field_agrees_with_tshark() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public"));
    if !dir.exists() {
        println!("../shared/captures/public is absent: skipped");
        return;
    }
    let version = Command::new("tshark").arg("--version").output();
    let Ok(version) = version else {
        println!("tshark is not installed: skipped");
        return;
    };
    let v = String::from_utf8_lossy(&version.stdout);
    if !v.contains(" 4.0.") {
        println!("tshark is not 4.0 ({}): skipped", v.lines().next().unwrap_or(""));
        return;
    }
    // `_ws.text` is the tree's text items: tshark has no field of that name for -e.
    let names: Vec<&str> = pktlab::dissect::fields().map(|d| d.abbrev).filter(|n| *n != "_ws.text").collect();
    let columns = pktlab::fields::columns(&names);
    let skip = excluded();
    let mut caps: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    caps.sort();
    // field -> (agree, compared, first differences)
    let mut per: BTreeMap<&str, (u64, u64, Vec<String>)> = BTreeMap::new();
    for cap in &caps {
        let mut cmd = Command::new("tshark");
        cmd.args(["-n", "-r"]).arg(cap).args([
            "-o",
            "tcp.relative_sequence_numbers:FALSE",
            "-o",
            "tcp.check_checksum:TRUE",
            "-o",
            "udp.check_checksum:TRUE",
            "-T",
            "fields",
            "-E",
            "occurrence=a",
            "-E",
            "separator=/t",
        ]);
        for n in &names {
            cmd.args(["-e", n]);
        }
        cmd.env("WIRESHARK_CONFIG_DIR", std::env::temp_dir().join("pktlab-empty-wireshark-config"));
        let out = cmd.output().expect("run tshark");
        let text = String::from_utf8_lossy(&out.stdout);
        let Ok(file) = CaptureFile::open(cap) else { continue };
        let mut dis = Dissector::new();
        let mut d = Dissection::default();
        let mut line = String::new();
        let name = cap.file_name().unwrap().to_string_lossy().into_owned();
        for ((i, rec), want) in file.records().enumerate().zip(text.lines()) {
            let Ok(rec) = rec else { break };
            let meta = rec.meta(i as u64 + 1);
            dis.dissect(&meta, rec.data, &mut d);
            line.clear();
            columns.write_row(&mut line, &d, rec.data, Occurrence::All, "\t", ',');
            for ((n, got), want) in names.iter().zip(line.split('\t')).zip(want.split('\t')) {
                if got.is_empty() && want.is_empty() {
                    continue;
                }
                let e = per.entry(n).or_default();
                e.1 += 1;
                if got == want {
                    e.0 += 1;
                } else if e.2.len() < 3 {
                    e.2.push(format!("{name} #{}: got {:?}, tshark {:?}", i + 1, got.chars().take(60).collect::<String>(), want.chars().take(60).collect::<String>()));
                }
            }
        }
    }
    let (mut ok, mut total) = (0u64, 0u64);
    for (n, (a, c, ex)) in &per {
        let skipped = skip.contains(*n);
        if a != c {
            println!("{n}: {a}/{c}{}", if skipped { " (listed deviation, not counted)" } else { "" });
            for e in ex {
                println!("    {e}");
            }
        }
        if !skipped {
            ok += a;
            total += c;
        }
    }
    let pct = 100.0 * ok as f64 / total.max(1) as f64;
    println!("\nTOTAL: {ok}/{total} non-empty cells of {} fields agree ({pct:.3}%)", per.len());
    assert!(pct >= 99.9, "{pct:.3}% < 99.9%");
}
