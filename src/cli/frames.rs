//! The frame loop every headless subcommand shares: read a capture record by record, dissect
//! each frame into one reused [`Dissection`], run the conversation analysis in frame order
//! and hand the result to a callback. A damaged file yields every good frame first; the
//! [`CaptureError`] comes back in [`Outcome`] for the caller to report after its output.

use anyhow::Context as _;
use pktlab::analysis::analyzer::{Transport, extract, ts_nanos};
use pktlab::analysis::{Analyzer, FrameAnalysis, annotate};
use pktlab::filter::Filter;
use pktlab::capture::{CaptureError, CaptureFile, Format, Records};
use pktlab::dissect::{Demand, Dissection, Dissector, FrameMeta, FrameTimes};
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::Path;

/// How the loop reads frames.
#[derive(Clone, Copy, Debug)]
pub struct LoopOpts {
    /// Run the TCP/UDP analysis (in frame order, on every frame).
    pub analysis: bool,
    /// Write the analysis into every dissection before the callback sees it. Without it the
    /// callback calls [`Frame::annotate`] for the frames it prints, which saves the cost of
    /// annotating frames a filter drops.
    pub annotate: bool,
    /// Dissect with display text (Info, layer summaries, columns). Without it the callback
    /// sees every field and calls [`Frame::with_text`] for the frames whose text it prints.
    pub text: bool,
}

/// One frame as the callback sees it.
pub struct Frame<'a> {
    pub meta: &'a FrameMeta,
    pub data: &'a [u8],
    d: &'a mut Dissection,
    dissector: &'a mut Dissector,
    /// The dissection has no display text yet.
    lean: bool,
    annotated: bool,
    /// The analysis of the frame (None with `analysis: false`).
    pub fa: Option<&'a FrameAnalysis>,
    /// Digits after the decimal point tshark shows for this frame's times (6 or 9).
    pub ts_digits: u8,
    /// Timestamp of the capture's first frame in nanoseconds since the epoch (0 when that
    /// frame had none, as tshark counts it), the reference for relative times.
    pub first_ts: i128,
    /// Whether the frame is shown; a callback that filters clears it for the frames it
    /// drops, so the next frame's `frame.time_delta_displayed` counts from the last one shown.
    pub shown: bool,
}

impl<'a> Frame<'a> {
    /// A frame as the loops hand it over: `lean` when the dissection has no display text yet,
    /// `times` the (digits, first frame's time) of [`Clock::frame`].
    fn new(meta: &'a FrameMeta, data: &'a [u8], d: &'a mut Dissection, dissector: &'a mut Dissector, lean: bool, fa: Option<&'a FrameAnalysis>, times: (u8, i128)) -> Self {
        Frame { meta, data, d, dissector, lean, annotated: false, fa, ts_digits: times.0, first_ts: times.1, shown: true }
    }

    /// The frame's dissection.
    pub fn d(&self) -> &Dissection {
        self.d
    }

    /// Makes sure the dissection has its display text (Info, summaries, columns): a frame
    /// read without it is dissected again, with it, and annotated again if it was.
    pub fn with_text(&mut self) {
        if !self.lean {
            return;
        }
        self.dissector.set_text(true);
        self.dissector.dissect(self.meta, self.data, self.d);
        self.dissector.set_text(false);
        self.lean = false;
        if std::mem::take(&mut self.annotated) {
            self.annotate();
        }
    }

    /// Writes the analysis into the dissection (once), if the loop runs the analysis.
    pub fn annotate(&mut self) {
        if !self.annotated
            && let Some(fa) = self.fa
        {
            annotate(fa, self.d);
            self.annotated = true;
        }
    }
}

/// How the loop ended.
pub struct Outcome {
    /// Frames read.
    pub frames: u64,
    /// The damage that ended reading early, if any.
    pub error: Option<CaptureError>,
}

/// How many bytes of a file are read between releases of the pages behind.
const RELEASE_EVERY: u64 = 8 << 20;

/// Frames per batch handed to a dissecting thread, and the most captured bytes one may hold
/// (the batches in flight keep their pages of the file resident).
const BATCH: usize = 8192;
const BATCH_BYTES: usize = 2 << 20;

