//! Whole screens rendered into ratatui `TestBackend` buffers at 120x40 and 80x24.
//!
//! Snapshots (insta) pin the layout; the explanation pane is blanked in them because its text
//! comes from the explanation catalogue, which grows independently (its content is checked
//! separately: a Korean explanation, or the fallback, is always there). Styled checks compare
//! cells: the hex highlight covers exactly the selected field's bytes, and NO_COLOR leaves no
//! colour anywhere.

use pktlab::explain::Lang;
use pktlab::tui::app::{Action, App, Focus, Mode};
use pktlab::tui::store::Store;
use pktlab::tui::theme::Theme;
use pktlab::tui::{hex, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use unicode_width::UnicodeWidthStr;

mod common;
use common::{buffer_lines as lines, capture};

fn app(name: &str, lang: Lang, color: bool) -> App {
    let store = Store::open_blocking(capture(name));
    App::new(store, name.into(), lang, Theme { color })
}

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| layout::draw(f, app)).expect("draw");
    t.backend().buffer().clone()
}

/// The screen text with the explanation pane's cells blanked.
fn snapshot_text(app: &App, mut buf: Buffer) -> String {
    let r = app.regions.explain;
    for y in r.y..r.y + r.height {
        for x in r.x..r.x + r.width {
            buf[(x, y)].set_symbol(" ");
        }
    }
    lines(&buf).join("\n")
}

fn select_mss(app: &mut App) {
    assert!(app.select_field("tcp.options.mss_val"));
    app.focus = Focus::Tree;
}

#[test]
fn screen_120x40() {
    let mut a = app("handshake.pcap", Lang::Ko, true);
    let text = lines(&draw(&mut a, 120, 40)).join("\n");
    for want in ["패킷 목록", "번호", "프로토콜", "2 데이터 링크", "3 네트워크", "4 전송", "0000  ", "14/14 프레임", "모두 읽음 14"] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    select_mss(&mut a);
    let buf = draw(&mut a, 120, 40);
    insta::assert_snapshot!("handshake_120x40", snapshot_text(&a, buf));
}

#[test]
fn screen_80x24_is_usable() {
    let mut a = app("handshake.pcap", Lang::Ko, true);
    draw(&mut a, 80, 24);
    select_mss(&mut a);
    let buf = draw(&mut a, 80, 24);
    let ls = lines(&buf);
    let text = ls.join("\n");
    // Every pane is there: list rows, the selected field in the tree, bytes, status, hint.
    assert!(text.contains("43850 → 8080 [SYN"), "{text}");
    assert!(text.contains("MSS Value: 1460"), "{text}");
    assert!(text.contains("0000  "), "{text}");
    assert!(ls[22].contains("14/14"), "status line: {}", ls[22]);
    assert!(a.regions.list.height >= 4 && a.regions.tree.height >= 4 && a.regions.hex.height >= 2);
    assert!(a.regions.explain.width >= 30);
    insta::assert_snapshot!("handshake_80x24", snapshot_text(&a, buf));
}

#[test]
fn explanation_follows_the_cursor_in_korean() {
    let mut a = app("handshake.pcap", Lang::Ko, true);
    draw(&mut a, 120, 40);
    select_mss(&mut a);
    let buf = draw(&mut a, 120, 40);
    let r = a.regions.explain;
    let pane: Vec<String> = lines(&buf).iter().skip(r.y as usize).take(r.height as usize).cloned().collect();
    let pane = pane.join("\n");
    assert!(pane.contains("tcp.options.mss_val"), "{pane}");
    assert!(pane.contains("값: 1460"), "{pane}");
    let has_korean_doc = pktlab::explain::field("tcp.options.mss_val", Lang::Ko).is_some();
    if !has_korean_doc {
        assert!(pane.contains("설명은 아직 없어요"), "fallback shown: {pane}");
    }
    // Korean text stays inside the pane: no line of the pane area spills past its right edge
    // (cells right of the pane belong to nothing, so the screen line ends at the pane).
    for y in r.y..r.y + r.height {
        let w: usize = (r.x..r.x + r.width).map(|x| buf[(x, y)].symbol().width().min(2)).sum();
        assert!(w <= r.width as usize * 2);
    }
}

#[test]
fn hex_highlight_is_exactly_the_fields_bytes() {
    let mut a = app("handshake.pcap", Lang::Ko, true);
    draw(&mut a, 120, 40);
    for field in ["tcp.options.mss_val", "ip.ttl", "eth.src", "tcp.srcport", "ip.src"] {
        assert!(a.select_field(field), "{field}");
        let (_, start, len) = a.selected_span().unwrap();
        let buf = draw(&mut a, 120, 40);
        let r = a.regions.hex;
        let frame_len = a.hex_source().1.len();
        for i in 0..frame_len {
            let line = i / 16;
            if line < a.hex.top || line >= a.hex.top + r.height as usize {
                continue;
            }
            let y = r.y + (line - a.hex.top) as u16;
            let x = r.x + hex::hex_col(i % 16, frame_len) as u16;
            let lit = buf[(x, y)].bg == Color::Yellow;
            assert_eq!(lit, i >= start && i < start + len, "{field}: byte {i} (field {start}+{len})");
            let ax = r.x + hex::ascii_col(i % 16, frame_len) as u16;
            assert_eq!(buf[(ax, y)].bg == Color::Yellow, lit, "{field}: ascii of byte {i}");
        }
    }
}

