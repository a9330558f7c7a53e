//! The packet list's tools, drawn with ratatui's TestBackend at 80x24 and wide: sorting by
//! each column (checked against each frame's own dissection), the time formats (checked
//! against `tshark -t ad|r|d|dd`), marks and `frame.marked`, filters made from tree items
//! (each one compiles, selects its own frame, and selects what tshark selects with it), find
//! by string, hex and filter, saving to pcapng (the file read back holds exactly the frames
//! chosen), the wheel in the full-screen views, and errors shown in the status line. One tmux
//! session drives the real binary through sort, mark and save.

use pktlab::capture::CaptureFile;
use pktlab::explain::Lang;
use pktlab::pipeline::Sequence;
use pktlab::tui::app::{Action, App, Focus, Mode};
use pktlab::tui::layout;
use pktlab::tui::search::SearchKind;
use pktlab::tui::sort::{SortColumn, natural};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod common;
use common::{Tmux, buffer_lines, capture};

fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| layout::draw(f, app)).expect("draw");
    t.backend().buffer().clone()
}

fn draw(app: &mut App, w: u16, h: u16) -> Vec<String> {
    buffer_lines(&render(app, w, h))
}

fn open(name: &str, lang: Lang, color: bool) -> App {
    common::open_app(name, lang, color)
}

fn cap_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name)
}

fn settle(a: &mut App) {
    a.store.wait_idle();
    a.tick();
    a.wait_sort();
    a.tick();
}

/// The list's frames, top to bottom.
fn listed(a: &App) -> Vec<u64> {
    (0..a.shown_len()).map(|r| a.frame_at(r).expect("row")).collect()
}

/// The frame numbers at the start of the list rows on screen (the list pane's rows).
fn screen_frames(a: &App, lines: &[String]) -> Vec<u64> {
    let r = a.regions.list;
    (r.y..r.y + r.height)
        .filter_map(|y| lines.get(y as usize))
        .filter_map(|l| l.trim_start_matches(['│', ' ', '●']).split_whitespace().next()?.parse().ok())
        .collect()
}

/// Each frame's list cells as the dissector and analysis make them, independently of the TUI.
struct Row {
    src: String,
    dst: String,
    protocol: String,
    info: String,
    len: u32,
    ts: (i64, u32),
}

fn rows_of(name: &str) -> Vec<Row> {
    let file = capture(name);
    let mut seq = Sequence::new(true);
    let mut out = Vec::new();
    for r in file.records() {
        let r = r.expect("record");
        seq.push(&r);
        seq.annotate();
        let d = seq.dissection();
        let ts = r.ts.map_or((0, 0), |t| (t.secs, t.nanos));
        out.push(Row { src: d.src.clone(), dst: d.dst.clone(), protocol: d.protocol.to_string(), info: d.info.clone(), len: r.orig_len, ts });
    }
    out
}

/// Sets the sort to `col` with `o` presses from capture order.
fn sort_by(a: &mut App, col: SortColumn) {
    while a.sort.column != Some(col) {
        a.update(Action::SortNext);
    }
    settle(a);
}

