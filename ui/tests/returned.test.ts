// The field side of the review loop over the demo backend: 需修改 lists the returned visit
// with its reason; the record view shows the reason, who returned it and the lineage, and
// its "修改并重新提交" form is prefilled, saves the fix and shows 已重新提交 and 待同步.
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, nextTick, type App, type Component } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import Returned from '../src/field/screens/Returned.vue'
import RecordView from '../src/field/screens/RecordView.vue'
import { memoryBackend } from '../src/backend/memory'
import { setBackend } from '../src/backend'
import { createStores } from '../src/lib/stores'
import { i18n } from '../src/i18n'
import { useVant } from '../src/field/vant'

let app: App | null = null
const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0))
    await nextTick()
  }
}
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

async function mount(c: Component, props: Record<string, string> = {}) {
  const b = memoryBackend()
  setBackend(b)
  createStores(b)
  const el = document.createElement('div')
  document.body.appendChild(el)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
  app = createApp(c, props)
  useVant(app)
  app.use(i18n).use(router)
  app.mount(el)
  await settle()
  return b
}

afterEach(() => {
  app?.unmount()
  app = null
  document.body.innerHTML = ''
})

describe('需修改 list', () => {
  it('shows each returned record with its reason and links to the record', async () => {
    await mount(Returned)
    const rows = document.querySelectorAll('[data-testid="returned-row"]')
    expect(rows.length, 'the demo has one returned visit').toBe(1)
    expect(rows[0].getAttribute('data-id')).toBe('v-r1')
    expect(q('returned-row-reason')?.textContent, 'the reason is on the row').toContain('未写明见到的人')
  })
})

describe('a returned record', () => {
  it('shows the reason, the reviewer and the lineage, with the form prefilled', async () => {
    await mount(RecordView, { kind: 'visit', id: 'v-r1' })
    expect(q('record-status')?.getAttribute('data-status')).toBe('returned')
    expect(q('record-reason')?.textContent).toBe('未写明见到的人，请补充')
    expect(q('record-returned-by')?.textContent, 'who returned it is shown').toContain('陈建华')
    const steps = [...document.querySelectorAll('[data-testid="lineage-step"]')].map((s) => s.getAttribute('data-kind'))
    expect(steps, 'submission then return').toEqual(['submitted', 'returned'])
    expect((q('fix-note') as HTMLTextAreaElement).value, 'the form starts from the current note').toBe('上门看望，老人身体尚可。')
  })

  it('a fix resubmits it, leaves 需修改 and waits for sync', async () => {
    const b = await mount(RecordView, { kind: 'visit', id: 'v-r1' })
    const note = q('fix-note') as HTMLTextAreaElement
    note.value = '见到户主本人，身体尚可。'
    note.dispatchEvent(new Event('input'))
    ;(q('fix-submit') as HTMLButtonElement).click()
    await settle()
    expect(q('record-status')?.getAttribute('data-status')).toBe('resubmitted')
    expect(q('record-pending'), 'the fix is shown as not yet sent').not.toBeNull()
    expect(q('record-reason')?.textContent, 'the reason stays visible after the fix').toContain('未写明见到的人')
    const kinds = [...document.querySelectorAll('[data-testid="lineage-step"]')].map((s) => s.getAttribute('data-kind'))
    expect(kinds.at(-1)).toBe('fixed')
    expect(await b.returnedRecords(), 'a fixed record leaves 需修改').toEqual([])
    expect((await b.today()).returned_count).toBe(0)
  })
})
