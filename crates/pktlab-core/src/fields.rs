//! The one registry of field names: everything the dissector and the analysis emit, plus the
//! fields crates above the engine register at run time (game framing, game descriptions). Filters, lessons, `-T fields` and the explanation catalogue look names
//! up here, so they share Wireshark's vocabulary.

use crate::dissect::FieldDef;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

static STATIC_INDEX: OnceLock<HashMap<&'static str, &'static FieldDef>> = OnceLock::new();
/// Fields registered at run time (game framing and game protocol descriptions).
static DYNAMIC: RwLock<Vec<&'static FieldDef>> = RwLock::new(Vec::new());

fn static_fields() -> impl Iterator<Item = &'static FieldDef> {
    crate::dissect::fields().chain(crate::analysis::fields())
}

fn index() -> &'static HashMap<&'static str, &'static FieldDef> {
    STATIC_INDEX.get_or_init(|| static_fields().map(|d| (d.abbrev, d)).collect())
}

/// Looks a field up by its Wireshark name.
pub fn by_name(name: &str) -> Option<&'static FieldDef> {
    if let Some(d) = index().get(name) {
        return Some(d);
    }
    let dynamic = DYNAMIC.read().unwrap_or_else(|e| e.into_inner());
    dynamic.iter().copied().find(|d| d.abbrev == name)
}

/// A `-T fields` column list resolved against this registry.
pub fn columns<S: AsRef<str>>(names: &[S]) -> crate::dissect::format::Columns {
    crate::dissect::format::Columns::new(names, by_name)
}

/// Every known field, static ones first.
pub fn all() -> Vec<&'static FieldDef> {
    let mut v: Vec<_> = static_fields().collect();
    v.extend(DYNAMIC.read().unwrap_or_else(|e| e.into_inner()).iter().copied());
    v
}

/// Adds fields defined at run time (a game protocol description). Names already known are
/// not added twice.
pub fn register(defs: &[&'static FieldDef]) {
    let mut dynamic = DYNAMIC.write().unwrap_or_else(|e| e.into_inner());
    for d in defs {
        if by_name_static(d.abbrev).is_none() && !dynamic.iter().any(|x| x.abbrev == d.abbrev) {
            dynamic.push(d);
        }
    }
}

fn by_name_static(name: &str) -> Option<&'static FieldDef> {
    index().get(name).copied()
}
