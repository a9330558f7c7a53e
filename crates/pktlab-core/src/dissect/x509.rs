//! X.509 certificates, as the TLS Certificate handshake carries them: a DER walk along the
//! ASN.1 modules' structure (Certificate, Name, Validity, SubjectPublicKeyInfo and the usual
//! extensions), each element a field named as Wireshark's generated x509af / x509if /
//! x509sat / x509ce / pkix1explicit / pkix1implicit / pkcs1 dissectors name it, object
//! identifiers named from Wireshark's OID registry.
//!
//! DER is read with a small tag-length walker rather than a certificate crate: the tree needs
//! every element's byte range and the module's element names, which a parsed certificate
//! struct does not keep.

use super::Ctx;
use super::label::LabelCx;
use super::model::*;
use std::fmt::Write as _;

const fn f(abbrev: &'static str, name: &'static str, ftype: FieldType, base: Base) -> FieldDef {
    FieldDef::new(abbrev, name, ftype, base)
}
const N: FieldType = FieldType::None;
const B: Base = Base::None;
const D: Base = Base::Dec;

pub static SIGNED_CERTIFICATE: FieldDef = f("x509af.signedCertificate_element", "signedCertificate", N, B);
pub static VERSION: FieldDef = f("x509af.version", "version", FieldType::I32, D).vals(version_name);
pub static SERIAL_NUMBER: FieldDef = f("x509af.serialNumber", "serialNumber", FieldType::Bytes, B).custom(hex_integer);
pub static SIGNATURE: FieldDef = f("x509af.signature_element", "signature", N, B).whole(named_by_oid);
pub static ALGORITHM_ID: FieldDef = f("x509af.algorithm.id", "Algorithm Id", FieldType::Str, B).custom(oid_label);
pub static ISSUER: FieldDef = f("x509af.issuer", "issuer", FieldType::U32, D).vals(name_choice);
pub static IF_RDN_SEQUENCE: FieldDef = f("x509if.rdnSequence", "rdnSequence", FieldType::U32, D).custom(rdn_sequence_label);
pub static AF_RDN_SEQUENCE: FieldDef = f("x509af.rdnSequence", "rdnSequence", FieldType::U32, D).custom(rdn_sequence_label);
pub static RDN_ITEM: FieldDef = f("x509if.RDNSequence_item", "RDNSequence item", FieldType::U32, D).custom(rdn_item_label);
pub static RDN_ATTRIBUTE: FieldDef = f("x509if.RelativeDistinguishedName_item_element", "RelativeDistinguishedName item", N, B).whole(rdn_attribute_label);
pub static ATTRIBUTE_TYPE: FieldDef = f("x509if.oid", "Object Id", FieldType::Str, B).custom(oid_label);
pub static COUNTRY_NAME: FieldDef = f("x509sat.CountryName", "CountryName", FieldType::Str, B);
pub static PRINTABLE: FieldDef = f("x509sat.PrintableString", "PrintableString", FieldType::Str, B);
pub static IA5: FieldDef = f("x509sat.IA5String", "IA5String", FieldType::Str, B);
pub static DIRECTORY_STRING: FieldDef = f("x509sat.DirectoryString", "DirectoryString", FieldType::U32, D).vals(directory_string_name);
pub static TELETEX_STRING: FieldDef = f("x509sat.teletexString", "teletexString", FieldType::Str, B);
pub static PRINTABLE_STRING: FieldDef = f("x509sat.printableString", "printableString", FieldType::Str, B);
pub static UNIVERSAL_STRING: FieldDef = f("x509sat.universalString", "universalString", FieldType::Str, B);
pub static BMP_STRING: FieldDef = f("x509sat.bmpString", "bmpString", FieldType::Str, B);
pub static UTF8_STRING: FieldDef = f("x509sat.uTF8String", "uTF8String", FieldType::Str, B);
pub static VALIDITY: FieldDef = f("x509af.validity_element", "validity", N, B);
pub static NOT_BEFORE: FieldDef = f("x509af.notBefore", "notBefore", FieldType::U32, D).vals(time_choice);
pub static NOT_AFTER: FieldDef = f("x509af.notAfter", "notAfter", FieldType::U32, D).vals(time_choice);
pub static UTC_TIME: FieldDef = f("x509af.utcTime", "utcTime", FieldType::Str, B);
pub static GENERALIZED_TIME: FieldDef = f("x509af.generalizedTime", "generalizedTime", FieldType::AbsTime, B);
pub static SUBJECT: FieldDef = f("x509af.subject", "subject", FieldType::U32, D).vals(name_choice);
pub static SUBJECT_PUBLIC_KEY_INFO: FieldDef = f("x509af.subjectPublicKeyInfo_element", "subjectPublicKeyInfo", N, B);
pub static ALGORITHM: FieldDef = f("x509af.algorithm_element", "algorithm", N, B).whole(named_by_oid);
pub static SUBJECT_PUBLIC_KEY: FieldDef = f("x509af.subjectPublicKey", "subjectPublicKey", FieldType::Bytes, B);
pub static PADDING: FieldDef = f("ber.bitstring.padding", "Padding", FieldType::U8, D);
pub static MODULUS: FieldDef = f("pkcs1.modulus", "modulus", FieldType::Bytes, B).custom(hex_integer);
pub static PUBLIC_EXPONENT: FieldDef = f("pkcs1.publicExponent", "publicExponent", FieldType::I32, D);
pub static EC_PARAMETERS: FieldDef = f("pkcs1.ECParameters", "ECParameters", FieldType::U32, D).vals(ec_parameters_choice);
pub static NAMED_CURVE: FieldDef = f("pkcs1.namedCurve", "namedCurve", FieldType::Str, B).custom(oid_label);
pub static ISSUER_UNIQUE_ID: FieldDef = f("x509af.issuerUniqueIdentifier", "issuerUniqueIdentifier", FieldType::Bytes, B);
pub static SUBJECT_UNIQUE_ID: FieldDef = f("x509af.subjectUniqueIdentifier", "subjectUniqueIdentifier", FieldType::Bytes, B);
pub static EXTENSIONS: FieldDef = f("x509af.extensions", "extensions", FieldType::U32, D).custom(items_label);
pub static EXTENSION: FieldDef = f("x509af.Extension_element", "Extension", N, B).whole(named_by_oid);
pub static EXTENSION_ID: FieldDef = f("x509af.extension.id", "Extension Id", FieldType::Str, B).custom(oid_label);
pub static CRITICAL: FieldDef = f("x509af.critical", "critical", FieldType::Bool, B);
pub static ALGORITHM_IDENTIFIER: FieldDef = f("x509af.algorithmIdentifier_element", "algorithmIdentifier", N, B).whole(named_by_oid);
pub static ENCRYPTED: FieldDef = f("x509af.encrypted", "encrypted", FieldType::Bytes, B);
pub static AUTHORITY_KEY_ID: FieldDef = f("x509ce.AuthorityKeyIdentifier_element", "AuthorityKeyIdentifier", N, B).whole(sequence_label);
pub static KEY_IDENTIFIER: FieldDef = f("x509ce.keyIdentifier", "keyIdentifier", FieldType::Bytes, B);
pub static AUTHORITY_CERT_ISSUER: FieldDef = f("x509ce.authorityCertIssuer", "authorityCertIssuer", FieldType::U32, D).custom(items_label);
pub static AUTHORITY_CERT_SERIAL: FieldDef = f("x509ce.authorityCertSerialNumber", "authorityCertSerialNumber", FieldType::Bytes, B).custom(hex_integer);
pub static SUBJECT_KEY_ID: FieldDef = f("x509ce.SubjectKeyIdentifier", "SubjectKeyIdentifier", FieldType::Bytes, B);
pub static GENERAL_NAMES: FieldDef = f("x509ce.GeneralNames", "GeneralNames", FieldType::U32, D).custom(items_label);
pub static GENERAL_NAME: FieldDef = f("x509ce.GeneralName", "GeneralName", FieldType::U32, D).vals(general_name_choice);
pub static RFC822_NAME: FieldDef = f("x509ce.rfc822Name", "rfc822Name", FieldType::Str, B);
pub static DNS_NAME: FieldDef = f("x509ce.dNSName", "dNSName", FieldType::Str, B);
pub static DIRECTORY_NAME: FieldDef = f("x509ce.directoryName", "directoryName", FieldType::U32, D).vals(name_choice);
pub static URI: FieldDef = f("x509ce.uniformResourceIdentifier", "uniformResourceIdentifier", FieldType::Str, B);
pub static IP_ADDRESS: FieldDef = f("x509ce.iPAddress", "iPAddress", FieldType::Bytes, B);
pub static REGISTERED_ID: FieldDef = f("x509ce.registeredID", "registeredID", FieldType::Str, B).custom(oid_label);
pub static KEY_USAGE: FieldDef = f("x509ce.KeyUsage", "KeyUsage", FieldType::Bytes, B);
pub static KU_DIGITAL_SIGNATURE: FieldDef = f("x509ce.KeyUsage.digitalSignature", "digitalSignature", FieldType::Bool, B).mask(0x80).tfs("True", "False");
pub static KU_CONTENT_COMMITMENT: FieldDef = f("x509ce.KeyUsage.contentCommitment", "contentCommitment", FieldType::Bool, B).mask(0x40).tfs("True", "False");
pub static KU_KEY_ENCIPHERMENT: FieldDef = f("x509ce.KeyUsage.keyEncipherment", "keyEncipherment", FieldType::Bool, B).mask(0x20).tfs("True", "False");
pub static KU_DATA_ENCIPHERMENT: FieldDef = f("x509ce.KeyUsage.dataEncipherment", "dataEncipherment", FieldType::Bool, B).mask(0x10).tfs("True", "False");
pub static KU_KEY_AGREEMENT: FieldDef = f("x509ce.KeyUsage.keyAgreement", "keyAgreement", FieldType::Bool, B).mask(0x08).tfs("True", "False");
pub static KU_KEY_CERT_SIGN: FieldDef = f("x509ce.KeyUsage.keyCertSign", "keyCertSign", FieldType::Bool, B).mask(0x04).tfs("True", "False");
pub static KU_CRL_SIGN: FieldDef = f("x509ce.KeyUsage.cRLSign", "cRLSign", FieldType::Bool, B).mask(0x02).tfs("True", "False");
pub static KU_ENCIPHER_ONLY: FieldDef = f("x509ce.KeyUsage.encipherOnly", "encipherOnly", FieldType::Bool, B).mask(0x01).tfs("True", "False");
pub static KU_DECIPHER_ONLY: FieldDef = f("x509ce.KeyUsage.decipherOnly", "decipherOnly", FieldType::Bool, B).mask(0x80).tfs("True", "False");
pub static KEY_PURPOSE_IDS: FieldDef = f("x509ce.KeyPurposeIDs", "KeyPurposeIDs", FieldType::U32, D).custom(items_label);
pub static KEY_PURPOSE_ID: FieldDef = f("x509ce.KeyPurposeId", "KeyPurposeId", FieldType::Str, B).custom(oid_label);
pub static CRL_DIST_POINTS: FieldDef = f("x509ce.CRLDistPointsSyntax", "CRLDistPointsSyntax", FieldType::U32, D).custom(items_label);
pub static DISTRIBUTION_POINT_ELEMENT: FieldDef = f("x509ce.DistributionPoint_element", "DistributionPoint", N, B);
pub static DISTRIBUTION_POINT: FieldDef = f("x509ce.distributionPoint", "distributionPoint", FieldType::U32, D).vals(dp_name_choice);
pub static FULL_NAME: FieldDef = f("x509ce.fullName", "fullName", FieldType::U32, D).custom(items_label);
pub static CRL_ISSUER: FieldDef = f("x509ce.cRLIssuer", "cRLIssuer", FieldType::U32, D).custom(items_label);
pub static POLICIES: FieldDef = f("x509ce.CertificatePoliciesSyntax", "CertificatePoliciesSyntax", FieldType::U32, D).custom(items_label);
pub static POLICY_INFORMATION: FieldDef = f("x509ce.PolicyInformation_element", "PolicyInformation", N, B);
pub static POLICY_IDENTIFIER: FieldDef = f("x509ce.policyIdentifier", "policyIdentifier", FieldType::Str, B).custom(oid_label);
pub static POLICY_QUALIFIERS: FieldDef = f("x509ce.policyQualifiers", "policyQualifiers", FieldType::U32, D).custom(items_label);
pub static POLICY_QUALIFIER_INFO: FieldDef = f("x509ce.PolicyQualifierInfo_element", "PolicyQualifierInfo", N, B);
pub static POLICY_QUALIFIER_ID: FieldDef = f("x509ce.id", "Id", FieldType::Str, B).custom(oid_label);
pub static CPS_URI: FieldDef = f("pkix1explicit.DirectoryString", "DirectoryString", FieldType::Str, B);
pub static USER_NOTICE: FieldDef = f("pkix1implicit.UserNotice_element", "UserNotice", N, B).whole(sequence_label);
pub static EXPLICIT_TEXT: FieldDef = f("pkix1implicit.explicitText", "explicitText", FieldType::U32, D).vals(display_text_choice);
pub static DT_IA5_STRING: FieldDef = f("pkix1implicit.ia5String", "ia5String", FieldType::Str, B);
pub static DT_VISIBLE_STRING: FieldDef = f("pkix1implicit.visibleString", "visibleString", FieldType::Str, B);
pub static DT_BMP_STRING: FieldDef = f("pkix1implicit.bmpString", "bmpString", FieldType::Str, B);
pub static DT_UTF8_STRING: FieldDef = f("pkix1implicit.utf8String", "utf8String", FieldType::Str, B);
pub static BASIC_CONSTRAINTS: FieldDef = f("x509ce.BasicConstraintsSyntax_element", "BasicConstraintsSyntax", N, B).whole(sequence_label);
pub static CA: FieldDef = f("x509ce.cA", "cA", FieldType::Bool, B);
pub static PATH_LEN: FieldDef = f("x509ce.pathLenConstraint", "pathLenConstraint", FieldType::U64, D);
pub static AUTHORITY_INFO_ACCESS: FieldDef = f("pkix1implicit.AuthorityInfoAccessSyntax", "AuthorityInfoAccessSyntax", FieldType::U32, D).custom(items_label);
pub static ACCESS_DESCRIPTION: FieldDef = f("pkix1implicit.AccessDescription_element", "AccessDescription", N, B);
pub static ACCESS_METHOD: FieldDef = f("pkix1implicit.accessMethod", "accessMethod", FieldType::Str, B).custom(oid_label);
pub static ACCESS_LOCATION: FieldDef = f("pkix1implicit.accessLocation", "accessLocation", FieldType::U32, D);

