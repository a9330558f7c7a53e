//! X.509 certificates: the fuzzed bytes as the one certificate of a TLS Certificate message
//! from port 443, dissected and every tree label written (the labels read the DER tree back).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::dissect::{Dissection, Dissector, FrameMeta, label};

fuzz_target!(|data: &[u8]| {
    let cert = &data[..data.len().min(16000)];
    let n = cert.len();
    let mut rec = vec![22, 3, 3];
    rec.extend_from_slice(&((n + 10) as u16).to_be_bytes());
    rec.push(11);
    rec.extend_from_slice(&((n + 6) as u32).to_be_bytes()[1..]);
    rec.extend_from_slice(&((n + 3) as u32).to_be_bytes()[1..]);
    rec.extend_from_slice(&(n as u32).to_be_bytes()[1..]);
    rec.extend_from_slice(cert);
    let total = 40 + rec.len();
    let mut f = vec![0u8; 14];
    f[12] = 0x08;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 2, 127, 0, 0, 1]);
    f.extend_from_slice(&443u16.to_be_bytes());
    f.extend_from_slice(&40000u16.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0x13, 0x88, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(&rec);
    let meta = FrameMeta { number: 1, ts: None, orig_len: f.len() as u32, interface_id: None, link_type: Some(1), ..FrameMeta::default() };
    let mut dissector = Dissector::new();
    let mut d = Dissection::default();
    dissector.dissect(&meta, &f, &mut d);
    let mut s = String::new();
    for i in 0..d.fields.len() {
        s.clear();
        label::tree_label(&d, &f, i, &mut s);
    }
});
