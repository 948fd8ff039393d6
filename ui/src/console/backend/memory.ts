// An in-memory ConsoleBackend for unit tests and the offline demo (`console.html?demo=1`):
// a small township with review records and incidents, the review rules of the contract
// (a return needs a reason, `unreviewed` includes `resubmitted`) and a simplified incident
// workflow. Not a model of the server: just enough to drive every screen.
import type { ConsoleBackend, DashboardQuery, IncidentQuery, ReviewQuery } from './ConsoleBackend'
import { ConsoleError } from './errors'
import type {
  CodeCount, CoverageRow, Dashboard, ExportRequest, ExportCreated, ExportStatus, IncidentActionRequest, IncidentDetail,
  IncidentItem, IncidentPage, LineageEntry, ReviewDetail, ReviewItem, ReviewPage, ReviewRequest, ReviewResults,
  SessionBody,
} from '../types'

const GRIDS = [['g1', '城东社区第一网格'], ['g2', '城东社区第二网格'], ['g3', '溪口村网格']] as const
const STREETS = ['解放街', '中山路', '溪口路', '人民路', '丽阳街']
const NOTES = ['老人身体状况良好，子女每周回来一次。', '反映楼道照明损坏，已记录。', '独居老人，已提醒用电安全。', '租户已更换，登记新租户信息。']
const WORKERS = ['陈丽华', '王建国', '李晓燕']

export const MEMORY_PASSWORD = 'demo'

function mkError(status: number, code: string, zh: string, en: string): ConsoleError {
  return new ConsoleError({ code, message_zh: zh, message_en: en }, status)
}

const NEXT: Record<string, Record<string, string>> = {
  reported: { grid_accept: 'grid_accepted', grid_return: 'returned_by_grid' },
  grid_accepted: { accept: 'accepted', return_duplicate: 'returned_duplicate', return_insufficient: 'returned_insufficient' },
  accepted: { route: 'routed' },
  routed: { sign: 'in_progress', refuse: 'accepted' },
  in_progress: { progress: 'in_progress', request_delay: 'delay_requested', feedback: 'handled' },
  delay_requested: { grant_delay: 'in_progress', deny_delay: 'in_progress', feedback: 'handled' },
  handled: { verify: 'verified', verify_fail: 'in_progress' },
  verified: { close: 'closed' },
  closed: { rate: 'rated' },
}

export interface MemoryOptions { reviews?: number; signedIn?: boolean; now?: number }

export class MemoryConsoleBackend implements ConsoleBackend {
  signedIn: boolean
  readonly items: ReviewItem[] = []
  readonly lineage = new Map<string, LineageEntry[]>()
  readonly incidentsList: IncidentDetail[] = []
  readonly calls: string[] = []
  private exports = new Map<string, number>()

  constructor(opts: MemoryOptions = {}) {
    this.signedIn = opts.signedIn ?? true
    const now = opts.now ?? Date.UTC(2026, 10, 27, 2)
    const n = opts.reviews ?? 240
    for (let i = 0; i < n; i++) {
      const g = GRIDS[i % GRIDS.length]
      const status = i % 11 === 3 ? 'resubmitted' : i % 13 === 5 ? 'returned' : i % 7 === 6 ? 'approved' : 'unreviewed'
      const item: ReviewItem = {
        household_id: `h${i}`, record_kind: i % 9 === 8 ? 'contact' : 'visit', record_id: `v${i}`,
        grid_id: g[0], grid_name: g[1], address: `${STREETS[i % STREETS.length]}${(i % 87) + 1}号`,
        author_name: WORKERS[i % WORKERS.length], author_role: 'grid_worker', at: now - i * 3_600_000,
        mode: i % 4 === 1 ? 'phone' : 'in_person', visit_kind: i % 9 === 8 ? null : 'routine',
        note: NOTES[i % NOTES.length], service: i % 5 === 0 ? '代办高龄补贴申请' : '',
        observations: i % 10 === 0 ? ['new_tenant'] : [], needs: i % 6 === 0 ? 1 : 0, status,
        last_review: status === 'unreviewed' ? null : {
          decision: status === 'approved' ? 'approve' : 'return', reason: status === 'approved' ? '' : '走访内容过于简单，请补充老人健康情况',
          reviewer_name: '周国强', at: now - i * 3_600_000 + 1_800_000,
        },
        fixes: status === 'resubmitted' ? 1 : 0,
      }
      this.items.push(item)
      const lin: LineageEntry[] = [{ at: item.at, kind: 'submitted', by_name: item.author_name, role: 'grid_worker', reason: null, note: item.note, service: item.service, mode: item.mode }]
      if (item.last_review) {
        lin.push({ at: item.last_review.at, kind: item.last_review.decision === 'approve' ? 'approved' : 'returned', by_name: '周国强', role: 'grid_head', reason: item.last_review.reason, note: null, service: null, mode: null })
      }
      if (status === 'resubmitted') lin.push({ at: item.at + 3_000_000, kind: 'fixed', by_name: item.author_name, role: 'grid_worker', reason: null, note: `${item.note}（已补充）`, service: item.service, mode: item.mode })
      this.lineage.set(`${item.household_id}/${item.record_id}`, lin)
    }
    const states = ['reported', 'grid_accepted', 'accepted', 'routed', 'in_progress', 'handled', 'closed', 'rated']
    states.forEach((state, i) => {
      const g = GRIDS[i % GRIDS.length]
      const item: IncidentItem = {
        id: `inc${i}`, summary: ['楼道照明损坏', '路面积水', '邻里噪音纠纷', '违章搭建', '垃圾清运不及时'][i % 5],
        category_code: ['public_facility', 'road', 'dispute', 'construction', 'sanitation'][i % 5],
        category_name: ['公共设施', '道路交通', '矛盾纠纷', '违法建设', '环境卫生'][i % 5],
        platform: i >= 3 ? ['comprehensive', 'market', 'law_enforcement', 'public_service'][i % 4] : null,
        urgency: i % 4 === 0 ? 'major' : 'normal', state, grid_id: g[0], grid_name: g[1], reported_at: now - i * 86_400_000,
        reporter_name: WORKERS[i % WORKERS.length], unit_id: i >= 3 ? 'u1' : null, unit_name: i >= 3 ? '城东社区居委会' : null,
        deadline: now + (3 - i) * 86_400_000, supervision: i === 4 ? 'yellow' : i === 5 ? 'red' : 'on_time', manual_supervision: false,
      }
      this.incidentsList.push({
        item, description: `${item.summary}，请尽快处理。`, location: `${STREETS[i]}${i + 3}号`, parties: null,
        events: [{ id: `e${i}`, action: 'report', action_label_zh: '上报', actor_name: item.reporter_name, role: 'grid_worker', at: item.reported_at, note: null, flagged: false }],
        allowed_actions: [...Object.keys(NEXT[state] ?? {}), 'supervise'],
        units: [
          { id: 'u1', name: '城东社区居委会', platform: 'comprehensive', level: 'township' },
          { id: 'u2', name: '县市场监督管理局', platform: 'market', level: 'county' },
          { id: 'u3', name: '镇综合行政执法队', platform: 'law_enforcement', level: 'township' },
        ],
      })
    })
  }

