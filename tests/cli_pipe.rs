//! Captures on a pipe: `cat X | pktlab dissect -` prints byte for byte what `pktlab dissect X`
//! prints (pcap and pcapng, plain and compressed, every output form), a damaged or empty
//! stream says so after every good frame, and the TUI opens on a pipe.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_pktlab");

fn run(args: &[&str], stdin: Option<&Path>) -> Output {
    let mut c = Command::new(BIN);
    c.args(args).env("TZ", "UTC");
    match stdin {
        Some(p) => c.stdin(Stdio::from(std::fs::File::open(p).expect("capture"))),
        None => c.stdin(Stdio::null()),
    };
    c.output().expect("pktlab runs")
}

/// The ways of printing a capture compared, as argument lists before the file.
const FORMS: &[&[&str]] = &[
    &["dissect"],
    &["dissect", "-V"],
    &["dissect", "-T", "fields", "-e", "frame.number", "-e", "frame.time_delta_displayed", "-e", "ip.src", "-e", "tcp.srcport", "-e", "tcp.seq", "-e", "udp.length"],
    &["dissect", "-Y", "tcp.len > 0 || udp", "-T", "fields", "-e", "frame.number", "-e", "frame.time_delta_displayed", "-e", "tcp.stream"],
    &["dissect", "-Y", "ip", "-T", "json"],
    &["stats", "conv"],
];

fn captures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = ["handshake.pcap", "bulk-loss.pcap", "udp-frag.pcap", "game.pcap"]
        .iter()
        .map(|n| Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(n))
        .collect();
    let public = common::public("");
    match std::fs::read_dir(&public) {
        Ok(dir) => {
            let mut names: Vec<PathBuf> = dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
                .collect();
            names.sort();
            v.extend(names);
        }
        Err(_) => eprintln!("cli_pipe: SKIPPED the public captures: {} not found", public.display()),
    }
    v
}

#[test]
fn a_piped_capture_prints_what_the_file_prints() {
    let mut compared = 0;
    for cap in captures() {
        let file = cap.to_str().expect("utf-8 path");
        for form in FORMS {
            let by_name = run(&[form, &[file][..]].concat(), None);
            let piped = run(&[form, &["-"][..]].concat(), Some(&cap));
            let what = format!("{} {}", form.join(" "), cap.display());
            assert_eq!(String::from_utf8_lossy(&piped.stdout), String::from_utf8_lossy(&by_name.stdout), "{what}");
            assert_eq!(piped.status.code(), by_name.status.code(), "{what}: {}", String::from_utf8_lossy(&piped.stderr));
            // A damaged file is reported by the name it goes by.
            let (e_file, e_pipe) = (String::from_utf8_lossy(&by_name.stderr), String::from_utf8_lossy(&piped.stderr));
            assert_eq!(e_pipe, e_file.replace(file, "stdin"), "{what}");
            compared += 1;
        }
    }
    eprintln!("cli_pipe: {compared} outputs equal");
    assert!(compared >= 4 * FORMS.len());
}

#[test]
fn a_compressed_stream_is_read_like_the_plain_file() {
    let plain = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/bulk-loss.pcap");
    let dir = tempfile::tempdir().expect("tempdir");
    let gz = dir.path().join("bulk-loss.pcap.gz");
    let bytes = std::fs::read(&plain).expect("capture");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, &bytes).expect("gzip");
    std::fs::write(&gz, enc.finish().expect("gzip")).expect("write");
    let want = run(&["dissect", "-V", plain.to_str().unwrap()], None);
    let got = run(&["dissect", "-V", "-"], Some(&gz));
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    assert_eq!(got.stdout, want.stdout);
}

#[test]
fn an_empty_or_cut_stream_says_what_and_where() {
    let empty = run(&["dissect", "-"], None);
    assert!(!empty.status.success());
    assert!(empty.stdout.is_empty());
    let err = String::from_utf8_lossy(&empty.stderr);
    assert!(err.contains("stdin") && err.contains("no bytes"), "{err}");

    let dir = tempfile::tempdir().expect("tempdir");
    let cut = dir.path().join("cut.pcap");
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/handshake.pcap")).expect("capture");
    std::fs::write(&cut, &bytes[..bytes.len() - 7]).expect("write");
    let by_name = run(&["dissect", cut.to_str().unwrap()], None);
    let piped = run(&["dissect", "-"], Some(&cut));
    assert_eq!(piped.status.code(), Some(1));
    assert_eq!(piped.stdout, by_name.stdout);
    assert!(!piped.stdout.is_empty());
    let err = String::from_utf8_lossy(&piped.stderr);
    assert!(err.starts_with("pktlab: stdin: at byte "), "{err}");
}

#[test]
fn the_tui_opens_on_a_pipe() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("cli_pipe: SKIPPED the TUI on a pipe: tmux not installed");
        return;
    }
    let cap = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/handshake.pcap");
    let cmd = format!("cat {} | {BIN} --lang en -", cap.display());
    let t = common::Tmux::start("pipe", 120, 30, "bash --norc --noprofile", std::time::Duration::from_secs(20));
    t.literal(&cmd);
    t.keys(&["Enter"]);
    let screen = t.wait_for("stdin");
    assert!(screen.contains("SYN"), "{screen}");
    // Every frame of the stream is listed, and keys reach the TUI from the terminal.
    t.keys(&["G"]);
    let screen = t.wait_for("14");
    assert!(screen.contains("FIN") || screen.contains("ACK"), "{screen}");
    t.keys(&["q"]);
    t.wait_exit();
    // The terminal is back to the shell: it echoes what is typed.
    t.literal("echo pipe-done-$((40+2))");
    t.keys(&["Enter"]);
    t.wait_for("pipe-done-42");
}
