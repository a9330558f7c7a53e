//! Text of field values and tree labels, as tshark 4.0 prints them: `-T fields` cells and the
//! `-V` tree lines (bit patterns for masked fields, value names, generated fields in brackets).

use pktlab::dissect::format::push_hex_width;
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

/// `_ws.expert`'s text for one expert item.
pub fn expert(e: &Expert, out: &mut String) {
    use pktlab::dissect::format::{expert_group, severity_name};
    expert_with(e, severity_name(e.severity), expert_group(e.key), out);
}

/// [`expert`] with its severity's and group's names already found.
pub fn expert_with(e: &Expert, severity: &str, group: &str, out: &mut String) {
    out.push_str("Expert Info (");
    out.push_str(severity);
    out.push('/');
    out.push_str(group);
    out.push_str("): ");
    out.push_str(&e.message);
}

/// `_ws.malformed`'s text: `[Malformed Packet: ICMP]`.
pub fn malformed(d: &Dissection, e: &Expert, out: &mut String) {
    let proto = Some(d.malformed_in).filter(|p| !p.is_empty()).or_else(|| e.field.and_then(|i| d.layer_of(i)).or(d.layers.last()).map(|l| l.proto)).unwrap_or("");
    // (The protocol's short name: its filter name in capitals, but GIF's.)
    match proto {
        "image-gif" => out.push_str("[Malformed Packet: GIF image]"),
        _ => {
            let _ = write!(out, "[Malformed Packet: {}]", proto.to_uppercase());
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
}
