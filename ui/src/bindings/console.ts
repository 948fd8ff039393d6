// Generated from sync-server/src/console/ by `UPDATE_BINDINGS=1 cargo test -p gridwalk-server --lib bindings`.
// Do not edit by hand: `make test` fails when this file is stale.

export type ErrorBody = { 
/**
 * Stable code (`csrf_failed`, `action_not_allowed`, …).
 */
code: string, 
/**
 * The reason in Chinese.
 */
message_zh: string, 
/**
 * The reason in English.
 */
message_en: string, 
/**
 * The request field the error is about, when it is about one.
 */
field?: string, };

export type LoginRequest = { 
/**
 * The username.
 */
username: string, 
/**
 * The password.
 */
password: string, };

export type ConsoleUser = { 
/**
 * User id.
 */
id: string, 
/**
 * Username.
 */
username: string, 
/**
 * Display name.
 */
name: string, 
/**
 * Role code.
 */
role: string, 
/**
 * The user's area (grid, community or township), if any.
 */
area_id: string | null, 
/**
 * That area's name.
 */
area_name: string | null, };

export type SessionBody = { 
/**
 * The user.
 */
user: ConsoleUser, 
/**
 * The session's CSRF token.
 */
csrf_token: string, };

export type ReviewStatus = "unreviewed" | "resubmitted" | "returned" | "approved";

export type ReviewFilter = "unreviewed" | "returned" | "approved";

export type Decision = "approve" | "return";

export type RecordKind = "visit" | "contact";

export type ReviewQuery = { 
/**
 * Status filter; all statuses when absent.
 */
status: ReviewFilter | null, 
/**
 * One grid only.
 */
grid_id: string | null, 
/**
 * Text to find in the address, author, note or service.
 */
q: string | null, 
/**
 * Items to skip.
 */
offset: number | null, 
/**
 * Items to return (default 50, at most 500).
 */
limit: number | null, };

export type LastReview = { 
/**
 * Approve or return.
 */
decision: Decision, 
/**
 * The return's reason (empty for an approval).
 */
reason: string, 
/**
 * The reviewer's name.
 */
reviewer_name: string, 
/**
 * When, UTC ms.
 */
at: number, };

export type ReviewItem = { 
/**
 * Household id.
 */
household_id: string, 
/**
 * Visit or contact log.
 */
record_kind: RecordKind, 
/**
 * The record's id.
 */
record_id: string, 
/**
 * The household's grid now.
 */
grid_id: string, 
/**
 * That grid's name.
 */
grid_name: string, 
/**
 * The household's address.
 */
address: string, 
/**
 * Who recorded it.
 */
author_name: string, 
/**
 * Their role code.
 */
author_role: string, 
/**
 * When it happened, UTC ms.
 */
at: number, 
/**
 * Contact mode code (`in_person`, `phone`, `video`).
 */
mode: string, 
/**
 * Visit kind code; null for a contact log.
 */
visit_kind: string | null, 
/**
 * 民情日记 / what was discussed.
 */
note: string, 
/**
 * Service given (empty for a contact log).
 */
service: string, 
/**
 * Household changes seen, as observation kind codes.
 */
observations: Array<string>, 
/**
 * Needs raised.
 */
needs: number, 
/**
 * Review status.
 */
status: ReviewStatus, 
/**
 * The latest review, if any.
 */
last_review: LastReview | null, 
/**
 * Content writes after the submission.
 */
fixes: number, };

export type ReviewPage = { 
/**
 * Matching records in all.
 */
total: number, 
/**
 * This page, newest first.
 */
items: Array<ReviewItem>, };

export type LineageKind = "submitted" | "fixed" | "approved" | "returned";

export type LineageEntry = { 
/**
 * When (the step's clock), UTC ms.
 */
at: number, 
/**
 * What happened.
 */
kind: LineageKind, 
/**
 * Who.
 */
by_name: string, 
/**
 * Their role code, where recorded.
 */
role: string | null, 
/**
 * A return's reason.
 */
reason: string | null, 
/**
 * The note as written at this step (submission and fixes).
 */
note: string | null, 
/**
 * The service as written at this step.
 */
service: string | null, 
/**
 * The mode as written at this step.
 */
mode: string | null, };

export type ReviewDetail = { 
/**
 * The record.
 */
item: ReviewItem, 
/**
 * Every step, in clock order.
 */
lineage: Array<LineageEntry>, };

export type ReviewKey = { 
/**
 * Household id.
 */
household_id: string, 
/**
 * Visit or contact-log id.
 */
record_id: string, };

export type ReviewRequest = { 
/**
 * Approve or return.
 */
decision: Decision, 
/**
 * Required for a return.
 */
reason: string | null, 
/**
 * At most 500 records.
 */
items: Array<ReviewKey>, };

