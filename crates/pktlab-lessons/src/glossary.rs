//! A pack's glossary (one Korean term per concept, with its English term, a one-line
//! definition and the variants not to use) and the explanation texts a pack ships.
//!
//! ```toml
//! # glossary.toml
//! [[term]]
//! ko = "윈도"
//! en = "window"
//! definition = "받는 쪽이 지금 더 받을 수 있는 바이트 수예요."
//! avoid = ["윈도우"]
//!
//! # texts.toml
//! [[text]]
//! key = "tcp.analysis.fast_retransmission"   # a Wireshark field or protocol name
//! mode = "add"                               # add (after pktlab's text) | replace
//! ko = "우리 수업에서는 …"
//! en = "In this course …"                    # optional
//! ```

use super::model::{Pack, PackText, Term, TextMode};
use super::source::PackSource;
use super::{Diagnostic, line_of};
use crate::fields;
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    #[serde(default)]
    term: Vec<Spanned<RawTerm>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    ko: String,
    en: String,
    definition: String,
    #[serde(default)]
    avoid: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTexts {
    #[serde(default)]
    text: Vec<Spanned<RawText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    key: String,
    mode: String,
    ko: String,
    #[serde(default)]
    en: String,
}

fn toml_diag(file: String, text: &str, e: &toml::de::Error) -> Diagnostic {
    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
    let first = e.message().lines().next().unwrap_or("invalid TOML").trim();
    let message = match first.strip_prefix("unknown field `") {
        Some(rest) => format!("unknown key `{rest}"),
        None => match first.strip_prefix("missing field `") {
            Some(rest) => format!("missing key `{rest}"),
            None => first.to_owned(),
        },
    };
    Diagnostic { file, line, message }
}

/// Parses a glossary file; problems go to `diags`, good entries are kept.
pub fn parse_glossary(src: &dyn PackSource, rel: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Term> {
    let file = src.display(rel);
    let raw: RawGlossary = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_diag(file, text, &e));
            return Vec::new();
        }
    };
    let mut out: Vec<Term> = Vec::new();
    for t in &raw.term {
        let line = line_of(text, t.span().start);
        let r = t.get_ref();
        let mut bad = |m: String| diags.push(Diagnostic { file: file.clone(), line, message: m });
        if r.ko.trim().is_empty() || r.en.trim().is_empty() || r.definition.trim().is_empty() {
            bad("a term needs ko, en and definition, none empty".into());
            continue;
        }
        if let Some(prev) = out.iter().find(|p| p.ko == r.ko.trim()) {
            bad(format!("term \"{}\" is listed twice (first at line {})", r.ko.trim(), prev.line));
            continue;
        }
        if let Some(a) = r.avoid.iter().find(|a| a.trim() == r.ko.trim() || a.trim().is_empty()) {
            bad(format!("term \"{}\": avoid lists \"{a}\", which is empty or the term itself", r.ko.trim()));
            continue;
        }
        out.push(Term {
            line,
            ko: r.ko.trim().to_owned(),
            en: r.en.trim().to_owned(),
            definition: r.definition.trim().to_owned(),
            avoid: r.avoid.iter().map(|a| a.trim().to_owned()).collect(),
        });
    }
    out
}

/// Parses a pack's explanation texts; keys must be fields or protocols pktlab knows.
pub fn parse_texts(src: &dyn PackSource, rel: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<PackText> {
    let file = src.display(rel);
    let raw: RawTexts = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_diag(file, text, &e));
            return Vec::new();
        }
    };
    let mut out: Vec<PackText> = Vec::new();
    for t in &raw.text {
        let line = line_of(text, t.span().start);
        let r = t.get_ref();
        let mut bad = |m: String| diags.push(Diagnostic { file: file.clone(), line, message: m });
        let key = r.key.trim();
        if fields::by_name(key).is_none() {
            bad(format!("unknown field \"{key}\" (a text is attached to a Wireshark field or protocol name)"));
            continue;
        }
        let mode = match r.mode.trim() {
            "add" => TextMode::Add,
            "replace" => TextMode::Replace,
            other => {
                bad(format!("mode \"{other}\" is not add or replace"));
                continue;
            }
        };
        if r.ko.trim().is_empty() {
            bad(format!("the text for {key} is empty"));
            continue;
        }
        if out.iter().any(|p| p.key == key) {
            bad(format!("{key} has two texts; keep one"));
            continue;
        }
        out.push(PackText { line, key: key.to_owned(), mode, ko: super::parse::dedent(&r.ko), en: super::parse::dedent(&r.en) });
    }
    out
}

/// A variant the glossary says not to use, found in `text`: (variant, preferred term).
pub fn variant_in<'a>(glossary: &'a [Term], text: &str) -> Option<(&'a str, &'a Term)> {
    glossary.iter().find_map(|t| t.avoid.iter().find(|a| text.contains(a.as_str())).map(|a| (a.as_str(), t)))
}

/// Warnings for every glossary variant a pack's lessons or texts use.
pub fn variant_warnings(src: &dyn PackSource, pack: &Pack, texts_file: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if pack.glossary.is_empty() {
        return out;
    }
    let say = |(variant, t): (&str, &Term)| format!("uses \"{variant}\"; the glossary's term is \"{}\" ({})", t.ko, t.en);
    for l in &pack.lessons {
        let file = src.display(&l.file);
        for text in [&l.title, &l.summary] {
            if let Some(v) = variant_in(&pack.glossary, text) {
                out.push(Diagnostic { file: file.clone(), line: 1, message: say(v) });
            }
        }
        for s in &l.steps {
            let mut parts: Vec<(&str, usize)> = vec![(&s.text, s.line)];
            if let Some(q) = &s.question {
                parts.push((&q.prompt, q.line));
                parts.push((&q.why, q.line));
                parts.extend(q.hints.iter().map(|h| (h.as_str(), q.line)));
                parts.extend(q.choices.iter().map(|c| (c.as_str(), q.line)));
                parts.extend(q.reasons.iter().map(|c| (c.as_str(), q.line)));
            }
            for (text, line) in parts {
                if let Some(v) = variant_in(&pack.glossary, text) {
                    out.push(Diagnostic { file: file.clone(), line, message: say(v) });
                }
            }
        }
    }
    if let Some(rel) = texts_file {
        let file = src.display(rel);
        for t in &pack.texts {
            for text in [&t.ko, &t.en] {
                if let Some(v) = variant_in(&pack.glossary, text) {
                    out.push(Diagnostic { file: file.clone(), line: t.line, message: say(v) });
                }
            }
        }
    }
    out
}
