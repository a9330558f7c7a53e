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
}
