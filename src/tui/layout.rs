//! The screen layout, adapting to the terminal's size, and the one `draw` function.
//!
//! Wide (≥ 110 columns): the explanation gets a tall right column.
//! ```text
//! ┌ 패킷 목록 ───────────────────────────────────────────────────┐
//! │ 번호 시간 출발지 목적지 프로토콜 길이 정보                   │
//! ├ 상세 (OSI 계층) ─────────────────┬ 설명 ──────────────────────┤
//! │ ▼ 2 데이터 링크                  │ 출발지 포트 (tcp.srcport)  │
//! ├ 바이트 ──────────────────────────┤ …                          │
//! │ 0000  45 00 …                    │                            │
//! status bar
//! hint / filter line
//! ```
//! Narrow (80×24): tree and explanation side by side, the byte view across the full width.

use super::action::{Focus, Mode, Regions};
use super::app::App;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Widget};

/// Where everything goes on a screen of a given size.
#[derive(Clone, Copy, Debug, Default)]
pub struct Geometry {
    /// Everything above the status bar (the panes, or a full-screen view).
    pub main: Rect,
    pub status: Rect,
    pub bar: Rect,
    /// Pane areas including their title line.
    pub list: Rect,
    pub tree: Rect,
    pub hex: Rect,
    pub side: Rect,
    pub explain: Rect,
    /// The areas inside the panes (what [`App::layout`] records).
    pub regions: Regions,
    /// Too small to draw anything but a message.
    pub tiny: bool,
}

/// The area inside a pane's title line.
fn inner(area: Rect) -> Rect {
    Block::default().borders(Borders::TOP).inner(area)
}

/// Splits `area` into `[a, b]` vertically with `a` taking `h` rows.
fn vsplit(area: Rect, h: u16) -> (Rect, Rect) {
    let h = h.min(area.height);
    (Rect { height: h, ..area }, Rect { y: area.y + h, height: area.height - h, ..area })
}

fn hsplit(area: Rect, w: u16) -> (Rect, Rect) {
    let w = w.min(area.width);
    (Rect { width: w, ..area }, Rect { x: area.x + w, width: area.width - w, ..area })
}

/// Lays out a screen of size `area` for the app's mode and content (the byte view is as tall
/// as the selected frame needs, up to a share of the screen).
pub fn geometry(app: &App, area: Rect) -> Geometry {
    let mut g = Geometry::default();
    if area.width < 20 || area.height < 8 {
        g.tiny = true;
        return g;
    }
    let bar_h = super::filter_bar::height(app);
    let (main, bottom) = vsplit(area, area.height.saturating_sub(1 + bar_h));
    (g.status, g.bar) = vsplit(bottom, 1);
    g.main = main;
    if app.mode.is_view() {
        return g;
    }
    // List: about a third of the height, at least header + 4 rows.
    let list_h = (main.height / 3).max(6).min(main.height);
    let (list_area, rest) = vsplit(main, list_h);
    g.list = list_area;
    let hex_lines = app.hex_source().1.len().div_ceil(16) as u16;
    let right = if rest.width >= 110 {
        let left_w = (rest.width * 58 / 100).max(74).min(rest.width);
        let (left, right) = hsplit(rest, left_w);
        let hex_h = (hex_lines + 1).max(3).min(left.height / 2);
        (g.tree, g.hex) = vsplit(left, left.height.saturating_sub(hex_h));
        right
    } else {
        let hex_h = (hex_lines + 1).max(3).min(rest.height * 2 / 5);
        let (upper, hex_area) = vsplit(rest, rest.height.saturating_sub(hex_h));
        let (tree_area, right) = hsplit(upper, upper.width * 55 / 100);
        (g.tree, g.hex) = (tree_area, hex_area);
        right
    };
    // A one-cell gutter between the columns; the side panel (lessons) above the explanation.
    let right = Rect { x: right.x + 1, width: right.width.saturating_sub(1), ..right };
    if app.has_side_panel() {
        (g.side, g.explain) = vsplit(right, right.height * 3 / 5);
    } else {
        g.explain = right;
    }
    g.regions = Regions {
        list: super::packet_list::rows_area(inner(g.list)),
        tree: inner(g.tree),
        hex: inner(g.hex),
        explain: inner(g.explain),
        side: if app.has_side_panel() { inner(g.side) } else { Rect::default() },
    };
    g
}

/// Draws a pane's top border with its title; returns the area inside.
fn pane(app: &App, title: &str, focus: Focus, area: Rect, buf: &mut Buffer) -> Rect {
    let focused = app.focus == focus && app.mode == Mode::Normal;
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(if focused { app.theme.header() } else { app.theme.dim() })
        .title(format!(" {title} "))
        .title_style(app.theme.title(focused));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Fits the app to `area` ([`App::layout`]) and draws the whole screen into `buf`.
pub fn draw_buffer(app: &mut App, area: Rect, buf: &mut Buffer) {
    app.layout(area);
    render(app, area, buf);
}

/// Draws the whole screen as laid out by [`App::layout`]; changes nothing.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = app.labels();
    let g = geometry(app, area);
    if g.tiny {
        if area.height > 0 {
            let msg = crate::explain::ui("tui.too_small", app.lang);
            buf.set_stringn(area.x, area.y, super::text::fit(&msg, area.width as usize), area.width as usize, app.theme.error());
        }
        return;
    }
    if app.mode == Mode::Ladder {
        super::stream_view::render(app, g.main, buf);
    } else if app.mode == Mode::TcpState {
        super::tcp_state_view::render(app, g.main, buf);
    } else if app.mode == Mode::Conversations {
        super::conv_view::render(app, g.main, buf);
    } else if app.mode == Mode::Follow {
        super::follow_view::render(app, g.main, buf);
    } else if app.mode == Mode::Expert {
        super::expert_view::render(app, g.main, buf);
    } else if app.mode == Mode::Summary {
        super::summary_view::render(app, g.main, buf);
    } else {
        let inner = pane(app, l.packets, Focus::List, g.list, buf);
        super::packet_list::render(app, inner, buf);
        let inner = pane(app, l.tree, Focus::Tree, g.tree, buf);
        super::tree::render(&app.tree_rows(), app.tree.top, app.tree.cursor, app.focus == Focus::Tree, &app.theme, inner, buf);
        if let Some(p) = app.side_panel() {
            let inner = pane(app, &p.title(), Focus::Side, g.side, buf);
            p.render(inner, buf);
        }
        let inner = pane(app, l.explain, Focus::Explain, g.explain, buf);
        super::explain_pane::render(app, inner, buf);
        let inner = pane(app, l.hex, Focus::Hex, g.hex, buf);
        super::hex::render(app, inner, buf);
    }
    super::status::render(app, g.status, buf);
    super::filter_bar::render(app, g.bar, buf);
    if app.mode == Mode::Help {
        // Over the panes; over the status lines too when every key would not fit otherwise
        // (80x24), since any key closes it.
        let over = if app.labels().help.len() as u16 + 2 > g.main.height { area } else { g.main };
        super::help::render(app, over, buf);
    }
}

/// Draws into a ratatui frame.
pub fn draw(f: &mut Frame<'_>, app: &mut App) {
    let area = f.area();
    draw_buffer(app, area, f.buffer_mut());
}
