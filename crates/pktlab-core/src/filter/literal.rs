//! Converting a literal written in a filter into the type of the field it is compared with,
//! the way tshark 4.0 reads them: integers in decimal, `0x` hex, `0b` binary or leading-zero
//! octal, or by value name (`ip.proto == UDP`); booleans as `True`/`False` or a number;
//! IPv4/IPv6 addresses with an optional `/prefix`; MAC addresses as `aa:bb:cc:dd:ee:ff`,
//! `aa-bb-…`, `aabb.ccdd.eeff` or 12 hex digits; byte strings as `aa:bb:cc` (or `-`/`.`
//! separators, or a single byte `0x1f`), or a quoted string; strings quoted or bare.

use super::ast::{Class, Lit};
use crate::dissect::{FieldDef, FieldType};
use std::net::Ipv6Addr;

/// What a literal must become; derived from the field type (or the function applied to it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    UInt { max: u64 },
    SInt { min: i64, max: i64 },
    Bool,
    Float,
    /// A relative time (seconds): decimal numbers only, as tshark reads them.
    RelTime,
    /// An absolute time: a date string in local time (or with a zone).
    AbsTime,
    Ipv4,
    Ipv6,
    Ether,
    Str,
    Bytes,
}

impl Kind {
    /// The kind of a field's values; `None` for types filters cannot compare.
    pub(crate) fn of(ftype: FieldType) -> Kind {
        match ftype {
            FieldType::U8 => Kind::UInt { max: u8::MAX as u64 },
            FieldType::U16 => Kind::UInt { max: u16::MAX as u64 },
            FieldType::U24 => Kind::UInt { max: 0xff_ffff },
            FieldType::U32 | FieldType::FrameNum => Kind::UInt { max: u32::MAX as u64 },
            FieldType::U64 => Kind::UInt { max: u64::MAX },
            FieldType::I32 => Kind::SInt { min: i32::MIN as i64, max: i32::MAX as i64 },
            FieldType::I64 => Kind::SInt { min: i64::MIN, max: i64::MAX },
            FieldType::Bool => Kind::Bool,
            FieldType::Float => Kind::Float,
            FieldType::RelTime => Kind::RelTime,
            FieldType::AbsTime => Kind::AbsTime,
            FieldType::Ipv4 => Kind::Ipv4,
            FieldType::Ipv6 => Kind::Ipv6,
            FieldType::Ether => Kind::Ether,
            FieldType::Str => Kind::Str,
            FieldType::Bytes | FieldType::None => Kind::Bytes,
        }
    }

    pub(crate) fn class(self) -> Class {
        match self {
            Kind::UInt { .. } | Kind::SInt { .. } => Class::Int,
            Kind::Bool => Class::Bool,
            Kind::Float | Kind::RelTime | Kind::AbsTime => Class::Float,
            Kind::Ipv4 | Kind::Ipv6 | Kind::Ether | Kind::Str | Kind::Bytes => Class::Bytes,
        }
    }

    /// How the type is named in messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::UInt { .. } => "an unsigned integer",
            Kind::SInt { .. } => "a signed integer",
            Kind::Bool => "a boolean",
            Kind::Float => "a number with decimals",
            Kind::RelTime => "a time in seconds",
            Kind::AbsTime => "an absolute time",
            Kind::Ipv4 => "an IPv4 address",
            Kind::Ipv6 => "an IPv6 address",
            Kind::Ether => "a MAC address",
            Kind::Str => "a string",
            Kind::Bytes => "a byte string",
        }
    }

    /// Whether two kinds can be compared with each other (field against field).
    pub(crate) fn compatible(self, other: Kind) -> bool {
        let c = (self.class(), other.class());
        match c {
            (Class::Bytes, Class::Bytes) => {
                self == other || matches!(self, Kind::Bytes | Kind::Str) || matches!(other, Kind::Bytes | Kind::Str)
            }
            (a, b) => a == b || matches!((a, b), (Class::Int | Class::Float, Class::Int | Class::Float)),
        }
    }
}

