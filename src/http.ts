/** Every HTTP call: no redirects, a deadline that aborts every phase, a body cap. */
import type { IncomingHttpHeaders, IncomingMessage, InformationEvent } from 'node:http'
import { isIP, type LookupFunction, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { ConnectionOptions } from 'node:tls'
import { unbracket } from './endpoint.js'
import { ResponseError, TransportError, type ProxyRoute } from './errors.js'
import { quote } from './log-text.js'
import { deadlineLookup } from './lookup.js'
import { proxyBasic, type ProxyConfig } from './proxy-settings.js'

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
  /** Resolves host names: the system's lookup unless a caller (a test) maps names itself. */
  readonly lookup?: LookupFunction
  /** The proxy from the settings (already decided for this endpoint); none: directly. */
  readonly proxy?: ProxyConfig
  /**
   * Every form of a secret the request carries: cut out of server text (a reason phrase, an
   * Upgrade header) before it is cut to length or neutralised, which would hide a form's edges.
   */
  readonly hidden?: readonly string[]
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

/** What came back before the answer was complete, for the message when none is. */
interface Progress {
  /** The proxy accepted the connection (forwarding) or opened the tunnel; true without one. */
  proxyReached: boolean
  /** A response (status line and headers) arrived. */
  answered: boolean
  /** The last interim (1xx) answer, e.g. `HTTP 102 Processing`. */
  interim: string | undefined
}

/** Sends one request and reads the whole answer, or throws a TransportError. */
export async function send(url: string, call: HttpCall, options: PostOptions): Promise<HttpAnswer> {
  // Evaluated here, not at start-up (eager: same bundle file, no second chunk): a run that fails
  // on its inputs never pays for the HTTP stack.
  const net = await import(/* webpackMode: "eager" */ './deferred/http-client.js')
  const target = new URL(url)
  const proxyUrl = options.proxy
  const proxy = proxyUrl && proxyRoute(proxyUrl)
  // One signal for every phase: name lookup, proxy, connect, TLS, headers and the body.
  const controller = new AbortController()
  const { signal } = controller
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  const names = deadlineLookup(signal, options.lookup)
  const seen: Progress = { proxyReached: !proxy, answered: false, interim: undefined }
  const headers = { Accept: 'application/json', 'User-Agent': options.userAgent, ...call.headers }
  const hidden = options.hidden ?? []
  try {
    return await new Promise<HttpAnswer>((resolve, reject) => {
      // Plain http through a proxy is sent in absolute form (RFC 9112 §3.2.2), as forward
      // proxies expect: many allow CONNECT to port 443 only.
      const forwarded = proxyUrl !== undefined && target.protocol === 'http:'
      const onResponse = (message: IncomingMessage): void => {
        seen.answered = true
        // A 101 without Upgrade headers arrives as a response: what follows is not HTTP either.
        if ((message.statusCode ?? 0) < 200) {
          message.destroy()
          reject(
            upgradeError(message.statusCode ?? 0, message.statusMessage, message.headers, hidden)
          )
          return
        }
        // In absolute form the proxy is the peer; an origin server never answers 407.
        if (forwarded && proxy && message.statusCode === 407) {
          message.destroy()
          reject(proxyRefusal(407, `forward the request to ${target.hostname}`, proxy))
          return
        }
        readCapped(message).then(
          (text) =>
            resolve({ status: message.statusCode ?? 0, headers: message.headers, body: text }),
          reject
        )
      }
      const req = forwarded
        ? (proxyUrl.protocol === 'https:' ? net.httpsRequest : net.httpRequest)(
            {
              host: unbracket(proxyUrl.hostname),
              // Empty for the scheme's default port, which Node then picks (80 or 443).
              port: proxyUrl.port,
              method: call.method,
              path: `${target.origin}${target.pathname}${target.search}`,
              headers: { Host: target.host, ...proxyCredentials(proxyUrl), ...headers },
              agent: false,
              lookup: names.lookup,
              signal
            },
            onResponse
          )
        : (target.protocol === 'https:' ? net.httpsRequest : net.httpRequest)(
            target,
            {
              method: call.method,
              agent: proxyUrl ? undefined : false,
              // Node waits for `done` when createConnection returns nothing; on error the socket
              // is unused.
              createConnection: proxyUrl
                ? (_options, done) => {
                    // Passed on as is: Node's errors may come from another realm (jest), and a
                    // rewrapped error would lose its code.
                    openTunnel(net, proxyUrl, target, signal, names.lookup, seen, hidden).then(
                      (socket) => {
                        seen.proxyReached = true
                        // The proxy's interim answers are not the server's.
                        seen.interim = undefined
                        done(null, socket)
                      },
                      (error: unknown) => done(error as Error, undefined as unknown as Duplex)
                    )
                    return undefined
                  }
                : undefined,
              lookup: names.lookup,
              signal,
              headers
            },
            onResponse
          )
      if (forwarded) {
        req.once('socket', (socket: Socket) => {
          const ready = proxyUrl.protocol === 'https:' ? 'secureConnect' : 'connect'
          socket.once(ready, () => (seen.proxyReached = true))
        })
      }
      // Node waits on after an interim 1xx (and reports it here); an upgrade it did not ask for
      // would otherwise end the request with neither an answer nor an error.
      req.on('information', (info: InformationEvent) => {
        seen.interim = statusText(info.statusCode, info.statusMessage, hidden)
      })
      req.on('upgrade', (response: IncomingMessage, socket: Duplex) => {
        socket.destroy()
        reject(
          upgradeError(response.statusCode ?? 0, response.statusMessage, response.headers, hidden)
        )
      })
      req.on('error', reject)
      req.end(call.body)
    })
  } catch (error) {
    if (signal.aborted) throw timeoutError(options.timeoutMs, names.pending(), proxy, seen)
    if (proxy && !seen.proxyReached) {
      throw proxyFailure(error, proxy, unbracket(proxyUrl.hostname), hidden)
    }
    throw closedEarly(transportError(error, target.hostname, hidden), seen)
  } finally {
    clearTimeout(timer)
  }
}

type Net = typeof import('./deferred/http-client.js')

/** How messages name a proxy: host, port and variable, never the credentials in its URL. */
export function proxyRoute(proxy: ProxyConfig): ProxyRoute {
  const port = proxy.port || (proxy.protocol === 'https:' ? '443' : '80')
  return {
    address: `${proxy.hostname}:${port}`,
    variable: proxy.variable,
    credentials: proxy.username !== '' || proxy.password !== ''
  }
}

function proxyCredentials(proxy: ProxyConfig): Record<string, string> {
  return proxy.username || proxy.password
    ? {
        'Proxy-Authorization': `Basic ${proxyBasic(proxy.username, proxy.password)}`
      }
    : {}
}

function proxyRefusal(status: number | undefined, what: string, proxy: ProxyRoute): TransportError {
  return new TransportError({
    kind: 'proxy',
    proxyStatus: status,
    proxy,
    message: `the proxy refused to ${what} (HTTP ${status})`
  })
}

/**
 * A CONNECT tunnel through the proxy to an https target, with TLS inside it (plain http goes to the
 * proxy in absolute form, never through a tunnel).
 */
async function openTunnel(
  net: Net,
  proxy: ProxyConfig,
  target: URL,
  signal: AbortSignal,
  lookup: LookupFunction,
  seen: Progress,
  hidden: readonly string[]
): Promise<Duplex> {
  const host = unbracket(target.hostname)
  const port = target.port || '443'
  const authority = `${target.hostname}:${port}`
  const socket = await new Promise<Socket>((resolve, reject) => {
    const connect = (proxy.protocol === 'https:' ? net.httpsRequest : net.httpRequest)({
      host: unbracket(proxy.hostname),
      // Empty for the scheme's default port, which Node then picks (80 or 443).
      port: proxy.port,
      method: 'CONNECT',
      path: authority,
      headers: { Host: authority, ...proxyCredentials(proxy) },
      agent: false,
      lookup,
      signal
    })
    // Node reads any answer to CONNECT as the end of HTTP on the connection, an interim one too:
    // after a 1xx the final answer is read here, within the same deadline (the signal).
    connect.once('connect', (response: IncomingMessage, tunnel: Socket, head: Buffer) => {
      const status = response.statusCode ?? 0
      if (isInterim(status)) seen.interim = statusText(status, response.statusMessage, hidden)
      const final = isInterim(status) ? finalAnswer(tunnel, head, signal) : Promise.resolve(status)
      final.then((code) => {
        if (code === 200) return resolve(tunnel)
        tunnel.destroy()
        reject(proxyRefusal(code, `open a tunnel to ${target.hostname}`, proxyRoute(proxy)))
      }, reject)
    })
    connect.once('error', reject)
    connect.end()
  })
  // The request's signal destroys this socket with the request; SNI only for host names.
  const tls: ConnectionOptions = { socket, host, servername: serverName(host) }
  return net.tlsConnect(tls)
}

/** An interim answer, to be followed by the final one; a 101 switches protocols and is final. */
function isInterim(status: number): boolean {
  return status >= 100 && status < 200 && status !== 101
}

// The longest answer head a proxy may send after an interim answer before the head ends; complete
// interim answers are dropped as they come, so only an unfinished head counts.
const MAX_INTERIM_BYTES = 64 * 1024
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: |$)/

