//! `pktlab lessons check`: everything a pack claims, proven against its captures.

use super::answer::{parse_uint, same_value};
use super::loaded::LoadedCapture;
use super::model::*;
use super::parse::load_pack;
use super::source::{DirSource, PackSource, normalize};
use super::Diagnostic;
use crate::fields;
use crate::filter::Filter;
use std::collections::BTreeMap;
use std::path::Path;

/// What a passing check covered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckSummary {
    pub lessons: usize,
    pub steps: usize,
    pub questions: usize,
    /// `expect` facts proven.
    pub facts: usize,
    pub captures: usize,
}

/// Checks the pack in `dir`.
pub fn check(dir: &Path) -> (Vec<Diagnostic>, CheckSummary) {
    check_source(&DirSource::new(dir))
}

/// Checks a pack from any source: syntax, unknown keys, missing captures, frames beyond the
/// end, fields a frame does not have, filters that do not parse, facts and answers the
/// capture contradicts.
pub fn check_source(src: &dyn PackSource) -> (Vec<Diagnostic>, CheckSummary) {
    let mut diags = Vec::new();
    let mut summary = CheckSummary::default();
    let Some(pack) = load_pack(src, &mut diags) else { return (diags, summary) };
    let mut captures = Captures::default();
    for lesson in &pack.lessons {
        summary.lessons += 1;
        let file = src.display(&lesson.file);
        for step in &lesson.steps {
            summary.steps += 1;
            let mut out = Out { file: &file, diags: &mut diags };
            check_step(src, &mut captures, step, &mut out, &mut summary);
        }
    }
    summary.captures = captures.map.values().filter(|c| c.is_some()).count();
    diags.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    (diags, summary)
}

/// Loaded captures by normalized path (None: could not be read).
#[derive(Default)]
pub struct Captures {
    map: BTreeMap<String, Option<LoadedCapture>>,
}

impl Captures {
    /// The capture at `rel` (relative to the pack), read once.
    pub fn get(&mut self, src: &dyn PackSource, rel: &str) -> Result<&LoadedCapture, String> {
        let key = normalize(rel);
        let mut err = String::new();
        let entry = self.map.entry(key).or_insert_with(|| match src.read(rel) {
            Ok(bytes) => match LoadedCapture::from_bytes(rel, bytes.into_owned()) {
                Ok(c) => Some(c),
                Err(e) => {
                    err = format!("capture {rel} cannot be read: {}", e.to_string().trim_start_matches(&format!("{rel}: ")));
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                err = format!("capture {rel} not found");
                None
            }
            Err(e) => {
                err = format!("capture {rel} cannot be read: {e}");
                None
            }
        });
        match entry {
            Some(c) => Ok(c),
            None if err.is_empty() => Err(String::new()), // already reported
            None => Err(err),
        }
    }
}

struct Out<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Out<'_> {
    fn err(&mut self, line: usize, message: impl Into<String>) {
        self.diags.push(Diagnostic { file: self.file.to_owned(), line, message: message.into() });
    }
}

fn shown(values: &[String]) -> String {
    match values {
        [] => "absent".to_owned(),
        [one] => one.clone(),
        many => many.join(","),
    }
}

/// Checks one step; also used by tests to prove the built-in pack step by step.
fn check_step(src: &dyn PackSource, caps: &mut Captures, step: &Step, out: &mut Out, summary: &mut CheckSummary) {
    let cap = match caps.get(src, &step.capture) {
        Ok(c) => c,
        Err(e) => {
            if !e.is_empty() {
                out.err(step.capture_line, e);
            } else {
                out.err(step.capture_line, format!("capture {} cannot be used (see above)", step.capture));
            }
            return;
        }
    };
    let name = step.capture.rsplit('/').next().unwrap_or(&step.capture).to_owned();
    if step.frame > cap.len() {
        out.err(step.line, format!("frame {} is beyond the end of {name} ({} frames)", step.frame, cap.len()));
        return;
    }
    if let Some(field) = &step.field {
        check_field_in_frame(cap, step.frame, field, step.field_line, out);
    }
    if let Some(text) = &step.filter {
        match Filter::compile(text) {
            Ok(f) => {
                if !cap.matches(step.frame, &f) {
                    out.err(step.filter_line, format!("frame {} does not pass the step's filter \"{text}\", so it would be hidden", step.frame));
                }
            }
            Err(e) => out.err(step.filter_line, format!("filter \"{text}\" does not parse: {e}")),
        }
    }
    for (fact, line) in &step.expect {
        match Filter::compile(fact) {
            Ok(f) => {
                if cap.matches(step.frame, &f) {
                    summary.facts += 1;
                } else {
                    let actual: Vec<String> = field_names(fact)
                        .into_iter()
                        .map(|n| format!("{n} is {}", shown(&cap.values(step.frame, &n))))
                        .collect();
                    let why = if actual.is_empty() { String::new() } else { format!(" ({})", actual.join(", ")) };
                    out.err(*line, format!("frame {} does not match expect \"{fact}\"{why}", step.frame));
                }
            }
            Err(e) => out.err(*line, format!("expect \"{fact}\" does not parse: {e}")),
        }
    }
    if let Some(q) = &step.question {
        summary.questions += 1;
        check_question(cap, &name, step, q, out);
    }
}

