// The review loop in the demo backend: a visit a supervisor returned (需修改) with its
// reason and lineage, and the fix that resubmits it. Mirrors gridwalk-field's
// returned_records / record_detail / fix_visit / fix_contact contracts, not their storage.
import type {
  AppError, FixContactInput, FixVisitInput, LineageView, RecordRef, RecordView, ReturnedView, VisitView,
} from '../bindings/field'

export type DemoRecord = Omit<RecordView, 'can_fix'> & { author_id: string }

type I64 = ReturnedView['at']
const n = (x: number): I64 => x as unknown as I64

function notFound(id: string): AppError {
  return { code: 'record_not_found', message_zh: '本机上找不到这条记录，可能尚未同步或已删除。', message_en: `Record ${id} is not on this device.`, field: null }
}

/** The demo's returned visit, and the card row that shows it. */
export function demoReturned(t: number, address: string): { record: DemoRecord; visit: VisitView } {
  const DAY = 86_400_000
  const lineage: LineageView[] = [
    { kind: 'submitted', by: '林晓梅', role: 'grid_worker', at: n(t - 3 * DAY), reason: '', note: '上门看望，老人身体尚可。' },
    { kind: 'returned', by: '陈建华', role: 'grid_head', at: n(t - DAY), reason: '未写明见到的人，请补充', note: null },
  ]
  const record: DemoRecord = {
    record_kind: 'visit', record_id: 'v-r1', household_id: 'hh-0004', address, author: '林晓梅', author_id: 'u-demo',
    at: n(t - 3 * DAY), status: 'returned', reason: '未写明见到的人，请补充', returned_by: '陈建华', returned_at: n(t - DAY),
    content: { mode: 'in_person', kind: 'routine', campaign: null, persons_met: [], service: '测量血压', follow_up: null, note: '上门看望，老人身体尚可。' },
    lineage, pending: false,
  }
  const visit: VisitView = {
    id: 'v-r1', at: n(t - 3 * DAY), visitor: '林晓梅', mode: 'in_person', kind: 'routine', note: record.content.note,
    service: record.content.service, needs: [], follow_up: null, has_gps: false, review: 'return', review_status: 'returned', pending: false,
  }
  return { record, visit }
}

type ReviewState = { records: DemoRecord[]; visits: { hh: string; view: VisitView }[]; session: { name: string; role: string } | null }

export function reviewApi(state: ReviewState, now: () => number, touch: () => void) {
  const find = (kind: string, id: string) => {
    const r = state.records.find((x) => x.record_kind === kind && x.record_id === id)
    if (!r) throw notFound(id)
    return r
  }
  const view = (r: DemoRecord): RecordView => {
    const { author_id: _author, ...rest } = r
    return { ...rest, lineage: [...r.lineage], can_fix: ['grid_worker', 'grid_head'].includes(state.session?.role ?? '') || r.author === state.session?.name }
  }
  const fixed = (r: DemoRecord, note: string) => {
    if ([...note].length > 4000) throw { code: 'too_long', message_zh: '民情日记不能超过4000字', message_en: 'The note is over 4,000 characters', field: 'note' } as AppError
    r.content = { ...r.content, note }
    r.status = 'resubmitted'
    r.pending = true
    r.lineage.push({ kind: 'fixed', by: state.session?.name ?? '', role: null, at: n(now()), reason: '', note })
    const v = state.visits.find((x) => x.view.id === r.record_id)
    if (v) Object.assign(v.view, { note, review_status: 'resubmitted', pending: true })
    touch()
    return view(r)
  }
  return {
    returned(): ReturnedView[] {
      return state.records.filter((r) => r.status === 'returned').map((r) => ({
        record_kind: r.record_kind, record_id: r.record_id, household_id: r.household_id, address: r.address,
        record_at: r.at, reason: r.reason ?? '', by: r.returned_by ?? '', at: r.returned_at ?? n(0),
      }))
    },
    async returnedRecords() {
      return this.returned()
    },
    async recordDetail(ref: RecordRef) {
      return view(find(ref.record_kind, ref.record_id))
    },
    async fixVisit(input: FixVisitInput) {
      const r = find('visit', input.visit_id)
      if (input.service !== null) r.content.service = input.service
      return fixed(r, input.note ?? r.content.note)
    },
    async fixContact(input: FixContactInput) {
      return fixed(find('contact', input.contact_id), input.note ?? '')
    },
    /** After a sync: fixes are sent. */
    synced() {
      state.records.forEach((r) => (r.pending = false))
    },
  }
}
