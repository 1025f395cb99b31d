/**
 * The app secret expiry check through the committed dist/index.js, run as GitHub's runner and as
 * act-based runners run it: against the embedded issuer, and against servers that answer the
 * secrets request badly or never.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, secretVariants, type RunnerKind } from '../scripts/lib/runner.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { startFaultyServer, tokenBody, type Behaviour } from './support/faulty-server.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

const { m2m, expiring, legacy } = fixtures.apps
const managementApi = fixtures.resources.management.indicator
const productsApi = fixtures.resources.products.indicator
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const runners: RunnerKind[] = ['github', 'act']

let issuer: IssuerProcess
beforeAll(async () => {
  issuer = await startIssuerProcess()
})
afterAll(async () => {
  await issuer.close()
})

type Step = Awaited<ReturnType<typeof runAction>>
type App = { clientId: string; clientSecret: string }

const secretPaths = async (): Promise<string[]> =>
  (await issuer.requests())
    .map((r) => (r as { path: string }).path)
    .filter((path) => path.endsWith('/secrets'))

/** Workflow command data as @actions/core escapes it. */
const escapeData = (value: string): string =>
  value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

/** Every raw output line as the runner reads it. */
const rawLines = (result: Step): string[] => result.lines.map(({ line }) => line)

/** The value is masked before any raw line shows it, and the shown log never does. */
function expectMaskedFirst(result: Step, value: string): void {
  const lines = rawLines(result)
  const maskAt = lines.indexOf(`::add-mask::${escapeData(value)}`)
  expect(maskAt).toBeGreaterThanOrEqual(0)
  expect(lines.slice(0, maskAt).filter((line) => line.includes(value))).toEqual([])
  for (const variant of secretVariants(value)) expect(result.log).not.toContain(variant)
  expect(result.summary).not.toContain(value)
}

// A token whose audience is the Management API, as the faulty server hands it out.
const managementToken = `e30.${Buffer.from(JSON.stringify({ aud: managementApi })).toString('base64url')}.sig`

