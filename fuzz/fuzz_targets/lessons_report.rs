//! The grading report readers (`pktlab lessons report` CSV and JSON) over arbitrary text:
//! never panic, and whatever reads back writes out and reads back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pktlab::lessons::report;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(rows) = report::from_csv(text)
        && rows.iter().all(|r| r.seconds.is_finite())
    {
        let again = report::from_csv(&report::to_csv(&rows)).expect("written CSV reads back");
        assert_eq!(again.len(), rows.len());
    }
    let _ = report::from_json(text);
});
