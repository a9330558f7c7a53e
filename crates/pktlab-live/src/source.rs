//! [`LiveSource`]: a capture running on its own thread, delivering owned frames over a
//! bounded channel, with counters the UI can show.
//!
//! The capture thread only reads frames, applies the capture filter when the kernel does not
//! (see [`FilterPlacement`]) and sends;
//! consumers (the `--no-tui` printer, the writer, the TUI) dissect on their side. When the
//! channel is full the frame is dropped and counted in `user_drops` rather than blocking the
//! socket (which would turn into invisible kernel drops).

use super::capture_filter::CaptureFilter;
use crate::dissect::model::Timestamp;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the capture thread wakes up to notice a stop request.
const POLL: Duration = Duration::from_millis(100);

/// One captured frame, owned.
#[derive(Clone, Debug)]
pub struct LiveFrame {
    pub data: Vec<u8>,
    /// Length on the wire (≥ `data.len()` when the snaplen cut it).
    pub orig_len: u32,
    pub ts: Timestamp,
}

/// What a backend read into the caller's buffer.
#[derive(Clone, Copy, Debug)]
pub struct RawFrame {
    pub caplen: usize,
    pub orig_len: u32,
    pub ts: Timestamp,
}

/// A capture mechanism. `next` waits at most about [`POLL`] and returns `Ok(None)` when
/// nothing arrived, so the thread can notice a stop request.
pub trait Backend: Send {
    fn next(&mut self, buf: &mut [u8]) -> Result<Option<RawFrame>, LiveError>;
    /// Frames the kernel dropped, if the backend can know.
    fn kernel_drops(&self) -> Option<u64>;
    /// LINKTYPE_* of the frames.
    fn link_type(&self) -> u32;
    /// Where the capture filter runs; user space applies it unless the kernel does.
    fn filter_placement(&self) -> FilterPlacement;
}

/// Where the capture filter runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterPlacement {
    /// There is no capture filter.
    None,
    /// In the kernel, so packets it rejects never reach user space. `compiler` is "pktlab"
    /// (with the program's length) or "libpcap".
    Kernel { compiler: &'static str, instructions: Option<usize> },
    /// In user space, on every packet the kernel delivers, for this reason.
    UserSpace { reason: String },
}

impl FilterPlacement {
    pub fn in_kernel(&self) -> bool {
        matches!(self, FilterPlacement::Kernel { .. })
    }
}

/// Which capture mechanism to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BackendKind {
    /// AF_PACKET socket (no system library); capture filter compiled to BPF by pktlab.
    #[default]
    AfPacket,
    /// libpcap (cargo feature `libpcap`): kernel BPF filters and kernel drop counts.
    Libpcap,
}

/// Why a live capture could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(
        "no permission to capture on {interface}: capturing needs the CAP_NET_RAW capability.\n\
         Run it as root (`sudo pktlab live -i {interface}`), or grant the capability once:\n  \
         sudo setcap cap_net_raw,cap_net_admin=eip $(which pktlab)\n\
         (Reading capture files needs no privilege: `pktlab FILE.pcapng`.)"
    )]
    Permission { interface: String },
    #[error("no interface named \"{name}\" (see `pktlab interfaces`)")]
    NoSuchInterface { name: String },
    /// The cause is the error's `source()` (printed after it in `{:#}` chains), not repeated
    /// in its message.
    #[error("capturing on {interface}")]
    Io {
        interface: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Backend(String),
    #[error("this pktlab was built without libpcap; rebuild with `--features libpcap`")]
    NoLibpcap,
}

/// Running counters, shared between the capture thread and consumers.
#[derive(Debug, Default)]
pub struct Counters {
    /// Frames the backend delivered: after a kernel capture filter, before a user-space one.
    pub seen: AtomicU64,
    /// Frames that passed the filter.
    pub captured: AtomicU64,
    /// Frames that passed the filter but were dropped because the channel was full.
    pub user_drops: AtomicU64,
    pub kernel_drops: AtomicU64,
    pub kernel_drops_known: AtomicBool,
}

/// A snapshot of [`Counters`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LiveStats {
    pub seen: u64,
    pub captured: u64,
    pub user_drops: u64,
    pub kernel_drops: Option<u64>,
}

/// What to capture.
#[derive(Clone, Debug)]
pub struct LiveConfig {
    pub interface: String,
    pub filter: Option<CaptureFilter>,
    pub snaplen: u32,
    /// Frames buffered between the capture thread and the consumer.
    pub channel_capacity: usize,
    pub backend: BackendKind,
    /// Kernel ring size in MiB (AF_PACKET), as `-B/--buffer-size`.
    pub buffer_mib: usize,
}

impl LiveConfig {
    pub fn new(interface: &str) -> LiveConfig {
        LiveConfig {
            interface: interface.to_string(),
            filter: None,
            snaplen: 262_144,
            channel_capacity: 1 << 16,
            backend: BackendKind::default(),
            buffer_mib: super::afpacket::DEFAULT_BUFFER_MIB,
        }
    }
}

/// A running capture.
pub struct LiveSource {
    frames: Receiver<LiveFrame>,
    counters: Arc<Counters>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Result<(), LiveError>>>,
    link_type: u32,
    interface: String,
    snaplen: u32,
    filter: FilterPlacement,
}

