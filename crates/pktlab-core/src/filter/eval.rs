//! Evaluating a compiled [`Expr`] against one dissected frame, with tshark 4.0's semantics:
//!
//! - a field that occurs several times (`ip.addr`, `tcp.port`, tunnelled headers) satisfies
//!   `==`, `<`, `contains`, `matches`, `in`, `&`, `!==`/`~=` if **any** occurrence does;
//! - `!=` and `===` need **every** occurrence to satisfy the test (so `ip.addr != 1.2.3.4`
//!   means neither address is 1.2.3.4, i.e. `!(ip.addr == 1.2.3.4)` when IP is present);
//! - a test on an absent field is false (so `tcp.port != 80` is false for UDP frames, while
//!   `!(tcp.port == 80)` is true).
//!
//! Evaluation walks `Dissection::fields` comparing definition pointers and borrows every value
//! (bytes of the frame, the field's own address arrays, its string); nothing is allocated
//! except for multi-range slices (`x[0:2,4]`).

use super::ast::{Class, Expr, Func, Lit, Operand, SetItem, SliceEnd, SliceRange, Source, Test};
use super::lexer::CmpOp;
use crate::dissect::{Dissection, Field, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

/// One value of an operand, borrowed from the frame or the dissection.
#[derive(Clone, Debug)]
enum Val<'a> {
    Int(i128),
    Float(f64),
    Bytes(Cow<'a, [u8]>),
}

pub(crate) fn eval(e: &Expr, d: &Dissection, frame: &[u8]) -> bool {
    match e {
        Expr::And(a, b) => eval(a, d, frame) && eval(b, d, frame),
        Expr::Or(a, b) => eval(a, d, frame) || eval(b, d, frame),
        Expr::Not(a) => !eval(a, d, frame),
        Expr::Exists(Source::Field(def)) => d.fields.iter().any(|f| std::ptr::eq(f.def, *def)),
        Expr::Exists(Source::Proto(p)) => d.has_proto(p),
        Expr::Exists(Source::Frame) => true,
        Expr::Exists(Source::Expert { malformed_only: true }) => d.is_malformed(),
        Expr::Exists(Source::Expert { malformed_only: false }) => !d.experts.is_empty(),
        Expr::Test { lhs, test } => match test {
            Test::Cmp { op, lit } => {
                let ok = |v: &Val<'_>| compare_lit(v, *op, lit);
                if is_all(*op) { all(lhs, d, frame, &mut |v| ok(&v)) } else { any(lhs, d, frame, &mut |v| ok(&v)) }
            }
            Test::In(items) => any(lhs, d, frame, &mut |v| items.iter().any(|item| in_item(&v, item))),
            Test::Contains(needle) => any(lhs, d, frame, &mut |v| match &v {
                Val::Bytes(b) => contains(b, needle),
                _ => false,
            }),
            Test::Matches(re) => any(lhs, d, frame, &mut |v| match &v {
                Val::Bytes(b) => re.is_match(b),
                _ => false,
            }),
            Test::NonZero => any(lhs, d, frame, &mut |v| matches!(v, Val::Int(n) if n != 0)),
        },
        Expr::Compare { lhs, op, rhs } => {
            if is_all(*op) {
                all(lhs, d, frame, &mut |l| all(rhs, d, frame, &mut |r| compare_vals(&l, *op, &r)))
            } else {
                any(lhs, d, frame, &mut |l| any(rhs, d, frame, &mut |r| compare_vals(&l, *op, &r)))
            }
        }
    }
}

/// Operators that must hold for every occurrence.
fn is_all(op: CmpOp) -> bool {
    matches!(op, CmpOp::Ne | CmpOp::AllEq)
}

fn any(op: &Operand, d: &Dissection, frame: &[u8], pred: &mut dyn FnMut(Val<'_>) -> bool) -> bool {
    let mut hit = false;
    visit(op, d, frame, &mut |v| {
        hit = pred(v);
        hit
    });
    hit
}

/// True if the operand has at least one value and every value satisfies `pred`.
fn all(op: &Operand, d: &Dissection, frame: &[u8], pred: &mut dyn FnMut(Val<'_>) -> bool) -> bool {
    let mut seen = false;
    let mut failed = false;
    visit(op, d, frame, &mut |v| {
        seen = true;
        failed = !pred(v);
        failed
    });
    seen && !failed
}

/// Calls `f` with each value of the operand until it returns true.
fn visit(op: &Operand, d: &Dissection, frame: &[u8], f: &mut dyn FnMut(Val<'_>) -> bool) {
    if op.func == Func::Count {
        let n = match &op.source {
            Source::Field(def) => d.fields.iter().filter(|x| std::ptr::eq(x.def, *def)).count(),
            Source::Proto(p) => d.layers.iter().filter(|l| l.proto == &**p).count(),
            Source::Frame => 1,
            Source::Expert { malformed_only: true } => usize::from(d.is_malformed()),
            Source::Expert { malformed_only: false } => d.experts.len(),
        };
        f(Val::Int(n as i128));
        return;
    }
    match &op.source {
        Source::Field(def) => {
            for field in d.fields.iter().filter(|x| std::ptr::eq(x.def, *def)) {
                if let Some(v) = field_val(d, frame, field)
                    && let Some(v) = shape(op, v)
                    && f(v)
                {
                    return;
                }
            }
        }
        Source::Proto(p) => {
            for layer in d.layers.iter().filter(|l| l.proto == &**p) {
                // A protocol's length is its tree item's, even where the snaplen cut its bytes
                // (tshark: `len(udp) == 8` holds for a UDP header cut after the ports).
                if op.func == Func::Len && op.slice.is_none() && !op.to_end {
                    if f(Val::Int(layer.len as i128)) {
                        return;
                    }
                    continue;
                }
                let src = d.source_bytes(frame, layer.source);
                let start = layer.offset as usize;
                let end = if op.to_end { src.len() } else { start.saturating_add(layer.len as usize) };
                let bytes = src.get(start..end).unwrap_or(&[]);
                if let Some(v) = shape(op, Val::Bytes(Cow::Borrowed(bytes)))
                    && f(v)
                {
                    return;
                }
            }
        }
        Source::Frame => {
            if let Some(v) = shape(op, Val::Bytes(Cow::Borrowed(frame))) {
                f(v);
            }
        }
        Source::Expert { .. } => {}
    }
}

/// A field's raw value.
fn field_val<'a>(d: &'a Dissection, frame: &'a [u8], field: &'a Field) -> Option<Val<'a>> {
    Some(match &field.value {
        Value::None | Value::Bytes => Val::Bytes(Cow::Borrowed(d.field_bytes(frame, field))),
        Value::Bool(b) => Val::Int(*b as i128),
        Value::UInt(u) => Val::Int(*u as i128),
        Value::Int(i) => Val::Int(*i as i128),
        Value::Float(x) => Val::Float(*x),
        Value::Ipv4(a) => Val::Bytes(Cow::Borrowed(&a[..])),
        Value::Ipv6(a) => Val::Bytes(Cow::Borrowed(&a[..])),
        Value::Ether(a) => Val::Bytes(Cow::Borrowed(&a[..])),
        Value::Str(s) => Val::Bytes(Cow::Borrowed(s.as_bytes())),
        Value::Time(t) => Val::Float(t.as_f64()),
        Value::Duration(ns) => Val::Float(*ns as f64 / 1e9),
    })
}

/// Applies the operand's function, slice and mask, and brings the value to its class.
fn shape<'a>(op: &Operand, v: Val<'a>) -> Option<Val<'a>> {
    if op.func == Func::Len {
        return match &v {
            Val::Bytes(b) => {
                let b = match &op.slice {
                    Some(ranges) => slice(b, ranges)?,
                    None => Cow::Borrowed(&b[..]),
                };
                Some(Val::Int(b.len() as i128))
            }
            _ => None,
        };
    }
    let v = match &op.slice {
        Some(ranges) => match v {
            Val::Bytes(Cow::Borrowed(b)) => Val::Bytes(slice(b, ranges)?),
            Val::Bytes(Cow::Owned(b)) => Val::Bytes(Cow::Owned(slice(&b, ranges)?.into_owned())),
            _ => return None,
        },
        None => v,
    };
    let v = match (op.mask, v) {
        (Some(m), Val::Int(n)) => Val::Int(n & m as i128),
        (Some(_), _) => return None,
        (None, v) => v,
    };
    match (op.class, v) {
        (Class::Int, Val::Int(n)) => Some(Val::Int(n)),
        (Class::Int, Val::Float(x)) => Some(Val::Int(x as i128)),
        (Class::Bool, Val::Int(n)) => Some(Val::Int((n != 0) as i128)),
        (Class::Float, Val::Int(n)) => Some(Val::Float(n as f64)),
        (Class::Float, Val::Float(x)) => Some(Val::Float(x)),
        (Class::Bytes, Val::Bytes(b)) => Some(Val::Bytes(b)),
        _ => None,
    }
}

