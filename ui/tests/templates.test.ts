// @vitest-environment node
/// <reference types="node" />
// No user-visible string is hard-coded in a template: runs scripts/check-i18n.mjs over
// every .vue file, and shows on samples that the check catches what it should.
import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { checkDir, checkSfc } from '../scripts/check-i18n.mjs'

type Problem = { file?: string; line: number; kind: string; text: string }

describe('templates', () => {
  it('every template takes its text from vue-i18n', () => {
    const problems = (checkDir(fileURLToPath(new URL('../src', import.meta.url))) as Problem[])
      .map((p) => `${p.file}:${p.line} ${p.kind} ${p.text}`)
    expect(problems).toEqual([])
  })

  it('catches hard-coded text nodes and visible attributes, in Chinese or English', () => {
    const sfc = `<template>
      <div>住户
        <van-field placeholder="请输入" />
        <van-button title="Save">{{ t('common.save') }}</van-button>
        <input aria-label="search" data-testid="ok-not-visible" />
      </div>
    </template>`
    const found = (checkSfc(sfc) as Problem[]).map((p) => p.kind)
    expect(found).toEqual(['text', 'attr placeholder', 'attr title', 'attr aria-label'])
  })

  it('lets through i18n calls, bound attributes, punctuation and test ids', () => {
    const sfc = `<template><p :title="t('x')" data-testid="row">{{ t('a') }} · {{ n }} / 4000</p></template>`
    expect(checkSfc(sfc)).toEqual([])
  })
})
