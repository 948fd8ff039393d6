// Masking helpers (DOMAIN.md "Privacy"): the first 3 and last 4 characters stay visible.
// The backend masks what it sends; these mask values the UI itself holds (a phone just
// typed into the edit dialog, the in-memory demo backend) the same way core does.
import { normalize, normalizePhone } from './validate'

/** Keeps `head` first and `tail` last characters; very short strings keep less. */
export function maskKeep(s: string, head: number, tail: number): string {
  const chars = [...s]
  const n = chars.length
  let [h, t] = [head, tail]
  if (n <= head + tail) [h, t] = n > 2 ? [0, 1] : [0, 0]
  return chars.map((c, i) => (i < h || i >= n - t ? c : '*')).join('')
}

/** `331102199003071231` → `331***********1231`. */
export function maskId(number: string): string {
  return maskKeep(normalize(number), 3, 4)
}

/** `13812345678` → `138****5678`; `0578-2123456` → `0578-***3456`. */
export function maskPhone(p: string): string {
  const n = normalizePhone(p)
  if (n === null) return maskKeep(normalize(p), 3, 4)
  if (n.startsWith('1')) return maskKeep(n, 3, 4)
  const [area, local, ext] = n.split('-')
  return `${area}-${maskKeep(local, 0, 4)}${ext ? `-${ext}` : ''}`
}

/** Is this string a masked value (has `*` in it)? */
export function isMasked(s: string | null | undefined): boolean {
  return !!s && s.includes('*')
}
