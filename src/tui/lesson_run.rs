//! The lesson loop: the menu, then a lesson driving the packet TUI. Each step selects its
//! frame, field and filter in the app exactly as a person would (filter first, then, once
//! the filter pass is done, the frame and the field); a step on another capture reopens the
//! app on that capture.
//!
//! The lesson pane gets its own part of the screen (a column on the right of wide terminals,
//! a band at the bottom otherwise) so the text stays readable even at 80×24; the packet
//! panes are drawn in the rest. Keys go to the lesson pane while it has focus (what it does
//! not use goes to the app); Tab moves between the app's panes and the lesson pane.

use super::app::{App, FilterView, Focus, Mode};
use super::lesson_menu::{Menu, MenuChoice};
use super::lesson_panel::{LessonPanel, LessonShared, Request};
use super::side_panel::{PanelOutcome, SidePanel};
use super::theme::Theme;
use super::{Options, layout, new_app, terminal};
use crate::capture::CaptureFile;
use crate::explain::ui_with;
use crate::lessons::{Pack, PackSource, Session};
use crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Widget};
use std::cell::RefCell;
use std::io;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Where applying a step to the app stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Idle,
    /// The filter is set; the frame and field follow when its pass is done.
    FilterSet,
}

/// Opens the app on the capture at `rel`.
fn open_app(source: &dyn PackSource, rel: &str, opts: &Options) -> Result<App, String> {
    let bytes = source.read(rel).map_err(|e| format!("{}: {e}", source.display(rel)))?;
    let file = CaptureFile::from_bytes(rel.rsplit('/').next().unwrap_or(rel), bytes.into_owned()).map_err(|e| e.to_string())?;
    Ok(new_app(file, opts))
}

/// The app's part of the screen and the lesson pane's.
pub fn split(area: Rect) -> (Rect, Rect) {
    if area.width >= 150 {
        let w = (area.width * 2 / 5).min(72);
        (Rect { width: area.width - w, ..area }, Rect { x: area.x + area.width - w, width: w, ..area })
    } else {
        let h = (area.height * 2 / 5).max(9).min(area.height.saturating_sub(8));
        (Rect { height: area.height - h, ..area }, Rect { y: area.y + area.height - h, height: h, ..area })
    }
}

/// Applies the current step to the app when the capture is ready. True if it changed anything.
pub fn apply_step(app: &mut App, sh: &mut LessonShared, stage: &mut Stage) -> bool {
    if !sh.pending {
        return false;
    }
    let Some(step) = sh.session.current().cloned() else {
        sh.pending = false;
        return false;
    };
    match *stage {
        Stage::Idle => {
            if !(app.store.load.done && app.store.analysis.done) {
                return false;
            }
            app.filter_view = FilterView::Hide;
            // a predict question hides the frames it asks about until it is answered
            let filter = sh.session.effective_filter();
            if let Err(e) = app.set_filter(filter.as_deref().unwrap_or("")) {
                sh.note = Some(ui_with("lesson.filter_error", sh.lang, &[("error", &e)]));
            }
            *stage = Stage::FilterSet;
            true
        }
        Stage::FilterSet => {
            if app.store.filter.as_ref().is_some_and(|f| !f.progress.done) {
                return false;
            }
            let frame = sh.session.shown_frame().unwrap_or(step.frame);
            if !app.select_frame(frame) {
                sh.note = Some(ui_with("lesson.no_frame", sh.lang, &[("frame", &frame)]));
            }
            if let Some(f) = &step.field
                && !app.select_field(f)
            {
                sh.note = Some(ui_with("lesson.no_field", sh.lang, &[("frame", &step.frame), ("field", f)]));
            }
            sh.pending = false;
            *stage = Stage::Idle;
            true
        }
    }
}

