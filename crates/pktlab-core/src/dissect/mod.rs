//! Pure dissection: bytes + link type in, a [`Dissection`] of layers and fields out.
//! No I/O, no clock, no UI types.
//!
//! One file per protocol; each defines its fields (named, typed and masked as tshark 4.0's
//! `tshark -G fields` lists them) and a `dissect` function that reads its header from a byte
//! slice at an offset, adds fields through [`Ctx`] and hands the payload to [`dispatch`],
//! the one table from link type, EtherType, IP protocol and port to dissector (it says how to
//! add a protocol). Protocol files never import each other: what IPv4 and IPv6 share (the
//! pseudo-header, protocol numbers and names) is in [`ip`]. A field's place in the tree is
//! the code's block structure: [`Ctx::child`] nests the fields its closure adds under the
//! field added before it.
//!
//! Reading never panics: every access goes through bounds-checked getters, and a header cut
//! short is dissected as far as the bytes allow, as tshark does (a field past the captured
//! bytes stops the layer; past the frame's wire length it is also marked malformed).

pub mod model;

pub mod arp;
pub mod checksum;
pub mod data;
pub mod dhcp;
pub mod dispatch;
pub mod dns;
pub mod eth;
pub mod format;
pub mod label;
pub(crate) mod media_types;
pub mod prefs;
pub mod frame;
pub mod icmp;
pub mod icmpv6;
pub mod gre;
pub mod http;
pub mod igmp;
pub mod ip;
pub mod ipv4;
pub mod ipv6;
pub mod json;
pub mod gif;
pub mod multipart;
pub mod png;
pub mod xml;
pub mod oui;
pub mod null;
pub mod quic;
pub mod quic_params;
pub mod reassembly;
pub mod sll;
pub mod tcp;
pub mod tcp_pdu;
pub mod tcp_options;
pub mod teredo;
pub mod tls;
pub mod tls_names;
pub mod udp;
pub(crate) mod uncompress;
pub mod vlan;
pub mod vxlan;
pub mod websocket;
pub mod x509;

pub use model::*;

/// The dissector. Stateful only where tshark is: IP fragment reassembly.
pub struct Dissector {
    pub(crate) reasm: reassembly::Reassembler,
    /// ICMP/ICMPv6 echo requests seen, for the replies' `(request in N)`.
    pub(crate) echo: EchoTable,
    /// TCP connections carrying application PDUs, for their reassembly.
    pub(crate) streams: tcp_pdu::Streams,
    /// QUIC connections (connection ID lengths, Initial keys).
    pub(crate) quic: quic::Conns,
    /// DNS transactions (request/response pairs, retransmissions).
    pub(crate) dns: dns::Transactions,
    /// Layer-summary strings of the previous frame, reused to avoid allocating.
    pool: Vec<String>,
    protos: String,
    /// Skip the display text (Info, layer summaries, address columns); see [`Dissector::set_text`].
    lean: bool,
    /// Only these fields; see [`Dissector::set_demand`].
    demand: Option<Demand>,
    /// Leave hidden fields out; see [`Dissector::set_hidden`].
    no_hidden: bool,
    /// Leave the Info and address columns empty; see [`Dissector::set_columns`].
    no_columns: bool,
    /// "Decode as" rules; see [`Dissector::set_decode_as`].
    decode_as: Vec<dispatch::DecodeAs>,
    /// Note each frame's flow; see [`Dissector::set_flows`].
    flows: bool,
    /// The byte-stream protocols over TCP, with the rules' rows first, and their ports.
    tcp_apps: &'static [tcp_pdu::TcpApp],
    tcp_app_ports: &'static tcp_pdu::AppPorts,
}

impl Default for Dissector {
    fn default() -> Self {
        let mut d = Dissector {
            reasm: Default::default(),
            echo: Default::default(),
            streams: Default::default(),
            quic: Default::default(),
            dns: Default::default(),
            pool: Vec::new(),
            protos: String::new(),
            lean: false,
            demand: None,
            no_hidden: false,
            no_columns: false,
            decode_as: Vec::new(),
            flows: false,
            tcp_apps: dispatch::TCP_APPS,
            tcp_app_ports: tcp_pdu::AppPorts::of(dispatch::TCP_APPS),
        };
        d.set_decode_as(dispatch::default_rules());
        d
    }
}

