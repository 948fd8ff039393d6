// The console's HTTP backend: the session cookie travels (credentials same-origin), every
// non-GET request carries the CSRF token from the session body, and the server's ErrorBody
// becomes a typed ConsoleError whose reason shows in the user's language.
import { describe, expect, it } from 'vitest'
import { HttpConsoleBackend, query } from '../src/console/backend/http'
import { ConsoleError } from '../src/console/backend/errors'
import { errorText, i18n, setLocale } from '../src/console/i18n'

type Call = { url: string; init: RequestInit }

function fakeServer(answers: Array<{ status: number; body?: unknown }>) {
  const calls: Call[] = []
  const fetchFn = async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init })
    const a = answers.shift() ?? { status: 200, body: {} }
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status })
  }
  return { calls, fetchFn }
}

const session = {
  user: { id: 'u1', username: 'grid_head-001', name: '周国强', role: 'grid_head', area_id: 'a1', area_name: '城东' },
  csrf_token: 'tok-123',
}
const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name]

describe('HttpConsoleBackend', () => {
  it('sends the CSRF token from the session on every non-GET request and never on a GET', async () => {
    const s = fakeServer([
      { status: 200, body: session },
      { status: 200, body: { total: 0, items: [] } },
      { status: 200, body: { results: [] } },
      { status: 204 },
    ])
    const b = new HttpConsoleBackend('/api/v1/console', s.fetchFn)
    await b.signIn('grid_head-001', 'pw')
    await b.reviews({ status: 'unreviewed', offset: 0, limit: 50 })
    await b.review({ decision: 'approve', reason: null, items: [{ household_id: 'h', record_id: 'v' }] })
    await b.signOut()
    expect(s.calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'POST /api/v1/console/session',
      'GET /api/v1/console/reviews?status=unreviewed&offset=0&limit=50',
      'POST /api/v1/console/reviews',
      'DELETE /api/v1/console/session',
    ])
    expect(header(s.calls[1], 'X-CSRF-Token'), 'a GET needs no token').toBeUndefined()
    expect(header(s.calls[2], 'X-CSRF-Token'), 'the review POST must carry the session token').toBe('tok-123')
    expect(header(s.calls[3], 'X-CSRF-Token'), 'sign-out is a DELETE and needs the token too').toBe('tok-123')
    expect(s.calls.every((c) => c.init.credentials === 'same-origin'), 'the session cookie must travel').toBe(true)
    expect(b.csrfToken(), 'signing out forgets the token').toBeNull()
  })

  it('learns the CSRF token from GET /session after a reload', async () => {
    const s = fakeServer([{ status: 200, body: session }, { status: 200, body: { id: 'x1' } }])
    const b = new HttpConsoleBackend('/api/v1/console', s.fetchFn)
    expect((await b.session())?.user.username).toBe('grid_head-001')
    await b.startExport({ kind: 'visits', area_id: null, from: '2026-11-01', to: '2026-11-27', per: 'grid' })
    expect(header(s.calls[1], 'X-CSRF-Token')).toBe('tok-123')
  })

  it('answers null, not an error, when nobody is signed in', async () => {
    const s = fakeServer([{ status: 401, body: { code: 'unauthorized', message_zh: '登录已失效，请重新登录。', message_en: 'You are not signed in.' } }])
    expect(await new HttpConsoleBackend('/api/v1/console', s.fetchFn).session()).toBeNull()
  })

  it('maps an ErrorBody to a ConsoleError with its code, status, field and both reasons', async () => {
    const s = fakeServer([{ status: 403, body: { code: 'role_not_allowed', message_zh: '该角色不能使用督导台。', message_en: 'This role cannot use the console.' } }])
    const err = await new HttpConsoleBackend('/api/v1/console', s.fetchFn).signIn('grid_worker-001', 'pw').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConsoleError)
    const ce = err as ConsoleError
    expect([ce.code, ce.status]).toEqual(['role_not_allowed', 403])
    setLocale('zh-CN')
    expect(errorText(ce), 'the user sees the server reason in Chinese by default').toBe('该角色不能使用督导台。')
    setLocale('en')
    expect(errorText(ce), 'and in English once they switch').toBe('This role cannot use the console.')
    setLocale('zh-CN')
  })

  it('keeps the form field a 400 is about', async () => {
    const s = fakeServer([{ status: 400, body: { code: 'invalid', message_zh: '请选择承办单位。', message_en: 'Choose a unit.', field: 'unit_id' } }])
    const err = (await new HttpConsoleBackend('', s.fetchFn)
      .incidentAct('i1', { action: 'route', note: null, unit_id: null, platform: 'market', days: null, rating: null, channel: null })
      .catch((e: unknown) => e)) as ConsoleError
    expect([err.code, err.field]).toEqual(['invalid', 'unit_id'])
  })

  it('turns a body that is not an ErrorBody into http_<status>, and a dead network into `network`, both in our own words', async () => {
    const s = fakeServer([{ status: 502, body: 'bad gateway' }])
    const e502 = (await new HttpConsoleBackend('', s.fetchFn).incidents({ offset: 0, limit: 10 }).catch((e: unknown) => e)) as ConsoleError
    expect([e502.code, e502.status]).toEqual(['http_502', 502])
    expect(errorText(e502)).toBe(i18n.global.t('errors.http', { status: 502 }))
    const down = new HttpConsoleBackend('', async () => { throw new TypeError('Failed to fetch') })
    const eNet = (await down.dashboard({ from: '2026-11-01', to: '2026-11-27' }).catch((e: unknown) => e)) as ConsoleError
    expect(eNet.code).toBe('network')
    expect(errorText(eNet)).toBe(i18n.global.t('errors.network'))
  })

  it('builds query strings from the defined values only', () => {
    expect(query({ status: 'returned', q: '', grid_id: undefined, offset: 0, limit: 200 })).toBe('?status=returned&offset=0&limit=200')
    expect(query({})).toBe('')
  })
})
