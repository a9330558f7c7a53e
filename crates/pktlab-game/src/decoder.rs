//! [`GameDecoder`]: a stateful pass over dissections that reassembles game messages from
//! TCP streams and reads the fixed fields of game datagrams, appending an application
//! layer (`proto = "game"`, [`Osi::Application`]) with `game.*` fields.
//!
//! Contract: call [`GameDecoder::process`] once per frame, in capture order, after the
//! dissector. It reads only the dissection's `ip`/`ipv6` and `tcp`/`udp` layers (their
//! offsets) and the frame bytes. A message lying wholly inside one segment has fields in the
//! frame (or the transport's own source); a message spanning segments is copied into a new
//! buffer pushed on [`Dissection::sources`], and its fields point there. Never panics.
//!
//! Stream state per direction: the next expected sequence number and the bytes of an
//! incomplete message. Retransmitted bytes are skipped; a gap (lost segment) discards the
//! incomplete message and restarts framing at the new segment, with a warning.

use super::fields as gf;
use super::proto::{ByteOrder, FieldKind, GameProto, TcpFraming, UdpLayout, read_uint};
use crate::dissect::model::{Dissection, Expert, Field, FieldDef, Layer, Osi, Severity, SourceId, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Streams tracked at once; beyond this the table is cleared (the oldest state is lost).
const MAX_STREAMS: usize = 16_384;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct StreamKey {
    src: [u8; 16],
    dst: [u8; 16],
    sport: u16,
    dport: u16,
}

#[derive(Default, Debug)]
struct Stream {
    next_seq: Option<u32>,
    /// Bytes of a message begun in earlier segments.
    pending: Vec<u8>,
    /// How many segments contributed to `pending`.
    pending_segments: u32,
}

/// Where a transport header and its payload are.
struct Transport {
    is_tcp: bool,
    source: SourceId,
    key: StreamKey,
    seq: u32,
    syn: bool,
    rst_or_fin: bool,
    payload: std::ops::Range<usize>,
}

/// Decodes one game protocol description over a capture.
pub struct GameDecoder {
    proto: Arc<GameProto>,
    streams: HashMap<StreamKey, Stream>,
}

/// Collects the game layer of one frame.
struct Out<'d> {
    d: &'d mut Dissection,
    first_field: u32,
    summary: Vec<String>,
}

impl Out<'_> {
    fn field(&mut self, def: &'static FieldDef, source: SourceId, offset: usize, len: usize, depth: u8, value: Value) {
        self.d.fields.push(Field {
            def,
            offset: offset as u32,
            len: len as u32,
            depth,
            source,
            generated: false,
            hidden: false,
            value,
        });
    }

    fn generated(&mut self, def: &'static FieldDef, source: SourceId, offset: usize, len: usize, value: Value) {
        self.field(def, source, offset, len, 1, value);
        if let Some(f) = self.d.fields.last_mut() {
            f.generated = true;
        }
    }

    fn expert(&mut self, severity: Severity, key: &'static str, message: String) {
        let field = (self.d.fields.len() as u32 > self.first_field).then(|| self.d.fields.len() as u32 - 1);
        self.d.experts.push(Expert { severity, key, message, field });
    }
}

impl GameDecoder {
    pub fn new(proto: Arc<GameProto>) -> GameDecoder {
        GameDecoder { proto, streams: HashMap::new() }
    }

    pub fn proto(&self) -> &GameProto {
        &self.proto
    }

