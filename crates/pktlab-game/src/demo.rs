//! `pktlab demo-traffic`: a tiny game server and clients on 127.0.0.1, to capture and learn
//! from. Everything stops by itself after the configured duration.
//!
//! TCP (port P), login and chat, framed as `type:u16 len:u16` big-endian + `len` bytes of
//! payload (the length excludes the 4-byte header). Writes are shaped on purpose so a
//! reassembler has work to do: a login sent as header and payload in two writes 20 ms apart,
//! chats batched two per write, a chat split inside its header, the server's reply and
//! welcome batched in one write. Both ends use TCP_NODELAY so each write is its own segment.
//!
//! UDP (port P+1), state updates at a fixed tick: `seq:u32 tick:u32 player:u16 x:f32 y:f32`
//! big-endian, where `seq` is the sender's own counter. Clients send their input each tick;
//! the server sends each client a snapshot each tick (the same 18 bytes for the recipient,
//! then `count:u8` and `count` × `player:u16 x:f32 y:f32`).
//!
//! With a log, every message is recorded as one JSON line at the moment it is written,
//! under the same lock as the write, so per-connection order in the log is wire order.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream, UdpSocket};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const LOGIN: u16 = 1;
pub const LOGIN_OK: u16 = 2;
pub const CHAT: u16 = 3;
pub const HEARTBEAT: u16 = 4;
pub const BYE: u16 = 5;
pub const WELCOME: u16 = 6;

/// Size of the TCP message header.
pub const HEADER_LEN: usize = 4;

/// The name of a demo message type.
pub fn msg_name(t: u16) -> &'static str {
    match t {
        LOGIN => "LOGIN",
        LOGIN_OK => "LOGIN_OK",
        CHAT => "CHAT",
        HEARTBEAT => "HEARTBEAT",
        BYE => "BYE",
        WELCOME => "WELCOME",
        _ => "UNKNOWN",
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct DemoConfig {
    /// TCP port; UDP uses `port + 1`.
    pub port: u16,
    pub duration: Duration,
    pub clients: u16,
    pub tick_hz: u32,
    /// Where to write one JSON line per message sent.
    pub log: Option<PathBuf>,
}

/// Totals printed at the end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub tcp_messages: u64,
    pub tcp_writes: u64,
    pub udp_datagrams: u64,
}

/// One line of the `--log` file.
#[derive(Serialize, Debug, Clone)]
#[serde(tag = "transport", rename_all = "lowercase")]
pub enum SentRecord {
    Tcp {
        t: f64,
        src: String,
        dst: String,
        msg_type: u16,
        msg_name: &'static str,
        /// The length field: payload bytes, header excluded.
        msg_len: u16,
        /// How the write was shaped: `single`, `split_header`, `split_payload`, `batched`.
        write: &'static str,
    },
    Udp {
        t: f64,
        src: String,
        dst: String,
        seq: u32,
        tick: u32,
        player: u16,
        len: usize,
    },
}

/// Why the demo could not run.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot listen on 127.0.0.1:{port} ({source}); choose another --port")]
    Bind { port: u16, source: io::Error },
    #[error("--port {0} leaves no room for the UDP port (port + 1)")]
    PortRange(u16),
    #[error("--tick-hz must be between 1 and 1000")]
    TickHz,
    #[error("--clients must be between 1 and 200")]
    Clients,
    #[error("log {path}: {source}")]
    Log { path: String, source: io::Error },
    #[error("demo traffic: {0}")]
    Io(#[from] io::Error),
}

type Log = Option<Arc<Mutex<BufWriter<File>>>>;

struct Shared {
    stop: AtomicBool,
    log: Log,
    summary: Mutex<DemoSummary>,
    /// Server-side connections by client id, for broadcasting chat.
    conns: Mutex<BTreeMap<u16, Arc<Mutex<TcpStream>>>>,
}

