// The Tauri IPC backend: command names are the snake_case of the methods, argument keys
// are snake_case, rejections become AppErrors (anything odd becomes code `internal`), and
// events are subscribed by their names.
import { beforeEach, describe, expect, it, vi } from 'vitest'

const invoke = vi.fn()
const listen = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: (...a: unknown[]) => listen(...a) }))

const { tauriBackend } = await import('../src/backend/tauri')
const { toAppError } = await import('../src/backend/errors')

beforeEach(() => {
  invoke.mockReset().mockResolvedValue(null)
  listen.mockReset().mockResolvedValue(() => {})
})

describe('tauri backend', () => {
  it('calls each command by its snake_case name with snake_case argument keys', async () => {
    const b = tauriBackend()
    const q = { text: '王', tag: null, micro_grid: null, due: null }
    const calls: [() => Promise<unknown>, string, unknown][] = [
      [() => b.appState(), 'app_state', undefined],
      [() => b.formOptions(), 'form_options', undefined],
      [() => b.login('http://x', 'u', 'p'), 'login', { server_url: 'http://x', username: 'u', password: 'p' }],
      [() => b.today(), 'today', undefined],
      [() => b.households(q), 'households', { query: q }],
      [() => b.householdCard('h1'), 'household_card', { id: 'h1' }],
      [() => b.reveal({ household_id: 'h', person_id: 'p', field: 'phone' }), 'reveal', { req: { household_id: 'h', person_id: 'p', field: 'phone' } }],
      [() => b.editMember({ household_id: 'h', person_id: 'p', field: 'phone', value: '1' }), 'edit_member', { input: { household_id: 'h', person_id: 'p', field: 'phone', value: '1' } }],
      [() => b.addMember({} as never), 'add_member', { input: {} }],
      [() => b.saveVisit({} as never), 'save_visit', { input: {} }],
      [() => b.assignments(), 'assignments', undefined],
      [() => b.saveContact({} as never), 'save_contact', { input: {} }],
      [() => b.reportIncident({} as never), 'report_incident', { input: {} }],
      [() => b.incidents(), 'incidents', undefined],
      [() => b.incidentDetail('i1'), 'incident_detail', { id: 'i1' }],
      [() => b.incidentAct({} as never), 'incident_act', { input: {} }],
      [() => b.conflicts(), 'conflicts', undefined],
      [() => b.resolveConflict({} as never), 'resolve_conflict', { input: {} }],
      [() => b.syncStatus(), 'sync_status', undefined],
      [() => b.syncNow(), 'sync_now', undefined],
      [() => b.setLocale('en'), 'set_locale', { locale: 'en' }],
      [() => b.wipePreview(), 'wipe_preview', undefined],
      [() => b.signOut(true), 'sign_out', { confirm_loss: true }],
    ]
    for (const [call, cmd, args] of calls) {
      invoke.mockClear()
      await call()
      expect(invoke).toHaveBeenCalledWith(cmd, args)
    }
  })

  it('passes an AppError rejection through unchanged', async () => {
    const e = { code: 'wrong_password', message_zh: '密码不对', message_en: 'Wrong password', field: 'password' }
    invoke.mockRejectedValueOnce(e)
    await expect(tauriBackend().login('u', 'n', 'p')).rejects.toEqual(e)
  })

  it('turns a string or an Error rejection into an internal AppError', async () => {
    invoke.mockRejectedValueOnce('command not found')
    await expect(tauriBackend().today()).rejects.toEqual({ code: 'internal', message_zh: 'command not found', message_en: 'command not found', field: null })
    invoke.mockRejectedValueOnce(new Error('boom'))
    await expect(tauriBackend().today()).rejects.toMatchObject({ code: 'internal', message_en: 'boom' })
    expect(toAppError('{"code":"unreachable","message_zh":"连不上","message_en":"offline","field":null}').code).toBe('unreachable')
    expect(toAppError({ code: 'x' }).code).toBe('internal')
  })

  it('listens to sync-progress, sync-status and locked, handing over the payload', async () => {
    const b = tauriBackend()
    const got: unknown[] = []
    await b.onSyncProgress((p) => got.push(p))
    await b.onSyncStatus((s) => got.push(s))
    await b.onLocked((e) => got.push(e))
    expect(listen.mock.calls.map((c) => c[0])).toEqual(['sync-progress', 'sync-status', 'locked'])
    const handler = listen.mock.calls[2][1] as (ev: { payload: unknown }) => void
    handler({ payload: { code: 'device_revoked' } })
    expect(got).toEqual([{ code: 'device_revoked' }])
  })
})
