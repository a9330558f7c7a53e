//! The `frame` pseudo-protocol: what the capture file says about a record (number, time,
//! lengths, interface, comments), then the link layer its interface's link type names.

use super::model::*;
use super::{Ctx, Part};
use super::dispatch::link;

pub static FRAME_SECTION_NUMBER: FieldDef = FieldDef::new("frame.section_number", "Section number", FieldType::U32, Base::Dec);
pub static FRAME_INTERFACE_ID: FieldDef = FieldDef::new("frame.interface_id", "Interface id", FieldType::U32, Base::Dec).custom(interface_id_label);
pub static FRAME_INTERFACE_NAME: FieldDef = FieldDef::new("frame.interface_name", "Interface name", FieldType::Str, Base::None);
pub static FRAME_INTERFACE_DESCRIPTION: FieldDef = FieldDef::new("frame.interface_description", "Interface description", FieldType::Str, Base::None);

/// `Interface id: 0 (eth0)`: the id and the interface's name.
fn interface_id_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let name = cx.children().find(|f| std::ptr::eq(f.def, &FRAME_INTERFACE_NAME)).and_then(|f| match &f.value {
        Value::Str(s) => Some(s.as_ref()),
        _ => None,
    });
    let _ = std::fmt::Write::write_fmt(out, format_args!("Interface id: {} ({})", cx.uint(), name.unwrap_or("unknown")));
}
pub static FRAME_ENCAP_TYPE: FieldDef = FieldDef::new("frame.encap_type", "Encapsulation type", FieldType::I32, Base::Dec).custom(encap_label).pure();
pub static FRAME_OFFSET_SHIFT: FieldDef = FieldDef::new("frame.offset_shift", "Time shift for this packet", FieldType::RelTime, Base::None);
pub static FRAME_TIME: FieldDef = FieldDef::new("frame.time", "Arrival Time", FieldType::AbsTime, Base::None);
pub static FRAME_TIME_EPOCH: FieldDef = FieldDef::new("frame.time_epoch", "Epoch Time", FieldType::RelTime, Base::None);
pub static FRAME_TIME_DELTA: FieldDef = FieldDef::new("frame.time_delta", "Time delta from previous captured frame", FieldType::RelTime, Base::None);
pub static FRAME_TIME_DELTA_DISPLAYED: FieldDef =
    FieldDef::new("frame.time_delta_displayed", "Time delta from previous displayed frame", FieldType::RelTime, Base::None);
pub static FRAME_TIME_RELATIVE: FieldDef = FieldDef::new("frame.time_relative", "Time since reference or first frame", FieldType::RelTime, Base::None).volatile();
pub static FRAME_NUMBER: FieldDef = FieldDef::new("frame.number", "Frame Number", FieldType::U32, Base::Dec).volatile();
pub static FRAME_LEN: FieldDef = FieldDef::new("frame.len", "Frame length on the wire", FieldType::U32, Base::Dec).custom(len_label).pure();
pub static FRAME_CAP_LEN: FieldDef = FieldDef::new("frame.cap_len", "Frame length stored into the capture file", FieldType::U32, Base::Dec).custom(len_label).pure();

/// `Encapsulation type: Ethernet (1)`.
fn encap_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let n = match cx.field.value {
        Value::Int(n) => n,
        _ => -1,
    };
    let name = match n {
        1 => "Ethernet",
        7 => "Raw IP",
        15 => "NULL/Loopback",
        16 => "OpenBSD loopback",
        23 => "IEEE 802.11 plus radiotap radio header",
        25 => "Linux cooked-mode capture v1",
        129 => "Raw IPv4",
        130 => "Raw IPv6",
        210 => "Linux cooked-mode capture v2",
        _ => "Unknown",
    };
    out.push_str("Encapsulation type: ");
    out.push_str(name);
    out.push_str(" (");
    out.push_str(itoa::Buffer::new().format(n));
    out.push(')');
}

