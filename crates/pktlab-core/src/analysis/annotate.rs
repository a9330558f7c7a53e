//! Writes a [`FrameAnalysis`] back into its [`Dissection`]: generated fields at the end of
//! each TCP/UDP layer (the layer's field range grows; later layers and expert references
//! shift), expert items for every verdict, and the Info column and layer summary rewritten
//! with relative Seq/Ack and the scaled window, prefixed by tshark's markers
//! (`[TCP Retransmission] `, `[TCP Dup ACK 12#1] `).
//!
//! It runs for every frame that is printed, so it works on one layer at a time in three
//! steps: one scan of the layer's fields finds every header field the new fields are placed
//! by ([`Anchor`]); the insertions are then planned one by one, each at the index it would
//! have if the ones before it had been made ([`Plan`], which keeps ranges and expert
//! references as a real insertion would); then they are all made at once, by one rotation
//! per run of new fields, instead of moving the vector's tail once per new field. The Info
//! column and the summary are rewritten in one pass each.
//!
//! Where the analysis is known before the frame is dissected (`-V` and `-T json`, which run
//! it first), [`additions`] makes the same fields beforehand and the TCP or UDP dissector
//! puts them in place as it adds the header's own ([`crate::dissect::Additions`]), which
//! costs far less than inserting; [`finish_placed`] then does what is left. A test checks
//! that both give the same dissection on every capture at hand.

use std::cell::RefCell;

use super::analyzer::{FrameAnalysis, TransportVerdict};
use super::fields as f;
use super::flags::{FLAG_INFO, Flags};
use super::tcp::{FinClose, TcpVerdict};
use crate::dissect::model::{AddedAt, Additions, Dissection, Expert, Field, FieldDef, Layer, Severity, Slot, Value};
use crate::dissect::tcp as h;

/// Adds the analysis of `fa` to `d`. Calling it twice adds the fields twice; call it once per
/// fresh dissection.
pub fn annotate(fa: &FrameAnalysis, d: &mut Dissection) {
    // (First: the Info column it may give back to TCP is then rewritten as any TCP one.)
    old_payload(fa, d);
    SCRATCH.with_borrow_mut(|s| annotate_with(fa, d, s));
}

/// What tshark 4.0 does with the payload of a segment its analysis flagged, by default
/// (`tcp.no_subdissector_on_error` on, in `decode_tcp_ports`; `desegment_tcp`): with
/// reassembly on, a retransmission's bytes are `Retransmitted TCP segment data (N bytes)` in
/// the TCP tree and no protocol's, a spurious retransmission's and an out-of-order segment's
/// nobody's; without reassembly (turned off, or a bad checksum being verified) a
/// retransmission's and an out-of-order segment's are nobody's. With reassembly, done here to
/// a payload the data dissector took, or that no protocol took (the protocols pktlab
/// reassembles read old bytes their own way); without, to whatever protocols read it: their
/// layers go, and the Info and Protocol columns are TCP's again.
fn old_payload(fa: &FrameAnalysis, d: &mut Dissection) {
    let [(li, TransportVerdict::Tcp(t))] = fa.layers.as_slice() else { return };
    let li = *li;
    // (Without the sequence analysis tshark flags nothing: every payload is read.)
    if t.in_error || !crate::dissect::prefs::TCP_ANALYZE_SEQUENCE_NUMBERS.get() || li >= d.layers.len() {
        return;
    }
    let tcp = d.layers[li].fields.clone();
    let bad_checksum = d.fields[tcp.start as usize..tcp.end as usize]
        .iter()
        .any(|x| std::ptr::eq(x.def, &h::TCP_CHECKSUM_STATUS) && matches!(x.value, Value::UInt(0)));
    let reassembly = crate::dissect::prefs::TCP_DESEGMENT_TCP_STREAMS.get() && !bad_checksum;
    let flags = t.flags;
    let retransmitted = flags.has(Flags::RETRANSMISSION);
    let dropped = retransmitted || flags.has(Flags::OUT_OF_ORDER) || (reassembly && flags.has(Flags::SPURIOUS_RETRANSMISSION));
    if !dropped {
        return;
    }
    let after = d.layers.get(li + 1).map(|l| l.proto);
    // What the payload's bytes are: the data layer's, or TCP's own payload field.
    let payload = match after {
        Some("data") => d.layers.get(li + 1).map(|l| (l.offset, l.len, l.source)),
        None => d.fields[tcp.start as usize..tcp.end as usize].iter().find(|x| std::ptr::eq(x.def, &h::TCP_PAYLOAD)).map(|x| (x.offset, x.len, x.source)),
        Some(_) if !reassembly => None,
        Some(_) => return,
    };
    if after.is_some() {
        drop_layers_after(d, li);
    }
    if retransmitted
        && reassembly
        && let Some((offset, len, source)) = payload.filter(|p| p.1 > 0)
    {
        let at = d.layers[li].fields.end;
        let field = Field { def: &h::TCP_SEGMENT_DATA, offset, len, depth: 0, source, generated: false, hidden: false, value: Value::Bytes };
        d.fields.insert(at as usize, field);
        shift_after_insert(d, li, at, 1);
    }
}

/// Takes away every layer after layer `li` (TCP) with its fields and expert items, and gives
/// the frame back to TCP: `frame.protocols` ends at `tcp`, the Info and Protocol columns are
/// the ones TCP wrote.
fn drop_layers_after(d: &mut Dissection, li: usize) {
    let Some(first) = d.layers.get(li + 1) else { return };
    let start = first.fields.start as usize;
    let gone: Vec<&'static str> = d.layers[li + 1..].iter().map(|l| l.proto).collect();
    let app_info = !matches!(gone.as_slice(), ["data"]);
    let end = d.layers[li + 1..].iter().map(|l| l.fields.end as usize).max().unwrap_or(start);
    d.layers.truncate(li + 1);
    // Expert items on the fields that go, or of the protocols that go, go with them.
    let malformed_in = d.malformed_in;
    let of_gone = |key: &str| gone.contains(&key.split('.').next().unwrap_or(key)) || (key == "malformed" && gone.contains(&malformed_in));
    d.experts.retain(|e| match e.field {
        Some(f) => !(start..end).contains(&(f as usize)),
        None => !of_gone(e.key),
    });
    if gone.contains(&d.malformed_in) {
        d.malformed_in = "";
    }
    d.remove_fields(start..end, None);
    if let Some(p) = d.fields.iter_mut().find(|x| std::ptr::eq(x.def, &crate::dissect::frame::FRAME_PROTOCOLS))
        && let Value::Str(s) = &p.value
        && let Some(at) = s.rfind(":tcp").filter(|&at| s[at + 4..].starts_with(':'))
    {
        p.value = Value::Str(s[..at + 4].into());
    }
    // (The data dissector leaves the columns to TCP.)
    if app_info && !d.info.is_empty() {
        d.info.clone_from(&d.tcp_info);
        d.protocol = "TCP";
    }
}