/// Runs the menu and the lessons of `pack` until the learner quits.
pub fn run_lessons(pack: Pack, source: &dyn PackSource, progress_path: Option<PathBuf>, opts: &Options) -> io::Result<()> {
    let mut startup_note = None;
    let session = match Session::new(pack.clone(), progress_path) {
        Ok(s) => s,
        Err(e) => {
            startup_note = Some(ui_with("lesson.progress_unreadable", opts.lang, &[("error", &e)]));
            Session::new(pack, None).map_err(|e| io::Error::other(e.to_string()))?
        }
    };
    let shared = Rc::new(RefCell::new(LessonShared::new(session).with_lang(opts.lang)));
    let theme = Theme::from_env();
    let mut guard = terminal::enter()?;
    let mut menu = Menu::default();
    let mut menu_note: Option<String> = startup_note;
    'menu: loop {
        // ----- the menu -----
        let lesson = loop {
            if guard.signalled.load(Ordering::Relaxed) {
                break 'menu;
            }
            guard.terminal.draw(|f| {
                let area = f.area();
                let sh = shared.borrow();
                menu.render(&sh.session, &theme, opts.lang, area, f.buffer_mut());
                if let Some(n) = &menu_note {
                    let y = area.y + area.height.saturating_sub(2);
                    f.buffer_mut().set_stringn(area.x + 2, y, n, usize::from(area.width.saturating_sub(4)), theme.ok());
                }
            })?;
            if event::poll(Duration::from_millis(250))? {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => {
                        let n = shared.borrow().session.pack.lessons.len();
                        match menu.key(k, n) {
                            Some(MenuChoice::Start(i)) => break i,
                            Some(MenuChoice::Quit) => break 'menu,
                            None => {}
                        }
                    }
                    Event::Resize(_, _) => guard.terminal.autoresize()?,
                    _ => {}
                }
            }
        };
        menu_note = None;
        {
            let mut sh = shared.borrow_mut();
            sh.session.start(lesson);
            sh.request = None;
            sh.pending = true;
            sh.note = None;
            sh.answering = false;
            sh.input.clear();
            sh.scroll = 0;
        }
        // ----- the lesson -----
        let mut app: Option<App> = None;
        let mut capture: Option<String> = None;
        let mut panel = LessonPanel { shared: Rc::clone(&shared), theme: Theme::from_env() };
        let mut lesson_focus = true;
        let mut stage = Stage::Idle;
        let mut dirty = true;
        loop {
            if guard.signalled.load(Ordering::Relaxed) {
                let _ = shared.borrow_mut().session.save_position();
                break 'menu;
            }
            let want = shared.borrow().session.current().map(|s| s.capture.clone());
            if want != capture {
                let Some(rel) = want.clone() else { break };
                match open_app(source, &rel, opts) {
                    Ok(a) => app = Some(a),
                    Err(e) => {
                        menu_note = Some(ui_with("lesson.capture_error", opts.lang, &[("error", &e)]));
                        break;
                    }
                }
                capture = want;
                stage = Stage::Idle;
                shared.borrow_mut().pending = true;
                dirty = true;
            }
            let Some(a) = app.as_mut() else { break };
            dirty |= a.tick();
            dirty |= apply_step(a, &mut shared.borrow_mut(), &mut stage);
            if dirty {
                guard.terminal.draw(|f| {
                    let (app_area, lesson_area) = split(f.area());
                    layout::draw_buffer(a, app_area, f.buffer_mut());
                    let title = format!(" {} ", panel.title());
                    let style = theme.title(lesson_focus);
                    let block = Block::default().borders(Borders::TOP).title(Line::styled(title, style));
                    let inner = block.inner(lesson_area);
                    block.render(lesson_area, f.buffer_mut());
                    panel.render(inner, f.buffer_mut());
                })?;
                dirty = false;
            }
            let busy = shared.borrow().pending || !a.store.load.done || !a.store.analysis.done;
            if event::poll(Duration::from_millis(if busy { 20 } else { 200 }))? {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => {
                        if lesson_focus && a.mode == Mode::Normal {
                            match panel.handle_key(k) {
                                PanelOutcome::Ignored if k.code == KeyCode::Tab => {
                                    lesson_focus = false;
                                    a.focus = Focus::List;
                                }
                                PanelOutcome::Ignored => a.key(k),
                                _ => {}
                            }
                        } else if a.mode == Mode::Normal
                            && ((k.code == KeyCode::Tab && a.focus == Focus::Explain) || (k.code == KeyCode::BackTab && a.focus == Focus::List))
                        {
                            lesson_focus = true;
                        } else {
                            a.key(k);
                        }
                    }
                    Event::Mouse(m) => a.mouse(m),
                    Event::Resize(_, _) => guard.terminal.autoresize()?,
                    _ => {}
                }
                dirty = true;
            }
            if a.quit {
                let _ = shared.borrow_mut().session.save_position();
                break;
            }
            let request = shared.borrow_mut().request.take();
            match request {
                Some(Request::Menu) => break,
                Some(Request::Finished) => {
                    let sh = shared.borrow();
                    let title = sh.session.pack.lessons.get(lesson).map(|l| l.title.clone()).unwrap_or_default();
                    menu_note = Some(ui_with("lesson.finished", opts.lang, &[("title", &title)]));
                    menu.cursor = (lesson + 1).min(sh.session.pack.lessons.len().saturating_sub(1));
                    break;
                }
                None => {}
            }
        }
    }
    drop(guard);
    Ok(())
}
