//! TLS records over TCP (and the handshake messages QUIC carries in CRYPTO frames): content
//! type, record version and length; handshake type, length and version; the hellos' random,
//! session id, cipher suites, compression methods and extensions (server name, ALPN,
//! supported versions by name, the others as bytes); change cipher spec, alerts and
//! encrypted application data. Records that span segments arrive reassembled.

use super::model::*;
use super::tcp_pdu::{ConnState, Need, PduState};
use super::data::WS_TEXT;
use super::label::LabelCx;
use super::tls_names::*;
use super::{Ctx, rd};
use std::fmt::Write as _;

pub static TLS_RECORD: FieldDef = FieldDef::new("tls.record", "Record Layer", FieldType::None, Base::None).whole(record_label);
pub static TLS_RECORD_CONTENT_TYPE: FieldDef = FieldDef::new("tls.record.content_type", "Content Type", FieldType::U8, Base::Dec).vals(content_type_name);
pub static TLS_RECORD_OPAQUE_TYPE: FieldDef = FieldDef::new("tls.record.opaque_type", "Opaque Type", FieldType::U8, Base::Dec).vals(content_type_name);
pub static TLS_RECORD_VERSION: FieldDef = FieldDef::new("tls.record.version", "Version", FieldType::U16, Base::Hex).vals(version_name);
pub static TLS_RECORD_LENGTH: FieldDef = FieldDef::new("tls.record.length", "Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE: FieldDef = FieldDef::new("tls.handshake", "Handshake Protocol", FieldType::None, Base::None).whole(handshake_label);
pub static TLS_HANDSHAKE_TYPE: FieldDef = FieldDef::new("tls.handshake.type", "Handshake Type", FieldType::U8, Base::Dec).vals(handshake_name);
pub static TLS_HANDSHAKE_LENGTH: FieldDef = FieldDef::new("tls.handshake.length", "Length", FieldType::U24, Base::Dec);
pub static TLS_HANDSHAKE_VERSION: FieldDef = FieldDef::new("tls.handshake.version", "Version", FieldType::U16, Base::Hex).vals(version_name);
pub static TLS_HANDSHAKE_RANDOM: FieldDef = FieldDef::new("tls.handshake.random", "Random", FieldType::Bytes, Base::None);
pub static TLS_HANDSHAKE_SESSION_ID_LENGTH: FieldDef = FieldDef::new("tls.handshake.session_id_length", "Session ID Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE_SESSION_ID: FieldDef = FieldDef::new("tls.handshake.session_id", "Session ID", FieldType::Bytes, Base::None);
pub static TLS_HANDSHAKE_CIPHER_SUITES_LENGTH: FieldDef = FieldDef::new("tls.handshake.cipher_suites_length", "Cipher Suites Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE_CIPHERSUITES: FieldDef = FieldDef::new("tls.handshake.ciphersuites", "Cipher Suites", FieldType::None, Base::None).whole(suites_label);
pub static TLS_HANDSHAKE_CIPHERSUITE: FieldDef = FieldDef::new("tls.handshake.ciphersuite", "Cipher Suite", FieldType::U16, Base::Hex).vals(cipher_name);
pub static TLS_HANDSHAKE_COMP_METHODS_LENGTH: FieldDef = FieldDef::new("tls.handshake.comp_methods_length", "Compression Methods Length", FieldType::U8, Base::Dec);
pub static TLS_HANDSHAKE_COMP_METHODS: FieldDef = FieldDef::new("tls.handshake.comp_methods", "Compression Methods", FieldType::None, Base::None).whole(methods_label);
pub static TLS_HANDSHAKE_COMP_METHOD: FieldDef = FieldDef::new("tls.handshake.comp_method", "Compression Method", FieldType::U8, Base::Dec).vals(comp_method_name);
pub static TLS_HANDSHAKE_EXTENSIONS_LENGTH: FieldDef = FieldDef::new("tls.handshake.extensions_length", "Extensions Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE_EXTENSION_TYPE: FieldDef = FieldDef::new("tls.handshake.extension.type", "Type", FieldType::U16, Base::Dec).vals(extension_name);
pub static TLS_HANDSHAKE_EXTENSION_LEN: FieldDef = FieldDef::new("tls.handshake.extension.len", "Length", FieldType::U16, Base::Dec);
pub static TLS_HANDSHAKE_EXTENSION_DATA: FieldDef = FieldDef::new("tls.handshake.extension.data", "Data", FieldType::Bytes, Base::None).custom(ext_data_label);
pub static TLS_SNI_LIST_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_server_name_list_len", "Server Name list length", FieldType::U16, Base::Dec);
pub static TLS_SNI_TYPE: FieldDef = FieldDef::new("tls.handshake.extensions_server_name_type", "Server Name Type", FieldType::U8, Base::Dec).vals(server_name_type_name);
pub static TLS_SNI_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_server_name_len", "Server Name length", FieldType::U16, Base::Dec);
pub static TLS_SNI: FieldDef = FieldDef::new("tls.handshake.extensions_server_name", "Server Name", FieldType::Str, Base::None);
pub static TLS_ALPN_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_alpn_len", "ALPN Extension Length", FieldType::U16, Base::Dec);
pub static TLS_ALPN_STR_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_alpn_str_len", "ALPN string length", FieldType::U8, Base::Dec);
pub static TLS_ALPN_STR: FieldDef = FieldDef::new("tls.handshake.extensions_alpn_str", "ALPN Next Protocol", FieldType::Str, Base::None);
pub static TLS_SUPPORTED_VERSIONS_LEN: FieldDef = FieldDef::new("tls.handshake.extensions.supported_versions_len", "Supported Versions length", FieldType::U8, Base::Dec);
pub static TLS_SUPPORTED_VERSION: FieldDef = FieldDef::new("tls.handshake.extensions.supported_version", "Supported Version", FieldType::U16, Base::Hex).vals(version_name);
pub static TLS_CERTIFICATES_LENGTH: FieldDef = FieldDef::new("tls.handshake.certificates_length", "Certificates Length", FieldType::U24, Base::Dec);
pub static TLS_CERTIFICATE_LENGTH: FieldDef = FieldDef::new("tls.handshake.certificate_length", "Certificate Length", FieldType::U24, Base::Dec);
pub static TLS_CERTIFICATES: FieldDef = FieldDef::new("tls.handshake.certificates", "Certificates", FieldType::None, Base::None).whole(certificates_label);
pub static TLS_CERTIFICATE: FieldDef = FieldDef::new("tls.handshake.certificate", "Certificate", FieldType::Bytes, Base::None).custom(certificate_label);
pub static TLS_HANDSHAKE_RANDOM_TIME: FieldDef = FieldDef::new("tls.handshake.random_time", "GMT Unix Time", FieldType::AbsTime, Base::None);
pub static TLS_HANDSHAKE_RANDOM_BYTES: FieldDef = FieldDef::new("tls.handshake.random_bytes", "Random Bytes", FieldType::Bytes, Base::None);
pub static TLS_SIG_HASH_ALG: FieldDef = FieldDef::new("tls.handshake.sig_hash_alg", "Signature Algorithm", FieldType::U16, Base::Hex).custom(sig_alg_label);
pub static TLS_SIG_HASH_HASH: FieldDef = FieldDef::new("tls.handshake.sig_hash_hash", "Signature Hash Algorithm Hash", FieldType::U8, Base::Dec).vals(sig_hash_name);
pub static TLS_SIG_HASH_SIG: FieldDef = FieldDef::new("tls.handshake.sig_hash_sig", "Signature Hash Algorithm Signature", FieldType::U8, Base::Dec).vals(sig_sig_name);
pub static TLS_SIG_LEN: FieldDef = FieldDef::new("tls.handshake.sig_len", "Signature Length", FieldType::U16, Base::Dec);
pub static TLS_SIG: FieldDef = FieldDef::new("tls.handshake.sig", "Signature", FieldType::Bytes, Base::None);
pub static TLS_SERVER_CURVE_TYPE: FieldDef = FieldDef::new("tls.handshake.server_curve_type", "Curve Type", FieldType::U8, Base::Hex).vals(curve_type_name);
pub static TLS_SERVER_NAMED_CURVE: FieldDef = FieldDef::new("tls.handshake.server_named_curve", "Named Curve", FieldType::U16, Base::Hex).vals(group_name);
pub static TLS_SERVER_POINT_LEN: FieldDef = FieldDef::new("tls.handshake.server_point_len", "Pubkey Length", FieldType::U8, Base::Dec);
pub static TLS_SERVER_POINT: FieldDef = FieldDef::new("tls.handshake.server_point", "Pubkey", FieldType::Bytes, Base::None);
pub static TLS_CLIENT_POINT_LEN: FieldDef = FieldDef::new("tls.handshake.client_point_len", "Pubkey Length", FieldType::U8, Base::Dec);
pub static TLS_CLIENT_POINT: FieldDef = FieldDef::new("tls.handshake.client_point", "Pubkey", FieldType::Bytes, Base::None);
pub static TLS_EPMS_LEN: FieldDef = FieldDef::new("tls.handshake.epms_len", "Encrypted PreMaster length", FieldType::U16, Base::Dec);
pub static TLS_EPMS: FieldDef = FieldDef::new("tls.handshake.epms", "Encrypted PreMaster", FieldType::Bytes, Base::None);
pub static TLS_P_LEN: FieldDef = FieldDef::new("tls.handshake.p_len", "p Length", FieldType::U16, Base::Dec);
pub static TLS_P: FieldDef = FieldDef::new("tls.handshake.p", "p", FieldType::Bytes, Base::None);
pub static TLS_G_LEN: FieldDef = FieldDef::new("tls.handshake.g_len", "g Length", FieldType::U16, Base::Dec);
pub static TLS_G: FieldDef = FieldDef::new("tls.handshake.g", "g", FieldType::Bytes, Base::None);
pub static TLS_YS_LEN: FieldDef = FieldDef::new("tls.handshake.ys_len", "Pubkey Length", FieldType::U16, Base::Dec);
pub static TLS_YS: FieldDef = FieldDef::new("tls.handshake.ys", "Pubkey", FieldType::Bytes, Base::None);
pub static TLS_JA3_FULL: FieldDef = FieldDef::new("tls.handshake.ja3_full", "JA3 Fullstring", FieldType::Str, Base::None);
pub static TLS_JA3: FieldDef = FieldDef::new("tls.handshake.ja3", "JA3", FieldType::Str, Base::None);
pub static TLS_JA3S_FULL: FieldDef = FieldDef::new("tls.handshake.ja3s_full", "JA3S Fullstring", FieldType::Str, Base::None);
pub static TLS_JA3S: FieldDef = FieldDef::new("tls.handshake.ja3s", "JA3S", FieldType::Str, Base::None);
pub static TLS_ALPN_LIST: FieldDef = FieldDef::new("tls.handshake.extensions_alpn_list", "ALPN Protocol", FieldType::None, Base::None);
pub static TLS_SUPPORTED_GROUPS_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_supported_groups_length", "Supported Groups List Length", FieldType::U16, Base::Dec);
pub static TLS_SUPPORTED_GROUPS: FieldDef = FieldDef::new("tls.handshake.extensions_supported_groups", "Supported Groups List", FieldType::None, Base::None).whole(groups_label);
pub static TLS_SUPPORTED_GROUP: FieldDef = FieldDef::new("tls.handshake.extensions_supported_group", "Supported Group", FieldType::U16, Base::Hex).vals(group_name);
pub static TLS_EC_POINT_FORMATS_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_ec_point_formats_length", "EC point formats Length", FieldType::U8, Base::Dec);
pub static TLS_EC_POINT_FORMATS: FieldDef = FieldDef::new("tls.handshake.extensions_ec_point_formats", "EC point formats", FieldType::None, Base::None).whole(point_formats_label);
pub static TLS_EC_POINT_FORMAT: FieldDef = FieldDef::new("tls.handshake.extensions_ec_point_format", "EC point format", FieldType::U8, Base::Dec).vals(ec_point_format_name);
pub static TLS_SIG_HASH_ALG_LEN: FieldDef = FieldDef::new("tls.handshake.sig_hash_alg_len", "Signature Hash Algorithms Length", FieldType::U16, Base::Dec);
pub static TLS_SIG_HASH_ALGS: FieldDef = FieldDef::new("tls.handshake.sig_hash_algs", "Signature Algorithms", FieldType::None, Base::None).whole(sig_algs_label);
pub static TLS_STATUS_REQUEST_TYPE: FieldDef = FieldDef::new("tls.handshake.extensions_status_request_type", "Certificate Status Type", FieldType::U8, Base::Dec).vals(status_request_type_name);
pub static TLS_STATUS_REQUEST_RESPONDER_IDS_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_status_request_responder_ids_len", "Responder ID list Length", FieldType::U16, Base::Dec);
pub static TLS_STATUS_REQUEST_EXTS_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_status_request_exts_len", "Request Extensions Length", FieldType::U16, Base::Dec);
pub static TLS_PADDING_DATA: FieldDef = FieldDef::new("tls.handshake.extensions_padding_data", "Padding Data", FieldType::Bytes, Base::None);
pub static TLS_COMPRESS_ALGS_LEN: FieldDef = FieldDef::new("tls.compress_certificate.algorithms_length", "Algorithms Length", FieldType::U8, Base::Dec);
pub static TLS_COMPRESS_ALG: FieldDef = FieldDef::new("tls.compress_certificate.algorithm", "Algorithm", FieldType::U16, Base::Dec).vals(compress_alg_name);
pub static TLS_KEY_SHARE_CLIENT_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_key_share_client_length", "Client Key Share Length", FieldType::U16, Base::Dec);
pub static TLS_KEY_SHARE_GROUP: FieldDef = FieldDef::new("tls.handshake.extensions_key_share_group", "Group", FieldType::U16, Base::Dec).vals(group_name);
pub static TLS_KEY_SHARE_KE_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_key_share_key_exchange_length", "Key Exchange Length", FieldType::U16, Base::Dec);
pub static TLS_KEY_SHARE_KE: FieldDef = FieldDef::new("tls.handshake.extensions_key_share_key_exchange", "Key Exchange", FieldType::Bytes, Base::None);
pub static TLS_KEY_SHARE_SELECTED_GROUP: FieldDef = FieldDef::new("tls.handshake.extensions_key_share_selected_group", "Selected Group", FieldType::U16, Base::Dec).vals(group_name);
pub static TLS_PSK_KE_MODES_LEN: FieldDef = FieldDef::new("tls.extension.psk_ke_modes_length", "PSK Key Exchange Modes Length", FieldType::U8, Base::Dec);
pub static TLS_PSK_KE_MODE: FieldDef = FieldDef::new("tls.extension.psk_ke_mode", "PSK Key Exchange Mode", FieldType::U8, Base::Dec).vals(psk_ke_mode_name);
pub static TLS_PSK_IDENTITIES_LEN: FieldDef = FieldDef::new("tls.handshake.extensions.psk.identities.length", "Identities Length", FieldType::U16, Base::Dec);
pub static TLS_PSK_IDENTITY_LEN: FieldDef = FieldDef::new("tls.handshake.extensions.psk.identity.identity_length", "Identity Length", FieldType::U16, Base::Dec);
pub static TLS_PSK_IDENTITY: FieldDef = FieldDef::new("tls.handshake.extensions.psk.identity.identity", "Identity", FieldType::Bytes, Base::None);
pub static TLS_PSK_TICKET_AGE: FieldDef = FieldDef::new("tls.handshake.extensions.psk.identity.obfuscated_ticket_age", "Obfuscated Ticket Age", FieldType::U32, Base::Dec);
pub static TLS_PSK_BINDERS_LEN: FieldDef = FieldDef::new("tls.handshake.extensions.psk.binders_len", "PSK Binders length", FieldType::U16, Base::Dec);
pub static TLS_PSK_BINDERS: FieldDef = FieldDef::new("tls.handshake.extensions.psk.binders", "PSK Binders", FieldType::None, Base::None);
pub static TLS_PSK_SELECTED: FieldDef = FieldDef::new("tls.handshake.extensions.psk.identity.selected", "Selected Identity", FieldType::U16, Base::Dec);
pub static TLS_RENEG_INFO_LEN: FieldDef = FieldDef::new("tls.handshake.extensions_reneg_info_len", "Renegotiation info extension length", FieldType::U8, Base::Dec);
pub static TLS_RENEG_INFO: FieldDef = FieldDef::new("tls.handshake.extensions_reneg_info", "Renegotiation info", FieldType::Bytes, Base::None);
pub static TLS_OCSP_RESPONSE_LEN: FieldDef = FieldDef::new("tls.handshake.ocsp_response_len", "OCSP Response Length", FieldType::U24, Base::Dec);
pub static TLS_TICKET_LIFETIME_HINT: FieldDef = FieldDef::new("tls.handshake.session_ticket_lifetime_hint", "Session Ticket Lifetime Hint", FieldType::U32, Base::Dec).custom(lifetime_hint_label).pure();
pub static TLS_TICKET_LEN: FieldDef = FieldDef::new("tls.handshake.session_ticket_length", "Session Ticket Length", FieldType::U16, Base::Dec);
pub static TLS_TICKET: FieldDef = FieldDef::new("tls.handshake.session_ticket", "Session Ticket", FieldType::Bytes, Base::None);
pub static TLS_APP_DATA_PROTO: FieldDef = FieldDef::new("tls.app_data_proto", "Application Data Protocol", FieldType::Str, Base::None);
pub static TLS_CHANGE_CIPHER_SPEC: FieldDef = FieldDef::new("tls.change_cipher_spec", "Change Cipher Spec Message", FieldType::None, Base::None);
pub static TLS_APP_DATA: FieldDef = FieldDef::new("tls.app_data", "Encrypted Application Data", FieldType::Bytes, Base::None);
pub static TLS_ALERT_MESSAGE: FieldDef = FieldDef::new("tls.alert_message", "Alert Message", FieldType::None, Base::None).whole(alert_message_label);
pub static TLS_ALERT_LEVEL: FieldDef = FieldDef::new("tls.alert_message.level", "Level", FieldType::U8, Base::Dec).vals(alert_level_name);
pub static TLS_ALERT_DESC: FieldDef = FieldDef::new("tls.alert_message.desc", "Description", FieldType::U8, Base::Dec).vals(alert_desc_name);

/// `Alert Message`, or `Alert Message: Encrypted Alert` for an alert whose level and
/// description are not readable (the item then has no parts under it).
fn alert_message_label(cx: &super::label::LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    if cx.children().next().is_none() {
        out.push_str(": Encrypted Alert");
    }
}

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &TLS_RECORD, &TLS_RECORD_CONTENT_TYPE, &TLS_RECORD_OPAQUE_TYPE, &TLS_RECORD_VERSION, &TLS_RECORD_LENGTH, &TLS_HANDSHAKE, &TLS_HANDSHAKE_TYPE, &TLS_HANDSHAKE_LENGTH, &TLS_HANDSHAKE_VERSION,
    &TLS_HANDSHAKE_RANDOM, &TLS_HANDSHAKE_SESSION_ID_LENGTH, &TLS_HANDSHAKE_SESSION_ID, &TLS_HANDSHAKE_CIPHER_SUITES_LENGTH, &TLS_HANDSHAKE_CIPHERSUITES,
    &TLS_HANDSHAKE_CIPHERSUITE, &TLS_HANDSHAKE_COMP_METHODS_LENGTH, &TLS_HANDSHAKE_COMP_METHODS, &TLS_HANDSHAKE_COMP_METHOD, &TLS_HANDSHAKE_EXTENSIONS_LENGTH,
    &TLS_HANDSHAKE_EXTENSION_TYPE, &TLS_HANDSHAKE_EXTENSION_LEN, &TLS_HANDSHAKE_EXTENSION_DATA, &TLS_SNI_LIST_LEN, &TLS_SNI_TYPE, &TLS_SNI_LEN, &TLS_SNI, &TLS_ALPN_LEN,
    &TLS_ALPN_STR_LEN, &TLS_ALPN_STR, &TLS_SUPPORTED_VERSIONS_LEN, &TLS_SUPPORTED_VERSION, &TLS_CERTIFICATES_LENGTH, &TLS_CERTIFICATES, &TLS_CERTIFICATE_LENGTH, &TLS_CERTIFICATE,
    &TLS_HANDSHAKE_RANDOM_TIME, &TLS_HANDSHAKE_RANDOM_BYTES, &TLS_SIG_HASH_ALG, &TLS_SIG_HASH_HASH, &TLS_SIG_HASH_SIG, &TLS_SIG_LEN, &TLS_SIG,
    &TLS_SERVER_CURVE_TYPE, &TLS_SERVER_NAMED_CURVE, &TLS_SERVER_POINT_LEN, &TLS_SERVER_POINT, &TLS_CLIENT_POINT_LEN, &TLS_CLIENT_POINT, &TLS_EPMS_LEN, &TLS_EPMS,
    &TLS_P_LEN, &TLS_P, &TLS_G_LEN, &TLS_G, &TLS_YS_LEN, &TLS_YS, &TLS_JA3_FULL, &TLS_JA3, &TLS_JA3S_FULL, &TLS_JA3S, &TLS_APP_DATA_PROTO,
    &TLS_ALPN_LIST, &TLS_SUPPORTED_GROUPS_LEN, &TLS_SUPPORTED_GROUPS, &TLS_SUPPORTED_GROUP, &TLS_EC_POINT_FORMATS_LEN, &TLS_EC_POINT_FORMATS, &TLS_EC_POINT_FORMAT,
    &TLS_SIG_HASH_ALG_LEN, &TLS_SIG_HASH_ALGS, &TLS_STATUS_REQUEST_TYPE, &TLS_STATUS_REQUEST_RESPONDER_IDS_LEN, &TLS_STATUS_REQUEST_EXTS_LEN, &TLS_PADDING_DATA,
    &TLS_COMPRESS_ALGS_LEN, &TLS_COMPRESS_ALG, &TLS_KEY_SHARE_CLIENT_LEN, &TLS_KEY_SHARE_GROUP, &TLS_KEY_SHARE_KE_LEN, &TLS_KEY_SHARE_KE, &TLS_KEY_SHARE_SELECTED_GROUP,
    &TLS_PSK_KE_MODES_LEN, &TLS_PSK_KE_MODE, &TLS_PSK_IDENTITIES_LEN, &TLS_PSK_IDENTITY_LEN, &TLS_PSK_IDENTITY, &TLS_PSK_TICKET_AGE, &TLS_PSK_BINDERS_LEN,
    &TLS_PSK_BINDERS, &TLS_PSK_SELECTED, &TLS_HS_FRAGMENT, &TLS_HS_FRAGMENTS, &TLS_HS_FRAGMENT_COUNT, &TLS_RENEG_INFO_LEN, &TLS_RENEG_INFO, &TLS_OCSP_RESPONSE_LEN,
    &TLS_TICKET_LIFETIME_HINT, &TLS_TICKET_LEN, &TLS_TICKET,
    &TLS_CHANGE_CIPHER_SPEC, &TLS_APP_DATA, &TLS_ALERT_MESSAGE, &TLS_ALERT_LEVEL, &TLS_ALERT_DESC,
];

/// TCP ports tshark hands to TLS by default.
pub const PORTS: &[u16] = &[443, 465, 563, 585, 614, 636, 853, 989, 990, 992, 993, 994, 995, 2484, 3269, 4433, 5061, 5223, 5349, 8443];

/// The largest record body TLS allows (2^14 plus expansion).
const MAX_RECORD: usize = 16384 + 2048;

/// Whether `buf` starts with a TLS record header.
pub(crate) fn looks_like(buf: &[u8]) -> bool {
    match (buf.first(), buf.get(1), buf.get(2)) {
        (Some(20..=24), Some(3), Some(0..=4)) => rd::u16(buf, 3).is_none_or(|l| (l as usize) <= MAX_RECORD),
        (Some(20..=24), Some(3), None) | (Some(20..=24), None, None) => true,
        _ => false,
    }
}

/// Whether `buf` starts with a record holding a ClientHello or ServerHello (tshark's
/// heuristic for TLS on ports it does not list).
pub(crate) fn looks_like_hello(buf: &[u8]) -> bool {
    buf.len() >= 6 && buf[0] == 22 && buf[1] == 3 && buf[2] <= 4 && matches!(buf[5], 1 | 2) && looks_like(buf)
}

/// How long the record at the start of `buf` is.
pub(crate) fn pdu_len(buf: &[u8]) -> Need {
    if !looks_like(buf) {
        return Need::NotMine;
    }
    match rd::u16(buf, 3) {
        Some(l) if buf.len() >= 5 + l as usize => Need::Done(5 + l as usize),
        _ => Need::More,
    }
}

/// The facts a record going direction `dir` starts with: encrypted after a ChangeCipherSpec
/// went that way, TLS 1.3 once the ServerHello chose it.
pub(crate) fn pdu_state(conn: &ConnState, dir: usize, rec: &[u8]) -> PduState {
    let resumed = rec.first() == Some(&20) && resumes(conn, dir);
    PduState { encrypted: conn.ccs[dir], tls13: conn.tls13, h2: conn.h2, resumed, tls_version: conn.tls_version, ..PduState::default() }
}

/// Whether a ChangeCipherSpec going direction `dir` is the server's in a resumed session, as
/// tshark decides: the server changes cipher before its ServerHelloDone, with a session ID
/// or ticket to resume (or the session was found resumed before). Not under TLS 1.3, whose
/// ChangeCipherSpec is only for middleboxes.
fn resumes(conn: &ConnState, dir: usize) -> bool {
    !conn.tls13 && conn.tls_server == Some(dir) && (conn.tls_resumed || (!conn.tls_hello_done && (conn.tls_ticket || conn.tls_session_id)))
}

/// Learns from the handshake messages of a plaintext handshake record what session
/// resumption depends on: the hellos' session IDs, the ClientHello's session ticket, the
/// server's direction, its ServerHelloDone, a NewSessionTicket.
fn learn_handshakes(conn: &mut ConnState, dir: usize, rec: &[u8]) {
    let mut off = 5;
    while let (Some(t), Some(hl)) = (rd::u8(rec, off), rd::u24(rec, off + 1)) {
        let b = off + 4;
        let end = (b + hl as usize).min(rec.len());
        match t {
            1 | 2 => {
                let sid = rd::u8(rec, b + 34).unwrap_or(0);
                conn.tls_session_id = sid > 0;
                if t == 2 {
                    conn.tls_server = Some(dir);
                } else if let Some(ticket) = client_hello_ext(rec.get(..end).unwrap_or(rec), b, 35) {
                    conn.tls_ticket = !ticket.is_empty();
                }
            }
            4 => conn.tls_ticket = true,
            14 => conn.tls_hello_done = true,
            _ => {}
        }
        off = b + hl as usize;
    }
}

/// The body of extension `want` of the ClientHello whose body starts at `b` of `rec`.
fn client_hello_ext(rec: &[u8], b: usize, want: u16) -> Option<&[u8]> {
    let mut p = b + 34;
    p += 1 + *rec.get(p)? as usize;
    p += 2 + rd::u16(rec, p)? as usize;
    p += 1 + *rec.get(p)? as usize;
    hello_ext_body(rec, p, want)
}

/// The body of extension `want` in the hello extensions whose two-byte length is at `p`.
fn hello_ext_body(rec: &[u8], mut p: usize, want: u16) -> Option<&[u8]> {
    let el = rd::u16(rec, p)? as usize;
    p += 2;
    let end = (p + el).min(rec.len());
    while p + 4 <= end {
        let (t, l) = (rd::u16(rec, p)?, rd::u16(rec, p + 2)? as usize);
        if t == want {
            return rec.get(p + 4..(p + 4 + l).min(end));
        }
        p += 4 + l;
    }
    None
}

/// Notes a whole record: a ServerHello choosing TLS 1.3, a ChangeCipherSpec.
pub(crate) fn after_pdu(conn: &mut ConnState, dir: usize, rec: &[u8], _: &mut PduState) -> Option<&'static str> {
    // A record a segment read on its own cuts is not dissected: nothing to learn.
    if rd::u16(rec, 3).is_none_or(|len| rec.len() < 5 + len as usize) {
        return None;
    }
    if rec.first() == Some(&22) && !conn.ccs[dir] {
        learn_handshakes(conn, dir, rec);
    }
    if rec.first() == Some(&20) && resumes(conn, dir) {
        conn.tls_resumed = true;
    }
    if let Some(v) = server_hello_version(rec) {
        conn.tls_version = v;
        if v == 0x0304 {
            conn.tls13 = true;
        }
    }
    if let Some(alpn) = server_hello_ext(rec, 16) {
        conn.h2 = alpn.get(3..) == Some(b"h2");
    }
    // Under TLS 1.3 a ChangeCipherSpec is only for middleboxes: the handshake records after
    // it (a second ClientHello after a HelloRetryRequest, the ServerHello) are still plain.
    if rec.first() == Some(&20) && !conn.tls13 {
        conn.ccs[dir] = true;
    }
    None
}

/// The version a record holding a ServerHello chooses (its supported_versions extension, or
/// the hello's own version).
fn server_hello_version(rec: &[u8]) -> Option<u16> {
    if rec.first() != Some(&22) || rec.get(5) != Some(&2) {
        return None;
    }
    match server_hello_ext(rec, 43) {
        Some(v) => v.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]])),
        None => rd::u16(rec, 9),
    }
}

