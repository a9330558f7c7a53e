//! The dissection model: what every layer of pktlab shares.
//!
//! A [`Dissection`] is the result of reading one frame: a list of [`Layer`]s (one per
//! protocol, each tagged with its OSI layer) and, in pre-order, a flat list of [`Field`]s
//! (the protocol tree; `depth` gives the nesting). Every field knows its exact byte range
//! in the frame (or in a reassembled buffer), so the hex view can light it up, and refers to
//! a static [`FieldDef`] whose `abbrev` is Wireshark's field name (`tcp.seq_raw`, …), so
//! filters, lessons and tshark comparisons share one vocabulary.
//!
//! Values are not copied out of the frame where that is avoidable: [`Value::Bytes`] means
//! "the bytes of this field's range".
//!
//! Anomalies (bad checksums, truncation, malformed headers) are data ([`Expert`]), not
//! errors: a dissection always succeeds and keeps every layer it could read.

use std::fmt;

/// The OSI layer a protocol belongs to, as the tree groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Osi {
    /// Capture metadata (frame number, time, lengths): what the "wire" gave us.
    Physical = 1,
    DataLink = 2,
    Network = 3,
    Transport = 4,
    Session = 5,
    Presentation = 6,
    Application = 7,
}

impl Osi {
    pub fn number(self) -> u8 {
        self as u8
    }
}

/// How a field's value is typed; decides printing and filter comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A protocol or a label with no value of its own (e.g. `tcp.options.sack_perm` — tshark
    /// prints such items as the hex of their bytes).
    None,
    Bool,
    U8,
    U16,
    U24,
    U32,
    U64,
    I32,
    I64,
    Float,
    Ipv4,
    Ipv6,
    Ether,
    Bytes,
    Str,
    /// Absolute time (seconds since the epoch with nanoseconds).
    AbsTime,
    /// A duration in seconds with nanoseconds (`tcp.analysis.ack_rtt`).
    RelTime,
    /// A reference to another frame number.
    FrameNum,
}

impl FieldType {
    /// Width in hex digits used by tshark for `BASE_HEX` integers of this type.
    pub fn hex_width(self) -> usize {
        match self {
            FieldType::U8 => 2,
            FieldType::U16 => 4,
            FieldType::U24 => 6,
            FieldType::U32 | FieldType::I32 => 8,
            FieldType::U64 | FieldType::I64 => 16,
            _ => 0,
        }
    }

    pub fn is_integer(self) -> bool {
        matches!(
            self,
            FieldType::U8
                | FieldType::U16
                | FieldType::U24
                | FieldType::U32
                | FieldType::U64
                | FieldType::I32
                | FieldType::I64
                | FieldType::FrameNum
        )
    }
}

/// Display base of an integer field (Wireshark's `BASE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    Dec,
    /// `0x` followed by the type's full width of hex digits (`0x0800`, `0x0012`).
    Hex,
    /// Decimal, with the hex shown beside it in the tree (`BASE_DEC_HEX`); prints decimal.
    DecHex,
    /// Hex, with decimal beside it (`BASE_HEX_DEC`); prints hex.
    HexDec,
    /// Not a number (addresses, strings, bytes, protocols).
    None,
}

/// The static description of one field, Wireshark's `header_field_info`.
#[derive(Debug)]
pub struct FieldDef {
    /// Wireshark's filter name, e.g. `tcp.window_size_value`.
    pub abbrev: &'static str,
    /// Wireshark's human name, e.g. `Window`.
    pub name: &'static str,
    pub ftype: FieldType,
    pub base: Base,
    /// For bit fields: the mask within the field's bytes (0 = whole bytes).
    pub bitmask: u64,
    /// Names of known values (`ip.proto` 6 → "TCP"), if the field has them.
    pub vals: Option<fn(u64) -> Option<&'static str>>,
    /// Whether a display filter may name a value by its name (`ip.proto == "TCP"`): Wireshark
    /// allows it only where the field itself carries the names, not where the dissector writes
    /// them into the tree text (`icmp.type == "Echo (ping) request"` is an error in tshark).
    pub names_in_filters: bool,
    /// How the protocol tree writes the field's label (tshark's `-V` line), beyond the
    /// generic `Name: value`.
    pub display: TreeText,
    /// The [`TreeText::Custom`] or [`TreeText::Whole`] label depends on nothing but the field's
    /// definition and value (see [`FieldDef::pure`]).
    pub pure_label: bool,
    /// The value changes from frame to frame: the tree does not keep its label (see
    /// [`FieldDef::volatile`]).
    pub volatile: bool,
    /// The field's whole subtree follows from its bytes (see [`FieldDef::block`]).
    pub block: bool,
    /// A line of the tree that is no field of tshark's JSON (see [`FieldDef::tree_only`]).
    pub tree_only: bool,
    /// Wireshark adds it as a text item (see [`FieldDef::text_item`]).
    pub text_item: bool,
}

