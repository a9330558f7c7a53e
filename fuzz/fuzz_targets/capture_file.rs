//! The capture-file reader over arbitrary bytes: every record is walked and dissected.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::capture::CaptureFile;
use pktlab::dissect::{Dissection, Dissector, FrameMeta};

fuzz_target!(|data: &[u8]| {
    let Ok(file) = CaptureFile::from_bytes("fuzz.pcap", data.to_vec()) else { return };
    let mut dissector = Dissector::new();
    let mut d = Dissection::default();
    for (i, rec) in file.records().enumerate() {
        let Ok(rec) = rec else { break };
        let meta = FrameMeta {
            number: i as u64 + 1,
            ts: rec.ts,
            orig_len: rec.orig_len,
            interface_id: rec.interface_id,
            link_type: rec.link_type,
            comments: Vec::new(),
            times: Default::default(),
        };
        dissector.dissect(&meta, rec.data, &mut d);
    }
});
