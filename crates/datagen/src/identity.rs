//! Synthetic identity documents and phone numbers in the real formats.
//!
//! - Resident IDs (GB 11643): a region code (mostly Lishui's 3311xx), the birth date,
//!   a three-digit sequence whose last digit is odd for men and even for women, and the
//!   ISO 7064 MOD 11-2 check character.
//! - Legacy 15-digit IDs: region code, `yyMMdd`, sequence; only for people born before
//!   1985 who never replaced the first-generation card.
//! - 港澳台 documents: home-return permits (`H`/`M` + 8 digits), Taiwan compatriot
//!   permits (8 digits), and the 18-character residence permit (810000/820000/830000).
//! - Foreign passports and the 2023 18-character permanent-residence card (starting 9).
//! - Phones: mobiles `1[3-9]` + 9 digits with real operator prefixes, and Lishui
//!   landlines `0578-` + a 7-digit local number.
//!
//! None of these numbers belongs to a real person except by coincidence.

use chrono::NaiveDate;
use gridwalk_core::identity::IdKind;
use rand::Rng;

use crate::names::Sex;
use crate::sampling::{Weighted, one_of};

/// The Lishui county codes (3311xx).
pub const LISHUI_CODES: &[&str] = &[
    "331102", "331121", "331122", "331123", "331124", "331125", "331126", "331127", "331181",
];

/// Region codes of migrants' home places (other Zhejiang cities, Jiangxi, Fujian,
/// Anhui, Guizhou, Sichuan, Henan).
const MIGRANT_CODES: &[&str] = &[
    "330102", "330302", "330702", "362502", "361102", "350702", "341122", "520201", "510722",
    "411522",
];

/// The GB 11643 check character of the first 17 digits. An independent copy of the rule
/// lives in the integration tests as an oracle.
pub fn check_char(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// A random real date in `year`.
pub fn birth_date<R: Rng>(rng: &mut R, year: i64) -> NaiveDate {
    let year = year as i32;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a real year");
    let days = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    };
    first + chrono::Duration::days(rng.random_range(0..days))
}

fn sequence<R: Rng>(rng: &mut R, sex: Sex) -> u32 {
    let base = rng.random_range(0..50u32) * 2;
    let seq = rng.random_range(0..10u32) * 100 + base;
    match sex {
        Sex::Male => seq | 1,
        Sex::Female => seq & !1,
    }
}

/// An 18-digit resident ID for `region` (6 digits), born on `born`.
pub fn resident_id<R: Rng>(rng: &mut R, region: &str, born: NaiveDate, sex: Sex) -> String {
    let first17 = format!("{region}{}{:03}", born.format("%Y%m%d"), sequence(rng, sex));
    let check = check_char(&first17);
    format!("{first17}{check}")
}

/// A 15-digit legacy ID (`yyMMdd`), for someone born in the 1900s.
pub fn legacy_id<R: Rng>(rng: &mut R, region: &str, born: NaiveDate, sex: Sex) -> String {
    format!("{region}{}{:03}", born.format("%y%m%d"), sequence(rng, sex))
}

/// The region code of someone's resident ID: local, elsewhere in Lishui, or a migrant's.
pub fn region_code<R: Rng>(rng: &mut R, local: &str, migrant: bool) -> String {
    let roll: f64 = rng.random();
    if migrant {
        if roll < 0.3 {
            one_of(rng, LISHUI_CODES).to_string()
        } else {
            one_of(rng, MIGRANT_CODES).to_string()
        }
    } else if roll < 0.86 {
        local.to_string()
    } else if roll < 0.97 {
        one_of(rng, LISHUI_CODES).to_string()
    } else {
        one_of(rng, MIGRANT_CODES).to_string()
    }
}

/// A 港澳台 document: a home-return permit, a Taiwan permit or a residence permit.
pub fn hmt_permit<R: Rng>(rng: &mut R, born: NaiveDate, sex: Sex) -> String {
    match rng.random_range(0..10) {
        0..=3 => {
            let letter = if rng.random_bool(0.7) { 'H' } else { 'M' };
            format!("{letter}{:08}", rng.random_range(0..100_000_000u32))
        }
        4..=6 => format!("{:08}", rng.random_range(0..100_000_000u32)),
        _ => {
            let region = one_of(rng, &["810000", "820000", "830000"]);
            resident_id(rng, region, born, sex)
        }
    }
}

/// A foreign passport number: one or two letters and seven or eight digits (Italian,
/// Spanish, French and Korean passports look like this).
pub fn passport<R: Rng>(rng: &mut R) -> String {
    let letters = ["YA", "YB", "PA", "AA", "E", "M", "K", "XD"];
    let prefix = one_of(rng, &letters);
    format!("{prefix}{:07}", rng.random_range(0..10_000_000u32))
}

