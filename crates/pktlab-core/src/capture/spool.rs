//! Captures that arrive on a stream (`tcpdump -w - | pktlab -`, `cat x.pcap | pktlab dissect -`):
//! a thread copies the stream into a temporary file as it comes, and a
//! [`Follower`](super::follow::Follower) reads that file while it grows, exactly as it follows
//! a live capture being written. A gzip or zstd stream is inflated on the way, so the file
//! holds the plain capture. The file is removed when the [`Spool`] is dropped.

use super::compressed::Compression;
use super::follow::Follower;
use super::{CaptureError, CaptureErrorKind, CaptureFile};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A stream being copied into a temporary file.
pub struct Spool {
    path: PathBuf,
    /// The name the stream goes by in messages (`stdin`).
    name: PathBuf,
    live: Arc<AtomicBool>,
    /// Set by the copying thread when the stream failed (not at its normal end).
    failure: Arc<Mutex<Option<String>>>,
    handle: Option<JoinHandle<()>>,
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

impl Spool {
    /// Starts copying `stream` (called `name` in messages) into a new file under `dir` and
    /// waits until the capture's file header has arrived; returns the spool and a follower
    /// that reads every record until the stream ends. An empty stream, or one that is not a
    /// capture, is an error naming `name`.
    pub fn start(stream: impl Read + Send + 'static, name: impl Into<PathBuf>, dir: &Path) -> Result<(Spool, Follower), CaptureError> {
        let name = name.into();
        let io_err = |e: io::Error| CaptureError { path: name.clone(), offset: 0, kind: CaptureErrorKind::Io(e.to_string()) };
        let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("pktlab-stream-{}-{n}.pcap", std::process::id()));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(io_err)?;
        let live = Arc::new(AtomicBool::new(true));
        let failure = Arc::new(Mutex::new(None));
        let handle = {
            let (live, failure) = (Arc::clone(&live), Arc::clone(&failure));
            std::thread::Builder::new()
                .name("pktlab-spool".into())
                .spawn(move || {
                    if let Err(e) = copy(stream, file)
                        && let Ok(mut f) = failure.lock()
                    {
                        *f = Some(e.to_string());
                    }
                    live.store(false, Ordering::Release);
                })
                .map_err(io_err)?
        };
        let spool = Spool { path, name, live, failure, handle: Some(handle) };
        let file = spool.first_map()?;
        let follower = Follower::growing(Arc::new(file), Arc::clone(&spool.live));
        Ok((spool, follower))
    }

