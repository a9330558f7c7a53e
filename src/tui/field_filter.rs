//! Wireshark's "Apply as Filter" / "Prepare as Filter": the display filter that selects frames
//! holding the selected tree item's value, written so pktlab's filter parser reads it back as
//! that value (and tshark selects the same frames with it).
//!
//! A protocol gives its name (`tcp`); a field with a value gives `abbrev == value`, the value
//! as `tshark -T fields` prints it (`ip.src == 10.0.0.1`, `tcp.flags == 0x0012`,
//! `tcp.flags.syn == 1`, `eth.src == 00:11:22:33:44:55`), byte strings with colons
//! (`data.data == 48:65`), strings and absolute times quoted (`http.host == "example.com"`); an
//! item without a value (a label) gives its name alone.

use crate::dissect::format;
use crate::dissect::{Dissection, FieldType, Value};
use crate::tui::tree::NodeRef;
use std::fmt::Write;

/// The filter for tree node `node` of dissection `d` (frame bytes `frame`); None for an OSI
/// heading (it is not one protocol).
pub fn for_node(d: &Dissection, frame: &[u8], node: NodeRef) -> Option<String> {
    match node {
        NodeRef::Osi(_) => None,
        NodeRef::Layer(i) => d.layers.get(i).map(|l| l.proto.to_string()),
        NodeRef::Field(i) => {
            let f = d.fields.get(i)?;
            let name = f.def.abbrev;
            let value = match (&f.value, f.def.ftype) {
                (Value::None, _) | (_, FieldType::None) => return Some(name.to_string()),
                (Value::Str(s), _) => quoted(s.as_bytes()),
                (Value::Bytes, FieldType::Str) => quoted(d.field_bytes(frame, f)),
                (Value::Bytes, _) => {
                    let b = d.field_bytes(frame, f);
                    if b.is_empty() {
                        return Some(name.to_string());
                    }
                    colon_hex(b)
                }
                (Value::Time(_), FieldType::AbsTime) => format!("\"{}\"", format::cell(d, frame, f)),
                _ => format::cell(d, frame, f),
            };
            Some(format!("{name} == {value}"))
        }
    }
}

/// `a && b`, parenthesising `a` when it has an `||` (so `a || b && c` does not bind wrongly).
pub fn and(existing: &str, new: &str) -> String {
    let e = existing.trim();
    if e.contains("||") || e.contains(" or ") { format!("({e}) && {new}") } else { format!("{e} && {new}") }
}

fn colon_hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// A filter string literal: printable ASCII as it is, `"` and `\` escaped, other bytes as
/// `\xNN` (UTF-8 text stays as it is).
fn quoted(b: &[u8]) -> String {
    let mut s = String::from("\"");
    match std::str::from_utf8(b) {
        Ok(text) => {
            for c in text.chars() {
                match c {
                    '"' | '\\' => {
                        s.push('\\');
                        s.push(c);
                    }
                    c if c.is_control() => {
                        let mut buf = [0u8; 4];
                        for x in c.encode_utf8(&mut buf).bytes() {
                            let _ = write!(s, "\\x{x:02x}");
                        }
                    }
                    c => s.push(c),
                }
            }
        }
        Err(_) => {
            for &x in b {
                match x {
                    b'"' | b'\\' => {
                        s.push('\\');
                        s.push(x as char);
                    }
                    0x20..=0x7e => s.push(x as char),
                    _ => {
                        let _ = write!(s, "\\x{x:02x}");
                    }
                }
            }
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(quoted(b"a\"b\\c\n"), r#""a\"b\\c\x0a""#);
        assert_eq!(quoted(&[0x41, 0xff]), r#""A\xff""#);
        assert_eq!(colon_hex(&[0xde, 0xad]), "de:ad");
        assert_eq!(and("tcp", "ip.src == 1.2.3.4"), "tcp && ip.src == 1.2.3.4");
        assert_eq!(and("udp || tcp", "ip.ttl == 64"), "(udp || tcp) && ip.ttl == 64");
    }
}