pub static OCSP: FieldDef = f("ocsp", "OCSP Response", N, B);
pub static OCSP_RESPONSE_STATUS: FieldDef = f("ocsp.responseStatus", "responseStatus", FieldType::U32, D).vals(ocsp_status_name);
pub static OCSP_RESPONSE_BYTES: FieldDef = f("ocsp.responseBytes_element", "responseBytes", N, B);
pub static OCSP_RESPONSE_TYPE: FieldDef = f("ocsp.responseType.id", "ResponseType Id", FieldType::Str, B).custom(oid_label);
pub static OCSP_BASIC_RESPONSE: FieldDef = f("ocsp.BasicOCSPResponse_element", "BasicOCSPResponse", N, B);
pub static OCSP_TBS_RESPONSE_DATA: FieldDef = f("ocsp.tbsResponseData_element", "tbsResponseData", N, B);
pub static OCSP_RESPONDER_ID: FieldDef = f("ocsp.responderID", "responderID", FieldType::U32, D).vals(responder_id_choice);
pub static OCSP_BY_NAME: FieldDef = f("ocsp.byName", "byName", FieldType::U32, D).vals(name_choice);
pub static OCSP_BY_KEY: FieldDef = f("ocsp.byKey", "byKey", FieldType::Bytes, B);
pub static OCSP_PRODUCED_AT: FieldDef = f("ocsp.producedAt", "producedAt", FieldType::AbsTime, B);
pub static OCSP_RESPONSES: FieldDef = f("ocsp.responses", "responses", FieldType::U32, D).custom(items_label);
pub static OCSP_SINGLE_RESPONSE: FieldDef = f("ocsp.SingleResponse_element", "SingleResponse", N, B);
pub static OCSP_CERT_ID: FieldDef = f("ocsp.certID_element", "certID", N, B);
pub static OCSP_HASH_ALGORITHM: FieldDef = f("ocsp.hashAlgorithm_element", "hashAlgorithm", N, B).whole(named_by_oid);
pub static OCSP_ISSUER_NAME_HASH: FieldDef = f("ocsp.issuerNameHash", "issuerNameHash", FieldType::Bytes, B);
pub static OCSP_ISSUER_KEY_HASH: FieldDef = f("ocsp.issuerKeyHash", "issuerKeyHash", FieldType::Bytes, B);
pub static OCSP_SERIAL_NUMBER: FieldDef = f("ocsp.serialNumber", "serialNumber", FieldType::Bytes, B).custom(hex_integer);
pub static OCSP_CERT_STATUS: FieldDef = f("ocsp.certStatus", "certStatus", FieldType::U32, D).vals(cert_status_choice);
pub static OCSP_GOOD: FieldDef = f("ocsp.good_element", "good", N, B);
pub static OCSP_THIS_UPDATE: FieldDef = f("ocsp.thisUpdate", "thisUpdate", FieldType::AbsTime, B);
pub static OCSP_NEXT_UPDATE: FieldDef = f("ocsp.nextUpdate", "nextUpdate", FieldType::AbsTime, B);
pub static OCSP_SIGNATURE_ALGORITHM: FieldDef = f("ocsp.signatureAlgorithm_element", "signatureAlgorithm", N, B).whole(named_by_oid);
pub static OCSP_SIGNATURE: FieldDef = f("ocsp.signature", "signature", FieldType::Bytes, B);
pub static OCSP_CERTS: FieldDef = f("ocsp.certs", "certs", FieldType::U32, D).custom(items_label);
pub static OCSP_CERTIFICATE: FieldDef = f("ocsp.Certificate_element", "Certificate", N, B);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &SIGNED_CERTIFICATE, &VERSION, &SERIAL_NUMBER, &SIGNATURE, &ALGORITHM_ID, &ISSUER, &IF_RDN_SEQUENCE, &AF_RDN_SEQUENCE, &RDN_ITEM, &RDN_ATTRIBUTE,
    &ATTRIBUTE_TYPE, &COUNTRY_NAME, &PRINTABLE, &IA5, &DIRECTORY_STRING, &TELETEX_STRING, &PRINTABLE_STRING, &UNIVERSAL_STRING, &BMP_STRING, &UTF8_STRING,
    &VALIDITY, &NOT_BEFORE, &NOT_AFTER, &UTC_TIME, &GENERALIZED_TIME, &SUBJECT, &SUBJECT_PUBLIC_KEY_INFO, &ALGORITHM, &SUBJECT_PUBLIC_KEY, &PADDING,
    &MODULUS, &PUBLIC_EXPONENT, &EC_PARAMETERS, &NAMED_CURVE, &ISSUER_UNIQUE_ID, &SUBJECT_UNIQUE_ID, &EXTENSIONS, &EXTENSION, &EXTENSION_ID, &CRITICAL,
    &ALGORITHM_IDENTIFIER, &ENCRYPTED, &AUTHORITY_KEY_ID, &KEY_IDENTIFIER, &AUTHORITY_CERT_ISSUER, &AUTHORITY_CERT_SERIAL, &SUBJECT_KEY_ID, &GENERAL_NAMES,
    &GENERAL_NAME, &RFC822_NAME, &DNS_NAME, &DIRECTORY_NAME, &URI, &IP_ADDRESS, &REGISTERED_ID, &KEY_USAGE, &KU_DIGITAL_SIGNATURE, &KU_CONTENT_COMMITMENT,
    &KU_KEY_ENCIPHERMENT, &KU_DATA_ENCIPHERMENT, &KU_KEY_AGREEMENT, &KU_KEY_CERT_SIGN, &KU_CRL_SIGN, &KU_ENCIPHER_ONLY, &KU_DECIPHER_ONLY, &KEY_PURPOSE_IDS,
    &KEY_PURPOSE_ID, &CRL_DIST_POINTS, &DISTRIBUTION_POINT_ELEMENT, &DISTRIBUTION_POINT, &FULL_NAME, &CRL_ISSUER, &POLICIES, &POLICY_INFORMATION,
    &POLICY_IDENTIFIER, &POLICY_QUALIFIERS, &POLICY_QUALIFIER_INFO, &POLICY_QUALIFIER_ID, &CPS_URI, &USER_NOTICE, &EXPLICIT_TEXT, &DT_IA5_STRING,
    &DT_VISIBLE_STRING, &DT_BMP_STRING, &DT_UTF8_STRING, &BASIC_CONSTRAINTS, &CA, &PATH_LEN, &AUTHORITY_INFO_ACCESS, &ACCESS_DESCRIPTION, &ACCESS_METHOD,
    &ACCESS_LOCATION, &OCSP, &OCSP_RESPONSE_STATUS, &OCSP_RESPONSE_BYTES, &OCSP_RESPONSE_TYPE, &OCSP_BASIC_RESPONSE, &OCSP_TBS_RESPONSE_DATA, &OCSP_RESPONDER_ID,
    &OCSP_BY_NAME, &OCSP_BY_KEY, &OCSP_PRODUCED_AT, &OCSP_RESPONSES, &OCSP_SINGLE_RESPONSE, &OCSP_CERT_ID, &OCSP_HASH_ALGORITHM, &OCSP_ISSUER_NAME_HASH,
    &OCSP_ISSUER_KEY_HASH, &OCSP_SERIAL_NUMBER, &OCSP_CERT_STATUS, &OCSP_GOOD, &OCSP_THIS_UPDATE, &OCSP_NEXT_UPDATE, &OCSP_SIGNATURE_ALGORITHM, &OCSP_SIGNATURE,
    &OCSP_CERTS, &OCSP_CERTIFICATE,
];

