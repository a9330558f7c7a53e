//! The protocol tree's text: each field's label exactly as tshark 4.0 writes it in `-V`
//! (bit patterns for masked fields, value names as `Name (n)`, units, generated fields in
//! brackets, and the labels dissectors write themselves through [`TreeText::Custom`]). The
//! CLI's `-V` and the TUI's tree both print these lines.

use super::model::*;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether MAC addresses are shown with their resolved names (tshark's default; `-n` turns
/// it off).
static RESOLVE_MAC: AtomicBool = AtomicBool::new(true);

/// Turns MAC name resolution in tree labels on or off (tshark's `-n` / `-N m`).
pub fn set_mac_resolution(on: bool) {
    RESOLVE_MAC.store(on, Ordering::Relaxed);
}

/// Whether MAC name resolution is on.
pub fn mac_resolution() -> bool {
    RESOLVE_MAC.load(Ordering::Relaxed)
}

/// What a [`TreeText::Custom`] function sees: the whole dissection, the frame's bytes and the
/// field being labelled.
pub struct LabelCx<'a> {
    pub d: &'a Dissection,
    pub frame: &'a [u8],
    pub idx: usize,
    pub field: &'a Field,
}

impl<'a> LabelCx<'a> {
    /// The field's value as an integer (0 if it has none).
    pub fn uint(&self) -> u64 {
        match self.field.value {
            Value::UInt(n) => n,
            Value::Int(n) => n as u64,
            Value::Bool(b) => u64::from(b),
            _ => 0,
        }
    }

    /// The field's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.d.field_bytes(self.frame, self.field)
    }

    /// The layer the field belongs to.
    pub fn layer(&self) -> Option<&'a Layer> {
        self.d.layer_of(self.idx as u32)
    }

    /// The first field of `def` in the same layer.
    pub fn in_layer(&self, def: &'static FieldDef) -> Option<&'a Field> {
        let l = self.layer()?;
        self.d.fields.get(l.fields.start as usize..l.fields.end as usize)?.iter().find(|f| std::ptr::eq(f.def, def))
    }

    /// The fields nested directly or deeper under this one.
    pub fn children(&self) -> impl Iterator<Item = &'a Field> + 'a {
        let depth = self.field.depth;
        self.d.fields.get(self.idx + 1..).unwrap_or(&[]).iter().take_while(move |f| f.depth > depth)
    }

    /// The field's value as the generic label writes it (no name).
    pub fn value(&self, out: &mut String) {
        value_text(self.d, self.frame, self.field, out);
    }
}

/// The label tshark's `-V` tree shows for field `idx`, without indentation.
pub fn tree_label(d: &Dissection, frame: &[u8], idx: usize, out: &mut String) {
    let Some(f) = d.fields.get(idx) else { return };
    let def = f.def;
    if f.generated {
        out.push('[');
    }
    if let TreeText::Whole(write) = def.display {
        // (A whole label is Wireshark's text set on the item: marked at its start when cut.)
        let start = out.len();
        write(&LabelCx { d, frame, idx, field: f }, out);
        cut_text_label(out, start);
        if f.generated {
            out.push(']');
        }
        return;
    }
    if def.bitmask != 0 {
        let bits = mask_bits(f);
        // The pattern shows the bits on the wire (a header length of 20 is `0101`), read from
        // the field's bytes where it has them.
        let bytes = d.field_bytes(frame, f);
        let raw = if (1..=8).contains(&bytes.len()) && f.len as usize == bytes.len() {
            bytes.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b))
        } else {
            match &f.value {
                Value::UInt(n) => *n << def.bitmask.trailing_zeros(),
                Value::Bool(true) => def.bitmask,
                _ => 0,
            }
        };
        bit_pattern(def.bitmask, raw, bits, out);
        out.push_str(" = ");
    }
    if let TreeText::Custom(write) = def.display {
        write(&LabelCx { d, frame, idx, field: f }, out);
    } else if def.name.is_empty() {
        // A text-only item: its value is the whole label (marked at its start when cut).
        let start = out.len();
        super::format::write_cell(out, d, frame, f);
        cut_text_label(out, start);
    } else {
        let start = out.len();
        out.push_str(def.name);
        if !matches!(f.value, Value::None) && (!matches!(f.value, Value::Bytes) || def.ftype != FieldType::None) {
            out.push_str(": ");
            value_text(d, frame, f, out);
        }
        if out.len() - start > LABEL_MAX {
            mark_truncated(out, start, def.name.len());
        }
    }
    if f.generated {
        out.push(']');
    }
}

