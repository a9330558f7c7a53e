//! MIME multipart bodies (`multipart/form-data` uploads, `multipart/mixed`) as tshark 4.0's
//! `packet-multipart.c` reads them: the boundary from the Content-Type's parameters, an
//! optional preamble, each part with its MIME headers and its body, the boundaries, and a
//! trailer. A part's body of no type (or `application/octet-stream`) is data; a PNG or GIF
//! image (`image/png`, `image/gif`; ` (GIF89a)` in the Info), text read as lines, JSON and
//! XML show their trees inside the part's; one of a
//! type no tshark dissector takes is `Media Type`; one of a type tshark has another
//! dissector for (other images) shows only its headers here. A body whose boundary the
//! Content-Type leaves out is tshark's item at the top of the tree, then data.

use super::Ctx;
use super::http::ascii_text as text;
use super::model::*;

fn raw_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::label::push_shown(&String::from_utf8_lossy(cx.bytes()), out);
}

/// `Encapsulated multipart part:  (text/x-python)`: the empty value, then the part's type.
fn part_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    out.push_str("Encapsulated multipart part: ");
    if let Some(Value::Str(v)) = cx.children().find(|f| std::ptr::eq(f.def, &MIME_MULTIPART_HEADER_CONTENT_TYPE)).map(|f| &f.value) {
        out.push_str(" (");
        out.push_str(&part_type(v).0);
        out.push(')');
    }
}

pub static MIME_MULTIPART_TYPE: FieldDef = FieldDef::new("mime_multipart.type", "Type", FieldType::Str, Base::None);
pub static MIME_MULTIPART_PART: FieldDef = FieldDef::new("mime_multipart.part", "Encapsulated multipart part", FieldType::Str, Base::None).whole(part_label);
pub static MIME_MULTIPART_FIRST_BOUNDARY: FieldDef = FieldDef::new("mime_multipart.first_boundary", "First boundary", FieldType::Str, Base::None);
pub static MIME_MULTIPART_BOUNDARY: FieldDef = FieldDef::new("mime_multipart.boundary", "Boundary", FieldType::Str, Base::None);
pub static MIME_MULTIPART_LAST_BOUNDARY: FieldDef = FieldDef::new("mime_multipart.last_boundary", "Last boundary", FieldType::Str, Base::None);
pub static MIME_MULTIPART_PREAMBLE: FieldDef = FieldDef::new("mime_multipart.preamble", "Preamble", FieldType::Bytes, Base::None);
pub static MIME_MULTIPART_TRAILER: FieldDef = FieldDef::new("mime_multipart.trailer", "Trailer", FieldType::Bytes, Base::None);
pub static MIME_MULTIPART_HEADER_CONTENT_DESCRIPTION: FieldDef = FieldDef::new("mime_multipart.header.content-description", "Content-Description", FieldType::Str, Base::None).whole(raw_label);
pub static MIME_MULTIPART_HEADER_CONTENT_DISPOSITION: FieldDef = FieldDef::new("mime_multipart.header.content-disposition", "Content-Disposition", FieldType::Str, Base::None).whole(raw_label);
pub static MIME_MULTIPART_HEADER_CONTENT_ENCODING: FieldDef = FieldDef::new("mime_multipart.header.content-encoding", "Content-Encoding", FieldType::Str, Base::None).whole(raw_label);
pub static MIME_MULTIPART_HEADER_CONTENT_ID: FieldDef = FieldDef::new("mime_multipart.header.content-id", "Content-Id", FieldType::Str, Base::None).whole(raw_label);
pub static MIME_MULTIPART_HEADER_CONTENT_LANGUAGE: FieldDef = FieldDef::new("mime_multipart.header.content-language", "Content-Language", FieldType::Str, Base::None).whole(raw_label);
pub static MIME_MULTIPART_HEADER_CONTENT_LENGTH: FieldDef = FieldDef::new("mime_multipart.header.content-length", "Content-Length", FieldType::Str, Base::None).whole(raw_label);
pub static MIME_MULTIPART_HEADER_CONTENT_TRANSFER_ENCODING: FieldDef = FieldDef::new("mime_multipart.header.content-transfer-encoding", "Content-Transfer-Encoding", FieldType::Str, Base::None).whole(raw_label);
pub static MIME_MULTIPART_HEADER_CONTENT_TYPE: FieldDef = FieldDef::new("mime_multipart.header.content-type", "Content-Type", FieldType::Str, Base::None).whole(raw_label);
pub static MIME_MULTIPART_HEADER_ORIGINALCONTENT: FieldDef = FieldDef::new("mime_multipart.header.originalcontent", "Original Content-Type", FieldType::Str, Base::None).whole(raw_label);