/// The string fields an attribute's value can be (the distinguished name's text takes them).
static ATTRIBUTE_STRINGS: &[&FieldDef] = &[&COUNTRY_NAME, &PRINTABLE, &IA5, &TELETEX_STRING, &PRINTABLE_STRING, &UNIVERSAL_STRING, &BMP_STRING, &UTF8_STRING];

/// Tree labels are cut at this many bytes (Wireshark's ITEM_LABEL_LENGTH less its NUL).
const LABEL_MAX: usize = 239;

/// One DER element: its tag, where its header starts, its contents.
#[derive(Clone, Copy, Debug)]
struct Tlv {
    tag: u8,
    start: usize,
    cs: usize,
    ce: usize,
}

impl Tlv {
    fn len(&self) -> usize {
        self.ce - self.start
    }
    fn content_len(&self) -> usize {
        self.ce - self.cs
    }
}

/// The element at `p`, if its header and contents fit before `end` (single-byte tags, definite
/// lengths of up to four bytes: all DER needs here).
fn tlv(data: &[u8], p: usize, end: usize) -> Option<Tlv> {
    if p + 2 > end {
        return None;
    }
    let tag = *data.get(p)?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let l0 = *data.get(p + 1)? as usize;
    let (len, hl) = if l0 < 0x80 {
        (l0, 2)
    } else {
        let n = l0 & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut v = 0usize;
        for i in 0..n {
            v = (v << 8) | *data.get(p + 2 + i)? as usize;
        }
        (v, 2 + n)
    };
    let cs = p + hl;
    let ce = cs.checked_add(len)?;
    if ce > end || ce > data.len() {
        return None;
    }
    Some(Tlv { tag, start: p, cs, ce })
}

/// The elements inside `t`, in order (stopping at the first that does not parse).
fn items(data: &[u8], t: Tlv) -> impl Iterator<Item = Tlv> + '_ {
    let mut p = t.cs;
    std::iter::from_fn(move || {
        let e = tlv(data, p, t.ce)?;
        p = e.ce;
        Some(e)
    })
}

/// The single element inside an explicitly tagged one.
fn inner(data: &[u8], t: Tlv) -> Option<Tlv> {
    tlv(data, t.cs, t.ce)
}

/// An object identifier's dotted form.
fn oid_string(b: &[u8]) -> String {
    let mut s = String::new();
    let mut v: u64 = 0;
    let mut first = true;
    for &c in b {
        v = (v << 7) | u64::from(c & 0x7f);
        if c & 0x80 != 0 {
            if v > u64::MAX >> 8 {
                break;
            }
            continue;
        }
        if first {
            let (a, r) = match v {
                0..40 => (0, v),
                40..80 => (1, v - 40),
                _ => (2, v - 80),
            };
            let _ = write!(s, "{a}.{r}");
            first = false;
        } else {
            let _ = write!(s, ".{v}");
        }
        v = 0;
    }
    s
}

/// An INTEGER's value (up to 8 bytes, two's complement).
fn int_value(b: &[u8]) -> i64 {
    let mut v: i64 = if b.first().is_some_and(|c| c & 0x80 != 0) { -1 } else { 0 };
    for &c in b.iter().take(8) {
        v = (v << 8) | i64::from(c);
    }
    v
}

/// A string element's text (BMPString as UTF-16, UniversalString as UTF-32, the others as
/// UTF-8 with invalid bytes replaced).
fn string_value(data: &[u8], t: Tlv) -> Box<str> {
    let b = data.get(t.cs..t.ce).unwrap_or(&[]);
    match t.tag {
        0x1e => char::decode_utf16(b.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]))).map(|c| c.unwrap_or('\u{fffd}')).collect::<String>().into_boxed_str(),
        0x1c => b.chunks_exact(4).map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])).unwrap_or('\u{fffd}')).collect::<String>().into_boxed_str(),
        _ => String::from_utf8_lossy(b).into_owned().into_boxed_str(),
    }
}

