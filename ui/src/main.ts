// Entry point of the field app: choose the backend (Tauri IPC, or the in-memory demo with
// `?demo=1` in a plain browser), create the stores, then mount with router, i18n and Vant.
import { createApp } from 'vue'
import FieldApp from './field/FieldApp.vue'
import NoBackend from './field/screens/NoBackend.vue'
import { chooseBackend, setBackend } from './backend'
import { createStores } from './lib/stores'
import { createFieldRouter } from './field/router'
import { i18n } from './i18n'
import { useVant } from './field/vant'
import './field/style.css'

async function start(): Promise<void> {
  const b = await chooseBackend()
  if (!b) {
    createApp(NoBackend).use(i18n).mount('#app')
    return
  }
  setBackend(b)
  const st = createStores(b)
  await st.session.init()
  const app = createApp(FieldApp)
  useVant(app)
  app.use(i18n)
  app.use(createFieldRouter())
  app.mount('#app')
}

void start()
