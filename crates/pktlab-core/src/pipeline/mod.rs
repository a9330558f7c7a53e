//! The frame pipeline: read a capture record by record, number each frame and give it its
//! time references, dissect it, run the TCP/UDP analysis in frame order and hand the result
//! on. Every reader of frames (the CLI's subcommands, the TUI's background passes, lessons,
//! tests) goes through here, so a frame means the same thing everywhere.
//!
//! - [`Sequence`] is the in-order stage, one record at a time: for callers that get their
//!   records elsewhere (a file still being written, followed by
//!   [`crate::capture::follow::Follower`]).
//! - [`for_each_followed`] runs a callback on every frame of a file that is still growing
//!   (a live capture, a stream spooled by [`crate::capture::spool::Spool`]).
//! - [`for_each`] runs a callback on every frame of a file; [`for_each_matching`] on the frames
//!   a display filter keeps, with the filter's look at every frame spread over every core;
//!   [`write_lines`] makes one line of text per frame on every core and writes them in order;
//!   [`write_frames`] does the same with the analysis in frame order between dissection and
//!   text (`-V`, `-T json`).
//!
//! A damaged file yields every good frame first; the [`CaptureError`] comes back in
//! [`Outcome`] for the caller to report after its output. The only error is the callback's
//! own ([`OutputError`]); a closed pipe (`| head`) ends the loop quietly.

mod threads;

pub use threads::{for_each_matching, for_each_matching_analysed, write_frames, write_lines};

use crate::analysis::{Analyzer, FrameAnalysis, annotate};
use crate::capture::follow::{End, Event, Follower, Step};
use crate::capture::{CaptureError, CaptureFile, Format, Record};
use crate::dissect::{Dissection, Dissector, FrameMeta, FrameTimes};
use std::fmt;
use std::io;
use std::ops::ControlFlow;
use std::sync::atomic::AtomicBool;

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
    /// Add hidden fields (`ip.addr`, `tcp.port`, `eth.src_resolved`). A reader that only
    /// draws the tree (`-V`) leaves them out: see [`crate::dissect::Dissector::set_hidden`].
    pub hidden: bool,
    /// Write the Info and address columns: see [`crate::dissect::Dissector::set_columns`].
    pub columns: bool,
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

    /// The frame's dissection, for a layer above the engine to add its own fields (game
    /// message framing).
    pub fn d_mut(&mut self) -> &mut Dissection {
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

    /// [`Frame::annotate`] of a frame dissected with the analysis's [`Additions`]: what its
    /// dissector put in place is finished ([`finish_placed`]), else the analysis is inserted.
    ///
    /// [`Additions`]: crate::dissect::Additions
    /// [`finish_placed`]: crate::analysis::annotate::finish_placed
    fn annotate_placed(&mut self) {
        if !self.annotated
            && let Some(fa) = self.fa
            && crate::analysis::annotate::finish_placed(fa, self.d)
        {
            self.annotated = true;
        }
        self.annotate();
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
#[derive(Debug)]
pub struct Outcome {
    /// Frames read.
    pub frames: u64,
    /// The damage that ended reading early, if any.
    pub error: Option<CaptureError>,
}

/// The callback (or the writer) failed; a closed pipe is not an error.
#[derive(Debug)]
pub struct OutputError(pub io::Error);

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "writing output: {}", self.0)
    }
}

// (The I/O error's text is in the message already: as the source too, a report of the
// chain said it twice — `writing output: No space left on device …: No space left on
// device …`.)
impl std::error::Error for OutputError {}

/// How many bytes of a file are read between releases of the pages behind.
const RELEASE_EVERY: u64 = 8 << 20;

/// The in-order stage of the pipeline, one record at a time: numbers the record (from 1),
/// gives it the time references of the frames before it (`frame.time_delta`,
/// `frame.time_delta_displayed`), dissects it into one reused [`Dissection`] and, when asked,
/// runs the TCP/UDP analysis. A frame counts as displayed unless [`Sequence::hide`] says
/// otherwise before the next record.
pub struct Sequence {
    dissector: Dissector,
    analyzer: Option<Analyzer>,
    meta: FrameMeta,
    d: Dissection,
    fa: FrameAnalysis,
    times: FrameTimes,
    shown: bool,
}

