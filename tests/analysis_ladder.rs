//! The ladder diagram, drawn: the text picture of `pktlab stats ladder` and the TUI widget
//! (TestBackend) on real captures — the handshake + data + teardown of handshake.pcap line by
//! line, and the retransmission marks of bulk-loss.pcap on exactly the frames tshark 4.0 flags
//! (`tshark -r captures/bulk-loss.pcap -Y tcp.analysis.retransmission -T fields -e frame.number`
//! prints 48, 61, 114, 162).

use pktlab::analysis::ladder::{Dir, Ladder, LadderBuilder, Mark};
use pktlab::explain::Lang;
use pktlab::tui::app::{Action, App, Mode};
use pktlab::tui::ladder::LadderWidget;
use pktlab::tui::layout;
use pktlab::tui::store::Store;
use pktlab::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::widgets::Widget;
use std::path::Path;

const TSHARK_RETRANSMISSIONS: [u64; 4] = [48, 61, 114, 162];

mod common;
use common::{buffer_lines as lines, capture};

fn ladder_of(name: &str, stream: u32) -> Ladder {
    let mut b = LadderBuilder::new(stream);
    common::each_frame(&capture(name), |_, _, _, fa| b.push_frame(fa)).expect("reads");
    b.finish().expect("stream exists")
}

fn widget_lines(l: &Ladder, w: u16, h: u16, lang: Lang, selected: Option<u64>) -> (Vec<String>, Buffer) {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    LadderWidget { ladder: l, scroll: 0, selected, lang, theme: Theme { color: true } }.render(area, &mut buf);
    (lines(&buf), buf)
}

#[test]
fn handshake_widget_line_by_line() {
    let l = ladder_of("handshake.pcap", 0);
    let (got, buf) = widget_lines(&l, 120, 16, Lang::En, Some(6));
    // (frame, direction, label, marks)
    let want: [(u64, Dir, &str, &str); 14] = [
        (1, Dir::ToServer, "SYN Seq=0 Len=0", ""),
        (2, Dir::ToClient, "SYN, ACK Seq=0 Ack=1 Len=0", "RTT"),
        (3, Dir::ToServer, "ACK Seq=1 Ack=1 Len=0", "RTT"),
        (4, Dir::ToServer, "PSH, ACK Seq=1 Ack=1 Len=9", ""),
        (5, Dir::ToClient, "ACK Seq=1 Ack=10 Len=0", "RTT"),
        (6, Dir::ToClient, "ACK Seq=1 Ack=10 Len=1448", ""),
        (7, Dir::ToServer, "ACK Seq=10 Ack=1449 Len=0", "RTT"),
        (8, Dir::ToClient, "ACK Seq=1449 Ack=10 Len=1448", ""),
        (9, Dir::ToServer, "ACK Seq=10 Ack=2897 Len=0", "RTT"),
        (10, Dir::ToClient, "PSH, ACK Seq=2897 Ack=10 Len=1113", ""),
        (11, Dir::ToServer, "ACK Seq=10 Ack=4010 Len=0", "RTT"),
        (12, Dir::ToServer, "FIN, ACK Seq=10 Ack=4010 Len=0", ""),
        (13, Dir::ToClient, "FIN, ACK Seq=4010 Ack=11 Len=0", "RTT"),
        (14, Dir::ToServer, "ACK Seq=11 Ack=4011 Len=0", "RTT"),
    ];
    assert!(got[0].contains("10.77.0.1:") && got[0].contains("10.77.0.2:8080"), "{}", got[0]);
    assert!(got[0].find("10.77.0.1").unwrap_or(usize::MAX) < got[0].find("10.77.0.2:8080").unwrap_or(0));
    for (i, (frame, dir, label, mark)) in want.iter().enumerate() {
        let line = &got[i + 1];
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols.get(1), Some(&frame.to_string().as_str()), "{line}");
        assert!(line.contains(&format!(" {label} ")), "{line}");
        let arrow = line.get(line.find('├').unwrap_or(0)..).unwrap_or("");
        match dir {
            Dir::ToServer => assert!(arrow.contains("─▶┤") && !arrow.contains('◀'), "{line}"),
            Dir::ToClient => assert!(arrow.starts_with("├◀─") && !arrow.contains('▶'), "{line}"),
        }
        let after = arrow.get(arrow.find('┤').unwrap_or(0)..).unwrap_or("");
        if mark.is_empty() {
            assert_eq!(after, "┤", "{line}");
        } else {
            assert!(after.contains(mark) && after.contains("ms"), "{line}");
        }
        assert_eq!(l.rows[i].dir, *dir);
    }
    assert!(got[1].trim_start().starts_with("0.000000"));
    // Colours: SYN green, data cyan, FIN magenta; frame 6 highlighted with the cursor style.
    let x = got[1].find('├').map(|b| got[1][..b].chars().count()).unwrap_or(0) as u16;
    assert_eq!(buf[(x + 3, 1)].fg, Color::LightGreen);
    assert_eq!(buf[(x + 3, 12)].fg, Color::LightMagenta);
    assert_eq!(buf[(0, 6)].bg, Color::Blue, "selected frame 6 highlighted");
    assert_ne!(buf[(0, 7)].bg, Color::Blue);
}

