// Shared helpers of the end-to-end tests: the real sync server (start, stop, its HTTP API)
// and app sessions driven through tauri-driver (one WebDriver session = one app process
// on one --profile). e2e/run.sh sets the GW_* variables and starts Xvfb and tauri-driver.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { remote } from 'webdriverio'

function need(name) {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run the tests through e2e/run.sh`)
  return v
}

export const env = {
  app: need('GW_APP'),
  serverBin: need('GW_SERVER_BIN'),
  db: need('GW_DB'),
  work: need('GW_WORK'),
  art: need('GW_ART'),
  driverPort: Number(need('GW_DRIVER_PORT')),
  serverPort: Number(need('GW_SERVER_PORT')),
}
export const serverUrl = `http://127.0.0.1:${env.serverPort}`
export const PASSWORD = 'gridwalk2026'

export { sleep }

/** Polls `fn` until it returns a truthy value; throws `msg` after `timeout` ms. */
export async function until(fn, msg, { timeout = 30000, every = 200 } = {}) {
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

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => { s.destroy(); resolve(true) })
    s.once('error', () => resolve(false))
  })
}

/** The real gridwalk-server on one SQLite file and one loopback port. */
export class Server {
  constructor(db = env.db, port = env.serverPort) {
    this.db = db
    this.port = port
    this.proc = null
    this.log = path.join(env.work, 'server.log')
    this.pidFile = path.join(env.work, 'server.pid')
  }

  async start() {
    if (this.proc) return
    const out = fs.openSync(this.log, 'a')
    this.proc = spawn(env.serverBin, ['--db', this.db, 'serve', '--listen', `127.0.0.1:${this.port}`], {
      stdio: ['ignore', out, out],
    })
    fs.closeSync(out)
    fs.writeFileSync(this.pidFile, String(this.proc.pid))
    const proc = this.proc
    proc.once('exit', () => { if (this.proc === proc) this.proc = null })
    await until(() => portOpen(this.port), `the server did not listen on ${this.port}`, { timeout: 30000, every: 100 })
  }

  async stop() {
    const proc = this.proc
    if (!proc) return
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGTERM')
    const killed = await Promise.race([exited.then(() => true), sleep(10000).then(() => false)])
    if (!killed) {
      proc.kill('SIGKILL')
      await exited
    }
    this.proc = null
    fs.rmSync(this.pidFile, { force: true })
    await until(async () => !(await portOpen(this.port)), 'the server port stayed open after stop', { timeout: 10000 })
  }

  /** Runs an admin command of the server binary on this database (`device revoke ID`, …). */
  async admin(args) {
    const { execFileSync } = await import('node:child_process')
    return execFileSync(env.serverBin, ['--db', this.db, ...args], { encoding: 'utf8' })
  }

  /** POST /api/v1/login: a device token for `username`. */
  async login(username, deviceName = 'e2e-checker') {
    const r = await fetch(`${serverUrl}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD, device_name: deviceName }),
    })
    if (!r.ok) throw new Error(`login as ${username}: HTTP ${r.status} ${await r.text()}`)
    return (await r.json()).token
  }

  /** GET /api/v1/docs/{id} as JSON, or throws with the status. */
  async doc(token, id) {
    const r = await fetch(`${serverUrl}/api/v1/docs/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    if (!r.ok) throw new Error(`GET /api/v1/docs/${id}: HTTP ${r.status} ${await r.text()}`)
    return r.json()
  }
}

/** A CSS selector for a data-testid, with optional attribute filters. */
export function tid(id, attrs = {}) {
  return `[data-testid="${id}"]` + Object.entries(attrs).map(([k, v]) => `[${k}="${v}"]`).join('')
}

/** One app process on one profile, driven over WebDriver. */
export class App {
  static async open(profile, { args = [] } = {}) {
    fs.mkdirSync(profile, { recursive: true })
    const b = await remote({
      hostname: '127.0.0.1',
      port: env.driverPort,
      logLevel: 'silent',
      connectionRetryTimeout: 180000,
      connectionRetryCount: 0,
      capabilities: {
        'tauri:options': {
          application: env.app,
          args: ['--profile', profile, '--server', serverUrl, '--sync-interval', '0', ...args],
        },
        'wdio:enforceWebDriverClassic': true,
      },
    })
    const app = new App(b, profile)
    try {
      await b.setWindowSize(390, 844)
    } catch {
      // The window opens at 390×844 anyway (tauri.conf.json).
    }
    await until(() => b.execute(() => document.readyState === 'complete' && !!document.querySelector('#app')?.children.length),
      'the UI did not mount', { timeout: 30000 })
    // The app routes to its first screen once it knows the session: a route set before that
    // would be overridden, so wait for it.
    await until(() => b.execute(() => !!document.querySelector(
      '[data-testid="first-run"], [data-testid="today-screen"], [data-testid="locked-screen"]')),
    'the app never showed its first screen', { timeout: 60000 })
    return app
  }