/// How a field's tree label is written, for the fields whose Wireshark label is not the
/// generic `Name: value` (see [`crate::dissect::label`]).
#[derive(Clone, Copy)]
pub enum TreeText {
    /// `Name: value`, value names as `Name (n)`, booleans `True`/`False` (masked: `Set`/`Not set`).
    Plain,
    /// A boolean's texts for true and false (Wireshark's `true_false_string`).
    Tfs(&'static str, &'static str),
    /// A unit after the number (`BASE_UNIT_STRING`): `Length: 20 bytes`.
    Unit(&'static str),
    /// The whole label (after any bit pattern), written by the dissector's own function.
    Custom(fn(&super::label::LabelCx<'_>, &mut String)),
    /// Like `Custom`, with no bit pattern before it even if the field is masked.
    Whole(fn(&super::label::LabelCx<'_>, &mut String)),
}

impl fmt::Debug for TreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeText::Plain => f.write_str("Plain"),
            TreeText::Tfs(t, n) => write!(f, "Tfs({t:?}, {n:?})"),
            TreeText::Unit(u) => write!(f, "Unit({u:?})"),
            TreeText::Custom(_) => f.write_str("Custom"),
            TreeText::Whole(_) => f.write_str("Whole"),
        }
    }
}

impl FieldDef {
    /// A field definition with no bitmask and no value names.
    pub const fn new(abbrev: &'static str, name: &'static str, ftype: FieldType, base: Base) -> Self {
        FieldDef { abbrev, name, ftype, base, bitmask: 0, vals: None, names_in_filters: false, display: TreeText::Plain, pure_label: false, volatile: false, block: false, tree_only: false, text_item: false }
    }

    pub const fn mask(mut self, bitmask: u64) -> Self {
        self.bitmask = bitmask;
        self
    }

    /// Names of the field's values, shown in the tree and accepted by display filters.
    pub const fn vals(mut self, vals: fn(u64) -> Option<&'static str>) -> Self {
        self.vals = Some(vals);
        self.names_in_filters = true;
        self
    }

    /// Names of the field's values that the tree shows but a display filter does not take
    /// (Wireshark's dissector writes them into the text; the field has no value string).
    pub const fn vals_shown(mut self, vals: fn(u64) -> Option<&'static str>) -> Self {
        self.vals = Some(vals);
        self.names_in_filters = false;
        self
    }

    /// True/false texts of a boolean, as its tree line shows them.
    pub const fn tfs(mut self, yes: &'static str, no: &'static str) -> Self {
        self.display = TreeText::Tfs(yes, no);
        self
    }

    /// A unit written after the number in the tree (`Length: 20 bytes`).
    pub const fn unit(mut self, unit: &'static str) -> Self {
        self.display = TreeText::Unit(unit);
        self
    }

    /// The tree label is written by `f` (after any bit pattern, inside any brackets).
    pub const fn custom(mut self, f: fn(&super::label::LabelCx<'_>, &mut String)) -> Self {
        self.display = TreeText::Custom(f);
        self
    }

    /// Marks a [`FieldDef::custom`] or [`FieldDef::whole`] label function as reading nothing
    /// but the field's definition and value (`cx.field.def`, `cx.field.value`, `cx.uint()`;
    /// not its bytes, other fields or the frame; of a field whose value is its bytes, only
    /// their number, `cx.field.len`): the tree may then reuse a label it wrote for the same
    /// value ([`super::label::LabelCache`]).
    pub const fn pure(mut self) -> Self {
        self.pure_label = true;
        self
    }

    /// Marks a field whose value is seldom the same in two frames (a frame number, an IP
    /// identification, a raw sequence number, a calculated checksum): the tree writes its
    /// label every time rather than keep labels it will not find again, which would push
    /// out those it would ([`super::label::LabelCache`]).
    pub const fn volatile(mut self) -> Self {
        self.volatile = true;
        self
    }

    /// Marks a field whose subtree in the tree (its own line and every line under it) follows
    /// from nothing but the field's bytes (at most 16 of them), the run's preferences and
    /// whether MAC names are resolved: its children are bits and parts of those bytes, and no
    /// generated child reads anything else (a TCP flags word, an Ethernet address, a NOP
    /// option). The tree may then copy the lines it wrote for the same bytes, when no expert
    /// item concerns any of them ([`super::label::block_key`]).
    pub const fn block(mut self) -> Self {
        self.block = true;
        self
    }

    /// Marks a text line pktlab adds to the tree where Wireshark's tree shows the label of a
    /// field pktlab keeps hidden beside it (`[HTTP request 1/2]`, the label of
    /// `http.request_number`, whose value alone cannot say the total): `-T json` leaves it
    /// out, as tshark's JSON has only the field.
    pub const fn tree_only(mut self) -> Self {
        self.tree_only = true;
        self
    }

    /// Marks an item Wireshark adds as text with an expert item under it
    /// (`proto_tree_add_expert`: `D-SACK Sequence`): `-T json` keys it by its label, as a
    /// text item, while filters still find it by its name.
    pub const fn text_item(mut self) -> Self {
        self.text_item = true;
        self
    }

    /// The tree label is written by `f` with no bit pattern before it.
    pub const fn whole(mut self, f: fn(&super::label::LabelCx<'_>, &mut String)) -> Self {
        self.display = TreeText::Whole(f);
        self
    }

    /// The protocol part of the name (`tcp` for `tcp.options.mss_val`).
    pub fn protocol(&self) -> &'static str {
        self.abbrev.split('.').next().unwrap_or(self.abbrev)
    }
}

impl PartialEq for FieldDef {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// A timestamp: seconds since the epoch and nanoseconds. `nanos` is kept as read, even when a
/// corrupt record makes it 10^9 or more (tshark prints it verbatim, and so do we).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Timestamp {
    pub fn as_f64(self) -> f64 {
        self.secs as f64 + self.nanos as f64 / 1e9
    }

    /// Nanoseconds since the epoch (saturating).
    pub fn as_nanos(self) -> i128 {
        self.secs as i128 * 1_000_000_000 + self.nanos as i128
    }
}

impl fmt::Display for Timestamp {
    /// tshark's `frame.time_epoch`: seconds, a dot, nine fractional digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:09}", self.secs, self.nanos)
    }
}

/// A field's value. `Bytes` is zero-copy: the value is the field's byte range.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Protocol items and labels.
    None,
    Bool(bool),
    UInt(u64),
    Int(i64),
    Float(f64),
    Ipv4([u8; 4]),
    Ipv6([u8; 16]),
    Ether([u8; 6]),
    /// The field's own bytes (see [`Field::range`]).
    Bytes,
    /// Text that is not simply the field's bytes (a decompressed DNS name, a summary).
    Str(Box<str>),
    Time(Timestamp),
    /// A duration in nanoseconds (may be negative).
    Duration(i64),
}

impl Value {
    /// A value that fits a word, as (kind, word): none, booleans, integers, IPv4 and MAC
    /// addresses and durations, for keys of texts that follow from the value alone (the
    /// tree's labels, `-T json`'s members). `None` for the others.
    #[inline]
    pub fn scalar(&self) -> Option<(u8, u64)> {
        Some(match *self {
            Value::None => (0, 0),
            Value::Bool(b) => (1, u64::from(b)),
            Value::UInt(n) => (2, n),
            Value::Int(n) => (3, n as u64),
            Value::Ipv4(a) => (4, u64::from(u32::from_be_bytes(a))),
            Value::Ether(m) => (5, m.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b))),
            Value::Duration(n) => (6, n as u64),
            _ => return None,
        })
    }
}

