//! JSON (`json`): an HTTP body of a JSON media type (`application/json`...), as tshark 4.0's
//! dissector shows it: each object, array and member as a subtree, each value with its path
//! (`[Path with value: /players/[]:12]`), the member's key and path after its value.
//!
//! tshark reads the body with a grammar (its `tvbparse` library), one top-level object or
//! array after another, whitespace skipped before and after each part. A value that does not
//! parse whole adds nothing; the bytes from there on go to line-based text. The reader here
//! follows that grammar part for part, down to its depth limit (100 nested parts: a deeper
//! document does not parse at all, and nothing after it does either), so that what it accepts
//! and where each part starts and ends are tshark's.

use super::model::*;
use super::{Ctx, data};

pub static JSON_OBJECT: FieldDef = FieldDef::new("json.object", "Object", FieldType::None, Base::None);
pub static JSON_ARRAY: FieldDef = FieldDef::new("json.array", "Array", FieldType::None, Base::None);
pub static JSON_MEMBER: FieldDef = FieldDef::new("json.member", "Member", FieldType::Str, Base::None);
pub static JSON_KEY: FieldDef = FieldDef::new("json.key", "Key", FieldType::Str, Base::None);
pub static JSON_PATH: FieldDef = FieldDef::new("json.path", "Path", FieldType::Str, Base::None);
pub static JSON_PATH_WITH_VALUE: FieldDef = FieldDef::new("json.path_with_value", "Path with value", FieldType::Str, Base::None);
pub static JSON_MEMBER_WITH_VALUE: FieldDef = FieldDef::new("json.member_with_value", "Member with value", FieldType::Str, Base::None);
pub static JSON_VALUE_STRING: FieldDef = FieldDef::new("json.value.string", "String value", FieldType::Str, Base::None);
pub static JSON_VALUE_NUMBER: FieldDef = FieldDef::new("json.value.number", "Number value", FieldType::Str, Base::None);
pub static JSON_VALUE_FALSE: FieldDef = FieldDef::new("json.value.false", "False value", FieldType::None, Base::None);
pub static JSON_VALUE_NULL: FieldDef = FieldDef::new("json.value.null", "Null value", FieldType::None, Base::None);
pub static JSON_VALUE_TRUE: FieldDef = FieldDef::new("json.value.true", "True value", FieldType::None, Base::None);
pub static JSON_VALUE_NAN: FieldDef = FieldDef::new("json.value.nan", "NaN value", FieldType::None, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &JSON_OBJECT, &JSON_ARRAY, &JSON_MEMBER, &JSON_KEY, &JSON_PATH, &JSON_PATH_WITH_VALUE, &JSON_MEMBER_WITH_VALUE, &JSON_VALUE_STRING, &JSON_VALUE_NUMBER,
    &JSON_VALUE_FALSE, &JSON_VALUE_NULL, &JSON_VALUE_TRUE, &JSON_VALUE_NAN,
];

/// The media types tshark hands to its JSON dissector.
pub(crate) const MEDIA_TYPES: &[&str] = &[
    "application/json", "application/senml+json", "application/sensml+json", "application/json-rpc", "application/jsonrequest", "application/dds-web+json",
    "application/vnd.oma.lwm2m+json", "application/problem+json", "application/merge-patch+json", "application/json-patch+json", "application/x-ndjson",
];

/// tshark's grammar gives up past this many nested parts (`TVBPARSE_MAX_RECURSION_DEPTH`).
const MAX_DEPTH: u32 = 100;

/// A part of the document, in the order tshark's callbacks see them; `end` of an object,
/// array or member is filled in once its last part is read.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Part {
    Object { start: usize, end: usize },
    ObjectEnd,
    Array { start: usize, end: usize },
    ArrayEnd,
    /// A member from its key's opening quote to its value's end; the key with its quotes.
    Member { start: usize, end: usize, key: (usize, usize) },
    MemberEnd,
    /// A scalar value (its bytes, quotes included for a string).
    Value { kind: Kind, start: usize, end: usize },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    String,
    Number,
    False,
    Null,
    True,
    NaN,
}

