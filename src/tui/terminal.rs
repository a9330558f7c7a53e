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

/// Enters the TUI's terminal state, installs the panic hook and signal flags.
pub fn enter() -> io::Result<Guard> {
    let signalled = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(sig, Arc::clone(&signalled))?;
    }
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