/// The `media` protocol's item inside a part's tree (its `media.type` nests under it). Not
/// in the field registry: `media` names the protocol.
pub static MEDIA_PROTO: FieldDef = FieldDef::new("media", "Media Type", FieldType::None, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &MIME_MULTIPART_TYPE, &MIME_MULTIPART_PART, &MIME_MULTIPART_FIRST_BOUNDARY, &MIME_MULTIPART_BOUNDARY, &MIME_MULTIPART_LAST_BOUNDARY, &MIME_MULTIPART_PREAMBLE,
    &MIME_MULTIPART_TRAILER, &MIME_MULTIPART_HEADER_CONTENT_DESCRIPTION, &MIME_MULTIPART_HEADER_CONTENT_DISPOSITION, &MIME_MULTIPART_HEADER_CONTENT_ENCODING,
    &MIME_MULTIPART_HEADER_CONTENT_ID, &MIME_MULTIPART_HEADER_CONTENT_LANGUAGE, &MIME_MULTIPART_HEADER_CONTENT_LENGTH, &MIME_MULTIPART_HEADER_CONTENT_TRANSFER_ENCODING,
    &MIME_MULTIPART_HEADER_CONTENT_TYPE, &MIME_MULTIPART_HEADER_ORIGINALCONTENT, &MIME_MULTIPART_NO_REQUIRED_PARAMETER,
];

/// The part headers tshark knows, by name and compact name.
const HEADERS: &[(&str, Option<&str>, &FieldDef)] = &[
    ("content-description", None, &MIME_MULTIPART_HEADER_CONTENT_DESCRIPTION),
    ("content-disposition", None, &MIME_MULTIPART_HEADER_CONTENT_DISPOSITION),
    ("content-encoding", Some("e"), &MIME_MULTIPART_HEADER_CONTENT_ENCODING),
    ("content-id", None, &MIME_MULTIPART_HEADER_CONTENT_ID),
    ("content-language", None, &MIME_MULTIPART_HEADER_CONTENT_LANGUAGE),
    ("content-length", Some("l"), &MIME_MULTIPART_HEADER_CONTENT_LENGTH),
    ("content-transfer-encoding", None, &MIME_MULTIPART_HEADER_CONTENT_TRANSFER_ENCODING),
    ("content-type", Some("c"), &MIME_MULTIPART_HEADER_CONTENT_TYPE),
    ("originalcontent", None, &MIME_MULTIPART_HEADER_ORIGINALCONTENT),
];

/// A part's Content-Type value (compacted) as tshark splits it: the type before the first
/// `;`, lower case, and the parameters after it.
pub(crate) fn part_type(v: &str) -> (String, Option<&str>) {
    match v.split_once(';') {
        Some((t, p)) => (t.to_ascii_lowercase(), Some(p)),
        None => (v.to_ascii_lowercase(), None),
    }
}

/// A MIME header's lines as tshark's `unfold_and_compact_mime_header` cleans them: folded
/// lines joined, white space around `:`, `;`, `,` and `=` and at the end dropped, other runs
/// of it one space, quoted strings kept as they are (their quotes too); it stops at a line
/// end that does not fold. With where its first colon is.
pub(crate) fn compact(lines: &[u8]) -> (Vec<u8>, Option<usize>) {
    let mut out = Vec::with_capacity(lines.len());
    let (mut sep_seen, mut lws, mut colon) = (false, false, None);
    let mut p = 0;
    // (The string ends at a NUL byte, as tshark's C string does.)
    let at = |p: usize| lines.get(p).copied().filter(|&c| c != 0);
    while let Some(c) = at(p) {
        match c {
            b':' | b';' | b',' | b'=' => {
                lws = false;
                if c == b':' && colon.is_none() {
                    colon = Some(out.len());
                }
                out.push(c);
                sep_seen = true;
                p += 1;
            }
            b' ' | b'\t' => {
                lws = true;
                p += 1;
            }
            b'\n' | b'\r' => {
                let fold = if c == b'\r' && at(p + 1) == Some(b'\n') { 2 } else { 1 };
                match at(p + fold) {
                    Some(b' ' | b'\t') => {
                        lws = true;
                        p += fold + 1;
                    }
                    // (A line end at the string's end, or before another line: the end.)
                    _ => break,
                }
            }
            b'"' => {
                lws = false;
                out.push(c);
                p += 1;
                while let Some(q) = at(p) {
                    out.push(q);
                    p += 1;
                    if q == b'\\' {
                        match at(p) {
                            Some(e) => {
                                out.push(e);
                                p += 1;
                            }
                            None => break,
                        }
                    } else if q == b'"' {
                        break;
                    }
                }
            }
            _ => {
                if sep_seen {
                    sep_seen = false;
                } else if lws {
                    out.push(b' ');
                }
                lws = false;
                out.push(c);
                p += 1;
            }
        }
    }
    (out, colon)
}