  constructor(b, profile) {
    this.b = b
    this.profile = profile
  }

  async close() {
    try {
      await this.b.deleteSession()
    } catch {
      // The app may already be gone; tauri-driver cleans up its side.
    }
  }

  $(sel) {
    return this.b.$(sel.startsWith('[') || sel.startsWith('.') ? sel : tid(sel))
  }

  $$(sel) {
    return this.b.$$(sel.startsWith('[') || sel.startsWith('.') ? sel : tid(sel))
  }

  async waitFor(sel, { timeout = 30000 } = {}) {
    const e = this.$(sel)
    await e.waitForDisplayed({ timeout, timeoutMsg: `${sel} was not shown within ${timeout} ms` })
    return e
  }

  async exists(sel) {
    return this.$(sel).isExisting()
  }

  /** Taps an element; retries while a toast or a closing popup still covers it. */
  async click(sel, opts) {
    const e = await this.waitFor(sel, opts)
    await e.scrollIntoView({ block: 'center' }).catch(() => {})
    for (let i = 0; ; i++) {
      try {
        await e.click()
        return e
      } catch (err) {
        if (i >= 15 || !/intercepted|not interactable/i.test(String(err?.message))) throw err
        await sleep(200)
      }
    }
  }

  /** Waits (up to 5 s) until no toast is shown, so screenshots show the screen itself. */
  async settle() {
    await until(async () => {
      for (const t of await this.$$('.van-toast')) if (await t.isDisplayed()) return false
      return true
    }, 'a toast stayed up', { timeout: 5000 }).catch(() => {})
    await sleep(350) // popups animate for 300 ms
  }

  /** Sets an input's or textarea's value as typing does (an `input` event), then checks it. */
  async fill(sel, value) {
    await this.waitFor(sel)
    const css = sel.startsWith('[') || sel.startsWith('.') ? sel : tid(sel)
    const got = await this.b.execute((css, value) => {
      const el = document.querySelector(css)
      const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype
      Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value)
      el.dispatchEvent(new Event('input', { bubbles: true }))
      el.dispatchEvent(new Event('change', { bubbles: true }))
      el.dispatchEvent(new Event('blur'))
      return el.value
    }, css, value)
    if (got !== value) throw new Error(`${sel} holds ${JSON.stringify(got)} after typing ${JSON.stringify(value)}`)
  }

  async text(sel) {
    return (await (await this.waitFor(sel)).getText()).trim()
  }

  async value(sel) {
    return (await this.waitFor(sel)).getValue()
  }

  async attr(sel, name) {
    return (await this.waitFor(sel)).getAttribute(name)
  }

  async route(hash) {
    await this.b.execute((h) => { window.location.hash = h }, hash)
  }

  async shot(name) {
    await this.settle()
    await this.b.saveScreenshot(path.join(env.art, `${name}.png`))
  }

  /** Goes to a main tab: taps it in the tab bar, or follows its route where no tab bar is shown. */
  async tab(name) {
    const t = this.$(tid(`tab-${name}`))
    if ((await t.isExisting()) && (await t.isDisplayed())) await t.click()
    else await this.route(`#/${name}`)
  }

