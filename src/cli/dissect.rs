//! `pktlab dissect` (being written).
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct DissectArgs {}

pub fn run(_args: DissectArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
