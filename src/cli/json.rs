//! `-T json`: each frame's tree as `tshark -T json` (Wireshark 4.0's `write_json_proto_tree`)
//! writes it, so a jq or Python script written for tshark reads pktlab's output unchanged.
//!
//! The rules, per node of the tree (a layer, a field, hidden fields included):
//! - the key is the field's name, or a text item's label (`"Timestamps"`);
//! - a node with a value is written `"key": "value"` (values as `-T fields` prints them, byte
//!   fields with `:` between the bytes);
//! - its children follow as one object under `"key_tree"`, or under `"key"` itself when the
//!   node has no value (protocols, text items, IPv6's extension headers);
//! - the layers after an ICMP or ICMPv6 layer (what an error quotes, an echo's data) are
//!   members of its object;
//! - a node with neither value nor children is `"key": ""` (a protocol: its title);
//! - an expert item is a `_ws.expert` child of the field it concerns (after its own
//!   children), holding the expert's own name, `_ws.expert.message`, `.severity` and
//!   `.group` (Wireshark's numeric codes); a frame a dissector could not finish ends with
//!   a `_ws.malformed` pseudo-layer holding its expert item.
//! - a key repeated within an object is written again, as tshark does (no arrays).

use super::frames::Frame;
use super::render;
use pktlab::dissect::label::TextCache;
use pktlab::dissect::{Dissection, Expert, Field, FieldType, Severity, Value};

