//! TCP options: MSS, window scale, SACK-permitted, SACK blocks, timestamps, NOP, EOL, and
//! any other kind shown as unknown — each with its kind, length and value fields, and the
//! Info-column suffix tshark appends (`MSS=1460 WS=128 SACK_PERM TSval=… TSecr=…`).

use super::model::*;
use super::label::LabelCx;
use super::{Ctx, Part, rd};
use std::fmt::Write;

pub static TCP_OPTIONS: FieldDef = FieldDef::new("tcp.options", "TCP Options", FieldType::Bytes, Base::None).custom(options_label);
pub static TCP_OPTION_KIND: FieldDef = FieldDef::new("tcp.option_kind", "Kind", FieldType::U8, Base::Dec).vals(kind_name);
pub static TCP_OPTION_LEN: FieldDef = FieldDef::new("tcp.option_len", "Length", FieldType::U8, Base::Dec);
pub static TCP_OPTIONS_MSS: FieldDef = FieldDef::new("tcp.options.mss", "TCP Option - Maximum segment size", FieldType::None, Base::None).custom(mss_label).block();
pub static TCP_OPTIONS_MSS_VAL: FieldDef = FieldDef::new("tcp.options.mss_val", "MSS Value", FieldType::U16, Base::Dec);
pub static TCP_OPTIONS_WSCALE: FieldDef = FieldDef::new("tcp.options.wscale", "TCP Option - Window scale", FieldType::None, Base::None).custom(wscale_label).block();
pub static TCP_OPTIONS_WSCALE_SHIFT: FieldDef = FieldDef::new("tcp.options.wscale.shift", "Shift count", FieldType::U8, Base::Dec);
pub static TCP_OPTIONS_WSCALE_MULTIPLIER: FieldDef = FieldDef::new("tcp.options.wscale.multiplier", "Multiplier", FieldType::U16, Base::Dec);
pub static TCP_OPTIONS_SACK_PERM: FieldDef = FieldDef::new("tcp.options.sack_perm", "TCP Option - SACK permitted", FieldType::None, Base::None).block();
pub static TCP_OPTIONS_SACK: FieldDef = FieldDef::new("tcp.options.sack", "TCP Option - SACK", FieldType::None, Base::None).custom(sack_label);
pub static TCP_OPTIONS_SACK_LE: FieldDef = FieldDef::new("tcp.options.sack_le", "TCP SACK Left Edge", FieldType::U32, Base::Dec).custom(edge_label);
pub static TCP_OPTIONS_SACK_RE: FieldDef = FieldDef::new("tcp.options.sack_re", "TCP SACK Right Edge", FieldType::U32, Base::Dec).custom(edge_label);

