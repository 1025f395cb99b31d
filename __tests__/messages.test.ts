/**
 * The messages are the product: every class of failure, and the success log, exactly as the runner
 * shows them from the committed dist/index.js. A wording change is a snapshot change, reviewed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { runAction } from '../scripts/lib/runner.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { startFaultyServer, tokenBody, type Behaviour } from './support/faulty-server.js'
import { startRefusingProxy, startSilentServer, testCertificate } from './support/hostile.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

const { m2m } = fixtures.apps
let issuer: IssuerProcess
beforeAll(async () => {
  issuer = await startIssuerProcess()
})
afterAll(async () => {
  await issuer.close()
})

type Step = Awaited<ReturnType<typeof runAction>>
const run = (
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  debug = false
): Promise<Step> =>
  runAction({
    debug,
    inputs: {
      endpoint: issuer.endpoint,
      'app-id': m2m.clientId,
      'app-secret': m2m.clientSecret,
      ...inputs
    },
    env,
    timeoutMs: 30_000
  })

/** What a reader sees, with the parts that change from run to run replaced. */
const stable = (text: string): string =>
  text
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')

const annotations = (result: Step): string[] =>
  result.annotations.map((a) => stable(`${a.level}: ${a.message}`))

async function againstFaultyServer(script: Behaviour[], inputs: Record<string, string> = {}) {
  const server = await startFaultyServer(script)
  try {
    return await run({ endpoint: server.endpoint, retries: '0', ...inputs })
  } finally {
    await server.close()
  }
}

describe('success, as the step log shows it', () => {
  it.each([
    ['Management API', {}],
    ['own API resource', { resource: 'https://api.example.com/products', scope: 'read:products' }],
    ['organization token', { 'organization-id': 'org-1', scope: 'read:members' }],
    [
      'missing scope as a warning',
      {
        resource: 'https://api.example.com/products',
        scope: 'read:products delete:products',
        'fail-on-missing-scopes': 'false'
      }
    ]
  ])('%s', async (_name, inputs) => {
    const result = await run(inputs)
    expect(result.code).toBe(0)
    expect(stable(result.log)).toMatchSnapshot()
  })

  it('with step debug logging', async () => {
    const result = await run({}, {}, true)
    expect(result.code).toBe(0)
    expect(stable(result.log)).toMatchSnapshot()
  })
})

describe('failures, as the annotations show them', () => {
  it.each([
    ['an input that is not accepted', { retries: 'many' }],
    ['a missing secret', { 'app-secret': '' }],
    ['a control character in an input', { resource: 'https://api.example.com\n::error::x' }],
    ['a refused env-name', { 'env-name': 'NODE_OPTIONS' }],
    ['a wrong secret', { 'app-secret': 'not-the-secret' }],
    ['an unknown app', { 'app-id': 'nope' }],
    ['an app that is not machine-to-machine', { 'app-id': 'spa-app', 'app-secret': 'spa-secret' }],
    ['an unknown resource', { resource: 'https://api.example.com/products/' }],
    ['not an organization member', { 'organization-id': 'org-2' }],
    ["Logto Cloud's token quota", { 'app-id': 'quota-app', 'app-secret': 'quota-secret' }],
    ['an expired secret', { 'app-id': 'expired-app', 'app-secret': 'expired-secret' }],
    [
      'a scope that was not granted',
      { resource: 'https://api.example.com/products', scope: 'read:products delete:products' }
    ]
  ])('%s', async (_name, inputs) => {
    const result = await run(inputs)
    expect(result.code).toBe(1)
    expect(annotations(result)).toMatchSnapshot()
  })

  it.each<[string, Behaviour[], Record<string, string>?]>([
    ['a server error', [{ status: 503, body: '{"error":"server_error"}' }]],
    ['Retry-After beyond the cap', [{ status: 503, headers: { 'Retry-After': '3600' }, body: '' }]],
    ['an HTML page', [{ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>' }]],
    ['a body that is not JSON', [{ status: 200, body: 'ok' }]],
    [
      'a switch of protocols',
      [
        {
          raw: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'
        }
      ]
    ],
    ['an answer over 1 MiB', [{ hugeBytes: 2 * 1024 * 1024, declareLength: true }]],
    ['a redirect', [{ status: 302, headers: { Location: 'https://auth.example.com/oidc/token' } }]],
    ['no access_token', [{ status: 200, body: '{"token_type":"Bearer"}' }]],
    [
      'an access_token that is not a token',
      [{ status: 200, body: tokenBody({ access_token: 'a b' }) }]
    ],
    [
      'an unusable expires_in (a warning)',
      [{ status: 200, body: tokenBody({ expires_in: -1 }) }],
      { scope: 'read', resource: 'https://a.example' }
    ]
  ])('%s', async (_name, script, inputs = {}) => {
    const result = await againstFaultyServer(script, inputs)
    expect(annotations(result)).toMatchSnapshot()
  })

  it('a timeout', async () => {
    const peer = await startSilentServer()
    try {
      const result = await run({ endpoint: peer.endpoint, timeout: '0.5', retries: '0' })
      expect(annotations(result)).toMatchSnapshot()
    } finally {
      await peer.close()
    }
  })

  it('a proxy that wants credentials', async () => {
    const proxy = await startRefusingProxy(407)
    try {
      const result = await run({ endpoint: 'https://logto.test' }, { HTTPS_PROXY: proxy.url })
      expect(
        annotations(result).map((line) => line.replace(proxy.url, '<proxy>'))
      ).toMatchSnapshot()
    } finally {
      await proxy.close()
    }
  })

  it('a proxy that refuses the credentials given', async () => {
    const proxy = await startRefusingProxy(407)
    try {
      const result = await run(
        { endpoint: 'https://logto.test' },
        { HTTPS_PROXY: proxy.url.replace('http://', 'http://user:proxy-password@') }
      )
      expect(
        annotations(result).map((line) => line.replace(proxy.url, '<proxy>'))
      ).toMatchSnapshot()
    } finally {
      await proxy.close()
    }
  })

  it('a proxy that cannot be reached', async () => {
    const proxy = await startRefusingProxy(407)
    await proxy.close()
    const address = proxy.url.replace('http://', '')
    const result = await run(
      { endpoint: 'https://logto.test', retries: '0' },
      { https_proxy: proxy.url.replace('http://', 'http://user:proxy-password@') }
    )
    expect(annotations(result).map((line) => line.split(address).join('<proxy>'))).toMatchSnapshot()
  })

  it('a certificate from a private CA', async () => {
    const { cert, key } = testCertificate()
    const server = createHttpsServer({ cert, key }, (_req, res) => res.end(tokenBody()))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as AddressInfo).port
      const result = await run({ endpoint: `https://127.0.0.1:${port}`, retries: '0' })
      expect(annotations(result)).toMatchSnapshot()
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('no runner files', async () => {
    const result = await run({}, { GITHUB_OUTPUT: '', GITHUB_ENV: '' })
    expect(annotations(result)).toMatchSnapshot()
  })
})
