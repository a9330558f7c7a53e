//! Every filter in tests/filters_malformed.txt must be rejected with a one-line error naming
//! the expected column, never a panic.

use pktlab::dissect::{Base, FieldDef, FieldType};
use pktlab::filter::Filter;

/// Stand-ins for the real fields the list uses, registered only where the dissector does not
/// (yet) define them; `register` keeps the real definitions when they exist.
static STAND_INS: &[FieldDef] = &[
    FieldDef::new("tcp.port", "Port", FieldType::U16, Base::Dec),
    FieldDef::new("tcp.srcport", "Source Port", FieldType::U16, Base::Dec),
    FieldDef::new("tcp.flags.syn", "Syn", FieldType::Bool, Base::None),
    FieldDef::new("udp.port", "Port", FieldType::U16, Base::Dec),
    FieldDef::new("ip.src", "Source Address", FieldType::Ipv4, Base::None),
    FieldDef::new("ip.addr", "Source or Destination Address", FieldType::Ipv4, Base::None),
    FieldDef::new("ipv6.addr", "Source or Destination Address", FieldType::Ipv6, Base::None),
    FieldDef::new("eth.src", "Source", FieldType::Ether, Base::None),
    FieldDef::new("dns.qry.name", "Name", FieldType::Str, Base::None),
];

#[test]
fn malformed_filters_fail_with_their_column() {
    let defs: Vec<&'static FieldDef> = STAND_INS.iter().collect();
    pktlab::fields::register(&defs);
    let list = include_str!("filters_malformed.txt");
    let mut cases = 0;
    let mut wrong = Vec::new();
    for line in list.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let Some((column, text)) = line.split_once('\t') else {
            panic!("bad line in filters_malformed.txt: {line:?}");
        };
        let column: usize = column.parse().unwrap_or(0);
        cases += 1;
        match Filter::compile(text) {
            Ok(_) => wrong.push(format!("{text:?} compiled")),
            Err(e) => {
                let msg = e.to_string();
                println!("{}\n", e.render(text));
                assert!(!msg.contains('\n'), "multi-line error for {text:?}: {msg}");
                if e.column != column {
                    wrong.push(format!("{text:?}: column {} (expected {column}): {msg}", e.column));
                }
            }
        }
    }
    assert!(cases >= 20, "only {cases} malformed filters listed");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    println!("{cases} malformed filters rejected at the expected column");
}

#[test]
fn empty_filter_is_an_error() {
    for text in ["", "   "] {
        let e = Filter::compile(text).err();
        assert_eq!(e.map(|e| e.column), Some(1), "{text:?}");
    }
}