describe.each(runners)('dist/index.js: app secret expiry (%s runner)', (runner) => {
  const step = (app: App, inputs: Record<string, string> = {}): Promise<Step> =>
    runAction({
      inputs: {
        endpoint: issuer.endpoint,
        'app-id': app.clientId,
        'app-secret': app.clientSecret,
        ...inputs
      },
      debug: true,
      runner
    })

  it('Management API token: secret-expires-at, an info line, every secret value masked', async () => {
    await fetch(`${issuer.endpoint}/__requests/reset`, { method: 'POST' })
    const result = await step(m2m)
    expect(result.code).toBe(0)
    const at = result.outputs['secret-expires-at']
    expect(at).toMatch(ISO)
    expect(result.log).toContain(
      `The app secret in use, "GitHub Actions", expires on ${at}, in 180 days.`
    )
    expect(result.annotations).toEqual([])
    for (const { value } of m2m.secrets) expectMaskedFirst(result, value)
    expect(result.summary).not.toContain('App secret')
    expect(await secretPaths()).toEqual(['/api/applications/m2m-app/secrets'])
  })

  it('within the window: a warning with name, date, days left and how to rotate; a summary row', async () => {
    const result = await step(expiring)
    expect(result.code).toBe(0)
    const at = result.outputs['secret-expires-at']
    expect(at).toMatch(ISO)
    const warnings = result.annotations.filter((a) => a.level === 'warning')
    expect(warnings.map((w) => w.message)).toEqual([
      `The app secret in use, "Release pipeline" of app expiring-app, expires on ${at}, in 10 ` +
        'days. Rotate it without downtime: in Logto Console (Applications → the app → App ' +
        'secrets) create a new secret, store its value in the GitHub secret that holds ' +
        'app-secret (gh secret set), and once the workflows run with it, delete "Release pipeline".'
    ])
    expect(result.summary).toContain(
      `| App secret | \`Release pipeline: expires on ${at}, in 10 days\` |`
    )
  })

  it('a larger secret-expiry-warning-days warns about a secret further away', async () => {
    const result = await step(m2m, { 'secret-expiry-warning-days': '200' })
    expect(result.code).toBe(0)
    expect(result.annotations.map((a) => a.message)).toEqual([
      expect.stringContaining('"GitHub Actions" of app m2m-app, expires on')
    ])
  })

  it('the legacy secret: empty secret-expires-at, a line saying it never expires', async () => {
    const result = await step(legacy)
    expect(result.code).toBe(0)
    expect(result.outputs['secret-expires-at']).toBe('')
    expect(result.log).toContain(
      "The app-secret in use is not in the app's list of secrets: it is app legacy-app's legacy " +
        'secret, which never expires.'
    )
    expectMaskedFirst(result, legacy.secrets[0].value)
  })

  it.each([
    [
      'a custom API token',
      { resource: productsApi, scope: 'read:products' },
      /it needs a Logto Management API token with scope all, and this token is for https:\/\/api\.example\.com\/products/
    ],
    [
      'secret-expiry-warning-days 0',
      { 'secret-expiry-warning-days': '0' },
      /secret-expiry-warning-days is 0\./
    ]
  ])(
    '%s: no request for the secrets, an empty output, a debug line why',
    async (_name, inputs, why) => {
      await fetch(`${issuer.endpoint}/__requests/reset`, { method: 'POST' })
      const result = await step(expiring, inputs)
      expect(result.code).toBe(0)
      expect(result.outputs['secret-expires-at']).toBe('')
      expect(result.annotations).toEqual([])
      expect(result.log).toMatch(
        new RegExp(`##\\[debug\\]No app secret expiry check: .*${why.source}`)
      )
      expect(await secretPaths()).toEqual([])
    }
  )

  it('refuses a bad secret-expiry-warning-days before any request', async () => {
    await fetch(`${issuer.endpoint}/__requests/reset`, { method: 'POST' })
    const result = await step(m2m, { 'secret-expiry-warning-days': '-5' })
    expect(result.code).toBe(1)
    expect(result.annotations.map((a) => a.message)).toEqual([
      'Input secret-expiry-warning-days "-5" is not accepted: use a whole number of days from 0 ' +
        'to 3650 (0 turns the check off).'
    ])
    expect(result.outputs).toEqual({})
    expect(await issuer.requests()).toEqual([])
  })
})

