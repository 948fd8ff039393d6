//! Place names and standard addresses (一标三实).
//!
//! Urban: a residential compound at a road number, its buildings, units and rooms
//! (丽阳街88号3幢2单元301室: road 丽阳街, gate number 88, building 3, unit 2, floor 3,
//! room 01). Rural: a natural village and a house number (下岙自然村15号). Names are
//! built from the pieces southwest Zhejiang place names are made of (上/下, 岙, 坑, 垟,
//! 坞, 岭, 源, …), not copied from a gazetteer.

use gridwalk_core::doc::household::Address;
use rand::Rng;

use crate::sampling::one_of;

/// Road names of the kind found in central Lishui.
const ROADS: &[&str] = &[
    "丽阳街",
    "人民街",
    "解放街",
    "中山街",
    "大众街",
    "紫金路",
    "括苍路",
    "继光街",
    "囿山路",
    "灯塔街",
    "丽青路",
    "城北街",
    "大洋路",
    "花园路",
    "白云山路",
    "宁江路",
    "丽阳门路",
    "水阁路",
    "中东路",
    "府前街",
    "应星街",
    "天宁路",
    "好溪路",
    "万象路",
    "岩泉街",
    "三岩寺路",
    "寿尔福路",
    "丽沙路",
];

/// Community names (the 社区 suffix is added).
const COMMUNITIES: &[&str] = &[
    "万象", "紫金", "丽阳", "天宁", "囿山", "大洋", "城北", "白云", "应星", "中山", "继光", "府前",
    "水阁", "南明", "三岩", "花园", "好溪", "宁江", "丽青", "灯塔",
];

const PLACE_HEAD: &[&str] = &[
    "上", "下", "中", "外", "里", "前", "后", "大", "小", "新", "老", "东", "西", "南", "北", "高",
    "石", "竹", "茶", "樟", "松", "黄", "岩", "桥", "杨", "梅", "桃", "枫", "白",
];

const PLACE_TAIL: &[&str] = &[
    "岙", "坑", "垟", "坞", "岭", "源", "坪", "田", "湾", "溪", "山", "洋", "畈", "庄", "口", "头",
    "寮", "垄", "塘", "岗",
];

/// A place name such as 下岙, 石门坑, 樟树坪 or 叶家坞.
pub fn place_name<R: Rng>(rng: &mut R, surname: &str) -> String {
    match rng.random_range(0..10) {
        0..=5 => format!("{}{}", one_of(rng, PLACE_HEAD), one_of(rng, PLACE_TAIL)),
        6..=7 => format!(
            "{}{}{}",
            one_of(rng, PLACE_HEAD),
            one_of(rng, &["门", "树", "桥", "家", "水", "岩"]),
            one_of(rng, PLACE_TAIL)
        ),
        _ => format!(
            "{surname}{}",
            one_of(rng, &["家", "宅", "村", "家坞", "家岭", "家山"])
        ),
    }
}

/// `count` distinct place names, made by drawing until enough are unique.
pub fn distinct_places<R: Rng>(
    rng: &mut R,
    count: usize,
    surname: impl Fn(&mut R) -> String,
    taken: &mut std::collections::HashSet<String>,
) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    let mut tries = 0;
    while out.len() < count {
        let s = surname(rng);
        let mut name = place_name(rng, &s);
        tries += 1;
        if tries > 50 * (count + 10) {
            // The name space is large, but make sure generation always ends.
            name = format!("{name}{}", out.len() + 1);
        }
        if taken.insert(name.clone()) {
            out.push(name);
        }
    }
    out
}

/// A community name (…社区), distinct from those in `taken`.
pub fn community_name<R: Rng>(
    rng: &mut R,
    taken: &mut std::collections::HashSet<String>,
) -> String {
    for _ in 0..100 {
        let name = format!("{}社区", one_of(rng, COMMUNITIES));
        if taken.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("{}社区", taken.len() + 1);
    taken.insert(name.clone());
    name
}

/// Distinct roads for a community.
pub fn roads<R: Rng>(rng: &mut R, count: usize) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::with_capacity(count);
    while out.len() < count.min(ROADS.len()) {
        let r = *one_of(rng, ROADS);
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Chinese numerals for grid names (一 … 九十九).
pub fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

/// A building in an urban compound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Building {
    /// Road and gate number of the compound, e.g. 丽阳街88号.
    pub street: String,
    /// Building number.
    pub number: u32,
    /// Units (单元).
    pub units: u32,
    /// Floors.
    pub floors: u32,
    /// Rooms per floor in each unit.
    pub rooms_per_floor: u32,
}

impl Building {
    /// A building of a typical kind: an old six-storey walk-up, a mid-rise or a tower.
    pub fn random<R: Rng>(rng: &mut R, street: &str, number: u32) -> Building {
        let (units, floors, rooms) = match rng.random_range(0..10) {
            0..=4 => (rng.random_range(2..=3), 6, 2),
            5..=7 => (rng.random_range(1..=2), rng.random_range(11..=14), 2),
            _ => (
                rng.random_range(1..=2),
                rng.random_range(18..=26),
                rng.random_range(2..=4),
            ),
        };
        Building {
            street: street.to_string(),
            number,
            units,
            floors,
            rooms_per_floor: rooms,
        }
    }

    /// How many dwellings it has.
    pub fn capacity(&self) -> usize {
        (self.units * self.floors * self.rooms_per_floor) as usize
    }

    /// The micro-grid name: 丽阳街88号3幢.
    pub fn name(&self) -> String {
        format!("{}{}幢", self.street, self.number)
    }

    /// Every dwelling's address, unit by unit, floor by floor.
    pub fn addresses(&self) -> Vec<Address> {
        let mut out = Vec::with_capacity(self.capacity());
        for unit in 1..=self.units {
            for floor in 1..=self.floors {
                for room in 1..=self.rooms_per_floor {
                    out.push(Address {
                        street: Some(self.street.clone()),
                        building: Some(self.number.to_string()),
                        unit: Some(unit.to_string()),
                        room: Some(format!("{floor}{room:02}")),
                        natural_village: None,
                        number: None,
                    });
                }
            }
        }
        out
    }
}

/// A rural address: 下岙自然村15号.
pub fn rural_address(natural_village: &str, number: usize) -> Address {
    Address {
        street: None,
        building: None,
        unit: None,
        room: None,
        natural_village: Some(format!("{natural_village}自然村")),
        number: Some(number.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_urban_address_reads_as_a_standard_address() {
        let b = Building {
            street: "丽阳街88号".into(),
            number: 3,
            units: 2,
            floors: 6,
            rooms_per_floor: 2,
        };
        let all = b.addresses();
        assert_eq!(all.len(), 24);
        assert_eq!(all[16].display(), "丽阳街88号3幢2单元301室");
        assert_eq!(rural_address("下岙", 15).display(), "下岙自然村15号");
    }

    #[test]
    fn numerals_read_as_chinese() {
        assert_eq!(numeral(1), "一");
        assert_eq!(numeral(12), "十二");
        assert_eq!(numeral(30), "三十");
        assert_eq!(numeral(47), "四十七");
    }
}