impl Sequence {
    /// A sequence that dissects every frame with display text, and analyses it if `analysis`.
    pub fn new(analysis: bool) -> Sequence {
        Sequence {
            dissector: Dissector::new(),
            analyzer: analysis.then(Analyzer::new),
            meta: FrameMeta::default(),
            d: Dissection::default(),
            fa: FrameAnalysis::default(),
            times: FrameTimes::default(),
            shown: true,
        }
    }

    /// The dissector, to set what it makes (`set_text`, `set_demand`).
    pub fn dissector_mut(&mut self) -> &mut Dissector {
        &mut self.dissector
    }

    /// Takes `rec` as the next frame.
    pub fn push(&mut self, rec: &Record<'_>) {
        if self.meta.number > 0 {
            self.times.advance(&self.meta, self.shown);
        }
        self.shown = true;
        let number = self.meta.number + 1;
        self.meta.number = number;
        self.meta.ts = rec.ts;
        self.meta.orig_len = rec.orig_len;
        self.meta.interface_id = rec.interface_id;
        // (The same interface's description is shared, not cloned, frame after frame.)
        match (&self.meta.interface, &rec.interface) {
            (Some(a), Some(b)) if std::sync::Arc::ptr_eq(a, b) => {}
            _ => self.meta.interface = rec.interface.clone(),
        }
        self.meta.link_type = rec.link_type;
        self.meta.comments.clear();
        self.meta.comments.extend(rec.comments.iter().map(|c| (*c).to_owned()));
        self.meta.times = self.times;
        self.dissector.dissect(&self.meta, rec.data, &mut self.d);
        if let Some(a) = &mut self.analyzer {
            a.process_into(&self.d, rec.data, &self.meta, &mut self.fa);
        }
    }

    /// The last frame was not displayed (a filter dropped it): the next frame's
    /// `frame.time_delta_displayed` counts from the one shown before.
    pub fn hide(&mut self) {
        self.shown = false;
    }

    /// Frames taken so far (the last frame's number).
    pub fn frames(&self) -> u64 {
        self.meta.number
    }

    /// The last frame's facts.
    pub fn meta(&self) -> &FrameMeta {
        &self.meta
    }

    /// The last frame's dissection.
    pub fn dissection(&self) -> &Dissection {
        &self.d
    }

    /// The last frame's dissection, to annotate or take.
    pub fn dissection_mut(&mut self) -> &mut Dissection {
        &mut self.d
    }

    /// The last frame's analysis (None without the analysis).
    pub fn analysis(&self) -> Option<&FrameAnalysis> {
        self.analyzer.as_ref().map(|_| &self.fa)
    }

    /// The last frame's facts, dissection (to annotate or change) and analysis at once.
    pub fn last_mut(&mut self) -> (&FrameMeta, &mut Dissection, Option<&FrameAnalysis>) {
        let fa = self.analyzer.as_ref().map(|_| &self.fa);
        (&self.meta, &mut self.d, fa)
    }

    /// Writes the last frame's analysis into its dissection.
    pub fn annotate(&mut self) {
        if self.analyzer.is_some() {
            annotate(&self.fa, &mut self.d);
        }
    }

    /// The last frame as a callback sees it; `lean` when the dissector makes no display text.
    fn frame<'a>(&'a mut self, data: &'a [u8], lean: bool, times: (u8, i128)) -> Frame<'a> {
        let fa = self.analyzer.as_ref().map(|_| &self.fa);
        Frame::new(&self.meta, data, &mut self.d, &mut self.dissector, lean, fa, times)
    }
}

