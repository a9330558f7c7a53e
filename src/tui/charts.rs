//! Graphs of one conversation with ratatui's [`Chart`], from [`crate::analysis::series`], one
//! direction at a time (`d` switches, as in Wireshark's stream graphs):
//!
//! - **sequence over time** (Stevens/tcptrace): the direction's segments (retransmissions in
//!   red), the peer's ACK line and its receive window line (ACK + window) as steps;
//! - **throughput**: payload bytes per second in intervals (about 60 over the range shown),
//!   with the range's average drawn and printed;
//! - **RTT**: each `tcp.analysis.ack_rtt` sample of the ACKs to that direction's data, and
//!   SRTT, RTTVAR and RTO computed by RFC 6298's formula ([`crate::analysis::rto`]);
//! - for a UDP flow, packets per second and the RFC 3550 jitter of both directions.
//!
//! Time counts from the stream's first frame. A cursor steps over the samples (`h`/`l`) and
//! the readout line under the graph gives its time, values and frame; `[` and `]` mark a
//! range, `z` zooms to it, `+`/`-` zoom around the cursor, `Z` (or Esc) shows it all again.
//! The graph is built from [`ChartState`] at each draw: nothing here holds on to a layout.

use super::theme::Theme;
use crate::analysis::rto::Rfc6298;
use crate::analysis::series::{TcpSeries, UdpSeries, bucket};
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

/// What the numbers of an axis count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Seconds, shown as s, ms or µs.
    Seconds,
    /// Bytes, shown as B, kB or MB (1 kB = 1000 B).
    Bytes,
    BytesPerSec,
    PacketsPerSec,
}

/// One line or set of points of a graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub name: String,
    pub color: Color,
    pub graph: GraphType,
    pub points: Vec<(f64, f64)>,
    /// Whether the y axis stretches to show it all; a curve far above the others (the RFC's
    /// 1-second RTO over microsecond RTTs) is drawn where it fits and its legend says so.
    pub fits: bool,
}

/// A point the cursor stops at.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// Seconds since the stream's first frame.
    pub t: f64,
    pub y: f64,
    /// The frame to go to with Enter.
    pub frame: Option<u64>,
    /// The values at this point, for the readout line.
    pub text: String,
}

/// A graph ready to draw: its curves, the cursor's stops and the x range shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    pub curves: Vec<Curve>,
    /// In time order, within `range`.
    pub samples: Vec<Sample>,
    pub unit: Unit,
    pub y_title: String,
    /// The x range shown, seconds.
    pub range: [f64; 2],
    /// Whether the y axis starts at 0 (a zoomed sequence graph fits the numbers shown).
    pub from_zero: bool,
}

/// The graph's state: which direction, the cursor, the range marks and the zoom.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartState {
    /// 0 = client→server, 1 = server→client (the direction whose data is drawn).
    pub side: usize,
    /// The cursor: the time and frame of its sample (the nearest sample is read out when
    /// the graph changes under it); None: the first sample.
    pub cursor: Option<(f64, Option<u64>)>,
    /// Range start and end set with `[` and `]`.
    pub marks: [Option<f64>; 2],
    /// The x range zoomed to; None: the stream's whole span.
    pub zoom: Option<[f64; 2]>,
    /// Seconds from the stream's first frame to its last (the x axis when not zoomed).
    pub span: f64,
}

/// What a key did to the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKey {
    Left,
    Right,
    First,
    Last,
    MarkStart,
    MarkEnd,
    ZoomToMarks,
    ZoomIn,
    ZoomOut,
    Reset,
    Direction,
}

impl ChartState {
    /// The state a graph opens with: the direction that carries more data (TCP) or more
    /// datagrams (UDP), over `span` seconds.
    pub fn open(tcp: Option<&TcpSeries>, udp: Option<&UdpSeries>, span: f64) -> ChartState {
        let side = match (tcp, udp) {
            (Some(s), _) => {
                let sum = |i: usize| s.bytes[i].iter().map(|b| u64::from(b.1)).sum::<u64>();
                usize::from(sum(1) > sum(0))
            }
            (None, Some(u)) => usize::from(u.packets[1].len() > u.packets[0].len()),
            _ => 0,
        };
        ChartState { side, span: if span.is_finite() { span.max(0.0) } else { 0.0 }, ..ChartState::default() }
    }

