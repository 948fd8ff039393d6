//! Protocol v1 golden files: the encoding of a request and a response is frozen. A change
//! to these bytes breaks devices in the field; if it is intended, it needs a new protocol
//! version, and the golden files are rewritten with `UPDATE_GOLDEN=1`.

use gridwalk_core::doc::DocKind;
use gridwalk_core::protocol::{
    self, AuditEvent, Bytes, DocCode, DocResult, PulledDoc, PushDoc, Revoke, RevokeReason,
    SyncRequest, SyncResponse,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn golden(name: &str, bytes: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let hex: String = bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .chunks(32)
        .map(|c| c.concat() + "\n")
        .collect();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &hex).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        want == hex,
        "the v1 encoding of {name} changed; devices in the field would break. If intended, bump the protocol \
         version and rerun with UPDATE_GOLDEN=1"
    );
}

fn request() -> SyncRequest {
    SyncRequest {
        protocol: 1,
        device_ms: 1_795_000_000_000,
        push: vec![PushDoc {
            doc_id: "h1".into(),
            kind: DocKind::Household,
            grid_id: "g1".into(),
            changes: vec![Bytes::from(vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3])],
        }],
        cursors: BTreeMap::from([("g1".to_string(), "f:42".to_string())]),
        reference_version: 3,
        audit: vec![AuditEvent {
            id: "a1".into(),
            at_ms: 1_795_000_000_000,
            action: "reveal_id".into(),
            doc_id: "h1:private".into(),
            target: "p1".into(),
        }],
    }
}

fn response() -> SyncResponse {
    SyncResponse {
        protocol: 1,
        server_time_ms: 1_795_000_000_500,
        clock_ahead: false,
        ok: vec![0],
        results: vec![DocResult {
            doc_id: "h2".into(),
            code: DocCode::RoleForbidden,
            accepted: vec![],
            quarantined: vec!["ab".repeat(32)],
            message_zh: "您的角色不能做这项修改，已暂存待核。".into(),
            message_en: "Your role may not make this change; it is held for review.".into(),
        }],
        docs: vec![PulledDoc {
            doc_id: "i1".into(),
            kind: DocKind::Incident,
            grid_id: "g1".into(),
            snapshot: None,
            changes: vec![Bytes::from(vec![9, 8, 7])],
        }],
        revokes: vec![Revoke {
            doc_id: "h9".into(),
            grid_id: "g1".into(),
            reason: RevokeReason::Moved,
        }],
        scope: Some(vec!["g1".into()]),
        reference: None,
        cursors: BTreeMap::from([("g1".to_string(), "f:43".to_string())]),
        more: false,
    }
}

#[test]
fn the_v1_request_encoding_is_frozen_and_round_trips() {
    let bytes = protocol::encode(&request());
    golden("sync_request_v1.hex", &bytes);
    let back: SyncRequest = protocol::decode(&bytes).unwrap();
    assert_eq!(back, request(), "decoding must give back the same request");
}

#[test]
fn the_v1_response_encoding_is_frozen_and_round_trips() {
    let bytes = protocol::encode(&response());
    golden("sync_response_v1.hex", &bytes);
    let back: SyncResponse = protocol::decode(&bytes).unwrap();
    assert_eq!(
        back,
        response(),
        "decoding must give back the same response"
    );
}

#[test]
fn a_no_op_answer_encodes_only_the_version_and_the_servers_time() {
    let quiet = SyncResponse {
        protocol: 1,
        server_time_ms: 1_795_000_000_500,
        clock_ahead: false,
        ok: vec![],
        results: vec![],
        docs: vec![],
        revokes: vec![],
        scope: None,
        reference: None,
        cursors: BTreeMap::new(),
        more: false,
    };
    let bytes = protocol::encode(&quiet);
    assert!(
        bytes.len() <= 40,
        "nothing changed, so nothing but the version and the time may travel: {} bytes",
        bytes.len()
    );
    let back: SyncResponse = protocol::decode(&bytes).unwrap();
    assert_eq!(back, quiet, "left-out fields decode to their empty values");
}

#[test]
fn stored_documents_are_acknowledged_by_position_and_the_others_by_code() {
    let mut req = request();
    req.push.push(PushDoc {
        doc_id: "h2".into(),
        ..req.push[0].clone()
    });
    req.push.push(PushDoc {
        doc_id: "h3".into(),
        ..req.push[0].clone()
    });
    assert_eq!(
        response().codes(&req.push),
        [Some(DocCode::Ok), Some(DocCode::RoleForbidden), None],
        "position 0 is in `ok`, h2 has a result, h3 was not answered"
    );
}

#[test]
fn change_bytes_travel_as_binary_not_as_arrays_of_numbers() {
    let mut r = request();
    r.push[0].changes = vec![Bytes::from(vec![0xffu8; 1000])];
    let len = protocol::encode(&r).len();
    assert!(
        len < 1300,
        "1000 bytes of change data must cost about 1000 bytes on the wire, not {len}"
    );
}

#[test]
fn a_compressed_request_round_trips_and_garbage_is_refused() {
    let z = protocol::compress(&protocol::encode(&request()));
    let back: SyncRequest = protocol::decode(&protocol::decompress(&z, 1 << 20).unwrap()).unwrap();
    assert_eq!(back, request());
    assert!(
        protocol::decode::<SyncRequest>(b"\x93garbage").is_err(),
        "garbage must be refused, not half-read"
    );
}
