//! "Did you mean" for unknown names: the closest field or protocol name by edit distance
//! (Damerau–Levenshtein with adjacent transpositions, so `tcp.prot` → `tcp.port` costs 1).

/// The edit distance between `a` and `b`, counting insertions, deletions, substitutions and
/// swaps of two adjacent characters as one edit each.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1).min(d[i * w + j - 1] + 1).min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a plausible typo: at most
/// 1 edit for short names, 2 from 5 characters, 3 from 12. Ties go to the first candidate.
pub(crate) fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let n = name.chars().count();
    let limit = match n {
        0..=4 => 1,
        5..=11 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name || c.len().abs_diff(name.len()) > limit {
            continue;
        }
        let d = distance(name, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("tcp.prot", "tcp.port"), 1);
        assert_eq!(distance("tcp", "udp"), 2);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("ip.sr", "ip.src"), 1);
    }

    #[test]
    fn picks_the_closest() {
        let names = ["tcp.port", "tcp.srcport", "udp.port", "ip.src"];
        assert_eq!(closest("tcp.prot", names), Some("tcp.port"));
        assert_eq!(closest("ip.sr", names), Some("ip.src"));
        assert_eq!(closest("zzzzzzzz", names), None);
    }
}
