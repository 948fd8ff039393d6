// The supervision loop in a real browser: Debian's Chromium driven by playwright-core
// (executablePath, no browser download) on the console served by a real gridwalk-server,
// with the device side played by the device CLI. In order:
//   1. a grid head signs in at /console/ and returns a visit recorded by a grid worker;
//   2. the worker's device receives the return with its reason, fixes the visit, resubmits;
//   3. the grid head sees it as 已重新提交 with its lineage and approves it (the `a` key);
//   4. an incident goes reported (device) → grid-accepted (grid head) → accepted and routed
//      (dispatcher) → signed and fed back (handling unit) → verified (device) → closed and
//      rated by call-back (dispatcher);
//   then the dashboard and an export. Screenshots in Chinese go to e2e/artifacts/console/.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { ConsoleApi, Device, PASSWORD, cast, choose, env, field, findDeep, shot, until } from './lib.mjs'

const who = cast()
const device = new Device('worker')
const REASON = '走访记录没有写老人身体情况，请补充后重新提交'
const FIX = '已补充：老人血压平稳，子女每周探望；已提醒冬季用电和燃气安全。'
const NOTE = `控制台测试走访 ${Date.now()}`
const DESCRIPTION = '楼道口垃圾堆放多日无人清运，影响居民通行。'
const EVIDENCE = '已清运垃圾并设置临时收集点，附现场照片说明。'

let browser
let head // the grid head's page (1280x800)
let headApi
let visit // the review item the loop is about
let incidentId

async function signIn(username, viewport = { width: 1280, height: 800 }, firstShot = null) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => console.error(`[${username}] page error: ${e.message}`))
  await page.goto(`${env.base}/console/`)
  await page.locator('[data-testid=signin]').waitFor()
  if (firstShot) await shot(page, firstShot)
  await field(page, 'signin-username').fill(username)
  await field(page, 'signin-password').fill(PASSWORD)
  await page.locator('[data-testid=signin-submit]').click()
  await page.locator('[data-testid=console-user]').waitFor()
  return page
}

/** Finds the visit in the review queue (searching its address) and selects it. */
async function openReview(page, item) {
  await page.locator('[data-testid=nav-reviews]').click()
  await page.locator('.el-tabs__item', { hasText: '未审核' }).click()
  const search = field(page, 'review-search')
  await search.fill(item.address)
  const row = page.locator(`[data-testid="review-row-${item.record_id}"]`)
  await until(async () => {
    await search.press('Enter')
    return row.waitFor({ timeout: 2000 }).then(() => true, () => false)
  }, `visit ${item.record_id} never showed in the 未审核 queue`, { timeout: 20000, every: 500 })
  await row.click()
  await page.locator('[data-testid=review-detail-note]').waitFor()
  return row.locator('xpath=ancestor::tr[1]')
}

async function reviewStatus(item) {
  const d = await headApi.get(`/reviews/${item.household_id}/${item.record_id}`)
  return d
}

/** Opens an incident in the inbox of `page` (newest first). */
async function openIncident(page, id) {
  await page.locator('[data-testid=nav-incidents]').click()
  await page.locator('[data-testid=incidents]').waitFor()
  const row = page.locator(`[data-testid="incident-row-${id}"]`)
  await until(async () => {
    if (await row.isVisible()) return true
    await page.getByRole('button', { name: '刷新' }).click()
    return false
  }, `incident ${id} never showed in the inbox`, { timeout: 20000, every: 1000 })
  await row.click()
  await page.locator('[data-testid=incident-state]').waitFor()
}

/** Takes one action through its dialog and waits for the event to show in the log. */
async function act(page, action, fill = async () => {}) {
  const before = await page.locator(`[data-testid=incident-events] [data-action="${action}"]`).count()
  await page.locator(`[data-testid="incident-action-${action}"]`).click()
  const confirm = page.locator('[data-testid=action-confirm]:visible')
  await confirm.waitFor()
  await fill(page)
  await confirm.click()
  await until(async () => (await page.locator(`[data-testid=incident-events] [data-action="${action}"]`).count()) > before,
    `the ${action} event never showed`, { timeout: 15000 })
  // The message is read only when there is an error: reading an absent element waits 30 s.
  const err = page.locator('[data-testid=action-error]:visible')
  if ((await err.count()) > 0) assert.fail(`${action} was refused: ${await err.first().textContent()}`)
}

/** Fails fast, naming the moment, when the page's main thread no longer answers. */
async function alive(page, when) {
  const ok = await Promise.race([page.evaluate(() => true), new Promise((r) => setTimeout(() => r(false), 5000))])
  assert.ok(ok, `the console page stopped answering ${when}`)
}