#[test]
fn sorting_by_each_column_follows_the_frames_own_cells() {
    for name in ["lb.pcap", "game.pcap"] {
        let rows = rows_of(name);
        let mut a = open(name, Lang::Ko, false);
        for col in SortColumn::ALL {
            sort_by(&mut a, col);
            let order = listed(&a);
            let mut want: Vec<u64> = (1..=rows.len() as u64).collect();
            let row = |n: u64| &rows[n as usize - 1];
            want.sort_by(|&x, &y| {
                let (a, b) = (row(x), row(y));
                let o = match col {
                    SortColumn::No => x.cmp(&y),
                    SortColumn::Time => a.ts.cmp(&b.ts),
                    SortColumn::Length => a.len.cmp(&b.len),
                    SortColumn::Source => natural(&a.src, &b.src),
                    SortColumn::Destination => natural(&a.dst, &b.dst),
                    SortColumn::Protocol => natural(&a.protocol, &b.protocol),
                    SortColumn::Info => natural(&a.info, &b.info),
                };
                o.then(x.cmp(&y))
            });
            assert_eq!(order, want, "{name}: sorted by {col:?}");
            // Reversed: the same list backwards.
            a.update(Action::SortReverse);
            settle(&mut a);
            let rev: Vec<u64> = want.iter().rev().copied().collect();
            assert_eq!(listed(&a), rev, "{name}: {col:?} reversed");
            // On screen, at 80x24 and wide: the header's arrow and the first rows in order.
            for (w, h) in [(80, 24), (160, 48)] {
                let lines = draw(&mut a, w, h);
                let head = &lines[a.regions.list.y as usize - 1];
                let label = pktlab::tui::i18n::labels(Lang::Ko).cols[col.index()];
                let cut: String = label.chars().take(2).collect();
                assert!(head.contains('▼') && head.contains(&cut), "{name} {col:?} header at {w}x{h}: {head}");
                let shown = screen_frames(&a, &lines);
                assert!(!shown.is_empty(), "{name} {col:?}: no rows at {w}x{h}");
                let top = a.list.top;
                assert_eq!(shown, rev[top..top + shown.len()], "{name} {col:?} rows on screen at {w}x{h}");
            }
            a.update(Action::SortReverse);
            settle(&mut a);
        }
        // After Info, `o` goes back to capture order.
        a.update(Action::SortNext);
        settle(&mut a);
        assert_eq!(a.sort.column, None);
        assert_eq!(listed(&a), (1..=rows.len() as u64).collect::<Vec<_>>());
    }
}

#[test]
fn a_sort_and_a_display_filter_combine() {
    let rows = rows_of("lb.pcap");
    let mut a = open("lb.pcap", Lang::En, false);
    sort_by(&mut a, SortColumn::Length);
    a.set_filter("tcp.len > 0").expect("filter");
    settle(&mut a);
    let kept: Vec<u64> = a.store.filter.as_ref().expect("filter").matches.iter().map(|&n| u64::from(n)).collect();
    assert!(kept.len() > 2 && kept.len() < rows.len(), "{kept:?}");
    let mut want = kept.clone();
    want.sort_by_key(|&n| (rows[n as usize - 1].len, n));
    assert_eq!(listed(&a), want);
    let lines = draw(&mut a, 80, 24);
    let head = &lines[a.regions.list.y as usize - 1];
    assert!(head.contains("Length▲") || head.contains("Lengt▲") || head.contains("Len▲") || head.contains('▲'), "{head}");
    assert!(lines.iter().any(|l| l.contains(&format!("{}/{} frames", kept.len(), rows.len()))), "{}", lines.join("\n"));
    // The selection survives the sort, and Down follows the sorted order.
    a.update(Action::Top);
    a.update(Action::Down);
    assert_eq!(a.selected_frame(), Some(want[1]));
    // Clearing the filter sorts every frame.
    a.set_filter("").expect("clear");
    settle(&mut a);
    let mut all: Vec<u64> = (1..=rows.len() as u64).collect();
    all.sort_by_key(|&n| (rows[n as usize - 1].len, n));
    assert_eq!(listed(&a), all);
}

/// `tshark -r FILE -t FORMAT [-Y FILTER]`'s Time column per frame; None without tshark.
fn tshark_times(file: &Path, format: &str, filter: Option<&str>) -> Option<Vec<(u64, String)>> {
    let mut c = Command::new("tshark");
    c.arg("-r").arg(file).args(["-t", format, "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Time"]);
    if let Some(f) = filter {
        c.args(["-Y", f]);
    }
    let out = c.output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(
        text.lines()
            .filter_map(|l| {
                let (n, t) = l.split_once('\t')?;
                Some((n.parse().ok()?, t.to_string()))
            })
            .collect(),
    )
}

