//! The Korean (and English) explanation catalogue of every field, layer, OSI layer and expert
//! item, and notes on what a particular value means in a particular frame.
//!
//! The texts are data: plain-text files under `text/` (format in [`catalog`] and
//! `text/README.md`), compiled in and parsed once. What a value means here ([`value_note`]) is
//! a `note` entry whose key and values [`notes`] computes; UI labels are `ui` entries
//! ([`ui`]). No UI types here: the TUI renders what this returns.

#[allow(unused_imports)]
use pktlab_core::{analysis, dissect, fields};

pub mod catalog;
pub mod ladder;
pub mod notes;
pub mod tcp_state;

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

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The shipped catalogue, parsed on first use.
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(Catalog::shipped)
}

/// Where `ui` entries are read: the whole catalogue once something has parsed it (the TUI),
/// else the files that hold them parsed without the rest ([`Catalog::shipped_ui`]): a
/// program that needs a few labels (`dissect -V`'s OSI tags) does not parse the whole
/// catalogue (a tenth of the time). A test keeps both equal.
fn ui_catalog() -> &'static Catalog {
    static UI: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get().unwrap_or_else(|| UI.get_or_init(Catalog::shipped_ui))
}

fn doc(e: &Entry, lang: Lang) -> Doc {
    let t = match lang {
        Lang::Ko => &e.ko,
        Lang::En => &e.en,
    };
    Doc {
        title: t.title.clone(),
        body: t.body.clone(),
    }
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
    catalog()
        .exact(Kind::Osi, &osi.number().to_string())
        .map(|e| doc(e, lang))
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

/// A `note` or `ui` message of the shipped catalogue in `lang`, its `{placeholders}` filled
/// from `args`. A key the catalogue lacks comes back as the key itself, so a missing text
/// is visible rather than silent (a unit test keeps every key used in the code defined).
pub fn message(
    kind: Kind,
    key: &str,
    lang: Lang,
    args: &[(&str, &dyn std::fmt::Display)],
) -> String {
    let c = if kind == Kind::Ui { ui_catalog() } else { catalog() };
    match c.message(kind, key, lang) {
        Some(t) => catalog::fill(&t, args),
        None => key.to_owned(),
    }
}

/// A label of the user interface (`ui` entries), with no placeholders.
pub fn ui(key: &str, lang: Lang) -> String {
    ui_with(key, lang, &[])
}

/// A label of the user interface with its `{placeholders}` filled; in Korean, the `A/B`
/// particles after them (`{frame}이/가`) are resolved for the values filled in, as in notes.
pub fn ui_with(key: &str, lang: Lang, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let text = message(Kind::Ui, key, lang, args);
    if lang == Lang::Ko && text.contains('/') {
        notes::fix_josa(&text)
    } else {
        text
    }
}

/// What this field's value means in this frame (e.g. "shift 7 → window × 128"; "checksum wrong,
/// computed 0x1234, likely offload"). `field` indexes `d.fields`.
pub fn value_note(d: &Dissection, frame: &[u8], field: usize, lang: Lang) -> Option<String> {
    notes::note(d, frame, field, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_messages_fill_values_and_pick_korean_particles() {
        let no_frame = |n: u64, lang| ui_with("lesson.no_frame", lang, &[("frame", &n)]);
        assert_eq!(no_frame(1, Lang::Ko), "프레임 1이 캡처에 없어요.");
        assert_eq!(no_frame(2, Lang::Ko), "프레임 2가 캡처에 없어요.");
        assert_eq!(no_frame(2, Lang::En), "Frame 2 is not in the capture.");
        let revealed = |a: &str| ui_with("lesson.revealed", Lang::Ko, &[("answer", &a)]);
        assert_eq!(revealed("1460"), "✘ 정답은 1460이에요.");
        assert_eq!(revealed("9"), "✘ 정답은 9예요.");
        // A message without particles is the text as written; a missing key shows itself.
        assert_eq!(ui("lesson.menu.keys", Lang::Ko), "↑/↓ 고르기 · Enter 시작(이어서 하기) · q 끝내기");
        assert_eq!(ui("no.such.key", Lang::En), "no.such.key");
    }
}
