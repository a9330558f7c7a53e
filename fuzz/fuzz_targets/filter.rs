//! The display-filter compiler over arbitrary text, and every filter that compiles evaluated
//! over a real frame.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::dissect::{Dissection, Dissector, FrameMeta};
use pktlab::filter::Filter;

/// A TCP connection and a UDP datagram recorded on loopback with tcpdump (see seeds/README.md).
const CAPTURE: &[u8] = include_bytes!("../seeds/lo-tcp-udp.pcap");

fuzz_target!(|data: &[u8]| {
    let Ok(file) = pktlab::capture::CaptureFile::from_bytes("seed.pcap", CAPTURE.to_vec()) else { return };
    let Some(Ok(first)) = file.records().next() else { return };
    let frame = first.data;
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Filter::compile(text) {
        Ok(f) => {
            let meta = FrameMeta { number: 1, orig_len: frame.len() as u32, link_type: Some(1), ..FrameMeta::default() };
            let mut d = Dissection::default();
            Dissector::new().dissect(&meta, frame, &mut d);
            let _ = f.matches(&d, frame);
        }
        Err(e) => {
            let _ = e.render(text);
        }
    }
});
