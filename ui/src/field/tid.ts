// `v-tid="'id'"`: puts a stable data-testid where an end-to-end test needs it. On a Vant
// field or search (whose root is a cell) the id goes on the inner <input>/<textarea>, and the cell
// gets `<id>-cell` (its error message is inside it); anywhere else on the element itself.
import type { Directive } from 'vue'

function apply(el: HTMLElement, id: string | undefined): void {
  if (!id) return
  const inner = el.matches('input,textarea') ? null : el.querySelector('input,textarea')
  if (inner) {
    inner.setAttribute('data-testid', id)
    el.setAttribute('data-testid', `${id}-cell`)
  } else {
    el.setAttribute('data-testid', id)
  }
}

export const vTid: Directive<HTMLElement, string | undefined> = {
  mounted: (el, b) => apply(el, b.value),
  updated: (el, b) => apply(el, b.value),
}
