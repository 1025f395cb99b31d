/**
 * checkSecretExpiry against the embedded issuer and against servers that misbehave: one request,
 * one deadline, never a failure, values masked before anything else.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { MAX_QUOTE } from '../src/log-text.js'
import { checkSecretExpiry, type TokenFacts } from '../src/secret-check.js'
import { basicAuthorization } from '../tools/issuer/client.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { startFaultyServer, type Behaviour } from './support/faulty-server.js'
import { startSilentServer } from './support/hostile.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'
import { parse } from './support/settings.js'

const DAY = 24 * 60 * 60 * 1000
const managementApi = fixtures.resources.management.indicator
const productsApi = fixtures.resources.products.indicator
const { m2m, expiring, forever, legacy } = fixtures.apps

let issuer: IssuerProcess
beforeAll(async () => {
  issuer = await startIssuerProcess()
})
afterAll(async () => {
  await issuer.close()
})

const events: [string, string][] = []
const deps = {
  mask: (value: string) => void events.push(['mask', value]),
  debug: (message: string) => void events.push(['debug', message]),
  now: Date.now
}
beforeEach(() => {
  events.length = 0
})
const named = (kind: string) => events.filter(([k]) => k === kind).map(([, v]) => v)

async function tokenFor(
  app: { clientId: string; clientSecret: string },
  resource: string = managementApi,
  scope = 'all'
): Promise<TokenFacts> {
  const response = await fetch(`${issuer.endpoint}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuthorization(app.clientId, app.clientSecret)
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope })
  })
  const body = (await response.json()) as { access_token: string; scope?: string }
  return { accessToken: body.access_token, audience: resource, scope: body.scope ?? '' }
}

const secretRequests = async () =>
  (await issuer.requests()).filter((r) => /\/secrets$/.test((r as { path: string }).path))

function settingsFor(app: { clientId: string; clientSecret: string }, extra = {}) {
  return parse({
    endpoint: issuer.endpoint,
    'app-id': app.clientId,
    'app-secret': app.clientSecret,
    ...extra
  })
}

describe('against the embedded issuer', () => {
  beforeEach(async () => {
    await fetch(`${issuer.endpoint}/__requests/reset`, { method: 'POST' })
  })

  it('finds the secret in use among others, masks every value first, 180 days: information', async () => {
    const before = Date.now()
    const report = await checkSecretExpiry(settingsFor(m2m), await tokenFor(m2m), deps)
    const expiresAt = Date.parse(report.expiresAt ?? '')
    expect(expiresAt - before).toBeGreaterThan(179 * DAY)
    expect(expiresAt - before).toBeLessThanOrEqual(180 * DAY)
    expect(report.warnings).toEqual([])
    expect(report.info).toEqual([
      `The app secret in use, "GitHub Actions", expires on ${report.expiresAt}, in 180 days.`
    ])
    // The secret in use holds a space, so no Logto secret could be it: main masks it as app-secret.
    expect(named('mask')).toEqual(
      m2m.secrets.map((s) => s.value).filter((value) => !value.includes(' '))
    )
    expect(named('debug')).toEqual([
      `GET ${issuer.endpoint}/api/applications/m2m-app/secrets (app secret expiry check)`
    ])
    expect(await secretRequests()).toEqual([
      expect.objectContaining({ method: 'GET', hasAuthorization: true })
    ])
  })

  it('within the window: a warning and a summary row', async () => {
    const report = await checkSecretExpiry(settingsFor(expiring), await tokenFor(expiring), deps)
    expect(report.warnings).toEqual([
      expect.stringMatching(
        /^The app secret in use, "Release pipeline" of app expiring-app, expires on \d{4}-\d\d-\d\dT[\d:.]+Z, in 10 days\. Rotate it without downtime: .*create a new secret.*gh secret set.*delete "Release pipeline"\.$/
      )
    ])
    expect(report.summary).toBe(`Release pipeline: expires on ${report.expiresAt}, in 10 days`)
  })

  it('a narrower window turns the warning into information', async () => {
    const report = await checkSecretExpiry(
      settingsFor(expiring, { 'secret-expiry-warning-days': '9' }),
      await tokenFor(expiring),
      deps
    )
    expect(report.warnings).toEqual([])
    expect(report.summary).toBeUndefined()
    expect(report.info).toEqual([expect.stringContaining('in 10 days.')])
  })

  it('a secret without expiry: empty output, one info line', async () => {
    const report = await checkSecretExpiry(settingsFor(forever), await tokenFor(forever), deps)
    expect(report).toEqual({
      expiresAt: undefined,
      info: ['The app secret in use, "No expiry", has no expiration date.'],
      warnings: [],
      summary: undefined
    })
  })

  it('the legacy secret is not in the list and never expires; the other secret is still masked', async () => {
    const report = await checkSecretExpiry(settingsFor(legacy), await tokenFor(legacy), deps)
    expect(report.expiresAt).toBeUndefined()
    expect(report.warnings).toEqual([])
    expect(report.info).toEqual([expect.stringContaining('legacy secret, which never expires')])
    expect(named('mask')).toEqual([legacy.secrets[0].value])
  })

  it.each([
    ['a token for another API', productsApi, 'read:products', 'with scope "read:products"'],
    ['a Management API token without all', managementApi, 'read', 'with no scope']
  ])('%s: no request, a debug line says why', async (_name, resource, scope, granted) => {
    const token = await tokenFor(m2m, resource, scope)
    const report = await checkSecretExpiry(settingsFor(m2m), token, deps)
    expect(report).toEqual({
      expiresAt: undefined,
      info: [],
      warnings: [],
      summary: undefined
    })
    expect(named('debug')).toEqual([
      'No app secret expiry check: it needs a Logto Management API token with scope all, and ' +
        `this token is for ${resource} ${granted}.`
    ])
    expect(await secretRequests()).toEqual([])
  })

  it('secret-expiry-warning-days 0: no request, a debug line says so', async () => {
    const report = await checkSecretExpiry(
      settingsFor(expiring, { 'secret-expiry-warning-days': '0' }),
      await tokenFor(expiring),
      deps
    )
    expect(report.expiresAt).toBeUndefined()
    expect(report.info).toEqual([])
    expect(named('debug')).toEqual(['No app secret expiry check: secret-expiry-warning-days is 0.'])
    expect(await secretRequests()).toEqual([])
  })

  it('a token the issuer does not accept: 401, the expiry unknown', async () => {
    const token = { ...(await tokenFor(m2m)), accessToken: 'not-a-jwt' }
    const report = await checkSecretExpiry(settingsFor(m2m), token, deps)
    expect(report.info).toEqual([
      `The app secret's expiry is unknown: GET ${issuer.endpoint}/api/applications/m2m-app/` +
        'secrets answered HTTP 401 (code auth.unauthorized: "Unauthorized. Please check ' +
        'credentials and its scope."); Logto did not accept the token for its Management API.'
    ])
  })
})

describe('against a server that misbehaves', () => {
  const token: TokenFacts = { accessToken: 'tok3n.abc.def', audience: managementApi, scope: 'all' }
  const secret = 'in-use-secret-0123456789'

  async function against(script: Behaviour[], extra: Record<string, string> = {}) {
    const server = await startFaultyServer(script)
    try {
      const settings = parse({
        endpoint: `${server.endpoint}/base/`,
        'app-id': 'app/1',
        'app-secret': secret,
        timeout: '1',
        ...extra
      })
      const report = await checkSecretExpiry(settings, token, deps)
      return { report, hits: server.hits, endpoint: server.endpoint }
    } finally {
      await server.close()
    }
  }
  const get = (endpoint: string) => `GET ${endpoint}/base/api/applications/app%2F1/secrets`
  const list = (entries: unknown[]) => JSON.stringify(entries)

  it('sends one GET with the bearer token to the app-id, under the endpoint path', async () => {
    const { hits } = await against([{ status: 200, body: '[]' }])
    expect(hits).toHaveLength(1)
    expect(hits[0]).toMatchObject({
      method: 'GET',
      url: '/base/api/applications/app%2F1/secrets',
      headers: {
        authorization: `Bearer ${token.accessToken}`,
        accept: 'application/json',
        'user-agent': 'logto-m2m-token-action/1'
      }
    })
  })

  it.each<[string, Behaviour, string]>([
    [
      'a 403 with a hostile message',
      {
        status: 403,
        body: JSON.stringify({
          code: 'auth.forbidden',
          message: `::error::tok3n.abc.def\n##[warning]${secret} in-list-value`
        })
      },
      ' answered HTTP 403 (code auth.forbidden: ": :error::*** # #[warning]*** in-list-value"); ' +
        'the token lacks the Management API scope all'
    ],
    [
      'a 404',
      {
        status: 404,
        body: JSON.stringify({ code: 'entity.not_exists_with_id', message: 'gone' })
      },
      ' answered HTTP 404 (code entity.not_exists_with_id: "gone"); no such app, or a Logto ' +
        'older than 1.19, which has no app secrets list'
    ],
    ['a 500 without body', { status: 500 }, ' answered HTTP 500'],
    [
      'a 500 with a code only',
      { status: 500, body: '{"code":"x.y"}' },
      ' answered HTTP 500 (code x.y)'
    ],
    [
      'a 500 with a message only',
      { status: 500, body: '{"message":"down"}' },
      ' answered HTTP 500 ("down")'
    ],
    [
      'a 500 with empty and odd fields',
      { status: 500, body: '{"code":"","message":null,"error":"e"}' },
      ' answered HTTP 500'
    ],
    ['a 500 with JSON null', { status: 500, body: 'null' }, ' answered HTTP 500'],
    [
      'a 500 with fields that are not strings',
      { status: 500, body: '{"code":5,"message":true}' },
      ' answered HTTP 500'
    ],
    ['a 500 with an empty message', { status: 500, body: '{"message":""}' }, ' answered HTTP 500'],
    ['a 300 with a list body', { status: 300, body: '[]' }, ' answered HTTP 300'],
    [
      'JSON that mentions <html> inside',
      { status: 200, body: '{"note":"<html>"}' },
      ' answered HTTP 200, but the answer is not a list of secrets'
    ],
    [
      'an HTML body after white space',
      { status: 200, body: '\n  <!doctype html>' },
      " answered HTTP 200 with an HTML page, not Logto's API"
    ],
    ['a 418 with a code', { status: 418, body: '{"code":"tea"}' }, ' answered HTTP 418 (code tea)'],
    ['a 503 with a list body', { status: 503, body: '[]' }, ' answered HTTP 503'],
    [
      'a redirect, not followed',
      { status: 302, headers: { Location: 'https://evil.example/steal' } },
      ' answered HTTP 302'
    ],
    [
      'an HTML page',
      { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<p>hi</p>' },
      " answered HTTP 200 with an HTML page, not Logto's API"
    ],
    [
      'an HTML body as JSON',
      { status: 200, body: '<!DOCTYPE html><title>Sign in</title>' },
      " answered HTTP 200 with an HTML page, not Logto's API"
    ],
    [
      'a body that is not JSON',
      { status: 200, body: 'ok' },
      ' answered HTTP 200 with a body that is not JSON'
    ],
    [
      'an object, not a list',
      { status: 200, body: '{"data":[]}' },
      ' answered HTTP 200, but the answer is not a list of secrets'
    ],
    [
      'an entry with an odd expiresAt',
      {
        status: 200,
        body: list([{ name: 'CI', value: secret, expiresAt: '2027-01-01T00:00:00Z' }])
      },
      ' answered HTTP 200, but entry 1 of the list, the secret in use, has an expiresAt that is ' +
        'neither null nor a time in epoch milliseconds'
    ],
    [
      'an entry without a name',
      { status: 200, body: list([{ value: secret, expiresAt: null }]) },
      ' answered HTTP 200, but entry 1 of the list, the secret in use, has no name'
    ]
  ])('%s: the expiry is unknown, one info line, nothing thrown', async (_name, behaviour, why) => {
    const { report, hits, endpoint } = await against([behaviour])
    expect(hits).toHaveLength(1)
    expect(report).toEqual({
      expiresAt: undefined,
      info: [`The app secret's expiry is unknown: ${get(endpoint)}${why}.`],
      warnings: [],
      summary: undefined
    })
  })

  it('masks every value of the answer before anything else, whatever the status', async () => {
    const body = list([
      { name: 'A', value: 'in-list-value-0123456789' },
      { value: 'other-value-0123456789' }
    ])
    await against([{ status: 403, body }])
    expect(events[0]).toEqual(['debug', expect.stringMatching(/^GET /)])
    expect(named('mask')).toEqual(['in-list-value-0123456789', 'other-value-0123456789'])
  })

  /** The secret in use, `count - 1` other values that could be secrets, and 1000 that could not. */
  const longList = (count: number): string => {
    const others = Array.from({ length: count - 1 }, (_, i) => ({
      name: `n${i}`,
      value: `other-secret-${String(i).padStart(8, '0')}`,
      expiresAt: null
    }))
    // Short values never count: Logto makes none, and masking them would garble the job.
    const short = Array.from({ length: 1000 }, () => ({ name: 's', value: 'e', expiresAt: null }))
    return list([
      { name: 'CI', value: secret, expiresAt: Date.now() + DAY * 3 },
      ...others,
      ...short
    ])
  }

  it('100 values that could be secrets: each masked, the expiry read', async () => {
    const { report } = await against([{ status: 200, body: longList(100) }])
    expect(named('mask')).toHaveLength(100)
    expect(named('mask')).not.toContain('e')
    expect(report.warnings).toEqual([expect.stringContaining('"CI" of app app/1')])
  })

  it('101: none masked, the expiry unknown, one line why', async () => {
    const { report } = await against([{ status: 200, body: longList(101) }])
    expect(named('mask')).toEqual([])
    expect(report.warnings).toEqual([])
    expect(report.info).toEqual([
      expect.stringMatching(
        /^The app secret's expiry is unknown: GET .* answered HTTP 200 with 101 values that could be secrets, more than the 100 the check masks\.$/
      )
    ])
  })

  it.each(['other::secret-0123456789', ':other-secret-0123456789', 'other%0Asecret-0123456789'])(
    'a value %j act could not mask: none masked, the expiry unknown, one line why',
    async (value) => {
      const body = list([
        { name: 'CI', value: secret, expiresAt: Date.now() + DAY * 3 },
        { name: 'other', value, expiresAt: null }
      ])
      const { report } = await against([{ status: 200, body }])
      expect(named('mask')).toEqual([])
      expect(report.warnings).toEqual([])
      expect(report.info).toEqual([
        expect.stringMatching(
          /^The app secret's expiry is unknown: GET .* answered HTTP 200 with a value that could be a secret, but it holds "::", "%0A" or "%0D", or starts with ":", which act-based runners cannot mask: they would print it, or mask another value\.$/
        )
      ])
    }
  )

  it('redacts the list values, the token and the secret from a quoted name', async () => {
    const body = list([
      {
        name: `CI tok3n.abc.def ${secret} other-value-0123456789`,
        value: secret,
        expiresAt: Date.now() + DAY * 3
      },
      { name: 'B', value: 'other-value-0123456789', expiresAt: null }
    ])
    const { report } = await against([{ status: 200, body }])
    expect(report.warnings).toEqual([expect.stringContaining('"CI *** *** ***" of app app/1')])
  })

  it('an odd entry elsewhere does not hide the warning for the secret in use; debug names it', async () => {
    const body = list([
      { name: 'Broken', value: 'other-value-0123456789', expiresAt: '2027-01-01' },
      { name: 'CI', value: secret, expiresAt: Date.now() + DAY },
      { value: 'third-value', expiresAt: null }
    ])
    const { report } = await against([{ status: 200, body }])
    expect(report.warnings).toEqual([expect.stringContaining('"CI" of app app/1, expires on')])
    expect(report.warnings[0]).toMatch(/, tomorrow\. Rotate it/)
    expect(named('debug').slice(1)).toEqual([
      'App secret expiry check: entry 1 of the list has an expiresAt that is neither null nor a ' +
        'time in epoch milliseconds; it is not the secret in use, so it is skipped.',
      'App secret expiry check: entry 3 of the list has no name; it is not the secret in use, so ' +
        'it is skipped.'
    ])
  })

  /**
   * The worst list the 1 MiB cap allows: the secret in use with a name of hundreds of kilobytes,
   * and ten thousand other entries whose values nearly occur all over it (each searched for over
   * the whole name, as it used to be, that took tens of seconds).
   */
  function worstList(): string {
    const others = Array.from({ length: 10_000 }, (_, i) => ({
      name: `${i}`,
      value: `aaaaaaaaaab${i}`,
      expiresAt: null
    }))
    const name = `${'a'.repeat(440_000)} ${secret}`
    const body = list([{ name, value: secret, expiresAt: Date.now() + 3 * DAY }, ...others])
    expect(body.length).toBeGreaterThan(0.9 * 1024 * 1024)
    expect(body.length).toBeLessThan(1024 * 1024)
    return body
  }

  it('the worst list the cap allows: the warning, with the name cut, well within timeout', async () => {
    const body = worstList()
    const started = Date.now()
    const { report } = await against([{ status: 200, body }], { timeout: '5' })
    // The deadline holds with a margin for a loaded machine; the work takes a small part of it.
    expect(Date.now() - started).toBeLessThan(5000 + 2000)
    expect(report.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The app secret in use, "a{${MAX_QUOTE}}…" of app app/1, expires on .*, in 3 days\\.`
        )
      )
    ])
    expect(report.summary).toMatch(new RegExp(`^a{${MAX_QUOTE}}…: expires on .*, in 3 days$`))
  })

  /**
   * The check with timeout 2 s against a list whose secret expires `expiresAt` after `start`,
   * with a clock that reads `start` at its first `looks` looks and `later` after them.
   */
  const withClock = async (looks: number, later: number, expiresAt: number) => {
    let looked = 0
    const start = Date.now()
    const clock = { ...deps, now: () => (++looked > looks ? start + later : start) }
    const server = await startFaultyServer([
      { status: 200, body: list([{ name: 'CI', value: secret, expiresAt: start + expiresAt }]) }
    ])
    try {
      const settings = parse({
        endpoint: server.endpoint,
        'app-id': 'a',
        'app-secret': secret,
        timeout: '2'
      })
      const report = await checkSecretExpiry(settings, token, clock)
      return { report, start, endpoint: server.endpoint }
    } finally {
      await server.close()
    }
  }

  it('a clock exactly at the deadline at every look after the answer: the expiry is read', async () => {
    const { report, start } = await withClock(1, 2000, 40 * DAY)
    expect(report.expiresAt).toBe(new Date(start + 40 * DAY).toISOString())
  })

  // The clock passes the deadline at each point the check looks at it after the answer came.
  it.each([1, 2, 3, 4])(
    'a clock past the deadline at its look %d after the answer: the expiry is unknown',
    async (look) => {
      const { report, endpoint } = await withClock(look, 10_000, DAY)
      expect(report).toEqual({
        expiresAt: undefined,
        info: [
          `The app secret's expiry is unknown: GET ${endpoint}/api/applications/a/` +
            'secrets answered HTTP 200, but reading it took longer than timeout (2 s).'
        ],
        warnings: [],
        summary: undefined
      })
    }
  )

  it('a list of many odd entries gives ten debug lines and a count, not one line each', async () => {
    const odd = Array.from({ length: 12 }, (_, i) => ({ name: `n${i}`, value: `v${i}` }))
    const body = list([...odd, { name: 'CI', value: secret, expiresAt: null }])
    const { report } = await against([{ status: 200, body }])
    expect(report.info).toEqual(['The app secret in use, "CI", has no expiration date.'])
    const skipped = named('debug').slice(1)
    expect(skipped).toHaveLength(11)
    expect(skipped[9]).toContain('entry 10 of the list has an expiresAt')
    expect(skipped[10]).toBe('App secret expiry check: 2 more odd entries skipped.')
  })

  it('ten odd entries give ten debug lines and no count', async () => {
    const odd = Array.from({ length: 10 }, (_, i) => ({ name: `n${i}`, value: `v${i}` }))
    const body = list([...odd, { name: 'CI', value: secret, expiresAt: null }])
    await against([{ status: 200, body }])
    const skipped = named('debug').slice(1)
    expect(skipped).toHaveLength(10)
    expect(skipped.join('\n')).not.toContain('more odd entries')
  })

  it('refuses a body over 1 MiB', async () => {
    const { report } = await against([{ hugeBytes: 2 * 1024 * 1024 }])
    expect(report.info).toEqual([
      expect.stringMatching(/got no answer \(the answer is larger than 1 MiB\)\.$/)
    ])
  })

  it('a connection refused: unknown, with the network error', async () => {
    const server = await startFaultyServer([])
    await server.close()
    const settings = parse({ endpoint: server.endpoint, 'app-id': 'a', 'app-secret': secret })
    const report = await checkSecretExpiry(settings, token, deps)
    expect(report.info).toEqual([
      expect.stringMatching(
        /^The app secret's expiry is unknown: GET .* got no answer \(ECONNREFUSED/
      )
    ])
  })

  it('an answer without Content-Type is read by its body', async () => {
    const server = await startSilentServer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]')
    try {
      const settings = parse({ endpoint: server.endpoint, 'app-id': 'a', 'app-secret': secret })
      const report = await checkSecretExpiry(settings, token, deps)
      expect(report.info).toEqual([expect.stringContaining("it is app a's legacy secret")])
    } finally {
      await server.close()
    }
  })

  it('a server that never answers: unknown after one timeout, no retry', async () => {
    const server = await startSilentServer()
    try {
      const settings = parse({
        endpoint: server.endpoint,
        'app-id': 'a',
        'app-secret': secret,
        timeout: '0.5',
        retries: '3'
      })
      const started = Date.now()
      const report = await checkSecretExpiry(settings, token, deps)
      const took = Date.now() - started
      expect(took).toBeGreaterThanOrEqual(450)
      expect(took).toBeLessThan(5000)
      expect(report.info).toEqual([
        `The app secret's expiry is unknown: GET ${server.endpoint}/api/applications/a/secrets ` +
          'got no answer (no complete answer within 0.5 s (input timeout)).'
      ])
    } finally {
      await server.close()
    }
  })
})
