//! The review state and lineage of a visit or contact log (DOMAIN.md "Review").
//!
//! A record's review status is a pure function of the household document:
//! - `unreviewed`: no review names it;
//! - `returned`: the latest review by HLC is a return, and the content is still the one the
//!   reviewer saw;
//! - `resubmitted`: the content was written after the latest review (a fix);
//! - `approved`: the latest review is an approval of the content shown now.
//!
//! "Written after" is decided by what the reviewer saw, not by clocks alone: a review records
//! the HLC key of the content write it was shown (`Review::content_hlc`). If the live content
//! writes are anything other than exactly that write, someone wrote the content without seeing
//! the review (a fix concurrent with an approval, say), so the record is `resubmitted` and goes
//! back to the queue, whatever the clocks say. Reviews written without `content_hlc` fall back
//! to the clock: a live content write whose HLC sorts after the review's.
//!
//! The lineage (submission, fixes, reviews in HLC order) needs the document's history,
//! because a fix supersedes the write before it in the content register. [`lineage`] reads
//! the register as it stood after each change that wrote it.

use automerge::{AutoCommit, ChangeHash, ObjId, ReadDoc as _};
use autosurgeon::{Hydrate, Prop};
use serde::{Deserialize, Serialize};

use super::household::{ContactContent, Decision, HouseholdDoc, Review, VisitContent};
use super::obj_at;
use super::register::Register;
use crate::CoreError;
use crate::reference::Role;

/// The two kinds of reviewable record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A visit (`visits/<id>`).
    Visit,
    /// A contact log (`contacts/<id>`).
    Contact,
}

impl RecordKind {
    /// The stable code, also `Review::target_kind`.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Visit => "visit",
            RecordKind::Contact => "contact",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<RecordKind> {
        match code {
            "visit" => Some(RecordKind::Visit),
            "contact" => Some(RecordKind::Contact),
            _ => None,
        }
    }

    fn map(self) -> &'static str {
        match self {
            RecordKind::Visit => "visits",
            RecordKind::Contact => "contacts",
        }
    }
}

/// Where a record stands in the review loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Nobody has reviewed it.
    Unreviewed,
    /// Returned with a reason and not fixed since.
    Returned {
        /// Why it was returned.
        reason: String,
        /// The reviewing user.
        reviewer: String,
        /// The return's HLC text.
        at: String,
    },
    /// Fixed after the latest review: waiting for a review again.
    Resubmitted,
    /// Approved as it stands.
    Approved,
}

impl ReviewStatus {
    /// The stable code: `unreviewed`, `returned`, `resubmitted` or `approved`.
    pub fn code(&self) -> &'static str {
        match self {
            ReviewStatus::Unreviewed => "unreviewed",
            ReviewStatus::Returned { .. } => "returned",
            ReviewStatus::Resubmitted => "resubmitted",
            ReviewStatus::Approved => "approved",
        }
    }
}

/// The reviews of one record, oldest first by HLC.
pub fn reviews_of<'a>(doc: &'a HouseholdDoc, kind: RecordKind, id: &str) -> Vec<&'a Review> {
    let mut rs: Vec<&Review> = doc
        .reviews
        .values()
        .filter(|r| r.target_kind == kind.code() && r.target_id == id)
        .collect();
    rs.sort_by(|a, b| a.hlc.cmp(&b.hlc).then_with(|| a.id.cmp(&b.id)));
    rs
}

/// The HLC keys of a record's live content writes, or `None` when there is no such record.
pub fn live_content_keys(doc: &HouseholdDoc, kind: RecordKind, id: &str) -> Option<Vec<String>> {
    match kind {
        RecordKind::Visit => doc
            .visits
            .get(id)
            .map(|v| v.content.writes.keys().cloned().collect()),
        RecordKind::Contact => doc
            .contacts
            .get(id)
            .map(|c| c.content.writes.keys().cloned().collect()),
    }
}

/// The HLC key of the content write shown now (what a reviewer sees and records as
/// `Review::content_hlc`).
pub fn shown_content_key(doc: &HouseholdDoc, kind: RecordKind, id: &str) -> Option<String> {
    live_content_keys(doc, kind, id).and_then(|keys| keys.into_iter().next_back())
}

/// The review status of a record, or `None` when the document has no such record.
pub fn status(doc: &HouseholdDoc, kind: RecordKind, id: &str) -> Option<ReviewStatus> {
    let live = live_content_keys(doc, kind, id)?;
    let reviews = reviews_of(doc, kind, id);
    Some(status_of(&live, &reviews))
}

