//! The Korean (and English) explanation catalogue of every field, layer and expert item.
//! (Being written: see issue 4.) No UI types here: the TUI renders what this returns.

use crate::dissect::{Dissection, Osi};

/// The language of explanations and UI labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

/// An explanation: a short title and a body of plain text (paragraphs separated by blank lines).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub title: String,
    pub body: String,
}

/// What a field is and why it matters (by Wireshark name, e.g. `tcp.options.wscale.shift`).
pub fn field(_abbrev: &str, _lang: Lang) -> Option<Doc> {
    None
}

/// What a protocol layer is (by filter name: `eth`, `ip`, `tcp`, …).
pub fn layer(_proto: &str, _lang: Lang) -> Option<Doc> {
    None
}

/// What an OSI layer is.
pub fn osi(_osi: Osi, _lang: Lang) -> Option<Doc> {
    None
}

/// What an expert item means (by `Expert::key`).
pub fn expert(_key: &str, _lang: Lang) -> Option<Doc> {
    None
}

/// What this field's value means in this frame (e.g. "shift 7 → window × 128"; "checksum wrong,
/// computed 0x1234, likely offload"). `field` indexes `d.fields`.
pub fn value_note(_d: &Dissection, _frame: &[u8], _field: usize, _lang: Lang) -> Option<String> {
    None
}
