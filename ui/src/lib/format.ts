// Formatting for display: relative times ("3天前"), clock times and dates in
// Asia/Shanghai whatever the device's zone, durations and byte sizes. Words come from
// vue-i18n through the `t` passed in, so these stay pure and testable.

export type Translate = (key: string, named?: Record<string, unknown>, plural?: number) => string

export const ZONE = 'Asia/Shanghai'
const DAY_MS = 86_400_000

/** Anything the bindings give as a count or a millisecond instant (number, or bigint in older bindings). */
export function num(v: number | bigint | null | undefined): number | null {
  return v === null || v === undefined ? null : Number(v)
}

function parts(ms: number): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  })
  const out: Record<string, string> = {}
  for (const p of f.formatToParts(new Date(ms))) out[p.type] = p.value
  return out
}

/** `2026-11-26` in Shanghai. */
export function formatDate(ms: number | bigint): string {
  const p = parts(Number(ms))
  return `${p.year}-${p.month}-${p.day}`
}

/** `2026-11-26 14:05` in Shanghai. */
export function formatDateTime(ms: number | bigint): string {
  const p = parts(Number(ms))
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

/** Today's date in Shanghai, `YYYY-MM-DD`. */
export function todayInShanghai(now = Date.now()): string {
  return formatDate(now)
}

/** Whole Shanghai calendar days between two instants (b − a). */
export function calendarDaysBetween(a: number, b: number): number {
  const da = Date.parse(`${formatDate(a)}T00:00:00Z`)
  const db = Date.parse(`${formatDate(b)}T00:00:00Z`)
  return Math.round((db - da) / DAY_MS)
}

/** "刚刚", "5分钟前", "3小时前", "3天前" (Shanghai calendar days past one day). */
export function relativeTime(ms: number | bigint, t: Translate, now = Date.now()): string {
  const diff = now - Number(ms)
  if (diff < 60_000) return t('time.justNow')
  if (diff < 3_600_000) {
    const n = Math.floor(diff / 60_000)
    return t('time.minutesAgo', { n }, n)
  }
  const days = calendarDaysBetween(Number(ms), now)
  if (days < 1 || diff < DAY_MS / 2) {
    const n = Math.max(1, Math.floor(diff / 3_600_000))
    return t('time.hoursAgo', { n }, n)
  }
  return t('time.daysAgo', { n: days }, days)
}

/** Days since an in-person visit as a phrase: "今天", "3天前"; null → null. */
export function daysAgo(days: number | bigint | null | undefined, t: Translate): string | null {
  const d = num(days)
  if (d === null) return null
  if (d <= 0) return t('time.today')
  return t('time.daysAgo', { n: d }, d)
}

/** A duration (the age of the oldest unsent item): "5分钟", "2小时", "3天". */
export function formatAge(ms: number | bigint | null | undefined, t: Translate): string {
  const v = num(ms) ?? 0
  if (v < 3_600_000) {
    const n = Math.max(1, Math.round(v / 60_000))
    return t('time.minutes', { n }, n)
  }
  if (v < DAY_MS) {
    const n = Math.floor(v / 3_600_000)
    return t('time.hours', { n }, n)
  }
  const n = Math.floor(v / DAY_MS)
  return t('time.days', { n }, n)
}

/** `512 B`, `1.5 KB`, `3.2 MB`, `1.1 GB` (binary multiples, one decimal under 100). */
export function formatBytes(n: number | bigint | null | undefined): string {
  let v = num(n) ?? 0
  if (v < 1024) return `${v} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let i = -1
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v < 100 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}

/** Percent with one decimal: `87.5%`. */
export function formatPercent(p: number): string {
  return `${(Math.round(p * 10) / 10).toFixed(1)}%`
}