/// An echo request's key: (source, destination, identifier, sequence).
type EchoKey = ([u8; 16], [u8; 16], u16, u16);

/// Echo requests by (addresses, identifier, sequence), bounded: the frame and time of each.
#[derive(Default)]
pub(crate) struct EchoTable {
    map: foldhash::HashMap<EchoKey, (u64, Option<Timestamp>)>,
}

impl EchoTable {
    pub fn request(&mut self, src: [u8; 16], dst: [u8; 16], id: u16, seq: u16, frame: u64, ts: Option<Timestamp>) {
        if self.map.len() >= 65536 {
            self.map.clear();
        }
        self.map.insert((src, dst, id, seq), (frame, ts));
    }
    /// The request (frame number, capture time) a reply from `src` to `dst` answers.
    pub fn reply(&self, src: [u8; 16], dst: [u8; 16], id: u16, seq: u16) -> Option<(u64, Option<Timestamp>)> {
        self.map.get(&(dst, src, id, seq)).copied()
    }
}

impl Dissector {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the frames this dissector has read found that `flow` speaks a protocol whose
    /// dissection depends on earlier frames (an application over TCP, QUIC): a frame of it
    /// that another dissector, which saw only some of the frames, found nothing in
    /// ([`Dissection::flow`]) must be dissected by this one.
    pub fn follows(&self, flow: &Flow) -> bool {
        if flow.tcp { self.streams.speaks(flow) } else { self.quic.knows(flow) }
    }

    /// Forgets the fragment reassembly state (call when a new capture starts).
    pub fn reset(&mut self) {
        self.reasm = reassembly::Reassembler::default();
        self.echo = EchoTable::default();
        self.streams = tcp_pdu::Streams::default();
        self.quic = quic::Conns::default();
        self.dns = dns::Transactions::default();
    }

    /// Whether to write the display text of the next frames: the Info column, each layer's
    /// summary line and the Source/Destination columns (on by default). Without it every
    /// field, layer, byte range and expert item is the same, and dissection is faster: the
    /// path for `-T fields` and for a display filter's first look at a frame. Dissecting a
    /// frame again with text on gives its full dissection (the fragment reassembly and echo
    /// tables keep what the first pass learnt).
    pub fn set_text(&mut self, on: bool) {
        self.lean = !on;
    }

    /// Whether to add hidden fields (on by default): Wireshark's items that filters, `-T fields`
    /// and JSON see but the tree does not show (`ip.addr`, `tcp.port`, `eth.src_resolved`).
    /// A reader that only draws the tree (`-V`) turns them off and saves making them; every
    /// shown field, layer and expert item stays the same.
    pub fn set_hidden(&mut self, on: bool) {
        self.no_hidden = !on;
    }

    /// Whether to write the Info, Source and Destination columns with the display text (on by
    /// default). A reader that prints only trees (`-V`, `-T json`) turns them off; the layer
    /// summaries and every field stay the same.
    pub fn set_columns(&mut self, on: bool) {
        self.no_columns = !on;
    }

    /// Whether to note the flow of each frame's payload ([`Dissection::flow`]; off by
    /// default): for a dissector that reads only some of a file's frames, whose results
    /// another, reading them in order, checks with [`Dissector::follows`].
    pub fn set_flows(&mut self, on: bool) {
        self.flows = on;
    }

    /// Adds only the fields `demand` asks for (plus what the conversation analysis reads), or
    /// every field (`None`, the default). See [`Demand`].
    pub fn set_demand(&mut self, demand: Option<Demand>) {
        self.demand = demand.map(|mut d| {
            for def in [&ipv4::IP_SRC, &ipv4::IP_DST, &ipv6::IPV6_SRC, &ipv6::IPV6_DST, &ipv6::IPV6_ROUTING_SEGLEFT, &ipv6::IPV6_ROUTING_SRC_ADDR] {
                d.add(def);
            }
            d
        });
    }

    /// Decodes traffic on the rules' ports as their protocols (`-d udp.port==5000,dns`),
    /// replacing the rules this dissector had (new dissectors start with
    /// [`dispatch::set_decode_as`]'s).
    pub fn set_decode_as(&mut self, rules: Vec<dispatch::DecodeAs>) {
        self.tcp_apps = if rules.iter().any(|r| r.tcp) { dispatch::tcp_apps_for(&rules) } else { dispatch::TCP_APPS };
        self.tcp_app_ports = tcp_pdu::AppPorts::of(self.tcp_apps);
        self.decode_as = rules;
    }

