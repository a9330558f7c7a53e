//! pktlab: capture or replay packets, dissect them through the OSI layers field by field,
//! and explain them in Korean.
//!
//! Dependencies point one way: `capture` and `dissect` know nothing of the TUI or lessons;
//! `analysis` builds on dissected packets; `filter` evaluates dissected fields; `lessons`
//! refer to frames and field names; `tui` and the binary's CLI sit on top and only compose.

pub mod analysis;
pub mod capture;
pub mod dissect;
pub mod explain;
pub mod fields;
pub mod filter;
pub mod game;
pub mod lessons;
pub mod live;
pub mod tui;
