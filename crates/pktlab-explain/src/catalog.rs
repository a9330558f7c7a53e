//! The explanation catalogue: plain-text files under `text/` (beside this file), compiled into the
//! binary with `include_str!` and parsed once.
//!
//! The format is meant for instructors and translators, not for programmers:
//!
//! ```text
//! ;; A comment (only between entries).
//! === field tcp.options.mss_val
//! @ko 최대 세그먼트 크기(MSS) 값
//! The body: lines of one paragraph may be wrapped; they are joined with a space.
//!
//! A blank line starts a new paragraph. A line starting with "- " stays a line of its own.
//! @en MSS value
//! English body.
//! ```
//!
//! An entry header is `=== KIND KEY [KEY…]` with KIND one of `field`, `layer`, `osi`,
//! `expert`, `note`, `ui`. `note` and `ui` entries are messages: the text is the `@ko`/`@en`
//! line (continued by any lines under it), with `{name}` placeholders that [`fill`] replaces
//! with computed values. [`Catalog::merge`] lays a pack's own file over the shipped one.
//! Several keys may share one text (`=== field eth.src.ig eth.dst.ig eth.ig`). A field
//! key ending in `.*` is a fallback for every field under that prefix that has no entry of its
//! own (used for `game.*` fields a protocol description defines at run time).
//!
//! Contract: parsing never panics; problems (unknown kind, text before any entry, an entry
//! without Korean or English, a key defined twice) are collected as [`CatalogError`]s with
//! the file and line, and a unit test keeps that list empty for the shipped files.

use crate::Lang;
use std::collections::HashMap;
use std::fmt;

/// The shipped catalogue files, in load order.
pub const FILES: &[(&str, &str)] = &[
    ("layers.txt", include_str!("text/layers.txt")),
    ("frame_link.txt", include_str!("text/frame_link.txt")),
    ("ip.txt", include_str!("text/ip.txt")),
    ("ipv6.txt", include_str!("text/ipv6.txt")),
    ("icmp.txt", include_str!("text/icmp.txt")),
    ("tcp.txt", include_str!("text/tcp.txt")),
    ("tcp_analysis.txt", include_str!("text/tcp_analysis.txt")),
    ("udp_dns_data.txt", include_str!("text/udp_dns_data.txt")),
    ("app.txt", include_str!("text/app.txt")),
    ("x509.txt", include_str!("text/x509.txt")),
    ("tunnel.txt", include_str!("text/tunnel.txt")),
    ("game.txt", include_str!("text/game.txt")),
    ("expert.txt", include_str!("text/expert.txt")),
    ("notes.txt", include_str!("text/notes.txt")),
    ("ui.txt", include_str!("text/ui.txt")),
    ("tcp_state.txt", include_str!("text/tcp_state.txt")),
];

/// The files of [`FILES`] that hold every `ui` entry (see `ui_catalog` in the crate root).
pub const UI_FILES: &[&str] = &["ui.txt", "tcp_state.txt"];

/// What an entry explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Field,
    Layer,
    Osi,
    Expert,
    /// A value note template (`{n}바이트예요.`), picked and filled by `notes.rs`.
    Note,
    /// A label or message of the user interface (ladder, TUI).
    Ui,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        match s {
            "field" => Some(Kind::Field),
            "layer" => Some(Kind::Layer),
            "osi" => Some(Kind::Osi),
            "expert" => Some(Kind::Expert),
            "note" => Some(Kind::Note),
            "ui" => Some(Kind::Ui),
            _ => None,
        }
    }
}

/// One language's text of an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub title: String,
    pub body: String,
}

/// One entry: the Korean and English texts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub ko: Text,
    pub en: Text,
    /// Where it was defined, for messages (`tcp.txt:120`).
    pub origin: String,
}

/// A problem in a catalogue file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The parsed catalogue.
#[derive(Debug, Default)]
pub struct Catalog {
    entries: Vec<Entry>,
    index: HashMap<(Kind, String), usize>,
    /// Field fallbacks: (prefix including the final dot, entry).
    prefixes: Vec<(String, usize)>,
    pub errors: Vec<CatalogError>,
    /// While merging: entries before this index may be replaced without a complaint.
    merge_from: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang2 {
    Ko,
    En,
}

struct Pending {
    kind: Kind,
    keys: Vec<String>,
    line: usize,
    entry: Entry,
    lang: Option<Lang2>,
    lines: Vec<String>,
}

impl Catalog {
    /// Parses every shipped file.
    pub fn shipped() -> Catalog {
        Self::shipped_of(|_| true)
    }