/// The status rule of the module docs, over the live content keys and the reviews in order.
pub fn status_of(live_content: &[String], reviews: &[&Review]) -> ReviewStatus {
    let Some(latest) = reviews.last() else {
        return ReviewStatus::Unreviewed;
    };
    let unseen = match &latest.content_hlc {
        Some(seen) => live_content.iter().any(|k| k != seen),
        None => live_content.iter().any(|k| *k > latest.hlc),
    };
    if unseen {
        return ReviewStatus::Resubmitted;
    }
    match latest.decision {
        Decision::Approve => ReviewStatus::Approved,
        Decision::Return => ReviewStatus::Returned {
            reason: latest.reason.clone(),
            reviewer: latest.reviewer_user.clone(),
            at: latest.hlc.clone(),
        },
    }
}

/// A record's content at one point of its lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordContent {
    /// A visit form.
    Visit(VisitContent),
    /// A contact-log form.
    Contact(ContactContent),
}

/// What a lineage entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineageKind {
    /// The record as first saved.
    Submitted,
    /// A later content write (a fix after a return, or any edit).
    Fixed,
    /// An approval.
    Approved,
    /// A return, with its reason.
    Returned,
}

/// One step of a record's lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageEntry {
    /// What happened.
    pub kind: LineageKind,
    /// Its HLC text (the order of the lineage).
    pub hlc: String,
    /// The acting user.
    pub by: String,
    /// The acting role, where the document records it (reviews and the submission).
    pub role: Option<Role>,
    /// A return's reason (empty otherwise).
    pub reason: String,
    /// The content written (submission and fixes).
    pub content: Option<RecordContent>,
}

/// Every step of a record's lineage in HLC order: the submission, each later content write
/// (live or superseded), and every review. Concurrent steps all appear, each at its HLC.
pub fn lineage(
    am: &mut AutoCommit,
    doc: &HouseholdDoc,
    kind: RecordKind,
    id: &str,
) -> Result<Vec<LineageEntry>, CoreError> {
    let (creation_hlc, creator, role) = match kind {
        RecordKind::Visit => doc
            .visits
            .get(id)
            .map(|v| (v.hlc.clone(), v.visitor_user.clone(), v.visitor_role)),
        RecordKind::Contact => doc
            .contacts
            .get(id)
            .map(|c| (c.hlc.clone(), c.contactor_user.clone(), c.role)),
    }
    .ok_or_else(|| CoreError::NotFound {
        kind: "record",
        id: id.to_string(),
    })?;
    let writes = content_history(am, kind, id)?;
    let mut out: Vec<LineageEntry> = writes
        .into_iter()
        .map(|(hlc, by, content)| {
            let submitted = hlc == creation_hlc;
            LineageEntry {
                kind: if submitted {
                    LineageKind::Submitted
                } else {
                    LineageKind::Fixed
                },
                role: submitted.then_some(role),
                by: if submitted { creator.clone() } else { by },
                hlc,
                reason: String::new(),
                content: Some(content),
            }
        })
        .collect();
    for r in reviews_of(doc, kind, id) {
        out.push(LineageEntry {
            kind: match r.decision {
                Decision::Approve => LineageKind::Approved,
                Decision::Return => LineageKind::Returned,
            },
            hlc: r.hlc.clone(),
            by: r.reviewer_user.clone(),
            role: Some(r.role),
            reason: r.reason.clone(),
            content: None,
        });
    }
    out.sort_by(|a, b| a.hlc.cmp(&b.hlc));
    Ok(out)
}

/// The number of content writes after the submission, superseded ones included. Reads the
/// history only when the live register shows the record was ever rewritten.
pub fn fix_count(
    am: &mut AutoCommit,
    doc: &HouseholdDoc,
    kind: RecordKind,
    id: &str,
) -> Result<usize, CoreError> {
    let creation = match kind {
        RecordKind::Visit => doc.visits.get(id).map(|v| v.hlc.as_str()),
        RecordKind::Contact => doc.contacts.get(id).map(|c| c.hlc.as_str()),
    };
    let live = live_content_keys(doc, kind, id).unwrap_or_default();
    if live.len() == 1 && Some(live[0].as_str()) == creation {
        return Ok(0);
    }
    let all = content_history(am, kind, id)?;
    Ok(all
        .iter()
        .filter(|(h, _, _)| Some(h.as_str()) != creation)
        .count())
}

