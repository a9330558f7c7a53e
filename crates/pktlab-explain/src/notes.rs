//! What a field's value means in this frame: one or two sentences computed from the value,
//! its neighbours in the dissection and the frame's bytes (e.g. "shift 7 → window × 128",
//! "MSS 1460 = 1500 − 20 − 20", "checksum wrong, computed 0x1234, likely offload").
//!
//! Contract: never panics on any dissection or frame (every byte access goes through `.get()`);
//! returns `None` when there is nothing specific to say about this value.

use super::Lang;
use crate::dissect::{Dissection, Field, Layer, Value};

/// Picks the Korean or the English expression; only the chosen one is evaluated.
macro_rules! say {
    ($lang:expr, $ko:expr, $en:expr $(,)?) => {
        match $lang {
            Lang::Ko => $ko,
            Lang::En => $en,
        }
    };
}

/// The note for `d.fields[i]`, if there is one.
pub fn note(d: &Dissection, frame: &[u8], i: usize, lang: Lang) -> Option<String> {
    let f = d.fields.get(i)?;
    let cx = Cx { d, frame, i, f, lang };
    let text = notes_for(&cx)?;
    Some(if lang == Lang::Ko { fix_josa(&text) } else { text })
}

fn notes_for(cx: &Cx<'_>) -> Option<String> {
    let lang = cx.lang;
    let name = cx.f.def.abbrev;
    match name {
        "frame.len" | "frame.cap_len" => cx.frame_len(),
        "frame.time_delta" | "frame.time_delta_displayed" | "tcp.time_delta" | "udp.time_delta" => cx.delta(),
        "frame.time_relative" | "tcp.time_relative" | "udp.time_relative" => cx.since(),
        "frame.encap_type" => cx.encap(),
        "frame.protocols" => cx.protocols(),
        "eth.dst" | "eth.src" | "eth.addr" | "arp.src.hw_mac" | "arp.dst.hw_mac" | "sll.src.eth" => cx.mac(),
        "eth.type" | "vlan.etype" | "sll.etype" | "sll.ltype" | "arp.proto.type" | "gre.proto" => cx.ethertype(),
        "vlan.id" => cx.vlan_id(),
        "vlan.priority" => cx.pcp(),
        "arp.opcode" => cx.arp_opcode(),
        "sll.pkttype" => cx.sll_pkttype(),
        "sll.hatype" | "arp.hw.type" => cx.hatype(),
        "null.family" => cx.null_family(),
        "ip.version" | "ipv6.version" => cx.ip_version(),
        "ip.hdr_len" => cx.ip_hdr_len(),
        "ip.len" => cx.ip_len(),
        "ip.dsfield.dscp" | "ipv6.tclass.dscp" => cx.dscp(),
        "ip.dsfield.ecn" | "ipv6.tclass.ecn" => cx.ecn(),
        "ip.flags.df" => cx.df(),
        "ip.flags.mf" | "ipv6.fraghdr.more" => cx.mf(),
        "ip.flags.rb" => cx.rb(),
        "ip.frag_offset" | "ipv6.fraghdr.offset" => cx.frag_offset(),
        "ip.ttl" | "ipv6.hlim" => cx.ttl(),
        "ip.proto" | "ipv6.nxt" | "ipv6.hopopts.nxt" | "ipv6.routing.nxt" | "ipv6.fraghdr.nxt" | "ipv6.dstopts.nxt" => {
            cx.ip_proto()
        }
        "ip.src" | "ip.dst" | "ip.addr" | "arp.src.proto_ipv4" | "arp.dst.proto_ipv4" => cx.ipv4_addr(),
        "ipv6.src" | "ipv6.dst" | "ipv6.addr" => cx.ipv6_addr(),
        "ipv6.plen" => cx.ipv6_plen(),
        "ipv6.flow" => cx.ipv6_flow(),
        "ip.checksum" => cx.ip_checksum(),
        "ip.checksum.status" | "tcp.checksum.status" | "udp.checksum.status" | "icmp.checksum.status"
        | "icmpv6.checksum.status" => cx.checksum_status(),
        "tcp.checksum" | "udp.checksum" => cx.l4_checksum(),
        "tcp.srcport" | "tcp.dstport" | "tcp.port" | "udp.srcport" | "udp.dstport" | "udp.port" => cx.port(),
        "tcp.stream" | "udp.stream" => cx.stream(),
        "tcp.seq" => cx.tcp_seq(),
        "tcp.seq_raw" => cx.tcp_seq_raw(),
        "tcp.nxtseq" => cx.tcp_nxtseq(),
        "tcp.ack" => cx.tcp_ack(),
        "tcp.ack_raw" => cx.tcp_ack_raw(),
        "tcp.hdr_len" => cx.tcp_hdr_len(),
        "tcp.flags" => cx.tcp_flags(),
        "tcp.flags.str" => cx.tcp_flags(),
        "tcp.window_size_value" => cx.window_value(),
        "tcp.window_size" => cx.window_calc(),
        "tcp.window_size_scalefactor" => cx.scalefactor(),
        "tcp.urgent_pointer" => cx.urgent(),
        "tcp.len" => cx.tcp_len(),
        "tcp.option_kind" => cx.option_kind(),
        "tcp.options.mss_val" => cx.mss(),
        "tcp.options.wscale.shift" => cx.wscale_shift(),
        "tcp.options.wscale.multiplier" => cx.wscale_multiplier(),
        "tcp.options.sack_perm" => Some(say!(
            lang,
            "이 쪽은 선택적 확인 응답(SACK)을 쓸 수 있다고 알려요. 양쪽 SYN에 모두 있어야 이 연결에서 SACK을 써요.".to_owned(),
            "This side offers selective acknowledgments; SACK is used only if both SYNs carry it.".to_owned(),
        )),
        "tcp.options.sack_re" => cx.sack_re(),
        "tcp.options.sack.count" => cx.sack_count(),
        "tcp.options.timestamp.tsval" => cx.tsval(),
        "tcp.options.timestamp.tsecr" => cx.tsecr(),
        "tcp.analysis.ack_rtt" => cx.ack_rtt(),
        "tcp.analysis.initial_rtt" => cx.irtt(),
        "tcp.analysis.bytes_in_flight" => cx.in_flight(),
        "tcp.analysis.acks_frame" => cx.acks_frame(),
        "tcp.analysis.duplicate_ack_num" => cx.dupack_num(),
        "tcp.analysis.duplicate_ack_frame" => cx.uint().map(|n| {
            say!(
                lang,
                format!("프레임 {n}과/와 같은 ACK 번호를 다시 보냈어요. 받는 쪽에 구멍(빠진 세그먼트)이 있다는 뜻이에요."),
                format!("Repeats the ACK number of frame {n}: the receiver has a hole."),
            )
        }),
        "tcp.analysis.push_bytes_sent" => cx.uint().map(|n| {
            say!(
                lang,
                format!("마지막 PSH 이후 이 방향으로 {n}바이트를 보냈어요. 응용 프로그램이 한 번에 쓴(write) 양을 짐작할 수 있어요."),
                format!("{n} bytes sent since the last PSH: roughly one application write."),
            )
        }),
        "tcp.analysis.retransmission" | "tcp.analysis.fast_retransmission" | "tcp.analysis.spurious_retransmission"
        | "tcp.analysis.out_of_order" => cx.resent(),
        "udp.length" => cx.udp_length(),
        "icmp.type" => cx.icmp_type(),
        "icmp.code" => cx.icmp_code(),
        "icmpv6.type" => cx.icmpv6_type(),
        "icmp.mtu" => cx.icmp_mtu(),
        "icmp.resptime" | "icmpv6.resptime" | "dns.time" => cx.ms_note(),
        "eth.dst.ig" | "eth.src.ig" | "eth.ig" => cx.flag_note(
            "그룹(멀티캐스트·브로드캐스트) 주소예요.",
            "개별(unicast) 주소예요. 장비 하나를 가리켜요.",
            "A group (multicast/broadcast) address.",
            "An individual (unicast) address.",
        ),
        "eth.dst.lg" | "eth.src.lg" | "eth.lg" => cx.flag_note(
            "로컬 관리 주소예요(가상 머신, 컨테이너, 무작위 MAC 등).",
            "제조사가 정한 전역 유일 주소예요.",
            "Locally administered (VMs, containers, randomised MACs).",
            "Globally unique, vendor-assigned.",
        ),
        "ip.id" => cx.ip_id(),
        "game.segments" => cx.uint().map(|n| {
            if n > 1 {
                say!(
                    lang,
                    format!("이 메시지는 TCP 세그먼트 {n}개에 나뉘어 왔어요. 받는 쪽은 recv()를 여러 번 불러 길이 필드만큼 모은 뒤에야 처리할 수 있어요."),
                    format!("This message arrived in {n} TCP segments; the receiver had to call recv() several times and gather length-field bytes before handling it."),
                )
            } else {
                say!(lang, "이 메시지는 세그먼트 하나에 통째로 들어 있어요.".to_owned(), "The whole message is in one segment.".to_owned())
            }
        }),
        "game.msg_len" => cx.uint().map(|n| {
            say!(
                lang,
                format!("길이 필드 값 {n}: 받는 쪽은 헤더를 읽은 뒤 이만큼의 바이트가 더 모일 때까지 기다려요(설명 파일의 length_includes_header에 따라 헤더 포함 여부가 달라요)."),
                format!("Length {n}: after the header the receiver waits for this many bytes (whether the header counts depends on length_includes_header)."),
            )
        }),
        "frame.time_epoch" | "frame.time" => cx.utc_time(),
        "vxlan.vni" => cx.uint().map(|n| {
            say!(
                lang,
                format!("가상 네트워크 {n}번의 프레임이에요. 안쪽 이더넷 프레임은 이 가상 네트워크 안에서만 보여요."),
                format!("A frame of virtual network {n}; the inner Ethernet frame belongs to that network only."),
            )
        }),
        "dns.flags.rcode" => cx.dns_rcode(),
        "dns.qry.type" | "dns.resp.type" => cx.dns_type(),
        "dns.resp.ttl" => cx.dns_ttl(),
        "dns.flags.response" => cx.flag_note("응답(response)이에요.", "질의(query)예요.", "A response.", "A query."),
        "data.len" | "tcp.payload" | "udp.payload" | "data.data" => cx.payload_len(),
        _ => None,
    }
}

/// Korean particles that depend on the preceding syllable, written `A/B` in the note
/// templates (`{n}을/를`): A after a final consonant (받침), B after a vowel.
const JOSA: &[(&str, &str, &str)] = &[
    ("이라서/라서", "이라서", "라서"),
    ("이에요/예요", "이에요", "예요"),
    ("이어야/여야", "이어야", "여야"),
    ("으로/로", "으로", "로"),
    ("은/는", "은", "는"),
    ("을/를", "을", "를"),
    ("과/와", "과", "와"),
    ("이/가", "이", "가"),
];

/// Whether the word before `before` ends in a final consonant, and whether that consonant is
/// ㄹ (which takes 로, not 으로). Numbers are read in Sino-Korean (1460 → 천사백육십), Latin
/// letters by their Korean names (a 에이, m 엠). Text in parentheses is skipped.
fn final_consonant(before: &str) -> Option<(bool, bool)> {
    let mut depth = 0;
    let chars: Vec<char> = before.chars().collect();
    let mut k = chars.len();
    while k > 0 {
        k -= 1;
        let c = chars[k];
        if c == ')' {
            depth += 1;
            continue;
        }
        if c == '(' && depth > 0 {
            depth -= 1;
            continue;
        }
        if depth > 0 {
            continue;
        }
        return match c {
            '가'..='힣' => {
                let jong = (c as u32 - 0xac00) % 28;
                Some((jong != 0, jong == 8))
            }
            '0' | '3' | '6' => Some((true, false)),
            '1' | '7' | '8' => Some((true, true)),
            '2' | '4' | '5' | '9' => Some((false, false)),
            'l' | 'r' | 'L' | 'R' => Some((true, true)),
            'm' | 'n' | 'M' | 'N' => Some((true, false)),
            c if c.is_ascii_alphabetic() => Some((false, false)),
            _ => None,
        };
    }
    None
}

/// Resolves every `A/B` particle marker in a Korean note.
fn fix_josa(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'scan: while !rest.is_empty() {
        for (marker, with, without) in JOSA {
            if let Some(after) = rest.strip_prefix(marker) {
                let (batchim, rieul) = final_consonant(&out).unwrap_or((true, false));
                let pick = if *marker == "으로/로" { if batchim && !rieul { with } else { without } } else if batchim { with } else { without };
                out.push_str(pick);
                rest = after;
                continue 'scan;
            }
        }
        let mut it = rest.chars();
        if let Some(c) = it.next() {
            out.push(c);
        }
        rest = it.as_str();
    }
    out
}

