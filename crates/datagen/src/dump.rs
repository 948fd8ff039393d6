//! The neutral JSON-lines dump (one object per line, each with a `"type"`), and its raw
//! and gzip level-6 sizes: the "floor" that wire-size benchmarks compare against.
//!
//! The format is documented field by field in `crates/datagen/DUMP_FORMAT.md`. Lines
//! come in a fixed order (meta, areas, users, …, incident events) and fields in struct
//! order, so the same dataset always dumps to the same bytes.

use std::io::{self, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use gridwalk_core::doc::household::TagSpan;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::model::{Dataset, Person};

/// The format tag written in the meta line.
pub const FORMAT: &str = "gridwalk-datagen/1";

/// Every line type, in dump order.
pub const LINE_TYPES: &[&str] = &[
    "meta",
    "area",
    "user",
    "device",
    "unit",
    "category",
    "assignment",
    "household",
    "household_private",
    "member",
    "visit",
    "contact",
    "incident",
    "incident_event",
];

#[derive(Serialize)]
struct Line<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    rec: &'a T,
}

#[derive(Serialize)]
struct Meta<'a> {
    format: &'static str,
    seed: u64,
    base_date: String,
    now_ms: i64,
    county: &'a str,
    county_code: &'a str,
    counts: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct MemberLine<'a> {
    #[serde(flatten)]
    person: &'a Person,
    id_masked: Option<String>,
}

#[derive(Serialize)]
struct PrivateLine<'a> {
    household_id: &'a str,
    special_tags: &'a BTreeMap<String, TagSpan>,
}

fn line<W: Write, T: Serialize>(out: &mut W, kind: &'static str, rec: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Line { kind, rec })?;
    out.write_all(b"\n")
}

/// Record counts by line type.
pub fn counts(ds: &Dataset) -> BTreeMap<&'static str, usize> {
    let mut c = BTreeMap::new();
    c.insert("area", ds.areas.len());
    c.insert("user", ds.users.len());
    c.insert("device", ds.devices.len());
    c.insert("unit", ds.units.len());
    c.insert("category", ds.categories.len());
    c.insert("assignment", ds.assignments.len());
    c.insert("household", ds.households.len());
    c.insert(
        "household_private",
        ds.households
            .iter()
            .filter(|h| !h.special_tags.is_empty())
            .count(),
    );
    c.insert("member", ds.people().count());
    c.insert("visit", ds.visits.len());
    c.insert("contact", ds.contacts.len());
    c.insert("incident", ds.incidents.len());
    c.insert("incident_event", ds.events().count());
    c
}

/// Writes the dump.
pub fn write<W: Write>(ds: &Dataset, mut out: W) -> io::Result<()> {
    let out = &mut out;
    let meta = Meta {
        format: FORMAT,
        seed: ds.config.seed,
        base_date: ds.config.base_date.to_string(),
        now_ms: ds.config.now().0,
        county: ds.config.county.name,
        county_code: ds.config.county.code,
        counts: counts(ds),
    };
    line(out, "meta", &meta)?;
    for a in &ds.areas {
        line(out, "area", a)?;
    }
    for u in &ds.users {
        line(out, "user", u)?;
    }
    for d in &ds.devices {
        line(out, "device", d)?;
    }
    for u in &ds.units {
        line(out, "unit", u)?;
    }
    for c in &ds.categories {
        line(out, "category", c)?;
    }
    for a in &ds.assignments {
        line(out, "assignment", a)?;
    }
    for h in &ds.households {
        line(out, "household", h)?;
    }
    for h in ds.households.iter().filter(|h| !h.special_tags.is_empty()) {
        let p = PrivateLine {
            household_id: &h.id,
            special_tags: &h.special_tags,
        };
        line(out, "household_private", &p)?;
    }
    for p in ds.people() {
        let m = MemberLine {
            person: p,
            id_masked: p.id_number.as_deref().map(gridwalk_core::identity::mask_id),
        };
        line(out, "member", &m)?;
    }
    for v in &ds.visits {
        line(out, "visit", v)?;
    }
    for c in &ds.contacts {
        line(out, "contact", c)?;
    }
    for i in &ds.incidents {
        line(out, "incident", i)?;
    }
    for e in ds.events() {
        line(out, "incident_event", e)?;
    }
    out.flush()
}

/// The dump as bytes.
pub fn to_bytes(ds: &Dataset) -> Vec<u8> {
    let mut buf = Vec::new();
    write(ds, &mut buf).expect("writing to memory cannot fail");
    buf
}

/// The gzip (level 6) size of some bytes.
pub fn gzip6_len(bytes: &[u8]) -> u64 {
    let mut enc = GzEncoder::new(Vec::new(), Compression::new(6));
    enc.write_all(bytes).expect("writing to memory cannot fail");
    enc.finish().expect("writing to memory cannot fail").len() as u64
}

/// The dump's size: (raw bytes, gzip level-6 bytes). The gzip figure is the floor for
/// wire-size comparisons (DESIGN.md §7).
pub fn sizes(ds: &Dataset) -> (u64, u64) {
    let bytes = to_bytes(ds);
    (bytes.len() as u64, gzip6_len(&bytes))
}
