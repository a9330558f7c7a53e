//! `pktlab follow`: the reassembled payload of one TCP connection (or UDP flow), both ways,
//! as `tshark -q -z follow,tcp,MODE,N` prints it.

use super::frames::{self, LoopOpts};
use pktlab::analysis::follow::{Follow, Mode, payload};
use std::fmt::Write as _;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum FollowFormat {
    Ascii,
    Hex,
    Raw,
}

#[derive(clap::Args, Debug)]
pub struct FollowArgs {
    pub file: PathBuf,
    /// The stream index (`tcp.stream`, or `udp.stream` with --udp).
    #[arg(long)]
    pub stream: u32,
    /// Follow a UDP flow instead of a TCP connection.
    #[arg(long)]
    pub udp: bool,
    #[arg(long, value_enum, default_value = "ascii")]
    pub format: FollowFormat,
}

pub fn run(args: FollowArgs) -> anyhow::Result<ExitCode> {
    let mut follow = Follow::new(args.stream, args.udp);
    let outcome = frames::for_each(&args.file, LoopOpts { analysis: true, annotate: false, text: false }, |f| {
        if let Some(fa) = f.fa {
            for (li, v) in &fa.layers {
                follow.add(f.meta.number, v, payload(f.d(), f.data, *li));
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    // Bytes held behind a gap that never filled are not delivered: tshark leaves them out.
    let mode = match args.format {
        FollowFormat::Ascii => Mode::Ascii,
        FollowFormat::Hex => Mode::Hex,
        FollowFormat::Raw => Mode::Raw,
    };
    let mut out = frames::stdout();
    if let Err(e) = out.write_all(render(&follow, mode).as_bytes())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e.into());
    }
    frames::finish_output(&mut out)?;
    if let Some(e) = outcome.error {
        eprintln!("pktlab: {e}");
        return Ok(ExitCode::from(1));
    }
    if follow.nodes[0].is_none() {
        eprintln!("pktlab: no {} stream {} in {}", if args.udp { "UDP" } else { "TCP" }, args.stream, args.file.display());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The text tshark 4.0 prints for `-z follow,PROTO,MODE,N`: ASCII keeps only CR and LF of the
/// non-printable bytes, hex offsets are upper-case and count each side's bytes.
pub fn render(f: &Follow, mode: Mode) -> String {
    let proto = if f.udp { "udp" } else { "tcp" };
    let rule = "=".repeat(67);
    let mut s = String::new();
    let _ = writeln!(s, "\n{rule}\nFollow: {proto},{}\nFilter: {proto}.stream eq {}", mode.name(), f.stream);
    for (i, n) in f.nodes.iter().enumerate() {
        match n {
            Some((ip, port)) if ip.is_ipv6() => {
                let _ = writeln!(s, "Node {i}: [{ip}]:{port}");
            }
            Some((ip, port)) => {
                let _ = writeln!(s, "Node {i}: {ip}:{port}");
            }
            None => {
                let _ = writeln!(s, "Node {i}: :0");
            }
        }
    }
    let mut pos = [0usize; 2];
    for c in &f.chunks {
        let side = usize::from(c.node == 1);
        let indent = if side == 1 { "\t" } else { "" };
        match mode {
            Mode::Ascii => {
                let _ = writeln!(s, "{indent}{}", c.data.len());
                s.extend(c.data.iter().map(|&b| if b == b'\n' || b == b'\r' || (0x20..0x7f).contains(&b) { b as char } else { '.' }));
                s.push('\n');
            }
            Mode::Hex => {
                for (li, line) in c.data.chunks(16).enumerate() {
                    let _ = write!(s, "{indent}{:08X}  ", pos[side] + li * 16);
                    pktlab::analysis::follow::push_hex_and_text(&mut s, line);
                    s.push('\n');
                }
            }
            Mode::Raw => {
                s.push_str(indent);
                for b in &c.data {
                    let _ = write!(s, "{b:02x}");
                }
                s.push('\n');
            }
        }
        pos[side] += c.data.len();
    }
    let _ = writeln!(s, "{rule}");
    s
}
