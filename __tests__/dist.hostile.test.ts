/**
 * The committed dist/index.js against hostile servers and careless inputs, run as the runner runs
 * it: the step ends on time, nothing from the server runs as a workflow command, every form of
 * the secret is masked before it could be printed, and odd answers fail or warn clearly.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { runAction } from '../scripts/lib/runner.js'
import { startConnectProxy, startFaultyServer, tokenBody } from './support/faulty-server.js'
import {
  STALLED_BODY,
  startFullBacklog,
  startSilentServer,
  testCertificate
} from './support/hostile.js'

const secret = 'm2m-secret+%:/=&x y'
const encodedSecret = 'm2m-secret%2B%25%3A%2F%3D%26x+y'
const basic = Buffer.from(`m2m-app:${encodedSecret}`).toString('base64')
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

type Step = Awaited<ReturnType<typeof runAction>>
const step = (endpoint: string, inputs: Record<string, string> = {}, env = {}): Promise<Step> =>
  runAction({
    inputs: { endpoint, 'app-id': 'm2m-app', 'app-secret': secret, ...inputs },
    env,
    debug: true,
    timeoutMs: 30_000
  })
const rawLines = (result: Step): string[] => `${result.stdout}\n${result.stderr}`.split(/\r?\n/)
const escapeData = (value: string): string =>
  value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

/** No raw line shows `value` before the line that masks it, and the shown log never does. */
function expectMaskedFirst(result: Step, value: string): void {
  const lines = rawLines(result)
  const maskAt = lines.indexOf(`::add-mask::${escapeData(value)}`)
  expect(maskAt).toBeGreaterThanOrEqual(0)
  expect(lines.slice(0, maskAt).filter((line) => line.includes(value))).toEqual([])
  expect(result.log).not.toContain(value)
}

