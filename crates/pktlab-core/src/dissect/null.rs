//! BSD null/loopback encapsulation: a 4-byte address family in the writer's byte order
//! (LINKTYPE_NULL), or in network order (LINKTYPE_LOOP).

use super::dispatch;
use super::model::*;
use super::{Ctx, rd};

pub static NULL_FAMILY: FieldDef = FieldDef::new("null.family", "Family", FieldType::U32, Base::Dec).vals(family_name);
pub static NULL_TYPE: FieldDef = FieldDef::new("null.type", "Type", FieldType::U16, Base::Hex);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&NULL_FAMILY, &NULL_TYPE];


pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], big_endian: bool) {
    let li = cx.open("null", "Null/Loopback", Osi::DataLink, 0, 4);
    let raw = if big_endian { rd::u32(data, 0) } else { rd::u32le(data, 0) };
    let Some(mut family) = raw else {
        cx.short(data, 0, 4);
        cx.close(li);
        return;
    };
    // As tshark: a value too big to be a family was written in the other byte order.
    if family & 0xffff_0000 != 0 && !big_endian {
        family = family.swap_bytes();
    }
    cx.add(&NULL_FAMILY, 0, 4, Value::UInt(family as u64));
    // (Its tree item is the title alone, as tshark's: the family is the line under it.)
    cx.close(li);
    dispatch::bsd_family(cx, data, 4, family);
}

/// BSD address families (`null.family`).
pub fn family_name(f: u64) -> Option<&'static str> {
    Some(match f {
        2 => "IP",
        7 => "OSI",
        16 => "Appletalk",
        23 | 24 | 26 | 28 | 30 => "IPv6",
        _ => return None,
    })
}
