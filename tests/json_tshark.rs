//! `pktlab dissect -T json` against `tshark -T json`, `pktlab dissect -V` against `tshark -V`
//! (and MAC vendor names against tshark's), over the public captures. Needs tshark 4.0 at
//! test time; skipped with a message without it.
//!
//! The JSON comparison is the one bench/json-compare.py makes: per frame, the multiset of
//! leaves (the key path from the protocol layer down, duplicate keys kept, and the value
//! string), counted both ways: recall (tshark's leaves pktlab has) and precision (pktlab's
//! leaves tshark has). It takes a few minutes, so it is opt-in:
//! `cargo test --release --test json_tshark -- --ignored --nocapture`.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The issue's target for both counts.
const TARGET: f64 = 99.0;
/// What pktlab reaches on the public captures today (recall, precision, in %; 99.12% and
/// 99.53% on 2026-12-05): the test fails below these, so nothing slips back; it reports the
/// distance to [`TARGET`].
const FLOOR: (f64, f64) = (99.1, 99.5);

/// The leaves under one JSON value, each as (key path, value).
struct Leaves<'a> {
    path: String,
    out: &'a mut Vec<(String, String)>,
}

impl<'de> DeserializeSeed<'de> for Leaves<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Leaves<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.out.push((self.path, v.to_owned()));
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.out.push((self.path, "null".into()));
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.out.push((self.path, v.to_string()));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.out.push((self.path, v.to_string()));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.out.push((self.path, v.to_string()));
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.out.push((self.path, v.to_string()));
        Ok(())
    }
    /// An array counts its elements under `KEY[]` (tshark writes none without
    /// --no-duplicate-keys).
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let path = format!("{}[]", self.path);
        while seq.next_element_seed(Leaves { path: path.clone(), out: &mut *self.out })?.is_some() {}
        Ok(())
    }
    /// Every member, a repeated key as often as it is written; an empty object is one leaf.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut any = false;
        while let Some(k) = map.next_key::<String>()? {
            any = true;
            let path = if self.path.is_empty() { k } else { format!("{}/{k}", self.path) };
            map.next_value_seed(Leaves { path, out: &mut *self.out })?;
        }
        if !any {
            self.out.push((self.path, "{}".into()));
        }
        Ok(())
    }
}

/// The frames of a `-T json` document: each frame's leaves under `_source/layers`.
struct Frames(Vec<Vec<(String, String)>>);

impl<'de> Visitor<'de> for &mut Frames {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of frames")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let mut all = Vec::new();
            if seq.next_element_seed(Leaves { path: String::new(), out: &mut all })?.is_none() {
                return Ok(());
            }
            let layers = all.into_iter().filter_map(|(p, v)| p.strip_prefix("_source/layers/").map(|p| (p.to_owned(), v))).collect();
            self.0.push(layers);
        }
    }
}

fn frames(text: &str) -> Vec<Vec<(String, String)>> {
    let mut f = Frames(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_seq(&mut f).expect("a -T json document");
    f.0
}

/// Leaves both documents share, frame by frame (multisets), and each one's count.
fn agreement(a: &[Vec<(String, String)>], b: &[Vec<(String, String)>]) -> (u64, u64, u64) {
    let (mut hit, mut na, mut nb) = (0u64, 0u64, 0u64);
    for i in 0..a.len().max(b.len()) {
        let fa = a.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let fb = b.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let mut count: HashMap<&(String, String), i64> = HashMap::new();
        for l in fa {
            *count.entry(l).or_default() += 1;
        }
        for l in fb {
            if let Some(c) = count.get_mut(l)
                && *c > 0
            {
                *c -= 1;
                hit += 1;
            }
        }
        na += fa.len() as u64;
        nb += fb.len() as u64;
    }
    (hit, na, nb)
}

/// tshark 4.0, or why the test is skipped.
fn tshark() -> Result<(), String> {
    let out = Command::new("tshark").arg("--version").output().map_err(|_| "tshark is not installed: skipped".to_owned())?;
    let v = String::from_utf8_lossy(&out.stdout);
    if !v.contains(" 4.0.") {
        return Err(format!("tshark is not 4.0 ({}): skipped", v.lines().next().unwrap_or("")));
    }
    Ok(())
}

fn public_captures() -> Option<Vec<PathBuf>> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures/public"));
    let mut caps: Vec<PathBuf> =
        std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng")).collect();
    caps.sort();
    Some(caps)
}

