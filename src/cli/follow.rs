//! `pktlab follow`: the reassembled payload of one TCP connection (or UDP flow), both ways,
//! as `tshark -q -z follow,tcp,MODE,N` prints it.

use super::frames::{self, LoopOpts};
use pktlab::analysis::follow::{Follow, Mode, payload};
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
    let outcome = frames::for_each(&args.file, LoopOpts { analysis: true, annotate: false, text: false, hidden: true, columns: true }, |f| {
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
    if let Err(e) = out.write_all(follow.render(mode).as_bytes())
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

