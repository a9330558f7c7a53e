//! Filters against hand-built dissections. The fields are registered at run time under the
//! made-up protocols `tst` and `tsu`, so these tests do not depend on the real dissector.

use super::*;
use crate::dissect::{Base, Field, FieldDef, FieldType, Layer, Osi, Value};

fn proto_names(v: u64) -> Option<&'static str> {
    match v {
        6 => Some("TCP"),
        17 => Some("UDP"),
        _ => None,
    }
}

static PROTO: FieldDef = FieldDef::new("tst", "Test protocol", FieldType::None, Base::None);
static PORT: FieldDef = FieldDef::new("tst.port", "Port", FieldType::U16, Base::Dec);
static SRCPORT: FieldDef = FieldDef::new("tst.srcport", "Source port", FieldType::U16, Base::Dec);
static DSTPORT: FieldDef = FieldDef::new("tst.dstport", "Destination port", FieldType::U16, Base::Dec);
static ADDR: FieldDef = FieldDef::new("tst.addr", "Address", FieldType::Ipv4, Base::None);
static ADDR6: FieldDef = FieldDef::new("tst.addr6", "IPv6 address", FieldType::Ipv6, Base::None);
static MAC: FieldDef = FieldDef::new("tst.mac", "MAC", FieldType::Ether, Base::None);
static NAME: FieldDef = FieldDef::new("tst.name", "Name", FieldType::Str, Base::None);
static PAYLOAD: FieldDef = FieldDef::new("tst.payload", "Payload", FieldType::Bytes, Base::None);
static SYN: FieldDef = FieldDef::new("tst.flags.syn", "SYN", FieldType::Bool, Base::None).mask(0x02);
static FLAGS: FieldDef = FieldDef::new("tst.flags", "Flags", FieldType::U16, Base::Hex);
static PROTO_NUM: FieldDef = FieldDef::new("tst.proto", "Protocol", FieldType::U8, Base::Dec).vals(proto_names);
static SACK_PERM: FieldDef = FieldDef::new("tst.options.sack_perm", "SACK permitted", FieldType::None, Base::None);
static RTT: FieldDef = FieldDef::new("tst.rtt", "RTT", FieldType::RelTime, Base::None);
static OFFSET: FieldDef = FieldDef::new("tst.offset", "Offset", FieldType::I32, Base::Dec);
static ABSENT: FieldDef = FieldDef::new("tsu.len", "Other length", FieldType::U32, Base::Dec);

fn register() {
    crate::fields::register(&[
        &PROTO, &PORT, &SRCPORT, &DSTPORT, &ADDR, &ADDR6, &MAC, &NAME, &PAYLOAD, &SYN, &FLAGS, &PROTO_NUM, &SACK_PERM,
        &RTT, &OFFSET, &ABSENT,
    ]);
}

fn field(def: &'static FieldDef, offset: u32, len: u32, value: Value) -> Field {
    Field { def, offset, len, depth: 0, source: 0, generated: false, hidden: false, value }
}

/// The frame bytes the sample dissection points into.
const FRAME: &[u8] = b"\x00\x11\x22\x33\x44\x55HELLO world\x04\x02";