/// The Time cells on screen, per frame (the cell after the frame number; two words for
/// date and time).
fn screen_times(a: &App, lines: &[String], words: usize) -> Vec<(u64, String)> {
    let r = a.regions.list;
    (r.y..r.y + r.height)
        .filter_map(|y| lines.get(y as usize))
        .filter_map(|l| {
            let mut it = l.trim_start_matches(['│', ' ']).split_whitespace();
            let n = it.next()?.parse().ok()?;
            let t: Vec<&str> = it.take(words).collect();
            Some((n, t.join(" ")))
        })
        .collect()
}

#[test]
fn time_formats_show_what_tshark_shows() {
    let path = cap_path("handshake.pcap");
    if Command::new("tshark").arg("-v").output().is_err() {
        eprintln!("tui_list_tools: tshark is not installed; skipping the time format comparison");
        return;
    }
    for filter in [None, Some("frame.number != 3 && frame.number != 6")] {
        let mut a = open("handshake.pcap", Lang::En, false);
        if let Some(f) = filter {
            a.set_filter(f).expect("filter");
            settle(&mut a);
        }
        // r (the default), then t: ad, d, dd, and back to r.
        for (format, header, words) in [("r", "Time", 1), ("ad", "Date & time", 2), ("d", "Δ capture", 1), ("dd", "Δ display", 1), ("r", "Time", 1)] {
            let want = tshark_times(&path, format, filter).expect("tshark runs");
            for (w, h) in [(160, 40), (80, 24)] {
                let lines = draw(&mut a, w, h);
                let head = &lines[a.regions.list.y as usize - 1];
                assert!(head.contains(header), "-t {format} header at {w}x{h}: {head}");
                let got = screen_times(&a, &lines, words);
                assert!(got.len() >= 3, "-t {format}: rows at {w}x{h}:\n{}", lines.join("\n"));
                assert_eq!(got, want[..got.len()], "-t {format} filter {filter:?} at {w}x{h}");
            }
            a.update(Action::TimeFormat);
        }
    }
}

#[test]
fn marks_are_drawn_jumped_to_and_filtered_with_frame_marked() {
    let mut a = open("handshake.pcap", Lang::Ko, true);
    for n in [2, 5, 9] {
        assert!(a.select_frame(n));
        a.update(Action::Mark);
    }
    // Unmark 9 again.
    a.update(Action::Mark);
    assert_eq!(a.store.marked().iter().copied().collect::<Vec<_>>(), [2, 5]);
    assert!(a.select_frame(1));
    for (w, h) in [(80, 24), (140, 40)] {
        let buf = render(&mut a, w, h);
        let lines = buffer_lines(&buf);
        let r = a.regions.list;
        for y in r.y..r.y + r.height {
            let Some(n) = lines[y as usize].trim_start_matches(['│', ' ']).split_whitespace().next().and_then(|t| t.parse::<u64>().ok()) else {
                continue;
            };
            let cell = &buf[(r.x + 6, y)];
            let marked = cell.bg == Color::Black && cell.fg == Color::White;
            assert_eq!(marked, n == 2 || n == 5, "frame {n} row style {:?}/{:?} at {w}x{h}", cell.fg, cell.bg);
        }
        assert!(lines.iter().any(|l| l.contains("마크 2")), "status counts marks:\n{}", lines.join("\n"));
    }
    // ] and [ jump between marked frames; past the last one a message says so.
    a.update(Action::NextMarked);
    assert_eq!(a.selected_frame(), Some(2));
    a.update(Action::NextMarked);
    assert_eq!(a.selected_frame(), Some(5));
    a.update(Action::NextMarked);
    assert_eq!(a.selected_frame(), Some(5));
    assert!(a.message.as_deref().is_some_and(|m| m.contains("마크한 프레임이 더 없어요")), "{:?}", a.message);
    a.update(Action::PrevMarked);
    assert_eq!(a.selected_frame(), Some(2));
    // The tree says the frame is marked.
    assert!(a.select_field("frame.marked"));
    let lines = draw(&mut a, 140, 40);
    assert!(lines.iter().any(|l| l.contains("Frame is marked: True")), "{}", lines.join("\n"));
    // frame.marked in the display filter selects the marked frames, and follows new marks.
    // (As in tshark, the field is on every frame; its value says whether it is marked.)
    a.set_filter("frame.marked").expect("filter");
    settle(&mut a);
    assert_eq!(listed(&a).len(), 14);
    a.set_filter("frame.marked == 1").expect("filter");
    settle(&mut a);
    assert_eq!(listed(&a), [2, 5]);
    a.set_filter("frame.marked == 0 && tcp.len == 0").expect("filter");
    settle(&mut a);
    assert!(!listed(&a).contains(&2) && !listed(&a).contains(&5) && listed(&a).contains(&1));
    a.set_filter("frame.marked == True").expect("filter");
    settle(&mut a);
    assert!(a.select_frame(2));
    a.update(Action::Mark);
    settle(&mut a);
    assert_eq!(listed(&a), [5]);
    a.update(Action::UnmarkAll);
    settle(&mut a);
    assert!(listed(&a).is_empty() && a.store.marked().is_empty());
}