    /// Parses the shipped files that hold the `ui` entries ([`UI_FILES`]) and no others.
    pub fn shipped_ui() -> Catalog {
        Self::shipped_of(|name| UI_FILES.contains(&name))
    }

    fn shipped_of(wanted: impl Fn(&str) -> bool) -> Catalog {
        let mut c = Catalog::default();
        for (name, text) in FILES.iter().filter(|(name, _)| wanted(name)) {
            c.add_file(name, text);
        }
        c
    }

    /// Adds a pack's own texts on top of this catalogue: an entry whose key is already
    /// defined replaces the earlier text, a new key is added. The entries that parse are
    /// kept; the problems in `text` (with `file` and line) are returned and also kept in
    /// [`Catalog::errors`]. A key defined twice inside `text` itself is still an error.
    pub fn merge(&mut self, file: &str, text: &str) -> Result<(), Vec<CatalogError>> {
        let before = self.errors.len();
        self.merge_from = Some(self.entries.len());
        self.add_file(file, text);
        self.merge_from = None;
        let new = self.errors.get(before..).unwrap_or_default().to_vec();
        if new.is_empty() { Ok(()) } else { Err(new) }
    }

    /// Parses one file's text and adds its entries.
    pub fn add_file(&mut self, file: &str, text: &str) {
        let mut cur: Option<Pending> = None;
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            let line = raw.trim_end();
            if let Some(header) = line.strip_prefix("=== ") {
                if let Some(p) = cur.take() {
                    self.finish(file, p);
                }
                let mut words = header.split_whitespace();
                let kind_word = words.next().unwrap_or("");
                let Some(kind) = Kind::parse(kind_word) else {
                    self.error(
                        file,
                        line_no,
                        format!(
                            "unknown entry kind `{kind_word}` (field, layer, osi, expert, note, ui)"
                        ),
                    );
                    continue;
                };
                let keys: Vec<String> = words.map(str::to_owned).collect();
                if keys.is_empty() {
                    self.error(file, line_no, "entry header without a key".into());
                    continue;
                }
                cur = Some(Pending {
                    kind,
                    keys,
                    line: line_no,
                    entry: Entry {
                        origin: format!("{file}:{line_no}"),
                        ..Entry::default()
                    },
                    lang: None,
                    lines: Vec::new(),
                });
                continue;
            }
            let Some(p) = cur.as_mut() else {
                if !(line.is_empty() || line.starts_with(";;")) {
                    self.error(
                        file,
                        line_no,
                        "text outside an entry (start one with `=== field NAME`)".into(),
                    );
                }
                continue;
            };
            // A comment ends no entry and belongs to none: it is skipped wherever it stands
            // (typically before the next `===`, after the last text of the one before).
            if line.starts_with(";;") {
                continue;
            }
            let lang_header = if let Some(t) = line.strip_prefix("@ko") {
                Some((Lang2::Ko, t))
            } else {
                line.strip_prefix("@en").map(|t| (Lang2::En, t))
            };
            if let Some((lang, title)) = lang_header {
                flush(p);
                let title = title.trim().to_owned();
                if title.is_empty() {
                    self.error(file, line_no, "language line without a title".into());
                }
                let slot = match lang {
                    Lang2::Ko => &mut p.entry.ko,
                    Lang2::En => &mut p.entry.en,
                };
                if !slot.title.is_empty() {
                    self.error(
                        file,
                        line_no,
                        "second text for the same language in one entry".into(),
                    );
                }
                slot.title = title;
                p.lang = Some(lang);
                continue;
            }
            if p.lang.is_none() {
                if !(line.is_empty() || line.starts_with(";;")) {
                    self.error(
                        file,
                        line_no,
                        "body text before `@ko TITLE` / `@en TITLE`".into(),
                    );
                }
                continue;
            }
            p.lines.push(line.trim_start().to_owned());
        }
        if let Some(p) = cur.take() {
            self.finish(file, p);
        }
    }

    fn error(&mut self, file: &str, line: usize, message: String) {
        self.errors.push(CatalogError {
            file: file.to_owned(),
            line,
            message,
        });
    }

