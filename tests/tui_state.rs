//! TUI state driven by actions (no terminal): selection, goto, filters (live validation, last
//! good filter kept, background pass with analysis), n/N, tree expansion, the hex cursor
//! selecting fields, the side panel interface, and the stored analysis verdicts.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pktlab::dissect::Dissection;
use pktlab::explain::Lang;
use pktlab::tui::app::{Action, App, Focus, Mode};
use pktlab::tui::store::Store;
use pktlab::tui::theme::Theme;
use pktlab::tui::tree::NodeRef;
use pktlab::tui::{PanelCommand, PanelOutcome, SidePanel, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

mod common;
use common::{buffer_text as screen, capture};

/// An app over a fully loaded capture, laid out for 120x40 so page sizes are known.
fn app(name: &str) -> App {
    let mut app = App::new(Store::open_blocking(capture(name)), name.into(), Lang::Ko, Theme { color: true });
    app.layout(Rect::new(0, 0, 120, 40));
    app
}

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| layout::draw(f, app)).expect("draw");
    t.backend().buffer().clone()
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(Action::Input(c));
    }
}

fn wait(app: &mut App) {
    app.store.wait_idle();
    app.tick();
}

#[test]
fn moves_through_the_list() {
    let mut a = app("handshake.pcap");
    assert_eq!(a.selected_frame(), Some(1));
    a.update(Action::Down);
    a.update(Action::Down);
    assert_eq!(a.selected_frame(), Some(3));
    a.update(Action::Up);
    assert_eq!(a.selected_frame(), Some(2));
    a.update(Action::Bottom);
    assert_eq!(a.selected_frame(), Some(14));
    a.update(Action::Top);
    assert_eq!(a.selected_frame(), Some(1));
    a.update(Action::PageDown);
    assert!(a.selected_frame().unwrap() > 5, "a page is the list's height");
    a.key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT));
    assert_eq!(a.selected_frame(), Some(14));
    a.key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    assert!(a.quit);
}

#[test]
fn goto_frame() {
    let mut a = app("handshake.pcap");
    a.update(Action::StartGoto);
    assert_eq!(a.mode, Mode::Goto);
    type_text(&mut a, "7");
    a.update(Action::Submit);
    assert_eq!(a.mode, Mode::Normal);
    assert_eq!(a.selected_frame(), Some(7));
    a.update(Action::StartGoto);
    type_text(&mut a, "99");
    a.update(Action::Submit);
    assert_eq!(a.selected_frame(), Some(7), "a frame beyond the end does not move");
    assert!(a.message.as_deref().unwrap_or("").contains("99"));
}

#[test]
fn filter_validates_live_and_keeps_the_last_good_one() {
    let mut a = app("handshake.pcap");
    a.update(Action::StartFilter);
    type_text(&mut a, "tcp.len > 0");
    assert!(a.filter.error.is_none());
    a.update(Action::Submit);
    assert_eq!(a.mode, Mode::Normal);
    wait(&mut a);
    let shown: Vec<u64> = (0..a.shown_len()).filter_map(|r| a.frame_at(r)).collect();
    assert_eq!(shown, vec![4, 6, 8, 10], "tshark -Y 'tcp.len > 0'");
    // A broken filter: the error names its column, Enter does not apply it.
    a.update(Action::StartFilter);
    a.update(Action::ClearInput);
    type_text(&mut a, "tcp.lne > 0");
    let e = a.filter.error.clone().expect("unknown field is an error");
    assert_eq!(e.column, 1);
    a.update(Action::Submit);
    assert_eq!(a.mode, Mode::Filter, "an invalid filter is not applied");
    a.update(Action::Cancel);
    assert_eq!(a.active_filter(), Some("tcp.len > 0"));
    assert_eq!(a.shown_len(), 4);
    // The public API reports errors too and clears with "".
    assert!(a.set_filter("ip.src ==").is_err());
    assert_eq!(a.active_filter(), Some("tcp.len > 0"));
    a.set_filter("").unwrap();
    assert_eq!(a.shown_len(), 14);
}

