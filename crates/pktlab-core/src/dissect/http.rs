//! HTTP/1.x over TCP: the request or status line, the headers (the ones Wireshark names get
//! their own field), the body's length by Content-Length or chunked coding, and the Info
//! column (`GET /index.html HTTP/1.1`, `HTTP/1.1 200 OK  (text/html)`). Messages that span
//! segments arrive here reassembled (see [`super::tcp_pdu`]).

use super::model::*;
use super::tcp_pdu::{ConnState, Exchange, Need, PduState};
use super::Ctx;
use super::data::WS_TEXT;
use super::label::LabelCx;

/// A header line's label as tshark shows it: the line as sent, its line end written `\r\n`.
fn line_label(cx: &LabelCx<'_>, out: &mut String) {
    // (Wireshark's `format_text` of the line: `\r\n`, other control characters in octal.)
    super::label::push_format_text(cx.bytes(), out);
}

/// `GET / HTTP/1.1\r\n`: a line with its CR and LF written as escapes.
fn escape_line(bytes: &[u8], out: &mut String) {
    for c in String::from_utf8_lossy(bytes).chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// `File Data: 200 bytes`.
fn file_data_label(cx: &LabelCx<'_>, out: &mut String) {
    // (tshark's "%u bytes": `1 bytes` too.)
    out.push_str("File Data: ");
    super::push_dec(out, u64::from(cx.field.len));
    out.push_str(" bytes");
}

pub static HTTP_REQUEST: FieldDef = FieldDef::new("http.request", "Request", FieldType::Bool, Base::None);
pub static HTTP_RESPONSE: FieldDef = FieldDef::new("http.response", "Response", FieldType::Bool, Base::None);
pub static HTTP_NOTIFICATION: FieldDef = FieldDef::new("http.notification", "Notification", FieldType::Bool, Base::None);
pub static HTTP_REQUEST_LINE: FieldDef = FieldDef::new("http.request.line", "Request line", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_RESPONSE_LINE: FieldDef = FieldDef::new("http.response.line", "Response line", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_REQUEST_METHOD: FieldDef = FieldDef::new("http.request.method", "Request Method", FieldType::Str, Base::None);
pub static HTTP_REQUEST_URI: FieldDef = FieldDef::new("http.request.uri", "Request URI", FieldType::Str, Base::None);
pub static HTTP_REQUEST_URI_PATH: FieldDef = FieldDef::new("http.request.uri.path", "Request URI Path", FieldType::Str, Base::None);
pub static HTTP_REQUEST_URI_QUERY: FieldDef = FieldDef::new("http.request.uri.query", "Request URI Query", FieldType::Str, Base::None);
pub static HTTP_REQUEST_URI_QUERY_PARAMETER: FieldDef = FieldDef::new("http.request.uri.query.parameter", "Request URI Query Parameter", FieldType::Str, Base::None);
pub static HTTP_REQUEST_VERSION: FieldDef = FieldDef::new("http.request.version", "Request Version", FieldType::Str, Base::None);
pub static HTTP_RESPONSE_VERSION: FieldDef = FieldDef::new("http.response.version", "Response Version", FieldType::Str, Base::None);
pub static HTTP_RESPONSE_CODE: FieldDef = FieldDef::new("http.response.code", "Status Code", FieldType::U16, Base::Dec);
pub static HTTP_RESPONSE_CODE_DESC: FieldDef = FieldDef::new("http.response.code.desc", "Status Code Description", FieldType::Str, Base::None);
pub static HTTP_RESPONSE_PHRASE: FieldDef = FieldDef::new("http.response.phrase", "Response Phrase", FieldType::Str, Base::None);
pub static HTTP_REQUEST_FULL_URI: FieldDef = FieldDef::new("http.request.full_uri", "Full request URI", FieldType::Str, Base::None);
pub static HTTP_HOST: FieldDef = FieldDef::new("http.host", "Host", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_USER_AGENT: FieldDef = FieldDef::new("http.user_agent", "User-Agent", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_ACCEPT: FieldDef = FieldDef::new("http.accept", "Accept", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_ACCEPT_LANGUAGE: FieldDef = FieldDef::new("http.accept_language", "Accept-Language", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_ACCEPT_ENCODING: FieldDef = FieldDef::new("http.accept_encoding", "Accept Encoding", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_CONNECTION: FieldDef = FieldDef::new("http.connection", "Connection", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_REFERER: FieldDef = FieldDef::new("http.referer", "Referer", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_COOKIE: FieldDef = FieldDef::new("http.cookie", "Cookie", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_SET_COOKIE: FieldDef = FieldDef::new("http.set_cookie", "Set-Cookie", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_AUTHORIZATION: FieldDef = FieldDef::new("http.authorization", "Authorization", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_COOKIE_PAIR: FieldDef = FieldDef::new("http.cookie_pair", "Cookie pair", FieldType::Str, Base::None);
pub static HTTP_AUTHBASIC: FieldDef = FieldDef::new("http.authbasic", "Credentials", FieldType::Str, Base::None);
pub static HTTP_CONTENT_TYPE: FieldDef = FieldDef::new("http.content_type", "Content-Type", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_CONTENT_LENGTH_HEADER: FieldDef = FieldDef::new("http.content_length_header", "Content-Length", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_CONTENT_LENGTH: FieldDef = FieldDef::new("http.content_length", "Content length", FieldType::U64, Base::Dec);
pub static HTTP_CONTENT_ENCODING: FieldDef = FieldDef::new("http.content_encoding", "Content-Encoding", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_TRANSFER_ENCODING: FieldDef = FieldDef::new("http.transfer_encoding", "Transfer-Encoding", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_UPGRADE: FieldDef = FieldDef::new("http.upgrade", "Upgrade", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_DATE: FieldDef = FieldDef::new("http.date", "Date", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_SERVER: FieldDef = FieldDef::new("http.server", "Server", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_LOCATION: FieldDef = FieldDef::new("http.location", "Location", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_CACHE_CONTROL: FieldDef = FieldDef::new("http.cache_control", "Cache-Control", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_LAST_MODIFIED: FieldDef = FieldDef::new("http.last_modified", "Last-Modified", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_X_FORWARDED_FOR: FieldDef = FieldDef::new("http.x_forwarded_for", "X-Forwarded-For", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_SEC_WEBSOCKET_KEY: FieldDef = FieldDef::new("http.sec_websocket_key", "Sec-WebSocket-Key", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_SEC_WEBSOCKET_ACCEPT: FieldDef = FieldDef::new("http.sec_websocket_accept", "Sec-WebSocket-Accept", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_SEC_WEBSOCKET_VERSION: FieldDef = FieldDef::new("http.sec_websocket_version", "Sec-WebSocket-Version", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_SEC_WEBSOCKET_PROTOCOL: FieldDef = FieldDef::new("http.sec_websocket_protocol", "Sec-WebSocket-Protocol", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_SEC_WEBSOCKET_EXTENSIONS: FieldDef = FieldDef::new("http.sec_websocket_extensions", "Sec-WebSocket-Extensions", FieldType::Str, Base::None).whole(line_label);
pub static HTTP_CHUNK_SIZE: FieldDef = FieldDef::new("http.chunk_size", "Chunk size", FieldType::U32, Base::Dec).custom(chunk_size_label);
pub static HTTP_CHUNK_DATA: FieldDef = FieldDef::new("http.chunk_data", "Chunk data", FieldType::Bytes, Base::None);
pub static HTTP_CHUNK_BOUNDARY: FieldDef = FieldDef::new("http.chunk_boundary", "Chunk boundary", FieldType::Bytes, Base::None);
/// A header line of a notification (GENA's `NOTIFY`) Wireshark names no field for; its
/// value is the line as the tree shows it (`NT: upnp:rootdevice\r\n`).
pub static HTTP_UNKNOWN_HEADER: FieldDef = FieldDef::new("http.unknown_header", "Unknown header", FieldType::Str, Base::None).whole(line_label);
pub static URLENCODED_FORM_KEY: FieldDef = FieldDef::new("urlencoded-form.key", "Key", FieldType::Str, Base::None);
pub static URLENCODED_FORM_VALUE: FieldDef = FieldDef::new("urlencoded-form.value", "Value", FieldType::Str, Base::None);
pub static HTTP_REQUEST_NUMBER: FieldDef = FieldDef::new("http.request_number", "Request number", FieldType::U32, Base::Dec);
/// `[HTTP request 1/2]`: the tree's line for the (hidden) request or response number.
pub static HTTP_EXCHANGE_TEXT: FieldDef = FieldDef::new("_ws.text", "", FieldType::Str, Base::None).tree_only();
pub static HTTP_RESPONSE_NUMBER: FieldDef = FieldDef::new("http.response_number", "Response number", FieldType::U32, Base::Dec);
pub static HTTP_TIME: FieldDef = FieldDef::new("http.time", "Time since request", FieldType::RelTime, Base::None);
pub static HTTP_REQUEST_IN: FieldDef = FieldDef::new("http.request_in", "Request in frame", FieldType::FrameNum, Base::None);
pub static HTTP_PREV_REQUEST_IN: FieldDef = FieldDef::new("http.prev_request_in", "Prev request in frame", FieldType::FrameNum, Base::None);
pub static HTTP_PREV_RESPONSE_IN: FieldDef = FieldDef::new("http.prev_response_in", "Prev response in frame", FieldType::FrameNum, Base::None);
pub static HTTP_RESPONSE_FOR_URI: FieldDef = FieldDef::new("http.response_for.uri", "Request URI", FieldType::Str, Base::None);
/// The body, as Wireshark 4.0's string field: its bytes as ASCII text (see [`body_text`]).
pub static HTTP_FILE_DATA: FieldDef = FieldDef::new("http.file_data", "File Data", FieldType::Str, Base::None).whole(file_data_label);

/// The `media` dissector's one field: the body's bytes, labelled with their type.
pub static MEDIA_TYPE: FieldDef = FieldDef::new("media.type", "Media type", FieldType::Bytes, Base::None).custom(media_type_label);

/// The expert item tshark adds to HTTP's tree when the dissector of the body's media type
/// refuses it (an `image/png` body that is no PNG, an `image/gif` one that is no GIF): kept
/// as a field for filters, shown as its expert item alone (as the analysis flags are).
pub static HTTP_SUBDISSECTOR_FAILED: FieldDef = FieldDef::new("http.subdissector_failed", "HTTP body subdissector failed, trying heuristic subdissector", FieldType::None, Base::None);

/// Every field this module defines.
pub static FIELDS: &[&FieldDef] = &[
    &HTTP_SUBDISSECTOR_FAILED, &HTTP_REQUEST, &HTTP_RESPONSE, &HTTP_NOTIFICATION, &HTTP_REQUEST_LINE, &HTTP_RESPONSE_LINE, &HTTP_REQUEST_METHOD, &HTTP_REQUEST_URI, &HTTP_REQUEST_URI_PATH, &HTTP_REQUEST_URI_QUERY, &HTTP_REQUEST_URI_QUERY_PARAMETER, &HTTP_REQUEST_VERSION, &HTTP_RESPONSE_VERSION,
    &HTTP_RESPONSE_CODE, &HTTP_RESPONSE_CODE_DESC, &HTTP_RESPONSE_PHRASE, &HTTP_REQUEST_FULL_URI, &HTTP_HOST, &HTTP_USER_AGENT, &HTTP_ACCEPT, &HTTP_ACCEPT_LANGUAGE,
    &HTTP_ACCEPT_ENCODING, &HTTP_CONNECTION, &HTTP_REFERER, &HTTP_COOKIE, &HTTP_COOKIE_PAIR, &HTTP_SET_COOKIE, &HTTP_AUTHORIZATION, &HTTP_AUTHBASIC, &HTTP_CONTENT_TYPE, &HTTP_CONTENT_LENGTH_HEADER,
    &HTTP_CONTENT_LENGTH, &HTTP_CONTENT_ENCODING, &HTTP_TRANSFER_ENCODING, &HTTP_UPGRADE, &HTTP_DATE, &HTTP_SERVER, &HTTP_LOCATION, &HTTP_CACHE_CONTROL,
    &HTTP_LAST_MODIFIED, &HTTP_X_FORWARDED_FOR, &HTTP_SEC_WEBSOCKET_KEY, &HTTP_SEC_WEBSOCKET_ACCEPT, &HTTP_SEC_WEBSOCKET_VERSION, &HTTP_SEC_WEBSOCKET_PROTOCOL,
    &HTTP_SEC_WEBSOCKET_EXTENSIONS, &MEDIA_TYPE, &HTTP_CHUNK_SIZE, &HTTP_FILE_DATA, &HTTP_UNKNOWN_HEADER, &HTTP_CHUNK_DATA, &HTTP_CHUNK_BOUNDARY,
    &HTTP_REQUEST_NUMBER, &HTTP_RESPONSE_NUMBER, &URLENCODED_FORM_KEY, &URLENCODED_FORM_VALUE, &HTTP_TIME, &HTTP_REQUEST_IN, &HTTP_PREV_REQUEST_IN, &HTTP_PREV_RESPONSE_IN, &HTTP_RESPONSE_FOR_URI,
];

/// TCP ports tshark hands to HTTP by default (others are found by the request line).
pub const PORTS: &[u16] = &[80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710];

/// Request methods tshark's heuristic recognises.
const METHODS: &[&str] = &["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "M-SEARCH", "SEARCH"];
// (`looks_like` refuses a payload whose first byte is not a capital letter before it looks
// for a method: that must stay true of every method.)
const _: () = {
    let mut i = 0;
    while i < METHODS.len() {
        assert!(METHODS[i].as_bytes()[0].is_ascii_uppercase());
        i += 1;
    }
};

/// The header a field names (lower case) and its field.
static HEADERS: &[(&str, &FieldDef)] = &[
    ("host", &HTTP_HOST),
    ("user-agent", &HTTP_USER_AGENT),
    ("accept", &HTTP_ACCEPT),
    ("accept-language", &HTTP_ACCEPT_LANGUAGE),
    ("accept-encoding", &HTTP_ACCEPT_ENCODING),
    ("connection", &HTTP_CONNECTION),
    ("referer", &HTTP_REFERER),
    ("cookie", &HTTP_COOKIE),
    ("set-cookie", &HTTP_SET_COOKIE),
    ("authorization", &HTTP_AUTHORIZATION),
    ("content-type", &HTTP_CONTENT_TYPE),
    ("content-length", &HTTP_CONTENT_LENGTH_HEADER),
    ("content-encoding", &HTTP_CONTENT_ENCODING),
    ("transfer-encoding", &HTTP_TRANSFER_ENCODING),
    ("upgrade", &HTTP_UPGRADE),
    ("date", &HTTP_DATE),
    ("server", &HTTP_SERVER),
    ("location", &HTTP_LOCATION),
    ("cache-control", &HTTP_CACHE_CONTROL),
    ("last-modified", &HTTP_LAST_MODIFIED),
    ("x-forwarded-for", &HTTP_X_FORWARDED_FOR),
    ("sec-websocket-key", &HTTP_SEC_WEBSOCKET_KEY),
    ("sec-websocket-accept", &HTTP_SEC_WEBSOCKET_ACCEPT),
    ("sec-websocket-version", &HTTP_SEC_WEBSOCKET_VERSION),
    ("sec-websocket-protocol", &HTTP_SEC_WEBSOCKET_PROTOCOL),
    ("sec-websocket-extensions", &HTTP_SEC_WEBSOCKET_EXTENSIONS),
];

/// The first line, up to (not including) its line end.
fn first_line(buf: &[u8]) -> &[u8] {
    let end = buf.iter().position(|&c| c == b'\n').unwrap_or(buf.len());
    let line = &buf[..end];
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Whether `buf` starts a response, as tshark tells one (`HTTP/`, or SHOUTcast's `ICY`).
fn is_response(buf: &[u8]) -> bool {
    buf.starts_with(b"HTTP/") || buf.starts_with(b"ICY")
}

/// Request methods tshark 4.0's `is_http_request_or_reply` knows (after an optional `M-`).
const ALL_METHODS: &[&[u8]] = &[
    b"GET", b"PUT", b"COPY", b"HEAD", b"LOCK", b"MOVE", b"POLL", b"POST", b"BCOPY", b"BMOVE", b"MKCOL", b"TRACE", b"PATCH",
    b"LABEL", b"MERGE", b"DELETE", b"SEARCH", b"UNLOCK", b"REPORT", b"UPDATE", b"NOTIFY", b"BDELETE", b"CONNECT",
    b"OPTIONS", b"CHECKIN", b"PROPFIND", b"CHECKOUT", b"CCM_POST", b"SUBSCRIBE", b"PROPPATCH", b"BPROPFIND",
    b"BPROPPATCH", b"UNCHECKOUT", b"MKACTIVITY", b"MKWORKSPACE", b"RPC_CONNECT", b"RPC_IN_DATA", b"UNSUBSCRIBE",
    b"RPC_OUT_DATA", b"VERSION-CONTROL", b"BASELINE-CONTROL", b"SSTP_DUPLEX_POST",
];

/// Whether the bytes start an HTTP message as tshark's HTTP dissector decides on a
/// connection it was handed (`is_http_request_or_reply` on the first line): a line that
/// begins `HTTP/` or `ICY` (a response), or whose first word (up to a space or the line's
/// end) is a method it knows. No version or status is needed: `GET /map` is a request.
pub(crate) fn starts_message(buf: &[u8]) -> bool {
    let (len, _) = line_end(buf, 0);
    let mut line = &buf[..len];
    if line.starts_with(b"M-") {
        line = &line[2..];
    }
    if line.starts_with(b"HTTP/") || line.starts_with(b"ICY") {
        return true;
    }
    let word = line.iter().position(|&c| c == b' ').map_or(line, |sp| &line[..sp]);
    ALL_METHODS.contains(&word)
}

/// Whether `buf` starts with a request line (`METHOD SP URI SP HTTP/x.y`) or a status line:
/// the look that makes a connection on another port HTTP's (tshark's heuristic).
pub(crate) fn looks_like(buf: &[u8]) -> bool {
    if buf.starts_with(b"HTTP/1.") || buf.starts_with(b"HTTP/2 ") || buf.starts_with(b"HTTP/0.9") {
        return buf.len() >= 12 && buf.get(8) == Some(&b' ') && buf.get(9..12).is_some_and(|c| c.iter().all(u8::is_ascii_digit));
    }
    // Every method begins with a capital letter: most payloads are refused here.
    if !buf.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let line = first_line(buf);
    let Some(sp) = line.iter().position(|&c| c == b' ') else { return false };
    let method = &line[..sp];
    if !METHODS.iter().any(|m| m.as_bytes() == method) {
        return false;
    }
    // The version may not have arrived yet when the line is long.
    let rest = &line[sp + 1..];
    match rest.iter().rposition(|&c| c == b' ') {
        Some(v) => rest[v + 1..].starts_with(b"HTTP/"),
        None => line.len() == buf.len() && !rest.is_empty(),
    }
}

/// Where the header block ends (just past the empty line), if it has.
fn headers_end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < buf.len() {
        let nl = buf[i..].iter().position(|&c| c == b'\n')? + i;
        let line = &buf[i..nl];
        if line.is_empty() || line == b"\r" {
            return Some(nl + 1);
        }
        i = nl + 1;
    }
    None
}

/// Header lines (name, value from its first non-blank byte to the line end, line start, line
/// end including its line end) up to `end`.
fn headers(buf: &[u8], end: usize) -> impl Iterator<Item = (&[u8], &[u8], usize, usize)> {
    let start = buf.iter().position(|&c| c == b'\n').map_or(end, |p| p + 1);
    let mut i = start;
    std::iter::from_fn(move || {
        if i >= end {
            return None;
        }
        let nl = buf.get(i..end)?.iter().position(|&c| c == b'\n')? + i;
        let line = &buf[i..nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return None;
        }
        let at = i;
        i = nl + 1;
        let colon = line.iter().position(|&c| c == b':').unwrap_or(line.len());
        // (As tshark's: white space before the value skipped, after it kept.)
        let value = line.get(colon + 1..).unwrap_or(&[]);
        let value = value.trim_ascii_start();
        Some((&line[..colon], value, at, nl + 1))
    })
}

fn header<'a>(buf: &'a [u8], end: usize, name: &str) -> Option<&'a [u8]> {
    headers(buf, end).find(|(n, ..)| n.trim_ascii().eq_ignore_ascii_case(name.as_bytes())).map(|(_, v, ..)| v)
}

fn chunked(buf: &[u8], end: usize) -> bool {
    header(buf, end, "transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().windows(7).any(|w| w == b"chunked"))
}

fn content_length(buf: &[u8], end: usize) -> Option<u64> {
    std::str::from_utf8(header(buf, end, "content-length")?).ok()?.trim().parse().ok()
}

/// A response's status code (0 if none).
fn status_code(buf: &[u8]) -> u16 {
    let line = first_line(buf);
    line.get(9..12).and_then(|c| std::str::from_utf8(c).ok()).and_then(|c| c.parse().ok()).unwrap_or(0)
}

/// Whether a `101` response switches to WebSocket.
fn upgrades_to_websocket(buf: &[u8]) -> bool {
    let end = headers_end(buf).unwrap_or(buf.len());
    header(buf, end, "upgrade").is_some_and(|v| v.eq_ignore_ascii_case(b"websocket"))
}

/// Whether a response's body has no announced length: it ends when the connection closes.
fn body_until_fin(buf: &[u8], st: PduState) -> bool {
    let Some(end) = headers_end(buf) else { return false };
    let code = status_code(buf);
    !(st.head || (100..200).contains(&code) || code == 204 || code == 304) && content_length(buf, end).is_none() && !chunked(buf, end)
}

/// The length of the chunked body at `buf[at..]`, if it is all there.
fn chunked_len(buf: &[u8], at: usize) -> Need {
    let mut i = at;
    loop {
        let Some(nl) = buf.get(i..).and_then(|b| b.iter().position(|&c| c == b'\n')) else { return Need::More };
        let line = &buf[i..i + nl];
        let hex: Vec<u8> = line.iter().copied().take_while(u8::is_ascii_hexdigit).collect();
        let Some(size) = std::str::from_utf8(&hex).ok().and_then(|h| usize::from_str_radix(h, 16).ok()) else { return Need::Done(buf.len()) };
        i += nl + 1;
        if size == 0 {
            // Trailer lines up to an empty line.
            loop {
                let Some(nl) = buf.get(i..).and_then(|b| b.iter().position(|&c| c == b'\n')) else { return Need::More };
                let line = &buf[i..i + nl];
                i += nl + 1;
                if line.is_empty() || line == b"\r" {
                    return Need::Done(i);
                }
            }
        }
        i = match i.checked_add(size) {
            Some(v) => v,
            None => return Need::NotMine,
        };
        // The CRLF after the chunk's data.
        if buf.len() < i + 1 {
            return Need::More;
        }
        if buf.get(i) == Some(&b'\r') {
            i += 1;
        }
        if buf.get(i) == Some(&b'\n') {
            i += 1;
        } else if i >= buf.len() {
            return Need::More;
        }
    }
}

/// The facts a message at the start of `buf` starts with: a response to a HEAD request (the
/// oldest one not yet answered) has no body, a body without a length runs until the
/// connection closes, and the message's number ([`number`]).
pub(crate) fn pdu_state(conn: &ConnState, _dir: usize, buf: &[u8]) -> PduState {
    let mut st = PduState::default();
    if is_response(buf) {
        st.head = conn.heads.front().copied().unwrap_or(false);
        st.until_fin = body_until_fin(buf, st);
    }
    // (Numbered again when whole, by `after_pdu`; a body that runs until the connection
    // closes keeps these.)
    number(conn, buf, &mut st);
    st.request_seen = conn.http_request_seen;
    st
}

/// A message's number and the frames around it, as tshark's `push_req`/`push_res` would
/// give them now: a request starts a new exchange; a response joins the last one if that
/// has no response yet (a pipelined request's, a `100 Continue`'s request), else starts its
/// own; the exchange before it gives the previous request's and response's frames; a
/// response shows the last full request URI. Notifications are not counted.
fn number(conn: &ConnState, msg: &[u8], st: &mut PduState) {
    if msg.starts_with(b"NOTIFY ") && !is_response(msg) {
        return;
    }
    let (curr, before) = match conn.http_last {
        Some(last) if is_response(msg) && last.res_frame == 0 => (last, conn.http_before),
        last => (Exchange { number: conn.http_exchanges + 1, ..Exchange::default() }, last),
    };
    st.number = curr.number;
    st.total = curr.number.max(conn.http_exchanges);
    (st.req_frame, st.req_ts) = (curr.req_frame, curr.req_ts);
    (st.prev_req, st.prev_resp) = before.map_or((0, 0), |b| (b.req_frame, b.res_frame));
    st.uri = conn.http_uri;
    st.req_uri = conn.http_req_uri;
}

/// Notes a whole message (numbering it first, as tshark does then): a request's exchange and
/// method, the exchange a response joins (a `1xx` other than `101` leaves the request
/// waiting for its final response, for HEAD's bodiless answer); returns `websocket` when a
/// `101` switches to it.
pub(crate) fn after_pdu(conn: &mut ConnState, _dir: usize, msg: &[u8], st: &mut PduState) -> Option<&'static str> {
    number(conn, msg, st);
    if is_response(msg) {
        match &mut conn.http_last {
            Some(last) if last.res_frame == 0 => last.res_frame = conn.frame,
            last => {
                conn.http_before = *last;
                conn.http_exchanges += 1;
                *last = Some(Exchange { number: conn.http_exchanges, res_frame: conn.frame, ..Exchange::default() });
            }
        }
        let code = status_code(msg);
        if !(100..200).contains(&code) || code == 101 {
            conn.heads.pop_front();
        }
        if code == 101 && upgrades_to_websocket(msg) {
            return Some("websocket");
        }
    } else if !starts_message(msg) {
        // (Bytes that start no message, HTTP's all the same: nothing to learn.)
    } else if msg.starts_with(b"NOTIFY ") {
        conn.http_request_seen = true;
    } else {
        conn.http_request_seen = true;
        if conn.heads.len() >= 64 {
            conn.heads.pop_front();
        }
        conn.heads.push_back(msg.starts_with(b"HEAD "));
        conn.http_before = conn.http_last;
        conn.http_exchanges += 1;
        conn.http_last = Some(Exchange { number: conn.http_exchanges, req_frame: conn.frame, req_ts: conn.ts, res_frame: 0 });
        conn.http_req_uri = (conn.frame, conn.http_exchanges);
        // (The request's full URI needs a Host header: see `message`.)
        if headers_end(msg).is_some_and(|end| header(msg, end, "host").is_some()) {
            conn.http_uri = (conn.frame, conn.http_exchanges);
        }
    }
    None
}

/// How long the message at the start of `buf` is.
pub(crate) fn pdu_len(buf: &[u8], st: PduState) -> Need {
    if !starts_message(buf) {
        // Printable bytes without a line end: tshark asks TCP for more before it decides
        // (`req_resp_hdrs_do_reassembly`), whatever they are.
        if buf.first().is_some_and(|c| (b' '..=b'~').contains(c)) && line_end(buf, 0).0 == buf.len() {
            return Need::More;
        }
        return Need::NotMine;
    }
    let Some(end) = headers_end(buf) else { return Need::More };
    let body = if is_response(buf) {
        let code = status_code(buf);
        if st.head || (100..200).contains(&code) || code == 204 || code == 304 {
            return Need::Done(end);
        }
        if chunked(buf, end) {
            return chunked_len(buf, end);
        }
        match content_length(buf, end) {
            Some(n) => n,
            None => return Need::More,
        }
    } else {
        if chunked(buf, end) {
            return chunked_len(buf, end);
        }
        content_length(buf, end).unwrap_or(0)
    };
    match end.checked_add(body as usize) {
        Some(total) if total <= buf.len() => Need::Done(total),
        Some(_) => Need::More,
        None => Need::NotMine,
    }
}

fn text(b: &[u8]) -> Box<str> {
    String::from_utf8_lossy(b).into_owned().into_boxed_str()
}

/// A Cookie header's `name=value` pairs (value at `at`), as tshark splits them: at each `;`,
/// spaces and `;` between them skipped.
fn cookie_pairs(cx: &mut Ctx, value: &[u8], at: usize) {
    let mut i = 0;
    while i < value.len() {
        while value.get(i).is_some_and(|&c| c == b';' || c.is_ascii_whitespace()) {
            i += 1;
        }
        if i >= value.len() {
            break;
        }
        let n = value[i..].iter().position(|&c| c == b';').unwrap_or(value.len() - i);
        cx.add(&HTTP_COOKIE_PAIR, at + i, n, Value::Str(text(&value[i..i + n])));
        i += n;
    }
}

/// Base64 decoded as glib's `g_base64_decode` (Basic credentials): characters outside the
/// alphabet are skipped, `=` counts as a zero that drops the bytes it pads, and a last
/// group of fewer than four characters gives nothing.
fn base64_glib(b: &[u8]) -> Vec<u8> {
    fn rank(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => 0,
            _ => return None,
        } as u32)
    }
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    let (mut v, mut n, mut last) = (0u32, 0, [0u8; 2]);
    for &c in b {
        let Some(r) = rank(c) else { continue };
        last = [c, last[0]];
        v = (v << 6) | r;
        n += 1;
        if n == 4 {
            out.push((v >> 16) as u8);
            if last[1] != b'=' {
                out.push((v >> 8) as u8);
            }
            if last[0] != b'=' {
                out.push(v as u8);
            }
            (v, n) = (0, 0);
        }
    }
    out
}

/// Dissects an SSDP message (HTTP over UDP port 1900) in `a..b`; false if it is not one.
pub(crate) fn dissect_ssdp(cx: &mut Ctx, data: &[u8], a: usize, b: usize) -> bool {
    let b = b.min(data.len());
    if a >= b || !looks_like(&data[a..b]) {
        return false;
    }
    let st = ssdp_state(cx, &data[a..b]);
    message(cx, data, a, b, true, true, st);
    true
}

/// An SSDP request's number in its UDP conversation (both addresses and ports) and the
/// previous request's frame, as tshark counts them; kept by frame so that dissecting the
/// frame again gives the same. Notifications and responses are not counted.
fn ssdp_state(cx: &mut Ctx, msg: &[u8]) -> PduState {
    let mut st = PduState::default();
    if is_response(msg) || msg.starts_with(b"NOTIFY ") {
        return st;
    }
    let (Some((src, dst)), Some(t)) = (cx.net, cx.out.transports.last()) else { return st };
    let (Some(sport), Some(dport)) = (t.sport, t.dport) else { return st };
    cx.out.stateful = true;
    let frame = cx.frame_number;
    let streams = &mut *cx.streams;
    let (number, prev) = match streams.udp_http_done.get(&frame) {
        Some(&seen) => seen,
        None => {
            if streams.udp_http.len() >= 1 << 16 {
                streams.udp_http.clear();
            }
            if streams.udp_http_done.len() >= 1 << 20 {
                streams.udp_http_done.clear();
            }
            let key = if (src, sport) <= (dst, dport) { (src, sport, dst, dport) } else { (dst, dport, src, sport) };
            let conv = streams.udp_http.entry(key).or_insert((0, 0));
            let seen = (conv.0 + 1, conv.1);
            *conv = (seen.0, frame);
            streams.udp_http_done.insert(frame, seen);
            seen
        }
    };
    (st.number, st.total, st.prev_req) = (number, number, prev);
    st
}

/// HTTP in a segment whose bytes from `a` start a message a later segment finishes (its
/// `TcpApp::awaited`): tshark puts the request or status line in the Info (and a space)
/// before it asks TCP for more, once the line is whole; nothing in the tree.
pub(crate) fn message_awaited(cx: &mut Ctx, data: &[u8], a: usize, b: usize) {
    let Some(mut seg) = data.get(a..b.min(data.len())) else { return };
    // (An empty line before a message is skipped, as tshark's reader does.)
    if seg.len() > 3 && seg.starts_with(b"\r\n") {
        seg = &seg[2..];
    }
    let (len, next) = line_end(seg, 0);
    // No whole line yet (no line end, or a CR whose LF may be in the next segment): tshark
    // waits for it.
    if len == seg.len() || (next == seg.len() && seg[len] == b'\r') {
        return;
    }
    if !cx.text || cx.in_error != 0 || !starts_message(seg) {
        return;
    }
    cx.out.info.clear();
    cx.out.info.push_str(&String::from_utf8_lossy(&seg[..len]));
    cx.out.info.push(' ');
}

/// Dissects the message in `a..b` of `data`; `first` says it is the frame's first PDU.
/// Bytes that start no message (a segment read on its own, in the middle of a body) are a
/// continuation.
pub(crate) fn dissect(cx: &mut Ctx, data: &[u8], a: usize, b: usize, st: PduState, first: bool) {
    if starts_message(data.get(a..b).unwrap_or(&[])) {
        message(cx, data, a, b, first, false, st);
    } else {
        continuation(cx, data, a, b, first, st);
    }
}

/// A segment's bytes in the middle of a message (read on its own: not reassembled), as
/// tshark 4.0 shows them, Info `Continuation`: bytes that start with a character that is
/// not printable are data under HTTP; otherwise tshark reads lines as headers while each
/// has a colon (a body line like `{"hp":90}` becomes an unknown header whose name has
/// illegal characters), up to a blank line or a line without one, and the rest is the file
/// data, handed to the data dissector.
///
/// Only once a request line was read on the connection (tshark's `have_seen_http`): before,
/// HTTP takes the bytes and shows nothing (no layer, no data, the Info as TCP left it).
fn continuation(cx: &mut Ctx, data: &[u8], a: usize, b: usize, first: bool, st: PduState) {
    if !st.request_seen {
        return;
    }
    let b = b.min(data.len());
    let li = cx.open("http", "Hypertext Transfer Protocol", Osi::Application, a, b - a);
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol("HTTP");
    }
    // (The Info first: what stops the reading is appended to it.)
    if outer && cx.text {
        if first {
            cx.out.info.clear();
        } else {
            separate(&mut cx.out.info);
        }
        cx.out.info.push_str("Continuation");
    }
    let seg = &data[a..b];
    if seg.first().is_some_and(|&c| !(b' '..=b'~').contains(&c)) {
        super::data::nested(cx, data, a, b);
    } else {
        let mut off = 0;
        while off < seg.len() {
            let (len, next) = line_end(seg, off);
            let line = &seg[off..off + len];
            if len == 0 {
                let mut t = String::new();
                escape_line(&seg[off..next], &mut t);
                cx.add(&WS_TEXT, a + off, next - off, Value::Str(t.into_boxed_str()));
                off = next;
                break;
            }
            let Some(colon) = line.iter().position(|&c| c == b':') else {
                // After a header, a line without a colon that runs to the segment's end may
                // be a header cut short: tshark reads past the end there, which stops a
                // segment read on its own.
                if off > 0 && next == seg.len() && !matches!(seg.last(), Some(b'\r' | b'\n')) && st.alone {
                    cx.close(li);
                    super::tcp_pdu::unreassembled(cx, "HTTP", st.alone_reason);
                    return;
                }
                break;
            };
            continued_header(cx, a + off, &seg[off..next], line, colon);
            off = next;
        }
        if off < seg.len() {
            cx.add(&HTTP_FILE_DATA, a + off, b - a - off, body_text(&seg[off..]));
            // (tshark's heuristics first: a GIF is a layer of its own after HTTP's.)
            if super::gif::version(&seg[off..]).is_some() {
                cx.close(li);
                continued_gif(cx, data, a + off, b, outer, st);
                return;
            }
            super::data::nested(cx, data, a + off, b);
        }
    }
    cx.close(li);
}

/// A GIF image that a continuation's bytes start with, as tshark's heuristic reads it: its
/// version in the Info; a read past the segment's end, in a segment read on its own, is
/// tshark's unreassembled packet (`[BoundError Unreassembled Packet …: GIF image]`), not a
/// malformed frame.
fn continued_gif(cx: &mut Ctx, data: &[u8], a: usize, b: usize, outer: bool, st: PduState) {
    let malformed_before = cx.out.is_malformed();
    let Some(v) = super::gif::dissect(cx, data, a, b, false) else { return };
    // (The version first, then what the read past the end left in the Info.)
    let thrown = !malformed_before && cx.out.is_malformed();
    if thrown {
        cx.unmark_malformed();
    }
    if outer && cx.text {
        cx.out.info.push_str(" (");
        cx.out.info.push_str(v);
        cx.out.info.push(')');
    }
    if thrown && st.alone {
        super::tcp_pdu::unreassembled(cx, "GIF image", st.alone_reason);
    } else if thrown {
        cx.malformed();
    }
}

/// Where the line at `at` of `b` ends, as tshark's `tvb_find_line_end` finds it: (its
/// length without the line end, where the next line starts); CR, LF or CR LF end a line,
/// and the bytes' end one without.
pub(crate) fn line_end(b: &[u8], at: usize) -> (usize, usize) {
    match b[at..].iter().position(|&c| c == b'\r' || c == b'\n') {
        None => (b.len() - at, b.len()),
        Some(n) => {
            let eol = at + n;
            let next = if b[eol] == b'\r' && b.get(eol + 1) == Some(&b'\n') { eol + 2 } else { eol + 1 };
            (n, next)
        }
    }
}

/// A line with a colon in a continuation (`whole` with its line end, at `at`): a header of
/// neither a request nor a response, as tshark's `process_header` adds it. A name with a
/// character that is not a token character (RFC 7230's, as Wireshark lists them) makes the
/// line an unknown header with an expert item.
fn continued_header(cx: &mut Ctx, at: usize, whole: &[u8], line: &[u8], colon: usize) {
    let name = &line[..colon];
    let valid = !name.is_empty() && name.iter().all(|&c| c.is_ascii_alphanumeric() || b"!#$%&\\:*+-.^_`|~".contains(&c));
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    match HEADERS.iter().find(|(n, _)| *n == lower).filter(|_| valid) {
        Some((_, def)) => {
            let value = line[colon + 1..].trim_ascii_start();
            cx.add(def, at, whole.len(), Value::Str(text(value)));
        }
        // (tshark's value: where the name is bad, the line read as an ASCII string, up to a
        // NUL, with Wireshark's expert item when more than NULs follow it; where it is only
        // unknown, the line written with its escapes.)
        None if !valid => {
            let nul = whole.iter().position(|&c| c == 0).unwrap_or(whole.len());
            let idx = cx.add(&HTTP_UNKNOWN_HEADER, at, whole.len(), Value::Str(ascii_text(&whole[..nul])));
            if stray_after_nul(whole) {
                let (key, message) = TRAILING_STRAY;
                cx.expert(Severity::Warn, key, message, Some(idx));
            }
            cx.expert(Severity::Warn, "http.bad_header_name", "Illegal characters found in header name", Some(idx));
        }
        None => {
            let mut t = String::new();
            super::label::push_format_text(whole, &mut t);
            cx.add(&HTTP_UNKNOWN_HEADER, at, whole.len(), Value::Str(t.into_boxed_str()));
        }
    }
}

/// The request or status line as tshark's tree shows it (`GET / HTTP/1.1\r\n`), with its
/// Chat expert item; the line's parts nest under it.
fn first_line_item(cx: &mut Ctx, msg: &[u8], a: usize) {
    let end = msg.iter().position(|&c| c == b'\n').map_or(msg.len(), |p| p + 1);
    let mut t = String::new();
    escape_line(&msg[..end], &mut t);
    let idx = cx.add(&WS_TEXT, a, end, Value::Str(t.clone().into_boxed_str()));
    cx.expert(Severity::Chat, "http.chat", t, Some(idx));
}

fn message(cx: &mut Ctx, data: &[u8], a: usize, b: usize, first: bool, ssdp: bool, st: PduState) {
    let msg = data.get(a..b).unwrap_or(&[]);
    let li = if ssdp {
        cx.open("ssdp", "Simple Service Discovery Protocol", Osi::Application, a, b - a)
    } else {
        cx.open("http", "Hypertext Transfer Protocol", Osi::Application, a, b - a)
    };
    let outer = cx.in_error == 0;
    if outer {
        cx.set_protocol(if ssdp { "SSDP" } else { "HTTP" });
    }
    let line = first_line(msg);
    let response = is_response(msg);
    let hend = headers_end(msg).unwrap_or(msg.len());
    let sp1 = line.iter().position(|&c| c == b' ').unwrap_or(line.len());
    let rest = line.get(sp1 + 1..).unwrap_or(&[]);
    let sp2 = rest.iter().position(|&c| c == b' ').unwrap_or(rest.len());
    let (p1, p2, p3) = (&line[..sp1], &rest[..sp2], rest.get(sp2 + 1..).unwrap_or(&[]));
    let (o1, o2, o3) = (a, a + sp1 + 1, a + sp1 + 1 + sp2 + 1);
    let mut host: Option<Box<str>> = None;
    let mut ctype: Option<Box<str>> = None;
    if response {
        first_line_item(cx, msg, a);
        cx.child(|cx| {
            cx.add(&HTTP_RESPONSE_VERSION, o1, p1.len(), Value::Str(text(p1)));
            let code: u16 = std::str::from_utf8(p2).ok().and_then(|c| c.parse().ok()).unwrap_or(0);
            cx.add(&HTTP_RESPONSE_CODE, o2, p2.len(), Value::UInt(code as u64));
            if let Some(desc) = status_text(code) {
                cx.add_gen(&HTTP_RESPONSE_CODE_DESC, o2, p2.len(), Value::Str(desc.into()));
            }
            // The phrase is the rest of the line (it may contain spaces).
            let phrase = rest.get(sp2 + 1..).unwrap_or(&[]);
            cx.add(&HTTP_RESPONSE_PHRASE, o3, phrase.len(), Value::Str(text(phrase)));
        });
    } else {
        first_line_item(cx, msg, a);
        cx.child(|cx| {
            cx.add(&HTTP_REQUEST_METHOD, o1, p1.len(), Value::Str(text(p1)));
            cx.add(&HTTP_REQUEST_URI, o2, p2.len(), Value::Str(text(p2)));
            // A URI with a query: its path, the query and each `&`-separated parameter.
            if let Some(q) = p2.iter().position(|&c| c == b'?') {
                cx.child(|cx| {
                    cx.add(&HTTP_REQUEST_URI_PATH, o2, q, Value::Str(text(&p2[..q])));
                    let query = &p2[q + 1..];
                    cx.add(&HTTP_REQUEST_URI_QUERY, o2 + q + 1, query.len(), Value::Str(text(query)));
                    cx.child(|cx| {
                        let mut at = o2 + q + 1;
                        for param in query.split(|&c| c == b'&') {
                            cx.add(&HTTP_REQUEST_URI_QUERY_PARAMETER, at, param.len(), Value::Str(text(param)));
                            at += param.len() + 1;
                        }
                    });
                });
            }
            cx.add(&HTTP_REQUEST_VERSION, o3, p3.len(), Value::Str(text(p3)));
        });
    }
    // A notification's lines are neither request nor response lines: a header Wireshark
    // names no field for is an unknown header.
    let notification = !response && p1 == b"NOTIFY";
    for (name, value, ls, le) in headers(msg, hend) {
        let lower = String::from_utf8_lossy(name.trim_ascii()).to_ascii_lowercase();
        // The line's value keeps its line end, as Wireshark's.
        let whole = &msg[ls..le];
        let line_def = if response { &HTTP_RESPONSE_LINE } else { &HTTP_REQUEST_LINE };
        match HEADERS.iter().find(|(n, _)| *n == lower) {
            Some((_, def)) => {
                cx.add(def, a + ls, le - ls, Value::Str(text(value)));
                if lower == "content-length"
                    && let Some(n) = std::str::from_utf8(value).ok().and_then(|v| v.trim().parse::<u64>().ok())
                {
                    cx.child(|cx| cx.add_gen(&HTTP_CONTENT_LENGTH, a + ls, le - ls, Value::UInt(n)));
                }
                // (Where the value starts in the message: it is a part of it.)
                let at = a + (value.as_ptr() as usize).saturating_sub(msg.as_ptr() as usize);
                if lower == "cookie" {
                    cx.child(|cx| cookie_pairs(cx, value, at));
                }
                if lower == "authorization"
                    && let Some(b64) = value.strip_prefix(b"Basic ")
                {
                    // (tshark decodes a value of two characters or more; the decoded text ends
                    // at a NUL byte.)
                    let shown = if b64.len() > 1 { base64_glib(b64) } else { b64.to_vec() };
                    let shown = shown.iter().position(|&c| c == 0).map_or(&shown[..], |n| &shown[..n]);
                    cx.child(|cx| cx.add(&HTTP_AUTHBASIC, a, 0, Value::Str(text(shown))));
                }
                if !notification {
                    cx.add_hidden(line_def, a + ls, le - ls, Value::Str(text(whole)));
                }
                if lower == "host" {
                    host = Some(text(value));
                }
                if lower == "content-type" {
                    ctype = Some(text(value));
                }
            }
            None if notification => {
                let mut t = String::new();
                escape_line(whole, &mut t);
                cx.add(&HTTP_UNKNOWN_HEADER, a + ls, le - ls, Value::Str(t.into_boxed_str()));
            }
            None => {
                cx.add(line_def, a + ls, le - ls, Value::Str(text(whole)));
            }
        }
    }
    // The empty line that ends the headers.
    if let Some(e) = headers_end(msg) {
        let blank = if msg[..e].ends_with(b"\r\n") { 2 } else { 1 };
        let mut t = String::new();
        escape_line(&msg[e - blank..e], &mut t);
        cx.add(&WS_TEXT, a + e - blank, blank, Value::Str(t.into_boxed_str()));
    }
    if !response && !ssdp && st.number > 0 {
        let uris = &mut cx.streams.http_req_uris;
        if uris.len() >= 1 << 16 {
            uris.clear();
        }
        uris.insert((cx.frame_number, st.number), String::from_utf8_lossy(p2).into());
    }
    if !response && let Some(h) = &host {
        let uri = String::from_utf8_lossy(p2);
        // An absolute URI (or CONNECT's authority) is the full URI; anything else follows
        // the Host header, `*` included (`http://239.255.255.250:1900*`).
        let lower = uri.to_ascii_lowercase();
        let absolute = lower.starts_with("http://") || lower.starts_with("https://") || p1.eq_ignore_ascii_case(b"CONNECT");
        let full = if absolute { uri.into_owned() } else { format!("http://{}{uri}", h.trim()) };
        let full = full.into_boxed_str();
        if !ssdp && st.number > 0 {
            let uris = &mut cx.streams.http_uris;
            if uris.len() >= 1 << 16 {
                uris.clear();
            }
            uris.insert((cx.frame_number, st.number), full.clone());
        }
        cx.add_gen(&HTTP_REQUEST_FULL_URI, a, 0, Value::Str(full));
    }
    // Whether it is a request, a response or (GENA's NOTIFY) a notification: a hidden flag
    // after the headers, where tshark adds it.
    let kind = if response {
        &HTTP_RESPONSE
    } else if notification {
        &HTTP_NOTIFICATION
    } else {
        &HTTP_REQUEST
    };
    cx.add_hidden(kind, a, 0, Value::Bool(true));
    // Which request of the connection this is, or which one it answers (only what came
    // before is known: tshark's single pass counts the requests so far), and the frames of
    // the exchanges before; a response's time since its request and the request's URI.
    if st.number > 0 && st.number <= st.total {
        let kind = if response { "response" } else { "request" };
        cx.add_gen(&HTTP_EXCHANGE_TEXT, a, 0, Value::Str(format!("HTTP {kind} {}/{}", st.number, st.total).into_boxed_str()));
        cx.add_hidden(if response { &HTTP_RESPONSE_NUMBER } else { &HTTP_REQUEST_NUMBER }, a, 0, Value::UInt(u64::from(st.number)));
        if response
            && let (Some(now), Some(then)) = (cx.ts, st.req_ts)
        {
            let ns = (now.as_nanos() - then.as_nanos()).clamp(i64::MIN as i128, i64::MAX as i128) as i64;
            cx.add_gen(&HTTP_TIME, a, 0, Value::Duration(ns));
        }
        if st.prev_req > 0 {
            cx.add_gen(&HTTP_PREV_REQUEST_IN, a, 0, Value::UInt(st.prev_req));
        }
        if response && st.prev_resp > 0 {
            cx.add_gen(&HTTP_PREV_RESPONSE_IN, a, 0, Value::UInt(st.prev_resp));
        }
        if response && st.req_frame > 0 {
            cx.add_gen(&HTTP_REQUEST_IN, a, 0, Value::UInt(st.req_frame));
        }
        // (The connection's last full request URI, whichever request this answers; else
        // the last request's URI as written.)
        let uri = cx.streams.http_uris.get(&st.uri).or_else(|| cx.streams.http_req_uris.get(&st.req_uri));
        if response && let Some(uri) = uri.cloned() {
            cx.add_gen(&HTTP_RESPONSE_FOR_URI, a, 0, Value::Str(uri));
        }
    }
    // The body: a chunked one's chunks, then the file data (de-chunked), handed to the
    // dissector of its media type after HTTP's layer.
    // What the body's dissectors add to the Info (` (text/plain)`).
    let mut lines_of = String::new();
    // Whether the body's dissector failed past its end (a PNG cut short): the Info's mark
    // then follows the message's text, as in tshark.
    let malformed_before = cx.out.is_malformed();
    // A content coding other than identity (tshark's `headers.content_encoding`).
    let coding = header(msg, hend, "content-encoding").map(|v| String::from_utf8_lossy(v).into_owned()).filter(|c| !c.eq_ignore_ascii_case("identity"));
    if hend < msg.len() && chunked(msg, hend) {
        let (body, complete) = chunks(cx, msg, a, hend, st.alone);
        if !complete {
            // A segment read on its own ends inside a chunk: tshark stops there.
            cx.close(li);
            super::tcp_pdu::unreassembled(cx, "HTTP", st.alone_reason);
        } else {
            cx.in_reassembled(body, |cx, b| lines_of = entity(cx, b, 0, b.len(), li, ctype.as_deref(), coding.as_deref()));
        }
    } else if hend < msg.len() {
        lines_of = entity(cx, data, a + hend, a + msg.len(), li, ctype.as_deref(), coding.as_deref());
    } else {
        // tshark's title is the bare protocol name.
        cx.close(li);
    }
    if outer && cx.text {
        let thrown = !malformed_before && cx.out.is_malformed();
        let info = &mut cx.out.info;
        if thrown && let Some(n) = info.strip_suffix(MALFORMED_MARK).map(str::len) {
            info.truncate(n);
        }
        if first {
            info.clear();
        } else {
            separate(info);
        }
        // As tshark: the first line and a space, then (from the dissector of the body's
        // media type) that type.
        info.push_str(&String::from_utf8_lossy(line));
        info.push(' ');
        info.push_str(&lines_of);
        if thrown {
            info.push_str(MALFORMED_MARK);
        }
    }
}

/// A message's (de-chunked) body at `data[s..e]`, the rest of HTTP's layer `li` and what
/// follows it, as tshark: a body in a content coding (`coding`) first shows
/// `Content-encoded entity body (gzip): N bytes`, decompressed where it is gzip, deflate or
/// brotli (` -> M bytes`, the rest read from the decompressed bytes), else with an expert
/// item and the bytes as data under that line, and nothing more; then the file data, data
/// under HTTP's tree for a body of no stated type, HTTP's layer closed, and the body read by
/// its media type (`ctype`: the Content-Type). Returns what goes in the Info
/// ([`body_media`]).
fn entity(cx: &mut Ctx, data: &[u8], s: usize, e: usize, li: usize, ctype: Option<&str>, coding: Option<&str>) -> String {
    let e = e.min(data.len());
    if s >= e {
        cx.close(li);
        return String::new();
    }
    if let Some(coding) = coding {
        let body = &data[s..e];
        let decompress = super::prefs::HTTP_DECOMPRESS_BODY.get();
        let out = match coding.to_ascii_lowercase().as_str() {
            "gzip" | "deflate" | "x-gzip" | "x-deflate" if decompress => super::uncompress::zlib(body),
            "br" if decompress => super::uncompress::brotli(body),
            _ => None,
        };
        let mut label = format!("Content-encoded entity body ({coding}): {} bytes", body.len());
        let Some(out) = out else {
            let idx = cx.add(&WS_TEXT, s, e - s, Value::Str(label.into_boxed_str()));
            if decompress {
                cx.expert(Severity::Warn, "http.decompression_failed", "Decompression failed", Some(idx));
            } else {
                cx.expert(Severity::Chat, "http.decompression_disabled", "Decompression disabled", Some(idx));
            }
            cx.child(|cx| super::data::nested(cx, data, s, e));
            cx.close(li);
            return String::new();
        };
        label.push_str(&format!(" -> {} bytes", out.len()));
        cx.add(&WS_TEXT, s, e - s, Value::Str(label.into_boxed_str()));
        let mut named = String::new();
        cx.in_reassembled(out, |cx, b| named = plain_entity(cx, b, 0, b.len(), li, ctype));
        return named;
    }
    plain_entity(cx, data, s, e, li, ctype)
}

/// A body in no content coding at `data[s..e]` (see [`entity`]; empty only when that is what
/// decompression gave).
fn plain_entity(cx: &mut Ctx, data: &[u8], s: usize, e: usize, li: usize, ctype: Option<&str>) -> String {
    let e = e.min(data.len()).max(s);
    let body = data.get(s..e).unwrap_or(&[]);
    cx.add(&HTTP_FILE_DATA, s, e - s, body_text(body));
    // A body of no stated type is data, under HTTP's own tree, unless a heuristic dissector
    // of tshark's takes it (a GIF or PNG image).
    let image = super::png::is_png(body) || super::gif::version(body).is_some();
    if ctype.is_none() && !image {
        super::data::nested(cx, data, s, e);
    }
    // The dissector of the body's type refused it: tshark notes it in HTTP's tree (then
    // tries its heuristics, and names the type with `media`).
    let refused = |t: &str| match media_type(t).as_str() {
        "image/png" => !super::png::is_png(body),
        "image/gif" => super::gif::version(body).is_none(),
        _ => false,
    };
    if !body.is_empty() && ctype.is_some_and(refused) {
        let at = cx.add_gen(&HTTP_SUBDISSECTOR_FAILED, s, 0, Value::None);
        cx.expert(Severity::Note, "http.subdissector_failed", "HTTP body subdissector failed, trying heuristic subdissector", Some(at));
    }
    cx.close(li);
    body_media(cx, data, s, e, ctype)
}

/// The separator before a second message's Info in one frame: ` , ` (the space a message's
/// first line leaves after it, then `, `).
fn separate(info: &mut String) {
    info.push_str(if info.ends_with(' ') { ", " } else { " , " });
}

/// A body as `http.file_data`'s value: ASCII as it is, each other byte the replacement
/// character (Wireshark's ASCII string encoding), up to the first NUL byte (Wireshark's
/// strings end there: JSON, `-T fields` and filters see no more).
fn body_text(b: &[u8]) -> Value {
    let b = b.iter().position(|&c| c == 0).map_or(b, |n| &b[..n]);
    Value::Str(ascii_text(b))
}

/// Wireshark's expert item of a string field with more than NULs after its first NUL.
pub(crate) const TRAILING_STRAY: (&str, &str) = ("_ws.string.trailing_stray_characters", "Trailing stray characters");

/// Whether Wireshark 4.0 finds stray characters after the NUL that ends the ASCII string of
/// `b`: it looks at the decoded string (a byte past ASCII is three bytes of U+FFFD) from its
/// first NUL to as many bytes as `b` has.
fn stray_after_nul(b: &[u8]) -> bool {
    let decoded = ascii_text(b);
    let d = decoded.as_bytes();
    let Some(nul) = d.iter().position(|&c| c == 0) else { return false };
    d.get(nul..b.len().min(d.len())).is_some_and(|rest| rest.iter().any(|&c| c != 0))
}

/// Bytes as Wireshark's ASCII string encoding reads them: ASCII as it is, each other byte
/// the replacement character.
pub(crate) fn ascii_text(b: &[u8]) -> Box<str> {
    b.iter().map(|&c| if c.is_ascii() { c as char } else { char::REPLACEMENT_CHARACTER }).collect::<String>().into_boxed_str()
}

/// A Content-Type's media type as Wireshark matches it: up to the first `;` or white space,
/// lower case.
fn media_type(ctype: &str) -> String {
    let ctype = ctype.trim_start();
    ctype[..ctype.find(|c: char| c == ';' || c.is_ascii_whitespace()).unwrap_or(ctype.len())].to_ascii_lowercase()
}

/// A Content-Type's parameters as Wireshark keeps them: after the media type, the `;` and
/// white space skipped (None: none).
fn media_parameters(ctype: &str) -> Option<&str> {
    let ctype = ctype.trim_start();
    let at = ctype.find(|c: char| c == ';' || c.is_ascii_whitespace())?;
    let rest = ctype[at..].trim_start_matches(|c: char| c == ';' || c.is_ascii_whitespace());
    (!rest.is_empty()).then_some(rest)
}

/// `media.type`'s label: `Media type: application/x-protobuf; proto=lobby.Join (8 bytes)`,
/// the type and parameters of the message's Content-Type (the HTTP field before it).
fn media_type_label(cx: &LabelCx<'_>, out: &mut String) {
    use super::multipart::MIME_MULTIPART_HEADER_CONTENT_TYPE as PART_TYPE;
    let ctype = cx.d.fields.get(..cx.idx).and_then(|before| before.iter().rev().find(|f| std::ptr::eq(f.def, &HTTP_CONTENT_TYPE) || std::ptr::eq(f.def, &PART_TYPE)));
    let (t, p) = match ctype.map(|f| (f.def, &f.value)) {
        // (A multipart part's type is split at its first `;`.)
        Some((def, Value::Str(s))) if std::ptr::eq(def, &PART_TYPE) => super::multipart::part_type(s),
        Some((_, Value::Str(s))) => (media_type(s), media_parameters(s)),
        _ => (String::new(), None),
    };
    out.push_str("Media type: ");
    out.push_str(&t);
    if let Some(p) = p {
        out.push_str("; ");
        out.push_str(p);
    }
    let n = cx.field.len;
    out.push_str(&format!(" ({n} byte{})", if n == 1 { "" } else { "s" }));
}

/// The Info's mark of a malformed frame ([`Ctx::malformed`]).
const MALFORMED_MARK: &str = "[Malformed Packet]";

/// The media types tshark's `data-text-lines` dissector registers for.
pub(crate) const TEXT_LINES: &[&str] = &[
    "text/plain", "text/richtext", "text/enriched", "text/parameters", "text/html", "text/xml-external-parsed-entity", "text/css",
    "application/xml-external-parsed-entity", "text/javascript", "application/x-javascript",
];

/// A body handed on by its media type: line-based text for the types tshark reads as lines
/// (`Line-based text data: text/html (12 lines)`), a form's items
/// (`application/x-www-form-urlencoded`), JSON, XML, PNG and GIF images; bytes
/// (`application/octet-stream`) as a data layer; a body of no type or a type no dissector
/// of tshark's takes to its heuristics (a GIF or PNG by its look), else as a `Media Type`
/// layer; other types are left to HTTP's file data. Returns what the Info adds for a body
/// of at least one byte (a type read as lines, a form's, JSON's, one named by `Media Type`,
/// an image's ` (PNG)` or ` (GIF89a)`).
fn body_media(cx: &mut Ctx, data: &[u8], a: usize, b: usize, ctype: Option<&str>) -> String {
    const FORM: &str = "application/x-www-form-urlencoded";
    let named = |m: &str| format!(" ({m})");
    // (tshark's heuristic dissectors for a body no dissector of its type took: a GIF, a
    // PNG.)
    let gif = |cx: &mut Ctx| super::gif::dissect(cx, data, a, b, false).map(|v| format!(" ({v})"));
    let png = |cx: &mut Ctx| super::png::dissect(cx, data, a, b, false).then(|| " (PNG)".to_owned());
    let heuristics = |cx: &mut Ctx| gif(cx).or_else(|| png(cx));
    let Some(ctype) = ctype else { return heuristics(cx).unwrap_or_default() };
    let m = media_type(ctype);
    let b = b.min(data.len());
    if b <= a {
        return String::new();
    }
    // (The images' own types: a body their dissector refuses goes on to the heuristics.)
    let image = m == "image/png" || m == "image/gif";
    if m == "image/png"
        && let Some(named) = png(cx)
    {
        return named;
    }
    if m == "image/gif"
        && let Some(named) = gif(cx)
    {
        return named;
    }
    if m == FORM {
        form(cx, data, a, b, FORM);
        return named(FORM);
    }
    if let Some(t) = super::json::MEDIA_TYPES.iter().copied().find(|t| m == *t) {
        // (JSON's own Info words come first; the media type only if it read the body whole,
        // else line-based text names it.)
        super::json::dissect(cx, data, a, b, t);
        return format!(", JavaScript Object Notation{}", named(t));
    }
    if let Some(t) = TEXT_LINES.iter().copied().find(|t| m == *t) {
        super::data::text_lines(cx, data, a, b, Some(t));
        return named(t);
    }
    // (XML adds no words to the Info.)
    if super::xml::takes(&m) {
        super::xml::dissect(cx, data, a, b);
        return String::new();
    }
    // (Bytes, by their type: tshark's data dissector, a layer of its own.)
    if m == "application/octet-stream" {
        super::dispatch::data(cx, data, a, b);
        return String::new();
    }
    // Parts between boundaries (any multipart type: tshark tries its multipart dissector for
    // the ones it does not list).
    if m.starts_with("multipart/") {
        return super::multipart::dissect(cx, data, a, b, &m, media_parameters(ctype));
    }
    // A type no dissector of tshark's takes: the heuristics, then its `media` dissector
    // names it (and the Info); so does the image dissectors' refusal of a body of their
    // type.
    if !image && super::media_types::registered(&m) {
        return String::new();
    }
    if !image
        && let Some(named) = heuristics(cx)
    {
        return named;
    }
    let li = cx.open("media", "Media Type", Osi::Application, a, b - a);
    cx.add(&MEDIA_TYPE, a, b - a, Value::Bytes);
    cx.close(li);
    named(&m)
}

/// A form's key or value from `at` to the first `stop` byte (or the end), decoded (`%41`
/// is `A`, `+` a space), and where it stopped; `None` where tshark's reader gives up (a NUL
/// byte, a `%` without two hex digits after it).
fn form_part(b: &[u8], at: usize, stop: u8) -> Option<(String, usize)> {
    let mut out = Vec::new();
    let mut p = at;
    while let Some(&c) = b.get(p) {
        match c {
            0 => return None,
            _ if c == stop => break,
            b'%' => {
                let hex = |i: usize| b.get(i).and_then(|&h| (h as char).to_digit(16));
                let (Some(hi), Some(lo)) = (hex(p + 1), hex(p + 2)) else { return None };
                out.push((hi << 4 | lo) as u8);
                p += 3;
                continue;
            }
            b'+' => out.push(b' '),
            _ => out.push(c),
        }
        p += 1;
    }
    Some((String::from_utf8_lossy(&out).into_owned(), p))
}

/// `HTML Form URL Encoded: application/x-www-form-urlencoded`, a body of `key=value` pairs
/// joined by `&` (in `data[a..b]`): each a `Form item: "key" = "value"` with its key and
/// value under it, decoded, as tshark's `urlencoded-form` dissector shows them.
fn form(cx: &mut Ctx, data: &[u8], a: usize, b: usize, media: &str) {
    let body = &data[a..b];
    let li = cx.open("urlencoded-form", "HTML Form URL Encoded", Osi::Application, a, b - a);
    if let Some(s) = cx.summary(li) {
        s.push_str("HTML Form URL Encoded: ");
        s.push_str(media);
    }
    let mut at = 0;
    while at < body.len() {
        let start = at;
        let key = form_part(body, at, b'=');
        let value = key.as_ref().and_then(|(_, k_end)| form_part(body, k_end + 1, b'&'));
        let mut label = String::from("Form item");
        if let Some((k, _)) = &key {
            label.push_str(": \"");
            label.push_str(k);
            label.push('"');
        }
        if let Some((v, _)) = &value {
            label.push_str(" = \"");
            label.push_str(v);
            label.push('"');
        }
        // The item covers its pair and the `&` after it; cut short, nothing.
        let end = value.as_ref().map_or(start, |(_, v_end)| (v_end + 1).min(body.len()));
        cx.add(&WS_TEXT, a + start, end - start, Value::Str(label.into_boxed_str()));
        cx.child(|cx| {
            if let Some((k, k_end)) = &key {
                cx.add(&URLENCODED_FORM_KEY, a + start, k_end - start, Value::Str(k.as_str().into()));
                if let Some((v, v_end)) = &value {
                    let v_start = (k_end + 1).min(body.len());
                    cx.add(&URLENCODED_FORM_VALUE, a + v_start, v_end.saturating_sub(v_start), Value::Str(v.as_str().into()));
                }
            }
        });
        match value {
            Some((_, v_end)) => at = v_end + 1,
            None => break,
        }
    }
    cx.close(li);
}

/// `Chunk size: 512 octets`.
fn chunk_size_label(cx: &LabelCx<'_>, out: &mut String) {
    let n = cx.uint();
    out.push_str("Chunk size: ");
    super::push_dec(out, n);
    out.push_str(if n == 1 { " octet" } else { " octets" });
}

/// A chunked body at `msg[hend..]` as tshark's tree shows it: `HTTP chunked response`, each
/// `Data chunk (N octets)` with its size, data and boundary, `End of chunked encoding`, and
/// the empty line after the trailer. Returns the de-chunked body, and whether every chunk
/// was there (`alone`: a segment read on its own may end inside one).
fn chunks(cx: &mut Ctx, msg: &[u8], a: usize, hend: usize, alone: bool) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    let mut complete = true;
    let kind = if is_response(msg) { "HTTP chunked response" } else { "HTTP chunked request" };
    cx.add(&WS_TEXT, a + hend, msg.len() - hend, Value::Str(kind.into()));
    cx.child(|cx| {
        let mut i = hend;
        loop {
            let Some(nl) = msg.get(i..).and_then(|m| m.iter().position(|&c| c == b'\n')) else {
                complete = !alone;
                break;
            };
            let hex: Vec<u8> = msg[i..i + nl].iter().copied().take_while(u8::is_ascii_hexdigit).collect();
            let Some(size) = std::str::from_utf8(&hex).ok().and_then(|h| usize::from_str_radix(h, 16).ok()) else { break };
            let data_at = i + nl + 1;
            if size == 0 {
                cx.add(&WS_TEXT, a + i, nl + 1, Value::Str("End of chunked encoding".into()));
                cx.child(|cx| cx.add(&HTTP_CHUNK_SIZE, a + i, nl + 1, Value::UInt(0)));
                // The trailer's lines up to the empty one.
                let mut j = data_at;
                while let Some(nl) = msg.get(j..).and_then(|m| m.iter().position(|&c| c == b'\n')) {
                    let mut t = String::new();
                    escape_line(&msg[j..j + nl + 1], &mut t);
                    cx.add(&WS_TEXT, a + j, nl + 1, Value::Str(t.into_boxed_str()));
                    let empty = nl == 0 || (nl == 1 && msg[j] == b'\r');
                    j += nl + 1;
                    if empty {
                        break;
                    }
                }
                break;
            }
            let boundary = match (msg.get(data_at + size), msg.get(data_at + size + 1)) {
                (Some(b'\r'), Some(b'\n')) => 2,
                (Some(b'\n'), _) => 1,
                _ => 0,
            };
            if boundary == 0 {
                complete = !alone;
                break;
            }
            cx.add(&WS_TEXT, a + i, nl + 1 + size + boundary, Value::Str(format!("Data chunk ({size} octets)").into_boxed_str()));
            cx.child(|cx| {
                cx.add(&HTTP_CHUNK_SIZE, a + i, nl + 1, Value::UInt(size as u64));
                cx.add(&HTTP_CHUNK_DATA, a + data_at, size, Value::Bytes);
                cx.add(&HTTP_CHUNK_BOUNDARY, a + data_at + size, boundary, Value::Bytes);
            });
            body.extend_from_slice(&msg[data_at..data_at + size]);
            i = data_at + size + boundary;
        }
    });
    (body, complete)
}

/// Status code descriptions as Wireshark words them.
fn status_text(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Time-out",
        409 => "Conflict",
        413 => "Request Entity Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Time-out",
        _ => return None,
    })
}
