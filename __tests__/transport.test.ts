/** requestToken over real sockets: IPv6 literals, proxies that refuse, TLS that is not trusted. */
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import {
  createConnection,
  createServer as createNetServer,
  type AddressInfo,
  type LookupFunction,
  type Server as NetServer,
  type Socket as NetSocket
} from 'node:net'
import { parseSettings } from '../src/settings.js'
import { requestToken } from '../src/token.js'
import { quietDeps as deps } from './support/deps.js'
import { startConnectProxy, tokenBody } from './support/faulty-server.js'
import { rejection } from './support/outcome.js'
import { startRefusingProxy, startSilentServer, testCertificate } from './support/hostile.js'
import { loopbackNames, silentResolver } from './support/names.js'

const cleanups: (() => Promise<void>)[] = []
const proxyVariables = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy'
]
const savedEnv = { ...process.env }
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
  for (const name of proxyVariables) {
    if (name in savedEnv) process.env[name] = savedEnv[name]
    else Reflect.deleteProperty(process.env, name)
  }
})

async function listen(server: NetServer, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return (server.address() as AddressInfo).port
}

function tokenServer(hits: string[]): Server {
  return createHttpServer((req, res) => {
    hits.push(`${req.method} ${req.url} host=${req.headers.host}`)
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(tokenBody())
  })
}

const get = (
  endpoint: string,
  extra: Record<string, string> = {},
  lookup: LookupFunction = loopbackNames({})
) =>
  requestToken(
    parseSettings(
      (name) =>
        ({
          endpoint,
          'app-id': 'app',
          'app-secret': 'secret',
          resource: 'https://api.example.com',
          scope: 'read',
          timeout: '5',
          ...extra
        })[name] ?? ''
    ),
    { ...deps, lookup }
  )

describe('the deadline timer', () => {
  // A timer left behind would keep every successful step alive for the whole timeout.
  it('is cleared once the answer is read', async () => {
    const port = await listen(tokenServer([]), '127.0.0.1')
    const { setTimeout: set, clearTimeout: clear } = globalThis
    const deadlines: unknown[] = []
    const cleared = new Set<unknown>()
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      const timer = set(fn, ms)
      if (ms === 600_000) deadlines.push(timer)
      return timer
    }) as typeof setTimeout
    globalThis.clearTimeout = (timer: Parameters<typeof clearTimeout>[0]) => {
      cleared.add(timer)
      clear(timer)
    }
    try {
      await get(`http://127.0.0.1:${port}`, { timeout: '600' })
    } finally {
      Object.assign(globalThis, { setTimeout: set, clearTimeout: clear })
    }
    expect(deadlines).toHaveLength(1)
    expect(cleared.has(deadlines[0])).toBe(true)
  })
})

describe('IPv6 literal endpoints', () => {
  it('http://[::1]:port reaches the server, with a bracketed Host header', async () => {
    const hits: string[] = []
    const port = await listen(tokenServer(hits), '::1')
    const result = await get(`http://[::1]:${port}`)
    expect(result.accessToken).toContain('header.')
    expect(hits).toEqual([`POST /oidc/token host=[::1]:${port}`])
  })
})

describe('proxies', () => {
  it.each([
    [407, /The proxy in HTTPS_PROXY wants credentials: put them in the proxy URL/, 1],
    [403, /Check the proxy in HTTPS_PROXY, or add the Logto host to NO_PROXY/, 1],
    [502, /Check the proxy in HTTPS_PROXY, or add/, 3]
  ])('a CONNECT answered %i fails with a proxy hint', async (status, hint, attempts) => {
    const proxy = await startRefusingProxy(status)
    cleanups.push(() => proxy.close())
    process.env.HTTP_PROXY = proxy.url
    process.env.HTTPS_PROXY = proxy.url
    // Not a loopback name, so the proxy is used; the proxy never connects anywhere.
    const error = await rejection(get('https://logto.test:3001', { retries: '2' }))
    expect(error.message).toContain(
      `after ${attempts} attempt${attempts === 1 ? '' : 's'}: the proxy refused to open a tunnel ` +
        `to logto.test (HTTP ${status}).`
    )
    expect(error.message).toMatch(hint)
    expect(proxy.targets).toEqual(Array(attempts).fill('logto.test:3001'))
  })
})

