/** Every HTTP call: no redirects, a deadline that aborts every phase, a body cap. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { isIP, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { ConnectionOptions } from 'node:tls'
import { unbracket } from './endpoint.js'
import { ResponseError, TransportError } from './errors.js'
import { quote } from './log-text.js'

/** The largest response body read; a token response is a few KiB. */
export const MAX_BODY_BYTES = 1024 * 1024

/** A raw HTTP answer. */
export interface HttpAnswer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** What to send: the method, headers of the caller's own, and a body for POST. */
export interface HttpCall {
  readonly method: 'GET' | 'POST'
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

/** Options of one request. */
export interface PostOptions {
  readonly timeoutMs: number
  readonly userAgent: string
}

// Certificate errors that a private CA explains; NODE_EXTRA_CA_CERTS is the fix.
const UNTRUSTED_CERT = /^(?:UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|CERT_UNTRUSTED)/
// EPROTO is what OpenSSL's record errors surface as, e.g. https to a plain-http port.
const OTHER_TLS = /^(?:CERT_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/

/** POSTs an urlencoded form and reads the whole answer, or throws a TransportError. */
export function postForm(
  url: string,
  form: URLSearchParams,
  headers: Readonly<Record<string, string>>,
  options: PostOptions
): Promise<HttpAnswer> {
  const body = form.toString()
  return send(
    url,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(Buffer.byteLength(body)),
        ...headers
      },
      body
    },
    options
  )
}

/** Sends one request and reads the whole answer, or throws a TransportError. */
export async function send(url: string, call: HttpCall, options: PostOptions): Promise<HttpAnswer> {
  // Evaluated here, not at start-up (eager: same bundle file, no second chunk): a run that fails
  // on its inputs never pays for the HTTP stack.
  const net = await import(/* webpackMode: "eager" */ './deferred/http-client.js')
  const target = new URL(url)
  const request = target.protocol === 'https:' ? net.httpsRequest : net.httpRequest
  // One signal for every phase: the proxy tunnel, connect, TLS, headers and the body.
  const controller = new AbortController()
  const { signal } = controller
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  // HTTPS_PROXY / HTTP_PROXY / NO_PROXY as @actions/http-client reads them; loopback is direct.
  const proxy = net.getProxyUrl(target)
  try {
    return await new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(
        target,
        {
          method: call.method,
          agent: proxy ? undefined : false,
          // Node waits for `done` when createConnection returns nothing; on error the socket is unused.
          createConnection: proxy
            ? (_options, done) => {
                // Passed on as is: Node's errors may come from another realm (jest), and a
                // rewrapped error would lose its code.
                openTunnel(net, proxy, target, signal).then(
                  (socket) => done(null, socket),
                  (error: unknown) => done(error as Error, undefined as unknown as Duplex)
                )
                return undefined
              }
            : undefined,
          signal,
          headers: {
            Accept: 'application/json',
            'User-Agent': options.userAgent,
            ...call.headers
          }
        },
        (message) => {
          readCapped(message).then(
            (text) =>
              resolve({ status: message.statusCode ?? 0, headers: message.headers, body: text }),
            reject
          )
        }
      )
      req.on('error', reject)
      req.end(call.body)
    })
  } catch (error) {
    if (signal.aborted) {
      throw new TransportError({ kind: 'timeout', message: timeoutText(options.timeoutMs) })
    }
    throw transportError(error, target.hostname)
  } finally {
    clearTimeout(timer)
  }
}

type Net = typeof import('./deferred/http-client.js')

/** A CONNECT tunnel through the proxy to the target, wrapped in TLS for https targets. */
async function openTunnel(net: Net, proxy: URL, target: URL, signal: AbortSignal): Promise<Duplex> {
  const host = unbracket(target.hostname)
  const port = target.port || (target.protocol === 'https:' ? '443' : '80')
  const authority = `${target.hostname}:${port}`
  const credentials =
    proxy.username || proxy.password
      ? {
          'Proxy-Authorization': `Basic ${Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64')}`
        }
      : {}
  const socket = await new Promise<Socket>((resolve, reject) => {
    const connect = (proxy.protocol === 'https:' ? net.httpsRequest : net.httpRequest)({
      host: unbracket(proxy.hostname),
      // Empty for the scheme's default port, which Node then picks (80 or 443).
      port: proxy.port,
      method: 'CONNECT',
      path: authority,
      headers: { Host: authority, ...credentials },
      agent: false,
      signal
    })
    connect.once('connect', (response: IncomingMessage, tunnel: Socket) => {
      if (response.statusCode === 200) return resolve(tunnel)
      tunnel.destroy()
      reject(
        new TransportError({
          kind: 'proxy',
          proxyStatus: response.statusCode,
          message: `the proxy refused to open a tunnel to ${target.hostname} (HTTP ${response.statusCode})`
        })
      )
    })
    connect.once('error', reject)
    connect.end()
  })
  if (target.protocol !== 'https:') return socket
  // The request's signal destroys this socket with the request; SNI only for host names.
  const tls: ConnectionOptions = { socket, host, servername: serverName(host) }
  return net.tlsConnect(tls)
}

/** The TLS server name (SNI) for a host: none for an IP address, which SNI may not carry. */
export function serverName(host: string): string | undefined {
  return isIP(host) ? undefined : host
}

function timeoutText(ms: number): string {
  return `no complete answer within ${ms / 1000} s (input timeout)`
}

/** Classifies a failed request as a TLS or network error; the action's own errors pass. */
export function transportError(error: unknown, host: string): Error {
  if (error instanceof ResponseError || error instanceof TransportError) return error
  // Node's own errors may come from another realm (e.g. under jest), so no instanceof Error.
  const { message: rawText, code: raw } = (error ?? {}) as { message?: unknown; code?: unknown }
  const text = quote(typeof rawText === 'string' ? rawText : String(error))
  const code = typeof raw === 'string' ? raw : undefined
  const message = code && !text.startsWith(code) ? `${code}: ${text}` : text
  if (code && (UNTRUSTED_CERT.test(code) || OTHER_TLS.test(code) || code === 'EPROTO')) {
    // The code says it all; Node's wording around it changes between versions.
    return new TransportError({ kind: 'tls', code, host, message: `TLS error ${code}` })
  }
  return new TransportError({ kind: 'network', code, message })
}

async function readCapped(message: IncomingMessage): Promise<string> {
  const declared = Number(message.headers['content-length'])
  if (declared > MAX_BODY_BYTES) {
    message.destroy()
    throw tooLarge()
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of message as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      message.destroy()
      throw tooLarge()
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function tooLarge(): ResponseError {
  return new ResponseError(
    `The answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB, which no token response is; ` +
      'check that endpoint points at Logto.'
  )
}

/** True for a TLS error that a private CA explains (the fix is NODE_EXTRA_CA_CERTS). */
export function isUntrustedCertificate(code: string | undefined): boolean {
  return code !== undefined && UNTRUSTED_CERT.test(code)
}
