//! Recursive-descent parser producing the compiled [`Expr`] directly: names are resolved and
//! literals converted (and type-checked) as they are read, so every error carries the column
//! of the token at fault.
//!
//! Grammar (tshark 4.0 precedence: `not` binds tighter than `and`, which binds tighter than
//! `or`; `not x in {…}` is `not (x in {…})`):
//!
//! ```text
//! expr     := and ( ("||" | "or") and )*
//! and      := unary ( ("&&" | "and") unary )*
//! unary    := ("!" | "not") unary | "(" expr ")" | relation
//! relation := side [ cmp side | "contains" side | ("matches" | "~") string
//!                  | ["not"] "in" set | "&" literal [ cmp literal ] ]
//! side     := name [slice] | ("len" | "count") "(" name [slice] ")" | literal
//! set      := "{" item ( [","] item )* "}"        item := literal [ ".." literal ]
//! ```
//! Set elements are separated by commas, as tshark 4.0 requires.

use super::FilterError;
use super::ast::{Expr, Func, Lit, Mask, Operand, SetItem, SliceEnd, SliceRange, Source, Test};
use super::lexer::{CmpOp, Tok, Token};
use super::literal::{self, Kind, LitTok};
use super::names::{self, Name, Names};

mod value;

/// A parsed side of a relation, before we know what it is compared with.
enum Side {
    Operand { op: Operand, kind: Kind, def: Option<&'static crate::dissect::FieldDef>, label: String, at: Span },
    Literal { tok: OwnedLit, at: Span },
}

#[derive(Clone, Copy, Debug)]
struct Span {
    col: usize,
    len: usize,
}

enum OwnedLit {
    Word(String),
    Str(Vec<u8>),
    Char(u32),
}

impl OwnedLit {
    fn as_tok(&self) -> LitTok<'_> {
        match self {
            OwnedLit::Word(w) => LitTok::Word(w),
            OwnedLit::Str(s) => LitTok::Str(s),
            OwnedLit::Char(c) => LitTok::Char(*c),
        }
    }

    fn describe(&self) -> String {
        match self {
            OwnedLit::Word(w) => format!("\"{w}\""),
            OwnedLit::Str(s) => format!("\"{}\"", String::from_utf8_lossy(s)),
            OwnedLit::Char(c) => format!("'{}'", char::from_u32(*c).unwrap_or('?')),
        }
    }
}

pub(crate) struct Parser {
    text: Vec<char>,
    toks: Vec<Token>,
    pos: usize,
    names: Names,
}

fn err(at: Span, message: impl Into<String>) -> FilterError {
    FilterError { column: at.col + 1, len: at.len.max(1), message: message.into(), suggestion: None }
}

