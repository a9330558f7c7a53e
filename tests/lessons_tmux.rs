//! End to end under tmux, as a new learner: `pktlab` with no arguments opens the lesson menu,
//! a lesson is done start to finish with the keyboard (answers typed and judged), and the
//! progress is there after a restart. Skipped (with a message) when tmux is missing.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    name: String,
}

impl Tmux {
    fn start(state: &Path, run: u32) -> Tmux {
        let socket = format!("pktlab-lessons-test-{}-{run}", std::process::id());
        let name = "learner".to_owned();
        let cmd = format!("env XDG_STATE_HOME={} {}; sleep 30", state.display(), env!("CARGO_BIN_EXE_pktlab"));
        let ok = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-s", &name, "-x", "120", "-y", "40", &cmd])
            .status()
            .expect("tmux runs")
            .success();
        assert!(ok, "tmux new-session");
        Tmux { socket, name }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["-L", &self.socket, "send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        assert!(Command::new("tmux").args(&args).status().expect("tmux").success());
    }

    fn literal(&self, text: &str) {
        let ok = Command::new("tmux").args(["-L", &self.socket, "send-keys", "-t", &self.name, "-l", text]).status().expect("tmux");
        assert!(ok.success());
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p", "-t", &self.name]).output().expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what:?}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

#[test]
fn a_lesson_done_with_the_keyboard_is_remembered_after_a_restart() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let state = tempfile::tempdir().expect("tempdir");
    let t = Tmux::start(state.path(), 1);
    t.wait_for("레슨 11개 중 0개 완료");
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
    t.literal("65495");
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
    let t = Tmux::start(state.path(), 2);
    let s = t.wait_for("레슨 11개 중 1개 완료");
    assert!(s.contains("✔ 완료"), "{s}");
}