/// How many threads dissect for [`for_each_matching`] and [`write_lines`]: every core (`PKTLAB_THREADS=N`
/// overrides; 1 keeps everything on the calling thread).
fn dissect_threads() -> usize {
    std::env::var("PKTLAB_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
        .clamp(1, 16)
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
}

impl<'f> Reader<'f> {
    fn new(file: &'f CaptureFile) -> Self {
        Reader { records: file.records(), number: 0, error: None, times: FrameTimes::default() }
    }

    /// Replaces `recs` with the next BATCH records or BATCH_BYTES captured bytes (fewer at
    /// the end of the file or before damage); false when there are none.
    fn fill(&mut self, recs: &mut Vec<Rec<'f>>) -> bool {
        recs.clear();
        let mut bytes = 0usize;
        while recs.len() < BATCH && bytes < BATCH_BYTES && self.error.is_none() {
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
fn in_order<B, W>(threads: usize, mut fill: impl FnMut(&mut B) -> bool, worker: impl Fn() -> W + Sync, mut take: impl FnMut(&mut B) -> anyhow::Result<bool>) -> anyhow::Result<bool>
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

/// The per-frame details [`Frame`] carries, shared by both loops.
struct Clock {
    nanos_pcap: Option<bool>,
    first_ts: Option<i128>,
}

impl Clock {
    fn new(file: &CaptureFile) -> Self {
        let nanos_pcap = match file.format() {
            Format::Pcap { nanos, .. } => Some(nanos),
            Format::Pcapng => None,
        };
        Clock { nanos_pcap, first_ts: None }
    }

    /// (digits after the decimal point, first frame's time) for a frame.
    fn frame(&mut self, meta: &FrameMeta) -> (u8, i128) {
        let first = *self.first_ts.get_or_insert_with(|| meta.ts.map(|t| t.as_nanos()).unwrap_or(0));
        let digits = match (self.nanos_pcap, meta.ts) {
            (Some(true), _) => 9,
            (Some(false), _) => 6,
            // pcapng: the record does not say its interface's resolution; a timestamp with
            // sub-microsecond digits comes from a nanosecond interface.
            (None, Some(t)) if t.nanos % 1000 != 0 => 9,
            (None, _) => 6,
        };
        (digits, first)
    }
}

/// Hands one frame to the callback (annotated first if `annotate`); Ok(false) when it asks
/// to stop.
fn hand(f: &mut impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>, frame: &mut Frame, annotate: bool) -> anyhow::Result<bool> {
    if annotate {
        frame.annotate();
    }
    match f(frame) {
        Ok(ControlFlow::Continue(())) => Ok(true),
        Ok(ControlFlow::Break(())) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e).with_context(|| "writing output"),
    }
}

/// Runs `f` on every frame of `path` until it breaks or the file ends.
pub fn for_each(path: &Path, opts: LoopOpts, mut f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> anyhow::Result<Outcome> {
    let file = CaptureFile::open(path).map_err(anyhow::Error::new)?;
    let mut clock = Clock::new(&file);
    let mut dissector = Dissector::new();
    dissector.set_text(opts.text);
    let mut analyzer = Analyzer::new();
    let mut fa = FrameAnalysis::default();
    let mut d = Dissection::default();
    let mut meta = FrameMeta::default();
    let mut number = 0u64;
    let mut released = 0u64;
    let mut times = FrameTimes::default();
    for rec in file.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return Ok(Outcome { frames: number, error: Some(e) }),
        };
        // Keep resident memory flat on big files: drop the pages already read.
        if rec.file_offset >= released + RELEASE_EVERY {
            file.release_before(rec.file_offset);
            released = rec.file_offset;
        }
        number += 1;
        meta.number = number;
        meta.ts = rec.ts;
        meta.orig_len = rec.orig_len;
        meta.interface_id = rec.interface_id;
        meta.link_type = rec.link_type;
        meta.comments.clear();
        meta.comments.extend(rec.comments.iter().map(|c| (*c).to_owned()));
        meta.times = times;
        dissector.dissect(&meta, rec.data, &mut d);
        if opts.analysis {
            analyzer.process_into(&d, rec.data, &meta, &mut fa);
        }
        let fa = opts.analysis.then_some(&fa);
        let mut frame = Frame::new(&meta, rec.data, &mut d, &mut dissector, !opts.text, fa, clock.frame(&meta));
        let go_on = hand(&mut f, &mut frame, opts.annotate)?;
        times.advance(&meta, frame.shown);
        if !go_on {
            break;
        }
    }
    Ok(Outcome { frames: number, error: None })
}

/// Runs `f` on the frames of `path` that `filter` matches, until it breaks or the file ends.
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
pub fn for_each_matching(path: &Path, opts: LoopOpts, filter: &Filter, mut f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> anyhow::Result<Outcome> {
    let threads = dissect_threads();
    let file = CaptureFile::open(path).map_err(anyhow::Error::new)?;
    let mut clock = Clock::new(&file);
    let mut reader = Reader::new(&file);
    let mut master = Dissector::new();
    master.set_text(false);
    let mut analyzer = Analyzer::new();
    let mut fa = FrameAnalysis::default();
    let mut d = Dissection::default();
    let mut inputs: Vec<(usize, Transport)> = Vec::new();
    let mut handled = Handled::new(&file);
    let mut shown: Option<pktlab::dissect::Timestamp> = None;

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

/// Writes one line of text per frame of `path` (per frame `filter` matches), made by the
/// formatters `make` returns, to `out` in file order; `text` says whether the formatter needs
/// the display text, `demand` which fields it and the filter read (workers add only those). The formatter sees only the dissection and the frame's bytes: this is
/// the path for output that needs no conversation analysis (`-T fields` of header fields).
///
/// Dissection and formatting run on every core, a batch of frames per thread; the calling
/// thread writes the batches in order. A frame whose dissection depends on earlier frames
/// ([`Dissection::stateful`]) is dissected and formatted again on the calling thread by a
/// dissector that sees every such frame in order.
pub fn write_lines<F>(path: &Path, filter: Option<&Filter>, demand: &Demand, text: bool, make: impl Fn() -> F + Sync, out: &mut impl Write) -> anyhow::Result<Outcome>
where
    F: FnMut(&Dissection, &[u8], &mut String),
{
    let threads = dissect_threads();
    let mut line = String::with_capacity(512);
    let file = CaptureFile::open(path).map_err(anyhow::Error::new)?;
    let mut reader = Reader::new(&file);
    let mut master = Dissector::new();
    master.set_text(text);
    let mut format = make();
    let mut d = Dissection::default();
    let mut handled = Handled::new(&file);
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
                    Err(e) => return Err(e).context("writing output"),
                }
            }
            Ok(true)
    },
    )?;
    Ok(Outcome { frames: handled.last, error: if stopped { None } else { reader.error } })
}

