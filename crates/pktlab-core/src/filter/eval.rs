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

use super::ast::{ArOp, Calc, Class, Expr, Func, Lit, Mask, Operand, SetItem, SliceEnd, SliceRange, Source, Test};
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
        Expr::Exists(Source::Proto(p)) => d.has_protocol(p),
        Expr::Exists(Source::Frame) => true,
        Expr::Exists(Source::Expert { malformed_only: true }) => d.malformed_items() > 0,
        Expr::Exists(Source::Expert { malformed_only: false }) => !d.experts.is_empty(),
        Expr::Exists(Source::Reference) => false,
        Expr::Exists(Source::Computed(_)) => false,
        Expr::Test { lhs, test } => test_holds(lhs, test, d, frame, None),
        Expr::Compare { lhs, op, rhs } => compare_holds(lhs, *op, rhs, d, frame, is_all(*op)),
        Expr::Quantified { all: every, expr } => match &**expr {
            Expr::Test { lhs, test } => test_holds(lhs, test, d, frame, Some(*every)),
            Expr::Compare { lhs, op, rhs } => compare_holds(lhs, *op, rhs, d, frame, *every),
            other => eval(other, d, frame),
        },
    }
}

/// A test of `lhs`; `every` overrides the operator's own any/every rule.
fn test_holds(lhs: &Operand, test: &Test, d: &Dissection, frame: &[u8], every: Option<bool>) -> bool {
    let quant = |d: &Dissection, pred: &mut dyn FnMut(Val<'_>) -> bool, default_all: bool| {
        if every.unwrap_or(default_all) { all(lhs, d, frame, pred) } else { any(lhs, d, frame, pred) }
    };
    match test {
        Test::Cmp { op, lit } => quant(d, &mut |v| compare_lit(&v, *op, lit), is_all(*op)),
        Test::In(items) => quant(d, &mut |v| items.iter().any(|item| in_item(&v, item)), false),
        Test::Contains(needle) => quant(
            d,
            &mut |v| match &v {
                Val::Bytes(b) => contains(b, needle),
                _ => false,
            },
            false,
        ),
        Test::Matches(re) => quant(
            d,
            &mut |v| match &v {
                Val::Bytes(b) => re.is_match(b),
                _ => false,
            },
            false,
        ),
        Test::NonZero => quant(
            d,
            &mut |v| match v {
                Val::Int(n) => n != 0,
                Val::Bytes(b) => b.iter().any(|&x| x != 0),
                Val::Float(x) => x != 0.0,
            },
            false,
        ),
        Test::Present => quant(d, &mut |_| true, false),
    }
}

