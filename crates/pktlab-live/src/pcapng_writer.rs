//! A pcapng writer for live captures: one Section Header Block, one Interface Description
//! Block per interface (link type, snaplen, `if_name`, `if_tsresol` = 9 so timestamps are
//! nanoseconds), then Enhanced Packet Blocks, and on [`PcapngWriter::finish`] one Interface
//! Statistics Block per interface with the received and dropped counts.
//!
//! Contract: the file is readable at every flush point — blocks are written whole and the
//! buffer is flushed at least every [`FLUSH_EVERY_PACKETS`] packets or [`FLUSH_INTERVAL`],
//! whichever comes first, so a capture killed hard loses at most that much. Little-endian
//! byte order (the SHB's byte-order magic says so).

use crate::dissect::model::Timestamp;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Flush after this many packets even if the interval has not passed.
pub const FLUSH_EVERY_PACKETS: u64 = 4096;
/// Flush at least this often while packets arrive.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(1);

const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 0x0000_0001;
const EPB: u32 = 0x0000_0006;
const ISB: u32 = 0x0000_0005;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

const OPT_END: u16 = 0;
const OPT_COMMENT: u16 = 1;
const SHB_USERAPPL: u16 = 4;
const IF_NAME: u16 = 2;
const IF_TSRESOL: u16 = 9;
const ISB_STARTTIME: u16 = 2;
const ISB_ENDTIME: u16 = 3;
const ISB_IFRECV: u16 = 4;
const ISB_IFDROP: u16 = 5;

/// One interface as recorded in its IDB.
#[derive(Clone, Debug)]
pub struct Interface {
    pub name: String,
    /// LINKTYPE_* of the frames captured on it.
    pub link_type: u16,
    pub snaplen: u32,
}

/// Final counters of one interface, written as its Interface Statistics Block.
#[derive(Clone, Copy, Debug, Default)]
pub struct InterfaceStats {
    /// Packets the capture received (isb_ifrecv).
    pub received: u64,
    /// Packets lost, kernel and user space together (isb_ifdrop), if known.
    pub dropped: Option<u64>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
}

/// Writing failed; names the file. The cause is the error's `source()`, not repeated in its
/// message (a `{:#}` chain prints it once).
#[derive(Debug, thiserror::Error)]
#[error("writing {}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Writes one pcapng section to a file.
pub struct PcapngWriter {
    out: BufWriter<File>,
    path: PathBuf,
    interfaces: Vec<Interface>,
    written: u64,
    /// Bytes of blocks written (the file's size once flushed).
    bytes: u64,
    unflushed: u64,
    last_flush: Instant,
}