/// The public captures, when tshark 4.0 and they are both here; else `None`, why printed.
fn tshark_and_captures() -> Option<Vec<PathBuf>> {
    if let Err(why) = tshark() {
        println!("{why}");
        return None;
    }
    let caps = public_captures();
    if caps.is_none() {
        println!("../shared/captures/public is absent: skipped");
    }
    caps
}

/// `hit` out of `of`, in percent.
fn pct(hit: u64, of: u64) -> f64 {
    hit as f64 * 100.0 / of.max(1) as f64
}

fn run(cmd: &mut Command) -> String {
    cmd.env("TZ", "UTC").env("WIRESHARK_CONFIG_DIR", std::env::temp_dir().join("pktlab-empty-wireshark-config"));
    let out = cmd.output().expect("run");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const PREFS: [&str; 6] = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"];

#[test]
fn leaves_count_duplicate_keys_and_mark_arrays() {
    let doc = r#"[{"_index":"x","_source":{"layers":{"tcp":{"tcp.options.nop":"01","tcp.options.nop":"01","a":["1","2"],"e":{}}}}}]"#;
    let f = frames(doc);
    assert_eq!(f.len(), 1);
    let leaves: Vec<String> = f[0].iter().map(|(p, v)| format!("{p}={v}")).collect();
    assert_eq!(leaves, ["tcp/tcp.options.nop=01", "tcp/tcp.options.nop=01", "tcp/a[]=1", "tcp/a[]=2", "tcp/e={}"]);
    let other = frames(r#"[{"_source":{"layers":{"tcp":{"tcp.options.nop":"01","a":"1"}}}}]"#);
    // Shared: one nop (of two); `a` as a plain string is not `a[]`.
    assert_eq!(agreement(&f, &other), (1, 5, 2));
}

#[test]
fn json_leaves_agree_with_tshark() {
    let Some(caps) = tshark_and_captures() else { return };
    let (mut hit, mut nt, mut np) = (0u64, 0u64, 0u64);
    for cap in &caps {
        let t = frames(&run(Command::new("tshark").arg("-r").arg(cap).args(["-T", "json"]).args(PREFS)));
        let p = frames(&run(Command::new(env!("CARGO_BIN_EXE_pktlab")).args(["dissect", "-T", "json"]).arg(cap)));
        assert_eq!(t.len(), p.len(), "{}: frame count", cap.display());
        let (h, a, b) = agreement(&t, &p);
        println!("{:6.2}% {:6.2}% {}", pct(h, a), pct(h, b), cap.display());
        (hit, nt, np) = (hit + h, nt + a, np + b);
    }
    let (recall, precision) = (pct(hit, nt), pct(hit, np));
    println!("recall {recall:.2}% ({hit}/{nt}), precision {precision:.2}% ({hit}/{np}); the target is {TARGET}% both ways");
    assert!(recall >= FLOOR.0 && precision >= FLOOR.1, "recall {recall:.2}% / precision {precision:.2}% fell below {FLOOR:?}");
}

/// The `-V` lines of each frame (a blank line ends a frame; the lines before the first
/// frame, none).
fn tree_frames(text: &str) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = Vec::new();
    for line in text.lines() {
        if line.starts_with("Frame ") {
            out.push(Vec::new());
        }
        if let Some(f) = out.last_mut()
            && !line.is_empty()
        {
            f.push((line.to_owned(), String::new()));
        }
    }
    out
}

/// Captures whose every `-V` line is tshark's, in the same order (one per protocol fixed to
/// tshark's words: ICMPv6 neighbour-discovery options, VXLAN, 802.1Q, null/loopback...).
const TREES_EQUAL: &[&str] = &[
    "chrissanders-tcp_handshake.pcapng",
    "tcpdump-icmpv6.pcap",
    "tcpdump-vxlan.pcap",
    "tcpdump-dns_udp.pcap",
    "tcpdump-ipv6-routing-header.pcap",
    "zeek-chksums-localhost-bad-chksum.pcap",
    "zeek-pcapng-multi-interface.pcapng",
    "zeek-udp-packet.pcap",
];

/// Over every public capture, tshark's `-V` lines that `pktlab dissect -V --no-osi-tags`
/// prints identically in the same frame (recall), and the other way (precision), with the
/// checksum preferences and TZ of both alike; the captures of [`TREES_EQUAL`] byte for byte.
/// (The rest are protocols pktlab does not dissect: FIX, SMTP, SMB, 802.11...)
#[test]
fn tree_lines_agree_with_tshark() {
    let Some(caps) = tshark_and_captures() else { return };
    let (mut hit, mut nt, mut np) = (0u64, 0u64, 0u64);
    let mut equal = 0;
    for cap in &caps {
        let t = run(Command::new("tshark").arg("-r").arg(cap).arg("-V").args(PREFS));
        // (The same preferences given to both: given, a wrong checksum stops reassembly in
        // both; pktlab's default verifies checksums but reassembles, as tshark's default.)
        let p = run(Command::new(env!("CARGO_BIN_EXE_pktlab")).args(["dissect", "-V", "--no-osi-tags"]).arg(cap).args(PREFS));
        let name = cap.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if TREES_EQUAL.contains(&name) {
            assert!(t == p, "{name}: -V differs from tshark's");
            equal += 1;
        }
        let (h, a, b) = agreement(&tree_frames(&t), &tree_frames(&p));
        println!("{:6.2}% {:6.2}% {}", pct(h, a), pct(h, b), cap.display());
        (hit, nt, np) = (hit + h, nt + a, np + b);
    }
    assert_eq!(equal, TREES_EQUAL.len(), "a capture of TREES_EQUAL is missing");
    let (recall, precision) = (pct(hit, nt), pct(hit, np));
    println!("-V lines: recall {recall:.2}% ({hit}/{nt}), precision {precision:.2}% ({hit}/{np}); {equal} captures byte for byte");
    assert!(recall >= TREE_FLOOR.0 && precision >= TREE_FLOOR.1, "recall {recall:.2}% / precision {precision:.2}% fell below {TREE_FLOOR:?}");
}

/// What the `-V` agreement may not fall below: its value when the test was written (the
/// remaining lines are mostly protocols pktlab does not dissect).
const TREE_FLOOR: (f64, f64) = (98.8, 96.4);

#[test]
fn mac_names_equal_tsharks() {
    if let Err(why) = tshark() {
        println!("{why}");
        return;
    }
    let mut caps = public_captures().unwrap_or_default();
    for dir in ["captures", "captures/app"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "pcap")).collect();
        v.sort();
        caps.extend(v);
    }
    let fields = ["-e", "eth.src_resolved", "-e", "eth.dst_resolved", "-e", "eth.src.oui_resolved", "-e", "eth.dst.oui_resolved", "-e", "eth.addr_resolved"];
    let mut lines = 0;
    for cap in &caps {
        let t = run(Command::new("tshark").arg("-r").arg(cap).args(["-T", "fields"]).args(fields));
        let p = run(Command::new(env!("CARGO_BIN_EXE_pktlab")).args(["dissect", "-T", "fields"]).args(fields).arg(cap));
        for (n, (a, b)) in t.lines().zip(p.lines()).enumerate() {
            assert_eq!(a, b, "{} frame {}", cap.display(), n + 1);
        }
        assert_eq!(t.lines().count(), p.lines().count(), "{}", cap.display());
        lines += t.lines().count();
    }
    // With -n both print the addresses themselves.
    let cap = caps.first().expect("a capture");
    let t = run(Command::new("tshark").arg("-n").arg("-r").arg(cap).args(["-T", "fields"]).args(fields));
    let p = run(Command::new(env!("CARGO_BIN_EXE_pktlab")).args(["dissect", "-n", "-T", "fields"]).args(fields).arg(cap));
    assert_eq!(t, p);
    println!("{lines} frames of {} captures: MAC names equal tshark's", caps.len());
}

