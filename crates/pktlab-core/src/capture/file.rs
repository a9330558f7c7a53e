//! pcap and pcapng files over a memory map.
//!
//! [`CaptureFile::open`] maps the file read-only; [`CaptureFile::records`] walks it record by
//! record, each [`Record`] borrowing its bytes from the map, so a file of any size is read
//! without being loaded whole and memory never depends on what a header *claims*.
//!
//! Formats: classic pcap (magic a1b2c3d4 µs, a1b23c4d ns, either byte order, and the
//! "modified" a1b2cd34 variant with 24-byte record headers) and pcapng (several sections of
//! either byte order; interface description, enhanced, simple and obsolete packet blocks;
//! per-interface link type, `if_tsresol` and `if_tsoffset`; `opt_comment` on packets; custom
//! blocks, which tshark 4.0 shows as frames of plain data; every other block skipped).
//!
//! Contract: reading never panics. At the first damage the iterator yields one
//! [`CaptureError`] naming the file, the byte offset and the problem, then ends; every record
//! before it has been yielded.

use super::{CaptureError, CaptureErrorKind};
use crate::dissect::model::{FrameMeta, InterfaceInfo, Timestamp};
use std::sync::Arc;
use std::path::{Path, PathBuf};

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
    /// pcapng: the interface's section, name and description.
    pub interface: Option<Arc<InterfaceInfo>>,
    /// LINKTYPE of the record's interface (None for custom blocks).
    pub link_type: Option<u32>,
    /// Byte offset of the record's header in the file (for messages).
    pub file_offset: u64,
    /// Byte offset of the captured bytes in the file: `file.bytes()[data_offset..][..data.len()]`
    /// is `data`, so an index of frames need not copy packet bytes.
    pub data_offset: u64,
    /// Packet comments (pcapng opt_comment), as written.
    pub comments: Vec<&'a str>,
}

impl Record<'_> {
    /// The record's facts for the dissector, as frame `number` (1-based).
    pub fn meta(&self, number: u64) -> FrameMeta {
        FrameMeta {
            number,
            ts: self.ts,
            orig_len: self.orig_len,
            interface_id: self.interface_id,
            interface: self.interface.clone(),
            link_type: self.link_type,
            comments: self.comments.iter().map(|c| (*c).to_owned()).collect(),
            times: Default::default(),
        }
    }
}

/// The container format of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pcap {
        /// Nanosecond timestamps (magic a1b23c4d).
        nanos: bool,
        big_endian: bool,
        /// The a1b2cd34 variant with 24-byte record headers.
        modified: bool,
        version: (u16, u16),
        snaplen: u32,
        link_type: u32,
    },
    Pcapng,
}

impl Format {
    /// A short description for the status bar and messages.
    pub fn describe(&self) -> String {
        match self {
            Format::Pcap { nanos, big_endian, modified, link_type, .. } => format!(
                "pcap{}{}{}, {}",
                if *modified { " (modified)" } else { "" },
                if *nanos { " ns" } else { " µs" },
                if *big_endian { " big-endian" } else { "" },
                super::linktype::name(*link_type)
            ),
            Format::Pcapng => "pcapng".to_string(),
        }
    }
}

enum Storage {
    Map(memmap2::Mmap),
    Owned(Vec<u8>),
}

/// How a file was compressed, and the damage its compressed stream had, if any.
type Inflated = (super::Compression, Option<String>);

/// An open capture file.
pub struct CaptureFile {
    path: PathBuf,
    storage: Storage,
    format: Format,
    /// How the file was compressed, and the damage its compressed stream had, if any.
    compression: Option<Inflated>,
}

const PCAP_HEADER_LEN: usize = 24;
const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 1;
const PB_OBSOLETE: u32 = 2;
const SPB: u32 = 3;
const EPB: u32 = 6;
const CB_COPY: u32 = 0x0000_0BAD;
const CB_NOCOPY: u32 = 0x4000_0BAD;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

