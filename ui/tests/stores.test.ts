// The session and sync stores against the in-memory backend: sign-in errors come back as
// AppErrors with their codes, options load after sign-in, the language switch reaches the
// backend and vue-i18n, a revoked device locks, sign-out refuses to lose work silently,
// and sync progress and the offline state reach the screens.
import { describe, expect, it } from 'vitest'
import { memoryBackend } from '../src/backend/memory'
import { createSessionStore } from '../src/lib/stores/session'
import { createSyncStore, isOffline } from '../src/lib/stores/sync'
import { i18n } from '../src/i18n'
import type { AppError, SyncProgressView } from '../src/bindings/field'

describe('session store', () => {
  it('starts signed out with the default server, and signs in', async () => {
    const b = memoryBackend({ signedIn: false })
    const s = createSessionStore(b)
    await s.init()
    expect(s.state.ready).toBe(true)
    expect(s.state.session).toBeNull()
    expect(s.serverUrl()).toBe('http://127.0.0.1:8787')
    await s.login('http://127.0.0.1:8787', 'linxm', 'demo')
    expect(s.state.session?.role).toBe('grid_worker')
    expect(s.state.options?.categories.length).toBeGreaterThan(0)
  })

  it('passes sign-in refusals through as AppErrors with their codes', async () => {
    const s = createSessionStore(memoryBackend({ signedIn: false }))
    await s.init()
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.code)
    expect(await code(s.login('http://127.0.0.1:8787', 'linxm', 'nope'))).toBe('wrong_password')
    expect(await code(s.login('http://unreachable.invalid', 'linxm', 'demo'))).toBe('unreachable')
    expect(await code(s.login('http://127.0.0.1:8787', 'revoked', 'demo'))).toBe('device_revoked')
    expect(await code(s.login('http://127.0.0.1:8787', 'linxm', 'locked'))).toBe('too_many_attempts')
    expect(s.state.session).toBeNull()
  })

  it('switches the language in vue-i18n and tells the backend', async () => {
    const b = memoryBackend()
    const s = createSessionStore(b)
    await s.init()
    await s.setLocale('en')
    expect(i18n.global.locale.value).toBe('en')
    expect(b.state.locale).toBe('en')
    await s.setLocale('zh-CN')
    expect(i18n.global.locale.value).toBe('zh-CN')
  })

  it('locks when the backend reports a revoked device', async () => {
    const b = memoryBackend()
    const s = createSessionStore(b)
    await s.init()
    b.fireLocked()
    expect(s.state.locked?.code).toBe('device_revoked')
    expect(s.state.session).toBeNull()
    s.clearLock()
    expect(s.state.locked).toBeNull()
  })

  it('refuses to sign out over unsynced work unless the loss is confirmed', async () => {
    const b = memoryBackend()
    const s = createSessionStore(b)
    await s.init()
    expect(Number((await b.wipePreview()).pending_actions)).toBeGreaterThan(0)
    await expect(s.signOut(false)).rejects.toMatchObject({ code: 'unsynced_work' })
    expect(s.state.session).not.toBeNull()
    await s.signOut(true)
    expect(s.state.session).toBeNull()
  })
})

describe('sync store', () => {
  it('follows progress events to done and clears the pending count', async () => {
    const b = memoryBackend()
    const sync = createSyncStore(b)
    const phases: string[] = []
    await b.onSyncProgress((p: SyncProgressView) => phases.push(p.phase))
    await sync.start()
    expect(sync.pending.value).toBe(2)
    const after = await sync.syncNow()
    expect(after?.pending_actions).toBe(0)
    expect(phases).toEqual(['push', 'pull', 'apply', 'done'])
    expect(sync.state.progress?.phase).toBe('done')
    expect(sync.offline.value).toBe(false)
    sync.stop()
  })

  it('shows offline when the server cannot be reached, and keeps the work', async () => {
    const b = memoryBackend({ online: false })
    const sync = createSyncStore(b)
    await sync.start()
    expect(sync.offline.value).toBe(true)
    expect(await sync.syncNow()).toBeNull()
    expect(sync.state.error?.code).toBe('unreachable')
    expect(sync.pending.value).toBe(2)
    expect(sync.running.value).toBe(false)
  })

  it('counts an unreachable last error as offline even if online was set', () => {
    const base = { running: false, online: true, pending_actions: 0, oldest_pending_age_ms: null, refused_actions: 0,
      last_success_at: null, last_bytes_up: 0, last_bytes_down: 0, refused: [] }
    const err = { code: 'unreachable', message_zh: '', message_en: '', field: null }
    expect(isOffline({ ...base, last_error: null } as never)).toBe(false)
    expect(isOffline({ ...base, last_error: err } as never)).toBe(true)
    expect(isOffline({ ...base, online: false, last_error: null } as never)).toBe(true)
  })
})

describe('demo backend household search', () => {
  it('finds households by Chinese name, address, phone tail and tag label', async () => {
    const b = memoryBackend({ households: 3000 })
    const q = (text: string) => b.households({ text, tag: null, micro_grid: null, due: null }).then((r) => r.items.map((i) => i.id))
    expect((await q('')).length).toBe(3000)
    expect(await q('王秀英')).toContain('hh-0001')
    expect(await q('下屋村18号')).toEqual(['hh-0005'])
    expect(await q('2345')).toContain('hh-0001')
    expect(await q('独居')).toContain('hh-0001')
    const overdue = await b.households({ text: '', tag: null, micro_grid: null, due: 'overdue' })
    expect(overdue.items.every((i) => i.due === 'overdue')).toBe(true)
  })
})
