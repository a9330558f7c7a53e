//! Notes on UDP lengths, ICMP/ICMPv6, DNS, one-bit flags, IP IDs, timestamps and payloads.

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn udp_length(&self) -> Option<String> {
        let n = self.uint()?;
        if n < 8 {
            return Some(self.t("udp_length.1", &[("n", &n)]));
        }
        Some(self.t("udp_length.2", &[("data", &(n - 8)), ("n", &n)]))
    }

    pub(super) fn icmp_type(&self) -> Option<String> {
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

    pub(super) fn icmp_code(&self) -> Option<String> {
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

    pub(super) fn icmpv6_type(&self) -> Option<String> {
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

    pub(super) fn icmp_mtu(&self) -> Option<String> {
        let mtu = self.uint()?;
        if mtu < 68 {
            return None;
        }
        Some(self.t("icmp_mtu.1", &[("mtu", &mtu), ("mss", &(mtu - 40))]))
    }

    pub(super) fn ms_note(&self) -> Option<String> {
        // tshark's icmp.resptime is a double in milliseconds; dns.time a relative time.
        let ns = match self.f.value {
            Value::Float(ms) => (ms * 1e6) as i64,
            _ => self.duration_ns()?,
        };
        Some(self.t("ms_note.1", &[("ms", &(ms(ns)))]))
    }

    pub(super) fn dns_rcode(&self) -> Option<String> {
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

    pub(super) fn dns_type(&self) -> Option<String> {
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

    pub(super) fn dns_ttl(&self) -> Option<String> {
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
    pub(super) fn flag_note(&self, key: &str) -> Option<String> {
        let bit = if self.uint()? == 0 { 0 } else { 1 };
        Some(self.t(&format!("{key}.{bit}"), &[]))
    }

    pub(super) fn ip_id(&self) -> Option<String> {
        let id = self.uint()?;
        let df = self.sib_uint("ip.flags.df") == Some(1);
        Some(match (id, df) {
            (0, true) => self.t("ip_id.1", &[]),
            (_, true) => self.t("ip_id.2", &[("id", &format!("{id:04x}"))]),
            (_, false) => self.t("ip_id.3", &[("id", &format!("{id:04x}"))]),
        })
    }

    pub(super) fn utc_time(&self) -> Option<String> {
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

    pub(super) fn payload_len(&self) -> Option<String> {
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
