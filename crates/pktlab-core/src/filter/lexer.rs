//! Splits display-filter text into tokens, each tagged with its 0-based character column and
//! character length, so every later error can point at the exact place.
//!
//! The token set is tshark 4.0's: punctuation operators (`== != === !== ~= ~ < > <= >= && ||
//! ! &`), the word operators (`eq ne lt gt le ge and or not contains matches in any_eq all_eq
//! any_ne all_ne`, lower case only), quoted strings with C escapes (`"a\x41"`, raw `r"\d"`),
//! character constants (`'a'`), slices (`[0:3]`, kept as their raw text) and "unparsed" words:
//! runs of letters, digits and `_ . : / -` that later become a field name, a number, an
//! address or a byte string depending on where they stand. A word stops before `..` so that
//! `{1024..2048}` lexes as a range.

/// A comparison operator, after aliases are folded (`eq` = `==`, `~=` = `!==`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    /// `==`, `eq`, `any_eq`: some occurrence is equal.
    Eq,
    /// `!=`, `ne`, `all_ne`: every occurrence differs (tshark ≥ 3.6).
    Ne,
    /// `===`, `all_eq`: every occurrence is equal.
    AllEq,
    /// `!==`, `~=`, `any_ne`: some occurrence differs (the pre-3.6 meaning of `!=`).
    AnyNe,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// The operator seen from the other side (`5 < x` is `x > 5`).
    pub(crate) fn mirrored(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }

    pub(crate) fn is_ordering(self) -> bool {
        matches!(self, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    DotDot,
    /// `&`: bitwise-and test.
    BitAnd,
    /// Arithmetic `+`, `*`, `%` (`-` and `/` arrive as the words "-" and "/").
    Plus,
    Star,
    Percent,
    /// `#`: the layer operator (`ip.addr#2`).
    Hash,
    /// `${name}`: a field reference.
    FieldRef(String),
    And,
    Or,
    Not,
    Cmp(CmpOp),
    Contains,
    Matches,
    In,
    /// An unquoted word: field name, number, address, byte string, value name.
    Word(String),
    /// A quoted string, escapes resolved (may hold any bytes).
    Str(Vec<u8>),
    /// A character constant `'a'`, as its code point.
    Char(u32),
    /// The inside of `[...]` after a field, unparsed.
    Slice(String),
    End,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub tok: Tok,
    /// 0-based character column.
    pub col: usize,
    /// Length in characters (at least 1).
    pub len: usize,
}

/// A lexing failure: 0-based column, length, message.
#[derive(Debug)]
pub(crate) struct LexError {
    pub col: usize,
    pub len: usize,
    pub message: String,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '/' | '-')
}

