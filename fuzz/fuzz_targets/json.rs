//! HTTP bodies of the media types with dissectors of their own: JSON (its grammar, paths,
//! escapes, the depth limit, text after it) and forms (`key=value&...`, percent escapes), in
//! one or several segments, reassembled and read on their own.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
#[allow(dead_code)]
mod frames;

const TYPES: [&str; 4] = ["application/json", "application/x-ndjson", "application/problem+json; charset=utf-8", "application/x-www-form-urlencoded"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let media = TYPES[pick as usize % TYPES.len()];
    let mut response = format!("HTTP/1.1 200 OK\r\nContent-Type: {media}\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    response.extend_from_slice(body);
    frames::tcp_exchange(40000, 80, b"GET /lobby HTTP/1.1\r\nHost: game\r\n\r\n", &response, pick >> 2);
});
