//! Dependencies point one way, and the compiler enforces it: each layer is its own crate, and
//! a crate can only name what its manifest lists. This test reads the manifests and checks
//! the graph itself: the engine (`pktlab-core`) depends on no UI, CLI or OS-capture crate, the
//! crates above it depend only on the engine (never on each other or the TUI), and libraries
//! return typed errors (no anyhow below the binary).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// `[dependencies]` names of a manifest (dev-dependencies and build-dependencies excluded).
fn normal_deps(manifest: &Path) -> Vec<String> {
    let text = fs::read_to_string(manifest).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && !line.is_empty() && !line.starts_with('#') {
            let name = line.split(['=', '.', ' ']).next().unwrap_or("").trim();
            if !name.is_empty() {
                out.push(name.to_string());
            }
        }
    }
    out
}

fn crates() -> BTreeMap<String, Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeMap::new();
    for e in fs::read_dir(root.join("crates")).expect("crates/ exists").flatten() {
        let manifest = e.path().join("Cargo.toml");
        if manifest.exists() {
            out.insert(e.file_name().to_string_lossy().into_owned(), normal_deps(&manifest));
        }
    }
    out.insert("pktlab".to_string(), normal_deps(&root.join("Cargo.toml")));
    out
}

const UI_CLI_OS: [&str; 8] = ["ratatui", "crossterm", "clap", "anyhow", "signal-hook", "pnet", "nix", "pcap"];

#[test]
fn the_engine_depends_on_no_ui_cli_or_capture_crate() {
    let all = crates();
    let core = all.get("pktlab-core").expect("crates/pktlab-core");
    assert!(core.len() >= 2, "pktlab-core's manifest lists its dependencies: {core:?}");
    let banned: Vec<_> = core.iter().filter(|d| UI_CLI_OS.contains(&d.as_str()) || d.starts_with("pktlab")).collect();
    assert!(banned.is_empty(), "pktlab-core depends on {banned:?}");
}

#[test]
fn crates_above_the_engine_depend_only_on_the_engine() {
    let all = crates();
    assert!(all.len() >= 6, "expected the core, four crates above it and the binary: {:?}", all.keys());
    for (name, deps) in &all {
        if name == "pktlab" || name == "pktlab-core" {
            continue;
        }
        assert!(deps.iter().any(|d| d == "pktlab-core"), "{name} builds on pktlab-core");
        let wrong: Vec<_> = deps.iter().filter(|d| d.starts_with("pktlab") && *d != "pktlab-core").collect();
        assert!(wrong.is_empty(), "{name} depends on sibling crates {wrong:?}");
        for banned in ["ratatui", "crossterm", "clap", "anyhow", "signal-hook"] {
            assert!(!deps.iter().any(|d| d == banned), "{name} (a library) depends on {banned}");
        }
    }
}

#[test]
fn only_live_capture_talks_to_the_os_capture_crates() {
    for (name, deps) in crates() {
        if name == "pktlab-live" {
            continue;
        }
        for banned in ["pnet", "nix", "pcap"] {
            assert!(!deps.iter().any(|d| d == banned), "{name} depends on {banned}; only pktlab-live captures");
        }
    }
}
