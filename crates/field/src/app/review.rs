//! The review loop on the device (issue 5): records a supervisor returned (需修改), a
//! record's status and lineage, and the fix.
//!
//! Statuses come from the materialized rows, which hold core's
//! `gridwalk_core::doc::review::status` for every visit and contact log, recomputed
//! whenever the household document changes (a local write or a sync). The lineage needs
//! the document's history and is read from the document when a record is opened.
//!
//! A fix is one `Edit::VisitContent` / `Edit::ContactContent` write through the store's
//! normal action path, so it works offline and syncs like any edit; the device clock is
//! first advanced past the record's reviews, so the fix sorts after the return it
//! answers. The written content differs from what the reviewer saw, so core counts the
//! record `resubmitted`. Only the record's author, or a grid worker or grid head (who
//! hold the grid's households), may fix it: `not_record_author` otherwise.

use gridwalk_core::Hlc;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::edit::{Edit, apply_edit};
use gridwalk_core::doc::household::{
    Campaign, ContactContent, ContactMode, HouseholdDoc, VisitContent, VisitKind,
};
use gridwalk_core::doc::review::{self, LineageKind, RecordContent, RecordKind};
use gridwalk_core::reference::Role;
use gridwalk_store::Action;
use gridwalk_store::lists::ReturnedRecord;
use gridwalk_store::materialize::Hydrated;

use super::FieldApp;
use super::util::{code, hlc_ms, name_of, parse_code};
use crate::dto::*;
use crate::error::{codes, invalid_choice};

fn record_not_found(id: &str) -> AppError {
    AppError::new(
        codes::RECORD_NOT_FOUND,
        "本机上找不到这条记录，可能尚未同步或已删除。",
        format!("Record {id} is not on this device: it may not be synced yet, or was deleted."),
    )
}

fn not_author() -> AppError {
    AppError::new(
        codes::NOT_RECORD_AUTHOR,
        "只有记录的填写人或本网格的网格员可以修改这条记录。",
        "Only the record's author or a grid worker of its grid may fix this record.",
    )
}

fn record_kind(code: &str) -> Result<RecordKind, AppError> {
    RecordKind::from_code(code).ok_or_else(|| invalid_choice("record_kind", code))
}

fn content_view(c: &RecordContent) -> RecordContentView {
    match c {
        RecordContent::Visit(v) => RecordContentView {
            mode: code(&v.mode),
            kind: Some(code(&v.kind)),
            campaign: v.campaign.as_ref().map(code),
            persons_met: v.persons_met.clone(),
            service: v.service.clone(),
            follow_up: v.follow_up.clone(),
            note: v.note.clone(),
        },
        RecordContent::Contact(c) => RecordContentView {
            mode: code(&c.mode),
            kind: None,
            campaign: None,
            persons_met: Vec::new(),
            service: String::new(),
            follow_up: None,
            note: c.note.clone(),
        },
    }
}

fn current_content(h: &HouseholdDoc, kind: RecordKind, id: &str) -> Option<RecordContent> {
    match kind {
        RecordKind::Visit => h
            .visits
            .get(id)
            .and_then(|v| v.current().cloned())
            .map(RecordContent::Visit),
        RecordKind::Contact => h
            .contacts
            .get(id)
            .and_then(|c| c.content.value().cloned())
            .map(RecordContent::Contact),
    }
}

impl FieldApp {
    /// "需修改": my visits and contact logs a supervisor returned and I have not fixed yet,
    /// most recently returned first.
    pub fn returned_records(&mut self) -> Result<Vec<ReturnedView>, AppError> {
        let user = self.session_ref()?.user_id.clone();
        let users = self.user_names()?;
        Ok(self
            .store
            .returned_records(&user)?
            .into_iter()
            .map(|r| returned_view(r, &users))
            .collect())
    }

