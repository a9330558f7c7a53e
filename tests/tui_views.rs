//! The conversations (`C`), follow (`F`), expert (`E`) and summary (`S`) views, drawn with
//! ratatui's TestBackend at 80x24 and wide, checked against what the CLI prints for the same
//! committed capture (`pktlab stats conv`, `pktlab stats expert`, `pktlab follow`, `pktlab
//! dissect -T fields`); Enter in `C` filters the list to exactly that conversation's frames;
//! and one tmux session drives the real binary through C → Enter → E → Enter → F → Esc.

use pktlab::analysis::conv::size;
use pktlab::explain::Lang;
use pktlab::tui::app::{Action, App, Mode};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod common;
use common::{Tmux, capture, draw};

fn open(name: &str, lang: Lang) -> App {
    common::open_app(name, lang, false)
}

/// Opens a view whose numbers come from the statistics pass, and waits for the pass.
fn open_view(a: &mut App, action: Action) {
    a.update(action);
    a.store.wait_idle();
    a.tick();
}

fn cap_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name)
}

/// What the `pktlab` binary prints for `args`.
fn cli(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_pktlab")).args(args).output().expect("pktlab runs");
    assert!(out.status.success(), "pktlab {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// One row of `pktlab stats conv` (tshark's `-z conv` text).
#[derive(Debug)]
struct CliConv {
    a: String,
    b: String,
    frames_ba: u64,
    bytes_ba: String,
    frames_ab: u64,
    bytes_ab: String,
    frames: u64,
    bytes: String,
    start: String,
    duration: String,
}

/// The rows of the `proto` table ("TCP" or "UDP") of `pktlab stats conv FILE`.
fn cli_conv(file: &str, proto: &str) -> Vec<CliConv> {
    let text = cli(&["stats", "conv", cap_path(file).to_str().expect("path")]);
    let table = text.split(&format!("{proto} Conversations")).nth(1).expect("table");
    let mut rows = Vec::new();
    for l in table.lines().skip(4) {
        if l.starts_with('=') {
            break;
        }
        // a <-> b  Fba SIZE UNIT  Fab SIZE UNIT  F SIZE UNIT  START  DUR
        let t: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(t.len(), 14, "{l}");
        let n = |i: usize| t[i].parse::<u64>().expect("number");
        let sz = |i: usize| format!("{} {}", t[i], t[i + 1]);
        rows.push(CliConv {
            a: t[0].into(),
            b: t[2].into(),
            frames_ba: n(3),
            bytes_ba: sz(4),
            frames_ab: n(6),
            bytes_ab: sz(7),
            frames: n(9),
            bytes: sz(10),
            start: t[12].into(),
            duration: t[13].into(),
        });
    }
    rows
}

/// The table rows of the conversations view as drawn (the lines between the heading and the
/// lines about the selection), split into cells.
fn table_cells(screen: &[String]) -> Vec<Vec<String>> {
    let head = screen.iter().position(|l| l.contains("주소 A") || l.contains("Address A")).expect("heading");
    screen[head + 1..]
        .iter()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn conversations_show_what_stats_conv_prints() {
    for name in ["bulk-loss.pcap", "handshake.pcap", "game.pcap"] {
        let mut a = open(name, Lang::Ko);
        open_view(&mut a, Action::Conversations);
        assert_eq!(a.mode, Mode::Conversations);
        for proto in ["TCP", "UDP"] {
            let want = cli_conv(name, proto);
            if proto == "UDP" {
                a.update(Action::FocusNext);
            }
            // Wide: every column, in the CLI's order of rows (most frames first).
            let s = draw(&mut a, 160, 40);
            let rows = table_cells(&s);
            if want.is_empty() {
                assert!(s.iter().any(|l| l.contains("이 프로토콜의 대화가 없어요")), "{name} {proto}:\n{}", s.join("\n"));
                continue;
            }
            assert_eq!(rows.len(), want.len(), "{name} {proto}:\n{}", s.join("\n"));
            for (got, w) in rows.iter().zip(&want) {
                // # A B A→B frames, bytes, B→A frames, bytes, frames, bytes, start, duration
                assert_eq!(got.len(), 11, "{got:?}");
                let num = |i: usize| got[i].parse::<u64>().expect("number");
                assert_eq!((&got[1], &got[2]), (&w.a, &w.b), "{name} {proto}");
                assert_eq!((num(3), size(num(4))), (w.frames_ab, w.bytes_ab.clone()), "{name} {proto} A→B");
                assert_eq!((num(5), size(num(6))), (w.frames_ba, w.bytes_ba.clone()), "{name} {proto} B→A");
                assert_eq!((num(7), size(num(8))), (w.frames, w.bytes.clone()), "{name} {proto} total");
                assert_eq!((&got[9], &got[10]), (&w.start, &w.duration), "{name} {proto} start, duration");
            }
            // 80x24: the ends, the totals and the start of each row; the selected row's
            // directions and duration below the table (the first row selected).
            a.update(Action::Top);
            let s = draw(&mut a, 80, 24);
            let rows = table_cells(&s);
            for (got, w) in rows.iter().zip(&want) {
                assert_eq!((&got[1], &got[2], &got[5]), (&w.a, &w.b, &w.start), "{name} {proto} 80x24:\n{}", s.join("\n"));
                assert_eq!(got[3].parse::<u64>().ok(), Some(w.frames));
            }
            let text = s.join("\n");
            let first = &want[0];
            assert!(text.contains(&format!("A→B 프레임 {}개", first.frames_ab)) && text.contains(&format!("B→A 프레임 {}개", first.frames_ba)), "{text}");
            assert!(text.contains(&format!("기간 {}초", first.duration)), "{text}");
        }
        a.update(Action::Cancel);
        assert_eq!(a.mode, Mode::Normal);
    }
}

#[test]
fn conversations_sort_by_a_column_and_reverse() {
    let mut a = open("game.pcap", Lang::En);
    open_view(&mut a, Action::Conversations);
    draw(&mut a, 120, 30);
    let frames = |a: &App| -> Vec<u64> {
        let st = &a.store.stats.as_ref().expect("stats").stats;
        a.conv.order().iter().map(|s| pktlab::tui::conv_view::row(st, a.conv.shown(st), *s).expect("row").frames()).collect()
    };
    assert_eq!(frames(&a), [77, 71], "tshark's order: most frames first");
    a.update(Action::Input('r'));
    draw(&mut a, 120, 30);
    assert_eq!(frames(&a), [71, 77]);
    // s: bytes, then A→B frames…; the heading marks the column.
    a.update(Action::Input('s'));
    let s = draw(&mut a, 120, 30).join("\n");
    assert!(s.contains("sorted by Bytes ↓") && s.contains("Bytes↓"), "{s}");
    let st = &a.store.stats.as_ref().expect("stats").stats;
    let bytes: Vec<u64> = a.conv.order().iter().map(|s| pktlab::tui::conv_view::row(st, a.conv.shown(st), *s).expect("row").bytes()).collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]), "{bytes:?}");
    for _ in 0..7 {
        a.update(Action::Input('s'));
    }
    let s = draw(&mut a, 120, 30).join("\n");
    assert!(s.contains("sorted by Address A ↑"), "{s}");
}

