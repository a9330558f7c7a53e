//! PNG images in HTTP bodies and multipart parts, as tshark 4.0's `file-png.c` reads them:
//! the signature, then each chunk as a subtree named by its kind (`Image Header (IHDR)`)
//! holding its length, its type with the three flag bits of the type's letters, what
//! Wireshark reads of the chunk kinds it knows (IHDR, bKGD, cHRM, gAMA, pHYs, sRGB, tEXt,
//! tIME; the others' bytes as `Data`) and its CRC (shown, not checked). A body is a PNG when
//! it has 20 bytes or more and starts with the signature. A read past the body's end is
//! Wireshark's exception: what was added stays, the frame is malformed and nothing after it
//! is read (a chunk whose subtree would reach past the end is not added at all).

use super::Ctx;
use super::model::*;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

fn colour_type(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Greyscale",
        2 => "Truecolour",
        3 => "Indexed-colour",
        4 => "Greyscale with alpha",
        6 => "Truecolour with alpha",
        _ => return None,
    })
}

fn compression_method(v: u64) -> Option<&'static str> {
    (v == 0).then_some("Deflate")
}

fn filter_method(v: u64) -> Option<&'static str> {
    (v == 0).then_some("Adaptive")
}

fn interlace_method(v: u64) -> Option<&'static str> {
    match v {
        0 => Some("No interlace"),
        1 => Some("Adam7"),
        _ => None,
    }
}

fn srgb_intent(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Perceptual",
        1 => "Relative colorimetric",
        2 => "Saturation",
        3 => "Absolute colorimetric",
        _ => return None,
    })
}

fn phys_unit(v: u64) -> Option<&'static str> {
    match v {
        0 => Some("Unit is unknown"),
        1 => Some("Unit is METRE"),
        _ => None,
    }
}

/// The chunk kinds Wireshark names, by their type's four letters.
fn chunk_name(kind: &[u8]) -> Option<&'static str> {
    Some(match kind {
        b"IHDR" => "Image Header",
        b"bKGD" => "Background colour",
        b"gAMA" => "Image gamma",
        b"iCCP" => "Embedded ICC profile",
        b"cHRM" => "Primary chromaticities and white point",
        b"pHYs" => "Physical pixel dimensions",
        b"iTXt" => "International textual data",
        b"tEXt" => "Textual data",
        b"sBIT" => "Significant bits",
        b"sRGB" => "Standard RGB colour space",
        b"tIME" => "Image last-modification time",
        b"IDAT" => "Image data chunk",
        b"IEND" => "Image Trailer",
        b"tRNS" => "Transparency",
        b"PLTE" => "Palette",
        _ => return None,
    })
}

/// The protocol's item inside a multipart part's tree (as `media`'s). Not in the field
/// registry: `png` names the protocol.
pub static PNG_PROTO: FieldDef = FieldDef::new("png", "Portable Network Graphics", FieldType::None, Base::None);

pub static PNG_SIGNATURE: FieldDef = FieldDef::new("png.signature", "PNG Signature", FieldType::Bytes, Base::None);
pub static PNG_CHUNK_LEN: FieldDef = FieldDef::new("png.chunk.len", "Len", FieldType::U32, Base::Dec);
pub static PNG_CHUNK_TYPE: FieldDef = FieldDef::new("png.chunk.type", "Chunk", FieldType::Str, Base::None);
pub static PNG_CHUNK_FLAG_ANC: FieldDef =
    FieldDef::new("png.chunk.flag.ancillary", "Ancillary", FieldType::Bool, Base::None).mask(0x2000_0000).tfs("This is an ANCILLARY chunk", "This is a CRITICAL chunk");
pub static PNG_CHUNK_FLAG_PRIV: FieldDef =
    FieldDef::new("png.chunk.flag.private", "Private", FieldType::Bool, Base::None).mask(0x0020_0000).tfs("This is a PRIVATE chunk", "This is a PUBLIC chunk");
pub static PNG_CHUNK_FLAG_STC: FieldDef =
    FieldDef::new("png.chunk.flag.stc", "Safe To Copy", FieldType::Bool, Base::None).mask(0x0000_0020).tfs("This chunk is SAFE TO COPY", "This chunk is NOT safe to copy");
