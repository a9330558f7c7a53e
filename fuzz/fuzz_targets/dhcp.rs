//! DHCP/BOOTP messages on UDP ports 67/68.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
mod frames;

fuzz_target!(|data: &[u8]| {
    frames::udp_datagrams(68, 67, data);
});