    /// The x range shown.
    pub fn range(&self) -> [f64; 2] {
        match self.zoom {
            Some([a, b]) if b > a => [a, b],
            _ => [0.0, if self.span > 0.0 { self.span } else { 1e-3 }],
        }
    }

    /// The index of the sample under the cursor in `plot.samples`.
    pub fn cursor_index(&self, plot: &Plot) -> Option<usize> {
        let s = &plot.samples;
        if s.is_empty() {
            return None;
        }
        let Some((t, frame)) = self.cursor else { return Some(0) };
        let i = s.partition_point(|p| p.t < t);
        // Samples at the same instant (a burst) are told apart by their frame.
        if let Some(k) = s[i..].iter().take_while(|p| p.t == t).position(|p| p.frame == frame) {
            return Some(i + k);
        }
        [i.checked_sub(1), Some(i).filter(|&i| i < s.len())]
            .into_iter()
            .flatten()
            .min_by(|&a, &b| (s[a].t - t).abs().total_cmp(&(s[b].t - t).abs()).then(a.cmp(&b)))
    }

    /// Applies a key; `plot` is the graph as drawn now (its samples are the cursor's stops).
    /// Returns false when the key changed nothing (Esc with nothing zoomed closes the view).
    pub fn key(&mut self, key: ChartKey, plot: &Plot) -> bool {
        let at = self.cursor_index(plot);
        let t_at = at.map(|i| plot.samples[i].t);
        let last = plot.samples.len().saturating_sub(1);
        let move_to = |i: usize| plot.samples.get(i).map(|p| (p.t, p.frame));
        match key {
            ChartKey::Left => self.cursor = at.and_then(|i| move_to(i.saturating_sub(1))).or(self.cursor),
            ChartKey::Right => self.cursor = at.and_then(|i| move_to((i + 1).min(last))).or(self.cursor),
            ChartKey::First => self.cursor = move_to(0).or(self.cursor),
            ChartKey::Last => self.cursor = move_to(last).or(self.cursor),
            ChartKey::MarkStart => self.marks[0] = t_at,
            ChartKey::MarkEnd => self.marks[1] = t_at,
            ChartKey::ZoomToMarks => match self.marks {
                [Some(a), Some(b)] if a != b => {
                    self.zoom = Some([a.min(b), a.max(b)]);
                    self.marks = [None, None];
                }
                _ => return false,
            },
            ChartKey::ZoomIn | ChartKey::ZoomOut => {
                let [a, b] = self.range();
                let full = [0.0, if self.span > 0.0 { self.span } else { 1e-3 }];
                let w = if key == ChartKey::ZoomIn { (b - a) / 2.0 } else { (b - a) * 2.0 };
                if w >= full[1] - full[0] {
                    self.zoom = None;
                } else {
                    // Around the cursor, kept inside the stream's span.
                    let c = t_at.unwrap_or((a + b) / 2.0);
                    let lo = (c - w / 2.0).clamp(full[0], full[1] - w);
                    self.zoom = Some([lo, lo + w]);
                }
            }
            ChartKey::Reset => {
                if self.zoom.is_none() && self.marks == [None, None] {
                    return false;
                }
                self.zoom = None;
                self.marks = [None, None];
            }
            ChartKey::Direction => {
                self.side = 1 - self.side.min(1);
                self.cursor = None;
            }
        }
        true
    }
}

/// The two directions of a conversation.
fn names(lang: Lang) -> [String; 2] {
    [ui("tui.chart.to_server", lang), ui("tui.chart.to_client", lang)]
}

/// The name of direction `side` (0 client→server, 1 server→client).
pub fn direction_name(side: usize, lang: Lang) -> String {
    names(lang)[side.min(1)].clone()
}

/// Interval for rate graphs over a range `width` seconds wide: about 60 buckets, at least
/// 1 µs.
fn interval_in(width: f64) -> f64 {
    (width / 60.0).max(1e-6)
}

fn inside(r: [f64; 2], t: f64) -> bool {
    t >= r[0] && t <= r[1]
}

/// `(t, value)` points as steps: each value holds until the next one.
fn steps(points: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (t, v) in points {
        if let Some(&(_, prev)) = out.last() {
            out.push((t, prev));
        }
        out.push((t, v));
    }
    out
}

