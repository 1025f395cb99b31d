/**
 * run() against the embedded Logto-compatible issuer, with @actions/core replaced by a recorder
 * so the order of masking, outputs and failure can be asserted.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cancelMessage } from '../src/cancel.js'
import { basicCredential, formEncode } from '../src/token-request.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { decodeJwtSegment } from '../tools/issuer/jwt.js'
import { startFaultyServer, tokenBody } from './support/faulty-server.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

type Call = [string, ...unknown[]]
const calls: Call[] = []
let inputs: Record<string, string> = {}
// Runs after each recorded call, for tests that act at a given point of run().
let onCall: ((name: string) => void) | undefined
const record =
  (name: string) =>
  (...args: unknown[]): void => {
    calls.push([name, ...args])
    onCall?.(name)
  }
const summaryWrites: string[] = []
let summaryError: Error | undefined

jest.unstable_mockModule('@actions/core', () => ({
  getInput: (name: string) => inputs[name] ?? '',
  setSecret: record('setSecret'),
  setOutput: record('setOutput'),
  exportVariable: record('exportVariable'),
  setFailed: record('setFailed'),
  warning: record('warning'),
  info: record('info'),
  debug: record('debug'),
  summary: {
    addRaw(text: string) {
      summaryWrites.push(text)
      return this
    },
    write: async () => {
      onCall?.('summary.write')
      if (summaryError) throw summaryError
    }
  }
}))
const { run } = await import('../src/main.js')

let issuer: IssuerProcess
const { m2m, spa, quota } = fixtures.apps
const secret = m2m.clientSecret
const managementApi = fixtures.resources.management.indicator
const productsApi = fixtures.resources.products.indicator
// The runner's files must exist (run() checks them first); the recorder never writes to them.
const runnerDir = mkdtempSync(join(tmpdir(), 'main-test-'))
const runnerEnv = {
  GITHUB_OUTPUT: join(runnerDir, 'output'),
  GITHUB_ENV: join(runnerDir, 'env')
}
const saved = { GITHUB_OUTPUT: process.env.GITHUB_OUTPUT, GITHUB_ENV: process.env.GITHUB_ENV }
beforeAll(async () => {
  for (const file of Object.values(runnerEnv)) writeFileSync(file, '')
  Object.assign(process.env, runnerEnv)
  issuer = await startIssuerProcess()
})
afterAll(async () => {
  await issuer.close()
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) Reflect.deleteProperty(process.env, name)
    else process.env[name] = value
  }
  rmSync(runnerDir, { recursive: true, force: true })
})
beforeEach(async () => {
  calls.length = 0
  summaryWrites.length = 0
  onCall = undefined
  summaryError = undefined
  await fetch(`${issuer.endpoint}/__requests/reset`, { method: 'POST' })
})

async function runWith(extra: Record<string, string>): Promise<void> {
  inputs = { endpoint: issuer.endpoint, 'app-id': m2m.clientId, 'app-secret': secret, ...extra }
  await run()
}
/** runWith where the runner names `summaryFile` in GITHUB_STEP_SUMMARY. */
async function runWithSummary(summaryFile: string, extra: Record<string, string>): Promise<void> {
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  try {
    await runWith(extra)
  } finally {
    delete process.env.GITHUB_STEP_SUMMARY
  }
}
const named = (name: string) => calls.filter((c) => c[0] === name)
const outputs = (): Record<string, string> =>
  Object.fromEntries(named('setOutput').map(([, k, v]) => [k as string, v as string]))
const failure = () => named('setFailed')[0]?.[1] as string | undefined
const tokenRequests = async () =>
  (await issuer.requests()).filter((r) => (r as { path: string }).path === '/oidc/token')

/** Every call that carries `value` comes after the call that masks it. */
function expectMaskedBeforeUse(value: string): void {
  const maskAt = calls.findIndex((c) => c[0] === 'setSecret' && c[1] === value)
  expect(maskAt).toBeGreaterThanOrEqual(0)
  calls.forEach((c, i) => {
    if (i < maskAt) expect(JSON.stringify(c)).not.toContain(value)
  })
}

const payload = (token: string) => decodeJwtSegment(token, 1)

