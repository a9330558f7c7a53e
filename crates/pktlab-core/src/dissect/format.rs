//! Printing field values exactly as `tshark -T fields` 4.0 prints them: hex integers as
//! `0x` + the type's full width, booleans as `1`/`0`, addresses in their usual notation,
//! byte fields as plain hex, label items (`FT_NONE`) as `1`, times with nine decimals, and
//! several occurrences of a field joined with `,`.

use super::model::*;
use std::fmt::Write;

/// Which occurrences of a field `-T fields` prints (`-E occurrence=f|l|a`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Occurrence {
    First,
    Last,
    #[default]
    All,
}

impl std::str::FromStr for Occurrence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "f" => Ok(Occurrence::First),
            "l" => Ok(Occurrence::Last),
            "a" => Ok(Occurrence::All),
            _ => Err(format!("invalid occurrence \"{s}\" (expected f, l or a)")),
        }
    }
}

/// A field's value as tshark prints it.
pub fn cell(d: &Dissection, frame: &[u8], field: &Field) -> String {
    let mut s = String::new();
    write_cell(&mut s, d, frame, field);
    s
}

/// Appends a field's value as tshark prints it.
pub fn write_cell(out: &mut String, d: &Dissection, frame: &[u8], field: &Field) {
    let def = field.def;
    match &field.value {
        Value::None => {
            if def.ftype == FieldType::None {
                out.push('1');
            }
        }
        Value::Bool(b) => out.push(if *b { '1' } else { '0' }),
        Value::UInt(n) => write_uint(out, def, *n),
        Value::Int(n) => match def.base {
            Base::Hex | Base::HexDec => {
                let w = def.ftype.hex_width();
                let _ = write!(out, "0x{:0w$x}", *n as u64 & mask_for(def.ftype));
            }
            _ => {
                let _ = write!(out, "{n}");
            }
        },
        Value::Float(f) => push_float(out, *f),
        Value::Ipv4(a) => super::push_ipv4(out, *a),
        Value::Ipv6(a) => super::push_ipv6(out, *a),
        Value::Ether(a) => super::push_ether(out, *a),
        Value::Bytes => {
            let b = d.field_bytes(frame, field);
            if b.is_empty() && def.ftype == FieldType::Bytes {
                out.push_str("<none>");
            } else {
                push_hex(out, b);
            }
        }
        Value::Str(s) => out.push_str(s),
        Value::Time(t) if def.ftype == FieldType::AbsTime => push_abs_time(out, *t),
        Value::Time(t) => {
            if t.secs < 0 {
                let _ = write!(out, "{t}");
            } else {
                super::push_dec(out, t.secs as u64);
                out.push('.');
                push_nine(out, t.nanos as u64);
            }
        }
        Value::Duration(ns) => {
            if *ns < 0 {
                out.push('-');
            }
            let a = ns.unsigned_abs();
            out.push_str(itoa::Buffer::new().format(a / 1_000_000_000));
            out.push('.');
            push_nine(out, a % 1_000_000_000);
        }
    }
}

fn mask_for(t: FieldType) -> u64 {
    match t.hex_width() {
        0 | 16 => u64::MAX,
        w => (1u64 << (w * 4)) - 1,
    }
}

fn write_uint(out: &mut String, def: &FieldDef, n: u64) {
    match def.ftype {
        FieldType::Bool => out.push(if n != 0 { '1' } else { '0' }),
        _ => match def.base {
            Base::Hex | Base::HexDec => super::push_hex_w(out, n, def.ftype.hex_width()),
            _ => super::push_dec(out, n),
        },
    }
}

/// Every byte's two lower-case hex digits, `000102…feff`: digits are pushed as slices of it
/// (two known bytes: a store, with no UTF-8 check of a buffer and no call to copy it).
const HEX_PAIRS: &str = {
    const BYTES: [u8; 512] = {
        let digits = b"0123456789abcdef";
        let mut b = [0u8; 512];
        let mut i = 0;
        while i < 256 {
            b[2 * i] = digits[i >> 4];
            b[2 * i + 1] = digits[i & 15];
            i += 1;
        }
        b
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("hex digits are ASCII"),
    }
};

/// The two hex digits of `b`.
#[inline(always)]
fn hex_pair(b: u8) -> &'static str {
    let i = usize::from(b) * 2;
    HEX_PAIRS.get(i..i + 2).unwrap_or("00")
}

