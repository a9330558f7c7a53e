//! The loops that spread dissection over every core: the calling thread reads records into
//! batches, worker threads dissect them, and the calling thread takes the batches back in
//! file order for whatever must see frames in order (the analysis, the output).

use super::{Clock, Frame, LoopOpts, Outcome, OutputError, RELEASE_EVERY, dissect_threads, hand};
use crate::analysis::analyzer::{Transport, extract, ts_nanos};
use crate::analysis::{Analyzer, FrameAnalysis};
use crate::capture::{CaptureError, CaptureFile, Records};
use crate::dissect::{Additions, Demand, Dissection, Dissector, FrameMeta, FrameTimes};
use crate::filter::Filter;
use std::io::{self, Write};
use std::ops::ControlFlow;

/// Frames per batch handed to a dissecting thread, and the most captured bytes one may hold
/// (the batches in flight keep their pages of the file resident).
const BATCH: usize = 8192;
const BATCH_BYTES: usize = 2 << 20;

/// One record read, with its frame facts.
struct Rec<'a> {
    meta: FrameMeta,
    data: &'a [u8],
    file_offset: u64,
}

/// A file's records read in batches, numbered from 1; damage ends the reading and is kept for
/// the end.
struct Reader<'f> {
    records: Records<'f>,
    number: u64,
    error: Option<CaptureError>,
    /// Earlier frames' times; every frame counts as shown (the loop that filters puts the
    /// last shown frame in again when it dissects a kept frame for output).
    times: FrameTimes,
    /// The last frame to read (`-c N`): reading stops there, as if the file ended.
    limit: u64,
}

impl<'f> Reader<'f> {
    fn new(file: &'f CaptureFile) -> Self {
        Reader { records: file.records(), number: 0, error: None, times: FrameTimes::default(), limit: u64::MAX }
    }

    /// Replaces `recs` with the next BATCH records or BATCH_BYTES captured bytes (fewer at
    /// the end of the file or before damage); false when there are none.
    fn fill(&mut self, recs: &mut Vec<Rec<'f>>) -> bool {
        self.fill_up_to(recs, BATCH, BATCH_BYTES)
    }

    /// [`Reader::fill`] with at most `frames` records or `max_bytes` captured bytes.
    fn fill_up_to(&mut self, recs: &mut Vec<Rec<'f>>, frames: usize, max_bytes: usize) -> bool {
        recs.clear();
        let mut bytes = 0usize;
        while recs.len() < frames && bytes < max_bytes && self.error.is_none() && self.number < self.limit {
            match self.records.next() {
                None => break,
                Some(Err(e)) => self.error = Some(e),
                Some(Ok(rec)) => {
                    self.number += 1;
                    bytes += rec.data.len();
                    let mut meta = rec.meta(self.number);
                    meta.times = self.times;
                    self.times.advance(&meta, true);
                    recs.push(Rec { meta, data: rec.data, file_offset: rec.file_offset });
                }
            }
        }
        !recs.is_empty()
    }
}

/// Lets go of the file's pages behind the frames handled (so resident memory stays flat on a
/// big file) and remembers the last frame handled.
struct Handled<'f> {
    file: &'f CaptureFile,
    released: u64,
    last: u64,
}

impl<'f> Handled<'f> {
    fn new(file: &'f CaptureFile) -> Self {
        Handled { file, released: 0, last: 0 }
    }

    fn frame(&mut self, rec: &Rec<'_>) {
        self.last = rec.meta.number;
        if rec.file_offset >= self.released + RELEASE_EVERY {
            self.file.release_before(rec.file_offset);
            self.released = rec.file_offset;
        }
    }
}

