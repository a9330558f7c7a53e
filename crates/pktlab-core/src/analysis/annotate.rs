//! Writes a [`FrameAnalysis`] back into its [`Dissection`]: generated fields at the end of
//! each TCP/UDP layer (the layer's field range grows; later layers and expert references
//! shift), expert items for every verdict, and the Info column and layer summary rewritten
//! with relative Seq/Ack and the scaled window, prefixed by tshark's markers
//! (`[TCP Retransmission] `, `[TCP Dup ACK 12#1] `).

use super::analyzer::{FrameAnalysis, TransportVerdict};
use super::fields as f;
use super::flags::{FLAG_INFO, Flags};
use super::tcp::{FinClose, TcpVerdict};
use crate::dissect::model::{Dissection, Expert, Field, FieldDef, Layer, Severity, Value};

/// Adds the analysis of `fa` to `d`. Calling it twice adds the fields twice; call it once per
/// fresh dissection.
pub fn annotate(fa: &FrameAnalysis, d: &mut Dissection) {
    let mut first_tcp = true;
    // Later layers first, so earlier layer indices stay valid while fields are inserted.
    for (li, verdict) in fa.layers.iter().rev() {
        let Some(layer) = d.layers.get(*li).map(At::of) else { continue };
        let mut new = Vec::with_capacity(16);
        let mut experts = Vec::new();
        match verdict {
            TransportVerdict::Udp(u) => {
                // The dissector never adds `udp.stream`: always a new field.
                new.push(generated(&layer, &f::UDP_STREAM, 0, Value::UInt(u.stream as u64)));
                if u.timed {
                    new.push(generated(&layer, &crate::dissect::data::WS_TEXT, 0, Value::Str("Timestamps".into())));
                    new.push(generated(&layer, &f::UDP_TIME_RELATIVE, 1, Value::Duration(u.time_relative)));
                    new.push(generated(&layer, &f::UDP_TIME_DELTA, 1, Value::Duration(u.time_delta)));
                }
            }
            TransportVerdict::Tcp(t) => {
                tcp_top_fields(d, *li, t);
                tcp_fields(d, *li, t, &mut new, &mut experts);
                let is_outermost = fa.layers.iter().find(|(_, v)| matches!(v, TransportVerdict::Tcp(_))).map(|(i, _)| i) == Some(li);
                if is_outermost && first_tcp {
                    first_tcp = false;
                    rewrite_texts(d, *li, t);
                }
            }
        }
        let Some(layer) = d.layers.get(*li) else { continue };
        // As Wireshark: the SEQ/ACK analysis comes after the options, before the payload
        // (and UDP's stream and times before its payload).
        let at = find(d, *li, &crate::dissect::tcp::TCP_PAYLOAD).or_else(|| find(d, *li, &crate::dissect::udp::UDP_PAYLOAD)).unwrap_or(layer.fields.end);
        insert_fields(d, *li, at, new);
        if let TransportVerdict::Tcp(t) = verdict
            && let Some(close) = t.fin_close
        {
            // As tshark: on the TCP Flags string, after the dissector's "Connection finish".
            let (key, message) = match close {
                FinClose::Active => ("tcp.connection.fin_active", "This frame initiates the connection closing"),
                FinClose::Passive => ("tcp.connection.fin_passive", "This frame undergoes the connection closing"),
            };
            let field = find(d, *li, &crate::dissect::tcp::TCP_FLAGS_STR);
            d.experts.push(Expert { severity: Severity::Note, key, message: message.to_owned(), field });
        }
        for (rel, mut e) in experts {
            e.field = Some(at + rel);
            d.experts.push(e);
        }
    }
}

/// Where a layer's generated fields point: its start, in its source.
#[derive(Clone, Copy)]
struct At {
    offset: u32,
    source: u8,
}

impl At {
    fn of(l: &Layer) -> Self {
        At { offset: l.offset, source: l.source }
    }
}

fn generated(layer: &At, def: &'static FieldDef, depth: u8, value: Value) -> Field {
    Field { def, offset: layer.offset, len: 0, depth, source: layer.source, generated: true, hidden: false, value }
}

