//! Graphs of one conversation with ratatui's [`Chart`], from [`crate::analysis::series`]:
//! the tcptrace-style sequence number over time (client data, retransmissions in red, the
//! server's ACK line), throughput per interval each way, RTT samples over time; and for a UDP
//! flow packets per second and the RFC 3550 jitter each way.

use super::theme::Theme;
use crate::analysis::series::{TcpSeries, UdpSeries};
use crate::explain::{Lang, ui, ui_with};
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
    pub fn title(self, lang: Lang) -> String {
        let key = match self {
            ChartKind::Seq => "tui.chart.seq",
            ChartKind::Throughput => "tui.chart.throughput",
            ChartKind::Rtt => "tui.chart.rtt",
            ChartKind::UdpRate => "tui.chart.udp_rate",
            ChartKind::UdpJitter => "tui.chart.udp_jitter",
        };
        ui(key, lang)
    }
}

/// The series of one graph: (name, colour, graph type, points).
type Series = Vec<(String, Color, GraphType, Vec<(f64, f64)>)>;

/// The two directions of a conversation.
fn names(lang: Lang) -> [String; 2] {
    [ui("tui.chart.to_server", lang), ui("tui.chart.to_client", lang)]
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
            let [to_server, to_client] = &n;
            out.push((ui_with("tui.chart.data", lang, &[("dir", to_server)]), Color::LightCyan, GraphType::Scatter, data));
            out.push((ui_with("tui.chart.ack", lang, &[("dir", to_client)]), Color::LightGreen, GraphType::Line, acks));
            out.push((ui("tui.chart.retransmission", lang), Color::LightRed, GraphType::Scatter, re));
        }
        (ChartKind::Throughput, Some(s), _) => {
            let iv = interval_for(s.duration());
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                out.push((name.clone(), c, GraphType::Line, s.throughput(side, iv)));
            }
        }
        (ChartKind::Rtt, Some(s), _) => {
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                let pts = s.rtt[side].iter().map(|r| (r.t, r.rtt * 1e3)).collect();
                out.push((ui_with("tui.chart.rtt_series", lang, &[("dir", name)]), c, GraphType::Scatter, pts));
            }
        }
        (ChartKind::UdpRate, _, Some(u)) => {
            let iv = interval_for(u.duration()).max(0.1);
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                out.push((name.clone(), c, GraphType::Line, u.rates(side, iv).into_iter().map(|r| (r.0, r.1)).collect()));
            }
        }
        (ChartKind::UdpJitter, _, Some(u)) => {
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                out.push((name.clone(), c, GraphType::Line, u.jitter(side).into_iter().map(|(t, j)| (t, j * 1e3)).collect()));
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
        buf.set_stringn(area.x, area.y, ui("tui.chart.empty", lang), area.width as usize, theme.dim());
        return;
    }
    let xb = bounds(s.iter().flat_map(|x| x.3.iter().map(|p| p.0)));
    let yb = bounds(s.iter().flat_map(|x| x.3.iter().map(|p| p.1)));
    let style = |c: Color| if theme.color { Style::default().fg(c) } else { Style::default() };
    let datasets: Vec<Dataset> = s
        .iter()
        .map(|(name, c, g, pts)| Dataset::default().name(name.clone()).marker(Marker::Braille).graph_type(*g).style(style(*c)).data(pts))
        .collect();
    let xt = ui("tui.chart.axis.time", lang);
    let yt = match kind {
        ChartKind::Seq => ui("tui.chart.axis.seq", lang),
        ChartKind::Throughput => ui("tui.chart.axis.bytes_per_sec", lang),
        ChartKind::Rtt | ChartKind::UdpJitter => "ms".to_owned(),
        ChartKind::UdpRate => ui("tui.chart.axis.packets_per_sec", lang),
    };
    let axis = |title: String, b: [f64; 2]| {
        let mid = (b[0] + b[1]) / 2.0;
        Axis::default()
            .title(title)
            .style(theme.dim())
            .bounds(b)
            .labels(vec![Span::raw(num(b[0])), Span::raw(num(mid)), Span::raw(num(b[1]))])
    };
    Chart::new(datasets).x_axis(axis(xt, xb)).y_axis(axis(yt, yb)).render(area, buf);
}

// UDP flow statistics and TCP/UDP overhead views (analysis::udp_stats, analysis::overhead):
// `f.render_widget(UdpStatsView::new(&flow_stats, lang), area)`,
// `f.render_widget(OverheadChart::new(&overhead, lang), area)`.

use crate::analysis::overhead::Overhead;
use crate::analysis::udp_stats::UdpFlowStats;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};

/// One UDP flow: a summary line (packets, bytes, rates, jitter) and the size distribution.
pub struct UdpStatsView<'a> {
    s: &'a UdpFlowStats,
    lang: Lang,
}

impl<'a> UdpStatsView<'a> {
    pub fn new(s: &'a UdpFlowStats, lang: Lang) -> Self {
        UdpStatsView { s, lang }
    }

