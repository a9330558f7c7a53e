//! gzip and zstd captures read like the plain file: `pktlab dissect` prints byte for byte the
//! same summary lines, `-V` trees and `-T fields` cells for the compressed copy (recognised by
//! its magic number, whatever its name), and a cut compressed file keeps every frame inflated
//! before the cut and says what is wrong.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pktlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pktlab")).args(args).output().expect("run pktlab")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("writes to memory");
    e.finish().expect("finishes in memory")
}

fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// The project's captures, and a few public pcapng files when `../shared` is there.
fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root).expect("captures/").flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pcap")).collect();
    for name in ["chrissanders-tcp_handshake.pcapng", "chrissanders-tcp_retransmissions.pcapng", "hadrielk-le-advanced-test102.pcapng"] {
        let p = common::public(name);
        if p.exists() {
            v.push(p);
        }
    }
    v.sort();
    v
}

#[test]
fn compressed_captures_dissect_like_the_plain_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut compared = 0;
    for plain in inputs() {
        let bytes = std::fs::read(&plain).expect("reads");
        let stem = plain.file_name().expect("name").to_string_lossy().into_owned();
        // One copy named for what it is, one named as if it were plain: the magic decides.
        for (name, data) in [(format!("{stem}.gz"), gzip(&bytes)), (format!("z-{stem}"), zstd(&bytes))] {
            let packed = dir.path().join(&name);
            std::fs::write(&packed, &data).expect("writes");
            for args in [&[][..], &["-V"][..], &["-T", "fields", "-e", "frame.number", "-e", "tcp.seq", "-e", "udp.length", "-e", "frame.time_epoch"][..]] {
                let a = pktlab(&[&["dissect"][..], args, &[plain.to_str().expect("utf-8")]].concat());
                let b = pktlab(&[&["dissect"][..], args, &[packed.to_str().expect("utf-8")]].concat());
                assert!(a.status.success(), "{}: {}", plain.display(), String::from_utf8_lossy(&a.stderr));
                assert_eq!(a.status.code(), b.status.code(), "{name} {args:?}");
                assert!(a.stdout == b.stdout, "{name} {args:?}: output differs from {}", plain.display());
                compared += 1;
            }
        }
    }
    assert!(compared >= 30, "compared {compared} runs");
    println!("{compared} dissect runs of compressed copies equal to the plain file");
}

#[test]
fn a_cut_compressed_file_keeps_the_frames_before_the_cut() {
    let plain = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/bulk-loss.pcap");
    let bytes = std::fs::read(&plain).expect("reads");
    let z = gzip(&bytes);
    let dir = tempfile::tempdir().expect("temp dir");
    let cut = dir.path().join("cut.pcap.gz");
    std::fs::write(&cut, &z[..z.len() * 2 / 3]).expect("writes");
    let full = pktlab(&["dissect", plain.to_str().expect("utf-8")]);
    let part = pktlab(&["dissect", cut.to_str().expect("utf-8")]);
    let full_lines = String::from_utf8_lossy(&full.stdout).lines().count();
    let part_text = String::from_utf8_lossy(&part.stdout).into_owned();
    let part_lines = part_text.lines().count();
    assert!(part_lines > 0 && part_lines < full_lines, "{part_lines} of {full_lines}");
    assert!(String::from_utf8_lossy(&full.stdout).starts_with(&part_text), "the frames before the cut print as in the plain file");
    let err = String::from_utf8_lossy(&part.stderr);
    assert!(err.contains("cut.pcap.gz") && err.contains("gzip stream is damaged"), "{err}");
    assert!(!part.status.success());
}