describe('run() against the Logto-compatible issuer', () => {
  it('gets a Management API token with scope all in one request, masked before use', async () => {
    await runWithSummary('/dev/null', {})
    expect(failure()).toBeUndefined()
    expect(calls[0]).toEqual(['setSecret', secret])
    const out = outputs()
    expect(out).toMatchObject({
      'token-type': 'Bearer',
      'expires-in': '3600',
      scope: 'all',
      audience: managementApi
    })
    expect(Date.parse(out['expires-at'])).toBeGreaterThan(Date.now() + 3500_000)
    const token = out['access-token']
    expect(payload(token)).toMatchObject({ aud: managementApi, scope: 'all' })
    expectMaskedBeforeUse(token)
    expectMaskedBeforeUse(secret)
    expect(named('exportVariable')).toEqual([['exportVariable', 'LOGTO_ACCESS_TOKEN', token]])
    expect(await tokenRequests()).toHaveLength(1)
    expect(summaryWrites).toHaveLength(1)
    expect(summaryWrites[0]).not.toContain(token)
    expect(summaryWrites[0]).toContain(m2m.clientId)
  })

  it.each(['client_secret_basic', 'client_secret_post'])(
    'gets a custom API token with read:products write:products (%s)',
    async (method) => {
      await runWith({
        resource: productsApi,
        scope: 'read:products, write:products',
        'auth-method': method,
        'env-name': 'PRODUCTS_TOKEN'
      })
      expect(failure()).toBeUndefined()
      expect(outputs()).toMatchObject({
        scope: 'read:products write:products',
        audience: productsApi
      })
      expect(named('exportVariable')[0][1]).toBe('PRODUCTS_TOKEN')
      const [request] = (await tokenRequests()) as { hasAuthorization: boolean }[]
      expect(request.hasAuthorization).toBe(method === 'client_secret_basic')
    }
  )

  it('gets an organization token for a member organization', async () => {
    await runWith({ 'organization-id': 'org-1', scope: 'read:members' })
    expect(failure()).toBeUndefined()
    expect(outputs()).toMatchObject({
      audience: 'urn:logto:organization:org-1',
      scope: 'read:members'
    })
  })

  it('gets an organization-level API resource token with the scopes of the organization role', async () => {
    await runWith({
      'organization-id': 'org-1',
      resource: productsApi,
      scope: 'read:products'
    })
    expect(failure()).toBeUndefined()
    expect(outputs()).toMatchObject({
      audience: productsApi,
      scope: 'read:products'
    })
    const token = outputs()['access-token']
    expect(payload(token)).toMatchObject({
      aud: productsApi,
      scope: 'read:products'
    })
    expectMaskedBeforeUse(token)
  })

  it('fails when the organization role grants none of the requested API resource scopes', async () => {
    // The app's own roles grant write:products; an organization token must not borrow them.
    await runWith({
      'organization-id': 'org-1',
      resource: productsApi,
      scope: 'write:products'
    })
    expect(failure()).toMatch(
      /Logto did not grant scope "write:products".*an organization role that grants it \(on resource https:\/\/api\.example\.com\/products\) to app m2m-app in organization org-1/
    )
    expect(named('setOutput')).toEqual([])
  })

  it('with export-env false exports nothing but still sets outputs', async () => {
    await runWith({ 'export-env': 'false' })
    expect(named('exportVariable')).toEqual([])
    expect(outputs()['access-token']).toBeTruthy()
    expect(named('info').map((c) => String(c[1]))).toEqual([
      `Got a Bearer token for ${managementApi} with scope "all", expiring ${outputs()['expires-at']}.`,
      `The app secret in use, "GitHub Actions", expires on ${outputs()['secret-expires-at']}, in 180 days.`
    ])
  })

  it('with summary false writes no summary, even where the runner has a summary file', async () => {
    const summaryFile = join(runnerDir, 'summary.md')
    writeFileSync(summaryFile, '')
    await runWithSummary(summaryFile, { summary: 'false' })
    expect(failure()).toBeUndefined()
    expect(summaryWrites).toEqual([])
  })

  it('without a summary file writes none and says so in the debug log; no warning', async () => {
    await runWith({})
    expect(failure()).toBeUndefined()
    expect(summaryWrites).toEqual([])
    expect(named('debug').map((c) => c[1])).toContain(
      'No GITHUB_STEP_SUMMARY file; skipping the job summary.'
    )
    expect(named('warning')).toEqual([])
  })

  it('masks no empty secret: an empty app-secret fails before any mask', async () => {
    await runWith({ 'app-secret': '' })
    expect(failure()).toMatch(/^Input app-secret is required but empty/)
    expect(named('setSecret')).toEqual([])
  })

  it.each(['abc::defghijklmnop', ':abcdefghijklmnop', 'abc%0Adefghijklmnop', 'abc\ndefghijklmnop'])(
    'refuses app-secret %j before any mask, since act could not mask it',
    async (value) => {
      await runWith({ 'app-secret': value })
      expect(failure()).toBe(
        'Input app-secret holds "::", "%0A", "%0D" or a line break (which its form encoding ' +
          'writes as %0A or %0D), or starts with ":", which act-based runners cannot mask: they ' +
          "would print it, or mask another value. Logto's app secrets never do: check that " +
          'app-secret is the secret shown for the app in the Logto Console.'
      )
      expect(named('setSecret')).toEqual([])
    }
  )

  it('warns about scopes Logto dropped when fail-on-missing-scopes is false', async () => {
    await runWith({
      resource: productsApi,
      scope: 'read:products delete:products',
      'fail-on-missing-scopes': 'false'
    })
    expect(failure()).toBeUndefined()
    expect(named('warning')[0][1]).toContain('Logto did not grant scope "delete:products"')
    expect(named('warning')[0][1]).toContain('to app m2m-app')
    // It goes on as told, so the advice is only to assign the role.
    expect(named('warning')[0][1]).toMatch(/in Logto Console\.$/)
    expect(named('warning')[0][1]).not.toContain('fail-on-missing-scopes')
    expect(outputs().scope).toBe('read:products')
  })

  it('cuts the token and every secret form out of server values: outputs, log and summary', async () => {
    const appSecret = 'first##[s3c0nd'
    const basic = basicCredential(m2m.clientId, appSecret)
    const aud = `https://api.example.com ${appSecret}`
    const token = `eyJhbGciOiJFUzM4NCJ9.${Buffer.from(JSON.stringify({ aud })).toString('base64url')}.sig`
    const server = await startFaultyServer([
      {
        status: 200,
        body: tokenBody({
          access_token: token,
          token_type: `Bearer ${formEncode(appSecret)}`,
          expires_in: `soon ${appSecret}`,
          scope: `read ${token}\n${basic}`
        })
      }
    ])
    try {
      await runWithSummary('/dev/null', {
        endpoint: server.endpoint,
        'app-secret': appSecret,
        resource: 'https://api.example.com',
        scope: 'read'
      })
    } finally {
      await server.close()
    }
    expect(failure()).toBeUndefined()
    expect(outputs()).toMatchObject({
      'access-token': token,
      'token-type': 'Bearer ***',
      scope: 'read *** ***',
      audience: 'https://api.example.com ***',
      'expires-in': ''
    })
    // Every call but the masks and the two that hand the token over, and the summary.
    const handOver = (c: Call) =>
      c[0] === 'setSecret' || c[1] === 'access-token' || c[0] === 'exportVariable'
    const shown = [...calls.filter((c) => !handOver(c)), ...summaryWrites]
    for (const form of [token, basic, 's3c0nd']) expect(JSON.stringify(shown)).not.toContain(form)
    expect(summaryWrites[0]).toContain('| Granted scopes | `read *** ***` |')
  })

  it('says when a token comes with no scope at all', async () => {
    const server = await startFaultyServer([{ status: 200, body: tokenBody({ scope: undefined }) }])
    try {
      await runWith({ endpoint: server.endpoint, resource: 'https://api.example.com' })
    } finally {
      await server.close()
    }
    expect(failure()).toBeUndefined()
    expect(named('info').map((c) => String(c[1]))).toEqual([
      `Got a Bearer token for https://api.example.com with no scope, expiring ${outputs()['expires-at']}; exported as LOGTO_ACCESS_TOKEN.`
    ])
  })

  it('warns, and still succeeds, when the job summary cannot be written', async () => {
    summaryError = new Error('disk full')
    await runWithSummary('/dev/null', {})
    expect(failure()).toBeUndefined()
    expect(outputs()['access-token']).toBeTruthy()
    expect(named('warning').map((c) => c[1])).toEqual([
      'Could not write the job summary: disk full'
    ])
  })

  it('a granted scope of 8 000 backtick runs (near the 16 KiB scope cap): the step succeeds, the summary fences it', async () => {
    const scope = `read ${'`a'.repeat(8_000)}`
    const server = await startFaultyServer([{ status: 200, body: tokenBody({ scope }) }])
    try {
      await runWithSummary('/dev/null', {
        endpoint: server.endpoint,
        resource: 'https://api.example.com',
        scope: 'read'
      })
    } finally {
      await server.close()
    }
    expect(failure()).toBeUndefined()
    expect(named('warning')).toEqual([])
    expect(outputs().scope).toBe(scope)
    expect(summaryWrites).toHaveLength(1)
    // The longest run is one backtick: a fence of two, and the scope inside it as it is.
    expect(summaryWrites[0]).toContain(`| Granted scopes | \`\`${scope}\`\` |`)
  })

  // The hand-over is the last thing that can fail: every line after it is built before it.
  it.each([
    ['info', 'Could not write a log line: EPIPE'],
    ['summary.write', 'Could not write the job summary: EPIPE']
  ])(
    'a %s that throws after the outputs are set is a warning, never a failure',
    async (at, warning) => {
      onCall = (name) => {
        if (name === at) throw new Error('EPIPE')
      }
      await runWithSummary('/dev/null', {})
      expect(failure()).toBeUndefined()
      expect(outputs()['access-token']).toBeTruthy()
      expect([...new Set(named('warning').map((c) => c[1]))]).toEqual([warning])
    }
  )

  it('even when every line and warning after the hand-over throws, the step does not fail', async () => {
    let set = false
    onCall = (name) => {
      if (name === 'exportVariable') set = true
      if (set && (name === 'info' || name === 'warning' || name === 'debug')) {
        throw new Error('EPIPE')
      }
    }
    await runWith({ 'secret-expiry-warning-days': '200' })
    expect(failure()).toBeUndefined()
    expect(outputs()['access-token']).toBeTruthy()
    expect(named('exportVariable')).toHaveLength(1)
  })

  it.each([
    ['info', 'Could not write a log line: EPIPE', new Error('EPIPE')],
    ['warning', 'Could not write a warning: EPIPE', new Error('EPIPE')],
    ['info', 'Could not write a log line: undefined', undefined]
  ])(
    'when writing %s after the hand-over throws, the warning %j says so',
    async (level, warning, thrown) => {
      let set = false
      let thrownOnce = false
      onCall = (name) => {
        if (name === 'exportVariable') set = true
        if (set && name === level && !thrownOnce) {
          thrownOnce = true
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a write may throw is untyped
          throw thrown
        }
      }
      await runWith({ 'secret-expiry-warning-days': '200' })
      expect(failure()).toBeUndefined()
      expect(thrownOnce).toBe(true)
      expect(named('warning').map((c) => c[1])).toContain(warning)
    }
  )

  it('with summary false and no summary file, says nothing of the file', async () => {
    await runWith({ summary: 'false' })
    expect(failure()).toBeUndefined()
    expect(summaryWrites).toEqual([])
    expect(named('debug').map((c) => String(c[1]))).not.toContainEqual(
      expect.stringContaining('GITHUB_STEP_SUMMARY')
    )
  })

  it.each([
    [
      'GITHUB_ENV refuses the variable',
      'exportVariable',
      'variable LOGTO_ACCESS_TOKEN',
      'GITHUB_ENV'
    ],
    ['GITHUB_OUTPUT refuses an output', 'setOutput', 'output access-token', 'GITHUB_OUTPUT']
  ])(
    '%s: fails naming it and its file, every runner file as it was',
    async (_n, at, what, file) => {
      // The recorder writes nothing, so the calls stand in for core's appends.
      writeFileSync(runnerEnv.GITHUB_OUTPUT, 'earlier=kept\n')
      writeFileSync(runnerEnv.GITHUB_ENV, '')
      onCall = (name) => {
        if (name === 'setOutput') appendFileSync(runnerEnv.GITHUB_OUTPUT, 'out<<x\nvalue\nx\n')
        if (name === 'exportVariable') appendFileSync(runnerEnv.GITHUB_ENV, 'ENV<<x\nvalue\nx\n')
        if (name === at) throw new Error('ENOSPC: no space left on device, write')
      }
      await runWithSummary('/dev/null', {})
      expect(failure()).toBe(
        `Could not set ${what}: writing to ${file} (${JSON.stringify(runnerEnv[file as 'GITHUB_ENV'])}) ` +
          'failed: ENOSPC: no space left on device, write. Nothing was set: every runner file is ' +
          'as it was before.'
      )
      expect(readFileSync(runnerEnv.GITHUB_OUTPUT, 'utf8')).toBe('earlier=kept\n')
      expect(readFileSync(runnerEnv.GITHUB_ENV, 'utf8')).toBe('')
      expect(named('info')).toEqual([])
      expect(summaryWrites).toEqual([])
      writeFileSync(runnerEnv.GITHUB_OUTPUT, '')
    }
  )

  it('masks the secret before it fails on another input', async () => {
    await runWith({ timeout: 'ten' })
    expect(calls.map((c) => c[0])).toEqual(['setSecret', 'setFailed'])
    expect(calls[0]).toEqual(['setSecret', secret])
    expect(await tokenRequests()).toHaveLength(0)
  })

  it.each([
    ['before any output, during the request', 'setSecret', false],
    ['after the outputs, during the job summary', 'summary.write', true]
  ])('on cancellation %s says where it stopped and exits', async (_name, at, handedOver) => {
    const codes: unknown[] = []
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: unknown) => {
      codes.push(code)
    }) as never)
    let sent = false
    onCall = (name) => {
      if (name !== at || sent) return
      sent = true
      process.emit('SIGTERM', 'SIGTERM')
    }
    try {
      await runWithSummary('/dev/null', {})
    } finally {
      exit.mockRestore()
    }
    expect(codes).toEqual([143])
    expect(named('info').map((c) => c[1])).toContain(cancelMessage('SIGTERM', handedOver))
  })

  it('leaves no signal listener behind', async () => {
    const before = process.listenerCount('SIGTERM') + process.listenerCount('SIGINT')
    await runWith({})
    expect(process.listenerCount('SIGTERM') + process.listenerCount('SIGINT')).toBe(before)
  })

  it.each([
    [
      'a scope the app has no role for',
      { resource: productsApi, scope: 'read:products delete:products' },
      /Logto did not grant scope "delete:products".*to app m2m-app/
    ],
    [
      'a wrong secret',
      { 'app-secret': 'wrong-secret-for-m2m' },
      /HTTP 401 invalid_client.*app-secret is wrong for app m2m-app/
    ],
    [
      'an unknown app',
      { 'app-id': 'nope', 'app-secret': 'secret-of-no-app' },
      /HTTP 400 invalid_client \("invalid client.*No app nope exists at/
    ],
    [
      'an app that is not machine-to-machine',
      { 'app-id': spa.clientId, 'app-secret': spa.clientSecret },
      /HTTP 400 invalid_request \("requested grant type is not allowed for this client".*App spa-app is not a machine-to-machine app/
    ],
    [
      'a resource with a trailing slash',
      { resource: `${productsApi}/` },
      /HTTP 400 invalid_target.*resource "https:\/\/api\.example\.com\/products\/" must equal an API identifier in Logto exactly \(a trailing slash matters\)/
    ],
    [
      'an organization the app is not in',
      { 'organization-id': 'org-2' },
      /HTTP 403 access_denied.*App m2m-app is not a member of organization org-2/
    ],
    [
      "Logto Cloud's token quota",
      { 'app-id': quota.clientId, 'app-secret': quota.clientSecret },
      /after 1 attempt: HTTP 429 \(code auth\.exceed_token_limit\).*token quota; retrying will not help/
    ]
  ])('fails on %s with the cause and fix, setting nothing', async (_name, extra, message) => {
    await runWith(extra)
    expect(failure()).toMatch(message)
    expect(named('setOutput')).toEqual([])
    expect(named('exportVariable')).toEqual([])
    // The secret this row sent, which is not the fixture secret where the row replaces it.
    const used = inputs['app-secret']
    expect(calls[0]).toEqual(['setSecret', used])
    const spoken = calls.filter((c) => c[0] !== 'setSecret')
    expect(JSON.stringify(spoken)).not.toContain(JSON.stringify(used).slice(1, -1))
  })

  it('says an expired secret has expired, and how to replace it', async () => {
    await runWith({ 'app-id': 'expired-app', 'app-secret': 'expired-secret' })
    expect(failure()).toBe(
      'Logto refused the token request after 1 attempt: HTTP 400 invalid_request ("client ' +
        'secret has expired", code oidc.invalid_request). The app-secret of app expired-app has ' +
        'expired: create a new secret for the app in Logto Console (Applications → your app → ' +
        'App secrets) and update the repository or environment secret that holds it.'
    )
  })

  it('masks every form of the secret that goes on the wire before the request', async () => {
    await runWith({})
    const masked = named('setSecret').map((c) => c[1])
    const encoded = 'm2m-secret%2B%25%3A%2F%3D%26x+y'
    const basic = Buffer.from(`m2m-app:${encoded}`).toString('base64')
    expect(masked.slice(0, 3)).toEqual([secret, encoded, basic])
    const lastMask = calls.map((c) => c[0]).lastIndexOf('setSecret')
    const requestAt = calls.findIndex((c) => c[0] === 'debug' && String(c[1]).startsWith('POST'))
    // The token's own mask comes after the request; the secret's forms all come before it.
    expect(calls.findIndex((c) => c[0] === 'setSecret' && c[1] === basic)).toBeLessThan(requestAt)
    expect(lastMask).toBeGreaterThan(requestAt)
  })

  it('warns before the request when a Cloud Management API token is asked through another host', async () => {
    await runWith({ resource: 'https://acme.logto.app/api' })
    const warnings = named('warning').map((c) => c[1] as string)
    expect(warnings[0]).toContain('Logto Cloud only accepts Management API tokens issued by')
    expect(warnings[0]).toContain('set tenant-id: acme')
    const warnedAt = calls.findIndex((c) => c[0] === 'warning')
    const requestAt = calls.findIndex((c) => c[0] === 'debug' && String(c[1]).startsWith('POST'))
    expect(warnedAt).toBeLessThan(requestAt)
    expect(named('setOutput')).toEqual([])
  })

  it.each([
    [{ retries: 'x' }, /Input retries "x"/],
    [{ timeout: '0' }, /Input timeout "0"/],
    [{ 'export-env': 'yes' }, /Input export-env "yes" is not a boolean/],
    [{ 'auth-method': 'both' }, /Input auth-method "both"/],
    [{ endpoint: 'not a url' }, /Input endpoint "not a url" is not a URL/],
    [
      { 'app-secret': '' },
      /Input app-secret is required but empty.*forks get no secrets, Dependabot runs get only Dependabot secrets/
    ],
    [{ 'app-id': '' }, /Input app-id is required but empty/]
  ])('refuses %j before any request', async (extra, message) => {
    await runWith(extra)
    expect(failure()).toMatch(message)
    expect(await tokenRequests()).toHaveLength(0)
    expect(named('setOutput')).toEqual([])
  })

  it('fails before masking or any request when GITHUB_OUTPUT is missing, naming it', async () => {
    delete process.env.GITHUB_OUTPUT
    try {
      await runWith({})
    } finally {
      process.env.GITHUB_OUTPUT = runnerEnv.GITHUB_OUTPUT
    }
    expect(failure()).toMatch(/^GITHUB_OUTPUT is not set\. .*GitHub Actions-compatible runner/)
    // Outside a runner ::add-mask:: would itself print the secret.
    expect(named('setSecret')).toEqual([])
    expect(await tokenRequests()).toHaveLength(0)
  })

  it('warns before the request about a summary file it cannot write, then skips the summary', async () => {
    await runWithSummary(join(runnerDir, 'missing', 'summary.md'), {})
    expect(failure()).toBeUndefined()
    const warnedAt = calls.findIndex((c) => c[0] === 'warning')
    const requestAt = calls.findIndex((c) => c[0] === 'debug' && String(c[1]).startsWith('POST'))
    expect(String(calls[warnedAt][1])).toMatch(/^GITHUB_STEP_SUMMARY names ".*", which does not/)
    expect(warnedAt).toBeLessThan(requestAt)
    expect(summaryWrites).toEqual([])
    expect(outputs()['access-token']).toBeTruthy()
  })

  it('says each retry, what failed and how long it waits, then succeeds', async () => {
    const server = await startFaultyServer([
      { status: 503, body: '{"error":"temporarily_unavailable"}' },
      { status: 200, body: tokenBody({ scope: 'read' }) }
    ])
    try {
      await runWith({
        endpoint: server.endpoint,
        resource: 'https://api.example.com',
        scope: 'read',
        retries: '1'
      })
    } finally {
      await server.close()
    }
    expect(failure()).toBeUndefined()
    // The backoff really waits: at least half of the first one-second step.
    expect(server.hits[1].at - server.hits[0].at).toBeGreaterThanOrEqual(450)
    const infos = named('info').map((c) => String(c[1]))
    expect(infos[0]).toMatch(
      /^Attempt 1 of 2 failed \(HTTP 503\); retrying in (0\.[5-9]|1\.0) s\.$/
    )
    expect(infos[1]).toMatch(
      /^Got a Bearer token for https:\/\/api\.example\.com with scope "read"/
    )
    expect(outputs()).toMatchObject({ scope: 'read', 'expires-in': '3600' })
  })

  it('warns about an unusable expires_in and leaves expiry empty', async () => {
    const server = await startFaultyServer([
      { status: 200, body: tokenBody({ expires_in: 'soon' }) }
    ])
    try {
      await runWith({
        endpoint: server.endpoint,
        resource: 'https://api.example.com',
        scope: 'read'
      })
    } finally {
      await server.close()
    }
    expect(failure()).toBeUndefined()
    expect(named('warning').map((c) => c[1])).toEqual([
      expect.stringContaining('no usable expires_in ("soon" is not a whole number of seconds)')
    ])
    expect(outputs()).toMatchObject({ 'expires-in': '', 'expires-at': '' })
    expect(named('info').map((c) => String(c[1]))).toEqual([
      'Got a Bearer token for https://api.example.com with scope "read"; exported as LOGTO_ACCESS_TOKEN.'
    ])
  })

  it('reads the expiry of the secret in use before setting the outputs, all together', async () => {
    await runWith({})
    expect(failure()).toBeUndefined()
    const secretsAt = calls.findIndex((c) => c[0] === 'debug' && /\/secrets /.test(String(c[1])))
    const firstOutput = calls.findIndex((c) => c[0] === 'setOutput')
    expect(secretsAt).toBeGreaterThanOrEqual(0)
    expect(secretsAt).toBeLessThan(firstOutput)
    expect(named('setOutput').map((c) => c[1])).toEqual([
      'access-token',
      'token-type',
      'expires-in',
      'expires-at',
      'scope',
      'audience',
      'secret-expires-at'
    ])
    const expiresAt = Date.parse(outputs()['secret-expires-at'])
    expect(expiresAt - Date.now()).toBeGreaterThan(180 * 24 * 3600_000 - 60_000)
    // Every value of the list is masked, before any output or log line.
    for (const { value } of m2m.secrets) expectMaskedBeforeUse(value)
    const masksAt = m2m.secrets.map(({ value }) =>
      calls.findIndex((c) => c[0] === 'setSecret' && c[1] === value)
    )
    for (const at of masksAt) expect(at).toBeLessThan(firstOutput)
  })

  it('within secret-expiry-warning-days: a warning and a job summary row', async () => {
    const { expiring } = fixtures.apps
    await runWithSummary('/dev/null', {
      'app-id': expiring.clientId,
      'app-secret': expiring.clientSecret
    })
    expect(failure()).toBeUndefined()
    const at = outputs()['secret-expires-at']
    expect(named('warning').map((c) => c[1])).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The app secret in use, "Release pipeline" of app expiring-app, expires on ${at.replace(/\./g, '\\.')}, in 10 days\\. Rotate it without downtime`
        )
      )
    ])
    expect(summaryWrites[0]).toContain(
      `| App secret | \`Release pipeline: expires on ${at}, in 10 days\` |`
    )
  })

  it('outside the window: no summary row, no warning', async () => {
    await runWithSummary('/dev/null', {})
    expect(named('warning')).toEqual([])
    expect(summaryWrites[0]).not.toContain('App secret')
  })

  it.each([
    ['a custom API token', { resource: productsApi, scope: 'read:products' }],
    ['the check turned off', { 'secret-expiry-warning-days': '0' }]
  ])('%s: no secrets request, an empty secret-expires-at, a debug line', async (_name, extra) => {
    await runWith(extra)
    expect(failure()).toBeUndefined()
    expect(outputs()['secret-expires-at']).toBe('')
    expect(named('debug').map((c) => String(c[1]))).toContainEqual(
      expect.stringMatching(/^No app secret expiry check: /)
    )
    const paths = (await issuer.requests()).map((r) => (r as { path: string }).path)
    expect(paths).toEqual(['/oidc/token'])
  })

  it('an invalid secret-expiry-warning-days fails before any request', async () => {
    await runWith({ 'secret-expiry-warning-days': '31 days' })
    expect(failure()).toBe(
      'Input secret-expiry-warning-days "31 days" is not accepted: use a whole number of days ' +
        'from 0 to 3650 (0 turns the check off).'
    )
    expect(await issuer.requests()).toEqual([])
  })
})
