//! Notes on capture facts, link layers (Ethernet, VLAN, ARP, SLL, Null) and IPv4/IPv6 headers.

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn frame_len(&self) -> Option<String> {
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

    pub(super) fn duration_ns(&self) -> Option<i64> {
        match self.f.value {
            Value::Duration(ns) => Some(ns),
            Value::Float(s) => Some((s * 1e9) as i64),
            _ => None,
        }
    }

    pub(super) fn delta(&self) -> Option<String> {
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

    pub(super) fn since(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(self.t("since.1", &[("ms", &(ms(ns)))]))
    }

    pub(super) fn encap(&self) -> Option<String> {
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

    pub(super) fn protocols(&self) -> Option<String> {
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

    pub(super) fn mac(&self) -> Option<String> {
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

    pub(super) fn ethertype(&self) -> Option<String> {
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

    pub(super) fn vlan_id(&self) -> Option<String> {
        let id = self.uint()?;
        Some(match id {
            0 => self.t("vlan_id.1", &[]),
            4095 => self.t("vlan_id.2", &[]),
            _ => self.t("vlan_id.3", &[("id", &id)]),
        })
    }

    pub(super) fn pcp(&self) -> Option<String> {
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

    pub(super) fn arp_opcode(&self) -> Option<String> {
        Some(match self.uint()? {
            1 => self.t("arp_opcode.1", &[]),
            2 => self.t("arp_opcode.2", &[]),
            3 | 4 => self.t("arp_opcode.3", &[]),
            _ => return None,
        })
    }

    pub(super) fn sll_pkttype(&self) -> Option<String> {
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

    pub(super) fn hatype(&self) -> Option<String> {
        let key = match self.uint()? {
            1 => "hatype.1",
            772 => "hatype.772",
            776 => "hatype.776",
            65534 => "hatype.65534",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    pub(super) fn null_family(&self) -> Option<String> {
        let key = match self.uint()? {
            2 => "null_family.2",
            24 => "null_family.24",
            28 => "null_family.28",
            30 => "null_family.30",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    pub(super) fn ip_version(&self) -> Option<String> {
        Some(match self.uint()? {
            4 => self.t("ip_version.1", &[]),
            6 => self.t("ip_version.2", &[]),
            n => self.t("ip_version.3", &[("n", &n)]),
        })
    }

    pub(super) fn ip_hdr_len(&self) -> Option<String> {
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

    pub(super) fn ip_len(&self) -> Option<String> {
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

    pub(super) fn dscp(&self) -> Option<String> {
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

    pub(super) fn ecn(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "ecn.0",
            1 => "ecn.1",
            2 => "ecn.2",
            3 => "ecn.3",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    pub(super) fn df(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            self.t("df.1", &[])
        } else {
            self.t("df.2", &[])
        })
    }

    pub(super) fn mf(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            self.t("mf.1", &[])
        } else {
            self.t("mf.2", &[])
        })
    }

    pub(super) fn rb(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            self.t("rb.1", &[])
        } else {
            self.t("rb.2", &[])
        })
    }

    pub(super) fn frag_offset(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n == 0 {
            self.t("frag_offset.1", &[])
        } else {
            self.t("frag_offset.2", &[("n", &n), ("byte", &(n * 8))])
        })
    }

    pub(super) fn ttl(&self) -> Option<String> {
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

    pub(super) fn ip_proto(&self) -> Option<String> {
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

    pub(super) fn ipv4_addr(&self) -> Option<String> {
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

    pub(super) fn ipv6_addr(&self) -> Option<String> {
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

    pub(super) fn ipv6_plen(&self) -> Option<String> {
        let n = self.uint()?;
        Some(self.t("ipv6_plen.1", &[("n", &n), ("total", &(n + 40))]))
    }

    pub(super) fn ipv6_flow(&self) -> Option<String> {
        Some(if self.uint()? == 0 {
            self.t("ipv6_flow.1", &[])
        } else {
            self.t("ipv6_flow.2", &[])
        })
    }
}
