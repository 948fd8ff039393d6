//! Phone numbers: validation, normalisation and masking (mobiles and landlines with an
//! area code), as DOMAIN.md "Records" and "Privacy" ask.

use super::{all_digits, mask_keep, normalize};
use crate::CoreError;

/// Masks a phone number for display. A mobile number keeps its first 3 and last 4
/// digits (`138****5678`); a landline keeps its area code, the last 4 digits of the
/// local number and any extension (`0578-***3456`). Anything unparseable is masked as an
/// identity number is.
pub fn mask_phone(p: &str) -> String {
    match validate_phone(p) {
        Ok(n) if n.starts_with('1') => mask_keep(&n, 3, 4),
        Ok(n) => {
            let mut parts = n.splitn(3, '-');
            let area = parts.next().unwrap_or_default();
            let local = parts.next().unwrap_or_default();
            let mut out = format!("{area}-{}", mask_keep(local, 0, 4));
            if let Some(ext) = parts.next() {
                out.push('-');
                out.push_str(ext);
            }
            out
        }
        Err(_) => mask_keep(&normalize(p), 3, 4),
    }
}

/// The length of a Chinese area code including its leading 0: 010 and 02x are 3 digits,
/// every other area code 4.
fn area_len(digits: &str) -> usize {
    match digits.as_bytes().get(1) {
        Some(b'1' | b'2') => 3,
        _ => 4,
    }
}

fn is_mobile(d: &str) -> bool {
    d.len() == 11 && all_digits(d) && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9')
}

/// Validates a phone number and returns it normalised: a mobile number as 11 digits
/// (`13812345678`), a landline as `area-local` or `area-local-ext` (`0578-2123456`).
///
/// Accepted: mobiles `1[3-9]` + 9 digits, optionally prefixed `+86`, `0086` or `86` and
/// written with spaces or dashes; landlines with an area code (`0` + 2–3 digits, where
/// 010 and 02x are the three-digit ones) and a 7–8 digit local number not starting with 0
/// or 1, written `0578-2123456`, `05782123456`, `(0578)2123456` or `+86 578 2123456`, with
/// an optional extension after `-` or `转` (1–6 digits). Rejected: a landline without its
/// area code, short service numbers (12345, 96345) and anything else.
pub fn validate_phone(raw: &str) -> Result<String, CoreError> {
    let s = normalize(raw).replace('(', "").replace([')', '转'], "-");
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let intl = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .map(str::to_string);
    if let Some(rest) = &intl {
        if is_mobile(rest) {
            return Ok(rest.clone());
        }
    } else if is_mobile(&digits) {
        return Ok(digits);
    } else if let Some(rest) = digits.strip_prefix("86")
        && is_mobile(rest)
    {
        return Ok(rest.to_string());
    }
    // A landline. Segments split on dashes; an international prefix drops the trunk 0.
    let mut segs: Vec<String> = s
        .split('-')
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    if intl.is_some() {
        let first = segs.first_mut().ok_or(CoreError::InvalidPhone)?;
        let stripped = first
            .strip_prefix("+86")
            .or_else(|| first.strip_prefix("0086"))
            .ok_or(CoreError::InvalidPhone)?
            .to_string();
        *first = format!("0{stripped}");
        if first == "0" {
            segs.remove(0);
            let next = segs.first_mut().ok_or(CoreError::InvalidPhone)?;
            *next = format!("0{next}");
        }
    }
    if segs.iter().any(|p| !all_digits(p)) {
        return Err(CoreError::InvalidPhone);
    }
    let first = segs.first().ok_or(CoreError::InvalidPhone)?;
    if !first.starts_with('0') {
        return Err(CoreError::InvalidPhone);
    }
    let alen = area_len(first);
    let (area, local, ext) = if first.len() == alen {
        (first.clone(), segs.get(1).cloned(), segs.get(2).cloned())
    } else {
        let (a, l) = first.split_at(alen.min(first.len()));
        (a.to_string(), Some(l.to_string()), segs.get(1).cloned())
    };
    let extra = if first.len() == alen { 3 } else { 2 };
    let local = local.ok_or(CoreError::InvalidPhone)?;
    if segs.len() > extra
        || !(7..=8).contains(&local.len())
        || !matches!(local.as_bytes()[0], b'2'..=b'9')
        || ext.as_ref().is_some_and(|e| e.len() > 6)
    {
        return Err(CoreError::InvalidPhone);
    }
    Ok(match ext {
        Some(e) => format!("{area}-{local}-{e}"),
        None => format!("{area}-{local}"),
    })
}

/// Validates an optional phone: blank gives `Ok(None)`, otherwise as [`validate_phone`].
pub fn validate_optional_phone(raw: &str) -> Result<Option<String>, CoreError> {
    if normalize(raw).is_empty() {
        Ok(None)
    } else {
        validate_phone(raw).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_the_first_three_and_last_four_or_the_area_code() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("+86 138-1234-5678"), "138****5678");
        assert_eq!(mask_phone("0578-2123456"), "0578-***3456");
        assert_eq!(mask_phone("021-87654321-801"), "021-****4321-801");
    }

    #[test]
    fn mobiles_normalise_with_or_without_the_country_code() {
        for raw in [
            "13812345678",
            "+8613812345678",
            "86 138 1234 5678",
            "138-1234-5678",
            "0086 13812345678",
        ] {
            assert_eq!(
                validate_phone(raw).unwrap(),
                "13812345678",
                "{raw} is a mobile"
            );
        }
        assert!(
            validate_phone("12812345678").is_err(),
            "12x is no mobile prefix"
        );
        assert!(validate_phone("1381234567").is_err(), "10 digits");
    }

    #[test]
    fn landlines_need_an_area_code() {
        assert_eq!(validate_phone("0578-2123456").unwrap(), "0578-2123456");
        assert_eq!(validate_phone("05782123456").unwrap(), "0578-2123456");
        assert_eq!(validate_phone("(0578)2123456").unwrap(), "0578-2123456");
        assert_eq!(validate_phone("021-87654321").unwrap(), "021-87654321");
        assert_eq!(validate_phone("01087654321").unwrap(), "010-87654321");
        assert_eq!(
            validate_phone("0578-2123456-801").unwrap(),
            "0578-2123456-801"
        );
        assert_eq!(
            validate_phone("0578-2123456转801").unwrap(),
            "0578-2123456-801"
        );
        assert_eq!(validate_phone("+86 578 2123456").unwrap(), "0578-2123456");
        assert_eq!(validate_phone("+86-21-87654321").unwrap(), "021-87654321");
        assert_eq!(
            validate_phone("2123456"),
            Err(CoreError::InvalidPhone),
            "no area code"
        );
        assert!(
            validate_phone("12345").is_err(),
            "a hotline is no one's phone"
        );
        assert!(
            validate_phone("0578-0123456").is_err(),
            "local numbers never start with 0"
        );
        assert!(validate_phone("0578-21234").is_err(), "too short");
        assert!(validate_phone("").is_err());
        assert_eq!(validate_optional_phone(" ").unwrap(), None);
    }
}