/// Where a field's bytes live: the captured frame, or a buffer the dissector built
/// (reassembled fragments). Index into [`Dissection::sources`] minus one; 0 is the frame.
pub type SourceId = u8;

/// One node of the protocol tree.
#[derive(Clone, Debug)]
pub struct Field {
    pub def: &'static FieldDef,
    /// Byte offset of the field in its source.
    pub offset: u32,
    /// Byte length; 0 for generated fields that have no bytes on the wire.
    pub len: u32,
    /// 0 = directly under the layer, 1 = under the previous depth-0 field, …
    pub depth: u8,
    /// 0 = the frame's bytes; n = `Dissection::sources[n - 1]`.
    pub source: SourceId,
    /// Computed by pktlab (Wireshark shows these in brackets), not read from the wire.
    pub generated: bool,
    /// Present for filters and `-T fields` but not shown in the tree (Wireshark's hidden
    /// items, e.g. the two-sided `ip.addr`, `tcp.port`).
    pub hidden: bool,
    pub value: Value,
}

impl Field {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset as usize..self.offset as usize + self.len as usize
    }
}

/// One protocol layer of a frame.
#[derive(Clone, Debug)]
pub struct Layer {
    /// The protocol's filter name (`eth`, `vlan`, `ip`, `ipv6`, `tcp`, `udp`, `dns`, `data`…).
    pub proto: &'static str,
    /// Wireshark's protocol title (`Transmission Control Protocol`).
    pub title: &'static str,
    pub osi: Osi,
    pub offset: u32,
    pub len: u32,
    pub source: SourceId,
    /// Indices into [`Dissection::fields`] of this layer's fields (pre-order).
    pub fields: std::ops::Range<u32>,
    /// One-line summary shown on the layer's tree node, e.g.
    /// `Src Port: 51234, Dst Port: 7777, Seq: 1, Ack: 1, Len: 12`.
    pub summary: String,
}