/// `Frame Length: 74 bytes (592 bits)` / `Capture Length: …`.
fn len_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let n = cx.uint();
    let name = if std::ptr::eq(cx.field.def, &FRAME_LEN) { "Frame Length" } else { "Capture Length" };
    let mut b = itoa::Buffer::new();
    out.push_str(name);
    out.push_str(": ");
    out.push_str(b.format(n));
    out.push_str(if n == 1 { " byte (" } else { " bytes (" });
    out.push_str(b.format(n.wrapping_mul(8)));
    out.push_str(" bits)");
}
pub static FRAME_MARKED: FieldDef = FieldDef::new("frame.marked", "Frame is marked", FieldType::Bool, Base::None);
pub static FRAME_IGNORED: FieldDef = FieldDef::new("frame.ignored", "Frame is ignored", FieldType::Bool, Base::None);
pub static FRAME_PROTOCOLS: FieldDef = FieldDef::new("frame.protocols", "Protocols in frame", FieldType::Str, Base::None);
pub static FRAME_COMMENT: FieldDef = FieldDef::new("frame.comment", "Comment", FieldType::Str, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &FRAME_SECTION_NUMBER,
    &FRAME_INTERFACE_ID,
    &FRAME_INTERFACE_NAME,
    &FRAME_INTERFACE_DESCRIPTION,
    &FRAME_ENCAP_TYPE,
    &FRAME_TIME,
    &FRAME_OFFSET_SHIFT, &FRAME_TIME_EPOCH,
    &FRAME_TIME_DELTA,
    &FRAME_TIME_DELTA_DISPLAYED,
    &FRAME_TIME_RELATIVE,
    &FRAME_NUMBER,
    &FRAME_LEN,
    &FRAME_CAP_LEN,
    &FRAME_MARKED,
    &FRAME_IGNORED,
    &FRAME_PROTOCOLS,
    &FRAME_COMMENT,
];

