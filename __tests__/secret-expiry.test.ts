/** The pure rules of the app secret expiry check, in tables. */
import { describe, expect, it, jest } from '@jest/globals'
import * as realCrypto from 'node:crypto'

// Wraps timingSafeEqual to count its calls: the comparison must go through it, for every entry.
const compared: [string, string][] = []
jest.unstable_mockModule('node:crypto', () => ({
  ...realCrypto,
  timingSafeEqual: (a: Buffer, b: Buffer): boolean => {
    compared.push([a.toString(), b.toString()])
    return realCrypto.timingSafeEqual(a, b)
  }
}))
const {
  NOTHING,
  daysLeft,
  expiryReport,
  findSecretInUse,
  isManagementToken,
  readSecretList,
  secretInUse,
  secretValues,
  unknown,
  withinWindow
} = await import('../src/secret-expiry.js')
const { parse, inputFailure } = await import('./support/settings.js')

const DAY = 24 * 60 * 60 * 1000
const now = Date.UTC(2026, 11, 2, 6, 0, 0)
const base = { endpoint: 'https://t.logto.app', 'app-id': 'app', 'app-secret': 's' }

describe('input secret-expiry-warning-days', () => {
  it.each([
    ['', 30],
    ['0', 0],
    ['1', 1],
    ['30', 30],
    ['3650', 3650],
    ['007', 7],
    [' 14 ', 14]
  ])('%j reads as %d', (raw, days) => {
    expect(parse({ ...base, 'secret-expiry-warning-days': raw }).secretExpiryWarningDays).toBe(days)
  })

  it.each(['3651', '-1', '1.5', '30d', 'thirty', '1e3', '0x10', '+5', '١٢'])(
    '%j is refused, naming the input and the accepted form',
    (raw) => {
      const error = inputFailure({ ...base, 'secret-expiry-warning-days': raw })
      expect(error.input).toBe('secret-expiry-warning-days')
      expect(error.message).toBe(
        `Input secret-expiry-warning-days "${raw}" is not accepted: use a whole number of days ` +
          'from 0 to 3650 (0 turns the check off).'
      )
    }
  )
})

describe('isManagementToken', () => {
  it.each([
    ['https://default.logto.app/api', 'all', true],
    ['https://tenant-1.logto.app/api', 'read all write', true],
    ['https://default.logto.app/api', '', false],
    ['https://default.logto.app/api', 'all:read', false],
    ['https://default.logto.app/api/', 'all', false],
    ['https://api.example.com/products', 'all', false],
    ['urn:logto:organization:org-1', 'all', false],
    ['https://default.logto.app/api https://api.example.com', 'all', false]
  ])('%s with scope %j: %s', (audience, scope, expected) => {
    expect(isManagementToken(audience, scope)).toBe(expected)
  })
})

describe('secretValues: what to mask, before anything else', () => {
  it.each([
    ['not a list', { value: 'x' }, []],
    ['null', null, []],
    [
      'every string value of an object entry, odd entries included',
      [
        { name: 'a', value: 'v1-0123456789abcdef', expiresAt: null },
        { value: 'v2-0123456789abcdef', expiresAt: 'soon' },
        'v3',
        { value: 42 },
        // Read as text, these would look like secrets: 19 digits, 16 letters.
        { value: Number.MAX_SAFE_INTEGER * 1000 },
        { value: ['abcdefghijklmnop'] },
        { value: '' },
        [{ value: 'v4' }],
        { value: ['v5'] },
        null
      ],
      ['v1-0123456789abcdef', 'v2-0123456789abcdef']
    ],
    // Logto's app secrets are 32 letters and digits: a value that could not be one is not masked,
    // so a server cannot make the runner hide `e` in every later line.
    [
      'only values that could be secrets, each once',
      [
        { value: 'e' },
        { value: 'Logto' },
        { value: '0123456789abcde' },
        { value: '0123456789abcdef' },
        { value: '0123456789abcdef' },
        { value: 'with a space 0123456789' },
        { value: 'tab\t0123456789abcdef' },
        { value: 'x'.repeat(512) },
        { value: 'y'.repeat(513) }
      ],
      ['0123456789abcdef', 'x'.repeat(512)]
    ]
  ])('%s', (_name, json, values) => {
    expect(secretValues(json)).toEqual(values)
  })
})

