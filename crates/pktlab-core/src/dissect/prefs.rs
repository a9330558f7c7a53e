//! Dissector preferences, as tshark's `-o name:value` sets them. Only preferences pktlab
//! honours are known; any other name is an error that says so. They are process-wide
//! (set once, before reading), like tshark's.

use std::sync::atomic::{AtomicBool, Ordering};

/// One preference: tshark's name, what it does, and its value.
pub struct Pref {
    pub name: &'static str,
    pub description: &'static str,
    value: AtomicBool,
    /// Set by `-o` (not left at pktlab's default).
    explicit: AtomicBool,
}

impl Pref {
    const fn new(name: &'static str, description: &'static str, default: bool) -> Self {
        Pref { name, description, value: AtomicBool::new(default), explicit: AtomicBool::new(false) }
    }

    #[inline]
    pub fn get(&self) -> bool {
        self.value.load(Ordering::Relaxed)
    }

    pub fn set(&self, on: bool) {
        self.value.store(on, Ordering::Relaxed);
    }

    /// Whether the preference is on because the user asked for it (`-o name:TRUE`), not by
    /// pktlab's default. Where pktlab's default differs from tshark's (checksums), tshark's
    /// consequences of the setting apply only then: with `-o tcp.check_checksum:TRUE` a
    /// segment whose checksum is wrong is not reassembled, as tshark does; by default pktlab
    /// shows the bad checksum and still reassembles, as tshark's default (no check) does.
    #[inline]
    pub fn explicitly_on(&self) -> bool {
        self.explicit.load(Ordering::Relaxed) && self.get()
    }

    /// Sets the preference as `-o` does (see [`Pref::explicitly_on`]).
    pub fn set_explicitly(&self, on: bool) {
        self.set(on);
        self.explicit.store(true, Ordering::Relaxed);
    }
}

/// `ip.check_checksum`: verify the IPv4 header checksum. pktlab verifies by default (tshark
/// does not): a learner should see a bad checksum.
pub static IP_CHECK_CHECKSUM: Pref = Pref::new("ip.check_checksum", "Validate the IPv4 checksum if possible", true);
/// `tcp.check_checksum`.
pub static TCP_CHECK_CHECKSUM: Pref = Pref::new("tcp.check_checksum", "Validate the TCP checksum if possible", true);
/// `udp.check_checksum`.
pub static UDP_CHECK_CHECKSUM: Pref = Pref::new("udp.check_checksum", "Validate the UDP checksum if possible", true);

/// `tcp.relative_sequence_numbers`: show sequence and acknowledgment numbers relative to the
/// connection's first (off: `tcp.seq`, `tcp.ack` and `tcp.nxtseq` are the numbers on the
/// wire, and there is no `tcp.seq_raw` beside them). Needs `tcp.analyze_sequence_numbers`.
pub static TCP_RELATIVE_SEQUENCE_NUMBERS: Pref = Pref::new("tcp.relative_sequence_numbers", "Relative sequence numbers", true);
/// `tcp.analyze_sequence_numbers`: the SEQ/ACK analysis (`tcp.analysis.*`: retransmissions,
/// duplicate ACKs, RTT, bytes in flight, the Info column's markers). Off, the numbers are
/// absolute too, as in tshark.
pub static TCP_ANALYZE_SEQUENCE_NUMBERS: Pref = Pref::new("tcp.analyze_sequence_numbers", "Analyze TCP sequence numbers", true);
/// `tcp.calculate_timestamps`: each segment's time since the stream's first and previous
/// frame (`tcp.time_relative`, `tcp.time_delta`, under `[Timestamps]`).
pub static TCP_CALCULATE_TIMESTAMPS: Pref = Pref::new("tcp.calculate_timestamps", "Calculate conversation timestamps", true);

/// `tcp.desegment_tcp_streams`: let the protocols over TCP join segments into their PDUs
/// (off: each segment is read on its own, from its first byte; a PDU it cuts shows
/// `[BoundError Unreassembled Packet: PROTO]`, and HTTP's and TLS's own reassembly, which
/// needs TCP's, is off too).
pub static TCP_DESEGMENT_TCP_STREAMS: Pref = Pref::new("tcp.desegment_tcp_streams", "Allow subdissector to reassemble TCP streams", true);

/// `http.decompress_body`: decompress bodies in a content coding (gzip, deflate, brotli) and
/// read what comes out by its media type (off: `Content-encoded entity body` with the bytes
/// as data and an expert item saying decompression is disabled).
pub static HTTP_DECOMPRESS_BODY: Pref = Pref::new("http.decompress_body", "Uncompress entity bodies", true);

/// Every preference `-o` accepts.
pub static ALL: &[&Pref] = &[
    &IP_CHECK_CHECKSUM,
    &TCP_CHECK_CHECKSUM,
    &UDP_CHECK_CHECKSUM,
    &TCP_RELATIVE_SEQUENCE_NUMBERS,
    &TCP_ANALYZE_SEQUENCE_NUMBERS,
    &TCP_CALCULATE_TIMESTAMPS,
    &TCP_DESEGMENT_TCP_STREAMS,
    &HTTP_DECOMPRESS_BODY,
];

/// Whether `tcp.seq`/`tcp.ack`/`tcp.nxtseq` are relative: both preferences on, as tshark
/// needs the analysis to know a connection's first numbers.
pub fn tcp_relative() -> bool {
    TCP_RELATIVE_SEQUENCE_NUMBERS.get() && TCP_ANALYZE_SEQUENCE_NUMBERS.get()
}

/// Why a `-o` argument was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrefError {
    /// Not `name:value`.
    Syntax(String),
    /// A name pktlab does not know.
    Unknown(String),
    /// A value that is not a boolean.
    Value { name: String, value: String },
}

impl std::fmt::Display for PrefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrefError::Syntax(s) => write!(f, "\"{s}\" is not a preference setting (expected name:value, e.g. tcp.check_checksum:TRUE)"),
            PrefError::Unknown(n) => {
                let known: Vec<&str> = ALL.iter().map(|p| p.name).collect();
                write!(f, "unknown preference \"{n}\" (pktlab knows: {})", known.join(", "))
            }
            PrefError::Value { name, value } => write!(f, "preference \"{name}\" takes TRUE or FALSE, not \"{value}\""),
        }
    }
}

impl std::error::Error for PrefError {}

/// Applies one `-o name:value`.
pub fn set(arg: &str) -> Result<(), PrefError> {
    let (name, value) = arg.split_once(':').ok_or_else(|| PrefError::Syntax(arg.to_owned()))?;
    let (name, value) = (name.trim(), value.trim());
    let pref = ALL.iter().find(|p| p.name.eq_ignore_ascii_case(name)).ok_or_else(|| PrefError::Unknown(name.to_owned()))?;
    let on = match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => true,
        "false" | "0" | "no" => false,
        _ => return Err(PrefError::Value { name: name.to_owned(), value: value.to_owned() }),
    };
    pref.set_explicitly(on);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(matches!(set("tcp.check_checksum"), Err(PrefError::Syntax(_))));
        assert!(matches!(set("tcp.no_such:TRUE"), Err(PrefError::Unknown(_))));
        assert!(matches!(set("udp.check_checksum:maybe"), Err(PrefError::Value { .. })));
        assert!(set("nope:1").unwrap_err().to_string().contains("tcp.check_checksum"));
    }
}