describe('proxy tunnels', () => {
  it('sends the proxy URL credentials, decoded, as Proxy-Authorization', async () => {
    const proxy = await startRefusingProxy(407)
    cleanups.push(() => proxy.close())
    process.env.HTTPS_PROXY = proxy.url.replace('http://', 'http://us%40er:p%3Ass@')
    await get('https://logto.test', { retries: '0' }).catch(() => undefined)
    expect(proxy.targets).toEqual(['logto.test:443'])
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`])
  })

  it.each([
    ['a user name alone', 'http://us%40er@', 'us@er:'],
    ['a password alone', 'http://:p%3Ass@', ':p:ss'],
    ['none', 'http://', undefined]
  ])('sends Proxy-Authorization for %s in the proxy URL', async (_name, prefix, credentials) => {
    const proxy = await startRefusingProxy(407)
    cleanups.push(() => proxy.close())
    process.env.HTTPS_PROXY = proxy.url.replace('http://', prefix)
    await get('https://logto.test', { retries: '0' }).catch(() => undefined)
    expect(proxy.targets).toEqual(['logto.test:443'])
    expect(proxy.authorizations).toEqual([
      credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`
    ])
  })

  it('reaches a proxy at an IPv6 literal', async () => {
    const proxy = await startRefusingProxy(407, '::1')
    cleanups.push(() => proxy.close())
    process.env.HTTPS_PROXY = proxy.url
    const error = await rejection(get('https://logto.test', { retries: '0' }))
    expect(error.message).toContain('the proxy refused to open a tunnel to logto.test (HTTP 407)')
    expect(proxy.targets).toEqual(['logto.test:443'])
  })

  it('speaks TLS to an https:// endpoint inside the tunnel, naming the host (SNI)', async () => {
    const { cert, key } = testCertificate()
    const names: (string | undefined)[] = []
    const server = createHttpsServer({
      cert,
      key,
      SNICallback: (name, done) => {
        names.push(name)
        done(null, undefined)
      }
    })
    server.on('tlsClientError', () => undefined)
    const port = await listen(server, '127.0.0.1')
    const proxy = await startConnectProxy()
    cleanups.push(() => proxy.close())
    process.env.HTTPS_PROXY = proxy.url
    const error = await rejection(get(`https://logto.test:${port}`, { retries: '0' }))
    expect(error.message).toContain('TLS error DEPTH_ZERO_SELF_SIGNED_CERT')
    expect(proxy.targets).toEqual([`logto.test:${port}`])
    expect(names).toEqual(['logto.test'])
  })

  it('a proxy that never answers CONNECT is given up on at the deadline', async () => {
    const proxy = await startRefusingProxy(undefined)
    cleanups.push(() => proxy.close())
    process.env.HTTPS_PROXY = proxy.url
    const started = Date.now()
    const error = await rejection(get('https://logto.test', { retries: '0', timeout: '0.5' }))
    const address = proxy.url.replace('http://', '')
    expect(error.message).toContain(
      `after 1 attempt: no answer from the proxy ${address} (HTTPS_PROXY) within 0.5 s (input ` +
        'timeout). Check that the proxy in HTTPS_PROXY is running and reachable from the runner, ' +
        'or raise timeout.'
    )
    expect(Date.now() - started).toBeLessThan(1500)
  })
})

