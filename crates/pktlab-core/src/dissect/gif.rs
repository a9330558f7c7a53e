//! GIF images in HTTP bodies and multipart parts, as tshark 4.0's `file-gif.c` reads them:
//! the version, the logical screen (its size, a `Global settings:` subtree of its flag
//! bits, the background colour, GIF89a's aspect ratio when not zero, the global colour
//! table), then the blocks: each extension (its label and data blocks), each image (its
//! position, size, `Local settings:`, local colour table, LZW code size and data blocks) and
//! the trailer, where reading stops; any other byte is an `Unknown GIF data block type`
//! item of one byte. A body is a GIF when it has 20 bytes or more and starts with `GIF87a`
//! or `GIF89a`. Wireshark's quirks are kept: the colour resolution in a settings line is
//! computed from two of the field's three bits, an image's bits per pixel is the global
//! field, and after an unknown byte the item made last (the block before it, or the global
//! settings) is one byte long. A read past the body's end is Wireshark's exception: what
//! was added stays, the frame is malformed (`[Malformed Packet: GIF image]`) and nothing
//! after it is read.

use super::Ctx;
use super::data::WS_TEXT;
use super::label::LabelCx;
use super::model::*;

fn true_false(v: u64) -> Option<&'static str> {
    match v {
        0 => Some("False"),
        1 => Some("True"),
        _ => None,
    }
}

fn extension_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0xF9 => "Graphics Control",
        0xFE => "Comment",
        0xFF => "Application",
        0x01 => "Plain Text",
        _ => return None,
    })
}

/// The protocol's item inside a multipart part's tree (as `png`'s). Not in the field
/// registry: `image-gif` names the protocol.
pub static GIF_PROTO: FieldDef = FieldDef::new("image-gif", "Compuserve GIF", FieldType::None, Base::None).whole(proto_label);

pub static GIF_VERSION: FieldDef = FieldDef::new("image-gif.version", "Version", FieldType::Str, Base::None);
pub static GIF_SCREEN_WIDTH: FieldDef = FieldDef::new("image-gif.screen.width", "Screen width", FieldType::U16, Base::Dec);
pub static GIF_SCREEN_HEIGHT: FieldDef = FieldDef::new("image-gif.screen.height", "Screen height", FieldType::U16, Base::Dec);
pub static GIF_GLOBAL_COLOR_MAP_PRESENT: FieldDef =
    FieldDef::new("image-gif.global.color_map.present", "Global color map is present", FieldType::U8, Base::Dec).mask(0x80).vals(true_false);
pub static GIF_GLOBAL_COLOR_BPP: FieldDef = FieldDef::new("image-gif.global.color_bpp", "Bits per color minus 1", FieldType::U8, Base::Dec).mask(0x70);
pub static GIF_GLOBAL_COLOR_MAP_ORDERED: FieldDef =
    FieldDef::new("image-gif.global.color_map.ordered", "Global color map is ordered", FieldType::U8, Base::Dec).mask(0x08).vals(true_false);
pub static GIF_GLOBAL_BPP: FieldDef = FieldDef::new("image-gif.global.bpp", "Image bits per pixel minus 1", FieldType::U8, Base::Dec).mask(0x07);
pub static GIF_BACKGROUND: FieldDef = FieldDef::new("image-gif.image_background_index", "Background color index", FieldType::U8, Base::Dec);
pub static GIF_PIXEL_ASPECT_RATIO: FieldDef =
    FieldDef::new("image-gif.global.pixel_aspect_ratio", "Global pixel aspect ratio", FieldType::U8, Base::Dec).custom(aspect_label).pure();
