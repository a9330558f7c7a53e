//! Where a pack's files come from: a directory, or the built-in pack compiled into the binary.

use std::borrow::Cow;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Read access to a pack's files by their path relative to the pack (as written in the pack,
/// `/`-separated, possibly starting with `../`).
pub trait PackSource {
    fn read(&self, rel: &str) -> io::Result<Cow<'_, [u8]>>;
    /// How a file is named in messages (`lessons/01-layers.toml`).
    fn display(&self, rel: &str) -> String;
}

/// A pack in a directory.
#[derive(Clone, Debug)]
pub struct DirSource {
    pub dir: PathBuf,
}

impl DirSource {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSource { dir: dir.into() }
    }
}

impl PackSource for DirSource {
    fn read(&self, rel: &str) -> io::Result<Cow<'_, [u8]>> {
        std::fs::read(self.dir.join(rel)).map(Cow::Owned)
    }

    fn display(&self, rel: &str) -> String {
        let s = self.dir.display().to_string();
        if s.is_empty() || s == "." {
            rel.to_owned()
        } else if s.ends_with('/') {
            format!("{s}{rel}")
        } else {
            format!("{s}/{rel}")
        }
    }
}

/// A pack whose files are compiled in: `(path relative to the pack, bytes)`.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedSource {
    /// Shown before file names in messages, e.g. `lessons`.
    pub name: &'static str,
    pub files: &'static [(&'static str, &'static [u8])],
}

impl PackSource for EmbeddedSource {
    fn read(&self, rel: &str) -> io::Result<Cow<'_, [u8]>> {
        let want = normalize(rel);
        self.files
            .iter()
            .find(|(p, _)| normalize(p) == want)
            .map(|(_, b)| Cow::Borrowed(*b))
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{rel} is not in the built-in pack")))
    }

    fn display(&self, rel: &str) -> String {
        format!("{}/{rel}", self.name)
    }
}

/// Lexical normalization (`a/./b/../c` → `a/c`), keeping leading `..`.
pub fn normalize(p: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for c in Path::new(p).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if out.last().is_some_and(|l| l != "..") {
                    out.pop();
                } else {
                    out.push("..".into());
                }
            }
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => out.push(String::new()),
        }
    }
    out.join("/")
}