pub static PNG_CHUNK_DATA: FieldDef = FieldDef::new("png.chunk.data", "Data", FieldType::None, Base::None);
pub static PNG_CHUNK_CRC: FieldDef = FieldDef::new("png.chunk.crc", "CRC", FieldType::U32, Base::Hex);
pub static PNG_IHDR_WIDTH: FieldDef = FieldDef::new("png.ihdr.width", "Width", FieldType::U32, Base::Dec);
pub static PNG_IHDR_HEIGHT: FieldDef = FieldDef::new("png.ihdr.height", "Height", FieldType::U32, Base::Dec);
pub static PNG_IHDR_BITDEPTH: FieldDef = FieldDef::new("png.ihdr.bitdepth", "Bit Depth", FieldType::U8, Base::Dec);
pub static PNG_IHDR_COLOUR_TYPE: FieldDef = FieldDef::new("png.ihdr.colour_type", "Colour Type", FieldType::U8, Base::Dec).vals(colour_type);
pub static PNG_IHDR_COMPRESSION_METHOD: FieldDef =
    FieldDef::new("png.ihdr.compression_method", "Compression Method", FieldType::U8, Base::Dec).vals(compression_method);
pub static PNG_IHDR_FILTER_METHOD: FieldDef = FieldDef::new("png.ihdr.filter_method", "Filter Method", FieldType::U8, Base::Dec).vals(filter_method);
pub static PNG_IHDR_INTERLACE_METHOD: FieldDef =
    FieldDef::new("png.ihdr.interlace_method", "Interlace Method", FieldType::U8, Base::Dec).vals(interlace_method);
pub static PNG_SRGB_INTENT: FieldDef = FieldDef::new("png.srgb.intent", "Intent", FieldType::U8, Base::Dec).vals(srgb_intent);
pub static PNG_TEXT_KEYWORD: FieldDef = FieldDef::new("png.text.keyword", "Keyword", FieldType::Str, Base::None);
pub static PNG_TEXT_STRING: FieldDef = FieldDef::new("png.text.string", "String", FieldType::Str, Base::None);
pub static PNG_TIME_YEAR: FieldDef = FieldDef::new("png.time.year", "Year", FieldType::U16, Base::Dec);
pub static PNG_TIME_MONTH: FieldDef = FieldDef::new("png.time.month", "Month", FieldType::U8, Base::Dec);
pub static PNG_TIME_DAY: FieldDef = FieldDef::new("png.time.day", "Day", FieldType::U8, Base::Dec);
pub static PNG_TIME_HOUR: FieldDef = FieldDef::new("png.time.hour", "Hour", FieldType::U8, Base::Dec);
pub static PNG_TIME_MINUTE: FieldDef = FieldDef::new("png.time.minute", "Minute", FieldType::U8, Base::Dec);
pub static PNG_TIME_SECOND: FieldDef = FieldDef::new("png.time.second", "Second", FieldType::U8, Base::Dec);
pub static PNG_PHYS_HORIZ: FieldDef = FieldDef::new("png.phys.horiz", "Horizontal pixels per unit", FieldType::U32, Base::Dec);
pub static PNG_PHYS_VERT: FieldDef = FieldDef::new("png.phys.vert", "Vertical pixels per unit", FieldType::U32, Base::Dec);
pub static PNG_PHYS_UNIT: FieldDef = FieldDef::new("png.phys.unit", "Unit", FieldType::U8, Base::Dec).vals(phys_unit);
pub static PNG_BKGD_PALETTE_INDEX: FieldDef = FieldDef::new("png.bkgd.palette_index", "Palette Index", FieldType::U8, Base::Dec);
pub static PNG_BKGD_GREYSCALE: FieldDef = FieldDef::new("png.bkgd.greyscale", "Greyscale", FieldType::U16, Base::Hex);
pub static PNG_BKGD_RED: FieldDef = FieldDef::new("png.bkgd.red", "Red", FieldType::U16, Base::Hex);
pub static PNG_BKGD_GREEN: FieldDef = FieldDef::new("png.bkgd.green", "Green", FieldType::U16, Base::Hex);
pub static PNG_BKGD_BLUE: FieldDef = FieldDef::new("png.bkgd.blue", "Blue", FieldType::U16, Base::Hex);
pub static PNG_CHRM_WHITE_X: FieldDef = FieldDef::new("png.chrm.white.x", "White X", FieldType::Float, Base::None);
pub static PNG_CHRM_WHITE_Y: FieldDef = FieldDef::new("png.chrm.white.y", "White Y", FieldType::Float, Base::None);
pub static PNG_CHRM_RED_X: FieldDef = FieldDef::new("png.chrm.red.x", "Red X", FieldType::Float, Base::None);
pub static PNG_CHRM_RED_Y: FieldDef = FieldDef::new("png.chrm.red.y", "Red Y", FieldType::Float, Base::None);
pub static PNG_CHRM_GREEN_X: FieldDef = FieldDef::new("png.chrm.green.x", "Green X", FieldType::Float, Base::None);
pub static PNG_CHRM_GREEN_Y: FieldDef = FieldDef::new("png.chrm.green.y", "Green Y", FieldType::Float, Base::None);
pub static PNG_CHRM_BLUE_X: FieldDef = FieldDef::new("png.chrm.blue.x", "Blue X", FieldType::Float, Base::None);
pub static PNG_CHRM_BLUE_Y: FieldDef = FieldDef::new("png.chrm.blue.y", "Blue Y", FieldType::Float, Base::None);
pub static PNG_GAMA_GAMMA: FieldDef = FieldDef::new("png.gama.gamma", "Gamma", FieldType::Float, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &PNG_SIGNATURE, &PNG_CHUNK_LEN, &PNG_CHUNK_TYPE, &PNG_CHUNK_FLAG_ANC, &PNG_CHUNK_FLAG_PRIV, &PNG_CHUNK_FLAG_STC, &PNG_CHUNK_DATA, &PNG_CHUNK_CRC,
    &PNG_IHDR_WIDTH, &PNG_IHDR_HEIGHT, &PNG_IHDR_BITDEPTH, &PNG_IHDR_COLOUR_TYPE, &PNG_IHDR_COMPRESSION_METHOD, &PNG_IHDR_FILTER_METHOD,
    &PNG_IHDR_INTERLACE_METHOD, &PNG_SRGB_INTENT, &PNG_TEXT_KEYWORD, &PNG_TEXT_STRING, &PNG_TIME_YEAR, &PNG_TIME_MONTH, &PNG_TIME_DAY,
    &PNG_TIME_HOUR, &PNG_TIME_MINUTE, &PNG_TIME_SECOND, &PNG_PHYS_HORIZ, &PNG_PHYS_VERT, &PNG_PHYS_UNIT, &PNG_BKGD_PALETTE_INDEX,
    &PNG_BKGD_GREYSCALE, &PNG_BKGD_RED, &PNG_BKGD_GREEN, &PNG_BKGD_BLUE, &PNG_CHRM_WHITE_X, &PNG_CHRM_WHITE_Y, &PNG_CHRM_RED_X,
    &PNG_CHRM_RED_Y, &PNG_CHRM_GREEN_X, &PNG_CHRM_GREEN_Y, &PNG_CHRM_BLUE_X, &PNG_CHRM_BLUE_Y, &PNG_GAMA_GAMMA,
];

