//! `pktlab stats` (being written).
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct StatsArgs {}

pub fn run(_args: StatsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
