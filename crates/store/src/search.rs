//! Household search by name, address, phone (or its tail) and tag label, Chinese included.
//!
//! The query is split on whitespace; every term must match. A term of three characters
//! or more goes to the FTS5 trigram index (`household_fts MATCH`), which finds any
//! substring of three or more characters, CJK included ("丽阳街", "5678"). A shorter term
//! ("王", "丽阳") cannot form a trigram, so it is matched with `LIKE '%term%'` over the
//! same columns; on 3,000 households that scan stays in the millisecond range.

use crate::persist::{HOUSEHOLD_COLS, household_from_row};
use crate::rows::HouseholdRow;
use crate::{Store, StoreError};

/// The FTS5 phrase for a term: quoted, with quotes doubled, so no term is read as syntax.
fn phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// A LIKE pattern matching `term` anywhere, with `%`, `_` and `\` escaped.
fn like_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl Store {
    /// Live households matching every term of `q`, best match first (then by address).
    pub fn search(&self, q: &str, limit: usize) -> Result<Vec<HouseholdRow>, StoreError> {
        let terms: Vec<&str> = q.split_whitespace().collect();
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let (long, short): (Vec<&str>, Vec<&str>) =
            terms.into_iter().partition(|t| t.chars().count() >= 3);
        let cols: Vec<String> = HOUSEHOLD_COLS
            .split(',')
            .map(|c| format!("h.{}", c.trim()))
            .collect();
        let mut sql = format!(
            "SELECT {} FROM household_fts f JOIN households h ON h.id = f.household_id \
             WHERE h.deleted_at IS NULL",
            cols.join(", ")
        );
        let mut args: Vec<String> = Vec::new();
        if !long.is_empty() {
            args.push(long.iter().map(|t| phrase(t)).collect::<Vec<_>>().join(" "));
            sql.push_str(&format!(" AND household_fts MATCH ?{}", args.len()));
        }
        for t in &short {
            args.push(like_pattern(t));
            let n = args.len();
            sql.push_str(&format!(
                " AND (f.names LIKE ?{n} ESCAPE '\\' OR f.address LIKE ?{n} ESCAPE '\\' \
                 OR f.phones LIKE ?{n} ESCAPE '\\' OR f.tags LIKE ?{n} ESCAPE '\\')"
            ));
        }
        sql.push_str(if long.is_empty() {
            " ORDER BY h.address, h.id"
        } else {
            " ORDER BY f.rank, h.address, h.id"
        });
        args.push(limit.to_string());
        sql.push_str(&format!(" LIMIT CAST(?{} AS INTEGER)", args.len()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), household_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_text_is_never_read_as_fts_or_like_syntax() {
        assert_eq!(phrase("a\"b"), "\"a\"\"b\"");
        assert_eq!(like_pattern("5%_"), "%5\\%\\_%");
    }
}