export type ReviewResult = { 
/**
 * Household id.
 */
household_id: string, 
/**
 * Record id.
 */
record_id: string, 
/**
 * Written.
 */
ok: boolean, 
/**
 * Why not.
 */
error: ErrorBody | null, };

export type ReviewResults = { 
/**
 * One per requested record, in order.
 */
results: Array<ReviewResult>, };

export type SupervisionLevel = "on_time" | "overdue" | "yellow" | "red";

export type IncidentQuery = { 
/**
 * State code.
 */
state: string | null, 
/**
 * One grid only.
 */
grid_id: string | null, 
/**
 * Items to skip.
 */
offset: number | null, 
/**
 * Items to return (default 50, at most 500).
 */
limit: number | null, };

export type IncidentItem = { 
/**
 * Incident id.
 */
id: string, 
/**
 * First line of the description.
 */
summary: string, 
/**
 * Category code.
 */
category_code: string, 
/**
 * Category name.
 */
category_name: string, 
/**
 * Platform code, once known.
 */
platform: string | null, 
/**
 * Urgency code.
 */
urgency: string, 
/**
 * Effective state code.
 */
state: string, 
/**
 * Grid id.
 */
grid_id: string, 
/**
 * Grid name.
 */
grid_name: string, 
/**
 * Reported, UTC ms.
 */
reported_at: number, 
/**
 * Reporter's name.
 */
reporter_name: string, 
/**
 * The routed handling unit.
 */
unit_id: string | null, 
/**
 * Its name.
 */
unit_name: string | null, 
/**
 * The running deadline, UTC ms.
 */
deadline: number | null, 
/**
 * 督办 level.
 */
supervision: SupervisionLevel, 
/**
 * 督办 raised by hand.
 */
manual_supervision: boolean, };

export type IncidentPage = { 
/**
 * Matching incidents in all.
 */
total: number, 
/**
 * This page, newest first.
 */
items: Array<IncidentItem>, };

export type IncidentEventItem = { 
/**
 * Event id.
 */
id: string, 
/**
 * Action code.
 */
action: string, 
/**
 * The action in Chinese.
 */
action_label_zh: string, 
/**
 * Who.
 */
actor_name: string, 
/**
 * Their role code.
 */
role: string, 
/**
 * When, UTC ms.
 */
at: number, 
/**
 * Note or result.
 */
note: string | null, 
/**
 * Illegal at its place after a merge: kept, without effect.
 */
flagged: boolean, };

export type UnitItem = { 
/**
 * Unit id.
 */
id: string, 
/**
 * Name.
 */
name: string, 
/**
 * Platform code, for township units.
 */
platform: string | null, 
/**
 * `township` or `county`.
 */
level: string, };

export type IncidentDetail = { 
/**
 * The list row.
 */
item: IncidentItem, 
/**
 * Full description.
 */
description: string, 
/**
 * Where.
 */
location: string | null, 
/**
 * Parties involved.
 */
parties: string | null, 
/**
 * The event log in order.
 */
events: Array<IncidentEventItem>, 
/**
 * Action codes this user may take now.
 */
allowed_actions: Array<string>, 
/**
 * Units to route to.
 */
units: Array<UnitItem>, };

export type IncidentActionRequest = { 
/**
 * Action code.
 */
action: string, 
/**
 * Note, reason or result.
 */
note: string | null, 
/**
 * Unit to route to.
 */
unit_id: string | null, 
/**
 * Platform to route to.
 */
platform: string | null, 
/**
 * Working days of a delay.
 */
days: number | null, 
/**
 * Rating level code.
 */
rating: string | null, 
/**
 * Rating channel code (the console records `callback`).
 */
channel: string | null, };

export type DashboardQuery = { 
/**
 * Township, village or grid id; absent for the user's own area.
 */
area_id: string | null, 
/**
 * First day, `YYYY-MM-DD`.
 */
from: string, 
/**
 * Last day (included), `YYYY-MM-DD`.
 */
to: string, };

export type CoverageRow = { 
/**
 * Grid id or user id.
 */
id: string, 
/**
 * Grid name or the person's name.
 */
name: string, 
/**
 * The grid of a worker, the role of a contactor (code); empty for a grid.
 */
detail: string, 
/**
 * Occupied (and rented) households: the denominator.
 */
occupied: number, 
/**
 * Of those, seen in person in the period by anyone: the numerator.
 */
seen: number, 
/**
 * Contacted in any mode (phone and video included) in the period.
 */
contacted: number, 
/**
 * Empty households, counted apart.
 */
empty: number, 
/**
 * Seen in person by this person themselves (`null` for a grid).
 */
seen_by_self: number | null, 
/**
 * `seen ÷ occupied`.
 */
rate: number | null, };

