//! The retransmission timer a TCP sender following RFC 6298 would run, fed the RTT samples a
//! capture shows (`tcp.analysis.ack_rtt`, [`super::series::RttPoint`]).
//!
//! RFC 6298 §2, with its constants (α = 1/8, β = 1/4, K = 4) and its 1-second floor:
//!
//! ```text
//! first sample R:   SRTT ← R            RTTVAR ← R/2
//! later sample R':  RTTVAR ← (1 − β)·RTTVAR + β·|SRTT − R'|     (the old SRTT)
//!                   SRTT   ← (1 − α)·SRTT + α·R'
//! after each:       RTO    ← SRTT + max(G, K·RTTVAR),  raised to 1 s if smaller (§2.4)
//! ```
//!
//! The samples are what the capture point saw, not what the sender's clock measured, and
//! tshark takes them from every acknowledged segment (Karn's rule, §3, would skip segments
//! that were retransmitted); the result is the RFC's formula applied to the capture, which is
//! what a graph of it can honestly show. G (the sender's clock granularity) is 0 by default:
//! capture timestamps tick in microseconds or finer.

/// The RFC's constants, adjustable for experiments (the default is RFC 6298 exactly).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rfc6298 {
    pub alpha: f64,
    pub beta: f64,
    pub k: f64,
    /// Clock granularity, seconds.
    pub g: f64,
    /// Lower bound of RTO, seconds (§2.4: 1 s).
    pub min_rto: f64,
    /// Upper bound of RTO, seconds (§2.5 allows one of at least 60 s); None: no bound.
    pub max_rto: Option<f64>,
}

impl Default for Rfc6298 {
    fn default() -> Self {
        Rfc6298 { alpha: 0.125, beta: 0.25, k: 4.0, g: 0.0, min_rto: 1.0, max_rto: None }
    }
}

/// The estimator's state after one sample, seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RtoEstimate {
    /// The sample itself.
    pub rtt: f64,
    /// The smoothed RTT (Jacobson's EstimatedRTT).
    pub srtt: f64,
    pub rttvar: f64,
    /// SRTT + max(G, K·RTTVAR) before the bounds.
    pub rto_raw: f64,
    /// The timer the sender arms: `rto_raw` within the bounds.
    pub rto: f64,
}