impl Shared {
    fn record(&self, r: SentRecord) {
        if let Some(log) = &self.log {
            let mut w = log.lock().unwrap_or_else(|e| e.into_inner());
            if let Ok(line) = serde_json::to_string(&r) {
                let _ = writeln!(w, "{line}");
            }
        }
    }

    fn count(&self, f: impl FnOnce(&mut DemoSummary)) {
        f(&mut self.summary.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

fn now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

/// A framed message: header + payload.
pub fn frame(msg_type: u16, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len()).unwrap_or(u16::MAX);
    let mut v = Vec::with_capacity(HEADER_LEN + payload.len());
    v.extend_from_slice(&msg_type.to_be_bytes());
    v.extend_from_slice(&len.to_be_bytes());
    v.extend_from_slice(&payload[..usize::from(len)]);
    v
}

/// How one write carries its messages.
#[derive(Clone, Copy)]
enum Shape {
    Single,
    /// Header (or first `n` bytes) in one write, the rest in another after a pause.
    SplitAt(usize, &'static str),
    Batched,
}

/// Writes `msgs` on `stream` shaped as asked, logging each message; the lock is held for the
/// whole shaped write so log order is wire order.
fn send(shared: &Shared, stream: &Mutex<TcpStream>, msgs: &[(u16, Vec<u8>)], shape: Shape) -> io::Result<()> {
    let mut s = stream.lock().unwrap_or_else(|e| e.into_inner());
    let (src, dst) = (s.local_addr()?.to_string(), s.peer_addr()?.to_string());
    let label = match shape {
        Shape::Single => "single",
        Shape::SplitAt(_, label) => label,
        Shape::Batched => "batched",
    };
    let mut bytes = Vec::new();
    for (t, payload) in msgs {
        let f = frame(*t, payload);
        shared.record(SentRecord::Tcp {
            t: now(),
            src: src.clone(),
            dst: dst.clone(),
            msg_type: *t,
            msg_name: msg_name(*t),
            msg_len: (f.len() - HEADER_LEN) as u16,
            write: label,
        });
        bytes.extend_from_slice(&f);
    }
    let writes = match shape {
        Shape::SplitAt(n, _) if n < bytes.len() => {
            s.write_all(&bytes[..n])?;
            s.flush()?;
            thread::sleep(Duration::from_millis(20));
            s.write_all(&bytes[n..])?;
            2
        }
        _ => {
            s.write_all(&bytes)?;
            1
        }
    };
    shared.count(|c| {
        c.tcp_messages += msgs.len() as u64;
        c.tcp_writes += writes;
    });
    Ok(())
}

/// Reads framed messages from `s` until EOF, stop or deadline; calls `on_msg` for each.
fn read_messages(
    shared: &Shared,
    mut s: TcpStream,
    deadline: Instant,
    mut on_msg: impl FnMut(u16, &[u8]) -> bool,
) {
    let _ = s.set_read_timeout(Some(Duration::from_millis(50)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !shared.stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        match s.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => continue,
            Err(_) => return,
        }
        while buf.len() >= HEADER_LEN {
            let t = u16::from_be_bytes([buf[0], buf[1]]);
            let len = usize::from(u16::from_be_bytes([buf[2], buf[3]]));
            if buf.len() < HEADER_LEN + len {
                break;
            }
            let keep_going = on_msg(t, &buf[HEADER_LEN..HEADER_LEN + len]);
            buf.drain(..HEADER_LEN + len);
            if !keep_going {
                return;
            }
        }
    }
}

/// Runs the server and clients until `cfg.duration` has passed; returns the totals.
pub fn run(cfg: &DemoConfig) -> Result<DemoSummary, DemoError> {
    if !(1..=1000).contains(&cfg.tick_hz) {
        return Err(DemoError::TickHz);
    }
    if !(1..=200).contains(&cfg.clients) {
        return Err(DemoError::Clients);
    }
    let udp_port = cfg.port.checked_add(1).ok_or(DemoError::PortRange(cfg.port))?;
    let tcp_addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, cfg.port);
    let udp_addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, udp_port);
    let listener = TcpListener::bind(tcp_addr).map_err(|source| DemoError::Bind { port: cfg.port, source })?;
    let server_udp = UdpSocket::bind(udp_addr).map_err(|source| DemoError::Bind { port: udp_port, source })?;
    let log = match &cfg.log {
        Some(path) => {
            let f = File::create(path).map_err(|source| DemoError::Log { path: path.display().to_string(), source })?;
            Some(Arc::new(Mutex::new(BufWriter::new(f))))
        }
        None => None,
    };
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        log: log.clone(),
        summary: Mutex::new(DemoSummary::default()),
        conns: Mutex::new(BTreeMap::new()),
    });
    let start = Instant::now();
    let deadline = start + cfg.duration;
    // Server threads stay up a little after the clients' deadline so their goodbyes land.
    let server_deadline = deadline + Duration::from_millis(500);
    let tick = Duration::from_secs_f64(1.0 / f64::from(cfg.tick_hz));

    let mut threads = Vec::new();
    listener.set_nonblocking(true)?;
    {
        let shared = Arc::clone(&shared);
        threads.push(thread::spawn(move || accept_loop(&shared, listener, server_deadline)));
    }
    {
        let shared = Arc::clone(&shared);
        threads.push(thread::spawn(move || udp_server(&shared, server_udp, tick, server_deadline)));
    }
    let mut clients = Vec::new();
    for id in 0..cfg.clients {
        let shared = Arc::clone(&shared);
        clients.push(thread::spawn(move || client(&shared, id, tcp_addr, udp_addr, tick, deadline)));
        thread::sleep(Duration::from_millis(10));
    }
    for c in clients {
        let _ = c.join();
    }
    thread::sleep(Duration::from_millis(200));
    shared.stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    if let Some(log) = log {
        log.lock().unwrap_or_else(|e| e.into_inner()).flush()?;
    }
    let summary = shared.summary.lock().unwrap_or_else(|e| e.into_inner()).clone();
    Ok(summary)
}

