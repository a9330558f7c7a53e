//! Both endpoints' TCP state (RFC 9293, section 3.3.2) after each segment of one stream, as
//! far as a capture shows it: the capture point sees a segment as sent and received at once.
//!
//! The client is the endpoint that sent the stream's first SYN without ACK; if the capture
//! holds only a SYN-ACK, its receiver; if it holds no SYN at all, the first sender. A stream
//! whose start was not captured begins with both endpoints ESTABLISHED and learns its numbers
//! from the first segments each way. A RST closes both endpoints; later segments leave them
//! CLOSED. Sequence numbers are the analysis's relative ones (`tcp.seq`, `tcp.ack`,
//! `tcp.nxtseq`), windows the scaled `tcp.window_size`.

use super::tcp::TcpVerdict;

const FIN: u16 = 0x001;
const SYN: u16 = 0x002;
const RST: u16 = 0x004;
const ACK: u16 = 0x010;

/// RFC 9293's connection states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
    Closed,
}

impl State {
    /// The RFC's name (used in every language).
    pub fn name(self) -> &'static str {
        match self {
            State::Listen => "LISTEN",
            State::SynSent => "SYN-SENT",
            State::SynReceived => "SYN-RECEIVED",
            State::Established => "ESTABLISHED",
            State::FinWait1 => "FIN-WAIT-1",
            State::FinWait2 => "FIN-WAIT-2",
            State::CloseWait => "CLOSE-WAIT",
            State::Closing => "CLOSING",
            State::LastAck => "LAST-ACK",
            State::TimeWait => "TIME-WAIT",
            State::Closed => "CLOSED",
        }
    }
}

/// What one endpoint knows. Numbers are `None` until a segment of the capture shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub state: State,
    /// Oldest of its bytes not yet acknowledged.
    pub snd_una: Option<u32>,
    /// Next sequence number it will send.
    pub snd_nxt: Option<u32>,
    /// Next sequence number it expects from its peer.
    pub rcv_nxt: Option<u32>,
    /// The receive window it last advertised (scaled).
    pub rcv_wnd: Option<u32>,
}

impl Endpoint {
    fn new(state: State) -> Endpoint {
        Endpoint { state, snd_una: None, snd_nxt: None, rcv_nxt: None, rcv_wnd: None }
    }

    /// Bytes sent and not yet acknowledged (SND.NXT − SND.UNA).
    pub fn in_flight(&self) -> Option<u32> {
        Some(self.snd_nxt?.wrapping_sub(self.snd_una?))
    }
}

/// What a segment changed, for the sentence explaining it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    /// The first SYN: the client opens.
    Open,
    /// The server answers the SYN.
    Accept,
    /// Both ends are ESTABLISHED now.
    Established,
    /// A SYN or FIN sent again: no state changes.
    Repeat,
    /// New data.
    Data,
    /// Only an acknowledgement (or a window update).
    Ack,
    /// A FIN: the sender closes its direction.
    Fin,
    /// The last FIN is acknowledged: the connection is closed (or in TIME-WAIT).
    Closed,
    /// A RST: both ends closed at once.
    Reset,
    /// A segment after a RST: nothing changes.
    AfterReset,
    /// The capture begins mid-connection: both ends are taken as ESTABLISHED.
    Midstream,
}

impl Change {
    /// The key of the sentence in the explanation texts (`tcp_state.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Change::Open => "open",
            Change::Accept => "accept",
            Change::Established => "established",
            Change::Repeat => "repeat",
            Change::Data => "data",
            Change::Ack => "ack",
            Change::Fin => "fin",
            Change::Closed => "closed",
            Change::Reset => "reset",
            Change::AfterReset => "after_reset",
            Change::Midstream => "midstream",
        }
    }
}

/// Both endpoints after one segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub frame: u64,
    /// The segment went from the client to the server.
    pub from_client: bool,
    pub client: Endpoint,
    pub server: Endpoint,
    pub change: Change,
}

