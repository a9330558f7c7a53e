//! Following a stream: the payload of one TCP connection reassembled in sequence order each
//! way (retransmitted or overlapping bytes delivered once, early segments held until the gap
//! before them fills), or the datagrams of one UDP flow, and the three texts
//! `tshark -q -z follow,PROTO,MODE,N` prints (ascii, hex, raw).

use super::analyzer::TransportVerdict;
use super::tcp::{Endpoints, SYN};
use crate::dissect::model::{Dissection, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;

/// One run of new bytes from one side, as delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// 0 = the side that sent the stream's first packet, 1 = its peer.
    pub node: u8,
    pub frame: u64,
    pub data: Vec<u8>,
}

#[derive(Default, Clone, Debug)]
struct Side {
    isn: Option<u32>,
    /// Offset (from `isn`) of the next byte expected.
    next: u64,
    /// Segments that arrived before the bytes ahead of them: offset → (frame, bytes).
    pending: BTreeMap<u64, (u64, Vec<u8>)>,
}

/// The reassembly of one stream.
#[derive(Clone, Debug)]
pub struct Follow {
    pub udp: bool,
    pub stream: u32,
    pub nodes: [Option<(IpAddr, u16)>; 2],
    pub chunks: Vec<Chunk>,
    sides: [Side; 2],
}

/// The bytes of a transport layer's payload: after the header, at most the announced length.
pub fn payload<'a>(d: &'a Dissection, frame: &'a [u8], layer: usize) -> &'a [u8] {
    let Some(l) = d.layers.get(layer) else { return &[] };
    let fields = d.fields.get(l.fields.start as usize..l.fields.end as usize).unwrap_or(&[]);
    let get = |name: &str| {
        fields.iter().find(|f| f.def.abbrev == name).and_then(|f| match f.value {
            Value::UInt(n) => Some(n as usize),
            _ => None,
        })
    };
    let (hdr, len) = match l.proto {
        "tcp" => (get("tcp.hdr_len").unwrap_or(l.len as usize), get("tcp.len").unwrap_or(0)),
        "udp" => (8, get("udp.length").unwrap_or(8).saturating_sub(8)),
        _ => return &[],
    };
    let bytes = d.source_bytes(frame, l.source);
    let start = (l.offset as usize).saturating_add(hdr).min(bytes.len());
    let end = start.saturating_add(len).min(bytes.len());
    &bytes[start..end]
}

impl Follow {
    pub fn new(stream: u32, udp: bool) -> Self {
        Follow { udp, stream, nodes: [None, None], chunks: Vec::new(), sides: Default::default() }
    }

    fn node_of(&mut self, ends: &Endpoints) -> u8 {
        let src = (ends.src, ends.sport);
        if self.nodes[0].is_none() {
            self.nodes = [Some(src), Some((ends.dst, ends.dport))];
        }
        if self.nodes[0] == Some(src) { 0 } else { 1 }
    }

    /// Feeds one transport verdict of frame `frame` and the layer's payload.
    pub fn add(&mut self, frame: u64, v: &TransportVerdict, data: &[u8]) {
        match v {
            TransportVerdict::Udp(u) if self.udp && u.stream == self.stream && !u.in_error => {
                let node = self.node_of(&u.ends);
                if !data.is_empty() {
                    self.chunks.push(Chunk { node, frame, data: data.to_vec() });
                }
            }
            TransportVerdict::Tcp(t) if !self.udp && t.stream == self.stream && !t.in_error => {
                let node = self.node_of(&t.ends);
                self.add_tcp(node, frame, t.seq_raw, t.tcp_flags, data);
            }
            _ => {}
        }
    }

    fn add_tcp(&mut self, node: u8, frame: u64, seq: u32, flags: u16, data: &[u8]) {
        let syn = u32::from(flags & SYN != 0);
        let side = &mut self.sides[node as usize];
        let isn = *side.isn.get_or_insert(seq.wrapping_add(syn));
        if data.is_empty() {
            return;
        }
        let start = seq.wrapping_add(syn).wrapping_sub(isn) as u64;
        side.pending.entry(start).or_insert_with(|| (frame, data.to_vec()));
        // Deliver everything now contiguous with what was already delivered.
        while let Some((&off, _)) = side.pending.first_key_value() {
            if off > side.next {
                break;
            }
            let Some((off, (fr, bytes))) = side.pending.pop_first() else { break };
            let end = off + bytes.len() as u64;
            if end <= side.next {
                continue;
            }
            let skip = (side.next - off) as usize;
            side.next = end;
            self.chunks.push(Chunk { node, frame: fr, data: bytes[skip..].to_vec() });
        }
    }

    /// Delivers what is still held behind gaps that never filled (lost segments), in order.
    pub fn finish(&mut self) {
        for node in 0..2u8 {
            let side = &mut self.sides[node as usize];
            while let Some((off, (fr, bytes))) = side.pending.pop_first() {
                let end = off + bytes.len() as u64;
                if end <= side.next {
                    continue;
                }
                let skip = side.next.saturating_sub(off) as usize;
                side.next = end;
                self.chunks.push(Chunk { node, frame: fr, data: bytes[skip..].to_vec() });
            }
        }
    }

