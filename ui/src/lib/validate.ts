// Client-side validation for the field forms. Mirrors gridwalk-core's rules
// (crates/core/src/identity.rs, identity/phone.rs) so bad input is refused in place,
// before a save; the backend checks again and its AppError.field lands on the same field.
// Every check returns null (fine) or an i18n key under `validate.` with its parameters.

export type Problem = { key: string; params?: Record<string, unknown> }
export type Problems = Record<string, Problem>

export const NOTE_MAX = 4000

/** Full-width ASCII folded to half-width, whitespace dropped, upper-cased (as core's `normalize`). */
export function normalize(raw: string): string {
  let out = ''
  for (const ch of raw) {
    const c = ch.codePointAt(0) ?? 0
    let x = ch
    if (c >= 0xff01 && c <= 0xff5e) x = String.fromCodePoint(c - 0xfee0)
    else if (c === 0x3000) x = ' '
    if (/\s/.test(x)) continue
    out += x.toUpperCase()
  }
  return out
}

const allDigits = (s: string) => /^\d+$/.test(s)

function isMobile(d: string): boolean {
  return /^1[3-9]\d{9}$/.test(d)
}

/** Length of a Chinese area code with its leading 0: 010 and 02x are 3 digits, others 4. */
function areaLen(digits: string): number {
  return digits[1] === '1' || digits[1] === '2' ? 3 : 4
}

/**
 * A phone number normalised (`13812345678`, `0578-2123456`, `0578-2123456-801`), or null
 * when it is neither a mainland mobile nor a landline with its area code.
 */
export function normalizePhone(raw: string): string | null {
  const s = normalize(raw).replace(/\(/g, '').replace(/[)\u8f6c]/g, '-') // \u8f6c: 转 (extension)
  const digits = s.replace(/-/g, '')
  let intl: string | null = null
  if (digits.startsWith('+86')) intl = digits.slice(3)
  else if (digits.startsWith('0086')) intl = digits.slice(4)
  if (intl !== null) {
    if (isMobile(intl)) return intl
  } else if (isMobile(digits)) {
    return digits
  } else if (digits.startsWith('86') && isMobile(digits.slice(2))) {
    return digits.slice(2)
  }
  const segs = s.split('-').filter((p) => p.length > 0)
  if (intl !== null) {
    if (segs.length === 0) return null
    const first = segs[0]
    const stripped = first.startsWith('+86') ? first.slice(3) : first.startsWith('0086') ? first.slice(4) : null
    if (stripped === null) return null
    segs[0] = `0${stripped}`
    if (segs[0] === '0') {
      segs.shift()
      if (segs.length === 0) return null
      segs[0] = `0${segs[0]}`
    }
  }
  if (segs.length === 0 || segs.some((p) => !allDigits(p))) return null
  const first = segs[0]
  if (!first.startsWith('0')) return null
  const alen = areaLen(first)
  let area: string, local: string | undefined, ext: string | undefined
  if (first.length === alen) {
    ;[area, local, ext] = [first, segs[1], segs[2]]
  } else {
    area = first.slice(0, alen)
    local = first.slice(alen)
    ext = segs[1]
  }
  const extra = first.length === alen ? 3 : 2
  if (local === undefined) return null
  if (segs.length > extra || local.length < 7 || local.length > 8 || !/^[2-9]/.test(local)) return null
  if (ext !== undefined && ext.length > 6) return null
  return ext !== undefined ? `${area}-${local}-${ext}` : `${area}-${local}`
}

export function checkPhone(raw: string, required = true): Problem | null {
  if (normalize(raw) === '') return required ? { key: 'validate.required' } : null
  return normalizePhone(raw) === null ? { key: 'validate.invalidPhone' } : null
}

function realDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false
  const dt = new Date(Date.UTC(y, m - 1, d))
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d
}

function mainlandProvince(code: string): boolean {
  const n = Number(code)
  return (n >= 11 && n <= 15) || (n >= 21 && n <= 23) || (n >= 31 && n <= 37) ||
    (n >= 41 && n <= 46) || (n >= 50 && n <= 54) || (n >= 61 && n <= 65)
}

