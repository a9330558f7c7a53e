//! Ethernet II (and the 802.3 length form), with tshark's padding/trailer split.

use super::dispatch::{self, ethertype};
use super::model::*;
use super::{Addr, Ctx, Part, rd};

pub static ETH_DST: FieldDef = FieldDef::new("eth.dst", "Destination", FieldType::Ether, Base::None).block();
pub static ETH_DST_LG: FieldDef = FieldDef::new("eth.dst.lg", "LG bit", FieldType::Bool, Base::None).mask(0x20000).tfs("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
pub static ETH_DST_IG: FieldDef = FieldDef::new("eth.dst.ig", "IG bit", FieldType::Bool, Base::None).mask(0x10000).tfs("Group address (multicast/broadcast)", "Individual address (unicast)");
pub static ETH_SRC: FieldDef = FieldDef::new("eth.src", "Source", FieldType::Ether, Base::None).block();
pub static ETH_SRC_LG: FieldDef = FieldDef::new("eth.src.lg", "LG bit", FieldType::Bool, Base::None).mask(0x20000).tfs("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
pub static ETH_SRC_IG: FieldDef = FieldDef::new("eth.src.ig", "IG bit", FieldType::Bool, Base::None).mask(0x10000).tfs("Group address (multicast/broadcast)", "Individual address (unicast)");
pub static ETH_ADDR: FieldDef = FieldDef::new("eth.addr", "Address", FieldType::Ether, Base::None);
pub static ETH_LG: FieldDef = FieldDef::new("eth.lg", "LG bit", FieldType::Bool, Base::None).mask(0x20000).tfs("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
pub static ETH_IG: FieldDef = FieldDef::new("eth.ig", "IG bit", FieldType::Bool, Base::None).mask(0x10000).tfs("Group address (multicast/broadcast)", "Individual address (unicast)");
pub static ETH_DST_RESOLVED: FieldDef = FieldDef::new("eth.dst_resolved", "Destination (resolved)", FieldType::Str, Base::None);
pub static ETH_DST_OUI: FieldDef = FieldDef::new("eth.dst.oui", "Destination OUI", FieldType::U24, Base::Dec);
pub static ETH_DST_OUI_RESOLVED: FieldDef = FieldDef::new("eth.dst.oui_resolved", "Destination OUI (resolved)", FieldType::Str, Base::None);
pub static ETH_SRC_RESOLVED: FieldDef = FieldDef::new("eth.src_resolved", "Source (resolved)", FieldType::Str, Base::None);
pub static ETH_SRC_OUI: FieldDef = FieldDef::new("eth.src.oui", "Source OUI", FieldType::U24, Base::Dec);
pub static ETH_SRC_OUI_RESOLVED: FieldDef = FieldDef::new("eth.src.oui_resolved", "Source OUI (resolved)", FieldType::Str, Base::None);
pub static ETH_ADDR_RESOLVED: FieldDef = FieldDef::new("eth.addr_resolved", "Address (resolved)", FieldType::Str, Base::None);
pub static ETH_ADDR_OUI: FieldDef = FieldDef::new("eth.addr.oui", "Address OUI", FieldType::U24, Base::Dec);
pub static ETH_ADDR_OUI_RESOLVED: FieldDef = FieldDef::new("eth.addr.oui_resolved", "Address OUI (resolved)", FieldType::Str, Base::None);
pub static ETH_TYPE: FieldDef = FieldDef::new("eth.type", "Type", FieldType::U16, Base::Hex).vals(ethertype::name).block();
pub static ETH_LEN: FieldDef = FieldDef::new("eth.len", "Length", FieldType::U16, Base::Dec);
pub static ETH_PADDING: FieldDef = FieldDef::new("eth.padding", "Padding", FieldType::Bytes, Base::None);
pub static ETH_TRAILER: FieldDef = FieldDef::new("eth.trailer", "Trailer", FieldType::Bytes, Base::None);

pub static ETH_FCS: FieldDef = FieldDef::new("eth.fcs", "Frame check sequence", FieldType::U32, Base::Hex).custom(fcs_label);
pub static ETH_FCS_STATUS: FieldDef = FieldDef::new("eth.fcs.status", "FCS Status", FieldType::U8, Base::Dec).custom(super::label::checksum_status).pure();

/// `Frame check sequence: 0x00000000 [unverified]`: as a checksum's line (tshark does not
/// check the FCS by default, nor does pktlab).
fn fcs_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::label::checksum(cx, out, &ETH_FCS_STATUS, &ETH_FCS_STATUS, "", " [unverified]");
}

/// The fields this module defines besides those of [`ADDRESS_FIELDS`] (the registry lists
/// both, addresses first).
pub static FIELDS: &[&FieldDef] = &[&ETH_TYPE, &ETH_LEN, &ETH_PADDING, &ETH_TRAILER, &ETH_FCS, &ETH_FCS_STATUS];

/// The fields [`address`] adds (see [`Part::EthAddrs`]).
pub(crate) static ADDRESS_FIELDS: &[&FieldDef] = &[
    &ETH_DST,
    &ETH_DST_RESOLVED,
    &ETH_DST_OUI,
    &ETH_DST_OUI_RESOLVED,
    &ETH_DST_LG,
    &ETH_DST_IG,
    &ETH_SRC,
    &ETH_SRC_RESOLVED,
    &ETH_SRC_OUI,
    &ETH_SRC_OUI_RESOLVED,
    &ETH_SRC_LG,
    &ETH_SRC_IG,
    &ETH_ADDR,
    &ETH_ADDR_RESOLVED,
    &ETH_ADDR_OUI,
    &ETH_ADDR_OUI_RESOLVED,
    &ETH_LG,
    &ETH_IG,
];

/// Adds an address with its hidden twins as tshark 4.0 does: the resolved name, the OUI
/// and its registry name (when listed), `eth.addr` with the same three, then the LG/IG
/// bits (each with its hidden two-sided twin).
fn address(cx: &mut Ctx, off: usize, a: [u8; 6], dst: bool) {
    if !cx.part(Part::EthAddrs) {
        return;
    }
    let (def, resolved, oui, oui_resolved, lg, ig) = if dst {
        (&ETH_DST, &ETH_DST_RESOLVED, &ETH_DST_OUI, &ETH_DST_OUI_RESOLVED, &ETH_DST_LG, &ETH_DST_IG)
    } else {
        (&ETH_SRC, &ETH_SRC_RESOLVED, &ETH_SRC_OUI, &ETH_SRC_OUI_RESOLVED, &ETH_SRC_LG, &ETH_SRC_IG)
    };
    cx.add(def, off, 6, Value::Ether(a));
    cx.child(|cx| {
        if !cx.hidden_wanted() {
            // Only `eth.addr` and the LG/IG bits are shown; names, OUIs and twins are hidden.
            cx.add(&ETH_ADDR, off, 6, Value::Ether(a));
            cx.add(lg, off, 3, Value::Bool(a[0] & 0x02 != 0));
            cx.add(ig, off, 3, Value::Bool(a[0] & 0x01 != 0));
            return;
        }
        let name = if cx.wants(resolved) || cx.wants(&ETH_ADDR_RESOLVED) { Some(resolved_name(a)) } else { None };
        let org = if cx.wants(oui_resolved) || cx.wants(&ETH_ADDR_OUI_RESOLVED) { super::oui::oui_name([a[0], a[1], a[2]]) } else { None };
        let oui_value = u64::from(a[0]) << 16 | u64::from(a[1]) << 8 | u64::from(a[2]);
        let mut name = name;
        for (res, o, o_res) in [(resolved, oui, oui_resolved), (&ETH_ADDR_RESOLVED, &ETH_ADDR_OUI, &ETH_ADDR_OUI_RESOLVED)] {
            let last = std::ptr::eq(res, &ETH_ADDR_RESOLVED);
            if last {
                cx.add(&ETH_ADDR, off, 6, Value::Ether(a));
            }
            // The second use takes the name itself (one allocation fewer per address).
            if let Some(n) = if last { name.take() } else { name.clone() } {
                cx.push(res, off, 6, Value::Str(n), true, true);
            }
            cx.push(o, off, 3, Value::UInt(oui_value), true, true);
            if let Some(n) = org {
                cx.push(o_res, off, 6, Value::Str(n.into()), true, true);
            }
        }
        cx.add(lg, off, 3, Value::Bool(a[0] & 0x02 != 0));
        cx.add_hidden(&ETH_LG, off, 3, Value::Bool(a[0] & 0x02 != 0));
        cx.add(ig, off, 3, Value::Bool(a[0] & 0x01 != 0));
        cx.add_hidden(&ETH_IG, off, 3, Value::Bool(a[0] & 0x01 != 0));
    });
}

/// `eth.*_resolved`: the vendor form (`IntelCor_5b:7d:4a`), or the plain address when MAC
/// name resolution is off (`-n`).
fn resolved_name(a: [u8; 6]) -> Box<str> {
    if super::label::mac_resolution() {
        super::oui::resolved(a).into_boxed_str()
    } else {
        let mut s = String::with_capacity(17);
        super::push_ether(&mut s, a);
        s.into_boxed_str()
    }
}

pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize) {
    let li = cx.open("eth", "Ethernet II", Osi::DataLink, off, 14);
    if cx.out.protocol.is_empty() {
        cx.set_protocol("Ethernet");
    }
    let Some(dst) = rd::arr::<6>(data, off) else {
        cx.short(data, off, 6);
        cx.close(li);
        return;
    };
    address(cx, off, dst, true);
    let Some(src) = rd::arr::<6>(data, off + 6) else {
        cx.short(data, off + 6, 6);
        cx.close(li);
        return;
    };
    address(cx, off + 6, src, false);
    cx.col_src = Addr::Ether(src);
    cx.col_dst = Addr::Ether(dst);
    let Some(etype) = rd::u16(data, off + 12) else {
        cx.short(data, off + 12, 2);
        cx.close(li);
        return;
    };
    if etype <= 1500 {
        // IEEE 802.3: a length, then LLC.
        cx.add(&ETH_LEN, off + 12, 2, Value::UInt(etype as u64));
        cx.close(li);
        cx.out.layers[li].title = "IEEE 802.3 Ethernet";
        let start = off + 14;
        let end = (start + etype as usize).min(data.len());
        cx.add_proto("llc");
        let l2 = cx.open("llc", "Logical-Link Control", Osi::DataLink, start, end.saturating_sub(start));
        cx.close(l2);
        cx.set_protocol("LLC");
        trailer(cx, li, data, off, start + etype as usize);
        return;
    }
    cx.add(&ETH_TYPE, off + 12, 2, Value::UInt(etype as u64));
    cx.close(li);
    if let Some(s) = cx.summary(li) {
        s.push_str("Src: ");
        super::label::ether(src, s);
        s.push_str(", Dst: ");
        super::label::ether(dst, s);
    }
    // Where the payload ends by its own length, read ahead so that padding and trailer
    // join the Ethernet layer before the payload's fields (tshark shows them there).
    let p = off + 14;
    let peek = match etype {
        ethertype::IPV4 => rd::u16(data, p + 2).filter(|&l| l >= 20).map(|l| p + l as usize),
        ethertype::IPV6 => rd::u16(data, p + 4).filter(|&l| l > 0).map(|l| p + 40 + l as usize),
        ethertype::ARP => match (rd::u8(data, p + 4), rd::u8(data, p + 5)) {
            (Some(h), Some(l)) => Some(p + 8 + 2 * (h as usize + l as usize)),
            _ => None,
        },
        _ => None,
    };
    match peek {
        Some(end) => {
            trailer(cx, li, data, off, end);
            dispatch::ethertype(cx, data, p, etype);
        }
        None => {
            let end = dispatch::ethertype(cx, data, p, etype);
            trailer(cx, li, data, off, end);
        }
    }
}

/// Bytes after the payload's own end: padding up to the 60-byte minimum, then a trailer.
pub(crate) fn trailer(cx: &mut Ctx, li: usize, data: &[u8], eth_off: usize, payload_end: usize) {
    if payload_end >= data.len() {
        return;
    }
    // As tshark 4.0: a frame of 60 bytes or more may be padded up to 60 (padding is all
    // zero); a frame of 64 bytes or more with at least 4 bytes left ends in an FCS; what
    // remains is a trailer.
    let fields_before = cx.out.fields.len();
    let pkt_len = data.len() - eth_off.min(data.len());
    let mut pos = payload_end;
    let mut end = data.len();
    let maybe_padded = pkt_len >= 60 && pos < eth_off + 60;
    let mut padded = false;
    if maybe_padded {
        let pad_end = (eth_off + 60).min(end);
        if data.get(pos..pad_end).is_some_and(|b| b.iter().all(|&x| x == 0)) {
            append_to_layer(cx, li, &ETH_PADDING, pos, pad_end - pos);
            pos = pad_end;
            padded = true;
        }
    }
    let fcs = pkt_len >= 64 && end - pos >= 4;
    if fcs {
        end -= 4;
    }
    if pos < end {
        let at = append_to_layer(cx, li, &ETH_TRAILER, pos, end - pos);
        // Where padding could be but is not zeros, tshark says so on the trailer.
        if maybe_padded && !padded {
            cx.expert(Severity::Note, "eth.padding_bad", "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.", Some(at));
        }
    }
    if fcs {
        let v = rd::u32(data, end).unwrap_or(0);
        append_to_layer(cx, li, &ETH_FCS, end, 4);
        if let Some(f) = cx.out.layers.get(li).and_then(|l| cx.out.fields.get_mut(l.fields.end as usize - 1)) {
            f.value = Value::UInt(v as u64);
        }
        append_to_layer(cx, li, &ETH_FCS_STATUS, end, 0);
        if let Some(f) = cx.out.layers.get(li).and_then(|l| cx.out.fields.get_mut(l.fields.end as usize - 1)) {
            f.value = Value::UInt(2);
            f.generated = true;
        }
    }
    let _ = fields_before;
}

/// Adds a field to a layer that was already closed (the Ethernet layer, after its payload):
/// the field is appended at the end of the field list and the layer's range is extended
/// only if nothing came after it; otherwise it goes into the last layer's range. Returns
/// the field's index.
fn append_to_layer(cx: &mut Ctx, li: usize, def: &'static FieldDef, off: usize, len: usize) -> u32 {
    let at = cx.out.layers.get(li).map(|l| l.fields.end as usize).unwrap_or(cx.out.fields.len());
    let field = Field { def, offset: off as u32, len: len as u32, depth: 0, source: cx.source, generated: false, hidden: false, value: Value::Bytes };
    let at = at.min(cx.out.fields.len());
    cx.out.fields.insert(at, field);
    let at = at as u32;
    for (i, l) in cx.out.layers.iter_mut().enumerate() {
        if i == li {
            l.fields.end += 1;
        } else if l.fields.start >= at && i > li {
            l.fields.start += 1;
            l.fields.end += 1;
        }
    }
    for e in &mut cx.out.experts {
        if let Some(fi) = e.field.as_mut()
            && *fi >= at
        {
            *fi += 1;
        }
    }
    at
}