/// Severity of an expert item, as Wireshark ranks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Chat,
    Note,
    Warn,
    Error,
}

/// Something noteworthy or wrong about a frame (Wireshark's expert info).
#[derive(Clone, Debug, PartialEq)]
pub struct Expert {
    pub severity: Severity,
    /// A stable key for the explanation catalogue, e.g. `tcp.checksum_bad`,
    /// `malformed.truncated`, `tcp.analysis.retransmission`.
    pub key: &'static str,
    /// English message as tshark would word it.
    pub message: String,
    /// The field it concerns, as an index into [`Dissection::fields`], if any.
    pub field: Option<u32>,
}

/// Per-frame capture facts the dissector is given.
#[derive(Clone, Debug, Default)]
pub struct FrameMeta {
    /// 1-based frame number.
    pub number: u64,
    /// None for records without a timestamp (pcapng simple packet blocks).
    pub ts: Option<Timestamp>,
    /// Length on the wire (`frame.len`); the captured length is the data's length.
    pub orig_len: u32,
    /// pcapng interface id; None for classic pcap.
    pub interface_id: Option<u32>,
    /// pcapng: the section and the interface's name and description (shared by its frames).
    pub interface: Option<std::sync::Arc<InterfaceInfo>>,
    /// LINKTYPE_* value of the record's interface; None for records that carry no packet
    /// (pcapng custom blocks, which tshark shows as frames of plain data).
    pub link_type: Option<u32>,
    /// Packet comments.
    pub comments: Vec<String>,
    /// The earlier frames the time fields are measured from.
    pub times: FrameTimes,
}

/// A pcapng interface as the frame tree names it: the section it is in (1-based), its
/// `if_name` and `if_description`; and the digits its timestamps have after the second
/// (from `if_tsresol`, as Wireshark's time column shows them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InterfaceInfo {
    pub section: u32,
    pub name: Option<String>,
    pub description: Option<String>,
    pub ts_digits: Option<u8>,
}

