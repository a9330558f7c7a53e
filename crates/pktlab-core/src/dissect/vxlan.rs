//! VXLAN (UDP port 4789): an 8-byte header, then a whole inner Ethernet frame.

use super::dispatch;
use super::model::*;
use super::{Ctx, rd};

pub static VXLAN_FLAGS: FieldDef = FieldDef::new("vxlan.flags", "Flags", FieldType::U16, Base::Hex).custom(flags_label).pure();
pub static VXLAN_FLAG_G: FieldDef = FieldDef::new("vxlan.flag_g", "GBP Extension", FieldType::Bool, Base::None).mask(0x8000).tfs("Defined", "Not defined");
pub static VXLAN_FLAG_I: FieldDef = FieldDef::new("vxlan.flag_i", "VXLAN Network ID (VNI)", FieldType::Bool, Base::None).mask(0x800).tfs("True", "False");
pub static VXLAN_FLAG_D: FieldDef = FieldDef::new("vxlan.flag_d", "Don't Learn", FieldType::Bool, Base::None).mask(0x40).tfs("True", "False");
pub static VXLAN_FLAG_A: FieldDef = FieldDef::new("vxlan.flag_a", "Policy Applied", FieldType::Bool, Base::None).mask(0x8).tfs("True", "False");
pub static VXLAN_FLAGS_RESERVED: FieldDef = FieldDef::new("vxlan.flags_reserved", "Reserved(R)", FieldType::U16, Base::Hex).mask(0x77b7);
pub static VXLAN_GBP: FieldDef = FieldDef::new("vxlan.gbp", "Group Policy ID", FieldType::U16, Base::Dec);
pub static VXLAN_VNI: FieldDef = FieldDef::new("vxlan.vni", "VXLAN Network Identifier (VNI)", FieldType::U24, Base::Dec);
pub static VXLAN_RESERVED8: FieldDef = FieldDef::new("vxlan.reserved8", "Reserved", FieldType::U8, Base::Dec);

/// `Flags: 0x0800, VXLAN Network ID (VNI)`: the value, then the name of each flag set (as
/// tshark's bitmask item).
fn flags_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::label::named_flags(cx, out, 4, &[&VXLAN_FLAG_G, &VXLAN_FLAG_I, &VXLAN_FLAG_D, &VXLAN_FLAG_A]);
}

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&VXLAN_FLAGS, &VXLAN_FLAG_G, &VXLAN_FLAG_I, &VXLAN_FLAG_D, &VXLAN_FLAG_A, &VXLAN_FLAGS_RESERVED, &VXLAN_GBP, &VXLAN_VNI, &VXLAN_RESERVED8];

/// Dissects a VXLAN header at `off` and the Ethernet frame after it. False if fewer than
/// 8 bytes are present (the caller shows them as data).
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) -> bool {
    let (Some(flags), Some(gbp), Some(vni)) = (rd::u16(data, off), rd::u16(data, off + 2), rd::u24(data, off + 4)) else {
        return false;
    };
    if end < off + 8 {
        return false;
    }
    let li = cx.open("vxlan", "Virtual eXtensible Local Area Network", Osi::DataLink, off, 8);
    cx.set_protocol("VXLAN");
    cx.add(&VXLAN_FLAGS, off, 2, Value::UInt(flags as u64));
    cx.child(|cx| {
        cx.add(&VXLAN_FLAG_G, off, 2, Value::Bool(flags & 0x8000 != 0));
        cx.add(&VXLAN_FLAG_I, off, 2, Value::Bool(flags & 0x0800 != 0));
        cx.add(&VXLAN_FLAG_D, off, 2, Value::Bool(flags & 0x0040 != 0));
        cx.add(&VXLAN_FLAG_A, off, 2, Value::Bool(flags & 0x0008 != 0));
        cx.add(&VXLAN_FLAGS_RESERVED, off, 2, Value::UInt((flags & 0x77b7) as u64));
    });
    cx.add(&VXLAN_GBP, off + 2, 2, Value::UInt(gbp as u64));
    cx.add(&VXLAN_VNI, off + 4, 3, Value::UInt(vni as u64));
    cx.add(&VXLAN_RESERVED8, off + 7, 1, Value::UInt(data.get(off + 7).copied().unwrap_or(0) as u64));
    // (Its tree item is the title alone, as tshark's.)
    cx.close(li);
    if end > off + 8 {
        // The inner frame ends where the UDP datagram does.
        let inner = data.get(..end.min(data.len())).unwrap_or(data);
        dispatch::ethernet(cx, inner, off + 8);
    }
    true
}