/// Runs batches through `threads` worker threads and takes them back in the order they were
/// filled: `fill` fills a batch (false when there is nothing more), each worker runs the
/// closure `worker` made for it on every batch it gets, and `take` consumes the batches on
/// the calling thread, in order (false stops early). Two batches are in flight per thread;
/// batch k goes to thread k % threads, which hands its batches back in the order it got them.
/// With one thread the calling thread does the workers' part too. Returns whether `take`
/// stopped early.
fn in_order<B, W>(threads: usize, mut fill: impl FnMut(&mut B) -> bool, worker: impl Fn() -> W + Sync, mut take: impl FnMut(&mut B) -> Result<bool, OutputError>) -> Result<bool, OutputError>
where
    B: Default + Send,
    W: FnMut(&mut B),
{
    if threads <= 1 {
        let mut work = worker();
        let mut b = B::default();
        while fill(&mut b) {
            work(&mut b);
            if !take(&mut b)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    std::thread::scope(|scope| {
        use std::sync::mpsc;
        let worker = &worker;
        let mut to_workers = Vec::new();
        let mut from_workers = Vec::new();
        for _ in 0..threads {
            let (tx, rx) = mpsc::channel::<B>();
            let (btx, brx) = mpsc::channel::<B>();
            scope.spawn(move || {
                let mut work = worker();
                while let Ok(mut b) = rx.recv() {
                    work(&mut b);
                    if btx.send(b).is_err() {
                        break;
                    }
                }
            });
            to_workers.push(tx);
            from_workers.push(brx);
        }
        let mut sent = 0usize;
        for _ in 0..threads * 2 {
            let mut b = B::default();
            if !fill(&mut b) {
                break;
            }
            let _ = to_workers[sent % threads].send(b);
            sent += 1;
        }
        let mut done = 0usize;
        while done < sent {
            let Ok(mut b) = from_workers[done % threads].recv() else { break };
            if !take(&mut b)? {
                return Ok(true);
            }
            done += 1;
            if fill(&mut b) {
                let _ = to_workers[sent % threads].send(b);
                sent += 1;
            }
        }
        Ok(false)
    })
}

/// What the calling thread needs of the frames a worker looked at.
#[derive(Default)]
struct Batch<'a> {
    recs: Vec<Rec<'a>>,
    /// Per frame: the filter matched; the dissection depended on earlier frames.
    matched: Vec<bool>,
    stateful: Vec<bool>,
    /// The transport headers of every frame, in order, with the frame's index in the batch.
    inputs: Vec<(u32, usize, Transport)>,
}

/// Runs `f` on the frames of `file` that `filter` matches, until it breaks or the file ends.
/// The filter must not name analysis fields (the analysis runs after it); `opts.text` says
/// whether the frames `f` sees need their display text.
///
/// The filter's look at every frame is the bulk of the work, so it runs on every core: the
/// calling thread reads records into batches, worker threads dissect them without display
/// text, run the filter and extract the transport headers, and the calling thread takes the
/// batches back in file order for the analysis. Only the frames that match are dissected
/// again, in full, for `f`. A frame whose dissection depends on earlier frames (IP fragments,
/// ICMP echo: [`Dissection::stateful`]) is dissected again on the calling thread by a
/// dissector that sees every such frame in order, so the result is the same as one dissector
/// reading the whole file.
pub fn for_each_matching(file: &CaptureFile, opts: LoopOpts, filter: &Filter, mut f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> Result<Outcome, OutputError> {
    let threads = dissect_threads();
    let mut clock = Clock::new(file);
    let mut reader = Reader::new(file);
    let mut master = Dissector::new();
    master.set_text(false);
    let mut analyzer = Analyzer::new();
    let mut fa = FrameAnalysis::default();
    let mut d = Dissection::default();
    let mut inputs: Vec<(usize, Transport)> = Vec::new();
    let mut handled = Handled::new(file);
    let mut shown: Option<crate::dissect::Timestamp> = None;

    // Workers add only the fields the filter reads (and the addresses the analysis reads).
    let demand = filter.demand();
    let worker = || {
        let mut dissector = Dissector::new();
        dissector.set_text(false);
        dissector.set_demand(Some(demand.clone()));
        let mut d = Dissection::default();
        let mut found = Vec::new();
        move |b: &mut Batch<'_>| {
            b.matched.clear();
            b.stateful.clear();
            b.inputs.clear();
            for (i, rec) in b.recs.iter().enumerate() {
                dissector.dissect(&rec.meta, rec.data, &mut d);
                b.matched.push(filter.matches(&d, rec.data));
                b.stateful.push(d.stateful);
                found.clear();
                extract(&d, &mut found);
                b.inputs.extend(found.iter().map(|(l, t)| (i as u32, *l, *t)));
            }
        }
    };
    // (The taking closure is written in the call, so its batch type is the one the file's
    // records borrow from.)
    let stopped = in_order::<Batch<'_>, _>(
        threads,
        |b| reader.fill(&mut b.recs),
        worker,
        |b| {
            let mut next_input = 0usize;
            for (i, rec) in b.recs.iter().enumerate() {
                handled.frame(rec);
                // The worker's inputs for this frame.
                let start = next_input;
                while next_input < b.inputs.len() && b.inputs[next_input].0 as usize == i {
                    next_input += 1;
                }
                let mut matched = b.matched.get(i).copied().unwrap_or(false);
                inputs.clear();
                if b.stateful.get(i).copied().unwrap_or(false) {
                    master.dissect(&rec.meta, rec.data, &mut d);
                    matched = filter.matches(&d, rec.data);
                    extract(&d, &mut inputs);
                } else {
                    inputs.extend(b.inputs.get(start..next_input).unwrap_or(&[]).iter().map(|(_, l, t)| (*l, *t)));
                }
                if opts.analysis {
                    analyzer.process_extracted(rec.meta.number, ts_nanos(&rec.meta), &inputs, &mut fa);
                }
                // Every frame, matched or not: the first one sets the relative times' origin.
                let times = clock.frame(&rec.meta);
                if !matched {
                    continue;
                }
                let mut meta = rec.meta.clone();
                meta.times.prev_displayed = shown;
                shown = Some(meta.ts.unwrap_or_default());
                master.set_text(opts.text);
                master.dissect(&meta, rec.data, &mut d);
                master.set_text(false);
                let fa = opts.analysis.then_some(&fa);
                let mut frame = Frame::new(&meta, rec.data, &mut d, &mut master, false, fa, times);
                if !hand(&mut f, &mut frame, opts.annotate)? {
                    return Ok(false);
                }
            }
            Ok(true)
        },
    )?;
    Ok(Outcome { frames: handled.last, error: if stopped { None } else { reader.error } })
}

