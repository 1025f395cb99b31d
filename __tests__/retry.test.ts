import { describe, expect, it, jest } from '@jest/globals'
import { TokenEndpointError, TransportError, ResponseError } from '../src/errors.js'
import {
  backoffMs,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  retryDecision,
  withRetries
} from '../src/retry.js'

const http = (status: number, retryAfterMs?: number, code?: string): TokenEndpointError =>
  new TokenEndpointError({
    status,
    fields: { code },
    retryAfterMs,
    looksLikeHtml: false,
    message: `HTTP ${status}`
  })
const net = (code?: string): TransportError =>
  new TransportError({ kind: 'network', code, message: 'x' })

describe('retryDecision', () => {
  it.each<[string, Error, boolean]>([
    ['timeout', new TransportError({ kind: 'timeout', message: 't' }), true],
    ['ECONNRESET', net('ECONNRESET'), true],
    ['ECONNREFUSED', net('ECONNREFUSED'), true],
    ['EAI_AGAIN (DNS temporary)', net('EAI_AGAIN'), true],
    ['ETIMEDOUT', net('ETIMEDOUT'), true],
    ['EPIPE', net('EPIPE'), true],
    ['ECONNABORTED', net('ECONNABORTED'), true],
    ['ENETUNREACH', net('ENETUNREACH'), true],
    ['EHOSTUNREACH', net('EHOSTUNREACH'), true],
    ['ENETDOWN', net('ENETDOWN'), true],
    ['EHOSTDOWN', net('EHOSTDOWN'), true],
    ['ENOTFOUND (wrong host)', net('ENOTFOUND'), false],
    ['CERT_HAS_EXPIRED', net('CERT_HAS_EXPIRED'), false],
    ['no code', net(undefined), false],
    ['TLS error', new TransportError({ kind: 'tls', code: 'ECONNRESET', message: 't' }), false],
    ['proxy 407', new TransportError({ kind: 'proxy', proxyStatus: 407, message: 'p' }), false],
    ['proxy 403', new TransportError({ kind: 'proxy', proxyStatus: 403, message: 'p' }), false],
    ['proxy 502', new TransportError({ kind: 'proxy', proxyStatus: 502, message: 'p' }), true],
    ['proxy 500', new TransportError({ kind: 'proxy', proxyStatus: 500, message: 'p' }), true],
    ['proxy 499', new TransportError({ kind: 'proxy', proxyStatus: 499, message: 'p' }), false],
    ['proxy 599', new TransportError({ kind: 'proxy', proxyStatus: 599, message: 'p' }), true],
    ['proxy 600', new TransportError({ kind: 'proxy', proxyStatus: 600, message: 'p' }), false],
    ['proxy, no status', new TransportError({ kind: 'proxy', message: 'p' }), false],
    [
      'proxy ECONNREFUSED',
      new TransportError({ kind: 'proxy', code: 'ECONNREFUSED', message: 'p' }),
      true
    ],
    [
      'proxy ECONNRESET',
      new TransportError({ kind: 'proxy', code: 'ECONNRESET', message: 'p' }),
      true
    ],
    [
      'proxy EAI_AGAIN',
      new TransportError({ kind: 'proxy', code: 'EAI_AGAIN', message: 'p' }),
      true
    ],
    [
      'proxy ENOTFOUND',
      new TransportError({ kind: 'proxy', code: 'ENOTFOUND', message: 'p' }),
      false
    ],
    ['101 or an upgrade', new TransportError({ kind: 'upgrade', message: 'u' }), false],
    ['500', http(500), true],
    ['502', http(502), true],
    ['503', http(503), true],
    ['504', http(504), true],
    ['501', http(501), false],
    ['505', http(505), false],
    ['599', http(599), true],
    // Node reads any three digits as a status; 600 and up are no server error.
    ['600', http(600), false],
    ['999', http(999), false],
    ['499', http(499), false],
    ['429 with Retry-After', http(429, 2000), true],
    ['429 with Retry-After at the cap', http(429, MAX_RETRY_AFTER_MS), true],
    ['429 with Retry-After beyond the cap', http(429, MAX_RETRY_AFTER_MS + 1), false],
    ['503 with Retry-After beyond the cap', http(503, MAX_RETRY_AFTER_MS + 1), false],
    ['429 without Retry-After', http(429), false],
    // Logto Cloud's quota: never retried, even when a Retry-After is present.
    ['429 quota with Retry-After', http(429, 2000, 'auth.exceed_token_limit'), false],
    ['503 quota with Retry-After', http(503, 2000, 'auth.exceed_token_limit'), false],
    ['400', http(400), false],
    ['401', http(401), false],
    ['403', http(403), false],
    ['404', http(404), false],
    ['302', http(302), false],
    ['bad body', new ResponseError('x'), false],
    ['plain Error', new Error('x'), false]
  ])('%s', (_name, error, retry) => {
    // Only a retry is logged, so only a retry carries a reason.
    const decision = retryDecision(error)
    expect([decision.retry, 'reason' in decision]).toEqual([retry, retry])
  })

  it('carries Retry-After of a 429 and a 503', () => {
    expect(retryDecision(http(429, 1500))).toMatchObject({ retryAfterMs: 1500 })
    expect(retryDecision(http(503, 700))).toMatchObject({ retryAfterMs: 700 })
  })

  it.each([
    [http(503), 'HTTP 503'],
    [http(503, 700), 'HTTP 503'],
    [http(429, 1000), 'HTTP 429 with Retry-After'],
    [new TransportError({ kind: 'timeout', message: 't' }), 'the attempt timed out'],
    [
      new TransportError({ kind: 'proxy', proxyStatus: 502, message: 'p' }),
      'proxy answered HTTP 502'
    ],
    [net('ECONNRESET'), 'network error ECONNRESET'],
    [
      new TransportError({ kind: 'proxy', code: 'ECONNREFUSED', message: 'p' }),
      'proxy error ECONNREFUSED'
    ]
  ])('names the reason of a retry: %#', (error, reason) => {
    expect(retryDecision(error)).toMatchObject({ retry: true, reason })
  })
})

