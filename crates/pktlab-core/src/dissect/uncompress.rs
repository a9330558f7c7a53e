//! Content-encoded bodies decompressed as Wireshark does (`tvb_uncompress` in
//! `epan/tvbuff_zlib.c`, `tvb_uncompress_brotli` in `epan/tvbuff_brotli.c`), so that what
//! HTTP shows of a gzip, deflate or brotli body — how many bytes came out, or that
//! decompression failed, and what a cut-short body still gives — is tshark's.

use flate2::{Decompress, FlushDecompress, Status};

/// The most bytes one body is decompressed to, the most TCP reassembles into one PDU: past
/// it, what came out so far is kept, as for a body cut short (a capture's "zip bomb" must
/// not take the machine's memory; tshark has no such limit).
const MAX_OUT: usize = 16 << 20;

/// Inflates `input` as tshark's `tvb_uncompress`: first as a zlib stream; data that is not
/// one and starts like gzip (`1f 8b`) has its gzip header skipped; then, nothing having come
/// out, as raw deflate (servers that send deflate without its header). Output comes in
/// passes of twice the input (32 KiB to 10 MiB); a stream that stops short (too few bytes
/// captured) or breaks after a pass gives what the passes gave. `None`: nothing came out.
pub(crate) fn zlib(input: &[u8]) -> Option<Vec<u8>> {
    if input.is_empty() {
        return None;
    }
    let bufsiz = (input.len() * 2).clamp(32 << 10, 10 << 20);
    let mut buf = vec![0u8; bufsiz];
    // The stream's bytes (past a skipped gzip header), how far it has been read, and how
    // many times a stream was set up (tshark tries raw deflate while that is at most 3).
    let mut stream = input;
    let mut at = 0usize;
    let mut inits = 1;
    let mut z = Decompress::new(true);
    let mut out: Option<Vec<u8>> = None;
    loop {
        let (in0, out0) = (z.total_in(), z.total_out());
        let r = z.decompress(stream.get(at..).unwrap_or(&[]), &mut buf, FlushDecompress::Sync);
        let read = (z.total_in() - in0) as usize;
        let made = (z.total_out() - out0) as usize;
        at += read;
        match r {
            // (No progress is zlib's Z_BUF_ERROR, however the library words it.)
            Ok(Status::Ok) if read == 0 && made == 0 => return out,
            Ok(status @ (Status::Ok | Status::StreamEnd)) => {
                let end = status == Status::StreamEnd;
                match &mut out {
                    // (A first pass of nothing is no output yet, unless the stream ended.)
                    None if made > 0 || end => out = Some(buf[..made].to_vec()),
                    None => {}
                    Some(o) => o.extend_from_slice(&buf[..made]),
                }
                if end || out.as_ref().is_some_and(|o| o.len() >= MAX_OUT) {
                    return out;
                }
            }
            Ok(Status::BufError) => return out,
            Err(e) if e.needs_dictionary().is_some() => return out,
            Err(_) if inits == 1 && out.is_none() && input.starts_with(&[0x1f, 0x8b]) => {
                stream = input.get(gzip_header(input)?..).unwrap_or(&[]);
                at = 0;
                z = Decompress::new(true);
                inits += 1;
            }
            Err(_) if out.is_none() && inits <= 3 => {
                at = 0;
                z = Decompress::new(false);
                inits += 1;
            }
            Err(_) => return out,
        }
    }
}

/// Where the deflate data after a gzip header starts, as tshark skips the header: method,
/// flags, time, extra flags and OS, then an extra field, a file name and a comment when the
/// flags say (a header CRC is not skipped). `None` where tshark gives up: fewer than 10
/// bytes, a method other than deflate, or fields that run past the end.
fn gzip_header(b: &[u8]) -> Option<usize> {
    if b.len() < 10 || b[2] != 8 {
        return None;
    }
    let flags = b[3];
    let mut c = 10usize;
    if flags & 0x04 != 0 {
        // The extra field's length, low byte first, each byte only if there.
        let mut xsize = 0usize;
        if let Some(&lo) = b.get(c) {
            xsize += usize::from(lo);
            c += 1;
        }
        if let Some(&hi) = b.get(c) {
            xsize += usize::from(hi) << 8;
            c += 1;
        }
        c += xsize;
    }
    for bit in [0x08, 0x10] {
        if flags & bit != 0 {
            while b.get(c).is_some_and(|&x| x != 0) {
                c += 1;
            }
            c += 1;
        }
    }
    (c <= b.len()).then_some(c)
}

