//! XML (`xml`): an HTTP body of an XML media type (`application/xml`, `text/xml`,
//! `image/svg+xml`, `application/soap+xml`, …), as tshark 4.0's dissector shows it: the
//! `eXtensible Markup Language` layer, each tag a subtree with its attributes, its text and
//! the tags inside it, then its closing tag; the declaration (`<?xml version="1.0"?>`) with
//! its version, encoding and standalone as named fields; other processing instructions,
//! comments, CDATA sections, a document type with its declarations.
//!
//! tshark reads the body with a grammar (its `tvbparse` library): one token after another,
//! whitespace skipped before each and between the parts of one, each part tried in a fixed
//! order, and what matches first is taken (the reader here does the same, part for part, so
//! that where each token starts and ends is tshark's). Its tree is built as the tokens come,
//! on a stack: a tag opens a subtree, a closing tag ends the innermost one whatever its name
//! (one with none open is marked `Closing an unopened tag`), and a tag still open at the end
//! just ends there. A `<` that starts no token is `Unrecognized text` up to the next
//! whitespace. Labels are the document's own text (C escapes for control characters); a
//! tag's label ends at its name, its last attribute's takes the `>` or `/>` that closes it.
//!
//! A body that starts with a UTF-16 byte-order mark is read from a copy decoded to UTF-8 (up
//! to its first NUL), a data source of its own, as tshark does.
//!
//! Not here: the element names of the document types tshark ships (`rss`, `presence`,
//! `list`, `smil`, …: tshark gives their tags fields of their own, so its JSON keys differ
//! there, though the tree's text is the same), and tags nested more than 254 deep (the tree
//! stops going deeper there; tshark's at 500, with a dissector error).

use super::label::{LabelCx, append_text_label, cut_text_label, push_format_text};
use super::model::*;
use super::{Ctx, data};

pub static XML_TAG: FieldDef = FieldDef::new("xml.tag", "Tag", FieldType::Str, Base::None).whole(tag_label);
pub static XML_ATTRIBUTE: FieldDef = FieldDef::new("xml.attribute", "Attribute", FieldType::Str, Base::None).whole(attribute_label);
pub static XML_CDATA: FieldDef = FieldDef::new("xml.cdata", "CDATA", FieldType::Str, Base::None).whole(text_label);
pub static XML_UNKNOWN: FieldDef = FieldDef::new("xml.unknown", "Unknown", FieldType::Str, Base::None).whole(text_label);
pub static XML_COMMENT: FieldDef = FieldDef::new("xml.comment", "Comment", FieldType::Str, Base::None).whole(text_label);
pub static XML_CDATASECTION: FieldDef = FieldDef::new("xml.cdatasection", "CDATASection", FieldType::Str, Base::None).whole(text_label);
pub static XML_DOCTYPE: FieldDef = FieldDef::new("xml.doctype", "Doctype", FieldType::Str, Base::None).whole(doctype_label);
pub static XML_DTDTAG: FieldDef = FieldDef::new("xml.dtdtag", "DTD Tag", FieldType::Str, Base::None).whole(text_label);
pub static XML_XMLPI: FieldDef = FieldDef::new("xml.xmlpi", "XMLPI", FieldType::Str, Base::None).whole(pi_label);
pub static XML_XMLPI_XML: FieldDef = FieldDef::new("xml.xmlpi.xml", "xml.xmlpi.xml", FieldType::Str, Base::None).whole(pi_label);
pub static XML_XMLPI_XML_VERSION: FieldDef = FieldDef::new("xml.xmlpi.xml.version", "version", FieldType::Str, Base::None).whole(decl_attr_label);
pub static XML_XMLPI_XML_ENCODING: FieldDef = FieldDef::new("xml.xmlpi.xml.encoding", "encoding", FieldType::Str, Base::None).whole(decl_attr_label);
pub static XML_XMLPI_XML_STANDALONE: FieldDef = FieldDef::new("xml.xmlpi.xml.standalone", "standalone", FieldType::Str, Base::None).whole(decl_attr_label);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &XML_TAG, &XML_ATTRIBUTE, &XML_CDATA, &XML_UNKNOWN, &XML_COMMENT, &XML_CDATASECTION, &XML_DOCTYPE, &XML_DTDTAG, &XML_XMLPI, &XML_XMLPI_XML,
    &XML_XMLPI_XML_VERSION, &XML_XMLPI_XML_ENCODING, &XML_XMLPI_XML_STANDALONE,
];

/// The expert items' keys and messages.
const CLOSING_UNOPENED_TAG: (&str, &str) = ("xml.closing_unopened_tag", "Closing an unopened tag");
const CLOSING_UNOPENED_XMPLI_TAG: (&str, &str) = ("xml.closing_unopened_xmpli_tag", "Closing an unopened xmpli tag");
const UNRECOGNIZED_TEXT: (&str, &str) = ("xml.unrecognized_text", "Unrecognized text");

/// Whether tshark hands a body of media type `m` (lowercase, no parameters) to its XML
/// dissector: its list of XML types, less the two a document type it ships takes over
/// (`application/cpim-pidf+xml`, `application/smil`).
pub(crate) fn takes(m: &str) -> bool {
    MEDIA_TYPES.binary_search(&m).is_ok()
}