impl Parser {
    /// A parser over `toks`, the tokens of `text`.
    pub(crate) fn new(text: &str, toks: Vec<Token>) -> Parser {
        Parser { text: text.chars().collect(), toks, pos: 0, names: Names::load() }
    }

    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map(|t| &t.tok).unwrap_or(&Tok::End)
    }

    fn peek_at(&self, k: usize) -> &Tok {
        self.toks.get(self.pos + k).map(|t| &t.tok).unwrap_or(&Tok::End)
    }

    fn span(&self) -> Span {
        self.toks
            .get(self.pos)
            .or(self.toks.last())
            .map(|t| Span { col: t.col, len: t.len })
            .unwrap_or(Span { col: 0, len: 1 })
    }

    fn bump(&mut self) -> Token {
        let t = self.toks.get(self.pos).cloned().unwrap_or(Token { tok: Tok::End, col: 0, len: 1 });
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    /// An error for the current token: "unexpected end" or "X was unexpected here".
    fn unexpected(&self, wanted: &str) -> FilterError {
        let at = self.span();
        match self.peek() {
            Tok::End => err(at, format!("the filter ends too early: {wanted} is missing")),
            _ => err(at, format!("{} was unexpected here; expected {wanted}", self.token_text())),
        }
    }

    /// The current token as written, quoted, for messages.
    fn token_text(&self) -> String {
        match self.toks.get(self.pos) {
            None | Some(Token { tok: Tok::End, .. }) => "the end of the filter".into(),
            Some(t) => {
                let written: String = self.text.iter().skip(t.col).take(t.len).collect();
                format!("\"{written}\"")
            }
        }
    }

    /// Parses the whole token list.
    pub(crate) fn parse_filter(&mut self) -> Result<Expr, FilterError> {
        if matches!(self.peek(), Tok::End) {
            return Err(err(Span { col: 0, len: 1 }, "the filter is empty"));
        }
        let e = self.parse_or()?;
        match self.peek() {
            Tok::End => Ok(e),
            Tok::RParen => Err(err(self.span(), "this \")\" has no matching \"(\"")),
            _ => Err(err(
                self.span(),
                format!("{} was unexpected here; join conditions with \"and\" / \"or\"", self.token_text()),
            )),
        }
    }

    fn parse_or(&mut self) -> Result<Expr, FilterError> {
        let mut lhs = self.parse_and()?;
        while matches!(self.peek(), Tok::Or) {
            self.bump();
            let rhs = self.parse_and()?;
            lhs = Expr::Or(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn parse_and(&mut self) -> Result<Expr, FilterError> {
        let mut lhs = self.parse_unary()?;
        while matches!(self.peek(), Tok::And) {
            self.bump();
            let rhs = self.parse_unary()?;
            lhs = Expr::And(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn parse_unary(&mut self) -> Result<Expr, FilterError> {
        match self.peek() {
            Tok::Not => {
                self.bump();
                Ok(Expr::Not(Box::new(self.parse_unary()?)))
            }
            Tok::LParen => {
                let open = self.span();
                self.bump();
                let e = self.parse_or()?;
                match self.peek() {
                    Tok::RParen => {
                        self.bump();
                        Ok(e)
                    }
                    Tok::End => Err(err(open, "this \"(\" is never closed with \")\"")),
                    _ => Err(self.unexpected("\")\" or \"and\"/\"or\"")),
                }
            }
            Tok::Word(w) if (w == "any" || w == "all") && !matches!(self.peek_at(1), Tok::Cmp(_) | Tok::End | Tok::And | Tok::Or | Tok::RParen | Tok::LParen) => {
                let every = w == "all";
                let w = w.clone();
                let at = self.span();
                self.bump();
                let e = self.parse_relation()?;
                if !matches!(e, Expr::Test { .. } | Expr::Compare { .. }) {
                    return Err(err(at, format!("\"{w}\" needs a comparison after it (like {w} ip.addr == 10.0.0.1)")));
                }
                Ok(Expr::Quantified { all: every, expr: Box::new(e) })
            }
            _ => self.parse_relation(),
        }
    }

    fn parse_relation(&mut self) -> Result<Expr, FilterError> {
        let lhs = self.parse_side()?;
        match self.peek().clone() {
            Tok::Cmp(op) => {
                self.bump();
                let rhs = self.parse_side()?;
                self.comparison(lhs, op, rhs)
            }
            Tok::Contains => {
                self.bump();
                let (mut op, kind, def, label) = self.require_operand(lhs)?;
                op.to_end = op.slice.is_none();
                let rhs = self.parse_literal("a string or byte string after \"contains\"")?;
                if !matches!(kind, Kind::Str | Kind::Bytes) {
                    return Err(err(rhs.1, format!("\"contains\" needs a string, byte string or protocol, but {label} is {}", kind.describe())));
                }
                let needle = self.convert(kind, &rhs.0, rhs.1, def, &label)?;
                let Lit::Bytes(needle) = needle else {
                    return Err(err(rhs.1, "\"contains\" needs a string or byte string"));
                };
                Ok(Expr::Test { lhs: op, test: Test::Contains(needle) })
            }
            Tok::Matches => {
                self.bump();
                let (mut op, kind, _, label) = self.require_operand(lhs)?;
                op.to_end = op.slice.is_none();
                let at = self.span();
                let Tok::Str(pattern) = self.peek().clone() else {
                    return Err(self.unexpected("a quoted regular expression after \"matches\""));
                };
                self.bump();
                if !matches!(kind, Kind::Str | Kind::Bytes) {
                    return Err(err(at, format!("\"matches\" needs a string, byte string or protocol, but {label} is {}", kind.describe())));
                }
                let pattern = String::from_utf8(pattern).map_err(|_| err(at, "the regular expression is not valid UTF-8"))?;
                let re = regex::bytes::RegexBuilder::new(&pattern)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| err(at, format!("invalid regular expression: {}", regex_message(&e))))?;
                Ok(Expr::Test { lhs: op, test: Test::Matches(re) })
            }
            Tok::In => {
                self.bump();
                self.membership(lhs)
            }
            Tok::Not if matches!(self.peek_at(1), Tok::In) => {
                self.bump();
                self.bump();
                Ok(Expr::Not(Box::new(self.membership(lhs)?)))
            }
            Tok::BitAnd => {
                let mask_at = self.span();
                self.bump();
                let (op, kind, def, label) = self.require_operand(lhs)?;
                let int = matches!(kind, Kind::UInt { .. } | Kind::SInt { .. });
                let bytes = matches!(kind, Kind::Bytes | Kind::Ether | Kind::Ipv4 | Kind::Ipv6);
                if !(int || bytes) || op.mask.is_some() {
                    return Err(err(mask_at, format!("\"&\" needs an integer, byte string or address, but {label} is {}", kind.describe())));
                }
                let mask = self.parse_literal("a mask after \"&\"")?;
                let mask_lit = if kind == Kind::Bytes || !bytes { self.convert(kind, &mask.0, mask.1, def, &label)? } else {
                    // An address masked bytewise: the mask is written as the address is.
                    self.convert(kind, &mask.0, mask.1, None, &label)?
                };
                let m = match mask_lit {
                    Lit::Int(m) => Mask::Int(m as u64),
                    Lit::Bytes(b) => Mask::Bytes(b),
                    Lit::Float(_) | Lit::Net { .. } => return Err(err(mask.1, "\"&\" needs a plain mask (no /prefix)")),
                };
                let op = Operand { mask: Some(m), ..op };
                if let Tok::Cmp(cmp) = self.peek().clone() {
                    self.bump();
                    let value = self.parse_literal("a value after the comparison")?;
                    let lit = self.convert(kind, &value.0, value.1, def, &label)?;
                    return Ok(Expr::Test { lhs: op, test: Test::Cmp { op: cmp, lit } });
                }
                Ok(Expr::Test { lhs: op, test: Test::NonZero })
            }
            _ => match lhs {
                Side::Operand { op, .. } if op.func == Func::None && op.mask.is_none() && op.slice.is_none() && op.layers.is_none() => {
                    Ok(Expr::Exists(op.source))
                }
                // A slice or layer is there when it has bytes: `frame[60]` on a 60-byte frame
                // is absent.
                Side::Operand { op, .. } if op.func == Func::None && op.mask.is_none() => Ok(Expr::Test { lhs: op, test: Test::Present }),
                Side::Operand { at, label, .. } => {
                    Err(err(at, format!("{label} is a value, not a condition: compare it with something")))
                }
                Side::Literal { tok, at } => Err(self.not_a_field(&tok, at)),
            },
        }
    }

    /// The error for a literal standing where a field was needed.
    fn not_a_field(&self, tok: &OwnedLit, at: Span) -> FilterError {
        match tok {
            OwnedLit::Word(w) if names::looks_like_name(w) => {
                let mut e = err(at, format!("\"{w}\" is not a valid protocol or protocol field"));
                e.suggestion = self.names.suggest(w);
                e
            }
            other => err(at, format!("{} is a value, not a protocol or field: a test needs a field", other.describe())),
        }
    }

    fn require_operand(
        &self,
        side: Side,
    ) -> Result<(Operand, Kind, Option<&'static crate::dissect::FieldDef>, String), FilterError> {
        match side {
            Side::Operand { op, kind, def, label, .. } => Ok((op, kind, def, label)),
            Side::Literal { tok, at } => Err(self.not_a_field(&tok, at)),
        }
    }

    fn comparison(&self, lhs: Side, op: CmpOp, rhs: Side) -> Result<Expr, FilterError> {
        match (lhs, rhs) {
            (Side::Operand { op: l, kind: lk, label: ll, .. }, Side::Operand { op: r, kind: rk, label: rl, at, .. }) => {
                if !lk.compatible(rk) {
                    return Err(err(at, format!("{ll} ({}) and {rl} ({}) cannot be compared", lk.describe(), rk.describe())));
                }
                Ok(Expr::Compare { lhs: l, op, rhs: r })
            }
            (Side::Operand { op: l, kind, def, label, .. }, Side::Literal { tok, at }) => {
                let lit = self.convert(kind, &tok, at, def, &label)?;
                check_net(op, &lit, at)?;
                Ok(Expr::Test { lhs: l, test: Test::Cmp { op, lit } })
            }
            (Side::Literal { tok, at }, Side::Operand { op: r, kind, def, label, .. }) => {
                let lit = self.convert(kind, &tok, at, def, &label)?;
                check_net(op, &lit, at)?;
                Ok(Expr::Test { lhs: r, test: Test::Cmp { op: op.mirrored(), lit } })
            }
            (Side::Literal { tok, at }, Side::Literal { tok: rtok, at: rat }) => {
                if let OwnedLit::Word(w) = &rtok
                    && names::looks_like_name(w)
                    && !matches!(&tok, OwnedLit::Word(l) if names::looks_like_name(l))
                {
                    return Err(self.not_a_field(&rtok, rat));
                }
                Err(self.not_a_field(&tok, at))
            }
        }
    }

    fn convert(
        &self,
        kind: Kind,
        tok: &OwnedLit,
        at: Span,
        def: Option<&'static crate::dissect::FieldDef>,
        label: &str,
    ) -> Result<Lit, FilterError> {
        literal::convert(kind, tok.as_tok(), def, label).map_err(|message| match tok {
            // A misspelt field on the right-hand side reads better as such than as a bad value.
            OwnedLit::Word(w) if w.contains('.') && names::looks_like_name(w) && kind != Kind::Str => {
                match self.names.suggest(w) {
                    Some(s) => FilterError {
                        suggestion: Some(s),
                        ..err(at, format!("\"{w}\" is not a valid protocol or protocol field"))
                    },
                    None => err(at, message),
                }
            }
            _ => err(at, message),
        })
    }

    fn membership(&mut self, lhs: Side) -> Result<Expr, FilterError> {
        let (op, kind, def, label) = self.require_operand(lhs)?;
        if !matches!(self.peek(), Tok::LBrace) {
            return Err(self.unexpected("\"{\" to start the set"));
        }
        let open = self.span();
        self.bump();
        let mut items = Vec::new();
        loop {
            match self.peek() {
                Tok::RBrace if !items.is_empty() => {
                    self.bump();
                    break;
                }
                Tok::RBrace => return Err(err(self.span(), "the set is empty: put at least one value between { }")),
                Tok::End => return Err(err(open, "this \"{\" is never closed with \"}\"")),
                Tok::Comma if !items.is_empty() => {
                    self.bump();
                    if matches!(self.peek(), Tok::RBrace | Tok::Comma) {
                        return Err(self.unexpected("a value after \",\""));
                    }
                }
                _ if !items.is_empty() => {
                    return Err(err(self.span(), format!("{} was unexpected here: separate the values of a set with commas", self.token_text())));
                }
                _ => {}
            }
            let lo = self.parse_literal("a value in the set")?;
            let lo_lit = self.convert(kind, &lo.0, lo.1, def, &label)?;
            if matches!(self.peek(), Tok::DotDot) {
                self.bump();
                let hi = self.parse_literal("the upper end of the range after \"..\"")?;
                let hi_lit = self.convert(kind, &hi.0, hi.1, def, &label)?;
                items.push(SetItem::Range(lo_lit, hi_lit));
            } else {
                items.push(SetItem::One(lo_lit));
            }
        }
        Ok(Expr::Test { lhs: op, test: Test::In(items.into()) })
    }

    /// Reads one literal token (word, string or character).
    fn parse_literal(&mut self, wanted: &str) -> Result<(OwnedLit, Span), FilterError> {
        let at = self.span();
        let lit = match self.peek().clone() {
            Tok::Word(w) => OwnedLit::Word(w),
            Tok::Str(s) => OwnedLit::Str(s),
            Tok::Char(c) => OwnedLit::Char(c),
            _ => return Err(self.unexpected(wanted)),
        };
        self.bump();
        Ok((lit, at))
    }

}

fn check_net(op: CmpOp, lit: &Lit, at: Span) -> Result<(), FilterError> {
    if matches!(lit, Lit::Net { .. }) && op.is_ordering() {
        return Err(err(at, "an address with a /prefix can only be compared with ==, != or in"));
    }
    Ok(())
}

/// The last line of a regex error, which says what is wrong.
fn regex_message(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("invalid").trim().trim_start_matches("error: ").to_owned()
}

/// Parses the inside of `[...]`: comma-separated `i:n`, `i-j`, `i:`, `:n` or `i`.
fn parse_slice(text: &str) -> Result<Box<[SliceRange]>, String> {
    let int = |s: &str| -> Result<i64, String> {
        s.trim().parse::<i64>().map_err(|_| format!("\"{}\" is not a valid offset in the slice [{text}]", s.trim()))
    };
    let mut out = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return Err(format!("the slice [{text}] has an empty range"));
        }
        let range = if let Some((a, b)) = part.split_once(':') {
            let start = if a.trim().is_empty() { 0 } else { int(a)? };
            let end = if b.trim().is_empty() {
                None
            } else {
                let n = int(b)?;
                if n <= 0 {
                    return Err(format!("the length in the slice [{text}] must be positive"));
                }
                Some(SliceEnd::Len(n))
            };
            SliceRange { start, end }
        } else if let Some(dash) = part.get(1..).and_then(|rest| rest.find('-')).map(|i| i + 1) {
            SliceRange { start: int(&part[..dash])?, end: Some(SliceEnd::Inclusive(int(&part[dash + 1..])?)) }
        } else {
            SliceRange { start: int(part)?, end: Some(SliceEnd::Len(1)) }
        };
        out.push(range);
    }
    Ok(out.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices() {
        assert_eq!(parse_slice("0:3").ok().as_deref(), Some(&[SliceRange { start: 0, end: Some(SliceEnd::Len(3)) }][..]));
        assert_eq!(parse_slice("4:").ok().as_deref(), Some(&[SliceRange { start: 4, end: None }][..]));
        assert_eq!(parse_slice(":2").ok().as_deref(), Some(&[SliceRange { start: 0, end: Some(SliceEnd::Len(2)) }][..]));
        assert_eq!(parse_slice("0-1").ok().as_deref(), Some(&[SliceRange { start: 0, end: Some(SliceEnd::Inclusive(1)) }][..]));
        assert_eq!(parse_slice("-1").ok().as_deref(), Some(&[SliceRange { start: -1, end: Some(SliceEnd::Len(1)) }][..]));
        assert_eq!(parse_slice("0:2,4").map(|s| s.len()).ok(), Some(2));
        assert!(parse_slice("x").is_err());
        assert!(parse_slice("").is_err());
        assert!(parse_slice("1:-2").is_err());
    }
}
