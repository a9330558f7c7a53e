//! Game message framing end to end: `pktlab demo-traffic` plays on loopback and logs every
//! message it writes (type, length, and how the write was shaped: whole, header split from
//! payload, payload split, several messages batched into one write); `pktlab live -w`
//! records it; the capture is dissected and run through the game decoder with the shipped
//! description (ports moved to the test's own); every message the demo sent must come out,
//! in order per connection direction, with its type and length, and the capture must really
//! contain messages that span segments and segments that carry several messages.
//!
//! Needs root (or CAP_NET_RAW) for the live capture; says plainly when it is skipped.

use pktlab::capture::CaptureFile;
use pktlab::dissect::{Dissection, Dissector, FrameMeta, Value};
use pktlab::game::{GameDecoder, GameProto};
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn uint(v: &Value) -> u64 {
    match v {
        Value::UInt(n) => *n,
        other => panic!("not an integer: {other:?}"),
    }
}

#[test]
fn demo_messages_are_decoded_across_and_within_segments() {
    if !is_root() {
        eprintln!("SKIPPED: the game framing test records live traffic and needs root");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let cap = dir.path().join("game.pcapng");
    let log = dir.path().join("sent.jsonl");
    let bin = env!("CARGO_BIN_EXE_pktlab");
    let port = 27_777u16;
    let filter = format!("port {} or port {}", port, port + 1);
    let live = Command::new(bin)
        .args(["live", "-i", "lo", "--no-tui", "-q", "--duration", "7s", "-f", &filter, "-w"])
        .arg(&cap)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pktlab live");
    std::thread::sleep(Duration::from_millis(1500));
    let demo = Command::new(bin)
        .args(["demo-traffic", "--port", &port.to_string(), "--duration", "3s", "--clients", "3", "--log"])
        .arg(&log)
        .output()
        .expect("demo-traffic");
    assert!(demo.status.success(), "demo-traffic: {}", String::from_utf8_lossy(&demo.stderr));
    let live = live.wait_with_output().expect("pktlab live");
    assert!(live.status.success(), "pktlab live: {}", String::from_utf8_lossy(&live.stderr));

    // What the demo sent, per direction "src -> dst", in write order.
    let mut sent: HashMap<String, Vec<(u64, u64)>> = HashMap::new();
    let mut sent_udp: Vec<(u64, u64, u64)> = Vec::new();
    for line in std::fs::read_to_string(&log).expect("log").lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        if v["transport"] == "udp" {
            let n = |k: &str| v[k].as_u64().unwrap_or(u64::MAX);
            sent_udp.push((n("seq"), n("tick"), n("player")));
        }
        if v["transport"] == "tcp" {
            let key = format!("{} -> {}", v["src"].as_str().unwrap_or(""), v["dst"].as_str().unwrap_or(""));
            sent.entry(key).or_default().push((v["msg_type"].as_u64().unwrap_or(0), v["msg_len"].as_u64().unwrap_or(0)));
        }
    }
    let total_sent: usize = sent.values().map(Vec::len).sum();
    assert!(total_sent > 20, "the demo sent only {total_sent} TCP messages");

    let desc_path = concat!(env!("CARGO_MANIFEST_DIR"), "/protos/demo.toml");
    let text = std::fs::read_to_string(desc_path).expect("protos/demo.toml");
    let text = text.replace("ports = [7777]", &format!("ports = [{port}]")).replace("ports = [7778]", &format!("ports = [{}]", port + 1));
    let proto = GameProto::parse(std::path::Path::new(desc_path), &text).unwrap_or_else(|e| panic!("{e}"));
    pktlab::fields::register(&proto.field_defs());
    let mut decoder = GameDecoder::new(Arc::new(proto));

    let file = CaptureFile::open(&cap).unwrap_or_else(|e| panic!("{e}"));
    let mut dissector = Dissector::new();
    let mut d = Dissection::default();
    let mut got: HashMap<String, Vec<(u64, u64)>> = HashMap::new();
    let (mut spanning, mut shared_segments) = (0, 0);
    let mut got_udp: Vec<(u64, u64, u64)> = Vec::new();
    for (i, rec) in file.records().enumerate() {
        let rec = rec.unwrap_or_else(|e| panic!("{e}"));
        let meta = FrameMeta {
            number: i as u64 + 1,
            ts: rec.ts,
            orig_len: rec.orig_len,
            interface_id: rec.interface_id,
            interface: rec.interface.clone(),
            link_type: rec.link_type,
            comments: Vec::new(),
            times: Default::default(),
        };
        dissector.dissect(&meta, rec.data, &mut d);
        decoder.process(&mut d, rec.data);
        let field = |name: &str| pktlab::fields::by_name(name).unwrap_or_else(|| panic!("no field {name}"));
        if d.has_proto("udp") && d.has_proto("game") {
            let n = |k: &str| d.first(field(k)).map(|f| uint(&f.value)).unwrap_or(u64::MAX);
            got_udp.push((n("game.seq"), n("game.tick"), n("game.player")));
            continue;
        }
        let types: Vec<u64> = d.find(field("game.msg_type")).map(|f| uint(&f.value)).collect();
        if types.is_empty() {
            continue;
        }
        let lens: Vec<u64> = d.find(field("game.msg_len")).map(|f| uint(&f.value)).collect();
        let segs: Vec<u64> = d.find(field("game.segments")).map(|f| uint(&f.value)).collect();
        spanning += segs.iter().filter(|s| **s > 1).count();
        if types.len() > 1 {
            shared_segments += 1;
        }
        let addr = |name: &str| match d.first(field(name)).map(|f| &f.value) {
            Some(Value::Ipv4(a)) => Ipv4Addr::from(*a).to_string(),
            other => panic!("{name}: {other:?}"),
        };
        let sport = d.first(field("tcp.srcport")).map(|f| uint(&f.value)).unwrap_or(0);
        let dport = d.first(field("tcp.dstport")).map(|f| uint(&f.value)).unwrap_or(0);
        let key = format!("{}:{sport} -> {}:{dport}", addr("ip.src"), addr("ip.dst"));
        got.entry(key).or_default().extend(types.into_iter().zip(lens));
    }
    println!(
        "demo sent {total_sent} TCP messages in {} directions; decoded {}; {spanning} spanned segments, {shared_segments} segments carried several; UDP state datagrams sent {}, decoded {}",
        sent.len(),
        got.values().map(Vec::len).sum::<usize>(),
        sent_udp.len(),
        got_udp.len()
    );
    assert_eq!(got, sent, "decoded messages differ from what the demo sent");
    assert!(spanning > 0, "no message spanned two segments");
    assert!(shared_segments > 0, "no segment carried two messages");
    assert!(sent_udp.len() > 20, "the demo sent only {} UDP datagrams", sent_udp.len());
    sent_udp.sort_unstable();
    got_udp.sort_unstable();
    assert_eq!(got_udp, sent_udp, "decoded UDP seq/tick/player differ from what the demo sent");
}
