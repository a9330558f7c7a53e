//! ARP (Ethernet/IPv4 addresses decoded; other sizes shown as bytes).

use super::dispatch::ethertype;
use super::model::*;
use super::{Addr, Ctx, rd};
use std::fmt::Write;

pub static ARP_HW_TYPE: FieldDef = FieldDef::new("arp.hw.type", "Hardware type", FieldType::U16, Base::Dec).vals(hw_name);
pub static ARP_PROTO_TYPE: FieldDef = FieldDef::new("arp.proto.type", "Protocol type", FieldType::U16, Base::Hex).vals(ethertype::name);
pub static ARP_HW_SIZE: FieldDef = FieldDef::new("arp.hw.size", "Hardware size", FieldType::U8, Base::Dec);
pub static ARP_PROTO_SIZE: FieldDef = FieldDef::new("arp.proto.size", "Protocol size", FieldType::U8, Base::Dec);
pub static ARP_OPCODE: FieldDef = FieldDef::new("arp.opcode", "Opcode", FieldType::U16, Base::Dec).vals(opcode_name);
pub static ARP_ISGRATUITOUS: FieldDef = FieldDef::new("arp.isgratuitous", "Is gratuitous", FieldType::Bool, Base::None);
pub static ARP_SRC_HW_MAC: FieldDef = FieldDef::new("arp.src.hw_mac", "Sender MAC address", FieldType::Ether, Base::None);
pub static ARP_SRC_PROTO_IPV4: FieldDef = FieldDef::new("arp.src.proto_ipv4", "Sender IP address", FieldType::Ipv4, Base::None);
pub static ARP_DST_HW_MAC: FieldDef = FieldDef::new("arp.dst.hw_mac", "Target MAC address", FieldType::Ether, Base::None);
pub static ARP_DST_PROTO_IPV4: FieldDef = FieldDef::new("arp.dst.proto_ipv4", "Target IP address", FieldType::Ipv4, Base::None);
pub static ARP_SRC_HW: FieldDef = FieldDef::new("arp.src.hw", "Sender hardware address", FieldType::Bytes, Base::None);
pub static ARP_SRC_PROTO: FieldDef = FieldDef::new("arp.src.proto", "Sender protocol address", FieldType::Bytes, Base::None);
pub static ARP_DST_HW: FieldDef = FieldDef::new("arp.dst.hw", "Target hardware address", FieldType::Bytes, Base::None);
pub static ARP_DST_PROTO: FieldDef = FieldDef::new("arp.dst.proto", "Target protocol address", FieldType::Bytes, Base::None);
pub static ARP_ISANNOUNCEMENT: FieldDef = FieldDef::new("arp.isannouncement", "Is announcement", FieldType::Bool, Base::None);
pub static ARP_ISPROBE: FieldDef = FieldDef::new("arp.isprobe", "Is probe", FieldType::Bool, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&ARP_HW_TYPE, &ARP_PROTO_TYPE, &ARP_HW_SIZE, &ARP_PROTO_SIZE, &ARP_OPCODE, &ARP_ISGRATUITOUS, &ARP_ISANNOUNCEMENT, &ARP_ISPROBE, &ARP_SRC_HW_MAC, &ARP_SRC_PROTO_IPV4, &ARP_DST_HW_MAC, &ARP_DST_PROTO_IPV4, &ARP_SRC_HW, &ARP_SRC_PROTO, &ARP_DST_HW, &ARP_DST_PROTO];

/// ARP operations (`arp.opcode`), as Wireshark's `op_vals`.
pub fn opcode_name(op: u64) -> Option<&'static str> {
    Some(match op {
        1 => "request",
        2 => "reply",
        3 => "reverse request",
        4 => "reverse reply",
        5 => "drarp request",
        6 => "drarp reply",
        7 => "drarp error",
        8 => "inverse request",
        9 => "inverse reply",
        10 => "arp nak",
        11 => "mars request",
        12 => "mars multi",
        13 => "mars mserv",
        14 => "mars join",
        15 => "mars leave",
        16 => "mars nak",
        17 => "mars unserv",
        18 => "mars sjoin",
        19 => "mars sleave",
        20 => "mars grouplist request",
        21 => "mars grouplist reply",
        22 => "mars redirect map",
        23 => "mapos unarp",
        24 => "experimental 1",
        25 => "experimental 2",
        0 | 65535 => "reserved",
        _ => return None,
    })
}