/// tshark's `default_media_types` (packet-xml.c), sorted, less the two above.
const MEDIA_TYPES: &[&str] = &[
    "application/3gpp-ims+xml", "application/atom+xml", "application/auth-policy+xml", "application/ccmp+xml", "application/conference-info+xml",
    "application/cpl+xml", "application/dds-web+xml", "application/im-iscomposing+xml", "application/load-control+xml", "application/mathml+xml",
    "application/media_control+xml", "application/note+xml", "application/pidf+xml", "application/pidf-diff+xml", "application/poc-settings+xml",
    "application/rdf+xml", "application/reginfo+xml", "application/resource-lists+xml", "application/rlmi+xml", "application/rls-services+xml",
    "application/rs-metadata+xml", "application/rss+xml", "application/simple-filter+xml", "application/simple-message-summary+xml", "application/simservs+xml",
    "application/soap+xml", "application/upp-directory+xml", "application/vnc.3gpp.iut-config+xml", "application/vnd.3gpp-prose+xml",
    "application/vnd.3gpp-prose-pc3ch+xml", "application/vnd.3gpp.access-transfer-events+xml", "application/vnd.3gpp.bsf+xml",
    "application/vnd.3gpp.comm-div-info+xml", "application/vnd.3gpp.cw+xml", "application/vnd.3gpp.iut+xml",
    "application/vnd.3gpp.mcdata-affiliation-command+xml", "application/vnd.3gpp.mcdata-info+xml", "application/vnd.3gpp.mcdata-location-info+xml",
    "application/vnd.3gpp.mcdata-mbms-usage-info+xml", "application/vnd.3gpp.mcdata-regroup+xml", "application/vnd.3gpp.mcdata-service-config+xml",
    "application/vnd.3gpp.mcdata-ue-config+xml", "application/vnd.3gpp.mcdata-user-profile+xml", "application/vnd.3gpp.mcptt-affiliation-command+xml",
    "application/vnd.3gpp.mcptt-floor-request+xml", "application/vnd.3gpp.mcptt-info+xml", "application/vnd.3gpp.mcptt-location-info+xml",
    "application/vnd.3gpp.mcptt-mbms-usage-info+xml", "application/vnd.3gpp.mcptt-regroup+xml", "application/vnd.3gpp.mcptt-service-config+xml",
    "application/vnd.3gpp.mcptt-signed+xml", "application/vnd.3gpp.mcptt-ue-config+xml", "application/vnd.3gpp.mcptt-ue-init-config+xml",
    "application/vnd.3gpp.mcptt-user-profile+xml", "application/vnd.3gpp.mcvideo-affiliation-command+xml", "application/vnd.3gpp.mcvideo-info+xml",
    "application/vnd.3gpp.mcvideo-location-info+xml", "application/vnd.3gpp.mcvideo-mbms-usage-info+xml", "application/vnd.3gpp.mcvideo-service-config+xml",
    "application/vnd.3gpp.mcvideo-ue-config+xml", "application/vnd.3gpp.mcvideo-user-profile+xml", "application/vnd.3gpp.mid-call+xml",
    "application/vnd.3gpp.replication+xml", "application/vnd.3gpp.sms+xml", "application/vnd.3gpp.srvcc-ext+xml", "application/vnd.3gpp.srvcc-info+xml",
    "application/vnd.3gpp.state-and-event-info+xml", "application/vnd.3gpp.transmission-request+xml", "application/vnd.3gpp.ussd+xml",
    "application/vnd.3gpp2.bcmcsinfo+xml", "application/vnd.etsi.aoc+xml", "application/vnd.etsi.cug+xml", "application/vnd.etsi.iptvcommand+xml",
    "application/vnd.etsi.iptvdiscovery+xml", "application/vnd.etsi.iptvprofile+xml", "application/vnd.etsi.iptvsad-bc+xml",
    "application/vnd.etsi.iptvsad-cod+xml", "application/vnd.etsi.iptvsad-npvr+xml", "application/vnd.etsi.iptvservice+xml",
    "application/vnd.etsi.iptvsync+xml", "application/vnd.etsi.iptvueprofile+xml", "application/vnd.etsi.mcid+xml",
    "application/vnd.etsi.overload-control-policy-dataset+xml", "application/vnd.etsi.pstn+xml", "application/vnd.etsi.sci+xml",
    "application/vnd.etsi.simservs+xml", "application/vnd.etsi.tsl+xml", "application/vnd.oma.access-permissions-list+xml",
    "application/vnd.oma.alias-principals-list+xml", "application/vnd.oma.bcast.associated-procedure-parameter+xml",
    "application/vnd.oma.bcast.drm-trigger+xml", "application/vnd.oma.bcast.imd+xml", "application/vnd.oma.bcast.notification+xml",
    "application/vnd.oma.bcast.sgdd+xml", "application/vnd.oma.bcast.smartcard-trigger+xml", "application/vnd.oma.bcast.sprov+xml",
    "application/vnd.oma.cab-address-book+xml", "application/vnd.oma.cab-feature-handler+xml", "application/vnd.oma.cab-pcc+xml",
    "application/vnd.oma.cab-subs-invite+xml", "application/vnd.oma.cab-user-prefs+xml", "application/vnd.oma.dd2+xml", "application/vnd.oma.drm.risd+xml",
    "application/vnd.oma.fnl+xml", "application/vnd.oma.group-usage-list+xml", "application/vnd.oma.pal+xml",
    "application/vnd.oma.poc.detailed-progress-report+xml", "application/vnd.oma.poc.final-report+xml", "application/vnd.oma.poc.groups+xml",
    "application/vnd.oma.poc.invocation-descriptor+xml", "application/vnd.oma.poc.optimized-progress-report+xml", "application/vnd.oma.scidm.messages+xml",
    "application/vnd.oma.suppnot+xml", "application/vnd.oma.xcap-directory+xml", "application/vnd.oma.xdcp+xml", "application/vnd.oma.xdm-apd+xml",
    "application/vnd.oma.xdm-hi+xml", "application/vnd.oma.xdm-prefs+xml", "application/vnd.oma.xdm-rhi+xml", "application/vnd.omads-email+xml",
    "application/vnd.omads-file+xml", "application/vnd.omads-folder+xml", "application/vnd.wv.csp+xml", "application/vnd.wv.csp.xml",
    "application/watcherinfo+xml", "application/x-crd+xml", "application/x-wms-logconnectstats", "application/x-wms-logplaystats",
    "application/x-wms-sendevent", "application/xcap-att+xml", "application/xcap-caps+xml", "application/xcap-diff+xml", "application/xcap-el+xml",
    "application/xcap-error+xml", "application/xcap-ns+xml", "application/xml", "application/xml-dtd", "application/xpidf+xml", "application/xslt+xml",
    "image/svg+xml", "message/imdn+xml", "text/vnd.wap.co", "text/vnd.wap.emn", "text/vnd.wap.si", "text/vnd.wap.sl", "text/vnd.wap.wml", "text/xml",
];

