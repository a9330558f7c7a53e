//! The statistics summary (`S`): frames, bytes, first and last time, duration, average
//! rates and size, how many conversations and expert items, and the frames and bytes of each
//! protocol — counted by the statistics pass ([`super::capture_stats`]). ↑/↓ scroll, Esc
//! goes back.
//!
//! ```text
//! ┌ 통계 요약 ───────────────────────────────────────────────┐
//! │ 프레임        166                                        │
//! │ 바이트        140146 (저장 140146)                       │
//! │ 기간          0.013961 초                                │
//! ```

use super::action::Action;
use super::app::App;
use super::capture_stats::CaptureStats;
use super::text::{fit, pad, width};
use crate::dissect::Severity;
use crate::dissect::format::push_abs_time;
use crate::explain::{Lang, ui, ui_with};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Clear, Widget};

/// The view's state: the first line on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SummaryPane {
    pub scroll: usize,
}

/// What a key did in the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryOutcome {
    Stay,
    Close,
    Quit,
}

impl SummaryPane {
    pub fn update(&mut self, action: &Action) -> SummaryOutcome {
        match action {
            Action::Cancel => return SummaryOutcome::Close,
            Action::Quit => return SummaryOutcome::Quit,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::PageDown => self.scroll += 10,
            Action::Top => self.scroll = 0,
            _ => {}
        }
        SummaryOutcome::Stay
    }
}

/// `n` with a decimal point and one digit.
fn one(n: f64) -> String {
    format!("{n:.1}")
}

/// The summary as (label, value) lines, then the protocol table's heading and rows
/// (label empty: the line is drawn as it is).
pub fn lines(stats: &CaptureStats, file: &str, lang: Lang) -> Vec<(String, String)> {
    let s = &stats.summary;
    let mut v = vec![(ui("tui.summary.file", lang), file.to_string()), (ui("tui.summary.frames", lang), s.frames.to_string())];
    v.push((ui("tui.summary.bytes", lang), ui_with("tui.summary.bytes_value", lang, &[("wire", &s.bytes), ("captured", &s.captured)])));
    let time = |t: Option<crate::dissect::Timestamp>| {
        let mut out = String::new();
        if let Some(t) = t {
            push_abs_time(&mut out, t);
        }
        out
    };
    v.push((ui("tui.summary.first", lang), time(s.first)));
    v.push((ui("tui.summary.last", lang), time(s.last)));
    let dur = s.duration_ns();
    v.push((ui("tui.summary.duration", lang), ui_with("tui.summary.seconds", lang, &[("s", &format!("{}.{:06}", dur / 1_000_000_000, dur % 1_000_000_000 / 1000))])));
    if let Some((fps, bps)) = s.rates() {
        v.push((ui("tui.summary.rate", lang), ui_with("tui.summary.rate_value", lang, &[("frames", &one(fps))])));
        let args: [(&str, &dyn std::fmt::Display); 2] = [("bytes", &format!("{bps:.0}")), ("bits", &format!("{:.0}", bps * 8.0))];
        v.push((ui("tui.summary.throughput", lang), ui_with("tui.summary.throughput_value", lang, &args)));
    }
    if s.frames > 0 {
        v.push((ui("tui.summary.avg_size", lang), ui_with("tui.summary.bytes_n", lang, &[("n", &one(s.bytes as f64 / s.frames as f64))])));
    }
    let (tcp, udp) = (stats.conv.tcp.len(), stats.conv.udp.len());
    v.push((ui("tui.summary.conversations", lang), format!("TCP {tcp} · UDP {udp}")));
    let e = &stats.expert;
    let sev: Vec<String> = [Severity::Error, Severity::Warn, Severity::Note, Severity::Chat]
        .into_iter()
        .map(|s| super::expert_view::severity_heading(s, e.items_of(s), lang))
        .collect();
    v.push((ui("tui.summary.expert", lang), sev.join(" · ")));
    v.push((String::new(), String::new()));
    let protos = s.protocols();
    let pw = protos.iter().map(|p| p.proto.len()).max().unwrap_or(0).max(width(&ui("tui.summary.col.protocol", lang)));
    let fw = protos.iter().map(|p| p.frames.to_string().len()).max().unwrap_or(0).max(width(&ui("tui.summary.col.frames", lang)));
    let bw = protos.iter().map(|p| p.bytes.to_string().len()).max().unwrap_or(0).max(width(&ui("tui.summary.col.bytes", lang)));
    let right = |t: &str, w: usize| format!("{}{t}", " ".repeat(w.saturating_sub(width(t))));
    v.push((
        String::new(),
        format!(
            "{} {} {} {}",
            pad(&ui("tui.summary.col.protocol", lang), pw),
            right(&ui("tui.summary.col.frames", lang), fw),
            right(&ui("tui.summary.col.bytes", lang), bw),
            ui("tui.summary.col.name", lang)
        ),
    ));
    for p in protos {
        v.push((String::new(), format!("{} {} {} {}", pad(p.proto, pw), right(&p.frames.to_string(), fw), right(&p.bytes.to_string(), bw), p.title)));
    }
    v
}

/// Draws the view over `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let lang = app.lang;
    let theme = app.theme;
    let run = app.store.stats.as_ref();
    let title = ui("tui.summary.title", lang);
    let inner = super::capture_stats::framed(app, title, area, buf);
    let w = inner.width as usize;
    if w == 0 || inner.height < 2 {
        return;
    }
    let Some(stats) = run.map(|r| &r.stats) else {
        buf.set_stringn(inner.x, inner.y, ui("tui.stats.waiting", lang), w, theme.dim());
        return;
    };
    let ls = lines(stats, &app.file_name, lang);
    let lw = ls.iter().map(|(l, _)| width(l)).max().unwrap_or(0) + 2;
    let rows = inner.height as usize - 1;
    let scroll = app.summary.scroll.min(ls.len().saturating_sub(rows));
    let heading_at = ls.iter().position(|(l, v)| l.is_empty() && !v.is_empty());
    for (i, (label, value)) in ls.iter().enumerate().skip(scroll).take(rows) {
        let y = inner.y + (i - scroll) as u16;
        if label.is_empty() {
            let style = if Some(i) == heading_at { theme.header() } else { Style::default() };
            buf.set_stringn(inner.x, y, fit(value, w), w, style);
        } else {
            buf.set_stringn(inner.x, y, pad(label, lw.min(w)), w, theme.header());
            if lw < w {
                buf.set_stringn(inner.x + lw as u16, y, fit(value, w - lw), w - lw, Style::default());
            }
        }
    }
    buf.set_stringn(inner.x, inner.y + inner.height - 1, fit(&ui("tui.summary.keys", lang), w), w, theme.dim());
}
