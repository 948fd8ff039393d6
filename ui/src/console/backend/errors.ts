// Typed console errors: every rejection of a ConsoleBackend call is a ConsoleError carrying
// the server's stable code and its zh-CN/en reasons, so screens branch on `code` and show
// the reason in the user's language.
import type { ErrorBody } from '../types'

export class ConsoleError extends Error {
  readonly code: string
  readonly messageZh: string
  readonly messageEn: string
  /** HTTP status, 0 when the request never reached the server. */
  readonly status: number
  /** The form field a 400 is about, when the server names one. */
  readonly field: string | null

  constructor(body: ErrorBody & { field?: string | null }, status: number) {
    super(body.message_en || body.message_zh || body.code)
    this.name = 'ConsoleError'
    this.code = body.code
    this.messageZh = body.message_zh || body.message_en || body.code
    this.messageEn = body.message_en || body.message_zh || body.code
    this.status = status
    this.field = body.field ?? null
  }

  /** The reason in the UI's locale (`zh-CN` or `en`). */
  text(locale: string): string {
    return locale.toLowerCase().startsWith('en') ? this.messageEn : this.messageZh
  }
}

export function isErrorBody(v: unknown): v is ErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as ErrorBody).code === 'string' &&
    (typeof (v as ErrorBody).message_zh === 'string' || typeof (v as ErrorBody).message_en === 'string')
}

/** Whatever a call threw, as a ConsoleError (network failures become `network`, the rest `internal`). */
export function toConsoleError(e: unknown): ConsoleError {
  if (e instanceof ConsoleError) return e
  if (isErrorBody(e)) return new ConsoleError(e, 0)
  if (e instanceof TypeError) {
    return new ConsoleError({ code: 'network', message_zh: '', message_en: e.message }, 0)
  }
  const msg = e instanceof Error ? e.message : String(e)
  return new ConsoleError({ code: 'internal', message_zh: msg, message_en: msg }, 0)
}
