//! The three workbooks, written with rust_xlsxwriter: Chinese headers in bold, the header
//! row frozen, column widths set, rates as percentages.
//!
//! Privacy (DOMAIN.md "Privacy"): identity numbers and phones are masked (first 3 and
//! last 4 kept, core's `mask_id` / `mask_phone`) unless the exporting role may reveal
//! them ([`Role::may_reveal_identity`]); the special-group column exists only for roles
//! that may read private data ([`Role::may_read_private`]).

use std::collections::BTreeMap;

use gridwalk_core::Timestamp;
use gridwalk_core::doc::household::{HouseholdDoc, Relation};
use gridwalk_core::identity::{mask_id, mask_phone};
use gridwalk_core::reference::Role;
use gridwalk_core::reference::tags::tag_label_zh;
use gridwalk_core::rules::Period;
use gridwalk_core::rules::coverage::{coverage_by_worker, coverage_of};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::super::dashboard::compute::{
    incident_figures, overdue_by_rule, platform_of, reported_in, worker_grids,
};
use super::super::dashboard::dto::IncidentFigures;
use super::super::dashboard::facts::{AreaData, HouseholdData};

/// One cell.
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Int(u32),
    /// A fraction shown as a percentage; empty when `None`.
    Pct(Option<f64>),
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// A sheet: its name, headers with widths, and rows.
pub struct Sheet {
    /// Sheet name.
    pub name: &'static str,
    /// (header, column width in characters).
    pub headers: Vec<(&'static str, f64)>,
    /// Data rows.
    pub rows: Vec<Vec<Cell>>,
}

/// Writes sheets into one workbook's bytes.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.name)?;
        for (c, (h, w)) in s.headers.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, *h, &bold)?;
            ws.set_column_width(c, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(v) if v.is_empty() => {}
                    Cell::Text(v) => {
                        ws.write_string(r, c, v)?;
                    }
                    Cell::Int(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    Cell::Pct(Some(x)) => {
                        ws.write_number_with_format(r, c, *x, &pct)?;
                    }
                    Cell::Pct(None) => {}
                }
            }
        }
    }
    wb.save_to_buffer()
}

