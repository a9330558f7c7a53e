//! Application PDUs over TCP, reassembled as tshark does by default:
//! a PDU that spans segments is dissected on the frame whose segment completes it, from a
//! reassembled buffer; the frames before show `[TCP segment of a reassembled PDU]`. A segment
//! may also end one PDU and hold several more.
//!
//! The state is kept per connection (which protocol it speaks, each direction's next
//! sequence number and unfinished PDU), and what each frame's segment yielded is kept by
//! frame number, so that dissecting a frame again (text after a lean first look, a click in
//! the packet list) gives the same layers without disturbing the streams.
//!
//! This is infrastructure, like IP's [`super::reassembly`]: it knows no protocol by name.
//! Each protocol it reassembles is a [`TcpApp`], its framing, the facts its PDUs carry
//! forward and its dissector; [`super::dispatch`] lists them, with the ports and heuristics
//! that say which one a connection speaks.

use super::Ctx;
use super::model::{Timestamp, Value};
use super::ip::Pseudo;
use std::collections::VecDeque;
use std::sync::Arc;

/// A protocol over TCP whose PDUs are reassembled here (the rows of `dispatch::TCP_APPS`).
pub(crate) struct TcpApp {
    /// Its layer's name, by which another protocol's `after_pdu` hands a connection to it.
    pub name: &'static str,
    /// TCP ports tshark hands to it (either side).
    pub ports: &'static [u16],
    /// Whether a connection on one of its ports speaks it, by its first payload.
    pub on_port: fn(&[u8]) -> bool,
    /// On its ports, a first payload `on_port` refuses is no protocol's: no heuristic tries it.
    pub owns_ports: bool,
    /// Bytes that start none of its PDUs are still its own: its dissector decides what they
    /// show (HTTP's continuation, or nothing), instead of the data dissector.
    pub claims_rest: bool,
    /// Whether a connection on any port speaks it, by its first payload (tshark's heuristic).
    pub heuristic: Option<fn(&[u8]) -> bool>,
    /// How long the PDU at the start of the bytes is.
    pub pdu_len: fn(&[u8], PduState) -> Need,
    /// The facts a PDU that starts with the bytes and goes direction 0 or 1 begins with, by
    /// the connection's state (None: no facts).
    pub pdu_state: Option<StateFn>,
    /// Learns from a whole PDU that went direction 0 or 1, and brings the facts it began
    /// with up to date (HTTP numbers a message when it is whole, as tshark); returns the
    /// name of the protocol the connection goes on in, if it switches (None: nothing to
    /// learn).
    pub after_pdu: Option<LearnFn>,
    /// Dissects the PDU in `a..b` of the bytes: (context, bytes, a, b, facts, whether it is
    /// the frame's first PDU).
    pub dissect: fn(&mut Ctx, &[u8], usize, usize, PduState, bool),
    /// tshark reads its PDUs with `tcp_dissect_pdus`, which shows each one's length as
    /// `[PDU Size: N]` (`tcp.pdu.size`) in the TCP tree: the length a PDU's first bytes
    /// announce (None: its header is not all there).
    pub pdu_size: Option<SizeFn>,
    /// What its dissector leaves in a frame whose segment starts a PDU a later segment
    /// finishes: tshark called it there, and it asked TCP for more bytes (TLS: its empty
    /// tree, the Info cleared; HTTP: its first line in the Info) — (context, bytes, first
    /// byte of the PDU, end of the segment's payload). None: nothing.
    pub awaited: Option<AwaitedFn>,
}

/// A [`TcpApp`]'s `pdu_size`: the length a PDU's first bytes announce.
pub(crate) type SizeFn = fn(&[u8]) -> Option<u64>;

/// A [`TcpApp`]'s `awaited`: (context, bytes, first byte of the PDU, end of the payload).
pub(crate) type AwaitedFn = fn(&mut Ctx, &[u8], usize, usize);

/// Two endpoints (addresses, ports), the lower first.
type ConvKey = ([u8; 16], u16, [u8; 16], u16);

/// A [`TcpApp`]'s `pdu_state`: (connection state, direction, the PDU's first bytes) → facts.
pub(crate) type StateFn = fn(&ConnState, usize, &[u8]) -> PduState;

/// A [`TcpApp`]'s `after_pdu`: (connection state, direction, the whole PDU, the facts it
/// began with, which it may bring up to date) → the name of the protocol the connection
/// switches to, if it does.
pub(crate) type LearnFn = fn(&mut ConnState, usize, &[u8], &mut PduState) -> Option<&'static str>;

impl std::fmt::Debug for TcpApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Every port the rows of a [`TcpApp`] table name, one bit each: whether a segment's ports
/// concern any row, without walking the rows' lists for each segment (a "decode as" range
/// may list thousands).
pub(crate) struct AppPorts([u64; 1024]);

