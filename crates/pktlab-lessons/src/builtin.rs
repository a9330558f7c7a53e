//! The built-in pack (`lessons/` and the captures it uses), compiled into the binary so an
//! installed pktlab has it. A test checks this table against the files on disk.

use super::source::EmbeddedSource;

macro_rules! pack_files {
    ($($rel:literal),* $(,)?) => {
        &[$(($rel, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons/", $rel)) as &[u8])),*]
    };
}

/// Every file of the built-in pack, by its path relative to `lessons/`.
pub static FILES: &[(&str, &[u8])] = pack_files![
    "pack.toml",
    "glossary.toml",
    "01-layers.toml",
    "02-tcp-vs-udp.toml",
    "03-handshake.toml",
    "04-seq-ack.toml",
    "05-segment.toml",
    "06-mss-mtu.toml",
    "07-window.toml",
    "08-checksum.toml",
    "09-timestamps.toml",
    "10-loss.toml",
    "11-game-server.toml",
    "12-congestion.toml",
    "13-udp-depth.toml",
    "14-liveness.toml",
    "15-nagle.toml",
    "16-load-balancer.toml",
    "17-versioning.toml",
    "18-quic.toml",
    "19-monitoring.toml",
    "../captures/handshake.pcap",
    "../captures/loopback.pcap",
    "../captures/ipv6.pcap",
    "../captures/rst.pcap",
    "../captures/dns.pcap",
    "../captures/framing.pcap",
    "../captures/bulk-loss.pcap",
    "../captures/zero-window.pcap",
    "../captures/tls.pcap",
    "../captures/game.pcap",
    "../captures/udp-frag.pcap",
    "../captures/kill.pcap",
    "../captures/deadlink.pcap",
    "../captures/keepalive.pcap",
    "../captures/heartbeat.pcap",
    "../captures/nagle.pcap",
    "../captures/lb.pcap",
    "../captures/versioning.pcap",
    "../captures/quic.pcap",
];

/// The built-in pack as a source.
pub fn source() -> EmbeddedSource {
    EmbeddedSource { name: "lessons", files: FILES }
}
