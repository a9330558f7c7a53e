//! Absolute-time literals as tshark 4.0 reads them: `"Nov 12, 1999 08:55:44.123"` (month name,
//! day, comma, year, time) or ISO 8601 `"2011-07-04 12:34:56"` / `"2011-07-04T12:34:56.5Z"` /
//! `"2011-07-04"`, with an optional `UTC`, `Z` or `±hh:mm` zone; without one, local time (the
//! zone `TZ` names, as tshark prints `frame.time`).

use jiff::civil::DateTime;

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Seconds since the epoch (with the fraction) of a date string, or `None` if it is not one.
pub(crate) fn abs_time(text: &str) -> Option<f64> {
    let text = text.trim();
    let (body, offset) = split_zone(text);
    let (date, time) = if body.chars().next()?.is_ascii_alphabetic() { month_form(body)? } else { iso_form(body)? };
    let (y, mo, d) = date;
    let (h, mi, s, nanos) = time;
    let dt = DateTime::new(y, mo, d, h, mi, s, 0).ok()?;
    let secs = match offset {
        Some(off) => jiff::tz::Offset::from_seconds(off).ok()?.to_timestamp(dt).ok()?.as_second(),
        None => crate::dissect::format::local_zone().to_ambiguous_timestamp(dt).compatible().ok()?.as_second(),
    };
    Some(secs as f64 + nanos as f64 / 1e9)
}

/// Splits off a trailing zone: ` UTC`, `Z`, `±hh:mm` / `±hhmm` (seconds east of UTC).
fn split_zone(text: &str) -> (&str, Option<i32>) {
    if let Some(b) = text.strip_suffix(" UTC").or_else(|| text.strip_suffix(" GMT")) {
        return (b.trim_end(), Some(0));
    }
    if let Some(b) = text.strip_suffix('Z') {
        return (b, Some(0));
    }
    // An ISO offset after the time: the last '+' or '-' after a 'T' or space.
    if let Some(sep) = text.rfind([' ', 'T'])
        && let Some(p) = text[sep..].rfind(['+', '-']).map(|p| p + sep)
    {
        let z = &text[p + 1..];
        let digits: String = z.chars().filter(|c| *c != ':').collect();
        if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let h: i32 = digits[..2].parse().ok().unwrap_or(0);
            let m: i32 = digits[2..].parse().ok().unwrap_or(0);
            let sign = if text.as_bytes()[p] == b'-' { -1 } else { 1 };
            return (&text[..p], Some(sign * (h * 3600 + m * 60)));
        }
    }
    (text, None)
}

type Date = (i16, i8, i8);
type Time = (i8, i8, i8, u32);

/// `Mon D, YYYY HH:MM:SS[.frac]`.
fn month_form(body: &str) -> Option<(Date, Time)> {
    let (mon, rest) = body.split_once(' ')?;
    let m = MONTHS.iter().position(|n| n.eq_ignore_ascii_case(mon))? as i8 + 1;
    let (day, rest) = rest.trim_start().split_once(',')?;
    let (year, time) = rest.trim_start().split_once(' ')?;
    Some(((num(year)?, m, num(day)?), clock(time.trim(), true)?))
}

/// `YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]]`.
fn iso_form(body: &str) -> Option<(Date, Time)> {
    let (date, time) = match body.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (body, None),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (num(parts.next()?)?, num(parts.next()?)?, num(parts.next()?)?);
    if parts.next().is_some() {
        return None;
    }
    let time = match time {
        Some(t) => clock(t, false)?,
        None => (0, 0, 0, 0),
    };
    Some(((y, m, d), time))
}

/// `HH:MM:SS[.frac]` (seconds optional unless `need_secs`).
fn clock(t: &str, need_secs: bool) -> Option<Time> {
    let (hms, frac) = match t.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (t, None),
    };
    let mut parts = hms.split(':');
    let h = num(parts.next()?)?;
    let mi = num(parts.next()?)?;
    let s = match parts.next() {
        Some(s) => num(s)?,
        None if need_secs || frac.is_some() => return None,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let nanos = match frac {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32),
        Some(_) => return None,
    };
    Some((h, mi, s, nanos))
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_tshark_accepts() {
        let t = 1_570_152_237.968_859;
        for s in ["Oct  4, 2019 01:23:57.968859 UTC", "2019-10-04T01:23:57.968859Z", "2019-10-04 01:23:57.968859+00:00", "2019-10-04 03:23:57.968859+02:00"] {
            assert_eq!(abs_time(s), Some(t), "{s}");
        }
        assert_eq!(abs_time("2019-10-04 00:00 UTC"), Some(1_570_147_200.0));
        assert_eq!(abs_time("2019-10-04 UTC"), Some(1_570_147_200.0));
    }

    #[test]
    fn forms_tshark_rejects() {
        for s in ["bogus", "5", "Nov 21, 2011", "Nov 21 2011 11:08:38", "2019-13-04 01:24:04", "Foo 4, 2019 01:24:04", "2019-10-04 25:00:00"] {
            assert_eq!(abs_time(s), None, "{s}");
        }
    }
}
