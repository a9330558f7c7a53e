//! The game protocol-description parser over arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::game::proto::GameProto;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = GameProto::parse(std::path::Path::new("fuzz.toml"), text) {
        let _ = p.field_defs();
    }
});
