//! Ring-buffer capture files, as dumpcap's `-b` makes them: the capture goes into a series of
//! pcapng files `NAME_00001_YYYYMMDDhhmmss.pcapng`, `NAME_00002_…`, a new one when the current
//! reaches `filesize:KB` (kilobytes of 1000 bytes, as dumpcap counts them) or has been open
//! `duration:SEC`; with `files:N` only the newest N are kept. Every file is a whole pcapng
//! section (its own header and interface blocks), so each opens on its own in Wireshark.
//! Switching files happens between two packets on the writer's thread: no packet is lost at
//! a rotation. Without a spec the writer is one plain file.

use crate::pcapng_writer::{Interface, InterfaceStats, PcapngWriter, WriteError};
use pktlab_core::dissect::Timestamp;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// When to switch files and how many to keep (`-b KEY:VALUE`, repeatable).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RingSpec {
    /// Switch after this many bytes.
    pub filesize: Option<u64>,
    /// Switch after the file has been open this long.
    pub duration: Option<Duration>,
    /// Keep only the newest this many files.
    pub files: Option<usize>,
}

impl RingSpec {
    /// Reads dumpcap's `-b` values: `filesize:KB`, `duration:SEC`, `files:N`.
    pub fn parse(args: &[String]) -> Result<RingSpec, String> {
        let mut spec = RingSpec::default();
        for a in args {
            let (key, value) = a.split_once(':').ok_or_else(|| format!("-b {a}: expected KEY:VALUE (filesize:KB, duration:SEC or files:N)"))?;
            let n: u64 = value.trim().parse().ok().filter(|&n| n > 0).ok_or_else(|| format!("-b {a}: \"{value}\" is not a positive whole number"))?;
            match key.trim() {
                "filesize" => spec.filesize = Some(n.saturating_mul(1000)),
                "duration" => spec.duration = Some(Duration::from_secs(n)),
                "files" => spec.files = Some(usize::try_from(n).unwrap_or(usize::MAX)),
                other => return Err(format!("-b {a}: \"{other}\" is not a ring-buffer setting; valid ones are filesize, duration and files")),
            }
        }
        if spec.files.is_some() && spec.filesize.is_none() && spec.duration.is_none() {
            return Err("-b files:N needs filesize:KB or duration:SEC to say when to switch files".into());
        }
        Ok(spec)
    }

    fn rotates(&self) -> bool {
        self.filesize.is_some() || self.duration.is_some()
    }
}

/// One file of a ring: its path and the packets it holds (None: removed to keep `files:N`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RingFile {
    pub path: PathBuf,
    pub packets: u64,
    pub kept: bool,
}

/// The writer of a capture: one pcapng file, or a ring of them.
pub struct Rotating {
    spec: RingSpec,
    /// `NAME` and `.pcapng` of the `-w` path.
    stem: PathBuf,
    ext: String,
    interfaces: Vec<Interface>,
    cur: PcapngWriter,
    index: u32,
    opened: Instant,
    files: Vec<RingFile>,
    kept: VecDeque<usize>,
    total: u64,
}

impl Rotating {
    /// A writer of `path` (with `spec`, the first file of the ring named after it).
    pub fn create(path: &Path, interfaces: &[Interface], spec: RingSpec) -> Result<Rotating, WriteError> {
        let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_else(|| ".pcapng".into());
        let stem = path.with_extension("");
        let first = if spec.rotates() { ring_name(&stem, &ext, 1, SystemTime::now()) } else { path.to_path_buf() };
        let cur = PcapngWriter::create(&first, interfaces)?;
        Ok(Rotating {
            spec,
            stem,
            ext,
            interfaces: interfaces.to_vec(),
            cur,
            index: 1,
            opened: Instant::now(),
            files: Vec::new(),
            kept: VecDeque::new(),
            total: 0,
        })
    }

    /// The file written now.
    pub fn path(&self) -> &Path {
        self.cur.path()
    }

    /// Appends one packet, switching files first if the current one is full or old enough.
    pub fn write_packet(&mut self, interface: u32, ts: Timestamp, data: &[u8], orig_len: u32) -> Result<(), WriteError> {
        let full = self.spec.filesize.is_some_and(|max| self.cur.written() > 0 && self.cur.bytes() + 32 + data.len() as u64 > max);
        let old = self.spec.duration.is_some_and(|d| self.opened.elapsed() >= d);
        if full || old {
            self.rotate()?;
        }
        self.cur.write_packet(interface, ts, data, orig_len)?;
        self.total += 1;
        Ok(())
    }

