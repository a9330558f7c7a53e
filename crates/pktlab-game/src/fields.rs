//! The `game.*` field definitions: fixed ones for TCP framing, and per-description ones
//! (`game.<udp field>`) created when a description is loaded.

use crate::dissect::model::{Base, FieldDef, FieldType};
use std::sync::Mutex;

pub static MSG: FieldDef = FieldDef::new("game.msg", "Game message", FieldType::None, Base::None);
pub static MSG_TYPE: FieldDef = FieldDef::new("game.msg_type", "Message type", FieldType::U32, Base::Dec);
pub static MSG_NAME: FieldDef = FieldDef::new("game.msg_name", "Message name", FieldType::Str, Base::None);
pub static MSG_LEN: FieldDef = FieldDef::new("game.msg_len", "Length field", FieldType::U32, Base::Dec);
pub static PAYLOAD: FieldDef = FieldDef::new("game.payload", "Payload", FieldType::Bytes, Base::None);
pub static SEGMENTS: FieldDef =
    FieldDef::new("game.segments", "TCP segments this message spans", FieldType::U32, Base::Dec);
pub static CONTINUATION: FieldDef = FieldDef::new(
    "game.continuation",
    "Part of a message completed in a later segment",
    FieldType::Bytes,
    Base::None,
);

/// The fixed `game.*` fields.
pub fn fixed() -> impl Iterator<Item = &'static FieldDef> {
    [&MSG, &MSG_TYPE, &MSG_NAME, &MSG_LEN, &PAYLOAD, &SEGMENTS, &CONTINUATION].into_iter()
}

/// Definitions made at run time; kept so loading a description twice reuses them.
static MADE: Mutex<Vec<&'static FieldDef>> = Mutex::new(Vec::new());

/// The definition for `abbrev` with type `ftype`: an existing one if the same name and type
/// was made before, else a new one. Each distinct (name, type) leaks one small allocation,
/// once per process.
pub fn dynamic_def(abbrev: &str, name: &str, ftype: FieldType) -> &'static FieldDef {
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = made.iter().find(|d| d.abbrev == abbrev && d.ftype == ftype) {
        return d;
    }
    let base = if ftype.is_integer() { Base::Dec } else { Base::None };
    let abbrev: &'static str = Box::leak(abbrev.to_string().into_boxed_str());
    let name: &'static str = Box::leak(name.to_string().into_boxed_str());
    let def: &'static FieldDef = Box::leak(Box::new(FieldDef::new(abbrev, name, ftype, base)));
    made.push(def);
    def
}

/// Texts made at run time that must live as long as the layers that show them (a
/// description's layer title and protocol column); kept so loading a description again
/// reuses them instead of leaking another copy.
static TEXTS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// `text` as a `&'static str`: an existing copy if the same text was made before, else a new
/// one (one small allocation per distinct text, once per process).
pub fn static_text(text: &str) -> &'static str {
    let mut texts = TEXTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = texts.iter().find(|t| **t == text) {
        return t;
    }
    let t: &'static str = Box::leak(text.to_string().into_boxed_str());
    texts.push(t);
    t
}