    /// Appends the game layer to `d` if the frame carries game traffic.
    pub fn process(&mut self, d: &mut Dissection, frame: &[u8]) {
        let Some(t) = locate(d, frame) else { return };
        let proto = Arc::clone(&self.proto);
        let first_field = d.fields.len() as u32;
        let mut out = Out { d, first_field, summary: Vec::new() };
        let (sport, dport) = (t.key.sport, t.key.dport);
        let handled = if t.is_tcp {
            match &proto.tcp {
                Some(tcp) if tcp.ports.contains(&sport) || tcp.ports.contains(&dport) => {
                    self.tcp(tcp, &t, frame, &mut out);
                    true
                }
                _ => false,
            }
        } else {
            match &proto.udp {
                Some(udp) if udp.ports.contains(&sport) || udp.ports.contains(&dport) => {
                    udp_fields(udp, &t, frame, &mut out);
                    true
                }
                _ => false,
            }
        };
        let end = out.d.fields.len() as u32;
        if !handled || end == first_field {
            return;
        }
        let summary = format!("{}: {}", proto.name, out.summary.join(", "));
        let d = out.d;
        d.layers.push(Layer {
            proto: "game",
            title: proto.title,
            osi: Osi::Application,
            offset: t.payload.start as u32,
            len: t.payload.len() as u32,
            source: t.source,
            fields: first_field..end,
            summary: summary.clone(),
        });
        d.protocol = proto.column;
        d.info = summary;
    }

