//! The lesson pane: shows the current step's text and question beside the explanation and
//! turns keys into lesson moves. The step's frame, field and filter are applied to the rest
//! of the screen by the lesson loop ([`super::lesson_run`]), through [`LessonShared::pending`].

use super::side_panel::{PanelOutcome, SidePanel};
use super::theme::Theme;
use crate::explain::{Lang, ui, ui_with};
use crate::lessons::{Feedback, QuestionKind, Session};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::cell::RefCell;
use std::rc::Rc;

/// What the lesson loop should do after a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Leave the lesson for the menu.
    Menu,
    /// The lesson's last step was passed.
    Finished,
}

/// State shared by the pane (inside the app) and the lesson loop.
pub struct LessonShared {
    pub session: Session,
    /// The step's frame/field/filter still have to be applied to the app.
    pub pending: bool,
    pub request: Option<Request>,
    /// Typing an answer.
    pub answering: bool,
    pub input: String,
    /// A problem to show (progress could not be saved…).
    pub note: Option<String>,
    pub scroll: u16,
    /// The language of the pane's own labels and messages (the lesson text is the pack's).
    pub lang: Lang,
    /// How many of the lines are the step's text (set while building them).
    text_len: std::cell::Cell<usize>,
}

impl LessonShared {
    pub fn new(session: Session) -> Self {
        LessonShared {
            session,
            pending: true,
            request: None,
            answering: false,
            input: String::new(),
            note: None,
            scroll: 0,
            lang: Lang::default(),
            text_len: std::cell::Cell::new(0),
        }
    }

    /// The same, with the pane's labels in `lang`.
    pub fn with_lang(self, lang: Lang) -> Self {
        LessonShared { lang, ..self }
    }

    fn step_changed(&mut self) {
        self.pending = true;
        self.answering = false;
        self.input.clear();
        self.scroll = 0;
    }

    fn next(&mut self) {
        match self.session.advance() {
            Ok(true) => self.step_changed(),
            Ok(false) => self.request = Some(Request::Finished),
            Err(e) => self.note = Some(e.to_string()),
        }
    }

    fn submit(&mut self) {
        let input = std::mem::take(&mut self.input);
        self.answering = false;
        let was_open = !self.session.settled();
        if let Err(e) = self.session.answer(&input) {
            self.note = Some(e.to_string());
        }
        // a settled predict question reveals its frame: apply the step again
        if was_open && self.session.settled() && self.session.question().is_some_and(|q| q.kind == QuestionKind::Predict) {
            self.pending = true;
        }
    }

