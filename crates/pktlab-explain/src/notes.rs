//! What a field's value means in this frame: one or two sentences computed from the value and
//! its neighbours in the dissection (e.g. "shift 7 → window × 128", "MSS 1460 = 1500 − 20 −
//! 20", "checksum wrong, should be 0x1234, likely offload": the dissector's own
//! `*.checksum_calculated` and `*.checksum.status`, never a second computation).
//!
//! The sentences themselves are data: `note` entries of `text/notes.txt` (Korean and English,
//! `{placeholders}` for the values). This file only picks a key and computes the values.
//!
//! Contract: never panics on any dissection; returns `None` when there is nothing specific to
//! say about this value.

use super::Lang;
use crate::catalog::Kind;
use crate::dissect::{Dissection, Field, Layer, Value};
use std::fmt::Display;

mod link;
mod other;
mod transport;

/// The note for `d.fields[i]`, if there is one.
/// `_frame` is not read: every value, checksum verdicts included, comes from the dissection.
pub fn note(d: &Dissection, _frame: &[u8], i: usize, lang: Lang) -> Option<String> {
    let f = d.fields.get(i)?;
    let cx = Cx { d, i, f, lang };
    let text = notes_for(&cx)?;
    Some(if lang == Lang::Ko {
        fix_josa(&text)
    } else {
        text
    })
}

