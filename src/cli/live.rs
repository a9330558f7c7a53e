//! `pktlab live` and `pktlab interfaces`: capture from an interface, optionally write a
//! pcapng file, print one summary line per packet (`--no-tui`), decode game messages.
use anyhow::Context;
use pktlab::dissect::{Dissection, Dissector, FrameMeta, Timestamp};
use pktlab::game::{GameDecoder, GameProto};
use pktlab::live::frame_peek;
use pktlab::live::pcapng_writer::{Interface, InterfaceStats, PcapngWriter};
use pktlab::live::{BackendKind, CaptureFilter, LiveConfig, LiveError, LiveFrame, LiveSource, LiveStats};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug, Clone)]
pub struct LiveArgs {
    /// Interface to capture on (see `pktlab interfaces`), e.g. lo, eth0.
    #[arg(short = 'i', long = "interface")]
    pub interface: String,
    /// Capture filter in tcpdump syntax (port N, tcp, udp, host A, src/dst, and/or/not).
    #[arg(short = 'f', long = "filter")]
    pub filter: Option<String>,
    /// Also write every captured packet to this pcapng file.
    #[arg(short = 'w', long = "write")]
    pub write: Option<PathBuf>,
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
    /// Capture through libpcap (kernel BPF filter, kernel drop counts); needs a build with
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
        if source.filter_in_kernel() {
            eprintln!("pktlab live: capture filter \"{f}\" compiled to BPF in the kernel (libpcap)");
        } else {
            eprintln!("pktlab live: capture filter \"{f}\" applied in user space (AF_PACKET backend)");
        }
    }
    // The TUI needs a terminal; from a script or a pipe the capture runs headless.
    if !args.no_tui && std::io::stdout().is_terminal() {
        return run_tui(args, source, game);
    }
    let writer = match &args.write {
        Some(path) => {
            let iface = Interface {
                name: source.interface().to_string(),
                link_type: u16::try_from(source.link_type()).unwrap_or(1),
                snaplen: source.snaplen(),
            };
            Some(PcapngWriter::create(path, &[iface])?)
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
    let (stats, processed, written) = capture_loop(&args, source, &stop, &mut printer, writer, None)?;
    report(&stats, processed, written, args.write.as_ref());
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
    let mut writer = PcapngWriter::create(&path, &[iface])?;
    writer.flush()?;
    let file = pktlab::capture::CaptureFile::open(&path).map_err(anyhow::Error::new)?;
    let live = Arc::new(AtomicBool::new(true));
    let stop = Arc::new(AtomicBool::new(false));
    let status = Arc::new(std::sync::Mutex::new(String::new()));
    let name = format!("{} → {}", source.interface(), path.display());
    let filter_note = match (&args.filter, source.filter_in_kernel()) {
        (Some(f), true) => format!(" │ -f {f} (BPF)"),
        (Some(f), false) => format!(" │ -f {f} (user space)"),
        (None, _) => String::new(),
    };
    let lang = pktlab::explain::Lang::Ko;
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
    let opts = pktlab::tui::Options { lang, debug_panic: std::env::var("PKTLAB_DEBUG_PANIC").is_ok_and(|v| v == "1") };
    let store = pktlab::tui::store::Store::open_live(file, Arc::clone(&live));
    let mut app = pktlab::tui::App::new(store, name, opts.lang, pktlab::tui::theme::Theme::from_env());
    app.debug_panic = opts.debug_panic;
    app.live = Some(pktlab::tui::app::LiveView { status: Arc::clone(&status), held_at: None });
    let ui = pktlab::tui::run_app(app);
    stop.store(true, Ordering::Relaxed);
    let result = capture.join().map_err(|_| anyhow::anyhow!("the capture thread panicked"))?;
    ui.context("terminal")?;
    let (stats, processed, written) = result?;
    report(&stats, processed, written, Some(&path));
    if temporary {
        eprintln!("pktlab live: the capture stays in {} (use -w FILE to choose where)", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Receives packets until stopped (signal, `-c`, `--duration`, or `stop`), handing each to the
/// printer and the writer; updates `status` (live TUI: the line, the filter note, the line's
/// language) ten times a second.
fn capture_loop<W: Write>(
    args: &LiveArgs,
    source: LiveSource,
    stop: &AtomicBool,
    printer: &mut Printer<W>,
    mut writer: Option<PcapngWriter>,
    status: Option<(&std::sync::Mutex<String>, &str, pktlab::explain::Lang)>,
) -> anyhow::Result<(LiveStats, u64, Option<u64>)> {
    let started = Instant::now();
    let mut status_at = Instant::now();
    let wanted = args.count.unwrap_or(u64::MAX);
    let mut first_ts = None;
    let mut last_ts = None;
    let done = |n: u64| n >= wanted;
    while !stop.load(Ordering::Relaxed) && !done(printer.number) {
        if args.duration.is_some_and(|d| started.elapsed() >= d) {
            break;
        }
        match source.recv_timeout(Duration::from_millis(100)) {
            Ok(frame) => {
                first_ts.get_or_insert(frame.ts);
                last_ts = Some(frame.ts);
                handle(&frame, printer, writer.as_mut())?;
            }
            Err(RecvTimeoutError::Timeout) => {
                printer.out.flush()?;
                if let Some(w) = writer.as_mut() {
                    w.tick()?;
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if let Some((line, note, lang)) = status
            && status_at.elapsed() >= Duration::from_millis(100)
        {
            status_at = Instant::now();
            if let Some(w) = writer.as_mut() {
                w.tick()?;
            }
            let st = source.stats();
            let kernel = st.kernel_drops.map(|k| k.to_string()).unwrap_or_else(|| "?".into());
            let args: [(&str, &dyn std::fmt::Display); 6] = [
                ("iface", &source.interface()),
                ("captured", &st.captured),
                ("written", &printer.number),
                ("dropped", &st.user_drops),
                ("kernel", &kernel),
                ("note", &note),
            ];
            let text = pktlab::explain::ui_with("live.status", lang, &args);
            *line.lock().unwrap_or_else(|e| e.into_inner()) = text;
        }
    }
    let (result, rest) = source.stop();
    for frame in rest {
        if done(printer.number) {
            break;
        }
        first_ts.get_or_insert(frame.ts);
        last_ts = Some(frame.ts);
        handle(&frame, printer, writer.as_mut())?;
    }
    printer.out.flush()?;
    let stats = result?;
    let written = match writer {
        Some(w) => {
            let dropped = stats.kernel_drops.map(|k| k + stats.user_drops);
            let s = InterfaceStats { received: stats.captured, dropped, start: first_ts, end: last_ts };
            Some(w.finish(&[s])?)
        }
        None => None,
    };
    Ok((stats, printer.number, written))
}

fn report(stats: &LiveStats, processed: u64, written: Option<u64>, path: Option<&PathBuf>) {
    let kernel = stats.kernel_drops.map(|k| k.to_string()).unwrap_or_else(|| "unknown".into());
    eprintln!(
        "pktlab live: {processed} packets processed ({} captured after the filter, {} seen); dropped: {} in user space (channel full), {kernel} by the kernel",
        stats.captured, stats.seen, stats.user_drops
    );
    if let (Some(n), Some(p)) = (written, path) {
        eprintln!("pktlab live: {n} packets written to {}", p.display());
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

fn handle<W: Write>(frame: &LiveFrame, p: &mut Printer<W>, writer: Option<&mut PcapngWriter>) -> anyhow::Result<()> {
    p.number += 1;
    if let Some(w) = writer {
        w.write_packet(0, frame.ts, &frame.data, frame.orig_len)?;
    }
    if p.quiet && p.game.is_none() {
        return Ok(());
    }
    let meta = FrameMeta {
        number: p.number,
        ts: Some(frame.ts),
        orig_len: frame.orig_len,
        interface_id: Some(0),
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
