//! Pure dissection: bytes + link type in, a [`Dissection`] of layers and fields out.
//! No I/O, no clock, no UI types. (Protocols being written: see issue 2.)

pub mod model;

pub use model::*;

/// The dissector. Stateful only where tshark is: IP fragment reassembly.
#[derive(Default)]
pub struct Dissector {}

impl Dissector {
    pub fn new() -> Self {
        Self::default()
    }

    /// Dissects one frame into `out` (which is cleared first). Never panics, whatever the bytes.
    pub fn dissect(&mut self, meta: &FrameMeta, data: &[u8], out: &mut Dissection) {
        let _ = (meta, data);
        out.clear();
    }
}

/// Every field definition the dissector can emit.
pub fn fields() -> impl Iterator<Item = &'static FieldDef> {
    std::iter::empty()
}
