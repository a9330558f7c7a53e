//! The default capture backend: a Linux AF_PACKET socket reading a TPACKET_V3 memory-mapped
//! ring (block-based, as libpcap does), so the kernel hands over whole blocks of packets
//! instead of one system call per packet.
//!
//! The socket is bound to the interface. On loopback every packet is seen twice (once
//! leaving, once arriving); like libpcap we keep only the arriving copy, asking the kernel
//! not to deliver outgoing ones (`PACKET_IGNORE_OUTGOING`) and checking `sll_pkttype` too.
//! Timestamps (nanoseconds) and original lengths come from the ring's packet headers, kernel
//! drops (ring full) from `PACKET_STATISTICS`. The unsafe parts live in [`super::ring`].
//!
//! The capture filter is compiled to classic BPF ([`super::bpf`]) and attached to the socket
//! before it is bound: the socket is opened for protocol 0, which queues nothing, so no packet
//! reaches it unfiltered (libpcap instead binds first, then drains the socket and filters
//! the blocks already in the ring in user space). A filter that cannot be compiled, or that
//! the kernel refuses, is applied in user space by the capture thread, and
//! [`Backend::filter_placement`] says why.

use super::bpf;
use super::capture_filter::CaptureFilter;
use super::ring::{self, Ring};
use super::source::{Backend, FilterPlacement, LiveError, RawFrame};
use crate::dissect::model::Timestamp;
use nix::errno::Errno;
use nix::sys::socket::{self, AddressFamily, SockFlag, SockType};
use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `sll_pkttype` of a frame the host itself sent.
const PACKET_OUTGOING: u8 = 4;
/// Ring block size (bytes); larger when the snaplen needs it.
const BLOCK_SIZE: usize = 1 << 20;
/// A block is handed to user space after this long even when not full.
const RETIRE_MS: u32 = 20;
/// `TPACKET_ALIGN(sizeof(struct tpacket3_hdr))`: where `sockaddr_ll` starts in a packet header.
const SLL_OFFSET: usize = 48;
/// Default ring size (MiB), as `-B/--buffer-size`.
pub const DEFAULT_BUFFER_MIB: usize = 32;

/// An open AF_PACKET socket with its receive ring, bound to one interface.
pub struct AfPacket {
    ring: Ring,
    interface: String,
    filter: FilterPlacement,
    ifindex: u32,
    loopback: bool,
    link_type: u32,
    poll_ms: i32,
    /// The block being read, its packets left and the offset of the next one.
    block: usize,
    held: bool,
    left: u32,
    offset: usize,
    kernel_drops: Cell<u64>,
}

fn align16(n: usize) -> usize {
    (n + 15) & !15
}

impl AfPacket {
    /// Opens the socket, attaches `filter` compiled to BPF, maps a ring of about
    /// `buffer_mib` MiB and binds to the interface. Fails with [`LiveError::Permission`]
    /// without CAP_NET_RAW.
    #[allow(clippy::too_many_arguments)]
    pub fn open(
        interface: &str,
        ifindex: u32,
        loopback: bool,
        link_type: u32,
        poll: Duration,
        snaplen: u32,
        buffer_mib: usize,
        filter: Option<&CaptureFilter>,
    ) -> Result<AfPacket, LiveError> {
        // Protocol 0: nothing is queued until `bind` names the protocol (ETH_P_ALL), so the
        // filter below is in place before the first packet arrives.
        let fd = socket::socket(AddressFamily::Packet, SockType::Raw, SockFlag::SOCK_CLOEXEC, None)
            .map_err(|e| match e {
                Errno::EPERM | Errno::EACCES => LiveError::Permission { interface: interface.to_string() },
                e => LiveError::Io { interface: interface.to_string(), source: e.into() },
            })?;
        let io = |what: &str, e: std::io::Error| LiveError::Io {
            interface: interface.to_string(),
            source: std::io::Error::new(e.kind(), format!("{what}: {e}")),
        };
        ring::set_version_v3(&fd).map_err(|e| io("TPACKET_V3 ring", e))?;
        if loopback {
            // Older kernels lack it; the sll_pkttype check below still drops outgoing copies.
            let _ = ring::ignore_outgoing(&fd);
        }
        let placement = match filter {
            None => FilterPlacement::None,
            Some(f) => match bpf::compile(f, link_type, snaplen) {
                Ok(program) => match ring::attach_filter(&fd, &program) {
                    Ok(()) => FilterPlacement::Kernel { compiler: "pktlab", instructions: Some(program.len()) },
                    Err(e) => {
                        let hint = if e.raw_os_error() == Some(libc::ENOMEM) {
                            "; a socket's filter must fit in sysctl net.core.optmem_max"
                        } else {
                            ""
                        };
                        FilterPlacement::UserSpace {
                            reason: format!("the kernel refused its {}-instruction BPF program ({e}{hint})", program.len()),
                        }
                    }
                },
                Err(e) => FilterPlacement::UserSpace { reason: e.to_string() },
            },
        };
        let frame_size = align16(SLL_OFFSET + 32 + snaplen as usize);
        let mut block_size = BLOCK_SIZE;
        while block_size < frame_size {
            block_size <<= 1;
        }
        let block_nr = (buffer_mib.max(1) << 20).div_ceil(block_size).max(2);
        let ring = Ring::map(fd, block_size, block_nr, frame_size, RETIRE_MS)
            .map_err(|e| io(&format!("mapping a {block_nr}×{block_size}-byte ring (-B)"), e))?;
        ring::bind_to(ring.fd(), ifindex).map_err(|e| io("bind", e))?;
        Ok(AfPacket {
            ring,
            interface: interface.to_string(),
            filter: placement,
            ifindex,
            loopback,
            link_type,
            poll_ms: i32::try_from(poll.as_millis()).unwrap_or(100),
            block: 0,
            held: false,
            left: 0,
            offset: 0,
            kernel_drops: Cell::new(0),
        })
    }
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_ne_bytes([s[0], s[1]]))
}

