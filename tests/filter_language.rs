//! The display-filter language (time fields, arithmetic, functions, layers, quantifiers,
//! literal forms, slices past the end) against live tshark 4.0 -Y: every filter of
//! tests/filters_language.txt, over the public captures joined end to end with `mergecap -a`
//! (as tests/filter_conformance.rs does). A filter passes when both tools reject it, or both
//! accept it and keep the same frames. Prints the pass percentage; needs at least 97%.
//! tshark runs with TCP/UDP checksum verification on, as pktlab always verifies them.
//! Says plainly when tshark 4.0, mergecap or ../shared is absent.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool} >/dev/null")]).status().is_ok_and(|s| s.success())
}

fn frames(out: &[u8]) -> Vec<u64> {
    String::from_utf8_lossy(out).lines().filter_map(|l| l.trim().parse().ok()).collect()
}

#[test]
fn language_forms_select_what_tshark_selects() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public"));
    if !dir.is_dir() {
        println!("SKIPPED: {} is absent", dir.display());
        return;
    }
    if !have("tshark") || !have("mergecap") {
        println!("SKIPPED: tshark/mergecap not installed (apt-get install tshark)");
        return;
    }
    let version = Command::new("tshark").arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    if !version.contains(" 4.0.") {
        println!("SKIPPED: tshark is not 4.0 ({})", version.lines().next().unwrap_or(""));
        return;
    }
    let mut caps: Vec<_> = std::fs::read_dir(dir)
        .expect("public dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.to_string_lossy();
            (n.ends_with(".pcap") || n.ends_with(".pcapng")) && !Path::new(&format!("{n}.oracle.err")).exists()
        })
        .collect();
    caps.sort();
    let tmp = tempfile::tempdir().expect("tmp");
    let merged = tmp.path().join("public.pcapng");
    let st = Command::new("mergecap").arg("-a").arg("-F").arg("pcapng").arg("-w").arg(&merged).args(&caps).status().expect("mergecap");
    assert!(st.success(), "mergecap failed");

    let list = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/filters_language.txt")).expect("filters_language.txt");
    let filters: Vec<&str> = list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    assert!(filters.len() >= 100, "only {} filters listed", filters.len());

    let bin = env!("CARGO_BIN_EXE_pktlab");
    let (mut pass, mut rejected_both, mut failures) = (0usize, 0usize, Vec::new());
    for f in &filters {
        let theirs = Command::new("tshark")
            .env("WIRESHARK_CONFIG_DIR", tmp.path())
            .env("TZ", "UTC")
            // pktlab always verifies checksums; tshark does with these preferences.
            .args(["-n", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-r"])
            .arg(&merged)
            .args(["-Y", f, "-T", "fields", "-e", "frame.number"])
            .output()
            .expect("tshark");
        let ours = Command::new(bin).env("TZ", "UTC").args(["dissect", "-Y", f, "-T", "fields", "-e", "frame.number"]).arg(&merged).output().expect("pktlab");
        match (theirs.status.success(), ours.status.success()) {
            (false, false) => {
                // A rejection must still say what is wrong, and where.
                let msg = String::from_utf8_lossy(&ours.stderr);
                assert!(msg.contains("column") && msg.contains('^'), "{f}: rejected without a column and caret:\n{msg}");
                rejected_both += 1;
                pass += 1;
            }
            (false, true) => failures.push(format!("{f}: tshark rejects it ({}), pktlab accepts it", String::from_utf8_lossy(&theirs.stderr).trim())),
            (true, false) => failures.push(format!("{f}: pktlab rejects it ({}), tshark accepts it", String::from_utf8_lossy(&ours.stderr).trim())),
            (true, true) => {
                let (a, b) = (frames(&ours.stdout), frames(&theirs.stdout));
                if a == b {
                    pass += 1;
                } else {
                    let sa: HashSet<_> = a.iter().collect();
                    let sb: HashSet<_> = b.iter().collect();
                    let extra: Vec<_> = a.iter().filter(|n| !sb.contains(n)).take(5).collect();
                    let missing: Vec<_> = b.iter().filter(|n| !sa.contains(n)).take(5).collect();
                    failures.push(format!("{f}: pktlab {} frames, tshark {}; only pktlab {extra:?}…, only tshark {missing:?}…", a.len(), b.len()));
                }
            }
        }
    }
    let pct = 100.0 * pass as f64 / filters.len() as f64;
    println!(
        "filter language: {pass}/{} filters agree with tshark 4.0 ({pct:.1}%; {rejected_both} rejected by both) over {} public captures joined",
        filters.len(),
        caps.len()
    );
    for f in &failures {
        println!("differs: {f}");
    }
    assert!(pct >= 97.0, "{} of {} filters differ from tshark:\n{}", failures.len(), filters.len(), failures.join("\n"));
}
