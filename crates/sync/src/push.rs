//! Building a push from the outbox, and reading the server's per-document results back.
//!
//! A push takes outbox rows oldest first, groups their changes by document (in the order
//! the device made them) and stops at the first row that would break a bound: actions,
//! documents or bytes. It stops rather than skips, so a document's later changes never
//! travel without its earlier ones.
//!
//! Settling reads each row against its document's answer:
//! - the document's position is in the response's `ok` list (every change it pushed is
//!   stored), or its [`DocResult`] lists every hash of the row as accepted: the row is
//!   acknowledged and leaves the outbox;
//! - any hash quarantined, or a refusal code that is final: the row is marked refused with
//!   the server's code and reason, shown to the person and never pushed again;
//! - otherwise (no result, `missing_dependencies`, a partial answer): the row stays
//!   pending and goes again at the next sync. Re-pushing is free: the server stores changes
//!   by (document, hash).

use gridwalk_core::protocol::{Bytes, DocCode, DocResult, PushDoc};
use gridwalk_core::{Lang, Localized};
use gridwalk_store::{OutboxEntry, Refusal};
use std::collections::{HashMap, HashSet};

use crate::changes::split_chunks;

/// Bounds of one push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchLimits {
    /// User actions (outbox rows) per request.
    pub max_actions: usize,
    /// Documents per request (the server answers 413 above its own limit).
    pub max_docs: usize,
    /// Change bytes per request, before compression. A single larger action still goes,
    /// alone.
    pub max_bytes: usize,
    /// Audit events per request.
    pub max_audit: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            max_actions: 2_000,
            max_docs: 500,
            max_bytes: 4 << 20,
            max_audit: 500,
        }
    }
}

impl BatchLimits {
    /// Half the bounds (at least one of each): what to try after a 413.
    pub fn halved(&self) -> BatchLimits {
        BatchLimits {
            max_actions: (self.max_actions / 2).max(1),
            max_docs: (self.max_docs / 2).max(1),
            max_bytes: (self.max_bytes / 2).max(1),
            max_audit: (self.max_audit / 2).max(1),
        }
    }
}

/// An outbox row that went out in a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The outbox row.
    pub outbox_id: i64,
    /// Its document.
    pub doc_id: String,
    /// Its change hashes.
    pub hashes: Vec<String>,
}

/// A push ready to send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Push {
    /// The documents with their changes.
    pub docs: Vec<PushDoc>,
    /// The rows they came from.
    pub sent: Vec<Sent>,
    /// Rows whose bytes are not whole Automerge changes: refused locally, never sent.
    pub corrupt: Vec<Refusal>,
}

/// Groups `entries` (oldest first) into a push within `limits`.
pub fn build(entries: &[OutboxEntry], limits: &BatchLimits) -> Push {
    let mut push = Push::default();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut bytes = 0usize;
    for e in entries {
        let new_doc = !index.contains_key(e.doc_id.as_str());
        let full = push.sent.len() >= limits.max_actions
            || (new_doc && push.docs.len() >= limits.max_docs)
            || (!push.sent.is_empty() && bytes + e.changes.len() > limits.max_bytes);
        if full {
            break;
        }
        let chunks = match split_chunks(&e.changes) {
            Ok(c) => c,
            Err(err) => {
                let code = DocCode::MalformedChange;
                tracing::error!(outbox_id = e.id, %err, "outbox row is not Automerge changes");
                push.corrupt.push(Refusal {
                    outbox_id: e.id,
                    code: code.code().into(),
                    message_zh: code.message(Lang::ZhCn),
                    message_en: code.message(Lang::En),
                });
                continue;
            }
        };
        let i = *index.entry(e.doc_id.as_str()).or_insert_with(|| {
            push.docs.push(PushDoc {
                doc_id: e.doc_id.clone(),
                kind: e.kind,
                grid_id: e.grid_id.clone(),
                changes: Vec::new(),
            });
            push.docs.len() - 1
        });
        push.docs[i]
            .changes
            .extend(chunks.into_iter().map(|c| Bytes::from(c.to_vec())));
        bytes += e.changes.len();
        push.sent.push(Sent {
            outbox_id: e.id,
            doc_id: e.doc_id.clone(),
            hashes: e.hashes.clone(),
        });
    }
    push
}

