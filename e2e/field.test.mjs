// The field app end to end: the built app in a WebKit window, a real gridwalk-server with the
// demo county, two grid workers of one grid on two profiles. Offline work, sync, the server's
// copy checked field by field, the second worker's view, a same-field conflict resolved in the
// app, bad input refused in place, a visit returned through the console API, shown with its
// reason, fixed in the app and seen resubmitted by the console, and a screenshot of every
// main screen (390×844, Chinese).
//
// Run through e2e/run.sh (it starts Xvfb and tauri-driver and prepares the database).
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { execFileSync } from 'node:child_process'
import { App, Server, consoleSession, env, serverUrl, sleep, steps, tid, until } from './lib.mjs'

const server = new Server()
const PROFILE_A = path.join(env.work, 'profile-worker-001')
const PROFILE_B = path.join(env.work, 'profile-worker-e2e')
const WORKER_A = 'grid_worker-001'
const WORKER_B = 'grid_worker-e2e' // added to grid_worker-001's grid by run.sh

/** What the test typed and the ids it got back, checked later against the server. */
const S = {}
let app = null

const step = steps(() => app, 'failed-')

async function open(profile) {
  if (app) await app.close()
  app = await App.open(profile)
  return app
}

async function openCard(id) {
  await app.route(`#/households/${id}`)
  await app.waitFor(tid('household-card'))
  await app.waitFor(tid('member'))
}

/** Edits a member's phone in the card's dialog; returns the dialog's error text, if refused. */
async function editPhone(personId, value) {
  await app.click(`${tid('member', { 'data-id': personId })} ${tid('edit-phone')}`)
  await app.waitFor('phone-input')
  await app.fill('phone-input', value)
  await app.click('phone-save')
}

after(async () => {
  if (app) await app.close()
  await server.stop()
})

