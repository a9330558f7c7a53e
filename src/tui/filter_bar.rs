//! The bottom line: the filter being typed (validated on every key, with the error's column
//! marked under it), the `:N` prompt, or a hint / message.
//!
//! ```text
//! 필터: tcp.prot == 80
//!       ^~~~~~~~ column 1: "tcp.prot" is not a field (did you mean "tcp.port"?)
//! ```

use super::action::{Action, Mode};
use super::app::App;
use crate::filter::{Filter, FilterError};
use super::text::{fit, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What an input line asks of the app after an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputOutcome {
    /// Still typing (or the action meant nothing here).
    Editing,
    Submit,
    Cancel,
    Quit,
}

fn edit(text: &mut String, action: &Action, accept: impl Fn(char) -> bool) -> (InputOutcome, bool) {
    match action {
        Action::Input(c) if accept(*c) => {
            text.push(*c);
            (InputOutcome::Editing, true)
        }
        Action::Backspace => (InputOutcome::Editing, text.pop().is_some()),
        Action::ClearInput => {
            text.clear();
            (InputOutcome::Editing, true)
        }
        Action::Submit => (InputOutcome::Submit, false),
        Action::Cancel => (InputOutcome::Cancel, false),
        Action::Quit => (InputOutcome::Quit, false),
        _ => (InputOutcome::Editing, false),
    }
}

/// The display filter being typed after `/`, checked on every key.
#[derive(Debug, Default)]
pub struct FilterInput {
    pub text: String,
    /// Why `text` does not compile (None while it does, or is empty).
    pub error: Option<FilterError>,
}

impl FilterInput {
    /// Replaces the text and checks it.
    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.validate();
    }

    fn validate(&mut self) {
        self.error = if self.text.trim().is_empty() { None } else { Filter::compile(&self.text).err() };
    }

    /// Applies a key's action to the line; the app acts on Submit, Cancel and Quit.
    pub fn update(&mut self, action: &Action) -> InputOutcome {
        let (outcome, edited) = edit(&mut self.text, action, |_| true);
        if edited || matches!(action, Action::Backspace) {
            self.validate();
        }
        outcome
    }
}

/// The frame number being typed after `:` (digits only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GotoInput {
    pub text: String,
}

impl GotoInput {
    pub fn update(&mut self, action: &Action) -> InputOutcome {
        edit(&mut self.text, action, |c| c.is_ascii_digit()).0
    }
}

/// What to find, typed after `s`; Tab changes what the text means.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchInput {
    pub text: String,
    pub kind: super::search::SearchKind,
}

impl SearchInput {
    pub fn update(&mut self, action: &Action) -> InputOutcome {
        if *action == Action::FocusNext {
            self.kind = self.kind.next();
            return InputOutcome::Editing;
        }
        edit(&mut self.text, action, |_| true).0
    }
}

/// The file to save to, typed after `w`; Tab switches between the displayed and the marked
/// frames.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaveInput {
    pub text: String,
    pub marked: bool,
}

impl SaveInput {
    pub fn update(&mut self, action: &Action) -> InputOutcome {
        if *action == Action::FocusNext {
            self.marked = !self.marked;
            return InputOutcome::Editing;
        }
        edit(&mut self.text, action, |_| true).0
    }
}

/// Lines the bar needs in the current mode.
pub fn height(app: &App) -> u16 {
    if app.mode == Mode::Filter { 2 } else { 1 }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let l = app.labels();
    let w = area.width as usize;
    let theme = app.theme;
    match app.mode {
        Mode::Filter => {
            let prompt = format!("{}: ", l.filter);
            let pw = width(&prompt);
            let style = if app.filter.error.is_some() { theme.error() } else { theme.ok() };
            buf.set_stringn(area.x, area.y, &prompt, w, theme.header());
            buf.set_stringn(area.x + pw as u16, area.y, &app.filter.text, w.saturating_sub(pw), style);
            let cursor_x = pw + width(&app.filter.text);
            if cursor_x < w {
                buf.set_stringn(area.x + cursor_x as u16, area.y, "▏", 1, theme.header());
            }
            if area.height < 2 {
                return;
            }
            let y = area.y + 1;
            match &app.filter.error {
                Some(e) => {
                    // Columns count characters; the caret goes under the character's cell.
                    let before: String = app.filter.text.chars().take(e.column.saturating_sub(1)).collect();
                    let mark: String = app.filter.text.chars().skip(e.column.saturating_sub(1)).take(e.len.max(1)).collect();
                    let x = pw + width(&before);
                    let carets = format!("^{}", "~".repeat(width(&mark).max(1) - 1));
                    let msg = format!("{carets} {e}");
                    if x < w {
                        buf.set_stringn(area.x + x as u16, y, fit(&msg, w - x), w - x, theme.error());
                    }
                }
                None if app.filter.text.trim().is_empty() => {}
                None => {
                    buf.set_stringn(area.x + pw as u16, y, fit(l.filter_ok, w.saturating_sub(pw)), w, theme.ok());
                }
            }
        }
        Mode::Goto => {
            let s = format!("{}: {}▏", l.goto, app.goto.text);
            buf.set_stringn(area.x, area.y, fit(&s, w), w, theme.header());
        }
        Mode::Search | Mode::Save => {
            let (prompt, text) = match app.mode {
                Mode::Search => {
                    let kind = crate::explain::ui(&format!("tui.search.kind.{}", app.search.kind.key()), app.lang);
                    (crate::explain::ui_with("tui.search.prompt", app.lang, &[("kind", &kind)]), &app.search.text)
                }
                _ => {
                    let (which, count) = app.save_frames_label();
                    (crate::explain::ui_with("tui.save.prompt", app.lang, &[("which", &which), ("count", &count)]), &app.save.text)
                }
            };
            let prompt = format!("{prompt}: ");
            let pw = width(&prompt);
            buf.set_stringn(area.x, area.y, fit(&prompt, w), w, theme.header());
            if pw < w {
                // The end of a long text stays in view.
                let room = w - pw - 1;
                let chars: Vec<char> = text.chars().collect();
                let mut start = 0;
                while start < chars.len() && width(&chars[start..].iter().collect::<String>()) > room {
                    start += 1;
                }
                let shown: String = chars[start..].iter().collect();
                buf.set_stringn(area.x + pw as u16, area.y, format!("{shown}▏"), w - pw, theme.ok());
            }
        }
        _ => {
            let (s, style) = match (&app.message, &app.notice) {
                (Some(m), _) => (m.as_str(), theme.error()),
                (None, Some(n)) => (n.as_str(), theme.ok()),
                (None, None) => (l.help_hint, theme.dim()),
            };
            buf.set_stringn(area.x, area.y, fit(s, w), w, style);
        }
    }
}
