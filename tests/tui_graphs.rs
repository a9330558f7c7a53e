//! The graphs of the `L` view (`g`): time-sequence, throughput and RTT of a TCP stream, rate
//! and jitter of a UDP flow, drawn with ratatui's TestBackend at 80x24 and wide. The cursor's
//! readout is checked against the frame's own analysis (seq, len, time since the stream's
//! first frame, ack_rtt), Enter goes to that frame, `[`/`]`/`z` and `+`/`-` change the x axis,
//! a display filter keeps only its frames (and says so), and nothing panics on streams with
//! one sample, none, or UDP. One tmux session drives the real binary through the same keys.

use pktlab::explain::Lang;
use pktlab::tui::app::{Action, App, Mode};
use pktlab::tui::charts::{ChartKind, Unit, fmt_value};
use std::process::Command;
use std::time::Duration;

mod common;
use common::{Tmux, capture, draw};

fn open(name: &str, lang: Lang) -> App {
    common::open_app(name, lang, false)
}

fn filtered(a: &mut App, filter: &str) {
    a.set_filter(filter).expect("filter compiles");
    a.store.wait_idle();
    a.tick();
}

/// Opens `L` on the selected frame and presses `g` until graph `kind` is shown.
fn open_graph(a: &mut App, kind: ChartKind) {
    a.update(Action::Ladder);
    assert_eq!(a.mode, Mode::Ladder);
    for _ in 0..5 {
        if a.stream.view.chart == Some(kind) {
            return;
        }
        a.update(Action::Input('g'));
    }
    assert_eq!(a.stream.view.chart, Some(kind));
}

/// One TCP segment as the analysis sees it, independently of the TUI.
#[derive(Debug, Clone)]
struct Seg {
    frame: u64,
    /// Seconds since the stream's first frame.
    t: f64,
    client: bool,
    seq: u32,
    len: u32,
    ack_rtt: Option<f64>,
}

fn segments(name: &str, stream: u32) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut first: Option<i64> = None;
    common::each_frame(&capture(name), |_, _, _, fa| {
        if let Some(v) = fa.tcp().filter(|v| v.stream == stream) {
            let t0 = *first.get_or_insert(fa.ts);
            out.push(Seg {
                frame: fa.frame,
                t: (fa.ts - t0) as f64 / 1e9,
                client: v.from_initiator,
                seq: v.seq,
                len: v.seglen.unwrap_or(0),
                ack_rtt: v.ack_rtt.map(|n| n as f64 / 1e9),
            });
        }
    })
    .expect("capture reads");
    out
}

/// The line that starts with the readout (`t=`), trimmed of the border.
fn readout(screen: &[String]) -> String {
    screen.iter().map(|l| l.trim_matches('│').trim()).find(|l| l.starts_with("t=")).unwrap_or_default().to_owned()
}

/// The x axis tick labels: the row under the axis line (`└──`).
fn x_labels(screen: &[String]) -> Vec<String> {
    let i = screen.iter().position(|l| l.contains('└')).expect("x axis drawn");
    screen[i + 1].trim_matches('│').split_whitespace().map(str::to_owned).collect()
}

/// A tick label in ms or s, as seconds.
fn secs(label: &str) -> f64 {
    let (num, scale) = if let Some(n) = label.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = label.strip_suffix("µs") {
        (n, 1e-6)
    } else {
        (label.strip_suffix('s').expect("a time label"), 1.0)
    };
    num.parse::<f64>().expect("a number") * scale
}

fn braille(s: &[String]) -> usize {
    s.iter().flat_map(|l| l.chars()).filter(|c| ('\u{2801}'..='\u{28FF}').contains(c)).count()
}