/// Text made by a worker for a batch: every frame's line, end to end.
#[derive(Default)]
struct Lines<'a> {
    recs: Vec<Rec<'a>>,
    text: String,
    /// Per frame: where its line ends in `text` (empty for a frame the filter drops).
    ends: Vec<usize>,
    stateful: Vec<bool>,
}

/// Writes one line of text per frame of `file` (per frame `filter` matches), made by the
/// formatters `make` returns, to `out` in file order; `text` says whether the formatter needs
/// the display text, `demand` which fields it and the filter read (workers add only those). The formatter sees only the dissection and the frame's bytes: this is
/// the path for output that needs no conversation analysis (`-T fields` of header fields).
///
/// Dissection and formatting run on every core, a batch of frames per thread; the calling
/// thread writes the batches in order. A frame whose dissection depends on earlier frames
/// ([`Dissection::stateful`]) is dissected and formatted again on the calling thread by a
/// dissector that sees every such frame in order.
pub fn write_lines<F>(file: &CaptureFile, filter: Option<&Filter>, demand: &Demand, text: bool, make: impl Fn() -> F + Sync, out: &mut impl Write) -> Result<Outcome, OutputError>
where
    F: FnMut(&Dissection, &[u8], &mut String),
{
    let threads = dissect_threads();
    let mut line = String::with_capacity(512);
    let mut reader = Reader::new(file);
    let mut master = Dissector::new();
    master.set_text(text);
    let mut format = make();
    let mut d = Dissection::default();
    let mut handled = Handled::new(file);
    let worker = || {
        let mut dissector = Dissector::new();
        dissector.set_text(text);
        dissector.set_demand(Some(demand.clone()));
        let mut format = make();
        let mut d = Dissection::default();
        move |b: &mut Lines<'_>| {
            b.text.clear();
            b.ends.clear();
            b.stateful.clear();
            for rec in &b.recs {
                dissector.dissect(&rec.meta, rec.data, &mut d);
                if filter.is_none_or(|flt| flt.matches(&d, rec.data)) {
                    format(&d, rec.data, &mut b.text);
                }
                b.ends.push(b.text.len());
                b.stateful.push(d.stateful);
            }
        }
    };
    // (The taking closure is written in the call, so its batch type is the one the file's
    // records borrow from.)
    let stopped = in_order::<Lines<'_>, _>(
        threads,
        |b| reader.fill(&mut b.recs),
        worker,
        |b| {
            let mut start = 0usize;
            for (i, rec) in b.recs.iter().enumerate() {
                handled.frame(rec);
                let end = b.ends.get(i).copied().unwrap_or(start);
                let written = if b.stateful.get(i).copied().unwrap_or(false) {
                    master.dissect(&rec.meta, rec.data, &mut d);
                    line.clear();
                    if filter.is_none_or(|flt| flt.matches(&d, rec.data)) {
                        format(&d, rec.data, &mut line);
                    }
                    out.write_all(line.as_bytes())
                } else {
                    out.write_all(b.text.as_bytes().get(start..end).unwrap_or(&[]))
                };
                start = end;
                match written {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(false),
                    Err(e) => return Err(OutputError(e)),
                }
            }
            Ok(true)
        },
    )?;
    Ok(Outcome { frames: handled.last, error: if stopped { None } else { reader.error } })
}


