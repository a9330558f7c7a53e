//! A capture read whole, every frame dissected and annotated by the TCP/UDP analysis, so
//! lesson steps can be checked against any frame and field.

use crate::capture::{CaptureError, CaptureFile};
use crate::dissect::{Dissection, format};
use crate::pipeline::Sequence;
use crate::fields;
use crate::filter::Filter;

/// One dissected frame.
#[derive(Clone, Debug)]
pub struct LoadedFrame {
    pub data: Vec<u8>,
    pub d: Dissection,
}

/// A whole capture, dissected.
#[derive(Clone, Debug, Default)]
pub struct LoadedCapture {
    pub frames: Vec<LoadedFrame>,
}

impl LoadedCapture {
    /// Reads, dissects and analyses every frame of a capture held in memory.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<LoadedCapture, CaptureError> {
        let file = CaptureFile::from_bytes(name, bytes)?;
        let mut seq = Sequence::new(true);
        let mut frames = Vec::new();
        for rec in file.records() {
            let rec = rec?;
            seq.push(&rec);
            seq.annotate();
            frames.push(LoadedFrame { data: rec.data.to_vec(), d: std::mem::take(seq.dissection_mut()) });
        }
        Ok(LoadedCapture { frames })
    }

    pub fn len(&self) -> u64 {
        self.frames.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// Frame `n` (1-based).
    pub fn frame(&self, n: u64) -> Option<&LoadedFrame> {
        usize::try_from(n).ok().and_then(|n| n.checked_sub(1)).and_then(|i| self.frames.get(i))
    }

    /// Every value of field `abbrev` in frame `n`, as tshark prints them (empty when the
    /// frame or the field is absent).
    pub fn values(&self, n: u64, abbrev: &str) -> Vec<String> {
        let (Some(f), Some(def)) = (self.frame(n), fields::by_name(abbrev)) else { return Vec::new() };
        f.d.find(def).map(|x| format::cell(&f.d, &f.data, x)).collect()
    }

    /// Whether frame `n` matches `filter`.
    pub fn matches(&self, n: u64, filter: &Filter) -> bool {
        self.frame(n).is_some_and(|f| filter.matches(&f.d, &f.data))
    }

    /// The first frame matching `filter`.
    pub fn first_match(&self, filter: &Filter) -> Option<u64> {
        self.frames.iter().position(|f| filter.matches(&f.d, &f.data)).map(|i| i as u64 + 1)
    }
}