describe('one loopback rule for the proxy bypass and the plain-http warning', () => {
  it('http://logto.localhost goes directly, with neither the proxy nor the warning', async () => {
    const hits: string[] = []
    const port = await listen(tokenServer(hits), '127.0.0.1')
    const proxy = await startConnectProxy()
    cleanups.push(() => proxy.close())
    process.env.HTTP_PROXY = proxy.url.replace('http://', 'http://proxy-user:proxy-pass@')
    const endpoint = `http://logto.localhost:${port}`
    const settings = parseSettings(
      (name) => ({ endpoint, 'app-id': 'app', 'app-secret': 'secret' })[name] ?? ''
    )
    expect(settings.warnings).toEqual([])
    const result = await get(endpoint, {}, loopbackNames({ 'logto.localhost': '127.0.0.1' }))
    expect(result.attempts).toBe(1)
    expect(proxy.forwarded).toEqual([])
    expect(proxy.authorizations).toEqual([])
    expect(hits).toEqual([`POST /oidc/token host=logto.localhost:${port}`])
  })

  it('a localhost name is connected to loopback addresses only, whatever its lookup says', async () => {
    const hits: string[] = []
    const port = await listen(tokenServer(hits), '127.0.0.1')
    // 0.0.0.0 stays on this machine, but is not a loopback address.
    const error = await rejection(
      get(`http://logto.localhost:${port}`, {}, loopbackNames({ 'logto.localhost': '0.0.0.0' }))
    )
    expect(error.message).toContain(
      'after 1 attempt: ENOTFOUND: logto.localhost resolved to 0.0.0.0, not to a loopback ' +
        'address, which localhost names must.'
    )
    expect(hits).toEqual([])
  })

  it('https://127.evil.example, a DNS name, goes through HTTPS_PROXY', async () => {
    const proxy = await startRefusingProxy(407)
    cleanups.push(() => proxy.close())
    process.env.HTTPS_PROXY = proxy.url
    const asked: string[] = []
    const error = await rejection(
      get('https://127.evil.example', { retries: '0' }, loopbackNames({}, asked))
    )
    expect(proxy.targets).toEqual(['127.evil.example:443'])
    expect(asked).toEqual([])
    expect(error.message).toContain('the proxy refused to open a tunnel to 127.evil.example')
  })
})

describe('proxy values without a scheme', () => {
  it('user:pass@host:port is read as http://, credentials and all', async () => {
    const proxy = await startRefusingProxy(407)
    cleanups.push(() => proxy.close())
    // `user:` parses as a URL scheme; read so, the CONNECT went to localhost:80.
    process.env.HTTPS_PROXY = proxy.url.replace('http://', 'user:pass@')
    const error = await rejection(get('https://logto.test', { retries: '0' }))
    expect(proxy.targets).toEqual(['logto.test:443'])
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('user:pass').toString('base64')}`])
    expect(error.message).toContain('The proxy in HTTPS_PROXY refused the credentials in its URL')
  })
})

describe("TLS with an https:// proxy is the proxy's", () => {
  const untrusted = async (): Promise<number> => {
    const { cert, key } = testCertificate()
    const server = createHttpsServer({ cert, key })
    server.on('tlsClientError', () => undefined)
    return listen(server, '127.0.0.1')
  }
  // Node's http server answers a TLS hello 400 Bad Request, as squid does.
  const plainHttp = (): Promise<number> => listen(createHttpServer(), '127.0.0.1')

  it.each([
    ['https', 'HTTPS_PROXY'],
    ['http', 'HTTP_PROXY']
  ])(
    'an untrusted certificate, for an %s endpoint: names the proxy and NODE_EXTRA_CA_CERTS',
    async (scheme, variable) => {
      const port = await untrusted()
      process.env[variable] = `https://proxy-user:proxy-pass@127.0.0.1:${port}`
      const error = await rejection(get(`${scheme}://logto.test`, { retries: '2' }))
      expect(error.message).toContain(
        `after 1 attempt: TLS error DEPTH_ZERO_SELF_SIGNED_CERT with the proxy 127.0.0.1:${port} ` +
          `(${variable}). The TLS certificate of the proxy in ${variable} is not trusted by ` +
          "Node.js: if the proxy uses a private CA, point NODE_EXTRA_CA_CERTS at that CA's PEM " +
          'file on the runner.'
      )
      expect(error.message).not.toMatch(
        /Logto uses|endpoint has the right scheme|proxy-(user|pass)/
      )
    }
  )

  it.each([
    ['https', 'HTTPS_PROXY'],
    ['http', 'HTTP_PROXY']
  ])(
    'a proxy that speaks plain http, for an %s endpoint: use http://',
    async (scheme, variable) => {
      const port = await plainHttp()
      process.env[variable] = `https://proxy-user:proxy-pass@127.0.0.1:${port}`
      const error = await rejection(get(`${scheme}://logto.test`, { retries: '2' }))
      expect(error.message).toMatch(
        new RegExp(
          `after 1 attempt: TLS error \\w+ with the proxy 127\\.0\\.0\\.1:${port} \\(${variable}\\)\\. ` +
            `The proxy in ${variable} did not complete a TLS handshake: if it takes plain http ` +
            '\\(as most proxies do\\), write its URL with http:// instead of https://'
        )
      )
      expect(error.message).not.toMatch(
        /Logto uses|endpoint has the right scheme|proxy-(user|pass)/
      )
    }
  )
})

