//! `pktlab export --format parquet`: one row per frame, typed columns named by Wireshark field,
//! values equal to what `pktlab dissect -T fields -E occurrence=f` prints for the same frame,
//! nulls where the frame lacks the field, row groups of the size asked, filters, game columns,
//! and clear errors. (DuckDB reads the same files in `.ci/run`: tests/duckdb_export.py.)
#![cfg(feature = "parquet")]

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_pktlab");

fn capture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name)
}

fn pktlab(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("TZ", "UTC").output().expect("pktlab runs")
}

/// Every row of a Parquet file as (column, value) pairs.
fn read_rows(path: &Path) -> (Vec<Vec<(String, Field)>>, usize) {
    let reader = SerializedFileReader::new(std::fs::File::open(path).expect("parquet file")).expect("a parquet file");
    let groups = reader.metadata().num_row_groups();
    let rows = reader
        .into_iter()
        .map(|r| r.expect("a row").get_column_iter().map(|(n, f)| (n.clone(), f.clone())).collect())
        .collect();
    (rows, groups)
}

/// The cells `dissect -T fields` prints for `cols`, one Vec per frame.
fn cells(cap: &Path, cols: &[&str], filter: Option<&str>) -> Vec<Vec<String>> {
    let mut args = vec!["dissect", "-T", "fields", "-E", "occurrence=f"];
    if let Some(f) = filter {
        args.extend(["-Y", f]);
    }
    for c in cols {
        args.extend(["-e", c]);
    }
    let cap = cap.to_str().expect("utf-8 path");
    args.push(cap);
    let out = pktlab(&args);
    // (A damaged capture ends with status 1 after its good frames.)
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split('\t').map(str::to_owned).collect()).collect()
}

/// Whether a Parquet value says what tshark's cell says.
fn agrees(value: &Field, cell: &str) -> bool {
    match value {
        Field::Null => cell.is_empty(),
        Field::Long(v) => {
            let parsed = cell.strip_prefix("0x").map_or_else(|| cell.parse::<i64>().ok(), |h| i64::from_str_radix(h, 16).ok());
            parsed == Some(*v)
        }
        Field::ULong(v) => cell.parse::<u64>().ok() == Some(*v),
        Field::Double(v) => cell.parse::<f64>().is_ok_and(|c| (c - v).abs() < 1e-6),
        Field::Bool(b) => *b != (cell.is_empty() || cell == "0" || cell == "False"),
        Field::Str(s) => s == cell,
        other => panic!("unexpected value {other:?}"),
    }
}

fn export(cap: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["export", cap.to_str().unwrap(), "--format", "parquet", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    pktlab(&args)
}

#[test]
fn default_columns_hold_what_dissect_prints_for_every_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0usize;
    for name in ["bulk-loss.pcap", "handshake.pcap", "game.pcap", "udp-frag.pcap", "ipv6.pcap", "dns.pcap"] {
        let cap = capture(name);
        let out = dir.path().join(format!("{name}.parquet"));
        let o = export(&cap, &out, &[]);
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        let (rows, _) = read_rows(&out);
        let names: Vec<String> = rows[0].iter().map(|(n, _)| n.clone()).collect();
        // frame.time is a timestamp: compared through frame.time_epoch below.
        let cols: Vec<&str> = names.iter().map(String::as_str).filter(|n| *n != "frame.time").collect();
        let want = cells(&cap, &cols, None);
        assert_eq!(rows.len(), want.len(), "{name}: one row per frame");
        for (i, (row, cells)) in rows.iter().zip(&want).enumerate() {
            let values: Vec<&Field> = row.iter().filter(|(n, _)| n != "frame.time").map(|(_, f)| f).collect();
            for ((col, v), cell) in cols.iter().zip(values).zip(cells) {
                assert!(agrees(v, cell), "{name} frame {}: {col} is {v:?} in Parquet, {cell:?} in dissect", i + 1);
                checked += 1;
            }
        }
        let epoch = cells(&cap, &["frame.time_epoch"], None);
        for (row, e) in rows.iter().zip(&epoch) {
            let t = &row.iter().find(|(n, _)| n == "frame.time").expect("frame.time").1;
            let secs: f64 = e[0].parse().expect("epoch");
            let nanos = match t {
                Field::TimestampMicros(us) => *us as f64 * 1e3,
                Field::TimestampMillis(ms) => *ms as f64 * 1e6,
                Field::Long(ns) => *ns as f64,
                other => format!("{other}").parse::<f64>().unwrap_or(f64::NAN),
            };
            assert!((nanos / 1e9 - secs).abs() < 1e-3, "frame.time {t:?} vs epoch {secs}");
        }
    }
    eprintln!("export_parquet: {checked} cells agree with dissect -T fields");
    assert!(checked > 10_000);
}

#[test]
fn chosen_columns_filters_row_groups_and_game_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cap = capture("bulk-loss.pcap");
    let out = dir.path().join("f.parquet");
    let o = export(&cap, &out, &["-e", "frame.number", "-e", "tcp.analysis.retransmission", "-e", "ip.src", "-Y", "tcp.len > 0", "--row-group", "25"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (rows, groups) = read_rows(&out);
    let want = cells(&cap, &["frame.number", "tcp.analysis.retransmission", "ip.src"], Some("tcp.len > 0"));
    assert_eq!(rows.len(), want.len());
    assert_eq!(groups, want.len().div_ceil(25));
    for (row, cells) in rows.iter().zip(&want) {
        assert_eq!(row.len(), 3);
        for ((_, v), cell) in row.iter().zip(cells) {
            assert!(agrees(v, cell), "{v:?} vs {cell:?}");
        }
    }
    assert!(rows.iter().any(|r| r[1].1 == Field::Bool(true)), "the retransmissions are marked");

    // --proto adds the game message type of the frames that complete a message.
    let out = dir.path().join("g.parquet");
    let proto = Path::new(env!("CARGO_MANIFEST_DIR")).join("protos/demo.toml");
    let o = export(&capture("framing.pcap"), &out, &["--proto", proto.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (rows, _) = read_rows(&out);
    let typed = rows.iter().filter(|r| r.iter().any(|(n, f)| n == "game.msg_type" && *f != Field::Null)).count();
    assert!(typed >= 3, "{typed} rows with a game message type");
}

#[test]
fn bad_columns_and_damaged_captures_say_what_and_where() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.parquet");
    let o = export(&capture("handshake.pcap"), &out, &["-e", "tcp.prot", "-e", "frame.number"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("tcp.prot") && err.contains("did you mean \"tcp.port\""), "{err}");

    let bytes = std::fs::read(capture("handshake.pcap")).expect("capture");
    let cut = dir.path().join("cut.pcap");
    std::fs::write(&cut, &bytes[..bytes.len() - 9]).expect("write");
    let o = export(&cut, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cut.pcap: at byte"), "{err}");
    let (rows, _) = read_rows(&out);
    assert_eq!(rows.len(), cells(&cut, &["frame.number"], None).len(), "every good frame is in the file");
    assert!(!rows.is_empty());
}