impl CaptureFile {
    /// Opens and memory-maps a capture, reading its file header.
    pub fn open(path: &Path) -> Result<CaptureFile, CaptureError> {
        let io = |e: std::io::Error| CaptureError {
            path: path.to_path_buf(),
            offset: 0,
            kind: CaptureErrorKind::Io(e.to_string()),
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let storage = if len == 0 {
            Storage::Owned(Vec::new())
        } else {
            // SAFETY (the one unsafe block of the crate): the map is read-only and private to
            // this process. If another process truncates the file while it is mapped, reads
            // of the vanished pages raise SIGBUS; every mmap-based reader (tshark's included)
            // shares that limit, and it is the price of opening a 1 GB capture in a second.
            #[allow(unsafe_code)]
            let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
            Storage::Map(map)
        };
        Self::with_storage(path.to_path_buf(), storage)
    }

    /// A capture held in memory (tests, lesson packs compiled into the binary). `name` is used
    /// in messages.
    pub fn from_bytes(name: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<CaptureFile, CaptureError> {
        Self::with_storage(name.into(), Storage::Owned(bytes))
    }

    fn with_storage(path: PathBuf, storage: Storage) -> Result<CaptureFile, CaptureError> {
        let (storage, compression) = match &storage {
            Storage::Map(m) => Self::inflated(m),
            Storage::Owned(v) => Self::inflated(v),
        }
        .map_or((storage, None), |(bytes, c)| (Storage::Owned(bytes), Some(c)));
        let mut file = CaptureFile { path, storage, format: Format::Pcapng, compression };
        file.format = file.read_format()?;
        Ok(file)
    }

    /// A gzip or zstd file's inflated bytes, with its compression and damage.
    fn inflated(bytes: &[u8]) -> Option<(Vec<u8>, Inflated)> {
        let c = super::Compression::detect(bytes)?;
        let (data, damage) = super::compressed::inflate(bytes, c);
        Some((data, (c, damage)))
    }

    /// How the file on disk is compressed (its records are read inflated).
    pub fn compression(&self) -> Option<super::Compression> {
        self.compression.as_ref().map(|(c, _)| *c)
    }

    fn err(&self, offset: usize, kind: CaptureErrorKind) -> CaptureError {
        // Records that stop short in a damaged compressed stream stop because of the damage.
        let kind = match (&self.compression, kind) {
            (Some((_, Some(damage))), CaptureErrorKind::Truncated { .. }) => {
                CaptureErrorKind::Invalid { what: "the compressed stream", detail: damage.clone() }
            }
            (_, kind) => kind,
        };
        CaptureError { path: self.path.clone(), offset: offset as u64, kind }
    }

    fn read_format(&self) -> Result<Format, CaptureError> {
        let b = self.bytes();
        let Some(magic) = b.get(..4) else {
            return Err(self.err(
                0,
                CaptureErrorKind::Truncated { what: "the file header", needed: 4, available: b.len() as u64 },
            ));
        };
        let magic: [u8; 4] = [magic[0], magic[1], magic[2], magic[3]];
        let le = u32::from_le_bytes(magic);
        let be = u32::from_be_bytes(magic);
        if le == SHB {
            return Ok(Format::Pcapng);
        }
        let (big_endian, m) = match (le, be) {
            (0xA1B2_C3D4 | 0xA1B2_3C4D | 0xA1B2_CD34, _) => (false, le),
            (_, 0xA1B2_C3D4 | 0xA1B2_3C4D | 0xA1B2_CD34) => (true, be),
            _ => return Err(self.err(0, CaptureErrorKind::UnknownFormat { magic })),
        };
        let Some(h) = b.get(..PCAP_HEADER_LEN) else {
            return Err(self.err(
                0,
                CaptureErrorKind::Truncated {
                    what: "the pcap file header",
                    needed: PCAP_HEADER_LEN as u64,
                    available: b.len() as u64,
                },
            ));
        };
        let r = Rd { b: h, be: big_endian };
        Ok(Format::Pcap {
            nanos: m == 0xA1B2_3C4D,
            big_endian,
            modified: m == 0xA1B2_CD34,
            version: (r.u16(4), r.u16(6)),
            snaplen: r.u32(16),
            // Bits 16-31 carry the FCS length and reserved bits (pcap draft, "LinkType").
            link_type: r.u32(20) & 0xFFFF,
        })
    }

    /// The whole file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.storage {
            Storage::Map(m) => m,
            Storage::Owned(v) => v,
        }
    }

