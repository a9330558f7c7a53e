//! Application PDUs over TCP (HTTP, WebSocket, TLS), reassembled as tshark does by default:
//! a PDU that spans segments is dissected on the frame whose segment completes it, from a
//! reassembled buffer; the frames before show `[TCP segment of a reassembled PDU]`. A segment
//! may also end one PDU and hold several more.
//!
//! The state is kept per connection (which protocol it speaks, each direction's next
//! sequence number and unfinished PDU), and what each frame's segment yielded is kept by
//! frame number, so that dissecting a frame again (text after a lean first look, a click in
//! the packet list) gives the same layers without disturbing the streams.

use super::ip::Pseudo;
use super::{Ctx, http, tls, websocket};
use std::collections::HashMap;
use std::sync::Arc;

/// The protocol a TCP connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum App {
    Http,
    Tls,
    WebSocket,
}

/// What a protocol's framing says about bytes that start a PDU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// A whole PDU of this many bytes is there.
    Done(usize),
    /// The PDU goes on past these bytes.
    More,
    /// These bytes do not start a PDU of the protocol.
    NotMine,
}

/// Per-PDU facts decided while reading the stream in order (what the PDU alone cannot tell).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PduState {
    /// TLS: a ChangeCipherSpec went this way before, so handshake records are encrypted.
    pub encrypted: bool,
    /// HTTP: this response answers a HEAD request (no body).
    pub head: bool,
    /// HTTP: the body runs until the connection closes (shown on the frame with the FIN).
    pub until_fin: bool,
    /// TLS: the server chose TLS 1.3 (encrypted records show an opaque type).
    pub tls13: bool,
}

/// One PDU of a frame: its bytes in the frame (offsets into the TCP payload) or a buffer
/// reassembled from several segments.
#[derive(Clone, Debug)]
enum Bytes {
    Frame(usize, usize),
    Reassembled(Arc<Vec<u8>>),
}

#[derive(Clone, Debug)]
struct Unit {
    app: App,
    bytes: Bytes,
    state: PduState,
}

/// What one frame's segment yielded.
#[derive(Clone, Debug, Default)]
struct Outcome {
    units: Vec<Unit>,
    /// The segment's last bytes start (or continue) a PDU that ends in a later frame.
    continues: bool,
}

#[derive(Default)]
struct Dir {
    next: Option<u32>,
    pending: Vec<u8>,
    pending_state: PduState,
    /// TLS: a ChangeCipherSpec record went this way.
    ccs: bool,
}

#[derive(Default)]
struct Conv {
    app: Option<App>,
    dirs: [Dir; 2],
    /// HTTP: methods of requests not yet answered (HEAD responses have no body).
    heads: std::collections::VecDeque<bool>,
    /// HTTP: a `101 Switching Protocols` to WebSocket was seen.
    upgraded: bool,
    /// TLS: the ServerHello chose TLS 1.3.
    tls13: bool,
    /// The client's SYN sequence number (a SYN with another one starts a new connection).
    syn: Option<u32>,
}

/// Connections by their two endpoints (lower endpoint first); outcomes by frame number.
#[derive(Default)]
pub struct Streams {
    convs: HashMap<([u8; 16], u16, [u8; 16], u16), Conv>,
    done: HashMap<u64, Outcome>,
    /// The highest frame number whose segment was read.
    last: u64,
}

/// Connections tracked at once; past this they are all forgotten (a SYN flood must not grow
/// the table without bound).
const MAX_CONVS: usize = 1 << 20;
/// Outcomes kept for dissecting frames again; past this the oldest are forgotten.
const MAX_OUTCOMES: usize = 1 << 20;
/// An unfinished PDU is given up past this size.
const MAX_PDU: usize = 16 << 20;

fn addrs(p: Pseudo) -> ([u8; 16], [u8; 16]) {
    match p {
        Pseudo::V4(s, d) => {
            let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
            a[..4].copy_from_slice(&s);
            b[..4].copy_from_slice(&d);
            (a, b)
        }
        Pseudo::V6(s, d) => (s, d),
    }
}

