//! `pktlab demo-traffic`: run the demo game on 127.0.0.1 for a while (see `game::demo`).
use pktlab::game::demo::{self, DemoConfig};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// TCP port of the game server (login/chat); UDP state updates use PORT+1.
    #[arg(long, default_value_t = 7777)]
    pub port: u16,
    /// How long to run, e.g. 10s, 1m30s.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    pub duration: Duration,
    /// Number of game clients.
    #[arg(long, default_value_t = 3)]
    pub clients: u16,
    /// UDP state updates per second.
    #[arg(long, default_value_t = 20)]
    pub tick_hz: u32,
    /// Write one JSON line per message sent (type, length, addresses, write shape).
    #[arg(long)]
    pub log: Option<PathBuf>,
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let cfg = DemoConfig {
        port: args.port,
        duration: args.duration,
        clients: args.clients,
        tick_hz: args.tick_hz,
        log: args.log,
    };
    eprintln!(
        "demo-traffic: game server on 127.0.0.1:{} (TCP login/chat) and :{} (UDP ticks at {} Hz), {} clients, for {}",
        cfg.port,
        u32::from(cfg.port) + 1,
        cfg.tick_hz,
        cfg.clients,
        humantime::format_duration(cfg.duration)
    );
    let s = demo::run(&cfg)?;
    eprintln!(
        "demo-traffic: sent {} TCP messages in {} writes, {} UDP datagrams",
        s.tcp_messages, s.tcp_writes, s.udp_datagrams
    );
    Ok(ExitCode::SUCCESS)
}