/// Whether the ServerHello whose body starts at `b` chooses TLS 1.3 (or one of its drafts)
/// in its supported_versions extension, as tshark's scan of the hello finds before it
/// dissects the Random.
fn chooses_tls13(data: &[u8], b: usize) -> bool {
    let Some(sl) = rd::u8(data, b + 34) else { return false };
    let exts = b + 34 + 1 + sl as usize + 3;
    hello_ext_body(data, exts, 43).and_then(|v| rd::u16(v, 0)).is_some_and(|v| v == 0x0304 || v >> 8 == 0x7f)
}

/// The body of extension `want` in a record holding a ServerHello.
fn server_hello_ext(rec: &[u8], want: u16) -> Option<&[u8]> {
    if rec.first() != Some(&22) || rec.get(5) != Some(&2) {
        return None;
    }
    let hello = 9;
    let mut p = hello + 34;
    p += 1 + *rec.get(p)? as usize;
    p += 3;
    hello_ext_body(rec, p, want)
}

/// TLS in a segment whose bytes from `a` start a record a later segment finishes: the
/// protocol item alone and the Info cleared, as tshark's dissector leaves them when it asks
/// TCP for more (its `TcpApp::awaited`).
pub(crate) fn record_awaited(cx: &mut Ctx, _data: &[u8], a: usize, b: usize) {
    let li = cx.open("tls", "Transport Layer Security", Osi::Presentation, a, b.saturating_sub(a));
    cx.close(li);
    if cx.text {
        cx.out.info.clear();
    }
}