/// Stdout, locked and buffered.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::with_capacity(1 << 16, io::stdout().lock())
}

/// Flushes `out`, treating a closed pipe (`| head`) as success.
pub fn finish_output(out: &mut impl Write) -> anyhow::Result<()> {
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e).context("writing output"),
        _ => Ok(()),
    }
}

/// A relative or absolute time in nanoseconds as tshark prints it: seconds, a dot and
/// `digits` fractional digits (truncated), with a minus sign when negative.
pub fn secs(nanos: i128, digits: u8) -> String {
    let neg = nanos < 0;
    let n = nanos.unsigned_abs();
    let (s, frac) = (n / 1_000_000_000, n % 1_000_000_000);
    let frac = if digits >= 9 { frac } else { frac / 10u128.pow(9 - digits as u32) };
    format!("{}{}.{:0w$}", if neg { "-" } else { "" }, s, frac, w = digits as usize)
}

/// The closest known names to `name` (for "did you mean"), best first.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let dist = edit_distance(name, c);
        let limit = (name.len() / 3).max(2);
        if dist <= limit && best.is_none_or(|(b, _)| dist < b) {
            best = Some((dist, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_truncated_to_the_precision() {
        assert_eq!(secs(1_132_627_999, 6), "1.132627");
        assert_eq!(secs(13_961_447, 9), "0.013961447");
        assert_eq!(secs(-1_500_000_000, 6), "-1.500000");
    }

    #[test]
    fn suggests_the_nearest_name() {
        let names = ["tcp.port", "tcp.srcport", "udp.port"];
        assert_eq!(suggest("tcp.prot", names.iter().copied()), Some("tcp.port"));
        assert_eq!(suggest("zzzzzzzz", names.iter().copied()), None);
    }
}