const stateOf = (page) => page.locator('[data-testid=incident-state]').getAttribute('data-state')

describe('the supervision loop in Chromium', () => {
  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--lang=zh-CN'] })
    console.log(`cast: ${JSON.stringify({ ...who, unit: who.unit.name })}`)
  })
  after(async () => {
    await browser?.close()
  })

  it('a grid head signs in at /console/ and returns a visit recorded on a device, with a reason', async () => {
    device.run('login', who.worker, PASSWORD)
    device.run('sync')
    device.run('add-visit', '--household', who.household, '--note', NOTE)
    device.run('sync')
    headApi = await ConsoleApi.signIn(who.head)
    const pick = (items) => items.find((i) => i.note === NOTE)
    await until(async () => {
      visit = pick((await headApi.get(`/reviews?status=unreviewed&grid_id=${who.grid}&limit=200`)).items)
      return Boolean(visit)
    }, `the device's visit never showed in the grid head's 未审核 queue`, { timeout: 20000, every: 500 })

    head = await signIn(who.head, undefined, '01-sign-in')
    await head.locator('[data-testid=review-table]').waitFor()
    await head.locator('[data-testid^=review-row-]').first().waitFor()
    await shot(head, '02-review-queue')

    await openReview(head, visit)
    await head.locator('[data-testid=review-return]').click()
    await field(head, 'return-reason').fill(REASON)
    await head.locator('[data-testid=return-confirm]').click()
    await until(async () => (await reviewStatus(visit)).item.status === 'returned', 'the visit never became returned')
  })

  it('the device receives the return with its reason, fixes the visit and resubmits it', async () => {
    await alive(head, 'after the return')
    device.run('sync')
    const returned = device.run('returned')
    assert.ok(findDeep(returned, (v) => v === visit.record_id), `the device's returned list lacks the visit: ${JSON.stringify(returned)}`)
    assert.ok(findDeep(returned, (v) => v === REASON), 'the device must show the reviewer\'s reason')
    device.run('fix-visit', visit.record_id, '--note', FIX)
    device.run('sync')
    const d = await until(async () => {
      const x = await reviewStatus(visit)
      return x.item.status === 'resubmitted' ? x : null
    }, 'the fix never reached the server as resubmitted')
    assert.deepEqual(d.lineage.map((l) => l.kind), ['submitted', 'returned', 'fixed'], 'the lineage keeps the submission, the return and the fix')
  })

  it('the grid head sees it as 已重新提交 with its lineage and approves it with the a key', async () => {
    await alive(head, 'before the resubmitted visit is opened')
    const listed = await headApi.get(`/reviews?status=unreviewed&q=${encodeURIComponent(visit.address)}&limit=50`)
    assert.ok(listed.items.some((i) => i.record_id === visit.record_id && i.status === 'resubmitted'),
      `the 未审核 queue lists the resubmitted visit: ${JSON.stringify(listed.items.map((i) => [i.record_id, i.status]))}`)
    const row = await openReview(head, visit).catch(async (e) => {
      await shot(head, 'failed-03')
      throw e
    })
    await row.locator('[data-status=resubmitted]').waitFor()
    assert.equal((await row.locator('[data-status=resubmitted]').textContent()).trim(), '已重新提交')
    await head.locator('[data-testid=lineage-returned]').waitFor()
    await head.locator('[data-testid=lineage-fixed]').waitFor()
    assert.ok((await head.locator('[data-testid=review-lineage]').textContent()).includes(REASON), 'the lineage shows the return reason')
    assert.ok((await head.locator('[data-testid=review-detail-note]').textContent()).includes(FIX), 'the detail shows the fixed note')
    await shot(head, '03-lineage')
    await head.evaluate(() => (document.activeElement instanceof HTMLElement) && document.activeElement.blur())
    await head.keyboard.press('a')
    const d = await until(async () => {
      const x = await reviewStatus(visit)
      return x.item.status === 'approved' ? x : null
    }, 'the a key never approved the visit')
    assert.deepEqual(d.lineage.map((l) => l.kind), ['submitted', 'returned', 'fixed', 'approved'])
  })

  it('an incident goes reported, accepted, routed, signed, handled, verified, closed and rated', async () => {
    const out = device.run('report-incident', '--household', who.household, '--category', 'enforcement.garbage', '--description', DESCRIPTION)
    incidentId = typeof out === 'string' ? out.trim() : out.id ?? out.incident_id
    assert.ok(incidentId, `report-incident printed no id: ${JSON.stringify(out)}`)
    device.run('sync')

    await openIncident(head, incidentId)
    assert.equal(await stateOf(head), 'reported')
    await act(head, 'grid_accept')

    const dispatcher = await signIn(who.dispatcher)
    await openIncident(dispatcher, incidentId)
    await act(dispatcher, 'accept')
    await act(dispatcher, 'route', async (p) => {
      await choose(p, 'action-platform', '综合执法')
      await choose(p, 'action-unit', who.unit.name)
    })
    assert.equal(await stateOf(dispatcher), 'routed')

    const unit = await signIn(who.unitUser)
    await openIncident(unit, incidentId)
    await act(unit, 'sign')
    await act(unit, 'feedback', async (p) => field(p, 'action-note').fill(EVIDENCE))
    assert.equal(await stateOf(unit), 'handled')

    device.run('sync')
    device.run('incident-action', incidentId, 'verify')
    device.run('sync')

    await until(async () => {
      await openIncident(dispatcher, incidentId)
      return (await stateOf(dispatcher)) === 'verified'
    }, 'the verification never reached the dispatcher', { timeout: 30000, every: 1000 })
    await act(dispatcher, 'close')
    await act(dispatcher, 'rate', async (p) => {
      await p.locator('.el-radio-button__inner:visible').filter({ hasText: /^满意$/ }).click()
    })
    assert.equal(await stateOf(dispatcher), 'rated')
    await shot(dispatcher, '04-incident-detail')

    const detail = await headApi.get(`/incidents/${incidentId}`)
    const actions = detail.events.filter((e) => !e.flagged).map((e) => e.action)
    for (const a of ['report', 'grid_accept', 'accept', 'route', 'sign', 'feedback', 'verify', 'close', 'rate']) {
      assert.ok(actions.includes(a), `the event log lacks ${a}: ${actions.join(', ')}`)
    }
    assert.equal(detail.item.state, 'rated')
    await dispatcher.context().close()
    await unit.context().close()
  })

  it('the dashboard draws its charts and an export runs to a downloadable workbook', async () => {
    await head.locator('[data-testid=nav-dashboard]').click()
    await head.locator('[data-testid=dashboard-chart-grids] canvas').waitFor({ timeout: 20000 })
    await shot(head, '05-dashboard')

    await head.locator('[data-testid=nav-export]').click()
    await head.locator('[data-testid=export-start]').click()
    const link = head.locator('[data-testid=export-download]')
    await link.waitFor({ timeout: 60000 })
    const res = await head.request.get(new URL(await link.getAttribute('href'), head.url()).toString())
    assert.equal(res.status(), 200)
    const body = await res.body()
    assert.equal(body.subarray(0, 2).toString(), 'PK', 'an .xlsx file is a zip archive')
  })

  it('a page of 200 records is selected at once and approved in one request, each with its result', async () => {
    await head.locator('[data-testid=nav-reviews]').click()
    const search = field(head, 'review-search')
    await search.fill('')
    await search.press('Enter')
    await head.locator('.el-pagination__sizes .el-select').click()
    await head.locator('.el-select-dropdown__item:visible', { hasText: '200' }).click()
    await until(async () => (await head.locator('[data-testid^=review-row-]').count()) >= 100, 'a page of 100+ rows never showed')
    await head.waitForTimeout(1000)
    const rows = await head.locator('[data-testid^=review-row-]').count()
    assert.ok(rows >= 100, `a page holds ${rows} rows`)
    await head.locator('[data-testid=review-table] .el-table__header .el-checkbox').click()
    const batch = head.locator('[data-testid=review-batch-approve]')
    await until(async () => (await batch.textContent()).includes(`(${rows})`),
      `select-all should pick all ${rows} rows: ${await batch.textContent()}`, { timeout: 5000 })
    const posts = []
    head.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/console/reviews')) posts.push(r) })
    await batch.click()
    const msg = head.locator('.el-message', { hasText: '通过' })
    await msg.waitFor({ timeout: 60000 })
    assert.equal(posts.length, 1, 'one request carries the whole batch')
    assert.equal(JSON.parse(posts[0].postData()).items.length, rows)
    assert.ok((await msg.textContent()).includes(`通过 ${rows} 条`), `every record went through: ${await msg.textContent()}`)
  })

  it('the console works at 390 px wide', async () => {
    const phone = await signIn(who.head, { width: 390, height: 844 })
    await phone.locator('[data-testid^=review-row-]').first().waitFor()
    await shot(phone, '06-review-queue-390')
    await phone.context().close()
  })
})