/// Everything a note may look at.
struct Cx<'a> {
    d: &'a Dissection,
    frame: &'a [u8],
    i: usize,
    f: &'a Field,
    lang: Lang,
}

/// An integer from a value (unsigned, non-negative signed, or a boolean as 0/1).
fn uint_of(v: &Value) -> Option<u64> {
    match *v {
        Value::UInt(n) => Some(n),
        Value::Int(n) if n >= 0 => Some(n as u64),
        Value::Bool(b) => Some(b as u64),
        _ => None,
    }
}

/// One's-complement sum of 16-bit big-endian words (an odd last byte is padded with 0).
fn ones_sum(mut acc: u32, bytes: &[u8]) -> u32 {
    let mut chunks = bytes.chunks_exact(2);
    for c in &mut chunks {
        acc = acc.wrapping_add(u32::from(u16::from_be_bytes([c[0], c[1]])));
    }
    if let [last] = chunks.remainder() {
        acc = acc.wrapping_add(u32::from(*last) << 8);
    }
    acc
}

fn fold(mut acc: u32) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    acc as u16
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn ms(ns: i64) -> String {
    let v = ns as f64 / 1e6;
    if v.abs() >= 100.0 { format!("{v:.0}") } else if v.abs() >= 1.0 { format!("{v:.1}") } else { format!("{v:.3}") }
}

