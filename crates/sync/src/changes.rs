//! Splitting an outbox row's concatenated change bytes back into single changes.
//!
//! The store keeps one outbox row per user action, with its changes concatenated (that is
//! what `load_incremental` takes). The protocol pushes each change on its own, exactly as
//! `Change::raw_bytes()` gives it, so the engine splits the row at the chunk boundaries
//! of Automerge's storage format: 4 magic bytes, a 4-byte checksum, a 1-byte chunk type,
//! an unsigned LEB128 length, then that many bytes. Nothing is decoded or re-encoded, so
//! the hashes stay exactly the ones the outbox recorded.

/// The magic bytes every Automerge chunk starts with.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// The bytes are not a sequence of whole Automerge chunks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("outbox change bytes are not whole Automerge chunks (at byte {0})")]
pub struct SplitError(pub usize);

/// Splits concatenated Automerge chunks into one slice per chunk, in order.
pub fn split_chunks(bytes: &[u8]) -> Result<Vec<&[u8]>, SplitError> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        if rest.len() < 9 || rest[..4] != MAGIC {
            return Err(SplitError(at));
        }
        let (len, leb) = read_uleb(&rest[9..]).ok_or(SplitError(at))?;
        let end = 9usize
            .checked_add(leb)
            .and_then(|n| n.checked_add(len))
            .filter(|&n| n <= rest.len())
            .ok_or(SplitError(at))?;
        out.push(&rest[..end]);
        at += end;
    }
    Ok(out)
}

/// Reads an unsigned LEB128 number; returns it and how many bytes it took.
fn read_uleb(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return usize::try_from(value).ok().map(|v| (v, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    #[test]
    fn concatenated_changes_split_back_into_the_exact_changes_with_their_hashes() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "a", 1).unwrap();
        doc.commit();
        // A long value makes Automerge compress the change: the other chunk type.
        doc.put(ROOT, "b", "长".repeat(2_000)).unwrap();
        doc.commit();
        doc.put(ROOT, "c", 3).unwrap();
        doc.commit();
        let changes: Vec<automerge::Change> = doc.get_changes(&[]);
        let mut joined = Vec::new();
        for c in &changes {
            joined.extend_from_slice(c.raw_bytes());
        }
        let parts = split_chunks(&joined).unwrap();
        assert_eq!(parts.len(), 3, "one slice per change");
        for (part, change) in parts.iter().zip(&changes) {
            assert_eq!(*part, change.raw_bytes(), "the bytes are not re-encoded");
            let parsed = automerge::Change::from_bytes(part.to_vec()).unwrap();
            assert_eq!(parsed.hash(), change.hash(), "so the hash is the outbox's");
        }
    }

    #[test]
    fn truncated_or_foreign_bytes_are_refused_not_sent() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "a", 1).unwrap();
        doc.commit();
        let bytes = doc.get_changes(&[])[0].raw_bytes().to_vec();
        assert_eq!(
            split_chunks(&bytes[..bytes.len() - 1]),
            Err(SplitError(0)),
            "a truncated change is not a change"
        );
        assert_eq!(split_chunks(b"not automerge"), Err(SplitError(0)));
        assert_eq!(
            split_chunks(&[]).unwrap().len(),
            0,
            "nothing splits into nothing"
        );
    }
}