/** The GB 11643 / ISO 7064 MOD 11-2 check character of 17 digits. */
export function checkChar(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i]
  return '10X98765432'[sum % 11]
}

function birthOk18(n: string): boolean {
  const y = Number(n.slice(6, 10))
  return y >= 1900 && realDate(y, Number(n.slice(10, 12)), Number(n.slice(12, 14)))
}

function check18(n: string): Problem | null {
  if (n.length !== 18 || !allDigits(n.slice(0, 17))) return { key: 'validate.idResident' }
  if (!birthOk18(n)) return { key: 'validate.idBirth' }
  if (n[17] !== checkChar(n.slice(0, 17))) return { key: 'validate.idChecksum' }
  return null
}

/**
 * Checks an identity number for its document kind (`resident_id`, `legacy_id`,
 * `hmt_permit`, `passport`, `permanent_residence`).
 */
export function checkId(kind: string, raw: string): Problem | null {
  const n = normalize(raw)
  if (n === '') return { key: 'validate.idEmpty' }
  const alnum = /^[A-Z0-9]+$/.test(n)
  switch (kind) {
    case 'resident_id':
      if (!/^[\x00-\x7f]*$/.test(n) || n.length !== 18) return { key: 'validate.idResident' }
      if (!mainlandProvince(n.slice(0, 2))) return { key: 'validate.idRegion' }
      return check18(n)
    case 'legacy_id':
      if (n.length !== 15 || !allDigits(n)) return { key: 'validate.idLegacy' }
      if (!mainlandProvince(n.slice(0, 2))) return { key: 'validate.idRegion' }
      if (!realDate(1900 + Number(n.slice(6, 8)), Number(n.slice(8, 10)), Number(n.slice(10, 12)))) {
        return { key: 'validate.idBirth' }
      }
      return null
    case 'hmt_permit':
      if ((n.length === 9 || n.length === 11) && /^[HM]\d+$/.test(n)) return null
      if (n.length === 8 && allDigits(n)) return null
      if (n.length === 18 && ['810000', '820000', '830000'].includes(n.slice(0, 6))) return check18(n)
      return { key: 'validate.idHmt' }
    case 'passport':
      return alnum && n.length >= 5 && n.length <= 17 ? null : { key: 'validate.idPassport' }
    case 'permanent_residence':
      if (n.length === 15) {
        if (!/^[A-Z]{3}\d{12}$/.test(n)) return { key: 'validate.idPermanent' }
        const [yy, mm, dd] = [Number(n.slice(7, 9)), Number(n.slice(9, 11)), Number(n.slice(11, 13))]
        return realDate(1900 + yy, mm, dd) || realDate(2000 + yy, mm, dd) ? null : { key: 'validate.idBirth' }
      }
      if (n.length === 18 && n.startsWith('9')) return check18(n)
      return { key: 'validate.idPermanent' }
    default:
      return { key: 'validate.idPassport' }
  }
}

export function checkRequired(v: string | null | undefined): Problem | null {
  return v === null || v === undefined || v.trim() === '' ? { key: 'validate.required' } : null
}

export function checkLength(v: string, max = NOTE_MAX): Problem | null {
  return [...v].length > max ? { key: 'validate.tooLong', params: { max } } : null
}

/** `YYYY-MM-DD` and a real calendar day; blank is fine unless required. */
export function checkDate(v: string | null | undefined, required = false): Problem | null {
  if (!v) return required ? { key: 'validate.required' } : null
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  return m && realDate(Number(m[1]), Number(m[2]), Number(m[3])) ? null : { key: 'validate.invalidDate' }
}

/** Working days of a delay request: a whole number from 1 to 30. */
export function checkDelayDays(v: string): Problem | null {
  if (v.trim() === '') return { key: 'validate.required' }
  return /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 30 ? null : { key: 'validate.dayRange' }
}

