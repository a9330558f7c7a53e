//! Game protocol descriptions (`--proto game.toml`): which ports carry the game, how TCP
//! messages are framed, what the fixed fields of UDP datagrams are.
//!
//! ```toml
//! name = "demo"                      # protocol column and layer title
//! [tcp]
//! ports = [7777]
//! byte_order = "big"                 # "big" or "little"
//! type = { offset = 0, size = 2 }    # message type field, inside the header
//! length = { offset = 2, size = 2 }  # length field
//! length_includes_header = false     # does the length count the header too?
//! header_len = 4                     # optional; default: end of the type/length fields
//! max_len = 65535                    # optional; longer messages mean lost framing
//! [tcp.messages]
//! 1 = "LOGIN"
//! [udp]
//! ports = [7778]
//! byte_order = "big"
//! [[udp.fields]]
//! name = "seq"                       # becomes the field game.seq
//! offset = 0
//! size = 4
//! kind = "uint"                      # uint (default), int, float, bytes
//! byte_order = "little"              # optional, overrides the section's
//! ```
//!
//! Contract: [`GameProto::parse`] either returns a description in which every offset and
//! size is usable, or an error `file:line: what is wrong` (lines from the toml spans).

use crate::dissect::model::{FieldDef, FieldType};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A broken description: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProtoError {
    pub path: PathBuf,
    /// 1-based line; 0 when the file could not be read at all.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ProtoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrder {
    Big,
    Little,
}

/// How a UDP field's bytes are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Uint,
    Int,
    Float,
    Bytes,
}

/// One fixed field of a game datagram.
#[derive(Debug, Clone)]
pub struct UdpField {
    pub name: String,
    pub offset: usize,
    pub size: usize,
    pub kind: FieldKind,
    pub byte_order: ByteOrder,
    /// `game.<name>`, registered in the field registry.
    pub def: &'static FieldDef,
}

/// TCP framing: a header holding a type field and a length field.
#[derive(Debug, Clone)]
pub struct TcpFraming {
    pub ports: Vec<u16>,
    pub byte_order: ByteOrder,
    pub type_field: Range<usize>,
    pub length_field: Range<usize>,
    pub length_includes_header: bool,
    pub header_len: usize,
    /// Largest whole message (header included) considered sane.
    pub max_len: usize,
    pub messages: BTreeMap<u64, String>,
}

#[derive(Debug, Clone)]
pub struct UdpLayout {
    pub ports: Vec<u16>,
    pub fields: Vec<UdpField>,
}

