//! The verdicts of TCP sequence analysis (Wireshark's `TCP_A_*` flags) and how each one is
//! shown: its field, its expert item and its Info-column marker.

use super::fields as f;
use crate::dissect::model::{FieldDef, Severity};

/// A set of analysis verdicts for one segment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u32);

/// One verdict and how tshark 4.0 presents it.
#[derive(Debug)]
pub struct FlagInfo {
    pub bit: u32,
    pub field: &'static FieldDef,
    /// Expert key (the field name), severity and English message as tshark words them.
    pub severity: Severity,
    pub message: &'static str,
    /// Prefix tshark puts before the Info column (`[TCP Retransmission] `); `None` for the
    /// duplicate ACK, whose marker carries numbers and is built separately.
    pub marker: Option<&'static str>,
}

impl Flags {
    pub const RETRANSMISSION: u32 = 1 << 0;
    pub const FAST_RETRANSMISSION: u32 = 1 << 1;
    pub const SPURIOUS_RETRANSMISSION: u32 = 1 << 2;
    pub const OUT_OF_ORDER: u32 = 1 << 3;
    pub const REUSED_PORTS: u32 = 1 << 4;
    pub const LOST_SEGMENT: u32 = 1 << 5;
    pub const ACK_LOST_SEGMENT: u32 = 1 << 6;
    pub const WINDOW_UPDATE: u32 = 1 << 7;
    pub const WINDOW_FULL: u32 = 1 << 8;
    pub const KEEP_ALIVE: u32 = 1 << 9;
    pub const KEEP_ALIVE_ACK: u32 = 1 << 10;
    pub const DUPLICATE_ACK: u32 = 1 << 11;
    pub const ZERO_WINDOW_PROBE: u32 = 1 << 12;
    pub const ZERO_WINDOW: u32 = 1 << 13;
    pub const ZERO_WINDOW_PROBE_ACK: u32 = 1 << 14;

    pub fn has(self, bit: u32) -> bool {
        self.0 & bit != 0
    }

    pub fn set(&mut self, bit: u32) {
        self.0 |= bit;
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether a display filter on `field` would match: the fast and spurious verdicts also
    /// carry the plain `tcp.analysis.retransmission` item, as in tshark.
    pub fn matches(self, field: &FieldDef) -> bool {
        if std::ptr::eq(field, &f::TCP_RETRANSMISSION) {
            return self.has(Self::RETRANSMISSION | Self::FAST_RETRANSMISSION | Self::SPURIOUS_RETRANSMISSION);
        }
        FLAG_INFO.iter().any(|i| std::ptr::eq(i.field, field) && self.has(i.bit))
    }

    /// The verdicts present, in the order tshark prints them.
    pub fn iter(self) -> impl Iterator<Item = &'static FlagInfo> {
        FLAG_INFO.iter().filter(move |i| self.has(i.bit))
    }
}

/// All verdicts, in the order tshark 4.0's `tcp_print_sequence_number_analysis` adds them.
pub static FLAG_INFO: &[FlagInfo] = &[
    FlagInfo { bit: Flags::REUSED_PORTS, field: &f::TCP_REUSED_PORTS, severity: Severity::Note, message: "A new tcp session is started with the same ports as an earlier session in this trace", marker: Some("[TCP Port numbers reused] ") },
    FlagInfo { bit: Flags::RETRANSMISSION, field: &f::TCP_RETRANSMISSION, severity: Severity::Note, message: "This frame is a (suspected) retransmission", marker: Some("[TCP Retransmission] ") },
    FlagInfo { bit: Flags::FAST_RETRANSMISSION, field: &f::TCP_FAST_RETRANSMISSION, severity: Severity::Note, message: "This frame is a (suspected) fast retransmission", marker: Some("[TCP Fast Retransmission] ") },
    FlagInfo { bit: Flags::SPURIOUS_RETRANSMISSION, field: &f::TCP_SPURIOUS_RETRANSMISSION, severity: Severity::Note, message: "This frame is a (suspected) spurious retransmission", marker: Some("[TCP Spurious Retransmission] ") },
    FlagInfo { bit: Flags::OUT_OF_ORDER, field: &f::TCP_OUT_OF_ORDER, severity: Severity::Warn, message: "This frame is a (suspected) out-of-order segment", marker: Some("[TCP Out-Of-Order] ") },
    FlagInfo { bit: Flags::LOST_SEGMENT, field: &f::TCP_LOST_SEGMENT, severity: Severity::Warn, message: "Previous segment(s) not captured (common at capture start)", marker: Some("[TCP Previous segment not captured] ") },
    FlagInfo { bit: Flags::ACK_LOST_SEGMENT, field: &f::TCP_ACK_LOST_SEGMENT, severity: Severity::Warn, message: "ACKed segment that wasn't captured (common at capture start)", marker: Some("[TCP ACKed unseen segment] ") },
    FlagInfo { bit: Flags::WINDOW_UPDATE, field: &f::TCP_WINDOW_UPDATE, severity: Severity::Chat, message: "TCP window update", marker: Some("[TCP Window Update] ") },
    FlagInfo { bit: Flags::WINDOW_FULL, field: &f::TCP_WINDOW_FULL, severity: Severity::Warn, message: "TCP window specified by the receiver is now completely full", marker: Some("[TCP Window Full] ") },
    FlagInfo { bit: Flags::KEEP_ALIVE, field: &f::TCP_KEEP_ALIVE, severity: Severity::Note, message: "TCP keep-alive segment", marker: Some("[TCP Keep-Alive] ") },
    FlagInfo { bit: Flags::KEEP_ALIVE_ACK, field: &f::TCP_KEEP_ALIVE_ACK, severity: Severity::Note, message: "ACK to a TCP keep-alive segment", marker: Some("[TCP Keep-Alive ACK] ") },
    FlagInfo { bit: Flags::DUPLICATE_ACK, field: &f::TCP_DUPLICATE_ACK, severity: Severity::Note, message: "Duplicate ACK", marker: None },
    FlagInfo { bit: Flags::ZERO_WINDOW_PROBE, field: &f::TCP_ZERO_WINDOW_PROBE, severity: Severity::Note, message: "TCP Zero Window Probe", marker: Some("[TCP ZeroWindowProbe] ") },
    FlagInfo { bit: Flags::ZERO_WINDOW, field: &f::TCP_ZERO_WINDOW, severity: Severity::Warn, message: "TCP Zero Window segment", marker: Some("[TCP ZeroWindow] ") },
    FlagInfo { bit: Flags::ZERO_WINDOW_PROBE_ACK, field: &f::TCP_ZERO_WINDOW_PROBE_ACK, severity: Severity::Note, message: "ACK to a TCP Zero Window Probe", marker: Some("[TCP ZeroWindowProbeAck] ") },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_retransmission_also_matches_retransmission() {
        let fl = Flags(Flags::FAST_RETRANSMISSION);
        assert!(fl.matches(&f::TCP_RETRANSMISSION));
        assert!(fl.matches(&f::TCP_FAST_RETRANSMISSION));
        assert!(!fl.matches(&f::TCP_OUT_OF_ORDER));
    }

    #[test]
    fn every_bit_has_one_description() {
        let mut seen = 0u32;
        for i in FLAG_INFO {
            assert_eq!(seen & i.bit, 0, "{}", i.field.abbrev);
            seen |= i.bit;
        }
        assert_eq!(seen, (1 << 15) - 1);
    }
}
