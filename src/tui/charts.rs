//! Graphs of one conversation with ratatui's [`Chart`], from [`crate::analysis::series`]:
//! the tcptrace-style sequence number over time (client data, retransmissions in red, the
//! server's ACK line), throughput per interval each way, RTT samples over time; and for a UDP
//! flow packets per second and the RFC 3550 jitter each way.

use super::theme::Theme;
use crate::analysis::series::{TcpSeries, UdpSeries};
use crate::explain::Lang;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

/// Which graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Seq,
    Throughput,
    Rtt,
    UdpRate,
    UdpJitter,
}

impl ChartKind {
    pub fn title(self, lang: Lang) -> &'static str {
        let ko = lang == Lang::Ko;
        match self {
            ChartKind::Seq => if ko { "시간에 따른 순서 번호(tcptrace)" } else { "sequence number over time (tcptrace)" },
            ChartKind::Throughput => if ko { "처리량(바이트/초)" } else { "throughput (bytes/s)" },
            ChartKind::Rtt => if ko { "왕복 시간(RTT, ms)" } else { "round-trip time (RTT, ms)" },
            ChartKind::UdpRate => if ko { "UDP 초당 패킷 수" } else { "UDP packets per second" },
            ChartKind::UdpJitter => if ko { "UDP 지터(jitter, ms)" } else { "UDP jitter (ms)" },
        }
    }
}

/// The series of one graph: (name, colour, graph type, points).
type Series = Vec<(String, Color, GraphType, Vec<(f64, f64)>)>;

fn names(lang: Lang) -> [&'static str; 2] {
    if lang == Lang::Ko { ["클라이언트→서버", "서버→클라이언트"] } else { ["client→server", "server→client"] }
}

/// Interval for rate graphs: about 60 buckets over the duration, at least 1 ms.
pub fn interval_for(duration: f64) -> f64 {
    (duration / 60.0).max(0.001)
}

/// The points of a graph.
pub fn series(kind: ChartKind, tcp: Option<&TcpSeries>, udp: Option<&UdpSeries>, lang: Lang) -> Series {
    let n = names(lang);
    let mut out: Series = Vec::new();
    match (kind, tcp, udp) {
        (ChartKind::Seq, Some(s), _) => {
            let data: Vec<(f64, f64)> = s.seq[0].iter().filter(|p| !p.retransmission).map(|p| (p.t, p.end as f64)).collect();
            let re: Vec<(f64, f64)> = s.seq[0].iter().filter(|p| p.retransmission).map(|p| (p.t, p.end as f64)).collect();
            let acks: Vec<(f64, f64)> = s.seq[1].iter().filter_map(|p| p.ack.map(|a| (p.t, a as f64))).collect();
            let (d, r, a) = if lang == Lang::Ko { ("데이터", "재전송", "ACK") } else { ("data", "retransmission", "ACK") };
            out.push((format!("{} {d}", n[0]), Color::LightCyan, GraphType::Scatter, data));
            out.push((format!("{} {a}", n[1]), Color::LightGreen, GraphType::Line, acks));
            out.push((r.to_owned(), Color::LightRed, GraphType::Scatter, re));
        }
        (ChartKind::Throughput, Some(s), _) => {
            let iv = interval_for(s.duration());
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                out.push(((*name).to_owned(), c, GraphType::Line, s.throughput(side, iv)));
            }
        }
        (ChartKind::Rtt, Some(s), _) => {
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                let pts = s.rtt[side].iter().map(|r| (r.t, r.rtt * 1e3)).collect();
                out.push((format!("ACK {name}"), c, GraphType::Scatter, pts));
            }
        }
        (ChartKind::UdpRate, _, Some(u)) => {
            let iv = interval_for(u.duration()).max(0.1);
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                out.push(((*name).to_owned(), c, GraphType::Line, u.rates(side, iv).into_iter().map(|r| (r.0, r.1)).collect()));
            }
        }
        (ChartKind::UdpJitter, _, Some(u)) => {
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                out.push(((*name).to_owned(), c, GraphType::Line, u.jitter(side).into_iter().map(|(t, j)| (t, j * 1e3)).collect()));
            }
        }
        _ => {}
    }
    out
}

fn bounds(points: impl Iterator<Item = f64>) -> [f64; 2] {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in points.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return [0.0, 1.0];
    }
    let lo = lo.min(0.0);
    if hi <= lo { [lo, lo + 1.0] } else { [lo, hi] }
}

fn num(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v.abs() >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if v.abs() >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// Draws graph `kind` into `area`; a graph with no points says so.
pub fn render(kind: ChartKind, tcp: Option<&TcpSeries>, udp: Option<&UdpSeries>, lang: Lang, theme: Theme, area: Rect, buf: &mut Buffer) {
    let s = series(kind, tcp, udp, lang);
    if s.iter().all(|x| x.3.is_empty()) {
        let msg = if lang == Lang::Ko { "그릴 점이 없어요." } else { "Nothing to plot." };
        buf.set_stringn(area.x, area.y, msg, area.width as usize, theme.dim());
        return;
    }
    let xb = bounds(s.iter().flat_map(|x| x.3.iter().map(|p| p.0)));
    let yb = bounds(s.iter().flat_map(|x| x.3.iter().map(|p| p.1)));
    let style = |c: Color| if theme.color { Style::default().fg(c) } else { Style::default() };
    let datasets: Vec<Dataset> = s
        .iter()
        .map(|(name, c, g, pts)| Dataset::default().name(name.clone()).marker(Marker::Braille).graph_type(*g).style(style(*c)).data(pts))
        .collect();
    let (xt, yt) = match (kind, lang == Lang::Ko) {
        (ChartKind::Seq, true) => ("시간(초)", "상대 순서 번호"),
        (ChartKind::Seq, false) => ("time (s)", "relative seq"),
        (ChartKind::Throughput, true) => ("시간(초)", "바이트/초"),
        (ChartKind::Throughput, false) => ("time (s)", "bytes/s"),
        (ChartKind::Rtt | ChartKind::UdpJitter, true) => ("시간(초)", "ms"),
        (ChartKind::Rtt | ChartKind::UdpJitter, false) => ("time (s)", "ms"),
        (ChartKind::UdpRate, true) => ("시간(초)", "패킷/초"),
        (ChartKind::UdpRate, false) => ("time (s)", "packets/s"),
    };
    let axis = |title: &'static str, b: [f64; 2]| {
        let mid = (b[0] + b[1]) / 2.0;
        Axis::default()
            .title(title)
            .style(theme.dim())
            .bounds(b)
            .labels(vec![Span::raw(num(b[0])), Span::raw(num(mid)), Span::raw(num(b[1]))])
    };
    Chart::new(datasets).x_axis(axis(xt, xb)).y_axis(axis(yt, yb)).render(area, buf);
}