    /// Tells the kernel the mapped pages before `offset` are no longer needed, so reading a
    /// file from start to end keeps the process's resident memory small whatever the file's
    /// size. Bytes already handed out stay readable: the next access reads them from the file
    /// again. A no-op for in-memory captures.
    pub fn release_before(&self, offset: u64) {
        let Storage::Map(map) = &self.storage else { return };
        let page = 4096usize;
        let end = (offset as usize).min(map.len()) / page * page;
        if end == 0 {
            return;
        }
        // SAFETY: the map is a private, read-only mapping of a file (never written through).
        // MADV_DONTNEED on such pages only drops them from this process; the next access
        // faults them in again from the file with the same contents, so every slice borrowed
        // from the map keeps reading the same bytes. (The one way to see other bytes is
        // another process rewriting the file, which `open` already documents for any map.)
        #[allow(unsafe_code)]
        let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, 0, end) };
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// All records in file order.
    pub fn records(&self) -> Records<'_> {
        let pos = match self.format {
            Format::Pcap { .. } => PCAP_HEADER_LEN,
            Format::Pcapng => 0,
        };
        Records { file: self, pos, done: false, be: false, ifaces: Vec::new(), section: 0 }
    }

    /// Records from a point an earlier walk reached ([`Records::checkpoint`]), possibly over a
    /// newer map of the same file that has grown since (a capture still being written).
    pub fn records_from(&self, at: &Checkpoint) -> Records<'_> {
        Records { file: self, pos: at.pos, done: false, be: at.be, ifaces: at.ifaces.clone(), section: at.section }
    }
}

/// Where a walk over a file stands, with the section state needed to go on from there.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    pos: usize,
    be: bool,
    ifaces: Vec<Iface>,
    section: u32,
}

impl Checkpoint {
    /// Byte offset of the next record.
    pub fn position(&self) -> u64 {
        self.pos as u64
    }
}

/// Reads integers of one byte order out of a slice whose length the caller checked.
#[derive(Clone, Copy)]
struct Rd<'a> {
    b: &'a [u8],
    be: bool,
}

impl Rd<'_> {
    fn u16(&self, at: usize) -> u16 {
        let x = [self.byte(at), self.byte(at + 1)];
        if self.be { u16::from_be_bytes(x) } else { u16::from_le_bytes(x) }
    }
    fn u32(&self, at: usize) -> u32 {
        let x = [self.byte(at), self.byte(at + 1), self.byte(at + 2), self.byte(at + 3)];
        if self.be { u32::from_be_bytes(x) } else { u32::from_le_bytes(x) }
    }
    fn u64(&self, at: usize) -> u64 {
        let (hi, lo) = if self.be { (self.u32(at), self.u32(at + 4)) } else { (self.u32(at + 4), self.u32(at)) };
        (u64::from(hi) << 32) | u64::from(lo)
    }
    /// Out-of-range reads give 0; callers check lengths first, this only keeps panics impossible.
    fn byte(&self, at: usize) -> u8 {
        self.b.get(at).copied().unwrap_or(0)
    }
}

/// Timestamp resolution of a pcapng interface (`if_tsresol`).
#[derive(Clone, Copy, Debug)]
enum TsResol {
    /// Units of 10^-n seconds.
    Dec(u8),
    /// Units of 2^-n seconds.
    Bin(u8),
}

impl TsResol {
    /// The digits after the second a time in these units has, as Wireshark counts them
    /// (from its units per second: 10^9 or more, nine; 10^6 or more, six; ...), at most nine.
    fn digits(self) -> u8 {
        match self {
            TsResol::Dec(n) => n.min(9),
            // 2^n units per second: the number of decimal digits of 2^n, less one.
            TsResol::Bin(n) => ((f64::from(n.min(63)) * std::f64::consts::LOG10_2).floor() as u8).min(9),
        }
    }

    fn to_timestamp(self, units: u64, offset_secs: i64) -> Timestamp {
        let (secs, nanos) = match self {
            TsResol::Dec(n) => {
                let per_sec = 10u64.checked_pow(u32::from(n)).unwrap_or(u64::MAX);
                let secs = units / per_sec;
                let frac = u128::from(units % per_sec);
                (secs, (frac * 1_000_000_000 / u128::from(per_sec)) as u32)
            }
            TsResol::Bin(n) => {
                if n >= 64 {
                    (0, ((u128::from(units) * 1_000_000_000) >> n.min(127)) as u32)
                } else {
                    let secs = units >> n;
                    let frac = u128::from(units & ((1u64 << n) - 1));
                    (secs, ((frac * 1_000_000_000) >> n) as u32)
                }
            }
        };
        Timestamp { secs: (secs as i64).saturating_add(offset_secs), nanos }
    }
}

#[derive(Clone, Debug)]
struct Iface {
    link_type: u32,
    snaplen: u32,
    resol: TsResol,
    offset_secs: i64,
    info: Arc<InterfaceInfo>,
}