// ---- Labels. An item's bytes are the ones tshark gives it (a tag's run to its closing
// tag, the declaration's version only its value): the label, the token's own text, is read
// again from around them. ----

/// The bytes of the field's source.
fn source<'a>(cx: &LabelCx<'a>) -> &'a [u8] {
    cx.d.source_bytes(cx.frame, cx.field.source)
}

/// `text` as a label: control characters as C escapes, cut as tshark cuts a label set on an
/// item.
fn push_text(out: &mut String, text: &[u8]) {
    let start = out.len();
    push_format_text(text, out);
    cut_text_label(out, start);
}

/// An item's label: its bytes as text.
fn text_label(cx: &LabelCx<'_>, out: &mut String) {
    push_text(out, cx.bytes());
}

/// The `>` or `/>` that ends a tag when it comes next after `at` (whitespace between), as
/// much of it as the label started at `start` still holds: tshark appends it to the tag's
/// last item (the tag itself when it has no attributes).
fn push_tag_end(out: &mut String, start: usize, b: &[u8], at: usize) {
    let at = at + ws(b, at);
    let end = match b.get(at..) {
        Some([b'>', ..]) => ">",
        Some([b'/', b'>', ..]) => "/>",
        _ => return,
    };
    append_text_label(out, start, end);
}

/// A tag's label: `<name` (the tag's text up to its name's end), and its end when it has no
/// attributes.
fn tag_label(cx: &LabelCx<'_>, out: &mut String) {
    let (b, at) = (source(cx), cx.field.offset as usize);
    let name_end = ch(b, at, b'<').and_then(|n| tag_name(b, at + n + ws(b, at + n))).map(|(name, _)| name.end());
    let Some(end) = name_end else { return text_label(cx, out) };
    let start = out.len();
    push_text(out, &b[at..end]);
    push_tag_end(out, start, b, end);
}

/// An attribute's label: its text (`name="value"`), and the tag's end when it is the last.
fn attribute_label(cx: &LabelCx<'_>, out: &mut String) {
    let start = out.len();
    text_label(cx, out);
    push_tag_end(out, start, source(cx), cx.field.offset as usize + cx.field.len as usize);
}

/// A processing instruction's label: `<?name`.
fn pi_label(cx: &LabelCx<'_>, out: &mut String) {
    let (b, at) = (source(cx), cx.field.offset as usize);
    let name = string(b, at, b"<?").and_then(|n| {
        let p = at + n + ws(b, at + n);
        run(b, p, name_byte).map(|len| p + len)
    });
    match name {
        Some(end) => push_text(out, &b[at..end]),
        None => text_label(cx, out),
    }
}

/// The declaration's version, encoding or standalone: the item is its value (inside the
/// quotes); the label, the whole `name="value"`.
fn decl_attr_label(cx: &LabelCx<'_>, out: &mut String) {
    let b = source(cx);
    let (v, e) = (cx.field.offset as usize, cx.field.offset as usize + cx.field.len as usize);
    if e > b.len() {
        return text_label(cx, out);
    }
    let quote = v.checked_sub(1).and_then(|q| b.get(q)).filter(|q| matches!(q, b'"' | b'\'') && b.get(e) == Some(q));
    let (at, end) = if quote.is_some() { (v - 1, e + 1) } else { (v, e) };
    let at = ws_before(b, at);
    if at == 0 || b[at - 1] != b'=' {
        return text_label(cx, out);
    }
    let mut at = ws_before(b, at - 1);
    while at > 0 && attr_name_byte(b[at - 1]) {
        at -= 1;
    }
    push_text(out, &b[at..end]);
}

/// A document type's label: its whole `<!DOCTYPE name [` (or up to the `>` of its public
/// or system identifier); the item is its name.
fn doctype_label(cx: &LabelCx<'_>, out: &mut String) {
    let b = source(cx);
    let start = (|| {
        let kw = ws_before(b, (cx.field.offset as usize).min(b.len())).checked_sub(7)?;
        casestring(b, kw, b"DOCTYPE")?;
        let bang = ws_before(b, kw).checked_sub(1)?;
        ch(b, bang, b'!')?;
        let lt = ws_before(b, bang).checked_sub(1)?;
        ch(b, lt, b'<')?;
        Some(lt)
    })();
    match start.and_then(|at| token(b, at).filter(|(t, _, _)| matches!(t, Token::Doctype { .. }))) {
        Some((_, span, _)) => push_text(out, &b[span.at..span.end()]),
        None => text_label(cx, out),
    }
}

