//! `pktlab dissect`: a capture's frames the way tshark prints them, for the same options:
//! summary lines by default, `-V` the tree by layer (each tagged with its OSI layer),
//! `-T fields -e NAME…` cells exactly as tshark 4.0's, `-T json`; `-c`, `-Y`, `-n`.
//! The TCP/UDP analysis runs in frame order unless `--no-analysis`, so `tcp.stream`, relative
//! sequence numbers and `tcp.analysis.*` work in every output and in filters.

use super::frames::{self, Frame, LoopOpts};
use pktlab::dissect::label::{LabelCache, TextCache};
use super::render;
use anyhow::bail;
use pktlab::dissect::{Dissection, FieldDef, FieldType, Osi};
use pktlab::filter::Filter;
use serde_json::Value as Json;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    /// Summary lines (or the tree with -V).
    Text,
    /// One line per frame with the `-e` fields.
    Fields,
    /// tshark's `-T json` structure.
    Json,
    /// Newline-delimited Elasticsearch bulk records, as `tshark -T ek -e …` writes them.
    Ek,
}

#[derive(clap::Args, Debug)]
pub struct DissectArgs {
    /// A pcap or pcapng file (plain, gzip or zstd), or `-` for standard input.
    pub file: PathBuf,
    /// Print the full protocol tree of every frame.
    #[arg(short = 'V')]
    pub verbose: bool,
    /// Output format.
    #[arg(short = 'T', value_enum, default_value = "text")]
    pub format: OutFormat,
    /// A field to print with `-T fields` (repeatable), by its Wireshark name.
    #[arg(short = 'e', value_name = "FIELD")]
    pub fields: Vec<String>,
    /// `-T fields` options: header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=C,
    /// quote=d|s|n.
    #[arg(short = 'E', value_name = "OPT=VALUE")]
    pub field_opts: Vec<String>,
    /// Stop after reading this many frames.
    #[arg(short = 'c', value_name = "N")]
    pub count: Option<u64>,
    /// Display filter: print only the frames it matches (Wireshark syntax).
    #[arg(short = 'Y', value_name = "FILTER", allow_hyphen_values = true)]
    pub filter: Option<String>,
    /// No name resolution: MAC addresses without their vendor names, as tshark's -n
    /// (pktlab never resolves IP addresses or ports to names).
    #[arg(short = 'n')]
    pub no_resolve: bool,
    /// A preference, as tshark's -o NAME:VALUE (repeatable): ip.check_checksum,
    /// tcp.check_checksum, udp.check_checksum.
    #[arg(short = 'o', value_name = "NAME:VALUE")]
    pub prefs: Vec<String>,
    /// Skip the TCP/UDP conversation analysis (faster; no tcp.stream, relative numbers,
    /// tcp.analysis.*).
    #[arg(long)]
    pub no_analysis: bool,
    /// Decode traffic on a port as a protocol, as tshark's -d: `udp.port==5000,dns`,
    /// `tcp.port==8080-8090,http` (repeatable).
    #[arg(short = 'd', value_name = "LAYER==PORT,PROTO")]
    pub decode_as: Vec<String>,
    /// In -V output, leave out the OSI layer tag before each layer.
    #[arg(long)]
    pub no_osi_tags: bool,
}

/// What one `-e` column prints.
#[derive(Clone, Debug)]
enum Col {
    Field(&'static FieldDef),
    /// A protocol: its tree label (`Transmission Control Protocol, Src Port: …`).
    Proto(String),
    /// `_ws.expert`: every expert item's text.
    Expert,
    /// `_ws.malformed`.
    Malformed,
    /// `_ws.col.<title>`: one of tshark's default columns, as its summary line shows it.
    Column(WsCol),
}

/// tshark's default columns, by their `_ws.col.` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WsCol {
    No,
    Time,
    Source,
    Destination,
    Protocol,
    Length,
    Info,
}

const WS_COLS: [(&str, WsCol); 7] = [
    ("_ws.col.No.", WsCol::No),
    ("_ws.col.Time", WsCol::Time),
    ("_ws.col.Source", WsCol::Source),
    ("_ws.col.Destination", WsCol::Destination),
    ("_ws.col.Protocol", WsCol::Protocol),
    ("_ws.col.Length", WsCol::Length),
    ("_ws.col.Info", WsCol::Info),
];

/// What the columns read of a frame besides its dissection: its number, length and time
/// since the first frame with the digits the file's timestamps have.
#[derive(Clone, Copy)]
struct ColCx {
    number: u64,
    orig_len: u32,
    since_first: Option<i128>,
    digits: u8,
}

impl ColCx {
    fn of(f: &Frame) -> Self {
        ColCx { number: f.meta.number, orig_len: f.meta.orig_len, since_first: f.meta.ts.map(|t| t.as_nanos() - f.first_ts), digits: f.ts_digits }
    }

    /// The Time column: seconds since the first frame (empty for a frame without a time).
    fn time(&self) -> String {
        self.since_first.map(|ns| frames::secs(ns, self.digits)).unwrap_or_default()
    }