    /// Dissects one frame into `out` (which is cleared first). Never panics, whatever the bytes.
    pub fn dissect(&mut self, meta: &FrameMeta, data: &[u8], out: &mut Dissection) {
        self.dissect_adding(meta, data, out, None);
    }

    /// [`Dissector::dissect`], with fields made for one transport layer beforehand put in
    /// place by its dissector (see [`Additions`]; it takes their values). Where it put them
    /// is in [`Dissection::placed`]; `None` there means it put none (the layer is not that
    /// protocol's outermost header, or its header was not all captured), and `adds` is left
    /// for [`crate::analysis::annotate`] to insert.
    pub fn dissect_adding(&mut self, meta: &FrameMeta, data: &[u8], out: &mut Dissection, mut adds: Option<&mut Additions>) {
        for l in out.layers.iter_mut() {
            if l.summary.capacity() > 0 && self.pool.len() < 64 {
                let mut s = std::mem::take(&mut l.summary);
                s.clear();
                self.pool.push(s);
            }
        }
        out.clear();
        self.protos.clear();
        let mut cx = Ctx {
            pool: &mut self.pool,
            out,
            source: 0,
            depth: 0,
            reported: meta.orig_len.max(data.len() as u32) as usize,
            protos: std::mem::take(&mut self.protos),
            reasm: &mut self.reasm,
            echo: &mut self.echo,
            streams: &mut self.streams,
            quic: &mut self.quic,
            dns: &mut self.dns,
            hop_limit: 0,
            net: None,
            ts: meta.ts,
            frame_number: meta.number,
            pending_sources: Vec::new(),
            in_error: 0,
            col_src: Addr::None,
            col_dst: Addr::None,
            text: !self.lean,
            flows: self.flows,
            columns: !self.lean && !self.no_columns,
            demand: self.demand.as_ref(),
            hidden: !self.no_hidden,
            decode_as: &self.decode_as,
            tcp_apps: self.tcp_apps,
            tcp_app_ports: self.tcp_app_ports,
            adds: adds.as_deref_mut(),
        };
        frame::dissect(&mut cx, meta, data);
        self.protos = std::mem::take(&mut cx.protos);
        // The additions' expert items come after every other, as an insertion afterwards
        // would add them.
        if let (Some(placed), Some(adds)) = (out.placed, adds) {
            for (at, mut e) in adds.experts.drain(..) {
                e.field = match at {
                    AddedAt::FlagsStr => placed.flags_str,
                    AddedAt::Slot(slot, n) => Some(placed.starts[slot as usize] + n),
                };
                out.experts.push(e);
            }
        }
    }
}

/// The protocols whose items a dissector puts inside another protocol's tree rather than as
/// a layer of their own (data under HTTP, an image or XML document in a multipart part):
/// tshark's protocol items, which its display filters find by the protocol's name.
pub static NESTED_PROTOCOLS: &[&FieldDef] =
    &[&data::DATA_PROTO, &data::TEXT_LINES_PROTO, &json::JSON_PROTO, &xml::XML_PROTO, &png::PNG_PROTO, &gif::GIF_PROTO, &multipart::MEDIA_PROTO, &tls::TLS_IN_QUIC];

/// Every field definition the dissector can emit.
pub fn fields() -> impl Iterator<Item = &'static FieldDef> {
    [
        frame::FIELDS,
        eth::ADDRESS_FIELDS,
        eth::FIELDS,
        vlan::FIELDS,
        sll::FIELDS,
        null::FIELDS,
        arp::FIELDS,
        ipv4::FIELDS,
        ipv6::FIELDS,
        icmp::FIELDS,
        icmpv6::FIELDS,
        tcp::FIELDS,
        tcp_options::FIELDS,
        udp::FIELDS,
        vxlan::FIELDS,
        igmp::FIELDS,
        gre::FIELDS,
        teredo::FIELDS,
        dns::FIELDS,
        dhcp::FIELDS,
        http::FIELDS,
        json::FIELDS,
        multipart::FIELDS,
        png::FIELDS,
        gif::FIELDS,
        xml::FIELDS,
        tls::FIELDS,
        x509::FIELDS,
        websocket::FIELDS,
        quic::FIELDS,
        quic_params::FIELDS,
        data::FIELDS,
    ]
    .into_iter()
    .flat_map(|s| s.iter().copied())
}