/// A literal as written: a bare word, a quoted string or a character constant.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LitTok<'a> {
    Word(&'a str),
    Str(&'a [u8]),
    Char(u32),
}

/// Converts `tok` to `kind`. `def` (when the operand is a plain field) supplies value names and
/// the name used in messages. Errors are one-line messages.
pub(crate) fn convert(kind: Kind, tok: LitTok<'_>, def: Option<&'static FieldDef>, what: &str) -> Result<Lit, String> {
    match kind {
        Kind::UInt { .. } | Kind::SInt { .. } => int_literal(kind, tok, def, what),
        Kind::Bool => match tok {
            LitTok::Word(w) if w.eq_ignore_ascii_case("true") => Ok(Lit::Int(1)),
            LitTok::Word(w) if w.eq_ignore_ascii_case("false") => Ok(Lit::Int(0)),
            LitTok::Word(w) => match parse_int(w) {
                Some(n) => Ok(Lit::Int((n != 0) as i128)),
                None => Err(format!("\"{w}\" is not a boolean: {what} is compared with 1/0 or True/False")),
            },
            LitTok::Char(c) => Ok(Lit::Int((c != 0) as i128)),
            // Flag bits are named "Set" / "Not set" (Wireshark's tfs_set_notset).
            LitTok::Str(s) if def.is_some_and(|d| d.bitmask != 0) && s.eq_ignore_ascii_case(b"set") => Ok(Lit::Int(1)),
            LitTok::Str(s) if def.is_some_and(|d| d.bitmask != 0) && s.eq_ignore_ascii_case(b"not set") => Ok(Lit::Int(0)),
            LitTok::Str(s) => Err(format!(
                "{what} is a boolean and cannot be compared with the string \"{}\" (write 1, 0, True or False without quotes)",
                String::from_utf8_lossy(s)
            )),
        },
        Kind::Float => match tok {
            LitTok::Word(w) => match w.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Lit::Float(v)),
                _ => match parse_int(w) {
                    Some(n) => Ok(Lit::Float(n as f64)),
                    None => Err(format!("\"{w}\" is not a valid number")),
                },
            },
            LitTok::Char(c) => Ok(Lit::Float(c as f64)),
            LitTok::Str(s) => Err(format!(
                "{what} is a number and cannot be compared with the string \"{}\"",
                String::from_utf8_lossy(s)
            )),
        },
        Kind::RelTime => match tok {
            LitTok::Word(w) => rel_time(w).ok_or_else(|| format!("\"{w}\" is not a valid time in seconds (write it like 1.5 or -0.25)")),
            LitTok::Str(s) => Err(format!(
                "{what} is a time in seconds and cannot be compared with the string \"{}\" (write the seconds without quotes)",
                String::from_utf8_lossy(s)
            )),
            LitTok::Char(_) => Err(format!("{what} is a time in seconds and cannot be compared with a character")),
        },
        Kind::AbsTime => {
            let text = match tok {
                LitTok::Str(s) => String::from_utf8_lossy(s).into_owned(),
                LitTok::Word(w) => w.to_owned(),
                LitTok::Char(c) => char::from_u32(c).map(String::from).unwrap_or_default(),
            };
            super::time::abs_time(&text).map(Lit::Float).ok_or_else(|| {
                format!("\"{text}\" is not a valid absolute time; write it like \"Nov 12, 1999 08:55:44.123\" or \"2011-07-04 12:34:56\"")
            })
        }
        Kind::Ipv4 => match tok {
            LitTok::Word(w) => ipv4_literal(w),
            _ => Err(not_quoted(what, kind)),
        },
        Kind::Ipv6 => match tok {
            LitTok::Word(w) => ipv6_literal(w),
            _ => Err(not_quoted(what, kind)),
        },
        Kind::Ether => match tok {
            LitTok::Word(w) => match ether_bytes(w) {
                Some(b) if b.len() == 6 => Ok(Lit::Bytes(b.into())),
                Some(b) if b.len() < 6 => Err(format!("\"{w}\" has too few bytes for a MAC address (6 needed)")),
                Some(_) => Err(format!("\"{w}\" has too many bytes for a MAC address (6 needed)")),
                None => Err(format!("\"{w}\" is not a valid MAC address (write it like 00:11:22:33:44:55)")),
            },
            _ => Err(not_quoted(what, kind)),
        },
        Kind::Str => match tok {
            LitTok::Word(w) => Ok(Lit::Bytes(w.as_bytes().into())),
            LitTok::Str(s) => Ok(Lit::Bytes(s.into())),
            LitTok::Char(c) => Ok(Lit::Bytes(char_bytes(c).into())),
        },
        Kind::Bytes => match tok {
            LitTok::Word(w) => match byte_string(w) {
                Some(b) => Ok(Lit::Bytes(b.into())),
                None => Err(format!("\"{w}\" is not a valid byte string (write bytes like aa:bb:cc)")),
            },
            LitTok::Str(s) => Ok(Lit::Bytes(s.into())),
            LitTok::Char(c) => match u8::try_from(c) {
                Ok(b) => Ok(Lit::Bytes(vec![b].into())),
                Err(_) => Ok(Lit::Bytes(char_bytes(c).into())),
            },
        },
    }
}

fn not_quoted(what: &str, kind: Kind) -> String {
    format!("{what} is {}; write the address without quotes", kind.describe())
}