/// Timestamps of earlier frames, for `frame.time_relative`, `frame.time_delta` and
/// `frame.time_delta_displayed`. `None` where there is no such frame (the first frame, or no
/// frame shown yet): the delta is then zero, as tshark prints it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameTimes {
    /// The capture's first frame.
    pub first: Option<Timestamp>,
    /// The frame read just before.
    pub prev_captured: Option<Timestamp>,
    /// The last frame shown (kept by the display filter, or every frame without one).
    pub prev_displayed: Option<Timestamp>,
}

impl FrameTimes {
    /// Moves on past frame `meta`, which was (`shown`) or was not displayed. A record with no
    /// time counts as time 0, except a record that carries no packet (a pcapng custom
    /// block), which keeps the time of the record before it (as tshark's reader does).
    pub fn advance(&mut self, meta: &FrameMeta, shown: bool) {
        let ts = match (meta.ts, meta.link_type) {
            (Some(ts), _) => ts,
            (None, None) => self.prev_captured.unwrap_or_default(),
            (None, Some(_)) => Timestamp::default(),
        };
        self.first.get_or_insert(ts);
        self.prev_captured = Some(ts);
        if shown {
            self.prev_displayed = Some(ts);
        }
    }
}

/// A TCP connection or UDP conversation, by one of its packets: source and destination
/// (address in 16 bytes, IPv4 in the first 4; port).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Flow {
    pub(crate) src: ([u8; 16], u16),
    pub(crate) dst: ([u8; 16], u16),
    pub(crate) tcp: bool,
}

impl Flow {
    /// Its endpoints, the lower first (the key of the tables that track connections).
    pub(crate) fn key(&self) -> ([u8; 16], u16, [u8; 16], u16) {
        self.key_dir().0
    }

    /// [`Flow::key`], and the packet's direction: 0 from the lower endpoint, 1 from the other.
    pub(crate) fn key_dir(&self) -> (([u8; 16], u16, [u8; 16], u16), usize) {
        let (a, b, dir) = if self.src <= self.dst { (self.src, self.dst, 0) } else { (self.dst, self.src, 1) };
        ((a.0, a.1, b.0, b.1), dir)
    }
}

/// The dissection of one frame.
#[derive(Clone, Debug, Default)]
pub struct Dissection {
    pub layers: Vec<Layer>,
    pub fields: Vec<Field>,
    pub experts: Vec<Expert>,
    /// Extra byte sources (reassembled datagrams). Field/Layer `source` n refers to index n-1.
    pub sources: Vec<Vec<u8>>,
    /// Protocol column (`TCP`, `UDP`, `DNS`, `ARP`…).
    pub protocol: &'static str,
    /// The protocol whose dissector marked the frame malformed (the last layer then).
    pub malformed_in: &'static str,
    /// Info column, as tshark's default output words it.
    pub info: String,
    /// The Info column as TCP wrote it, before a protocol above took the segment's payload
    /// (empty otherwise): the analysis gives it back when tshark would not have read the
    /// payload (a retransmission).
    pub tcp_info: String,
    /// Source and destination columns (addresses of the innermost network layer, or MACs).
    pub src: String,
    pub dst: String,
    /// The numbers of each TCP and UDP header, recorded as the dissector adds them as fields,
    /// so the conversation analysis need not search the fields for them.
    pub transports: Vec<TransportFacts>,
    /// The dissection used what earlier frames left behind (IP fragments for reassembly, ICMP
    /// echo requests for a reply's `resp_to`): dissecting the frame on its own, without the
    /// frames before it, may give a different result.
    pub stateful: bool,
    /// The outermost TCP connection or UDP conversation whose payload the frame carries. A
    /// dissector that has read the frames before in order may know that it speaks a
    /// protocol whose dissection depends on earlier frames where one that saw only some of
    /// them does not ([`super::Dissector::follows`]): a worker thread that did not see an
    /// HTTP connection found by its look, or a QUIC connection's long headers, takes its
    /// later segments for plain data.
    pub flow: Option<Flow>,
    /// Where the dissector put the [`Additions`] it was given (None: it put none).
    pub placed: Option<Placed>,
}

