//! TCP/UDP conversation analysis over dissected packets. (Being written: see issue 5.)
use crate::dissect::FieldDef;

/// Every field definition the analysis can add to a dissection.
pub fn fields() -> impl Iterator<Item = &'static FieldDef> {
    std::iter::empty()
}