/// The 2023 permanent-residence card: 9, province 33, a three-digit country code, the
/// birth date, a three-digit sequence and the GB 11643 check character.
pub fn permanent_residence<R: Rng>(rng: &mut R, born: NaiveDate) -> String {
    let country = one_of(rng, &["380", "724", "250", "410", "840"]);
    let first17 = format!(
        "933{country}{}{:03}",
        born.format("%Y%m%d"),
        rng.random_range(0..1000u32)
    );
    let check = check_char(&first17);
    format!("{first17}{check}")
}

/// Who a person is, for choosing a document.
#[derive(Debug, Clone, Copy)]
pub struct IdProfile<'a> {
    /// Year of birth.
    pub birth_year: i64,
    /// Sex.
    pub sex: Sex,
    /// The base year (age = base_year − birth_year).
    pub base_year: i64,
    /// The county's region code.
    pub local_region: &'a str,
    /// A migrant tenant rather than a local resident.
    pub migrant: bool,
}

/// The document a person holds, if any: mostly an 18-digit ID; none for many babies
/// and some children; rarely a legacy card, a 港澳台 permit or a foreign document.
pub fn identity_for<R: Rng>(rng: &mut R, p: &IdProfile) -> Option<(IdKind, String)> {
    let age = p.base_year - p.birth_year;
    let none = match age {
        ..=0 => 0.7,
        1..=5 => 0.3,
        6..=15 => 0.12,
        _ => 0.008,
    };
    if rng.random_bool(none) {
        return None;
    }
    let born = birth_date(rng, p.birth_year);
    let legacy = if p.birth_year < 1985 { 1.5 } else { 0.0 };
    let foreign = if age >= 16 { 1.0 } else { 0.2 };
    let kinds = Weighted::new([
        (IdKind::ResidentId, 96.0),
        (IdKind::LegacyId, legacy),
        (IdKind::HmtPermit, 1.2 * foreign),
        (IdKind::Passport, 0.5 * foreign),
        (IdKind::PermanentResidence, 0.15 * foreign),
    ]);
    let kind = *kinds.pick(rng);
    let number = match kind {
        IdKind::ResidentId => {
            let region = region_code(rng, p.local_region, p.migrant);
            resident_id(rng, &region, born, p.sex)
        }
        IdKind::LegacyId => legacy_id(rng, p.local_region, born, p.sex),
        IdKind::HmtPermit => hmt_permit(rng, born, p.sex),
        IdKind::Passport => passport(rng),
        IdKind::PermanentResidence => permanent_residence(rng, born),
    };
    Some((kind, number))
}

/// Mobile prefixes of China Mobile, Unicom and Telecom, roughly by subscriber share.
const MOBILE_PREFIXES: &[(&str, f64)] = &[
    ("134", 2.0),
    ("135", 5.0),
    ("136", 5.0),
    ("137", 5.0),
    ("138", 6.0),
    ("139", 6.0),
    ("147", 1.0),
    ("150", 3.0),
    ("151", 3.0),
    ("152", 3.0),
    ("157", 2.0),
    ("158", 4.0),
    ("159", 4.0),
    ("182", 2.0),
    ("187", 3.0),
    ("188", 2.0),
    ("198", 2.0),
    ("130", 3.0),
    ("131", 2.0),
    ("132", 2.0),
    ("155", 2.0),
    ("156", 2.0),
    ("185", 2.0),
    ("186", 3.0),
    ("176", 1.0),
    ("133", 2.0),
    ("153", 2.0),
    ("180", 2.0),
    ("181", 2.0),
    ("189", 3.0),
    ("177", 1.0),
    ("199", 2.0),
];

/// A mobile number.
pub fn mobile<R: Rng>(rng: &mut R) -> String {
    let prefixes = Weighted::new(MOBILE_PREFIXES.iter().copied());
    format!(
        "{}{:08}",
        prefixes.pick(rng),
        rng.random_range(0..100_000_000u32)
    )
}

/// A Lishui landline: area code 0578 and a 7-digit local number whose first digit
/// follows the county (2 for 莲都, 6 for 青田, 3 for 缙云, …).
pub fn landline<R: Rng>(rng: &mut R, local_digit: char) -> String {
    format!("0578-{local_digit}{:06}", rng.random_range(0..1_000_000u32))
}

/// A phone for a person: none for children, landlines for some of the elderly, mobiles
/// for nearly everyone else.
pub fn phone_for<R: Rng>(rng: &mut R, age: i64, local_digit: char) -> Option<String> {
    let (none, landline_share) = match age {
        ..=11 => (1.0, 0.0),
        12..=17 => (0.5, 0.0),
        18..=64 => (0.04, 0.03),
        65..=79 => (0.2, 0.25),
        _ => (0.4, 0.45),
    };
    if rng.random_bool(none) {
        None
    } else if rng.random_bool(landline_share) {
        Some(landline(rng, local_digit))
    } else {
        Some(mobile(rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_character_matches_the_published_example() {
        // The example from GB 11643-1999 itself.
        assert_eq!(check_char("11010519491231002"), 'X');
    }
}