    /// Column `c`'s text for the frame dissected as `d`.
    fn write(&self, c: WsCol, d: &Dissection, out: &mut String) {
        match c {
            WsCol::No => render::push_u64(out, self.number),
            WsCol::Time => out.push_str(&self.time()),
            WsCol::Source => out.push_str(&d.src),
            WsCol::Destination => out.push_str(&d.dst),
            WsCol::Protocol => out.push_str(d.protocol),
            WsCol::Length => render::push_u64(out, u64::from(self.orig_len)),
            WsCol::Info => out.push_str(&d.info),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Occurrence {
    First,
    Last,
    All,
}

struct FieldOpts {
    header: bool,
    separator: String,
    occurrence: Occurrence,
    aggregator: String,
    quote: Option<char>,
}

fn sep_value(v: &str) -> String {
    match v {
        "/t" => "\t".to_owned(),
        "/s" => " ".to_owned(),
        other => other.to_owned(),
    }
}

fn parse_field_opts(opts: &[String]) -> anyhow::Result<FieldOpts> {
    let mut o = FieldOpts { header: false, separator: "\t".into(), occurrence: Occurrence::All, aggregator: ",".into(), quote: None };
    for opt in opts {
        let Some((k, v)) = opt.split_once('=') else { bail!("invalid -E option \"{opt}\": expected NAME=VALUE") };
        match (k, v) {
            ("header", "y") => o.header = true,
            ("header", "n") => o.header = false,
            ("separator", v) if !v.is_empty() => o.separator = sep_value(v),
            ("occurrence", "f") => o.occurrence = Occurrence::First,
            ("occurrence", "l") => o.occurrence = Occurrence::Last,
            ("occurrence", "a") => o.occurrence = Occurrence::All,
            ("aggregator", v) if !v.is_empty() => o.aggregator = sep_value(v),
            ("quote", "d") => o.quote = Some('"'),
            ("quote", "s") => o.quote = Some('\''),
            ("quote", "n") => o.quote = None,
            ("bom", _) | ("escape", _) => {}
            _ => bail!("invalid -E option \"{opt}\" (header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=C, quote=d|s|n)"),
        }
    }
    Ok(o)
}

/// Protocol names pktlab can print as a column (the first part of every field name).
fn protocols() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = pktlab::fields::all().iter().map(|d| d.protocol()).collect();
    v.extend(["frame", "eth", "ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "arp", "dns", "mdns", "data", "vlan", "sll", "null"]);
    v.sort_unstable();
    v.dedup();
    v
}

fn resolve(names: &[String]) -> anyhow::Result<Vec<Col>> {
    let protos = protocols();
    let mut cols = Vec::new();
    let mut bad = Vec::new();
    for name in names {
        if let Some(&(_, c)) = WS_COLS.iter().find(|(n, _)| n == name) {
            cols.push(Col::Column(c));
            continue;
        }
        let col = match name.as_str() {
            "_ws.expert" => Col::Expert,
            "_ws.malformed" => Col::Malformed,
            n => match pktlab::fields::by_name(n) {
                Some(def) if !n.contains('.') && def.ftype == FieldType::None => Col::Proto(n.to_owned()),
                Some(def) => Col::Field(def),
                None if protos.contains(&n) => Col::Proto(n.to_owned()),
                None => {
                    bad.push(n.to_owned());
                    continue;
                }
            },
        };
        cols.push(col);
    }
    if !bad.is_empty() {
        let all = pktlab::fields::all();
        let mut msg = String::from("some fields aren't valid:");
        for b in &bad {
            msg.push_str(&format!("\n\t{b}"));
            let names = all.iter().map(|d| d.abbrev).chain(protos.iter().copied()).chain(["_ws.expert", "_ws.malformed"]).chain(WS_COLS.iter().map(|(n, _)| *n));
            if let Some(s) = frames::suggest(b, names) {
                msg.push_str(&format!(" (did you mean \"{s}\"?)"));
            }
        }
        bail!(msg);
    }
    Ok(cols)
}

pub fn run(args: DissectArgs) -> anyhow::Result<ExitCode> {
    frames::decode_as(&args.decode_as)?;
    for p in &args.prefs {
        if let Err(e) = pktlab::dissect::prefs::set(p) {
            eprintln!("pktlab: -o {p}: {e}");
            return Ok(ExitCode::from(2));
        }
    }
    if args.no_resolve {
        pktlab::dissect::label::set_mac_resolution(false);
    }
    let filter = match &args.filter {
        Some(text) => match Filter::compile(text) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("pktlab: invalid display filter: {}", e.render(text));
                return Ok(ExitCode::from(2));
            }
        },
        None => None,
    };
    let mode = if args.format == OutFormat::Text && !args.fields.is_empty() { OutFormat::Fields } else { args.format };
    let fopts = parse_field_opts(&args.field_opts)?;
    let cols = if mode == OutFormat::Fields || mode == OutFormat::Ek {
        if args.fields.is_empty() {
            bail!("-T {} needs at least one -e FIELD", if mode == OutFormat::Ek { "ek" } else { "fields" });
        }
        resolve(&args.fields)?
    } else {
        Vec::new()
    };
    let mut out = frames::stdout();
    let mut line = String::with_capacity(512);
    let mut scratch = String::with_capacity(128);
    if mode == OutFormat::Fields && fopts.header {
        line.push_str(&args.fields.join(&fopts.separator));
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    let mut json_first = true;
    if mode == OutFormat::Json {
        out.write_all(b"[\n")?;
    }
    let limit = args.count.unwrap_or(u64::MAX);
    let tags = !args.no_osi_tags;
    let filter_needs = args.filter.as_deref().is_some_and(filter_needs_analysis);
    let analysis = !args.no_analysis && (filter_needs || output_needs_analysis(mode, &cols));
    // Display text (Info, layer summaries, columns) is needed by every output but fields, and
    // by a protocol column (its tree label). A filter looks at frames without it first; the
    // frames it keeps get their text then.
    let text_out = !matches!(mode, OutFormat::Fields | OutFormat::Ek) || cols.iter().any(|c| matches!(c, Col::Proto(_) | Col::Column(_)));
    // Columns read the frame's number and time, which a dissection alone does not hold.
    let ws_cols = cols.iter().any(|c| matches!(c, Col::Column(_)));
    let opts = LoopOpts { analysis, annotate: analysis && filter_needs, text: text_out && filter.is_none(), hidden: true, columns: true };
    // Fields that need no analysis are dissected and formatted on every core.
    if mode == OutFormat::Fields && !analysis && !ws_cols && args.count.is_none() {
        let make = || {
            let mut slots = ColumnSlots::new(&cols);
            let mut scratch = String::with_capacity(128);
            let (cols, fopts) = (&cols, &fopts);
            move |d: &Dissection, data: &[u8], line: &mut String| fields_line(d, data, None, cols, &mut slots, fopts, line, &mut scratch)
        };
        let mut demand = filter.as_ref().map(Filter::demand).unwrap_or_default();
        add_columns(&mut demand, &cols);
        let outcome = frames::write_lines(&args.file, filter.as_ref(), &demand, text_out, make, &mut out);
        return finish(outcome, &mut out);
    }
    // Fields that need the analysis, of every frame of a file: dissected (only the fields
    // named) and formatted on every core, the analysis in frame order between, its fields
    // put in place as each frame is dissected.
    // Every frame of a file, none left out by a filter: the two passes on every core. (`-c
    // 0` reads one frame and prints none: the plain loop.)
    let every_frame = filter.is_none() && !frames::is_stdin(&args.file) && args.count != Some(0);
    if mode == OutFormat::Fields && (analysis || ws_cols) && every_frame {
        let mut demand = pktlab::dissect::Demand::default();
        add_columns(&mut demand, &cols);
        let make = || {
            let mut slots = ColumnSlots::new(&cols);
            let mut scratch = String::with_capacity(128);
            let (cols, fopts) = (&cols, &fopts);
            // (Frames come with display text when the columns need it: `text` below.)
            move |f: &mut Frame, line: &mut String| fields_line(f.d(), f.data, Some(ColCx::of(f)), cols, &mut slots, fopts, line, &mut scratch)
        };
        // (Display text — Info, a protocol's label — follows from every field, checksums
        // verified and expert items: with it, frames are dissected in full.)
        let demand = (!text_out).then_some(demand);
        let outcome = frames::write_frames(&args.file, LoopOpts { analysis, annotate: false, text: text_out, hidden: true, columns: true }, limit, demand.as_ref(), make, &mut out);
        return finish(outcome, &mut out);
    }
    // -V, JSON and summary lines (the default output) of every frame of a file: dissected,
    // annotated and formatted on every core, the analysis in frame order between.
    if matches!(mode, OutFormat::Json | OutFormat::Text) && every_frame {
        let (verbose, lines) = (mode == OutFormat::Text && args.verbose, mode == OutFormat::Text && !args.verbose);
        let make = || {
            move |f: &mut Frame, text: &mut String| {
                if verbose {
                    tree(f, tags, text);
                } else if lines {
                    summary(f, text);
                } else {
                    // Frames are numbered from 1 and every one is printed.
                    if f.meta.number > 1 {
                        text.push_str(",\n");
                    }
                    text.push_str("  ");
                    super::json::frame(f, text);
                }
            }
        };
        // Hidden fields for JSON; the Info and address columns for summary lines.
        let opts = LoopOpts { analysis, annotate: false, text: true, hidden: mode == OutFormat::Json, columns: lines };
        let outcome = frames::write_frames(&args.file, opts, limit, None, make, &mut out);
        if mode == OutFormat::Json
            && let Ok(o) = &outcome
        {
            let end: &[u8] = if o.frames == 0 { b"]\n" } else { b"\n]\n" };
            if let Err(e) = out.write_all(end)
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e.into());
            }
        }
        return finish(outcome, &mut out);
    }
    let mut slots = ColumnSlots::new(&cols);
    // A filter that names no analysis field looks at the frames on every core; -c, which
    // counts frames read, keeps to the plain loop.
    let parallel = filter.as_ref().filter(|_| !filter_needs && args.count.is_none());
    // A filter that names analysis fields runs on every core after the analysis, in a file.
    let analysed = filter.as_ref().filter(|_| filter_needs && analysis && args.count.is_none() && !frames::is_stdin(&args.file));
    // The printing closure and the flush when a piped stream pauses share the output.
    let shared_out = std::cell::RefCell::new(&mut out);
    let mut print = |f: &mut Frame| -> std::io::Result<ControlFlow<()>> {
        if f.meta.number > limit {
            return Ok(ControlFlow::Break(()));
        }
        if parallel.is_none()
            && analysed.is_none()
            && let Some(flt) = &filter
            && !flt.matches(f.d(), f.data)
        {
            f.shown = false;
            return Ok(ControlFlow::Continue(()));
        }
        if text_out {
            f.with_text();
        }
        f.annotate();
        line.clear();
        match mode {
            OutFormat::Fields => fields_line(f.d(), f.data, Some(ColCx::of(f)), &cols, &mut slots, &fopts, &mut line, &mut scratch),
            OutFormat::Ek => ek_lines(f, &cols, &args.fields, &mut line),
            OutFormat::Text if args.verbose => tree(f, tags, &mut line),
            OutFormat::Text => summary(f, &mut line),
            OutFormat::Json => {
                if !json_first {
                    line.push_str(",\n");
                }
                json_first = false;
                line.push_str("  ");
                super::json::frame(f, &mut line);
            }
        }
        shared_out.borrow_mut().write_all(line.as_bytes())?;
        Ok(if f.meta.number >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
    };
    let outcome = match (parallel, analysed) {
        (Some(flt), _) => frames::for_each_matching(&args.file, LoopOpts { text: text_out, ..opts }, flt, &mut print),
        (None, Some(flt)) => frames::for_each_matching_analysed(&args.file, LoopOpts { text: text_out, ..opts }, flt, &mut print),
        (None, None) => frames::for_each_flushing(&args.file, opts, &mut print, || shared_out.borrow_mut().flush()),
    };
    if outcome.is_ok() && mode == OutFormat::Json {
        let end: &[u8] = if json_first { b"]\n" } else { b"\n]\n" };
        if let Err(e) = out.write_all(end)
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            return Err(e.into());
        }
    }
    finish(outcome, &mut out)
}

/// Flushes the output, then reports the damage that ended reading early, if any (after every
/// good frame was printed).
/// Adds what the columns print to `demand`: their fields, and expert items (with the
/// checksums verified, whose items they are among) for `_ws.expert` and `_ws.malformed`.
fn add_columns(demand: &mut pktlab::dissect::Demand, cols: &[Col]) {
    for c in cols {
        match c {
            Col::Field(def) => demand.add(def),
            Col::Expert | Col::Malformed => {
                demand.experts = true;
                demand.checksums = true;
            }
            Col::Proto(_) | Col::Column(_) => {}
        }
    }
}

fn finish(outcome: anyhow::Result<frames::Outcome>, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            let _ = frames::finish_output(out);
            return Err(e);
        }
    };
    frames::finish_output(out)?;
    if let Some(e) = outcome.error {
        eprintln!("pktlab: {e}");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether a field name is one the analysis adds (`tcp.stream`, `tcp.seq`, `tcp.analysis.*`…),
/// or depends like them on the frames before in file order (`frame.time_delta_displayed`
/// counts from the last frame the filter kept), or on the analysis's verdict (a
/// retransmitted or out-of-order segment's bytes are no protocol's: `data`, the frame's
/// protocols, `tcp.segment_data`; and, where segments are read on their own, every protocol
/// above TCP).
pub(crate) fn is_analysis_field(name: &str) -> bool {
    name == "frame.time_delta_displayed"
        || name == "frame.protocols"
        || name == "data"
        || name.starts_with("data.")
        || name == "tcp.segment_data"
        || name.starts_with("tcp.analysis") || name.starts_with("_ws.expert") || name.starts_with("_ws.malformed") || pktlab::analysis::fields().any(|d| d.abbrev == name)
        || (segments_read_alone() && above_tcp(name))
}

/// Whether TCP segments may be read on their own, without reassembly (`-o
/// tcp.check_checksum:TRUE` given, a bad checksum then not reassembled; or
/// `tcp.desegment_tcp_streams:FALSE`): the analysis's verdict then takes a retransmission's
/// protocols above TCP away (tshark's decode_tcp_ports), so their fields depend on it.
fn segments_read_alone() -> bool {
    use pktlab::dissect::prefs::{TCP_CHECK_CHECKSUM, TCP_DESEGMENT_TCP_STREAMS};
    TCP_CHECK_CHECKSUM.explicitly_on() || !TCP_DESEGMENT_TCP_STREAMS.get()
}

/// Whether `name` is a field or protocol whose layer can sit above TCP (any but the capture's,
/// the link, network and transport layers').
fn above_tcp(name: &str) -> bool {
    const BELOW: &[&str] = &["frame", "eth", "vlan", "sll", "null", "llc", "ppp", "arp", "ip", "ipv6", "icmp", "icmpv6", "igmp", "gre", "tcp", "udp", "_ws"];
    let proto = name.split('.').next().unwrap_or(name);
    !BELOW.contains(&proto) && pktlab::dissect::fields().chain(pktlab::dissect::NESTED_PROTOCOLS.iter().copied()).any(|d| d.protocol() == proto)
}

/// Whether the printed frames depend on the conversation analysis: the text and JSON outputs
/// always do (relative numbers in Info, tcp.stream in the tree); `-T fields` only when a
/// column is a field the analysis adds, a TCP/UDP protocol label or an expert column.
/// Skipping it otherwise changes no printed byte and saves its time.
fn output_needs_analysis(mode: OutFormat, cols: &[Col]) -> bool {
    mode != OutFormat::Fields
        || cols.iter().any(|c| match c {
            Col::Field(def) => is_analysis_field(def.abbrev),
            Col::Proto(p) => p == "tcp" || p == "udp" || is_analysis_field(p),
            // (The Info column shows the analysis: relative numbers, `[TCP Retransmission]`.)
            Col::Expert | Col::Malformed | Col::Column(_) => true,
        })
}

/// Whether a display filter names a field the analysis adds (then every frame is annotated
/// before the filter sees it; otherwise only the frames it keeps are).
pub(crate) fn filter_needs_analysis(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')).any(is_analysis_field)
}

/// A layer's tree line (see [`pktlab::dissect::label::layer_label`]).
pub(super) fn layer_label(d: &Dissection, li: usize, out: &mut String) {
    pktlab::dissect::label::layer_label(d, li, out);
}

/// Per column, the indices of the fields that fill it in this frame, found in one pass over
/// the frame's fields (a small open-addressing table keyed by the field definition's address).
struct ColumnSlots {
    /// (definition address, column) pairs; 0 marks an empty slot.
    table: Vec<(usize, usize)>,
    mask: usize,
    /// Field indices per column, reused from frame to frame.
    hits: Vec<Vec<u32>>,
    /// Columns that name the same field twice share the first one's hits.
    alias: Vec<usize>,
    /// One bit per column field (by [`ColumnSlots::bit`]): most fields of a frame are in no
    /// column, and this rejects them without probing the table.
    bloom: u64,
}

impl ColumnSlots {
    fn new(cols: &[Col]) -> Self {
        let size = (cols.len() * 4).next_power_of_two().max(16);
        let mut s = ColumnSlots { table: vec![(0, 0); size], mask: size - 1, hits: vec![Vec::new(); cols.len()], alias: (0..cols.len()).collect(), bloom: 0 };
        for (ci, c) in cols.iter().enumerate() {
            let Col::Field(def) = c else { continue };
            let key = *def as *const FieldDef as usize;
            s.bloom |= Self::bit(key);
            let mut h = Self::hash(key) & s.mask;
            loop {
                match s.table[h] {
                    (0, _) => {
                        s.table[h] = (key, ci);
                        break;
                    }
                    (k, first) if k == key => {
                        s.alias[ci] = first;
                        break;
                    }
                    _ => h = (h + 1) & s.mask,
                }
            }
        }
        s
    }

    /// Definitions are statics a few words apart: their address bits above the alignment
    /// spread them over the 64 bits.
    #[inline]
    fn bit(key: usize) -> u64 {
        1 << ((key >> 3) & 63)
    }

    fn hash(key: usize) -> usize {
        (key >> 3).wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as usize) >> 7
    }

    fn fill(&mut self, d: &Dissection) {
        for h in &mut self.hits {
            h.clear();
        }
        for (i, f) in d.fields.iter().enumerate() {
            let key = f.def as *const FieldDef as usize;
            if self.bloom & Self::bit(key) == 0 {
                continue;
            }
            let mut h = Self::hash(key) & self.mask;
            loop {
                match self.table[h] {
                    (0, _) => break,
                    (k, ci) if k == key => {
                        self.hits[ci].push(i as u32);
                        break;
                    }
                    _ => h = (h + 1) & self.mask,
                }
            }
        }
    }
}