fn add_oid(cx: &mut Ctx, data: &[u8], def: &'static FieldDef, t: Tlv) -> String {
    let s = oid_string(data.get(t.cs..t.ce).unwrap_or(&[]));
    cx.add(def, t.start, t.len(), Value::Str(s.clone().into_boxed_str()));
    s
}

/// The certificate in `a..b` (the bytes of a TLS Certificate entry).
pub(crate) fn certificate(cx: &mut Ctx, data: &[u8], a: usize, b: usize) {
    let Some(cert) = tlv(data, a, b).filter(|t| t.tag == 0x30) else { return };
    let mut it = items(data, cert);
    if let Some(tbs) = it.next().filter(|t| t.tag == 0x30) {
        cx.add(&SIGNED_CERTIFICATE, tbs.start, tbs.len(), Value::None);
        cx.child(|cx| tbs_certificate(cx, data, tbs));
    }
    if let Some(alg) = it.next().filter(|t| t.tag == 0x30) {
        algorithm(cx, data, alg, &ALGORITHM_IDENTIFIER);
    }
    if let Some(sig) = it.next().filter(|t| t.tag == 0x03 && t.ce > t.cs) {
        cx.add(&PADDING, sig.cs, 1, Value::UInt(u64::from(data[sig.cs])));
        cx.add(&ENCRYPTED, sig.cs + 1, sig.ce - sig.cs - 1, Value::Bytes);
    }
}

fn tbs_certificate(cx: &mut Ctx, data: &[u8], tbs: Tlv) {
    let mut it = items(data, tbs).peekable();
    if let Some(v) = it.next_if(|t| t.tag == 0xa0)
        && let Some(i) = inner(data, v).filter(|i| i.tag == 0x02)
    {
        cx.add(&VERSION, i.start, i.len(), Value::UInt(int_value(&data[i.cs..i.ce]) as u64));
    }
    if let Some(s) = it.next_if(|t| t.tag == 0x02) {
        cx.add(&SERIAL_NUMBER, s.cs, s.content_len(), Value::Bytes);
    }
    if let Some(s) = it.next_if(|t| t.tag == 0x30) {
        algorithm(cx, data, s, &SIGNATURE);
    }
    if let Some(s) = it.next_if(|t| t.tag == 0x30) {
        name(cx, data, s, &ISSUER, &IF_RDN_SEQUENCE);
    }
    if let Some(v) = it.next_if(|t| t.tag == 0x30) {
        cx.add(&VALIDITY, v.start, v.len(), Value::None);
        cx.child(|cx| {
            let mut times = items(data, v);
            for def in [&NOT_BEFORE, &NOT_AFTER] {
                let Some(t) = times.next() else { break };
                time(cx, data, t, def);
            }
        });
    }
    if let Some(s) = it.next_if(|t| t.tag == 0x30) {
        name(cx, data, s, &SUBJECT, &AF_RDN_SEQUENCE);
    }
    if let Some(k) = it.next_if(|t| t.tag == 0x30) {
        cx.add(&SUBJECT_PUBLIC_KEY_INFO, k.start, k.len(), Value::None);
        cx.child(|cx| public_key_info(cx, data, k));
    }
    for t in it {
        match t.tag {
            0x81 | 0xa1 => unique_id(cx, data, t, &ISSUER_UNIQUE_ID),
            0x82 | 0xa2 => unique_id(cx, data, t, &SUBJECT_UNIQUE_ID),
            0xa3 => {
                if let Some(seq) = inner(data, t).filter(|s| s.tag == 0x30) {
                    let n = items(data, seq).count();
                    cx.add(&EXTENSIONS, seq.start, seq.len(), Value::UInt(n as u64));
                    cx.child(|cx| {
                        for e in items(data, seq).filter(|e| e.tag == 0x30) {
                            extension(cx, data, e);
                        }
                    });
                }
            }
            _ => {}
        }
    }
}

fn unique_id(cx: &mut Ctx, data: &[u8], t: Tlv, def: &'static FieldDef) {
    if t.ce > t.cs {
        cx.add(&PADDING, t.cs, 1, Value::UInt(u64::from(data[t.cs])));
        cx.add(def, t.cs + 1, t.ce - t.cs - 1, Value::Bytes);
    }
}

/// An AlgorithmIdentifier under the element `def`: its OID and the parameters Wireshark
/// dissects (an EC key's named curve). Returns the OID.
fn algorithm(cx: &mut Ctx, data: &[u8], seq: Tlv, def: &'static FieldDef) -> Option<String> {
    cx.add(def, seq.start, seq.len(), Value::None);
    cx.child(|cx| {
        let mut it = items(data, seq);
        let o = it.next().filter(|t| t.tag == 0x06)?;
        let oid = add_oid(cx, data, &ALGORITHM_ID, o);
        if oid == "1.2.840.10045.2.1"
            && let Some(p) = it.next().filter(|t| t.tag == 0x06)
        {
            cx.add_proto("pkcs-1");
            cx.add(&EC_PARAMETERS, p.start, p.len(), Value::UInt(1));
            cx.child(|cx| add_oid(cx, data, &NAMED_CURVE, p));
        }
        Some(oid)
    })
}

fn public_key_info(cx: &mut Ctx, data: &[u8], k: Tlv) {
    let mut it = items(data, k);
    let alg = it.next().filter(|t| t.tag == 0x30).and_then(|a| algorithm(cx, data, a, &ALGORITHM));
    let Some(bits) = it.next().filter(|t| t.tag == 0x03 && t.ce > t.cs) else { return };
    let key = Tlv { tag: 0x30, start: bits.cs + 1, cs: bits.cs + 1, ce: bits.ce };
    if alg.as_deref() == Some("1.2.840.113549.1.1.1") {
        // RSA: the key is an RSAPublicKey, shown without the bit string's padding.
        cx.add(&SUBJECT_PUBLIC_KEY, key.cs, key.ce - key.cs, Value::Bytes);
        if let Some(seq) = tlv(data, key.cs, key.ce).filter(|s| s.tag == 0x30) {
            cx.child(|cx| {
                let mut ints = items(data, seq);
                if let Some(m) = ints.next().filter(|t| t.tag == 0x02) {
                    cx.add(&MODULUS, m.cs, m.content_len(), Value::Bytes);
                }
                if let Some(e) = ints.next().filter(|t| t.tag == 0x02) {
                    cx.add(&PUBLIC_EXPONENT, e.cs, e.content_len(), Value::UInt(int_value(&data[e.cs..e.ce]) as u64));
                }
            });
        }
    } else {
        cx.add(&PADDING, bits.cs, 1, Value::UInt(u64::from(data[bits.cs])));
        cx.add(&SUBJECT_PUBLIC_KEY, key.cs, key.ce - key.cs, Value::Bytes);
    }
}

/// A Name (CHOICE of one RDNSequence) as the element `def`, its sequence as `seq_def`.
fn name(cx: &mut Ctx, data: &[u8], s: Tlv, def: &'static FieldDef, seq_def: &'static FieldDef) {
    cx.add(def, s.start, s.len(), Value::UInt(0));
    cx.child(|cx| {
        let n = items(data, s).count();
        cx.add(seq_def, s.start, s.len(), Value::UInt(n as u64));
        cx.child(|cx| {
            for set in items(data, s).filter(|t| t.tag == 0x31) {
                let n = items(data, set).count();
                cx.add(&RDN_ITEM, set.start, set.len(), Value::UInt(n as u64));
                cx.child(|cx| {
                    for atv in items(data, set).filter(|t| t.tag == 0x30) {
                        cx.add(&RDN_ATTRIBUTE, atv.start, atv.len(), Value::None);
                        cx.child(|cx| attribute(cx, data, atv));
                    }
                });
            }
        });
    });
}