/// `a < b` in sequence space.
fn lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// The protocol ports or the first bytes name (tshark's port tables, then its heuristics).
fn detect(payload: &[u8], sport: u16, dport: u16) -> Option<App> {
    let port = |p: u16| sport == p || dport == p;
    if tls::PORTS.iter().any(|p| port(*p)) && tls::looks_like(payload) {
        return Some(App::Tls);
    }
    if http::PORTS.iter().any(|p| port(*p)) || http::looks_like(payload) {
        return http::looks_like(payload).then_some(App::Http);
    }
    if tls::looks_like_hello(payload) {
        return Some(App::Tls);
    }
    None
}

fn pdu_len(app: App, buf: &[u8], st: PduState) -> Need {
    match app {
        App::Http => http::pdu_len(buf, st),
        App::Tls => tls::pdu_len(buf),
        App::WebSocket => websocket::pdu_len(buf),
    }
}

/// Dissects the TCP payload `pstart..pend` of `data` as an application protocol, if its
/// connection speaks one. Returns false (adding nothing) when it does not, or when the
/// reader of the dissection wants no application field.
#[allow(clippy::too_many_arguments)]
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], pstart: usize, pend: usize, pseudo: Pseudo, sport: u16, dport: u16, seq: u32, flags: u16) -> bool {
    if !cx.app_wanted() {
        return false;
    }
    let frame = cx.frame_number;
    if let Some(o) = cx.streams.done.get(&frame) {
        let o = o.clone();
        cx.out.stateful = true;
        show(cx, data, pstart, &o);
        return true;
    }
    if frame <= cx.streams.last && frame != 0 {
        // Read before and nothing application-level was found.
        return false;
    }
    let Some(payload) = data.get(pstart..pend) else { return false };
    // On an HTTP or TLS port a segment may continue a PDU begun in frames a partial reader
    // (one of several threads) did not see: it depends on earlier frames either way.
    let port = |p: u16| sport == p || dport == p;
    if http::PORTS.iter().chain(tls::PORTS).any(|p| port(*p)) {
        cx.out.stateful = true;
    }
    let o = read(cx.streams, payload, pseudo, sport, dport, seq, flags);
    cx.streams.last = cx.streams.last.max(frame);
    let Some(o) = o else { return false };
    cx.out.stateful = true;
    if cx.streams.done.len() >= MAX_OUTCOMES {
        cx.streams.done.clear();
    }
    cx.streams.done.insert(frame, o.clone());
    show(cx, data, pstart, &o);
    true
}

fn key_of(pseudo: Pseudo, sport: u16, dport: u16) -> (([u8; 16], u16, [u8; 16], u16), usize) {
    let (src, dst) = addrs(pseudo);
    if (src, sport) <= (dst, dport) { ((src, sport, dst, dport), 0) } else { ((dst, dport, src, sport), 1) }
}

/// A SYN: the sequence space of its direction starts here (data at or before it is old, as
/// tshark's reassembly sees it), and a SYN with a new ISN starts a new connection.
pub(crate) fn syn(cx: &mut Ctx, pseudo: Pseudo, sport: u16, dport: u16, seq: u32, flags: u16) {
    if !cx.app_wanted() {
        return;
    }
    let frame = cx.frame_number;
    // (Read again after later segments: nothing to learn.)
    if frame <= cx.streams.last && frame != 0 {
        return;
    }
    // Later segments' reassembly depends on it.
    cx.out.stateful = true;
    if cx.streams.convs.len() >= MAX_CONVS {
        cx.streams.convs.clear();
    }
    let (key, dir) = key_of(pseudo, sport, dport);
    let conv = cx.streams.convs.entry(key).or_default();
    if flags & 0x10 == 0 {
        if conv.syn.is_some_and(|s| s != seq) {
            *conv = Conv::default();
        }
        conv.syn = Some(seq);
    }
    advance(&mut conv.dirs[dir], seq.wrapping_add(1));
}

/// Moves a direction's next sequence number up to `end` (never back).
fn advance(d: &mut Dir, end: u32) {
    if d.next.is_none_or(|n| lt(n, end)) {
        d.next = Some(end);
    }
}

