/** The token request's outside world for tests that only look at its outcome. */
import type { TokenDeps } from '../../src/token.js'

/** Deps that record nothing and never wait: the real clock, no jitter, no sleep. */
export const quietDeps: TokenDeps = {
  mask: () => undefined,
  debug: () => undefined,
  now: Date.now,
  random: () => 0,
  sleep: async () => undefined,
  onRetry: () => undefined
}
