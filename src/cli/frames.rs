//! The CLI's side of the frame pipeline ([`pktlab::pipeline`]): the loops on a path, stdout
//! and the small helpers every subcommand's output shares.

use anyhow::Context as _;
use pktlab::capture::CaptureFile;
use pktlab::capture::follow::Follower;
use pktlab::capture::spool::Spool;
use pktlab::dissect::{Demand, Dissection};
use pktlab::filter::Filter;
use pktlab::pipeline;
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::AtomicBool;

pub use pktlab::pipeline::{Frame, LoopOpts, Outcome};

fn open(path: &Path) -> anyhow::Result<CaptureFile> {
    CaptureFile::open(path).map_err(anyhow::Error::new)
}

/// Whether `path` names standard input (`-`, as tshark and tcpdump take it).
pub fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// Standard input copied into a temporary file as it arrives, and a follower that reads it
/// until the stream ends (`tcpdump -w - | pktlab dissect -`).
pub fn stdin_spool() -> anyhow::Result<(Spool, Follower)> {
    Ok(Spool::start(io::stdin(), "stdin", &std::env::temp_dir())?)
}

/// [`pipeline::for_each`] on the capture at `path` (`-`: standard input).
pub fn for_each(path: &Path, opts: LoopOpts, f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> anyhow::Result<Outcome> {
    for_each_flushing(path, opts, f, || Ok(()))
}

/// [`for_each`], running `idle` whenever standard input has nothing more for the moment (the
/// time to flush what was written, so a reader of a live stream sees it).
pub fn for_each_flushing(path: &Path, opts: LoopOpts, f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>, idle: impl FnMut() -> io::Result<()>) -> anyhow::Result<Outcome> {
    if !is_stdin(path) {
        return Ok(pipeline::for_each(&open(path)?, opts, f)?);
    }
    let (spool, mut follower) = stdin_spool()?;
    let mut outcome = pipeline::for_each_followed(&mut follower, &AtomicBool::new(false), opts, f, idle)?;
    outcome.error = outcome.error.map(|e| spool.rename(e));
    if let Some(why) = spool.failure() {
        anyhow::bail!("reading stdin: {why}");
    }
    Ok(outcome)
}

/// [`pipeline::for_each_matching`] on the capture at `path`; standard input is read in order
/// on this thread (the same frames, one core).
pub fn for_each_matching(path: &Path, opts: LoopOpts, filter: &Filter, mut f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> anyhow::Result<Outcome> {
    if !is_stdin(path) {
        return Ok(pipeline::for_each_matching(&open(path)?, opts, filter, f)?);
    }
    let keep = |fr: &mut Frame| {
        if !filter.matches(fr.d(), fr.data) {
            fr.shown = false;
            return Ok(ControlFlow::Continue(()));
        }
        f(fr)
    };
    for_each(path, opts, keep)
}

/// [`pipeline::for_each_matching_analysed`] on the capture file at `path` (not standard
/// input, which [`for_each_flushing`] reads in order).
pub fn for_each_matching_analysed(path: &Path, opts: LoopOpts, filter: &Filter, f: impl FnMut(&mut Frame) -> io::Result<ControlFlow<()>>) -> anyhow::Result<Outcome> {
    Ok(pipeline::for_each_matching_analysed(&open(path)?, opts, filter, f)?)
}

/// [`pipeline::write_lines`] on the capture at `path`; standard input is read in order on
/// this thread, and what was written is flushed whenever the stream pauses.
pub fn write_lines<F>(path: &Path, filter: Option<&Filter>, demand: &Demand, text: bool, make: impl Fn() -> F + Sync, out: &mut impl Write) -> anyhow::Result<Outcome>
where
    F: FnMut(&Dissection, &[u8], &mut String),
{
    if !is_stdin(path) {
        return Ok(pipeline::write_lines(&open(path)?, filter, demand, text, make, out)?);
    }
    let mut format = make();
    let mut line = String::with_capacity(512);
    let out = std::cell::RefCell::new(out);
    let each = |fr: &mut Frame| {
        if filter.is_some_and(|flt| !flt.matches(fr.d(), fr.data)) {
            fr.shown = false;
            return Ok(ControlFlow::Continue(()));
        }
        line.clear();
        format(fr.d(), fr.data, &mut line);
        out.borrow_mut().write_all(line.as_bytes())?;
        Ok(ControlFlow::Continue(()))
    };
    for_each_flushing(path, LoopOpts { analysis: false, annotate: false, text, hidden: true, columns: true }, each, || out.borrow_mut().flush())
}

/// [`pipeline::write_frames`] on the capture at `path` (not standard input: it is read in
/// order by [`for_each_flushing`]).
pub fn write_frames<F>(path: &Path, opts: LoopOpts, limit: u64, demand: Option<&Demand>, make: impl Fn() -> F + Sync, out: &mut (impl Write + Send)) -> anyhow::Result<Outcome>
where
    F: FnMut(&mut Frame, &mut String),
{
    Ok(pipeline::write_frames(&open(path)?, opts, limit, demand, make, out)?)
}

/// Stdout, locked and buffered.
pub fn stdout() -> io::BufWriter<io::Stdout> {
    io::BufWriter::with_capacity(1 << 16, io::stdout())
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
    if digits == 0 {
        // (Whole seconds: no point, as Wireshark writes them.)
        return format!("{}{}", if neg { "-" } else { "" }, s);
    }
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

/// Sets the `-d` ("decode as") rules for every dissector of this run; a bad rule is an error
/// that says which and why.
pub fn decode_as(rules: &[String]) -> anyhow::Result<()> {
    let parsed = rules.iter().map(|r| pktlab::dissect::dispatch::DecodeAs::parse(r).map_err(anyhow::Error::msg)).collect::<anyhow::Result<Vec<_>>>()?;
    pktlab::dissect::dispatch::set_decode_as(parsed);
    Ok(())
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