/// Remembers texts by a key of four words: the caller says what its text depends on, and a
/// text asked for again is copied rather than written again. A key's hash picks a set of two
/// slots, which hold the last two texts of keys with that hash: with one slot per hash, two
/// texts of the same frame that met in a slot pushed each other out in every frame, and which
/// ones met changed with where the definitions sit in memory. The tree's labels
/// ([`LabelCache`]) and `-T json`'s members keep theirs here.
pub struct TextCache {
    /// Each slot's key and text (side by side: a lookup that finds its key reads the text's
    /// place from the same line).
    slots: Vec<([u64; 4], String)>,
}

impl Default for TextCache {
    fn default() -> Self {
        TextCache::with_slots(TextCache::SLOTS)
    }
}

impl TextCache {
    const SLOTS: usize = 1024;

    pub fn new() -> Self {
        Self::default()
    }

    /// A cache of `n` slots (a power of two, at least one set of two).
    fn with_slots(n: usize) -> Self {
        debug_assert!(n.is_power_of_two() && n >= 2);
        TextCache { slots: vec![([0; 4], String::new()); n] }
    }

    /// Appends the text of `key` to `out`: the one kept, or the one `write` appends (then
    /// kept). Every text written for a key must be the same; no key is all zeros.
    #[inline]
    pub fn put(&mut self, key: [u64; 4], out: &mut String, write: impl FnOnce(&mut String)) {
        // (An empty slot's key is all zeros.)
        debug_assert!(key != [0; 4]);
        let h = (key[0] ^ key[1].rotate_left(17) ^ key[2].rotate_left(41) ^ key[3]).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // Two slots per set, side by side (the number of slots is a power of two): the set's
        // newest text first. The set is picked by the product's top bits, the only ones every
        // bit of the key reaches (with bits 32 and up, keys that differed only in their high
        // bytes, the blocks of two port numbers of every connection, met in one set).
        let sets = self.slots.len() / 2;
        let set = (h.checked_shr(64 - sets.trailing_zeros()).unwrap_or(0) as usize & (sets - 1)) * 2;
        let Some([(k0, t0), (k1, t1)]) = self.slots.get_mut(set..set + 2).and_then(|s| <&mut [_; 2]>::try_from(s).ok()) else {
            return write(out);
        };
        if same(k0, &key) {
            out.push_str(t0);
            return;
        }
        if same(k1, &key) {
            out.push_str(t1);
            return;
        }
        // The older one goes; the one before it becomes the older.
        std::mem::swap(k0, k1);
        std::mem::swap(t0, t1);
        let start = out.len();
        write(out);
        *k0 = key;
        t0.clear();
        t0.push_str(&out[start..]);
    }
}

/// Whether two keys are equal, compared a word at a time: a key is built a word at a time
/// just before, and comparing it as two 16-byte halves read each half back before the words
/// written into it were through (a stall that cost a third of a cache lookup).
#[inline(always)]
fn same(a: &[u64; 4], b: &[u64; 4]) -> bool {
    ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0
}

/// Remembers the labels of fields whose label depends on nothing but the field itself: a
/// `Name: value` label (plain, true/false texts or a unit; value names and bit patterns
/// included), or a label function marked [`FieldDef::pure`], of an integer, boolean, IPv4,
/// MAC address or duration value (or of bytes, by their number: `TCP payload (12 bytes)`),
/// and protocol items whose label is their name (but not fields marked
/// [`FieldDef::volatile`]). A capture repeats most of these frame after frame (flag bits,
/// versions, ports, lengths, addresses), and copying a remembered label costs less than
/// writing it again. The labels are the same as [`tree_label`]'s.
#[derive(Default)]
pub struct LabelCache {
    texts: TextCache,
}

/// What a pure label depends on: the definition, the value (with its kind), the masked bits
/// a bit pattern shows, the field's length (a pattern's width may follow it), whether it is
/// generated (brackets) and whether MAC names are resolved.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct LabelKey {
    def: usize,
    value: u64,
    bits: u64,
    meta: u64,
}

impl LabelCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache of `n` slots (a power of two, at least one set of two).
    #[cfg(test)]
    fn with_slots(n: usize) -> Self {
        LabelCache { texts: TextCache::with_slots(n) }
    }

    /// [`tree_label`] of field `idx`, from the cache when it holds the label.
    pub fn tree_label(&mut self, d: &Dissection, frame: &[u8], idx: usize, out: &mut String) {
        self.tree_line(d, frame, idx, 0, false, out);
    }

    /// The tree's whole line of field `idx`: `indent` spaces, its [`tree_label`] and, with
    /// `newline`, a line feed; kept whole in the cache (indents up to 255).
    pub fn tree_line(&mut self, d: &Dissection, frame: &[u8], idx: usize, indent: usize, newline: bool, out: &mut String) {
        let line = |out: &mut String| {
            for _ in 0..indent / 4 {
                out.push_str("    ");
            }
            for _ in 0..indent % 4 {
                out.push(' ');
            }
            tree_label(d, frame, idx, out);
            if newline {
                out.push('\n');
            }
        };
        let Some(mut key) = d.fields.get(idx).and_then(|f| pure_key(d, frame, f)).filter(|_| indent < 256) else {
            return line(out);
        };
        // (Above the bits `pure_key` uses.)
        key.meta |= (indent as u64) << 48 | u64::from(newline) << 56;
        self.texts.put([key.def as u64, key.value, key.bits, key.meta], out, line);
    }
}

