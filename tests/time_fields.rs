//! The time fields (`frame.time`, `frame.time_relative`, `frame.time_delta`,
//! `tcp.time_relative`, `tcp.time_delta`, `icmp.resptime`) printed by `pktlab dissect -T
//! fields` under `TZ=UTC`, compared cell by cell with tshark 4.0's answers in
//! `../shared/captures/public/FILE.app.tsv`; and `frame.time` honouring `TZ`.

use std::path::{Path, PathBuf};
use std::process::Command;

const COLUMNS: &[&str] = &["frame.number", "frame.time", "frame.time_relative", "frame.time_delta", "tcp.time_relative", "tcp.time_delta", "icmp.resptime"];

fn public_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public")
}

fn fields(cap: &Path, tz: &str, cols: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pktlab"));
    cmd.env("TZ", tz).args(["dissect", "-T", "fields", "-E", "occurrence=f"]);
    for c in cols {
        cmd.args(["-e", c]);
    }
    let out = cmd.arg(cap).output().expect("pktlab runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn time_fields_equal_tsharks_on_every_public_capture() {
    let dir = public_dir();
    if !dir.exists() {
        println!("../shared/captures/public is absent: skipped");
        return;
    }
    // (capture, its oracle): the public set, then the captures recorded here and held out
    // (captures/app, oracles in tests/app, made by make-app-oracle.sh).
    let mut caps: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(&dir)
        .expect("public captures are readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .map(|p| {
            let o = p.with_file_name(format!("{}.app.tsv", p.file_name().unwrap_or_default().to_string_lossy()));
            (p, o)
        })
        .filter(|(_, o)| o.exists())
        .collect();
    caps.sort();
    assert!(!caps.is_empty(), "no public capture has an .app.tsv oracle");
    let own = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut held_out: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(own.join("tests/app"))
        .expect("tests/app")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|o| {
            let name = o.file_name()?.to_string_lossy().strip_suffix(".app.tsv")?.to_owned();
            Some((own.join("captures/app").join(name), o))
        })
        .collect();
    held_out.sort();
    assert!(held_out.len() >= 4, "the held-out captures' oracles are in tests/app");
    caps.extend(held_out);
    let (mut cells, mut wrong, mut nonempty) = (0u64, Vec::new(), 0u64);
    for (cap, oracle) in &caps {
        let name = cap.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let oracle = std::fs::read_to_string(oracle).expect("oracle is readable");
        let mut lines = oracle.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let idx: Vec<usize> = COLUMNS.iter().map(|c| header.iter().position(|h| h == c).expect("oracle has the column")).collect();
        let ours = fields(cap, "UTC", COLUMNS);
        let ours: Vec<&str> = ours.lines().collect();
        for (i, line) in lines.enumerate() {
            let theirs: Vec<&str> = line.split('\t').collect();
            let mine: Vec<&str> = ours.get(i).map(|l| l.split('\t').collect()).unwrap_or_default();
            for (k, &col) in idx.iter().enumerate() {
                let t = theirs.get(col).copied().unwrap_or("");
                let m = mine.get(k).copied().unwrap_or("");
                cells += 1;
                nonempty += u64::from(!t.is_empty());
                if t != m {
                    wrong.push(format!("{name} frame {}: {} tshark {t:?} pktlab {m:?}", i + 1, COLUMNS[k]));
                }
            }
        }
    }
    println!("time fields: {} of {cells} cells equal ({nonempty} non-empty) over {} captures", cells - wrong.len() as u64, caps.len());
    assert!(wrong.is_empty(), "{} cells differ:\n{}", wrong.len(), wrong.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
}

#[test]
fn frame_time_is_local_time_in_tz() {
    let cap = public_dir().join("zeek-tcp-option-sack.pcap");
    if !cap.exists() {
        println!("../shared/captures/public is absent: skipped");
        return;
    }
    let utc = fields(&cap, "UTC", &["frame.time"]);
    let seoul = fields(&cap, "Asia/Seoul", &["frame.time"]);
    assert_eq!(utc.lines().next(), Some("Oct  4, 2019 01:23:57.968859000 UTC"));
    assert_eq!(seoul.lines().next(), Some("Oct  4, 2019 10:23:57.968859000 KST"));
    // Relative times do not depend on the zone.
    assert_eq!(fields(&cap, "UTC", &["frame.time_relative"]), fields(&cap, "Asia/Seoul", &["frame.time_relative"]));
}

#[test]
fn delta_displayed_counts_from_the_last_frame_the_filter_kept() {
    let cap = public_dir().join("zeek-tcp-option-sack.pcap");
    if !cap.exists() {
        println!("../shared/captures/public is absent: skipped");
        return;
    }
    let run = |filter: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_pktlab"))
            .args(["dissect", "-Y", filter, "-T", "fields", "-e", "frame.number", "-e", "frame.time_delta_displayed"])
            .arg(&cap)
            .output()
            .expect("pktlab runs");
        String::from_utf8_lossy(&out.stdout).replace('\n', " ")
    };
    // tshark 4.0 -Y gives these (its delta counts from the previous frame it kept, 0 before).
    assert_eq!(run("frame.number != 2"), "1\t0.000000000 3\t9.285364000 4\t2.816337000 ");
    assert_eq!(run("frame.time_delta_displayed == 0"), "1\t0.000000000 ");
    assert_eq!(run("frame.number == 1 || frame.number == 4 && frame.time_delta_displayed > 2"), "1\t0.000000000 4\t12.101701000 ");
}
