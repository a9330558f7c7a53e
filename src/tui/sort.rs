//! Sorting the packet list by a column, as Wireshark does when a column header is clicked.
//!
//! The list stays virtual: a sort produces a permutation of the listed frame numbers (4 bytes
//! each) and its inverse (frame number → row), never copies of rows. Each frame's key is
//! extracted once: No., Time and Length from the index on the UI thread (a million entries in
//! a few milliseconds), Source, Destination, Protocol and Info by one pass of its own over the
//! file (dissected and analysed in order, as the rows are) on a background thread, which then
//! sorts. The UI picks the result up in [`SortRun::poll`]; until then the list keeps its
//! capture order. Equal keys keep capture order (the sort is stable on the frame number), and
//! reversing flips the whole order, as Wireshark's descending sort does.

use super::store::{Progress, Store, release_behind};
use crate::capture::CaptureFile;
use crate::capture::follow::{Event, Follower, Step};
use crate::pipeline::Sequence;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;

/// A column of the packet list, in the order `o` steps through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortColumn {
    No,
    Time,
    Source,
    Destination,
    Protocol,
    Length,
    Info,
}

impl SortColumn {
    pub const ALL: [SortColumn; 7] =
        [SortColumn::No, SortColumn::Time, SortColumn::Source, SortColumn::Destination, SortColumn::Protocol, SortColumn::Length, SortColumn::Info];

    /// The column's index in the list's columns (No. = 0 … Info = 6).
    pub fn index(self) -> usize {
        SortColumn::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// The column `o` goes to after `cur` (None: capture order).
    pub fn next(cur: Option<SortColumn>) -> Option<SortColumn> {
        match cur {
            None => Some(SortColumn::No),
            Some(c) => SortColumn::ALL.get(c.index() + 1).copied(),
        }
    }

    /// Whether the key comes from the dissection (a pass over the file) rather than the index.
    fn dissected(self) -> bool {
        matches!(self, SortColumn::Source | SortColumn::Destination | SortColumn::Protocol | SortColumn::Info)
    }
}

/// Which list a sort was made for: the display filter generation and whether the filter
/// hides frames (see `App::list_key`).
pub type ListKey = (u64, bool);

/// The packet list's sort: the column chosen, the direction, the finished sort (for the list
/// it was made from) and the one being computed.
#[derive(Default)]
pub struct ListSort {
    pub column: Option<SortColumn>,
    pub reverse: bool,
    pub sorted: Option<(ListKey, SortColumn, Sorted)>,
    pub run: Option<SortRun>,
}

/// A finished sort: the listed frames in sorted (ascending) order and each one's position.
#[derive(Debug, Default)]
pub struct Sorted {
    /// Frame numbers, sorted.
    pub order: Vec<u32>,
    /// `pos[n]` is frame n's index in `order`, `u32::MAX` for frames not in it.
    pub pos: Vec<u32>,
}

impl Sorted {
    fn build(order: Vec<u32>) -> Sorted {
        let max = order.iter().copied().max().unwrap_or(0) as usize;
        let mut pos = vec![u32::MAX; max + 1];
        for (i, &n) in order.iter().enumerate() {
            pos[n as usize] = i as u32;
        }
        Sorted { order, pos }
    }

