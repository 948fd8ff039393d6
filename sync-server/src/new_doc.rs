//! Where a document new to the server lives, read from its own content: its grid, its
//! household and micro-grid (and the placement a new household creates), its reporter.

use std::collections::HashMap;

use gridwalk_core::doc::household_of_private;
use gridwalk_core::protocol::{DocCode, PushDoc};

use crate::push::PushCtx;
use crate::rules::{Hydrated, Refusal};
use crate::storage::{DocMeta, Placement};

fn mismatch(what: &str) -> Refusal {
    Refusal::new(
        DocCode::DoesNotHydrate,
        format!("{what} does not match the document id"),
    )
}

/// Where a document new to the server lives, from its own content.
pub fn new_meta(
    cx: &PushCtx<'_>,
    pd: &PushDoc,
    h: &Hydrated,
    places: &HashMap<String, Placement>,
) -> Result<(DocMeta, Option<Placement>), Refusal> {
    let st = &cx.state.storage;
    let internal = |e: crate::storage::StorageError| {
        Refusal::new(
            DocCode::OutOfScope,
            format!("cannot place the document: {e}"),
        )
    };
    let id = pd.doc_id.clone();
    let meta = |grid: String, household: Option<String>, micro: Option<String>, owner| DocMeta {
        id: id.clone(),
        kind: pd.kind,
        grid_id: grid,
        household_id: household,
        micro_grid_id: micro,
        owner_user: owner,
    };
    match h {
        Hydrated::Household(d) => {
            if d.id != pd.doc_id {
                return Err(mismatch("the household id"));
            }
            let micro = d.micro_grid_id.value().cloned().flatten();
            let village = st
                .area(&d.grid_id)
                .map_err(internal)?
                .and_then(|a| a.parent_id);
            let p = Placement {
                household_id: d.id.clone(),
                grid_id: d.grid_id.clone(),
                micro_grid_id: micro.clone(),
                village_id: village,
            };
            Ok((
                meta(d.grid_id.clone(), Some(d.id.clone()), micro, None),
                Some(p),
            ))
        }
        Hydrated::Private(d) => {
            if household_of_private(&pd.doc_id) != Some(d.household_id.as_str()) {
                return Err(mismatch("the private document's household"));
            }
            let p = match places.get(&d.household_id) {
                Some(p) => Some(p.clone()),
                None => st.placement(&d.household_id).map_err(internal)?,
            };
            let p = p.ok_or_else(|| {
                Refusal::new(
                    DocCode::OutOfScope,
                    "the household of this private document is unknown",
                )
            })?;
            Ok((
                meta(
                    p.grid_id,
                    Some(d.household_id.clone()),
                    p.micro_grid_id,
                    None,
                ),
                None,
            ))
        }
        Hydrated::Incident(d) => {
            if d.id != pd.doc_id {
                return Err(mismatch("the incident id"));
            }
            Ok((
                meta(d.grid_id.clone(), None, None, Some(d.reported_by.clone())),
                None,
            ))
        }
        Hydrated::Journal(d) => {
            if d.grid_id != pd.doc_id {
                return Err(mismatch("the journal's grid"));
            }
            Ok((meta(d.grid_id.clone(), None, None, None), None))
        }
    }
}
