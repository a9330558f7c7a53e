//! Playing a lesson: the current step, answers and hints, and progress saved as the learner
//! goes. No UI here; the TUI's lesson pane shows a [`Session`] and feeds it keys.

use super::model::{Pack, Question, QuestionKind, Step};
use super::progress::{AnswerRecord, LessonProgress, Progress, ProgressError};
use std::path::PathBuf;
use std::time::Instant;

/// Wrong answers before the right one is shown.
pub const TRIES: usize = 3;

/// What the last answer got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feedback {
    /// Right; the explanation follows.
    Right { why: String },
    /// Wrong; the next hint if any is left, and for an explain question why that choice is wrong.
    Wrong { hint: Option<String>, tries_left: usize, reason: Option<String> },
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
    /// When the current question was shown.
    shown_at: Instant,
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
        Ok(Session { pack, lesson: 0, step: 0, feedback: None, hints_shown: 0, tries: 0, shown_at: Instant::now(), progress, path })
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
        self.shown_at = Instant::now();
    }

    /// For a predict question not yet settled: the first frame to keep hidden.
    pub fn hidden_from(&self) -> Option<u64> {
        let step = self.current()?;
        let q = step.question.as_ref()?;
        if q.kind != QuestionKind::Predict || self.settled() {
            return None;
        }
        Some(q.reveal.unwrap_or(step.frame + 1))
    }

    /// The frame the step shows: a settled predict question shows the revealed frame.
    pub fn shown_frame(&self) -> Option<u64> {
        let step = self.current()?;
        match &step.question {
            Some(q) if q.kind == QuestionKind::Predict && self.settled() => Some(q.reveal.unwrap_or(step.frame + 1)),
            _ => Some(step.frame),
        }
    }

    /// The step's filter, narrowed to hide the frames a predict question has not revealed.
    pub fn effective_filter(&self) -> Option<String> {
        let base = self.current()?.filter.clone();
        match (self.hidden_from(), base) {
            (Some(n), Some(f)) => Some(format!("({f}) && frame.number < {n}")),
            (Some(n), None) => Some(format!("frame.number < {n}")),
            (None, f) => f,
        }
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
        let seconds = (self.shown_at.elapsed().as_secs_f64() * 10.0).round() / 10.0;
        if q.is_correct(input) {
            let first_try = self.tries == 0;
            let tries = self.tries + 1;
            self.feedback = Some(Feedback::Right { why: q.why.clone() });
            self.record(|p, step| {
                // a replay of a finished lesson does not count again
                if first_try && !p.done {
                    p.correct += 1;
                }
                note_answer(p, AnswerRecord { step: step + 1, first_try, tries, correct: true, seconds });
            })?;
        } else {
            self.tries += 1;
            if self.tries >= TRIES {
                let tries = self.tries;
                self.feedback = Some(Feedback::Revealed { answer: q.shown_answer(), why: q.why.clone() });
                self.record(|p, step| note_answer(p, AnswerRecord { step: step + 1, first_try: false, tries, correct: false, seconds }))?;
            } else {
                let hint = q.hints.get(self.hints_shown).cloned();
                if hint.is_some() {
                    self.hints_shown += 1;
                }
                let reason = q.reason_for(input).map(str::to_owned);
                self.feedback = Some(Feedback::Wrong { hint, tries_left: TRIES - self.tries, reason });
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

    pub(crate) fn record(&mut self, f: impl FnOnce(&mut LessonProgress, usize)) -> Result<(), ProgressError> {
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

/// Keeps the first settled answer of each step (a replay does not overwrite the grade).
fn note_answer(p: &mut LessonProgress, a: AnswerRecord) {
    if !p.answers.iter().any(|x| x.step == a.step) {
        p.answers.push(a);
        p.answers.sort_by_key(|x| x.step);
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
                assert_eq!(s.answer("definitely wrong").expect("answer"), Some(&Feedback::Wrong { hint: q.hints.first().cloned(), tries_left: 2, reason: None }));
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