/// Every field of every frame of `name` as a filter: it compiles, matches its own frame, and
/// (with tshark) selects the frames tshark selects. Returns how many filters were compared
/// with tshark.
fn check_field_filters(name: &str, tshark: bool) -> usize {
    let mut a = open(name, Lang::En, false);
    let frames = a.store.len() as u64;
    let mut filters = std::collections::BTreeMap::new();
    for n in 1..=frames {
        assert!(a.select_frame(n));
        let abbrevs: Vec<&'static str> = {
            let (d, _) = a.detail().expect("detail");
            d.fields.iter().filter(|f| !f.hidden).map(|f| f.def.abbrev).collect()
        };
        for abbrev in abbrevs {
            assert!(a.select_field(abbrev));
            let Some(text) = a.field_filter() else { panic!("frame {n} {abbrev}: no filter") };
            let f = pktlab::filter::Filter::compile(&text).unwrap_or_else(|e| panic!("frame {n}: {text}: {e}"));
            assert!(a.store.frame_matches(n, &f), "frame {n}: {text} does not select its own frame");
            filters.entry(text).or_insert(n);
        }
    }
    if !tshark {
        return 0;
    }
    // Compare with tshark on the filters whose fields tshark 4.0 knows the same way (the
    // frame's own time fields and pktlab's own game fields excluded).
    // Where tshark dissects the bytes otherwise (it has no such field on the frame the filter
    // came from, e.g. `data.data` where it decodes a protocol) there is nothing to compare.
    let path = cap_path(name);
    let mut compared = 0;
    for (text, own) in filters.iter().filter(|t| !t.0.starts_with("frame.time") && !t.0.starts_with("game")).step_by(2).take(30) {
        let out = Command::new("tshark").arg("-r").arg(&path).args(["-Y", text, "-T", "fields", "-e", "frame.number"]).output().expect("tshark");
        if !out.status.success() {
            continue; // a field tshark 4.0 names differently
        }
        let want: Vec<u64> = String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect();
        if !want.contains(own) {
            eprintln!("{name}: tshark dissects frame {own} otherwise: {}", &text[..text.len().min(60)]);
            continue;
        }
        a.set_filter(text).expect("compiles");
        settle(&mut a);
        let got: Vec<u64> = a.store.filter.as_ref().expect("filter").matches.iter().map(|&n| u64::from(n)).collect();
        assert_eq!(got, want, "{name}: {text}");
        compared += 1;
    }
    compared
}

