//! `pktlab dissect` end to end: the built binary against the tshark oracles of every public
//! capture (`-T fields` with the oracle's columns, cell by cell), `-Y` against `tshark -Y`
//! when tshark is installed, and the failure paths (bad filter, unknown field, cut file,
//! closed pipe).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
        eprintln!("SKIPPED (tshark part): tshark is not installed");
    }
    ok
}

fn pktlab(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().expect("run pktlab")
}

/// Captures that have an oracle, sorted.
fn oracles(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .expect("read public dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".oracle.tsv"))
        .map(|o| {
            let cap = PathBuf::from(o.to_string_lossy().trim_end_matches(".oracle.tsv"));
            (cap, o)
        })
        .filter(|(c, _)| c.is_file())
        .collect();
    v.sort();
    v
}

/// Columns and single cells where tshark does what pktlab deliberately does not copy, with
/// the reasons, kept by the dissector's conformance test (tests/dissect_deviations.txt).
fn deviations() -> (HashSet<String>, HashSet<(String, usize, String)>) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dissect_deviations.txt")).unwrap_or_default();
    let (mut cols, mut cells) = (HashSet::new(), HashSet::new());
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        match line.split('\t').collect::<Vec<_>>().as_slice() {
            [col, _] => {
                cols.insert((*col).to_owned());
            }
            [cap, frame, col, _] => {
                cells.insert(((*cap).to_owned(), frame.parse().unwrap_or(0), (*col).to_owned()));
            }
            _ => {}
        }
    }
    (cols, cells)
}

