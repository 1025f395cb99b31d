/**
 * Every message the sources can produce, in one reviewed snapshot: a wording change anywhere is a
 * snapshot change. (messages.test.ts shows the same through the committed bundle, as the runner
 * does; this one reaches each message from the source, where mutation testing can see it.)
 */
import { describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cancelMessage } from '../src/cancel.js'
import { TokenEndpointError, TransportError, type TransportFailure } from '../src/errors.js'
import { explainFailure } from '../src/failure.js'
import {
  hintFor,
  missingScopesMessage,
  type ErrorAnswer,
  type RequestContext
} from '../src/hints.js'
import { parseProxySettings } from '../src/proxy-settings.js'
import { retryDecision } from '../src/retry.js'
import { checkRunnerFiles, probeFile } from '../src/runner-files.js'
import { checkSecretExpiry } from '../src/secret-check.js'
import { expiryReport, readSecretList, secretInUse, unknown } from '../src/secret-expiry.js'
import { readTokenAnswer } from '../src/token-response.js'
import { parse } from './support/settings.js'

const base = { endpoint: 'https://acme.logto.app', 'app-id': 'app1', 'app-secret': 's3cret' }

/** The message of parsing `inputs`: the error, or the warnings when it succeeds. */
function outcome(inputs: Record<string, string>): string | readonly string[] {
  try {
    return parse(inputs).warnings
  } catch (error) {
    return (error as Error).message
  }
}