/// The frames `pktlab dissect -Y FILTER` keeps.
fn cli_frames(file: &str, filter: &str) -> Vec<u64> {
    cli(&["dissect", "-Y", filter, "-T", "fields", "-e", "frame.number", cap_path(file).to_str().expect("path")]).lines().map(|l| l.trim().parse().expect("number")).collect()
}

#[test]
fn enter_in_conversations_lists_exactly_that_conversation() {
    for (name, tab, down) in [("game.pcap", false, 1), ("game.pcap", true, 0), ("game.pcap", true, 1), ("bulk-loss.pcap", false, 0)] {
        let mut a = open(name, Lang::Ko);
        open_view(&mut a, Action::Conversations);
        if tab {
            a.update(Action::FocusNext);
        }
        draw(&mut a, 80, 24);
        for _ in 0..down {
            a.update(Action::Down);
        }
        let st = &a.store.stats.as_ref().expect("stats").stats;
        let proto = a.conv.shown(st);
        let row = pktlab::tui::conv_view::row(st, proto, a.conv.selected.expect("selected")).expect("row").clone();
        a.update(Action::Submit);
        assert_eq!(a.mode, Mode::Normal);
        let filter = row.filter(proto);
        assert_eq!(a.active_filter(), Some(filter.as_str()));
        a.store.wait_idle();
        a.tick();
        let shown: Vec<u64> = (0..a.shown_len()).map(|i| a.frame_at(i).expect("row")).collect();
        assert_eq!(shown.len() as u64, row.frames(), "{name} {filter}: the conversation's frame count");
        // Exactly the frames of the stream, as the analysis numbers them (independently of
        // the TUI: the CLI's filter over the file).
        assert_eq!(shown, cli_frames(name, &filter), "{name} {filter}");
        let s = draw(&mut a, 80, 24).join("\n");
        assert!(s.contains(&format!("{}/{}", row.frames(), a.store.len())) && s.contains(&filter), "{s}");
        assert_eq!(a.selected_frame(), shown.first().copied(), "the selection moves into the conversation");
    }
}