    /// Frame `n`'s index in the sorted order, if it was sorted.
    pub fn position(&self, n: u64) -> Option<usize> {
        let p = *self.pos.get(usize::try_from(n).ok()?)?;
        (p != u32::MAX).then_some(p as usize)
    }
}

/// What the sort thread runs: the sorted frames, or None if cancelled (it is given the cancel
/// flag and a counter of bytes walked).
type Job = Box<dyn FnOnce(&AtomicBool, &AtomicU64) -> Option<Vec<u32>> + Send>;

/// A sort being computed on its own thread.
pub struct SortRun {
    pub column: SortColumn,
    /// Which list the frames came from.
    pub list: ListKey,
    /// Frames being sorted.
    pub frames: usize,
    /// Bytes of the file walked (text columns), for the status line.
    walked: Arc<AtomicU64>,
    rx: Receiver<Sorted>,
    cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Drop for SortRun {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl SortRun {
    /// Starts sorting `frames` (ascending frame numbers, the list in capture order) by
    /// `column`.
    pub fn start(store: &Store, column: SortColumn, frames: Vec<u32>, list: ListKey) -> SortRun {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let walked = Arc::new(AtomicU64::new(0));
        let count = frames.len();
        let job: Job = if column.dissected() {
            let file = store.file_arc();
            Box::new(move |cancel: &AtomicBool, walked: &AtomicU64| text_sort(file, column, frames, cancel, walked))
        } else {
            // Keys from the index: (primary, secondary, frame).
            let keys: Vec<(i64, u32, u32)> = frames
                .iter()
                .map(|&n| {
                    let e = store.entry(u64::from(n));
                    match column {
                        SortColumn::Time => e.map_or((i64::MIN, 0, n), |e| match e.ts() {
                            Some(t) => (t.secs, t.nanos, n),
                            None => (i64::MIN, 0, n),
                        }),
                        SortColumn::Length => (e.map_or(0, |e| i64::from(e.orig_len)), 0, n),
                        _ => (i64::from(n), 0, n),
                    }
                })
                .collect();
            drop(frames);
            Box::new(move |_: &AtomicBool, _: &AtomicU64| {
                let mut keys = keys;
                keys.sort_unstable();
                Some(keys.into_iter().map(|k| k.2).collect())
            })
        };
        let handle = {
            let cancel = Arc::clone(&cancel);
            let walked = Arc::clone(&walked);
            std::thread::Builder::new()
                .name("pktlab-sort".into())
                .spawn(move || {
                    if let Some(order) = job(&cancel, &walked) {
                        let _ = tx.send(Sorted::build(order));
                    }
                })
                .ok()
        };
        SortRun { column, list, frames: count, walked, rx, cancel, handle }
    }

    /// The result, once the thread has finished.
    pub fn poll(&mut self) -> Option<Sorted> {
        self.rx.try_recv().ok()
    }

    /// How far the sort is, for the status line.
    pub fn progress(&self, total_bytes: u64) -> Progress {
        Progress { bytes: self.walked.load(Ordering::Relaxed).min(total_bytes), done: false, error: None }
    }

    /// Blocks until the result is there (tests).
    pub fn wait(&mut self) -> Option<Sorted> {
        let h = self.handle.take()?;
        let _ = h.join();
        self.poll()
    }
}

/// Sorts `frames` by a column of the dissected row, walking the file once. None if cancelled.
fn text_sort(file: Arc<CaptureFile>, column: SortColumn, frames: Vec<u32>, cancel: &AtomicBool, walked: &AtomicU64) -> Option<Vec<u32>> {
    let last = frames.last().copied().unwrap_or(0) as u64;
    let mut keys: Vec<(String, u32)> = Vec::with_capacity(frames.len());
    let mut want = frames.iter().copied().peekable();
    let mut seq = Sequence::new(column == SortColumn::Info);
    let mut follower = Follower::finished(Arc::clone(&file));
    let mut released = 0u64;
    let end = follower.walk(cancel, |ev| {
        let Event::Record(map, r, pos) = ev else { return Step::Continue };
        release_behind(map, pos, &mut released);
        walked.store(pos, Ordering::Relaxed);
        seq.push(r);
        let n = seq.frames();
        if want.peek().is_some_and(|&w| u64::from(w) == n) {
            want.next();
            seq.annotate();
            let d = seq.dissection();
            let key = match column {
                SortColumn::Source => d.src.clone(),
                SortColumn::Destination => d.dst.clone(),
                SortColumn::Protocol => d.protocol.to_string(),
                _ => d.info.clone(),
            };
            keys.push((key, n as u32));
        }
        if n >= last { Step::Stop } else { Step::Continue }
    });
    let _ = end;
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    // Frames the walk did not reach (a damaged tail) sort first, with an empty key.
    keys.extend(want.map(|n| (String::new(), n)));
    drop(frames);
    keys.sort_unstable_by(|a, b| natural(&a.0, &b.0).then(a.1.cmp(&b.1)));
    Some(keys.into_iter().map(|k| k.1).collect())
}

/// Compares column texts with runs of digits by value, everything else by character, so
/// addresses and ports sort as numbers (10.0.0.9 before 10.0.0.10; Wireshark compares the
/// plain text and puts 10.0.0.10 first).
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Equal,
            (None, _) => return Less,
            (_, None) => return Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (trim_zeros(&a[..da]), trim_zeros(&b[..db]));
                let o = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if o != Equal {
                    return o;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let z = d.iter().take_while(|&&c| c == b'0').count();
    &d[z.min(d.len().saturating_sub(1))..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut v = vec!["10.0.0.10", "10.0.0.9", "10.0.0.1", "::1", "fe80::1", "10.0.0.100"];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(v, ["10.0.0.1", "10.0.0.9", "10.0.0.10", "10.0.0.100", "::1", "fe80::1"]);
        assert_eq!(natural("a", "a"), std::cmp::Ordering::Equal);
        assert_eq!(natural("007", "7"), std::cmp::Ordering::Equal);
    }

    #[test]
    fn columns_cycle_back_to_capture_order() {
        let mut c = None;
        let mut seen = Vec::new();
        for _ in 0..8 {
            c = SortColumn::next(c);
            seen.push(c);
        }
        assert_eq!(seen[0], Some(SortColumn::No));
        assert_eq!(seen[6], Some(SortColumn::Info));
        assert_eq!(seen[7], None);
    }
}