#[test]
fn time_sequence_ticks_legend_and_cursor_readout() {
    let segs = segments("bulk-loss.pcap", 0);
    let client: Vec<&Seg> = segs.iter().filter(|s| s.client).collect();
    for (w, h, lang) in [(80u16, 24u16, Lang::Ko), (160, 45, Lang::En)] {
        let mut a = open("bulk-loss.pcap", lang);
        open_graph(&mut a, ChartKind::Seq);
        let s = draw(&mut a, w, h);
        let all = s.join("\n");
        // Title, legend of the four curves, y ticks in kB up to the last byte, x ticks in time.
        let (title, ack, window) = match lang {
            Lang::Ko => ("시간에 따른 순서 번호", "서버→클라이언트 ACK", "수신 윈도"),
            Lang::En => ("sequence number over time", "server→client ACK", "receive window"),
        };
        assert!(all.contains(title) && all.contains(ack) && all.contains(window), "{all}");
        assert!(all.contains("120kB") && all.contains("0kB"), "y ticks:\n{all}");
        let xl = x_labels(&s);
        assert!(xl.len() >= 3, "several x ticks: {xl:?}\n{all}");
        assert_eq!(secs(&xl[0]), 0.0, "the x axis starts at the stream's first frame");
        let span = segs.last().expect("segments").t;
        assert!((secs(xl.last().expect("tick")) - span).abs() <= span * 0.01, "{xl:?} vs {span}");
        assert!(braille(&s) > 50, "points drawn:\n{all}");
        // The cursor starts on the client's first segment (the SYN), then steps over its
        // segments; the readout is that frame's own values.
        let frame_word = if lang == Lang::Ko { "프레임" } else { "frame" };
        for steps in [0usize, 1, 7, 40] {
            let mut b = open("bulk-loss.pcap", lang);
            open_graph(&mut b, ChartKind::Seq);
            for _ in 0..steps {
                b.update(Action::Right);
            }
            let r = readout(&draw(&mut b, w, h));
            let seg = client[steps];
            let want = format!("t={:.6} s · {frame_word} {} · seq={} len={}", seg.t, seg.frame, seg.seq, seg.len);
            assert!(r.starts_with(&want), "after {steps}: {r:?}, want {want:?}");
            // h goes back one.
            if steps > 0 {
                b.update(Action::Left);
                let r = readout(&draw(&mut b, w, h));
                assert!(r.contains(&format!("seq={} len={}", client[steps - 1].seq, client[steps - 1].len)), "{r:?}");
            }
        }
    }
}

#[test]
fn enter_goes_to_the_frame_under_the_cursor() {
    let segs = segments("bulk-loss.pcap", 0);
    let client: Vec<&Seg> = segs.iter().filter(|s| s.client).collect();
    let mut a = open("bulk-loss.pcap", Lang::En);
    open_graph(&mut a, ChartKind::Seq);
    for _ in 0..25 {
        a.update(Action::Right);
    }
    draw(&mut a, 80, 24);
    a.update(Action::Submit);
    assert_eq!(a.mode, Mode::Normal);
    assert_eq!(a.selected_frame(), Some(client[25].frame));
    let s = draw(&mut a, 80, 24).join("\n");
    assert!(s.contains(&format!("Frame {}:", client[25].frame)), "{s}");
}

#[test]
fn range_marks_and_zoom_change_the_x_axis() {
    let segs = segments("bulk-loss.pcap", 0);
    let client: Vec<&Seg> = segs.iter().filter(|s| s.client).collect();
    for (w, h) in [(80u16, 24u16), (150, 40)] {
        let mut a = open("bulk-loss.pcap", Lang::En);
        open_graph(&mut a, ChartKind::Seq);
        let before = x_labels(&draw(&mut a, w, h));
        for _ in 0..10 {
            a.update(Action::Right);
        }
        a.update(Action::Input('['));
        for _ in 0..20 {
            a.update(Action::Right);
        }
        a.update(Action::Input(']'));
        let s = draw(&mut a, w, h);
        let (t0, t1) = (client[10].t, client[30].t);
        assert!(s.join("\n").contains(&format!("range [{t0:.6} – {t1:.6}] s")), "{}", s.join("\n"));
        a.update(Action::Input('z'));
        let s = draw(&mut a, w, h);
        let after = x_labels(&s);
        assert_ne!(before, after);
        let (lo, hi) = (secs(&after[0]), secs(after.last().expect("tick")));
        let tol = (t1 - t0) * 0.02;
        assert!((lo - t0).abs() <= tol && (hi - t1).abs() <= tol, "{after:?} vs {t0}..{t1}");
        assert!(s.join("\n").contains(&format!("zoomed {t0:.6}–{t1:.6} s")), "{}", s.join("\n"));
        // The cursor stays on its sample and only samples inside the range are stops.
        assert!(readout(&s).contains(&format!("seq={} ", client[30].seq)), "{}", readout(&s));
        a.update(Action::Top);
        assert!(readout(&draw(&mut a, w, h)).contains(&format!("seq={} ", client[10].seq)));
        // `-` doubles the range around the cursor; Z (or Esc) shows it all again.
        a.update(Action::Input('-'));
        let wider = x_labels(&draw(&mut a, w, h));
        let width = |l: &[String]| secs(l.last().expect("tick")) - secs(&l[0]);
        assert!((width(&wider) - 2.0 * (t1 - t0)).abs() <= (t1 - t0) * 0.05, "{wider:?}");
        a.update(Action::Input('+'));
        a.update(Action::Input('+'));
        let narrower = x_labels(&draw(&mut a, w, h));
        assert!((width(&narrower) - (t1 - t0) / 2.0).abs() <= (t1 - t0) * 0.05, "{narrower:?}");
        a.update(Action::Cancel);
        assert_eq!(a.mode, Mode::Ladder, "Esc first shows the whole stream");
        assert_eq!(x_labels(&draw(&mut a, w, h)), before);
        a.update(Action::Cancel);
        assert_eq!(a.mode, Mode::Normal, "then closes the view");
    }
}