  private guard(): void {
    if (!this.signedIn) throw mkError(401, 'unauthorized', '登录已失效，请重新登录。', 'You are not signed in. Sign in again.')
  }

  private session_(): SessionBody {
    return {
      user: { id: 'u-head', username: 'grid_head-001', name: '周国强', role: 'grid_head', area_id: 'c1', area_name: '城东社区' },
      csrf_token: 'memory-csrf',
    }
  }

  async session(): Promise<SessionBody | null> {
    return this.signedIn ? this.session_() : null
  }

  async signIn(username: string, password: string): Promise<SessionBody> {
    this.calls.push('signIn')
    if (password !== MEMORY_PASSWORD || !username) throw mkError(401, 'bad_credentials', '用户名或密码不正确。', 'Wrong username or password.')
    this.signedIn = true
    return this.session_()
  }

  async signOut(): Promise<void> {
    this.signedIn = false
  }

  async reviews(q: ReviewQuery): Promise<ReviewPage> {
    this.guard()
    const want = q.status === 'unreviewed' ? ['unreviewed', 'resubmitted'] : [q.status]
    const all = this.items.filter((i) => want.includes(i.status) && (!q.grid_id || i.grid_id === q.grid_id) &&
      (!q.q || i.address.includes(q.q) || i.note.includes(q.q) || i.author_name.includes(q.q)))
    return { total: all.length, items: all.slice(q.offset, q.offset + q.limit) }
  }

  async reviewDetail(householdId: string, recordId: string): Promise<ReviewDetail> {
    this.guard()
    const item = this.items.find((i) => i.household_id === householdId && i.record_id === recordId)
    if (!item) throw mkError(404, 'not_found', '记录不存在。', 'No such record.')
    return { item, lineage: this.lineage.get(`${householdId}/${recordId}`) ?? [] }
  }

  async review(req: ReviewRequest): Promise<ReviewResults> {
    this.guard()
    this.calls.push(`review:${req.decision}:${req.items.length}`)
    if (req.decision === 'return' && !req.reason?.trim()) {
      throw mkError(400, 'reason_required', '退回必须填写原因。', 'A return needs a reason.')
    }
    const at = Date.now()
    return {
      results: req.items.map((k) => {
        const item = this.items.find((i) => i.household_id === k.household_id && i.record_id === k.record_id)
        if (!item) {
          return { ...k, ok: false, error: { code: 'not_found', message_zh: '记录不存在。', message_en: 'No such record.' } }
        }
        item.status = req.decision === 'approve' ? 'approved' : 'returned'
        item.last_review = { decision: req.decision, reason: req.reason ?? '', reviewer_name: '周国强', at }
        this.lineage.get(`${k.household_id}/${k.record_id}`)?.push({
          at, kind: req.decision === 'approve' ? 'approved' : 'returned', by_name: '周国强', role: 'grid_head',
          reason: req.reason, note: null, service: null, mode: null,
        })
        return { ...k, ok: true, error: null }
      }),
    }
  }

