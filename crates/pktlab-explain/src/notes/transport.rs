//! Notes on TCP and UDP: flags, checksums (the dissector's verdict), ports, streams, sequence
//! numbers, windows, options and the analysis verdicts.

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn tcp_flags(&self) -> Option<String> {
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

    /// Whether this field's layer sits inside an ICMP/ICMPv6 error (a quoted packet).
    pub(super) fn inside_icmp_error(&self) -> bool {
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
    pub(super) fn offload_hint(&self) -> &'static str {
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
    pub(super) fn checksum_facts(&self, proto: &str) -> Option<(u64, u16)> {
        let status = self.sib_uint(&format!("{proto}.checksum.status"))?;
        let calc = self.sib_uint(&format!("{proto}.checksum_calculated"))?;
        Some((status, calc as u16))
    }

    pub(super) fn ip_checksum(&self) -> Option<String> {
        let stored = self.uint()? as u16;
        let (status, calc) = self.checksum_facts("ip")?;
        Some(self.checksum_verdict(stored, status, calc, "checksum.what.ip"))
    }

    pub(super) fn checksum_verdict(
        &self,
        stored: u16,
        status: u64,
        computed: u16,
        what: &str,
    ) -> String {
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
    pub(super) fn l4_checksum(&self) -> Option<String> {
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

    pub(super) fn checksum_status(&self) -> Option<String> {
        let key = match self.uint()? {
            0 => "checksum_status.0",
            1 => "checksum_status.1",
            2 => "checksum_status.2",
            3 => "checksum_status.3",
            _ => return None,
        };
        Some(self.t(key, &[]))
    }

    pub(super) fn port(&self) -> Option<String> {
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

    pub(super) fn stream(&self) -> Option<String> {
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

    pub(super) fn flags_now(&self) -> u64 {
        self.sib_uint("tcp.flags").unwrap_or(0)
    }

    pub(super) fn tcp_seq(&self) -> Option<String> {
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

    pub(super) fn tcp_seq_raw(&self) -> Option<String> {
        let raw = self.uint()?;
        if self.flags_now() & 0x002 != 0 {
            return Some(self.t("tcp_seq_raw.1", &[("raw", &raw)]));
        }
        let rel = self.sib_uint("tcp.seq")?;
        Some(self.t("tcp_seq_raw.2", &[("rel", &rel)]))
    }

    pub(super) fn tcp_nxtseq(&self) -> Option<String> {
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

    pub(super) fn tcp_ack(&self) -> Option<String> {
        let ack = self.uint()?;
        if self.flags_now() & 0x010 == 0 {
            return Some(self.t("tcp_ack.1", &[]));
        }
        Some(self.t("tcp_ack.2", &[("ack", &ack)]))
    }

    pub(super) fn tcp_ack_raw(&self) -> Option<String> {
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

    pub(super) fn tcp_hdr_len(&self) -> Option<String> {
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

    pub(super) fn scale_factor(&self) -> Option<i64> {
        match self.sib("tcp.window_size_scalefactor")?.value {
            Value::Int(n) => Some(n),
            Value::UInt(n) => Some(n as i64),
            _ => None,
        }
    }

    pub(super) fn window_value(&self) -> Option<String> {
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

    pub(super) fn window_calc(&self) -> Option<String> {
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

    pub(super) fn scalefactor(&self) -> Option<String> {
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

    pub(super) fn urgent(&self) -> Option<String> {
        let v = self.uint()?;
        let urg = self.flags_now() & 0x020 != 0;
        Some(match (v, urg) {
            (0, false) => self.t("urgent.1", &[]),
            (_, false) => self.t("urgent.2", &[("v", &v)]),
            (_, true) => self.t("urgent.3", &[("v", &v)]),
        })
    }

    pub(super) fn tcp_len(&self) -> Option<String> {
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

    pub(super) fn option_kind(&self) -> Option<String> {
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

    pub(super) fn mss(&self) -> Option<String> {
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

    pub(super) fn wscale_shift(&self) -> Option<String> {
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

    pub(super) fn wscale_multiplier(&self) -> Option<String> {
        let m = self.uint()?;
        Some(self.t("wscale_multiplier.1", &[("m", &m)]))
    }

    pub(super) fn sack_re(&self) -> Option<String> {
        let re = self.uint()?;
        let l = self.layer()?;
        let fields = self.d.fields.get(l.fields.start as usize..self.i)?;
        let le = fields
            .iter()
            .rev()
            .find(|f| f.def.abbrev == "tcp.options.sack_le")
            .and_then(|f| uint_of(&f.value))?;
        let size = (re as u32).wrapping_sub(le as u32);
        let ack = self.sib_uint("tcp.ack_raw");
        let hole = ack.map(|ack| (le as u32).wrapping_sub(ack as u32)).filter(|&h| h > 0 && h < 1 << 30);
        // A block below the cumulative ACK reports data that arrived twice (D-SACK, RFC 2883).
        let dsack = ack.is_some_and(|ack| {
            let below = (ack as u32).wrapping_sub(le as u32);
            below > 0 && below < 1 << 30
        });
        let mut s = self.t("sack_re.1", &[("le", &le), ("re", &re), ("size", &size)]);
        s.push(' ');
        s.push_str(&match hole {
            _ if dsack => self.t("sack_re.dsack", &[]),
            Some(h) => self.t("sack_re.hole", &[("h", &h)]),
            None => self.t("sack_re.gap", &[]),
        });
        Some(s)
    }

    pub(super) fn sack_count(&self) -> Option<String> {
        let n = self.uint()?;
        Some(self.t("sack_count.1", &[("n", &n)]))
    }

    pub(super) fn tsval(&self) -> Option<String> {
        let v = self.uint()?;
        Some(self.t("tsval.1", &[("v", &v)]))
    }

    pub(super) fn tsecr(&self) -> Option<String> {
        let v = self.uint()?;
        Some(if v == 0 {
            self.t("tsecr.1", &[])
        } else {
            self.t("tsecr.2", &[("v", &v)])
        })
    }

    pub(super) fn ack_rtt(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(self.t("ack_rtt.1", &[("ms", &(ms(ns)))]))
    }

    pub(super) fn irtt(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(self.t("irtt.1", &[("ms", &(ms(ns)))]))
    }

    pub(super) fn in_flight(&self) -> Option<String> {
        let n = self.uint()?;
        Some(self.t("in_flight.1", &[("bytes", &(grouped(n)))]))
    }

    pub(super) fn acks_frame(&self) -> Option<String> {
        let n = self.uint()?;
        Some(self.t("acks_frame.1", &[("n", &n)]))
    }

    pub(super) fn dupack_num(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n >= 3 {
            self.t("dupack_num.1", &[("n", &n)])
        } else {
            self.t("dupack_num.2", &[("n", &n)])
        })
    }

    /// Which bytes a retransmitted or out-of-order segment carries (relative numbers).
    pub(super) fn resent(&self) -> Option<String> {
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
}