/// Buckets of `interval` seconds over `range` of `(t, value, frame)` points: (start, sum,
/// count, first frame).
fn buckets(points: &[(f64, f64, u64)], range: [f64; 2], interval: f64) -> Vec<(f64, f64, u64, Option<u64>)> {
    let inr: Vec<&(f64, f64, u64)> = points.iter().filter(|p| inside(range, p.0)).collect();
    let sums = bucket(inr.iter().map(|p| (p.0 - range[0], p.1)), range[1] - range[0], interval);
    let mut first: Vec<Option<u64>> = vec![None; sums.len()];
    for p in &inr {
        let i = (((p.0 - range[0]) / interval).floor() as usize).min(sums.len().saturating_sub(1));
        if let Some(f) = first.get_mut(i)
            && f.is_none()
            && p.2 != 0
        {
            *f = Some(p.2);
        }
    }
    sums.into_iter().zip(first).map(|((t, sum, n), f)| (t + range[0], sum, n, f)).collect()
}

/// The graph `kind` of the series, for `state`.
pub fn plot(kind: ChartKind, tcp: Option<&TcpSeries>, udp: Option<&UdpSeries>, state: &ChartState, lang: Lang) -> Plot {
    let n = names(lang);
    let range = state.range();
    let (d, r) = (state.side.min(1), 1 - state.side.min(1));
    let mut curves = Vec::new();
    let mut samples = Vec::new();
    let curve = |name: String, color, graph, points, fits| Curve { name, color, graph, points, fits };
    let (unit, y_title) = match (kind, tcp, udp) {
        (ChartKind::Seq, Some(s), _) => {
            let mine: Vec<_> = s.seq[d].iter().filter(|p| inside(range, p.t)).collect();
            let data = mine.iter().filter(|p| !p.retransmission).map(|p| (p.t, p.end as f64)).collect();
            let re = mine.iter().filter(|p| p.retransmission).map(|p| (p.t, p.end as f64)).collect();
            let peer: Vec<_> = s.seq[r].iter().filter(|p| p.ack.is_some()).collect();
            // The peer's last ACK before the range starts holds at its left edge.
            let from = peer.partition_point(|p| p.t < range[0]).saturating_sub(1);
            let shown = || peer[from.min(peer.len())..].iter().filter(|p| p.t <= range[1]).map(|p| (p.t.max(range[0]), p));
            let acks = steps(shown().map(|(t, p)| (t, p.ack.unwrap_or(0) as f64)));
            let win = steps(shown().map(|(t, p)| (t, p.ack.unwrap_or(0) as f64 + p.window as f64)));
            curves.push(curve(ui_with("tui.chart.data", lang, &[("dir", &n[d])]), Color::LightCyan, GraphType::Scatter, data, true));
            curves.push(curve(ui_with("tui.chart.ack", lang, &[("dir", &n[r])]), Color::LightGreen, GraphType::Line, acks, true));
            curves.push(curve(ui_with("tui.chart.window", lang, &[("dir", &n[r])]), Color::Yellow, GraphType::Line, win, false));
            curves.push(curve(ui("tui.chart.retransmission", lang), Color::LightRed, GraphType::Scatter, re, true));
            for (i, p) in s.seq[d].iter().enumerate().filter(|(_, p)| inside(range, p.t)) {
                let len = s.bytes[d].get(i).map_or(0, |b| b.1);
                let ack = peer[..peer.partition_point(|q| q.t <= p.t)].last();
                let mut text = ui_with("tui.chart.read.seq", lang, &[("seq", &p.seq), ("len", &len)]);
                if let Some(a) = ack {
                    let (ack, win) = (a.ack.unwrap_or(0), a.window);
                    text.push_str(" · ");
                    text.push_str(&ui_with("tui.chart.read.peer_ack", lang, &[("ack", &ack), ("win", &win)]));
                }
                if p.retransmission {
                    text.push_str(&format!(" · {}", ui("tui.chart.retransmission", lang)));
                }
                samples.push(Sample { t: p.t, y: p.end as f64, frame: Some(p.frame), text });
            }
            (Unit::Bytes, ui("tui.chart.axis.seq", lang))
        }
        (ChartKind::Throughput, Some(s), _) => {
            let iv = interval_in(range[1] - range[0]);
            let pts: Vec<(f64, f64, u64)> =
                s.bytes[d].iter().zip(&s.seq[d]).map(|(b, p)| (b.0, f64::from(b.1), p.frame)).collect();
            let bs = buckets(&pts, range, iv);
            let rates: Vec<(f64, f64)> = bs.iter().map(|b| (b.0, b.1 / iv)).collect();
            let total: f64 = bs.iter().map(|b| b.1).sum();
            let avg = if bs.is_empty() { 0.0 } else { total / (bs.len() as f64 * iv) };
            let avg_text = fmt_value(avg, Unit::BytesPerSec);
            curves.push(curve(n[d].clone(), Color::LightCyan, GraphType::Line, rates, true));
            let flat = if bs.iter().all(|b| b.2 == 0) { Vec::new() } else { vec![(range[0], avg), (range[1], avg)] };
            curves.push(curve(ui_with("tui.chart.average", lang, &[("avg", &avg_text)]), Color::LightMagenta, GraphType::Line, flat, true));
            let iv_text = fmt_value(iv, Unit::Seconds);
            for (t, sum, count, frame) in bs {
                let rate = fmt_value(sum / iv, Unit::BytesPerSec);
                let args: [(&str, &dyn std::fmt::Display); 4] = [("rate", &rate), ("bytes", &sum), ("segments", &count), ("interval", &iv_text)];
                samples.push(Sample { t, y: sum / iv, frame, text: ui_with("tui.chart.read.throughput", lang, &args) });
            }
            (Unit::BytesPerSec, ui("tui.chart.axis.bytes_per_sec", lang))
        }
        (ChartKind::Rtt, Some(s), _) => {
            // The ACKs of the peer measure this direction's data.
            let acks = &s.rtt[r];
            let est = Rfc6298::default().run(acks.iter().map(|p| p.rtt));
            let both: Vec<_> = acks.iter().zip(&est).filter(|(p, _)| inside(range, p.t)).collect();
            let pick = |f: fn(&crate::analysis::rto::RtoEstimate) -> f64| both.iter().map(|(p, e)| (p.t, f(e))).collect::<Vec<_>>();
            curves.push(curve(ui_with("tui.chart.rtt_series", lang, &[("dir", &n[r])]), Color::LightCyan, GraphType::Scatter, pick(|e| e.rtt), true));
            curves.push(curve(ui("tui.chart.srtt", lang), Color::LightGreen, GraphType::Line, steps(pick(|e| e.srtt).into_iter()), true));
            curves.push(curve(ui("tui.chart.rttvar", lang), Color::LightMagenta, GraphType::Line, steps(pick(|e| e.rttvar).into_iter()), true));
            curves.push(curve(ui("tui.chart.rto", lang), Color::LightRed, GraphType::Line, steps(pick(|e| e.rto).into_iter()), false));
            for (p, e) in &both {
                let v = |x: f64| fmt_value(x, Unit::Seconds);
                let (rtt, srtt, var, rto) = (v(e.rtt), v(e.srtt), v(e.rttvar), v(e.rto));
                let args: [(&str, &dyn std::fmt::Display); 4] = [("rtt", &rtt), ("srtt", &srtt), ("rttvar", &var), ("rto", &rto)];
                samples.push(Sample { t: p.t, y: e.rtt, frame: Some(p.frame), text: ui_with("tui.chart.read.rtt", lang, &args) });
            }
            (Unit::Seconds, "RTT".to_owned())
        }
        (ChartKind::UdpRate, _, Some(u)) => {
            let iv = interval_in(range[1] - range[0]).max(if state.zoom.is_none() { 0.1 } else { 0.0 });
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                let pts: Vec<(f64, f64, u64)> =
                    u.packets[side].iter().enumerate().map(|(i, p)| (p.0, f64::from(p.1), u.frames[side].get(i).copied().unwrap_or(0))).collect();
                let bs = buckets(&pts, range, iv);
                curves.push(curve(name.clone(), c, GraphType::Line, bs.iter().map(|b| (b.0, b.2 as f64 / iv)).collect(), true));
                if side == d {
                    for (t, sum, count, frame) in bs {
                        let (pps, bps) = (fmt_value(count as f64 / iv, Unit::PacketsPerSec), fmt_value(sum / iv, Unit::BytesPerSec));
                        let text = ui_with("tui.chart.read.udp_rate", lang, &[("dir", name), ("pps", &pps), ("bps", &bps)]);
                        samples.push(Sample { t, y: count as f64 / iv, frame, text });
                    }
                }
            }
            (Unit::PacketsPerSec, ui("tui.chart.axis.packets_per_sec", lang))
        }
        (ChartKind::UdpJitter, _, Some(u)) => {
            for (side, name) in n.iter().enumerate() {
                let c = if side == 0 { Color::LightCyan } else { Color::LightYellow };
                // Jitter point i comes with datagram i + 2 (two gaps make one change).
                let j: Vec<(usize, (f64, f64))> = u.jitter(side).into_iter().enumerate().filter(|(_, p)| inside(range, p.0)).collect();
                curves.push(curve(name.clone(), c, GraphType::Line, j.iter().map(|x| x.1).collect(), true));
                if side == d {
                    for (i, (t, v)) in j {
                        let frame = u.frames[side].get(i + 2).copied().filter(|&f| f != 0);
                        let jitter = fmt_value(v, Unit::Seconds);
                        let text = ui_with("tui.chart.read.jitter", lang, &[("dir", name), ("jitter", &jitter)]);
                        samples.push(Sample { t, y: v, frame, text });
                    }
                }
            }
            (Unit::Seconds, ui("tui.chart.axis.jitter", lang))
        }
        _ => (Unit::Seconds, String::new()),
    };
    samples.sort_by(|a, b| a.t.total_cmp(&b.t));
    let from_zero = !(kind == ChartKind::Seq && state.zoom.is_some());
    Plot { curves, samples, unit, y_title, range, from_zero }
}