/// A worker's way back to the calling thread, which hears of the worker's panic (None) so it
/// does not wait for a batch that will never come.
struct Panicked<B>(std::sync::mpsc::Sender<Option<(usize, bool, B)>>);

impl<B> Drop for Panicked<B> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.0.send(None);
        }
    }
}

/// Runs batches through `threads` threads twice, with an in-order step between: `fill`
/// fills a batch (false when there is nothing more); a worker runs `work(batch, false)`; the
/// calling thread runs `middle` on the batches in the order they were filled; a worker runs
/// `work(batch, true)`; the calling thread runs `take` on them in order (false stops early).
/// Any worker takes any job, so one slow batch does not hold a thread's queue. The calling
/// thread is one of the `threads`: it starts `threads - 1` workers and, when no batch has
/// come back, takes a waiting job itself (with a worker per core besides it, the three
/// threads of two cores took turns: `-V` took 4–5% longer). `threads + 1` batches are in
/// flight (more kept more text out of the caches, fewer left a thread waiting). With one
/// thread the calling thread does everything. Returns whether `take` stopped early.
fn in_order_twice<B, W>(
    threads: usize,
    mut fill: impl FnMut(&mut B) -> bool,
    worker: impl Fn() -> W + Sync,
    mut middle: impl FnMut(&mut B) -> Result<(), OutputError>,
    mut take: impl FnMut(&mut B) -> Result<bool, OutputError>,
) -> Result<bool, OutputError>
where
    B: Default + Send,
    W: FnMut(&mut B, bool),
{
    if threads <= 1 {
        let mut work = worker();
        let mut b = B::default();
        while fill(&mut b) {
            work(&mut b, false);
            middle(&mut b)?;
            work(&mut b, true);
            if !take(&mut b)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    use std::collections::BTreeMap;
    use std::sync::{Mutex, mpsc};
    // Jobs: (batch number, second pass, batch); results come back the same way.
    // (None: a worker panicked; the scope then passes its panic on.)
    let (job_tx, job_rx) = mpsc::channel::<(usize, bool, B)>();
    let (done_tx, done_rx) = mpsc::channel::<Option<(usize, bool, B)>>();
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|scope| {
        let (worker, job_rx) = (&worker, &job_rx);
        // The calling thread's own worker, made when it first takes a job.
        let mut own: Option<W> = None;
        for _ in 1..threads {
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                let guard = Panicked(done_tx);
                let mut work = worker();
                loop {
                    // (The lock is held only while waiting for the next job.)
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((n, second, mut b)) = job else { break };
                    work(&mut b, second);
                    if guard.0.send(Some((n, second, b))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        // Whatever happens below, the workers end once the job queue is closed.
        let job_tx = job_tx;
        let (mut filled, mut middled, mut taken) = (0usize, 0usize, 0usize);
        let mut ended = false;
        let mut first: BTreeMap<usize, B> = BTreeMap::new();
        let mut second: BTreeMap<usize, B> = BTreeMap::new();
        let mut spare: Vec<B> = Vec::new();
        loop {
            // Keep a batch per thread and one more in flight.
            while !ended && filled - taken < threads + 1 {
                let mut b = spare.pop().unwrap_or_default();
                if !fill(&mut b) {
                    ended = true;
                    break;
                }
                let _ = job_tx.send((filled, false, b));
                filled += 1;
            }
            if taken == filled {
                return Ok(false);
            }
            // A batch that came back; else a job the calling thread does itself, if one
            // waits (a worker waiting for one holds the queue: then none does); else wait.
            let back = match done_rx.try_recv() {
                Ok(m) => m,
                Err(mpsc::TryRecvError::Disconnected) => return Ok(false),
                Err(mpsc::TryRecvError::Empty) => match job_rx.try_lock().ok().and_then(|rx| rx.try_recv().ok()) {
                    Some((n, second, mut b)) => {
                        own.get_or_insert_with(worker)(&mut b, second);
                        Some((n, second, b))
                    }
                    None => match done_rx.recv() {
                        Ok(m) => m,
                        Err(_) => return Ok(false),
                    },
                },
            };
            let Some((n, pass2, b)) = back else { return Ok(false) };
            if pass2 {
                second.insert(n, b);
            } else {
                first.insert(n, b);
            }
            while let Some(mut b) = first.remove(&middled) {
                middle(&mut b)?;
                let _ = job_tx.send((middled, true, b));
                middled += 1;
            }
            while let Some(mut b) = second.remove(&taken) {
                if !take(&mut b)? {
                    return Ok(true);
                }
                taken += 1;
                spare.push(b);
            }
        }
    })
}

/// Frames per batch of [`write_frames`], and the most captured bytes one may hold.
const FRAME_BATCH: usize = 512;
const FRAME_BATCH_BYTES: usize = 1 << 20;

/// A batch of [`write_frames`]: the records, then each frame's analysis, then the text.
#[derive(Default)]
struct Framed<'a> {
    recs: Vec<Rec<'a>>,
    /// Per frame: the dissection depended on earlier frames (done again on the calling
    /// thread).
    stateful: Vec<bool>,
    /// The transport headers of every frame, in order, with the frame's index in the batch.
    inputs: Vec<(u32, usize, Transport)>,
    /// Per frame: its analysis, and its (digits, first frame's time) of [`Clock::frame`].
    fas: Vec<FrameAnalysis>,
    times: Vec<(u8, i128)>,
    /// The calling thread's dissections of the stateful frames, by index in the batch (the
    /// first `kept` slots; the rest are spare memory).
    done: Vec<(u32, Dissection)>,
    kept: usize,
    /// Every frame's text, end to end.
    text: String,
}

/// Writes the text `make`'s formatters make of every frame of `file` (up to frame `limit`)
/// to `out`, in file order, the frames dissected with display text and, with
/// `opts.analysis`, analysed and annotated as [`for_each`](super::for_each) hands them over:
/// the path of `-V` and `-T json`, where every frame is shown.
///
/// Dissection and formatting run on every core: worker threads dissect a batch of frames
/// lean (only what the analysis reads) and extract their transport headers; the calling
/// thread runs the analysis over the batch in file order (dissecting a frame whose
/// dissection depends on earlier frames, [`Dissection::stateful`], with a dissector that
/// sees every such frame in order); a worker then dissects each frame in full, its
/// dissector putting the analysis's fields in place ([`crate::dissect::Additions`]; the
/// frames where it cannot are annotated afterwards), formats it, and the calling thread
/// writes the batches in order.
pub fn write_frames<F>(file: &CaptureFile, opts: LoopOpts, limit: u64, make: impl Fn() -> F + Sync, out: &mut impl Write) -> Result<Outcome, OutputError>
where
    F: FnMut(&mut Frame, &mut String),
{
    let threads = dissect_threads();
    let mut clock = Clock::new(file);
    let mut reader = Reader::new(file);
    reader.limit = limit;
    let mut master = Dissector::new();
    master.set_text(true);
    master.set_hidden(opts.hidden);
    master.set_columns(opts.columns);
    let mut analyzer = Analyzer::new();
    let mut inputs: Vec<(usize, Transport)> = Vec::new();
    let mut handled = Handled::new(file);
    let worker = || {
        let mut lean = Dissector::new();
        lean.set_text(false);
        lean.set_demand(Some(Demand::default()));
        let mut full = Dissector::new();
        full.set_text(true);
        full.set_hidden(opts.hidden);
        full.set_columns(opts.columns);
        let mut format = make();
        let mut found = Vec::new();
        let mut d = Dissection::default();
        let mut adds = Additions::default();
        move |b: &mut Framed<'_>, second: bool| {
            if !second {
                b.stateful.clear();
                b.inputs.clear();
                for (i, rec) in b.recs.iter().enumerate() {
                    lean.dissect(&rec.meta, rec.data, &mut d);
                    b.stateful.push(d.stateful);
                    if opts.analysis && !d.stateful {
                        found.clear();
                        extract(&d, &mut found);
                        b.inputs.extend(found.iter().map(|(l, t)| (i as u32, *l, *t)));
                    }
                }
                return;
            }
            b.text.clear();
            let mut next_kept = 0usize;
            for (i, rec) in b.recs.iter().enumerate() {
                let fa = if opts.analysis { b.fas.get(i) } else { None };
                let times = b.times.get(i).copied().unwrap_or((6, 0));
                let d = match b.done.get_mut(next_kept) {
                    Some((k, kd)) if next_kept < b.kept && *k as usize == i => {
                        next_kept += 1;
                        kd
                    }
                    _ => {
                        // The analysis's fields go in place as the frame is dissected.
                        let adding = fa.is_some_and(|fa| crate::analysis::annotate::additions(fa, &mut adds));
                        full.dissect_adding(&rec.meta, rec.data, &mut d, adding.then_some(&mut adds));
                        &mut d
                    }
                };
                let mut frame = Frame::new(&rec.meta, rec.data, d, &mut full, false, fa, times);
                frame.annotate_placed();
                format(&mut frame, &mut b.text);
            }
        }
    };
    // (The closures are written in the call, so the batch type is the one the file's records
    // borrow from.)
    let stopped = in_order_twice::<Framed<'_>, _>(
        threads,
        |b| reader.fill_up_to(&mut b.recs, FRAME_BATCH, FRAME_BATCH_BYTES),
        worker,
        |b| {
            let n = b.recs.len();
            if b.fas.len() < n {
                b.fas.resize_with(n, FrameAnalysis::default);
            }
            b.times.clear();
            b.kept = 0;
            let mut next_input = 0usize;
            for (i, rec) in b.recs.iter().enumerate() {
                // The worker's inputs for this frame.
                let start = next_input;
                while next_input < b.inputs.len() && b.inputs[next_input].0 as usize == i {
                    next_input += 1;
                }
                inputs.clear();
                if b.stateful.get(i).copied().unwrap_or(false) {
                    if b.done.len() == b.kept {
                        b.done.push((0, Dissection::default()));
                    }
                    if let Some((k, d)) = b.done.get_mut(b.kept) {
                        *k = i as u32;
                        master.dissect(&rec.meta, rec.data, d);
                        if opts.analysis {
                            extract(d, &mut inputs);
                        }
                    }
                    b.kept += 1;
                } else {
                    inputs.extend(b.inputs.get(start..next_input).unwrap_or(&[]).iter().map(|(_, l, t)| (*l, *t)));
                }
                if opts.analysis
                    && let Some(fa) = b.fas.get_mut(i)
                {
                    analyzer.process_extracted(rec.meta.number, ts_nanos(&rec.meta), &inputs, fa);
                }
                b.times.push(clock.frame(&rec.meta));
            }
            Ok(())
        },
        |b| {
            match out.write_all(b.text.as_bytes()) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(false),
                Err(e) => return Err(OutputError(e)),
            }
            for rec in &b.recs {
                handled.frame(rec);
            }
            Ok(true)
        },
    )?;
    Ok(Outcome { frames: handled.last, error: if stopped { None } else { reader.error } })
}