describe.each(runners)('dist/index.js: secrets answers that tell nothing (%s runner)', (runner) => {
  async function against(secrets: Behaviour, inputs: Record<string, string> = {}) {
    const server = await startFaultyServer([
      { status: 200, body: tokenBody({ access_token: managementToken, scope: 'all' }) },
      secrets
    ])
    try {
      const result = await runAction({
        inputs: {
          endpoint: server.endpoint,
          'app-id': 'm2m-app',
          'app-secret': m2m.clientSecret,
          timeout: '1',
          ...inputs
        },
        debug: true,
        runner
      })
      return { result, hits: server.hits }
    } finally {
      await server.close()
    }
  }

  it.each<[string, Behaviour, string]>([
    [
      '401',
      { status: 401, body: '{"code":"auth.unauthorized","message":"no"}' },
      'answered HTTP 401 (code auth.unauthorized: "no"); Logto did not accept the token'
    ],
    [
      '403',
      { status: 403, body: '{"code":"auth.forbidden"}' },
      'answered HTTP 403 (code auth.forbidden); the token lacks'
    ],
    [
      '404',
      { status: 404, body: '' },
      'answered HTTP 404; no such app, or a Logto older than 1.19'
    ],
    ['502', { status: 502, body: 'Bad gateway' }, 'answered HTTP 502.'],
    [
      'an HTML page',
      { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>' },
      "an HTML page, not Logto's API"
    ],
    [
      'a body that is not a list',
      { status: 200, body: '{"items":[]}' },
      'the answer is not a list of secrets'
    ],
    [
      'an entry with odd fields',
      {
        status: 200,
        body: JSON.stringify([{ name: 'CI', value: m2m.clientSecret, expiresAt: 'tomorrow' }])
      },
      'entry 1 of the list, the secret in use, has an expiresAt that is neither null'
    ],
    [
      'a body that never ends',
      { stallAfterHeaders: true },
      'got no answer (no complete answer within 1 s (input timeout))'
    ]
  ])(
    '%s: one request, one info line why, the step succeeds with an empty output',
    async (_name, behaviour, why) => {
      const { result, hits } = await against(behaviour)
      expect(result.code).toBe(0)
      expect(hits.map((h) => `${h.method} ${h.url}`)).toEqual([
        'POST /oidc/token',
        'GET /api/applications/m2m-app/secrets'
      ])
      expect(hits[1].headers.authorization).toBe(`Bearer ${managementToken}`)
      expect(result.outputs['secret-expires-at']).toBe('')
      expect(result.outputs['access-token']).toBe(managementToken)
      expect(result.annotations).toEqual([])
      const unknown = result.log
        .split('\n')
        .filter((line) => line.includes("The app secret's expiry is unknown"))
      expect(unknown).toHaveLength(1)
      expect(unknown[0]).toContain(why)
    }
  )

  it('an odd entry elsewhere does not hide the warning for the secret in use (tomorrow)', async () => {
    const { result } = await against({
      status: 200,
      body: JSON.stringify([
        { name: 'Broken', value: 'other-secret-0123456789', expiresAt: 'soon' },
        { name: 'CI', value: m2m.clientSecret, expiresAt: Date.now() + 86_400_000 }
      ])
    })
    expect(result.code).toBe(0)
    expect(result.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^The app secret in use, "CI" of app m2m-app, expires on .*, tomorrow\./
      )
    ])
    expect(result.log).toContain(
      'App secret expiry check: entry 1 of the list has an expiresAt that is neither null nor a ' +
        'time in epoch milliseconds; it is not the secret in use, so it is skipped.'
    )
    expect(result.outputs['secret-expires-at']).toMatch(ISO)
  })

  it('the worst list the 1 MiB cap allows keeps the step within timeout', async () => {
    const others = Array.from({ length: 10_000 }, (_, i) => ({
      name: `${i}`,
      value: `aaaaaaaaaab${i}`,
      expiresAt: null
    }))
    const name = `${'a'.repeat(440_000)} ${m2m.clientSecret}`
    const body = JSON.stringify([
      { name, value: m2m.clientSecret, expiresAt: Date.now() + 3 * 86_400_000 },
      ...others
    ])
    expect(body.length).toBeLessThan(1024 * 1024)
    const { result } = await against({ status: 200, body }, { timeout: '2' })
    expect(result.code).toBe(0)
    // The token at once, then one timeout at most for the whole check; the margin is Node's
    // start-up and ten thousand masks on a loaded machine (it used to take 22-38 s).
    expect(result.durationMs).toBeLessThan(2000 + 3000)
    expect(result.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^The app secret in use, "a{200}…" of app m2m-app, expires on .*, in 3 days\./
      )
    ])
  })

  it('a server that never answers keeps the step at most one more timeout', async () => {
    const { result } = await against({ stallAfterHeaders: true }, { timeout: '2', retries: '3' })
    expect(result.code).toBe(0)
    // The token (at once) plus one 2 s deadline, no retry; well under a second deadline more.
    expect(result.durationMs).toBeGreaterThanOrEqual(1900)
    expect(result.durationMs).toBeLessThan(3900)
  })

  it('server text never becomes a workflow command, and the list values are masked', async () => {
    const hostileName = `::error::INJECTED\n::add-mask::x\n##[warning]INJECTED\r%0A::notice::INJECTED`
    const { result } = await against({
      status: 200,
      body: JSON.stringify([
        { name: hostileName, value: m2m.clientSecret, expiresAt: Date.now() + 3 * 86_400_000 },
        { name: 'Other', value: 'other-secret-0123456789', expiresAt: null }
      ])
    })
    expect(result.code).toBe(0)
    const injected = rawLines(result).filter((line) => line.includes('INJECTED'))
    expect(injected.length).toBeGreaterThan(0)
    for (const line of injected) {
      expect(line).not.toMatch(/^\s*::(?!warning::The app secret in use)/)
      expect(line).not.toContain('##[')
    }
    expect(result.annotations.filter((a) => a.level !== 'warning')).toEqual([])
    const warnings = result.annotations.filter((a) => a.level === 'warning')
    // act runs a command's name to the last `::` of the line, so a warning whose text holds `::`
    // is command `warning::The` to it: no annotation, and nothing obeyed. On GitHub's runner only
    // what it would parse is broken up: `::` at the start, `##[` anywhere.
    const shown = warnings.map((w) => w.message.replace(/ of app m2m-app, expires on .*/s, ''))
    expect(shown).toEqual(
      runner === 'act'
        ? []
        : [
            'The app secret in use, ": :error::INJECTED ::add-mask::x # #[warning]INJECTED %0A::notice::INJECTED"'
          ]
    )
    expectMaskedFirst(result, 'other-secret-0123456789')
    expect(result.outputs['secret-expires-at']).toMatch(ISO)
  })

  // The token is known when the secrets request is sent; a reason phrase that echoes it used to
  // be cut at 200 characters unredacted, and the runner masks only the whole token.
  it('a 101 whose reason phrase is the token: no part of the token is printed', async () => {
    const long = `e30.${Buffer.from(JSON.stringify({ aud: managementApi, jti: 'J'.repeat(300) })).toString('base64url')}.sig`
    const server = await startFaultyServer([
      { status: 200, body: tokenBody({ access_token: long, scope: 'all' }) },
      { raw: `HTTP/1.1 101 ${long}\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n` }
    ])
    try {
      const result = await runAction({
        inputs: { endpoint: server.endpoint, 'app-id': 'm2m-app', 'app-secret': m2m.clientSecret },
        debug: true,
        runner
      })
      expect(result.code).toBe(0)
      expect(result.outputs['access-token']).toBe(long)
      const unknown = result.log.split('\n').filter((l) => l.includes('expiry is unknown'))
      expect(unknown).toEqual([
        expect.stringContaining('got no answer (the server answered HTTP 101 ***')
      ])
      const shown = rawLines(result).filter((l) => !l.startsWith('::add-mask::'))
      expect(shown.filter((l) => l.includes(long.slice(0, 40)))).toEqual([])
    } finally {
      await server.close()
    }
  })

  // Every value used to be masked: `e` and `a` from the server then hid those letters in every
  // later line of the job, with one ::add-mask:: line per value.
  it('a list of 20 000 short values: none masked, the warning still readable', async () => {
    const short = Array.from({ length: 20_000 }, (_, i) => ({
      name: 'n',
      value: ['e', 'a', 'Logto', 'secret', 'token', String(i)][i % 6],
      expiresAt: null
    }))
    const { result } = await against({
      status: 200,
      body: JSON.stringify([
        { name: 'CI', value: m2m.clientSecret, expiresAt: Date.now() + 3 * 86_400_000 },
        { name: 'Other', value: 'other-secret-0123456789', expiresAt: null },
        ...short
      ])
    })
    expect(result.code).toBe(0)
    const masks = rawLines(result).filter((l) => l.startsWith('::add-mask::'))
    expect(masks).toContain('::add-mask::other-secret-0123456789')
    expect(masks.length).toBeLessThan(10)
    expect(result.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^The app secret in use, "CI" of app m2m-app, expires on .*, in 3 days\./
      )
    ])
  })

  it('a 403 body with workflow commands is quoted, not obeyed', async () => {
    const { result } = await against({
      status: 403,
      body: JSON.stringify({ code: '::error::INJECTED', message: '\n::warning::INJECTED\n' })
    })
    expect(result.code).toBe(0)
    expect(result.annotations).toEqual([])
    for (const line of rawLines(result).filter((l) => l.includes('INJECTED'))) {
      expect(line).not.toMatch(/^\s*::/)
    }
  })
})