    fn finish(&mut self, file: &str, mut p: Pending) {
        flush(&mut p);
        // A message (note, ui) is its `@ko`/`@en` line, optionally continued below it.
        let message = matches!(p.kind, Kind::Note | Kind::Ui);
        if p.entry.ko.title.is_empty() || (p.entry.ko.body.is_empty() && !message) {
            self.error(
                file,
                p.line,
                format!("`{}` has no Korean text", p.keys.join(" ")),
            );
        }
        if p.entry.en.title.is_empty() || (p.entry.en.body.is_empty() && !message) {
            self.error(
                file,
                p.line,
                format!("`{}` has no English text", p.keys.join(" ")),
            );
        }
        let idx = self.entries.len();
        self.entries.push(p.entry);
        for key in p.keys {
            if p.kind == Kind::Field
                && let Some(prefix) = key.strip_suffix('*')
            {
                self.prefixes.push((prefix.to_owned(), idx));
                continue;
            }
            if let Some(old) = self.index.insert((p.kind, key.clone()), idx) {
                if self.merge_from.is_some_and(|from| old < from) {
                    continue;
                }
                let at = self
                    .entries
                    .get(old)
                    .map(|e| e.origin.clone())
                    .unwrap_or_default();
                self.error(file, p.line, format!("`{key}` is already defined at {at}"));
            }
        }
        // Longest prefix first, so the most specific fallback wins.
        self.prefixes.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    }

    /// The entry for `key` of `kind`, exact match only.
    pub fn exact(&self, kind: Kind, key: &str) -> Option<&Entry> {
        self.index
            .get(&(kind, key.to_owned()))
            .and_then(|&i| self.entries.get(i))
    }

    /// The entry for a field: its own, or the longest matching `prefix.*` fallback.
    pub fn field(&self, abbrev: &str) -> Option<&Entry> {
        if let Some(e) = self.exact(Kind::Field, abbrev) {
            return Some(e);
        }
        self.prefixes
            .iter()
            .find(|(p, _)| abbrev.starts_with(p.as_str()))
            .and_then(|&(_, i)| self.entries.get(i))
    }

    /// A message (`note`, `ui`) in one language: its `@ko`/`@en` line, joined with the
    /// lines under it if any. Placeholders are left for [`fill`].
    pub fn message(&self, kind: Kind, key: &str, lang: Lang) -> Option<String> {
        let e = self.exact(kind, key)?;
        let t = match lang {
            Lang::Ko => &e.ko,
            Lang::En => &e.en,
        };
        Some(if t.body.is_empty() {
            t.title.clone()
        } else {
            format!("{} {}", t.title, t.body)
        })
    }

    /// Every key of a kind (for coverage reports).
    pub fn keys(&self, kind: Kind) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .index
            .keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, s)| s.as_str())
            .collect();
        v.sort_unstable();
        v
    }
}

/// Replaces every `{name}` in `template` with the value given for `name`; `{{` and `}}`
/// stand for `{` and `}`. A placeholder with no value stays as written, so a missing value
/// shows in the text instead of vanishing.
pub fn fill(template: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let Some(end) = tail.find('}').filter(|_| tail.starts_with('{')) {
            let name = &tail[1..end];
            match args.iter().find(|(n, _)| *n == name) {
                Some((_, v)) => {
                    let _ = fmt::Write::write_fmt(&mut out, format_args!("{v}"));
                }
                None => out.push_str(&tail[..=end]),
            }
            rest = &tail[end + 1..];
            continue;
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// The `{name}` placeholders of a template, in order, each once.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut v: Vec<&str> = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{{") {
            rest = after;
            continue;
        }
        let Some(end) = tail.find('}') else { break };
        let name = &tail[1..end];
        if !v.contains(&name) {
            v.push(name);
        }
        rest = &tail[end + 1..];
    }
    v
}

/// Moves the collected body lines into the current language's text.
fn flush(p: &mut Pending) {
    let Some(lang) = p.lang else {
        p.lines.clear();
        return;
    };
    let body = join_body(&p.lines);
    p.lines.clear();
    let slot = match lang {
        Lang2::Ko => &mut p.entry.ko,
        Lang2::En => &mut p.entry.en,
    };
    slot.body = body;
}

