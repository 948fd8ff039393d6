// Client-side validation mirrors gridwalk-core: phones, identity numbers per document
// kind, lengths, dates, and the visit / incident / contact forms field by field.
import { describe, expect, it } from 'vitest'
import {
  checkChar, checkContact, checkDate, checkDelayDays, checkId, checkIncident, checkPhone, checkVisit, normalizePhone, NOTE_MAX,
} from '../src/lib/validate'

describe('phone numbers', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['８６１３８１２３４５６７８', '13812345678'],
    ['0578-2123456', '0578-2123456'],
    ['05782123456', '0578-2123456'],
    ['(0578)2123456', '0578-2123456'],
    ['010-62345678', '010-62345678'],
    ['0578-2123456-801', '0578-2123456-801'],
    ['0578-2123456转801', '0578-2123456-801'],
    ['+86 578 2123456', '0578-2123456'],
  ])('accepts %s as %s', (raw, norm) => {
    expect(normalizePhone(raw)).toBe(norm)
    expect(checkPhone(raw)).toBeNull()
  })

  it.each(['12812345678', '1381234567', '2123456', '12345', '96345', '0578-1123456', 'abc', '0578-2123456-1234567'])(
    'refuses %s with the phone message', (raw) => {
      expect(checkPhone(raw)).toEqual({ key: 'validate.invalidPhone' })
    })

  it('a blank phone is required unless optional', () => {
    expect(checkPhone('  ')).toEqual({ key: 'validate.required' })
    expect(checkPhone('', false)).toBeNull()
  })
})

describe('identity numbers', () => {
  it.each(['331102199003071231', '11010519491231002X', '440304200002290612', '11010519491231002x'])(
    'accepts the resident ID %s (GB 11643 checksum)', (n) => expect(checkId('resident_id', n)).toBeNull())

  it('names what is wrong with a resident ID', () => {
    expect(checkId('resident_id', '331102199003071232')).toEqual({ key: 'validate.idChecksum' })
    expect(checkId('resident_id', '33110219900307123')).toEqual({ key: 'validate.idResident' })
    expect(checkId('resident_id', '991102199003071231')).toEqual({ key: 'validate.idRegion' })
    expect(checkId('resident_id', '331102199002301231')?.key).toBe('validate.idBirth')
    expect(checkId('resident_id', '')).toEqual({ key: 'validate.idEmpty' })
  })

  it('checks the 15-digit legacy ID by region and birth date', () => {
    expect(checkId('legacy_id', '331102520101001')).toBeNull()
    expect(checkId('legacy_id', '331102521301001')).toEqual({ key: 'validate.idBirth' })
    expect(checkId('legacy_id', '33110252010100')).toEqual({ key: 'validate.idLegacy' })
  })

  it('accepts HK/Macau and Taiwan permits and residence permits', () => {
    expect(checkId('hmt_permit', 'H12345678')).toBeNull()
    expect(checkId('hmt_permit', 'M1234567890')).toBeNull()
    expect(checkId('hmt_permit', '12345678')).toBeNull()
    expect(checkId('hmt_permit', 'X12345678')).toEqual({ key: 'validate.idHmt' })
    // 810000 + birth date + sequence, with the resident-ID check character.
    const first17 = '81000019900101123'
    const ok = first17 + checkChar(first17)
    const bad = first17 + (checkChar(first17) === '0' ? '1' : '0')
    expect(checkId('hmt_permit', ok)).toBeNull()
    expect(checkId('hmt_permit', bad)).toEqual({ key: 'validate.idChecksum' })
  })

  it('accepts passports of 5 to 17 letters and digits', () => {
    expect(checkId('passport', 'E12345678')).toBeNull()
    expect(checkId('passport', 'AB12')).toEqual({ key: 'validate.idPassport' })
    expect(checkId('passport', 'AB-12345')).toEqual({ key: 'validate.idPassport' })
  })

  it('accepts old and 2023 permanent-residence cards', () => {
    expect(checkId('permanent_residence', 'USA330080101001')).toBeNull()
    expect(checkId('permanent_residence', 'US1330080101001')).toEqual({ key: 'validate.idPermanent' })
    expect(checkId('permanent_residence', '12345')).toEqual({ key: 'validate.idPermanent' })
  })
})

describe('fields', () => {
  it('limits notes to 4000 characters, counting Chinese characters as one', () => {
    const visit = { mode: 'in_person', kind: 'routine', campaign: null, service: '', follow_up: null, observations: [], needs: [] }
    expect(checkVisit({ ...visit, note: '记'.repeat(NOTE_MAX) })).toEqual({})
    expect(checkVisit({ ...visit, note: '记'.repeat(NOTE_MAX + 1) }).note).toEqual({ key: 'validate.tooLong', params: { max: 4000 } })
  })

  it('asks for the campaign of a campaign visit, and for each need its text', () => {
    const p = checkVisit({
      mode: 'in_person', kind: 'campaign', campaign: null, service: '', note: '', follow_up: '2026-02-30',
      observations: [{ kind: '', note: '' }], needs: [{ text: ' ', outcome: 'noted' }],
    })
    expect(Object.keys(p).sort()).toEqual(['campaign', 'follow_up', 'needs.0.text', 'observations.0.kind'])
  })

  it('requires the on-the-spot result only for 网格自办 incidents', () => {
    const inc = { category: 'cleanup', urgency: 'normal', location: '18号', description: '垃圾', parties: '', self_handled_result: '' }
    expect(checkIncident(inc, false)).toEqual({})
    expect(checkIncident(inc, true).self_handled_result).toEqual({ key: 'validate.required' })
    expect(checkIncident({ ...inc, self_handled_result: '已清理' }, true)).toEqual({})
  })

  it('requires a contact log note and checks dates and delay days', () => {
    expect(checkContact({ mode: 'phone', note: '' }).note).toEqual({ key: 'validate.required' })
    expect(checkDate('2026-11-31')).toEqual({ key: 'validate.invalidDate' })
    expect(checkDate('2028-02-29')).toBeNull()
    expect(checkDelayDays('0')).toEqual({ key: 'validate.dayRange' })
    expect(checkDelayDays('30')).toBeNull()
    expect(checkDelayDays('3.5')).toEqual({ key: 'validate.dayRange' })
  })
})
