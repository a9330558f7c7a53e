//! The capture-file reader over arbitrary bytes: every record is walked, dissected and analysed.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::capture::CaptureFile;
use pktlab::pipeline::Sequence;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = CaptureFile::from_bytes("fuzz.pcap", data.to_vec()) else { return };
    // The pipeline's in-order stage: numbering, times, dissection and the TCP/UDP analysis.
    let mut seq = Sequence::new(true);
    for rec in file.records() {
        let Ok(rec) = rec else { break };
        seq.push(&rec);
        seq.annotate();
    }
});