/// The low hex digit of `n`.
#[inline(always)]
fn hex_digit(n: u64) -> &'static str {
    let i = (n & 15) as usize * 2 + 1;
    HEX_PAIRS.get(i..i + 1).unwrap_or("0")
}

/// The low `digits` hex digits of `n` (at most 16), leading zeros included.
#[inline]
fn push_hex_digits(out: &mut String, n: u64, digits: usize) {
    let mut k = digits.min(16);
    out.reserve(k);
    if k % 2 == 1 {
        k -= 1;
        out.push_str(hex_digit(n >> (4 * k)));
    }
    while k > 0 {
        k -= 2;
        out.push_str(hex_pair((n >> (4 * k)) as u8));
    }
}

/// Lower-case hex without separators.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push_str(hex_pair(*b));
    }
}

/// `0x` and `width` lower-case hex digits (more if the value needs them).
pub fn push_hex_width(out: &mut String, n: u64, width: usize) {
    let need = ((64 - n.leading_zeros() as usize).div_ceil(4)).max(width).max(1);
    out.push_str("0x");
    // Digits beyond the value's sixteen are zeros.
    for _ in 16..need {
        out.push('0');
    }
    push_hex_digits(out, n, need);
}

/// Lower-case hex with a colon between bytes (`02:04:05:b4`, a MAC address).
pub fn push_colon_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(hex_pair(*b));
    }
}

/// Every occurrence of the field named `abbrev`, printed and joined as `-T fields` does with
/// `-E occurrence=…` (and the default aggregator `,`). Empty if the frame lacks the field.
pub fn cells(d: &Dissection, frame: &[u8], abbrev: &str, occurrence: Occurrence) -> String {
    let mut s = String::new();
    write_cells(&mut s, d, frame, abbrev, occurrence, ',');
    s
}

/// The cells of `fields` (one field's occurrences in a frame) as `-E occurrence=…` picks
/// them, joined with `aggregator`.
fn write_occurrences<'a>(out: &mut String, d: &Dissection, frame: &[u8], mut fields: impl DoubleEndedIterator<Item = &'a Field>, occurrence: Occurrence, aggregator: char) {
    match occurrence {
        Occurrence::First => {
            if let Some(f) = fields.next() {
                write_cell(out, d, frame, f);
            }
        }
        Occurrence::Last => {
            if let Some(f) = fields.next_back() {
                write_cell(out, d, frame, f);
            }
        }
        Occurrence::All => {
            for (i, f) in fields.enumerate() {
                if i > 0 {
                    out.push(aggregator);
                }
                write_cell(out, d, frame, f);
            }
        }
    }
}

/// As [`cells`], appending to `out` and joining occurrences with `aggregator`.
pub fn write_cells(out: &mut String, d: &Dissection, frame: &[u8], abbrev: &str, occurrence: Occurrence, aggregator: char) {
    if let Some(pseudo) = abbrev.strip_prefix("_ws.") {
        write_ws(out, d, pseudo);
        return;
    }
    let it = d.fields.iter().filter(|f| f.def.abbrev == abbrev);
    write_occurrences(out, d, frame, it, occurrence, aggregator);
}

/// tshark's expert-info group for an expert key.
pub fn expert_group(key: &str) -> &'static str {
    if key.starts_with("malformed") {
        "Malformed"
    } else if key.contains("checksum") {
        "Checksum"
    } else if key.starts_with("tcp.analysis") || key.starts_with("tcp.connection") || key.starts_with("ip.ttl") || key == "http.chat" || key == "tcp.options.sack.dsack" || key == "tls.resumed" {
        "Sequence"
    } else if key == "http.subdissector_failed" || key.starts_with("xml.closing_unopened") {
        // (Wireshark's PI_MALFORMED group, though the frame is not malformed.)
        "Malformed"
    } else if key.ends_with(".undecoded") || key.starts_with("http.decompression") || key == "_ws.string.trailing_stray_characters" {
        "Undecoded"
    } else if key == "quic.decryption_failed" {
        "Decryption"
    } else if key == "quic.retransmission" || key == "quic.overlap" {
        "Sequence"
    } else if key == "quic.ft.unknown" {
        "Undecoded"
    } else if key == "_ws.unreassembled" {
        "Reassemble"
    } else if key.ends_with(".deprecated") {
        "Deprecated"
    } else {
        "Protocol"
    }
}

