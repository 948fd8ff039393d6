// The console's vue-i18n instance (zh-CN default, en second) and Element Plus's locale kept
// in step with it. Field-app code labels (`code.*`) are shared; nothing here imports Vant.
import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import zhCN from '../i18n/zh-CN'
import en from '../i18n/en'
import consoleZh from '../i18n/console-zh-CN'
import consoleEn from '../i18n/console-en'
import { ConsoleError, toConsoleError } from './backend/errors'

export type ConsoleLocale = 'zh-CN' | 'en'

export const consoleMessages = {
  'zh-CN': { ...consoleZh, code: zhCN.code },
  en: { ...consoleEn, code: en.code },
}

const LOCALE_KEY = 'gridwalk.console.locale'

function initialLocale(): ConsoleLocale {
  try {
    const q = new URLSearchParams(window.location.search).get('lang')
    const saved = q ?? window.localStorage.getItem(LOCALE_KEY)
    return saved && saved.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: typeof window === 'undefined' ? 'zh-CN' : initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: consoleMessages,
  missingWarn: false,
  fallbackWarn: false,
})

export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? elEn : elZhCn))

export function setLocale(loc: ConsoleLocale): void {
  i18n.global.locale.value = loc
  document.documentElement.lang = loc
  try {
    window.localStorage.setItem(LOCALE_KEY, loc)
  } catch {
    // private mode: the choice lasts for this page only
  }
}

type T = (key: string, named?: Record<string, unknown>) => string
const t: T = (key, named) => (i18n.global.t as unknown as T)(key, named ?? {})

/** The label of a stable code (`code.<group>.<code>`), the code itself when unknown. */
export function label(group: string, code: string | null | undefined): string {
  if (!code) return ''
  const key = `code.${group}.${code}`
  return i18n.global.te(key) ? t(key) : code
}

/** An error's reason in the UI's language: the server's own text, or ours for local failures. */
export function errorText(e: unknown): string {
  const err: ConsoleError = toConsoleError(e)
  const loc = i18n.global.locale.value
  if (err.status === 0 || !(err.messageZh || err.messageEn) || err.messageZh === err.code) {
    if (i18n.global.te(`errors.${err.code}`)) return t(`errors.${err.code}`)
    if (err.status > 0) return t('errors.http', { status: err.status })
  }
  return err.text(loc)
}

/** Date and time in Asia/Shanghai, `YYYY-MM-DD HH:mm`. */
export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return ''
  const d = new Date(Number(ms) + 8 * 3_600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}
