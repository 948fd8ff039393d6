// An in-memory Backend: a demo and test double, never used inside Tauri. It lets the
// screens run in a plain browser (`?demo=1`) for screenshots and manual checks, and lets
// unit tests drive stores. It mimics the real backend's contract (AppError rejections,
// masked values, audited reveal as a plain lookup), not its storage or sync.
import type { Backend } from './Backend'
import type {
  AppError, AssignmentView, ConflictView, EventView, HouseholdCard, HouseholdListItem,
  IncidentDetail, IncidentListItem, SessionView, SyncProgressView, SyncStatus, VisitView,
} from '../bindings/field'
import { CATEGORIES, HANDWRITTEN, MICRO_GRIDS, generated, type DemoHousehold } from './memoryData'
import { maskId, maskPhone } from '../lib/mask'
import { checkBirthYear, checkId, NAME_MAX, normalize, normalizePhone } from '../lib/validate'
import { todayInShanghai } from '../lib/format'
import { isSelfHandledPlatform, CAMPAIGNS, CARE_TAGS, ID_KINDS, MODES, NEED_OUTCOMES,
  OBSERVATION_KINDS, RATING_CHANNELS, RATING_LEVELS, RELATIONS, URGENCIES, VISIT_KINDS } from '../i18n/codes'
import zhCN from '../i18n/zh-CN'
import { demoReturned, reviewApi, type DemoRecord } from './memoryReview'

export type MemoryOptions = { households?: number; signedIn?: boolean; role?: string; online?: boolean; now?: () => number }

function err(code: string, zh: string, en: string, field: string | null = null): AppError {
  return { code, message_zh: zh, message_en: en, field }
}

const DAY = 86_400_000

/** i64 fields as the bindings type them (number; bigint in older bindings): Tauri sends JSON numbers. */
type I64 = SyncStatus['pending_actions']
const n = (x: number): I64 => x as unknown as I64
const nn = (x: number | null): I64 | null => x as unknown as I64 | null

