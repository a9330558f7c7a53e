//! DHCP and BOOTP over UDP ports 67/68: the fixed BOOTP header (addresses, client MAC,
//! server and file names), the magic cookie and the options (message type, addresses, lease
//! time, host and domain names by name; the others as bytes), as tshark names them.

use super::model::*;
use super::{Ctx, rd};
use std::fmt::Write;

pub static DHCP_TYPE: FieldDef = FieldDef::new("dhcp.type", "Message type", FieldType::U8, Base::Dec).vals(op_name);
pub static DHCP_HW_TYPE: FieldDef = FieldDef::new("dhcp.hw.type", "Hardware type", FieldType::U8, Base::Hex).vals(hw_name);
pub static DHCP_HW_LEN: FieldDef = FieldDef::new("dhcp.hw.len", "Hardware address length", FieldType::U8, Base::Dec);
pub static DHCP_HOPS: FieldDef = FieldDef::new("dhcp.hops", "Hops", FieldType::U8, Base::Dec);
pub static DHCP_ID: FieldDef = FieldDef::new("dhcp.id", "Transaction ID", FieldType::U32, Base::Hex);
pub static DHCP_SECS: FieldDef = FieldDef::new("dhcp.secs", "Seconds elapsed", FieldType::U16, Base::Dec);
pub static DHCP_FLAGS: FieldDef = FieldDef::new("dhcp.flags", "Bootp flags", FieldType::U16, Base::Hex);
pub static DHCP_FLAGS_BC: FieldDef = FieldDef::new("dhcp.flags.bc", "Broadcast flag", FieldType::Bool, Base::None).mask(0x8000);
pub static DHCP_FLAGS_RESERVED: FieldDef = FieldDef::new("dhcp.flags.reserved", "Reserved flags", FieldType::U16, Base::Hex).mask(0x7fff);
pub static DHCP_IP_CLIENT: FieldDef = FieldDef::new("dhcp.ip.client", "Client IP address", FieldType::Ipv4, Base::None);
pub static DHCP_IP_YOUR: FieldDef = FieldDef::new("dhcp.ip.your", "Your (client) IP address", FieldType::Ipv4, Base::None);
pub static DHCP_IP_SERVER: FieldDef = FieldDef::new("dhcp.ip.server", "Next server IP address", FieldType::Ipv4, Base::None);
pub static DHCP_IP_RELAY: FieldDef = FieldDef::new("dhcp.ip.relay", "Relay agent IP address", FieldType::Ipv4, Base::None);
pub static DHCP_HW_MAC_ADDR: FieldDef = FieldDef::new("dhcp.hw.mac_addr", "Client MAC address", FieldType::Ether, Base::None);
pub static DHCP_HW_ADDR_PADDING: FieldDef = FieldDef::new("dhcp.hw.addr_padding", "Client hardware address padding", FieldType::Bytes, Base::None);
pub static DHCP_SERVER: FieldDef = FieldDef::new("dhcp.server", "Server host name", FieldType::Str, Base::None);
pub static DHCP_FILE: FieldDef = FieldDef::new("dhcp.file", "Boot file name", FieldType::Str, Base::None);
pub static DHCP_COOKIE: FieldDef = FieldDef::new("dhcp.cookie", "Magic cookie", FieldType::Ipv4, Base::None);
pub static DHCP_OPTION_TYPE: FieldDef = FieldDef::new("dhcp.option.type", "Option", FieldType::U8, Base::Dec).vals_shown(option_name);
pub static DHCP_OPTION_LENGTH: FieldDef = FieldDef::new("dhcp.option.length", "Length", FieldType::U8, Base::Dec);
pub static DHCP_OPTION_VALUE: FieldDef = FieldDef::new("dhcp.option.value", "Value", FieldType::Bytes, Base::None);
pub static DHCP_OPTION_DHCP: FieldDef = FieldDef::new("dhcp.option.dhcp", "DHCP", FieldType::U8, Base::Dec).vals(message_name);
pub static DHCP_OPTION_SUBNET_MASK: FieldDef = FieldDef::new("dhcp.option.subnet_mask", "Subnet Mask", FieldType::Ipv4, Base::None);
pub static DHCP_OPTION_ROUTER: FieldDef = FieldDef::new("dhcp.option.router", "Router", FieldType::Ipv4, Base::None);
pub static DHCP_OPTION_DNS: FieldDef = FieldDef::new("dhcp.option.domain_name_server", "Domain Name Server", FieldType::Ipv4, Base::None);
pub static DHCP_OPTION_HOSTNAME: FieldDef = FieldDef::new("dhcp.option.hostname", "Host Name", FieldType::Str, Base::None);
pub static DHCP_OPTION_DOMAIN_NAME: FieldDef = FieldDef::new("dhcp.option.domain_name", "Domain Name", FieldType::Str, Base::None);
pub static DHCP_OPTION_BROADCAST: FieldDef = FieldDef::new("dhcp.option.broadcast_address", "Broadcast Address", FieldType::Ipv4, Base::None);
pub static DHCP_OPTION_REQUESTED_IP: FieldDef = FieldDef::new("dhcp.option.requested_ip_address", "Requested IP Address", FieldType::Ipv4, Base::None);
pub static DHCP_OPTION_LEASE_TIME: FieldDef = FieldDef::new("dhcp.option.ip_address_lease_time", "IP Address Lease Time", FieldType::U32, Base::Dec);
pub static DHCP_OPTION_SERVER_ID: FieldDef = FieldDef::new("dhcp.option.dhcp_server_id", "DHCP Server Identifier", FieldType::Ipv4, Base::None);
pub static DHCP_OPTION_REQUEST_LIST_ITEM: FieldDef = FieldDef::new("dhcp.option.request_list_item", "Parameter Request List Item", FieldType::U8, Base::Dec).vals_shown(option_name);
pub static DHCP_OPTION_END: FieldDef = FieldDef::new("dhcp.option.end", "Option End", FieldType::U8, Base::Dec);
pub static DHCP_OPTION_PADDING: FieldDef = FieldDef::new("dhcp.option.padding", "Padding", FieldType::Bytes, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &DHCP_TYPE, &DHCP_HW_TYPE, &DHCP_HW_LEN, &DHCP_HOPS, &DHCP_ID, &DHCP_SECS, &DHCP_FLAGS, &DHCP_FLAGS_BC, &DHCP_FLAGS_RESERVED, &DHCP_IP_CLIENT, &DHCP_IP_YOUR,
    &DHCP_IP_SERVER, &DHCP_IP_RELAY, &DHCP_HW_MAC_ADDR, &DHCP_HW_ADDR_PADDING, &DHCP_SERVER, &DHCP_FILE, &DHCP_COOKIE, &DHCP_OPTION_TYPE, &DHCP_OPTION_LENGTH,
    &DHCP_OPTION_VALUE, &DHCP_OPTION_DHCP, &DHCP_OPTION_SUBNET_MASK, &DHCP_OPTION_ROUTER, &DHCP_OPTION_DNS, &DHCP_OPTION_HOSTNAME, &DHCP_OPTION_DOMAIN_NAME,
    &DHCP_OPTION_BROADCAST, &DHCP_OPTION_REQUESTED_IP, &DHCP_OPTION_LEASE_TIME, &DHCP_OPTION_SERVER_ID, &DHCP_OPTION_REQUEST_LIST_ITEM, &DHCP_OPTION_END,
    &DHCP_OPTION_PADDING,
];

