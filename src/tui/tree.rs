//! The detail tree: a frame's layers grouped by OSI layer, with expandable fields.
//!
//! ```text
//! ▼ 2 데이터 링크
//!   ▼ Ethernet II, Src: 00:11:22:33:44:55, Dst: …
//!       Destination: 66:77:88:99:aa:bb
//! ▼ 4 전송
//!   ▼ Transmission Control Protocol, Src Port: 51234, …
//!     ▶ Flags: 0x018 (PSH, ACK)
//! ```
//!
//! [`build_rows`] flattens the dissection into the rows currently visible (collapsed nodes
//! hide their children); [`render`] draws them with the cursor row highlighted.

use super::theme::Theme;
use super::text::fit;
use crate::dissect::{Dissection, Osi, Severity};
use crate::explain::Lang;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::collections::HashSet;

/// The tree's own state: cursor row, first row on screen, the nodes the user opened or
/// closed, and the node to keep selected when the frame changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreePane {
    pub cursor: usize,
    pub top: usize,
    pub(crate) toggled: HashSet<NodeKey>,
    pub(crate) remembered: Option<NodeKey>,
}

impl TreePane {
    /// Opens or closes node `key`.
    pub fn set_expanded(&mut self, key: NodeKey, open: bool) {
        if is_expanded(key, &self.toggled) != open && !self.toggled.remove(&key) {
            self.toggled.insert(key);
        }
    }

    /// Scrolls so the cursor row is on a page of `page` rows.
    pub fn reveal_cursor(&mut self, page: usize) {
        let page = page.max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + page {
            self.top = self.cursor + 1 - page;
        }
    }

    /// Puts the cursor on row `i` of `rows` and remembers its node.
    pub fn set_cursor(&mut self, i: usize, rows: &[TreeRow], page: usize) {
        self.cursor = i.min(rows.len().saturating_sub(1));
        self.remembered = rows.get(self.cursor).map(|r| r.key);
        self.reveal_cursor(page);
    }

    /// After the frame changed: back on the remembered node if the new frame has it.
    pub fn restore(&mut self, rows: &[TreeRow], page: usize) {
        if let Some(key) = self.remembered
            && let Some(i) = rows.iter().position(|r| r.key == key)
        {
            self.cursor = i;
        }
        self.cursor = self.cursor.min(rows.len().saturating_sub(1));
        self.reveal_cursor(page);
    }

    /// Moves the view by `delta` rows (mouse wheel) over `len` rows.
    pub fn wheel(&mut self, delta: isize, len: usize, page: usize) {
        let max = len.saturating_sub(page);
        self.top = (self.top as isize + delta).clamp(0, max as isize) as usize;
    }

    /// Keeps the cursor on one of `len` rows and on a page of `page` rows.
    pub fn fit(&mut self, len: usize, page: usize) {
        self.cursor = self.cursor.min(len.saturating_sub(1));
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if page > 0 && self.cursor >= self.top + page {
            self.top = self.cursor + 1 - page;
        }
        self.top = self.top.min(len.saturating_sub(page));
    }
}

/// What a tree row stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeRef {
    Osi(Osi),
    /// Index into `Dissection::layers`.
    Layer(usize),
    /// Index into `Dissection::fields`.
    Field(usize),
}

/// A node's identity across frames, so a collapsed TCP flags subtree stays collapsed when the
/// cursor moves to the next frame (as in Wireshark).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKey {
    Osi(u8),
    Layer(&'static str),
    Field(&'static str),
}

/// One visible row of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeRow {
    pub node: NodeRef,
    pub key: NodeKey,
    pub indent: u16,
    pub label: String,
    pub expandable: bool,
    pub expanded: bool,
    pub generated: bool,
    /// The worst expert item attached to this field, if any.
    pub severity: Option<Severity>,
}

/// Whether a node is expanded: the default (OSI groups open, so the first view is an
/// overview of every layer; protocol layers and field subtrees closed), flipped when the user
/// toggled it.
pub fn is_expanded(key: NodeKey, toggled: &HashSet<NodeKey>) -> bool {
    let default = matches!(key, NodeKey::Osi(_));
    default ^ toggled.contains(&key)
}

/// The visible rows of `d`'s tree.
pub fn build_rows(d: &Dissection, frame: &[u8], toggled: &HashSet<NodeKey>, lang: Lang) -> Vec<TreeRow> {
    let mut rows = Vec::new();
    let mut li = 0;
    while li < d.layers.len() {
        let osi = d.layers[li].osi;
        let group_end = (li..d.layers.len()).find(|&j| d.layers[j].osi != osi).unwrap_or(d.layers.len());
        let key = NodeKey::Osi(osi.number());
        let open = is_expanded(key, toggled);
        rows.push(TreeRow {
            node: NodeRef::Osi(osi),
            key,
            indent: 0,
            label: super::i18n::osi_name(osi, lang),
            expandable: true,
            expanded: open,
            generated: false,
            severity: None,
        });
        if open {
            for (i, layer) in d.layers.iter().enumerate().take(group_end).skip(li) {
                let key = NodeKey::Layer(layer.proto);
                let visible_fields: Vec<usize> = (layer.fields.start as usize..layer.fields.end as usize)
                    .filter(|&fi| d.fields.get(fi).is_some_and(|f| !f.hidden))
                    .collect();
                let lopen = is_expanded(key, toggled);
                let mut label = String::new();
                crate::dissect::label::layer_label(d, i, &mut label);
                rows.push(TreeRow {
                    node: NodeRef::Layer(i),
                    key,
                    indent: 1,
                    label,
                    expandable: !visible_fields.is_empty(),
                    expanded: lopen,
                    generated: false,
                    severity: None,
                });
                if lopen {
                    push_fields(d, frame, &visible_fields, toggled, &mut rows);
                }
            }
        }
        li = group_end;
    }
    rows
}