    fn household_of(&mut self, id: &str) -> Result<Box<HouseholdDoc>, AppError> {
        match self.store.hydrated(id)? {
            Hydrated::Household(h) => Ok(h),
            _ => Err(record_not_found(id)),
        }
    }

    fn record_row(&self, r: &RecordRef) -> Result<ReturnedRecord, AppError> {
        record_kind(&r.record_kind)?;
        self.store
            .review_record(&r.record_kind, &r.record_id)?
            .filter(|row| row.household_id.is_some())
            .ok_or_else(|| record_not_found(&r.record_id))
    }

    /// A visit's or contact log's view: status, the latest return (reason, reviewer,
    /// time), the content now, and the lineage of submission, fixes and reviews.
    pub fn record_detail(&mut self, r: &RecordRef) -> Result<RecordView, AppError> {
        let role = self.role()?;
        let user = self.session_ref()?.user_id.clone();
        let kind = record_kind(&r.record_kind)?;
        let row = self.record_row(r)?;
        let hid = row.household_id.clone().unwrap_or_default();
        let users = self.user_names()?;
        let h = self.household_of(&hid)?;
        let content = current_content(&h, kind, &r.record_id)
            .ok_or_else(|| record_not_found(&r.record_id))?;
        let mut am = self.store.document(&hid)?;
        let lineage = review::lineage(&mut am, &h, kind, &r.record_id)?
            .into_iter()
            .map(|e| LineageView {
                kind: code(&e.kind),
                by: name_of(&users, &e.by),
                role: e.role.map(|x| x.code().to_string()),
                at: hlc_ms(&e.hlc),
                reason: e.reason,
                note: match (&e.kind, &e.content) {
                    (LineageKind::Submitted | LineageKind::Fixed, Some(c)) => {
                        Some(content_view(c).note)
                    }
                    _ => None,
                },
            })
            .collect();
        let pending = self.store.pending_records(&hid)?.contains(&r.record_id);
        Ok(RecordView {
            record_kind: row.kind,
            record_id: row.id,
            household_id: hid,
            address: row.address.unwrap_or_default(),
            author: name_of(&users, &row.author),
            at: row.at,
            status: row.status,
            reason: row.reason,
            returned_by: row.returned_by.map(|u| name_of(&users, &u)),
            returned_at: row.returned_at,
            content: content_view(&content),
            lineage,
            can_fix: may_fix(role, &user, &row.author),
            pending,
        })
    }