/// The reader: the bytes, the parts read so far, tshark's depth count and whether it ran out.
struct Reader<'a> {
    b: &'a [u8],
    parts: Vec<Part>,
    depth: u32,
    /// Past the depth limit once. A part that goes past it fails, and so does every part
    /// around it (JSON's syntax leaves no other way to read those bytes), up to the
    /// top-level value, after which tshark reads nothing more: everything fails from here.
    spent: bool,
}

impl Reader<'_> {
    /// Enters a combining part of the grammar (one-of, sequence, repetition).
    fn enter(&mut self) -> bool {
        if self.spent {
            return false;
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.spent = true;
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// The whitespace tshark skips (space, tab, CR, LF) from `at`.
    fn skip(&self, mut at: usize) -> usize {
        while matches!(self.b.get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            at += 1;
        }
        at
    }

    /// A sequence of `items` from `at`: whitespace is skipped after each; returns where it
    /// ends (after that whitespace) and the span of its parts (from the first's start to
    /// the end of the last that has bytes), or `None` (the parts it read are dropped).
    fn seq(&mut self, at: usize, items: &[Item]) -> Option<(usize, (usize, usize))> {
        if at > self.b.len() || !self.enter() {
            return None;
        }
        let mark = self.parts.len();
        let mut pos = at;
        let mut span: Option<(usize, usize)> = None;
        for item in items {
            let Some((next, (s, e))) = self.item(pos, *item) else {
                self.parts.truncate(mark);
                self.leave();
                return None;
            };
            span = Some(match span {
                None => (s, e),
                Some((s0, e0)) => (s0, if e > s { e } else { e0 }),
            });
            pos = self.skip(next);
        }
        self.leave();
        Some((pos, span.unwrap_or((at, at))))
    }

    fn item(&mut self, at: usize, item: Item) -> Option<(usize, (usize, usize))> {
        match item {
            Item::Char(c) => (self.b.get(at) == Some(&c)).then_some((at + 1, (at, at + 1))),
            Item::Members => self.repeat_list(at, true),
            Item::Values => self.repeat_list(at, false),
        }
    }

    /// `[ member *( "," member ) ]` (or the same of values): tshark's optional repetition
    /// around a sequence of the first and a repetition of the rest.
    fn repeat_list(&mut self, at: usize, members: bool) -> Option<(usize, (usize, usize))> {
        // The optional part (a repetition of at most one).
        if at > self.b.len() || !self.enter() {
            return None;
        }
        let got = self.list(at, members);
        self.leave();
        Some(got.unwrap_or((at, (at, at))))
    }

    /// `member *( "," member )` as one sequence.
    fn list(&mut self, at: usize, members: bool) -> Option<(usize, (usize, usize))> {
        if at > self.b.len() || !self.enter() {
            return None;
        }
        let mark = self.parts.len();
        let first = if members { self.member(at) } else { self.value(at) };
        let Some((mut pos, (s, mut e))) = first else {
            self.parts.truncate(mark);
            self.leave();
            return None;
        };
        pos = self.skip(pos);
        // The repetition of `"," part`, each its own sequence.
        if pos > self.b.len() || !self.enter() {
            self.parts.truncate(mark);
            self.leave();
            return None;
        }
        loop {
            if pos > self.b.len() {
                // (tshark's repetition fails outright here.)
                self.parts.truncate(mark);
                self.leave();
                self.leave();
                return None;
            }
            let before = self.parts.len();
            let Some(next) = self.comma_then(pos, members) else {
                self.parts.truncate(before);
                break;
            };
            e = next.1 .1.max(e);
            pos = next.0;
        }
        self.leave();
        let pos = self.skip(pos);
        self.leave();
        Some((pos, (s, e)))
    }

    /// `"," part` as a sequence.
    fn comma_then(&mut self, at: usize, members: bool) -> Option<(usize, (usize, usize))> {
        if at > self.b.len() || !self.enter() {
            return None;
        }
        if self.b.get(at) != Some(&b',') {
            self.leave();
            return None;
        }
        let pos = self.skip(at + 1);
        let got = if members { self.member(pos) } else { self.value(pos) };
        self.leave();
        let (next, (_, e)) = got?;
        Some((self.skip(next), (at, e)))
    }

    /// `member = string ":" value`.
    fn member(&mut self, at: usize) -> Option<(usize, (usize, usize))> {
        if at > self.b.len() || !self.enter() {
            return None;
        }
        let mark = self.parts.len();
        self.parts.push(Part::Member { start: at, end: at, key: (at, at) });
        let got = (|| {
            let (pos, key) = self.string(at)?;
            let pos = self.skip(pos);
            if self.b.get(pos) != Some(&b':') {
                return None;
            }
            let pos = self.skip(pos + 1);
            let (pos, (_, e)) = self.value(pos)?;
            Some((self.skip(pos), key, e))
        })();
        self.leave();
        let Some((pos, key, end)) = got else {
            self.parts.truncate(mark);
            return None;
        };
        if let Some(Part::Member { end: e, key: k, .. }) = self.parts.get_mut(mark) {
            *e = end;
            *k = key;
        }
        self.parts.push(Part::MemberEnd);
        Some((pos, (at, end)))
    }

    /// `value = false / null / true / NaN / object / array / number / string`, tried in
    /// that order.
    fn value(&mut self, at: usize) -> Option<(usize, (usize, usize))> {
        if at > self.b.len() || !self.enter() {
            return None;
        }
        let literal = [(&b"false"[..], Kind::False), (b"null", Kind::Null), (b"true", Kind::True), (b"NaN", Kind::NaN)].into_iter().find(|(w, _)| self.b.get(at..at + w.len()) == Some(*w));
        let got = if let Some((w, kind)) = literal {
            self.parts.push(Part::Value { kind, start: at, end: at + w.len() });
            Some((at + w.len(), (at, at + w.len())))
        } else {
            let mark = self.parts.len();
            let mut got = self.object(at).or_else(|| self.array(at));
            if got.is_none() {
                self.parts.truncate(mark);
                got = self.number(at).map(|(p, span)| {
                    self.parts.push(Part::Value { kind: Kind::Number, start: span.0, end: span.1 });
                    (p, span)
                });
            }
            if got.is_none() {
                got = self.string(at).map(|(p, span)| {
                    self.parts.push(Part::Value { kind: Kind::String, start: span.0, end: span.1 });
                    (p, span)
                });
            }
            got
        };
        self.leave();
        got
    }

    /// `object = "{" [ members ] "}"`.
    fn object(&mut self, at: usize) -> Option<(usize, (usize, usize))> {
        self.bracketed(at, false)
    }

    /// `array = "[" [ values ] "]"`.
    fn array(&mut self, at: usize) -> Option<(usize, (usize, usize))> {
        self.bracketed(at, true)
    }

    /// An object or an array: its bracket, its members or values, its closing bracket.
    fn bracketed(&mut self, at: usize, array: bool) -> Option<(usize, (usize, usize))> {
        let mark = self.parts.len();
        let (part, items, end_part) = if array {
            (Part::Array { start: at, end: at }, [Item::Char(b'['), Item::Values, Item::Char(b']')], Part::ArrayEnd)
        } else {
            (Part::Object { start: at, end: at }, [Item::Char(b'{'), Item::Members, Item::Char(b'}')], Part::ObjectEnd)
        };
        self.parts.push(part);
        let Some((pos, (s, e))) = self.seq(at, &items) else {
            self.parts.truncate(mark);
            return None;
        };
        if let Some(Part::Object { start, end } | Part::Array { start, end }) = self.parts.get_mut(mark) {
            (*start, *end) = (s, e);
        }
        self.parts.push(end_part);
        Some((pos, (s, e)))
    }

    /// Runs `f` one grammar level deeper (`enter`, then `leave` when it returns).
    fn deeper<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if !self.enter() {
            return None;
        }
        let got = f(self);
        self.leave();
        got
    }

    /// An optional sequence (`[ frac ]`): tshark's repetition of at most one around it, a
    /// level each; `Some(None)` when it is not there, `None` past the depth limit.
    fn optional<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        self.deeper(|r| Some(r.deeper(f)))
    }

    /// The digits from `p`.
    fn digits(&self, p: usize) -> usize {
        self.b.get(p..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    }

    /// `number = [ "-" ] int [ frac ] [ exp ]`, a sequence (whitespace between its parts is
    /// skipped, as tshark's grammar does): `int = "0" / digit1-9 [ *DIGIT ]`, `frac = "."
    /// 1*DIGIT`, `exp = ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT`, each optional part a
    /// repetition of at most one around its sequence. Returns where it ends and its span.
    fn number(&mut self, at: usize) -> Option<(usize, (usize, usize))> {
        self.deeper(|r| {
            // [ "-" ]
            r.deeper(|_| Some(()))?;
            let mut pos = at;
            if r.b.get(pos) == Some(&b'-') {
                pos += 1;
            }
            pos = r.skip(pos);
            // int: a one-of of "0" and a sequence (entered when the first is not "0").
            // (The sequence skips whitespace after its first digit too: `1 23` is one int.)
            let int_end = r.deeper(|r| match r.b.get(pos) {
                Some(b'0') => Some(pos + 1),
                _ => r.deeper(|r| match r.b.get(pos) {
                    Some(b'1'..=b'9') => r.deeper(|_| Some(())).map(|()| {
                        let p = r.skip(pos + 1);
                        match r.digits(p) {
                            0 => pos + 1,
                            d => p + d,
                        }
                    }),
                    _ => None,
                }),
            })?;
            pos = int_end;
            let mut end = pos;
            pos = r.skip(pos);
            // [ frac ]
            let frac = r.optional(|r| {
                if r.b.get(pos) != Some(&b'.') {
                    return None;
                }
                let p = r.skip(pos + 1);
                let d = r.digits(p);
                (d > 0).then_some(p + d)
            })?;
            if let Some(e) = frac {
                end = e;
                pos = r.skip(e);
            }
            // [ exp ]
            let exp = r.optional(|r| {
                if !matches!(r.b.get(pos), Some(b'e' | b'E')) {
                    return None;
                }
                let mut p = r.skip(pos + 1);
                // [ "-" / "+" ] (a repetition of at most one: its own level)
                r.deeper(|_| Some(()))?;
                if matches!(r.b.get(p), Some(b'-' | b'+')) {
                    p = r.skip(p + 1);
                }
                let d = r.digits(p);
                (d > 0).then_some(p + d)
            })?;
            if let Some(e) = exp {
                end = e;
                pos = r.skip(e);
            }
            Some((pos, (at, end)))
        })
    }

    /// `string = quote *( unescaped / escape ) quote`, a sequence around a repetition of a
    /// one-of: a run of bytes other than quote and backslash, or an escape (a sequence of a
    /// backslash and a one-of of `"\/bfnrt` and `u` with four hex digits, a sequence). The
    /// one-of tries the escape (one level deeper) wherever no run starts, the closing quote
    /// included. Returns where it ends and its span (quotes included).
    fn string(&mut self, at: usize) -> Option<(usize, (usize, usize))> {
        self.deeper(|r| {
            if r.b.get(at) != Some(&b'"') {
                return None;
            }
            let mut p = r.skip(at + 1);
            r.deeper(|r| {
                loop {
                    let step = r.deeper(|r| match r.b.get(p) {
                        Some(c) if *c != b'"' && *c != b'\\' => {
                            let n = r.b[p..].iter().take_while(|c| **c != b'"' && **c != b'\\').count();
                            Some(p + n)
                        }
                        _ => r.deeper(|r| {
                            if r.b.get(p) != Some(&b'\\') {
                                return None;
                            }
                            let q = r.skip(p + 1);
                            r.deeper(|r| match r.b.get(q) {
                                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Some(q + 1),
                                _ => r.deeper(|r| {
                                    if r.b.get(q) != Some(&b'u') {
                                        return None;
                                    }
                                    let h = r.skip(q + 1);
                                    r.b.get(h..h + 4).filter(|x| x.iter().all(u8::is_ascii_hexdigit)).map(|_| h + 4)
                                }),
                            })
                        }),
                    });
                    match step {
                        Some(next) => p = r.skip(next),
                        None => break,
                    }
                    if r.spent {
                        return None;
                    }
                }
                Some(())
            })?;
            if r.spent || r.b.get(p) != Some(&b'"') {
                return None;
            }
            Some((r.skip(p + 1), (at, p + 1)))
        })
    }
}

