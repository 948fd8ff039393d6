// The session store: app state from the backend (who is signed in, the server address,
// the language, the revoked-device lock) and the form options. A small reactive object
// with functions, shared by every screen; the backend is passed in so tests can use a fake.
import { reactive } from 'vue'
import type { Backend } from '../../backend/Backend'
import type { AppError, AppState, FormOptions, SessionView } from '../../bindings/field'
import { toAppError } from '../../backend/errors'
import { applyLocale, type LocaleCode } from '../../i18n'

export const DEFAULT_SERVER = 'http://127.0.0.1:8787'

export type SessionStore = ReturnType<typeof createSessionStore>

export function createSessionStore(b: Backend) {
  const state = reactive({
    ready: false,
    app: null as AppState | null,
    session: null as SessionView | null,
    options: null as FormOptions | null,
    locked: null as AppError | null,
    locale: 'zh-CN' as LocaleCode,
    loadError: null as AppError | null,
  })
  let unlisten: (() => void) | null = null

  async function loadOptions(): Promise<void> {
    state.options = await b.formOptions()
  }

  async function init(): Promise<void> {
    try {
      const app = await b.appState()
      state.app = app
      state.session = app.session
      state.locked = app.locked
      state.locale = applyLocale(app.locale)
      if (app.session) await loadOptions()
      unlisten ??= await b.onLocked((e) => lock(e))
    } catch (e) {
      state.loadError = toAppError(e)
    } finally {
      state.ready = true
    }
  }

  function lock(e: AppError): void {
    state.locked = toAppError(e)
    state.session = null
    state.options = null
  }

  async function login(serverUrl: string, username: string, password: string): Promise<SessionView> {
    const s = await b.login(serverUrl.trim(), username.trim(), password)
    state.session = s
    state.locked = null
    if (state.app) state.app.server_url = s.server_url
    await loadOptions()
    return s
  }

  /** Signs out; rejects with `unsynced_work` when work would be lost and `confirmLoss` is false. */
  async function signOut(confirmLoss: boolean): Promise<void> {
    await b.signOut(confirmLoss)
    state.session = null
    state.options = null
  }

  async function setLocale(locale: string): Promise<void> {
    state.locale = applyLocale(locale)
    await b.setLocale(state.locale)
  }

  /** After the locked screen: back to first run. */
  function clearLock(): void {
    state.locked = null
  }

  function serverUrl(): string {
    return state.session?.server_url || state.app?.server_url || DEFAULT_SERVER
  }

  function dispose(): void {
    unlisten?.()
    unlisten = null
  }

  return { state, init, login, signOut, setLocale, clearLock, lock, serverUrl, loadOptions, dispose }
}
