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

use super::app::{App, Focus, Mode};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Widget};

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

/// Splits `area` into `[a, b]` vertically with `a` taking `h` rows.
fn vsplit(area: Rect, h: u16) -> (Rect, Rect) {
    let h = h.min(area.height);
    (Rect { height: h, ..area }, Rect { y: area.y + h, height: area.height - h, ..area })
}

fn hsplit(area: Rect, w: u16) -> (Rect, Rect) {
    let w = w.min(area.width);
    (Rect { width: w, ..area }, Rect { x: area.x + w, width: area.width - w, ..area })
}

/// Draws the whole screen into `buf`.
pub fn draw_buffer(app: &mut App, area: Rect, buf: &mut Buffer) {
    let l = app.labels();
    if area.width < 20 || area.height < 8 {
        if area.height > 0 {
            let msg = match app.lang {
                crate::explain::Lang::Ko => "창이 너무 작아요",
                crate::explain::Lang::En => "terminal too small",
            };
            buf.set_stringn(area.x, area.y, super::text::fit(msg, area.width as usize), area.width as usize, app.theme.error());
        }
        return;
    }
    let bar_h = super::filter_bar::height(app);
    let (main, bottom) = vsplit(area, area.height.saturating_sub(1 + bar_h));
    let (status, bar) = vsplit(bottom, 1);
    if app.mode == Mode::Ladder {
        super::stream_view::render(app, main, buf);
    } else {
        // List: about a third of the height, at least header + 4 rows.
        let list_h = (main.height / 3).max(6).min(main.height);
        let (list_area, rest) = vsplit(main, list_h);
        let inner = pane(app, l.packets, Focus::List, list_area, buf);
        super::packet_list::render(app, inner, buf);
        let wide = rest.width >= 110;
        let hex_lines = app.hex_source().1.len().div_ceil(16) as u16;
        if wide {
            let left_w = (rest.width * 58 / 100).max(74).min(rest.width);
            let (left, right) = hsplit(rest, left_w);
            let hex_h = (hex_lines + 1).max(3).min(left.height / 2);
            let (tree_area, hex_area) = vsplit(left, left.height.saturating_sub(hex_h));
            draw_tree(app, tree_area, buf);
            let inner = pane(app, l.hex, Focus::Hex, hex_area, buf);
            super::hex::render(app, inner, buf);
            draw_right(app, right, buf);
        } else {
            let hex_h = (hex_lines + 1).max(3).min(rest.height * 2 / 5);
            let (upper, hex_area) = vsplit(rest, rest.height.saturating_sub(hex_h));
            let (tree_area, right) = hsplit(upper, upper.width * 55 / 100);
            draw_tree(app, tree_area, buf);
            draw_right(app, right, buf);
            let inner = pane(app, l.hex, Focus::Hex, hex_area, buf);
            super::hex::render(app, inner, buf);
        }
    }
    super::status::render(app, status, buf);
    super::filter_bar::render(app, bar, buf);
    if app.mode == Mode::Help {
        super::help::render(app, main, buf);
    }
}

fn draw_tree(app: &mut App, area: Rect, buf: &mut Buffer) {
    let inner = pane(app, app.labels().tree, Focus::Tree, area, buf);
    app.regions.tree = inner;
    let rows = app.tree_rows();
    let page = inner.height as usize;
    app.tree_cursor = app.tree_cursor.min(rows.len().saturating_sub(1));
    if app.tree_cursor < app.tree_top {
        app.tree_top = app.tree_cursor;
    } else if page > 0 && app.tree_cursor >= app.tree_top + page {
        app.tree_top = app.tree_cursor + 1 - page;
    }
    app.tree_top = app.tree_top.min(rows.len().saturating_sub(page));
    super::tree::render(&rows, app.tree_top, app.tree_cursor, app.focus == Focus::Tree, &app.theme, inner, buf);
}

/// The explanation column, with the side panel (lessons) above it when one is installed.
fn draw_right(app: &mut App, area: Rect, buf: &mut Buffer) {
    // A one-cell gutter between the columns.
    let area = Rect { x: area.x + 1, width: area.width.saturating_sub(1), ..area };
    let explain_area = if app.has_side_panel() {
        let (top, bottom) = vsplit(area, area.height * 3 / 5);
        let title = app.side_panel_mut().map(|p| p.title()).unwrap_or_default();
        let inner = pane(app, &title, Focus::Side, top, buf);
        app.regions.side = inner;
        if let Some(p) = app.side_panel_mut() {
            p.render(inner, buf);
        }
        bottom
    } else {
        app.regions.side = Rect::default();
        area
    };
    let inner = pane(app, app.labels().explain, Focus::Explain, explain_area, buf);
    super::explain_pane::render(app, inner, buf);
}

/// Draws into a ratatui frame.
pub fn draw(f: &mut Frame<'_>, app: &mut App) {
    let area = f.area();
    draw_buffer(app, area, f.buffer_mut());
}
