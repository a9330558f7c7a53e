//! The lesson menu `pktlab` opens without arguments: the pack's lessons with progress.

use super::theme::Theme;
use crate::explain::{Lang, ui, ui_with};
use crate::lessons::Session;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

/// What a key in the menu asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuChoice {
    Start(usize),
    Quit,
}

/// The menu's cursor.
#[derive(Clone, Debug, Default)]
pub struct Menu {
    pub cursor: usize,
}

impl Menu {
    pub fn key(&mut self, key: KeyEvent, lessons: usize) -> Option<MenuChoice> {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Some(MenuChoice::Quit);
        }
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.cursor = (self.cursor + 1).min(lessons.saturating_sub(1)),
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = lessons.saturating_sub(1),
            KeyCode::Enter | KeyCode::Right | KeyCode::Char(' ') if lessons > 0 => return Some(MenuChoice::Start(self.cursor)),
            KeyCode::Char(c @ '1'..='9') => {
                let i = (c as usize) - ('1' as usize);
                if i < lessons {
                    self.cursor = i;
                }
            }
            KeyCode::Char('q') | KeyCode::Esc => return Some(MenuChoice::Quit),
            _ => {}
        }
        None
    }

    /// Draws the menu over the whole area, its own labels in `lang`.
    pub fn render(&self, session: &Session, theme: &Theme, lang: Lang, area: Rect, buf: &mut Buffer) {
        let pack = &session.pack;
        let block = Block::default().borders(Borders::ALL).title(Line::styled(format!(" pktlab · {} ", pack.title), theme.title(true)));
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines: Vec<Line<'static>> = Vec::new();
        if !pack.description.is_empty() {
            lines.push(Line::from(pack.description.clone()));
            lines.push(Line::from(""));
        }
        let done = (0..pack.lessons.len()).filter(|&i| session.progress_of(i).done).count();
        lines.push(Line::styled(ui_with("lesson.menu.done_count", lang, &[("total", &pack.lessons.len()), ("done", &done)]), theme.header()));
        lines.push(Line::from(""));
        for (i, l) in pack.lessons.iter().enumerate() {
            let p = session.progress_of(i);
            let state = if p.done {
                ui_with("lesson.menu.done", lang, &[("correct", &p.correct)])
            } else if p.step > 0 {
                ui_with("lesson.menu.at_step", lang, &[("step", &(p.step + 1)), ("steps", &l.steps.len())])
            } else {
                ui("lesson.not_started", lang)
            };
            let title_width = Line::from(l.title.as_str()).width();
            let pad = " ".repeat(56usize.saturating_sub(title_width).max(1));
            let text = format!("{} {}{pad}{state}", if i == self.cursor { "▶" } else { " " }, l.title);
            let style = if i == self.cursor { theme.cursor(true) } else if p.done { theme.ok() } else { ratatui::style::Style::default() };
            lines.push(Line::styled(text, style));
        }
        if let Some(l) = pack.lessons.get(self.cursor)
            && !l.summary.is_empty()
        {
            lines.push(Line::from(""));
            lines.push(Line::styled(l.summary.clone(), theme.dim().add_modifier(Modifier::ITALIC)));
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(ui("lesson.menu.keys", lang), theme.dim()));
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }
}