/// A block of a dissector that adds nothing but fields, left out whole when a [`Demand`]
/// wants none of them: the fast first look of `dissect -Y` and `-T fields` then reads a
/// header for what the analysis and the layers after it need and adds no tree for it. Each
/// part lists every field its block adds ([`Part::fields`]); a block still keeps what is not
/// a field (transport facts, expert items, columns, reassembly), so skipping it changes
/// nothing but the fields left out, which a demand would have dropped one by one anyway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Everything the `frame` layer holds (numbers, times, lengths, comments, protocols).
    Frame,
    /// Ethernet source and destination with their `eth.addr` twins and LG/IG bits.
    EthAddrs,
    /// The IPv4 header from the version to the checksum.
    Ipv4Header,
    /// IPv4's hidden `ip.addr`/`ip.host`/`ip.src_host`/`ip.dst_host`.
    Ipv4Hosts,
    /// TCP's ports and hidden `tcp.port`.
    TcpPorts,
    /// TCP's numbers, header length, flags, window, checksum, urgent pointer and payload.
    TcpHeader,
    /// The flag bits under `tcp.flags` and `tcp.flags.str`.
    TcpFlagBits,
    /// TCP options and their parts.
    TcpOptions,
    /// Every UDP field.
    Udp,
    /// The `data` layer's fields.
    Data,
}

impl Part {
    const ALL: [Part; 10] = [
        Part::Frame,
        Part::EthAddrs,
        Part::Ipv4Header,
        Part::Ipv4Hosts,
        Part::TcpPorts,
        Part::TcpHeader,
        Part::TcpFlagBits,
        Part::TcpOptions,
        Part::Udp,
        Part::Data,
    ];

    /// Every field the part's block adds.
    pub(crate) fn fields(self) -> &'static [&'static FieldDef] {
        match self {
            Part::Frame => frame::FIELDS,
            Part::EthAddrs => eth::ADDRESS_FIELDS,
            Part::Ipv4Header => ipv4::HEADER_FIELDS,
            Part::Ipv4Hosts => ipv4::HOST_FIELDS,
            Part::TcpPorts => tcp::PORT_FIELDS,
            Part::TcpHeader => tcp::HEADER_FIELDS,
            Part::TcpFlagBits => tcp::FLAG_BIT_FIELDS,
            Part::TcpOptions => tcp_options::FIELDS,
            Part::Udp => udp::FIELDS,
            Part::Data => data::DATA_FIELDS,
        }
    }

    /// One bit per part `def` belongs to.
    pub(crate) fn bits_of(def: &FieldDef) -> u64 {
        Part::ALL.iter().filter(|p| p.fields().iter().any(|f| std::ptr::eq(*f, def))).fold(0, |b, p| b | 1 << *p as u32)
    }
}

/// Why reading a field failed, as tshark's exceptions distinguish them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Short {
    /// Past the captured bytes but within the frame's wire length: cut by the snaplen.
    Captured,
    /// Past the end of the data the protocol was given (or the wire length): malformed.
    Malformed,
}

