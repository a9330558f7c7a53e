//! What is selected: the frame (through the display filter's view of the list), the tree
//! node, the byte under the hex cursor, and the filter itself.

use super::{App, FilterView, Span};
use crate::dissect::Dissection;
use crate::filter::{Filter, FilterError};
use crate::tui::tree::{self, NodeKey, NodeRef, TreeRow};

impl App {
    // ----- the list -------------------------------------------------------------------

    /// The filter whose matches narrow the list (Hide view only).
    pub(super) fn hiding(&self) -> Option<&[u32]> {
        match (&self.store.filter, self.filter_view) {
            (Some(run), FilterView::Hide) => Some(&run.matches),
            _ => None,
        }
    }

    /// Rows in the packet list.
    pub fn shown_len(&self) -> usize {
        self.base_len()
    }

    /// Frames the list shows, in capture order: every frame, or the filter's matches.
    pub(super) fn base_len(&self) -> usize {
        self.hiding().map_or(self.store.len(), <[u32]>::len)
    }

    /// The frame at row `row` of the list in capture order (before any sort).
    pub(super) fn base_at(&self, row: usize) -> Option<u64> {
        match self.hiding() {
            Some(m) => m.get(row).map(|&n| u64::from(n)),
            None => (row < self.store.len()).then_some(row as u64 + 1),
        }
    }

    /// The row of frame `n` in capture order, or where it would be.
    pub(super) fn base_row_of(&self, n: u64) -> Result<usize, usize> {
        match self.hiding() {
            Some(m) => m.binary_search(&u32::try_from(n).unwrap_or(u32::MAX)),
            None if n >= 1 && n as usize <= self.store.len() => Ok(n as usize - 1),
            None => Err(self.store.len()),
        }
    }

    /// The frame number shown at list row `row`. A sorted list shows the sorted frames
    /// first, then (live) the frames that arrived after the sort, in capture order.
    pub fn frame_at(&self, row: usize) -> Option<u64> {
        if let Some(s) = self.active_sort() {
            let k = s.order.len();
            if row < k {
                let i = if self.sort.reverse { k - 1 - row } else { row };
                return s.order.get(i).map(|&n| u64::from(n));
            }
        }
        self.base_at(row)
    }

    /// The list row of frame `n`, or where it would be.
    fn row_of(&self, n: u64) -> Result<usize, usize> {
        if let Some(s) = self.active_sort() {
            let k = s.order.len();
            if let Some(p) = s.position(n) {
                return Ok(if self.sort.reverse { k - 1 - p } else { p });
            }
            return match self.base_row_of(n) {
                Ok(i) if i >= k => Ok(i),
                Ok(_) | Err(_) => Err(k),
            };
        }
        self.base_row_of(n)
    }

    pub fn selected_frame(&self) -> Option<u64> {
        (self.list.selected != 0).then_some(self.list.selected)
    }

    pub fn selected_row(&self) -> Option<usize> {
        self.row_of(self.list.selected).ok()
    }

    /// Whether frame `n` matches the current filter (for marking).
    pub fn is_match(&self, n: u64) -> bool {
        self.store.filter.as_ref().is_some_and(|f| f.matches.binary_search(&u32::try_from(n).unwrap_or(u32::MAX)).is_ok())
    }

    /// Keeps the selection on a listed frame after the list changed under it.
    pub(super) fn fix_selection(&mut self) {
        if self.shown_len() == 0 {
            return;
        }
        if let Err(ins) = self.row_of(self.list.selected) {
            let row = ins.min(self.shown_len() - 1);
            if let Some(n) = self.frame_at(row) {
                self.set_selected(n);
            }
        }
    }

    pub(super) fn set_selected(&mut self, n: u64) {
        if n != self.list.selected {
            self.list.selected = n;
            self.explain.scroll = 0;
            self.hex = Default::default();
            self.load_detail();
            let rows = self.tree_rows();
            self.tree.restore(&rows, self.regions.tree.height as usize);
        }
        self.scroll_list_to_selection();
    }

    pub(super) fn list_page(&self) -> usize {
        (self.regions.list.height as usize).max(1)
    }

    pub(super) fn scroll_list_to_selection(&mut self) {
        if let Some(row) = self.selected_row() {
            self.list.reveal(row, self.list_page());
        }
    }

