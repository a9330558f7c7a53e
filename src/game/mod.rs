//! Game traffic: the demo game (`pktlab demo-traffic`), protocol descriptions
//! (`--proto game.toml`) and the decoder that frames game messages out of TCP streams and
//! UDP datagrams as an application layer with `game.*` fields.

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