/// Sets the value of a field the dissector already put in the layer; false if absent.
fn update_in_place(d: &mut Dissection, li: usize, def: &'static FieldDef, value: Value) -> bool {
    let Some(layer) = d.layers.get(li) else { return false };
    let range = layer.fields.start as usize..layer.fields.end as usize;
    match d.fields.get_mut(range).and_then(|fs| fs.iter_mut().find(|x| std::ptr::eq(x.def, def))) {
        Some(field) => {
            field.value = value;
            true
        }
        None => false,
    }
}

/// Index of the first field of `def` in layer `li`.
fn find(d: &Dissection, li: usize, def: &'static FieldDef) -> Option<u32> {
    let layer = d.layers.get(li)?;
    let range = layer.fields.start as usize..layer.fields.end as usize;
    let pos = d.fields.get(range)?.iter().position(|x| std::ptr::eq(x.def, def))?;
    Some(layer.fields.start + pos as u32)
}

/// Where a generated TCP number goes: before or after a header field, as Wireshark's tree
/// shows it (relative sequence number first, then the raw one).
enum Place {
    Before(&'static FieldDef),
    After(&'static FieldDef),
}

/// The stream index, relative numbers and calculated window, each beside the header field
/// it explains (at the layer's end when that field is absent).
fn tcp_top_fields(d: &mut Dissection, li: usize, t: &TcpVerdict) {
    use crate::dissect::tcp as h;
    let relative = crate::dissect::prefs::tcp_relative();
    if !relative && !t.in_error {
        absolute_numbers(d, li, t);
    }
    if relative && !t.in_error && t.tcp_flags & super::tcp::ACK != 0 {
        relative_sack(d, li, t);
    }
    let top: [(&'static FieldDef, Option<Value>, [Place; 2]); 7] = [
        (&f::TCP_STREAM, Some(Value::UInt(t.stream as u64)), [Place::Before(&h::TCP_LEN), Place::Before(&h::TCP_SEQ_RAW)]),
        (&f::TCP_COMPLETENESS, t.completeness.map(|c| Value::UInt(c as u64)), [Place::Before(&h::TCP_LEN), Place::Before(&h::TCP_SEQ_RAW)]),
        (&f::TCP_SEQ, Some(Value::UInt(t.seq as u64)), [Place::Before(&h::TCP_SEQ_RAW), Place::Before(&h::TCP_ACK_RAW)]),
        (&f::TCP_NXTSEQ, t.nxtseq.map(|n| Value::UInt(n as u64)), [Place::After(&h::TCP_SEQ_RAW), Place::Before(&h::TCP_ACK_RAW)]),
        (&f::TCP_ACK, Some(Value::UInt(t.ack as u64)), [Place::Before(&h::TCP_ACK_RAW), Place::Before(&h::TCP_HDR_LEN)]),
        (&f::TCP_WINDOW_SIZE, Some(Value::UInt(t.window as u64)), [Place::After(&h::TCP_WINDOW_SIZE_VALUE), Place::Before(&h::TCP_CHECKSUM)]),
        (&f::TCP_WINDOW_SCALEFACTOR, t.scalefactor.map(|s| Value::Int(s as i64)), [Place::After(&f::TCP_WINDOW_SIZE), Place::After(&h::TCP_WINDOW_SIZE_VALUE)]),
    ];
    let Some(layer) = d.layers.get(li).map(At::of) else { return };
    for (def, value, places) in top {
        let Some(value) = value else { continue };
        // Absolute numbers: the header's own items became `tcp.seq` and `tcp.ack` above.
        if !relative && !t.in_error && (std::ptr::eq(def, &f::TCP_SEQ) || std::ptr::eq(def, &f::TCP_NXTSEQ) || (std::ptr::eq(def, &f::TCP_ACK) && t.tcp_flags & super::tcp::ACK != 0)) {
            continue;
        }
        // Only a header quoted in an ICMP error carries one of these already (`tcp.seq`).
        if t.in_error && update_in_place(d, li, def, value.clone()) {
            continue;
        }
        let at = places
            .iter()
            .find_map(|p| match p {
                Place::Before(anchor) => find(d, li, anchor),
                Place::After(anchor) => find(d, li, anchor).map(|i| i + 1),
            })
            .or_else(|| d.layers.get(li).map(|l| l.fields.end));
        if let Some(at) = at {
            let mut field = generated(&layer, def, 0, value);
            // tshark shows the relative numbers as the header's own items.
            field.generated = !(std::ptr::eq(def, &f::TCP_SEQ) || std::ptr::eq(def, &f::TCP_ACK));
            insert_field(d, li, at, field);
        }
    }
}

/// SACK block edges relative to the peer's first sequence number (the base of `tcp.ack`), as
/// tshark shows them with relative numbers on.
fn relative_sack(d: &mut Dissection, li: usize, t: &TcpVerdict) {
    use crate::dissect::tcp_options as o;
    let Some(l) = d.layers.get(li) else { return };
    let base = t.ack_raw.wrapping_sub(t.ack);
    for fld in &mut d.fields[l.fields.start as usize..l.fields.end as usize] {
        let edge = [&o::TCP_OPTIONS_SACK_LE, &o::TCP_OPTIONS_SACK_RE, &o::TCP_OPTIONS_SACK_DSACK_LE, &o::TCP_OPTIONS_SACK_DSACK_RE].iter().any(|d| std::ptr::eq(fld.def, *d));
        if edge
            && let Value::UInt(raw) = fld.value
        {
            fld.value = Value::UInt((raw as u32).wrapping_sub(base) as u64);
        }
    }
}

/// With `tcp.relative_sequence_numbers` (or the analysis) off, as tshark: `tcp.seq` is the
/// header's raw number, with `tcp.seq_raw` hidden after it, then the absolute next sequence
/// number; on a segment with ACK set `tcp.ack` is the raw number, `tcp.ack_raw` hidden
/// (without ACK, tshark keeps `tcp.ack` 0 beside a visible `tcp.ack_raw`).
fn absolute_numbers(d: &mut Dissection, li: usize, t: &TcpVerdict) {
    use crate::dissect::tcp as h;
    if let Some(i) = find(d, li, &h::TCP_SEQ_RAW) {
        let raw = d.fields[i as usize].clone();
        d.fields[i as usize].hidden = true;
        let mut seq = Field { def: &f::TCP_SEQ, ..raw };
        seq.generated = false;
        let mut new = vec![seq];
        if let Some(n) = t.nxtseq {
            let next = t.seq_raw.wrapping_add(n.wrapping_sub(t.seq));
            new.push(generated(&At::of(&d.layers[li]), &f::TCP_NXTSEQ, 0, Value::UInt(next as u64)));
        }
        // `tcp.seq` before the hidden raw number, the next sequence number after it.
        let nxt = new.split_off(1);
        insert_fields(d, li, i, new);
        insert_fields(d, li, i + 2, nxt);
    }
    if t.tcp_flags & super::tcp::ACK != 0
        && let Some(i) = find(d, li, &h::TCP_ACK_RAW)
    {
        let raw = d.fields[i as usize].clone();
        d.fields[i as usize].hidden = true;
        insert_fields(d, li, i, vec![Field { def: &f::TCP_ACK, ..raw }]);
    }
}

fn tcp_fields(d: &mut Dissection, li: usize, t: &TcpVerdict, new: &mut Vec<Field>, experts: &mut Vec<(u32, Expert)>) {
    let Some(layer) = d.layers.get(li).map(At::of) else { return };
    if crate::dissect::prefs::TCP_CALCULATE_TIMESTAMPS.get() {
        new.push(generated(&layer, &crate::dissect::data::WS_TEXT, 0, Value::Str("Timestamps".into())));
        new.push(generated(&layer, &f::TCP_TIME_RELATIVE, 1, Value::Duration(t.time_relative)));
        new.push(generated(&layer, &f::TCP_TIME_DELTA, 1, Value::Duration(t.time_delta)));
    }
    if !t.has_analysis || !crate::dissect::prefs::TCP_ANALYZE_SEQUENCE_NUMBERS.get() {
        return;
    }
    new.push(generated(&layer, &f::TCP_ANALYSIS, 0, Value::None));
    if let Some(fr) = t.acks_frame {
        new.push(generated(&layer, &f::TCP_ACKS_FRAME, 1, Value::UInt(fr)));
        if let Some(rtt) = t.ack_rtt {
            new.push(generated(&layer, &f::TCP_ACK_RTT, 1, Value::Duration(rtt)));
        }
    }
    if let Some(rtt) = t.initial_rtt {
        new.push(generated(&layer, &f::TCP_INITIAL_RTT, 1, Value::Duration(rtt)));
    }
    if let Some(b) = t.bytes_in_flight {
        new.push(generated(&layer, &f::TCP_BYTES_IN_FLIGHT, 1, Value::UInt(b as u64)));
        if let Some(p) = t.push_bytes_sent {
            new.push(generated(&layer, &f::TCP_PUSH_BYTES_SENT, 1, Value::UInt(p as u64)));
        }
    }
    if t.flags.is_empty() {
        return;
    }
    new.push(generated(&layer, &f::TCP_ANALYSIS_FLAGS, 1, Value::None));
    let mut add_expert = |new: &mut Vec<Field>, def: &'static FieldDef, severity: Severity, message: String, depth: u8| {
        let rel = new.len() as u32;
        new.push(generated(&layer, def, depth, Value::None));
        experts.push((rel, Expert { severity, key: def.abbrev, message, field: None }));
    };
    for info in t.flags.iter() {
        if info.bit == Flags::DUPLICATE_ACK {
            // tshark: "This is a TCP duplicate ack" under the flags, the expert item on the
            // "Duplicate to the ACK in frame" line below.
            new.push(generated(&layer, info.field, 2, Value::None));
            continue;
        }
        add_expert(new, info.field, info.severity, info.message.to_owned(), 2);
        if info.bit == Flags::RETRANSMISSION
            && let Some((rto, frame)) = t.rto
        {
            new.push(generated(&layer, &f::TCP_RTO, 2, Value::Duration(rto)));
            new.push(generated(&layer, &f::TCP_RTO_FRAME, 2, Value::UInt(frame)));
        }
        if info.bit == Flags::FAST_RETRANSMISSION || info.bit == Flags::SPURIOUS_RETRANSMISSION {
            let plain = &FLAG_INFO[1];
            add_expert(new, plain.field, plain.severity, plain.message.to_owned(), 2);
        }
    }
    if t.dupack_num != 0 {
        new.push(generated(&layer, &f::TCP_DUPLICATE_ACK_NUM, 1, Value::UInt(t.dupack_num as u64)));
        if t.flags.has(Flags::DUPLICATE_ACK) {
            let info = FLAG_INFO.iter().find(|i| i.bit == Flags::DUPLICATE_ACK);
            let severity = info.map_or(Severity::Note, |i| i.severity);
            experts.push((new.len() as u32, Expert { severity, key: f::TCP_DUPLICATE_ACK.abbrev, message: format!("Duplicate ACK (#{})", t.dupack_num), field: None }));
        }
        new.push(generated(&layer, &f::TCP_DUPLICATE_ACK_FRAME, 1, Value::UInt(t.dupack_frame)));
    }
}

/// Inserts `new` at field index `at` (the end of layer `li`), growing that layer's range and
/// shifting every later range and expert reference.
fn insert_fields(d: &mut Dissection, li: usize, at: u32, new: Vec<Field>) {
    let n = new.len() as u32;
    if n == 0 {
        return;
    }
    let at_usize = (at as usize).min(d.fields.len());
    d.fields.splice(at_usize..at_usize, new);
    shift_after_insert(d, li, at, n);
}

/// [`insert_fields`] of one field (no temporary vector).
fn insert_field(d: &mut Dissection, li: usize, at: u32, field: Field) {
    let at_usize = (at as usize).min(d.fields.len());
    d.fields.insert(at_usize, field);
    shift_after_insert(d, li, at, 1);
}

/// Grows layer `li`'s range by the `n` fields inserted at `at`, and shifts every later range
/// and expert reference.
fn shift_after_insert(d: &mut Dissection, li: usize, at: u32, n: u32) {    for (i, l) in d.layers.iter_mut().enumerate() {
        if i == li {
            l.fields.end += n;
        } else if l.fields.start >= at && i > li {
            l.fields.start += n;
            l.fields.end += n;
        } else if l.fields.start < at && l.fields.end > at {
            // An enclosing layer (fields nested across layers) grows too.
            l.fields.end += n;
        }
    }
    for e in &mut d.experts {
        if let Some(fi) = e.field.as_mut()
            && *fi >= at {
                *fi += n;
            }
    }
}

/// Where `key` first occurs in `hay` at or after `start` (a short key: its first byte is
/// looked for, then the rest compared).
fn find_from(hay: &[u8], key: &[u8], start: usize) -> Option<usize> {
    let (&first, rest) = key.split_first()?;
    let mut i = start;
    while let Some(p) = hay.get(i..)?.iter().position(|&b| b == first) {
        let at = i + p;
        if hay.get(at + 1..at + key.len()) == Some(rest) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Replaces `key` + `from` (a whole number) by `key` + `to` in `s`. Allocation-free: it runs
/// for every TCP frame, so it scans for `key` and compares the digits after it in place.
fn replace_number(s: &mut String, key: &str, from: u64, to: u64) {
    let mut start = 0;
    while let Some(pos) = find_from(s.as_bytes(), key.as_bytes(), start) {
        let digits_at = pos + key.len();
        let bytes = s.as_bytes();
        let n_digits = bytes.get(digits_at..).map(|b| b.iter().take_while(|c| c.is_ascii_digit()).count()).unwrap_or(0);
        let boundary_before = pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric();
        let number = bytes.get(digits_at..digits_at + n_digits).and_then(|d| std::str::from_utf8(d).ok()).and_then(|d| d.parse::<u64>().ok());
        // The same whole number, written without leading zeros (as `format!` would write it).
        let canonical = n_digits == 1 || bytes.get(digits_at) != Some(&b'0');
        if boundary_before && n_digits > 0 && canonical && number == Some(from) {
            let mut buf = [0u8; 20];
            let mut i = buf.len();
            let mut n = to;
            loop {
                i -= 1;
                buf[i] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            s.replace_range(digits_at..digits_at + n_digits, std::str::from_utf8(&buf[i..]).unwrap_or("0"));
            return;
        }
        start = digits_at.max(pos + 1);
    }
}

/// The Info-column prefix for the verdicts, in tshark's order (each marker is prepended, so
/// the last one added comes first).
pub fn info_markers(t: &TcpVerdict) -> String {
    let mut parts: Vec<String> = Vec::new();
    for info in t.flags.iter() {
        match info.marker {
            Some(m) => parts.push(m.to_owned()),
            None => parts.push(format!("[TCP Dup ACK {}#{}] ", t.dupack_frame, t.dupack_num)),
        }
    }
    parts.reverse();
    parts.concat()
}

fn rewrite_texts(d: &mut Dissection, li: usize, t: &TcpVerdict) {
    // A dissection without display text (`Dissector::set_text(false)`) has nothing to rewrite.
    if d.info.is_empty() && d.layers.get(li).is_none_or(|l| l.summary.is_empty()) {
        return;
    }
    let ack_bit = t.tcp_flags & super::tcp::ACK != 0 && crate::dissect::prefs::tcp_relative();
    if crate::dissect::prefs::tcp_relative() {
        replace_number(&mut d.info, "Seq=", t.seq_raw as u64, t.seq as u64);
    }
    if ack_bit {
        replace_number(&mut d.info, "Ack=", t.ack_raw as u64, t.ack as u64);
    }
    if crate::dissect::prefs::tcp_relative()
        && let Some(layer) = d.layers.get_mut(li)
    {
        replace_number(&mut layer.summary, "Seq: ", t.seq_raw as u64, t.seq as u64);
        if ack_bit {
            replace_number(&mut layer.summary, "Ack: ", t.ack_raw as u64, t.ack as u64);
        }
    }
    if t.window != 0 {
        // The dissector printed the raw window; tshark prints the scaled one.
        if let Some(raw) = d.layers.get(li).and_then(|l| {
            d.fields[l.fields.start as usize..l.fields.end as usize]
                .iter()
                .find(|x| std::ptr::eq(x.def, &crate::dissect::tcp::TCP_WINDOW_SIZE_VALUE))
                .and_then(|x| if let Value::UInt(n) = x.value { Some(n) } else { None })
        }) {
            replace_number(&mut d.info, "Win=", raw, t.window as u64);
        }
    }
    let markers = if crate::dissect::prefs::TCP_ANALYZE_SEQUENCE_NUMBERS.get() { info_markers(t) } else { String::new() };
    if !markers.is_empty() {
        d.info.insert_str(0, &markers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::model::Osi;

    #[test]
    fn replaces_only_whole_numbers() {
        let mut s = "80 → 1234 [ACK] Seq=12 Ack=123 Win=5 Len=0".to_owned();
        replace_number(&mut s, "Seq=", 12, 1);
        replace_number(&mut s, "Ack=", 12, 99);
        assert_eq!(s, "80 → 1234 [ACK] Seq=1 Ack=123 Win=5 Len=0");
    }

    #[test]
    fn dup_ack_marker_comes_after_window_update_marker() {
        let t = TcpVerdict {
            flags: Flags(Flags::DUPLICATE_ACK | Flags::WINDOW_UPDATE),
            dupack_frame: 12,
            dupack_num: 1,
            ..Default::default()
        };
        assert_eq!(info_markers(&t), "[TCP Dup ACK 12#1] [TCP Window Update] ");
    }

    #[test]
    fn annotation_grows_the_layer_and_shifts_the_next_one() {
        static PORT: FieldDef = FieldDef::new("tcp.srcport", "Source Port", crate::dissect::model::FieldType::U16, crate::dissect::model::Base::Dec);
        static DATA: FieldDef = FieldDef::new("data.data", "Data", crate::dissect::model::FieldType::Bytes, crate::dissect::model::Base::None);
        let field = |def: &'static FieldDef, offset| Field { def, offset, len: 2, depth: 0, source: 0, generated: false, hidden: false, value: Value::UInt(1) };
        let layer = |proto, start, end| Layer { proto, title: proto, osi: Osi::Transport, offset: 0, len: 20, source: 0, fields: start..end, summary: String::new() };
        let mut d = Dissection {
            layers: vec![layer("tcp", 0, 1), layer("data", 1, 2)],
            fields: vec![field(&PORT, 0), field(&DATA, 20)],
            experts: vec![Expert { severity: Severity::Note, key: "x", message: String::new(), field: Some(1) }],
            ..Default::default()
        };
        let t = TcpVerdict {
            stream: 3,
            has_analysis: true,
            flags: Flags(Flags::RETRANSMISSION),
            seglen: Some(0),
            ..Default::default()
        };
        let fa = FrameAnalysis { frame: 1, ts: 0, layers: vec![(0, TransportVerdict::Tcp(t))] };
        annotate(&fa, &mut d);
        let names: Vec<_> = d.fields.iter().map(|x| x.def.abbrev).collect();
        assert_eq!(
            names,
            [
                "tcp.srcport",
                "tcp.stream",
                "tcp.seq",
                "tcp.ack",
                "tcp.window_size",
                "_ws.text",
                "tcp.time_relative",
                "tcp.time_delta",
                "tcp.analysis",
                "tcp.analysis.flags",
                "tcp.analysis.retransmission",
                "data.data"
            ]
        );
        // The times sit under tshark's "[Timestamps]" item.
        assert_eq!(d.fields[5].value, Value::Str("Timestamps".into()));
        assert_eq!((d.fields[6].depth, d.fields[7].depth), (1, 1));
        assert_eq!(d.layers[0].fields, 0..11);
        assert_eq!(d.layers[1].fields, 11..12);
        assert_eq!(d.experts[0].field, Some(11));
        assert_eq!(d.experts[1].key, "tcp.analysis.retransmission");
        assert_eq!(d.experts[1].field, Some(10));
        assert_eq!(d.fields[10].depth, 2);
    }
}
