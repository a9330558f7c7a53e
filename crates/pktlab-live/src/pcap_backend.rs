//! The libpcap backend (cargo feature `libpcap`): kernel BPF capture filters, kernel
//! timestamps and kernel drop counts, on every OS libpcap supports.

use super::source::{Backend, FilterPlacement, LiveConfig, LiveError, RawFrame};
use crate::dissect::model::Timestamp;
use std::time::Duration;

pub struct Libpcap {
    cap: pcap::Capture<pcap::Active>,
    link_type: u32,
    filter: FilterPlacement,
    drops: Option<u64>,
    since_stats: u32,
}

impl Libpcap {
    pub fn open(cfg: &LiveConfig, poll: Duration) -> Result<Libpcap, LiveError> {
        let interface = cfg.interface.clone();
        let fail = |e: pcap::Error| {
            let text = e.to_string();
            if text.contains("ermission") || text.contains("not permitted") {
                LiveError::Permission { interface: interface.clone() }
            } else if text.contains("No such device") || text.contains("doesn't exist") {
                LiveError::NoSuchInterface { name: interface.clone() }
            } else {
                LiveError::Backend(format!("libpcap on {interface}: {text}"))
            }
        };
        let mut cap = pcap::Capture::from_device(cfg.interface.as_str())
            .map_err(fail)?
            .snaplen(i32::try_from(cfg.snaplen).unwrap_or(i32::MAX))
            .timeout(i32::try_from(poll.as_millis()).unwrap_or(100).max(1))
            .immediate_mode(true)
            .buffer_size(64 << 20)
            .open()
            .map_err(fail)?
            // Non-blocking: with immediate mode, Linux libpcap may ignore the read timeout, and
            // the capture thread must notice a stop request even when nothing arrives.
            .setnonblock()
            .map_err(fail)?;
        // A filter libpcap cannot compile stays with the user-space filter.
        let filter = match &cfg.filter {
            None => FilterPlacement::None,
            Some(f) => match cap.filter(f.text(), true) {
                Ok(()) => FilterPlacement::Kernel { compiler: "libpcap", instructions: None },
                Err(e) => FilterPlacement::UserSpace { reason: format!("libpcap did not compile it ({e})") },
            },
        };
        let link_type = u32::try_from(cap.get_datalink().0).unwrap_or(1);
        Ok(Libpcap { cap, link_type, filter, drops: None, since_stats: 0 })
    }

    fn refresh_stats(&mut self) {
        if let Ok(s) = self.cap.stats() {
            self.drops = Some(u64::from(s.dropped) + u64::from(s.if_dropped));
        }
        self.since_stats = 0;
    }
}

impl Backend for Libpcap {
    fn next(&mut self, buf: &mut [u8]) -> Result<Option<RawFrame>, LiveError> {
        self.since_stats += 1;
        if self.since_stats >= 4096 {
            self.refresh_stats();
        }
        match self.cap.next_packet() {
            Ok(p) => {
                let n = p.data.len().min(buf.len());
                buf[..n].copy_from_slice(&p.data[..n]);
                let ts = Timestamp {
                    secs: p.header.ts.tv_sec as i64,
                    nanos: u32::try_from(p.header.ts.tv_usec).unwrap_or(0).saturating_mul(1000),
                };
                Ok(Some(RawFrame { caplen: n, orig_len: p.header.len, ts }))
            }
            Err(pcap::Error::TimeoutExpired) => {
                // Nothing waiting: rest a moment rather than spin, then let the caller look
                // at its stop flag.
                self.refresh_stats();
                std::thread::sleep(Duration::from_millis(2));
                Ok(None)
            }
            Err(e) => Err(LiveError::Backend(format!("libpcap: {e}"))),
        }
    }

    fn kernel_drops(&self) -> Option<u64> {
        self.drops
    }

    fn link_type(&self) -> u32 {
        self.link_type
    }

    fn filter_placement(&self) -> FilterPlacement {
        self.filter.clone()
    }
}
