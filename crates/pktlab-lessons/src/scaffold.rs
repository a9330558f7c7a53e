//! `pktlab lessons new DIR`: a small pack that passes the check, to start from.

use super::builtin;
use super::source::PackSource;
use std::path::{Path, PathBuf};

const PACK: &str = r#"# 레슨 팩 매니페스트 (lesson pack manifest). lessons/README.md 참고.
format = 1
title = "새 레슨 팩"
description = "pktlab lessons new 로 만든 팩이에요. 고쳐 쓰세요."
# 레슨 파일 순서 (the order lessons appear in the menu)
lessons = ["01-first-lesson.toml"]
"#;

const LESSON: &str = r#"title = "첫 레슨: TCP 연결의 첫 패킷"
topic = 3
summary = "클라이언트가 보낸 SYN 한 개를 들여다봐요."
# 모든 step의 기본 캡처 (팩 디렉터리 기준 경로)
capture = "captures/handshake.pcap"

[[step]]
frame = 1
field = "tcp.flags.syn"
text = """
1번 프레임은 클라이언트가 연결을 열며 보낸 첫 세그먼트(SYN)예요.
SYN 플래그가 켜져 있고, 데이터는 없어요.
"""
expect = ["tcp.flags.syn == 1", "tcp.len == 0"]

[[step]]
frame = 1
field = "tcp.options.mss_val"
text = """
SYN에는 옵션이 실려요. 최대 세그먼트 크기(MSS)는 상대가 한 세그먼트에 담아 보낼
수 있는 데이터의 최대 바이트 수예요.
"""

[step.question]
kind = "field-value"
prompt = "이 SYN이 알리는 MSS는 몇 바이트인가요?"
answer = 1460
hints = ["옵션(Options) 아래 Maximum segment size 항목을 보세요."]
why = "MTU 1500 − IP 헤더 20 − TCP 헤더 20 = 1460이에요."

[[step]]
frame = 2
filter = "tcp.flags.syn == 1"
text = "2번 프레임은 서버의 SYN-ACK예요. 필터로 SYN이 켜진 프레임만 남겼어요."

[step.question]
kind = "frame-number"
prompt = "SYN과 ACK가 함께 켜진 첫 프레임은 몇 번인가요?"
match = "tcp.flags.syn == 1 && tcp.flags.ack == 1"
answer = 2
why = "서버는 클라이언트의 SYN을 확인(ACK)하면서 자기 SYN도 보내요."
"#;

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} exists and is not empty; choose a new directory")]
    NotEmpty(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Creates a pack in `dir` (which must not exist or be empty) and returns the files written.
pub fn scaffold(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(ScaffoldError::NotEmpty(dir.to_owned()));
    }
    let capture = builtin::source()
        .read("../captures/handshake.pcap")
        .map_err(|source| ScaffoldError::Io { path: dir.join("captures/handshake.pcap"), source })?
        .into_owned();
    let files: [(&str, &[u8]); 3] =
        [("pack.toml", PACK.as_bytes()), ("01-first-lesson.toml", LESSON.as_bytes()), ("captures/handshake.pcap", &capture)];
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        let io = |source| ScaffoldError::Io { path: path.clone(), source };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}
