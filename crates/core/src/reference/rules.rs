//! Rule tables as data: visit frequency per tag, and SLA deadlines per urgency.

use serde::{Deserialize, Serialize};

use super::Urgency;

/// How often a household with a tag must be visited (in person or otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRule {
    /// A care or special tag code, or `*` for every occupied household.
    pub tag: String,
    /// A visit is due every this many days.
    pub every_days: u32,
    /// Must the visit be in person to count?
    pub in_person: bool,
}

/// The default visit rules. Care groups are seen more often than the baseline.
pub fn default_visit_rules() -> Vec<VisitRule> {
    let r = |tag: &str, every_days, in_person| VisitRule {
        tag: tag.into(),
        every_days,
        in_person,
    };
    vec![
        r("*", 90, true),
        r("elderly_alone", 7, false),
        r("very_old", 30, true),
        r("disabled", 30, true),
        r("minimum_income", 30, true),
        r("extreme_poverty", 14, true),
        r("left_behind_child", 30, true),
        r("community_correction", 7, true),
        r("released_prisoner", 30, true),
        r("severe_mental_illness", 7, true),
    ]
}

/// Deadlines for one urgency, in working time on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaRule {
    /// The urgency this rule applies to.
    pub urgency: Urgency,
    /// Time allowed to accept a routed item, in working hours (紧急: 2 hours).
    pub accept_working_hours: Option<u32>,
    /// Time allowed to accept a routed item, in working days (ends at the end of the day).
    pub accept_working_days: Option<u32>,
    /// Time allowed from routing to feedback, in working days.
    pub feedback_working_days: u32,
}

/// The default SLA table of DOMAIN.md.
pub fn default_sla_rules() -> Vec<SlaRule> {
    vec![
        SlaRule {
            urgency: Urgency::Emergency,
            accept_working_hours: Some(2),
            accept_working_days: None,
            feedback_working_days: 1,
        },
        SlaRule {
            urgency: Urgency::Serious,
            accept_working_hours: None,
            accept_working_days: Some(1),
            feedback_working_days: 3,
        },
        SlaRule {
            urgency: Urgency::Major,
            accept_working_hours: None,
            accept_working_days: Some(1),
            feedback_working_days: 5,
        },
        SlaRule {
            urgency: Urgency::Normal,
            accept_working_hours: None,
            accept_working_days: Some(1),
            feedback_working_days: 5,
        },
    ]
}
