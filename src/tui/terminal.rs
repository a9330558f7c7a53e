//! Terminal hygiene: raw mode, the alternate screen and mouse capture on entry; everything
//! restored on quit, on Ctrl-C (a key in raw mode), on SIGTERM/SIGINT/SIGHUP (a flag the
//! event loop checks) and on panic of the UI thread (a hook that restores before the message
//! prints). A background thread's panic is kept for the status bar instead.
//! Restoring twice is harmless.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::ThreadId;

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The thread that owns the terminal; a panic there restores it.
static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();
/// The first panic of a background thread (a dissector bug on some frame): shown in the status
/// bar instead of being printed over the screen; the UI keeps running without that pass.
static WORKER_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// The message of a background thread's panic, if one happened.
pub fn worker_panic() -> Option<String> {
    WORKER_PANIC.lock().ok().and_then(|g| g.clone())
}

/// Puts the terminal back as it was. Safe to call any number of times, from any thread.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen, crossterm::cursor::Show);
    }
}

/// Restores the terminal when dropped (normal return and unwinding).
pub struct Guard {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
    /// Set by SIGTERM, SIGINT or SIGHUP.
    pub signalled: Arc<AtomicBool>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// How long the event loop gets to notice a signal and return before the watchdog restores
/// the terminal and exits for it.
const SIGNAL_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// SIGTERM, SIGINT and SIGHUP set `flag`, which the event loop checks between events. When the
/// terminal itself is gone (SIGHUP after the tmux pane or ssh session closed), crossterm's
/// reader can keep reading end-of-file inside `poll` and never return; so a watchdog thread
/// restores the terminal and exits with 128 + signal if the process is still running after
/// [`SIGNAL_GRACE`].
fn watch_signals(flag: Arc<AtomicBool>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])?;
    std::thread::Builder::new().name("pktlab-signals".into()).spawn(move || {
        if let Some(sig) = signals.forever().next() {
            flag.store(true, Ordering::SeqCst);
            std::thread::sleep(SIGNAL_GRACE);
            restore();
            std::process::exit(128 + sig);
        }
    })?;
    Ok(())
}

fn install_panic_hook() {
    let _ = UI_THREAD.set(std::thread::current().id());
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let on_ui = UI_THREAD.get().is_none_or(|id| *id == std::thread::current().id());
        if !on_ui && ACTIVE.load(Ordering::SeqCst) {
            if let Ok(mut g) = WORKER_PANIC.lock()
                && g.is_none()
            {
                let name = std::thread::current().name().unwrap_or("worker").to_string();
                *g = Some(format!("{name}: {info}"));
            }
            return;
        }
        restore();
        prev(info);
    }));
}

/// Enters the TUI's terminal state, installs the panic hook and signal flags.
pub fn enter() -> io::Result<Guard> {
    // The signal watchdog and the panic hook are installed once per process, however many
    // times the TUI is entered (the lesson menu enters it again after each lesson).
    static SIGNALLED: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    let signalled = match SIGNALLED.get() {
        Some(s) => Arc::clone(s),
        None => {
            let s = Arc::new(AtomicBool::new(false));
            watch_signals(Arc::clone(&s))?;
            install_panic_hook();
            Arc::clone(SIGNALLED.get_or_init(|| s))
        }
    };
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    if let Err(e) = execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture) {
        restore();
        return Err(e);
    }
    let terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
        Ok(t) => t,
        Err(e) => {
            restore();
            return Err(e);
        }
    };
    Ok(Guard { terminal, signalled })
}
