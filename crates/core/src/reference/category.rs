//! Incident categories (a tree whose leaves map to one of the four platforms or to
//! 网格自办), urgency levels and handling units.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

/// Where an incident category is handled: one of the township's four platforms, or
/// inside the grid (小事不出网格).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Reconcile,
    Hydrate,
)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// 综治工作
    Comprehensive,
    /// 市场监管
    Market,
    /// 综合执法
    LawEnforcement,
    /// 便民服务
    PublicService,
    /// 网格自办
    InGrid,
}

impl Platform {
    /// Every platform and the in-grid path.
    pub const ALL: [Platform; 5] = [
        Platform::Comprehensive,
        Platform::Market,
        Platform::LawEnforcement,
        Platform::PublicService,
        Platform::InGrid,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Platform::Comprehensive => "comprehensive",
            Platform::Market => "market",
            Platform::LawEnforcement => "law_enforcement",
            Platform::PublicService => "public_service",
            Platform::InGrid => "in_grid",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Platform::Comprehensive => "综治工作",
            Platform::Market => "市场监管",
            Platform::LawEnforcement => "综合执法",
            Platform::PublicService => "便民服务",
            Platform::InGrid => "网格自办",
        }
    }
}

/// Incident urgency, which selects the SLA rule.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Reconcile,
    Hydrate,
)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// 一般
    Normal,
    /// 较大
    Major,
    /// 重大
    Serious,
    /// 紧急
    Emergency,
}

impl Urgency {
    /// Every urgency, mildest first.
    pub const ALL: [Urgency; 4] = [
        Urgency::Normal,
        Urgency::Major,
        Urgency::Serious,
        Urgency::Emergency,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Normal => "normal",
            Urgency::Major => "major",
            Urgency::Serious => "serious",
            Urgency::Emergency => "emergency",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|u| u.code() == code)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Urgency::Normal => "一般",
            Urgency::Major => "较大",
            Urgency::Serious => "重大",
            Urgency::Emergency => "紧急",
        }
    }
}

/// One node of the incident category tree. Leaves carry the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentCategory {
    /// Stable code, such as `safety.fire_hazard`.
    pub code: String,
    /// The parent's code; `None` for a top-level category.
    pub parent: Option<String>,
    /// The Chinese name.
    pub name: String,
    /// Where a leaf is handled; `None` for inner nodes.
    pub platform: Option<Platform>,
}

/// A department or station that signs for and handles routed incidents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlingUnit {
    /// Stable id.
    pub id: String,
    /// The name, such as 镇综合执法队.
    pub name: String,
    /// The platform it serves.
    pub platform: Platform,
    /// The township it belongs to; `None` for a county-level unit ("escalate to the county").
    pub township_id: Option<String>,
}

/// The platform of a category code in a tree: its own, or `None` if it is not a leaf.
pub fn platform_of(tree: &[IncidentCategory], code: &str) -> Option<Platform> {
    tree.iter()
        .find(|c| c.code == code)
        .and_then(|c| c.platform)
}

/// The default category tree: each leaf maps to exactly one platform or to 网格自办.
pub fn default_categories() -> Vec<IncidentCategory> {
    let inner = |code: &str, name: &str| IncidentCategory {
        code: code.into(),
        parent: None,
        name: name.into(),
        platform: None,
    };
    let leaf = |parent: &str, code: &str, name: &str, p: Platform| IncidentCategory {
        code: format!("{parent}.{code}"),
        parent: Some(parent.into()),
        name: name.into(),
        platform: Some(p),
    };
    use Platform::*;
    vec![
        inner("safety", "平安综治"),
        leaf("safety", "dispute", "邻里纠纷", Comprehensive),
        leaf("safety", "petition", "信访苗头", Comprehensive),
        leaf("safety", "special_group", "特殊人群动态", Comprehensive),
        leaf("safety", "minor_dispute", "家庭小矛盾（当场调解）", InGrid),
        inner("market", "市场监管"),
        leaf("market", "food_safety", "食品安全", Market),
        leaf("market", "unlicensed", "无证经营", Market),
        leaf("market", "price", "价格欺诈", Market),
        inner("enforcement", "综合执法"),
        leaf(
            "enforcement",
            "illegal_building",
            "违章建筑",
            LawEnforcement,
        ),
        leaf("enforcement", "fire_hazard", "消防隐患", LawEnforcement),
        leaf("enforcement", "dangerous_house", "危房隐患", LawEnforcement),
        leaf("enforcement", "garbage", "垃圾乱堆", LawEnforcement),
        leaf("enforcement", "gas", "燃气安全", LawEnforcement),
        inner("service", "便民服务"),
        leaf("service", "social_assistance", "救助申请", PublicService),
        leaf("service", "proxy", "代办服务", PublicService),
        leaf("service", "road_light", "路灯损坏", PublicService),
        leaf("service", "water", "供水问题", PublicService),
        inner("grid", "网格自办"),
        leaf("grid", "cleanup", "卫生清理", InGrid),
        leaf("grid", "reminder", "安全提醒", InGrid),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_of_the_default_tree_maps_to_a_platform_and_every_parent_exists() {
        let tree = default_categories();
        for c in &tree {
            if let Some(p) = &c.parent {
                assert!(
                    tree.iter().any(|x| &x.code == p && x.platform.is_none()),
                    "{} has a bad parent",
                    c.code
                );
                assert!(
                    c.platform.is_some(),
                    "leaf {} must map to a platform",
                    c.code
                );
            }
        }
        assert_eq!(
            platform_of(&tree, "enforcement.fire_hazard"),
            Some(Platform::LawEnforcement)
        );
        assert_eq!(platform_of(&tree, "grid.cleanup"), Some(Platform::InGrid));
    }
}
