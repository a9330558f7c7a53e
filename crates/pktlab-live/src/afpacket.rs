//! The default capture backend: a Linux AF_PACKET raw socket, through nix's safe wrappers.
//!
//! Why not pnet's datalink receiver: it returns bytes only, without the `sll_pkttype` of
//! each frame, and on the loopback interface every packet is seen twice (once leaving,
//! once arriving). Like libpcap we drop the outgoing copy on loopback. The socket also gives
//! kernel timestamps (`SO_TIMESTAMPNS`) and the count of frames the kernel dropped because
//! the socket buffer was full (`SO_RXQ_OVFL`). Interfaces are still listed through pnet.
//!
//! BPF programs cannot be attached without `unsafe`, so capture filters run in user space
//! (see [`super::capture_filter`]).

use super::source::{Backend, LiveError, RawFrame};
use crate::dissect::model::Timestamp;
use nix::errno::Errno;
use nix::sys::socket::{
    self, AddressFamily, ControlMessageOwned, LinkAddr, MsgFlags, SockFlag, SockProtocol, SockType, sockopt,
};
use nix::sys::time::TimeVal;
use std::io::IoSliceMut;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `sll_pkttype` of a frame the host itself sent.
const PACKET_OUTGOING: u8 = 4;
/// Socket receive buffer asked for (the kernel may cap it without CAP_NET_ADMIN).
const RCVBUF: usize = 64 << 20;

/// An open AF_PACKET socket bound (in user space) to one interface.
pub struct AfPacket {
    fd: OwnedFd,
    ifindex: usize,
    loopback: bool,
    cmsg: Vec<u8>,
    kernel_drops: u64,
    link_type: u32,
}

impl AfPacket {
    /// Opens the socket. Fails with [`LiveError::Permission`] without CAP_NET_RAW.
    pub fn open(
        interface: &str,
        ifindex: u32,
        loopback: bool,
        link_type: u32,
        poll: Duration,
    ) -> Result<AfPacket, LiveError> {
        let fd = socket::socket(AddressFamily::Packet, SockType::Raw, SockFlag::SOCK_CLOEXEC, SockProtocol::EthAll)
            .map_err(|e| match e {
                Errno::EPERM | Errno::EACCES => LiveError::Permission { interface: interface.to_string() },
                e => LiveError::Io { interface: interface.to_string(), source: e.into() },
            })?;
        let io = |e: Errno| LiveError::Io { interface: interface.to_string(), source: e.into() };
        socket::setsockopt(&fd, sockopt::ReceiveTimestampns, &true).map_err(io)?;
        socket::setsockopt(&fd, sockopt::RxqOvfl, &1).map_err(io)?;
        if socket::setsockopt(&fd, sockopt::RcvBufForce, &RCVBUF).is_err() {
            let _ = socket::setsockopt(&fd, sockopt::RcvBuf, &RCVBUF);
        }
        let tv = TimeVal::new(poll.as_secs() as _, poll.subsec_micros() as _);
        socket::setsockopt(&fd, sockopt::ReceiveTimeout, &tv).map_err(io)?;
        Ok(AfPacket {
            fd,
            ifindex: ifindex as usize,
            loopback,
            cmsg: nix::cmsg_space!(nix::sys::time::TimeSpec, u32),
            kernel_drops: 0,
            link_type,
        })
    }
}

impl Backend for AfPacket {
    fn next(&mut self, buf: &mut [u8]) -> Result<Option<RawFrame>, LiveError> {
        loop {
            let mut iov = [IoSliceMut::new(buf)];
            let msg = match socket::recvmsg::<LinkAddr>(
                self.fd.as_raw_fd(),
                &mut iov,
                Some(&mut self.cmsg),
                MsgFlags::MSG_TRUNC,
            ) {
                Ok(m) => m,
                Err(Errno::EAGAIN | Errno::EINTR) => return Ok(None),
                Err(e) => return Err(LiveError::Io { interface: String::new(), source: e.into() }),
            };
            let orig_len = msg.bytes;
            let (ifindex, pkttype) = msg.address.map(|a| (a.ifindex(), a.pkttype())).unwrap_or((0, 0));
            let mut ts = None;
            if let Ok(cmsgs) = msg.cmsgs() {
                for c in cmsgs {
                    match c {
                        ControlMessageOwned::ScmTimestampns(t) => {
                            ts = Some(Timestamp { secs: t.tv_sec(), nanos: t.tv_nsec() as u32 })
                        }
                        ControlMessageOwned::RxqOvfl(n) => self.kernel_drops = u64::from(n),
                        _ => {}
                    }
                }
            }
            if ifindex != self.ifindex || (self.loopback && pkttype == PACKET_OUTGOING) {
                continue;
            }
            let ts = ts.unwrap_or_else(now);
            return Ok(Some(RawFrame { caplen: orig_len.min(buf.len()), orig_len: orig_len as u32, ts }));
        }
    }

    fn kernel_drops(&self) -> Option<u64> {
        Some(self.kernel_drops)
    }

    fn link_type(&self) -> u32 {
        self.link_type
    }
}

/// The wall clock as a capture timestamp (used when the kernel gave none).
pub fn now() -> Timestamp {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    Timestamp { secs: d.as_secs() as i64, nanos: d.subsec_nanos() }
}