/// tshark's protocol column of an expert item (`tcp.analysis.retransmission` → `TCP`):
/// the short name of the protocol its key starts with; a malformed packet and a game
/// protocol's items take the frame's protocol column, `frame_protocol`.
pub fn expert_protocol(key: &str, frame_protocol: &'static str) -> &'static str {
    match key.split('.').next().unwrap_or(key) {
        "tcp" => "TCP",
        "udp" => "UDP",
        "ip" => "IPv4",
        "ipv6" => "IPv6",
        "icmp" => "ICMP",
        "icmpv6" => "ICMPv6",
        "igmp" => "IGMP",
        "xml" => "XML",
        "gif" => "GIF image",
        _ if !frame_protocol.is_empty() => frame_protocol,
        _ => "Unknown",
    }
}

/// tshark's name for a severity.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Chat => "Chat",
        Severity::Note => "Note",
        Severity::Warn => "Warning",
        Severity::Error => "Error",
    }
}

/// `_ws.malformed` (the frame is malformed) and `_ws.expert` (its first expert item, as
/// `Expert Info (Severity/Group): message`).
fn write_ws(out: &mut String, d: &Dissection, name: &str) {
    match name {
        "malformed" if d.is_malformed() => {
            let _ = write!(out, "[Malformed Packet: {}]", d.protocol);
        }
        "expert" => {
            if let Some(e) = d.experts.first() {
                let _ = write!(out, "Expert Info ({}/{}): {}", severity_name(e.severity), expert_group(e.key), e.message);
            }
        }
        _ => {}
    }
}

/// A `-T fields` column list resolved once against the field registry, so that printing a
/// frame's row compares field definitions by address instead of by name.
pub struct Columns {
    cols: Vec<Column>,
}

struct Column {
    name: String,
    /// The registered definition, if the name is known (else matched by name).
    def: Option<&'static FieldDef>,
}

impl Columns {
    /// Resolves `names` with `lookup` (the field registry's `pktlab::fields::by_name`, or
    /// `pktlab::fields::columns` does both); unknown names print empty cells, as tshark's
    /// do not exist.
    pub fn new<S: AsRef<str>>(names: &[S], lookup: impl Fn(&str) -> Option<&'static FieldDef>) -> Columns {
        let cols = names
            .iter()
            .map(|n| {
                let name = n.as_ref().to_owned();
                let def = if name.starts_with("_ws.") { None } else { lookup(&name) };
                Column { name, def }
            })
            .collect();
        Columns { cols }
    }

    pub fn len(&self) -> usize {
        self.cols.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cols.is_empty()
    }

    /// Appends one row: every column's cells (as [`write_cells`]) joined by `separator`.
    pub fn write_row(&self, out: &mut String, d: &Dissection, frame: &[u8], occurrence: Occurrence, separator: &str, aggregator: char) {
        for (i, c) in self.cols.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            match c.def {
                Some(def) => {
                    let it = d.fields.iter().filter(|f| std::ptr::eq(f.def, def));
                    write_occurrences(out, d, frame, it, occurrence, aggregator);
                }
                None => write_cells(out, d, frame, &c.name, occurrence, aggregator),
            }
        }
    }
}

/// The number the protocol tree shows for an integer field's value `n`: the IPv4 fragment
/// offset counts 8-byte units on the wire (and in `-T fields`), and the tree shows bytes.
pub fn tree_uint(def: &FieldDef, n: u64) -> u64 {
    if std::ptr::eq(def, &super::ipv4::IP_FRAG_OFFSET) { n.saturating_mul(8) } else { n }
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

/// The local time zone tshark prints absolute times in: the `TZ` environment variable, else
/// the system's (read once).
pub fn local_zone() -> &'static jiff::tz::TimeZone {
    static TZ: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    TZ.get_or_init(|| {
        // Without `TZ`, the system's zone file itself: jiff's own lookup starts by listing
        // the whole zone database (some 1,200 files, a millisecond at every start).
        if std::env::var_os("TZ").is_none()
            && let Ok(data) = std::fs::read("/etc/localtime")
            && let Ok(zone) = jiff::tz::TimeZone::tzif("localtime", &data)
        {
            return zone;
        }
        jiff::tz::TimeZone::system()
    })
}