/**
 * A proxy that answers CONNECT with `interim` (written in pieces, `pause` ms apart), then `final`
 * when given, and tunnels to 127.0.0.1 at the requested port after a 200.
 */
async function startInterimProxy(
  interim: string[],
  final: string | undefined,
  pause = 30
): Promise<{ url: string; targets: string[] }> {
  const targets: string[] = []
  const server = createNetServer((client) => {
    client.on('error', () => undefined)
    let head = ''
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      client.off('data', onData)
      // Held until the tunnel is piped: the client speaks TLS as soon as it reads the 200.
      client.pause()
      const target = head.split(' ')[1] ?? ''
      targets.push(target)
      const pieces = [...interim, ...(final === undefined ? [] : [final])]
      const write = (index: number): void => {
        if (index === pieces.length) {
          if (!pieces.join('').includes('HTTP/1.1 200')) return
          const upstream = createConnection(Number(target.split(':').pop()), '127.0.0.1')
          upstream.on('error', () => client.destroy())
          upstream.pipe(client)
          client.pipe(upstream)
          return
        }
        client.write(pieces[index], () => setTimeout(() => write(index + 1), pause))
      }
      write(0)
    }
    client.on('data', onData)
  })
  const clients = new Set<NetSocket>()
  server.on('connection', (client: NetSocket) => clients.add(client))
  cleanups.push(async () => {
    for (const client of clients) client.destroy()
  })
  const port = await listen(server, '127.0.0.1')
  return { url: `http://127.0.0.1:${port}`, targets }
}

