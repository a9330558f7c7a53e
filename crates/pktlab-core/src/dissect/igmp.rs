//! IGMP (versions 1-3): type, response time, checksum, group address, and IGMPv3 reports'
//! group records.

use super::checksum;
use super::model::*;
use super::{Ctx, rd};
use std::fmt::Write;

pub static IGMP_VERSION: FieldDef = FieldDef::new("igmp.version", "IGMP Version", FieldType::U8, Base::Dec);
pub static IGMP_TYPE: FieldDef = FieldDef::new("igmp.type", "Type", FieldType::U8, Base::Hex).vals(type_desc);
pub static IGMP_MAX_RESP: FieldDef = FieldDef::new("igmp.max_resp", "Max Resp Time", FieldType::U8, Base::Dec).custom(max_resp_label);
pub static IGMP_CHECKSUM: FieldDef = FieldDef::new("igmp.checksum", "Checksum", FieldType::U16, Base::Hex).custom(checksum_label);
pub static IGMP_CHECKSUM_STATUS: FieldDef = FieldDef::new("igmp.checksum.status", "Checksum Status", FieldType::U8, Base::Dec).custom(super::label::checksum_status).pure();
pub static IGMP_MADDR: FieldDef = FieldDef::new("igmp.maddr", "Multicast Address", FieldType::Ipv4, Base::None);
pub static IGMP_S: FieldDef = FieldDef::new("igmp.s", "S", FieldType::Bool, Base::None).mask(0x8);
pub static IGMP_QRV: FieldDef = FieldDef::new("igmp.qrv", "QRV", FieldType::U8, Base::Dec).mask(0x7);
pub static IGMP_QQIC: FieldDef = FieldDef::new("igmp.qqic", "QQIC", FieldType::U8, Base::Dec);
pub static IGMP_NUM_SRC: FieldDef = FieldDef::new("igmp.num_src", "Num Src", FieldType::U16, Base::Dec);
pub static IGMP_SADDR: FieldDef = FieldDef::new("igmp.saddr", "Source Address", FieldType::Ipv4, Base::None);
pub static IGMP_RESERVED: FieldDef = FieldDef::new("igmp.reserved", "Reserved", FieldType::Bytes, Base::None);
pub static IGMP_NUM_GRP_RECS: FieldDef = FieldDef::new("igmp.num_grp_recs", "Num Group Records", FieldType::U16, Base::Dec);
pub static IGMP_RECORD_TYPE: FieldDef = FieldDef::new("igmp.record_type", "Record Type", FieldType::U8, Base::Dec);
pub static IGMP_AUX_DATA_LEN: FieldDef = FieldDef::new("igmp.aux_data_len", "Aux Data Len", FieldType::U8, Base::Dec);
pub static IGMP_DATA: FieldDef = FieldDef::new("igmp.data", "Data", FieldType::Bytes, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&IGMP_VERSION, &IGMP_TYPE, &IGMP_MAX_RESP, &IGMP_CHECKSUM, &IGMP_CHECKSUM_STATUS, &IGMP_MADDR, &IGMP_S, &IGMP_QRV, &IGMP_QQIC, &IGMP_NUM_SRC, &IGMP_SADDR, &IGMP_RESERVED, &IGMP_NUM_GRP_RECS, &IGMP_RECORD_TYPE, &IGMP_AUX_DATA_LEN, &IGMP_DATA];

pub fn type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0x11 => "Membership Query",
        0x12 => "Membership Report",
        0x16 => "Membership Report",
        0x17 => "Leave Group",
        0x22 => "Membership Report",
        _ => return None,
    })
}

/// Every IGMP message type, as Wireshark names them (`Type: Membership Query (0x11)`).
pub fn type_desc(t: u64) -> Option<&'static str> {
    Some(match t {
        0x01 => "Create Group Request",
        0x02 => "Create Group Reply",
        0x03 => "Join Group Request",
        0x04 => "Join Group Reply",
        0x05 => "Leave Group Request",
        0x06 => "Leave Group Reply",
        0x07 => "Confirm Group Request",
        0x08 => "Confirm Group Reply",
        0x13 => "DVMRP Protocol",
        0x14 => "PIM Routing Message",
        0x1e => "Traceroute Response",
        0x1f => "Traceroute Query or Request",
        _ => return type_name(t),
    })
}

/// `Max Resp Time: 10.0 sec (0x64)`: tenths of a second (IGMPv2, and IGMPv3 below 128; from
/// 128 up IGMPv3 packs a mantissa and an exponent). IGMPv1 has no such field.
fn max_resp_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    let version = cx.in_layer(&IGMP_VERSION).map_or(0, |f| match f.value {
        Value::UInt(n) => n,
        _ => 0,
    });
    if version == 1 {
        let _ = write!(out, "Max Resp Time: {v}");
        return;
    }
    let tenths = if version == 3 && v >= 128 { ((v & 0x0f) | 0x10) << (((v >> 4) & 0x07) + 3) } else { v };
    let _ = write!(out, "Max Resp Time: {}.{} sec (0x{v:02x})", tenths / 10, tenths % 10);
}

/// `Checksum: 0x… [correct]` and its other forms ([`super::label::checksum_by_expert`]).
fn checksum_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::label::checksum_by_expert(cx, out, &IGMP_CHECKSUM_STATUS);
}

pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) {
    let len = end.saturating_sub(off);
    let (Some(t), Some(mrt), Some(ck)) = (rd::u8(data, off), rd::u8(data, off + 1), rd::u16(data, off + 2)) else {
        let li = cx.open("igmp", "Internet Group Management Protocol", Osi::Network, off, len);
        cx.close(li);
        cx.short(data, off, 4);
        return;
    };
    // The version follows from the type and the message length (RFC 3376 section 7).
    let version: u8 = match t {
        0x11 if len >= 12 => 3,
        0x11 if mrt == 0 => 1,
        0x11 => 2,
        0x12 => 1,
        0x16 | 0x17 => 2,
        0x22 => 3,
        _ => 0,
    };
    // tshark lists the protocol once for IGMP and once for the version's dissector.
    cx.add_proto("igmp");
    let li = cx.open("igmp", "Internet Group Management Protocol", Osi::Network, off, len);
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol(match version {
            1 => "IGMPv1",
            2 => "IGMPv2",
            3 => "IGMPv3",
            _ => "IGMP",
        });
    }
    cx.add_gen(&IGMP_VERSION, off, 0, Value::UInt(version as u64));
    cx.add(&IGMP_TYPE, off, 1, Value::UInt(t as u64));
    cx.add(&IGMP_MAX_RESP, off + 1, 1, Value::UInt(mrt as u64));
    let ck_at = cx.add(&IGMP_CHECKSUM, off + 2, 2, Value::UInt(ck as u64));
    {
        match data.get(off..end) {
            Some(msg) => {
                let (good, calc) = checksum::verify(0, msg, 2);
                cx.add_gen(&IGMP_CHECKSUM_STATUS, off + 2, 0, Value::UInt(good as u64));
                if !good {
                    cx.expert(Severity::Error, "igmp.bad_checksum", checksum::bad_message(calc), Some(ck_at));
                }
            }
            None => {
                cx.add_gen(&IGMP_CHECKSUM_STATUS, off + 2, 0, Value::UInt(2));
            }
        }
    }
    if t == 0x22 {
        // IGMPv3 report: reserved, record count, records.
        let (Some(n), true) = (rd::u16(data, off + 6), data.len() >= off + 8) else {
            cx.close(li);
            cx.short(data, off + 4, 4);
            return;
        };
        cx.add(&IGMP_RESERVED, off + 4, 2, Value::Bytes);
        cx.add(&IGMP_NUM_GRP_RECS, off + 6, 2, Value::UInt(n as u64));
        let mut o = off + 8;
        for _ in 0..n {
            let (Some(rt), Some(aux), Some(ns), Some(ma)) = (rd::u8(data, o), rd::u8(data, o + 1), rd::u16(data, o + 2), rd::arr::<4>(data, o + 4)) else {
                cx.close(li);
                cx.short(data, o, 8);
                return;
            };
            cx.add(&IGMP_RECORD_TYPE, o, 1, Value::UInt(rt as u64));
            cx.add(&IGMP_AUX_DATA_LEN, o + 1, 1, Value::UInt(aux as u64));
            cx.add(&IGMP_NUM_SRC, o + 2, 2, Value::UInt(ns as u64));
            cx.add(&IGMP_MADDR, o + 4, 4, Value::Ipv4(ma));
            o += 8;
            for _ in 0..ns {
                let Some(sa) = rd::arr::<4>(data, o) else {
                    cx.close(li);
                    cx.short(data, o, 4);
                    return;
                };
                cx.add(&IGMP_SADDR, o, 4, Value::Ipv4(sa));
                o += 4;
            }
            o += aux as usize * 4;
        }
        cx.close(li);
        if outer {
            cx.out.info.clear();
            cx.out.info.push_str("Membership Report / ");
        }
        return;
    }
    let Some(group) = rd::arr::<4>(data, off + 4) else {
        cx.close(li);
        cx.short(data, off + 4, 4);
        return;
    };
    cx.add(&IGMP_MADDR, off + 4, 4, Value::Ipv4(group));
    if version == 3
        && let (Some(b), Some(qqic), Some(ns)) = (rd::u8(data, off + 8), rd::u8(data, off + 9), rd::u16(data, off + 10))
    {
        cx.add(&IGMP_S, off + 8, 1, Value::Bool(b & 8 != 0));
        cx.add(&IGMP_QRV, off + 8, 1, Value::UInt((b & 7) as u64));
        cx.add(&IGMP_QQIC, off + 9, 1, Value::UInt(qqic as u64));
        cx.add(&IGMP_NUM_SRC, off + 10, 2, Value::UInt(ns as u64));
        for i in 0..ns as usize {
            if let Some(sa) = rd::arr::<4>(data, off + 12 + 4 * i) {
                cx.add(&IGMP_SADDR, off + 12 + 4 * i, 4, Value::Ipv4(sa));
            }
        }
    }
    cx.close(li);
    if outer {
        let info = &mut cx.out.info;
        info.clear();
        match t {
            0x11 if group == [0; 4] => info.push_str("Membership Query, general"),
            0x11 => {
                info.push_str("Membership Query, specific for group ");
                super::push_ipv4(info, group);
            }
            0x17 => {
                info.push_str("Leave Group ");
                super::push_ipv4(info, group);
            }
            _ => {
                info.push_str(type_name(t as u64).unwrap_or("Unknown Type"));
                info.push_str(" group ");
                super::push_ipv4(info, group);
            }
        }
    }
}
