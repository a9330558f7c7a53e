//! QUIC datagrams on UDP port 443 (long and short headers, Initial decryption, CRYPTO frames).
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
mod frames;

fuzz_target!(|data: &[u8]| {
    frames::udp_datagrams(40000, 443, data);
});
