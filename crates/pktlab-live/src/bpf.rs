//! Capture filters compiled to classic BPF (`struct sock_filter`, linux/filter.h), for the
//! kernel to run on an AF_PACKET socket (`SO_ATTACH_FILTER`) so unwanted packets never reach
//! user space.
//!
//! The program tests what [`CaptureFilter::matches_frame`] tests, in the same order, so a
//! frame too short for a header is rejected by both at the same place; and both give the
//! packets libpcap 1.10's compile of the same filter gives (`tests/bpf_libpcap.rs` runs this
//! program, `tcpdump -dd`'s and the user-space filter over every frame of the test captures).
//!
//! Link types: Ethernet, Linux cooked v1 and v2 (EtherType at 12, 14 or 0), raw IP (the
//! version nibble), raw IPv4 and IPv6. Others (BSD loopback's host-order address family, link
//! types pktlab does not know) cannot be expressed: [`compile`] says which primitive needs
//! them, and the filter stays in user space.
//!
//! Code generation is the textbook one for boolean expressions: every test jumps to a true
//! or a false label; `and`, `or` and `not` only move labels. Conditional jumps reach 255
//! instructions; farther targets go through `ja` (32-bit offset).

use super::capture_filter::{
    CaptureFilter, Dir, IPV4_FRAG_OFFSET, IPV6_FRAGMENT, Link, LinkKind, Net, NetProto, Node, Proto, Test, ip_number,
    port_protos,
};
use crate::capture::linktype;
use std::fmt;

/// One classic BPF instruction, as `struct sock_filter` in linux/filter.h.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SockFilter {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// Instruction classes, sizes, modes and operations (linux/bpf_common.h).
pub mod op {
    pub const LD: u16 = 0x00;
    pub const LDX: u16 = 0x01;
    pub const ST: u16 = 0x02;
    pub const STX: u16 = 0x03;
    pub const ALU: u16 = 0x04;
    pub const JMP: u16 = 0x05;
    pub const RET: u16 = 0x06;
    pub const MISC: u16 = 0x07;
    pub const W: u16 = 0x00;
    pub const H: u16 = 0x08;
    pub const B: u16 = 0x10;
    pub const IMM: u16 = 0x00;
    pub const ABS: u16 = 0x20;
    pub const IND: u16 = 0x40;
    pub const MEM: u16 = 0x60;
    pub const LEN: u16 = 0x80;
    pub const MSH: u16 = 0xA0;
    pub const ADD: u16 = 0x00;
    pub const SUB: u16 = 0x10;
    pub const MUL: u16 = 0x20;
    pub const DIV: u16 = 0x30;
    pub const OR: u16 = 0x40;
    pub const AND: u16 = 0x50;
    pub const LSH: u16 = 0x60;
    pub const RSH: u16 = 0x70;
    pub const NEG: u16 = 0x80;
    pub const MOD: u16 = 0x90;
    pub const XOR: u16 = 0xA0;
    pub const JA: u16 = 0x00;
    pub const JEQ: u16 = 0x10;
    pub const JGT: u16 = 0x20;
    pub const JGE: u16 = 0x30;
    pub const JSET: u16 = 0x40;
    pub const K: u16 = 0x00;
    pub const X: u16 = 0x08;
    pub const A: u16 = 0x10;
    pub const TAX: u16 = 0x00;
    pub const TXA: u16 = 0x80;
}

/// The most instructions the Linux kernel loads (`BPF_MAXINSNS`).
pub const MAX_INSNS: usize = 4096;

/// Why a filter, or a part of it, cannot be run in the kernel.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{part}\" cannot be compiled to BPF: {reason}")]
pub struct Unexpressible {
    /// The primitive (with every keyword spelled out), or the whole filter (its first 60
    /// characters) when it is too long.
    pub part: String,
    pub reason: String,
}

