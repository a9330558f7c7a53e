//! The only unsafe code of live capture: the TPACKET_V3 memory-mapped receive ring of an
//! AF_PACKET socket, and the socket options that have no safe wrapper in nix
//! (`PACKET_VERSION`, `PACKET_RX_RING`, `PACKET_IGNORE_OUTGOING`, `PACKET_STATISTICS`,
//! `SO_ATTACH_FILTER`, binding to one interface).
//!
//! Audit notes. The kernel and this process share the ring. Each block starts with a
//! `tpacket_block_desc` whose `block_status` word says who owns the block: the kernel writes
//! packets into blocks it owns and hands a block over by setting `TP_STATUS_USER`; user space
//! reads the block and hands it back by storing `TP_STATUS_KERNEL`. So:
//! - the status word is only accessed atomically (acquire load, release store);
//! - a byte slice over a block is made only after the acquire load saw `TP_STATUS_USER`,
//!   and [`Ring::release`] takes `&mut self`, so no slice can outlive the hand-back;
//! - the mapping lives as long as [`Ring`] (unmapped in `Drop`), and the socket it belongs
//!   to is owned by the same value, so it is closed after the unmapping.
//!
//! Everything else (parsing packet headers inside a block) is safe code on those slices.
#![allow(unsafe_code)]

use super::bpf::SockFilter;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, Ordering};

const SOL_PACKET: libc::c_int = 263;
const PACKET_RX_RING: libc::c_int = 5;
const PACKET_STATISTICS: libc::c_int = 6;
const PACKET_VERSION: libc::c_int = 10;
const PACKET_IGNORE_OUTGOING: libc::c_int = 23;
const TPACKET_V3: libc::c_int = 2;
/// `SO_ATTACH_FILTER` (asm-generic/socket.h; the same number on every Linux architecture).
const SO_ATTACH_FILTER: libc::c_int = 26;
/// `block_status` bit: the block belongs to user space.
pub const TP_STATUS_USER: u32 = 1;
const TP_STATUS_KERNEL: u32 = 0;
/// Offset of `block_status` in `tpacket_block_desc` (after `version` and `offset_to_priv`).
const BLOCK_STATUS_OFFSET: usize = 8;

/// `struct tpacket_req3` (linux/if_packet.h).
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct TpacketReq3 {
    tp_block_size: u32,
    tp_block_nr: u32,
    tp_frame_size: u32,
    tp_frame_nr: u32,
    tp_retire_blk_tov: u32,
    tp_sizeof_priv: u32,
    tp_feature_req_word: u32,
}

/// `struct tpacket_stats_v3`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct TpacketStatsV3 {
    tp_packets: u32,
    tp_drops: u32,
    tp_freeze_q_cnt: u32,
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc < 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

/// `setsockopt` with a plain-old-data value (every `T` passed here is a `repr(C)` struct of
/// integers or a `c_int`, and the kernel copies `size_of::<T>()` bytes from it).
fn setopt<T>(fd: &OwnedFd, level: libc::c_int, name: libc::c_int, value: &T) -> io::Result<()> {
    // SAFETY: `value` is a live reference, so the pointer is valid for size_of::<T>() bytes
    // for the duration of the call; the kernel only reads it.
    check(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (value as *const T).cast(),
            std::mem::size_of::<T>() as libc::socklen_t,
        )
    })
}

/// Asks for TPACKET_V3 ring headers.
pub fn set_version_v3(fd: &OwnedFd) -> io::Result<()> {
    setopt(fd, SOL_PACKET, PACKET_VERSION, &TPACKET_V3)
}

/// Asks the kernel not to loop the host's own outgoing packets back to this socket
/// (Linux ≥ 4.20). On loopback every packet is seen leaving and arriving; this keeps one.
pub fn ignore_outgoing(fd: &OwnedFd) -> io::Result<()> {
    setopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &(1 as libc::c_int))
}

/// Attaches a classic BPF program (`SO_ATTACH_FILTER`): from then on the kernel runs it on
/// every packet before queueing it, and only packets it accepts (cut to the length it
/// returns) reach the socket. The kernel checks the program and refuses an invalid one.
pub fn attach_filter(fd: &OwnedFd, program: &[SockFilter]) -> io::Result<()> {
    let mut insns: Vec<libc::sock_filter> =
        program.iter().map(|i| libc::sock_filter { code: i.code, jt: i.jt, jf: i.jf, k: i.k }).collect();
    let len = libc::c_ushort::try_from(insns.len()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let prog = libc::sock_fprog { len, filter: insns.as_mut_ptr() };
    // SAFETY: `prog` is live for the call and points at `insns`, exactly `len` instructions,
    // which outlive the call too. The kernel reads `prog` (its size is passed), copies the
    // instructions into its own memory during the call and keeps no pointer to ours.
    check(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            SO_ATTACH_FILTER,
            (&prog as *const libc::sock_fprog).cast(),
            std::mem::size_of::<libc::sock_fprog>() as libc::socklen_t,
        )
    })
}

/// Binds the socket to one interface, all protocols.
pub fn bind_to(fd: &OwnedFd, ifindex: u32) -> io::Result<()> {
    // SAFETY: sockaddr_ll is plain integers; all-zero is a valid value.
    let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
    sll.sll_family = libc::AF_PACKET as u16;
    sll.sll_protocol = (libc::ETH_P_ALL as u16).to_be();
    sll.sll_ifindex = ifindex as i32;
    // SAFETY: the pointer and length describe `sll`, alive for the call; the kernel reads it.
    check(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&sll as *const libc::sockaddr_ll).cast(),
            std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
        )
    })
}

