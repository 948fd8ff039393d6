// Generated from crates/field/src/dto/ by `UPDATE_BINDINGS=1 cargo test -p gridwalk-field bindings`.
// Do not edit by hand: `make test` fails when this file is stale.

export type AppError = { 
/**
 * Stable code (`wrong_password`, `unreachable`, `invalid_phone`, …).
 */
code: string, 
/**
 * What happened and what to do, in Chinese.
 */
message_zh: string, 
/**
 * The same in English.
 */
message_en: string, 
/**
 * The form field the error is about, when it is about one (`phone`, `note`, …).
 */
field: string | null, };

export type SessionView = { 
/**
 * Server base URL.
 */
server_url: string, 
/**
 * This device's id.
 */
device_id: string, 
/**
 * The user.
 */
user_id: string, 
/**
 * Display name.
 */
name: string, 
/**
 * Role code (`grid_worker`, `part_time_worker`, `party_member`, `grid_head`, …).
 */
role: string, 
/**
 * The areas the user works in, with names (grid or micro-grid).
 */
areas: Array<Choice>, };

export type AppState = { 
/**
 * The signed-in session, if any.
 */
session: SessionView | null, 
/**
 * The last server address used (prefills the first-run screen).
 */
server_url: string | null, 
/**
 * UI language (`zh-CN` or `en`).
 */
locale: string, 
/**
 * Set when the device was revoked and wiped: the code of the reason to show.
 */
locked: AppError | null, 
/**
 * Has the first download finished on this device?
 */
first_sync_done: boolean, };

export type Choice = { 
/**
 * Code or id.
 */
value: string, 
/**
 * Label (area names, category names, member names: data, already in Chinese).
 */
label: string, };

export type FormOptions = { 
/**
 * Contact modes (`in_person`, `phone`, `video`).
 */
modes: Array<string>, 
/**
 * Visit kinds.
 */
visit_kinds: Array<string>, 
/**
 * Campaigns.
 */
campaigns: Array<string>, 
/**
 * Observation kinds.
 */
observation_kinds: Array<string>, 
/**
 * Need outcomes (`noted`, `incident`, `proxy`).
 */
need_outcomes: Array<string>, 
/**
 * Urgencies.
 */
urgencies: Array<string>, 
/**
 * Care tags (codes; labels through i18n).
 */
tags: Array<string>, 
/**
 * Identity document kinds (`resident_id`, `legacy_id`, `hmt_permit`, `passport`,
 * `permanent_residence`).
 */
id_kinds: Array<string>, 
/**
 * A member's relation to the head of household (`head`, `spouse`, `child`, …).
 */
relations: Array<string>, 
/**
 * Rating levels (`satisfied`, `basically_satisfied`, `unsatisfied`).
 */
rating_levels: Array<string>, 
/**
 * Rating channels (`resident`, `worker`, `callback`).
 */
rating_channels: Array<string>, 
/**
 * The incident category tree, flattened: leaves carry their platform.
 */
categories: Array<CategoryOption>, 
/**
 * Micro-grids in the user's scope.
 */
micro_grids: Array<Choice>, };

export type CategoryOption = { 
/**
 * Category code.
 */
code: string, 
/**
 * Parent code, for a leaf.
 */
parent: string | null, 
/**
 * Chinese name (reference data).
 */
name: string, 
/**
 * Platform code the leaf maps to: one of the four platforms (`comprehensive`,
 * `market`, `law_enforcement`, `public_service`) or `in_grid` (网格自办).
 */
platform: string | null, };

export type SyncStatus = { 
/**
 * Is a sync running now?
 */
running: boolean, 
/**
 * Did the last attempt reach the server?
 */
online: boolean, 
/**
 * User actions waiting to be sent.
 */
pending_actions: number, 
/**
 * Age of the oldest of them.
 */
oldest_pending_age_ms: number | null, 
/**
 * Actions the server refused (with reasons in `refused`).
 */
refused_actions: number, 
/**
 * When the last sync succeeded.
 */
last_success_at: number | null, 
/**
 * The last attempt's error, if it failed.
 */
last_error: AppError | null, 
/**
 * Bytes sent and received by the last sync.
 */
last_bytes_up: number, 
/**
 * Bytes received by the last sync.
 */
last_bytes_down: number, 
/**
 * Per-document refusals with their reasons.
 */
refused: Array<RefusedView>, };

