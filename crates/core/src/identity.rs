//! Identity documents and phone numbers: validation, normalisation and masking.
//!
//! An identity document is optional (newborns have none). Five kinds are accepted, each
//! with its own format check; see [`IdKind`]. Numbers are normalised before checking:
//! surrounding and inner whitespace removed, full-width characters (as typed by Chinese
//! input methods) folded to ASCII, letters upper-cased (so a trailing `x` becomes `X`).
//!
//! Masking follows DOMAIN.md "Privacy": the first 3 and last 4 characters stay visible.

use autosurgeon::{Hydrate, Reconcile};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::CoreError;

mod phone;

pub use phone::{mask_phone, validate_optional_phone, validate_phone};

/// The kind of an identity document.
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
pub enum IdKind {
    /// 居民身份证: 18 characters, GB 11643 (ISO 7064 MOD 11-2) check character, a mainland
    /// province code and a real birth date.
    ResidentId,
    /// 15-digit first-generation ID: a province code and a real `yyMMdd` birth date (19yy).
    LegacyId,
    /// 港澳台 documents: 港澳居民来往内地通行证 (`H`/`M` + 8 or 10 digits), 台湾居民来往大陆
    /// 通行证 (8 digits) or 港澳台居民居住证 (18 characters starting 810000 / 820000 /
    /// 830000, with the resident-ID check character and birth date).
    HmtPermit,
    /// A foreign passport: 5–17 letters and digits.
    Passport,
    /// 外国人永久居留身份证: the old 15-character card (3 letters + 12 digits) or the 2023
    /// 18-character card starting with `9`, checked like a resident ID.
    PermanentResidence,
}

impl IdKind {
    /// Every kind.
    pub const ALL: [IdKind; 5] = [
        IdKind::ResidentId,
        IdKind::LegacyId,
        IdKind::HmtPermit,
        IdKind::Passport,
        IdKind::PermanentResidence,
    ];

