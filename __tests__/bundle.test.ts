/**
 * What the committed dist/index.js costs and how it behaves where src/ tests cannot reach: its
 * size, what a run that fails on its inputs loads, a run through a forward proxy (the build
 * stand-ins apply only to the bundle), and an organization-level API resource token.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runAction } from '../scripts/lib/runner.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { decodeJwtSegment } from '../tools/issuer/jwt.js'
import { startConnectProxy } from './support/faulty-server.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

const root = process.cwd()
const bundle = path.join(root, 'dist', 'index.js')
const { m2m } = fixtures.apps
const productsApi = fixtures.resources.products.indicator

/**
 * dist/index.js is 67 kB since the proxy variables, NO_PROXY and one-pass redaction became our own
 * code (issue 21); the ceiling leaves room for small changes, not for a new dependency.
 */
const MAX_BUNDLE_BYTES = 72 * 1024

let issuer: IssuerProcess
let dir: string
beforeAll(async () => {
  issuer = await startIssuerProcess()
  dir = mkdtempSync(path.join(tmpdir(), 'bundle-'))
})
afterAll(async () => {
  await issuer.close()
  rmSync(dir, { recursive: true, force: true })
})

type Inputs = Record<string, string>

function step(inputs: Inputs, options: Parameters<typeof runAction>[0] = {}) {
  return runAction({
    ...options,
    inputs: {
      endpoint: issuer.endpoint,
      'app-id': m2m.clientId,
      'app-secret': m2m.clientSecret,
      ...inputs
    }
  })
}

/** Runs the bundle and returns the Node built-ins it loaded. */
async function builtinsLoadedBy(inputs: Inputs, name: string) {
  const file = path.join(dir, `${name}.json`)
  const preload = path.join(root, '__tests__', 'support', 'record-builtins.js')
  const result = await step(inputs, {
    nodeArgs: ['--import', preload],
    env: { RECORD_BUILTINS_FILE: file }
  })
  return { result, builtins: JSON.parse(readFileSync(file, 'utf8')) as string[] }
}

describe('bundle budget', () => {
  it(`dist/index.js stays under ${MAX_BUNDLE_BYTES / 1024} KiB`, () => {
    expect(statSync(bundle).size).toBeLessThanOrEqual(MAX_BUNDLE_BYTES)
  })

  it('a run that fails on its inputs loads no HTTP stack; a run that requests does', async () => {
    // Not `net`: the runner's stdout and stderr pipes load it in every run.
    const http = ['http', 'https', '_http_agent', '_http_client', 'tls']
    const refused = await builtinsLoadedBy({ retries: 'many' }, 'refused')
    expect(refused.result.code).toBe(1)
    expect(refused.result.log).toContain('Input retries "many"')
    expect(refused.builtins).toContain('fs')
    expect(refused.builtins.filter((name) => http.includes(name))).toEqual([])

    // The same recording sees the HTTP stack once a request is made, so it can fail.
    const requested = await builtinsLoadedBy({}, 'requested')
    expect(requested.result.code).toBe(0)
    expect(requested.builtins).toEqual(expect.arrayContaining(['http', '_http_client']))
  })
})

describe('dist/index.js through a forward proxy', () => {
  it('sends the token request through HTTP_PROXY in absolute form and gets a token', async () => {
    const proxy = await startConnectProxy()
    try {
      // Loopback hosts never go through a proxy (src/endpoint.ts). logto.test reaches the
      // loopback issuer only through the proxy, which sends every request to 127.0.0.1; plain
      // http goes as an absolute-form request, never CONNECT (a stock squid allows CONNECT to
      // port 443 only).
      const port = new URL(issuer.endpoint).port
      const result = await step(
        { endpoint: `http://logto.test:${port}`, retries: '0' },
        { env: { HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: '', no_proxy: '' } }
      )
      expect(result.log).not.toMatch(/##\[error\]/)
      expect(result.code).toBe(0)
      // The token request, then the app secret expiry check: both through the proxy, as
      // absolute-form requests.
      expect(proxy.targets).toEqual([])
      expect(proxy.forwarded).toEqual([
        `POST http://logto.test:${port}/oidc/token HTTP/1.1`,
        `GET http://logto.test:${port}/api/applications/${m2m.clientId}/secrets HTTP/1.1`
      ])
      expect(result.outputs['secret-expires-at']).toMatch(/^\d{4}-/)
      expect(decodeJwtSegment(result.outputs['access-token'], 1)).toMatchObject({
        aud: fixtures.resources.management.indicator,
        client_id: m2m.clientId
      })
    } finally {
      await proxy.close()
    }
  })
})

describe('dist/index.js with an organization-level API resource', () => {
  it('gets a token for the resource with the scopes of the organization role', async () => {
    const result = await step({
      'organization-id': 'org-1',
      resource: productsApi,
      scope: 'read:products'
    })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ audience: productsApi, scope: 'read:products' })
    expect(decodeJwtSegment(result.outputs['access-token'], 1)).toMatchObject({
      aud: productsApi,
      scope: 'read:products'
    })
  })

  it('fails naming the organization role when it grants none of the scopes', async () => {
    const result = await step({
      'organization-id': 'org-1',
      resource: productsApi,
      scope: 'write:products'
    })
    expect(result.code).toBe(1)
    expect(result.outputs).toEqual({})
    expect(result.log).toContain(
      'an organization role that grants it (on resource https://api.example.com/products) to app m2m-app in organization org-1'
    )
  })
})
