//! UI labels in Korean (default) and English: the `ui tui.*` entries of the explanation
//! catalogue (`crates/pktlab-explain/src/text/ui.txt`), so a translator edits text, not Rust.
//! Explanations themselves come from [`crate::explain`]; this file only names the screen's parts.

use crate::dissect::Osi;
use crate::explain::Lang;
use crate::explain::catalog::Kind;
use std::sync::OnceLock;

/// Every fixed string the screen shows.
pub struct Labels {
    pub packets: &'static str,
    pub tree: &'static str,
    pub hex: &'static str,
    pub explain: &'static str,
    pub cols: [&'static str; 7],
    pub filter: &'static str,
    pub goto: &'static str,
    pub loading: &'static str,
    pub loaded: &'static str,
    pub analysing: &'static str,
    pub filtering: &'static str,
    pub frames: &'static str,
    pub no_filter: &'static str,
    pub no_explanation: &'static str,
    pub help_title: &'static str,
    pub help_hint: &'static str,
    pub no_frames: &'static str,
    pub value: &'static str,
    pub bytes_at: &'static str,
    pub expert: &'static str,
    pub stream_title: &'static str,
    pub no_stream: &'static str,
    pub mark_mode: &'static str,
    pub filter_ok: &'static str,
    pub load_error: &'static str,
    pub help: &'static [(&'static str, &'static str)],
}

/// A label of `text/ui.txt`, looked up once per language for the whole run (the labels
/// live as long as the program, like the catalogue they come from).
fn text(key: &str, lang: Lang) -> &'static str {
    Box::leak(crate::explain::ui(key, lang).into_boxed_str())
}

fn build(lang: Lang) -> Labels {
    let cols = ["no", "time", "source", "destination", "protocol", "length", "info"].map(|c| text(&format!("tui.col.{c}"), lang));
    // Help lines run tui.help.1, tui.help.2, … until a number has no entry.
    let mut help = Vec::new();
    for n in 1.. {
        let key = format!("tui.help.{n}.keys");
        if crate::explain::catalog().exact(Kind::Ui, &key).is_none() {
            break;
        }
        help.push((text(&key, lang), text(&format!("tui.help.{n}.text"), lang)));
    }
    Labels {
        packets: text("tui.packets", lang),
        tree: text("tui.tree", lang),
        hex: text("tui.hex", lang),
        explain: text("tui.explain", lang),
        filter: text("tui.filter", lang),
        goto: text("tui.goto", lang),
        loading: text("tui.loading", lang),
        loaded: text("tui.loaded", lang),
        analysing: text("tui.analysing", lang),
        filtering: text("tui.filtering", lang),
        frames: text("tui.frames", lang),
        no_filter: text("tui.no_filter", lang),
        no_explanation: text("tui.no_explanation", lang),
        help_title: text("tui.help_title", lang),
        help_hint: text("tui.help_hint", lang),
        no_frames: text("tui.no_frames", lang),
        value: text("tui.value", lang),
        bytes_at: text("tui.bytes_at", lang),
        expert: text("tui.expert", lang),
        stream_title: text("tui.stream_title", lang),
        no_stream: text("tui.no_stream", lang),
        mark_mode: text("tui.mark_mode", lang),
        filter_ok: text("tui.filter_ok", lang),
        load_error: text("tui.load_error", lang),
        cols,
        help: Box::leak(help.into_boxed_slice()),
    }
}

/// The labels of `lang`, read from `text/ui.txt` on first use.
pub fn labels(lang: Lang) -> &'static Labels {
    static KO: OnceLock<Labels> = OnceLock::new();
    static EN: OnceLock<Labels> = OnceLock::new();
    match lang {
        Lang::Ko => KO.get_or_init(|| build(Lang::Ko)),
        Lang::En => EN.get_or_init(|| build(Lang::En)),
    }
}

/// The tree's group heading for an OSI layer, e.g. "2 데이터 링크": the number, the layer's
/// name (`tui.osi.N`) and, for a layer that has one, its detail (`tui.osi.N.detail`).
pub fn osi_name(osi: Osi, lang: Lang) -> String {
    let n = osi.number();
    let name = crate::explain::ui(&format!("tui.osi.{n}"), lang);
    let detail = format!("tui.osi.{n}.detail");
    match crate::explain::catalog().exact(Kind::Ui, &detail) {
        Some(_) => format!("{n} {name} {}", crate::explain::ui(&detail, lang)),
        None => format!("{n} {name}"),
    }
}