  async incidents(q: IncidentQuery): Promise<IncidentPage> {
    this.guard()
    const all = this.incidentsList.map((d) => d.item).filter((i) => (!q.state || i.state === q.state) && (!q.grid_id || i.grid_id === q.grid_id))
    return { total: all.length, items: all.slice(q.offset, q.offset + q.limit) }
  }

  async incidentDetail(id: string): Promise<IncidentDetail> {
    this.guard()
    const d = this.incidentsList.find((x) => x.item.id === id)
    if (!d) throw mkError(404, 'not_found', '事件不存在。', 'No such incident.')
    return d
  }

  async incidentAct(id: string, req: IncidentActionRequest): Promise<IncidentDetail> {
    const d = await this.incidentDetail(id)
    this.calls.push(`act:${req.action}`)
    if (!d.allowed_actions.includes(req.action)) {
      throw mkError(403, 'action_not_allowed', '当前状态或角色不能执行此操作。', 'This action is not allowed now or for your role.')
    }
    if (req.action === 'supervise') d.item.manual_supervision = true
    else d.item.state = NEXT[d.item.state]?.[req.action] ?? d.item.state
    if (req.action === 'route') {
      const u = d.units.find((x) => x.id === req.unit_id)
      d.item.unit_id = u?.id ?? null
      d.item.unit_name = u?.name ?? null
      d.item.platform = req.platform
    }
    d.events.push({ id: `e${d.events.length}-${id}`, action: req.action, action_label_zh: req.action, actor_name: '周国强', role: 'dispatcher', at: Date.now(), note: req.note, flagged: false })
    d.allowed_actions = [...Object.keys(NEXT[d.item.state] ?? {}), 'supervise']
    return d
  }

  async dashboard(q: DashboardQuery): Promise<Dashboard> {
    this.guard()
    const cov = (id: string, name: string, detail: string, occupied: number, seen: number, self: number | null): CoverageRow => ({
      id, name, detail, occupied, seen, contacted: seen + 10, empty: 4, seen_by_self: self, rate: seen / occupied,
    })
    const cc = (codes: string[], counts: number[]): CodeCount[] => codes.map((code, i) => ({ code, label_zh: code, count: counts[i] }))
    const grids = GRIDS.map(([id, name], i) => cov(id, name, '', 120 + i * 30, 90 + i * 20, null))
    return {
      area_id: q.area_id ?? 'c1', area_name: '城东社区', from: q.from, to: q.to, as_of: Date.UTC(2026, 10, 27),
      total: cov('c1', '城东社区', '', 450, 330, null), grids,
      workers: WORKERS.map((w, i) => cov(`w${i}`, w, GRIDS[i][1], 120 + i * 30, 80 + i * 25, 60 + i * 20)),
      contactors: ['周国强', '陈丽华', '吴志明', '郑小红'].map((w, i) => cov(`c${i}`, w, 'party_member', 20 + i * 5, 15 + i * 3, 10 + i)),
      seen_histogram: cc(['0-7', '8-30', '31-60', '61-90', '91-180', '181+', 'never'], [80, 120, 60, 30, 12, 5, 3]),
      overdue_by_rule: ['elderly_alone', 'very_old', 'disabled', '*'].map((tag, i) => ({ tag, label_zh: tag === '*' ? '全部在住户' : tag, every_days: [7, 30, 30, 90][i], in_person: i !== 0, overdue: [6, 4, 2, 9][i] })),
      incidents: {
        reported: 24, by_state: cc(['reported', 'in_progress', 'handled', 'closed', 'rated'], [3, 5, 2, 8, 6]),
        by_category: ['公共设施', '道路交通', '矛盾纠纷', '环境卫生'].map((label_zh, i) => ({ code: `c${i}`, label_zh, count: [7, 5, 4, 8][i] })),
        by_platform: cc(['comprehensive', 'market', 'law_enforcement', 'public_service', 'in_grid'], [6, 3, 4, 5, 6]),
        sla: { routed: 18, accepted_on_time: 17, handled_on_time: 16, compliant: 16, rate: 16 / 18 },
        resolved: 14, resolution_rate: 14 / 24, handled: 16, verified: 15, verification_rate: 15 / 16,
        satisfaction: { satisfied: 4, basically_satisfied: 1, unsatisfied: 1, rated: 6, rate: 5 / 6 },
      },
    }
  }

  async startExport(req: ExportRequest): Promise<ExportCreated> {
    this.guard()
    const id = `x${this.exports.size + 1}-${req.kind}`
    this.exports.set(id, 0)
    return { id }
  }

  async exportStatus(id: string): Promise<ExportStatus> {
    const p = Math.min(1, (this.exports.get(id) ?? 0) + 0.25)
    this.exports.set(id, p)
    return { progress: p, done: p >= 1, error: null, file_name: `${id}.xlsx` }
  }

  exportFileUrl(id: string): string {
    return `#/export/${id}`
  }
}
