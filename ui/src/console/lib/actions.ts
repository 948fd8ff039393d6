// Incident action forms as pure functions: which fields an action requires and the request
// body it sends (unused fields null, as the contract asks).
import { REASON_ACTIONS } from '../../i18n/codes'
import type { IncidentActionRequest } from '../types'

export interface ActionForm { note: string; unit_id: string; platform: string; days: number; rating: string; channel: string }

/** Fields the user still has to fill for this action. */
export function missingFields(action: string, f: ActionForm): string[] {
  const out: string[] = []
  if (action === 'route') {
    if (!f.platform) out.push('platform')
    if (!f.unit_id) out.push('unit_id')
  }
  if ((action === 'request_delay' || action === 'grant_delay') && !(f.days >= 1)) out.push('days')
  if (action === 'rate') {
    if (!f.rating) out.push('rating')
    if (!f.channel) out.push('channel')
  }
  if ((action === 'feedback' || REASON_ACTIONS.includes(action)) && !f.note.trim()) out.push('note')
  return out
}

/** The POST body for an action. */
export function actionRequest(action: string, f: ActionForm): IncidentActionRequest {
  return {
    action,
    note: f.note.trim() || null,
    unit_id: action === 'route' ? f.unit_id || null : null,
    platform: action === 'route' ? f.platform || null : null,
    days: action === 'request_delay' || action === 'grant_delay' ? f.days : null,
    rating: action === 'rate' ? f.rating || null : null,
    channel: action === 'rate' ? f.channel || null : null,
  }
}
