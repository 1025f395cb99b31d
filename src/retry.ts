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

/** Whether to try again; a retry says why (the log line names it) and any wait asked for. */
export type RetryDecision =
  | { readonly retry: false }
  | { readonly retry: true; readonly reason: string; readonly retryAfterMs?: number }

const GIVE_UP: RetryDecision = { retry: false }

/** Decides whether a failed attempt is transient. */
export function retryDecision(error: unknown): RetryDecision {
  if (error instanceof TransportError) return transportDecision(error)
  if (!(error instanceof TokenEndpointError)) return GIVE_UP
  const { status, retryAfterMs } = error
  // Logto Cloud's token quota: waiting will not help, whatever Retry-After says.
  if (error.fields.code === QUOTA_CODE) return GIVE_UP
  // A longer wait than this action takes fails at once; the hint names the wait.
  if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) return GIVE_UP
  if (status === 429) {
    return retryAfterMs === undefined
      ? GIVE_UP
      : { retry: true, reason: 'HTTP 429 with Retry-After', retryAfterMs }
  }
  if (isServerError(status) && status !== 501 && status !== 505) {
    return { retry: true, reason: `HTTP ${status}`, retryAfterMs }
  }
  return GIVE_UP
}

function transportDecision(error: TransportError): RetryDecision {
  switch (error.kind) {
    case 'timeout':
      return { retry: true, reason: 'the attempt timed out' }
    // A certificate or a switch of protocols will be the same on the next attempt.
    case 'tls':
    case 'upgrade':
      return GIVE_UP
    case 'proxy': {
      if (error.proxyStatus === undefined) return networkDecision(error.code, 'proxy error')
      // A proxy that is down or overloaded may recover; one that refuses (407, 403) will not.
      const status = error.proxyStatus
      return isServerError(status)
        ? { retry: true, reason: `proxy answered HTTP ${status}` }
        : GIVE_UP
    }
    case 'network':
      return networkDecision(error.code, 'network error')
  }
}

/** A 5xx; Node reads any three digits as a status, and 600 and up are no server error. */
export function isServerError(status: number): boolean {
  return status >= 500 && status < 600
}

function networkDecision(code: string | undefined, what: string): RetryDecision {
  return code !== undefined && TRANSIENT_CODES.has(code)
    ? { retry: true, reason: `${what} ${code}` }
    : GIVE_UP
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