#[test]
fn filters_from_tree_items_select_what_tshark_selects() {
    let tshark = Command::new("tshark").arg("-v").output().is_ok();
    let mut compared = 0;
    for name in ["handshake.pcap", "dns.pcap", "udp-frag.pcap"] {
        compared += check_field_filters(name, tshark);
    }
    eprintln!("{compared} filters compared with tshark");
    if tshark {
        assert!(compared > 30, "only {compared} filters compared with tshark");
    }
}

#[test]
fn apply_prepare_and_add_from_the_tree() {
    let mut a = open("handshake.pcap", Lang::En, false);
    assert!(a.select_frame(1));
    assert!(a.select_field("ip.src"));
    a.focus = Focus::Tree;
    a.update(Action::ApplyField);
    assert_eq!(a.active_filter(), Some("ip.src == 10.77.0.1"));
    settle(&mut a);
    let lines = draw(&mut a, 80, 24);
    assert!(lines.iter().any(|l| l.contains("Applied ip.src == 10.77.0.1")), "{}", lines.join("\n"));
    assert!(a.select_field("tcp.flags.syn"));
    a.update(Action::ApplyFieldAnd);
    assert_eq!(a.active_filter(), Some("ip.src == 10.77.0.1 && tcp.flags.syn == 1"));
    settle(&mut a);
    assert_eq!(listed(&a), [1]);
    // A protocol gives its name; Prepare opens the filter bar with the text, to edit.
    assert!(a.select_field("tcp.srcport"));
    let rows = a.tree_rows();
    let tcp = rows.iter().position(|r| matches!(r.node, pktlab::tui::tree::NodeRef::Layer(i) if a.loaded_detail().is_some_and(|(d, _)| d.layers[i].proto == "tcp"))).expect("tcp row");
    a.tree.cursor = tcp;
    assert_eq!(a.field_filter().as_deref(), Some("tcp"));
    assert!(a.select_field("tcp.options.mss_val"));
    a.update(Action::PrepareField);
    assert_eq!(a.mode, Mode::Filter);
    assert_eq!(a.filter.text, "tcp.options.mss_val == 1460");
    let lines = draw(&mut a, 80, 24);
    assert!(lines.iter().any(|l| l.contains("tcp.options.mss_val == 1460")), "{}", lines.join("\n"));
    a.update(Action::Cancel);
    // An OSI heading is not one protocol: a message, nothing applied.
    a.tree.cursor = 0;
    let before = a.active_filter().map(str::to_string);
    a.update(Action::ApplyField);
    assert_eq!(a.active_filter().map(str::to_string), before);
    let lines = draw(&mut a, 80, 24);
    assert!(lines.iter().any(|l| l.contains("No filter for this item")), "{}", lines.join("\n"));
}

/// Frames of `name` whose bytes contain `needle`, independently of the TUI.
fn frames_with(name: &str, needle: &[u8], fold: bool) -> Vec<u64> {
    let file = capture(name);
    let mut out = Vec::new();
    for (i, r) in file.records().enumerate() {
        let r = r.expect("record");
        let data: Vec<u8> = if fold { r.data.to_ascii_lowercase() } else { r.data.to_vec() };
        if data.windows(needle.len()).any(|w| w == needle) {
            out.push(i as u64 + 1);
        }
    }
    out
}

/// Types a search of the kind Tab reaches after `kind` presses from "string".
fn search(a: &mut App, kind: usize, text: &str) {
    a.update(Action::StartSearch);
    assert_eq!(a.mode, Mode::Search);
    a.update(Action::ClearInput);
    let want = [SearchKind::Text, SearchKind::Hex, SearchKind::Filter][kind];
    while a.search.kind != want {
        a.update(Action::FocusNext);
    }
    for c in text.chars() {
        a.update(Action::Input(c));
    }
    a.update(Action::Submit);
    a.finish_search();
}

