//! Game traffic: the demo game (`pktlab demo-traffic`), protocol descriptions
//! (`--proto game.toml`) and the decoder that frames game messages out of TCP streams and
//! UDP datagrams as an application layer with `game.*` fields.

#[allow(unused_imports)]
use pktlab_core::dissect;

pub mod decoder;
pub mod demo;
pub mod fields;
pub mod proto;

pub use decoder::GameDecoder;
pub use proto::{GameProto, ProtoError};

/// The fixed `game.*` field definitions (per-description UDP fields are registered when a
/// description is loaded).
pub fn fields() -> impl Iterator<Item = &'static crate::dissect::FieldDef> {
    fields::fixed()
}

/// Registers the fixed `game.*` fields in the engine's field registry (once; later calls do
/// nothing), so filters, `-T fields` and lessons know their names.
pub fn register_fields() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| pktlab_core::fields::register(&fields::fixed().collect::<Vec<_>>()));
}