/// `a - b` in nanoseconds, or zero without `b`.
fn since(a: Timestamp, b: Option<Timestamp>) -> Value {
    let ns = b.map(|b| a.as_nanos() - b.as_nanos()).unwrap_or(0);
    Value::Duration(ns.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

/// Wireshark's encapsulation number (WTAP_ENCAP_*) for a LINKTYPE_* value.
pub fn encap_type(link_type: u32) -> i64 {
    match link_type {
        link::NULL => 15,
        link::ETHERNET => 1,
        link::RAW => 7,
        link::LOOP => 16,
        link::LINUX_SLL => 25,
        link::IEEE802_11_RADIOTAP => 23,
        link::IPV4 => 129,
        link::IPV6 => 130,
        link::LINUX_SLL2 => 210,
        _ => -1, // unknown to pktlab
    }
}

pub(crate) fn dissect(cx: &mut Ctx, meta: &FrameMeta, data: &[u8]) {
    let li = cx.open("frame", "Frame", Osi::Physical, 0, data.len());
    // `frame.protocols` lists the frame's layers but not `frame` itself.
    cx.protos.clear();
    // (Where `frame.protocols` goes once the layers are known; none if the part is skipped.)
    let protos_at = if cx.part(Part::Frame) { fields(cx, meta, data) } else { usize::MAX };
    cx.close(li);
    if let Some(s) = cx.summary(li) {
        s.push_str("Frame ");
        super::push_dec(s, meta.number);
        s.push_str(": ");
        super::push_dec(s, meta.orig_len as u64);
        s.push_str(" bytes on wire (");
        super::push_dec(s, meta.orig_len as u64 * 8);
        s.push_str(" bits), ");
        super::push_dec(s, data.len() as u64);
        s.push_str(" bytes captured (");
        super::push_dec(s, data.len() as u64 * 8);
        s.push_str(" bits)");
        if let (Some(id), Some(info)) = (meta.interface_id, &meta.interface) {
            s.push_str(" on interface ");
            s.push_str(info.name.as_deref().unwrap_or("unknown"));
            s.push_str(", id ");
            super::push_dec(s, id as u64);
        }
    }
    if (meta.orig_len as usize) < data.len() {
        cx.expert(Severity::Error, "malformed.len_lt_caplen", "Frame length is less than captured length", None);
    }

    cx.set_protocol("");
    super::dispatch::link(cx, meta.link_type, data);
    finish(cx, protos_at);
}

/// The frame layer's fields; returns the index of `frame.protocols`, filled in by [`finish`].
fn fields(cx: &mut Ctx, meta: &FrameMeta, data: &[u8]) -> usize {
    for c in &meta.comments {
        if cx.wants(&FRAME_COMMENT) {
            cx.add(&FRAME_COMMENT, 0, 0, Value::Str(c.as_str().into()));
        }
    }
    if let Some(id) = meta.interface_id {
        if let Some(info) = &meta.interface {
            cx.add(&FRAME_SECTION_NUMBER, 0, 0, Value::UInt(info.section as u64));
        }
        cx.add(&FRAME_INTERFACE_ID, 0, 0, Value::UInt(id as u64));
        if let Some(info) = &meta.interface {
            cx.child(|cx| {
                let name = info.name.as_deref().unwrap_or("unknown");
                cx.add(&FRAME_INTERFACE_NAME, 0, 0, Value::Str(name.into()));
                if let Some(d) = &info.description {
                    cx.add(&FRAME_INTERFACE_DESCRIPTION, 0, 0, Value::Str(d.as_str().into()));
                }
            });
        }
    }
    if let Some(lt) = meta.link_type {
        cx.add(&FRAME_ENCAP_TYPE, 0, 0, Value::Int(encap_type(lt)));
    }
    if let Some(ts) = meta.ts {
        let t = &meta.times;
        cx.add(&FRAME_TIME, 0, 0, Value::Time(ts));
        cx.add_gen(&FRAME_OFFSET_SHIFT, 0, 0, Value::Duration(0));
        cx.add(&FRAME_TIME_EPOCH, 0, 0, Value::Time(ts));
        cx.add_gen(&FRAME_TIME_DELTA, 0, 0, since(ts, t.prev_captured));
        cx.add_gen(&FRAME_TIME_DELTA_DISPLAYED, 0, 0, since(ts, t.prev_displayed));
        cx.add_gen(&FRAME_TIME_RELATIVE, 0, 0, since(ts, Some(t.first.unwrap_or(ts))));
    }
    cx.add(&FRAME_NUMBER, 0, 0, Value::UInt(meta.number));
    cx.add(&FRAME_LEN, 0, 0, Value::UInt(meta.orig_len as u64));
    cx.add(&FRAME_CAP_LEN, 0, 0, Value::UInt(data.len() as u64));
    cx.add_gen(&FRAME_MARKED, 0, 0, Value::Bool(false));
    cx.add_gen(&FRAME_IGNORED, 0, 0, Value::Bool(false));
    cx.add_gen(&FRAME_PROTOCOLS, 0, 0, Value::None) as usize
}

/// Stores `frame.protocols`, the reassembled sources and the default columns.
fn finish(cx: &mut Ctx, protos_at: usize) {
    if let Some(f) = cx.out.fields.get_mut(protos_at)
        && std::ptr::eq(f.def, &FRAME_PROTOCOLS)
    {
        f.value = Value::Str(cx.protos.as_str().into());
    }
    cx.out.sources.append(&mut cx.pending_sources);
    if cx.columns {
        let (src, dst) = (cx.col_src, cx.col_dst);
        src.write(&mut cx.out.src);
        dst.write(&mut cx.out.dst);
    }
    if cx.out.protocol.is_empty() {
        cx.out.protocol = cx.out.layers.last().map(|l| l.proto).unwrap_or("");
    }
}