/// What the server's results mean for the rows sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settled {
    /// Rows the server stored: remove them from the outbox.
    pub acked: Vec<i64>,
    /// Rows the server refused: mark them.
    pub refused: Vec<Refusal>,
    /// Rows with no final answer: push again at the next sync.
    pub unsettled: Vec<Sent>,
}

/// Is a refusal final, or may the same push succeed later?
fn final_refusal(code: DocCode) -> bool {
    !matches!(code, DocCode::Ok | DocCode::MissingDependencies)
}

/// Reads the answer to a push: `ok` holds positions in `pushed` of documents wholly
/// stored, `results` the others.
pub fn settle(sent: &[Sent], pushed: &[PushDoc], ok: &[u32], results: &[DocResult]) -> Settled {
    let stored: HashSet<&str> = ok
        .iter()
        .filter_map(|&i| pushed.get(i as usize))
        .map(|p| p.doc_id.as_str())
        .collect();
    let by_doc: HashMap<&str, &DocResult> =
        results.iter().map(|r| (r.doc_id.as_str(), r)).collect();
    let mut out = Settled::default();
    for s in sent {
        if stored.contains(s.doc_id.as_str()) {
            out.acked.push(s.outbox_id);
            continue;
        }
        let Some(r) = by_doc.get(s.doc_id.as_str()) else {
            out.unsettled.push(s.clone());
            continue;
        };
        let accepted: HashSet<&str> = r.accepted.iter().map(String::as_str).collect();
        let quarantined = s.hashes.iter().any(|h| r.quarantined.contains(h));
        if !quarantined && s.hashes.iter().all(|h| accepted.contains(h.as_str())) {
            out.acked.push(s.outbox_id);
        } else if quarantined || final_refusal(r.code) {
            out.refused.push(Refusal {
                outbox_id: s.outbox_id,
                code: r.code.code().into(),
                message_zh: r.message_zh.clone(),
                message_en: r.message_en.clone(),
            });
        } else {
            out.unsettled.push(s.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};
    use gridwalk_core::doc::DocKind;

    /// An outbox row with `n` real changes to a fresh document.
    fn entry(id: i64, doc: &str, n: usize) -> OutboxEntry {
        let mut d = AutoCommit::new();
        for i in 0..n {
            d.put(ROOT, "k", i as i64).unwrap();
            d.commit();
        }
        let changes = d.get_changes(&[]);
        OutboxEntry {
            id,
            doc_id: doc.into(),
            kind: DocKind::Household,
            grid_id: "g1".into(),
            action: "household.edit".into(),
            record_id: None,
            hashes: changes.iter().map(|c| c.hash().to_string()).collect(),
            changes: changes
                .iter()
                .flat_map(|c| c.raw_bytes().to_vec())
                .collect(),
            created_at: 0,
        }
    }

    fn result(doc: &str, code: DocCode, accepted: &[&str], quarantined: &[&str]) -> DocResult {
        DocResult {
            doc_id: doc.into(),
            code,
            accepted: accepted.iter().map(|s| s.to_string()).collect(),
            quarantined: quarantined.iter().map(|s| s.to_string()).collect(),
            message_zh: "原因".into(),
            message_en: "reason".into(),
        }
    }

    #[test]
    fn a_push_groups_changes_by_document_in_the_order_they_were_made() {
        let rows = [entry(1, "a", 1), entry(2, "b", 2), entry(3, "a", 2)];
        let push = build(&rows, &BatchLimits::default());
        let docs: Vec<(&str, usize)> = push
            .docs
            .iter()
            .map(|d| (d.doc_id.as_str(), d.changes.len()))
            .collect();
        assert_eq!(
            docs,
            [("a", 3), ("b", 2)],
            "one entry per document, every change"
        );
        assert_eq!(
            push.sent.iter().map(|s| s.outbox_id).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[test]
    fn a_push_stops_at_the_first_row_over_a_bound_so_no_change_travels_without_its_parents() {
        let rows = [entry(1, "a", 1), entry(2, "b", 1), entry(3, "a", 1)];
        let limits = BatchLimits {
            max_docs: 1,
            ..BatchLimits::default()
        };
        let push = build(&rows, &limits);
        assert_eq!(
            push.sent.iter().map(|s| s.outbox_id).collect::<Vec<_>>(),
            [1],
            "row 3 of document a must not go before row 2 has been decided"
        );
        let tiny = BatchLimits {
            max_bytes: 1,
            ..BatchLimits::default()
        };
        assert_eq!(
            build(&rows, &tiny).sent.len(),
            1,
            "a row larger than the byte bound still goes, alone"
        );
        let two = BatchLimits {
            max_actions: 2,
            ..BatchLimits::default()
        };
        assert_eq!(build(&rows, &two).sent.len(), 2);
    }

    #[test]
    fn a_row_whose_bytes_are_not_changes_is_refused_locally_and_the_rest_goes() {
        let mut bad = entry(1, "a", 1);
        bad.changes.truncate(5);
        let rows = [bad, entry(2, "b", 1)];
        let push = build(&rows, &BatchLimits::default());
        assert_eq!(push.corrupt.len(), 1);
        assert_eq!(push.corrupt[0].code, "malformed_change");
        assert_eq!(push.sent.len(), 1, "the valid row still goes");
    }

    #[test]
    fn accepted_rows_are_acked_quarantined_rows_refused_and_the_rest_kept() {
        let rows = [
            entry(1, "a", 2),
            entry(2, "b", 1),
            entry(3, "c", 1),
            entry(4, "d", 1),
        ];
        let push = build(&rows, &BatchLimits::default());
        let h = |i: usize| push.sent[i].hashes.clone();
        let a = h(0);
        let results = [
            result("b", DocCode::RoleForbidden, &[], &[&h(1)[0]]),
            result("c", DocCode::MissingDependencies, &[], &[]),
        ];
        let s = settle(&push.sent, &push.docs, &[0], &results);
        assert_eq!(
            s.acked,
            [1],
            "document a is acknowledged by its position: every hash of row 1 is stored"
        );
        let by_hash = [result(
            "a",
            DocCode::MissingDependencies,
            &[&a[0], &a[1]],
            &[],
        )];
        assert_eq!(
            settle(&push.sent, &push.docs, &[], &by_hash).acked,
            [1],
            "a row whose every hash a result lists as accepted is acknowledged too"
        );
        assert_eq!(s.refused.len(), 1);
        assert_eq!(
            (s.refused[0].outbox_id, s.refused[0].code.as_str()),
            (2, "role_forbidden"),
            "a quarantined row carries the server's code to the sync screen"
        );
        let kept: Vec<i64> = s.unsettled.iter().map(|x| x.outbox_id).collect();
        assert_eq!(
            kept,
            [3, 4],
            "missing dependencies and a missing result are retried, never dropped"
        );
    }

    #[test]
    fn a_row_half_accepted_stays_pending_rather_than_lose_the_other_half() {
        let rows = [entry(1, "a", 2)];
        let push = build(&rows, &BatchLimits::default());
        let first = push.sent[0].hashes[0].clone();
        let partial = [result("a", DocCode::MissingDependencies, &[&first], &[])];
        let s = settle(&push.sent, &push.docs, &[], &partial);
        assert!(
            s.acked.is_empty(),
            "one change of the row is not on the server yet"
        );
        assert_eq!(s.unsettled.len(), 1);
    }

    #[test]
    fn halving_the_limits_never_reaches_zero() {
        let mut l = BatchLimits::default();
        for _ in 0..64 {
            l = l.halved();
        }
        assert_eq!(
            (l.max_actions, l.max_docs, l.max_bytes, l.max_audit),
            (1, 1, 1, 1)
        );
    }
}