pub static GIF_GLOBAL_COLOR_MAP: FieldDef = FieldDef::new("image-gif.global.color_map", "Global color map", FieldType::Bytes, Base::None);
pub static GIF_IMAGE_LEFT: FieldDef = FieldDef::new("image-gif.image.left", "Image left position", FieldType::U16, Base::Dec);
pub static GIF_IMAGE_TOP: FieldDef = FieldDef::new("image-gif.image.top", "Image top position", FieldType::U16, Base::Dec);
pub static GIF_IMAGE_WIDTH: FieldDef = FieldDef::new("image-gif.image.width", "Image width", FieldType::U16, Base::Dec);
pub static GIF_IMAGE_HEIGHT: FieldDef = FieldDef::new("image-gif.image.height", "Image height", FieldType::U16, Base::Dec);
pub static GIF_LOCAL_COLOR_MAP_PRESENT: FieldDef =
    FieldDef::new("image-gif.local.color_map.present", "Local color map is present", FieldType::U8, Base::Dec).mask(0x80).vals(true_false);
pub static GIF_LOCAL_COLOR_BPP: FieldDef = FieldDef::new("image-gif.local.color_bpp", "Bits per color minus 1", FieldType::U8, Base::Dec).mask(0x70);
pub static GIF_LOCAL_COLOR_MAP_ORDERED: FieldDef =
    FieldDef::new("image-gif.local.color_map.ordered", "Local color map is ordered", FieldType::U8, Base::Dec).mask(0x08).vals(true_false);
/// Registered by Wireshark, never added: an image's bits per pixel is [`GIF_GLOBAL_BPP`].
pub static GIF_LOCAL_BPP: FieldDef = FieldDef::new("image-gif.local.bpp", "Image bits per pixel minus 1", FieldType::U8, Base::Dec).mask(0x07);
pub static GIF_LOCAL_COLOR_MAP: FieldDef = FieldDef::new("image-gif.local.color_map", "Local color map", FieldType::Bytes, Base::None);
pub static GIF_EXTENSION: FieldDef = FieldDef::new("image-gif.extension", "Extension", FieldType::None, Base::None).whole(extension_label);
pub static GIF_EXTENSION_LABEL: FieldDef = FieldDef::new("image-gif.extension.label", "Extension label", FieldType::U8, Base::Hex).vals(extension_name);
pub static GIF_IMAGE: FieldDef = FieldDef::new("image-gif.image", "Image", FieldType::None, Base::None);
pub static GIF_IMAGE_CODE_SIZE: FieldDef = FieldDef::new("image-gif.image.code_size", "LZW minimum code size", FieldType::U8, Base::Dec);
pub static GIF_TRAILER: FieldDef = FieldDef::new("image-gif.end", "Trailer (End of the GIF stream)", FieldType::None, Base::None);
/// A data block's bytes (Wireshark's `FT_UINT_BYTES` item also covers the length byte
/// before them; here the field is the bytes, so its value is theirs, as tshark's is).
pub static GIF_DATA_BLOCK: FieldDef = FieldDef::new("image-gif.data_block", "Data block", FieldType::Bytes, Base::None).custom(data_block_label);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &GIF_VERSION, &GIF_SCREEN_WIDTH, &GIF_SCREEN_HEIGHT, &GIF_GLOBAL_COLOR_MAP_PRESENT, &GIF_GLOBAL_COLOR_BPP, &GIF_GLOBAL_COLOR_MAP_ORDERED,
    &GIF_GLOBAL_BPP, &GIF_BACKGROUND, &GIF_PIXEL_ASPECT_RATIO, &GIF_GLOBAL_COLOR_MAP, &GIF_IMAGE_LEFT, &GIF_IMAGE_TOP, &GIF_IMAGE_WIDTH,
    &GIF_IMAGE_HEIGHT, &GIF_LOCAL_COLOR_MAP_PRESENT, &GIF_LOCAL_COLOR_BPP, &GIF_LOCAL_COLOR_MAP_ORDERED, &GIF_LOCAL_BPP, &GIF_LOCAL_COLOR_MAP,
    &GIF_EXTENSION, &GIF_EXTENSION_LABEL, &GIF_IMAGE, &GIF_IMAGE_CODE_SIZE, &GIF_TRAILER, &GIF_DATA_BLOCK,
];

