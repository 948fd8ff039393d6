// Fails when a .vue template shows text that does not come from vue-i18n: a text node with
// letters or CJK, or a static user-visible attribute (placeholder, title, label, …) with
// letters or CJK. Parses each template with @vue/compiler-sfc (no regex over HTML).
// Usage: node scripts/check-i18n.mjs [dir]   (default: src). Also imported by a vitest test.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from '@vue/compiler-sfc'

/** Attributes a user sees or hears (HTML, ARIA, and the Vant and Element Plus props that render text). */
export const VISIBLE_ATTRS = new Set([
  'placeholder', 'title', 'label', 'text', 'aria-label', 'alt', 'value', 'description', 'message',
  'left-text', 'right-text', 'confirm-button-text', 'cancel-button-text', 'loading-text', 'finished-text',
  'error-message', 'content', 'tooltip', 'name-text', 'confirm-text', 'cancel-text', 'sub-title', 'subtitle',
  // Element Plus (the console)
  'start-placeholder', 'end-placeholder', 'range-separator', 'empty-text', 'active-text', 'inactive-text', 'error',
])
const WORDY = /[A-Za-z\u3400-\u9fff\uf900-\ufaff]/

const NODE = { ELEMENT: 1, TEXT: 2, ATTRIBUTE: 6 }

/** Problems in one SFC source: `{ line, kind, text }`. */
export function checkSfc(source, filename = 'component.vue') {
  const { descriptor, errors } = parse(source, { filename })
  if (errors.length) return errors.map((e) => ({ line: e.loc?.start.line ?? 0, kind: 'parse', text: String(e.message ?? e) }))
  const ast = descriptor.template?.ast
  if (!ast) return []
  const out = []
  const walk = (node) => {
    if (node.type === NODE.TEXT && WORDY.test(node.content)) {
      out.push({ line: node.loc.start.line, kind: 'text', text: node.content.trim() })
    }
    if (node.type === NODE.ELEMENT) {
      for (const p of node.props) {
        if (p.type === NODE.ATTRIBUTE && VISIBLE_ATTRS.has(p.name) && p.value && WORDY.test(p.value.content)) {
          out.push({ line: p.loc.start.line, kind: `attr ${p.name}`, text: p.value.content })
        }
      }
    }
    for (const c of node.children ?? []) walk(c)
  }
  walk(ast)
  return out
}

export function vueFiles(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...vueFiles(p))
    else if (name.endsWith('.vue')) out.push(p)
  }
  return out.sort()
}

/** Every problem under `dir`, each `{ file, line, kind, text }`. */
export function checkDir(dir) {
  return vueFiles(dir).flatMap((f) => checkSfc(readFileSync(f, 'utf8'), f).map((p) => ({ file: f, ...p })))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const dir = process.argv[2] ?? join(root, 'src')
  const problems = checkDir(dir)
  for (const p of problems) console.error(`${relative(root, p.file)}:${p.line}: hard-coded ${p.kind}: ${JSON.stringify(p.text)}`)
  if (problems.length) {
    console.error(`check-i18n: ${problems.length} hard-coded string(s); use t('…') from vue-i18n`)
    process.exit(1)
  }
  console.log(`check-i18n: ${vueFiles(dir).length} templates, no hard-coded user-visible strings`)
}