// ---- The reader: tshark's grammar (packet-xml.c's `init_xml_parser`) over `tvbparse`. ----

/// Bytes of a name (`want_name`), and of an attribute's name (`want_attr_name`, with `:`).
fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".-_".contains(&b)
}

fn attr_name_byte(b: u8) -> bool {
    name_byte(b) || b == b':'
}

/// `tvbparse`'s whitespace, skipped before each token and after each part of a sequence.
fn ws(b: &[u8], at: usize) -> usize {
    b.get(at..).map_or(0, |s| s.iter().take_while(|c| b" \t\r\n".contains(c)).count())
}

/// Where the whitespace that ends just before `at` starts (`at` itself if none).
fn ws_before(b: &[u8], mut at: usize) -> usize {
    while at > 0 && b.get(at - 1).is_some_and(|c| b" \t\r\n".contains(c)) {
        at -= 1;
    }
    at
}

/// One byte `c` at `at` (`tvbparse_char`): its length.
fn ch(b: &[u8], at: usize, c: u8) -> Option<usize> {
    (b.get(at) == Some(&c)).then_some(1)
}

/// One or more bytes `ok` takes (`tvbparse_chars`, `tvbparse_not_chars`).
fn run(b: &[u8], at: usize, ok: impl Fn(u8) -> bool) -> Option<usize> {
    let n = b.get(at..)?.iter().take_while(|&&c| ok(c)).count();
    (n > 0).then_some(n)
}

fn string(b: &[u8], at: usize, s: &[u8]) -> Option<usize> {
    (b.get(at..at + s.len())? == s).then_some(s.len())
}

fn casestring(b: &[u8], at: usize, s: &[u8]) -> Option<usize> {
    b.get(at..at + s.len())?.eq_ignore_ascii_case(s).then_some(s.len())
}

/// `tvbparse_until(…, TP_UNTIL_INCLUDE)`: from `at` up to and including the first match of
/// `end` (`min` bytes at least), tried at `at` and then at each byte up to the second-last
/// of the body (tshark's loop stops there: a one-byte end in the body's last byte is not
/// found unless the search starts on it).
fn until(b: &[u8], at: usize, min: usize, end: impl Fn(usize) -> Option<usize>) -> Option<usize> {
    if at + min > b.len() {
        return None;
    }
    let mut t = at;
    loop {
        if let Some(n) = end(t) {
            return Some(t - at + n);
        }
        t += 1;
        if t + 1 >= b.len() {
            return None;
        }
    }
}

/// A span of the body: where it starts and how long it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    at: usize,
    len: usize,
}

impl Span {
    fn end(self) -> usize {
        self.at + self.len
    }
}

/// A sequence being read (`tvbparse_set_seq`): its start, where it is, and the end of the
/// last part that had bytes; whitespace is skipped after each part.
struct Seq<'a> {
    b: &'a [u8],
    start: usize,
    at: usize,
    end: usize,
}

impl<'a> Seq<'a> {
    fn new(b: &'a [u8], at: usize) -> Self {
        Seq { b, start: at, at, end: at }
    }

    /// A part of `n` bytes read at the current place (`None` fails the sequence).
    fn part(&mut self, n: Option<usize>) -> Option<Span> {
        let n = n?;
        let span = Span { at: self.at, len: n };
        if n > 0 {
            self.end = self.at + n;
        }
        self.at += n;
        self.at += ws(self.b, self.at);
        Some(span)
    }

    /// The byte `c` as a part.
    fn byte(&mut self, c: u8) -> Option<Span> {
        self.part(ch(self.b, self.at, c))
    }

    /// The bytes `s` as a part.
    fn bytes(&mut self, s: &[u8]) -> Option<Span> {
        self.part(string(self.b, self.at, s))
    }

    /// Everything up to and including the next `end` as a part (`until`).
    fn through(&mut self, end: &[u8]) -> Option<Span> {
        let b = self.b;
        self.part(until(b, self.at, end.len(), |p| string(b, p, end)))
    }

    /// A part whose reader also returns what it consumed beyond its own bytes (a nested
    /// sequence's trailing whitespace): (its span, bytes consumed).
    fn nested(&mut self, r: Option<(Span, usize)>) -> Option<Span> {
        let (span, used) = r?;
        if span.len > 0 {
            self.end = span.end();
        }
        self.at += used;
        self.at += ws(self.b, self.at);
        Some(span)
    }

    /// The sequence's token (first part to the end of the last with bytes) and the bytes it
    /// consumed (trailing whitespace included).
    fn done(&self) -> (Span, usize) {
        (Span { at: self.start, len: self.end - self.start }, self.at - self.start)
    }
}

/// A tag's or an instruction's name (`want_tag_name`: `prefix:name`, or a name): its span
/// and the bytes consumed.
fn tag_name(b: &[u8], at: usize) -> Option<(Span, usize)> {
    let scoped = || {
        let mut s = Seq::new(b, at);
        s.part(run(b, at, name_byte))?;
        s.byte(b':')?;
        s.part(run(b, s.at, name_byte))?;
        Some(s.done())
    };
    scoped().or_else(|| run(b, at, name_byte).map(|n| (Span { at, len: n }, n)))
}

/// An attribute: its whole span (name to value), its name, the value's span (inside the
/// quotes for a quoted one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Attr {
    span: Span,
    name: Span,
    value: Span,
}

