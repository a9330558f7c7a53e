//! Both endpoints' RFC 9293 state frame by frame: the engine (`analysis::tcp_state`) on the
//! project's recorded captures, and `pktlab stats tcp-state` printing it as TSV.

mod common;
use common::{capture, each_frame};
use pktlab::analysis::TcpVerdict;
use pktlab::analysis::tcp_state::{Change, State, Step, steps};
use std::process::Command;

/// The segments of TCP stream `stream` in `name`, as (frame, verdict).
fn segments(name: &str, stream: u32) -> Vec<(u64, TcpVerdict)> {
    let mut v = Vec::new();
    each_frame(&capture(name), |_, _, _, fa| {
        if let Some(t) = fa.tcp()
            && t.stream == stream
            && !t.in_error
        {
            v.push((fa.frame, t.clone()));
        }
    })
    .expect("capture reads");
    v
}

fn states(s: &[Step]) -> Vec<(u64, &'static str, &'static str)> {
    s.iter().map(|s| (s.frame, s.client.state.name(), s.server.state.name())).collect()
}

#[test]
fn handshake_data_and_half_close() {
    let s = steps(&segments("handshake.pcap", 0));
    let st = states(&s);
    assert_eq!(st[0], (1, "SYN-SENT", "SYN-RECEIVED"));
    assert_eq!(st[1], (2, "ESTABLISHED", "SYN-RECEIVED"));
    assert_eq!(st[2], (3, "ESTABLISHED", "ESTABLISHED"));
    assert_eq!(s[0].change, Change::Open);
    assert_eq!(s[1].change, Change::Accept);
    assert_eq!(s[2].change, Change::Established);
    // The client's 9-byte request is in flight until the server acknowledges it.
    assert_eq!((s[3].client.snd_una, s[3].client.snd_nxt, s[3].client.in_flight()), (Some(1), Some(10), Some(9)));
    assert_eq!(s[3].server.rcv_nxt, Some(10));
    assert_eq!(s[4].client.in_flight(), Some(0));
    // The client closes first; the server's FIN+ACK answers it; the last ACK closes the server.
    assert_eq!(st[11], (12, "FIN-WAIT-1", "CLOSE-WAIT"));
    assert_eq!(st[12], (13, "TIME-WAIT", "LAST-ACK"));
    assert_eq!(st[13], (14, "TIME-WAIT", "CLOSED"));
    assert_eq!(s[13].change, Change::Closed);
    // Windows are the scaled tcp.window_size each endpoint advertised last.
    let last = segments("handshake.pcap", 0);
    let server_last = last.iter().rev().find(|(_, v)| !v.from_initiator).expect("server segment");
    assert_eq!(s[13].server.rcv_wnd, Some(server_last.1.window));
}

#[test]
fn rst_closes_both_and_later_segments_change_nothing() {
    let mut segs = segments("rst.pcap", 0);
    assert!(segs.len() >= 2);
    let s = steps(&segs);
    let at = s.iter().position(|s| s.change == Change::Reset).expect("a RST");
    assert_eq!((s[at].client.state, s[at].server.state), (State::Closed, State::Closed));
    // A segment after the RST (the first one sent again) leaves both CLOSED.
    let again = segs[0].clone();
    segs.push(again);
    let s = steps(&segs);
    let last = s.last().expect("steps");
    assert_eq!((last.client.state, last.server.state, last.change), (State::Closed, State::Closed, Change::AfterReset));
}

#[test]
fn retransmitted_syn_and_fin_change_no_state() {
    let segs = segments("handshake.pcap", 0);
    // The SYN sent twice (the same recorded segment), then the rest.
    let mut with_syn = vec![segs[0].clone()];
    with_syn.extend(segs.iter().cloned());
    let s = steps(&with_syn);
    assert_eq!(states(&s)[1], (1, "SYN-SENT", "SYN-RECEIVED"));
    assert_eq!(s[1].change, Change::Repeat);
    assert_eq!(s.last().map(|s| (s.client.state, s.server.state)), Some((State::TimeWait, State::Closed)));
    // The client's FIN (frame 12) sent twice.
    let mut with_fin: Vec<_> = segs[..12].to_vec();
    with_fin.push(segs[11].clone());
    let s = steps(&with_fin);
    assert_eq!(states(&s)[12], (12, "FIN-WAIT-1", "CLOSE-WAIT"));
    assert_eq!(s[12].change, Change::Repeat);
}

#[test]
fn a_connection_whose_start_was_not_captured() {
    let segs = segments("handshake.pcap", 0);
    // From the first data segment on, as if the capture had started there.
    let s = steps(&segs[3..]);
    assert_eq!(states(&s)[0], (4, "ESTABLISHED", "ESTABLISHED"));
    assert_eq!(s[0].change, Change::Midstream);
    // The client's ACK tells where the server's unacknowledged bytes begin; what the server
    // will send next is unknown until it sends.
    assert_eq!((s[0].server.snd_una, s[0].server.snd_nxt), (Some(1), None));
    assert_eq!(s[0].server.rcv_nxt, Some(10));
    let st = states(&s);
    assert_eq!(*st.last().expect("steps"), (14, "TIME-WAIT", "CLOSED"));
    // No SYN at all: the client is the first sender, here the request's sender.
    assert!(s[0].from_client);
}

#[test]
fn bulk_transfer_with_loss_keeps_numbers_in_order() {
    let segs = segments("bulk-loss.pcap", 0);
    let s = steps(&segs);
    assert_eq!(s.len(), segs.len());
    for st in &s {
        for e in [st.client, st.server] {
            if let (Some(una), Some(nxt)) = (e.snd_una, e.snd_nxt) {
                assert!(nxt.wrapping_sub(una) < 1 << 30, "frame {}: SND.UNA {una} after SND.NXT {nxt}", st.frame);
            }
        }
    }
    assert!(s.iter().any(|st| st.client.in_flight().is_some_and(|n| n > 0) || st.server.in_flight().is_some_and(|n| n > 0)));
}

#[test]
fn cli_prints_tsv() {
    let out = Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["stats", "tcp-state", "captures/handshake.pcap", "--stream", "0"])
        .output()
        .expect("pktlab runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines[0][..3], ["frame", "client", "server"]);
    assert_eq!(lines[0].len(), 13);
    assert_eq!(lines.len(), 15, "header and 14 segments");
    assert_eq!(lines[1][..3], ["1", "SYN-SENT", "SYN-RECEIVED"]);
    assert_eq!(lines[14][..3], ["14", "TIME-WAIT", "CLOSED"]);
    assert!(lines.iter().all(|l| l.len() == 13));
    let bad = Command::new(env!("CARGO_BIN_EXE_pktlab"))
        .args(["stats", "tcp-state", "captures/handshake.pcap", "--stream", "7"])
        .output()
        .expect("pktlab runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no TCP stream 7"));
}
