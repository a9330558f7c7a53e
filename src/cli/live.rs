//! `pktlab live` (being written).
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct LiveArgs {}

pub fn run(_args: LiveArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}

pub fn interfaces() -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
