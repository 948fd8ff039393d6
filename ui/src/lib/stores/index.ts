// The app-wide store instances, created once the backend is chosen (main.ts) and read by
// every screen through `stores()`.
import type { Backend } from '../../backend/Backend'
import { createSessionStore, type SessionStore } from './session'
import { createSyncStore, type SyncStore } from './sync'

let instance: { session: SessionStore; sync: SyncStore } | null = null

export function createStores(b: Backend) {
  instance = { session: createSessionStore(b), sync: createSyncStore(b) }
  return instance
}

export function stores() {
  if (!instance) throw new Error('stores not created')
  return instance
}
