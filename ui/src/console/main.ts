// Entry point of the supervisor console (served by gridwalk-server at /console/): the HTTP
// backend (or the in-memory demo with `?demo=1`), the session, then mount with router,
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

void start()
