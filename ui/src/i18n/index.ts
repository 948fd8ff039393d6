// The vue-i18n instance (zh-CN default, en second), Vant's own locale kept in step, and
// helpers that turn stable codes into labels without ever showing a missing key.
import { createI18n } from 'vue-i18n'
import { Locale } from 'vant'
import vantZhCN from 'vant/es/locale/lang/zh-CN'
import vantEnUS from 'vant/es/locale/lang/en-US'
import zhCN from './zh-CN'
import en from './en'
import { ACTIONS, normalizePlatform } from './codes'

export type LocaleCode = 'zh-CN' | 'en'
export const LOCALES: readonly LocaleCode[] = ['zh-CN', 'en']

export const messages = { 'zh-CN': zhCN, en }

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages,
  missingWarn: false,
  fallbackWarn: false,
})

/** Folds whatever the backend stores (`zh-CN`, `zh`, `en-US`, …) to a UI locale. */
export function normalizeLocale(raw: string | null | undefined): LocaleCode {
  return raw && raw.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
}

/** Switches vue-i18n, Vant's built-in texts and the document language together. */
export function applyLocale(raw: string): LocaleCode {
  const loc = normalizeLocale(raw)
  i18n.global.locale.value = loc
  if (loc === 'en') Locale.use('en-US', vantEnUS)
  else Locale.use('zh-CN', vantZhCN)
  if (typeof document !== 'undefined') document.documentElement.lang = loc
  return loc
}

export function currentLocale(): LocaleCode {
  return normalizeLocale(i18n.global.locale.value)
}

type T = (key: string, ...args: unknown[]) => string
const t = (key: string, ...args: unknown[]): string => (i18n.global.t as unknown as T)(key, ...args)
const te = (key: string): boolean => i18n.global.te(key, currentLocale())

/** The label of a code in one of the `code.*` groups; the raw code if none (never a key path). */
export function codeLabel(group: string, code: string | null | undefined): string {
  if (!code) return ''
  const c = group === 'platform' ? normalizePlatform(code) ?? code : code
  const key = `code.${group}.${c}`
  return te(key) ? t(key) : code
}

/** The label of an outbox action label (`household.add_visit`, `incident.verify`, …). */
export function outboxLabel(code: string): string {
  const key = `outbox.${code.replace(/\./g, '_')}`
  if (te(key)) return t(key)
  const [ns, rest] = code.split('.', 2)
  if (ns === 'incident' && rest && (ACTIONS as readonly string[]).includes(rest)) {
    return `${t('nav.incidents')} · ${codeLabel('action', rest)}`
  }
  return code
}