export function memoryBackend(opts: MemoryOptions = {}): Backend & { fireLocked(e?: AppError): void; state: MemoryState } {
  const now = opts.now ?? (() => Date.now())
  const state = newState(opts, now)
  const progressCbs = new Set<(p: SyncProgressView) => void>()
  const statusCbs = new Set<(s: SyncStatus) => void>()
  const lockedCbs = new Set<(e: AppError) => void>()

  const need = () => {
    if (!state.session) throw err('not_signed_in', '请先登录', 'Please sign in first')
  }
  const hh = (id: string) => {
    const h = state.households.find((x) => x.id === id)
    if (!h) throw err('not_found', '找不到这户', 'Household not found')
    return h
  }
  const touch = () => {
    state.pending++
    state.oldestPendingAt ??= now()
    statusCbs.forEach((cb) => cb(status()))
  }
  const review = reviewApi(state, now, () => touch())
  const status = (): SyncStatus => ({
    running: state.running, online: state.online, pending_actions: n(state.pending),
    oldest_pending_age_ms: nn(state.oldestPendingAt === null ? null : now() - state.oldestPendingAt),
    refused_actions: n(state.refused.length), last_success_at: nn(state.lastSuccess), last_error: state.lastError,
    last_bytes_up: n(state.bytesUp), last_bytes_down: n(state.bytesDown),
    refused: state.refused.map((r) => ({ ...r, at: n(r.at) })),
  })
  const listItem = (h: DemoHousehold): HouseholdListItem => ({
    id: h.id, address: h.address, member_names: h.members.map((m) => m.name).join('、'), tags: h.tags,
    micro_grid_id: h.micro_grid_id, phones_masked: h.members.filter((m) => m.phone).map((m) => maskPhone(m.phone!)).join(' '),
    days_since_seen: nn(h.days_since_seen), due: h.due,
    conflict_count: n(state.conflicts.filter((c) => c.household_id === h.id).length),
  })
  const card = (id: string): HouseholdCard => {
    const h = hh(id)
    const privateOk = ['grid_worker', 'grid_head'].includes(state.session?.role ?? '')
    return {
      id: h.id, address: h.address, status: h.status, grid_id: 'grid-lishui-01', micro_grid_id: h.micro_grid_id,
      tags: h.tags, special_tags: privateOk ? h.special_tags : [],
      members: h.members.map((m) => ({
        id: m.id, name: m.name, relation: m.relation, id_kind: m.id_kind,
        id_masked: m.id_number ? maskId(m.id_number) : null, phone_masked: m.phone ? maskPhone(m.phone) : null,
        birth_year: nn(m.birth_year),
      })),
      visits: state.visits.filter((v) => v.hh === id).map((v) => v.view).sort((a, b) => Number(b.at) - Number(a.at)),
      incidents: state.incidents.filter((i) => i.households.some((c) => c.value === id)).map((i) => i.item),
      contactors: [{ value: 'u-worker', label: state.session?.name ?? '网格员' }],
      days_since_seen: nn(h.days_since_seen), can_reveal: privateOk,
      conflicts: state.conflicts.filter((c) => c.household_id === id),
    }
  }
  const allowed = (st: string): string[] => {
    const head = state.session?.role === 'grid_head'
    const map: Record<string, string[]> = {
      reported: head ? ['grid_accept', 'grid_return', 'add_info'] : ['add_info'],
      handled: head ? ['verify', 'verify_fail', 'close', 'add_info'] : ['verify', 'verify_fail', 'add_info'],
      verified: head ? ['close', 'rate'] : ['rate', 'add_info'],
      closed: ['rate'], returned_by_grid: ['resubmit'], in_progress: ['add_info'],
    }
    return map[st] ?? []
  }
  const detail = (id: string): IncidentDetail => {
    const i = state.incidents.find((x) => x.item.id === id)
    if (!i) throw err('not_found', '找不到这个事件', 'Incident not found')
    return {
      incident: i.item, parties: i.parties, households: i.households, unit: i.unit,
      deadline_at: nn(i.item.state === 'routed' ? now() + 2 * DAY : null), timeline: i.timeline, allowed_actions: allowed(i.item.state),
    }
  }
  const event = (action: string, note = '', fields: { value: string; label: string }[] = [], flagged: string | null = null): EventView => ({
    id: `ev-${++state.seq}`, action, actor: state.session?.name ?? '网格员', role: state.session?.role ?? 'grid_worker',
    at: n(now()), note, fields, flagged,
  })

  const api: Backend = {
    async appState() {
      return { session: state.session, server_url: state.serverUrl, locale: state.locale, locked: state.locked, first_sync_done: !!state.session }
    },
    async formOptions() {
      return {
        modes: [...MODES], visit_kinds: [...VISIT_KINDS], campaigns: [...CAMPAIGNS], observation_kinds: [...OBSERVATION_KINDS],
        need_outcomes: [...NEED_OUTCOMES], urgencies: [...URGENCIES], tags: [...CARE_TAGS], id_kinds: [...ID_KINDS],
        relations: [...RELATIONS],
        rating_levels: [...RATING_LEVELS], rating_channels: [...RATING_CHANNELS], categories: CATEGORIES, micro_grids: MICRO_GRIDS,
      }
    },
    async login(serverUrl, username, password) {
      if (!/^https?:\/\//.test(serverUrl) || serverUrl.includes('unreachable')) {
        throw err('unreachable', '连不上服务器，请检查地址和网络后重试。', 'Cannot reach the server: check the address and the network.')
      }
      if (username === 'revoked') throw err('device_revoked', '此设备已被停用，请联系管理员。', 'This device was revoked: contact your administrator.')
      if (username === 'old') throw err('client_too_old', '应用版本太旧，请先升级。', 'This app is too old: please update it.')
      if (password === 'locked') throw err('too_many_attempts', '尝试次数太多，请15分钟后再试。', 'Too many tries: wait 15 minutes.')
      if (!username || password !== 'demo') throw err('wrong_password', '用户名或密码不对。', 'Wrong username or password.', 'password')
      state.serverUrl = serverUrl
      state.session = session(opts.role ?? 'grid_worker', serverUrl, username)
      return state.session
    },
    async today() {
      need()
      const due = state.households.filter((h) => h.due).slice(0, 30).map((h) => ({
        household_id: h.id, address: h.address, head_name: h.members[0]?.name ?? '', tag: h.tags[0] ?? 'elderly_alone',
        due_on: '2026-11-30', overdue: h.due === 'overdue', days_since_seen: nn(h.days_since_seen),
      }))
      const head = state.session?.role === 'grid_head'
      return {
        due_visits: due, overdue_contacts: state.assignments.filter((a) => a.overdue),
        to_verify: state.incidents.filter((i) => i.item.state === 'handled').map((i) => i.item),
        conflicts: state.conflicts, returned: review.returned(), sync: status(),
        returned_count: n(review.returned().length),
        verify_count: n(state.incidents.filter((i) => i.item.state === 'handled').length),
        grid_summary: head ? {
          households: n(state.households.length), seen: n(Math.round(state.households.length * 0.82)),
          coverage_percent: 82.4, open_incidents: n(state.incidents.filter((i) => !['closed', 'rated'].includes(i.item.state)).length),
        } : null,
      }
    },
    async households(q) {
      need()
      const t0 = performance.now()
      const text = q.text.trim()
      const tagCodes = text ? Object.entries(zhCN.code.tag).filter(([, l]) => l.includes(text)).map(([c]) => c) : []
      const items = state.households.filter((h) => {
        if (q.tag && !h.tags.includes(q.tag)) return false
        if (q.micro_grid && h.micro_grid_id !== q.micro_grid) return false
        if (q.due === 'overdue' && h.due !== 'overdue') return false
        if (q.due === 'due' && !h.due) return false
        if (!text) return true
        return h.address.includes(text) || h.members.some((m) => m.name.includes(text) ||
          (/^\d{4}$/.test(text) && !!m.phone && m.phone.endsWith(text))) || h.tags.some((c) => tagCodes.includes(c))
      }).map(listItem)
      return { items, elapsed_ms: performance.now() - t0 }
    },
    async householdCard(id) {
      need()
      return card(id)
    },
    async reveal(req) {
      need()
      const m = hh(req.household_id).members.find((x) => x.id === req.person_id)
      const v = req.field === 'phone' ? m?.phone : m?.id_number
      if (!v) throw err('not_found', '没有这项信息', 'No such value')
      return v
    },
    async editMember(input) {
      need()
      const m = hh(input.household_id).members.find((x) => x.id === input.person_id)
      if (!m) throw err('not_found', '找不到这位成员', 'Member not found')
      if (input.field === 'phone') {
        const n = normalizePhone(input.value)
        if (!n) throw err('invalid_phone', '电话号码格式不对', 'That is not a valid phone number', 'phone')
        m.phone = n
      } else m.name = input.value
      touch()
      return card(input.household_id)
    },
    async addMember(input) {
      need()
      if (!['grid_worker', 'grid_head'].includes(state.session?.role ?? '')) {
        throw err('role_not_allowed', '您的角色不能进行这项操作。', 'Your role may not add household members.')
      }
      const h = hh(input.household_id)
      const name = input.name.trim()
      if (!name) throw err('required', '“姓名”不能为空。', 'name is required.', 'name')
      if ([...name].length > NAME_MAX) throw err('too_long', `“姓名”太长了，最多 ${NAME_MAX} 个字。`, `name is too long: at most ${NAME_MAX} characters.`, 'name')
      if (!(RELATIONS as readonly string[]).includes(input.relation)) {
        throw err('invalid_choice', `“${input.relation}”不是有效的选项，请重新选择。`, `${input.relation} is not a valid choice for relation.`, 'relation')
      }
      const number = input.id_number && normalize(input.id_number) !== '' ? normalize(input.id_number) : null
      const kind = input.id_kind || null
      if (number !== null && !kind) throw err('required', '填写了证件号码，请选择证件类型。', 'An identity number needs its document type: choose one.', 'id_kind')
      if (kind && !(ID_KINDS as readonly string[]).includes(kind)) throw err('invalid_choice', `“${kind}”不是有效的选项，请重新选择。`, `${kind} is not a valid choice for id_kind.`, 'id_kind')
      if (number !== null && kind && checkId(kind, number)) {
        const label = (zhCN.code.idKind as Record<string, string>)[kind] ?? kind
        throw err('invalid_identity', `证件号码不正确（${label}），请核对后重新输入；没有证件可以留空。`,
          `The identity number is not valid for ${kind}. Check it, or leave it empty if the person has none.`, 'id_number')
      }
      const phone = input.phone && normalize(input.phone) !== '' ? normalizePhone(input.phone) : null
      if (input.phone && normalize(input.phone) !== '' && !phone) {
        throw err('invalid_phone', '电话号码不正确：请输入11位手机号，或带区号的固定电话（如 0578-2123456）。', 'The phone number is not valid.', 'phone')
      }
      const year = Number(todayInShanghai(now()).slice(0, 4))
      if (checkBirthYear(input.birth_year === null ? null : Number(input.birth_year), year)) {
        throw err('invalid_birth_year', `出生年份 ${input.birth_year} 不对，请填写 1900 到 ${year} 之间的年份。`, `Birth year ${input.birth_year} is not plausible.`, 'birth_year')
      }
      h.members.push({
        id: `p-${++state.seq}`, name, relation: input.relation, id_kind: number ? kind : null, id_number: number, phone,
        birth_year: input.birth_year === null ? null : Number(input.birth_year),
      })
      if (number) touch() // the full number goes to the private document: its own action
      touch()
      return card(h.id)
    },
    async saveVisit(input) {
      need()
      const h = hh(input.household_id)
      if ([...input.note].length > 4000) throw err('too_long', '民情日记不能超过4000字', 'The note is over 4,000 characters', 'note')
      const id = `v-${++state.seq}`
      const incidentIds: string[] = []
      for (const n of input.needs.filter((x) => x.outcome === 'incident')) {
        incidentIds.push(await api.reportIncident({
          category: n.category ?? 'dispute', urgency: 'normal', location: h.address, gps: input.gps, parties: h.members[0]?.name ?? '',
          description: n.text, households: [h.id], self_handled_result: null,
        }))
      }
      const view: VisitView = {
        id, at: n(now()), visitor: state.session!.name, mode: input.mode, kind: input.kind, note: input.note, service: input.service,
        needs: input.needs.map((n) => n.text), follow_up: input.follow_up, has_gps: !!input.gps, review: null, review_status: 'unreviewed', pending: true,
      }
      state.visits.push({ hh: h.id, view })
      if (input.mode === 'in_person') {
        h.days_since_seen = 0
        h.due = null
      }
      touch()
      return { visit_id: id, incident_ids: incidentIds, gps_recorded: !!input.gps }
    },
    async assignments() {
      need()
      return state.assignments
    },
    async saveContact(input) {
      need()
      const a = state.assignments.find((x) => x.id === input.assignment_id)
      if (!a) throw err('not_found', '找不到这项联系任务', 'Assignment not found')
      a.last_at = n(now())
      a.overdue = false
      touch()
    },
    async reportIncident(input) {
      need()
      const cat = CATEGORIES.find((c) => c.code === input.category)
      if (!cat || !cat.platform) throw err('invalid_category', '请选择具体的事件分类', 'Pick a specific category', 'category')
      const self = isSelfHandledPlatform(cat.platform)
      if (self && !input.self_handled_result?.trim()) {
        throw err('required', '网格自办事件需要填写处理结果', 'A grid-handled incident needs its result', 'self_handled_result')
      }
      const id = `inc-${++state.seq}`
      const timeline = [event('report', input.description)]
      if (self) timeline.push(event('self_handle', '', [{ value: 'result', label: input.self_handled_result ?? '' }]))
      state.incidents.unshift({
        item: {
          id, category: cat.code, category_name: cat.name, platform: cat.platform, state: self ? 'handled' : 'reported',
          urgency: input.urgency, description: input.description, location: input.location, created_at: n(now()), supervision: null,
        },
        parties: input.parties, unit: null, timeline,
        households: input.households.map((x) => ({ value: x, label: hh(x).address })),
      })
      touch()
      return id
    },
    async incidents() {
      need()
      return state.incidents.map((i) => i.item)
    },
    async incidentDetail(id) {
      need()
      return detail(id)
    },
    async incidentAct(input) {
      need()
      const i = state.incidents.find((x) => x.item.id === input.incident_id)
      if (!i) throw err('not_found', '找不到这个事件', 'Incident not found')
      if (!allowed(i.item.state).includes(input.action)) throw err('not_allowed', '当前不能执行这个操作', 'Not allowed now')
      const next: Record<string, string> = {
        grid_accept: 'grid_accepted', grid_return: 'returned_by_grid', verify: 'verified', verify_fail: 'in_progress',
        close: 'closed', rate: 'rated', resubmit: 'reported',
      }
      i.timeline.push(event(input.action, input.note, input.fields))
      i.item = { ...i.item, state: next[input.action] ?? i.item.state }
      touch()
      return detail(i.item.id)
    },
    async conflicts() {
      need()
      return state.conflicts
    },
    async resolveConflict(input) {
      need()
      state.conflicts = state.conflicts.filter((c) => !(c.doc_id === input.doc_id && c.path === input.path))
      touch()
    },
    async syncStatus() {
      return status()
    },
    async syncNow() {
      need()
      if (!state.online) {
        state.lastError = err('unreachable', '连不上服务器，记录已保存在本机。', 'Cannot reach the server; records are kept on this device.')
        throw state.lastError
      }
      state.running = true
      statusCbs.forEach((cb) => cb(status()))
      const total = state.pending + 40
      const phases: [string, number][] = [['push', state.pending], ['pull', total], ['apply', total], ['done', total]]
      for (const [phase, done] of phases) {
        await new Promise((r) => setTimeout(r, 150))
        progressCbs.forEach((cb) => cb({ phase, done: n(done), total: n(total), bytes_up: n(state.pending * 900), bytes_down: n(done * 2100) }))
      }
      state.bytesUp = state.pending * 900 + 420
      state.bytesDown = total * 2100
      state.pending = 0
      state.oldestPendingAt = null
      state.lastSuccess = now()
      state.lastError = null
      state.running = false
      state.visits.forEach((v) => (v.view.pending = false))
      review.synced()
      const s = status()
      statusCbs.forEach((cb) => cb(s))
      return s
    },
    returnedRecords: () => review.returnedRecords(),
    recordDetail: (ref) => review.recordDetail(ref),
    fixVisit: (input) => review.fixVisit(input),
    fixContact: (input) => review.fixContact(input),
    async setLocale(locale) {
      state.locale = locale
    },
    async wipePreview() {
      return { pending_actions: n(state.pending), oldest_pending_age_ms: status().oldest_pending_age_ms }
    },
    async signOut(confirmLoss) {
      if (state.pending > 0 && !confirmLoss) {
        throw err('unsynced_work', `还有${state.pending}条记录没有同步`, `${state.pending} records are not synced yet`)
      }
      state.session = null
      state.pending = 0
      state.oldestPendingAt = null
    },
    async onSyncProgress(cb) {
      progressCbs.add(cb)
      return () => progressCbs.delete(cb)
    },
    async onSyncStatus(cb) {
      statusCbs.add(cb)
      return () => statusCbs.delete(cb)
    },
    async onLocked(cb) {
      lockedCbs.add(cb)
      return () => lockedCbs.delete(cb)
    },
  }
  return {
    ...api, state,
    fireLocked(e = err('device_revoked', '此设备已被停用，本机数据已清除。', 'This device was revoked and wiped.')) {
      state.session = null
      state.locked = e
      lockedCbs.forEach((cb) => cb(e))
    },
  }
}