    /// Writes a fixed visit content (one action, offline-capable); the visit becomes
    /// `resubmitted`. Returns the record's view.
    pub fn fix_visit(&mut self, input: &FixVisitInput) -> Result<RecordView, AppError> {
        let r = RecordRef {
            record_kind: "visit".into(),
            record_id: input.visit_id.clone(),
        };
        let row = self.check_fixer(&r)?;
        let hid = row.household_id.clone().unwrap_or_default();
        let h = self.household_of(&hid)?;
        let mut c: VisitContent = h
            .visits
            .get(&input.visit_id)
            .and_then(|v| v.current().cloned())
            .ok_or_else(|| record_not_found(&input.visit_id))?;
        if let Some(m) = &input.mode {
            c.mode = parse_code::<ContactMode>("mode", m)?;
        }
        if let Some(k) = &input.kind {
            c.kind = parse_code::<VisitKind>("kind", k)?;
        }
        if let Some(x) = &input.campaign {
            c.campaign = match x.trim() {
                "" => None,
                x => Some(parse_code::<Campaign>("campaign", x)?),
            };
        }
        if let Some(p) = &input.persons_met {
            let members = self.store.members_of(&hid)?;
            if let Some(bad) = p.iter().find(|id| !members.iter().any(|m| &m.id == *id)) {
                return Err(super::card::member_not_found(bad).on_field("persons_met"));
            }
            c.persons_met = p.clone();
        }
        if let Some(s) = &input.service {
            c.service = s.trim().to_string();
        }
        if let Some(d) = &input.follow_up {
            let d = d.trim();
            c.follow_up = if d.is_empty() {
                None
            } else {
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    AppError::new(
                        codes::INVALID_DATE,
                        "日期格式不正确，请选择一个日期。",
                        format!("{d} is not a date (YYYY-MM-DD)."),
                    )
                    .on_field("follow_up")
                })?;
                Some(d.to_string())
            };
        }
        if let Some(n) = &input.note {
            c.note = n.trim().to_string();
        }
        let edit = Edit::VisitContent(input.visit_id.clone(), c);
        self.write_fix(&h, RecordKind::Visit, &hid, &input.visit_id, edit)?;
        self.record_detail(&r)
    }

    /// Writes a fixed contact-log content (one action, offline-capable); the log becomes
    /// `resubmitted`. Returns the record's view.
    pub fn fix_contact(&mut self, input: &FixContactInput) -> Result<RecordView, AppError> {
        let r = RecordRef {
            record_kind: "contact".into(),
            record_id: input.contact_id.clone(),
        };
        let row = self.check_fixer(&r)?;
        let hid = row.household_id.clone().unwrap_or_default();
        let h = self.household_of(&hid)?;
        let mut c: ContactContent = h
            .contacts
            .get(&input.contact_id)
            .and_then(|x| x.content.value().cloned())
            .ok_or_else(|| record_not_found(&input.contact_id))?;
        if let Some(m) = &input.mode {
            c.mode = parse_code::<ContactMode>("mode", m)?;
        }
        if let Some(n) = &input.note {
            c.note = n.trim().to_string();
        }
        let edit = Edit::ContactContent(input.contact_id.clone(), c);
        self.write_fix(&h, RecordKind::Contact, &hid, &input.contact_id, edit)?;
        self.record_detail(&r)
    }

    fn check_fixer(&mut self, r: &RecordRef) -> Result<ReturnedRecord, AppError> {
        let s = self.session_ref()?;
        let (role, user) = (s.role, s.user_id.clone());
        let row = self.record_row(r)?;
        if !may_fix(role, &user, &row.author) {
            return Err(not_author());
        }
        Ok(row)
    }

    fn write_fix(
        &mut self,
        h: &HouseholdDoc,
        kind: RecordKind,
        household_id: &str,
        id: &str,
        edit: Edit,
    ) -> Result<(), AppError> {
        // The fix must sort after the reviews it answers and the content it replaces.
        let device = self.session_ref()?.device_id.clone();
        let latest = review::reviews_of(h, kind, id)
            .iter()
            .map(|r| r.hlc.clone())
            .chain(review::live_content_keys(h, kind, id).unwrap_or_default())
            .filter_map(|t| t.parse::<Hlc>().ok())
            .max();
        if let Some(max) = latest {
            self.store.observe_hlc(&device, &max, self.now().0)?;
        }
        let ctx = self.ctx()?;
        let label = format!("household.fix.{}", kind.code());
        self.store.transact(
            DocKind::Household,
            household_id,
            Action::new(&label).record(id),
            |doc| apply_edit(doc, &ctx, edit),
        )?;
        Ok(())
    }
}

/// The author always; grid workers and grid heads for any record of a household they hold.
fn may_fix(role: Role, user: &str, author: &str) -> bool {
    user == author || matches!(role, Role::GridWorker | Role::GridHead)
}

pub(crate) fn returned_view(
    r: ReturnedRecord,
    users: &std::collections::HashMap<String, String>,
) -> ReturnedView {
    ReturnedView {
        record_kind: r.kind,
        record_id: r.id,
        household_id: r.household_id,
        address: r.address,
        record_at: r.at,
        reason: r.reason.unwrap_or_default(),
        by: r
            .returned_by
            .map(|u| name_of(users, &u))
            .unwrap_or_default(),
        at: r.returned_at.unwrap_or(0),
    }
}
