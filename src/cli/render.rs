//! Text of field values and tree labels, as tshark 4.0 prints them: `-T fields` cells and the
//! `-V` tree lines (bit patterns for masked fields, value names, generated fields in brackets).

use pktlab::dissect::{Base, Dissection, Expert, Field, FieldType, Severity, Value};
use std::fmt::Write as _;

/// A field's `-T fields` cell (one occurrence), as the dissector's formatter prints it.
pub fn cell(d: &Dissection, frame: &[u8], f: &Field, out: &mut String) {
    pktlab::dissect::format::write_cell(out, d, frame, f);
}

fn uint(n: u64, t: FieldType, base: Base, out: &mut String) {
    match base {
        Base::Hex | Base::HexDec => {
            let w = t.hex_width().max(1);
            let _ = write!(out, "0x{n:0w$x}");
        }
        _ => {
            let _ = write!(out, "{n}");
        }
    }
}

/// (year, month 1-12, day 1-31) in UTC of a time in seconds since the epoch
/// (Howard Hinnant's civil-from-days).
pub fn civil(secs: i64) -> (i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Chat => "Chat",
        Severity::Note => "Note",
        Severity::Warn => "Warning",
        Severity::Error => "Error",
    }
}

/// Wireshark's expert group for an expert key.
fn group(key: &str) -> &'static str {
    if key.starts_with("malformed") {
        "Malformed"
    } else if key.contains("checksum") {
        "Checksum"
    } else if key.starts_with("tcp.") || key.contains("sequence") || key.contains("ttl") || key.starts_with("http") {
        "Sequence"
    } else if key.contains("undecoded") {
        "Undecoded"
    } else {
        "Protocol"
    }
}

/// `_ws.expert`'s text for one expert item.
pub fn expert(e: &Expert, out: &mut String) {
    let _ = write!(out, "Expert Info ({}/{}): {}", severity(e.severity), group(e.key), e.message);
}

/// `_ws.malformed`'s text: `[Malformed Packet: ICMP]`.
pub fn malformed(d: &Dissection, e: &Expert, out: &mut String) {
    let proto = e.field.and_then(|i| d.layer_of(i)).or(d.layers.last()).map(|l| l.proto).unwrap_or("");
    let _ = write!(out, "[Malformed Packet: {}]", proto.to_uppercase());
}

/// The label tshark's `-V` tree shows for a field, without indentation.
pub fn tree_label(d: &Dissection, frame: &[u8], idx: usize, out: &mut String) {
    let Some(f) = d.fields.get(idx) else { return };
    let def = f.def;
    if f.generated {
        out.push('[');
    }
    if def.bitmask != 0 {
        let bits = mask_bits(d, idx);
        let raw = match &f.value {
            Value::UInt(n) => *n << def.bitmask.trailing_zeros(),
            Value::Bool(true) => def.bitmask,
            _ => 0,
        };
        bit_pattern(def.bitmask, raw, bits, out);
        out.push_str(" = ");
    }
    out.push_str(def.name);
    match &f.value {
        Value::None => {}
        Value::Bool(b) => {
            let (yes, no) = if def.bitmask != 0 { ("Set", "Not set") } else { ("True", "False") };
            let _ = write!(out, ": {}", if *b { yes } else { no });
        }
        Value::UInt(n) => {
            out.push_str(": ");
            let name = def.vals.and_then(|v| v(*n));
            let mut num = String::new();
            match def.base {
                Base::Hex => uint(*n, def.ftype, def.base, &mut num),
                Base::HexDec => {
                    uint(*n, def.ftype, def.base, &mut num);
                    let _ = write!(num, " ({n})");
                }
                Base::DecHex => {
                    let _ = write!(num, "{n} (0x{n:0w$x})", w = def.ftype.hex_width().max(1));
                }
                _ => {
                    let _ = write!(num, "{n}");
                }
            }
            match name {
                Some(s) => {
                    let _ = write!(out, "{s} ({num})");
                }
                None => out.push_str(&num),
            }
        }
        Value::Duration(_) => {
            out.push_str(": ");
            cell(d, frame, f, out);
            out.push_str(" seconds");
        }
        Value::Bytes if def.ftype == FieldType::None => {}
        _ => {
            out.push_str(": ");
            cell(d, frame, f, out);
        }
    }
    if f.generated {
        out.push(']');
    }
}

/// How many bits a masked field's pattern shows: tshark shows TCP's 12 flag bits, otherwise
/// the width of the field's bytes (or of its type).
fn mask_bits(d: &Dissection, idx: usize) -> u32 {
    let Some(f) = d.fields.get(idx) else { return 8 };
    if f.def.abbrev.starts_with("tcp.flags.") {
        return 12;
    }
    let w = f.def.ftype.hex_width() as u32 * 4;
    if w > 0 {
        return w;
    }
    let by_len = f.len * 8;
    if by_len > 0 && by_len <= 64 {
        return by_len;
    }
    let top = 64 - f.def.bitmask.leading_zeros();
    top.div_ceil(8) * 8
}

/// `.... ..1.`: the masked bits of `value`, others as dots, a space every four bits.
pub fn bit_pattern(mask: u64, value: u64, bits: u32, out: &mut String) {
    for i in (0..bits).rev() {
        let b = 1u64.checked_shl(i).unwrap_or(0);
        out.push(if mask & b == 0 {
            '.'
        } else if value & b != 0 {
            '1'
        } else {
            '0'
        });
        if i % 4 == 0 && i != 0 {
            out.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_patterns_group_by_four() {
        let mut s = String::new();
        bit_pattern(0x002, 0x002, 12, &mut s);
        assert_eq!(s, ".... .... ..1.");
        s.clear();
        bit_pattern(0xf0, 0x40, 8, &mut s);
        assert_eq!(s, "0100 ....");
    }
}