#[test]
fn handshake_text_matches_the_widget() {
    let l = ladder_of("handshake.pcap", 0);
    let text = pktlab::explain::ladder::render_text(&l, 120, Lang::Ko);
    let text: Vec<&str> = text.lines().collect();
    assert!(text[0].contains("TCP 스트림 0") && text[0].contains("14개"));
    let (got, _) = widget_lines(&l, 120, 16, Lang::Ko, None);
    for i in 0..15 {
        assert_eq!(text[i + 1].trim_end(), got[i], "line {i}");
    }
}

#[test]
fn bulk_loss_retransmissions_marked_on_tsharks_frames() {
    let l = ladder_of("bulk-loss.pcap", 0);
    let h = l.rows.len() as u16 + 1;
    let (got, _) = widget_lines(&l, 130, h, Lang::Ko, None);
    let marked: Vec<u64> = got
        .iter()
        .skip(1)
        .filter(|line| line.contains("재전송"))
        .filter_map(|line| line.split_whitespace().nth(1)?.parse().ok())
        .collect();
    assert_eq!(marked, TSHARK_RETRANSMISSIONS);
    let model = l.frames_with(|m| matches!(m, Mark::Retransmission | Mark::FastRetransmission | Mark::SpuriousRetransmission));
    assert_eq!(model, TSHARK_RETRANSMISSIONS);
    // Losses show up as duplicate ACKs from the server, right to left.
    let dup = l.rows.iter().filter(|r| r.marks.iter().any(|m| matches!(m, Mark::DupAck(_)))).collect::<Vec<_>>();
    assert!(!dup.is_empty() && dup.iter().all(|r| r.dir == Dir::ToClient));
}

fn draw(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| layout::draw(f, app)).expect("draw");
    lines(t.backend().buffer())
}

#[test]
fn tui_l_opens_the_ladder_at_the_selected_frame_and_g_cycles_graphs() {
    let mut app = App::new(Store::open_blocking(capture("bulk-loss.pcap")), "bulk-loss.pcap".into(), Lang::En, Theme { color: true });
    draw(&mut app, 130, 30);
    for _ in 0..60 {
        app.update(Action::Down);
    }
    assert_eq!(app.selected_frame(), Some(61));
    app.update(Action::Ladder);
    assert_eq!(app.mode, Mode::Ladder);
    let screen = draw(&mut app, 130, 30);
    let all = screen.join("\n");
    assert!(all.contains("TCP stream 0 ladder"), "{all}");
    let row61 = screen.iter().find(|l| l.split_whitespace().nth(2) == Some("61")).expect("frame 61 visible");
    assert!(row61.contains("retransmission") && row61.contains("─▶┤"), "{row61}");
    app.update(Action::Input('g'));
    let all = draw(&mut app, 130, 30).join("\n");
    assert!(all.contains("sequence number over time"), "{all}");
    assert!(all.chars().any(|c| ('\u{2801}'..='\u{28FF}').contains(&c)), "braille points drawn");
    app.update(Action::Input('g'));
    assert!(draw(&mut app, 130, 30).join("\n").contains("throughput"));
    app.update(Action::Input('g'));
    assert!(draw(&mut app, 130, 30).join("\n").contains("RTT"));
    app.update(Action::Input('g'));
    assert!(draw(&mut app, 130, 30).join("\n").contains("TCP stream 0 ladder"));
    app.update(Action::Cancel);
    assert_eq!(app.mode, Mode::Normal);
}

/// How many rows carry each mark equals how many frames `tshark -Y tcp.analysis.FLAG` lists
/// (each capture has one TCP stream).
#[test]
fn marks_count_like_tshark_filters() {
    type Pred = fn(&Mark) -> bool;
    let cases: [(&str, &str, Pred, usize); 7] = [
        ("zero-window.pcap", "zero_window", |m| *m == Mark::ZeroWindow, 8),
        ("zero-window.pcap", "window_update", |m| *m == Mark::WindowUpdate, 6),
        ("zero-window.pcap", "keep_alive", |m| *m == Mark::KeepAlive, 3),
        ("zero-window.pcap", "window_full", |m| *m == Mark::WindowFull, 31),
        ("bulk-loss.pcap", "window_update", |m| *m == Mark::WindowUpdate, 23),
        ("bulk-loss.pcap", "duplicate_ack", |m| matches!(m, Mark::DupAck(_)), 21),
        ("bulk-loss.pcap", "out_of_order", |m| *m == Mark::OutOfOrder, 2),
    ];
    for (file, flag, pred, want) in cases {
        let l = ladder_of(file, 0);
        assert_eq!(l.frames_with(pred).len(), want, "{file} tcp.analysis.{flag}");
    }
}

#[test]
fn cli_stats_ladder_prints_the_text_picture() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/handshake.pcap");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["stats", "ladder"])
        .arg(&p)
        .args(["--stream", "0", "--lang", "en", "--width", "120"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text, pktlab::explain::ladder::render_text(&ladder_of("handshake.pcap", 0), 120, Lang::En));
    assert_eq!(text.lines().count(), 16);
    assert!(text.lines().nth(2).is_some_and(|l| l.contains("├") && l.contains(" SYN Seq=0 Len=0 ") && l.ends_with("▶┤")));
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["stats", "ladder"])
        .arg(&p)
        .args(["--stream", "7"])
        .output()
        .expect("runs");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no TCP stream 7"));
}
