//! The dashboard's JSON contract (`GET /api/v1/console/dashboard`), with TypeScript twins
//! (ts-rs) for the console UI. Rates are fractions in `0..=1`, `null` when their
//! denominator is zero; every count is a whole number.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `GET /dashboard` query: the area (default: the user's own) and the period, two
/// Asia/Shanghai dates with both days included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DashboardQuery {
    /// Township, village or grid id; absent for the user's own area.
    #[serde(default)]
    pub area_id: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day (included), `YYYY-MM-DD`.
    pub to: String,
}

/// Coverage "户户见干部" of one grid, worker or contactor (DOMAIN.md "Metrics that count").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CoverageRow {
    /// Grid id or user id.
    pub id: String,
    /// Grid name or the person's name.
    pub name: String,
    /// The grid of a worker, the role of a contactor (code); empty for a grid.
    pub detail: String,
    /// Occupied (and rented) households: the denominator.
    pub occupied: u32,
    /// Of those, seen in person in the period by anyone: the numerator.
    pub seen: u32,
    /// Contacted in any mode (phone and video included) in the period.
    pub contacted: u32,
    /// Empty households, counted apart.
    pub empty: u32,
    /// Seen in person by this person themselves (`null` for a grid).
    pub seen_by_self: Option<u32>,
    /// `seen ÷ occupied`.
    pub rate: Option<f64>,
}

/// A count under a stable code, with its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CodeCount {
    /// Stable code (state, category, platform, bucket, tag rule).
    pub code: String,
    /// Chinese label.
    pub label_zh: String,
    /// How many.
    pub count: u32,
}

/// Occupied households whose governing visit rule is overdue, by the rule's tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RuleOverdue {
    /// The rule's tag (`*` for every occupied household).
    pub tag: String,
    /// Chinese label of the tag (`全部在住户` for `*`).
    pub label_zh: String,
    /// The rule's interval, days.
    pub every_days: u32,
    /// Does the rule ask for an in-person contact?
    pub in_person: bool,
    /// Households overdue under this rule.
    pub overdue: u32,
}

/// Timeliness of routed incidents against the SLA rules and the working-day calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SlaFigures {
    /// Incidents routed to a handling unit (they have deadlines).
    pub routed: u32,
    /// Signed for by the accept deadline.
    pub accepted_on_time: u32,
    /// Fed back by the feedback deadline.
    pub handled_on_time: u32,
    /// Neither step late, nor late now (not-yet-due steps count as on time).
    pub compliant: u32,
    /// `compliant ÷ routed`.
    pub rate: Option<f64>,
}

/// Resident satisfaction (满意 / 基本满意 / 不满意).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Satisfaction {
    /// 满意.
    pub satisfied: u32,
    /// 基本满意.
    pub basically_satisfied: u32,
    /// 不满意.
    pub unsatisfied: u32,
    /// Rated incidents.
    pub rated: u32,
    /// `(satisfied + basically_satisfied) ÷ rated`.
    pub rate: Option<f64>,
}

/// Incident figures for the incidents first reported in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct IncidentFigures {
    /// Incidents first reported (or handled in the grid) in the period.
    pub reported: u32,
    /// By effective state now.
    pub by_state: Vec<CodeCount>,
    /// By category (leaf code).
    pub by_category: Vec<CodeCount>,
    /// By platform (of the latest routing, else the category's).
    pub by_platform: Vec<CodeCount>,
    /// SLA compliance.
    pub sla: SlaFigures,
    /// Closed (办结) or rated.
    pub resolved: u32,
    /// `resolved ÷ reported` (returned duplicates left out of both).
    pub resolution_rate: Option<f64>,
    /// Routed incidents that reached feedback (handled or later).
    pub handled: u32,
    /// Of those, verified on site (verified, closed or rated).
    pub verified: u32,
    /// `verified ÷ handled`.
    pub verification_rate: Option<f64>,
    /// Ratings.
    pub satisfaction: Satisfaction,
}

/// `GET /dashboard` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    /// The area.
    pub area_id: String,
    /// Its name.
    pub area_name: String,
    /// First day of the period.
    pub from: String,
    /// Last day of the period (included).
    pub to: String,
    /// When the "as of" figures (days since seen, overdue) are taken, UTC ms: the period's
    /// last instant, or now if that is later than now.
    #[ts(type = "number")]
    pub as_of: i64,
    /// Coverage of the whole area.
    pub total: CoverageRow,
    /// Per grid.
    pub grids: Vec<CoverageRow>,
    /// Per grid worker (the households of their grid).
    pub workers: Vec<CoverageRow>,
    /// Per contactor (三联系 / 党员联户 assignments in force in the period).
    pub contactors: Vec<CoverageRow>,
    /// Occupied households by days since last seen in person, as of `as_of`.
    pub seen_histogram: Vec<CodeCount>,
    /// Overdue visits by governing tag rule, as of `as_of`.
    pub overdue_by_rule: Vec<RuleOverdue>,
    /// Incidents.
    pub incidents: IncidentFigures,
}

/// The TypeScript declarations of the dashboard DTOs, for the console bindings file.
pub fn decls(cfg: &ts_rs::Config) -> Vec<String> {
    vec![
        DashboardQuery::decl(cfg),
        CoverageRow::decl(cfg),
        CodeCount::decl(cfg),
        RuleOverdue::decl(cfg),
        SlaFigures::decl(cfg),
        Satisfaction::decl(cfg),
        IncidentFigures::decl(cfg),
        Dashboard::decl(cfg),
    ]
}
