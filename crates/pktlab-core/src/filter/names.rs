//! Resolving the names written in a filter: a known field (`tcp.port`), a protocol (`tcp`:
//! some field is named `tcp.…`, or the dissector is known to emit such a layer) or `frame`.

use super::suggest;
use crate::dissect::FieldDef;
use crate::fields;

/// Protocols the dissector emits as layers, accepted even if none of their fields is
/// registered (a layer with no fields of its own, such as `data`).
const LAYER_PROTOCOLS: &[&str] = &[
    "eth", "vlan", "sll", "null", "arp", "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp", "dns", "mdns", "data", "vxlan", "gre",
    "igmp", "llc", "ppp",
];

/// What a name in a filter refers to.
#[derive(Clone, Debug)]
pub(crate) enum Name {
    Field(&'static FieldDef),
    Proto(Box<str>),
    Frame,
    /// `_ws.malformed` / `_ws.expert`, when no field of that name is registered: derived from
    /// the dissection's expert items.
    Expert { malformed_only: bool },
}

/// The field registry as seen by one compilation (read once).
pub(crate) struct Names {
    all: Vec<&'static FieldDef>,
}

impl Names {
    pub(crate) fn load() -> Names {
        Names { all: fields::all() }
    }

    /// Resolves `word`, or `None` if it names nothing.
    pub(crate) fn resolve(&self, word: &str) -> Option<Name> {
        if word == "frame" {
            return Some(Name::Frame);
        }
        // A protocol name wins over a field of the same name (a protocol item definition):
        // its presence and bytes are the layer's.
        if self.is_protocol(word) {
            return Some(Name::Proto(word.into()));
        }
        match fields::by_name(word) {
            Some(def) => Some(Name::Field(def)),
            None if word == "_ws.malformed" => Some(Name::Expert { malformed_only: true }),
            None if word == "_ws.expert" => Some(Name::Expert { malformed_only: false }),
            None => None,
        }
    }

    fn is_protocol(&self, word: &str) -> bool {
        if word.is_empty() || word.contains('.') {
            return false;
        }
        LAYER_PROTOCOLS.contains(&word)
            || crate::dissect::NESTED_PROTOCOLS.iter().any(|d| d.abbrev == word)
            || self.all.iter().any(|d| d.abbrev.strip_prefix(word).is_some_and(|rest| rest.starts_with('.')))
    }

    /// The known field or protocol name closest to an unknown `word`.
    pub(crate) fn suggest(&self, word: &str) -> Option<String> {
        let protos = self.all.iter().map(|d| d.protocol()).chain(LAYER_PROTOCOLS.iter().copied()).chain(["frame"]);
        let candidates = self.all.iter().map(|d| d.abbrev).chain(protos);
        suggest::closest(word, candidates).map(str::to_owned)
    }
}

/// Whether a word reads like a name (so an unknown one is reported as an unknown field rather
/// than as a bad value): it starts with a letter and is not all hex digits and separators.
pub(crate) fn looks_like_name(word: &str) -> bool {
    let starts_alpha = word.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_');
    let hexish = word.chars().all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '-' | '.' | '/'));
    starts_alpha && !hexish
}
