// Keyboard shortcuts of the review queue, as pure functions: which command a key press
// means (j/k move, a approves, r opens the return dialog), never while the user is typing
// in a field or holding a modifier, and how the selection moves.

export type QueueCommand = 'next' | 'prev' | 'approve' | 'return'

/** What the handler needs from a KeyboardEvent (so tests pass plain objects). */
export interface KeyLike {
  key: string
  ctrlKey?: boolean
  metaKey?: boolean
  altKey?: boolean
  target?: EventTarget | null
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

/** Is the event's target somewhere the user types text? */
export function isTyping(target: EventTarget | null | undefined): boolean {
  if (!target || typeof target !== 'object') return false
  const el = target as { tagName?: string; isContentEditable?: boolean; closest?: (s: string) => unknown }
  if (el.isContentEditable) return true
  if (el.tagName && TYPING_TAGS.has(el.tagName.toUpperCase())) return true
  return false
}

const COMMANDS: Record<string, QueueCommand> = { j: 'next', k: 'prev', a: 'approve', r: 'return' }

/** The queue command of a key press, or null (typing, modifiers, other keys). */
export function queueCommand(e: KeyLike): QueueCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null
  if (isTyping(e.target)) return null
  return COMMANDS[e.key] ?? null
}

/** The new selected index after moving by `delta` in a list of `length` (clamped; -1 when empty). */
export function moveIndex(index: number, length: number, delta: number): number {
  if (length <= 0) return -1
  if (index < 0) return delta > 0 ? 0 : length - 1
  return Math.min(length - 1, Math.max(0, index + delta))
}