/// Dissects the record in `a..b` of `data`.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], a: usize, b: usize, st: PduState, first: bool) {
    // The records of one segment (or of one reassembled buffer) share a tree, as tshark's
    // TLS dissector loops over the records of the bytes TCP hands it.
    let same_tree = !first
        && cx.out.layers.last().is_some_and(|l| {
            l.proto == "tls" && l.source == cx.source && (l.offset + l.len) as usize == a && l.fields.end as usize == cx.out.fields.len()
        });
    if st.alone && alone_unread(cx, data, a, b, st, first, same_tree) {
        return;
    }
    let li = if same_tree {
        let li = cx.reopen_last();
        let start = cx.out.layers[li].offset as usize;
        cx.set_len(li, b - start);
        li
    } else {
        cx.open("tls", "Transport Layer Security", Osi::Presentation, a, b - a)
    };
    let outer = cx.in_error == 0;
    let (Some(ct), Some(ver), Some(len)) = (rd::u8(data, a), rd::u16(data, a + 1), rd::u16(data, a + 3)) else {
        cx.close(li);
        cx.short(data, a, 5);
        return;
    };
    if outer {
        cx.set_protocol(if st.tls13 { "TLSv1.3" } else { protocol_name(ver) });
    }
    let end = (a + 5 + len as usize).min(b);
    cx.add(&TLS_RECORD, a, end - a, Value::None);
    let mut info: Vec<&'static str> = Vec::new();
    cx.child(|cx| {
        // Under TLS 1.3 an encrypted record's outer type hides the real one: an opaque type.
        let opaque = if st.tls13 && ct == 23 { &TLS_RECORD_OPAQUE_TYPE } else { &TLS_RECORD_CONTENT_TYPE };
        cx.add(opaque, a, 1, Value::UInt(ct as u64));
        cx.add(&TLS_RECORD_VERSION, a + 1, 2, Value::UInt(ver as u64));
        cx.add(&TLS_RECORD_LENGTH, a + 3, 2, Value::UInt(len as u64));
        let body = a + 5;
        match ct {
            20 => {
                let at = cx.add(&TLS_CHANGE_CIPHER_SPEC, body, end - body, Value::None);
                if st.resumed {
                    cx.expert(Severity::Note, "tls.resumed", "This session reuses previously negotiated keys (Session resumption)", Some(at));
                }
                info.push("Change Cipher Spec");
            }
            21 => {
                if st.encrypted || len != 2 {
                    // The whole body, as tshark's item for an alert it cannot read.
                    cx.add(&TLS_ALERT_MESSAGE, body, end - body, Value::None);
                    info.push("Encrypted Alert");
                } else {
                    cx.add(&TLS_ALERT_MESSAGE, body, 2, Value::None);
                    cx.child(|cx| {
                        cx.add(&TLS_ALERT_LEVEL, body, 1, Value::UInt(rd::u8(data, body).unwrap_or(0) as u64));
                        cx.add(&TLS_ALERT_DESC, body + 1, 1, Value::UInt(rd::u8(data, body + 1).unwrap_or(0) as u64));
                    });
                    info.push("Alert");
                }
            }
            22 => {
                let valid = rd::u8(data, body).is_some_and(|t| handshake_name(t as u64).is_some());
                if st.encrypted || !valid {
                    cx.add(&TLS_HANDSHAKE, body, end - body, Value::None);
                    info.push("Encrypted Handshake Message");
                } else {
                    handshakes(cx, data, body, end, ver, false, &mut info);
                }
            }
            23 => {
                cx.add(&TLS_APP_DATA, body, end - body, Value::Bytes);
                if cx.wants(&TLS_APP_DATA_PROTO) {
                    let f = cx.facts();
                    if let Some(name) = if st.h2 { Some("HyperText Transfer Protocol 2") } else { app_protocol(f.sport, f.dport) } {
                        cx.add_gen(&TLS_APP_DATA_PROTO, body, 0, Value::Str(name.into()));
                    }
                }
                info.push("Application Data");
            }
            _ => info.push("Heartbeat"),
        }
    });
    cx.close(li);
    if outer && cx.text {
        if first {
            cx.out.info.clear();
        } else {
            cx.out.info.push_str(", ");
        }
        cx.out.info.push_str(&info.join(", "));
    }
}

