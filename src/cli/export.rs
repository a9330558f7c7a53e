//! `pktlab export FILE --format parquet -o OUT`: one row per frame, one typed column per field,
//! named by its Wireshark name, for DuckDB, Spark, pandas and every engine that reads Parquet.
//!
//! Column types follow the field's type: integers are INT64 (unsigned 64-bit ones carry the
//! unsigned logical type), `frame.time` and other absolute times are UTC timestamps in
//! nanoseconds, relative times (`frame.time_relative`, `tcp.analysis.ack_rtt`) are seconds as
//! DOUBLE, booleans are BOOLEAN, addresses and text are UTF-8 strings as tshark prints them.
//! A field with no value of its own (`tcp.analysis.retransmission`) is a BOOLEAN that says
//! whether the frame has it. A field the frame does not have is null; a field a frame has
//! more than once (a header quoted inside ICMP) gives its first occurrence, as
//! `tshark -T fields -E occurrence=f`. Rows are written in row groups of `--row-group` frames,
//! so memory stays flat on any capture.

use super::dissect::{filter_needs_analysis, is_analysis_field};
use super::frames::{self, LoopOpts};
use anyhow::{Context as _, bail};
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use pktlab::dissect::format;
use pktlab::dissect::{Dissection, FieldDef, FieldType, Value};
use pktlab::filter::Filter;
use pktlab::game::{GameDecoder, GameProto};
use std::io::IsTerminal as _;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Parquet,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// A pcap or pcapng file (plain, gzip or zstd), or `-` for standard input.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "parquet")]
    pub format: ExportFormat,
    /// The file to write.
    #[arg(short = 'o', value_name = "OUT")]
    pub out: PathBuf,
    /// A column (repeatable), by its Wireshark field name; without any, the default set
    /// (`pktlab export --help` lists it).
    #[arg(short = 'e', value_name = "FIELD")]
    pub fields: Vec<String>,
    /// Display filter: export only the frames it matches.
    #[arg(short = 'Y', value_name = "FILTER", allow_hyphen_values = true)]
    pub filter: Option<String>,
    /// A game protocol description: adds `game.msg_type` and `game.msg_name` to the default
    /// columns (the first message a frame completes).
    #[arg(long, value_name = "FILE")]
    pub proto: Option<PathBuf>,
    /// Decode traffic on a port as a protocol, as tshark's -d: `udp.port==5000,dns`,
    /// `tcp.port==8080-8090,http` (repeatable).
    #[arg(short = 'd', value_name = "LAYER==PORT,PROTO")]
    pub decode_as: Vec<String>,
    /// Frames per row group.
    #[arg(long, value_name = "N", default_value_t = 65_536)]
    pub row_group: usize,
}

/// The columns written when no `-e` is given.
pub const DEFAULT_COLUMNS: &[&str] = &[
    "frame.number",
    "frame.time",
    "frame.time_relative",
    "frame.len",
    "frame.protocols",
    "eth.src",
    "eth.dst",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "ip.proto",
    "ip.ttl",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.stream",
    "tcp.seq",
    "tcp.ack",
    "tcp.len",
    "tcp.flags",
    "tcp.flags.str",
    "tcp.window_size",
    "tcp.analysis.ack_rtt",
    "tcp.analysis.bytes_in_flight",
    "tcp.analysis.retransmission",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.spurious_retransmission",
    "tcp.analysis.out_of_order",
    "tcp.analysis.lost_segment",
    "tcp.analysis.duplicate_ack",
    "tcp.analysis.zero_window",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "udp.stream",
];

/// How a field's values are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    UInt64,
    Double,
    Bool,
    /// Whether the frame has the field (fields with no value of their own).
    Present,
    Timestamp,
    Text,
}

impl Kind {
    fn of(def: &FieldDef) -> Kind {
        match def.ftype {
            FieldType::U8 | FieldType::U16 | FieldType::U24 | FieldType::U32 | FieldType::I32 | FieldType::I64 | FieldType::FrameNum => Kind::Int,
            FieldType::U64 => Kind::UInt64,
            FieldType::Float | FieldType::RelTime => Kind::Double,
            FieldType::Bool => Kind::Bool,
            FieldType::None => Kind::Present,
            FieldType::AbsTime => Kind::Timestamp,
            FieldType::Ipv4 | FieldType::Ipv6 | FieldType::Ether | FieldType::Bytes | FieldType::Str => Kind::Text,
        }
    }