/// The dissection under construction, plus what the protocols share while reading a frame.
pub(crate) struct Ctx<'a> {
    pub out: &'a mut Dissection,
    /// Spare strings for layer summaries.
    pub pool: &'a mut Vec<String>,
    /// Source of the bytes being read (0 = the frame, n = a reassembled buffer).
    pub source: SourceId,
    /// Depth of fields added next, relative to the layer: 0 after [`Ctx::open`], one more
    /// inside each [`Ctx::child`]. Protocol files never set it.
    depth: u8,
    /// Wire length of the current source (frame.len for the frame).
    pub reported: usize,
    /// `frame.protocols`, built as layers open.
    pub protos: String,
    pub reasm: &'a mut reassembly::Reassembler,
    pub echo: &'a mut EchoTable,
    pub streams: &'a mut tcp_pdu::Streams,
    pub quic: &'a mut quic::Conns,
    pub dns: &'a mut dns::Transactions,
    /// TTL / hop limit of the outermost IP header (ICMP's Info shows it).
    pub hop_limit: u8,
    /// Addresses of the outermost IP header (16 bytes; IPv4 in the first 4).
    pub net: Option<([u8; 16], [u8; 16])>,
    /// The frame's capture time.
    pub ts: Option<Timestamp>,
    pub frame_number: u64,
    /// Reassembled buffers, pushed to `out.sources` when the frame is done.
    pub pending_sources: Vec<Vec<u8>>,
    /// >0 while dissecting the packet quoted inside an ICMP error.
    pub in_error: u8,
    /// Source and destination columns, formatted when the frame is done.
    pub col_src: Addr,
    pub col_dst: Addr,
    /// "Decode as" rules ([`dispatch::DecodeAs`]).
    pub decode_as: &'a [dispatch::DecodeAs],
    /// The byte-stream protocols over TCP (the rules' rows first).
    pub tcp_apps: &'static [tcp_pdu::TcpApp],
    /// The ports `tcp_apps` name.
    pub tcp_app_ports: &'static tcp_pdu::AppPorts,
    /// Write display text (Info, layer summaries, columns); off in lean dissection.
    pub text: bool,
    /// Note the frame's flow ([`Dissector::set_flows`]).
    pub flows: bool,
    /// Write the Info and address columns (with `text`; see [`Dissector::set_columns`]).
    pub columns: bool,
    /// Only the fields wanted (None: all).
    pub demand: Option<&'a Demand>,
    /// Hidden fields are added (see [`Dissector::set_hidden`]).
    pub hidden: bool,
    /// Fields made beforehand for one transport layer (see [`Additions`]).
    pub adds: Option<&'a mut Additions>,
}

/// An address for the Source/Destination columns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Addr {
    #[default]
    None,
    Ether([u8; 6]),
    V4([u8; 4]),
    V6([u8; 16]),
}

impl Addr {
    pub fn write(self, s: &mut String) {
        match self {
            Addr::None => {}
            // As tshark's columns: the vendor's name unless name resolution is off (`-n`).
            Addr::Ether(a) if label::mac_resolution() => oui::push_resolved(s, a),
            Addr::Ether(a) => push_ether(s, a),
            Addr::V4(a) => push_ipv4(s, a),
            Addr::V6(a) => push_ipv6(s, a),
        }
    }
}