/// A frame with `tst` fields: ports 51234 → 7777 (so `tst.port` twice), addresses 10.1.2.3 and
/// 192.168.1.9, SYN set, flags 0x012, a name, a payload "HELLO world" and SACK-permitted.
fn sample() -> Dissection {
    let fields = vec![
        field(&PROTO, 0, FRAME.len() as u32, Value::None),
        field(&MAC, 0, 6, Value::Ether([0x00, 0x11, 0x22, 0x33, 0x44, 0x55])),
        field(&SRCPORT, 0, 2, Value::UInt(51234)),
        field(&DSTPORT, 2, 2, Value::UInt(7777)),
        field(&PORT, 0, 2, Value::UInt(51234)),
        field(&PORT, 2, 2, Value::UInt(7777)),
        field(&ADDR, 0, 4, Value::Ipv4([10, 1, 2, 3])),
        field(&ADDR, 0, 4, Value::Ipv4([192, 168, 1, 9])),
        field(&ADDR6, 0, 0, Value::Ipv6("fe80::1".parse::<std::net::Ipv6Addr>().map(|a| a.octets()).unwrap_or_default())),
        field(&FLAGS, 0, 2, Value::UInt(0x012)),
        field(&SYN, 0, 2, Value::Bool(true)),
        field(&PROTO_NUM, 0, 1, Value::UInt(6)),
        field(&NAME, 0, 0, Value::Str("www.Example.org".into())),
        field(&PAYLOAD, 6, 11, Value::Bytes),
        field(&SACK_PERM, 17, 2, Value::None),
        field(&RTT, 0, 0, Value::Duration(1_500_000)),
        field(&OFFSET, 0, 4, Value::Int(-5)),
    ];
    let n = fields.len() as u32;
    Dissection {
        layers: vec![Layer {
            proto: "tst",
            title: "Test protocol",
            osi: Osi::Transport,
            offset: 0,
            len: FRAME.len() as u32,
            source: 0,
            fields: 0..n,
            summary: String::new(),
        }],
        fields,
        ..Dissection::default()
    }
}

fn check(text: &str) -> bool {
    register();
    match Filter::compile(text) {
        Ok(f) => f.matches(&sample(), FRAME),
        Err(e) => panic!("{text}: {e}"),
    }
}

fn error(text: &str) -> FilterError {
    register();
    match Filter::compile(text) {
        Ok(_) => panic!("{text} compiled"),
        Err(e) => e,
    }
}

#[test]
fn presence() {
    assert!(check("tst"));
    assert!(check("tst.options.sack_perm"));
    assert!(check("frame"));
    assert!(!check("tsu"));
    assert!(!check("tsu.len"));
    assert!(check("!tsu.len"));
    assert!(check("not tsu"));
}

#[test]
fn integer_comparisons() {
    assert!(check("tst.srcport == 51234"));
    assert!(check("tst.srcport eq 0xc822"));
    assert!(check("tst.dstport == 017141"));
    assert!(check("tst.dstport == 0b1111001100001"));
    assert!(check("tst.srcport > 1024 && tst.dstport <= 7777"));
    assert!(check("tst.srcport gt 1024 and tst.dstport le 7777"));
    assert!(!check("tst.srcport < 1024"));
    assert!(check("tst.srcport ge 51234 and tst.srcport lt 51235"));
    assert!(check("7777 == tst.dstport"));
    assert!(check("1024 < tst.srcport"));
    assert!(check("tst.offset == -5 && tst.offset < 0"));
    assert!(check("tst.dstport == 'a' || tst.dstport != 'a'"));
}

#[test]
fn multi_occurrence_semantics() {
    // tst.port occurs twice: 51234 and 7777.
    assert!(check("tst.port == 7777"));
    assert!(check("tst.port == 51234"));
    assert!(!check("tst.port != 7777"), "!= means no occurrence equals (tshark >= 3.6)");
    assert!(check("tst.port != 80"));
    assert!(check("tst.port ~= 7777"), "~= is any_ne");
    assert!(check("tst.port !== 7777"));
    assert!(check("tst.port any_ne 7777"));
    assert!(!check("tst.port === 7777"));
    assert!(!check("tst.port all_eq 7777"));
    assert!(check("tst.srcport === 51234"));
    // Absent field: every test is false, its negation true.
    assert!(!check("tsu.len == 1"));
    assert!(!check("tsu.len != 1"));
    assert!(!check("tsu.len ~= 1"));
    assert!(check("!(tsu.len == 1)"));
    assert!(!check("tsu.len in {1..10}"));
    assert!(check("tsu.len not in {1..10}"));
}