/// The expert item of a byte that starts no block Wireshark knows.
pub const UNKNOWN_BLOCK: (&str, &str) = ("gif.data_block_type.unknown", "Unknown GIF data block type");

/// The version of `body` if tshark's GIF dissector takes it (20 bytes at least, `GIF87a` or
/// `GIF89a` first): its six letters.
pub(crate) fn version(body: &[u8]) -> Option<&'static str> {
    if body.len() < 20 {
        return None;
    }
    match body.get(..6)? {
        b"GIF87a" => Some("GIF87a"),
        b"GIF89a" => Some("GIF89a"),
        _ => None,
    }
}

/// The GIF image at `data[a..b]`, if it is one ([`version`]; else nothing is added): a
/// layer of its own after HTTP's, or, with `nested`, the protocol's item and its tree where
/// the caller is (a multipart part). Returns the version, which tshark adds to the Info
/// (` (GIF89a)`).
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], a: usize, b: usize, nested: bool) -> Option<&'static str> {
    let b = b.min(data.len());
    let v = version(data.get(a..b).unwrap_or(&[]))?;
    if nested {
        cx.add_proto("image-gif");
        cx.add(&GIF_PROTO, a, b - a, Value::None);
        cx.child(|cx| blocks(cx, data, a, b, v));
    } else {
        let li = cx.open("image-gif", "Compuserve GIF", Osi::Application, a, b - a);
        if let Some(s) = cx.summary(li) {
            s.push_str("Compuserve GIF, Version: ");
            s.push_str(v);
        }
        let _ = blocks(cx, data, a, b, v);
        cx.close(li);
    }
    Some(v)
}

/// The byte at `at` of the image `data[..b]`, or Wireshark's exception past `b`
/// ([`Ctx::short`]): `None`.
fn byte(cx: &mut Ctx, data: &[u8], b: usize, at: usize) -> Option<u8> {
    match data.get(at).filter(|_| at < b) {
        Some(&c) => Some(c),
        None => {
            cx.short(data, at, 1);
            None
        }
    }
}

/// Whether `n` bytes at `at` lie in the image `data[..b]`; if not, Wireshark's exception.
fn there(cx: &mut Ctx, data: &[u8], b: usize, at: usize, n: usize) -> Option<()> {
    if at.checked_add(n).is_some_and(|e| e <= b && e <= data.len()) {
        Some(())
    } else {
        cx.short(data, at, n);
        None
    }
}

/// A little-endian 16-bit field at `at`.
fn u16_le(cx: &mut Ctx, def: &'static FieldDef, data: &[u8], b: usize, at: usize) -> Option<()> {
    there(cx, data, b, at, 2)?;
    cx.add(def, at, 2, Value::UInt(u64::from(u16::from_le_bytes([data[at], data[at + 1]]))));
    Some(())
}

/// `Global settings:` or `Local settings:` as Wireshark writes it from the flags byte
/// `flags`: the table's presence, then bits per colour and per pixel (the colour
/// resolution from bits 5 and 6 only, as Wireshark computes it).
fn settings_text(which: &str, table: &str, flags: u8) -> Box<str> {
    let plural = |n: u8| if n == 1 { "" } else { "s" };
    let (resolution, bpp) = (1 + ((flags & 0x60) >> 4), 1 + (flags & 0x07));
    let mut s = format!("{which} settings:");
    if flags & 0x80 != 0 {
        s.push_str(&format!(" ({table} color table present)"));
    }
    s.push_str(&format!(" ({resolution} bit{} per color) ({bpp} bit{} per pixel)", plural(resolution), plural(bpp)));
    s.into_boxed_str()
}