async function serve(handler: (req: IncomingMessage, body: string) => [number, string]) {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const [status, body] = handler(req, Buffer.concat(chunks).toString())
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('timeout bounds the whole step', () => {
  // Node's start-up and the runner emulation's bookkeeping, generously: the old behaviour took
  // 45 s and more, the bound below is attempts × timeout + backoff + this.
  const slackMs = 3000
  const hanging: [string, () => ReturnType<typeof startSilentServer>][] = [
    ['a server that accepts and never answers', () => startSilentServer()],
    ['a server that stalls mid-body', () => startSilentServer(STALLED_BODY)]
  ]
  if (process.platform === 'linux') {
    hanging.push(['a listener that never completes the connection', () => startFullBacklog()])
  }

  it.each(hanging)('%s: one attempt ends within timeout + slack', async (_name, start) => {
    const peer = await start()
    cleanups.push(() => peer.close())
    const result = await step(peer.endpoint, { timeout: '1', retries: '0' })
    expect(result.timedOut).toBe(false)
    expect(result.code).toBe(1)
    expect(result.annotations.map((a) => a.message).join('\n')).toContain(
      'after 1 attempt: no complete answer within 1 s (input timeout)'
    )
    expect(result.durationMs).toBeLessThan(1000 + slackMs)
  })

  it('two attempts end within 2 × timeout + the backoff wait + slack', async () => {
    const peer = await startSilentServer()
    cleanups.push(() => peer.close())
    const result = await step(peer.endpoint, { timeout: '1', retries: '1' })
    expect(result.code).toBe(1)
    expect(result.log).toMatch(/Attempt 1 of 2 failed \(the attempt timed out\); retrying in/)
    // The first backoff is at most 1 s.
    expect(result.durationMs).toBeLessThan(2 * 1000 + 1000 + slackMs)
  })
})

describe('an answer that is not a final response fails the step', () => {
  const SWITCH =
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'
  const failed =
    'after 1 attempt: the server answered HTTP 101 Switching Protocols (Upgrade: websocket) ' +
    'instead of a final answer.'

  // Node drops an upgrade it did not ask for without an answer or an error: the step used to
  // end green at the deadline, with nothing set.
  it.each([
    ['directly', false],
    ['through HTTP_PROXY', true]
  ])('a 101 upgrade, %s, fails at once, not retried', async (_name, proxied) => {
    const server = await startFaultyServer([{ raw: SWITCH }, { status: 200, body: tokenBody() }])
    cleanups.push(() => server.close())
    const proxy = await startConnectProxy()
    cleanups.push(() => proxy.close())
    const endpoint = proxied ? `http://logto.test:${server.port}` : server.endpoint
    const result = await step(
      endpoint,
      { timeout: '5', retries: '2' },
      proxied ? { HTTP_PROXY: proxy.url } : {}
    )
    expect(result.code).toBe(1)
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([
      expect.objectContaining({ message: expect.stringContaining(failed) })
    ])
    expect(result.outputs).toEqual({})
    expect(server.hits).toHaveLength(1)
    expect(proxy.forwarded).toHaveLength(proxied ? 1 : 0)
    expect(result.durationMs).toBeLessThan(5000)
  })
})

describe('nothing from the server becomes a workflow command or markup', () => {
  const aud = 'https://api.example.com\n::error::from aud'
  const jwt = `eyJhbGciOiJFUzM4NCJ9.${Buffer.from(JSON.stringify({ aud })).toString('base64url')}.sig`

  it('token_type, scope and aud are printed neutralised, outputs on one line', async () => {
    const server = await startFaultyServer([
      {
        status: 200,
        body: tokenBody({
          access_token: jwt,
          token_type: 'Bearer\n::error::from token_type',
          scope: 'read\n::warning::from scope `![x](https://e.example/x.png)`'
        })
      }
    ])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, {
      resource: 'https://api.example.com',
      scope: 'read',
      'fail-on-missing-scopes': 'false'
    })
    expect(result.code).toBe(0)
    expect(result.annotations.filter((a) => /from /.test(a.message))).toEqual([])
    expect(rawLines(result).filter((line) => /^\s*::(error|warning)::from/.test(line))).toEqual([])
    expect(result.log).toContain(
      'Got a Bearer ::error::from token_type token for https://api.example.com ::error::from aud'
    )
    expect(result.outputs['token-type']).toBe('Bearer ::error::from token_type')
    expect(result.outputs.audience).toBe('https://api.example.com ::error::from aud')
    expect(result.outputs.scope).toBe('read ::warning::from scope `![x](https://e.example/x.png)`')
    expect(result.summary).toContain(
      '| Granted scopes | `` read ::warning::from scope `![x](https://e.example/x.png)` `` |'
    )
  })

  it('an IPv6 address keeps its form: only what the runner would parse is broken up', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '::1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const result = await step(`http://[::1]:${port}`, { retries: '0' })
    expect(result.code).toBe(1)
    expect(result.annotations[0].message).toContain(`connect ECONNREFUSED ::1:${port}`)
  })

  it.each([
    ['resource', 'https://api.example.com\n::error::x'],
    ['organization-id', 'org\n::error::x'],
    ['app-id', 'm2m\r::error::x'],
    ['endpoint', 'http://127.0.0.1:1/\t::error::x'],
    ['env-name', 'TOKEN\n::error::x'],
    ['scope', 'read\u0001::error::x']
  ])('input %s with a control character is refused before any request', async (input, value) => {
    const server = await startFaultyServer([{ status: 200, body: tokenBody() }])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, { [input]: value })
    expect(result.code).toBe(1)
    expect(server.hits).toHaveLength(0)
    expect(result.annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining(`Input ${input} contains a control character`)
      })
    ])
  })
})