#[test]
fn next_and_previous_match_in_mark_mode() {
    let mut a = app("handshake.pcap");
    a.set_filter("tcp.len > 0").unwrap();
    wait(&mut a);
    a.update(Action::ToggleMarkMode);
    assert_eq!(a.shown_len(), 14, "mark mode lists every frame");
    a.update(Action::Top);
    a.update(Action::NextMatch);
    assert_eq!(a.selected_frame(), Some(4));
    a.update(Action::NextMatch);
    assert_eq!(a.selected_frame(), Some(6));
    a.update(Action::PrevMatch);
    assert_eq!(a.selected_frame(), Some(4));
    assert!(a.is_match(4) && !a.is_match(5));
}

#[test]
fn analysis_filters_match_tshark_and_rows_carry_markers() {
    let mut a = app("bulk-loss.pcap");
    a.set_filter("tcp.analysis.retransmission").unwrap();
    wait(&mut a);
    assert_eq!(a.shown_len(), 4, "tshark -Y tcp.analysis.retransmission");
    a.set_filter("tcp.analysis.duplicate_ack").unwrap();
    wait(&mut a);
    assert_eq!(a.shown_len(), 21);
    // The stored (compact) verdicts rebuild the same Info column as a fresh in-order pass.
    let row = a.store.row(48).expect("frame 48").info.clone();
    assert!(row.starts_with("[TCP Fast Retransmission]"), "{row}");
}

#[test]
fn stored_verdicts_rebuild_what_a_full_pass_annotates() {
    let file = capture("bulk-loss.pcap");
    let mut store = Store::open_blocking(capture("bulk-loss.pcap"));
    let mut seq = pktlab::pipeline::Sequence::new(true);
    for r in file.records() {
        seq.push(&r.unwrap());
        seq.annotate();
        let (n, d) = (seq.frames(), seq.dissection());
        let stored = store.detail(n).unwrap();
        let names = |d: &Dissection| d.fields.iter().map(|f| (f.def.abbrev, format!("{:?}", f.value))).collect::<Vec<_>>();
        assert_eq!(names(&stored.dissection), names(d), "frame {n}");
        assert_eq!(stored.dissection.info, d.info, "frame {n}");
    }
}

#[test]
fn tree_groups_by_osi_and_expands() {
    let mut a = app("handshake.pcap");
    let rows = a.tree_rows();
    let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    for want in ["2 데이터 링크", "3 네트워크", "4 전송"] {
        assert!(labels.contains(&want), "{want} in {labels:?}");
    }
    // Collapse "4 전송" with Enter on it, then expand it again.
    let i = labels.iter().position(|l| *l == "4 전송").unwrap();
    a.update(Action::FocusNext);
    assert_eq!(a.focus, Focus::Tree);
    a.update(Action::Top);
    for _ in 0..i {
        a.update(Action::Down);
    }
    let before = a.tree_rows().len();
    a.update(Action::Toggle);
    assert!(a.tree_rows().len() < before);
    a.update(Action::Toggle);
    assert_eq!(a.tree_rows().len(), before);
}

#[test]
fn select_field_lights_its_bytes_and_survives_frame_changes() {
    let mut a = app("handshake.pcap");
    assert!(a.select_field("tcp.options.mss_val"));
    let (src, start, len) = a.selected_span().unwrap();
    let (d, frame) = a.detail().unwrap();
    let f = d.fields.iter().find(|f| f.def.abbrev == "tcp.options.mss_val").unwrap();
    assert_eq!((src, start, len), (0, f.offset as usize, 2));
    assert_eq!(frame.get(start..start + len), Some(&[0x05, 0xb4][..]), "MSS 1460");
    // Moving to frame 2 keeps the same field selected (it is there too).
    assert_eq!(a.focus, Focus::List);
    a.update(Action::Down);
    let node = a.selected_node().unwrap();
    let NodeRef::Field(i) = node else { panic!("{node:?}") };
    assert_eq!(a.detail().unwrap().0.fields[i].def.abbrev, "tcp.options.mss_val");
    assert!(!a.select_field("no.such.field"));
}

