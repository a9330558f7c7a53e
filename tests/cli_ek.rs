//! `pktlab dissect -T ek -e …` writes the same Elasticsearch bulk lines as `tshark -T ek -e …`
//! (tshark 4.0, TZ=UTC), line for line, over every public capture. Skipped, and saying so,
//! without tshark 4.0 or `../shared`.

mod common;

use std::process::Command;

/// Fields whose `-T fields` cells already equal tshark's on every public capture.
const FIELDS: [&str; 16] = [
    "frame.number", "frame.len", "eth.src", "eth.type", "ip.src", "ip.dst", "ip.ttl", "ipv6.src", "tcp.srcport", "tcp.dstport",
    "tcp.seq_raw", "tcp.flags", "tcp.window_size_value", "udp.length", "icmp.type", "tcp.options.mss_val",
];

fn tshark_4_0() -> bool {
    Command::new("tshark").arg("--version").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).starts_with("TShark (Wireshark) 4.0."))
}

#[test]
fn ek_lines_equal_tsharks() {
    if !tshark_4_0() {
        println!("tshark 4.0 is not installed: skipped");
        return;
    }
    let dir = common::public("");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("{} is absent: skipped", dir.display());
        return;
    };
    let mut caps: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with(".oracle.tsv")).collect();
    caps.sort();
    let (mut lines, mut files, mut diffs) = (0usize, 0usize, Vec::new());
    for oracle in caps {
        let cap = oracle.to_string_lossy().trim_end_matches(".oracle.tsv").to_owned();
        let e: Vec<String> = FIELDS.iter().flat_map(|f| ["-e".to_owned(), (*f).to_owned()]).collect();
        let want = Command::new("tshark").env("TZ", "UTC").args(["-n", "-r", &cap, "-T", "ek"]).args(&e).output().expect("run tshark");
        let got = Command::new(env!("CARGO_BIN_EXE_pktlab")).env("TZ", "UTC").args(["dissect", &cap, "-T", "ek"]).args(&e).output().expect("run pktlab");
        let (want, got) = (String::from_utf8_lossy(&want.stdout).into_owned(), String::from_utf8_lossy(&got.stdout).into_owned());
        files += 1;
        for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
            lines += 1;
            if w != g && diffs.len() < 10 {
                diffs.push(format!("{cap} line {}:\n  tshark {w}\n  pktlab {g}", i + 1));
            }
        }
        if want.lines().count() != got.lines().count() {
            diffs.push(format!("{cap}: tshark {} lines, pktlab {}", want.lines().count(), got.lines().count()));
        }
    }
    println!("{lines} ek lines of {files} captures compared with tshark");
    assert!(files >= 40 && lines > 1000, "{files} files, {lines} lines");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn ek_needs_fields_and_says_so() {
    let cap = concat!(env!("CARGO_MANIFEST_DIR"), "/captures/handshake.pcap");
    let out = Command::new(env!("CARGO_BIN_EXE_pktlab")).args(["dissect", cap, "-T", "ek"]).output().expect("run pktlab");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("-T ek needs at least one -e FIELD"));
    let out = Command::new(env!("CARGO_BIN_EXE_pktlab")).args(["dissect", cap, "-T", "ek", "-e", "tcp.seq", "-c", "1"]).output().expect("run pktlab");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with(r#"{"index":{"_index":"packets-"#), "{}", lines[0]);
    assert!(lines[1].ends_with(r#""layers":{"tcp_seq":["0"]}}"#), "{}", lines[1]);
}
