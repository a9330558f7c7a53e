//! Expert information over a whole capture, counted from the expert items of annotated
//! dissections: per key (what `pktlab stats expert` prints) and grouped as `tshark -q -z
//! expert` groups them, by severity and then by (group, protocol, summary) with how many
//! items each has, in the order each first appeared.

use crate::dissect::format::{expert_group, expert_protocol};
use crate::dissect::{Dissection, Severity};
use std::collections::{BTreeMap, HashMap};

/// Counts of one expert key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyCount {
    pub key: &'static str,
    /// The highest severity the key had.
    pub severity: Severity,
    /// Frames carrying the key at least once.
    pub frames: u64,
    /// Items with the key (a frame may carry it twice).
    pub items: u64,
    /// The first frame carrying it.
    pub first: u64,
    /// The message of its first item.
    pub message: String,
}

/// One row of `tshark -z expert`: items of one severity, group, protocol and summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertGroup {
    pub severity: Severity,
    /// tshark's group: `Sequence`, `Checksum`, `Malformed`, `Protocol`.
    pub group: &'static str,
    /// tshark's protocol column: `TCP`, `IPv4`, …
    pub protocol: &'static str,
    /// The item's message.
    pub summary: String,
    /// Items in the group (tshark's "Frequency").
    pub count: u64,
    /// The first frame carrying one.
    pub first_frame: u64,
    /// The expert key of the group's items.
    pub key: &'static str,
}

/// Expert items counted frame by frame.
#[derive(Clone, Debug, Default)]
pub struct ExpertTable {
    keys: BTreeMap<&'static str, KeyCount>,
    groups: Vec<ExpertGroup>,
    index: HashMap<(Severity, &'static str, &'static str, String), usize>,
    /// Frames counted.
    pub frames: u64,
    /// Frames carrying at least one item.
    pub frames_with: u64,
}

impl ExpertTable {
    /// Counts the expert items of frame `number` (its dissection annotated with the analysis,
    /// so the `tcp.analysis.*` items are there).
    pub fn add(&mut self, number: u64, d: &Dissection) {
        self.frames += 1;
        if !d.experts.is_empty() {
            self.frames_with += 1;
        }
        for (i, e) in d.experts.iter().enumerate() {
            let k = self.keys.entry(e.key).or_insert_with(|| KeyCount { key: e.key, severity: e.severity, frames: 0, items: 0, first: number, message: e.message.clone() });
            k.severity = k.severity.max(e.severity);
            k.items += 1;
            if !d.experts[..i].iter().any(|p| p.key == e.key) {
                k.frames += 1;
            }
            let group = expert_group(e.key);
            let protocol = expert_protocol(e.key, d.protocol);
            let id = (e.severity, group, protocol, e.message.clone());
            match self.index.get(&id) {
                Some(&g) => self.groups[g].count += 1,
                None => {
                    self.index.insert(id, self.groups.len());
                    self.groups.push(ExpertGroup { severity: e.severity, group, protocol, summary: e.message.clone(), count: 1, first_frame: number, key: e.key });
                }
            }
        }
    }

    /// Every key, most severe first, then by frames (most first), then by name.
    pub fn by_key(&self) -> Vec<&KeyCount> {
        let mut v: Vec<&KeyCount> = self.keys.values().collect();
        v.sort_by(|a, b| b.severity.cmp(&a.severity).then(b.frames.cmp(&a.frames)).then(a.key.cmp(b.key)));
        v
    }

    /// The counts of one key, if any frame carried it.
    pub fn key(&self, key: &str) -> Option<&KeyCount> {
        self.keys.get(key)
    }

    /// tshark's rows: errors, warnings, notes, chats; within a severity in the order each
    /// group first appeared.
    pub fn groups(&self) -> Vec<&ExpertGroup> {
        let mut v: Vec<&ExpertGroup> = self.groups.iter().collect();
        v.sort_by_key(|g| std::cmp::Reverse(g.severity));
        v
    }

    /// Items of severity `s` (tshark's `Warns (N)`).
    pub fn items_of(&self, s: Severity) -> u64 {
        self.groups.iter().filter(|g| g.severity == s).map(|g| g.count).sum()
    }

    /// The text `tshark -q -z expert` prints: a block per severity present, most severe first.
    pub fn render_tshark(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        for sev in [Severity::Error, Severity::Warn, Severity::Note, Severity::Chat] {
            let rows: Vec<&ExpertGroup> = self.groups.iter().filter(|g| g.severity == sev).collect();
            if rows.is_empty() {
                continue;
            }
            let title = match sev {
                Severity::Error => "Errors",
                Severity::Warn => "Warns",
                Severity::Note => "Notes",
                Severity::Chat => "Chats",
            };
            let _ = writeln!(s, "\n{title} ({})\n=============\n   Frequency      Group           Protocol  Summary", self.items_of(sev));
            for g in rows {
                let _ = writeln!(s, "{:>12} {:>10} {:>18}  {}", g.count, g.group, g.protocol, g.summary);
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::Expert;

    fn frame(items: &[(Severity, &'static str, &str)]) -> Dissection {
        let mut d = Dissection { protocol: "TCP", ..Default::default() };
        d.experts = items.iter().map(|&(severity, key, m)| Expert { severity, key, message: m.to_owned(), field: None }).collect();
        d
    }

    #[test]
    fn groups_by_severity_then_summary_in_order_of_appearance() {
        let mut t = ExpertTable::default();
        t.add(1, &frame(&[(Severity::Chat, "tcp.connection.syn", "Connection establish request (SYN): server port 80")]));
        t.add(2, &frame(&[(Severity::Note, "tcp.analysis.duplicate_ack", "Duplicate ACK (#1)")]));
        t.add(3, &frame(&[(Severity::Note, "tcp.analysis.duplicate_ack", "Duplicate ACK (#2)")]));
        t.add(4, &frame(&[(Severity::Note, "tcp.analysis.duplicate_ack", "Duplicate ACK (#1)"), (Severity::Warn, "tcp.analysis.out_of_order", "out")]));
        t.add(5, &frame(&[]));
        let g = t.groups();
        let rows: Vec<(Severity, &str, u64, u64)> = g.iter().map(|g| (g.severity, g.summary.as_str(), g.count, g.first_frame)).collect();
        assert_eq!(
            rows,
            [
                (Severity::Warn, "out", 1, 4),
                (Severity::Note, "Duplicate ACK (#1)", 2, 2),
                (Severity::Note, "Duplicate ACK (#2)", 1, 3),
                (Severity::Chat, "Connection establish request (SYN): server port 80", 1, 1),
            ]
        );
        assert_eq!(g[1].group, "Sequence");
        assert_eq!(g[1].protocol, "TCP");
        assert_eq!(t.items_of(Severity::Note), 3);
        assert_eq!((t.frames, t.frames_with), (5, 4));
        let k = t.key("tcp.analysis.duplicate_ack").expect("counted");
        assert_eq!((k.frames, k.items, k.first), (3, 3, 2));
        assert!(t.render_tshark().contains("Notes (3)\n=============\n   Frequency      Group           Protocol  Summary\n           2   Sequence                TCP  Duplicate ACK (#1)\n"), "{}", t.render_tshark());
    }
}