/// One `-T fields` line; `cx` is the frame's, for `_ws.col.` columns (which a caller without
/// it never has).
#[allow(clippy::too_many_arguments)]
fn fields_line(d: &Dissection, data: &[u8], cx: Option<ColCx>, cols: &[Col], slots: &mut ColumnSlots, o: &FieldOpts, line: &mut String, scratch: &mut String) {
    slots.fill(d);
    // The usual case, a field printed unquoted (every occurrence, or the first), goes
    // straight to its cells.
    let plain = o.quote.is_none() && o.occurrence != Occurrence::Last;
    for (ci, col) in cols.iter().enumerate() {
        if ci > 0 {
            line.push_str(&o.separator);
        }
        if plain && let Col::Field(_) = col {
            let hits = slots.alias.get(ci).and_then(|a| slots.hits.get(*a)).map(|h| h.as_slice()).unwrap_or(&[]);
            let hits = if o.occurrence == Occurrence::First { &hits[..hits.len().min(1)] } else { hits };
            for (k, &i) in hits.iter().enumerate() {
                if k > 0 {
                    line.push_str(&o.aggregator);
                }
                if let Some(fl) = d.fields.get(i as usize) {
                    render::cell(d, data, fl, line);
                }
            }
            continue;
        }
        let mut n = 0usize;
        let mut put = |line: &mut String, text: &dyn Fn(&mut String)| {
            match o.occurrence {
                Occurrence::First if n > 0 => return,
                Occurrence::Last => scratch.clear(),
                _ => {}
            }
            let target: &mut String = if o.occurrence == Occurrence::Last { &mut *scratch } else { &mut *line };
            if n > 0 && o.occurrence == Occurrence::All {
                target.push_str(&o.aggregator);
            }
            if let Some(q) = o.quote {
                target.push(q);
            }
            text(target);
            if let Some(q) = o.quote {
                target.push(q);
            }
            n += 1;
        };
        match col {
            Col::Field(_) => {
                let hits = slots.alias.get(ci).and_then(|a| slots.hits.get(*a)).map(|h| h.as_slice()).unwrap_or(&[]);
                let hits = match o.occurrence {
                    Occurrence::First => &hits[..hits.len().min(1)],
                    Occurrence::Last => &hits[hits.len().saturating_sub(1)..],
                    Occurrence::All => hits,
                };
                for &i in hits {
                    if let Some(fl) = d.fields.get(i as usize) {
                        put(line, &|s: &mut String| render::cell(d, data, fl, s));
                    }
                }
            }
            Col::Proto(name) => {
                for (li, _) in d.layers.iter().enumerate().filter(|(_, l)| l.proto == name) {
                    put(line, &|s: &mut String| layer_label(d, li, s));
                }
            }
            Col::Expert => {
                for e in &d.experts {
                    put(line, &|s: &mut String| render::expert(e, s));
                }
            }
            Col::Malformed => {
                for e in d.experts.iter().filter(|e| e.key.starts_with("malformed")) {
                    put(line, &|s: &mut String| render::malformed(d, e, s));
                }
            }
            Col::Column(c) => {
                if let Some(cx) = cx {
                    put(line, &|s: &mut String| cx.write(*c, d, s));
                }
            }
        }
        if o.occurrence == Occurrence::Last && n > 0 {
            line.push_str(scratch);
        }
    }
    line.push('\n');
}