#[test]
fn hex_cursor_selects_the_field_under_it() {
    let mut a = app("handshake.pcap");
    // Ethernet (14) + IPv4 (20): byte 34 is the TCP source port's first byte.
    a.select_byte(34);
    let NodeRef::Field(i) = a.selected_node().unwrap() else { panic!() };
    assert_eq!(a.detail().unwrap().0.fields[i].def.abbrev, "tcp.srcport");
    a.focus = Focus::Hex;
    a.update(Action::Right);
    a.update(Action::Right);
    let NodeRef::Field(i) = a.selected_node().unwrap() else { panic!() };
    assert_eq!(a.detail().unwrap().0.fields[i].def.abbrev, "tcp.dstport");
    assert_eq!(a.hex.cursor, Some(36));
}

#[test]
fn clicks_select_rows_and_bytes() {
    let mut a = app("handshake.pcap");
    let list = a.regions.list;
    a.update(Action::Click { col: list.x + 2, row: list.y + 4 });
    assert_eq!(a.selected_frame(), Some(5));
    assert_eq!(a.focus, Focus::List);
    let hex = a.regions.hex;
    // Second line, byte 2 (offset 0x12): in the IPv4 header.
    let col = pktlab::tui::hex::hex_col(2, 66) as u16;
    draw(&mut a, 120, 40);
    let hex2 = a.regions.hex;
    assert_eq!(hex, hex2);
    a.update(Action::Click { col: hex.x + col, row: hex.y + 1 });
    assert_eq!(a.focus, Focus::Hex);
    assert_eq!(a.hex.cursor, Some(18));
    let NodeRef::Field(i) = a.selected_node().unwrap() else { panic!() };
    assert_eq!(a.detail().unwrap().0.fields[i].def.abbrev, "ip.id");
    // The wheel scrolls the list by three rows, clamped so the last page stays full.
    let page = list.height as usize;
    a.update(Action::Scroll { col: list.x + 1, row: list.y, down: true });
    assert_eq!(a.list.top, 3.min(14 - page));
    a.update(Action::Scroll { col: list.x + 1, row: list.y, down: false });
    assert_eq!(a.list.top, 0);
}

struct Lesson {
    keys: Vec<KeyCode>,
}

impl SidePanel for Lesson {
    fn title(&self) -> String {
        "수업".into()
    }
    fn render(&self, area: Rect, buf: &mut Buffer) {
        buf.set_string(area.x, area.y, "1단계: SYN을 찾아보세요", ratatui::style::Style::default());
    }
    fn handle_key(&mut self, key: KeyEvent) -> PanelOutcome {
        self.keys.push(key.code);
        match key.code {
            KeyCode::Char('x') => PanelOutcome::Commands(vec![
                PanelCommand::SelectFrame(2),
                PanelCommand::SelectField("tcp.flags.syn".into()),
            ]),
            KeyCode::Char('c') => PanelOutcome::Close,
            KeyCode::Char('z') => PanelOutcome::Consumed,
            _ => PanelOutcome::Ignored,
        }
    }
}

#[test]
fn side_panel_gets_keys_and_drives_the_app() {
    let mut a = app("handshake.pcap");
    a.set_side_panel(Box::new(Lesson { keys: vec![] }));
    assert_eq!(a.focus, Focus::Side);
    let buf = draw(&mut a, 120, 40);
    assert!(screen(&buf).contains("1단계: SYN을 찾아보세요"));
    a.key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
    assert_eq!(a.selected_frame(), Some(2));
    let NodeRef::Field(i) = a.selected_node().unwrap() else { panic!() };
    assert_eq!(a.detail().unwrap().0.fields[i].def.abbrev, "tcp.flags.syn");
    // Ignored keys fall through to the app (j moves the list).
    a.key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    assert_eq!(a.selected_frame(), Some(3));
    a.key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE));
    assert_eq!(a.selected_frame(), Some(3));
    a.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE));
    assert!(!a.has_side_panel());
    assert_eq!(a.focus, Focus::List);
}

