//! The area tree: 市 → 县/区 → 乡镇/街道 → 村/社区 → 网格 → 微网格.

use serde::{Deserialize, Serialize};

/// A level of the area tree, from the city down to the micro-grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// 市
    City,
    /// 县/区
    County,
    /// 乡镇/街道
    Township,
    /// 村/社区
    Village,
    /// 网格
    Grid,
    /// 微网格
    MicroGrid,
}

impl AreaLevel {
    /// The level a child of this level must have, if any.
    pub fn child(self) -> Option<AreaLevel> {
        match self {
            AreaLevel::City => Some(AreaLevel::County),
            AreaLevel::County => Some(AreaLevel::Township),
            AreaLevel::Township => Some(AreaLevel::Village),
            AreaLevel::Village => Some(AreaLevel::Grid),
            AreaLevel::Grid => Some(AreaLevel::MicroGrid),
            AreaLevel::MicroGrid => None,
        }
    }

    /// The Chinese name of the level.
    pub fn label_zh(self) -> &'static str {
        match self {
            AreaLevel::City => "市",
            AreaLevel::County => "县（市、区）",
            AreaLevel::Township => "乡镇（街道）",
            AreaLevel::Village => "村（社区）",
            AreaLevel::Grid => "网格",
            AreaLevel::MicroGrid => "微网格",
        }
    }
}

/// Whether a grid is a basic (residential) grid or a dedicated one (an industrial park, a school).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GridKind {
    /// 基础网格
    Basic,
    /// 专属网格
    Dedicated,
}

/// One node of the area tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Stable id (a UUID or an administrative code).
    pub id: String,
    /// The parent node; `None` only for the city.
    pub parent_id: Option<String>,
    /// The level of this node.
    pub level: AreaLevel,
    /// The name, such as 莲都区 or 白云山村.
    pub name: String,
    /// For grids: basic or dedicated.
    pub grid_kind: Option<GridKind>,
    /// For villages: rural (村) or urban (社区).
    pub rural: Option<bool>,
}

/// Checks that every parent exists and sits exactly one level up.
pub fn validate_tree(areas: &[Area]) -> Result<(), crate::CoreError> {
    use std::collections::HashMap;
    let by_id: HashMap<&str, &Area> = areas.iter().map(|a| (a.id.as_str(), a)).collect();
    if by_id.len() != areas.len() {
        return Err(crate::CoreError::InvalidReference(
            "duplicate area id".into(),
        ));
    }
    for a in areas {
        match (&a.parent_id, a.level) {
            (None, AreaLevel::City) => {}
            (None, _) => {
                return Err(crate::CoreError::InvalidReference(format!(
                    "area {} has no parent",
                    a.id
                )));
            }
            (Some(p), level) => {
                let parent = by_id.get(p.as_str()).ok_or_else(|| {
                    crate::CoreError::InvalidReference(format!(
                        "area {} has a missing parent {p}",
                        a.id
                    ))
                })?;
                if parent.level.child() != Some(level) {
                    return Err(crate::CoreError::InvalidReference(format!(
                        "area {} ({level:?}) cannot sit under {:?}",
                        a.id, parent.level
                    )));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(id: &str, parent: Option<&str>, level: AreaLevel) -> Area {
        Area {
            id: id.into(),
            parent_id: parent.map(Into::into),
            level,
            name: id.into(),
            grid_kind: None,
            rural: None,
        }
    }

    #[test]
    fn a_grid_cannot_hang_directly_under_a_township() {
        let ok = [
            area("c", None, AreaLevel::City),
            area("x", Some("c"), AreaLevel::County),
        ];
        assert!(validate_tree(&ok).is_ok());
        let bad = [
            area("c", None, AreaLevel::City),
            area("x", Some("c"), AreaLevel::County),
            area("t", Some("x"), AreaLevel::Township),
            area("g", Some("t"), AreaLevel::Grid),
        ];
        assert!(
            validate_tree(&bad).is_err(),
            "a grid must sit under a village"
        );
    }
}