fn compare_holds(lhs: &Operand, op: CmpOp, rhs: &Operand, d: &Dissection, frame: &[u8], every: bool) -> bool {
    if every {
        all(lhs, d, frame, &mut |l| all(rhs, d, frame, &mut |r| compare_vals(&l, op, &r)))
    } else {
        any(lhs, d, frame, &mut |l| any(rhs, d, frame, &mut |r| compare_vals(&l, op, &r)))
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

/// Whether the 1-based layer `n` of `total` is among `ranges` (negative counts from the end).
fn layer_selected(ranges: &[SliceRange], n: i64, total: i64) -> bool {
    ranges.iter().any(|r| {
        let at = |i: i64| if i < 0 { total + 1 + i } else { i };
        let start = at(r.start);
        match r.end {
            None => n >= start,
            Some(SliceEnd::Len(l)) => n >= start && n < start + l,
            Some(SliceEnd::Inclusive(e)) => n >= start && n <= at(e),
        }
    })
}

/// The occurrences of a field, restricted to the operand's layers of the field's protocol.
fn occurrences<'a>(op: &'a Operand, def: &'static crate::dissect::FieldDef, d: &'a Dissection) -> impl Iterator<Item = &'a Field> + 'a {
    let layers = op.layers.as_deref();
    let proto = def.protocol();
    let total = layers.map(|_| d.layers.iter().filter(|l| l.proto == proto).count() as i64).unwrap_or(0);
    let mut seen = 0i64;
    let chosen: Vec<std::ops::Range<usize>> = match layers {
        None => Vec::new(),
        Some(r) => d
            .layers
            .iter()
            .filter(|l| l.proto == proto)
            .filter_map(|l| {
                seen += 1;
                layer_selected(r, seen, total).then_some(l.fields.start as usize..l.fields.end as usize)
            })
            .collect(),
    };
    d.fields.iter().enumerate().filter(move |(i, x)| std::ptr::eq(x.def, def) && (layers.is_none() || chosen.iter().any(|c| c.contains(i)))).map(|(_, x)| x)
}

/// Calls `f` with each value of the operand until it returns true.
fn visit(op: &Operand, d: &Dissection, frame: &[u8], f: &mut dyn FnMut(Val<'_>) -> bool) {
    if op.func == Func::Count {
        let n = match &op.source {
            Source::Field(def) if op.layers.is_some() => occurrences(op, def, d).count(),
            Source::Field(def) => d.fields.iter().filter(|x| std::ptr::eq(x.def, *def)).count(),
            Source::Proto(p) => d.layers.iter().filter(|l| l.proto == &**p).count() + d.protocol_items(p).count(),
            Source::Frame => 1,
            Source::Expert { malformed_only: true } => d.malformed_items(),
            Source::Expert { malformed_only: false } => d.experts.len(),
            Source::Reference | Source::Computed(_) => 0,
        };
        f(Val::Int(n as i128));
        return;
    }
    match &op.source {
        Source::Field(def) if op.layers.is_none() && matches!(op.func, Func::None) => {
            for field in d.fields.iter().filter(|x| std::ptr::eq(x.def, *def)) {
                if let Some(v) = field_val(d, frame, field)
                    && let Some(v) = shape(op, v)
                    && f(v)
                {
                    return;
                }
            }
        }
        Source::Field(def) => {
            for field in occurrences(op, def, d) {
                let v = match op.func {
                    Func::String => {
                        let mut s = String::new();
                        crate::dissect::format::write_cell(&mut s, d, frame, field);
                        Some(Val::Bytes(Cow::Owned(s.into_bytes())))
                    }
                    // The length of a number or an address is its bytes'.
                    Func::Len if op.slice.is_none() && !matches!(field.value, Value::None | Value::Bytes | Value::Str(_)) => {
                        Some(Val::Int(field.len as i128))
                    }
                    _ => field_val(d, frame, field),
                };
                if let Some(v) = v
                    && let Some(v) = shape(op, v)
                    && f(v)
                {
                    return;
                }
            }
        }
        Source::Proto(p) => {
            // Its layers, then its items inside other protocols' trees: each (source, offset,
            // length).
            let layers = d.layers.iter().filter(|l| l.proto == &**p).map(|l| (l.source, l.offset, l.len));
            let items = d.protocol_items(p).map(|f| (f.source, f.offset, f.len));
            let total = (d.layers.iter().filter(|l| l.proto == &**p).count() + d.protocol_items(p).count()) as i64;
            for (n, (source, offset, len)) in layers.chain(items).enumerate() {
                if let Some(r) = &op.layers
                    && !layer_selected(r, n as i64 + 1, total)
                {
                    continue;
                }
                // A protocol's length is its tree item's, even where the snaplen cut its bytes
                // (tshark: `len(udp) == 8` holds for a UDP header cut after the ports).
                if op.func == Func::Len && op.slice.is_none() && !op.to_end {
                    if f(Val::Int(len as i128)) {
                        return;
                    }
                    continue;
                }
                let src = d.source_bytes(frame, source);
                let start = offset as usize;
                let end = if op.to_end { src.len() } else { start.saturating_add(len as usize) };
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
        Source::Computed(c) => {
            for v in calc(c, d, frame) {
                if let Some(v) = shape(op, v)
                    && f(v)
                {
                    return;
                }
            }
        }
        Source::Expert { .. } | Source::Reference => {}
    }
}

/// The values of a computed operand (owned: they outlive the dissection's borrows here).
fn calc(c: &Calc, d: &Dissection, frame: &[u8]) -> Vec<Val<'static>> {
    match c {
        Calc::Value(op) => {
            let mut out = Vec::new();
            visit(op, d, frame, &mut |v| {
                out.push(owned(v));
                false
            });
            out
        }
        Calc::Const(Lit::Int(n)) => vec![Val::Int(*n)],
        Calc::Const(Lit::Float(x)) => vec![Val::Float(*x)],
        Calc::Const(Lit::Bytes(b)) => vec![Val::Bytes(Cow::Owned(b.to_vec()))],
        Calc::Const(Lit::Net { addr, .. }) => vec![Val::Bytes(Cow::Owned(addr.to_vec()))],
        Calc::Neg(inner) => calc(inner, d, frame)
            .into_iter()
            .filter_map(|v| match v {
                Val::Int(n) => Some(Val::Int(-n)),
                Val::Float(x) => Some(Val::Float(-x)),
                Val::Bytes(_) => None,
            })
            .collect(),
        Calc::Arith(op, a, b) => {
            let (xs, ys) = (calc(a, d, frame), calc(b, d, frame));
            let mut out = Vec::with_capacity(xs.len() * ys.len());
            for x in &xs {
                for y in &ys {
                    if let Some(v) = arith(*op, x, y) {
                        out.push(v);
                    }
                }
            }
            out
        }
        Calc::MinMax { max, args } => {
            let mut best: Option<Val<'static>> = None;
            for a in args.iter() {
                for v in calc(a, d, frame) {
                    let better = match &best {
                        None => true,
                        Some(b) => compare_vals(&v, if *max { CmpOp::Gt } else { CmpOp::Lt }, b),
                    };
                    if better {
                        best = Some(v);
                    }
                }
            }
            best.into_iter().collect()
        }
    }
}

fn owned(v: Val<'_>) -> Val<'static> {
    match v {
        Val::Int(n) => Val::Int(n),
        Val::Float(x) => Val::Float(x),
        Val::Bytes(b) => Val::Bytes(Cow::Owned(b.into_owned())),
    }
}

fn arith(op: ArOp, x: &Val<'_>, y: &Val<'_>) -> Option<Val<'static>> {
    match (x, y) {
        (Val::Int(a), Val::Int(b)) => Some(Val::Int(match op {
            ArOp::Add => a.checked_add(*b)?,
            ArOp::Sub => a.checked_sub(*b)?,
            ArOp::Mul => a.checked_mul(*b)?,
            ArOp::Div => a.checked_div(*b)?,
            ArOp::Rem => a.checked_rem(*b)?,
        })),
        (Val::Bytes(_), _) | (_, Val::Bytes(_)) => None,
        _ => {
            let f = |v: &Val<'_>| match v {
                Val::Int(n) => *n as f64,
                Val::Float(x) => *x,
                Val::Bytes(_) => 0.0,
            };
            let (a, b) = (f(x), f(y));
            let r = match op {
                ArOp::Add => a + b,
                ArOp::Sub => a - b,
                ArOp::Mul => a * b,
                ArOp::Div => a / b,
                ArOp::Rem => a % b,
            };
            r.is_finite().then_some(Val::Float(r))
        }
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
            // Already a length (of a number or an address field).
            Val::Int(_) if op.slice.is_none() => Some(v),
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
    let v = match (&op.mask, v) {
        (Some(Mask::Int(m)), Val::Int(n)) => Val::Int(n & *m as i128),
        (Some(Mask::Bytes(m)), Val::Bytes(b)) => Val::Bytes(Cow::Owned(b.iter().zip(m.iter()).map(|(x, y)| x & y).collect())),
        (Some(_), _) => return None,
        (None, v) => v,
    };
    let v = match (op.func, v) {
        (Func::Abs, Val::Int(n)) => Val::Int(n.abs()),
        (Func::Abs, Val::Float(x)) => Val::Float(x.abs()),
        (Func::Lower, Val::Bytes(b)) => Val::Bytes(Cow::Owned(b.to_ascii_lowercase())),
        (Func::Upper, Val::Bytes(b)) => Val::Bytes(Cow::Owned(b.to_ascii_uppercase())),
        (_, v) => v,
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
        // An empty range is absent too (`frame[1500:]` on a 1500-byte frame).
        (0 <= start && start < end && end <= n).then_some(start as usize..end as usize)
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
