//! `pktlab follow` (being written).
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct FollowArgs {}

pub fn run(_args: FollowArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