/// The key of a field whose label [`tree_label`] writes from the field alone, or `None`.
fn pure_key(d: &Dissection, frame: &[u8], f: &Field) -> Option<LabelKey> {
    let def = f.def;
    if def.volatile {
        return None;
    }
    let pure = match def.display {
        TreeText::Plain | TreeText::Tfs(..) | TreeText::Unit(_) => !def.name.is_empty(),
        TreeText::Custom(_) | TreeText::Whole(_) => def.pure_label,
    };
    if !pure {
        return None;
    }
    let (kind, value): (u8, u64) = match f.value {
        // A protocol item's label is its name (TCP's NOP option).
        Value::Bytes if def.ftype == FieldType::None && matches!(def.display, TreeText::Plain) => (7, 0),
        // A pure label of bytes reads only their length (`TCP payload (12 bytes)`), which the
        // key holds.
        Value::Bytes if def.pure_label => (8, 0),
        ref v => v.scalar()?,
    };
    let bits = if def.bitmask != 0 {
        let bytes = d.field_bytes(frame, f);
        let raw = if (1..=8).contains(&bytes.len()) && f.len as usize == bytes.len() {
            bytes.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b))
        } else {
            match f.value {
                Value::UInt(n) => n << def.bitmask.trailing_zeros(),
                Value::Bool(true) => def.bitmask,
                _ => 0,
            }
        };
        raw & def.bitmask
    } else {
        0
    };
    let meta = u64::from(f.len) | u64::from(kind) << 32 | u64::from(f.generated) << 40 | u64::from(mac_resolution()) << 41;
    Some(LabelKey { def: def as *const FieldDef as usize, value, bits, meta })
}

/// The key of the lines of fields `idx..end`, `indent` spaces in: a [`FieldDef::block`]
/// field's subtree, and the block fields that follow it at its depth with theirs (a run of
/// header fields: an Ethernet header's addresses and type, IPv4's version, header length and
/// DS field). The key holds the first field's definition, the bytes from its start to the
/// end of the last byte any of them covers, how many fields the run holds and whether MAC
/// names are resolved. `None` when those bytes are more than 16 or none, a field lies before
/// the first one's start or in other bytes, or the frame is cut short of them.
pub fn block_key(d: &Dissection, frame: &[u8], idx: usize, end: usize, indent: usize) -> Option<[u64; 4]> {
    let f = d.fields.get(idx)?;
    let mut span = f.len;
    for c in d.fields.get(idx..end)? {
        if c.source != f.source || (c.len > 0 && c.offset < f.offset) {
            return None;
        }
        if c.len > 0 {
            span = span.max(c.offset - f.offset + c.len);
        }
    }
    let start = f.offset as usize;
    let bytes = d.source_bytes(frame, f.source).get(start..start + span as usize)?;
    if !f.def.block || bytes.is_empty() || bytes.len() > 16 || indent > 0xffff || end - idx > 0xffff {
        return None;
    }
    let mut words = [0u8; 16];
    words[..bytes.len()].copy_from_slice(bytes);
    let (a, b) = words.split_at(8);
    let word = |w: &[u8]| u64::from_be_bytes(w.try_into().unwrap_or_default());
    let meta = bytes.len() as u64 | (indent as u64) << 8 | ((end - idx) as u64) << 24 | u64::from(mac_resolution()) << 56;
    Some([f.def as *const FieldDef as u64, word(a), word(b), meta])
}

/// Layer `li`'s line in the tree, as tshark writes a protocol's item: its title, then `, `
/// and its summary (`Transmission Control Protocol, Src Port: …`); a summary that is the
/// whole text (it starts with the title, `Compuserve GIF, Version: GIF89a`, or is a
/// generated item's bracketed text, `[3 Reassembled TCP …]`) alone. The `-V` tree, JSON's
/// protocol keys and the TUI all write it so.
pub fn layer_label(d: &Dissection, li: usize, out: &mut String) {
    let Some(l) = d.layers.get(li) else { return };
    if l.summary.is_empty() {
        out.push_str(l.title);
    } else if l.summary.starts_with(l.title) || l.summary.starts_with('[') {
        out.push_str(&l.summary);
    } else {
        out.push_str(l.title);
        out.push_str(", ");
        out.push_str(&l.summary);
    }
}