fn notes_for(cx: &Cx<'_>) -> Option<String> {
    let name = cx.f.def.abbrev;
    match name {
        "frame.len" | "frame.cap_len" => cx.frame_len(),
        "frame.time_delta" | "frame.time_delta_displayed" | "tcp.time_delta" | "udp.time_delta" => {
            cx.delta()
        }
        "frame.time_relative" | "tcp.time_relative" | "udp.time_relative" => cx.since(),
        "frame.encap_type" => cx.encap(),
        "frame.protocols" => cx.protocols(),
        "eth.dst" | "eth.src" | "eth.addr" | "arp.src.hw_mac" | "arp.dst.hw_mac"
        | "sll.src.eth" => cx.mac(),
        "eth.type" | "vlan.etype" | "sll.etype" | "sll.ltype" | "arp.proto.type" | "gre.proto" => {
            cx.ethertype()
        }
        "vlan.id" => cx.vlan_id(),
        "vlan.priority" => cx.pcp(),
        "arp.opcode" => cx.arp_opcode(),
        "sll.pkttype" => cx.sll_pkttype(),
        "sll.hatype" | "arp.hw.type" => cx.hatype(),
        "null.family" => cx.null_family(),
        "ip.version" | "ipv6.version" => cx.ip_version(),
        "ip.hdr_len" => cx.ip_hdr_len(),
        "ip.len" => cx.ip_len(),
        "ip.dsfield.dscp" | "ipv6.tclass.dscp" => cx.dscp(),
        "ip.dsfield.ecn" | "ipv6.tclass.ecn" => cx.ecn(),
        "ip.flags.df" => cx.df(),
        "ip.flags.mf" | "ipv6.fraghdr.more" => cx.mf(),
        "ip.flags.rb" => cx.rb(),
        "ip.frag_offset" | "ipv6.fraghdr.offset" => cx.frag_offset(),
        "ip.ttl" | "ipv6.hlim" => cx.ttl(),
        "ip.proto" | "ipv6.nxt" | "ipv6.hopopts.nxt" | "ipv6.routing.nxt" | "ipv6.fraghdr.nxt"
        | "ipv6.dstopts.nxt" => cx.ip_proto(),
        "ip.src" | "ip.dst" | "ip.addr" | "arp.src.proto_ipv4" | "arp.dst.proto_ipv4" => {
            cx.ipv4_addr()
        }
        "ipv6.src" | "ipv6.dst" | "ipv6.addr" => cx.ipv6_addr(),
        "ipv6.plen" => cx.ipv6_plen(),
        "ipv6.flow" => cx.ipv6_flow(),
        "ip.checksum" => cx.ip_checksum(),
        "ip.checksum.status"
        | "tcp.checksum.status"
        | "udp.checksum.status"
        | "icmp.checksum.status"
        | "icmpv6.checksum.status" => cx.checksum_status(),
        "tcp.checksum" | "udp.checksum" => cx.l4_checksum(),
        "tcp.srcport" | "tcp.dstport" | "tcp.port" | "udp.srcport" | "udp.dstport" | "udp.port" => {
            cx.port()
        }
        "tcp.stream" | "udp.stream" => cx.stream(),
        "tcp.seq" => cx.tcp_seq(),
        "tcp.seq_raw" => cx.tcp_seq_raw(),
        "tcp.nxtseq" => cx.tcp_nxtseq(),
        "tcp.ack" => cx.tcp_ack(),
        "tcp.ack_raw" => cx.tcp_ack_raw(),
        "tcp.hdr_len" => cx.tcp_hdr_len(),
        "tcp.flags" => cx.tcp_flags(),
        "tcp.flags.str" => cx.tcp_flags(),
        "tcp.window_size_value" => cx.window_value(),
        "tcp.window_size" => cx.window_calc(),
        "tcp.window_size_scalefactor" => cx.scalefactor(),
        "tcp.urgent_pointer" => cx.urgent(),
        "tcp.len" => cx.tcp_len(),
        "tcp.option_kind" => cx.option_kind(),
        "tcp.options.mss_val" => cx.mss(),
        "tcp.options.wscale.shift" => cx.wscale_shift(),
        "tcp.options.wscale.multiplier" => cx.wscale_multiplier(),
        "tcp.options.sack_perm" => Some(cx.t("tcp.options.sack_perm.1", &[])),
        "tcp.options.sack_re" => cx.sack_re(),
        "tcp.options.sack.count" => cx.sack_count(),
        "tcp.options.timestamp.tsval" => cx.tsval(),
        "tcp.options.timestamp.tsecr" => cx.tsecr(),
        "tcp.analysis.ack_rtt" => cx.ack_rtt(),
        "tcp.analysis.initial_rtt" => cx.irtt(),
        "tcp.analysis.bytes_in_flight" => cx.in_flight(),
        "tcp.analysis.acks_frame" => cx.acks_frame(),
        "tcp.analysis.duplicate_ack_num" => cx.dupack_num(),
        "tcp.analysis.duplicate_ack_frame" => cx
            .uint()
            .map(|n| cx.t("tcp.analysis.duplicate_ack_frame.1", &[("n", &n)])),
        "tcp.analysis.push_bytes_sent" => cx
            .uint()
            .map(|n| cx.t("tcp.analysis.push_bytes_sent.1", &[("n", &n)])),
        "tcp.analysis.retransmission"
        | "tcp.analysis.fast_retransmission"
        | "tcp.analysis.spurious_retransmission"
        | "tcp.analysis.out_of_order" => cx.resent(),
        "udp.length" => cx.udp_length(),
        "icmp.type" => cx.icmp_type(),
        "icmp.code" => cx.icmp_code(),
        "icmpv6.type" => cx.icmpv6_type(),
        "icmp.mtu" => cx.icmp_mtu(),
        "icmp.resptime" | "icmpv6.resptime" | "dns.time" => cx.ms_note(),
        "eth.dst.ig" | "eth.src.ig" | "eth.ig" => cx.flag_note("eth.ig"),
        "eth.dst.lg" | "eth.src.lg" | "eth.lg" => cx.flag_note("eth.lg"),
        "ip.id" => cx.ip_id(),
        "game.segments" => cx.uint().map(|n| {
            if n > 1 {
                cx.t("game.segments.1", &[("n", &n)])
            } else {
                cx.t("game.segments.2", &[])
            }
        }),
        "game.msg_len" => cx.uint().map(|n| cx.t("game.msg_len.1", &[("n", &n)])),
        "frame.time_epoch" | "frame.time" => cx.utc_time(),
        "vxlan.vni" => cx.uint().map(|n| cx.t("vxlan.vni.1", &[("n", &n)])),
        "dns.flags.rcode" => cx.dns_rcode(),
        "dns.qry.type" | "dns.resp.type" => cx.dns_type(),
        "dns.resp.ttl" => cx.dns_ttl(),
        "dns.flags.response" => cx.flag_note("dns.flags.response"),
        "data.len" | "tcp.payload" | "udp.payload" | "data.data" => cx.payload_len(),
        _ => None,
    }
}