    pub(super) fn move_list(&mut self, delta: isize) {
        let len = self.shown_len();
        if len == 0 {
            return;
        }
        let cur = self.selected_row().unwrap_or(0) as isize;
        let row = cur.saturating_add(delta).clamp(0, len as isize - 1) as usize;
        if let Some(n) = self.frame_at(row) {
            self.set_selected(n);
        }
    }

    /// Selects frame `n` (1-based) in the list, tree and hex view. A frame the filter hides
    /// switches the list to "mark matches" so it can be shown. False if there is no such frame.
    pub fn select_frame(&mut self, n: u64) -> bool {
        if n == 0 || n as usize > self.store.len() {
            return false;
        }
        if self.row_of(n).is_err() {
            self.filter_view = FilterView::Mark;
        }
        self.set_selected(n);
        true
    }

    // ----- the tree -------------------------------------------------------------------

    /// Dissects the selected frame into the store's cache (a no-op when it is there).
    pub(super) fn load_detail(&mut self) {
        if let Some(n) = self.selected_frame() {
            self.store.detail(n);
        }
    }

    /// The selected frame's dissection and bytes, dissected now if needed.
    pub fn detail(&mut self) -> Option<(&Dissection, &[u8])> {
        self.load_detail();
        self.loaded_detail()
    }

    /// The selected frame's dissection and bytes as loaded by the last update or layout.
    pub fn loaded_detail(&self) -> Option<(&Dissection, &[u8])> {
        self.store.cached_detail(self.selected_frame()?)
    }

    /// The visible tree rows of the selected frame.
    pub fn tree_rows(&self) -> Vec<TreeRow> {
        match self.loaded_detail() {
            Some((d, frame)) => tree::build_rows(d, frame, &self.tree.toggled, self.lang),
            None => Vec::new(),
        }
    }

    pub(super) fn tree_page(&self) -> usize {
        self.regions.tree.height as usize
    }

    pub(super) fn set_tree_cursor(&mut self, i: usize, rows: &[TreeRow]) {
        self.tree.set_cursor(i, rows, self.tree_page());
        self.explain.scroll = 0;
    }

    pub(super) fn move_tree(&mut self, delta: isize) {
        let rows = self.tree_rows();
        if rows.is_empty() {
            return;
        }
        let i = (self.tree.cursor as isize).saturating_add(delta).clamp(0, rows.len() as isize - 1) as usize;
        self.set_tree_cursor(i, &rows);
        self.hex.cursor = None;
    }

    /// The tree node under the cursor.
    pub fn selected_node(&self) -> Option<NodeRef> {
        self.tree_rows().get(self.tree.cursor).map(|r| r.node)
    }

    pub(super) fn toggle_at(&mut self, i: usize) {
        let rows = self.tree_rows();
        if let Some(r) = rows.get(i)
            && r.expandable
        {
            self.tree.set_expanded(r.key, !r.expanded);
        }
    }

    /// Expands every ancestor of field `fi` so its row is visible, and returns the row.
    fn reveal_field(&mut self, fi: usize) -> Option<usize> {
        let mut keys = Vec::new();
        {
            let (d, _) = self.loaded_detail()?;
            let f = d.fields.get(fi)?;
            let layer = d.layer_of(fi as u32)?;
            keys.push(NodeKey::Osi(layer.osi.number()));
            keys.push(NodeKey::Layer(layer.proto));
            let mut depth = f.depth;
            let mut j = fi;
            while depth > 0 && j > layer.fields.start as usize {
                j -= 1;
                if let Some(p) = d.fields.get(j)
                    && p.depth < depth
                    && !p.hidden
                {
                    keys.push(NodeKey::Field(p.def.abbrev));
                    depth = p.depth;
                }
            }
        }
        for k in keys {
            self.tree.set_expanded(k, true);
        }
        self.tree_rows().iter().position(|r| r.node == NodeRef::Field(fi))
    }

    /// Selects the first shown occurrence of field `abbrev` (Wireshark name) in the selected
    /// frame: the tree cursor moves to it (parents expanded) and its bytes light up. False if
    /// the frame has no such field.
    pub fn select_field(&mut self, abbrev: &str) -> bool {
        let fi = match self.detail() {
            Some((d, _)) => d.fields.iter().position(|f| !f.hidden && f.def.abbrev == abbrev),
            None => None,
        };
        let Some(fi) = fi else { return false };
        let Some(row) = self.reveal_field(fi) else { return false };
        let rows = self.tree_rows();
        self.set_tree_cursor(row, &rows);
        self.hex.cursor = None;
        true
    }

