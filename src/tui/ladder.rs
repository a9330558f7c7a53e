//! The ladder (sequence) diagram of the selected frame's conversation (`L`), drawn from
//! [`crate::analysis::ladder`]: client and server as two columns, one arrow per segment,
//! flags coloured (SYN green, FIN/RST red, data cyan), analysis marks on the right (trouble
//! in red, RTT dimmed), the selected frame highlighted; `g` cycles the graphs of
//! [`super::charts`] (sequence over time, throughput, RTT; for a UDP flow packet rate and
//! jitter).
//!
//! The view is built once when opened: the frames of the stream are dissected again and
//! their stored verdicts ([`super::verdicts::Verdicts::frame_analysis`]) rebuilt, so the rows
//! are exactly what `pktlab stats ladder` prints. The graphs take only the frames the display
//! filter shows (its text goes in the title), timed from the stream's first frame.

use super::app::App;
use super::charts::{self, ChartKind, ChartState, ChartWidget, Plot};
use super::store::Store;
use super::theme::Theme;
use crate::analysis::analyzer::{TransportVerdict, ts_nanos};
use crate::analysis::ladder::{self, Dir, Ladder, LadderBuilder, Row};
use crate::analysis::series::{TcpSeries, UdpSeries};
use crate::analysis::tcp::{FIN, RST, SYN};
use crate::dissect::{Dissection, Dissector};
use crate::explain::Lang;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// At most this many segments are drawn (the rest of a huge stream is left out).
pub const MAX_ROWS: usize = 50_000;

/// What the `L` view shows.
#[derive(Clone, Debug, Default)]
pub struct LadderView {
    pub ladder: Option<Ladder>,
    pub tcp: Option<TcpSeries>,
    pub udp: Option<UdpSeries>,
    /// The graph shown instead of the diagram, if any.
    pub chart: Option<ChartKind>,
    /// More frames than [`MAX_ROWS`] belong to the stream.
    pub truncated: bool,
    /// The graph's direction, cursor and zoom.
    pub graph: ChartState,
    /// The display filter the graphs were built under (only its frames are in them).
    pub filter: Option<String>,
}

impl LadderView {
    /// Builds the view of the conversation of frame `selected` from the stored analysis;
    /// `shown` is the display filter hiding frames from the list, if any: (its text, the
    /// frames it shows, ascending).
    pub fn open(store: &Store, selected: Option<u64>, shown: Option<(&str, &[u32])>) -> LadderView {
        let v = store.verdicts();
        let Some(sel) = selected else { return LadderView::default() };
        let (tcp, udp) = (v.tcp_stream(sel), v.udp_stream(sel));
        if tcp.is_none() && udp.is_none() {
            return LadderView::default();
        }
        let frames: Vec<u64> = (1..=v.frames() as u64)
            .filter(|&n| match tcp {
                Some(s) => v.tcp_stream(n) == Some(s),
                None => v.udp_stream(n) == udp,
            })
            .take(MAX_ROWS + 1)
            .collect();
        let truncated = frames.len() > MAX_ROWS;
        let mut dissector = Dissector::new();
        let mut d = Dissection::default();
        let mut lb = tcp.map(LadderBuilder::new);
        // The graphs' clock starts at the stream's first frame, shown or not.
        let ts_of = |n: u64| store.meta(n).map(|m| ts_nanos(&m));
        let start = frames.first().and_then(|&n| ts_of(n)).unwrap_or(0);
        let end = frames[..frames.len().min(MAX_ROWS)].last().and_then(|&n| ts_of(n)).unwrap_or(start);
        let mut ts_series = tcp.map(|s| TcpSeries::starting_at(s, start));
        let mut us = udp.filter(|_| tcp.is_none()).map(|s| UdpSeries::starting_at(s, start));
        let shows = |n: u64| shown.is_none_or(|(_, m)| m.binary_search(&u32::try_from(n).unwrap_or(u32::MAX)).is_ok());
        for &n in frames.iter().take(MAX_ROWS) {
            let Some(meta) = store.meta(n) else { continue };
            dissector.dissect(&meta, store.frame_bytes(n), &mut d);
            let ts = ts_nanos(&meta);
            let Some(fa) = v.frame_analysis(n, ts, &d) else { continue };
            if let Some(b) = lb.as_mut() {
                b.push_frame(&fa);
            }
            if !shows(n) {
                continue;
            }
            if let Some(s) = ts_series.as_mut() {
                s.push_frame(&fa);
            }
            if let Some(s) = us.as_mut() {
                for (_, t) in &fa.layers {
                    if let TransportVerdict::Udp(u) = t {
                        s.push_frame(n, ts, u, meta.orig_len);
                    }
                }
            }
        }
        let chart = us.as_ref().map(|_| ChartKind::UdpRate);
        let graph = ChartState::open(ts_series.as_ref(), us.as_ref(), end.saturating_sub(start) as f64 / 1e9);
        let filter = shown.map(|(f, _)| f.to_owned());
        LadderView { ladder: lb.and_then(LadderBuilder::finish), tcp: ts_series, udp: us, chart, truncated, graph, filter }
    }

    /// The graph shown, as it is drawn (`lang` names its curves and values).
    pub fn plot(&self, lang: Lang) -> Option<Plot> {
        self.chart.map(|k| charts::plot(k, self.tcp.as_ref(), self.udp.as_ref(), &self.graph, lang))
    }

    /// The frame under the graph's cursor.
    pub fn cursor_frame(&self) -> Option<u64> {
        let p = self.plot(Lang::En)?;
        self.graph.cursor_index(&p).and_then(|i| p.samples[i].frame)
    }

