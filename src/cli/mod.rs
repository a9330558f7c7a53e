//! Subcommands. Each file owns its arguments and its `run`; they only compose library parts.
pub mod demo;
pub mod dissect;
#[cfg(feature = "parquet")]
pub mod export;
pub mod follow;
pub mod frames;
pub mod json;
pub mod lessons;
pub mod live;
pub mod render;
pub mod stats;
pub mod tui;
