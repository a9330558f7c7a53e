//! Parsing `pack.toml` and lesson files, with `file:line` for every problem.

use super::model::*;
use super::source::PackSource;
use super::{Diagnostic, line_of};
use serde::Deserialize;
use toml::Spanned;

/// The pack format this pktlab reads.
pub const FORMAT: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    format: Spanned<i64>,
    title: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    lessons: Spanned<Vec<Spanned<String>>>,
    /// The glossary file (Korean term, English term, definition, variants to avoid).
    #[serde(default)]
    glossary: Option<Spanned<String>>,
    /// A file of explanation texts the pack adds or replaces.
    #[serde(default)]
    texts: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    title: Spanned<String>,
    #[serde(default)]
    topic: Option<Spanned<i64>>,
    #[serde(default)]
    summary: Option<String>,
    /// Default capture for every step.
    #[serde(default)]
    capture: Option<Spanned<String>>,
    #[serde(default)]
    step: Vec<Spanned<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    #[serde(default)]
    capture: Option<Spanned<String>>,
    frame: Spanned<i64>,
    #[serde(default)]
    field: Option<Spanned<String>>,
    #[serde(default)]
    filter: Option<Spanned<String>>,
    text: Spanned<String>,
    #[serde(default)]
    expect: Vec<Spanned<String>>,
    #[serde(default)]
    question: Option<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    kind: Spanned<String>,
    prompt: Spanned<String>,
    answer: Spanned<toml::Value>,
    #[serde(default)]
    field: Option<Spanned<String>>,
    #[serde(default)]
    frame: Option<Spanned<i64>>,
    #[serde(default, rename = "match")]
    matches: Option<Spanned<String>>,
    #[serde(default)]
    choices: Vec<String>,
    #[serde(default)]
    hints: Vec<String>,
    why: Spanned<String>,
    #[serde(default)]
    tolerance: Option<Spanned<toml::Value>>,
    #[serde(default)]
    formula: Option<Spanned<String>>,
    #[serde(default)]
    reveal: Option<Spanned<i64>>,
    #[serde(default)]
    reasons: Vec<String>,
}

struct Cx<'a> {
    file: String,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    fn err(&mut self, at: usize, message: impl Into<String>) {
        self.diags.push(Diagnostic { file: self.file.clone(), line: line_of(self.text, at), message: message.into() });
    }

    fn line(&self, at: usize) -> usize {
        line_of(self.text, at)
    }
}

fn toml_error(file: String, text: &str, e: &toml::de::Error) -> Diagnostic {
    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
    let first = e.message().lines().next().unwrap_or("invalid TOML").trim();
    // serde says "field" for a TOML key; in a lesson, "field" means a Wireshark field
    let message = match first.strip_prefix("unknown field `") {
        Some(rest) => format!("unknown key `{rest}"),
        None => match first.strip_prefix("missing field `") {
            Some(rest) => format!("missing key `{rest}"),
            None => first.to_owned(),
        },
    };
    Diagnostic { file, line, message }
}

fn read_text(src: &dyn PackSource, rel: &str) -> Result<String, String> {
    let bytes = src.read(rel).map_err(|e| if e.kind() == std::io::ErrorKind::NotFound { "not found".to_owned() } else { e.to_string() })?;
    String::from_utf8(bytes.into_owned()).map_err(|_| "not UTF-8 text".to_owned())
}