/// The protocol column's name of a version (TLS 1.2's for an unknown one).
fn protocol_name(ver: u16) -> &'static str {
    match ver {
        0x0300 => "SSLv3",
        0x0301 => "TLSv1",
        0x0302 => "TLSv1.1",
        0x0304 => "TLSv1.3",
        _ => "TLSv1.2",
    }
}

/// What tshark's TLS dissector shows of bytes read from a segment TCP will not reassemble
/// (`st.alone`) when they are no whole record; true if that was all (nothing else to show):
/// bytes that do not start with a record's content type (the middle of a record an earlier
/// segment began) are an `Ignored Unknown Record` (TLS 1.0 to 1.2), or data when they begin
/// with text; a record the segment's end cuts shows nothing (the layer alone if it is the
/// segment's first).
fn alone_unread(cx: &mut Ctx, data: &[u8], a: usize, b: usize, st: PduState, first: bool, same_tree: bool) -> bool {
    let valid_type = rd::u8(data, a).is_some_and(|t| (20..=24).contains(&t));
    let cut = b - a < 5 || rd::u16(data, a + 3).is_none_or(|len| 5 + len as usize > b - a);
    if valid_type && !cut {
        return false;
    }
    // tshark's TLS dissector refuses a segment that begins with four printable characters
    // (the middle of a certificate's names, say): its bytes are data.
    if first && !valid_type && data.get(a..a + 4).is_some_and(|p| p.iter().all(|c| (0x20..0x7f).contains(c))) {
        super::data::dissect(cx, data, a, b);
        return true;
    }
    let outer = cx.in_error == 0;
    let li = if same_tree { cx.reopen_last() } else { cx.open("tls", "Transport Layer Security", Osi::Presentation, a, b - a) };
    if !same_tree && outer {
        cx.set_protocol(if st.tls13 { "TLSv1.3" } else { protocol_name(st.tls_version) });
    }
    let mut info = None;
    if !valid_type && !st.tls13 {
        let at = cx.add(&super::data::WS_TEXT, a, b - a, Value::Str("Ignored Unknown Record".into()));
        cx.expert(Severity::Warn, "tls.ignored_unknown_record", "Ignored Unknown Record", Some(at));
        info = Some("Ignored Unknown Record");
    } else if !valid_type {
        info = Some("Continuation Data");
    }
    cx.close(li);
    if outer && cx.text {
        if first {
            cx.out.info.clear();
        }
        if let Some(text) = info {
            if !first {
                cx.out.info.push_str(", ");
            }
            cx.out.info.push_str(text);
        }
    }
    true
}

/// TLS's item inside a QUIC CRYPTO frame's tree, where tshark's `tls13_handshake` dissector
/// puts the handshake messages the frame carries (no record around them): its title is its
/// value (`TLSv1.3 Record Layer: Handshake Protocol: Client Hello`), and display filters
/// find it as the protocol `tls`.
pub static TLS_IN_QUIC: FieldDef = FieldDef::new("tls", "Transport Layer Security", FieldType::None, Base::None).whole(super::data::protocol_item_label);

/// A handshake message a QUIC CRYPTO stream has begun and not finished (one per direction):
/// its bytes so far and, per part, the frame that carried it and how many bytes.
#[derive(Clone, Debug, Default)]
pub(crate) struct HsPending {
    buf: Vec<u8>,
    parts: Vec<(u64, usize)>,
}

/// A handshake message cut across CRYPTO frames, shown where its part is: tshark's
/// `Handshake Protocol: Client Hello (fragment)` (or `(last fragment)`), a `tls.handshake`
/// item with nothing under it (JSON keys it by the field's name; its label is its value).
static TLS_HANDSHAKE_PART: FieldDef = FieldDef::new("tls.handshake", "tls.handshake", FieldType::Str, Base::None).whole(super::data::protocol_item_label).text_item();
pub static TLS_HS_FRAGMENT: FieldDef = FieldDef::new("tls.handshake.fragment", "Handshake Fragment", FieldType::FrameNum, Base::None).whole(super::tcp::segment_label);
pub static TLS_HS_FRAGMENTS: FieldDef = FieldDef::new("tls.handshake.fragments", "Reassembled Handshake Fragments", FieldType::None, Base::None)
    .whole(|cx, out| super::reassembly::fragments_label(cx, out, &TLS_HS_FRAGMENT, "Reassembled Handshake Fragments"));
pub static TLS_HS_FRAGMENT_COUNT: FieldDef = FieldDef::new("tls.handshake.fragment.count", "Handshake Fragment count", FieldType::U32, Base::Dec);