/// Vectors reused from frame to frame (emptied after every layer).
#[derive(Default)]
struct Scratch {
    /// The planned insertions of one layer (see [`Plan`]).
    planned: Vec<(u32, Field)>,
    /// The SEQ/ACK analysis fields of one layer, before they are planned.
    batch: Vec<Field>,
    /// The indices of the planned fields, while they are moved into place.
    positions: Vec<u32>,
    /// The Info column or a summary being rewritten.
    text: String,
    /// Expert items on new fields, by index.
    experts: Vec<(u32, Expert)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn annotate_with(fa: &FrameAnalysis, d: &mut Dissection, s: &mut Scratch) {
    // Empty unless an earlier call was cut short by a panic.
    s.planned.clear();
    s.batch.clear();
    s.positions.clear();
    let mut first_tcp = true;
    let outermost_tcp = fa.layers.iter().find(|(_, v)| matches!(v, TransportVerdict::Tcp(_))).map(|(i, _)| i);
    // Later layers first, so earlier layer indices stay valid while fields are inserted.
    for (li, verdict) in fa.layers.iter().rev() {
        let li = *li;
        let Some(layer) = d.layers.get(li) else { continue };
        let at_layer = At::of(layer);
        let range = layer.fields.start as usize..layer.fields.end as usize;
        let mut experts = Vec::new();
        let mut plan = Plan { li, orig: [NONE; ANCHORS], at: [NONE; ANCHORS], planned: &mut s.planned };
        let at = match verdict {
            TransportVerdict::Udp(u) => {
                plan.scan(d, range, None);
                udp_fields(&at_layer, u, &mut s.batch);
                plan.analysis_at(d)
            }
            TransportVerdict::Tcp(t) => {
                let relative = crate::dissect::prefs::tcp_relative();
                // SACK edges relative to the peer's first sequence number (the base of
                // `tcp.ack`), as tshark shows them with relative numbers on.
                let sack_base = (relative && !t.in_error && t.tcp_flags & super::tcp::ACK != 0).then(|| t.ack_raw.wrapping_sub(t.ack));
                plan.scan(d, range.clone(), sack_base);
                tcp_top_fields(d, &mut plan, range, t, relative);
                tcp_fields(&at_layer, t, &mut s.batch, &mut experts);
                if outermost_tcp == Some(&li) && first_tcp {
                    first_tcp = false;
                    let window_value = plan.orig(Anchor::WindowValue).and_then(|i| if let Value::UInt(n) = d.fields[i].value { Some(n) } else { None });
                    rewrite_texts(d, window_value, li, t, sack_base, &mut s.text);
                }
                plan.analysis_at(d)
            }
        };
        // As Wireshark: the SEQ/ACK analysis comes after the options, before the payload
        // (and UDP's stream and times before its payload).
        plan.insert_all(d, at, &mut s.batch);
        if let TransportVerdict::Tcp(t) = verdict
            && ack_nonzero(t)
        {
            // On `tcp.ack`, inserted just before `tcp.ack_raw`.
            let field = plan.pos(Anchor::AckRaw).and_then(|i| i.checked_sub(1));
            d.experts.push(ack_nonzero_expert(field));
        }
        if let TransportVerdict::Tcp(t) = verdict
            && let Some(close) = t.fin_close
        {
            // As tshark: on the TCP Flags string, after the dissector's "Connection finish".
            let (key, message) = fin_close(close);
            let field = plan.pos(Anchor::FlagsStr);
            d.experts.push(Expert { severity: Severity::Note, key, message: message.to_owned(), field });
        }
        for (rel, mut e) in experts {
            e.field = Some(at + rel);
            d.experts.push(e);
        }
        plan.apply(d, &mut s.positions);
    }
}

/// What [`annotate`] would insert for `fa`, made before the frame is dissected so that the
/// transport dissector puts it in place as it goes ([`Dissector::dissect_adding`]), which
/// costs far less than inserting into the finished dissection: the same fields at the same
/// places, the same expert items in the same order. False (and `adds` empty) where the frame
/// needs [`annotate`] after all: more than one TCP/UDP layer, a header quoted in an ICMP
/// error, or TCP's absolute sequence numbers. After the dissection, [`finish_placed`] does
/// the rest.
///
/// [`Dissector::dissect_adding`]: crate::dissect::Dissector::dissect_adding
pub fn additions(fa: &FrameAnalysis, adds: &mut Additions) -> bool {
    adds.clear();
    let [(li, verdict)] = fa.layers.as_slice() else { return false };
    adds.layer = *li;
    let here = At { offset: 0, source: 0 };
    match verdict {
        TransportVerdict::Udp(u) => {
            if u.in_error {
                return false;
            }
            // (The last slot: its fields go straight to the end.)
            udp_fields(&here, u, &mut adds.fields);
            adds.ends[Slot::BeforePayload as usize] = adds.fields.len() as u32;
        }
        TransportVerdict::Tcp(t) => {
            if t.in_error || !crate::dissect::prefs::tcp_relative() {
                return false;
            }
            adds.sack_base = (t.tcp_flags & super::tcp::ACK != 0).then(|| t.ack_raw.wrapping_sub(t.ack));
            // The summary's Seq and Ack, as `rewrite_texts` makes them (Ack only with the ACK
            // bit; without it the dissector writes none).
            adds.numbers = Some((t.seq, t.ack));
            for (slot, def, value) in [
                (Slot::BeforeLen, &f::TCP_STREAM, Some(Value::UInt(t.stream as u64))),
                (Slot::BeforeLen, &f::TCP_COMPLETENESS, t.completeness.map(|c| Value::UInt(c as u64))),
                (Slot::BeforeSeqRaw, &f::TCP_SEQ, Some(Value::UInt(t.seq as u64))),
                (Slot::AfterSeqRaw, &f::TCP_NXTSEQ, t.nxtseq.map(|n| Value::UInt(n as u64))),
                (Slot::BeforeAckRaw, &f::TCP_ACK, Some(Value::UInt(t.ack as u64))),
                (Slot::AfterWindowValue, &f::TCP_WINDOW_SIZE, Some(Value::UInt(t.window as u64))),
                (Slot::AfterWindowValue, &f::TCP_WINDOW_SCALEFACTOR, t.scalefactor.map(|s| Value::Int(s as i64))),
            ] {
                let Some(value) = value else { continue };
                let mut field = generated(&here, def, 0, value);
                // tshark shows the relative numbers as the header's own items.
                field.generated = !(std::ptr::eq(def, &f::TCP_SEQ) || std::ptr::eq(def, &f::TCP_ACK));
                adds.push(slot, field);
            }
            if ack_nonzero(t) {
                // (`tcp.ack` is the only field of its slot.)
                adds.experts.push((AddedAt::Slot(Slot::BeforeAckRaw, 0), ack_nonzero_expert(None)));
            }
            if let Some(close) = t.fin_close {
                let (key, message) = fin_close(close);
                adds.experts.push((AddedAt::FlagsStr, Expert { severity: Severity::Note, key, message: message.to_owned(), field: None }));
            }
            // (The last slot: its fields go straight to the end; the expert items' indices
            // are then among all the additions, made relative to the slot below.)
            let base = adds.fields.len() as u32;
            SCRATCH.with_borrow_mut(|s| {
                s.experts.clear();
                tcp_fields(&here, t, &mut adds.fields, &mut s.experts);
                adds.experts.extend(s.experts.drain(..).map(|(i, e)| (AddedAt::Slot(Slot::BeforePayload, i - base), e)));
            });
            adds.ends[Slot::BeforePayload as usize] = adds.fields.len() as u32;
        }
    }
    true
}

/// After [`Dissector::dissect_adding`] put the [`additions`] of `fa` in place: rewrites the
/// Info column and the layer summary as [`annotate`] does. False when the dissector put none
/// (then [`annotate`] is what the dissection needs).
///
/// [`Dissector::dissect_adding`]: crate::dissect::Dissector::dissect_adding
pub fn finish_placed(fa: &FrameAnalysis, d: &mut Dissection) -> bool {
    let Some(placed) = d.placed else { return false };
    if let [(li, TransportVerdict::Tcp(t))] = fa.layers.as_slice() {
        // `tcp.window_size_value` is the field just before the slot after it.
        let at = placed.starts[Slot::AfterWindowValue as usize].checked_sub(1);
        let window_value = at.and_then(|i| d.fields.get(i as usize)).and_then(|x| match x.value {
            Value::UInt(n) if std::ptr::eq(x.def, &h::TCP_WINDOW_SIZE_VALUE) => Some(n),
            _ => None,
        });
        // (The dissector wrote the SACK edges relative as it put the fields in place.)
        old_payload(fa, d);
        SCRATCH.with_borrow_mut(|s| rewrite_texts(d, window_value, *li, t, None, &mut s.text));
    }
    true
}

/// Whether the segment's acknowledgment number field is not zero though its ACK flag is
/// clear (tshark notes it on `tcp.ack`).
fn ack_nonzero(t: &TcpVerdict) -> bool {
    !t.in_error && t.tcp_flags & super::tcp::ACK == 0 && t.ack_raw != 0
}

fn ack_nonzero_expert(field: Option<u32>) -> Expert {
    Expert { severity: Severity::Note, key: "tcp.ack.nonzero", message: "The acknowledgment number field is nonzero while the ACK flag is not set".to_owned(), field }
}

/// The expert item of a FIN's side of the close.
fn fin_close(close: FinClose) -> (&'static str, &'static str) {
    match close {
        FinClose::Active => ("tcp.connection.fin_active", "This frame initiates the connection closing"),
        FinClose::Passive => ("tcp.connection.fin_passive", "This frame undergoes the connection closing"),
    }
}

/// UDP's generated fields: the stream index, then the times when shown.
fn udp_fields(layer: &At, u: &super::udp::UdpVerdict, new: &mut Vec<Field>) {
    // The dissector never adds `udp.stream`: always a new field.
    new.push(generated(layer, &f::UDP_STREAM, 0, Value::UInt(u.stream as u64)));
    if u.timed {
        new.push(generated(layer, &crate::dissect::data::WS_TEXT, 0, Value::Str("Timestamps".into())));
        new.push(generated(layer, &f::UDP_TIME_RELATIVE, 1, Value::Duration(u.time_relative)));
        new.push(generated(layer, &f::UDP_TIME_DELTA, 1, Value::Duration(u.time_delta)));
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

/// A field the generated fields are placed by: the first field of its definition in the
/// layer ([`ANCHOR_DEFS`] in the same order).
#[derive(Clone, Copy)]
enum Anchor {
    Len,
    SeqRaw,
    AckRaw,
    HdrLen,
    FlagsStr,
    WindowValue,
    Checksum,
    /// `tcp.window_size`: inserted by the analysis, and the scale factor goes after it.
    WindowSize,
    TcpPayload,
    UdpPayload,
    /// `tcp.reset_cause`: a RST's text, after the analysis (with or without the payload item).
    ResetCause,
}

const ANCHORS: usize = 11;

static ANCHOR_DEFS: [&FieldDef; ANCHORS] = [
    &h::TCP_LEN,
    &h::TCP_SEQ_RAW,
    &h::TCP_ACK_RAW,
    &h::TCP_HDR_LEN,
    &h::TCP_FLAGS_STR,
    &h::TCP_WINDOW_SIZE_VALUE,
    &h::TCP_CHECKSUM,
    &f::TCP_WINDOW_SIZE,
    &h::TCP_PAYLOAD,
    &crate::dissect::udp::UDP_PAYLOAD,
    &h::TCP_RESET_CAUSE,
];

/// The SACK block edges, made relative with relative sequence numbers.
static SACK_EDGES: [&FieldDef; 4] = {
    use crate::dissect::tcp_options as o;
    [&o::TCP_OPTIONS_SACK_LE, &o::TCP_OPTIONS_SACK_RE, &o::TCP_OPTIONS_SACK_DSACK_LE, &o::TCP_OPTIONS_SACK_DSACK_RE]
};

/// The [`def_bit`]s of [`ANCHOR_DEFS`] and of [`SACK_EDGES`].
static DEF_BITS: std::sync::OnceLock<(u64, u64)> = std::sync::OnceLock::new();

/// One of 64 bits, picked by the definition's address: a field whose bit is not among the
/// wanted definitions' bits is none of them.
fn def_bit(def: &FieldDef) -> u64 {
    1 << ((def as *const FieldDef as usize as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

/// No such field.
const NONE: u32 = u32::MAX;

/// The fields to insert into one layer. Each insertion is given the index it has in the
/// dissection as it would be after the insertions before it (as if inserted right away):
/// the fields planned earlier at or after that index, the anchors and the ranges and expert
/// references of [`shift_after_insert`] move up, so later insertions see the same indices a
/// field-by-field `Vec::insert` would give. [`Plan::apply`] then makes them all at once.
struct Plan<'s> {
    li: usize,
    /// Each anchor's index among the fields as they are in `d.fields` (not yet moved).
    orig: [u32; ANCHORS],
    /// Each anchor's index after the planned insertions.
    at: [u32; ANCHORS],
    /// Planned fields and their indices after all the insertions planned so far.
    planned: &'s mut Vec<(u32, Field)>,
}

impl Plan<'_> {
    /// Finds the anchors among the fields `range` of `d` (the layer's), and rewrites the SACK
    /// edges relative to `sack_base` if given.
    fn scan(&mut self, d: &mut Dissection, range: std::ops::Range<usize>, sack_base: Option<u32>) {
        let start = range.start as u32;
        let Some(fields) = d.fields.get_mut(range) else { return };
        let (anchor_bits, sack_bits) = *DEF_BITS.get_or_init(|| (ANCHOR_DEFS.iter().fold(0, |m, d| m | def_bit(d)), SACK_EDGES.iter().fold(0, |m, d| m | def_bit(d))));
        let wanted = if sack_base.is_some() { anchor_bits | sack_bits } else { anchor_bits };
        // Backwards, so the last match written is the layer's first field of the kind.
        for (i, x) in fields.iter_mut().enumerate().rev() {
            // Most fields are neither: one bit test passes them by.
            if def_bit(x.def) & wanted == 0 {
                continue;
            }
            for (k, def) in ANCHOR_DEFS.iter().enumerate() {
                if std::ptr::eq(x.def, *def) {
                    self.orig[k] = start + i as u32;
                }
            }
            if let Some(base) = sack_base
                && SACK_EDGES.iter().any(|d| std::ptr::eq(x.def, *d))
                && let Value::UInt(raw) = x.value
            {
                x.value = Value::UInt((raw as u32).wrapping_sub(base) as u64);
            }
        }
        self.at = self.orig;
    }

    /// The anchor's index now (after the planned insertions).
    fn pos(&self, a: Anchor) -> Option<u32> {
        let i = self.at[a as usize];
        (i != NONE).then_some(i)
    }

    /// The anchor's index in `d.fields` as they are before [`Plan::apply`].
    fn orig(&self, a: Anchor) -> Option<usize> {
        let i = self.orig[a as usize];
        (i != NONE).then_some(i as usize)
    }

    /// Where the SEQ/ACK analysis goes: before the payload (or a RST's text), else at the
    /// layer's end.
    fn analysis_at(&self, d: &Dissection) -> u32 {
        self.pos(Anchor::TcpPayload).or_else(|| self.pos(Anchor::ResetCause)).or_else(|| self.pos(Anchor::UdpPayload)).unwrap_or_else(|| d.layers[self.li].fields.end)
    }

    /// Makes room for `n` fields at index `at` (the end of the layer at most): moves up the
    /// planned fields and anchors at or after it, grows the layer's range and shifts every
    /// later range and expert reference. Returns where the new fields go in `planned`.
    fn make_room(&mut self, d: &mut Dissection, at: u32, n: u32) -> usize {
        let mut slot = self.planned.len();
        for (k, (p, _)) in self.planned.iter_mut().enumerate().rev() {
            if *p < at {
                break;
            }
            *p += n;
            slot = k;
        }
        for p in &mut self.at {
            // `NONE` stays `NONE`.
            *p = p.saturating_add(if *p >= at { n } else { 0 });
        }
        shift_after_insert(d, self.li, at, n);
        slot
    }

    /// Plans `field` at index `at` (the end of the layer at most).
    fn insert(&mut self, d: &mut Dissection, at: u32, field: Field) {
        let window = std::ptr::eq(field.def, &f::TCP_WINDOW_SIZE);
        let slot = self.make_room(d, at, 1);
        self.planned.insert(slot, (at, field));
        if window {
            self.new_window_size(at);
        }
    }

    /// Plans all of `fields` at index `at`, in order, as one insertion (the ranges and
    /// expert references shift once, by their number), leaving `fields` empty.
    fn insert_all(&mut self, d: &mut Dissection, at: u32, fields: &mut Vec<Field>) {
        if fields.is_empty() {
            return;
        }
        let window = fields.iter().position(|x| std::ptr::eq(x.def, &f::TCP_WINDOW_SIZE));
        let slot = self.make_room(d, at, fields.len() as u32);
        self.planned.splice(slot..slot, fields.drain(..).enumerate().map(|(k, x)| (at + k as u32, x)));
        if let Some(k) = window {
            self.new_window_size(at + k as u32);
        }
    }

    /// A `tcp.window_size` was planned at `at`. Of the anchors it is the only field the
    /// analysis adds: the layer's first may now be this one.
    fn new_window_size(&mut self, at: u32) {
        let first = &mut self.at[Anchor::WindowSize as usize];
        *first = (*first).min(at);
    }

    /// Makes the planned insertions (`planned` is in index order, `positions` an empty
    /// scratch vector): every field after the first insertion moves once.
    fn apply(self, d: &mut Dissection, positions: &mut Vec<u32>) {
        // The new fields go after the old ones first: [old | N0 … Nm-1].
        for (p, field) in self.planned.drain(..) {
            positions.push(p);
            d.fields.push(field);
        }
        // Then, from the last: while N0 … Nj-1 are not in place, the last of them that go to
        // consecutive indices, Nk … Nj-1, are put there by one rotation, which moves the old
        // fields from Nk's place to the end of what is not yet in place after N0 … Nj-1.
        let mut end = d.fields.len();
        let mut j = positions.len();
        while j > 0 {
            let mut k = j - 1;
            while k > 0 && positions[k - 1] + 1 == positions[k] {
                k -= 1;
            }
            let old_end = end - j;
            // An index past the old fields (a layer range beyond them) leaves them at the end.
            let from = (positions[k] as usize - k).min(old_end);
            d.fields[from..end].rotate_right(j);
            end = from + k;
            j = k;
        }
        positions.clear();
    }
}

/// Sets the value of the first field of `def` among `fields` (the layer's, before any
/// insertion); false if absent.
fn update_in_place(fields: &mut [Field], def: &'static FieldDef, value: Value) -> bool {
    match fields.iter_mut().find(|x| std::ptr::eq(x.def, def)) {
        Some(field) => {
            field.value = value;
            true
        }
        None => false,
    }
}

/// Where a generated TCP number goes: before or after a header field, as Wireshark's tree
/// shows it (relative sequence number first, then the raw one).
enum Place {
    Before(Anchor),
    After(Anchor),
}

/// The stream index, relative numbers and calculated window, each beside the header field
/// it explains (at the layer's end when that field is absent). `range`: the layer's fields
/// as the dissector left them.
fn tcp_top_fields(d: &mut Dissection, plan: &mut Plan<'_>, range: std::ops::Range<usize>, t: &TcpVerdict, relative: bool) {
    use Anchor as A;
    if !relative && !t.in_error {
        absolute_numbers(d, plan, t);
    }
    let top: [(&'static FieldDef, Option<Value>, [Place; 2]); 7] = [
        (&f::TCP_STREAM, Some(Value::UInt(t.stream as u64)), [Place::Before(A::Len), Place::Before(A::SeqRaw)]),
        (&f::TCP_COMPLETENESS, t.completeness.map(|c| Value::UInt(c as u64)), [Place::Before(A::Len), Place::Before(A::SeqRaw)]),
        (&f::TCP_SEQ, Some(Value::UInt(t.seq as u64)), [Place::Before(A::SeqRaw), Place::Before(A::AckRaw)]),
        (&f::TCP_NXTSEQ, t.nxtseq.map(|n| Value::UInt(n as u64)), [Place::After(A::SeqRaw), Place::Before(A::AckRaw)]),
        (&f::TCP_ACK, Some(Value::UInt(t.ack as u64)), [Place::Before(A::AckRaw), Place::Before(A::HdrLen)]),
        (&f::TCP_WINDOW_SIZE, Some(Value::UInt(t.window as u64)), [Place::After(A::WindowValue), Place::Before(A::Checksum)]),
        (&f::TCP_WINDOW_SCALEFACTOR, t.scalefactor.map(|s| Value::Int(s as i64)), [Place::After(A::WindowSize), Place::After(A::WindowValue)]),
    ];
    let Some(layer) = d.layers.get(plan.li).map(At::of) else { return };
    for (def, value, places) in top {
        let Some(value) = value else { continue };
        // Absolute numbers: the header's own items became `tcp.seq` and `tcp.ack` above.
        if !relative && !t.in_error && (std::ptr::eq(def, &f::TCP_SEQ) || std::ptr::eq(def, &f::TCP_NXTSEQ) || (std::ptr::eq(def, &f::TCP_ACK) && t.tcp_flags & super::tcp::ACK != 0)) {
            continue;
        }
        // Only a header quoted in an ICMP error carries one of these already (`tcp.seq`).
        // None of them is among the planned fields: each is planned once, after this check.
        if t.in_error && d.fields.get_mut(range.clone()).is_some_and(|fs| update_in_place(fs, def, value.clone())) {
            continue;
        }
        let at = places
            .iter()
            .find_map(|p| match *p {
                Place::Before(anchor) => plan.pos(anchor),
                Place::After(anchor) => plan.pos(anchor).map(|i| i + 1),
            })
            .unwrap_or_else(|| d.layers[plan.li].fields.end);
        let mut field = generated(&layer, def, 0, value);
        // tshark shows the relative numbers as the header's own items.
        field.generated = !(std::ptr::eq(def, &f::TCP_SEQ) || std::ptr::eq(def, &f::TCP_ACK));
        plan.insert(d, at, field);
    }
}

/// With `tcp.relative_sequence_numbers` (or the analysis) off, as tshark: `tcp.seq` is the
/// header's raw number, with `tcp.seq_raw` hidden after it, then the absolute next sequence
/// number; on a segment with ACK set `tcp.ack` is the raw number, `tcp.ack_raw` hidden
/// (without ACK, tshark keeps `tcp.ack` 0 beside a visible `tcp.ack_raw`).
fn absolute_numbers(d: &mut Dissection, plan: &mut Plan<'_>, t: &TcpVerdict) {
    if let (Some(o), Some(i)) = (plan.orig(Anchor::SeqRaw), plan.pos(Anchor::SeqRaw)) {
        let raw = d.fields[o].clone();
        d.fields[o].hidden = true;
        let mut seq = Field { def: &f::TCP_SEQ, ..raw };
        seq.generated = false;
        // `tcp.seq` before the hidden raw number, the next sequence number after it.
        plan.insert(d, i, seq);
        if let Some(n) = t.nxtseq {
            let next = t.seq_raw.wrapping_add(n.wrapping_sub(t.seq));
            let field = generated(&At::of(&d.layers[plan.li]), &f::TCP_NXTSEQ, 0, Value::UInt(next as u64));
            plan.insert(d, i + 2, field);
        }
    }
    if t.tcp_flags & super::tcp::ACK != 0
        && let (Some(o), Some(i)) = (plan.orig(Anchor::AckRaw), plan.pos(Anchor::AckRaw))
    {
        let raw = d.fields[o].clone();
        d.fields[o].hidden = true;
        plan.insert(d, i, Field { def: &f::TCP_ACK, ..raw });
    }
}

fn tcp_fields(layer: &At, t: &TcpVerdict, new: &mut Vec<Field>, experts: &mut Vec<(u32, Expert)>) {
    let layer = *layer;
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

/// Grows layer `li`'s range by the `n` fields inserted at `at`, and shifts every later range
/// and expert reference.
fn shift_after_insert(d: &mut Dissection, li: usize, at: u32, n: u32) {
    for (i, l) in d.layers.iter_mut().enumerate() {
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
            && *fi >= at
        {
            *fi += n;
        }
    }
}

/// Where `key` first occurs in `hay` at or after `start` (a short key: its first byte is
/// looked for, then the rest compared).
#[cfg(test)]
fn find_from(hay: &[u8], key: &[u8], start: usize) -> Option<usize> {
    let (&first, rest) = key.split_first()?;
    let mut i = start;
    while let Some(p) = find_byte(hay.get(i..)?, first) {
        let at = i + p;
        if hay.get(at + 1..at + key.len()) == Some(rest) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Where `b` first occurs in `hay`, eight bytes at a time.
fn find_byte(hay: &[u8], b: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // A zero byte where `b` is; the lowest flagged byte is the first zero (a borrow only
        // flags bytes above a zero one).
        let x = u64::from_le_bytes(word) ^ (ONES * b as u64);
        let zero = x.wrapping_sub(ONES) & !x & HIGHS;
        if zero != 0 {
            return Some(base + (zero.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks.remainder().iter().position(|&c| c == b).map(|p| base + p)
}

/// A number to rewrite after a key (`Seq=`): `Some((from, to))`, or `None` to leave it.
type Renumber = (&'static [u8], Option<(u64, u64)>);

/// For each `(key, Some((from, to)))` of `subs`, replaces the first `key` followed by `from`
/// in `s` (a whole number as `format!` writes it, the key not preceded by a letter or digit)
/// by `key` followed by `to`, as replacing them one after the other would: the keys (three
/// letters, then the same separator, found nowhere else in them) have no digits, so no
/// replacement makes, unmakes or moves into another key's match. One pass finds them all,
/// by their separator; the text is then written once into `buf` (an empty scratch string),
/// which takes the place of `s`.
fn replace_numbers<const N: usize>(s: &mut String, buf: &mut String, subs: [Renumber; N]) {
    // Replacing a number by itself leaves the text as it is.
    let mut left = subs.iter().filter(|(_, n)| n.is_some_and(|(from, to)| from != to)).count();
    if left == 0 {
        return;
    }
    let bytes = s.as_bytes();
    let sep = subs[0].0[3];
    // The digits of each key's number, where found.
    let mut found: [Option<(usize, usize)>; N] = [None; N];
    let mut i = 3;
    while left > 0
        && let Some(p) = bytes.get(i..).and_then(|b| find_byte(b, sep))
    {
        let pos = i + p - 3;
        i += p + 1;
        for (k, (key, n)) in subs.iter().enumerate() {
            let Some((from, to)) = *n else { continue };
            if from == to || found[k].is_some() || bytes.get(pos..pos + key.len()) != Some(*key) {
                continue;
            }
            let digits_at = pos + key.len();
            let rest = &bytes[digits_at..];
            let n_digits = rest.iter().position(|c| !c.is_ascii_digit()).unwrap_or(rest.len());
            let boundary_before = pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric();
            if boundary_before && writes(&rest[..n_digits], from) {
                found[k] = Some((digits_at, digits_at + n_digits));
                left -= 1;
            }
        }
    }
    buf.clear();
    let mut copied = 0;
    // In text order (at most three: picked one by one).
    while let Some(k) = (0..N).filter(|&k| found[k].is_some_and(|(at, _)| at >= copied)).min_by_key(|&k| found[k].map(|(at, _)| at)) {
        let (Some((at, end)), Some((_, to))) = (found[k], subs[k].1) else { break };
        buf.push_str(&s[copied..at]);
        buf.push_str(itoa::Buffer::new().format(to));
        copied = end;
    }
    if copied == 0 {
        return;
    }
    buf.push_str(&s[copied..]);
    std::mem::swap(s, buf);
    buf.clear();
}

/// [`replace_numbers`] of one key: the reference it is tested against.
#[cfg(test)]
fn replace_number(s: &mut String, key: &str, from: u64, to: u64) {
    if from == to {
        // Replacing the number by itself leaves the text as it is.
        return;
    }
    let mut start = 0;
    let bytes = s.as_bytes();
    while let Some(pos) = find_from(bytes, key.as_bytes(), start) {
        let digits_at = pos + key.len();
        let rest = bytes.get(digits_at..).unwrap_or_default();
        let n_digits = rest.iter().position(|c| !c.is_ascii_digit()).unwrap_or(rest.len());
        let boundary_before = pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric();
        if boundary_before && writes(&rest[..n_digits], from) {
            s.replace_range(digits_at..digits_at + n_digits, itoa::Buffer::new().format(to));
            return;
        }
        start = digits_at.max(pos + 1);
    }
}

/// Whether `digits` (ASCII digits only) are `n` as `format!` writes it: not empty, no
/// leading zero (`007` is not 7), not more than a `u64` holds.
fn writes(digits: &[u8], n: u64) -> bool {
    if digits.is_empty() || (digits[0] == b'0' && digits.len() > 1) {
        return false;
    }
    let mut value: u64 = 0;
    for &c in digits {
        match value.checked_mul(10).and_then(|v| v.checked_add((c - b'0') as u64)) {
            Some(v) => value = v,
            None => return false,
        }
    }
    value == n
}

/// The Info-column prefix for the verdicts, in tshark's order (each marker is prepended, so
/// the last one added comes first).
pub fn info_markers(t: &TcpVerdict) -> String {
    let mut out = String::new();
    push_info_markers(t, &mut out);
    out
}

/// [`info_markers`], appended to `out`.
fn push_info_markers(t: &TcpVerdict, out: &mut String) {
    // `Flags::iter` in reverse.
    for info in FLAG_INFO.iter().rev().filter(|i| t.flags.has(i.bit)) {
        match info.marker {
            Some(m) => out.push_str(m),
            None => {
                out.push_str("[TCP Dup ACK ");
                out.push_str(itoa::Buffer::new().format(t.dupack_frame));
                out.push('#');
                out.push_str(itoa::Buffer::new().format(t.dupack_num));
                out.push_str("] ");
            }
        }
    }
}

/// Rewrites the Info column and the layer summary: relative Seq/Ack, the scaled window and
/// the verdicts' markers. `window_value`: the layer's `tcp.window_size_value` (the window
/// as sent); `buf`: an empty scratch string.
/// With `sack_base`, the Info's SACK edges (`SLE=`, `SRE=`) are made relative to it too.
fn rewrite_texts(d: &mut Dissection, window_value: Option<u64>, li: usize, t: &TcpVerdict, sack_base: Option<u32>, buf: &mut String) {
    // A dissection without display text (`Dissector::set_text(false)`) has nothing to rewrite.
    if d.info.is_empty() && d.layers.get(li).is_none_or(|l| l.summary.is_empty()) {
        return;
    }
    let relative = crate::dissect::prefs::tcp_relative();
    let ack_bit = t.tcp_flags & super::tcp::ACK != 0 && relative;
    // (key, raw number, number shown); `None` where not rewritten.
    let seq = relative.then_some((t.seq_raw as u64, t.seq as u64));
    let ack = ack_bit.then_some((t.ack_raw as u64, t.ack as u64));
    // The dissector printed the raw window; tshark prints the scaled one. (The analysis adds
    // no `tcp.window_size_value`: the layer's first is the dissector's.)
    let win = window_value.filter(|_| t.window != 0).map(|n| (n, t.window as u64));
    replace_numbers(&mut d.info, buf, [(b"Seq=", seq), (b"Ack=", ack), (b"Win=", win)]);
    if let Some(base) = sack_base {
        relative_sack_edges(&mut d.info, base, buf);
    }
    // (A dissector that put the analysis in place wrote the summary's numbers itself.)
    if let Some(layer) = d.layers.get_mut(li).filter(|_| d.placed.is_none()) {
        replace_numbers(&mut layer.summary, buf, [(b"Seq: ", seq), (b"Ack: ", ack)]);
    }
    if !t.flags.is_empty() && crate::dissect::prefs::TCP_ANALYZE_SEQUENCE_NUMBERS.get() {
        let mut markers = String::new();
        push_info_markers(t, &mut markers);
        d.info.insert_str(0, &markers);
    }
}

/// Every ` SLE=N` and ` SRE=N` of an Info text with N relative to `base` (as a 32-bit
/// sequence number), as tshark writes SACK edges with relative sequence numbers.
fn relative_sack_edges(info: &mut String, base: u32, buf: &mut String) {
    if !info.contains(" SLE=") {
        return;
    }
    buf.clear();
    let mut rest = info.as_str();
    while let Some(at) = [" SLE=", " SRE="].iter().filter_map(|k| rest.find(k)).min() {
        let (head, tail) = rest.split_at(at + 5);
        buf.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        match tail[..digits].parse::<u32>() {
            Ok(n) => buf.push_str(itoa::Buffer::new().format(n.wrapping_sub(base))),
            Err(_) => buf.push_str(&tail[..digits]),
        }
        rest = &tail[digits..];
    }
    buf.push_str(rest);
    std::mem::swap(info, buf);
    buf.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::model::Osi;

    #[test]
    fn sack_edges_in_the_info_become_relative() {
        let mut s = "9000 → 37024 [ACK] Seq=1 Ack=8689 Win=80896 Len=0 SLE=1887411801 SRE=1887413249 SLE=5 SRE=x".to_owned();
        relative_sack_edges(&mut s, 1887401664, &mut String::new());
        assert_eq!(s, "9000 → 37024 [ACK] Seq=1 Ack=8689 Win=80896 Len=0 SLE=10137 SRE=11585 SLE=2407565637 SRE=x");
        let mut s = "SLE=1 no edges".to_owned();
        relative_sack_edges(&mut s, 1, &mut String::new());
        assert_eq!(s, "SLE=1 no edges");
    }

    #[test]
    fn replaces_only_the_number_as_written() {
        let mut s = "Seq=007 XSeq=7 Seq=70 Seq=18446744073709551616 Seq=7".to_owned();
        replace_number(&mut s, "Seq=", 7, 1234);
        assert_eq!(s, "Seq=007 XSeq=7 Seq=70 Seq=18446744073709551616 Seq=1234");
        let mut s = "Seq=0 Ack=18446744073709551615".to_owned();
        replace_number(&mut s, "Seq=", 0, 9);
        replace_number(&mut s, "Ack=", u64::MAX, 1);
        assert_eq!(s, "Seq=9 Ack=1");
    }

    /// One pass gives what one replacement after the other gives.
    #[test]
    fn replaces_numbers_as_one_after_the_other() {
        let texts = [
            "80 → 1234 [ACK] Seq=4000000000 Ack=77 Win=512 Len=0",
            "Seq=5Ack=6Win=7",
            "Win=7 Ack=6 Seq=5 Seq=5 Ack=6",
            "XSeq=5 Seq=05 Seq=5 Ack=66 Ack=6 Win=7x Win=7",
            "Seq= Ack=6= Win==7 Seq=5",
            "→Seq=5 →Ack=6 Win=7→",
            "Seq=5",
            "",
        ];
        let subs = [(5, 50), (6, 6), (7, 123456)];
        for text in texts {
            for mask in 0..8 {
                let pick = |k: usize| (mask & (1 << k) != 0).then_some(subs[k]);
                let mut one_by_one = text.to_owned();
                for (k, key) in ["Seq=", "Ack=", "Win="].into_iter().enumerate() {
                    if let Some((from, to)) = pick(k) {
                        replace_number(&mut one_by_one, key, from, to);
                    }
                }
                let mut at_once = text.to_owned();
                replace_numbers(&mut at_once, &mut String::new(), [(b"Seq=", pick(0)), (b"Ack=", pick(1)), (b"Win=", pick(2))]);
                assert_eq!(at_once, one_by_one, "{text:?} {mask}");
            }
        }
    }

    #[test]
    fn finds_each_byte_where_a_plain_search_does() {
        let hay = "80 → 1234 [ACK] Seq=12 Ack=123 Win=5 Len=0 TSval=1 TSecr=2".as_bytes();
        for start in 0..hay.len() {
            for b in [b'S', b'A', b'W', b'=', b'0', 0xe2, b'z', b'2'] {
                assert_eq!(find_byte(&hay[start..], b), hay[start..].iter().position(|&c| c == b), "{b} from {start}");
            }
        }
    }

    /// A planned insertion gives the fields, layer ranges and expert references that
    /// inserting right away (`Vec::splice` and [`shift_after_insert`] per insertion) gives,
    /// with layers before, after, inside and around the one that grows.
    #[test]
    fn plan_matches_inserting_one_insertion_at_a_time() {
        static X: FieldDef = FieldDef::new("x", "X", crate::dissect::model::FieldType::U8, crate::dissect::model::Base::Dec);
        let field = |tag: u32| Field { def: &X, offset: tag, len: 1, depth: 0, source: 0, generated: false, hidden: false, value: Value::None };
        let layer = |start, end| Layer { proto: "x", title: "x", osi: Osi::Transport, offset: 0, len: 0, source: 0, fields: start..end, summary: String::new() };
        let expert = |i| Expert { severity: Severity::Note, key: "x", message: String::new(), field: i };
        let li = 2;
        let fresh = || Dissection {
            layers: vec![layer(0, 20), layer(2, 8), layer(8, 14), layer(14, 14), layer(14, 20), layer(10, 14), layer(8, 14)],
            fields: (0..20).map(field).collect(),
            experts: [Some(0), Some(8), Some(13), Some(14), Some(19), None, Some(10)].into_iter().map(expert).collect(),
            ..Default::default()
        };
        // (index now or the layer's end, how many), in order.
        let ops: &[(Option<u32>, u32)] = &[(Some(9), 1), (Some(9), 1), (Some(12), 1), (None, 1), (Some(13), 3), (Some(8), 1), (None, 2), (Some(10), 1)];
        let mut reference = fresh();
        let mut planned = Vec::new();
        let mut d = fresh();
        let mut plan = Plan { li, orig: [NONE; ANCHORS], at: [NONE; ANCHORS], planned: &mut planned };
        let mut tag = 100;
        for &(at, n) in ops {
            let at = at.unwrap_or(reference.layers[li].fields.end);
            let new: Vec<Field> = (tag..tag + n).map(field).collect();
            tag += n;
            reference.fields.splice(at as usize..at as usize, new.clone());
            shift_after_insert(&mut reference, li, at, n);
            if n == 1 {
                plan.insert(&mut d, at, new.into_iter().next().unwrap());
            } else {
                plan.insert_all(&mut d, at, &mut new.clone());
            }
        }
        plan.apply(&mut d, &mut Vec::new());
        let tags = |d: &Dissection| d.fields.iter().map(|x| x.offset).collect::<Vec<_>>();
        assert_eq!(tags(&d), tags(&reference));
        assert_eq!(d.layers.iter().map(|l| l.fields.clone()).collect::<Vec<_>>(), reference.layers.iter().map(|l| l.fields.clone()).collect::<Vec<_>>());
        assert_eq!(d.experts.iter().map(|e| e.field).collect::<Vec<_>>(), reference.experts.iter().map(|e| e.field).collect::<Vec<_>>());
        assert_eq!(d.fields.len(), 20 + tag as usize - 100);
    }

    #[test]
    fn replaces_only_whole_numbers() {
        let mut s = "80 → 1234 [ACK] Seq=12 Ack=123 Win=5 Len=0".to_owned();
        replace_numbers(&mut s, &mut String::new(), [(b"Seq=", Some((12, 1))), (b"Ack=", Some((12, 99)))]);
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
            // (A protocol's layer next: a retransmission's `data` would be taken away.)
            layers: vec![layer("tcp", 0, 1), layer("game", 1, 2)],
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

    #[test]
    fn a_retransmitted_or_out_of_order_payload_is_no_protocols() {
        static PORT: FieldDef = FieldDef::new("tcp.srcport", "Source Port", crate::dissect::model::FieldType::U16, crate::dissect::model::Base::Dec);
        static DATA: FieldDef = FieldDef::new("data.data", "Data", crate::dissect::model::FieldType::Bytes, crate::dissect::model::Base::None);
        let layer = |proto, start, end, offset, len| Layer { proto, title: proto, osi: Osi::Transport, offset, len, source: 0, fields: start..end, summary: String::new() };
        let run = |bits: u32, protos: &str| {
            let mut d = Dissection {
                layers: vec![layer("tcp", 0, 1, 0, 20), layer("data", 1, 2, 20, 9)],
                fields: vec![
                    Field { def: &PORT, offset: 0, len: 2, depth: 0, source: 0, generated: false, hidden: false, value: Value::UInt(1) },
                    Field { def: &DATA, offset: 20, len: 9, depth: 0, source: 0, generated: false, hidden: false, value: Value::Bytes },
                    Field { def: &crate::dissect::frame::FRAME_PROTOCOLS, offset: 0, len: 0, depth: 0, source: 0, generated: true, hidden: false, value: Value::Str(protos.into()) },
                ],
                ..Default::default()
            };
            let t = TcpVerdict { has_analysis: true, flags: Flags(bits), seglen: Some(9), ..Default::default() };
            old_payload(&FrameAnalysis { frame: 1, ts: 0, layers: vec![(0, TransportVerdict::Tcp(t))] }, &mut d);
            d
        };
        // A retransmission: `Retransmitted TCP segment data` over the bytes, at the end of TCP.
        let d = run(Flags::RETRANSMISSION, "eth:ethertype:ip:tcp:data");
        assert_eq!(d.layers.len(), 1);
        let names: Vec<_> = d.fields.iter().map(|x| x.def.abbrev).collect();
        assert_eq!(names, ["tcp.srcport", "tcp.segment_data", "frame.protocols"]);
        assert_eq!((d.fields[1].offset, d.fields[1].len, d.layers[0].fields.clone()), (20, 9, 0..2));
        assert!(matches!(&d.fields[2].value, Value::Str(s) if &**s == "eth:ethertype:ip:tcp"));
        // Out of order: nothing in its place.
        let d = run(Flags::OUT_OF_ORDER, "eth:ethertype:ip:tcp:data");
        let names: Vec<_> = d.fields.iter().map(|x| x.def.abbrev).collect();
        assert_eq!(names, ["tcp.srcport", "frame.protocols"]);
        // A fast retransmission is read as any segment.
        let d = run(Flags::FAST_RETRANSMISSION, "eth:ethertype:ip:tcp:data");
        assert_eq!(d.layers.len(), 2);
        // Without reassembly (a bad checksum verified), a retransmission another protocol read
        // is nobody's: its layers and expert items go, the columns are TCP's again.
        static RECORD: FieldDef = FieldDef::new("tls.record", "Record Layer", crate::dissect::model::FieldType::None, crate::dissect::model::Base::None);
        let mut d = Dissection {
            layers: vec![layer("tcp", 0, 2, 0, 20), layer("tls", 2, 3, 20, 9)],
            fields: vec![
                Field { def: &PORT, offset: 0, len: 2, depth: 0, source: 0, generated: false, hidden: false, value: Value::UInt(1) },
                Field { def: &h::TCP_CHECKSUM_STATUS, offset: 16, len: 0, depth: 0, source: 0, generated: true, hidden: false, value: Value::UInt(0) },
                Field { def: &RECORD, offset: 20, len: 9, depth: 0, source: 0, generated: false, hidden: false, value: Value::None },
                Field { def: &crate::dissect::frame::FRAME_PROTOCOLS, offset: 0, len: 0, depth: 0, source: 0, generated: true, hidden: false, value: Value::Str("eth:ethertype:ip:tcp:tls".into()) },
            ],
            experts: vec![Expert { severity: Severity::Chat, key: "tls.x", message: "on the record".into(), field: Some(2) }],
            protocol: "TLSv1.3",
            info: "Application Data".into(),
            tcp_info: "1 → 443 [PSH, ACK] Seq=1 Ack=1 Win=512 Len=9".into(),
            ..Default::default()
        };
        let t = TcpVerdict { has_analysis: true, flags: Flags(Flags::RETRANSMISSION), seglen: Some(9), ..Default::default() };
        old_payload(&FrameAnalysis { frame: 1, ts: 0, layers: vec![(0, TransportVerdict::Tcp(t))] }, &mut d);
        let names: Vec<_> = d.fields.iter().map(|x| x.def.abbrev).collect();
        assert_eq!(names, ["tcp.srcport", "tcp.checksum.status", "frame.protocols"]);
        assert_eq!((d.layers.len(), d.experts.len(), d.protocol, d.info.as_str()), (1, 0, "TCP", "1 → 443 [PSH, ACK] Seq=1 Ack=1 Win=512 Len=9"));
        assert!(matches!(&d.fields[2].value, Value::Str(s) if &**s == "eth:ethertype:ip:tcp"));
    }
}
