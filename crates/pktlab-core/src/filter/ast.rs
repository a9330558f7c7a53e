//! The compiled form of a filter: names already resolved to `&'static FieldDef`s, literals
//! already converted to the field's type, regexes already built. Evaluation ([`super::eval`])
//! only walks this tree; it never looks a name up or parses text.

use super::lexer::CmpOp;
use crate::dissect::FieldDef;

/// A boolean filter expression.
#[derive(Clone, Debug)]
pub(crate) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// A bare field or protocol name: true if it occurs in the frame.
    Exists(Source),
    /// A test of every occurrence of an operand against compiled literals.
    Test { lhs: Operand, test: Test },
    /// A comparison of two operands (`udp.srcport > udp.dstport`): any pair for `==`-like
    /// operators, every pair (and at least one) for `!=` and `===`.
    Compare { lhs: Operand, op: CmpOp, rhs: Operand },
}

/// Where values come from.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    Field(&'static FieldDef),
    /// A protocol layer (`tcp`): its value is the bytes the layer covers.
    Proto(Box<str>),
    /// `frame`: always present; its value is the whole captured frame.
    Frame,
    /// `_ws.malformed` (any malformed expert item) or `_ws.expert` (any expert item); they
    /// have no value, only presence.
    Expert { malformed_only: bool },
}

/// A value-producing expression: a field or protocol, optionally sliced or masked, or a
/// function of one.
#[derive(Clone, Debug)]
pub(crate) struct Operand {
    pub source: Source,
    pub func: Func,
    /// `[...]`: byte ranges taken from the value's bytes (the result is a byte string).
    pub slice: Option<Box<[SliceRange]>>,
    /// `& mask` applied to an integer value.
    pub mask: Option<u64>,
    /// How the operand's values compare.
    pub class: Class,
    /// For an unsliced protocol under `contains`/`matches`: search from the layer's start to
    /// the end of its bytes (tshark searches the protocol's whole tvb, payload included,
    /// while `==`, slices and `len()` see only the protocol's own item).
    pub to_end: bool,
}

/// A function applied to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Func {
    None,
    /// `len(x)`: the length in bytes of each occurrence.
    Len,
    /// `count(x)`: how many times the field occurs (one value per frame).
    Count,
}

/// One `[...]` range, in tshark's terms, with negative offsets counted from the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SliceRange {
    pub start: i64,
    /// Exclusive end; `None` = to the end of the value.
    pub end: Option<SliceEnd>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SliceEnd {
    /// `[i:n]`: n bytes from i.
    Len(i64),
    /// `[i-j]`: up to and including j.
    Inclusive(i64),
}

/// The comparison class of an operand, decided at compile time from the field type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Signed or unsigned integers (and booleans, normalised to 0/1), compared as i128.
    Int,
    /// Booleans: any non-zero value is true.
    Bool,
    /// Floats, durations and absolute times (seconds).
    Float,
    /// IPv4/IPv6 addresses, MACs, strings, byte strings, protocols: compared as bytes.
    Bytes,
}

/// A compiled literal, already in the operand's class.
#[derive(Clone, Debug)]
pub(crate) enum Lit {
    Int(i128),
    Float(f64),
    Bytes(Box<[u8]>),
    /// An address with a prefix length in bits (`10.0.0.0/8`): equal if the first `bits` bits
    /// are.
    Net { addr: Box<[u8]>, bits: u32 },
}

/// A set element of `in {...}`.
#[derive(Clone, Debug)]
pub(crate) enum SetItem {
    One(Lit),
    /// Inclusive range `lo..hi`.
    Range(Lit, Lit),
}

/// What is asked of each occurrence of an operand.
#[derive(Clone, Debug)]
pub(crate) enum Test {
    Cmp { op: CmpOp, lit: Lit },
    In(Box<[SetItem]>),
    Contains(Box<[u8]>),
    Matches(regex::bytes::Regex),
    /// `x & mask` with nothing after it: the masked value is non-zero.
    NonZero,
}
