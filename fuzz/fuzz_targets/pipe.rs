//! Captures on a pipe: arbitrary bytes arrive on a stream (plain, or behind a gzip or zstd
//! magic), are spooled into a temporary file and followed to the end, every frame dissected
//! and analysed in order, as `cat x | pktlab dissect -` does.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::capture::follow::{Event, Step};
use pktlab::capture::spool::Spool;
use pktlab::pipeline::Sequence;
use std::sync::atomic::AtomicBool;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir();
    let Ok((spool, mut follower)) = Spool::start(std::io::Cursor::new(data.to_vec()), "stdin", &dir) else { return };
    let mut seq = Sequence::new(true);
    let _ = follower.walk(&AtomicBool::new(false), |ev| {
        if let Event::Record(_, rec, _) = ev {
            seq.push(rec);
            seq.annotate();
        }
        Step::Continue
    });
    drop(spool);
});
