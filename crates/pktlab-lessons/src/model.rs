//! A parsed pack: what the checker verifies and the TUI plays.

/// A lesson pack.
#[derive(Clone, Debug)]
pub struct Pack {
    /// Format version from `pack.toml` (this pktlab reads 1).
    pub format: u32,
    pub title: String,
    pub description: String,
    pub lessons: Vec<Lesson>,
}

/// One lesson file.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The file name without `.toml`; the key of the learner's progress.
    pub id: String,
    /// The file, relative to the pack.
    pub file: String,
    pub title: String,
    /// Curriculum topic number, if the lesson belongs to one.
    pub topic: Option<u32>,
    pub summary: String,
    pub steps: Vec<Step>,
}

/// One step: a frame (and maybe a field) of a capture, with the text shown beside it.
#[derive(Clone, Debug)]
pub struct Step {
    /// Line of the step's `frame` key in the lesson file.
    pub line: usize,
    /// The capture, relative to the pack.
    pub capture: String,
    pub capture_line: usize,
    /// 1-based frame number.
    pub frame: u64,
    pub field: Option<String>,
    pub field_line: usize,
    pub filter: Option<String>,
    pub filter_line: usize,
    pub text: String,
    /// Facts the text states, as display filters the frame must match, with their lines.
    pub expect: Vec<(String, usize)>,
    pub question: Option<Question>,
}

/// What a question asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// The value of a field in a frame (`field`, default the step's field).
    FieldValue,
    /// A frame number: the first frame that matches the question's `match` filter.
    FrameNumber,
    /// One of `choices`, answered by its number (1-based) or its text.
    Choice,
}

impl QuestionKind {
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::FieldValue => "field-value",
            QuestionKind::FrameNumber => "frame-number",
            QuestionKind::Choice => "choice",
        }
    }
}

/// A question at the end of a step.
#[derive(Clone, Debug)]
pub struct Question {
    pub line: usize,
    pub kind: QuestionKind,
    pub prompt: String,
    /// The right answer as written in the pack (a value, a frame number, a choice number).
    pub answer: String,
    pub answer_line: usize,
    /// The field a field-value or choice question is about.
    pub field: Option<String>,
    pub field_line: usize,
    /// The frame the question is about (default: the step's frame).
    pub frame: Option<u64>,
    /// For frame-number questions: the filter whose first matching frame is the answer.
    pub matches: Option<String>,
    pub matches_line: usize,
    pub choices: Vec<String>,
    pub hints: Vec<String>,
    /// Why the answer is what it is, shown after answering.
    pub why: String,
}

impl Question {
    /// Whether the learner's `input` is the right answer.
    pub fn is_correct(&self, input: &str) -> bool {
        match self.kind {
            QuestionKind::FieldValue => super::answer::same_value(&self.answer, input),
            QuestionKind::FrameNumber => {
                super::answer::parse_uint(input).is_some_and(|n| super::answer::parse_uint(&self.answer) == Some(n))
            }
            QuestionKind::Choice => {
                let Some(right) = super::answer::parse_uint(&self.answer) else { return false };
                if let Some(n) = super::answer::parse_uint(input) {
                    return n == right;
                }
                let idx = usize::try_from(right).ok().and_then(|r| r.checked_sub(1));
                idx.and_then(|i| self.choices.get(i)).is_some_and(|c| c.trim().eq_ignore_ascii_case(input.trim()))
            }
        }
    }
}