impl Ctx<'_> {
    /// Whether the [`Additions`] are for layer `li`: its dissector then puts them in place
    /// (all of them, or none) and records where ([`Dissection::placed`]).
    pub fn adds_for(&self, li: usize) -> bool {
        self.adds.as_ref().is_some_and(|a| a.layer == li)
    }

    /// Starts putting the additions in place (in the layer [`Ctx::adds_for`] said).
    pub fn start_placing(&mut self) {
        self.out.placed = Some(Placed::default());
    }

    /// Puts the additions of `slot` in place at the end of the fields, with the offset and
    /// source of the layer at `offset` (once each slot, in order, after
    /// [`Ctx::start_placing`]).
    pub fn place(&mut self, slot: Slot, offset: usize) {
        let (Some(adds), Some(placed)) = (self.adds.as_deref_mut(), self.out.placed.as_mut()) else { return };
        let i = slot as usize;
        placed.starts[i] = self.out.fields.len() as u32;
        let start = if i == 0 { 0 } else { adds.ends[i - 1] as usize };
        let end = adds.ends[i] as usize;
        for f in adds.fields.get_mut(start..end).unwrap_or_default() {
            let value = std::mem::replace(&mut f.value, Value::None);
            self.out.fields.push(Field { offset: offset as u32, source: self.source, value, ..*f });
        }
    }

    /// A SACK edge as the tree shows it: relative to the additions' base while they are
    /// being put in place (see [`Additions::sack_base`]), else as sent.
    pub fn sack_edge(&self, raw: u32) -> u64 {
        match (&self.adds, self.out.placed) {
            (Some(adds), Some(_)) => raw.wrapping_sub(adds.sack_base.unwrap_or(0)) as u64,
            _ => raw as u64,
        }
    }

    /// Adds a field at the current depth; returns its index (with a [`Demand`] that does
    /// not want it, nothing is added and the index is where it would have gone).
    #[inline(always)]
    pub fn add(&mut self, def: &'static FieldDef, offset: usize, len: usize, value: Value) -> u32 {
        self.push(def, offset, len, value, false, false)
    }

    /// Adds a field shown in brackets (computed, not read from the wire).
    #[inline(always)]
    pub fn add_gen(&mut self, def: &'static FieldDef, offset: usize, len: usize, value: Value) -> u32 {
        self.push(def, offset, len, value, true, false)
    }

    /// Adds a hidden field (for filters and `-T fields`, not shown in the tree).
    #[inline(always)]
    pub fn add_hidden(&mut self, def: &'static FieldDef, offset: usize, len: usize, value: Value) -> u32 {
        self.push(def, offset, len, value, false, true)
    }

    /// The demand's test is inlined into every caller, so a field left out costs a few
    /// instructions and its value is never built; the push itself is not.
    #[inline(always)]
    fn push(&mut self, def: &'static FieldDef, offset: usize, len: usize, value: Value, generated: bool, hidden: bool) -> u32 {
        let i = self.out.fields.len() as u32;
        if (self.hidden || !hidden) && self.wants(def) {
            // The slot holds `Value::None`, which owns nothing: forgetting it spares every call
            // site a drop check.
            std::mem::forget(std::mem::replace(self.push_field(def, offset as u32, len as u32, generated, hidden), value));
        }
        i
    }

    /// Appends a field without its value and returns the value's slot: the caller writes
    /// the value straight into the vector. (A whole `Field` handed over by value is built on
    /// the caller's stack and copied back at once, which stalls on the stores just made.)
    #[inline(never)]
    fn push_field(&mut self, def: &'static FieldDef, offset: u32, len: u32, generated: bool, hidden: bool) -> &mut Value {
        let field = Field { def, offset, len, depth: self.depth, source: self.source, generated, hidden, value: Value::None };
        let fields = &mut self.out.fields;
        if fields.len() == fields.capacity() {
            return push_growing(fields, field);
        }
        &mut fields.push_mut(field).value
    }

    /// Whether fields of `def` are added (always, unless a [`Demand`] leaves them out): a
    /// value that costs something to make is made only then.
    #[inline(always)]
    pub fn wants(&self, def: &FieldDef) -> bool {
        self.demand.is_none_or(|d| d.wants(def))
    }

    /// Whether hidden fields are added (see [`Dissector::set_hidden`]): a hidden value that
    /// costs something to make is made only then.
    #[inline(always)]
    pub fn hidden_wanted(&self) -> bool {
        self.hidden
    }

    /// Whether the block of `part` runs: some field of it is wanted (always without a
    /// [`Demand`]). See [`Part`].
    #[inline(always)]
    pub fn part(&self, part: Part) -> bool {
        self.demand.is_none_or(|d| d.wants_part(part))
    }

    /// Whether expert items are added (always, unless a [`Demand`] leaves them out).
    #[inline(always)]
    pub fn experts(&self) -> bool {
        self.demand.is_none_or(|d| d.experts)
    }

    /// Whether application protocols above TCP/UDP (HTTP, TLS, WebSocket, QUIC, DHCP) are
    /// dissected: always, since a demand keeps every layer (it only leaves out fields), and
    /// a reader that names `frame.protocols` or a protocol must see the same layers.
    #[inline]
    pub fn app_wanted(&self) -> bool {
        true
    }

    /// Whether checksums are verified (see [`Demand::checksums`]).
    #[inline]
    pub fn checksums(&self) -> bool {
        self.demand.is_none_or(|d| d.checksums)
    }

    /// Runs `f` with the fields it adds one level deeper than now: the subtree of the field
    /// added last (flag bits under a flags field, an option's parts under the option). The
    /// depth comes back when `f` returns, so a tree's shape is the code's block structure.
    #[inline]
    pub fn child<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let depth = self.depth;
        self.depth = depth.saturating_add(1);
        let r = f(self);
        self.depth = depth;
        r
    }

    /// Opens a layer for protocol `proto`; `len` may be fixed later with [`Ctx::set_len`].
    pub fn open(&mut self, proto: &'static str, title: &'static str, osi: Osi, offset: usize, len: usize) -> usize {
        self.open_as(proto, proto, title, osi, offset, len)
    }

    /// Opens a layer listed in `frame.protocols` under another name (`ipv6.hopopts`); an
    /// empty name lists nothing (a protocol's second item in the same call, as QUIC's
    /// coalesced packets: one dissector call, one name).
    pub fn open_as(&mut self, proto: &'static str, listed: &str, title: &'static str, osi: Osi, offset: usize, len: usize) -> usize {
        if !listed.is_empty() {
            self.add_proto(listed);
        }
        let n = self.out.fields.len() as u32;
        self.out.layers.push(Layer {
            proto,
            title,
            osi,
            offset: offset as u32,
            len: len as u32,
            source: self.source,
            fields: n..n,
            summary: if self.text { self.pool.pop().unwrap_or_default() } else { String::new() },
        });
        self.depth = 0;
        self.out.layers.len() - 1
    }

    /// Appends a name to `frame.protocols`.
    pub fn add_proto(&mut self, name: &str) {
        if !self.wants(&frame::FRAME_PROTOCOLS) {
            return;
        }
        if !self.protos.is_empty() {
            self.protos.push(':');
        }
        self.protos.push_str(name);
    }

    /// Closes layer `li`: its field range ends at the last field added.
    pub fn close(&mut self, li: usize) {
        let n = self.out.fields.len() as u32;
        if let Some(l) = self.out.layers.get_mut(li) {
            l.fields.end = n;
        }
        self.depth = 0;
    }

    /// Reopens the last layer to add more fields to it (a protocol whose next message in
    /// the same bytes belongs to the same tree, as TLS's records in a segment); returns its
    /// index. There must be a layer.
    pub fn reopen_last(&mut self) -> usize {
        self.depth = 0;
        self.out.layers.len().saturating_sub(1)
    }

    pub fn set_len(&mut self, li: usize, len: usize) {
        if let Some(l) = self.out.layers.get_mut(li) {
            l.len = len as u32;
        }
    }

    /// The source id the next reassembled buffer gets (see [`Ctx::in_reassembled`]).
    pub fn next_source(&self) -> SourceId {
        (self.out.sources.len() + self.pending_sources.len() + 1).min(255) as SourceId
    }

    /// Runs `f` over a reassembled buffer as source [`Ctx::next_source`] (fields `f` adds
    /// point into it, its length is the wire length), then keeps the buffer for the hex view.
    /// The id is taken before `f` runs, so a reassembly inside `f` gets the next one.
    pub fn in_reassembled(&mut self, buf: Vec<u8>, f: impl FnOnce(&mut Ctx, &[u8])) {
        let sid = self.next_source();
        let slot = self.pending_sources.len();
        self.pending_sources.push(Vec::new());
        let prev = (self.source, self.reported);
        (self.source, self.reported) = (sid, buf.len());
        f(self, &buf);
        (self.source, self.reported) = prev;
        if let Some(s) = self.pending_sources.get_mut(slot) {
            *s = buf;
        }
    }

    /// Records a TCP or UDP header opened as layer `li`; [`Ctx::facts`] then fills it in.
    pub fn open_facts(&mut self, li: usize, udp: bool) {
        self.out.transports.push(TransportFacts { layer: li as u32, udp, ..TransportFacts::default() });
    }

    /// The header recorded last by [`Ctx::open_facts`] (a scratch record if none was).
    pub fn facts(&mut self) -> &mut TransportFacts {
        if self.out.transports.is_empty() {
            self.out.transports.push(TransportFacts::default());
        }
        let last = self.out.transports.len() - 1;
        &mut self.out.transports[last]
    }

    /// Layer `li`'s summary line to write into; None when text is off.
    pub fn summary(&mut self, li: usize) -> Option<&mut String> {
        if !self.text {
            return None;
        }
        self.out.layers.get_mut(li).map(|l| &mut l.summary)
    }

    pub fn expert(&mut self, severity: Severity, key: &'static str, message: impl Into<String>, field: Option<u32>) {
        if !self.experts() {
            return;
        }
        self.out.experts.push(Expert { severity, key, message: message.into(), field });
    }

    /// Records that a read at `offset..offset+len` of `data` failed; the kind decides the mark.
    pub fn short(&mut self, data: &[u8], offset: usize, len: usize) -> Short {
        let end = offset.saturating_add(len);
        if end > data.len() && end <= self.reported_for(data) {
            if self.in_error == 0 && !self.out.info.ends_with(']') {
                self.out.info.push_str("[Packet size limited during capture]");
            }
            Short::Captured
        } else {
            self.malformed();
            Short::Malformed
        }
    }

    /// Takes back [`Ctx::malformed`]'s marks (its expert item, its Info text), for a read
    /// past the end that tshark shows otherwise (a segment read on its own).
    pub fn unmark_malformed(&mut self) {
        if let Some(i) = self.out.experts.iter().rposition(|e| e.key == "malformed") {
            self.out.experts.remove(i);
            self.out.malformed_in = "";
            if let Some(n) = self.out.info.strip_suffix("[Malformed Packet]").map(str::len) {
                self.out.info.truncate(n);
            }
        }
    }

    /// The wire length of `data`: the frame's length if `data` is the frame, else its length.
    fn reported_for(&self, data: &[u8]) -> usize {
        if self.source == 0 { self.reported } else { data.len() }
    }

    /// Marks the frame malformed (tshark's `[Malformed Packet]`), once.
    pub fn malformed(&mut self) {
        if !self.out.is_malformed() {
            self.out.malformed_in = self.out.layers.last().map_or("", |l| l.proto);
            self.expert(Severity::Error, "malformed", "Malformed Packet (Exception occurred)", None);
            self.out.info.push_str("[Malformed Packet]");
        }
    }

    pub fn set_protocol(&mut self, p: &'static str) {
        self.out.protocol = p;
    }
}