    fn schema(self, name: &str) -> parquet::errors::Result<Type> {
        let (physical, logical) = match self {
            Kind::Int => (Physical::INT64, None),
            Kind::UInt64 => (Physical::INT64, Some(LogicalType::integer(64, false))),
            Kind::Double => (Physical::DOUBLE, None),
            Kind::Bool | Kind::Present => (Physical::BOOLEAN, None),
            Kind::Timestamp => (Physical::INT64, Some(LogicalType::timestamp(true, TimeUnit::NANOS))),
            Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        };
        let repetition = if self == Kind::Present { Repetition::REQUIRED } else { Repetition::OPTIONAL };
        Type::primitive_type_builder(name, physical).with_repetition(repetition).with_logical_type(logical).build()
    }
}

/// One column's values for the row group being filled.
struct Column {
    def: &'static FieldDef,
    kind: Kind,
    ints: Vec<i64>,
    doubles: Vec<f64>,
    bools: Vec<bool>,
    texts: Vec<ByteArray>,
    /// Per row: 1 when the frame has the field, 0 for null.
    levels: Vec<i16>,
}

impl Column {
    fn new(def: &'static FieldDef) -> Column {
        Column { def, kind: Kind::of(def), ints: Vec::new(), doubles: Vec::new(), bools: Vec::new(), texts: Vec::new(), levels: Vec::new() }
    }

    /// Adds the frame's value (its first occurrence), or a null.
    fn push(&mut self, d: &Dissection, data: &[u8]) {
        let field = d.find(self.def).next();
        if self.kind == Kind::Present {
            self.bools.push(field.is_some());
            return;
        }
        let Some(f) = field else {
            self.levels.push(0);
            return;
        };
        let stored = match (self.kind, &f.value) {
            (Kind::Int | Kind::UInt64, Value::UInt(v)) => {
                self.ints.push(*v as i64);
                true
            }
            (Kind::Int | Kind::UInt64, Value::Int(v)) => {
                self.ints.push(*v);
                true
            }
            (Kind::Double, Value::Float(v)) => {
                self.doubles.push(*v);
                true
            }
            (Kind::Double, Value::Duration(ns)) => {
                self.doubles.push(*ns as f64 / 1e9);
                true
            }
            (Kind::Bool, Value::Bool(b)) => {
                self.bools.push(*b);
                true
            }
            (Kind::Bool, Value::UInt(v)) => {
                self.bools.push(*v != 0);
                true
            }
            (Kind::Timestamp, Value::Time(t)) => {
                self.ints.push(i64::try_from(t.as_nanos()).unwrap_or(i64::MAX));
                true
            }
            (Kind::Text, _) => {
                self.texts.push(ByteArray::from(format::cell(d, data, f).into_bytes()));
                true
            }
            _ => false,
        };
        self.levels.push(i16::from(stored));
    }

    fn clear(&mut self) {
        self.ints.clear();
        self.doubles.clear();
        self.bools.clear();
        self.texts.clear();
        self.levels.clear();
    }
}

/// The Parquet file being written, a row group at a time.
struct Sink {
    writer: SerializedFileWriter<std::fs::File>,
    columns: Vec<Column>,
    rows: usize,
}

impl Sink {
    fn flush(&mut self) -> anyhow::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        for c in &mut self.columns {
            let Some(mut w) = group.next_column()? else { bail!("the Parquet writer has fewer columns than the schema") };
            let levels = (c.kind != Kind::Present).then_some(&c.levels[..]);
            match c.kind {
                Kind::Int | Kind::UInt64 | Kind::Timestamp => {
                    w.typed::<Int64Type>().write_batch(&c.ints, levels, None)?;
                }
                Kind::Double => {
                    w.typed::<DoubleType>().write_batch(&c.doubles, levels, None)?;
                }
                Kind::Bool | Kind::Present => {
                    w.typed::<BoolType>().write_batch(&c.bools, levels, None)?;
                }
                Kind::Text => {
                    w.typed::<ByteArrayType>().write_batch(&c.texts, levels, None)?;
                }
            }
            w.close()?;
            c.clear();
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }
}