/// The longest label Wireshark's buffer holds (ITEM_LABEL_LENGTH less its NUL).
const LABEL_MAX: usize = 239;

/// A text label written from `start` of `out` (Wireshark's text set on an item, a text-only
/// item), cut and marked as Wireshark does when it is longer than its buffer holds
/// (` [truncated]` before the text).
pub fn cut_text_label(out: &mut String, start: usize) {
    if out.len() - start > LABEL_MAX {
        mark_truncated(out, start, 0);
    }
}

/// Text appended to a label written from `start` of `out` (Wireshark's
/// `proto_item_append_text`): as much of `text` as the label's buffer still holds (a label
/// cut to its limit keeps room for one byte).
pub fn append_text_label(out: &mut String, start: usize, text: &str) {
    let room = LABEL_MAX.saturating_sub(out.len() - start);
    let mut n = text.len().min(room);
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    out.push_str(&text[..n]);
}

/// A `Name: value` label too long for Wireshark's buffer, as its `label_mark_truncated`
/// leaves it: ` [truncated]` after the name (before a nameless label's text), the whole cut
/// to 238 bytes at a character boundary (`Protocols in frame [truncated]: eth:…`,
/// ` [truncated]xxxx…`).
fn mark_truncated(out: &mut String, start: usize, name_len: usize) {
    out.insert_str(start + name_len, " [truncated]");
    let mut end = start + LABEL_MAX - 1;
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
}

/// A field's value as the tree writes it after `Name: `.
pub fn value_text(d: &Dissection, frame: &[u8], f: &Field, out: &mut String) {
    let def = f.def;
    match &f.value {
        Value::None => {}
        Value::Bool(b) => {
            let (yes, no) = match def.display {
                TreeText::Tfs(y, n) => (y, n),
                _ if def.bitmask != 0 => ("Set", "Not set"),
                _ => ("True", "False"),
            };
            out.push_str(if *b { yes } else { no });
        }
        Value::UInt(n) => {
            let name = def.vals.map(|v| v(*n).unwrap_or("Unknown"));
            let n = super::format::tree_uint(def, *n);
            match name {
                Some(s) => {
                    out.push_str(s);
                    out.push_str(" (");
                    number(n, def, out);
                    out.push(')');
                }
                None => {
                    number(n, def, out);
                    if let TreeText::Unit(u) = def.display {
                        out.push_str(u);
                    }
                }
            }
        }
        Value::Duration(_) | Value::Time(_) if def.ftype == FieldType::RelTime => {
            super::format::write_cell(out, d, frame, f);
            out.push_str(" seconds");
        }
        Value::Time(t) if def.ftype == FieldType::AbsTime => super::format::push_abs_time(out, *t),
        Value::Ether(m) => ether(*m, out),
        Value::Str(s) => push_shown(s, out),
        Value::Bytes if def.ftype == FieldType::Str => out.push_str(&String::from_utf8_lossy(d.field_bytes(frame, f))),
        Value::Bytes if def.ftype == FieldType::Bytes => {
            // Wireshark shows at most 36 bytes of a byte field, then an ellipsis (fewer as
            // the cell writes them, none as `<none>`).
            let b = d.field_bytes(frame, f);
            match b.get(..36).filter(|_| b.len() > 36) {
                Some(head) => {
                    super::format::push_hex(out, head);
                    out.push('…');
                }
                None => super::format::write_cell(out, d, frame, f),
            }
        }
        _ => {
            super::format::write_cell(out, d, frame, f);
            if let TreeText::Unit(u) = def.display {
                out.push_str(u);
            }
        }
    }
}

/// A text value as Wireshark's labels show it (its `format_text`): see [`push_format_text`].
pub fn push_shown(s: &str, out: &mut String) {
    // (Most text is printable as it is, `[TCP Flags: ·······A··S·]` too: copied whole.)
    if s.bytes().all(|c| (0x20..0x7f).contains(&c)) || s.chars().all(printable) {
        out.push_str(s);
        return;
    }
    push_format_text(s.as_bytes(), out);
}