/// Where a transport dissector puts [`Additions`]: beside the header field each slot names
/// (TCP's), or before the payload (TCP's and UDP's; at the layer's end without one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Before `tcp.len`.
    BeforeLen,
    /// Before `tcp.seq_raw`.
    BeforeSeqRaw,
    /// After `tcp.seq_raw`.
    AfterSeqRaw,
    /// Before `tcp.ack_raw`.
    BeforeAckRaw,
    /// After `tcp.window_size_value`.
    AfterWindowValue,
    /// Before `tcp.payload` / `udp.payload`, or at the layer's end.
    BeforePayload,
}

/// The number of [`Slot`]s.
pub const SLOTS: usize = 6;

/// What an expert item of [`Additions`] is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddedAt {
    /// The layer's `tcp.flags.str`.
    FlagsStr,
    /// The `n`th field of a slot.
    Slot(Slot, u32),
}

/// Fields made for one transport layer before the frame is dissected (the conversation
/// analysis's generated fields), which its dissector puts in place as it adds the header's
/// own, instead of their being inserted afterwards ([`crate::analysis::annotate`] makes
/// them; [`super::Dissector::dissect_adding`] takes them). A dissector that cannot put them
/// all in place puts none ([`Dissection::placed`] stays `None`).
#[derive(Debug, Default)]
pub struct Additions {
    /// The layer (its index in [`Dissection::layers`]).
    pub layer: usize,
    /// The fields of every slot, slot after slot; their offset and source are the layer's.
    pub fields: Vec<Field>,
    /// Where each slot's fields end in `fields`.
    pub ends: [u32; SLOTS],
    /// Expert items added after the whole frame is dissected, in order.
    pub experts: Vec<(AddedAt, Expert)>,
    /// SACK edges are shown relative to this number.
    pub sack_base: Option<u32>,
    /// The sequence and acknowledgment numbers TCP's summary line shows (relative).
    pub numbers: Option<(u32, u32)>,
}

impl Additions {
    pub fn clear(&mut self) {
        self.fields.clear();
        self.ends = [0; SLOTS];
        self.experts.clear();
        self.sack_base = None;
        self.numbers = None;
    }

    /// Adds `field` to `slot` (the slots are filled in order).
    pub fn push(&mut self, slot: Slot, field: Field) {
        self.fields.push(field);
        for end in &mut self.ends[slot as usize..] {
            *end = self.fields.len() as u32;
        }
    }
}

/// Where a dissector put [`Additions`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Placed {
    /// The index of each slot's first field.
    pub starts: [u32; SLOTS],
    /// `tcp.flags.str`'s index, if added.
    pub flags_str: Option<u32>,
}

/// The fields a reader of dissections needs (a display filter, the columns of `-T fields`):
/// a dissector given a demand adds only those fields, the ones the conversation analysis
/// reads (addresses; TCP/UDP numbers come from [`TransportFacts`]), and every layer. It
/// verifies checksums only when a checksum field or expert items are wanted, and adds expert
/// items only when wanted. Everything it does add is exactly what a full dissection has.
#[derive(Clone, Debug, Default)]
pub struct Demand {
    /// Definition addresses, and one bit per address among 256 (see [`Demand::wants`]).
    defs: Vec<usize>,
    bloom: [u64; 4],
    /// Expert items (`_ws.expert`, `_ws.malformed`) are wanted.
    pub experts: bool,
    /// Checksums are verified (a `*.checksum.status`/`*checksum_calculated` field or experts
    /// are wanted).
    pub checksums: bool,
    /// One bit per [`super::Part`] some wanted field belongs to: a dissector skips the block
    /// of a part whose bit is clear.
    parts: u64,
}

impl Demand {
    /// A demand for `defs` (and expert items if `experts`).
    pub fn new(defs: impl IntoIterator<Item = &'static FieldDef>, experts: bool) -> Self {
        let mut d = Demand { experts, checksums: experts, ..Demand::default() };
        for def in defs {
            d.add(def);
        }
        d
    }