/// `left edge = 10137 (relative)`, `right edge = 11585`: a SACK block's edge, relative (to the
/// peer's first sequence number) once the analysis has made the layer's numbers relative.
fn edge_label(cx: &LabelCx<'_>, out: &mut String) {
    let def = cx.field.def;
    let side = if std::ptr::eq(def, &TCP_OPTIONS_SACK_LE) {
        "left edge"
    } else if std::ptr::eq(def, &TCP_OPTIONS_SACK_RE) {
        "right edge"
    } else if std::ptr::eq(def, &TCP_OPTIONS_SACK_DSACK_LE) {
        "D-SACK Left Edge"
    } else {
        "D-SACK Right Edge"
    };
    let _ = write!(out, "{side} = {}", cx.uint());
    let relative = cx.in_layer(&super::tcp::TCP_SEQ).is_some() && cx.in_layer(&super::tcp::TCP_SEQ_RAW).is_some_and(|f| !f.hidden);
    if relative {
        out.push_str(" (relative)");
    }
}
pub static TCP_OPTIONS_SACK_COUNT: FieldDef = FieldDef::new("tcp.options.sack.count", "TCP SACK Count", FieldType::U8, Base::Dec);
pub static TCP_OPTIONS_SACK_DSACK_LE: FieldDef = FieldDef::new("tcp.options.sack.dsack_le", "TCP D-SACK Left Edge", FieldType::U32, Base::Dec).custom(edge_label);
pub static TCP_OPTIONS_SACK_DSACK_RE: FieldDef = FieldDef::new("tcp.options.sack.dsack_re", "TCP D-SACK Right Edge", FieldType::U32, Base::Dec).custom(edge_label);
pub static TCP_OPTIONS_SACK_DSACK: FieldDef = FieldDef::new("tcp.options.sack.dsack", "D-SACK Sequence", FieldType::None, Base::None).text_item();
pub static TCP_OPTIONS_TIMESTAMP: FieldDef = FieldDef::new("tcp.options.timestamp", "TCP Option - Timestamps", FieldType::None, Base::None).custom(timestamp_label);
/// (Volatile: a sender's clock, seldom the same in two of its segments; its echo, which
/// repeats while the peer sends nothing, is kept.)
pub static TCP_OPTIONS_TIMESTAMP_TSVAL: FieldDef = FieldDef::new("tcp.options.timestamp.tsval", "Timestamp value", FieldType::U32, Base::Dec).volatile();
pub static TCP_OPTIONS_TIMESTAMP_TSECR: FieldDef = FieldDef::new("tcp.options.timestamp.tsecr", "Timestamp echo reply", FieldType::U32, Base::Dec);
pub static TCP_NOP_EXPERT: FieldDef = FieldDef::new("tcp.nop", "4 NOP in a row - a router may have removed some options", FieldType::None, Base::None);
pub static TCP_OPTIONS_MSS_ABSENT: FieldDef = FieldDef::new("tcp.options.mss.absent", "The SYN packet does not contain a MSS option", FieldType::None, Base::None);
pub static TCP_OPTIONS_NOP: FieldDef = FieldDef::new("tcp.options.nop", "TCP Option - No-Operation (NOP)", FieldType::None, Base::None).block();
pub static TCP_OPTIONS_EOL: FieldDef = FieldDef::new("tcp.options.eol", "TCP Option - End of Option List (EOL)", FieldType::None, Base::None).block();
pub static TCP_OPTIONS_UNKNOWN: FieldDef = FieldDef::new("tcp.options.unknown", "TCP Option - Unknown", FieldType::None, Base::None);
pub static TCP_OPTIONS_UNKNOWN_PAYLOAD: FieldDef = FieldDef::new("tcp.options.unknown.payload", "Payload", FieldType::Bytes, Base::None);
pub static TCP_OPTIONS_TFO: FieldDef = FieldDef::new("tcp.options.tfo", "TCP Option - TCP Fast Open", FieldType::None, Base::None);
pub static TCP_OPTIONS_USER_TO: FieldDef = FieldDef::new("tcp.options.user_to", "TCP Option - User Timeout", FieldType::None, Base::None);
pub static TCP_OPTIONS_USER_TO_GRANULARITY: FieldDef = FieldDef::new("tcp.options.user_to_granularity", "Granularity", FieldType::Bool, Base::None).mask(0x8000);
pub static TCP_OPTIONS_USER_TO_VAL: FieldDef = FieldDef::new("tcp.options.user_to_val", "User Timeout", FieldType::U16, Base::Dec).mask(0x7fff);

/// `Options: (12 bytes), No-Operation (NOP), No-Operation (NOP), Timestamps`: the length and
/// the name of each option (its item's name after `TCP Option - `).
fn options_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Options: (");
    out.push_str(itoa::Buffer::new().format(cx.field.len));
    out.push_str(" bytes)");
    let depth = cx.field.depth + 1;
    // (Not the expert items' fields among them.)
    for f in cx.children().filter(|f| f.depth == depth && !f.generated) {
        out.push_str(", ");
        out.push_str(f.def.name.strip_prefix("TCP Option - ").unwrap_or(f.def.name));
    }
}

/// The value of the first child of `def` under the option.
fn child(cx: &LabelCx<'_>, def: &'static FieldDef) -> Option<u64> {
    cx.children().find(|f| std::ptr::eq(f.def, def)).and_then(|f| match f.value {
        Value::UInt(n) => Some(n),
        _ => None,
    })
}

/// `TCP Option - Maximum segment size: 1460 bytes`.
fn mss_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    if let Some(v) = child(cx, &TCP_OPTIONS_MSS_VAL) {
        let _ = write!(out, ": {v} bytes");
    }
}

