//! Every field, layer, OSI layer and expert item pktlab can emit has a Korean and an English
//! explanation; and (when `../shared` is present) so does everything emitted on every public
//! capture, after TCP/UDP analysis has annotated the frames.

use pktlab::analysis::{self};
use pktlab::capture::CaptureFile;
use pktlab::dissect::{Dissection, Osi};
use pktlab::explain::catalog::Kind;
use pktlab::explain::{self, Lang};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;

fn hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

/// Why `name`'s docs are not good enough, if they are not.
fn doc_problem(ko: Option<explain::Doc>, en: Option<explain::Doc>) -> Option<&'static str> {
    let Some(ko) = ko else { return Some("no Korean doc") };
    let Some(en) = en else { return Some("no English doc") };
    if ko.title.is_empty() || ko.body.is_empty() || !hangul(&ko.body) {
        return Some("Korean doc empty or not Korean");
    }
    if en.title.is_empty() || en.body.is_empty() {
        return Some("English doc empty");
    }
    None
}

/// The layer protocols the dissector and the game decoder create.
const LAYERS: &[&str] = &[
    "frame", "eth", "vlan", "llc", "arp", "sll", "null", "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp", "dns", "data",
    "vxlan", "teredo", "game",
];

#[test]
fn every_registered_field_has_korean_and_english_docs() {
    let all = pktlab::fields::all();
    let mut missing = Vec::new();
    for def in &all {
        let a = def.abbrev;
        if let Some(why) = doc_problem(explain::field(a, Lang::Ko), explain::field(a, Lang::En)) {
            missing.push(format!("{a} ({why})"));
        }
    }
    println!("fields with docs: {}/{}", all.len() - missing.len(), all.len());
    assert!(missing.is_empty(), "{} fields lack explanations:\n{}", missing.len(), missing.join("\n"));
    // Static fields need an entry of their own, not the `game.*`-style fallback.
    let fallback_only: Vec<&str> = all
        .iter()
        .map(|d| d.abbrev)
        .filter(|a| !a.starts_with("game.") && explain::catalog().exact(Kind::Field, a).is_none())
        .collect();
    assert!(fallback_only.is_empty(), "fields covered only by a prefix fallback: {fallback_only:?}");
}

/// Layer names opened in the dissector's source (`cx.open("vxlan", …)`).
fn source_layer_protos() -> BTreeSet<String> {
    let re = regex::Regex::new(r#"\.open\(\s*"([a-z0-9_.]+)""#).expect("regex");
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/pktlab-core/src/dissect"), &mut files);
    let mut out = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        out.extend(re.captures_iter(text).map(|c| c[1].to_string()));
    }
    out
}

#[test]
fn every_layer_and_osi_layer_has_docs() {
    let mut missing = Vec::new();
    let from_source = source_layer_protos();
    assert!(from_source.len() >= 10, "expected the dissector's layers, found {from_source:?}");
    let all: BTreeSet<String> = LAYERS.iter().map(|s| s.to_string()).chain(from_source).collect();
    for p in &all {
        if let Some(why) = doc_problem(explain::layer(p, Lang::Ko), explain::layer(p, Lang::En)) {
            missing.push(format!("layer {p} ({why})"));
        }
    }
    for o in [Osi::Physical, Osi::DataLink, Osi::Network, Osi::Transport, Osi::Session, Osi::Presentation, Osi::Application] {
        if let Some(why) = doc_problem(explain::osi(o, Lang::Ko), explain::osi(o, Lang::En)) {
            missing.push(format!("OSI {} ({why})", o.number()));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    let l4 = explain::osi(Osi::Transport, Lang::Ko).map(|d| d.body).unwrap_or_default();
    let l7 = explain::osi(Osi::Application, Lang::Ko).map(|d| d.body).unwrap_or_default();
    assert!(l4.contains("L4 로드 밸런서") && l7.contains("L7 로드 밸런서"), "L4/L7 load-balancer notes missing");
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Expert keys written in the source: `expert(Severity::X, "key"` and `key: "…"` literals,
/// and (key, message) constants (`const CLOSING_UNOPENED_TAG: (&str, &str) = ("xml.…", …)`).
fn source_expert_keys() -> BTreeSet<String> {
    let re = regex::Regex::new(r#"(?s)expert\(\s*Severity::\w+,\s*"([a-z0-9_.]+)""#).expect("regex");
    let re2 = regex::Regex::new(r#"Expert \{[^}]*key: "([a-z0-9_.]+)""#).expect("regex");
    let re3 = regex::Regex::new(r#"const \w+: \(&str, &str\) = \("([a-z0-9_.]+)""#).expect("regex");
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("crates"), &mut files);
    let mut keys = BTreeSet::new();
    for f in files {
        if f.to_string_lossy().contains("tests") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        // Unit tests inside the file use made-up keys.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for c in re.captures_iter(text).chain(re2.captures_iter(text)).chain(re3.captures_iter(text)) {
            keys.insert(c[1].to_string());
        }
    }
    keys
}

/// `ui` keys written in the source: `ui("key"`, `ui_with("key"` and the TUI labels'
/// `text("key"` (src/tui/i18n.rs), outside unit tests.
fn source_ui_keys() -> BTreeSet<String> {
    let re = regex::Regex::new(r#"\b(?:ui|ui_with|text)\(\s*"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)""#).expect("regex");
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("crates"), &mut files);
    let mut keys = BTreeSet::new();
    for f in files {
        if f.to_string_lossy().contains("tests") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for c in re.captures_iter(text) {
            keys.insert(c[1].to_string());
        }
    }
    keys
}

#[test]
fn every_ui_key_in_the_source_has_korean_and_english_with_the_same_placeholders() {
    let mut keys = source_ui_keys();
    assert!(keys.len() >= 80, "expected to find the UI's message keys, found {}: {keys:?}", keys.len());
    // Keys the code builds from a number: the OSI layer names.
    keys.extend((1..=7).map(|n| format!("tui.osi.{n}")));
    let c = explain::catalog();
    let missing: Vec<&String> = keys.iter().filter(|k| c.exact(Kind::Ui, k).is_none()).collect();
    println!("ui keys in source: {}, in ui.txt: {}", keys.len(), c.keys(Kind::Ui).len());
    assert!(missing.is_empty(), "ui keys the code uses but text/ui.txt lacks: {missing:?}");
    let mut differ = Vec::new();
    for k in c.keys(Kind::Ui) {
        let names = |lang| {
            let t = c.message(Kind::Ui, k, lang).unwrap_or_default();
            let mut v: Vec<String> = explain::catalog::placeholders(&t).into_iter().map(str::to_owned).collect();
            v.sort_unstable();
            v
        };
        let (ko, en) = (names(Lang::Ko), names(Lang::En));
        if ko != en {
            differ.push(format!("{k}: Korean uses {ko:?}, English {en:?}"));
        }
    }
    assert!(differ.is_empty(), "ui entries whose languages use different placeholders:\n{}", differ.join("\n"));
}

fn expert_has_own_entry(key: &str) -> bool {
    let c = explain::catalog();
    c.exact(Kind::Expert, key).is_some() || c.exact(Kind::Field, key).is_some()
}

#[test]
fn every_expert_key_in_the_source_has_docs() {
    let keys = source_expert_keys();
    assert!(keys.len() >= 10, "expected to find the dissector's expert keys, found {keys:?}");
    let missing: Vec<&String> = keys.iter().filter(|k| !expert_has_own_entry(k)).collect();
    println!("expert keys in source: {}, documented: {}", keys.len(), keys.len() - missing.len());
    assert!(missing.is_empty(), "expert keys without an explanation: {missing:?}");
    for k in &keys {
        assert!(doc_problem(explain::expert(k, Lang::Ko), explain::expert(k, Lang::En)).is_none(), "{k}");
    }
}

fn public_captures() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".pcap") || n.ends_with(".pcapng")
        })
        .collect();
    v.sort();
    Some(v)
}

