// Display formatting: relative times in Chinese and English, Shanghai dates whatever the
// machine's zone, durations, byte sizes; and the masking helpers.
import { describe, expect, it } from 'vitest'
import { i18n } from '../src/i18n'
import { daysAgo, formatAge, formatBytes, formatDate, formatDateTime, formatPercent, relativeTime, type Translate } from '../src/lib/format'
import { maskId, maskPhone } from '../src/lib/mask'

const t = i18n.global.t as unknown as Translate
const at = (iso: string) => Date.parse(iso)

describe('relative time', () => {
  it('says 3天前 three Shanghai days later, and 3 days ago in English', () => {
    const then = at('2026-11-23T02:00:00Z') // 10:00 in Shanghai
    const now = at('2026-11-26T03:00:00Z')
    i18n.global.locale.value = 'zh-CN'
    expect(relativeTime(then, t, now)).toBe('3天前')
    i18n.global.locale.value = 'en'
    expect(relativeTime(then, t, now)).toBe('3 days ago')
    expect(relativeTime(now - 60 * 60_000 * 1, t, now)).toBe('1 hour ago')
    i18n.global.locale.value = 'zh-CN'
  })

  it('counts calendar days in Shanghai, not 24-hour periods', () => {
    // 23:30 on the 25th → 08:00 on the 26th in Shanghai: a different day but only hours apart.
    expect(relativeTime(at('2026-11-25T15:30:00Z'), t, at('2026-11-26T00:00:00Z'))).toBe('8小时前')
    expect(relativeTime(at('2026-11-24T15:30:00Z'), t, at('2026-11-26T00:00:00Z'))).toBe('2天前')
  })

  it('says 刚刚 and minutes for recent things', () => {
    const now = at('2026-11-26T03:00:00Z')
    expect(relativeTime(now - 10_000, t, now)).toBe('刚刚')
    expect(relativeTime(now - 5 * 60_000, t, now)).toBe('5分钟前')
  })

  it('turns days since a visit into a phrase, or null for never', () => {
    expect(daysAgo(0, t)).toBe('今天')
    expect(daysAgo(34, t)).toBe('34天前')
    expect(daysAgo(null, t)).toBeNull()
  })
})

describe('dates in Asia/Shanghai', () => {
  it('shows the Shanghai date across UTC midnight', () => {
    expect(formatDate(at('2026-11-25T17:00:00Z'))).toBe('2026-11-26')
    expect(formatDateTime(at('2026-11-25T17:05:00Z'))).toBe('2026-11-26 01:05')
  })
})

describe('sizes and durations', () => {
  it('formats bytes in B, KB, MB and GB', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(3.2 * 1024 * 1024)).toBe('3.2 MB')
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MB')
    expect(formatBytes(null)).toBe('0 B')
  })

  it('formats the age of the oldest unsent item', () => {
    expect(formatAge(5 * 60_000, t)).toBe('5分钟')
    expect(formatAge(3 * 3_600_000, t)).toBe('3小时')
    expect(formatAge(2 * 86_400_000, t)).toBe('2天')
    expect(formatPercent(82.44)).toBe('82.4%')
  })
})

describe('masking', () => {
  it('keeps the first 3 and last 4 characters of an ID', () => {
    expect(maskId('331102199003071231')).toBe('331***********1231')
    expect(maskId('H12345678')).toBe('H12**5678')
    expect(maskId('ABC')).toBe('**C')
  })

  it('masks mobiles and landlines as core does', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('0578-2123456')).toBe('0578-***3456')
    expect(maskPhone('0578-2123456-801')).toBe('0578-***3456-801')
  })
})
