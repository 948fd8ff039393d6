// Normalises whatever a backend call rejects with into an AppError, and picks its message
// in the UI's language. Tauri commands reject with the serialized AppError object; anything
// else (a string, an Error, a missing command) becomes code `internal`.
import type { AppError } from '../bindings/field'

export function isAppError(e: unknown): e is AppError {
  return typeof e === 'object' && e !== null && typeof (e as AppError).code === 'string' &&
    (typeof (e as AppError).message_zh === 'string' || typeof (e as AppError).message_en === 'string')
}

export function toAppError(e: unknown): AppError {
  if (isAppError(e)) {
    return {
      code: e.code,
      message_zh: e.message_zh ?? e.message_en ?? '',
      message_en: e.message_en ?? e.message_zh ?? '',
      field: e.field ?? null,
    }
  }
  if (typeof e === 'string') {
    try {
      const parsed: unknown = JSON.parse(e)
      if (isAppError(parsed)) return toAppError(parsed)
    } catch {
      // not JSON: a plain message
    }
    return { code: 'internal', message_zh: e, message_en: e, field: null }
  }
  const msg = e instanceof Error ? e.message : String(e)
  return { code: 'internal', message_zh: msg, message_en: msg, field: null }
}

/** The message in the given UI locale, falling back to the other language. */
export function errorText(e: AppError, locale: string): string {
  const en = locale.toLowerCase().startsWith('en')
  return (en ? e.message_en || e.message_zh : e.message_zh || e.message_en) || e.code
}