/// A loaded description.
#[derive(Debug, Clone)]
pub struct GameProto {
    pub name: String,
    /// Layer title, e.g. `Game protocol "demo"`.
    pub title: &'static str,
    /// Protocol column, the name in upper case.
    pub column: &'static str,
    pub tcp: Option<TcpFraming>,
    pub udp: Option<UdpLayout>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProto {
    name: Spanned<String>,
    tcp: Option<Spanned<RawTcp>>,
    udp: Option<Spanned<RawUdp>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTcp {
    ports: Spanned<Vec<Spanned<u16>>>,
    byte_order: Option<Spanned<String>>,
    #[serde(rename = "type")]
    type_field: Spanned<RawRange>,
    length: Spanned<RawRange>,
    #[serde(default)]
    length_includes_header: bool,
    header_len: Option<Spanned<usize>>,
    max_len: Option<Spanned<usize>>,
    #[serde(default)]
    messages: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    offset: usize,
    size: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUdp {
    ports: Spanned<Vec<Spanned<u16>>>,
    byte_order: Option<Spanned<String>>,
    #[serde(default)]
    fields: Vec<Spanned<RawField>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: Spanned<String>,
    offset: usize,
    size: Spanned<usize>,
    kind: Option<Spanned<String>>,
    byte_order: Option<Spanned<String>>,
}

/// Names the framing itself uses under `game.`; UDP fields may not take them.
pub const RESERVED: &[&str] = &["msg", "msg_type", "msg_len", "msg_name", "payload", "segments", "continuation"];

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    fn err<T>(&self, span: Range<usize>, message: impl Into<String>) -> Result<T, ProtoError> {
        Err(ProtoError { path: self.path.to_path_buf(), line: line_of(self.text, span.start), message: message.into() })
    }

    fn order(&self, s: &Option<Spanned<String>>, default: ByteOrder) -> Result<ByteOrder, ProtoError> {
        match s {
            None => Ok(default),
            Some(s) => match s.get_ref().as_str() {
                "big" | "be" | "network" => Ok(ByteOrder::Big),
                "little" | "le" => Ok(ByteOrder::Little),
                other => self.err(s.span(), format!("byte_order \"{other}\": expected \"big\" or \"little\"")),
            },
        }
    }

    fn ports(&self, ports: &Spanned<Vec<Spanned<u16>>>) -> Result<Vec<u16>, ProtoError> {
        if ports.get_ref().is_empty() {
            return self.err(ports.span(), "ports is empty: list at least one port, e.g. ports = [7777]");
        }
        for p in ports.get_ref() {
            if *p.get_ref() == 0 {
                return self.err(p.span(), "port 0 cannot carry traffic");
            }
        }
        Ok(ports.get_ref().iter().map(|p| *p.get_ref()).collect())
    }
}

/// 1-based line of byte offset `at`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes().iter().take(at).filter(|&&b| b == b'\n').count() + 1
}

impl GameProto {
    /// Reads and checks a description file, and registers its `game.*` fields.
    pub fn load(path: &Path) -> Result<GameProto, ProtoError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProtoError {
            path: path.to_path_buf(),
            line: 0,
            message: format!("cannot read the protocol description: {e}"),
        })?;
        let proto = GameProto::parse(path, &text)?;
        crate::register_fields();
        pktlab_core::fields::register(&proto.field_defs());
        Ok(proto)
    }

    /// Checks a description given as text (`path` is only used in messages).
    pub fn parse(path: &Path, text: &str) -> Result<GameProto, ProtoError> {
        let cx = Ctx { path, text };
        let raw: RawProto = toml::from_str(text).map_err(|e| ProtoError {
            path: path.to_path_buf(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(1),
            message: e.message().trim().to_string(),
        })?;
        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return cx.err(raw.name.span(), "name must be a non-empty word of letters, digits, '_' or '-'");
        }
        if raw.tcp.is_none() && raw.udp.is_none() {
            return cx.err(0..0, "describe at least one of [tcp] or [udp]");
        }
        let tcp = match &raw.tcp {
            Some(t) => Some(tcp_framing(&cx, t)?),
            None => None,
        };
        let udp = match &raw.udp {
            Some(u) => Some(udp_layout(&cx, u)?),
            None => None,
        };
        if let (Some(t), Some(u)) = (&tcp, &udp)
            && let Some(p) = t.ports.iter().find(|p| u.ports.contains(p)) {
                let span = raw.udp.as_ref().map(|u| u.get_ref().ports.span()).unwrap_or(0..0);
                return cx.err(span, format!("port {p} is listed for both tcp and udp; game ports must differ"));
            }
        Ok(GameProto {
            title: super::fields::static_text(&format!("Game protocol \"{name}\"")),
            column: super::fields::static_text(&name.to_uppercase()),
            name,
            tcp,
            udp,
        })
    }

    /// Every field definition a decoder of this description can emit.
    pub fn field_defs(&self) -> Vec<&'static FieldDef> {
        let mut v: Vec<&'static FieldDef> = super::fields().collect();
        if let Some(u) = &self.udp {
            v.extend(u.fields.iter().map(|f| f.def));
        }
        v
    }

    /// The name of a TCP message type, if the description gives one.
    pub fn message_name(&self, t: u64) -> Option<&str> {
        self.tcp.as_ref()?.messages.get(&t).map(|s| s.as_str())
    }
}

fn tcp_framing(cx: &Ctx, t: &Spanned<RawTcp>) -> Result<TcpFraming, ProtoError> {
    let r = t.get_ref();
    let ports = cx.ports(&r.ports)?;
    let byte_order = cx.order(&r.byte_order, ByteOrder::Big)?;
    let check = |what: &str, f: &Spanned<RawRange>| -> Result<Range<usize>, ProtoError> {
        let v = f.get_ref();
        if ![1, 2, 4, 8].contains(&v.size) {
            return cx.err(f.span(), format!("{what} size {} is not 1, 2, 4 or 8 bytes", v.size));
        }
        if v.offset > 64 {
            return cx.err(f.span(), format!("{what} offset {} is beyond any sensible header (max 64)", v.offset));
        }
        Ok(v.offset..v.offset + v.size)
    };
    let type_field = check("type", &r.type_field)?;
    let length_field = check("length", &r.length)?;
    if type_field.start < length_field.end && length_field.start < type_field.end {
        return cx.err(r.length.span(), "the length field overlaps the type field");
    }
    let fields_end = type_field.end.max(length_field.end);
    let header_len = match &r.header_len {
        Some(h) if *h.get_ref() < fields_end => {
            return cx.err(
                h.span(),
                format!("header_len {} is shorter than the type and length fields (they end at byte {fields_end})", h.get_ref()),
            );
        }
        Some(h) => *h.get_ref(),
        None => fields_end,
    };
    let max_len = match &r.max_len {
        Some(m) if *m.get_ref() < header_len || *m.get_ref() > 16 << 20 => {
            return cx.err(m.span(), format!("max_len must be between the header length ({header_len}) and 16 MiB"));
        }
        Some(m) => *m.get_ref(),
        None => 65_535 + header_len,
    };
    let type_max: u64 = if type_field.len() >= 8 { u64::MAX } else { (1u64 << (8 * type_field.len())) - 1 };
    let mut messages = BTreeMap::new();
    for (k, v) in &r.messages {
        let key = k.get_ref();
        let parsed = match key.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => key.parse::<u64>(),
        };
        let Ok(n) = parsed else {
            return cx.err(k.span(), format!("message type \"{key}\" is not a number (write 1 = \"LOGIN\" or 0x01 = \"LOGIN\")"));
        };
        if n > type_max {
            return cx.err(k.span(), format!("message type {n} does not fit the {}-byte type field", type_field.len()));
        }
        if v.get_ref().trim().is_empty() {
            return cx.err(v.span(), format!("message type {n} has an empty name"));
        }
        if messages.insert(n, v.get_ref().clone()).is_some() {
            return cx.err(k.span(), format!("message type {n} is named twice"));
        }
    }
    Ok(TcpFraming {
        ports,
        byte_order,
        type_field,
        length_field,
        length_includes_header: r.length_includes_header,
        header_len,
        max_len,
        messages,
    })
}