/// Tokenizes the whole filter; the last token is always [`Tok::End`].
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let peek = |k: usize| chars.get(i + k).copied();
        let (tok, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            '{' => (Tok::LBrace, 1),
            '}' => (Tok::RBrace, 1),
            ',' => (Tok::Comma, 1),
            '.' if peek(1) == Some('.') => (Tok::DotDot, 2),
            '=' if peek(1) == Some('=') && peek(2) == Some('=') => (Tok::Cmp(CmpOp::AllEq), 3),
            '=' if peek(1) == Some('=') => (Tok::Cmp(CmpOp::Eq), 2),
            '=' => {
                return Err(LexError {
                    col: start,
                    len: 1,
                    message: "\"=\" is not an operator; use \"==\" to compare".into(),
                });
            }
            '!' if peek(1) == Some('=') && peek(2) == Some('=') => (Tok::Cmp(CmpOp::AnyNe), 3),
            '!' if peek(1) == Some('=') => (Tok::Cmp(CmpOp::Ne), 2),
            '!' => (Tok::Not, 1),
            '~' if peek(1) == Some('=') => (Tok::Cmp(CmpOp::AnyNe), 2),
            '~' => (Tok::Matches, 1),
            '<' if peek(1) == Some('=') => (Tok::Cmp(CmpOp::Le), 2),
            '<' => (Tok::Cmp(CmpOp::Lt), 1),
            '>' if peek(1) == Some('=') => (Tok::Cmp(CmpOp::Ge), 2),
            '>' => (Tok::Cmp(CmpOp::Gt), 1),
            '+' => (Tok::Plus, 1),
            '*' => (Tok::Star, 1),
            '%' => (Tok::Percent, 1),
            '#' => (Tok::Hash, 1),
            '$' if peek(1) == Some('{') => {
                let Some(close) = chars[i..].iter().position(|&c| c == '}') else {
                    return Err(LexError { col: start, len: chars.len() - start, message: "the field reference \"${\" is never closed with \"}\"".into() });
                };
                let inner: String = chars[i + 2..i + close].iter().collect();
                (Tok::FieldRef(inner.trim().to_owned()), close + 1)
            }
            '&' if peek(1) == Some('&') => (Tok::And, 2),
            '&' => (Tok::BitAnd, 1),
            '|' if peek(1) == Some('|') => (Tok::Or, 2),
            '|' => {
                return Err(LexError {
                    col: start,
                    len: 1,
                    message: "\"|\" is not an operator; use \"||\" or \"or\"".into(),
                });
            }
            '"' => {
                let (bytes, end) = lex_string(&chars, i + 1, false)?;
                (Tok::Str(bytes), end - start)
            }
            'r' | 'R' if peek(1) == Some('"') => {
                let (bytes, end) = lex_string(&chars, i + 2, true)?;
                (Tok::Str(bytes), end - start)
            }
            '\'' => {
                let (cp, end) = lex_char(&chars, i)?;
                (Tok::Char(cp), end - start)
            }
            '[' => {
                let Some(close) = chars[i..].iter().position(|&c| c == ']') else {
                    return Err(LexError {
                        col: start,
                        len: chars.len() - start,
                        message: "the slice \"[\" is never closed with \"]\"".into(),
                    });
                };
                let inner: String = chars[i + 1..i + close].iter().collect();
                (Tok::Slice(inner), close + 1)
            }
            c if is_word_char(c) => {
                let mut j = i;
                while j < chars.len() && is_word_char(chars[j]) {
                    if chars[j] == '.' && chars.get(j + 1) == Some(&'.') {
                        break;
                    }
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                (keyword(&word).unwrap_or(Tok::Word(word)), j - i)
            }
            other => {
                return Err(LexError {
                    col: start,
                    len: 1,
                    message: format!("unexpected character \"{other}\""),
                });
            }
        };
        out.push(Token { tok, col: start, len });
        i = start + len;
    }
    out.push(Token { tok: Tok::End, col: chars.len(), len: 1 });
    Ok(out)
}

fn keyword(word: &str) -> Option<Tok> {
    Some(match word {
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        "eq" | "any_eq" => Tok::Cmp(CmpOp::Eq),
        "ne" | "all_ne" => Tok::Cmp(CmpOp::Ne),
        "all_eq" => Tok::Cmp(CmpOp::AllEq),
        "any_ne" => Tok::Cmp(CmpOp::AnyNe),
        "lt" => Tok::Cmp(CmpOp::Lt),
        "le" => Tok::Cmp(CmpOp::Le),
        "gt" => Tok::Cmp(CmpOp::Gt),
        "ge" => Tok::Cmp(CmpOp::Ge),
        "contains" => Tok::Contains,
        "matches" => Tok::Matches,
        "in" => Tok::In,
        _ => return None,
    })
}

/// Reads a string body starting after the opening quote; returns the bytes and the index just
/// past the closing quote. Raw strings keep backslashes (a `\"` does not end them).
fn lex_string(chars: &[char], mut i: usize, raw: bool) -> Result<(Vec<u8>, usize), LexError> {
    let open = if raw { i - 2 } else { i - 1 };
    let mut out = Vec::new();
    let mut utf8 = [0u8; 4];
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(LexError {
                col: open,
                len: chars.len() - open,
                message: "the string is never closed: the final quote is missing".into(),
            });
        };
        match c {
            '"' => return Ok((out, i + 1)),
            '\\' if raw => {
                out.push(b'\\');
                if chars.get(i + 1) == Some(&'"') {
                    out.push(b'"');
                    i += 1;
                }
                i += 1;
            }
            '\\' => {
                let (byte_or_char, next) = lex_escape(chars, i)?;
                match byte_or_char {
                    Escaped::Byte(b) => out.push(b),
                    Escaped::Char(ch) => out.extend_from_slice(ch.encode_utf8(&mut utf8).as_bytes()),
                }
                i = next;
            }
            c => {
                out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                i += 1;
            }
        }
    }
}

enum Escaped {
    Byte(u8),
    Char(char),
}

