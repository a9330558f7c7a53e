//! Conversation time series on real captures and their graphs drawn with ratatui's
//! TestBackend: the 20 Hz UDP ticks of game.pcap (≈50 ms apart, low jitter) and the
//! sequence/throughput/RTT graphs of bulk-loss.pcap.

use pktlab::analysis::series::{TcpSeries, UdpSeries, mean};
use pktlab::analysis::FrameAnalysis;
use pktlab::explain::Lang;
use pktlab::tui::app::{Action, App};
use pktlab::tui::charts::{self, ChartKind};
use pktlab::tui::layout;
use pktlab::tui::store::Store;
use pktlab::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

mod common;
use common::{buffer_text as text, capture};

/// Every frame's analysis and wire length.
fn analyse(name: &str) -> Vec<(FrameAnalysis, u32)> {
    let mut out = Vec::new();
    common::each_frame(&capture(name), |meta, _, _, fa| out.push((fa.clone(), meta.orig_len))).expect("record");
    out
}

fn braille(s: &str) -> usize {
    s.chars().filter(|c| ('\u{2801}'..='\u{28FF}').contains(c)).count()
}

#[test]
fn game_udp_flows_tick_at_20_hz() {
    let frames = analyse("game.pcap");
    // `tshark -Y udp.stream==N | wc -l`: 119 frames in stream 0, 122 in stream 1.
    let mut counts = Vec::new();
    for stream in 0..2 {
        let mut s = UdpSeries::new(stream);
        for (fa, len) in &frames {
            if let Some(u) = fa.udp() {
                s.push(fa.ts, u, *len);
            }
        }
        counts.push(s.packets[0].len() + s.packets[1].len());
        // The server's state datagrams (no loss on that side): a tick every 50 ms.
        let side = (0..2).max_by_key(|&i| s.packets[i].len()).unwrap_or(0);
        let gaps = s.gaps(side);
        let m = mean(&gaps).expect("gaps");
        assert!((m - 0.05).abs() < 0.003, "stream {stream}: mean gap {m}");
        // The sender's timer alternates 52 ms and 48 ms gaps (tshark's frame.time_delta shows
        // it too): |D| ≈ 4 ms each time, so the RFC 3550 jitter settles near 4-6 ms.
        let j = s.jitter(side).last().map(|x| x.1).expect("jitter");
        assert!((0.002..0.010).contains(&j), "stream {stream}: jitter {j}");
        let near = gaps.iter().filter(|g| (0.045..0.055).contains(&g.1)).count();
        assert!(near * 5 >= gaps.len() * 4, "stream {stream}: {near} of {} gaps within 50±5 ms", gaps.len());
        let rates = s.rates(side, 1.0);
        assert!(rates.iter().take(3).all(|r| (18.0..=22.0).contains(&r.1)), "{rates:?}");
    }
    assert_eq!(counts, vec![119, 122]);
}

#[test]
fn tcp_graphs_draw_points_and_legends() {
    let frames = analyse("bulk-loss.pcap");
    let mut s = TcpSeries::new(0);
    for (fa, _) in &frames {
        s.push_frame(fa);
    }
    for (kind, legend) in [
        (ChartKind::Seq, "retransmission"),
        (ChartKind::Throughput, "client→server"),
        (ChartKind::Rtt, "ACK server→client"),
    ] {
        let area = Rect::new(0, 0, 100, 30);
        let mut buf = Buffer::empty(area);
        charts::render(kind, Some(&s), None, Lang::En, Theme { color: true }, area, &mut buf);
        let t = text(&buf);
        assert!(t.contains(legend), "{kind:?}:\n{t}");
        assert!(braille(&t) > 10, "{kind:?} draws points:\n{t}");
    }
    // The sequence graph's y axis reaches the last byte (+SYN and FIN).
    let area = Rect::new(0, 0, 100, 30);
    let mut buf = Buffer::empty(area);
    charts::render(ChartKind::Seq, Some(&s), None, Lang::Ko, Theme { color: true }, area, &mut buf);
    let t = text(&buf);
    assert!(t.contains("120k") && t.contains("상대 순서 번호"), "{t}");
}

#[test]
fn tui_l_on_a_udp_frame_shows_rate_and_jitter() {
    let mut app = App::new(Store::open_blocking(capture("game.pcap")), "game.pcap".into(), Lang::Ko, Theme { color: true });
    let draw = |app: &mut App| {
        let mut t = Terminal::new(TestBackend::new(110, 30)).expect("terminal");
        t.draw(|f| layout::draw(f, app)).expect("draw");
        text(t.backend().buffer())
    };
    draw(&mut app);
    for _ in 0..12 {
        app.update(Action::Down);
    }
    assert_eq!(app.selected_frame(), Some(13), "frame 13 is the first UDP datagram");
    app.update(Action::Ladder);
    let s = draw(&mut app);
    assert!(s.contains("UDP 초당 패킷 수") && braille(&s) > 10, "{s}");
    app.update(Action::Input('g'));
    let s = draw(&mut app);
    assert!(s.contains("UDP 지터(jitter, ms)") && braille(&s) > 10, "{s}");
}
