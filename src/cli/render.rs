//! Text of field values and tree labels, as tshark 4.0 prints them: `-T fields` cells and the
//! `-V` tree lines (bit patterns for masked fields, value names, generated fields in brackets).

use pktlab::dissect::{Base, Dissection, Expert, Field, FieldType, Value};
use std::fmt::Write as _;

/// A field's `-T fields` cell (one occurrence), as the dissector's formatter prints it. The
/// commonest cases (decimal and hex integers, IPv4 addresses, epoch times) take a path without
/// `core::fmt`, which dominates `-T fields` time otherwise; the text is the same.
pub fn cell(d: &Dissection, frame: &[u8], f: &Field, out: &mut String) {
    let def = f.def;
    match (&f.value, def.base) {
        (Value::UInt(n), Base::Dec | Base::DecHex | Base::None) if def.ftype != FieldType::Bool => push_u64(out, *n),
        (Value::UInt(n), Base::Hex | Base::HexDec) if def.ftype.hex_width() > 0 => push_hex_width(out, *n, def.ftype.hex_width()),
        (Value::Ipv4(a), _) => {
            for (i, b) in a.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                push_u64(out, *b as u64);
            }
        }
        // (nanos ≥ 10^9 from a corrupt record is printed verbatim by the general path)
        (Value::Time(t), _) if t.secs >= 0 && t.nanos < 1_000_000_000 && def.ftype != FieldType::AbsTime => {
            push_u64(out, t.secs as u64);
            out.push('.');
            // Nine digits: a 1 in front keeps the leading zeros, then it is cut off.
            let mut buf = itoa::Buffer::new();
            let digits = buf.format(1_000_000_000 + t.nanos as u64);
            out.push_str(digits.get(1..).unwrap_or("000000000"));
        }
        _ => pktlab::dissect::format::write_cell(out, d, frame, f),
    }
}

/// Decimal digits of `n`.
pub fn push_u64(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `0x` and `width` lower-case hex digits (more if the value needs them).
fn push_hex_width(out: &mut String, n: u64, width: usize) {
    const HEX: &str = "0123456789abcdef";
    let need = ((64 - n.leading_zeros() as usize).div_ceil(4)).max(width).max(1);
    out.push_str("0x");
    for i in (0..need).rev() {
        let d = ((n >> (i * 4)) & 15) as usize;
        out.push_str(HEX.get(d..d + 1).unwrap_or("0"));
    }
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

/// `_ws.expert`'s text for one expert item.
pub fn expert(e: &Expert, out: &mut String) {
    use pktlab::dissect::format::{expert_group, severity_name};
    let _ = write!(out, "Expert Info ({}/{}): {}", severity_name(e.severity), expert_group(e.key), e.message);
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
    // The flags summary tshark writes without a bit pattern: `Flags: 0x012 (SYN, ACK)`.
    if def.abbrev == "tcp.flags"
        && let Value::UInt(n) = f.value
    {
        const NAMES: [&str; 9] = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"];
        let set: Vec<&str> = NAMES.iter().enumerate().filter(|(i, _)| n & (1 << i) != 0).map(|(_, s)| *s).collect();
        let _ = write!(out, "{}: 0x{n:03x} ({})", def.name, set.join(", "));
        return;
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
    if def.name.is_empty() {
        // A text-only item: its value is the whole label.
        cell(d, frame, f, out);
        if f.generated {
            out.push(']');
        }
        return;
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
            if let Some(st) = checksum_status(def.abbrev, *n) {
                out.push_str(st);
                if f.generated {
                    out.push(']');
                }
                return;
            }
            let name = def.vals.and_then(|v| v(*n));
            let n = &pktlab::dissect::format::tree_uint(def, *n);
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
        Value::Duration(_) | Value::Time(_) if def.ftype == FieldType::RelTime => {
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

/// `*.checksum.status` values as tshark names them.
fn checksum_status(abbrev: &str, n: u64) -> Option<&'static str> {
    if !abbrev.ends_with("checksum.status") {
        return None;
    }
    ["Bad", "Good", "Unverified", "Not present", "Illegal"].get(n as usize).copied()
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
    fn fast_numbers_print_like_fmt() {
        for n in [0u64, 7, 10, 65535, 1_796_086_147, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        let mut s = String::new();
        push_hex_width(&mut s, 0x12, 4);
        assert_eq!(s, "0x0012");
        s.clear();
        push_hex_width(&mut s, 0x1_0000, 4);
        assert_eq!(s, format!("0x{:04x}", 0x1_0000));
    }

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
