//! The question kinds compute, predict, hunt and explain, give-away detection, glossary
//! warnings, and the answers report round trip.

use pktlab::lessons::progress::{AnswerRecord, LessonProgress};
use pktlab::lessons::{self, Feedback, Progress, QuestionKind, Session, builtin, load_pack, report};
use std::path::Path;
use std::process::Command;

#[test]
fn the_broken_new_kinds_pack_gets_one_message_per_problem() {
    let (diags, s) = lessons::check(Path::new("tests/packs/new-kinds"));
    let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        got,
        vec![
            "tests/packs/new-kinds/lesson.toml:24: answer 10 does not match the capture: formula \"tcp.len@4\" gives 9 (tolerance 0)",
            "tests/packs/new-kinds/lesson.toml:37: the hunt's answer 12 is the step's own frame, which the lesson selects: start the step on another frame",
            "tests/packs/new-kinds/lesson.toml:46: an explain question needs one reason per choice (2 choices, 1 reasons)",
            "tests/packs/new-kinds/lesson.toml:59: reveal 12 must come after the step's frame 12: the learner predicts what follows",
        ],
        "{got:#?}"
    );
    let warnings: Vec<String> = s.warnings.iter().map(|d| format!("{}:{}: {}", d.file, d.line, d.message)).collect();
    assert_eq!(s.giveaways, 1, "{warnings:#?}");
    assert!(warnings.contains(&"tests/packs/new-kinds/lesson.toml:12: give-away: the answer \"64512\" stands in the step's text".to_owned()), "{warnings:#?}");
    assert!(
        warnings.contains(&"tests/packs/new-kinds/lesson.toml:5: uses \"윈도우\"; the glossary's term is \"윈도\" (window)".to_owned()),
        "{warnings:#?}"
    );
}

#[test]
fn compute_accepts_answers_within_the_tolerance_and_explain_gives_the_reason() {
    let mut d = Vec::new();
    let pack = load_pack(&builtin::source(), &mut d).expect("built-in pack");
    let qs: Vec<_> = pack.lessons.iter().flat_map(|l| l.steps.iter()).filter_map(|s| s.question.clone()).collect();
    let c = qs.iter().find(|q| q.kind == QuestionKind::Compute && q.tolerance > 0.0).expect("a compute question with a tolerance");
    let a: f64 = c.answer.parse().expect("numeric answer");
    assert!(c.is_correct(&format!("{}", a + c.tolerance * 0.9)));
    assert!(!c.is_correct(&format!("{}", a + c.tolerance * 3.0 + 1.0)));
    let e = qs.iter().find(|q| q.kind == QuestionKind::Explain).expect("an explain question");
    let right: usize = e.answer.parse().expect("choice number");
    let wrong = if right == 1 { 2 } else { 1 };
    assert_eq!(e.reason_for(&wrong.to_string()), Some(e.reasons[wrong - 1].as_str()));
    assert_eq!(e.reason_for(&right.to_string()), None);
}

#[test]
fn a_predict_question_hides_its_frame_until_settled() {
    let mut d = Vec::new();
    let pack = load_pack(&builtin::source(), &mut d).expect("built-in pack");
    let (li, si) = pack
        .lessons
        .iter()
        .enumerate()
        .find_map(|(li, l)| l.steps.iter().position(|s| s.question.as_ref().is_some_and(|q| q.kind == QuestionKind::Predict)).map(|si| (li, si)))
        .expect("a predict question");
    let mut s = Session::new(pack, None).expect("session");
    s.start(li);
    while s.step < si {
        s.advance().expect("next");
    }
    let q = s.question().cloned().expect("question");
    let reveal = q.reveal.unwrap_or(s.current().expect("step").frame + 1);
    assert_eq!(s.hidden_from(), Some(reveal));
    assert!(s.effective_filter().expect("a filter").contains(&format!("frame.number < {reveal}")));
    s.answer(&q.answer).expect("answer");
    assert_eq!(s.hidden_from(), None);
    assert_eq!(s.shown_frame(), Some(reveal));
}

#[test]
fn a_wrong_explain_choice_shows_its_reason_in_the_session() {
    let mut d = Vec::new();
    let pack = load_pack(&builtin::source(), &mut d).expect("built-in pack");
    let li = pack.lessons.iter().position(|l| l.steps.first().and_then(|s| s.question.as_ref()).is_some_and(|q| q.kind == QuestionKind::Explain));
    let li = li.unwrap_or(0);
    let mut s = Session::new(pack, None).expect("session");
    s.start(li);
    while s.question().is_none_or(|q| q.kind != QuestionKind::Explain) {
        assert!(s.advance().expect("next"), "no explain question in lesson {li}");
    }
    let q = s.question().cloned().expect("question");
    let right: usize = q.answer.parse().expect("choice");
    let wrong = if right == 1 { 2 } else { 1 };
    match s.answer(&wrong.to_string()).expect("answer") {
        Some(Feedback::Wrong { reason: Some(r), .. }) => assert_eq!(r, &q.reasons[wrong - 1]),
        other => panic!("expected a wrong answer with a reason, got {other:?}"),
    }
}

