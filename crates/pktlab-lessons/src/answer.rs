//! Comparing answers: values as tshark prints them against what a person types.

/// An unsigned integer in decimal or `0x` hex, allowing `,` and `_` as digit separators.
pub fn parse_uint(s: &str) -> Option<u64> {
    let t: String = s.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else {
        t.parse().ok()
    }
}

fn canon(s: &str) -> String {
    let t = s.trim().to_ascii_lowercase();
    match t.as_str() {
        "true" | "set" | "yes" => "1".into(),
        "false" | "not set" | "no" => "0".into(),
        _ => t,
    }
}

/// Whether two renderings denote the same value: equal text (ignoring case and surrounding
/// space), the same integer (decimal or hex), or the same number.
pub fn same_value(a: &str, b: &str) -> bool {
    let (a, b) = (canon(a), canon(b));
    if a == b {
        return true;
    }
    if let (Some(x), Some(y)) = (parse_uint(&a), parse_uint(&b)) {
        return x == y;
    }
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()).max(1.0),
        _ => false,
    }
}

/// A decimal number as a person types it (`0.5`, `1,448`, `-3`, `12 ms` keeps the number).
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')).unwrap_or(t.len());
    let (num, rest) = t.split_at(end);
    if !rest.trim().chars().all(|c| c.is_alphabetic() || c == '%' || c == '/') {
        return None;
    }
    num.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Whether `input` is within `tolerance` of `answer` (both decimal numbers).
pub fn within(answer: &str, input: &str, tolerance: f64) -> bool {
    match (parse_number(answer), parse_number(input)) {
        (Some(a), Some(b)) => (a - b).abs() <= tolerance.abs() + f64::EPSILON * a.abs().max(1.0) * 4.0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_across_bases_and_separators() {
        assert!(same_value("0x0012", "18"));
        assert!(same_value("65,535", "65535"));
        assert!(same_value(" True ", "1"));
        assert!(same_value("0.000016000", "0.000016"));
        assert!(!same_value("1460", "1448"));
        assert!(!same_value("abc", "abd"));
        assert_eq!(parse_uint("0x1f"), Some(31));
        assert_eq!(parse_uint("x"), None);
    }

    #[test]
    fn computed_numbers_count_within_the_tolerance() {
        assert!(within("0.043", "0.04", 0.005));
        assert!(within("43", "43 ms", 0.5));
        assert!(within("1,448", "1448", 0.0));
        assert!(!within("0.043", "0.05", 0.005));
        assert!(!within("12", "twelve", 1.0));
        assert_eq!(parse_number("-2.5"), Some(-2.5));
        assert_eq!(parse_number("3x4"), None);
    }
}
