//! Test helpers: frames cut from the public captures with the project's capture reader.

use super::{Dissection, Dissector};
use crate::capture::CaptureFile;
use std::path::PathBuf;

pub fn public(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/captures/public")).join(name);
    p.exists().then_some(p)
}

/// Dissects every frame of a public capture; None (and a message) when it is absent.
pub fn dissect_all(name: &str) -> Option<Vec<(Vec<u8>, Dissection)>> {
    let Some(path) = public(name) else {
        eprintln!("../shared/captures/public/{name} absent: skipped");
        return None;
    };
    let file = CaptureFile::open(&path).ok()?;
    let mut dis = Dissector::new();
    let mut out = Vec::new();
    for (i, rec) in file.records().enumerate() {
        let Ok(rec) = rec else { break };
        let meta = rec.meta(i as u64 + 1);
        let mut d = Dissection::default();
        dis.dissect(&meta, rec.data, &mut d);
        out.push((rec.data.to_vec(), d));
    }
    Some(out)
}

/// `-T fields`-style cell of the first occurrence.
pub fn first(frame: &(Vec<u8>, Dissection), abbrev: &str) -> String {
    super::format::cells(&frame.1, &frame.0, abbrev, super::format::Occurrence::First)
}