describe('interim answers of a proxy to CONNECT', () => {
  const established = 'HTTP/1.1 200 Connection Established\r\n\r\n'
  /** An https server whose untrusted certificate shows that TLS reached it through the tunnel. */
  const tlsServer = async (): Promise<number> => {
    const { cert, key } = testCertificate()
    const server = createHttpsServer({ cert, key })
    server.on('tlsClientError', () => undefined)
    return listen(server, '127.0.0.1')
  }

  it.each([
    ['a 102, then the 200', ['HTTP/1.1 102 Processing\r\n\r\n'], established],
    [
      'two interim answers with headers, the 200 in pieces',
      ['HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 2'],
      '00 Connection Established\r\n\r\n'
    ],
    [
      'the interim and final answers in one write',
      [`HTTP/1.1 102 Processing\r\n\r\n${established}`],
      ''
    ]
  ])('%s: waits for the final answer and opens the tunnel', async (_name, interim, final) => {
    const port = await tlsServer()
    const proxy = await startInterimProxy(interim, final)
    process.env.HTTPS_PROXY = proxy.url
    const error = await rejection(get(`https://logto.test:${port}`, { retries: '0' }))
    expect(proxy.targets).toEqual([`logto.test:${port}`])
    // The TLS handshake with the server inside the tunnel is what failed: the tunnel was open.
    expect(error.message).toContain(
      'after 1 attempt: TLS error DEPTH_ZERO_SELF_SIGNED_CERT. The TLS certificate of logto.test'
    )
  })

  it("the proxy's interim answer is not the server's: a reset inside the tunnel says so", async () => {
    const server = createNetServer((socket) => socket.resetAndDestroy())
    const port = await listen(server, '127.0.0.1')
    const proxy = await startInterimProxy(['HTTP/1.1 102 Processing\r\n\r\n'], established)
    process.env.HTTPS_PROXY = proxy.url
    const error = await rejection(get(`https://logto.test:${port}`, { retries: '0' }))
    expect(error.message).toContain(
      'after 1 attempt: ECONNRESET: the connection closed before any answer.'
    )
  })

  it('a 102, then a 407: the final answer is the refusal', async () => {
    const proxy = await startInterimProxy(
      ['HTTP/1.1 102 Processing\r\n\r\n'],
      'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n'
    )
    process.env.HTTPS_PROXY = proxy.url
    const error = await rejection(get('https://logto.test', { retries: '2' }))
    expect(error.message).toContain(
      'after 1 attempt: the proxy refused to open a tunnel to logto.test (HTTP 407)'
    )
  })

  it.each([
    // Not retried (with retries 1, still one attempt), as a non-HTTP answer without the 102.
    [
      'something that is not HTTP',
      'SSH-2.0-x\r\n\r\n',
      '1',
      'answered CONNECT with something not HTTP'
    ],
    [
      'endless interim headers',
      `X-Pad: ${'x'.repeat(70 * 1024)}`,
      '0',
      'ECONNRESET: the proxy sent, after an interim answer, an answer head of more than 64 KiB without its end'
    ]
  ])('a 102, then %s: fails naming the proxy', async (_name, rest, retries, text) => {
    const proxy = await startInterimProxy([`HTTP/1.1 102 Processing\r\n\r\n${rest}`], undefined)
    process.env.HTTPS_PROXY = proxy.url
    const error = await rejection(get('https://logto.test', { retries }))
    expect(error.message).toContain(
      `after 1 attempt: the proxy ${proxy.url.replace('http://', '')} (HTTPS_PROXY) could not ` +
        `be reached: ${text.startsWith('E') ? text : `the proxy ${text}`}`
    )
  })

  it('a 102 and nothing more: the deadline names the proxy', async () => {
    const proxy = await startInterimProxy(['HTTP/1.1 102 Processing\r\n\r\n'], undefined)
    process.env.HTTPS_PROXY = proxy.url
    const started = Date.now()
    const error = await rejection(get('https://logto.test', { retries: '0', timeout: '0.5' }))
    expect(error.message).toContain(
      'after 1 attempt: no final answer (only an interim HTTP 102 Processing) from the proxy ' +
        `${proxy.url.replace('http://', '')} (HTTPS_PROXY) within 0.5 s (input timeout)`
    )
    expect(Date.now() - started).toBeLessThan(1500)
  })
})

describe('nothing listening at a name with two addresses', () => {
  it('http://localhost:port names both addresses tried', async () => {
    // A port just freed on both families; localhost resolves to both, as on most runners.
    const server = createHttpServer()
    const port = await listen(server, '::')
    await cleanups.pop()?.()
    const both: LookupFunction = (_hostname, options, callback) => {
      const addresses = [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 }
      ]
      process.nextTick(() =>
        options.all ? callback(null, addresses) : callback(null, '127.0.0.1', 4)
      )
    }
    const error = await rejection(get(`http://localhost:${port}`, { retries: '0' }, both))
    expect(error.message).toContain(
      `after 1 attempt: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}, [::1]:${port}. ` +
        'Check endpoint'
    )
  })
})

