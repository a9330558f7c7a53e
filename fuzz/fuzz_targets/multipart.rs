//! HTTP bodies of multipart types (form-data uploads, mixed): boundaries found or not,
//! preambles and trailers, part headers folded, compact, unknown or not printable, part
//! bodies of no type, bytes, types no dissector takes and gzip-coded ones, in one or several
//! segments.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
#[allow(dead_code)]
mod frames;

const TYPES: [&str; 5] = [
    "multipart/form-data; boundary=XyZ",
    "multipart/mixed; boundary=\"XyZ\"",
    "multipart/related;type=text/xml; boundary=XyZ;start=a",
    "multipart/encrypted; boundary=XyZ; protocol=\"application/HTTP-SPNEGO-session-encrypted\"",
    "multipart/form-data",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let ctype = TYPES[pick as usize % TYPES.len()];
    let mut request = format!("POST /upload HTTP/1.1\r\nHost: lobby\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    request.extend_from_slice(body);
    frames::tcp_exchange(40000, 80, &request, b"HTTP/1.1 204 No Content\r\n\r\n", pick >> 3);
});