fn udp_layout(cx: &Ctx, u: &Spanned<RawUdp>) -> Result<UdpLayout, ProtoError> {
    let r = u.get_ref();
    let ports = cx.ports(&r.ports)?;
    let order = cx.order(&r.byte_order, ByteOrder::Big)?;
    let mut fields: Vec<UdpField> = Vec::new();
    for f in &r.fields {
        let raw = f.get_ref();
        let name = raw.name.get_ref();
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return cx.err(raw.name.span(), format!("field name \"{name}\": use lower-case letters, digits and '_', starting with a letter"));
        }
        if RESERVED.contains(&name.as_str()) {
            return cx.err(raw.name.span(), format!("field name \"{name}\" is reserved for TCP framing (game.{name})"));
        }
        if fields.iter().any(|x| &x.name == name) {
            return cx.err(raw.name.span(), format!("field \"{name}\" is defined twice"));
        }
        let kind = match raw.kind.as_ref().map(|k| k.get_ref().as_str()) {
            None | Some("uint") => FieldKind::Uint,
            Some("int") => FieldKind::Int,
            Some("float") => FieldKind::Float,
            Some("bytes") => FieldKind::Bytes,
            Some(other) => {
                let span = raw.kind.as_ref().map(|k| k.span()).unwrap_or(f.span());
                return cx.err(span, format!("kind \"{other}\": expected uint, int, float or bytes"));
            }
        };
        let size = *raw.size.get_ref();
        let size_ok = match kind {
            FieldKind::Uint | FieldKind::Int => [1, 2, 4, 8].contains(&size),
            FieldKind::Float => size == 4 || size == 8,
            FieldKind::Bytes => (1..=65_507).contains(&size),
        };
        if !size_ok {
            let want = match kind {
                FieldKind::Uint | FieldKind::Int => "1, 2, 4 or 8",
                FieldKind::Float => "4 or 8",
                FieldKind::Bytes => "1 to 65507",
            };
            return cx.err(raw.size.span(), format!("field \"{name}\": size {size} is not {want} bytes for kind {kind:?}").replace("Uint", "uint").replace("Int", "int").replace("Float", "float").replace("Bytes", "bytes"));
        }
        if raw.offset + size > 65_507 {
            return cx.err(f.span(), format!("field \"{name}\" ends beyond the largest UDP payload (65507 bytes)"));
        }
        let byte_order = cx.order(&raw.byte_order, order)?;
        let ftype = match (kind, size) {
            (FieldKind::Uint, 1) => FieldType::U8,
            (FieldKind::Uint, 2) => FieldType::U16,
            (FieldKind::Uint, 4) => FieldType::U32,
            (FieldKind::Uint, _) => FieldType::U64,
            (FieldKind::Int, 8) => FieldType::I64,
            (FieldKind::Int, _) => FieldType::I32,
            (FieldKind::Float, _) => FieldType::Float,
            (FieldKind::Bytes, _) => FieldType::Bytes,
        };
        let def = super::fields::dynamic_def(&format!("game.{name}"), name, ftype);
        fields.push(UdpField { name: name.clone(), offset: raw.offset, size, kind, byte_order, def });
    }
    Ok(UdpLayout { ports, fields })
}

/// Reads an unsigned integer of 1 to 8 bytes.
pub fn read_uint(bytes: &[u8], order: ByteOrder) -> u64 {
    let it = bytes.iter().take(8);
    match order {
        ByteOrder::Big => it.fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
        ByteOrder::Little => it.rev().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
    }
}
