//! QUIC Initial packets whose decrypted contents are the fuzzed bytes: each piece (split at
//! 0xff) is sealed as RFC 9001 says (Initial keys from the client's first destination
//! connection ID, AES-GCM, header protection), alternately from the client and the server,
//! so the frames, CRYPTO reassembly, the TLS handshake messages and their extensions
//! (transport parameters, key shares, PSK) are reached as a capture reaches them. A piece
//! whose length is odd has padding bytes appended to its datagram; every third is followed
//! by a short header packet. An input whose first byte is odd speaks QUIC version 2 (RFC 9369:
//! its own packet type numbers, salt and key labels).
#![no_main]
use aes::cipher::{BlockEncrypt, KeyInit};
use aes_gcm::aead::{Aead, Payload};
use libfuzzer_sys::fuzz_target;
#[path = "common/frames.rs"]
mod frames;

const SALT_V1: [u8; 20] = [0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a];
const CLIENT_CID: [u8; 8] = [0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8];
const SERVER_CID: [u8; 8] = [0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58];
const FIRST_DCID: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
const SALT_V2: [u8; 20] = [0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9];

fn expand(secret: &[u8], label: &str, len: usize) -> Vec<u8> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::from_prk(secret).expect("prk");
    let full = format!("tls13 {label}");
    let mut info = (len as u16).to_be_bytes().to_vec();
    info.push(full.len() as u8);
    info.extend_from_slice(full.as_bytes());
    info.push(0);
    let mut out = vec![0u8; len];
    hk.expand(&info, &mut out).expect("expand");
    out
}

/// An Initial packet carrying `plain` (padded to the 20 bytes header protection samples).
fn initial(server: bool, pn: u16, plain: &[u8], v2: bool) -> Vec<u8> {
    let (initial, _) = hkdf::Hkdf::<sha2::Sha256>::extract(Some(if v2 { &SALT_V2 } else { &SALT_V1 }), &FIRST_DCID);
    let secret = expand(&initial, if server { "server in" } else { "client in" }, 32);
    let l = if v2 { "quicv2" } else { "quic" };
    let (key, iv, hp) = (expand(&secret, &format!("{l} key"), 16), expand(&secret, &format!("{l} iv"), 12), expand(&secret, &format!("{l} hp"), 16));
    let mut plain = plain.to_vec();
    plain.resize(plain.len().max(20), 0);
    let (dcid, scid) = if server { (CLIENT_CID, SERVER_CID) } else { (FIRST_DCID, CLIENT_CID) };
    let mut h = if v2 { vec![0xd1, 0x6b, 0x33, 0x43, 0xcf, 8] } else { vec![0xc1, 0, 0, 0, 1, 8] };
    h.extend_from_slice(&dcid);
    h.push(8);
    h.extend_from_slice(&scid);
    h.push(0);
    let len = 2 + plain.len() + 16;
    h.extend_from_slice(&(0x4000 | len as u16).to_be_bytes());
    let pn_at = h.len();
    h.extend_from_slice(&pn.to_be_bytes());
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&iv);
    nonce[10] ^= (pn >> 8) as u8;
    nonce[11] ^= pn as u8;
    let aead = aes_gcm::Aes128Gcm::new_from_slice(&key).expect("key");
    let ct = aead.encrypt(aes_gcm::Nonce::from_slice(&nonce), Payload { msg: &plain, aad: &h }).expect("seal");
    h.extend_from_slice(&ct);
    let mut mask = aes::Block::clone_from_slice(&h[pn_at + 4..pn_at + 20]);
    aes::Aes128::new_from_slice(&hp).expect("hp").encrypt_block(&mut mask);
    h[0] ^= mask[0] & 0x0f;
    h[pn_at] ^= mask[1];
    h[pn_at + 1] ^= mask[2];
    h
}

fuzz_target!(|data: &[u8]| {
    let mut datagrams = Vec::new();
    let v2 = data.first().is_some_and(|b| b & 1 == 1);
    for (k, piece) in data.split(|b| *b == 0xff).take(64).enumerate() {
        let server = k % 2 == 1;
        let mut d = initial(server, (k / 2) as u16, piece, v2);
        if piece.len() % 2 == 1 {
            d.extend_from_slice(&[0u8; 9]);
        }
        if k % 3 == 2 {
            d.push(0x40);
            d.extend_from_slice(if server { &CLIENT_CID } else { &SERVER_CID });
            d.extend_from_slice(&[0x55; 24]);
        }
        datagrams.push((server, d));
    }
    frames::udp_payloads(40000, 443, &datagrams);
});
