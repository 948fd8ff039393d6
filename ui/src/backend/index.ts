// Picks the Backend at start-up and hands it to the screens. Inside Tauri it is IPC; in a
// plain browser with `?demo=1` (screenshots, manual checks) it is the in-memory demo;
// otherwise there is no backend and the app says so instead of failing on every call.
import type { Backend } from './Backend'
import { tauriBackend } from './tauri'

let current: Backend | null = null

export function setBackend(b: Backend): void {
  current = b
}

export function backend(): Backend {
  if (!current) throw new Error('backend not set')
  return current
}

export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window
}

export function demoRequested(): boolean {
  if (typeof window === 'undefined') return false
  const q = new URLSearchParams(window.location.search)
  return q.get('demo') === '1'
}

/** The backend for this window, or null when none is reachable (a plain browser without `?demo=1`). */
export async function chooseBackend(): Promise<Backend | null> {
  if (inTauri()) return tauriBackend()
  if (demoRequested()) {
    const { memoryBackend } = await import('./memory')
    const q = new URLSearchParams(window.location.search)
    const b = memoryBackend({
      households: Number(q.get('n') ?? '0') || undefined,
      signedIn: q.get('signed_in') !== '0',
      role: q.get('role') ?? undefined,
      online: q.get('offline') !== '1',
    })
    if (q.get('locked') === '1') setTimeout(() => b.fireLocked(), 300)
    return b
  }
  return null
}