describe('the token response is checked before anything uses it', () => {
  it('a multi-line access_token fails, and no part of it is printed or exported', async () => {
    const server = await startFaultyServer([
      { status: 200, body: tokenBody({ access_token: 'first-half-XYZ\nsecond-half-XYZ' }) }
    ])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint)
    expect(result.code).toBe(1)
    expect(result.annotations[0].message).toContain(
      'with an access_token that is not a valid token'
    )
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/half-XYZ/)
    expect(result.outputs).toEqual({})
    expect(result.env).toEqual({})
  })

  // act reads `::add-mask::opaque::token` as the command `add-mask::opaque`: the token would be
  // handed over unmasked there.
  it.each<['github' | 'act']>([['github'], ['act']])(
    'an access_token with "::" fails under the %s runner, never exported',
    async (runner) => {
      const server = await startFaultyServer([
        { status: 200, body: tokenBody({ access_token: 'opaque::token-XYZ' }) }
      ])
      cleanups.push(() => server.close())
      const result = await runAction({
        inputs: { endpoint: server.endpoint, 'app-id': 'm2m-app', 'app-secret': secret },
        debug: true,
        runner,
        timeoutMs: 30_000
      })
      expect(result.code).toBe(1)
      expect(result.annotations[0].message).toContain(
        'with an access_token that holds a ":" or a "%"'
      )
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/token-XYZ/)
      expect(result.outputs).toEqual({})
      expect(result.env).toEqual({})
    }
  )

  it('expires_in 1e20 keeps the token, leaves expiry empty and warns why', async () => {
    const server = await startFaultyServer([{ status: 200, body: tokenBody({ expires_in: 1e20 }) }])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, { scope: 'read', resource: 'https://a.example' })
    expect(result.code).toBe(0)
    expect(result.outputs['expires-in']).toBe('')
    expect(result.outputs['expires-at']).toBe('')
    expect(result.outputs['access-token']).toContain('header.')
    expect(result.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining(
          'no usable expires_in (100000000000000000000 s is more than ten years)'
        )
      })
    ])
  })
})

describe('no form of the secret can reach the log', () => {
  // A gateway that quotes the request it refused, headers and body, in error_description.
  const echo = (req: IncomingMessage, body: string): [number, string] => [
    400,
    JSON.stringify({
      error: 'invalid_request',
      error_description: `refused: authorization=${req.headers.authorization ?? ''} body=${body}`
    })
  ]

  it.each([
    ['client_secret_basic', 'authorization=Basic ***'],
    ['client_secret_post', 'client_secret=***']
  ])(
    '%s: every form is masked before the request and cut out of the echo',
    async (method, shown) => {
      const endpoint = await serve(echo)
      const result = await step(endpoint, { 'auth-method': method, retries: '0' })
      expect(result.code).toBe(1)
      for (const form of [secret, encodedSecret, basic]) expectMaskedFirst(result, form)
      const message = result.annotations[0].message
      expect(message).toContain('refused: authorization=')
      expect(message).toContain(shown)
      expect(message).not.toMatch(/m2m-secret|bTJtLWFwcDpt/)
    }
  )
})

describe('server text in a transport error loses the forms before it is cut or neutralised', () => {
  // Cut at 200 characters first, a form's start stayed; neutralised first (`##[` → `# #[`), it
  // no longer matched: either way the runner, which masks whole values, saw a part of it.
  const held = 'Zx9##[Qw7TkLmN4pVb2RcY8sHd3Jf6Ga'
  const plain = 'Zx9QQQQw7TkLmN4pVb2RcY8sHd3Jf6Ga1'
  it.each([
    ['a 101 reason phrase that is the secret, holding ##[', held, `HTTP/1.1 101 ${held}`],
    [
      'a 101 reason phrase of 190 x and the secret',
      plain,
      `HTTP/1.1 101 ${'x'.repeat(190)}${plain}`
    ],
    [
      'an Upgrade header of 185 x and the secret',
      plain,
      `HTTP/1.1 101 Switching\r\nUpgrade: ${'x'.repeat(185)}${plain}`
    ]
  ])('%s: no part of the secret is printed', async (_name, appSecret, head) => {
    const server = await startFaultyServer([{ raw: `${head}\r\nConnection: Upgrade\r\n\r\n` }])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, { 'app-secret': appSecret, retries: '0' })
    expect(result.code).toBe(1)
    expect(result.annotations[0].message).toContain('the server answered HTTP 101')
    expect(result.annotations[0].message).toContain('***')
    const start = appSecret.slice(0, 6)
    const shown = rawLines(result).filter((l) => !l.startsWith('::add-mask::'))
    expect(shown.filter((l) => l.includes(start) || l.includes('Zx9# #['))).toEqual([])
  })
})