/// Dissects an ARP packet at `off`; returns where it ends.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize) -> usize {
    let li = cx.open("arp", "Address Resolution Protocol", Osi::DataLink, off, 8);
    cx.set_protocol("ARP");
    let (Some(htype), Some(ptype), Some(hlen), Some(plen), Some(op)) =
        (rd::u16(data, off), rd::u16(data, off + 2), rd::u8(data, off + 4), rd::u8(data, off + 5), rd::u16(data, off + 6))
    else {
        cx.close(li);
        cx.short(data, off, 8);
        return data.len();
    };
    cx.add(&ARP_HW_TYPE, off, 2, Value::UInt(htype as u64));
    cx.add(&ARP_PROTO_TYPE, off + 2, 2, Value::UInt(ptype as u64));
    cx.add(&ARP_HW_SIZE, off + 4, 1, Value::UInt(hlen as u64));
    cx.add(&ARP_PROTO_SIZE, off + 5, 1, Value::UInt(plen as u64));
    cx.add(&ARP_OPCODE, off + 6, 2, Value::UInt(op as u64));
    let (hl, pl) = (hlen as usize, plen as usize);
    let total = 8 + 2 * (hl + pl);
    cx.set_len(li, total);
    if data.len() < off + total {
        cx.close(li);
        cx.short(data, off + 8, total - 8);
        return off + total;
    }
    let eth_ip = htype == 1 && hl == 6 && ptype == 0x0800 && pl == 4;
    let sha = off + 8;
    let spa = sha + hl;
    let tha = spa + pl;
    let tpa = tha + hl;
    // What the title names instead of the operation (tshark's words).
    let mut kind: Option<&'static str> = None;
    if eth_ip {
        let (Some(s_mac), Some(s_ip), Some(t_mac), Some(t_ip)) = (rd::arr::<6>(data, sha), rd::arr::<4>(data, spa), rd::arr::<6>(data, tha), rd::arr::<4>(data, tpa)) else {
            cx.close(li);
            return off + total;
        };
        // As tshark: a request or reply whose sender and target addresses are the same is
        // gratuitous (a request of it to no MAC address announces the address); a request
        // of no one's address from sender 0.0.0.0 to no MAC address probes for it.
        let grat = matches!(op, 1 | 2) && s_ip == t_ip;
        let announce = grat && op == 1 && t_mac == [0; 6];
        let probe = !grat && op == 1 && s_ip == [0; 4] && t_mac == [0; 6];
        kind = if announce {
            Some("ARP Announcement")
        } else if probe {
            Some("ARP Probe")
        } else if grat {
            Some(if op == 1 { "request/gratuitous ARP" } else { "reply/gratuitous ARP" })
        } else {
            None
        };
        if grat {
            cx.add_gen(&ARP_ISGRATUITOUS, off, 0, Value::Bool(true));
        }
        if probe {
            cx.add_gen(&ARP_ISPROBE, off, 0, Value::Bool(true));
        }
        if announce {
            cx.add_gen(&ARP_ISANNOUNCEMENT, off, 0, Value::Bool(true));
        }
        cx.add(&ARP_SRC_HW_MAC, sha, 6, Value::Ether(s_mac));
        cx.add(&ARP_SRC_PROTO_IPV4, spa, 4, Value::Ipv4(s_ip));
        cx.add(&ARP_DST_HW_MAC, tha, 6, Value::Ether(t_mac));
        cx.add(&ARP_DST_PROTO_IPV4, tpa, 4, Value::Ipv4(t_ip));
        if cx.in_error == 0 {
            let info = &mut cx.out.info;
            info.clear();
            match op {
                1 if announce => {
                    info.push_str("ARP Announcement for ");
                    super::push_ipv4(info, s_ip);
                }
                1 if probe => {
                    info.push_str("Who has ");
                    super::push_ipv4(info, t_ip);
                    info.push_str("? (ARP Probe)");
                }
                1 if grat => {
                    info.push_str("Gratuitous ARP for ");
                    super::push_ipv4(info, s_ip);
                    info.push_str(" (Request)");
                }
                1 => {
                    info.push_str("Who has ");
                    super::push_ipv4(info, t_ip);
                    info.push_str("? Tell ");
                    super::push_ipv4(info, s_ip);
                }
                2 if grat => {
                    info.push_str("Gratuitous ARP for ");
                    super::push_ipv4(info, s_ip);
                    info.push_str(" (Reply)");
                }
                2 => {
                    super::push_ipv4(info, s_ip);
                    info.push_str(" is at ");
                    super::push_ether(info, s_mac);
                }
                _ => {
                    let _ = write!(info, "Unknown ARP opcode 0x{op:04x}");
                }
            }
            let _ = Addr::None;
        }
    } else {
        if hl > 0 {
            cx.add(&ARP_SRC_HW, sha, hl, Value::Bytes);
        }
        if pl > 0 {
            cx.add(&ARP_SRC_PROTO, spa, pl, Value::Bytes);
        }
        if hl > 0 {
            cx.add(&ARP_DST_HW, tha, hl, Value::Bytes);
        }
        if pl > 0 {
            cx.add(&ARP_DST_PROTO, tpa, pl, Value::Bytes);
        }
    }
    if let Some(s) = cx.summary(li) {
        // `Address Resolution Protocol (request)`: tshark puts the operation (or what kind
        // of request or reply it is) in parentheses right after the title, an unknown one
        // as its number.
        s.push_str("Address Resolution Protocol (");
        match kind.or(opcode_name(op as u64)) {
            Some(name) => s.push_str(name),
            None => {
                let _ = write!(s, "opcode 0x{op:04x}");
            }
        }
        s.push(')');
    }
    cx.close(li);
    off + total
}

/// ARP hardware types (`arp.hw.type`).
pub fn hw_name(t: u64) -> Option<&'static str> {
    Some(match t {
        1 => "Ethernet",
        6 => "IEEE 802",
        _ => return None,
    })
}