/// One frame as `tshark -T ek -e …` writes it: the bulk index line (`packets-` and the
/// frame's date), then the document: `timestamp` (milliseconds since the epoch, as text) and
/// `layers`, one array of cell texts per `-e` field the frame has, named with `_` for `.`.
/// The date is UTC (tshark uses the local time zone: run it with `TZ=UTC` to compare).
fn ek_lines(f: &mut Frame, cols: &[Col], names: &[String], line: &mut String) {
    use std::fmt::Write as _;
    let (secs, millis) = f.meta.ts.map_or((0, 0), |t| (t.secs, t.nanos / 1_000_000));
    let (y, m, d) = pktlab::dissect::format::civil(secs);
    let _ = writeln!(line, "{{\"index\":{{\"_index\":\"packets-{y:04}-{m:02}-{d:02}\",\"_type\":\"doc\"}}}}");
    let _ = write!(line, "{{\"timestamp\":\"{secs}{millis:03}\",\"layers\":{{");
    let cx = ColCx::of(f);
    let (d, data) = (f.d(), f.data);
    let mut first = true;
    let mut cells: Vec<String> = Vec::new();
    for (col, name) in cols.iter().zip(names) {
        cells.clear();
        let mut cell = |put: &dyn Fn(&mut String)| {
            let mut s = String::new();
            put(&mut s);
            cells.push(s);
        };
        match col {
            Col::Field(def) => {
                for fl in d.fields.iter().filter(|fl| std::ptr::eq(fl.def, *def)) {
                    cell(&|s: &mut String| render::cell(d, data, fl, s));
                }
            }
            Col::Proto(proto) => {
                for (li, _) in d.layers.iter().enumerate().filter(|(_, l)| l.proto == proto) {
                    cell(&|s: &mut String| layer_label(d, li, s));
                }
            }
            Col::Expert => {
                for e in &d.experts {
                    cell(&|s: &mut String| render::expert(e, s));
                }
            }
            Col::Malformed => {
                for e in d.experts.iter().filter(|e| e.key.starts_with("malformed")) {
                    cell(&|s: &mut String| render::malformed(d, e, s));
                }
            }
            Col::Column(c) => cell(&|s: &mut String| cx.write(*c, d, s)),
        }
        if cells.is_empty() {
            continue;
        }
        line.push_str(if first { "" } else { "," });
        first = false;
        let _ = write!(line, "{}:{}", Json::String(name.replace('.', "_")), Json::from(cells.clone()));
    }
    line.push_str("}}\n");
}

