//! GIF images in HTTP bodies: by their type, by their look (no type, a type nobody reads),
//! gzip-coded, as a part of a multipart upload, and as a segment read on its own (a
//! continuation); screens, colour tables, extensions, images and data blocks of any length,
//! stray bytes, cut anywhere, in one or several segments. The input after its first byte
//! follows `GIF87a` or `GIF89a` (a fuzzer would seldom find them).
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
#[allow(dead_code)]
mod frames;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let mut gif = if pick & 0x80 == 0 { b"GIF89a".to_vec() } else { b"GIF87a".to_vec() };
    gif.extend_from_slice(rest);
    let (head, body): (String, Vec<u8>) = match pick % 6 {
        0 => ("Content-Type: image/gif\r\n".into(), gif),
        1 => (String::new(), gif),
        2 => ("Content-Type: application/x-asset\r\n".into(), gif),
        3 => {
            use std::io::Write;
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = z.write_all(&gif);
            ("Content-Type: image/gif\r\nContent-Encoding: gzip\r\n".into(), z.finish().unwrap_or_default())
        }
        4 => {
            let mut b = b"--XyZ\r\nContent-Type: image/gif\r\n\r\n".to_vec();
            b.extend_from_slice(&gif);
            b.extend_from_slice(b"\r\n--XyZ--\r\n");
            ("Content-Type: multipart/form-data; boundary=XyZ\r\n".into(), b)
        }
        _ => {
            // The image alone in the server's segment, after a response with no body: a
            // continuation.
            let mut stream = b"HTTP/1.1 204 No Content\r\n\r\n".to_vec();
            stream.extend_from_slice(&gif);
            frames::tcp_exchange(40000, 80, b"GET /a.gif HTTP/1.1\r\nHost: lobby\r\n\r\n", &stream, pick >> 4);
            return;
        }
    };
    let mut response = format!("HTTP/1.1 200 OK\r\n{head}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    response.extend_from_slice(&body);
    frames::tcp_exchange(40000, 80, b"GET /a.gif HTTP/1.1\r\nHost: lobby\r\n\r\n", &response, pick >> 4);
});
