//! Push: storing the changes a device sends, after validating them (DESIGN.md §3).
//!
//! For each pushed document, in this order (households first, so a private document
//! pushed with its new household finds the household's placement):
//! 1. Every byte string must be an Automerge change, else `malformed_change`.
//! 2. A document the server has with another kind: `kind_mismatch`. A private document
//!    pushed by a role that may not hold one: `role_forbidden`.
//! 3. Changes the server already has are acknowledged as accepted (a re-push is a no-op).
//! 4. Every new change's actor must be bound to this device; the first sight of an actor
//!    binds it. An actor of another device: `actor_not_bound`.
//! 5. An existing document must be in the device's scope now, or in grace
//!    ([`crate::grace`]): a revoke of it (or of its whole grid, for this user) sits in a
//!    feed after the device's cursor for that grid, so the device had not seen the
//!    revoke when it made the change. Else `out_of_scope`.
//! 6. The changes are applied to the document in memory. A change whose dependencies the
//!    server lacks: `missing_dependencies`. Nothing of that document is stored or
//!    quarantined: the device keeps it in its outbox and pushes it after the changes it
//!    depends on (a lost change of its own, or one it pulled and the server lost in a
//!    restore). A document cached in memory is reloaded from storage once first, since
//!    another request may have stored the dependency meanwhile.
//!    Except when a missing dependency sits in this document's quarantine: a device's
//!    later changes build on its refused one, which the server never stores, so they
//!    could never apply. They are quarantined too, with the refused ancestor's code and a
//!    reason naming it, so the device marks them refused and shows them instead of
//!    pushing them forever. The rest of such a push (changes that do not build on a
//!    quarantined one) is decided on its own.
//! 7. Validation after apply ([`crate::rules`]): it still hydrates as its kind
//!    (`does_not_hydrate`), a new document lands in the device's scope (`out_of_scope`),
//!    and the role may make the change (`role_forbidden`).
//!
//! A document's new changes are accepted or refused together: a device's changes to one
//! document form one chain, each depending on the one before, so a refused change takes
//! its successors with it anyway. Refused changes go to quarantine with the code and
//! reason, and the in-memory copy they were applied to is dropped, so the stored
//! document never contains them. The rest of the batch goes through, and everything
//! accepted is stored in one transaction with its feed entries and audit rows.

use std::collections::{BTreeMap, HashMap};

use automerge::{AutoCommit, Change, ChangeHash};
use gridwalk_core::Lang;
use gridwalk_core::Localized;
use gridwalk_core::doc::DocKind;
use gridwalk_core::protocol::{Bytes, DocCode, DocResult, PushDoc};
use sha2::{Digest, Sha256};

use crate::auth::Authed;
use crate::error::AppError;
use crate::loaded::{self, Loaded, compact};
use crate::rules::{self, Refusal, Writer};
use crate::scope::DeviceScope;
use crate::state::AppState;
use crate::storage::{AuditRow, DocWrite, Placement, PushCommit, QuarantineRow, StoredChange};

/// Who is pushing, with what scope and cursors.
pub struct PushCtx<'a> {
    /// Server state.
    pub state: &'a AppState,
    /// The device and user.
    pub authed: &'a Authed,
    /// The device's scope now.
    pub scope: &'a DeviceScope,
    /// The cursors the device sent (for the grace rule).
    pub cursors: &'a BTreeMap<String, String>,
}

enum Outcome {
    Accepted {
        write: Box<DocWrite>,
        loaded: Loaded,
        accepted: Vec<String>,
    },
    Unchanged {
        loaded: Option<Loaded>,
        accepted: Vec<String>,
    },
    Refused {
        refusal: Refusal,
        accepted: Vec<String>,
        quarantine: Vec<QuarantineRow>,
        clean: Option<Loaded>,
    },
    MissingDeps {
        accepted: Vec<String>,
    },
}

fn kind_rank(k: DocKind) -> u8 {
    match k {
        DocKind::Household => 0,
        DocKind::GridJournal => 1,
        DocKind::Incident => 2,
        DocKind::HouseholdPrivate => 3,
    }
}

fn result(
    doc_id: &str,
    code: DocCode,
    accepted: Vec<String>,
    quarantined: Vec<String>,
) -> DocResult {
    DocResult {
        doc_id: doc_id.to_string(),
        code,
        accepted,
        quarantined,
        message_zh: code.message(Lang::ZhCn),
        message_en: code.message(Lang::En),
    }
}