#[test]
fn no_color_leaves_no_colour() {
    let mut a = app("handshake.pcap", Lang::Ko, false);
    draw(&mut a, 120, 40);
    select_mss(&mut a);
    a.update(Action::StartFilter);
    a.update(Action::Input('x'));
    let buf = draw(&mut a, 120, 40);
    for c in buf.content() {
        assert_eq!(c.fg, Color::Reset, "{c:?}");
        assert_eq!(c.bg, Color::Reset, "{c:?}");
    }
}

#[test]
fn filter_error_marks_its_column() {
    let mut a = app("handshake.pcap", Lang::Ko, true);
    a.update(Action::StartFilter);
    for c in "tcp.port == 80 && ip.sr".chars() {
        a.update(Action::Input(c));
    }
    assert_eq!(a.mode, Mode::Filter);
    let e = a.filter.error.clone().expect("ip.sr is not a field");
    let buf = draw(&mut a, 120, 40);
    let ls = lines(&buf);
    let input = &ls[38];
    let marks = &ls[39];
    assert!(input.starts_with("필터: tcp.port == 80 && ip.sr"), "{input}");
    // The caret sits under the error's column (prompt "필터: " is 6 cells wide).
    let caret = marks.find('^').expect("caret line");
    assert_eq!(marks[..caret].width(), 6 + e.column - 1, "{marks}");
    assert!(marks.contains(&format!("column {}", e.column)), "{marks}");
}

#[test]
fn help_overlay_and_english_labels() {
    let mut a = app("handshake.pcap", Lang::En, true);
    draw(&mut a, 80, 24);
    a.update(Action::Help);
    let text = lines(&draw(&mut a, 80, 24)).join("\n");
    assert!(text.contains("Help (any key closes)"), "{text}");
    assert!(text.contains("go to frame N"));
    a.update(Action::Down);
    assert_eq!(a.mode, Mode::Normal, "any key closes help");
    let text = lines(&draw(&mut a, 80, 24)).join("\n");
    assert!(text.contains("Packets") && text.contains("Data link") && text.contains("all loaded 14"), "{text}");
}

#[test]
fn tiny_and_odd_sizes_do_not_panic() {
    let mut a = app("bulk-loss.pcap", Lang::Ko, true);
    for (w, h) in [(1, 1), (10, 5), (40, 12), (79, 23), (200, 60), (80, 3)] {
        draw(&mut a, w, h);
        a.update(Action::PageDown);
        a.update(Action::FocusNext);
        a.update(Action::Bottom);
        a.update(Action::Ladder);
        draw(&mut a, w, h);
        a.update(Action::Cancel);
    }
}

#[test]
fn bad_tcp_rows_are_coloured() {
    let mut a = app("bulk-loss.pcap", Lang::Ko, true);
    draw(&mut a, 120, 40);
    a.select_frame(48);
    a.update(Action::Up);
    let buf = draw(&mut a, 120, 40);
    let list = a.regions.list;
    let row_of = |n: u64| (0..list.height).find(|&r| a.frame_at(a.list.top + r as usize) == Some(n)).unwrap();
    // Frame 48 is a fast retransmission (Bad TCP); frame 40 is a plain data segment.
    let fg = |n: u64| buf[(list.x + 10, list.y + row_of(n))].fg;
    assert_eq!(fg(48), Color::LightRed);
    assert_ne!(fg(40), Color::LightRed);
}

#[test]
fn explanation_value_is_the_trees_text() {
    // The pane states a field's value in the words of the tree line (tshark's text): units,
    // flag words and the checksum verdict, not a bare number.
    let mut a = app("handshake.pcap", Lang::Ko, true);
    draw(&mut a, 120, 40);
    for (field, value) in [("tcp.hdr_len", "값: 40 bytes (10)"), ("tcp.flags.syn", "값: Set"), ("ip.flags.df", "값: Set"), ("ip.hdr_len", "값: 20 bytes (5)"), ("ip.checksum", "값: 0x04fb [correct]")] {
        assert!(a.select_field(field), "{field}");
        a.focus = Focus::Tree;
        let buf = draw(&mut a, 120, 40);
        let r = a.regions.explain;
        let pane = lines(&buf).iter().skip(r.y as usize).take(r.height as usize).cloned().collect::<Vec<_>>().join("\n");
        assert!(pane.contains(value), "{field}: {pane}");
    }
}
