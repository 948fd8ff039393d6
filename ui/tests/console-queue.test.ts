// Review queue logic: the j/k/a/r keys (ignored while typing or with a modifier), moving the
// selection, splitting a batch approval into requests the server accepts, folding per-item
// results (one failure never hides the rest) and incident action forms.
import { describe, expect, it } from 'vitest'
import { moveIndex, queueCommand } from '../src/console/lib/keys'
import { MAX_BATCH, chunks, foldResults, keyOf, remaining } from '../src/console/lib/batch'
import { actionRequest, missingFields } from '../src/console/lib/actions'
import { MemoryConsoleBackend } from '../src/console/backend/memory'
import type { ReviewItem } from '../src/console/types'

describe('queue keys', () => {
  it('maps j, k, a and r to move down, move up, approve and return', () => {
    expect(['j', 'k', 'a', 'r', 'x', 'J'].map((key) => queueCommand({ key }))).toEqual(['next', 'prev', 'approve', 'return', null, null])
  })

  it('ignores keys typed into inputs, text areas, selects and editable elements', () => {
    const input = document.createElement('input')
    const area = document.createElement('textarea')
    const div = document.createElement('div')
    div.contentEditable = 'true'
    Object.defineProperty(div, 'isContentEditable', { value: true })
    for (const target of [input, area, div]) expect(queueCommand({ key: 'a', target }), target.tagName).toBeNull()
    expect(queueCommand({ key: 'a', target: document.body }), 'a key on the page still approves').toBe('approve')
  })

  it('ignores shortcuts held with ctrl, meta or alt (browser copy, select-all, …)', () => {
    expect(queueCommand({ key: 'a', ctrlKey: true })).toBeNull()
    expect(queueCommand({ key: 'r', metaKey: true })).toBeNull()
    expect(queueCommand({ key: 'j', altKey: true })).toBeNull()
  })

  it('moves the selection within the list and never past its ends', () => {
    expect(moveIndex(0, 3, 1)).toBe(1)
    expect(moveIndex(2, 3, 1), 'j on the last row stays there').toBe(2)
    expect(moveIndex(0, 3, -1), 'k on the first row stays there').toBe(0)
    expect(moveIndex(-1, 3, 1), 'j with nothing selected picks the first').toBe(0)
    expect(moveIndex(-1, 3, -1), 'k with nothing selected picks the last').toBe(2)
    expect(moveIndex(1, 0, 1), 'an empty list selects nothing').toBe(-1)
  })
})

describe('batch approval', () => {
  const items = (n: number): ReviewItem[] => new MemoryConsoleBackend({ reviews: n }).items.slice(0, n)

  it('splits a selection of 1,200 into requests of at most 500, in order', () => {
    const keys = items(1200).map((i) => ({ household_id: i.household_id, record_id: i.record_id }))
    const parts = chunks(keys)
    expect(parts.map((p) => p.length)).toEqual([MAX_BATCH, MAX_BATCH, 200])
    expect(parts.flat()).toEqual(keys)
  })

  it('lists the failures with their reasons and keeps the rest as done', () => {
    const sent = items(150)
    const results = sent.map((i, n) => ({
      household_id: i.household_id, record_id: i.record_id, ok: n % 50 !== 7,
      error: n % 50 !== 7 ? null : { code: 'not_in_scope', message_zh: '不在您的范围内。', message_en: 'Out of scope.' },
    }))
    const out = foldResults(sent, results)
    expect(out.done.length).toBe(147)
    expect(out.failed.map((f) => [f.item?.record_id, f.error.code])).toEqual([['v7', 'not_in_scope'], ['v57', 'not_in_scope'], ['v107', 'not_in_scope']])
    const left = remaining(sent, out)
    expect(left.map(keyOf), 'only the failed records stay in the queue').toEqual(out.failed.map((f) => f.key))
  })

  it('counts a record the server did not answer for as failed, never as done', () => {
    const sent = items(3)
    const out = foldResults(sent, [{ household_id: 'h0', record_id: 'v0', ok: true, error: null }])
    expect(out.done).toEqual(['h0/v0'])
    expect(out.failed.map((f) => [f.key, f.error.code])).toEqual([['h1/v1', 'no_result'], ['h2/v2', 'no_result']])
  })

  it('the demo backend approves 200 records in one request and refuses a return without a reason', async () => {
    const b = new MemoryConsoleBackend({ reviews: 400 })
    const page = await b.reviews({ status: 'unreviewed', offset: 0, limit: 200 })
    expect(page.items.length).toBe(200)
    const res = await b.review({ decision: 'approve', reason: null, items: page.items })
    expect(res.results.every((r) => r.ok)).toBe(true)
    expect(b.calls.filter((c) => c.startsWith('review:'))).toEqual(['review:approve:200'])
    await expect(b.review({ decision: 'return', reason: '  ', items: page.items.slice(0, 1) })).rejects.toMatchObject({ code: 'reason_required' })
  })
})

describe('incident action forms', () => {
  const blank = { note: '', unit_id: '', platform: '', days: 3, rating: '', channel: '' }

  it('asks for exactly the fields each action needs', () => {
    expect(missingFields('route', blank)).toEqual(['platform', 'unit_id'])
    expect(missingFields('feedback', blank), 'feedback needs its evidence').toEqual(['note'])
    expect(missingFields('refuse', blank), 'a refusal needs a reason').toEqual(['note'])
    expect(missingFields('rate', blank)).toEqual(['rating', 'channel'])
    expect(missingFields('request_delay', { ...blank, days: 0 })).toEqual(['days'])
    expect(missingFields('accept', blank), 'an acceptance needs nothing').toEqual([])
  })

  it('sends null for every field the action does not use', () => {
    const f = { note: ' 交市场监管 ', unit_id: 'u2', platform: 'market', days: 5, rating: 'satisfied', channel: 'callback' }
    expect(actionRequest('route', f)).toEqual({ action: 'route', note: '交市场监管', unit_id: 'u2', platform: 'market', days: null, rating: null, channel: null })
    expect(actionRequest('grant_delay', f)).toMatchObject({ days: 5, unit_id: null, rating: null })
    expect(actionRequest('rate', { ...f, note: '' })).toEqual({ action: 'rate', note: null, unit_id: null, platform: null, days: null, rating: 'satisfied', channel: 'callback' })
  })
})