/// One frame's object (without the separator between frames), indented as tshark's
/// pretty printer does: two spaces a level, the frame object itself at level 1.
pub fn frame(f: &Frame, out: &mut String) {
    let d = f.d();
    let mut w = Writer { out, level: 1, first: true };
    w.open_anon();
    w.name("_index");
    // (The day's name is the same frame after frame: kept with its day.)
    thread_local! {
        static INDEX: std::cell::RefCell<(Option<i64>, String)> = const { std::cell::RefCell::new((None, String::new())) };
    }
    INDEX.with_borrow_mut(|(day, name)| {
        let today = f.meta.ts.map(|t| t.secs).unwrap_or(0).div_euclid(86_400);
        if *day != Some(today) {
            *name = super::dissect::index_name(f);
            *day = Some(today);
        }
        w.string(name);
    });
    w.name("_type");
    w.string("doc");
    w.name("_score");
    w.raw("null");
    w.name("_source");
    w.open_anon();
    w.name("layers");
    w.open_anon();
    let mut tree = Tree { d, data: f.data, experts: Vec::new() };
    let placed = tree.place_experts();
    // (Memory kept from frame to frame.)
    thread_local! {
        static SCRATCH: std::cell::RefCell<(Vec<usize>, Vec<usize>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    let (mut owner, mut idxs) = SCRATCH.take();
    // Which layer shows each field: the last whose range holds it (a field inside a later,
    // nested layer's range belongs to that layer).
    owner.clear();
    owner.resize(d.fields.len(), usize::MAX);
    for (li, l) in d.layers.iter().enumerate() {
        for o in owner.get_mut(l.fields.start as usize..(l.fields.end as usize).min(d.fields.len())).unwrap_or(&mut []) {
            *o = li;
        }
    }
    // As tshark: what ICMP quotes (the offending packet's headers) and its data go inside the
    // ICMP object (as `-V` draws them one level deeper), except what a quoted UDP header
    // carries, which UDP hands to the top of the tree.
    let mut in_icmp = false;
    for (li, layer) in d.layers.iter().enumerate() {
        idxs.clear();
        // (Without the tree's own lines, which tshark's JSON does not have.)
        idxs.extend((layer.fields.start as usize..(layer.fields.end as usize).min(d.fields.len())).filter(|&i| owner[i] == li && !d.fields[i].def.tree_only));
        let mut loose = placed.iter().filter(|(l, _)| *l == li).map(|(_, e)| *e).peekable();
        // (tshark's text item at the top of the tree for a multipart body it cannot split:
        // its key is its title.)
        let key = if layer.proto == "mime_multipart.no_required_parameter" { pktlab::dissect::multipart::NO_REQUIRED_PARAMETER } else { layer.proto };
        if idxs.is_empty() && loose.peek().is_none() {
            w.name(key);
            let mut label = String::new();
            super::dissect::layer_label(d, li, &mut label);
            w.string(&label);
            continue;
        }
        w.name(key);
        w.open_anon();
        tree.nodes(&mut w, &idxs);
        for e in loose {
            tree.expert(&mut w, e);
        }
        if !in_icmp && matches!(layer.proto, "icmp" | "icmpv6") && li + 1 < d.layers.len() {
            in_icmp = true;
            continue;
        }
        w.close();
        if in_icmp && layer.proto == "udp" {
            in_icmp = false;
            w.close();
        }
    }
    if in_icmp {
        w.close();
    }
    // A dissector that ran out of bytes: tshark's `_ws.malformed` pseudo-protocol after the
    // layers, holding the expert item and its own name.
    for e in d.experts.iter().filter(|e| e.key == "malformed") {
        w.name("_ws.malformed");
        w.open_anon();
        tree.expert(&mut w, e);
        w.name("_ws.malformed");
        w.string("Malformed Packet");
        w.close();
    }
    w.close();
    w.close();
    w.close();
    SCRATCH.set((owner, idxs));
}

thread_local! {
    /// A field's value text, written here first to be escaped into the output.
    static VALUE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    /// The members of leaves that follow from the field alone ([`leaf_key`]), remembered
    /// from frame to frame.
    static LEAVES: std::cell::RefCell<TextCache> = std::cell::RefCell::new(TextCache::new());
}

/// The key of a leaf's member (`"name": "value"` on its own line at `level`, without the
/// comma before it) where it follows from the field's definition and value alone: values
/// written in digits, hex, dots and colons by [`render::cell`] (integers, booleans, IPv4 and
/// MAC addresses, durations, or none), of fields not marked volatile (their value changes
/// in almost every frame).
fn leaf_key(f: &Field, level: usize) -> Option<[u64; 4]> {
    let def = f.def;
    if def.volatile {
        return None;
    }
    // (A label item's empty value is written elsewhere: [`Tree::value`].)
    if matches!(f.value, Value::None) && def.ftype == FieldType::None {
        return None;
    }
    let (kind, value) = f.value.scalar()?;
    Some([def as *const pktlab::dissect::FieldDef as u64, value, u64::from(kind) | (level as u64) << 8, 0])
}

struct Tree<'a> {
    d: &'a Dissection,
    data: &'a [u8],
    /// Per field index, the expert items attached to it.
    experts: Vec<(usize, &'a Expert)>,
}

impl<'a> Tree<'a> {
    /// Sorts the expert items: those that concern a field go under it; the others (and
    /// those whose field is gone) are returned with the layer they close.
    fn place_experts(&mut self) -> Vec<(usize, &'a Expert)> {
        let d = self.d;
        let mut loose = Vec::new();
        for e in d.experts.iter().filter(|e| e.key != "malformed") {
            match e.field.map(|i| i as usize).filter(|&i| i < d.fields.len()) {
                Some(i) => self.experts.push((i, e)),
                None => {
                    let li = d.layers.iter().rposition(|l| e.key.split('.').next() == Some(l.proto)).unwrap_or(d.layers.len().saturating_sub(1));
                    loose.push((li, e));
                }
            }
        }
        loose
    }

    /// Writes the sibling nodes starting at each depth-minimal index of `idxs` (a layer's
    /// fields in pre-order), each with its subtree.
    fn nodes(&self, w: &mut Writer, idxs: &[usize]) {
        let mut k = 0;
        while k < idxs.len() {
            let i = idxs[k];
            let depth = self.d.fields[i].depth;
            let mut end = k + 1;
            while end < idxs.len() && self.d.fields[idxs[end]].depth > depth {
                end += 1;
            }
            self.node(w, i, &idxs[k + 1..end]);
            k = end;
        }
    }

    fn node(&self, w: &mut Writer, i: usize, children: &[usize]) {
        let f = &self.d.fields[i];
        let mut experts = self.experts.iter().filter(|(at, _)| *at == i).map(|(_, e)| *e);
        let first_expert = experts.next();
        // A flag that Wireshark raises only as an expert item (`tcp.analysis.retransmission`
        // under `tcp.analysis.flags`): pktlab keeps it as a field for filters; tshark's tree
        // has the expert item alone.
        if let Some(e) = first_expert
            && f.def.ftype == FieldType::None
            && !f.def.text_item
            && children.is_empty()
            && e.key == f.def.abbrev
            && experts.next().is_none()
        {
            self.expert(w, e);
            return;
        }
        let text_item = f.def.abbrev == "_ws.text" || f.def.text_item;
        // Most fields are leaves whose member follows from the field alone: kept whole.
        if children.is_empty()
            && first_expert.is_none()
            && !text_item
            && let Some(key) = leaf_key(f, w.level)
        {
            if !w.first {
                w.out.push(',');
            }
            LEAVES.with_borrow_mut(|c| {
                c.put(key, w.out, |out| {
                    let mut w = Writer { out, level: w.level, first: true };
                    self.value(&mut w, Key::Name(f.def.abbrev), f);
                })
            });
            w.first = false;
            return;
        }
        let mut label = String::new();
        let key = if text_item {
            // (Its label, as tshark's key: cut as the tree cuts it; a named text item's is
            // its name.)
            if f.def.text_item {
                label.push_str(f.def.name);
            } else {
                render::cell(self.d, self.data, f, &mut label);
            }
            pktlab::dissect::label::cut_text_label(&mut label, 0);
            Key::Text(&label)
        } else {
            Key::Name(f.def.abbrev)
        };
        // A protocol's item in another's tree (text lines, JSON in a multipart part) holds its
        // title: tshark's JSON shows it only when nothing is under the item.
        let nested_protocol = (std::ptr::eq(f.def, &pktlab::dissect::data::TEXT_LINES_PROTO) || std::ptr::eq(f.def, &pktlab::dissect::json::JSON_PROTO) || std::ptr::eq(f.def, &pktlab::dissect::tls::TLS_IN_QUIC)) && !children.is_empty();
        let has_value = !text_item && !nested_protocol && self.value(w, key, f);
        let has_children = !children.is_empty() || first_expert.is_some();
        if has_children {
            w.member(key, if has_value { "_tree" } else { "" });
            w.open_anon();
            // Wireshark adds an expert item to a field as soon as the field is made, so it
            // comes before the field's own subtree.
            for e in self.experts.iter().filter(|(at, _)| *at == i).map(|(_, e)| *e) {
                self.expert(w, e);
            }
            self.nodes(w, children);
            w.close();
        } else if !has_value {
            w.member(key, "");
            w.string("");
        }
    }

    /// Writes `key` and a field's JSON value, if it has one: the `-T fields` text, except
    /// byte strings, which Wireshark's display form separates with `:`; label items (no
    /// type) have none. Returns whether it had one.
    fn value(&self, w: &mut Writer, key: Key, f: &Field) -> bool {
        match (&f.value, f.def.ftype) {
            // Text (a name, a decoded string) may hold characters JSON escapes: it is written
            // aside first, then escaped into the output.
            // A protocol item inside another's tree (IPv6's extension headers) holds the text
            // `-T fields` prints for it; tshark's JSON gives it no value, only its children
            // under its name.
            (Value::Str(_), _) if ipv6_extension(f.def.abbrev) => return false,
            (Value::Str(_), _) => VALUE.with_borrow_mut(|s| {
                s.clear();
                render::cell(self.d, self.data, f, s);
                w.member(key, "");
                w.string(s);
            }),
            // Hex digits and colons need no escape.
            (Value::Bytes, t) if t != FieldType::None => {
                w.member(key, "");
                w.out.push('"');
                pktlab::dissect::format::push_colon_hex(w.out, self.d.field_bytes(self.data, f));
                w.out.push('"');
            }
            (Value::None | Value::Bytes, FieldType::None) => {
                let b = self.d.field_bytes(self.data, f);
                if b.is_empty() || !valued_label(f.def.abbrev) {
                    return false;
                }
                w.member(key, "");
                w.out.push('"');
                pktlab::dissect::format::push_colon_hex(w.out, b);
                w.out.push('"');
            }
            // Every other value is written in digits, hex, dots, colons and fixed words:
            // nothing to escape, so straight into the output.
            _ => {
                w.member(key, "");
                w.out.push('"');
                render::cell(self.d, self.data, f, w.out);
                w.out.push('"');
            }
        }
        true
    }

    fn expert(&self, w: &mut Writer, e: &Expert) {
        w.name("_ws.expert");
        w.open_anon();
        w.name(if e.key == "malformed" { "_ws.malformed.expert" } else { expert_name(e.key) });
        w.string("");
        w.name("_ws.expert.message");
        w.string(&e.message);
        w.name("_ws.expert.severity");
        w.string(itoa::Buffer::new().format(severity_code(e.severity)));
        w.name("_ws.expert.group");
        w.string(itoa::Buffer::new().format(group_code(e.key)));
        w.close();
        // Wireshark adds a hidden `_ws.malformed` item beside every expert item of its
        // Malformed group (the frame's own one has its item around it).
        if e.key != "malformed" && pktlab::dissect::format::expert_group(e.key) == "Malformed" {
            w.name("_ws.malformed");
            w.string("Malformed Packet");
        }
    }
}

/// Whether a label item (no type of its own) has a value in tshark's JSON: the IPv4 and TCP
/// options and the IPv6 extension headers, which Wireshark registers as protocols (their
/// value is their bytes); its other label items (`tls.record`, `dns.opt`…) are `FT_NONE`
/// and have none.
fn valued_label(abbrev: &str) -> bool {
    abbrev.starts_with("tcp.options.") || abbrev.starts_with("ip.options.") || ipv6_extension(abbrev)
}

/// IPv6's extension headers: protocols of their own in Wireshark, items of IPv6's tree.
fn ipv6_extension(abbrev: &str) -> bool {
    matches!(abbrev, "ipv6.hopopts" | "ipv6.dstopts" | "ipv6.routing" | "ipv6.fraghdr")
}

/// The name of Wireshark's expert field for an expert key, where it differs from the key.
pub fn expert_name(key: &str) -> &str {
    match key {
        "ip.checksum_bad" => "ip.checksum_bad.expert",
        "tcp.checksum_bad" => "tcp.checksum_bad.expert",
        "udp.checksum_bad" => "udp.checksum.bad",
        "_ws.unreassembled" => "_ws.unreassembled.expert",
        "websocket.payload.unknown.undecoded" => "websocket.payload.unknown.expert",
        k => k,
    }
}

/// Wireshark's `PI_*` severity value.
pub fn severity_code(s: Severity) -> u32 {
    match s {
        Severity::Chat => 0x0020_0000,
        Severity::Note => 0x0040_0000,
        Severity::Warn => 0x0060_0000,
        Severity::Error => 0x0080_0000,
    }
}

/// Wireshark's `PI_*` group value for an expert item.
pub fn group_code(key: &str) -> u32 {
    match pktlab::dissect::format::expert_group(key) {
        "Checksum" => 0x0100_0000,
        "Sequence" => 0x0200_0000,
        "Undecoded" => 0x0500_0000,
        "Reassemble" => 0x0600_0000,
        "Malformed" => 0x0700_0000,
        "Deprecated" => 0x0e00_0000,
        "Decryption" => 0x0c00_0000,
        _ => 0x0900_0000,
    }
}

/// A member's key.
#[derive(Clone, Copy)]
enum Key<'k> {
    /// A field's or protocol's filter name, or one of the fixed keys: Wireshark's names are
    /// letters, digits, `.`, `_` and `-` (a test checks every field's), nothing to escape.
    Name(&'k str),
    /// A text item's label, escaped.
    Text(&'k str),
}

/// tshark's pretty JSON: members on their own lines, two spaces per level, `"key": value`.
struct Writer<'o> {
    out: &'o mut String,
    level: usize,
    /// No member written yet in the innermost object.
    first: bool,
}

impl Writer<'_> {
    fn indent(&mut self) {
        const SPACES: &str = "                                                                ";
        let mut left = self.level * 2;
        while left > 0 {
            let k = left.min(SPACES.len());
            self.out.push_str(&SPACES[..k]);
            left -= k;
        }
    }

    /// Opens an object as a value (after a key, or at the top).
    fn open_anon(&mut self) {
        self.out.push('{');
        self.level += 1;
        self.first = true;
    }

    fn close(&mut self) {
        self.level -= 1;
        if !self.first {
            self.out.push('\n');
            self.indent();
        }
        self.out.push('}');
        self.first = false;
    }

    /// A key written as `k` then `suffix` (`tcp.flags` + `_tree`).
    fn member(&mut self, k: Key, suffix: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.out.push('\n');
        self.indent();
        match k {
            Key::Name(k) => {
                self.out.push('"');
                self.out.push_str(k);
            }
            Key::Text(k) => {
                escape(k, self.out);
                self.out.pop();
            }
        }
        // (The suffix needs no escape: it goes inside the key's quotes.)
        self.out.push_str(suffix);
        self.out.push_str("\": ");
        self.first = false;
    }

    /// A key that is a field, protocol or fixed name: see [`Key::Name`].
    fn name(&mut self, k: &str) {
        self.member(Key::Name(k), "");
    }

    fn string(&mut self, s: &str) {
        escape(s, self.out);
    }

    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }
}

