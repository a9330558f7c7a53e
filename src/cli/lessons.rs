//! `pktlab lessons` (being written).
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct LessonsArgs {}

pub fn run(_args: LessonsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