impl PcapngWriter {
    /// Creates (truncates) `path` and writes the SHB and one IDB per interface; packet
    /// blocks name interfaces by their index in `interfaces`.
    pub fn create(path: &Path, interfaces: &[Interface]) -> Result<PcapngWriter, WriteError> {
        let err = |source| WriteError { path: path.to_path_buf(), source };
        let file = File::create(path).map_err(err)?;
        let mut w = PcapngWriter {
            out: BufWriter::with_capacity(1 << 20, file),
            path: path.to_path_buf(),
            interfaces: interfaces.to_vec(),
            written: 0,
            bytes: 0,
            unflushed: 0,
            last_flush: Instant::now(),
        };
        let mut body = Vec::new();
        body.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&(-1i64).to_le_bytes());
        push_option(&mut body, SHB_USERAPPL, concat!("pktlab ", env!("CARGO_PKG_VERSION")).as_bytes());
        push_option(&mut body, OPT_END, &[]);
        w.block(SHB, &body).map_err(err)?;
        for iface in interfaces {
            let mut body = Vec::new();
            body.extend_from_slice(&iface.link_type.to_le_bytes());
            body.extend_from_slice(&0u16.to_le_bytes());
            body.extend_from_slice(&iface.snaplen.to_le_bytes());
            push_option(&mut body, IF_NAME, iface.name.as_bytes());
            push_option(&mut body, IF_TSRESOL, &[9]);
            push_option(&mut body, OPT_END, &[]);
            w.block(IDB, &body).map_err(err)?;
        }
        w.out.flush().map_err(err)?;
        Ok(w)
    }

    /// Appends one packet as an EPB. `interface` indexes the list given to `create`;
    /// `data` is what was captured of a frame `orig_len` bytes long on the wire.
    pub fn write_packet(
        &mut self,
        interface: u32,
        ts: Timestamp,
        data: &[u8],
        orig_len: u32,
    ) -> Result<(), WriteError> {
        let nanos = u64::try_from(ts.as_nanos()).unwrap_or(0);
        let caplen = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let mut head = [0u8; 20];
        head[0..4].copy_from_slice(&interface.to_le_bytes());
        head[4..8].copy_from_slice(&((nanos >> 32) as u32).to_le_bytes());
        head[8..12].copy_from_slice(&(nanos as u32).to_le_bytes());
        head[12..16].copy_from_slice(&caplen.to_le_bytes());
        head[16..20].copy_from_slice(&orig_len.max(caplen).to_le_bytes());
        let pad = pad4(data.len());
        let total = (12 + head.len() + data.len() + pad) as u32;
        let r = (|| {
            self.out.write_all(&EPB.to_le_bytes())?;
            self.out.write_all(&total.to_le_bytes())?;
            self.out.write_all(&head)?;
            self.out.write_all(data)?;
            self.out.write_all(&[0u8; 3][..pad])?;
            self.out.write_all(&total.to_le_bytes())
        })();
        r.map_err(|source| WriteError { path: self.path.clone(), source })?;
        self.written += 1;
        self.bytes += u64::from(total);
        self.unflushed += 1;
        if self.unflushed >= FLUSH_EVERY_PACKETS || self.last_flush.elapsed() >= FLUSH_INTERVAL {
            self.flush()?;
        }
        Ok(())
    }

    /// Pushes buffered blocks to the file (called regularly by `write_packet`; call it on
    /// idle ticks too so a quiet capture is still on disk).
    pub fn flush(&mut self) -> Result<(), WriteError> {
        self.unflushed = 0;
        self.last_flush = Instant::now();
        self.out.flush().map_err(|source| WriteError { path: self.path.clone(), source })
    }

    /// Packets written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Bytes written so far (headers and packets).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes when the interval has passed (for idle ticks of the capture loop).
    pub fn tick(&mut self) -> Result<(), WriteError> {
        if self.unflushed > 0 && self.last_flush.elapsed() >= FLUSH_INTERVAL {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes one ISB per interface (`stats[i]` for interface i; missing ones are skipped),
    /// flushes and syncs the file.
    pub fn finish(mut self, stats: &[InterfaceStats]) -> Result<u64, WriteError> {
        let path = self.path.clone();
        let err = |source| WriteError { path: path.clone(), source };
        for (id, s) in stats.iter().enumerate().take(self.interfaces.len()) {
            let end = s.end.unwrap_or_default();
            let nanos = u64::try_from(end.as_nanos()).unwrap_or(0);
            let mut body = Vec::new();
            body.extend_from_slice(&(id as u32).to_le_bytes());
            body.extend_from_slice(&((nanos >> 32) as u32).to_le_bytes());
            body.extend_from_slice(&(nanos as u32).to_le_bytes());
            if let Some(start) = s.start {
                push_option(&mut body, ISB_STARTTIME, &ts_option(start));
            }
            if let Some(end) = s.end {
                push_option(&mut body, ISB_ENDTIME, &ts_option(end));
            }
            push_option(&mut body, ISB_IFRECV, &s.received.to_le_bytes());
            if let Some(d) = s.dropped {
                push_option(&mut body, ISB_IFDROP, &d.to_le_bytes());
            }
            push_option(&mut body, OPT_COMMENT, b"written by pktlab live");
            push_option(&mut body, OPT_END, &[]);
            self.block(ISB, &body).map_err(err)?;
        }
        self.out.flush().map_err(err)?;
        self.out.get_ref().sync_all().map_err(err)?;
        Ok(self.written)
    }

    fn block(&mut self, kind: u32, body: &[u8]) -> io::Result<()> {
        let total = (12 + body.len() + pad4(body.len())) as u32;
        self.bytes += u64::from(total);
        self.out.write_all(&kind.to_le_bytes())?;
        self.out.write_all(&total.to_le_bytes())?;
        self.out.write_all(body)?;
        self.out.write_all(&[0u8; 3][..pad4(body.len())])?;
        self.out.write_all(&total.to_le_bytes())
    }
}

/// A timestamp option value in the interface's resolution (nanoseconds): high then low word.
fn ts_option(ts: Timestamp) -> [u8; 8] {
    let nanos = u64::try_from(ts.as_nanos()).unwrap_or(0);
    let mut v = [0u8; 8];
    v[0..4].copy_from_slice(&((nanos >> 32) as u32).to_le_bytes());
    v[4..8].copy_from_slice(&(nanos as u32).to_le_bytes());
    v
}

fn pad4(len: usize) -> usize {
    (4 - len % 4) % 4
}

fn push_option(body: &mut Vec<u8>, code: u16, value: &[u8]) {
    body.extend_from_slice(&code.to_le_bytes());
    body.extend_from_slice(&(value.len() as u16).to_le_bytes());
    body.extend_from_slice(value);
    body.extend_from_slice(&[0u8; 3][..pad4(value.len())]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    #[test]
    fn blocks_are_whole_and_lengths_agree() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pcapng");
        let iface = Interface { name: "lo".into(), link_type: 1, snaplen: 262144 };
        let mut w = PcapngWriter::create(&path, &[iface]).unwrap();
        let ts = Timestamp { secs: 1_700_000_000, nanos: 123_456_789 };
        w.write_packet(0, ts, &[1, 2, 3, 4, 5], 60).unwrap();
        w.write_packet(0, ts, &[9; 8], 8).unwrap();
        let stats = InterfaceStats { received: 2, dropped: Some(0), start: Some(ts), end: Some(ts) };
        assert_eq!(w.finish(&[stats]).unwrap(), 2);
        let bytes = std::fs::read(&path).unwrap();
        let mut at = 0;
        let mut kinds = Vec::new();
        while at < bytes.len() {
            let kind = u32_at(&bytes, at);
            let len = u32_at(&bytes, at + 4) as usize;
            assert_eq!(len % 4, 0);
            assert_eq!(u32_at(&bytes, at + len - 4) as usize, len, "trailing length of block at {at}");
            if kind == EPB {
                let nanos = (u64::from(u32_at(&bytes, at + 12)) << 32) | u64::from(u32_at(&bytes, at + 16));
                assert_eq!(nanos, 1_700_000_000_123_456_789);
            }
            kinds.push(kind);
            at += len;
        }
        assert_eq!(kinds, vec![SHB, IDB, EPB, EPB, ISB]);
        let shb_len = u32_at(&bytes, 4) as usize;
        let first_epb = shb_len + u32_at(&bytes, shb_len + 4) as usize;
        assert_eq!(u32_at(&bytes, first_epb + 20), 5, "caplen of first packet");
        assert_eq!(u32_at(&bytes, first_epb + 24), 60, "original length of first packet");
    }
}
