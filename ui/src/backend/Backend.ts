// The only way the UI reaches the backend. Two implementations: Tauri IPC (the field app)
// and HTTP (the supervisor console, served by gridwalk-server). Every method rejects with
// an AppError (stable code + zh-CN/en message), never with a bare string.
import type {
  AppError, AppState, AssignmentView, ConflictView, FixContactInput, FixVisitInput, FormOptions, HouseholdCard, HouseholdList,
  HouseholdQuery, IncidentActionInput, IncidentDetail, IncidentListItem, MemberEditInput,
  NewContactInput, NewIncidentInput, NewMemberInput, NewVisitInput, RecordRef, RecordView, ResolveInput, ReturnedView, RevealRequest, SavedVisit,
  SessionView, SyncProgressView, SyncStatus, TodayView, WipePreview,
} from '../bindings/field'

export type { AppError }

export interface Backend {
  appState(): Promise<AppState>
  formOptions(): Promise<FormOptions>
  login(serverUrl: string, username: string, password: string): Promise<SessionView>
  today(): Promise<TodayView>
  households(query: HouseholdQuery): Promise<HouseholdList>
  householdCard(id: string): Promise<HouseholdCard>
  /** The full value; the reveal is audited (offline too). */
  reveal(req: RevealRequest): Promise<string>
  editMember(input: MemberEditInput): Promise<HouseholdCard>
  /**
   * Adds a member; returns the card with it (its ID number masked). Refused with
   * AppError.field = `name`, `relation`, `id_kind`, `id_number`, `phone` or `birth_year`.
   */
  addMember(input: NewMemberInput): Promise<HouseholdCard>
  saveVisit(input: NewVisitInput): Promise<SavedVisit>
  assignments(): Promise<AssignmentView[]>
  saveContact(input: NewContactInput): Promise<void>
  /** Returns the new incident's id. */
  reportIncident(input: NewIncidentInput): Promise<string>
  incidents(): Promise<IncidentListItem[]>
  incidentDetail(id: string): Promise<IncidentDetail>
  incidentAct(input: IncidentActionInput): Promise<IncidentDetail>
  conflicts(): Promise<ConflictView[]>
  resolveConflict(input: ResolveInput): Promise<void>
  /** 需修改: my records a supervisor returned and I have not fixed yet. */
  returnedRecords(): Promise<ReturnedView[]>
  /** A visit's or contact log's review status, latest return and lineage. */
  recordDetail(ref: RecordRef): Promise<RecordView>
  /** Fixes a returned visit (resubmits it); refused with `not_record_author` for others. */
  fixVisit(input: FixVisitInput): Promise<RecordView>
  /** Fixes a returned contact log (resubmits it). */
  fixContact(input: FixContactInput): Promise<RecordView>
  syncStatus(): Promise<SyncStatus>
  /** Runs a sync now (or joins the running one) and returns the status after it. */
  syncNow(): Promise<SyncStatus>
  setLocale(locale: string): Promise<void>
  wipePreview(): Promise<WipePreview>
  /** Refused with code `unsynced_work` when work would be lost and `confirmLoss` is false. */
  signOut(confirmLoss: boolean): Promise<void>
  /** Subscribes to sync progress, status changes and the revoked-device lock. */
  onSyncProgress(cb: (p: SyncProgressView) => void): Promise<() => void>
  onSyncStatus(cb: (s: SyncStatus) => void): Promise<() => void>
  onLocked(cb: (e: AppError) => void): Promise<() => void>
}
