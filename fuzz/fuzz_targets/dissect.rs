//! The dissector over arbitrary frames of every link type it knows, with analysis on top.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::analysis::{annotate, Analyzer};
use pktlab::capture::linktype;
use pktlab::dissect::{Dissection, Dissector, FrameMeta};

const LINK_TYPES: [u32; 9] = [
    linktype::ETHERNET,
    linktype::NULL,
    linktype::LOOP,
    linktype::RAW,
    linktype::IPV4,
    linktype::IPV6,
    linktype::LINUX_SLL,
    linktype::LINUX_SLL2,
    linktype::IEEE802_11_RADIOTAP,
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, frame)) = data.split_first() else { return };
    let link_type = LINK_TYPES[sel as usize % LINK_TYPES.len()];
    let meta = FrameMeta { number: 1, orig_len: frame.len() as u32, link_type: Some(link_type), ..FrameMeta::default() };
    let mut d = Dissection::default();
    Dissector::new().dissect(&meta, frame, &mut d);
    let fa = Analyzer::new().process(&d, frame, &meta);
    annotate(&fa, &mut d);
    for f in &d.fields {
        let _ = d.field_bytes(frame, f);
    }
});