/// Decompresses a brotli stream as tshark's `tvb_uncompress_brotli`: a broken stream, or one
/// that ends before its input does, gives nothing; one cut short gives what came out (if
/// anything).
pub(crate) fn brotli(input: &[u8]) -> Option<Vec<u8>> {
    use brotli_decompressor::{BrotliDecompressStream, BrotliResult, BrotliState, StandardAlloc};
    if input.is_empty() {
        return None;
    }
    let mut state: BrotliState<StandardAlloc, StandardAlloc, StandardAlloc> = BrotliState::new(StandardAlloc::default(), StandardAlloc::default(), StandardAlloc::default());
    let mut buf = vec![0u8; 1 << 19];
    let (mut avail_in, mut in_at) = (input.len(), 0usize);
    let mut total = 0usize;
    let mut out: Vec<u8> = Vec::new();
    let mut finished = false;
    let mut more_out = false;
    while avail_in > 0 || more_out {
        more_out = false;
        let (mut avail_out, mut out_at) = (buf.len(), 0usize);
        match BrotliDecompressStream(&mut avail_in, &mut in_at, input, &mut avail_out, &mut out_at, &mut buf, &mut total, &mut state) {
            BrotliResult::ResultSuccess if avail_in > 0 => return None,
            BrotliResult::ResultSuccess => finished = true,
            BrotliResult::NeedsMoreOutput => more_out = true,
            BrotliResult::NeedsMoreInput => {}
            BrotliResult::ResultFailure => return None,
        }
        out.extend_from_slice(&buf[..out_at]);
        if out.len() >= MAX_OUT {
            break;
        }
    }
    (!out.is_empty() || finished).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflated(data: &[u8], zlib_header: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if zlib_header {
            let mut e = flate2::write::ZlibEncoder::new(&mut out, flate2::Compression::default());
            e.write_all(data).unwrap();
            e.finish().unwrap();
        } else {
            let mut e = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::default());
            e.write_all(data).unwrap();
            e.finish().unwrap();
        }
        out
    }

    #[test]
    fn zlib_gzip_and_raw_deflate_come_out_whole() {
        let text = b"line 1 of the lobby log\nline 2 of the lobby log\n".repeat(40);
        assert_eq!(zlib(&deflated(&text, true)).as_deref(), Some(&text[..]));
        assert_eq!(zlib(&deflated(&text, false)).as_deref(), Some(&text[..]));
        let mut gz = Vec::new();
        let mut e = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
        e.write_all(&text).unwrap();
        e.finish().unwrap();
        assert_eq!(zlib(&gz).as_deref(), Some(&text[..]));
        // A file name in the gzip header is skipped.
        let mut named = Vec::new();
        let mut e = flate2::GzBuilder::new().filename("lobby.log").write(&mut named, flate2::Compression::default());
        e.write_all(&text).unwrap();
        e.finish().unwrap();
        assert_eq!(zlib(&named).as_deref(), Some(&text[..]));
    }

    #[test]
    fn a_stream_cut_short_gives_what_came_out_and_garbage_gives_nothing() {
        let text: Vec<u8> = (0..20000u32).flat_map(|i| format!("{i},").into_bytes()).collect();
        let z = deflated(&text, true);
        let cut = zlib(&z[..z.len() / 2]).expect("the first half inflates");
        assert!(!cut.is_empty() && text.starts_with(&cut), "{} bytes", cut.len());
        assert_eq!(zlib(b"not really gzip"), None);
        assert_eq!(zlib(&[0x1f, 0x8b, 9, 0, 0, 0, 0, 0, 0, 0, 1, 2]), None, "not deflate");
        assert_eq!(zlib(&[0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 0, b'a']), None, "the name runs past the end");
        assert_eq!(zlib(&[]), None);
    }

    #[test]
    fn brotli_decodes_whole_and_refuses_garbage() {
        let text = b"brotli body ".repeat(100);
        let mut enc = Vec::new();
        {
            let mut w = brotli_encoded(&mut enc);
            w.write_all(&text).unwrap();
        }
        assert_eq!(brotli(&enc).as_deref(), Some(&text[..]));
        let mut trailing = enc.clone();
        trailing.push(0);
        assert_eq!(brotli(&trailing), None, "bytes after the stream's end");
        assert_eq!(brotli(b"\xff\xff\xff\xff not brotli"), None);
    }

    /// A brotli stream of `text` made by hand: one uncompressed meta-block per 64 KiB (the
    /// format's simplest encoding; the decoder must read it like any other).
    fn brotli_encoded(out: &mut Vec<u8>) -> impl Write + '_ {
        struct W<'a>(&'a mut Vec<u8>, Vec<u8>);
        impl Write for W<'_> {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.1.extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        impl Drop for W<'_> {
            fn drop(&mut self) {
                *self.0 = uncompressed_brotli(&self.1);
            }
        }
        W(out, Vec::new())
    }

    /// RFC 7932: WBITS 16 (one 0 bit), then per block ISLAST=0, MNIBBLES=4 (00), MLEN-1 in
    /// 16 bits, ISUNCOMPRESSED=1, padding to a byte, the bytes; then ISLAST=1, ISLASTEMPTY=1.
    fn uncompressed_brotli(data: &[u8]) -> Vec<u8> {
        struct Bits {
            out: Vec<u8>,
            acc: u64,
            n: u32,
        }
        impl Bits {
            fn put(&mut self, v: u64, n: u32) {
                self.acc |= v << self.n;
                self.n += n;
                while self.n >= 8 {
                    self.out.push(self.acc as u8);
                    self.acc >>= 8;
                    self.n -= 8;
                }
            }
            fn align(&mut self) {
                if self.n > 0 {
                    self.put(0, 8 - self.n);
                }
            }
        }
        let mut w = Bits { out: Vec::new(), acc: 0, n: 0 };
        w.put(0, 1);
        for chunk in data.chunks(1 << 16) {
            w.put(0, 1);
            w.put(0, 2);
            w.put((chunk.len() - 1) as u64, 16);
            w.put(1, 1);
            w.align();
            w.out.extend_from_slice(chunk);
        }
        w.put(1, 1);
        w.put(1, 1);
        w.align();
        w.out
    }
}