/// Captures recorded on this machine after the tree and JSON were fitted to the public ones
/// (`captures/app/more.pcap`: HTTP with JSON bodies and a form, DNS on a port found by its
/// header, ICMP errors quoting UDP payloads, TLS 1.3 and 1.2, WebSocket; `decode-as.pcap`:
/// DNS and HTTP on ports their dissectors do not know; `captures/app/encoded.pcap`: HTTP
/// bodies in gzip, deflate, brotli, chunked gzip, broken, cut short and undecodable
/// codings; `captures/app/images.pcap`: PNG images whole, cut short, refused and found by
/// their look, in uploads; `captures/app/xml.pcap`: XML documents of every token kind and
/// written wrong; `captures/app/gif.pcap`: GIF images of both versions with every block
/// kind, stray bytes, cut short, refused and found by their look, in an upload, and as
/// segments read on their own; `captures/app/http-port.pcap`: a game server's own protocol
/// on HTTP's port 8080, continuations and bytes HTTP takes without showing; the lessons'
/// `handshake.pcap`, whose `GET /map` on 8080 HTTP waits for; `udp-frag.pcap`: IPv4
/// fragment trees; the lessons' `bulk-loss.pcap`, `zero-window.pcap` and `deadlink.pcap`:
/// retransmitted and out-of-order payloads no protocol reads; the QUIC captures: a packet a
/// layer, TLS inside CRYPTO frames, transport parameters, Retry, handshake fragments,
/// undecryptable packets): `-V`, the summary lines and `-T
/// json` byte for byte tshark's, with checksums verified on both sides (no reassembly of the
/// loopback's segments: bodies read on their own) and with tshark's defaults (reassembled).
#[test]
fn own_captures_print_what_tshark_prints() {
    if let Err(why) = tshark() {
        println!("{why}");
        return;
    }
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    const DEFAULTS: [&str; 6] = ["-o", "ip.check_checksum:FALSE", "-o", "tcp.check_checksum:FALSE", "-o", "udp.check_checksum:FALSE"];
    let mut outputs = 0;
    for cap in [own.join("app/more.pcap"), own.join("decode-as.pcap"), own.join("app/encoded.pcap"), own.join("app/images.pcap"), own.join("app/xml.pcap"), own.join("app/gif.pcap"), own.join("app/http-port.pcap"), own.join("handshake.pcap"), own.join("udp-frag.pcap"), own.join("bulk-loss.pcap"), own.join("zero-window.pcap"), own.join("deadlink.pcap"), own.join("quic.pcap"), own.join("app/quic.pcap"), own.join("app/quic-more.pcap")] {
        for prefs in [PREFS, DEFAULTS] {
            for (tshark_args, pktlab_args) in [(&["-V"][..], &["-V", "--no-osi-tags"][..]), (&[], &[]), (&["-T", "json"], &["-T", "json"])] {
                let t = run(Command::new("tshark").arg("-r").arg(&cap).args(tshark_args).args(prefs));
                let p = run(Command::new(env!("CARGO_BIN_EXE_pktlab")).arg("dissect").args(pktlab_args).arg(&cap).args(prefs));
                assert!(!t.is_empty(), "tshark printed nothing for {}", cap.display());
                if t != p {
                    let at = t.lines().zip(p.lines()).position(|(a, b)| a != b).unwrap_or(t.lines().count().min(p.lines().count()));
                    panic!("{} {pktlab_args:?} {prefs:?}: line {} differs:\ntshark: {:?}\npktlab: {:?}", cap.display(), at + 1, t.lines().nth(at), p.lines().nth(at));
                }
                outputs += 1;
            }
        }
    }
    println!("{outputs} outputs of 15 captures byte for byte tshark's");
}

