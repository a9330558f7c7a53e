//! The lesson checker on the built-in pack (which must pass, from disk and as compiled in)
//! and on broken packs in tests/packs/<kind>/ (each must give its exact `file:line: message`).

use pktlab::lessons::{self, DirSource, LoadedCapture, PackSource, QuestionKind, builtin};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn lines(dir: &str) -> Vec<String> {
    let (diags, _) = lessons::check(Path::new(dir));
    diags.iter().map(|d| d.to_string()).collect()
}

#[test]
fn builtin_pack_passes_the_check() {
    let (diags, s) = lessons::check(Path::new("lessons"));
    let shown: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert!(diags.is_empty(), "lessons/ has problems:\n{}", shown.join("\n"));
    assert!(s.lessons >= 16, "{s:?}");
    assert!(s.steps >= 33, "{s:?}");
    assert!(s.questions >= 60, "{s:?}");
    assert!(s.kinds() >= 5, "{}", s.kinds_line());
    assert!(s.giveaways <= 3, "give-aways: {:?}", s.warnings);
    assert!(s.facts >= 100, "{s:?}");
}

#[test]
fn compiled_in_pack_is_the_pack_on_disk_and_passes() {
    let emb = builtin::source();
    let disk = DirSource::new("lessons");
    for (rel, bytes) in builtin::FILES {
        let on_disk = disk.read(rel).unwrap_or_else(|e| panic!("lessons/{rel}: {e}"));
        assert_eq!(&on_disk[..], *bytes, "lessons/{rel} differs from the compiled-in copy");
    }
    let (diags, s) = lessons::check_source(&emb);
    assert!(diags.is_empty(), "{:?}", diags);
    let (_, from_disk) = lessons::check(Path::new("lessons"));
    assert_eq!(s, from_disk);
}

#[test]
fn every_curriculum_topic_has_a_lesson_of_3_to_10_steps() {
    let mut diags = Vec::new();
    let pack = lessons::load_pack(&builtin::source(), &mut diags).expect("built-in pack loads");
    assert!(diags.is_empty(), "{diags:?}");
    for topic in 1..=19 {
        let l = pack.lessons.iter().find(|l| l.topic == Some(topic)).unwrap_or_else(|| panic!("no lesson for topic {topic}"));
        assert!((3..=10).contains(&l.steps.len()), "{}: {} steps", l.file, l.steps.len());
        assert!(l.steps.iter().all(|s| !s.text.is_empty()));
    }
}

/// Independently of the checker: every step's frame exists in its capture and, where the
/// step names a field, that frame has the field; every question's stored answer is accepted.
#[test]
fn every_step_points_at_a_real_frame_and_field() {
    let src = builtin::source();
    let mut diags = Vec::new();
    let pack = lessons::load_pack(&src, &mut diags).expect("built-in pack loads");
    let mut caps: BTreeMap<String, LoadedCapture> = BTreeMap::new();
    let mut fields = 0;
    for l in &pack.lessons {
        for s in &l.steps {
            let cap = caps.entry(s.capture.clone()).or_insert_with(|| {
                let bytes = src.read(&s.capture).expect("capture in the built-in pack").into_owned();
                LoadedCapture::from_bytes(&s.capture, bytes).expect("capture reads")
            });
            assert!(s.frame >= 1 && s.frame <= cap.len(), "{}:{}: frame {}", l.file, s.line, s.frame);
            let field = s.field.as_deref().unwrap_or_else(|| panic!("{}:{}: every built-in step names a field", l.file, s.line));
            let values = cap.values(s.frame, field);
            assert!(!values.is_empty(), "{}:{}: frame {} has no {field}", l.file, s.line, s.frame);
            fields += 1;
            if let Some(q) = &s.question {
                assert!(q.is_correct(&q.answer), "{}:{}: the stored answer is not accepted", l.file, q.line);
                if q.kind == QuestionKind::FieldValue {
                    let f = q.field.as_deref().unwrap_or(field);
                    let v = cap.values(q.frame.unwrap_or(s.frame), f);
                    assert!(v.iter().any(|v| q.is_correct(v)), "{}:{}: {f} = {v:?}, answer {}", l.file, q.line, q.answer);
                }
            }
        }
    }
    assert!(fields >= 33);
}

