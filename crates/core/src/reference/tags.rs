//! Household tags. Care-group tags live in the household document; special-group tags
//! are sensitive personal information and live only in the household private document.

use serde::{Deserialize, Serialize};

/// A care-group tag (关爱对象), visible to every role that holds the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareTag {
    /// 独居老人
    ElderlyAlone,
    /// 高龄
    VeryOld,
    /// 残疾
    Disabled,
    /// 低保
    MinimumIncome,
    /// 特困
    ExtremePoverty,
    /// 留守儿童
    LeftBehindChild,
}

/// A special-group tag (特殊人群): only for roles allowed private data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialTag {
    /// 社区矫正
    CommunityCorrection,
    /// 刑满释放
    ReleasedPrisoner,
    /// 严重精神障碍
    SevereMentalIllness,
}

impl CareTag {
    /// Every care tag.
    pub const ALL: [CareTag; 6] = [
        CareTag::ElderlyAlone,
        CareTag::VeryOld,
        CareTag::Disabled,
        CareTag::MinimumIncome,
        CareTag::ExtremePoverty,
        CareTag::LeftBehindChild,
    ];

    /// The stable code, also the key in the document's `tags` map.
    pub fn code(self) -> &'static str {
        match self {
            CareTag::ElderlyAlone => "elderly_alone",
            CareTag::VeryOld => "very_old",
            CareTag::Disabled => "disabled",
            CareTag::MinimumIncome => "minimum_income",
            CareTag::ExtremePoverty => "extreme_poverty",
            CareTag::LeftBehindChild => "left_behind_child",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<CareTag> {
        CareTag::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            CareTag::ElderlyAlone => "独居老人",
            CareTag::VeryOld => "高龄",
            CareTag::Disabled => "残疾",
            CareTag::MinimumIncome => "低保",
            CareTag::ExtremePoverty => "特困",
            CareTag::LeftBehindChild => "留守儿童",
        }
    }
}

impl SpecialTag {
    /// Every special-group tag.
    pub const ALL: [SpecialTag; 3] = [
        SpecialTag::CommunityCorrection,
        SpecialTag::ReleasedPrisoner,
        SpecialTag::SevereMentalIllness,
    ];

    /// The stable code, also the key in the private document's `special_tags` map.
    pub fn code(self) -> &'static str {
        match self {
            SpecialTag::CommunityCorrection => "community_correction",
            SpecialTag::ReleasedPrisoner => "released_prisoner",
            SpecialTag::SevereMentalIllness => "severe_mental_illness",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<SpecialTag> {
        SpecialTag::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            SpecialTag::CommunityCorrection => "社区矫正",
            SpecialTag::ReleasedPrisoner => "刑满释放",
            SpecialTag::SevereMentalIllness => "严重精神障碍",
        }
    }
}

/// The label of any tag code, care or special, for display.
pub fn tag_label_zh(code: &str) -> Option<&'static str> {
    CareTag::from_code(code)
        .map(CareTag::label_zh)
        .or_else(|| SpecialTag::from_code(code).map(SpecialTag::label_zh))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn care_and_special_codes_never_collide() {
        for c in CareTag::ALL {
            assert!(SpecialTag::from_code(c.code()).is_none());
            assert_eq!(CareTag::from_code(c.code()), Some(c));
        }
        for s in SpecialTag::ALL {
            assert_eq!(SpecialTag::from_code(s.code()), Some(s));
        }
    }
}
