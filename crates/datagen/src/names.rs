//! Chinese personal names: surnames with real frequencies, adjusted for Lishui, and
//! given names that fit the person's generation and sex.
//!
//! The national shares are rounded from the 2020 census surname ranking (王 李 张 刘 陈
//! … each in per cent of the population). Lishui differs from the national picture: 陈,
//! 叶, 吴, 周, 徐, 潘, 金, 毛, 项, 季, 应 are much more common in southwest Zhejiang, and
//! the She people (畲族, about 3% of Lishui, concentrated in 景宁 and 莲都's 老竹 and
//! 丽新) carry 雷, 蓝 and 钟. The multipliers below encode that; the result is an
//! approximation good enough for realistic data, not a statistic to quote.

use rand::Rng;

use crate::sampling::{Weighted, one_of, one_str};

/// National share (per cent) and Lishui multiplier for each surname in the table.
pub const SURNAMES: &[(&str, f64, f64)] = &[
    ("王", 7.12, 0.75),
    ("李", 7.00, 0.55),
    ("张", 6.74, 0.6),
    ("刘", 5.10, 0.6),
    ("陈", 4.61, 1.6),
    ("杨", 3.22, 0.5),
    ("黄", 2.45, 0.6),
    ("赵", 2.19, 0.5),
    ("吴", 2.08, 2.6),
    ("周", 2.02, 1.6),
    ("徐", 1.67, 1.9),
    ("孙", 1.54, 0.6),
    ("马", 1.44, 0.4),
    ("朱", 1.42, 1.4),
    ("胡", 1.31, 1.2),
    ("郭", 1.13, 0.4),
    ("何", 1.11, 1.5),
    ("林", 1.05, 1.8),
    ("高", 1.04, 0.6),
    ("罗", 0.96, 0.5),
    ("郑", 0.81, 1.6),
    ("梁", 0.76, 0.4),
    ("谢", 0.72, 1.0),
    ("宋", 0.66, 0.6),
    ("唐", 0.65, 0.6),
    ("许", 0.63, 0.9),
    ("韩", 0.60, 0.4),
    ("邓", 0.55, 0.4),
    ("冯", 0.54, 0.5),
    ("曹", 0.52, 0.5),
    ("彭", 0.50, 0.4),
    ("曾", 0.49, 0.5),
    ("肖", 0.48, 0.4),
    ("田", 0.46, 0.5),
    ("董", 0.45, 0.6),
    ("潘", 0.44, 3.5),
    ("袁", 0.43, 0.6),
    ("蔡", 0.42, 1.4),
    ("蒋", 0.42, 1.2),
    ("余", 0.41, 1.5),
    ("于", 0.40, 0.3),
    ("杜", 0.39, 2.0),
    ("叶", 0.38, 14.0),
    ("程", 0.37, 1.5),
    ("魏", 0.36, 0.6),
    ("苏", 0.35, 0.8),
    ("吕", 0.34, 1.4),
    ("丁", 0.33, 0.8),
    ("任", 0.32, 1.2),
    ("沈", 0.31, 1.2),
    ("金", 0.30, 4.0),
    ("毛", 0.24, 5.0),
    ("钟", 0.30, 3.5),
    ("雷", 0.25, 8.0),
    ("蓝", 0.10, 18.0),
    ("项", 0.06, 12.0),
    ("季", 0.08, 9.0),
    ("应", 0.06, 10.0),
    ("鲍", 0.06, 5.0),
    ("汤", 0.14, 3.0),
    ("梅", 0.07, 5.0),
    ("麻", 0.01, 40.0),
    ("柳", 0.04, 8.0),
    ("练", 0.01, 25.0),
    ("留", 0.005, 40.0),
    ("包", 0.07, 3.0),
    ("章", 0.08, 4.0),
    ("楼", 0.02, 10.0),
    ("邱", 0.30, 1.0),
    ("方", 0.26, 2.0),
    ("夏", 0.20, 1.2),
    ("姚", 0.22, 1.5),
    ("傅", 0.18, 1.5),
    ("翁", 0.05, 5.0),
];

