//! The Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers of TCP, UDP and ICMPv6.

/// One's-complement sum of `data` (odd length padded with a zero byte), folded to 32 bits.
/// Eight bytes at a time, as two 32-bit words: 2^16 is 1 modulo 0xffff, so the sum of the
/// 32-bit words folds to what the 16-bit words sum to (and a sum of anything but zeros folds
/// to 1..=0xffff either way, the same value).
pub fn sum(data: &[u8], acc: u32) -> u32 {
    let mut wide: u64 = acc as u64;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let w = <[u8; 8]>::try_from(c).map_or(0, u64::from_be_bytes);
        wide += (w >> 32) + (w & 0xffff_ffff);
    }
    let mut pairs = chunks.remainder().chunks_exact(2);
    for c in &mut pairs {
        wide += u16::from_be_bytes([c[0], c[1]]) as u64;
    }
    if let [b] = pairs.remainder() {
        wide += (*b as u64) << 8;
    }
    while wide > 0xffff_ffff {
        wide = (wide & 0xffff_ffff) + (wide >> 32);
    }
    wide as u32
}

/// Folds a 32-bit sum to 16 bits and complements it: the checksum to put in a header
/// (computed with the checksum field zeroed), or 0 if a header including its checksum is good.
pub fn finish(acc: u32) -> u16 {
    let mut s = acc;
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

/// The sum of an IPv4 pseudo-header.
pub fn pseudo_v4(src: [u8; 4], dst: [u8; 4], proto: u8, len: u32) -> u32 {
    pseudo(&src, &dst, proto, len)
}

/// The sum of an IPv6 pseudo-header.
pub fn pseudo_v6(src: [u8; 16], dst: [u8; 16], next: u8, len: u32) -> u32 {
    pseudo(&src, &dst, next, len)
}

/// The addresses, the protocol (the low byte of a word) and the length's two words, summed
/// with their carries (the addresses alone can sum to near 2^32: added to a plain `u32`,
/// the rest overflowed).
fn pseudo(src: &[u8], dst: &[u8], proto: u8, len: u32) -> u32 {
    let acc = sum(dst, sum(src, 0));
    let [a, b, c, d] = len.to_be_bytes();
    sum(&[0, proto, a, b, c, d], acc)
}

/// Whether `data` (with the checksum field at `field_at`, 2 bytes) sums to a good checksum,
/// and the value the field should hold, as Wireshark's `in_cksum_shouldbe` gives it: the
/// stored value plus the checksum of the whole (the complement of the sum of everything but
/// the field), added with end-around carry. One's complement has two zeros, and which one
/// this gives matters: where the sum of the rest is zero it says 0xffff, never 0x0000 (tshark:
/// `should be 0xffff`). One pass over the bytes for both.
pub fn verify(pseudo: u32, data: &[u8], field_at: usize) -> (bool, u16) {
    let computed = finish(sum(data, pseudo));
    let stored = data.get(field_at..field_at + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).unwrap_or(0);
    let mut s = u32::from(stored) + u32::from(computed);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    (computed == 0, s as u16)
}

/// Checksum verdicts, numbered as tshark's `*.checksum.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Bad = 0,
    Good = 1,
    Unverified = 2,
    NotPresent = 3,
}

/// The expert message of a wrong checksum, `Bad checksum [should be 0x1a2b]` (built without
/// `format!`: on loopback captures with offloaded checksums every frame carries one).
pub(crate) fn bad_message(calc: u16) -> String {
    let mut m = String::with_capacity(32);
    m.push_str("Bad checksum [should be ");
    super::push_hex_w(&mut m, calc as u64, 4);
    m.push(']');
    m
}

