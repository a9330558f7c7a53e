//! Live capture on loopback, checked against tcpdump in the same run: `pktlab demo-traffic`
//! plays a game on 127.0.0.1 while `pktlab live -i lo -w` and `tcpdump -i lo -w` record it;
//! pktlab's pcapng must hold every packet tcpdump saw (at least 99.9%, byte for byte) and
//! tshark must read it back with the same count.
//!
//! Needs root (or CAP_NET_RAW) and tcpdump; says plainly when it is skipped.

use pktlab::capture::CaptureFile;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).stdout(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Packets of a capture as a multiset of their bytes.
fn packets(path: &Path) -> HashMap<Vec<u8>, usize> {
    let file = CaptureFile::open(path).unwrap_or_else(|e| panic!("{e}"));
    let mut m = HashMap::new();
    for r in file.records() {
        let r = r.unwrap_or_else(|e| panic!("{e}"));
        *m.entry(r.data.to_vec()).or_insert(0) += 1;
    }
    m
}

#[test]
fn live_capture_keeps_every_packet_tcpdump_saw() {
    if !is_root() || !have("tcpdump") {
        eprintln!("SKIPPED: live capture test needs root and tcpdump");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let ours = dir.path().join("pktlab.pcapng");
    let theirs = dir.path().join("tcpdump.pcap");
    let bin = env!("CARGO_BIN_EXE_pktlab");
    let port = 17_777u16;
    let filter = format!("port {} or port {}", port, port + 1);

    let mut tcpdump = Command::new("tcpdump")
        .args(["-U", "-i", "lo", "-s", "262144", "-w"])
        .arg(&theirs)
        .arg(&filter)
        .stderr(Stdio::null())
        .spawn()
        .expect("tcpdump");
    let live = Command::new(bin)
        .args(["live", "-i", "lo", "--no-tui", "-q", "--duration", "9s", "-f", &filter, "-w"])
        .arg(&ours)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pktlab live");
    std::thread::sleep(Duration::from_millis(1500));
    let demo = Command::new(bin)
        .args(["demo-traffic", "--port", &port.to_string(), "--duration", "4s", "--tick-hz", "60"])
        .output()
        .expect("demo-traffic");
    assert!(demo.status.success(), "demo-traffic: {}", String::from_utf8_lossy(&demo.stderr));
    let live = live.wait_with_output().expect("pktlab live");
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill").args(["-INT", &tcpdump.id().to_string()]).status();
    let _ = tcpdump.wait();
    assert!(live.status.success(), "pktlab live failed: {}", String::from_utf8_lossy(&live.stderr));

    let want = packets(&theirs);
    let got = packets(&ours);
    let total: usize = want.values().sum();
    let kept: usize = want.iter().map(|(k, n)| (*n).min(got.get(k).copied().unwrap_or(0))).sum();
    let ours_total: usize = got.values().sum();
    println!("tcpdump saw {total} packets; pktlab wrote {ours_total}, holding {kept} of tcpdump's");
    assert!(total > 200, "the demo should have produced traffic, tcpdump saw {total}");
    assert!(kept as f64 >= total as f64 * 0.999, "pktlab kept only {kept} of {total} packets");

    if have("tshark") {
        let out = Command::new("tshark").arg("-r").arg(&ours).args(["-T", "fields", "-e", "frame.number"]).output().expect("tshark");
        assert!(out.status.success(), "tshark could not read pktlab's file: {}", String::from_utf8_lossy(&out.stderr));
        let n = String::from_utf8_lossy(&out.stdout).lines().count();
        assert_eq!(n, ours_total, "tshark reads back a different count");
    } else {
        eprintln!("tshark absent: read-back by tshark not checked");
    }
}

/// `pktlab live -q` from a script: no `--no-tui`, standard input and output not terminals.
/// It must capture headless (not fail opening a terminal), print nothing per packet and
/// write the datagrams this test sends on loopback.
#[test]
fn live_quiet_runs_without_a_terminal() {
    if !is_root() {
        eprintln!("SKIPPED: live capture test needs root");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let ours = dir.path().join("quiet.pcapng");
    let port = 17_791u16;
    let live = Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["live", "-i", "lo", "-q", "--duration", "3s", "-f", &format!("udp port {port}"), "-w"])
        .arg(&ours)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pktlab live");
    std::thread::sleep(Duration::from_millis(1200));
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp socket");
    let sent = 50usize;
    for i in 0..sent {
        sock.send_to(format!("quiet {i}").as_bytes(), ("127.0.0.1", port)).expect("send");
    }
    let out = live.wait_with_output().expect("pktlab live");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pktlab live -q without a terminal failed: {stderr}");
    assert!(out.stdout.is_empty(), "-q printed per-packet output: {}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.contains("packets processed"), "no final counts in: {stderr}");
    let got: usize = packets(&ours).values().sum();
    assert_eq!(got, sent, "pktlab wrote {got} of the {sent} datagrams sent; stderr: {stderr}");
}

/// A capture filter compiled to BPF runs in the kernel: on loopback, datagrams to another
/// port never reach pktlab (it sees only what it keeps), the file holds exactly the matching
/// datagrams, and the summary says the filter ran in the kernel.
#[test]
fn kernel_filter_keeps_only_matching_packets() {
    if !is_root() {
        eprintln!("SKIPPED: live capture test needs root");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let ours = dir.path().join("kernel-filter.pcapng");
    let (wanted, other) = (17_793u16, 17_794u16);
    // Receivers on both ports, so no ICMP "port unreachable" joins the traffic.
    let rx_wanted = std::net::UdpSocket::bind(("127.0.0.1", wanted)).expect("bind wanted port");
    let rx_other = std::net::UdpSocket::bind(("127.0.0.1", other)).expect("bind other port");
    let live = Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["live", "-i", "lo", "--no-tui", "-q", "--duration", "3s", "-f", &format!("udp dst port {wanted}"), "-w"])
        .arg(&ours)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pktlab live");
    std::thread::sleep(Duration::from_millis(1200));
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp socket");
    let (sent, noise) = (40usize, 400usize);
    for i in 0..noise {
        sock.send_to(format!("other {i}").as_bytes(), ("127.0.0.1", other)).expect("send");
        if i % 10 == 0 {
            sock.send_to(format!("wanted {}", i / 10).as_bytes(), ("127.0.0.1", wanted)).expect("send");
        }
    }
    let out = live.wait_with_output().expect("pktlab live");
    drop((rx_wanted, rx_other));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pktlab live failed: {stderr}");
    assert!(
        stderr.contains("the capture filter runs in the kernel (BPF"),
        "the summary does not say the filter ran in the kernel: {stderr}"
    );

    let file = CaptureFile::open(&ours).unwrap_or_else(|e| panic!("{e}"));
    let mut got = Vec::new();
    for r in file.records() {
        let r = r.unwrap_or_else(|e| panic!("{e}"));
        let d = r.data;
        // Ethernet (zero MACs on lo), IPv4 with a 20-byte header, UDP.
        assert!(d.len() >= 42 && d[12..14] == [0x08, 0x00] && d[23] == 17, "not IPv4/UDP: {d:02x?}");
        let dport = u16::from_be_bytes([d[36], d[37]]);
        assert_eq!(dport, wanted, "a packet to port {dport} was written");
        got.push(String::from_utf8_lossy(&d[42..]).into_owned());
    }
    let expected: Vec<String> = (0..sent).map(|i| format!("wanted {i}")).collect();
    assert_eq!(got, expected, "stderr: {stderr}");

    // Only matching packets crossed into user space: what pktlab saw is what it kept.
    let counts = stderr
        .split_once("packets processed (")
        .and_then(|(_, rest)| rest.split_once(" seen)"))
        .map(|(inside, _)| inside.to_string())
        .unwrap_or_else(|| panic!("no counts in: {stderr}"));
    let numbers: Vec<u64> = counts.split(|c: char| !c.is_ascii_digit()).filter_map(|w| w.parse().ok()).collect();
    assert_eq!(numbers, vec![sent as u64, sent as u64], "captured and seen: {counts}");
}

#[test]
fn ring_buffer_leaves_exactly_the_newest_files_of_about_their_size() {
    if !is_root() {
        eprintln!("SKIPPED: ring-buffer capture test needs root");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = env!("CARGO_BIN_EXE_pktlab");
    let port = 17_911u16;
    let live = Command::new(bin)
        .args(["live", "-i", "lo", "--no-tui", "-q", "--duration", "5s", "-f", &format!("udp port {port}"), "-b", "filesize:64", "-b", "files:3", "-w"])
        .arg(dir.path().join("ring.pcapng"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pktlab live");
    std::thread::sleep(Duration::from_millis(1500));
    // Busy loopback traffic: 4000 datagrams of 200 bytes, numbered, about 12 files' worth.
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("socket");
    for i in 0..4000u32 {
        let mut msg = i.to_be_bytes().to_vec();
        msg.resize(200, 0x5a);
        sock.send_to(&msg, ("127.0.0.1", port)).expect("send");
        if i % 200 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let out = live.wait_with_output().expect("pktlab live ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let mut files: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    assert_eq!(files.len(), 3, "exactly 3 files are left: {files:?}\n{err}");
    // Each file stands alone and is about 64 kB; together they hold the last datagrams in
    // order, with none missing at the rotations.
    let mut numbers = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("ring_") && name.ends_with(".pcapng") && name.len() == "ring_00001_20261203094500.pcapng".len(), "{name}");
        let len = std::fs::metadata(f).expect("size").len();
        let cap = CaptureFile::open(f).unwrap_or_else(|e| panic!("{e}"));
        let mut n = 0;
        for r in cap.records() {
            let r = r.unwrap_or_else(|e| panic!("{e}"));
            let payload = &r.data[r.data.len() - 200..];
            numbers.push(u32::from_be_bytes(payload[..4].try_into().unwrap()));
            n += 1;
        }
        assert!(n > 0, "{name} holds packets");
        let last = f == files.last().unwrap();
        assert!(len <= 64_000 && (last || len > 60_000), "{name} is {len} bytes");
        assert!(err.contains(&format!("{}  {n} packets", f.display())), "the summary names {name} with its {n} packets:\n{err}");
    }
    assert_eq!(numbers.last(), Some(&3999));
    assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "no datagram missing between files");
    assert!(err.contains("(removed: files limit)"), "{err}");
}