/// Iterator over records; yields `Err` once at the first damage, then ends.
pub struct Records<'a> {
    file: &'a CaptureFile,
    pos: usize,
    done: bool,
    /// pcapng: byte order of the current section.
    be: bool,
    /// pcapng: interfaces of the current section.
    ifaces: Vec<Iface>,
    /// pcapng: sections seen so far (the current one's number, 1-based).
    section: u32,
}

impl<'a> Records<'a> {
    /// Byte offset where the next record starts.
    pub fn position(&self) -> u64 {
        self.pos as u64
    }

    /// The walk's state after the last record yielded, to resume with
    /// [`CaptureFile::records_from`]. Taken after an error (for instance a record the writer
    /// has not finished), it points at the start of a record cut short, so a later walk over
    /// a longer file reads it whole.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint { pos: self.pos, be: self.be, ifaces: self.ifaces.clone(), section: self.section }
    }

    fn fail(&mut self, offset: usize, kind: CaptureErrorKind) -> Option<Result<Record<'a>, CaptureError>> {
        self.done = true;
        Some(Err(self.file.err(offset, kind)))
    }

    fn next_pcap(&mut self, nanos: bool, be: bool, modified: bool, link_type: u32) -> Option<Result<Record<'a>, CaptureError>> {
        let b = self.file.bytes();
        let start = self.pos;
        let rest = b.get(start..).unwrap_or(&[]);
        if rest.is_empty() {
            return None;
        }
        let hlen = if modified { 24 } else { 16 };
        if rest.len() < hlen {
            return self.fail(
                start,
                CaptureErrorKind::Truncated {
                    what: "a record header",
                    needed: hlen as u64,
                    available: rest.len() as u64,
                },
            );
        }
        let r = Rd { b: rest, be };
        let secs = r.u32(0);
        let frac = r.u32(4);
        let caplen = r.u32(8);
        let orig_len = r.u32(12);
        let avail = (rest.len() - hlen) as u64;
        if u64::from(caplen) > avail {
            return self.fail(
                start,
                CaptureErrorKind::Truncated { what: "a packet record", needed: u64::from(caplen), available: avail },
            );
        }
        let data_start = start + hlen;
        let data = &b[data_start..data_start + caplen as usize];
        self.pos = data_start + caplen as usize;
        let nanos = if nanos { frac } else { frac.saturating_mul(1000) };
        Some(Ok(Record {
            kind: RecordKind::Packet,
            data,
            orig_len,
            ts: Some(Timestamp { secs: i64::from(secs), nanos }),
            interface_id: None,
            interface: None,
            link_type: Some(link_type),
            file_offset: start as u64,
            data_offset: data_start as u64,
            comments: Vec::new(),
        }))
    }

    fn next_pcapng(&mut self) -> Option<Result<Record<'a>, CaptureError>> {
        let b: &'a [u8] = self.file.bytes();
        loop {
            let start = self.pos;
            let rest = b.get(start..).unwrap_or(&[]);
            if rest.is_empty() {
                return None;
            }
            if rest.len() < 12 {
                return self.fail(
                    start,
                    CaptureErrorKind::Truncated { what: "a pcapng block header", needed: 12, available: rest.len() as u64 },
                );
            }
            let raw_type = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
            if raw_type == SHB {
                // The byte-order magic decides how this section (and this block's lengths) read.
                let bom = [rest[8], rest[9], rest[10], rest[11]];
                self.be = if u32::from_le_bytes(bom) == BYTE_ORDER_MAGIC {
                    false
                } else if u32::from_be_bytes(bom) == BYTE_ORDER_MAGIC {
                    true
                } else {
                    return self.fail(
                        start + 8,
                        CaptureErrorKind::Invalid {
                            what: "section header block",
                            detail: format!("byte-order magic {:02x}{:02x}{:02x}{:02x}", bom[0], bom[1], bom[2], bom[3]),
                        },
                    );
                };
                self.ifaces.clear();
                self.section += 1;
            }
            let r = Rd { b: rest, be: self.be };
            let btype = r.u32(0);
            let total = r.u32(4) as usize;
            if total < 12 || !total.is_multiple_of(4) {
                return self.fail(
                    start + 4,
                    CaptureErrorKind::Invalid {
                        what: "pcapng block length",
                        detail: format!("{total} (must be a multiple of 4, at least 12) in block type 0x{btype:08x}"),
                    },
                );
            }
            if total > rest.len() {
                return self.fail(
                    start,
                    CaptureErrorKind::Truncated {
                        what: "a pcapng block",
                        needed: total as u64,
                        available: rest.len() as u64,
                    },
                );
            }
            let trailer = r.u32(total - 4) as usize;
            if trailer != total {
                return self.fail(
                    start + total - 4,
                    CaptureErrorKind::Invalid {
                        what: "pcapng block",
                        detail: format!(
                            "the two lengths disagree ({total} at the start, {trailer} at the end) in block type 0x{btype:08x}"
                        ),
                    },
                );
            }
            let body = &rest[8..total - 4];
            let body_off = start + 8;
            self.pos = start + total;
            match btype {
                SHB => {}
                IDB => match self.parse_idb(body, body_off) {
                    Ok(i) => self.ifaces.push(i),
                    Err(e) => return self.fail(e.0, e.1),
                },
                EPB | PB_OBSOLETE => return Some(self.packet_block(btype, body, body_off, start)),
                SPB => return Some(self.simple_block(body, body_off, start)),
                CB_COPY | CB_NOCOPY => {
                    // tshark 4.0: a frame whose bytes are the block body after the PEN.
                    let data = body.get(4..).unwrap_or(&[]);
                    return Some(Ok(Record {
                        kind: RecordKind::Custom,
                        data,
                        orig_len: data.len() as u32,
                        ts: None,
                        interface_id: None,
                        interface: None,
                        link_type: None,
                        file_offset: start as u64,
                        data_offset: (body_off + 4.min(body.len())) as u64,
                        comments: Vec::new(),
                    }));
                }
                _ => {}
            }
        }
    }

    fn parse_idb(&self, body: &[u8], body_off: usize) -> Result<Iface, (usize, CaptureErrorKind)> {
        if body.len() < 8 {
            return Err((
                body_off,
                CaptureErrorKind::Truncated {
                    what: "an interface description block",
                    needed: 8,
                    available: body.len() as u64,
                },
            ));
        }
        let r = Rd { b: body, be: self.be };
        let mut info = InterfaceInfo { section: self.section.max(1), ..InterfaceInfo::default() };
        let mut iface = Iface { link_type: u32::from(r.u16(0)), snaplen: r.u32(4), resol: TsResol::Dec(6), offset_secs: 0, info: Arc::default() };
        let text = |v: &[u8]| String::from_utf8_lossy(v).trim_end_matches('\0').to_owned();
        for (code, val, _) in Options::new(body.get(8..).unwrap_or(&[]), self.be) {
            match code {
                2 => info.name = Some(text(val)),
                3 => info.description = Some(text(val)),
                9 if !val.is_empty() => {
                    let v = val[0];
                    iface.resol = if v & 0x80 != 0 { TsResol::Bin(v & 0x7F) } else { TsResol::Dec(v) };
                }
                14 if val.len() >= 8 => iface.offset_secs = Rd { b: val, be: self.be }.u64(0) as i64,
                _ => {}
            }
        }
        info.ts_digits = Some(iface.resol.digits());
        iface.info = Arc::new(info);
        Ok(iface)
    }

    fn iface(&self, id: u32, at: usize) -> Result<Iface, (usize, CaptureErrorKind)> {
        // (The message is made only for a block that names no interface: every packet
        // block passes here.)
        self.ifaces.get(id as usize).cloned().ok_or_else(|| {
            (
                at,
                CaptureErrorKind::Invalid {
                    what: "packet block",
                    detail: format!(
                        "interface id {id}, but the section describes {} interface{}",
                        self.ifaces.len(),
                        if self.ifaces.len() == 1 { "" } else { "s" }
                    ),
                },
            )
        })
    }

    fn packet_block(&mut self, btype: u32, body: &'a [u8], body_off: usize, start: usize) -> Result<Record<'a>, CaptureError> {
        let result = (|| {
            if body.len() < 20 {
                return Err((
                    body_off,
                    CaptureErrorKind::Truncated {
                        what: if btype == EPB { "an enhanced packet block" } else { "a packet block" },
                        needed: 20,
                        available: body.len() as u64,
                    },
                ));
            }
            let r = Rd { b: body, be: self.be };
            let id = if btype == EPB { r.u32(0) } else { u32::from(r.u16(0)) };
            let iface = self.iface(id, body_off)?;
            let units = (u64::from(r.u32(4)) << 32) | u64::from(r.u32(8));
            let caplen = r.u32(12) as usize;
            let orig_len = r.u32(16);
            let avail = body.len() - 20;
            if caplen > avail {
                return Err((
                    body_off + 12,
                    CaptureErrorKind::Invalid {
                        what: "packet block",
                        detail: format!("captured length {caplen} exceeds the {avail} bytes the block holds"),
                    },
                ));
            }
            let data = &body[20..20 + caplen];
            let padded = (caplen + 3) & !3;
            let mut comments = Vec::new();
            for (code, val, _) in Options::new(body.get(20 + padded..).unwrap_or(&[]), self.be) {
                if code == 1
                    && let Ok(s) = std::str::from_utf8(val)
                {
                    comments.push(s.trim_end_matches('\0'));
                }
            }
            Ok(Record {
                kind: RecordKind::Packet,
                data,
                orig_len,
                ts: Some(iface.resol.to_timestamp(units, iface.offset_secs)),
                interface_id: Some(id),
                interface: Some(iface.info.clone()),
                link_type: Some(iface.link_type),
                file_offset: start as u64,
                data_offset: (body_off + 20) as u64,
                comments,
            })
        })();
        result.map_err(|(at, kind)| {
            self.done = true;
            self.file.err(at, kind)
        })
    }

    fn simple_block(&mut self, body: &'a [u8], body_off: usize, start: usize) -> Result<Record<'a>, CaptureError> {
        let result = (|| {
            if body.len() < 4 {
                return Err((
                    body_off,
                    CaptureErrorKind::Truncated { what: "a simple packet block", needed: 4, available: body.len() as u64 },
                ));
            }
            let iface = self.iface(0, body_off)?;
            let orig_len = Rd { b: body, be: self.be }.u32(0);
            let mut caplen = (body.len() - 4).min(orig_len as usize);
            if iface.snaplen != 0 {
                caplen = caplen.min(iface.snaplen as usize);
            }
            Ok(Record {
                kind: RecordKind::Packet,
                data: &body[4..4 + caplen],
                orig_len,
                ts: None,
                interface_id: Some(0),
                interface: Some(iface.info.clone()),
                link_type: Some(iface.link_type),
                file_offset: start as u64,
                data_offset: (body_off + 4) as u64,
                comments: Vec::new(),
            })
        })();
        result.map_err(|(at, kind)| {
            self.done = true;
            self.file.err(at, kind)
        })
    }
}

/// pcapng options: (code, value, offset of the option in the slice). Stops at opt_endofopt or
/// at the first option that does not fit.
struct Options<'a> {
    b: &'a [u8],
    pos: usize,
    be: bool,
}

