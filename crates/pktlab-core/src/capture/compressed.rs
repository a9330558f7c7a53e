//! Compressed captures: gzip (as tshark reads them) and zstd, recognised by their magic
//! numbers, not by the file name. The stream is inflated into memory; a stream that is cut
//! or damaged keeps everything inflated before the damage, and the reader then reports the
//! damage where the records stop.

use std::io::Read;

/// How a capture file is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
}

impl Compression {
    /// The compression whose magic number starts `bytes`, if any.
    pub fn detect(bytes: &[u8]) -> Option<Compression> {
        match bytes {
            [0x1f, 0x8b, ..] => Some(Compression::Gzip),
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Compression::Zstd),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// The inflated bytes, and what went wrong if the stream did not end cleanly (the bytes are
/// then everything inflated before the damage).
pub fn inflate(bytes: &[u8], c: Compression) -> (Vec<u8>, Option<String>) {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(3));
    let err = match c {
        // Concatenated members (`cat a.gz b.gz`) are one stream, as gzip itself reads them.
        Compression::Gzip => read_all(flate2::read::MultiGzDecoder::new(bytes), &mut out).err(),
        Compression::Zstd => inflate_zstd(bytes, &mut out).err(),
    };
    let damage = err.map(|e| format!("the {} stream is damaged after {} inflated bytes: {e}", c.name(), out.len()));
    (out, damage)
}

/// Reads to the end in chunks, keeping what was read before an error.
fn read_all(mut r: impl Read, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Every zstd frame in turn (a file may hold several, `cat a.zst b.zst` too).
fn inflate_zstd(mut input: &[u8], out: &mut Vec<u8>) -> std::io::Result<()> {
    while !input.is_empty() {
        let decoder = ruzstd::decoding::StreamingDecoder::new(&mut input)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
        read_all(decoder, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("writes to memory");
        e.finish().expect("finishes in memory")
    }

    #[test]
    fn gzip_round_trips_and_concatenated_members_join() {
        let a = gzip(b"hello ");
        let b = gzip(b"world");
        assert_eq!(Compression::detect(&a), Some(Compression::Gzip));
        let joined = [a.clone(), b].concat();
        assert_eq!(inflate(&joined, Compression::Gzip), (b"hello world".to_vec(), None));
    }

    #[test]
    fn zstd_frames_inflate_in_turn() {
        let one = ruzstd::encoding::compress_to_vec(&b"abc"[..], ruzstd::encoding::CompressionLevel::Fastest);
        let two = ruzstd::encoding::compress_to_vec(&b"def"[..], ruzstd::encoding::CompressionLevel::Fastest);
        assert_eq!(Compression::detect(&one), Some(Compression::Zstd));
        assert_eq!(inflate(&[one, two].concat(), Compression::Zstd), (b"abcdef".to_vec(), None));
    }

    #[test]
    fn a_cut_stream_keeps_what_was_inflated_and_says_so() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let z = gzip(&data);
        let (got, err) = inflate(&z[..z.len() / 2], Compression::Gzip);
        assert!(!got.is_empty() && got.len() < data.len(), "{}", got.len());
        assert_eq!(&data[..got.len()], &got[..]);
        assert!(err.is_some_and(|e| e.contains("gzip stream is damaged")));
    }
}