/// `pktlab stats expert FILE`: (severity, frames, items, first frame, key).
fn cli_expert(file: &str) -> Vec<(String, u64, u64, u64, String)> {
    let text = cli(&["stats", "expert", cap_path(file).to_str().expect("path")]);
    text.lines()
        .skip_while(|l| !l.starts_with("Severity"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            let n = |i: usize| t[i].parse::<u64>().expect("number");
            (t[0].to_owned(), n(1), n(2), n(3), t[4].to_owned())
        })
        .collect()
}

#[test]
fn expert_view_counts_what_stats_expert_counts_and_enter_jumps() {
    for name in ["bulk-loss.pcap", "handshake.pcap", "game.pcap", "rst.pcap", "zero-window.pcap"] {
        let want = cli_expert(name);
        let mut a = open(name, Lang::Ko);
        open_view(&mut a, Action::Expert);
        assert_eq!(a.mode, Mode::Expert);
        // Tall enough for every line of the table (one group per checksum value: 389 in
        // game.pcap, whose loopback checksums were never filled in).
        let n = a.store.stats.as_ref().expect("stats").stats.expert.groups().len() as u16;
        let s = draw(&mut a, 120, n + 30);
        let text = s.join("\n");
        // Each severity's heading counts its items; the rows of one key add up to its items.
        for (sev, ko) in [("Error", "오류"), ("Warning", "경고"), ("Note", "참고"), ("Chat", "알림")] {
            let items: u64 = want.iter().filter(|w| w.0 == sev).map(|w| w.2).sum();
            assert_eq!(items > 0, text.contains(&format!("{ko} ({items})")), "{name} {sev} {items}:\n{text}");
        }
        let groups: Vec<_> = a.store.stats.as_ref().expect("stats").stats.expert.groups().into_iter().cloned().collect();
        for (_, frames, items, first, key) in &want {
            let of_key: Vec<_> = groups.iter().filter(|g| g.key == key.as_str()).collect();
            assert_eq!(of_key.iter().map(|g| g.count).sum::<u64>(), *items, "{name} {key}");
            assert_eq!(of_key.iter().map(|g| g.first_frame).min(), Some(*first), "{name} {key}");
            assert!(*frames <= *items);
            // Every group is on the screen: its count and summary.
            for g in of_key {
                assert!(s.iter().any(|l| l.contains(&g.summary) && l.split_whitespace().nth(1) == Some(&g.count.to_string())), "{name} {key} {}:\n{text}", g.summary);
            }
        }
        // Enter on the third group selects its first frame in the list.
        for _ in 0..2 {
            a.update(Action::Down);
        }
        let target = groups.get(2.min(groups.len().saturating_sub(1))).map(|g| g.first_frame);
        a.update(Action::Submit);
        assert_eq!(a.mode, Mode::Normal);
        assert_eq!(a.selected_frame(), target, "{name}");
        // 80x24 draws the same view without losing the headings.
        open_view(&mut a, Action::Expert);
        let s = draw(&mut a, 80, 24).join("\n");
        assert!(s.contains("개수") && s.contains("요약") && s.contains("Enter"), "{s}");
    }
}