/**
 * The status of the proxy's final answer to CONNECT, read from the tunnel's bytes after an
 * interim one; what follows that answer's head is put back for TLS to read.
 */
function finalAnswer(tunnel: Socket, head: Buffer, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = head
    const finish = (error: Error | undefined, status?: number): void => {
      tunnel.off('data', onData)
      tunnel.off('close', onClose)
      tunnel.off('error', finishWith)
      signal.removeEventListener('abort', onAbort)
      if (error) {
        tunnel.destroy()
        reject(error)
        return
      }
      tunnel.pause()
      resolve(status as number)
    }
    const finishWith = (error: Error): void => finish(error)
    const onAbort = (): void => finish(new Error('aborted'))
    const onClose = (): void => finish(closedError('the proxy closed the connection'))
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk])
      scan()
    }
    // True once the final answer (or a failure) ended the wait.
    const scan = (): boolean => {
      for (let end = buffer.indexOf('\r\n\r\n'); end >= 0; end = buffer.indexOf('\r\n\r\n')) {
        const match = STATUS_LINE.exec(buffer.subarray(0, end).toString('latin1'))
        if (!match) {
          // Not retried, like Node's own parse error for an answer without an interim one.
          finish(new Error('the proxy answered CONNECT with something not HTTP'))
          return true
        }
        const status = Number(match[1])
        const rest = buffer.subarray(end + 4)
        if (!isInterim(status)) {
          if (rest.length > 0) tunnel.unshift(rest)
          finish(undefined, status)
          return true
        }
        buffer = rest
      }
      if (buffer.length <= MAX_INTERIM_BYTES) return false
      finish(
        closedError(
          'the proxy sent, after an interim answer, an answer head of more than 64 KiB without its end'
        )
      )
      return true
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    tunnel.on('data', onData)
    tunnel.once('close', onClose)
    tunnel.once('error', finishWith)
    if (!scan()) tunnel.resume()
  })
}

