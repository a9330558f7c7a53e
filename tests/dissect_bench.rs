//! Throughput of the dissector over the public captures' frames, repeated to a million
//! (`cargo test --release --test dissect_bench -- --ignored --nocapture`).

use pktlab::capture::CaptureFile;
use pktlab::dissect::format::Occurrence;
use pktlab::dissect::{Dissection, Dissector, FrameMeta};
use std::path::Path;
use std::time::Instant;

#[test]
#[ignore = "benchmark: run with --release --ignored"]
fn million_frames() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public"));
    let mut frames: Vec<(Option<u32>, u32, Vec<u8>)> = Vec::new();
    for n in ["ndpi-teamspeak3.pcap", "ndpi-fix2.pcap", "ndpi-rtp.pcapng"] {
        let Ok(file) = CaptureFile::open(&dir.join(n)) else {
            println!("../shared absent: benchmark skipped");
            return;
        };
        for rec in file.records().flatten() {
            frames.push((rec.link_type, rec.orig_len, rec.data.to_vec()));
        }
    }
    let n = 1_000_000usize;
    let mut dis = Dissector::new();
    let mut d = Dissection::default();
    let t = Instant::now();
    let mut fields = 0usize;
    for i in 0..n {
        let (lt, orig, data) = &frames[i % frames.len()];
        let meta = FrameMeta { number: i as u64 + 1, ts: None, orig_len: *orig, interface_id: None, interface: None, link_type: *lt, comments: Vec::new(), times: Default::default() };
        dis.dissect(&meta, data, &mut d);
        fields += d.fields.len();
    }
    let el = t.elapsed();
    println!("dissect: {n} frames in {:.3} s ({:.0} ns/frame, {} fields/frame)", el.as_secs_f64(), el.as_nanos() as f64 / n as f64, fields / n);
    let cols = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.flags", "udp.srcport", "udp.length"];
    let columns = pktlab::fields::columns(&cols);
    let mut line = String::new();
    let mut bytes = 0usize;
    let t = Instant::now();
    for i in 0..n {
        let (lt, orig, data) = &frames[i % frames.len()];
        let meta = FrameMeta { number: i as u64 + 1, ts: None, orig_len: *orig, interface_id: None, interface: None, link_type: *lt, comments: Vec::new(), times: Default::default() };
        dis.dissect(&meta, data, &mut d);
        line.clear();
        columns.write_row(&mut line, &d, data, Occurrence::First, "\t", ',');
        bytes += line.len();
    }
    let el = t.elapsed();
    println!("dissect + 10 columns: {n} frames in {:.3} s ({:.0} ns/frame, {bytes} bytes)", el.as_secs_f64(), el.as_nanos() as f64 / n as f64);
}
