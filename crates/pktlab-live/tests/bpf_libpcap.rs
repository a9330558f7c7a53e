//! pktlab's BPF compile of capture filters against libpcap's, decision by decision.
//!
//! For a table of filters covering every construct the capture-filter parser accepts, this
//! runs three deciders over every frame of every capture in `captures/` and
//! `../shared/captures/public/`: our BPF program (in the interpreter of `support`),
//! libpcap's program for the same filter (`tcpdump -dd -y DLT`, optimised as tcpdump runs it)
//! and the user-space filter (`CaptureFilter::matches_frame`). All three must accept and
//! reject the same frames. Ethernet is the link type live capture uses; Linux cooked (v1,
//! v2), raw IP and raw IPv4 frames of the same captures are checked the same way.
//!
//! Needs tcpdump for the libpcap side (CI installs it); without it the libpcap comparison
//! is skipped, saying so, and our programs are still checked against the user-space filter.

mod support;

use pktlab_core::capture::linktype;
use pktlab_live::CaptureFilter;
use pktlab_live::bpf::{self, SockFilter};
use support::TestFrame;

const SNAPLEN: u32 = 262_144;

/// (pktlab filter, libpcap spelling when tcpdump does not take pktlab's). Addresses and ports
/// are those of the test captures, so each filter accepts some frames and rejects others.
const FILTERS: &[(&str, Option<&str>)] = &[
    // Protocol words.
    ("tcp", None),
    ("udp", None),
    ("icmp", None),
    ("icmp6", None),
    ("ip", None),
    ("ip6", None),
    ("arp", None),
    // host, with and without ip/ip6 and directions (an IPv4 host also matches ARP/RARP).
    ("host 192.168.152.153", None),
    ("src host 192.168.152.126", None),
    ("dst host 10.102.0.2", None),
    ("src and dst host 127.0.0.1", None),
    ("src or dst host 10.101.0.2", None),
    ("ip host 192.168.152.126", None),
    ("ip src host 192.168.152.153", None),
    ("host 2a01:cb01:2049:8b07:991d:ec85:28df:f629", None),
    ("ip6 dst host ff02::fb", None),
    ("host ::1", None),
    ("host 192.168.152.1 and arp", None),
    // net: prefix lengths, mask (contiguous or not), IPv6.
    ("net 192.168.152.0/24", None),
    ("src net 10.0.0.0/8", None),
    ("dst net 10.102.0.0 mask 255.255.0.0", None),
    ("net 10.0.0.0 mask 255.0.255.0", None),
    ("net 0.0.0.0/0", None),
    ("ip net 127.0.0.0/8", None),
    ("net 2a00:1450::/32", None),
    ("ip6 src net fe80::/10", None),
    ("net ::/0", None),
    ("net 64:ff9b::/96", None),
    ("src and dst net 192.168.0.0/16", None),
    // port and portrange, with tcp/udp and directions.
    ("port 443", None),
    ("tcp port 80", None),
    ("udp port 53", None),
    ("src port 8001", None),
    ("dst port 15600", None),
    ("tcp dst port 34962", None),
    ("udp src or dst port 1900", None),
    ("src and dst port 5353", None),
    ("portrange 8000-8100", None),
    ("tcp portrange 1-1023", None),
    ("udp dst portrange 2010-2011", None),
    ("portrange 0-65535", None),
    ("port 7777 or 7778", None),
    // less / greater (wire length).
    ("less 64", None),
    ("greater 1000", None),
    ("greater 100 and less 200", None),
    // not / and / or / parentheses, and their symbols.
    ("not tcp", None),
    ("tcp and not port 443", None),
    ("udp or icmp", None),
    ("!(tcp || udp)", None),
    ("not ip and not ip6", None),
    ("ip and (tcp or udp) and not (port 80 or port 443)", None),
    ("tcp && src port 9000 || udp && dst port 27778", None),
    ("(src net 192.168.0.0/16 and tcp) or (dst net 10.0.0.0/8 and udp)", None),
    ("udp and not (src host 10.102.0.9 or dst port 8001)", None),
    ("dst port 8001 and not src net 10.0.0.0/8", None),
    ("icmp or icmp6 or arp or less 60", None),
    ("ip6 and udp port 5353", None),
    // IDs repeating the previous primitive's keywords.
    ("port 80 or 443 or 8080", None),
    ("tcp port 80 or 8080", None),
    ("host 192.168.152.153 and not 192.168.152.126", None),
    ("host 127.0.0.1 or ::1", None),
    ("port 80 or (443)", None),
    ("src net 10.101.0.0/16 or 10.102.0.0/16", None),
    // pktlab's own spellings, given to tcpdump in its syntax.
    ("192.168.1.7", Some("host 192.168.1.7")),
    ("not 127.0.0.1", Some("not host 127.0.0.1")),
    ("(port 443) or 80", Some("(port 443) or port 80")),
    ("", Some("")),
];

