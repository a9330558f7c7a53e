//! IP fragment reassembly, as tshark does it by default: fragments of one datagram are
//! collected by (addresses, identification, protocol); the frame whose fragment completes
//! the datagram carries the reassembled payload, and the others show their bytes as data.


/// Identifies one datagram's fragments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub v6: bool,
    pub src: [u8; 16],
    pub dst: [u8; 16],
    pub id: u32,
    pub proto: u8,
}

#[derive(Clone, Debug)]
pub(crate) struct Fragment {
    pub frame: u64,
    pub offset: usize,
    pub data: Vec<u8>,
}

#[derive(Default, Debug)]
struct Pending {
    frags: Vec<Fragment>,
    /// Total payload length, known once the last fragment (MF=0) was seen.
    total: Option<usize>,
}

/// A completed datagram.
#[derive(Clone)]
pub(crate) struct Reassembled {
    pub payload: Vec<u8>,
    /// (frame, offset, length) of every fragment that contributed, in offset order.
    pub parts: Vec<(u64, usize, usize)>,
    /// Fragments received, including any wholly overlapped by others.
    pub count: usize,
}

/// Pending datagrams. Bounded: past `MAX_PENDING` the oldest keys are dropped.
#[derive(Default)]
pub struct Reassembler {
    pending: foldhash::HashMap<Key, Pending>,
    order: std::collections::VecDeque<Key>,
    /// The last datagram completed, with its key and completing frame: dissecting that frame
    /// again (text after a lean first look) gives the same datagram.
    done: Option<(Key, u64, Reassembled)>,
}

const MAX_PENDING: usize = 4096;
const MAX_DATAGRAM: usize = 65535 + 65535;

impl Reassembler {
    /// Adds a fragment; returns the datagram if this fragment completes it.
    pub(crate) fn add(&mut self, key: Key, frame: u64, offset: usize, more: bool, bytes: &[u8]) -> Option<Reassembled> {
        if offset.saturating_add(bytes.len()) > MAX_DATAGRAM {
            return None;
        }
        if let Some((k, f, r)) = &self.done
            && *k == key
            && *f == frame
        {
            return Some(r.clone());
        }
        if !self.pending.contains_key(&key) {
            if self.order.len() >= MAX_PENDING
                && let Some(old) = self.order.pop_front()
            {
                self.pending.remove(&old);
            }
            self.order.push_back(key);
        }
        let p = self.pending.entry(key).or_default();
        // A fragment seen again (a second pass over the same frame) replaces the old copy.
        p.frags.retain(|f| f.frame != frame);
        p.frags.push(Fragment { frame, offset, data: bytes.to_vec() });
        if !more {
            p.total = Some(offset + bytes.len());
        }
        let total = p.total?;
        // Complete when the fragments cover 0..total without a gap.
        p.frags.sort_by_key(|f| (f.offset, f.frame));
        let mut covered = 0usize;
        for f in &p.frags {
            if f.offset > covered {
                return None;
            }
            covered = covered.max(f.offset + f.data.len());
        }
        if covered < total {
            return None;
        }
        let p = self.pending.remove(&key)?;
        self.order.retain(|k| *k != key);
        // As tshark: in offset order, each fragment contributes only the bytes past what the
        // earlier ones covered; a fragment wholly covered contributes nothing and is not listed.
        let mut payload = vec![0u8; total];
        let mut parts = Vec::with_capacity(p.frags.len());
        let mut dfpos = 0usize;
        for f in &p.frags {
            let fend = (f.offset + f.data.len()).min(total);
            if fend <= dfpos && !f.data.is_empty() {
                continue;
            }
            let from = dfpos.max(f.offset);
            if from < fend
                && let (Some(dst), Some(src)) = (payload.get_mut(from..fend), f.data.get(from - f.offset..fend - f.offset))
            {
                dst.copy_from_slice(src);
            }
            dfpos = dfpos.max(fend);
            parts.push((f.frame, f.offset, f.data.len()));
        }
        let r = Reassembled { payload, parts, count: p.frags.len() };
        self.done = Some((key, frame, r.clone()));
        Some(r)
    }
}

/// `3 IPv4 Fragments (3008 bytes): #3(1480), #4(1480), #5(48)`: a fragment tree's heading as
/// Wireshark's `show_fragment_tree` writes it, from the items under it (`one` names a single
/// fragment, `many` several); the byte count is the reassembled buffer's, the field's length.
pub(crate) fn fragments_label(cx: &super::label::LabelCx<'_>, out: &mut String, one: &'static super::model::FieldDef, many: &str) {
    use std::fmt::Write;
    let depth = cx.field.depth;
    let parts = || cx.d.fields[cx.idx + 1..].iter().take_while(|f| f.depth > depth).filter(|f| f.depth == depth + 1 && std::ptr::eq(f.def, one));
    let count = parts().count();
    let _ = write!(out, "{count} {} (", if count == 1 { one.name } else { many });
    super::label::bytes_plural(u64::from(cx.field.len), out);
    out.push_str("): ");
    for (i, f) in parts().enumerate() {
        let frame = match f.value {
            super::model::Value::UInt(n) => n,
            _ => 0,
        };
        let _ = write!(out, "{}#{frame}({})", if i > 0 { ", " } else { "" }, f.len);
    }
}
