//! Capture sources: reading pcap/pcapng files (and, later, live interfaces).
//!
//! Knows nothing of dissection, the TUI or lessons. A file is memory-mapped and read record
//! by record without loading it whole; each [`Record`] borrows its bytes from the map.
//!
//! Contract: reading never panics. A corrupt or truncated file yields every good record
//! before the damage, then one [`CaptureError`] naming the file, the byte offset and what
//! was wrong, and then the iterator ends.

pub mod compressed;
pub mod file;
pub mod follow;
pub mod spool;

pub use compressed::Compression;
pub use file::{CaptureFile, Checkpoint, Format, Record, RecordKind, Records};

use std::fmt;
use std::path::PathBuf;

/// LINKTYPE_* values (tcpdump.org/linktypes.html) pktlab knows by name.
pub mod linktype {
    pub const NULL: u32 = 0;
    pub const ETHERNET: u32 = 1;
    pub const RAW: u32 = 101;
    pub const LOOP: u32 = 108;
    pub const LINUX_SLL: u32 = 113;
    pub const IEEE802_11_RADIOTAP: u32 = 127;
    pub const IPV4: u32 = 228;
    pub const IPV6: u32 = 229;
    pub const LINUX_SLL2: u32 = 276;

    /// A short name for a link type, for messages and the status bar.
    pub fn name(lt: u32) -> &'static str {
        match lt {
            NULL => "BSD loopback (NULL)",
            ETHERNET => "Ethernet",
            RAW => "Raw IP",
            LOOP => "OpenBSD loopback",
            LINUX_SLL => "Linux cooked (SLL)",
            IEEE802_11_RADIOTAP => "802.11 + radiotap",
            IPV4 => "Raw IPv4",
            IPV6 => "Raw IPv6",
            LINUX_SLL2 => "Linux cooked v2 (SLL2)",
            _ => "unknown link type",
        }
    }
}

/// What went wrong reading a capture, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureError {
    /// The file (or a name for an in-memory buffer).
    pub path: PathBuf,
    /// Byte offset in the file where the problem was found.
    pub offset: u64,
    pub kind: CaptureErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureErrorKind {
    /// The file could not be opened or mapped.
    Io(String),
    /// Neither a pcap nor a pcapng magic number.
    UnknownFormat { magic: [u8; 4] },
    /// The file ends inside a header or a record: `needed` bytes were announced, `available` remain.
    Truncated { what: &'static str, needed: u64, available: u64 },
    /// A header field holds an impossible value.
    Invalid { what: &'static str, detail: String },
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: at byte {}: ", self.path.display(), self.offset)?;
        match &self.kind {
            CaptureErrorKind::Io(e) => write!(f, "{e}"),
            CaptureErrorKind::UnknownFormat { magic } => write!(
                f,
                "not a pcap or pcapng file (magic number {:02x}{:02x}{:02x}{:02x})",
                magic[0], magic[1], magic[2], magic[3]
            ),
            CaptureErrorKind::Truncated { what, needed, available } => write!(
                f,
                "file cut short in {what}: {needed} bytes needed, only {available} left"
            ),
            CaptureErrorKind::Invalid { what, detail } => write!(f, "invalid {what}: {detail}"),
        }
    }
}

impl std::error::Error for CaptureError {}