/// `TCP Option - Window scale: 10 (multiply by 1024)`.
fn wscale_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    if let Some(v) = child(cx, &TCP_OPTIONS_WSCALE_SHIFT) {
        let _ = write!(out, ": {v} (multiply by {})", 1u64 << v.min(14));
    }
}

/// `TCP Option - Timestamps: TSval 3917742652, TSecr 0`.
fn timestamp_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    if let (Some(a), Some(b)) = (child(cx, &TCP_OPTIONS_TIMESTAMP_TSVAL), child(cx, &TCP_OPTIONS_TIMESTAMP_TSECR)) {
        let mut buf = itoa::Buffer::new();
        out.push_str(": TSval ");
        out.push_str(buf.format(a));
        out.push_str(", TSecr ");
        out.push_str(buf.format(b));
    }
}

/// `TCP Option - SACK 7241-8689 …`: each block's edges.
fn sack_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    let mut left = None;
    for f in cx.children() {
        match (f.def.abbrev, &f.value) {
            ("tcp.options.sack_le", Value::UInt(n)) => left = Some(*n),
            ("tcp.options.sack_re", Value::UInt(n)) => {
                if let Some(l) = left.take() {
                    let _ = write!(out, " {l}-{n}");
                }
            }
            _ => {}
        }
    }
}

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&TCP_OPTIONS, &TCP_OPTION_KIND, &TCP_OPTION_LEN, &TCP_OPTIONS_MSS, &TCP_OPTIONS_MSS_VAL, &TCP_OPTIONS_WSCALE, &TCP_OPTIONS_WSCALE_SHIFT, &TCP_OPTIONS_WSCALE_MULTIPLIER, &TCP_OPTIONS_SACK_PERM, &TCP_OPTIONS_SACK, &TCP_OPTIONS_SACK_LE, &TCP_OPTIONS_SACK_RE, &TCP_OPTIONS_SACK_COUNT, &TCP_OPTIONS_SACK_DSACK_LE, &TCP_OPTIONS_SACK_DSACK_RE, &TCP_OPTIONS_SACK_DSACK, &TCP_OPTIONS_TIMESTAMP, &TCP_OPTIONS_TIMESTAMP_TSVAL, &TCP_OPTIONS_TIMESTAMP_TSECR, &TCP_OPTIONS_NOP, &TCP_OPTIONS_EOL, &TCP_OPTIONS_UNKNOWN, &TCP_OPTIONS_UNKNOWN_PAYLOAD, &TCP_OPTIONS_TFO, &TCP_OPTIONS_USER_TO, &TCP_OPTIONS_USER_TO_GRANULARITY, &TCP_OPTIONS_USER_TO_VAL, &TCP_NOP_EXPERT, &TCP_OPTIONS_MSS_ABSENT];

/// The name tshark gives an option kind.
pub fn kind_name(kind: u64) -> Option<&'static str> {
    Some(match kind {
        0 => "End of Option List",
        1 => "No-Operation",
        2 => "Maximum Segment Size",
        3 => "Window Scale",
        4 => "SACK Permitted",
        5 => "SACK",
        8 => "Time Stamp Option",
        19 => "TCP MD5 signature",
        28 => "User Timeout",
        29 => "TCP Authentication Option",
        30 => "Multipath TCP",
        34 => "TCP Fast Open Cookie",
        _ => return None,
    })
}

/// The options area `o..end` (fully captured): the Options item, each option under it and
/// each option's parts under the option. `info`: append to the Info column; `syn`: the
/// segment's SYN flag is set (a SYN without an MSS option is noted).
///
/// Without [`Part::TcpOptions`] the options are still read for what the analysis keeps
/// (window scale, SACK blocks), expert items and Info, but add no field.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], mut o: usize, end: usize, info: bool, syn: bool) {
    let f = cx.part(Part::TcpOptions);
    if f {
        cx.add(&TCP_OPTIONS, o, end - o, Value::Bytes);
    }
    cx.child(|cx| {
        // As tshark: the fourth NOP in a row is noted before it, and a SYN without an MSS
        // option after the options, each under the options' item.
        let (mut nops, mut mss) = (0, false);
        while o < end {
            match data.get(o) {
                Some(1) => {
                    nops += 1;
                    if nops == 4 {
                        note(cx, f, &TCP_NOP_EXPERT, Severity::Warn, o);
                    }
                }
                Some(k) => {
                    nops = 0;
                    mss |= *k == 2;
                }
                None => {}
            }
            match option(cx, data, o, end, info, f) {
                Some(next) => o = next,
                None => break,
            }
        }
        if syn && !mss {
            note(cx, f, &TCP_OPTIONS_MSS_ABSENT, Severity::Note, end);
        }
    });
}

