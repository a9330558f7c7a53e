//! End to end under tmux, as a new learner: `pktlab` with no arguments opens the lesson menu,
//! a lesson is done start to finish with the keyboard (answers typed and judged), and the
//! progress is there after a restart. Skipped (with a message) when tmux is missing.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

mod common;
use common::Tmux;

/// `pktlab` with no arguments (the lesson menu), its progress kept under `state`; the session
/// stays open after it exits.
fn start(state: &Path, run: u32) -> Tmux {
    let cmd = format!("env XDG_STATE_HOME={} {}; sleep 30", state.display(), env!("CARGO_BIN_EXE_pktlab"));
    Tmux::start(&format!("lessons-{run}"), 120, 40, &cmd, Duration::from_secs(20))
}

#[test]
fn a_lesson_done_with_the_keyboard_is_remembered_after_a_restart() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let state = tempfile::tempdir().expect("tempdir");
    let t = start(state.path(), 1);
    t.wait_for("레슨 19개 중 0개 완료");
    // lesson 6: MSS and MTU (5 steps, questions on steps 1 and 4)
    t.keys(&["6", "Enter"]);
    t.wait_for("단계 1/5");
    t.keys(&["Enter"]);
    t.wait_for("답: ");
    t.literal("1448");
    t.keys(&["Enter"]);
    t.wait_for("아니에요");
    t.keys(&["Enter"]);
    t.literal("1460");
    t.keys(&["Enter"]);
    t.wait_for("정답이에요");
    for n in 2..=4 {
        t.keys(&["Right"]);
        t.wait_for(&format!("단계 {n}/5"));
    }
    t.wait_for("loopback.pcap");
    t.keys(&["Enter"]);
    t.literal("65483");
    t.keys(&["Enter"]);
    t.wait_for("정답이에요");
    t.keys(&["Right"]);
    t.wait_for("단계 5/5");
    t.wait_for("ipv6.pcap");
    t.keys(&["Right"]);
    t.wait_for("레슨을 마쳤어요");
    t.keys(&["q"]);
    drop(t);
    let saved = std::fs::read_to_string(state.path().join("pktlab/progress.toml")).expect("progress saved");
    assert!(saved.contains("06-mss-mtu") && saved.contains("done = true"), "{saved}");
    // the answers are kept for `pktlab lessons report`: step 1 right at the second try, step 4 at the first
    let out = Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["lessons", "report", "--progress"])
        .arg(state.path().join("pktlab/progress.toml"))
        .output()
        .expect("run report");
    let csv = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[0].contains(",06-mss-mtu,1,field-value,false,2,true,"), "{csv}");
    assert!(rows[1].contains(",06-mss-mtu,4,compute,true,1,true,"), "{csv}");
    let t = start(state.path(), 2);
    let s = t.wait_for("레슨 19개 중 1개 완료");
    assert!(s.contains("✔ 완료"), "{s}");
}
