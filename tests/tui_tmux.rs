//! End to end: the real `pktlab` binary under tmux, as a person would use it. Opens a public
//! capture at 120x40 and 80x24, moves, filters, checks a Korean explanation is on screen, and
//! quits; then checks the shell works (echo on, canonical mode) after `q`, SIGTERM and a
//! deliberate panic. Skipped (with a message) when tmux or the capture is missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::Tmux;

/// A tmux session running an interactive shell, where the tests type their commands.
fn shell(tag: &str, w: u16, h: u16) -> Tmux {
    Tmux::start(tag, w, h, "bash --norc --noprofile", Duration::from_secs(15))
}

/// The shell answers, echo and canonical mode are back (the terminal was restored).
fn assert_shell_usable(t: &Tmux, tag: &str) {
    t.wait_exit();
    t.literal(&format!("clear; stty -a | grep -o -- ' -\\?icanon\\| -\\?echo ' | tr -d ' \\n'; echo; echo OK-{tag}-$((40+2))"));
    t.keys(&["Enter"]);
    let s = t.wait_for(&format!("OK-{tag}-42"));
    assert!(s.contains("icanonecho"), "terminal modes not restored:\n{s}");
    assert!(!s.contains("패킷 목록"), "still on the TUI's screen:\n{s}");
}

fn ready() -> Option<(PathBuf, PathBuf)> {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tui_tmux: tmux is not installed; skipping");
        return None;
    }
    let cap = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public/chrissanders-tcp_handshake.pcapng");
    if !cap.exists() {
        eprintln!("tui_tmux: {} missing; skipping", cap.display());
        return None;
    }
    Some((PathBuf::from(env!("CARGO_BIN_EXE_pktlab")), cap))
}

fn session(tag: &str, w: u16, h: u16) {
    let Some((bin, cap)) = ready() else { return };
    let t = shell(tag, w, h);
    t.literal(&format!("{} {}", bin.display(), cap.display()));
    t.keys(&["Enter"]);
    t.wait_for("모두 읽음 3");
    t.wait_for("212.58.226.142");
    // Move to frame 2; the tree shows it grouped by OSI layer.
    t.keys(&["j"]);
    let s = t.wait_for("Frame 2:");
    assert!(s.contains("2 데이터 링크") && s.contains("3 네트워크") && s.contains("4 전송"), "tree by OSI layer:\n{s}");
    // Into the tree: the last row is the TCP layer; Enter expands it, j goes to its first field.
    t.keys(&["Tab"]);
    t.keys(&["G"]);
    t.keys(&["Enter"]);
    t.keys(&["j"]);
    t.wait_for("Source Port: 80");
    t.wait_for("tcp.srcport");
    // Filter with an error first: the column is shown and nothing is applied.
    t.keys(&["/"]);
    t.literal("tcp.flgs.syn == 1");
    t.wait_for("column 1");
    t.keys(&["C-u"]);
    t.literal("tcp.flags.syn == 1 && tcp.flags.ack == 0");
    t.wait_for("올바른 필터예요");
    t.keys(&["Enter"]);
    let s = t.wait_for("1/3 프레임");
    assert!(s.contains("필터: tcp.flags.syn == 1 && tcp.flags.ack == 0"), "{s}");
    // The filter kept frame 1 (the SYN); the tree cursor stays on the source port.
    t.wait_for("Source Port: 2826");
    // The explanation pane speaks Korean about what is selected (catalogue text or, for a
    // field the catalogue does not cover yet, the Korean fallback) — look for Hangul in it.
    let s = t.screen();
    assert!(s.contains("설명"), "explanation pane title:\n{s}");
    let explained = s.lines().any(|l| {
        let right: String = l.chars().skip(l.chars().count() / 2).collect();
        right.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)) && !right.contains("설명 ─")
    });
    assert!(explained, "no Korean explanation on screen:\n{s}");
    // Go to frame 3 (the filter hides it: the list switches to marking matches), help, quit.
    t.keys(&[":"]);
    t.literal("3");
    t.keys(&["Enter"]);
    t.wait_for("일치 표시");
    t.keys(&["?"]);
    t.wait_for("도움말 (아무 키나 누르면 닫혀요)");
    t.keys(&["Escape"]);
    // (Wait for the overlay to close: Escape followed at once by a key reads as Alt+key.)
    let start = Instant::now();
    while t.screen().contains("도움말 (아무 키나") {
        assert!(start.elapsed() < Duration::from_secs(10), "help did not close");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The TCP stream view of the selected frame, then back.
    t.keys(&["L"]);
    // (The analysis helper's ladder diagram or the plain stream list: both name the stream
    // and show the handshake.)
    // (A capture of the pane may catch a frame half drawn: wait for the title too.)
    t.wait_for("SYN, ACK");
    let s = t.wait_for("스트림");
    assert!(s.contains("SYN"), "{s}");
    t.keys(&["Escape"]);
    t.wait_for("패킷 목록");
    // Resize: the layout follows the new size.
    let (nw, nh) = if w > 100 { (90, 30) } else { (110, 35) };
    assert!(t.resize(nw, nh), "tmux resize-window");
    let start = Instant::now();
    loop {
        let s = t.screen();
        let lines: Vec<&str> = s.lines().collect();
        // The status bar is the second-to-last line of the new height.
        if lines.len() == nh as usize && lines.get(nh as usize - 2).is_some_and(|l| l.contains("프레임")) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "layout did not follow the resize:\n{s}");
        std::thread::sleep(Duration::from_millis(50));
    }
    t.keys(&["q"]);
    assert_shell_usable(&t, tag);
}