/** A connection that ended unusable, coded as a reset so that it is retried like one. */
function closedError(text: string): Error {
  return Object.assign(new Error(text), { code: 'ECONNRESET' })
}

/** The TLS server name (SNI) for a host: none for an IP address, which SNI may not carry. */
export function serverName(host: string): string | undefined {
  return isIP(host) ? undefined : host
}

function statusText(status: number, reason: string | undefined, hidden: readonly string[]): string {
  return `HTTP ${status}${reason ? ` ${quote(reason, hidden)}` : ''}`
}

/** A 101 Switching Protocols, or an upgrade: what came back is no longer HTTP. */
function upgradeError(
  status: number,
  reason: string | undefined,
  headers: IncomingHttpHeaders,
  hidden: readonly string[]
): TransportError {
  const upgrade = headers.upgrade ? ` (Upgrade: ${quote(headers.upgrade, hidden)})` : ''
  return new TransportError({
    kind: 'upgrade',
    message: `the server answered ${statusText(status, reason, hidden)}${upgrade} instead of a final answer`
  })
}

/** The deadline passed: says in which phase, and any interim answer that came back. */
function timeoutError(
  ms: number,
  lookingUp: string | undefined,
  proxy: ProxyRoute | undefined,
  seen: Progress
): TransportError {
  const within = `within ${ms / 1000} s (input timeout)`
  const atProxy = proxy && !seen.proxyReached ? proxy : undefined
  let message = `no complete answer ${within}`
  if (lookingUp !== undefined) {
    const whose = atProxy ? `the proxy host ${lookingUp} (${atProxy.variable})` : lookingUp
    message = `the name lookup of ${whose} did not finish ${within}`
  } else if (atProxy) {
    const answer = seen.interim ? `final answer (only an interim ${seen.interim})` : 'answer'
    message = `no ${answer} from the proxy ${atProxy.address} (${atProxy.variable}) ${within}`
  } else if (seen.interim) {
    message = `no final answer ${within}, only an interim ${seen.interim}`
  }
  return new TransportError({
    kind: 'timeout',
    proxy: atProxy,
    lookup: lookingUp !== undefined,
    message
  })
}

