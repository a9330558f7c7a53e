//! pcap and pcapng files over a memory map. (Being written: see issue 2.)
use super::CaptureError;
use crate::dissect::model::Timestamp;
use std::path::Path;

/// An open capture file.
pub struct CaptureFile {
    _private: (),
}

/// What a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// A captured packet (pcap record, pcapng EPB/SPB/obsolete PB).
    Packet,
    /// A pcapng custom block, which tshark 4.0 shows as a frame of plain data.
    Custom,
}

/// One record of the file, borrowing its bytes from the map.
#[derive(Clone, Debug)]
pub struct Record<'a> {
    pub kind: RecordKind,
    /// Captured bytes.
    pub data: &'a [u8],
    /// Length on the wire.
    pub orig_len: u32,
    /// None where the record carries no timestamp (simple packet blocks, custom blocks).
    pub ts: Option<Timestamp>,
    /// pcapng interface id (None for classic pcap and custom blocks).
    pub interface_id: Option<u32>,
    /// LINKTYPE of the record's interface (None for custom blocks).
    pub link_type: Option<u32>,
    /// Byte offset of the record's header in the file (for random access and messages).
    pub file_offset: u64,
    /// Packet comments (pcapng opt_comment), as written.
    pub comments: Vec<&'a str>,
}

/// Iterator over records; yields `Err` once at the first damage, then ends.
pub struct Records<'a> {
    _file: &'a CaptureFile,
}

impl CaptureFile {
    pub fn open(_path: &Path) -> Result<CaptureFile, CaptureError> {
        unimplemented!("capture reader is being written")
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, CaptureError>;
    fn next(&mut self) -> Option<Self::Item> {
        None
    }
}