/// A quoted value (`tvbparse_quoted`): the quotes around one run of other bytes, or
/// around an escaped quote (`\"`), or around nothing; whitespace after the opening quote is
/// skipped first. (span of the quotes and what is between, bytes consumed)
fn quoted(b: &[u8], at: usize, q: u8) -> Option<(Span, usize)> {
    let esc = [b'\\', q];
    let full = || {
        let mut s = Seq::new(b, at);
        s.byte(q)?;
        // (The part between is a sequence of one: it skips the whitespace after it too.)
        let inner = string(b, s.at, &esc).or_else(|| run(b, s.at, |c| c != q))?;
        let inner_at = s.at;
        s.nested(Some((Span { at: inner_at, len: inner }, inner + ws(b, inner_at + inner))))?;
        s.byte(q)?;
        Some(s.done())
    };
    let empty = || {
        let mut s = Seq::new(b, at);
        s.byte(q)?;
        s.byte(q)?;
        Some(s.done())
    };
    full().or_else(empty)
}

/// One attribute (`name = value`), and the bytes consumed.
fn attribute(b: &[u8], at: usize) -> Option<(Attr, usize)> {
    let mut s = Seq::new(b, at);
    let name = s.part(run(b, at, attr_name_byte))?;
    s.byte(b'=')?;
    let v = s.at;
    let value = if let Some((q, used)) = quoted(b, v, b'"').or_else(|| quoted(b, v, b'\'')) {
        s.nested(Some((q, used)))?;
        Span { at: q.at + 1, len: q.len - 2 }
    } else {
        s.part(run(b, v, |c| c.is_ascii_digit()).or_else(|| run(b, v, name_byte)))?
    };
    let (span, used) = s.done();
    Some((Attr { span, name, value }, used))
}

/// One or more attributes, back to back (`tvbparse_one_or_more`: no whitespace skipped
/// between them but what each consumed after itself).
fn attributes(b: &[u8], mut at: usize) -> Option<(Vec<Attr>, usize)> {
    let start = at;
    let mut list = Vec::new();
    while let Some((a, used)) = attribute(b, at) {
        list.push(a);
        at += used;
    }
    (!list.is_empty()).then(|| (list, at - start))
}

/// How a tag ends: `>` (it opens a subtree) or `/>` (it has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    Open,
    Closed,
}

fn stoptag(b: &[u8], at: usize) -> Option<(Stop, usize)> {
    ch(b, at, b'>').map(|n| (Stop::Open, n)).or_else(|| string(b, at, b"/>").map(|n| (Stop::Closed, n)))
}

/// A token of the body, as tshark's callbacks see it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Comment,
    CDataSection,
    /// `<?name attributes ?>`: the name, the attributes, the `?>`.
    Pi { name: Span, attrs: Vec<Attr>, stop: Span },
    ClosingTag,
    /// `<!DOCTYPE name [` (declarations follow), or with `PUBLIC`/`SYSTEM` and an
    /// identifier up to `>` (`closed`).
    Doctype { name: Span, closed: bool },
    DtdClose,
    DtdTag,
    /// `<name attributes>` or `.../>`: the attributes, how it ends.
    Tag { attrs: Vec<Attr>, stop: Stop },
    Text,
    Unrecognized,
}

/// The next token at `at` (whitespace already skipped): the token, its span and the bytes
/// it consumed; `None` at the end of the body.
fn token(b: &[u8], at: usize) -> Option<(Token, Span, usize)> {
    let done = |t: Token, s: &Seq<'_>| {
        let (span, used) = s.done();
        Some((t, span, used))
    };
    // `<!--` … `-->`.
    let comment = || {
        let mut s = Seq::new(b, at);
        s.bytes(b"<!--")?;
        s.through(b"-->")?;
        done(Token::Comment, &s)
    };
    let cdata_section = || {
        let mut s = Seq::new(b, at);
        s.bytes(b"<![CDATA[")?;
        s.through(b"]]>")?;
        done(Token::CDataSection, &s)
    };
    let pi = || {
        let mut s = Seq::new(b, at);
        s.bytes(b"<?")?;
        let name = s.part(run(b, s.at, name_byte))?;
        let (attrs, stop) = match string(b, s.at, b"?>") {
            Some(n) => (Vec::new(), s.part(Some(n))?),
            None => {
                let (attrs, used) = attributes(b, s.at)?;
                let first = attrs.first().map_or(s.at, |a| a.span.at);
                let last = attrs.last().map_or(s.at, |a| a.span.end());
                s.nested(Some((Span { at: first, len: last - first }, used)))?;
                (attrs, s.part(string(b, s.at, b"?>"))?)
            }
        };
        done(Token::Pi { name, attrs, stop }, &s)
    };
    let closing_tag = || {
        let mut s = Seq::new(b, at);
        s.byte(b'<')?;
        s.byte(b'/')?;
        s.nested(tag_name(b, s.at))?;
        s.byte(b'>')?;
        done(Token::ClosingTag, &s)
    };
    let doctype = || {
        let mut s = Seq::new(b, at);
        s.byte(b'<')?;
        s.byte(b'!')?;
        s.part(casestring(b, s.at, b"DOCTYPE"))?;
        let here = s.at;
        // `name [`, or `name PUBLIC|SYSTEM … >` (each a sequence of its own).
        let open = || {
            let mut t = Seq::new(b, here);
            let name = t.part(run(b, here, name_byte))?;
            t.byte(b'[')?;
            Some((name, t.done(), false))
        };
        let closed = || {
            let mut t = Seq::new(b, here);
            let name = t.part(run(b, here, name_byte))?;
            t.part(casestring(b, t.at, b"PUBLIC").or_else(|| casestring(b, t.at, b"SYSTEM")))?;
            t.through(b">")?;
            Some((name, t.done(), true))
        };
        let (name, inner, closed) = open().or_else(closed)?;
        s.nested(Some(inner))?;
        done(Token::Doctype { name, closed }, &s)
    };
    let dtd_close = || {
        let mut s = Seq::new(b, at);
        s.byte(b']')?;
        s.byte(b'>')?;
        done(Token::DtdClose, &s)
    };
    let dtd_tag = || {
        let mut s = Seq::new(b, at);
        s.byte(b'<')?;
        s.byte(b'!')?;
        s.through(b">")?;
        done(Token::DtdTag, &s)
    };
    let tag = || {
        let mut s = Seq::new(b, at);
        s.byte(b'<')?;
        s.nested(tag_name(b, s.at))?;
        let here = s.at;
        // Attributes then the end, or the end alone (each tried whole).
        let with_attrs = || {
            let mut t = Seq::new(b, here);
            let (attrs, used) = attributes(b, here)?;
            let last = attrs.last().map_or(here, |a| a.span.end());
            t.nested(Some((Span { at: here, len: last - here }, used)))?;
            let (stop, n) = stoptag(b, t.at)?;
            t.part(Some(n))?;
            Some((attrs, stop, t.done()))
        };
        let bare = || stoptag(b, here).map(|(stop, n)| (Vec::new(), stop, (Span { at: here, len: n }, n)));
        let (attrs, stop, inner) = with_attrs().or_else(bare)?;
        s.nested(Some(inner))?;
        done(Token::Tag { attrs, stop }, &s)
    };
    let text = || run(b, at, |c| c != b'<').map(|n| (Token::Text, Span { at, len: n }, n));
    let unrecognized = || run(b, at, |c| !b" \t\r\n".contains(&c)).map(|n| (Token::Unrecognized, Span { at, len: n }, n));
    comment()
        .or_else(cdata_section)
        .or_else(pi)
        .or_else(closing_tag)
        .or_else(doctype)
        .or_else(dtd_close)
        .or_else(dtd_tag)
        .or_else(tag)
        .or_else(text)
        .or_else(unrecognized)
}

