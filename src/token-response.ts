/** Reads the token endpoint's answer: an error becomes a TokenEndpointError, a token is checked. */
import { ResponseError, TokenEndpointError, type OAuthErrorFields } from './errors.js'
import { describeFields } from './hints.js'
import type { HttpAnswer } from './http.js'
import { jwtAudience } from './jwt.js'
import { quote, serverText } from './log-text.js'
import { parseRetryAfter } from './retry.js'

/**
 * The longest token_type, scope and JWT audience taken, in characters: far above what Logto sends
 * (`Bearer`, a resource's scope names, one resource indicator or organization URN), and low enough
 * that each fits an output, a log line and the summary.
 */
export const MAX_FIELD_LENGTH = { token_type: 64, scope: 16 * 1024, aud: 2 * 1024 } as const

/** The longest expires_in believed: about ten years. Anything longer is not a real lifetime. */
export const MAX_EXPIRES_IN = 10 * 366 * 24 * 3600

// RFC 6749 §A.12 and RFC 6750: visible ASCII; spaces are refused too, since the token is sent in
// an Authorization header and masked by the runner line by line.
const TOKEN_SYNTAX = /^[\x21-\x7e]+$/

/**
 * The fields of a token response, checked. token_type is printable and, like the warnings, free of
 * the token and the secret's forms; scope is as sent (see serverText before showing it).
 */
export interface TokenFields {
  readonly accessToken: string
  readonly tokenType: string
  /** Seconds; undefined when the answer has no usable expires_in (see warnings). */
  readonly expiresIn: number | undefined
  /** The granted scopes as sent, or undefined when the answer has no scope. */
  readonly scope: string | undefined
  /** Things about the answer worth a warning that do not stop the run. */
  readonly warnings: readonly string[]
}

/** Turns an HTTP answer into token fields, or throws TokenEndpointError or ResponseError. */
export function readTokenAnswer(
  answer: HttpAnswer,
  tokenUrl: string,
  secrets: readonly string[],
  now: number
): TokenFields {
  const html = looksLikeHtml(answer)
  if (answer.status < 200 || answer.status >= 300) {
    const fields = html ? {} : errorFields(answer.body)
    throw new TokenEndpointError({
      status: answer.status,
      fields,
      retryAfterMs: parseRetryAfter(headerValue(answer.headers['retry-after']), now),
      looksLikeHtml: html,
      location: headerValue(answer.headers.location),
      message: `${describeFields(answer.status, fields, secrets)}${html ? ', an HTML page' : ''}`
    })
  }
  const status = `${tokenUrl} answered HTTP ${answer.status}`
  if (html) {
    throw new ResponseError(
      `${tokenUrl} answered with an HTML page, not a token, so endpoint is probably wrong: ` +
        'use the Logto base URL (e.g. https://your-tenant.logto.app).'
    )
  }
  const json = parseJson(answer.body)
  if (json === NOT_JSON) {
    throw new ResponseError(`${status} with a body that is not JSON; check endpoint.`)
  }
  const body = isObject(json) ? json : {}
  const token = body.access_token
  if (token === undefined || token === '') {
    throw new ResponseError(`${status} with JSON that has no access_token; check endpoint.`)
  }
  if (typeof token !== 'string' || !TOKEN_SYNTAX.test(token)) {
    throw new ResponseError(
      `${status} with an access_token that is not a valid token (a string of visible ASCII ` +
        'characters without spaces or line breaks); check endpoint.'
    )
  }
  // act reads `::add-mask::a::b` as the command `add-mask::a`, and undoes the escapes %25, %0D
  // and %0A in no fixed order (`%250A` may become a line break), so such a token would not be
  // masked there; Logto's tokens (JWTs, or oidc-provider's base64url opaque ones) hold neither.
  if (/[:%]/.test(token)) {
    throw new ResponseError(
      `${status} with an access_token that holds a ":" or a "%", which no Logto token does (they ` +
        'are JWTs: base64url parts and dots) and which some runners (act) would not mask; check ' +
        'endpoint.'
    )
  }
  // Refused before the hand-over: cut for the log only, they would still flood the outputs.
  const sizes: [keyof typeof MAX_FIELD_LENGTH, unknown][] = [
    ['token_type', body.token_type],
    ['scope', body.scope],
    ['aud', jwtAudience(token)]
  ]
  for (const [field, value] of sizes) {
    if (typeof value === 'string' && value.length > MAX_FIELD_LENGTH[field]) {
      const what = field === 'aud' ? 'an access_token whose JWT audience (aud)' : `a ${field} that`
      throw new ResponseError(
        `${status} with ${what} is ${value.length} characters long, more than the ` +
          `${MAX_FIELD_LENGTH[field]} the action takes, which no Logto answer comes near; check ` +
          'endpoint.'
      )
    }
  }
  // Every value that may be printed, set as an output or shown in the summary loses the token and
  // the secret's forms before anything else is done to it (see serverText).
  const hidden = [token, ...secrets]
  const warnings: string[] = []
  const expiresIn = readExpiresIn(body.expires_in, hidden, warnings)
  return {
    accessToken: token,
    tokenType: readTokenType(body.token_type, hidden),
    expiresIn,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
    warnings
  }
}

function readExpiresIn(
  value: unknown,
  hidden: readonly string[],
  warnings: string[]
): number | undefined {
  const problem =
    value === undefined
      ? 'the answer has none'
      : typeof value !== 'number' || !Number.isInteger(value)
        ? `${describeValue(value, hidden)} is not a whole number of seconds`
        : value < 0
          ? `${value} is negative`
          : value > MAX_EXPIRES_IN
            ? `${value} s is more than ten years`
            : undefined
  if (problem === undefined) return value as number
  warnings.push(
    `Logto's answer has no usable expires_in (${problem}), so expires-in and expires-at are ` +
      'empty; the token is used all the same.'
  )
  return undefined
}

function readTokenType(value: unknown, hidden: readonly string[]): string {
  const type = typeof value === 'string' ? serverText(value, hidden) : ''
  return type || 'Bearer'
}

function describeValue(value: unknown, hidden: readonly string[]): string {
  if (typeof value === 'string') return quote(`"${value}"`, hidden)
  // JSON values only: JSON.stringify gives a string for each of them, with a hidden form escaped
  // as inside a JSON string when it holds a quote, a backslash or a control character.
  const escaped = hidden.map((form) => JSON.stringify(form).slice(1, -1))
  let json: string
  try {
    json = JSON.stringify(value)
  } catch {
    // JSON.parse takes nesting that JSON.stringify's recursion cannot give back (a stack overflow).
    return Array.isArray(value)
      ? 'an array nested too deeply to show'
      : 'an object nested too deeply to show'
  }
  return quote(json, [...hidden, ...escaped])
}

const NOT_JSON = Symbol('not JSON')

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function looksLikeHtml(answer: HttpAnswer): boolean {
  const type = headerValue(answer.headers['content-type']) ?? ''
  return /text\/html/i.test(type) || /^\s*<(?:!doctype|html)/i.test(answer.body)
}

function errorFields(body: string): OAuthErrorFields {
  const json = parseJson(body)
  if (!isObject(json)) return {}
  const get = (key: string): string | undefined => {
    const value = json[key]
    return typeof value === 'string' ? value : undefined
  }
  return { error: get('error'), errorDescription: get('error_description'), code: get('code') }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