export type CodeCount = { 
/**
 * Stable code (state, category, platform, bucket, tag rule).
 */
code: string, 
/**
 * Chinese label.
 */
label_zh: string, 
/**
 * How many.
 */
count: number, };

export type RuleOverdue = { 
/**
 * The rule's tag (`*` for every occupied household).
 */
tag: string, 
/**
 * Chinese label of the tag (`全部在住户` for `*`).
 */
label_zh: string, 
/**
 * The rule's interval, days.
 */
every_days: number, 
/**
 * Does the rule ask for an in-person contact?
 */
in_person: boolean, 
/**
 * Households overdue under this rule.
 */
overdue: number, };

export type SlaFigures = { 
/**
 * Incidents routed to a handling unit (they have deadlines).
 */
routed: number, 
/**
 * Signed for by the accept deadline.
 */
accepted_on_time: number, 
/**
 * Fed back by the feedback deadline.
 */
handled_on_time: number, 
/**
 * Neither step late, nor late now (not-yet-due steps count as on time).
 */
compliant: number, 
/**
 * `compliant ÷ routed`.
 */
rate: number | null, };

export type Satisfaction = { 
/**
 * 满意.
 */
satisfied: number, 
/**
 * 基本满意.
 */
basically_satisfied: number, 
/**
 * 不满意.
 */
unsatisfied: number, 
/**
 * Rated incidents.
 */
rated: number, 
/**
 * `(satisfied + basically_satisfied) ÷ rated`.
 */
rate: number | null, };

export type IncidentFigures = { 
/**
 * Incidents first reported (or handled in the grid) in the period.
 */
reported: number, 
/**
 * By effective state now.
 */
by_state: Array<CodeCount>, 
/**
 * By category (leaf code).
 */
by_category: Array<CodeCount>, 
/**
 * By platform (of the latest routing, else the category's).
 */
by_platform: Array<CodeCount>, 
/**
 * SLA compliance.
 */
sla: SlaFigures, 
/**
 * Closed (办结) or rated.
 */
resolved: number, 
/**
 * `resolved ÷ reported` (returned duplicates left out of both).
 */
resolution_rate: number | null, 
/**
 * Routed incidents that reached feedback (handled or later).
 */
handled: number, 
/**
 * Of those, verified on site (verified, closed or rated).
 */
verified: number, 
/**
 * `verified ÷ handled`.
 */
verification_rate: number | null, 
/**
 * Ratings.
 */
satisfaction: Satisfaction, };

export type Dashboard = { 
/**
 * The area.
 */
area_id: string, 
/**
 * Its name.
 */
area_name: string, 
/**
 * First day of the period.
 */
from: string, 
/**
 * Last day of the period (included).
 */
to: string, 
/**
 * When the "as of" figures (days since seen, overdue) are taken, UTC ms: the period's
 * last instant, or now if that is later than now.
 */
as_of: number, 
/**
 * Coverage of the whole area.
 */
total: CoverageRow, 
/**
 * Per grid.
 */
grids: Array<CoverageRow>, 
/**
 * Per grid worker (the households of their grid).
 */
workers: Array<CoverageRow>, 
/**
 * Per contactor (三联系 / 党员联户 assignments in force in the period).
 */
contactors: Array<CoverageRow>, 
/**
 * Occupied households by days since last seen in person, as of `as_of`.
 */
seen_histogram: Array<CodeCount>, 
/**
 * Overdue visits by governing tag rule, as of `as_of`.
 */
overdue_by_rule: Array<RuleOverdue>, 
/**
 * Incidents.
 */
incidents: IncidentFigures, };

export type ExportKind = "assessment" | "incidents" | "visits";

export type ExportPer = "grid" | "worker";

export type ExportRequest = { 
/**
 * Which workbook.
 */
kind: ExportKind, 
/**
 * Township, village or grid; absent for the user's own area.
 */
area_id: string | null, 
/**
 * First day, `YYYY-MM-DD` (Asia/Shanghai).
 */
from: string, 
/**
 * Last day, included.
 */
to: string, 
/**
 * Assessment rows per grid (default) or per worker; ignored by the ledgers.
 */
per: ExportPer, };

export type ExportCreated = { 
/**
 * The job id.
 */
id: string, };

export type ExportFailure = { 
/**
 * Stable code.
 */
code: string, 
/**
 * Chinese message.
 */
message_zh: string, 
/**
 * English message.
 */
message_en: string, };

export type ExportStatus = { 
/**
 * 0..=1.
 */
progress: number, 
/**
 * Finished (with a file or an error).
 */
done: boolean, 
/**
 * Set when the job failed.
 */
error: ExportFailure | null, 
/**
 * The file's name (`考核表_<area>_<from>_<to>.xlsx`).
 */
file_name: string, };