#[test]
fn display_filter_keeps_only_its_frames() {
    let segs = segments("bulk-loss.pcap", 0);
    let client_data: Vec<&Seg> = segs.iter().filter(|s| s.client && s.len > 0).collect();
    let mut all = open("bulk-loss.pcap", Lang::En);
    open_graph(&mut all, ChartKind::Seq);
    let s_all = draw(&mut all, 120, 30);
    let n_all = all.stream.view.plot(Lang::En).expect("plot").samples.len();

    let mut a = open("bulk-loss.pcap", Lang::En);
    filtered(&mut a, "tcp.len > 0 && frame.number > 100");
    assert!(a.selected_frame().is_some_and(|n| n > 100));
    open_graph(&mut a, ChartKind::Seq);
    let s = draw(&mut a, 120, 30);
    let text = s.join("\n");
    assert!(text.contains("filter tcp.len > 0 && frame.number > 100 only"), "{text}");
    let plot = a.stream.view.plot(Lang::En).expect("plot");
    let want: Vec<u64> = client_data.iter().filter(|s| s.frame > 100).map(|s| s.frame).collect();
    assert_eq!(plot.samples.iter().filter_map(|p| p.frame).collect::<Vec<_>>(), want);
    assert!(plot.samples.len() < n_all && braille(&s) < braille(&s_all), "{} vs {n_all}", plot.samples.len());
    // Still the stream's own clock: the first shown sample is late, the axis starts at 0.
    let first = client_data.iter().find(|s| s.frame > 100).expect("a frame after 100");
    assert!(readout(&s).starts_with(&format!("t={:.6} s", first.t)), "{}", readout(&s));
    assert_eq!(secs(&x_labels(&s)[0]), 0.0);
}

#[test]
fn throughput_prints_its_average_and_rtt_the_rfc_6298_timer() {
    let segs = segments("bulk-loss.pcap", 0);
    for (w, h) in [(80u16, 24u16), (160, 45)] {
        let mut a = open("bulk-loss.pcap", Lang::En);
        open_graph(&mut a, ChartKind::Throughput);
        let s = draw(&mut a, w, h);
        let text = s.join("\n");
        // 60 intervals over the stream's span (+1 for its last instant): the average is
        // every client payload byte over that time.
        let span = segs.last().expect("segments").t;
        let iv = span / 60.0;
        let bytes: u64 = segs.iter().filter(|s| s.client).map(|s| u64::from(s.len)).sum();
        let avg = bytes as f64 / (61.0 * iv);
        assert!(text.contains(&format!("average {}", fmt_value(avg, Unit::BytesPerSec))), "{avg}\n{text}");
        assert!(text.contains("kB/s") || text.contains("MB/s"), "y ticks in B/s:\n{text}");
        let r = readout(&s);
        assert!(r.contains(" segments over ") && r.contains(" B/s ("), "{r}");

        a.update(Action::Input('g'));
        assert_eq!(a.stream.view.chart, Some(ChartKind::Rtt));
        let s = draw(&mut a, w, h);
        let text = s.join("\n");
        assert!(text.contains("SRTT") && text.contains("RTTVAR") && text.contains("RFC 6298"), "{text}");
        // The first sample: SRTT = RTT, RTTVAR = RTT/2, and the RFC's 1-second floor.
        let first = segs.iter().find(|s| !s.client && s.ack_rtt.is_some()).expect("an RTT sample");
        let rtt = first.ack_rtt.expect("rtt");
        let want = format!(
            "frame {} · RTT={} SRTT={} RTTVAR={} RTO=1.000 s",
            first.frame,
            fmt_value(rtt, Unit::Seconds),
            fmt_value(rtt, Unit::Seconds),
            fmt_value(rtt / 2.0, Unit::Seconds),
        );
        assert!(readout(&s).contains(&want), "{}\nwant {want}", readout(&s));
        // The RTO line lies far above microsecond RTTs: the legend says so.
        assert!(text.contains("above the axis, 1.000 s"), "{text}");
    }
}

