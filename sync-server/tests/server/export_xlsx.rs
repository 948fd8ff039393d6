//! The Excel exports read back with calamine: rows match the data, identity numbers and
//! phones are masked for a role without the permission and whole for one with it,
//! special-group tags appear only with the permission, and every export is audited.

use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use gridwalk_core::doc::household::{HouseholdStatus, Relation};
use gridwalk_core::incident::Action;
use gridwalk_core::reference::{AreaLevel, Role};
use gridwalk_server::console::export::{self, ExportKind, ExportPer, ExportRequest, jobs};
use gridwalk_server::storage::UserRow;

use super::dashboard_oracle::County;

mod http;

const FROM: &str = "2026-09-01";
const TO: &str = "2026-11-27";
/// 2026-09-01 00:00 and 2026-11-28 00:00 in Shanghai, UTC ms.
const FROM_MS: i64 = 1_788_192_000_000;
const TO_MS: i64 = 1_795_795_200_000;

fn user(fx: &County, role: Role, area: &str) -> UserRow {
    let u = fx
        .ds
        .users
        .iter()
        .find(|u| u.role == role && u.area_id == area)
        .expect("a user of that role in the area");
    fx.storage.user(&u.id).unwrap().unwrap()
}

fn req(kind: ExportKind, per: ExportPer) -> ExportRequest {
    ExportRequest {
        kind,
        area_id: None,
        from: FROM.into(),
        to: TO.into(),
        per,
    }
}

/// Exports and reads the only sheet back as rows of text (numbers as integers or `0.123`).
fn export(fx: &County, u: &UserRow, r: ExportRequest) -> Vec<Vec<String>> {
    let checked = export::check(&fx.state, u, r).unwrap();
    let bytes = export::run(&fx.state, u, &checked, &|_| {}).unwrap();
    read(bytes)
}