export type RefusedView = { 
/**
 * The document.
 */
doc_id: string, 
/**
 * What the user did (action label code, such as `visit.add`).
 */
label: string, 
/**
 * The server's error, localized.
 */
error: AppError, 
/**
 * When the action was made.
 */
at: number, };

export type SyncProgressView = { 
/**
 * `push`, `first_sync`, `pull`, `apply` or `done`.
 */
phase: string, 
/**
 * Units done.
 */
done: number, 
/**
 * Units in all, when known.
 */
total: number | null, 
/**
 * Bytes sent so far.
 */
bytes_up: number, 
/**
 * Bytes received so far.
 */
bytes_down: number, };

export type TodayView = { 
/**
 * Visits due or overdue by tag rule.
 */
due_visits: Array<DueVisitView>, 
/**
 * Overdue 三联系 / 党员联户 contacts.
 */
overdue_contacts: Array<AssignmentView>, 
/**
 * Incidents waiting for my on-site verification.
 */
to_verify: Array<IncidentListItem>, 
/**
 * Open conflicts.
 */
conflicts: Array<ConflictView>, 
/**
 * Records a supervisor returned for a fix.
 */
returned: Array<ReturnedView>, 
/**
 * How many records wait for a fix (需修改; the badge on 今日).
 */
returned_count: number, 
/**
 * How many incidents I reported wait for my verification.
 */
verify_count: number, 
/**
 * Sync health.
 */
sync: SyncStatus, 
/**
 * For a grid head: the grid summary.
 */
grid_summary: GridSummary | null, };

export type DueVisitView = { 
/**
 * Household.
 */
household_id: string, 
/**
 * Address line.
 */
address: string, 
/**
 * Head's name.
 */
head_name: string, 
/**
 * The tag whose rule makes it due.
 */
tag: string, 
/**
 * Due date.
 */
due_on: string, 
/**
 * Past due?
 */
overdue: boolean, 
/**
 * Days since the last in-person visit.
 */
days_since_seen: number | null, };

export type ReturnedView = { 
/**
 * `visit` or `contact`.
 */
record_kind: string, 
/**
 * Record id.
 */
record_id: string, 
/**
 * Household.
 */
household_id: string | null, 
/**
 * The household's address line.
 */
address: string | null, 
/**
 * When the record was made.
 */
record_at: number, 
/**
 * The supervisor's reason.
 */
reason: string, 
/**
 * Who returned it.
 */
by: string, 
/**
 * When.
 */
at: number, };

export type GridSummary = { 
/**
 * Occupied households in scope.
 */
households: number, 
/**
 * Of those, seen in person in the coverage window.
 */
seen: number, 
/**
 * Coverage percent, one decimal.
 */
coverage_percent: number, 
/**
 * Open incidents.
 */
open_incidents: number, };

export type HouseholdQuery = { 
/**
 * Search text: name, address, phone tail or tag label.
 */
text: string, 
/**
 * Care tag code.
 */
tag: string | null, 
/**
 * Micro-grid id.
 */
micro_grid: string | null, 
/**
 * `due` or `overdue` to keep only those.
 */
due: string | null, };

export type HouseholdList = { 
/**
 * Every matching household (the UI virtualizes the rendering).
 */
items: Array<HouseholdListItem>, 
/**
 * Time the query took in Rust.
 */
elapsed_ms: number, };

export type HouseholdListItem = { 
/**
 * Household id.
 */
id: string, 
/**
 * Address line.
 */
address: string, 
/**
 * Members' names, head first.
 */
member_names: string, 
/**
 * Care tag codes.
 */
tags: Array<string>, 
/**
 * Micro-grid id.
 */
micro_grid_id: string | null, 
/**
 * Masked phones.
 */
phones_masked: string, 
/**
 * Days since the last in-person visit; `None` if never.
 */
days_since_seen: number | null, 
/**
 * Due or overdue by rule: `due`, `overdue` or `None`.
 */
due: string | null, 
/**
 * Open conflicts.
 */
conflict_count: number, };