fn char_bytes(c: u32) -> Vec<u8> {
    let mut buf = [0u8; 4];
    char::from_u32(c).map(|ch| ch.encode_utf8(&mut buf).as_bytes().to_vec()).unwrap_or_default()
}

fn int_literal(kind: Kind, tok: LitTok<'_>, def: Option<&'static FieldDef>, what: &str) -> Result<Lit, String> {
    let (min, max): (i128, i128) = match kind {
        Kind::UInt { max } => (0, max as i128),
        Kind::SInt { min, max } => (min as i128, max as i128),
        _ => (0, 0),
    };
    let value = match tok {
        LitTok::Char(c) => c as i128,
        LitTok::Word(w) => match parse_int(w) {
            Some(n) => n,
            None => match value_by_name(def, w, max) {
                Some(n) => n,
                None if def.is_some_and(|d| d.vals.is_some() && d.names_in_filters) => {
                    return Err(format!("\"{w}\" is neither a number nor one of the value names of {what}"));
                }
                None => return Err(format!("\"{w}\" is not a valid number")),
            },
        },
        LitTok::Str(s) => {
            let text = String::from_utf8_lossy(s);
            let status = def.filter(|d| d.abbrev.ends_with("checksum.status")).and_then(|_| checksum_status(&text));
            match status.or_else(|| value_by_name(def, &text, max)) {
                Some(n) => n,
                None => {
                    return Err(format!(
                        "{what} is {} and cannot be compared with the string \"{text}\" (write numbers without quotes)",
                        kind.describe()
                    ));
                }
            }
        }
    };
    if value > max {
        return Err(format!("{value} is too big for {what} (at most {max})"));
    }
    if value < min {
        return Err(format!("{value} is too small for {what} (at least {min})"));
    }
    Ok(Lit::Int(value))
}

/// Wireshark's names of checksum verification results (`proto_checksum_vals`).
fn checksum_status(name: &str) -> Option<i128> {
    ["bad", "good", "unverified", "not present", "illegal"].iter().position(|n| n.eq_ignore_ascii_case(name)).map(|i| i as i128)
}

/// A relative time as tshark reads it: optional minus, digits, optional `.digits`.
fn rel_time(w: &str) -> Option<Lit> {
    let body = w.strip_prefix('-').unwrap_or(w);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let ok = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit()) && (frac.is_empty() != body.contains('.'));
    ok.then(|| w.parse::<f64>().ok()).flatten().filter(|v| v.is_finite()).map(Lit::Float)
}

/// Finds the value whose name is `name` (case-insensitive), trying values up to 65535.
fn value_by_name(def: Option<&'static FieldDef>, name: &str, max: i128) -> Option<i128> {
    let def = def.filter(|d| d.names_in_filters)?;
    let vals = def.vals?;
    let top = max.clamp(0, 0xffff) as u64;
    (0..=top).find(|&v| vals(v).is_some_and(|n| n.eq_ignore_ascii_case(name))).map(|v| v as i128)
}

/// tshark's `strtol(s, 0)` plus `0b`: decimal, `0x` hex, `0b` binary, leading `0` octal,
/// optionally negative. `None` unless the whole word is a number.
pub(crate) fn parse_int(s: &str) -> Option<i128> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (radix, digits) = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, h)
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, b)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || digits.len() > 40 || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = i128::from_str_radix(digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

fn split_prefix(w: &str) -> Result<(&str, Option<u32>), String> {
    match w.split_once('/') {
        None => Ok((w, None)),
        Some((a, p)) => match p.parse::<u32>() {
            Ok(bits) => Ok((a, Some(bits))),
            Err(_) => Err(format!("\"{p}\" is not a valid prefix length in \"{w}\"")),
        },
    }
}

fn ipv4_literal(w: &str) -> Result<Lit, String> {
    let (addr, bits) = split_prefix(w)?;
    let bad = || format!("\"{addr}\" is not a valid IPv4 address (write it like 192.168.0.1)");
    let parts: Vec<&str> = addr.split('.').collect();
    if parts.len() != 4 {
        return Err(bad());
    }
    let mut out = [0u8; 4];
    for (o, p) in out.iter_mut().zip(&parts) {
        let ok = !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) && !(p.len() > 1 && p.starts_with('0'));
        *o = p.parse::<u8>().ok().filter(|_| ok).ok_or_else(bad)?;
    }
    match bits {
        None => Ok(Lit::Bytes(out.into())),
        Some(b) if b <= 32 => Ok(Lit::Net { addr: out.into(), bits: b }),
        Some(b) => Err(format!("an IPv4 prefix has at most 32 bits, not {b}")),
    }
}

