// Stable code lists the UI shows labels for. Each mirrors a Rust enum in gridwalk-core
// (the source named beside it); tests/i18n.test.ts checks every code has a zh-CN and an
// en label, so a new code on the Rust side shows up here as a failing test, not as a raw
// code on screen.

/** crates/core/src/doc/visit.rs ContactMode */
export const MODES = ['in_person', 'phone', 'video'] as const
/** crates/core/src/doc/visit.rs VisitKind */
export const VISIT_KINDS = ['routine', 'key_group_care', 'incident_return', 'campaign'] as const
/** crates/core/src/doc/visit.rs Campaign */
export const CAMPAIGNS = ['fire', 'gas', 'dangerous_house', 'garbage_sorting', 'flood'] as const
/** crates/core/src/doc/visit.rs ObservationKind */
export const OBSERVATION_KINDS = ['moved_in', 'moved_out', 'birth', 'death', 'new_tenant'] as const
/** crates/core/src/doc/visit.rs NeedOutcome */
export const NEED_OUTCOMES = ['noted', 'incident', 'proxy'] as const
/** crates/core/src/reference/tags.rs CareTag */
export const CARE_TAGS = [
  'elderly_alone', 'very_old', 'disabled', 'minimum_income', 'extreme_poverty', 'left_behind_child',
] as const
/** crates/core/src/reference/tags.rs SpecialTag */
export const SPECIAL_TAGS = ['community_correction', 'released_prisoner', 'severe_mental_illness'] as const
/** crates/core/src/reference/category.rs Urgency (mildest first) */
export const URGENCIES = ['normal', 'major', 'serious', 'emergency'] as const
/** crates/core/src/reference/category.rs Platform */
export const PLATFORMS = ['comprehensive', 'market', 'law_enforcement', 'public_service', 'in_grid'] as const
/**
 * Other spellings of platform codes seen in the field DTO docs (`grid_self`,
 * `comprehensive_governance`), folded to the core codes before a label is looked up.
 */
export const PLATFORM_ALIASES: Record<string, (typeof PLATFORMS)[number]> = {
  grid_self: 'in_grid',
  comprehensive_governance: 'comprehensive',
}
/** crates/core/src/reference/role.rs Role */
export const ROLES = [
  'grid_worker', 'part_time_worker', 'party_member', 'grid_head',
  'township_supervisor', 'dispatcher', 'handling_unit', 'admin',
] as const
/** crates/core/src/identity.rs IdKind */
export const ID_KINDS = ['resident_id', 'legacy_id', 'hmt_permit', 'passport', 'permanent_residence'] as const
/** crates/core/src/incident/action.rs Action */
export const ACTIONS = [
  'report', 'self_handle', 'grid_accept', 'grid_return', 'accept', 'return_duplicate',
  'return_insufficient', 'resubmit', 'route', 'sign', 'refuse', 'progress', 'request_delay',
  'grant_delay', 'deny_delay', 'feedback', 'verify', 'verify_fail', 'close', 'rate', 'supervise',
  'add_info',
] as const
/** crates/core/src/incident/machine.rs State */
export const STATES = [
  'draft', 'reported', 'grid_accepted', 'returned_by_grid', 'returned_duplicate',
  'returned_insufficient', 'accepted', 'routed', 'in_progress', 'delay_requested', 'handled',
  'verified', 'closed', 'rated',
] as const
/** crates/core/src/incident/machine.rs RatingLevel */
export const RATING_LEVELS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const
/** crates/core/src/incident/machine.rs RatingChannel */
export const RATING_CHANNELS = ['resident', 'worker', 'callback'] as const
/** crates/core/src/incident/machine.rs FlaggedEvent reason codes */
export const FLAG_REASONS = [
  'wrong_state', 'wrong_role', 'not_reporter', 'not_in_grid', 'no_open_request', 'not_involved',
  'reason_required', 'invalid_fields', 'invalid_clock',
] as const
/** Event field keys (crates/core/src/incident/transitions.rs validate_fields) */
export const EVENT_FIELDS = ['result', 'evidence', 'days', 'level', 'channel', 'unit', 'platform', 'county'] as const
/** crates/core/src/doc/household.rs Relation */
export const RELATIONS = [
  'head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'child_in_law',
  'tenant', 'other',
] as const
/** crates/core/src/doc/household.rs HouseholdStatus */
export const HOUSEHOLD_STATUSES = ['occupied', 'empty', 'rented'] as const
/** crates/core/src/reference/contact.rs ContactKind */
export const CONTACT_KINDS = ['cadre_grid', 'head_worker', 'worker_household', 'party_member_household'] as const
/** IncidentListItem.supervision (督办 level; crates/core/src/rules/sla.rs OverdueLevel past due) */
export const SUPERVISION_LEVELS = ['overdue', 'yellow', 'red'] as const
/** SyncProgressView.phase */
export const SYNC_PHASES = ['push', 'first_sync', 'pull', 'apply', 'done'] as const
/** ReturnedView.record_kind */
export const RECORD_KINDS = ['visit', 'contact'] as const
/** HouseholdListItem.due and the list filter */
export const DUE_STATES = ['due', 'overdue'] as const
/** VisitView.review */
export const REVIEWS = ['approve', 'return'] as const
/** gridwalk_core::doc::review::ReviewStatus codes */
export const REVIEW_STATUSES = ['unreviewed', 'returned', 'resubmitted', 'approved'] as const
/** gridwalk_core::doc::review::LineageKind codes */
export const LINEAGE_KINDS = ['submitted', 'fixed', 'approved', 'returned'] as const

