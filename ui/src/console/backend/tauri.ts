// The console backend inside the Tauri app (the supervisor views of a grid head or township
// supervisor): the same HTTP contract as `http.ts`, but each request goes through the app's
// `console_call` command, which sends it with the device token. The token stays in Rust;
// no cookie and no CSRF token are involved. Signing in and out belong to the app, and a
// finished export is saved on the device by `console_save_export`.
import { invoke } from '@tauri-apps/api/core'
import type { ConsoleReply, ConsoleRequest, SavedExport } from '../../bindings/field'
import { HttpConsoleBackend, API_BASE } from './http'
import { ConsoleError, toConsoleError } from './errors'
import type { SessionBody } from '../types'

type Invoke = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>

/** Statuses whose Response may not carry a body. */
const NO_BODY = new Set([101, 204, 205, 304])

/** A `fetch` that hands the request to the app's `console_call` command. */
export function consoleFetch(call: Invoke): (input: string, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const path = input.startsWith(API_BASE) ? input.slice(API_BASE.length) : input
    const req: ConsoleRequest = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path,
      body: typeof init?.body === 'string' ? init.body : null,
    }
    const reply = await call<ConsoleReply>('console_call', { input: req })
    const body = NO_BODY.has(reply.status) ? null : reply.body
    return new Response(body, { status: reply.status, headers: { 'Content-Type': 'application/json' } })
  }
}

export class TauriConsoleBackend extends HttpConsoleBackend {
  /** The console runs inside the app: no sign-in form, a way back instead. */
  readonly embedded = true

  constructor(private readonly invokeFn: Invoke = (cmd, args) => invoke(cmd, args)) {
    super(API_BASE, consoleFetch(invokeFn))
  }

  /** Never offered (the views use the app's sign-in); the code's text is in the i18n files. */
  override async signIn(): Promise<SessionBody> {
    throw new ConsoleError({ code: 'embedded_sign_in', message_zh: '', message_en: '' }, 0)
  }

  /** Leaves the supervisor views for the field app (the device stays signed in). */
  override async signOut(): Promise<void> {
    window.location.assign('./index.html')
  }

  /** Saves a finished export on the device and says where. */
  async saveExport(id: string, fileName: string): Promise<SavedExport> {
    try {
      return await this.invokeFn<SavedExport>('console_save_export', { input: { export_id: id, file_name: fileName } })
    } catch (e) {
      throw toConsoleError(e)
    }
  }
}