fn read(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a valid xlsx");
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    Data::Float(f) => format!("{f:.3}"),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn col(rows: &[Vec<String>], header: &str) -> Option<usize> {
    rows[0].iter().position(|h| h == header)
}

fn township_grids(fx: &County, township: &str) -> BTreeSet<String> {
    let parent: HashMap<&str, Option<&str>> = fx
        .ds
        .areas
        .iter()
        .map(|a| (a.id.as_str(), a.parent_id.as_deref()))
        .collect();
    fx.ds
        .areas
        .iter()
        .filter(|a| a.level == AreaLevel::Grid)
        .filter(|a| {
            let mut cur = Some(a.id.as_str());
            while let Some(c) = cur {
                if c == township {
                    return true;
                }
                cur = parent.get(c).copied().flatten();
            }
            false
        })
        .map(|a| a.id.clone())
        .collect()
}

fn is_masked(full: &str, shown: &str) -> bool {
    let (f, s): (Vec<char>, Vec<char>) = (full.chars().collect(), shown.chars().collect());
    f.len() == s.len()
        && s.contains(&'*')
        && f[..3] == s[..3]
        && f[f.len() - 4..] == s[s.len() - 4..]
}

#[test]
fn every_workbook_matches_the_data_masks_for_a_dispatcher_and_is_audited() {
    let fx = County::load();
    // The township where a household with a special-group tag was visited in the period,
    // so the special-group column is exercised.
    let special_visited = |grids: &BTreeSet<String>| {
        fx.ds.visits.iter().any(|v| {
            grids.contains(&v.grid_id)
                && (FROM_MS..TO_MS).contains(&v.at)
                && fx
                    .ds
                    .households
                    .iter()
                    .any(|h| h.id == v.household_id && !h.special_tags.is_empty())
        })
    };
    let township = fx
        .ds
        .areas
        .iter()
        .filter(|a| a.level == AreaLevel::Township)
        .map(|a| a.id.clone())
        .find(|t| special_visited(&township_grids(&fx, t)))
        .expect("some township saw a special-group household in the period");
    let sup = user(&fx, Role::TownshipSupervisor, &township);
    let disp = user(&fx, Role::Dispatcher, &township);
    let grids = township_grids(&fx, &township);
    println!(
        "seed {}, township {township}, period {FROM}..={TO}",
        fx.ds.config.seed
    );

    // Assessment per grid: one row per grid, occupied households exact.
    let a = export(&fx, &sup, req(ExportKind::Assessment, ExportPer::Grid));
    assert_eq!(a[0][0], "网格", "Chinese headers");
    assert_eq!(a.len() - 1, grids.len(), "one row per grid of the township");
    let occ = col(&a, "在住户数").unwrap();
    let total_occupied: usize = a[1..]
        .iter()
        .map(|r| r[occ].parse::<usize>().unwrap())
        .sum();
    let want = fx
        .ds
        .households
        .iter()
        .filter(|h| grids.contains(&h.grid_id) && h.status != HouseholdStatus::Empty)
        .count();
    assert_eq!(
        total_occupied, want,
        "occupied households add up to the data's"
    );

    // Assessment per worker: one row per grid worker of the township.
    let w = export(&fx, &sup, req(ExportKind::Assessment, ExportPer::Worker));
    let workers = fx
        .ds
        .users
        .iter()
        .filter(|u| u.role == Role::GridWorker && grids.contains(&u.area_id))
        .count();
    assert_eq!(w[0][0], "网格员");
    assert_eq!(w.len() - 1, workers, "one row per grid worker");

    // Incident ledger: the incidents first reported in the period.
    let inc = export(&fx, &disp, req(ExportKind::Incidents, ExportPer::Grid));
    let want: BTreeSet<String> = fx
        .ds
        .incidents
        .iter()
        .filter(|i| grids.contains(&i.grid_id))
        .filter(|i| {
            i.events
                .iter()
                .find(|e| matches!(e.action, Action::Report | Action::SelfHandle))
                .is_some_and(|e| (FROM_MS..TO_MS).contains(&e.at))
        })
        .map(|i| i.id.clone())
        .collect();
    let have: BTreeSet<String> = inc[1..].iter().map(|r| r[0].clone()).collect();
    assert!(!want.is_empty(), "the period has incidents");
    assert_eq!(
        have, want,
        "the ledger lists exactly the period's incidents"
    );

    // Visit ledger, as the supervisor (full values) and the dispatcher (masked).
    let want_visits: Vec<_> = fx
        .ds
        .visits
        .iter()
        .filter(|v| grids.contains(&v.grid_id) && (FROM_MS..TO_MS).contains(&v.at))
        .collect();
    let full = export(&fx, &sup, req(ExportKind::Visits, ExportPer::Grid));
    let masked = export(&fx, &disp, req(ExportKind::Visits, ExportPer::Grid));
    assert_eq!(
        full.len() - 1,
        want_visits.len(),
        "one row per visit in the period"
    );
    assert_eq!(
        masked.len() - 1,
        want_visits.len(),
        "the same rows for the dispatcher"
    );
    assert!(
        col(&full, "特殊人群").is_some(),
        "the supervisor may see special groups"
    );
    assert!(
        col(&masked, "特殊人群").is_none(),
        "no special-group column without the permission"
    );
    let special = col(&full, "特殊人群").unwrap();
    assert!(
        full[1..].iter().any(|r| !r[special].is_empty()),
        "some visited household carries a special-group tag, so the column is exercised"
    );
    let flat: String = masked
        .iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("|");
    for label in ["社区矫正", "刑满释放", "严重精神障碍"] {
        assert!(
            !flat.contains(label),
            "{label} never reaches a dispatcher's workbook"
        );
    }

    // Exact rows: the head of household's phone and ID, whole and masked.
    let (phone_f, id_f) = (
        col(&full, "联系电话").unwrap(),
        col(&full, "证件号码").unwrap(),
    );
    let (phone_m, id_m) = (
        col(&masked, "联系电话").unwrap(),
        col(&masked, "证件号码").unwrap(),
    );
    let mut checked_phone = 0;
    let mut checked_id = 0;
    for v in &want_visits {
        let h = fx
            .ds
            .households
            .iter()
            .find(|h| h.id == v.household_id)
            .unwrap();
        let mut live: Vec<_> = h
            .members
            .iter()
            .filter(|m| m.deleted_at.is_none())
            .collect();
        live.sort_by_key(|m| (m.relation != Relation::Head, m.created_at));
        let rf = full.iter().find(|r| r[0] == v.id).expect("the visit's row");
        let Some(head) = live.first() else {
            assert_eq!(rf[col(&full, "户主").unwrap()], "", "no member, no head");
            continue;
        };
        let rm = masked
            .iter()
            .find(|r| r[0] == v.id)
            .expect("the visit's row");
        let visitor = fx.ds.users.iter().find(|u| u.id == v.visitor_user).unwrap();
        assert_eq!(
            rf[col(&full, "走访人").unwrap()],
            visitor.name,
            "the visitor's name"
        );
        assert_eq!(
            rf[col(&full, "户主").unwrap()],
            head.name,
            "the head's name"
        );
        if let Some(p) = &head.phone {
            assert_eq!(&rf[phone_f], p, "the supervisor sees the whole phone");
            assert!(is_masked(p, &rm[phone_m]), "{} masks {p}", rm[phone_m]);
            checked_phone += 1;
        }
        if let Some(n) = &head.id_number {
            assert_eq!(&rf[id_f], n, "the supervisor sees the whole ID number");
            assert!(is_masked(n, &rm[id_m]), "{} masks {n}", rm[id_m]);
            checked_id += 1;
        }
    }
    assert!(
        checked_phone > 0 && checked_id > 0,
        "phones and IDs were checked"
    );

    // One audit row per export, naming kind, area and period.
    let audit = fx.storage.audit_rows("console:export").unwrap();
    assert_eq!(audit.len(), 5, "five exports, five audit rows");
    for (row, (kind, who)) in audit.iter().zip([
        ("assessment", &sup.id),
        ("assessment", &sup.id),
        ("incidents", &disp.id),
        ("visits", &sup.id),
        ("visits", &disp.id),
    ]) {
        let t = row.target.as_deref().unwrap();
        assert!(
            t.starts_with(&format!("kind={kind};area={township};from={FROM};to={TO}")),
            "{t}"
        );
        assert_eq!(
            row.user_id.as_ref(),
            Some(who),
            "the exporting user is recorded"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_job_reports_progress_and_serves_its_file_to_its_owner_only() {
    let fx = County::load();
    let township = fx.user(Role::TownshipSupervisor, 0).area_id.unwrap();
    let sup = user(&fx, Role::TownshipSupervisor, &township);
    let disp = user(&fx, Role::Dispatcher, &township);
    let id = jobs::start(&fx.state, &sup, req(ExportKind::Visits, ExportPer::Grid)).unwrap();
    let status = loop {
        let s = jobs::status(&fx.state, &sup.id, &id).unwrap();
        assert!((0.0..=1.0).contains(&s.progress), "progress is a fraction");
        if s.done {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(status.error.is_none(), "{:?}", status.error);
    assert_eq!(status.progress, 1.0);
    assert!(status.file_name.starts_with("走访台账_") && status.file_name.ends_with(".xlsx"));
    let (name, bytes) = jobs::file(&fx.state, &sup.id, &id).unwrap();
    assert_eq!(name, status.file_name);
    assert!(read(bytes).len() > 1, "the file is a workbook with rows");
    let err = jobs::status(&fx.state, &disp.id, &id).unwrap_err();
    assert_eq!(
        err.body().code,
        "not_found",
        "another user cannot see the job"
    );

    let mut other = req(ExportKind::Incidents, ExportPer::Grid);
    other.area_id = Some(
        fx.ds
            .areas
            .iter()
            .find(|a| a.level == AreaLevel::Township && a.id != township)
            .unwrap()
            .id
            .clone(),
    );
    let err = jobs::start(&fx.state, &sup, other).unwrap_err();
    assert_eq!(
        err.body().code,
        "out_of_scope",
        "another township is refused at once"
    );
}
