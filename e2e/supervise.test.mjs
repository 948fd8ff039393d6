// The supervisor views inside the app, end to end: a grid head signs in on a fresh profile of
// the built app (WebKit window, 390×844), opens 督导 from 今日, and the console's screens load
// in the same window through the app's backend (requests sent by Rust with the device token:
// no cookie, no CSRF token, no password typed again). A visit is returned there with a
// reason and the server holds the return; the dashboard draws; 返回外勤 goes back to 今日;
// offline, the views say why they cannot open.
//
// Run through e2e/run.sh (phase `supervise`, after `field`, on the same demo database).
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { App, Server, consoleSession, env, steps, until } from './lib.mjs'

const server = new Server()
const HEAD = 'grid_head-001'
const PROFILE = path.join(env.work, 'profile-head-001')
const REASON = '走访内容过于简单，请写明见到的人和了解到的情况'
const REVIEW_ROW = '[data-testid^="review-row-"]'
const RETURN_REASON = '[data-testid="return-reason"]'

let app = null

const step = steps(() => app, 'failed-supervise-')

/** The grid head's review status of a record, read over the browser console's API (cookie + CSRF). */
async function statusOnServer(recordId) {
  const con = await consoleSession(HEAD)
  const page = await con.call('GET', '/reviews?status=returned&limit=500')
  return page.items?.find((i) => i.record_id === recordId) ?? null
}

after(async () => {
  if (app) await app.close()
  await server.stop()
})

describe('网格行 supervisor views inside the app', () => {
  step('a grid head signs in on a fresh profile and 今日 offers 督导', async () => {
    await server.start()
    app = await App.open(PROFILE)
    await app.login(HEAD)
    await app.waitFor('today-supervise-link')
    assert.ok((await app.text('today-supervise-link')).includes('督导'), 'the entry is in Chinese')
    await app.shot('30-today-supervise')
  })

  step('the review queue opens in the app window and a visit returned there reaches the server with its reason', async () => {
    await app.click('today-supervise-link')
    await app.waitFor('console-user', { timeout: 60000 }).catch(async (e) => {
      const page = await app.b.execute(() => `${location.href} ${document.body.innerText.slice(0, 300)}`)
      throw new Error(`${e.message}; the window shows: ${page}`)
    })
    assert.ok((await app.text('console-user')).length > 0, 'the console knows the app\'s user without a second sign-in')
    await app.waitFor('review-table')
    const row = await app.waitFor(REVIEW_ROW, { timeout: 60000 })
    const recordId = (await row.getAttribute('data-testid')).slice('review-row-'.length)
    await app.shot('31-supervise-queue')
    await row.click()
    await app.waitFor('review-detail-note')
    await app.click('review-return')
    await app.waitFor('return-dialog')
    await app.fill(RETURN_REASON, REASON)
    await app.click('return-confirm')
    const item = await until(() => statusOnServer(recordId), `the return of ${recordId} never reached the server`, { timeout: 30000, every: 1000 })
    assert.equal(item.status, 'returned', 'the server holds the return made inside the app')
    assert.equal(item.last_review?.reason, REASON, `the reason arrived as typed: ${JSON.stringify(item.last_review)}`)
    await app.shot('32-supervise-returned')
  })

  step('the dashboard draws in the app, and 返回外勤 goes back to 今日', async () => {
    await app.route('#/dashboard')
    await app.waitFor('dashboard')
    await app.waitFor('[data-testid^="dashboard-chart-"] canvas', { timeout: 60000 })
    await app.shot('33-supervise-dashboard')
    const back = await app.text('console-signout')
    assert.equal(back, '返回外勤', 'inside the app the header offers the way back, not a sign-out')
    await app.click('console-signout')
    await app.waitFor('today-screen', { timeout: 60000 })
    const { session } = await app.invoke('app_state')
    assert.equal(session?.role, 'grid_head', 'the device is still signed in after leaving the supervisor views')
  })

  step('offline, the supervisor views say why they cannot open and lead back to 今日', async () => {
    await server.stop()
    await app.click('today-supervise-link')
    await app.waitFor('embedded-problem', { timeout: 60000 })
    const why = await app.text('embedded-problem')
    assert.ok(/连接|网络/.test(why), `the reason names the connection, in Chinese: ${why}`)
    await app.shot('34-supervise-offline')
    await app.click('embedded-back')
    await app.waitFor('today-screen', { timeout: 60000 })
  })
})
