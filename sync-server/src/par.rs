//! Loading many documents at once: a fallible function over a slice, on up to as many
//! threads as the machine has cores (scoped threads, no pool to keep). Console reads that
//! hydrate a whole grid use it; each call is already on tokio's blocking pool.

use crate::error::AppError;

/// Runs `f` over `items` in contiguous chunks of at least `per_thread` items, one thread
/// per chunk up to the number of cores, and returns the `Some` results in the items'
/// order. The first error is returned; a panicking thread is an internal error.
pub fn map<T, R>(
    items: &[T],
    per_thread: usize,
    f: impl Fn(&T) -> Result<Option<R>, AppError> + Sync,
) -> Result<Vec<R>, AppError>
where
    T: Sync,
    R: Send,
{
    let one = |chunk: &[T]| -> Result<Vec<R>, AppError> {
        let mut out = Vec::with_capacity(chunk.len());
        for item in chunk {
            if let Some(r) = f(item)? {
                out.push(r);
            }
        }
        Ok(out)
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len().div_ceil(per_thread.max(1))).max(1);
    if threads == 1 {
        return one(items);
    }
    let size = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| s.spawn(|| one(chunk)))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            let part = h
                .join()
                .map_err(|_| AppError::Internal("a document loader thread panicked".into()))?;
            out.extend(part?);
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_and_nones_are_left_out() {
        let items: Vec<u32> = (0..1_000).collect();
        let out = map(&items, 7, |&i| Ok((i % 3 != 0).then_some(i * 2))).unwrap();
        let want: Vec<u32> = items
            .iter()
            .filter(|i| *i % 3 != 0)
            .map(|i| i * 2)
            .collect();
        assert_eq!(out, want, "chunks are joined back in order");
    }

    #[test]
    fn the_first_error_is_returned() {
        let items: Vec<u32> = (0..100).collect();
        let e = map(&items, 1, |&i| {
            if i == 42 {
                Err(AppError::Internal(format!("item {i}")))
            } else {
                Ok(Some(i))
            }
        })
        .unwrap_err();
        assert!(
            matches!(e, AppError::Internal(ref m) if m == "item 42"),
            "{e:?}"
        );
    }
}