/// The bytes a slice selects, or `None` if a range falls outside the value (tshark: the
/// test is then false).
fn slice<'a>(b: &'a [u8], ranges: &[SliceRange]) -> Option<Cow<'a, [u8]>> {
    let n = b.len() as i64;
    let one = |r: &SliceRange| -> Option<std::ops::Range<usize>> {
        let start = if r.start < 0 { n + r.start } else { r.start };
        let end = match r.end {
            None => n,
            Some(SliceEnd::Len(l)) => start.checked_add(l)?,
            Some(SliceEnd::Inclusive(e)) => (if e < 0 { n + e } else { e }).checked_add(1)?,
        };
        (0 <= start && start <= end && end <= n).then_some(start as usize..end as usize)
    };
    if let [r] = ranges {
        return b.get(one(r)?).map(Cow::Borrowed);
    }
    let mut out = Vec::new();
    for r in ranges {
        out.extend_from_slice(b.get(one(r)?)?);
    }
    Some(Cow::Owned(out))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

fn holds(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Eq | CmpOp::AllEq => ord == Ordering::Equal,
        CmpOp::Ne | CmpOp::AnyNe => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }
}

/// Whether the first `bits` bits of `a` and `b` are equal.
fn prefix_eq(a: &[u8], b: &[u8], bits: u32) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let full = (bits / 8) as usize;
    let rest = bits % 8;
    if full > a.len() || a[..full] != b[..full] {
        return false;
    }
    if rest == 0 || full == a.len() {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    a[full] & mask == b[full] & mask
}

