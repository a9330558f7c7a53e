//! Conformance of the TCP/UDP analysis with tshark 4.0, driven by the header fields tshark
//! itself printed (`FILE.oracle.tsv`), so the state machine is checked independently of the
//! dissector. Compares every cell of `FILE.analysis.tsv` and every frame set of
//! `FILE.flags.tsv`; explained differences are listed in tests/analysis_deviations.txt.

use pktlab::analysis::{Analyzer, Endpoints, Flags, Sack, TcpSegment, Transport, UdpDatagram};
use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

fn public_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public")).to_path_buf()
}

struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Option<Table> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        let header = lines.next()?.split('\t').map(str::to_owned).collect();
        let rows = lines.map(|l| l.split('\t').map(str::to_owned).collect()).collect();
        Some(Table { header, rows })
    }
    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or(usize::MAX)
    }
}

fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map(String::as_str).unwrap_or("")
}

fn num(s: &str) -> Option<u64> {
    if let Some(h) = s.strip_prefix("0x") { u64::from_str_radix(h, 16).ok() } else { s.parse().ok() }
}

/// `frame.time_epoch` as nanoseconds; tshark prints an out-of-range fraction verbatim.
fn epoch_nanos(s: &str) -> i64 {
    let Some((secs, frac)) = s.split_once('.') else { return 0 };
    let secs: i64 = secs.parse().unwrap_or(0);
    let frac: i64 = frac.parse().unwrap_or(0);
    secs * 1_000_000_000 + frac
}

fn rtt(ns: i64) -> String {
    format!("{}.{:09}", ns / 1_000_000_000, ns % 1_000_000_000)
}

/// Builds the analysis input of one oracle row (first TCP or UDP layer only, as printed).
fn input(t: &Table, row: &[String], ports_seen: &mut HashMap<(u16, u16), Endpoints>) -> Option<Transport> {
    let protos = cell(row, t.col("frame.protocols"));
    let layers: Vec<&str> = protos.split(':').collect();
    let tpos = layers.iter().position(|l| *l == "tcp" || *l == "udp")?;
    let in_error = layers[..tpos].iter().any(|l| *l == "icmp" || *l == "icmpv6");
    let v6 = layers[..tpos].iter().rev().find(|l| **l == "ip" || **l == "ipv6") == Some(&"ipv6");
    let (s, d) = if v6 { ("ipv6.src", "ipv6.dst") } else { ("ip.src", "ip.dst") };
    let src: IpAddr = cell(row, t.col(s)).parse().ok()?;
    let dst: IpAddr = cell(row, t.col(d)).parse().ok()?;
    let g = |name: &str| num(cell(row, t.col(name)));
    if layers[tpos] == "tcp" {
        let (sport, dport) = (g("tcp.srcport")? as u16, g("tcp.dstport")? as u16);
        let mut ends = Endpoints { src, dst, sport, dport };
        if in_error {
            // The oracle holds only the outer (ICMP) addresses: find the quoted connection by ports.
            ends = *ports_seen.get(&(sport, dport))?;
        } else {
            ports_seen.insert((sport, dport), ends);
            ports_seen.insert((dport, sport), Endpoints { src: dst, dst: src, sport: dport, dport: sport });
        }
        let mut sack = Sack::default();
        if let (Some(l), Some(r)) = (g("tcp.options.sack_le"), g("tcp.options.sack_re")) {
            sack.push(l as u32, r as u32);
        }
        // As tshark: no stream for a header cut before its numbers, flags and window.
        let seq = if in_error { g("tcp.seq_raw").unwrap_or(0) } else { g("tcp.seq_raw")? };
        Some(Transport::Tcp(TcpSegment {
            ends,
            seq: seq as u32,
            ack: g("tcp.ack_raw")? as u32,
            flags: g("tcp.flags")? as u16,
            window: g("tcp.window_size_value")? as u16,
            seglen: if in_error { None } else { g("tcp.len").map(|n| n as u32) },
            wscale: g("tcp.options.wscale.shift").map(|n| n as u8),
            sack,
            in_error,
        }))
    } else {
        let (sport, dport) = (g("udp.srcport")? as u16, g("udp.dstport")? as u16);
        let mut ends = Endpoints { src, dst, sport, dport };
        if in_error {
            ends = *ports_seen.get(&(sport, dport)).unwrap_or(&Endpoints { src: dst, dst: src, sport, dport });
        } else {
            ports_seen.insert((sport, dport), ends);
            ports_seen.insert((dport, sport), Endpoints { src: dst, dst: src, sport: dport, dport: sport });
        }
        Some(Transport::Udp(UdpDatagram { ends, length: g("udp.length")? as u16, in_error }))
    }
}

const FLAG_NAMES: &[(&str, u32)] = &[
    ("tcp.analysis.retransmission", Flags::RETRANSMISSION | Flags::FAST_RETRANSMISSION | Flags::SPURIOUS_RETRANSMISSION),
    ("tcp.analysis.fast_retransmission", Flags::FAST_RETRANSMISSION),
    ("tcp.analysis.spurious_retransmission", Flags::SPURIOUS_RETRANSMISSION),
    ("tcp.analysis.out_of_order", Flags::OUT_OF_ORDER),
    ("tcp.analysis.lost_segment", Flags::LOST_SEGMENT),
    ("tcp.analysis.duplicate_ack", Flags::DUPLICATE_ACK),
    ("tcp.analysis.zero_window", Flags::ZERO_WINDOW),
    ("tcp.analysis.zero_window_probe", Flags::ZERO_WINDOW_PROBE),
    ("tcp.analysis.window_update", Flags::WINDOW_UPDATE),
    ("tcp.analysis.window_full", Flags::WINDOW_FULL),
    ("tcp.analysis.keep_alive", Flags::KEEP_ALIVE),
    ("tcp.analysis.keep_alive_ack", Flags::KEEP_ALIVE_ACK),
];

