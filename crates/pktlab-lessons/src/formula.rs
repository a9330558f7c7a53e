//! The arithmetic behind a compute question, so the checker can prove its answer from the
//! capture: numbers, `+ - * /`, parentheses and field values written `FIELD@FRAME`
//! (`frame.time_relative@12 - frame.time_relative@11`, `tcp.len@6 * 8 / 0.001`). A field's
//! first value in that frame is used.

use super::answer::{parse_number, parse_uint};
use super::loaded::LoadedCapture;
use crate::fields;

/// Evaluates `formula` against `cap`. The error says what and where (1-based column).
pub fn eval(formula: &str, cap: &LoadedCapture) -> Result<f64, String> {
    let mut p = Parser { s: formula.as_bytes(), i: 0, cap };
    let v = p.expr()?;
    p.space();
    if p.i < p.s.len() {
        return Err(format!("column {}: unexpected `{}`", p.i + 1, char::from(p.s[p.i])));
    }
    if !v.is_finite() {
        return Err("the result is not a finite number (division by zero?)".into());
    }
    Ok(v)
}

/// The `FIELD@FRAME` references in a formula (for the give-away check and messages).
pub fn refs(formula: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for part in formula.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '@')) {
        if let Some((name, frame)) = part.split_once('@')
            && let Some(n) = parse_uint(frame)
        {
            out.push((name.to_owned(), n));
        }
    }
    out
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    cap: &'a LoadedCapture,
}

impl Parser<'_> {
    fn space(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.s.get(self.i).copied()
    }

    fn expr(&mut self) -> Result<f64, String> {
        let mut v = self.term()?;
        while let Some(op @ (b'+' | b'-')) = self.peek() {
            self.i += 1;
            let r = self.term()?;
            v = if op == b'+' { v + r } else { v - r };
        }
        Ok(v)
    }

    fn term(&mut self) -> Result<f64, String> {
        let mut v = self.factor()?;
        while let Some(op @ (b'*' | b'/')) = self.peek() {
            self.i += 1;
            let r = self.factor()?;
            v = if op == b'*' { v * r } else { v / r };
        }
        Ok(v)
    }

    fn factor(&mut self) -> Result<f64, String> {
        let at = self.i + 1;
        match self.peek() {
            None => Err(format!("column {at}: the formula ends where a number or FIELD@FRAME was expected")),
            Some(b'-') => {
                self.i += 1;
                Ok(-self.factor()?)
            }
            Some(b'(') => {
                self.i += 1;
                let v = self.expr()?;
                if self.peek() != Some(b')') {
                    return Err(format!("column {}: `)` expected", self.i + 1));
                }
                self.i += 1;
                Ok(v)
            }
            Some(c) if c.is_ascii_digit() || c == b'.' => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                t.parse::<f64>().map_err(|_| format!("column {}: `{t}` is not a number", start + 1))
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'_') {
                    self.i += 1;
                }
                let name = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("").to_owned();
                if self.s.get(self.i) != Some(&b'@') {
                    return Err(format!("column {}: write a field as {name}@FRAME", start + 1));
                }
                self.i += 1;
                let fs = self.i;
                while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                    self.i += 1;
                }
                let frame = std::str::from_utf8(&self.s[fs..self.i]).ok().and_then(parse_uint);
                let Some(frame) = frame.filter(|n| *n >= 1) else {
                    return Err(format!("column {}: a frame number (from 1) must follow {name}@", fs + 1));
                };
                self.value(&name, frame, start + 1)
            }
            Some(c) => Err(format!("column {at}: unexpected `{}`", char::from(c))),
        }
    }

    fn value(&self, name: &str, frame: u64, col: usize) -> Result<f64, String> {
        if fields::by_name(name).is_none() {
            return Err(format!("column {col}: unknown field \"{name}\""));
        }
        if frame > self.cap.len() {
            return Err(format!("column {col}: frame {frame} is beyond the end of the capture ({} frames)", self.cap.len()));
        }
        let values = self.cap.values(frame, name);
        let Some(first) = values.first() else {
            return Err(format!("column {col}: frame {frame} has no field {name}"));
        };
        parse_uint(first)
            .map(|n| n as f64)
            .or_else(|| parse_number(first))
            .ok_or_else(|| format!("column {col}: {name} in frame {frame} is \"{first}\", not a number"))
    }
}
