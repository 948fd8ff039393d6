//! Integration tests of gridwalk-datagen: determinism, exact sizes, realism checks with
//! independent oracles, and privacy of the household document.

use std::collections::{BTreeMap, HashSet};

use gridwalk_core::doc::household::HouseholdDoc;
use gridwalk_core::doc::incident::IncidentDoc;
use gridwalk_core::doc::private::HouseholdPrivateDoc;
use gridwalk_core::doc::{DocKind, load};
use gridwalk_core::identity::{IdKind, mask_id, validate_id, validate_phone};
use gridwalk_core::reference::{CareTag, SpecialTag};
use gridwalk_datagen::names::{SurnameMix, surname_of, surname_table};
use gridwalk_datagen::{Config, Dataset, Preset, Summary, docs, dump, generate};

fn small(seed: u64) -> Config {
    let mut cfg = Config::preset(Preset::Small);
    cfg.seed = seed;
    cfg
}

fn standard() -> Dataset {
    generate(&Config::preset(Preset::Standard)).expect("the standard set generates")
}

/// GB 11643-1999 check character, written out independently of the crate under test.
fn gb11643_ok(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let expected = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    b[17] as char == expected
}

#[test]
fn the_same_seed_gives_identical_dump_bytes() {
    let a = dump::to_bytes(&generate(&small(42)).unwrap());
    let b = dump::to_bytes(&generate(&small(42)).unwrap());
    assert!(
        a == b,
        "two runs with seed 42 must dump byte for byte the same"
    );
}

#[test]
fn a_different_seed_gives_a_different_dataset() {
    let a = dump::to_bytes(&generate(&small(1)).unwrap());
    let b = dump::to_bytes(&generate(&small(2)).unwrap());
    assert_ne!(a, b, "seeds 1 and 2 must not produce the same data");
}

#[test]
fn the_standard_set_has_exactly_the_requested_counts() {
    let ds = standard();
    assert_eq!(ds.households.len(), 3_000, "households");
    assert_eq!(ds.visits.len(), 30_000, "visits");
    assert_eq!(ds.contacts.len(), 3_000, "contact logs");
    assert_eq!(ds.incidents.len(), 500, "incidents");
    let grids: HashSet<&str> = ds.households.iter().map(|h| h.grid_id.as_str()).collect();
    assert!(
        (6..=10).contains(&grids.len()),
        "3,000 urban households fill about 8 grids of 300–500, got {}",
        grids.len()
    );
    let roles: HashSet<_> = ds.users.iter().map(|u| u.role).collect();
    assert_eq!(roles.len(), 8, "users of all eight roles");
}

#[test]
fn every_generated_identity_number_and_phone_passes_the_validators() {
    let ds = standard();
    let mut kinds: BTreeMap<IdKind, usize> = BTreeMap::new();
    let mut people = 0;
    for p in ds.people() {
        people += 1;
        if let (Some(kind), Some(number)) = (p.id_kind, &p.id_number) {
            *kinds.entry(kind).or_default() += 1;
            assert_eq!(
                validate_id(kind, number).as_deref(),
                Ok(number.as_str()),
                "{number} must be a valid, already normalised {kind:?}"
            );
            if kind == IdKind::ResidentId {
                assert!(gb11643_ok(number), "{number}: GB 11643 check character");
                let year: i64 = number[6..10].parse().unwrap();
                assert_eq!(
                    Some(year),
                    p.birth_year,
                    "{number}: birth date matches birth_year"
                );
            }
        }
        if let Some(phone) = &p.phone {
            assert_eq!(
                validate_phone(phone).as_deref(),
                Ok(phone.as_str()),
                "{phone} must be a valid, already normalised phone"
            );
        }
    }
    for u in &ds.users {
        assert!(validate_phone(&u.phone).is_ok(), "user phone {}", u.phone);
    }
    let resident = kinds.get(&IdKind::ResidentId).copied().unwrap_or(0);
    assert!(
        resident as f64 > 0.85 * people as f64,
        "most people hold an 18-digit ID: {resident} of {people}"
    );
    for k in [IdKind::LegacyId, IdKind::HmtPermit, IdKind::Passport] {
        assert!(
            kinds.contains_key(&k),
            "some people hold a {k:?}: {kinds:?}"
        );
    }
    let lishui = ds
        .people()
        .filter(|p| p.id_kind == Some(IdKind::ResidentId))
        .filter(|p| {
            p.id_number
                .as_deref()
                .is_some_and(|n| n.starts_with("3311"))
        })
        .count();
    assert!(
        lishui as f64 > 0.8 * resident as f64,
        "most resident IDs carry a Lishui prefix"
    );
}

#[test]
fn surnames_follow_the_lishui_weights() {
    let ds = standard();
    let names: Vec<&str> = ds.people().filter_map(|p| surname_of(&p.name)).collect();
    let table = surname_table(SurnameMix::Lishui);
    let expected: BTreeMap<&str, f64> = table.shares().map(|(s, w)| (*s, w)).collect();
    let share = |s: &str| names.iter().filter(|n| **n == s).count() as f64 / names.len() as f64;
    let (top, top_w) = expected
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(s, w)| (*s, *w))
        .unwrap();
    let observed = share(top);
    assert!(
        (observed - top_w).abs() < 0.02,
        "the top surname {top} should hold about {:.1}% of people, got {:.1}%",
        top_w * 100.0,
        observed * 100.0
    );
    for s in ["叶", "吴", "雷", "蓝"] {
        let national: f64 = surname_table(SurnameMix::National)
            .shares()
            .find(|(n, _)| **n == s)
            .map(|(_, w)| w)
            .unwrap();
        assert!(
            share(s) > national * 1.5,
            "{s} is far more common in Lishui than nationally ({:.2}% vs {:.2}%)",
            share(s) * 100.0,
            national * 100.0
        );
    }
}