/// Bytes as Wireshark 4.0's `format_text` writes them in a label: printable ASCII as it is,
/// the C escapes for `\a \b \f \n \r \t \v`, other ASCII control characters in octal
/// (`\001`, `\177`); UTF-8 read its way (a sequence cut short or not a character is U+FFFD),
/// a character GLib calls printable as it is, any other as `\uXXXX` (`\uFEFF`, a byte-order
/// mark) or `\UXXXXXXXX`.
pub fn push_format_text(b: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if b.iter().all(|c| (0x20..0x7f).contains(c)) {
        // (All printable ASCII, so valid UTF-8.)
        out.push_str(std::str::from_utf8(b).unwrap_or_default());
        return;
    }
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        i += 1;
        if (0x20..0x7f).contains(&c) {
            out.push(char::from(c));
            continue;
        }
        if c < 0x80 {
            out.push('\\');
            match c {
                0x07 => out.push('a'),
                0x08 => out.push('b'),
                0x0c => out.push('f'),
                b'\n' => out.push('n'),
                b'\r' => out.push('r'),
                b'\t' => out.push('t'),
                0x0b => out.push('v'),
                _ => {
                    for shift in [6, 3, 0] {
                        out.push(char::from(b'0' + ((c >> shift) & 7)));
                    }
                }
            }
            continue;
        }
        // The lead byte says how many continuation bytes follow (up to five, as Wireshark
        // reads them); one missing leaves the character U+FFFD and the byte to be read next.
        let (more, mask) = match c {
            _ if c & 0xe0 == 0xc0 => (1, 0x1f),
            _ if c & 0xf0 == 0xe0 => (2, 0x0f),
            _ if c & 0xf8 == 0xf0 => (3, 0x07),
            _ if c & 0xfc == 0xf8 => (4, 0x03),
            _ if c & 0xfe == 0xfc => (5, 0x01),
            _ => (0, 0),
        };
        let mut uc = if more == 0 { 0xfffd } else { u32::from(c & mask) };
        for _ in 0..more {
            match b.get(i) {
                Some(&d) if d & 0xc0 == 0x80 => {
                    i += 1;
                    uc = (uc << 6) | u32::from(d & 0x3f);
                }
                _ => {
                    uc = 0xfffd;
                    break;
                }
            }
        }
        let ch = char::from_u32(uc).unwrap_or(char::REPLACEMENT_CHARACTER);
        if printable(ch) {
            out.push(ch);
        } else {
            let (tag, digits) = if u32::from(ch) <= 0xffff { ('u', 4) } else { ('U', 8) };
            out.push('\\');
            out.push(tag);
            for k in (0..digits).rev() {
                out.push(char::from(HEX[(u32::from(ch) >> (4 * k)) as usize & 15]));
            }
        }
    }
}

/// GLib's `g_unichar_isprint` (Unicode 15, as Debian's GLib 2.74 for tshark 4.0): not a
/// control character, not a format character, not a noncharacter. (Its other unassigned
/// code points count as printable here.)
fn printable(c: char) -> bool {
    let u = u32::from(c);
    let control = u < 0x20 || (0x7f..=0x9f).contains(&u);
    let format = matches!(
        u,
        0xad | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x890..=0x891
            | 0x8e2
            | 0x180e
            | 0x200b..=0x200f
            | 0x202a..=0x202e
            | 0x2060..=0x2064
            | 0x2066..=0x206f
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0x110bd
            | 0x110cd
            | 0x13430..=0x1343f
            | 0x1bca0..=0x1bca3
            | 0x1d173..=0x1d17a
            | 0xe0001
            | 0xe0020..=0xe007f
    );
    let nonchar = (0xfdd0..=0xfdef).contains(&u) || u & 0xfffe == 0xfffe;
    !(control || format || nonchar)
}

/// A MAC address as the tree shows it: `name (aa:bb:cc:dd:ee:ff)` with name resolution on
/// (the vendor's name and the last three bytes, or the address itself when it has none), the
/// bare address with it off.
pub fn ether(m: [u8; 6], out: &mut String) {
    if mac_resolution() {
        // `IntelCor_5b:7d:4a (00:21:6a:5b:7d:4a)`, the vendor's name from the IEEE registry.
        super::oui::push_resolved(out, m);
        out.push_str(" (");
        super::push_ether(out, m);
        out.push(')');
    } else {
        super::push_ether(out, m);
    }
}

/// An integer in the field's display base: `0x0800`, `8485`, `0x2125 (8485)`, `8485 (0x2125)`.
pub fn number(n: u64, def: &FieldDef, out: &mut String) {
    // A masked field shows as many hex digits as its bits need (`Flow Label: 0x00000`).
    let w = if def.bitmask != 0 {
        let width = 64 - (def.bitmask >> def.bitmask.trailing_zeros()).leading_zeros();
        width.div_ceil(4) as usize
    } else {
        def.ftype.hex_width()
    }
    .max(1);
    match def.base {
        Base::Hex => super::format::push_hex_width(out, n, w),
        Base::HexDec => {
            super::format::push_hex_width(out, n, w);
            out.push_str(" (");
            out.push_str(itoa::Buffer::new().format(n));
            out.push(')');
        }
        Base::DecHex => {
            out.push_str(itoa::Buffer::new().format(n));
            out.push_str(" (");
            super::format::push_hex_width(out, n, w);
            out.push(')');
        }
        _ => out.push_str(itoa::Buffer::new().format(n)),
    }
}