/// Whether `body` is one tshark's PNG dissector takes: 20 bytes at least, the signature
/// first.
pub(crate) fn is_png(body: &[u8]) -> bool {
    body.len() >= 20 && body.starts_with(&SIGNATURE)
}

/// The PNG image at `data[a..b]`, if it is one ([`is_png`]; else nothing is added and the
/// answer is false): a layer of its own after HTTP's, or, with `nested`, the protocol's item
/// and its tree where the caller is (a multipart part). A read past the end marks the frame
/// malformed (see [`Ctx::short`]) and ends the image there.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], a: usize, b: usize, nested: bool) -> bool {
    let b = b.min(data.len());
    if !is_png(data.get(a..b).unwrap_or(&[])) {
        return false;
    }
    if nested {
        cx.add_proto("png");
        cx.add(&PNG_PROTO, a, b - a, Value::None);
        cx.child(|cx| chunks(cx, data, a, b));
    } else {
        let li = cx.open("png", "Portable Network Graphics", Osi::Application, a, b - a);
        if let Some(s) = cx.summary(li) {
            s.push_str("Portable Network Graphics");
        }
        chunks(cx, data, a, b);
        cx.close(li);
    }
    true
}

/// A read of `n` bytes at `at` of the image `data[..b]` that fails past `b`: Wireshark's
/// exception ([`Ctx::short`]), `None`.
fn read<'d>(cx: &mut Ctx, data: &'d [u8], b: usize, at: usize, n: usize) -> Option<&'d [u8]> {
    match at.checked_add(n).filter(|&e| e <= b) {
        Some(e) => data.get(at..e),
        None => {
            cx.short(data, at, n);
            None
        }
    }
}

fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |v, &c| v << 8 | u64::from(c))
}

/// Adds an integer field of `n` bytes at `at` (within `data[..b]`), or fails as a read
/// past the end does.
fn uint(cx: &mut Ctx, def: &'static FieldDef, data: &[u8], b: usize, at: usize, n: usize) -> Option<()> {
    let v = be(read(cx, data, b, at, n)?);
    cx.add(def, at, n, Value::UInt(v));
    Some(())
}

/// The signature and the chunks of the image at `data[a..b]` (at least the 20 bytes
/// [`is_png`] asks for).
fn chunks(cx: &mut Ctx, data: &[u8], a: usize, b: usize) {
    cx.add(&PNG_SIGNATURE, a, 8, Value::Bytes);
    let mut off = a + 8;
    while off < b {
        if chunk(cx, data, b, &mut off).is_none() {
            return;
        }
    }
}

/// One chunk at `off`; `None` when a read failed past the end (the frame then malformed)
/// or the chunk is too long to read (its expert item added): the image ends there.
fn chunk(cx: &mut Ctx, data: &[u8], b: usize, off: &mut usize) -> Option<()> {
    let start = *off;
    let len = be(read(cx, data, b, start, 4)?) as u32;
    let kind = read(cx, data, b, start + 4, 4)?;
    // The subtree spans length, type, data and CRC: its length as Wireshark's signed int
    // (-1 is "to the end"; a longer chunk than the body is an exception before it is added).
    let span = match 12u32.wrapping_add(len) as i32 {
        -1 => b - start,
        n => read(cx, data, b, start, usize::try_from(n).unwrap_or(usize::MAX))?.len(),
    };
    // (The type as text up to a NUL, each byte past ASCII the replacement character.)
    let shown = super::http::ascii_text(kind.split(|&c| c == 0).next().unwrap_or(&[]));
    let label = format!("{} ({shown})", chunk_name(kind).unwrap_or("unknown"));
    cx.add(&super::data::WS_TEXT, start, span, Value::Str(label.into_boxed_str()));
    let kind_bits = be(kind) as u32;
    cx.child(|cx| {
        let len_item = cx.add(&PNG_CHUNK_LEN, start, 4, Value::UInt(u64::from(len)));
        if len > i32::MAX as u32 {
            cx.expert(Severity::Warn, "png.chunk_too_large", "chunk size too large, dissection of this chunk is not supported", Some(len_item));
            return None;
        }
        let at = start + 4;
        cx.add(&PNG_CHUNK_TYPE, at, 4, Value::Str(shown));
        for def in [&PNG_CHUNK_FLAG_ANC, &PNG_CHUNK_FLAG_PRIV, &PNG_CHUNK_FLAG_STC] {
            cx.add(def, at, 4, Value::Bool(u64::from(kind_bits) & def.bitmask != 0));
        }
        // (The subtree's span holds the data and the CRC: len fits.)
        let (s, e) = (start + 8, start + 8 + len as usize);
        match kind {
            b"IHDR" => ihdr(cx, data, e, s)?,
            b"bKGD" => bkgd(cx, data, e, s)?,
            b"cHRM" => {
                let defs = [
                    &PNG_CHRM_WHITE_X, &PNG_CHRM_WHITE_Y, &PNG_CHRM_RED_X, &PNG_CHRM_RED_Y, &PNG_CHRM_GREEN_X, &PNG_CHRM_GREEN_Y, &PNG_CHRM_BLUE_X,
                    &PNG_CHRM_BLUE_Y,
                ];
                for (i, def) in defs.into_iter().enumerate() {
                    float(cx, def, data, e, s + 4 * i)?;
                }
            }
            b"gAMA" => float(cx, &PNG_GAMA_GAMMA, data, e, s)?,
            b"pHYs" => {
                uint(cx, &PNG_PHYS_HORIZ, data, e, s, 4)?;
                uint(cx, &PNG_PHYS_VERT, data, e, s + 4, 4)?;
                uint(cx, &PNG_PHYS_UNIT, data, e, s + 8, 1)?;
            }
            b"sRGB" => uint(cx, &PNG_SRGB_INTENT, data, e, s, 1)?,
            b"tEXt" => text(cx, data, s, e),
            b"tIME" => {
                uint(cx, &PNG_TIME_YEAR, data, e, s, 2)?;
                let defs = [&PNG_TIME_MONTH, &PNG_TIME_DAY, &PNG_TIME_HOUR, &PNG_TIME_MINUTE, &PNG_TIME_SECOND];
                for (i, def) in defs.into_iter().enumerate() {
                    uint(cx, def, data, e, s + 2 + i, 1)?;
                }
            }
            _ if len > 0 => {
                cx.add(&PNG_CHUNK_DATA, s, len as usize, Value::None);
            }
            _ => {}
        }
        uint(cx, &PNG_CHUNK_CRC, data, b, e, 4)?;
        *off = e + 4;
        Some(())
    })
}