  /** The number of actions waiting to be sent, as the 今日 sync card shows it. */
  async pending() {
    await this.tab('today')
    await this.waitFor('today-screen')
    return Number(await this.text('pending-count'))
  }

  /** Taps 立即同步 on the sync screen and waits until the sync is over. Returns the screen's state. */
  async syncNow({ timeout = 180000 } = {}) {
    await this.route('#/sync')
    await this.waitFor('sync-screen')
    const btn = await this.waitFor('sync-now')
    await until(async () => !(await btn.getAttribute('class')).includes('van-button--loading'),
      'an earlier sync did not finish', { timeout })
    await btn.click()
    await sleep(300)
    await until(async () => !(await btn.getAttribute('class')).includes('van-button--loading'),
      'the sync did not finish', { timeout })
    return {
      offline: await this.exists('sync-offline-banner') && await this.$('sync-offline-banner').isDisplayed(),
      error: (await this.exists('sync-error')) ? await this.text('sync-error') : null,
      pending: Number(await this.text('pending-count')),
    }
  }

  /** Signs in on the first-run screen and waits for 今日. */
  async login(username) {
    await this.waitFor('first-run')
    await this.fill('login-username', username)
    await this.fill('login-password', PASSWORD)
    await this.click('login-submit')
    await this.waitFor('today-screen', { timeout: 60000 })
  }

  /**
   * Calls an app command directly over IPC, as the UI does. Only for reading what the
   * test needs to choose its input (form options) or to check a count between screens.
   */
  async invoke(cmd, args = {}) {
    const r = await this.b.executeAsync((cmd, args, done) => {
      window.__TAURI_INTERNALS__.invoke(cmd, args).then((v) => done({ ok: v }), (e) => done({ err: e }))
    }, cmd, args)
    if (r && 'err' in r) throw new Error(`${cmd}: ${JSON.stringify(r.err)}`)
    return r.ok
  }

  /** Pending actions straight from the app (sync_status), without leaving the screen. */
  async pendingNow() {
    return Number((await this.invoke('sync_status')).pending_actions)
  }

  /** The error text shown under an input (`<id>-cell`). */
  async fieldError(id) {
    const e = this.b.$(`${tid(`${id}-cell`)} .van-field__error-message`)
    await e.waitForDisplayed({ timeout: 5000, timeoutMsg: `no error message under ${id}` })
    return (await e.getText()).trim()
  }

  /** Confirms the visible Vant dialog. */
  async confirmDialog() {
    const btn = await until(async () => {
      for (const e of await this.$$('.van-dialog__confirm')) if (await e.isDisplayed()) return e
      return null
    }, 'no confirm dialog was shown')
    await btn.click()
  }
}

/**
 * The steps of one story: each an `it` that is skipped once an earlier step failed (the later
 * ones build on it), with a screenshot of the app (`getApp()`) named `<prefix><step>` on failure.
 */
export function steps(getApp, prefix) {
  let broken = null
  return function step(name, fn, timeout = 300000) {
    it(name, { timeout }, async (t) => {
      if (broken) {
        t.skip(`an earlier step failed: ${broken}`)
        return
      }
      try {
        await fn(t)
      } catch (e) {
        broken = name
        const app = getApp()
        if (app) await app.shot(`${prefix}${name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => {})
        throw e
      }
    })
  }
}

/** A console session (POST /api/v1/console/session): the cookie kept, the CSRF token sent on writes. */
export async function consoleSession(username) {
  const base = `${serverUrl}/api/v1/console`
  const r = await fetch(`${base}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  if (!r.ok) throw new Error(`console sign-in as ${username}: HTTP ${r.status} ${await r.text()}`)
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]
  assert.match(cookie, /^gw_console=/, 'the console session is a cookie')
  const { csrf_token: csrf } = await r.json()
  return {
    async call(method, p, body) {
      const headers = { cookie }
      if (method !== 'GET') Object.assign(headers, { 'content-type': 'application/json', 'x-csrf-token': csrf })
      const res = await fetch(`${base}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${text}`)
      return text ? JSON.parse(text) : null
    },
  }
}