#[test]
fn find_strings_hex_bytes_and_filters() {
    // A string (either case) in the DNS name.
    let want = frames_with("dns.pcap", b"pktlab", true);
    assert_eq!(want, [1, 2]);
    let mut a = open("dns.pcap", Lang::En, false);
    search(&mut a, 0, "PKTLAB");
    assert_eq!(a.selected_frame(), Some(2), "from frame 1 the next hit is 2");
    search(&mut a, 0, "PKTLAB");
    assert_eq!(a.selected_frame(), Some(1), "wraps around");
    let lines = draw(&mut a, 80, 24);
    assert!(lines.iter().any(|l| l.contains("went on from the start: frame 1")), "{}", lines.join("\n"));

    // Hex bytes: the TCP payload of game.pcap's messages; n and N repeat.
    let want = frames_with("game.pcap", b"player", false);
    assert!(want.len() >= 3, "{want:?}");
    let mut a = open("game.pcap", Lang::Ko, false);
    search(&mut a, 1, "70:6c:61:79:65:72");
    assert_eq!(a.selected_frame(), Some(want[0]));
    a.update(Action::NextMatch);
    a.finish_search();
    assert_eq!(a.selected_frame(), Some(want[1]));
    a.update(Action::NextMatch);
    a.finish_search();
    assert_eq!(a.selected_frame(), Some(want[2]));
    a.update(Action::PrevMatch);
    a.finish_search();
    assert_eq!(a.selected_frame(), Some(want[1]));
    for (w, h) in [(80, 24), (140, 40)] {
        let lines = draw(&mut a, w, h);
        assert!(lines.iter().any(|l| l.contains(&format!("{}번 프레임에서 찾았어요", want[1]))), "{}", lines.join("\n"));
    }
    // The prompt names what the text means.
    a.update(Action::StartSearch);
    a.update(Action::FocusNext);
    let lines = draw(&mut a, 80, 24);
    assert!(lines.last().is_some_and(|l| l.contains("찾기 (표시 필터")), "{}", lines.join("\n"));
    a.update(Action::Cancel);

    // A display filter, in the list's (sorted) order.
    let mut a = open("handshake.pcap", Lang::En, false);
    sort_by(&mut a, SortColumn::Length);
    a.update(Action::Top);
    search(&mut a, 2, "tcp.flags.fin == 1");
    let first = listed(&a).into_iter().find(|&n| [11u64, 12, 13, 14].contains(&n) && fin(n)).expect("a FIN");
    assert_eq!(a.selected_frame(), Some(first));

    // Bad hex and a bad filter: a message in the status line, nothing moves, no panic.
    let mut a = open("game.pcap", Lang::Ko, false);
    search(&mut a, 1, "de:zz");
    assert_eq!(a.selected_frame(), Some(1));
    let lines = draw(&mut a, 80, 24);
    assert!(lines.last().is_some_and(|l| l.contains("16진수 바이트가 아니에요: \"zz\"")), "{}", lines.join("\n"));
    search(&mut a, 2, "tcp.prot == 1");
    assert!(a.message.as_deref().is_some_and(|m| m.starts_with("필터 오류")), "{:?}", a.message);
    search(&mut a, 0, "no such text anywhere");
    assert_eq!(a.selected_frame(), Some(1));
    assert!(a.message.as_deref().is_some_and(|m| m.contains("찾지 못했어요")), "{:?}", a.message);
}

/// Whether handshake.pcap's frame `n` has FIN set (from the CLI's dissection).
fn fin(n: u64) -> bool {
    let out = Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["dissect", "-T", "fields", "-e", "tcp.flags.fin", "-Y", &format!("frame.number == {n}")])
        .arg(cap_path("handshake.pcap"))
        .output()
        .expect("pktlab");
    String::from_utf8_lossy(&out.stdout).trim() == "1"
}

/// One record as saved: bytes, original length, time, link type.
type Saved = (Vec<u8>, u32, Option<(i64, u32)>, Option<u32>);

/// The records of a capture file.
fn records(path: &Path) -> Vec<Saved> {
    let f = CaptureFile::open(path).expect("saved file opens");
    f.records().map(|r| r.expect("record")).map(|r| (r.data.to_vec(), r.orig_len, r.ts.map(|t| (t.secs, t.nanos)), r.link_type)).collect()
}

