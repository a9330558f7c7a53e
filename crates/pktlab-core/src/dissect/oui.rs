//! MAC address vendor names (OUI) as Wireshark 4.0 resolves them: `IntelCor_5b:7d:4a`,
//! `Broadcast`, `IPv4mcast_7f:ff:fa`, and the registry's long names (`Intel Corporate`) for
//! `eth.src.oui_resolved`.
//!
//! The table is Wireshark's `manuf` (the public IEEE MA-L, MA-M, MA-S, CID and IAB
//! registries) and `wka` (well-known addresses), embedded (`data/manuf.bin`, made by
//! `data/make-manuf.py`, which documents the format; uncompressed, and searched as it is
//! sorted, so that reading it on first use takes a fraction of a millisecond: `-T json`
//! reads it with the first frame); nothing is looked up on the network.
//!
//! Resolution follows `eth_addr_resolve` in Wireshark 4.0's addr_resolv.c (see [`lookup`]):
//! an exact well-known address gives its name alone; otherwise a well-known range (the 28-
//! and 36-bit MA-M and MA-S registry blocks are ranges too), the 24-bit vendor, or a wider
//! range, followed by the bytes the name does not cover (`Vendor_` + the last three bytes
//! for a vendor).

use std::sync::OnceLock;
static DATA: &[u8] = include_bytes!("../../data/manuf.bin");

#[derive(Default)]
struct Table {
    names: Vec<&'static str>,
    /// (OUI, short name, long name), sorted by OUI.
    vendors: Vec<(u32, u32, u32)>,
    /// Exact well-known addresses → name, sorted by address.
    exact: Vec<(u64, u32)>,
    /// Ranges, keyed by the address with the bits past the range's mask cleared → name,
    /// sorted by key.
    ranges: Vec<(u64, u32)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| load().unwrap_or_default())
}

fn load() -> Option<Table> {
    let mut r = Reader { b: DATA, at: 0 };
    if r.take(8)? != b"PKOUI1\0\0" {
        return None;
    }
    let n = r.u32()?;
    let mut names = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let len = r.take(1)?[0] as usize;
        names.push(std::str::from_utf8(r.take(len)?).ok()?);
    }
    let n = r.u32()?;
    let mut vendors = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let o = r.take(3)?;
        let oui = u32::from_be_bytes([0, o[0], o[1], o[2]]);
        vendors.push((oui, r.u32()?, r.u32()?));
    }
    let n = r.u32()?;
    let (mut exact, mut ranges) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let kind = r.take(1)?[0];
        let a = r.take(6)?;
        let key = mac_u64([a[0], a[1], a[2], a[3], a[4], a[5]]);
        let name = r.u32()?;
        if kind == 48 {
            exact.push((key, name));
        } else {
            ranges.push((key, name));
        }
    }
    // (The file lists them sorted; a key listed twice keeps its last name, as a map would.)
    for v in [&mut exact, &mut ranges] {
        v.sort_by_key(|e| e.0);
        v.reverse();
        v.dedup_by_key(|e| e.0);
        v.reverse();
    }
    vendors.sort_by_key(|e| e.0);
    Some(Table { names, vendors, exact, ranges })
}

struct Reader {
    b: &'static [u8],
    at: usize,
}

impl Reader {
    fn take(&mut self, n: usize) -> Option<&'static [u8]> {
        let s = self.b.get(self.at..self.at + n)?;
        self.at += n;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        let s = self.take(4)?;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

fn mac_u64(a: [u8; 6]) -> u64 {
    a.iter().fold(0, |acc, &b| acc << 8 | b as u64)
}

impl Table {
    fn name(&self, i: u32) -> Option<&'static str> {
        self.names.get(i as usize).copied()
    }

