//! HTTP bodies in a content coding (gzip, deflate, x-gzip, brotli, one nobody decodes),
//! plain or chunked: the fuzzer's bytes as the coded body (broken streams, cut ones, gzip
//! headers with extra fields and names), or compressed here first so that what comes out is
//! read by its media type (JSON, lines, a form, data), in one or several segments.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;
#[path = "common/frames.rs"]
#[allow(dead_code)]
mod frames;

const CODINGS: [&str; 6] = ["gzip", "deflate", "x-gzip", "br", "compress", "GZIP"];
const TYPES: [&str; 4] = ["application/json", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Some((&how, body)) = rest.split_first() else { return };
    let coding = CODINGS[pick as usize % CODINGS.len()];
    let media = TYPES[(how >> 2) as usize % TYPES.len()];
    let coded = if how & 1 != 0 && coding != "br" && coding != "compress" {
        let mut out = Vec::new();
        let level = flate2::Compression::new(u32::from(how >> 4) % 10);
        let written = if coding.eq_ignore_ascii_case("gzip") || coding == "x-gzip" {
            let mut e = flate2::write::GzEncoder::new(&mut out, level);
            e.write_all(body).and_then(|_| e.finish().map(|_| ()))
        } else {
            let mut e = flate2::write::ZlibEncoder::new(&mut out, level);
            e.write_all(body).and_then(|_| e.finish().map(|_| ()))
        };
        if written.is_err() {
            return;
        }
        out
    } else {
        body.to_vec()
    };
    let mut response = format!("HTTP/1.1 200 OK\r\nContent-Type: {media}\r\nContent-Encoding: {coding}\r\n").into_bytes();
    if how & 2 != 0 {
        response.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        for part in coded.chunks(97) {
            response.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            response.extend_from_slice(part);
            response.extend_from_slice(b"\r\n");
        }
        response.extend_from_slice(b"0\r\n\r\n");
    } else {
        response.extend_from_slice(format!("Content-Length: {}\r\n\r\n", coded.len()).as_bytes());
        response.extend_from_slice(&coded);
    }
    frames::tcp_exchange(40000, 80, b"GET /lobby HTTP/1.1\r\nAccept-Encoding: gzip, br\r\n\r\n", &response, pick >> 3);
});