/// The fixed header: 236 bytes before the magic cookie.
const FIXED: usize = 236;

/// A NUL-terminated text of a fixed-size field.
fn cstr(b: &[u8]) -> Box<str> {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned().into_boxed_str()
}

/// Dissects a BOOTP/DHCP message in `off..end`; false (adding nothing) if it is empty. A
/// message cut short by the capture is dissected as far as its bytes go, as tshark does.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) -> bool {
    let end = end.min(data.len());
    if end <= off {
        return false;
    }
    let m = &data[off..end];
    let li = cx.open("dhcp", "Dynamic Host Configuration Protocol", Osi::Application, off, end - off);
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("BOOTP");
    }
    let op = m[0];
    let xid = rd::u32(m, 4).unwrap_or(0);
    let hw_mac = rd::u8(m, 1) == Some(1) && rd::u8(m, 2) == Some(6);
    let mut msg_type = None;
    let complete = header(cx, data, off, m, hw_mac);
    if complete && let Some(cookie) = rd::arr::<4>(m, FIXED) {
        cx.add(&DHCP_COOKIE, off + FIXED, 4, Value::Ipv4(cookie));
        if cookie == [99, 130, 83, 99] {
            msg_type = options(cx, data, off + FIXED + 4, end);
        }
    }
    cx.close(li);
    if !complete {
        // The next field lies past the captured bytes.
        cx.short(data, data.len(), 1);
    }
    if outer && msg_type.is_some() {
        cx.set_protocol("DHCP");
    }
    let text = match msg_type {
        Some(t) => format!("DHCP {}", message_name(t as u64).unwrap_or("Unknown Message Type")),
        None => (if op == 1 { "Boot Request" } else { "Boot Reply" }).to_owned(),
    };
    if outer && cx.text {
        let keep = cx.out.info.ends_with(']').then(|| cx.out.info.rfind('[').map(|i| cx.out.info[i..].to_owned())).flatten();
        cx.out.info.clear();
        let _ = write!(cx.out.info, "{text}{}- Transaction ID 0x{xid:08x}", if msg_type.is_some() { "  " } else { " " });
        if let Some(k) = keep {
            cx.out.info.push_str(&k);
        }
    }
    if let Some(s) = cx.summary(li) {
        s.push_str(&text);
    }
    true
}

