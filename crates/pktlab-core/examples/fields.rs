//! Open a capture, walk its frames, and print a few fields by their Wireshark names, the way
//! `tshark -T fields -e …` does:
//!
//! ```sh
//! cargo run -p pktlab-core --example fields -- captures/handshake.pcap
//! cargo run -p pktlab-core --example fields -- captures/game.pcap frame.number udp.length
//! ```
//!
//! With no field names it prints the frame number, the stream, the flags and the relative and
//! raw sequence numbers. Relative numbers and `tcp.stream` come from the analysis pass, so each
//! frame is dissected, analysed in order, and then annotated with what the analysis found.

use pktlab_core::analysis::{Analyzer, annotate};
use pktlab_core::capture::CaptureFile;
use pktlab_core::dissect::format::{Occurrence, cells};
use pktlab_core::dissect::{Dissection, Dissector};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: fields CAPTURE [FIELD…]");
        return ExitCode::from(2);
    };
    let mut names: Vec<String> = args.collect();
    if names.is_empty() {
        names = ["frame.number", "tcp.stream", "tcp.flags.str", "tcp.seq", "tcp.seq_raw", "tcp.len"].map(String::from).to_vec();
    }
    if let Some(unknown) = names.iter().find(|n| pktlab_core::fields::by_name(n).is_none()) {
        eprintln!("fields: {unknown} is not a field pktlab knows");
        return ExitCode::from(2);
    }
    let file = match CaptureFile::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fields: {e}");
            return ExitCode::from(1);
        }
    };
    println!("{}", names.join("\t"));
    let (mut dissector, mut analyzer, mut d) = (Dissector::new(), Analyzer::new(), Dissection::default());
    for (i, record) in file.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                // Every frame before the damage was printed; say where it is and stop.
                eprintln!("fields: {e}");
                return ExitCode::from(1);
            }
        };
        let meta = record.meta(i as u64 + 1);
        dissector.dissect(&meta, record.data, &mut d);
        let fa = analyzer.process(&d, record.data, &meta);
        annotate(&fa, &mut d);
        let row: Vec<String> = names.iter().map(|n| cells(&d, record.data, n, Occurrence::All)).collect();
        println!("{}", row.join("\t"));
    }
    ExitCode::SUCCESS
}
