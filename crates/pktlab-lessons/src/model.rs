//! A parsed pack: what the checker verifies and the TUI plays.

/// A lesson pack.
#[derive(Clone, Debug)]
pub struct Pack {
    /// Format version from `pack.toml` (this pktlab reads 1).
    pub format: u32,
    pub title: String,
    pub description: String,
    pub lessons: Vec<Lesson>,
    /// The pack's glossary (`glossary = "FILE"` in pack.toml), empty without one.
    pub glossary: Vec<Term>,
    /// Explanation texts the pack ships (`texts = "FILE"`): added to or replacing pktlab's own.
    pub texts: Vec<PackText>,
    /// The texts file, relative to the pack (for messages).
    pub texts_file: Option<String>,
}

/// One glossary entry: the Korean term the pack uses for a concept, its English term, a
/// one-line definition, and variants the pack must not use for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub line: usize,
    pub ko: String,
    pub en: String,
    pub definition: String,
    /// Other spellings of the same concept (`avoid`); the checker warns where they appear.
    pub avoid: Vec<String>,
}

/// How a pack's explanation text combines with pktlab's own text for the same key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextMode {
    /// Shown after pktlab's text.
    Add,
    /// Shown instead of pktlab's text.
    Replace,
}

/// An explanation text shipped by a pack, attached to a Wireshark field (or protocol) name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackText {
    pub line: usize,
    /// A field or protocol name (`tcp.analysis.fast_retransmission`, `tcp`).
    pub key: String,
    pub mode: TextMode,
    pub ko: String,
    pub en: String,
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
    /// A number the learner computes (RTT in ms, throughput, bytes in flight…), accepted
    /// within `tolerance`; `formula` derives it from the capture so the checker can prove it.
    Compute,
    /// Predict-then-check: one of `choices`; the frames from `reveal` on stay hidden until
    /// the question is settled.
    Predict,
    /// Find a frame (the first matching `match`) yourself: the TUI does not select it.
    Hunt,
    /// One of `choices`, each wrong one with its own `reasons` entry shown when picked.
    Explain,
}

impl QuestionKind {
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::FieldValue => "field-value",
            QuestionKind::FrameNumber => "frame-number",
            QuestionKind::Choice => "choice",
            QuestionKind::Compute => "compute",
            QuestionKind::Predict => "predict",
            QuestionKind::Hunt => "hunt",
            QuestionKind::Explain => "explain",
        }
    }

    /// Every kind, in the order the checker reports counts.
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::FieldValue,
        QuestionKind::FrameNumber,
        QuestionKind::Choice,
        QuestionKind::Compute,
        QuestionKind::Predict,
        QuestionKind::Hunt,
        QuestionKind::Explain,
    ];

    /// Whether the answer is the number of one of `choices`.
    pub fn has_choices(self) -> bool {
        matches!(self, QuestionKind::Choice | QuestionKind::Predict | QuestionKind::Explain)
    }

    pub fn from_name(name: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.name() == name)
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
    /// Compute: how far from `answer` an answer may be and still count.
    pub tolerance: f64,
    /// Compute: the arithmetic that derives the answer from the capture (see [`super::formula`]).
    pub formula: Option<String>,
    pub formula_line: usize,
    /// Predict: the first frame hidden until the question is settled.
    pub reveal: Option<u64>,
    /// Explain: why each choice is wrong (the right choice's entry may be empty).
    pub reasons: Vec<String>,
}

impl Question {
    /// Whether the learner's `input` is the right answer.
    pub fn is_correct(&self, input: &str) -> bool {
        match self.kind {
            QuestionKind::FieldValue => super::answer::same_value(&self.answer, input),
            QuestionKind::FrameNumber | QuestionKind::Hunt => {
                super::answer::parse_uint(input).is_some_and(|n| super::answer::parse_uint(&self.answer) == Some(n))
            }
            QuestionKind::Compute => super::answer::within(&self.answer, input, self.tolerance),
            QuestionKind::Choice | QuestionKind::Predict | QuestionKind::Explain => {
                let Some(right) = super::answer::parse_uint(&self.answer) else { return false };
                if let Some(n) = super::answer::parse_uint(input) {
                    return n == right;
                }
                let idx = usize::try_from(right).ok().and_then(|r| r.checked_sub(1));
                idx.and_then(|i| self.choices.get(i)).is_some_and(|c| c.trim().eq_ignore_ascii_case(input.trim()))
            }
        }
    }

    /// The reason shown for a wrong choice `input` of an explain question.
    pub fn reason_for(&self, input: &str) -> Option<&str> {
        if self.kind != QuestionKind::Explain {
            return None;
        }
        let n = super::answer::parse_uint(input).and_then(|n| usize::try_from(n).ok())?;
        self.reasons.get(n.checked_sub(1)?).map(String::as_str).filter(|r| !r.is_empty())
    }

    /// The answer as shown when revealed: a choice's number with its text.
    pub fn shown_answer(&self) -> String {
        if self.kind.has_choices() {
            let idx = super::answer::parse_uint(&self.answer).and_then(|n| usize::try_from(n).ok());
            if let Some(c) = idx.and_then(|i| i.checked_sub(1)).and_then(|i| self.choices.get(i)) {
                return format!("{} ({c})", self.answer);
            }
        }
        self.answer.clone()
    }
}
