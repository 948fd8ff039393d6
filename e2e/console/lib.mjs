// Helpers of the console's end-to-end test: the environment run.sh sets, the demo's people
// and places read from the server's SQLite file, the device CLI (one --profile per device,
// JSON on stdout), the console JSON API over fetch (for checks only; the test acts through
// the browser), and small Playwright helpers for Element Plus widgets.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

function need(name) {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run the test through e2e/console/run.sh`)
  return v
}

export const env = {
  base: need('GW_BASE'),
  db: need('GW_DB'),
  cli: need('GW_CLI'),
  work: need('GW_WORK'),
  art: need('GW_ART'),
}
export const PASSWORD = 'gridwalk2026'
export { sleep }

/** Polls `fn` until it returns a truthy value; throws `msg` after `timeout` ms. */
export async function until(fn, msg, { timeout = 30000, every = 250 } = {}) {
  const end = Date.now() + timeout
  let last
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > end) throw new Error(`${msg} (waited ${timeout} ms)${last ? `: ${last.message}` : ''}`)
    await sleep(every)
  }
}

/** Rows of a query on the server's SQLite file (read-only), each an array of strings. */
export function sql(query) {
  const out = execFileSync('sqlite3', ['-readonly', '-separator', '\t', env.db, query], { encoding: 'utf8' })
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'))
}

const one = (query, what) => {
  const r = sql(query)[0]
  if (!r) throw new Error(`the demo has no ${what}`)
  return r
}

/**
 * The people and places of one grid, read from the demo: its grid head, a grid worker of
 * the grid, the township's dispatcher, a township handling unit for the law-enforcement
 * platform and that unit's user.
 */
export function cast() {
  const [head, headArea] = one("select username, area_id from users where role = 'grid_head' order by username limit 1", 'grid head')
  const [worker, grid, workerName] = one(`select u.username, u.area_id, u.name from users u join areas a on a.id = u.area_id
    where u.role = 'grid_worker' and a.level = 'grid' and (a.parent_id = '${headArea}' or a.id = '${headArea}') order by u.username limit 1`, 'grid worker under the grid head')
  const [township] = one(`select parent_id from areas where id = '${headArea}'`, 'township of the grid head')
  const [dispatcher] = one(`select username from users where role = 'dispatcher' and area_id = '${township}' order by username limit 1`, 'dispatcher')
  const units = JSON.parse(one("select json from reference_blobs where name = 'units'", 'units')[0])
  const unit = units.find((u) => u.township_id === township && u.platform === 'law_enforcement')
  if (!unit) throw new Error('the demo township has no law-enforcement unit')
  const [unitUser] = one(`select username from users where role = 'handling_unit' and unit_id = '${unit.id}' order by username limit 1`, 'user of the unit')
  const [household] = one(`select household_id from placements where grid_id = '${grid}' order by household_id limit 1`, 'household in the grid')
  return { head, worker, workerName, grid, township, dispatcher, unit, unitUser, household }
}

/** One device: the CLI on its own profile directory. */
export class Device {
  constructor(name) {
    this.profile = path.join(env.work, `device-${name}`)
    fs.mkdirSync(this.profile, { recursive: true })
  }

  /** Runs a subcommand; returns its parsed JSON (or the raw text when it is not JSON). */
  run(...args) {
    let out
    try {
      out = execFileSync(env.cli, ['--profile', this.profile, '--server', env.base, ...args], { encoding: 'utf8', timeout: 120000 })
    } catch (e) {
      throw new Error(`gridwalk-field-cli ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`)
    }
    const text = out.trim()
    try {
      return JSON.parse(text)
    } catch {
      const last = text.split('\n').filter(Boolean).pop() ?? ''
      try {
        return JSON.parse(last)
      } catch {
        return text
      }
    }
  }
}

/** Does any value inside `v` (objects and arrays, any depth) satisfy `pred`? */
export function findDeep(v, pred) {
  if (pred(v)) return v
  if (v && typeof v === 'object') {
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      const r = findDeep(x, pred)
      if (r !== undefined) return r
    }
  }
  return undefined
}

/** The console JSON API as one user (cookie + CSRF token), for checks beside the browser. */
export class ConsoleApi {
  static async signIn(username) {
    const res = await fetch(`${env.base}/api/v1/console/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
    })
    if (!res.ok) throw new Error(`console sign-in as ${username}: ${res.status} ${await res.text()}`)
    const body = await res.json()
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]
    return Object.assign(new ConsoleApi(), { cookie, csrf: body.csrf_token, user: body.user })
  }

  async get(p) {
    const res = await fetch(`${env.base}/api/v1/console${p}`, { headers: { Cookie: this.cookie } })
    if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`)
    return res.json()
  }
}

/** The text input or text area behind a data-testid (Element Plus puts attributes on either). */
export function field(page, id) {
  return page.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`).first()
}

/** Picks an option of an Element Plus select by its visible label. */
export async function choose(page, id, label) {
  await page.locator(`[data-testid="${id}"]`).first().click()
  const opt = page.locator('.el-select-dropdown__item:visible', { hasText: label }).first()
  await opt.waitFor({ state: 'visible' })
  await opt.click()
}

export async function shot(page, name) {
  await page.waitForTimeout(400)
  await page.screenshot({ path: path.join(env.art, `${name}.png`) })
}