/// What a sequence is made of.
#[derive(Clone, Copy)]
enum Item {
    Char(u8),
    Members,
    Values,
}

/// Reads `b` as tshark does: top-level objects and arrays, one after another. Returns the
/// parts and where reading stopped (after the whitespace that follows the last).
fn read(b: &[u8]) -> (Vec<Part>, usize) {
    let mut r = Reader { b, parts: Vec::new(), depth: 0, spent: false };
    let mut at = 0;
    loop {
        let start = r.skip(at);
        // JSON-text = object / array (a one-of).
        if !r.enter() {
            break;
        }
        let mark = r.parts.len();
        let got = r.object(start).or_else(|| {
            r.parts.truncate(mark);
            r.array(start)
        });
        r.leave();
        match got {
            Some((next, _)) if next > at => at = next,
            _ => {
                r.parts.truncate(mark);
                break;
            }
        }
    }
    (r.parts, at)
}

/// A JSON string's content (between its quotes) unescaped as tshark does (bytes that are not
/// UTF-8 as U+FFFD); the tree's labels write its control characters as escapes.
fn unescape(raw: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c != b'\\' {
            bytes.push(c);
            i += 1;
            continue;
        }
        match raw.get(i + 1) {
            Some(&e @ (b'"' | b'\\' | b'/')) => bytes.push(e),
            Some(b'b') => bytes.push(8),
            Some(b'f') => bytes.push(12),
            Some(b'n') => bytes.push(b'\n'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'u') => {
                let code = raw.get(i + 2..i + 6).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u32::from_str_radix(h, 16).ok());
                // A surrogate pair written as two escapes is one character.
                let (ch, used) = match code {
                    Some(hi @ 0xd800..=0xdbff) => {
                        let lo = raw
                            .get(i + 6..i + 12)
                            .filter(|s| s.starts_with(b"\\u"))
                            .and_then(|s| std::str::from_utf8(&s[2..]).ok())
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .filter(|lo| (0xdc00..=0xdfff).contains(lo));
                        match lo {
                            Some(lo) => (char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)), 12),
                            None => (None, 6),
                        }
                    }
                    Some(c) => (char::from_u32(c), 6),
                    None => (None, 6),
                };
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(ch.unwrap_or(char::REPLACEMENT_CHARACTER).encode_utf8(&mut buf).as_bytes());
                i += used;
                continue;
            }
            _ => bytes.push(c),
        }
        i += 2;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Dissects `data[off..end]`, a body of JSON media type `media`, after the protocol before
