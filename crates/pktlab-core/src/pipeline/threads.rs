//! The loops that spread dissection over every core: the calling thread reads records into
//! batches, worker threads dissect them, and the calling thread takes the batches back in
//! file order for whatever must see frames in order (the analysis, the output).

use super::{Clock, Frame, LoopOpts, Outcome, OutputError, RELEASE_EVERY, dissect_threads, hand};
use crate::analysis::analyzer::{Transport, extract, ts_nanos};
use crate::analysis::{Analyzer, FrameAnalysis};
use crate::capture::{CaptureError, CaptureFile, Records};
use crate::dissect::{Additions, Demand, Dissection, Dissector, Flow, FrameMeta, FrameTimes};
use crate::filter::Filter;
use std::io::{self, Write};
use std::collections::{BTreeMap, VecDeque};
use std::ops::ControlFlow;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Frames per batch handed to a dissecting thread, and the most captured bytes one may hold
/// (the batches in flight keep their pages of the file resident).
const BATCH: usize = 8192;
const BATCH_BYTES: usize = 2 << 20;

/// Frames per batch in every loop, when `PKTLAB_BATCH=N` says (for tests: batch boundaries
/// every few frames fall inside connections and reassembled messages, where workers see
/// part of what came before).
fn batch_override() -> Option<usize> {
    static N: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    *N.get_or_init(|| std::env::var("PKTLAB_BATCH").ok().and_then(|v| v.parse::<usize>().ok()).filter(|&n| n > 0))
}

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

    /// [`Reader::fill`] with at most `frames` records (or [`batch_override`]'s) or
    /// `max_bytes` captured bytes.
    fn fill_up_to(&mut self, recs: &mut Vec<Rec<'f>>, frames: usize, max_bytes: usize) -> bool {
        let frames = batch_override().unwrap_or(frames);
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

/// Whether the calling thread's in-order dissector, `master`, dissects frame `i` of a batch
/// again: the worker found its dissection depends on earlier frames (`stateful`), or `master`
/// knows its connection (`flows`, of a frame the worker found nothing in) speaks a
/// protocol whose does — a worker that did not see the frame that showed it (an HTTP
/// connection's first request on a port not HTTP's, a QUIC connection's long header) took
/// the connection's later segments for plain data.
fn in_order_again(stateful: &[bool], flows: &[Option<Flow>], i: usize, master: &Dissector) -> bool {
    stateful.get(i).copied().unwrap_or(false) || flows.get(i).and_then(Option::as_ref).is_some_and(|f| master.follows(f))
}

/// What a worker keeps of a frame's dissection for [`in_order_again`]: whether it depended
/// on earlier frames, and if not, its flow.
fn keep_flow(d: &Dissection) -> Option<Flow> {
    if d.stateful { None } else { d.flow }
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
    /// Per frame: the filter matched; the dissection depended on earlier frames; its flow
    /// ([`keep_flow`]).
    matched: Vec<bool>,
    stateful: Vec<bool>,
    flows: Vec<Option<Flow>>,
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
        dissector.set_flows(true);
        let mut d = Dissection::default();
        let mut found = Vec::new();
        move |b: &mut Batch<'_>| {
            b.matched.clear();
            b.stateful.clear();
            b.flows.clear();
            b.inputs.clear();
            for (i, rec) in b.recs.iter().enumerate() {
                dissector.dissect(&rec.meta, rec.data, &mut d);
                b.matched.push(filter.matches(&d, rec.data));
                b.stateful.push(d.stateful);
                b.flows.push(keep_flow(&d));
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
                if in_order_again(&b.stateful, &b.flows, i, &master) {
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
    flows: Vec<Option<Flow>>,
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
        dissector.set_flows(true);
        let mut format = make();
        let mut d = Dissection::default();
        move |b: &mut Lines<'_>| {
            b.text.clear();
            b.ends.clear();
            b.stateful.clear();
            b.flows.clear();
            for rec in &b.recs {
                dissector.dissect(&rec.meta, rec.data, &mut d);
                if filter.is_none_or(|flt| flt.matches(&d, rec.data)) {
                    format(&d, rec.data, &mut b.text);
                }
                b.ends.push(b.text.len());
                b.stateful.push(d.stateful);
                b.flows.push(keep_flow(&d));
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
                let written = if in_order_again(&b.stateful, &b.flows, i, &master) {
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


/// What the threads of [`in_order_twice`] share: the batches between its steps and which
/// of the one-at-a-time steps is under way.
#[derive(Default)]
struct Stages<B> {
    /// Filled, waiting for the first pass; through it, waiting for `middle` (by number);
    /// through that, waiting for the second pass; through it, waiting to be taken.
    first: VecDeque<(usize, B)>,
    firsted: BTreeMap<usize, B>,
    second: VecDeque<(usize, B)>,
    seconded: BTreeMap<usize, B>,
    /// Batches taken, kept for filling again.
    spare: Vec<B>,
    /// How many batches were filled, went through `middle` and were taken; whether `fill`
    /// said there is no more.
    filled: usize,
    middled: usize,
    taken: usize,
    ended: bool,
    /// Whether a thread is filling, in `middle` or taking now (each is one thread's at a
    /// time, in order).
    filling: bool,
    middling: bool,
    taking: bool,
    /// Threads waiting for something to do.
    waiting: usize,
    /// Set when every thread is to stop: whether `take` stopped early, or the error.
    end: Option<Result<bool, OutputError>>,
}

/// A lock whose holder may have panicked: the others go on (a panic ends the loop anyway,
/// through [`StopOnPanic`], and the scope passes it on).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Moves the batches numbered `at`, `at + 1`, … out of `waiting` into `batches`, while
/// they are there (the run whose turn it is).
fn run_from<B>(waiting: &mut BTreeMap<usize, B>, at: usize, batches: &mut Vec<B>) {
    while let Some(b) = waiting.remove(&(at + batches.len())) {
        batches.push(b);
    }
}

/// Runs the one-at-a-time `step` on each of `batches` in order, until it stops (false) or
/// fails; what it said last.
fn each<B>(step: &Mutex<impl FnMut(&mut B) -> Result<bool, OutputError>>, batches: &mut [B]) -> Result<bool, OutputError> {
    let mut step = lock(step);
    for b in batches {
        if !step(b)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Ends [`in_order_twice`]'s loop on every thread when the thread holding it panics, so none
/// waits for a batch that will never come.
struct StopOnPanic<'a, B>(&'a Mutex<Stages<B>>, &'a Condvar);

impl<B> Drop for StopOnPanic<'_, B> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(self.0).end.get_or_insert(Ok(false));
            self.1.notify_all();
        }
    }
}

/// Runs batches through `threads` threads twice, with an in-order step between: `fill`
/// fills a batch (false when there is nothing more); a thread runs `work(batch, false)`;
/// `middle` sees the batches in the order they were filled; a thread runs `work(batch,
/// true)`; `take` consumes them in that order (false stops early). Every thread does
/// whatever is to be done next — take the batches whose turn it is, put the next through
/// `middle`, fill one, a first pass, a second pass, in that order of preference — the
/// one-at-a-time steps on one thread at a time; a thread waits only when there is nothing
/// to do. (With the in-order steps on the calling thread alone, the other threads waited
/// for it to finish its pass whenever the next batch needed `middle` or room to be filled.)
/// At most `in_flight` batches are between `fill` and `take`. The calling thread is one of
/// the `threads`; with one, it does everything in turn. Returns whether `take` stopped
/// early.
fn in_order_twice<B, W>(
    threads: usize,
    in_flight: usize,
    fill: impl FnMut(&mut B) -> bool + Send,
    worker: impl Fn() -> W + Sync,
    middle: impl FnMut(&mut B) -> Result<(), OutputError> + Send,
    take: impl FnMut(&mut B) -> Result<bool, OutputError> + Send,
) -> Result<bool, OutputError>
where
    B: Default + Send,
    W: FnMut(&mut B, bool),
{
    let (mut fill, mut middle, mut take) = (fill, middle, take);
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
    let flow = Mutex::new(Stages::<B>::default());
    let ready = Condvar::new();
    // (`middle` as a step that always goes on, the shape `take` has: one loop runs both.)
    let middle = move |b: &mut B| middle(b).map(|()| true);
    let (fill, middle, take) = (Mutex::new(fill), Mutex::new(middle), Mutex::new(take));
    let in_flight = in_flight.max(1);
    let run = || {
        let _stop = StopOnPanic(&flow, &ready);
        let mut work = worker();
        let mut f = lock(&flow);
        // Something changed that another thread may act on.
        let wake = |f: &Stages<B>| {
            if f.waiting > 0 {
                ready.notify_all();
            }
        };
        let mut batches: Vec<B> = Vec::new();
        while f.end.is_none() {
            // Every batch whose turn it is, taken in order.
            if !f.taking && f.seconded.contains_key(&f.taken) {
                f.taking = true;
                let at = f.taken;
                run_from(&mut f.seconded, at, &mut batches);
                drop(f);
                let result = each(&take, &mut batches);
                f = lock(&flow);
                f.taking = false;
                f.taken += batches.len();
                f.spare.append(&mut batches);
                match result {
                    Ok(true) => {}
                    Ok(false) => f.end = Some(Ok(true)),
                    Err(e) => f.end = Some(Err(e)),
                }
                wake(&f);
                continue;
            }
            // The next batches through `middle`, in order.
            if !f.middling && f.firsted.contains_key(&f.middled) {
                f.middling = true;
                let at = f.middled;
                run_from(&mut f.firsted, at, &mut batches);
                drop(f);
                let result = each(&middle, &mut batches);
                f = lock(&flow);
                f.middling = false;
                if let Err(e) = result {
                    f.end = Some(Err(e));
                } else {
                    let (n, k) = (f.middled, batches.len());
                    f.second.extend(batches.drain(..).enumerate().map(|(i, b)| (n + i, b)));
                    f.middled = n + k;
                }
                batches.clear();
                wake(&f);
                continue;
            }
            // Another batch, while there is room.
            if !f.filling && !f.ended && f.filled - f.taken < in_flight {
                f.filling = true;
                let mut b = f.spare.pop().unwrap_or_default();
                drop(f);
                let filled = lock(&fill)(&mut b);
                f = lock(&flow);
                f.filling = false;
                if filled {
                    let n = f.filled;
                    f.first.push_back((n, b));
                    f.filled = n + 1;
                } else {
                    f.ended = true;
                    f.spare.push(b);
                }
                wake(&f);
                continue;
            }
            // A pass: a first pass before a second (it lets `middle` go on).
            let job = match f.first.pop_front() {
                Some((n, b)) => Some((n, false, b)),
                None => f.second.pop_front().map(|(n, b)| (n, true, b)),
            };
            if let Some((n, second, mut b)) = job {
                drop(f);
                work(&mut b, second);
                f = lock(&flow);
                if second {
                    f.seconded.insert(n, b);
                } else {
                    f.firsted.insert(n, b);
                }
                wake(&f);
                continue;
            }
            if f.ended && !f.filling && f.taken == f.filled {
                f.end = Some(Ok(false));
                ready.notify_all();
                break;
            }
            f.waiting += 1;
            f = ready.wait(f).unwrap_or_else(PoisonError::into_inner);
            f.waiting -= 1;
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(run);
        }
        run();
    });
    let end = lock(&flow).end.take();
    end.unwrap_or(Ok(false))
}

/// Frames per batch of [`write_frames`], and the most captured bytes one may hold; batches
/// in flight per thread. (A batch's text, some 600 KB of `-V`, stays in a core's cache: with
/// 512 frames, 2.3 MB did not, and the copies into it cost 5% more. Four batches per thread
/// touched 800 more pages of memory than two, for nothing: 4% more CPU time.)
const FRAME_BATCH: usize = 128;
const FRAME_BATCH_BYTES: usize = 1 << 20;
const IN_FLIGHT: usize = 2;

/// A batch of [`write_frames`]: the records, then each frame's analysis, then the text.
#[derive(Default)]
struct Framed<'a> {
    recs: Vec<Rec<'a>>,
    /// Per frame: the dissection depended on earlier frames (done again on the calling
    /// thread: set there, too, for the frames [`in_order_again`] adds); its flow
    /// ([`keep_flow`]).
    stateful: Vec<bool>,
    flows: Vec<Option<Flow>>,
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
/// Dissection and formatting run on every core ([`in_order_twice`]): a thread dissects a
/// batch of frames lean (only what the analysis reads) and extracts their transport
/// headers; the analysis runs over the batches in file order, one thread at a time
/// (dissecting a frame whose dissection depends on earlier frames,
/// [`Dissection::stateful`], with a dissector that sees every such frame in order); a
/// thread then dissects each frame in full, its dissector putting the analysis's fields in
/// place ([`crate::dissect::Additions`]; the frames where it cannot are annotated
/// afterwards), formats it, and the batches are written in order. With `demand` (`-T
/// fields`) that full dissection adds only the fields it names (see [`Demand`]); with
/// `opts.text` false it writes no display text ([`Frame::with_text`] adds it).
pub fn write_frames<F>(file: &CaptureFile, opts: LoopOpts, limit: u64, demand: Option<&Demand>, make: impl Fn() -> F + Sync, out: &mut (impl Write + Send)) -> Result<Outcome, OutputError>
where
    F: FnMut(&mut Frame, &mut String),
{
    analysed_twice(file, opts, limit, demand, make, |b, handled| {
        match out.write_all(b.text.as_bytes()) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(false),
            Err(e) => return Err(OutputError(e)),
        }
        for rec in &b.recs {
            handled.frame(rec);
        }
        Ok(true)
    })
}

/// Runs `f` on the frames of `file` that `filter` matches, in order, until it breaks or the
/// file ends, for a filter that reads fields of the analysis (`tcp.analysis.retransmission`,
/// `tcp.stream == 3`): [`write_frames`]'s passes on every core, the second adding only the
/// fields the filter reads (the analysis's put in place) and running the filter. The frames
/// that match come to the calling thread in order, which dissects each again, in full, for
/// `f`, with its analysis (written in by `f` with [`Frame::annotate`], or before `f` sees the
/// frame with `opts.annotate`), while the passes go on. So do the frames whose dissection
/// depends on earlier ones ([`Dissection::stateful`]: reassembly, fragments), matched or
/// not, so that its dissector sees every one of them in order.
pub fn for_each_matching_analysed(file: &CaptureFile, opts: LoopOpts, filter: &Filter, mut f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> Result<Outcome, OutputError> {
    // A few batches' worth of frames may wait for the calling thread: (meta, bytes, analysis,
    // times, matched).
    type Sieved<'a> = (FrameMeta, &'a [u8], FrameAnalysis, (u8, i128), bool);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Sieved<'_>>(1024);
    let demand = filter.demand();
    std::thread::scope(|s| {
        let passes = s.spawn(move || {
            // The second pass's formatter writes whether the filter matched, a byte per frame.
            let make = || {
                move |fr: &mut Frame, matched: &mut String| {
                    matched.push(if filter.matches(fr.d(), fr.data) { '1' } else { '0' });
                }
            };
            let sieve = LoopOpts { analysis: true, annotate: false, text: false, hidden: true, columns: false };
            analysed_twice(file, sieve, u64::MAX, Some(&demand), make, |b, handled| {
                for (i, rec) in b.recs.iter().enumerate() {
                    handled.frame(rec);
                    let matched = b.text.as_bytes().get(i) == Some(&b'1');
                    if matched || b.stateful.get(i).copied().unwrap_or(false) {
                        let fa = b.fas.get(i).cloned().unwrap_or_default();
                        let times = b.times.get(i).copied().unwrap_or((6, 0));
                        // (The calling thread has stopped taking them.)
                        if tx.send((rec.meta.clone(), rec.data, fa, times, matched)).is_err() {
                            return Ok(false);
                        }
                    }
                }
                Ok(true)
            })
        });
        let mut printer = Dissector::new();
        printer.set_hidden(opts.hidden);
        printer.set_columns(opts.columns);
        printer.set_text(opts.text);
        let mut d = Dissection::default();
        let mut shown: Option<crate::dissect::Timestamp> = None;
        let mut handed = Ok(());
        for (mut meta, data, fa, times, matched) in rx.iter() {
            if !matched {
                printer.dissect(&meta, data, &mut d);
                continue;
            }
            meta.times.prev_displayed = shown;
            shown = Some(meta.ts.unwrap_or_default());
            printer.dissect(&meta, data, &mut d);
            let mut frame = Frame::new(&meta, data, &mut d, &mut printer, !opts.text, Some(&fa), times);
            match hand(&mut f, &mut frame, opts.annotate) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    handed = Err(e);
                    break;
                }
            }
        }
        // (The passes stop at their next match.)
        drop(rx);
        let outcome = match passes.join() {
            Ok(outcome) => outcome,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        handed?;
        outcome
    })
}

/// The passes of [`write_frames`]: each frame analysed and formatted by `make`'s formatters
/// into its batch's text; `take` consumes the batches in file order (noting each frame it is
/// done with in the [`Handled`]; false stops early).
fn analysed_twice<'f, F>(
    file: &'f CaptureFile,
    opts: LoopOpts,
    limit: u64,
    demand: Option<&Demand>,
    make: impl Fn() -> F + Sync,
    mut take: impl FnMut(&mut Framed<'f>, &mut Handled<'f>) -> Result<bool, OutputError> + Send,
) -> Result<Outcome, OutputError>
where
    F: FnMut(&mut Frame, &mut String),
{
    let threads = dissect_threads();
    let mut clock = Clock::new(file);
    let mut reader = Reader::new(file);
    reader.limit = limit;
    let mut master = Dissector::new();
    master.set_text(opts.text);
    master.set_hidden(opts.hidden);
    master.set_columns(opts.columns);
    let mut analyzer = Analyzer::new();
    let mut inputs: Vec<(usize, Transport)> = Vec::new();
    let mut handled = Handled::new(file);
    let demand = demand.map(|d| {
        let mut d = d.clone();
        if opts.analysis {
            d.place_additions();
        }
        d
    });
    let worker = || {
        let mut lean = Dissector::new();
        lean.set_text(false);
        lean.set_demand(Some(Demand::default()));
        lean.set_flows(true);
        let mut full = Dissector::new();
        full.set_text(opts.text);
        full.set_hidden(opts.hidden);
        full.set_columns(opts.columns);
        full.set_demand(demand.clone());
        let mut format = make();
        let mut found = Vec::new();
        let mut d = Dissection::default();
        let mut adds = Additions::default();
        move |b: &mut Framed<'_>, second: bool| {
            if !second {
                b.stateful.clear();
                b.flows.clear();
                b.inputs.clear();
                for (i, rec) in b.recs.iter().enumerate() {
                    lean.dissect(&rec.meta, rec.data, &mut d);
                    b.stateful.push(d.stateful);
                    b.flows.push(keep_flow(&d));
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
                let mut frame = Frame::new(&rec.meta, rec.data, d, &mut full, !opts.text, fa, times);
                frame.annotate_placed();
                format(&mut frame, &mut b.text);
            }
        }
    };
    // (The closures are written in the call, so the batch type is the one the file's records
    // borrow from.)
    let stopped = in_order_twice::<Framed<'_>, _>(
        threads,
        threads * IN_FLIGHT,
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
                if in_order_again(&b.stateful, &b.flows, i, &master) {
                    if let Some(s) = b.stateful.get_mut(i) {
                        *s = true;
                    }
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
        |b| take(b, &mut handled),
    )?;
    Ok(Outcome { frames: handled.last, error: if stopped { None } else { reader.error } })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A batch of numbers: the first pass squares them, `middle` adds the running total of
    /// everything before (so it must see the batches in order), the second pass adds one.
    #[derive(Default)]
    struct Nums {
        xs: Vec<u64>,
    }

    /// Batches of up to 7 of 0..n through `in_order_twice` on `threads` threads; what `take`
    /// saw, in the order it saw it, and what it returned.
    fn run(threads: usize, n: u64, stop_after: Option<usize>, fail_middle_at: Option<usize>) -> (Vec<u64>, Result<bool, OutputError>) {
        let mut next = 0u64;
        let mut total = 0u64;
        let mut middled = 0usize;
        let mut seen = Vec::new();
        let mut batches = 0usize;
        let result = in_order_twice::<Nums, _>(
            threads,
            threads * 2,
            |b| {
                b.xs.clear();
                while next < n && b.xs.len() < 7 {
                    b.xs.push(next);
                    next += 1;
                }
                !b.xs.is_empty()
            },
            || {
                |b: &mut Nums, second: bool| {
                    for x in &mut b.xs {
                        *x = if second { *x + 1 } else { *x * *x };
                    }
                }
            },
            |b| {
                if fail_middle_at == Some(middled) {
                    return Err(OutputError(io::Error::other("middle failed")));
                }
                middled += 1;
                for x in &mut b.xs {
                    let square = *x;
                    *x += total;
                    total += square;
                }
                Ok(())
            },
            |b| {
                seen.extend_from_slice(&b.xs);
                batches += 1;
                Ok(stop_after != Some(batches))
            },
        );
        (seen, result)
    }

    /// What `run` gives with everything done in order on one thread, worked out by hand.
    fn expected(n: u64) -> Vec<u64> {
        let mut total = 0;
        (0..n)
            .map(|i| {
                let v = i * i + total + 1;
                total += i * i;
                v
            })
            .collect()
    }

    #[test]
    fn every_thread_count_takes_every_batch_in_order() {
        for threads in 1..=5 {
            for n in [0, 1, 7, 8, 1000] {
                let (seen, result) = run(threads, n, None, None);
                assert_eq!(seen, expected(n), "{threads} threads, {n} numbers");
                assert!(!result.unwrap(), "{threads} threads, {n} numbers");
            }
        }
    }

    #[test]
    fn take_stops_early_and_middle_errors_end_every_thread() {
        for threads in 1..=4 {
            let (seen, result) = run(threads, 1000, Some(3), None);
            assert_eq!(seen, expected(21), "{threads} threads");
            assert!(result.unwrap());
            let (seen, result) = run(threads, 1000, None, Some(5));
            assert!(seen.len() <= 5 * 7 && expected(1000).starts_with(&seen), "{threads} threads");
            assert_eq!(result.unwrap_err().to_string(), "writing output: middle failed");
        }
    }

    #[test]
    fn a_panicking_pass_ends_every_thread_and_passes_the_panic_on() {
        for threads in 2..=4 {
            let caught = std::panic::catch_unwind(|| {
                let mut left = 50;
                in_order_twice::<Nums, _>(
                    threads,
                    threads * 2,
                    |b| {
                        b.xs = vec![left];
                        left -= 1;
                        left > 0
                    },
                    || |b: &mut Nums, second: bool| assert!(!(second && b.xs == [20]), "pass failed"),
                    |_| Ok(()),
                    |_| Ok(true),
                )
            });
            assert!(caught.is_err(), "{threads} threads");
        }
    }
}