describe('a redirect that echoes the secret suggests no endpoint derived from it', () => {
  // The suggestion came from the URL parser, which lower-cased the host: redaction after it no
  // longer found the secret, and the log showed it case-folded.
  it('a mixed-case secret in the Location host is named redacted, in no case shown', async () => {
    const appSecret = 'AbCdEfGh12345678XyZ'
    const server = await startFaultyServer([
      {
        status: 302,
        headers: { Location: `https://${appSecret}.evil.example/oidc/token` },
        body: ''
      }
    ])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, { 'app-secret': appSecret, retries: '0' })
    expect(result.code).toBe(1)
    expect(result.annotations[0].message).toContain(
      'redirects to https://***.evil.example/oidc/token; credentials are never sent after a ' +
        'redirect. Set endpoint to the Logto base URL it points at.'
    )
    const shown = rawLines(result).filter((l) => !l.startsWith('::add-mask::'))
    expect(shown.filter((l) => l.toLowerCase().includes('abcdefgh'))).toEqual([])
  })
})

describe('a 200 that echoes the token or the secret shows neither', () => {
  // A secret with `##[`, which breaking up commands would turn into a form no mask matches (a
  // secret with `::`, the other case, is refused: act could not mask it).
  const echoed = 'first##[s3c0nd'
  const echoedBasic = Buffer.from(`m2m-app:${encodeURIComponent(echoed)}`).toString('base64')
  const aud = `https://api.example.com ${echoed}`
  const jwt = `eyJhbGciOiJFUzM4NCJ9.${Buffer.from(JSON.stringify({ aud })).toString('base64url')}.sig`

  it('scope, token_type, expires_in and aud lose them before anything is printed or set', async () => {
    let authorization = ''
    const endpoint = await serve((req) => {
      authorization = req.headers.authorization ?? ''
      return [
        200,
        JSON.stringify({
          access_token: jwt,
          token_type: `Bearer ${echoed}`,
          expires_in: `soon ${echoed}`,
          scope: `read ${jwt} ${authorization.replace(/^Basic /, '')}`
        })
      ]
    })
    const result = await runAction({
      inputs: {
        endpoint,
        'app-id': 'm2m-app',
        'app-secret': echoed,
        resource: 'https://api.example.com',
        scope: 'read'
      },
      debug: true,
      timeoutMs: 30_000
    })
    expect(result.code).toBe(0)
    expect(authorization).toBe(`Basic ${echoedBasic}`)
    expect(result.outputs).toMatchObject({
      'access-token': jwt,
      'token-type': 'Bearer ***',
      scope: 'read *** ***',
      audience: 'https://api.example.com ***',
      'expires-in': ''
    })
    expect(result.summary).toContain('| Granted scopes | `read *** ***` |')
    expect(result.summary).toContain('| Audience | `https://api.example.com ***` |')
    for (const form of [jwt, echoedBasic, 's3c0nd']) expect(result.summary).not.toContain(form)
    // Every line but the ones that register a mask, as the runner reads them before masking.
    const unmasked = rawLines(result).filter((line) => !line.startsWith('::add-mask::'))
    for (const form of [jwt, echoedBasic, 's3c0nd']) {
      expect(unmasked.filter((line) => line.includes(form))).toEqual([])
    }
    expect(result.log).toContain(
      'Got a Bearer *** token for https://api.example.com *** with scope "read *** ***"; exported'
    )
    expect(result.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining('("soon ***" is not a whole number of seconds)')
      })
    ])
  })
})