describe('readSecretList', () => {
  const good = { name: 'n', value: 'v', expiresAt: null, createdAt: 1 }
  it.each([
    ['an entry that is not an object', [good, 'x'], 'entry 2 of the list is not an object'],
    ['an entry that is a list', [[good]], 'entry 1 of the list is not an object'],
    ['a null entry', [null], 'entry 1 of the list is not an object'],
    ['no name', [{ ...good, name: undefined }], 'entry 1 of the list has no name'],
    ['an empty name', [{ ...good, name: '' }], 'entry 1 of the list has no name'],
    ['a number name', [{ ...good, name: 7 }], 'entry 1 of the list has no name'],
    ['no value', [{ ...good, value: undefined }], 'entry 1 of the list has no value'],
    ['an empty value', [{ ...good, value: '' }], 'entry 1 of the list has no value'],
    ...(
      [
        ['a string expiresAt', '2027-01-01'],
        ['a missing expiresAt', undefined],
        ['a fractional expiresAt', 1.5],
        ['a negative expiresAt', -1],
        ['an expiresAt past what a Date holds', 8.64e15 + 1],
        ['an infinite expiresAt', Infinity],
        ['a boolean expiresAt', false]
      ] as const
    ).map(
      ([name, expiresAt]) =>
        [
          name,
          [{ ...good, expiresAt }],
          'entry 1 of the list has an expiresAt that is neither null nor a time in epoch milliseconds'
        ] as const
    )
  ])('marks %s odd, on its own', (_name, json, problem) => {
    const position = json.length
    expect(readSecretList(json).entries?.[position - 1]).toMatchObject({
      position,
      entry: undefined,
      problem: problem.replace(/^entry \d+ of the list /, '')
    })
    // The entries before it are read all the same.
    for (const listed of readSecretList(json).entries?.slice(0, -1) ?? []) {
      expect(listed.problem).toBeUndefined()
    }
  })

  it.each([
    ['an object', { secrets: [] }],
    ['a string', 'list']
  ])('refuses %s, which is no list at all', (_name, json) => {
    expect(readSecretList(json)).toEqual({ problem: 'the answer is not a list of secrets' })
  })

  it.each([
    ['an empty list', [], []],
    [
      'entries with null, zero and the last Date expiry, extra fields dropped',
      [good, { ...good, expiresAt: 0 }, { ...good, expiresAt: 8.64e15 }],
      [
        { name: 'n', value: 'v', expiresAt: null },
        { name: 'n', value: 'v', expiresAt: 0 },
        { name: 'n', value: 'v', expiresAt: 8.64e15 }
      ]
    ]
  ])('reads %s', (_name, json, entries) => {
    expect(readSecretList(json)).toEqual({
      entries: entries.map((entry, i) => ({
        position: i + 1,
        value: entry.value,
        entry,
        problem: undefined
      }))
    })
  })
})

describe('findSecretInUse', () => {
  const entries = [
    { name: 'short', value: 'abc', expiresAt: null },
    { name: 'first', value: 'secret-1', expiresAt: 1 },
    { name: 'other', value: 'secret-2', expiresAt: 2 },
    { name: 'again', value: 'secret-1', expiresAt: 3 }
  ]

  it.each([
    ['secret-1', 'first'],
    ['secret-2', 'other'],
    ['abc', 'short'],
    ['secret-3', undefined],
    ['secret-', undefined],
    ['secret-10', undefined],
    ['', undefined]
  ])('%j is %s', (secret, name) => {
    expect(findSecretInUse(entries, secret)?.name).toBe(name)
  })

  it('compares every entry of the same length with timingSafeEqual, with no early exit', () => {
    compared.length = 0
    findSecretInUse(entries, 'secret-1')
    expect(compared).toEqual([
      ['secret-1', 'secret-1'],
      ['secret-2', 'secret-1'],
      ['secret-1', 'secret-1']
    ])
  })

  it('compares bytes, not UTF-16 code units', () => {
    expect(findSecretInUse([{ name: 'n', value: 'é', expiresAt: null }], 'é')?.name).toBe('n')
    expect(findSecretInUse([{ name: 'n', value: 'é', expiresAt: null }], 'e\u0301')).toBe(undefined)
  })
})

