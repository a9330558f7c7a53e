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

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ko => Lang::Ko,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct TuiArgs {
    /// Language of labels and explanations.
    #[arg(long, value_enum, default_value_t = LangArg::Ko)]
    pub lang: LangArg,
    /// Decode traffic on a port as a protocol, as tshark's -d: `udp.port==5000,dns`,
    /// `tcp.port==8080-8090,http` (repeatable).
    #[arg(short = 'd', value_name = "LAYER==PORT,PROTO")]
    pub decode_as: Vec<String>,
    /// Open the lesson menu of the pack in DIR instead of the built-in pack.
    #[arg(long, value_name = "DIR")]
    pub pack: Option<PathBuf>,
    /// Game protocol description (TOML, e.g. protos/demo.toml): the follow view (`F`) shows
    /// the stream message by message.
    #[arg(long, value_name = "FILE")]
    pub proto: Option<PathBuf>,
}

pub fn run(file: Option<PathBuf>, args: TuiArgs) -> anyhow::Result<ExitCode> {
    let lang = Lang::from(args.lang);
    super::frames::decode_as(&args.decode_as)?;
    let Some(path) = file else {
        return lessons(args.pack, lang);
    };
    let game = match &args.proto {
        Some(p) => Some(std::sync::Arc::new(pktlab::game::GameProto::load(p).map_err(|e| anyhow::anyhow!("{e}"))?)),
        None => None,
    };
    let opts = pktlab::tui::Options {
        lang,
        debug_panic: std::env::var("PKTLAB_DEBUG_PANIC").is_ok_and(|v| v == "1"),
        game,
    };
    if super::frames::is_stdin(&path) {
        return piped(&opts);
    }
    let file = CaptureFile::open(&path).map_err(anyhow::Error::new)?;
    pktlab::tui::run(file, &opts).context("terminal")?;
    Ok(ExitCode::SUCCESS)
}

/// `pktlab -`: the TUI on a capture arriving on standard input (`tcpdump -w - | pktlab -`),
/// followed as it grows like a live capture; keys come from the terminal (crossterm reads
/// /dev/tty when standard input is not one).
fn piped(opts: &pktlab::tui::Options) -> anyhow::Result<ExitCode> {
    let (spool, _) = super::frames::stdin_spool()?;
    let file = CaptureFile::open(spool.path()).map_err(|e| anyhow::Error::new(spool.rename(e)))?;
    let store = pktlab::tui::store::Store::open_live(file, std::sync::Arc::clone(spool.live()));
    let mut app = pktlab::tui::App::new(store, "stdin".to_owned(), opts.lang, pktlab::tui::theme::Theme::from_env());
    app.debug_panic = opts.debug_panic;
    app.game = opts.game.clone();
    pktlab::tui::run_app(app).context("terminal")?;
    if let Some(why) = spool.failure() {
        eprintln!("pktlab: reading stdin: {why}");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// `pktlab` without a file: the lesson menu (built-in pack, or `--pack DIR`).
fn lessons(pack_dir: Option<PathBuf>, lang: Lang) -> anyhow::Result<ExitCode> {
    use pktlab::lessons::{self, DirSource, PackSource, builtin};
    let dir_src;
    let emb = builtin::source();
    let source: &dyn PackSource = match &pack_dir {
        Some(d) => {
            dir_src = DirSource::new(d);
            &dir_src
        }
        None => &emb,
    };
    let mut diags = Vec::new();
    let pack = lessons::load_pack(source, &mut diags);
    if !diags.is_empty() {
        for d in &diags {
            eprintln!("{d}");
        }
        anyhow::bail!("the lesson pack has problems; run `pktlab lessons check` on it");
    }
    let pack = pack.context("the lesson pack cannot be read")?;
    let progress = lessons::progress::default_path().ok();
    let opts = pktlab::tui::Options { lang, ..Default::default() };
    pktlab::tui::lesson_run::run_lessons(pack, source, progress, &opts).context("terminal")?;
    Ok(ExitCode::SUCCESS)
}
