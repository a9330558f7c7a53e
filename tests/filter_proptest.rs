//! The filter compiler never panics: not on random text, not on random mutations of valid
//! filters; and whatever compiles evaluates without panicking on empty and odd dissections.

use pktlab::dissect::{Base, Dissection, Field, FieldDef, FieldType, Layer, Osi, Value};
use pktlab::filter::Filter;
use proptest::prelude::*;

static STAND_INS: &[FieldDef] = &[
    FieldDef::new("tcp.port", "Port", FieldType::U16, Base::Dec),
    FieldDef::new("tcp.flags", "Flags", FieldType::U16, Base::Hex),
    FieldDef::new("tcp.flags.syn", "Syn", FieldType::Bool, Base::None),
    FieldDef::new("ip.addr", "Address", FieldType::Ipv4, Base::None),
    FieldDef::new("ipv6.addr", "Address", FieldType::Ipv6, Base::None),
    FieldDef::new("eth.src", "Source", FieldType::Ether, Base::None),
    FieldDef::new("dns.qry.name", "Name", FieldType::Str, Base::None),
    FieldDef::new("data.data", "Data", FieldType::Bytes, Base::None),
];

/// Valid filters whose mutations are tried.
const SEEDS: &[&str] = &[
    "tcp.port == 80 && ip.addr == 10.0.0.0/8",
    "!(tcp.flags.syn == 1) || udp",
    "tcp.port in {80, 443, 1024..2048}",
    "dns.qry.name matches \"^www\\\\.\" and eth.src[0:3] == 00:11:22",
    "data.data contains \"GET\" or frame contains 47:45:54",
    "tcp.flags & 0x12 == 0x12 and len(dns.qry.name) > 3 and count(tcp.port) == 2",
    "ipv6.addr == fe80::/10 or tcp.port !== 80 or tcp.port ~= 1",
];

fn setup() {
    let defs: Vec<&'static FieldDef> = STAND_INS.iter().collect();
    pktlab::fields::register(&defs);
}

/// A dissection whose fields point outside the frame and carry values of the wrong type.
fn odd_dissection() -> Dissection {
    let mut d = Dissection::default();
    for (i, def) in STAND_INS.iter().enumerate() {
        let value = match i % 4 {
            0 => Value::Bytes,
            1 => Value::UInt(u64::MAX),
            2 => Value::Str("x".into()),
            _ => Value::Ipv4([1, 2, 3, 4]),
        };
        d.fields.push(Field { def, offset: 1000, len: 7, depth: 0, source: 3, generated: false, hidden: false, value });
    }
    d.layers.push(Layer {
        proto: "tcp",
        title: "TCP",
        osi: Osi::Transport,
        offset: u32::MAX,
        len: u32::MAX,
        source: 9,
        fields: 0..100,
        summary: String::new(),
    });
    d
}

fn exercise(text: &str) {
    setup();
    if let Ok(f) = Filter::compile(text) {
        let _ = f.matches(&Dissection::default(), &[]);
        let _ = f.matches(&odd_dissection(), &[1, 2, 3]);
    } else if let Err(e) = Filter::compile(text) {
        assert!(e.column >= 1 && e.len >= 1);
        let _ = e.render(text);
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let n = chars.len().max(1);
        match *e {
            Edit::Insert(i, c) => chars.insert(i % (chars.len() + 1), c),
            Edit::Delete(i) if !chars.is_empty() => {
                chars.remove(i % n);
            }
            Edit::Replace(i, c) if !chars.is_empty() => chars[i % n] = c,
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn filter_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select("()[]{}!=<>&|~,.:/-_\"'\\ 0123456789abcdefxr#$%^*+?é한".chars().collect::<Vec<_>>()),
        any::<char>(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), filter_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), filter_char()).prop_map(|(i, c)| Edit::Replace(i, c)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,80}") {
        exercise(&text);
    }

    #[test]
    fn random_filter_like_text_never_panics(chars in prop::collection::vec(filter_char(), 0..60)) {
        let text: String = chars.into_iter().collect();
        exercise(&text);
    }

    #[test]
    fn mutated_valid_filters_never_panic(seed in 0..SEEDS.len(), edits in prop::collection::vec(edit(), 1..6)) {
        exercise(&apply(SEEDS[seed], &edits));
    }
}

#[test]
fn seeds_are_valid() {
    setup();
    for s in SEEDS {
        assert!(Filter::compile(s).is_ok(), "{s}: {:?}", Filter::compile(s).err());
    }
}