/// The settings subtree of the flags byte at `at` (the global one's or an image's), its
/// fields under it; the subtree's index.
fn settings(cx: &mut Ctx, data: &[u8], at: usize, v: &str, global: bool) -> u32 {
    let flags = data[at];
    let (which, table) = if global { ("Global", "Global") } else { ("Local", "Local") };
    let item = cx.add(&WS_TEXT, at, 1, Value::Str(settings_text(which, table, flags)));
    let defs: [&'static FieldDef; 4] = if global {
        [&GIF_GLOBAL_COLOR_MAP_PRESENT, &GIF_GLOBAL_COLOR_BPP, &GIF_GLOBAL_COLOR_MAP_ORDERED, &GIF_GLOBAL_BPP]
    } else {
        [&GIF_LOCAL_COLOR_MAP_PRESENT, &GIF_LOCAL_COLOR_BPP, &GIF_LOCAL_COLOR_MAP_ORDERED, &GIF_GLOBAL_BPP]
    };
    cx.child(|cx| {
        for def in defs {
            // (GIF87a has no ordered bit.)
            if def.bitmask == 0x08 && v != "GIF89a" {
                continue;
            }
            let bits = u64::from(flags) & def.bitmask;
            cx.add(def, at, 1, Value::UInt(bits >> def.bitmask.trailing_zeros()));
        }
    });
    item
}

/// The version, the screen and the blocks of the image at `data[a..b]` (at least the 20
/// bytes [`version`] asks for); `None` where a read past the end stopped it (the frame then
/// malformed).
fn blocks(cx: &mut Ctx, data: &[u8], a: usize, b: usize, v: &'static str) -> Option<()> {
    cx.add(&GIF_VERSION, a, 6, Value::Str(v.into()));
    let mut off = a + 6;
    u16_le(cx, &GIF_SCREEN_WIDTH, data, b, off)?;
    u16_le(cx, &GIF_SCREEN_HEIGHT, data, b, off + 2)?;
    off += 4;
    let flags = byte(cx, data, b, off)?;
    // Wireshark's `ti`: the item whose length is set at the end of each pass of the loop.
    let mut last = (settings(cx, data, off, v, true), off);
    off += 1;
    let background = byte(cx, data, b, off)?;
    cx.add(&GIF_BACKGROUND, off, 1, Value::UInt(u64::from(background)));
    off += 1;
    if v == "GIF89a" {
        let aspect = byte(cx, data, b, off)?;
        if aspect != 0 {
            cx.add(&GIF_PIXEL_ASPECT_RATIO, off, 1, Value::UInt(u64::from(aspect)));
        }
    }
    off += 1;
    if flags & 0x80 != 0 {
        let n = 3 << (1 + (flags & 0x07));
        there(cx, data, b, off, n)?;
        cx.add(&GIF_GLOBAL_COLOR_MAP, off, n, Value::Bytes);
        off += n;
    }
    while off < b {
        let start = off;
        match data[off] {
            // An extension: its label, then data blocks.
            0x21 => {
                last = (cx.add(&GIF_EXTENSION, off, 1, Value::None), off);
                off += 1;
                cx.child(|cx| {
                    let label = byte(cx, data, b, off)?;
                    cx.add(&GIF_EXTENSION_LABEL, off, 1, Value::UInt(u64::from(label)));
                    off += 1;
                    data_blocks(cx, data, b, &mut off)
                })?;
            }
            // An image: its descriptor, its own colour table, the LZW code size, data blocks.
            0x2C => {
                last = (cx.add(&GIF_IMAGE, off, 1, Value::None), off);
                off += 1;
                cx.child(|cx| {
                    for def in [&GIF_IMAGE_LEFT, &GIF_IMAGE_TOP, &GIF_IMAGE_WIDTH, &GIF_IMAGE_HEIGHT] {
                        u16_le(cx, def, data, b, off)?;
                        off += 2;
                    }
                    let flags = byte(cx, data, b, off)?;
                    settings(cx, data, off, v, false);
                    off += 1;
                    if flags & 0x80 != 0 {
                        let n = 3 << (1 + (flags & 0x07));
                        there(cx, data, b, off, n)?;
                        cx.add(&GIF_LOCAL_COLOR_MAP, off, n, Value::Bytes);
                        off += n;
                    }
                    let size = byte(cx, data, b, off)?;
                    cx.add(&GIF_IMAGE_CODE_SIZE, off, 1, Value::UInt(u64::from(size)));
                    off += 1;
                    data_blocks(cx, data, b, &mut off)
                })?;
            }
            // The trailer: reading stops at it.
            0x3B => {
                cx.add(&GIF_TRAILER, off, 1, Value::None);
                return Some(());
            }
            _ => {
                let (key, message) = UNKNOWN_BLOCK;
                let item = cx.add(&WS_TEXT, off, 1, Value::Str(message.into()));
                cx.expert(Severity::Warn, key, message, Some(item));
                off += 1;
            }
        }
        // (Only the item itself: a reader's demand may have left it out.)
        if let Some(f) = cx.out.fields.get_mut(last.0 as usize).filter(|f| f.offset as usize == last.1 && f.len > 0) {
            f.len = (off - start) as u32;
        }
    }
    Some(())
}