/// Compiles `filter` for frames of link type `link_type`; the program accepts a frame by
/// returning `snaplen` (the bytes to keep, as libpcap's programs do) and rejects it with 0.
pub fn compile(filter: &CaptureFilter, link_type: u32, snaplen: u32) -> Result<Vec<SockFilter>, Unexpressible> {
    let mut g = Gen { link: Link::of(link_type), link_type, code: Vec::new(), labels: 0 };
    let (accept, reject) = (g.label(), g.label());
    g.node(filter.root(), accept, reject)?;
    g.place(accept);
    g.code.push(Ins::Stmt(stmt(op::RET | op::K, snaplen.max(1))));
    g.place(reject);
    g.code.push(Ins::Stmt(stmt(op::RET | op::K, 0)));
    let program = assemble(g.code);
    if program.len() > MAX_INSNS {
        let text = filter.text();
        let part = match text.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text.to_string(),
        };
        return Err(Unexpressible {
            part,
            reason: format!("it needs {} instructions; the kernel takes at most {MAX_INSNS}", program.len()),
        });
    }
    Ok(program)
}

/// tcpdump -d's notation for one instruction, for messages and test failures.
pub fn describe(i: &SockFilter) -> String {
    let class = i.code & 0x07;
    let size = match i.code & 0x18 {
        op::H => "h",
        op::B => "b",
        _ => "",
    };
    match class {
        op::LD | op::LDX => {
            let reg = if class == op::LDX { "x" } else { "" };
            match i.code & 0xE0 {
                op::ABS => format!("ld{size}{reg} [{}]", i.k),
                op::IND => format!("ld{size}{reg} [x + {}]", i.k),
                op::LEN => format!("ld{reg} #pktlen"),
                op::MSH => format!("ldxb 4*([{}]&0xf)", i.k),
                op::MEM => format!("ld{reg} M[{}]", i.k),
                _ => format!("ld{reg} #{:#x}", i.k),
            }
        }
        op::JMP if i.code & 0xF0 == op::JA => format!("ja +{}", i.k),
        op::JMP => {
            let name = match i.code & 0xF0 {
                op::JEQ => "jeq",
                op::JGT => "jgt",
                op::JGE => "jge",
                op::JSET => "jset",
                _ => "j?",
            };
            let src = if i.code & op::X != 0 { "x".to_string() } else { format!("#{:#x}", i.k) };
            format!("{name} {src} jt +{} jf +{}", i.jt, i.jf)
        }
        op::ALU => {
            let name = match i.code & 0xF0 {
                op::ADD => "add",
                op::SUB => "sub",
                op::MUL => "mul",
                op::DIV => "div",
                op::MOD => "mod",
                op::OR => "or",
                op::AND => "and",
                op::XOR => "xor",
                op::LSH => "lsh",
                op::RSH => "rsh",
                op::NEG => return "neg".into(),
                _ => "alu?",
            };
            if i.code & op::X != 0 { format!("{name} x") } else { format!("{name} #{:#x}", i.k) }
        }
        op::MISC if i.code & 0xF8 == op::TXA => "txa".into(),
        op::MISC => "tax".into(),
        op::ST => format!("st M[{}]", i.k),
        op::STX => format!("stx M[{}]", i.k),
        op::RET if i.code & 0x18 == op::A => "ret a".into(),
        op::RET => format!("ret #{}", i.k),
        _ => format!("{{ {:#x}, {}, {}, {:#x} }}", i.code, i.jt, i.jf, i.k),
    }
}

fn stmt(code: u16, k: u32) -> SockFilter {
    SockFilter { code, jt: 0, jf: 0, k }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Label(usize);

/// Code before jump offsets are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ins {
    Stmt(SockFilter),
    /// A conditional jump (`JMP | op | K`) to labels.
    Jump { code: u16, k: u32, t: Label, f: Label },
    Ja(Label),
    Place(Label),
}

struct Gen {
    link: Link,
    link_type: u32,
    code: Vec<Ins>,
    labels: usize,
}

type Gened = Result<(), Unexpressible>;