/// Reads and parses a pack. Problems go to `diags`; the pack holds every lesson and step
/// that parsed (None when `pack.toml` itself is unusable).
pub fn load_pack(src: &dyn PackSource, diags: &mut Vec<Diagnostic>) -> Option<Pack> {
    let file = src.display("pack.toml");
    let text = match read_text(src, "pack.toml") {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic { file, line: 0, message: format!("cannot read pack.toml: {e}") });
            return None;
        }
    };
    let raw: RawPack = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_error(file, &text, &e));
            return None;
        }
    };
    let mut cx = Cx { file, text: &text, diags };
    let format = *raw.format.get_ref();
    if format != i64::from(FORMAT) {
        cx.err(raw.format.span().start, format!("format {format} is not supported (this pktlab reads format {FORMAT})"));
        return None;
    }
    if raw.title.get_ref().trim().is_empty() {
        cx.err(raw.title.span().start, "title is empty");
    }
    if raw.lessons.get_ref().is_empty() {
        cx.err(raw.lessons.span().start, "lessons is empty: list the lesson files in order, e.g. lessons = [\"01-intro.toml\"]");
    }
    let mut pack = Pack {
        format: FORMAT,
        title: raw.title.get_ref().trim().to_owned(),
        description: raw.description.unwrap_or_default().trim().to_owned(),
        lessons: Vec::new(),
        glossary: Vec::new(),
        texts: Vec::new(),
        texts_file: raw.texts.as_ref().map(|t| t.get_ref().clone()),
    };
    if let Some(g) = &raw.glossary {
        match read_text(src, g.get_ref()) {
            Ok(t) => pack.glossary = super::glossary::parse_glossary(src, g.get_ref(), &t, cx.diags),
            Err(e) => cx.err(g.span().start, format!("glossary {}: {e}", g.get_ref())),
        }
    }
    if let Some(x) = &raw.texts {
        match read_text(src, x.get_ref()) {
            Ok(t) => pack.texts = super::glossary::parse_texts(src, x.get_ref(), &t, cx.diags),
            Err(e) => cx.err(x.span().start, format!("texts {}: {e}", x.get_ref())),
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for entry in raw.lessons.get_ref() {
        let rel = entry.get_ref().clone();
        if !seen.insert(rel.clone()) {
            cx.err(entry.span().start, format!("lesson {rel} is listed twice"));
            continue;
        }
        match read_text(src, &rel) {
            Ok(t) => {
                if let Some(lesson) = parse_lesson(src, &rel, &t, cx.diags) {
                    pack.lessons.push(lesson);
                }
            }
            Err(e) => cx.err(entry.span().start, format!("lesson file {rel}: {e}")),
        }
    }
    Some(pack)
}

fn lesson_id(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".toml").unwrap_or(name).to_owned()
}

/// Parses one lesson file (`rel` relative to the pack).
pub fn parse_lesson(src: &dyn PackSource, rel: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Lesson> {
    let file = src.display(rel);
    let raw: RawLesson = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_error(file, text, &e));
            return None;
        }
    };
    let mut cx = Cx { file, text, diags };
    if raw.title.get_ref().trim().is_empty() {
        cx.err(raw.title.span().start, "title is empty");
    }
    let topic = match &raw.topic {
        Some(t) => match u32::try_from(*t.get_ref()) {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                cx.err(t.span().start, format!("topic {} is not a positive number", t.get_ref()));
                None
            }
        },
        None => None,
    };
    if raw.step.is_empty() {
        cx.err(raw.title.span().start, "the lesson has no steps (add [[step]] tables)");
    }
    let mut steps = Vec::new();
    for s in &raw.step {
        if let Some(step) = parse_step(&mut cx, s.get_ref(), raw.capture.as_ref()) {
            steps.push(step);
        }
    }
    Some(Lesson {
        id: lesson_id(rel),
        file: rel.to_owned(),
        title: raw.title.get_ref().trim().to_owned(),
        topic,
        summary: raw.summary.unwrap_or_default().trim().to_owned(),
        steps,
    })
}

fn parse_step(cx: &mut Cx, s: &RawStep, default_capture: Option<&Spanned<String>>) -> Option<Step> {
    let line = cx.line(s.frame.span().start);
    let Some(capture) = s.capture.as_ref().or(default_capture) else {
        cx.err(s.frame.span().start, "the step has no capture (set capture in the step or at the top of the lesson)");
        return None;
    };
    let frame = match u64::try_from(*s.frame.get_ref()) {
        Ok(n) if n >= 1 => n,
        _ => {
            cx.err(s.frame.span().start, format!("frame {} is not a frame number (frames count from 1)", s.frame.get_ref()));
            return None;
        }
    };
    if s.text.get_ref().trim().is_empty() {
        cx.err(s.text.span().start, "the step's text is empty");
    }
    let question = match &s.question {
        Some(q) => Some(parse_question(cx, q.get_ref())?),
        None => None,
    };
    Some(Step {
        line,
        capture: capture.get_ref().clone(),
        capture_line: cx.line(capture.span().start),
        frame,
        field: s.field.as_ref().map(|f| f.get_ref().trim().to_owned()),
        field_line: s.field.as_ref().map(|f| cx.line(f.span().start)).unwrap_or(line),
        filter: s.filter.as_ref().map(|f| f.get_ref().clone()),
        filter_line: s.filter.as_ref().map(|f| cx.line(f.span().start)).unwrap_or(line),
        text: dedent(s.text.get_ref()),
        expect: s.expect.iter().map(|e| (e.get_ref().clone(), cx.line(e.span().start))).collect(),
        question,
    })
}