#[test]
fn cli_check_prints_ok_and_exits_zero() {
    let out = Command::new(env!("CARGO_BIN_EXE_pktlab")).args(["lessons", "check", "lessons"]).output().expect("run pktlab");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("lessons: OK: 19 lessons,"), "{stdout}");
    assert!(stdout.contains("give-aways: 0, glossary variants: 0"), "{stdout}");
}

#[test]
fn cli_check_exits_one_on_a_broken_pack() {
    let out = Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["lessons", "check", "tests/packs/wrong-answer"])
        .output()
        .expect("run pktlab");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("tests/packs/wrong-answer/lesson.toml:12: answer"), "{stdout}");
}

#[test]
fn scaffolded_pack_passes_the_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = dir.path().join("my-pack");
    let files = lessons::scaffold::scaffold(&pack).expect("scaffold");
    assert_eq!(files.len(), 3);
    let (diags, s) = lessons::check(&pack);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!((s.lessons, s.steps, s.questions), (1, 3, 2));
    assert!(lessons::scaffold::scaffold(&pack).is_err(), "refuses a non-empty directory");
}

fn expect_one(kind: &str, want: &str) {
    let got = lines(&format!("tests/packs/{kind}"));
    assert_eq!(got, vec![want.to_owned()], "tests/packs/{kind}");
}

#[test]
fn broken_syntax() {
    expect_one("syntax", "tests/packs/syntax/lesson.toml:6: invalid basic string, expected `\"`");
}

#[test]
fn broken_unknown_key() {
    expect_one(
        "unknown-key",
        "tests/packs/unknown-key/lesson.toml:7: unknown key `colour`, expected one of `capture`, `frame`, `field`, `filter`, `text`, `expect`, `question`",
    );
}

#[test]
fn broken_missing_capture() {
    expect_one("missing-capture", "tests/packs/missing-capture/lesson.toml:4: capture ../../../captures/no-such-file.pcap not found");
}

#[test]
fn broken_frame_beyond_end() {
    expect_one("frame-beyond-end", "tests/packs/frame-beyond-end/lesson.toml:9: frame 3 is beyond the end of rst.pcap (2 frames)");
}

#[test]
fn broken_field_not_in_frame() {
    expect_one("field-not-in-frame", "tests/packs/field-not-in-frame/lesson.toml:6: frame 2 has no field tcp.options.mss_val");
}

#[test]
fn broken_unknown_field() {
    expect_one("unknown-field", "tests/packs/unknown-field/lesson.toml:6: unknown field \"tcp.mss\"");
}

#[test]
fn broken_wrong_answer() {
    expect_one(
        "wrong-answer",
        "tests/packs/wrong-answer/lesson.toml:12: answer \"1460\" does not match the capture: tcp.options.mss_val in frame 1 is 65495",
    );
}

#[test]
fn broken_wrong_frame_number() {
    expect_one(
        "wrong-frame-number",
        "tests/packs/wrong-frame-number/lesson.toml:12: answer 1 does not match the capture: the first frame matching \"tcp.flags.reset == 1\" is 2",
    );
}

#[test]
fn broken_wrong_fact() {
    expect_one(
        "wrong-fact",
        "tests/packs/wrong-fact/lesson.toml:7: frame 2 does not match expect \"tcp.window_size_value == 100\" (tcp.window_size_value is 0)",
    );
}

#[test]
fn broken_filter() {
    expect_one(
        "bad-filter",
        "tests/packs/bad-filter/lesson.toml:6: filter \"tcp.flags.syn ==\" does not parse: column 17: the filter ends too early: a field, a protocol or a value is missing",
    );
}

#[test]
fn broken_format_version() {
    expect_one("bad-format", "tests/packs/bad-format/pack.toml:1: format 2 is not supported (this pktlab reads format 1)");
}