fn accept_loop(shared: &Arc<Shared>, listener: TcpListener, deadline: Instant) {
    let mut handlers = Vec::new();
    while !shared.stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        match listener.accept() {
            Ok((s, _)) => {
                let shared = Arc::clone(shared);
                handlers.push(thread::spawn(move || server_conn(&shared, s, deadline)));
            }
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
    for h in handlers {
        let _ = h.join();
    }
}

/// One client connection on the server side: answers LOGIN with LOGIN_OK + WELCOME batched
/// in one write, relays CHAT to the other clients, ends on BYE.
fn server_conn(shared: &Arc<Shared>, s: TcpStream, deadline: Instant) {
    let _ = s.set_nodelay(true);
    let _ = s.set_nonblocking(false);
    let Ok(reader) = s.try_clone() else { return };
    let writer = Arc::new(Mutex::new(s));
    let mut id = None;
    read_messages(shared, reader, deadline, |t, payload| {
        match t {
            LOGIN => {
                let player = u16::from_be_bytes([payload.first().copied().unwrap_or(0), payload.get(1).copied().unwrap_or(0)]);
                id = Some(player);
                shared.conns.lock().unwrap_or_else(|e| e.into_inner()).insert(player, Arc::clone(&writer));
                let ok = format!("{{\"ok\":true,\"player\":{player}}}").into_bytes();
                let welcome = format!("player{player:02} joined").into_bytes();
                let _ = send(shared, &writer, &[(LOGIN_OK, ok), (WELCOME, welcome)], Shape::Batched);
            }
            CHAT => {
                let others: Vec<_> = shared
                    .conns
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .iter()
                    .filter(|(k, _)| Some(**k) != id)
                    .map(|(_, v)| Arc::clone(v))
                    .collect();
                for o in others {
                    let _ = send(shared, &o, &[(CHAT, payload.to_vec())], Shape::Single);
                }
            }
            BYE => return false,
            _ => {}
        }
        true
    });
    if let Some(id) = id {
        shared.conns.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }
}

/// The server's UDP side: remembers each client's input, and every tick sends each client
/// a snapshot with the server's own sequence number.
fn udp_server(shared: &Shared, sock: UdpSocket, tick: Duration, deadline: Instant) {
    let _ = sock.set_read_timeout(Some(Duration::from_millis(2)));
    let local = sock.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let mut players: BTreeMap<SocketAddr, (u16, f32, f32)> = BTreeMap::new();
    let mut seq: u32 = 0;
    let mut tick_no: u32 = 0;
    let mut next_tick = Instant::now() + tick;
    let mut buf = [0u8; 2048];
    while !shared.stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        if let Ok((n, from)) = sock.recv_from(&mut buf)
            && n >= 18 {
                let player = u16::from_be_bytes([buf[8], buf[9]]);
                let x = f32::from_be_bytes([buf[10], buf[11], buf[12], buf[13]]);
                let y = f32::from_be_bytes([buf[14], buf[15], buf[16], buf[17]]);
                players.insert(from, (player, x, y));
            }
        if Instant::now() < next_tick {
            continue;
        }
        next_tick += tick;
        tick_no = tick_no.wrapping_add(1);
        for (&to, &(player, x, y)) in &players {
            seq = seq.wrapping_add(1);
            let mut d = state_datagram(seq, tick_no, player, x, y);
            let others: Vec<_> = players.values().filter(|p| p.0 != player).take(32).collect();
            d.push(others.len() as u8);
            for (p, ox, oy) in others {
                d.extend_from_slice(&p.to_be_bytes());
                d.extend_from_slice(&ox.to_be_bytes());
                d.extend_from_slice(&oy.to_be_bytes());
            }
            shared.record(SentRecord::Udp {
                t: now(),
                src: local.clone(),
                dst: to.to_string(),
                seq,
                tick: tick_no,
                player,
                len: d.len(),
            });
            if sock.send_to(&d, to).is_ok() {
                shared.count(|c| c.udp_datagrams += 1);
            }
        }
    }
}

