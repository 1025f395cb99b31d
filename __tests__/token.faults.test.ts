/** requestToken over real HTTP against a loopback server that fails in every way Logto's path can. */
import { afterEach, describe, expect, it } from '@jest/globals'
import { MAX_BODY_BYTES } from '../src/http.js'
import { parseSettings } from '../src/settings.js'
import { requestToken, type TokenDeps } from '../src/token.js'
import {
  startConnectProxy,
  startFaultyServer,
  tokenBody,
  type Behaviour,
  type FaultyServer
} from './support/faulty-server.js'
import { loopbackNames } from './support/names.js'

let server: FaultyServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function recorder() {
  const log: string[] = []
  const sleeps: number[] = []
  const deps: TokenDeps = {
    mask: (s) => log.push(`mask ${s}`),
    debug: (m) => log.push(`debug ${m}`),
    now: () => Date.parse('2026-11-21T10:00:00Z'),
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    onRetry: (attempt, attempts, reason, delay) =>
      log.push(`retry ${attempt}/${attempts} ${reason} ${delay}`),
    // logto.test is the faulty server's name; any other name is unknown (ENOTFOUND).
    lookup: loopbackNames({ 'logto.test': '127.0.0.1' })
  }
  return { log, sleeps, deps }
}

async function run(script: Behaviour[], inputs: Record<string, string> = {}) {
  const current = await startFaultyServer(script)
  server = current
  const settings = parseSettings(
    (name) =>
      ({
        endpoint: current.endpoint,
        'app-id': 'app1',
        'app-secret': 'secret',
        resource: 'https://api.example.com',
        scope: 'read',
        timeout: '1',
        ...inputs
      })[name] ?? ''
  )
  const r = recorder()
  const outcome = await requestToken(settings, r.deps).then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error: error as Error })
  )
  return { ...r, ...outcome, hits: current.hits }
}