    /// The stable code, as in storage and in error messages.
    pub fn code(self) -> &'static str {
        match self {
            IdKind::ResidentId => "resident_id",
            IdKind::LegacyId => "legacy_id",
            IdKind::HmtPermit => "hmt_permit",
            IdKind::Passport => "passport",
            IdKind::PermanentResidence => "permanent_residence",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<IdKind> {
        IdKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Chinese name of the document.
    pub fn label_zh(self) -> &'static str {
        match self {
            IdKind::ResidentId => "居民身份证",
            IdKind::LegacyId => "15位旧身份证",
            IdKind::HmtPermit => "港澳台居民通行证/居住证",
            IdKind::Passport => "外国护照",
            IdKind::PermanentResidence => "外国人永久居留身份证",
        }
    }
}

/// Folds full-width ASCII to half-width, drops whitespace and upper-cases.
fn normalize(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Mainland province-level codes (the first two digits of a resident ID).
fn mainland_province(code: &str) -> bool {
    matches!(
        code.parse::<u32>(),
        Ok(11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65)
    )
}

/// The GB 11643 / ISO 7064 MOD 11-2 check character of 17 digits.
fn check_char(first17: &[u8]) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .iter()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

fn date(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The birth date in a number of the resident-ID layout (18 characters, `yyyyMMdd` at
/// positions 7–14; also residence permits and the 2023 permanent-residence card) or of a
/// 15-digit legacy ID (`yyMMdd` at 7–12, read as 19yy). Only the layout is looked at; the
/// check character is not verified. `None` if there is no real date there.
pub fn birth_date_of(number: &str) -> Option<NaiveDate> {
    let n = normalize(number);
    match n.len() {
        18 if n.get(..17).is_some_and(all_digits) => {
            let d = date(&n[6..10], &n[10..12], &n[12..14])?;
            (d.year() >= 1900).then_some(d)
        }
        15 if all_digits(&n) => date(&format!("19{}", &n[6..8]), &n[8..10], &n[10..12]),
        _ => None,
    }
}

/// Checks an 18-character number of the resident-ID layout: 17 digits, a correct check
/// character and a real birth date.
fn check_18(kind: IdKind, n: &str) -> Result<(), CoreError> {
    let err = |reason| CoreError::InvalidIdentity {
        kind: kind.code(),
        reason,
    };
    if n.len() != 18 || !n.get(..17).is_some_and(all_digits) {
        return Err(err("must be 17 digits and a check digit or X"));
    }
    if birth_date_of(n).is_none() {
        return Err(err("birth date"));
    }
    if n.as_bytes()[17] as char != check_char(&n.as_bytes()[..17]) {
        return Err(err("checksum"));
    }
    Ok(())
}

/// Validates an identity number for its declared kind; returns it normalised (trimmed,
/// inner spaces removed, full-width folded, upper-cased).
pub fn validate_id(kind: IdKind, number: &str) -> Result<String, CoreError> {
    let n = normalize(number);
    let err = |reason| CoreError::InvalidIdentity {
        kind: kind.code(),
        reason,
    };
    if n.is_empty() {
        return Err(err("empty"));
    }
    let alnum = n.bytes().all(|b| b.is_ascii_alphanumeric());
    match kind {
        IdKind::ResidentId => {
            if !n.is_ascii() || n.len() != 18 {
                return Err(err("must be 18 characters"));
            }
            if !mainland_province(&n[..2]) {
                return Err(err("region code"));
            }
            check_18(kind, &n)?;
        }
        IdKind::LegacyId => {
            if n.len() != 15 || !all_digits(&n) {
                return Err(err("must be 15 digits"));
            }
            if !mainland_province(&n[..2]) {
                return Err(err("region code"));
            }
            if birth_date_of(&n).is_none() {
                return Err(err("birth date"));
            }
        }
        IdKind::HmtPermit => {
            let ok = match n.len() {
                // 港澳居民来往内地通行证: H (Hong Kong) or M (Macau) + 8 or 10 digits.
                9 | 11 if n.starts_with(['H', 'M']) && all_digits(&n[1..]) => true,
                // 台湾居民来往大陆通行证: 8 digits.
                8 if all_digits(&n) => true,
                // 港澳台居民居住证: 810000 / 820000 / 830000 + resident-ID layout.
                18 if n.is_ascii() && ["810000", "820000", "830000"].contains(&&n[..6]) => {
                    check_18(kind, &n)?;
                    true
                }
                _ => false,
            };
            if !ok {
                return Err(err("not a travel permit or residence permit number"));
            }
        }
        IdKind::Passport => {
            if !alnum || !(5..=17).contains(&n.len()) {
                return Err(err("must be 5 to 17 letters and digits"));
            }
        }
        IdKind::PermanentResidence => match n.len() {
            15 if n.is_ascii() => {
                let (letters, digits) = n.split_at(3);
                if !letters.bytes().all(|b| b.is_ascii_uppercase()) || !all_digits(digits) {
                    return Err(err("old card: 3 letters and 12 digits"));
                }
                // yyMMdd at positions 8–13; the century is not written, so accept a
                // date that is real in either 19yy or 20yy.
                let (yy, mm, dd) = (&digits[4..6], &digits[6..8], &digits[8..10]);
                if date(&format!("19{yy}"), mm, dd).is_none()
                    && date(&format!("20{yy}"), mm, dd).is_none()
                {
                    return Err(err("birth date"));
                }
            }
            18 if n.starts_with('9') && n.is_ascii() => check_18(kind, &n)?,
            _ => return Err(err("must be the 15- or 18-character card number")),
        },
    }
    Ok(n)
}

/// Validates an optional identity document. `None`, or a blank number, is no document
/// (newborns have none) and gives `Ok(None)`; otherwise as [`validate_id`].
pub fn validate_optional_id(
    id: Option<(IdKind, &str)>,
) -> Result<Option<(IdKind, String)>, CoreError> {
    match id {
        Some((kind, number)) if !normalize(number).is_empty() => {
            Ok(Some((kind, validate_id(kind, number)?)))
        }
        _ => Ok(None),
    }
}

/// Keeps the first `head` and last `tail` characters, the rest as `*`. Strings too short
/// to hide anything that way keep only their last character (or nothing, if one or two
/// characters long).
fn mask_keep(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let (head, tail) = if n > head + tail {
        (head, tail)
    } else if n > 2 {
        (0, 1)
    } else {
        (0, 0)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i >= n - tail { *c } else { '*' })
        .collect()
}

/// Masks an identity number for display: the first 3 and last 4 characters visible, the
/// rest `*` (`331102199003071231` → `331***********1231`). A number of 7 characters or
/// fewer cannot keep 7 visible and keeps only its last character.
pub fn mask_id(number: &str) -> String {
    mask_keep(&normalize(number), 3, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(r: Result<String, CoreError>) -> &'static str {
        match r {
            Err(CoreError::InvalidIdentity { reason, .. }) => reason,
            other => panic!("expected an identity error, got {other:?}"),
        }
    }

    #[test]
    fn checksum_valid_resident_ids_pass_and_normalise() {
        for ok in [
            "331102199003071231",
            "11010519491231002X",
            "440304200002290612",
        ] {
            assert_eq!(
                validate_id(IdKind::ResidentId, ok).unwrap(),
                ok,
                "{ok} is valid"
            );
        }
        assert_eq!(
            validate_id(IdKind::ResidentId, " 33110219900307124x ").unwrap(),
            "33110219900307124X",
            "a lowercase x and spaces are normalised"
        );
        assert_eq!(
            validate_id(IdKind::ResidentId, "３３１１０２１９９００３０７１２３１").unwrap(),
            "331102199003071231",
            "full-width digits from a Chinese keyboard are folded"
        );
    }

    #[test]
    fn bad_resident_ids_say_why() {
        assert_eq!(
            reason(validate_id(IdKind::ResidentId, "331102199003071232")),
            "checksum"
        );
        // Feb 30 does not exist, whatever the check digit.
        assert_eq!(
            reason(validate_id(IdKind::ResidentId, "331102199002301230")),
            "birth date"
        );
        assert_eq!(
            reason(validate_id(IdKind::ResidentId, "991102199003071231")),
            "region code",
            "99 is no province"
        );
        assert_eq!(
            reason(validate_id(IdKind::ResidentId, "3311021990030712")),
            "must be 18 characters"
        );
        assert!(validate_id(IdKind::ResidentId, "").is_err());
        let e = validate_id(IdKind::ResidentId, "1").unwrap_err();
        assert!(matches!(
            e,
            CoreError::InvalidIdentity {
                kind: "resident_id",
                ..
            }
        ));
    }

    #[test]
    fn legacy_ids_need_a_real_19yy_birth_date() {
        assert_eq!(
            validate_id(IdKind::LegacyId, "331102900307123").unwrap(),
            "331102900307123"
        );
        assert_eq!(
            reason(validate_id(IdKind::LegacyId, "331102900230123")),
            "birth date"
        );
        assert_eq!(
            birth_date_of("331102900307123"),
            NaiveDate::from_ymd_opt(1990, 3, 7)
        );
    }

    #[test]
    fn hmt_permits_accept_the_three_documents() {
        for ok in [
            "H12345678",
            "M1234567890",
            "12345678",
            "810000199001011230",
            "820000198512124568",
        ] {
            assert!(
                validate_id(IdKind::HmtPermit, ok).is_ok(),
                "{ok} is a valid permit"
            );
        }
        assert_eq!(
            validate_id(IdKind::HmtPermit, "h12345678").unwrap(),
            "H12345678"
        );
        assert_eq!(
            reason(validate_id(IdKind::HmtPermit, "830000197708087891")),
            "checksum"
        );
        assert!(
            validate_id(IdKind::HmtPermit, "X12345678").is_err(),
            "only H or M"
        );
        assert!(
            validate_id(IdKind::HmtPermit, "331102199003071231").is_err(),
            "a mainland ID"
        );
    }

    #[test]
    fn passports_and_permanent_residence_cards() {
        assert_eq!(
            validate_id(IdKind::Passport, "e1234567").unwrap(),
            "E1234567"
        );
        assert!(validate_id(IdKind::Passport, "AB12").is_err(), "too short");
        assert!(
            validate_id(IdKind::Passport, "AB-1234").is_err(),
            "not alphanumeric"
        );
        assert!(validate_id(IdKind::PermanentResidence, "USA330085061501").is_ok());
        assert!(
            validate_id(IdKind::PermanentResidence, "USA330085023001").is_err(),
            "Feb 30"
        );
        assert!(validate_id(IdKind::PermanentResidence, "933840198506150017").is_ok());
        assert_eq!(
            reason(validate_id(
                IdKind::PermanentResidence,
                "933840198506150018"
            )),
            "checksum"
        );
        assert!(
            validate_id(IdKind::PermanentResidence, "331102199003071231").is_err(),
            "needs a 9"
        );
    }

    #[test]
    fn an_identity_document_is_optional() {
        assert_eq!(validate_optional_id(None).unwrap(), None);
        assert_eq!(
            validate_optional_id(Some((IdKind::ResidentId, "  "))).unwrap(),
            None
        );
        assert!(validate_optional_id(Some((IdKind::ResidentId, "123"))).is_err());
        assert_eq!(
            validate_optional_id(Some((IdKind::Passport, "e1234567"))).unwrap(),
            Some((IdKind::Passport, "E1234567".to_string()))
        );
    }

    #[test]
    fn kind_codes_are_stable_and_serde_uses_them() {
        for k in IdKind::ALL {
            assert_eq!(IdKind::from_code(k.code()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.code())
            );
        }
    }

    #[test]
    fn masking_keeps_the_first_three_and_last_four() {
        assert_eq!(mask_id("331102199003071231"), "331***********1231");
        assert_eq!(mask_id("E1234567"), "E12*4567");
        assert_eq!(
            mask_id("H1234"),
            "****4",
            "a short number keeps only its last character"
        );
    }
}