/// Dissects and annotates every frame of a capture, calling `each` on the result.
fn walk(path: &Path, mut each: impl FnMut(&Dissection, &[u8])) {
    let Ok(file) = CaptureFile::open(path) else { return };
    // Damage ends the walk; the frames before it count.
    let _ = common::each_frame(&file, |_, data, d, fa| {
        analysis::annotate(fa, d);
        each(d, data);
    });
}

#[test]
fn everything_emitted_on_public_captures_has_docs() {
    let Some(captures) = public_captures() else {
        println!("../shared/captures/public is absent: skipping the capture coverage check");
        return;
    };
    let mut fields = BTreeSet::new();
    let mut layers = BTreeSet::new();
    let mut experts = BTreeSet::new();
    let mut notes = 0usize;
    let mut bad_notes: Vec<String> = Vec::new();
    let mut frames = 0usize;
    for c in &captures {
        walk(c, |d, frame| {
            frames += 1;
            for (i, f) in d.fields.iter().enumerate() {
                fields.insert(f.def.abbrev);
                // Notes must never panic; count how many values get one, and check that every
                // Korean note is Korean with its particles resolved.
                if let Some(n) = explain::value_note(d, frame, i, Lang::Ko) {
                    notes += 1;
                    let unresolved = ["을/를", "은/는", "이/가", "과/와", "으로/로", "이에요/예요", "이라서/라서", "이어야/여야"];
                    if !hangul(&n) || unresolved.iter().any(|m| n.contains(m)) {
                        bad_notes.push(format!("{}: {n}", f.def.abbrev));
                    }
                }
                let _ = explain::value_note(d, frame, i, Lang::En);
            }
            for l in &d.layers {
                layers.insert(l.proto);
            }
            for e in &d.experts {
                experts.insert(e.key);
            }
        });
    }
    let mut missing = Vec::new();
    for f in &fields {
        if let Some(why) = doc_problem(explain::field(f, Lang::Ko), explain::field(f, Lang::En)) {
            missing.push(format!("field {f} ({why})"));
        }
    }
    for l in &layers {
        if let Some(why) = doc_problem(explain::layer(l, Lang::Ko), explain::layer(l, Lang::En)) {
            missing.push(format!("layer {l} ({why})"));
        }
    }
    for e in &experts {
        if !expert_has_own_entry(e) {
            missing.push(format!("expert {e}"));
        }
    }
    println!(
        "{} captures, {frames} frames: {} distinct fields, {} layers, {} expert keys emitted; {notes} values with a note; {} undocumented",
        captures.len(),
        fields.len(),
        layers.len(),
        experts.len(),
        missing.len()
    );
    assert!(frames > 10_000, "expected the public corpus, read {frames} frames");
    bad_notes.sort();
    bad_notes.dedup();
    assert!(bad_notes.is_empty(), "Korean notes not in Korean or with unresolved particles:\n{}", bad_notes.join("\n"));
    assert!(missing.is_empty(), "undocumented:\n{}", missing.join("\n"));
}
