/** Gets a token: builds the client-credentials request, retries transient failures, checks the answer. */
import {
  ActionError,
  MissingScopesError,
  ResponseError,
  TokenEndpointError,
  TransportError
} from './errors.js'
import { describeFields, hintFor, missingScopesMessage, type RequestContext } from './hints.js'
import { postForm, type HttpAnswer } from './http.js'
import { jwtAudience } from './jwt.js'
import { parseRetryAfter, withRetries, type RetryDeps } from './retry.js'
import { missingScopes } from './scopes.js'
import type { Settings } from './settings.js'

/** A token and what is known about it. */
export interface TokenResult {
  readonly accessToken: string
  readonly tokenType: string
  /** Seconds as returned; undefined when Logto sent none. */
  readonly expiresIn: number | undefined
  readonly expiresAt: string | undefined
  /** Granted scopes, space-separated; empty when none. */
  readonly scope: string
  readonly audience: string
  /** Requested scopes Logto did not grant (only non-empty when they do not fail the run). */
  readonly missingScopes: readonly string[]
  readonly attempts: number
}

/** The outside world the token request touches; tests replace what they need. */
export interface TokenDeps extends RetryDeps {
  readonly mask: (secret: string) => void
  readonly debug: (message: string) => void
  readonly now: () => number
}

/** A form-urlencoded value, as RFC 6749 §2.3.1 asks for Basic credentials. */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}

/** The token request's form and headers for the settings' auth method. */
export function buildTokenRequest(settings: Settings): {
  form: URLSearchParams
  headers: Record<string, string>
} {
  const form = new URLSearchParams({ grant_type: 'client_credentials' })
  if (settings.resource !== undefined) form.set('resource', settings.resource)
  if (settings.scopes.length > 0) form.set('scope', settings.scopes.join(' '))
  if (settings.organizationId !== undefined) form.set('organization_id', settings.organizationId)
  const headers: Record<string, string> = {}
  if (settings.authMethod === 'client_secret_basic') {
    const pair = `${formEncode(settings.appId)}:${formEncode(settings.appSecret)}`
    headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
  } else {
    form.set('client_id', settings.appId)
    form.set('client_secret', settings.appSecret)
  }
  return { form, headers }
}

const USER_AGENT = 'logto-m2m-token-action/1'

/** Requests a token, masking it the moment it is parsed. */
export async function requestToken(settings: Settings, deps: TokenDeps): Promise<TokenResult> {
  const ctx: RequestContext = {
    tokenUrl: settings.tokenUrl,
    appId: settings.appId,
    resource: settings.resource,
    organizationId: settings.organizationId
  }
  const { form, headers } = buildTokenRequest(settings)
  deps.debug(
    `POST ${settings.tokenUrl} (${settings.authMethod}; resource ${settings.resource ?? '(none)'}; ` +
      `scope ${settings.scopes.join(' ') || '(none)'}` +
      `${settings.organizationId ? `; organization ${settings.organizationId}` : ''})`
  )
  let attempts = 0
  try {
    const { value, attempts: used } = await withRetries(settings.retries, deps, async (n) => {
      attempts = n
      const answer = await postForm(settings.tokenUrl, form, headers, {
        timeoutMs: settings.timeoutMs,
        userAgent: USER_AGENT
      })
      deps.debug(`Attempt ${n}: HTTP ${answer.status}`)
      return parseAnswer(answer, ctx, deps)
    })
    return finish(value, used, settings, ctx, deps)
  } catch (error) {
    throw withContext(error, attempts, ctx)
  }
}

interface ParsedToken {
  accessToken: string
  tokenType: string
  expiresIn: number | undefined
  scope: string | undefined
}

function parseAnswer(answer: HttpAnswer, ctx: RequestContext, deps: TokenDeps): ParsedToken {
  const html = looksLikeHtml(answer)
  if (answer.status < 200 || answer.status >= 300) {
    const fields = html ? {} : errorFields(answer.body)
    const location = headerValue(answer.headers.location)
    throw new TokenEndpointError(
      answer.status,
      fields,
      parseRetryAfter(headerValue(answer.headers['retry-after']), deps.now()),
      html,
      location,
      `${describeFields(answer.status, fields)}${html ? ', an HTML page' : ''}`
    )
  }
  if (html) {
    throw new ResponseError(
      `${ctx.tokenUrl} answered with an HTML page, not a token, so endpoint is probably wrong: ` +
        'use the Logto base URL (e.g. https://your-tenant.logto.app).'
    )
  }
  let json: unknown
  try {
    json = JSON.parse(answer.body)
  } catch {
    throw new ResponseError(
      `${ctx.tokenUrl} answered HTTP ${answer.status} with a body that is not JSON; check endpoint.`
    )
  }
  const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>
  const token = body.access_token
  if (typeof token !== 'string' || token === '') {
    throw new ResponseError(
      `${ctx.tokenUrl} answered HTTP ${answer.status} with JSON that has no access_token; check ` +
        'endpoint.'
    )
  }
  deps.mask(token)
  const expires = Number(body.expires_in)
  return {
    accessToken: token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
    expiresIn: Number.isFinite(expires) && expires >= 0 ? expires : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined
  }
}

function finish(
  token: ParsedToken,
  attempts: number,
  settings: Settings,
  ctx: RequestContext,
  deps: TokenDeps
): TokenResult {
  const missing = missingScopes(settings.scopes, token.scope)
  if (missing.length > 0 && settings.failOnMissingScopes) {
    throw new MissingScopesError(missing, missingScopesMessage(missing, ctx, true))
  }
  const granted =
    token.scope === undefined ? '' : token.scope.split(/\s+/).filter(Boolean).join(' ')
  return {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresIn: token.expiresIn,
    expiresAt:
      token.expiresIn === undefined
        ? undefined
        : new Date(deps.now() + token.expiresIn * 1000).toISOString(),
    scope: granted,
    audience: jwtAudience(token.accessToken) ?? settings.audience,
    missingScopes: missing,
    attempts
  }
}

function withContext(error: unknown, attempts: number, ctx: RequestContext): unknown {
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`
  if (error instanceof TokenEndpointError) {
    const hint = hintFor(error, ctx)
    return new ActionError(
      `Logto refused the token request after ${tries}: ${error.message}. ${hint}`,
      { cause: error }
    )
  }
  if (error instanceof TransportError) {
    const advice =
      error.kind === 'timeout'
        ? 'Raise timeout if Logto is slow, or check endpoint.'
        : 'Check endpoint, and the runner network and proxy settings (HTTPS_PROXY, NO_PROXY).'
    return new ActionError(
      `Could not get an answer from ${ctx.tokenUrl} after ${tries}: ${error.message}. ${advice}`,
      { cause: error }
    )
  }
  return error
}

function looksLikeHtml(answer: HttpAnswer): boolean {
  const type = headerValue(answer.headers['content-type']) ?? ''
  return /text\/html/i.test(type) || /^\s*<(?:!doctype|html)/i.test(answer.body)
}

function errorFields(body: string): { error?: string; errorDescription?: string; code?: string } {
  try {
    const json: unknown = JSON.parse(body)
    if (typeof json !== 'object' || json === null) return {}
    const get = (key: string): string | undefined => {
      const value = (json as Record<string, unknown>)[key]
      return typeof value === 'string' ? value : undefined
    }
    return { error: get('error'), errorDescription: get('error_description'), code: get('code') }
  } catch {
    return {}
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