    /// A graph key; false when it changed nothing.
    pub fn chart_key(&mut self, key: charts::ChartKey) -> bool {
        let Some(p) = self.plot(Lang::En) else { return false };
        self.graph.key(key, &p)
    }

    /// `g`: the next graph (the diagram comes back after the last one for TCP).
    pub fn cycle_chart(&mut self) {
        // The cursor keeps its time; the zoom and marks stay for the next graph.
        self.chart = if self.udp.is_some() {
            Some(match self.chart {
                Some(ChartKind::UdpRate) => ChartKind::UdpJitter,
                _ => ChartKind::UdpRate,
            })
        } else if self.tcp.is_some() {
            match self.chart {
                None => Some(ChartKind::Seq),
                Some(ChartKind::Seq) => Some(ChartKind::Throughput),
                Some(ChartKind::Throughput) => Some(ChartKind::Rtt),
                _ => None,
            }
        } else {
            None
        };
    }

    /// Index of `frame`'s row, to open the diagram with it in view.
    pub fn row_of(&self, frame: u64) -> Option<usize> {
        self.ladder.as_ref()?.rows.iter().position(|r| r.frame == frame)
    }
}

/// The diagram as a widget: `scroll` rows skipped, `selected` highlighted.
pub struct LadderWidget<'a> {
    pub ladder: &'a Ladder,
    pub scroll: usize,
    pub selected: Option<u64>,
    pub lang: Lang,
    pub theme: Theme,
}

fn fg(theme: Theme, c: Color) -> Style {
    if theme.color { Style::default().fg(c) } else { Style::default() }
}

/// Colour of a segment's arrow by its flags.
pub fn arrow_style(theme: Theme, r: &Row) -> Style {
    if r.tcp_flags & RST != 0 {
        fg(theme, Color::LightRed).add_modifier(Modifier::BOLD)
    } else if r.tcp_flags & SYN != 0 {
        fg(theme, Color::LightGreen).add_modifier(Modifier::BOLD)
    } else if r.tcp_flags & FIN != 0 {
        fg(theme, Color::LightMagenta).add_modifier(Modifier::BOLD)
    } else if r.len > 0 {
        fg(theme, Color::LightCyan)
    } else {
        fg(theme, Color::Gray)
    }
}

impl Widget for LadderWidget<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let span = ladder::span_for(area.width as usize);
        let head = crate::explain::ladder::header(self.ladder, span, self.lang);
        buf.set_line(area.x, area.y, &Line::styled(head, self.theme.header()), area.width);
        let rows = area.height.saturating_sub(1) as usize;
        for (i, r) in self.ladder.rows.iter().skip(self.scroll).take(rows).enumerate() {
            let mut spans = vec![
                Span::styled(format!("{:>10} {:>7}  ", ladder::fmt_secs(r.rel_ns), r.frame), self.theme.dim()),
                Span::styled(ladder::arrow(r.dir, &r.label(), span), arrow_style(self.theme, r)),
            ];
            for (k, m) in r.marks.iter().enumerate() {
                let style = if m.is_problem() { self.theme.error().add_modifier(Modifier::BOLD) } else { self.theme.dim() };
                spans.push(Span::raw(if k == 0 { "  " } else { ", " }));
                spans.push(Span::styled(crate::explain::ladder::mark_label(*m, self.lang), style));
            }
            let mut line = Line::from(spans);
            if Some(r.frame) == self.selected {
                line = line.patch_style(self.theme.cursor(true));
            }
            let y = area.y + 1 + i as u16;
            if Some(r.frame) == self.selected {
                buf.set_style(Rect { x: area.x, y, width: area.width, height: 1 }, self.theme.cursor(true));
            }
            buf.set_line(area.x, y, &line, area.width);
        }
    }
}

/// Which way the arrow of frame `frame` points, for tests and the status line.
pub fn direction(l: &Ladder, frame: u64) -> Option<Dir> {
    l.rows.iter().find(|r| r.frame == frame).map(|r| r.dir)
}

/// Draws the `L` view (called by [`super::stream_view::render`]).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let l = app.labels();
    let theme = app.theme;
    let lang = app.lang;
    let view = &app.stream.view;
    let title = match (&view.ladder, &view.udp, view.chart) {
        (_, _, Some(c)) => {
            let filter = view.filter.as_deref().map(|f| format!(" · {}", crate::explain::ui_with("tui.chart.filtered", lang, &[("filter", &f)]))).unwrap_or_default();
            let dir = if view.tcp.is_some() { format!(" · {}", charts::direction_name(view.graph.side, lang)) } else { String::new() };
            format!(" {}{dir}{filter} (g, Esc) ", c.title(lang))
        }
        (Some(ld), _, None) => {
            let more = if view.truncated { format!(" +{}", MAX_ROWS) } else { String::new() };
            let args: [(&str, &dyn std::fmt::Display); 3] = [("stream", &ld.stream), ("segments", &ld.rows.len()), ("more", &more)];
            format!(" {} ", crate::explain::ui_with("tui.ladder_title", lang, &args))
        }
        _ => format!(" {} (Esc) ", l.stream_title),
    };
    let block = Block::default().borders(Borders::ALL).title(title).title_style(theme.header());
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if let Some(p) = view.plot(lang) {
        ChartWidget { plot: &p, state: &view.graph, lang, theme, cursor: true }.render(inner, buf);
        return;
    }
    let Some(ld) = view.ladder.as_ref() else {
        buf.set_stringn(inner.x, inner.y, l.no_stream, inner.width as usize, theme.dim());
        return;
    };
    let rows = inner.height.saturating_sub(1) as usize;
    let scroll = app.stream.scroll.min(ld.rows.len().saturating_sub(rows));
    LadderWidget { ladder: ld, scroll, selected: app.selected_frame(), lang, theme }.render(inner, buf);
}
