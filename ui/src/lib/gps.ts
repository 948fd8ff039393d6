// A best-effort GPS fix for visits and incidents: a short timeout, and null (never an
// error) when the platform has no geolocation, the user refuses, or it is too slow.
import type { GpsInput } from '../bindings/field'

export function getGps(timeoutMs = 4000): Promise<GpsInput | null> {
  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined
  if (!geo) return Promise.resolve(null)
  return new Promise((resolve) => {
    let done = false
    const finish = (v: GpsInput | null) => {
      if (!done) {
        done = true
        resolve(v)
      }
    }
    const timer = setTimeout(() => finish(null), timeoutMs + 200)
    try {
      geo.getCurrentPosition(
        (pos) => {
          clearTimeout(timer)
          finish({ lat: pos.coords.latitude, lng: pos.coords.longitude, accuracy_m: pos.coords.accuracy ?? null })
        },
        () => {
          clearTimeout(timer)
          finish(null)
        },
        { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
      )
    } catch {
      clearTimeout(timer)
      finish(null)
    }
  })
}