describe('TLS', () => {
  it('an untrusted certificate is not retried and points at NODE_EXTRA_CA_CERTS', async () => {
    const { cert, key } = testCertificate()
    let hits = 0
    const server = createHttpsServer({ cert, key }, (_req, res) => {
      hits++
      res.end(tokenBody())
    })
    server.on('tlsClientError', () => undefined)
    const port = await listen(server, '127.0.0.1')
    const error = await rejection(get(`https://127.0.0.1:${port}`))
    expect(error.message).toContain(
      `Could not get an answer from https://127.0.0.1:${port}/oidc/token after 1 attempt: ` +
        'TLS error DEPTH_ZERO_SELF_SIGNED_CERT. The TLS certificate of 127.0.0.1 ' +
        "is not trusted by Node.js: if Logto uses a private CA, point NODE_EXTRA_CA_CERTS at the CA's " +
        'PEM file on the runner.'
    )
    expect(hits).toBe(0)
  })

  it('https to a plain-http port is a TLS error, not retried', async () => {
    const port = await listen(tokenServer([]), '127.0.0.1')
    const error = await rejection(get(`https://127.0.0.1:${port}`))
    expect(error.message).toMatch(/after 1 attempt: .*The TLS connection to 127.0.0.1 failed/)
  })
})

describe('plain http through a forward proxy', () => {
  it('is sent in absolute form with Proxy-Authorization, never as CONNECT', async () => {
    const hits: string[] = []
    const port = await listen(tokenServer(hits), '127.0.0.1')
    const proxy = await startConnectProxy()
    cleanups.push(() => proxy.close())
    process.env.HTTP_PROXY = proxy.url.replace('http://', 'http://us%40er:p%3Ass@')
    const result = await get(`http://logto.test:${port}`)
    expect(result.attempts).toBe(1)
    expect(proxy.targets).toEqual([])
    expect(proxy.forwarded).toEqual([`POST http://logto.test:${port}/oidc/token HTTP/1.1`])
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`])
    // The proxy passed the request on; the server saw the endpoint's Host, not the proxy's.
    expect(hits).toEqual([`POST /oidc/token host=logto.test:${port}`])
  })

  it('leaves the port out of the request line and Host for port 80', async () => {
    const proxy = await startRefusingProxy(407)
    cleanups.push(() => proxy.close())
    process.env.HTTP_PROXY = proxy.url
    const error = await rejection(get('http://logto.test', { retries: '2' }))
    expect(proxy.targets).toEqual(['http://logto.test/oidc/token'])
    expect(proxy.authorizations).toEqual([undefined])
    expect(error.message).toContain(
      'after 1 attempt: the proxy refused to forward the request to logto.test (HTTP 407). The ' +
        'proxy in HTTP_PROXY wants credentials: put them in the proxy URL'
    )
  })

  it('does not follow a redirect', async () => {
    const hits: string[] = []
    const server = createHttpServer((req, res) => {
      hits.push(req.url ?? '')
      res.writeHead(307, { Location: 'http://elsewhere.test/oidc/token' })
      res.end()
    })
    const port = await listen(server, '127.0.0.1')
    const proxy = await startConnectProxy()
    cleanups.push(() => proxy.close())
    process.env.HTTP_PROXY = proxy.url
    const error = await rejection(get(`http://logto.test:${port}`))
    expect(error.message).toContain('HTTP 307')
    expect(hits).toEqual(['/oidc/token'])
    expect(proxy.forwarded).toHaveLength(1)
  })
})

describe('a 407 without a proxy', () => {
  it("is the server's answer: only a proxy's own 407 names the proxy", async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(407, { 'Content-Type': 'application/json' })
      res.end('{"error":"odd"}')
    })
    const port = await listen(server, '127.0.0.1')
    const error = await rejection(get(`http://127.0.0.1:${port}`, { retries: '0' }))
    expect(error.message).toContain(
      'Logto refused the token request after 1 attempt: HTTP 407 odd.'
    )
    expect(error.message).not.toContain('proxy refused')
  })
})