/// Thousands separators for byte counts (`65,535`).
fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, ch) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl<'a> Cx<'a> {
    fn uint(&self) -> Option<u64> {
        uint_of(&self.f.value)
    }

    fn layer(&self) -> Option<&'a Layer> {
        self.d.layer_of(self.i as u32)
    }

    /// Another field of the same layer, by name (the first one after the layer's start).
    fn sib(&self, name: &str) -> Option<&'a Field> {
        let l = self.layer()?;
        let fields = self.d.fields.get(l.fields.start as usize..l.fields.end as usize)?;
        fields.iter().find(|f| f.def.abbrev == name)
    }

    fn sib_uint(&self, name: &str) -> Option<u64> {
        self.sib(name).and_then(|f| uint_of(&f.value))
    }

    /// The nearest network layer (`ip`/`ipv6`) before this field's layer.
    fn ip_layer(&self) -> Option<&'a Layer> {
        let l = self.layer()?;
        let pos = self.d.layers.iter().position(|x| std::ptr::eq(x, l))?;
        self.d.layers.get(..pos)?.iter().rev().find(|x| x.proto == "ip" || x.proto == "ipv6")
    }

    fn tcp_flags(&self) -> Option<String> {
        let flags = if self.f.def.abbrev == "tcp.flags" { self.uint()? } else { self.sib_uint("tcp.flags")? };
        let names = [
            (0x002, "SYN"),
            (0x001, "FIN"),
            (0x004, "RST"),
            (0x008, "PSH"),
            (0x010, "ACK"),
            (0x020, "URG"),
            (0x040, "ECE"),
            (0x080, "CWR"),
            (0x100, "AE"),
        ];
        let set: Vec<&str> = names.iter().filter(|(b, _)| flags & b != 0).map(|(_, n)| *n).collect();
        let list = if set.is_empty() { "—".to_owned() } else { set.join("+") };
        let core = flags & 0x017;
        let (ko, en) = match core {
            0x002 => ("연결 요청(SYN): 3-way 핸드셰이크의 첫 단계예요. 클라이언트가 초기 순서 번호와 옵션(MSS, 창 배율, SACK, 타임스탬프)을 알려요.", "Connection request (SYN), step 1 of the handshake: the client's initial sequence number and options."),
            0x012 => ("연결 수락(SYN+ACK): 핸드셰이크의 두 번째 단계예요. 서버가 자기 초기 순서 번호와 옵션을 알리고 클라이언트의 SYN을 확인해요.", "Connection accepted (SYN+ACK), step 2: the server's ISN and options, acknowledging the SYN."),
            0x010 => ("확인 응답(ACK)만 있어요. 데이터가 없으면 순수 ACK, 있으면 일반 데이터 세그먼트예요.", "ACK only: a pure ACK without data, or an ordinary data segment."),
            0x011 => ("연결 종료 요청(FIN+ACK): 이 쪽은 더 보낼 데이터가 없어요. 상대는 아직 보낼 수 있어요(half-close).", "FIN+ACK: this side has no more data to send; the other side may still send (half-close)."),
            0x001 => ("연결 종료(FIN)만 있고 ACK가 없는 드문 조합이에요.", "FIN without ACK: unusual."),
            0x004 | 0x014 => ("연결 강제 종료(RST): 연결을 즉시 끊어요. 닫힌 포트로 SYN을 보냈거나, 응용 프로그램이 소켓을 비정상으로 닫았을 때 나와요. 게임에서는 '서버와 연결이 끊어졌습니다'가 바로 이 순간이에요.", "Reset (RST): the connection is aborted at once — a closed port, or a socket closed abnormally. The 'disconnected from server' moment."),
            0x003 | 0x007 | 0x006 => ("서로 함께 쓰이지 않는 플래그 조합이에요. 조작되었거나 스캐너가 만든 패킷일 수 있어요.", "Flags that never belong together: crafted or scanner traffic."),
            0x000 => ("플래그가 하나도 없어요(NULL 스캔 등). 정상 통신에서는 나오지 않아요.", "No flags at all (e.g. a NULL scan); never seen in normal traffic."),
            _ => ("", ""),
        };
        let push = flags & 0x008 != 0 && flags & 0x007 == 0;
        let extra_ko = if push { " PSH는 받은 데이터를 바로 응용 프로그램에 넘기라는 표시예요." } else { "" };
        let extra_en = if push { " PSH asks the receiver to hand the data to the application now." } else { "" };
        let ecn_ko = if flags & 0x0c0 == 0x0c0 && flags & 0x002 != 0 { " ECE와 CWR이 함께 있는 SYN은 명시적 혼잡 알림(ECN)을 쓰자는 제안이에요." } else { "" };
        let ecn_en = if flags & 0x0c0 == 0x0c0 && flags & 0x002 != 0 { " ECE+CWR on a SYN offers ECN." } else { "" };
        if self.f.def.abbrev == "tcp.flags.str" {
            return Some(say!(self.lang, format!("켜진 플래그: {list}.{extra_ko}"), format!("Flags set: {list}.{extra_en}")));
        }
        let hex = format!("0x{flags:03x}");
        Some(say!(
            self.lang,
            format!("{hex} = {list}. {ko}{extra_ko}{ecn_ko}"),
            format!("{hex} = {list}. {en}{extra_en}{ecn_en}"),
        ))
    }

    fn frame_len(&self) -> Option<String> {
        let wire = if self.f.def.abbrev == "frame.len" { self.uint()? } else { self.sib_uint("frame.len")? };
        let cap = if self.f.def.abbrev == "frame.cap_len" { self.uint()? } else { self.sib_uint("frame.cap_len")? };
        if cap < wire {
            Some(say!(
                self.lang,
                format!("선로 위에서는 {wire}바이트였지만 {cap}바이트만 저장되었어요. 캡처 스냅 길이(snaplen) 때문에 뒤의 {}바이트가 잘려서, 그 부분의 필드는 읽을 수 없어요.", wire - cap),
                format!("{wire} bytes on the wire but only {cap} saved: a snaplen cut the last {} bytes.", wire - cap),
            ))
        } else if cap > wire {
            Some(say!(self.lang, "저장된 길이가 선로 위 길이보다 커요. 있을 수 없는 값이라 레코드가 손상되었을 가능성이 커요.".to_owned(), "Captured length exceeds the wire length: a corrupt record.".to_owned()))
        } else {
            Some(say!(self.lang, format!("{wire}바이트 전부 저장되었어요(잘리지 않았어요)."), format!("All {wire} bytes were saved (not truncated).")))
        }
    }

    fn duration_ns(&self) -> Option<i64> {
        match self.f.value {
            Value::Duration(ns) => Some(ns),
            Value::Float(s) => Some((s * 1e9) as i64),
            _ => None,
        }
    }

    fn delta(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        if ns <= 0 {
            return Some(say!(self.lang, "앞 프레임과 같은 시각(또는 더 이른 시각)에 기록되었어요.".to_owned(), "Recorded at (or before) the previous frame's time.".to_owned()));
        }
        let rate = 1e9 / ns as f64;
        let rate_ko = if rate >= 1.0 { format!(" 이 간격이 이어지면 초당 약 {rate:.0}개예요(60Hz 틱이면 16.7ms).") } else { String::new() };
        let rate_en = if rate >= 1.0 { format!(" At this pace: about {rate:.0} per second (a 60 Hz tick is 16.7 ms).") } else { String::new() };
        Some(say!(self.lang, format!("{} ms 간격이에요.{rate_ko}", ms(ns)), format!("{} ms apart.{rate_en}", ms(ns))))
    }

    fn since(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(say!(self.lang, format!("기준 시점부터 {} ms 지났어요.", ms(ns)), format!("{} ms after the reference.", ms(ns))))
    }

    fn encap(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            1 => ("이더넷(Ethernet)", "Ethernet"),
            7 => ("raw IP(링크 헤더 없음)", "raw IP (no link header)"),
            129 => ("raw IPv4", "raw IPv4"),
            130 => ("raw IPv6", "raw IPv6"),
            15 => ("BSD 루프백(Null)", "BSD loopback (Null)"),
            25 => ("리눅스 쿡드 캡처(SLL)", "Linux cooked (SLL)"),
            210 => ("리눅스 쿡드 캡처 v2(SLL2)", "Linux cooked v2 (SLL2)"),
            23 => ("802.11 + radiotap(무선랜)", "802.11 + radiotap"),
            _ => return None,
        };
        Some(say!(self.lang, format!("{ko} 프레임이에요."), format!("{en} frame.")))
    }

    fn protocols(&self) -> Option<String> {
        if self.d.layers.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .d
            .layers
            .iter()
            .filter(|l| l.proto != "frame")
            .map(|l| say!(self.lang, format!("{}({}계층)", l.proto, l.osi.number()), format!("{} (L{})", l.proto, l.osi.number())))
            .collect();
        Some(say!(self.lang, format!("바깥에서 안쪽으로: {}.", parts.join(" → ")), format!("Outermost first: {}.", parts.join(" → "))))
    }

    fn mac(&self) -> Option<String> {
        let Value::Ether(m) = self.f.value else { return None };
        let (ko, en) = if m == [0xff; 6] {
            ("브로드캐스트 주소예요. 같은 링크의 모든 장비가 받아요(ARP 요청, DHCP 등).", "Broadcast: every device on the link receives it (ARP requests, DHCP).")
        } else if m == [0; 6] {
            ("모두 0인 주소예요. ARP 요청에서는 '아직 모르는 주소'라는 뜻이에요.", "All zeros: 'unknown yet' in an ARP request.")
        } else if m[0] == 0x01 && m[1] == 0x00 && m[2] == 0x5e {
            ("IPv4 멀티캐스트 MAC 주소(01:00:5e로 시작)예요. IP 멀티캐스트 그룹 주소에서 만들어져요.", "IPv4 multicast MAC (01:00:5e…), derived from the group address.")
        } else if m[0] == 0x33 && m[1] == 0x33 {
            ("IPv6 멀티캐스트 MAC 주소(33:33으로 시작)예요. 이웃 탐색(ND)이나 MLD에서 써요.", "IPv6 multicast MAC (33:33…), used by Neighbor Discovery and MLD.")
        } else if m[0] & 1 == 1 {
            ("그룹(멀티캐스트) 주소예요. 여러 장비가 받을 수 있어요.", "A group (multicast) address.")
        } else if m[0] & 2 == 2 {
            ("로컬 관리 주소(LG 비트 1)예요. 가상 머신, 컨테이너, 무작위 MAC에서 흔해요.", "Locally administered (LG bit set): common for VMs, containers and randomised MACs.")
        } else {
            ("제조사가 정한 개별(unicast) 주소예요. 앞 3바이트가 제조사 번호(OUI)예요.", "A vendor-assigned unicast address; the first 3 bytes are the OUI.")
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn ethertype(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0x0800 => ("다음은 IPv4예요.", "IPv4 follows."),
            0x86dd => ("다음은 IPv6예요.", "IPv6 follows."),
            0x0806 => ("다음은 ARP예요.", "ARP follows."),
            0x8100 => ("다음은 802.1Q VLAN 태그예요.", "An 802.1Q VLAN tag follows."),
            0x88a8 => ("다음은 802.1ad(Q-in-Q) 바깥 VLAN 태그예요.", "An 802.1ad (Q-in-Q) outer tag follows."),
            0x88cc => ("다음은 LLDP(이웃 장비 정보)예요.", "LLDP follows."),
            0x8863 | 0x8864 => ("다음은 PPPoE예요. 가정용 인터넷에서 흔하고 MTU가 1492로 줄어요.", "PPPoE follows (MTU drops to 1492)."),
            0x880b => ("다음은 PPP예요(PPTP VPN의 데이터).", "PPP follows (PPTP VPN data)."),
            0x6558 => ("다음은 이더넷 프레임 전체예요(브리지 터널).", "A whole Ethernet frame follows (bridged tunnel)."),
            n if n <= 1500 => ("1500 이하라서 타입이 아니라 802.3 길이 값이에요.", "1500 or less: an 802.3 length, not a type."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn vlan_id(&self) -> Option<String> {
        let id = self.uint()?;
        Some(match id {
            0 => say!(self.lang, "VLAN 0은 VLAN 구분 없이 우선순위(PCP)만 표시하는 태그예요.".to_owned(), "VLAN 0: a priority-only tag, no VLAN membership.".to_owned()),
            4095 => say!(self.lang, "4095는 예약된 값이라 쓰면 안 돼요.".to_owned(), "4095 is reserved.".to_owned()),
            _ => say!(self.lang, format!("VLAN {id}에 속한 프레임이에요. 스위치는 같은 VLAN 포트끼리만 이 프레임을 전달해요."), format!("A frame of VLAN {id}; switches forward it only between ports of that VLAN.")),
        })
    }

    fn pcp(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("기본(best effort)", "best effort"),
            1 => ("배경(background), 가장 낮음", "background (lowest)"),
            2 => ("우수 노력(excellent effort)", "excellent effort"),
            3 => ("중요 응용(critical applications)", "critical applications"),
            4 => ("영상(video, 지연 < 100ms)", "video (< 100 ms latency)"),
            5 => ("음성·영상(voice/video, 지연 < 10ms)", "voice/video (< 10 ms latency)"),
            6 => ("인터넷워크 제어(internetwork control)", "internetwork control"),
            7 => ("네트워크 제어(network control), 가장 높음", "network control (highest)"),
            _ => return None,
        };
        Some(say!(self.lang, format!("우선순위 등급: {ko}."), format!("Priority class: {en}.")))
    }

    fn arp_opcode(&self) -> Option<String> {
        Some(match self.uint()? {
            1 => say!(self.lang, "ARP 요청: '이 IP 주소를 가진 장비는 MAC 주소를 알려 주세요.'".to_owned(), "ARP request: 'who has this IP? tell me your MAC.'".to_owned()),
            2 => say!(self.lang, "ARP 응답: '그 IP 주소는 이 MAC 주소에 있어요.'".to_owned(), "ARP reply: 'that IP is at this MAC.'".to_owned()),
            3 | 4 => say!(self.lang, "RARP(역방향 ARP)예요. 오늘날에는 거의 쓰지 않아요.".to_owned(), "RARP: obsolete.".to_owned()),
            _ => return None,
        })
    }

    fn sll_pkttype(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("이 호스트로 온 패킷(unicast to us)이에요.", "Addressed to this host."),
            1 => ("브로드캐스트로 받은 패킷이에요.", "Received as broadcast."),
            2 => ("멀티캐스트로 받은 패킷이에요.", "Received as multicast."),
            3 => ("다른 호스트로 가는 패킷을 엿들은 것이에요(promiscuous).", "Addressed to another host (seen promiscuously)."),
            4 => ("이 호스트가 보낸 패킷(outgoing)이에요. 체크섬 오프로드 때문에 TCP/UDP 체크섬이 틀려 보일 수 있어요.", "Sent by this host (outgoing): offloaded checksums may look wrong."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn hatype(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            1 => ("이더넷이에요.", "Ethernet."),
            772 => ("루프백(lo) 인터페이스예요.", "The loopback interface."),
            776 => ("IPv6-in-IPv4 터널(sit)이에요.", "An IPv6-in-IPv4 tunnel (sit)."),
            65534 => ("주소가 없는 인터페이스(tun 등)예요.", "An interface without link addresses (tun)."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn null_family(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            2 => ("AF_INET: 다음은 IPv4예요.", "AF_INET: IPv4 follows."),
            24 => ("AF_INET6(NetBSD/OpenBSD): 다음은 IPv6예요.", "AF_INET6 (NetBSD/OpenBSD): IPv6 follows."),
            28 => ("AF_INET6(FreeBSD): 다음은 IPv6예요.", "AF_INET6 (FreeBSD): IPv6 follows."),
            30 => ("AF_INET6(macOS): 다음은 IPv6예요.", "AF_INET6 (macOS): IPv6 follows."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn ip_version(&self) -> Option<String> {
        Some(match self.uint()? {
            4 => say!(self.lang, "IPv4 패킷이에요.".to_owned(), "An IPv4 packet.".to_owned()),
            6 => say!(self.lang, "IPv6 패킷이에요.".to_owned(), "An IPv6 packet.".to_owned()),
            n => say!(self.lang, format!("버전 {n}은/는 올바르지 않아요."), format!("Version {n} is invalid.")),
        })
    }

    fn ip_hdr_len(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n < 20 {
            say!(self.lang, format!("{n}바이트는 최소 20바이트보다 작아서 잘못된 헤더예요."), format!("{n} bytes is below the 20-byte minimum: invalid."))
        } else if n == 20 {
            say!(self.lang, format!("20바이트: 옵션 없는 기본 헤더예요(필드 값 {}, 단위 4바이트).", n / 4), format!("20 bytes: the basic header without options (field value {} × 4).", n / 4))
        } else {
            say!(self.lang, format!("{n}바이트 = 기본 20 + 옵션 {}바이트예요(필드 값 {} × 4).", n - 20, n / 4), format!("{n} = 20 + {} bytes of options (field value {} × 4).", n - 20, n / 4))
        })
    }

    fn ip_len(&self) -> Option<String> {
        let total = self.uint()?;
        let hl = self.sib_uint("ip.hdr_len").unwrap_or(20);
        if total < hl {
            return Some(say!(self.lang, format!("전체 길이 {total}이/가 헤더 길이 {hl}보다 작아서 잘못된 값이에요."), format!("Total length {total} is less than the header length {hl}: invalid.")));
        }
        Some(say!(
            self.lang,
            format!("IP 헤더 {hl}바이트 + 데이터 {}바이트 = {total}바이트예요.", total - hl),
            format!("{hl}-byte IP header + {} bytes of data = {total}.", total - hl),
        ))
    }

    fn dscp(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("기본(CS0, best effort): 특별한 대우 없이 보내요.", "Default (CS0, best effort)."),
            8 => ("CS1: 낮은 우선순위(백그라운드 전송).", "CS1: low priority (bulk/background)."),
            10 | 12 | 14 => ("AF1x: 보장 전달 1등급.", "AF1x: assured forwarding class 1."),
            18 | 20 | 22 => ("AF2x: 보장 전달 2등급.", "AF2x: assured forwarding class 2."),
            26 | 28 | 30 => ("AF3x: 보장 전달 3등급(멀티미디어 스트리밍 등).", "AF3x: assured forwarding class 3."),
            34 | 36 | 38 => ("AF4x: 보장 전달 4등급(화상 회의 등).", "AF4x: assured forwarding class 4 (video conferencing)."),
            46 => ("EF(Expedited Forwarding): 음성처럼 지연에 민감한 트래픽용 최우선 등급이에요. 게임 음성 채팅에 쓰기도 해요.", "EF: expedited forwarding for latency-critical traffic such as voice."),
            48 => ("CS6: 네트워크 제어(라우팅 프로토콜).", "CS6: network control (routing)."),
            56 => ("CS7: 예약된 최고 등급.", "CS7: reserved, highest."),
            n => return Some(say!(self.lang, format!("DSCP {n}: 표준 등급 이름이 없는 값이에요."), format!("DSCP {n}: no standard class name."))),
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn ecn(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("Not-ECT: 이 흐름은 명시적 혼잡 알림(ECN)을 쓰지 않아요.", "Not-ECT: this flow does not use ECN."),
            1 => ("ECT(1): ECN을 지원하는 전송이에요(L4S 등).", "ECT(1): ECN-capable transport (e.g. L4S)."),
            2 => ("ECT(0): ECN을 지원하는 전송이에요. 혼잡할 때 라우터가 버리지 않고 표시만 할 수 있어요.", "ECT(0): ECN-capable; a congested router may mark instead of drop."),
            3 => ("CE(Congestion Experienced): 중간 라우터가 혼잡을 겪었다고 표시했어요. 받는 쪽은 보내는 쪽에 속도를 줄이라고 알려요.", "CE: a router on the path signalled congestion; the sender should slow down."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn df(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            say!(self.lang, "단편화 금지(DF)가 켜져 있어요. 경로 중간에 더 작은 MTU가 있으면 라우터는 패킷을 쪼개지 않고 버린 뒤 ICMP 'fragmentation needed'를 돌려보내요. 이것이 경로 MTU 탐색(PMTUD)의 원리예요.".to_owned(), "Don't Fragment is set: a smaller MTU on the path drops the packet and returns ICMP 'fragmentation needed' — the basis of Path MTU Discovery.".to_owned())
        } else {
            say!(self.lang, "단편화 허용: MTU가 작은 링크를 만나면 라우터가 이 패킷을 조각낼 수 있어요.".to_owned(), "Fragmentation allowed: a router may split this packet on a smaller-MTU link.".to_owned())
        })
    }

    fn mf(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            say!(self.lang, "뒤에 조각(fragment)이 더 있어요. 모든 조각이 도착해야 원래 패킷을 재조립할 수 있어요.".to_owned(), "More fragments follow; all must arrive to reassemble the packet.".to_owned())
        } else {
            say!(self.lang, "더 이상 조각이 없어요. 조각 오프셋이 0이면 조각나지 않은 패킷이고, 0보다 크면 마지막 조각이에요.".to_owned(), "No more fragments: unfragmented if the offset is 0, otherwise the last fragment.".to_owned())
        })
    }

    fn rb(&self) -> Option<String> {
        Some(if self.uint()? == 1 {
            say!(self.lang, "예약 비트가 1이에요. 규격상 항상 0이어야 하므로 조작된 패킷일 수 있어요.".to_owned(), "The reserved bit is set; it must be 0, so the packet may be crafted.".to_owned())
        } else {
            say!(self.lang, "예약 비트는 규격대로 0이에요.".to_owned(), "Reserved bit is 0, as required.".to_owned())
        })
    }

    fn frag_offset(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n == 0 {
            say!(self.lang, "오프셋 0: 원래 데이터의 맨 앞부분이에요(조각나지 않았거나 첫 조각).".to_owned(), "Offset 0: the start of the data (unfragmented or the first fragment).".to_owned())
        } else {
            say!(self.lang, format!("8바이트 단위라서 {n} × 8 = 원래 데이터의 {}번째 바이트부터예요. 이 조각에는 전송 계층 헤더(포트)가 없어요.", n * 8), format!("In 8-byte units: {n} × 8 = byte {} of the original data. This fragment has no transport header (no ports).", n * 8))
        })
    }

    fn ttl(&self) -> Option<String> {
        let t = self.uint()?;
        if t == 0 {
            return Some(say!(self.lang, "0이면 받는 즉시 버려져야 해요.".to_owned(), "0: must be dropped on arrival.".to_owned()));
        }
        if t == 1 {
            return Some(say!(self.lang, "1이면 다음 라우터를 넘지 못해요. 같은 링크 안에서만 쓰는 패킷(멀티캐스트 제어, traceroute의 첫 탐침)이에요.".to_owned(), "1: cannot cross a router — link-local control traffic or the first traceroute probe.".to_owned()));
        }
        if t == 255 {
            return Some(say!(self.lang, "255는 최댓값이에요. 라우터 같은 네트워크 장비가 보냈거나, 이웃 탐색(ND)처럼 같은 링크에서 왔음을 증명해야 하는 패킷이에요.".to_owned(), "255, the maximum: network devices and link-local protocols (ND) that must prove they were not routed.".to_owned()));
        }
        let init = if t <= 64 { 64 } else if t <= 128 { 128 } else { 255 };
        let os_ko = match init {
            64 => "리눅스, macOS, 안드로이드, iOS",
            128 => "윈도우",
            _ => "네트워크 장비나 일부 유닉스",
        };
        let os_en = match init {
            64 => "Linux, macOS, Android, iOS",
            128 => "Windows",
            _ => "network gear or some Unix systems",
        };
        let hops = init - t;
        Some(if hops == 0 {
            say!(self.lang, format!("흔한 초기값 {init}({os_ko}) 그대로예요. 보낸 쪽과 같은 네트워크에서 캡처했거나 보낸 호스트에서 캡처한 것이에요."), format!("The common initial value {init} ({os_en}) unchanged: captured on the sender or its own link."))
        } else {
            say!(self.lang, format!("초기값이 {init}({os_ko})였다면 라우터를 {hops}개 지나왔어요. 라우터는 지날 때마다 1씩 줄이고, 0이 되면 버린 뒤 ICMP 시간 초과를 보내요."), format!("If it started at {init} ({os_en}), it crossed {hops} routers. Each router decrements it; at 0 the packet is dropped with an ICMP time-exceeded."))
        })
    }

    fn ip_proto(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("홉별 옵션(Hop-by-Hop Options) 확장 헤더가 이어져요. 경로의 모든 라우터가 읽는 헤더예요.", "A Hop-by-Hop Options header follows, read by every router."),
            1 => ("ICMP가 실려 있어요.", "ICMP is carried."),
            2 => ("IGMP(멀티캐스트 그룹 관리)가 실려 있어요.", "IGMP (multicast group membership)."),
            4 => ("IPv4 안에 IPv4가 들어 있는 터널(IP-in-IP)이에요.", "IPv4-in-IP tunnel."),
            6 => ("TCP가 실려 있어요.", "TCP is carried."),
            17 => ("UDP가 실려 있어요.", "UDP is carried."),
            41 => ("IPv6가 들어 있는 터널(6in4)이에요.", "IPv6 tunnelled (6in4)."),
            43 => ("라우팅(Routing) 확장 헤더가 이어져요.", "A Routing header follows."),
            44 => ("단편(Fragment) 확장 헤더가 이어져요. 보낸 쪽이 패킷을 조각냈어요.", "A Fragment header follows: the sender fragmented this packet."),
            47 => ("GRE 터널이 실려 있어요.", "GRE tunnel."),
            50 => ("ESP(IPsec 암호화)가 실려 있어요.", "ESP (IPsec encryption)."),
            51 => ("AH(IPsec 인증)가 실려 있어요.", "AH (IPsec authentication)."),
            58 => ("ICMPv6가 실려 있어요.", "ICMPv6 is carried."),
            59 => ("다음 헤더 없음(No Next Header): 뒤에 아무것도 없어요.", "No Next Header: nothing follows."),
            60 => ("목적지 옵션(Destination Options) 확장 헤더가 이어져요.", "A Destination Options header follows."),
            132 => ("SCTP가 실려 있어요.", "SCTP is carried."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn ipv4_addr(&self) -> Option<String> {
        let Value::Ipv4(a) = self.f.value else { return None };
        let (ko, en) = match a {
            [127, ..] => ("루프백 주소예요. 같은 컴퓨터 안에서만 오가고 네트워크 카드를 거치지 않아요(그래서 체크섬이 비어 있는 경우가 많아요).", "Loopback: never leaves the host (checksums are often left unfilled)."),
            [10, ..] => ("사설 주소(10.0.0.0/8)예요. 인터넷으로 나갈 때는 NAT가 공인 주소로 바꿔요.", "Private (10.0.0.0/8); NAT rewrites it on the way to the Internet."),
            [172, b, ..] if (16..=31).contains(&b) => ("사설 주소(172.16.0.0/12)예요. 도커 기본 네트워크도 이 범위를 써요.", "Private (172.16.0.0/12), also Docker's default range."),
            [192, 168, ..] => ("사설 주소(192.168.0.0/16)예요. 가정용 공유기 네트워크에서 흔해요.", "Private (192.168.0.0/16), typical of home routers."),
            [100, b, ..] if (64..=127).contains(&b) => ("통신사 NAT(CGNAT, 100.64.0.0/10) 주소예요. 모바일 플레이어는 이 뒤에 있는 경우가 많아요.", "Carrier-grade NAT (100.64.0.0/10), common for mobile players."),
            [169, 254, ..] => ("링크 로컬 주소(169.254.0.0/16)예요. DHCP로 주소를 받지 못했을 때 스스로 정한 주소예요.", "Link-local (169.254/16): self-assigned when DHCP failed."),
            [0, 0, 0, 0] => ("0.0.0.0: 아직 주소가 없는 장비(DHCP 요청 등)가 출발지로 써요.", "0.0.0.0: a host without an address yet (DHCP)."),
            [255, 255, 255, 255] => ("제한 브로드캐스트 주소예요. 같은 링크의 모두에게 가요.", "Limited broadcast: everyone on the link."),
            [b, ..] if (224..=239).contains(&b) => ("멀티캐스트 그룹 주소(224.0.0.0/4)예요. 그룹에 가입한 장비들이 받아요.", "Multicast group (224.0.0.0/4)."),
            [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _] => ("문서·예제용 주소예요. 실제 인터넷에는 없어요.", "Documentation address, not routed."),
            _ => ("공인(public) 주소예요. 인터넷에서 라우팅돼요.", "A public address, routed on the Internet."),
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn ipv6_addr(&self) -> Option<String> {
        let Value::Ipv6(a) = self.f.value else { return None };
        let w0 = u16::from_be_bytes([a[0], a[1]]);
        let (ko, en) = if a == [0; 16] {
            ("::(지정되지 않은 주소)예요. 주소를 받기 전 장비가 출발지로 써요.", "The unspecified address ::, used before a host has an address.")
        } else if a[..15] == [0; 15] && a[15] == 1 {
            ("::1, 루프백 주소예요. 같은 컴퓨터 안에서만 오가요.", "::1, loopback.")
        } else if a[..10] == [0; 10] && a[10] == 0xff && a[11] == 0xff {
            ("IPv4 매핑 주소(::ffff:a.b.c.d)예요. IPv6 소켓으로 IPv4 상대와 통신할 때 보여요.", "IPv4-mapped (::ffff:a.b.c.d): an IPv6 socket talking to IPv4.")
        } else if w0 & 0xffc0 == 0xfe80 {
            ("링크 로컬 주소(fe80::/10)예요. 같은 링크 안에서만 쓰고 라우터를 넘지 않아요. 이웃 탐색(ND)이 이 주소로 오가요.", "Link-local (fe80::/10): never routed; Neighbor Discovery uses it.")
        } else if a[0] == 0xff {
            ("멀티캐스트 주소(ff00::/8)예요. IPv6에는 브로드캐스트가 없고 멀티캐스트가 대신해요(ff02::1 링크의 모든 노드, ff02::2 모든 라우터).", "Multicast (ff00::/8); IPv6 has no broadcast (ff02::1 all nodes, ff02::2 all routers).")
        } else if a[0] & 0xfe == 0xfc {
            ("고유 로컬 주소(ULA, fc00::/7)예요. IPv4의 사설 주소와 비슷해요.", "Unique local (fc00::/7), like IPv4 private space.")
        } else if w0 == 0x2001 && a[2] == 0 && a[3] == 0 {
            ("Teredo 주소(2001::/32)예요. IPv4 NAT 뒤에서 UDP로 IPv6를 쓰는 터널이에요.", "Teredo (2001::/32): IPv6 over UDP through IPv4 NAT.")
        } else if w0 == 0x2001 && a[2] == 0x0d && a[3] == 0xb8 {
            ("문서·예제용 주소(2001:db8::/32)예요.", "Documentation prefix (2001:db8::/32).")
        } else if w0 == 0x2002 {
            ("6to4 주소(2002::/16)예요. IPv4 주소가 안에 들어 있어요.", "6to4 (2002::/16), embedding an IPv4 address.")
        } else if w0 & 0xe000 == 0x2000 {
            ("전역 유니캐스트(global unicast, 2000::/3) 주소예요. 인터넷에서 라우팅돼요.", "Global unicast (2000::/3), routed on the Internet.")
        } else {
            return None;
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn ipv6_plen(&self) -> Option<String> {
        let n = self.uint()?;
        Some(say!(
            self.lang,
            format!("고정 헤더 40바이트 뒤의 길이예요. 확장 헤더와 상위 계층을 합쳐 {n}바이트이고, 패킷 전체는 {}바이트예요.", n + 40),
            format!("Length after the 40-byte fixed header: {n} bytes of extension headers and upper layer; {} in all.", n + 40),
        ))
    }

    fn ipv6_flow(&self) -> Option<String> {
        Some(if self.uint()? == 0 {
            say!(self.lang, "흐름 레이블(flow label)을 쓰지 않아요(0).".to_owned(), "No flow label (0).".to_owned())
        } else {
            say!(self.lang, "보낸 쪽이 이 흐름에 붙인 레이블이에요. 같은 연결의 패킷은 같은 값을 가져서, 라우터와 부하 분산기(ECMP)가 포트를 보지 않고도 같은 경로로 보낼 수 있어요.".to_owned(), "The sender's label for this flow; routers and ECMP load balancers can keep the flow on one path without reading ports.".to_owned())
        })
    }

    /// Whether this field's layer sits inside an ICMP/ICMPv6 error (a quoted packet).
    fn inside_icmp_error(&self) -> bool {
        let Some(l) = self.layer() else { return false };
        let Some(pos) = self.d.layers.iter().position(|x| std::ptr::eq(x, l)) else { return false };
        self.d.layers.get(..pos).is_some_and(|before| before.iter().any(|x| x.proto == "icmp" || x.proto == "icmpv6"))
    }

    fn offload_hint(&self) -> (String, String) {
        let outgoing = self.d.fields.iter().any(|f| f.def.abbrev == "sll.pkttype" && uint_of(&f.value) == Some(4));
        let loopback = self.d.fields.iter().any(|f| {
            matches!(f.def.abbrev, "ip.src" | "ip.dst") && matches!(f.value, Value::Ipv4([127, ..]))
                || matches!(f.def.abbrev, "ipv6.src" | "ipv6.dst") && matches!(f.value, Value::Ipv6(a) if a[..15] == [0; 15] && a[15] == 1)
        });
        let ko = if outgoing {
            "이 패킷은 캡처한 호스트가 보낸 것(outgoing)으로 기록되어 있어서 체크섬 오프로드(checksum offload)일 가능성이 매우 커요. 운영체제가 체크섬 계산을 네트워크 카드에 맡기면, 캡처 시점에는 아직 채워지지 않은 값이 보이고 실제 선로에는 올바른 값이 나가요."
        } else if loopback {
            "루프백 통신이라 체크섬이 일부러 채워지지 않았을 가능성이 커요. 같은 컴퓨터 안에서는 손상될 일이 없어서 리눅스와 macOS는 계산을 생략해요."
        } else {
            "보낸 호스트에서 캡처했다면 체크섬 오프로드(checksum offload) 때문일 가능성이 커요. 운영체제가 계산을 네트워크 카드에 맡기면 캡처 시점에는 아직 빈 값(또는 부분 합)이 보이고, 선로에는 카드가 채운 올바른 값이 나가요. 받는 쪽에서 캡처했는데 틀렸다면 실제 손상이고, 받는 운영체제는 이 패킷을 버려요."
        };
        let en = if outgoing {
            "The capture marks this packet as outgoing, so checksum offload is almost certain: the NIC fills the checksum after the capture point."
        } else if loopback {
            "Loopback traffic: Linux and macOS skip the checksum because nothing can corrupt it inside the host."
        } else {
            "If captured on the sending host, this is most likely checksum offload (the NIC fills it in after the capture point). Wrong on the receiving side means real corruption, and the receiver drops the packet."
        };
        (ko.to_owned(), en.to_owned())
    }

    fn ip_checksum(&self) -> Option<String> {
        let stored = self.uint()? as u16;
        let l = self.layer()?;
        let src = self.d.source_bytes(self.frame, l.source);
        let start = l.offset as usize;
        let ihl = usize::from(*src.get(start)? & 0x0f) * 4;
        let hdr = src.get(start..start + ihl)?;
        if ihl < 20 {
            return None;
        }
        let mut copy = hdr.to_vec();
        copy[10] = 0;
        copy[11] = 0;
        let computed = !fold(ones_sum(0, &copy));
        Some(self.checksum_verdict(stored, computed, "IPv4 헤더", "IPv4 header"))
    }

    fn checksum_verdict(&self, stored: u16, computed: u16, what_ko: &str, what_en: &str) -> String {
        if stored == computed {
            say!(
                self.lang,
                format!("{what_ko}을/를 다시 계산한 값도 0x{computed:04x}이라서/라서 맞아요. 전송 중에 바뀐 비트가 없다는 뜻이에요(단, 체크섬은 우연한 오류만 잡아요. 조작을 막지는 못해요)."),
                format!("Recomputing the {what_en} checksum gives 0x{computed:04x} too: correct (a checksum catches accidents, not tampering)."),
            )
        } else {
            let (hint_ko, hint_en) = self.offload_hint();
            say!(
                self.lang,
                format!("틀렸어요: 들어 있는 값은 0x{stored:04x}인데 {what_ko}을/를 다시 계산하면 0x{computed:04x}이어야/여야 해요. {hint_ko}"),
                format!("Wrong: 0x{stored:04x} is stored but the {what_en} checksum should be 0x{computed:04x}. {hint_en}"),
            )
        }
    }

    /// Recomputes a TCP or UDP checksum over the pseudo-header and the segment.
    fn l4_checksum(&self) -> Option<String> {
        let stored = self.uint()? as u16;
        let udp = self.f.def.abbrev == "udp.checksum";
        let l = self.layer()?;
        let ip = self.ip_layer()?;
        let ipb = self.d.source_bytes(self.frame, ip.source);
        let ip_off = ip.offset as usize;
        let (mut acc, end) = if ip.proto == "ip" {
            let total = usize::from(be16(ipb, ip_off + 2)?);
            let addrs = ipb.get(ip_off + 12..ip_off + 20)?;
            (ones_sum(0, addrs), ip_off + total)
        } else {
            let plen = usize::from(be16(ipb, ip_off + 4)?);
            let addrs = ipb.get(ip_off + 8..ip_off + 40)?;
            (ones_sum(0, addrs), ip_off + 40 + plen)
        };
        if udp && stored == 0 {
            return Some(if ip.proto == "ip" {
                say!(self.lang, "0은 'IPv4에서 체크섬을 계산하지 않음'이라는 약속이에요. 받는 쪽은 검사하지 않아요. VXLAN 같은 터널은 성능 때문에 일부러 0을 써요.".to_owned(), "0 over IPv4 means 'no checksum computed'; receivers skip the check (tunnels such as VXLAN do this on purpose).".to_owned())
            } else {
                say!(self.lang, "IPv6에서는 UDP 체크섬 0이 허용되지 않아요(IPv6 헤더에 체크섬이 없기 때문이에요). 받는 쪽은 이 데이터그램을 버려야 해요.".to_owned(), "Over IPv6 a zero UDP checksum is not allowed (IPv6 has no header checksum); receivers must drop it.".to_owned())
            });
        }
        if self.inside_icmp_error() {
            return Some(say!(
                self.lang,
                "ICMP 오류 메시지 안에 인용(quote)된 헤더예요. 원래 패킷의 앞부분만 들어 있어서 체크섬을 검증할 수 없고, 틀려 보이는 것이 정상이에요.".to_owned(),
                "A header quoted inside an ICMP error: only the start of the original packet is included, so the checksum cannot be verified (looking wrong is normal).".to_owned(),
            ));
        }
        let seg_src = self.d.source_bytes(self.frame, l.source);
        let start = l.offset as usize;
        let seg_end = if l.source == ip.source { end } else { seg_src.len() };
        let Some(seg) = seg_src.get(start..seg_end) else {
            return Some(say!(self.lang, "패킷이 스냅 길이(snaplen)로 잘려서 세그먼트 전체를 볼 수 없어요. 그래서 체크섬을 검증할 수 없어요.".to_owned(), "The packet was cut by the snaplen, so the checksum cannot be verified.".to_owned()));
        };
        let len = seg.len();
        acc = ones_sum(acc, &[0, if udp { 17 } else { 6 }]);
        acc = ones_sum(acc, &(len as u32).to_be_bytes());
        let mut copy = seg.to_vec();
        let at = if udp { 6 } else { 16 };
        if copy.len() < at + 2 {
            return None;
        }
        copy[at] = 0;
        copy[at + 1] = 0;
        let mut computed = !fold(ones_sum(acc, &copy));
        if udp && computed == 0 {
            computed = 0xffff;
        }
        let (ko, en) = if udp { ("UDP 의사 헤더(pseudo-header)와 데이터그램", "UDP") } else { ("TCP 의사 헤더(pseudo-header)와 세그먼트", "TCP") };
        Some(self.checksum_verdict(stored, computed, ko, en))
    }

    fn checksum_status(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("검사 결과 틀렸어요(bad). 보낸 호스트에서 캡처했다면 체크섬 오프로드 때문인 경우가 대부분이에요. 체크섬 필드에서 다시 계산한 값을 볼 수 있어요.", "Bad. On the sending host this is usually checksum offload; see the checksum field for the computed value."),
            1 => ("검사 결과 맞아요(good).", "Good."),
            2 => ("검증하지 않았어요(unverified). 검사 설정이 꺼져 있거나, 패킷이 잘려서 계산할 수 없어요.", "Unverified: checking is off or the packet is truncated."),
            3 => ("체크섬이 없어요(not present). IPv4의 UDP에서 체크섬 0은 '계산하지 않음'이에요.", "Not present: a zero UDP checksum over IPv4 means 'not computed'."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn port(&self) -> Option<String> {
        let p = self.uint()?;
        let udp = self.f.def.abbrev.starts_with("udp");
        let svc: Option<(&str, &str)> = match (p, udp) {
            (20 | 21, false) => Some(("FTP", "FTP")),
            (22, false) => Some(("SSH(원격 접속)", "SSH")),
            (23, false) => Some(("텔넷(Telnet)", "Telnet")),
            (25 | 587, false) => Some(("SMTP(메일 전송)", "SMTP (mail)")),
            (53, _) => Some(("DNS(이름 풀이)", "DNS")),
            (67 | 68, true) => Some(("DHCP(주소 자동 할당)", "DHCP")),
            (80, false) => Some(("HTTP(웹)", "HTTP")),
            (110, false) => Some(("POP3(메일)", "POP3")),
            (123, true) => Some(("NTP(시간 동기화)", "NTP (time sync)")),
            (143, false) => Some(("IMAP(메일)", "IMAP")),
            (443, false) => Some(("HTTPS(TLS 위의 HTTP)", "HTTPS")),
            (443, true) => Some(("QUIC/HTTP3", "QUIC/HTTP/3")),
            (853, _) => Some(("DNS over TLS/QUIC", "DNS over TLS/QUIC")),
            (993, false) => Some(("IMAPS", "IMAPS")),
            (1723, false) => Some(("PPTP(VPN)", "PPTP (VPN)")),
            (1900, true) => Some(("SSDP(UPnP 장치 탐색)", "SSDP (UPnP discovery)")),
            (3074, _) => Some(("Xbox Live 게임", "Xbox Live")),
            (3306, false) => Some(("MySQL 데이터베이스", "MySQL")),
            (3478..=3480, _) => Some(("STUN/TURN(NAT 통과, 음성·P2P 게임)", "STUN/TURN (NAT traversal)")),
            (3544, true) => Some(("Teredo(IPv6 터널)", "Teredo")),
            (4789, true) => Some(("VXLAN(가상 네트워크 터널)", "VXLAN")),
            (5060 | 5061, _) => Some(("SIP(음성 통화 신호)", "SIP")),
            (5353, true) => Some(("mDNS(로컬 이름 탐색)", "mDNS")),
            (5432, false) => Some(("PostgreSQL 데이터베이스", "PostgreSQL")),
            (6379, false) => Some(("Redis(게임 서버의 세션·랭킹 저장소로 흔히 써요)", "Redis (common for sessions and leaderboards)")),
            (7777, _) => Some(("게임 서버(언리얼 엔진 기본 포트, pktlab 데모의 TCP 채팅·로그인)", "game server (Unreal Engine default; pktlab demo TCP)")),
            (7778, _) => Some(("게임 서버(언리얼 엔진 쿼리 포트, pktlab 데모의 UDP 상태 갱신)", "game server (Unreal query port; pktlab demo UDP state)")),
            (8080, false) => Some(("대체 HTTP(프록시, 개발 서버)", "alternate HTTP")),
            (9987, true) => Some(("TeamSpeak 3 음성", "TeamSpeak 3 voice")),
            (19132, true) => Some(("마인크래프트 베드록 에디션", "Minecraft Bedrock")),
            (25565, _) => Some(("마인크래프트 자바 에디션 서버", "Minecraft Java server")),
            (27017, false) => Some(("MongoDB 데이터베이스", "MongoDB")),
            (27015..=27030, _) => Some(("Steam/Source 엔진 게임 서버", "Steam/Source engine game server")),
            _ => None,
        };
        if let Some((ko, en)) = svc {
            return Some(say!(self.lang, format!("{p}번은 보통 {ko}에 쓰는 포트예요."), format!("Port {p} is usually {en}.")));
        }
        Some(if p == 0 {
            say!(self.lang, "포트 0은 예약된 값이라 실제 통신에 쓰이지 않아요.".to_owned(), "Port 0 is reserved and not used for real traffic.".to_owned())
        } else if p < 1024 {
            say!(self.lang, format!("{p}번은 잘 알려진 포트(well-known, 0~1023) 범위예요. 보통 서버 쪽이에요."), format!("{p} is a well-known port (0–1023), usually the server side."))
        } else if p >= 49152 {
            say!(self.lang, format!("{p}번은 동적(임시, ephemeral) 포트 범위(49152~65535)예요. 클라이언트가 접속할 때 운영체제가 고른 번호일 가능성이 커요."), format!("{p} is in the dynamic (ephemeral) range 49152–65535: probably a client port chosen by the OS."))
        } else if p >= 32768 {
            say!(self.lang, format!("{p}번은 리눅스의 기본 임시 포트 범위(32768~60999)에 있어요. 클라이언트 쪽일 가능성이 커요."), format!("{p} is in Linux's default ephemeral range (32768–60999): probably the client side."))
        } else {
            say!(self.lang, format!("{p}번은 등록 포트(registered, 1024~49151) 범위예요. 응용 프로그램이 정해 둔 서버 포트일 수 있어요."), format!("{p} is a registered port (1024–49151), often an application's server port."))
        })
    }

    fn stream(&self) -> Option<String> {
        let n = self.uint()?;
        let proto = if self.f.def.abbrev.starts_with("udp") { "udp" } else { "tcp" };
        Some(say!(
            self.lang,
            format!("이 캡처에서 {}번째로 본 {} 흐름이에요(0부터 셈). 필터 `{proto}.stream == {n}`으로 이 대화만 볼 수 있어요.", n + 1, proto.to_uppercase()),
            format!("The {} {} flow seen in this capture (counting from 0). Filter `{proto}.stream == {n}` shows just this conversation.", ordinal(n + 1), proto.to_uppercase()),
        ))
    }

    fn flags_now(&self) -> u64 {
        self.sib_uint("tcp.flags").unwrap_or(0)
    }

    fn tcp_seq(&self) -> Option<String> {
        let rel = self.uint()?;
        let raw = self.sib_uint("tcp.seq_raw");
        let syn = self.flags_now() & 0x002 != 0;
        if syn {
            return Some(say!(
                self.lang,
                "SYN의 상대 순서 번호는 항상 0이에요. SYN은 데이터가 없어도 순서 번호 1개를 쓰기 때문에, 이 방향의 첫 데이터 바이트는 1번이 돼요.".to_owned(),
                "A SYN's relative sequence number is always 0; the SYN consumes one number, so the first data byte is 1.".to_owned(),
            ));
        }
        let s = match raw {
            Some(raw) if raw != rel => say!(
                self.lang,
                format!("상대 순서 번호예요: 실제 값 {raw}에서 이 방향의 초기 순서 번호(ISN)를 빼서 보기 쉽게 만든 값이에요. 이 세그먼트의 첫 바이트는 이 방향 데이터의 {rel}번째 바이트예요."),
                format!("Relative: the raw {raw} minus this direction's initial sequence number. This segment starts at byte {rel} of the stream."),
            ),
            _ => say!(self.lang, format!("이 세그먼트의 첫 바이트 번호는 {rel}이에요/예요."), format!("This segment's first byte is number {rel}.")),
        };
        Some(s)
    }

    fn tcp_seq_raw(&self) -> Option<String> {
        let raw = self.uint()?;
        if self.flags_now() & 0x002 != 0 {
            return Some(say!(
                self.lang,
                format!("{raw}은/는 이 방향의 초기 순서 번호(ISN)예요. 운영체제가 무작위로 골라서, 연결을 가로채려는 공격자가 순서 번호를 추측하기 어렵게 해요."),
                format!("{raw} is this direction's initial sequence number, chosen at random so attackers cannot guess it."),
            ));
        }
        let rel = self.sib_uint("tcp.seq")?;
        Some(say!(self.lang, format!("실제 32비트 값이에요. 초기 순서 번호를 빼면 상대 번호 {rel}이/가 돼요."), format!("The raw 32-bit value; minus the ISN it is relative {rel}.")))
    }

    fn tcp_nxtseq(&self) -> Option<String> {
        let next = self.uint()?;
        let seq = self.sib_uint("tcp.seq")?;
        let len = self.sib_uint("tcp.len").unwrap_or(0);
        let flags = self.flags_now();
        let extra = u64::from(flags & 0x003 != 0);
        Some(say!(
            self.lang,
            format!("순서 번호 {seq} + 데이터 {len}바이트{} = {next}. 상대가 이 세그먼트를 다 받으면 ACK {next}을/를 보내요.", if extra > 0 { " + SYN/FIN 1" } else { "" }),
            format!("seq {seq} + {len} bytes{} = {next}; the peer acknowledges with ACK {next}.", if extra > 0 { " + 1 for SYN/FIN" } else { "" }),
        ))
    }

    fn tcp_ack(&self) -> Option<String> {
        let ack = self.uint()?;
        if self.flags_now() & 0x010 == 0 {
            return Some(say!(self.lang, "ACK 플래그가 꺼져 있어서 이 값은 의미가 없어요.".to_owned(), "The ACK flag is off, so this value means nothing.".to_owned()));
        }
        Some(say!(
            self.lang,
            format!("'다음에는 {ack}번 바이트를 보내 주세요'라는 뜻이에요. 즉 상대 방향 데이터를 {ack}번 바로 앞까지 빠짐없이 받았어요(누적 확인 응답)."),
            format!("'Send byte {ack} next': everything before byte {ack} of the other direction has arrived (cumulative ACK)."),
        ))
    }

    fn tcp_ack_raw(&self) -> Option<String> {
        let raw = self.uint()?;
        if self.flags_now() & 0x010 == 0 {
            return Some(if raw == 0 {
                say!(self.lang, "ACK 플래그가 꺼져 있어 0이에요(첫 SYN에서는 아직 확인할 것이 없어요).".to_owned(), "ACK flag off: 0 (the first SYN has nothing to acknowledge).".to_owned())
            } else {
                say!(self.lang, format!("ACK 플래그가 꺼져 있는데 값이 {raw}이에요/예요. 받는 쪽은 무시하지만, 운영체제 흔적(fingerprint)이나 조작된 패킷의 단서가 될 수 있어요."), format!("ACK flag off yet the field holds {raw}: ignored by receivers, but a fingerprinting clue or a crafted packet."))
            });
        }
        let rel = self.sib_uint("tcp.ack")?;
        Some(say!(self.lang, format!("실제 32비트 값이에요. 상대의 초기 순서 번호를 빼면 상대 번호 {rel}이에요/예요."), format!("The raw value; minus the peer's ISN it is relative {rel}.")))
    }

    fn tcp_hdr_len(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n < 20 {
            say!(self.lang, format!("{n}바이트는 최소 20바이트보다 작아서 잘못된 헤더예요."), format!("{n} is below the 20-byte minimum: invalid."))
        } else if n == 20 {
            say!(self.lang, "20바이트: 옵션이 없어요(데이터 오프셋 필드 값 5 × 4바이트).".to_owned(), "20 bytes: no options (data offset 5 × 4).".to_owned())
        } else {
            say!(self.lang, format!("{n}바이트 = 기본 20 + 옵션 {}바이트예요(데이터 오프셋 {} × 4). 데이터는 헤더 {n}바이트 뒤에서 시작해요.", n - 20, n / 4), format!("{n} = 20 + {} bytes of options (data offset {} × 4).", n - 20, n / 4))
        })
    }

    fn scale_factor(&self) -> Option<i64> {
        match self.sib("tcp.window_size_scalefactor")?.value {
            Value::Int(n) => Some(n),
            Value::UInt(n) => Some(n as i64),
            _ => None,
        }
    }

    fn window_value(&self) -> Option<String> {
        let v = self.uint()?;
        if self.flags_now() & 0x002 != 0 {
            return Some(say!(
                self.lang,
                format!("SYN/SYN+ACK의 창 값 {v}은/는 배율을 곱하지 않고 그대로 읽어요. 창 배율(window scale)은 이 핸드셰이크가 끝난 다음 세그먼트부터 적용돼요."),
                format!("In a SYN the window {v} is never scaled; window scaling applies after the handshake."),
            ));
        }
        if v == 0 {
            return Some(say!(self.lang, "창이 0이에요(zero window): 받는 쪽 버퍼가 가득 차서 잠시 보내지 말라는 뜻이에요. 응용 프로그램이 소켓에서 데이터를 읽지 않고 있어요.".to_owned(), "Zero window: the receiver's buffer is full — its application is not reading.".to_owned()));
        }
        Some(match self.scale_factor() {
            Some(f) if f > 0 => say!(
                self.lang,
                format!("{v} × 배율 {f} = {}바이트를 더 받을 수 있어요. 16비트 필드라서 그대로는 65,535바이트까지만 표현할 수 있어요.", grouped(v * f as u64)),
                format!("{v} × scale factor {f} = {} bytes may be sent. The 16-bit field alone tops out at 65,535.", grouped(v * f as u64)),
            ),
            Some(-1) => say!(self.lang, format!("{v}: 핸드셰이크를 캡처하지 못해서 창 배율을 몰라요. 실제 창은 {v}보다 클 수 있어요."), format!("{v}: the handshake was not captured, so the scale is unknown; the real window may be larger.")),
            _ => say!(self.lang, format!("상대는 확인 응답을 기다리지 않고 {}바이트를 더 보낼 수 있어요(창 배율 없음).", grouped(v)), format!("{} bytes may be sent before waiting for an ACK (no scaling).", grouped(v))),
        })
    }

    fn window_calc(&self) -> Option<String> {
        let w = self.uint()?;
        if w == 0 {
            return Some(say!(self.lang, "계산된 창이 0이에요: 보내는 쪽은 창이 다시 열릴 때까지 멈추고 가끔 창 탐침(zero window probe)만 보내요. 게임에서는 클라이언트가 멈춘 것처럼 보여요.".to_owned(), "A zero window: the sender stalls, probing occasionally — the game looks frozen.".to_owned()));
        }
        Some(say!(
            self.lang,
            format!("이 쪽은 아직 확인 응답하지 않은 데이터를 최대 {}바이트(약 {:.0} KiB)까지 받을 수 있어요. 처리량 상한은 대략 창 ÷ 왕복 시간(RTT)이에요.", grouped(w), w as f64 / 1024.0),
            format!("Up to {} bytes (~{:.0} KiB) may be in flight to this side; throughput is at most about window ÷ RTT.", grouped(w), w as f64 / 1024.0),
        ))
    }

    fn scalefactor(&self) -> Option<String> {
        let v = match self.f.value {
            Value::Int(n) => n,
            Value::UInt(n) => n as i64,
            _ => return None,
        };
        Some(match v {
            -1 => say!(self.lang, "-1: 핸드셰이크를 캡처하지 못해서 창 배율을 알 수 없어요.".to_owned(), "-1: the handshake was not captured; the scale is unknown.".to_owned()),
            -2 => say!(self.lang, "-2: 이 연결은 창 배율을 쓰지 않아요(한쪽이라도 SYN에 창 배율 옵션이 없었어요).".to_owned(), "-2: no window scaling (a SYN lacked the option).".to_owned()),
            1 => say!(self.lang, "1: 창 배율 옵션은 협상했지만 이 방향의 이동 값이 0이라서, 창 값을 그대로 읽어요.".to_owned(), "1: scaling was negotiated with shift 0, so the window is read as is.".to_owned()),
            n => say!(self.lang, format!("창 필드 값에 {n}을/를 곱해서 실제 창을 구해요."), format!("The window field is multiplied by {n}.")),
        })
    }

    fn urgent(&self) -> Option<String> {
        let v = self.uint()?;
        let urg = self.flags_now() & 0x020 != 0;
        Some(match (v, urg) {
            (0, false) => say!(self.lang, "0: 긴급 데이터가 없어요(거의 모든 세그먼트가 그래요).".to_owned(), "0: no urgent data (as in nearly every segment).".to_owned()),
            (_, false) => say!(self.lang, format!("URG 플래그가 꺼져 있어서 값 {v}은/는 무시돼요."), format!("URG is off, so {v} is ignored.")),
            (_, true) => say!(self.lang, format!("긴급 데이터가 이 세그먼트 순서 번호부터 {v}바이트 안에 있어요. 오늘날 거의 쓰지 않는 기능이에요."), format!("Urgent data ends {v} bytes after this sequence number — a feature hardly used today.")),
        })
    }

    fn tcp_len(&self) -> Option<String> {
        let n = self.uint()?;
        let flags = self.flags_now();
        Some(if n == 0 {
            if flags & 0x007 != 0 {
                say!(self.lang, "데이터 없는 연결 제어 세그먼트예요(SYN/FIN/RST).".to_owned(), "A control segment without data (SYN/FIN/RST).".to_owned())
            } else {
                say!(self.lang, "데이터가 없는 순수 ACK예요. 받았다는 확인만 하는, 헤더만 있는 패킷이에요(IPv4라면 최소 40바이트).".to_owned(), "A pure ACK: headers only (at least 40 bytes over IPv4), confirming receipt.".to_owned())
            }
        } else {
            let hdr = self.sib_uint("tcp.hdr_len").unwrap_or(20);
            let ip_hdr = if self.ip_layer().map(|l| l.proto) == Some("ipv6") { 40 } else { 20 };
            let total = n + hdr + ip_hdr;
            let pct = n as f64 * 100.0 / total as f64;
            say!(
                self.lang,
                format!("응용 데이터 {n}바이트예요. IP+TCP 헤더 {}바이트를 합치면 {total}바이트 중 {pct:.0}%가 실제 데이터예요.", hdr + ip_hdr),
                format!("{n} bytes of application data; with {} bytes of IP+TCP headers, {pct:.0}% of {total} bytes is payload.", hdr + ip_hdr),
            )
        })
    }

    fn option_kind(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("EOL(옵션 목록 끝)", "EOL (end of option list)"),
            1 => ("NOP(빈 옵션, 4바이트 정렬용)", "NOP (padding for alignment)"),
            2 => ("MSS(최대 세그먼트 크기)", "MSS (maximum segment size)"),
            3 => ("창 배율(Window Scale)", "Window Scale"),
            4 => ("SACK 허용(SACK Permitted)", "SACK Permitted"),
            5 => ("SACK 블록(선택적 확인 응답)", "SACK blocks"),
            8 => ("타임스탬프(Timestamps)", "Timestamps"),
            19 => ("TCP MD5 서명(BGP 세션 보호)", "TCP MD5 signature (BGP)"),
            28 => ("사용자 타임아웃(User Timeout)", "User Timeout"),
            29 => ("TCP-AO(인증)", "TCP-AO (authentication)"),
            30 => ("멀티패스 TCP(MPTCP)", "Multipath TCP"),
            34 => ("TCP Fast Open 쿠키", "TCP Fast Open cookie"),
            253 | 254 => ("실험용 옵션", "experimental option"),
            _ => ("알 수 없는 옵션", "unknown option"),
        };
        Some(say!(self.lang, format!("옵션 종류: {ko}."), format!("Option kind: {en}.")))
    }

    fn mss(&self) -> Option<String> {
        let mss = self.uint()?;
        let v6 = self.ip_layer().map(|l| l.proto) == Some("ipv6");
        let (ip, name) = if v6 { (40, "IPv6") } else { (20, "IP") };
        let mtu = mss + ip + 20;
        let known_ko = match (mtu, v6) {
            (1500, _) => Some("이더넷 표준 MTU예요."),
            (65535, false) => Some("리눅스 루프백(lo)의 MTU는 65536이지만, IPv4 전체 길이 필드가 16비트라서 패킷은 65535바이트를 넘을 수 없어요."),
            (65536, true) => Some("리눅스 루프백(lo)의 MTU예요. IPv6의 길이 필드는 헤더를 빼고 세기 때문에 65536 전부를 쓸 수 있어요."),
            (9000, _) => Some("점보 프레임(jumbo frame) MTU예요. 데이터센터 내부망에서 써요."),
            (1492, _) => Some("PPPoE(가정용 DSL/광랜) 링크의 MTU예요. PPPoE 헤더 8바이트만큼 줄었어요."),
            (1280, true) => Some("1280은 IPv6 링크가 반드시 지원해야 하는 최소 MTU예요."),
            (576, false) => Some("576은 IPv4 호스트가 반드시 받아야 하는 최소 크기라서, MSS 536은 옵션이 없을 때의 기본값이에요."),
            _ => None,
        };
        let known_en = match (mtu, v6) {
            (1500, _) => Some("1500 is the standard Ethernet MTU."),
            (65535, false) => Some("Loopback's MTU is 65536, but IPv4's 16-bit total length caps a packet at 65535 bytes."),
            (65536, true) => Some("65536 is Linux loopback's MTU; IPv6's length field excludes the header, so all of it is usable."),
            (9000, _) => Some("9000 is a jumbo-frame MTU, used inside data centres."),
            (1492, _) => Some("1492 is a PPPoE link (8 bytes of PPPoE header)."),
            (1280, true) => Some("1280 is the minimum MTU every IPv6 link must support."),
            (576, false) => Some("576 is the minimum every IPv4 host accepts; 536 is the default when no MSS is sent."),
            _ => None,
        };
        let base = if mtu == 65535 && !v6 {
            say!(self.lang, format!("65535(IP 최대 길이) − 20({name} 헤더) − 20(TCP 헤더) = {mss}."), format!("65535 (max IP length) − 20 ({name} header) − 20 (TCP header) = {mss}."))
        } else {
            say!(self.lang, format!("{mtu}(MTU) − {ip}({name} 헤더) − 20(TCP 헤더) = {mss}."), format!("{mtu} (MTU) − {ip} ({name} header) − 20 (TCP header) = {mss}."))
        };
        let tail = say!(
            self.lang,
            format!(" {} 상대는 세그먼트 하나에 데이터를 최대 {mss}바이트까지 담아 보낼 거예요. 더 큰 send()는 여러 세그먼트로 나뉘어요.", known_ko.unwrap_or("이 링크의 MTU로 보여요.")),
            format!(" {} The peer will put at most {mss} bytes of data in one segment; larger sends are split.", known_en.unwrap_or("That looks like this link's MTU.")),
        );
        Some(base + &tail)
    }

    fn wscale_shift(&self) -> Option<String> {
        let s = self.uint()?;
        if s > 14 {
            return Some(say!(self.lang, format!("{s}은/는 최댓값 14를 넘어요. 규격에 따라 14로 간주해요(창 × 16384)."), format!("{s} exceeds the maximum 14 and is treated as 14 (× 16384).")));
        }
        let m = 1u64 << s;
        Some(say!(
            self.lang,
            format!("창 크기 필드 값에 2^{s} = {m}을/를 곱해요. 그래서 16비트 창으로 최대 {}바이트까지 알릴 수 있어요. 양쪽 SYN에 모두 이 옵션이 있어야 적용되고, 연결 내내 바뀌지 않아요.", grouped(65535 * m)),
            format!("The window field is multiplied by 2^{s} = {m}, so the 16-bit window can announce up to {} bytes. Applies only if both SYNs carry the option, fixed for the connection.", grouped(65535 * m)),
        ))
    }

    fn wscale_multiplier(&self) -> Option<String> {
        let m = self.uint()?;
        Some(say!(self.lang, format!("이 쪽이 보내는 창 값은 {m}을/를 곱해서 읽어야 해요."), format!("This side's window values are to be multiplied by {m}.")))
    }

    fn sack_re(&self) -> Option<String> {
        let re = self.uint()?;
        let l = self.layer()?;
        let fields = self.d.fields.get(l.fields.start as usize..self.i)?;
        let le = fields.iter().rev().find(|f| f.def.abbrev == "tcp.options.sack_le").and_then(|f| uint_of(&f.value))?;
        let size = (re as u32).wrapping_sub(le as u32);
        let hole = self.sib_uint("tcp.ack_raw").map(|ack| (le as u32).wrapping_sub(ack as u32)).filter(|&h| h > 0 && h < 1 << 30);
        let mut s = say!(
            self.lang,
            format!("{le}부터 {re} 바로 앞까지, {size}바이트를 이미 받았다는 뜻이에요."),
            format!("Bytes {le} up to {re} ({size} bytes) have arrived."),
        );
        s.push_str(&match hole {
            Some(h) => say!(
                self.lang,
                format!(" 그런데 ACK 번호는 아직 그 앞이라서, 그 사이 {h}바이트가 빠져 있어요. 보내는 쪽은 이 구멍만 다시 보내면 돼요."),
                format!(" The ACK number is still below it: {h} bytes in between are missing, and only that hole needs resending."),
            ),
            None => say!(
                self.lang,
                " ACK 번호와 이 블록 사이가 빠진 부분이라, 보내는 쪽은 그 구멍만 다시 보내면 돼요.".to_owned(),
                " The gap between the ACK number and this block is what needs resending.".to_owned(),
            ),
        });
        Some(s)
    }

    fn sack_count(&self) -> Option<String> {
        let n = self.uint()?;
        Some(say!(self.lang, format!("SACK 블록 {n}개: 받는 쪽에 구멍이 {n}개 이상 있어요. 손실이 있었다는 신호예요."), format!("{n} SACK block(s): the receiver has at least {n} hole(s) — there was loss.")))
    }

    fn tsval(&self) -> Option<String> {
        let v = self.uint()?;
        Some(say!(
            self.lang,
            format!("보낸 쪽 시계의 값 {v}이에요/예요. 실제 시각이 아니라 운영체제가 정한 단위(리눅스는 보통 1ms)로 계속 늘어나는 카운터예요. 상대는 이 값을 TSecr로 되돌려 보내요."),
            format!("The sender's clock tick {v} — a counter in OS-defined units (1 ms on Linux), echoed back by the peer as TSecr."),
        ))
    }

    fn tsecr(&self) -> Option<String> {
        let v = self.uint()?;
        Some(if v == 0 {
            say!(self.lang, "0: 아직 되돌려 줄 상대의 TSval이 없어요(첫 SYN에서는 항상 0이에요).".to_owned(), "0: nothing to echo yet (always 0 in the first SYN).".to_owned())
        } else {
            say!(self.lang, format!("상대가 보냈던 TSval {v}을/를 그대로 돌려준 값이에요. 상대는 이것을 보고 '내가 {v}일 때 보낸 것에 대한 응답'임을 알아 왕복 시간(RTT)을 재요."), format!("Echoes the peer's TSval {v}, letting it measure the round-trip time."))
        })
    }

    fn ack_rtt(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(say!(
            self.lang,
            format!("데이터를 보내고 이 ACK를 받기까지 {} ms 걸렸어요. 캡처 위치에서 잰 왕복 시간(RTT)이에요. 클라이언트 쪽에서 캡처했다면 플레이어가 느끼는 핑과 비슷해요.", ms(ns)),
            format!("{} ms from the data to this ACK: the round-trip time seen at the capture point.", ms(ns)),
        ))
    }

    fn irtt(&self) -> Option<String> {
        let ns = self.duration_ns()?;
        Some(say!(
            self.lang,
            format!("3-way 핸드셰이크로 잰 초기 왕복 시간이 {} ms예요(SYN → SYN+ACK → ACK). 이 연결의 지연 바닥값으로 볼 수 있어요.", ms(ns)),
            format!("Initial RTT from the handshake: {} ms — the connection's latency floor.", ms(ns)),
        ))
    }

    fn in_flight(&self) -> Option<String> {
        let n = self.uint()?;
        Some(say!(
            self.lang,
            format!("이 세그먼트를 보낸 직후, 아직 확인 응답을 받지 못한 데이터가 {}바이트예요. 이 값이 상대의 창에 닿으면 보내는 쪽은 멈춰요.", grouped(n)),
            format!("{} bytes sent and not yet acknowledged after this segment; when it reaches the peer's window the sender must stop.", grouped(n)),
        ))
    }

    fn acks_frame(&self) -> Option<String> {
        let n = self.uint()?;
        Some(say!(self.lang, format!("이 ACK는 프레임 {n}에서 보낸 데이터를 확인해요. 두 프레임의 시각 차이가 ACK RTT예요."), format!("This ACK covers the data of frame {n}; the time between them is the ACK RTT.")))
    }

    fn dupack_num(&self) -> Option<String> {
        let n = self.uint()?;
        Some(if n >= 3 {
            say!(self.lang, format!("{n}번째 중복 ACK예요. 세 번 이상이면 보내는 쪽은 타임아웃을 기다리지 않고 빠진 세그먼트를 바로 다시 보내요(빠른 재전송)."), format!("Duplicate ACK #{n}: from the third on, the sender retransmits at once (fast retransmit)."))
        } else {
            say!(self.lang, format!("{n}번째 중복 ACK예요. 세 번째가 오면 빠른 재전송(fast retransmit)이 시작돼요."), format!("Duplicate ACK #{n}; a third triggers fast retransmit."))
        })
    }

    /// Which bytes a retransmitted or out-of-order segment carries (relative numbers).
    fn resent(&self) -> Option<String> {
        let seq = self.sib_uint("tcp.seq")?;
        let len = self.sib_uint("tcp.len")?;
        if len == 0 {
            return None;
        }
        let end = seq + len;
        Some(match self.f.def.abbrev {
            "tcp.analysis.out_of_order" => say!(
                self.lang,
                format!("{seq}~{end}번 바이트({len}바이트)가 뒤늦게 도착했어요. 받는 쪽 TCP는 순서를 맞출 때까지 뒤의 데이터를 응용 프로그램에 넘기지 않아요."),
                format!("Bytes {seq}–{end} ({len} bytes) arrived late; TCP holds back later data until the order is restored."),
            ),
            "tcp.analysis.spurious_retransmission" => say!(
                self.lang,
                format!("{seq}~{end}번 바이트({len}바이트)를 다시 보냈지만, 상대는 이미 받았다고 확인했던 데이터예요."),
                format!("Bytes {seq}–{end} ({len} bytes) sent again although the peer had already acknowledged them."),
            ),
            _ => say!(
                self.lang,
                format!("이 방향 스트림의 {seq}~{end}번 바이트({len}바이트)를 다시 보냈어요. 이 바이트가 도착할 때까지 받는 쪽 응용 프로그램은 그 뒤의 데이터도 받지 못해요."),
                format!("Bytes {seq}–{end} ({len} bytes) of this direction were sent again; the receiving application gets nothing after them until they arrive."),
            ),
        })
    }

    fn udp_length(&self) -> Option<String> {
        let n = self.uint()?;
        if n < 8 {
            return Some(say!(self.lang, format!("{n}은/는 UDP 헤더 8바이트보다 작아서 잘못된 길이예요."), format!("{n} is smaller than the 8-byte header: invalid.")));
        }
        Some(say!(
            self.lang,
            format!("UDP 헤더 8바이트 + 데이터 {}바이트 = {n}. TCP와 달리 이 데이터그램 하나가 응용 프로그램의 send() 한 번이에요.", n - 8),
            format!("8-byte header + {} bytes of data = {n}. Unlike TCP, this datagram is exactly one send().", n - 8),
        ))
    }

    fn icmp_type(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("에코 응답(Echo Reply): ping에 대한 답이에요.", "Echo Reply: the answer to a ping."),
            3 => ("목적지 도달 불가(Destination Unreachable): 코드가 이유를 알려 줘요.", "Destination Unreachable: the code gives the reason."),
            4 => ("발신 억제(Source Quench): 더 이상 쓰지 않는 메시지예요.", "Source Quench (deprecated)."),
            5 => ("경로 재지정(Redirect): 더 나은 게이트웨이를 알려 줘요.", "Redirect: use a better gateway."),
            8 => ("에코 요청(Echo Request): ping이에요.", "Echo Request: a ping."),
            9 | 10 => ("라우터 광고/요청이에요.", "Router advertisement/solicitation."),
            11 => ("시간 초과(Time Exceeded): TTL이 0이 되어 라우터가 버렸어요. traceroute는 이 메시지로 경로의 라우터를 알아내요.", "Time Exceeded: a router dropped the packet at TTL 0 — how traceroute finds each hop."),
            12 => ("매개변수 문제(Parameter Problem): 헤더가 잘못되었어요.", "Parameter Problem: a bad header."),
            13 | 14 => ("타임스탬프 요청/응답이에요.", "Timestamp request/reply."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn icmp_code(&self) -> Option<String> {
        let code = self.uint()?;
        let ty = self.sib_uint("icmp.type")?;
        let (ko, en) = match (ty, code) {
            (3, 0) => ("네트워크 도달 불가: 경로가 없어요.", "Network unreachable."),
            (3, 1) => ("호스트 도달 불가: 목적지 호스트가 응답하지 않아요.", "Host unreachable."),
            (3, 2) => ("프로토콜 도달 불가.", "Protocol unreachable."),
            (3, 3) => ("포트 도달 불가: 그 UDP 포트에서 기다리는 프로그램이 없어요. 게임 서버 프로세스가 죽었을 때 클라이언트가 받는 응답이에요.", "Port unreachable: nothing listens on that UDP port — what a client gets when the game server process is down."),
            (3, 4) => ("단편화 필요(Fragmentation Needed, DF 설정됨): 패킷이 다음 링크의 MTU보다 큰데 DF 때문에 쪼갤 수 없어요. 이 메시지에 다음 홉 MTU가 들어 있고, 경로 MTU 탐색(PMTUD)이 이것으로 동작해요.", "Fragmentation needed and DF set: the packet exceeds the next link's MTU (given here) — how PMTUD works."),
            (3, 9 | 10 | 13) => ("관리상 금지: 방화벽이 막았어요.", "Administratively prohibited: a firewall."),
            (11, 0) => ("전송 중 TTL 만료.", "TTL expired in transit."),
            (11, 1) => ("조각 재조립 시간 초과: 일부 조각이 도착하지 않았어요.", "Fragment reassembly time exceeded: some fragments never arrived."),
            (5, 1) => ("호스트로 가는 경로 재지정.", "Redirect for host."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn icmpv6_type(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            1 => ("목적지 도달 불가(Destination Unreachable).", "Destination Unreachable."),
            2 => ("패킷이 너무 큼(Packet Too Big): IPv6 라우터는 단편화하지 않으므로, 보낸 쪽이 이 메시지의 MTU에 맞춰 패킷을 줄여야 해요.", "Packet Too Big: IPv6 routers never fragment; the sender must shrink to the given MTU."),
            3 => ("시간 초과(Time Exceeded): 홉 제한이 0이 되었어요.", "Time Exceeded: the hop limit reached 0."),
            4 => ("매개변수 문제(Parameter Problem).", "Parameter Problem."),
            128 => ("에코 요청(ping).", "Echo Request (ping)."),
            129 => ("에코 응답.", "Echo Reply."),
            130 => ("멀티캐스트 수신자 질의(MLD Query): 라우터가 어떤 그룹에 가입했는지 물어요.", "MLD Query: a router asks which groups are joined."),
            131 | 143 => ("멀티캐스트 수신자 보고(MLD Report): 이 호스트가 가입한 그룹을 알려요.", "MLD Report: groups this host listens to."),
            132 => ("멀티캐스트 수신자 종료(MLD Done).", "MLD Done."),
            133 => ("라우터 요청(Router Solicitation): 라우터를 찾아요.", "Router Solicitation."),
            134 => ("라우터 광고(Router Advertisement): 접두사와 기본 게이트웨이를 알려서 주소 자동 설정(SLAAC)을 가능하게 해요.", "Router Advertisement: prefixes and default gateway for SLAAC."),
            135 => ("이웃 요청(Neighbor Solicitation): IPv6판 ARP 요청이에요.", "Neighbor Solicitation: IPv6's ARP request."),
            136 => ("이웃 광고(Neighbor Advertisement): IPv6판 ARP 응답이에요.", "Neighbor Advertisement: IPv6's ARP reply."),
            137 => ("경로 재지정(Redirect).", "Redirect."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn icmp_mtu(&self) -> Option<String> {
        let mtu = self.uint()?;
        if mtu < 68 {
            return None;
        }
        Some(say!(
            self.lang,
            format!("다음 링크의 MTU는 {mtu}바이트예요. 보낸 쪽은 이 경로의 패킷을 {mtu}바이트 이하로 줄여야 하고, TCP라면 MSS가 {}(= {mtu} − 40)로 줄어요.", mtu - 40),
            format!("The next link's MTU is {mtu}; the sender must shrink packets to it — for TCP an MSS of {} (= {mtu} − 40).", mtu - 40),
        ))
    }

    fn ms_note(&self) -> Option<String> {
        // tshark's icmp.resptime is a double in milliseconds; dns.time a relative time.
        let ns = match self.f.value {
            Value::Float(ms) => (ms * 1e6) as i64,
            _ => self.duration_ns()?,
        };
        Some(say!(self.lang, format!("요청부터 응답까지 {} ms 걸렸어요.", ms(ns)), format!("{} ms from request to response.", ms(ns))))
    }

    fn dns_rcode(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            0 => ("NoError: 오류 없음.", "NoError."),
            1 => ("FormErr: 질의 형식이 잘못되었어요.", "FormErr: malformed query."),
            2 => ("ServFail: 서버가 답을 구하지 못했어요(상위 서버 장애 등).", "ServFail: the server could not answer."),
            3 => ("NXDomain: 그런 이름이 없어요. 도메인 오타나 만료된 레코드일 수 있어요.", "NXDomain: no such name."),
            4 => ("NotImp: 지원하지 않는 질의예요.", "NotImp: not implemented."),
            5 => ("Refused: 서버가 답하기를 거부했어요.", "Refused."),
            _ => return None,
        };
        Some(say!(self.lang, ko.to_owned(), en.to_owned()))
    }

    fn dns_type(&self) -> Option<String> {
        let (ko, en) = match self.uint()? {
            1 => ("A: IPv4 주소", "A: IPv4 address"),
            2 => ("NS: 이름 서버", "NS: name server"),
            5 => ("CNAME: 별칭(다른 이름을 가리켜요)", "CNAME: alias"),
            6 => ("SOA: 영역 정보", "SOA: zone authority"),
            12 => ("PTR: 주소 → 이름 역방향 조회", "PTR: reverse lookup"),
            15 => ("MX: 메일 서버", "MX: mail server"),
            16 => ("TXT: 텍스트", "TXT: text"),
            28 => ("AAAA: IPv6 주소", "AAAA: IPv6 address"),
            33 => ("SRV: 서비스 위치(호스트와 포트). 일부 게임은 서버 포트를 SRV로 알려요", "SRV: service host and port (some games publish servers this way)"),
            41 => ("OPT: EDNS0 확장 정보", "OPT: EDNS0"),
            65 => ("HTTPS: HTTPS 서비스 정보", "HTTPS service binding"),
            255 => ("ANY: 모든 레코드", "ANY"),
            _ => return None,
        };
        Some(say!(self.lang, format!("레코드 종류 {ko}."), format!("Record type {en}.")))
    }

    fn dns_ttl(&self) -> Option<String> {
        let s = self.uint()?;
        let human = |units: [&str; 4]| {
            if s >= 86400 {
                format!("{:.1}{}", s as f64 / 86400.0, units[0])
            } else if s >= 3600 {
                format!("{:.1}{}", s as f64 / 3600.0, units[1])
            } else if s >= 60 {
                format!("{:.1}{}", s as f64 / 60.0, units[2])
            } else {
                format!("{s}{}", units[3])
            }
        };
        let ko_human = human(["일", "시간", "분", "초"]);
        let human = human(["d", "h", "min", "s"]);
        Some(say!(
            self.lang,
            if s < 60 {
                format!("이 답을 {s}초 동안 캐시해도 돼요. 짧은 TTL이라 서버 주소를 바꾸면 클라이언트가 금방 새 주소를 써요.")
            } else {
                format!("이 답을 {s}초(약 {ko_human}) 동안 캐시해도 돼요. 서버 IP를 바꾸면 최대 이 시간만큼 옛 주소로 접속하는 클라이언트가 남아요.")
            },
            format!("May be cached for {s} s ({human}); after a server move, clients may use the old address for this long."),
        ))
    }

    fn flag_note(&self, ko1: &str, ko0: &str, en1: &str, en0: &str) -> Option<String> {
        let v = self.uint()?;
        Some(match (v, self.lang) {
            (0, Lang::Ko) => ko0.to_owned(),
            (0, Lang::En) => en0.to_owned(),
            (_, Lang::Ko) => ko1.to_owned(),
            (_, Lang::En) => en1.to_owned(),
        })
    }

    fn ip_id(&self) -> Option<String> {
        let id = self.uint()?;
        let df = self.sib_uint("ip.flags.df") == Some(1);
        Some(match (id, df) {
            (0, true) => say!(self.lang, "DF가 켜져 있어 조각날 일이 없으니, 리눅스는 ID를 0으로 두기도 해요.".to_owned(), "With DF set the packet is never fragmented, so Linux may leave the ID at 0.".to_owned()),
            (_, true) => say!(self.lang, format!("ID 0x{id:04x}: DF가 켜져 있어 재조립에는 쓰이지 않아요. 연속된 패킷의 ID가 1씩 늘면 보낸 쪽이 전역 카운터를 쓰는 것이에요."), format!("ID 0x{id:04x}: unused for reassembly since DF is set; IDs rising by one reveal a global counter.")),
            (_, false) => say!(self.lang, format!("ID 0x{id:04x}: 이 패킷이 조각나면 모든 조각이 이 값을 가져요."), format!("ID 0x{id:04x}: every fragment of this packet carries it.")),
        })
    }

    fn utc_time(&self) -> Option<String> {
        let (secs, nanos) = match self.f.value {
            Value::Time(t) => (t.secs, t.nanos),
            _ => return None,
        };
        let days = secs.div_euclid(86400);
        let rem = secs.rem_euclid(86400);
        let (y, m, d) = civil_from_days(days);
        let stamp = format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:09}", rem / 3600, rem % 3600 / 60, rem % 60, nanos);
        Some(say!(self.lang, format!("협정 세계시(UTC)로 {stamp}이에요/예요."), format!("{stamp} UTC.")))
    }

    fn payload_len(&self) -> Option<String> {
        let n = match self.f.value {
            Value::UInt(n) => n,
            Value::Bytes => u64::from(self.f.len),
            _ => return None,
        };
        if n == 0 {
            return None;
        }
        Some(say!(self.lang, format!("{n}바이트의 응용 데이터예요."), format!("{n} bytes of application data.")))
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day) (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ones_complement_matches_rfc1071_example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2.
        let bytes = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(fold(ones_sum(0, &bytes)), 0xddf2);
    }

    #[test]
    fn odd_length_is_padded() {
        assert_eq!(fold(ones_sum(0, &[0x12, 0x34, 0x56])), 0x1234 + 0x5600);
    }

    #[test]
    fn particles_follow_the_preceding_sound() {
        assert_eq!(fix_josa("2^10 = 1024을/를 곱해요"), "2^10 = 1024를 곱해요");
        assert_eq!(fix_josa("ACK 1460을/를 보내요"), "ACK 1460을 보내요");
        assert_eq!(fix_josa("값 3054660282은/는"), "값 3054660282는");
        assert_eq!(fix_josa("0x6107이라서/라서"), "0x6107이라서");
        assert_eq!(fix_josa("0x04fb이라서/라서"), "0x04fb라서");
        assert_eq!(fix_josa("TCP 의사 헤더(pseudo-header)와 세그먼트을/를"), "TCP 의사 헤더(pseudo-header)와 세그먼트를");
        assert_eq!(fix_josa("길이 8이에요/예요"), "길이 8이에요");
        assert_eq!(fix_josa("길이 9이에요/예요"), "길이 9예요");
        assert_eq!(fix_josa("포트 7으로/로"), "포트 7로");
        assert_eq!(fix_josa("포트 3으로/로"), "포트 3으로");
    }

    #[test]
    fn calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 1262893114 s (chrissanders tcp_handshake frame 1) is 2010-01-07 19:38:34 UTC.
        assert_eq!(civil_from_days(1262893114 / 86400), (2010, 1, 7));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11016), (2000, 2, 29));
    }

    #[test]
    fn grouping_and_ordinals() {
        assert_eq!(grouped(8388480), "8,388,480");
        assert_eq!(grouped(65535), "65,535");
        assert_eq!(grouped(12), "12");
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(23), "23rd");
    }
}
