//! UDP: ports, length, checksum over the pseudo-header (status 3 when the sender left it 0),
//! the payload, then DNS/mDNS, VXLAN or Teredo by port, or `data`.

use super::checksum;
use super::dispatch;
use super::ip::{Pseudo, proto};
use super::model::*;
use super::{Ctx, Part, rd};

pub static UDP_SRCPORT: FieldDef = FieldDef::new("udp.srcport", "Source Port", FieldType::U16, Base::Dec).block();
pub static UDP_DSTPORT: FieldDef = FieldDef::new("udp.dstport", "Destination Port", FieldType::U16, Base::Dec).block();
pub static UDP_PORT: FieldDef = FieldDef::new("udp.port", "Source or Destination Port", FieldType::U16, Base::Dec);
pub static UDP_LENGTH: FieldDef = FieldDef::new("udp.length", "Length", FieldType::U16, Base::Dec);
pub static UDP_CHECKSUM: FieldDef = FieldDef::new("udp.checksum", "Checksum", FieldType::U16, Base::Hex).custom(checksum_label);

/// `Checksum: 0x02e4 [correct]`, `… incorrect, should be 0x7c6c (maybe caused by "UDP checksum
/// offload"?)`, `[unverified]` or `[zero-value ignored]`.
fn checksum_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    super::label::checksum(cx, out, &UDP_CHECKSUM_STATUS, &UDP_CHECKSUM_CALCULATED, " (maybe caused by \"UDP checksum offload\"?)", " [unverified]");
}
pub static UDP_CHECKSUM_STATUS: FieldDef = FieldDef::new("udp.checksum.status", "Checksum Status", FieldType::U8, Base::Dec).custom(super::label::checksum_status).pure();
pub static UDP_CHECKSUM_CALCULATED: FieldDef = FieldDef::new("udp.checksum_calculated", "Calculated Checksum", FieldType::U16, Base::Hex).volatile();
pub static UDP_PAYLOAD: FieldDef = FieldDef::new("udp.payload", "Payload", FieldType::Bytes, Base::None).custom(udp_payload_label).pure();

/// `UDP payload (183 bytes)`.
fn udp_payload_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    let n = cx.field.len;
    let _ = std::fmt::Write::write_fmt(out, format_args!("UDP payload ({n} byte{})", if n == 1 { "" } else { "s" }));
}

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[&UDP_SRCPORT, &UDP_DSTPORT, &UDP_PORT, &UDP_LENGTH, &UDP_CHECKSUM, &UDP_CHECKSUM_STATUS, &UDP_CHECKSUM_CALCULATED, &UDP_PAYLOAD];

pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], off: usize, end: usize, pseudo: Pseudo) {
    let li = cx.open("udp", "User Datagram Protocol", Osi::Transport, off, 8);
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("UDP");
    }
    cx.open_facts(li, true);
    // No field is added unless some UDP field is wanted (see `Part`); the facts, expert
    // items and Info are kept.
    let f = cx.part(Part::Udp);
    let Some(sport) = rd::u16(data, off) else { return stop(cx, li, data, off, 2) };
    if f {
        cx.add(&UDP_SRCPORT, off, 2, Value::UInt(sport as u64));
    }
    cx.facts().sport = Some(sport);
    let Some(dport) = rd::u16(data, off + 2) else { return stop(cx, li, data, off + 2, 2) };
    cx.facts().dport = Some(dport);
    if f {
        cx.add(&UDP_DSTPORT, off + 2, 2, Value::UInt(dport as u64));
        cx.add_hidden(&UDP_PORT, off, 2, Value::UInt(sport as u64));
        cx.add_hidden(&UDP_PORT, off + 2, 2, Value::UInt(dport as u64));
    }
    if outer && cx.columns {
        cx.out.info.clear();
        let info = &mut cx.out.info;
        super::push_dec(info, sport as u64);
        info.push_str(" → ");
        super::push_dec(info, dport as u64);
    }
    let (Some(ulen), Some(stored)) = (rd::u16(data, off + 4), rd::u16(data, off + 6)) else {
        return stop(cx, li, data, off + 4, 4);
    };
    let ulen = ulen as usize;
    let len_at = if f { cx.add(&UDP_LENGTH, off + 4, 2, Value::UInt(ulen as u64)) } else { cx.out.fields.len() as u32 };
    cx.facts().length = Some(ulen as u16);
    if let Some(s) = cx.summary(li) {
        s.push_str("Src Port: ");
        super::push_dec(s, sport as u64);
        s.push_str(", Dst Port: ");
        super::push_dec(s, dport as u64);
    }
    if outer && cx.columns {
        cx.out.info.push_str(" Len=");
        super::push_dec(&mut cx.out.info, ulen.saturating_sub(8) as u64);
    }
    let avail = end.saturating_sub(off);
    if ulen < 8 {
        if f {
            cx.add(&UDP_CHECKSUM, off + 6, 2, Value::UInt(stored as u64));
        }
        cx.expert(Severity::Error, "udp.length.bad", format!("Bad length value {ulen} < 8"), Some(len_at));
        cx.close(li);
        return;
    }
    let mut dend = off + ulen;
    if ulen > avail && outer {
        cx.expert(Severity::Error, "udp.length.bad", format!("Bad length value {ulen} > IP payload length"), Some(len_at));
        dend = end;
    }
    let ck_at = if f { cx.add(&UDP_CHECKSUM, off + 6, 2, Value::UInt(stored as u64)) } else { cx.out.fields.len() as u32 };
    // (Without UDP's fields, only the verification's expert item may be wanted.)
    let verify = cx.checksums() && super::prefs::UDP_CHECK_CHECKSUM.get();
    if f || verify {
        let v6 = matches!(pseudo, Pseudo::V6(..));
        if stored == 0 && !v6 {
            cx.child(|cx| cx.add_gen(&UDP_CHECKSUM_STATUS, off + 6, 0, Value::UInt(3)));
        } else {
            match data.get(off..dend).filter(|_| verify) {
                Some(seg) if ulen <= avail || !outer => {
                    let ps = pseudo.sum(proto::UDP, seg.len());
                    let (good, calc) = checksum::verify(ps, seg, 6);
                    let good = stored != 0 && good;
                    cx.child(|cx| cx.add_gen(&UDP_CHECKSUM_CALCULATED, off + 6, 2, Value::UInt(calc as u64)));
                    cx.add_gen(&UDP_CHECKSUM_STATUS, off + 6, 0, Value::UInt(good as u64));
                    if !good {
                        cx.expert(Severity::Error, "udp.checksum_bad", checksum::bad_message(calc), Some(ck_at));
                        // As tshark's Info with the check asked for (not with pktlab's own
                        // default check, as tshark's default does not check).
                        if outer && cx.columns && super::prefs::UDP_CHECK_CHECKSUM.explicitly_on() {
                            cx.out.info.push_str(" [UDP CHECKSUM INCORRECT]");
                        }
                    }
                }
                _ => {
                    cx.add_gen(&UDP_CHECKSUM_STATUS, off + 6, 0, Value::UInt(2));
                }
            }
        }
    }
    let pstart = off + 8;
    let pend = dend.min(data.len());
    // The analysis's fields made beforehand (see `Additions`), in the outermost header.
    if outer && f && cx.adds_for(li) {
        cx.start_placing();
        cx.place(Slot::BeforePayload, off);
    }
    if f && pend > pstart {
        cx.add(&UDP_PAYLOAD, pstart, pend - pstart, Value::Bytes);
    }
    cx.close(li);
    if pend <= pstart {
        return;
    }
    dispatch::udp_payload(cx, data, pstart, pend, sport, dport);
}

fn stop(cx: &mut Ctx, li: usize, data: &[u8], off: usize, len: usize) {
    cx.close(li);
    cx.short(data, off, len);
}
