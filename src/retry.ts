/** Pure retry decisions and backoff, plus a loop whose clock and randomness are injected. */
import { TokenEndpointError, TransportError } from './errors.js'

/** Longest wait honoured from a Retry-After header; a longer one fails at once. */
export const MAX_RETRY_AFTER_MS = 60_000
/** The error code of Logto Cloud's token quota answer. */
export const QUOTA_CODE = 'auth.exceed_token_limit'
const BASE_DELAY_MS = 1_000
const MAX_DELAY_MS = 20_000
// Network failures that say nothing about the request itself; ENOTFOUND is a wrong host, not a blip.
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN'
])

/** Whether to try again, and the server's requested wait if it gave one. */
export interface RetryDecision {
  readonly retry: boolean
  readonly reason: string
  readonly retryAfterMs?: number
}

/** Decides whether a failed attempt is transient. */
export function retryDecision(error: unknown): RetryDecision {
  if (error instanceof TransportError) return transportDecision(error)
  if (error instanceof TokenEndpointError) {
    const { status, retryAfterMs } = error
    // Logto Cloud's token quota: waiting will not help, whatever Retry-After says.
    if (error.fields.code === QUOTA_CODE) return { retry: false, reason: 'token quota used up' }
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
      return { retry: false, reason: `HTTP ${status} asking to wait ${waitText(retryAfterMs)}` }
    }
    if (status === 429) {
      if (retryAfterMs === undefined)
        return { retry: false, reason: 'HTTP 429 without Retry-After' }
      return { retry: true, reason: 'HTTP 429 with Retry-After', retryAfterMs }
    }
    if (status >= 500 && status !== 501 && status !== 505) {
      return { retry: true, reason: `HTTP ${status}`, retryAfterMs }
    }
    return { retry: false, reason: `HTTP ${status}` }
  }
  return { retry: false, reason: 'not a transient failure' }
}

function transportDecision(error: TransportError): RetryDecision {
  switch (error.kind) {
    case 'timeout':
      return { retry: true, reason: 'the attempt timed out' }
    case 'tls':
      return { retry: false, reason: `TLS error ${error.code ?? ''}`.trim() }
    case 'proxy': {
      // A proxy that is down or overloaded may recover; one that refuses (407, 403) will not.
      const status = error.proxyStatus ?? 0
      return { retry: status >= 500, reason: `proxy answered HTTP ${status}` }
    }
    case 'network': {
      const retry = error.code !== undefined && TRANSIENT_CODES.has(error.code)
      return { retry, reason: `network error ${error.code ?? 'without a code'}` }
    }
  }
}

/** A wait in whole seconds, as the messages print it. */
export function waitText(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`
}

/** Exponential backoff with jitter for retry number `retry` (1-based); Retry-After wins. */
export function backoffMs(retry: number, random: number, retryAfterMs?: number): number {
  // retryDecision never retries a wait beyond MAX_RETRY_AFTER_MS, so none is capped here.
  if (retryAfterMs !== undefined) return retryAfterMs
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** (retry - 1), MAX_DELAY_MS)
  return Math.round(ceiling / 2 + (ceiling / 2) * random)
}

/** Parses a Retry-After header (delta-seconds or HTTP-date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // An HTTP-date names its weekday and month; bare numbers like "-1" are not dates.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0)
}

/** What the retry loop needs from the outside world. */
export interface RetryDeps {
  readonly sleep: (ms: number) => Promise<void>
  readonly random: () => number
  readonly onRetry: (attempt: number, attempts: number, reason: string, delayMs: number) => void
}

/** Runs `attempt` once plus up to `retries` more times on transient failures. */
export async function withRetries<T>(
  retries: number,
  deps: RetryDeps,
  attempt: (n: number) => Promise<T>
): Promise<{ value: T; attempts: number }> {
  const attempts = retries + 1
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n }
    } catch (error) {
      const decision = retryDecision(error)
      if (!decision.retry || n >= attempts) throw error
      const delay = backoffMs(n, deps.random(), decision.retryAfterMs)
      deps.onRetry(n, attempts, decision.reason, delay)
      await deps.sleep(delay)
    }
  }
}
