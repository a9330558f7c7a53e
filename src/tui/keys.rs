//! Key → [`Action`] tables, one per mode. Nothing here changes state; `App::update` does.

use super::app::{Action, Mode};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

/// Keys of the normal (browsing) mode. Modifiers must match exactly, except that SHIFT is
/// ignored for printable characters (terminals report `G` with or without it).
const NORMAL: &[(KeyCode, KeyModifiers, Action)] = &[
    (KeyCode::Up, NONE, Action::Up),
    (KeyCode::Char('k'), NONE, Action::Up),
    (KeyCode::Down, NONE, Action::Down),
    (KeyCode::Char('j'), NONE, Action::Down),
    (KeyCode::Left, NONE, Action::Left),
    (KeyCode::Char('h'), NONE, Action::Left),
    (KeyCode::Right, NONE, Action::Right),
    (KeyCode::Char('l'), NONE, Action::Right),
    (KeyCode::PageUp, NONE, Action::PageUp),
    (KeyCode::PageDown, NONE, Action::PageDown),
    (KeyCode::Char('b'), CTRL, Action::PageUp),
    (KeyCode::Char('f'), CTRL, Action::PageDown),
    (KeyCode::Home, NONE, Action::Top),
    (KeyCode::Char('g'), NONE, Action::Top),
    (KeyCode::End, NONE, Action::Bottom),
    (KeyCode::Char('G'), NONE, Action::Bottom),
    (KeyCode::Tab, NONE, Action::FocusNext),
    (KeyCode::BackTab, NONE, Action::FocusPrev),
    (KeyCode::BackTab, SHIFT, Action::FocusPrev),
    (KeyCode::Enter, NONE, Action::Toggle),
    (KeyCode::Char(' '), NONE, Action::Toggle),
    (KeyCode::Char('/'), NONE, Action::StartFilter),
    (KeyCode::Char(':'), NONE, Action::StartGoto),
    (KeyCode::Char('n'), NONE, Action::NextMatch),
    (KeyCode::Char('N'), NONE, Action::PrevMatch),
    (KeyCode::Char('f'), NONE, Action::ToggleMarkMode),
    (KeyCode::Char('o'), NONE, Action::SortNext),
    (KeyCode::Char('O'), NONE, Action::SortReverse),
    (KeyCode::Char('t'), NONE, Action::TimeFormat),
    (KeyCode::Char('m'), NONE, Action::Mark),
    (KeyCode::Char('M'), NONE, Action::UnmarkAll),
    (KeyCode::Char(']'), NONE, Action::NextMarked),
    (KeyCode::Char('['), NONE, Action::PrevMarked),
    (KeyCode::Char('a'), NONE, Action::ApplyField),
    (KeyCode::Char('A'), NONE, Action::PrepareField),
    (KeyCode::Char('&'), NONE, Action::ApplyFieldAnd),
    (KeyCode::Char('s'), NONE, Action::StartSearch),
    (KeyCode::Char('w'), NONE, Action::StartSave),
    (KeyCode::Char('L'), NONE, Action::Ladder),
    (KeyCode::Char('T'), NONE, Action::TcpState),
    (KeyCode::Char('C'), NONE, Action::Conversations),
    (KeyCode::Char('F'), NONE, Action::Follow),
    (KeyCode::Char('E'), NONE, Action::Expert),
    (KeyCode::Char('S'), NONE, Action::Summary),
    (KeyCode::Char('?'), NONE, Action::Help),
    (KeyCode::F(1), NONE, Action::Help),
    (KeyCode::Char('q'), NONE, Action::Quit),
    (KeyCode::Char('c'), CTRL, Action::Quit),
    (KeyCode::Esc, NONE, Action::Cancel),
];

/// The hidden key that panics on purpose when `PKTLAB_DEBUG_PANIC=1` (terminal-restore tests).
pub const DEBUG_PANIC_KEY: KeyCode = KeyCode::F(12);

fn same_mods(code: KeyCode, want: KeyModifiers, got: KeyModifiers) -> bool {
    match code {
        KeyCode::Char(_) => (got - SHIFT) == want,
        _ => got == want,
    }
}

/// The action for `key` in `mode`, if any. `debug_panic` enables [`DEBUG_PANIC_KEY`].
pub fn action_for(mode: &Mode, key: KeyEvent, debug_panic: bool) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.code == KeyCode::Char('c') && key.modifiers == CTRL {
        return Some(Action::Quit);
    }
    match mode {
        Mode::Filter | Mode::Goto | Mode::Search | Mode::Save => match key.code {
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Tab if matches!(mode, Mode::Search | Mode::Save) => Some(Action::FocusNext),
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char('u') if key.modifiers == CTRL => Some(Action::ClearInput),
            KeyCode::Char(c) if !key.modifiers.contains(CTRL) => Some(Action::Input(c)),
            _ => None,
        },
        Mode::Help => Some(Action::Cancel),
        Mode::Ladder => match key.code {
            KeyCode::Char('q') | KeyCode::Esc | KeyCode::Char('L') => Some(Action::Cancel),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Char('g') => Some(Action::Input('g')),
            // The graphs' cursor, range and zoom (stream_view).
            KeyCode::Left | KeyCode::Char('h') => Some(Action::Left),
            KeyCode::Right | KeyCode::Char('l') => Some(Action::Right),
            KeyCode::Home => Some(Action::Top),
            KeyCode::End => Some(Action::Bottom),
            KeyCode::Char(c @ ('[' | ']' | 'z' | 'Z' | '+' | '=' | '-' | 'd')) => Some(Action::Input(c)),
            _ => None,
        },
        Mode::TcpState => match key.code {
            KeyCode::Char('q') | KeyCode::Esc | KeyCode::Char('T') => Some(Action::Cancel),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
            KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
            _ => None,
        },
        Mode::Conversations | Mode::Follow | Mode::Expert | Mode::Summary => view_key(*mode, key),
        Mode::Normal => {
            if debug_panic && key.code == DEBUG_PANIC_KEY {
                return Some(Action::DebugPanic);
            }
            NORMAL.iter().find(|(c, m, _)| *c == key.code && same_mods(*c, *m, key.modifiers)).map(|(_, _, a)| a.clone())
        }
    }
}

