// The household list's virtual list keeps the DOM small: 3,000 rows mount only the few in
// view, and scrolling moves the window.
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, h, nextTick, type App, type Component } from 'vue'
import VirtualListSfc from '../src/field/components/VirtualList.vue'

// The generic SFC's own props type is not what h() expects; the test passes plain props.
const VirtualList = VirtualListSfc as unknown as Component
type Row = { id: string }
const items: Row[] = Array.from({ length: 3000 }, (_, i) => ({ id: `hh-${i}` }))
let app: App | null = null

function mountList(rowHeight: number): HTMLElement {
  const el = document.createElement('div')
  document.body.appendChild(el)
  app = createApp({
    render: () => h(VirtualList, { items, rowHeight, itemKey: (r: Row) => r.id }, {
      default: ({ item }: { item: Row }) => h('div', { class: 'r', 'data-testid': 'household-row', 'data-id': item.id }),
    }),
  })
  app.mount(el)
  return el
}

afterEach(() => {
  app?.unmount()
  app = null
  document.body.innerHTML = ''
})

describe('virtual list', () => {
  it('renders only the rows in view for 3,000 items', async () => {
    const el = mountList(96)
    await nextTick()
    const rows = el.querySelectorAll('[data-testid="household-row"]')
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThan(30)
    expect(rows[0].getAttribute('data-id')).toBe('hh-0')
    expect((el.querySelector('.vlist-spacer') as HTMLElement).style.height).toBe(`${3000 * 96}px`)
  })

  it('moves the window when scrolled', async () => {
    const el = mountList(100)
    await nextTick()
    const root = el.querySelector('.vlist') as HTMLElement
    root.scrollTop = 150_000
    root.dispatchEvent(new Event('scroll'))
    await new Promise((r) => requestAnimationFrame(() => r(null)))
    await nextTick()
    const ids = [...el.querySelectorAll('.r')].map((r) => r.getAttribute('data-id'))
    expect(ids).toContain('hh-1500')
    expect(ids).not.toContain('hh-0')
  })
})
