//! `pktlab stats`: conversation tables (like `tshark -q -z conv,tcp -z conv,udp`), the
//! expert summary, per-flow UDP statistics and the TCP-vs-UDP header overhead of a capture.

use super::frames::{self, LoopOpts};
use pktlab::analysis::TransportVerdict;
use pktlab::analysis::conv::{ConvTable, Proto, endpoint};
use pktlab::analysis::expert::ExpertTable;
use pktlab::dissect::format::severity_name;
use pktlab::dissect::{Dissection, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::net::IpAddr;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    #[command(subcommand)]
    pub what: StatsKind,
}

#[derive(clap::Subcommand, Debug)]
pub enum StatsKind {
    /// TCP and UDP conversations: frames and bytes each way, start and duration
    /// (the text of `tshark -q -z conv,tcp -z conv,udp`).
    Conv {
        file: PathBuf,
        /// Only the TCP table.
        #[arg(long, conflicts_with = "udp")]
        tcp: bool,
        /// Only the UDP table.
        #[arg(long)]
        udp: bool,
    },
    /// How many frames carry each expert item (tcp.analysis.* flags, bad checksums, malformed).
    Expert { file: PathBuf },
    /// Per UDP flow: packets, bytes, packets per second, inter-arrival time and jitter,
    /// datagram sizes.
    Udp { file: PathBuf },
    /// Header bytes against payload bytes, TCP against UDP.
    Overhead { file: PathBuf },
    /// The ladder (sequence) diagram of one TCP stream: client and server as two columns, an
    /// arrow per segment with flags, relative seq/ack, length and time, analysis marks on the right.
    Ladder {
        file: PathBuf,
        /// The `tcp.stream` index.
        #[arg(long, default_value_t = 0)]
        stream: u32,
        /// Width of the picture in columns.
        #[arg(long, default_value_t = 110)]
        width: usize,
        /// Label language: ko or en.
        #[arg(long, default_value = "ko")]
        lang: String,
    },
    /// Both endpoints' RFC 9293 state after each segment of one TCP stream, as TSV: frame,
    /// client and server state, then SND.UNA, SND.NXT, RCV.NXT, receive window and bytes in
    /// flight of each (empty while the capture has not shown them).
    TcpState {
        file: PathBuf,
        /// The `tcp.stream` index.
        #[arg(long, default_value_t = 0)]
        stream: u32,
    },
}