/// The answer to a push: wholly stored documents by position, the others in full.
#[derive(Debug, Default)]
pub struct Pushed {
    /// Positions in the request of the documents whose every change is stored.
    pub ok: Vec<u32>,
    /// A result for every other document, in request order.
    pub results: Vec<DocResult>,
}

/// Pushes every document of a request.
pub fn push(cx: &PushCtx<'_>, docs: &[PushDoc]) -> Result<Pushed, AppError> {
    let now = cx.state.now();
    let (device, user) = (&cx.authed.device.id, &cx.authed.user.id);
    let mut commit = PushCommit {
        device_id: device.clone(),
        user_id: user.clone(),
        at: now,
        ..PushCommit::default()
    };
    let mut results: Vec<Option<DocResult>> = vec![None; docs.len()];
    let mut back: Vec<(String, Loaded)> = Vec::new();
    let mut places: HashMap<String, Placement> = HashMap::new();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| kind_rank(docs[i].kind));
    for i in order {
        let pd = &docs[i];
        let r = match push_doc(cx, pd, &mut places, false)? {
            Outcome::Accepted {
                write,
                loaded,
                accepted,
            } => {
                for c in &write.changes {
                    commit.audit.push(AuditRow {
                        at: now,
                        user_id: Some(user.clone()),
                        device_id: Some(device.clone()),
                        action: "change".into(),
                        doc_id: Some(pd.doc_id.clone()),
                        target: Some(c.hash.clone()),
                        event_id: None,
                    });
                }
                commit.docs.push(*write);
                back.push((pd.doc_id.clone(), loaded));
                result(&pd.doc_id, DocCode::Ok, accepted, Vec::new())
            }
            Outcome::Unchanged { loaded, accepted } => {
                if let Some(l) = loaded {
                    back.push((pd.doc_id.clone(), l));
                }
                result(&pd.doc_id, DocCode::Ok, accepted, Vec::new())
            }
            Outcome::Refused {
                refusal,
                accepted,
                quarantine,
                clean,
            } => {
                tracing::info!(doc = %pd.doc_id, device = %device, code = refusal.code.code(), reason = %refusal.reason, "changes quarantined");
                if let Some(l) = clean {
                    back.push((pd.doc_id.clone(), l));
                }
                let hashes = quarantine.iter().map(|q| q.hash.clone()).collect();
                commit.quarantine.extend(quarantine);
                result(&pd.doc_id, refusal.code, accepted, hashes)
            }
            Outcome::MissingDeps { accepted } => result(
                &pd.doc_id,
                DocCode::MissingDependencies,
                accepted,
                Vec::new(),
            ),
        };
        results[i] = Some(r);
    }
    let mut stale = Vec::new();
    if !commit.docs.is_empty() || !commit.quarantine.is_empty() {
        stale = cx.state.storage.commit_push(&commit)?;
    }
    for (id, l) in back {
        // A copy whose compaction lost a race is stale: the next push reloads it.
        if !stale.contains(&id) {
            cx.state.cache_put(&id, l);
        }
    }
    let mut out = Pushed::default();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            // `ok` with fewer hashes than changes pushed: the part that does not build on
            // a quarantined change was stored, the rest waits. That needs the full result.
            Some(r) if r.code == DocCode::Ok && r.accepted.len() == docs[i].changes.len() => {
                out.ok.push(i as u32)
            }
            Some(r) => out.results.push(r),
            None => {}
        }
    }
    Ok(out)
}

fn quarantine_all(pd: &PushDoc, code: DocCode, reason: &str) -> Vec<QuarantineRow> {
    pd.changes
        .iter()
        .map(|b| QuarantineRow {
            doc_id: pd.doc_id.clone(),
            hash: Change::from_bytes(b.to_vec())
                .map(|c| c.hash().to_string())
                .unwrap_or_else(|_| hex::encode(Sha256::digest(b))),
            bytes: b.to_vec(),
            code: code.code().into(),
            reason: reason.into(),
        })
        .collect()
}

fn refuse(
    pd: &PushDoc,
    fresh: &[Change],
    refusal: Refusal,
    accepted: Vec<String>,
    clean: Option<Loaded>,
) -> Outcome {
    let quarantine = fresh
        .iter()
        .map(|c| QuarantineRow {
            doc_id: pd.doc_id.clone(),
            hash: c.hash().to_string(),
            bytes: c.raw_bytes().to_vec(),
            code: refusal.code.code().into(),
            reason: refusal.reason.clone(),
        })
        .collect();
    Outcome::Refused {
        refusal,
        accepted,
        quarantine,
        clean,
    }
}

