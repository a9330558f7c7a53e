//! GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637): flags, protocol type, optional
//! checksum, key (or payload length and call ID), sequence and acknowledgment numbers.

use super::dispatch;
use super::model::*;
use super::{Ctx, rd};

pub static GRE_FLAGS_AND_VERSION: FieldDef = FieldDef::new("gre.flags_and_version", "Flags and Version", FieldType::U16, Base::Hex);
pub static GRE_FLAGS_CHECKSUM: FieldDef = FieldDef::new("gre.flags.checksum", "Checksum Bit", FieldType::Bool, Base::None).mask(0x8000);
pub static GRE_FLAGS_ROUTING: FieldDef = FieldDef::new("gre.flags.routing", "Routing Bit", FieldType::Bool, Base::None).mask(0x4000);
pub static GRE_FLAGS_KEY: FieldDef = FieldDef::new("gre.flags.key", "Key Bit", FieldType::Bool, Base::None).mask(0x2000);
pub static GRE_FLAGS_SEQUENCE_NUMBER: FieldDef = FieldDef::new("gre.flags.sequence_number", "Sequence Number Bit", FieldType::Bool, Base::None).mask(0x1000);
pub static GRE_FLAGS_STRICT_SOURCE_ROUTE: FieldDef = FieldDef::new("gre.flags.strict_source_route", "Strict Source Route Bit", FieldType::Bool, Base::None).mask(0x800);
pub static GRE_FLAGS_RECURSION_CONTROL: FieldDef = FieldDef::new("gre.flags.recursion_control", "Recursion control", FieldType::U16, Base::Dec).mask(0x700);
pub static GRE_FLAGS_ACK: FieldDef = FieldDef::new("gre.flags.ack", "Acknowledgment", FieldType::Bool, Base::None).mask(0x80);
pub static GRE_FLAGS_RESERVED: FieldDef = FieldDef::new("gre.flags.reserved", "Flags (Reserved)", FieldType::U16, Base::Dec).mask(0xf8);
pub static GRE_FLAGS_VERSION: FieldDef = FieldDef::new("gre.flags.version", "Version", FieldType::U16, Base::Dec).mask(0x7);
pub static GRE_PROTO: FieldDef = FieldDef::new("gre.proto", "Protocol Type", FieldType::U16, Base::Hex);
pub static GRE_CHECKSUM: FieldDef = FieldDef::new("gre.checksum", "Checksum", FieldType::U16, Base::Hex);
pub static GRE_OFFSET: FieldDef = FieldDef::new("gre.offset", "Offset", FieldType::U16, Base::Dec);
pub static GRE_KEY: FieldDef = FieldDef::new("gre.key", "Key", FieldType::U32, Base::Hex);
pub static GRE_KEY_PAYLOAD_LENGTH: FieldDef = FieldDef::new("gre.key.payload_length", "Payload Length", FieldType::U16, Base::Dec);
pub static GRE_KEY_CALL_ID: FieldDef = FieldDef::new("gre.key.call_id", "Call ID", FieldType::U16, Base::Dec);
pub static GRE_SEQUENCE_NUMBER: FieldDef = FieldDef::new("gre.sequence_number", "Sequence Number", FieldType::U32, Base::Dec);
pub static GRE_ACK_NUMBER: FieldDef = FieldDef::new("gre.ack_number", "Acknowledgment Number", FieldType::U32, Base::Dec);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&GRE_FLAGS_AND_VERSION, &GRE_FLAGS_CHECKSUM, &GRE_FLAGS_ROUTING, &GRE_FLAGS_KEY, &GRE_FLAGS_SEQUENCE_NUMBER, &GRE_FLAGS_STRICT_SOURCE_ROUTE, &GRE_FLAGS_RECURSION_CONTROL, &GRE_FLAGS_ACK, &GRE_FLAGS_RESERVED, &GRE_FLAGS_VERSION, &GRE_PROTO, &GRE_CHECKSUM, &GRE_OFFSET, &GRE_KEY, &GRE_KEY_PAYLOAD_LENGTH, &GRE_KEY_CALL_ID, &GRE_SEQUENCE_NUMBER, &GRE_ACK_NUMBER];

pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) {
    let li = cx.open("gre", "Generic Routing Encapsulation", Osi::Network, off, 4);
    if cx.in_error == 0 {
        cx.set_protocol("GRE");
    }
    let (Some(fv), Some(proto)) = (rd::u16(data, off), rd::u16(data, off + 2)) else {
        cx.close(li);
        cx.short(data, off, 4);
        return;
    };
    cx.add(&GRE_FLAGS_AND_VERSION, off, 2, Value::UInt(fv as u64));
    cx.child(|cx| {
        let bits: [(&'static FieldDef, u16); 6] = [
            (&GRE_FLAGS_CHECKSUM, 0x8000),
            (&GRE_FLAGS_ROUTING, 0x4000),
            (&GRE_FLAGS_KEY, 0x2000),
            (&GRE_FLAGS_SEQUENCE_NUMBER, 0x1000),
            (&GRE_FLAGS_STRICT_SOURCE_ROUTE, 0x0800),
            (&GRE_FLAGS_ACK, 0x0080),
        ];
        for (i, (def, m)) in bits.iter().enumerate() {
            cx.add(def, off, 2, Value::Bool(fv & m != 0));
            if i == 4 {
                cx.add(&GRE_FLAGS_RECURSION_CONTROL, off, 2, Value::UInt(((fv >> 8) & 7) as u64));
            }
        }
        cx.add(&GRE_FLAGS_RESERVED, off, 2, Value::UInt(((fv >> 3) & 0x1f) as u64));
        cx.add(&GRE_FLAGS_VERSION, off, 2, Value::UInt((fv & 7) as u64));
    });
    cx.add(&GRE_PROTO, off + 2, 2, Value::UInt(proto as u64));
    let mut o = off + 4;
    let need = |cx: &mut Ctx, o: usize, n: usize| -> bool {
        if data.len() < o + n {
            cx.short(data, o, n);
            false
        } else {
            true
        }
    };
    if fv & 0xc000 != 0 {
        if !need(cx, o, 4) {
            cx.close(li);
            return;
        }
        cx.add(&GRE_CHECKSUM, o, 2, Value::UInt(rd::u16(data, o).unwrap_or(0) as u64));
        cx.add(&GRE_OFFSET, o + 2, 2, Value::UInt(rd::u16(data, o + 2).unwrap_or(0) as u64));
        o += 4;
    }
    if fv & 0x2000 != 0 {
        if !need(cx, o, 4) {
            cx.close(li);
            return;
        }
        if fv & 7 == 1 {
            cx.add(&GRE_KEY_PAYLOAD_LENGTH, o, 2, Value::UInt(rd::u16(data, o).unwrap_or(0) as u64));
            cx.add(&GRE_KEY_CALL_ID, o + 2, 2, Value::UInt(rd::u16(data, o + 2).unwrap_or(0) as u64));
        } else {
            cx.add(&GRE_KEY, o, 4, Value::UInt(rd::u32(data, o).unwrap_or(0) as u64));
        }
        o += 4;
    }
    if fv & 0x1000 != 0 {
        if !need(cx, o, 4) {
            cx.close(li);
            return;
        }
        cx.add(&GRE_SEQUENCE_NUMBER, o, 4, Value::UInt(rd::u32(data, o).unwrap_or(0) as u64));
        o += 4;
    }
    if fv & 7 == 1 && fv & 0x0080 != 0 {
        if !need(cx, o, 4) {
            cx.close(li);
            return;
        }
        cx.add(&GRE_ACK_NUMBER, o, 4, Value::UInt(rd::u32(data, o).unwrap_or(0) as u64));
        o += 4;
    }
    cx.set_len(li, o - off);
    cx.close(li);
    if o >= end.min(data.len()) {
        return;
    }
    let inner = data.get(..end.min(data.len())).unwrap_or(data);
    dispatch::gre_payload(cx, data, inner, o, end, proto);
}
