//! The Korean (and English) explanation catalogue of every field, layer, OSI layer and expert
//! item, and notes on what a particular value means in a particular frame.
//!
//! The texts are data: plain-text files under `src/explain/text/` (format in [`catalog`]),
//! compiled in and parsed once. What a value means here ([`value_note`]) is computed in
//! [`notes`]. No UI types here: the TUI renders what this returns.

#[allow(unused_imports)]
use pktlab_core::{analysis, dissect, fields};

pub mod catalog;
pub mod ladder;
pub mod notes;

use crate::dissect::{Dissection, Osi};
use catalog::{Catalog, Entry, Kind};
use std::sync::OnceLock;

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

/// The shipped catalogue, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::shipped)
}

fn doc(e: &Entry, lang: Lang) -> Doc {
    let t = match lang {
        Lang::Ko => &e.ko,
        Lang::En => &e.en,
    };
    Doc { title: t.title.clone(), body: t.body.clone() }
}

/// What a field is and why it matters (by Wireshark name, e.g. `tcp.options.wscale.shift`).
pub fn field(abbrev: &str, lang: Lang) -> Option<Doc> {
    catalog().field(abbrev).map(|e| doc(e, lang))
}

/// What a protocol layer is (by filter name: `eth`, `ip`, `tcp`, …).
pub fn layer(proto: &str, lang: Lang) -> Option<Doc> {
    catalog().exact(Kind::Layer, proto).map(|e| doc(e, lang))
}

/// What an OSI layer is.
pub fn osi(osi: Osi, lang: Lang) -> Option<Doc> {
    catalog().exact(Kind::Osi, &osi.number().to_string()).map(|e| doc(e, lang))
}

/// What an expert item means (by `Expert::key`). Analysis verdicts use their field name as
/// key (`tcp.analysis.retransmission`), so a key with no expert entry of its own uses the
/// field's text; failing both, the nearest shorter key (`malformed.truncated` → `malformed`).
pub fn expert(key: &str, lang: Lang) -> Option<Doc> {
    let c = catalog();
    let mut k = key;
    loop {
        if let Some(e) = c.exact(Kind::Expert, k).or_else(|| c.exact(Kind::Field, k)) {
            return Some(doc(e, lang));
        }
        k = &k[..k.rfind('.')?];
    }
}

/// What this field's value means in this frame (e.g. "shift 7 → window × 128"; "checksum wrong,
/// computed 0x1234, likely offload"). `field` indexes `d.fields`.
pub fn value_note(d: &Dissection, frame: &[u8], field: usize, lang: Lang) -> Option<String> {
    notes::note(d, frame, field, lang)
}
