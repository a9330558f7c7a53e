//! Teredo (IPv6 over UDP port 3544): optional authentication and origin-indication headers,
//! then an IPv6 packet.

use super::dispatch;
use super::model::*;
use super::{Ctx, rd};

pub static TEREDO_AUTH: FieldDef = FieldDef::new("teredo.auth", "Teredo Authentication header", FieldType::None, Base::None);
pub static TEREDO_AUTH_IDLEN: FieldDef = FieldDef::new("teredo.auth.idlen", "Client identifier length", FieldType::U8, Base::Dec);
pub static TEREDO_AUTH_AULEN: FieldDef = FieldDef::new("teredo.auth.aulen", "Authentication value length", FieldType::U8, Base::Dec);
pub static TEREDO_AUTH_ID: FieldDef = FieldDef::new("teredo.auth.id", "Client identifier", FieldType::Bytes, Base::None);
pub static TEREDO_AUTH_VALUE: FieldDef = FieldDef::new("teredo.auth.value", "Authentication value", FieldType::Bytes, Base::None);
pub static TEREDO_AUTH_NONCE: FieldDef = FieldDef::new("teredo.auth.nonce", "Nonce value", FieldType::Bytes, Base::None);
pub static TEREDO_AUTH_CONF: FieldDef = FieldDef::new("teredo.auth.conf", "Confirmation byte", FieldType::Bytes, Base::None);
pub static TEREDO_ORIG: FieldDef = FieldDef::new("teredo.orig", "Teredo Origin Indication header", FieldType::None, Base::None);
pub static TEREDO_ORIG_PORT: FieldDef = FieldDef::new("teredo.orig.port", "Origin UDP port", FieldType::U16, Base::Dec);
pub static TEREDO_ORIG_ADDR: FieldDef = FieldDef::new("teredo.orig.addr", "Origin IPv4 address", FieldType::Ipv4, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&TEREDO_AUTH, &TEREDO_AUTH_IDLEN, &TEREDO_AUTH_AULEN, &TEREDO_AUTH_ID, &TEREDO_AUTH_VALUE, &TEREDO_AUTH_NONCE, &TEREDO_AUTH_CONF, &TEREDO_ORIG, &TEREDO_ORIG_PORT, &TEREDO_ORIG_ADDR];

/// Dissects a Teredo payload at `off..end`; false (nothing added) unless an IPv6 header
/// follows the optional headers, as tshark's heuristic requires.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize) -> bool {
    let mut o = off;
    let mut auth = None;
    let mut orig = None;
    if rd::u16(data, o) == Some(0x0001) {
        let (Some(idlen), Some(aulen)) = (rd::u8(data, o + 2), rd::u8(data, o + 3)) else { return false };
        let n = 4 + idlen as usize + aulen as usize + 9;
        auth = Some((o, idlen as usize, aulen as usize));
        o += n;
    }
    if rd::u16(data, o) == Some(0x0000) {
        orig = Some(o);
        o += 8;
    }
    if end < o + 40 || rd::u8(data, o).map(|b| b >> 4) != Some(6) {
        return false;
    }
    let li = cx.open("teredo", "Teredo IPv6 over UDP tunneling", Osi::Network, off, o - off);
    if let Some((a, idlen, aulen)) = auth {
        cx.add(&TEREDO_AUTH, a, o.min(a + 13 + idlen + aulen) - a, Value::None);
        cx.child(|cx| {
            cx.add(&TEREDO_AUTH_IDLEN, a + 2, 1, Value::UInt(idlen as u64));
            cx.add(&TEREDO_AUTH_AULEN, a + 3, 1, Value::UInt(aulen as u64));
            let mut p = a + 4;
            if idlen > 0 {
                cx.add(&TEREDO_AUTH_ID, p, idlen, Value::Bytes);
                p += idlen;
            }
            if aulen > 0 {
                cx.add(&TEREDO_AUTH_VALUE, p, aulen, Value::Bytes);
                p += aulen;
            }
            cx.add(&TEREDO_AUTH_NONCE, p, 8, Value::Bytes);
            cx.add(&TEREDO_AUTH_CONF, p + 8, 1, Value::Bytes);
        });
    }
    if let Some(g) = orig {
        cx.add(&TEREDO_ORIG, g, 8, Value::None);
        cx.child(|cx| {
            // Port and address are stored inverted (xor with all ones).
            let port = !rd::u16(data, g + 2).unwrap_or(0);
            let a = rd::arr::<4>(data, g + 4).unwrap_or_default().map(|b| !b);
            cx.add(&TEREDO_ORIG_PORT, g + 2, 2, Value::UInt(port as u64));
            cx.add(&TEREDO_ORIG_ADDR, g + 4, 4, Value::Ipv4(a));
        });
    }
    cx.close(li);
    let inner = data.get(..end.min(data.len())).unwrap_or(data);
    dispatch::ipv6(cx, inner, o);
    true
}