fn push_doc(
    cx: &PushCtx<'_>,
    pd: &PushDoc,
    places: &mut HashMap<String, Placement>,
    force_fresh: bool,
) -> Result<Outcome, AppError> {
    let st = &cx.state.storage;
    let device = &cx.authed.device.id;
    let mut changes = Vec::with_capacity(pd.changes.len());
    for b in &pd.changes {
        match Change::from_bytes(b.to_vec()) {
            Ok(c) => changes.push(c),
            Err(e) => {
                let reason = format!("not an Automerge change: {e}");
                let quarantine = quarantine_all(pd, DocCode::MalformedChange, &reason);
                return Ok(Outcome::Refused {
                    refusal: Refusal::new(DocCode::MalformedChange, reason),
                    accepted: Vec::new(),
                    quarantine,
                    clean: None,
                });
            }
        }
    }
    let meta = st.doc_meta(&pd.doc_id)?;
    if let Some(m) = &meta
        && m.kind != pd.kind
    {
        let reason = format!("stored as {}, pushed as {}", m.kind.code(), pd.kind.code());
        let quarantine = quarantine_all(pd, DocCode::KindMismatch, &reason);
        return Ok(Outcome::Refused {
            refusal: Refusal::new(DocCode::KindMismatch, reason),
            accepted: Vec::new(),
            quarantine,
            clean: None,
        });
    }
    if pd.kind == DocKind::HouseholdPrivate && !cx.authed.user.role.may_hold_private() {
        let reason = "this role may not hold or write private data";
        let quarantine = quarantine_all(pd, DocCode::RoleForbidden, reason);
        return Ok(Outcome::Refused {
            refusal: Refusal::new(DocCode::RoleForbidden, reason),
            accepted: Vec::new(),
            quarantine,
            clean: None,
        });
    }
    let taken = match (&meta, force_fresh) {
        (None, _) => None,
        (Some(_), false) => loaded::take(cx.state, &pd.doc_id)?,
        (Some(_), true) => loaded::load_fresh(cx.state, &pd.doc_id)?.map(|l| (l, false)),
    };
    let is_new = taken.is_none();
    let (mut loaded, from_cache) = taken.unwrap_or_else(|| {
        (
            Loaded {
                doc: AutoCommit::new(),
                pending: Vec::new(),
                base: String::new(),
            },
            false,
        )
    });
    let (known, fresh): (Vec<Change>, Vec<Change>) = changes
        .into_iter()
        .partition(|c| loaded.doc.get_change_by_hash(&c.hash()).is_some());
    let accepted: Vec<String> = known.iter().map(|c| c.hash().to_string()).collect();
    if fresh.is_empty() {
        return Ok(Outcome::Unchanged {
            loaded: (!is_new).then_some(loaded),
            accepted,
        });
    }
    let clean = |l: Loaded| (!is_new).then_some(l);

    // 4. Actors.
    let mut actors: Vec<String> = fresh.iter().map(|c| c.actor_id().to_hex_string()).collect();
    actors.sort();
    actors.dedup();
    let owners = st.bind_actors(device, &actors, cx.state.now())?;
    if let Some((a, _)) = owners.iter().find(|(_, owner)| owner != device) {
        let r = Refusal::new(
            DocCode::ActorNotBound,
            format!("actor {a} belongs to another device"),
        );
        return Ok(refuse(pd, &fresh, r, accepted, clean(loaded)));
    }

    // 5. Scope of an existing document.
    if let Some(m) = &meta
        && !cx.scope.admits(m)
        && !crate::grace::in_grace(cx, m)?
    {
        let r = Refusal::new(
            DocCode::OutOfScope,
            format!("{} is not in the device's scope", m.id),
        );
        return Ok(refuse(pd, &fresh, r, accepted, clean(loaded)));
    }

    // 6. Apply.
    let before = loaded.doc.get_heads();
    if let Err(e) = loaded.doc.apply_changes(fresh.iter().cloned()) {
        let r = Refusal::new(
            DocCode::MalformedChange,
            format!("changes do not apply: {e}"),
        );
        return Ok(refuse(pd, &fresh, r, accepted, None));
    }
    let missing = loaded.doc.get_missing_deps(&[]);
    if !missing.is_empty() {
        if from_cache {
            return push_doc(cx, pd, places, true);
        }
        return behind_quarantine(cx, pd, &fresh, &missing, accepted, places);
    }

    // 7. Validation after apply.
    let after = loaded.doc.get_heads();
    let touched = rules::touched(&mut loaded.doc, &before, &after);
    let checked = rules::hydrate(&loaded.doc, pd.kind).and_then(|h| {
        let (m, placement) = match &meta {
            Some(m) => (m.clone(), None),
            None => crate::new_doc::new_meta(cx, pd, &h, places)?,
        };
        if is_new && !cx.scope.admits(&m) {
            return Err(Refusal::new(
                DocCode::OutOfScope,
                format!("grid {} is not in the device's scope", m.grid_id),
            ));
        }
        let w = Writer {
            user: &cx.authed.user.id,
            role: cx.authed.user.role,
        };
        rules::check(&h, &touched, is_new, w)?;
        Ok((m, placement))
    });
    let (m, placement) = match checked {
        Ok(v) => v,
        Err(r) => return Ok(refuse(pd, &fresh, r, accepted, None)),
    };

    // Accepted.
    let stored: Vec<StoredChange> = fresh
        .iter()
        .map(|c| StoredChange {
            hash: c.hash().to_string(),
            bytes: c.raw_bytes().to_vec(),
            actor: c.actor_id().to_hex_string(),
        })
        .collect();
    loaded.pending.extend(stored.iter().map(|c| c.hash.clone()));
    let new_snapshot = is_new.then(|| compact(&mut loaded));
    let compacted = (!is_new && loaded.pending.len() >= cx.state.limits.compact_after)
        .then(|| compact(&mut loaded));
    if let Some(p) = &placement {
        places.insert(p.household_id.clone(), p.clone());
    }
    let mut all = accepted;
    all.extend(stored.iter().map(|c| c.hash.clone()));
    Ok(Outcome::Accepted {
        write: Box::new(DocWrite {
            meta: m,
            new_snapshot,
            placement,
            changes: stored,
            compacted,
        }),
        loaded,
        accepted: all,
    })
}

