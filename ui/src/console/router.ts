// Hash routes of the console (so it works under /console/ from a static directory): sign-in,
// review queue, incident inbox, dashboard and export. Every screen but sign-in needs a session.
import { createRouter, createWebHashHistory } from 'vue-router'
import { homeRoute, state } from './session'

export function createConsoleRouter() {
  const router = createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', redirect: () => homeRoute(state.user?.role) },
      { path: '/login', component: () => import('./screens/SignIn.vue'), meta: { public: true } },
      { path: '/reviews', component: () => import('./screens/Reviews.vue') },
      { path: '/incidents', component: () => import('./screens/Incidents.vue') },
      { path: '/dashboard', component: () => import('./screens/Dashboard.vue') },
      { path: '/export', component: () => import('./screens/Export.vue') },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  })
  router.beforeEach((to) => {
    if (!to.meta.public && !state.user) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
    if (to.path === '/login' && state.user) return homeRoute(state.user.role)
    return true
  })
  return router
}