/// Link types checked: tcpdump's name and the LINKTYPE. Live capture uses Ethernet (and raw
/// IP on tunnels); the others are checked because the test captures have frames of them.
const LINKS: &[(&str, u32)] = &[
    ("EN10MB", linktype::ETHERNET),
    ("LINUX_SLL", linktype::LINUX_SLL),
    ("LINUX_SLL2", linktype::LINUX_SLL2),
    ("RAW", linktype::RAW),
    ("IPV4", linktype::IPV4),
];

fn verdict(accepts: bool) -> &'static str {
    if accepts { "accepts" } else { "rejects" }
}

fn listing(p: &[SockFilter]) -> String {
    p.iter().enumerate().map(|(i, s)| format!("  ({i:03}) {}\n", bpf::describe(s))).collect()
}

/// libpcap's program for a table entry on `dlt`, optimised or not; None when tcpdump
/// refuses the filter for that link type (e.g. `arp` on raw IP).
fn theirs(dlt: &str, entry: (&str, Option<&str>), optimize: bool) -> Option<Vec<SockFilter>> {
    support::libpcap_program_with(dlt, entry.1.unwrap_or(entry.0), optimize).unwrap_or_else(|e| panic!("{e}"))
}

/// Decisions compared, per kind of comparison.
#[derive(Default)]
struct Counts {
    /// Whole frames: ours and libpcap's (optimised, as tcpdump runs it).
    with_libpcap: u64,
    /// Every frame: ours and the user-space filter.
    with_user_space: u64,
    /// Truncated copies where libpcap's optimised and unoptimised programs agree (ours must too).
    truncated_agreeing: u64,
    /// Truncated copies where libpcap's two programs disagree with each other.
    truncated_libpcap_split: u64,
}