    /// All bytes of one side, in order.
    pub fn bytes(&self, node: u8) -> Vec<u8> {
        self.chunks.iter().filter(|c| c.node == node).flat_map(|c| c.data.iter().copied()).collect()
    }

    /// The text tshark 4.0 prints for `-z follow,PROTO,MODE,N`: ASCII keeps only CR and LF of
    /// the non-printable bytes, hex offsets are upper-case and count each side's bytes, the
    /// second node's lines are indented by a tab.
    pub fn render(&self, mode: Mode) -> String {
        let proto = if self.udp { "udp" } else { "tcp" };
        let rule = "=".repeat(67);
        let mut s = String::new();
        let _ = writeln!(s, "\n{rule}\nFollow: {proto},{}\nFilter: {proto}.stream eq {}", mode.name(), self.stream);
        for (i, n) in self.nodes.iter().enumerate() {
            match n {
                Some((ip, port)) if ip.is_ipv6() => {
                    let _ = writeln!(s, "Node {i}: [{ip}]:{port}");
                }
                Some((ip, port)) => {
                    let _ = writeln!(s, "Node {i}: {ip}:{port}");
                }
                None => {
                    let _ = writeln!(s, "Node {i}: :0");
                }
            }
        }
        let mut pos = [0usize; 2];
        for c in &self.chunks {
            let side = usize::from(c.node == 1);
            let indent = if side == 1 { "\t" } else { "" };
            match mode {
                Mode::Ascii => {
                    let _ = writeln!(s, "{indent}{}", c.data.len());
                    s.push_str(&ascii(&c.data));
                    s.push('\n');
                }
                Mode::Hex => {
                    for (li, line) in c.data.chunks(16).enumerate() {
                        let _ = writeln!(s, "{indent}{}", hex_line(pos[side] + li * 16, line));
                    }
                }
                Mode::Raw => {
                    s.push_str(indent);
                    for b in &c.data {
                        let _ = write!(s, "{b:02x}");
                    }
                    s.push('\n');
                }
            }
            pos[side] += c.data.len();
        }
        let _ = writeln!(s, "{rule}");
        s
    }
}

/// Payload bytes as tshark's ASCII follow shows them: printable ASCII, CR and LF as they
/// are, every other byte as `.`.
pub fn ascii(data: &[u8]) -> String {
    data.iter().map(|&b| if b == b'\n' || b == b'\r' || (0x20..0x7f).contains(&b) { b as char } else { '.' }).collect()
}

/// One line of a hex dump as tshark's follow prints it: the offset (upper-case hex), 16 bytes
/// in two groups of eight, then the printable characters in two groups.
pub fn hex_line(offset: usize, bytes: &[u8]) -> String {
    let mut s = format!("{offset:08X}  ");
    push_hex_and_text(&mut s, bytes);
    s
}

/// The part of a hex-dump line after its offset: up to 16 bytes in two groups of eight, then
/// the printable characters in two groups.
pub fn push_hex_and_text(s: &mut String, bytes: &[u8]) {
    for i in 0..16 {
        match bytes.get(i) {
            Some(b) => {
                let _ = write!(s, "{b:02x} ");
            }
            None => s.push_str("   "),
        }
        if i == 7 {
            s.push(' ');
        }
    }
    s.push(' ');
    for (i, &b) in bytes.iter().enumerate() {
        if i == 8 {
            s.push(' ');
        }
        s.push(if (0x20..0x7f).contains(&b) { b as char } else { '.' });
    }
}

/// Output format of a followed stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Ascii,
    Hex,
    Raw,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Ascii => "ascii",
            Mode::Hex => "hex",
            Mode::Raw => "raw",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tcp::{ACK, TcpVerdict};
    use std::net::Ipv4Addr;

    fn seg(from_client: bool, seq: u32, flags: u16) -> TransportVerdict {
        let (a, b) = (IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)));
        let ends = if from_client {
            Endpoints { src: a, dst: b, sport: 5000, dport: 80 }
        } else {
            Endpoints { src: b, dst: a, sport: 80, dport: 5000 }
        };
        TransportVerdict::Tcp(TcpVerdict { ends, seq_raw: seq, tcp_flags: flags, ..Default::default() })
    }

    #[test]
    fn retransmitted_and_early_bytes_come_out_once_in_order() {
        let mut f = Follow::new(0, false);
        f.add(1, &seg(true, 100, SYN), b"");
        f.add(2, &seg(false, 900, SYN | ACK), b"");
        f.add(3, &seg(true, 101, ACK), b"hello ");
        f.add(4, &seg(true, 111, ACK), b"d!"); // early: bytes 10..12
        f.add(5, &seg(true, 101, ACK), b"hello "); // retransmission
        f.add(6, &seg(true, 105, ACK), b"o worl"); // overlaps 4 bytes
        f.add(7, &seg(false, 901, ACK), b"ok");
        f.finish();
        assert_eq!(f.bytes(0), b"hello world!");
        assert_eq!(f.bytes(1), b"ok");
        let frames: Vec<u64> = f.chunks.iter().map(|c| c.frame).collect();
        assert_eq!(frames, [3, 6, 4, 7]);
    }

    #[test]
    fn hex_line_pads_a_short_last_line() {
        let line = hex_line(0x80, b"live\r\n\r\n");
        assert_eq!(line, "00000080  6c 69 76 65 0d 0a 0d 0a                           live....");
    }
}