/// Korean particles that depend on the preceding syllable, written `A/B` in the note
/// templates (`{n}을/를`): A after a final consonant (받침), B after a vowel.
const JOSA: &[(&str, &str, &str)] = &[
    ("이라서/라서", "이라서", "라서"),
    ("이에요/예요", "이에요", "예요"),
    ("이어야/여야", "이어야", "여야"),
    ("으로/로", "으로", "로"),
    ("은/는", "은", "는"),
    ("을/를", "을", "를"),
    ("과/와", "과", "와"),
    ("이/가", "이", "가"),
];

/// Whether the word before `before` ends in a final consonant, and whether that consonant is
/// ㄹ (which takes 로, not 으로). Numbers are read in Sino-Korean (1460 → 천사백육십), Latin
/// letters by their Korean names (a 에이, m 엠). Text in parentheses is skipped.
fn final_consonant(before: &str) -> Option<(bool, bool)> {
    let mut depth = 0;
    let chars: Vec<char> = before.chars().collect();
    let mut k = chars.len();
    while k > 0 {
        k -= 1;
        let c = chars[k];
        if c == ')' {
            depth += 1;
            continue;
        }
        if c == '(' && depth > 0 {
            depth -= 1;
            continue;
        }
        if depth > 0 {
            continue;
        }
        return match c {
            '가'..='힣' => {
                let jong = (c as u32 - 0xac00) % 28;
                Some((jong != 0, jong == 8))
            }
            '0' | '3' | '6' => Some((true, false)),
            '1' | '7' | '8' => Some((true, true)),
            '2' | '4' | '5' | '9' => Some((false, false)),
            'l' | 'r' | 'L' | 'R' => Some((true, true)),
            'm' | 'n' | 'M' | 'N' => Some((true, false)),
            c if c.is_ascii_alphabetic() => Some((false, false)),
            _ => None,
        };
    }
    None
}

/// Resolves every `A/B` particle marker in a Korean note or `ui` message.
pub(crate) fn fix_josa(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'scan: while !rest.is_empty() {
        for (marker, with, without) in JOSA {
            if let Some(after) = rest.strip_prefix(marker) {
                let (batchim, rieul) = final_consonant(&out).unwrap_or((true, false));
                let pick = if *marker == "으로/로" {
                    if batchim && !rieul { with } else { without }
                } else if batchim {
                    with
                } else {
                    without
                };
                out.push_str(pick);
                rest = after;
                continue 'scan;
            }
        }
        let mut it = rest.chars();
        if let Some(c) = it.next() {
            out.push(c);
        }
        rest = it.as_str();
    }
    out
}

/// Everything a note may look at.
struct Cx<'a> {
    d: &'a Dissection,
    i: usize,
    f: &'a Field,
    lang: Lang,
}

/// An integer from a value (unsigned, non-negative signed, or a boolean as 0/1).
fn uint_of(v: &Value) -> Option<u64> {
    match *v {
        Value::UInt(n) => Some(n),
        Value::Int(n) if n >= 0 => Some(n as u64),
        Value::Bool(b) => Some(b as u64),
        _ => None,
    }
}