/// Joins wrapped lines into paragraphs: lines of one paragraph with a space, paragraphs with
/// a blank line; `- ` list items keep their own lines.
fn join_body(lines: &[String]) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut cur = String::new();
    for l in lines {
        if l.is_empty() {
            if !cur.is_empty() {
                paragraphs.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if !cur.is_empty() {
            cur.push(if l.starts_with("- ") { '\n' } else { ' ' });
        }
        cur.push_str(l);
    }
    if !cur.is_empty() {
        paragraphs.push(cur);
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_paragraphs_and_shared_keys() {
        let mut c = Catalog::default();
        c.add_file(
            "t.txt",
            ";; comment\n=== field a.b a.c\n@ko 제목\n첫 줄\n이어지는 줄\n\n- 항목 하나\n- 항목 둘\n@en Title\nBody.\n=== field g.*\n@ko 게임\n본문\n@en Game\nBody\n",
        );
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let e = c.field("a.c").map(|e| e.ko.body.clone());
        assert_eq!(
            e.as_deref(),
            Some("첫 줄 이어지는 줄\n\n- 항목 하나\n- 항목 둘")
        );
        assert_eq!(c.field("a.b").map(|e| e.en.title.as_str()), Some("Title"));
        assert_eq!(c.field("g.seq").map(|e| e.ko.title.as_str()), Some("게임"));
        assert!(c.field("a").is_none());
    }

    #[test]
    fn reports_missing_language_duplicates_and_stray_text() {
        let mut c = Catalog::default();
        c.add_file("t.txt", "stray\n=== field x\n@ko 제목\n본문\n=== field x\n@ko 다시\n본문\n@en A\nB\n=== thing y\n");
        let msgs: Vec<String> = c.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs.iter().any(|m| m.starts_with("t.txt:1: text outside")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("t.txt:2") && m.contains("no English")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("already defined at t.txt:2")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("unknown entry kind `thing`")),
            "{msgs:?}"
        );
    }

    #[test]
    fn merge_overrides_and_adds_and_reports_file_and_line() {
        let mut c = Catalog::default();
        c.add_file("base.txt", "=== note greet\n@ko 안녕하세요, {name}님\n@en Hello, {name}\n=== ui quit\n@ko 끝내기\n@en quit\n");
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let r = c.merge("pack.txt", "=== ui quit\n@ko 나가기\n@en leave\n=== ui extra\n@ko 추가\n@en extra\n=== ui broken\n@ko 반쪽\n");
        assert_eq!(
            c.message(Kind::Ui, "quit", Lang::Ko).as_deref(),
            Some("나가기")
        );
        assert_eq!(
            c.message(Kind::Ui, "extra", Lang::En).as_deref(),
            Some("extra")
        );
        let errs = r.err().unwrap_or_default();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            errs[0].to_string(),
            "pack.txt:7: `broken` has no English text"
        );
        // The base text is untouched where the pack says nothing.
        let hello = c.message(Kind::Note, "greet", Lang::Ko).unwrap_or_default();
        assert_eq!(fill(&hello, &[("name", &"민지")]), "안녕하세요, 민지님");
        // Outside a merge a second definition is still an error.
        c.add_file("again.txt", "=== ui quit\n@ko 또\n@en again\n");
        assert!(
            c.errors.iter().any(|e| e
                .to_string()
                .starts_with("again.txt:1: `quit` is already defined at pack.txt:1")),
            "{:?}",
            c.errors
        );
    }

    #[test]
    fn fill_replaces_known_placeholders_and_keeps_the_rest() {
        assert_eq!(
            fill("{a} + {b} = {c}", &[("a", &1), ("b", &"2")]),
            "1 + 2 = {c}"
        );
        assert_eq!(fill("{{literal}} {a}", &[("a", &0x10)]), "{literal} 16");
        assert_eq!(fill("open { only", &[]), "open { only");
        assert_eq!(placeholders("{x}을/를 {y} {x} {{z}}"), vec!["x", "y"]);
    }

    #[test]
    fn a_comment_after_a_message_is_not_part_of_it() {
        let mut c = Catalog::default();
        c.add_file("t.txt", "=== ui a\n@ko 가\n@en A\n\n;; the next group\n=== ui b\n@ko 나\n;; between languages\n@en B\n;; last\n");
        assert_eq!(c.message(Kind::Ui, "a", Lang::En).as_deref(), Some("A"));
        assert_eq!(c.message(Kind::Ui, "b", Lang::Ko).as_deref(), Some("나"));
        assert_eq!(c.message(Kind::Ui, "b", Lang::En).as_deref(), Some("B"));
    }

    #[test]
    fn the_ui_files_hold_every_ui_entry() {
        let all = Catalog::shipped();
        let ui = Catalog::shipped_ui();
        let keys = all.keys(Kind::Ui);
        assert!(keys.len() > 200);
        for k in keys {
            for lang in [Lang::Ko, Lang::En] {
                assert_eq!(ui.message(Kind::Ui, k, lang), all.message(Kind::Ui, k, lang), "{k}");
            }
        }
        assert!(ui.errors.is_empty());
    }

    #[test]
    fn shipped_catalogue_parses_cleanly() {
        let c = Catalog::shipped();
        let errs: Vec<String> = c.errors.iter().map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "catalogue problems:\n{}", errs.join("\n"));
        assert!(c.keys(Kind::Field).len() > 100);
    }
}