impl Gen {
    fn label(&mut self) -> Label {
        self.labels += 1;
        Label(self.labels - 1)
    }

    fn place(&mut self, l: Label) {
        self.code.push(Ins::Place(l));
    }

    fn load(&mut self, size: u16, at: u32) {
        self.code.push(Ins::Stmt(stmt(op::LD | size | op::ABS, at)));
    }

    fn jump(&mut self, jop: u16, k: u32, t: Label, f: Label) {
        self.code.push(Ins::Jump { code: op::JMP | jop | op::K, k, t, f });
    }

    fn ja(&mut self, l: Label) {
        self.code.push(Ins::Ja(l));
    }

    /// `first` then `second` must hold: runs `first` to a fresh label, then `second`.
    fn both(
        &mut self,
        t: Label,
        f: Label,
        first: impl FnOnce(&mut Self, Label, Label) -> Gened,
        second: impl FnOnce(&mut Self, Label, Label) -> Gened,
    ) -> Gened {
        let mid = self.label();
        first(self, mid, f)?;
        self.place(mid);
        second(self, t, f)
    }

    /// `first` or else `second`.
    fn either(
        &mut self,
        t: Label,
        f: Label,
        first: impl FnOnce(&mut Self, Label, Label) -> Gened,
        second: impl FnOnce(&mut Self, Label, Label) -> Gened,
    ) -> Gened {
        let mid = self.label();
        first(self, t, mid)?;
        self.place(mid);
        second(self, t, f)
    }

    fn node(&mut self, n: &Node, t: Label, f: Label) -> Gened {
        match n {
            Node::All => {
                self.ja(t);
                Ok(())
            }
            Node::Or(a, b) => self.either(t, f, |g, t, f| g.node(a, t, f), |g, t, f| g.node(b, t, f)),
            Node::And(a, b) => self.both(t, f, |g, t, f| g.node(a, t, f), |g, t, f| g.node(b, t, f)),
            Node::Not(a) => self.node(a, f, t),
            Node::Prim(test) => self.test(test, t, f),
        }
    }

    /// The frame carries network protocol `p`.
    fn is(&mut self, test: &Test, p: NetProto, t: Label, f: Label) -> Gened {
        match self.link.kind {
            LinkKind::EtherType(at) => {
                self.load(op::H, at);
                self.jump(op::JEQ, p.ethertype(), t, f);
            }
            LinkKind::IpVersion => match p {
                NetProto::V4 | NetProto::V6 => {
                    self.load(op::B, 0);
                    self.code.push(Ins::Stmt(stmt(op::ALU | op::AND | op::K, 0xF0)));
                    self.jump(op::JEQ, if p == NetProto::V4 { 0x40 } else { 0x60 }, t, f);
                }
                NetProto::Arp | NetProto::Rarp => self.ja(f),
            },
            LinkKind::Only(q) => self.ja(if p == q { t } else { f }),
            LinkKind::NullFamily | LinkKind::Unknown => {
                return Err(Unexpressible {
                    part: test.to_string(),
                    reason: format!(
                        "pktlab compiles no BPF for link type {} ({}); the filter runs in user space",
                        self.link_type,
                        linktype::name(self.link_type)
                    ),
                });
            }
        }
        Ok(())
    }

    /// The byte at `at` is one of `values`.
    fn byte_in(&mut self, at: u32, values: &[u32], t: Label, f: Label) {
        self.load(op::B, at);
        for (i, v) in values.iter().enumerate() {
            if i + 1 == values.len() {
                self.jump(op::JEQ, *v, t, f);
            } else {
                let next = self.label();
                self.jump(op::JEQ, *v, t, next);
                self.place(next);
            }
        }
    }

    /// IPv4 with protocol `n`.
    fn ipv4_next(&mut self, test: &Test, n: u32, t: Label, f: Label) -> Gened {
        let nl = self.link.nl;
        self.both(t, f, |g, t, f| g.is(test, NetProto::V4, t, f), |g, t, f| {
            g.byte_in(nl + 9, &[n], t, f);
            Ok(())
        })
    }