impl LiveSource {
    /// Opens the interface (permission problems are reported here, synchronously) and starts
    /// the capture thread.
    pub fn start(cfg: LiveConfig) -> Result<LiveSource, LiveError> {
        let backend: Box<dyn Backend> = match cfg.backend {
            BackendKind::AfPacket => {
                let iface = super::interfaces::find(&cfg.interface)?;
                Box::new(super::afpacket::AfPacket::open(
                    &iface.name,
                    iface.index,
                    iface.is_loopback,
                    iface.link_type,
                    POLL,
                    cfg.snaplen,
                    cfg.buffer_mib,
                    cfg.filter.as_ref(),
                )?)
            }
            BackendKind::Libpcap => open_libpcap(&cfg)?,
        };
        let link_type = backend.link_type();
        let filter = if cfg.filter.is_some() { backend.filter_placement() } else { FilterPlacement::None };
        let user_filter = if filter.in_kernel() { None } else { cfg.filter.clone() };
        let (tx, rx) = mpsc::sync_channel(cfg.channel_capacity.max(1));
        let counters = Arc::new(Counters::default());
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let counters = Arc::clone(&counters);
            let stop = Arc::clone(&stop);
            let snaplen = cfg.snaplen as usize;
            std::thread::Builder::new()
                .name(format!("capture {}", cfg.interface))
                .spawn(move || capture_loop(backend, user_filter, snaplen, tx, &counters, &stop))
                .map_err(|e| LiveError::Io { interface: cfg.interface.clone(), source: e })?
        };
        Ok(LiveSource {
            frames: rx,
            counters,
            stop,
            thread: Some(thread),
            link_type,
            interface: cfg.interface,
            snaplen: cfg.snaplen,
            filter,
        })
    }

    /// The next frame, waiting at most `timeout`. `Disconnected` means the capture ended
    /// (call [`LiveSource::stop`] to learn why).
    pub fn recv_timeout(&self, timeout: Duration) -> Result<LiveFrame, RecvTimeoutError> {
        self.frames.recv_timeout(timeout)
    }

    /// A frame if one is waiting.
    pub fn try_recv(&self) -> Option<LiveFrame> {
        self.frames.try_recv().ok()
    }

    pub fn stats(&self) -> LiveStats {
        let c = &self.counters;
        LiveStats {
            seen: c.seen.load(Ordering::Relaxed),
            captured: c.captured.load(Ordering::Relaxed),
            user_drops: c.user_drops.load(Ordering::Relaxed),
            kernel_drops: c
                .kernel_drops_known
                .load(Ordering::Relaxed)
                .then(|| c.kernel_drops.load(Ordering::Relaxed)),
        }
    }

    pub fn link_type(&self) -> u32 {
        self.link_type
    }

    pub fn interface(&self) -> &str {
        &self.interface
    }

    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// Whether the capture filter runs in the kernel rather than in user space.
    pub fn filter_in_kernel(&self) -> bool {
        self.filter.in_kernel()
    }

    /// Where the capture filter runs, and why not in the kernel when it does not.
    pub fn filter_placement(&self) -> &FilterPlacement {
        &self.filter
    }

    /// Stops the capture thread and returns the final counters. Frames still queued in the
    /// channel are returned too, so nothing captured is lost.
    pub fn stop(mut self) -> (Result<LiveStats, LiveError>, Vec<LiveFrame>) {
        self.stop.store(true, Ordering::Relaxed);
        let result = match self.thread.take().map(|t| t.join()) {
            Some(Ok(Err(e))) => Err(e),
            Some(Err(_)) => Err(LiveError::Backend("the capture thread panicked".into())),
            _ => Ok(()),
        };
        let rest: Vec<LiveFrame> = self.frames.try_iter().collect();
        (result.map(|()| self.stats()), rest)
    }
}

impl Drop for LiveSource {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn capture_loop(
    mut backend: Box<dyn Backend>,
    filter: Option<CaptureFilter>,
    snaplen: usize,
    tx: SyncSender<LiveFrame>,
    counters: &Counters,
    stop: &AtomicBool,
) -> Result<(), LiveError> {
    let link_type = backend.link_type();
    let mut buf = vec![0u8; snaplen.max(64)];
    counters.kernel_drops_known.store(backend.kernel_drops().is_some(), Ordering::Relaxed);
    // Kernel drop counts cost a system call: read them when idle and every few thousand frames.
    let mut since_drops = 0u32;
    while !stop.load(Ordering::Relaxed) {
        let Some(raw) = backend.next(&mut buf)? else {
            update_kernel_drops(backend.as_ref(), counters);
            continue;
        };
        counters.seen.fetch_add(1, Ordering::Relaxed);
        let data = &buf[..raw.caplen.min(buf.len())];
        if let Some(f) = &filter
            && !f.matches_frame(link_type, data, raw.orig_len)
        {
            continue;
        }
        counters.captured.fetch_add(1, Ordering::Relaxed);
        let frame = LiveFrame { data: data.to_vec(), orig_len: raw.orig_len, ts: raw.ts };
        match tx.try_send(frame) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                counters.user_drops.fetch_add(1, Ordering::Relaxed);
            }
            Err(TrySendError::Disconnected(_)) => break,
        }
        since_drops += 1;
        if since_drops >= 4096 {
            since_drops = 0;
            update_kernel_drops(backend.as_ref(), counters);
        }
    }
    update_kernel_drops(backend.as_ref(), counters);
    Ok(())
}

fn update_kernel_drops(backend: &dyn Backend, counters: &Counters) {
    if let Some(d) = backend.kernel_drops() {
        counters.kernel_drops.store(d, Ordering::Relaxed);
    }
}

#[cfg(feature = "libpcap")]
fn open_libpcap(cfg: &LiveConfig) -> Result<Box<dyn Backend>, LiveError> {
    Ok(Box::new(super::pcap_backend::Libpcap::open(cfg, POLL)?))
}

#[cfg(not(feature = "libpcap"))]
fn open_libpcap(_cfg: &LiveConfig) -> Result<Box<dyn Backend>, LiveError> {
    Err(LiveError::NoLibpcap)
}
