/** The app secret expiry check: one request for the app's secrets with the token just obtained. */
import { ResponseError } from './errors.js'
import { send, type HttpAnswer } from './http.js'
import { quote, serverText } from './log-text.js'
import { breaksMaskCommand, unmaskableReason } from './mask-command.js'
import {
  expiryReport,
  isManagementToken,
  readSecretList,
  secretInUse,
  secretValues,
  MAX_MASKED_VALUES,
  NOTHING,
  unknown,
  type ExpiryReport
} from './secret-expiry.js'
import type { Settings } from './settings.js'
import { secretForms } from './token-request.js'

/** What the check needs of the token. */
export interface TokenFacts {
  readonly accessToken: string
  readonly audience: string
  /** Granted scopes, space-separated. */
  readonly scope: string
}

/** The outside world the check touches. */
export interface CheckDeps {
  readonly mask: (secret: string) => void
  readonly debug: (message: string) => void
  readonly now: () => number
}

const USER_AGENT = 'logto-m2m-token-action/1'
const SKIPPED_SHOWN = 10

/**
 * Reads the expiry of the secret in use when the token can; never throws, never retries, and
 * takes at most one `timeout`.
 */
export async function checkSecretExpiry(
  settings: Settings,
  token: TokenFacts,
  deps: CheckDeps
): Promise<ExpiryReport> {
  if (settings.secretExpiryWarningDays === 0) {
    deps.debug('No app secret expiry check: secret-expiry-warning-days is 0.')
    return NOTHING
  }
  if (!isManagementToken(token.audience, token.scope)) {
    deps.debug(
      `No app secret expiry check: it needs a Logto Management API token with scope all, and ` +
        `this token is for ${quote(token.audience)}` +
        `${token.scope ? ` with scope "${quote(token.scope)}"` : ' with no scope'}.`
    )
    return NOTHING
  }
  // The whole check, the work on the answer included, keeps to one timeout.
  const deadline = deps.now() + settings.timeoutMs
  const late = (): boolean => deps.now() > deadline
  const url = `${settings.endpoint}/api/applications/${encodeURIComponent(settings.appId)}/secrets`
  const request = `GET ${url}`
  deps.debug(`${request} (app secret expiry check)`)
  // The token is known by now: the server's text (a reason phrase) may echo it.
  const sent = [token.accessToken, ...secretForms(settings)]
  let answer: HttpAnswer
  try {
    answer = await send(
      url,
      { method: 'GET', headers: { Authorization: `Bearer ${token.accessToken}` } },
      { timeoutMs: settings.timeoutMs, userAgent: USER_AGENT, proxy: settings.proxy, hidden: sent }
    )
  } catch (error) {
    return unknown(`${request} got no answer (${failureText(error, sent)})`)
  }
  const json = parseJson(answer.body)
  const status = `${request} answered HTTP ${answer.status}`
  // Masked before anything else looks at the answer, whatever its status; past the cap, or with a
  // value the mask command cannot carry, nothing is masked and nothing of the list is read, so
  // nothing of it can be printed.
  const values = secretValues(json)
  if (values.length > MAX_MASKED_VALUES) {
    return unknown(
      `${status} with ${values.length} values that could be secrets, more than the ` +
        `${MAX_MASKED_VALUES} the check masks`
    )
  }
  if (values.some(breaksMaskCommand)) {
    return unknown(`${status} with a value that could be a secret, but ${unmaskableReason('it')}`)
  }
  for (const value of values) deps.mask(value)
  const redact = [...sent, ...values]
  if (looksLikeHtml(answer)) return unknown(`${status} with an HTML page, not Logto's API`)
  if (answer.status < 200 || answer.status >= 300) {
    return unknown(`${status}${errorDetail(json, redact)}${statusHint(answer.status)}`)
  }
  if (json === NOT_JSON) return unknown(`${status} with a body that is not JSON`)
  const outOfTime = unknown(
    `${status}, but reading it took longer than timeout (${settings.timeoutMs / 1000} s)`
  )
  if (late()) return outOfTime
  const list = readSecretList(json)
  if (list.problem !== undefined) return unknown(`${status}, but ${list.problem}`)
  const inUse = secretInUse(list.entries, settings.appSecret)
  // A list of thousands of odd entries gives a few lines, not thousands.
  for (const skipped of inUse.skipped.slice(0, SKIPPED_SHOWN)) {
    deps.debug(
      `App secret expiry check: ${skipped}; it is not the secret in use, so it is skipped.`
    )
  }
  const more = inUse.skipped.length - SKIPPED_SHOWN
  if (more > 0) deps.debug(`App secret expiry check: ${more} more odd entries skipped.`)
  if (inUse.problem !== undefined) return unknown(`${status}, but ${inUse.problem}`)
  if (late()) return outOfTime
  const report = expiryReport(inUse.entry, {
    appId: settings.appId,
    warningDays: settings.secretExpiryWarningDays,
    now: deps.now(),
    redact
  })
  return late() ? outOfTime : report
}

function failureText(error: unknown, hidden: readonly string[]): string {
  // send() throws a TransportError (its server text already quoted without the hidden forms;
  // cut again in case of any other path) or, past the body cap, a ResponseError whose text
  // speaks of token responses.
  return error instanceof ResponseError
    ? 'the answer is larger than 1 MiB'
    : serverText((error as Error).message, hidden)
}

// Logto's error bodies are `{ message, code }`.
function errorDetail(json: unknown, redact: readonly string[]): string {
  // Object() makes any JSON value (or the not-JSON symbol) something to read fields from.
  const { code, message } = Object(json) as { code?: unknown; message?: unknown }
  const parts: string[] = []
  if (typeof code === 'string' && code) parts.push(`code ${quote(code, redact)}`)
  if (typeof message === 'string' && message) parts.push(`"${quote(message, redact)}"`)
  return parts.length ? ` (${parts.join(': ')})` : ''
}

function statusHint(status: number): string {
  if (status === 401) return '; Logto did not accept the token for its Management API'
  if (status === 403) return '; the token lacks the Management API scope all'
  if (status === 404) {
    return '; no such app, or a Logto older than 1.19, which has no app secrets list'
  }
  return ''
}

const NOT_JSON = Symbol('not JSON')

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}

function looksLikeHtml(answer: HttpAnswer): boolean {
  const type = answer.headers['content-type'] ?? ''
  return /text\/html/i.test(type) || /^\s*<(?:!doctype|html)/i.test(answer.body)
}