    fn tcp(&mut self, fr: &TcpFraming, t: &Transport, frame: &[u8], out: &mut Out) {
        if self.streams.len() >= MAX_STREAMS && !self.streams.contains_key(&t.key) {
            self.streams.clear();
        }
        let stream = self.streams.entry(t.key).or_default();
        let len = t.payload.len();
        if t.syn {
            stream.next_seq = Some(t.seq.wrapping_add(1));
            stream.pending.clear();
            stream.pending_segments = 0;
        }
        if len == 0 {
            if t.rst_or_fin && !t.syn {
                self.streams.remove(&t.key);
            }
            return;
        }
        let mut start = t.payload.start;
        let mut gap = None;
        match stream.next_seq {
            None => {}
            Some(next) => {
                let diff = t.seq.wrapping_sub(next) as i32;
                if diff < 0 {
                    let skip = diff.unsigned_abs() as usize;
                    if skip >= len {
                        out.summary.push("retransmitted bytes".into());
                        out.field(&gf::CONTINUATION, t.source, start, len, 0, Value::Bytes);
                        out.expert(
                            Severity::Note,
                            "game.retransmission",
                            "these bytes were already received; not decoded again".into(),
                        );
                        return;
                    }
                    start += skip;
                } else if diff > 0 {
                    gap = Some(diff as u32);
                    stream.pending.clear();
                    stream.pending_segments = 0;
                }
            }
        }
        stream.next_seq = Some(t.seq.wrapping_add(len as u32));
        let source = frame_source(out.d, frame, t.source);
        let new = source.get(start..t.payload.end).unwrap_or(&[]).to_vec();
        let carried = stream.pending.len();
        let total_len = carried + new.len();
        let at = |i: usize| -> u8 {
            if i < carried { stream.pending[i] } else { new.get(i - carried).copied().unwrap_or(0) }
        };
        let mut cursor = 0;
        let mut broken = None;
        while total_len - cursor >= fr.header_len {
            let header: Vec<u8> = (cursor..cursor + fr.header_len).map(at).collect();
            let msg_type = read_uint(&header[fr.type_field.clone()], fr.byte_order);
            let len_value = read_uint(&header[fr.length_field.clone()], fr.byte_order);
            let size = if fr.length_includes_header {
                usize::try_from(len_value).ok().filter(|&n| n >= fr.header_len)
            } else {
                usize::try_from(len_value).ok().and_then(|n| n.checked_add(fr.header_len))
            };
            let Some(size) = size.filter(|&n| n <= fr.max_len) else {
                broken = Some((cursor, msg_type, len_value));
                break;
            };
            if total_len - cursor < size {
                break;
            }
            let (src, offset, segments) = if cursor >= carried {
                (t.source, start + (cursor - carried), 1)
            } else {
                let mut buf = stream.pending[cursor..].to_vec();
                buf.extend_from_slice(&new[..cursor + size - carried]);
                match push_source(out.d, buf) {
                    Some(id) => (id, 0, stream.pending_segments + 1),
                    None => {
                        cursor += size;
                        continue;
                    }
                }
            };
            emit_message(&self.proto, fr, out, src, offset, size, msg_type, len_value, segments);
            cursor += size;
        }
        if let Some(missing) = gap {
            out.expert(
                Severity::Warn,
                "game.gap",
                format!("{missing} bytes of the stream are missing before this segment; message framing restarts here"),
            );
        }
        if let Some((at_byte, msg_type, len_value)) = broken {
            let from = start + at_byte.saturating_sub(carried);
            out.field(&gf::CONTINUATION, t.source, from, t.payload.end.saturating_sub(from), 0, Value::Bytes);
            out.summary.push(format!("bad length {len_value} (type {msg_type})"));
            out.expert(
                Severity::Error,
                "game.bad_length",
                format!(
                    "length field {len_value} is impossible (header {} bytes, at most {} per message); framing lost until the next gap",
                    fr.header_len, fr.max_len
                ),
            );
            stream.pending.clear();
            stream.pending_segments = 0;
            // Skip this direction's bytes until something resynchronises it.
            stream.next_seq = None;
            return;
        }
        // The incomplete message left over.
        if cursor < carried {
            stream.pending.drain(..cursor);
            stream.pending.extend_from_slice(&new);
            stream.pending_segments += 1;
        } else {
            stream.pending = new[cursor - carried..].to_vec();
            stream.pending_segments = u32::from(!stream.pending.is_empty());
        }
        if !stream.pending.is_empty() {
            let from = start + cursor.saturating_sub(carried);
            let n = t.payload.end.saturating_sub(from);
            if n > 0 {
                out.field(&gf::CONTINUATION, t.source, from, n, 0, Value::Bytes);
                out.summary.push(format!("{} bytes of an unfinished message", stream.pending.len()));
            }
        }
        if stream.pending.len() > fr.max_len {
            stream.pending.clear();
            stream.pending_segments = 0;
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn emit_message(
    proto: &GameProto,
    fr: &TcpFraming,
    out: &mut Out,
    src: SourceId,
    offset: usize,
    size: usize,
    msg_type: u64,
    len_value: u64,
    segments: u32,
) {
    let name = proto.message_name(msg_type).map(str::to_string).unwrap_or_else(|| format!("type {msg_type}"));
    out.field(&gf::MSG, src, offset, size, 0, Value::None);
    out.field(&gf::MSG_TYPE, src, offset + fr.type_field.start, fr.type_field.len(), 1, Value::UInt(msg_type));
    out.generated(&gf::MSG_NAME, src, offset + fr.type_field.start, fr.type_field.len(), Value::Str(name.clone().into()));
    out.field(&gf::MSG_LEN, src, offset + fr.length_field.start, fr.length_field.len(), 1, Value::UInt(len_value));
    if size > fr.header_len {
        out.field(&gf::PAYLOAD, src, offset + fr.header_len, size - fr.header_len, 1, Value::Bytes);
    }
    out.generated(&gf::SEGMENTS, src, offset, 0, Value::UInt(u64::from(segments)));
    if segments > 1 {
        out.summary.push(format!("{name} len={len_value} (reassembled from {segments} segments)"));
    } else {
        out.summary.push(format!("{name} len={len_value}"));
    }
}

fn udp_fields(u: &UdpLayout, t: &Transport, frame: &[u8], out: &mut Out) {
    let bytes = frame_source(out.d, frame, t.source).get(t.payload.clone()).unwrap_or(&[]).to_vec();
    let mut shown = 0;
    let mut fixed_end = 0;
    for f in &u.fields {
        let Some(b) = bytes.get(f.offset..f.offset + f.size) else {
            out.expert(
                Severity::Warn,
                "game.short",
                format!("datagram of {} bytes is too short for field {} (bytes {}..{})", bytes.len(), f.name, f.offset, f.offset + f.size),
            );
            continue;
        };
        fixed_end = fixed_end.max(f.offset + f.size);
        let raw = read_uint(b, f.byte_order);
        let value = match f.kind {
            FieldKind::Uint => Value::UInt(raw),
            FieldKind::Int => {
                let shift = 64 - 8 * f.size as u32;
                Value::Int(((raw << shift) as i64) >> shift)
            }
            FieldKind::Float if f.size == 4 => Value::Float(f64::from(f32::from_bits(raw as u32))),
            FieldKind::Float => Value::Float(f64::from_bits(raw)),
            FieldKind::Bytes => Value::Bytes,
        };
        if shown < 4 {
            let text = match &value {
                Value::UInt(v) => v.to_string(),
                Value::Int(v) => v.to_string(),
                Value::Float(v) => format!("{v:.2}"),
                _ => format!("{} bytes", f.size),
            };
            out.summary.push(format!("{}={text}", f.name));
            shown += 1;
        }
        out.field(f.def, t.source, t.payload.start + f.offset, f.size, 0, value);
    }
    if bytes.len() > fixed_end {
        out.field(&gf::PAYLOAD, t.source, t.payload.start + fixed_end, bytes.len() - fixed_end, 0, Value::Bytes);
    }
    if out.summary.is_empty() {
        out.summary.push(format!("{} bytes", bytes.len()));
    }
    let _ = ByteOrder::Big;
}

fn frame_source<'a>(d: &'a Dissection, frame: &'a [u8], source: SourceId) -> &'a [u8] {
    d.source_bytes(frame, source)
}

/// Adds a reassembly buffer; None when the 255 source ids are used up.
fn push_source(d: &mut Dissection, buf: Vec<u8>) -> Option<SourceId> {
    let id = SourceId::try_from(d.sources.len() + 1).ok()?;
    d.sources.push(buf);
    Some(id)
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Finds the innermost TCP or UDP layer and its IP layer, and reads what framing needs from
/// the bytes at their offsets.
fn locate(d: &Dissection, frame: &[u8]) -> Option<Transport> {
    let ti = d.layers.iter().rposition(|l| l.proto == "tcp" || l.proto == "udp")?;
    let tl = &d.layers[ti];
    let bytes = d.source_bytes(frame, tl.source);
    let off = tl.offset as usize;
    let ip = d.layers[..ti].iter().rev().find(|l| matches!(l.proto, "ip" | "ipv6") && l.source == tl.source);
    let mut key = StreamKey { src: [0; 16], dst: [0; 16], sport: be16(bytes, off)?, dport: be16(bytes, off + 2)? };
    let mut end = bytes.len();
    if let Some(ip) = ip {
        let io = ip.offset as usize;
        match bytes.get(io).map(|b| b >> 4) {
            Some(4) => {
                key.src[..4].copy_from_slice(bytes.get(io + 12..io + 16)?);
                key.dst[..4].copy_from_slice(bytes.get(io + 16..io + 20)?);
                end = end.min(io + usize::from(be16(bytes, io + 2)?));
            }
            Some(6) => {
                key.src.copy_from_slice(bytes.get(io + 8..io + 24)?);
                key.dst.copy_from_slice(bytes.get(io + 24..io + 40)?);
                end = end.min(io + 40 + usize::from(be16(bytes, io + 4)?));
            }
            _ => {}
        }
    }
    if tl.proto == "tcp" {
        let doff = usize::from(*bytes.get(off + 12)? >> 4) * 4;
        let flags = *bytes.get(off + 13)?;
        let start = off + doff.max(20);
        Some(Transport {
            is_tcp: true,
            source: tl.source,
            key,
            seq: be32(bytes, off + 4)?,
            syn: flags & 0x02 != 0,
            rst_or_fin: flags & 0x05 != 0,
            payload: start.min(end)..end,
        })
    } else {
        let udp_end = off + usize::from(be16(bytes, off + 4)?);
        let end = end.min(udp_end.max(off + 8));
        Some(Transport {
            is_tcp: false,
            source: tl.source,
            key,
            seq: 0,
            syn: false,
            rst_or_fin: false,
            payload: (off + 8).min(end)..end,
        })
    }
}
