//! Domain rules computed from plain facts, the clock and the calendar: SLA deadlines and
//! 督办 levels ([`sla`]), visits due by tag rule ([`due`]) and coverage "户户见干部"
//! ([`coverage`]). Pure functions: time is always passed in.

pub mod coverage;
pub mod due;
pub mod sla;

pub use coverage::{
    Coverage, Period, PersonCoverage, SeenBucket, coverage_by_contactor, coverage_by_grid,
    coverage_by_worker, coverage_of, days_since_seen, seen_histogram,
};
pub use due::{
    ContactFact, DueStatus, DueSummary, HouseholdFacts, Occupancy, VisitDue, due_summary,
    evaluate_household, visits_due,
};
pub use sla::{OverdueLevel, accept_deadline, feedback_deadline, overdue_level};