/// `[Checksum Status: Good]`: a `*.checksum.status` value as tshark names it.
pub fn checksum_status(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    let n = cx.uint();
    out.push_str(["Bad", "Good", "Unverified", "Not present", "Illegal"].get(n as usize).copied().unwrap_or("Unknown"));
}

/// A flags field as tshark's bitmask items write it: `Name: 0x0800, VXLAN Network ID (VNI)`,
/// the value in `width` hex digits, then the name of each of `flags` whose bit is set.
pub fn named_flags(cx: &LabelCx<'_>, out: &mut String, width: usize, flags: &[&FieldDef]) {
    let v = cx.uint();
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    super::format::push_hex_width(out, v, width);
    for def in flags {
        if v & def.bitmask != 0 {
            out.push_str(", ");
            out.push_str(def.name);
        }
    }
}

/// How many bits a masked field's pattern shows: tshark shows TCP's 12 flag bits, otherwise
/// the width of the field's type (or of its bytes).
fn mask_bits(f: &Field) -> u32 {
    if f.def.abbrev.starts_with("tcp.flags.") {
        return 12;
    }
    let w = f.def.ftype.hex_width() as u32 * 4;
    if w > 0 {
        return w;
    }
    let by_len = f.len * 8;
    if by_len > 0 && by_len <= 64 {
        return by_len;
    }
    let top = 64 - f.def.bitmask.leading_zeros();
    top.div_ceil(8) * 8
}

/// The four symbols of a nibble of a bit pattern, by (mask nibble << 4 | value nibble).
const NIBBLES: [[u8; 4]; 256] = {
    let mut t = [[0u8; 4]; 256];
    let mut i = 0;
    while i < 256 {
        let (m, v) = (i >> 4, i & 15);
        let mut k = 0;
        while k < 4 {
            let b = 8 >> k;
            t[i][k] = if m & b == 0 {
                b'.'
            } else if v & b != 0 {
                b'1'
            } else {
                b'0'
            };
            k += 1;
        }
        i += 1;
    }
    t
};

/// `.... ..1.`: the masked bits of `value`, others as dots, a space every four bits.
pub fn bit_pattern(mask: u64, value: u64, bits: u32, out: &mut String) {
    if bits == 0 || bits > 64 {
        return bit_pattern_slow(mask, value, bits, out);
    }
    // A nibble at a time from the top (a partial first nibble when `bits` is not a multiple
    // of four), into a byte buffer: at most 64 symbols and 15 spaces.
    let mut buf = [0u8; 80];
    let mut k = 0;
    let mut top = bits;
    while top > 0 {
        let take = if top.is_multiple_of(4) { 4 } else { top % 4 };
        let shift = top - take;
        let m = ((mask >> shift) & ((1 << take) - 1)) as usize;
        let v = ((value >> shift) & ((1 << take) - 1)) as usize;
        let sym = &NIBBLES[(m << 4) | v][(4 - take) as usize..];
        buf[k..k + sym.len()].copy_from_slice(sym);
        k += sym.len();
        top = shift;
        if top > 0 {
            buf[k] = b' ';
            k += 1;
        }
    }
    out.push_str(std::str::from_utf8(&buf[..k]).unwrap_or(""));
}

/// [`bit_pattern`] a bit at a time (any width; bits past 64 show as dots).
fn bit_pattern_slow(mask: u64, value: u64, bits: u32, out: &mut String) {
    for i in (0..bits).rev() {
        let b = 1u64.checked_shl(i).unwrap_or(0);
        out.push(if mask & b == 0 {
            '.'
        } else if value & b != 0 {
            '1'
        } else {
            '0'
        });
        if i % 4 == 0 && i != 0 {
            out.push(' ');
        }
    }
}