/// One AttributeTypeAndValue: the type's OID, the value as the type's syntax.
fn attribute(cx: &mut Ctx, data: &[u8], atv: Tlv) {
    let mut it = items(data, atv);
    let Some(o) = it.next().filter(|t| t.tag == 0x06) else { return };
    let oid = add_oid(cx, data, &ATTRIBUTE_TYPE, o);
    let Some(v) = it.next() else { return };
    if attribute_syntax(&oid) {
        // Wireshark hands the value to the dissector registered for the type's OID, which
        // lists its protocol in frame.protocols.
        cx.add_proto("x509sat");
    }
    let plain = |cx: &mut Ctx, def: &'static FieldDef| {
        cx.add(def, v.cs, v.content_len(), Value::Str(string_value(data, v)));
    };
    match oid.as_str() {
        "2.5.4.6" => plain(cx, &COUNTRY_NAME),
        "2.5.4.5" | "2.5.4.46" => plain(cx, &PRINTABLE),
        "1.2.840.113549.1.9.1" | "0.9.2342.19200300.100.1.25" => plain(cx, &IA5),
        "2.5.4.3" | "2.5.4.4" | "2.5.4.7" | "2.5.4.8" | "2.5.4.9" | "2.5.4.10" | "2.5.4.11" | "2.5.4.12" | "2.5.4.13" | "2.5.4.15" | "2.5.4.17" | "2.5.4.42"
        | "2.5.4.43" | "2.5.4.44" | "2.5.4.65" | "2.5.4.97" => {
            let (choice, def): (u64, &'static FieldDef) = match v.tag {
                0x14 => (0, &TELETEX_STRING),
                0x13 => (1, &PRINTABLE_STRING),
                0x1c => (2, &UNIVERSAL_STRING),
                0x1e => (3, &BMP_STRING),
                0x0c => (4, &UTF8_STRING),
                _ => return,
            };
            cx.add(&DIRECTORY_STRING, v.start, v.len(), Value::UInt(choice));
            cx.child(|cx| plain(cx, def));
        }
        _ => {}
    }
}

/// Whether Wireshark's x509sat dissects values of the attribute type `oid`.
fn attribute_syntax(oid: &str) -> bool {
    matches!(
        oid,
        "2.5.4.6" | "2.5.4.5" | "2.5.4.46" | "1.2.840.113549.1.9.1" | "0.9.2342.19200300.100.1.25" | "2.5.4.3" | "2.5.4.4" | "2.5.4.7" | "2.5.4.8" | "2.5.4.9" | "2.5.4.10"
            | "2.5.4.11" | "2.5.4.12" | "2.5.4.13" | "2.5.4.15" | "2.5.4.17" | "2.5.4.42" | "2.5.4.43" | "2.5.4.44" | "2.5.4.65" | "2.5.4.97"
    )
}

/// A Time (CHOICE of UTCTime and GeneralizedTime) as the element `def`.
fn time(cx: &mut Ctx, data: &[u8], t: Tlv, def: &'static FieldDef) {
    let b = data.get(t.cs..t.ce).unwrap_or(&[]);
    match t.tag {
        0x17 => {
            cx.add(def, t.start, t.len(), Value::UInt(0));
            cx.child(|cx| cx.add(&UTC_TIME, t.cs, t.content_len(), Value::Str(utc_time_text(b).into_boxed_str())));
        }
        0x18 => {
            cx.add(def, t.start, t.len(), Value::UInt(1));
            if let Some(ts) = generalized_time(b) {
                cx.child(|cx| cx.add(&GENERALIZED_TIME, t.cs, t.content_len(), Value::Time(ts)));
            }
        }
        _ => {}
    }
}

/// `2020-08-26 00:00:00 (UTC)` from `200826000000Z`, as Wireshark's BER UTCTime (years below
/// 50 in this century); anything else as it stands.
fn utc_time_text(b: &[u8]) -> String {
    let digits = b.len() >= 13 && b[..12].iter().all(u8::is_ascii_digit) && b[12] == b'Z';
    if !digits {
        return String::from_utf8_lossy(b).into_owned();
    }
    let s = std::str::from_utf8(&b[..12]).unwrap_or("000000000000");
    let century = if s[..2] < *"50" { "20" } else { "19" };
    format!("{century}{}-{}-{} {}:{}:{} (UTC)", &s[..2], &s[2..4], &s[4..6], &s[6..8], &s[8..10], &s[10..12])
}