    /// Adds a field definition to the demand.
    pub fn add(&mut self, def: &'static FieldDef) {
        let k = def as *const FieldDef as usize;
        if !self.defs.contains(&k) {
            self.defs.push(k);
            let (w, bit) = Self::bit(k);
            self.bloom[w] |= bit;
            self.parts |= super::Part::bits_of(def);
        }
        if def.abbrev.contains("checksum") {
            self.checksums = true;
        }
    }

    /// Runs the blocks of fields the analysis's fields are put in place beside (TCP's ports,
    /// header and flag bits; UDP's fields) without adding those fields: a dissector given
    /// [`Additions`] then puts them in place as it goes instead of leaving them to be
    /// inserted into the finished dissection, which costs far more.
    pub fn place_additions(&mut self) {
        use super::Part;
        for part in [Part::TcpPorts, Part::TcpHeader, Part::TcpFlagBits, Part::Udp] {
            self.parts |= 1 << part as u32;
        }
    }

    /// A definition's bit among the 256 (word, bit): definitions are statics a few words
    /// apart, so their address bits above the alignment spread them over the bits.
    #[inline(always)]
    fn bit(k: usize) -> (usize, u64) {
        ((k >> 9) & 3, 1 << ((k >> 3) & 63))
    }

    /// Whether fields of `def` are wanted: its bit, then the list. (With 64 bits the
    /// twenty-odd fields of a `-T fields` run set a third of them, and which definitions
    /// met theirs, to be looked up in the list, changed with every field added.)
    #[inline(always)]
    pub fn wants(&self, def: &FieldDef) -> bool {
        let k = def as *const FieldDef as usize;
        let (w, bit) = Self::bit(k);
        self.bloom[w] & bit != 0 && self.contains(k)
    }

    /// Whether some wanted field belongs to `part`.
    #[inline(always)]
    pub(crate) fn wants_part(&self, part: super::Part) -> bool {
        self.parts & (1 << part as u32) != 0
    }

    #[inline(never)]
    fn contains(&self, k: usize) -> bool {
        self.defs.contains(&k)
    }
}

/// What the conversation analysis reads of one TCP or UDP header: the same values as the
/// layer's fields (`tcp.srcport`, `tcp.seq_raw`, `tcp.options.wscale.shift`, `udp.length`, …),
/// `None` where the header was cut before them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TransportFacts {
    /// Index of the layer in [`Dissection::layers`].
    pub layer: u32,
    pub udp: bool,
    pub sport: Option<u16>,
    pub dport: Option<u16>,
    /// TCP: the sequence number (`tcp.seq_raw`, or `tcp.seq` in a header quoted by ICMP).
    pub seq: Option<u32>,
    pub ack: Option<u32>,
    pub flags: Option<u16>,
    pub window: Option<u16>,
    /// TCP: `tcp.len` (outermost header only).
    pub seglen: Option<u32>,
    /// TCP: the last window scale option's shift.
    pub wscale: Option<u8>,
    /// TCP: the first four SACK blocks (left, right edge).
    pub sack: [(u32, u32); 4],
    pub sack_len: u8,
    /// UDP: `udp.length`.
    pub length: Option<u16>,
}

impl Dissection {
    /// Empties the dissection so it can be reused for the next frame without reallocating.
    pub fn clear(&mut self) {
        self.layers.clear();
        self.fields.clear();
        self.experts.clear();
        self.sources.clear();
        self.protocol = "";
        self.malformed_in = "";
        self.info.clear();
        self.tcp_info.clear();
        self.src.clear();
        self.dst.clear();
        self.transports.clear();
        self.stateful = false;
        self.flow = None;
        self.placed = None;
    }

    /// The bytes of `source` (0 = `frame`).
    pub fn source_bytes<'a>(&'a self, frame: &'a [u8], source: SourceId) -> &'a [u8] {
        if source == 0 {
            frame
        } else {
            self.sources.get(source as usize - 1).map(|v| v.as_slice()).unwrap_or(&[])
        }
    }