impl Rfc6298 {
    /// The estimator after each of `samples` (seconds, in the order they were taken).
    /// Samples that are negative or not finite are skipped.
    pub fn run(&self, samples: impl IntoIterator<Item = f64>) -> Vec<RtoEstimate> {
        let mut out: Vec<RtoEstimate> = Vec::new();
        for r in samples.into_iter().filter(|r| r.is_finite() && *r >= 0.0) {
            let (srtt, rttvar) = match out.last() {
                None => (r, r / 2.0),
                Some(p) => {
                    let rttvar = (1.0 - self.beta) * p.rttvar + self.beta * (p.srtt - r).abs();
                    ((1.0 - self.alpha) * p.srtt + self.alpha * r, rttvar)
                }
            };
            let rto_raw = srtt + self.g.max(self.k * rttvar);
            let mut rto = rto_raw.max(self.min_rto);
            if let Some(max) = self.max_rto {
                rto = rto.min(max);
            }
            out.push(RtoEstimate { rtt: r, srtt, rttvar, rto_raw, rto });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::series::TcpSeries;
    use crate::capture::CaptureFile;
    use std::path::Path;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// The RTT samples of handshake.pcap's one stream, per ACK sender.
    fn handshake_samples() -> [Vec<f64>; 2] {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../captures/handshake.pcap");
        let f = CaptureFile::open(&p).expect("capture opens");
        let mut seq = crate::pipeline::Sequence::new(true);
        let mut s = TcpSeries::new(0);
        for r in f.records() {
            seq.push(&r.expect("record"));
            s.push_frame(seq.analysis().expect("analysed"));
        }
        s.rtt.map(|v| v.iter().map(|p| p.rtt).collect())
    }

    #[test]
    fn handshake_capture_samples_by_hand() {
        // `tshark -r captures/handshake.pcap -Y tcp.analysis.ack_rtt -T fields -e tcp.srcport
        // -e tcp.analysis.ack_rtt`: the server (8080) acknowledges after 23, 6 and 88 µs, the
        // client (43850) after 13, 32, 4, 3 and 12 µs.
        let [client_acks, server_acks] = handshake_samples();
        let us = |v: &[f64]| v.iter().map(|x| (x * 1e6).round()).collect::<Vec<_>>();
        assert_eq!(us(&server_acks), vec![23.0, 6.0, 88.0]);
        assert_eq!(us(&client_acks), vec![13.0, 32.0, 4.0, 3.0, 12.0]);

        // By hand, in µs (the client's timer, fed the server's ACKs):
        // R=23: SRTT 23, RTTVAR 11.5, SRTT+4·RTTVAR = 69
        // R=6:  RTTVAR ¾·11.5 + ¼·|23−6| = 12.875;  SRTT ⅞·23 + ⅛·6 = 20.875;  → 72.375
        // R=88: RTTVAR ¾·12.875 + ¼·|20.875−88| = 26.4375;  SRTT ⅞·20.875 + ⅛·88 = 29.265625;
        //       → 29.265625 + 105.75 = 135.015625
        let e = Rfc6298::default().run(server_acks.iter().copied());
        let want = [(23.0, 11.5, 69.0), (20.875, 12.875, 72.375), (29.265625, 26.4375, 135.015625)];
        assert_eq!(e.len(), 3);
        for (got, (srtt, var, raw)) in e.iter().zip(want) {
            assert!(close(got.srtt * 1e6, srtt) && close(got.rttvar * 1e6, var) && close(got.rto_raw * 1e6, raw), "{got:?}");
            // Microseconds on loopback: the RFC's floor makes every RTO one second.
            assert_eq!(got.rto, 1.0);
        }

        // The server's timer, fed the client's ACKs (first three):
        // R=13: 13, 6.5, 39;  R=32: RTTVAR ¾·6.5 + ¼·19 = 9.625, SRTT 11.375 + 4 = 15.375, 53.875
        // R=4:  RTTVAR ¾·9.625 + ¼·11.375 = 10.0625, SRTT 13.453125 + 0.5 = 13.953125, 54.203125
        let e = Rfc6298 { min_rto: 0.0, ..Rfc6298::default() }.run(client_acks.iter().copied());
        let want = [(13.0, 6.5, 39.0), (15.375, 9.625, 53.875), (13.953125, 10.0625, 54.203125)];
        for (got, (srtt, var, raw)) in e.iter().zip(want) {
            assert!(close(got.srtt * 1e6, srtt) && close(got.rttvar * 1e6, var) && close(got.rto * 1e6, raw), "{got:?}");
        }
        assert_eq!(e.len(), 5);
    }

    #[test]
    fn granularity_bounds_and_odd_input() {
        // G wins when K·RTTVAR is smaller: equal samples make RTTVAR shrink by ¾ each time.
        let p = Rfc6298 { g: 0.01, min_rto: 0.0, ..Rfc6298::default() };
        let e = p.run([0.1, 0.1, 0.1]);
        assert!(close(e[0].rto, 0.1 + 0.2) && close(e[1].rttvar, 0.0375) && close(e[1].rto, 0.1 + 0.15));
        assert!(close(e[2].rttvar, 0.028125) && close(e[2].rto, 0.1 + 0.1125));
        let e = Rfc6298 { g: 0.5, min_rto: 0.0, ..Rfc6298::default() }.run([0.1, 0.1]);
        assert!(close(e[1].rto, 0.6));
        // A maximum (§2.5) caps a long sample's timer.
        let e = Rfc6298 { max_rto: Some(60.0), ..Rfc6298::default() }.run([40.0]);
        assert_eq!((e[0].rto_raw, e[0].rto), (120.0, 60.0));
        // Nothing in, nothing out; NaN and negative samples are skipped.
        assert!(Rfc6298::default().run(std::iter::empty()).is_empty());
        let e = Rfc6298::default().run([f64::NAN, -1.0, 0.002]);
        assert_eq!(e.len(), 1);
        assert!(close(e[0].srtt, 0.002) && close(e[0].rttvar, 0.001) && e[0].rto == 1.0);
    }
}
