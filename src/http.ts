/** The one HTTP call: POST a form, no redirects, a deadline that aborts every phase, a body cap. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
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

/** Options of one POST. */
export interface PostOptions {
  readonly timeoutMs: number
  readonly userAgent: string
}

// Certificate errors that a private CA explains; NODE_EXTRA_CA_CERTS is the fix.
const UNTRUSTED_CERT = /^(?:UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|CERT_UNTRUSTED)/
// EPROTO is what OpenSSL's record errors surface as, e.g. https to a plain-http port.
const OTHER_TLS = /^(?:CERT_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/
// How the tunnel agent reports a proxy that refused CONNECT.
const PROXY_REFUSED = /tunneling socket could not be established, statusCode=(\d{3})/

/** POSTs an urlencoded form and reads the whole answer, or throws a TransportError. */
export async function postForm(
  url: string,
  form: URLSearchParams,
  headers: Readonly<Record<string, string>>,
  options: PostOptions
): Promise<HttpAnswer> {
  // Evaluated here, not at start-up (eager: same bundle file, no second chunk): a run that fails
  // on its inputs never pays for the HTTP stack.
  const { HttpClient, httpRequest, httpsRequest } = await import(
    /* webpackMode: "eager" */ './vendor/http-client.js'
  )
  const target = new URL(url)
  // http-client only chooses the agent: direct, or a CONNECT tunnel per HTTPS_PROXY/NO_PROXY.
  const agent = new HttpClient(options.userAgent, undefined, { keepAlive: false }).getAgent(url)
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  const body = form.toString()
  // One signal for every phase: connect, TLS, waiting for headers and reading the body.
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  try {
    return await new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          signal: controller.signal,
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(body),
            Accept: 'application/json',
            'User-Agent': options.userAgent,
            ...headers
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
      req.end(body)
    })
  } catch (error) {
    if (controller.signal.aborted) {
      throw new TransportError({ kind: 'timeout', message: timeoutText(options.timeoutMs) })
    }
    throw transportError(error, target.hostname)
  } finally {
    clearTimeout(timer)
  }
}

function timeoutText(ms: number): string {
  return `no complete answer within ${ms / 1000} s (input timeout)`
}

/** Classifies a failed request: TLS, proxy, or another network error; a ResponseError passes. */
export function transportError(error: unknown, host: string): Error {
  if (error instanceof ResponseError) return error
  // Node's own errors may come from another realm (e.g. under jest), so no instanceof Error.
  const { message: rawText, code: raw } = (error ?? {}) as { message?: unknown; code?: unknown }
  const text = quote(typeof rawText === 'string' ? rawText : String(error))
  const code = typeof raw === 'string' ? raw : undefined
  const refused = PROXY_REFUSED.exec(text)
  if (refused) {
    return new TransportError({
      kind: 'proxy',
      code,
      proxyStatus: Number(refused[1]),
      message: `the proxy refused to open a tunnel to ${host} (HTTP ${refused[1]})`
    })
  }
  const message = code && !text.startsWith(code) ? `${code}: ${text}` : text
  if (code && (UNTRUSTED_CERT.test(code) || OTHER_TLS.test(code) || code === 'EPROTO')) {
    return new TransportError({ kind: 'tls', code, host, message })
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