fn save(a: &mut App, marked: bool, path: &str) {
    a.update(Action::StartSave);
    assert_eq!(a.mode, Mode::Save);
    if a.save.marked != marked {
        a.update(Action::FocusNext);
    }
    a.update(Action::ClearInput);
    for c in path.chars() {
        a.update(Action::Input(c));
    }
    a.update(Action::Submit);
    a.wait_save();
}

#[test]
fn saving_displayed_or_marked_frames_writes_them_back_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["lb.pcap", "udp-frag.pcap"] {
        let original = records(&cap_path(name));
        let mut a = open(name, Lang::En, false);
        // Displayed: a filter, sorted list (the file keeps capture order).
        a.set_filter("udp || tcp.len > 0").expect("filter");
        sort_by(&mut a, SortColumn::Source);
        let shown: Vec<u64> = a.store.filter.as_ref().expect("f").matches.iter().map(|&n| u64::from(n)).collect();
        assert!(!shown.is_empty() && shown.len() < original.len(), "{name}: {shown:?}");
        let out = dir.path().join(format!("{name}.displayed.pcapng"));
        save(&mut a, false, out.to_str().expect("utf-8"));
        assert_eq!(a.message, None, "{name}");
        let lines = draw(&mut a, 80, 24);
        assert!(lines.last().is_some_and(|l| l.contains(&format!("Saved {} frames", shown.len()))), "{}", lines.join("\n"));
        let back = records(&out);
        let want: Vec<_> = shown.iter().map(|&n| original[n as usize - 1].clone()).collect();
        assert_eq!(back.len(), want.len());
        for (i, (b, w)) in back.iter().zip(&want).enumerate() {
            assert_eq!(b.0, w.0, "{name}: bytes of saved frame {}", shown[i]);
            assert_eq!((b.1, b.2, b.3), (w.1, w.2, w.3), "{name}: length, time, link type of saved frame {}", shown[i]);
        }
        // Marked: two frames, whatever the filter.
        a.set_filter("").expect("clear");
        settle(&mut a);
        for n in [3, 1] {
            assert!(a.select_frame(n));
            a.update(Action::Mark);
        }
        let out = dir.path().join(format!("{name}.marked.pcapng"));
        save(&mut a, true, out.to_str().expect("utf-8"));
        assert_eq!(a.message, None);
        assert_eq!(records(&out), vec![original[0].clone(), original[2].clone()]);
        // tshark reads it back as the same frames.
        if let Ok(o) = Command::new("tshark").arg("-r").arg(&out).args(["-T", "fields", "-e", "frame.len", "-e", "frame.time_epoch"]).output()
            && o.status.success()
        {
            let orig = Command::new("tshark").arg("-r").arg(cap_path(name)).args(["-Y", "frame.number == 1 || frame.number == 3", "-T", "fields", "-e", "frame.len", "-e", "frame.time_epoch"]).output().expect("tshark");
            assert_eq!(String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&orig.stdout), "{name}");
        }
    }
}

#[test]
fn save_errors_show_in_the_status_line() {
    let mut a = open("handshake.pcap", Lang::Ko, false);
    save(&mut a, false, "/nonexistent-dir/x.pcapng");
    for (w, h) in [(80, 24), (140, 40)] {
        let lines = draw(&mut a, w, h);
        let last = lines.last().expect("line");
        assert!(last.contains("/nonexistent-dir/x.pcapng에 저장하지 못했어요"), "{last}");
    }
    assert!(a.message.as_deref().is_some_and(|m| m.contains("No such file")), "{:?}", a.message);
    // Nothing marked: the marked save says so.
    save(&mut a, true, "/tmp/never-written.pcapng");
    assert!(a.message.as_deref().is_some_and(|m| m.contains("저장할 프레임이 없어요")), "{:?}", a.message);
    assert!(!Path::new("/tmp/never-written.pcapng").exists());
    save(&mut a, false, "  ");
    assert!(a.message.as_deref().is_some_and(|m| m.contains("파일 경로")), "{:?}", a.message);
}