fn ms(ns: i64) -> String {
    let v = ns as f64 / 1e6;
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// Thousands separators for byte counts (`65,535`).
fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, ch) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl<'a> Cx<'a> {
    /// The note `key` (`text/notes.txt`) in this language, placeholders filled from `args`.
    fn t(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        crate::message(Kind::Note, key, self.lang, args)
    }

    fn uint(&self) -> Option<u64> {
        uint_of(&self.f.value)
    }

    fn layer(&self) -> Option<&'a Layer> {
        self.d.layer_of(self.i as u32)
    }

    /// Another field of the same layer, by name (the first one after the layer's start).
    fn sib(&self, name: &str) -> Option<&'a Field> {
        let l = self.layer()?;
        let fields = self
            .d
            .fields
            .get(l.fields.start as usize..l.fields.end as usize)?;
        fields.iter().find(|f| f.def.abbrev == name)
    }

    fn sib_uint(&self, name: &str) -> Option<u64> {
        self.sib(name).and_then(|f| uint_of(&f.value))
    }

    /// The nearest network layer (`ip`/`ipv6`) before this field's layer.
    fn ip_layer(&self) -> Option<&'a Layer> {
        let l = self.layer()?;
        let pos = self.d.layers.iter().position(|x| std::ptr::eq(x, l))?;
        self.d
            .layers
            .get(..pos)?
            .iter()
            .rev()
            .find(|x| x.proto == "ip" || x.proto == "ipv6")
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day) (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, placeholders};

    /// Every note key this file names (in `t("…")`, as a table's result, or through a
    /// computed suffix) has a Korean and an English text using the same placeholders.
    #[test]
    fn every_key_used_here_is_in_notes_txt() {
        let top = include_str!("notes.rs");
        let top = &top[..top.find("#[cfg(test)]").unwrap_or(top.len())];
        let code = [
            top,
            include_str!("notes/link.rs"),
            include_str!("notes/transport.rs"),
            include_str!("notes/other.rs"),
        ]
        .concat();
        let mut keys: Vec<String> = Vec::new();
        for (open, close) in [
            (".t(\"", "\""),
            ("=> \"", "\","),
            ("=> Some(\"", "\")"),
            ("flag_note(\"", "\")"),
        ] {
            for (at, _) in code.match_indices(open) {
                let rest = &code[at + open.len()..];
                let Some(end) = rest.find(close) else {
                    continue;
                };
                let key = &rest[..end];
                if !key.contains('.') || key.contains(' ') {
                    continue;
                }
                if open.starts_with("flag_note") {
                    keys.push(format!("{key}.0"));
                    keys.push(format!("{key}.1"));
                } else {
                    keys.push(key.to_owned());
                }
            }
        }
        for init in [64, 128, 255] {
            keys.push(format!("ttl.os.{init}"));
        }
        for u in ["d", "h", "min", "s"] {
            keys.push(format!("dns_ttl.unit.{u}"));
        }
        assert!(keys.len() > 250, "too few keys found: {}", keys.len());
        let c = Catalog::shipped();
        let mut missing = Vec::new();
        for k in &keys {
            match c.exact(Kind::Note, k) {
                None => missing.push(format!("{k}: no entry")),
                // The short-TTL Korean sentence needs no rounded duration.
                Some(e) if k != "dns_ttl.short" => {
                    let (ko, en) = (placeholders(&e.ko.title), placeholders(&e.en.title));
                    let (mut a, mut b) = (ko.clone(), en.clone());
                    a.sort_unstable();
                    b.sort_unstable();
                    if a != b {
                        missing.push(format!("{k}: Korean uses {ko:?}, English {en:?}"));
                    }
                }
                Some(_) => {}
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    #[test]
    fn particles_follow_the_preceding_sound() {
        assert_eq!(fix_josa("2^10 = 1024을/를 곱해요"), "2^10 = 1024를 곱해요");
        assert_eq!(fix_josa("ACK 1460을/를 보내요"), "ACK 1460을 보내요");
        assert_eq!(fix_josa("값 3054660282은/는"), "값 3054660282는");
        assert_eq!(fix_josa("0x6107이라서/라서"), "0x6107이라서");
        assert_eq!(fix_josa("0x04fb이라서/라서"), "0x04fb라서");
        assert_eq!(
            fix_josa("TCP 의사 헤더(pseudo-header)와 세그먼트을/를"),
            "TCP 의사 헤더(pseudo-header)와 세그먼트를"
        );
        assert_eq!(fix_josa("길이 8이에요/예요"), "길이 8이에요");
        assert_eq!(fix_josa("길이 9이에요/예요"), "길이 9예요");
        assert_eq!(fix_josa("포트 7으로/로"), "포트 7로");
        assert_eq!(fix_josa("포트 3으로/로"), "포트 3으로");
    }

    #[test]
    fn calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 1262893114 s (chrissanders tcp_handshake frame 1) is 2010-01-07 19:38:34 UTC.
        assert_eq!(civil_from_days(1262893114 / 86400), (2010, 1, 7));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11016), (2000, 2, 29));
    }

    #[test]
    fn grouping_and_ordinals() {
        assert_eq!(grouped(8388480), "8,388,480");
        assert_eq!(grouped(65535), "65,535");
        assert_eq!(grouped(12), "12");
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(23), "23rd");
    }
}
