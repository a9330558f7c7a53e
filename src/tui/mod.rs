//! The terminal UI: packet list, detail tree grouped by OSI layer, hex view and a Korean
//! explanation that follows the cursor.
//!
//! One concern per file: [`action`] (modes, focus, actions: the leaf every pane shares),
//! [`app`] (the panes together, `update(Action)` and `layout`), [`keys`] (key → action
//! tables), [`store`] (frame index, background loader/analysis/filter threads, dissection
//! cache), [`verdicts`] (compact analysis storage), one file per screen region, each with the
//! pane's own state and its drawing ([`packet_list`], [`tree`], [`hex`], [`explain_pane`],
//! [`status`], [`filter_bar`], [`help`], [`stream_view`], [`tcp_state_view`], [`ladder`], [`charts`],
//! [`conv_view`], [`follow_view`], [`expert_view`], [`summary_view`]), [`capture_stats`] (the
//! background statistics pass behind `C`, `E` and `S`), [`layout`]
//! (where panes go, and `draw`, which reads the app and changes nothing), [`terminal`]
//! (restore on every exit path), [`side_panel`] (the lesson pane's interface), [`lesson_menu`],
//! [`lesson_panel`] and [`lesson_run`] (the guided lessons), [`i18n`] and [`text`] (labels and
//! display-width text helpers), [`theme`] (colours).
//!
//! Keys: ↑/↓ j/k, PgUp/PgDn, g/G, ←/→ (collapse/expand; the hex cursor in the byte pane),
//! Tab/Shift-Tab between panes, Enter/Space expand, mouse click and wheel, `/` display filter
//! (validated on every key; the error's column is marked; Enter applies, Esc keeps the last
//! good filter), `f` hide non-matching ↔ mark matches, `n`/`N` next/previous match, `:N` go
//! to frame, `L` the selected frame's TCP stream (`g` its graphs, keys in [`stream_view`]), `T` both endpoints' TCP state after the
//! selected segment (↑/↓ step through the stream), `C` conversations ([`conv_view`]), `F`
//! follow the selected frame's stream ([`follow_view`]), `E` expert info ([`expert_view`]),
//! `S` statistics summary ([`summary_view`]), Esc back from a view, `?` help, `q`/Ctrl-C
//! quit. With
//! `PKTLAB_DEBUG_PANIC=1`, F12 panics on purpose (terminal-restore tests).
//!
//! For the lessons: build an [`App`] with [`new_app`] (any [`CaptureFile`], including
//! `CaptureFile::from_bytes` for captures compiled into the binary), drive it with
//! [`App::select_frame`], [`App::select_field`] and [`App::set_filter`], put the lesson pane
//! beside the explanation with [`App::set_side_panel`], and run it with [`run_app`].
//! `App::select_frame` returns false for a frame the loader has not reached yet; small lesson
//! captures are indexed before the first screen, or call `app.store.wait_idle()` first.
//!
//! Memory and time for a million frames: see [`store`] (32-byte index entries, packet bytes
//! re-sliced from the memory map) and [`verdicts`] (why the TCP analysis is computed once in
//! the background and stored compactly rather than per visible frame).

pub mod action;
pub mod app;
pub mod capture_stats;
pub mod charts;
pub mod chunked;
pub mod conv_view;
pub mod expert_view;
pub mod explain_pane;
pub mod field_filter;
pub mod filter_bar;
pub mod follow_view;
pub mod help;
pub mod hex;
pub mod i18n;
pub mod keys;
pub mod ladder;
pub mod layout;
pub mod lesson_menu;
pub mod lesson_panel;
pub mod lesson_run;
pub mod packet_list;
pub mod save;
pub mod search;
pub mod side_panel;
pub mod sort;
pub mod status;
pub mod store;
pub mod stream_view;
pub mod summary_view;
pub mod tcp_state_view;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod tree;
pub mod verdicts;

pub use app::{Action, App, Focus, Mode};
pub use side_panel::{PanelCommand, PanelOutcome, SidePanel};

use crate::capture::CaptureFile;
use crate::explain::Lang;
use crossterm::event::{self, Event};
use std::io;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Options of an interactive session.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub lang: Lang,
    /// `PKTLAB_DEBUG_PANIC=1`: the hidden key (F12) panics on purpose.
    pub debug_panic: bool,
    /// A game protocol description (`--proto FILE`): the follow view frames its messages.
    pub game: Option<std::sync::Arc<crate::game::GameProto>>,
}

/// Builds the app for `file` (loading starts in the background at once).
pub fn new_app(file: CaptureFile, opts: &Options) -> App {
    let name = file.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut app = App::new(store::Store::open(file), name, opts.lang, theme::Theme::from_env());
    app.debug_panic = opts.debug_panic;
    app.game = opts.game.clone();
    app
}

/// Runs the TUI on `app` until the user quits or a signal arrives; the terminal is restored
/// on every way out.
pub fn run_app(mut app: App) -> io::Result<()> {
    let mut guard = terminal::enter()?;
    let mut dirty = true;
    loop {
        if guard.signalled.load(Ordering::Relaxed) || app.quit {
            break;
        }
        dirty |= app.tick();
        if dirty {
            guard.terminal.draw(|f| layout::draw(f, &mut app))?;
            dirty = false;
        }
        let busy = app.store.busy() || app.working();
        let wait = Duration::from_millis(if busy { 20 } else { 100 });
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(k) => app.key(k),
                Event::Mouse(m) => app.mouse(m),
                Event::Resize(_, _) => {
                    guard.terminal.autoresize()?;
                }
                _ => {}
            }
            dirty = true;
        }
    }
    drop(guard);
    Ok(())
}

/// Opens `file` in the TUI.
pub fn run(file: CaptureFile, opts: &Options) -> io::Result<()> {
    run_app(new_app(file, opts))
}