fn push_fields(d: &Dissection, frame: &[u8], fields: &[usize], toggled: &HashSet<NodeKey>, rows: &mut Vec<TreeRow>) {
    // `hide_below`: depth below which fields are hidden by a collapsed ancestor.
    let mut hide_below: Option<u8> = None;
    for (k, &fi) in fields.iter().enumerate() {
        let Some(f) = d.fields.get(fi) else { continue };
        if let Some(h) = hide_below {
            if f.depth > h {
                continue;
            }
            hide_below = None;
        }
        let has_children = fields.get(k + 1).and_then(|&n| d.fields.get(n)).is_some_and(|n| n.depth > f.depth);
        let key = NodeKey::Field(f.def.abbrev);
        let open = has_children && is_expanded(key, toggled);
        if has_children && !open {
            hide_below = Some(f.depth);
        }
        let severity = d.experts.iter().filter(|e| e.field == Some(fi as u32)).map(|e| e.severity).max();
        rows.push(TreeRow {
            node: NodeRef::Field(fi),
            key,
            indent: 2 + u16::from(f.depth),
            label: {
                // The same line as `dissect -V` (tshark's text).
                let mut s = String::new();
                crate::dissect::label::tree_label(d, frame, fi, &mut s);
                s
            },
            expandable: has_children,
            expanded: open,
            generated: f.generated,
            severity,
        });
    }
}


/// Draws `rows` from `top`, highlighting `cursor`.
pub fn render(rows: &[TreeRow], top: usize, cursor: usize, focused: bool, theme: &Theme, area: Rect, buf: &mut Buffer) {
    for (i, row) in rows.iter().enumerate().skip(top).take(area.height as usize) {
        let y = area.y + (i - top) as u16;
        let marker = if !row.expandable {
            "  "
        } else if row.expanded {
            "▼ "
        } else {
            "▶ "
        };
        let indent = "  ".repeat(row.indent as usize);
        let text = format!("{indent}{marker}{}", row.label);
        let mut style = match row.node {
            NodeRef::Osi(_) => theme.osi_heading(),
            NodeRef::Layer(_) => theme.layer_heading(),
            NodeRef::Field(_) if row.generated => theme.generated(),
            NodeRef::Field(_) => Style::default(),
        };
        if let Some(sev) = row.severity {
            style = style.patch(theme.severity(sev));
        }
        if i == cursor {
            style = style.patch(theme.cursor(focused));
        }
        let line = fit(&text, area.width as usize);
        buf.set_stringn(area.x, y, &line, area.width as usize, style);
        if i == cursor {
            // Paint the whole line so the cursor bar spans the pane.
            for x in area.x..area.x + area.width {
                if let Some(c) = buf.cell_mut((x, y)) {
                    c.set_style(style);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layers' lines are tshark's protocol items (`-V`'s), whose text a summary may hold
    /// whole: not `Frame, Frame 8: …` or `Compuserve GIF, Compuserve GIF, …`.
    #[test]
    fn layer_rows_read_as_tsharks_protocol_items() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/app/gif.pcap");
        let file = crate::capture::CaptureFile::open(&path).expect("gif.pcap");
        let mut seq = crate::pipeline::Sequence::new(true);
        for rec in file.records().take(8) {
            seq.push(&rec.expect("record"));
        }
        let frame = file.records().nth(7).expect("frame 8").expect("record");
        let rows = build_rows(seq.dissection(), frame.data, &HashSet::new(), Lang::En);
        // (TCP's line is left out: its relative numbers come from the analysis, which the
        // TUI puts in beside this.)
        let layers: Vec<&str> =
            rows.iter().filter(|r| matches!(r.node, NodeRef::Layer(_))).map(|r| r.label.as_str()).filter(|l| !l.starts_with("Transmission")).collect();
        assert_eq!(
            layers,
            [
                "Frame 8: 291 bytes on wire (2328 bits), 291 bytes captured (2328 bits)",
                "Ethernet II, Src: 00:00:00_00:00:00 (00:00:00:00:00:00), Dst: 00:00:00_00:00:00 (00:00:00:00:00:00)",
                "Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1",
                "[2 Reassembled TCP Segments (363 bytes): #6(138), #8(225)]",
                "Hypertext Transfer Protocol",
                "Compuserve GIF, Version: GIF89a",
            ]
        );
    }
}
