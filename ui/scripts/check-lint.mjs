// House rules for ui/src that a type checker does not see: every .ts module opens with a
// comment saying what it is; no file over 500 lines; no CJK text outside i18n/ and the
// demo backend; nothing loaded from the network (no http(s) URL other than loopback);
// nothing a strict CSP forbids (eval, new Function, v-html, inline <script> in index.html).
// Usage: node scripts/check-lint.mjs
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const MAX_LINES = 500
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]/
const CJK_ALLOWED = [
  `src${sep}i18n${sep}`, `src${sep}backend${sep}memory`, `src${sep}console${sep}backend${sep}memory`, `src${sep}bindings${sep}`,
]

function files(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...files(p))
    else if (/\.(ts|vue|mjs)$/.test(name)) out.push(p)
  }
  return out
}

const problems = []
const report = (f, line, msg) => problems.push(`${relative(root, f)}:${line}: ${msg}`)

for (const f of [...files(join(root, 'src')), ...files(join(root, 'scripts')), ...files(join(root, 'tests'))]) {
  const rel = relative(root, f)
  const text = readFileSync(f, 'utf8')
  const lines = text.split('\n')
  if (lines.length > MAX_LINES && !rel.startsWith(`src${sep}bindings${sep}`)) report(f, lines.length, `${lines.length} lines (max ${MAX_LINES}): split it`)
  const generated = rel.startsWith(`src${sep}bindings${sep}`)
  if (f.endsWith('.ts') && !generated && !/^\s*(\/\/|\/\*)/.test(text)) report(f, 1, 'a .ts module starts with a comment saying what it is')
  const isTest = rel.startsWith(`tests${sep}`)
  let inScript = !f.endsWith('.vue')
  lines.forEach((l, i) => {
    if (f.endsWith('.vue') && /^<script/.test(l)) inScript = true
    if (f.endsWith('.vue') && /^<\/script>/.test(l)) inScript = false
    if (!isTest && !rel.startsWith('scripts') && /\beval\s*\(|new\s+Function\s*\(/.test(l)) report(f, i + 1, 'eval / new Function breaks the strict CSP')
    if (/\sv-html\s*=/.test(l)) report(f, i + 1, 'v-html is not allowed')
    const urls = l.match(/https?:\/\/[^\s'"`)]+/g) ?? []
    for (const u of urls) {
      if (!/^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(u) && !isTest) report(f, i + 1, `network URL ${u}: nothing is loaded from the network`)
    }
    const code = /^\s*(\/\*\*?|\*)/.test(l) ? '' : l.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, '')
    if (!isTest && inScript && !CJK_ALLOWED.some((p) => rel.startsWith(p)) && CJK.test(code)) {
      report(f, i + 1, 'Chinese text outside i18n/: move it into zh-CN.ts')
    }
  })
}

for (const page of ['index.html', 'console.html']) {
  const html = readFileSync(join(root, page), 'utf8')
  if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) report(join(root, page), 1, 'inline <script> breaks the strict CSP')
  if (/https?:\/\//.test(html)) report(join(root, page), 1, `${page} loads something from the network`)
}

for (const p of problems) console.error(p)
if (problems.length) {
  console.error(`check-lint: ${problems.length} problem(s)`)
  process.exit(1)
}
console.log('check-lint: ok')