describe('the message catalogue', () => {
  it('inputs', () => {
    const cases: Record<string, Record<string, string>> = {
      'endpoint and tenant-id': { ...base, 'tenant-id': 'acme' },
      'neither endpoint nor tenant-id': { 'app-id': 'a', 'app-secret': 's' },
      'bad tenant-id': { 'tenant-id': 'Acme_1', 'app-id': 'a', 'app-secret': 's' },
      'endpoint not a URL': { ...base, endpoint: 'acme.logto.app' },
      'endpoint not http': { ...base, endpoint: 'ftp://acme.logto.app' },
      'endpoint with user and password': { ...base, endpoint: 'https://u:p@acme.logto.app' },
      'endpoint with a user only': { ...base, endpoint: 'https://u@acme.logto.app' },
      'endpoint with a password only': { ...base, endpoint: 'https://:p@acme.logto.app' },
      'endpoint with a query': { ...base, endpoint: 'https://acme.logto.app/?x=1' },
      'endpoint with a fragment': { ...base, endpoint: 'https://acme.logto.app/#x' },
      'plain http to another host': { ...base, endpoint: 'http://auth.example.com' },
      'plain http to loopback': { ...base, endpoint: 'http://127.0.0.1:3001' },
      'empty app-id': { ...base, 'app-id': ' ' },
      'app-id with a space': { ...base, 'app-id': 'app 1' },
      'empty app-secret': { ...base, 'app-secret': '' },
      'resource not a URI': { ...base, resource: 'api' },
      'resource with a fragment': { ...base, resource: 'https://api.example.com/#x' },
      'resource with an empty fragment': { ...base, resource: 'https://api.example.com/#' },
      'bad scope': { ...base, scope: 'read "all"' },
      'bad organization-id': { ...base, 'organization-id': 'org/1' },
      'bad auth-method': { ...base, 'auth-method': 'client_secret_jwt' },
      'bad boolean': { ...base, summary: 'yes' },
      'bad env-name': { ...base, 'env-name': 'MY-TOKEN' },
      'reserved env-name': { ...base, 'env-name': 'path' },
      'env-name with a reserved prefix': { ...base, 'env-name': 'GH_TOKEN' },
      'bad retries': { ...base, retries: '11' },
      'bad timeout': { ...base, timeout: '0' },
      'control character': { ...base, 'organization-id': 'org\t1' },
      'Cloud Management API through a custom domain': {
        ...base,
        endpoint: 'https://auth.example.com',
        resource: 'https://acme.logto.app/api'
      }
    }
    expect(
      Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, outcome(v)]))
    ).toMatchSnapshot()
  })

  it('refusals, with their hints', () => {
    const ctx: RequestContext = {
      tokenUrl: 'https://acme.logto.app/oidc/token',
      appId: 'app1',
      resource: 'https://api.example.com',
      organizationId: undefined,
      secrets: ['s3cret']
    }
    const org = { ...ctx, organizationId: 'org-1', resource: undefined }
    const answer = (
      status: number,
      fields: ErrorAnswer['fields'] = {},
      extra: Partial<ErrorAnswer> = {}
    ): TokenEndpointError =>
      new TokenEndpointError({
        status,
        fields,
        looksLikeHtml: false,
        message: `HTTP ${status}${fields.error ? ` ${fields.error}` : ''}`,
        ...extra
      })
    const cases: Record<string, [TokenEndpointError, RequestContext]> = {
      'wrong secret': [answer(401, { error: 'invalid_client' }), ctx],
      'unknown app': [answer(400, { error: 'invalid_client' }), ctx],
      'expired secret': [
        answer(400, { error: 'invalid_request', errorDescription: 'client secret has expired' }),
        ctx
      ],
      'not machine-to-machine': [
        answer(400, {
          error: 'invalid_request',
          errorDescription: 'requested grant type is not allowed for this client'
        }),
        ctx
      ],
      unauthorized_client: [answer(400, { error: 'unauthorized_client' }), ctx],
      'unknown resource': [answer(400, { error: 'invalid_target' }), ctx],
      'no resource': [answer(400, { error: 'invalid_target' }), org],
      'not a member': [answer(403, { error: 'access_denied' }), org],
      'invalid scope': [answer(400, { error: 'invalid_scope' }), ctx],
      quota: [answer(429, { code: 'auth.exceed_token_limit' }), ctx],
      'rate limit': [answer(429, {}, { retryAfterMs: 1000 }), ctx],
      'Retry-After too long': [answer(503, {}, { retryAfterMs: 61_000 }), ctx],
      'server error': [answer(500), ctx],
      'not found': [answer(404), ctx],
      'method not allowed': [answer(405), ctx],
      'HTML page': [answer(400, {}, { looksLikeHtml: true }), ctx],
      redirect: [answer(307, {}, { location: '/auth/oidc/token' }), ctx],
      'redirect to a location holding the secret': [
        answer(307, {}, { location: '/s3cret/oidc/token' }),
        ctx
      ],
      'redirect without a location': [answer(302), ctx],
      other: [answer(400, { error: 'invalid_grant' }), ctx]
    }
    const texts = Object.fromEntries(
      Object.entries(cases).map(([name, [error, c]]) => [
        name,
        {
          hint: hintFor(error, c),
          message: (explainFailure(error, 2, c) as Error).message,
          retry: retryDecision(error)
        }
      ])
    )
    expect(texts).toMatchSnapshot()
  })

  it('token answers refused', () => {
    const refusal = (fields: Record<string, unknown>): string => {
      const body = JSON.stringify({ token_type: 'Bearer', expires_in: 3600, ...fields })
      try {
        readTokenAnswer(
          { status: 200, headers: { 'content-type': 'application/json' }, body },
          'https://acme.logto.app/oidc/token',
          ['s3cret'],
          Date.UTC(2026, 11, 2, 6, 0)
        )
      } catch (error) {
        return (error as Error).message
      }
      throw new Error('not refused')
    }
    const part = (value: unknown): string =>
      Buffer.from(JSON.stringify(value)).toString('base64url')
    const jwt = (payload: unknown): string => `${part({ alg: 'RS256' })}.${part(payload)}.c2ln`
    expect({
      colonInToken: refusal({ access_token: 'a:b.c' }),
      percentInToken: refusal({ access_token: 'a%0Ab.c' }),
      longTokenType: refusal({ access_token: 'a.b.c', token_type: 'B'.repeat(65) }),
      longScope: refusal({ access_token: 'a.b.c', scope: 's'.repeat(16 * 1024 + 1) }),
      longAudience: refusal({ access_token: jwt({ aud: `https://${'a'.repeat(2048)}` }) })
    }).toMatchSnapshot()
  })

  it('no answer, with its advice', () => {
    const ctx: RequestContext = {
      tokenUrl: 'https://auth.example.com/oidc/token',
      appId: 'app1',
      resource: undefined,
      organizationId: undefined,
      secrets: []
    }
    const failures: Record<string, TransportFailure> = {
      timeout: { kind: 'timeout', message: 'no complete answer within 30 s (input timeout)' },
      refused: { kind: 'network', code: 'ECONNREFUSED', message: 'ECONNREFUSED: connect' },
      'no code': { kind: 'network', message: 'socket hang up' },
      'proxy 407': { kind: 'proxy', proxyStatus: 407, message: 'the proxy refused' },
      'proxy 502': { kind: 'proxy', proxyStatus: 502, message: 'the proxy refused' },
      'private CA': {
        kind: 'tls',
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
        host: 'auth.example.com',
        message: 'TLS error SELF_SIGNED_CERT_IN_CHAIN'
      },
      'expired certificate': {
        kind: 'tls',
        code: 'CERT_HAS_EXPIRED',
        host: 'auth.example.com',
        message: 'TLS error CERT_HAS_EXPIRED'
      }
    }
    const texts = Object.fromEntries(
      Object.entries(failures).map(([name, failure]) => {
        const error = new TransportError(failure)
        return [
          name,
          { message: (explainFailure(error, 1, ctx) as Error).message, retry: retryDecision(error) }
        ]
      })
    )
    expect(texts).toMatchSnapshot()
  })

  it('scopes, runner files and cancellation', () => {
    const ctx = { appId: 'app1', resource: 'https://api.example.com', organizationId: undefined }
    const files = (env: Record<string, string>, inputs: Record<string, string> = {}) =>
      checkRunnerFiles(
        env,
        (name) => inputs[name] ?? '',
        (path) => (path.startsWith('/ok') ? undefined : 'does not exist')
      )
    expect({
      missingFatal: missingScopesMessage(['write', 'delete'], ctx, true),
      missingWarning: missingScopesMessage(['write'], ctx, false),
      missingOrganization: missingScopesMessage(
        ['invite'],
        { ...ctx, organizationId: 'org-1' },
        true
      ),
      noFiles: files({}),
      noOutputFile: files({ GITHUB_OUTPUT: '/gone/output', GITHUB_ENV: '/ok/env' }),
      noEnvFileButNotExporting: files({ GITHUB_OUTPUT: '/ok/out' }, { 'export-env': 'false' }),
      summaryUnwritable: files({
        GITHUB_OUTPUT: '/ok/out',
        GITHUB_ENV: '/ok/env',
        GITHUB_STEP_SUMMARY: '/gone/summary'
      }),
      summaryOff: files(
        { GITHUB_OUTPUT: '/ok/out', GITHUB_ENV: '/ok/env', GITHUB_STEP_SUMMARY: '/gone/summary' },
        { summary: 'FALSE' }
      ),
      outputIsATerminal: checkRunnerFiles(
        { GITHUB_OUTPUT: '/dev/tty', GITHUB_ENV: '/dev/null' },
        () => '',
        (path) =>
          probeFile(path, {
            statSync: () => ({
              isDirectory: () => false,
              isFile: () => false,
              isCharacterDevice: () => true
            }),
            accessSync: () => undefined,
            realpathSync: (real) => real
          })
      ),
      cancelledEarly: cancelMessage('SIGINT', false),
      cancelledLate: cancelMessage('SIGTERM', true)
    }).toMatchSnapshot()
  })

  it('proxy variables, and TLS with a proxy', () => {
    const env = (values: Record<string, string>): string | readonly string[] => {
      try {
        return parseProxySettings(new URL('https://auth.example.com'), values).warnings
      } catch (error) {
        return (error as Error).message
      }
    }
    const ctx: RequestContext = {
      tokenUrl: 'https://auth.example.com/oidc/token',
      appId: 'app1',
      resource: undefined,
      organizationId: undefined,
      secrets: []
    }
    const proxy = { address: 'proxy.example:443', variable: 'HTTPS_PROXY', credentials: true }
    const proxyTls = (code: string): string =>
      (
        explainFailure(
          new TransportError({
            kind: 'proxy',
            code,
            host: 'proxy.example',
            proxy,
            message: `TLS error ${code} with the proxy proxy.example:443 (HTTPS_PROXY)`
          }),
          1,
          ctx
        ) as Error
      ).message
    expect({
      badEscape: env({ HTTPS_PROXY: 'http://u:p%zz@proxy.example:3128' }),
      badPort: env({ https_proxy: 'proxy.example:31a8' }),
      badScheme: env({ HTTPS_PROXY: 'socks5://proxy.example:1080' }),
      oneSlash: env({ HTTPS_PROXY: 'http:/proxy.example:3128' }),
      unmaskablePassword: env({ HTTPS_PROXY: 'http://u:pa::ss@proxy.example:3128' }),
      noProxyEntries: env({ NO_PROXY: '10.0.0.0/8,fd00::1,*.example.com' }),
      proxyUntrusted: proxyTls('SELF_SIGNED_CERT_IN_CHAIN'),
      proxyNotTls: proxyTls('ERR_SSL_WRONG_VERSION_NUMBER')
    }).toMatchSnapshot()
  })

  it('the app secret expiry check', () => {
    const now = Date.UTC(2026, 11, 2, 6, 0)
    const day = 86_400_000
    const ctx = { appId: 'app1', warningDays: 30, now, redact: ['s3cret'] }
    const entry = (expiresAt: number | null) => ({ name: 'CI', value: 's3cret', expiresAt })
    const list = readSecretList([
      { name: 'Odd', value: 'other', expiresAt: 'soon' },
      { name: 'CI', value: 's3cret', expiresAt: now + day },
      { name: 'No value', expiresAt: null }
    ])
    expect({
      legacy: expiryReport(undefined, ctx),
      noExpiry: expiryReport(entry(null), ctx),
      outsideWindow: expiryReport(entry(now + 40 * day), ctx),
      inTenDays: expiryReport(entry(now + 10 * day - 60_000), ctx),
      tomorrow: expiryReport(entry(now + day - 1), ctx),
      today: expiryReport(entry(now + 60_000), ctx),
      expired: expiryReport(entry(now - 1), ctx),
      unknown: unknown('GET x answered HTTP 500'),
      oddElsewhere: secretInUse(list.entries ?? [], 's3cret'),
      oddInUse: secretInUse(list.entries ?? [], 'other'),
      mayBeInUse: secretInUse(list.entries ?? [], 'not-listed')
    }).toMatchSnapshot()
  })

  it('the app secret expiry check, past the values it masks', async () => {
    // 101 values that could be secrets: the check masks none and reads nothing of the list.
    const list = Array.from({ length: 101 }, (_, i) => ({
      name: `n${i}`,
      value: `secret-value-${String(i).padStart(8, '0')}`,
      expiresAt: null
    }))
    const server = createServer((_, response) => {
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify(list))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const report = await checkSecretExpiry(
        parse({ ...base, endpoint: `http://127.0.0.1:${port}` }),
        { accessToken: 'a.b.c', audience: 'https://default.logto.app/api', scope: 'all' },
        { mask: () => undefined, debug: () => undefined, now: Date.now }
      )
      expect(
        JSON.parse(JSON.stringify(report).replaceAll(`127.0.0.1:${port}`, '127.0.0.1:PORT'))
      ).toMatchSnapshot()
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