/// A value with its unit, precise enough for a readout.
pub fn fmt_value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Seconds => {
            let a = v.abs();
            if a == 0.0 {
                "0 s".to_owned()
            } else if a < 1e-3 {
                format!("{:.1} µs", v * 1e6)
            } else if a < 1.0 {
                format!("{:.3} ms", v * 1e3)
            } else {
                format!("{v:.3} s")
            }
        }
        Unit::Bytes | Unit::BytesPerSec => {
            let per = if unit == Unit::BytesPerSec { "/s" } else { "" };
            let a = v.abs();
            if a >= 1e6 {
                format!("{:.2} MB{per}", v / 1e6)
            } else if a >= 1e3 {
                format!("{:.1} kB{per}", v / 1e3)
            } else {
                format!("{v:.0} B{per}")
            }
        }
        Unit::PacketsPerSec => format!("{v:.1} pkt/s"),
    }
}

/// Decimals that tell apart ticks `step` apart, in a unit of `scale`.
fn decimals(step: f64, scale: f64) -> usize {
    let s = (step / scale).abs();
    if s >= 1.0 || s == 0.0 || !s.is_finite() { 0 } else { ((-s.log10()).ceil() as usize).min(6) }
}

/// Tick labels: `n` values evenly spread over `b`, in one unit chosen for the largest, each
/// within a tenth of a step of its place.
pub fn ticks(b: [f64; 2], n: usize, unit: Unit) -> Vec<String> {
    let n = n.max(2);
    let step = (b[1] - b[0]) / (n - 1) as f64 / 10.0;
    let top = b[0].abs().max(b[1].abs());
    let (scale, suffix) = match unit {
        Unit::Seconds if top < 1e-3 => (1e-6, "µs"),
        Unit::Seconds if top < 1.0 => (1e-3, "ms"),
        Unit::Seconds => (1.0, "s"),
        Unit::Bytes | Unit::BytesPerSec => {
            let per = if unit == Unit::BytesPerSec { "/s" } else { "" };
            let (scale, u) = if top >= 1e6 { (1e6, "MB") } else if top >= 1e3 { (1e3, "kB") } else { (1.0, "B") };
            return (0..n).map(|i| format!("{:.*}{u}{per}", decimals(step, scale), (b[0] + step * 10.0 * i as f64) / scale)).collect();
        }
        Unit::PacketsPerSec => (1.0, "/s"),
    };
    let dec = decimals(step, scale);
    (0..n).map(|i| format!("{:.*}{suffix}", dec, (b[0] + step * 10.0 * i as f64) / scale)).collect()
}

