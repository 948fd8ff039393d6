// The console's shared state: the backend in use and the signed-in user (null when signed
// out). Screens read it; the router's guard and the sign-in screen change it.
import { reactive } from 'vue'
import type { ConsoleBackend } from './backend/ConsoleBackend'
import type { ConsoleUser } from './types'

export const state = reactive<{ user: ConsoleUser | null; ready: boolean; problem: unknown }>({ user: null, ready: false, problem: null })

let current: ConsoleBackend | null = null

export function setConsoleBackend(b: ConsoleBackend): void {
  current = b
}

export function api(): ConsoleBackend {
  if (!current) throw new Error('console backend not set')
  return current
}

/** Asks the server who is signed in (once, at start); keeps why not, for the app's views. */
export async function loadSession(): Promise<void> {
  state.problem = null
  try {
    const s = await api().session()
    state.user = s?.user ?? null
  } catch (e) {
    state.user = null
    state.problem = e
  } finally {
    state.ready = true
  }
}

/** Roles whose home is the incident inbox rather than the review queue. */
export function homeRoute(role: string | undefined): string {
  return role === 'dispatcher' || role === 'handling_unit' ? '/incidents' : '/reviews'
}

/** Areas the user may choose (their own, then the grids the dashboard has shown), by id. */
export const areas = reactive<{ id: string; name: string }[]>([])

export function rememberAreas(list: { id: string; name: string }[]): void {
  const u = state.user
  if (u?.area_id && !areas.some((a) => a.id === u.area_id)) areas.unshift({ id: u.area_id, name: u.area_name ?? u.area_id })
  for (const a of list) if (!areas.some((x) => x.id === a.id)) areas.push(a)
}
