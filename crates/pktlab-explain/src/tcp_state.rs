//! The texts of the TCP state view: a sentence per kind of change
//! (`analysis::tcp_state::Change::key`) and the view's labels, the `ui tcp_state.*` entries
//! of the catalogue (`text/tcp_state.txt`).

use crate::Lang;

/// The text of `key` in `lang` (the key itself if the catalogue lacks it, so a missing text
/// shows).
pub fn text(key: &str, lang: Lang) -> String {
    let full = format!("tcp_state.{key}");
    match crate::catalog().message(crate::catalog::Kind::Ui, &full, lang) {
        Some(t) => t,
        None => key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_both_languages() {
        for k in ["open", "accept", "established", "repeat", "data", "ack", "fin", "closed", "reset", "after_reset", "midstream", "title", "legend"] {
            for lang in [Lang::Ko, Lang::En] {
                assert_ne!(text(k, lang), k, "{k} lacks a {lang:?} text");
            }
        }
        assert_eq!(text("title", Lang::En), "TCP state");
        assert_eq!(text("title", Lang::Ko), "TCP 상태");
    }
}