fn time(ms: i64) -> String {
    Timestamp(ms)
        .to_shanghai()
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn incident_cells(f: &IncidentFigures) -> Vec<Cell> {
    vec![
        Cell::Int(f.reported),
        Cell::Int(f.sla.routed),
        Cell::Int(f.sla.compliant),
        Cell::Pct(f.sla.rate),
        Cell::Int(f.resolved),
        Cell::Pct(f.resolution_rate),
        Cell::Int(f.verified),
        Cell::Pct(f.verification_rate),
        Cell::Int(f.satisfaction.satisfied),
        Cell::Int(f.satisfaction.basically_satisfied),
        Cell::Int(f.satisfaction.unsatisfied),
        Cell::Pct(f.satisfaction.rate),
    ]
}

const INCIDENT_HEADERS: [(&str, f64); 12] = [
    ("上报事件", 10.0),
    ("交办事件", 10.0),
    ("按时限办理", 11.0),
    ("时限达标率", 11.0),
    ("办结", 8.0),
    ("办结率", 9.0),
    ("已核查", 8.0),
    ("核查率", 9.0),
    ("满意", 8.0),
    ("基本满意", 10.0),
    ("不满意", 8.0),
    ("满意率", 9.0),
];

/// The assessment sheet (考核表), one row per grid or per grid worker.
pub fn assessment(data: &AreaData, period: &Period, per_worker: bool) -> Sheet {
    let mut headers: Vec<(&'static str, f64)> = if per_worker {
        vec![("网格员", 10.0), ("所在网格", 24.0)]
    } else {
        vec![("网格", 24.0)]
    };
    headers.extend([
        ("在住户数", 10.0),
        ("空置户数", 10.0),
        ("见面户数", 10.0),
        ("户户见干部覆盖率", 18.0),
        ("联系户数（含电话、视频）", 24.0),
    ]);
    if per_worker {
        headers.push(("本人见面户数", 14.0));
    }
    headers.push(("超期未走访户数", 16.0));
    headers.extend(INCIDENT_HEADERS);
    let overdue_of = |grid: &str| -> u32 {
        overdue_by_rule(
            data,
            data.households
                .iter()
                .filter(|h| h.facts.grid_id == grid)
                .map(|h| &h.facts),
        )
        .iter()
        .map(|r| r.overdue)
        .sum()
    };
    let figures_of = |grid: &str| {
        incident_figures(
            data,
            data.incidents.iter().filter(|i| i.grid_id == grid),
            period,
        )
    };
    let facts: Vec<_> = data.households.iter().map(|h| h.facts.clone()).collect();
    let mut rows = Vec::new();
    if per_worker {
        let wg = worker_grids(data);
        let cov = coverage_by_worker(&facts, &wg, period);
        let mut list: Vec<(String, String, String)> = wg
            .iter()
            .map(|(u, gs)| {
                let g = gs.first().cloned().unwrap_or_default();
                let gname = data
                    .grids
                    .iter()
                    .find(|x| x.id == g)
                    .map_or(g.clone(), |x| x.name.clone());
                let name = data.users.get(u).map_or(u.clone(), |x| x.name.clone());
                (gname, name, u.clone())
            })
            .collect();
        list.sort();
        for (gname, name, u) in list {
            let g = &wg[&u][0];
            let pc = cov[&u];
            let c = pc.coverage;
            let mut row = vec![
                t(name),
                t(gname),
                Cell::Int(c.occupied),
                Cell::Int(c.empty),
                Cell::Int(c.seen),
                Cell::Pct(c.ratio()),
                Cell::Int(c.contacted),
                Cell::Int(pc.seen_by_self),
                Cell::Int(overdue_of(g)),
            ];
            row.extend(incident_cells(&figures_of(g)));
            rows.push(row);
        }
    } else {
        for g in &data.grids {
            let c = coverage_of(facts.iter().filter(|h| h.grid_id == g.id), period);
            let mut row = vec![
                t(g.name.clone()),
                Cell::Int(c.occupied),
                Cell::Int(c.empty),
                Cell::Int(c.seen),
                Cell::Pct(c.ratio()),
                Cell::Int(c.contacted),
                Cell::Int(overdue_of(&g.id)),
            ];
            row.extend(incident_cells(&figures_of(&g.id)));
            rows.push(row);
        }
    }
    Sheet {
        name: "考核表",
        headers,
        rows,
    }
}

fn grid_name(data: &AreaData, id: &str) -> String {
    data.grids
        .iter()
        .find(|g| g.id == id)
        .map_or(id.to_string(), |g| g.name.clone())
}

fn user_name(data: &AreaData, id: &str) -> String {
    data.users
        .get(id)
        .map_or(id.to_string(), |u| u.name.clone())
}

/// The incident ledger (事件台账): incidents first reported in the period.
pub fn incidents(data: &AreaData, period: &Period) -> Sheet {
    let headers = vec![
        ("事件编号", 38.0),
        ("网格", 24.0),
        ("类别", 16.0),
        ("平台", 14.0),
        ("紧急程度", 10.0),
        ("状态", 12.0),
        ("上报时间", 17.0),
        ("上报人", 10.0),
        ("承办单位", 22.0),
        ("办理时限", 17.0),
        ("督办", 10.0),
        ("评价", 10.0),
        ("地点", 30.0),
    ];
    let mut list: Vec<_> = data
        .incidents
        .iter()
        .filter(|i| reported_in(i, period))
        .collect();
    list.sort_by_key(|i| (i.eff.reported_at, i.doc.id.clone()));
    let rows = list
        .into_iter()
        .map(|i| {
            let code = i.doc.category.value().cloned().unwrap_or_default();
            let cat = data
                .reference
                .categories
                .iter()
                .find(|c| c.code == code)
                .map_or(code.clone(), |c| c.name.clone());
            let unit = i.eff.unit.as_deref().map_or(String::new(), |u| {
                data.reference
                    .units
                    .iter()
                    .find(|x| x.id == u)
                    .map_or(u.to_string(), |x| x.name.clone())
            });
            vec![
                t(i.doc.id.clone()),
                t(grid_name(data, &i.grid_id)),
                t(cat),
                t(platform_of(i).map_or("", |p| p.label_zh())),
                t(i.doc.urgency.value().map_or("", |u| u.label_zh())),
                t(i.eff.state.label_zh()),
                t(i.eff.reported_at.map_or(String::new(), |x| time(x.0))),
                t(user_name(data, &i.doc.reported_by)),
                t(unit),
                t(i.sup.feedback.map_or(String::new(), |f| time(f.deadline.0))),
                t(i.sup.level.label_zh()),
                t(i.eff.rating.as_ref().map_or("", |r| r.level.label_zh())),
                t(i.doc.location.value().cloned().unwrap_or_default()),
            ]
        })
        .collect();
    Sheet {
        name: "事件台账",
        headers,
        rows,
    }
}

/// The head of household (or the first live member): name, phone, ID as shown to `role`.
fn head_cells(h: &HouseholdData, role: Role) -> [String; 3] {
    let doc: &HouseholdDoc = &h.doc;
    let mut members: Vec<_> = doc.live_members().collect();
    members.sort_by_key(|m| (m.relation.value() != Some(&Relation::Head), m.created_at));
    let Some(m) = members.first() else {
        return Default::default();
    };
    let full = role.may_reveal_identity();
    let phone = m
        .phone
        .value()
        .cloned()
        .flatten()
        .map_or(String::new(), |p| if full { p } else { mask_phone(&p) });
    let full_id = h
        .private
        .as_ref()
        .and_then(|p| p.ids.get(&m.id))
        .and_then(|r| r.value().cloned().flatten())
        .map(|n| n.number);
    let masked = m.id_doc.value().cloned().flatten().map(|d| d.masked);
    let id = match (full, full_id, masked) {
        (true, Some(n), _) => n,
        (_, Some(n), None) => mask_id(&n),
        (_, _, Some(m)) => m,
        _ => String::new(),
    };
    [m.name.value().cloned().unwrap_or_default(), phone, id]
}

fn tag_labels(
    tags: &BTreeMap<String, gridwalk_core::doc::household::TagSpan>,
    day: &str,
) -> String {
    tags.iter()
        .filter(|(_, s)| s.active_on(day))
        .map(|(c, _)| tag_label_zh(c).unwrap_or(c.as_str()))
        .collect::<Vec<_>>()
        .join("、")
}

/// The visit ledger (走访台账): live visits in the period.
pub fn visits(data: &AreaData, period: &Period, role: Role) -> Sheet {
    let special = role.may_read_private();
    let mut headers = vec![
        ("走访编号", 38.0),
        ("走访时间", 17.0),
        ("网格", 24.0),
        ("地址", 30.0),
        ("户主", 10.0),
        ("联系电话", 15.0),
        ("证件号码", 21.0),
        ("关爱标签", 16.0),
    ];
    if special {
        headers.push(("特殊人群", 16.0));
    }
    headers.extend([
        ("走访人", 10.0),
        ("角色", 12.0),
        ("方式", 8.0),
        ("类型", 10.0),
        ("提供服务", 24.0),
        ("民情日记", 40.0),
    ]);
    let day = data.as_of.shanghai_date().format("%Y-%m-%d").to_string();
    let mut rows: Vec<(i64, String, Vec<Cell>)> = Vec::new();
    for h in &data.households {
        let [head, phone, id] = head_cells(h, role);
        let address = h
            .doc
            .address
            .value()
            .map(|a| a.display())
            .unwrap_or_default();
        let care = h
            .doc
            .tags
            .value()
            .map_or(String::new(), |m| tag_labels(m, &day));
        let sp = h
            .private
            .as_ref()
            .and_then(|p| p.special_tags.value())
            .map_or(String::new(), |m| tag_labels(m, &day));
        for v in h
            .doc
            .live_visits()
            .filter(|v| period.contains(Timestamp(v.at)))
        {
            let c = v.current();
            let mut row = vec![
                t(v.id.clone()),
                t(time(v.at)),
                t(grid_name(data, &h.facts.grid_id)),
                t(address.clone()),
                t(head.clone()),
                t(phone.clone()),
                t(id.clone()),
                t(care.clone()),
            ];
            if special {
                row.push(t(sp.clone()));
            }
            row.extend([
                t(user_name(data, &v.visitor_user)),
                t(v.visitor_role.label_zh()),
                t(c.map_or("", |c| mode_zh(c.mode))),
                t(c.map_or("", |c| kind_zh(c.kind))),
                t(c.map_or(String::new(), |c| c.service.clone())),
                t(c.map_or(String::new(), |c| c.note.clone())),
            ]);
            rows.push((v.at, v.id.clone(), row));
        }
    }
    rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Sheet {
        name: "走访台账",
        headers,
        rows: rows.into_iter().map(|r| r.2).collect(),
    }
}

fn mode_zh(m: gridwalk_core::doc::visit::ContactMode) -> &'static str {
    use gridwalk_core::doc::visit::ContactMode as M;
    match m {
        M::InPerson => "入户",
        M::Phone => "电话",
        M::Video => "视频",
    }
}

fn kind_zh(k: gridwalk_core::doc::visit::VisitKind) -> &'static str {
    use gridwalk_core::doc::visit::VisitKind as K;
    match k {
        K::Routine => "日常走访",
        K::KeyGroupCare => "重点人群关爱",
        K::IncidentReturn => "事件回访",
        K::Campaign => "专项走访",
    }
}