#[test]
fn compiled_filters_decide_as_libpcap_and_user_space() {
    assert!(FILTERS.len() >= 40, "the table should cover every construct");
    let libpcap = support::have_tcpdump();
    if !libpcap {
        eprintln!(
            "SKIPPED (libpcap side): tcpdump absent or unable to compile (`tcpdump -dd -y EN10MB tcp` failed); \
             our programs are still checked against the user-space filter"
        );
    }
    let (paths, shared) = support::capture_paths();
    if !shared {
        eprintln!("note: ../shared/captures/public is absent; only captures/ is used");
    }
    let mut mismatches: Vec<String> = Vec::new();
    // Filters that accept no Ethernet frame, or (but the empty one) reject none: they would
    // compare little.
    let mut idle: Vec<String> = Vec::new();
    let mut ethernet = (0usize, 0u64);
    for &(dlt, lt) in LINKS {
        let whole = support::frames_of(&paths, lt);
        if whole.is_empty() {
            eprintln!("{dlt}: no frames in the test captures");
            continue;
        }
        let mut frames = whole;
        let whole_count = frames.len();
        if lt == linktype::ETHERNET {
            assert!(whole_count > 500, "too few Ethernet frames in the test captures: {whole_count}");
            frames.extend(truncated_copies(&frames));
        }
        let mut counts = Counts::default();
        let mut refused = Vec::new();
        for &entry in FILTERS {
            let text = entry.0;
            let filter = CaptureFilter::compile(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            let ours = bpf::compile(&filter, lt, SNAPLEN).unwrap_or_else(|e| panic!("{text:?} on {dlt}: {e}"));
            if let Err(e) = support::check_loadable(&ours) {
                panic!("{text:?} on {dlt}: our program would not load: {e}\n{}", listing(&ours));
            }
            let optimised = if libpcap { theirs(dlt, entry, true) } else { None };
            let unoptimised = if libpcap && frames.len() > whole_count { theirs(dlt, entry, false) } else { None };
            if libpcap && optimised.is_none() {
                assert!(lt != linktype::ETHERNET, "tcpdump refused {entry:?} on Ethernet");
                refused.push(text);
            }
            let (mut accepted, mut rejected) = (0usize, 0usize);
            for f in &frames {
                let by_us = support::run(&ours, &f.data, f.orig_len) != 0;
                let by_user_space = filter.matches_frame(lt, &f.data, f.orig_len);
                counts.with_user_space += 1;
                if by_us != by_user_space {
                    mismatches.push(mismatch(dlt, text, f, "user space", by_user_space, by_us, &ours, None));
                }
                if !f.truncated {
                    accepted += usize::from(by_us);
                    rejected += usize::from(!by_us);
                }
                match (&optimised, &unoptimised) {
                    (Some(o), _) if !f.truncated => {
                        let by_libpcap = support::run(o, &f.data, f.orig_len) != 0;
                        counts.with_libpcap += 1;
                        if by_us != by_libpcap {
                            mismatches.push(mismatch(dlt, text, f, "libpcap", by_libpcap, by_us, &ours, Some(o)));
                        }
                    }
                    (Some(o), Some(u)) => {
                        // On a frame cut inside a header the filter reads, libpcap's optimiser
                        // can change the answer (it reorders loads, and a load past the end
                        // rejects). Where libpcap's two programs agree, ours must agree.
                        let by_o = support::run(o, &f.data, f.orig_len) != 0;
                        let by_u = support::run(u, &f.data, f.orig_len) != 0;
                        if by_o != by_u {
                            counts.truncated_libpcap_split += 1;
                        } else {
                            counts.truncated_agreeing += 1;
                            if by_us != by_o {
                                mismatches.push(mismatch(dlt, text, f, "libpcap (-O or not)", by_o, by_us, &ours, Some(o)));
                            }
                        }
                    }
                    _ => {}
                }
            }
            if lt == linktype::ETHERNET && (accepted == 0 || (rejected == 0 && !text.is_empty())) {
                idle.push(format!("{text:?} (accepts {accepted}, rejects {rejected})"));
            }
        }
        println!(
            "{dlt}: {} filters × {whole_count} frames: {} decisions identical to libpcap's{}",
            FILTERS.len(),
            counts.with_libpcap,
            if refused.is_empty() { String::new() } else { format!(" (tcpdump refuses {refused:?} for this link type)") }
        );
        if frames.len() > whole_count {
            println!(
                "{dlt}: {} truncated copies × {} filters: {} decisions identical to libpcap's where its optimised \
                 and unoptimised programs agree; they disagree on {} others",
                frames.len() - whole_count,
                FILTERS.len(),
                counts.truncated_agreeing,
                counts.truncated_libpcap_split
            );
        }
        println!("{dlt}: {} decisions identical to the user-space filter's", counts.with_user_space);
        if lt == linktype::ETHERNET {
            ethernet = (whole_count, counts.with_libpcap);
        }
    }
    assert!(idle.is_empty(), "filters that do not split the test frames: {idle:#?}");
    if !mismatches.is_empty() {
        let shown = mismatches.iter().take(12).cloned().collect::<Vec<_>>().join("\n");
        panic!("{} decisions differ; the first ones:\n{shown}", mismatches.len());
    }
    if libpcap {
        assert_eq!(ethernet.1, (FILTERS.len() * ethernet.0) as u64, "every Ethernet frame compared with libpcap");
    }
}

/// Where truncated copies are cut: inside and at the ends of the Ethernet, IPv4, IPv6, ARP
/// and transport headers, so that "a load past the end rejects the whole frame" is compared too
/// (the kernel sees whole packets, but a capture with a snaplen or a malformed header does not).
const CUTS: &[usize] = &[12, 13, 14, 20, 23, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 54, 56, 58];

/// The first frames of each capture, cut at [`CUTS`] (original lengths kept).
fn truncated_copies(frames: &[TestFrame]) -> Vec<TestFrame> {
    let mut per_capture = std::collections::HashMap::<&str, usize>::new();
    let mut out = Vec::new();
    for f in frames {
        let n = per_capture.entry(f.capture.as_str()).or_default();
        *n += 1;
        if *n > 40 {
            continue;
        }
        for &cut in CUTS.iter().filter(|c| **c < f.data.len()) {
            out.push(TestFrame {
                capture: format!("{} cut to {cut}", f.capture),
                truncated: true,
                number: f.number,
                data: f.data[..cut].to_vec(),
                orig_len: f.orig_len,
            });
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn mismatch(
    dlt: &str,
    filter: &str,
    f: &TestFrame,
    other: &str,
    by_other: bool,
    by_us: bool,
    ours: &[SockFilter],
    theirs: Option<&Vec<SockFilter>>,
) -> String {
    let head: Vec<String> = f.data.iter().take(64).map(|b| format!("{b:02x}")).collect();
    let mut what = format!(
        "{dlt} {filter:?} on {} frame {} ({} of {} bytes): {other} {}, ours {}\n  bytes: {}\n  ours:\n{}",
        f.capture,
        f.number,
        f.data.len(),
        f.orig_len,
        verdict(by_other),
        verdict(by_us),
        head.join(" "),
        listing(ours)
    );
    if let Some(t) = theirs {
        what.push_str(&format!("  libpcap:\n{}", listing(t)));
    }
    what
}

/// Filters long enough that jumps pass 255 instructions still decide as the user-space
/// filter (the assembler routes them through `ja`), and one past the kernel's 4096
/// instructions is refused with the reason.
#[test]
fn long_filters_use_long_jumps_or_are_refused() {
    let (paths, _) = support::capture_paths();
    let frames = support::frames_of(&paths, linktype::ETHERNET);
    assert!(!frames.is_empty());
    let ports: Vec<String> = (0..120).map(|i| (1000 + i * 7).to_string()).collect();
    let text = format!("(port 443 or {}) and not host 10.102.0.2", ports.join(" or "));
    let filter = CaptureFilter::compile(&text).unwrap();
    let prog = bpf::compile(&filter, linktype::ETHERNET, SNAPLEN).unwrap();
    support::check_loadable(&prog).unwrap();
    assert!(prog.len() > 1000, "{} instructions", prog.len());
    let long_jumps = prog.iter().filter(|i| i.code == bpf::op::JMP | bpf::op::JA).count();
    assert!(long_jumps > 0, "a program of {} instructions should need long jumps", prog.len());
    let mut kept = 0;
    for f in &frames {
        let by_us = support::run(&prog, &f.data, f.orig_len) != 0;
        assert_eq!(by_us, filter.matches_frame(linktype::ETHERNET, &f.data, f.orig_len), "{} frame {}", f.capture, f.number);
        kept += usize::from(by_us);
    }
    assert!(kept > 0 && kept < frames.len());
    if support::have_tcpdump()
        && let Ok(Some(theirs)) = support::libpcap_program("EN10MB", &text)
    {
        for f in &frames {
            let by_us = support::run(&prog, &f.data, f.orig_len) != 0;
            assert_eq!(by_us, support::run(&theirs, &f.data, f.orig_len) != 0, "{} frame {}", f.capture, f.number);
        }
    }

    let hosts: Vec<String> = (0..300).map(|i| format!("2001:db8::{i:x}")).collect();
    let huge = CaptureFilter::compile(&format!("host {}", hosts.join(" or "))).unwrap();
    let e = bpf::compile(&huge, linktype::ETHERNET, SNAPLEN).unwrap_err();
    assert!(e.reason.contains("at most 4096"), "{e}");
}

/// On a link type pktlab compiles no BPF for, compile names the primitive that needs it;
/// filters that read no header still compile.
#[test]
fn unexpressible_parts_are_named() {
    let f = CaptureFilter::compile("less 100 or udp port 53").unwrap();
    let e = bpf::compile(&f, linktype::NULL, SNAPLEN).unwrap_err();
    assert_eq!(e.part, "udp port 53");
    assert!(e.to_string().contains("BSD loopback"), "{e}");
    let lengths = CaptureFilter::compile("less 100 or greater 1400").unwrap();
    let prog = bpf::compile(&lengths, linktype::NULL, SNAPLEN).unwrap();
    assert_eq!(support::run(&prog, &[0; 10], 90), SNAPLEN);
    assert_eq!(support::run(&prog, &[0; 10], 1000), 0);
}
