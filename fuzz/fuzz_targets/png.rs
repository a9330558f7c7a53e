//! PNG images in HTTP bodies: by their type, by their look (no type, a type nobody reads),
//! gzip-coded, and as a part of a multipart upload; chunks of every kind Wireshark reads,
//! lengths too long, too short or past the end, in one or several segments. The input after
//! its first byte follows the PNG signature (a fuzzer would seldom find it).
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
#[allow(dead_code)]
mod frames;

const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let mut png = SIG.to_vec();
    png.extend_from_slice(rest);
    let (head, body): (String, Vec<u8>) = match pick % 5 {
        0 => ("Content-Type: image/png\r\n".into(), png),
        1 => (String::new(), png),
        2 => ("Content-Type: application/x-asset\r\n".into(), png),
        3 => {
            use std::io::Write;
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = z.write_all(&png);
            ("Content-Type: image/png\r\nContent-Encoding: gzip\r\n".into(), z.finish().unwrap_or_default())
        }
        _ => {
            let mut b = b"--XyZ\r\nContent-Type: image/png\r\n\r\n".to_vec();
            b.extend_from_slice(&png);
            b.extend_from_slice(b"\r\n--XyZ--\r\n");
            ("Content-Type: multipart/form-data; boundary=XyZ\r\n".into(), b)
        }
    };
    let mut response = format!("HTTP/1.1 200 OK\r\n{head}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    response.extend_from_slice(&body);
    frames::tcp_exchange(40000, 80, b"GET /a.png HTTP/1.1\r\nHost: lobby\r\n\r\n", &response, pick >> 3);
});
