//! `pktlab lessons new DIR`: a small pack that passes the check, to start from.

use super::builtin;
use super::source::PackSource;
use std::path::{Path, PathBuf};

/// The pack manifest and the first lesson `lessons new` writes (data files beside this one,
/// copied byte for byte).
const PACK: &str = include_str!("scaffold/pack.toml");
const LESSON: &str = include_str!("scaffold/lesson.toml");

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} exists and is not empty; choose a new directory")]
    NotEmpty(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Creates a pack in `dir` (which must not exist or be empty) and returns the files written.
pub fn scaffold(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(ScaffoldError::NotEmpty(dir.to_owned()));
    }
    let capture = builtin::source()
        .read("../captures/handshake.pcap")
        .map_err(|source| ScaffoldError::Io { path: dir.join("captures/handshake.pcap"), source })?
        .into_owned();
    let files: [(&str, &[u8]); 3] =
        [("pack.toml", PACK.as_bytes()), ("01-first-lesson.toml", LESSON.as_bytes()), ("captures/handshake.pcap", &capture)];
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        let io = |source| ScaffoldError::Io { path: path.clone(), source };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}
