//! The built-in glossary (`lessons/glossary.toml`) applies to pktlab's own explanation
//! texts (`crates/pktlab-explain/src/text/*.txt`) as well as to the lessons: no variant the
//! glossary lists under `avoid` may appear in either. Prints how many places use each
//! preferred term and every variant found, with file and line.

use pktlab_lessons::glossary::{parse_glossary, variant_warnings};
use pktlab_lessons::{Term, builtin, load_pack};
use std::path::Path;

fn builtin_glossary() -> Vec<Term> {
    let src = builtin::source();
    let text = String::from_utf8(pktlab_lessons::PackSource::read(&src, "glossary.toml").expect("the built-in pack has glossary.toml").into_owned())
        .expect("glossary.toml is UTF-8");
    let mut diags = Vec::new();
    let terms = parse_glossary(&src, "glossary.toml", &text, &mut diags);
    assert!(diags.is_empty(), "glossary.toml has problems: {diags:?}");
    assert!(!terms.is_empty(), "glossary.toml lists no terms");
    terms
}

fn explanation_texts() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/pktlab-explain/src/text");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), text)
        })
        .collect()
}

#[test]
fn explanation_texts_use_the_glossary_terms() {
    let glossary = builtin_glossary();
    let texts = explanation_texts();
    assert!(texts.len() >= 10, "expected the explanation text files, found {}", texts.len());
    let mut found = Vec::new();
    for t in &glossary {
        let uses: usize = texts.iter().map(|(_, s)| s.matches(t.ko.as_str()).count()).sum();
        println!("{:<12} {:>4} uses in the explanation texts", t.ko, uses);
        for a in &t.avoid {
            for (file, s) in &texts {
                for (i, line) in s.lines().enumerate() {
                    // Comment lines are for editors, not learners.
                    if !line.starts_with(";;") && line.contains(a.as_str()) {
                        found.push(format!("{file}:{}: uses \"{a}\"; the glossary's term is \"{}\" ({})", i + 1, t.ko, t.en));
                    }
                }
            }
        }
    }
    println!("glossary terms: {}, files: {}, variants found: {}", glossary.len(), texts.len(), found.len());
    assert!(found.is_empty(), "explanation texts use variants the glossary avoids:\n{}", found.join("\n"));
}

#[test]
fn lessons_use_the_glossary_terms() {
    let src = builtin::source();
    let mut diags = Vec::new();
    let pack = load_pack(&src, &mut diags).expect("the built-in pack loads");
    assert!(!pack.glossary.is_empty(), "the built-in pack has no glossary");
    let warnings = variant_warnings(&src, &pack, pack.texts_file.as_deref());
    println!("lessons: {}, glossary terms: {}, variants found: {}", pack.lessons.len(), pack.glossary.len(), warnings.len());
    let lines: Vec<String> = warnings.iter().map(|d| format!("{}:{}: {}", d.file, d.line, d.message)).collect();
    assert!(warnings.is_empty(), "lessons use variants the glossary avoids:\n{}", lines.join("\n"));
}