/// The y range of the curves that fit (from 0 unless a value is below it).
fn y_bounds(curves: &[Curve], from_zero: bool) -> [f64; 2] {
    let (mut lo, mut hi) = (if from_zero { 0.0f64 } else { f64::INFINITY }, f64::NEG_INFINITY);
    for v in curves.iter().filter(|c| c.fits).flat_map(|c| c.points.iter().map(|p| p.1)).filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    // A curve that does not stretch the axis still does when it stays near the others.
    let near = |c: &Curve| c.points.iter().map(|p| p.1).filter(|v| v.is_finite()).fold(f64::NEG_INFINITY, f64::max);
    for c in curves.iter().filter(|c| !c.fits) {
        let top = near(c);
        if top.is_finite() && (!hi.is_finite() || top <= hi * 1.5) {
            hi = hi.max(top);
        }
    }
    if !lo.is_finite() {
        lo = 0.0;
    }
    if !hi.is_finite() || hi <= lo {
        let w = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1e-3 };
        return [lo, lo + w.max(1e-9)];
    }
    [lo, hi]
}

/// Draws graph `kind` with its default state into `area` (no cursor line, no readout).
pub fn render(kind: ChartKind, tcp: Option<&TcpSeries>, udp: Option<&UdpSeries>, lang: Lang, theme: Theme, area: Rect, buf: &mut Buffer) {
    let span = tcp.map(TcpSeries::duration).or(udp.map(UdpSeries::duration)).unwrap_or(0.0);
    let state = ChartState::open(tcp, udp, span);
    let p = plot(kind, tcp, udp, &state, lang);
    ChartWidget { plot: &p, state: &state, lang, theme, cursor: false }.render(area, buf);
}