describe('requestToken against a faulty server', () => {
  it('happy path: exactly one request, token masked, outputs derived', async () => {
    const { value, hits, log } = await run([{ status: 200, body: tokenBody() }])
    expect(hits).toHaveLength(1)
    expect(hits[0]).toMatchObject({ method: 'POST', url: '/oidc/token' })
    expect(hits[0].headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(hits[0].headers).toMatchObject({
      'content-length': String(Buffer.byteLength(hits[0].body)),
      accept: 'application/json',
      'user-agent': 'logto-m2m-token-action/1'
    })
    expect(hits[0].headers['transfer-encoding']).toBeUndefined()
    expect(value).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 3600,
      expiresAt: '2026-11-21T11:00:00.000Z',
      scope: 'read',
      audience: 'https://api.example.com',
      attempts: 1
    })
    expect(log).toContain(`mask ${value?.accessToken ?? '(no token)'}`)
  })

  it.each([
    ['503', { status: 503, body: '{"error":"server_error"}' }, 'HTTP 503'],
    [
      '500 HTML',
      { status: 500, headers: { 'Content-Type': 'text/html' }, body: '<html>' },
      'HTTP 500'
    ],
    ['connection reset', { reset: true }, 'network error ECONNRESET'],
    ['slow answer', { status: 200, body: tokenBody(), delayMs: 1500 }, 'the attempt timed out'],
    ['stalled body', { stallAfterHeaders: true }, 'the attempt timed out'],
    [
      '429 with Retry-After',
      { status: 429, headers: { 'Retry-After': '2' } },
      'HTTP 429 with Retry-After'
    ]
  ] as [string, Behaviour, string][])(
    'retries after %s, saying which attempt and why',
    async (_name, failure, reason) => {
      const { value, hits, log, sleeps } = await run([failure, { status: 200, body: tokenBody() }])
      expect(value?.attempts).toBe(2)
      expect(hits).toHaveLength(2)
      expect(log.find((l) => l.startsWith('retry'))).toMatch(`retry 1/4 ${reason}`)
      expect(sleeps).toHaveLength(1)
    }
  )

  it.each([
    [
      'resource and scopes',
      {},
      '(client_secret_basic; resource https://api.example.com; scope read write)'
    ],
    [
      'an organization token, no resource, no scope',
      { resource: '', scope: '', 'organization-id': 'org1' },
      '(client_secret_basic; resource (none); scope (none); organization org1)'
    ],
    [
      'an organization, sent in the body',
      { 'organization-id': 'org1', 'auth-method': 'client_secret_post' },
      '(client_secret_post; resource https://api.example.com; scope read write; organization org1)'
    ]
  ])('says in the debug log what it asks for: %s', async (_name, inputs, details) => {
    const { log, hits } = await run([{ status: 200, body: tokenBody({ scope: 'read write' }) }], {
      scope: 'read write',
      ...inputs
    })
    const url = `http://${hits[0].headers.host ?? ''}/oidc/token`
    expect(log.filter((l) => l.startsWith('debug'))).toEqual([
      `debug POST ${url} ${details}`,
      'debug Attempt 1: HTTP 200'
    ])
  })

  it('honours Retry-After on a 429', async () => {
    const { sleeps } = await run([
      { status: 429, headers: { 'Retry-After': '7' } },
      { status: 200, body: tokenBody() }
    ])
    expect(sleeps).toEqual([7000])
  })

  it('backs off exponentially and gives up after retries + 1 attempts', async () => {
    const down = { status: 502, body: '' }
    const { error, hits, sleeps } = await run([down, down, down], { retries: '2' })
    expect(hits).toHaveLength(3)
    expect(sleeps).toEqual([750, 1500])
    expect(error?.message).toMatch(/^Logto refused the token request after 3 attempts: HTTP 502/)
  })

  it('fails at once on the Logto Cloud token quota (429 without Retry-After)', async () => {
    const { error, hits } = await run([
      { status: 429, body: '{"code":"auth.exceed_token_limit","message":"Token limit exceeded"}' }
    ])
    expect(hits).toHaveLength(1)
    expect(error?.message).toContain('HTTP 429 (code auth.exceed_token_limit)')
    expect(error?.message).toContain('token quota; retrying will not help')
  })

  it.each([400, 401, 403, 404])('never retries a %i', async (status) => {
    const { error, hits } = await run([{ status, body: '{"error":"x"}' }])
    expect(hits).toHaveLength(1)
    expect(error?.message).toContain(`after 1 attempt: HTTP ${status} x`)
  })

  it('does not follow a redirect, and names where to point endpoint', async () => {
    const { error, hits } = await run([
      { status: 307, headers: { Location: 'https://auth.example.com/oidc/token' } },
      { status: 200, body: tokenBody() }
    ])
    expect(hits).toHaveLength(1)
    expect(error?.message).toContain('HTTP 307')
    expect(error?.message).toContain('Set endpoint to https://auth.example.com.')
  })

  it('says the endpoint is wrong on a 404 HTML page, with the URL called', async () => {
    const { error } = await run([
      {
        status: 404,
        headers: { 'Content-Type': 'text/html' },
        body: '<!doctype html><p>secret page</p>'
      }
    ])
    expect(error?.message).toMatch(
      /HTTP 404, an HTML page\. http:\/\/127\.0\.0\.1:\d+\/oidc\/token is not a Logto token endpoint/
    )
    expect(error?.message).not.toContain('secret page')
  })

  it.each([
    [
      'an HTML 200',
      { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>hi</html>' },
      /answered with an HTML page, not a token, so endpoint is probably wrong/
    ],
    [
      'a non-JSON 200',
      { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' },
      /body that is not JSON/
    ],
    [
      'JSON without access_token',
      { status: 200, body: '{"token":"x"}' },
      /JSON that has no access_token/
    ],
    [
      'an empty access_token',
      { status: 200, body: '{"access_token":""}' },
      /JSON that has no access_token/
    ],
    [
      'a body over 1 MiB',
      { hugeBytes: MAX_BODY_BYTES + 1 },
      /^The answer is larger than 1 MiB, which no token response is; check that endpoint points at Logto\.$/
    ],
    // Exactly the cap is read whole (and is not a token); one byte more is refused.
    ['a body of exactly 1 MiB', { hugeBytes: MAX_BODY_BYTES }, /with a body that is not JSON/],
    [
      'a body of exactly 1 MiB, declared',
      { hugeBytes: MAX_BODY_BYTES, declareLength: true },
      /with a body that is not JSON/
    ],
    // Refused on the header alone: the body that follows would never end.
    [
      'a declared length over 1 MiB with a short body',
      { status: 200, headers: { 'Content-Length': String(MAX_BODY_BYTES + 1) }, body: '{' },
      /larger than 1 MiB/
    ],
    [
      'a declared length over 1 MiB',
      { hugeBytes: MAX_BODY_BYTES * 2, declareLength: true },
      /larger than 1 MiB/
    ]
  ] as [string, Behaviour, RegExp][])(
    'fails clearly on %s, without retrying',
    async (_name, b, message) => {
      const { error, hits } = await run([b, { status: 200, body: tokenBody() }])
      expect(error?.message).toMatch(message)
      expect(hits).toHaveLength(1)
    }
  )

  it('quotes only error, error_description and code of an error body', async () => {
    const { error } = await run([
      {
        status: 400,
        body: JSON.stringify({
          error: 'invalid_target',
          error_description: 'resource indicator is invalid',
          code: 'oidc.invalid_target',
          message: 'MESSAGE-FIELD',
          debug: 'DEBUG-FIELD'
        })
      }
    ])
    expect(error?.message).toContain(
      'HTTP 400 invalid_target ("resource indicator is invalid", code oidc.invalid_target)'
    )
    expect(error?.message).toContain(
      'resource "https://api.example.com" must equal an API identifier'
    )
    expect(error?.message).not.toMatch(/MESSAGE-FIELD|DEBUG-FIELD/)
  })

  it('fails on missing scopes, or only reports them when told to', async () => {
    const granted = { status: 200, body: tokenBody({ scope: 'read' }) }
    const strict = await run([granted], { scope: 'read write delete' })
    expect(strict.error?.message).toContain('Logto did not grant scopes "write", "delete"')
    expect(strict.error?.message).toContain('or set fail-on-missing-scopes: false')
    await server?.close()
    const lenient = await run([granted], { scope: 'read write', 'fail-on-missing-scopes': 'false' })
    expect(lenient.value?.missingScopes).toEqual(['write'])
    expect(lenient.value?.scope).toBe('read')
  })

  it('reports the granted scopes with one space between them and none around', async () => {
    const { value } = await run([{ status: 200, body: tokenBody({ scope: '  read   write ' }) }])
    expect(value?.scope).toBe('read write')
  })

  it.each([
    [
      'the audience of a JWT',
      `h.${Buffer.from('{"aud":"https://other.example"}').toString('base64url')}.s`,
      'https://other.example'
    ],
    ['the requested resource for an opaque token', 'opaque-token', 'https://api.example.com']
  ])('reports %s', async (_name, token, audience) => {
    const { value } = await run([{ status: 200, body: tokenBody({ access_token: token }) }])
    expect(value?.audience).toBe(audience)
  })

  it('treats a missing scope key as no scope granted', async () => {
    const { error } = await run([{ status: 200, body: tokenBody({ scope: undefined }) }])
    expect(error?.message).toContain('did not grant scope "read"')
    await server?.close()
    const lenient = await run([{ status: 200, body: tokenBody({ scope: undefined }) }], {
      'fail-on-missing-scopes': 'false'
    })
    expect(lenient.value).toMatchObject({ scope: '', missingScopes: ['read'] })
  })

  it('masks the token before a missing-scope failure is raised', async () => {
    const { log, error } = await run([{ status: 200, body: tokenBody({ scope: '' }) }])
    expect(error).toBeDefined()
    expect(log.some((l) => l.startsWith('mask header.'))).toBe(true)
  })

  it('reports a network failure with the URL and the proxy hint', async () => {
    const { error } = await run([{ reset: true }, { reset: true }], { retries: '1' })
    expect(error?.message).toMatch(
      /^Could not get an answer from http:\/\/127\.0\.0\.1:\d+\/oidc\/token after 2 attempts: ECONNRESET/
    )
    expect(error?.message).toContain('HTTPS_PROXY')
  })
})

const SWITCH =
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'
const PROCESSING = 'HTTP/1.1 102 Processing\r\n\r\n'

describe('an answer that is not a final response fails the attempt', () => {
  const upgradeMessage =
    'after 1 attempt: the server answered HTTP 101 Switching Protocols (Upgrade: websocket) ' +
    'instead of a final answer. Check that endpoint points at Logto: the server at that address ' +
    'switches protocols (for example to WebSocket) instead of answering the token request.'

  it.each([
    ['a 101 with Upgrade', SWITCH, upgradeMessage],
    [
      'a 101 without Upgrade',
      'HTTP/1.1 101 Switching Protocols\r\n\r\n',
      'after 1 attempt: the server answered HTTP 101 Switching Protocols instead of a final answer.'
    ]
  ])('%s fails at once, not retried', async (_name, raw, message) => {
    const { error, hits } = await run([{ raw }, { status: 200, body: tokenBody() }], {
      retries: '2',
      timeout: '5'
    })
    expect(error?.message).toContain(message)
    expect(hits).toHaveLength(1)
  })

  it('an answer that is not HTTP (a parse error) fails at once, not retried', async () => {
    const { error, hits } = await run([{ raw: 'SSH-2.0-OpenSSH_9.6\r\n\r\n' }], {
      retries: '2'
    })
    expect(hits).toHaveLength(1)
    expect(error?.message).toMatch(/after 1 attempt: HPE_/)
  })

  it('an interim answer and then nothing times out, naming it, and is retried', async () => {
    const { error, hits, log } = await run([{ raw: PROCESSING }, { raw: PROCESSING }], {
      retries: '1',
      timeout: '0.5'
    })
    expect(hits).toHaveLength(2)
    expect(log).toContain('retry 1/2 the attempt timed out 750')
    expect(error?.message).toContain(
      'after 2 attempts: no final answer within 0.5 s (input timeout), only an interim HTTP 102 ' +
        'Processing. Raise timeout'
    )
  })

  it('an interim answer followed by the final one is read as usual', async () => {
    const final = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(tokenBody())}\r\nConnection: close\r\n\r\n${tokenBody()}`
    const { value } = await run([{ raw: `HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n${final}` }])
    expect(value?.attempts).toBe(1)
  })

  it.each([
    ['before any status line', '', 'ECONNRESET: the connection closed before any answer'],
    [
      'after an interim answer',
      PROCESSING,
      'ECONNRESET: the connection closed before a final answer, after an interim HTTP 102 Processing'
    ]
  ])('a connection closed %s is retried like a reset', async (_name, raw, message) => {
    const { error, hits, log } = await run(
      [
        { raw, close: true },
        { raw, close: true }
      ],
      { retries: '1' }
    )
    expect(hits).toHaveLength(2)
    expect(log).toContain('retry 1/2 network error ECONNRESET 750')
    expect(error?.message).toContain(`after 2 attempts: ${message}. Check endpoint`)
  })

  it('a 101 relayed by a forward proxy fails the same way', async () => {
    const proxy = await startConnectProxy()
    const saved = process.env.HTTP_PROXY
    try {
      const current = await startFaultyServer([{ raw: SWITCH }])
      server = current
      process.env.HTTP_PROXY = proxy.url
      const settings = parseSettings(
        (n) =>
          ({
            endpoint: `http://logto.test:${current.port}`,
            'app-id': 'a',
            'app-secret': 'Zq8-not-in-any-message',
            resource: 'https://x',
            timeout: '5'
          })[n] ?? ''
      )
      const error = await requestToken(settings, recorder().deps).then(
        () => new Error('resolved'),
        (e: unknown) => e as Error
      )
      expect(error.message).toContain(upgradeMessage)
      expect(proxy.forwarded).toHaveLength(1)
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY
      else process.env.HTTP_PROXY = saved
      await proxy.close()
    }
  })
})

