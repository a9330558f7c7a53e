//! Wireshark display filters over dissected fields. (Being written: see issue 3.)
//!
//! API contract used by the CLI, the TUI, lessons and live capture:
//! `Filter::compile(text)` → `Result<Filter, FilterError>`; `filter.matches(&dissection, frame)`.

use crate::dissect::Dissection;
use std::fmt;

/// A compiled display filter.
#[derive(Debug, Clone)]
pub struct Filter {
    text: String,
}

/// Why a filter did not compile, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// 1-based column (in characters) where the problem starts.
    pub column: usize,
    /// Length in characters of the offending part (at least 1).
    pub len: usize,
    pub message: String,
    /// A "did you mean" suggestion, e.g. `tcp.port` for `tcp.prot`.
    pub suggestion: Option<String>,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean \"{s}\"?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for FilterError {}

impl Filter {
    pub fn compile(text: &str) -> Result<Filter, FilterError> {
        Err(FilterError {
            column: 1,
            len: text.chars().count().max(1),
            message: "display filters are not available yet".into(),
            suggestion: None,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, _d: &Dissection, _frame: &[u8]) -> bool {
        false
    }
}