/// Every content write the record's register ever held: (HLC key, writer, content), by HLC.
fn content_history(
    am: &mut AutoCommit,
    kind: RecordKind,
    id: &str,
) -> Result<Vec<(String, String, RecordContent)>, CoreError> {
    let metas: Vec<(ChangeHash, Option<String>)> = am
        .get_changes_meta(&[])
        .into_iter()
        .map(|m| (m.hash, m.message.map(|s| s.into_owned())))
        .collect();
    let am: &AutoCommit = am;
    let record = obj_at(am, &[kind.map(), id])?;
    let mut found: std::collections::BTreeMap<String, (String, RecordContent)> =
        std::collections::BTreeMap::new();
    // Only changes that add a record or write a content register can hold a content write;
    // their message ends with ` @<hlc>`, the key they wrote (see `doc::commit`).
    for (hash, message) in metas {
        let Some(message) = message else { continue };
        let relevant = message.starts_with("household.add_visit")
            || message.starts_with("household.add_contact")
            || message.starts_with("household.edit.content");
        let Some((_, hlc)) = message.rsplit_once(" @") else {
            continue;
        };
        if !relevant || found.contains_key(hlc) {
            continue;
        }
        let at = At {
            doc: am,
            heads: vec![hash],
        };
        if !matches!(
            am.get_at(&record, "content", &at.heads),
            Ok(Some((automerge::Value::Object(_), _)))
        ) {
            continue;
        }
        let content = match kind {
            RecordKind::Visit => read_at::<VisitContent>(&at, &record)?
                .writes
                .into_iter()
                .map(|(k, w)| (k, (w.by, RecordContent::Visit(w.v))))
                .collect::<Vec<_>>(),
            RecordKind::Contact => read_at::<ContactContent>(&at, &record)?
                .writes
                .into_iter()
                .map(|(k, w)| (k, (w.by, RecordContent::Contact(w.v))))
                .collect(),
        };
        for (k, v) in content {
            found.entry(k).or_insert(v);
        }
    }
    Ok(found.into_iter().map(|(k, (by, c))| (k, by, c)).collect())
}

fn read_at<T: Hydrate>(at: &At<'_>, record: &ObjId) -> Result<Register<T>, CoreError> {
    autosurgeon::hydrate_prop(at, record, Prop::from("content"))
        .map_err(|e| CoreError::DoesNotHydrate(e.to_string()))
}

/// The document as it stood at some heads, readable by autosurgeon.
struct At<'a> {
    doc: &'a AutoCommit,
    heads: Vec<ChangeHash>,
}

impl autosurgeon::ReadDoc for At<'_> {
    type Parents<'b>
        = automerge::Parents<'b>
    where
        Self: 'b;

    fn get_heads(&self) -> Vec<ChangeHash> {
        self.heads.clone()
    }

    fn get<P: Into<automerge::Prop>>(
        &self,
        obj: &ObjId,
        prop: P,
    ) -> Result<Option<(automerge::Value<'_>, ObjId)>, automerge::AutomergeError> {
        self.doc.get_at(obj, prop, &self.heads)
    }

    fn object_type<O: AsRef<ObjId>>(&self, obj: O) -> Option<automerge::ObjType> {
        automerge::ReadDoc::object_type(self.doc, obj).ok()
    }

    fn map_range<'b, O, R>(&'b self, obj: O, range: R) -> automerge::iter::MapRange<'b>
    where
        R: std::ops::RangeBounds<String> + 'b,
        O: AsRef<ObjId>,
    {
        self.doc.map_range_at(obj, range, &self.heads)
    }

    fn list_range<O: AsRef<ObjId>, R: std::ops::RangeBounds<usize>>(
        &self,
        obj: O,
        range: R,
    ) -> automerge::iter::ListRange<'_> {
        self.doc.list_range_at(obj, range, &self.heads)
    }

    fn length<O: AsRef<ObjId>>(&self, obj: O) -> usize {
        self.doc.length_at(obj, &self.heads)
    }

    fn text<O: AsRef<ObjId>>(&self, obj: O) -> Result<String, automerge::AutomergeError> {
        self.doc.text_at(obj, &self.heads)
    }

    fn parents<O: AsRef<ObjId>>(
        &self,
        obj: O,
    ) -> Result<Self::Parents<'_>, automerge::AutomergeError> {
        self.doc.parents_at(obj, &self.heads)
    }

    fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