/// `YYYYMMDDHHMMSS[.f]Z` as a time.
fn generalized_time(b: &[u8]) -> Option<Timestamp> {
    let s = std::str::from_utf8(b).ok()?;
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, se) = (n(0..4)?, n(4..6)?, n(6..8)?, n(8..10)?, n(10..12)?, n(12..14)?);
    let mut nanos = 0u32;
    if let Some(frac) = s.get(14..).and_then(|r| r.strip_prefix('.')) {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).take(9).collect();
        nanos = format!("{digits:0<9}").parse().ok()?;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * (if mo > 2 { mo - 3 } else { mo + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(Timestamp { secs: days * 86_400 + h * 3600 + mi * 60 + se, nanos })
}

fn extension(cx: &mut Ctx, data: &[u8], e: Tlv) {
    cx.add(&EXTENSION, e.start, e.len(), Value::None);
    cx.child(|cx| {
        let mut it = items(data, e).peekable();
        let Some(o) = it.next_if(|t| t.tag == 0x06) else { return };
        let oid = add_oid(cx, data, &EXTENSION_ID, o);
        if let Some(c) = it.next_if(|t| t.tag == 0x01) {
            cx.add(&CRITICAL, c.cs, c.content_len(), Value::Bool(data.get(c.cs).is_some_and(|b| *b != 0)));
        }
        if let Some(v) = it.next_if(|t| t.tag == 0x04) {
            extension_value(cx, data, &oid, v);
        }
    });
}

/// The value of the extension `oid` (the OCTET STRING `os`), for the extensions Wireshark
/// dissects in the certificates TLS carries.
fn extension_value(cx: &mut Ctx, data: &[u8], oid: &str, os: Tlv) {
    let Some(v) = inner(data, os) else { return };
    // The protocol whose dissector Wireshark registers for the extension's OID.
    match oid {
        "2.5.29.14" | "2.5.29.35" | "2.5.29.17" | "2.5.29.18" | "2.5.29.15" | "2.5.29.37" | "2.5.29.31" | "2.5.29.32" | "2.5.29.19" => cx.add_proto("x509ce"),
        "1.3.6.1.5.5.7.1.1" => cx.add_proto("pkix1implicit"),
        "1.3.6.1.4.1.11129.2.4.2" => cx.add_proto("tls"),
        _ => {}
    }
    match oid {
        "2.5.29.14" if v.tag == 0x04 => {
            cx.add(&SUBJECT_KEY_ID, v.cs, v.content_len(), Value::Bytes);
        }
        "2.5.29.35" if v.tag == 0x30 => {
            cx.add(&AUTHORITY_KEY_ID, v.start, v.len(), Value::None);
            cx.child(|cx| {
                for t in items(data, v) {
                    match t.tag {
                        0x80 => {
                            cx.add(&KEY_IDENTIFIER, t.cs, t.content_len(), Value::Bytes);
                        }
                        0xa1 => general_names(cx, data, t, &AUTHORITY_CERT_ISSUER),
                        0x82 => {
                            cx.add(&AUTHORITY_CERT_SERIAL, t.cs, t.content_len(), Value::Bytes);
                        }
                        _ => {}
                    }
                }
            });
        }
        "2.5.29.17" | "2.5.29.18" if v.tag == 0x30 => general_names(cx, data, v, &GENERAL_NAMES),
        "2.5.29.15" if v.tag == 0x03 && v.ce > v.cs => {
            cx.add(&PADDING, v.cs, 1, Value::UInt(u64::from(data[v.cs])));
            cx.add(&KEY_USAGE, v.cs + 1, v.ce - v.cs - 1, Value::Bytes);
            let b0 = if v.ce > v.cs + 1 { data[v.cs + 1] } else { 0 };
            let b1 = if v.ce > v.cs + 2 { data[v.cs + 2] } else { 0 };
            cx.child(|cx| {
                let first: [&'static FieldDef; 8] =
                    [&KU_DIGITAL_SIGNATURE, &KU_CONTENT_COMMITMENT, &KU_KEY_ENCIPHERMENT, &KU_DATA_ENCIPHERMENT, &KU_KEY_AGREEMENT, &KU_KEY_CERT_SIGN, &KU_CRL_SIGN, &KU_ENCIPHER_ONLY];
                let (o0, l0) = if v.ce > v.cs + 1 { (v.cs + 1, 1) } else { (v.cs + 1, 0) };
                for def in first {
                    cx.add(def, o0, l0, Value::Bool(u64::from(b0) & def.bitmask != 0));
                }
                let (o1, l1) = if v.ce > v.cs + 2 { (v.cs + 2, 1) } else { (v.ce, 0) };
                cx.add(&KU_DECIPHER_ONLY, o1, l1, Value::Bool(b1 & 0x80 != 0));
            });
        }
        "2.5.29.37" if v.tag == 0x30 => {
            cx.add(&KEY_PURPOSE_IDS, v.start, v.len(), Value::UInt(items(data, v).count() as u64));
            cx.child(|cx| {
                for o in items(data, v).filter(|t| t.tag == 0x06) {
                    add_oid(cx, data, &KEY_PURPOSE_ID, o);
                }
            });
        }
        "2.5.29.31" if v.tag == 0x30 => {
            sequence_of(cx, data, v, &CRL_DIST_POINTS, &DISTRIBUTION_POINT_ELEMENT, |cx, dp| {
                for t in items(data, dp) {
                    match t.tag {
                        0xa0 => {
                            let Some(n) = inner(data, t) else { continue };
                            if n.tag == 0xa0 {
                                cx.add(&DISTRIBUTION_POINT, t.start, t.len(), Value::UInt(0));
                                cx.child(|cx| general_names(cx, data, n, &FULL_NAME));
                            }
                        }
                        0xa2 => general_names(cx, data, t, &CRL_ISSUER),
                        _ => {}
                    }
                }
            });
        }
        "2.5.29.32" if v.tag == 0x30 => {
            sequence_of(cx, data, v, &POLICIES, &POLICY_INFORMATION, |cx, pi| policy_information(cx, data, pi));
        }
        "2.5.29.19" if v.tag == 0x30 => {
            cx.add(&BASIC_CONSTRAINTS, v.start, v.len(), Value::None);
            cx.child(|cx| {
                for t in items(data, v) {
                    match t.tag {
                        0x01 => {
                            cx.add(&CA, t.cs, t.content_len(), Value::Bool(data.get(t.cs).is_some_and(|b| *b != 0)));
                        }
                        0x02 => {
                            cx.add(&PATH_LEN, t.cs, t.content_len(), Value::UInt(int_value(&data[t.cs..t.ce]) as u64));
                        }
                        _ => {}
                    }
                }
            });
        }
        "1.3.6.1.5.5.7.1.1" if v.tag == 0x30 => {
            sequence_of(cx, data, v, &AUTHORITY_INFO_ACCESS, &ACCESS_DESCRIPTION, |cx, ad| {
                let mut it = items(data, ad);
                if let Some(o) = it.next().filter(|t| t.tag == 0x06) {
                    add_oid(cx, data, &ACCESS_METHOD, o);
                }
                if let Some(g) = it.next() {
                    cx.add(&ACCESS_LOCATION, g.start, g.len(), Value::UInt(u64::from(g.tag & 0x1f)));
                    cx.child(|cx| general_name_value(cx, data, g));
                }
            });
        }
        _ => {}
    }
}

/// A SEQUENCE OF SEQUENCE as Wireshark's tree draws it: the list's item with its count of
/// elements, then each SEQUENCE element's item, its subtree filled by `element`.
fn sequence_of(cx: &mut Ctx, data: &[u8], list: Tlv, list_def: &'static FieldDef, item_def: &'static FieldDef, mut element: impl FnMut(&mut Ctx, Tlv)) {
    cx.add(list_def, list.start, list.len(), Value::UInt(items(data, list).count() as u64));
    cx.child(|cx| {
        for e in items(data, list).filter(|t| t.tag == 0x30) {
            cx.add(item_def, e.start, e.len(), Value::None);
            cx.child(|cx| element(cx, e));
        }
    });
}

fn policy_information(cx: &mut Ctx, data: &[u8], pi: Tlv) {
    let mut it = items(data, pi);
    if let Some(o) = it.next().filter(|t| t.tag == 0x06) {
        add_oid(cx, data, &POLICY_IDENTIFIER, o);
    }
    let Some(qs) = it.next().filter(|t| t.tag == 0x30) else { return };
    sequence_of(cx, data, qs, &POLICY_QUALIFIERS, &POLICY_QUALIFIER_INFO, |cx, q| {
        let mut it = items(data, q);
        let Some(o) = it.next().filter(|t| t.tag == 0x06) else { return };
        let oid = add_oid(cx, data, &POLICY_QUALIFIER_ID, o);
        let Some(v) = it.next() else { return };
        match oid.as_str() {
            "1.3.6.1.5.5.7.2.1" if v.tag == 0x16 => {
                cx.add_proto("pkix1explicit");
                cx.add(&CPS_URI, v.cs, v.content_len(), Value::Str(string_value(data, v)));
            }
            "1.3.6.1.5.5.7.2.2" if v.tag == 0x30 => {
                cx.add_proto("pkix1implicit");
                cx.add(&USER_NOTICE, v.start, v.len(), Value::None);
                cx.child(|cx| {
                    for t in items(data, v) {
                        let (choice, def): (u64, &'static FieldDef) = match t.tag {
                            0x16 => (0, &DT_IA5_STRING),
                            0x1a => (1, &DT_VISIBLE_STRING),
                            0x1e => (2, &DT_BMP_STRING),
                            0x0c => (3, &DT_UTF8_STRING),
                            _ => continue,
                        };
                        cx.add(&EXPLICIT_TEXT, t.start, t.len(), Value::UInt(choice));
                        cx.child(|cx| cx.add(def, t.cs, t.content_len(), Value::Str(string_value(data, t))));
                    }
                });
            }
            _ => {}
        }
    });
}

/// GeneralNames (a SEQUENCE OF GeneralName, or its implicitly tagged form `t`) as `def`.
fn general_names(cx: &mut Ctx, data: &[u8], t: Tlv, def: &'static FieldDef) {
    cx.add(def, t.start, t.len(), Value::UInt(items(data, t).count() as u64));
    cx.child(|cx| {
        for g in items(data, t) {
            cx.add(&GENERAL_NAME, g.start, g.len(), Value::UInt(u64::from(g.tag & 0x1f)));
            cx.child(|cx| general_name_value(cx, data, g));
        }
    });
}

/// The alternative a GeneralName holds.
fn general_name_value(cx: &mut Ctx, data: &[u8], g: Tlv) {
    let s = |cx: &mut Ctx, def: &'static FieldDef| {
        cx.add(def, g.cs, g.content_len(), Value::Str(String::from_utf8_lossy(&data[g.cs..g.ce]).into_owned().into_boxed_str()));
    };
    match g.tag & 0x1f {
        1 => s(cx, &RFC822_NAME),
        2 => s(cx, &DNS_NAME),
        4 => {
            if let Some(n) = inner(data, g).filter(|n| n.tag == 0x30) {
                name(cx, data, n, &DIRECTORY_NAME, &IF_RDN_SEQUENCE);
            }
        }
        6 => s(cx, &URI),
        7 => {
            cx.add(&IP_ADDRESS, g.cs, g.content_len(), Value::Bytes);
        }
        8 => {
            let o = Tlv { tag: 0x06, ..g };
            add_oid(cx, data, &REGISTERED_ID, o);
        }
        _ => {}
    }
}

/// An OCSP response (RFC 6960's OCSPResponse) in `a..b`, as Wireshark's ocsp dissector shows
/// the one a TLS CertificateStatus message staples.
pub(crate) fn ocsp_response(cx: &mut Ctx, data: &[u8], a: usize, b: usize) {
    let Some(resp) = tlv(data, a, b).filter(|t| t.tag == 0x30) else { return };
    cx.add_proto("ocsp");
    cx.add(&OCSP, resp.start, resp.len(), Value::None);
    cx.child(|cx| {
        let mut it = items(data, resp);
        if let Some(st) = it.next().filter(|t| t.tag == 0x0a) {
            cx.add(&OCSP_RESPONSE_STATUS, st.start, st.len(), Value::UInt(int_value(&data[st.cs..st.ce]) as u64));
        }
        let Some(rb) = it.next().filter(|t| t.tag == 0xa0).and_then(|t| inner(data, t)).filter(|t| t.tag == 0x30) else { return };
        cx.add(&OCSP_RESPONSE_BYTES, rb.start, rb.len(), Value::None);
        cx.child(|cx| {
            let mut it = items(data, rb);
            let Some(o) = it.next().filter(|t| t.tag == 0x06) else { return };
            let oid = add_oid(cx, data, &OCSP_RESPONSE_TYPE, o);
            let basic = it.next().filter(|t| t.tag == 0x04).and_then(|os| inner(data, os)).filter(|t| t.tag == 0x30);
            if let (Some(basic), "1.3.6.1.5.5.7.48.1.1") = (basic, oid.as_str()) {
                cx.add(&OCSP_BASIC_RESPONSE, basic.start, basic.len(), Value::None);
                cx.child(|cx| basic_response(cx, data, basic));
            }
        });
    });
}

fn basic_response(cx: &mut Ctx, data: &[u8], basic: Tlv) {
    let mut it = items(data, basic);
    if let Some(tbs) = it.next().filter(|t| t.tag == 0x30) {
        cx.add(&OCSP_TBS_RESPONSE_DATA, tbs.start, tbs.len(), Value::None);
        cx.child(|cx| {
            for t in items(data, tbs) {
                match t.tag {
                    0xa1 => {
                        cx.add(&OCSP_RESPONDER_ID, t.start, t.len(), Value::UInt(1));
                        if let Some(n) = inner(data, t).filter(|n| n.tag == 0x30) {
                            cx.child(|cx| name(cx, data, n, &OCSP_BY_NAME, &IF_RDN_SEQUENCE));
                        }
                    }
                    0xa2 => {
                        cx.add(&OCSP_RESPONDER_ID, t.start, t.len(), Value::UInt(2));
                        if let Some(k) = inner(data, t).filter(|k| k.tag == 0x04) {
                            cx.child(|cx| cx.add(&OCSP_BY_KEY, k.cs, k.content_len(), Value::Bytes));
                        }
                    }
                    0x18 => gen_time(cx, data, t, &OCSP_PRODUCED_AT),
                    0x30 => {
                        cx.add(&OCSP_RESPONSES, t.start, t.len(), Value::UInt(items(data, t).count() as u64));
                        cx.child(|cx| {
                            for r in items(data, t).filter(|r| r.tag == 0x30) {
                                cx.add(&OCSP_SINGLE_RESPONSE, r.start, r.len(), Value::None);
                                cx.child(|cx| single_response(cx, data, r));
                            }
                        });
                    }
                    _ => {}
                }
            }
        });
    }
    if let Some(alg) = it.next().filter(|t| t.tag == 0x30) {
        algorithm(cx, data, alg, &OCSP_SIGNATURE_ALGORITHM);
    }
    if let Some(sig) = it.next().filter(|t| t.tag == 0x03 && t.ce > t.cs) {
        cx.add(&PADDING, sig.cs, 1, Value::UInt(u64::from(data[sig.cs])));
        cx.add(&OCSP_SIGNATURE, sig.cs + 1, sig.ce - sig.cs - 1, Value::Bytes);
    }
    if let Some(certs) = it.next().filter(|t| t.tag == 0xa0).and_then(|t| inner(data, t)).filter(|t| t.tag == 0x30) {
        cx.add(&OCSP_CERTS, certs.start, certs.len(), Value::UInt(items(data, certs).count() as u64));
        cx.child(|cx| {
            for c in items(data, certs).filter(|c| c.tag == 0x30) {
                cx.add(&OCSP_CERTIFICATE, c.start, c.len(), Value::None);
                cx.child(|cx| certificate(cx, data, c.start, c.ce));
            }
        });
    }
}

fn single_response(cx: &mut Ctx, data: &[u8], r: Tlv) {
    for t in items(data, r) {
        match t.tag {
            0x30 => {
                cx.add(&OCSP_CERT_ID, t.start, t.len(), Value::None);
                cx.child(|cx| {
                    let mut it = items(data, t);
                    if let Some(alg) = it.next().filter(|a| a.tag == 0x30) {
                        algorithm(cx, data, alg, &OCSP_HASH_ALGORITHM);
                    }
                    for def in [&OCSP_ISSUER_NAME_HASH, &OCSP_ISSUER_KEY_HASH] {
                        if let Some(h) = it.next().filter(|h| h.tag == 0x04) {
                            cx.add(def, h.cs, h.content_len(), Value::Bytes);
                        }
                    }
                    if let Some(sn) = it.next().filter(|h| h.tag == 0x02) {
                        cx.add(&OCSP_SERIAL_NUMBER, sn.cs, sn.content_len(), Value::Bytes);
                    }
                });
            }
            0x80 | 0xa1 | 0x82 => {
                let status = u64::from(t.tag & 0x1f);
                cx.add(&OCSP_CERT_STATUS, t.start, t.len(), Value::UInt(status));
                if status == 0 {
                    cx.child(|cx| cx.add(&OCSP_GOOD, t.start, t.len(), Value::None));
                }
            }
            0x18 => gen_time(cx, data, t, &OCSP_THIS_UPDATE),
            0xa0 => {
                if let Some(g) = inner(data, t).filter(|g| g.tag == 0x18) {
                    gen_time(cx, data, g, &OCSP_NEXT_UPDATE);
                }
            }
            _ => {}
        }
    }
}

/// A GeneralizedTime element as the time field `def`.
fn gen_time(cx: &mut Ctx, data: &[u8], t: Tlv, def: &'static FieldDef) {
    if let Some(ts) = generalized_time(data.get(t.cs..t.ce).unwrap_or(&[])) {
        cx.add(def, t.start, t.len(), Value::Time(ts));
    }
}

fn ocsp_status_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "successful",
        1 => "malformedRequest",
        2 => "internalError",
        3 => "tryLater",
        5 => "sigRequired",
        6 => "unauthorized",
        _ => return None,
    })
}

