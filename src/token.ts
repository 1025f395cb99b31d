/** Gets a token: sends the client-credentials request, retries transient failures, checks the grant. */
import type { LookupFunction } from 'node:net'
import { MissingScopesError } from './errors.js'
import { explainFailure } from './failure.js'
import { missingScopesMessage, type RequestContext } from './hints.js'
import { postForm } from './http.js'
import { jwtAudience } from './jwt.js'
import { line, serverText } from './log-text.js'
import { withRetries, type RetryDeps } from './retry.js'
import { missingScopes } from './scopes.js'
import type { Settings } from './settings.js'
import { buildTokenRequest, secretForms } from './token-request.js'
import { readTokenAnswer, type TokenFields } from './token-response.js'

/**
 * A token and what is known about it; every other string is printable text without the token or
 * a form of the secret.
 */
export interface TokenResult {
  readonly accessToken: string
  readonly tokenType: string
  /** Seconds as returned; undefined when Logto sent no usable expires_in. */
  readonly expiresIn: number | undefined
  readonly expiresAt: string | undefined
  /** Granted scopes, space-separated; empty when none. */
  readonly scope: string
  readonly audience: string
  /** Requested scopes Logto did not grant (only non-empty when they do not fail the run). */
  readonly missingScopes: readonly string[]
  readonly attempts: number
  /** Things about the answer worth a warning. */
  readonly warnings: readonly string[]
}

/** The outside world the token request touches; tests replace what they need. */
export interface TokenDeps extends RetryDeps {
  readonly mask: (secret: string) => void
  readonly debug: (message: string) => void
  readonly now: () => number
  /** Resolves host names; the system's lookup when absent (tests map names to loopback). */
  readonly lookup?: LookupFunction
}

const USER_AGENT = 'logto-m2m-token-action/1'

/** Requests a token, masking it the moment it is read. */
export async function requestToken(settings: Settings, deps: TokenDeps): Promise<TokenResult> {
  const ctx: RequestContext = {
    tokenUrl: settings.tokenUrl,
    appId: settings.appId,
    resource: settings.resource,
    organizationId: settings.organizationId,
    secrets: secretForms(settings)
  }
  const { form, headers } = buildTokenRequest(settings)
  deps.debug(
    line`POST ${settings.tokenUrl} (${settings.authMethod}; resource ${settings.resource ?? '(none)'}; ` +
      line`scope ${settings.scopes.join(' ') || '(none)'}` +
      (settings.organizationId ? line`; organization ${settings.organizationId}` : '') +
      ')'
  )
  let attempts = 0
  try {
    const { value, attempts: used } = await withRetries(settings.retries, deps, async (n) => {
      attempts = n
      const answer = await postForm(settings.tokenUrl, form, headers, {
        timeoutMs: settings.timeoutMs,
        userAgent: USER_AGENT,
        lookup: deps.lookup,
        proxy: settings.proxy,
        hidden: ctx.secrets
      })
      deps.debug(`Attempt ${n}: HTTP ${answer.status}`)
      const fields = readTokenAnswer(answer, settings.tokenUrl, ctx.secrets, deps.now())
      deps.mask(fields.accessToken)
      return fields
    })
    return checkGrant(value, used, settings, ctx, deps.now())
  } catch (error) {
    throw explainFailure(error, attempts, ctx)
  }
}

/** Checks the granted scopes against the request and derives the outputs. */
function checkGrant(
  token: TokenFields,
  attempts: number,
  settings: Settings,
  ctx: RequestContext,
  now: number
): TokenResult {
  const missing = missingScopes(settings.scopes, token.scope)
  if (missing.length > 0 && settings.failOnMissingScopes) {
    throw new MissingScopesError(missing, missingScopesMessage(missing, ctx, true))
  }
  // The scope and the audience are server values: without the token and the secret's forms,
  // printable, runs of spaces made one.
  const hidden = [token.accessToken, ...ctx.secrets]
  const granted = serverText(token.scope ?? '', hidden)
  return {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresIn: token.expiresIn,
    expiresAt:
      token.expiresIn === undefined
        ? undefined
        : new Date(now + token.expiresIn * 1000).toISOString(),
    scope: granted,
    audience: serverText(jwtAudience(token.accessToken) ?? settings.audience, hidden),
    missingScopes: missing,
    attempts,
    warnings: token.warnings
  }
}