    /// The file once its header can be read (or the stream has ended and it cannot).
    fn first_map(&self) -> Result<CaptureFile, CaptureError> {
        loop {
            let live = self.live.load(Ordering::Acquire);
            match CaptureFile::open(&self.path) {
                Ok(f) => return Ok(f),
                Err(e) if !live => {
                    let mut e = self.rename(e);
                    if let Some(why) = self.failure() {
                        e.kind = CaptureErrorKind::Io(why);
                    } else if matches!(e.kind, CaptureErrorKind::Truncated { available: 0, .. }) {
                        e.kind = CaptureErrorKind::Io("the stream ended before a capture began (no bytes)".into());
                    }
                    return Err(e);
                }
                // A header not yet complete: wait for more of the stream.
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    /// What went wrong reading the stream, if it failed.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }

    /// Whether the stream is still being copied.
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    /// The flag a reader of the file watches (true while the stream is being copied).
    pub fn live(&self) -> &Arc<AtomicBool> {
        &self.live
    }

    /// The temporary file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `e` (about the temporary file) as the stream's error: it names the stream.
    pub fn rename(&self, mut e: CaptureError) -> CaptureError {
        if e.path == self.path {
            e.path.clone_from(&self.name);
        }
        e
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        // The copying thread may be blocked reading the stream; it is not waited for (it ends
        // with the process), but the file goes now.
        drop(self.handle.take());
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Copies the stream to the file as it arrives, inflating a gzip or zstd stream; each chunk
/// is written as soon as it is read, so a reader sees packets while the stream goes on.
fn copy(mut stream: impl Read, mut file: std::fs::File) -> io::Result<()> {
    let mut head = [0u8; 4];
    let mut have = 0;
    while have < head.len() {
        match stream.read(&mut head[have..]) {
            Ok(0) => break,
            Ok(n) => have += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let chained = io::Cursor::new(head[..have].to_vec()).chain(stream);
    match Compression::detect(&head[..have]) {
        None => pump(chained, &mut file),
        Some(Compression::Gzip) => pump(flate2::read::MultiGzDecoder::new(chained), &mut file),
        Some(Compression::Zstd) => {
            let mut input = io::BufReader::new(chained);
            loop {
                let decoder = ruzstd::decoding::StreamingDecoder::new(&mut input).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
                pump(decoder, &mut file)?;
                if io::BufRead::fill_buf(&mut input)?.is_empty() {
                    return Ok(());
                }
            }
        }
    }
}

fn pump(mut r: impl Read, file: &mut std::fs::File) -> io::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => file.write_all(&buf[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::follow::{End, Event, Step};

    fn committed(name: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../captures").join(name)).expect("capture")
    }

    /// Every record's bytes read through a spool of `stream`.
    fn through_spool(stream: impl Read + Send + 'static) -> (Vec<Vec<u8>>, End) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (spool, mut follower) = Spool::start(stream, "stdin", dir.path()).expect("starts");
        let mut out = Vec::new();
        let end = follower.walk(&AtomicBool::new(false), |ev| {
            if let Event::Record(_, r, _) = ev {
                out.push(r.data.to_vec());
            }
            Step::Continue
        });
        let path = spool.path().to_path_buf();
        drop(spool);
        assert!(!path.exists(), "the temporary file is removed");
        (out, end)
    }

    fn records_of(bytes: Vec<u8>) -> Vec<Vec<u8>> {
        let f = CaptureFile::from_bytes("x", bytes).expect("capture");
        f.records().map(|r| r.expect("record").data.to_vec()).collect()
    }

    /// A reader that hands over its bytes a few at a time with pauses, like a slow pipe.
    struct Trickle(Vec<u8>, usize);
    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1 >= self.0.len() {
                return Ok(0);
            }
            std::thread::sleep(Duration::from_millis(1));
            let n = buf.len().min(997).min(self.0.len() - self.1);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }

    #[test]
    fn a_stream_gives_the_records_of_the_file() {
        let bytes = committed("handshake.pcap");
        let want = records_of(bytes.clone());
        let (got, end) = through_spool(Trickle(bytes, 0));
        assert!(matches!(end, End::Complete), "{end:?}");
        assert_eq!(got, want);
    }

    #[test]
    fn a_gzip_stream_is_inflated_on_the_way() {
        let bytes = committed("game.pcap");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&bytes).expect("gzip");
        let (got, _) = through_spool(io::Cursor::new(gz.finish().expect("gzip")));
        assert_eq!(got, records_of(bytes));
    }

    #[test]
    fn an_empty_or_foreign_stream_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = Spool::start(io::empty(), "stdin", dir.path()).err().expect("an error");
        assert_eq!(e.to_string(), "stdin: at byte 0: the stream ended before a capture began (no bytes)");
        let e = Spool::start(io::Cursor::new(b"hello, world, not a capture".to_vec()), "stdin", dir.path()).err().expect("an error");
        assert!(e.to_string().starts_with("stdin: at byte 0: not a pcap or pcapng file"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0, "no file is left behind");
    }

    #[test]
    fn a_cut_stream_keeps_every_whole_record() {
        let bytes = committed("handshake.pcap");
        let want = records_of(bytes.clone());
        let cut = bytes[..bytes.len() - 10].to_vec();
        let (got, end) = through_spool(io::Cursor::new(cut));
        assert_eq!(got, want[..want.len() - 1]);
        assert!(matches!(end, End::Damaged(_)), "{end:?}");
    }
}
