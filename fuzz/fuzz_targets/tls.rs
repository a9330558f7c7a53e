//! TLS records over TCP port 443, cut into segments both ways (records and handshakes over segments).
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
mod frames;

fuzz_target!(|data: &[u8]| {
    frames::tcp_stream(40000, 443, &[], data);
});