#[test]
fn browse_filter_and_quit_120x40() {
    session("wide", 120, 40);
}

#[test]
fn browse_filter_and_quit_80x24() {
    session("narrow", 80, 24);
}

#[test]
fn sigterm_and_panic_restore_the_terminal() {
    let Some((bin, cap)) = ready() else { return };
    let t = shell("signals", 100, 30);
    t.literal(&format!("{} {}", bin.display(), cap.display()));
    t.keys(&["Enter"]);
    t.wait_for("모두 읽음 3");
    let pid = t.child_pid();
    assert!(Command::new("kill").args(["-TERM", &pid.to_string()]).status().expect("kill").success());
    assert_shell_usable(&t, "term");

    t.literal(&format!("PKTLAB_DEBUG_PANIC=1 {} {}", bin.display(), cap.display()));
    t.keys(&["Enter"]);
    t.wait_for("모두 읽음 3");
    t.keys(&["F12"]);
    let s = t.wait_for("PKTLAB_DEBUG_PANIC");
    assert!(s.contains("panicked"), "panic message printed after restoring:\n{s}");
    assert_shell_usable(&t, "panic");

    // Ctrl-C is a key in raw mode: it quits cleanly too.
    t.literal(&format!("{} {}", bin.display(), cap.display()));
    t.keys(&["Enter"]);
    t.wait_for("모두 읽음 3");
    t.keys(&["C-c"]);
    assert_shell_usable(&t, "ctrlc");
}

#[test]
fn closing_the_terminal_ends_the_process() {
    let Some((bin, cap)) = ready() else { return };
    let cmd = format!("exec {} {}", bin.display(), cap.display());
    let t = Tmux::start("hup", 100, 30, &cmd, Duration::from_secs(15));
    t.wait_for("모두 읽음 3");
    let pid = t.shell_pid();
    assert!(t.kill_session(), "tmux kill-session");
    // The pane's pty is gone: SIGHUP must end pktlab, not leave it spinning on end-of-file.
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists()
        && std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z "))
    {
        assert!(start.elapsed() < Duration::from_secs(5), "pktlab {pid} still running after its terminal closed");
        std::thread::sleep(Duration::from_millis(50));
    }
}
