// Field app routes (hash history: works from Tauri's custom protocol and a static preview).
// The guard keeps a locked device on the locked screen and an unsigned one on first run.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { stores } from '../lib/stores'

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/today' },
  { path: '/first-run', component: () => import('./screens/FirstRun.vue'), meta: { open: true } },
  { path: '/locked', component: () => import('./screens/Locked.vue'), meta: { open: true } },
  { path: '/today', component: () => import('./screens/Today.vue'), meta: { tab: true } },
  { path: '/households', component: () => import('./screens/Households.vue'), meta: { tab: true } },
  { path: '/households/:id', component: () => import('./screens/HouseholdCard.vue'), props: true },
  { path: '/households/:id/visit', component: () => import('./screens/VisitForm.vue'), props: true },
  { path: '/households/:id/member/new', component: () => import('./screens/MemberForm.vue'), props: true },
  { path: '/incidents', component: () => import('./screens/Incidents.vue'), meta: { tab: true } },
  { path: '/incidents/new', component: () => import('./screens/IncidentReport.vue') },
  { path: '/incidents/:id', component: () => import('./screens/IncidentDetail.vue'), props: true },
  { path: '/contacts', component: () => import('./screens/Contacts.vue'), meta: { tab: true } },
  { path: '/returned', component: () => import('./screens/Returned.vue') },
  { path: '/records/:kind/:id', component: () => import('./screens/RecordView.vue'), props: true },
  { path: '/conflicts', component: () => import('./screens/Conflicts.vue') },
  { path: '/sync', component: () => import('./screens/Sync.vue') },
  { path: '/me', component: () => import('./screens/Settings.vue'), meta: { tab: true } },
  { path: '/:rest(.*)*', redirect: '/today' },
]

export function createFieldRouter() {
  const router = createRouter({ history: createWebHashHistory(), routes })
  router.beforeEach((to) => {
    const s = stores().session.state
    if (s.locked) return to.path === '/locked' ? true : '/locked'
    if (!s.session) return to.path === '/first-run' ? true : '/first-run'
    if (to.meta.open) return '/today'
    return true
  })
  return router
}