/// Handshake messages outside records, in `off..end` (a QUIC CRYPTO frame's data): TLS's
/// item in the current tree with the messages under it, as tshark's `dissect_tls_handshake`
/// shows them: a message that `pending` began in an earlier frame is finished first (its
/// last part marked, the fragments listed, the whole message read from the bytes put
/// together); a message the data does not finish becomes `pending`.
pub(crate) fn dissect_handshakes_nested(cx: &mut Ctx, data: &[u8], mut off: usize, end: usize, pending: &mut Option<HsPending>) {
    cx.add_proto("tls");
    let item = cx.add(&TLS_IN_QUIC, off, end - off, Value::None);
    let mut title: Option<String> = None;
    let frame = cx.frame_number;
    // A handshake type's name as tshark's titles write it.
    let name = |t: u8| handshake_name(u64::from(t)).unwrap_or("Encrypted Handshake Message");
    cx.child(|cx| {
        let mut first = true;
        if let Some(p) = pending.as_mut() {
            let have = p.buf.len();
            // (The message's type and length: its first four bytes, here or before.)
            let mut head: Vec<u8> = p.buf.iter().take(4).copied().collect();
            head.extend_from_slice(data.get(off..(off + 4).min(end)).unwrap_or(&[]));
            let mut take = end - off;
            let msg_len = rd::u24(&head, 1).map(|n| 4 + n as usize);
            if let Some(m) = msg_len {
                take = take.min(m.saturating_sub(have));
            }
            let t = head.first().copied().unwrap_or(0);
            p.buf.extend_from_slice(&data[off..off + take]);
            p.parts.push((frame, take));
            let last = msg_len == Some(have + take);
            if !last {
                // The data is all in the middle of the message.
                part(cx, off, take, &format!("Handshake Protocol: {} (fragment)", name(t)));
                title = Some("Multiple Handshake Messages".into());
                return;
            }
            part(cx, off, take, &format!("Handshake Protocol: {} (last fragment)", name(t)));
            off += take;
            let p = pending.take().unwrap_or_default();
            let mut info = Vec::new();
            let total = p.buf.len();
            cx.in_reassembled(p.buf, |cx, b| {
                cx.add_gen(&TLS_HS_FRAGMENTS, 0, total, Value::None);
                cx.child(|cx| {
                    let mut at = 0;
                    for &(f, n) in &p.parts {
                        cx.add_gen(&TLS_HS_FRAGMENT, at, n, Value::UInt(f));
                        at += n;
                    }
                    cx.add_gen(&TLS_HS_FRAGMENT_COUNT, 0, 0, Value::UInt(p.parts.len() as u64));
                });
                handshakes(cx, b, 0, total, 0x0304, true, &mut info);
            });
            title = Some(name(t).into());
            first = false;
        }
        while off < end {
            let msg_len = rd::u24(data, off + 1).filter(|_| off + 4 <= end).map(|n| 4 + n as usize);
            match msg_len {
                Some(m) if off + m <= end => {
                    let mut info = Vec::new();
                    handshakes(cx, data, off, off + m, 0x0304, true, &mut info);
                    if first {
                        title = Some(name(data[off]).into());
                    } else {
                        title = Some("Multiple Handshake Messages".into());
                    }
                    off += m;
                    first = false;
                }
                _ => {
                    // Too short to finish the message (or to say its length): kept for the
                    // frames that carry the rest.
                    let t = data[off];
                    // (A message longer than any handshake message is not waited for.)
                    if msg_len.is_none_or(|m| m <= MAX_HS_MESSAGE) {
                        *pending = Some(HsPending { buf: data[off..end].to_vec(), parts: vec![(frame, end - off)] });
                    }
                    part(cx, off, end - off, &format!("Handshake Protocol: {} (fragment)", name(t)));
                    title = Some(if first { format!("{} (fragment)", name(t)) } else { "Multiple Handshake Messages".into() });
                    break;
                }
            }
        }
    });
    if cx.text
        && let Some(f) = cx.out.fields.get_mut(item as usize)
        && std::ptr::eq(f.def, &TLS_IN_QUIC)
    {
        let what = title.as_deref().unwrap_or("Encrypted Handshake Message");
        f.value = Value::Str(format!("TLSv1.3 Record Layer: Handshake Protocol: {what}").into_boxed_str());
    }
}

/// The longest handshake message a QUIC CRYPTO stream is put together for.
const MAX_HS_MESSAGE: usize = 1 << 20;

/// The item marking a part of a handshake message (see [`TLS_HANDSHAKE_PART`]).
fn part(cx: &mut Ctx, off: usize, len: usize, label: &str) {
    if cx.text {
        cx.add(&TLS_HANDSHAKE_PART, off, len, Value::Str(label.into()));
    }
}

/// Handshake messages in `off..end`, each a subtree; their names go to `info`.
fn handshakes(cx: &mut Ctx, data: &[u8], mut off: usize, end: usize, version: u16, quic: bool, info: &mut Vec<&'static str>) {
    while off + 4 <= end {
        let (Some(t), Some(hl)) = (rd::u8(data, off), rd::u24(data, off + 1)) else { break };
        let mend = (off + 4 + hl as usize).min(end);
        cx.add(&TLS_HANDSHAKE, off, mend - off, Value::None);
        cx.child(|cx| {
            cx.add(&TLS_HANDSHAKE_TYPE, off, 1, Value::UInt(t as u64));
            cx.add(&TLS_HANDSHAKE_LENGTH, off + 1, 3, Value::UInt(hl as u64));
            let b = off + 4;
            match t {
                1 | 2 => hello(cx, data, b, mend, t == 1, quic),
                11 => certificates(cx, data, b, mend),
                12 => server_key_exchange(cx, data, b, mend, version),
                16 => client_key_exchange(cx, data, b, mend),
                4 => new_session_ticket(cx, data, b, mend),
                22 => certificate_status(cx, data, b, mend),
                _ => {}
            }
        });
        info.push(handshake_name(t as u64).unwrap_or("Unknown Handshake Message"));
        off = off + 4 + hl as usize;
    }
}

fn hello(cx: &mut Ctx, data: &[u8], b: usize, end: usize, client: bool, quic: bool) {
    let Some(v) = rd::u16(data, b).filter(|_| b + 2 <= end) else { return };
    cx.add(&TLS_HANDSHAKE_VERSION, b, 2, Value::UInt(v as u64));
    if b + 34 > end {
        return;
    }
    cx.add(&TLS_HANDSHAKE_RANDOM, b + 2, 32, Value::Bytes);
    // Wireshark splits the Random into its time and bytes for TLS over TCP, not for the
    // hellos QUIC carries, nor for a ServerHello choosing TLS 1.3 (which took the time out
    // of the Random).
    if !quic && (client || !chooses_tls13(data, b)) {
        cx.child(|cx| random_parts(cx, data, b + 2));
    }
    let mut p = b + 34;
    let Some(sl) = rd::u8(data, p) else { return };
    cx.add(&TLS_HANDSHAKE_SESSION_ID_LENGTH, p, 1, Value::UInt(sl as u64));
    p += 1;
    if sl > 0 && p + sl as usize <= end {
        cx.add(&TLS_HANDSHAKE_SESSION_ID, p, sl as usize, Value::Bytes);
    }
    p += sl as usize;
    if client {
        let Some(cl) = rd::u16(data, p).filter(|_| p + 2 <= end) else { return };
        cx.add(&TLS_HANDSHAKE_CIPHER_SUITES_LENGTH, p, 2, Value::UInt(cl as u64));
        p += 2;
        let cend = (p + cl as usize).min(end);
        cx.add(&TLS_HANDSHAKE_CIPHERSUITES, p, cend - p, Value::None);
        cx.child(|cx| {
            let mut q = p;
            while q + 2 <= cend {
                cx.add(&TLS_HANDSHAKE_CIPHERSUITE, q, 2, Value::UInt(rd::u16(data, q).unwrap_or(0) as u64));
                q += 2;
            }
        });
        p += cl as usize;
        let Some(ml) = rd::u8(data, p).filter(|_| p < end) else { return };
        cx.add(&TLS_HANDSHAKE_COMP_METHODS_LENGTH, p, 1, Value::UInt(ml as u64));
        p += 1;
        let mend = (p + ml as usize).min(end);
        cx.add(&TLS_HANDSHAKE_COMP_METHODS, p, mend - p, Value::None);
        cx.child(|cx| {
            for q in p..mend {
                cx.add(&TLS_HANDSHAKE_COMP_METHOD, q, 1, Value::UInt(rd::u8(data, q).unwrap_or(0) as u64));
            }
        });
        p += ml as usize;
    } else {
        let Some(cs) = rd::u16(data, p).filter(|_| p + 2 <= end) else { return };
        cx.add(&TLS_HANDSHAKE_CIPHERSUITE, p, 2, Value::UInt(cs as u64));
        p += 2;
        let Some(cm) = rd::u8(data, p).filter(|_| p < end) else { return };
        cx.add(&TLS_HANDSHAKE_COMP_METHOD, p, 1, Value::UInt(cm as u64));
        p += 1;
    }
    let Some(el) = rd::u16(data, p).filter(|_| p + 2 <= end) else { return };
    cx.add(&TLS_HANDSHAKE_EXTENSIONS_LENGTH, p, 2, Value::UInt(el as u64));
    p += 2;
    let eend = (p + el as usize).min(end);
    while p + 4 <= eend {
        let (Some(et), Some(elen)) = (rd::u16(data, p), rd::u16(data, p + 2)) else { break };
        let d = p + 4;
        let dend = (d + elen as usize).min(eend);
        if cx.wants(&WS_TEXT) {
            let mut t = String::from("Extension: ");
            match extension_name(et as u64) {
                Some(n) => t.push_str(n),
                None => {
                    let _ = write!(t, "Unknown type {et}");
                }
            }
            let _ = write!(t, " (len={elen})");
            cx.add(&WS_TEXT, p, dend - p, Value::Str(t.into_boxed_str()));
        }
        cx.child(|cx| {
            cx.add(&TLS_HANDSHAKE_EXTENSION_TYPE, p, 2, Value::UInt(et as u64));
            cx.add(&TLS_HANDSHAKE_EXTENSION_LEN, p + 2, 2, Value::UInt(elen as u64));
            extension(cx, data, et, d, dend, client);
        });
        p = d + elen as usize;
    }
    ja3(cx, data, b, end, client);
}