/// One summary line with tshark's default columns and widths:
/// `No.` (≥5, right), `Time` (≥10, right), `Source` (≥12, right) `→` `Destination` (≥12, left),
/// `Protocol`, `Length`, `Info`.
fn summary(f: &Frame, line: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(
        line,
        "{:>5} {:>10} {:>12} → {:<12} {} {} {}",
        f.meta.number,
        ColCx::of(f).time(),
        f.d().src,
        f.d().dst,
        f.d().protocol,
        f.meta.orig_len,
        f.d().info
    );
    line.push('\n');
}

/// The `-V` tag before a layer's label, `[L2 데이터 링크] `: the OSI number and the layer's
/// name (`ui tui.osi.N`, the tree headings of the TUI), in Korean.
fn osi_tag(osi: Osi) -> &'static str {
    static TAGS: std::sync::OnceLock<[String; 7]> = std::sync::OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        std::array::from_fn(|i| {
            let n = i + 1;
            format!("[L{n} {}] ", pktlab::explain::ui(&format!("tui.osi.{n}"), pktlab::explain::Lang::Ko))
        })
    });
    tags.get(usize::from(osi.number()).saturating_sub(1)).map_or("", String::as_str)
}

/// The `-V` tree: each layer's label (after its OSI tag), then its visible fields indented four
/// spaces per level, expert items under the field they concern; a blank line after the frame.
fn tree(f: &Frame, tags: bool, line: &mut String) {
    let d = f.d();
    // Which layer shows each field: the last layer whose range holds it (a nested layer's
    // fields are its own), found once per frame (in memory kept from frame to frame).
    // The labels of the fields labelled from their value alone, remembered from frame to frame.
    thread_local! {
        static OWNER: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
        static LABELS: std::cell::RefCell<LabelCache> = std::cell::RefCell::new(LabelCache::new());
        // The subtrees of block fields (FieldDef::block), by their bytes.
        static BLOCKS: std::cell::RefCell<TextCache> = std::cell::RefCell::new(TextCache::new());
    }
    OWNER.with_borrow_mut(|owner| LABELS.with_borrow_mut(|labels| BLOCKS.with_borrow_mut(|blocks| tree_with(f, d, tags, owner, labels, blocks, line))));
}

