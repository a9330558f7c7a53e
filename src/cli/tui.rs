//! `pktlab [FILE]`: the TUI. Without FILE the lesson menu opens (the lessons own that path).
use anyhow::Context;
use pktlab::capture::CaptureFile;
use pktlab::explain::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LangArg {
    #[default]
    Ko,
    En,
}

#[derive(clap::Args, Debug)]
pub struct TuiArgs {
    /// Language of labels and explanations.
    #[arg(long, value_enum, default_value_t = LangArg::Ko)]
    pub lang: LangArg,
}

pub fn run(file: Option<PathBuf>, args: TuiArgs) -> anyhow::Result<ExitCode> {
    let lang = match args.lang {
        LangArg::Ko => Lang::Ko,
        LangArg::En => Lang::En,
    };
    let Some(path) = file else {
        anyhow::bail!(match lang {
            Lang::Ko => "캡처 파일을 지정해 주세요: pktlab FILE.pcap (수업 메뉴는 아직 준비 중이에요)",
            Lang::En => "give a capture file: pktlab FILE.pcap (the lesson menu is not ready yet)",
        })
    };
    let file = CaptureFile::open(&path).map_err(anyhow::Error::new)?;
    let opts = pktlab::tui::Options {
        lang,
        debug_panic: std::env::var("PKTLAB_DEBUG_PANIC").is_ok_and(|v| v == "1"),
    };
    pktlab::tui::run(file, &opts).context("terminal")?;
    Ok(ExitCode::SUCCESS)
}