/// A graph with its legend above, and (with `cursor`) the cursor line, its readout and the
/// key hint below.
pub struct ChartWidget<'a> {
    pub plot: &'a Plot,
    pub state: &'a ChartState,
    pub lang: Lang,
    pub theme: Theme,
    pub cursor: bool,
}

impl ChartWidget<'_> {
    /// The readout line: the cursor's time, frame and values.
    pub fn readout(&self) -> String {
        let lang = self.lang;
        match self.state.cursor_index(self.plot).map(|i| &self.plot.samples[i]) {
            Some(p) => {
                let t = format!("{:.6}", p.t);
                match p.frame {
                    Some(f) => ui_with("tui.chart.readout", lang, &[("t", &t), ("values", &p.text), ("frame", &f)]),
                    None => ui_with("tui.chart.readout_no_frame", lang, &[("t", &t), ("values", &p.text)]),
                }
            }
            None => ui("tui.chart.empty", lang),
        }
    }

    /// The line under the readout: the range marks and the zoom, if any, then the keys.
    pub fn hint(&self) -> String {
        let lang = self.lang;
        let mut s = String::new();
        let f = |v: Option<f64>| v.map_or_else(|| "…".to_owned(), |t| format!("{t:.6}"));
        if self.state.marks != [None, None] {
            let (a, b) = (f(self.state.marks[0]), f(self.state.marks[1]));
            s.push_str(&ui_with("tui.chart.marks", lang, &[("start", &a), ("end", &b)]));
            s.push_str(" · ");
        }
        if let Some([a, b]) = self.state.zoom {
            let (a, b) = (format!("{a:.6}"), format!("{b:.6}"));
            s.push_str(&ui_with("tui.chart.zoomed", lang, &[("start", &a), ("end", &b)]));
            s.push_str(" · ");
        }
        s + &ui("tui.chart.hint", lang)
    }

    /// The legend's entries: (marker, name, colour).
    fn legend(&self, hi: f64) -> Vec<(String, Color)> {
        self.plot
            .curves
            .iter()
            .map(|c| {
                let mark = if c.graph == GraphType::Scatter { "•" } else { "─" };
                let top = c.points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
                let above = if top > hi * 1.000_001 {
                    format!(" {}", ui_with("tui.chart.above", self.lang, &[("max", &fmt_value(top, self.plot.unit))]))
                } else {
                    String::new()
                };
                (format!("{mark} {}{above}", c.name), c.color)
            })
            .collect()
    }
}