/// A JSON string literal as Wireshark's json_dumper writes it.
fn escape(s: &str, out: &mut String) {
    out.push('"');
    // Runs of characters that need no escape are copied whole (every escaped one is ASCII,
    // so the cuts fall between characters).
    let bytes = s.as_bytes();
    // Eight bytes at a time while none needs an escape (a control character, `"` or `\\`)
    // or may start one (`<`: Wireshark writes `</` as `<\/`, so that `</script>` in a value
    // cannot end a web page's script).
    let mut clean = 0;
    while let Some(chunk) = bytes.get(clean..clean + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        if (x.wrapping_sub(ONES * 0x20) & !x & HIGH) | zero(x ^ (ONES * b'"' as u64)) | zero(x ^ (ONES * b'\\' as u64)) | zero(x ^ (ONES * b'<' as u64)) != 0 {
            break;
        }
        clean += 8;
    }
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate().skip(clean) {
        let rep = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'/' if i > 0 && bytes[i - 1] == b'<' => "\\/",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            c if c < 0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or(""));
        if rep.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(c >> 4) as usize] as char);
            out.push(HEX[(c & 15) as usize] as char);
        } else {
            out.push_str(rep);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or(""));
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use pktlab::dissect::{FieldDef, data, tcp, tcp_options};

    fn doc(build: impl FnOnce(&mut Writer)) -> String {
        let mut s = String::new();
        let mut w = Writer { out: &mut s, level: 0, first: true };
        build(&mut w);
        s
    }

    fn field(def: &'static FieldDef, offset: u32, len: u32, depth: u8, value: Value) -> Field {
        Field { def, offset, len, depth, source: 0, generated: false, hidden: false, value }
    }

    /// The object tshark would write for `d`'s fields (all in one layer).
    fn object(d: &Dissection, frame: &[u8]) -> String {
        let mut tree = Tree { d, data: frame, experts: Vec::new() };
        let loose = tree.place_experts();
        assert!(loose.is_empty());
        let idxs: Vec<usize> = (0..d.fields.len()).collect();
        doc(|w| {
            w.open_anon();
            tree.nodes(w, &idxs);
            w.close();
        })
    }

    #[test]
    fn field_names_need_no_escape() {
        // `Key::Name` writes a field's name between quotes as it is.
        for def in pktlab::fields::all() {
            assert!(def.abbrev.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)), "{}", def.abbrev);
        }
    }

    #[test]
    fn writer_keeps_duplicate_keys_and_indents_as_tshark() {
        let s = doc(|w| {
            w.open_anon();
            w.name("tcp.options.nop");
            w.string("01");
            w.name("tcp.options.nop");
            w.string("01");
            w.name("t");
            w.open_anon();
            w.member(Key::Text("a\"b"), "");
            w.string("x\ny");
            w.close();
            w.close();
        });
        assert_eq!(s, "{\n  \"tcp.options.nop\": \"01\",\n  \"tcp.options.nop\": \"01\",\n  \"t\": {\n    \"a\\\"b\": \"x\\ny\"\n  }\n}");
    }

    #[test]
    fn a_valued_field_puts_its_children_under_key_tree_and_repeats_keys() {
        // Flags 0x002 with its SYN bit; then two NOP options, each with its kind.
        let frame = [0x00, 0x02, 0x01, 0x01];
        let d = Dissection {
            fields: vec![
                field(&tcp::TCP_FLAGS, 0, 2, 0, Value::UInt(2)),
                field(&tcp::TCP_FLAGS_SYN, 0, 2, 1, Value::Bool(true)),
                field(&tcp_options::TCP_OPTIONS_NOP, 2, 1, 0, Value::None),
                field(&tcp_options::TCP_OPTION_KIND, 2, 1, 1, Value::UInt(1)),
                field(&tcp_options::TCP_OPTIONS_NOP, 3, 1, 0, Value::None),
                field(&tcp_options::TCP_OPTION_KIND, 3, 1, 1, Value::UInt(1)),
            ],
            ..Dissection::default()
        };
        let nop = "\"tcp.options.nop\": \"01\",\n  \"tcp.options.nop_tree\": {\n    \"tcp.option_kind\": \"1\"\n  }";
        let want = format!("{{\n  \"tcp.flags\": \"0x0002\",\n  \"tcp.flags_tree\": {{\n    \"tcp.flags.syn\": \"1\"\n  }},\n  {nop},\n  {nop}\n}}");
        assert_eq!(object(&d, &frame), want);
    }

    #[test]
    fn text_items_are_keyed_by_their_label_and_have_no_value() {
        let d = Dissection {
            fields: vec![
                field(&data::WS_TEXT, 0, 0, 0, Value::Str("Timestamps".into())),
                field(&pktlab::analysis::fields::TCP_TIME_DELTA, 0, 0, 1, Value::Duration(1_500_000_000)),
                field(&data::WS_TEXT, 0, 0, 0, Value::Str("Lonely".into())),
            ],
            ..Dissection::default()
        };
        assert_eq!(object(&d, &[]), "{\n  \"Timestamps\": {\n    \"tcp.time_delta\": \"1.500000000\"\n  },\n  \"Lonely\": \"\"\n}");
    }

    #[test]
    fn an_expert_item_opens_the_subtree_of_the_field_it_concerns() {
        let frame = [0x12, 0x34];
        let d = Dissection {
            fields: vec![field(&tcp::TCP_CHECKSUM, 0, 2, 0, Value::UInt(0x1234)), field(&pktlab::dissect::udp::UDP_CHECKSUM_CALCULATED, 0, 2, 1, Value::UInt(0xabcd))],
            experts: vec![Expert { severity: Severity::Error, key: "tcp.checksum_bad", message: "Bad checksum [should be 0xabcd]".into(), field: Some(0) }],
            ..Dissection::default()
        };
        let want = "{\n  \"tcp.checksum\": \"0x1234\",\n  \"tcp.checksum_tree\": {\n    \"_ws.expert\": {\n      \"tcp.checksum_bad.expert\": \"\",\n      \"_ws.expert.message\": \"Bad checksum [should be 0xabcd]\",\n      \"_ws.expert.severity\": \"8388608\",\n      \"_ws.expert.group\": \"16777216\"\n    },\n    \"udp.checksum_calculated\": \"0xabcd\"\n  }\n}";
        assert_eq!(object(&d, &frame), want);
    }

    #[test]
    fn a_flag_raised_only_as_an_expert_item_is_the_expert_alone() {
        let f = &pktlab::analysis::fields::TCP_RETRANSMISSION;
        let d = Dissection {
            fields: vec![field(&pktlab::analysis::fields::TCP_ANALYSIS_FLAGS, 0, 0, 0, Value::None), field(f, 0, 0, 1, Value::None)],
            experts: vec![Expert { severity: Severity::Note, key: f.abbrev, message: "This frame is a (suspected) retransmission".into(), field: Some(1) }],
            ..Dissection::default()
        };
        let s = object(&d, &[]);
        assert!(s.starts_with("{\n  \"tcp.analysis.flags\": {\n    \"_ws.expert\": {\n      \"tcp.analysis.retransmission\": \"\","), "{s}");
        assert_eq!(s.matches("tcp.analysis.retransmission").count(), 1, "{s}");
    }

    #[test]
    fn label_items_have_a_value_only_where_wireshark_registers_a_protocol() {
        assert!(valued_label("tcp.options.mss"));
        assert!(valued_label("ipv6.hopopts"));
        assert!(!valued_label("tls.record"));
        assert!(!valued_label("dns.opt"));
    }

    #[test]
    fn expert_codes_are_wiresharks() {
        assert_eq!(severity_code(Severity::Chat), 2_097_152);
        assert_eq!(severity_code(Severity::Error), 8_388_608);
        assert_eq!(group_code("tcp.connection.syn"), 33_554_432);
        assert_eq!(group_code("tcp.checksum_bad"), 16_777_216);
        assert_eq!(expert_name("udp.checksum_bad"), "udp.checksum.bad");
    }
}