describe('a proxy that refuses the credentials given', () => {
  it.each([
    ['https://logto.test', 'HTTPS_PROXY', 'open a tunnel to'],
    ['http://logto.test', 'HTTP_PROXY', 'forward the request to']
  ])('%s: says so, and never prints them', async (endpoint, variable, what) => {
    const proxy = await startRefusingProxy(407)
    cleanups.push(() => proxy.close())
    process.env[variable] = proxy.url.replace('http://', 'http://proxy-user:proxy-p%40ss@')
    const error = await rejection(get(endpoint))
    expect(error.message).toContain(
      `after 1 attempt: the proxy refused to ${what} logto.test (HTTP 407). The proxy in ` +
        `${variable} refused the credentials in its URL: check the user name and password there ` +
        '(percent-encoded), or add the Logto host to NO_PROXY.'
    )
    const basic = Buffer.from('proxy-user:proxy-p@ss').toString('base64')
    expect(error.message).not.toMatch(/proxy-user|proxy-p|%40ss/)
    expect(error.message).not.toContain(basic)
  })
})

describe('a proxy that cannot be reached is named, without its credentials', () => {
  const closedPort = async (): Promise<number> => {
    const server = createHttpServer()
    const port = await listen(server, '127.0.0.1')
    await cleanups.pop()?.()
    return port
  }
  const credentials = 'http://proxy-user:proxy-pass@'

  it.each(['https', 'http'])('refused, for an %s endpoint', async (scheme) => {
    const port = await closedPort()
    const variable = `${scheme.toUpperCase()}_PROXY`
    process.env[variable] = `${credentials}127.0.0.1:${port}`
    const error = await rejection(get(`${scheme}://logto.test`, { retries: '1' }))
    expect(error.message).toContain(
      `after 2 attempts: the proxy 127.0.0.1:${port} (${variable}) could not be reached: ` +
        `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}. Check the proxy in ${variable}: its host and ` +
        'port, and that it is running and reachable from the runner; or add the Logto host to ' +
        'NO_PROXY.'
    )
    expect(error.message).not.toContain('proxy-pass')
  })

  it('reset, naming the lower-case variable it came from', async () => {
    const server = createHttpServer()
    server.on('connection', (socket) => socket.resetAndDestroy())
    const port = await listen(server, '127.0.0.1')
    process.env.https_proxy = `${credentials}127.0.0.1:${port}`
    const error = await rejection(get('https://logto.test', { retries: '0' }))
    expect(error.message).toMatch(
      new RegExp(
        `after 1 attempt: the proxy 127\\.0\\.0\\.1:${port} \\(https_proxy\\) could not be ` +
          'reached: ECONNRESET'
      )
    )
    expect(error.message).not.toContain('proxy-pass')
  })

  it('no answer: the deadline names the proxy', async () => {
    const peer = await startSilentServer()
    cleanups.push(() => peer.close())
    const address = peer.endpoint.replace('http://', '')
    process.env.HTTP_PROXY = peer.endpoint.replace('http://', credentials)
    process.env.HTTPS_PROXY = process.env.HTTP_PROXY
    const error = await rejection(get('http://logto.test', { retries: '0', timeout: '0.5' }))
    // The forward proxy accepted the connection, so the wait is for the answer it relays.
    expect(error.message).toContain('no complete answer within 0.5 s (input timeout)')
    const unconnected = await rejection(get('https://logto.test', { retries: '0', timeout: '0.5' }))
    expect(unconnected.message).toContain(
      `no answer from the proxy ${address} (HTTPS_PROXY) within 0.5 s`
    )
    expect(`${error.message}${unconnected.message}`).not.toContain('proxy-pass')
  })

  it('an unknown name, through the lookup the request uses, is not retried', async () => {
    process.env.HTTPS_PROXY = `${credentials}proxy.test:3128`
    const asked: string[] = []
    const error = await rejection(
      get('https://logto.test', { retries: '2' }, loopbackNames({}, asked))
    )
    expect(asked).toEqual(['proxy.test'])
    expect(error.message).toContain(
      'after 1 attempt: the proxy proxy.test:3128 (HTTPS_PROXY) could not be reached: ' +
        'ENOTFOUND: getaddrinfo ENOTFOUND proxy.test.'
    )
  })

  it('a lookup of the proxy host that never answers ends at the deadline, named', async () => {
    process.env.HTTPS_PROXY = `${credentials}proxy.test`
    const error = await rejection(
      get('https://logto.test', { retries: '0', timeout: '0.5' }, silentResolver())
    )
    expect(error.message).toContain(
      'after 1 attempt: the name lookup of the proxy host proxy.test (HTTPS_PROXY) did not finish ' +
        "within 0.5 s (input timeout). Check the proxy host name in HTTPS_PROXY and the runner's " +
        'DNS settings, or raise timeout.'
    )
  })
})

