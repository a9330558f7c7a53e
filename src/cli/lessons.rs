//! `pktlab lessons check DIR | new DIR | list [--pack DIR] [--lang ko|en] | report [--format csv|json]`.
use super::tui::LangArg;
use anyhow::Context as _;
use pktlab::explain::{Lang, ui, ui_with};
use pktlab::lessons::{self, DirSource, PackSource, Progress, builtin, progress};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct LessonsArgs {
    #[command(subcommand)]
    pub command: LessonsCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum LessonsCommand {
    /// Check a pack: every error as `file:line: message`; exits 1 if there is any.
    Check {
        /// The pack directory (holding pack.toml).
        dir: PathBuf,
    },
    /// Create a new pack in DIR (which must not exist or be empty) that passes the check.
    New {
        dir: PathBuf,
    },
    /// List the lessons of a pack (the built-in one by default) with your progress.
    List {
        /// A pack directory instead of the built-in pack.
        #[arg(long)]
        pack: Option<PathBuf>,
        /// Language of the progress words (the lesson titles are the pack's).
        #[arg(long, value_enum, default_value_t = LangArg::Ko)]
        lang: LangArg,
    },
    /// Export a learner's answers for grading: lesson, step, question kind, right at the first
    /// try, tries, right at all, seconds taken. One row per question settled.
    Report {
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: ReportFormat,
        /// A pack directory instead of the built-in pack.
        #[arg(long)]
        pack: Option<PathBuf>,
        /// The learner's progress file (default: $XDG_STATE_HOME/pktlab/progress.toml).
        #[arg(long)]
        progress: Option<PathBuf>,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Csv,
    Json,
}

pub fn run(args: LessonsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        LessonsCommand::Check { dir } => check(&dir),
        LessonsCommand::New { dir } => {
            let files = lessons::scaffold::scaffold(&dir)?;
            for f in &files {
                println!("created {}", f.display());
            }
            println!("next: edit the files, then run `pktlab lessons check {}`", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        LessonsCommand::List { pack, lang } => list(pack, lang.into()),
        LessonsCommand::Report { format, pack, progress } => report(format, pack, progress),
    }
}

fn report(format: ReportFormat, pack: Option<PathBuf>, progress_file: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir_src;
    let emb = builtin::source();
    let src: &dyn PackSource = match &pack {
        Some(d) => {
            dir_src = DirSource::new(d);
            &dir_src
        }
        None => &emb,
    };
    let mut diags = Vec::new();
    let p = lessons::load_pack(src, &mut diags);
    for d in &diags {
        eprintln!("{d}");
    }
    let p = p.context("the pack cannot be read")?;
    let path = match progress_file {
        Some(f) => f,
        None => progress::default_path()?,
    };
    let prog = Progress::load(&path)?;
    let rows = lessons::report::rows(&prog, &p);
    match format {
        ReportFormat::Csv => print!("{}", lessons::report::to_csv(&rows)),
        ReportFormat::Json => println!("{}", lessons::report::to_json(&rows)),
    }
    Ok(ExitCode::SUCCESS)
}

fn check(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let (diags, s) = lessons::check(dir);
    for d in &diags {
        println!("{d}");
    }
    for w in &s.warnings {
        match w.line {
            0 => println!("{}: warning: {}", w.file, w.message),
            n => println!("{}:{n}: warning: {}", w.file, w.message),
        }
    }
    if diags.is_empty() {
        println!(
            "{}: OK: {} lessons, {} steps, {} questions and {} facts checked against {} captures",
            dir.display(),
            s.lessons,
            s.steps,
            s.questions,
            s.facts,
            s.captures
        );
        println!("questions by kind: {} ({} kinds)", s.kinds_line(), s.kinds());
        let variants = s.warnings.len() - s.giveaways;
        println!("give-aways: {}, glossary variants: {variants}", s.giveaways);
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{}: {} problem{}", dir.display(), diags.len(), if diags.len() == 1 { "" } else { "s" });
        Ok(ExitCode::from(1))
    }
}

fn list(pack: Option<PathBuf>, lang: Lang) -> anyhow::Result<ExitCode> {
    let dir_src;
    let emb = builtin::source();
    let src: &dyn PackSource = match &pack {
        Some(d) => {
            dir_src = DirSource::new(d);
            &dir_src
        }
        None => &emb,
    };
    let mut diags = Vec::new();
    let p = lessons::load_pack(src, &mut diags);
    for d in &diags {
        eprintln!("{d}");
    }
    let p = p.context("the pack cannot be read")?;
    let progress = progress::default_path().ok().and_then(|path| Progress::load(&path).ok()).unwrap_or_default();
    println!("{}", p.title);
    for l in &p.lessons {
        let lp = progress.get(&p.title, &l.id);
        let state = if lp.done {
            ui("lesson.list.done", lang)
        } else if lp.step > 0 {
            ui_with("lesson.list.at_step", lang, &[("step", &(lp.step + 1)), ("steps", &l.steps.len())])
        } else {
            ui("lesson.not_started", lang)
        };
        let args: [(&str, &dyn std::fmt::Display); 4] = [("title", &l.title), ("steps", &l.steps.len()), ("state", &state), ("id", &l.id)];
        println!("{}", ui_with("lesson.list.line", lang, &args));
    }
    Ok(if diags.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
