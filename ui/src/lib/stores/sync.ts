// The sync store: the latest SyncStatus and SyncProgressView from the backend's events,
// a manual "sync now", and the derived offline state the screens show.
import { computed, reactive } from 'vue'
import type { Backend } from '../../backend/Backend'
import type { AppError, SyncProgressView, SyncStatus } from '../../bindings/field'
import { toAppError } from '../../backend/errors'

export type SyncStore = ReturnType<typeof createSyncStore>

/** Offline when the last attempt did not reach the server. */
export function isOffline(s: SyncStatus | null): boolean {
  return !!s && (!s.online || s.last_error?.code === 'unreachable')
}

export function createSyncStore(b: Backend) {
  const state = reactive({
    status: null as SyncStatus | null,
    progress: null as SyncProgressView | null,
    error: null as AppError | null,
    busy: false,
  })
  const offs: (() => void)[] = []

  async function start(): Promise<void> {
    if (offs.length) return
    offs.push(await b.onSyncStatus((s) => {
      state.status = s
      if (!s.running) state.busy = false
    }))
    offs.push(await b.onSyncProgress((p) => {
      state.progress = p
    }))
    await refresh()
  }

  async function refresh(): Promise<void> {
    try {
      state.status = await b.syncStatus()
    } catch (e) {
      state.error = toAppError(e)
    }
  }

  /** Runs a sync now; resolves with the status after it, or null after an error (kept in `error`). */
  async function syncNow(): Promise<SyncStatus | null> {
    state.busy = true
    state.error = null
    state.progress = null
    try {
      const s = await b.syncNow()
      state.status = s
      return s
    } catch (e) {
      state.error = toAppError(e)
      await refresh()
      return null
    } finally {
      state.busy = false
    }
  }

  function stop(): void {
    offs.splice(0).forEach((off) => off())
  }

  const offline = computed(() => isOffline(state.status) || state.error?.code === 'unreachable')
  const running = computed(() => state.busy || !!state.status?.running)
  const pending = computed(() => Number(state.status?.pending_actions ?? 0))

  return { state, start, stop, refresh, syncNow, offline, running, pending }
}