/// The 18 fixed bytes every game datagram starts with.
pub fn state_datagram(seq: u32, tick: u32, player: u16, x: f32, y: f32) -> Vec<u8> {
    let mut d = Vec::with_capacity(64);
    d.extend_from_slice(&seq.to_be_bytes());
    d.extend_from_slice(&tick.to_be_bytes());
    d.extend_from_slice(&player.to_be_bytes());
    d.extend_from_slice(&x.to_be_bytes());
    d.extend_from_slice(&y.to_be_bytes());
    d
}

/// One player: logs in, sends input every tick and chats now and then in differently shaped
/// writes, says BYE at the deadline.
fn client(shared: &Arc<Shared>, id: u16, tcp: SocketAddrV4, udp: SocketAddrV4, tick: Duration, deadline: Instant) {
    let Ok(s) = TcpStream::connect_timeout(&tcp.into(), Duration::from_secs(2)) else { return };
    let _ = s.set_nodelay(true);
    let Ok(reader) = s.try_clone() else { return };
    let stream = Arc::new(Mutex::new(s));
    let reader_thread = {
        let shared = Arc::clone(shared);
        thread::spawn(move || read_messages(&shared, reader, deadline + Duration::from_millis(400), |_, _| true))
    };
    let mut login = id.to_be_bytes().to_vec();
    login.extend_from_slice(format!("{{\"user\":\"player{id:02}\",\"token\":\"{:08x}\"}}", 0x5eed_0000u32 + u32::from(id)).as_bytes());
    let _ = send(shared, &stream, &[(LOGIN, login)], Shape::SplitAt(HEADER_LEN, "split_header"));

    let Ok(u) = UdpSocket::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)) else { return };
    let _ = u.set_read_timeout(Some(Duration::from_millis(1)));
    let local = u.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let (mut x, mut y) = (f32::from(id) * 10.0, 50.0f32);
    let mut seq: u32 = 0;
    let mut t: u32 = 0;
    let mut chats: u32 = 0;
    let ticks_per_sec = (1.0 / tick.as_secs_f64()).round().max(1.0) as u32;
    let mut next = Instant::now();
    let mut buf = [0u8; 2048];
    while Instant::now() < deadline && !shared.stop.load(Ordering::Relaxed) {
        t += 1;
        seq = seq.wrapping_add(1);
        x += ((t + u32::from(id)) % 7) as f32 * 0.25 - 0.75;
        y += ((t * 3 + u32::from(id)) % 5) as f32 * 0.25 - 0.5;
        let d = state_datagram(seq, t, id, x, y);
        shared.record(SentRecord::Udp { t: now(), src: local.clone(), dst: udp.to_string(), seq, tick: t, player: id, len: d.len() });
        if u.send_to(&d, udp).is_ok() {
            shared.count(|c| c.udp_datagrams += 1);
        }
        while u.recv_from(&mut buf).is_ok() {}
        // Chat about four times a second per client, cycling through the write shapes.
        let chat_every = (ticks_per_sec / 4).max(1);
        if (t + u32::from(id)).is_multiple_of(chat_every) {
            chats += 1;
            let n = chats;
            let text = |k: u32| format!("player{id:02}: gg #{k} at tick {t}").into_bytes();
            let _ = match (n + u32::from(id)) % 4 {
                0 => send(shared, &stream, &[(CHAT, text(n))], Shape::Single),
                1 => send(shared, &stream, &[(CHAT, text(n)), (CHAT, text(n + 1000))], Shape::Batched),
                2 => send(shared, &stream, &[(CHAT, text(n))], Shape::SplitAt(2, "split_header")),
                _ => send(shared, &stream, &[(CHAT, text(n))], Shape::SplitAt(HEADER_LEN + 7, "split_payload")),
            };
        }
        if t.is_multiple_of(2 * ticks_per_sec) {
            let _ = send(shared, &stream, &[(HEARTBEAT, Vec::new())], Shape::Single);
        }
        next += tick;
        let now = Instant::now();
        if next > now {
            thread::sleep(next - now);
        }
    }
    let _ = send(shared, &stream, &[(BYE, Vec::new())], Shape::Single);
    let _ = reader_thread.join();
    if let Ok(s) = stream.lock() {
        let _ = s.shutdown(std::net::Shutdown::Both);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_has_big_endian_header_excluding_itself() {
        assert_eq!(frame(CHAT, b"hi"), vec![0, 3, 0, 2, b'h', b'i']);
        assert_eq!(frame(BYE, b""), vec![0, 5, 0, 0]);
    }

    #[test]
    fn short_run_sends_every_kind_and_logs_it() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("sent.jsonl");
        let port = 20000 + (std::process::id() % 20000) as u16;
        let cfg = DemoConfig { port, duration: Duration::from_millis(1200), clients: 2, tick_hz: 20, log: Some(log.clone()) };
        let started = Instant::now();
        let s = run(&cfg).unwrap();
        assert!(started.elapsed() < Duration::from_secs(5), "bounded");
        let text = std::fs::read_to_string(&log).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let tcp = lines.iter().filter(|l| l["transport"] == "tcp").count() as u64;
        let udp = lines.iter().filter(|l| l["transport"] == "udp").count() as u64;
        assert_eq!(tcp, s.tcp_messages);
        assert!(udp >= s.udp_datagrams && udp > 20, "udp {udp} vs {}", s.udp_datagrams);
        for name in ["LOGIN", "LOGIN_OK", "WELCOME", "CHAT", "BYE"] {
            assert!(lines.iter().any(|l| l["msg_name"] == name), "no {name} sent");
        }
        for shape in ["split_header", "split_payload", "batched"] {
            assert!(lines.iter().any(|l| l["write"] == shape), "no {shape} write");
        }
    }
}