fn parse_question(cx: &mut Cx, q: &RawQuestion) -> Option<Question> {
    let Some(kind) = QuestionKind::from_name(q.kind.get_ref()) else {
        let names: Vec<&str> = QuestionKind::ALL.iter().map(|k| k.name()).collect();
        cx.err(q.kind.span().start, format!("unknown question kind \"{}\" (expected one of {})", q.kind.get_ref(), names.join(", ")));
        return None;
    };
    let answer = match q.answer.get_ref() {
        toml::Value::String(s) => s.trim().to_owned(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => if *b { "1" } else { "0" }.to_owned(),
        _ => {
            cx.err(q.answer.span().start, "answer must be a string or a number");
            return None;
        }
    };
    let frame = match &q.frame {
        Some(f) => match u64::try_from(*f.get_ref()) {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                cx.err(f.span().start, format!("frame {} is not a frame number (frames count from 1)", f.get_ref()));
                return None;
            }
        },
        None => None,
    };
    let tolerance = match &q.tolerance {
        None => 0.0,
        Some(t) => match t.get_ref() {
            toml::Value::Float(f) if f.is_finite() && *f >= 0.0 => *f,
            toml::Value::Integer(i) if *i >= 0 => *i as f64,
            _ => {
                cx.err(t.span().start, "tolerance must be a number of 0 or more");
                return None;
            }
        },
    };
    let reveal = match &q.reveal {
        Some(f) => match u64::try_from(*f.get_ref()) {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                cx.err(f.span().start, format!("reveal {} is not a frame number (frames count from 1)", f.get_ref()));
                return None;
            }
        },
        None => None,
    };
    if q.prompt.get_ref().trim().is_empty() {
        cx.err(q.prompt.span().start, "the question's prompt is empty");
    }
    if q.why.get_ref().trim().is_empty() {
        cx.err(q.why.span().start, "why is empty: say why the answer is right");
    }
    Some(Question {
        line: cx.line(q.kind.span().start),
        kind,
        prompt: dedent(q.prompt.get_ref()),
        answer,
        answer_line: cx.line(q.answer.span().start),
        field: q.field.as_ref().map(|f| f.get_ref().trim().to_owned()),
        field_line: q.field.as_ref().map(|f| cx.line(f.span().start)).unwrap_or_else(|| cx.line(q.kind.span().start)),
        frame,
        matches: q.matches.as_ref().map(|m| m.get_ref().clone()),
        matches_line: q.matches.as_ref().map(|m| cx.line(m.span().start)).unwrap_or_else(|| cx.line(q.kind.span().start)),
        choices: q.choices.iter().map(|c| c.trim().to_owned()).collect(),
        hints: q.hints.iter().map(|h| h.trim().to_owned()).collect(),
        why: dedent(q.why.get_ref()),
        tolerance,
        formula: q.formula.as_ref().map(|f| f.get_ref().trim().to_owned()),
        formula_line: q.formula.as_ref().map(|f| cx.line(f.span().start)).unwrap_or_else(|| cx.line(q.kind.span().start)),
        reveal,
        reasons: q.reasons.iter().map(|r| dedent(r)).collect(),
    })
}

/// Trims a multi-line string and joins hard-wrapped lines of a paragraph with spaces
/// (blank lines separate paragraphs), so lesson files can be wrapped freely.
pub fn dedent(s: &str) -> String {
    let mut out = String::new();
    let mut para = String::new();
    for line in s.trim().lines() {
        let l = line.trim();
        if l.is_empty() {
            if !para.is_empty() {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                out.push_str(&para);
                para.clear();
            }
        } else if l.starts_with("- ") || l.starts_with("• ") {
            // list items keep their own lines
            if !para.is_empty() {
                para.push('\n');
            }
            para.push_str(l);
        } else {
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(l);
        }
    }
    if !para.is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&para);
    }
    out
}
