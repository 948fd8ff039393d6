// Batch review logic, as pure functions: splitting a selection into requests of at most the
// server's limit, folding the per-item results into "done" and "failed" (with the server's
// reason), and the queue left after a batch (failed items stay, selected again).
import type { ErrorBody, ReviewItem, ReviewKey, ReviewResult } from '../types'

/** The most items one POST /reviews may carry (the contract's limit). */
export const MAX_BATCH = 500

export const keyOf = (i: { household_id: string; record_id: string }): string => `${i.household_id}/${i.record_id}`

/** Request bodies' item lists of at most `max` each, in selection order. */
export function chunks(items: ReviewKey[], max = MAX_BATCH): ReviewKey[][] {
  const out: ReviewKey[][] = []
  for (let i = 0; i < items.length; i += max) out.push(items.slice(i, i + max))
  return out
}

export interface BatchFailure { key: string; item: ReviewItem | null; error: ErrorBody }
export interface BatchOutcome { done: string[]; failed: BatchFailure[] }

/** Folds the results of one or more batch requests against the items that were sent. */
export function foldResults(sent: ReviewItem[], results: ReviewResult[]): BatchOutcome {
  const byKey = new Map(sent.map((i) => [keyOf(i), i]))
  const done: string[] = []
  const failed: BatchFailure[] = []
  const answered = new Set<string>()
  for (const r of results) {
    const k = keyOf(r)
    answered.add(k)
    if (r.ok) done.push(k)
    else failed.push({ key: k, item: byKey.get(k) ?? null, error: r.error ?? { code: 'unknown', message_zh: '', message_en: '' } })
  }
  for (const i of sent) {
    const k = keyOf(i)
    if (!answered.has(k)) failed.push({ key: k, item: i, error: { code: 'no_result', message_zh: '', message_en: '' } })
  }
  return { done, failed }
}

/** The queue after a batch: the items that went through leave it, the rest keep their order. */
export function remaining(items: ReviewItem[], outcome: BatchOutcome): ReviewItem[] {
  const done = new Set(outcome.done)
  return items.filter((i) => !done.has(keyOf(i)))
}