/// Captures whose expert items differ from tshark's for reasons outside the views (what the
/// dissectors add), each with the reason.
const EXPERT_DEVIATIONS: &[(&str, &str)] = &[
    ("decode-as.pcap", "tshark's HTTP dissector adds a Chat item for the request and the response line and warns of an illegal header name; pktlab's HTTP dissector adds none"),
    ("udp-frag.pcap", "pktlab also checks the checksum of the UDP header quoted in the ICMP port unreachable; tshark does not"),
];

/// tshark's `-z expert` on every committed capture, where tshark is installed, with checksum
/// verification on (pktlab always verifies checksums; tshark 4.0 does only when asked): the
/// same blocks and rows (severity, count, group, protocol, summary), in the same order, except
/// on the captures of [`EXPERT_DEVIATIONS`] — and those must still differ.
#[test]
fn expert_table_agrees_with_tshark() {
    if Command::new("tshark").arg("--version").output().is_err() {
        eprintln!("tui_views: tshark is not installed; skipping");
        return;
    }
    let mut names: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("captures"))
        .expect("captures")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pcap"))
        .collect();
    names.sort();
    let mut differ = Vec::new();
    let mut known = Vec::new();
    for name in &names {
        let check = ["tcp.check_checksum:TRUE", "udp.check_checksum:TRUE", "ip.check_checksum:TRUE"];
        let mut args = vec!["-r", cap_path(name).to_str().expect("path").to_owned().leak(), "-q", "-z", "expert"];
        for c in check {
            args.extend(["-o", c]);
        }
        let out = Command::new("tshark").args(&args).output().expect("tshark");
        let want = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut a = open(name, Lang::Ko);
        a.store.start_stats();
        a.store.wait_idle();
        let ours = a.store.stats.as_ref().expect("stats").stats.expert.render_tshark();
        let deviation = EXPERT_DEVIATIONS.iter().find(|(n, _)| n == name);
        match (ours.trim() == want.trim(), deviation) {
            (true, None) => {}
            (true, Some(_)) => differ.push(format!("{name} now agrees with tshark: take it off EXPERT_DEVIATIONS")),
            (false, Some((_, why))) => known.push(format!("{name}: {why}")),
            (false, None) => differ.push(format!("{name}:\n--- tshark\n{want}\n--- pktlab\n{ours}")),
        }
    }
    eprintln!("expert tables equal to tshark's on {}/{} captures; known deviations:\n{}", names.len() - known.len() - differ.len(), names.len(), known.join("\n"));
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    assert!(names.len() >= 15, "{names:?}");
}