/// A checksum's label as Wireshark's `proto_tree_add_checksum` writes it, from the status and
/// calculated fields that follow it: `Name: 0x04fb [correct]`, `Name: 0x0001 incorrect, should
/// be 0x1c60` + the protocol's offload remark, `Name: 0x0000 [zero-value ignored]`, or the
/// protocol's text for an unverified checksum.
pub fn checksum(cx: &LabelCx<'_>, out: &mut String, status: &'static FieldDef, calculated: &'static FieldDef, offload: &str, unverified: &str) {
    let def = cx.field.def;
    out.push_str(def.name);
    out.push_str(": ");
    let stored = cx.uint();
    number(stored, def, out);
    let after = cx.d.fields.get(cx.idx + 1..).unwrap_or(&[]).iter().take(3);
    let (mut st, mut calc) = (None, None);
    for f in after {
        if std::ptr::eq(f.def, status) {
            st = Some(match f.value {
                Value::UInt(n) => n,
                _ => 2,
            });
        } else if std::ptr::eq(f.def, calculated) {
            calc = match f.value {
                Value::UInt(n) => Some(n),
                _ => None,
            };
        }
    }
    match (st, calc) {
        (Some(1), _) => out.push_str(" [correct]"),
        (Some(0), Some(c)) => {
            out.push_str(" incorrect, should be ");
            super::format::push_hex_width(out, c, 4);
            out.push_str(offload);
        }
        (Some(3), _) => out.push_str(" [zero-value ignored]"),
        (Some(_), _) => out.push_str(unverified),
        (None, _) => {}
    }
}

/// A checksum whose correct value only its expert item states (ICMPv6, IGMP): `Checksum:
/// 0x7f1e [correct]`, `incorrect, should be 0x…` (from the expert's "should be 0x…]"), or
/// `[unverified]`, by the `status` field that follows it.
pub fn checksum_by_expert(cx: &LabelCx<'_>, out: &mut String, status: &'static FieldDef) {
    let _ = write!(out, "Checksum: 0x{:04x}", cx.uint());
    let status = cx.d.fields.get(cx.idx + 1).filter(|f| std::ptr::eq(f.def, status)).map(|f| &f.value);
    match status {
        Some(Value::UInt(1)) => out.push_str(" [correct]"),
        Some(Value::UInt(0)) => {
            let should = cx.d.experts.iter().find(|e| e.field == Some(cx.idx as u32)).and_then(|e| e.message.split("should be ").nth(1)).map(|s| s.trim_end_matches(']'));
            if let Some(s) = should {
                let _ = write!(out, " incorrect, should be {s}");
            }
        }
        Some(_) => out.push_str(" [unverified]"),
        None => {}
    }
}

/// `TCP payload (9 bytes)`: a payload item's name and length.
pub fn payload(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    out.push_str(" (");
    bytes_plural(u64::from(cx.field.len), out);
    out.push(')');
}