describe('backoffMs', () => {
  it.each([
    [1, 0, undefined, 500],
    [1, 1, undefined, 1000],
    [2, 0, undefined, 1000],
    [2, 1, undefined, 2000],
    [3, 0.5, undefined, 3000],
    [10, 1, undefined, 20000],
    [1, 0.5, 2500, 2500],
    [1, 0.5, 0, 0],
    [4, 0.5, MAX_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS]
  ])('retry %i, random %d, Retry-After %j → %i ms', (retry, random, after, expected) => {
    expect(backoffMs(retry, random, after)).toBe(expected)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-21T10:00:00Z')
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['3', 3000],
    ['12', 12000],
    ['120', 120000],
    [' 0 ', 0],
    ['1.5', undefined],
    ['Sat, 21 Nov 2026 10:00:05 GMT', 5000],
    ['Sat, 21 Nov 2026 09:59:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined]
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected)
  })
})

describe('withRetries', () => {
  const deps = () => ({
    sleep: jest.fn(async (_ms: number) => undefined),
    random: () => 0.5,
    onRetry: jest.fn()
  })

  it('returns the first success with the attempt count', async () => {
    const d = deps()
    const failures = [http(503), net('ECONNRESET')]
    const result = await withRetries(3, d, async (n) => {
      const failure = failures.shift()
      if (failure) throw failure
      return `ok ${n}`
    })
    expect(result).toEqual({ value: 'ok 3', attempts: 3 })
    expect(d.sleep.mock.calls).toEqual([[750], [1500]])
    expect(d.onRetry.mock.calls).toEqual([
      [1, 4, 'HTTP 503', 750],
      [2, 4, 'network error ECONNRESET', 1500]
    ])
  })

  it('stops after retries + 1 attempts and throws the last error', async () => {
    const d = deps()
    const attempt = jest.fn(async () => {
      throw http(502)
    })
    await expect(withRetries(2, d, attempt)).rejects.toMatchObject({ status: 502 })
    expect(attempt).toHaveBeenCalledTimes(3)
    expect(d.sleep).toHaveBeenCalledTimes(2)
  })

  it('does not retry a permanent failure', async () => {
    const d = deps()
    const attempt = jest.fn(async () => {
      throw http(401)
    })
    await expect(withRetries(5, d, attempt)).rejects.toMatchObject({ status: 401 })
    expect(attempt).toHaveBeenCalledTimes(1)
    expect(d.sleep).not.toHaveBeenCalled()
  })

  it('waits what Retry-After asks for', async () => {
    const d = deps()
    let first = true
    await withRetries(1, d, async () => {
      if (first) {
        first = false
        throw http(429, 4000)
      }
      return 1
    })
    expect(d.sleep.mock.calls).toEqual([[4000]])
  })

  it('with retries 0 makes one attempt', async () => {
    const d = deps()
    const attempt = jest.fn(async () => {
      throw http(503)
    })
    await expect(withRetries(0, d, attempt)).rejects.toBeInstanceOf(TokenEndpointError)
    expect(attempt).toHaveBeenCalledTimes(1)
  })
})