function session(role: string, serverUrl: string, username: string): SessionView {
  return {
    server_url: serverUrl, device_id: 'dev-demo-0001', user_id: `u-${username}`, name: role === 'grid_head' ? '陈建华' : '林晓梅',
    role, areas: [{ value: 'grid-lishui-01', label: '丽阳社区第一网格' }],
  }
}

type DemoIncident = { item: IncidentListItem; parties: string; unit: string | null; timeline: EventView[]; households: { value: string; label: string }[] }

export type MemoryState = ReturnType<typeof newState>

function newState(opts: MemoryOptions, now: () => number) {
  const t = now()
  const households = [...HANDWRITTEN, ...generated(Math.max(0, (opts.households ?? 0) - HANDWRITTEN.length))]
  const by = (name: string, role: string, ago: number, action: string, note = '', fields: { value: string; label: string }[] = []): EventView =>
    ({ id: `ev-s${ago}-${action}`, action, actor: name, role, at: n(t - ago), note, fields, flagged: null })
  const incidents: DemoIncident[] = [
    {
      item: { id: 'inc-0001', category: 'road_light', category_name: '路灯损坏', platform: 'public_service', state: 'handled', urgency: 'normal',
        description: '2幢楼下路灯不亮，老人晚上出行不便', location: '丽阳社区2幢北侧', created_at: n(t - 5 * DAY), supervision: null },
      parties: '2幢住户', unit: '紫金街道便民服务中心', households: [{ value: 'hh-0003', label: HANDWRITTEN[2].address }],
      timeline: [
        by('林晓梅', 'grid_worker', 5 * DAY, 'report', '2幢楼下路灯不亮'),
        by('陈建华', 'grid_head', 5 * DAY - 3_600_000, 'grid_accept'),
        by('赵敏', 'dispatcher', 4 * DAY, 'accept'),
        by('赵敏', 'dispatcher', 4 * DAY - 600_000, 'route', '', [{ value: 'unit', label: '紫金街道便民服务中心' }]),
        by('周师傅', 'handling_unit', 3 * DAY, 'sign'),
        by('周师傅', 'handling_unit', DAY, 'feedback', '已更换灯泡', [{ value: 'result', label: '已更换灯泡' }, { value: 'evidence', label: '照片2张' }]),
      ],
    },
    {
      item: { id: 'inc-0002', category: 'dispute', category_name: '邻里纠纷', platform: 'comprehensive', state: 'routed', urgency: 'major',
        description: '楼上漏水引发邻里矛盾', location: '丽阳社区1幢1单元', created_at: n(t - 2 * DAY), supervision: 'yellow' },
      parties: '李建国、王秀英', unit: '紫金街道综治中心', households: [{ value: 'hh-0001', label: HANDWRITTEN[0].address }, { value: 'hh-0002', label: HANDWRITTEN[1].address }],
      timeline: [by('林晓梅', 'grid_worker', 2 * DAY, 'report', '楼上漏水'), { ...by('王芳', 'grid_worker', 2 * DAY - 60_000, 'report'), flagged: 'wrong_state' }],
    },
  ]
  const assignments: AssignmentView[] = [
    { id: 'as-1', kind: 'worker_household', household_id: 'hh-0001', target: HANDWRITTEN[0].address, grid_id: 'grid-lishui-01', last_at: n(t - 40 * DAY), due_on: '2026-11-20', overdue: true },
    { id: 'as-2', kind: 'worker_household', household_id: 'hh-0005', target: HANDWRITTEN[4].address, grid_id: 'grid-lishui-01', last_at: n(t - 9 * DAY), due_on: '2026-12-10', overdue: false },
    { id: 'as-3', kind: 'party_member_household', household_id: 'hh-0008', target: HANDWRITTEN[7].address, grid_id: 'grid-lishui-01', last_at: null, due_on: '2026-11-25', overdue: true },
  ]
  const conflicts: ConflictView[] = [{
    doc_id: 'doc-hh-0002', household_id: 'hh-0002', path: 'members/p-0003/phone', field: '张桂兰 · phone', subject: HANDWRITTEN[1].address,
    values: [
      { hlc: '1764100000000-0001-dev-a', value: '139****2222', by: '林晓梅', at: n(t - 3 * DAY) },
      { hlc: '1764100000500-0000-dev-b', value: '0578-***3456', by: '王芳', at: n(t - 3 * DAY + 500) },
    ],
  }]
  const returned = demoReturned(t, households.find((h) => h.id === 'hh-0004')?.address ?? '')
  return {
    session: opts.signedIn === false ? null as SessionView | null : session(opts.role ?? 'grid_worker', 'http://127.0.0.1:8787', 'demo') as SessionView | null,
    serverUrl: 'http://127.0.0.1:8787' as string | null, locale: 'zh-CN', locked: null as AppError | null,
    households, incidents, assignments, conflicts, visits: [{ hh: 'hh-0004', view: returned.visit }] as { hh: string; view: VisitView }[],
    records: [returned.record] as DemoRecord[],
    pending: 2, oldestPendingAt: (t - 3 * 3_600_000) as number | null, running: false, online: opts.online ?? true,
    lastSuccess: (t - 5 * 3_600_000) as number | null,
    lastError: (opts.online === false ? err('unreachable', '连不上服务器，记录已保存在本机。', 'Cannot reach the server; records are kept on this device.') : null) as AppError | null, bytesUp: 18_432, bytesDown: 402_113,
    refused: [{ doc_id: 'doc-hh-0007', label: 'household.add_visit', at: t - 2 * DAY,
      error: err('out_of_scope', '这户已调出您的网格，走访未被接受。', 'This household left your grid; the visit was not accepted.') }],
    seq: 100,
  }
}
