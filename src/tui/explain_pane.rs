//! The explanation pane: Korean (or English) text about exactly what the tree cursor is on —
//! the field, its value in this frame ([`explain::value_note`]), the expert items attached to
//! it — or the protocol layer, or the OSI layer. Text is wrapped by display width.

use super::action::Focus;
use super::app::App;
use super::text::wrap;
use super::tree::NodeRef;
use crate::explain;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// How a paragraph of the pane is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Title,
    Facts,
    Body,
    Note,
    Warn,
    Missing,
}

/// The paragraphs explaining the selected node.
pub fn paragraphs(app: &App) -> Vec<(Kind, String)> {
    let lang = app.lang;
    let l = app.labels();
    let Some(node) = app.selected_node() else {
        return vec![(Kind::Missing, l.no_frames.to_string())];
    };
    let Some((d, frame)) = app.loaded_detail() else { return Vec::new() };
    let mut out = Vec::new();
    let push_doc = |out: &mut Vec<(Kind, String)>, doc: Option<explain::Doc>| match doc {
        Some(doc) => {
            if !doc.title.is_empty() {
                out.push((Kind::Title, doc.title));
            }
            out.push((Kind::Body, doc.body));
            true
        }
        None => false,
    };
    match node {
        NodeRef::Field(i) => {
            let Some(f) = d.fields.get(i) else { return out };
            out.push((Kind::Title, format!("{} ({})", f.def.name, f.def.abbrev)));
            let v = value_of(d, frame, i);
            let mut facts = String::new();
            if !v.is_empty() {
                facts.push_str(&format!("{}: {v}", l.value));
            }
            if f.len > 0 {
                if !facts.is_empty() {
                    facts.push('\n');
                }
                let len = explain::ui_with("tui.bytes_len", lang, &[("n", &f.len)]);
                facts.push_str(&format!("{}: {}–{} ({len})", l.bytes_at, f.offset, f.offset + f.len - 1));
            }
            if !facts.is_empty() {
                out.push((Kind::Facts, facts));
            }
            let had_doc = push_doc(&mut out, explain::field(f.def.abbrev, lang));
            let note = explain::value_note(d, frame, i, lang);
            let had_note = note.is_some();
            if let Some(n) = note {
                out.push((Kind::Note, n));
            }
            for e in d.experts.iter().filter(|e| e.field == Some(i as u32)) {
                out.push((Kind::Warn, format!("{}: {}", l.expert, e.message)));
                push_doc(&mut out, explain::expert(e.key, lang));
            }
            if !had_doc && !had_note {
                out.push((Kind::Missing, l.no_explanation.to_string()));
            }
        }
        NodeRef::Layer(i) => {
            let Some(layer) = d.layers.get(i) else { return out };
            out.push((Kind::Title, format!("{} ({})", layer.title, layer.proto)));
            if !layer.summary.is_empty() {
                out.push((Kind::Facts, layer.summary.clone()));
            }
            if !push_doc(&mut out, explain::layer(layer.proto, lang)) {
                out.push((Kind::Missing, l.no_explanation.to_string()));
            }
            // Frame-wide expert items without a field belong to the layer view.
            for e in d.experts.iter().filter(|e| e.field.is_none()) {
                out.push((Kind::Warn, format!("{}: {}", l.expert, e.message)));
            }
        }
        NodeRef::Osi(o) => {
            out.push((Kind::Title, super::i18n::osi_name(o, lang)));
            if !push_doc(&mut out, explain::osi(o, lang)) {
                out.push((Kind::Missing, l.no_explanation.to_string()));
            }
        }
    }
    out
}

/// The explanation's own state: how many lines it is scrolled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExplainPane {
    pub scroll: usize,
}

impl ExplainPane {
    /// Scrolls by `delta` lines (never above the first).
    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = (self.scroll as isize).saturating_add(delta).max(0) as usize;
    }

    /// Keeps the last page of `lines` lines on a page of `page` lines the furthest scroll.
    pub fn fit(&mut self, lines: usize, page: usize) {
        self.scroll = self.scroll.min(lines.saturating_sub(page));
    }
}

/// The explanation wrapped to `width` columns, each line with its style.
pub fn lines(app: &App, width: usize) -> Vec<(Style, String)> {
    let theme = app.theme;
    let mut lines: Vec<(Style, String)> = Vec::new();
    for (k, text) in paragraphs(app) {
        let style = match k {
            Kind::Title => theme.header(),
            Kind::Facts => theme.dim(),
            Kind::Body => Style::default(),
            Kind::Note => theme.ok(),
            Kind::Warn => theme.severity(crate::dissect::Severity::Warn),
            Kind::Missing => theme.dim(),
        };
        if !lines.is_empty() {
            lines.push((style, String::new()));
        }
        for l in wrap(&text, width) {
            lines.push((style, l));
        }
    }
    lines
}

/// Draws the explanation, scrolled by `app.explain.scroll` lines.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let lines = lines(app, area.width as usize);
    let max = lines.len().saturating_sub(area.height as usize);
    let scroll = app.explain.scroll.min(max);
    for (row, (style, l)) in lines.iter().skip(scroll).take(area.height as usize).enumerate() {
        buf.set_stringn(area.x, area.y + row as u16, l, area.width as usize, *style);
    }
    if app.focus == Focus::Explain && max > 0 {
        let mark = format!("{}/{}", scroll + 1, max + 1);
        let x = area.x + area.width.saturating_sub(mark.len() as u16);
        buf.set_stringn(x, area.y + area.height - 1, mark, area.width as usize, app.theme.dim());
    }
}

/// A field's value in the words of its tree line (tshark's text, the same as `dissect -V`):
/// what follows `Name: ` there (`40 bytes (10)`, `Set`, `0x04fb [correct]`); a text item with
/// bytes under it and no value of its own shows those bytes in hex.
fn value_of(d: &crate::dissect::Dissection, frame: &[u8], fi: usize) -> String {
    let Some(f) = d.fields.get(fi) else { return String::new() };
    let mut line = String::new();
    crate::dissect::label::tree_label(d, frame, fi, &mut line);
    let key = format!("{}: ", f.def.name);
    if let Some(at) = line.find(&key) {
        let v = &line[at + key.len()..];
        let v = if f.generated { v.strip_suffix(']').unwrap_or(v) } else { v };
        return v.to_string();
    }
    let mut s = String::new();
    crate::dissect::label::value_text(d, frame, f, &mut s);
    if s.is_empty() && matches!(f.value, crate::dissect::Value::None) && f.def.ftype == crate::dissect::FieldType::None && f.len > 0 && f.depth > 0 {
        let b = d.field_bytes(frame, f);
        crate::dissect::format::push_hex(&mut s, b.get(..24).unwrap_or(b));
        if b.len() > 24 {
            s.push('…');
        }
    }
    s
}