describe('window and days left: UTC calendar days, as a person reading the date counts', () => {
  const H = 60 * 60 * 1000
  // now is 2026-12-02T06:00Z.
  it.each([
    [30 * DAY, 30, true, 30],
    [30 * DAY + 18 * H - 1, 30, true, 30],
    [30 * DAY + 18 * H, 30, false, 31],
    [10 * DAY - 1, 10, true, 10],
    [10 * DAY + DAY / 2, 30, true, 10],
    [DAY - 1, 1, true, 1],
    [18 * H - 1, 1, true, 0],
    [18 * H, 1, true, 1],
    [0, 30, true, 0],
    [-1, 30, true, 0],
    [-6 * H, 30, true, 0],
    [-6 * H - 1, 30, true, -1],
    [-DAY, 30, true, -1],
    [5 * DAY, 0, false, 5],
    [-DAY, 0, false, -1],
    [3650 * DAY, 3650, true, 3650]
  ])('expiry in %d ms, %d days: within %s, %d days left', (inMs, days, within, left) => {
    expect(withinWindow(now + inMs, now, days)).toBe(within)
    expect(daysLeft(now + inMs, now)).toBe(left)
  })

  it.each([
    ['9 d 23 h 59 min ahead is ten dates on', now, now + 10 * DAY - 60_000, 10],
    ['exactly 10 d ahead', now, now + 10 * DAY, 10],
    [
      'one minute before midnight, two minutes ahead',
      Date.UTC(2026, 11, 2, 23, 59),
      Date.UTC(2026, 11, 3, 0, 1),
      1
    ],
    [
      'just after midnight, the same evening',
      Date.UTC(2026, 11, 2, 0, 1),
      Date.UTC(2026, 11, 2, 23, 59),
      0
    ],
    [
      'the last minute of a day to the first of the day ten on',
      Date.UTC(2026, 11, 2, 23, 59),
      Date.UTC(2026, 11, 12, 0, 0),
      10
    ],
    ['across the end of a year', Date.UTC(2026, 11, 31, 22, 0), Date.UTC(2027, 0, 1, 2, 0), 1]
  ])('%s', (_name, from, to, days) => {
    expect(daysLeft(to, from)).toBe(days)
  })
})