fn order_lit(v: &Val<'_>, lit: &Lit) -> Option<Ordering> {
    match (v, lit) {
        (Val::Int(a), Lit::Int(b)) => Some(a.cmp(b)),
        (Val::Int(a), Lit::Float(b)) => (*a as f64).partial_cmp(b),
        (Val::Float(a), Lit::Float(b)) => a.partial_cmp(b),
        (Val::Float(a), Lit::Int(b)) => a.partial_cmp(&(*b as f64)),
        (Val::Bytes(a), Lit::Bytes(b)) => Some(a[..].cmp(&b[..])),
        (Val::Bytes(a), Lit::Net { addr, .. }) => Some(a[..].cmp(&addr[..])),
        _ => None,
    }
}

fn compare_lit(v: &Val<'_>, op: CmpOp, lit: &Lit) -> bool {
    if let (Val::Bytes(a), Lit::Net { addr, bits }) = (v, lit) {
        let eq = prefix_eq(a, addr, *bits);
        return match op {
            CmpOp::Eq | CmpOp::AllEq => eq,
            CmpOp::Ne | CmpOp::AnyNe => !eq,
            _ => order_lit(v, lit).is_some_and(|o| holds(op, o)),
        };
    }
    order_lit(v, lit).is_some_and(|o| holds(op, o))
}

fn in_item(v: &Val<'_>, item: &SetItem) -> bool {
    match item {
        SetItem::One(lit) => compare_lit(v, CmpOp::Eq, lit),
        SetItem::Range(lo, hi) => compare_lit(v, CmpOp::Ge, lo) && compare_lit(v, CmpOp::Le, hi),
    }
}

fn compare_vals(a: &Val<'_>, op: CmpOp, b: &Val<'_>) -> bool {
    let ord = match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Int(x), Val::Float(y)) => (*x as f64).partial_cmp(y),
        (Val::Float(x), Val::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Val::Float(x), Val::Float(y)) => x.partial_cmp(y),
        (Val::Bytes(x), Val::Bytes(y)) => Some(x[..].cmp(&y[..])),
        _ => None,
    };
    ord.is_some_and(|o| holds(op, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert!(prefix_eq(&[10, 1, 2, 3], &[10, 0, 0, 0], 8));
        assert!(!prefix_eq(&[11, 1, 2, 3], &[10, 0, 0, 0], 8));
        assert!(prefix_eq(&[192, 168, 1, 200], &[192, 168, 1, 128], 25));
        assert!(!prefix_eq(&[192, 168, 1, 100], &[192, 168, 1, 128], 25));
        assert!(prefix_eq(&[1, 2, 3, 4], &[9, 9, 9, 9], 0));
        assert!(prefix_eq(&[1, 2, 3, 4], &[1, 2, 3, 4], 32));
    }

    #[test]
    fn slicing() {
        let b = [0u8, 0x11, 0x22, 0x33, 0x44, 0x55];
        let r = |start, end| SliceRange { start, end };
        assert_eq!(slice(&b, &[r(0, Some(SliceEnd::Len(3)))]).as_deref(), Some(&[0, 0x11, 0x22][..]));
        assert_eq!(slice(&b, &[r(-1, Some(SliceEnd::Len(1)))]).as_deref(), Some(&[0x55][..]));
        assert_eq!(slice(&b, &[r(4, None)]).as_deref(), Some(&[0x44, 0x55][..]));
        assert_eq!(slice(&b, &[r(0, Some(SliceEnd::Inclusive(1)))]).as_deref(), Some(&[0, 0x11][..]));
        assert_eq!(slice(&b, &[r(5, Some(SliceEnd::Len(2)))]), None);
        assert_eq!(
            slice(&b, &[r(0, Some(SliceEnd::Len(2))), r(4, Some(SliceEnd::Len(1)))]).as_deref(),
            Some(&[0, 0x11, 0x44][..])
        );
    }
}