    /// Handles a key; `Ignored` lets the app use it.
    pub fn key(&mut self, key: KeyEvent) -> PanelOutcome {
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return PanelOutcome::Ignored;
        }
        if self.answering {
            match key.code {
                KeyCode::Enter => self.submit(),
                KeyCode::Esc => {
                    self.answering = false;
                    self.input.clear();
                }
                KeyCode::Backspace => {
                    self.input.pop();
                }
                KeyCode::Char(c) => self.input.push(c),
                _ => {}
            }
            return PanelOutcome::Consumed;
        }
        let has_open_question = !self.session.settled();
        match key.code {
            KeyCode::Right | KeyCode::Char('n') | KeyCode::Char(' ') => self.next(),
            KeyCode::Enter => {
                if has_open_question {
                    self.answering = true;
                } else {
                    self.next();
                }
            }
            KeyCode::Left | KeyCode::Char('p') => {
                if self.session.back() {
                    self.step_changed();
                }
            }
            KeyCode::Char('a') if has_open_question => self.answering = true,
            KeyCode::Char(c @ '1'..='9')
                if has_open_question && self.session.question().is_some_and(|q| q.kind.has_choices()) =>
            {
                self.input = c.to_string();
                self.submit();
            }
            KeyCode::Char('h') => {
                if self.session.hint().is_none() {
                    self.note = Some(ui("lesson.no_more_hints", self.lang));
                }
            }
            KeyCode::Char('g') => self.pending = true,
            KeyCode::Down => self.scroll = self.scroll.saturating_add(1),
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown => self.scroll = self.scroll.saturating_add(8),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(8),
            KeyCode::Char('q') | KeyCode::Esc => {
                if let Err(e) = self.session.save_position() {
                    self.note = Some(e.to_string());
                }
                self.request = Some(Request::Menu);
            }
            _ => return PanelOutcome::Ignored,
        }
        PanelOutcome::Consumed
    }

    /// The pane's lines: the step's text (scrolls), then the question, feedback and keys
    /// (kept in view at the bottom).
    pub fn lines(&self, theme: &Theme) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
        let mut all = self.all_lines(theme);
        // while reading, everything scrolls together; once answering, the question stays in view
        let split = if self.answering || self.session.feedback.is_some() { self.text_len.get().min(all.len()) } else { all.len().saturating_sub(1) };
        let bottom = all.split_off(split);
        (all, bottom)
    }

    fn all_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let s = &self.session;
        let lang = self.lang;
        let mut out: Vec<Line<'static>> = Vec::new();
        let Some(step) = s.current() else {
            out.push(Line::from(ui("lesson.no_steps", lang)));
            self.text_len.set(out.len());
            return out;
        };
        let mut where_ = ui_with("lesson.where", lang, &[("step", &(s.step + 1)), ("steps", &s.steps().len()), ("frame", &step.frame)]);
        if let Some(f) = &step.field {
            where_.push_str(&format!(" · {f}"));
        }
        if let Some(f) = &step.filter {
            where_.push_str(&format!(" · {}", ui_with("lesson.where_filter", lang, &[("filter", f)])));
        }
        out.push(Line::styled(where_, theme.dim()));
        out.push(Line::from(""));
        for para in step.text.split('\n') {
            out.push(Line::from(para.to_owned()));
        }
        // an explanation text the pack ships for the step's field (the instructor's own words)
        if let Some(t) = step.field.as_ref().and_then(|f| s.pack.texts.iter().find(|t| &t.key == f)) {
            out.push(Line::from(""));
            out.push(Line::styled(format!("{}: {}", t.key, t.ko), theme.dim()));
        }
        self.text_len.set(out.len());
        if let Some(q) = s.question() {
            let label = match q.kind {
                QuestionKind::Predict => ui("lesson.kind.predict", lang),
                QuestionKind::Hunt => ui("lesson.kind.hunt", lang),
                QuestionKind::Compute => ui("lesson.kind.compute", lang),
                _ => ui("lesson.kind.question", lang),
            };
            out.push(Line::styled(format!("{label}: {}", q.prompt), theme.header()));
            if let Some(n) = s.hidden_from() {
                out.push(Line::styled(ui_with("lesson.hidden_from", lang, &[("n", &n)]), theme.dim()));
            }
            for (i, c) in q.choices.iter().enumerate() {
                out.push(Line::from(format!("  {}) {c}", i + 1)));
            }
            for h in s.shown_hints() {
                out.push(Line::styled(ui_with("lesson.hint", lang, &[("hint", &h)]), theme.dim()));
            }
            if self.answering {
                out.push(Line::from(vec![Span::styled(format!("{}: ", ui("lesson.answer", lang)), theme.header()), Span::raw(format!("{}▏", self.input))]));
            }
            match &s.feedback {
                Some(Feedback::Right { why }) => {
                    out.push(Line::styled(ui("lesson.right", lang), theme.ok()));
                    out.push(Line::from(why.clone()));
                }
                Some(Feedback::Wrong { tries_left, reason, .. }) => {
                    // the hint it revealed is among the shown hints above
                    out.push(Line::styled(ui_with("lesson.wrong", lang, &[("tries", tries_left)]), theme.error()));
                    if let Some(r) = reason {
                        out.push(Line::from(r.clone()));
                    }
                }
                Some(Feedback::Revealed { answer, why }) => {
                    out.push(Line::styled(ui_with("lesson.revealed", lang, &[("answer", answer)]), theme.error()));
                    out.push(Line::from(why.clone()));
                }
                None => {}
            }
        }
        if let Some(n) = &self.note {
            out.push(Line::styled(n.clone(), theme.error()));
        }
        let keys = if self.answering {
            ui("lesson.keys.answering", lang)
        } else if !s.settled() {
            ui("lesson.keys.question", lang)
        } else {
            ui("lesson.keys.reading", lang)
        };
        out.push(Line::styled(keys, theme.dim()));
        out
    }
}

/// The pane installed in the app.
pub struct LessonPanel {
    pub shared: Rc<RefCell<LessonShared>>,
    pub theme: Theme,
}

impl SidePanel for LessonPanel {
    fn title(&self) -> String {
        let sh = self.shared.borrow();
        let s = &sh.session;
        let title = s.pack.lessons.get(s.lesson).map(|l| l.title.as_str()).unwrap_or("");
        ui_with("lesson.title", sh.lang, &[("n", &(s.lesson + 1)), ("total", &s.pack.lessons.len()), ("title", &title)])
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let sh = self.shared.borrow();
        let (text, bottom) = sh.lines(&self.theme);
        // keep the last column free: a wide (Korean) character there makes some terminals wrap
        let area = Rect { width: area.width.saturating_sub(1), ..area };
        let width = usize::from(area.width.max(1));
        // rows the bottom part needs once wrapped (+1 per line for word-wrap slack on long ones)
        let need: usize = bottom.iter().map(|l| l.width().div_ceil(width).max(1) + usize::from(l.width() > width)).sum();
        let bottom_h = u16::try_from(need).unwrap_or(u16::MAX).min(area.height.saturating_sub(3));
        let text_h = area.height - bottom_h;
        let text_area = Rect { height: text_h.saturating_sub(u16::from(bottom_h > 0)), ..area };
        let bottom_area = Rect { y: area.y + text_h, height: bottom_h, ..area };
        Paragraph::new(text).wrap(Wrap { trim: false }).scroll((sh.scroll, 0)).render(text_area, buf);
        Paragraph::new(bottom).wrap(Wrap { trim: false }).render(bottom_area, buf);
    }

    fn handle_key(&mut self, key: KeyEvent) -> PanelOutcome {
        self.shared.borrow_mut().key(key)
    }
}