#[test]
fn fields_match_the_tshark_oracle_cell_for_cell() {
    let Some(dir) = public() else { return };
    let (dev_cols, dev_cells) = deviations();
    let (mut total, mut agree) = (0usize, 0usize);
    let (mut listed, mut listed_agree) = (0usize, 0usize);
    let mut by_col: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut frame_count_mismatch = Vec::new();
    for (cap, oracle) in oracles(&dir) {
        let text = std::fs::read_to_string(&oracle).expect("read oracle");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let want: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
        let mut args = vec!["dissect", "-n", "-T", "fields", "-E", "occurrence=f", "-E", "separator=/t"];
        for h in &header {
            args.push("-e");
            args.push(h);
        }
        let cap_s = cap.to_string_lossy().into_owned();
        args.push(&cap_s);
        let out = pktlab(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", cap.display());
        let got_text = String::from_utf8_lossy(&out.stdout).into_owned();
        let got: Vec<Vec<&str>> = got_text.lines().map(|l| l.split('\t').collect()).collect();
        if got.len() != want.len() {
            frame_count_mismatch.push(format!("{}: {} frames, oracle {} ({})", cap.display(), got.len(), want.len(), stderr.trim()));
        }
        let cap_name = cap.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for (fi, w) in want.iter().enumerate() {
            for (ci, name) in header.iter().enumerate() {
                let wc = w.get(ci).copied().unwrap_or("");
                let gc = got.get(fi).and_then(|g| g.get(ci)).copied().unwrap_or("");
                if dev_cols.contains(*name) || dev_cells.contains(&(cap_name.clone(), fi + 1, (*name).to_owned())) {
                    listed += 1;
                    listed_agree += usize::from(wc == gc);
                    continue;
                }
                total += 1;
                if wc == gc {
                    agree += 1;
                } else {
                    let e = by_col.entry((*name).to_owned()).or_insert((0, String::new()));
                    if e.0 == 0 {
                        e.1 = format!(
                            "{} frame {}: pktlab {:?} tshark {:?}",
                            cap.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                            fi + 1,
                            gc,
                            wc
                        );
                    }
                    e.0 += 1;
                }
            }
        }
    }
    let pct = if total > 0 { agree as f64 * 100.0 / total as f64 } else { 0.0 };
    eprintln!("cell agreement with the tshark oracles: {agree}/{total} = {pct:.3}%");
    eprintln!(
        "  (plus {listed_agree}/{listed} agreeing cells in columns/cells listed in tests/dissect_deviations.txt; all cells: {:.3}%)",
        (agree + listed_agree) as f64 * 100.0 / (total + listed).max(1) as f64
    );
    for m in &frame_count_mismatch {
        eprintln!("  frame count differs: {m}");
    }
    for (col, (n, example)) in &by_col {
        eprintln!("  {col}: {n} cells differ, e.g. {example}");
    }
    assert!(total > 0, "no oracle cells compared");
    assert!(pct >= 99.9, "cell agreement {pct:.3}% is below 99.9%");
}

/// Frame numbers a filter selects, per pktlab and per tshark.
fn selected(cap: &Path, filter: &str) -> (Vec<u64>, Vec<u64>, String) {
    let cap_s = cap.to_string_lossy();
    let out = pktlab(&["dissect", "-n", "-Y", filter, "-T", "fields", "-e", "frame.number", &cap_s]);
    let ours = String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect();
    let t = Command::new("tshark")
        .args(["-n", "-r", &cap_s, "-Y", filter, "-T", "fields", "-e", "frame.number"])
        .output()
        .expect("run tshark");
    let theirs = String::from_utf8_lossy(&t.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect();
    (ours, theirs, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn display_filters_select_tsharks_frames() {
    let Some(dir) = public() else { return };
    if !has_tshark() {
        return;
    }
    let filters = [
        "tcp.flags.syn == 1",
        "tcp.flags.syn == 1 && tcp.flags.ack == 0",
        "tcp.port == 80 || udp.port == 53",
        "ip.addr == 10.10.1.4",
        "tcp.analysis.retransmission",
        "tcp.analysis.duplicate_ack",
        "tcp.stream == 1",
        "tcp.len > 0 && !tcp.analysis.retransmission",
        "udp && !dns",
        "icmp || icmpv6",
        "tcp.window_size < 1000",
        "frame.len >= 100",
    ];
    let caps = ["zeek-smtp.pcap", "chrissanders-tcp_dupack.pcapng", "chrissanders-tcp_retransmissions.pcapng", "ndpi-rtp.pcapng", "chrissanders-icmp_traceroute.pcapng", "lwerdna-simple_http_sll2.pcap"];
    let (mut same, mut all) = (0, 0);
    let mut diffs = Vec::new();
    for c in caps {
        let cap = dir.join(c);
        if !cap.is_file() {
            continue;
        }
        for f in filters {
            let (ours, theirs, err) = selected(&cap, f);
            all += 1;
            if ours == theirs {
                same += 1;
            } else {
                diffs.push(format!("{c} -Y '{f}': pktlab {} frames {:?}…, tshark {} frames {:?}… {err}", ours.len(), &ours[..ours.len().min(8)], theirs.len(), &theirs[..theirs.len().min(8)]));
            }
        }
    }
    eprintln!("-Y frame sets equal to tshark's: {same}/{all}");
    for d in &diffs {
        eprintln!("  {d}");
    }
    assert_eq!(same, all, "some filters select other frames than tshark");
}

#[test]
fn a_bad_filter_prints_its_error_with_column_and_suggestion_and_no_frames() {
    let Some(dir) = public() else { return };
    let cap = dir.join("zeek-smtp.pcap");
    let out = pktlab(&["dissect", "-Y", "tcp.prot == 80", &cap.to_string_lossy()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "printed frames: {}", String::from_utf8_lossy(&out.stdout));
    assert!(err.contains("column 1"), "{err}");
    assert!(err.contains("tcp.port"), "{err}");
    assert!(err.contains("^~~~~~~~"), "{err}");
    // An unclosed parenthesis is named likewise.
    let out = pktlab(&["dissect", "-Y", "(tcp.port == 80", &cap.to_string_lossy()]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("column"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_unknown_field_is_refused_with_a_suggestion() {
    let Some(dir) = public() else { return };
    let cap = dir.join("zeek-smtp.pcap");
    let out = pktlab(&["dissect", "-T", "fields", "-e", "tcp.srcprot", &cap.to_string_lossy()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(err.contains("tcp.srcprot") && err.contains("tcp.srcport"), "{err}");
}

#[test]
fn a_cut_file_prints_every_good_frame_then_the_error() {
    let Some(dir) = public() else { return };
    let src = dir.join("zeek-smtp.pcap");
    let bytes = std::fs::read(&src).expect("read capture");
    let tmp = tempfile::tempdir().expect("tempdir");
    let cut = tmp.path().join("cut.pcap");
    // Cut in the middle of the file: inside some record.
    let at = bytes.len() / 2 + 7;
    std::fs::write(&cut, &bytes[..at]).expect("write cut copy");
    // Count the complete records before the cut by walking the pcap record headers.
    let mut off = 24usize;
    let mut complete = 0u64;
    while off + 16 <= at {
        let incl = u32::from_le_bytes([bytes[off + 8], bytes[off + 9], bytes[off + 10], bytes[off + 11]]) as usize;
        if off + 16 + incl > at {
            break;
        }
        off += 16 + incl;
        complete += 1;
    }
    let out = pktlab(&["dissect", "-T", "fields", "-e", "frame.number", &cut.to_string_lossy()]);
    let err = String::from_utf8_lossy(&out.stderr);
    let frames: Vec<u64> = String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.parse().ok()).collect();
    assert!(!out.status.success(), "a cut file must exit non-zero");
    assert_eq!(frames, (1..=complete).collect::<Vec<_>>(), "{err}");
    assert!(err.contains("cut.pcap") && err.contains(&format!("byte {off}")), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn count_json_verbose_and_summary_outputs() {
    let Some(dir) = public() else { return };
    let cap = dir.join("chrissanders-tcp_handshake.pcapng");
    let cap_s = cap.to_string_lossy();
    let out = pktlab(&["dissect", "-c", "2", &cap_s]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().next().is_some_and(|l| l.starts_with("    1   0.000000 172.16.16.128 → 212.58.226.142 TCP 66 ")), "{text}");

    let out = pktlab(&["dissect", "-T", "json", &cap_s]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let frames = v.as_array().expect("array of frames");
    assert_eq!(frames.len(), 3);
    assert_eq!(frames[0]["_source"]["layers"]["tcp"]["tcp.srcport"], "2826");

    let out = pktlab(&["dissect", "-V", "-c", "1", &cap_s]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[L4 전송] Transmission Control Protocol, Src Port: 2826"), "{text}");
    assert!(text.contains(".... .... ..1. = Syn: Set"), "{text}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let Some(dir) = public() else { return };
    let cap = dir.join("rusticata-wireshark_samples-test.pcapng");
    if !cap.is_file() {
        return;
    }
    let mut child = Command::new(bin())
        .args(["dissect", &cap.to_string_lossy()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Read one byte, then close our end, as `| head -c1` does.
    {
        use std::io::Read;
        let mut stdout = child.stdout.take().expect("stdout");
        let mut b = [0u8; 1];
        let _ = stdout.read(&mut b);
    }
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{err}");
}

/// `-Y`, and `-T fields` without analysis columns, look at frames on every core; the output
/// must be byte for byte what one thread prints, also where a dissection depends on earlier frames (IP fragments reassembled, ICMP
/// echo replies naming their request) and for damaged files.
#[test]
fn filtering_on_several_threads_prints_what_one_thread_prints() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/captures"))
        .expect("read captures/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    if let Some(dir) = public() {
        files.extend(oracles(&dir).into_iter().map(|(c, _)| c));
    }
    files.sort();
    // A damaged file: every good frame, then the same message.
    let cut = std::env::temp_dir().join(format!("pktlab-cut-{}.pcap", std::process::id()));
    if let Some(first) = files.iter().find(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 4096)) {
        let bytes = std::fs::read(first).expect("read capture");
        std::fs::write(&cut, &bytes[..bytes.len() * 3 / 5]).expect("write cut capture");
        files.push(cut.clone());
    }
    // "" = no filter (-T fields without analysis columns is formatted on every core too).
    let filters = ["", "frame", "icmp || icmpv6 || ip.flags.mf == 1 || ip.frag_offset > 0 || ipv6.fragment", "tcp.flags.syn == 1 || udp", "!tcp"];
    let plain_fields: &[&str] =
        &["-T", "fields", "-e", "frame.number", "-e", "ip.reassembled_in", "-e", "ip.fragment.count", "-e", "icmp.seq", "-e", "data.len", "-e", "ipv6.src", "-e", "tcp", "-E", "occurrence=a"];
    let mut compared = 0;
    let mut printed = 0usize;
    for file in &files {
        for flt in filters {
            for extra in [&[][..], &["-V"][..], &["-T", "fields", "-e", "frame.number", "-e", "ip.reassembled_in", "-e", "icmp.seq", "-e", "tcp.stream"][..], plain_fields] {
                if flt.is_empty() && extra != plain_fields {
                    continue;
                }
                let run = |threads: &str| {
                    let mut args = vec!["dissect"];
                    if !flt.is_empty() {
                        args.extend(["-Y", flt]);
                    }
                    args.extend_from_slice(extra);
                    args.push(file.to_str().expect("utf-8 path"));
                    Command::new(bin()).args(&args).env("PKTLAB_THREADS", threads).output().expect("run pktlab")
                };
                let (one, two) = (run("1"), run("2"));
                assert_eq!(one.status.code(), two.status.code(), "{} -Y {flt} {extra:?}: exit status", file.display());
                // Only damage in the file (a few public captures are cut) may fail a run.
                let stderr = String::from_utf8_lossy(&one.stderr);
                assert!(one.status.success() || stderr.contains(": at byte "), "{} -Y {flt} {extra:?}: {stderr}", file.display());
                assert!(one.stdout == two.stdout, "{} -Y {flt} {extra:?}: output differs between 1 and 2 threads", file.display());
                assert_eq!(String::from_utf8_lossy(&one.stderr), String::from_utf8_lossy(&two.stderr), "{} -Y {flt}: messages", file.display());
                compared += 1;
                printed += one.stdout.len();
            }
        }
    }
    let _ = std::fs::remove_file(&cut);
    assert!(compared > 0);
    println!("-Y and -T fields on 1 and 2 threads: {compared} runs over {} captures ({printed} bytes printed by each), identical", files.len());
}

/// The summary lines (pktlab dissect's default output) against tshark's default output on
/// every public capture, line for line (TZ=UTC): the HTTP and WebSocket Info as tshark
/// writes it (the trailing space, the body's media type), SACK edges relative, MAC vendor
/// names in the address columns. What is left is mostly protocols pktlab does not dissect
/// (FIX, SMTP, NetBIOS) and TLS segments tshark names `[TCP segment of a reassembled PDU]`.
#[test]
fn summary_lines_agree_with_tsharks() {
    let (Some(dir), true) = (public(), has_tshark()) else {
        println!("SKIPPED: needs ../shared and tshark");
        return;
    };
    let (mut same, mut total) = (0usize, 0usize);
    for (cap, _) in oracles(&dir) {
        let c = cap.to_str().expect("utf-8 path");
        let ours = Command::new(bin()).args(["dissect", c]).env("TZ", "UTC").output().expect("run pktlab");
        let theirs = Command::new("tshark").args(["-r", c]).env("TZ", "UTC").output().expect("run tshark");
        let ours = String::from_utf8_lossy(&ours.stdout);
        let theirs = String::from_utf8_lossy(&theirs.stdout);
        let mut left: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for l in ours.lines() {
            *left.entry(l).or_default() += 1;
        }
        for l in theirs.lines() {
            total += 1;
            if let Some(n) = left.get_mut(l).filter(|n| **n > 0) {
                *n -= 1;
                same += 1;
            }
        }
    }
    let pct = same as f64 * 100.0 / total.max(1) as f64;
    println!("summary lines equal to tshark's: {same}/{total} ({pct:.2}%)");
    assert!(pct >= 93.3, "summary lines equal to tshark's: {pct:.2}%");
}

/// `-T fields -e _ws.col.<title>`: tshark's default columns (No., Time, Source, Destination,
/// Protocol, Length, Info) as pktlab's summary line shows them, alone or beside fields, with
/// a filter, `-c` or without the analysis. Where tshark is installed, the number, time
/// (with the digits the file's or interface's timestamps have), addresses (vendor names
/// too) and length equal tshark's on every public capture of a link pktlab dissects.
#[test]
fn ws_columns_are_the_summary_line_columns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let cols = ["-e", "_ws.col.No.", "-e", "_ws.col.Time", "-e", "_ws.col.Source", "-e", "_ws.col.Destination", "-e", "_ws.col.Protocol", "-e", "_ws.col.Length", "-e", "_ws.col.Info"];
    let mut lines = 0;
    for name in ["bulk-loss.pcap", "udp-frag.pcap", "game.pcap", "app/http.pcap", "app/tls.pcap"] {
        let cap = root.join(name);
        if !cap.exists() {
            continue;
        }
        let cap = cap.to_str().expect("utf-8 path");
        for extra in [&[][..], &["-c", "4"][..], &["--no-analysis"][..], &["-Y", "tcp.len > 0 || udp"][..], &["-Y", "tcp.analysis.flags || frame.number < 3"][..]] {
            let summary = pktlab(&[&["dissect"][..], extra, &[cap][..]].concat());
            let fields = pktlab(&[&["dissect", "-T", "fields"][..], &cols[..], extra, &[cap][..]].concat());
            assert!(summary.status.success() && fields.status.success(), "{name} {extra:?}");
            let (summary, fields) = (String::from_utf8_lossy(&summary.stdout), String::from_utf8_lossy(&fields.stdout));
            assert_eq!(summary.lines().count(), fields.lines().count(), "{name} {extra:?}: frames");
            for (s, f) in summary.lines().zip(fields.lines()) {
                let c: Vec<&str> = f.split('\t').collect();
                assert_eq!(c.len(), 7, "{name} {extra:?}: {f}");
                let line = format!("{:>5} {:>10} {:>12} → {:<12} {} {} {}", c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
                assert_eq!(line, s, "{name} {extra:?}");
                lines += 1;
            }
        }
    }
    assert!(lines > 100, "{lines} lines compared");
    // Unknown column titles are refused like unknown fields, with the closest name.
    let bad = pktlab(&["dissect", "-T", "fields", "-e", "_ws.col.info", &root.join("game.pcap").to_string_lossy()]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("_ws.col.Info"), "{}", String::from_utf8_lossy(&bad.stderr));
    let (Some(dir), true) = (public(), has_tshark()) else {
        println!("_ws.col: {lines} lines equal the summary lines; tshark comparison skipped (no ../shared or no tshark)");
        return;
    };
    let five = ["-e", "_ws.col.No.", "-e", "_ws.col.Time", "-e", "_ws.col.Source", "-e", "_ws.col.Destination", "-e", "_ws.col.Length"];
    let (mut same, mut total) = (0, 0);
    for (cap, _) in oracles(&dir) {
        let name = cap.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        // (802.11: its addresses come from a layer pktlab does not dissect.)
        if name.contains("bad_rsn_parsing") {
            continue;
        }
        let c = cap.to_str().expect("utf-8 path");
        let ours = pktlab(&[&["dissect", "-T", "fields"][..], &five[..], &[c][..]].concat());
        let theirs = Command::new("tshark").args([&["-r", c, "-T", "fields"][..], &five[..]].concat()).env("TZ", "UTC").output().expect("run tshark");
        total += 1;
        assert_eq!(String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&theirs.stdout), "{name}: _ws.col columns differ from tshark's");
        same += 1;
    }
    assert!(total > 30);
    println!("_ws.col: {lines} lines equal the summary lines; No./Time/Source/Destination/Length equal tshark's on {same}/{total} public captures");
}

/// `-T fields` without the analysis reads a file on every core, each frame dissected for
/// the named fields only; `_ws.expert` and `_ws.malformed` need every expert item (a bad
/// checksum's, a trailer's, a malformed header's), which such a dissection once left out.
/// Standard input goes through the full dissection: both must print the same.
#[test]
fn expert_columns_without_the_analysis_print_every_expert_item() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut files: Vec<PathBuf> = ["udp-frag.pcap", "game.pcap", "bulk-loss.pcap", "app/http.pcap"].iter().map(|n| root.join(n)).collect();
    if let Some(dir) = public() {
        files.extend(oracles(&dir).into_iter().map(|(c, _)| c));
    }
    let form = ["dissect", "--no-analysis", "-T", "fields", "-e", "frame.number", "-e", "_ws.expert", "-e", "_ws.malformed", "-e", "ip.src"];
    let (mut compared, mut experts) = (0, 0);
    for file in &files {
        let name = file.to_str().expect("utf-8 path");
        let from_file = pktlab(&[&form[..], &[name]].concat());
        let piped = Command::new(bin()).args([&form[..], &["-"]].concat()).stdin(Stdio::from(std::fs::File::open(file).expect("capture"))).output().expect("run pktlab");
        assert_eq!(from_file.status.code(), piped.status.code(), "{name}: exit status");
        assert!(from_file.stdout == piped.stdout, "{name}: expert columns differ between the file and standard input");
        experts += String::from_utf8_lossy(&from_file.stdout).matches("Expert Info (").count();
        compared += 1;
    }
    // (A bad checksum in every frame of game.pcap, a trailer in bulk-loss.pcap's.)
    assert!(experts > 100, "only {experts} expert items printed over {compared} captures");
    println!("_ws.expert without the analysis: {compared} captures, {experts} expert items, file = standard input");
}

/// Summary lines, `-V`, `-T json` and `-T fields` with fields of the analysis, of a file, are dissected,
/// annotated and formatted on every core (`pipeline::write_frames`; for fields, only those
/// named, with the analysis's put in place), and so are filters on fields of the analysis
/// (`pipeline::for_each_matching_analysed`); the same capture read from standard input goes
/// through the one-thread loop in frame order. Both must print the same bytes, on 1, 2 and 3 threads,
/// with `-c`, without the analysis, on captures whose dissection depends on earlier frames
/// (IP fragments, ICMP echo, TCP reassembly under HTTP, WebSocket and TLS) and on a damaged
/// file (every good frame, then the same message); and with batches of one and three frames
/// (`PKTLAB_BATCH`), whose boundaries fall inside connections: a worker that did not see
/// what showed a connection's protocol (WebSocket's upgrade and QUIC's long headers, on ports
/// found by their look) must not take its later segments for plain data.
#[test]
fn every_output_on_several_threads_prints_what_the_sequential_loop_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut files: Vec<PathBuf> = ["udp-frag.pcap", "game.pcap", "bulk-loss.pcap", "lb.pcap", "tls.pcap", "quic.pcap", "app/http.pcap", "app/websocket.pcap", "app/tls.pcap", "app/quic.pcap", "app/more.pcap", "app/encoded.pcap", "app/images.pcap", "app/xml.pcap", "app/gif.pcap"]
        .iter()
        .map(|n| root.join(n))
        .collect();
    if let Some(dir) = public() {
        // Public captures with ICMP (echo and errors) and IP fragments.
        let mut more: Vec<PathBuf> = oracles(&dir)
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| {
                let out = pktlab(&["dissect", "-T", "fields", "-e", "frame.protocols", &c.to_string_lossy()]);
                let text = String::from_utf8_lossy(&out.stdout);
                text.contains("icmp") || text.lines().any(|l| l.contains(":ip:") && l.ends_with(":data") && l.contains("udp"))
            })
            .collect();
        more.truncate(12);
        files.extend(more);
    }
    let cut = std::env::temp_dir().join(format!("pktlab-cut-v-{}.pcap", std::process::id()));
    let whole = std::fs::read(root.join("app/http.pcap")).expect("read http.pcap");
    std::fs::write(&cut, &whole[..whole.len() * 2 / 3]).expect("write cut capture");
    files.push(cut.clone());
    // Analysis fields beside header ones (relative numbers, SACK edges, flags, times, expert
    // items); then with protocols' labels, which need display text.
    let analysis: &[&str] = &[
        "-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.nxtseq", "-e", "tcp.options.sack_le", "-e", "tcp.analysis.flags",
        "-e", "tcp.analysis.ack_rtt", "-e", "tcp.time_delta", "-e", "tcp.window_size", "-e", "udp.stream", "-e", "udp.time_relative", "-e", "_ws.expert", "-e", "ip.src",
    ];
    let with_text = [analysis, &["-e", "ip", "-e", "tcp", "-E", "occurrence=a"]].concat();
    let counted = [analysis, &["-c", "5"]].concat();
    let forms: &[&[&str]] = &[
        // Summary lines, the default output.
        &[],
        &["-n", "-c", "3", "--no-analysis"],
        &["-V"],
        &["-T", "json"],
        &["-V", "-n", "-c", "7"],
        &["-T", "json", "-c", "2"],
        &["-V", "--no-analysis"],
        &["-V", "-o", "tcp.check_checksum:TRUE"],
        analysis,
        &with_text,
        &counted,
        // Fields of the protocols over TCP and UDP beside the analysis's; then without it
        // (a loop of its own).
        &["-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "http.request.method", "-e", "http.file_data", "-e", "websocket.opcode", "-e", "tls.record.content_type", "-e", "quic.packet_number", "-e", "_ws.col.Info"],
        &["--no-analysis", "-T", "fields", "-e", "frame.number", "-e", "frame.protocols", "-e", "_ws.col.Info"],
        &["-Y", "http || websocket || quic || tls || frame.number < 3"],
        // Filters on fields of the analysis: sieved on every core after the analysis, the
        // frames kept dissected again in order.
        // (Each also keeps a few first frames, so that every capture prints something.)
        &["-Y", "tcp.analysis.flags || udp.stream == 0 || tcp.time_delta > 0.01 || frame.number < 3"],
        &["-Y", "(tcp.stream == 0 && tcp.len > 0) || udp.stream == 1 || frame.number <= 2", "-V"],
        &["-Y", "tcp.analysis.flags || frame.number < 3", "-T", "json"],
        &["-Y", "tcp.seq > 1000 || frame.number < 4", "-T", "fields", "-e", "frame.number", "-e", "frame.time_delta_displayed", "-e", "tcp.seq", "-e", "tcp.analysis.flags"],
    ];
    let run = |args: &[&str], (threads, batch): (&str, Option<&str>), stdin: Option<&Path>| {
        let mut c = Command::new(bin());
        c.args(args).env("PKTLAB_THREADS", threads).env("TZ", "UTC");
        if let Some(n) = batch {
            c.env("PKTLAB_BATCH", n);
        }
        match stdin {
            Some(p) => c.stdin(Stdio::from(std::fs::File::open(p).expect("capture"))),
            None => c.stdin(Stdio::null()),
        };
        c.output().expect("run pktlab")
    };
    let mut compared = 0;
    for file in &files {
        let name = file.to_str().expect("utf-8 path");
        for form in forms {
            fn args<'a>(form: &[&'a str], f: &'a str) -> Vec<&'a str> {
                [&["dissect"][..], form, &[f][..]].concat()
            }
            let sequential = run(&args(form, "-"), ("1", None), Some(file));
            assert!(!sequential.stdout.is_empty(), "{name} {form:?}: nothing printed");
            for (threads, batch) in [("1", None), ("2", None), ("3", None), ("2", Some("3")), ("3", Some("1"))] {
                let parallel = run(&args(form, name), (threads, batch), None);
                let what = format!("{name} {form:?} on {threads} threads, batches of {}", batch.unwrap_or("default"));
                assert_eq!(parallel.status.code(), sequential.status.code(), "{what}: exit status");
                assert!(parallel.stdout == sequential.stdout, "{what}: output differs from the sequential loop's");
                // (The sequential loop names standard input; the file's own name is the
                // only difference a message may have.)
                let err = String::from_utf8_lossy(&parallel.stderr).replace(name, "stdin");
                assert_eq!(err, String::from_utf8_lossy(&sequential.stderr), "{what}: messages");
                compared += 1;
            }
        }
    }
    let _ = std::fs::remove_file(&cut);
    assert!(compared >= files.len() * forms.len() * 5);
    println!("summary lines, -V, -T json, analysis fields and filters on 1-3 threads, batches of 1, 3 and the default = the sequential loop: {compared} runs over {} captures", files.len());
}

#[test]
fn json_nests_what_icmp_quotes_inside_icmp() {
    // As tshark: the offending packet's headers an ICMP error quotes (and their data) are
    // members of the ICMP object, not layers beside it.
    let cap = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/udp-frag.pcap");
    let out = pktlab(&["dissect", "-T", "json", &cap.to_string_lossy()]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let frames = v.as_array().expect("array of frames");
    let icmp: Vec<&serde_json::Value> = frames.iter().filter_map(|f| f["_source"]["layers"].get("icmp")).collect();
    assert_eq!(icmp.len(), 1, "one ICMP error in the capture");
    let icmp = icmp[0];
    assert!(icmp.get("icmp.type").is_some(), "{icmp}");
    assert!(icmp["ip"].get("ip.src").is_some(), "the quoted IPv4 header inside icmp: {icmp}");
    assert!(icmp["udp"].get("udp.srcport").is_some(), "the quoted UDP header inside icmp: {icmp}");
}

/// A full disk: every output path (`-V` and `-T json` on every core, `-T fields`, summary
/// lines) stops with one line naming the failure once, exit status 2. (`/dev/full`, where
/// the system has one.)
#[test]
fn a_full_disk_is_reported_once() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("SKIPPED: no /dev/full here");
        return;
    };
    let cap = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/bulk-loss.pcap");
    let cap = cap.to_string_lossy();
    for args in [&["dissect", "-V", &cap][..], &["dissect", "-T", "json", &cap], &["dissect", "-T", "fields", "-e", "frame.number", &cap], &["dissect", &cap]] {
        let out = Command::new(bin()).args(args).stdout(full.try_clone().expect("clone /dev/full")).output().expect("run pktlab");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().collect::<Vec<_>>(), ["pktlab: writing output: No space left on device (os error 28)"], "{args:?}");
    }
}