#[test]
fn the_wheel_scrolls_the_full_screen_views() {
    let mut a = open("game.pcap", Lang::En, false);
    a.update(Action::Follow);
    a.store.wait_idle();
    for _ in 0..20 {
        a.tick();
    }
    draw(&mut a, 80, 24);
    assert_eq!(a.follow.scroll, 0);
    a.mouse(crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: crossterm::event::KeyModifiers::NONE,
    });
    assert_eq!(a.follow.scroll, 3);
    a.update(Action::Cancel);
    a.update(Action::Conversations);
    a.store.wait_idle();
    a.tick();
    draw(&mut a, 80, 24);
    a.update(Action::Top);
    let before = a.conv.cursor();
    a.update(Action::Scroll { col: 5, row: 8, down: true });
    assert_ne!(a.conv.cursor(), before, "the wheel moves the conversation cursor");
    a.update(Action::Cancel);
    // A click on the list's Length header sorts by it; a second click reverses.
    let lines = draw(&mut a, 120, 40);
    let head_y = a.regions.list.y - 1;
    let x = lines[head_y as usize].find("Length").map(|b| lines[head_y as usize][..b].chars().count()).expect("Length header") as u16;
    a.update(Action::Click { col: x + 1, row: head_y });
    assert_eq!((a.sort.column, a.sort.reverse), (Some(SortColumn::Length), false));
    a.update(Action::Click { col: x + 1, row: head_y });
    assert_eq!((a.sort.column, a.sort.reverse), (Some(SortColumn::Length), true));
}

#[test]
fn sort_mark_and_save_in_the_real_binary() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tui_list_tools: tmux is not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("two.pcapng");
    let bin = env!("CARGO_BIN_EXE_pktlab");
    let cap = cap_path("handshake.pcap");
    let t = Tmux::start("listtools", 100, 30, &format!("{bin} {}", cap.display()), Duration::from_secs(15));
    t.wait_for("모두 읽음 14");
    // Sort by length (o six times: No., Time, Source, Destination, Protocol, Length).
    for _ in 0..6 {
        t.keys(&["o"]);
    }
    let s = t.wait_for("길이 열로 정렬 ▲");
    assert!(s.contains("길이▲"), "{s}");
    // The sort runs on its own thread: wait for the sorted rows (the 66-byte frames first).
    let start = std::time::Instant::now();
    loop {
        let s = t.screen();
        let first = s.lines().find(|l| l.contains("10.77.0.")).unwrap_or("");
        if first.contains(" 66 ") && !s.contains("정렬 중") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "the list was not sorted:\n{s}");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The first two rows are the shortest frames (66 bytes: 3, 5 in capture order).
    t.keys(&["g"]);
    t.keys(&["m"]);
    t.keys(&["j"]);
    t.keys(&["m"]);
    let s = t.wait_for("마크 2");
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("10.77.0.")).take(2).collect();
    assert!(rows.iter().all(|l| l.contains(" 66 ")), "{s}");
    t.keys(&["w"]);
    t.wait_for("pcapng로 저장");
    t.keys(&["Tab"]);
    t.wait_for("마크한 프레임 2개");
    t.literal(out.to_str().expect("utf-8"));
    t.keys(&["Enter"]);
    t.wait_for("저장했어요");
    t.keys(&["q"]);
    let original = records(&cap);
    let back = records(&out);
    let shortest: Vec<_> = {
        let mut v: Vec<usize> = (0..original.len()).collect();
        v.sort_by_key(|&i| (original[i].1, i));
        let mut two = vec![v[0], v[1]];
        two.sort();
        two.into_iter().map(|i| original[i].clone()).collect()
    };
    assert_eq!(back, shortest);
}