/// QUIC's fields and the TLS inside its CRYPTO frames are found by filters as tshark finds
/// them, expert items and counts of the packets a datagram holds included.
#[test]
fn filters_find_quic_and_its_tls_as_tshark_does() {
    if let Err(why) = tshark() {
        println!("{why}");
        return;
    }
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let filters = [
        "tls", "count(tls) == 1", "tls.handshake.type == 2", "quic.retry_integrity_tag", "tls.handshake.fragment", "quic.decryption_failed",
        "tls.quic.parameter.max_idle_timeout == 60000", "quic.cc.error_code.tls_alert == 120", "count(quic) == 3", "quic.remaining_payload",
        "tls.handshake.extensions.psk.identity.selected == 0", "quic.coalesced_padding_data", "quic.ack.ack_delay > 100",
    ];
    let checked = same_frames(&own, &["quic.pcap", "app/quic.pcap", "app/quic-more.pcap"], &filters, &[]);
    println!("{checked} filters on 3 QUIC captures select tshark's frames");
}

/// A protocol whose item sits inside another protocol's tree (data under HTTP, an image,
/// XML or JSON document, text or an unread type in a multipart part) is found by a filter
/// naming the protocol, as tshark finds it: present, counted, its bytes and its length.
#[test]
fn filters_find_protocols_inside_other_trees_as_tshark_does() {
    if let Err(why) = tshark() {
        println!("{why}");
        return;
    }
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/app");
    let filters = [
        "png", "image-gif", "xml", "json", "media", "data", "data-text-lines", "count(xml) > 1", "count(data) == 2", "count(media) >= 2",
        "png[0:4] == 89:50:4e:47", "len(image-gif) == 59", "image-gif#1", "!image-gif && http.content_type contains \"gif\"",
    ];
    let checked = same_frames(&own, &["images.pcap", "xml.pcap", "gif.pcap", "more.pcap", "encoded.pcap"], &filters, &[]);
    println!("{checked} filters on 5 captures select tshark's frames");
}

