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
    /// Questions of each kind, in [`QuestionKind::ALL`] order.
    pub by_kind: [usize; 7],
    /// Questions whose answer can be copied from the step's text, prompt or hints.
    pub giveaways: usize,
    /// Problems that do not fail the check: give-aways and glossary variants.
    pub warnings: Vec<Diagnostic>,
}

impl CheckSummary {
    /// "field-value 3, compute 5, …" (kinds with at least one question).
    pub fn kinds_line(&self) -> String {
        QuestionKind::ALL
            .iter()
            .zip(self.by_kind)
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{} {n}", k.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// How many kinds have at least one question.
    pub fn kinds(&self) -> usize {
        self.by_kind.iter().filter(|n| **n > 0).count()
    }
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
            if let Some(q) = &step.question
                && let Some(why) = giveaway(step, q)
            {
                summary.giveaways += 1;
                summary.warnings.push(Diagnostic { file: file.clone(), line: q.answer_line, message: format!("give-away: {why}") });
            }
        }
    }
    summary.warnings.extend(super::glossary::variant_warnings(src, &pack, pack.texts_file.as_deref()));
    summary.captures = captures.map.values().filter(|c| c.is_some()).count();
    diags.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    summary.warnings.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
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
        if let Some(i) = QuestionKind::ALL.iter().position(|k| *k == q.kind) {
            summary.by_kind[i] += 1;
        }
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
        QuestionKind::FrameNumber | QuestionKind::Hunt => {
            let Some(m) = &q.matches else {
                out.err(q.line, format!("a {} question needs match = \"FILTER\" (its answer is the first frame the filter matches)", q.kind.name()));
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
            if q.kind == QuestionKind::Hunt && want == step.frame {
                out.err(q.answer_line, format!("the hunt's answer {want} is the step's own frame, which the lesson selects: start the step on another frame"));
            }
            match cap.first_match(&f) {
                Some(first) if first == want => {}
                Some(first) => out.err(q.answer_line, format!("answer {want} does not match the capture: the first frame matching \"{m}\" is {first}")),
                None => out.err(q.matches_line, format!("no frame of {name} matches \"{m}\"")),
            }
        }
        QuestionKind::Compute => {
            let Some(want) = super::answer::parse_number(&q.answer) else {
                out.err(q.answer_line, format!("answer \"{}\" is not a number", q.answer));
                return;
            };
            let Some(formula) = &q.formula else {
                out.err(q.line, "a compute question needs formula = \"…\" (arithmetic over FIELD@FRAME values) so its answer is proven");
                return;
            };
            match super::formula::eval(formula, cap) {
                Ok(v) if (v - want).abs() <= q.tolerance + 1e-9 * v.abs().max(1.0) => {}
                Ok(v) => out.err(q.answer_line, format!("answer {want} does not match the capture: formula \"{formula}\" gives {v} (tolerance {})", q.tolerance)),
                Err(e) => out.err(q.formula_line, format!("formula \"{formula}\": {e}")),
            }
        }
        QuestionKind::Choice | QuestionKind::Predict | QuestionKind::Explain => {
            if q.choices.len() < 2 {
                out.err(q.line, format!("a {} question needs at least two choices", q.kind.name()));
                return;
            }
            let idx = parse_uint(&q.answer).and_then(|n| usize::try_from(n).ok()).filter(|n| (1..=q.choices.len()).contains(n));
            let Some(idx) = idx else {
                out.err(q.answer_line, format!("answer \"{}\" is not a choice number (1 to {})", q.answer, q.choices.len()));
                return;
            };
            let mut frame = frame;
            if q.kind == QuestionKind::Predict {
                let reveal = q.reveal.unwrap_or(step.frame + 1);
                if reveal <= step.frame {
                    out.err(q.line, format!("reveal {reveal} must come after the step's frame {}: the learner predicts what follows", step.frame));
                    return;
                }
                if reveal > cap.len() {
                    out.err(q.line, format!("reveal {reveal} is beyond the end of {name} ({} frames)", cap.len()));
                    return;
                }
                frame = q.frame.unwrap_or(reveal);
            }
            if q.kind == QuestionKind::Explain {
                if q.reasons.len() != q.choices.len() {
                    out.err(q.line, format!("an explain question needs one reason per choice ({} choices, {} reasons)", q.choices.len(), q.reasons.len()));
                    return;
                }
                if let Some(i) = (1..=q.choices.len()).find(|i| *i != idx && q.reasons[*i - 1].trim().is_empty()) {
                    out.err(q.line, format!("choice {i} is wrong but its reason is empty: say why it is wrong"));
                }
            }
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

/// Why a question's answer can be copied from its step's text, prompt or hints, if it can.
pub fn giveaway(step: &Step, q: &Question) -> Option<String> {
    let mut places: Vec<(String, &str)> = vec![("the step's text".into(), step.text.as_str()), ("the prompt".into(), q.prompt.as_str())];
    for (i, h) in q.hints.iter().enumerate() {
        places.push((format!("hint {}", i + 1), h.as_str()));
    }
    let frame_answer = matches!(q.kind, QuestionKind::FrameNumber | QuestionKind::Hunt);
    let wanted: Vec<String> = if q.kind.has_choices() {
        let idx = parse_uint(&q.answer).and_then(|n| usize::try_from(n).ok()).and_then(|n| n.checked_sub(1));
        match idx.and_then(|i| q.choices.get(i)) {
            // a choice is given away when its exact words stand in the text
            Some(c) if c.chars().count() >= 2 => vec![c.clone()],
            _ => Vec::new(),
        }
    } else {
        let mut v = vec![q.answer.clone()];
        if let Some(n) = parse_uint(&q.answer) {
            v.push(n.to_string());
        }
        if let Some(x) = super::answer::parse_number(&q.answer) {
            v.push(format!("{x}"));
        }
        v.sort();
        v.dedup();
        v
    };
    for (place, text) in &places {
        for w in &wanted {
            if contains_token(text, w, frame_answer) {
                return Some(format!("the answer \"{w}\" stands in {place}"));
            }
        }
    }
    None
}

/// Whether `needle` occurs in `hay` not as part of a longer number (or word, for ASCII). A
/// number followed by 번 ("1번 프레임") is a frame reference and only counts when the answer
/// is itself a frame number.
fn contains_token(hay: &str, needle: &str, frame_answer: bool) -> bool {
    if needle.is_empty() {
        return false;
    }
    let lower_hay = hay.to_lowercase();
    let lower = needle.to_lowercase();
    let numeric = needle.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let mut from = 0;
    while let Some(pos) = lower_hay.get(from..).and_then(|h| h.find(&lower)) {
        let at = from + pos;
        let end = at + lower.len();
        let before = lower_hay[..at].chars().next_back();
        let after = lower_hay[end..].chars().next();
        let after2 = lower_hay[end..].chars().nth(1);
        let joined = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let decimal_after = after == Some('.') && after2.is_some_and(|c| c.is_ascii_digit());
        let decimal_before = before == Some('.') || before == Some(',');
        // "1번 (프레임)" names a frame, not a value
        let frame_ref = !frame_answer && lower_hay[end..].starts_with('번');
        if !numeric || (!joined(before) && !joined(after) && !decimal_after && !decimal_before && !frame_ref) {
            return true;
        }
        from = end;
    }
    false
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
