// The console's catalogues: zh-CN and en have the same keys and parameters, zh-CN is the
// default, and the chart builders turn rates into percentages without inventing zeros.
import { describe, expect, it } from 'vitest'
import zh from '../src/i18n/console-zh-CN'
import en from '../src/i18n/console-en'
import { consoleMessages, i18n, label } from '../src/console/i18n'
import { coverageOption, gaugeOption, percent } from '../src/console/lib/charts'
import { monthToDate } from '../src/console/lib/period'

type Tree = { [k: string]: string | Tree }
const flat = (t: Tree, p = ''): Record<string, string> => Object.entries(t).reduce<Record<string, string>>((acc, [k, v]) => {
  const key = p ? `${p}.${k}` : k
  return typeof v === 'string' ? { ...acc, [key]: v } : { ...acc, ...flat(v, key) }
}, {})
const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',')

describe('console catalogues', () => {
  const z = flat(zh as Tree)
  const e = flat(en as Tree)

  it('have the same keys in zh-CN and en', () => {
    expect(Object.keys(z).filter((k) => !(k in e))).toEqual([])
    expect(Object.keys(e).filter((k) => !(k in z))).toEqual([])
  })

  it('use the same named parameters in both languages', () => {
    expect(Object.keys(z).filter((k) => params(z[k]) !== params(e[k] ?? ''))).toEqual([])
  })

  it('default to Chinese and share the field app code labels', () => {
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(label('state', 'routed')).toBe(consoleMessages['zh-CN'].code.state.routed)
    expect(label('action', 'no_such_action'), 'an unknown code shows as itself, never as a key path').toBe('no_such_action')
  })
})

describe('chart options', () => {
  it('shows rates as percentages and a missing rate as no value, not as 0 %', () => {
    expect(percent(0.8123)).toBe(81.2)
    expect(percent(null)).toBeNull()
    const g = gaugeOption(null, 'x', '—').series[0]
    expect(g.detail.formatter()).toBe('—')
  })

  it('orders coverage bars from the lowest rate up, so the grids that need help stand out', () => {
    const rows = [
      { id: 'a', name: 'A', detail: '', occupied: 10, seen: 9, contacted: 9, empty: 0, seen_by_self: null, rate: 0.9 },
      { id: 'b', name: 'B', detail: '', occupied: 10, seen: 2, contacted: 5, empty: 1, seen_by_self: null, rate: 0.2 },
    ]
    const o = coverageOption(rows, 'r')
    expect(o.yAxis.data).toEqual(['B', 'A'])
    expect(o.series[0].data).toEqual([20, 90])
  })

  it('defaults the period to this month in Asia/Shanghai', () => {
    expect(monthToDate(Date.UTC(2026, 10, 30, 17))).toEqual(['2026-12-01', '2026-12-01'])
    expect(monthToDate(Date.UTC(2026, 10, 27, 2))).toEqual(['2026-11-01', '2026-11-27'])
  })
})
