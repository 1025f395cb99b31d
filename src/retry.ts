/** Pure retry decisions and backoff, plus a loop whose clock and randomness are injected. */
import { TokenEndpointError, TransportError } from './errors.js'

/** Longest wait honoured from a Retry-After header. */
export const MAX_RETRY_AFTER_MS = 60_000
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
  'EHOSTDOWN',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT'
])

/** Whether to try again, and the server's requested wait if it gave one. */
export interface RetryDecision {
  readonly retry: boolean
  readonly reason: string
  readonly retryAfterMs?: number
}

/** Decides whether a failed attempt is transient. */
export function retryDecision(error: unknown): RetryDecision {
  if (error instanceof TransportError) {
    if (error.kind === 'timeout') return { retry: true, reason: 'the attempt timed out' }
    const retry = error.code !== undefined && TRANSIENT_CODES.has(error.code)
    return { retry, reason: `network error ${error.code ?? 'without a code'}` }
  }
  if (error instanceof TokenEndpointError) {
    const { status, retryAfterMs } = error
    if (status === 429) {
      // Logto Cloud's token quota answers 429 without Retry-After: waiting will not help.
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

/** Exponential backoff with jitter for retry number `retry` (1-based); honours Retry-After, capped. */
export function backoffMs(retry: number, random: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS)
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