fn extension(cx: &mut Ctx, data: &[u8], et: u16, d: usize, dend: usize, client: bool) {
    match et {
        0 if dend >= d + 2 => {
            let Some(ll) = rd::u16(data, d) else { return };
            text(cx, d, dend - d, "Server Name Indication extension");
            cx.child(|cx| {
            cx.add(&TLS_SNI_LIST_LEN, d, 2, Value::UInt(ll as u64));
            let mut q = d + 2;
            while q + 3 <= dend {
                let (Some(nt), Some(nl)) = (rd::u8(data, q), rd::u16(data, q + 1)) else { break };
                cx.add(&TLS_SNI_TYPE, q, 1, Value::UInt(nt as u64));
                cx.add(&TLS_SNI_LEN, q + 1, 2, Value::UInt(nl as u64));
                let ne = (q + 3 + nl as usize).min(dend);
                let name = String::from_utf8_lossy(data.get(q + 3..ne).unwrap_or(&[])).into_owned();
                cx.add(&TLS_SNI, q + 3, ne - (q + 3), Value::Str(name.into_boxed_str()));
                q = ne;
            }
            });
        }
        16 if dend >= d + 2 => {
            let Some(ll) = rd::u16(data, d) else { return };
            cx.add(&TLS_ALPN_LEN, d, 2, Value::UInt(ll as u64));
            cx.add(&TLS_ALPN_LIST, d + 2, dend - d - 2, Value::None);
            cx.child(|cx| {
                let mut q = d + 2;
                while q < dend {
                    let Some(sl) = rd::u8(data, q) else { break };
                    let se = (q + 1 + sl as usize).min(dend);
                    cx.add(&TLS_ALPN_STR_LEN, q, 1, Value::UInt(sl as u64));
                    let s = String::from_utf8_lossy(data.get(q + 1..se).unwrap_or(&[])).into_owned();
                    cx.add(&TLS_ALPN_STR, q + 1, se - (q + 1), Value::Str(s.into_boxed_str()));
                    q = se;
                }
            });
        }
        43 if client && dend > d => {
            let Some(ll) = rd::u8(data, d) else { return };
            cx.add(&TLS_SUPPORTED_VERSIONS_LEN, d, 1, Value::UInt(ll as u64));
            let mut q = d + 1;
            while q + 2 <= dend {
                cx.add(&TLS_SUPPORTED_VERSION, q, 2, Value::UInt(rd::u16(data, q).unwrap_or(0) as u64));
                q += 2;
            }
        }
        43 if dend >= d + 2 => {
            cx.add(&TLS_SUPPORTED_VERSION, d, 2, Value::UInt(rd::u16(data, d).unwrap_or(0) as u64));
        }
        5 | 10 | 11 | 13 | 21 | 27 | 45 | 51 | 65281 if dend > d => ext_parts(cx, data, et, d, dend, client),
        57 | 0xffa5 if dend > d && super::quic_params::dissect(cx, data, d, dend) => {}
        41 if dend > d => pre_shared_key(cx, data, d, dend, client),
        _ if dend > d => {
            cx.add(&TLS_HANDSHAKE_EXTENSION_DATA, d, dend - d, Value::Bytes);
        }
        // An empty extension Wireshark has no handler for (GREASE, unknown types) still shows
        // its (missing) data; a session ticket's shows as `Data (0 bytes)`.
        35 => {
            cx.add(&TLS_HANDSHAKE_EXTENSION_DATA, d, 0, Value::Bytes);
        }
        _ if grease(et) || extension_name(et as u64).is_none() => {
            cx.add(&TLS_HANDSHAKE_EXTENSION_DATA, d, 0, Value::Bytes);
        }
        _ => {}
    }
}

/// The pre_shared_key extension (RFC 8446 4.2.11): a ClientHello's identities (each a
/// `PSK Identity (length: 64)` subtree) and binders, a ServerHello's chosen identity.
fn pre_shared_key(cx: &mut Ctx, data: &[u8], d: usize, dend: usize, client: bool) {
    text(cx, d, dend - d, "Pre-Shared Key extension");
    cx.child(|cx| {
        if !client {
            if let Some(v) = rd::u16(data, d).filter(|_| d + 2 <= dend) {
                cx.add(&TLS_PSK_SELECTED, d, 2, Value::UInt(v.into()));
            }
            return;
        }
        let Some(il) = rd::u16(data, d).filter(|_| d + 2 <= dend) else { return };
        cx.add(&TLS_PSK_IDENTITIES_LEN, d, 2, Value::UInt(il.into()));
        let iend = (d + 2 + il as usize).min(dend);
        let mut q = d + 2;
        while q + 2 <= iend {
            let Some(n) = rd::u16(data, q) else { break };
            let n = n as usize;
            text(cx, q, (2 + n + 4).min(iend - q), &format!("PSK Identity (length: {n})"));
            cx.child(|cx| {
                cx.add(&TLS_PSK_IDENTITY_LEN, q, 2, Value::UInt(n as u64));
                if q + 2 + n <= iend {
                    cx.add(&TLS_PSK_IDENTITY, q + 2, n, Value::Bytes);
                }
                if let Some(age) = rd::u32(data, q + 2 + n).filter(|_| q + 2 + n + 4 <= iend) {
                    cx.add(&TLS_PSK_TICKET_AGE, q + 2 + n, 4, Value::UInt(age.into()));
                }
            });
            q += 2 + n + 4;
        }
        let q = iend;
        let Some(bl) = rd::u16(data, q).filter(|_| q + 2 <= dend) else { return };
        cx.add(&TLS_PSK_BINDERS_LEN, q, 2, Value::UInt(bl.into()));
        cx.add(&TLS_PSK_BINDERS, q + 2, (bl as usize).min(dend - q - 2), Value::None);
    });
}

/// A text-only tree item (when the tree's text is wanted).
fn text(cx: &mut Ctx, off: usize, len: usize, s: &str) {
    if cx.wants(&WS_TEXT) {
        cx.add(&WS_TEXT, off, len, Value::Str(s.into()));
    }
}

/// The parts of the extensions Wireshark takes apart: status request, supported groups, EC
/// point formats, signature algorithms, padding, certificate compression, PSK modes, key
/// share, renegotiation info.
fn ext_parts(cx: &mut Ctx, data: &[u8], et: u16, d: usize, dend: usize, client: bool) {
    let u8_at = |q: usize| rd::u8(data, q).unwrap_or(0) as u64;
    let u16_at = |q: usize| rd::u16(data, q).unwrap_or(0) as u64;
    match et {
        5 => {
            cx.add(&TLS_STATUS_REQUEST_TYPE, d, 1, Value::UInt(u8_at(d)));
            if let (Some(r), Some(e)) = (rd::u16(data, d + 1), rd::u16(data, d + 3 + rd::u16(data, d + 1).unwrap_or(0) as usize)) {
                cx.add(&TLS_STATUS_REQUEST_RESPONDER_IDS_LEN, d + 1, 2, Value::UInt(r as u64));
                cx.add(&TLS_STATUS_REQUEST_EXTS_LEN, d + 3 + r as usize, 2, Value::UInt(e as u64));
            }
        }
        21 => {
            cx.add(&TLS_PADDING_DATA, d, dend - d, Value::Bytes);
        }
        27 => {
            cx.add(&TLS_COMPRESS_ALGS_LEN, d, 1, Value::UInt(u8_at(d)));
            let mut q = d + 1;
            while q + 2 <= dend {
                cx.add(&TLS_COMPRESS_ALG, q, 2, Value::UInt(u16_at(q)));
                q += 2;
            }
        }
        51 => {
            text(cx, d, dend - d, "Key Share extension");
            cx.child(|cx| {
                let mut q = d;
                if client {
                    if d + 2 > dend {
                        return;
                    }
                    cx.add(&TLS_KEY_SHARE_CLIENT_LEN, d, 2, Value::UInt(u16_at(d)));
                    q += 2;
                } else if dend - d == 2 {
                    cx.add(&TLS_KEY_SHARE_SELECTED_GROUP, d, 2, Value::UInt(u16_at(d)));
                    return;
                }
                while q + 4 <= dend {
                    let (g, kl) = (u16_at(q), u16_at(q + 2));
                    let ke = (q + 4 + kl as usize).min(dend);
                    if cx.wants(&WS_TEXT) {
                        let gname = group_name(g).unwrap_or("Unknown");
                        text(cx, q, ke - q, &format!("Key Share Entry: Group: {gname}, Key Exchange length: {kl}"));
                    }
                    cx.child(|cx| {
                        cx.add(&TLS_KEY_SHARE_GROUP, q, 2, Value::UInt(g));
                        cx.add(&TLS_KEY_SHARE_KE_LEN, q + 2, 2, Value::UInt(kl));
                        if ke > q + 4 {
                            cx.add(&TLS_KEY_SHARE_KE, q + 4, ke - q - 4, Value::Bytes);
                        }
                    });
                    q = ke;
                }
            });
        }
        10 => {
            if d + 2 > dend {
                return;
            }
            cx.add(&TLS_SUPPORTED_GROUPS_LEN, d, 2, Value::UInt(u16_at(d)));
            cx.add(&TLS_SUPPORTED_GROUPS, d + 2, dend - d - 2, Value::None);
            cx.child(|cx| {
                let mut q = d + 2;
                while q + 2 <= dend {
                    cx.add(&TLS_SUPPORTED_GROUP, q, 2, Value::UInt(u16_at(q)));
                    q += 2;
                }
            });
        }
        11 => {
            cx.add(&TLS_EC_POINT_FORMATS_LEN, d, 1, Value::UInt(u8_at(d)));
            cx.add(&TLS_EC_POINT_FORMATS, d + 1, dend - d - 1, Value::None);
            cx.child(|cx| {
                for q in d + 1..dend {
                    cx.add(&TLS_EC_POINT_FORMAT, q, 1, Value::UInt(u8_at(q)));
                }
            });
        }
        13 => {
            if d + 2 > dend {
                return;
            }
            cx.add(&TLS_SIG_HASH_ALG_LEN, d, 2, Value::UInt(u16_at(d)));
            cx.add(&TLS_SIG_HASH_ALGS, d + 2, dend - d - 2, Value::None);
            cx.child(|cx| {
                let mut q = d + 2;
                while q + 2 <= dend {
                    let a = u16_at(q);
                    cx.add(&TLS_SIG_HASH_ALG, q, 2, Value::UInt(a));
                    cx.child(|cx| {
                        cx.add(&TLS_SIG_HASH_HASH, q, 1, Value::UInt(a >> 8));
                        cx.add(&TLS_SIG_HASH_SIG, q + 1, 1, Value::UInt(a & 0xff));
                    });
                    q += 2;
                }
            });
        }
        45 => {
            cx.add(&TLS_PSK_KE_MODES_LEN, d, 1, Value::UInt(u8_at(d)));
            for q in d + 1..dend {
                cx.add(&TLS_PSK_KE_MODE, q, 1, Value::UInt(u8_at(q)));
            }
        }
        _ => {
            let ll = u8_at(d);
            text(cx, d, dend - d, "Renegotiation Info extension");
            cx.child(|cx| {
                cx.add(&TLS_RENEG_INFO_LEN, d, 1, Value::UInt(ll));
                let e = (d + 1 + ll as usize).min(dend);
                if e > d + 1 {
                    cx.add(&TLS_RENEG_INFO, d + 1, e - d - 1, Value::Bytes);
                }
            });
        }
    }
}