/// Which surname distribution to draw from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurnameMix {
    /// The national shares.
    National,
    /// National shares times the Lishui multipliers.
    Lishui,
    /// Lishui, with the She surnames (雷 蓝 钟) boosted further: 景宁畲族自治县 and the
    /// 畲族 townships.
    SheArea,
}

/// The surname table for a mix.
pub fn surname_table(mix: SurnameMix) -> Weighted<&'static str> {
    Weighted::new(SURNAMES.iter().map(|&(s, share, local)| {
        let w = match mix {
            SurnameMix::National => share,
            SurnameMix::Lishui => share * local,
            SurnameMix::SheArea if matches!(s, "雷" | "蓝" | "钟") => share * local * 4.0,
            SurnameMix::SheArea => share * local,
        };
        (s, w)
    }))
}

/// Male or female.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男
    Male,
    /// 女
    Female,
}

/// Given names by era of birth: (born before, male, female). Older generations in rural
/// Zhejiang carry names like 土根 and 桂花; the 1960s–70s political names; the 1980s–90s
/// single characters; the 2000s and later 子涵, 梓萱 and the like.
const GIVEN: &[(i64, &[&str], &[&str])] = &[
    (
        1950,
        &[
            "土根", "福根", "水根", "金水", "德才", "有福", "仁贵", "炳松", "樟林", "火旺", "松林",
            "金土", "庆余", "永康", "春发", "长根",
        ],
        &[
            "桂花", "秀英", "金花", "玉兰", "菊香", "彩凤", "月娥", "素琴", "翠英", "雪花", "银花",
            "春娥", "美娟", "招娣", "水仙",
        ],
    ),
    (
        1965,
        &[
            "建国", "国庆", "卫国", "建华", "志明", "跃进", "国华", "建平", "立新", "荣华", "福民",
            "新华", "红旗", "爱民", "光明",
        ],
        &[
            "秀兰", "桂英", "美华", "红英", "丽华", "爱华", "月英", "建英", "玉芳", "素芬", "秀珍",
            "凤英",
        ],
    ),
    (
        1980,
        &[
            "卫东", "伟", "军", "勇", "强", "建军", "海涛", "建忠", "晓东", "文华", "志强", "国平",
            "小平", "永明",
        ],
        &[
            "丽", "红", "燕", "小红", "海燕", "丽娟", "美玲", "晓红", "丽萍", "秀芳", "素珍",
            "彩霞",
        ],
    ),
    (
        1995,
        &[
            "杰", "磊", "鹏", "涛", "斌", "俊", "超", "浩", "鑫", "晨", "俊杰", "伟强", "志伟",
            "海波", "晓峰",
        ],
        &[
            "婷", "静", "敏", "倩", "雪", "丹", "佳", "颖", "晓燕", "丽娜", "婷婷", "慧敏", "梦婷",
            "佳丽",
        ],
    ),
    (
        2010,
        &[
            "浩然", "宇轩", "子轩", "俊豪", "子豪", "浩宇", "嘉豪", "一鸣", "博文", "天宇", "俊熙",
            "宇航", "家乐",
        ],
        &[
            "欣怡", "诗涵", "子涵", "雨涵", "梓涵", "可欣", "思琪", "佳怡", "雨欣", "紫涵", "语嫣",
            "心怡",
        ],
    ),
    (
        i64::MAX,
        &[
            "沐宸", "梓睿", "奕辰", "宇泽", "浩宇", "一诺", "睿泽", "子墨", "梓豪", "铭轩", "宸熙",
            "锦程",
        ],
        &[
            "一诺", "若汐", "语桐", "梓萱", "安琪", "芊芊", "沐晴", "可馨", "雨桐", "依诺", "梓涵",
            "知夏",
        ],
    ),
];