    /// IPv6 with next header `n`, directly or after one fragment header.
    fn ipv6_next(&mut self, test: &Test, n: u32, t: Label, f: Label) -> Gened {
        let nl = self.link.nl;
        self.both(t, f, |g, t, f| g.is(test, NetProto::V6, t, f), |g, t, f| {
            let (frag, after_frag) = (g.label(), g.label());
            g.load(op::B, nl + 6);
            g.jump(op::JEQ, n, t, frag);
            g.place(frag);
            g.jump(op::JEQ, IPV6_FRAGMENT, after_frag, f);
            g.place(after_frag);
            g.byte_in(nl + 40, &[n], t, f);
            Ok(())
        })
    }

    /// The masked words at `at` equal `addr`; words with an empty mask are not read.
    fn addr_at(&mut self, at: u32, addr: &[u32], mask: &[u32], t: Label, f: Label) {
        let words: Vec<(u32, u32, u32)> = (0..addr.len())
            .filter(|&i| mask[i] != 0)
            .map(|i| (at + 4 * i as u32, addr[i], mask[i]))
            .collect();
        if words.is_empty() {
            self.ja(t);
        }
        for (i, (off, a, m)) in words.iter().enumerate() {
            self.load(op::W, *off);
            if *m != u32::MAX {
                self.code.push(Ins::Stmt(stmt(op::ALU | op::AND | op::K, *m)));
            }
            if i + 1 == words.len() {
                self.jump(op::JEQ, *a, t, f);
            } else {
                let next = self.label();
                self.jump(op::JEQ, *a, next, f);
                self.place(next);
            }
        }
    }

    fn by_dir(
        &mut self,
        dir: Dir,
        t: Label,
        f: Label,
        mut side: impl FnMut(&mut Self, bool, Label, Label) -> Gened,
    ) -> Gened {
        match dir {
            Dir::Src => side(self, true, t, f),
            Dir::Dst => side(self, false, t, f),
            Dir::SrcOrDst => {
                let mid = self.label();
                side(self, true, t, mid)?;
                self.place(mid);
                side(self, false, t, f)
            }
            Dir::SrcAndDst => {
                let mid = self.label();
                side(self, true, mid, f)?;
                self.place(mid);
                side(self, false, t, f)
            }
        }
    }

    /// The 16-bit value in A is in `lo..=hi`.
    fn in_range(&mut self, lo: u16, hi: u16, t: Label, f: Label) {
        if lo == hi {
            self.jump(op::JEQ, u32::from(lo), t, f);
        } else {
            let upper = self.label();
            self.jump(op::JGE, u32::from(lo), upper, f);
            self.place(upper);
            self.jump(op::JGT, u32::from(hi), f, t);
        }
    }