export type HouseholdCard = { 
/**
 * Household id.
 */
id: string, 
/**
 * Address line.
 */
address: string, 
/**
 * `occupied`, `empty`, `rented`.
 */
status: string, 
/**
 * Grid.
 */
grid_id: string, 
/**
 * Micro-grid.
 */
micro_grid_id: string | null, 
/**
 * Care tag codes.
 */
tags: Array<string>, 
/**
 * Special-group tags, only for roles that may see them.
 */
special_tags: Array<string>, 
/**
 * Members.
 */
members: Array<MemberView>, 
/**
 * Visits, newest first.
 */
visits: Array<VisitView>, 
/**
 * Related incidents.
 */
incidents: Array<IncidentListItem>, 
/**
 * The contactor(s) assigned to it.
 */
contactors: Array<Choice>, 
/**
 * Days since the last in-person visit.
 */
days_since_seen: number | null, 
/**
 * May this role reveal identity numbers and phones?
 */
can_reveal: boolean, 
/**
 * Open conflicts on this household.
 */
conflicts: Array<ConflictView>, };

export type MemberView = { 
/**
 * Person id.
 */
id: string, 
/**
 * Name.
 */
name: string, 
/**
 * Relation code.
 */
relation: string, 
/**
 * Identity document kind code.
 */
id_kind: string | null, 
/**
 * Masked identity number.
 */
id_masked: string | null, 
/**
 * Masked phone.
 */
phone_masked: string | null, 
/**
 * Year of birth.
 */
birth_year: number | null, };

export type VisitView = { 
/**
 * Visit id.
 */
id: string, 
/**
 * When.
 */
at: number, 
/**
 * Visitor's name (from reference users), or the user id.
 */
visitor: string, 
/**
 * Mode code.
 */
mode: string, 
/**
 * Kind code.
 */
kind: string, 
/**
 * Note.
 */
note: string, 
/**
 * Service given.
 */
service: string, 
/**
 * Needs' texts.
 */
needs: Array<string>, 
/**
 * Follow-up date.
 */
follow_up: string | null, 
/**
 * Was GPS recorded?
 */
has_gps: boolean, 
/**
 * Latest review decision: `approve`, `return` or `None`.
 */
review: string | null, 
/**
 * `unreviewed` (待审核), `returned` (需修改), `resubmitted` (已重新提交) or `approved`.
 */
review_status: string, 
/**
 * Still waiting to be sent?
 */
pending: boolean, };

export type RevealRequest = { 
/**
 * Household.
 */
household_id: string, 
/**
 * Person.
 */
person_id: string, 
/**
 * `id_number` or `phone`.
 */
field: string, };

export type ObservationInput = { 
/**
 * Observation kind code.
 */
kind: string, 
/**
 * The member it is about.
 */
person_id: string | null, 
/**
 * Note.
 */
note: string, };

export type NeedInput = { 
/**
 * What the household asked for.
 */
text: string, 
/**
 * `noted`, `incident` (reported at once) or `proxy` (a 代办 request).
 */
outcome: string, 
/**
 * Category leaf for an incident; a general category when absent.
 */
category: string | null, };

export type GpsInput = { 
/**
 * Latitude.
 */
lat: number, 
/**
 * Longitude.
 */
lng: number, 
/**
 * Accuracy in metres.
 */
accuracy_m: number | null, };

export type NewVisitInput = { 
/**
 * Household.
 */
household_id: string, 
/**
 * Mode code.
 */
mode: string, 
/**
 * Visit kind code.
 */
kind: string, 
/**
 * Campaign code (campaign visits).
 */
campaign: string | null, 
/**
 * Members met (person ids).
 */
persons_met: Array<string>, 
/**
 * Observations.
 */
observations: Array<ObservationInput>, 
/**
 * Needs.
 */
needs: Array<NeedInput>, 
/**
 * Service given.
 */
service: string, 
/**
 * Follow-up date.
 */
follow_up: string | null, 
/**
 * GPS, or `None` when the platform gave none.
 */
gps: GpsInput | null, 
/**
 * 民情日记.
 */
note: string, };

export type SavedVisit = { 
/**
 * The visit id.
 */
visit_id: string, 
/**
 * Incidents created from needs.
 */
incident_ids: Array<string>, 
/**
 * Was a GPS fix saved?
 */
gps_recorded: boolean, };

export type AssignmentView = { 
/**
 * Assignment id.
 */
id: string, 
/**
 * Kind code.
 */
kind: string, 
/**
 * The linked household, for household targets.
 */
household_id: string | null, 
/**
 * What the target is called (address, or grid name).
 */
target: string, 
/**
 * The grid.
 */
grid_id: string, 
/**
 * Last contact.
 */
last_at: number | null, 
/**
 * Next due date.
 */
due_on: string | null, 
/**
 * Past due?
 */
overdue: boolean, };

