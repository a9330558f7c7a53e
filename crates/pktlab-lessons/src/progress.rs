//! The learner's progress, kept in `$XDG_STATE_HOME/pktlab/progress.toml` (or
//! `~/.local/state/pktlab/progress.toml`), keyed by pack title and lesson id.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Progress in one lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// Index of the step to resume at.
    #[serde(default)]
    pub step: usize,
    /// Every step seen and every question answered.
    #[serde(default)]
    pub done: bool,
    /// Questions answered right at the first try.
    #[serde(default)]
    pub correct: usize,
    /// How each question went, the first time it was settled (for `pktlab lessons report`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<AnswerRecord>,
}

/// One settled question: right or revealed, after how many tries, in how long.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    /// 1-based step number.
    pub step: usize,
    /// Right at the first try.
    pub first_try: bool,
    /// Answers given, the right one included.
    pub tries: usize,
    /// Answered right at some try (false: the answer was revealed).
    pub correct: bool,
    /// Seconds from the question being shown to it being settled.
    pub seconds: f64,
}

impl Eq for AnswerRecord {}

/// Progress in every lesson of every pack.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// `"<pack title>/<lesson id>"` → progress.
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("no state directory: neither XDG_STATE_HOME nor HOME is set")]
    NoStateDir,
}

/// Where progress is kept by default.
pub fn default_path() -> Result<PathBuf, ProgressError> {
    let base = match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        Some(s) => PathBuf::from(s),
        None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(h) => PathBuf::from(h).join(".local").join("state"),
            None => return Err(ProgressError::NoStateDir),
        },
    };
    Ok(base.join("pktlab").join("progress.toml"))
}

impl Progress {
    pub fn key(pack_title: &str, lesson_id: &str) -> String {
        format!("{pack_title}/{lesson_id}")
    }

    /// Reads progress; a missing file is empty progress.
    pub fn load(path: &Path) -> Result<Progress, ProgressError> {
        match std::fs::read_to_string(path) {
            Ok(t) => toml::from_str(&t).map_err(|e| ProgressError::Parse { path: path.to_owned(), message: e.message().to_owned() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Progress::default()),
            Err(source) => Err(ProgressError::Io { path: path.to_owned(), source }),
        }
    }

    /// Writes progress (to a temporary file renamed over the old one).
    pub fn save(&self, path: &Path) -> Result<(), ProgressError> {
        let io = |source| ProgressError::Io { path: path.to_owned(), source };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = toml::to_string(self).map_err(|e| ProgressError::Parse { path: path.to_owned(), message: e.to_string() })?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn get(&self, pack_title: &str, lesson_id: &str) -> LessonProgress {
        self.lessons.get(&Self::key(pack_title, lesson_id)).cloned().unwrap_or_default()
    }

    pub fn set(&mut self, pack_title: &str, lesson_id: &str, p: LessonProgress) {
        self.lessons.insert(Self::key(pack_title, lesson_id), p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_through_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("deep").join("progress.toml");
        assert_eq!(Progress::load(&path).expect("missing file is empty"), Progress::default());
        let mut p = Progress::default();
        let answers = vec![AnswerRecord { step: 2, first_try: true, tries: 1, correct: true, seconds: 12.5 }];
        p.set("pktlab 기본 과정", "03-handshake", LessonProgress { step: 4, done: false, correct: 1, answers });
        p.save(&path).expect("save");
        let back = Progress::load(&path).expect("load");
        assert_eq!(back.get("pktlab 기본 과정", "03-handshake").step, 4);
        assert_eq!(back, p);
    }
}