    /// The summary text shown above the bars.
    pub fn summary(&self) -> String {
        let s = self.s;
        let (pps, bps) = (format!("{:.1}", s.packets_per_sec()), format!("{:.0}", s.bytes_per_sec()));
        let (gap, jitter) = (format!("{:.3}", s.mean_iat * 1e3), format!("{:.3}", s.jitter * 1e3));
        let args: [(&str, &dyn std::fmt::Display); 6] =
            [("packets", &s.packets), ("bytes", &s.bytes), ("pps", &pps), ("bps", &bps), ("gap", &gap), ("jitter", &jitter)];
        ui_with("tui.chart.udp_summary", self.lang, &args)
    }
}

impl Widget for UdpStatsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let title = format!(" {} ", ui_with("tui.chart.udp_title", self.lang, &[("stream", &self.s.stream)]));
        let block = Block::default().borders(Borders::ALL).title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        let [top, bars] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
        Paragraph::new(self.summary()).wrap(ratatui::widgets::Wrap { trim: true }).render(top, buf);
        let labels: Vec<String> = (0..self.s.sizes.len()).map(UdpFlowStats::bucket_label).collect();
        let bars_v: Vec<Bar> = labels.iter().zip(self.s.sizes.iter()).map(|(l, &v)| Bar::default().label(Line::from(l.clone())).value(v)).collect();
        BarChart::default().data(BarGroup::default().bars(&bars_v)).bar_width(9).bar_gap(1).bar_style(Style::default().fg(Color::Cyan)).render(bars, buf);
    }
}

/// TCP versus UDP: header bytes and payload bytes side by side.
pub struct OverheadChart {
    o: Overhead,
    lang: Lang,
}

impl OverheadChart {
    pub fn new(o: &Overhead, lang: Lang) -> Self {
        OverheadChart { o: *o, lang }
    }
}

impl Widget for OverheadChart {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (h, p) = (ui("tui.chart.header", self.lang), ui("tui.chart.payload", self.lang));
        let (tcp, udp) = (format!("{:.1}", self.o.tcp.overhead_ratio() * 100.0), format!("{:.1}", self.o.udp.overhead_ratio() * 100.0));
        let title = format!(" {} ", ui_with("tui.chart.overhead_title", self.lang, &[("tcp", &tcp), ("udp", &udp)]));
        let group = |name: &'static str, c: crate::analysis::overhead::Counts| {
            BarGroup::default().label(Line::from(name)).bars(&[
                Bar::default().label(Line::from(h.clone())).value(c.header_bytes).style(Style::default().fg(Color::Yellow)),
                Bar::default().label(Line::from(p.clone())).value(c.payload_bytes).style(Style::default().fg(Color::Cyan)),
            ])
        };
        BarChart::default()
            .block(Block::default().borders(Borders::ALL).title(title))
            .data(group("TCP", self.o.tcp))
            .data(group("UDP", self.o.udp))
            .bar_width(8)
            .bar_gap(1)
            .group_gap(3)
            .render(area, buf);
    }
}

#[cfg(test)]
mod stats_view_tests {
    use super::*;
    use crate::analysis::overhead::Counts;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn text(w: u16, h: u16, draw: impl FnOnce(&mut ratatui::Frame)) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(draw).expect("draw");
        let buf = t.backend().buffer().clone();
        let mut s = String::new();
        for y in 0..h {
            let mut x = 0;
            while x < w {
                let sym = buf[(x, y)].symbol();
                s.push_str(sym);
                x += (unicode_width::UnicodeWidthStr::width(sym) as u16).max(1);
            }
            s.push('\n');
        }
        s
    }

    #[test]
    fn udp_and_overhead_views_render() {
        let mut st = UdpFlowStats::new(3);
        for i in 0..10 {
            st.push(i * 20_000_000, 200);
        }
        let s = text(110, 14, |f| f.render_widget(UdpStatsView::new(&st, Lang::Ko), f.area()));
        assert!(s.contains("UDP 스트림 3") && s.contains("패킷 10개") && s.contains("160-319"), "{s}");
        let o = Overhead {
            tcp: Counts { frames: 2, header_bytes: 108, transport_header_bytes: 40, payload_bytes: 92 },
            udp: Counts { frames: 1, header_bytes: 42, transport_header_bytes: 8, payload_bytes: 158 },
        };
        let s = text(60, 14, |f| f.render_widget(OverheadChart::new(&o, Lang::En), f.area()));
        assert!(s.contains("TCP 54.0%") && s.contains("UDP 21.0%"), "{s}");
        for (w, h) in [(1, 1), (4, 3), (10, 2)] {
            text(w, h, |f| f.render_widget(OverheadChart::new(&o, Lang::Ko), f.area()));
            text(w, h, |f| f.render_widget(OverheadChart::new(&Overhead::default(), Lang::En), f.area()));
            text(w, h, |f| f.render_widget(UdpStatsView::new(&st, Lang::En), f.area()));
        }
    }
}
