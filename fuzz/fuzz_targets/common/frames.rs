//! Builds Ethernet/IPv4 frames around fuzzed application bytes, so an application parser
//! is reached the way a capture reaches it (ports, TCP sequence numbers, reassembly).
use pktlab::dissect::{Dissection, Dissector, FrameMeta};

fn frame(proto: u8, sport: u16, dport: u16, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let l4 = if proto == 6 { 20 } else { 8 };
    let total = 20 + l4 + payload.len();
    let mut f = vec![0u8; 14];
    f[12] = 0x08;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, proto, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2]);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    if proto == 6 {
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 1, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    } else {
        let ul = (8 + payload.len()) as u16;
        f.extend_from_slice(&ul.to_be_bytes());
        f.extend_from_slice(&[0, 0]);
    }
    f.extend_from_slice(payload);
    f
}

/// Dissects `frames` in order with one dissector, full and then again with text (as the
/// packet list does), so reassembly and its replay both run; every field's tree label is
/// written too (the labels that read the bytes around a field run).
///
/// Then once more with `-o tcp.desegment_tcp_streams:FALSE`, every segment read on its own
/// (PDUs cut at segment ends, continuations).
fn run(frames: &[Vec<u8>]) {
    use pktlab::dissect::prefs::TCP_DESEGMENT_TCP_STREAMS;
    for desegment in [true, false] {
        TCP_DESEGMENT_TCP_STREAMS.set(desegment);
        let mut dissector = Dissector::new();
        let mut d = Dissection::default();
        for (i, f) in frames.iter().enumerate() {
            let meta = FrameMeta { number: i as u64 + 1, ts: None, orig_len: f.len() as u32, interface_id: None, link_type: Some(1), ..FrameMeta::default() };
            dissector.set_text(false);
            dissector.dissect(&meta, f, &mut d);
            dissector.set_text(true);
            dissector.dissect(&meta, f, &mut d);
            let mut label = String::new();
            for idx in 0..d.fields.len() {
                label.clear();
                pktlab::dissect::label::tree_label(&d, f, idx, &mut label);
            }
        }
    }
    TCP_DESEGMENT_TCP_STREAMS.set(true);
}

/// `prefix` (already split into segments) then `data` split into TCP segments at the cut
/// points its first byte chooses, between ports `sport` and `dport`, in sequence.
pub fn tcp_stream(sport: u16, dport: u16, prefix: &[(bool, &[u8])], data: &[u8]) {
    let mut frames = Vec::new();
    let (mut cseq, mut sseq) = (1000u32, 5000u32);
    frames.push(frame(6, sport, dport, cseq - 1, 0x02, &[]));
    frames.push(frame(6, dport, sport, sseq - 1, 0x12, &[]));
    for (from_server, seg) in prefix {
        if *from_server {
            frames.push(frame(6, dport, sport, sseq, 0x18, seg));
            sseq = sseq.wrapping_add(seg.len() as u32);
        } else {
            frames.push(frame(6, sport, dport, cseq, 0x18, seg));
            cseq = cseq.wrapping_add(seg.len() as u32);
        }
    }
    let (cut, body) = data.split_first().map(|(c, b)| (*c as usize % 7 + 1, b)).unwrap_or((1, &[]));
    let size = body.len() / cut + 1;
    for (k, chunk) in body.chunks(size).enumerate() {
        // Odd chunks go the other way, so both directions reassemble.
        if k % 2 == 1 {
            frames.push(frame(6, dport, sport, sseq, 0x18, chunk));
            sseq = sseq.wrapping_add(chunk.len() as u32);
        } else {
            frames.push(frame(6, sport, dport, cseq, 0x18, chunk));
            cseq = cseq.wrapping_add(chunk.len() as u32);
        }
    }
    frames.push(frame(6, dport, sport, sseq, 0x11, &[]));
    run(&frames);
}

/// `data` split into UDP datagrams at 0xff bytes, between ports `sport` and `dport`.
pub fn udp_datagrams(sport: u16, dport: u16, data: &[u8]) {
    let frames: Vec<Vec<u8>> = data.split(|b| *b == 0xff).enumerate().map(|(k, d)| if k % 2 == 0 { frame(17, sport, dport, 0, 0, d) } else { frame(17, dport, sport, 0, 0, d) }).collect();
    run(&frames);
}

/// UDP datagrams between ports `sport` (the client) and `dport`, each `(from_server, payload)`.
#[allow(dead_code)]
pub fn udp_payloads(sport: u16, dport: u16, payloads: &[(bool, Vec<u8>)]) {
    let frames: Vec<Vec<u8>> = payloads.iter().map(|(server, p)| if *server { frame(17, dport, sport, 0, 0, p) } else { frame(17, sport, dport, 0, 0, p) }).collect();
    run(&frames);
}

/// A client's `request` on one segment, then the server's `response` cut into `cut % 7 + 1`
/// segments (all from the server), between ports `sport` and `dport`.
#[allow(dead_code)]
pub fn tcp_exchange(sport: u16, dport: u16, request: &[u8], response: &[u8], cut: u8) {
    let mut frames = vec![frame(6, sport, dport, 999, 0x02, &[]), frame(6, dport, sport, 4999, 0x12, &[]), frame(6, sport, dport, 1000, 0x18, request)];
    let mut sseq = 5000u32;
    let size = response.len() / (cut as usize % 7 + 1) + 1;
    for chunk in response.chunks(size) {
        frames.push(frame(6, dport, sport, sseq, 0x18, chunk));
        sseq = sseq.wrapping_add(chunk.len() as u32);
    }
    frames.push(frame(6, dport, sport, sseq, 0x11, &[]));
    run(&frames);
}
