//! `pktlab live` and `pktlab interfaces`: capture from an interface, optionally write a
//! pcapng file, print one summary line per packet (`--no-tui`), decode game messages.
use anyhow::Context;
use pktlab::dissect::{Dissection, Dissector, FrameMeta, Timestamp};
use pktlab::game::{GameDecoder, GameProto};
use pktlab::live::frame_peek;
use pktlab::live::pcapng_writer::{Interface, InterfaceStats, WriteError};
use pktlab::live::rotate::{RingFile, RingSpec, Rotating};
use pktlab::live::{BackendKind, CaptureFilter, FilterPlacement, LiveConfig, LiveError, LiveFrame, LiveSource, LiveStats};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Frames waiting for the pcapng writer thread, at most; a frame that finds the queue full is
/// dropped and counted (the capture never waits for the disk).
const WRITER_QUEUE: usize = 1 << 16;

#[derive(clap::Args, Debug, Clone)]
pub struct LiveArgs {
    /// Interface to capture on (see `pktlab interfaces`), e.g. lo, eth0.
    #[arg(short = 'i', long = "interface")]
    pub interface: String,
    /// Capture filter in tcpdump syntax (host A, net A/len, port N, portrange A-B, src/dst,
    /// ip, ip6, arp, tcp, udp, icmp, icmp6, less N, greater N, and/or/not); compiled to BPF and
    /// run in the kernel.
    #[arg(short = 'f', long = "filter")]
    pub filter: Option<String>,
    /// Also write every captured packet to this pcapng file.
    #[arg(short = 'w', long = "write")]
    pub write: Option<PathBuf>,
    /// Ring buffer, as dumpcap's -b (with -w, without the TUI): filesize:KB (1000 bytes),
    /// duration:SEC, files:N (keep the newest N). Files are named FILE_00001_YYYYMMDDhhmmss.pcapng.
    #[arg(short = 'b', value_name = "KEY:VALUE")]
    pub ring: Vec<String>,
    /// Stop after this long, e.g. 30s, 2m.
    #[arg(long, value_parser = humantime::parse_duration)]
    pub duration: Option<Duration>,
    /// Stop after this many packets.
    #[arg(short = 'c', long = "count")]
    pub count: Option<u64>,
    /// Print one line per packet instead of opening the TUI (implied when standard output
    /// is not a terminal).
    #[arg(long)]
    pub no_tui: bool,
    /// Print nothing per packet (only the final counts); for writing files fast.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Game protocol description (TOML) to decode game messages with, e.g. protos/demo.toml.
    #[arg(long)]
    pub proto: Option<PathBuf>,
    /// Capture through libpcap (which then compiles the filter); needs a build with
    /// `--features libpcap`.
    #[arg(long)]
    pub libpcap: bool,
    /// Kernel capture buffer (the AF_PACKET ring) in MiB, as dumpcap's -B.
    #[arg(short = 'B', long = "buffer-size", default_value_t = pktlab::live::afpacket::DEFAULT_BUFFER_MIB)]
    pub buffer_size: usize,
    /// Bytes kept of each packet.
    #[arg(short = 's', long, default_value_t = 262_144)]
    pub snaplen: u32,
}