export type NewContactInput = { 
/**
 * The assignment it fulfils.
 */
assignment_id: string, 
/**
 * Mode code.
 */
mode: string, 
/**
 * What was discussed.
 */
note: string, };

export type NewIncidentInput = { 
/**
 * Category leaf code (its platform comes from the tree).
 */
category: string, 
/**
 * Urgency code.
 */
urgency: string, 
/**
 * Location text.
 */
location: string, 
/**
 * GPS, if any.
 */
gps: GpsInput | null, 
/**
 * Parties.
 */
parties: string, 
/**
 * Description.
 */
description: string, 
/**
 * Linked households.
 */
households: Array<string>, 
/**
 * 网格自办: the result recorded on the spot (required for categories whose platform is
 * `in_grid`).
 */
self_handled_result: string | null, };

export type IncidentListItem = { 
/**
 * Incident id.
 */
id: string, 
/**
 * Category code.
 */
category: string, 
/**
 * Category name.
 */
category_name: string, 
/**
 * Platform code (`comprehensive`, `market`, `law_enforcement`, `public_service` or
 * `in_grid`).
 */
platform: string, 
/**
 * State code.
 */
state: string, 
/**
 * Urgency code.
 */
urgency: string, 
/**
 * Description (first line).
 */
description: string, 
/**
 * Location.
 */
location: string, 
/**
 * Created.
 */
created_at: number, 
/**
 * 督办 level of a routed open item past its deadline: `overdue` (less than one working
 * day past), `yellow` (one or more), `red` (three or more); `None` when not overdue.
 */
supervision: string | null, };

export type EventView = { 
/**
 * Event id.
 */
id: string, 
/**
 * Action code.
 */
action: string, 
/**
 * Actor's name, or user id.
 */
actor: string, 
/**
 * Actor's role code.
 */
role: string, 
/**
 * When (from the HLC).
 */
at: number, 
/**
 * Note.
 */
note: string, 
/**
 * Action fields (`unit`, `days`, `level`, …).
 */
fields: Array<Choice>, 
/**
 * Kept in the log but not applied (illegal after a merge), with the reason code.
 */
flagged: string | null, };

export type IncidentDetail = { 
/**
 * The incident.
 */
incident: IncidentListItem, 
/**
 * Parties.
 */
parties: string, 
/**
 * Linked households: id and address.
 */
households: Array<Choice>, 
/**
 * Handling unit, once routed.
 */
unit: string | null, 
/**
 * Deadline of the current stage, if any.
 */
deadline_at: number | null, 
/**
 * The event log in HLC order.
 */
timeline: Array<EventView>, 
/**
 * The actions this user may take now (action codes).
 */
allowed_actions: Array<string>, };

export type IncidentActionInput = { 
/**
 * Incident id.
 */
incident_id: string, 
/**
 * Action code.
 */
action: string, 
/**
 * Note.
 */
note: string, 
/**
 * Action fields.
 */
fields: Array<Choice>, };

export type ConflictView = { 
/**
 * The document.
 */
doc_id: string, 
/**
 * Household id, when the document is a household.
 */
household_id: string | null, 
/**
 * What the field is (`members/<id>/phone`).
 */
path: string, 
/**
 * A readable name for the field: the member's name and the field code.
 */
field: string, 
/**
 * Who the field belongs to (member name, household address).
 */
subject: string, 
/**
 * The competing values.
 */
values: Array<ConflictValueView>, };

export type ConflictValueView = { 
/**
 * The write's HLC: the key to pick it.
 */
hlc: string, 
/**
 * The value, shown as text (masked when the role may not see it).
 */
value: string, 
/**
 * Author's name, or user id.
 */
by: string, 
/**
 * When (from the HLC).
 */
at: number, };

export type ResolveInput = { 
/**
 * The document.
 */
doc_id: string, 
/**
 * The field path.
 */
path: string, 
/**
 * The HLC of the chosen value.
 */
pick: string, };

export type MemberEditInput = { 
/**
 * Household.
 */
household_id: string, 
/**
 * Person.
 */
person_id: string, 
/**
 * `phone` or `name`.
 */
field: string, 
/**
 * New value.
 */
value: string, };