impl Widget for ChartWidget<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let style = |c: Color| if self.theme.color { Style::default().fg(c) } else { Style::default() };
        let p = self.plot;
        let yb = y_bounds(&p.curves, p.from_zero);
        // Legend: as many lines as it needs, at most two.
        let entries = self.legend(yb[1]);
        let mut lines: Vec<Vec<(String, Color)>> = vec![Vec::new()];
        let mut used = 0usize;
        for (text, c) in entries {
            let w = super::text::width(&text) + 2;
            if used > 0 && used + w > area.width as usize && lines.len() < 2 {
                lines.push(Vec::new());
                used = 0;
            }
            used += w;
            if let Some(l) = lines.last_mut() {
                l.push((text, c));
            }
        }
        let below = if self.cursor { 2 } else { 0 };
        let legend_rows = lines.len() as u16;
        if area.height < legend_rows + below + 3 {
            buf.set_stringn(area.x, area.y, ui("tui.too_small", self.lang), area.width as usize, self.theme.dim());
            return;
        }
        for (row, l) in lines.iter().enumerate() {
            let spans: Vec<Span> = l.iter().flat_map(|(t, c)| [Span::styled(t.clone(), style(*c)), Span::raw("  ")]).collect();
            buf.set_line(area.x, area.y + row as u16, &ratatui::text::Line::from(spans), area.width);
        }
        let chart_area = Rect { y: area.y + legend_rows, height: area.height - legend_rows - below, ..area };
        if self.cursor {
            let y = area.y + area.height - 2;
            buf.set_stringn(area.x, y, self.readout(), area.width as usize, self.theme.header());
            buf.set_stringn(area.x, y + 1, self.hint(), area.width as usize, self.theme.dim());
        }
        if p.samples.is_empty() && p.curves.iter().all(|c| c.points.is_empty()) {
            buf.set_stringn(chart_area.x, chart_area.y, ui("tui.chart.empty", self.lang), chart_area.width as usize, self.theme.dim());
            return;
        }
        let xb = p.range;
        let cursor_at = self.state.cursor_index(p).filter(|_| self.cursor).map(|i| &p.samples[i]);
        let mut extra: Vec<(Vec<(f64, f64)>, Color)> = Vec::new();
        for m in self.state.marks.iter().flatten().filter(|t| inside(xb, **t)) {
            extra.push((vec![(*m, yb[0]), (*m, yb[1])], Color::Gray));
        }
        if let Some(c) = cursor_at {
            extra.push((vec![(c.t, yb[0]), (c.t, yb[1])], Color::White));
        }
        let mut datasets: Vec<Dataset> =
            p.curves.iter().map(|c| Dataset::default().marker(Marker::Braille).graph_type(c.graph).style(style(c.color)).data(&c.points)).collect();
        for (pts, c) in &extra {
            datasets.push(Dataset::default().marker(Marker::Braille).graph_type(GraphType::Line).style(style(*c)).data(pts));
        }
        let cursor_dot = cursor_at.map(|c| [(c.t, c.y)]);
        if let Some(dot) = cursor_dot.as_ref() {
            datasets.push(Dataset::default().marker(Marker::Block).graph_type(GraphType::Scatter).style(style(Color::White)).data(dot));
        }
        let nx = (chart_area.width / 16).clamp(2, 6) as usize;
        let ny = (chart_area.height / 4).clamp(2, 6) as usize;
        let axis = |title: String, b: [f64; 2], n: usize, unit: Unit| {
            Axis::default().title(title).style(self.theme.dim()).bounds(b).labels(ticks(b, n, unit).into_iter().map(Span::raw).collect::<Vec<_>>())
        };
        Chart::new(datasets)
            .x_axis(axis(ui("tui.chart.axis.time", self.lang), xb, nx, Unit::Seconds))
            .y_axis(axis(p.y_title.clone(), yb, ny, p.unit))
            .render(chart_area, buf);
    }
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

#[cfg(test)]
mod graph_tests {
    use super::*;