/// Reads the escape sequence at `chars[i] == '\\'`; returns it and the index after it.
fn lex_escape(chars: &[char], i: usize) -> Result<(Escaped, usize), LexError> {
    let bad = |len: usize, what: String| LexError { col: i, len, message: what };
    let Some(&e) = chars.get(i + 1) else {
        return Err(bad(1, "the string is never closed: the final quote is missing".into()));
    };
    let simple = |b: u8| Ok((Escaped::Byte(b), i + 2));
    match e {
        '\\' => simple(b'\\'),
        '"' => simple(b'"'),
        '\'' => simple(b'\''),
        'n' => simple(b'\n'),
        't' => simple(b'\t'),
        'r' => simple(b'\r'),
        'a' => simple(0x07),
        'b' => simple(0x08),
        'f' => simple(0x0c),
        'v' => simple(0x0b),
        'x' => {
            let digits: String =
                chars[i + 2..].iter().take(2).take_while(|c| c.is_ascii_hexdigit()).collect();
            match u8::from_str_radix(&digits, 16) {
                Ok(b) => Ok((Escaped::Byte(b), i + 2 + digits.len())),
                Err(_) => Err(bad(2, "\\x must be followed by one or two hex digits".into())),
            }
        }
        '0'..='7' => {
            let digits: String =
                chars[i + 1..].iter().take(3).take_while(|c| ('0'..='7').contains(c)).collect();
            match u8::from_str_radix(&digits, 8) {
                Ok(b) => Ok((Escaped::Byte(b), i + 1 + digits.len())),
                Err(_) => Err(bad(1 + digits.len(), format!("\\{digits} is out of range for a byte"))),
            }
        }
        'u' | 'U' => {
            let want = if e == 'u' { 4 } else { 8 };
            let digits: String =
                chars[i + 2..].iter().take(want).take_while(|c| c.is_ascii_hexdigit()).collect();
            let ch = u32::from_str_radix(&digits, 16).ok().filter(|_| digits.len() == want).and_then(char::from_u32);
            match ch {
                Some(ch) => Ok((Escaped::Char(ch), i + 2 + want)),
                None => Err(bad(2 + digits.len(), format!("\\{e} must be followed by {want} hex digits of a valid character"))),
            }
        }
        other => Err(bad(2, format!("\\{other} is not a valid escape sequence"))),
    }
}

/// Reads a character constant starting at the opening `'`.
fn lex_char(chars: &[char], i: usize) -> Result<(u32, usize), LexError> {
    let unclosed = || LexError {
        col: i,
        len: chars.len() - i,
        message: "the character constant is never closed: the final ' is missing".into(),
    };
    let (cp, next) = match chars.get(i + 1) {
        None => return Err(unclosed()),
        Some('\\') => match lex_escape(chars, i + 1)? {
            (Escaped::Byte(b), n) => (b as u32, n),
            (Escaped::Char(c), n) => (c as u32, n),
        },
        Some('\'') => {
            return Err(LexError { col: i, len: 2, message: "empty character constant".into() });
        }
        Some(&c) => (c as u32, i + 2),
    };
    match chars.get(next) {
        Some('\'') => Ok((cp, next + 1)),
        Some(_) => Err(LexError {
            col: i,
            len: next + 1 - i,
            message: "a character constant holds one character; use \"...\" for strings".into(),
        }),
        None => Err(unclosed()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).map(|v| v.into_iter().map(|t| t.tok).collect()).unwrap_or_default()
    }

    #[test]
    fn operators_and_words() {
        assert_eq!(
            toks("tcp.port==80&&!udp"),
            vec![
                Tok::Word("tcp.port".into()),
                Tok::Cmp(CmpOp::Eq),
                Tok::Word("80".into()),
                Tok::And,
                Tok::Not,
                Tok::Word("udp".into()),
                Tok::End
            ]
        );
        assert_eq!(toks("a ~= b")[1], Tok::Cmp(CmpOp::AnyNe));
        assert_eq!(toks("a !== b")[1], Tok::Cmp(CmpOp::AnyNe));
        assert_eq!(toks("a === b")[1], Tok::Cmp(CmpOp::AllEq));
        assert_eq!(toks("a ~ b")[1], Tok::Matches);
    }

    #[test]
    fn ranges_split_words() {
        assert_eq!(
            toks("{1024..2048}"),
            vec![Tok::LBrace, Tok::Word("1024".into()), Tok::DotDot, Tok::Word("2048".into()), Tok::RBrace, Tok::End]
        );
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(toks(r#""a\x41\101\n\"""#)[0], Tok::Str(b"aAA\n\"".to_vec()));
        assert_eq!(toks(r#"r"\d+\"""#)[0], Tok::Str(br#"\d+\""#.to_vec()));
        assert_eq!(toks("'a'")[0], Tok::Char(97));
        assert!(lex(r#""\q""#).is_err());
        assert!(lex(r#""abc"#).is_err());
    }

    #[test]
    fn slices_and_columns() {
        let t = lex("eth.src[0:3] == 00:11:22").unwrap_or_default();
        assert_eq!(t[1].tok, Tok::Slice("0:3".into()));
        assert_eq!((t[1].col, t[1].len), (7, 5));
        assert_eq!(t[3].col, 16);
    }
}