fn check_field_in_frame(cap: &LoadedCapture, frame: u64, field: &str, line: usize, out: &mut Out) -> Option<Vec<String>> {
    if fields::by_name(field).is_none() {
        out.err(line, format!("unknown field \"{field}\""));
        return None;
    }
    let values = cap.values(frame, field);
    if values.is_empty() {
        out.err(line, format!("frame {frame} has no field {field}"));
        return None;
    }
    Some(values)
}

fn check_question(cap: &LoadedCapture, name: &str, step: &Step, q: &Question, out: &mut Out) {
    let frame = q.frame.unwrap_or(step.frame);
    if frame > cap.len() {
        out.err(q.line, format!("frame {frame} is beyond the end of {name} ({} frames)", cap.len()));
        return;
    }
    match q.kind {
        QuestionKind::FieldValue => {
            let Some(field) = q.field.as_ref().or(step.field.as_ref()) else {
                out.err(q.line, "a field-value question needs a field (in the question or the step)");
                return;
            };
            let line = if q.field.is_some() { q.field_line } else { step.field_line };
            let Some(values) = check_field_in_frame(cap, frame, field, line, out) else { return };
            if !values.iter().any(|v| same_value(v, &q.answer)) {
                out.err(q.answer_line, format!("answer \"{}\" does not match the capture: {field} in frame {frame} is {}", q.answer, shown(&values)));
            }
        }
        QuestionKind::FrameNumber => {
            let Some(m) = &q.matches else {
                out.err(q.line, "a frame-number question needs match = \"FILTER\" (its answer is the first frame the filter matches)");
                return;
            };
            let f = match Filter::compile(m) {
                Ok(f) => f,
                Err(e) => {
                    out.err(q.matches_line, format!("filter \"{m}\" does not parse: {e}"));
                    return;
                }
            };
            let Some(want) = parse_uint(&q.answer) else {
                out.err(q.answer_line, format!("answer \"{}\" is not a frame number", q.answer));
                return;
            };
            match cap.first_match(&f) {
                Some(first) if first == want => {}
                Some(first) => out.err(q.answer_line, format!("answer {want} does not match the capture: the first frame matching \"{m}\" is {first}")),
                None => out.err(q.matches_line, format!("no frame of {name} matches \"{m}\"")),
            }
        }
        QuestionKind::Choice => {
            if q.choices.len() < 2 {
                out.err(q.line, "a choice question needs at least two choices");
                return;
            }
            let idx = parse_uint(&q.answer).and_then(|n| usize::try_from(n).ok()).filter(|n| (1..=q.choices.len()).contains(n));
            let Some(idx) = idx else {
                out.err(q.answer_line, format!("answer \"{}\" is not a choice number (1 to {})", q.answer, q.choices.len()));
                return;
            };
            if let Some(field) = &q.field {
                let Some(values) = check_field_in_frame(cap, frame, field, q.field_line, out) else { return };
                let chosen = q.choices.get(idx - 1).map(String::as_str).unwrap_or("");
                if !values.iter().any(|v| same_value(v, chosen)) {
                    out.err(q.answer_line, format!("answer {idx} (\"{chosen}\") does not match the capture: {field} in frame {frame} is {}", shown(&values)));
                }
            }
        }
    }
}

/// The names in a filter expression that are known fields.
fn field_names(expr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')) {
        if w.contains('.') && fields::by_name(w).is_some() && !out.iter().any(|o| o == w) {
            out.push(w.to_owned());
        }
    }
    out
}
