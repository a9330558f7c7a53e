//! Wireshark display filters over dissected fields, with tshark 4.0's language and semantics.
//!
//! API contract used by the CLI, the TUI, lessons and live capture:
//! `Filter::compile(text)` → `Result<Filter, FilterError>`; `filter.matches(&dissection, frame)`.
//!
//! The language: bare protocol or field names test presence (`tcp`, `tcp.options.sack_perm`);
//! comparisons `== != === !== ~= < > <= >=` (and `eq ne any_eq all_eq any_ne all_ne lt gt le
//! ge`); `contains`, `matches`/`~` (regex, case-insensitive like tshark's), `in {…}` with
//! ranges `a..b`, `&` (bitwise-and test, optionally compared: `tcp.flags & 0x12 == 0x12`),
//! slices `eth.src[0:3]` (a range past the end is absent), `&& || !` / `and or not`,
//! parentheses; arithmetic `+ - * / %`, unary minus and `{…}` grouping (`udp.dstport ==
//! udp.srcport + 1`); functions `len count string lower upper min max abs`; the layer operator
//! (`ip.addr#2`, `ip.dst#[-1]`); `any`/`all`; literals `:aa:bb`, `aa.bb`, `aa-bb`, raw strings
//! `r"…"`, field references `.tcp.port` and `${ip.dst}`, value strings (`ip.flags.df ==
//! "Set"`), relative times in seconds and absolute dates (`frame.time >= "2019-10-04 01:24"`,
//! local time unless the date names its zone).
//! Multi-occurrence semantics (`ip.addr`, `tcp.port`) are described in [`eval`]'s module doc.
//!
//! Compilation resolves every name once and type-checks every literal against its field (an
//! IPv4 field compared with a string, 70000 for a 16-bit port, a bad regex are errors that
//! name their column); evaluation allocates nothing on the usual paths.

mod ast;
mod eval;
mod lexer;
mod literal;
mod names;
mod parser;
mod suggest;
mod time;

use crate::dissect::{Demand, Dissection};
use std::fmt;

/// A compiled display filter.
#[derive(Debug, Clone)]
pub struct Filter {
    text: String,
    expr: ast::Expr,
}

/// Why a filter did not compile, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// 1-based column (in characters) where the problem starts.
    pub column: usize,
    /// Length in characters of the offending part (at least 1).
    pub len: usize,
    pub message: String,
    /// A "did you mean" suggestion, e.g. `tcp.port` for `tcp.prot`.
    pub suggestion: Option<String>,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean \"{s}\"?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for FilterError {}

impl FilterError {
    /// The filter text and, under it, a caret line marking the offending part:
    ///
    /// ```text
    /// tcp.prot == 80
    /// ^~~~~~~~
    /// ```
    /// Columns count characters, so the marks line up under any text a terminal shows one
    /// cell per character. A column past the end (a missing operand) marks the end.
    pub fn caret_lines(&self, text: &str) -> String {
        let width = text.chars().count();
        let start = self.column.saturating_sub(1).min(width);
        let len = self.len.max(1).min((width + 1).saturating_sub(start)).max(1);
        format!("{text}\n{}^{}", " ".repeat(start), "~".repeat(len - 1))
    }

    /// The one-line message followed by the caret lines, as the CLI prints it.
    pub fn render(&self, text: &str) -> String {
        format!("{self}\n{}", self.caret_lines(text))
    }
}

impl Filter {
    /// Compiles `text`. Never panics; every failure is a [`FilterError`] naming its column.
    pub fn compile(text: &str) -> Result<Filter, FilterError> {
        let tokens = lexer::lex(text).map_err(|e| FilterError {
            column: e.col + 1,
            len: e.len.max(1),
            message: e.message,
            suggestion: None,
        })?;
        let expr = parser::Parser::new(text, tokens).parse_filter()?;
        Ok(Filter { text: text.to_owned(), expr })
    }

    /// The filter as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What a dissection must hold for this filter to give the same answer as on a full one:
    /// the fields it names, and expert items if it names `_ws.expert`/`_ws.malformed`
    /// (protocols, slices and `len()` read layers, which a [`Demand`] always keeps).
    pub fn demand(&self) -> Demand {
        fn walk(e: &ast::Expr, d: &mut Demand) {
            match e {
                ast::Expr::And(a, b) | ast::Expr::Or(a, b) => {
                    walk(a, d);
                    walk(b, d);
                }
                ast::Expr::Not(a) => walk(a, d),
                ast::Expr::Exists(src) => source(src, d),
                ast::Expr::Test { lhs, .. } => source(&lhs.source, d),
                ast::Expr::Compare { lhs, rhs, .. } => {
                    source(&lhs.source, d);
                    source(&rhs.source, d);
                }
                ast::Expr::Quantified { expr, .. } => walk(expr, d),
            }
        }
        fn calc(c: &ast::Calc, d: &mut Demand) {
            match c {
                ast::Calc::Value(op) => source(&op.source, d),
                ast::Calc::Const(_) => {}
                ast::Calc::Neg(a) => calc(a, d),
                ast::Calc::Arith(_, a, b) => {
                    calc(a, d);
                    calc(b, d);
                }
                ast::Calc::MinMax { args, .. } => args.iter().for_each(|a| calc(a, d)),
            }
        }
        fn source(s: &ast::Source, d: &mut Demand) {
            match s {
                ast::Source::Field(def) => d.add(def),
                ast::Source::Expert { .. } => {
                    d.experts = true;
                    d.checksums = true;
                }
                ast::Source::Computed(c) => calc(c, d),
                // (A protocol's layers are always there; its items inside other
                // protocols' trees are fields.)
                ast::Source::Proto(p) => {
                    for def in crate::dissect::NESTED_PROTOCOLS.iter().filter(|def| def.abbrev == &**p) {
                        d.add(def);
                    }
                }
                ast::Source::Frame | ast::Source::Reference => {}
            }
        }
        let mut d = Demand::default();
        walk(&self.expr, &mut d);
        d
    }

    /// Whether the dissected frame matches. `frame` is the captured bytes the dissection's
    /// field ranges refer to.
    pub fn matches(&self, d: &Dissection, frame: &[u8]) -> bool {
        eval::eval(&self.expr, d, frame)
    }
}

#[cfg(test)]
mod tests;