pub fn run(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let (text, err) = match args.what {
        StatsKind::Conv { file, tcp, udp } => conv(&file, !udp, !tcp)?,
        StatsKind::Expert { file } => expert(&file)?,
        StatsKind::Udp { file } => udp_flows(&file)?,
        StatsKind::Overhead { file } => overhead(&file)?,
        StatsKind::Ladder { file, stream, width, lang } => ladder(&file, stream, width, &lang)?,
        StatsKind::TcpState { file, stream } => tcp_state(&file, stream)?,
    };
    let mut out = frames::stdout();
    let res = out.write_all(text.as_bytes());
    if let Err(e) = res
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e.into());
    }
    frames::finish_output(&mut out)?;
    if let Some(e) = err {
        eprintln!("pktlab: {e}");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

type Report = (String, Option<pktlab::capture::CaptureError>);

/// The analysis verdicts without writing them into the dissections (the tables only read
/// the verdicts).
fn analysis() -> LoopOpts {
    LoopOpts { analysis: true, annotate: false, text: false, hidden: true, columns: true }
}

/// The conversation tables, UDP first then TCP (the order tshark prints
/// `-z conv,tcp -z conv,udp` in).
pub fn conv(path: &Path, tcp: bool, udp: bool) -> anyhow::Result<Report> {
    let mut table = ConvTable::default();
    let out = frames::for_each(path, analysis(), |f| {
        if let Some(fa) = f.fa {
            table.add(fa, f.meta.orig_len);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    let mut s = String::new();
    if udp {
        s.push_str(&table.render(Proto::Udp));
    }
    if tcp {
        s.push_str(&table.render(Proto::Tcp));
    }
    Ok((s, out.error))
}

/// Frames per expert key, most severe first.
pub fn expert(path: &Path) -> anyhow::Result<Report> {
    let mut table = ExpertTable::default();
    let out = frames::for_each(path, LoopOpts { analysis: true, annotate: true, text: false, hidden: true, columns: true }, |f| {
        table.add(f.meta.number, f.d());
        Ok(ControlFlow::Continue(()))
    })?;
    let rows = table.by_key();
    let mut s = String::new();
    let rule = "=".repeat(100);
    let _ = writeln!(s, "{rule}\nExpert summary: {} of {} frames carry expert items\n", table.frames_with, out.frames);
    let _ = writeln!(s, "{:<8} {:>8} {:>8} {:>7}  {:<40} Example message", "Severity", "Frames", "Items", "First", "Key");
    for k in &rows {
        let _ = writeln!(s, "{:<8} {:>8} {:>8} {:>7}  {:<40} {}", severity_name(k.severity), k.frames, k.items, k.first, k.key, k.message);
    }
    let _ = writeln!(s, "\nTCP analysis flags (frames where `-Y FLAG` matches):");
    for info in pktlab::analysis::flags::FLAG_INFO {
        let n = table.key(info.field.abbrev).map_or(0, |k| k.frames);
        let _ = writeln!(s, "  {:<42} {:>8}", info.field.abbrev, n);
    }
    let _ = writeln!(s, "{rule}");
    Ok((s, out.error))
}

#[derive(Default)]
struct UdpFlow {
    a: Option<(IpAddr, u16)>,
    b: Option<(IpAddr, u16)>,
    packets: [u64; 2],
    bytes: [u64; 2],
    first: i64,
    last: i64,
    prev: Option<i64>,
    prev_gap: Option<i64>,
    gap_sum: i128,
    gaps: u64,
    jitter_sum: i128,
    jitters: u64,
    size_min: u64,
    size_max: u64,
    size_sum: u64,
}

fn udp_length(d: &Dissection, layer: usize) -> Option<u64> {
    let l = d.layers.get(layer)?;
    d.fields.get(l.fields.start as usize..l.fields.end as usize)?.iter().find(|f| f.def.abbrev == "udp.length").and_then(|f| match f.value {
        Value::UInt(n) => Some(n),
        _ => None,
    })
}

/// Per-flow UDP statistics. Jitter is the mean absolute difference between consecutive
/// inter-arrival gaps (both directions together), the variation a game or voice stream feels.
pub fn udp_flows(path: &Path) -> anyhow::Result<Report> {
    let mut flows: BTreeMap<u32, UdpFlow> = BTreeMap::new();
    let out = frames::for_each(path, analysis(), |f| {
        let Some(fa) = f.fa else { return Ok(ControlFlow::Continue(())) };
        for (li, v) in &fa.layers {
            let TransportVerdict::Udp(u) = v else { continue };
            if u.in_error {
                continue;
            }
            let fl = flows.entry(u.stream).or_default();
            if fl.a.is_none() {
                fl.a = Some((u.ends.src, u.ends.sport));
                fl.b = Some((u.ends.dst, u.ends.dport));
                fl.first = fa.ts;
                fl.size_min = u64::MAX;
            }
            let dir = usize::from(fl.a != Some((u.ends.src, u.ends.sport)));
            fl.packets[dir] += 1;
            fl.bytes[dir] += f.meta.orig_len as u64;
            let size = udp_length(f.d(), *li).unwrap_or(u.length as u64).saturating_sub(8);
            fl.size_min = fl.size_min.min(size);
            fl.size_max = fl.size_max.max(size);
            fl.size_sum += size;
            if let Some(p) = fl.prev {
                let gap = fa.ts - p;
                fl.gap_sum += gap as i128;
                fl.gaps += 1;
                if let Some(pg) = fl.prev_gap {
                    fl.jitter_sum += (gap as i128 - pg as i128).abs();
                    fl.jitters += 1;
                }
                fl.prev_gap = Some(gap);
            }
            fl.prev = Some(fa.ts);
            fl.last = fl.last.max(fa.ts);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    let mut s = String::new();
    let rule = "=".repeat(132);
    let _ = writeln!(s, "{rule}\nUDP flows: {}\n", flows.len());
    let _ = writeln!(
        s,
        "{:>6}  {:<46} {:>8} {:>8} {:>10} {:>9} {:>9} {:>10} {:>10}  {:>15}",
        "Stream", "A <-> B", "A->B", "B->A", "Bytes", "Duration", "Pkt/s", "Gap ms", "Jitter ms", "Size min/avg/max"
    );
    for (stream, fl) in &flows {
        let (Some(a), Some(b)) = (fl.a, fl.b) else { continue };
        let packets = fl.packets[0] + fl.packets[1];
        let dur = (fl.last - fl.first) as f64 / 1e9;
        let pps = if dur > 0.0 { format!("{:.1}", packets as f64 / dur) } else { "-".to_owned() };
        let gap = if fl.gaps > 0 { format!("{:.3}", fl.gap_sum as f64 / fl.gaps as f64 / 1e6) } else { "-".to_owned() };
        let jit = if fl.jitters > 0 { format!("{:.3}", fl.jitter_sum as f64 / fl.jitters as f64 / 1e6) } else { "-".to_owned() };
        let avg = fl.size_sum.checked_div(packets).unwrap_or(0);
        let ends = format!("{} <-> {}", endpoint(a), endpoint(b));
        let _ = writeln!(
            s,
            "{:>6}  {:<46} {:>8} {:>8} {:>10} {:>9.3} {:>9} {:>10} {:>10}  {:>15}",
            stream,
            ends,
            fl.packets[0],
            fl.packets[1],
            fl.bytes[0] + fl.bytes[1],
            dur,
            pps,
            gap,
            jit,
            format!("{}/{}/{}", fl.size_min, avg, fl.size_max)
        );
    }
    let _ = writeln!(s, "\nSizes are UDP payload bytes; Gap is the mean time between datagrams of the flow; Jitter the mean change of that gap.");
    let _ = writeln!(s, "{rule}");
    Ok((s, out.error))
}

#[derive(Default)]
struct Overhead {
    frames: u64,
    wire: u64,
    /// Link + network headers (everything before the transport header).
    lower: u64,
    transport: u64,
    payload: u64,
}

fn layer_uint(d: &Dissection, layer: usize, name: &str) -> Option<u64> {
    let l = d.layers.get(layer)?;
    d.fields.get(l.fields.start as usize..l.fields.end as usize)?.iter().find(|f| f.def.abbrev == name).and_then(|f| match f.value {
        Value::UInt(n) => Some(n),
        _ => None,
    })
}

/// Header against payload bytes for TCP and UDP frames (the outermost transport layer of
/// each frame; headers quoted in ICMP errors are not counted).
pub fn overhead(path: &Path) -> anyhow::Result<Report> {
    let mut by = [Overhead::default(), Overhead::default()];
    let out = frames::for_each(path, analysis(), |f| {
        let Some(fa) = f.fa else { return Ok(ControlFlow::Continue(())) };
        let Some((li, v)) = fa.layers.iter().find(|(_, v)| match v {
            TransportVerdict::Tcp(t) => !t.in_error,
            TransportVerdict::Udp(u) => !u.in_error,
        }) else {
            return Ok(ControlFlow::Continue(()));
        };
        let (idx, hdr, payload) = match v {
            TransportVerdict::Tcp(t) => {
                let hdr = layer_uint(f.d(), *li, "tcp.hdr_len").unwrap_or(20);
                (0, hdr, t.seglen.unwrap_or(0) as u64)
            }
            TransportVerdict::Udp(u) => (1, 8, (u.length as u64).saturating_sub(8)),
        };
        let wire = f.meta.orig_len as u64;
        let o = &mut by[idx];
        o.frames += 1;
        o.wire += wire;
        o.transport += hdr;
        o.payload += payload.min(wire.saturating_sub(hdr));
        o.lower += wire.saturating_sub(hdr + payload);
        Ok(ControlFlow::Continue(()))
    })?;
    let mut s = String::new();
    let rule = "=".repeat(96);
    let _ = writeln!(s, "{rule}\nHeader overhead, TCP vs UDP (bytes on the wire)\n");
    let _ = writeln!(
        s,
        "{:<5} {:>9} {:>12} {:>12} {:>12} {:>12} {:>10} {:>9} {:>9}",
        "Proto", "Frames", "Wire", "L2+L3 hdr", "L4 hdr", "Payload", "Overhead", "Hdr/pkt", "Pay/pkt"
    );
    for (name, o) in [("TCP", &by[0]), ("UDP", &by[1])] {
        let headers = o.lower + o.transport;
        let pct = if o.wire > 0 { format!("{:.1}%", headers as f64 * 100.0 / o.wire as f64) } else { "-".to_owned() };
        let per = |n: u64| if o.frames > 0 { format!("{:.1}", n as f64 / o.frames as f64) } else { "-".to_owned() };
        let _ = writeln!(
            s,
            "{:<5} {:>9} {:>12} {:>12} {:>12} {:>12} {:>10} {:>9} {:>9}",
            name,
            o.frames,
            o.wire,
            o.lower,
            o.transport,
            o.payload,
            pct,
            per(headers),
            per(o.payload)
        );
    }
    let _ = writeln!(s, "\nOverhead = header bytes (link, network and transport, padding included) / bytes on the wire.");
    let _ = writeln!(s, "{rule}");
    Ok((s, out.error))
}

/// `stats ladder`: the ladder diagram of one TCP stream.
pub fn ladder(path: &Path, stream: u32, width: usize, lang: &str) -> anyhow::Result<Report> {
    use pktlab::analysis::ladder::LadderBuilder;
    use pktlab::explain::ladder::render_text;
    let lang = match lang {
        "en" => pktlab::explain::Lang::En,
        "ko" => pktlab::explain::Lang::Ko,
        other => anyhow::bail!("unknown language {other:?} (ko or en)"),
    };
    let mut b = LadderBuilder::new(stream);
    let out = frames::for_each(path, analysis(), |f| {
        if let Some(fa) = f.fa {
            b.push_frame(fa);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    let Some(l) = b.finish() else {
        anyhow::bail!("no TCP stream {stream} in {}", path.display());
    };
    Ok((render_text(&l, width, lang), out.error))
}

/// `stats tcp-state`: one TSV row per segment of TCP stream `stream`.
pub fn tcp_state(path: &Path, stream: u32) -> anyhow::Result<Report> {
    use pktlab::analysis::tcp_state::{Endpoint, steps};
    let mut segs = Vec::new();
    let out = frames::for_each(path, analysis(), |f| {
        if let Some(fa) = f.fa
            && let Some(t) = fa.tcp()
            && t.stream == stream
            && !t.in_error
        {
            segs.push((fa.frame, t.clone()));
        }
        Ok(ControlFlow::Continue(()))
    })?;
    let mut s = String::from("frame\tclient\tserver");
    for who in ["client", "server"] {
        for col in ["snd_una", "snd_nxt", "rcv_nxt", "rcv_wnd", "in_flight"] {
            let _ = write!(s, "\t{who}.{col}");
        }
    }
    s.push('\n');
    let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let cols = |e: &Endpoint| [num(e.snd_una), num(e.snd_nxt), num(e.rcv_nxt), num(e.rcv_wnd), num(e.in_flight())].join("\t");
    for st in steps(&segs) {
        let _ = writeln!(s, "{}\t{}\t{}\t{}\t{}", st.frame, st.client.state.name(), st.server.state.name(), cols(&st.client), cols(&st.server));
    }
    if segs.is_empty() && out.error.is_none() {
        anyhow::bail!("{}: no TCP stream {stream}", path.display());
    }
    Ok((s, out.error))
}