#[test]
fn follow_shows_both_directions_as_pktlab_follow_does() {
    for (name, frame, stream, udp) in [("handshake.pcap", 4u64, 0u32, false), ("bulk-loss.pcap", 4, 0, false), ("game.pcap", 11, 0, false), ("game.pcap", 58, 1, true)] {
        let mut a = open(name, Lang::Ko);
        assert!(a.select_frame(frame));
        a.update(Action::Follow);
        assert_eq!(a.mode, Mode::Follow);
        while !a.follow.done {
            a.tick();
        }
        assert_eq!((a.follow.stream, a.follow.udp), (Some(stream), udp), "{name} frame {frame}");
        let mut args: Vec<String> = vec!["follow".into(), cap_path(name).to_str().expect("path").to_owned(), "--stream".into(), stream.to_string(), "--format".into(), "hex".into()];
        if udp {
            args.push("--udp".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let text = cli(&args);
        // Hex: line for line what `pktlab follow --format hex` prints (its second node's lines
        // indented by a tab; here they are marked ◀ and coloured instead).
        a.update(Action::Input('x'));
        draw(&mut a, 120, 40);
        let want: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_hexdigit()) && l.contains("  ")).map(|l| l.trim_start_matches('\t')).collect();
        assert!(!want.is_empty(), "{text}");
        assert_eq!(pktlab::tui::follow_view::texts(&a.follow), want, "{name} stream {stream}");
        let sides: Vec<u8> = a.follow.lines().iter().map(|l| l.node).collect();
        let want_sides: Vec<u8> = text.lines().filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_hexdigit()) && l.contains("  ")).map(|l| u8::from(l.starts_with('\t'))).collect();
        assert_eq!(sides, want_sides, "{name}: which side sent each line");
        // Both directions are on the screen, each with its mark, and the node line counts
        // each side's bytes.
        let s = draw(&mut a, 120, 40).join("\n");
        let sent: Vec<u64> = (0..2u8).map(|n| a.follow.lines().iter().filter(|l| l.node == n).count() as u64).collect();
        assert!(s.contains(&format!("{}바이트", a.follow.sent[0])), "{s}");
        if sent[1] > 0 {
            assert!(s.contains('◀'), "{s}");
        }
        // ASCII: the bytes of each chunk as `pktlab follow --format ascii` shows them.
        a.update(Action::Input('x'));
        let s = draw(&mut a, 80, 24).join("\n");
        assert!(s.contains("ASCII"), "{s}");
        let mut args2 = args.clone();
        let at = args2.iter().position(|x| *x == "hex").expect("hex");
        args2[at] = "ascii";
        let ascii = cli(&args2);
        let first_chunk = ascii.lines().skip_while(|l| !l.starts_with("Node 1")).nth(2).expect("a chunk");
        let first_line = first_chunk.trim_start_matches('\t').split('\r').next().unwrap_or_default();
        let first_line: String = first_line.chars().take(60).collect();
        assert!(s.contains(&first_line), "{name}: {first_line:?} missing:\n{s}");
        a.update(Action::Cancel);
        assert_eq!(a.mode, Mode::Normal);
    }
}

#[test]
fn follow_fills_in_a_little_at_a_time() {
    let mut a = open("bulk-loss.pcap", Lang::Ko);
    a.select_frame(4);
    let mut p = pktlab::tui::follow_view::FollowPane::open(&a.store, Some(4), None, Lang::Ko);
    // With no time to spend, one call looks at a few hundred frames at most and stops.
    assert!(p.advance(&a.store, Duration::ZERO));
    assert!(!p.done, "a whole stream taken in at once");
    let mut calls = 1;
    while !p.done {
        p.advance(&a.store, Duration::ZERO);
        calls += 1;
    }
    assert!(calls >= 1);
    let chunks = p.follow.as_ref().expect("stream").chunks.len();
    assert!(chunks > 10, "{chunks}");
}

