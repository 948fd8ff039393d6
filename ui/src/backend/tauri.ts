// The Backend over Tauri IPC (the field app). Command names are the snake_case of the
// method names and argument keys are snake_case; every rejection becomes an AppError.
import { invoke } from '@tauri-apps/api/core'
import { listen } from '@tauri-apps/api/event'
import type { Backend } from './Backend'
import type {
  AppError, AppState, AssignmentView, ConflictView, FixContactInput, FixVisitInput, FormOptions, HouseholdCard, HouseholdList,
  HouseholdQuery, IncidentActionInput, IncidentDetail, IncidentListItem, MemberEditInput,
  NewContactInput, NewIncidentInput, NewMemberInput, NewVisitInput, RecordRef, RecordView, ResolveInput, ReturnedView, RevealRequest, SavedVisit,
  SessionView, SyncProgressView, SyncStatus, TodayView, WipePreview,
} from '../bindings/field'
import { toAppError } from './errors'

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (e) {
    throw toAppError(e)
  }
}

async function on<T>(event: string, cb: (payload: T) => void): Promise<() => void> {
  try {
    return await listen<T>(event, (ev) => cb(ev.payload))
  } catch (e) {
    throw toAppError(e)
  }
}

export function tauriBackend(): Backend {
  return {
    appState: () => call<AppState>('app_state'),
    formOptions: () => call<FormOptions>('form_options'),
    login: (serverUrl, username, password) =>
      call<SessionView>('login', { server_url: serverUrl, username, password }),
    today: () => call<TodayView>('today'),
    households: (query: HouseholdQuery) => call<HouseholdList>('households', { query }),
    householdCard: (id) => call<HouseholdCard>('household_card', { id }),
    reveal: (req: RevealRequest) => call<string>('reveal', { req }),
    editMember: (input: MemberEditInput) => call<HouseholdCard>('edit_member', { input }),
    addMember: (input: NewMemberInput) => call<HouseholdCard>('add_member', { input }),
    saveVisit: (input: NewVisitInput) => call<SavedVisit>('save_visit', { input }),
    assignments: () => call<AssignmentView[]>('assignments'),
    saveContact: (input: NewContactInput) => call<void>('save_contact', { input }),
    reportIncident: (input: NewIncidentInput) => call<string>('report_incident', { input }),
    incidents: () => call<IncidentListItem[]>('incidents'),
    incidentDetail: (id) => call<IncidentDetail>('incident_detail', { id }),
    incidentAct: (input: IncidentActionInput) => call<IncidentDetail>('incident_act', { input }),
    conflicts: () => call<ConflictView[]>('conflicts'),
    resolveConflict: (input: ResolveInput) => call<void>('resolve_conflict', { input }),
    returnedRecords: () => call<ReturnedView[]>('returned_records'),
    recordDetail: (input: RecordRef) => call<RecordView>('record_detail', { input }),
    fixVisit: (input: FixVisitInput) => call<RecordView>('fix_visit', { input }),
    fixContact: (input: FixContactInput) => call<RecordView>('fix_contact', { input }),
    syncStatus: () => call<SyncStatus>('sync_status'),
    syncNow: () => call<SyncStatus>('sync_now'),
    setLocale: (locale) => call<void>('set_locale', { locale }),
    wipePreview: () => call<WipePreview>('wipe_preview'),
    signOut: (confirmLoss) => call<void>('sign_out', { confirm_loss: confirmLoss }),
    onSyncProgress: (cb: (p: SyncProgressView) => void) => on('sync-progress', cb),
    onSyncStatus: (cb: (s: SyncStatus) => void) => on('sync-status', cb),
    onLocked: (cb: (e: AppError) => void) => on('locked', cb),
  }
}
