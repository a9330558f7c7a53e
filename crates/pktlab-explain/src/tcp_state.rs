//! The texts of the TCP state view: a sentence per kind of change
//! (`analysis::tcp_state::Change::key`) and the view's labels, from `text/tcp_state.txt`
//! (format described at the top of that file).

use crate::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Key → (Korean, English).
type Table = HashMap<&'static str, (&'static str, &'static str)>;

fn parse(src: &'static str) -> Table {
    let mut t = Table::new();
    let mut key: Option<&'static str> = None;
    let (mut ko, mut en) = ("", "");
    let mut flush = |key: Option<&'static str>, ko: &'static str, en: &'static str| {
        if let Some(k) = key {
            t.insert(k, (ko, en));
        }
    };
    for line in src.lines() {
        if let Some(k) = line.strip_prefix("=== ") {
            flush(key, ko, en);
            (key, ko, en) = (Some(k.trim()), "", "");
        } else if let Some(s) = line.strip_prefix("@ko ") {
            ko = s.trim();
        } else if let Some(s) = line.strip_prefix("@en ") {
            en = s.trim();
        }
    }
    flush(key, ko, en);
    t
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| parse(include_str!("text/tcp_state.txt")))
}

/// The text of `key` in `lang` (the key itself if the file lacks it, so a missing text shows).
pub fn text(key: &'static str, lang: Lang) -> &'static str {
    match (table().get(key), lang) {
        (Some((ko, _)), Lang::Ko) if !ko.is_empty() => ko,
        (Some((_, en)), Lang::En) if !en.is_empty() => en,
        _ => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_both_languages() {
        let t = table();
        for k in ["open", "accept", "established", "repeat", "data", "ack", "fin", "closed", "reset", "after_reset", "midstream", "title", "legend"] {
            let (ko, en) = t.get(k).copied().unwrap_or_default();
            assert!(!ko.is_empty() && !en.is_empty(), "{k} lacks a text");
        }
        assert_eq!(text("title", Lang::En), "TCP state");
    }
}
