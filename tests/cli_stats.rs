//! `pktlab stats conv` and `pktlab follow` against tshark (`-z conv,tcp -z conv,udp`,
//! `-z follow,tcp,ascii,N`) on the public captures, when tshark is installed; plus the
//! expert, UDP and overhead reports on a real capture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_pktlab")
}

fn public() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/captures/public is absent");
        None
    }
}

fn has_tshark() -> bool {
    let ok = Command::new("tshark").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED: tshark is not installed, so there is nothing to compare with");
    }
    ok
}

fn captures(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    v.sort();
    v
}

/// Rows of a conversation table: (protocol, "A <-> B") → (frames, bytes) for ←, → and total.
type Conv = BTreeMap<(String, String), [u64; 3]>;

/// Parses the text of `-z conv,…` (tshark's or pktlab's, which print the same layout).
/// Bytes shown as kB/MB are rounded by both, so frames carry the exact comparison and bytes
/// are compared where printed in bytes.
fn parse_conv(text: &str) -> (Conv, BTreeMap<(String, String), [String; 3]>) {
    let mut frames = Conv::new();
    let mut bytes = BTreeMap::new();
    let mut proto = String::new();
    for line in text.lines() {
        if let Some(p) = line.strip_suffix(" Conversations") {
            proto = p.to_owned();
            continue;
        }
        let Some((a, rest)) = line.split_once(" <-> ") else { continue };
        let mut it = rest.split_whitespace();
        let Some(b) = it.next() else { continue };
        let toks: Vec<&str> = it.collect();
        // frames unit-bytes ×3, then start, duration
        if toks.len() < 9 {
            continue;
        }
        let f = |i: usize| toks[i].parse::<u64>().unwrap_or(u64::MAX);
        let key = (proto.clone(), format!("{} <-> {}", a.trim(), b));
        frames.insert(key.clone(), [f(0), f(3), f(6)]);
        bytes.insert(key, [format!("{} {}", toks[1], toks[2]), format!("{} {}", toks[4], toks[5]), format!("{} {}", toks[7], toks[8])]);
    }
    (frames, bytes)
}

#[test]
fn conversation_frames_and_bytes_equal_tsharks_on_every_public_capture() {
    let Some(dir) = public() else { return };
    if !has_tshark() {
        return;
    }
    let (mut same, mut all, mut identical) = (0, 0, 0);
    let mut diffs = Vec::new();
    for cap in captures(&dir) {
        let cap_s = cap.to_string_lossy();
        let ours = Command::new(bin()).args(["stats", "conv", &cap_s]).output().expect("run pktlab");
        let theirs = Command::new("tshark").args(["-n", "-q", "-r", &cap_s, "-z", "conv,tcp", "-z", "conv,udp"]).output().expect("run tshark");
        let ot = String::from_utf8_lossy(&ours.stdout).into_owned();
        let tt = String::from_utf8_lossy(&theirs.stdout).into_owned();
        assert!(!String::from_utf8_lossy(&ours.stderr).contains("panicked"));
        all += 1;
        if ot == tt {
            identical += 1;
        }
        if parse_conv(&ot) == parse_conv(&tt) {
            same += 1;
        } else {
            let (of, ob) = parse_conv(&ot);
            let (tf, tb) = parse_conv(&tt);
            let mut d = format!("{}:", cap.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            for (k, v) in &tf {
                if of.get(k) != Some(v) || ob.get(k) != tb.get(k) {
                    d.push_str(&format!("\n    {k:?}: tshark {v:?} {:?}, pktlab {:?} {:?}", tb.get(k), of.get(k), ob.get(k)));
                }
            }
            for k in of.keys().filter(|k| !tf.contains_key(*k)) {
                d.push_str(&format!("\n    {k:?}: only pktlab"));
            }
            diffs.push(d);
        }
    }
    eprintln!("stats conv: frame and byte counts equal tshark's on {same}/{all} captures ({identical} byte-identical texts)");
    for d in &diffs {
        eprintln!("  {d}");
    }
    assert_eq!(same, all);
}

#[test]
fn follow_prints_what_tshark_follow_prints() {
    let Some(dir) = public() else { return };
    if !has_tshark() {
        return;
    }
    let cases = [
        ("zeek-smtp.pcap", 0, false, "ascii"),
        ("zeek-smtp.pcap", 1, false, "hex"),
        ("chrissanders-tcp_dupack.pcapng", 0, false, "raw"),
        ("lwerdna-simple_http_sll2.pcap", 1, false, "ascii"),
        ("tcpdump-dns_udp.pcap", 0, true, "ascii"),
        ("ndpi-teamspeak3.pcap", 0, true, "hex"),
    ];
    let mut bad = Vec::new();
    for (name, stream, udp, mode) in cases {
        let cap = dir.join(name);
        if !cap.is_file() {
            continue;
        }
        let cap_s = cap.to_string_lossy();
        let stream_s = stream.to_string();
        let mut args = vec!["follow", &cap_s, "--stream", &stream_s, "--format", mode];
        if udp {
            args.push("--udp");
        }
        let ours = Command::new(bin()).args(&args).output().expect("run pktlab");
        let z = format!("follow,{},{mode},{stream}", if udp { "udp" } else { "tcp" });
        let theirs = Command::new("tshark").args(["-n", "-q", "-r", &cap_s, "-z", &z]).output().expect("run tshark");
        if ours.stdout != theirs.stdout {
            bad.push(format!(
                "{name} {z}:\n--- pktlab ---\n{}\n--- tshark ---\n{}",
                String::from_utf8_lossy(&ours.stdout).chars().take(600).collect::<String>(),
                String::from_utf8_lossy(&theirs.stdout).chars().take(600).collect::<String>()
            ));
        }
    }
    for b in &bad {
        eprintln!("{b}");
    }
    assert!(bad.is_empty(), "{} follow outputs differ from tshark's", bad.len());
}

#[test]
fn expert_udp_and_overhead_reports_count_real_frames() {
    let Some(dir) = public() else { return };
    let cap = dir.join("ndpi-rtp.pcapng");
    let cap_s = cap.to_string_lossy();
    let run = |what: &str| {
        let out = Command::new(bin()).args(["stats", what, &cap_s]).output().expect("run pktlab");
        assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // ndpi-rtp: 37 TCP and 75 UDP frames (README of the public corpus).
    let over = run("overhead");
    let row = |p: &str| over.lines().find(|l| l.starts_with(p)).map(|l| l.split_whitespace().nth(1).unwrap_or("").to_owned());
    assert_eq!(row("TCP").as_deref(), Some("37"), "{over}");
    assert_eq!(row("UDP").as_deref(), Some("75"), "{over}");

    let udp = run("udp");
    let packets: u64 = udp
        .lines()
        .filter(|l| l.contains(" <-> "))
        .map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            t.get(4).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0) + t.get(5).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0)
        })
        .sum();
    assert_eq!(packets, 75, "{udp}");

    let dupack = dir.join("chrissanders-tcp_dupack.pcapng");
    let out = Command::new(bin()).args(["stats", "expert", &dupack.to_string_lossy()]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let dup = text.lines().find(|l| l.trim_start().starts_with("tcp.analysis.duplicate_ack ")).unwrap_or("");
    // The README lists 3 duplicate ACKs in this capture.
    assert_eq!(dup.split_whitespace().nth(1), Some("3"), "{text}");
}
