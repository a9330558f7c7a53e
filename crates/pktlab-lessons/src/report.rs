//! `pktlab lessons report`: a learner's answers for grading, one row per settled question,
//! as CSV or JSON, and read back from either (so a grading sheet can be merged or checked).

use super::model::Pack;
use super::progress::Progress;
use serde::{Deserialize, Serialize};

/// One settled question of one lesson.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub pack: String,
    /// The lesson id (its file name without `.toml`).
    pub lesson: String,
    /// 1-based step number.
    pub step: usize,
    /// The question's kind (`compute`, `hunt`…); empty when the pack no longer has it.
    pub kind: String,
    pub first_try: bool,
    pub tries: usize,
    pub correct: bool,
    pub seconds: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("line {line}: {message}")]
    Csv { line: usize, message: String },
    #[error("{0}")]
    Json(String),
}

/// The CSV header.
pub const HEADER: &str = "pack,lesson,step,kind,first_try,tries,correct,seconds";

/// Every recorded answer of `pack` in `progress`, in lesson then step order.
pub fn rows(progress: &Progress, pack: &Pack) -> Vec<Row> {
    let mut out = Vec::new();
    for l in &pack.lessons {
        let p = progress.get(&pack.title, &l.id);
        for a in &p.answers {
            let kind = a
                .step
                .checked_sub(1)
                .and_then(|i| l.steps.get(i))
                .and_then(|s| s.question.as_ref())
                .map(|q| q.kind.name().to_owned())
                .unwrap_or_default();
            out.push(Row {
                pack: pack.title.clone(),
                lesson: l.id.clone(),
                step: a.step,
                kind,
                first_try: a.first_try,
                tries: a.tries,
                correct: a.correct,
                seconds: a.seconds,
            });
        }
    }
    out
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Rows as CSV (RFC 4180 quoting), header first.
pub fn to_csv(rows: &[Row]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for r in rows {
        let cells = [
            csv_cell(&r.pack),
            csv_cell(&r.lesson),
            r.step.to_string(),
            csv_cell(&r.kind),
            r.first_try.to_string(),
            r.tries.to_string(),
            r.correct.to_string(),
            r.seconds.to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Splits CSV text into records of cells (quoted cells may hold commas, doubled quotes and
/// line breaks), each with the line it starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, ReportError> {
    let mut out = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cur = String::new();
    let (mut line, mut start) = (1, 1);
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cur.push(c),
            (false, '"') if cur.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                cells.push(std::mem::take(&mut cur));
                was_quoted = false;
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                cells.push(std::mem::take(&mut cur));
                was_quoted = false;
                let record = std::mem::take(&mut cells);
                if !(record.len() == 1 && record[0].trim().is_empty()) {
                    out.push((start, record));
                }
                start = line;
            }
            (false, c) => cur.push(c),
        }
    }
    if quoted {
        return Err(ReportError::Csv { line: start, message: "a quoted cell is not closed".into() });
    }
    if !cur.is_empty() || !cells.is_empty() {
        cells.push(cur);
        out.push((start, cells));
    }
    Ok(out)
}

/// Reads rows back from CSV written by [`to_csv`].
pub fn from_csv(text: &str) -> Result<Vec<Row>, ReportError> {
    let mut recs = records(text)?.into_iter();
    match recs.next() {
        Some((_, h)) if h.join(",").trim() == HEADER => {}
        Some((line, _)) => return Err(ReportError::Csv { line, message: format!("the header must be {HEADER}") }),
        None => return Ok(Vec::new()),
    }
    let mut out = Vec::new();
    for (line, c) in recs {
        let bad = |message: String| ReportError::Csv { line, message };
        if c.len() != 8 {
            return Err(bad(format!("{} cells, expected 8", c.len())));
        }
        let num = |j: usize, what: &str| c[j].trim().parse::<usize>().map_err(|_| bad(format!("{what} \"{}\" is not a number", c[j])));
        let flag = |j: usize, what: &str| c[j].trim().parse::<bool>().map_err(|_| bad(format!("{what} \"{}\" is not true or false", c[j])));
        let seconds = c[7].trim().parse::<f64>().ok().filter(|v| v.is_finite());
        out.push(Row {
            pack: c[0].clone(),
            lesson: c[1].clone(),
            step: num(2, "step")?,
            kind: c[3].clone(),
            first_try: flag(4, "first_try")?,
            tries: num(5, "tries")?,
            correct: flag(6, "correct")?,
            seconds: seconds.ok_or_else(|| bad(format!("seconds \"{}\" is not a number", c[7])))?,
        });
    }
    Ok(out)
}

/// Rows as a JSON array.
pub fn to_json(rows: &[Row]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into())
}

/// Reads rows back from JSON written by [`to_json`].
pub fn from_json(text: &str) -> Result<Vec<Row>, ReportError> {
    serde_json::from_str(text).map_err(|e| ReportError::Json(e.to_string()))
}