/// Every token of the body in order, with its span.
fn tokens(b: &[u8]) -> Vec<(Token, Span)> {
    let mut out = Vec::new();
    let mut at = ws(b, 0);
    while let Some((t, span, used)) = token(b, at) {
        out.push((t, span));
        // (Every token has bytes: the reader always moves on.)
        at += used.max(1);
        at += ws(b, at);
    }
    out
}

// ---- The tree, as packet-xml.c's callbacks build it. ----

/// What an open item is, for the text inside it: a tag's is `xml.cdata`; the layer's own,
/// a document type's (and an instruction's, which holds none) is `xml.unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    Tag,
    Other,
}

/// The protocol's item of `xml` inside another's tree (a multipart part).
pub static XML_PROTO: FieldDef = FieldDef::new("xml", "eXtensible Markup Language", FieldType::None, Base::None).whole(data::protocol_item_label);

/// Dissects `data[off..end]`, a body of an XML media type: the `eXtensible Markup Language`
/// layer with every token of it as tshark shows them; the protocol column gains `/XML`.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) {
    dissect_as(cx, data, off, end, false);
}

/// [`dissect`] where the caller is (a multipart part): the protocol's item, the document
/// under it.
pub(crate) fn dissect_nested(cx: &mut Ctx, data: &[u8], off: usize, end: usize) {
    dissect_as(cx, data, off, end, true);
}

fn dissect_as(cx: &mut Ctx, data: &[u8], off: usize, end: usize, nested: bool) {
    let end = end.min(data.len());
    let Some(body) = data.get(off..end) else { return };
    // A UTF-16 byte-order mark: tshark reads the document decoded to UTF-8 (up to its first
    // NUL), a data source of its own (its `Decoded UTF-16BE text`).
    let big_endian = match body {
        [0xfe, 0xff, ..] => Some(true),
        [0xff, 0xfe, ..] => Some(false),
        _ => None,
    };
    if let Some(be) = big_endian {
        let mut text = utf16(body, be);
        text.truncate(text.find('\0').unwrap_or(text.len()));
        cx.in_reassembled(text.into_bytes(), |cx, decoded| document(cx, decoded, 0, decoded.len(), nested));
        return;
    }
    document(cx, data, off, end, nested);
}

