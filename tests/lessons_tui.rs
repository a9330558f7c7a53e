//! A lesson driving the packet TUI: each step selects its frame, field and filter in the app
//! exactly as the learner would see them; keys in the lesson pane move between steps and
//! answer questions.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pktlab::capture::CaptureFile;
use pktlab::lessons::{Feedback, PackSource, Session, builtin, load_pack};
use pktlab::tui::lesson_panel::{LessonShared, Request};
use pktlab::tui::lesson_run::{Stage, apply_step};
use pktlab::tui::tree::NodeRef;
use pktlab::tui::{App, Options, new_app};
use std::time::{Duration, Instant};

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn session(lesson: usize) -> LessonShared {
    let mut d = Vec::new();
    let pack = load_pack(&builtin::source(), &mut d).expect("built-in pack");
    let mut s = Session::new(pack, None).expect("session");
    s.start(lesson);
    LessonShared::new(s)
}

fn app_for(sh: &LessonShared) -> App {
    let rel = sh.session.current().expect("a step").capture.clone();
    let bytes = builtin::source().read(&rel).expect("capture").into_owned();
    new_app(CaptureFile::from_bytes(rel.as_str(), bytes).expect("capture reads"), &Options::default())
}

/// Ticks the app and applies the step until it is applied (or 20 s pass).
fn settle(app: &mut App, sh: &mut LessonShared) {
    let mut stage = Stage::Idle;
    let start = Instant::now();
    while sh.pending {
        app.tick();
        apply_step(app, sh, &mut stage);
        assert!(start.elapsed() < Duration::from_secs(20), "the step was never applied");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn selected_field(app: &mut App) -> Option<String> {
    let node = app.selected_node()?;
    let NodeRef::Field(i) = node else { return None };
    let (d, _) = app.detail()?;
    d.fields.get(i).map(|f| f.def.abbrev.to_owned())
}

#[test]
fn each_step_selects_its_frame_field_and_filter() {
    let mut sh = session(1); // TCP vs UDP: steps with and without filters
    let mut app = app_for(&sh);
    for _ in 0..sh.session.steps().len() {
        settle(&mut app, &mut sh);
        let step = sh.session.current().expect("step").clone();
        assert_eq!(app.selected_frame(), Some(step.frame), "step {}", sh.session.step + 1);
        // a predict question hides the frames it asks about until it is answered
        let want = match sh.session.hidden_from() {
            Some(n) => Some(match &step.filter {
                Some(f) => format!("({f}) && frame.number < {n}"),
                None => format!("frame.number < {n}"),
            }),
            None => step.filter.clone(),
        };
        assert_eq!(app.active_filter(), want.as_deref(), "step {}", sh.session.step + 1);
        assert!(sh.session.hidden_from().is_none() || app.selected_frame() < sh.session.hidden_from());
        if let Some(f) = &step.field {
            assert_eq!(selected_field(&mut app).as_deref(), Some(f.as_str()), "step {}", sh.session.step + 1);
        }
        sh.key(key(KeyCode::Right));
    }
    assert_eq!(sh.request, Some(Request::Finished));
}

#[test]
fn questions_take_answers_and_say_why() {
    let mut sh = session(5); // MSS and MTU: the first step asks for the MSS
    assert!(sh.session.question().is_some());
    sh.key(key(KeyCode::Enter));
    assert!(sh.answering);
    for c in "1448".chars() {
        sh.key(key(KeyCode::Char(c)));
    }
    sh.key(key(KeyCode::Enter));
    assert!(matches!(sh.session.feedback, Some(Feedback::Wrong { tries_left: 2, .. })));
    sh.key(key(KeyCode::Char('a')));
    for c in "1460".chars() {
        sh.key(key(KeyCode::Char(c)));
    }
    sh.key(key(KeyCode::Enter));
    match &sh.session.feedback {
        Some(Feedback::Right { why }) => assert!(why.contains("1460")),
        other => panic!("{other:?}"),
    }
    // the pane shows the verdict and the reason
    let theme = pktlab::tui::theme::Theme { color: false };
    let (_, bottom) = sh.lines(&theme);
    let text: Vec<String> = bottom.iter().map(|l| l.to_string()).collect();
    assert!(text.iter().any(|l| l.contains("정답이에요")), "{text:?}");
}

#[test]
fn a_step_on_another_capture_is_shown_on_that_capture() {
    let mut sh = session(0); // layers: the last step is on dns.pcap
    let last = sh.session.steps().len() - 1;
    for _ in 0..last {
        sh.key(key(KeyCode::Right));
    }
    let step = sh.session.current().expect("step").clone();
    assert!(step.capture.ends_with("dns.pcap"));
    let mut app = app_for(&sh);
    settle(&mut app, &mut sh);
    assert_eq!(app.selected_frame(), Some(1));
    assert_eq!(selected_field(&mut app).as_deref(), Some("dns.qry.name"));
}

#[test]
fn answering_a_predict_question_reveals_its_frame() {
    let mut sh = session(1); // TCP vs UDP: the first step predicts the SYN-ACK
    let mut app = app_for(&sh);
    settle(&mut app, &mut sh);
    let step = sh.session.current().expect("step").clone();
    let q = step.question.clone().expect("a predict question");
    assert_eq!(q.kind, pktlab::lessons::QuestionKind::Predict);
    let reveal = q.reveal.expect("reveal");
    assert!(app.active_filter().is_some_and(|f| f.contains("frame.number <")));
    let right = q.answer.chars().next().expect("choice digit");
    sh.key(key(KeyCode::Char(right)));
    assert!(matches!(sh.session.feedback, Some(Feedback::Right { .. })));
    settle(&mut app, &mut sh);
    assert_eq!(app.active_filter(), step.filter.as_deref());
    assert_eq!(app.selected_frame(), Some(reveal));
}