/** Fields a same-field conflict can be about (the last segment of its path). */
export const DOC_FIELDS = [
  'address', 'birth_year', 'category', 'content', 'deleted_at', 'description', 'households', 'id_doc',
  'location', 'micro_grid_id', 'name', 'parties', 'phone', 'platform', 'relation', 'special_tags',
  'status', 'tags', 'urgency',
] as const
/** Outbox action labels (crates/store/src/write.rs), shown in the refused list */
export const OUTBOX_LABELS = [
  'household.add_visit', 'household.add_member', 'household.add_contact', 'household.add_review',
  'household.edit', 'private.set_special_tags', 'private.set_id', 'journal.add_contact',
  'journal.add_note', 'conflict.resolve', 'incident.create', 'incident.report', 'incident.delete',
  'incident.event', 'household_private.create', 'household.fix.visit', 'household.fix.contact',
] as const

/** Every group of codes, keyed by its i18n namespace under `code.`. */
export const CODE_GROUPS: Record<string, readonly string[]> = {
  mode: MODES,
  visitKind: VISIT_KINDS,
  campaign: CAMPAIGNS,
  observation: OBSERVATION_KINDS,
  needOutcome: NEED_OUTCOMES,
  tag: [...CARE_TAGS, ...SPECIAL_TAGS],
  docField: DOC_FIELDS,
  urgency: URGENCIES,
  platform: PLATFORMS,
  role: ROLES,
  idKind: ID_KINDS,
  action: ACTIONS,
  state: STATES,
  ratingLevel: RATING_LEVELS,
  ratingChannel: RATING_CHANNELS,
  flag: FLAG_REASONS,
  eventField: EVENT_FIELDS,
  relation: RELATIONS,
  householdStatus: HOUSEHOLD_STATUSES,
  contactKind: CONTACT_KINDS,
  supervision: SUPERVISION_LEVELS,
  syncPhase: SYNC_PHASES,
  recordKind: RECORD_KINDS,
  due: DUE_STATES,
  review: REVIEWS,
  reviewStatus: REVIEW_STATUSES,
  lineage: LINEAGE_KINDS,
}

/** Folds a platform code to its core spelling. */
export function normalizePlatform(code: string | null | undefined): string | null {
  if (!code) return null
  return PLATFORM_ALIASES[code] ?? code
}

/** Does a category leaf with this platform take the 网格自办 path? */
export function isSelfHandledPlatform(code: string | null | undefined): boolean {
  return normalizePlatform(code) === 'in_grid'
}

/** Actions a field device never offers (dispatcher-only routing). */
export const CONSOLE_ONLY_ACTIONS: readonly string[] = ['route']
/** Actions whose note is the required reason. */
export const REASON_ACTIONS: readonly string[] = [
  'grid_return', 'return_duplicate', 'return_insufficient', 'refuse', 'verify_fail',
]
