//! The loops agree with each other and with a plain record-by-record reading.

use super::*;
use crate::dissect::format;
use crate::fields;
use std::path::Path;

fn open(name: &str) -> CaptureFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../captures").join(name);
    CaptureFile::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Frame number, Info, the analysis' stream and the displayed-time delta of every frame.
fn rows(file: &CaptureFile, filter: Option<&Filter>) -> Vec<String> {
    let stream = fields::by_name("tcp.stream").unwrap();
    let delta = fields::by_name("frame.time_delta_displayed").unwrap();
    let mut out = Vec::new();
    let opts = LoopOpts { analysis: true, annotate: true, text: true, hidden: true, columns: true };
    let mut each = |f: &mut Frame| {
        let keep = filter.is_none_or(|flt| flt.matches(f.d(), f.data));
        if keep {
            let d = f.d();
            let cell = |def| d.find(def).map(|x| format::cell(d, f.data, x)).collect::<Vec<_>>().join(",");
            out.push(format!("{} {} {} {}", f.meta.number, d.info, cell(stream), cell(delta)));
        } else {
            f.shown = false;
        }
        Ok(ControlFlow::Continue(()))
    };
    let outcome = match filter {
        Some(flt) => for_each_matching(file, opts, flt, &mut each),
        None => for_each(file, opts, &mut each),
    };
    let outcome = outcome.unwrap();
    assert!(outcome.error.is_none());
    out
}

use crate::filter::Filter;

#[test]
fn the_threaded_filter_loop_gives_what_the_plain_loop_gives() {
    let file = open("bulk-loss.pcap");
    let flt = Filter::compile("tcp.len > 0 && tcp.flags.push == 1").unwrap();
    let threaded = rows(&file, Some(&flt));
    // The same filter applied by the callback of the plain loop.
    let mut plain = Vec::new();
    let stream = fields::by_name("tcp.stream").unwrap();
    let delta = fields::by_name("frame.time_delta_displayed").unwrap();
    for_each(&file, LoopOpts { analysis: true, annotate: true, text: true, hidden: true, columns: true }, |f| {
        if flt.matches(f.d(), f.data) {
            let d = f.d();
            let cell = |def| d.find(def).map(|x| format::cell(d, f.data, x)).collect::<Vec<_>>().join(",");
            plain.push(format!("{} {} {} {}", f.meta.number, d.info, cell(stream), cell(delta)));
        } else {
            f.shown = false;
        }
        Ok(ControlFlow::Continue(()))
    })
    .unwrap();
    assert!(threaded.len() > 10, "{threaded:?}");
    assert_eq!(threaded, plain);
    // Hidden frames do not count for the displayed delta: it differs from the captured one.
    let all = rows(&file, None);
    assert!(all.len() > threaded.len());
}

#[test]
fn the_sequence_numbers_frames_and_keeps_their_time_references() {
    let file = open("handshake.pcap");
    let mut seq = Sequence::new(true);
    let mut firsts = Vec::new();
    for rec in file.records() {
        seq.push(&rec.unwrap());
        let m = seq.meta();
        firsts.push((m.number, m.times.first.is_some() == (m.number > 1), seq.analysis().is_some()));
    }
    assert!(firsts.len() >= 3);
    assert!(firsts.iter().enumerate().all(|(i, (n, times, fa))| *n == i as u64 + 1 && *times && *fa));
    // The same frames through for_each carry the same references.
    let mut via_loop = Vec::new();
    for_each(&file, LoopOpts { analysis: false, annotate: false, text: false, hidden: true, columns: true }, |f| {
        via_loop.push(f.meta.times);
        Ok(ControlFlow::Continue(()))
    })
    .unwrap();
    assert_eq!(via_loop.len(), firsts.len());
    assert_eq!(via_loop.last().copied(), Some(seq.meta().times));
}

#[test]
fn write_lines_writes_one_line_per_kept_frame_in_order() {
    let file = open("bulk-loss.pcap");
    let flt = Filter::compile("tcp.len > 0").unwrap();
    let number = fields::by_name("frame.number").unwrap();
    let mut demand = flt.demand();
    demand.add(number);
    let make = || move |d: &Dissection, data: &[u8], out: &mut String| {
        for x in d.find(number) {
            out.push_str(&format::cell(d, data, x));
        }
        out.push('\n');
    };
    let mut out = Vec::new();
    let outcome = write_lines(&file, Some(&flt), &demand, false, make, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let numbers: Vec<u64> = text.lines().map(|l| l.parse().unwrap()).collect();
    assert!(numbers.len() > 10);
    assert!(numbers.windows(2).all(|w| w[0] < w[1]));
    assert!(numbers.last().copied().unwrap() <= outcome.frames);
}

#[test]
fn a_callback_error_comes_back_and_a_closed_pipe_does_not() {
    let file = open("handshake.pcap");
    let opts = LoopOpts { analysis: false, annotate: false, text: false, hidden: true, columns: true };
    let err = for_each(&file, opts, |_| Err(io::Error::other("disk full"))).unwrap_err();
    assert_eq!(err.to_string(), "writing output: disk full");
    let mut seen = 0;
    let ok = for_each(&file, opts, |_| {
        seen += 1;
        Err(io::Error::from(io::ErrorKind::BrokenPipe))
    })
    .unwrap();
    assert_eq!((seen, ok.frames), (1, 1));
}

/// A frame dissected with the analysis's additions put in place by its dissector
/// ([`crate::dissect::Dissector::dissect_adding`], then `finish_placed`) is the frame
/// dissected and then annotated: the same fields and values in the same order, the same
/// layer ranges, expert items (in order, on the same fields), Info and summaries. On every
/// capture of the project and the public ones when at hand, with everything on and with
/// `-V`'s reader (no hidden fields, no columns).
#[test]
fn additions_put_in_place_give_what_annotate_inserts() {
    use crate::analysis::annotate::{additions, annotate, finish_placed};
    use crate::dissect::{Additions, Dissection, Dissector};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    for dir in [root.join("captures"), root.join("captures/app"), root.join("../shared/captures/public")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("{}: absent, skipped", dir.display());
            continue;
        };
        paths.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng")));
    }
    paths.sort();
    let (mut placed, mut inserted) = (0u64, 0u64);
    for path in &paths {
        let Ok(file) = CaptureFile::open(path) else { continue };
        for (hidden, columns) in [(true, true), (false, false)] {
            let mut second = Dissector::new();
            second.set_hidden(hidden);
            second.set_columns(columns);
            let (mut adds, mut d) = (Additions::default(), Dissection::default());
            let opts = LoopOpts { analysis: true, annotate: true, text: true, hidden, columns };
            let _ = for_each(&file, opts, |f| {
                let Some(fa) = f.fa else { return Ok(ControlFlow::Continue(())) };
                let adding = additions(fa, &mut adds);
                second.dissect_adding(f.meta, f.data, &mut d, adding.then_some(&mut adds));
                if finish_placed(fa, &mut d) {
                    placed += 1;
                } else {
                    annotate(fa, &mut d);
                    inserted += 1;
                }
                d.placed = None;
                assert_eq!(format!("{d:?}"), format!("{:?}", f.d()), "{} frame {}", path.display(), f.meta.number);
                Ok(ControlFlow::Continue(()))
            });
        }
    }
    // Most frames have their analysis put in place; the rest (no TCP/UDP, quoted headers,
    // cut headers, tunnels) have it inserted.
    eprintln!("{placed} frames with the analysis put in place, {inserted} inserted");
    assert!(placed > 2000 && inserted > 100, "{placed} placed, {inserted} inserted");
}