    // ----- the bytes -------------------------------------------------------------------

    /// The bytes the selected node covers.
    pub fn selected_span(&self) -> Option<Span> {
        let node = self.selected_node()?;
        let (d, _) = self.loaded_detail()?;
        match node {
            NodeRef::Field(i) => d.fields.get(i).map(|f| (f.source, f.offset as usize, f.len as usize)),
            NodeRef::Layer(i) => d.layers.get(i).map(|l| (l.source, l.offset as usize, l.len as usize)),
            NodeRef::Osi(o) => {
                let ls: Vec<_> = d.layers.iter().filter(|l| l.osi == o && l.source == 0).collect();
                let start = ls.iter().map(|l| l.offset as usize).min()?;
                let end = ls.iter().map(|l| l.offset as usize + l.len as usize).max()?;
                Some((0, start, end - start))
            }
        }
    }

    /// The bytes the hex view shows: the selected node's source (the frame, or a reassembled
    /// buffer).
    pub fn hex_source(&self) -> (u8, Vec<u8>) {
        let src = self.selected_span().map_or(0, |s| s.0);
        match self.loaded_detail() {
            Some((d, frame)) => (src, d.source_bytes(frame, src).to_vec()),
            None => (0, Vec::new()),
        }
    }

    /// Puts the hex cursor on byte `at` and selects the innermost field covering it.
    pub fn select_byte(&mut self, at: usize) {
        self.load_detail();
        let (src, bytes) = self.hex_source();
        if bytes.is_empty() {
            return;
        }
        let at = at.min(bytes.len() - 1);
        let fi = match self.loaded_detail() {
            Some((d, _)) => d
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.hidden && f.source == src && f.len > 0 && f.range().contains(&at))
                .min_by_key(|(i, f)| (f.len, std::cmp::Reverse(*i)))
                .map(|(i, _)| i),
            None => None,
        };
        if let Some(fi) = fi
            && let Some(row) = self.reveal_field(fi)
        {
            let rows = self.tree_rows();
            self.set_tree_cursor(row, &rows);
        }
        self.hex.put_cursor(at, self.regions.hex.height as usize);
    }

    pub(super) fn move_hex(&mut self, delta: isize) {
        let start = match self.hex.cursor {
            Some(c) => c,
            None => self.selected_span().map_or(0, |s| s.1),
        };
        let at = (start as isize).saturating_add(delta).max(0) as usize;
        self.select_byte(at);
    }

    // ----- filter -------------------------------------------------------------------

    /// Applies display filter `text` (empty clears it). On error the current filter stays.
    pub fn set_filter(&mut self, text: &str) -> Result<(), FilterError> {
        let text = text.trim();
        if text.is_empty() {
            self.list_gen += 1;
            self.store.clear_filter();
            self.filter.set("");
            self.fix_selection();
            return Ok(());
        }
        let f = Filter::compile(text)?;
        self.list_gen += 1;
        self.filter.text = text.to_string();
        self.filter.error = None;
        self.store.start_filter(f);
        self.list.top = 0;
        Ok(())
    }

    /// The text of the filter in force (the last good one).
    pub fn active_filter(&self) -> Option<&str> {
        self.store.filter.as_ref().map(|f| f.filter.text())
    }

    pub(super) fn jump_match(&mut self, forward: bool) {
        if self.active_sort().is_some() {
            return self.jump_match_sorted(forward);
        }
        let Some(run) = &self.store.filter else { return };
        let cur = u32::try_from(self.list.selected).unwrap_or(u32::MAX);
        let found = run.matches.binary_search(&cur);
        let next = if forward {
            let i = match found {
                Ok(i) => i + 1,
                Err(i) => i,
            };
            run.matches.get(i)
        } else {
            let (Ok(i) | Err(i)) = found;
            i.checked_sub(1).and_then(|j| run.matches.get(j))
        };
        if let Some(&n) = next {
            self.set_selected(u64::from(n));
        }
    }
}
