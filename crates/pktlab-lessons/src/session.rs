//! Playing a lesson: the current step, answers and hints, and progress saved as the learner
//! goes. No UI here; the TUI's lesson pane shows a [`Session`] and feeds it keys.

use super::model::{Pack, Question, QuestionKind, Step};
use super::progress::{LessonProgress, Progress, ProgressError};
use std::path::PathBuf;

/// Wrong answers before the right one is shown.
pub const TRIES: usize = 3;

/// What the last answer got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feedback {
    /// Right; the explanation follows.
    Right { why: String },
    /// Wrong; the next hint if any is left.
    Wrong { hint: Option<String>, tries_left: usize },
    /// Wrong too many times: the answer and the explanation.
    Revealed { answer: String, why: String },
}

/// A pack being played.
pub struct Session {
    pub pack: Pack,
    /// The lesson being played (index into `pack.lessons`).
    pub lesson: usize,
    /// The current step (index into the lesson's steps).
    pub step: usize,
    pub feedback: Option<Feedback>,
    /// Hints shown for the current question.
    pub hints_shown: usize,
    tries: usize,
    progress: Progress,
    path: Option<PathBuf>,
}

impl Session {
    /// A session over `pack`, with progress read from (and saved to) `path`; None keeps
    /// progress in memory only.
    pub fn new(pack: Pack, path: Option<PathBuf>) -> Result<Session, ProgressError> {
        let progress = match &path {
            Some(p) => Progress::load(p)?,
            None => Progress::default(),
        };
        Ok(Session { pack, lesson: 0, step: 0, feedback: None, hints_shown: 0, tries: 0, progress, path })
    }

    /// Progress in lesson `i`.
    pub fn progress_of(&self, i: usize) -> LessonProgress {
        match self.pack.lessons.get(i) {
            Some(l) => self.progress.get(&self.pack.title, &l.id),
            None => LessonProgress::default(),
        }
    }

    /// Starts lesson `i` where the learner left it (from the start if it was finished).
    pub fn start(&mut self, i: usize) {
        self.lesson = i.min(self.pack.lessons.len().saturating_sub(1));
        let p = self.progress_of(self.lesson);
        let len = self.steps().len();
        self.step = if p.done { 0 } else { p.step.min(len.saturating_sub(1)) };
        self.reset_question();
    }

    pub fn steps(&self) -> &[Step] {
        self.pack.lessons.get(self.lesson).map(|l| l.steps.as_slice()).unwrap_or(&[])
    }

    pub fn current(&self) -> Option<&Step> {
        self.steps().get(self.step)
    }

    pub fn question(&self) -> Option<&Question> {
        self.current().and_then(|s| s.question.as_ref())
    }

    fn reset_question(&mut self) {
        self.feedback = None;
        self.hints_shown = 0;
        self.tries = 0;
    }

    /// Whether the current question (if any) has been settled (right or revealed).
    pub fn settled(&self) -> bool {
        self.question().is_none() || matches!(self.feedback, Some(Feedback::Right { .. } | Feedback::Revealed { .. }))
    }

    /// Moves to the next step; at the last one, marks the lesson done and returns false.
    pub fn advance(&mut self) -> Result<bool, ProgressError> {
        if self.step + 1 < self.steps().len() {
            self.step += 1;
            self.reset_question();
            self.record(|p, step| p.step = p.step.max(step))?;
            Ok(true)
        } else {
            let last = self.step;
            self.record(|p, _| {
                p.done = true;
                p.step = last;
            })?;
            Ok(false)
        }
    }

    /// Moves to the previous step (false at the first).
    pub fn back(&mut self) -> bool {
        if self.step == 0 {
            return false;
        }
        self.step -= 1;
        self.reset_question();
        true
    }

