//! Helpers several integration tests share: the project's and the public captures, every
//! frame of a file dissected and analysed in order, a ratatui buffer as text, and a private
//! tmux server driving the real binary, and the TUI opened and drawn on a TestBackend. Each test
//! crate uses a part of them.
#![allow(dead_code)]

use pktlab::analysis::FrameAnalysis;
use pktlab::capture::{CaptureError, CaptureFile};
use pktlab::dissect::{Dissection, FrameMeta};
use pktlab::pipeline::Sequence;
use ratatui::buffer::Buffer;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The whole TUI drawn once into a `w`×`h` TestBackend, as text lines.
pub fn draw(app: &mut pktlab::tui::app::App, w: u16, h: u16) -> Vec<String> {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| pktlab::tui::layout::draw(f, app)).expect("draw");
    buffer_lines(t.backend().buffer())
}

/// The TUI on `captures/NAME`, loaded and idle (colours only with `color`).
pub fn open_app(name: &str, lang: pktlab::explain::Lang, color: bool) -> pktlab::tui::app::App {
    let store = pktlab::tui::store::Store::open_blocking(capture(name));
    let mut a = pktlab::tui::app::App::new(store, name.into(), lang, pktlab::tui::theme::Theme { color });
    a.store.wait_idle();
    a.tick();
    a
}

/// A capture recorded for the project (`captures/NAME`).
pub fn capture(name: &str) -> CaptureFile {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name);
    CaptureFile::open(&p).expect("capture opens")
}

/// A public capture (`../shared/captures/public/NAME`).
pub fn public(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public").join(name)
}

/// Dissects and analyses every frame of `file` in order, calling `each` with the frame's
/// facts, bytes, dissection and analysis. Ends at the first damage, which it returns.
pub fn each_frame(file: &CaptureFile, mut each: impl FnMut(&FrameMeta, &[u8], &mut Dissection, &FrameAnalysis)) -> Result<u64, CaptureError> {
    let mut seq = Sequence::new(true);
    for r in file.records() {
        let r = r?;
        seq.push(&r);
        let (meta, d, fa) = seq.last_mut();
        each(meta, r.data, d, fa.expect("analysed"));
    }
    Ok(seq.frames())
}

/// One row of a buffer as text, wide characters counted once.
fn row(buf: &Buffer, y: u16) -> String {
    let mut out = String::new();
    let mut skip = 0;
    for x in 0..buf.area.width {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let sym = buf[(x, y)].symbol();
        skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        out.push_str(sym);
    }
    out
}

/// The buffer as text, one line per row (blanks kept).
pub fn buffer_text(buf: &Buffer) -> String {
    (0..buf.area.height).map(|y| row(buf, y) + "\n").collect()
}

/// The buffer as lines, trailing blanks cut.
pub fn buffer_lines(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height).map(|y| row(buf, y).trim_end().to_owned()).collect()
}

/// A tmux server of the test's own (`-L`), one session running `cmd`; killed when dropped.
pub struct Tmux {
    socket: String,
    name: String,
    /// How long [`Tmux::wait_for`] waits.
    timeout: Duration,
}

impl Tmux {
    /// Starts `cmd` in a `w`x`h` session; the shell prompt is `$ `.
    pub fn start(tag: &str, w: u16, h: u16, cmd: &str, timeout: Duration) -> Tmux {
        let socket = format!("pktlab-test-{tag}-{}", std::process::id());
        let name = "t".to_owned();
        let ok = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-s", &name, "-x", &w.to_string(), "-y", &h.to_string(), cmd])
            .env("PS1", "$ ")
            .status()
            .expect("tmux runs")
            .success();
        assert!(ok, "tmux new-session");
        Tmux { socket, name, timeout }
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]).args(args);
        c
    }

    /// Sends keys by tmux name (`Enter`, `C-c`, `q`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status().expect("tmux").success());
    }

    /// Types `text` as it is.
    pub fn literal(&self, text: &str) {
        assert!(self.tmux(&["send-keys", "-t", &self.name, "-l", text]).status().expect("tmux").success());
    }

    pub fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", &self.name]).output().expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen contains `what`; panics with the screen after the timeout.
    pub fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(start.elapsed() < self.timeout, "timed out waiting for {what:?}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Resizes the window; true if tmux did it.
    pub fn resize(&self, w: u16, h: u16) -> bool {
        self.tmux(&["resize-window", "-t", &self.name, "-x", &w.to_string(), "-y", &h.to_string()]).status().is_ok_and(|s| s.success())
    }

    /// Closes the session (its terminal goes away); true if tmux did it.
    pub fn kill_session(&self) -> bool {
        self.tmux(&["kill-session", "-t", &self.name]).status().is_ok_and(|s| s.success())
    }

    /// The pid of the session's first process (its shell).
    pub fn shell_pid(&self) -> u32 {
        let out = self.tmux(&["display", "-p", "-t", &self.name, "#{pane_pid}"]).output().expect("tmux");
        String::from_utf8_lossy(&out.stdout).trim().parse().expect("pane pid")
    }

    /// The pid of the program the shell runs in the foreground.
    pub fn child_pid(&self) -> u32 {
        let shell = self.shell_pid();
        let start = Instant::now();
        loop {
            let out = Command::new("pgrep").args(["-P", &shell.to_string()]).output().expect("pgrep");
            if let Some(p) = String::from_utf8_lossy(&out.stdout).lines().next().and_then(|l| l.trim().parse().ok()) {
                return p;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "no child of the shell");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the shell has no child left (the TUI exited), so typed keys reach the shell.
    pub fn wait_exit(&self) {
        let shell = self.shell_pid().to_string();
        let start = Instant::now();
        while Command::new("pgrep").args(["-P", &shell]).output().is_ok_and(|o| !o.stdout.is_empty()) {
            assert!(start.elapsed() < Duration::from_secs(10), "pktlab did not exit:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).status();
    }
}
