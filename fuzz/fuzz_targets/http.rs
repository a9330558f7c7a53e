//! HTTP/1.x messages over TCP port 80, cut into segments both ways (reassembly, chunked bodies, bodies until FIN).
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
mod frames;

fuzz_target!(|data: &[u8]| {
    frames::tcp_stream(40000, 80, &[], data);
});