    /// The name of `key` in a list sorted by key.
    fn find(&self, list: &[(u64, u32)], key: u64) -> Option<&'static str> {
        let i = list.binary_search_by_key(&key, |e| e.0).ok()?;
        list.get(i).and_then(|e| self.name(e.1))
    }

    /// The range whose key is `mac`'s first `bits` bits, if any.
    fn range(&self, mac: u64, bits: usize) -> Option<&'static str> {
        let key = mac & !((1u64 << (48 - bits)) - 1) & 0xFFFF_FFFF_FFFF;
        self.find(&self.ranges, key)
    }

    /// Whether any range's key starts with these three bytes.
    fn has_prefix(&self, prefix: u32) -> bool {
        let from = u64::from(prefix) << 24;
        let i = self.ranges.partition_point(|e| e.0 < from);
        self.ranges.get(i).is_some_and(|e| e.0 >> 24 == u64::from(prefix))
    }

    /// The (short, long) names of vendor `oui`, exactly as listed.
    fn vendor_entry(&self, oui: u32) -> Option<(u32, u32)> {
        self.vendors.binary_search_by_key(&oui, |e| e.0).ok().map(|i| (self.vendors[i].1, self.vendors[i].2))
    }
}

/// How an address resolves: a name and the number of leading bits it covers (48 for an
/// exact address, 24 for a vendor). As Wireshark 4.0's `eth_addr_resolve`: an exact address;
/// else the address's first 47, 46, … 24 bits looked up among the range keys; else the
/// vendor (with the group bit cleared if the address is not listed as it is); else the
/// first 23 … 1 bits among the range keys. A range is found at the longest prefix that
/// equals its key, which may be longer than the range's own mask (`IPv4mcast_00` for
/// 01:00:5e:00:00:00).
fn lookup(mac: [u8; 6]) -> Option<(&'static str, usize)> {
    // The same few addresses come back frame after frame: remember the last answer.
    type Last = std::cell::Cell<Option<([u8; 6], Option<(&'static str, usize)>)>>;
    thread_local!(static LAST: Last = const { std::cell::Cell::new(None) });
    if let Some((m, r)) = LAST.with(std::cell::Cell::get)
        && m == mac
    {
        return r;
    }
    let r = lookup_uncached(mac);
    LAST.with(|l| l.set(Some((mac, r))));
    r
}

fn lookup_uncached(mac: [u8; 6]) -> Option<(&'static str, usize)> {
    let t = table();
    let m = mac_u64(mac);
    if let Some(n) = t.find(&t.exact, m) {
        return Some((n, 48));
    }
    if t.has_prefix((m >> 24) as u32) {
        for bits in (24..48).rev() {
            if let Some(n) = t.range(m, bits) {
                return Some((n, bits));
            }
        }
    }
    // A group address not listed itself takes its vendor's name (the group bit cleared).
    let oui = (m >> 24) as u32;
    let entry = t.vendor_entry(oui).or_else(|| if oui & 0x01_0000 != 0 { t.vendor_entry(oui & 0xFE_FFFF) } else { None });
    if let Some((short, _)) = entry {
        return t.name(short).map(|n| (n, 24));
    }
    for bits in (1..24).rev() {
        if let Some(n) = t.range(m, bits) {
            return Some((n, bits));
        }
    }
    None
}

/// The name Wireshark gives the address's vendor or well-known range (`IntelCor`,
/// `Broadcast`, `IPv4mcast`), if it has one.
pub fn vendor(mac: [u8; 6]) -> Option<&'static str> {
    lookup(mac).map(|(n, _)| n)
}

/// The address as Wireshark's MAC name resolution prints it (`eth.src_resolved`):
/// `IntelCor_5b:7d:4a`, `Broadcast`, `IPv6mcast_00:00:00:fb`, or the plain address when
/// nothing matches.
pub fn resolved(mac: [u8; 6]) -> String {
    let mut s = String::with_capacity(24);
    push_resolved(&mut s, mac);
    s
}

/// Appends [`resolved`]'s text.
pub fn push_resolved(s: &mut String, mac: [u8; 6]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let Some((name, bits)) = lookup(mac) else {
        super::push_ether(s, mac);
        return;
    };
    s.push_str(name);
    if bits == 48 {
        return;
    }
    // The bytes from the first one the matched prefix does not cover in full, that one
    // masked to its bits past the prefix (a vendor: the last three bytes).
    let first = bits / 8;
    let free = 8 - bits % 8;
    s.push('_');
    for (k, &b) in mac.iter().enumerate().skip(first) {
        if k > first {
            s.push(':');
        }
        let b = if k == first { b & (0xFFu16 >> (8 - free)) as u8 } else { b };
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
}

/// The registry's (long) name of the vendor that owns the first three bytes of an address
/// (`eth.src.oui_resolved`: `Intel Corporate`), if those three bytes are listed as they are
/// (a group address's vendor is not looked up with the group bit cleared here, unlike
/// [`resolved`]: Wireshark's `get_manuf_name_if_known`).
pub fn oui_name(oui: [u8; 3]) -> Option<&'static str> {
    // Every Ethernet header asks for two (destination and source), and the same few vendors
    // come back frame after frame: remember the last two answers rather than search the
    // table each time.
    type Last = std::cell::Cell<[Option<([u8; 3], Option<&'static str>)>; 2]>;
    thread_local!(static LAST: Last = const { std::cell::Cell::new([None, None]) });
    let mut last = LAST.with(std::cell::Cell::get);
    for (m, r) in last.iter().flatten() {
        if *m == oui {
            return *r;
        }
    }
    let t = table();
    let r = t.vendor_entry(u32::from_be_bytes([0, oui[0], oui[1], oui[2]])).and_then(|(_, long)| t.name(long));
    last = [Some((oui, r)), last[0]];
    LAST.with(|l| l.set(last));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected texts are tshark 4.0's `eth.src_resolved` / `eth.src.oui_resolved` for the
    // same addresses.

    #[test]
    fn vendors_and_well_known_addresses_resolve_as_wireshark() {
        assert_eq!(resolved([0x00, 0x21, 0x6a, 0x5b, 0x7d, 0x4a]), "IntelCor_5b:7d:4a");
        assert_eq!(vendor([0x00, 0x21, 0x6a, 0x5b, 0x7d, 0x4a]), Some("IntelCor"));
        assert_eq!(oui_name([0x00, 0x21, 0x6a]), Some("Intel Corporate"));
        assert_eq!(resolved([0xff; 6]), "Broadcast");
        assert_eq!(oui_name([0xff; 3]), None);
        assert_eq!(resolved([0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa]), "IPv4mcast_7f:ff:fa");
        // The longest prefix equal to a range key decides: 01:00:5e:00:00:00 is the
        // IPv4mcast key itself.
        assert_eq!(resolved([0x01, 0x00, 0x5e, 0x00, 0x00, 0x00]), "IPv4mcast_00");
        assert_eq!(resolved([0x33, 0x33, 0x00, 0x00, 0x00, 0xfb]), "IPv6mcast_fb");
        assert_eq!(resolved([0x01, 0x80, 0xc2, 0x00, 0x00, 0x00]), "Spanning-tree-(for-bridges)_00");
    }

    #[test]
    fn unknown_addresses_print_plain() {
        assert_eq!(resolved([0x02, 0x42, 0xac, 0x11, 0x00, 0x02]), "02:42:ac:11:00:02");
        assert_eq!(vendor([0x02, 0x42, 0xac, 0x11, 0x00, 0x02]), None);
    }

    #[test]
    fn ma_s_blocks_resolve_within_the_ieee_oui() {
        // 00:1b:c5 is the IEEE Registration Authority's OUI, split into 36-bit MA-S blocks.
        assert_eq!(resolved([0x00, 0x1b, 0xc5, 0x00, 0x00, 0x5a]), "Convergi_5a");
        assert_eq!(resolved([0x00, 0x1b, 0xc5, 0x00, 0x1f, 0x5a]), "OpenRBco_0f:5a");
        assert_eq!(oui_name([0x00, 0x1b, 0xc5]), Some("IEEE Registration Authority"));
        assert_eq!(resolved([0x70, 0xb3, 0xd5, 0x00, 0x00, 0x01]), "IEEERegi_00:00:01");
    }
}
