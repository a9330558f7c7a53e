//! IEEE 802.1Q VLAN tags (and stacked Q-in-Q tags, each its own layer).

use super::dispatch::{self, ethertype};
use super::model::*;
use super::{Ctx, rd};

pub static VLAN_PRIORITY: FieldDef = FieldDef::new("vlan.priority", "Priority", FieldType::U16, Base::Dec).mask(0xe000).vals(priority_name);
pub static VLAN_DEI: FieldDef = FieldDef::new("vlan.dei", "DEI", FieldType::Bool, Base::None).mask(0x1000).tfs("Eligible", "Ineligible");

/// The priorities' names (`vlan.priority`), as tshark's default (IEEE 802.1Q-2014, eight
/// priorities, none drop eligible).
pub fn priority_name(p: u64) -> Option<&'static str> {
    Some(match p {
        0 => "Best Effort (default)",
        1 => "Background",
        2 => "Excellent Effort",
        3 => "Critical Applications",
        4 => "Video, < 100ms latency and jitter",
        5 => "Voice, < 10ms latency and jitter",
        6 => "Internetwork Control",
        7 => "Network Control",
        _ => return None,
    })
}
pub static VLAN_ID: FieldDef = FieldDef::new("vlan.id", "ID", FieldType::U16, Base::Dec).mask(0xfff);
pub static VLAN_ETYPE: FieldDef = FieldDef::new("vlan.etype", "Type", FieldType::U16, Base::Hex).vals(ethertype::name);
pub static VLAN_LEN: FieldDef = FieldDef::new("vlan.len", "Length", FieldType::U16, Base::Dec);
pub static VLAN_TRAILER: FieldDef = FieldDef::new("vlan.trailer", "Trailer", FieldType::Bytes, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&VLAN_PRIORITY, &VLAN_DEI, &VLAN_ID, &VLAN_ETYPE, &VLAN_LEN, &VLAN_TRAILER];

/// Dissects a 4-byte tag at `off`; returns where the tagged payload ends.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize) -> usize {
    let li = cx.open("vlan", "802.1Q Virtual LAN", Osi::DataLink, off, 4);
    let Some(tci) = rd::u16(data, off) else {
        cx.short(data, off, 2);
        cx.close(li);
        return data.len();
    };
    let tci64 = tci as u64;
    cx.add(&VLAN_PRIORITY, off, 2, Value::UInt(tci64 >> 13));
    cx.add(&VLAN_DEI, off, 2, Value::Bool(tci & 0x1000 != 0));
    cx.add(&VLAN_ID, off, 2, Value::UInt(tci64 & 0x0fff));
    let Some(etype) = rd::u16(data, off + 2) else {
        cx.short(data, off + 2, 2);
        cx.close(li);
        return data.len();
    };
    if let Some(s) = cx.summary(li) {
        use std::fmt::Write;
        let _ = write!(s, "PRI: {}, DEI: {}, ID: {}", tci >> 13, (tci >> 12) & 1, tci & 0x0fff);
    }
    if etype <= 1500 {
        cx.add(&VLAN_LEN, off + 2, 2, Value::UInt(etype as u64));
        cx.close(li);
        let start = off + 4;
        let end = start + etype as usize;
        cx.add_proto("llc");
        let l2 = cx.open("llc", "Logical-Link Control", Osi::DataLink, start, end.min(data.len()).saturating_sub(start));
        cx.close(l2);
        return end;
    }
    cx.add(&VLAN_ETYPE, off + 2, 2, Value::UInt(etype as u64));
    cx.close(li);
    dispatch::ethertype(cx, data, off + 4, etype)
}