    fn rotate(&mut self) -> Result<(), WriteError> {
        self.index += 1;
        let next = PcapngWriter::create(&ring_name(&self.stem, &self.ext, self.index, SystemTime::now()), &self.interfaces)?;
        let done = std::mem::replace(&mut self.cur, next);
        let path = done.path().to_path_buf();
        let packets = done.finish(&[])?;
        self.files.push(RingFile { path, packets, kept: true });
        self.kept.push_back(self.files.len() - 1);
        self.opened = Instant::now();
        // The current file counts as one of the N kept.
        if let Some(max) = self.spec.files {
            while self.kept.len() + 1 > max {
                let Some(i) = self.kept.pop_front() else { break };
                let f = &mut self.files[i];
                std::fs::remove_file(&f.path).map_err(|source| WriteError { path: f.path.clone(), source })?;
                f.kept = false;
            }
        }
        Ok(())
    }

    /// Packets written in all files.
    pub fn written(&self) -> u64 {
        self.total
    }

    pub fn flush(&mut self) -> Result<(), WriteError> {
        self.cur.flush()
    }

    pub fn tick(&mut self) -> Result<(), WriteError> {
        if self.spec.duration.is_some_and(|d| self.opened.elapsed() >= d) && self.cur.written() > 0 {
            self.rotate()?;
        }
        self.cur.tick()
    }

    /// Closes the last file (with the capture's statistics); every file of the capture, in
    /// order, with its packets and whether it was kept.
    pub fn finish(mut self, stats: &[InterfaceStats]) -> Result<(u64, Vec<RingFile>), WriteError> {
        let path = self.cur.path().to_path_buf();
        let packets = self.cur.finish(stats)?;
        self.files.push(RingFile { path, packets, kept: true });
        Ok((self.total, self.files))
    }
}

/// `STEM_00001_YYYYMMDDhhmmss.EXT`, the time in UTC.
fn ring_name(stem: &Path, ext: &str, index: u32, now: SystemTime) -> PathBuf {
    let secs = now.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as i64;
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = pktlab_core::dissect::format::civil(secs);
    let name = format!(
        "{}_{index:05}_{y:04}{m:02}{d:02}{:02}{:02}{:02}{ext}",
        stem.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    stem.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iface() -> Interface {
        Interface { name: "lo".into(), link_type: 1, snaplen: 262_144 }
    }

    #[test]
    fn specs_read_like_dumpcaps() {
        let s = |v: &[&str]| RingSpec::parse(&v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>());
        assert_eq!(s(&["filesize:64", "files:3"]), Ok(RingSpec { filesize: Some(64_000), duration: None, files: Some(3) }));
        assert_eq!(s(&["duration:10"]).unwrap().duration, Some(Duration::from_secs(10)));
        assert!(s(&["files:3"]).unwrap_err().contains("needs filesize"));
        assert!(s(&["size:3"]).unwrap_err().contains("valid ones are filesize, duration and files"));
        assert!(s(&["filesize:0"]).unwrap_err().contains("not a positive whole number"));
        assert!(s(&["filesize"]).unwrap_err().contains("expected KEY:VALUE"));
    }

    #[test]
    fn names_carry_the_index_and_the_utc_time() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_233_404);
        let p = ring_name(Path::new("/tmp/cap"), ".pcapng", 7, t);
        assert_eq!(p, Path::new("/tmp/cap_00007_20261202174324.pcapng"));
    }

    #[test]
    fn a_ring_keeps_the_newest_files_and_every_packet_until_then() {
        let dir = tempfile::tempdir().unwrap();
        let spec = RingSpec { filesize: Some(2_000), duration: None, files: Some(3) };
        let mut w = Rotating::create(&dir.path().join("ring.pcapng"), &[iface()], spec).unwrap();
        let ts = Timestamp { secs: 1_700_000_000, nanos: 0 };
        for i in 0..200u32 {
            w.write_packet(0, ts, &[i as u8; 100], 100).unwrap();
        }
        let (total, files) = w.finish(&[]).unwrap();
        assert_eq!(total, 200);
        assert!(files.len() > 3, "{files:?}");
        assert_eq!(files.iter().map(|f| f.packets).sum::<u64>(), 200, "no packet lost at a rotation");
        let kept: Vec<&RingFile> = files.iter().filter(|f| f.kept).collect();
        assert_eq!(kept.len(), 3);
        let on_disk = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(on_disk, 3);
        for f in &kept {
            let len = std::fs::metadata(&f.path).unwrap().len();
            assert!(len <= 2_000 + 200, "{} is {len} bytes", f.path.display());
            // Each file stands alone: it opens and holds its packets.
            let cap = pktlab_core::capture::CaptureFile::open(&f.path).unwrap();
            assert_eq!(cap.records().count() as u64, f.packets);
        }
    }
}