/// The fixed BOOTP header, field by field as far as `m` goes; true if all of it is there.
fn header(cx: &mut Ctx, _data: &[u8], off: usize, m: &[u8], hw_mac: bool) -> bool {
    let u8f = |o: usize| rd::u8(m, o).map(|v| Value::UInt(v as u64));
    let fixed: [(&'static FieldDef, usize, usize, Option<Value>); 4] = [
        (&DHCP_TYPE, 0, 1, u8f(0)),
        (&DHCP_HW_TYPE, 1, 1, u8f(1)),
        (&DHCP_HW_LEN, 2, 1, u8f(2)),
        (&DHCP_HOPS, 3, 1, u8f(3)),
    ];
    for (def, o, n, v) in fixed {
        let Some(v) = v else { return false };
        cx.add(def, off + o, n, v);
    }
    let Some(xid) = rd::u32(m, 4) else { return false };
    cx.add(&DHCP_ID, off + 4, 4, Value::UInt(xid as u64));
    let Some(secs) = rd::u16(m, 8) else { return false };
    cx.add(&DHCP_SECS, off + 8, 2, Value::UInt(secs as u64));
    let Some(flags) = rd::u16(m, 10) else { return false };
    cx.add(&DHCP_FLAGS, off + 10, 2, Value::UInt(flags as u64));
    cx.child(|cx| {
        cx.add(&DHCP_FLAGS_BC, off + 10, 2, Value::Bool(flags & 0x8000 != 0));
        cx.add(&DHCP_FLAGS_RESERVED, off + 10, 2, Value::UInt((flags & 0x7fff) as u64));
    });
    let addrs = [&DHCP_IP_CLIENT, &DHCP_IP_YOUR, &DHCP_IP_SERVER, &DHCP_IP_RELAY];
    for (i, def) in addrs.into_iter().enumerate() {
        let Some(a) = rd::arr::<4>(m, 12 + 4 * i) else { return false };
        cx.add(def, off + 12 + 4 * i, 4, Value::Ipv4(a));
    }
    if hw_mac {
        let Some(mac) = rd::arr::<6>(m, 28) else { return false };
        cx.add(&DHCP_HW_MAC_ADDR, off + 28, 6, Value::Ether(mac));
        if m.len() < 44 {
            return false;
        }
        cx.add(&DHCP_HW_ADDR_PADDING, off + 34, 10, Value::Bytes);
    } else {
        if m.len() < 44 {
            return false;
        }
        cx.add(&DHCP_HW_ADDR_PADDING, off + 28, 16, Value::Bytes);
    }
    let Some(server) = m.get(44..108) else { return false };
    cx.add(&DHCP_SERVER, off + 44, 64, Value::Str(cstr(server)));
    let Some(file) = m.get(108..236) else { return false };
    cx.add(&DHCP_FILE, off + 108, 128, Value::Str(cstr(file)));
    true
}

/// The options in `p..end`; returns the DHCP message type (option 53) if present.
fn options(cx: &mut Ctx, data: &[u8], mut p: usize, end: usize) -> Option<u8> {
    let mut msg_type = None;
    while p < end {
        let code = data[p];
        if code == 0 {
            // Padding runs to the end or the next option: an option of type 0 (over its first
            // byte, as tshark shows it) holding the run.
            let q = data[p..end].iter().position(|&c| c != 0).map_or(end, |n| p + n);
            cx.add(&DHCP_OPTION_TYPE, p, 1, Value::UInt(0));
            cx.child(|cx| cx.add(&DHCP_OPTION_PADDING, p, q - p, Value::Bytes));
            p = q;
            continue;
        }
        if code == 255 {
            cx.add(&DHCP_OPTION_TYPE, p, 1, Value::UInt(255));
            cx.child(|cx| cx.add(&DHCP_OPTION_END, p, 1, Value::UInt(255)));
            p += 1;
            if p < end {
                cx.add(&DHCP_OPTION_PADDING, p, end - p, Value::Bytes);
            }
            break;
        }
        let Some(len) = rd::u8(data, p + 1) else {
            cx.short(data, p + 1, 1);
            break;
        };
        let v = p + 2;
        let ve = v + len as usize;
        cx.add(&DHCP_OPTION_TYPE, p, ve.min(end) - p, Value::UInt(code as u64));
        let whole = cx.child(|cx| {
            cx.add(&DHCP_OPTION_LENGTH, p + 1, 1, Value::UInt(len as u64));
            if ve > end {
                cx.malformed();
                return false;
            }
            option_value(cx, &data[v..ve], v, code, &mut msg_type);
            true
        });
        if !whole {
            break;
        }
        p = ve;
    }
    msg_type
}

/// The value of option `code`, `val` (at `v` in the data), as its own fields where pktlab
/// names them; sets `msg_type` from option 53.
fn option_value(cx: &mut Ctx, val: &[u8], v: usize, code: u8, msg_type: &mut Option<u8>) {
    let len = val.len();
    let ip4 = |i: usize| rd::arr::<4>(val, i).unwrap_or_default();
    match (code, len) {
        (53, 1) => {
            *msg_type = Some(val[0]);
            cx.add(&DHCP_OPTION_DHCP, v, 1, Value::UInt(val[0] as u64));
        }
        (1, 4) => {
            cx.add(&DHCP_OPTION_SUBNET_MASK, v, 4, Value::Ipv4(ip4(0)));
        }
        (3 | 6, _) if len.is_multiple_of(4) => {
            let def = if code == 3 { &DHCP_OPTION_ROUTER } else { &DHCP_OPTION_DNS };
            for i in (0..len).step_by(4) {
                cx.add(def, v + i, 4, Value::Ipv4(ip4(i)));
            }
        }
        (12 | 15, _) => {
            let def = if code == 12 { &DHCP_OPTION_HOSTNAME } else { &DHCP_OPTION_DOMAIN_NAME };
            cx.add(def, v, len, Value::Str(cstr(val)));
        }
        (28, 4) => {
            cx.add(&DHCP_OPTION_BROADCAST, v, 4, Value::Ipv4(ip4(0)));
        }
        (50, 4) => {
            cx.add(&DHCP_OPTION_REQUESTED_IP, v, 4, Value::Ipv4(ip4(0)));
        }
        (51, 4) => {
            cx.add(&DHCP_OPTION_LEASE_TIME, v, 4, Value::UInt(rd::u32(val, 0).unwrap_or(0) as u64));
        }
        (54, 4) => {
            cx.add(&DHCP_OPTION_SERVER_ID, v, 4, Value::Ipv4(ip4(0)));
        }
        (55, _) => {
            for (i, c) in val.iter().enumerate() {
                cx.add(&DHCP_OPTION_REQUEST_LIST_ITEM, v + i, 1, Value::UInt(*c as u64));
            }
        }
        _ if len > 0 => {
            cx.add(&DHCP_OPTION_VALUE, v, len, Value::Bytes);
        }
        _ => {}
    }
}

pub fn op_name(o: u64) -> Option<&'static str> {
    Some(match o {
        1 => "Boot Request",
        2 => "Boot Reply",
        _ => return None,
    })
}

pub fn hw_name(h: u64) -> Option<&'static str> {
    Some(match h {
        1 => "Ethernet",
        6 => "IEEE 802 Networks",
        _ => return None,
    })
}

pub fn message_name(t: u64) -> Option<&'static str> {
    Some(match t {
        1 => "Discover",
        2 => "Offer",
        3 => "Request",
        4 => "Decline",
        5 => "ACK",
        6 => "NAK",
        7 => "Release",
        8 => "Inform",
        _ => return None,
    })
}

pub fn option_name(o: u64) -> Option<&'static str> {
    Some(match o {
        0 => "Padding",
        1 => "Subnet Mask",
        3 => "Router",
        6 => "Domain Name Server",
        12 => "Host Name",
        15 => "Domain Name",
        28 => "Broadcast Address",
        50 => "Requested IP Address",
        51 => "IP Address Lease Time",
        53 => "DHCP Message Type",
        54 => "DHCP Server Identifier",
        55 => "Parameter Request List",
        57 => "Maximum DHCP Message Size",
        58 => "Renewal Time Value",
        59 => "Rebinding Time Value",
        60 => "Vendor class identifier",
        61 => "Client identifier",
        255 => "End",
        _ => return None,
    })
}