#[cfg(test)]
mod tests {
    #[test]
    fn pseudo_headers_of_addresses_summing_near_the_top_carry() {
        // Addresses of all ones sum to 0xffff per word: the pseudo-header's sum must fold
        // (it overflowed a u32 before), and equal the sum of its bytes laid out.
        let ones = [0xff; 16];
        let by_bytes = super::sum(&[&ones[..], &ones[..], &[0, 0, 0, 0x28, 0, 0, 0, 6]].concat(), 0);
        assert_eq!(super::finish(super::pseudo_v6(ones, ones, 6, 0x28)), super::finish(by_bytes));
        let v4 = super::sum(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 17, 0, 8], 0);
        assert_eq!(super::finish(super::pseudo_v4([0xff; 4], [0xff; 4], 17, 8)), super::finish(v4));
    }

    use super::*;

    #[test]
    fn rfc1071_example() {
        // The example of RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        let d = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(finish(sum(&d, 0)), !0xddf2);
    }

    #[test]
    fn expected_ignores_the_stored_field() {
        let mut d = [0x45u8, 0, 0, 0x54, 0, 0, 0x40, 0, 0x40, 1, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1];
        let (good, c) = verify(0, &d, 10);
        assert!(!good);
        d[10..12].copy_from_slice(&c.to_be_bytes());
        assert_eq!(finish(sum(&d, 0)), 0);
        assert_eq!(verify(0, &d, 10), (true, c));
    }

    /// The value a wrong checksum should have is Wireshark's `in_cksum_shouldbe`, zero
    /// written as 0xffff: a UDP datagram whose other bytes sum to 0xffff (its checksum field
    /// should hold 0xffff, never 0x0000, which would mean "no checksum") and, for any
    /// bytes, the value that makes the whole sum good.
    #[test]
    fn should_be_is_wiresharks_in_cksum_shouldbe() {
        // Source port 0xfff0, destination 0x000f (together 0xffff), length zero, checksum
        // field 0x1234 (wrong): the rest sums to 0xffff, whose complement is zero, written
        // 0xffff (0x0000 would mean "no checksum").
        let d = [0xff, 0xf0, 0x00, 0x0f, 0x00, 0x00, 0x12, 0x34];
        assert_eq!(verify(0, &d, 6), (false, 0xffff));
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for len in [8usize, 20, 33, 64] {
            for _ in 0..200 {
                let mut d: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        x as u8
                    })
                    .collect();
                let (good, calc) = verify(7, &d, 2);
                // Wireshark's formula, written out: stored + computed with end-around carry.
                let stored = u32::from(u16::from_be_bytes([d[2], d[3]]));
                let computed = u32::from(finish(sum(&d, 7)));
                let mut w = stored + computed;
                w = (w & 0xffff) + (w >> 16);
                w = (w & 0xffff) + (w >> 16);
                assert_eq!((good, calc), (computed == 0, w as u16));
                if !good {
                    d[2..4].copy_from_slice(&calc.to_be_bytes());
                    assert_eq!(finish(sum(&d, 7)), 0, "the value it should be makes the sum good");
                }
            }
        }
    }

    /// The sum eight bytes at a time gives what the sum two bytes at a time (RFC 1071's
    /// loop) gives: the checksum and the verdict, for every length up to 80 and bytes of
    /// all kinds (zeros, all ones, pseudo-random), with and without a pseudo-header sum.
    #[test]
    fn the_wide_sum_is_the_sum_of_16_bit_words() {
        fn reference(data: &[u8], acc: u32) -> u16 {
            let mut s = acc as u64;
            for (i, b) in data.iter().enumerate() {
                s += if i % 2 == 0 { (*b as u64) << 8 } else { *b as u64 };
            }
            while s > 0xffff {
                s = (s & 0xffff) + (s >> 16);
            }
            !(s as u16)
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        };
        for len in 0..80 {
            for kind in 0..4 {
                let data: Vec<u8> = (0..len).map(|_| match kind { 0 => 0, 1 => 0xff, _ => next() }).collect();
                for acc in [0u32, 1, 0xffff, 0x1_fffe, 0xdead_beef] {
                    assert_eq!(finish(sum(&data, acc)), reference(&data, acc), "{len} bytes, kind {kind}, acc {acc:#x}");
                }
            }
        }
    }
}
