// The only way the console reaches the server: one method per endpoint of the console
// HTTP contract. Two implementations: `http.ts` (fetch, the real server) and `memory.ts`
// (unit tests and the offline demo). Every method rejects with a ConsoleError.
import type {
  Dashboard, ExportRequest, ExportCreated, ExportStatus, IncidentActionRequest, IncidentDetail,
  IncidentPage, ReviewDetail, ReviewFilter, ReviewPage, ReviewRequest, ReviewResults, SessionBody,
} from '../types'

export interface ReviewQuery { status: ReviewFilter; grid_id?: string; q?: string; offset: number; limit: number }
export interface IncidentQuery { state?: string; grid_id?: string; offset: number; limit: number }
export interface DashboardQuery { area_id?: string; from: string; to: string }

export interface ConsoleBackend {
  /** The current session, or null when nobody is signed in (401). */
  session(): Promise<SessionBody | null>
  signIn(username: string, password: string): Promise<SessionBody>
  signOut(): Promise<void>
  reviews(q: ReviewQuery): Promise<ReviewPage>
  reviewDetail(householdId: string, recordId: string): Promise<ReviewDetail>
  review(req: ReviewRequest): Promise<ReviewResults>
  incidents(q: IncidentQuery): Promise<IncidentPage>
  incidentDetail(id: string): Promise<IncidentDetail>
  incidentAct(id: string, req: IncidentActionRequest): Promise<IncidentDetail>
  dashboard(q: DashboardQuery): Promise<Dashboard>
  startExport(req: ExportRequest): Promise<ExportCreated>
  exportStatus(id: string): Promise<ExportStatus>
  /** Where the browser downloads a finished export from. */
  exportFileUrl(id: string): string
  /** Inside the app: there is no sign-in form, and "sign out" goes back to the field app. */
  readonly embedded?: boolean
  /** Inside the app: saves a finished export on the device (a browser downloads it instead). */
  saveExport?(id: string, fileName: string): Promise<{ path: string; bytes: number }>
}