/// Packets the kernel dropped (ring full) since the last call; the kernel resets its
/// counters on each read.
pub fn take_drops(fd: &OwnedFd) -> io::Result<u64> {
    let mut st = TpacketStatsV3::default();
    let mut len = std::mem::size_of::<TpacketStatsV3>() as libc::socklen_t;
    // SAFETY: `st` and `len` are live, writable and sized as the kernel expects for
    // PACKET_STATISTICS on a TPACKET_V3 socket; the kernel writes at most `len` bytes.
    check(unsafe {
        libc::getsockopt(fd.as_raw_fd(), SOL_PACKET, PACKET_STATISTICS, (&mut st as *mut TpacketStatsV3).cast(), &mut len)
    })?;
    Ok(u64::from(st.tp_drops))
}

/// Waits up to `timeout_ms` for the socket to become readable (a block retired to user space).
pub fn wait_readable(fd: &OwnedFd, timeout_ms: i32) -> io::Result<()> {
    let mut p = libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN | libc::POLLERR, revents: 0 };
    // SAFETY: one valid pollfd, alive for the call.
    let rc = unsafe { libc::poll(&mut p, 1, timeout_ms) };
    if rc < 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::Interrupted {
            return Ok(());
        }
        return Err(e);
    }
    Ok(())
}

/// A TPACKET_V3 receive ring mapped into this process, with the socket it belongs to.
pub struct Ring {
    base: NonNull<u8>,
    block_size: usize,
    block_nr: usize,
    fd: OwnedFd,
}

// SAFETY: the mapping is owned by this value alone; moving it to another thread moves the
// only access path (the capture thread owns it).
unsafe impl Send for Ring {}

impl Ring {
    /// Sets up a ring of `block_nr` blocks of `block_size` bytes (a multiple of the page size)
    /// on a TPACKET_V3 socket, blocks retired after `retire_ms` even when not full.
    pub fn map(fd: OwnedFd, block_size: usize, block_nr: usize, frame_size: usize, retire_ms: u32) -> io::Result<Ring> {
        let bad = || io::Error::from(io::ErrorKind::InvalidInput);
        let req = TpacketReq3 {
            tp_block_size: u32::try_from(block_size).map_err(|_| bad())?,
            tp_block_nr: u32::try_from(block_nr).map_err(|_| bad())?,
            tp_frame_size: u32::try_from(frame_size).map_err(|_| bad())?,
            tp_frame_nr: u32::try_from(block_size / frame_size.max(1) * block_nr).map_err(|_| bad())?,
            tp_retire_blk_tov: retire_ms,
            ..TpacketReq3::default()
        };
        setopt(&fd, SOL_PACKET, PACKET_RX_RING, &req)?;
        let len = block_size.checked_mul(block_nr).ok_or_else(bad)?;
        // SAFETY: a fresh shared mapping of the socket's ring, at an address the kernel
        // chooses; the result is checked against MAP_FAILED before use.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_LOCKED,
                fd.as_raw_fd(),
                0,
            )
        };
        let ptr = if ptr == libc::MAP_FAILED {
            // MAP_LOCKED needs RLIMIT_MEMLOCK room; retry without it, as libpcap does not lock.
            // SAFETY: as above.
            unsafe {
                libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_SHARED, fd.as_raw_fd(), 0)
            }
        } else {
            ptr
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let base = NonNull::new(ptr.cast::<u8>()).ok_or_else(bad)?;
        Ok(Ring { base, block_size, block_nr, fd })
    }

    pub fn fd(&self) -> &OwnedFd {
        &self.fd
    }

    pub fn block_nr(&self) -> usize {
        self.block_nr
    }

    fn status(&self, block: usize) -> &AtomicU32 {
        assert!(block < self.block_nr);
        // SAFETY: `block < block_nr`, so the word lies inside the mapping; blocks start at
        // multiples of the page size and the offset is 8, so it is 4-byte aligned; the
        // kernel and we only ever access it as a 32-bit word, which AtomicU32 models.
        unsafe { &*self.base.as_ptr().add(block * self.block_size + BLOCK_STATUS_OFFSET).cast::<AtomicU32>() }
    }

    /// The whole block if the kernel has handed it to user space.
    pub fn user_block(&self, block: usize) -> Option<&[u8]> {
        if self.status(block).load(Ordering::Acquire) & TP_STATUS_USER == 0 {
            return None;
        }
        // SAFETY: the acquire load saw TP_STATUS_USER, so the kernel has finished writing
        // this block and will not touch it until `release` (which needs `&mut self`, so this
        // shared slice is gone by then). The range lies inside the mapping.
        Some(unsafe { std::slice::from_raw_parts(self.base.as_ptr().add(block * self.block_size), self.block_size) })
    }

    /// Hands a block back to the kernel.
    pub fn release(&mut self, block: usize) {
        self.status(block).store(TP_STATUS_KERNEL, Ordering::Release);
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: `base` and the length are exactly those mmap returned; no slice borrowed
        // from `self` can be alive in `drop`. The socket (`fd`) is closed after this.
        unsafe {
            libc::munmap(self.base.as_ptr().cast(), self.block_size * self.block_nr);
        }
    }
}
