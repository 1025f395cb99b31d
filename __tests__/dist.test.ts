/**
 * The committed dist/index.js, run in a child process the way the runner runs it (INPUT_* with
 * hyphens kept, file commands, RUNNER_DEBUG=1), against the embedded issuer and a faulty server;
 * every case runs twice, as GitHub's actions/runner and as act-based runners (act, Gitea's
 * act_runner, the Forgejo runner) run it. See scripts/lib/runner.js for the differences.
 * dist.windows-eol.test.ts runs these tests again with Windows' line ending.
 */
import { EOL } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, secretVariants, type RunnerKind } from '../scripts/lib/runner.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { decodeJwtSegment } from '../tools/issuer/jwt.js'
import { startFaultyServer, tokenBody, type Behaviour } from './support/faulty-server.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

const { m2m, spa, quota } = fixtures.apps
const secret = m2m.clientSecret
const managementApi = fixtures.resources.management.indicator
const productsApi = fixtures.resources.products.indicator
// The line ending @actions/core writes in the action's process (see runAction's windowsEol).
const eol = process.env.SIMULATE_WINDOWS_EOL === '1' ? '\r\n' : EOL
let issuer: IssuerProcess
beforeAll(async () => {
  issuer = await startIssuerProcess()
})
afterAll(async () => {
  await issuer.close()
})

type Step = Awaited<ReturnType<typeof runAction>>

const runners: RunnerKind[] = ['github', 'act']

function stepAs(
  runner: RunnerKind,
  inputs: Record<string, string>,
  endpoint = issuer.endpoint
): Promise<Step> {
  return runAction({
    inputs: { endpoint, 'app-id': m2m.clientId, 'app-secret': secret, ...inputs },
    debug: true,
    runner
  })
}

/** Workflow command data as @actions/core escapes it. */
const escapeData = (value: string): string =>
  value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

/**
 * The action masks `value`, and no output line (as the runner reads them, in arrival order)
 * carries it before that; nor do the shown log and the summary.
 */
function expectNeverLeaked(result: Step, value: string): void {
  const lines = result.lines.map(({ line }) => line)
  const maskAt = lines.indexOf(`::add-mask::${escapeData(value)}`)
  expect(maskAt).toBeGreaterThanOrEqual(0)
  expect(lines.slice(0, maskAt).filter((line) => line.includes(value))).toEqual([])
  // act masks the exact value only, so no encoded form of it may be printed either.
  for (const variant of secretVariants(value)) expect(result.log).not.toContain(variant)
  expect(result.summary).not.toContain(value)
}

const jwtPayload = (token: string) => decodeJwtSegment(token, 1)

describe.each(runners)('dist/index.js as the %s runner runs it', (runner) => {
  const step = (inputs: Record<string, string>) => stepAs(runner, inputs)

  it('Management API: outputs, exported variable, summary; secret then token masked first', async () => {
    const result = await step({})
    expect(result.code).toBe(0)
    const token = result.outputs['access-token']
    expect(jwtPayload(token)).toMatchObject({ aud: managementApi, scope: 'all' })
    expect(result.outputs).toMatchObject({
      'token-type': 'Bearer',
      'expires-in': '3600',
      scope: 'all',
      audience: managementApi
    })
    expect(result.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(result.env).toEqual({ LOGTO_ACCESS_TOKEN: token })
    expect(result.stdout.startsWith(`::add-mask::${escapeData(secret)}${eol}`)).toBe(true)
    expectNeverLeaked(result, secret)
    expectNeverLeaked(result, token)
    expect(result.log).toContain('##[debug]POST')
    expect(result.summary).toContain('| Granted scopes | `all` |')
    const whoami = await fetch(`${issuer.endpoint}/api/whoami`, {
      headers: { Authorization: `Bearer ${result.env.LOGTO_ACCESS_TOKEN}` }
    })
    expect(await whoami.json()).toMatchObject({ aud: managementApi })
  })

  it('custom API with read:products write:products', async () => {
    const result = await step({
      resource: productsApi,
      scope: 'read:products write:products',
      'env-name': 'API_TOKEN'
    })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({
      scope: 'read:products write:products',
      audience: productsApi
    })
    expect(Object.keys(result.env)).toEqual(['API_TOKEN'])
    expectNeverLeaked(result, result.outputs['access-token'])
    expectNeverLeaked(result, secret)
  })

  it.each([
    [
      'wrong secret',
      { 'app-secret': 'not-the-secret' },
      /HTTP 401 invalid_client.*app-secret is wrong/
    ],
    ['unknown app', { 'app-id': 'ghost' }, /HTTP 400 invalid_client.*No app ghost exists/],
    [
      'not an M2M app',
      { 'app-id': spa.clientId, 'app-secret': spa.clientSecret },
      /requested grant type is not allowed.*not a machine-to-machine app/
    ],
    [
      'unknown resource',
      { resource: `${productsApi}/` },
      /invalid_target.*"https:\/\/api\.example\.com\/products\/" must equal an API identifier/
    ],
    [
      'organization without membership',
      { 'organization-id': 'org-2' },
      /HTTP 403 access_denied.*not a member of organization org-2/
    ],
    [
      'token quota',
      { 'app-id': quota.clientId, 'app-secret': quota.clientSecret },
      /HTTP 429 \(code auth\.exceed_token_limit\)/
    ],
    [
      'missing scope',
      { resource: productsApi, scope: 'delete:products' },
      /Logto did not grant scope "delete:products"/
    ],
    ['invalid retries', { retries: 'many' }, /Input retries "many" is not accepted/],
    ['invalid boolean', { summary: 'yes' }, /Input summary "yes" is not a boolean/],
    ['empty secret', { 'app-secret': '' }, /Input app-secret is required but empty/]
  ])('%s: exit 1, a clear error, no outputs, nothing leaked', async (_name, inputs, message) => {
    const result = await step(inputs)
    expect(result.code).toBe(1)
    const errors = result.annotations.filter((a) => a.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0].message).toMatch(message)
    expect(result.outputs).toEqual({})
    expect(result.env).toEqual({})
    const used = (inputs as Record<string, string>)['app-secret'] ?? secret
    if (used) expectNeverLeaked(result, used)
  })
})

describe.each(runners)('dist/index.js against a faulty server (%s runner)', (runner) => {
  async function faulty(script: Behaviour[], inputs: Record<string, string> = {}) {
    const server = await startFaultyServer(script)
    try {
      const result = await stepAs(
        runner,
        { resource: 'https://api.example.com', scope: 'read', timeout: '1', ...inputs },
        server.endpoint
      )
      return { result, hits: server.hits.length }
    } finally {
      await server.close()
    }
  }

  it('retries a 503 and says which attempt and why', async () => {
    const { result, hits } = await faulty([
      { status: 503, body: '' },
      { status: 200, body: tokenBody() }
    ])
    expect(result.code).toBe(0)
    expect(hits).toBe(2)
    expect(result.log).toMatch(/Attempt 1 of 4 failed \(HTTP 503\); retrying in \d\.\d s\./)
  })

  it('refuses a redirect without following it', async () => {
    const { result, hits } = await faulty([
      { status: 302, headers: { Location: 'https://login.example.com/oidc/token' } }
    ])
    expect(result.code).toBe(1)
    expect(hits).toBe(1)
    expect(result.log).toContain('Set endpoint to https://login.example.com.')
  })

  it('names the wrong endpoint on an HTML page', async () => {
    const { result } = await faulty([
      { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!DOCTYPE html>' }
    ])
    expect(result.code).toBe(1)
    expect(result.log).toContain('answered with an HTML page, not a token')
  })
})