describe('proxies', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
  })

  it('goes through HTTP_PROXY in absolute form, and around it for NO_PROXY hosts', async () => {
    const proxy = await startConnectProxy()
    try {
      const current = await startFaultyServer([
        { status: 200, body: tokenBody() },
        { status: 200, body: tokenBody() }
      ])
      server = current
      process.env.HTTP_PROXY = proxy.url
      process.env.http_proxy = proxy.url
      delete process.env.NO_PROXY
      delete process.env.no_proxy
      const settings = (e: string) =>
        parseSettings(
          (n) =>
            ({
              endpoint: e,
              'app-id': 'a',
              'app-secret': 'Zq8-not-in-any-message',
              resource: 'https://x',
              retries: '0'
            })[n] ?? ''
        )
      const { deps } = recorder()
      const endpoint = `http://logto.test:${current.port}`
      const token = await requestToken(settings(endpoint), deps)
      expect(token.attempts).toBe(1)
      expect(proxy.targets).toEqual([])
      expect(proxy.forwarded).toEqual([`POST ${endpoint}/oidc/token HTTP/1.1`])

      // Around the proxy, logto.test is looked up (the test's lookup maps it to loopback).
      process.env.NO_PROXY = 'logto.test'
      process.env.no_proxy = 'logto.test'
      const direct = await requestToken(settings(endpoint), deps)
      expect(direct.attempts).toBe(1)
      expect(proxy.forwarded).toHaveLength(1)
      expect(current.hits).toHaveLength(2)
    } finally {
      await proxy.close()
    }
  })

  it('an unknown host name fails at once (ENOTFOUND), not retried', async () => {
    const { deps } = recorder()
    const asked: string[] = []
    const settings = parseSettings(
      (n) =>
        ({
          endpoint: 'http://unknown.test:3001',
          'app-id': 'a',
          'app-secret': 'Zq8-not-in-any-message',
          resource: 'https://x',
          retries: '3'
        })[n] ?? ''
    )
    const error = await requestToken(settings, { ...deps, lookup: loopbackNames({}, asked) }).then(
      () => new Error('resolved'),
      (e: unknown) => e as Error
    )
    expect(asked).toEqual(['unknown.test'])
    expect(error.message).toBe(
      'Could not get an answer from http://unknown.test:3001/oidc/token after 1 attempt: ' +
        'ENOTFOUND: getaddrinfo ENOTFOUND unknown.test. Check endpoint, and the runner network ' +
        'and proxy settings (HTTPS_PROXY, NO_PROXY).'
    )
  })
})