#[test]
fn sets_and_ranges() {
    assert!(check("tst.port in {80, 443, 7777}"));
    assert!(check("tst.port in {80, 443, 7777}"));
    // tshark 4.0 needs the commas.
    assert!(Filter::compile("tst.port in {80 443 7777}").is_err());
    assert!(check("tst.port in {1024..2048, 7000..8000}"));
    assert!(check("tst.port in {50000 .. 60000}"));
    assert!(!check("tst.srcport in {1..1023}"));
    assert!(check("tst.srcport not in {1..1023}"));
    assert!(check("not tst.srcport in {1..1023}"));
    assert!(check("tst.addr in {10.0.0.0/8}"));
    assert!(check("tst.proto in {UDP, TCP}"));
}

#[test]
fn addresses() {
    assert!(check("tst.addr == 10.1.2.3"));
    assert!(check("tst.addr == 10.0.0.0/8"));
    assert!(check("tst.addr == 192.168.0.0/16"));
    assert!(!check("tst.addr != 192.168.0.0/16"));
    assert!(check("tst.addr != 172.16.0.0/12"));
    assert!(check("tst.addr > 10.1.2.2"));
    assert!(check("tst.addr6 == fe80::1"));
    assert!(check("tst.addr6 == fe80::/10"));
    assert!(!check("tst.addr6 == 2001:db8::/32"));
    assert!(check("tst.mac == 00:11:22:33:44:55"));
    assert!(check("tst.mac == 00-11-22-33-44-55"));
    assert!(check("tst.mac == 0011.2233.4455"));
    assert!(check("tst.mac[0:3] == 00:11:22"));
    assert!(check("tst.mac[-1] == 55"));
    assert!(check("tst.mac[4:] == 44:55"));
    assert!(check("tst.mac[0-1] == 00:11"));
    assert!(check("tst.mac[0:2,4] == 00:11:44"));
    assert!(!check("tst.mac[5:2] == 55"));
    assert!(check("tst.addr[0] == 0a"));
}

#[test]
fn strings_bytes_and_regexes() {
    assert!(check("tst.name == \"www.Example.org\""));
    assert!(!check("tst.name == \"www.example.org\""));
    assert!(check("tst.name contains \"Example\""));
    assert!(!check("tst.name contains \"example\""), "contains is case-sensitive");
    assert!(check("tst.name matches \"EXAMPLE\\\\.org$\""), "matches is case-insensitive");
    assert!(check("tst.name ~ \"^www\""));
    assert!(!check("tst.name matches \"(?-i)EXAMPLE\""));
    assert!(check("tst.name matches r\"^www\\.example\""));
    assert!(check("tst.name == \"www.Ex\\x61mple.org\""));
    assert!(check("tst.payload contains \"HELLO\""));
    assert!(check("tst.payload contains 48:45:4c"));
    assert!(check("tst.payload == \"HELLO world\""));
    assert!(check("tst contains \"world\""));
    assert!(check("frame contains 04:02"));
    assert!(check("tst.options.sack_perm == 04:02"));
    assert!(check("len(tst.payload) == 11"));
    assert!(check("len(tst.name) == 15"));
    assert!(check("count(tst.port) == 2"));
    assert!(check("count(tsu.len) == 0"));
    assert!(check("tst[0:2] == 00:11"));
}

#[test]
fn flags_booleans_and_masks() {
    assert!(check("tst.flags.syn == 1"));
    assert!(check("tst.flags.syn == True"));
    assert!(check("tst.flags.syn == TRUE"));
    assert!(!check("tst.flags.syn == False"));
    assert!(check("tst.flags.syn == 2"), "any non-zero number means true, as in tshark");
    assert!(check("tst.flags.syn"));
    assert!(check("tst.flags == 0x012"));
    assert!(check("tst.flags & 0x02"));
    assert!(!check("tst.flags & 0x04"));
    assert!(check("tst.flags & 0x12 == 0x12"));
    assert!(check("tst.proto == TCP"));
    assert!(check("tst.proto == \"tcp\""));
    assert!(!check("tst.proto == UDP"));
}

#[test]
fn floats_and_durations() {
    assert!(check("tst.rtt > 0.001"));
    assert!(check("tst.rtt < 0.002"));
    assert!(check("tst.rtt == 0.0015"));
}