/// Keys of the conversations, follow, expert and summary views: moving, Esc (or `q`, or
/// the view's own letter) back to the list, and each view's letters.
fn view_key(mode: Mode, key: KeyEvent) -> Option<Action> {
    let own = match mode {
        Mode::Conversations => 'C',
        Mode::Follow => 'F',
        Mode::Expert => 'E',
        _ => 'S',
    };
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::Cancel),
        KeyCode::Char(c) if c == own => Some(Action::Cancel),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Char('b') if key.modifiers == CTRL => Some(Action::PageUp),
        KeyCode::Char('f') if key.modifiers == CTRL => Some(Action::PageDown),
        KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
        KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Tab if mode == Mode::Conversations => Some(Action::FocusNext),
        KeyCode::BackTab if mode == Mode::Conversations => Some(Action::FocusPrev),
        KeyCode::Char(c @ ('s' | 'r')) if mode == Mode::Conversations => Some(Action::Input(c)),
        KeyCode::Char(c @ ('x' | 'm')) if mode == Mode::Follow => Some(Action::Input(c)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn normal_keys() {
        let m = Mode::Normal;
        assert_eq!(action_for(&m, k(KeyCode::Char('j'), NONE), false), Some(Action::Down));
        assert_eq!(action_for(&m, k(KeyCode::Char('G'), SHIFT), false), Some(Action::Bottom));
        assert_eq!(action_for(&m, k(KeyCode::Char('c'), CTRL), false), Some(Action::Quit));
        assert_eq!(action_for(&m, k(KeyCode::F(12), NONE), false), None);
        assert_eq!(action_for(&m, k(KeyCode::F(12), NONE), true), Some(Action::DebugPanic));
    }

    #[test]
    fn view_keys() {
        assert_eq!(action_for(&Mode::Normal, k(KeyCode::Char('C'), SHIFT), false), Some(Action::Conversations));
        assert_eq!(action_for(&Mode::Conversations, k(KeyCode::Char('s'), NONE), false), Some(Action::Input('s')));
        assert_eq!(action_for(&Mode::Conversations, k(KeyCode::Tab, NONE), false), Some(Action::FocusNext));
        assert_eq!(action_for(&Mode::Conversations, k(KeyCode::Enter, NONE), false), Some(Action::Submit));
        assert_eq!(action_for(&Mode::Follow, k(KeyCode::Char('x'), NONE), false), Some(Action::Input('x')));
        assert_eq!(action_for(&Mode::Follow, k(KeyCode::Char('s'), NONE), false), None);
        assert_eq!(action_for(&Mode::Expert, k(KeyCode::Char('E'), SHIFT), false), Some(Action::Cancel));
        assert_eq!(action_for(&Mode::Summary, k(KeyCode::Esc, NONE), false), Some(Action::Cancel));
    }

    #[test]
    fn list_tool_keys() {
        let m = Mode::Normal;
        assert_eq!(action_for(&m, k(KeyCode::Char('o'), NONE), false), Some(Action::SortNext));
        assert_eq!(action_for(&m, k(KeyCode::Char('O'), SHIFT), false), Some(Action::SortReverse));
        assert_eq!(action_for(&m, k(KeyCode::Char('&'), SHIFT), false), Some(Action::ApplyFieldAnd));
        assert_eq!(action_for(&m, k(KeyCode::Char('m'), NONE), false), Some(Action::Mark));
        assert_eq!(action_for(&Mode::Search, k(KeyCode::Tab, NONE), false), Some(Action::FocusNext));
        assert_eq!(action_for(&Mode::Save, k(KeyCode::Char('w'), NONE), false), Some(Action::Input('w')));
        assert_eq!(action_for(&Mode::Filter, k(KeyCode::Tab, NONE), false), None);
    }

    #[test]
    fn text_modes_take_characters() {
        assert_eq!(action_for(&Mode::Filter, k(KeyCode::Char('q'), NONE), false), Some(Action::Input('q')));
        assert_eq!(action_for(&Mode::Goto, k(KeyCode::Enter, NONE), false), Some(Action::Submit));
        assert_eq!(action_for(&Mode::Filter, k(KeyCode::Char('c'), CTRL), false), Some(Action::Quit));
    }
}