/// The fields of the columns asked for (or the default set), every unknown name reported
/// at once with the nearest known one.
fn columns(args: &ExportArgs) -> anyhow::Result<Vec<&'static FieldDef>> {
    let names: Vec<String> = if args.fields.is_empty() {
        let mut v: Vec<String> = DEFAULT_COLUMNS.iter().map(|s| (*s).to_owned()).collect();
        if args.proto.is_some() {
            v.extend(["game.msg_type".to_owned(), "game.msg_name".to_owned()]);
        }
        v
    } else {
        args.fields.clone()
    };
    let mut defs = Vec::new();
    let mut bad = Vec::new();
    for n in &names {
        match pktlab::fields::by_name(n) {
            Some(def) if defs.iter().any(|d: &&FieldDef| d.abbrev == def.abbrev) => bail!("the column {n} is asked for twice"),
            Some(def) => defs.push(def),
            None => bad.push(n),
        }
    }
    if !bad.is_empty() {
        let mut msg = String::from("some fields aren't valid:");
        for b in bad {
            msg.push_str(&format!("\n\t{b}"));
            if let Some(s) = frames::suggest(b, pktlab::fields::all().iter().map(|d| d.abbrev)) {
                msg.push_str(&format!(" (did you mean \"{s}\"?)"));
            }
        }
        bail!(msg);
    }
    Ok(defs)
}

pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    frames::decode_as(&args.decode_as)?;
    if args.row_group == 0 {
        bail!("--row-group must be at least 1");
    }
    let filter = match &args.filter {
        Some(text) => Some(Filter::compile(text).map_err(|e| anyhow::anyhow!("{e}"))?),
        None => None,
    };
    let defs = columns(&args)?;
    let mut game = match &args.proto {
        Some(path) => Some(GameDecoder::new(Arc::new(GameProto::load(path).map_err(|e| anyhow::anyhow!("{e}"))?))),
        None => None,
    };
    let fields: Vec<Arc<Type>> = defs.iter().map(|d| Kind::of(d).schema(d.abbrev).map(Arc::new)).collect::<Result<_, _>>()?;
    let schema = Arc::new(Type::group_type_builder("pktlab").with_fields(fields).build()?);
    let props = Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).set_created_by(format!("pktlab {}", env!("CARGO_PKG_VERSION"))).build());
    let file = std::fs::File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let writer = SerializedFileWriter::new(file, schema, props)?;
    let mut sink = Sink { writer, columns: defs.iter().map(|d| Column::new(d)).collect(), rows: 0 };

    let needs = |name: &str| is_analysis_field(name);
    let analysis = defs.iter().any(|d| needs(d.abbrev)) || args.filter.as_deref().is_some_and(filter_needs_analysis);
    let opts = LoopOpts { analysis, annotate: analysis, text: false, hidden: true, columns: true };
    let progress = std::io::stderr().is_terminal();
    let (mut written, mut shown_at) = (0u64, Instant::now());
    let mut failure: Option<anyhow::Error> = None;
    let outcome = frames::for_each(&args.file, opts, |f| {
        if let Some(g) = &mut game {
            let data = f.data;
            g.process(f.d_mut(), data);
        }
        if let Some(flt) = &filter
            && !flt.matches(f.d(), f.data)
        {
            f.shown = false;
            return Ok(ControlFlow::Continue(()));
        }
        for c in &mut sink.columns {
            c.push(f.d(), f.data);
        }
        sink.rows += 1;
        written += 1;
        if sink.rows >= args.row_group
            && let Err(e) = sink.flush()
        {
            failure = Some(e);
            return Ok(ControlFlow::Break(()));
        }
        if progress && shown_at.elapsed() > Duration::from_millis(500) {
            shown_at = Instant::now();
            eprint!("\rpktlab export: {written} frames written …");
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if let Some(e) = failure {
        return Err(e.context(format!("writing {}", args.out.display())));
    }
    sink.flush().with_context(|| format!("writing {}", args.out.display()))?;
    sink.writer.close().with_context(|| format!("writing {}", args.out.display()))?;
    if progress {
        eprint!("\r\x1b[K");
    }
    eprintln!("pktlab export: {written} of {} frames → {} ({} columns)", outcome.frames, args.out.display(), defs.len());
    if let Some(e) = outcome.error {
        // Every good frame before the damage is in the file.
        eprintln!("pktlab: {e}");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