describe('网格行 field app, end to end', () => {
  step('a grid worker signs in on a fresh profile and the first download fills the household list', async () => {
    await server.start()
    await open(PROFILE_A)
    await app.waitFor('first-run')
    assert.equal(await app.value('login-server'), serverUrl, '--server prefills the server address on the first-run screen')
    await app.shot('01-first-run')
    await app.login(WORKER_A)
    const r = await app.syncNow()
    assert.equal(r.offline, false, 'the server is up, so the sync must reach it')
    assert.equal(r.error, null, 'the first sync must succeed')
    assert.equal(r.pending, 0, 'nothing was done yet, so nothing is pending')
    await app.tab('today')
    await app.waitFor('today-screen')
    await app.shot('02-today')
    await app.tab('households')
    await app.waitFor(tid('household-row'))
    const rows = await app.$$(tid('household-row'))
    assert.ok(rows.length > 0, 'the worker\'s grid has households after the first download')
    S.household = await rows[0].getAttribute('data-id')
    await app.shot('03-households')
  })

  step('with the server stopped, the app reports it is offline and nothing is pending', async () => {
    await server.stop()
    const r = await app.syncNow({ timeout: 120000 })
    assert.equal(r.offline, true, 'a sync against a stopped server must show the offline banner, not fail silently')
    await app.shot('04-sync-offline')
    S.pending0 = await app.pending()
    assert.equal(S.pending0, 0)
  })

  step('the visit form refuses an empty need and an over-long note in place, and saves nothing', async () => {
    await openCard(S.household)
    await app.shot('05-household-card')
    const members = await app.$$(tid('member'))
    S.members = []
    for (const m of members) S.members.push(await m.getAttribute('data-id'))
    S.visitsBefore = (await app.$$(tid('card-visit'))).length
    await app.click('new-visit')
    await app.waitFor('visit-form')
    await app.shot('06-visit-form')
    await app.click('add-need')
    await app.waitFor('need-0-text')
    await app.fill('visit-note', '记'.repeat(4001))
    await app.click('visit-save')
    await app.waitFor('visit-form-error')
    assert.ok((await app.fieldError('need-0-text')).length > 0, 'an empty need text is required, and the message is shown under it')
    assert.ok((await app.fieldError('visit-note')).length > 0, 'a note over 4,000 characters is refused with a message under it')
    await app.shot('07-visit-form-errors')
    assert.equal(await app.pendingNow(), S.pending0, 'a refused form must not save anything (pending count unchanged)')
  })

  step('a visit with mode, kind, persons met, a need, service, follow-up date and note is saved offline and pending', async () => {
    S.visit = {
      mode: 'in_person',
      kind: 'key_group_care',
      persons_met: S.members.slice(0, 2),
      need: '腿脚不便，希望帮忙申请居家养老服务',
      service: '代为联系社区居家养老服务中心，讲解高龄津贴政策',
      note: '老人精神尚好，儿子每周回来一次。门口台阶松动，已提醒物业。',
    }
    await app.click('visit-mode-in_person')
    await app.click(`visit-kind-${S.visit.kind}`)
    for (const p of S.visit.persons_met) await app.click(tid('visit-person', { 'data-id': p }))
    await app.fill('need-0-text', S.visit.need)
    await app.click('need-0-outcome-noted')
    await app.fill('visit-service', S.visit.service)
    // The picker slides in; a confirm tapped mid-animation can miss, so open and confirm
    // until the field shows a date (each try waits for Vue to re-render the field).
    const isDate = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v ?? '')
    await until(async () => {
      if (!(await app.$('.van-picker__confirm').isDisplayed().catch(() => false))) await app.click('visit-follow-up')
      await sleep(400)
      await app.click('.van-picker__confirm')
      return until(async () => isDate(await app.value('visit-follow-up')), 'no date yet', { timeout: 3000 }).catch(() => false)
    }, 'the date picker never filled the follow-up date', { timeout: 30000 })
    S.visit.follow_up = await app.value('visit-follow-up')
    assert.match(S.visit.follow_up, /^\d{4}-\d{2}-\d{2}$/, 'the date picker fills the follow-up date')
    await app.fill('visit-note', S.visit.note)
    await app.click('visit-save')
    await app.waitFor(tid('household-card'), { timeout: 20000 })
    await until(async () => (await app.$$(tid('card-visit'))).length === S.visitsBefore + 1, 'the new visit did not appear on the card')
    S.visitId = await app.attr(tid('card-visit'), 'data-id')
    assert.equal(await app.pendingNow(), S.pending0 + 1, 'the saved visit waits to be sent')
    await app.shot('08-card-after-visit')
  })

  step('the incident form refuses an empty description in place and saves nothing', async () => {
    const opts = await app.invoke('form_options')
    const leaf = opts.categories.find((c) => c.parent && c.platform && !['grid_self', 'in_grid'].includes(c.platform))
    assert.ok(leaf, 'the reference data has a category routed to a platform')
    const parent = opts.categories.find((c) => c.code === leaf.parent)
    S.incident = {
      category: leaf.code,
      urgency: 'major',
      location: '囿山社区3幢2单元楼道',
      parties: '3幢住户张某；2单元住户李某',
      description: '楼道堆放大量纸箱和电动车电池，存在消防隐患，两户为此争执。',
      households: [S.household],
    }
    await app.tab('incidents')
    await app.click('incident-new')
    await app.waitFor('incident-form')
    await app.click('incident-category')
    await clickOptionByText(parent.name)
    await clickOptionByText(leaf.name)
    await app.waitFor('incident-category-platform')
    await app.click(`incident-urgency-${S.incident.urgency}`)
    await app.fill('incident-location', S.incident.location)
    await app.fill('incident-parties', S.incident.parties)
    // The picker sheet slides in; a tap mid-animation can miss, so pick until the chip shows.
    const chip = tid('incident-household-chip', { 'data-id': S.household })
    await until(async () => {
      if (!(await app.$(tid('household-picker-done')).isDisplayed().catch(() => false))) await app.click('incident-households')
      await sleep(400)
      await app.click(tid('household-picker-row', { 'data-id': S.household }))
      await sleep(200)
      await app.click('household-picker-done')
      return until(() => app.exists(chip), 'no chip yet', { timeout: 3000 }).catch(() => false)
    }, 'the household picker never added the household', { timeout: 30000 })
    await app.waitFor(chip)
    await app.shot('09-incident-form')
    await app.click('incident-submit')
    assert.ok((await app.fieldError('incident-description')).length > 0, 'the description is required, and the message is shown under it')
    await app.waitFor('incident-form-error')
    assert.equal(await app.pendingNow(), S.pending0 + 1, 'a refused incident must not be saved (pending count unchanged)')
  })

  step('an incident with category, urgency, location, parties, description and a linked household is reported offline and pending', async () => {
    await app.fill('incident-description', S.incident.description)
    await app.click('incident-submit')
    await app.waitFor('incident-detail', { timeout: 20000 })
    S.incidentId = await app.b.execute(() => window.location.hash.split('/').pop())
    assert.ok(S.incidentId, 'the detail screen of the new incident is shown')
    await app.shot('10-incident-detail')
    await app.click('.van-nav-bar__left')
    await app.tab('incidents')
    await app.waitFor(tid('incident-row', { 'data-id': S.incidentId }))
    await app.shot('11-incidents')
    assert.equal(await app.pending(), S.pending0 + 2, 'the visit and the incident both wait to be sent')
    await app.shot('12-today-pending')
  })

  step('adding a member refuses an empty name, a wrong ID number and a malformed phone in place, then saves a valid one offline', async () => {
    await openCard(S.household)
    const before = await app.pendingNow()
    const membersBefore = (await app.$$(tid('member'))).length
    await app.click('add-member')
    await app.waitFor('member-form')
    await app.shot('13-member-form')
    await app.click('member-save')
    assert.ok((await app.fieldError('member-name')).length > 0, 'the name is required, and the message is shown under it')
    const good = residentId('33110220150601002')
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    await app.fill('member-name', '周小雨')
    await app.click('member-relation-grandchild')
    await app.click('member-id-kind-resident_id')
    await app.fill('member-id-number', bad)
    await app.fill('member-phone', '1380000')
    await app.click('member-save')
    assert.ok((await app.fieldError('member-id-number')).length > 0, 'an ID number with a wrong check digit is refused with a message under it')
    assert.ok((await app.fieldError('member-phone')).length > 0, 'a malformed phone is refused with a message under it')
    await app.shot('14-member-form-errors')
    assert.equal(await app.pendingNow(), before, 'a refused member must not be saved (pending count unchanged)')
    S.member = { name: '周小雨', relation: 'grandchild', id: good, phone: '13600000003' }
    await app.fill('member-id-number', good)
    await app.fill('member-phone', S.member.phone)
    await app.click('member-save')
    await app.waitFor(tid('household-card'), { timeout: 20000 })
    await until(async () => (await app.$$(tid('member'))).length === membersBefore + 1, 'the new member did not appear on the card')
    // A member with an ID number writes two documents (the household and its private
    // document), and the outbox counts per document: so at least one more is pending.
    assert.ok(await app.pendingNow() > before, 'the new member waits to be sent')
    const shown = await app.b.execute((css) => [...document.querySelectorAll(css)].map((e) => e.textContent), tid('member-id'))
    assert.ok(!shown.some((t) => t.includes(good)), 'the card shows the new ID number masked, never in full')
  })

  step('after the server restarts on the same database and port, one sync sends all three', async () => {
    await server.start()
    const r = await app.syncNow()
    assert.equal(r.offline, false, 'the server is back')
    assert.equal(r.error, null, 'the sync must succeed')
    assert.equal(r.pending, 0, 'the visit, the incident and the member were accepted, so nothing is left to send')
    await app.shot('15-sync-done')
  })

  step('the server holds the visit and the incident with every field as typed', async () => {
    const token = await server.login(WORKER_A)
    const hh = await server.doc(token, S.household)
    const visit = hh.doc?.visits?.[S.visitId]
    assert.ok(visit, `the server's household document has visit ${S.visitId}: ${JSON.stringify(Object.keys(hh.doc?.visits ?? {}).slice(-3))}`)
    const c = visit.content
    assert.equal(c.mode, S.visit.mode, 'mode')
    assert.equal(c.kind, S.visit.kind, 'kind')
    assert.deepEqual([...c.persons_met].sort(), [...S.visit.persons_met].sort(), 'persons met')
    assert.equal(c.service, S.visit.service, 'service')
    assert.equal(c.follow_up, S.visit.follow_up, 'follow-up date')
    assert.equal(c.note, S.visit.note, 'note (民情日记)')
    const needs = Object.values(visit.needs ?? {})
    assert.equal(needs.length, 1, 'one need')
    assert.equal(needs[0].text, S.visit.need, 'need text')
    assert.equal(needs[0].outcome, 'noted', 'need outcome')
    const member = Object.values(hh.doc.members ?? {}).find((m) => m.name === S.member.name)
    assert.ok(member, 'the new member is in the server\'s household document')
    assert.equal(member.relation, S.member.relation, 'member relation')
    assert.ok(!JSON.stringify(hh.doc).includes(S.member.id), 'the full ID number never enters the household document')
    const inc = await server.doc(token, S.incidentId)
    const d = inc.doc
    assert.equal(d.category, S.incident.category, 'category')
    assert.equal(d.urgency, S.incident.urgency, 'urgency')
    assert.equal(d.location, S.incident.location, 'location')
    assert.equal(d.parties, S.incident.parties, 'parties')
    assert.equal(d.description, S.incident.description, 'description')
    assert.deepEqual(d.households, S.incident.households, 'linked household')
  })

  step('a second worker of the same grid sees both after the first sync on another profile', async () => {
    await open(PROFILE_B)
    await app.login(WORKER_B)
    const r = await app.syncNow()
    assert.equal(r.error, null, 'the second worker\'s first sync must succeed')
    await openCard(S.household)
    const row = await app.waitFor(tid('card-visit', { 'data-id': S.visitId }))
    assert.ok((await row.getText()).includes(S.visit.service.slice(0, 8)) || (await row.getText()).includes(S.visit.note.slice(0, 8)),
      'the first worker\'s visit shows its content on the second worker\'s card')
    await app.shot('16-second-worker-card')
    await app.tab('incidents')
    await app.waitFor(tid('incident-row', { 'data-id': S.incidentId }))
    await app.shot('17-second-worker-incidents')
  })

  step('offline, a malformed phone is refused in the dialog and both workers change the same phone', async () => {
    await server.stop()
    S.person = S.members[0]
    S.phoneA = '13800000001'
    S.phoneB = '13900000002'
    await openCard(S.household)
    const before = await app.pendingNow()
    await editPhone(S.person, '12345')
    assert.ok((await app.fieldError('phone-input')).length > 0, 'a malformed phone is refused with a message in the dialog')
    await app.shot('18-phone-error')
    assert.equal(await app.pendingNow(), before, 'the refused phone saved nothing')
    await app.fill('phone-input', S.phoneB)
    await app.click('phone-save')
    await until(async () => (await app.$(tid('phone-input')).isDisplayed()) === false, 'the phone dialog did not close after a valid save')
    assert.equal(await app.pendingNow(), before + 1, 'worker B\'s edit waits to be sent')
    await open(PROFILE_A)
    await openCard(S.household)
    const beforeA = await app.pendingNow()
    await editPhone(S.person, S.phoneA)
    await until(async () => (await app.$(tid('phone-input')).isDisplayed()) === false, 'the phone dialog did not close after a valid save')
    assert.equal(await app.pendingNow(), beforeA + 1, 'worker A\'s edit waits to be sent')
  })

  step('when both sync, the later one sees a conflict with both values', async () => {
    await server.start()
    let r = await app.syncNow() // A pushes first
    assert.equal(r.pending, 0, 'worker A\'s edit was sent')
    await open(PROFILE_B)
    r = await app.syncNow() // B pushes its edit and pulls A's
    assert.equal(r.pending, 0, 'worker B\'s edit was sent')
    await app.route('#/conflicts')
    await app.waitFor('conflicts-screen')
    const conflict = await app.waitFor(tid('conflict', { 'data-doc': S.household }))
    const values = await conflict.$$(tid('conflict-value'))
    assert.equal(values.length, 2, 'both phones are offered, neither silently kept')
    await app.shot('19-conflicts')
  })

  step('picking one value in the app resolves it, and after syncing both profiles show it with no conflict', async () => {
    const values = await app.$$(`${tid('conflict', { 'data-doc': S.household })} ${tid('conflict-value')}`)
    let picked = null
    for (const v of values) if ((await v.getText()).includes(S.phoneA.slice(-4))) picked = v
    assert.ok(picked, 'worker A\'s value is among the choices')
    await picked.click()
    await app.waitFor('conflicts-empty')
    let r = await app.syncNow()
    assert.equal(r.pending, 0, 'the resolution was sent')
    await openCard(S.household)
    assert.ok((await app.text(`${tid('member', { 'data-id': S.person })} ${tid('member-phone')}`)).endsWith(S.phoneA.slice(-4)),
      'worker B shows the picked phone')
    await open(PROFILE_A)
    r = await app.syncNow()
    assert.equal(r.error, null)
    await app.route('#/conflicts')
    await app.waitFor('conflicts-empty')
    await openCard(S.household)
    assert.ok((await app.text(`${tid('member', { 'data-id': S.person })} ${tid('member-phone')}`)).endsWith(S.phoneA.slice(-4)),
      'worker A shows the picked phone')
    await app.shot('20-card-resolved')
  })

  step('every other main screen renders in Chinese at phone width', async () => {
    await app.tab('contacts')
    await app.waitFor('contacts-screen')
    await app.shot('21-contacts')
    await app.tab('me')
    await app.waitFor('settings-screen')
    await app.shot('22-me')
    await app.route('#/sync')
    await app.waitFor('sync-screen')
    await app.shot('23-sync')
    const lang = await app.b.execute(() => document.documentElement.lang)
    assert.equal(lang, 'zh-CN', 'Chinese is the default language')
  })
  step('a visit the grid head returns through the console shows in the app with its reason, and the fix made there arrives back', async () => {
    const head = gridHeadOf(WORKER_A)
    const con = await consoleSession(head)
    const reason = '未写明见到的人和提供的服务，请补充后重新提交'
    const returned = await con.call('POST', '/reviews', {
      decision: 'return', reason, items: [{ household_id: S.household, record_id: S.visitId }],
    })
    assert.equal(returned.results?.[0]?.ok, true, `the console returns the visit: ${JSON.stringify(returned)}`)
    let r = await app.syncNow()
    assert.equal(r.error, null, 'the sync that brings the return must succeed')
    await app.tab('today')
    await app.waitFor('today-screen')
    await until(async () => Number(await app.attr(tid('returned-count'), 'data-count')) >= 1,
      'the 需修改 badge on 今日 never counted the returned visit')
    await app.waitFor(tid('returned-item', { 'data-id': S.visitId }))
    await app.shot('25-today-returned')
    await app.click('today-returned-link')
    await app.waitFor('returned-screen')
    const row = tid('returned-row', { 'data-id': S.visitId })
    await app.waitFor(row)
    assert.ok((await app.text(`${row} ${tid('returned-row-reason')}`)).includes(reason), 'the 需修改 list shows the reason')
    await app.shot('26-returned-list')
    await app.click(row)
    await app.waitFor('record-screen')
    assert.equal(await app.text('record-reason'), reason, 'the record shows the supervisor\'s reason (退回原因)')
    assert.equal(await app.attr(tid('record-status'), 'data-status'), 'returned')
    assert.ok((await app.text('record-returned-by')).length > 0, 'who returned it and when are shown')
    assert.equal(await app.value('fix-note'), S.visit.note, 'the fix form starts from the visit as it stands')
    await app.shot('27-record-returned')
    const before = await app.pendingNow()
    S.fixNote = `${S.visit.note}见到户主本人及其儿子，已补充。`
    await app.fill('fix-note', S.fixNote)
    await app.click('fix-submit')
    await app.waitFor(tid('record-status', { 'data-status': 'resubmitted' }), { timeout: 20000 })
    await app.waitFor('record-pending')
    assert.equal(await app.pendingNow(), before + 1, 'the fix waits to be sent (saved on the device first)')
    await app.shot('28-record-fixed')
    r = await app.syncNow()
    assert.equal(r.pending, 0, 'the fix was sent')
    const detail = await con.call('GET', `/reviews/${encodeURIComponent(S.household)}/${encodeURIComponent(S.visitId)}`)
    assert.equal(detail.item?.status, 'resubmitted', `the console sees the visit resubmitted: ${JSON.stringify(detail.item)}`)
    const kinds = (detail.lineage ?? []).map((l) => l.kind)
    assert.deepEqual(kinds.slice(-2), ['returned', 'fixed'], `the lineage ends with the return and the fix: ${JSON.stringify(kinds)}`)
    assert.equal(detail.lineage.at(-1).note, S.fixNote, 'the fixed note reached the console as typed')
    await openCard(S.household)
    assert.equal(await app.attr(tid('card-visit', { 'data-id': S.visitId }), 'data-review'), 'resubmitted',
      'the card\'s visit list shows 已重新提交')
    await app.shot('29-card-resubmitted')
  })

  step('a device the server revoked locks itself at its next sync and shows why', async () => {
    const { session } = await app.invoke('app_state')
    assert.ok(session?.device_id, 'worker A is signed in')
    await server.stop()
    await server.admin(['device', 'revoke', session.device_id])
    await server.start()
    await app.route('#/sync')
    await app.waitFor('sync-screen')
    await app.click('sync-now')
    await app.waitFor('locked-screen', { timeout: 60000 })
    assert.ok((await app.text('locked-reason')).length > 0, 'the lock screen says why (the locked event carries the reason)')
    const state = await app.invoke('app_state')
    assert.equal(state.session, null, 'the revoked device is signed out')
    assert.ok(state.locked, 'the app state remembers the lock')
    await app.shot('24-locked')
  })
})

/** The grid head of a worker's grid (its grid, or the community above it), from the database. */
function gridHeadOf(worker) {
  const sql = `select username from users where role = 'grid_head' and area_id in (
    select area_id from users where username = '${worker}'
    union select parent_id from areas where id = (select area_id from users where username = '${worker}'))
    order by username limit 1`
  const head = execFileSync('sqlite3', [env.db, sql], { encoding: 'utf8' }).trim()
  assert.ok(head, `the demo has a grid head for ${worker}'s grid`)
  return head
}

/** Clicks the visible cascader option whose text is `text`. */
async function clickOptionByText(text) {
  const opt = await until(async () => {
    for (const o of await app.$$('.van-cascader__option')) {
      if ((await o.isDisplayed()) && (await o.getText()).trim() === text) return o
    }
    return null
  }, `no cascader option ${text}`, { timeout: 10000 })
  await opt.click()
  await sleep(200)
}

/** A resident ID number: 17 digits and their GB 11643 check character. */
function residentId(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i]
  return first17 + '10X98765432'[sum % 11]
}