#[derive(Default)]
struct Score {
    cells: usize,
    cells_ok: usize,
    sets: usize,
    sets_ok: usize,
}

fn check_capture(oracle: &Path, analysis: &Path, flags: &Path, score: &mut Score, report: &mut Vec<String>) {
    let (Some(o), Some(a)) = (Table::read(oracle), Table::read(analysis)) else { return };
    let name = analysis.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut an = Analyzer::new();
    let mut ports = HashMap::new();
    let mut got_rows: HashMap<u64, Vec<String>> = HashMap::new();
    let mut got_flags: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); FLAG_NAMES.len()];
    let fno = o.col("frame.number");
    let fts = o.col("frame.time_epoch");
    for row in &o.rows {
        let Some(frame) = num(cell(row, fno)) else { continue };
        let ts = epoch_nanos(cell(row, fts));
        let inputs: Vec<(usize, Transport)> = input(&o, row, &mut ports).into_iter().map(|t| (0, t)).collect();
        let fa = an.process_inputs(frame, ts, &inputs);
        let mut out = vec![String::new(); 12];
        if let Some(t) = fa.tcp() {
            out[0] = t.stream.to_string();
            out[1] = t.seq.to_string();
            out[2] = t.ack.to_string();
            out[3] = t.nxtseq.map(|n| n.to_string()).unwrap_or_default();
            out[4] = t.seglen.map(|n| n.to_string()).unwrap_or_default();
            out[5] = t.window.to_string();
            out[6] = t.scalefactor.map(|n| n.to_string()).unwrap_or_default();
            out[7] = if t.dupack_num != 0 { t.dupack_num.to_string() } else { String::new() };
            out[8] = t.ack_rtt.map(rtt).unwrap_or_default();
            out[9] = t.initial_rtt.map(rtt).unwrap_or_default();
            out[10] = t.bytes_in_flight.map(|n| n.to_string()).unwrap_or_default();
            for (i, (_, bits)) in FLAG_NAMES.iter().enumerate() {
                if t.flags.0 & bits != 0 {
                    got_flags[i].insert(frame);
                }
            }
        }
        if let Some(u) = fa.udp() {
            out[11] = u.stream.to_string();
        }
        got_rows.insert(frame, out);
    }
    let (mut cells, mut ok) = (0, 0);
    for row in &a.rows {
        let Some(frame) = num(cell(row, 0)) else { continue };
        let empty = vec![String::new(); 12];
        let got = got_rows.get(&frame).unwrap_or(&empty);
        for (c, g) in got.iter().enumerate().take(12) {
            let want = cell(row, c + 1);
            cells += 1;
            if *g == want {
                ok += 1;
            } else {
                report.push(format!("{name} frame {frame} {}: want {want:?} got {g:?}", a.header[c + 1]));
            }
        }
    }
    score.cells += cells;
    score.cells_ok += ok;
    if let Ok(text) = std::fs::read_to_string(flags) {
        for line in text.lines() {
            let (flag, frames) = line.split_once('\t').unwrap_or((line, ""));
            let Some(i) = FLAG_NAMES.iter().position(|(n, _)| *n == flag) else { continue };
            let want: BTreeSet<u64> = frames.split(',').filter_map(|s| s.trim().parse().ok()).collect();
            score.sets += 1;
            if want == got_flags[i] {
                score.sets_ok += 1;
            } else {
                let missing: Vec<_> = want.difference(&got_flags[i]).collect();
                let extra: Vec<_> = got_flags[i].difference(&want).collect();
                report.push(format!("{name} {flag}: missing {missing:?} extra {extra:?}"));
            }
        }
    }
    println!("{name}: {ok}/{cells} cells");
}

#[test]
fn analysis_matches_tshark_on_public_captures() {
    let dir = public_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: ../shared absent ({} not found)", dir.display());
        return;
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".analysis.tsv") && !p.to_string_lossy().contains(".oracle.err"))
        .collect();
    names.sort();
    let mut score = Score::default();
    let mut report = Vec::new();
    for analysis in &names {
        let base = analysis.to_string_lossy().trim_end_matches(".analysis.tsv").to_owned();
        let oracle = PathBuf::from(format!("{base}.oracle.tsv"));
        let flags = PathBuf::from(format!("{base}.flags.tsv"));
        check_capture(&oracle, analysis, &flags, &mut score, &mut report);
    }
    for line in report.iter().take(200) {
        println!("DIFF {line}");
    }
    let cell_pct = 100.0 * score.cells_ok as f64 / score.cells.max(1) as f64;
    let set_pct = 100.0 * score.sets_ok as f64 / score.sets.max(1) as f64;
    println!(
        "agreement: cells {}/{} ({cell_pct:.2}%), flag frame sets {}/{} ({set_pct:.2}%), {} captures",
        score.cells_ok, score.cells, score.sets_ok, score.sets, names.len()
    );
    assert!(cell_pct >= 99.0, "cell agreement {cell_pct:.2}% below 99%");
    assert!(set_pct >= 99.0, "flag set agreement {set_pct:.2}% below 99%");
}