/// `Algorithm` names of the compress_certificate extension (RFC 8879).
fn compress_alg_name(v: u64) -> Option<&'static str> {
    Some(match v {
        1 => "zlib",
        2 => "brotli",
        3 => "zstd",
        _ => return None,
    })
}

/// `Supported Groups (4 groups)`.
fn groups_label(cx: &LabelCx<'_>, out: &mut String) {
    let n = cx.field.len / 2;
    let _ = write!(out, "Supported Groups ({n} group{})", if n == 1 { "" } else { "s" });
}

/// `Elliptic curves point formats (3)`.
fn point_formats_label(cx: &LabelCx<'_>, out: &mut String) {
    let _ = write!(out, "Elliptic curves point formats ({})", cx.field.len);
}

/// `Signature Hash Algorithms (9 algorithms)`.
fn sig_algs_label(cx: &LabelCx<'_>, out: &mut String) {
    let n = cx.field.len / 2;
    let _ = write!(out, "Signature Hash Algorithms ({n} algorithm{})", if n == 1 { "" } else { "s" });
}

/// An extension's data: `Data: 0a0b…`, a session ticket's `Data (176 bytes)` (`Data (0
/// bytes)` empty), and `Data: <MISSING>` for an empty extension Wireshark does not know.
fn ext_data_label(cx: &LabelCx<'_>, out: &mut String) {
    let ty = cx.idx.checked_sub(2).and_then(|i| cx.d.fields.get(i)).filter(|f| std::ptr::eq(f.def, &TLS_HANDSHAKE_EXTENSION_TYPE));
    // A session ticket's (`ssl_dissect_hnd_hello_ext_session_ticket`): its length in words,
    // empty or not.
    if let Some(Value::UInt(35)) = ty.map(|f| &f.value) {
        out.push_str("Data (");
        super::label::bytes_plural(u64::from(cx.field.len), out);
        out.push(')');
        return;
    }
    if cx.field.len > 0 {
        out.push_str("Data: ");
        cx.value(out);
        return;
    }
    out.push_str("Data: <MISSING>");
}

/// A signature algorithm as tshark writes it: its TLS 1.3 name, else the TLS 1.2 hash and
/// signature pair (`SHA224 ECDSA (0x0303)`).
fn sig_alg_text(a: u64) -> String {
    const HASH: [&str; 7] = ["None", "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512"];
    const SIG: [&str; 4] = ["Anonymous", "RSA", "DSA", "ECDSA"];
    if let Some(n) = sig_alg_name(a) {
        return format!("{n} (0x{a:04x})");
    }
    match (HASH.get((a >> 8) as usize), SIG.get((a & 0xff) as usize)) {
        (Some(h), Some(s)) => format!("{h} {s} (0x{a:04x})"),
        _ => format!("Unknown (0x{a:04x})"),
    }
}

/// The Random's parts: its first four bytes as a time, the rest.
fn random_parts(cx: &mut Ctx, data: &[u8], r: usize) {
    let Some(t) = rd::u32(data, r) else { return };
    cx.add(&TLS_HANDSHAKE_RANDOM_TIME, r, 4, Value::Time(Timestamp { secs: t as i64, nanos: 0 }));
    cx.add(&TLS_HANDSHAKE_RANDOM_BYTES, r + 4, 28, Value::Bytes);
}

/// The protocol tshark hands a connection's application data to by its port.
fn app_protocol(sport: Option<u16>, dport: Option<u16>) -> Option<&'static str> {
    let by = |p: u16| match p {
        443 => Some("Hypertext Transfer Protocol"),
        _ => None,
    };
    sport.and_then(by).or_else(|| dport.and_then(by))
}

/// The child fields of the record field at `cx.idx` (one level down).
fn kids<'a>(cx: &LabelCx<'a>) -> impl Iterator<Item = &'a Field> + 'a {
    let depth = cx.field.depth;
    cx.children().filter(move |f| f.depth == depth + 1)
}

/// `TLSv1.2 Record Layer: Handshake Protocol: Client Hello`.
fn record_label(cx: &LabelCx<'_>, out: &mut String) {
    let mut ct = 0;
    let mut ver = 0;
    let mut hs: Vec<u64> = Vec::new();
    let mut encrypted_hs = false;
    let mut alert: Option<(u64, u64)> = None;
    let mut app: Option<&str> = None;
    let depth = cx.field.depth;
    for f in cx.children() {
        let v = match f.value {
            Value::UInt(n) => n,
            _ => 0,
        };
        if f.depth == depth + 1 {
            if std::ptr::eq(f.def, &TLS_RECORD_CONTENT_TYPE) || std::ptr::eq(f.def, &TLS_RECORD_OPAQUE_TYPE) {
                ct = v;
            } else if std::ptr::eq(f.def, &TLS_RECORD_VERSION) {
                ver = v;
            } else if std::ptr::eq(f.def, &TLS_HANDSHAKE) {
                encrypted_hs = true;
            } else if std::ptr::eq(f.def, &TLS_APP_DATA_PROTO)
                && let Value::Str(s) = &f.value
            {
                app = Some(s);
            }
        } else if f.depth == depth + 2 {
            if std::ptr::eq(f.def, &TLS_HANDSHAKE_TYPE) {
                hs.push(v);
            } else if std::ptr::eq(f.def, &TLS_ALERT_LEVEL) {
                alert = Some((v, 0));
            } else if std::ptr::eq(f.def, &TLS_ALERT_DESC) {
                alert = alert.map(|(l, _)| (l, v));
            }
        }
    }
    let hello = hs.first().is_some_and(|t| matches!(t, 1 | 2));
    let version = match cx.d.protocol {
        p if !hello && (p.starts_with("TLS") || p.starts_with("SSL")) => p,
        _ => match ver {
            0x0300 => "SSLv3",
            0x0301 => "TLSv1",
            0x0302 => "TLSv1.1",
            0x0304 => "TLSv1.3",
            _ => "TLSv1.2",
        },
    };
    out.push_str(version);
    out.push_str(" Record Layer: ");
    match ct {
        21 => match alert {
            Some((l, d)) => {
                let _ = write!(out, "Alert (Level: {}, Description: {})", alert_level_name(l).unwrap_or("Unknown"), alert_desc_name(d).unwrap_or("Unknown"));
            }
            None => out.push_str("Encrypted Alert"),
        },
        _ => {
            let _ = write!(out, "{} Protocol: ", content_type_name(ct).unwrap_or("unknown"));
            match ct {
                20 => out.push_str("Change Cipher Spec"),
                22 if hs.len() > 1 => out.push_str("Multiple Handshake Messages"),
                22 if hs.len() == 1 => out.push_str(handshake_name(hs[0]).unwrap_or("Unknown")),
                22 if encrypted_hs => out.push_str("Encrypted Handshake Message"),
                23 => out.push_str(app.unwrap_or("Application Data")),
                _ => {}
            }
        }
    }
}

/// `Handshake Protocol: Client Hello`, or an encrypted message's.
fn handshake_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str("Handshake Protocol: ");
    match kids(cx).find(|f| std::ptr::eq(f.def, &TLS_HANDSHAKE_TYPE)).map(|f| &f.value) {
        Some(Value::UInt(t)) => out.push_str(handshake_name(*t).unwrap_or("Unknown")),
        _ => out.push_str("Encrypted Handshake Message"),
    }
}

/// `Cipher Suites (28 suites)`.
fn suites_label(cx: &LabelCx<'_>, out: &mut String) {
    let n = cx.field.len / 2;
    let _ = write!(out, "Cipher Suites ({n} suite{})", if n == 1 { "" } else { "s" });
}

/// `Compression Methods (1 method)`.
fn methods_label(cx: &LabelCx<'_>, out: &mut String) {
    let n = cx.field.len;
    let _ = write!(out, "Compression Methods ({n} method{})", if n == 1 { "" } else { "s" });
}

/// `Curve Type` names (RFC 8422's ECCurveType).
fn curve_type_name(v: u64) -> Option<&'static str> {
    Some(match v {
        1 => "explicit_prime",
        2 => "explicit_char2",
        3 => "named_curve",
        _ => return None,
    })
}

/// A TLS 1.2 signature algorithm and its hash and signature halves, then the signature.
fn signature(cx: &mut Ctx, data: &[u8], mut p: usize, end: usize, version: u16) {
    if version >= 0x0303 {
        let Some(a) = rd::u16(data, p).filter(|_| p + 2 <= end) else { return };
        cx.add(&TLS_SIG_HASH_ALG, p, 2, Value::UInt(a as u64));
        cx.child(|cx| {
            cx.add(&TLS_SIG_HASH_HASH, p, 1, Value::UInt((a >> 8) as u64));
            cx.add(&TLS_SIG_HASH_SIG, p + 1, 1, Value::UInt((a & 0xff) as u64));
        });
        p += 2;
    }
    let Some(sl) = rd::u16(data, p).filter(|_| p + 2 <= end) else { return };
    cx.add(&TLS_SIG_LEN, p, 2, Value::UInt(sl as u64));
    let se = (p + 2 + sl as usize).min(end);
    if se > p + 2 {
        cx.add(&TLS_SIG, p + 2, se - p - 2, Value::Bytes);
    }
}

/// A length-prefixed value: its length field `len_def` (1 or 2 bytes), then `def`. Returns
/// where the next one starts.
fn prefixed(cx: &mut Ctx, data: &[u8], p: usize, end: usize, wide: bool, len_def: &'static FieldDef, def: &'static FieldDef) -> Option<usize> {
    let (l, w) = if wide { (rd::u16(data, p)? as usize, 2) } else { (rd::u8(data, p)? as usize, 1) };
    if p + w > end {
        return None;
    }
    cx.add(len_def, p, w, Value::UInt(l as u64));
    let e = (p + w + l).min(end);
    if e > p + w {
        cx.add(def, p + w, e - p - w, Value::Bytes);
    }
    Some(p + w + l)
}

