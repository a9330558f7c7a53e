//! Walking a capture file that may still be growing (a live capture being written to disk).
//!
//! A [`Follower`] walks the records of a file; when it reaches the end (or a record the writer
//! has not finished), it either stops (a finished file) or, while the capture is still
//! running, waits, maps the file again and goes on from its [`Checkpoint`]. Every record is
//! handed over with the map it lies in, so callers can keep the newest map and slice frames
//! from it by offset; older maps stay valid as long as someone holds them.

use super::{CaptureError, CaptureFile, Checkpoint, Record};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Whether a walk should go on after a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Continue,
    Stop,
}

/// What a walk hands to its callback.
pub enum Event<'r, 'f> {
    /// A record, the map it lies in, and the file offset just past it.
    Record(&'r Arc<CaptureFile>, &'r Record<'f>, u64),
    /// The walk has read everything written so far (up to the offset given) of the map given
    /// and will wait for more (growing files only): a moment to hand on partial batches.
    Idle(&'r Arc<CaptureFile>, u64),
}

/// How a walk ended.
#[derive(Debug)]
pub enum End {
    /// Every record was read (for a followed file: the capture finished and all of it was read).
    Complete,
    /// The callback or the cancel flag stopped it.
    Stopped,
    /// The file is damaged (in a finished file: also cut short); good records were all handed over.
    Damaged(CaptureError),
}

/// Walks a file, following it while `live` says the writer is still at work.
pub struct Follower {
    path: PathBuf,
    file: Arc<CaptureFile>,
    live: Option<Arc<AtomicBool>>,
    poll: Duration,
}

impl Follower {
    /// A walk over a finished file.
    pub fn finished(file: Arc<CaptureFile>) -> Follower {
        Follower { path: file.path().to_path_buf(), file, live: None, poll: Duration::from_millis(100) }
    }

    /// A walk over a file still being written: it follows the file while `live` is true,
    /// and ends once `live` is false and everything written has been read.
    pub fn growing(file: Arc<CaptureFile>, live: Arc<AtomicBool>) -> Follower {
        Follower { path: file.path().to_path_buf(), file, live: Some(live), poll: Duration::from_millis(100) }
    }

    /// The newest map of the file.
    pub fn file(&self) -> &Arc<CaptureFile> {
        &self.file
    }

    /// Hands every record, with the map it lies in, to `f`, in file order.
    pub fn walk(&mut self, cancel: &AtomicBool, mut f: impl FnMut(Event<'_, '_>) -> Step) -> End {
        let mut at: Option<Checkpoint> = None;
        loop {
            let file = Arc::clone(&self.file);
            let mut records = match &at {
                Some(cp) => file.records_from(cp),
                None => file.records(),
            };
            let mut damage = None;
            while let Some(item) = records.next() {
                if cancel.load(Ordering::Relaxed) {
                    return End::Stopped;
                }
                match item {
                    Ok(r) => {
                        if f(Event::Record(&file, &r, records.position())) == Step::Stop {
                            return End::Stopped;
                        }
                    }
                    Err(e) => {
                        damage = Some(e);
                        break;
                    }
                }
            }
            let still_live = self.live.as_ref().is_some_and(|l| l.load(Ordering::Relaxed));
            let was_live = self.live.is_some();
            at = Some(records.checkpoint());
            drop(records);
            if !was_live {
                return damage.map_or(End::Complete, End::Damaged);
            }
            // A damaged tail of a growing file is usually a block not yet fully written:
            // wait for more bytes. Once the writer has finished, whatever is left is final.
            if !still_live {
                // One last look at the completed file.
                match self.remap() {
                    Some(true) => {
                        self.live = None;
                        continue;
                    }
                    _ => return damage.map_or(End::Complete, End::Damaged),
                }
            }
            if f(Event::Idle(&self.file, at.as_ref().map_or(0, Checkpoint::position))) == Step::Stop {
                return End::Stopped;
            }
            loop {
                if cancel.load(Ordering::Relaxed) {
                    return End::Stopped;
                }
                std::thread::sleep(self.poll);
                match self.remap() {
                    Some(true) => break,
                    Some(false) if self.live.as_ref().is_some_and(|l| l.load(Ordering::Relaxed)) => continue,
                    Some(false) => {
                        self.live = None;
                        break;
                    }
                    None => return damage.map_or(End::Complete, End::Damaged),
                }
            }
        }
    }

    /// Maps the file again; Some(true) if it grew, Some(false) if not, None if it vanished.
    fn remap(&mut self) -> Option<bool> {
        let len = std::fs::metadata(&self.path).ok()?.len();
        if len <= self.file.bytes().len() as u64 {
            return Some(false);
        }
        match CaptureFile::open(&self.path) {
            Ok(f) => {
                self.file = Arc::new(f);
                Some(true)
            }
            Err(_) => Some(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn public(name: &str) -> Option<Vec<u8>> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../captures/").to_string() + name).ok()
    }

    #[test]
    fn follows_a_file_written_in_pieces() {
        let Some(full) = public("game.pcap") else { return };
        let whole = CaptureFile::from_bytes("g", full.clone()).expect("header");
        let want: Vec<usize> = whole.records().map(|r| r.expect("good").data.len()).collect();
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("growing.pcap");
        let mut out = std::fs::File::create(&path).expect("create");
        // The header and a bit more, then the rest in uneven pieces from another thread.
        out.write_all(&full[..100]).expect("write");
        out.flush().expect("flush");
        let live = Arc::new(AtomicBool::new(true));
        let writer = {
            let live = Arc::clone(&live);
            let full = full.clone();
            std::thread::spawn(move || {
                let mut pos = 100;
                let mut step = 777;
                while pos < full.len() {
                    let end = (pos + step).min(full.len());
                    out.write_all(&full[pos..end]).expect("write");
                    out.flush().expect("flush");
                    pos = end;
                    step = step * 3 % 5000 + 1;
                    std::thread::sleep(Duration::from_millis(3));
                }
                live.store(false, Ordering::Relaxed);
            })
        };
        let file = Arc::new(CaptureFile::open(&path).expect("open"));
        let mut follower = Follower::growing(file, live);
        let mut got = Vec::new();
        let end = follower.walk(&AtomicBool::new(false), |ev| {
            let Event::Record(map, r, _) = ev else { return Step::Continue };
            // Every record's bytes are where the map says they are.
            let at = r.data_offset as usize;
            assert_eq!(&map.bytes()[at..at + r.data.len()], r.data);
            got.push(r.data.len());
            Step::Continue
        });
        writer.join().expect("writer");
        assert!(matches!(end, End::Complete), "{end:?}");
        assert_eq!(got, want);
        assert_eq!(follower.file().bytes().len(), full.len());
    }
}