/// Transliterated names for some holders of foreign passports (many Qingtian
/// returnees hold Italian or Spanish nationality but keep Chinese names).
const FOREIGN: &[&str] = &[
    "马可·罗西",
    "安娜·费拉里",
    "卡洛斯·加西亚",
    "玛丽亚·洛佩斯",
    "约翰·史密斯",
    "卢卡·孔蒂",
    "索菲亚·马丁内斯",
    "金敏俊",
];

/// Draws names.
#[derive(Debug, Clone)]
pub struct NameGen {
    surnames: Weighted<&'static str>,
}

impl NameGen {
    /// A name source for a surname mix.
    pub fn new(mix: SurnameMix) -> NameGen {
        NameGen {
            surnames: surname_table(mix),
        }
    }

    /// A surname.
    pub fn surname<R: Rng>(&self, rng: &mut R) -> &'static str {
        self.surnames.pick(rng)
    }

    /// A given name fitting the birth year and sex.
    pub fn given<R: Rng>(&self, rng: &mut R, birth_year: i64, sex: Sex) -> &'static str {
        let era = GIVEN
            .iter()
            .find(|(before, _, _)| birth_year < *before)
            .unwrap_or(&GIVEN[GIVEN.len() - 1]);
        // A quarter of people carry a name from the neighbouring generation.
        let era = if rng.random_bool(0.25) {
            let i = GIVEN.iter().position(|e| e.0 == era.0).unwrap_or(0);
            let j = if rng.random_bool(0.5) {
                i.saturating_sub(1)
            } else {
                (i + 1).min(GIVEN.len() - 1)
            };
            &GIVEN[j]
        } else {
            era
        };
        match sex {
            Sex::Male => one_str(rng, era.1),
            Sex::Female => one_str(rng, era.2),
        }
    }

    /// A full name: a surname from the table and a given name.
    pub fn full<R: Rng>(&self, rng: &mut R, birth_year: i64, sex: Sex) -> String {
        format!("{}{}", self.surname(rng), self.given(rng, birth_year, sex))
    }

    /// A full name with a fixed surname (a child takes the father's surname).
    pub fn with_surname<R: Rng>(
        &self,
        rng: &mut R,
        surname: &str,
        birth_year: i64,
        sex: Sex,
    ) -> String {
        format!("{surname}{}", self.given(rng, birth_year, sex))
    }

    /// A transliterated foreign name.
    pub fn foreign<R: Rng>(&self, rng: &mut R) -> String {
        one_of(rng, FOREIGN).to_string()
    }
}

/// The surname of a generated Chinese name: its first character (the table holds no
/// two-character surnames). `None` for a transliterated foreign name.
pub fn surname_of(name: &str) -> Option<&str> {
    if name.contains('·') {
        return None;
    }
    name.char_indices().nth(1).map(|(i, _)| &name[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::{Stage, stage_rng};

    #[test]
    fn lishui_puts_chen_and_ye_near_the_top() {
        let t = surname_table(SurnameMix::Lishui);
        let mut shares: Vec<(&str, f64)> = t.shares().map(|(s, w)| (*s, w)).collect();
        shares.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top: Vec<&str> = shares.iter().take(4).map(|s| s.0).collect();
        assert!(
            top.contains(&"陈") && top.contains(&"叶"),
            "top four: {top:?}"
        );
    }

    #[test]
    fn given_names_are_one_or_two_characters() {
        let g = NameGen::new(SurnameMix::Lishui);
        let mut rng = stage_rng(1, Stage::Households);
        for year in [1935, 1958, 1972, 1990, 2005, 2024] {
            for sex in [Sex::Male, Sex::Female] {
                let n = g.given(&mut rng, year, sex).chars().count();
                assert!((1..=2).contains(&n), "{year} {sex:?}");
            }
        }
    }
}