/// UTF-16 as Wireshark's `get_utf_16_string` decodes it: a lead surrogate takes the unit
/// after it whatever it is (one replacement character for the two when it is no trail
/// surrogate), a lone trail surrogate or an odd last byte is a replacement character.
fn utf16(b: &[u8], be: bool) -> String {
    let unit = |i: usize| {
        let pair = [b[i], b[i + 1]];
        if be { u16::from_be_bytes(pair) } else { u16::from_le_bytes(pair) }
    };
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i + 1 < b.len() {
        let u = unit(i);
        if (0xd800..0xdc00).contains(&u) {
            i += 2;
            if i + 1 >= b.len() {
                out.push(char::REPLACEMENT_CHARACTER);
                break;
            }
            let t = unit(i);
            let c = (0xdc00..0xe000).contains(&t).then(|| 0x10000 + ((u32::from(u) - 0xd800) << 10) + (u32::from(t) - 0xdc00));
            out.push(c.and_then(char::from_u32).unwrap_or(char::REPLACEMENT_CHARACTER));
        } else {
            out.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        i += 2;
    }
    if i < b.len() {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

/// The document in `data[off..end]` (UTF-8): its protocol column, its layer or item, its tree.
fn document(cx: &mut Ctx, data: &[u8], off: usize, end: usize, nested: bool) {
    let Some(body) = data.get(off..end) else { return };
    if cx.in_error == 0 {
        // (tshark appends `/XML` for each document: two XML parts of an upload make
        // `HTTP/XML/XML`.)
        let proto = match cx.out.protocol {
            "HTTP" => "HTTP/XML",
            "HTTP/XML" if nested => "HTTP/XML/XML",
            "HTTP/JSON" if nested => "HTTP/JSON/XML",
            "" => "XML",
            p => p,
        };
        cx.set_protocol(proto);
    }
    let outer = cx.depth;
    // The layer's own item: the layer, or inside another's tree a field.
    let root = if nested {
        cx.add_proto("xml");
        Item::Field(cx.add(&XML_PROTO, off, body.len(), Value::None))
    } else {
        Item::Layer(cx.open("xml", "eXtensible Markup Language", Osi::Application, off, body.len()))
    };
    let base = if nested { outer.saturating_add(1) } else { cx.depth };
    let mut stack = vec![Opened { kind: Open::Other, item: root, start: 0 }];
    let text = |s: Span| Value::Str(String::from_utf8_lossy(&body[s.at..s.end()]).into());
    for (t, span) in tokens(body) {
        let at = |s: Span| off + s.at;
        // Items go into the innermost open item's subtree.
        cx.depth = base.saturating_add(u8::try_from(stack.len() - 1).unwrap_or(u8::MAX));
        let top = stack.last().map_or(Open::Other, |o| o.kind);
        match t {
            Token::Comment => {
                cx.add(&XML_COMMENT, at(span), span.len, text(span));
            }
            Token::CDataSection => {
                cx.add(&XML_CDATASECTION, at(span), span.len, text(span));
            }
            Token::DtdTag => {
                cx.add(&XML_DTDTAG, at(span), span.len, text(span));
            }
            Token::Text => {
                let def = if top == Open::Tag { &XML_CDATA } else { &XML_UNKNOWN };
                cx.add(def, at(span), span.len, text(span));
            }
            Token::Unrecognized => problem(cx, off, span, UNRECOGNIZED_TEXT, Severity::Warn),
            Token::Pi { name, attrs, stop } => {
                let decl = &body[name.at..name.end()] == b"xml";
                let item = cx.add(if decl { &XML_XMLPI_XML } else { &XML_XMLPI }, at(span), span.len, text(span));
                stack.push(Opened { kind: Open::Other, item: Item::Field(item), start: span.at });
                cx.depth = cx.depth.saturating_add(1);
                for a in &attrs {
                    attribute_item(cx, off, body, a, decl);
                }
                close(cx, off, body, stop, &mut stack, CLOSING_UNOPENED_XMPLI_TAG);
            }
            Token::ClosingTag => {
                // The item it closes now reaches to its end.
                if let Some(o) = stack.last() {
                    let len = (span.end() - o.start) as u32;
                    match o.item {
                        Item::Field(i) => cx.out.fields.get_mut(i as usize).into_iter().for_each(|f| f.len = len),
                        Item::Layer(li) => cx.out.layers.get_mut(li).into_iter().for_each(|l| l.len = len),
                    }
                }
                close(cx, off, body, span, &mut stack, CLOSING_UNOPENED_TAG);
            }
            Token::Doctype { name, closed } => {
                let item = cx.add(&XML_DOCTYPE, at(name), name.len, text(name));
                if !closed {
                    stack.push(Opened { kind: Open::Other, item: Item::Field(item), start: span.at });
                }
            }
            Token::DtdClose => close(cx, off, body, span, &mut stack, CLOSING_UNOPENED_TAG),
            Token::Tag { attrs, stop } => {
                let item = cx.add(&XML_TAG, at(span), span.len, text(span));
                cx.depth = cx.depth.saturating_add(1);
                for a in &attrs {
                    attribute_item(cx, off, body, a, false);
                }
                if stop == Stop::Open {
                    stack.push(Opened { kind: Open::Tag, item: Item::Field(item), start: span.at });
                }
            }
        }
    }
    cx.depth = outer;
    if let Item::Layer(li) = root {
        cx.close(li);
    }
}

/// An item of the tree: the layer (at the top) or a field.
#[derive(Clone, Copy, Debug)]
enum Item {
    Layer(usize),
    Field(u32),
}

/// An open item: what it is, its item and where its token starts in the body.
struct Opened {
    kind: Open,
    item: Item,
    start: usize,
}

/// An attribute's item: the declaration's version, encoding and standalone as their own
/// fields (the value inside the quotes), any other as `xml.attribute` (the whole text).
fn attribute_item(cx: &mut Ctx, off: usize, body: &[u8], a: &Attr, decl: bool) {
    let name = String::from_utf8_lossy(&body[a.name.at..a.name.end()]).to_ascii_lowercase();
    let named = match name.as_str() {
        "version" if decl => Some(&XML_XMLPI_XML_VERSION),
        "encoding" if decl => Some(&XML_XMLPI_XML_ENCODING),
        "standalone" if decl => Some(&XML_XMLPI_XML_STANDALONE),
        _ => None,
    };
    // (The item of a named one is its value; of another, its whole text.)
    let (def, item) = match named {
        Some(def) => (def, a.value),
        None => (&XML_ATTRIBUTE, a.span),
    };
    cx.add(def, off + item.at, item.len, Value::Str(String::from_utf8_lossy(&body[item.at..item.end()]).into()));
}

/// A closing tag, `?>` or `]>`: its text in the innermost open item, which it ends; with
/// none open, an expert item `problem` says so.
fn close(cx: &mut Ctx, off: usize, body: &[u8], span: Span, stack: &mut Vec<Opened>, problem_of: (&'static str, &'static str)) {
    let mut shown = String::new();
    push_format_text(&body[span.at..span.end()], &mut shown);
    cx.add(&data::WS_TEXT, off + span.at, span.len, Value::Str(shown.into_boxed_str()));
    if stack.len() > 1 {
        stack.pop();
    } else {
        problem(cx, off, span, problem_of, Severity::Error);
    }
}

/// An expert item in the innermost open item: its message as its label.
fn problem(cx: &mut Ctx, off: usize, span: Span, (key, message): (&'static str, &'static str), severity: Severity) {
    let at = cx.add(&data::WS_TEXT, off + span.at, span.len, Value::Str(message.into()));
    cx.expert(severity, key, message, Some(at));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Token, &str)> {
        tokens(s.as_bytes()).into_iter().map(|(t, sp)| (t, &s[sp.at..sp.end()])).collect()
    }

    #[test]
    fn utf16_decodes_as_wireshark_does() {
        assert_eq!(utf16(b"\xfe\xff\x00<\x00a\xd8\x3d\xde\x00", true), "\u{feff}<a\u{1f600}");
        assert_eq!(utf16(b"\xff\xfe<\x00", false), "\u{feff}<");
        // A lead surrogate takes the next unit along; a lone trail one and an odd byte.
        assert_eq!(utf16(b"\xd8\x00\x00a\xdc\x00\x00b\x01", true), "\u{fffd}\u{fffd}b\u{fffd}");
        // A lead surrogate last (and an odd byte after it).
        assert_eq!(utf16(b"\x00a\xd8\x00\x01", true), "a\u{fffd}\u{fffd}");
    }

    #[test]
    fn media_types_are_sorted_for_the_search() {
        assert!(MEDIA_TYPES.windows(2).all(|w| w[0] < w[1]));
        assert!(takes("application/xml") && takes("image/svg+xml") && !takes("application/smil") && !takes("application/xhtml+xml"));
    }

    #[test]
    fn tags_attributes_and_text_as_tokens() {
        let t = kinds("<a x=\"1\" y='2' z=3 w=v>hi there \n</a >");
        assert_eq!(t.len(), 3);
        let Token::Tag { attrs, stop } = &t[0].0 else { panic!("{t:?}") };
        assert_eq!((attrs.len(), *stop), (4, Stop::Open));
        assert_eq!(t[0].1, "<a x=\"1\" y='2' z=3 w=v>");
        assert_eq!((t[1].0.clone(), t[1].1), (Token::Text, "hi there \n"));
        assert_eq!((t[2].0.clone(), t[2].1), (Token::ClosingTag, "</a >"));
    }

    #[test]
    fn quoted_values_as_tvbparse_reads_them() {
        // Inside the quotes: what lies between them, whitespace after the first skipped for
        // the reading but kept in the value; an escaped quote alone; nothing.
        let (q, used) = quoted(b"\" a b \" x", 0, b'"').unwrap();
        assert_eq!((q, used), (Span { at: 0, len: 7 }, 8));
        assert_eq!(quoted(b"\"\\\"\"", 0, b'"').map(|r| r.0), Some(Span { at: 0, len: 4 }));
        assert_eq!(quoted(b"\"\"", 0, b'"').map(|r| r.0), Some(Span { at: 0, len: 2 }));
        // A backslash then more text: the run stops at the quote after the backslash.
        assert_eq!(quoted(b"\"a\\\"b\"", 0, b'"').map(|r| r.0), Some(Span { at: 0, len: 4 }));
    }

    #[test]
    fn what_starts_no_token_is_unrecognized_up_to_whitespace() {
        // (A name may start with a digit: `<1x>` is a tag.)
        let t = kinds("a < b <=x> <1x> c");
        let k: Vec<_> = t.iter().map(|(k, s)| (k.clone(), *s)).collect();
        assert_eq!(k[..5], [(Token::Text, "a "), (Token::Unrecognized, "<"), (Token::Text, "b "), (Token::Unrecognized, "<=x>"), (k[4].0.clone(), "<1x>")]);
        assert!(matches!(k[4].0, Token::Tag { stop: Stop::Open, .. }));
        assert_eq!(k[5], (Token::Text, "c"));
    }

    #[test]
    fn a_one_byte_end_in_the_last_byte_is_not_found() {
        // tshark's `until` stops before the body's last byte: `<!x>` at the very end is no
        // DTD tag but unrecognized text; one byte more and it is one.
        assert_eq!(kinds("<!x>")[0].0, Token::Unrecognized);
        assert_eq!(kinds("<!x> ")[0].0, Token::DtdTag);
        assert_eq!(kinds("<!-- c -->")[0].0, Token::Comment);
    }

    #[test]
    fn doctypes_open_or_closed() {
        let t = kinds("<!DOCTYPE r [<!ELEMENT r ANY>]><!doctype html PUBLIC \"x\" \"y\"> ");
        assert!(matches!(t[0].0, Token::Doctype { closed: false, .. }), "{t:?}");
        assert_eq!(t[1].0, Token::DtdTag);
        assert_eq!(t[2].0, Token::DtdClose);
        assert!(matches!(t[3].0, Token::Doctype { closed: true, .. }), "{t:?}");
        // Its `>` the body's last byte: no document type (nor a DTD tag), a tag's start that
        // fails, so unrecognized text up to the space.
        let t = kinds("<!doctype html PUBLIC \"x\">");
        assert_eq!((t[0].0.clone(), t[0].1), (Token::Unrecognized, "<!doctype"), "{t:?}");
    }
}
