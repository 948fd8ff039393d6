//! The per-grid cursor: opaque text to the device, two modes to the server.
//!
//! - `f:<seq>` — feed mode: the device has applied every entry of the grid's feed up to
//!   `seq`.
//! - `s:<high_water>:<last doc id>` — first sync in progress: snapshots of the grid's
//!   documents are being served in id order; `last` is the last one sent (empty at the
//!   start), and `high_water` is the grid's feed seq when the first sync began. When the
//!   snapshots are done the cursor becomes `f:<high_water>`, so every change stored after
//!   the start is delivered from the feed (a change already in a snapshot is a no-op).

/// A parsed cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// Feed mode, after this seq.
    Feed(i64),
    /// First sync: (high water at start, last document id sent).
    FirstSync(i64, String),
}

impl Cursor {
    /// Parses a cursor; `None` for text this server never issued.
    pub fn parse(s: &str) -> Option<Cursor> {
        if let Some(n) = s.strip_prefix("f:") {
            return n.parse().ok().filter(|n| *n >= 0).map(Cursor::Feed);
        }
        let rest = s.strip_prefix("s:")?;
        let (hw, last) = rest.split_once(':')?;
        Some(Cursor::FirstSync(
            hw.parse().ok().filter(|n| *n >= 0)?,
            last.to_string(),
        ))
    }

    /// The text form.
    pub fn text(&self) -> String {
        match self {
            Cursor::Feed(n) => format!("f:{n}"),
            Cursor::FirstSync(hw, last) => format!("s:{hw}:{last}"),
        }
    }

    /// The feed seq the device is known to have seen (for the grace rule).
    pub fn seen_seq(&self) -> i64 {
        match self {
            Cursor::Feed(n) | Cursor::FirstSync(n, _) => *n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        for c in [
            Cursor::Feed(0),
            Cursor::Feed(42),
            Cursor::FirstSync(7, String::new()),
            Cursor::FirstSync(7, "0192:private".into()),
        ] {
            assert_eq!(Cursor::parse(&c.text()), Some(c.clone()));
        }
        assert_eq!(Cursor::parse("x"), None);
        assert_eq!(Cursor::parse("f:-1"), None, "seqs are never negative");
    }
}