pub fn interfaces() -> anyhow::Result<ExitCode> {
    let list = pktlab::live::interfaces::list();
    if list.is_empty() {
        eprintln!("pktlab: no network interfaces found");
        return Ok(ExitCode::from(1));
    }
    for i in list {
        let mut flags = vec![if i.is_up { "UP" } else { "DOWN" }];
        if i.is_loopback {
            flags.push("LOOPBACK");
        }
        let addrs: Vec<String> = i.addresses.iter().map(|(a, p)| format!("{a}/{p}")).collect();
        println!(
            "{:>3}. {:<16} [{}] {}{}{}",
            i.index,
            i.name,
            flags.join(","),
            pktlab::capture::linktype::name(i.link_type),
            i.mac.map(|m| format!(" {m}")).unwrap_or_default(),
            if addrs.is_empty() { String::new() } else { format!("  {}", addrs.join(" ")) },
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: LiveArgs) -> anyhow::Result<ExitCode> {
    let filter = match &args.filter {
        Some(text) => Some(CaptureFilter::compile(text).map_err(|e| {
            anyhow::anyhow!("{e}\n  {text}\n  {}^", " ".repeat(e.column.saturating_sub(1)))
        })?),
        None => None,
    };
    let game = match &args.proto {
        Some(path) => {
            let proto = GameProto::load(path).map_err(|e| anyhow::anyhow!("{e}"))?;
            Some(GameDecoder::new(Arc::new(proto)))
        }
        None => None,
    };
    let mut cfg = LiveConfig::new(&args.interface);
    cfg.filter = filter;
    cfg.snaplen = args.snaplen;
    cfg.buffer_mib = args.buffer_size;
    cfg.backend = if args.libpcap { BackendKind::Libpcap } else { BackendKind::AfPacket };
    let source = match LiveSource::start(cfg) {
        Ok(s) => s,
        Err(e @ LiveError::Permission { .. }) => {
            eprintln!("pktlab live: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(f) = &args.filter {
        eprintln!("pktlab live: capture filter \"{f}\" {}", placement_text(source.filter_placement()));
    }
    let ring = RingSpec::parse(&args.ring).map_err(anyhow::Error::msg)?;
    if !args.ring.is_empty() && args.write.is_none() {
        anyhow::bail!("-b needs -w FILE: the ring's files are named after it");
    }
    // The TUI needs a terminal; from a script or a pipe the capture runs headless.
    if !args.no_tui && std::io::stdout().is_terminal() {
        if !args.ring.is_empty() {
            anyhow::bail!("-b needs --no-tui (or -q): the TUI follows one file as it grows");
        }
        return run_tui(args, source, game);
    }
    let writer = match &args.write {
        Some(path) => {
            let iface = Interface {
                name: source.interface().to_string(),
                link_type: u16::try_from(source.link_type()).unwrap_or(1),
                snaplen: source.snaplen(),
            };
            Some(Rotating::create(path, &[iface], ring)?)
        }
        None => None,
    };
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).context("installing signal handlers")?;
    }
    eprintln!(
        "pktlab live: capturing on {} ({}){}",
        source.interface(),
        pktlab::capture::linktype::name(source.link_type()),
        args.write.as_ref().map(|p| format!(", writing {}", p.display())).unwrap_or_default()
    );
    let mut printer = Printer {
        out: BufWriter::new(std::io::stdout().lock()),
        quiet: args.quiet,
        dissector: Dissector::new(),
        dissection: Dissection::default(),
        game,
        link_type: source.link_type(),
        first_ts: None,
        number: 0,
        times: Default::default(),
    };
    let placement = source.filter_placement().clone();
    let summary = capture_loop(&args, source, &stop, &mut printer, writer, None)?;
    report(&summary, &placement, args.write.as_ref());
    Ok(ExitCode::SUCCESS)
}

/// The live TUI: the capture thread writes every packet to a pcapng file (the `-w` file, or a
/// temporary one), and the TUI follows that file as it grows, so memory stays bounded however
/// long the capture runs: packets live in the file and are read back when shown.
fn run_tui(args: LiveArgs, source: LiveSource, game: Option<GameDecoder>) -> anyhow::Result<ExitCode> {
    let (path, temporary) = match &args.write {
        Some(p) => (p.clone(), false),
        None => (std::env::temp_dir().join(format!("pktlab-live-{}.pcapng", std::process::id())), true),
    };
    let iface = Interface {
        name: source.interface().to_string(),
        link_type: u16::try_from(source.link_type()).unwrap_or(1),
        snaplen: source.snaplen(),
    };
    let mut writer = Rotating::create(&path, &[iface], RingSpec::default())?;
    writer.flush()?;
    let file = pktlab::capture::CaptureFile::open(&path).map_err(anyhow::Error::new)?;
    let live = Arc::new(AtomicBool::new(true));
    let stop = Arc::new(AtomicBool::new(false));
    let status = Arc::new(std::sync::Mutex::new(String::new()));
    let name = format!("{} → {}", source.interface(), path.display());
    let lang = pktlab::explain::Lang::Ko;
    let filter_note = match (&args.filter, source.filter_in_kernel()) {
        (Some(f), true) => format!(" │ {}", pktlab::explain::ui_with("tui.live.filter_kernel", lang, &[("filter", f)])),
        (Some(f), false) => format!(" │ {}", pktlab::explain::ui_with("tui.live.filter_user", lang, &[("filter", f)])),
        (None, _) => String::new(),
    };
    let lang = pktlab::explain::Lang::Ko;
    let placement = source.filter_placement().clone();
    // The follow view frames the same messages the capture thread decodes.
    let game_proto = game.as_ref().map(|g| std::sync::Arc::new(g.proto().clone()));
    let capture = {
        let (live, stop, status) = (Arc::clone(&live), Arc::clone(&stop), Arc::clone(&status));
        let args = LiveArgs { no_tui: true, quiet: true, ..args.clone() };
        std::thread::Builder::new().name("pktlab-capture".into()).spawn(move || {
            let mut printer = Printer {
                out: std::io::sink(),
                quiet: true,
                dissector: Dissector::new(),
                dissection: Dissection::default(),
                game,
                link_type: source.link_type(),
                first_ts: None,
                number: 0,
                times: Default::default(),
            };
            let r = capture_loop(&args, source, &stop, &mut printer, Some(writer), Some((&status, &filter_note, lang)));
            live.store(false, Ordering::Relaxed);
            r
        })?
    };
    let opts = pktlab::tui::Options { lang, debug_panic: std::env::var("PKTLAB_DEBUG_PANIC").is_ok_and(|v| v == "1"), game: game_proto };
    let store = pktlab::tui::store::Store::open_live(file, Arc::clone(&live));
    let mut app = pktlab::tui::App::new(store, name, opts.lang, pktlab::tui::theme::Theme::from_env());
    app.debug_panic = opts.debug_panic;
    app.game = opts.game.clone();
    app.live = Some(pktlab::tui::app::LiveView { status: Arc::clone(&status), held_at: None });
    let ui = pktlab::tui::run_app(app);
    stop.store(true, Ordering::Relaxed);
    let result = capture.join().map_err(|_| anyhow::anyhow!("the capture thread panicked"))?;
    ui.context("terminal")?;
    let summary = result?;
    report(&summary, &placement, Some(&path));
    if temporary {
        eprintln!("pktlab live: the capture stays in {} (use -w FILE to choose where)", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// What a capture did, for the final report.
struct Summary {
    stats: LiveStats,
    /// Frames handed to the printer and the writer.
    processed: u64,
    /// Frames in the file (or the ring's files), if writing.
    written: Option<u64>,
    /// The files written, with their packets (one, or a ring's).
    files: Vec<RingFile>,
    /// Frames dropped because the writer's queue was full.
    writer_drops: u64,
}

/// The pcapng writer on its own thread, fed by a bounded queue: the capture loop never waits
/// for the disk. A frame that finds the queue full is dropped and counted; a write error stops
/// the thread and is returned by [`WriterThread::finish`].
struct WriterThread {
    tx: SyncSender<ToWriter>,
    thread: JoinHandle<Result<(u64, Vec<RingFile>), WriteError>>,
    written: Arc<AtomicU64>,
    drops: u64,
}

enum ToWriter {
    Frame(LiveFrame),
    /// The capture ended: write the statistics block and close the file.
    Finish(InterfaceStats),
}

impl WriterThread {
    fn start(writer: Rotating, queue: usize) -> anyhow::Result<WriterThread> {
        let (tx, rx) = mpsc::sync_channel(queue.max(1));
        let written = Arc::new(AtomicU64::new(0));
        let count = Arc::clone(&written);
        let thread = std::thread::Builder::new()
            .name("pcapng writer".into())
            .spawn(move || write_frames(writer, rx, &count))
            .context("starting the pcapng writer thread")?;
        Ok(WriterThread { tx, thread, written, drops: 0 })
    }

    /// Queues a frame without waiting; false once the writer has stopped (on an error).
    fn push(&mut self, frame: LiveFrame) -> bool {
        match self.tx.try_send(ToWriter::Frame(frame)) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                self.drops += 1;
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        }
    }

    fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Writes what is queued and the statistics block; the packets written, or the error
    /// that stopped the writer.
    fn finish(self, stats: InterfaceStats) -> anyhow::Result<(u64, Vec<RingFile>)> {
        // Waiting is right here: the capture is over. A stopped writer has dropped its end.
        let _ = self.tx.send(ToWriter::Finish(stats));
        drop(self.tx);
        let written = self.thread.join().map_err(|_| anyhow::anyhow!("the pcapng writer thread panicked"))??;
        Ok(written)
    }
}

fn write_frames(mut w: Rotating, rx: Receiver<ToWriter>, written: &AtomicU64) -> Result<(u64, Vec<RingFile>), WriteError> {
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(ToWriter::Frame(f)) => {
                w.write_packet(0, f.ts, &f.data, f.orig_len)?;
                written.store(w.written(), Ordering::Relaxed);
            }
            Ok(ToWriter::Finish(stats)) => return w.finish(&[stats]),
            // An idle moment: put what is buffered on disk (the TUI follows the file).
            Err(RecvTimeoutError::Timeout) => w.tick()?,
            Err(RecvTimeoutError::Disconnected) => return w.finish(&[]),
        }
    }
}

/// Receives packets until stopped (signal, `-c`, `--duration`, or `stop`), handing each to the
/// printer and to the writer thread; updates `status` (live TUI) ten times a second, and
/// without the TUI says on standard error when packets are being dropped.
fn capture_loop<W: Write>(
    args: &LiveArgs,
    source: LiveSource,
    stop: &AtomicBool,
    printer: &mut Printer<W>,
    writer: Option<Rotating>,
    status: Option<(&std::sync::Mutex<String>, &str, pktlab::explain::Lang)>,
) -> anyhow::Result<Summary> {
    let mut writer = writer.map(|w| WriterThread::start(w, WRITER_QUEUE)).transpose()?;
    let started = Instant::now();
    let mut status_at = Instant::now();
    // Drop counts last said on standard error, and when (at most once a second).
    let mut drops_said = ((0u64, 0u64, 0u64), Instant::now());
    let wanted = args.count.unwrap_or(u64::MAX);
    let mut first_ts = None;
    let mut last_ts = None;
    let mut writer_stopped = false;
    let done = |n: u64| n >= wanted;
    while !stop.load(Ordering::Relaxed) && !done(printer.number) && !writer_stopped {
        if args.duration.is_some_and(|d| started.elapsed() >= d) {
            break;
        }
        match source.recv_timeout(Duration::from_millis(100)) {
            Ok(frame) => {
                first_ts.get_or_insert(frame.ts);
                last_ts = Some(frame.ts);
                handle(&frame, printer)?;
                if let Some(w) = writer.as_mut() {
                    writer_stopped = !w.push(frame);
                }
            }
            Err(RecvTimeoutError::Timeout) => printer.out.flush()?,
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if status_at.elapsed() < Duration::from_millis(100) {
            continue;
        }
        status_at = Instant::now();
        let st = source.stats();
        let writer_drops = writer.as_ref().map_or(0, |w| w.drops);
        if let Some((line, note, lang)) = status {
            let kernel = st.kernel_drops.map(|k| k.to_string()).unwrap_or_else(|| "?".into());
            let written = writer.as_ref().map_or(printer.number, WriterThread::written);
            let args: [(&str, &dyn std::fmt::Display); 6] = [
                ("iface", &source.interface()),
                ("captured", &st.captured),
                ("written", &written),
                ("kernel", &kernel),
                ("queue", &st.user_drops),
                ("writer", &writer_drops),
            ];
            let text = format!("{}{note}", pktlab::explain::ui_with("tui.live.status", lang, &args));
            *line.lock().unwrap_or_else(|e| e.into_inner()) = text;
        } else {
            let now = (st.kernel_drops.unwrap_or(0), st.user_drops, writer_drops);
            if now != drops_said.0 && drops_said.1.elapsed() >= Duration::from_secs(1) {
                eprintln!(
                    "pktlab live: dropping packets so far: {} by the kernel, {} capture queue full, {} writer queue full",
                    now.0, now.1, now.2
                );
                drops_said = (now, Instant::now());
            }
        }
    }
    let (result, rest) = source.stop();
    for frame in rest {
        if done(printer.number) || writer_stopped {
            break;
        }
        first_ts.get_or_insert(frame.ts);
        last_ts = Some(frame.ts);
        handle(&frame, printer)?;
        if let Some(w) = writer.as_mut() {
            writer_stopped = !w.push(frame);
        }
    }
    printer.out.flush()?;
    let stats = result?;
    let writer_drops = writer.as_ref().map_or(0, |w| w.drops);
    let written = match writer {
        Some(w) => {
            let dropped = stats.kernel_drops.map(|k| k + stats.user_drops + writer_drops);
            let s = InterfaceStats { received: stats.captured, dropped, start: first_ts, end: last_ts };
            Some(w.finish(s)?)
        }
        None => None,
    };
    let (written, files) = match written {
        Some((n, files)) => (Some(n), files),
        None => (None, Vec::new()),
    };
    Ok(Summary { stats, processed: printer.number, written, files, writer_drops })
}

/// How `pktlab live` says where the capture filter runs.
fn placement_text(p: &FilterPlacement) -> String {
    match p {
        FilterPlacement::None => "(none)".into(),
        FilterPlacement::Kernel { compiler, instructions: Some(n) } => {
            format!("runs in the kernel (BPF, {n} instructions compiled by {compiler})")
        }
        FilterPlacement::Kernel { compiler, instructions: None } => format!("runs in the kernel (BPF compiled by {compiler})"),
        FilterPlacement::UserSpace { reason } => format!("runs in user space: {reason}"),
    }
}

fn report(s: &Summary, placement: &FilterPlacement, path: Option<&PathBuf>) {
    let st = &s.stats;
    let kernel = st.kernel_drops.map(|k| k.to_string()).unwrap_or_else(|| "unknown".into());
    eprintln!(
        "pktlab live: {} packets processed ({} captured after the filter, {} seen); dropped: {kernel} by the kernel, \
         {} in user space (capture queue full), {} in user space (writer queue full)",
        s.processed, st.captured, st.seen, st.user_drops, s.writer_drops
    );
    if !matches!(placement, FilterPlacement::None) {
        eprintln!("pktlab live: the capture filter {}", placement_text(placement));
    }
    match (s.written, path) {
        (Some(n), Some(p)) if s.files.len() <= 1 => eprintln!("pktlab live: {n} packets written to {}", p.display()),
        (Some(n), _) => {
            let kept = s.files.iter().filter(|f| f.kept).count();
            eprintln!("pktlab live: {n} packets written to {} files ({kept} kept):", s.files.len());
            for f in &s.files {
                eprintln!("  {}  {} packets{}", f.path.display(), f.packets, if f.kept { "" } else { " (removed: files limit)" });
            }
        }
        _ => {}
    }
}

struct Printer<W: Write> {
    out: W,
    quiet: bool,
    dissector: Dissector,
    dissection: Dissection,
    game: Option<GameDecoder>,
    link_type: u32,
    first_ts: Option<Timestamp>,
    number: u64,
    times: pktlab::dissect::FrameTimes,
}

/// Counts the frame and prints its line (or only decodes game messages when quiet).
fn handle<W: Write>(frame: &LiveFrame, p: &mut Printer<W>) -> anyhow::Result<()> {
    p.number += 1;
    if p.quiet && p.game.is_none() {
        return Ok(());
    }
    let meta = FrameMeta {
        number: p.number,
        ts: Some(frame.ts),
        orig_len: frame.orig_len,
        interface_id: Some(0),
        interface: None,
        link_type: Some(p.link_type),
        comments: Vec::new(),
        times: p.times,
    };
    p.times.advance(&meta, true);
    p.dissector.dissect(&meta, &frame.data, &mut p.dissection);
    if let Some(g) = p.game.as_mut() {
        g.process(&mut p.dissection, &frame.data);
    }
    if p.quiet {
        return Ok(());
    }
    let first = *p.first_ts.get_or_insert(frame.ts);
    let rel = (frame.ts.as_nanos() - first.as_nanos()) as f64 / 1e9;
    let d = &p.dissection;
    let line = if d.protocol.is_empty() {
        fallback_summary(p.link_type, &frame.data)
    } else {
        format!("{} → {} {} {} {}", d.src, d.dst, d.protocol, frame.orig_len, d.info)
    };
    write!(p.out, "{:>6} {rel:>11.6} {line}", p.number)?;
    for l in d.layers.iter().filter(|l| l.proto == "game") {
        write!(p.out, "  [{}]", l.summary)?;
    }
    writeln!(p.out)?;
    Ok(())
}

/// A summary from the frame's headers alone, for frames the dissector left empty.
fn fallback_summary(link_type: u32, data: &[u8]) -> String {
    let k = frame_peek::peek(link_type, data);
    let proto = match k.ip_proto {
        Some(6) => "TCP",
        Some(17) => "UDP",
        Some(1) => "ICMP",
        Some(58) => "ICMPv6",
        _ => "?",
    };
    match (k.src, k.dst) {
        (Some(s), Some(d)) => match (k.src_port, k.dst_port) {
            (Some(sp), Some(dp)) => format!("{s}:{sp} → {d}:{dp} {proto} {}", data.len()),
            _ => format!("{s} → {d} {proto} {}", data.len()),
        },
        _ => format!("ethertype 0x{:04x} {}", k.ether_type.unwrap_or(0), data.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pktlab::capture::CaptureFile;

    /// However fast frames come, each one is either written or counted as a writer-queue drop,
    /// and the file holds exactly the written ones, in order.
    #[test]
    fn writer_thread_writes_or_counts_every_frame() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.pcapng");
        let iface = Interface { name: "lo".into(), link_type: 1, snaplen: 262_144 };
        let mut w = WriterThread::start(Rotating::create(&path, &[iface], RingSpec::default()).unwrap(), 4).unwrap();
        let sent = 20_000u32;
        for i in 0..sent {
            let mut data = vec![0u8; 60];
            data[..4].copy_from_slice(&i.to_be_bytes());
            let frame = LiveFrame { data, orig_len: 60, ts: Timestamp { secs: 1_700_000_000, nanos: i } };
            assert!(w.push(frame), "the writer stopped");
        }
        let drops = w.drops;
        let stats = InterfaceStats { received: u64::from(sent), dropped: Some(drops), start: None, end: None };
        let (written, _) = w.finish(stats).unwrap();
        println!("queue of 4: {written} written, {drops} dropped (writer queue full)");
        assert_eq!(written + drops, u64::from(sent), "{written} written + {drops} dropped");
        let file = CaptureFile::open(&path).unwrap();
        let numbers: Vec<u32> = file
            .records()
            .map(|r| {
                let r = r.unwrap();
                u32::from_be_bytes([r.data[0], r.data[1], r.data[2], r.data[3]])
            })
            .collect();
        assert_eq!(numbers.len() as u64, written);
        assert!(numbers.windows(2).all(|p| p[0] < p[1]), "frames out of order");
    }
}
