//! pktlab: capture or replay packets, dissect them through the OSI layers field by field,
//! and explain them in Korean.
//!
//! This crate is the terminal UI; the `pktlab` binary adds the CLI. Everything below it is
//! its own crate, and the compiler keeps the dependencies pointing one way:
//! `pktlab-core` (capture, dissect, analysis, filter, fields) knows nothing above it;
//! `pktlab-explain`, `pktlab-game`, `pktlab-lessons` and `pktlab-live` build on the core;
//! the TUI and the CLI compose them. They are re-exported here under their short names.

pub use pktlab_core::{analysis, capture, dissect, filter, pipeline};
pub use pktlab_explain as explain;
pub use pktlab_game as game;
pub use pktlab_lessons as lessons;
pub use pktlab_live as live;

pub mod tui;

/// The field registry with the game framing's fixed fields registered (see
/// [`pktlab_core::fields`]).
pub mod fields {
    pub use pktlab_core::fields::*;
    use pktlab_core::dissect::FieldDef;

    /// Looks a field up by its Wireshark name, game framing fields included.
    pub fn by_name(name: &str) -> Option<&'static FieldDef> {
        crate::game::register_fields();
        pktlab_core::fields::by_name(name)
    }

    /// Every known field, game framing fields included.
    pub fn all() -> Vec<&'static FieldDef> {
        crate::game::register_fields();
        pktlab_core::fields::all()
    }
}
