//! The invariant after a schedule's final full sync:
//! - every phone pushed everything and had nothing refused; the server quarantined none
//!   of the schedule's changes (the schedule makes only legal ones);
//! - every phone holds exactly the documents of its scope as the server computes it now
//!   (a phone that lost a household or a link holds nothing of it);
//! - every record the schedule made (visits, incidents, events, resolutions) is on the
//!   server; every replica of a schedule document has the server's heads and hydrates to
//!   the same value, and its visit rows are the live visits;
//! - every same-field conflict is surfaced on every phone holding the document;
//! - the feeds of the grids involved are gap-free.

use std::collections::{BTreeSet, HashMap};

use automerge::ChangeHash;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::conflict::{household_conflicts, incident_conflicts};
use gridwalk_server::rules::{self, Hydrated as ServerDoc};
use gridwalk_server::scope::scope_of;
use gridwalk_server::storage::Storage;
use gridwalk_store::materialize::Hydrated as PhoneDoc;

use super::schedule::Schedule;

fn sorted(mut h: Vec<ChangeHash>) -> Vec<ChangeHash> {
    h.sort();
    h
}

/// The server's copy of a document: heads and hydrated value.
fn server_doc(storage: &dyn Storage, id: &str, kind: DocKind) -> (Vec<ChangeHash>, ServerDoc) {
    let stored = storage
        .load_doc(id)
        .unwrap()
        .unwrap_or_else(|| panic!("the server has {id}"));
    let mut doc = gridwalk_server::loaded::from_stored(&stored).unwrap().doc;
    let hydrated = rules::hydrate(&doc, kind).unwrap();
    (sorted(doc.get_heads()), hydrated)
}

fn conflict_paths(doc: &ServerDoc) -> BTreeSet<String> {
    let list = match doc {
        ServerDoc::Household(h) => household_conflicts(h),
        ServerDoc::Incident(i) => incident_conflicts(i),
        _ => Vec::new(),
    };
    list.into_iter().map(|c| c.path).collect()
}

/// Checks the invariant; panics with the seed and what differs.
pub fn check(s: &mut Schedule) {
    let seed = s.seed;
    let storage = s.backend.state().storage;
    let st = storage.as_ref();
    let docs = s.docs();
    let server: HashMap<String, (Vec<ChangeHash>, ServerDoc)> = docs
        .iter()
        .map(|(id, kind)| (id.clone(), server_doc(st, id, *kind)))
        .collect();

    for id in docs.keys() {
        let q = st.quarantined(id).unwrap();
        assert!(
            q.is_empty(),
            "seed {seed}: nothing of {id} is quarantined: every change was legal: {:?}",
            q.iter().map(|q| (&q.code, &q.reason)).collect::<Vec<_>>()
        );
    }
    for (h, vid, _) in &s.visits {
        let ServerDoc::Household(d) = &server[h].1 else {
            unreachable!()
        };
        assert!(
            d.visits.contains_key(vid),
            "seed {seed}: visit {vid} to {h} reached the server"
        );
    }
    for (i, eid) in &s.events {
        let ServerDoc::Incident(d) = &server[i].1 else {
            unreachable!()
        };
        assert!(
            d.events.contains_key(eid),
            "seed {seed}: event {eid} of {i} reached the server"
        );
    }
    for (h, rid) in &s.resolutions {
        let ServerDoc::Household(d) = &server[h].1 else {
            unreachable!()
        };
        assert!(
            d.conflict_resolutions.contains_key(rid),
            "seed {seed}: resolution {rid} of {h} reached the server"
        );
    }
    for g in [&s.grid.id, &s.other_grid] {
        let seqs = st.feed_seqs(g).unwrap();
        let expect: Vec<i64> = (1..=seqs.len() as i64).collect();
        assert_eq!(
            seqs, expect,
            "seed {seed}: the feed of {g} is gap-free, without duplicates"
        );
    }

    let day = gridwalk_core::Timestamp(s.now()).shanghai_date();
    for d in &mut s.devs {
        let who = d.label;
        assert!(
            d.store.pending(10).unwrap().is_empty(),
            "seed {seed}: {who} pushed everything"
        );
        assert!(
            d.store.refused().unwrap().is_empty(),
            "seed {seed}: {who} had nothing refused"
        );
        let user = st.user(&d.user_id).unwrap().unwrap();
        let scope = scope_of(st, &user, day).unwrap();
        let mut expect = BTreeSet::new();
        for g in &scope.grids {
            let mut after = String::new();
            loop {
                let page = st.docs_in_grid(g, &after, 500).unwrap();
                let Some(last) = page.last() else { break };
                after = last.id.clone();
                expect.extend(page.into_iter().filter(|m| scope.admits(m)).map(|m| m.id));
            }
        }
        let mut held = BTreeSet::new();
        for kind in [
            DocKind::Household,
            DocKind::HouseholdPrivate,
            DocKind::Incident,
            DocKind::GridJournal,
        ] {
            held.extend(d.store.document_ids(kind).unwrap());
        }
        let missing: Vec<_> = expect.difference(&held).collect();
        let extra: Vec<_> = held.difference(&expect).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "seed {seed}: {who} holds exactly its scope; missing {missing:?}, beyond it {extra:?}"
        );

        let conflicts: BTreeSet<(String, String)> = d
            .store
            .open_conflicts()
            .unwrap()
            .into_iter()
            .map(|c| (c.doc_id, c.path))
            .collect();
        for (id, (heads, value)) in &server {
            if !held.contains(id) {
                continue;
            }
            assert_eq!(
                &sorted(d.store.heads(id).unwrap()),
                heads,
                "seed {seed}: {who}'s replica of {id} has every change, as the server's"
            );
            match (d.store.hydrated(id).unwrap(), value) {
                (PhoneDoc::Household(mine), ServerDoc::Household(theirs)) => {
                    assert_eq!(mine, *theirs, "seed {seed}: {who} reads {id} as the server");
                    let live: BTreeSet<&String> = theirs
                        .visits
                        .values()
                        .filter(|v| v.deleted_at.value().copied().flatten().is_none())
                        .map(|v| &v.id)
                        .collect();
                    let rows = d.store.visits_of(id).unwrap();
                    let shown: BTreeSet<&String> = rows.iter().map(|r| &r.id).collect();
                    assert_eq!(
                        shown, live,
                        "seed {seed}: {who} lists exactly the live visits of {id}"
                    );
                }
                (PhoneDoc::Incident(mine), ServerDoc::Incident(theirs)) => {
                    assert_eq!(mine, *theirs, "seed {seed}: {who} reads {id} as the server");
                }
                _ => panic!("seed {seed}: {who} holds {id} as another kind"),
            }
            let shown: BTreeSet<String> = conflicts
                .iter()
                .filter(|(doc, _)| doc == id)
                .map(|(_, p)| p.clone())
                .collect();
            assert_eq!(
                shown,
                conflict_paths(value),
                "seed {seed}: {who} surfaces every open same-field conflict of {id}"
            );
        }
    }
}
