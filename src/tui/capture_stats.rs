//! The statistics pass behind the conversations (`C`), expert info (`E`) and summary (`S`)
//! views: one background walk of the capture that dissects, analyses and annotates every
//! frame in order (as `pktlab stats conv` and `pktlab stats expert` do) and counts it into a
//! [`ConvTable`], an [`ExpertTable`] and a [`CaptureSummary`].
//!
//! Why a pass of its own: conversations need each frame's addresses and the experts need the
//! annotated dissection, neither of which the compact verdicts keep. The pass starts the
//! first time one of the views opens, reports a snapshot of the tables four times a second
//! (the views show them as they grow, with the progress), and follows a live capture as it
//! grows. Like the other passes it lets go of the file's pages behind it. The UI thread only
//! swaps in the newest snapshot.

use super::store::Progress;
use crate::analysis::FrameAnalysis;
use crate::analysis::conv::ConvTable;
use crate::analysis::expert::ExpertTable;
use crate::analysis::summary::CaptureSummary;
use crate::capture::follow::{End, Event, Follower, Step};
use crate::dissect::{Dissection, FrameMeta};
use crate::pipeline::Sequence;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the pass hands the UI a snapshot while it runs.
const SNAPSHOT_EVERY: Duration = Duration::from_millis(250);

/// Everything the three views show, counted over the frames walked so far.
#[derive(Clone, Debug, Default)]
pub struct CaptureStats {
    pub conv: ConvTable,
    pub expert: ExpertTable,
    pub summary: CaptureSummary,
}

impl CaptureStats {
    /// Counts one frame: its facts, captured length, annotated dissection and analysis.
    pub fn add(&mut self, meta: &FrameMeta, cap_len: usize, d: &Dissection, fa: Option<&FrameAnalysis>) {
        if let Some(fa) = fa {
            self.conv.add(fa, meta.orig_len);
        }
        self.expert.add(meta.number, d);
        self.summary.add(meta, cap_len, d);
    }
}

enum StatsMsg {
    Snapshot(Box<CaptureStats>, u64),
    Done(Box<CaptureStats>),
}

/// The running or finished statistics pass.
pub struct StatsRun {
    /// The newest snapshot (complete once `progress.done`).
    pub stats: CaptureStats,
    pub progress: Progress,
    /// Counts the snapshots taken in, so views can tell their sorted copies are stale.
    pub generation: u64,
    rx: Option<Receiver<StatsMsg>>,
    cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Drop for StatsRun {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl StatsRun {
    /// Starts the pass over what `follower` walks; `store_cancel` stops it with the store.
    pub(super) fn start(follower: Follower, store_cancel: Arc<AtomicBool>) -> StatsRun {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let handle = {
            let cancel = Arc::clone(&cancel);
            std::thread::Builder::new().name("pktlab-stats".into()).spawn(move || stats_thread(follower, &cancel, &store_cancel, &tx)).ok()
        };
        StatsRun { stats: CaptureStats::default(), progress: Progress::default(), generation: 0, rx: Some(rx), cancel, handle }
    }

    /// Takes in what the pass reported; true when anything changed. `total` is the file's size
    /// (the progress of a finished pass).
    pub(super) fn poll(&mut self, total: u64) -> bool {
        let Some(rx) = &self.rx else { return false };
        let mut changed = false;
        loop {
            match rx.try_recv() {
                Ok(StatsMsg::Snapshot(s, pos)) => {
                    self.stats = *s;
                    self.progress.bytes = pos;
                    self.generation += 1;
                    changed = true;
                }
                Ok(StatsMsg::Done(s)) => {
                    self.stats = *s;
                    self.generation += 1;
                    self.progress.done = true;
                    self.progress.bytes = total;
                    changed = true;
                    break;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.progress.done = true;
                    changed = true;
                    break;
                }
            }
        }
        if self.progress.done {
            self.rx = None;
        }
        changed
    }
}

fn stats_thread(mut follower: Follower, cancel: &AtomicBool, store_cancel: &AtomicBool, tx: &Sender<StatsMsg>) {
    let mut seq = Sequence::new(true);
    seq.dissector_mut().set_text(false);
    let mut stats = CaptureStats::default();
    let mut sent_at = Instant::now();
    let mut dirty = false;
    let mut position = 0u64;
    let mut released = 0u64;
    let end = follower.walk(cancel, |ev| {
        if store_cancel.load(Ordering::Relaxed) {
            return Step::Stop;
        }
        match ev {
            Event::Record(map, r, pos) => {
                super::store::release_behind(map, pos, &mut released);
                position = pos;
                seq.push(r);
                seq.annotate();
                let (meta, d, fa) = seq.last_mut();
                stats.add(meta, r.data.len(), d, fa);
                dirty = true;
                if sent_at.elapsed() < SNAPSHOT_EVERY {
                    return Step::Continue;
                }
            }
            Event::Idle(_, pos) => {
                position = pos;
                if !dirty {
                    return Step::Continue;
                }
            }
        }
        sent_at = Instant::now();
        dirty = false;
        if tx.send(StatsMsg::Snapshot(Box::new(stats.clone()), position)).is_err() { Step::Stop } else { Step::Continue }
    });
    if matches!(end, End::Stopped) {
        return;
    }
    let _ = tx.send(StatsMsg::Done(Box::new(stats)));
}

/// Draws the border the three views share, titled `title` plus the pass's progress while it
/// runs (" · 계산 중 42%"), and returns the area inside it.
pub fn framed(app: &super::app::App, mut title: String, area: ratatui::layout::Rect, buf: &mut ratatui::buffer::Buffer) -> ratatui::layout::Rect {
    use ratatui::widgets::{Block, Borders, Widget};
    if let Some(r) = app.store.stats.as_ref().filter(|r| !r.progress.done) {
        let total = app.store.total_bytes().max(1);
        let pct = (r.progress.bytes * 100 / total).min(99);
        title.push_str(&format!(" · {}", crate::explain::ui_with("tui.stats.computing", app.lang, &[("pct", &pct)])));
    }
    let block = Block::default().borders(Borders::ALL).title(format!(" {title} ")).title_style(app.theme.header());
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}