describe('private CAs', () => {
  /** An HTTPS server on loopback with a test certificate, answering every request alike. */
  async function serveTls(status: number, body: string) {
    const { cert, key, certPath } = testCertificate()
    const server = createHttpsServer({ cert, key }, (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    return { port: (server.address() as AddressInfo).port, certPath }
  }

  it('NODE_EXTRA_CA_CERTS makes a private certificate trusted, as docs/troubleshooting.md says', async () => {
    const { port, certPath } = await serveTls(200, tokenBody())
    const endpoint = `https://127.0.0.1:${port}`
    const inputs = { scope: 'read', resource: 'https://a.example', retries: '0' }

    const untrusted = await step(endpoint, inputs)
    expect(untrusted.code).toBe(1)
    expect(untrusted.annotations[0].message).toContain('point NODE_EXTRA_CA_CERTS at the CA')

    const trusted = await step(endpoint, inputs, { NODE_EXTRA_CA_CERTS: certPath })
    expect(trusted.code).toBe(0)
    expect(trusted.outputs['access-token']).toContain('header.')

    // The same over HTTPS_PROXY: TLS runs inside the CONNECT tunnel, checked for the host name.
    const proxy = await startConnectProxy()
    cleanups.push(() => proxy.close())
    const tunnelled = await step(`https://logto.test:${port}`, inputs, {
      NODE_EXTRA_CA_CERTS: certPath,
      HTTPS_PROXY: proxy.url
    })
    expect(tunnelled.code).toBe(0)
    expect(tunnelled.outputs['access-token']).toContain('header.')
    expect(proxy.targets).toEqual([`logto.test:${port}`])
  })

  // Only the peer the request was sent to can refuse it: inside a tunnel that is the server.
  it("a 407 from the server inside a CONNECT tunnel is the server's answer, not the proxy's", async () => {
    const { port, certPath } = await serveTls(407, '{"error":"odd"}')
    const proxy = await startConnectProxy()
    cleanups.push(() => proxy.close())
    const result = await step(
      `https://logto.test:${port}`,
      { scope: 'read', resource: 'https://a.example', retries: '0' },
      { NODE_EXTRA_CA_CERTS: certPath, HTTPS_PROXY: proxy.url }
    )
    expect(result.code).toBe(1)
    expect(proxy.targets).toEqual([`logto.test:${port}`])
    expect(result.annotations[0].message).toContain(
      'Logto refused the token request after 1 attempt: HTTP 407 odd.'
    )
    expect(result.annotations[0].message).not.toContain('proxy refused')
  })
})

describe('values built to overlap the secret leave no part of it (issue 21, point 1)', () => {
  // Characters that none of the log's other text holds four in a row of.
  const overlapped = 'Zq8xWvJ3LtQ9rKp7'
  const payload = Buffer.from(JSON.stringify({ aud: 'https://default.logto.app/api' })).toString(
    'base64url'
  )
  // The token starts with the secret's last four characters; the scope holds the secret with the
  // token following on from it, so each form overlaps the other. Replaced one after the other,
  // longest first, the token took the secret's end and left "all Zq8xWvJ3LtQ9***".
  const token = `${overlapped.slice(-4)}.${payload}.sig`
  const scope = `all ${overlapped}${token.slice(4)}`
  // Likewise a list value that overlaps the end of the secret in the name of the secret in use.
  const listValue = `${overlapped.slice(-3)}-overlapping-list-value-0123456789`
  const name = `CI ${overlapped}${listValue.slice(3)}`

  /** Every four characters in a row of the secret: none may show anywhere. */
  const fragments = Array.from({ length: overlapped.length - 3 }, (_, i) =>
    overlapped.slice(i, i + 4)
  )

  it('the scope output, the log, the annotations and the summary hold no four characters of it', async () => {
    const server = await startFaultyServer([
      { status: 200, body: tokenBody({ access_token: token, scope }) },
      {
        status: 200,
        body: JSON.stringify([
          { name, value: overlapped, expiresAt: Date.now() + 2 * 86_400_000 },
          { name: 'Other', value: listValue, expiresAt: null }
        ])
      }
    ])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, { 'app-secret': overlapped })
    expect(result.code).toBe(0)
    for (const fragment of fragments) expect(payload).not.toContain(fragment)
    expect(result.outputs.scope).toBe('all ***')
    expect(result.outputs['access-token']).toBe(token)
    const warnings = result.annotations.map((a) => a.message)
    expect(warnings).toEqual([expect.stringMatching(/^The app secret in use, "CI \*\*\*" of app/)])
    expect(result.summary).toContain('| Granted scopes | `all ***` |')
    expect(result.summary).toContain('| App secret | `CI ***: expires on')
    // Every raw line but those that register a mask, as the runner reads them before masking.
    const shown = [
      ...rawLines(result).filter((line) => !line.startsWith('::add-mask::')),
      result.log,
      result.summary,
      ...warnings
    ].join('\n')
    expect(fragments.filter((fragment) => shown.includes(fragment))).toEqual([])
  })
})

describe('an app-id that holds a workflow command is printed neutralised (issue 21, point 3)', () => {
  const payload = Buffer.from(JSON.stringify({ aud: 'https://default.logto.app/api' })).toString(
    'base64url'
  )
  const token = `e30.${payload}.sig`

  it.each(['##[warning]INJECTED', '::warning::INJECTED'])(
    'the legacy-secret line of the expiry check with app-id %j',
    async (appId) => {
      const server = await startFaultyServer([
        { status: 200, body: tokenBody({ access_token: token, scope: 'all' }) },
        { status: 200, body: '[]' }
      ])
      cleanups.push(() => server.close())
      const result = await step(server.endpoint, { 'app-id': appId })
      expect(result.code).toBe(0)
      expect(result.annotations).toEqual([])
      const injected = rawLines(result).filter((line) => line.includes('INJECTED'))
      expect(injected).toEqual(
        expect.arrayContaining([expect.stringContaining('legacy secret, which never expires')])
      )
      for (const line of injected) {
        expect(line).not.toMatch(/^\s*::(?!debug::)/)
        expect(line).not.toContain('##[')
      }
    }
  )
})

describe('absurd sizes are refused before the hand-over', () => {
  // Whole in the outputs, one log line and the summary, 300 KB each used to make a 700 KB line.
  const aud = (value: string): string =>
    `e30.${Buffer.from(JSON.stringify({ aud: value })).toString('base64url')}.sig`
  it.each([
    ['token_type', { token_type: 'B'.repeat(300_000) }, 'a token_type that is 300000 characters'],
    ['scope', { scope: 's'.repeat(300_000) }, 'a scope that is 300000 characters'],
    [
      'the JWT audience',
      { access_token: aud('a'.repeat(300_000)) },
      'whose JWT audience (aud) is 300000 characters'
    ]
  ])('%s of 300 000 characters fails the step, nothing set', async (_name, extra, why) => {
    const server = await startFaultyServer([{ status: 200, body: tokenBody(extra) }])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, { retries: '2' })
    expect(result.code).toBe(1)
    expect(result.annotations.map((a) => a.message)).toEqual([expect.stringContaining(why)])
    expect(result.outputs).toEqual({})
    expect(server.hits).toHaveLength(1)
    expect(Math.max(...rawLines(result).map((l) => l.length))).toBeLessThan(2000)
  })
})

describe('the hand-over is the last thing that can fail (issue 21, point 2)', () => {
  it('a granted scope of 8 000 backtick runs (near the 16 KiB cap): the step succeeds, the summary fences it', async () => {
    const scope = `read ${'`a'.repeat(8_000)}`
    const server = await startFaultyServer([{ status: 200, body: tokenBody({ scope }) }])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, {
      resource: 'https://api.example.com',
      scope: 'read'
    })
    expect(result.code).toBe(0)
    expect(result.annotations).toEqual([])
    expect(result.outputs.scope === scope).toBe(true)
    expect(result.summary.includes(`| Granted scopes | \`\`${scope}\`\` |`)).toBe(true)
  })
})