/// Data blocks from `off`: each a length byte and that many bytes, up to and with the empty
/// one.
fn data_blocks(cx: &mut Ctx, data: &[u8], b: usize, off: &mut usize) -> Option<()> {
    loop {
        let n = usize::from(byte(cx, data, b, *off)?);
        there(cx, data, b, *off + 1, n)?;
        cx.add(&GIF_DATA_BLOCK, *off + 1, n, Value::Bytes);
        *off += 1 + n;
        if n == 0 {
            return Some(());
        }
    }
}

/// `Compuserve GIF, Version: GIF89a` (the protocol's item in a multipart part).
fn proto_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Compuserve GIF, Version: ");
    let bytes = cx.d.field_bytes(cx.frame, cx.field);
    out.push_str(bytes.get(..6).and_then(|v| std::str::from_utf8(v).ok()).unwrap_or(""));
}

/// `Extension: Application`: the label's name appended once Wireshark has read it (the
/// `Extension label` item under it is there), a warning for a label it does not name.
fn extension_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Extension");
    let Some(next) = cx.d.fields.get(cx.idx + 1).filter(|n| std::ptr::eq(n.def, &GIF_EXTENSION_LABEL)) else { return };
    let Value::UInt(v) = next.value else { return };
    out.push_str(": ");
    match extension_name(v) {
        Some(name) => out.push_str(name),
        None => out.push_str(&format!("<Warning: Unknown extension 0x{v:02X}>")),
    }
}

/// `Data block: 0b4e… (length = 11)`, `Data block: <none> (length = 0)`.
fn data_block_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Data block: ");
    super::label::value_text(cx.d, cx.frame, cx.field, out);
    out.push_str(" (length = ");
    out.push_str(itoa::Buffer::new().format(cx.field.len));
    out.push(')');
}

/// `49, yields an aspect ratio of (15 + 49) / 64 = 1.00`: the whole label, as Wireshark
/// formats it (no field name).
fn aspect_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    out.push_str(&format!("{v}, yields an aspect ratio of (15 + {v}) / 64 = {:.2}", f64::from((15 + v as u32) as f32) / 64.0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_lines_are_wiresharks() {
        // (What tshark prints for these in captures/app/gif.pcap.)
        assert_eq!(&*settings_text("Global", "Global", 0xF9), "Global settings: (Global color table present) (7 bits per color) (2 bits per pixel)");
        assert_eq!(&*settings_text("Local", "Local", 0x00), "Local settings: (1 bit per color) (1 bit per pixel)");
        assert_eq!(&*settings_text("Local", "Local", 0xE2), "Local settings: (Local color table present) (7 bits per color) (3 bits per pixel)");
    }

    #[test]
    fn only_gif87a_and_gif89a_of_20_bytes_or_more_are_gifs() {
        let mut body = b"GIF89a".to_vec();
        body.resize(20, 0);
        assert_eq!(version(&body), Some("GIF89a"));
        assert_eq!(version(&body[..19]), None);
        body[4] = b'8';
        assert_eq!(version(&body), None);
        body[4] = b'7';
        assert_eq!(version(&body), Some("GIF87a"));
    }
}
