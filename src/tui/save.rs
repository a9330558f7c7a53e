//! Saving frames to a pcapng file (Wireshark's File → Export Specified Packets): the frames'
//! captured bytes, original lengths and timestamps (nanoseconds), each on an interface of its
//! own link type, in capture order, through the live capture's pcapng writer.

use super::store::Store;
use crate::dissect::Timestamp;
use crate::live::pcapng_writer::{Interface, PcapngWriter, WriteError};
use std::path::Path;

/// What a save wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Saved {
    pub frames: u64,
    /// Records without a packet (pcapng custom blocks) left out.
    pub skipped: u64,
}

/// Writes `frames` (frame numbers, ascending) of `store` to `path` as pcapng. Frames keep
/// their interface: one interface block per (original interface, link type) met.
pub fn write(store: &Store, frames: impl IntoIterator<Item = u64>, path: &Path) -> Result<Saved, WriteError> {
    let frames: Vec<u64> = frames.into_iter().collect();
    let mut ifaces: Vec<(u16, u16)> = Vec::new();
    let mut plan = Vec::with_capacity(frames.len());
    let mut skipped = 0;
    for &n in &frames {
        let Some(e) = store.entry(n) else { continue };
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
        plan.push((n, i as u32));
    }
    let interfaces: Vec<Interface> = ifaces
        .iter()
        .map(|&(id, lt)| Interface {
            name: if id == u16::MAX { "pcap".to_string() } else { format!("if{id}") },
            link_type: lt,
            snaplen: 262_144,
        })
        .collect();
    let mut w = PcapngWriter::create(path, &interfaces)?;
    for (n, i) in plan {
        let Some(e) = store.entry(n) else { continue };
        let ts = e.ts().unwrap_or(Timestamp { secs: 0, nanos: 0 });
        w.write_packet(i, ts, store.frame_bytes(n), e.orig_len)?;
    }
    let written = w.finish(&[])?;
    Ok(Saved { frames: written, skipped })
}
