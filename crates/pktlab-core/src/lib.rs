//! pktlab's engine: capture files, the dissector, TCP/UDP analysis, Wireshark display filters
//! and the field registry. No terminal, CLI or OS-capture dependency: the TUI, the CLI,
//! lessons, explanation texts, game framing and live capture are crates built on this one.
//!
//! Dependencies inside point one way: `capture` reads records; `dissect` turns a record into
//! fields with byte ranges; `analysis` builds on dissected frames; `filter` evaluates
//! dissected fields; `fields` is the one registry of field names they all share.
//!
//! ```no_run
//! use pktlab_core::capture::CaptureFile;
//! use pktlab_core::dissect::Dissector;
//! let file = CaptureFile::open(std::path::Path::new("capture.pcap"))?;
//! # Ok::<(), pktlab_core::capture::CaptureError>(())
//! ```

pub mod analysis;
pub mod capture;
pub mod dissect;
pub mod fields;
pub mod filter;
pub mod pipeline;
