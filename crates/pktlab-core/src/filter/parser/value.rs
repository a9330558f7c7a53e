//! The values a relation compares: fields and protocols (with a `#layer` and a `[slice]`),
//! literals, `${field}` references, function calls and arithmetic, with tshark 4.0's type
//! rules:
//!
//! ```text
//! side    := product ( ("+" | "-") product )*
//! product := neg ( ("*" | "/" | "%") neg )*
//! neg     := "-" neg | primary
//! primary := "{" side "}" | "${" name "}" | func "(" side ("," side)* ")"
//!          | ["."] name ["#" layer] [slice] | literal
//! ```

use super::*;
use crate::filter::ast::{ArOp, Calc, Class};

const FUNCTIONS: &[&str] = &["len", "count", "string", "lower", "upper", "min", "max", "abs"];

/// The kind of integer arithmetic results (and of literals combined with them).
const WIDE: Kind = Kind::SInt { min: i64::MIN, max: i64::MAX };

fn plain(source: Source, kind: Kind) -> Operand {
    Operand { source, func: Func::None, slice: None, layers: None, mask: None, class: kind.class(), to_end: false }
}

/// The calculation an operand stands for.
fn calc_of(op: Operand) -> Calc {
    match op {
        Operand { source: Source::Computed(c), func: Func::None, slice: None, layers: None, mask: None, .. } => *c,
        op => Calc::Value(op),
    }
}

fn computed(calc: Calc, kind: Kind) -> Operand {
    plain(Source::Computed(Box::new(calc)), kind)
}

