/** The token request's outside world for tests that only look at its outcome. */
import type { TokenDeps } from '../../src/token.js'
import { loopbackNames } from './names.js'

/**
 * Deps that record nothing and never wait: the real clock, no jitter, no sleep, and a lookup
 * that knows no name, so no test asks the machine's resolver.
 */
export const quietDeps: TokenDeps = {
  mask: () => undefined,
  debug: () => undefined,
  now: Date.now,
  random: () => 0,
  sleep: async () => undefined,
  onRetry: () => undefined,
  lookup: loopbackNames({})
}