#[test]
fn stream_view_lists_the_selected_stream() {
    let mut a = app("handshake.pcap");
    a.update(Action::Ladder);
    assert_eq!(a.mode, Mode::Ladder);
    assert_eq!(a.stream.frames.len(), 14, "one TCP connection");
    let buf = draw(&mut a, 120, 40);
    assert!(screen(&buf).contains("├─") && screen(&buf).contains(" SYN Seq=0 Len=0 "), "ladder diagram drawn");
    a.update(Action::Cancel);
    assert_eq!(a.mode, Mode::Normal);
}

#[test]
fn filter_counts_match_tshark_with_and_without_the_analysis() {
    // Counts from `tshark -r captures/bulk-loss.pcap -Y FILTER | wc -l` (tshark 4.0). The first
    // four are evaluated on the plain dissection, the last two need the in-order analysis.
    let cases = [
        ("tcp.len > 0", 89),
        ("ip.src == 10.77.0.1", 93),
        ("tcp.flags.syn == 1", 2),
        ("frame.len > 100", 89),
        ("tcp.seq == 1", 74),
        ("tcp.analysis.flags", 50),
    ];
    let mut a = app("bulk-loss.pcap");
    for (f, n) in cases {
        a.set_filter(f).unwrap();
        wait(&mut a);
        assert_eq!(a.shown_len(), n, "{f}");
    }
}

#[test]
fn drawing_changes_nothing_a_key_does() {
    // Laid out but never drawn: keys work on page sizes from the layout alone.
    let mut a = app("bulk-loss.pcap");
    let page = a.regions.list.height as usize;
    assert!(page > 4, "layout gave the list a page");
    a.update(Action::PageDown);
    assert_eq!(a.selected_frame(), Some(1 + page as u64));
    // Render twice from `&App`: the same screen, and the next key does the same thing as on
    // an app that was never drawn.
    let mut b = app("bulk-loss.pcap");
    b.update(Action::PageDown);
    let area = Rect::new(0, 0, 120, 40);
    let mut one = Buffer::empty(area);
    let mut two = Buffer::empty(area);
    layout::render(&a, area, &mut one);
    layout::render(&a, area, &mut two);
    assert_eq!(screen(&one), screen(&two));
    for act in [Action::Down, Action::Toggle, Action::Down, Action::Right] {
        a.update(act.clone());
        b.update(act);
        layout::render(&a, area, &mut one);
    }
    assert_eq!(a.selected_frame(), b.selected_frame());
    assert_eq!(a.tree, b.tree);
    assert_eq!(a.list, b.list);
}

/// A frame asked for out of order (a filter's match, a jump) shows what reading the file
/// from its start shows: the message TCP reassembles there and the protocols above it, not
/// its segment alone (frame 91 of `app/encoded.pcap` finishes a multipart POST begun in 90).
/// Asking again, or for an earlier frame afterwards, gives the same.
#[test]
fn a_frame_asked_for_out_of_order_shows_what_reading_in_order_shows() {
    let mut store = Store::open_blocking(capture("app/encoded.pcap"));
    let protos = |store: &mut Store, n: u64| -> Vec<&'static str> { store.detail(n).expect("frame").dissection.layers.iter().map(|l| l.proto).collect() };
    let ninety_one = protos(&mut store, 91);
    assert!(ninety_one.contains(&"http") && ninety_one.contains(&"mime_multipart"), "{ninety_one:?}");
    assert_eq!(store.row(91).expect("row").protocol, "HTTP");
    let eight = protos(&mut store, 8);
    assert!(eight.contains(&"json"), "{eight:?}");
    assert_eq!(protos(&mut store, 91), ninety_one);
}
