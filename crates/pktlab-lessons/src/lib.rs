//! Lesson packs: the format, the parser, the checker and the learner's progress.
//!
//! A pack is a directory holding `pack.toml` (format version, title, lesson order) and one
//! TOML file per lesson (see `lessons/README.md`). A lesson is a list of steps; a step names
//! a capture, a frame, optionally a field (Wireshark's name) and a filter, carries Korean
//! text, may state facts (`expect`, display filters the frame must match) and may ask a
//! question whose answer [`check`] proves against the capture.
//!
//! Layering: this module reads files and captures and uses the dissector, the analysis and
//! the filter engine; it knows nothing of the TUI.

#[allow(unused_imports)]
use pktlab_core::{analysis, capture, dissect, fields, filter, pipeline};

pub mod answer;
pub mod builtin;
pub mod check;
pub mod formula;
pub mod glossary;
pub mod loaded;
pub mod model;
pub mod parse;
pub mod progress;
pub mod report;
pub mod scaffold;
pub mod session;
pub mod source;

pub use check::{CheckSummary, check, check_source};
pub use loaded::LoadedCapture;
pub use model::{Lesson, Pack, PackText, Question, QuestionKind, Step, Term, TextMode};
pub use parse::load_pack;
pub use progress::{LessonProgress, Progress, ProgressError};
pub use session::{Feedback, Session};
pub use source::{DirSource, EmbeddedSource, PackSource};

use std::fmt;

/// One problem found in a pack: `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as shown to the user (the pack directory joined with the file's name).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file (it could not be read).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

/// The 1-based line of byte offset `at` in `text`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    text.as_bytes().get(..end).map(|b| b.iter().filter(|&&c| c == b'\n').count() + 1).unwrap_or(1)
}
