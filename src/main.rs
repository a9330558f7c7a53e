//! The `pktlab` command: the TUI by default, plus headless subcommands.

mod cli;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Capture or replay packets, dissect them layer by layer, and learn TCP/UDP in Korean.
#[derive(Parser, Debug)]
#[command(name = "pktlab", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A capture file (pcap or pcapng) to open in the TUI; without one, the lesson menu opens.
    file: Option<PathBuf>,
    #[command(flatten)]
    tui: cli::tui::TuiArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print a capture's frames like tshark: summary lines, -V trees, -T fields or json.
    Dissect(cli::dissect::DissectArgs),
    /// Conversation and expert statistics (like tshark -z conv,tcp).
    Stats(cli::stats::StatsArgs),
    /// The reassembled bytes of one TCP or UDP stream.
    Follow(cli::follow::FollowArgs),
    /// Capture live traffic (TUI, or lines with --no-tui).
    Live(cli::live::LiveArgs),
    /// List the interfaces that can be captured on.
    Interfaces,
    /// Run a small game server and clients on loopback (TCP login/chat, UDP state ticks).
    DemoTraffic(cli::demo::DemoArgs),
    /// Check or scaffold lesson packs.
    Lessons(cli::lessons::LessonsArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Dissect(a)) => cli::dissect::run(a),
        Some(Command::Stats(a)) => cli::stats::run(a),
        Some(Command::Follow(a)) => cli::follow::run(a),
        Some(Command::Live(a)) => cli::live::run(a),
        Some(Command::Interfaces) => cli::live::interfaces(),
        Some(Command::DemoTraffic(a)) => cli::demo::run(a),
        Some(Command::Lessons(a)) => cli::lessons::run(a),
        None => cli::tui::run(cli.file, cli.tui),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pktlab: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
