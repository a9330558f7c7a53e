//! The TCP state view (`T`): drawn with ratatui's TestBackend at 80x24 and 120x40, stepped
//! with ↑/↓ (the list selection follows), Esc back; and under tmux with the real binary.

use pktlab::explain::Lang;
use pktlab::tui::app::{Action, App, Mode};
use pktlab::tui::layout;
use pktlab::tui::store::Store;
use pktlab::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

mod common;
use common::{Tmux, buffer_text as screen, capture};

fn draw(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| layout::draw(f, app)).expect("draw");
    screen(t.backend().buffer())
}

fn open(lang: Lang) -> App {
    let mut a = App::new(Store::open_blocking(capture("handshake.pcap")), "handshake.pcap".into(), lang, Theme { color: false });
    a.store.wait_idle();
    a.tick();
    a
}

#[test]
fn shows_both_endpoints_and_steps_through_the_stream() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = open(Lang::Ko);
        a.update(Action::TcpState);
        assert_eq!(a.mode, Mode::TcpState);
        let s = draw(&mut a, w, h);
        assert!(s.contains("SYN-SENT") && s.contains("SYN-RECEIVED"), "{w}x{h}:\n{s}");
        assert!(s.contains("TCP 상태") && s.contains("(1/14)"), "{w}x{h}:\n{s}");
        assert!(s.contains("SND.UNA 0") && s.contains("SND.NXT 1"), "{w}x{h}:\n{s}");
        // The sentence comes from the text file.
        assert!(s.contains(pktlab::explain::tcp_state::text("open", Lang::Ko).split(' ').next().unwrap_or("?")), "{w}x{h}:\n{s}");
        for _ in 0..3 {
            a.update(Action::Down);
        }
        assert_eq!(a.selected_frame(), Some(4), "the list follows the step");
        let s = draw(&mut a, w, h);
        assert!(s.contains("ESTABLISHED") && s.contains("(4/14)") && s.contains('▓'), "{w}x{h}:\n{s}");
        a.update(Action::Bottom);
        let s = draw(&mut a, w, h);
        assert!(s.contains("TIME-WAIT") && s.contains("CLOSED"), "{w}x{h}:\n{s}");
        a.update(Action::Cancel);
        assert_eq!(a.mode, Mode::Normal);
        assert_eq!(a.selected_frame(), Some(14));
        assert!(draw(&mut a, w, h).contains("패킷 목록"));
    }
    let mut a = open(Lang::En);
    a.update(Action::TcpState);
    let s = draw(&mut a, 80, 24);
    assert!(s.contains("TCP state") && s.contains("client") && s.contains("server"), "{s}");
}

#[test]
fn tmux_t_opens_the_view_and_esc_returns() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tui_tcp_state: tmux is not installed; skipping");
        return;
    }
    let cap = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/handshake.pcap");
    for (w, h) in [(80u16, 24u16), (130, 40)] {
        let cmd = format!("{} {}", env!("CARGO_BIN_EXE_pktlab"), cap.display());
        let t = Tmux::start(&format!("tcpstate{w}"), w, h, &cmd, Duration::from_secs(15));
        t.wait_for("모두 읽음 14");
        // The view needs the background analysis; until it has run, T says the frame has no
        // TCP state yet, so try again for a while.
        let start = std::time::Instant::now();
        loop {
            t.keys(&["T"]);
            std::thread::sleep(Duration::from_millis(300));
            if t.screen().contains("SYN-SENT") {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "T never showed the states:\n{}", t.screen());
            t.keys(&["Escape"]);
            std::thread::sleep(Duration::from_millis(200));
        }
        t.keys(&["j", "j", "j"]);
        let s = t.wait_for("(4/14)");
        assert!(s.contains("ESTABLISHED"), "{s}");
        t.keys(&["Escape"]);
        t.wait_for("패킷 목록");
        t.keys(&["q"]);
    }
}