impl<'a> Options<'a> {
    fn new(b: &'a [u8], be: bool) -> Self {
        Options { b, pos: 0, be }
    }
}

impl<'a> Iterator for Options<'a> {
    type Item = (u16, &'a [u8], usize);
    fn next(&mut self) -> Option<Self::Item> {
        let at = self.pos;
        let head = self.b.get(at..at + 4)?;
        let r = Rd { b: head, be: self.be };
        let code = r.u16(0);
        let len = r.u16(2) as usize;
        if code == 0 {
            return None;
        }
        let val = self.b.get(at + 4..at + 4 + len)?;
        self.pos = at + 4 + ((len + 3) & !3);
        Some((code, val, at))
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, CaptureError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = match self.file.format {
            Format::Pcap { nanos, big_endian, modified, link_type, .. } => self.next_pcap(nanos, big_endian, modified, link_type),
            Format::Pcapng => self.next_pcapng(),
        };
        if item.is_none() {
            self.done = true;
        }
        item
    }
}


#[cfg(test)]
mod tests {
    use super::TsResol;

    /// The digits after the second of `if_tsresol` units, as Wireshark's time column shows
    /// them: from the units per second (2^10 = 1024 of them: milliseconds), at most nine.
    #[test]
    fn timestamp_digits_follow_the_units_per_second() {
        for (resol, digits) in [(TsResol::Dec(6), 6), (TsResol::Dec(9), 9), (TsResol::Dec(3), 3), (TsResol::Dec(0), 0), (TsResol::Dec(12), 9)] {
            assert_eq!(resol.digits(), digits, "{resol:?}");
        }
        for (n, digits) in [(0, 0), (3, 0), (4, 1), (10, 3), (19, 5), (20, 6), (29, 8), (30, 9), (63, 9), (127, 9)] {
            assert_eq!(TsResol::Bin(n).digits(), digits, "2^-{n}");
            // (As many digits as 2^n has, less one.)
            assert_eq!(u32::from(TsResol::Bin(n).digits()), (2f64.powi(i32::from(n)).log10().floor() as u32).min(9), "2^-{n}");
        }
    }
}
