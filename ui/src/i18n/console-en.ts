// English text of the supervisor console. Keys mirror console-zh-CN.ts exactly (a test
// checks). Code labels (`code.*`) are shared with the field app.
export default {
  console: {
    title: 'Gridwalk console', signOut: 'Sign out', backToApp: 'Back to the field app', language: '中文', loading: 'Loading…',
    nav: { reviews: 'Reviews', incidents: 'Incidents', dashboard: 'Dashboard', export: 'Export' },
  },
  common: {
    refresh: 'Refresh', cancel: 'Cancel', confirm: 'OK', close: 'Close', empty: 'Nothing here', all: 'All', none: 'None',
    done: 'Done', days: '{n} days',
  },
  errors: {
    network: 'Cannot reach the server. Check the network and try again.', internal: 'Something went wrong. Try again.',
    no_result: 'The server returned no result for this record.', unknown: 'Unknown error.', http: 'Server error ({status}).',
    embedded_sign_in: 'The supervisor views use the app\'s sign-in.',
  },
  signIn: {
    title: 'Console sign-in', subtitle: 'For grid heads, township supervisors, dispatchers and handling units',
    username: 'Username', password: 'Password', submit: 'Sign in', usernameRequired: 'Enter your username',
    passwordRequired: 'Enter your password',
    embeddedTitle: 'The supervisor views cannot open', embeddedHint: 'They need a connection and are for grid heads and township supervisors.', retry: 'Try again',
    signedOut: 'The sign-in has expired: go back to the app and sign in again.',
  },
  reviews: {
    tabs: { unreviewed: 'To review', returned: 'Returned', approved: 'Approved' },
    status: { unreviewed: 'To review', resubmitted: 'Resubmitted', returned: 'Returned', approved: 'Approved' },
    col: { address: 'Address', author: 'Recorded by', time: 'Time', mode: 'Mode', note: 'Note', status: 'Status', grid: 'Grid' },
    approve: 'Approve', return: 'Return', batchApprove: 'Approve selected', selected: '{n} selected',
    returnTitle: 'Return the record', reason: 'Reason', reasonPlaceholder: 'Say what to add or correct', reasonRequired: 'A return needs a reason',
    detail: 'Record', content: 'Content', observations: 'Household changes', needs: 'Needs', needsCount: '{n}',
    service: 'Service done', lineage: 'Reviews and fixes', kind: { visit: 'Visit', contact: 'Contact' },
    lineageKind: { submitted: 'Submitted', fixed: 'Fixed and resubmitted', approved: 'Approved', returned: 'Returned' },
    reasonLine: 'Reason: {reason}', keysHint: 'Keys: j / k move, a approves, r returns', pick: 'Pick a record in the list',
    approvedOne: 'Approved', returnedOne: 'Returned; the author sees the reason on the device', batchDone: '{ok} approved, {failed} failed',
    failures: 'Records not approved', searchPlaceholder: 'Search address, author or note', fixes: '{n} fixes', lastReview: 'Last review',
    reviewer: '{name} at {at}', total: '{n} records',
  },
  incidents: {
    col: {
      summary: 'Incident', state: 'State', category: 'Category', platform: 'Platform', urgency: 'Urgency', deadline: 'Deadline',
      supervision: 'Supervision', grid: 'Grid', reporter: 'Reporter', unit: 'Handling unit', reportedAt: 'Reported',
    },
    filterState: 'Filter by state', filterSupervision: 'Filter by supervision', detail: 'Incident', description: 'Description',
    location: 'Location', parties: 'Parties', events: 'Event log', actions: 'Actions', noActions: 'Nothing for you to do now',
    manual: 'Supervised by hand', supervision: { on_time: 'On time', overdue: 'Overdue', yellow: 'Yellow', red: 'Red' },
    flagged: 'Invalid', pick: 'Pick an incident in the list', total: '{n} incidents',
    dialog: {
      title: '{action}', note: 'Note', notePlaceholder: 'Optional note', reason: 'Reason', reasonPlaceholder: 'Give the reason',
      evidence: 'Result and evidence', evidencePlaceholder: 'Describe the result and the evidence', unit: 'Handling unit',
      platform: 'Platform', days: 'Extra working days', rating: 'Satisfaction', channel: 'Channel', required: 'Required',
    },
    unitLevel: { county: 'County', township: 'Township', village: 'Village' },
  },
  dashboard: {
    bucket: { within7: 'Within 7 days', within30: '8–30 days', within90: '31–90 days', within180: '91–180 days', over180: 'Over 180 days', never: 'Never' },
    allHouseholds: 'All occupied households', everyDays: 'every {n} days', coverageTotal: 'Households seen in person', verification: 'Verified on site',
    satisfactionBreakdown: 'Ratings', reported: '{n} incidents reported in the period', seenOf: '{seen} of {occupied} seen', rateNone: '—',
    area: 'Area', period: 'Period', from: 'From', to: 'To', apply: 'Show',
    coverageGrid: 'Households seen in person, per grid', coverageWorker: 'Households seen in person, per worker',
    coverageContactor: 'Households seen in person, per contactor', daysSince: 'Days since the last in-person visit',
    overdueByRule: 'Overdue visits by care rule', byState: 'Incidents by state', byCategory: 'Incidents by category',
    byPlatform: 'Incidents by platform', sla: 'On time (SLA)', resolution: 'Resolution rate', satisfaction: 'Satisfaction',
    households: 'Households', ratio: 'Coverage', seen: 'Seen', occupied: 'Occupied', count: 'Count', noData: 'No data for this period',
  },
  export: {
    title: 'Export ledgers', kind: 'What', kinds: { assessment: 'Assessment sheet', incidents: 'Incident ledger', visits: 'Visit ledger' },
    per: 'Per', perKind: { grid: 'Per grid', worker: 'Per worker' }, area: 'Area', period: 'Period',
    start: 'Start export', running: 'Building…', done: '{file} is ready', download: 'Download', failed: 'Export failed: {msg}',
    saveToDevice: 'Save on this device', savedTo: 'Saved to {path}',
    masked: 'ID numbers and phones are masked as your role requires; special-group tags only with the permission.',
  },
}