/**
 * A failure before the proxy was reached names the proxy, never its credentials: TLS with an
 * https:// proxy is the proxy's, not Logto's.
 */
function proxyFailure(
  error: unknown,
  proxy: ProxyRoute,
  proxyHost: string,
  hidden: readonly string[]
): Error {
  const failure = transportError(error, proxyHost, hidden)
  if (!(failure instanceof TransportError)) return failure
  if (failure.kind === 'tls') {
    return new TransportError({
      kind: 'proxy',
      code: failure.code,
      host: proxyHost,
      proxy,
      message: `TLS error ${failure.code} with the proxy ${proxy.address} (${proxy.variable})`
    })
  }
  if (failure.kind !== 'network') return failure
  return new TransportError({
    kind: 'proxy',
    code: failure.code,
    proxy,
    message: `the proxy ${proxy.address} (${proxy.variable}) could not be reached: ${failure.message}`
  })
}

/** A connection closed before any final answer says so, keeping its code (retried like one). */
function closedEarly(failure: Error, seen: Progress): Error {
  if (!(failure instanceof TransportError) || failure.code !== 'ECONNRESET' || seen.answered) {
    return failure
  }
  const before = seen.interim ? `a final answer, after an interim ${seen.interim}` : 'any answer'
  return new TransportError({
    kind: 'network',
    code: failure.code,
    message: `ECONNRESET: the connection closed before ${before}`
  })
}

/**
 * Classifies a failed request as a TLS or network error; the action's own errors pass. Node's
 * message is quoted without the hidden forms, in case it echoes what the peer sent.
 */
export function transportError(
  error: unknown,
  host: string,
  hidden: readonly string[] = []
): Error {
  if (error instanceof ResponseError || error instanceof TransportError) return error
  // Node's own errors may come from another realm (e.g. under jest), so no instanceof Error.
  const { message: rawText, code: raw } = (error ?? {}) as { message?: unknown; code?: unknown }
  const text = quote(
    (typeof rawText === 'string' ? rawText : '') || attemptsText(error) || String(error),
    hidden
  )
  const code = typeof raw === 'string' ? raw : undefined
  const message = code && !text.startsWith(code) ? `${code}: ${text}` : text
  if (isTlsCode(code)) {
    // The code says it all; Node's wording around it changes between versions.
    return new TransportError({ kind: 'tls', code, host, message: `TLS error ${code}` })
  }
  return new TransportError({ kind: 'network', code, message })
}

/**
 * What each address said when Node tried several (both of `localhost`) and gave up with an
 * AggregateError whose own message is empty: `connect ECONNREFUSED 127.0.0.1:3001, [::1]:3001`.
 */
function attemptsText(error: unknown): string {
  const { errors } = (error ?? {}) as { errors?: unknown }
  if (!Array.isArray(errors)) return ''
  const tries = errors.flatMap((each) => {
    const { code, address, port } = (each ?? {}) as {
      code?: unknown
      address?: unknown
      port?: unknown
    }
    if (typeof address !== 'string') return []
    const host = address.includes(':') ? `[${address}]` : address
    return [{ code: typeof code === 'string' ? code : 'failed', at: `${host}:${String(port)}` }]
  })
  if (tries.length === 0) return ''
  const [first] = tries
  return tries.every((each) => each.code === first.code)
    ? `connect ${first.code} ${tries.map((each) => each.at).join(', ')}`
    : tries.map((each) => `connect ${each.code} ${each.at}`).join(', ')
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

/** True for an error code of TLS (a certificate, or a handshake that is not TLS). */
export function isTlsCode(code: string | undefined): boolean {
  return (
    code !== undefined && (UNTRUSTED_CERT.test(code) || OTHER_TLS.test(code) || code === 'EPROTO')
  )
}

/** True for a TLS error that a private CA explains (the fix is NODE_EXTRA_CA_CERTS). */
export function isUntrustedCertificate(code: string | undefined): boolean {
  return code !== undefined && UNTRUSTED_CERT.test(code)
}
