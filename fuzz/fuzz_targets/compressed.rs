//! Compressed captures: arbitrary bytes behind a gzip or a zstd magic number are inflated
//! and read as a capture; every record is walked. The first byte picks the compression.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::capture::CaptureFile;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let magic: &[u8] = if pick & 1 == 0 { &[0x1f, 0x8b] } else { &[0x28, 0xb5, 0x2f, 0xfd] };
    // Inputs that already start with the magic (seeds) are taken as they are.
    let bytes = if rest.starts_with(magic) { rest.to_vec() } else { [magic, rest].concat() };
    let Ok(file) = CaptureFile::from_bytes("fuzz.pcap.gz", bytes) else { return };
    for rec in file.records() {
        if rec.is_err() {
            break;
        }
    }
});