/// A FIN without payload: finishes a PDU that runs until the connection closes.
pub(crate) fn fin(cx: &mut Ctx, pseudo: Pseudo, sport: u16, dport: u16) {
    if !cx.app_wanted() {
        return;
    }
    let frame = cx.frame_number;
    if let Some(o) = cx.streams.done.get(&frame) {
        let o = o.clone();
        cx.out.stateful = true;
        show(cx, &[], 0, &o);
        return;
    }
    if frame <= cx.streams.last && frame != 0 {
        return;
    }
    cx.streams.last = frame;
    let (key, dir) = key_of(pseudo, sport, dport);
    let Some(conv) = cx.streams.convs.get_mut(&key) else { return };
    let Some(app) = conv.app else { return };
    let d = &mut conv.dirs[dir];
    if d.pending.is_empty() || !d.pending_state.until_fin {
        return;
    }
    let buf = std::mem::take(&mut d.pending);
    let o = Outcome { units: vec![Unit { app, bytes: Bytes::Reassembled(Arc::new(buf)), state: d.pending_state }], continues: false };
    cx.out.stateful = true;
    cx.streams.done.insert(frame, o.clone());
    show(cx, &[], 0, &o);
}

/// Reads one segment into its connection's state; None if the connection speaks no
/// protocol pktlab reassembles.
fn read(streams: &mut Streams, payload: &[u8], pseudo: Pseudo, sport: u16, dport: u16, seq: u32, flags: u16) -> Option<Outcome> {
    let (key, dir) = key_of(pseudo, sport, dport);
    if streams.convs.len() >= MAX_CONVS {
        streams.convs.clear();
    }
    let conv = streams.convs.entry(key).or_default();
    let seq = if flags & 0x02 != 0 { seq.wrapping_add(1) } else { seq };
    if conv.app.is_none() {
        let Some(app) = detect(payload, sport, dport) else {
            advance(&mut conv.dirs[dir], seq.wrapping_add(payload.len() as u32));
            return None;
        };
        conv.app = Some(app);
    }
    let mut app = conv.app?;
    let fin = flags & 0x01 != 0;
    let mut payload = payload;
    {
        let d = &mut conv.dirs[dir];
        let end = seq.wrapping_add(payload.len() as u32);
        match d.next {
            Some(n) if seq == n => {}
            Some(n) if lt(seq, n) => {
                if !lt(n, end) {
                    // Bytes already seen (a retransmission): read on their own.
                    return Some(retransmitted());
                }
                payload = payload.get(n.wrapping_sub(seq) as usize..).unwrap_or(&[]);
            }
            Some(_) => {
                // Bytes missing before this segment: what was pending cannot complete.
                d.pending.clear();
            }
            None => {}
        }
        advance(d, end);
    }
    let mut out = Outcome::default();
    let mut k = 0usize;
    // A PDU begun in earlier segments.
    if !conv.dirs[dir].pending.is_empty() {
        let old = conv.dirs[dir].pending.len();
        conv.dirs[dir].pending.extend_from_slice(payload);
        let st = conv.dirs[dir].pending_state;
        match pdu_len(app, &conv.dirs[dir].pending, st) {
            Need::Done(n) if n > old => {
                let mut buf = std::mem::take(&mut conv.dirs[dir].pending);
                buf.truncate(n);
                let buf = Arc::new(buf);
                after_pdu(conv, dir, app, &buf);
                out.units.push(Unit { app, bytes: Bytes::Reassembled(buf), state: st });
                k = n - old;
                app = conv.app.unwrap_or(app);
            }
            Need::More if conv.dirs[dir].pending.len() <= MAX_PDU => {
                if fin && st.until_fin {
                    let buf = Arc::new(std::mem::take(&mut conv.dirs[dir].pending));
                    out.units.push(Unit { app, bytes: Bytes::Reassembled(buf), state: st });
                    return Some(out);
                }
                out.continues = true;
                return Some(out);
            }
            _ => conv.dirs[dir].pending.clear(),
        }
    }
    while k < payload.len() {
        let rest = &payload[k..];
        let st = state_for(conv, dir, app, rest);
        match pdu_len(app, rest, st) {
            Need::Done(n) => {
                let n = n.max(1);
                after_pdu(conv, dir, app, rest.get(..n).unwrap_or(rest));
                out.units.push(Unit { app, bytes: Bytes::Frame(k, k + n), state: st });
                k += n;
                app = conv.app.unwrap_or(app);
            }
            Need::More => {
                if fin && st.until_fin {
                    out.units.push(Unit { app, bytes: Bytes::Frame(k, payload.len()), state: st });
                    return Some(out);
                }
                let d = &mut conv.dirs[dir];
                d.pending = rest.to_vec();
                d.pending_state = st;
                out.continues = true;
                break;
            }
            Need::NotMine => break,
        }
    }
    if out.units.is_empty() && !out.continues {
        return None;
    }
    Some(out)
}

