//! Test support for BPF programs: a classic-BPF interpreter with the semantics of libpcap's
//! `bpf_filter()` (and the kernel's: a load past the end of the packet, or a division by zero,
//! rejects the packet), a reader for `tcpdump -dd` output, and the frames of the test captures.

#![allow(dead_code)]

use pktlab_core::capture::{CaptureFile, RecordKind};
use pktlab_live::bpf::{SockFilter, op};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `prog` on a packet of which `pkt` was captured, `wire_len` bytes long on the wire.
/// Returns what the program returns (0 rejects; otherwise the bytes to keep). Panics on an
/// instruction the kernel would refuse to load, so a bad program fails the test loudly.
pub fn run(prog: &[SockFilter], pkt: &[u8], wire_len: u32) -> u32 {
    let (mut a, mut x) = (0u32, 0u32);
    let mut mem = [0u32; 16];
    let mut pc = 0usize;
    let load = |at: u32, n: usize| -> Option<u32> {
        let at = at as usize;
        let b = pkt.get(at..at.checked_add(n)?)?;
        Some(b.iter().fold(0u32, |v, byte| (v << 8) | u32::from(*byte)))
    };
    loop {
        let Some(&i) = prog.get(pc) else {
            panic!("the program runs off its end at {pc}");
        };
        pc += 1;
        let size = match i.code & 0x18 {
            op::W => 4,
            op::H => 2,
            op::B => 1,
            _ => panic!("bad load size in {i:?}"),
        };
        match i.code & 0x07 {
            op::LD => {
                a = match i.code & 0xE0 {
                    op::IMM => i.k,
                    op::ABS => match load(i.k, size) {
                        Some(v) => v,
                        None => return 0,
                    },
                    op::IND => match x.checked_add(i.k).and_then(|at| load(at, size)) {
                        Some(v) => v,
                        None => return 0,
                    },
                    op::MEM => mem[i.k as usize],
                    op::LEN => wire_len,
                    _ => panic!("bad ld {i:?}"),
                }
            }
            op::LDX => {
                x = match i.code & 0xE0 {
                    op::IMM => i.k,
                    op::MEM => mem[i.k as usize],
                    op::LEN => wire_len,
                    op::MSH => match load(i.k, 1) {
                        Some(v) => (v & 0x0F) << 2,
                        None => return 0,
                    },
                    _ => panic!("bad ldx {i:?}"),
                }
            }
            op::ST => mem[i.k as usize] = a,
            op::STX => mem[i.k as usize] = x,
            op::ALU => {
                let v = if i.code & op::X != 0 { x } else { i.k };
                a = match i.code & 0xF0 {
                    op::ADD => a.wrapping_add(v),
                    op::SUB => a.wrapping_sub(v),
                    op::MUL => a.wrapping_mul(v),
                    op::DIV if v == 0 => return 0,
                    op::DIV => a / v,
                    op::MOD if v == 0 => return 0,
                    op::MOD => a % v,
                    op::OR => a | v,
                    op::AND => a & v,
                    op::XOR => a ^ v,
                    op::LSH => a.checked_shl(v).unwrap_or(0),
                    op::RSH => a.checked_shr(v).unwrap_or(0),
                    op::NEG => a.wrapping_neg(),
                    _ => panic!("bad alu {i:?}"),
                }
            }
            op::JMP => {
                let v = if i.code & op::X != 0 { x } else { i.k };
                let taken = match i.code & 0xF0 {
                    op::JA => {
                        pc += i.k as usize;
                        continue;
                    }
                    op::JEQ => a == v,
                    op::JGT => a > v,
                    op::JGE => a >= v,
                    op::JSET => a & v != 0,
                    _ => panic!("bad jump {i:?}"),
                };
                pc += usize::from(if taken { i.jt } else { i.jf });
            }
            op::RET => {
                return match i.code & 0x18 {
                    op::K => i.k,
                    op::A => a,
                    _ => panic!("bad ret {i:?}"),
                };
            }
            op::MISC => match i.code & 0xF8 {
                op::TAX => x = a,
                op::TXA => a = x,
                _ => panic!("bad misc {i:?}"),
            },
            _ => unreachable!("the class is 3 bits"),
        }
    }
}

