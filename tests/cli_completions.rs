//! Shell completions and man pages come from the same clap definition the CLI parses with.

use std::process::Command;

fn pktlab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pktlab")).args(args).output().expect("run pktlab")
}

#[test]
fn completions_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let out = pktlab(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        for sub in ["dissect", "stats", "follow", "live", "lessons", "completions", "man"] {
            assert!(text.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    let bad = pktlab(&["completions", "cmd.exe"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cmd.exe"));
}

#[test]
fn man_pages_print_and_write_one_per_subcommand() {
    let out = pktlab(&["man"]);
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.starts_with(".ie") || page.contains(".TH pktlab"), "{}", &page[..page.len().min(200)]);
    assert!(page.contains("dissect"));
    let dir = tempfile::tempdir().expect("temp dir");
    let out = pktlab(&["man", "--dir", dir.path().to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["pktlab.1", "pktlab-dissect.1", "pktlab-live.1", "pktlab-lessons.1"] {
        let p = dir.path().join(name);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(text.contains(".TH"), "{name} is a man page");
    }
}
