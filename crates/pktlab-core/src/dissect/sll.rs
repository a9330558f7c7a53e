//! Linux "cooked" capture headers: SLL (v1, 16 bytes) and SLL2 (20 bytes). tshark shows
//! both as one `sll` protocol.

use super::dispatch::{self, ethertype};
use super::model::*;
use super::{Addr, Ctx, rd};

pub static SLL_PKTTYPE: FieldDef = FieldDef::new("sll.pkttype", "Packet type", FieldType::U16, Base::Dec).vals(pkttype_name);
pub static SLL_HATYPE: FieldDef = FieldDef::new("sll.hatype", "Link-layer address type", FieldType::U16, Base::Dec).vals(hatype_name);
pub static SLL_HALEN: FieldDef = FieldDef::new("sll.halen", "Link-layer address length", FieldType::U16, Base::Dec);
pub static SLL_SRC_ETH: FieldDef = FieldDef::new("sll.src.eth", "Source", FieldType::Ether, Base::None);
pub static SLL_SRC_OTHER: FieldDef = FieldDef::new("sll.src.other", "Source", FieldType::Bytes, Base::None);
pub static SLL_UNUSED: FieldDef = FieldDef::new("sll.unused", "Unused", FieldType::Bytes, Base::None);
pub static SLL_LTYPE: FieldDef = FieldDef::new("sll.ltype", "Protocol", FieldType::U16, Base::Hex);
pub static SLL_ETYPE: FieldDef = FieldDef::new("sll.etype", "Protocol", FieldType::U16, Base::Hex).vals(ethertype::name);
pub static SLL_IFINDEX: FieldDef = FieldDef::new("sll.ifindex", "Interface index", FieldType::U32, Base::Dec);
pub static SLL_TRAILER: FieldDef = FieldDef::new("sll.trailer", "Trailer", FieldType::Bytes, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&SLL_PKTTYPE, &SLL_HATYPE, &SLL_HALEN, &SLL_SRC_ETH, &SLL_SRC_OTHER, &SLL_UNUSED, &SLL_LTYPE, &SLL_ETYPE, &SLL_IFINDEX, &SLL_TRAILER];

/// Source address (8 bytes reserved, `halen` used): an Ethernet address when it is one.
fn address(cx: &mut Ctx, data: &[u8], off: usize, hatype: u16, halen: u8) {
    let n = (halen as usize).min(8);
    if n == 6
        && matches!(hatype, 1 | 772 | 6)
        && let Some(a) = rd::arr::<6>(data, off)
    {
        cx.add(&SLL_SRC_ETH, off, 6, Value::Ether(a));
        cx.col_src = Addr::Ether(a);
    } else if n > 0 {
        if data.len() < off + n {
            return;
        }
        cx.add(&SLL_SRC_OTHER, off, n, Value::Bytes);
    }
    if n < 8 && data.len() >= off + 8 {
        cx.add(&SLL_UNUSED, off + n, 8 - n, Value::Bytes);
    }
}

/// The protocol field: an EtherType, or a Linux `ltype` for values below 0x600.
fn payload(cx: &mut Ctx, li: usize, data: &[u8], poff: usize, proto: u16, hdr_end: usize) {
    if proto < ethertype::MIN {
        cx.add(&SLL_LTYPE, poff, 2, Value::UInt(proto as u64));
        cx.close(li);
        dispatch::data(cx, data, hdr_end, data.len());
        return;
    }
    cx.add(&SLL_ETYPE, poff, 2, Value::UInt(proto as u64));
    cx.close(li);
    dispatch::ethertype(cx, data, hdr_end, proto);
}

pub(crate) fn dissect_v1(cx: &mut Ctx, data: &[u8]) {
    let li = cx.open("sll", "Linux cooked capture v1", Osi::DataLink, 0, 16);
    let (Some(pkttype), Some(hatype), Some(halen)) = (rd::u16(data, 0), rd::u16(data, 2), rd::u16(data, 4)) else {
        cx.short(data, 0, 6);
        cx.close(li);
        return;
    };
    cx.add(&SLL_PKTTYPE, 0, 2, Value::UInt(pkttype as u64));
    cx.add(&SLL_HATYPE, 2, 2, Value::UInt(hatype as u64));
    cx.add(&SLL_HALEN, 4, 2, Value::UInt(halen as u64));
    address(cx, data, 6, hatype, halen.min(255) as u8);
    let Some(proto) = rd::u16(data, 14) else {
        cx.short(data, 14, 2);
        cx.close(li);
        return;
    };
    payload(cx, li, data, 14, proto, 16);
}