/// Checks what the kernel's loader checks: every jump lands inside the program, and the
/// program ends in a return.
pub fn check_loadable(prog: &[SockFilter]) -> Result<(), String> {
    if prog.is_empty() || prog.len() > pktlab_live::bpf::MAX_INSNS {
        return Err(format!("{} instructions", prog.len()));
    }
    for (pc, i) in prog.iter().enumerate() {
        if i.code & 0x07 == op::JMP {
            let targets = if i.code & 0xF0 == op::JA {
                vec![pc as u64 + 1 + u64::from(i.k)]
            } else {
                vec![pc as u64 + 1 + u64::from(i.jt), pc as u64 + 1 + u64::from(i.jf)]
            };
            if targets.iter().any(|t| *t >= prog.len() as u64) {
                return Err(format!("jump at {pc} leaves the program"));
            }
        }
    }
    match prog.last() {
        Some(i) if i.code & 0x07 == op::RET => Ok(()),
        _ => Err("the last instruction is not a return".into()),
    }
}

/// libpcap's compile of `filter` for `dlt` (a tcpdump -y name), from `tcpdump -dd`:
/// `Ok(None)` when tcpdump refuses the filter for that link type, `Err` when tcpdump could not
/// be run.
pub fn libpcap_program(dlt: &str, filter: &str) -> Result<Option<Vec<SockFilter>>, String> {
    libpcap_program_with(dlt, filter, true)
}

/// As [`libpcap_program`]; `optimize: false` is tcpdump's `-O` (libpcap's optimiser off).
pub fn libpcap_program_with(dlt: &str, filter: &str, optimize: bool) -> Result<Option<Vec<SockFilter>>, String> {
    let mut args = vec!["-dd", "-y", dlt];
    if !optimize {
        args.push("-O");
    }
    let out = Command::new("tcpdump")
        .args(args)
        .args(["--", filter])
        .output()
        .map_err(|e| format!("tcpdump: {e}"))?;
    if !out.status.success() {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    parse_dd(&text).map(Some)
}

/// Parses `tcpdump -dd` lines: `{ 0x28, 0, 0, 0x0000000c },`.
pub fn parse_dd(text: &str) -> Result<Vec<SockFilter>, String> {
    let num = |s: &str| -> Result<u32, String> {
        let s = s.trim();
        match s.strip_prefix("0x") {
            Some(h) => u32::from_str_radix(h, 16),
            None => s.parse(),
        }
        .map_err(|e| format!("\"{s}\" in tcpdump -dd output: {e}"))
    };
    let mut prog = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let inner = line.trim_end_matches(',').trim_start_matches('{').trim_end_matches('}');
        let f: Vec<&str> = inner.split(',').collect();
        if f.len() != 4 {
            return Err(format!("unexpected tcpdump -dd line: {line}"));
        }
        prog.push(SockFilter {
            code: u16::try_from(num(f[0])?).map_err(|e| e.to_string())?,
            jt: u8::try_from(num(f[1])?).map_err(|e| e.to_string())?,
            jf: u8::try_from(num(f[2])?).map_err(|e| e.to_string())?,
            k: num(f[3])?,
        });
    }
    if prog.is_empty() {
        return Err("tcpdump -dd printed no instructions".into());
    }
    Ok(prog)
}

/// Whether `tcpdump -dd` works here (installed, and able to compile without an interface).
pub fn have_tcpdump() -> bool {
    matches!(libpcap_program("EN10MB", "tcp"), Ok(Some(p)) if !p.is_empty())
}

/// One frame of a test capture.
pub struct TestFrame {
    pub capture: String,
    /// A copy cut short by the test (not a frame as captured).
    pub truncated: bool,
    pub number: usize,
    pub data: Vec<u8>,
    pub orig_len: u32,
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Capture files of the test sets: `captures/` (and `captures/app/`), and the public
/// captures in `../shared/captures/public/` when that folder is present.
pub fn capture_paths() -> (Vec<PathBuf>, bool) {
    let root = repo_root();
    let shared = root.join("../shared/captures/public");
    let mut paths = Vec::new();
    for dir in [root.join("captures"), root.join("captures/app"), shared.clone()] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".pcap") || name.ends_with(".pcapng") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    (paths, shared.is_dir())
}

/// Every packet of link type `link_type` in `paths` (pcapng files may mix link types).
pub fn frames_of(paths: &[PathBuf], link_type: u32) -> Vec<TestFrame> {
    let mut out = Vec::new();
    for path in paths {
        let Ok(file) = CaptureFile::open(path) else { continue };
        let name = short_name(path);
        for (n, r) in file.records().enumerate() {
            let Ok(r) = r else { break };
            if r.kind == RecordKind::Packet && r.link_type == Some(link_type) {
                out.push(TestFrame { capture: name.clone(), truncated: false, number: n + 1, data: r.data.to_vec(), orig_len: r.orig_len });
            }
        }
    }
    out
}

fn short_name(p: &Path) -> String {
    let parent = p.parent().and_then(|d| d.file_name()).and_then(|n| n.to_str()).unwrap_or("");
    format!("{parent}/{}", p.file_name().and_then(|n| n.to_str()).unwrap_or("?"))
}