/// Seconds in words, as Wireshark's `unsigned_time_secs_to_str`: `5 minutes`,
/// `1 hour, 1 minute, 1 second`, `2 days, 3 hours`.
pub fn duration_words(secs: u64, out: &mut String) {
    let parts = [(secs / 86_400, "day"), (secs / 3600 % 24, "hour"), (secs / 60 % 60, "minute"), (secs % 60, "second")];
    let mut first = true;
    for (n, unit) in parts {
        if n == 0 {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        let _ = write!(out, "{n} {unit}{}", if n == 1 { "" } else { "s" });
    }
}

/// `n byte` / `n bytes`, as Wireshark's `plurality`.
pub fn bytes_plural(n: u64, out: &mut String) {
    out.push_str(itoa::Buffer::new().format(n));
    out.push_str(if n == 1 { " byte" } else { " bytes" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_labels_are_the_labels() {
        use crate::dissect::{eth, ipv4, tcp};
        // Bytes: TCP flags 0x0012 (SYN, ACK), then 0x0010 (ACK), a TTL, a protocol, a MAC.
        let frame = [0x00, 0x12, 0x00, 0x10, 64, 6, 0x00, 0x21, 0x6a, 0x5b, 0x7d, 0x4a];
        let field = |def: &'static FieldDef, offset: u32, len: u32, value: Value, generated: bool| Field { def, offset, len, depth: 0, source: 0, generated, hidden: false, value };
        let d = Dissection {
            fields: vec![
                field(&tcp::TCP_FLAGS_SYN, 0, 2, Value::Bool(true), false),
                field(&tcp::TCP_FLAGS_SYN, 2, 2, Value::Bool(false), false),
                field(&ipv4::IP_TTL, 4, 1, Value::UInt(64), false),
                field(&ipv4::IP_TTL, 4, 1, Value::UInt(64), true),
                field(&ipv4::IP_PROTO, 5, 1, Value::UInt(6), false),
                field(&ipv4::IP_PROTO, 5, 1, Value::UInt(17), false),
                field(&eth::ETH_ADDR, 6, 6, Value::Ether([0x00, 0x21, 0x6a, 0x5b, 0x7d, 0x4a]), false),
                // Label functions marked pure: a custom one after a bit pattern, a whole one.
                field(&tcp::TCP_HDR_LEN, 0, 1, Value::UInt(0), false),
                field(&tcp::TCP_FLAGS, 0, 2, Value::UInt(0x12), false),
                field(&tcp::TCP_FLAGS, 2, 2, Value::UInt(0x10), false),
                // Not pure (reads the fields after it): written every time.
                field(&ipv4::IP_CHECKSUM, 0, 2, Value::UInt(0x12), false),
            ],
            ..Dissection::default()
        };
        // A cache of two slots, so that different labels also meet in one slot.
        let mut small = LabelCache::with_slots(2);
        let mut cache = LabelCache::new();
        for round in 0..3 {
            for i in 0..d.fields.len() {
                let mut want = String::new();
                tree_label(&d, &frame, i, &mut want);
                for c in [&mut cache, &mut small] {
                    let mut got = String::from("x");
                    c.tree_label(&d, &frame, i, &mut got);
                    assert_eq!(&got[1..], want, "field {i}, round {round}");
                    // Whole lines, at two depths: the same label, indented, with a line feed.
                    for indent in [4, 8] {
                        let mut got = String::from("x");
                        c.tree_line(&d, &frame, i, indent, true, &mut got);
                        assert_eq!(got, format!("x{}{want}\n", " ".repeat(indent)), "field {i}, indent {indent}, round {round}");
                    }
                }
            }
        }
    }

    /// The keys of a block of two port numbers differ only in their second word's high
    /// bytes (the header's first bytes come first): forty connections' blocks must spread
    /// over the sets, not meet in one and push each other out (they did, with the set picked
    /// from the hash's bits 32 and up: 85% of the game capture's port blocks were written
    /// again).
    #[test]
    fn keys_that_differ_in_their_high_bytes_spread_over_the_sets() {
        let mut cache = TextCache::new();
        let keys: Vec<[u64; 4]> = (0..40u64).map(|i| [0x5636_f688_9520, (0x8c89_9900 + i) << 32, 0, 0x200_0404]).collect();
        let mut out = String::new();
        for k in &keys {
            cache.put(*k, &mut out, |o| o.push('x'));
        }
        let mut written = 0;
        for k in &keys {
            cache.put(*k, &mut out, |o| {
                written += 1;
                o.push('x')
            });
        }
        assert_eq!(written, 0, "of 40 texts kept in 1024 slots, {written} were written again");
    }

    #[test]
    fn text_is_written_as_format_text_writes_it() {
        let f = |b: &[u8]| {
            let mut s = String::new();
            push_format_text(b, &mut s);
            s
        };
        assert_eq!(f(b"GET / HTTP/1.1\r\n"), "GET / HTTP/1.1\\r\\n");
        // Other ASCII control characters in octal; DEL too.
        assert_eq!(f(b"a\x01b\x1b\x7f"), "a\\001b\\033\\177");
        // Printable characters as they are; format characters, C1 controls and
        // noncharacters as \u / \U escapes.
        assert_eq!(f("\u{feff}\u{ac00}\u{1f600}\u{e000}".as_bytes()), "\\uFEFF\u{ac00}\u{1f600}\u{e000}");
        assert_eq!(f("\u{ad}\u{85}\u{fdd0}\u{e0001}".as_bytes()), "\\u00AD\\u0085\\uFDD0\\U000E0001");
        // A sequence cut short: U+FFFD, then the byte that cut it read on its own; a lone
        // continuation byte; a surrogate written in UTF-8 (one U+FFFD for the three bytes);
        // an overlong NUL (read as U+0000, not printable).
        assert_eq!(f(b"\xe2\x82A\x80"), "\u{fffd}A\u{fffd}");
        assert_eq!(f(b"\xed\xa0\x80"), "\u{fffd}");
        assert_eq!(f(b"\xc0\x80"), "\\u0000");
    }

    #[test]
    fn bit_patterns_group_by_four() {
        let mut s = String::new();
        bit_pattern(0x002, 0x002, 12, &mut s);
        assert_eq!(s, ".... .... ..1.");
        s.clear();
        bit_pattern(0xf0, 0x40, 8, &mut s);
        assert_eq!(s, "0100 ....");
    }

    #[test]
    fn bit_patterns_by_nibble_equal_bit_by_bit() {
        let masks = [0u64, 1, 0x2, 0x1c0, 0x0fff, 0x8000, 0x00ff_f000, 0xe000_0000_0000_0000, u64::MAX, 0x5555_aaaa_0f0f_f0f0];
        let values = [0u64, u64::MAX, 0x1234_5678_9abc_def0, 0x40];
        for bits in 1..=64 {
            for &m in &masks {
                for &v in &values {
                    let (mut fast, mut slow) = (String::new(), String::new());
                    bit_pattern(m, v, bits, &mut fast);
                    bit_pattern_slow(m, v, bits, &mut slow);
                    assert_eq!(fast, slow, "mask {m:#x} value {v:#x} bits {bits}");
                }
            }
        }
    }
}