fn responder_id_choice(v: u64) -> Option<&'static str> {
    match v {
        1 => Some("byName"),
        2 => Some("byKey"),
        _ => None,
    }
}

fn cert_status_choice(v: u64) -> Option<&'static str> {
    ["good", "revoked", "unknown"].get(v as usize).copied()
}

fn version_name(v: u64) -> Option<&'static str> {
    ["v1", "v2", "v3"].get(v as usize).copied()
}

fn name_choice(v: u64) -> Option<&'static str> {
    (v == 0).then_some("rdnSequence")
}

fn time_choice(v: u64) -> Option<&'static str> {
    ["utcTime", "generalizedTime"].get(v as usize).copied()
}

fn directory_string_name(v: u64) -> Option<&'static str> {
    ["teletexString", "printableString", "universalString", "bmpString", "uTF8String"].get(v as usize).copied()
}

fn ec_parameters_choice(v: u64) -> Option<&'static str> {
    ["ecParameters", "namedCurve", "implicitlyCA"].get(v as usize).copied()
}

fn general_name_choice(v: u64) -> Option<&'static str> {
    ["otherName", "rfc822Name", "dNSName", "x400Address", "directoryName", "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID"].get(v as usize).copied()
}

fn dp_name_choice(v: u64) -> Option<&'static str> {
    ["fullName", "nameRelativeToCRLIssuer"].get(v as usize).copied()
}

fn display_text_choice(v: u64) -> Option<&'static str> {
    ["ia5String", "visibleString", "bmpString", "utf8String"].get(v as usize).copied()
}

/// Cuts a label begun at `start` to Wireshark's length, at a character boundary.
fn cut(out: &mut String, start: usize) {
    if out.len() - start > LABEL_MAX {
        let mut end = start + LABEL_MAX;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
}

fn str_value(f: &Field) -> &str {
    match &f.value {
        Value::Str(s) => s,
        _ => "",
    }
}

/// `Algorithm Id: 1.2.840.113549.1.1.11 (sha256WithRSAEncryption)`.
fn oid_label(cx: &LabelCx<'_>, out: &mut String) {
    let oid = str_value(cx.field);
    let _ = write!(out, "{}: {oid} (", cx.field.def.name);
    push_oid_name(out, oid);
    out.push(')');
}

/// `signature (sha256WithRSAEncryption)`: an element named by the OID it holds first.
fn named_by_oid(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    if let Some(o) = cx.children().find(|f| std::ptr::eq(f.def, &ALGORITHM_ID) || std::ptr::eq(f.def, &EXTENSION_ID)) {
        out.push_str(" (");
        push_oid_name(out, str_value(o));
        out.push(')');
    }
}

/// `BasicConstraintsSyntax`, with ` [0 length]` when the sequence is empty.
fn sequence_label(cx: &LabelCx<'_>, out: &mut String) {
    out.push_str(cx.field.def.name);
    if cx.children().next().is_none() {
        out.push_str(" [0 length]");
    }
}

/// `serialNumber: 0x0d1df7…`: a large INTEGER as hex (at most 36 bytes shown).
fn hex_integer(cx: &LabelCx<'_>, out: &mut String) {
    let b = cx.bytes();
    let _ = write!(out, "{}: 0x", cx.field.def.name);
    super::format::push_hex(out, b.get(..36).unwrap_or(b));
    if b.len() > 36 {
        out.push('…');
    }
}

/// `GeneralNames: 2 items`.
fn items_label(cx: &LabelCx<'_>, out: &mut String) {
    let n = cx.uint();
    let _ = write!(out, "{}: {n} item{}", cx.field.def.name, if n == 1 { "" } else { "s" });
}

/// `rdnSequence: 3 items (id-at-commonName=…,id-at-organizationName=…,id-at-countryName=US)`:
/// the name's attributes last first, as Wireshark's distinguished-name string.
fn rdn_sequence_label(cx: &LabelCx<'_>, out: &mut String) {
    let start = out.len();
    items_label(cx, out);
    out.push_str(" (");
    push_dn(cx, out);
    out.push(')');
    cut(out, start);
}

/// The distinguished name under the field at `cx` (its attributes, last RDN first).
fn push_dn(cx: &LabelCx<'_>, out: &mut String) {
    let attrs = attributes(cx.children());
    for (i, (t, v)) in attrs.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_oid_name(out, t);
        out.push('=');
        out.push_str(v);
    }
}

