// The console inside the app: every request goes through the `console_call` command with the
// path relative to the console API and no CSRF token; the server's answer (errors included)
// becomes the same typed result as over HTTP; a refusal of the app itself (offline, a role
// without the views) is a ConsoleError with the app's code; exports are saved on the device.
import { describe, expect, it } from 'vitest'
import { TauriConsoleBackend } from '../src/console/backend/tauri'
import { ConsoleError } from '../src/console/backend/errors'

type Sent = { cmd: string; args?: Record<string, unknown> }

function fakeApp(answers: Array<unknown>) {
  const sent: Sent[] = []
  const invoke = async <T>(cmd: string, args?: Record<string, unknown>): Promise<T> => {
    sent.push({ cmd, args })
    const a = answers.shift()
    if (a instanceof Error || (typeof a === 'object' && a !== null && 'code' in a)) throw a
    return a as T
  }
  return { sent, invoke }
}

const session = {
  user: { id: 'u1', username: 'grid_head-001', name: '周国强', role: 'grid_head', area_id: 'a1', area_name: '城东' },
  csrf_token: '',
}

describe('TauriConsoleBackend', () => {
  it('sends each call through console_call with the path under the console API and the JSON body', async () => {
    const app = fakeApp([
      { status: 200, body: JSON.stringify(session) },
      { status: 200, body: JSON.stringify({ total: 0, items: [] }) },
      { status: 200, body: JSON.stringify({ results: [] }) },
    ])
    const b = new TauriConsoleBackend(app.invoke)
    expect(b.embedded).toBe(true)
    expect((await b.session())?.user.name).toBe('周国强')
    await b.reviews({ status: 'unreviewed', offset: 0, limit: 50 })
    await b.review({ decision: 'approve', reason: null, items: [{ household_id: 'h', record_id: 'v' }] })
    expect(app.sent.map((s) => s.cmd)).toEqual(['console_call', 'console_call', 'console_call'])
    const inputs = app.sent.map((s) => s.args?.input as { method: string; path: string; body: string | null })
    expect(inputs[0]).toEqual({ method: 'GET', path: '/session', body: null })
    expect(inputs[1].path).toBe('/reviews?status=unreviewed&offset=0&limit=50')
    expect(inputs[2].method).toBe('POST')
    expect(JSON.parse(inputs[2].body ?? '')).toMatchObject({ decision: 'approve' })
  })

  it('turns the server error body into a ConsoleError with its status, code and field', async () => {
    const err = { code: 'required', message_zh: '请填写退回原因', message_en: 'A reason is required', field: 'reason' }
    const app = fakeApp([{ status: 400, body: JSON.stringify(err) }])
    const b = new TauriConsoleBackend(app.invoke)
    const e = await b.review({ decision: 'return', reason: '', items: [] }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ConsoleError)
    expect([(e as ConsoleError).status, (e as ConsoleError).code, (e as ConsoleError).field]).toEqual([400, 'required', 'reason'])
  })

  it('lets the app refusal through as a ConsoleError so the screen can say why the views cannot open', async () => {
    const refusal = { code: 'unreachable', message_zh: '无法连接服务器', message_en: 'Server unreachable', field: null }
    const app = fakeApp([refusal])
    const b = new TauriConsoleBackend(app.invoke)
    const e = await b.session().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ConsoleError)
    expect((e as ConsoleError).code).toBe('unreachable')
    expect((e as ConsoleError).text('zh-CN')).toBe('无法连接服务器')
  })

  it('answers a 401 session as signed out and survives a bodiless 204', async () => {
    const app = fakeApp([
      { status: 401, body: JSON.stringify({ code: 'unauthorized', message_zh: '请登录', message_en: 'Sign in' }) },
      { status: 204, body: '' },
    ])
    const b = new TauriConsoleBackend(app.invoke)
    expect(await b.session()).toBeNull()
    const r = await b.review({ decision: 'approve', reason: null, items: [] })
    expect(r).toBeUndefined()
  })

  it('saves an export on the device through console_save_export', async () => {
    const app = fakeApp([{ path: 'Downloads/走访台账.xlsx', bytes: 1234 }])
    const b = new TauriConsoleBackend(app.invoke)
    const saved = await b.saveExport('e1', '走访台账.xlsx')
    expect(saved.bytes).toBe(1234)
    expect(app.sent[0]).toEqual({ cmd: 'console_save_export', args: { input: { export_id: 'e1', file_name: '走访台账.xlsx' } } })
  })
})
