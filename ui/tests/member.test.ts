// The add-a-member form: checkMember field by field (the ID per document type, with the
// same invalid samples the Rust tests refuse), and the demo backend's addMember contract
// (a refusal names the field and saves nothing; a saved ID shows masked).
import { describe, expect, it } from 'vitest'
import { checkBirthYear, checkMember } from '../src/lib/validate'
import { memoryBackend } from '../src/backend/memory'
import type { NewMemberInput } from '../src/bindings/field'

const blank = { name: '周小燕', relation: 'child', id_kind: 'resident_id', id_number: '', phone: '', birth_year: '' }

/** Invalid numbers of each document type (as crates/field/tests/field/members.rs). */
const INVALID: [string, string, string][] = [
  ['resident_id', '331102199003071232', 'validate.idChecksum'],
  ['resident_id', '331102199002301230', 'validate.idBirth'],
  ['resident_id', '991102199003071231', 'validate.idRegion'],
  ['resident_id', '3311021990030712', 'validate.idResident'],
  ['legacy_id', '331102900230123', 'validate.idBirth'],
  ['legacy_id', '33110290030712', 'validate.idLegacy'],
  ['hmt_permit', 'X12345678', 'validate.idHmt'],
  ['hmt_permit', 'H1234567', 'validate.idHmt'],
  ['hmt_permit', '1234567', 'validate.idHmt'],
  ['hmt_permit', '830000197708087891', 'validate.idChecksum'],
  ['passport', 'AB-1234', 'validate.idPassport'],
  ['passport', 'AB12', 'validate.idPassport'],
  ['permanent_residence', 'USA330085023001', 'validate.idBirth'],
  ['permanent_residence', '933840198506150018', 'validate.idChecksum'],
  ['permanent_residence', '331102199003071231', 'validate.idPermanent'],
]

const VALID: [string, string][] = [
  ['resident_id', ' 33110219900307124x '],
  ['legacy_id', '331102900307123'],
  ['hmt_permit', 'h12345678'],
  ['hmt_permit', '12345678'],
  ['hmt_permit', '810000199001011230'],
  ['passport', 'E1234567'],
  ['permanent_residence', 'USA330085061501'],
  ['permanent_residence', '933840198506150017'],
]

describe('checkMember', () => {
  it('accepts a member with no document, no phone and no birth year (a newborn)', () => {
    expect(checkMember(blank, 2026)).toEqual({})
  })

  it.each(VALID)('accepts the %s number %s', (kind, number) => {
    expect(checkMember({ ...blank, id_kind: kind, id_number: number }, 2026)).toEqual({})
  })

  it.each(INVALID)('refuses the %s number %s on the id_number field', (kind, number, key) => {
    expect(checkMember({ ...blank, id_kind: kind, id_number: number }, 2026)).toEqual({ id_number: { key } })
  })

  it('puts every other problem on its own field', () => {
    const p = checkMember({ name: ' ', relation: '', id_kind: null, id_number: '331102199003071231', phone: '12345', birth_year: '1899' }, 2026)
    expect(p).toEqual({
      name: { key: 'validate.required' },
      relation: { key: 'validate.required' },
      id_kind: { key: 'validate.idKindRequired' },
      phone: { key: 'validate.invalidPhone' },
      birth_year: { key: 'validate.birthYear', params: { min: 1900, max: 2026 } },
    })
    expect(checkMember({ ...blank, name: '名'.repeat(51) }, 2026).name).toEqual({ key: 'validate.tooLong', params: { max: 50 } })
    expect(checkMember({ ...blank, name: '名'.repeat(50) }, 2026)).toEqual({})
  })

  it('takes birth years from 1900 to this year, blank allowed', () => {
    expect(checkBirthYear('', 2026)).toBeNull()
    expect(checkBirthYear('1900', 2026)).toBeNull()
    expect(checkBirthYear('2026', 2026)).toBeNull()
    expect(checkBirthYear('2027', 2026)?.key).toBe('validate.birthYear')
    expect(checkBirthYear('85', 2026)?.key).toBe('validate.birthYear')
  })
})

describe('demo backend addMember', () => {
  const input = (over: Partial<NewMemberInput> = {}): NewMemberInput => ({
    household_id: 'hh-0001', name: '周小燕', relation: 'child', id_kind: 'resident_id', id_number: null, phone: null, birth_year: null, ...over,
  })

  it.each(INVALID)('refuses the %s number %s with invalid_identity on id_number and saves nothing', async (kind, number) => {
    const b = memoryBackend()
    const before = await b.householdCard('hh-0001')
    const pending = (await b.syncStatus()).pending_actions
    await expect(b.addMember(input({ id_kind: kind, id_number: number }))).rejects.toMatchObject({ code: 'invalid_identity', field: 'id_number' })
    expect(await b.householdCard('hh-0001')).toEqual(before)
    expect((await b.syncStatus()).pending_actions).toBe(pending)
  })

  it('adds a member with the ID masked on the card and revealed in full', async () => {
    const b = memoryBackend()
    const card = await b.addMember(input({ id_number: ' 33110219900307124x ', phone: '138 1234 5678', birth_year: 1990 }))
    const m = card.members.find((x) => x.name === '周小燕')!
    expect(m.id_masked).toBe('331***********124X')
    expect(m.phone_masked).toBe('138****5678')
    expect(await b.reveal({ household_id: 'hh-0001', person_id: m.id, field: 'id_number' })).toBe('33110219900307124X')
  })

  it('refuses a malformed phone on the phone field', async () => {
    await expect(memoryBackend().addMember(input({ phone: '12345' }))).rejects.toMatchObject({ code: 'invalid_phone', field: 'phone' })
  })

  it('refuses roles that may not add members', async () => {
    await expect(memoryBackend({ role: 'party_member' }).addMember(input())).rejects.toMatchObject({ code: 'role_not_allowed' })
  })
})