/// `RDNSequence item: 1 item (id-at-countryName=US)`.
fn rdn_item_label(cx: &LabelCx<'_>, out: &mut String) {
    let start = out.len();
    items_label(cx, out);
    out.push_str(" (");
    for (i, (t, v)) in attributes(cx.children()).iter().enumerate() {
        if i > 0 {
            out.push('+');
        }
        push_oid_name(out, t);
        out.push('=');
        out.push_str(v);
    }
    out.push(')');
    cut(out, start);
}

/// `RelativeDistinguishedName item (id-at-countryName=US)`.
fn rdn_attribute_label(cx: &LabelCx<'_>, out: &mut String) {
    let start = out.len();
    out.push_str(cx.field.def.name);
    if let Some((t, v)) = attributes(cx.children()).first() {
        out.push_str(" (");
        push_oid_name(out, t);
        out.push('=');
        out.push_str(v);
        out.push(')');
    }
    cut(out, start);
}

/// The (type, value) pairs of the attributes among `fields`, in order.
fn attributes<'a>(fields: impl Iterator<Item = &'a Field>) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    let mut open = false;
    for f in fields {
        if std::ptr::eq(f.def, &ATTRIBUTE_TYPE) {
            out.push((str_value(f), ""));
            open = true;
        } else if open && ATTRIBUTE_STRINGS.iter().any(|d| std::ptr::eq(*d, f.def)) {
            if let Some(last) = out.last_mut() {
                last.1 = str_value(f);
            }
            open = false;
        }
    }
    out
}

/// ` (id-at-commonName=game.local)` after a TLS Certificate's bytes: the subject's name, if
/// the certificate was dissected.
pub(crate) fn push_subject(cx: &LabelCx<'_>, out: &mut String, start: usize) {
    let mut it = cx.children();
    if it.by_ref().any(|f| std::ptr::eq(f.def, &SUBJECT)) {
        // The subject's fields follow it; its rdnSequence is the next one.
        let rest: Vec<&Field> = it.take_while(|f| !std::ptr::eq(f.def, &SUBJECT_PUBLIC_KEY_INFO)).collect();
        let attrs = attributes(rest.into_iter());
        out.push_str(" (");
        for (i, (t, v)) in attrs.iter().rev().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_oid_name(out, t);
            out.push('=');
            out.push_str(v);
        }
        out.push(')');
    }
    cut(out, start);
}

/// An OID's name as Wireshark resolves it: its registered name, else the name of its longest
/// registered prefix followed by the remaining arcs (`US company arc.114412.1.1`).
pub fn push_oid_name(out: &mut String, oid: &str) {
    if let Some(n) = oid_name(oid) {
        out.push_str(n);
        return;
    }
    let mut cut = oid.len();
    while let Some(p) = oid[..cut].rfind('.') {
        cut = p;
        if let Some(n) = oid_name(&oid[..cut]) {
            out.push_str(n);
            out.push_str(&oid[cut..]);
            return;
        }
    }
    out.push_str(oid);
}

/// The names Wireshark 4.0 registers for the OIDs certificates use.
pub fn oid_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "0" => "itu-t",
        "1" => "iso",
        "2" => "joint-iso-itu-t",
        "1.2.840" => "ISO assigned OIDs, USA",
        "2.16.840.1" => "US company arc",
        "2.5.4.0" => "id-at-objectClass",
        "2.5.4.3" => "id-at-commonName",
        "2.5.4.4" => "id-at-surname",
        "2.5.4.5" => "id-at-serialNumber",
        "2.5.4.6" => "id-at-countryName",
        "2.5.4.7" => "id-at-localityName",
        "2.5.4.8" => "id-at-stateOrProvinceName",
        "2.5.4.9" => "id-at-streetAddress",
        "2.5.4.10" => "id-at-organizationName",
        "2.5.4.11" => "id-at-organizationalUnitName",
        "2.5.4.12" => "id-at-title",
        "2.5.4.13" => "id-at-description",
        "2.5.4.15" => "id-at-businessCategory",
        "2.5.4.17" => "id-at-postalCode",
        "2.5.4.42" => "id-at-givenName",
        "2.5.4.43" => "id-at-initials",
        "2.5.4.44" => "id-at-generationQualifier",
        "2.5.4.46" => "id-at-dnQualifier",
        "2.5.4.65" => "id-at-pseudonym",
        "2.5.4.97" => "id-at-organizationIdentifier",
        "1.2.840.113549.1.9.1" => "pkcs-9-at-emailAddress",
        "1.2.840.113549.1.1.1" => "rsaEncryption",
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.7" => "id-RSAES-OAEP",
        "1.2.840.113549.1.1.8" => "id-mgf1",
        "1.2.840.113549.1.1.10" => "id-RSASSA-PSS",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10040.4.1" => "id-dsa",
        "1.2.840.10040.4.3" => "id-dsa-with-sha1",
        "1.2.840.10045.2.1" => "id-ecPublicKey",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10045.3.1.7" => "secp256r1",
        "1.3.132.0.10" => "secp256k1",
        "1.3.132.0.34" => "secp384r1",
        "1.3.132.0.35" => "secp521r1",
        "2.5.29.14" => "id-ce-subjectKeyIdentifier",
        "2.5.29.15" => "id-ce-keyUsage",
        "2.5.29.16" => "id-ce-privateKeyUsagePeriod",
        "2.5.29.17" => "id-ce-subjectAltName",
        "2.5.29.18" => "id-ce-issuerAltName",
        "2.5.29.19" => "id-ce-basicConstraints",
        "2.5.29.20" => "id-ce-cRLNumber",
        "2.5.29.30" => "id-ce-nameConstraints",
        "2.5.29.31" => "id-ce-cRLDistributionPoints",
        "2.5.29.32" => "id-ce-certificatePolicies",
        "2.5.29.32.0" => "anyPolicy",
        "2.5.29.33" => "id-ce-policyMappings",
        "2.5.29.35" => "id-ce-authorityKeyIdentifier",
        "2.5.29.36" => "id-ce-policyConstraints",
        "2.5.29.37" => "id-ce-extKeyUsage",
        "2.5.29.37.0" => "anyExtendedKeyUsage",
        "2.5.29.54" => "id-ce-inhibitAnyPolicy",
        "1.3.6.1.5.5.7.1.1" => "id-pe-authorityInfoAccess",
        "1.3.6.1.5.5.7.1.11" => "id-pe-subjectInfoAccess",
        "1.3.6.1.5.5.7.2.1" => "id-qt-cps",
        "1.3.6.1.5.5.7.2.2" => "id-qt-unotice",
        "1.3.6.1.5.5.7.3.1" => "id-kp-serverAuth",
        "1.3.6.1.5.5.7.3.2" => "id-kp-clientAuth",
        "1.3.6.1.5.5.7.3.3" => "id-kp-codeSigning",
        "1.3.6.1.5.5.7.3.4" => "id-kp-emailProtection",
        "1.3.6.1.5.5.7.3.8" => "id-kp-timeStamping",
        "1.3.6.1.5.5.7.3.9" => "id-kp-OCSPSigning",
        "1.3.6.1.5.5.7.48.1" => "id-ad-ocsp",
        "1.3.6.1.5.5.7.48.2" => "id-ad-caIssuers",
        "1.3.6.1.4.1.11129.2.4.2" => "SignedCertificateTimestampList",
        "1.3.6.1.5.5.7.48.1.1" => "id-pkix-ocsp-basic",
        "1.3.14.3.2.26" => "SHA-1",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_decode_and_resolve_by_prefix() {
        assert_eq!(oid_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), "1.2.840.113549.1.1.11");
        assert_eq!(oid_string(&[0x55, 0x04, 0x03]), "2.5.4.3");
        let mut s = String::new();
        push_oid_name(&mut s, "2.16.840.1.114412.1.1");
        assert_eq!(s, "US company arc.114412.1.1");
        s.clear();
        push_oid_name(&mut s, "2.23.140.1.2.2");
        assert_eq!(s, "joint-iso-itu-t.23.140.1.2.2");
    }

    #[test]
    fn times_read_as_wireshark_writes_them() {
        assert_eq!(utc_time_text(b"200826000000Z"), "2020-08-26 00:00:00 (UTC)");
        assert_eq!(utc_time_text(b"991231235959Z"), "1999-12-31 23:59:59 (UTC)");
        assert_eq!(generalized_time(b"20500101000000Z").map(|t| t.secs), Some(2_524_608_000));
    }

    #[test]
    fn der_lengths_stop_at_the_end() {
        let d = [0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x05];
        assert!(tlv(&d, 0, d.len()).is_none());
        let t = tlv(&d, 4, d.len()).unwrap();
        assert_eq!((t.tag, t.cs, t.ce), (0x02, 6, 7));
        assert_eq!(int_value(&[0x01, 0x00, 0x01]), 65537);
    }
}