#[test]
fn answers_are_logged_and_the_report_round_trips_through_csv_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("progress.toml");
    let mut d = Vec::new();
    let pack = load_pack(&builtin::source(), &mut d).expect("built-in pack");
    let mut s = Session::new(pack.clone(), Some(path.clone())).expect("session");
    s.start(0);
    let mut answered = 0;
    for _ in 0..s.steps().len() {
        if let Some(q) = s.question().cloned() {
            if answered % 2 == 1 {
                s.answer("definitely wrong").expect("answer");
            }
            s.answer(&q.answer).expect("answer");
            answered += 1;
        }
        s.advance().expect("next");
    }
    let progress = Progress::load(&path).expect("progress");
    let rows = report::rows(&progress, &pack);
    assert_eq!(rows.len(), answered);
    assert!(rows.iter().all(|r| r.correct && r.lesson == pack.lessons[0].id && !r.kind.is_empty()));
    assert_eq!(rows.iter().filter(|r| r.first_try).count(), answered.div_ceil(2));
    assert!(rows.iter().any(|r| r.tries == 2));

    // a hand-made record with characters CSV must quote
    let mut p2 = Progress::default();
    let rec = AnswerRecord { step: 3, first_try: false, tries: 3, correct: false, seconds: 41.5 };
    p2.set(&pack.title, &pack.lessons[1].id, LessonProgress { step: 3, done: false, correct: 0, answers: vec![rec] });
    let mut all = rows.clone();
    all.extend(report::rows(&p2, &pack));
    all[0].pack = "a \"quoted\", pack\non two lines".into();
    let csv = report::to_csv(&all);
    assert!(csv.starts_with(report::HEADER));
    assert_eq!(report::from_csv(&csv).expect("csv back"), all);
    let json = report::to_json(&all);
    assert_eq!(report::from_json(&json).expect("json back"), all);
    assert!(report::from_csv("pack,lesson\nx,y\n").is_err());
}

#[test]
fn cli_report_prints_csv_and_json_for_a_progress_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("progress.toml");
    let mut d = Vec::new();
    let pack = load_pack(&builtin::source(), &mut d).expect("built-in pack");
    let mut p = Progress::default();
    let rec = AnswerRecord { step: 2, first_try: true, tries: 1, correct: true, seconds: 7.5 };
    p.set(&pack.title, &pack.lessons[0].id, LessonProgress { step: 2, done: false, correct: 1, answers: vec![rec] });
    p.save(&path).expect("save");
    let bin = env!("CARGO_BIN_EXE_pktlab");
    let out = Command::new(bin).args(["lessons", "report", "--progress"]).arg(&path).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8_lossy(&out.stdout);
    let rows = report::from_csv(&csv).expect("csv parses");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].step, rows[0].tries, rows[0].first_try, rows[0].seconds), (2, 1, true, 7.5));
    let out = Command::new(bin).args(["lessons", "report", "--format", "json", "--progress"]).arg(&path).output().expect("run");
    assert_eq!(report::from_json(&String::from_utf8_lossy(&out.stdout)).expect("json parses"), rows);
    let help = Command::new(bin).args(["lessons", "report", "--help"]).output().expect("run");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--format"));
}

#[test]
fn a_pack_ships_explanation_texts_and_the_checker_reads_them() {
    let (diags, s) = lessons::check(Path::new("tests/packs/pack-texts"));
    let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        got,
        vec![
            "tests/packs/pack-texts/glossary.toml:7: term \"윈도\" is listed twice (first at line 1)",
            "tests/packs/pack-texts/texts.toml:7: unknown field \"tcp.no_such_field\" (a text is attached to a Wireshark field or protocol name)",
            "tests/packs/pack-texts/texts.toml:12: mode \"merge\" is not add or replace",
        ],
        "{got:#?}"
    );
    let w: Vec<String> = s.warnings.iter().map(|d| format!("{}:{}: {}", d.file, d.line, d.message)).collect();
    assert_eq!(w, vec!["tests/packs/pack-texts/texts.toml:1: uses \"윈도우\"; the glossary's term is \"윈도\" (window)".to_owned()]);
    let mut d = Vec::new();
    let pack = load_pack(&lessons::DirSource::new("tests/packs/pack-texts"), &mut d).expect("pack");
    assert_eq!(pack.texts.len(), 1);
    assert_eq!(pack.texts[0].mode, lessons::TextMode::Add);
    assert!(pack.texts[0].en.contains("RACK-TLP"));
}

#[test]
fn formulas_read_fields_from_frames_and_say_what_is_wrong() {
    let bytes = std::fs::read("captures/handshake.pcap").expect("capture");
    let cap = lessons::LoadedCapture::from_bytes("handshake.pcap", bytes).expect("reads");
    let eval = |f: &str| lessons::formula::eval(f, &cap);
    assert_eq!(eval("tcp.seq@8 + tcp.len@8"), Ok(2897.0));
    assert_eq!(eval("-(2 + 3) * 4 / 8"), Ok(-2.5));
    assert!((eval("(frame.time_epoch@2 - frame.time_epoch@1) * 1000000").expect("rtt") - 23.0).abs() < 0.5);
    assert_eq!(eval("tcp.mss@1"), Err("column 1: unknown field \"tcp.mss\"".to_owned()));
    assert_eq!(eval("tcp.len"), Err("column 1: write a field as tcp.len@FRAME".to_owned()));
    assert_eq!(eval("tcp.len@99"), Err("column 1: frame 99 is beyond the end of the capture (14 frames)".to_owned()));
    assert_eq!(eval("tcp.options.mss_val@4"), Err("column 1: frame 4 has no field tcp.options.mss_val".to_owned()));
    assert_eq!(eval("1 / 0"), Err("the result is not a finite number (division by zero?)".to_owned()));
    assert_eq!(eval("(1 + 2"), Err("column 7: `)` expected".to_owned()));
    assert_eq!(eval("1 +"), Err("column 4: the formula ends where a number or FIELD@FRAME was expected".to_owned()));
    assert_eq!(lessons::formula::refs("tcp.len@4 - ip.hdr_len@4"), vec![("tcp.len".to_owned(), 4), ("ip.hdr_len".to_owned(), 4)]);
}
