//! The terminal UI. (Being written: see issue 4.)
