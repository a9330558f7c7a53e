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

/// Resolves every `A/B` particle marker in a Korean note.
fn fix_josa(s: &str) -> String {
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

    fn tcp_flags(&self) -> Option<String> {
        let flags = if self.f.def.abbrev == "tcp.flags" {
            self.uint()?
        } else {
            self.sib_uint("tcp.flags")?
        };
        let names = [
            (0x002, "SYN"),
            (0x001, "FIN"),
            (0x004, "RST"),
            (0x008, "PSH"),
            (0x010, "ACK"),
            (0x020, "URG"),
            (0x040, "ECE"),
            (0x080, "CWR"),
            (0x100, "AE"),
        ];
        let set: Vec<&str> = names
            .iter()
            .filter(|(b, _)| flags & b != 0)
            .map(|(_, n)| *n)
            .collect();
        let list = if set.is_empty() {
            "—".to_owned()
        } else {
            set.join("+")
        };
        let core = flags & 0x017;
        let key = match core {
            0x002 => "tcp_flags.0x002",
            0x012 => "tcp_flags.0x012",
            0x010 => "tcp_flags.0x010",
            0x011 => "tcp_flags.0x011",
            0x001 => "tcp_flags.0x001",
            0x004 | 0x014 => "tcp_flags.0x004_0x014",
            0x003 | 0x007 | 0x006 => "tcp_flags.0x003_0x007_0x006",
            0x000 => "tcp_flags.0x000",
            _ => "",
        };
        let push = flags & 0x008 != 0 && flags & 0x007 == 0;
        let push = if push {
            format!(" {}", self.t("tcp_flags.push", &[]))
        } else {
            String::new()
        };
        let ecn_syn = flags & 0x0c0 == 0x0c0 && flags & 0x002 != 0;
        let ecn = if ecn_syn {
            format!(" {}", self.t("tcp_flags.ecn_syn", &[]))
        } else {
            String::new()
        };
        if self.f.def.abbrev == "tcp.flags.str" {
            return Some(self.t("tcp_flags.str", &[("list", &list), ("push", &push)]));
        }
        let hex = format!("0x{flags:03x}");
        let meaning = if key.is_empty() {
            String::new()
        } else {
            self.t(key, &[])
        };
        Some(self.t(
            "tcp_flags",
            &[
                ("hex", &hex),
                ("list", &list),
                ("meaning", &meaning),
                ("push", &push),
                ("ecn", &ecn),
            ],
        ))
    }

    fn frame_len(&self) -> Option<String> {
        let wire = if self.f.def.abbrev == "frame.len" {
            self.uint()?
        } else {
            self.sib_uint("frame.len")?
        };
        let cap = if self.f.def.abbrev == "frame.cap_len" {
            self.uint()?
        } else {
            self.sib_uint("frame.cap_len")?
        };
        if cap < wire {
            Some(self.t(
                "frame_len.1",
                &[("wire", &wire), ("cap", &cap), ("cut", &(wire - cap))],
            ))
        } else if cap > wire {
            Some(self.t("frame_len.2", &[]))
        } else {
            Some(self.t("frame_len.3", &[("wire", &wire)]))
        }
    }

    fn duration_ns(&self) -> Option<i64> {
        match self.f.value {
            Value::Duration(ns) => Some(ns),
            Value::Float(s) => Some((s * 1e9) as i64),
            _ => None,
        }
    }

    fn delta(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        if ns <= 0 {
            return Some(self.t("delta.1", &[]));
        }
        let rate = 1e9 / ns as f64;
        let rate = if rate >= 1.0 {
            format!(
                " {}",
                self.t("delta.rate", &[("rate", &format!("{rate:.0}"))])
            )
        } else {
            String::new()
        };
        Some(self.t("delta.2", &[("ms", &(ms(ns))), ("rate", &rate)]))
    }

    fn since(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(self.t("since.1", &[("ms", &(ms(ns)))]))
    }

    fn encap(&self) -> Option<String> {
        let key = match self.uint()? {
            1 => "encap.1",
            7 => "encap.7",
            129 => "encap.129",
            130 => "encap.130",
            15 => "encap.15",
            25 => "encap.25",
            210 => "encap.210",
            23 => "encap.23",
            _ => return None,
        };
        Some(self.t("encap.frame", &[("what", &self.t(key, &[]))]))
    }

    fn protocols(&self) -> Option<String> {
        if self.d.layers.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .d
            .layers
            .iter()
            .filter(|l| l.proto != "frame")
            .map(|l| {
                self.t(
                    "protocols.layer",
                    &[("proto", &l.proto), ("layer", &l.osi.number())],
                )
            })
            .collect();
        Some(self.t("protocols", &[("layers", &parts.join(" → "))]))
    }

    fn mac(&self) -> Option<String> {
        let Value::Ether(m) = self.f.value else {
            return None;
        };
        let key = if m == [0xff; 6] {
            "mac.c1"
        } else if m == [0; 6] {
            "mac.c2"
        } else if m[0] == 0x01 && m[1] == 0x00 && m[2] == 0x5e {
            "mac.c3"
        } else if m[0] == 0x33 && m[1] == 0x33 {
            "mac.c4"
        } else if m[0] & 1 == 1 {
            "mac.c5"
        } else if m[0] & 2 == 2 {
            "mac.c6"
        } else {
            "mac.c7"
        };
        Some(self.t(key, &[]))
    }

    fn ethertype(&self) -> Option<String> {
        let key = match self.uint()? {
            0x0800 => "ethertype.0x0800",
            0x86dd => "ethertype.0x86dd",
            0x0806 => "ethertype.0x0806",
            0x8100 => "ethertype.0x8100",
            0x88a8 => "ethertype.0x88a8",
            0x88cc => "ethertype.0x88cc",
            0x8863 | 0x8864 => "ethertype.0x8863_0x8864",
            0x880b => "ethertype.0x880b",
            0x6558 => "ethertype.0x6558",
            n if n <= 1500 => "ethertype.c1",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn vlan_id(&self) -> Option<String> {
        let id = self.uint()?;
        Some(match id {
            0 => self.t("vlan_id.1", &[]),
            4095 => self.t("vlan_id.2", &[]),
            _ => self.t("vlan_id.3", &[("id", &id)]),
        })
    }

    fn pcp(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "pcp.0",
            1 => "pcp.1",
            2 => "pcp.2",
            3 => "pcp.3",
            4 => "pcp.4",
            5 => "pcp.5",
            6 => "pcp.6",
            7 => "pcp.7",
            _ => return None,
        };
        Some(self.t("pcp.class", &[("what", &self.t(key, &[]))]))
    }

    fn arp_opcode(&self) -> Option<String> {
        Some(match self.uint()? {
            1 => self.t("arp_opcode.1", &[]),
            2 => self.t("arp_opcode.2", &[]),
            3 | 4 => self.t("arp_opcode.3", &[]),
            _ => return None,
        })
    }

    fn sll_pkttype(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "sll_pkttype.0",
            1 => "sll_pkttype.1",
            2 => "sll_pkttype.2",
            3 => "sll_pkttype.3",
            4 => "sll_pkttype.4",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn hatype(&self) -> Option<String> {
        let key = match self.uint()? {
            1 => "hatype.1",
            772 => "hatype.772",
            776 => "hatype.776",
            65534 => "hatype.65534",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn null_family(&self) -> Option<String> {
        let key = match self.uint()? {
            2 => "null_family.2",
            24 => "null_family.24",
            28 => "null_family.28",
            30 => "null_family.30",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn ip_version(&self) -> Option<String> {
        Some(match self.uint()? {
            4 => self.t("ip_version.1", &[]),
            6 => self.t("ip_version.2", &[]),
            n => self.t("ip_version.3", &[("n", &n)]),
        })
    }

    fn ip_hdr_len(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n < 20 {
            self.t("ip_hdr_len.1", &[("n", &n)])
        } else if n == 20 {
            self.t("ip_hdr_len.2", &[("words", &(n / 4))])
        } else {
            self.t(
                "ip_hdr_len.3",
                &[("n", &n), ("options", &(n - 20)), ("words", &(n / 4))],
            )
        })
    }

    fn ip_len(&self) -> Option<String> {
        let total = self.uint()?;
        let hl = self.sib_uint("ip.hdr_len").unwrap_or(20);
        if total < hl {
            return Some(self.t("ip_len.1", &[("total", &total), ("hl", &hl)]));
        }
        Some(self.t(
            "ip_len.2",
            &[("hl", &hl), ("data", &(total - hl)), ("total", &total)],
        ))
    }

    fn dscp(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "dscp.0",
            8 => "dscp.8",
            10 | 12 | 14 => "dscp.10_12_14",
            18 | 20 | 22 => "dscp.18_20_22",
            26 | 28 | 30 => "dscp.26_28_30",
            34 | 36 | 38 => "dscp.34_36_38",
            46 => "dscp.46",
            48 => "dscp.48",
            56 => "dscp.56",
            n => return Some(self.t("dscp.1", &[("n", &n)])),
        };
        Some(self.t(key, &[]))
    }

    fn ecn(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "ecn.0",
            1 => "ecn.1",
            2 => "ecn.2",
            3 => "ecn.3",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn df(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            self.t("df.1", &[])
        } else {
            self.t("df.2", &[])
        })
    }

    fn mf(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            self.t("mf.1", &[])
        } else {
            self.t("mf.2", &[])
        })
    }

    fn rb(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            self.t("rb.1", &[])
        } else {
            self.t("rb.2", &[])
        })
    }

    fn frag_offset(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n == 0 {
            self.t("frag_offset.1", &[])
        } else {
            self.t("frag_offset.2", &[("n", &n), ("byte", &(n * 8))])
        })
    }

    fn ttl(&self) -> Option<String> {
        let t = self.uint()?;
        if t == 0 {
            return Some(self.t("ttl.1", &[]));
        }
        if t == 1 {
            return Some(self.t("ttl.2", &[]));
        }
        if t == 255 {
            return Some(self.t("ttl.3", &[]));
        }
        let init = if t <= 64 {
            64
        } else if t <= 128 {
            128
        } else {
            255
        };
        let os = self.t(&format!("ttl.os.{init}"), &[]);
        let hops = init - t;
        Some(if hops == 0 {
            self.t("ttl.4", &[("init", &init), ("os", &os)])
        } else {
            self.t("ttl.5", &[("init", &init), ("os", &os), ("hops", &hops)])
        })
    }

    fn ip_proto(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "ip_proto.0",
            1 => "ip_proto.1",
            2 => "ip_proto.2",
            4 => "ip_proto.4",
            6 => "ip_proto.6",
            17 => "ip_proto.17",
            41 => "ip_proto.41",
            43 => "ip_proto.43",
            44 => "ip_proto.44",
            47 => "ip_proto.47",
            50 => "ip_proto.50",
            51 => "ip_proto.51",
            58 => "ip_proto.58",
            59 => "ip_proto.59",
            60 => "ip_proto.60",
            132 => "ip_proto.132",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn ipv4_addr(&self) -> Option<String> {
        let Value::Ipv4(a) = self.f.value else {
            return None;
        };
        let key = match a {
            [127, ..] => "ipv4_addr.127",
            [10, ..] => "ipv4_addr.10",
            [172, b, ..] if (16..=31).contains(&b) => "ipv4_addr.c1",
            [192, 168, ..] => "ipv4_addr.192_168",
            [100, b, ..] if (64..=127).contains(&b) => "ipv4_addr.c2",
            [169, 254, ..] => "ipv4_addr.169_254",
            [0, 0, 0, 0] => "ipv4_addr.0_0_0_0",
            [255, 255, 255, 255] => "ipv4_addr.255_255_255_255",
            [b, ..] if (224..=239).contains(&b) => "ipv4_addr.c3",
            [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _] => {
                "ipv4_addr.192_0_2_198_51_100_203_0_113"
            }
            _ => "ipv4_addr.other",
        };
        Some(self.t(key, &[]))
    }

    fn ipv6_addr(&self) -> Option<String> {
        let Value::Ipv6(a) = self.f.value else {
            return None;
        };
        let w0 = u16::from_be_bytes([a[0], a[1]]);
        let key = if a == [0; 16] {
            "ipv6_addr.c1"
        } else if a[..15] == [0; 15] && a[15] == 1 {
            "ipv6_addr.c2"
        } else if a[..10] == [0; 10] && a[10] == 0xff && a[11] == 0xff {
            "ipv6_addr.c3"
        } else if w0 & 0xffc0 == 0xfe80 {
            "ipv6_addr.c4"
        } else if a[0] == 0xff {
            "ipv6_addr.c5"
        } else if a[0] & 0xfe == 0xfc {
            "ipv6_addr.c6"
        } else if w0 == 0x2001 && a[2] == 0 && a[3] == 0 {
            "ipv6_addr.c7"
        } else if w0 == 0x2001 && a[2] == 0x0d && a[3] == 0xb8 {
            "ipv6_addr.c8"
        } else if w0 == 0x2002 {
            "ipv6_addr.c9"
        } else if w0 & 0xe000 == 0x2000 {
            "ipv6_addr.c10"
        } else {
            return None;
        };
        Some(self.t(key, &[]))
    }

    fn ipv6_plen(&self) -> Option<String> {
        let n = self.uint()?;
        Some(self.t("ipv6_plen.1", &[("n", &n), ("total", &(n + 40))]))
    }

    fn ipv6_flow(&self) -> Option<String> {
        Some(if self.uint()? == 0 {
            self.t("ipv6_flow.1", &[])
        } else {
            self.t("ipv6_flow.2", &[])
        })
    }

    /// Whether this field's layer sits inside an ICMP/ICMPv6 error (a quoted packet).
    fn inside_icmp_error(&self) -> bool {
        let Some(l) = self.layer() else { return false };
        let Some(pos) = self.d.layers.iter().position(|x| std::ptr::eq(x, l)) else {
            return false;
        };
        self.d.layers.get(..pos).is_some_and(|before| {
            before
                .iter()
                .any(|x| x.proto == "icmp" || x.proto == "icmpv6")
        })
    }

    /// Why a checksum looks wrong here: the key of the likeliest reason.
    fn offload_hint(&self) -> &'static str {
        let outgoing = self
            .d
            .fields
            .iter()
            .any(|f| f.def.abbrev == "sll.pkttype" && uint_of(&f.value) == Some(4));
        let loopback = self.d.fields.iter().any(|f| {
            matches!(f.def.abbrev, "ip.src" | "ip.dst") && matches!(f.value, Value::Ipv4([127, ..]))
                || matches!(f.def.abbrev, "ipv6.src" | "ipv6.dst")
                    && matches!(f.value, Value::Ipv6(a) if a[..15] == [0; 15] && a[15] == 1)
        });
        if outgoing {
            "checksum.offload.outgoing"
        } else if loopback {
            "checksum.offload.loopback"
        } else {
            "checksum.offload.other"
        }
    }

    /// The dissector's verdict on this checksum field: its `*.checksum.status` and
    /// `*.checksum_calculated` siblings (status 1 good, 0 bad; absent when not verified).
    fn checksum_facts(&self, proto: &str) -> Option<(u64, u16)> {
        let status = self.sib_uint(&format!("{proto}.checksum.status"))?;
        let calc = self.sib_uint(&format!("{proto}.checksum_calculated"))?;
        Some((status, calc as u16))
    }

    fn ip_checksum(&self) -> Option<String> {
        let stored = self.uint()? as u16;
        let (status, calc) = self.checksum_facts("ip")?;
        Some(self.checksum_verdict(stored, status, calc, "checksum.what.ip"))
    }

    fn checksum_verdict(&self, stored: u16, status: u64, computed: u16, what: &str) -> String {
        let what = self.t(what, &[]);
        if status == 1 {
            self.t(
                "checksum.good",
                &[("what", &what), ("computed", &format!("{stored:04x}"))],
            )
        } else {
            let hint = self.t(self.offload_hint(), &[]);
            self.t(
                "checksum.bad",
                &[
                    ("stored", &format!("{stored:04x}")),
                    ("what", &what),
                    ("computed", &format!("{computed:04x}")),
                    ("hint", &hint),
                ],
            )
        }
    }

    /// A TCP or UDP checksum, as the dissector verified it over the pseudo-header.
    fn l4_checksum(&self) -> Option<String> {
        let stored = self.uint()? as u16;
        let udp = self.f.def.abbrev == "udp.checksum";
        let ip = self.ip_layer()?;
        if udp && stored == 0 {
            return Some(if ip.proto == "ip" {
                self.t("checksum.udp_zero_v4", &[])
            } else {
                self.t("checksum.udp_zero_v6", &[])
            });
        }
        if self.inside_icmp_error() {
            return Some(self.t("checksum.quoted", &[]));
        }
        let proto = if udp { "udp" } else { "tcp" };
        let Some((status, mut computed)) = self.checksum_facts(proto) else {
            return Some(self.t("checksum.truncated", &[]));
        };
        if udp && computed == 0 {
            computed = 0xffff;
        }
        Some(self.checksum_verdict(
            stored,
            status,
            computed,
            if udp {
                "checksum.what.udp"
            } else {
                "checksum.what.tcp"
            },
        ))
    }

    fn checksum_status(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "checksum_status.0",
            1 => "checksum_status.1",
            2 => "checksum_status.2",
            3 => "checksum_status.3",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn port(&self) -> Option<String> {
        let p = self.uint()?;
        let udp = self.f.def.abbrev.starts_with("udp");
        let svc: Option<&str> = match (p, udp) {
            (20 | 21, false) => Some("port.service.20.tcp"),
            (22, false) => Some("port.service.22.tcp"),
            (23, false) => Some("port.service.23.tcp"),
            (25 | 587, false) => Some("port.service.25.tcp"),
            (53, _) => Some("port.service.53"),
            (67 | 68, true) => Some("port.service.67.udp"),
            (80, false) => Some("port.service.80.tcp"),
            (110, false) => Some("port.service.110.tcp"),
            (123, true) => Some("port.service.123.udp"),
            (143, false) => Some("port.service.143.tcp"),
            (443, false) => Some("port.service.443.tcp"),
            (443, true) => Some("port.service.443.udp"),
            (853, _) => Some("port.service.853"),
            (993, false) => Some("port.service.993.tcp"),
            (1723, false) => Some("port.service.1723.tcp"),
            (1900, true) => Some("port.service.1900.udp"),
            (3074, _) => Some("port.service.3074"),
            (3306, false) => Some("port.service.3306.tcp"),
            (3478..=3480, _) => Some("port.service.3478"),
            (3544, true) => Some("port.service.3544.udp"),
            (4789, true) => Some("port.service.4789.udp"),
            (5060 | 5061, _) => Some("port.service.5060"),
            (5353, true) => Some("port.service.5353.udp"),
            (5432, false) => Some("port.service.5432.tcp"),
            (6379, false) => Some("port.service.6379.tcp"),
            (7777, _) => Some("port.service.7777"),
            (7778, _) => Some("port.service.7778"),
            (8080, false) => Some("port.service.8080.tcp"),
            (9987, true) => Some("port.service.9987.udp"),
            (19132, true) => Some("port.service.19132.udp"),
            (25565, _) => Some("port.service.25565"),
            (27017, false) => Some("port.service.27017.tcp"),
            (27015..=27030, _) => Some("port.service.27015"),
            _ => None,
        };
        if let Some(key) = svc {
            return Some(self.t("port.service", &[("p", &p), ("service", &self.t(key, &[]))]));
        }
        Some(if p == 0 {
            self.t("port.2", &[])
        } else if p < 1024 {
            self.t("port.3", &[("p", &p)])
        } else if p >= 49152 {
            self.t("port.4", &[("p", &p)])
        } else if p >= 32768 {
            self.t("port.5", &[("p", &p)])
        } else {
            self.t("port.6", &[("p", &p)])
        })
    }

    fn stream(&self) -> Option<String> {
        let n = self.uint()?;
        let proto = if self.f.def.abbrev.starts_with("udp") {
            "udp"
        } else {
            "tcp"
        };
        // The English text says "the 3rd"; Korean counts with a plain number ("3번째").
        let nth = if self.lang == Lang::En {
            ordinal(n + 1)
        } else {
            (n + 1).to_string()
        };
        Some(self.t(
            "stream",
            &[
                ("nth", &nth),
                ("name", &proto.to_uppercase()),
                ("proto", &proto),
                ("n", &n),
            ],
        ))
    }

    fn flags_now(&self) -> u64 {
        self.sib_uint("tcp.flags").unwrap_or(0)
    }

    fn tcp_seq(&self) -> Option<String> {
        let rel = self.uint()?;
        let raw = self.sib_uint("tcp.seq_raw");
        let syn = self.flags_now() & 0x002 != 0;
        if syn {
            return Some(self.t("tcp_seq.1", &[]));
        }
        let s = match raw {
            Some(raw) if raw != rel => self.t("tcp_seq.2", &[("raw", &raw), ("rel", &rel)]),
            _ => self.t("tcp_seq.3", &[("rel", &rel)]),
        };
        Some(s)
    }

    fn tcp_seq_raw(&self) -> Option<String> {
        let raw = self.uint()?;
        if self.flags_now() & 0x002 != 0 {
            return Some(self.t("tcp_seq_raw.1", &[("raw", &raw)]));
        }
        let rel = self.sib_uint("tcp.seq")?;
        Some(self.t("tcp_seq_raw.2", &[("rel", &rel)]))
    }

    fn tcp_nxtseq(&self) -> Option<String> {
        let next = self.uint()?;
        let seq = self.sib_uint("tcp.seq")?;
        let len = self.sib_uint("tcp.len").unwrap_or(0);
        let flags = self.flags_now();
        let extra = u64::from(flags & 0x003 != 0);
        let plus = if extra > 0 {
            format!(" {}", self.t("tcp_nxtseq.syn_fin", &[]))
        } else {
            String::new()
        };
        Some(self.t(
            "tcp_nxtseq",
            &[
                ("seq", &seq),
                ("len", &len),
                ("plus", &plus),
                ("next", &next),
            ],
        ))
    }

    fn tcp_ack(&self) -> Option<String> {
        let ack = self.uint()?;
        if self.flags_now() & 0x010 == 0 {
            return Some(self.t("tcp_ack.1", &[]));
        }
        Some(self.t("tcp_ack.2", &[("ack", &ack)]))
    }

    fn tcp_ack_raw(&self) -> Option<String> {
        let raw = self.uint()?;
        if self.flags_now() & 0x010 == 0 {
            return Some(if raw == 0 {
                self.t("tcp_ack_raw.1", &[])
            } else {
                self.t("tcp_ack_raw.2", &[("raw", &raw)])
            });
        }
        let rel = self.sib_uint("tcp.ack")?;
        Some(self.t("tcp_ack_raw.3", &[("rel", &rel)]))
    }

    fn tcp_hdr_len(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n < 20 {
            self.t("tcp_hdr_len.1", &[("n", &n)])
        } else if n == 20 {
            self.t("tcp_hdr_len.2", &[])
        } else {
            self.t(
                "tcp_hdr_len.3",
                &[("n", &n), ("options", &(n - 20)), ("words", &(n / 4))],
            )
        })
    }

    fn scale_factor(&self) -> Option<i64> {
        match self.sib("tcp.window_size_scalefactor")?.value {
            Value::Int(n) => Some(n),
            Value::UInt(n) => Some(n as i64),
            _ => None,
        }
    }

    fn window_value(&self) -> Option<String> {
        let v = self.uint()?;
        if self.flags_now() & 0x002 != 0 {
            return Some(self.t("window_value.1", &[("v", &v)]));
        }
        if v == 0 {
            return Some(self.t("window_value.2", &[]));
        }
        Some(match self.scale_factor() {
            Some(f) if f > 0 => self.t(
                "window_value.3",
                &[("v", &v), ("f", &f), ("bytes", &(grouped(v * f as u64)))],
            ),
            Some(-1) => self.t("window_value.4", &[("v", &v)]),
            _ => self.t("window_value.5", &[("bytes", &(grouped(v)))]),
        })
    }

    fn window_calc(&self) -> Option<String> {
        let w = self.uint()?;
        if w == 0 {
            return Some(self.t("window_calc.1", &[]));
        }
        Some(self.t(
            "window_calc.2",
            &[
                ("bytes", &(grouped(w))),
                ("kib", &format!("{:.0}", w as f64 / 1024.0)),
            ],
        ))
    }

    fn scalefactor(&self) -> Option<String> {
        let v = match self.f.value {
            Value::Int(n) => n,
            Value::UInt(n) => n as i64,
            _ => return None,
        };
        Some(match v {
            -1 => self.t("scalefactor.1", &[]),
            -2 => self.t("scalefactor.2", &[]),
            1 => self.t("scalefactor.3", &[]),
            n => self.t("scalefactor.4", &[("n", &n)]),
        })
    }

    fn urgent(&self) -> Option<String> {
        let v = self.uint()?;
        let urg = self.flags_now() & 0x020 != 0;
        Some(match (v, urg) {
            (0, false) => self.t("urgent.1", &[]),
            (_, false) => self.t("urgent.2", &[("v", &v)]),
            (_, true) => self.t("urgent.3", &[("v", &v)]),
        })
    }

    fn tcp_len(&self) -> Option<String> {
        let n = self.uint()?;
        let flags = self.flags_now();
        Some(if n == 0 {
            if flags & 0x007 != 0 {
                self.t("tcp_len.1", &[])
            } else {
                self.t("tcp_len.2", &[])
            }
        } else {
            let hdr = self.sib_uint("tcp.hdr_len").unwrap_or(20);
            let ip_hdr = if self.ip_layer().map(|l| l.proto) == Some("ipv6") {
                40
            } else {
                20
            };
            let total = n + hdr + ip_hdr;
            let pct = n as f64 * 100.0 / total as f64;
            self.t(
                "tcp_len.3",
                &[
                    ("n", &n),
                    ("headers", &(hdr + ip_hdr)),
                    ("total", &total),
                    ("pct", &format!("{pct:.0}")),
                ],
            )
        })
    }

    fn option_kind(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "option_kind.0",
            1 => "option_kind.1",
            2 => "option_kind.2",
            3 => "option_kind.3",
            4 => "option_kind.4",
            5 => "option_kind.5",
            8 => "option_kind.8",
            19 => "option_kind.19",
            28 => "option_kind.28",
            29 => "option_kind.29",
            30 => "option_kind.30",
            34 => "option_kind.34",
            253 | 254 => "option_kind.253_254",
            _ => "option_kind.other",
        };
        Some(self.t("option_kind.kind", &[("what", &self.t(key, &[]))]))
    }

    fn mss(&self) -> Option<String> {
        let mss = self.uint()?;
        let v6 = self.ip_layer().map(|l| l.proto) == Some("ipv6");
        let (ip, name) = if v6 { (40, "IPv6") } else { (20, "IP") };
        let mtu = mss + ip + 20;
        let known = match (mtu, v6) {
            (1500, _) => "mss.mtu.1500",
            (65535, false) => "mss.mtu.65535.v4",
            (65536, true) => "mss.mtu.65536.v6",
            (9000, _) => "mss.mtu.9000",
            (1492, _) => "mss.mtu.1492",
            (1280, true) => "mss.mtu.1280.v6",
            (576, false) => "mss.mtu.576.v4",
            _ => "mss.mtu.other",
        };
        let base = if mtu == 65535 && !v6 {
            self.t("mss.1", &[("name", &name), ("mss", &mss)])
        } else {
            self.t(
                "mss.2",
                &[("mtu", &mtu), ("ip", &ip), ("name", &name), ("mss", &mss)],
            )
        };
        let tail = self.t("mss.tail", &[("known", &self.t(known, &[])), ("mss", &mss)]);
        Some(format!("{base} {tail}"))
    }

    fn wscale_shift(&self) -> Option<String> {
        let s = self.uint()?;
        if s > 14 {
            return Some(self.t("wscale_shift.1", &[("s", &s)]));
        }
        let m = 1u64 << s;
        Some(self.t(
            "wscale_shift.2",
            &[("s", &s), ("m", &m), ("max", &(grouped(65535 * m)))],
        ))
    }

    fn wscale_multiplier(&self) -> Option<String> {
        let m = self.uint()?;
        Some(self.t("wscale_multiplier.1", &[("m", &m)]))
    }

    fn sack_re(&self) -> Option<String> {
        let re = self.uint()?;
        let l = self.layer()?;
        let fields = self.d.fields.get(l.fields.start as usize..self.i)?;
        let le = fields
            .iter()
            .rev()
            .find(|f| f.def.abbrev == "tcp.options.sack_le")
            .and_then(|f| uint_of(&f.value))?;
        let size = (re as u32).wrapping_sub(le as u32);
        let hole = self
            .sib_uint("tcp.ack_raw")
            .map(|ack| (le as u32).wrapping_sub(ack as u32))
            .filter(|&h| h > 0 && h < 1 << 30);
        let mut s = self.t("sack_re.1", &[("le", &le), ("re", &re), ("size", &size)]);
        s.push(' ');
        s.push_str(&match hole {
            Some(h) => self.t("sack_re.hole", &[("h", &h)]),
            None => self.t("sack_re.gap", &[]),
        });
        Some(s)
    }

    fn sack_count(&self) -> Option<String> {
        let n = self.uint()?;
        Some(self.t("sack_count.1", &[("n", &n)]))
    }

    fn tsval(&self) -> Option<String> {
        let v = self.uint()?;
        Some(self.t("tsval.1", &[("v", &v)]))
    }

    fn tsecr(&self) -> Option<String> {
        let v = self.uint()?;
        Some(if v == 0 {
            self.t("tsecr.1", &[])
        } else {
            self.t("tsecr.2", &[("v", &v)])
        })
    }

    fn ack_rtt(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(self.t("ack_rtt.1", &[("ms", &(ms(ns)))]))
    }

    fn irtt(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(self.t("irtt.1", &[("ms", &(ms(ns)))]))
    }

    fn in_flight(&self) -> Option<String> {
        let n = self.uint()?;
        Some(self.t("in_flight.1", &[("bytes", &(grouped(n)))]))
    }

    fn acks_frame(&self) -> Option<String> {
        let n = self.uint()?;
        Some(self.t("acks_frame.1", &[("n", &n)]))
    }

    fn dupack_num(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n >= 3 {
            self.t("dupack_num.1", &[("n", &n)])
        } else {
            self.t("dupack_num.2", &[("n", &n)])
        })
    }

    /// Which bytes a retransmitted or out-of-order segment carries (relative numbers).
    fn resent(&self) -> Option<String> {
        let seq = self.sib_uint("tcp.seq")?;
        let len = self.sib_uint("tcp.len")?;
        if len == 0 {
            return None;
        }
        let end = seq + len;
        Some(match self.f.def.abbrev {
            "tcp.analysis.out_of_order" => {
                self.t("resent.1", &[("seq", &seq), ("end", &end), ("len", &len)])
            }
            "tcp.analysis.spurious_retransmission" => {
                self.t("resent.2", &[("seq", &seq), ("end", &end), ("len", &len)])
            }
            _ => self.t("resent.3", &[("seq", &seq), ("end", &end), ("len", &len)]),
        })
    }

    fn udp_length(&self) -> Option<String> {
        let n = self.uint()?;
        if n < 8 {
            return Some(self.t("udp_length.1", &[("n", &n)]));
        }
        Some(self.t("udp_length.2", &[("data", &(n - 8)), ("n", &n)]))
    }

    fn icmp_type(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "icmp_type.0",
            3 => "icmp_type.3",
            4 => "icmp_type.4",
            5 => "icmp_type.5",
            8 => "icmp_type.8",
            9 | 10 => "icmp_type.9_10",
            11 => "icmp_type.11",
            12 => "icmp_type.12",
            13 | 14 => "icmp_type.13_14",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn icmp_code(&self) -> Option<String> {
        let code = self.uint()?;
        let ty = self.sib_uint("icmp.type")?;
        let key = match (ty, code) {
            (3, 0) => "icmp_code.3_0",
            (3, 1) => "icmp_code.3_1",
            (3, 2) => "icmp_code.3_2",
            (3, 3) => "icmp_code.3_3",
            (3, 4) => "icmp_code.3_4",
            (3, 9 | 10 | 13) => "icmp_code.3_9_10_13",
            (11, 0) => "icmp_code.11_0",
            (11, 1) => "icmp_code.11_1",
            (5, 1) => "icmp_code.5_1",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn icmpv6_type(&self) -> Option<String> {
        let key = match self.uint()? {
            1 => "icmpv6_type.1",
            2 => "icmpv6_type.2",
            3 => "icmpv6_type.3",
            4 => "icmpv6_type.4",
            128 => "icmpv6_type.128",
            129 => "icmpv6_type.129",
            130 => "icmpv6_type.130",
            131 | 143 => "icmpv6_type.131_143",
            132 => "icmpv6_type.132",
            133 => "icmpv6_type.133",
            134 => "icmpv6_type.134",
            135 => "icmpv6_type.135",
            136 => "icmpv6_type.136",
            137 => "icmpv6_type.137",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn icmp_mtu(&self) -> Option<String> {
        let mtu = self.uint()?;
        if mtu < 68 {
            return None;
        }
        Some(self.t("icmp_mtu.1", &[("mtu", &mtu), ("mss", &(mtu - 40))]))
    }

    fn ms_note(&self) -> Option<String> {
        // tshark's icmp.resptime is a double in milliseconds; dns.time a relative time.
        let ns = match self.f.value {
            Value::Float(ms) => (ms * 1e6) as i64,
            _ => self.duration_ns()?,
        };
        Some(self.t("ms_note.1", &[("ms", &(ms(ns)))]))
    }

    fn dns_rcode(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "dns_rcode.0",
            1 => "dns_rcode.1",
            2 => "dns_rcode.2",
            3 => "dns_rcode.3",
            4 => "dns_rcode.4",
            5 => "dns_rcode.5",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    fn dns_type(&self) -> Option<String> {
        let key = match self.uint()? {
            1 => "dns_type.1",
            2 => "dns_type.2",
            5 => "dns_type.5",
            6 => "dns_type.6",
            12 => "dns_type.12",
            15 => "dns_type.15",
            16 => "dns_type.16",
            28 => "dns_type.28",
            33 => "dns_type.33",
            41 => "dns_type.41",
            65 => "dns_type.65",
            255 => "dns_type.255",
            _ => return None,
        };
        Some(self.t("dns_type.record", &[("what", &self.t(key, &[]))]))
    }

    fn dns_ttl(&self) -> Option<String> {
        let s = self.uint()?;
        let human = |units: [&str; 4]| {
            if s >= 86400 {
                format!("{:.1}{}", s as f64 / 86400.0, units[0])
            } else if s >= 3600 {
                format!("{:.1}{}", s as f64 / 3600.0, units[1])
            } else if s >= 60 {
                format!("{:.1}{}", s as f64 / 60.0, units[2])
            } else {
                format!("{s}{}", units[3])
            }
        };
        let units = ["d", "h", "min", "s"].map(|u| self.t(&format!("dns_ttl.unit.{u}"), &[]));
        let human = human([&units[0], &units[1], &units[2], &units[3]]);
        Some(self.t(
            if s < 60 {
                "dns_ttl.short"
            } else {
                "dns_ttl.long"
            },
            &[("s", &s), ("human", &human)],
        ))
    }

    /// A one-bit field: the note `KEY.1` when set, `KEY.0` when clear.
    fn flag_note(&self, key: &str) -> Option<String> {
        let bit = if self.uint()? == 0 { 0 } else { 1 };
        Some(self.t(&format!("{key}.{bit}"), &[]))
    }

    fn ip_id(&self) -> Option<String> {
        let id = self.uint()?;
        let df = self.sib_uint("ip.flags.df") == Some(1);
        Some(match (id, df) {
            (0, true) => self.t("ip_id.1", &[]),
            (_, true) => self.t("ip_id.2", &[("id", &format!("{id:04x}"))]),
            (_, false) => self.t("ip_id.3", &[("id", &format!("{id:04x}"))]),
        })
    }

    fn utc_time(&self) -> Option<String> {
        let (secs, nanos) = match self.f.value {
            Value::Time(t) => (t.secs, t.nanos),
            _ => return None,
        };
        let days = secs.div_euclid(86400);
        let rem = secs.rem_euclid(86400);
        let (y, m, d) = civil_from_days(days);
        let stamp = format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:09}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60,
            nanos
        );
        Some(self.t("utc_time.1", &[("stamp", &stamp)]))
    }

    fn payload_len(&self) -> Option<String> {
        let n = match self.f.value {
            Value::UInt(n) => n,
            Value::Bytes => u64::from(self.f.len),
            _ => return None,
        };
        if n == 0 {
            return None;
        }
        Some(self.t("payload_len.1", &[("n", &n)]))
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
        let src = include_str!("notes.rs");
        let code = &src[..src.find("#[cfg(test)]").unwrap_or(src.len())];
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
