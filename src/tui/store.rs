//! The frame store: a compact index of every frame, filled by a background loader thread,
//! plus the background passes (TCP/UDP analysis, display filtering) and a small dissection
//! cache for what the screen shows.
//!
//! Memory contract: packet bytes are never copied. The capture stays memory-mapped
//! ([`CaptureFile`]); each frame costs one 32-byte [`FrameEntry`] (where its bytes lie in the
//! map, lengths, time, link type), plus one compact analysis verdict per TCP/UDP layer
//! ([`super::verdicts`], 72 bytes) once the analysis pass has run. A million frames therefore
//! cost about 32 MiB of index and at most ~80 MiB of verdicts; the mapped file pages are the
//! kernel's to evict.
//!
//! Threads: the loader walks the records once and sends index entries in batches (the first
//! batch is small so the first screen appears at once); the analysis pass and each filter pass
//! walk the records again on their own (re-walking a mapped file is faster than sharing the
//! growing index across threads) and report through channels; so does the statistics pass
//! ([`super::capture_stats`]), started when a view needs it. The UI thread owns the store
//! and only drains channels in [`Store::poll`]; nothing blocks drawing.

use super::capture_stats::StatsRun;
use super::chunked::Chunked;
use super::verdicts::Verdicts;
use crate::analysis;
use crate::pipeline::Sequence;
use crate::capture::follow::{End, Event, Follower, Step};
use crate::capture::{CaptureFile, Record};
use crate::dissect::{Demand, Dissection, Dissector, FrameMeta, FrameTimes, Timestamp};
use crate::filter::Filter;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;
use std::time::Instant;

/// `ts_nanos` value meaning "the record has no timestamp".
const NO_TS: u32 = u32::MAX;
/// `link_type` / `iface` value meaning "none".
const NONE16: u16 = u16::MAX;

/// Where one frame lives and its capture facts: 32 bytes, no packet bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameEntry {
    /// Offset of the captured bytes in the file.
    pub data_offset: u64,
    pub ts_secs: i64,
    /// Nanoseconds, or `u32::MAX` when the record has no timestamp.
    pub ts_nanos: u32,
    pub cap_len: u32,
    pub orig_len: u32,
    /// LINKTYPE (pcap and pcapng link types are 16-bit); `u16::MAX` for custom blocks.
    pub link_type: u16,
    /// pcapng interface id; `u16::MAX` for classic pcap (and ids beyond 65534).
    pub iface: u16,
}

impl FrameEntry {
    fn from_record(r: &Record<'_>) -> FrameEntry {
        let (ts_secs, ts_nanos) = match r.ts {
            Some(t) => (t.secs, t.nanos),
            None => (0, NO_TS),
        };
        FrameEntry {
            data_offset: r.data_offset,
            ts_secs,
            ts_nanos,
            cap_len: r.data.len() as u32,
            orig_len: r.orig_len,
            link_type: r.link_type.map(|l| u16::try_from(l).unwrap_or(NONE16 - 1)).unwrap_or(NONE16),
            iface: r.interface_id.and_then(|i| u16::try_from(i).ok()).unwrap_or(NONE16),
        }
    }

    pub fn ts(&self) -> Option<Timestamp> {
        (self.ts_nanos != NO_TS).then_some(Timestamp { secs: self.ts_secs, nanos: self.ts_nanos })
    }

    /// The dissector's view of this frame (number is 1-based).
    pub fn meta(&self, number: u64, comments: &[String]) -> FrameMeta {
        FrameMeta {
            number,
            ts: self.ts(),
            orig_len: self.orig_len,
            interface_id: (self.iface != NONE16).then_some(u32::from(self.iface)),
            interface: None,
            link_type: (self.link_type != NONE16).then_some(u32::from(self.link_type)),
            comments: comments.to_vec(),
            times: Default::default(),
        }
    }
}

/// Progress of a background pass.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of the file walked so far.
    pub bytes: u64,
    pub done: bool,
    /// The reader stopped at damage (the message names file and offset).
    pub error: Option<String>,
}