/// Whether `a` is before `b` in sequence space (modulo 2³²).
fn before(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

fn later(cur: Option<u32>, new: u32) -> u32 {
    match cur {
        Some(c) if before(new, c) => c,
        _ => new,
    }
}

/// Which side of the stream is the client: true if the first segment's sender is.
fn first_sender_is_client(segments: &[(u64, TcpVerdict)]) -> bool {
    let Some((_, first)) = segments.first() else { return true };
    let same = |v: &TcpVerdict| v.from_initiator == first.from_initiator;
    if let Some((_, v)) = segments.iter().find(|(_, v)| v.tcp_flags & (SYN | ACK) == SYN) {
        return same(v);
    }
    if let Some((_, v)) = segments.iter().find(|(_, v)| v.tcp_flags & (SYN | ACK) == SYN | ACK) {
        return !same(v);
    }
    true
}

/// The states after each of `segments` (one TCP stream, in frame order, headers quoted in
/// ICMP errors left out).
pub fn steps(segments: &[(u64, TcpVerdict)]) -> Vec<Step> {
    let Some((_, first)) = segments.first() else { return Vec::new() };
    let client_flag = first.from_initiator == first_sender_is_client(segments);
    let midstream = first.tcp_flags & SYN == 0;
    let start = if midstream { (State::Established, State::Established) } else { (State::Closed, State::Listen) };
    let (mut client, mut server) = (Endpoint::new(start.0), Endpoint::new(start.1));
    let mut reset = false;
    let mut out = Vec::with_capacity(segments.len());
    for (i, (frame, v)) in segments.iter().enumerate() {
        let from_client = v.from_initiator == client_flag;
        let (s, r) = if from_client { (&mut client, &mut server) } else { (&mut server, &mut client) };
        let change = if reset {
            Change::AfterReset
        } else if v.tcp_flags & RST != 0 {
            reset = true;
            s.state = State::Closed;
            r.state = State::Closed;
            Change::Reset
        } else {
            let c = segment(s, r, v);
            if i == 0 && midstream { Change::Midstream } else { c }
        };
        out.push(Step { frame: *frame, from_client, client, server, change });
    }
    out
}

/// Applies one segment sent by `s` and received by `r`.
fn segment(s: &mut Endpoint, r: &mut Endpoint, v: &TcpVerdict) -> Change {
    let flags = v.tcp_flags;
    let seq = v.seq;
    let nxt = v.nxtseq.unwrap_or(seq.wrapping_add(v.seglen.unwrap_or(0)));
    let (s_before, r_before) = (s.state, r.state);
    let new_data = s.snd_nxt.is_none_or(|n| before(n, nxt));
    // The sender.
    if s.snd_una.is_none() {
        s.snd_una = Some(seq);
    }
    s.snd_nxt = Some(later(s.snd_nxt, nxt));
    s.rcv_wnd = Some(v.window);
    if flags & SYN != 0 {
        s.state = match (flags & ACK != 0, s.state) {
            (false, State::Closed | State::SynSent) => State::SynSent,
            (_, State::Listen | State::SynSent | State::SynReceived) => State::SynReceived,
            (_, st) => st,
        };
    }
    if flags & FIN != 0 {
        s.state = match s.state {
            State::Established | State::SynReceived => State::FinWait1,
            State::CloseWait => State::LastAck,
            st => st,
        };
    }
    // The receiver: the acknowledgement first, then SYN, data and FIN.
    if flags & ACK != 0 {
        let ack = v.ack;
        if r.snd_una.is_none_or(|u| before(u, ack)) && r.snd_nxt.is_none_or(|n| !before(n, ack)) {
            r.snd_una = Some(ack);
        }
        let all_acked = r.snd_nxt.is_some_and(|n| !before(ack, n));
        if all_acked {
            r.state = match r.state {
                State::SynSent if flags & SYN != 0 => State::Established,
                State::SynReceived => State::Established,
                State::FinWait1 => State::FinWait2,
                State::Closing => State::TimeWait,
                State::LastAck => State::Closed,
                st => st,
            };
        }
    }
    if flags & SYN != 0 {
        r.rcv_nxt = Some(nxt);
        r.state = match r.state {
            State::Listen | State::Closed => State::SynReceived,
            State::SynSent => State::SynReceived,
            st => st,
        };
        // A SYN-ACK that acknowledged the SYN already made the receiver ESTABLISHED above.
    } else if r.rcv_nxt.is_none_or(|n| !before(n, seq) && before(n, nxt)) {
        r.rcv_nxt = Some(nxt);
    }
    if flags & FIN != 0 && r.rcv_nxt == Some(nxt) {
        r.state = match r.state {
            State::Established | State::SynReceived => State::CloseWait,
            State::FinWait1 => State::Closing,
            State::FinWait2 => State::TimeWait,
            st => st,
        };
    }
    // A SYN-ACK acknowledging our SYN: the SYN branch above must not undo ESTABLISHED.
    if flags & (SYN | ACK) == SYN | ACK && r_before == State::SynSent && r.snd_nxt.is_some_and(|n| !before(v.ack, n)) {
        r.state = State::Established;
    }
    let changed = s.state != s_before || r.state != r_before;
    match (flags & (SYN | ACK | FIN), changed) {
        (f, true) if f & SYN != 0 && f & ACK == 0 => Change::Open,
        (f, true) if f & SYN != 0 => Change::Accept,
        (f, false) if f & (SYN | FIN) != 0 && !new_data => Change::Repeat,
        _ if r.state == State::Established && r_before != State::Established && s.state == State::Established => Change::Established,
        (f, true) if f & FIN != 0 => Change::Fin,
        (_, true) if matches!(r.state, State::Closed | State::TimeWait) => Change::Closed,
        (_, true) if r.state == State::Established => Change::Established,
        _ if v.seglen.unwrap_or(0) > 0 && new_data => Change::Data,
        _ => Change::Ack,
    }
}