/// [`Ctx::push_field`] when the vector is full (out of its way).
#[cold]
#[inline(never)]
fn push_growing(fields: &mut Vec<Field>, field: Field) -> &mut Value {
    &mut fields.push_mut(field).value
}

/// Big-endian readers over a slice that return None past its end.
pub(crate) mod rd {
    #[inline]
    pub fn u8(d: &[u8], o: usize) -> Option<u8> {
        d.get(o).copied()
    }
    #[inline]
    pub fn u16(d: &[u8], o: usize) -> Option<u16> {
        let b = d.get(o..o.checked_add(2)?)?;
        Some(u16::from_be_bytes([b[0], b[1]]))
    }
    #[inline]
    pub fn u24(d: &[u8], o: usize) -> Option<u32> {
        let b = d.get(o..o.checked_add(3)?)?;
        Some(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
    #[inline]
    pub fn u32(d: &[u8], o: usize) -> Option<u32> {
        let b = d.get(o..o.checked_add(4)?)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    #[inline]
    pub fn u32le(d: &[u8], o: usize) -> Option<u32> {
        let b = d.get(o..o.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    #[inline]
    pub fn arr<const N: usize>(d: &[u8], o: usize) -> Option<[u8; N]> {
        d.get(o..o.checked_add(N)?)?.try_into().ok()
    }
}

/// Writes `a.b.c.d` into `s`, digit by digit (an address is written for every IPv4 summary
/// and column: one to three digits are cheaper to push than to format and copy).
pub(crate) fn push_ipv4(s: &mut String, a: [u8; 4]) {
    s.reserve(15);
    for (i, b) in a.into_iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        if b >= 100 {
            s.push(char::from(b'0' + b / 100));
        }
        if b >= 10 {
            s.push(char::from(b'0' + b / 10 % 10));
        }
        s.push(char::from(b'0' + b % 10));
    }
}

/// Appends a decimal number without going through `core::fmt` (the hot path of every
/// column and summary).
#[inline]
pub(crate) fn push_dec(s: &mut String, n: u64) {
    s.push_str(itoa::Buffer::new().format(n));
}

/// Appends `0x` and `n` in lower-case hex, zero-padded to `width` digits.
#[inline]
pub(crate) fn push_hex_w(s: &mut String, n: u64, width: usize) {
    format::push_hex_width(s, n, width);
}

/// Writes an IPv6 address in RFC 5952 form into `s`.
pub(crate) fn push_ipv6(s: &mut String, a: [u8; 16]) {
    use std::fmt::Write;
    let _ = write!(s, "{}", std::net::Ipv6Addr::from(a));
}

/// Writes `aa:bb:cc:dd:ee:ff` into `s`.
pub(crate) fn push_ether(s: &mut String, a: [u8; 6]) {
    format::push_colon_hex(s, &a);
}


#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests;