fn tree_with(f: &Frame, d: &Dissection, tags: bool, owner: &mut Vec<u32>, labels: &mut LabelCache, blocks: &mut TextCache, line: &mut String) {
    owner.clear();
    owner.resize(d.fields.len(), u32::MAX);
    for (li, l) in d.layers.iter().enumerate() {
        let end = (l.fields.end as usize).min(owner.len());
        if let Some(range) = owner.get_mut((l.fields.start as usize).min(end)..end) {
            range.fill(li as u32);
        }
    }
    // The top bit marks a field an expert item concerns.
    const EXPERT: u32 = 1 << 31;
    for e in &d.experts {
        if let Some(o) = e.field.and_then(|i| owner.get_mut(i as usize)) {
            *o |= EXPERT;
        }
    }
    // tshark draws what ICMP quotes (and its data) inside ICMP's tree: one level deeper (but
    // what a quoted UDP header carries at the top).
    let mut nest = 0;
    for (li, layer) in d.layers.iter().enumerate() {
        indent_to(nest, line);
        if tags {
            line.push_str(osi_tag(layer.osi));
        }
        layer_label(d, li, line);
        line.push('\n');
        if layer.proto == "data" {
            let start = layer.offset as usize;
            let bytes = d.source_bytes(f.data, layer.source);
            data_dump(bytes.get(start..start + layer.len as usize).unwrap_or(&[]), line);
        }
        // The layer's fields and their owners, side by side.
        let lo = (layer.fields.start as usize).min(owner.len());
        let hi = (layer.fields.end as usize).clamp(lo, owner.len());
        let (fields, owners) = (d.fields.get(lo..hi).unwrap_or(&[]), &owner[lo..hi]);
        let me = li as u32;
        let mut k = 0;
        while let (Some(fl), Some(&o)) = (fields.get(k), owners.get(k)) {
            let i = lo + k;
            k += 1;
            if fl.hidden || o & !EXPERT != me {
                continue;
            }
            let indent = nest + 4 * (fl.depth as usize + 1);
            // Most fields have no expert item: their own short path.
            if o == me {
                // A block field's subtree, when every field of it is this layer's and no
                // expert item concerns one, is copied whole from the last time the same
                // bytes were seen.
                if fl.def.block {
                    // The fields under `c` (at `at` in the layer) while they are this layer's
                    // and no data protocol.
                    let under = |at: usize, c: &pktlab::dissect::Field| {
                        let n = fields[at + 1..].iter().position(|x| x.depth <= c.depth).unwrap_or(fields.len() - at - 1);
                        owners[at + 1..at + 1 + n].iter().zip(&fields[at + 1..at + 1 + n]).all(|(&o, x)| o == me && !std::ptr::eq(x.def, &pktlab::dissect::data::DATA_PROTO)).then_some(n)
                    };
                    // The run: this field's subtree and the block fields that follow at its
                    // depth with theirs, within 16 bytes of its start.
                    let mut end = under(k - 1, fl).map(|n| k + n);
                    while let Some((e, s, so)) = end.and_then(|e| Some((e, fields.get(e)?, *owners.get(e)?))) {
                        if s.depth != fl.depth || !s.def.block || s.hidden || so != me || s.source != fl.source || s.offset < fl.offset || s.offset + s.len > fl.offset + 16 {
                            break;
                        }
                        match under(e, s) {
                            Some(n) => end = Some(e + 1 + n),
                            None => break,
                        }
                    }
                    if let Some(end) = end
                        && let Some(key) = pktlab::dissect::label::block_key(d, f.data, i, lo + end, indent)
                    {
                        blocks.put(key, line, |line| {
                            for (j, c) in fields[k - 1..end].iter().enumerate().filter(|(_, c)| !c.hidden) {
                                labels.tree_line(d, f.data, i + j, nest + 4 * (c.depth as usize + 1), true, line);
                            }
                        });
                        k = end;
                        continue;
                    }
                }
                // The whole line, indent and line feed included, from the cache.
                labels.tree_line(d, f.data, i, indent, true, line);
                // The data protocol inside another's tree: its bytes dumped under its line.
                if std::ptr::eq(fl.def, &pktlab::dissect::data::DATA_PROTO) {
                    data_dump(d.field_bytes(f.data, fl), line);
                }
                continue;
            }
            // An analysis flag is shown by tshark as its expert item alone.
            if fl.generated && fl.def.ftype == FieldType::None && d.experts.iter().any(|e| e.field == Some(i as u32) && e.key == fl.def.abbrev) {
                for e in d.experts.iter().filter(|e| e.field == Some(i as u32)) {
                    expert_lines(e, indent, line);
                }
                continue;
            }
            labels.tree_line(d, f.data, i, indent, true, line);
            // The data protocol inside another's tree: its bytes dumped under its line.
            if std::ptr::eq(fl.def, &pktlab::dissect::data::DATA_PROTO) {
                data_dump(d.field_bytes(f.data, fl), line);
            }
            for e in d.experts.iter().filter(|e| e.field == Some(i as u32)) {
                expert_lines(e, indent + 4, line);
            }
        }
        if matches!(layer.proto, "icmp" | "icmpv6") {
            nest = 4;
        } else if layer.proto == "udp" {
            // (A quoted UDP header's payload goes to the top of tshark's tree.)
            nest = 0;
        }
        if li + 1 == d.layers.len() {
            for e in d.experts.iter().filter(|e| e.field.is_none_or(|x| x as usize >= d.fields.len())) {
                // The malformed frame's item heads its expert item at the top of the tree
                // (`[Malformed Packet: PNG]`).
                if e.key.starts_with("malformed") {
                    render::malformed(d, e, line);
                    line.push('\n');
                }
                expert_lines(e, 4, line);
            }
        }
    }
    line.push('\n');
}

