//! Dependencies point one way: the engine knows nothing of the UI or the CLI.
//! Nothing under capture/, dissect/, analysis/, filter/, lessons/, explain/ or game/ may name
//! ratatui, crossterm or clap, and library code returns typed errors (no anyhow).

use std::fs;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn engine_modules_do_not_name_ui_or_cli_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    let mut offenders = Vec::new();
    for module in ["capture", "dissect", "analysis", "filter", "lessons", "explain", "game"] {
        let mut files = Vec::new();
        rust_files(&src.join(module), &mut files);
        for f in files {
            let text = fs::read_to_string(&f).unwrap_or_default();
            checked += 1;
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for banned in ["ratatui", "crossterm", "clap::", "anyhow"] {
                    if code.contains(banned) {
                        offenders.push(format!("{}:{}: names {banned}", f.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(checked >= 7, "expected engine sources, found {checked} files");
    assert!(offenders.is_empty(), "layering broken:\n{}", offenders.join("\n"));
}