/// Step 6 for changes whose dependencies the server lacks: those that build (directly or
/// through one another) on a quarantined change are quarantined with its code; the rest
/// of the push is decided on its own; with none, the device must push the missing
/// changes first (`missing_dependencies`).
fn behind_quarantine(
    cx: &PushCtx<'_>,
    pd: &PushDoc,
    fresh: &[Change],
    missing: &[ChangeHash],
    accepted: Vec<String>,
    places: &mut HashMap<String, Placement>,
) -> Result<Outcome, AppError> {
    let refused = cx.state.storage.quarantined(&pd.doc_id)?;
    let mut behind: HashMap<String, &QuarantineRow> = refused
        .iter()
        .filter(|q| missing.iter().any(|m| m.to_string() == q.hash))
        .map(|q| (q.hash.clone(), q))
        .collect();
    if behind.is_empty() {
        return Ok(Outcome::MissingDeps { accepted });
    }
    // Spread to every change that depends on one of them, in any order of the push.
    loop {
        let before = behind.len();
        for c in fresh {
            let hash = c.hash().to_string();
            if behind.contains_key(&hash) {
                continue;
            }
            if let Some(q) = c.deps().iter().find_map(|d| behind.get(&d.to_string())) {
                let q = *q;
                behind.insert(hash, q);
            }
        }
        if behind.len() == before {
            break;
        }
    }
    let (tainted, rest): (Vec<Change>, Vec<Change>) = fresh
        .iter()
        .cloned()
        .partition(|c| behind.contains_key(&c.hash().to_string()));
    if !rest.is_empty() {
        // Decide the others alone; the tainted ones come back with the next push and are
        // quarantined then, when nothing else rides with them.
        let alone = PushDoc {
            changes: rest
                .iter()
                .map(|c| Bytes::from(c.raw_bytes().to_vec()))
                .collect(),
            ..pd.clone()
        };
        return push_doc(cx, &alone, places, true);
    }
    let Some(q) = tainted.first().map(|c| behind[&c.hash().to_string()]) else {
        return Ok(Outcome::MissingDeps { accepted });
    };
    let code = DocCode::from_code(&q.code).unwrap_or(DocCode::MalformedChange);
    let r = Refusal::new(
        code,
        format!(
            "builds on change {} refused as {}: {}",
            q.hash, q.code, q.reason
        ),
    );
    Ok(refuse(pd, &tainted, r, accepted, None))
}