    /// The bytes a field covers (empty if the range lies outside its source).
    pub fn field_bytes<'a>(&'a self, frame: &'a [u8], field: &Field) -> &'a [u8] {
        self.source_bytes(frame, field.source).get(field.range()).unwrap_or(&[])
    }

    /// Every occurrence of a field, outermost first.
    pub fn find<'s>(&'s self, def: &'static FieldDef) -> impl Iterator<Item = &'s Field> + 's {
        self.fields.iter().filter(move |f| std::ptr::eq(f.def, def))
    }

    /// First occurrence of a field.
    pub fn first(&self, def: &'static FieldDef) -> Option<&Field> {
        self.find(def).next()
    }

    /// Whether a layer of this protocol is present (`tcp`, `udp`…).
    pub fn has_proto(&self, proto: &str) -> bool {
        self.layers.iter().any(|l| l.proto == proto)
    }

    /// The items of protocol `proto` inside another protocol's tree (an image in a multipart
    /// part, data under HTTP: [`super::NESTED_PROTOCOLS`]), which a display filter naming
    /// the protocol finds as tshark does, beside its layers.
    pub fn protocol_items<'s>(&'s self, proto: &'s str) -> impl Iterator<Item = &'s Field> + 's {
        let nested = super::NESTED_PROTOCOLS.iter().any(|d| d.abbrev == proto);
        self.fields.iter().filter(move |f| nested && f.def.ftype == FieldType::None && f.def.abbrev == proto && super::NESTED_PROTOCOLS.iter().any(|d| std::ptr::eq(*d, f.def)))
    }

    /// Whether protocol `proto` is in the frame: a layer of it, or an item of it inside
    /// another protocol's tree.
    pub fn has_protocol(&self, proto: &str) -> bool {
        self.has_proto(proto) || self.protocol_items(proto).next().is_some()
    }

    /// The layer that holds field index `i`.
    pub fn layer_of(&self, i: u32) -> Option<&Layer> {
        self.layers.iter().find(|l| l.fields.contains(&i))
    }

    /// Whether any expert item marks the frame malformed (`_ws.malformed`).
    pub fn is_malformed(&self) -> bool {
        self.experts.iter().any(|e| e.key.starts_with("malformed"))
    }

    /// How many `_ws.malformed` items tshark's tree has: the malformed frame's own, and one
    /// beside each expert item of the Malformed group (the frame's included: a frame whose
    /// body's dissector refused it has one, though it is not malformed).
    pub fn malformed_items(&self) -> usize {
        usize::from(self.is_malformed()) + self.experts.iter().filter(|e| super::format::expert_group(e.key) == "Malformed").count()
    }

    /// Takes out the fields at `range` (and `layer`, emptied by it, if given): the items a
    /// dissector adds after the one it called returns, which an exception in that one
    /// leaves out (TCP's reassembly items). Every index into the fields after them moves
    /// down; an expert item on a field taken out stays, on no field.
    pub fn remove_fields(&mut self, range: std::ops::Range<usize>, layer: Option<usize>) {
        let range = range.start.min(self.fields.len())..range.end.min(self.fields.len());
        let (s, e) = (range.start as u32, range.end as u32);
        if let Some(li) = layer.filter(|&li| self.layers.get(li).is_some_and(|l| l.fields.start >= s && l.fields.end <= e)) {
            self.layers.remove(li);
        }
        if s >= e {
            return;
        }
        self.fields.drain(range);
        let fix = |i: u32| if i >= e { i - (e - s) } else { i.min(s) };
        for l in &mut self.layers {
            l.fields = fix(l.fields.start)..fix(l.fields.end);
        }
        for x in &mut self.experts {
            x.field = x.field.and_then(|f| (f < s || f >= e).then(|| fix(f)));
        }
        if let Some(p) = &mut self.placed {
            for st in &mut p.starts {
                *st = fix(*st);
            }
            p.flags_str = p.flags_str.filter(|&f| f < s || f >= e).map(fix);
        }
    }
}