    fn test(&mut self, test: &Test, t: Label, f: Label) -> Gened {
        let nl = self.link.nl;
        match *test {
            Test::Proto(Proto::Ip) => self.is(test, NetProto::V4, t, f),
            Test::Proto(Proto::Ip6) => self.is(test, NetProto::V6, t, f),
            Test::Proto(Proto::Arp) => self.is(test, NetProto::Arp, t, f),
            Test::Proto(Proto::Icmp) => self.ipv4_next(test, 1, t, f),
            Test::Proto(Proto::Icmp6) => self.ipv6_next(test, 58, t, f),
            Test::Proto(p) => self.either(
                t,
                f,
                |g, t, f| g.ipv4_next(test, ip_number(p), t, f),
                |g, t, f| g.ipv6_next(test, ip_number(p), t, f),
            ),
            Test::Addr { proto, dir, net: Net::V4 { addr, mask } } => {
                let all = [(NetProto::V4, 12, 16), (NetProto::Arp, 14, 24), (NetProto::Rarp, 14, 24)];
                let families = if proto == Some(Proto::Ip) { &all[..1] } else { &all[..] };
                for (i, &(p, src, dst)) in families.iter().enumerate() {
                    let next = if i + 1 == families.len() { f } else { self.label() };
                    self.both(t, next, |g, t, f| g.is(test, p, t, f), |g, t, f| {
                        g.by_dir(dir, t, f, |g, is_src, t, f| {
                            g.addr_at(nl + if is_src { src } else { dst }, &[addr], &[mask], t, f);
                            Ok(())
                        })
                    })?;
                    if next != f {
                        self.place(next);
                    }
                }
                Ok(())
            }
            Test::Addr { dir, net: Net::V6 { addr, mask }, .. } => {
                self.both(t, f, |g, t, f| g.is(test, NetProto::V6, t, f), |g, t, f| {
                    g.by_dir(dir, t, f, |g, is_src, t, f| {
                        g.addr_at(nl + if is_src { 8 } else { 24 }, &addr, &mask, t, f);
                        Ok(())
                    })
                })
            }
            Test::Ports { proto, dir, lo, hi } => {
                let protos = port_protos(proto);
                self.either(
                    t,
                    f,
                    |g, t, f| {
                        // IPv6: the transport header right after the fixed header.
                        g.both(t, f, |g, t, f| g.is(test, NetProto::V6, t, f), |g, t, f| {
                            g.both(
                                t,
                                f,
                                |g, t, f| {
                                    g.byte_in(nl + 6, protos, t, f);
                                    Ok(())
                                },
                                |g, t, f| {
                                    g.by_dir(dir, t, f, |g, is_src, t, f| {
                                        g.load(op::H, nl + if is_src { 40 } else { 42 });
                                        g.in_range(lo, hi, t, f);
                                        Ok(())
                                    })
                                },
                            )
                        })
                    },
                    |g, t, f| {
                        // IPv4: first fragments only, after the header length the IHL says.
                        g.both(t, f, |g, t, f| g.is(test, NetProto::V4, t, f), |g, t, f| {
                            let first_fragment = g.label();
                            let ports = g.label();
                            g.byte_in(nl + 9, protos, first_fragment, f);
                            g.place(first_fragment);
                            g.load(op::H, nl + 6);
                            g.jump(op::JSET, IPV4_FRAG_OFFSET, f, ports);
                            g.place(ports);
                            g.by_dir(dir, t, f, |g, is_src, t, f| {
                                g.code.push(Ins::Stmt(stmt(op::LDX | op::B | op::MSH, nl)));
                                g.code.push(Ins::Stmt(stmt(op::LD | op::H | op::IND, nl + if is_src { 0 } else { 2 })));
                                g.in_range(lo, hi, t, f);
                                Ok(())
                            })
                        })
                    },
                )
            }
            Test::Less(n) => {
                self.code.push(Ins::Stmt(stmt(op::LD | op::W | op::LEN, 0)));
                self.jump(op::JGT, n, f, t);
                Ok(())
            }
            Test::Greater(n) => {
                self.code.push(Ins::Stmt(stmt(op::LD | op::W | op::LEN, 0)));
                self.jump(op::JGE, n, t, f);
                Ok(())
            }
        }
    }
}