/// A ServerKeyExchange: ECDHE parameters (a named curve and point) or finite-field DHE ones,
/// then the signature over them.
fn server_key_exchange(cx: &mut Ctx, data: &[u8], b: usize, end: usize, version: u16) {
    if rd::u8(data, b) == Some(3) && b + 4 <= end {
        text(cx, b, end - b, "EC Diffie-Hellman Server Params");
        cx.child(|cx| {
            cx.add(&TLS_SERVER_CURVE_TYPE, b, 1, Value::UInt(3));
            cx.add(&TLS_SERVER_NAMED_CURVE, b + 1, 2, Value::UInt(rd::u16(data, b + 1).unwrap_or(0) as u64));
            if let Some(p) = prefixed(cx, data, b + 3, end, false, &TLS_SERVER_POINT_LEN, &TLS_SERVER_POINT) {
                signature(cx, data, p, end, version);
            }
        });
    } else if b + 2 <= end {
        text(cx, b, end - b, "Diffie-Hellman Server Params");
        cx.child(|cx| {
            let p = prefixed(cx, data, b, end, true, &TLS_P_LEN, &TLS_P);
            let p = p.and_then(|p| prefixed(cx, data, p, end, true, &TLS_G_LEN, &TLS_G));
            let p = p.and_then(|p| prefixed(cx, data, p, end, true, &TLS_YS_LEN, &TLS_YS));
            if let Some(p) = p {
                signature(cx, data, p, end, version);
            }
        });
    }
}

/// A ClientKeyExchange: an ECDH public point (one length byte) or an RSA-encrypted
/// premaster secret (two length bytes).
fn client_key_exchange(cx: &mut Ctx, data: &[u8], b: usize, end: usize) {
    let Some(l1) = rd::u8(data, b).filter(|_| b < end) else { return };
    if b + 1 + l1 as usize == end {
        text(cx, b, end - b, "EC Diffie-Hellman Client Params");
        cx.child(|cx| prefixed(cx, data, b, end, false, &TLS_CLIENT_POINT_LEN, &TLS_CLIENT_POINT));
    } else if rd::u16(data, b).is_some_and(|l| b + 2 + l as usize == end) {
        text(cx, b, end - b, "RSA Encrypted PreMaster Secret");
        cx.child(|cx| prefixed(cx, data, b, end, true, &TLS_EPMS_LEN, &TLS_EPMS));
    }
}

/// A NewSessionTicket as TLS 1.2 and earlier send it (RFC 5077): the ticket's lifetime hint
/// and the opaque ticket, under a `TLS Session Ticket` subtree over the whole body. TLS 1.3's
/// (with its age add, nonce and extensions) only ever travels encrypted, so it is never read.
fn new_session_ticket(cx: &mut Ctx, data: &[u8], b: usize, end: usize) {
    let Some(hint) = rd::u32(data, b).filter(|_| b + 4 <= end) else { return };
    text(cx, b, end - b, "TLS Session Ticket");
    cx.child(|cx| {
        cx.add(&TLS_TICKET_LIFETIME_HINT, b, 4, Value::UInt(hint as u64));
        prefixed(cx, data, b + 4, end, true, &TLS_TICKET_LEN, &TLS_TICKET);
    });
}

/// `Session Ticket Lifetime Hint: 7200 seconds (2 hours)`: the words only from a minute up,
/// as `ssl_dissect_hnd_new_ses_ticket` appends them.
fn lifetime_hint_label(cx: &LabelCx<'_>, out: &mut String) {
    let v = cx.uint();
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    super::push_dec(out, v);
    out.push_str(if v == 1 { " second" } else { " seconds" });
    if v >= 60 {
        out.push_str(" (");
        super::label::duration_words(v, out);
        out.push(')');
    }
}

/// A CertificateStatus: its type and, for OCSP, the stapled response.
fn certificate_status(cx: &mut Ctx, data: &[u8], b: usize, end: usize) {
    let Some(t) = rd::u8(data, b).filter(|_| b < end) else { return };
    cx.add(&TLS_STATUS_REQUEST_TYPE, b, 1, Value::UInt(t as u64));
    let Some(l) = rd::u24(data, b + 1).filter(|_| b + 4 <= end) else { return };
    if t != 1 {
        return;
    }
    cx.add(&TLS_OCSP_RESPONSE_LEN, b + 1, 3, Value::UInt(l as u64));
    let e = (b + 4 + l as usize).min(end);
    super::x509::ocsp_response(cx, data, b + 4, e);
}

/// `Signature Algorithm: ecdsa_secp256r1_sha256 (0x0403)`.
fn sig_alg_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    out.push_str(": ");
    out.push_str(&sig_alg_text(cx.uint()));
}

/// Whether a value is one of RFC 8701's GREASE values (JA3 leaves them out).
fn grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
}

/// JA3 (ClientHello) or JA3S (ServerHello): the hello's version, cipher suites, extension
/// types, supported groups and point formats as decimal lists, and that string's MD5.
fn ja3(cx: &mut Ctx, data: &[u8], b: usize, end: usize, client: bool) {
    let (full_def, hash_def) = if client { (&TLS_JA3_FULL, &TLS_JA3) } else { (&TLS_JA3S_FULL, &TLS_JA3S) };
    if !cx.wants(full_def) && !cx.wants(hash_def) {
        return;
    }
    let Some(s) = ja3_string(data, b, end, client) else { return };
    let digest = <md5::Md5 as md5::Digest>::digest(s.as_bytes());
    let mut hex = String::with_capacity(32);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    cx.add_gen(full_def, b, 0, Value::Str(s.into_boxed_str()));
    cx.add_gen(hash_def, b, 0, Value::Str(hex.into_boxed_str()));
}

fn ja3_string(data: &[u8], b: usize, end: usize, client: bool) -> Option<String> {
    let list = |v: &[u16]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("-");
    let version = rd::u16(data, b)?;
    let mut p = b + 34;
    p += 1 + *data.get(p)? as usize;
    let mut ciphers = Vec::new();
    if client {
        let cl = rd::u16(data, p)? as usize;
        let mut q = p + 2;
        while q + 2 <= (p + 2 + cl).min(end) {
            ciphers.push(rd::u16(data, q)?);
            q += 2;
        }
        p += 2 + cl;
        p += 1 + *data.get(p)? as usize;
    } else {
        ciphers.push(rd::u16(data, p)?);
        p += 3;
    }
    let (mut exts, mut groups, mut formats) = (Vec::new(), Vec::new(), Vec::new());
    if p + 2 <= end {
        let eend = (p + 2 + rd::u16(data, p)? as usize).min(end);
        p += 2;
        while p + 4 <= eend {
            let (t, l) = (rd::u16(data, p)?, rd::u16(data, p + 2)? as usize);
            let d = p + 4;
            exts.push(t);
            if t == 10 && d + 2 <= eend {
                let mut q = d + 2;
                while q + 2 <= (d + 2 + rd::u16(data, d)? as usize).min(eend) {
                    groups.push(rd::u16(data, q)?);
                    q += 2;
                }
            } else if t == 11 && d < eend {
                formats.extend(data.get(d + 1..(d + 1 + data[d] as usize).min(eend))?.iter().map(|f| u16::from(*f)));
            }
            p = d + l;
        }
    }
    let clean = |v: Vec<u16>| v.into_iter().filter(|n| !grease(*n)).collect::<Vec<_>>();
    let (ciphers, exts, groups) = (clean(ciphers), clean(exts), clean(groups));
    Some(if client {
        format!("{version},{},{},{},{}", list(&ciphers), list(&exts), list(&groups), list(&formats))
    } else {
        format!("{version},{},{}", list(&ciphers), list(&exts))
    })
}

fn certificates(cx: &mut Ctx, data: &[u8], b: usize, end: usize) {
    let Some(total) = rd::u24(data, b).filter(|_| b + 3 <= end) else { return };
    cx.add(&TLS_CERTIFICATES_LENGTH, b, 3, Value::UInt(total as u64));
    let list_end = (b + 3 + total as usize).min(end);
    if list_end <= b + 3 {
        return;
    }
    cx.add(&TLS_CERTIFICATES, b + 3, list_end - (b + 3), Value::None);
    cx.child(|cx| {
        let mut p = b + 3;
        while p + 3 <= list_end {
            let Some(cl) = rd::u24(data, p) else { break };
            cx.add(&TLS_CERTIFICATE_LENGTH, p, 3, Value::UInt(cl as u64));
            let ce = (p + 3 + cl as usize).min(list_end);
            cx.add(&TLS_CERTIFICATE, p + 3, ce - (p + 3), Value::Bytes);
            cx.child(|cx| super::x509::certificate(cx, data, p + 3, ce));
            p = p + 3 + cl as usize;
        }
    });
}

/// `Certificates (786 bytes)`.
fn certificates_label(cx: &LabelCx<'_>, out: &mut String) {
    let _ = write!(out, "Certificates ({} bytes)", cx.field.len);
}

/// `Certificate: 3082030b… (id-at-commonName=game.local)`: the bytes, then the subject.
fn certificate_label(cx: &LabelCx<'_>, out: &mut String) {
    let start = out.len();
    out.push_str("Certificate: ");
    cx.value(out);
    super::x509::push_subject(cx, out, start);
}

pub fn content_type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        20 => "Change Cipher Spec",
        21 => "Alert",
        22 => "Handshake",
        23 => "Application Data",
        24 => "Heartbeat",
        _ => return None,
    })
}

pub fn version_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        // RFC 8701's GREASE values.
        v if v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff => "Reserved (GREASE)",
        _ => return None,
    })
}

pub fn handshake_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "Hello Request",
        1 => "Client Hello",
        2 => "Server Hello",
        3 => "Hello Verify Request",
        4 => "New Session Ticket",
        5 => "End of Early Data",
        8 => "Encrypted Extensions",
        11 => "Certificate",
        12 => "Server Key Exchange",
        13 => "Certificate Request",
        14 => "Server Hello Done",
        15 => "Certificate Verify",
        16 => "Client Key Exchange",
        20 => "Finished",
        21 => "Certificate URL",
        22 => "Certificate Status",
        24 => "Key Update",
        _ => return None,
    })
}