/// it: the `JavaScript Object Notation: MEDIA` layer with every object, array, member and
/// value tshark shows, then (as tshark) the bytes it could not read as line-based text; the
/// protocol column becomes `HTTP/JSON`. The caller words the Info (tshark's `, JavaScript
/// Object Notation (MEDIA)` either way). Returns whether it read the body to its end.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize, media: &str) -> bool {
    dissect_as(cx, data, off, end, media, false)
}

/// [`dissect`] where the caller is (a multipart part): the protocol's item
/// (`JavaScript Object Notation: application/json`), the document under it.
pub(crate) fn dissect_nested(cx: &mut Ctx, data: &[u8], off: usize, end: usize, media: &str) -> bool {
    dissect_as(cx, data, off, end, media, true)
}

/// The protocol's item of `json` inside another's tree: its title is its value.
pub static JSON_PROTO: FieldDef = FieldDef::new("json", "JavaScript Object Notation", FieldType::None, Base::None).whole(data::protocol_item_label);

fn dissect_as(cx: &mut Ctx, data: &[u8], off: usize, end: usize, media: &str, nested: bool) -> bool {
    let end = end.min(data.len());
    let Some(body) = data.get(off..end) else { return false };
    let (parts, read_to) = read(body);
    if cx.in_error == 0 {
        // (tshark appends `/JSON` for each document: two JSON parts of an upload make
        // `HTTP/JSON/JSON`.)
        let proto = match cx.out.protocol {
            "HTTP" => "HTTP/JSON",
            "HTTP/JSON" if nested => "HTTP/JSON/JSON",
            "" => "JSON",
            _ => cx.out.protocol,
        };
        cx.set_protocol(proto);
    }
    let title = || format!("JavaScript Object Notation: {media}");
    let emit_all = |cx: &mut Ctx| {
        let mut paths = vec![(String::new(), String::new())];
        let mut i = 0;
        while i < parts.len() {
            i = emit(cx, body, off, &parts, i, &mut paths);
        }
    };
    if nested {
        cx.add_proto("json");
        cx.add(&JSON_PROTO, off, read_to, Value::Str(title().into_boxed_str()));
        cx.child(emit_all);
    } else {
        let li = cx.open("json", "JavaScript Object Notation", Osi::Application, off, read_to);
        if let Some(s) = cx.summary(li) {
            s.push_str(&title());
        }
        emit_all(cx);
        cx.close(li);
    }
    if read_to < body.len() {
        if nested {
            data::text_lines_nested(cx, data, off + read_to, end, media);
        } else {
            data::text_lines(cx, data, off + read_to, end, Some(media));
        }
        return false;
    }
    true
}

