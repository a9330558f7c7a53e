//! Text measured by display width: Korean syllables take two terminal cells, so lengths are
//! counted with `unicode-width`, never in bytes or chars.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width of `s` in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` cells; a cut string ends with `…`. Never splits a wide character.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` cells.
pub fn pad(s: &str, cols: usize) -> String {
    let mut t = fit(s, cols);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    t
}

/// Wraps `text` into lines of at most `cols` cells. Breaks at spaces where it can, inside a
/// word (Korean runs, long field names) where it must; blank lines separate paragraphs and
/// are kept. Every returned line fits in `cols` (for `cols` ≥ 2).
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        if para.trim().is_empty() {
            lines.push(String::new());
            continue;
        }
        let mut line = String::new();
        let mut lw = 0;
        for word in para.split(' ') {
            let ww = width(word);
            let sep = usize::from(!line.is_empty());
            if lw + sep + ww <= cols {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                lw += sep + ww;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                lw = 0;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if lw + cw > cols {
                    lines.push(std::mem::take(&mut line));
                    lw = 0;
                }
                line.push(c);
                lw += cw;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_counts_two_cells() {
        assert_eq!(width("전송"), 4);
        assert_eq!(fit("데이터 링크", 6), "데이…");
        assert_eq!(width(&pad("전송", 7)), 7);
    }

    #[test]
    fn wrap_keeps_every_line_within_width() {
        let text = "최대 세그먼트 크기(MSS)는 한 TCP 세그먼트에 담을 수 있는 데이터의 최대 크기예요.\n\n둘째 문단이에요.";
        for cols in 2..30 {
            let lines = wrap(text, cols);
            assert!(lines.iter().all(|l| width(l) <= cols), "cols {cols}: {lines:?}");
            let joined: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let orig: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(joined, orig);
        }
        assert!(wrap(text, 40).contains(&String::new()));
    }
}