impl AppPorts {
    /// The ports of `apps`, made once per table (tables are static) and kept.
    pub fn of(apps: &'static [TcpApp]) -> &'static AppPorts {
        type Made = Vec<(usize, &'static AppPorts)>;
        static MADE: std::sync::Mutex<Made> = std::sync::Mutex::new(Vec::new());
        let mut made = MADE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = apps.as_ptr() as usize;
        if let Some((_, p)) = made.iter().find(|(k, _)| *k == key) {
            return p;
        }
        let mut bits = Box::new(AppPorts([0; 1024]));
        for &p in apps.iter().flat_map(|a| a.ports) {
            bits.0[p as usize >> 6] |= 1 << (p & 63);
        }
        let bits: &'static AppPorts = Box::leak(bits);
        made.push((key, bits));
        bits
    }

    /// Whether some row names `port`.
    #[inline]
    pub fn has(&self, port: u16) -> bool {
        self.0[port as usize >> 6] & (1 << (port & 63)) != 0
    }
}

/// A TCP segment as the reassembly reads it: its connection, where it starts in the
/// sequence space, and its flags.
#[derive(Clone, Copy)]
pub(crate) struct Segment {
    pub pseudo: Pseudo,
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub flags: u16,
    /// The segment may join others into a PDU (false: its checksum is wrong and
    /// `-o tcp.check_checksum:TRUE` was given, so, as tshark, it is read on its own).
    pub reassemble: bool,
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
    /// HTTP: this request's number on the connection, or the number of the request this
    /// response answers (1-based).
    pub number: u32,
    /// HTTP: how many requests the connection has carried so far.
    pub total: u32,
    /// TLS: the ServerHello's ALPN chose HTTP/2 (application data is HTTP/2's).
    pub h2: bool,
    /// TLS: the version the ServerHello chose (0: not seen), for the protocol column of
    /// bytes that hold no record header.
    pub tls_version: u16,
    /// TLS: a ChangeCipherSpec from the server of a resumed session (tshark's expert item
    /// `tls.resumed` on it).
    pub resumed: bool,
    /// The PDU was read from one segment that may not join others (a bad checksum with
    /// `-o tcp.check_checksum:TRUE`): it may be cut by the segment's end, or not start a PDU
    /// at all, and the dissector shows what tshark shows of such bytes.
    pub alone: bool,
    /// Why it may not join others (tshark's `pinfo->noreassembly_reason`: " [incorrect TCP
    /// checksum]", or nothing when `-o tcp.desegment_tcp_streams:FALSE` turned reassembly off).
    pub alone_reason: &'static str,
    /// HTTP: the frame of the request this response answers (0: none), and its time.
    pub req_frame: u64,
    pub req_ts: Option<Timestamp>,
    /// HTTP: the frames of the request and response of the exchange before this message's
    /// (0: none).
    pub prev_req: u64,
    pub prev_resp: u64,
    /// HTTP: the last request with a full URI on the connection so far (frame, number; 0:
    /// none), whose URI a response shows.
    pub uri: (u64, u32),
    /// HTTP: the last request on the connection so far (frame, number; 0: none), whose URI
    /// as written a response shows when no request had a full URI.
    pub req_uri: (u64, u32),
    /// HTTP: a request line was read on the connection before (see
    /// [`ConnState::http_request_seen`]).
    pub request_seen: bool,
}

/// An HTTP request and response as tshark pairs them (`http_req_res_t`): its number on the
/// connection, the request's frame and time, the response's frame (0: not seen).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Exchange {
    pub number: u32,
    pub req_frame: u64,
    pub req_ts: Option<Timestamp>,
    pub res_frame: u64,
}

/// What a connection's PDUs so far tell about the next ones (a [`TcpApp`]'s `pdu_state` and
/// `after_pdu` read and write it).
#[derive(Debug, Default)]
pub(crate) struct ConnState {
    /// TLS: per direction, a ChangeCipherSpec record went this way.
    pub ccs: [bool; 2],
    /// TLS: the ServerHello chose TLS 1.3.
    pub tls13: bool,
    /// TLS: the ServerHello's ALPN chose HTTP/2.
    pub h2: bool,
    /// TLS: the version the ServerHello chose (0: not seen).
    pub tls_version: u16,
    /// TLS: the direction the ServerHello went (the server's), once seen.
    pub tls_server: Option<usize>,
    /// TLS: the last hello had a session ID, the ClientHello a session ticket (or a
    /// NewSessionTicket came), a ServerHelloDone was seen, and the server's ChangeCipherSpec
    /// came without one (tshark's `is_session_resumed`).
    pub tls_session_id: bool,
    pub tls_ticket: bool,
    pub tls_hello_done: bool,
    pub tls_resumed: bool,
    /// HTTP: for each request not yet answered, whether it was a HEAD (no body comes back).
    pub heads: VecDeque<bool>,
    /// HTTP: the exchanges so far (tshark's `req_res_num`), the last one and the one before
    /// it (a request starts an exchange; a response joins the last one if it has none yet,
    /// else starts one of its own).
    pub http_exchanges: u32,
    pub http_last: Option<Exchange>,
    pub http_before: Option<Exchange>,
    /// HTTP: the last request with a full URI (frame, number).
    pub http_uri: (u64, u32),
    /// HTTP: the last request (frame, number).
    pub http_req_uri: (u64, u32),
    /// HTTP: a request line was read on the connection, either way (tshark's
    /// `conv_data->request_uri`): from then on bytes that start no message are HTTP's
    /// continuation; before, HTTP takes them and shows nothing.
    pub http_request_seen: bool,
    /// The frame whose segment is being read and its time (for `pdu_state` and `after_pdu`).
    pub frame: u64,
    pub ts: Option<Timestamp>,
}

/// One PDU of a frame: its bytes in the frame (offsets into the TCP payload) or a buffer
/// reassembled from several segments.
#[derive(Clone, Debug)]
enum Bytes {
    Frame(usize, usize),
    /// A PDU reassembled from several segments: its bytes, and each segment's part (frame,
    /// bytes) in order.
    Reassembled(Arc<Vec<u8>>, Arc<[(u64, u32)]>),
}

#[derive(Clone, Debug)]
struct Unit {
    app: &'static TcpApp,
    bytes: Bytes,
    state: PduState,
}

/// What one frame's segment yielded.
#[derive(Clone, Debug, Default)]
struct Outcome {
    units: Vec<Unit>,
    /// The segment's last bytes start (or continue) a PDU that ends in a later frame.
    continues: bool,
    /// Without reassembly, the segment lies inside a PDU begun in this frame (tshark's
    /// `[Continuation to #N]`): it is not dissected.
    continuation_to: Option<u64>,
    /// The ranges of the segment's payload that are part of a reassembled PDU, that one
    /// completing here and one going on in later frames (tshark's `TCP segment data`).
    seg_data: Vec<(usize, usize)>,
    /// The protocol of a PDU begun in this segment (at this offset of its payload) that
    /// ends in a later one: tshark called its dissector here, which asked for more bytes.
    started: Option<(&'static TcpApp, usize)>,
}

/// A PDU read from a segment that could not hold it, without reassembly (tshark's
/// `tcp_multisegment_pdu` from `pdu_store_sequencenumber_of_next_pdu`): the segment's first
/// sequence number, where the next PDU starts, and the segment's frame.
#[derive(Clone, Copy, Debug)]
struct Cut {
    seq: u32,
    next_pdu: u32,
    frame: u64,
}

/// Cut PDUs remembered per direction (the latest ones matter: later segments look back).
const MAX_CUT: usize = 64;

#[derive(Default)]
struct Dir {
    next: Option<u32>,
    /// PDUs cut by their segment's end, with `-o tcp.desegment_tcp_streams:FALSE`.
    cut: Vec<Cut>,
    pending: Vec<u8>,
    pending_state: PduState,
    /// Each segment's part of `pending`: (frame, bytes).
    pending_parts: Vec<(u64, u32)>,
}

#[derive(Default)]
struct Conv {
    app: Option<&'static TcpApp>,
    dirs: [Dir; 2],
    state: ConnState,
    /// The client's SYN sequence number (a SYN with another one starts a new connection).
    syn: Option<u32>,
}

impl Streams {
    /// Whether the connection was found to speak one of the protocols.
    pub(crate) fn speaks(&self, flow: &super::Flow) -> bool {
        self.any_app && self.convs.get(&flow.key()).is_some_and(|c| c.app.is_some())
    }
}

/// Connections by their two endpoints (lower endpoint first); outcomes by frame number.
#[derive(Default)]
pub struct Streams {
    convs: foldhash::HashMap<ConvKey, Conv>,
    done: foldhash::HashMap<u64, Outcome>,
    /// The highest frame number whose segment was read.
    last: u64,
    /// Some connection of `convs` was found to speak one of the protocols (a lookup in
    /// [`Streams::speaks`] is needless until one is).
    any_app: bool,
    /// HTTP: each request's full URI by (frame, request number), for the response's
    /// `[Request URI]`.
    pub(crate) http_uris: foldhash::HashMap<(u64, u32), Box<str>>,
    /// HTTP: each request's URI as written (no Host header needed), by the same key.
    pub(crate) http_req_uris: foldhash::HashMap<(u64, u32), Box<str>>,
    /// SSDP (HTTP over UDP): per conversation, the requests so far and the last one's frame;
    /// per frame, what its request was given (number, previous request's frame).
    pub(crate) udp_http: foldhash::HashMap<ConvKey, (u32, u64)>,
    pub(crate) udp_http_done: foldhash::HashMap<u64, (u32, u64)>,
}

/// Connections tracked at once; past this they are all forgotten (a SYN flood must not grow
/// the table without bound).
const MAX_CONVS: usize = 1 << 20;
/// Outcomes kept for dissecting frames again; past this the oldest are forgotten.
const MAX_OUTCOMES: usize = 1 << 20;
/// An unfinished PDU is given up past this size.
const MAX_PDU: usize = 16 << 20;

/// A segment's addresses, in 16 bytes each (IPv4 in the first 4).
pub(crate) fn addrs(p: Pseudo) -> ([u8; 16], [u8; 16]) {
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

/// The protocol a connection speaks, by its first payload: of `apps` whose port either side
/// uses, in order, the first whose look it has (one that owns its ports ends the search
/// there); else the first whose heuristic takes it.
/// `on_ports`: some row names one of the ports (else only the heuristics can take it).
fn detect(apps: &'static [TcpApp], on_ports: bool, payload: &[u8], sport: u16, dport: u16) -> Option<&'static TcpApp> {
    for app in apps.iter().filter(|_| on_ports) {
        if app.ports.iter().any(|&p| p == sport || p == dport) {
            if (app.on_port)(payload) {
                return Some(app);
            }
            if app.owns_ports {
                return None;
            }
        }
    }
    apps.iter().find(|app| app.heuristic.is_some_and(|looks| looks(payload)))
}

/// Dissects the TCP payload `pstart..pend` of `data` as one of `apps`, if its connection
/// speaks one. Returns false (adding nothing) when it does not, or when the reader of the
/// dissection wants no application field.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], pstart: usize, pend: usize, seg: Segment) -> bool {
    let apps = cx.tcp_apps;
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
    // On a port of one of the protocols a segment may continue a PDU begun in frames a
    // partial reader (one of several threads) did not see: it depends on earlier frames
    // either way.
    let ports = cx.tcp_app_ports;
    let on_ports = ports.has(seg.sport) || ports.has(seg.dport);
    if on_ports {
        cx.out.stateful = true;
    }
    let o = read(cx.streams, apps, on_ports, payload, seg, (frame, cx.ts));
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

fn key_of(seg: Segment) -> (ConvKey, usize) {
    let (src, dst) = addrs(seg.pseudo);
    super::Flow { src: (src, seg.sport), dst: (dst, seg.dport), tcp: true }.key_dir()
}

/// A SYN: the sequence space of its direction starts here (data at or before it is old, as
/// tshark's reassembly sees it), and a SYN with a new ISN starts a new connection.
pub(crate) fn syn(cx: &mut Ctx, seg: Segment) {
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
    let (key, dir) = key_of(seg);
    let conv = cx.streams.convs.entry(key).or_default();
    if seg.flags & 0x10 == 0 {
        if conv.syn.is_some_and(|s| s != seg.seq) {
            *conv = Conv::default();
        }
        conv.syn = Some(seg.seq);
    }
    advance(&mut conv.dirs[dir], seg.seq.wrapping_add(1));
}

/// Moves a direction's next sequence number up to `end` (never back).
fn advance(d: &mut Dir, end: u32) {
    if d.next.is_none_or(|n| lt(n, end)) {
        d.next = Some(end);
    }
}

/// A FIN without payload: finishes a PDU that runs until the connection closes.
pub(crate) fn fin(cx: &mut Ctx, seg: Segment) {
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
    let (key, dir) = key_of(seg);
    let Some(conv) = cx.streams.convs.get_mut(&key) else { return };
    let Some(app) = conv.app else { return };
    let d = &mut conv.dirs[dir];
    if d.pending.is_empty() || !d.pending_state.until_fin {
        return;
    }
    let buf = std::mem::take(&mut d.pending);
    // (The FIN's segment is a part of the PDU too, with no data: `[Frame: N (no data)]`.)
    let mut parts = std::mem::take(&mut d.pending_parts);
    parts.push((frame, 0));
    let parts: Arc<[(u64, u32)]> = parts.into();
    let o = Outcome { units: vec![Unit { app, bytes: Bytes::Reassembled(Arc::new(buf), parts), state: d.pending_state }], continues: false, seg_data: Vec::new(), continuation_to: None, started: None };
    cx.out.stateful = true;
    cx.streams.done.insert(frame, o.clone());
    show(cx, &[], 0, &o);
}

/// Reads one segment into its connection's state; None if the connection speaks none of
/// `apps`.
fn read(streams: &mut Streams, apps: &'static [TcpApp], on_ports: bool, payload: &[u8], seg: Segment, at: (u64, Option<Timestamp>)) -> Option<Outcome> {
    let (key, dir) = key_of(seg);
    if streams.convs.len() >= MAX_CONVS {
        streams.convs.clear();
    }
    let conv = streams.convs.entry(key).or_default();
    (conv.state.frame, conv.state.ts) = at;
    let flags = seg.flags;
    let seq = if flags & 0x02 != 0 { seg.seq.wrapping_add(1) } else { seg.seq };
    if conv.app.is_none() {
        let Some(app) = detect(apps, on_ports, payload, seg.sport, seg.dport) else {
            advance(&mut conv.dirs[dir], seq.wrapping_add(payload.len() as u32));
            return None;
        };
        conv.app = Some(app);
        streams.any_app = true;
    }
    let mut app = conv.app?;
    let mode = if !seg.reassemble {
        Mode::Alone(CHECKSUM_REASON)
    } else if !super::prefs::TCP_DESEGMENT_TCP_STREAMS.get() {
        Mode::Alone("")
    } else {
        Mode::Reassemble
    };
    let fin = flags & 0x01 != 0;
    let frame = at.0;
    let whole = payload.len();
    if let Mode::Alone(_) = mode {
        let d = &mut conv.dirs[dir];
        d.pending.clear();
        d.pending_parts.clear();
        let end = seq.wrapping_add(whole as u32);
        let mut k = 0;
        if !super::prefs::TCP_DESEGMENT_TCP_STREAMS.get() && super::prefs::TCP_ANALYZE_SEQUENCE_NUMBERS.get() {
            // tshark's `scan_for_next_pdu`: a segment inside a PDU an earlier segment began
            // (and could not hold) is only that PDU's continuation; one that ends it is read
            // from the next PDU on.
            if let Some(m) = d.cut.iter().filter(|m| lt(m.seq, seq)).max_by(|a, b| if lt(a.seq, b.seq) { std::cmp::Ordering::Less } else { std::cmp::Ordering::Greater }).copied() {
                if !lt(m.next_pdu, end) {
                    advance(d, end);
                    return Some(Outcome { continuation_to: Some(m.frame), ..Outcome::default() });
                }
                if lt(seq, m.next_pdu) {
                    k = m.next_pdu.wrapping_sub(seq) as usize;
                }
            }
            // A segment whose bytes were sent before (tshark's retransmission or
            // out-of-order segment): its payload is not dissected.
            if d.next.is_some_and(|n| lt(seq, n)) {
                return Some(retransmitted());
            }
        }
        advance(d, end);
        let read = Read { frame, fin, seq, skip: 0, whole, mode };
        return Some(pdus(conv, apps, dir, app, payload, k, read, Outcome::default()));
    }
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
                d.pending_parts.clear();
            }
            None => {}
        }
        advance(d, end);
    }
    let mut out = Outcome::default();
    // (Offsets of the bytes trimmed as already seen, for `seg_data`.)
    let skip = whole - payload.len();
    let mut k = 0usize;
    // A PDU begun in earlier segments.
    if !conv.dirs[dir].pending.is_empty() {
        let d = &mut conv.dirs[dir];
        let old = d.pending.len();
        d.pending.extend_from_slice(payload);
        d.pending_parts.push((frame, payload.len() as u32));
        let mut st = d.pending_state;
        match (app.pdu_len)(&d.pending, st) {
            Need::Done(n) if n > old => {
                let mut buf = std::mem::take(&mut d.pending);
                let mut parts = std::mem::take(&mut d.pending_parts);
                buf.truncate(n);
                if let Some(last) = parts.last_mut() {
                    last.1 = (n - old) as u32;
                }
                let buf = Arc::new(buf);
                after_pdu(conv, apps, dir, app, &buf, &mut st);
                out.units.push(Unit { app, bytes: Bytes::Reassembled(buf, parts.into()), state: st });
                k = n - old;
                out.seg_data.push((skip, skip + k));
                app = conv.app.unwrap_or(app);
            }
            // Bytes its dissector waited for that start none of its PDUs after all: still its
            // own, read together (HTTP's continuation).
            Need::NotMine if app.claims_rest => {
                let buf = Arc::new(std::mem::take(&mut d.pending));
                let parts = std::mem::take(&mut d.pending_parts);
                out.units.push(Unit { app, bytes: Bytes::Reassembled(buf, parts.into()), state: st });
                out.seg_data.push((skip, whole));
                return Some(out);
            }
            Need::More if d.pending.len() <= MAX_PDU => {
                if fin && st.until_fin {
                    let buf = Arc::new(std::mem::take(&mut d.pending));
                    let parts = std::mem::take(&mut d.pending_parts);
                    out.units.push(Unit { app, bytes: Bytes::Reassembled(buf, parts.into()), state: st });
                    out.seg_data.push((skip, whole));
                    return Some(out);
                }
                out.continues = true;
                out.seg_data.push((skip, whole));
                return Some(out);
            }
            _ => {
                d.pending.clear();
                d.pending_parts.clear();
            }
        }
    }
    let out = pdus(conv, apps, dir, app, payload, k, Read { frame, fin, seq, skip, whole, mode }, out);
    if out.units.is_empty() && !out.continues {
        return None;
    }
    Some(out)
}

/// Why tshark will not reassemble a segment whose checksum is wrong (with
/// `-o tcp.check_checksum:TRUE`): its `pinfo->noreassembly_reason`.
const CHECKSUM_REASON: &str = " [incorrect TCP checksum]";

/// How a segment's PDUs are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// A PDU the segment does not finish waits for the next segments.
    Reassemble,
    /// The segment is read on its own, as tshark reads one it will not reassemble
    /// (`pinfo->can_desegment` 0: a bad checksum with `-o tcp.check_checksum:TRUE`, or
    /// `-o tcp.desegment_tcp_streams:FALSE`): the PDUs it holds from its first byte, the last
    /// one possibly cut by the segment's end, and bytes that start no PDU handed to the
    /// protocol as they are (HTTP shows them as a continuation). The connection still learns
    /// from what it reads (HTTP's requests, its upgrade). With tshark's reason for not
    /// reassembling (`pinfo->noreassembly_reason`), shown where a PDU is cut.
    Alone(&'static str),
}

/// The segment [`pdus`] reads: its frame, whether it has FIN, the sequence number of its
/// first byte, where the bytes it is given start in its payload and the payload's length,
/// and how it is read.
#[derive(Clone, Copy)]
struct Read {
    frame: u64,
    fin: bool,
    seq: u32,
    skip: usize,
    whole: usize,
    mode: Mode,
}

/// Reads the PDUs that start at `payload[k..]` into `out`: whole ones, then one the segment
/// does not finish, which waits for the next segments or, read alone, is cut here.
#[allow(clippy::too_many_arguments)]
fn pdus(conv: &mut Conv, apps: &'static [TcpApp], dir: usize, mut app: &'static TcpApp, payload: &[u8], mut k: usize, read: Read, mut out: Outcome) -> Outcome {
    let alone = match read.mode {
        Mode::Reassemble => None,
        Mode::Alone(reason) => Some(reason),
    };
    while k < payload.len() {
        let rest = &payload[k..];
        let mut st = state_for(conv, dir, app, rest);
        if let Some(reason) = alone {
            st.alone = true;
            st.alone_reason = reason;
        }
        match (app.pdu_len)(rest, st) {
            Need::Done(n) => {
                let n = n.max(1);
                after_pdu(conv, apps, dir, app, rest.get(..n).unwrap_or(rest), &mut st);
                out.units.push(Unit { app, bytes: Bytes::Frame(k, k + n), state: st });
                k += n;
                app = conv.app.unwrap_or(app);
            }
            Need::More if alone.is_some() => {
                after_pdu(conv, apps, dir, app, rest, &mut st);
                if let Some(size) = app.pdu_size.and_then(|announced| announced(rest))
                    && !super::prefs::TCP_DESEGMENT_TCP_STREAMS.get()
                    && super::prefs::TCP_ANALYZE_SEQUENCE_NUMBERS.get()
                {
                    // tshark's `tcp_dissect_pdus` tells TCP where the next PDU starts
                    // (`want_pdu_tracking`), for the segments that follow.
                    let d = &mut conv.dirs[dir];
                    if d.cut.len() >= MAX_CUT {
                        d.cut.remove(0);
                    }
                    let next_pdu = read.seq.wrapping_add(k as u32).wrapping_add(size as u32);
                    d.cut.push(Cut { seq: read.seq, next_pdu, frame: read.frame });
                }
                out.units.push(Unit { app, bytes: Bytes::Frame(k, payload.len()), state: st });
                break;
            }
            Need::More => {
                if read.fin && st.until_fin {
                    out.units.push(Unit { app, bytes: Bytes::Frame(k, payload.len()), state: st });
                    break;
                }
                let d = &mut conv.dirs[dir];
                d.pending = rest.to_vec();
                d.pending_parts = vec![(read.frame, rest.len() as u32)];
                d.pending_state = st;
                out.continues = true;
                out.seg_data.push((read.skip + k, read.whole));
                out.started = Some((app, read.skip + k));
                break;
            }
            Need::NotMine => {
                if alone.is_some() || app.claims_rest {
                    out.units.push(Unit { app, bytes: Bytes::Frame(k, payload.len()), state: st });
                }
                break;
            }
        }
    }
    out
}

/// A retransmitted segment: as tshark, its bytes are not dissected again (the frame shows
/// the TCP payload only).
fn retransmitted() -> Outcome {
    Outcome::default()
}

/// The facts a new PDU at the head of `rest` starts with.
fn state_for(conv: &Conv, dir: usize, app: &TcpApp, rest: &[u8]) -> PduState {
    app.pdu_state.map_or_else(PduState::default, |state| state(&conv.state, dir, rest))
}

/// Updates the connection after a whole PDU (TLS cipher changes, HTTP request methods) and
/// the PDU's facts (`st`), and switches the connection to the protocol the PDU hands it to
/// (WebSocket after HTTP's upgrade).
fn after_pdu(conv: &mut Conv, apps: &'static [TcpApp], dir: usize, app: &TcpApp, pdu: &[u8], st: &mut PduState) {
    let Some(learn) = app.after_pdu else { return };
    if let Some(name) = learn(&mut conv.state, dir, pdu, st)
        && let Some(next) = apps.iter().find(|a| a.name == name)
    {
        conv.app = Some(next);
    }
}

/// Adds the layers of an outcome (or marks the segment as part of a later PDU).
fn show(cx: &mut Ctx, data: &[u8], pstart: usize, o: &Outcome) {
    if let Some(first) = o.continuation_to {
        continuation(cx, first);
        return;
    }
    pdu_sizes(cx, data, pstart, o);
    let malformed_before = cx.out.is_malformed();
    let seg_start = cx.out.fields.len();
    segment_data(cx, data, pstart, o);
    let seg_end = cx.out.fields.len();
    let mut first = true;
    for u in &o.units {
        // (Where this PDU's `[N Reassembled TCP Segments …]` goes, if it has one.)
        let (tree_layer, tree_start) = (cx.out.layers.len(), cx.out.fields.len());
        let mut tree_end = tree_start;
        match &u.bytes {
            Bytes::Frame(a, b) => {
                let (a, b) = (pstart + a, (pstart + b).min(data.len()));
                (u.app.dissect)(cx, data, a, b, u.state, first);
            }
            Bytes::Reassembled(buf, parts) => {
                let buf: Vec<u8> = buf.as_ref().clone();
                cx.in_reassembled(buf, |cx, b| {
                    segments(cx, b, parts);
                    tree_end = cx.out.fields.len();
                    (u.app.dissect)(cx, b, 0, b.len(), u.state, first);
                });
            }
        }
        first = false;
        // A PDU whose dissector read past its end (tshark's exception, which TCP passes on):
        // nothing after it is read, and the items tshark adds once the PDU's dissector
        // returns (`TCP segment data`, this PDU's reassembly tree) are not there.
        if !malformed_before && cx.out.is_malformed() {
            let tree = (tree_end > tree_start).then_some(tree_layer);
            cx.out.remove_fields(tree_start..tree_end, tree);
            cx.out.remove_fields(seg_start..seg_end, None);
            return;
        }
    }
    if o.units.is_empty() && o.continues && cx.in_error == 0 {
        if let Some((app, at)) = o.started
            && let Some(awaited) = app.awaited
        {
            // (To the payload's end: the range the PDU's bytes in this segment take.)
            let end = o.seg_data.last().map_or(data.len(), |&(_, b)| (pstart + b).min(data.len()));
            awaited(cx, data, pstart + at, end);
        }
        if cx.text {
            // (After a space, as tshark appends it, unless the column was left empty.)
            let info = &mut cx.out.info;
            if !info.is_empty() {
                info.push(' ');
            }
            info.push_str("[TCP segment of a reassembled PDU]");
        }
    }
}

/// `[This is a continuation to the PDU in frame: N]` at the end of the TCP tree (the TCP
/// layer is the last one open), and `[Continuation to #N] ` before the Info column's text.
fn continuation(cx: &mut Ctx, first: u64) {
    if cx.text && cx.in_error == 0 {
        let mut info = String::with_capacity(cx.out.info.len() + 24);
        info.push_str("[Continuation to #");
        info.push_str(&first.to_string());
        info.push_str("] ");
        info.push_str(&cx.out.info);
        cx.out.info = info;
    }
    let Some(tcp) = cx.out.layers.len().checked_sub(1).filter(|&l| cx.out.layers[l].proto == "tcp") else { return };
    if cx.wants(&super::tcp::TCP_CONTINUATION_TO) {
        cx.add_gen(&super::tcp::TCP_CONTINUATION_TO, 0, 0, Value::UInt(first));
        cx.close(tcp);
    }
}

/// `[PDU Size: N]` in the TCP tree for each PDU of a protocol tshark reads with
/// `tcp_dissect_pdus` (the TCP layer is the last one open when the PDUs are shown): the
/// PDU's length by its header, which may exceed the bytes a segment read alone holds.
fn pdu_sizes(cx: &mut Ctx, data: &[u8], pstart: usize, o: &Outcome) {
    let Some(tcp) = cx.out.layers.len().checked_sub(1).filter(|&l| cx.out.layers[l].proto == "tcp") else { return };
    if !o.units.iter().any(|u| u.app.pdu_size.is_some()) || !cx.wants(&super::tcp::TCP_PDU_SIZE) {
        return;
    }
    for u in &o.units {
        let Some(announced) = u.app.pdu_size else { continue };
        let (at, bytes): (usize, &[u8]) = match &u.bytes {
            Bytes::Frame(a, b) => (pstart + a, data.get(pstart + a..(pstart + b).min(data.len())).unwrap_or(&[])),
            Bytes::Reassembled(buf, _) => (pstart, buf.as_slice()),
        };
        let Some(size) = announced(bytes) else { continue };
        let len = (size as usize).min(data.len().saturating_sub(at));
        cx.add_gen(&super::tcp::TCP_PDU_SIZE, at, len, Value::UInt(size));
    }
    cx.close(tcp);
}

/// What tshark shows when a PDU read from a segment it would not reassemble runs past the
/// segment's end: a `[BoundError Unreassembled Packet [incorrect TCP checksum]: PROTO]` item
/// (`reason`, the PDU's `alone_reason`, is the bracketed part; none when reassembly is off)
/// after the protocol's layer (not a protocol of the frame), with its expert item, and the
/// same mark in the Info column.
pub(crate) fn unreassembled(cx: &mut Ctx, proto: &str, reason: &str) {
    const TITLE: &str = "[BoundError Unreassembled Packet";
    let n = cx.out.fields.len() as u32;
    let summary = if cx.text { format!("{TITLE}{reason}: {proto}]") } else { String::new() };
    cx.out.layers.push(super::model::Layer {
        proto: "_ws.unreassembled",
        title: TITLE,
        osi: super::model::Osi::Application,
        offset: 0,
        len: 0,
        source: cx.source,
        fields: n..n,
        summary,
    });
    cx.expert(super::model::Severity::Note, "_ws.unreassembled", "Unreassembled fragment (change preferences to enable reassembly)", None);
    if cx.text && cx.in_error == 0 {
        cx.out.info.push_str("[BoundErrorUnreassembled Packet");
        cx.out.info.push_str(reason);
        cx.out.info.push(']');
    }
}

/// `TCP segment data (N bytes)` in the TCP tree for each part of the segment that belongs to
/// a reassembled PDU (the TCP layer is the last one open when the PDUs are shown).
fn segment_data(cx: &mut Ctx, data: &[u8], pstart: usize, o: &Outcome) {
    let Some(tcp) = cx.out.layers.len().checked_sub(1).filter(|&l| cx.out.layers[l].proto == "tcp") else { return };
    if o.seg_data.is_empty() || !cx.wants(&super::tcp::TCP_SEGMENT_DATA) {
        return;
    }
    for &(a, b) in &o.seg_data {
        let (a, b) = (pstart + a, (pstart + b).min(data.len()));
        if a < b {
            cx.add(&super::tcp::TCP_SEGMENT_DATA, a, b - a, Value::Bytes);
        }
    }
    cx.close(tcp);
}

/// tshark's `[3 Reassembled TCP Segments (70014 bytes): #14(32768), #15(32768), #17(4478)]`
/// before a reassembled PDU's layers (`tcp.segments`, not a protocol of the frame): each
/// segment's frame and part, their count, and the PDU's length and bytes. Its fields point
/// into the reassembled buffer `buf`.
fn segments(cx: &mut Ctx, buf: &[u8], parts: &[(u64, u32)]) {
    use super::tcp::{TCP_REASSEMBLED_DATA, TCP_REASSEMBLED_LENGTH, TCP_SEGMENT, TCP_SEGMENT_COUNT};
    if parts.len() < 2 {
        return;
    }
    let n = cx.out.fields.len() as u32;
    let summary = if cx.text {
        use std::fmt::Write;
        let mut s = format!("[{} Reassembled TCP Segments ({} bytes): ", parts.len(), buf.len());
        for (i, (frame, len)) in parts.iter().enumerate() {
            let _ = write!(s, "{}#{frame}({len})", if i > 0 { ", " } else { "" });
        }
        s.push(']');
        s
    } else {
        String::new()
    };
    cx.out.layers.push(super::model::Layer {
        proto: "tcp.segments",
        title: "Reassembled TCP Segments",
        osi: super::model::Osi::Transport,
        offset: 0,
        len: buf.len() as u32,
        source: cx.source,
        fields: n..n,
        summary,
    });
    let li = cx.out.layers.len() - 1;
    let mut at = 0usize;
    for &(frame, len) in parts {
        cx.add_gen(&TCP_SEGMENT, at, len as usize, Value::UInt(frame));
        at += len as usize;
    }
    cx.add_gen(&TCP_SEGMENT_COUNT, 0, 0, Value::UInt(parts.len() as u64));
    cx.add_gen(&TCP_REASSEMBLED_LENGTH, 0, 0, Value::UInt(buf.len() as u64));
    cx.add_gen(&TCP_REASSEMBLED_DATA, 0, buf.len(), Value::Bytes);
    cx.close(li);
}