    #[test]
    fn tick_labels_carry_units_and_enough_decimals() {
        assert_eq!(ticks([0.0, 120_002.0], 5, Unit::Bytes), ["0kB", "30kB", "60kB", "90kB", "120kB"]);
        assert_eq!(ticks([0.0, 0.0139], 4, Unit::Seconds), ["0.0ms", "4.6ms", "9.3ms", "13.9ms"]);
        assert_eq!(ticks([0.0, 232e-6], 4, Unit::Seconds), ["0µs", "77µs", "155µs", "232µs"]);
        assert_eq!(ticks([0.0, 3.2], 3, Unit::Seconds), ["0.0s", "1.6s", "3.2s"]);
        assert_eq!(ticks([0.0, 186.6e6], 4, Unit::BytesPerSec), ["0MB/s", "62MB/s", "124MB/s", "187MB/s"]);
        assert_eq!(ticks([0.0, 20.0], 2, Unit::PacketsPerSec), ["0/s", "20/s"]);
        assert_eq!(ticks([0.0, 512.0], 1, Unit::Bytes).len(), 2, "at least both ends");
    }

    #[test]
    fn values_read_out_in_their_unit() {
        assert_eq!(fmt_value(24e-6, Unit::Seconds), "24.0 µs");
        assert_eq!(fmt_value(0.040_123, Unit::Seconds), "40.123 ms");
        assert_eq!(fmt_value(1.0, Unit::Seconds), "1.000 s");
        assert_eq!(fmt_value(0.0, Unit::Seconds), "0 s");
        assert_eq!(fmt_value(9_100_000.0, Unit::BytesPerSec), "9.10 MB/s");
        assert_eq!(fmt_value(1448.0, Unit::Bytes), "1.4 kB");
        assert_eq!(fmt_value(999.0, Unit::Bytes), "999 B");
        assert_eq!(fmt_value(20.0, Unit::PacketsPerSec), "20.0 pkt/s");
    }

    fn plot_of(ts: &[f64]) -> Plot {
        let samples = ts.iter().enumerate().map(|(i, &t)| Sample { t, y: 0.0, frame: Some(i as u64 + 1), text: String::new() }).collect();
        Plot { curves: Vec::new(), samples, unit: Unit::Bytes, y_title: String::new(), range: [0.0, 1.0], from_zero: true }
    }

    #[test]
    fn cursor_steps_through_equal_times_and_zoom_stays_in_the_span() {
        // Three segments in the same microsecond: the cursor still visits each.
        let p = plot_of(&[0.0, 0.5, 0.5, 0.5, 1.0]);
        let mut s = ChartState { span: 1.0, ..ChartState::default() };
        let mut seen = Vec::new();
        for _ in 0..5 {
            seen.push(s.cursor_index(&p));
            s.key(ChartKey::Right, &p);
        }
        assert_eq!(seen, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(s.cursor_index(&p), Some(4), "stops at the last");
        // + halves the range around the cursor, kept inside 0..span; - undoes it.
        s.key(ChartKey::ZoomIn, &p);
        assert_eq!(s.range(), [0.5, 1.0]);
        s.key(ChartKey::ZoomOut, &p);
        assert_eq!((s.zoom, s.range()), (None, [0.0, 1.0]));
        // z needs two different marks; Reset says when there was nothing to undo.
        assert!(!s.key(ChartKey::ZoomToMarks, &p));
        s.key(ChartKey::MarkEnd, &p);
        s.key(ChartKey::First, &p);
        s.key(ChartKey::MarkStart, &p);
        assert!(s.key(ChartKey::ZoomToMarks, &p));
        assert_eq!((s.zoom, s.marks), (Some([0.0, 1.0]), [None, None]));
        assert!(s.key(ChartKey::Reset, &p) && !s.key(ChartKey::Reset, &p));
        // No samples, no span: every key is harmless.
        let empty = plot_of(&[]);
        let mut s = ChartState::default();
        for k in [ChartKey::Left, ChartKey::Right, ChartKey::First, ChartKey::Last, ChartKey::MarkStart, ChartKey::MarkEnd, ChartKey::ZoomToMarks, ChartKey::ZoomIn, ChartKey::ZoomOut, ChartKey::Reset, ChartKey::Direction] {
            s.key(k, &empty);
            assert_eq!(s.cursor_index(&empty), None);
            assert!(s.range()[1] > s.range()[0]);
        }
    }
}
