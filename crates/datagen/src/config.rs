//! What to generate: seed, base date, county, the shape of the area tree and the record
//! counts, with presets for tests, the demo and the benchmarks.

use chrono::NaiveDate;
use gridwalk_core::Timestamp;

use crate::names::SurnameMix;

/// A Lishui county the generator knows: its names, codes and local flavour.
#[derive(Debug, Clone, PartialEq)]
pub struct County {
    /// Stable code (the region code, e.g. 331102).
    pub code: &'static str,
    /// Chinese name.
    pub name: &'static str,
    /// First digit of local landline numbers (after 0578-).
    pub landline_digit: char,
    /// Sub-district (街道) names, used for urban townships.
    pub streets: &'static [&'static str],
    /// Town and township (镇/乡) names, used for rural townships.
    pub towns: &'static [&'static str],
    /// The surname mix.
    pub surnames: SurnameMix,
    /// Approximate centre (latitude, longitude).
    pub centre: (f64, f64),
}

/// The counties available: 莲都区 (the default), 青田县 and 景宁畲族自治县.
pub const COUNTIES: &[County] = &[
    County {
        code: "331102",
        name: "莲都区",
        landline_digit: '2',
        streets: &[
            "万象街道",
            "紫金街道",
            "岩泉街道",
            "白云街道",
            "南明山街道",
            "联城街道",
        ],
        towns: &[
            "碧湖镇",
            "老竹畲族镇",
            "雅溪镇",
            "大港头镇",
            "太平乡",
            "丽新畲族乡",
            "仙渡乡",
            "峰源乡",
            "黄村乡",
        ],
        surnames: SurnameMix::Lishui,
        centre: (28.4517, 119.9229),
    },
    County {
        code: "331121",
        name: "青田县",
        landline_digit: '6',
        streets: &["鹤城街道", "瓯南街道", "油竹街道", "三溪口街道"],
        towns: &[
            "温溪镇",
            "船寮镇",
            "海口镇",
            "腊口镇",
            "北山镇",
            "仁庄镇",
            "方山乡",
        ],
        surnames: SurnameMix::Lishui,
        centre: (28.1392, 120.2894),
    },
    County {
        code: "331127",
        name: "景宁畲族自治县",
        landline_digit: '5',
        streets: &["红星街道", "鹤溪街道"],
        towns: &[
            "渤海镇",
            "东坑镇",
            "英川镇",
            "沙湾镇",
            "大均乡",
            "澄照乡",
            "郑坑乡",
        ],
        surnames: SurnameMix::SheArea,
        centre: (27.9731, 119.6353),
    },
];

/// Looks up a county by code or by name.
pub fn county(key: &str) -> Option<&'static County> {
    COUNTIES.iter().find(|c| c.code == key || c.name == key)
}

/// One village or community in the shape of the area tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VillageShape {
    /// A rural village (natural villages) or an urban community (buildings).
    pub rural: bool,
    /// Relative share of the households.
    pub weight: f64,
}

/// One township: a 街道 of communities or a 镇/乡 of villages (or both).
#[derive(Debug, Clone, PartialEq)]
pub struct TownshipShape {
    /// A 街道 (urban) rather than a 镇/乡.
    pub urban: bool,
    /// Its villages and communities.
    pub villages: Vec<VillageShape>,
}

/// The size presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// One urban grid: 300 households, 3,000 visits, 300 contacts, 50 incidents.
    Small,
    /// The benchmark set (DESIGN.md §7): one community of 3,000 households in 8 grids,
    /// 30,000 visits, 3,000 contacts, 500 incidents.
    Standard,
    /// Ten times the standard set, over several communities and villages.
    Large,
    /// The demo county for `make run`: a 街道 with two communities and a 镇 with four
    /// villages; 1,200 households in 6 grids.
    Demo,
}

impl Preset {
    /// Parses `small`, `standard`, `large` or `demo`.
    pub fn from_name(name: &str) -> Option<Preset> {
        match name {
            "small" => Some(Preset::Small),
            "standard" => Some(Preset::Standard),
            "large" => Some(Preset::Large),
            "demo" => Some(Preset::Demo),
            _ => None,
        }
    }
}

/// Everything that decides the output. Same config, same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The seed of every random stream.
    pub seed: u64,
    /// "Today" in Asia/Shanghai: history ends at 18:00 on this day.
    pub base_date: NaiveDate,
    /// The county.
    pub county: &'static County,
    /// The townships and their villages.
    pub shape: Vec<TownshipShape>,
    /// Households, exactly.
    pub households: usize,
    /// Visits, exactly.
    pub visits: usize,
    /// Contact logs, exactly.
    pub contacts: usize,
    /// Incidents, exactly.
    pub incidents: usize,
    /// How many days of history the visits and contacts span.
    pub history_days: i64,
}

/// The default base date: 2026-11-27.
pub fn default_base_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a real date")
}

fn urban(weights: &[f64]) -> TownshipShape {
    TownshipShape {
        urban: true,
        villages: weights
            .iter()
            .map(|&weight| VillageShape {
                rural: false,
                weight,
            })
            .collect(),
    }
}

fn rural(weights: &[f64]) -> TownshipShape {
    TownshipShape {
        urban: false,
        villages: weights
            .iter()
            .map(|&weight| VillageShape {
                rural: true,
                weight,
            })
            .collect(),
    }
}

impl Config {
    /// A preset with seed 1, the default base date and 莲都区.
    pub fn preset(p: Preset) -> Config {
        let (shape, h, v, c, i) = match p {
            Preset::Small => (vec![urban(&[1.0])], 300, 3_000, 300, 50),
            Preset::Standard => (vec![urban(&[1.0])], 3_000, 30_000, 3_000, 500),
            Preset::Large => (
                vec![
                    urban(&[1.0, 1.0, 1.0, 1.0]),
                    urban(&[1.0, 1.0, 1.0]),
                    rural(&[0.2, 0.15, 0.25, 0.2, 0.15, 0.2, 0.25, 0.2]),
                    rural(&[0.2, 0.25, 0.15, 0.2, 0.2, 0.2]),
                ],
                30_000,
                300_000,
                30_000,
                5_000,
            ),
            Preset::Demo => (
                vec![urban(&[1.0, 1.0]), rural(&[0.7, 0.6, 0.65, 0.7])],
                1_200,
                7_200,
                800,
                150,
            ),
        };
        Config {
            seed: 1,
            base_date: default_base_date(),
            county: &COUNTIES[0],
            shape,
            households: h,
            visits: v,
            contacts: c,
            incidents: i,
            history_days: 365,
        }
    }

    /// The end of history: 18:00 Shanghai on the base date.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_shanghai(self.base_date.and_hms_opt(18, 0, 0).expect("18:00 exists"))
    }

    /// When the area tree, users and assignments were set up: two years before the base
    /// date.
    pub fn setup_time(&self) -> Timestamp {
        Timestamp(self.now().0 - 730 * 86_400_000)
    }

    /// The start of the visit history.
    pub fn history_start(&self) -> Timestamp {
        Timestamp(self.now().0 - self.history_days * 86_400_000)
    }

    /// The base year (ages are counted against it).
    pub fn base_year(&self) -> i64 {
        i64::from(chrono::Datelike::year(&self.base_date))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::preset(Preset::Standard)
    }
}
