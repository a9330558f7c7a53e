//! Just enough header reading to summarise a raw frame the dissector left empty (`pktlab
//! live`'s fallback line): the EtherType, the IP addresses, the IP protocol and the ports.
//! Capture filters do not use it: they read the headers as libpcap does
//! ([`crate::capture_filter`]).
//!
//! Contract: never panics; a frame too short for a header simply leaves the later parts
//! `None`. IP fragments after the first carry no ports (as in BPF filters).

use crate::capture::linktype;
use std::net::IpAddr;

pub const ETHERTYPE_IPV4: u16 = 0x0800;
pub const ETHERTYPE_IPV6: u16 = 0x86DD;
pub const ETHERTYPE_ARP: u16 = 0x0806;

/// What a capture filter can ask about a frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Peek {
    pub ether_type: Option<u16>,
    pub src: Option<IpAddr>,
    pub dst: Option<IpAddr>,
    /// IPv4 protocol or IPv6 next header after the extension headers.
    pub ip_proto: Option<u8>,
    pub src_port: Option<u16>,
    pub dst_port: Option<u16>,
}

/// Reads the headers of `frame` captured with link type `link_type`.
pub fn peek(link_type: u32, frame: &[u8]) -> Peek {
    let mut p = Peek::default();
    let (ether_type, ip_at) = match link_type {
        linktype::ETHERNET => {
            let mut at = 12;
            let mut et = be16(frame, at);
            while matches!(et, Some(0x8100 | 0x88A8 | 0x9100)) {
                at += 4;
                et = be16(frame, at);
            }
            (et, at + 2)
        }
        linktype::LINUX_SLL => (be16(frame, 14), 16),
        linktype::LINUX_SLL2 => (be16(frame, 0), 20),
        linktype::NULL | linktype::LOOP => {
            let family = frame.get(0..4).map(|b| {
                let le = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                if le < 256 { le } else { u32::from_be_bytes([b[0], b[1], b[2], b[3]]) }
            });
            match family {
                Some(2) => (Some(ETHERTYPE_IPV4), 4),
                Some(10 | 24 | 28 | 30) => (Some(ETHERTYPE_IPV6), 4),
                _ => (None, 4),
            }
        }
        linktype::RAW | linktype::IPV4 | linktype::IPV6 => match frame.first().map(|b| b >> 4) {
            Some(4) => (Some(ETHERTYPE_IPV4), 0),
            Some(6) => (Some(ETHERTYPE_IPV6), 0),
            _ => (None, 0),
        },
        _ => (None, 0),
    };
    p.ether_type = ether_type;
    let ip = frame.get(ip_at..).unwrap_or(&[]);
    let l4 = match ether_type {
        Some(ETHERTYPE_IPV4) => ipv4(ip, &mut p),
        Some(ETHERTYPE_IPV6) => ipv6(ip, &mut p),
        _ => None,
    };
    if let (Some(l4), Some(6 | 17 | 132)) = (l4, p.ip_proto) {
        p.src_port = be16(l4, 0);
        p.dst_port = be16(l4, 2);
    }
    p
}

/// Fills addresses and protocol; returns the transport header if it is in this fragment.
fn ipv4<'a>(ip: &'a [u8], p: &mut Peek) -> Option<&'a [u8]> {
    if ip.len() < 20 || ip[0] >> 4 != 4 {
        return None;
    }
    p.src = Some(IpAddr::from([ip[12], ip[13], ip[14], ip[15]]));
    p.dst = Some(IpAddr::from([ip[16], ip[17], ip[18], ip[19]]));
    p.ip_proto = Some(ip[9]);
    let frag_offset = u16::from_be_bytes([ip[6], ip[7]]) & 0x1FFF;
    let ihl = usize::from(ip[0] & 0x0F) * 4;
    if frag_offset != 0 || ihl < 20 {
        return None;
    }
    ip.get(ihl..)
}

fn ipv6<'a>(ip: &'a [u8], p: &mut Peek) -> Option<&'a [u8]> {
    if ip.len() < 40 || ip[0] >> 4 != 6 {
        return None;
    }
    let addr = |at: usize| -> Option<IpAddr> {
        let b: [u8; 16] = ip.get(at..at + 16)?.try_into().ok()?;
        Some(IpAddr::from(b))
    };
    p.src = addr(8);
    p.dst = addr(24);
    let mut next = ip[6];
    let mut at = 40;
    // Hop-by-hop, routing, destination options and fragment headers, at most a few.
    for _ in 0..8 {
        match next {
            0 | 43 | 60 => {
                let h = ip.get(at..at + 2)?;
                next = h[0];
                at += (usize::from(h[1]) + 1) * 8;
            }
            44 => {
                let h = ip.get(at..at + 8)?;
                next = h[0];
                let frag_offset = u16::from_be_bytes([h[2], h[3]]) >> 3;
                at += 8;
                if frag_offset != 0 {
                    p.ip_proto = Some(next);
                    return None;
                }
            }
            _ => break,
        }
    }
    p.ip_proto = Some(next);
    ip.get(at..)
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Ethernet + IPv4 + UDP header as Linux puts it on `lo` (zero MACs).
    fn udp_frame() -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        f.extend_from_slice(&[0x45, 0, 0, 36, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2]);
        f.extend_from_slice(&[0xC3, 0x50, 0x1E, 0x62, 0, 16, 0, 0]);
        f.extend_from_slice(&[0; 8]);
        f
    }

    #[test]
    fn reads_ethernet_ipv4_udp() {
        let p = peek(linktype::ETHERNET, &udp_frame());
        assert_eq!(p.ether_type, Some(ETHERTYPE_IPV4));
        assert_eq!(p.src, Some("127.0.0.1".parse().unwrap()));
        assert_eq!(p.dst, Some("127.0.0.2".parse().unwrap()));
        assert_eq!(p.ip_proto, Some(17));
        assert_eq!((p.src_port, p.dst_port), (Some(50000), Some(7778)));
    }

    #[test]
    fn truncated_frames_never_panic() {
        let f = udp_frame();
        for n in 0..f.len() {
            for lt in [0, 1, 101, 108, 113, 228, 229, 276, 9999] {
                let _ = peek(lt, &f[..n]);
            }
        }
        assert_eq!(peek(linktype::ETHERNET, &f[..20]).src, None);
    }

    #[test]
    fn later_fragments_have_no_ports() {
        let mut f = udp_frame();
        f[14 + 6] = 0x00;
        f[14 + 7] = 0x10;
        let p = peek(linktype::ETHERNET, &f);
        assert_eq!(p.ip_proto, Some(17));
        assert_eq!(p.src_port, None);
    }
}