export type NewMemberInput = { 
/**
 * Household.
 */
household_id: string, 
/**
 * Name (required, at most 50 characters).
 */
name: string, 
/**
 * Relation code (`head`, `spouse`, `child`, …; see [`FormOptions::relations`]).
 */
relation: string, 
/**
 * Identity document kind code (see [`FormOptions::id_kinds`]); needed when
 * `id_number` is given.
 */
id_kind: string | null, 
/**
 * The full identity number; `None` or blank when the person has none (newborns).
 */
id_number: string | null, 
/**
 * Mobile, or a landline with its area code; `None` or blank for none.
 */
phone: string | null, 
/**
 * Year of birth (1900 to this year).
 */
birth_year: number | null, };

export type WipePreview = { 
/**
 * Unsynced actions that would be lost.
 */
pending_actions: number, 
/**
 * Age of the oldest.
 */
oldest_pending_age_ms: number | null, };

export type RecordRef = { 
/**
 * `visit` or `contact`.
 */
record_kind: string, 
/**
 * Record id.
 */
record_id: string, };

export type RecordContentView = { 
/**
 * Mode code (`in_person`, `phone`, `video`).
 */
mode: string, 
/**
 * Visit type code; `None` for a contact log.
 */
kind: string | null, 
/**
 * Campaign code, for campaign visits.
 */
campaign: string | null, 
/**
 * Members met (person ids), for visits.
 */
persons_met: Array<string>, 
/**
 * Service given, for visits.
 */
service: string, 
/**
 * Follow-up date, for visits.
 */
follow_up: string | null, 
/**
 * 民情日记 / what was discussed.
 */
note: string, };

export type LineageView = { 
/**
 * `submitted`, `fixed`, `approved` or `returned`.
 */
kind: string, 
/**
 * Who (name from reference users, or the user id).
 */
by: string, 
/**
 * Their role code, when known.
 */
role: string | null, 
/**
 * When (from the HLC).
 */
at: number, 
/**
 * A return's reason.
 */
reason: string, 
/**
 * The note written at this step (submission or fix).
 */
note: string | null, };

export type RecordView = { 
/**
 * `visit` or `contact`.
 */
record_kind: string, 
/**
 * Record id.
 */
record_id: string, 
/**
 * Household.
 */
household_id: string, 
/**
 * Household address line.
 */
address: string, 
/**
 * Author's name.
 */
author: string, 
/**
 * When the record was made.
 */
at: number, 
/**
 * `unreviewed`, `returned`, `resubmitted` or `approved`.
 */
status: string, 
/**
 * The latest return's reason (kept after a fix).
 */
reason: string | null, 
/**
 * Who returned it (name).
 */
returned_by: string | null, 
/**
 * When it was returned.
 */
returned_at: number | null, 
/**
 * The content now.
 */
content: RecordContentView, 
/**
 * Submission, fixes and reviews in order.
 */
lineage: Array<LineageView>, 
/**
 * May this user fix it?
 */
can_fix: boolean, 
/**
 * Is a change to it still waiting to be sent?
 */
pending: boolean, };

export type FixVisitInput = { 
/**
 * Visit id.
 */
visit_id: string, 
/**
 * Mode code.
 */
mode: string | null, 
/**
 * Visit type code.
 */
kind: string | null, 
/**
 * Campaign code (for campaign visits).
 */
campaign: string | null, 
/**
 * Members met (person ids).
 */
persons_met: Array<string> | null, 
/**
 * Service given.
 */
service: string | null, 
/**
 * Follow-up date `YYYY-MM-DD`; an empty string clears it.
 */
follow_up: string | null, 
/**
 * 民情日记.
 */
note: string | null, };

export type FixContactInput = { 
/**
 * Contact log id.
 */
contact_id: string, 
/**
 * Mode code.
 */
mode: string | null, 
/**
 * What was discussed.
 */
note: string | null, };

export type ConsoleRequest = { 
/**
 * `GET` or `POST`.
 */
method: string, 
/**
 * The path under `/api/v1/console`, query included.
 */
path: string, 
/**
 * A JSON body (for `POST`).
 */
body: string | null, };

export type ConsoleReply = { 
/**
 * HTTP status.
 */
status: number, 
/**
 * The body, as text.
 */
body: string, };

export type SaveExportInput = { 
/**
 * The export job's id.
 */
export_id: string, 
/**
 * The file name the server suggested (`走访台账-….xlsx`).
 */
file_name: string, };

export type SavedExport = { 
/**
 * The full path of the saved file.
 */
path: string, 
/**
 * Its size in bytes.
 */
bytes: number, };