/// protos/demo.toml with the ports game.pcap was recorded on, in a temporary file.
fn game_proto(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("protos/demo.toml")).expect("demo.toml");
    let text = text.replace("ports = [7777]", "ports = [27777]").replace("ports = [7778]", "ports = [27778]");
    let p = dir.join("game27777.toml");
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn follow_frames_game_messages_with_a_protocol_description() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = game_proto(dir.path());
    let proto = std::sync::Arc::new(pktlab::game::GameProto::load(&path).expect("proto"));
    // What the decoder finds in TCP stream 0 when it reads the whole file in order.
    let file = capture("game.pcap");
    let mut decoder = pktlab::game::GameDecoder::new(std::sync::Arc::clone(&proto));
    let mut want: Vec<(u64, String, u64, u64)> = Vec::new();
    common::each_frame(&file, |meta, data, d, fa| {
        if fa.tcp().is_some_and(|t| t.stream == 0 && !t.in_error) {
            decoder.process(d, data);
            let name = pktlab::fields::by_name("game.msg_name").expect("field");
            let len = pktlab::fields::by_name("game.msg_len").expect("field");
            let names: Vec<String> = d.find(name).map(|f| if let pktlab::dissect::Value::Str(s) = &f.value { s.to_string() } else { String::new() }).collect();
            let uint = |f: &pktlab::dissect::Field| if let pktlab::dissect::Value::UInt(n) = f.value { n } else { 0 };
            let lens: Vec<u64> = d.find(len).map(uint).collect();
            let segs: Vec<u64> = d.find(pktlab::fields::by_name("game.segments").expect("field")).map(uint).collect();
            for ((n, l), s) in names.into_iter().zip(lens).zip(segs) {
                want.push((meta.number, n, l, s));
            }
        }
    })
    .expect("reads");
    assert!(want.len() > 5, "{want:?}");
    let mut a = open("game.pcap", Lang::Ko);
    a.game = Some(proto);
    a.select_frame(4);
    a.update(Action::Follow);
    while !a.follow.done {
        a.tick();
    }
    let got: Vec<(u64, String)> = a.follow.messages.iter().filter(|m| !m.warning).map(|m| (m.frame, m.title.clone())).collect();
    let expect: Vec<(u64, String)> =
        want.iter().map(|(f, n, l, s)| (*f, if *s > 1 { format!("{n} · 길이 {l} · 세그먼트 {s}개에 걸침") } else { format!("{n} · 길이 {l}") })).collect();
    assert!(want.iter().any(|w| w.3 > 1), "a message spans segments");
    assert_eq!(got, expect);
    let s = draw(&mut a, 80, 24).join("\n");
    assert!(s.contains("게임 메시지") && s.contains(&expect[0].1) && s.contains("m 메시지↔바이트"), "{s}");
    // m: back to the plain bytes.
    a.update(Action::Input('m'));
    let s = draw(&mut a, 80, 24).join("\n");
    assert!(s.contains("· ASCII") && !s.contains(&expect[0].1), "{s}");
}

#[test]
fn summary_counts_frames_bytes_and_protocols() {
    for name in ["bulk-loss.pcap", "game.pcap", "dns.pcap"] {
        let mut a = open(name, Lang::Ko);
        open_view(&mut a, Action::Summary);
        assert_eq!(a.mode, Mode::Summary);
        // Independently: frame.len and frame.protocols of every frame, from the CLI.
        let fields = cli(&["dissect", "-T", "fields", "-e", "frame.len", "-e", "frame.protocols", cap_path(name).to_str().expect("path")]);
        let rows: Vec<(u64, Vec<String>)> = fields
            .lines()
            .map(|l| {
                let (len, protos) = l.split_once('\t').expect("two columns");
                (len.parse().expect("len"), protos.split(':').map(str::to_owned).collect())
            })
            .collect();
        let bytes: u64 = rows.iter().map(|r| r.0).sum();
        let s = draw(&mut a, 100, 40);
        let text = s.join("\n");
        assert!(text.contains(&format!("프레임              {}", rows.len())), "{text}");
        assert!(text.contains(&format!("선로 {bytes}바이트")), "{text}");
        let summary = &a.store.stats.as_ref().expect("stats").stats.summary;
        for p in summary.protocols() {
            let frames = rows.iter().filter(|r| r.1.iter().any(|x| x == p.proto)).count() as u64;
            let pbytes: u64 = rows.iter().filter(|r| r.1.iter().any(|x| x == p.proto)).map(|r| r.0).sum();
            assert_eq!((p.frames, p.bytes), (frames, pbytes), "{name} {}", p.proto);
            assert!(
                s.iter().any(|l| l.trim_start_matches('│').split_whitespace().take(3).eq([p.proto.to_string(), frames.to_string(), pbytes.to_string()])),
                "{}:\n{text}",
                p.proto
            );
        }
        let s = draw(&mut a, 80, 24).join("\n");
        assert!(s.contains("통계 요약") && s.contains("평균 속도"), "{s}");
    }
    let mut a = open("bulk-loss.pcap", Lang::En);
    open_view(&mut a, Action::Summary);
    let s = draw(&mut a, 80, 24).join("\n");
    assert!(s.contains("Statistics summary") && s.contains("Frames") && s.contains("TCP 1 · UDP 0"), "{s}");
}