/// With segments read on their own (a bad checksum verified), a retransmission's TLS record
/// is read by no protocol (app/tls.pcap frame 26): a filter naming TLS does not keep it, as
/// tshark's does not, though the lean filter pass alone would have read the record.
#[test]
fn filters_on_protocols_above_tcp_see_the_analysis_verdict() {
    if let Err(why) = tshark() {
        println!("{why}");
        return;
    }
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/app");
    let filters = ["tls", "tls.record", "tls.record.content_type == 23", "http", "frame.number >= 20"];
    let mut checked = 0;
    for prefs in [&PREFS[..], &[]] {
        checked += same_frames(&own, &["tls.pcap", "websocket.pcap"], &filters, prefs);
    }
    println!("{checked} filters select tshark's frames with and without checksums verified");
}

/// Runs each filter on each capture (under `dir`) with tshark and pktlab (`-n`, and `prefs`
/// on both sides) and asserts they keep the same frames; how many runs were compared.
fn same_frames(dir: &Path, caps: &[&str], filters: &[&str], prefs: &[&str]) -> usize {
    let frames = |out: String| out.lines().map(|l| l.split_whitespace().next().unwrap_or("").to_owned()).collect::<Vec<_>>();
    let mut checked = 0;
    for cap in caps {
        let cap = dir.join(cap);
        for filter in filters {
            let t = frames(run(Command::new("tshark").arg("-n").arg("-r").arg(&cap).args(["-Y", filter]).args(prefs)));
            let p = frames(run(Command::new(env!("CARGO_BIN_EXE_pktlab")).args(["dissect", "-n"]).arg(&cap).args(["-Y", filter]).args(prefs)));
            assert_eq!(p, t, "{} -Y '{filter}' {prefs:?}", cap.display());
            checked += 1;
        }
    }
    checked
}

/// The XML items cover the bytes tshark's do, as its PDML gives them (the hex view lights
/// them): a tag up to its closing tag, the declaration's version only its value, a document
/// type its name, the layer up to a closing tag found with nothing open.
#[test]
fn xml_items_cover_the_bytes_tsharks_do() {
    if let Err(why) = tshark() {
        println!("{why}");
        return;
    }
    let cap = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/app/xml.pcap");
    let pdml = run(Command::new("tshark").arg("-r").arg(&cap).args(["-T", "pdml"]));
    let item = regex::Regex::new(r#"<(?:field|proto) name="(xml[a-z.]*)"[^>]*? size="(\d+)" pos="(\d+)""#).expect("regex");
    let packet = regex::Regex::new(r"<packet>").expect("regex");
    let tshark: Vec<Vec<(String, usize, usize)>> = packet
        .split(&pdml)
        .skip(1)
        .map(|p| item.captures_iter(p).map(|c| (c[1].to_owned(), c[3].parse().unwrap_or(0), c[2].parse().unwrap_or(0))).collect())
        .collect();
    let file = pktlab::capture::CaptureFile::open(&cap).expect("open");
    let mut dis = pktlab::dissect::Dissector::new();
    let mut items = 0;
    for (i, rec) in file.records().enumerate() {
        let rec = rec.expect("record");
        let mut d = pktlab::dissect::Dissection::default();
        dis.dissect(&rec.meta(i as u64 + 1), rec.data, &mut d);
        let mut ours = Vec::new();
        for l in d.layers.iter().filter(|l| l.proto == "xml") {
            ours.push(("xml".to_owned(), l.offset as usize, l.len as usize));
        }
        // (A part's document: the protocol's item, then its fields; the layer's own first.)
        ours.extend(d.fields.iter().filter(|f| f.def.abbrev.starts_with("xml")).map(|f| (f.def.abbrev.to_owned(), f.offset as usize, f.len as usize)));
        let mut theirs = tshark.get(i).cloned().unwrap_or_default();
        theirs.sort();
        ours.sort();
        assert_eq!(ours, theirs, "frame {}", i + 1);
        items += ours.len();
    }
    assert!(items > 500, "{items} XML items");
    println!("{items} XML items cover tshark's bytes");
}