#[test]
fn d_switches_direction_and_udp_flows_have_a_cursor() {
    let segs = segments("bulk-loss.pcap", 0);
    let server: Vec<&Seg> = segs.iter().filter(|s| !s.client).collect();
    let mut a = open("bulk-loss.pcap", Lang::En);
    open_graph(&mut a, ChartKind::Seq);
    a.update(Action::Input('d'));
    let s = draw(&mut a, 100, 30);
    assert!(s.join("\n").contains("server→client data"), "{}", s.join("\n"));
    assert!(readout(&s).contains(&format!("seq={} len={}", server[0].seq, server[0].len)), "{}", readout(&s));

    // game.pcap frame 13 is a UDP datagram: rate and jitter with a cursor that names frames.
    let mut a = open("game.pcap", Lang::Ko);
    assert!(a.select_frame(13));
    a.update(Action::Ladder);
    assert_eq!(a.stream.view.chart, Some(ChartKind::UdpRate));
    for k in ['l', 'l', '[', 'l', ']', 'z', '+', '-', 'd', 'Z'] {
        a.update(if k == 'l' { Action::Right } else { Action::Input(k) });
        let r = readout(&draw(&mut a, 80, 24));
        assert!(r.starts_with("t=") && r.contains("pkt/s"), "{k}: {r}");
    }
    a.update(Action::Input('g'));
    let s = draw(&mut a, 80, 24);
    let r = readout(&s);
    assert!(r.contains("지터") && r.contains("프레임"), "{r}\n{}", s.join("\n"));
    a.update(Action::Submit);
    assert_eq!(a.mode, Mode::Normal);
}

#[test]
fn one_sample_no_sample_and_tiny_screens_do_not_panic() {
    // One frame of the stream shown: one point, and graphs with none.
    let mut a = open("bulk-loss.pcap", Lang::En);
    filtered(&mut a, "frame.number == 61");
    open_graph(&mut a, ChartKind::Seq);
    let keys = [Action::Left, Action::Right, Action::Top, Action::Bottom, Action::Input('['), Action::Input(']'), Action::Input('z'), Action::Input('+'), Action::Input('-'), Action::Input('d'), Action::Input('Z'), Action::Submit];
    for _ in 0..3 {
        for k in &keys {
            a.update(k.clone());
            if a.mode != Mode::Ladder {
                // Enter went to the frame: back into the graph.
                a.update(Action::Ladder);
            }
            for (w, h) in [(80, 24), (200, 60), (20, 8), (6, 4), (1, 1)] {
                draw(&mut a, w, h);
            }
        }
        a.update(Action::Input('g'));
    }
    // The RTT graph of a stream with no RTT samples says so.
    let mut a = open("bulk-loss.pcap", Lang::En);
    filtered(&mut a, "frame.number == 61");
    open_graph(&mut a, ChartKind::Rtt);
    let s = draw(&mut a, 80, 24).join("\n");
    assert!(s.contains("Nothing to plot"), "{s}");
    for k in &keys {
        a.update(k.clone());
    }
    // A frame with no stream at all.
    let mut a = open("handshake.pcap", Lang::En);
    filtered(&mut a, "udp");
    a.update(Action::Ladder);
    for k in &keys {
        a.update(k.clone());
        draw(&mut a, 80, 24);
    }
}

#[test]
fn tmux_graph_cursor_and_zoom() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tui_graphs: tmux is not installed; skipping");
        return;
    }
    let segs = segments("bulk-loss.pcap", 0);
    let client: Vec<&Seg> = segs.iter().filter(|s| s.client).collect();
    let cap = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/bulk-loss.pcap");
    for (w, h) in [(80u16, 24u16), (140, 40)] {
        let cmd = format!("{} {}", env!("CARGO_BIN_EXE_pktlab"), cap.display());
        let t = Tmux::start(&format!("graphs{w}"), w, h, &cmd, Duration::from_secs(20));
        t.wait_for("모두 읽음");
        t.keys(&["L"]);
        t.wait_for("래더 다이어그램");
        t.keys(&["g"]);
        t.wait_for("시간에 따른 순서 번호");
        t.wait_for(&format!("t=0.000000 s · 프레임 {} · seq=0 len=0", client[0].frame));
        for _ in 0..3 {
            t.keys(&["l"]);
        }
        let c = client[3];
        t.wait_for(&format!("t={:.6} s · 프레임 {} · seq={} len={}", c.t, c.frame, c.seq, c.len));
        t.keys(&["["]);
        t.keys(&["l", "l", "l", "l"]);
        t.keys(&["]"]);
        t.wait_for(&format!("구간 [{:.6} – {:.6}] s", c.t, client[7].t));
        t.keys(&["z"]);
        t.wait_for(&format!("확대 {:.6}–{:.6} s", c.t, client[7].t));
        t.keys(&["Escape"]);
        let s = t.wait_for("│h/l 커서");
        assert!(!s.contains("확대 0."), "Esc shows the whole stream again:\n{s}");
        t.keys(&["Enter"]);
        t.wait_for(&format!("Frame {}:", client[7].frame));
        t.keys(&["q"]);
    }
}
