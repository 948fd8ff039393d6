//! Contact assignments: 三联系 and 党员联户. The server's rows are the source of truth
//! for who is linked to whom; party members' device scope derives from them.

use serde::{Deserialize, Serialize};

use super::Role;

/// Which contact system an assignment belongs to. The seed does not list the three
/// contacts, so they are configurable; these are the likely Zhejiang reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// 乡镇干部联系网格
    CadreGrid,
    /// 网格长联系网格员
    HeadWorker,
    /// 网格员联系农户
    WorkerHousehold,
    /// 党员联户
    PartyMemberHousehold,
}

/// What a contactor is responsible for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ContactTarget {
    /// A village or community.
    Village(String),
    /// A grid.
    Grid(String),
    /// A micro-grid.
    MicroGrid(String),
    /// One household.
    Household(String),
    /// One user (a grid head's grid workers).
    User(String),
}

/// One assignment: contactor → target, with a frequency and validity dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactAssignment {
    /// Stable id.
    pub id: String,
    /// The system it belongs to.
    pub kind: ContactKind,
    /// The contacting user.
    pub contactor_user: String,
    /// The contactor's role.
    pub contactor_role: Role,
    /// The target.
    pub target: ContactTarget,
    /// At least one contact every this many days.
    pub every_days: u32,
    /// First valid day (Shanghai), `YYYY-MM-DD`.
    pub valid_from: chrono::NaiveDate,
    /// Last valid day, if it ends.
    pub valid_to: Option<chrono::NaiveDate>,
}

impl ContactAssignment {
    /// Is the assignment in force on `day`?
    pub fn in_force(&self, day: chrono::NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|end| day <= end)
    }
}
