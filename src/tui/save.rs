//! Saving frames to a pcapng file (Wireshark's File → Export Specified Packets): the frames'
//! captured bytes, original lengths and timestamps (nanoseconds), each on an interface of its
//! own link type, in capture order, through the live capture's pcapng writer. The writing
//! runs on its own thread (a million frames take about a second); [`SaveRun::poll`] reports.

use super::store::{FrameEntry, Store};
use crate::capture::CaptureFile;
use crate::dissect::Timestamp;
use crate::live::pcapng_writer::{Interface, PcapngWriter, WriteError};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;

/// What a save wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Saved {
    pub frames: u64,
    /// Records without a packet (pcapng custom blocks) left out.
    pub skipped: u64,
}

/// A save being written on its own thread.
pub struct SaveRun {
    pub path: PathBuf,
    rx: Receiver<Result<Saved, WriteError>>,
    handle: Option<JoinHandle<()>>,
}

impl SaveRun {
    /// Starts writing `frames` (frame numbers, ascending) of `store` to `path`.
    pub fn start(store: &Store, frames: &[u64], path: PathBuf) -> SaveRun {
        let entries: Vec<FrameEntry> = frames.iter().filter_map(|&n| store.entry(n).copied()).collect();
        let file = store.file_arc();
        let (tx, rx) = channel();
        let to = path.clone();
        let handle = std::thread::Builder::new()
            .name("pktlab-save".into())
            .spawn(move || {
                let _ = tx.send(write_entries(&file, &entries, &to));
            })
            .ok();
        SaveRun { path, rx, handle }
    }

    /// The outcome, once the thread has finished.
    pub fn poll(&mut self) -> Option<Result<Saved, WriteError>> {
        self.rx.try_recv().ok()
    }

    /// Blocks until the file is written (tests).
    pub fn wait(&mut self) -> Option<Result<Saved, WriteError>> {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.poll()
    }
}

/// Frames keep their interface: one interface block per (original interface, link type) met.
fn write_entries(file: &CaptureFile, entries: &[FrameEntry], path: &Path) -> Result<Saved, WriteError> {
    let mut ifaces: Vec<(u16, u16)> = Vec::new();
    let mut plan = Vec::with_capacity(entries.len());
    let mut skipped = 0;
    for e in entries {
        if e.link_type == u16::MAX {
            skipped += 1;
            continue;
        }
        let key = (e.iface, e.link_type);
        let i = match ifaces.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                ifaces.push(key);
                ifaces.len() - 1
            }
        };
        plan.push((e, i as u32));
    }
    let interfaces: Vec<Interface> = ifaces
        .iter()
        .map(|&(id, lt)| Interface { name: if id == u16::MAX { "pcap".to_string() } else { format!("if{id}") }, link_type: lt, snaplen: 262_144 })
        .collect();
    let mut w = PcapngWriter::create(path, &interfaces)?;
    for (e, i) in plan {
        let start = e.data_offset as usize;
        let data = file.bytes().get(start..start.saturating_add(e.cap_len as usize)).unwrap_or(&[]);
        w.write_packet(i, e.ts().unwrap_or(Timestamp { secs: 0, nanos: 0 }), data, e.orig_len)?;
    }
    let written = w.finish(&[])?;
    Ok(Saved { frames: written, skipped })
}