impl Backend for AfPacket {
    fn next(&mut self, buf: &mut [u8]) -> Result<Option<RawFrame>, LiveError> {
        let mut waited = false;
        loop {
            if self.left == 0 {
                if self.held {
                    self.ring.release(self.block);
                    self.held = false;
                    self.block = (self.block + 1) % self.ring.block_nr();
                }
                let Some(b) = self.ring.user_block(self.block) else {
                    if waited {
                        return Ok(None);
                    }
                    ring::wait_readable(self.ring.fd(), self.poll_ms)
                        .map_err(|e| LiveError::Io { interface: self.interface.clone(), source: e })?;
                    waited = true;
                    continue;
                };
                // tpacket_hdr_v1 after version and offset_to_priv: status, num_pkts, offset_to_first_pkt.
                self.left = u32_at(b, 12).unwrap_or(0);
                self.offset = u32_at(b, 16).unwrap_or(0) as usize;
                self.held = true;
                continue;
            }
            let Some(b) = self.ring.user_block(self.block) else {
                self.left = 0;
                continue;
            };
            let at = self.offset;
            let (Some(next), Some(sec), Some(nsec), Some(snap), Some(len), Some(mac)) = (
                u32_at(b, at),
                u32_at(b, at + 4),
                u32_at(b, at + 8),
                u32_at(b, at + 12),
                u32_at(b, at + 16),
                u16_at(b, at + 24),
            ) else {
                // A header outside the block: skip the rest of it rather than read garbage.
                self.left = 0;
                continue;
            };
            self.left -= 1;
            self.offset = at + next as usize;
            let ifindex = u32_at(b, at + SLL_OFFSET + 4).unwrap_or(0);
            let pkttype = b.get(at + SLL_OFFSET + 10).copied().unwrap_or(0);
            if ifindex != self.ifindex || (self.loopback && pkttype == PACKET_OUTGOING) {
                continue;
            }
            let start = at + mac as usize;
            let Some(data) = b.get(start..start + snap as usize) else {
                continue;
            };
            let caplen = data.len().min(buf.len());
            buf[..caplen].copy_from_slice(&data[..caplen]);
            let ts = Timestamp { secs: i64::from(sec), nanos: nsec };
            return Ok(Some(RawFrame { caplen, orig_len: len, ts }));
        }
    }

    fn kernel_drops(&self) -> Option<u64> {
        if let Ok(n) = ring::take_drops(self.ring.fd()) {
            self.kernel_drops.set(self.kernel_drops.get() + n);
        }
        Some(self.kernel_drops.get())
    }

    fn link_type(&self) -> u32 {
        self.link_type
    }

    fn filter_placement(&self) -> FilterPlacement {
        self.filter.clone()
    }
}

/// The wall clock as a capture timestamp (used when the kernel gave none).
pub fn now() -> Timestamp {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    Timestamp { secs: d.as_secs() as i64, nanos: d.subsec_nanos() }
}