/// Seconds east of UTC of the local zone ([`local_zone`]) at `secs` since the epoch.
pub fn local_offset(secs: i64) -> i64 {
    jiff::Timestamp::new(secs, 0).map_or(0, |ts| i64::from(local_zone().to_offset(ts).seconds()))
}

/// tshark's absolute time, in local time with the zone's abbreviation:
/// `Jan  7, 2010 19:38:34.341715000 UTC` (`… KST` under `TZ=Asia/Seoul`).
pub fn push_abs_time(out: &mut String, t: Timestamp) {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    // The text up to the second (`Jan  7, 2010 19:38:34.`) and the zone's abbreviation for
    // the last second seen, kept for the next frames (most share their second with the
    // frame before).
    thread_local! {
        static LAST: std::cell::RefCell<Option<(i64, String, String)>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| {
        if last.as_ref().is_none_or(|(s, _, _)| *s != t.secs) {
            let (offset, abbrev) = match jiff::Timestamp::new(t.secs, 0) {
                Ok(ts) => {
                    let info = local_zone().to_offset_info(ts);
                    (info.offset().seconds() as i64, info.abbreviation().to_owned())
                }
                Err(_) => (0, "UTC".to_owned()),
            };
            let secs = t.secs.saturating_add(offset);
            let rem = secs.rem_euclid(86_400);
            let (year, month, day) = civil(secs);
            let mut head = String::with_capacity(32);
            head.push_str(MONTHS[(month as usize).clamp(1, 12) - 1]);
            head.push(' ');
            if day < 10 {
                head.push(' ');
            }
            let mut b = itoa::Buffer::new();
            head.push_str(b.format(day));
            head.push_str(", ");
            head.push_str(b.format(year));
            head.push(' ');
            for (k, v) in [rem / 3600, rem % 3600 / 60, rem % 60].into_iter().enumerate() {
                if k > 0 {
                    head.push(':');
                }
                if v < 10 {
                    head.push('0');
                }
                head.push_str(b.format(v));
            }
            head.push('.');
            *last = Some((t.secs, head, abbrev));
        }
        let Some((_, head, abbrev)) = last.as_ref() else { return };
        out.push_str(head);
        push_nine(out, t.nanos as u64);
        out.push(' ');
        out.push_str(abbrev);
    });
}

/// `n` (below 10^9) as nine digits with leading zeros; larger values whole, as `{:09}`.
fn push_nine(out: &mut String, n: u64) {
    let mut b = itoa::Buffer::new();
    match n.checked_add(1_000_000_000) {
        // Below 10^9: a 1 in front keeps the leading zeros, then it is cut off.
        Some(m) if n < 1_000_000_000 => out.push_str(b.format(m).get(1..).unwrap_or("000000000")),
        _ => out.push_str(b.format(n)),
    }
}

/// A floating-point value as Wireshark prints one (C's `%g`): digits as they are, but under
/// 0.0001 the exponent form with two digits at least (`5e-05`).
pub fn push_float(out: &mut String, f: f64) {
    if f != 0.0 && f.is_finite() && f.abs() < 1e-4 {
        let s = format!("{f:e}");
        if let Some((mantissa, exp)) = s.split_once('e') {
            out.push_str(mantissa);
            out.push('e');
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            out.push(sign);
            if digits.len() < 2 {
                out.push('0');
            }
            out.push_str(digits);
            return;
        }
    }
    let _ = write!(out, "{f}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_through_the_buffer_equals_byte_by_byte() {
        let bytes: Vec<u8> = (0..100u8).map(|b| b.wrapping_mul(37)).collect();
        for n in [0, 1, 2, 31, 32, 33, 63, 64, 65, 100] {
            let b = &bytes[..n];
            let plain: String = b.iter().map(|x| format!("{x:02x}")).collect();
            let colon = b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":");
            let mut got = String::from("x");
            push_hex(&mut got, b);
            assert_eq!(got, format!("x{plain}"), "{n} bytes");
            let mut got = String::from("x");
            push_colon_hex(&mut got, b);
            assert_eq!(got, format!("x{colon}"), "{n} bytes, colons");
        }
    }
}