describe('expiryReport', () => {
  const ctx = { appId: 'app-1', warningDays: 30, now, redact: ['tok3n', 'the-secret'] }
  const entry = (name: string, expiresAt: number | null) => ({ name, value: 'v', expiresAt })

  it('the legacy secret: never expires, one info line', () => {
    expect(expiryReport(undefined, ctx)).toEqual({
      expiresAt: undefined,
      info: [
        "The app-secret in use is not in the app's list of secrets: it is app app-1's legacy " +
          'secret, which never expires.'
      ],
      warnings: [],
      summary: undefined
    })
  })

  it('no expiration date', () => {
    expect(expiryReport(entry('CI', null), ctx)).toEqual({
      expiresAt: undefined,
      info: ['The app secret in use, "CI", has no expiration date.'],
      warnings: [],
      summary: undefined
    })
  })

  it('outside the window: the date in an info line and the output', () => {
    expect(expiryReport(entry('CI', now + 31 * DAY), ctx)).toEqual({
      expiresAt: '2027-01-02T06:00:00.000Z',
      info: ['The app secret in use, "CI", expires on 2027-01-02T06:00:00.000Z, in 31 days.'],
      warnings: [],
      summary: undefined
    })
  })

  it('within the window: a warning naming the secret, date, days left and the rotation', () => {
    expect(expiryReport(entry('CI', now + 12 * DAY), ctx)).toEqual({
      expiresAt: '2026-12-14T06:00:00.000Z',
      info: [],
      warnings: [
        'The app secret in use, "CI" of app app-1, expires on 2026-12-14T06:00:00.000Z, in 12 ' +
          'days. Rotate it without downtime: in Logto Console (Applications → the app → App ' +
          'secrets) create a new secret, store its value in the GitHub secret that holds ' +
          'app-secret (gh secret set), and once the workflows run with it, delete "CI".'
      ],
      summary: 'CI: expires on 2026-12-14T06:00:00.000Z, in 12 days'
    })
  })

  it.each([
    [10 * DAY, 'expires on 2026-12-12T06:00:00.000Z, in 10 days'],
    [10 * DAY - 60_000, 'expires on 2026-12-12T05:59:00.000Z, in 10 days'],
    [2 * DAY, 'expires on 2026-12-04T06:00:00.000Z, in 2 days'],
    [DAY + 1, 'expires on 2026-12-03T06:00:00.001Z, tomorrow'],
    [DAY - 1, 'expires on 2026-12-03T05:59:59.999Z, tomorrow'],
    [18 * 60 * 60 * 1000 - 1, 'expires on 2026-12-02T23:59:59.999Z, today'],
    [1, 'expires on 2026-12-02T06:00:00.001Z, today'],
    [0, 'expired on 2026-12-02T06:00:00.000Z'],
    [-3 * DAY, 'expired on 2026-11-29T06:00:00.000Z']
  ])('%d ms ahead: %s', (inMs, when) => {
    expect(expiryReport(entry('CI', now + inMs), ctx).summary).toBe(`CI: ${when}`)
  })

  it('with the check off, a date in the window is only information', () => {
    const report = expiryReport(entry('CI', now + DAY * 2), { ...ctx, warningDays: 0 })
    expect(report.warnings).toEqual([])
    expect(report.info).toEqual([
      'The app secret in use, "CI", expires on 2026-12-04T06:00:00.000Z, in 2 days.'
    ])
  })

  it('neutralises the name: no command, no line break, no token or secret, at most 200 characters', () => {
    const name = 'x\n::warning::tok3n##[error]the-secret\u2028' + 'y'.repeat(300)
    const report = expiryReport(entry(name, now + DAY * 2), ctx)
    const text = [...report.warnings, report.summary ?? ''].join('\n')
    // What the runner reads as a command: `::` at the start of a line, `##[` anywhere.
    expect(text).not.toMatch(/^\s*::|##\[/m)
    expect(text).not.toContain('tok3n')
    expect(text).not.toContain('the-secret')
    expect(report.warnings[0]).not.toMatch(/[\n\u2028]/)
    expect(report.warnings[0]).toContain('"x ::warning::***# #[error]*** yyyy')
    // Cut to 200 characters after redaction and neutralising.
    expect(report.summary).toMatch(/^x ::warning::\*\*\*# #\[error\]\*\*\* y{170}…: expires/)
  })
})

describe('secretInUse: the entry in use is judged on its own', () => {
  const listed = (json: unknown[]) => readSecretList(json).entries ?? []
  const good = (name: string, value: string, expiresAt: number | null = null) => ({
    name,
    value,
    expiresAt
  })

  it('an odd entry elsewhere is skipped, for the debug log; the one in use is reported', () => {
    const entries = listed([
      good('Old', 'other', now),
      { name: 'Odd', value: 'odd-value', expiresAt: 'tomorrow' },
      good('CI', 'the-secret', now + DAY),
      { value: 'no-name', expiresAt: null }
    ])
    expect(secretInUse(entries, 'the-secret')).toEqual({
      entry: { name: 'CI', value: 'the-secret', expiresAt: now + DAY },
      problem: undefined,
      skipped: [
        'entry 2 of the list has an expiresAt that is neither null nor a time in epoch milliseconds',
        'entry 4 of the list has no name'
      ]
    })
  })

  it('the entry in use that is odd makes the expiry unknown, saying which', () => {
    const entries = listed([good('A', 'a'), { name: 'CI', value: 'the-secret', expiresAt: 1.5 }])
    expect(secretInUse(entries, 'the-secret')).toEqual({
      entry: undefined,
      problem:
        'entry 2 of the list, the secret in use, has an expiresAt that is neither null nor a ' +
        'time in epoch milliseconds',
      skipped: []
    })
  })

  it('an entry without a value might be the secret in use: no claim of the legacy secret', () => {
    const entries = listed([good('A', 'a'), { name: 'B', expiresAt: null }, 'x'])
    expect(secretInUse(entries, 'the-secret')).toEqual({
      entry: undefined,
      problem: 'entry 2 of the list has no value, so it may be the secret in use',
      skipped: ['entry 3 of the list is not an object']
    })
    // Found elsewhere, the same entry is only skipped.
    expect(secretInUse(entries, 'a').entry?.name).toBe('A')
  })

  it('no entry is the secret and none is odd: the legacy secret', () => {
    expect(secretInUse(listed([good('A', 'a')]), 'the-secret')).toEqual({
      entry: undefined,
      problem: undefined,
      skipped: []
    })
  })
})

describe('reports of nothing and of the unknown', () => {
  it('NOTHING has no output, line or row', () => {
    expect(NOTHING).toEqual({ expiresAt: undefined, info: [], warnings: [], summary: undefined })
  })

  it('unknown says why in one info line', () => {
    expect(unknown('GET x answered HTTP 500')).toEqual({
      expiresAt: undefined,
      info: ["The app secret's expiry is unknown: GET x answered HTTP 500."],
      warnings: [],
      summary: undefined
    })
  })
})