#[test]
fn every_help_line_fits_at_80x24() {
    for lang in [Lang::Ko, Lang::En] {
        let mut a = open("handshake.pcap", lang);
        a.update(Action::Help);
        let s = draw(&mut a, 80, 24);
        let text = s.join("\n");
        for key in ["C ", "F ", "E ", "S ", "Esc ", "T ", "L "] {
            assert!(s.iter().any(|l| l.trim_start_matches('│').starts_with(key)), "{key:?} not in the help:\n{text}");
        }
        let labels = pktlab::tui::i18n::labels(lang);
        for (_, d) in labels.help {
            assert!(text.contains(d), "{lang:?}: help line {d:?} cut:\n{text}");
        }
    }
}

#[test]
fn views_render_in_english() {
    let mut a = open("game.pcap", Lang::En);
    open_view(&mut a, Action::Conversations);
    let s = draw(&mut a, 80, 24).join("\n");
    assert!(s.contains("Conversations · TCP 2 · UDP 2") && s.contains("Address A") && s.contains("Enter show only this"), "{s}");
    a.update(Action::Cancel);
    open_view(&mut a, Action::Expert);
    let s = draw(&mut a, 80, 24).join("\n");
    assert!(s.contains("Expert info") && s.contains("Errors (389)") && s.contains("Frequency") && s.contains("Bad checksum"), "{s}");
    a.update(Action::Cancel);
    a.select_frame(4);
    a.update(Action::Follow);
    while !a.follow.done {
        a.tick();
    }
    let s = draw(&mut a, 80, 24).join("\n");
    assert!(s.contains("Follow stream · TCP 0 · ASCII") && s.contains("bytes"), "{s}");
}

#[test]
fn tmux_conversations_filter_expert_jump_follow_and_back() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tui_views: tmux is not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let proto = game_proto(dir.path());
    let cap = cap_path("game.pcap");
    for (w, h) in [(80u16, 24u16), (140, 40)] {
        let cmd = format!("{} {} --proto {}", env!("CARGO_BIN_EXE_pktlab"), cap.display(), proto.display());
        let t = Tmux::start(&format!("views{w}"), w, h, &cmd, Duration::from_secs(20));
        t.wait_for("모두 읽음 389");
        // C: both TCP conversations, the one with more frames first; Enter filters to it.
        t.keys(&["C"]);
        t.wait_for("대화 · TCP 2개 · UDP 2개");
        t.wait_for("127.0.0.1:55838");
        t.keys(&["Enter"]);
        let s = t.wait_for("필터: tcp.stream == 1");
        t.wait_for("77/389 프레임");
        assert!(s.contains("패킷 목록"), "{s}");
        // E: loopback checksums were never filled in, so the errors come first; Enter selects
        // the first frame of the first group (frame 1's TCP checksum).
        t.keys(&["E"]);
        t.wait_for("전문가 정보 · 항목 401개");
        t.wait_for("오류 (389)");
        t.wait_for("Bad checksum");
        t.keys(&["Enter"]);
        t.wait_for("Frame 1:");
        // F on frame 1 (stream 0): the game messages of the connection, framed by --proto.
        t.keys(&["F"]);
        t.wait_for("스트림 따라가기 · TCP 0 · 게임 메시지");
        t.wait_for("LOGIN · 길이");
        t.keys(&["x"]);
        t.wait_for("00000000  ");
        t.keys(&["Escape"]);
        t.wait_for("패킷 목록");
        t.keys(&["q"]);
    }
}