/// The per-frame details [`Frame`] carries, shared by the loops.
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
        let digits = match self.nanos_pcap {
            Some(true) => 9,
            Some(false) => 6,
            // pcapng: its interface's resolution (`if_tsresol`, microseconds by default).
            None => meta.interface.as_ref().and_then(|i| i.ts_digits).unwrap_or(6),
        };
        (digits, first)
    }
}

/// Hands one frame to the callback (annotated first if `annotate`); Ok(false) when it asks
/// to stop or its pipe closed.
fn hand(f: &mut impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>, frame: &mut Frame, annotate: bool) -> Result<bool, OutputError> {
    if annotate {
        frame.annotate();
    }
    match f(frame) {
        Ok(ControlFlow::Continue(())) => Ok(true),
        Ok(ControlFlow::Break(())) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(OutputError(e)),
    }
}

/// Runs `f` on every frame of `file`, in order, until it breaks or the file ends.
pub fn for_each(file: &CaptureFile, opts: LoopOpts, mut f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> Result<Outcome, OutputError> {
    let mut clock = Clock::new(file);
    let mut seq = Sequence::new(opts.analysis);
    seq.dissector_mut().set_text(opts.text);
    seq.dissector_mut().set_hidden(opts.hidden);
    seq.dissector_mut().set_columns(opts.columns);
    let mut released = 0u64;
    for rec in file.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return Ok(Outcome { frames: seq.frames(), error: Some(e) }),
        };
        // Keep resident memory flat on big files: drop the pages already read.
        if rec.file_offset >= released + RELEASE_EVERY {
            file.release_before(rec.file_offset);
            released = rec.file_offset;
        }
        seq.push(&rec);
        let times = clock.frame(seq.meta());
        let mut frame = seq.frame(rec.data, !opts.text, times);
        let go_on = hand(&mut f, &mut frame, opts.annotate)?;
        if !frame.shown {
            seq.hide();
        }
        if !go_on {
            break;
        }
    }
    Ok(Outcome { frames: seq.frames(), error: None })
}

/// Runs `f` on every frame `follower` walks (a live capture still being written, a stream
/// being spooled), in order, until it breaks, `cancel` is set or the walk ends. `idle` runs
/// whenever the walk has read everything written so far and waits for more: the moment to
/// flush output a reader is watching.
pub fn for_each_followed(
    follower: &mut Follower,
    cancel: &AtomicBool,
    opts: LoopOpts,
    mut f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>,
    mut idle: impl FnMut() -> io::Result<()>,
) -> Result<Outcome, OutputError> {
    let mut clock = Clock::new(follower.file());
    let mut seq = Sequence::new(opts.analysis);
    seq.dissector_mut().set_text(opts.text);
    seq.dissector_mut().set_hidden(opts.hidden);
    seq.dissector_mut().set_columns(opts.columns);
    let mut failed = None;
    let end = follower.walk(cancel, |ev| {
        let Event::Record(_, rec, _) = ev else {
            return match idle() {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Step::Stop,
                Err(e) => {
                    failed = Some(OutputError(e));
                    Step::Stop
                }
                Ok(()) => Step::Continue,
            };
        };
        seq.push(rec);
        let times = clock.frame(seq.meta());
        let mut frame = seq.frame(rec.data, !opts.text, times);
        let handed = hand(&mut f, &mut frame, opts.annotate);
        let shown = frame.shown;
        if !shown {
            seq.hide();
        }
        match handed {
            Ok(true) => Step::Continue,
            Ok(false) => Step::Stop,
            Err(e) => {
                failed = Some(e);
                Step::Stop
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    Ok(Outcome { frames: seq.frames(), error: if let End::Damaged(e) = end { Some(e) } else { None } })
}

/// How many threads dissect for [`for_each_matching`], [`write_lines`] and [`write_frames`]:
/// every core (`PKTLAB_THREADS=N` overrides; 1 keeps everything on the calling thread).
fn dissect_threads() -> usize {
    std::env::var("PKTLAB_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
        .clamp(1, 16)
}

#[cfg(test)]
mod tests;
