//! `-o tcp.check_checksum:TRUE` given explicitly: as tshark, a segment whose TCP checksum is
//! wrong is read on its own (no reassembly); by default pktlab shows the bad checksum and
//! still reassembles, as tshark's default does. The captures were recorded on loopback, so
//! every TCP checksum in them is wrong (checksum offload). The expected lines are tshark
//! 4.0's `-V` lines for the same frames.

use std::path::Path;
use std::process::Command;

fn dissect(capture: &str, frame: u32, check: bool) -> String {
    let cap = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/app").join(capture);
    let filter = format!("frame.number == {frame}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pktlab"));
    cmd.env("TZ", "UTC").args(["dissect", "-V", "--no-osi-tags", "-Y", &filter]).arg(&cap);
    if check {
        cmd.args(["-o", "tcp.check_checksum:TRUE"]);
    }
    let out = cmd.output().expect("run pktlab");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn count(text: &str, line: &str) -> usize {
    text.lines().filter(|l| *l == line).count()
}

#[test]
fn a_bad_checksum_with_the_check_on_leaves_websocket_frames_unreassembled() {
    // Frame 15 is the middle of a 70,000-byte masked text frame: read on its own, its bytes
    // are taken as 820 frames from the first byte on, the last one cut by the segment's end.
    let v = dissect("websocket.pcap", 15, true);
    assert_eq!(count(&v, "WebSocket"), 820);
    assert_eq!(count(&v, "    [PDU Size: 40]"), 820);
    assert_eq!(count(&v, "    .... 1111 = Opcode: Unknown (15)"), 820);
    assert!(v.contains("    [Protocols in frame: eth:ethertype:ip:tcp:http:websocket]\n"));
    assert!(v.contains(
        "[BoundError Unreassembled Packet [incorrect TCP checksum]: WebSocket]\n    [Expert Info (Note/Reassemble): Unreassembled fragment (change preferences to enable reassembly)]\n"
    ));
    assert!(!v.contains("Reassembled TCP Segments"));
}

#[test]
fn by_default_the_same_frames_are_reassembled() {
    let v = dissect("websocket.pcap", 15, false);
    assert!(!v.contains("\nWebSocket\n"), "a middle segment holds no frame of its own");
    assert_eq!(count(&v, "    TCP segment data (32768 bytes)"), 1);
    let v = dissect("websocket.pcap", 17, false);
    assert_eq!(count(&v, "[3 Reassembled TCP Segments (70014 bytes): #14(32768), #15(32768), #17(4478)]"), 1);
    assert_eq!(count(&v, "    [Frame: 15, payload: 32768-65535 (32768 bytes)]"), 1);
    assert_eq!(count(&v, "    [PDU Size: 70014]"), 1);
    assert_eq!(count(&v, "    TCP segment data (4478 bytes)"), 1);
    assert!(v.contains("\nLine-based text data (1 lines)\n"));
}

#[test]
fn a_bad_checksum_with_the_check_on_makes_an_http_body_segment_a_continuation() {
    let v = dissect("http.pcap", 8, true);
    assert!(v.contains("\nHypertext Transfer Protocol\n    File Data: 32768 bytes\n    Data (32768 bytes)\n\n0000  61 61 61 61"));
    assert!(v.contains("    [Protocols in frame: eth:ethertype:ip:tcp:http:data]\n"));
    // The response's headers alone, linked to their request.
    let v = dissect("http.pcap", 6, true);
    for line in ["    [HTTP response 1/1]", "    [Time since request: 0.116694000 seconds]", "    [Request in frame: 4]", "    [Request URI: http://127.0.0.1:8080/index.html]"] {
        assert_eq!(count(&v, line), 1, "{line}");
    }
    assert!(!v.contains("File Data"));
}