/// Adds part `i` (and, for an object, array or member, everything in it) under the current
/// item; returns the index after it. `paths` is tshark's stack of (path, key) pairs.
fn emit(cx: &mut Ctx, body: &[u8], off: usize, parts: &[Part], i: usize, paths: &mut Vec<(String, String)>) -> usize {
    let Some(part) = parts.get(i) else { return i + 1 };
    match *part {
        Part::Object { start, end } | Part::Array { start, end } => {
            let array = matches!(part, Part::Array { .. });
            cx.add(if array { &JSON_ARRAY } else { &JSON_OBJECT }, off + start, end - start, Value::None);
            if array {
                let base = paths.last().map(|(p, _)| p.clone()).unwrap_or_default();
                paths.push((format!("{base}/[]"), "[]".to_owned()));
            }
            let mut j = i + 1;
            cx.child(|cx| {
                while j < parts.len() && !matches!(parts[j], Part::ObjectEnd | Part::ArrayEnd) {
                    j = emit(cx, body, off, parts, j, paths);
                }
            });
            if array {
                paths.pop();
            }
            j + 1
        }
        Part::Member { start, end, key: (ks, ke) } => {
            let key = unescape(body.get(ks + 1..ke.saturating_sub(1)).unwrap_or(&[]));
            cx.add(&JSON_MEMBER, off + start, end - start, Value::Str(key.as_str().into()));
            let base = paths.last().map(|(p, _)| p.clone()).unwrap_or_default();
            let path = format!("{base}/{key}");
            paths.push((path.clone(), key.clone()));
            let mut j = i + 1;
            cx.child(|cx| {
                while j < parts.len() && parts[j] != Part::MemberEnd {
                    j = emit(cx, body, off, parts, j, paths);
                }
                cx.add(&JSON_KEY, off + ks, ke - ks, Value::Str(key.as_str().into()));
                cx.add_gen(&JSON_PATH, off + start, end - start, Value::Str(path.as_str().into()));
            });
            paths.pop();
            j + 1
        }
        Part::Value { kind, start, end } => {
            let raw = body.get(start..end).unwrap_or(&[]);
            let text = match kind {
                Kind::String => unescape(raw.get(1..raw.len().saturating_sub(1)).unwrap_or(&[])),
                _ => String::from_utf8_lossy(raw).into_owned(),
            };
            let (path, key) = paths.last().cloned().unwrap_or_default();
            let (at, len) = (off + start, end - start);
            cx.add_gen(&JSON_PATH_WITH_VALUE, at, len, Value::Str(format!("{path}:{text}").into_boxed_str()));
            cx.add_gen(&JSON_MEMBER_WITH_VALUE, at, len, Value::Str(format!("{key}:{text}").into_boxed_str()));
            match kind {
                Kind::String => cx.add(&JSON_VALUE_STRING, at, len, Value::Str(text.into_boxed_str())),
                Kind::Number => cx.add(&JSON_VALUE_NUMBER, at, len, Value::Str(text.into_boxed_str())),
                Kind::False => cx.add(&JSON_VALUE_FALSE, at, len, Value::None),
                Kind::Null => cx.add(&JSON_VALUE_NULL, at, len, Value::None),
                Kind::True => cx.add(&JSON_VALUE_TRUE, at, len, Value::None),
                Kind::NaN => cx.add(&JSON_VALUE_NAN, at, len, Value::None),
            };
            i + 1
        }
        Part::ObjectEnd | Part::ArrayEnd | Part::MemberEnd => i + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> (Vec<Part>, usize) {
        read(s.as_bytes())
    }

    #[test]
    fn objects_and_arrays_read_with_their_spans() {
        let (parts, to) = kinds("{\"a\": 1, \"b\": [1,2,3]}\n");
        assert_eq!(to, 23, "the whitespace after the last part is read too");
        assert_eq!(parts[0], Part::Object { start: 0, end: 22 });
        assert_eq!(parts[1], Part::Member { start: 1, end: 7, key: (1, 4) });
        assert_eq!(parts[2], Part::Value { kind: Kind::Number, start: 6, end: 7 });
        assert!(matches!(parts[4], Part::Member { start: 9, end: 21, .. }));
        assert_eq!(parts[5], Part::Array { start: 14, end: 21 });
        assert_eq!(parts.iter().filter(|p| matches!(p, Part::Value { .. })).count(), 4);
    }

    #[test]
    fn what_does_not_parse_leaves_nothing_and_stops_reading() {
        assert_eq!(kinds("{\"a\": 01}"), (vec![], 0));
        assert_eq!(kinds("{\"a\": tru}"), (vec![], 0));
        // The first document stays; the broken second one adds nothing.
        let (parts, to) = kinds("[true] {\"x\":");
        assert_eq!(to, 7);
        assert_eq!(parts.len(), 3);
        assert_eq!(kinds("\"just a string\""), (vec![], 0), "only objects and arrays at the top");
    }

    #[test]
    fn numbers_and_literals_as_the_grammar_takes_them() {
        let (parts, _) = kinds("[-0.5e+10, 0, NaN, null, false, \"x\\u00e9\\n\"]");
        let vals: Vec<Kind> = parts.iter().filter_map(|p| if let Part::Value { kind, .. } = p { Some(*kind) } else { None }).collect();
        assert_eq!(vals, [Kind::Number, Kind::Number, Kind::NaN, Kind::Null, Kind::False, Kind::String]);
        assert_eq!(unescape(b"x\\u00e9\\n"), "x\u{e9}\n");
        // The grammar skips whitespace between a number's parts: tshark reads `1 23` as one
        // number (and `0 1` as none: nothing follows a leading zero).
        assert_eq!(kinds("[1 23]").0[1], Part::Value { kind: Kind::Number, start: 1, end: 5 });
        assert!(kinds("[0 1]").0.is_empty());
        assert_eq!(unescape(b"\\ud83d\\ude00"), "\u{1f600}");
    }

    #[test]
    fn nesting_past_the_depth_limit_reads_nothing_from_there_on() {
        // tshark 4.0 reads 23 nested arrays and 19 nested objects, not 24 or 20 (HTTP bodies
        // recorded on loopback, its JSON tree compared).
        let nest = |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
        assert_eq!(kinds(&nest("[", "]", 23)).0.len(), 23 * 2 + 1);
        assert!(kinds(&nest("[", "]", 24)).0.is_empty());
        assert!(!kinds(&nest("{\"k\":", "}", 19)).0.is_empty());
        assert!(kinds(&nest("{\"k\":", "}", 20)).0.is_empty());
        let (parts, to) = kinds(&format!("[1] {} [2]", nest("[", "]", 24)));
        assert_eq!((parts.len(), to), (3, 4), "nothing after the limit is hit");
    }
}
