// i18n completeness: zh-CN and en have the same keys and the same {placeholders}, and
// every code the UI can show (codes.ts, mirrored from the Rust enums) has a label in both.
import { describe, expect, it } from 'vitest'
import zhCN from '../src/i18n/zh-CN'
import en from '../src/i18n/en'
import { CODE_GROUPS, OUTBOX_LABELS, PLATFORM_ALIASES } from '../src/i18n/codes'
import { codeLabel, i18n, outboxLabel } from '../src/i18n'

type Tree = { [k: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

const zh = flatten(zhCN as Tree)
const enFlat = flatten(en as Tree)
const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message catalogues', () => {
  it('every zh-CN key has an en twin', () => {
    expect([...zh.keys()].filter((k) => !enFlat.has(k))).toEqual([])
  })

  it('every en key has a zh-CN twin', () => {
    expect([...enFlat.keys()].filter((k) => !zh.has(k))).toEqual([])
  })

  it('twins use the same named parameters', () => {
    const bad = [...zh.entries()].filter(([k, v]) => {
      const e = enFlat.get(k)
      return e !== undefined && JSON.stringify([...new Set(params(v))]) !== JSON.stringify([...new Set(params(e))])
    }).map(([k]) => k)
    expect(bad).toEqual([])
  })

  it('no message is empty and none uses the linked-message marker by accident', () => {
    for (const [k, v] of [...zh, ...enFlat]) {
      expect(v.trim(), k).not.toBe('')
      expect(v.includes('@'), k).toBe(false)
    }
  })
})

describe('code labels', () => {
  for (const [group, codes] of Object.entries(CODE_GROUPS)) {
    it(`every ${group} code has a zh-CN and an en label`, () => {
      const missing = codes.flatMap((c) => [`zh-CN:${c}`, `en:${c}`]).filter((x) => {
        const [loc, c] = x.split(':')
        return !(loc === 'zh-CN' ? zh : enFlat).has(`code.${group}.${c}`)
      })
      expect(missing).toEqual([])
    })
  }

  it('every outbox action label has a label in both languages', () => {
    for (const l of OUTBOX_LABELS) {
      const key = `outbox.${l.replace(/\./g, '_')}`
      expect(zh.has(key), key).toBe(true)
      expect(enFlat.has(key), key).toBe(true)
    }
  })

  it('labels follow the current language and fall back to the raw code, never a key path', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(codeLabel('tag', 'elderly_alone')).toBe('独居老人')
    expect(codeLabel('platform', 'grid_self')).toBe('网格自办')
    expect(codeLabel('state', 'no_such_state')).toBe('no_such_state')
    expect(outboxLabel('household.add_visit')).toBe('新增走访')
    expect(outboxLabel('incident.verify')).toBe('事件 · 核查通过')
    i18n.global.locale.value = 'en'
    expect(codeLabel('urgency', 'emergency')).toBe('Emergency')
    i18n.global.locale.value = 'zh-CN'
    expect(Object.values(PLATFORM_ALIASES).every((p) => CODE_GROUPS.platform.includes(p))).toBe(true)
  })
})
