/** The one HTTP call: POST a form, no redirects, a per-attempt deadline and a body size cap. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { ResponseError, TransportError } from './errors.js'

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

/** POSTs an urlencoded form and reads the whole answer, or throws a TransportError. */
export async function postForm(
  url: string,
  form: URLSearchParams,
  headers: Record<string, string>,
  options: PostOptions
): Promise<HttpAnswer> {
  // Evaluated here, not at start-up (eager: same bundle file, no second chunk): a run that fails
  // on its inputs never pays for the HTTP stack.
  const { HttpClient } = await import(/* webpackMode: "eager" */ './deferred/http-client.js')
  const client = new HttpClient(options.userAgent, undefined, {
    allowRedirects: false,
    allowRetries: false,
    keepAlive: false,
    socketTimeout: options.timeoutMs
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  let message: IncomingMessage | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      message?.destroy()
      reject(new TransportError('timeout', undefined, timeoutText(options.timeoutMs)))
    }, options.timeoutMs)
  })
  const exchange = (async (): Promise<HttpAnswer> => {
    const response = await client.post(url, form.toString(), {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      ...headers
    })
    message = response.message
    const body = await readCapped(message)
    return { status: message.statusCode ?? 0, headers: message.headers, body }
  })()
  try {
    return await Promise.race([exchange.catch(toTransportError(options.timeoutMs)), deadline])
  } finally {
    clearTimeout(timer)
    exchange.catch(() => undefined)
  }
}

function timeoutText(ms: number): string {
  return `no complete answer within ${ms / 1000} s (input timeout)`
}

function toTransportError(timeoutMs: number): (error: unknown) => never {
  return (error) => {
    if (error instanceof ResponseError || error instanceof TransportError) throw error
    const text = error instanceof Error ? error.message : String(error)
    if (text.startsWith('Request timeout')) {
      throw new TransportError('timeout', undefined, timeoutText(timeoutMs))
    }
    const code = (error as { code?: unknown }).code
    throw new TransportError(
      'network',
      typeof code === 'string' ? code : undefined,
      typeof code === 'string' ? `${code}: ${text}` : text
    )
  }
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
