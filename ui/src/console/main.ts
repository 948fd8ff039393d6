// Entry point of the supervisor console (served by gridwalk-server at /console/, and the
// supervisor views inside the Tauri app): the HTTP backend, the app's backend when running
// inside Tauri, or the in-memory demo with `?demo=1`; the session; then mount with router,
// vue-i18n and Element Plus.
import { createApp } from 'vue'
import ConsoleApp from './ConsoleApp.vue'
import { HttpConsoleBackend } from './backend/http'
import { createConsoleRouter } from './router'
import { i18n } from './i18n'
import { useElement } from './element'
import { loadSession, setConsoleBackend } from './session'
import './style.css'

async function start(): Promise<void> {
  const demo = new URLSearchParams(window.location.search).get('demo') === '1'
  if (demo) {
    const { MemoryConsoleBackend } = await import('./backend/memory')
    setConsoleBackend(new MemoryConsoleBackend({ signedIn: false }))
  } else if ('__TAURI_INTERNALS__' in window) {
    const { TauriConsoleBackend } = await import('./backend/tauri')
    setConsoleBackend(new TauriConsoleBackend())
  } else {
    setConsoleBackend(new HttpConsoleBackend())
  }
  document.documentElement.lang = i18n.global.locale.value
  await loadSession()
  const app = createApp(ConsoleApp)
  useElement(app)
  app.use(i18n)
  app.use(createConsoleRouter())
  app.mount('#app')
}

// A failure before the console mounts is shown, not left as a blank page.
void start().catch((e: unknown) => {
  console.error(e)
  const el = document.getElementById('app')
  if (el) el.textContent = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
})