function put(p: Problems, field: string, problem: Problem | null): void {
  if (problem && !p[field]) p[field] = problem
}

/** The visit form (NewVisitInput) field by field; keys match the form's field names. */
export function checkVisit(v: {
  mode: string; kind: string; campaign: string | null; service: string; note: string
  follow_up: string | null
  observations: { kind: string; note: string }[]
  needs: { text: string; outcome: string }[]
}): Problems {
  const p: Problems = {}
  put(p, 'mode', checkRequired(v.mode))
  put(p, 'kind', checkRequired(v.kind))
  if (v.kind === 'campaign') put(p, 'campaign', checkRequired(v.campaign))
  put(p, 'service', checkLength(v.service))
  put(p, 'note', checkLength(v.note))
  put(p, 'follow_up', checkDate(v.follow_up))
  v.observations.forEach((o, i) => {
    put(p, `observations.${i}.kind`, checkRequired(o.kind))
    put(p, `observations.${i}.note`, checkLength(o.note))
  })
  v.needs.forEach((n, i) => {
    put(p, `needs.${i}.text`, checkRequired(n.text) ?? checkLength(n.text))
    put(p, `needs.${i}.outcome`, checkRequired(n.outcome))
  })
  return p
}

/** The incident report form (NewIncidentInput). */
export function checkIncident(v: {
  category: string; urgency: string; location: string; description: string; parties: string
  self_handled_result: string | null
}, selfHandled: boolean): Problems {
  const p: Problems = {}
  put(p, 'category', checkRequired(v.category))
  put(p, 'urgency', checkRequired(v.urgency))
  put(p, 'location', checkRequired(v.location) ?? checkLength(v.location, 200))
  put(p, 'description', checkRequired(v.description) ?? checkLength(v.description))
  put(p, 'parties', checkLength(v.parties, 500))
  if (selfHandled) {
    put(p, 'self_handled_result', checkRequired(v.self_handled_result) ?? checkLength(v.self_handled_result ?? ''))
  }
  return p
}

/** The contact log form (NewContactInput). */
export function checkContact(v: { mode: string; note: string }): Problems {
  const p: Problems = {}
  put(p, 'mode', checkRequired(v.mode))
  put(p, 'note', checkRequired(v.note) ?? checkLength(v.note))
  return p
}

/** A member's name: required, at most this many characters (core's `member_record`). */
export const NAME_MAX = 50
/** The earliest birth year the member form accepts (the field service's rule). */
export const MIN_BIRTH_YEAR = 1900

/** A birth year: blank is fine; otherwise a whole year from 1900 to `thisYear`. */
export function checkBirthYear(v: string | number | null | undefined, thisYear: number): Problem | null {
  const s = v === null || v === undefined ? '' : String(v).trim()
  if (s === '') return null
  const y = Number(s)
  return /^\d{4}$/.test(s) && y >= MIN_BIRTH_YEAR && y <= thisYear
    ? null
    : { key: 'validate.birthYear', params: { min: MIN_BIRTH_YEAR, max: thisYear } }
}

/**
 * The add-a-member form (NewMemberInput) field by field; keys match the backend's
 * AppError.field names (`name`, `relation`, `id_kind`, `id_number`, `phone`, `birth_year`).
 * The identity document is optional: a blank number is no document, whatever the kind.
 */
export function checkMember(v: {
  name: string; relation: string; id_kind: string | null; id_number: string; phone: string; birth_year: string
}, thisYear: number): Problems {
  const p: Problems = {}
  put(p, 'name', checkRequired(v.name) ?? checkLength(v.name.trim(), NAME_MAX))
  put(p, 'relation', checkRequired(v.relation))
  if (normalize(v.id_number) !== '') {
    if (!v.id_kind) put(p, 'id_kind', { key: 'validate.idKindRequired' })
    else put(p, 'id_number', checkId(v.id_kind, v.id_number))
  }
  put(p, 'phone', checkPhone(v.phone, false))
  put(p, 'birth_year', checkBirthYear(v.birth_year, thisYear))
  return p
}