    /// Checks the learner's answer to the current question.
    pub fn answer(&mut self, input: &str) -> Result<Option<&Feedback>, ProgressError> {
        let Some(q) = self.question().cloned() else { return Ok(None) };
        if self.settled() {
            return Ok(self.feedback.as_ref());
        }
        if q.is_correct(input) {
            let first_try = self.tries == 0;
            self.feedback = Some(Feedback::Right { why: q.why.clone() });
            if first_try {
                // a replay of a finished lesson does not count again
                self.record(|p, _| {
                    if !p.done {
                        p.correct += 1;
                    }
                })?;
            }
        } else {
            self.tries += 1;
            if self.tries >= TRIES {
                let answer = match q.kind {
                    QuestionKind::Choice => {
                        let idx = super::answer::parse_uint(&q.answer).and_then(|n| usize::try_from(n).ok());
                        match idx.and_then(|i| i.checked_sub(1)).and_then(|i| q.choices.get(i)) {
                            Some(c) => format!("{} ({c})", q.answer),
                            None => q.answer.clone(),
                        }
                    }
                    _ => q.answer.clone(),
                };
                self.feedback = Some(Feedback::Revealed { answer, why: q.why.clone() });
            } else {
                let hint = q.hints.get(self.hints_shown).cloned();
                if hint.is_some() {
                    self.hints_shown += 1;
                }
                self.feedback = Some(Feedback::Wrong { hint, tries_left: TRIES - self.tries });
            }
        }
        Ok(self.feedback.as_ref())
    }

    /// Shows the next hint of the current question, if any is left.
    pub fn hint(&mut self) -> Option<String> {
        let h = self.question()?.hints.get(self.hints_shown).cloned()?;
        self.hints_shown += 1;
        Some(h)
    }

    /// The hints shown so far.
    pub fn shown_hints(&self) -> Vec<String> {
        self.question().map(|q| q.hints.iter().take(self.hints_shown).cloned().collect()).unwrap_or_default()
    }

    fn record(&mut self, f: impl FnOnce(&mut LessonProgress, usize)) -> Result<(), ProgressError> {
        let Some(l) = self.pack.lessons.get(self.lesson) else { return Ok(()) };
        let (title, id) = (self.pack.title.clone(), l.id.clone());
        let mut p = self.progress.get(&title, &id);
        f(&mut p, self.step);
        self.progress.set(&title, &id, p);
        match &self.path {
            Some(path) => self.progress.save(path),
            None => Ok(()),
        }
    }

    /// Saves the current position (called when leaving a lesson midway).
    pub fn save_position(&mut self) -> Result<(), ProgressError> {
        let step = self.step;
        self.record(|p, _| {
            if !p.done {
                p.step = step;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{builtin, load_pack};

    fn pack() -> Pack {
        let mut d = Vec::new();
        load_pack(&builtin::source(), &mut d).expect("built-in pack")
    }

    #[test]
    fn a_lesson_played_to_the_end_is_done_and_survives_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("progress.toml");
        let mut s = Session::new(pack(), Some(path.clone())).expect("session");
        s.start(5); // MSS and MTU
        let n = s.steps().len();
        for _ in 0..n {
            if let Some(q) = s.question().cloned() {
                assert_eq!(s.answer("definitely wrong").expect("answer"), Some(&Feedback::Wrong { hint: q.hints.first().cloned(), tries_left: 2 }));
                let fb = s.answer(&q.answer).expect("answer").cloned();
                assert_eq!(fb, Some(Feedback::Right { why: q.why.clone() }));
            }
            s.advance().expect("next");
        }
        let again = Session::new(pack(), Some(path)).expect("reload");
        let p = again.progress_of(5);
        assert!(p.done);
        assert_eq!(p.correct, 0, "right answers after a wrong one do not count as first-try");
    }

    #[test]
    fn three_wrong_answers_reveal_the_answer_and_resume_keeps_the_step() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.toml");
        let mut s = Session::new(pack(), Some(path.clone())).expect("session");
        s.start(0);
        while s.question().is_none() {
            assert!(s.advance().expect("next"));
        }
        let at = s.step;
        for _ in 0..TRIES {
            s.answer("nope").expect("answer");
        }
        assert!(matches!(s.feedback, Some(Feedback::Revealed { .. })));
        assert!(s.settled());
        s.advance().expect("next");
        s.save_position().expect("save");
        let mut again = Session::new(pack(), Some(path)).expect("reload");
        again.start(0);
        assert_eq!(again.step, at + 1);
    }
}