impl Parser {
    /// The end column of the token just read.
    fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).and_then(|i| self.toks.get(i)).map(|t| t.col + t.len).unwrap_or(0)
    }

    fn text_between(&self, from: usize, to: usize) -> String {
        self.text.iter().skip(from).take(to.saturating_sub(from)).collect()
    }

    pub(super) fn parse_side(&mut self) -> Result<Side, FilterError> {
        let start = self.span();
        let mut lhs = self.parse_product()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => ArOp::Add,
                Tok::Word(w) if w == "-" => ArOp::Sub,
                _ => return Ok(lhs),
            };
            let at = self.span();
            self.bump();
            let rhs = self.parse_product()?;
            lhs = self.arith(lhs, op, rhs, at, start.col)?;
        }
    }

    fn parse_product(&mut self) -> Result<Side, FilterError> {
        let start = self.span();
        let mut lhs = self.parse_neg()?;
        loop {
            let op = match self.peek() {
                Tok::Star => ArOp::Mul,
                Tok::Percent => ArOp::Rem,
                Tok::Word(w) if w == "/" => ArOp::Div,
                _ => return Ok(lhs),
            };
            let at = self.span();
            self.bump();
            let rhs = self.parse_neg()?;
            lhs = self.arith(lhs, op, rhs, at, start.col)?;
        }
    }

    fn parse_neg(&mut self) -> Result<Side, FilterError> {
        let at = self.span();
        if let Tok::Word(w) = self.peek().clone() {
            if w == "-" {
                self.bump();
                let inner = self.parse_neg()?;
                return self.negate(inner, at);
            }
            // `-ip.len` reads as one word.
            if let Some(rest) = w.strip_prefix('-')
                && names::looks_like_name(rest)
                && self.names.resolve(rest).is_some()
            {
                self.bump();
                let inner = self.after_name(rest, Span { col: at.col + 1, len: at.len - 1 })?;
                return self.negate(inner, at);
            }
        }
        self.parse_primary()
    }

    fn parse_primary(&mut self) -> Result<Side, FilterError> {
        let at = self.span();
        match self.peek().clone() {
            Tok::LBrace => {
                self.bump();
                let inner = self.parse_side()?;
                if !matches!(self.peek(), Tok::RBrace) {
                    return Err(self.unexpected("\"}\" to close the \"{\""));
                }
                self.bump();
                Ok(inner)
            }
            Tok::FieldRef(name) => {
                self.bump();
                match self.names.resolve(&name) {
                    Some(Name::Field(def)) => {
                        let kind = Kind::of(def.ftype);
                        Ok(Side::Operand { op: plain(Source::Reference, kind), kind, def: Some(def), label: format!("${{{name}}}"), at })
                    }
                    _ => {
                        let mut e = err(at, format!("\"{name}\" in the reference is not a valid protocol field"));
                        e.suggestion = self.names.suggest(&name);
                        Err(e)
                    }
                }
            }
            Tok::Word(w) if matches!(self.peek_at(1), Tok::LParen) && FUNCTIONS.contains(&w.as_str()) => self.call(w),
            Tok::Word(w) if matches!(self.peek_at(1), Tok::LParen) && names::looks_like_name(&w) && self.names.resolve(&w).is_none() => {
                Err(err(at, format!("the function \"{w}\" does not exist (functions: {})", FUNCTIONS.join(", "))))
            }
            Tok::Word(w) => {
                self.bump();
                if let Some(rest) = w.strip_prefix('.')
                    && !rest.is_empty()
                    && !rest.starts_with('.')
                {
                    // `.tcp.port`: explicitly a field, never a value.
                    if self.names.resolve(rest).is_none() {
                        let mut e = err(at, format!("\"{rest}\" is not a valid protocol or protocol field"));
                        e.suggestion = self.names.suggest(rest);
                        return Err(e);
                    }
                    return self.after_name(rest, at);
                }
                self.after_name(&w, at)
            }
            Tok::Str(s) => {
                self.bump();
                Ok(Side::Literal { tok: OwnedLit::Str(s), at })
            }
            Tok::Char(c) => {
                self.bump();
                Ok(Side::Literal { tok: OwnedLit::Char(c), at })
            }
            _ => Err(self.unexpected("a field, a protocol or a value")),
        }
    }

    /// A name just read: a field or protocol with its `#layer` and `[slice]`, or a literal.
    fn after_name(&mut self, w: &str, at: Span) -> Result<Side, FilterError> {
        let Some(name) = self.names.resolve(w) else {
            return Ok(Side::Literal { tok: OwnedLit::Word(w.to_owned()), at });
        };
        let (source, kind, def) = match name {
            Name::Field(d) => (Source::Field(d), Kind::of(d.ftype), Some(d)),
            Name::Proto(p) => (Source::Proto(p), Kind::Bytes, None),
            Name::Frame => (Source::Frame, Kind::Bytes, None),
            Name::Expert { malformed_only } => (Source::Expert { malformed_only }, Kind::Bytes, None),
        };
        let layered = matches!(source, Source::Field(_) | Source::Proto(_));
        let mut op = plain(source, kind);
        let mut kind = kind;
        if matches!(self.peek(), Tok::Hash) {
            let hash = self.span();
            self.bump();
            if !layered {
                return Err(err(hash, format!("{w} has no layers to choose with \"#\"")));
            }
            let lat = self.span();
            let ranges = match self.peek().clone() {
                Tok::Word(n) => match n.parse::<i64>() {
                    Ok(i) => vec![SliceRange { start: i, end: Some(SliceEnd::Len(1)) }].into_boxed_slice(),
                    Err(_) => return Err(err(lat, format!("\"{n}\" is not a layer number (write ip.addr#2 or ip.addr#[1-2])"))),
                },
                Tok::Slice(text) => {
                    let r = parse_slice(&text).map_err(|m| err(lat, m.replace("slice", "layer range")))?;
                    for x in r.iter() {
                        if let Some(SliceEnd::Inclusive(e)) = x.end
                            && e <= x.start
                        {
                            return Err(err(lat, format!("the layer range {}-{e} is not valid: {} is not below {e}", x.start, x.start)));
                        }
                    }
                    r
                }
                _ => return Err(self.unexpected("a layer number after \"#\"")),
            };
            self.bump();
            op.layers = Some(ranges);
        }
        let mut label = self.text_between(at.col, self.prev_end());
        let mut span = Span { col: at.col, len: self.prev_end() - at.col };
        if let Tok::Slice(text) = self.peek().clone() {
            let slice_at = self.span();
            self.bump();
            if !matches!(kind, Kind::Bytes | Kind::Str | Kind::Ether | Kind::Ipv4 | Kind::Ipv6) {
                return Err(err(slice_at, format!("{w} is {} and cannot be sliced into bytes", kind.describe())));
            }
            op.slice = Some(parse_slice(&text).map_err(|m| err(slice_at, m))?);
            kind = Kind::Bytes;
            op.class = kind.class();
            label = format!("{label}[{text}]");
            span.len = slice_at.col + slice_at.len - at.col;
        }
        let def = if op.slice.is_some() { None } else { def };
        Ok(Side::Operand { op, kind, def, label, at: span })
    }

    /// `name(args)`: the word `name` is the current token, `(` the next.
    fn call(&mut self, name: String) -> Result<Side, FilterError> {
        let at = self.span();
        self.bump();
        self.bump();
        let mut args = Vec::new();
        loop {
            let arg_at = self.span();
            args.push((self.parse_side()?, arg_at));
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    self.bump();
                    break;
                }
                _ => return Err(self.unexpected(&format!("\",\" or \")\" to close {name}(")))
            }
        }
        let span = Span { col: at.col, len: self.prev_end() - at.col };
        let label = self.text_between(at.col, self.prev_end());
        if name == "min" || name == "max" {
            let mut calcs = Vec::new();
            let mut first: Option<Kind> = None;
            for (side, arg_at) in args {
                let Side::Operand { op, kind, label: l, .. } = side else {
                    return Err(err(arg_at, format!("the arguments of {name}() must be fields or values computed from fields")));
                };
                if !matches!(kind.class(), Class::Int | Class::Float) {
                    return Err(err(arg_at, format!("{name}() compares numbers and times, but {l} is {}", kind.describe())));
                }
                match first {
                    Some(k) if k != kind => {
                        return Err(err(arg_at, format!("the arguments of {name}() must have the same type: {l} is {}, the first is {}", kind.describe(), k.describe())));
                    }
                    _ => first = Some(kind),
                }
                calcs.push(calc_of(op));
            }
            let kind = first.unwrap_or(WIDE);
            let op = computed(Calc::MinMax { max: name == "max", args: calcs.into() }, kind);
            return Ok(Side::Operand { op, kind, def: None, label, at: span });
        }
        let mut args = args.into_iter();
        let (Some((arg, arg_at)), None) = (args.next(), args.next()) else {
            return Err(err(span, format!("{name}() takes one argument")));
        };
        let Side::Operand { mut op, kind, label: inner, def, .. } = arg else {
            return Err(err(arg_at, format!("only fields can be used as the argument of {name}()")));
        };
        let bare = op.func == Func::None && op.mask.is_none();
        let (func, out) = match name.as_str() {
            "len" => {
                if !bare || matches!(op.source, Source::Computed(_)) {
                    return Err(err(arg_at, format!("len() takes a field or protocol, not {inner}")));
                }
                (Func::Len, Kind::UInt { max: u32::MAX as u64 })
            }
            "count" => {
                if !bare || op.slice.is_some() || !matches!(op.source, Source::Field(_) | Source::Proto(_) | Source::Frame | Source::Expert { .. }) {
                    return Err(err(arg_at, "only fields can be used as the argument of count()"));
                }
                (Func::Count, Kind::UInt { max: u32::MAX as u64 })
            }
            "string" => {
                if !bare || def.is_none() || !matches!(op.source, Source::Field(_)) {
                    return Err(err(arg_at, format!("string() takes a field, not {inner}")));
                }
                (Func::String, Kind::Str)
            }
            "lower" | "upper" => {
                if kind != Kind::Str {
                    return Err(err(arg_at, format!("only string fields can be used as the argument of {name}(), but {inner} is {}", kind.describe())));
                }
                (if name == "lower" { Func::Lower } else { Func::Upper }, Kind::Str)
            }
            _ => {
                // abs
                if !matches!(kind.class(), Class::Int | Class::Float) {
                    return Err(err(arg_at, format!("abs() takes a number or a time, but {inner} is {}", kind.describe())));
                }
                (Func::Abs, if kind.class() == Class::Int { WIDE } else { kind })
            }
        };
        if op.func != Func::None || op.mask.is_some() {
            op = computed(calc_of(op), kind);
        }
        op.func = func;
        op.class = out.class();
        Ok(Side::Operand { op, kind: out, def: None, label, at: span })
    }

    fn negate(&mut self, inner: Side, at: Span) -> Result<Side, FilterError> {
        let span = Span { col: at.col, len: self.prev_end().saturating_sub(at.col).max(1) };
        let label = self.text_between(at.col, self.prev_end());
        match inner {
            Side::Operand { op, kind, label: l, .. } => {
                if !matches!(kind.class(), Class::Int | Class::Float) || kind == Kind::AbsTime {
                    return Err(err(span, format!("\"-\" needs a number or a time, but {l} is {}", kind.describe())));
                }
                let out = if kind.class() == Class::Int { WIDE } else { kind };
                Ok(Side::Operand { op: computed(Calc::Neg(Box::new(calc_of(op))), out), kind: out, def: None, label, at: span })
            }
            Side::Literal { tok, at: lat } => Err(self.not_a_field(&tok, lat)),
        }
    }

    fn arith(&mut self, lhs: Side, op: ArOp, rhs: Side, at: Span, start: usize) -> Result<Side, FilterError> {
        let sign = match op {
            ArOp::Add => "+",
            ArOp::Sub => "-",
            ArOp::Mul => "*",
            ArOp::Div => "/",
            ArOp::Rem => "%",
        };
        let span = Span { col: start, len: self.prev_end().saturating_sub(start).max(1) };
        let label = self.text_between(start, self.prev_end());
        // The kind comes from the field side.
        let (kind, what) = match (&lhs, &rhs) {
            (Side::Operand { kind, label, .. }, _) | (Side::Literal { .. }, Side::Operand { kind, label, .. }) => (*kind, label.clone()),
            (Side::Literal { tok, at: lat }, Side::Literal { .. }) => return Err(self.not_a_field(tok, *lat)),
        };
        let numeric = matches!(kind, Kind::UInt { .. } | Kind::SInt { .. } | Kind::Float | Kind::RelTime);
        if !numeric {
            return Err(err(at, format!("\"{sign}\" needs numbers or times, but {what} is {}", kind.describe())));
        }
        if kind == Kind::RelTime && !matches!(op, ArOp::Add | ArOp::Sub) {
            return Err(err(at, format!("{what} is a time in seconds: only \"+\" and \"-\" apply to it, not \"{sign}\"")));
        }
        let lit_kind = if kind.class() == Class::Int { WIDE } else { kind };
        let side = |p: &Parser, s: Side| -> Result<Calc, FilterError> {
            match s {
                Side::Operand { op, kind: k, label: l, at: a, .. } => {
                    if k.class() != kind.class() || (k == Kind::RelTime) != (kind == Kind::RelTime) {
                        return Err(err(a, format!("{what} ({}) and {l} ({}) cannot be combined with \"{sign}\"", kind.describe(), k.describe())));
                    }
                    Ok(calc_of(op))
                }
                Side::Literal { tok, at: a } => Ok(Calc::Const(p.convert(lit_kind, &tok, a, None, &what)?)),
            }
        };
        let l = side(self, lhs)?;
        let r = side(self, rhs)?;
        let out = lit_kind;
        Ok(Side::Operand { op: computed(Calc::Arith(op, Box::new(l), Box::new(r)), out), kind: out, def: None, label, at: span })
    }
}
