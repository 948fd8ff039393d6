// Default periods for the dashboard and the export: dates in Asia/Shanghai, `YYYY-MM-DD`.

/** Today's date in Asia/Shanghai. */
export function shanghaiDate(ms = Date.now()): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)
}

/** From the first day of the current month to today (both included). */
export function monthToDate(ms = Date.now()): [string, string] {
  const today = shanghaiDate(ms)
  return [`${today.slice(0, 8)}01`, today]
}