enum LoadMsg {
    /// New index entries, their comments, and the newest map of the file (live captures grow).
    Frames(Vec<FrameEntry>, Vec<(u64, Vec<String>)>, Arc<CaptureFile>),
    Progress(u64),
    Done(Option<String>),
}

enum AnalysisMsg {
    /// Verdicts, the frames among them whose dissection depended on earlier frames, and how
    /// many frames have been read.
    Batch(Verdicts, Vec<u64>, u64),
    Done,
}

enum FilterMsg {
    Matches(Vec<u32>, u64),
    Done,
}

/// A running or finished display-filter pass.
pub struct FilterRun {
    pub filter: Filter,
    /// 1-based numbers of matching frames found so far, ascending.
    pub matches: Vec<u32>,
    pub progress: Progress,
    rx: Receiver<FilterMsg>,
    cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Drop for FilterRun {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// What the packet list shows for one frame.
#[derive(Clone, Debug)]
pub struct RowSummary {
    pub protocol: &'static str,
    pub src: String,
    pub dst: String,
    pub info: String,
    /// The frame has a warning or error expert item (retransmission, bad checksum,
    /// malformed…): drawn like Wireshark's "Bad TCP" colouring rule.
    pub alert: bool,
}

/// Wireshark's "Bad TCP" and "Checksum Errors" colouring rules, roughly: any TCP analysis
/// verdict except window updates and keep-alives, and any warning or error expert item.
fn row_alert(e: &crate::dissect::Expert) -> bool {
    let benign = ["tcp.analysis.window_update", "tcp.analysis.keep_alive", "tcp.analysis.keep_alive_ack"];
    (e.key.starts_with("tcp.analysis.") && !benign.contains(&e.key)) || e.severity >= crate::dissect::Severity::Warn
}

/// The selected frame, fully dissected and annotated with its analysis.
pub struct Detail {
    pub number: u64,
    pub dissection: Dissection,
}

/// Frames, background passes and caches. Owned by the UI thread.
pub struct Store {
    file: Arc<CaptureFile>,
    /// Set while a live capture is still writing the file (the passes follow it).
    live: Option<Arc<AtomicBool>>,
    frames: Chunked<FrameEntry>,
    comments: HashMap<u64, Vec<String>>,
    pub load: Progress,
    load_rx: Option<Receiver<LoadMsg>>,
    verdicts: Verdicts,
    pub analysis: Progress,
    analysis_rx: Option<Receiver<AnalysisMsg>>,
    cancel: Arc<AtomicBool>,
    dissector: Dissector,
    /// The last frame `dissector` has read with every frame before it (see
    /// [`Store::dissect_into`]).
    in_order: u64,
    /// The frames whose dissection depended on earlier frames (the analysis pass's finding,
    /// in order), and up to which frame it has looked.
    stateful: Vec<u64>,
    stateful_upto: u64,
    scratch: Dissection,
    rows: HashMap<u64, RowSummary>,
    detail: Option<Detail>,
    /// Whether the detail was built before the analysis reached its frame.
    detail_without_analysis: bool,
    pub filter: Option<FilterRun>,
    /// The statistics pass of the conversations, expert and summary views, once one opened.
    pub stats: Option<StatsRun>,
    /// Frames the user marked (`m`), for `frame.marked` and the list. Shared with filter
    /// passes as a snapshot: a pass sees the marks as they were when it started.
    marked: Arc<std::collections::BTreeSet<u64>>,
}

/// Batch sizes: tiny first so the first screen shows immediately, then large.
const FIRST_BATCH: usize = 256;
const BATCH: usize = 65_536;
const ROW_CACHE_MAX: usize = 4096;

/// The most frames read ahead of one the user asks for (see [`Store::dissect_into`]); past
/// it, the frames nearest it.
const REPLAY_MAX: u64 = 2 << 20;
/// The frames read ahead of one asked for before the analysis pass has reached it (about
/// a millisecond).
const REPLAY_EARLY: u64 = 4096;
/// How long a live capture's new frames may wait in a pass before being handed on.
const LIVE_LATENCY: std::time::Duration = std::time::Duration::from_millis(100);

impl Store {
    /// Starts the loader thread over an open capture. The analysis pass starts when the
    /// index is complete.
    pub fn open(file: CaptureFile) -> Store {
        Store::start(Arc::new(file), None)
    }

    /// A store over a capture file that a live capture is still writing: every pass follows
    /// the file as it grows until `live` turns false. Packets stay in the file, not in memory.
    pub fn open_live(file: CaptureFile, live: Arc<AtomicBool>) -> Store {
        let mut s = Store::start(Arc::new(file), Some(live));
        s.start_analysis();
        s
    }

    /// Whether the file is still being written by a live capture.
    pub fn is_live(&self) -> bool {
        self.live.as_ref().is_some_and(|l| l.load(Ordering::Relaxed)) || (self.live.is_some() && !self.load.done)
    }

    fn follower(&self) -> Follower {
        match &self.live {
            Some(l) => Follower::growing(Arc::clone(&self.file), Arc::clone(l)),
            None => Follower::finished(Arc::clone(&self.file)),
        }
    }

    fn start(file: Arc<CaptureFile>, live: Option<Arc<AtomicBool>>) -> Store {
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let follower = match &live {
            Some(l) => Follower::growing(Arc::clone(&file), Arc::clone(l)),
            None => Follower::finished(Arc::clone(&file)),
        };
        {
            let cancel = Arc::clone(&cancel);
            std::thread::Builder::new()
                .name("pktlab-index".into())
                .spawn(move || index_thread(follower, &cancel, &tx))
                .ok();
        }
        Store {
            file,
            live,
            frames: Chunked::default(),
            comments: HashMap::new(),
            load: Progress::default(),
            load_rx: Some(rx),
            verdicts: Verdicts::default(),
            analysis: Progress::default(),
            analysis_rx: None,
            cancel,
            dissector: Dissector::new(),
            in_order: 0,
            stateful: Vec::new(),
            stateful_upto: 0,
            scratch: Dissection::default(),
            rows: HashMap::new(),
            detail: None,
            detail_without_analysis: false,
            filter: None,
            stats: None,
            marked: Arc::default(),
        }
    }

    /// Loads everything on this thread (tests): index, analysis, no background work left.
    pub fn open_blocking(file: CaptureFile) -> Store {
        let mut s = Store::open(file);
        s.wait_idle();
        s
    }

    /// Blocks until the loader, the analysis, any filter pass and the statistics pass (if
    /// started) have finished.
    pub fn wait_idle(&mut self) {
        loop {
            self.poll();
            let filter_done = self.filter.as_ref().is_none_or(|f| f.progress.done);
            let stats_done = self.stats.as_ref().is_none_or(|s| s.progress.done);
            if self.load.done && self.analysis.done && filter_done && stats_done {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    pub fn file(&self) -> &CaptureFile {
        &self.file
    }

    /// The newest map of the capture, shared (for passes on their own threads).
    pub fn file_arc(&self) -> Arc<CaptureFile> {
        Arc::clone(&self.file)
    }

    /// Whether the user marked frame `number`.
    pub fn is_marked(&self, number: u64) -> bool {
        self.marked.contains(&number)
    }

    /// Marks or unmarks frame `number`; its cached detail is rebuilt (`frame.marked`).
    pub fn set_marked(&mut self, number: u64, on: bool) {
        let set = Arc::make_mut(&mut self.marked);
        if on { set.insert(number) } else { set.remove(&number) };
        if self.detail.as_ref().is_some_and(|d| d.number == number) {
            self.detail = None;
        }
    }

    /// Unmarks every frame.
    pub fn clear_marks(&mut self) {
        self.marked = Arc::default();
        self.detail = None;
    }

    /// The marked frames, ascending.
    pub fn marked(&self) -> &std::collections::BTreeSet<u64> {
        &self.marked
    }

    pub fn total_bytes(&self) -> u64 {
        self.file.bytes().len() as u64
    }

    /// Frames indexed so far.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    pub fn entry(&self, number: u64) -> Option<&FrameEntry> {
        self.frames.get(usize::try_from(number.checked_sub(1)?).ok()?)
    }

    /// The captured bytes of frame `number` (1-based), re-sliced from the map.
    pub fn frame_bytes(&self, number: u64) -> &[u8] {
        let Some(e) = self.entry(number) else { return &[] };
        let start = e.data_offset as usize;
        self.file.bytes().get(start..start.saturating_add(e.cap_len as usize)).unwrap_or(&[])
    }

    pub fn meta(&self, number: u64) -> Option<FrameMeta> {
        let e = self.entry(number)?;
        let comments = self.comments.get(&number).map(Vec::as_slice).unwrap_or(&[]);
        let mut meta = e.meta(number, comments);
        let ts_of = |n: u64| self.entry(n).map(|e| e.ts().unwrap_or_default());
        let prev = number.checked_sub(1).and_then(ts_of);
        meta.times = FrameTimes { first: ts_of(1), prev_captured: prev, prev_displayed: prev };
        Some(meta)
    }

    /// Drains the background channels. Returns true when anything changed (redraw).
    pub fn poll(&mut self) -> bool {
        let mut changed = false;
        if let Some(rx) = &self.load_rx {
            loop {
                match rx.try_recv() {
                    Ok(LoadMsg::Frames(batch, comments, map)) => {
                        if map.bytes().len() > self.file.bytes().len() {
                            self.file = map;
                        }
                        self.frames.extend_from_slice(&batch);
                        self.comments.extend(comments);
                        changed = true;
                    }
                    Ok(LoadMsg::Progress(b)) => {
                        self.load.bytes = b;
                        changed = true;
                    }
                    Ok(LoadMsg::Done(err)) => {
                        self.load.done = true;
                        self.load.bytes = self.total_bytes();
                        self.load.error = err;
                        changed = true;
                        break;
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        self.load.done = true;
                        break;
                    }
                }
            }
            if self.load.done {
                self.load_rx = None;
                self.start_analysis();
            }
        }
        if let Some(rx) = &self.analysis_rx {
            loop {
                match rx.try_recv() {
                    Ok(AnalysisMsg::Batch(v, stateful, upto)) => {
                        self.analysis.bytes = v.frames() as u64;
                        self.verdicts.append(v);
                        self.stateful.extend(stateful);
                        self.stateful_upto = upto;
                        changed = true;
                    }
                    Ok(AnalysisMsg::Done) | Err(TryRecvError::Disconnected) => {
                        self.analysis.done = true;
                        // Rows and the detail drawn before now may lack analysis markers, and
                        // frames asked for out of order before the analysis pass knew which
                        // frames to read first may lack what came before them.
                        self.rows.clear();
                        self.detail = None;
                        self.dissector.reset();
                        self.in_order = 0;
                        changed = true;
                        break;
                    }
                    Err(TryRecvError::Empty) => break,
                }
            }
            if self.analysis.done {
                self.analysis_rx = None;
            }
            if self.detail_without_analysis
                && let Some(d) = &self.detail
                && self.verdicts.frames() as u64 >= d.number
            {
                // The analysis reached the selected frame: rebuild it with its verdicts.
                self.detail = None;
                self.rows.clear();
            }
        }
        if let Some(run) = &mut self.stats {
            changed |= run.poll(self.file.bytes().len() as u64);
        }
        if let Some(run) = &mut self.filter {
            loop {
                match run.rx.try_recv() {
                    Ok(FilterMsg::Matches(m, bytes)) => {
                        run.matches.extend_from_slice(&m);
                        run.progress.bytes = bytes;
                        changed = true;
                    }
                    Ok(FilterMsg::Done) | Err(TryRecvError::Disconnected) => {
                        run.progress.done = true;
                        run.progress.bytes = self.file.bytes().len() as u64;
                        changed = true;
                        break;
                    }
                    Err(TryRecvError::Empty) => break,
                }
            }
        }
        changed
    }

    fn start_analysis(&mut self) {
        if self.analysis_rx.is_some() || self.analysis.done {
            return;
        }
        let (tx, rx) = channel();
        let follower = self.follower();
        let cancel = Arc::clone(&self.cancel);
        std::thread::Builder::new()
            .name("pktlab-analysis".into())
            .spawn(move || analysis_thread(follower, &cancel, &tx))
            .ok();
        self.analysis_rx = Some(rx);
    }

    /// Frames whose analysis is known (the analysis pass runs in file order).
    pub fn analysed(&self) -> u64 {
        self.verdicts.frames() as u64
    }

    /// Whether the analysis pass has been through every frame read (a live capture's
    /// analysis keeps going as frames arrive).
    pub fn analysis_done(&self) -> bool {
        self.analysis.done
    }

    /// Starts a filter pass (replacing any running one). The pass dissects and analyses every
    /// frame in order, so analysis fields (`tcp.analysis.retransmission`) filter correctly.
    pub fn start_filter(&mut self, filter: Filter) {
        self.filter = None;
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let handle = {
            let follower = self.follower();
            let cancel = Arc::clone(&cancel);
            let store_cancel = Arc::clone(&self.cancel);
            let filter = filter.clone();
            let marked = Arc::clone(&self.marked);
            std::thread::Builder::new()
                .name("pktlab-filter".into())
                .spawn(move || filter_thread(follower, &filter, &marked, &cancel, &store_cancel, &tx))
                .ok()
        };
        self.filter = Some(FilterRun { filter, matches: Vec::new(), progress: Progress::default(), rx, cancel, handle });
    }

    pub fn clear_filter(&mut self) {
        self.filter = None;
    }

    /// Starts the statistics pass ([`super::capture_stats`]) unless it is running or done.
    pub fn start_stats(&mut self) {
        if self.stats.is_none() {
            self.stats = Some(StatsRun::start(self.follower(), Arc::clone(&self.cancel)));
        }
    }

    /// Whether a background pass (loader, analysis, filter, statistics) is still running.
    pub fn busy(&self) -> bool {
        !self.load.done || !self.analysis.done || self.filter.as_ref().is_some_and(|f| !f.progress.done) || self.stats.as_ref().is_some_and(|s| !s.progress.done)
    }

    /// Dissects frame `number` into the scratch dissection (with its analysis, `annotate`).
    /// What a frame shows may depend on the frames before it (a message TCP reassembles, a
    /// fragment, an echo reply, DNS's transactions), and the user asks for frames in any
    /// order (a filter's matches, a jump to the end): the frames between the last one read
    /// in order and this one that the analysis pass found depending on earlier frames are
    /// read first, lean (as the loops on several cores do; at most [`REPLAY_MAX`], the
    /// nearest), so this one shows what reading the file from its start shows. Before the
    /// pass has looked that far, only the [`REPLAY_EARLY`] frames before it are read (when it
    /// is done, the dissector starts again and every row is made again). A frame read before
    /// shows again what it showed then.
    fn dissect_into(&mut self, number: u64, annotate: bool) -> Option<bool> {
        let meta = self.meta(number)?;
        let e = *self.entry(number)?;
        if number > self.in_order + 1 {
            self.dissector.set_text(false);
            self.dissector.set_demand(Some(Demand::default()));
            let from = (self.in_order + 1).max(number.saturating_sub(REPLAY_MAX));
            let gap: Vec<u64> = if self.stateful_upto + 1 >= number {
                let at = self.stateful.partition_point(|&n| n < from);
                self.stateful[at..].iter().copied().take_while(|&n| n < number).collect()
            } else {
                (from.max(number.saturating_sub(REPLAY_EARLY))..number).collect()
            };
            for n in gap {
                if let (Some(m), Some(&x)) = (self.meta(n), self.entry(n)) {
                    let start = x.data_offset as usize;
                    let data = self.file.bytes().get(start..start.saturating_add(x.cap_len as usize)).unwrap_or(&[]);
                    self.dissector.dissect(&m, data, &mut self.scratch);
                }
            }
            self.dissector.set_demand(None);
            self.dissector.set_text(true);
        }
        self.in_order = self.in_order.max(number);
        let start = e.data_offset as usize;
        let data = self.file.bytes().get(start..start.saturating_add(e.cap_len as usize)).unwrap_or(&[]);
        self.dissector.dissect(&meta, data, &mut self.scratch);
        set_marked_field(&mut self.scratch, self.marked.contains(&number));
        let mut analysed = false;
        if annotate && let Some(fa) = self.verdicts.frame_analysis(number, analysis::analyzer::ts_nanos(&meta), &self.scratch) {
            analysis::annotate(&fa, &mut self.scratch);
            analysed = true;
        }
        Some(analysed)
    }

    /// Whether frame `number` (dissected now, with its analysis and mark) matches `filter`.
    pub fn frame_matches(&mut self, number: u64, filter: &Filter) -> bool {
        if self.dissect_into(number, true).is_none() {
            return false;
        }
        let e = self.entry(number).copied();
        let data = e.map_or(&[][..], |e| {
            let start = e.data_offset as usize;
            self.file.bytes().get(start..start.saturating_add(e.cap_len as usize)).unwrap_or(&[])
        });
        filter.matches(&self.scratch, data)
    }

    /// The packet-list row of frame `number`, dissected on demand and cached.
    pub fn row(&mut self, number: u64) -> Option<&RowSummary> {
        if !self.rows.contains_key(&number) {
            self.dissect_into(number, true)?;
            if self.rows.len() >= ROW_CACHE_MAX {
                self.rows.clear();
            }
            let d = &self.scratch;
            let alert = d.experts.iter().any(row_alert);
            let row = RowSummary { protocol: d.protocol, src: d.src.clone(), dst: d.dst.clone(), info: d.info.clone(), alert };
            self.rows.insert(number, row);
        }
        self.rows.get(&number)
    }

    /// Dissects the rows of `frames` into the row cache (emptied first if they would not all
    /// fit), so [`Store::cached_row`] has every one of them.
    pub fn load_rows(&mut self, frames: &[u64]) {
        if frames.iter().filter(|n| !self.rows.contains_key(n)).count() + self.rows.len() >= ROW_CACHE_MAX {
            self.rows.clear();
        }
        for &n in frames {
            self.row(n);
        }
    }

    /// The packet-list row of frame `number` if [`Store::row`] or [`Store::load_rows`] cached it.
    pub fn cached_row(&self, number: u64) -> Option<&RowSummary> {
        self.rows.get(&number)
    }

    /// The full dissection of frame `number` (cached for the last frame asked).
    pub fn detail(&mut self, number: u64) -> Option<&Detail> {
        if self.detail.as_ref().is_none_or(|d| d.number != number) {
            let analysed = self.dissect_into(number, true)?;
            self.detail_without_analysis = !analysed && !self.analysis.done;
            self.detail = Some(Detail { number, dissection: std::mem::take(&mut self.scratch) });
        }
        self.detail.as_ref()
    }

    /// The cached detail of frame `number` with the frame's bytes, if [`Store::detail`] built it.
    pub fn cached_detail(&self, number: u64) -> Option<(&Dissection, &[u8])> {
        let d = self.detail.as_ref().filter(|d| d.number == number)?;
        Some((&d.dissection, self.frame_bytes(number)))
    }

    /// The stored analysis verdicts (for the ladder view and tests).
    pub fn verdicts(&self) -> &Verdicts {
        &self.verdicts
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// How many bytes a background pass reads between releases of the file's pages behind it.
const RELEASE_EVERY: u64 = 8 << 20;

/// Lets go of the pages of `map` a walk has left behind (every [`RELEASE_EVERY`] bytes), so
/// that walking a capture of any size keeps resident memory flat: the index, the analysis
/// and a filter pass each read the whole file, and without this every page they touched
/// would stay resident. A frame shown later is read from the file again.
pub(super) fn release_behind(map: &CaptureFile, pos: u64, released: &mut u64) {
    if pos >= *released + RELEASE_EVERY {
        map.release_before(pos - RELEASE_EVERY / 2);
        *released = pos;
    }
}

fn index_thread(mut follower: Follower, cancel: &AtomicBool, tx: &Sender<LoadMsg>) {
    let mut batch: Vec<FrameEntry> = Vec::with_capacity(FIRST_BATCH);
    let mut comments: Vec<(u64, Vec<String>)> = Vec::new();
    let mut limit = FIRST_BATCH;
    let mut number = 0u64;
    let mut sent_at = Instant::now();
    let send = |batch: &mut Vec<FrameEntry>, comments: &mut Vec<(u64, Vec<String>)>, map: &Arc<CaptureFile>, pos: u64| {
        let full = std::mem::replace(batch, Vec::with_capacity(BATCH));
        tx.send(LoadMsg::Frames(full, std::mem::take(comments), Arc::clone(map))).is_ok()
            && tx.send(LoadMsg::Progress(pos)).is_ok()
    };
    let mut last_map = Arc::clone(follower.file());
    let mut released = 0u64;
    let end = follower.walk(cancel, |ev| match ev {
        Event::Record(map, r, pos) => {
            release_behind(map, pos, &mut released);
            number += 1;
            batch.push(FrameEntry::from_record(r));
            if !r.comments.is_empty() {
                comments.push((number, r.comments.iter().map(|c| c.to_string()).collect()));
            }
            // A live capture's frames are handed on at least ten times a second.
            if batch.len() >= limit || sent_at.elapsed() > LIVE_LATENCY {
                sent_at = Instant::now();
                limit = BATCH;
                if !send(&mut batch, &mut comments, map, pos) {
                    return Step::Stop;
                }
            }
            if !Arc::ptr_eq(&last_map, map) {
                last_map = Arc::clone(map);
            }
            Step::Continue
        }
        Event::Idle(map, pos) => {
            sent_at = Instant::now();
            if !batch.is_empty() && !send(&mut batch, &mut comments, map, pos) {
                return Step::Stop;
            }
            Step::Continue
        }
    });
    let error = match end {
        End::Stopped => return,
        End::Complete => None,
        End::Damaged(e) => Some(e.to_string()),
    };
    let _ = tx.send(LoadMsg::Frames(batch, comments, last_map));
    let _ = tx.send(LoadMsg::Done(error));
}

fn analysis_thread(mut follower: Follower, cancel: &AtomicBool, tx: &Sender<AnalysisMsg>) {
    let mut seq = Sequence::new(true);
    seq.dissector_mut().set_text(false);
    let mut batch = Verdicts::default();
    let mut stateful = Vec::new();
    let mut sent_at = Instant::now();
    let mut released = 0u64;
    let end = follower.walk(cancel, |ev| {
        match ev {
            Event::Record(map, r, pos) => {
                release_behind(map, pos, &mut released);
                seq.push(r);
                if seq.dissection().stateful {
                    stateful.push(seq.frames());
                }
                if let Some(fa) = seq.analysis() {
                    batch.push(fa);
                }
                if batch.frames() < 16_384 && sent_at.elapsed() < LIVE_LATENCY {
                    return Step::Continue;
                }
            }
            Event::Idle(..) if batch.frames() > 0 => {}
            Event::Idle(..) => return Step::Continue,
        }
        sent_at = Instant::now();
        if tx.send(AnalysisMsg::Batch(std::mem::take(&mut batch), std::mem::take(&mut stateful), seq.frames())).is_err() { Step::Stop } else { Step::Continue }
    });
    if matches!(end, End::Stopped) {
        return;
    }
    let _ = tx.send(AnalysisMsg::Batch(batch, stateful, seq.frames()));
    let _ = tx.send(AnalysisMsg::Done);
}

/// Whether `filter` can depend on the TCP/UDP analysis: it names a field the analysis adds
/// (`tcp.stream`, `tcp.seq`, `tcp.analysis.retransmission`, …, or a dotted prefix of one such
/// as `tcp.analysis`; a bare protocol name like `tcp` does not count) or the expert items
/// (`_ws.expert`, `_ws.malformed`), to which the analysis adds its own. Other filters
/// (`udp.length > 100`, `ip.src == 10.0.0.1`) are evaluated on the plain dissection, which
/// saves the in-order analysis and about a third of the pass.
pub fn filter_needs_analysis(filter: &Filter) -> bool {
    let text = filter.text();
    let words = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-'));
    words.filter(|w| !w.is_empty()).any(|w| {
        let w = w.to_ascii_lowercase();
        w.starts_with("_ws")
            || analysis::fields().any(|f| {
                f.abbrev == w
                    || (w.contains('.')
                        && f.abbrev.len() > w.len()
                        && f.abbrev.starts_with(w.as_str())
                        && f.abbrev.as_bytes()[w.len()] == b'.')
            })
    })
}

/// Sets the dissection's `frame.marked` (the dissector always says false: marks are the
/// user's, kept by the store).
pub fn set_marked_field(d: &mut Dissection, marked: bool) {
    if !marked {
        return;
    }
    if let Some(f) = d.fields.iter_mut().find(|f| std::ptr::eq(f.def, &crate::dissect::frame::FRAME_MARKED)) {
        f.value = crate::dissect::Value::Bool(true);
    }
}

fn filter_thread(
    mut follower: Follower,
    filter: &Filter,
    marked: &std::collections::BTreeSet<u64>,
    cancel: &AtomicBool,
    store_cancel: &AtomicBool,
    tx: &Sender<FilterMsg>,
) {
    let analyse = filter_needs_analysis(filter);
    let mut seq = Sequence::new(analyse);
    let mut found = Vec::new();
    let mut since = 0usize;
    let mut position = 0u64;
    let mut released = 0u64;
    let mut sent_at = Instant::now();
    let end = follower.walk(cancel, |ev| {
        if store_cancel.load(Ordering::Relaxed) {
            return Step::Stop;
        }
        match ev {
            Event::Record(map, r, pos) => {
                release_behind(map, pos, &mut released);
                position = pos;
                seq.push(r);
                seq.annotate();
                let number = seq.frames();
                if !marked.is_empty() {
                    set_marked_field(seq.dissection_mut(), marked.contains(&number));
                }
                if filter.matches(seq.dissection(), r.data) {
                    found.push(u32::try_from(number).unwrap_or(u32::MAX));
                }
                since += 1;
                // Report early (first screen of matches), then every few thousand frames or
                // ten times a second.
                if !((number <= 4096 && since >= 256) || since >= 8192 || sent_at.elapsed() > LIVE_LATENCY) {
                    return Step::Continue;
                }
            }
            Event::Idle(_, pos) => position = pos,
        }
        since = 0;
        sent_at = Instant::now();
        if tx.send(FilterMsg::Matches(std::mem::take(&mut found), position)).is_err() { Step::Stop } else { Step::Continue }
    });
    if matches!(end, End::Stopped) {
        return;
    }
    let _ = tx.send(FilterMsg::Matches(found, position));
    let _ = tx.send(FilterMsg::Done);
}

/// Used by [`verdicts`] to re-read a frame's transport headers.
pub(crate) fn transports(d: &Dissection) -> Vec<(usize, analysis::Transport)> {
    let mut v = Vec::new();
    analysis::analyzer::extract(d, &mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_filters_need_the_analysis() {
        let needs = |t: &str| filter_needs_analysis(&Filter::compile(t).unwrap());
        assert!(needs("tcp.analysis.retransmission"));
        assert!(needs("tcp.analysis"));
        assert!(needs("tcp.stream == 3"));
        assert!(needs("tcp.seq == 1 && ip.src == 10.0.0.1"));
        assert!(needs("udp.stream eq 0"));
        assert!(needs("_ws.expert"));
        assert!(!needs("udp.length > 100"));
        assert!(!needs("tcp.port == 80"));
        assert!(!needs("tcp"));
        assert!(!needs("tcp.seq_raw == 5"));
        assert!(!needs("ip.src == 10.0.0.1"));
    }

    #[test]
    fn frame_entry_is_32_bytes() {
        assert_eq!(std::mem::size_of::<FrameEntry>(), 32);
    }
}