/// Lays the code out and resolves labels: conditional jumps farther than 255 become
/// `jcond +0/+1` over two `ja`s.
fn assemble(code: Vec<Ins>) -> Vec<SockFilter> {
    let code = simplify(code);
    let labels = code.iter().filter_map(|i| if let Ins::Place(l) = i { Some(l.0 + 1) } else { None }).max().unwrap_or(0);
    let mut wide = vec![false; code.len()];
    let mut at = vec![0usize; labels];
    let mut pos = vec![0usize; code.len()];
    loop {
        let mut n = 0;
        for (i, ins) in code.iter().enumerate() {
            pos[i] = n;
            match ins {
                Ins::Place(l) => at[l.0] = n,
                Ins::Jump { .. } if wide[i] => n += 3,
                _ => n += 1,
            }
        }
        let mut changed = false;
        for (i, ins) in code.iter().enumerate() {
            if let Ins::Jump { t, f, .. } = ins
                && !wide[i]
                && (at[t.0] - pos[i] - 1 > 255 || at[f.0] - pos[i] - 1 > 255)
            {
                wide[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut out = Vec::new();
    for (i, ins) in code.iter().enumerate() {
        let p = pos[i];
        match *ins {
            Ins::Stmt(s) => out.push(s),
            Ins::Place(_) => {}
            Ins::Ja(l) => out.push(stmt(op::JMP | op::JA, (at[l.0] - p - 1) as u32)),
            Ins::Jump { code, k, t, f } if wide[i] => {
                out.push(SockFilter { code, jt: 0, jf: 1, k });
                out.push(stmt(op::JMP | op::JA, (at[t.0] - p - 2) as u32));
                out.push(stmt(op::JMP | op::JA, (at[f.0] - p - 3) as u32));
            }
            Ins::Jump { code, k, t, f } => {
                out.push(SockFilter { code, jt: (at[t.0] - p - 1) as u8, jf: (at[f.0] - p - 1) as u8, k });
            }
        }
    }
    out
}

/// Small clean-ups until nothing changes: jumps to a `ja` go straight to its target; code
/// after a jump or `ret` that no label reaches goes; labels nothing jumps to go; a `ja` to
/// the next instruction goes. (Constant tests, e.g. `arp` on raw IP, leave such code.)
fn simplify(mut code: Vec<Ins>) -> Vec<Ins> {
    loop {
        let before = code.clone();
        // Where each label leads, through `ja`s.
        let n_labels = code.iter().filter_map(|i| if let Ins::Place(l) = i { Some(l.0 + 1) } else { None }).max().unwrap_or(0);
        let mut leads = (0..n_labels).map(Label).collect::<Vec<_>>();
        for (i, ins) in code.iter().enumerate() {
            if let Ins::Place(l) = ins
                && let Some(Ins::Ja(to)) = code[i + 1..].iter().find(|n| !matches!(n, Ins::Place(_)))
            {
                leads[l.0] = *to;
            }
        }
        let resolve = |mut l: Label| {
            // Jumps only go forward, so following `ja`s ends.
            while leads[l.0] != l {
                l = leads[l.0];
            }
            l
        };
        for ins in code.iter_mut() {
            match ins {
                Ins::Jump { t, f, .. } => {
                    *t = resolve(*t);
                    *f = resolve(*f);
                }
                Ins::Ja(l) => *l = resolve(*l),
                _ => {}
            }
        }
        let mut used = vec![false; n_labels];
        for ins in &code {
            match ins {
                Ins::Jump { t, f, .. } => {
                    used[t.0] = true;
                    used[f.0] = true;
                }
                Ins::Ja(l) => used[l.0] = true,
                _ => {}
            }
        }
        let mut out = Vec::with_capacity(code.len());
        let mut reachable = true;
        for (i, ins) in code.iter().enumerate() {
            match ins {
                Ins::Place(l) if !used[l.0] => {}
                Ins::Place(_) => {
                    reachable = true;
                    out.push(*ins);
                }
                _ if !reachable => {}
                Ins::Ja(l) => {
                    reachable = false;
                    let next = code[i + 1..].iter().take_while(|n| matches!(n, Ins::Place(_)));
                    if !next.clone().any(|n| matches!(n, Ins::Place(p) if p == l)) {
                        out.push(*ins);
                    }
                }
                // A conditional jump never falls through: both ways are labels.
                Ins::Jump { .. } => {
                    reachable = false;
                    out.push(*ins);
                }
                Ins::Stmt(s) if s.code & 0x07 == op::RET => {
                    reachable = false;
                    out.push(*ins);
                }
                _ => out.push(*ins),
            }
        }
        code = out;
        if code == before {
            return code;
        }
    }
}

impl fmt::Display for SockFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{ {:#06x}, {}, {}, {:#010x} }}", self.code, self.jt, self.jf, self.k)
    }
}