/// A retransmitted segment: as tshark, its bytes are not dissected again (the frame shows
/// the TCP payload only).
fn retransmitted() -> Outcome {
    Outcome::default()
}

/// The facts a new PDU at the head of `rest` starts with.
fn state_for(conv: &mut Conv, dir: usize, app: App, rest: &[u8]) -> PduState {
    let mut st = PduState { encrypted: conv.dirs[dir].ccs, tls13: conv.tls13, ..PduState::default() };
    if app == App::Http && http::is_response(rest) {
        st.head = conv.heads.front().copied().unwrap_or(false);
        st.until_fin = http::body_until_fin(rest, st);
    }
    st
}

/// Updates the connection after a whole PDU: TLS cipher changes, HTTP request methods and
/// the switch to WebSocket.
fn after_pdu(conv: &mut Conv, dir: usize, app: App, pdu: &[u8]) {
    match app {
        App::Tls => {
            if tls::server_hello_version(pdu) == Some(0x0304) {
                conv.tls13 = true;
            }
            // Under TLS 1.3 a ChangeCipherSpec is only for middleboxes: the handshake
            // records after it (a second ClientHello after a HelloRetryRequest, the
            // ServerHello) are still plain.
            if pdu.first() == Some(&20) && !conv.tls13 {
                conv.dirs[dir].ccs = true;
            }
        }
        App::Http => {
            if http::is_response(pdu) {
                let code = http::status_code(pdu);
                if !(100..200).contains(&code) || code == 101 {
                    conv.heads.pop_front();
                }
                if code == 101 && http::upgrades_to_websocket(pdu) {
                    conv.upgraded = true;
                    conv.app = Some(App::WebSocket);
                }
            } else {
                if conv.heads.len() >= 64 {
                    conv.heads.pop_front();
                }
                conv.heads.push_back(pdu.starts_with(b"HEAD "));
            }
        }
        App::WebSocket => {}
    }
}

/// Adds the layers of an outcome (or marks the segment as part of a later PDU).
fn show(cx: &mut Ctx, data: &[u8], pstart: usize, o: &Outcome) {
    let mut first = true;
    for u in &o.units {
        match &u.bytes {
            Bytes::Frame(a, b) => {
                let (a, b) = (pstart + a, (pstart + b).min(data.len()));
                one(cx, u.app, data, a, b, u.state, first);
            }
            Bytes::Reassembled(buf) => {
                let buf: Vec<u8> = buf.as_ref().clone();
                cx.in_reassembled(buf, |cx, b| one(cx, u.app, b, 0, b.len(), u.state, first));
            }
        }
        first = false;
    }
    if o.units.is_empty() && o.continues && cx.text && cx.in_error == 0 {
        cx.out.info.push_str(" [TCP segment of a reassembled PDU]");
    }
}

fn one(cx: &mut Ctx, app: App, data: &[u8], a: usize, b: usize, st: PduState, first: bool) {
    match app {
        App::Http => http::dissect(cx, data, a, b, st, first),
        App::Tls => tls::dissect(cx, data, a, b, st, first),
        App::WebSocket => websocket::dissect(cx, data, a, b, first),
    }
}
