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
    /// `any …` / `all …`: the test or comparison inside holds for some (`all: false`) or for
    /// every (and at least one) occurrence, whatever its operator.
    Quantified { all: bool, expr: Box<Expr> },
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
    /// `${field}`: the field's value in the frame selected in Wireshark's GUI. No frame is
    /// selected when reading a capture, so it has no value (tshark's behaviour too).
    Reference,
    /// A value computed from other operands: arithmetic, `min`/`max`.
    Computed(Box<Calc>),
}

/// A computed value; every operand can have several values, and an operation combines every
/// pair (tshark 4.0's arithmetic).
#[derive(Clone, Debug)]
pub(crate) enum Calc {
    Value(Operand),
    Const(Lit),
    Neg(Box<Calc>),
    Arith(ArOp, Box<Calc>, Box<Calc>),
    /// `min(a, b, …)` / `max(…)` over every value of every argument: one value.
    MinMax { max: bool, args: Box<[Calc]> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// A `&` mask: on integers, or bytewise on byte strings and addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mask {
    Int(u64),
    Bytes(Box<[u8]>),
}

/// A value-producing expression: a field or protocol, optionally sliced or masked, or a
/// function of one.
#[derive(Clone, Debug)]
pub(crate) struct Operand {
    pub source: Source,
    pub func: Func,
    /// `[...]`: byte ranges taken from the value's bytes (the result is a byte string).
    pub slice: Option<Box<[SliceRange]>>,
    /// `#n`, `#[ranges]`: only the occurrences in these layers of the field's protocol
    /// (1-based; negative counts from the last).
    pub layers: Option<Box<[SliceRange]>>,
    /// `& mask` applied to the value.
    pub mask: Option<Mask>,
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
    /// `string(x)`: the value as tshark prints it.
    String,
    /// `lower(x)` / `upper(x)` of a string.
    Lower,
    Upper,
    /// `abs(x)` of a number.
    Abs,
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
    /// A slice or layer standing alone: it has a value.
    Present,
}