fn ipv6_literal(w: &str) -> Result<Lit, String> {
    let (addr, bits) = split_prefix(w)?;
    let parsed: Ipv6Addr = addr.parse().map_err(|_| format!("\"{addr}\" is not a valid IPv6 address (write it like 2001:db8::1)"))?;
    let octets = parsed.octets();
    match bits {
        None => Ok(Lit::Bytes(octets.into())),
        Some(b) if b <= 128 => Ok(Lit::Net { addr: octets.into(), bits: b }),
        Some(b) => Err(format!("an IPv6 prefix has at most 128 bits, not {b}")),
    }
}

/// `aa:bb:cc`, `aa-bb-cc`, `aa.bb.cc` (one or two hex digits per byte, one separator kind), a
/// single byte `1f` / `0x1f`, or an even run of hex digits.
pub(crate) fn byte_string(w: &str) -> Option<Vec<u8>> {
    // tshark 4.0's explicit byte-string form `:aa:bb`.
    let w = match w.strip_prefix(':') {
        Some(rest) if !rest.starts_with(':') => rest,
        _ => w,
    };
    if let Some(h) = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X")) {
        return (!h.is_empty() && h.len() <= 2).then(|| u8::from_str_radix(h, 16).ok()).flatten().map(|b| vec![b]);
    }
    let sep = w.chars().find(|c| matches!(c, ':' | '-' | '.'));
    match sep {
        Some(sep) => w
            .split(sep)
            .map(|p| {
                let ok = !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_hexdigit());
                ok.then(|| u8::from_str_radix(p, 16).ok()).flatten()
            })
            .collect(),
        None => {
            if w.is_empty() || !w.len().is_multiple_of(2) || !w.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            (0..w.len()).step_by(2).map(|i| u8::from_str_radix(&w[i..i + 2], 16).ok()).collect()
        }
    }
}

/// A MAC address in any of the byte-string forms, or Cisco's `0011.2233.4455`.
fn ether_bytes(w: &str) -> Option<Vec<u8>> {
    let groups: Vec<&str> = w.split('.').collect();
    if groups.len() == 3 && groups.iter().all(|g| g.len() == 4) {
        return byte_string(&groups.concat());
    }
    byte_string(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(parse_int("80"), Some(80));
        assert_eq!(parse_int("0x50"), Some(80));
        assert_eq!(parse_int("0120"), Some(80));
        assert_eq!(parse_int("0b1010000"), Some(80));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("0x"), None);
        assert_eq!(parse_int("5x"), None);
        assert_eq!(parse_int("09"), None);
    }

    #[test]
    fn ranges_are_checked() {
        let k = Kind::UInt { max: 65535 };
        assert!(convert(k, LitTok::Word("65535"), None, "tcp.port").is_ok());
        let e = convert(k, LitTok::Word("70000"), None, "tcp.port").err().unwrap_or_default();
        assert!(e.contains("too big"), "{e}");
        assert!(convert(k, LitTok::Word("-1"), None, "tcp.port").is_err());
        assert!(convert(k, LitTok::Str(b"80"), None, "tcp.port").is_err());
    }

    #[test]
    fn addresses() {
        assert!(matches!(convert(Kind::Ipv4, LitTok::Word("10.0.0.0/8"), None, "ip.addr"), Ok(Lit::Net { bits: 8, .. })));
        assert!(convert(Kind::Ipv4, LitTok::Word("10.0.0.256"), None, "ip.addr").is_err());
        assert!(convert(Kind::Ipv4, LitTok::Word("10.0.0.1/33"), None, "ip.addr").is_err());
        assert!(convert(Kind::Ipv4, LitTok::Str(b"10.0.0.1"), None, "ip.addr").is_err());
        assert!(convert(Kind::Ipv6, LitTok::Word("fe80::1/64"), None, "ipv6.addr").is_ok());
        for mac in ["00:11:22:33:44:55", "00-11-22-33-44-55", "0011.2233.4455", "001122334455"] {
            assert!(matches!(convert(Kind::Ether, LitTok::Word(mac), None, "eth.src"), Ok(Lit::Bytes(b)) if b[5] == 0x55), "{mac}");
        }
        assert!(convert(Kind::Ether, LitTok::Word("00:11"), None, "eth.src").is_err());
    }

    #[test]
    fn byte_strings() {
        assert_eq!(byte_string("aa:bb:cc"), Some(vec![0xaa, 0xbb, 0xcc]));
        assert_eq!(byte_string("0x1f"), Some(vec![0x1f]));
        assert_eq!(byte_string("1f"), Some(vec![0x1f]));
        assert_eq!(byte_string("0035"), Some(vec![0, 0x35]));
        assert_eq!(byte_string("abc"), None);
        assert_eq!(byte_string("a::b"), None);
    }
}
