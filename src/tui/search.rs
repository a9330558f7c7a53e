//! Finding a frame, as Wireshark's Find Packet (Ctrl+F): by a string or hex bytes in the
//! frame's bytes, or by a display filter. The search walks the list in its shown order from
//! the selected row, a few milliseconds per tick (so a million frames never freeze the
//! screen), and wraps around at the end as Wireshark does.

use crate::filter::Filter;

/// What the search prompt's text means (Tab steps through them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SearchKind {
    /// Text in the frame's bytes, ASCII letters in either case (Wireshark's default).
    #[default]
    Text,
    /// Bytes written in hex: `de:ad:be:ef`, `de ad be ef`, `de-ad-be-ef`, `deadbeef` or `0xdeadbeef`.
    Hex,
    /// A display filter the frame must match.
    Filter,
}

impl SearchKind {
    pub fn next(self) -> SearchKind {
        match self {
            SearchKind::Text => SearchKind::Hex,
            SearchKind::Hex => SearchKind::Filter,
            SearchKind::Filter => SearchKind::Text,
        }
    }

    /// The `ui.txt` key part naming the kind (`tui.search.kind.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            SearchKind::Text => "text",
            SearchKind::Hex => "hex",
            SearchKind::Filter => "filter",
        }
    }
}

/// A compiled search.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// Bytes to find, ASCII letters matching either case (stored lower-case).
    Text(Vec<u8>),
    Bytes(Vec<u8>),
    Filter(Filter),
}

/// Why a search text is not a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    Empty,
    /// Not hex bytes: the offending piece.
    BadHex(String),
    /// The display filter does not compile: its message.
    BadFilter(String),
}

impl Pattern {
    pub fn parse(kind: SearchKind, text: &str) -> Result<Pattern, PatternError> {
        if text.trim().is_empty() {
            return Err(PatternError::Empty);
        }
        match kind {
            SearchKind::Text => Ok(Pattern::Text(text.as_bytes().to_ascii_lowercase())),
            SearchKind::Hex => parse_hex(text).map(Pattern::Bytes),
            SearchKind::Filter => Filter::compile(text).map(Pattern::Filter).map_err(|e| PatternError::BadFilter(e.to_string())),
        }
    }

    /// Whether `bytes` hold the text or byte pattern (filters are matched by the caller).
    pub fn in_bytes(&self, bytes: &[u8]) -> bool {
        match self {
            Pattern::Text(t) => contains(bytes, t, true),
            Pattern::Bytes(b) => contains(bytes, b, false),
            Pattern::Filter(_) => false,
        }
    }
}

/// Hex bytes in any of the usual spellings: pairs of hex digits, optionally separated by
/// `:`, `-`, `.` or spaces, with an optional leading `0x`.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, PatternError> {
    let t = text.trim();
    let t = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")).unwrap_or(t);
    let mut out = Vec::new();
    for piece in t.split([':', '-', '.', ' ']).filter(|p| !p.is_empty()) {
        let bad = || PatternError::BadHex(piece.to_string());
        if !piece.chars().all(|c| c.is_ascii_hexdigit()) || piece.len() % 2 == 1 && piece.len() > 1 {
            return Err(bad());
        }
        if piece.len() == 1 {
            out.push(u8::from_str_radix(piece, 16).map_err(|_| bad())?);
            continue;
        }
        for i in (0..piece.len()).step_by(2) {
            out.push(u8::from_str_radix(&piece[i..i + 2], 16).map_err(|_| bad())?);
        }
    }
    if out.is_empty() { Err(PatternError::BadHex(text.to_string())) } else { Ok(out) }
}

/// Whether `hay` contains `needle` (`fold`: ASCII letters of `hay` compared lower-cased;
/// `needle` is already lower-case).
fn contains(hay: &[u8], needle: &[u8], fold: bool) -> bool {
    let Some(&first) = needle.first() else { return false };
    if needle.len() > hay.len() {
        return false;
    }
    let eq = |a: u8, b: u8| if fold { a.to_ascii_lowercase() == b } else { a == b };
    (0..=hay.len() - needle.len()).any(|i| eq(hay[i], first) && hay[i + 1..i + needle.len()].iter().zip(&needle[1..]).all(|(&a, &b)| eq(a, b)))
}

/// A search walking the list: the row it looks at next and how many rows are left.
#[derive(Clone, Debug)]
pub struct SearchRun {
    pub pattern: Pattern,
    pub forward: bool,
    /// The next row to look at.
    pub row: usize,
    /// Rows still to look at (the whole list once, wrapping).
    pub left: usize,
    /// The walk went past the end (or start) and continued from the other end.
    pub wrapped: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_spellings() {
        let want = vec![0xde, 0xad, 0xbe, 0xef];
        for t in ["de:ad:be:ef", "de ad be ef", "de-ad-be-ef", "deadbeef", "0xDEADBEEF", "dead:beef"] {
            assert_eq!(parse_hex(t), Ok(want.clone()), "{t}");
        }
        assert_eq!(parse_hex("a"), Ok(vec![0xa]));
        assert_eq!(parse_hex("de:ag"), Err(PatternError::BadHex("ag".into())));
        assert_eq!(parse_hex("abc"), Err(PatternError::BadHex("abc".into())));
        assert!(parse_hex(":").is_err());
    }

    #[test]
    fn text_ignores_ascii_case_and_bytes_do_not() {
        let p = Pattern::parse(SearchKind::Text, "GET /").unwrap();
        assert!(p.in_bytes(b"xx get /index"));
        assert!(!p.in_bytes(b"xx ge"));
        let b = Pattern::parse(SearchKind::Hex, "47 45").unwrap();
        assert!(b.in_bytes(b"aGEt"));
        assert!(!b.in_bytes(b"get"));
        assert!(matches!(Pattern::parse(SearchKind::Filter, "tcp.prot == 1"), Err(PatternError::BadFilter(_))));
        assert_eq!(Pattern::parse(SearchKind::Text, "  ").err(), Some(PatternError::Empty));
    }
}