pub(crate) fn dissect_v2(cx: &mut Ctx, data: &[u8]) {
    let li = cx.open("sll", "Linux cooked capture v2", Osi::DataLink, 0, 20);
    let Some(proto) = rd::u16(data, 0) else {
        cx.short(data, 0, 2);
        cx.close(li);
        return;
    };
    let (Some(ifindex), Some(hatype), Some(pkttype), Some(halen)) = (rd::u32(data, 4), rd::u16(data, 8), rd::u8(data, 10), rd::u8(data, 11)) else {
        cx.short(data, 2, 10);
        cx.close(li);
        return;
    };
    let etype_field = if proto < ethertype::MIN { &SLL_LTYPE } else { &SLL_ETYPE };
    cx.add(etype_field, 0, 2, Value::UInt(proto as u64));
    cx.add(&SLL_IFINDEX, 4, 4, Value::UInt(ifindex as u64));
    cx.add(&SLL_HATYPE, 8, 2, Value::UInt(hatype as u64));
    cx.add(&SLL_PKTTYPE, 10, 1, Value::UInt(pkttype as u64));
    cx.add(&SLL_HALEN, 11, 1, Value::UInt(halen as u64));
    address(cx, data, 12, hatype, halen);
    cx.close(li);
    if data.len() < 20 {
        cx.short(data, 12, 8);
        return;
    }
    if proto < ethertype::MIN {
        dispatch::data(cx, data, 20, data.len());
    } else {
        dispatch::ethertype(cx, data, 20, proto);
    }
}

/// Linux packet types (`sll.pkttype`).
pub fn pkttype_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "Unicast to us",
        1 => "Broadcast",
        2 => "Multicast",
        3 => "Unicast to another host",
        4 => "Sent by us",
        _ => return None,
    })
}

/// ARPHRD_* link-layer address types, as Wireshark names them (`Ethernet (1)`).
pub fn hatype_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "NET/ROM pseudo",
        1 => "Ethernet",
        2 => "Experimental Ethernet",
        3 => "AX.25",
        4 => "ProNET",
        5 => "Chaos",
        6 => "IEEE 802",
        7 => "ARCNET",
        8 => "Hyperchannel",
        9 => "Lanstar",
        10 => "Autonet Short Address",
        11 => "Localtalk",
        12 => "LocalNet",
        13 => "Ultra link",
        14 => "SMDS",
        15 => "Frame Relay DLCI",
        16 => "ATM",
        17 => "HDLC",
        18 => "Fibre Channel",
        19 => "ATM (RFC 2225)",
        20 => "Serial Line",
        21 => "ATM",
        22 => "MIL-STD-188-220",
        23 => "Metricom STRIP",
        24 => "IEEE 1394.1995",
        25 => "MAPOS",
        26 => "Twinaxial",
        27 => "EUI-64",
        28 => "HIPARP",
        29 => "IP and ARP over ISO 7816-3",
        30 => "ARPSec",
        31 => "IPsec tunnel",
        32 => "InfiniBand",
        33 => "TIA-102 Project 25 CAI",
        34 => "Wiegand Interface",
        35 => "Pure IP",
        36 => "Experimental 1",
        37 => "HFI",
        256 => "Experimental 2",
        257 => "AEthernet",
        260 => "Notional KISS type",
        264 => "ADAPT",
        270 => "ROSE",
        271 => "CCITT X.25",
        272 => "Boards with X.25 in firmware",
        280 => "Controller Area Network",
        512 => "PPP",
        513 => "Cisco HDLC",
        516 => "LAPB",
        517 => "Digital's DDCMP protocol",
        518 => "Raw HDLC",
        519 => "Raw IP",
        768 => "IPIP tunnel",
        769 => "IP6IP6 tunnel",
        770 => "Frame Relay Access Device",
        771 => "SKIP vif",
        772 => "Loopback",
        774 => "Fiber Distributed Data Interface",
        775 => "AP1000 BIF",
        776 => "sit0 device - IPv6-in-IPv4",
        777 => "IP over DDP tunneller",
        778 => "GRE over IP",
        779 => "PIMSM register interface",
        780 => "High Performance Parallel Interface",
        781 => "Nexus 64Mbps Ash",
        782 => "Acorn Econet",
        783 => "Linux-IrDA",
        784 => "Point to point fibrechannel",
        785 => "Fibrechannel arbitrated loop",
        786 => "Fibrechannel public loop",
        787 => "Fibrechannel fabric",
        800 => "Magic type ident for TR",
        801 => "IEEE 802.11",
        802 => "IEEE 802.11 + Prism2 header",
        803 => "IEEE 802.11 + radiotap header",
        804 => "IEEE 802.15.4",
        805 => "IEEE 802.15.4 network monitor",
        820 => "PhoNet media type",
        821 => "PhoNet pipe header",
        822 => "CAIF media type",
        823 => "GRE over IPv6",
        824 => "Netlink",
        825 => "IPv6 over LoWPAN",
        826 => "Vsock monitor header",
        65535 => "Void type, nothing is known",
        65534 => "zero header length",
        _ => return None,
    })
}
