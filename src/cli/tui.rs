//! `pktlab [FILE]`: the TUI (being written).
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct TuiArgs {}

pub fn run(_file: Option<PathBuf>, _args: TuiArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