/// IHDR's seven fields, from `s` of a chunk ending at `e`.
fn ihdr(cx: &mut Ctx, data: &[u8], e: usize, s: usize) -> Option<()> {
    uint(cx, &PNG_IHDR_WIDTH, data, e, s, 4)?;
    uint(cx, &PNG_IHDR_HEIGHT, data, e, s + 4, 4)?;
    let defs = [&PNG_IHDR_BITDEPTH, &PNG_IHDR_COLOUR_TYPE, &PNG_IHDR_COMPRESSION_METHOD, &PNG_IHDR_FILTER_METHOD, &PNG_IHDR_INTERLACE_METHOD];
    for (i, def) in defs.into_iter().enumerate() {
        uint(cx, def, data, e, s + 8 + i, 1)?;
    }
    Some(())
}

/// bKGD by its length: a palette index (1 byte), a grey level (2) or red, green and blue
/// (6); nothing for another length.
fn bkgd(cx: &mut Ctx, data: &[u8], e: usize, s: usize) -> Option<()> {
    match e - s {
        1 => uint(cx, &PNG_BKGD_PALETTE_INDEX, data, e, s, 1),
        2 => uint(cx, &PNG_BKGD_GREYSCALE, data, e, s, 2),
        6 => {
            uint(cx, &PNG_BKGD_RED, data, e, s, 2)?;
            uint(cx, &PNG_BKGD_GREEN, data, e, s + 2, 2)?;
            uint(cx, &PNG_BKGD_BLUE, data, e, s + 4, 2)
        }
        _ => Some(()),
    }
}

/// A value stored times 100000 in four bytes, as Wireshark computes it (in single
/// precision) and shows it (six significant digits, `%.6g`).
fn float(cx: &mut Ctx, def: &'static FieldDef, data: &[u8], e: usize, at: usize) -> Option<()> {
    let raw = be(read(cx, data, e, at, 4)?) as u32;
    let v = raw as f32 / 100_000.0f32;
    cx.add(def, at, 4, Value::Float(g6(v)));
    Some(())
}

/// `v` rounded to six significant digits, as C's `%.6g` prints it (and reads back).
fn g6(v: f32) -> f64 {
    format!("{:.5e}", f64::from(v)).parse().unwrap_or(f64::from(v))
}

/// tEXt: a keyword up to a NUL byte, then the text (both Latin-1); nothing when no NUL
/// follows a keyword of one byte or more.
fn text(cx: &mut Ctx, data: &[u8], s: usize, e: usize) {
    let chunk = data.get(s..e).unwrap_or(&[]);
    let Some(nul) = chunk.iter().position(|&c| c == 0).filter(|&n| n > 0) else { return };
    let latin1 = |b: &[u8]| b.iter().map(|&c| c as char).collect::<String>().into_boxed_str();
    cx.add(&PNG_TEXT_KEYWORD, s, nul, Value::Str(latin1(&chunk[..nul])));
    cx.add(&PNG_TEXT_STRING, s + nul + 1, chunk.len() - nul - 1, Value::Str(latin1(&chunk[nul + 1..])));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stored_times_100000_print_as_c_prints_a_float() {
        // (What tshark prints for these in captures/app/images.pcap.)
        for (raw, shown) in [(45455u32, "0.45455"), (31270, "0.3127"), (32900, "0.329"), (100000, "1"), (4294967295, "42949.7"), (123456789, "1234.57"), (0, "0")] {
            let mut out = String::new();
            super::super::format::push_float(&mut out, g6(raw as f32 / 100_000.0f32));
            assert_eq!(out, shown, "{raw}");
        }
    }
}
