//! WebSocket frames after an HTTP upgrade, cut into segments both ways.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
mod frames;

fuzz_target!(|data: &[u8]| {
    frames::tcp_stream(40000, 8765, &[(false, b"GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"), (true, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")], data);
});