/// An expert item of the options, shown by tshark as the item alone where it is raised:
/// kept as a generated field of its name (for filters) that carries the item.
fn note(cx: &mut Ctx, f: bool, def: &'static FieldDef, severity: Severity, at: usize) {
    let field = f.then(|| cx.add_gen(def, at, 0, Value::None));
    cx.expert(severity, def.abbrev, def.name, field);
}

/// One option at `o`; returns where the next one starts, or None to stop.
fn option(cx: &mut Ctx, data: &[u8], o: usize, end: usize, info: bool, f: bool) -> Option<usize> {
    let kind = rd::u8(data, o)?;
    match kind {
        0 | 1 => {
            if f {
                cx.add(if kind == 0 { &TCP_OPTIONS_EOL } else { &TCP_OPTIONS_NOP }, o, 1, Value::Bytes);
                cx.child(|cx| cx.add(&TCP_OPTION_KIND, o, 1, Value::UInt(kind as u64)));
            }
            return Some(o + 1);
        }
        _ => {}
    }
    let Some(len) = rd::u8(data, o + 1).filter(|_| o + 1 < end).map(|l| l as usize) else {
        if f {
            cx.add(&TCP_OPTION_KIND, o, 1, Value::UInt(kind as u64));
        }
        cx.expert(Severity::Error, "tcp.option.len.invalid", "Option length field is missing (past the end of the header)", None);
        return None;
    };
    let def: &'static FieldDef = match kind {
        2 => &TCP_OPTIONS_MSS,
        3 => &TCP_OPTIONS_WSCALE,
        4 => &TCP_OPTIONS_SACK_PERM,
        5 => &TCP_OPTIONS_SACK,
        8 => &TCP_OPTIONS_TIMESTAMP,
        28 => &TCP_OPTIONS_USER_TO,
        34 => &TCP_OPTIONS_TFO,
        _ => &TCP_OPTIONS_UNKNOWN,
    };
    let expect_ok = match kind {
        2 => len == 4,
        3 => len == 3,
        4 => len == 2,
        5 => len >= 2 && (len - 2) % 8 == 0,
        8 => len == 10,
        28 => len == 4,
        _ => len >= 2,
    };
    if !expect_ok || o + len > end {
        if f {
            cx.add(def, o, (end - o).min(len.max(2)), Value::Bytes);
            cx.child(|cx| {
                cx.add(&TCP_OPTION_KIND, o, 1, Value::UInt(kind as u64));
                cx.add(&TCP_OPTION_LEN, o + 1, 1, Value::UInt(len as u64));
            });
        }
        cx.expert(Severity::Error, "tcp.option.len.invalid", format!("Invalid length for option (kind {kind}, length {len})"), None);
        return None;
    }
    if f {
        cx.add(def, o, len, Value::Bytes);
    }
    cx.child(|cx| {
        if f {
            cx.add(&TCP_OPTION_KIND, o, 1, Value::UInt(kind as u64));
            cx.add(&TCP_OPTION_LEN, o + 1, 1, Value::UInt(len as u64));
        }
        let v = o + 2;
        match kind {
            2 => {
                let mss = rd::u16(data, v).unwrap_or(0);
                if f {
                    cx.add(&TCP_OPTIONS_MSS_VAL, v, 2, Value::UInt(mss as u64));
                }
                if info {
                    cx.out.info.push_str(" MSS=");
                    super::push_dec(&mut cx.out.info, mss as u64);
                }
            }
            3 => {
                let shift = rd::u8(data, v).unwrap_or(0);
                let mult: u64 = 1 << shift.min(14);
                cx.facts().wscale = Some(shift);
                if f {
                    cx.add(&TCP_OPTIONS_WSCALE_SHIFT, v, 1, Value::UInt(shift as u64));
                    cx.add_gen(&TCP_OPTIONS_WSCALE_MULTIPLIER, v, 1, Value::UInt(mult));
                }
                if shift > 14 {
                    cx.expert(Severity::Warn, "tcp.options.wscale.shift.invalid", "Window scale shift exceeds 14", None);
                }
                if info {
                    let _ = write!(cx.out.info, " WS={mult}");
                }
            }
            4 => {
                if info {
                    cx.out.info.push_str(" SACK_PERM");
                }
            }
            5 => {
                let mut b = v;
                let mut count = 0u64;
                let ack = cx.facts().ack;
                while b + 8 <= o + len {
                    let le = rd::u32(data, b).unwrap_or(0);
                    let re = rd::u32(data, b + 4).unwrap_or(0);
                    if f {
                        cx.add(&TCP_OPTIONS_SACK_LE, b, 4, Value::UInt(cx.sack_edge(le)));
                        cx.add(&TCP_OPTIONS_SACK_RE, b + 4, 4, Value::UInt(cx.sack_edge(re)));
                    }
                    let facts = cx.facts();
                    if let Some(slot) = facts.sack.get_mut(facts.sack_len as usize) {
                        *slot = (le, re);
                        facts.sack_len += 1;
                    }
                    if info {
                        // (Relative, as the tree's, while the analysis is put in place.)
                        let (le, re) = (cx.sack_edge(le), cx.sack_edge(re));
                        let _ = write!(cx.out.info, " SLE={le} SRE={re}");
                    }
                    count += 1;
                    b += 8;
                }
                if f {
                    cx.add_gen(&TCP_OPTIONS_SACK_COUNT, o, 0, Value::UInt(count));
                }
                // A duplicate SACK (RFC 2883): the first block below the cumulative ACK, or
                // inside the second block, reports data received twice.
                let block = |i: usize| Some((rd::u32(data, v + 8 * i)?, rd::u32(data, v + 8 * i + 4)?)).filter(|_| v + 8 * i + 8 <= o + len);
                if let (Some((le, re)), Some(ack)) = (block(0), ack) {
                    let below_ack = (le.wrapping_sub(ack) as i32) < 0;
                    let inside_next = block(1).is_some_and(|(l2, r2)| (le.wrapping_sub(l2) as i32) >= 0 && (r2.wrapping_sub(re) as i32) >= 0);
                    if below_ack || inside_next {
                        if f {
                            cx.add_gen(&TCP_OPTIONS_SACK_DSACK_LE, v, 4, Value::UInt(cx.sack_edge(le)));
                            cx.add_gen(&TCP_OPTIONS_SACK_DSACK_RE, v + 4, 4, Value::UInt(cx.sack_edge(re)));
                        }
                        let at = cx.add(&TCP_OPTIONS_SACK_DSACK, v, 8, Value::None);
                        cx.expert(Severity::Warn, "tcp.options.sack.dsack", "D-SACK Sequence", Some(at));
                    }
                }
            }
            8 => {
                let tsval = rd::u32(data, v).unwrap_or(0);
                let tsecr = rd::u32(data, v + 4).unwrap_or(0);
                if f {
                    cx.add(&TCP_OPTIONS_TIMESTAMP_TSVAL, v, 4, Value::UInt(tsval as u64));
                    cx.add(&TCP_OPTIONS_TIMESTAMP_TSECR, v + 4, 4, Value::UInt(tsecr as u64));
                }
                if info {
                    let info = &mut cx.out.info;
                    info.push_str(" TSval=");
                    super::push_dec(info, tsval as u64);
                    info.push_str(" TSecr=");
                    super::push_dec(info, tsecr as u64);
                }
            }
            28 => {
                let w = rd::u16(data, v).unwrap_or(0);
                if f {
                    cx.add(&TCP_OPTIONS_USER_TO_GRANULARITY, v, 2, Value::Bool(w & 0x8000 != 0));
                    cx.add(&TCP_OPTIONS_USER_TO_VAL, v, 2, Value::UInt((w & 0x7fff) as u64));
                }
            }
            _ => {
                if f && len > 2 {
                    cx.add(&TCP_OPTIONS_UNKNOWN_PAYLOAD, v, len - 2, Value::Bytes);
                }
            }
        }
    });
    Some(o + len)
}
