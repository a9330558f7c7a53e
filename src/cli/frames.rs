//! The frame loop every headless subcommand shares: read a capture record by record, dissect
//! each frame into one reused [`Dissection`], run the conversation analysis in frame order
//! and hand the result to a callback. A damaged file yields every good frame first; the
//! [`CaptureError`] comes back in [`Outcome`] for the caller to report after its output.

use anyhow::Context as _;
use pktlab::analysis::{Analyzer, FrameAnalysis, annotate};
use pktlab::capture::{CaptureError, CaptureFile, Format};
use pktlab::dissect::{Dissection, Dissector, FrameMeta};
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
}

/// One frame as the callback sees it.
pub struct Frame<'a> {
    pub meta: &'a FrameMeta,
    pub data: &'a [u8],
    d: &'a mut Dissection,
    annotated: bool,
    /// The analysis of the frame (None with `analysis: false`).
    pub fa: Option<&'a FrameAnalysis>,
    /// Digits after the decimal point tshark shows for this frame's times (6 or 9).
    pub ts_digits: u8,
    /// Timestamp of the capture's first frame in nanoseconds since the epoch (0 when that
    /// frame had none, as tshark counts it), the reference for relative times.
    pub first_ts: i128,
}

impl Frame<'_> {
    /// The frame's dissection.
    pub fn d(&self) -> &Dissection {
        self.d
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

/// Runs `f` on every frame of `path` until it breaks or the file ends.
pub fn for_each(path: &Path, opts: LoopOpts, mut f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> anyhow::Result<Outcome> {
    let file = CaptureFile::open(path).map_err(anyhow::Error::new)?;
    let nanos_pcap = match file.format() {
        Format::Pcap { nanos, .. } => Some(nanos),
        Format::Pcapng => None,
    };
    let mut dissector = Dissector::new();
    let mut analyzer = Analyzer::new();
    let mut d = Dissection::default();
    let mut meta = FrameMeta::default();
    let mut number = 0u64;
    let mut first_ts: Option<i128> = None;
    let mut released = 0u64;
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
        let first = *first_ts.get_or_insert_with(|| rec.ts.map(|t| t.as_nanos()).unwrap_or(0));
        dissector.dissect(&meta, rec.data, &mut d);
        let fa = if opts.analysis { Some(analyzer.process(&d, rec.data, &meta)) } else { None };
        let ts_digits = match (nanos_pcap, rec.ts) {
            (Some(true), _) => 9,
            (Some(false), _) => 6,
            // pcapng: the record does not say its interface's resolution; a timestamp with
            // sub-microsecond digits comes from a nanosecond interface.
            (None, Some(t)) if t.nanos % 1000 != 0 => 9,
            (None, _) => 6,
        };
        let mut frame = Frame { meta: &meta, data: rec.data, d: &mut d, annotated: false, fa: fa.as_ref(), ts_digits, first_ts: first };
        if opts.annotate {
            frame.annotate();
        }
        match f(&mut frame) {
            Ok(ControlFlow::Continue(())) => {}
            Ok(ControlFlow::Break(())) => break,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => break,
            Err(e) => return Err(e).with_context(|| "writing output"),
        }
    }
    Ok(Outcome { frames: number, error: None })
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