/// A parameter's value as tshark's `ws_find_media_type_parameter` finds it (the name without
/// regard to case; a quoted value unquoted, its escapes undone), including its quirk: when
/// no parameter has the name, the last parameter's value comes back.
pub(crate) fn find_param(params: &[u8], key: &str) -> Option<Vec<u8>> {
    let at = |p: usize| params.get(p).copied().filter(|&c| c != 0);
    at(0)?;
    let mut p = 0;
    let mut value: Option<(usize, usize)>;
    loop {
        while at(p).is_some_and(|c| c.is_ascii_whitespace()) {
            p += 1;
        }
        at(p)?;
        let name = p;
        while at(p).is_some_and(|c| c != b'=' && c != b';') {
            p += 1;
        }
        let name_len = p - name;
        match at(p) {
            None => value = None,
            Some(b';') => {
                value = None;
                p += 1;
            }
            _ => {
                p += 1;
                let v = p;
                if at(p) == Some(b'"') {
                    p += 1;
                    while let Some(c) = at(p) {
                        if c == b'"' {
                            p += 1;
                            break;
                        }
                        if c == b'\\' {
                            p += 1;
                            if at(p).is_none() {
                                break;
                            }
                        }
                        p += 1;
                    }
                }
                while at(p).is_some_and(|c| c != b';') {
                    p += 1;
                }
                value = Some((v, p));
                if at(p).is_some() {
                    p += 1;
                }
            }
        }
        if name_len == key.len() && params[name..name + name_len].eq_ignore_ascii_case(key.as_bytes()) {
            break;
        }
        if at(p).is_none() {
            break;
        }
    }
    let (v, e) = value?;
    let raw = &params[v..e];
    let Some(quoted) = raw.strip_prefix(b"\"") else { return Some(raw.to_vec()) };
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = quoted.get(i) {
        if c == b'"' {
            break;
        }
        if c == b'\\' {
            i += 1;
            match quoted.get(i) {
                Some(&e) => out.push(e),
                None => break,
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    Some(out)
}

/// Whether `b` at `at` starts with `s` (false where the bytes run out).
fn has(b: &[u8], at: usize, s: &[u8]) -> bool {
    b.get(at..).is_some_and(|r| r.starts_with(s))
}

/// The first boundary line at or after a line start from `start` (tshark's
/// `find_first_boundary`): (its start, its length with its line end, whether it is the last).
fn first_boundary(b: &[u8], start: usize, boundary: &[u8]) -> Option<(usize, usize, bool)> {
    let n = boundary.len();
    let mut off = start;
    while off + 2 + n < b.len() {
        let (_, next) = super::http::line_end(b, off);
        if has(b, off, b"--") && has(b, off + 2, boundary) {
            let last = has(b, off + 2 + n, b"--");
            return Some((off, next - off, last));
        }
        off = next;
    }
    None
}

/// The next boundary after the line at `start` (tshark's `find_next_boundary`): a line end
/// and `--boundary`, or a line that ends in `--boundary--`. (Its start, its length, whether
/// it is the last.)
fn next_boundary(b: &[u8], start: usize, boundary: &[u8]) -> Option<(usize, usize, bool)> {
    let n = boundary.len();
    let mut off = start;
    while off + 2 + n < b.len() {
        let (len, next) = super::http::line_end(b, off);
        let bstart = off + len;
        if has(b, next, b"--") && has(b, next + 2, boundary) {
            let last = has(b, next + 2 + n, b"--");
            let (_, after) = super::http::line_end(b, next);
            return Some((bstart, after - bstart, last));
        }
        if bstart >= 4 + n && has(b, bstart - 2, b"--") && has(b, bstart - 2 - n, boundary) && has(b, bstart - 4 - n, b"--") {
            let s = bstart - 4 - n;
            return Some((s, next - s, true));
        }
        off = next;
    }
    None
}

/// Where a part's header field that starts at `off` ends (tshark's `imf_find_field_end`):
/// after its CR LF, folded lines included; and whether it is the last field (the bytes end,
/// or an empty line follows). None: no CR.
fn field_end(b: &[u8], mut off: usize) -> Option<(usize, bool)> {
    while off < b.len() {
        let cr = off + b[off..].iter().position(|&c| c == b'\r')?;
        off = cr + 1;
        if b.get(off) == Some(&b'\n') {
            off += 1;
            if off >= b.len() {
                return Some((off - 2, true));
            }
            match b[off] {
                b'\r' => return Some((off, b.get(off + 1) == Some(&b'\n'))),
                b' ' | b'\t' => {}
                _ => return Some((off, false)),
            }
        }
    }
    None
}

/// A multipart body at `data[a..b]` of type `mtype` with the Content-Type's parameters
/// `params`; returns what the parts' dissectors append to the Info (` (text/x-python)`).
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], a: usize, b: usize, mtype: &str, params: Option<&str>) -> String {
    let mut info = String::new();
    let b = b.min(data.len());
    let body = data.get(a..b).unwrap_or(&[]);
    let compacted = params.map(|p| compact(p.as_bytes()).0);
    let boundary = compacted.as_deref().and_then(|p| find_param(p, "boundary"));
    let protocol_ok = !mtype.starts_with("multipart/encrypted") || compacted.as_deref().and_then(|p| find_param(p, "protocol")).is_some();
    let Some(boundary) = boundary.filter(|_| protocol_ok) else {
        // (tshark's multipart dissector ran: it is in `frame.protocols`.)
        cx.add_proto("mime_multipart");
        no_required_parameter(cx, a);
        super::dispatch::data(cx, data, a, b);
        return info;
    };
    let li = cx.open("mime_multipart", "MIME Multipart Media Encapsulation", Osi::Application, a, b - a);
    let shown = String::from_utf8_lossy(&boundary).into_owned();
    if let Some(s) = cx.summary(li) {
        s.push_str("MIME Multipart Media Encapsulation, Type: ");
        s.push_str(mtype);
        s.push_str(", Boundary: \"");
        s.push_str(&shown);
        s.push('"');
    }
    cx.add_gen(&MIME_MULTIPART_TYPE, a, 0, Value::Str(mtype.into()));
    // The preamble and the first boundary.
    let (mut next, mut last) = match first_boundary(body, 0, &boundary) {
        Some((0, len, last)) => {
            cx.add(&MIME_MULTIPART_FIRST_BOUNDARY, a, len, Value::Str(text(&body[..len])));
            (len, last)
        }
        Some((s, len, last)) if len > 0 => {
            cx.add(&MIME_MULTIPART_PREAMBLE, a, s, Value::Bytes);
            cx.add(&MIME_MULTIPART_FIRST_BOUNDARY, a + s, len, Value::Str(text(&body[s..s + len])));
            (s + len, last)
        }
        _ => {
            super::data::nested(cx, data, a, b);
            cx.close(li);
            return info;
        }
    };
    while !last {
        match part(cx, data, a, body, next, &boundary, &mut info) {
            Some((n, l)) => (next, last) = (n, l),
            None => {
                cx.close(li);
                return info;
            }
        }
    }
    if next < body.len() {
        cx.add(&MIME_MULTIPART_TRAILER, a + next, body.len() - next, Value::Bytes);
    }
    cx.close(li);
    info
}

/// tshark's item for a multipart body it cannot split: at the top of the tree, before the
/// body's data, titled by the message of the expert item it holds (and named so in JSON).
/// Its own protocol name here is the expert's key; not in `frame.protocols`.
fn no_required_parameter(cx: &mut Ctx, a: usize) {
    const KEY: &str = "mime_multipart.no_required_parameter";
    let n = cx.out.fields.len() as u32;
    cx.out.layers.push(Layer {
        proto: KEY,
        title: NO_REQUIRED_PARAMETER,
        osi: Osi::Application,
        offset: a as u32,
        len: 0,
        source: cx.source,
        fields: n..n,
        summary: if cx.text { NO_REQUIRED_PARAMETER.to_owned() } else { String::new() },
    });
    let li = cx.out.layers.len() - 1;
    let at = cx.add_gen(&MIME_MULTIPART_NO_REQUIRED_PARAMETER, a, 0, Value::None);
    cx.expert(Severity::Error, KEY, NO_REQUIRED_PARAMETER, Some(at));
    cx.close(li);
}

/// The text of [`no_required_parameter`]'s item and expert item (tshark's JSON key).
pub const NO_REQUIRED_PARAMETER: &str = "The multipart dissector could not find a required parameter.";

/// The field under [`no_required_parameter`]'s item: shown as its expert item alone.
pub static MIME_MULTIPART_NO_REQUIRED_PARAMETER: FieldDef =
    FieldDef::new("mime_multipart.no_required_parameter", "The multipart dissector could not find a required parameter.", FieldType::None, Base::None);

/// One part from `start` of the body (at `a` in `data`): its item, headers and body, then the
/// boundary after it; (where the next part starts, whether that boundary was the last).
/// None: no boundary follows, its headers cannot be read, or its body's dissector read past
/// its end (Wireshark's exception: nothing more of the body is read).
fn part(cx: &mut Ctx, data: &[u8], a: usize, body: &[u8], start: usize, boundary: &[u8], info: &mut String) -> Option<(usize, bool)> {
    let item = cx.add(&MIME_MULTIPART_PART, a + start, 0, Value::Str("".into()));
    let malformed_before = cx.out.is_malformed();
    let (bstart, blen, last) = next_boundary(body, start, boundary).filter(|&(s, ..)| s > 0)?;
    let mut ctype: Option<(String, Option<String>)> = None;
    let mut encoding: Option<String> = None;
    let mut raw = false;
    let mut next = start;
    cx.child(|cx| {
        let mut off = start;
        let mut last_field = false;
        while !last_field {
            let Some((mut end, lf)) = field_end(body, off) else {
                next = off;
                return;
            };
            last_field = lf;
            if last_field && end + 2 <= bstart {
                end += 2;
            } else if end >= 2 && end - 2 == bstart {
                last_field = true;
                end -= 2;
            } else if end > bstart {
                end = bstart;
            }
            let end = end.max(off);
            let line = &body[off..end];
            // (Read as Wireshark's ASCII text: each byte past ASCII a replacement character.)
            let (hdr, colon) = compact(text(line).as_bytes());
            let Some(colon) = colon.filter(|&c| c > 0) else {
                next = off;
                return;
            };
            let name = String::from_utf8_lossy(&hdr[..colon]).to_ascii_lowercase();
            match HEADERS.iter().find(|(n, c, _)| *n == name || c.is_some_and(|c| c == name)) {
                None if hdr.iter().all(|c| c.is_ascii_graphic() || *c == b' ') => {
                    let mut t = String::new();
                    super::label::push_shown(&String::from_utf8_lossy(line), &mut t);
                    cx.add(&super::data::WS_TEXT, a + off, end - off, Value::Str(t.into_boxed_str()));
                }
                None => {
                    next = off;
                    return;
                }
                Some((_, _, def)) => {
                    let value = String::from_utf8_lossy(&hdr[colon + 1..]).into_owned();
                    cx.add(def, a + off, end - off, Value::Str(value.clone().into_boxed_str()));
                    if std::ptr::eq(*def, &MIME_MULTIPART_HEADER_CONTENT_TYPE) {
                        let (t, p) = part_type(&value);
                        raw = t.starts_with("application/octet-stream");
                        ctype = Some((t, p.map(str::to_owned)));
                    } else if std::ptr::eq(*def, &MIME_MULTIPART_HEADER_CONTENT_ENCODING) {
                        encoding = Some(value.split('\r').next().unwrap_or("").to_ascii_lowercase());
                    }
                }
            }
            off = end;
            next = end;
        }
    });
    let body_start = next.min(bstart);
    cx.child(|cx| match ctype.as_ref().filter(|_| !raw) {
        Some((t, _)) => {
            let part_body = &body[body_start..bstart];
            let gz = encoding.as_deref().is_some_and(|e| ["gzip", "deflate", "x-gzip", "x-deflate"].iter().any(|z| e.starts_with(z)));
            let mut media = |cx: &mut Ctx, bytes: &[u8], s: usize, e: usize| {
                // A PNG image by its type; what no tshark dissector takes (or PNG's refuses)
                // is `Media Type`.
                let png = t == "image/png";
                if png && super::png::dissect(cx, bytes, s, e, true) {
                    info.push_str(" (PNG)");
                    return;
                }
                let gif = t == "image/gif";
                if gif && let Some(v) = super::gif::dissect(cx, bytes, s, e, true) {
                    info.push_str(" (");
                    info.push_str(v);
                    info.push(')');
                    return;
                }
                // XML: its tree in the part's (no words in the Info).
                if super::xml::takes(t) {
                    if e > s {
                        super::xml::dissect_nested(cx, bytes, s, e);
                    }
                    return;
                }
                // Text read as lines, JSON: their trees in the part's, their words in the
                // Info as at the top.
                type Nested = fn(&mut Ctx, &[u8], usize, usize, &str);
                let readers: [(&[&str], Nested, &str); 2] = [
                    (super::http::TEXT_LINES, super::data::text_lines_nested, " ("),
                    (super::json::MEDIA_TYPES, |cx, b, s, e, m| {
                        super::json::dissect_nested(cx, b, s, e, m);
                    }, ", JavaScript Object Notation ("),
                ];
                for (types, read, words) in readers {
                    if let Some(m) = types.iter().copied().find(|m| *m == t.as_str()) {
                        if e > s {
                            read(cx, bytes, s, e, m);
                            info.push_str(words);
                            info.push_str(m);
                            info.push(')');
                        }
                        return;
                    }
                }
                if (png || gif || !super::media_types::registered(t)) && e > s {
                    cx.add_proto("media");
                    cx.add(&MEDIA_PROTO, s, e - s, Value::None);
                    cx.child(|cx| cx.add(&super::http::MEDIA_TYPE, s, e - s, Value::Bytes));
                    info.push_str(" (");
                    info.push_str(t);
                    info.push(')');
                }
            };
            match gz.then(|| super::uncompress::zlib(part_body)).flatten() {
                Some(out) => cx.in_reassembled(out, |cx, u| media(cx, u, 0, u.len())),
                None => media(cx, data, a + body_start, a + bstart),
            }
        }
        None => super::data::nested(cx, data, a + body_start, a + bstart),
    });
    if let Some(f) = cx.out.fields.get_mut(item as usize) {
        f.len = (bstart - start) as u32;
    }
    if !malformed_before && cx.out.is_malformed() {
        return None;
    }
    let def = if last { &MIME_MULTIPART_LAST_BOUNDARY } else { &MIME_MULTIPART_BOUNDARY };
    cx.add(def, a + bstart, blen, Value::Str(text(&body[bstart..bstart + blen])));
    Some((bstart + blen, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compact_as_tshark_cleans_them() {
        let (h, colon) = compact(b"Content-Disposition: form-data; name=\"replay\"; filename=\"srv.py\"\r\n");
        assert_eq!(String::from_utf8(h).unwrap(), "Content-Disposition:form-data;name=\"replay\";filename=\"srv.py\"");
        assert_eq!(colon, Some(19));
        let (h, _) = compact(b"Content-Type: text/plain;\r\n charset = utf-8  x\r\n\r\n");
        assert_eq!(String::from_utf8(h).unwrap(), "Content-Type:text/plain;charset=utf-8 x");
    }

    #[test]
    fn parameters_are_found_as_tshark_finds_them() {
        assert_eq!(find_param(b"boundary=abc", "boundary").as_deref(), Some(&b"abc"[..]));
        assert_eq!(find_param(b"charset=x;Boundary=\"a\\\"b\"", "boundary").as_deref(), Some(&b"a\"b"[..]));
        // (Not there: the last parameter's value, as Wireshark 4.0 gives it.)
        assert_eq!(find_param(b"charset=utf-8", "boundary").as_deref(), Some(&b"utf-8"[..]));
        assert_eq!(find_param(b"charset", "boundary"), None);
    }
}
