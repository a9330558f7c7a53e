//! The lesson-pack parser and checker over arbitrary text: the input is a manifest and a
//! lesson file separated by a line `----`; every lesson the manifest names reads as that
//! lesson, and every capture path reads as a real capture of the built-in pack.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::lessons::check::check_source;
use pktlab::lessons::source::PackSource;
use std::borrow::Cow;
use std::io;

struct FuzzPack<'a> {
    manifest: &'a [u8],
    lesson: &'a [u8],
}

/// A real capture recorded for the built-in pack.
const CAPTURE: &[u8] = include_bytes!("../../captures/handshake.pcap");

impl PackSource for FuzzPack<'_> {
    fn read(&self, rel: &str) -> io::Result<Cow<'_, [u8]>> {
        if rel == "pack.toml" {
            Ok(Cow::Borrowed(self.manifest))
        } else if rel.ends_with(".toml") {
            Ok(Cow::Borrowed(self.lesson))
        } else if rel.ends_with(".pcap") || rel.ends_with(".pcapng") {
            Ok(Cow::Borrowed(CAPTURE))
        } else {
            Err(io::Error::new(io::ErrorKind::NotFound, "no such file"))
        }
    }
    fn display(&self, rel: &str) -> String {
        format!("fuzz/{rel}")
    }
}

fuzz_target!(|data: &[u8]| {
    let (manifest, lesson) = match data.windows(6).position(|w| w == b"\n----\n") {
        Some(i) => (&data[..i], &data[i + 6..]),
        None => (data, &b""[..]),
    };
    let _ = check_source(&FuzzPack { manifest, lesson });
});
