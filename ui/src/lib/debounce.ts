// A trailing debounce for search inputs: the last call within `ms` wins.
export function debounce<A extends unknown[]>(fn: (...a: A) => unknown, ms: number): ((...a: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null
  const wrapped = (...a: A) => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      void fn(...a)
    }, ms)
  }
  wrapped.cancel = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  return wrapped
}