/// `n` spaces.
#[inline]
fn indent_to(n: usize, line: &mut String) {
    // Four spaces at a time (a fixed-size copy, no call), then the rest: indents are
    // multiples of four.
    line.reserve(n);
    for _ in 0..n / 4 {
        line.push_str("    ");
    }
    for _ in 0..n % 4 {
        line.push(' ');
    }
}

/// An expert item as tshark's tree shows it: the item, then its message, severity and group.
fn expert_lines(e: &pktlab::dissect::Expert, indent: usize, line: &mut String) {
    use pktlab::dissect::format::{expert_group, severity_name};
    // (The group found once for both lines that name it.)
    let (severity, group) = (severity_name(e.severity), expert_group(e.key));
    indent_to(indent, line);
    line.push('[');
    render::expert_with(e, severity, group, line);
    line.push_str("]\n");
    for (before, text) in [("[", e.message.as_str()), ("[Severity level: ", severity), ("[Group: ", group)] {
        indent_to(indent + 4, line);
        line.push_str(before);
        line.push_str(text);
        line.push_str("]\n");
    }
}

/// The hex dump tshark prints under the `data` protocol's item in `-V` (when the whole frame
/// is not dumped): a blank line, then 16 bytes per line with offsets and their ASCII.
fn data_dump(bytes: &[u8], line: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    line.push('\n');
    line.reserve(bytes.len().div_ceil(16) * 76);
    // One line at a time in a byte buffer: `oooo  hh hh … hh  ascii…\n`. Every offset has
    // as many digits as the last byte's needs, four at least (`print_hex_data_buffer`). The
    // hex part of a full line is 48 bytes from `at`.
    let mut buf = [b' '; 96];
    let last = bytes.len().saturating_sub(1) as u64;
    let digits = if last > 0xffff { (64 - last.leading_zeros() as usize).div_ceil(4) } else { 4 };
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let off = i * 16;
        for (k, d) in (0..digits).rev().enumerate() {
            buf[k] = HEX[(off >> (d * 4)) & 15];
        }
        let at = digits + 2;
        buf[digits] = b' ';
        buf[digits + 1] = b' ';
        let hex = &mut buf[at..at + 48];
        for (cell, b) in hex.chunks_exact_mut(3).zip(chunk) {
            cell[0] = HEX[(b >> 4) as usize];
            cell[1] = HEX[(b & 15) as usize];
            cell[2] = b' ';
        }
        // (A short last line: spaces for the missing bytes.)
        hex[chunk.len() * 3..].fill(b' ');
        // The last byte's separator, then two more spaces, then the ASCII.
        let mut k = at + 48;
        buf[k] = b' ';
        buf[k + 1] = b' ';
        k += 2;
        for (c, b) in buf[k..k + chunk.len()].iter_mut().zip(chunk) {
            *c = if b.is_ascii_graphic() || *b == b' ' { *b } else { b'.' };
        }
        k += chunk.len();
        buf[k] = b'\n';
        line.push_str(std::str::from_utf8(&buf[..=k]).unwrap_or(""));
    }
}

/// `packets-YYYY-MM-DD`, as tshark names each frame's index.
pub(super) fn index_name(f: &Frame) -> String {
    let (year, month, day) = pktlab::dissect::format::civil(f.meta.ts.map(|t| t.secs).unwrap_or(0));
    format!("packets-{year:04}-{month:02}-{day:02}")
}
