//! XML bodies (tshark's grammar: tags, attributes quoted both ways and bare, prefixed names,
//! declarations, processing instructions, comments, CDATA sections, document types with
//! their declarations, closing tags nothing opened, `<` that starts no token), of the XML
//! media types and as a part of a multipart upload, in one or several segments.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
#[allow(dead_code)]
mod frames;

const TYPES: [&str; 4] = ["application/xml", "text/xml; charset=utf-8", "image/svg+xml", "application/soap+xml"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, doc)) = data.split_first() else { return };
    let media = TYPES[pick as usize % TYPES.len()];
    let (ctype, body) = if pick & 4 == 0 {
        (media.to_owned(), doc.to_vec())
    } else {
        let mut b = format!("--XyZ\r\nContent-Type: {media}\r\n\r\n").into_bytes();
        b.extend_from_slice(doc);
        b.extend_from_slice(b"\r\n--XyZ\r\nContent-Type: application/xml\r\n\r\n<a x='1'>b</a>\r\n--XyZ--\r\n");
        ("multipart/form-data; boundary=XyZ".to_owned(), b)
    };
    let mut response = format!("HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    response.extend_from_slice(&body);
    frames::tcp_exchange(40000, 80, b"GET /config.xml HTTP/1.1\r\nHost: game\r\n\r\n", &response, pick >> 3);
});