#[test]
fn special_group_tags_never_reach_the_household_document() {
    // Enough households for the 0.1–0.4% special-group rates to show up, few visits to
    // keep the documents quick to build.
    let mut cfg = small(7);
    cfg.households = 1_500;
    cfg.visits = 300;
    cfg.contacts = 100;
    cfg.incidents = 20;
    let ds = generate(&cfg).unwrap();
    let tagged: HashSet<&str> = ds
        .households
        .iter()
        .filter(|h| !h.special_tags.is_empty())
        .map(|h| h.id.as_str())
        .collect();
    assert!(
        !tagged.is_empty(),
        "the sample must hold some special-group households"
    );
    let mut seen_private = 0;
    for d in docs::build_live(&ds, 2).unwrap() {
        match d.kind {
            DocKind::Household => {
                let h: HouseholdDoc = load(&d.doc, 1).unwrap();
                for code in h.tags.value().unwrap().keys() {
                    assert!(
                        CareTag::from_code(code).is_some(),
                        "{code} in a household document"
                    );
                    assert!(
                        SpecialTag::from_code(code).is_none(),
                        "special tag {code} leaked"
                    );
                }
                for m in h.members.values() {
                    if let Some(Some(id)) = m.id_doc.value() {
                        assert!(
                            id.masked.contains('*'),
                            "only masked numbers: {}",
                            id.masked
                        );
                    }
                }
                let text = format!("{:?}", h.visits);
                for t in SpecialTag::ALL {
                    assert!(
                        !text.contains(t.label_zh()),
                        "a visit note names {}",
                        t.label_zh()
                    );
                }
            }
            DocKind::HouseholdPrivate => {
                let p: HouseholdPrivateDoc = load(&d.doc, 1).unwrap();
                if tagged.contains(p.household_id.as_str()) {
                    assert!(
                        !p.special_tags.value().unwrap().is_empty(),
                        "tags kept privately"
                    );
                    seen_private += 1;
                }
            }
            _ => {}
        }
    }
    assert_eq!(
        seen_private,
        tagged.len(),
        "every tagged household has its private document"
    );
}

#[test]
fn documents_agree_with_the_records() {
    let mut cfg = small(3);
    cfg.households = 60;
    cfg.visits = 300;
    cfg.contacts = 60;
    cfg.incidents = 40;
    let ds = generate(&cfg).unwrap();
    let built = docs::build_live(&ds, 2).unwrap();
    let states: BTreeMap<&str, &str> = ds
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i.state.as_str()))
        .collect();
    let masked: BTreeMap<&str, String> = ds
        .people()
        .filter_map(|p| p.id_number.as_deref().map(|n| (p.id.as_str(), mask_id(n))))
        .collect();
    let visits_of = |h: &str| ds.visits.iter().filter(|v| v.household_id == h).count();
    for d in &built {
        match d.kind {
            DocKind::Incident => {
                let i: IncidentDoc = load(&d.doc, 1).unwrap();
                let eff = gridwalk_core::incident::effective(&i);
                assert!(
                    eff.flagged.is_empty(),
                    "no event is illegal in a generated log"
                );
                assert_eq!(
                    eff.state.code(),
                    states[i.id.as_str()],
                    "recorded state of {}",
                    i.id
                );
            }
            DocKind::Household => {
                let h: HouseholdDoc = load(&d.doc, 1).unwrap();
                assert_eq!(
                    h.visits.len(),
                    visits_of(&h.id),
                    "every visit is in its household"
                );
                for m in h.members.values() {
                    let shown = m.id_doc.value().cloned().flatten().map(|i| i.masked);
                    assert_eq!(
                        shown.as_ref(),
                        masked.get(m.id.as_str()),
                        "masked ID of {}",
                        m.id
                    );
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_dump_line_is_json_with_a_known_type_and_the_meta_counts_add_up() {
    let ds = generate(&small(5)).unwrap();
    let bytes = dump::to_bytes(&ds);
    let text = String::from_utf8(bytes).expect("the dump is UTF-8");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut meta = None;
    for (n, line) in text.lines().enumerate() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {n} is not JSON: {e}"));
        let t = v["type"]
            .as_str()
            .unwrap_or_else(|| panic!("line {n} has no type"));
        assert!(
            dump::LINE_TYPES.contains(&t),
            "line {n} has an unknown type {t}"
        );
        if t == "meta" {
            assert_eq!(n, 0, "the meta line comes first");
            meta = Some(v.clone());
        } else {
            *seen.entry(t.to_string()).or_default() += 1;
        }
    }
    let meta = meta.expect("a meta line");
    for (t, n) in &seen {
        assert_eq!(
            meta["counts"][t].as_u64(),
            Some(*n as u64),
            "meta count of {t}"
        );
    }
    let (raw, gz) = dump::sizes(&ds);
    assert_eq!(raw as usize, text.len(), "raw size is the dump's length");
    assert!(gz < raw / 3, "JSON lines compress well: {gz} of {raw}");
}

#[test]
fn the_chinese_summary_names_every_level() {
    let ds = generate(&Config::preset(Preset::Demo)).unwrap();
    let s = Summary::of(&ds);
    assert_eq!(s.households, 1_200);
    assert_eq!(s.townships, 2, "the demo county has two townships");
    assert_eq!(s.grids, 6, "and six grids");
    let zh = s.summary_zh();
    for word in ["乡镇", "网格", "户数", "人口", "走访", "事件", "独居老人"] {
        assert!(zh.contains(word), "the summary mentions {word}:\n{zh}");
    }
}
