//! `data`: bytes no dissector claimed.

use super::model::*;
use super::{Ctx, Part};

pub static DATA_DATA: FieldDef = FieldDef::new("data.data", "Data", FieldType::Bytes, Base::None);
pub static DATA_LEN: FieldDef = FieldDef::new("data.len", "Length", FieldType::U32, Base::Dec);
pub static DATA_TEXT: FieldDef = FieldDef::new("data.text", "Text", FieldType::Str, Base::None);

/// A text-only item of the tree (Wireshark's unnamed subtrees: DNS's "Queries" and
/// "Answers", each record's one-line summary); its value is the text shown.
pub static WS_TEXT: FieldDef = FieldDef::new("_ws.text", "", FieldType::Str, Base::None);

/// The `data` protocol's item inside another protocol's tree (`Data (14 bytes)`, the body
/// HTTP hands on when nothing names its type); its parts nest under it. Not in the field
/// registry: `data` names the protocol (filters and `frame.protocols` know it as such).
pub static DATA_PROTO: FieldDef = FieldDef::new("data", "Data", FieldType::None, Base::None).whole(proto_label);

fn proto_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    out.push_str("Data (");
    super::label::bytes_plural(u64::from(cx.field.len), out);
    out.push(')');
}

/// The fields [`dissect`] adds (see [`Part::Data`]).
pub(crate) static DATA_FIELDS: &[&FieldDef] = &[&DATA_DATA, &DATA_LEN];

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&DATA_DATA, &DATA_LEN, &DATA_TEXT, &WS_TEXT];

/// Adds a `data` layer over `off..end` (clamped to the bytes present); returns `end`.
/// Nothing is added for an empty range.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) -> usize {
    let end_c = end.min(data.len());
    if off >= end_c {
        return end;
    }
    let n = end_c - off;
    let li = cx.open("data", "Data", Osi::Application, off, n);
    if cx.part(Part::Data) {
        cx.add(&DATA_DATA, off, n, Value::Bytes);
        cx.add_gen(&DATA_LEN, off, 0, Value::UInt(n as u64));
    }
    cx.close(li);
    if let Some(s) = cx.summary(li) {
        // (Without `write!`: every UDP payload no protocol claims ends here.)
        s.push_str("Data (");
        super::push_dec(s, n as u64);
        s.push_str(if n == 1 { " byte)" } else { " bytes)" });
    }
    end
}

/// The `data` protocol inside the current layer's tree over `off..end` (clamped to the bytes
/// present), as tshark shows bytes a protocol hands to its data dissector: `Data (N bytes)`
/// holding the bytes and their length, and `data` in `frame.protocols`.
pub(crate) fn nested(cx: &mut Ctx, data: &[u8], off: usize, end: usize) {
    let end = end.min(data.len());
    if off >= end {
        return;
    }
    let n = end - off;
    cx.add_proto("data");
    cx.add(&DATA_PROTO, off, n, Value::None);
    cx.child(|cx| {
        cx.add(&DATA_DATA, off, n, Value::Bytes);
        cx.add_gen(&DATA_LEN, off, 0, Value::UInt(n as u64));
    });
}

/// tshark's `data-text-lines` over `off..end` (clamped to the bytes present): a layer
/// `Line-based text data: text/plain (2 lines)` (the media type when the carrier names one)
/// holding each line with its line end, written `\r\n`.
pub(crate) fn text_lines(cx: &mut Ctx, data: &[u8], off: usize, end: usize, media: Option<&str>) {
    let end = end.min(data.len());
    if off >= end {
        return;
    }
    let li = cx.open("data-text-lines", "Line-based text data", Osi::Application, off, end - off);
    let lines = lines_of(cx, data, off, end);
    cx.close(li);
    if let Some(s) = cx.summary(li) {
        text_lines_title(media, lines, s);
    }
}

/// The protocol's item of `data-text-lines` inside another's tree (a multipart part's):
/// its title is its value (JSON gives it none, only its lines under its name).
pub static TEXT_LINES_PROTO: FieldDef = FieldDef::new("data-text-lines", "Line-based text data", FieldType::None, Base::None).whole(protocol_item_label);

/// A protocol's item inside another's tree whose title is its value (`Line-based text data:
/// text/plain (2 lines)`).
pub(crate) fn protocol_item_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    match &cx.field.value {
        Value::Str(s) => out.push_str(s),
        _ => out.push_str(cx.field.def.name),
    }
}

/// [`text_lines`] where the caller is (a multipart part): the protocol's item, its lines
/// under it.
pub(crate) fn text_lines_nested(cx: &mut Ctx, data: &[u8], off: usize, end: usize, media: &str) {
    let end = end.min(data.len());
    if off >= end {
        return;
    }
    cx.add_proto("data-text-lines");
    let item = cx.add(&TEXT_LINES_PROTO, off, end - off, Value::None);
    let lines = cx.child(|cx| lines_of(cx, data, off, end));
    let mut title = String::new();
    text_lines_title(Some(media), lines, &mut title);
    if let Some(f) = cx.out.fields.get_mut(item as usize) {
        f.value = Value::Str(title.into_boxed_str());
    }
}

/// `Line-based text data: text/plain (2 lines)`.
fn text_lines_title(media: Option<&str>, lines: usize, s: &mut String) {
    use std::fmt::Write;
    s.push_str("Line-based text data");
    if let Some(m) = media {
        s.push_str(": ");
        s.push_str(m);
    }
    let _ = write!(s, " ({lines} lines)");
}

/// Each line of `data[off..end]` with its line end (written `\r\n`), as a text item;
/// how many.
fn lines_of(cx: &mut Ctx, data: &[u8], off: usize, end: usize) -> usize {
    let mut lines = 0usize;
    let mut at = off;
    while at < end {
        let stop = data[at..end].iter().position(|&c| c == b'\n').map_or(end, |p| at + p + 1);
        let mut t = String::new();
        for c in String::from_utf8_lossy(&data[at..stop]).chars() {
            match c {
                '\r' => t.push_str("\\r"),
                '\n' => t.push_str("\\n"),
                c => t.push(c),
            }
        }
        cx.add(&WS_TEXT, at, stop - at, Value::Str(t.into_boxed_str()));
        lines += 1;
        at = stop;
    }
    lines
}
