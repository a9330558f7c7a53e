//! Live capture: interfaces, capture backends on their own thread ([`LiveSource`]), capture
//! filters (compiled to BPF for the kernel, or applied in user space), and the pcapng writer.
//!
//! Nothing here dissects or draws: a [`LiveSource`] hands out owned frames and counters,
//! and consumers (the `--no-tui` printer, the TUI) do the rest.

#[allow(unused_imports)]
use pktlab_core::{capture, dissect};

pub mod afpacket;
pub mod bpf;
pub mod capture_filter;
pub mod frame_peek;
pub mod interfaces;
#[cfg(feature = "libpcap")]
pub mod pcap_backend;
pub mod pcapng_writer;
pub mod rotate;
mod ring;
pub mod source;

pub use capture_filter::{CaptureFilter, CaptureFilterError};
pub use source::{BackendKind, FilterPlacement, LiveConfig, LiveError, LiveFrame, LiveSource, LiveStats};
