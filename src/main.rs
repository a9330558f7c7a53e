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
    /// A capture file (pcap or pcapng, plain, gzip or zstd) to open in the TUI, or `-` for one
    /// arriving on standard input (`tcpdump -w - | pktlab -`); without one, the lesson menu opens.
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
    /// Write a capture's frames as a Parquet table, one row per frame and one typed column per
    /// field (for DuckDB, Spark, pandas).
    #[cfg(feature = "parquet")]
    Export(cli::export::ExportArgs),
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `pktlab man > pktlab.1`, or write one page per subcommand
    /// into a folder with `--dir`.
    Man {
        /// Write pktlab.1 and pktlab-SUBCOMMAND.1 here instead of printing pktlab.1.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

fn main() -> std::process::ExitCode {
    pktlab::game::register_fields();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Dissect(a)) => cli::dissect::run(a),
        Some(Command::Stats(a)) => cli::stats::run(a),
        #[cfg(feature = "parquet")]
        Some(Command::Export(a)) => cli::export::run(a),
        Some(Command::Follow(a)) => cli::follow::run(a),
        Some(Command::Live(a)) => cli::live::run(a),
        Some(Command::Interfaces) => cli::live::interfaces(),
        Some(Command::DemoTraffic(a)) => cli::demo::run(a),
        Some(Command::Lessons(a)) => cli::lessons::run(a),
        Some(Command::Completions { shell }) => completions(shell),
        Some(Command::Man { dir }) => man(dir),
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

/// `pktlab completions SHELL`: generated from the same clap definition the CLI parses with.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<std::process::ExitCode> {
    use clap::CommandFactory as _;
    clap_complete::generate(shell, &mut Cli::command(), "pktlab", &mut std::io::stdout());
    Ok(std::process::ExitCode::SUCCESS)
}

/// `pktlab man`: the man page of `pktlab`, or every page into a folder.
fn man(dir: Option<PathBuf>) -> anyhow::Result<std::process::ExitCode> {
    use anyhow::Context as _;
    use clap::CommandFactory as _;
    match dir {
        None => clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?,
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(Cli::command(), &dir).with_context(|| format!("cannot write man pages into {}", dir.display()))?;
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