#[test]
fn field_against_field() {
    assert!(check("tst.srcport > tst.dstport"));
    assert!(!check("tst.srcport == tst.dstport"));
    assert!(check("tst.srcport != tst.dstport"));
    assert!(check("tst.port == tst.dstport"));
}

#[test]
fn precedence() {
    // `and` binds tighter than `or`; `not` tighter than both.
    assert!(check("tst.srcport == 51234 || tst.srcport == 1 && tst.dstport == 1"));
    assert!(check("tst.srcport == 1 && tst.dstport == 1 || tst.srcport == 51234"));
    assert!(!check("(tst.srcport == 51234 || tst.srcport == 1) && tst.dstport == 1"));
    assert!(!check("!tst.srcport == 51234 && tst"));
    assert!(check("not not tst"));
    assert!(check("((tst))"));
}

#[test]
fn errors_name_their_column() {
    let e = error("tst.prot == 80");
    assert_eq!((e.column, e.len), (1, 8));
    assert_eq!(e.suggestion.as_deref(), Some("tst.port"));
    assert_eq!(e.to_string(), "column 1: \"tst.prot\" is not a valid protocol or protocol field (did you mean \"tst.port\"?)");
    assert_eq!(error("tst.port == 70000").column, 13);
    assert_eq!(error("tst.addr == \"10.0.0.1\"").column, 13);
    assert_eq!(error("tst.addr == 10.0.0.300").column, 13);
    assert_eq!(error("(tst.port == 80").column, 1);
    assert_eq!(error("tst.port ==").column, 12);
    assert_eq!(error("tst.name matches \"[\"").column, 18);
    assert_eq!(error("tst.port == 80 80").column, 16);
    assert_eq!(error("tst.port == 80)").column, 15);
    assert_eq!(error("tst.port = 80").column, 10);
    assert_eq!(error("tst.port[0:1] == 00").column, 9);
    assert_eq!(error("tst.flags.syn & 1").column, 15);
    assert_eq!(error("").column, 1);
}

#[test]
fn caret_rendering() {
    let e = error("tst.port == 70000");
    assert_eq!(e.caret_lines("tst.port == 70000"), "tst.port == 70000\n            ^~~~~");
    let e = error("tst.port ==");
    assert_eq!(e.caret_lines("tst.port =="), "tst.port ==\n           ^");
    assert!(e.render("tst.port ==").starts_with("column 12: "));
}

#[test]
fn protocol_bytes_contains_searches_the_payload_too() {
    register();
    // The `tst` layer's own item covers the 6 MAC bytes; the payload follows it.
    let mut d = sample();
    d.layers[0].len = 6;
    let m = |t: &str| Filter::compile(t).map(|f| f.matches(&d, FRAME)).unwrap_or_else(|e| panic!("{t}: {e}"));
    assert!(m("tst contains \"world\""), "contains looks past the protocol's own bytes, as tshark does");
    assert!(m("tst matches \"WORLD\""));
    assert!(!m("tst[6:1] == 48"), "a slice stays inside the protocol's item");
    assert!(m("len(tst) == 6"));
    assert!(m("tst == 00:11:22:33:44:55"));
}

#[test]
fn compiled_filters_do_not_depend_on_text() {
    register();
    let f = Filter::compile("tst.port == 7777").unwrap_or_else(|e| panic!("{e}"));
    let g = f.clone();
    assert_eq!(g.text(), "tst.port == 7777");
    assert!(g.matches(&sample(), FRAME));
    assert!(!g.matches(&Dissection::default(), &[]));
}

#[test]
fn expert_pseudo_fields() {
    register();
    let mut d = sample();
    let m = |d: &Dissection, t: &str| Filter::compile(t).map(|f| f.matches(d, FRAME)).unwrap_or(false);
    assert!(!m(&d, "_ws.malformed") && !m(&d, "_ws.expert"));
    d.experts.push(crate::dissect::Expert {
        severity: crate::dissect::Severity::Error,
        key: "malformed.truncated",
        message: "Malformed Packet".into(),
        field: None,
    });
    assert!(m(&d, "_ws.malformed") && m(&d, "_ws.expert") && m(&d, "count(_ws.expert) == 1"));
}