describe('a connection that closes before the answer is complete', () => {
  /** A server that writes `reply` on every connection, then resets it. */
  const resetting = (reply = ''): NetServer =>
    createNetServer((socket) => {
      socket.on('error', () => undefined)
      socket.write(reply, () => setTimeout(() => socket.resetAndDestroy(), 50))
    })

  it.each([
    ['https', 'HTTPS_PROXY'],
    ['http', 'HTTP_PROXY']
  ])(
    'behind a proxy that was reached, for an %s endpoint: the server closed it, not the proxy',
    async (scheme, variable) => {
      const port = await listen(resetting(), '127.0.0.1')
      const proxy = await startConnectProxy()
      cleanups.push(() => proxy.close())
      process.env[variable] = proxy.url
      const error = await rejection(get(`${scheme}://logto.test:${port}`, { retries: '0' }))
      expect(error.message).toContain(
        'after 1 attempt: ECONNRESET: the connection closed before any answer.'
      )
      expect(error.message).not.toContain('could not be reached')
    }
  )

  it('after the status line: the error is the one the body read met', async () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n'
    const port = await listen(resetting(`${head}{"access_token"`), '127.0.0.1')
    const error = await rejection(get(`http://127.0.0.1:${port}`, { retries: '0' }))
    expect(error.message).toContain('after 1 attempt: ECONNRESET: read ECONNRESET.')
  })

  it('a 101 without a reason phrase is named by its status alone', async () => {
    const port = await listen(
      resetting('HTTP/1.1 101 \r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n'),
      '127.0.0.1'
    )
    const error = await rejection(get(`http://127.0.0.1:${port}`, { retries: '0' }))
    expect(error.message).toContain(
      'after 1 attempt: the server answered HTTP 101 (Upgrade: h2c) instead of a final answer.'
    )
  })

  // Cut to 200 characters or neutralised (`##[` → `# #[`) before redaction, a form that the
  // server echoes would show its first characters, or no longer match.
  const held = 'Zx9##[Qw7TkLmN4pVb2RcY8sHd3Jf6Ga'
  const plain = 'Zx9QQQQw7TkLmN4pVb2RcY8sHd3Jf6Ga1'
  it.each([
    ['a 101 reason phrase that is the secret, holding ##[', held, `HTTP/1.1 101 ${held}`],
    ['a 101 reason phrase cut at 200', plain, `HTTP/1.1 101 ${'x'.repeat(190)}${plain}`],
    [
      'an Upgrade header cut at 200',
      plain,
      `HTTP/1.1 101 Switching\r\nUpgrade: ${'x'.repeat(185)}${plain}`
    ],
    ['an interim 102 before the close', plain, `HTTP/1.1 102 ${'x'.repeat(185)}${plain}`]
  ])('%s: no part of the secret is quoted', async (_name, secret, head) => {
    const port = await listen(resetting(`${head}\r\nConnection: Upgrade\r\n\r\n`), '127.0.0.1')
    const error = await rejection(
      get(`http://127.0.0.1:${port}`, { retries: '0', 'app-secret': secret })
    )
    expect(error.message).toContain('***')
    expect(error.message).not.toContain(secret.slice(0, 6))
    expect(error.message).not.toContain(secret.slice(0, 6).replace('##[', '# #['))
  })
})
