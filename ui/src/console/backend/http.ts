// The console backend over HTTP: `fetch` with the session cookie (`credentials:
// 'same-origin'`), the CSRF token from the session body sent as `X-CSRF-Token` on every
// non-GET request, and every non-2xx answer turned into a ConsoleError from the server's
// ErrorBody (a body that is not one becomes `http_<status>`).
import type { ConsoleBackend, DashboardQuery, IncidentQuery, ReviewQuery } from './ConsoleBackend'
import { ConsoleError, isErrorBody, toConsoleError } from './errors'
import type {
  Dashboard, ExportRequest, ExportCreated, ExportStatus, IncidentActionRequest, IncidentDetail,
  IncidentPage, ReviewDetail, ReviewPage, ReviewRequest, ReviewResults, SessionBody,
} from '../types'

export const API_BASE = '/api/v1/console'
export const CSRF_HEADER = 'X-CSRF-Token'

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>

/** A query string from the defined, non-empty values only. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

export class HttpConsoleBackend implements ConsoleBackend {
  private csrf: string | null = null

  constructor(private readonly base: string = API_BASE, private readonly fetchFn: FetchFn = (i, init) => fetch(i, init)) {}

  /** The CSRF token of the current session (null when signed out). */
  csrfToken(): string | null {
    return this.csrf
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (method !== 'GET' && method !== 'HEAD' && this.csrf) headers[CSRF_HEADER] = this.csrf
    let res: Response
    try {
      res = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (e) {
      throw toConsoleError(e)
    }
    if (res.status === 204) return undefined as T
    const text = await res.text()
    let parsed: unknown = undefined
    if (text) {
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = undefined
      }
    }
    if (!res.ok) {
      if (isErrorBody(parsed)) throw new ConsoleError(parsed, res.status)
      throw new ConsoleError({ code: `http_${res.status}`, message_zh: '', message_en: '' }, res.status)
    }
    return parsed as T
  }

  async session(): Promise<SessionBody | null> {
    try {
      const s = await this.call<SessionBody>('GET', '/session')
      this.csrf = s.csrf_token
      return s
    } catch (e) {
      if (e instanceof ConsoleError && e.status === 401) {
        this.csrf = null
        return null
      }
      throw e
    }
  }

  async signIn(username: string, password: string): Promise<SessionBody> {
    const s = await this.call<SessionBody>('POST', '/session', { username, password })
    this.csrf = s.csrf_token
    return s
  }

  async signOut(): Promise<void> {
    try {
      await this.call<void>('DELETE', '/session')
    } finally {
      this.csrf = null
    }
  }

  reviews(q: ReviewQuery): Promise<ReviewPage> {
    return this.call('GET', `/reviews${query({ ...q })}`)
  }

  reviewDetail(householdId: string, recordId: string): Promise<ReviewDetail> {
    return this.call('GET', `/reviews/${encodeURIComponent(householdId)}/${encodeURIComponent(recordId)}`)
  }

  review(req: ReviewRequest): Promise<ReviewResults> {
    return this.call('POST', '/reviews', req)
  }

  incidents(q: IncidentQuery): Promise<IncidentPage> {
    return this.call('GET', `/incidents${query({ ...q })}`)
  }

  incidentDetail(id: string): Promise<IncidentDetail> {
    return this.call('GET', `/incidents/${encodeURIComponent(id)}`)
  }

  incidentAct(id: string, req: IncidentActionRequest): Promise<IncidentDetail> {
    return this.call('POST', `/incidents/${encodeURIComponent(id)}/actions`, req)
  }

  dashboard(q: DashboardQuery): Promise<Dashboard> {
    return this.call('GET', `/dashboard${query({ ...q })}`)
  }

  startExport(req: ExportRequest): Promise<ExportCreated> {
    return this.call('POST', '/exports', req)
  }

  exportStatus(id: string): Promise<ExportStatus> {
    return this.call('GET', `/exports/${encodeURIComponent(id)}`)
  }

  exportFileUrl(id: string): string {
    return `${this.base}/exports/${encodeURIComponent(id)}/file`
  }
}
