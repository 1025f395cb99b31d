/** Pure mapping from Logto's answers to messages that name the likely cause and the fix. */
import { basePath } from './endpoint.js'
import type { OAuthErrorFields } from './errors.js'
import { holdsForm, line, quote } from './log-text.js'
import { isServerError, MAX_RETRY_AFTER_MS, QUOTA_CODE, waitText } from './retry.js'

/** What the message may mention about the request. */
export interface RequestContext {
  readonly tokenUrl: string
  readonly appId: string
  readonly resource: string | undefined
  readonly organizationId: string | undefined
  /** Every form of the app secret, removed from any server text before it is quoted. */
  readonly secrets: readonly string[]
}

/** The parts of an error answer that matter for the hint. */
export interface ErrorAnswer {
  readonly status: number
  readonly fields: OAuthErrorFields
  readonly looksLikeHtml: boolean
  readonly location: string | undefined
  readonly retryAfterMs: number | undefined
}

/** Describes the error fields Logto returned, quoting only error, error_description and code. */
export function describeFields(
  status: number,
  fields: OAuthErrorFields,
  secrets: readonly string[]
): string {
  const parts = [`HTTP ${status}`]
  if (fields.error) parts.push(quote(fields.error, secrets))
  const extra: string[] = []
  if (fields.errorDescription) extra.push(`"${quote(fields.errorDescription, secrets)}"`)
  if (fields.code) extra.push(`code ${quote(fields.code, secrets)}`)
  return extra.length ? `${parts.join(' ')} (${extra.join(', ')})` : parts.join(' ')
}

/** The endpoint a redirect target suggests: the location without its /oidc/token part. */
export function suggestedEndpoint(location: string, tokenUrl: string): string {
  try {
    const url = new URL(location, tokenUrl)
    return `${url.origin}${basePath(url.pathname)}`
  } catch {
    return location
  }
}

/** The likely cause and the fix for an error answer from the token endpoint. */
export function hintFor(answer: ErrorAnswer, ctx: RequestContext): string {
  const { status, fields, looksLikeHtml, location, retryAfterMs } = answer
  const { error } = fields
  const says = (text: string): boolean =>
    fields.errorDescription?.toLowerCase().includes(text) === true
  if (status >= 300 && status < 400) {
    if (!location) {
      return 'The token endpoint answered with a redirect; set endpoint to the Logto URL itself.'
    }
    const redirect =
      `The token endpoint redirects to ${quote(location, ctx.secrets)}; credentials are never ` +
      'sent after a redirect.'
    // The URL parser lower-cases the host, turns `\` into `/`, percent-encodes and resolves dot
    // segments, drops tabs, and percent-decodes and maps the host (dropping a soft hyphen): a form
    // it reshapes would no longer be found. So no suggestion is given when the location (without
    // its tabs too) or the suggestion holds a form, in any case.
    const suggestion = suggestedEndpoint(location, ctx.tokenUrl)
    const shapes = [location, location.replace(/\t/g, ''), suggestion]
    return shapes.some((shape) => holdsForm(shape, ctx.secrets))
      ? `${redirect} Set endpoint to the Logto base URL it points at.`
      : `${redirect} Set endpoint to ${quote(suggestion, ctx.secrets)}.`
  }
  if (fields.code === QUOTA_CODE) {
    return (
      "The tenant has used up Logto Cloud's machine-to-machine token quota; retrying will not " +
      'help. Reuse a token for its lifetime (expires-in) instead of asking for one per job, or ' +
      "raise the tenant's plan."
    )
  }
  if (looksLikeHtml || status === 404 || status === 405) {
    return (
      line`${ctx.tokenUrl} is not a Logto token endpoint, so endpoint is probably wrong: use the ` +
      'Logto base URL (e.g. https://your-tenant.logto.app, or the self-hosted URL without /oidc).'
    )
  }
  if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
    return (
      `Logto asked to wait ${waitText(retryAfterMs)} before trying again (Retry-After), longer ` +
      `than the ${waitText(MAX_RETRY_AFTER_MS)} this action waits: run the job again later.`
    )
  }
  if (error === 'invalid_request' && says('client secret has expired')) {
    return (
      line`The app-secret of app ${ctx.appId} has expired: create a new secret for the app in Logto ` +
      'Console (Applications → your app → App secrets) and update the repository or environment ' +
      'secret that holds it.'
    )
  }
  if (error === 'invalid_client' && status === 401) {
    return (
      line`The app-secret is wrong for app ${ctx.appId}, or the app is not a machine-to-machine ` +
      'app. Copy the secret again from the app in Logto Console and check the app type.'
    )
  }
  if (error === 'invalid_client') {
    return (
      line`No app ${ctx.appId} exists at ${ctx.tokenUrl}: check app-id, and that endpoint or ` +
      'tenant-id names the tenant the app belongs to.'
    )
  }
  if (
    error === 'unauthorized_client' ||
    (error === 'invalid_request' && says('grant type is not allowed'))
  ) {
    return (
      line`App ${ctx.appId} is not a machine-to-machine app, so it may not use the client ` +
      'credentials grant: create a machine-to-machine app in Logto Console and use its ID and secret.'
    )
  }
  if (error === 'invalid_target') {
    return ctx.resource === undefined
      ? 'Logto found no API resource for this request: set resource to an API identifier, exactly ' +
          'as in Logto Console → API resources.'
      : line`The resource "${ctx.resource}" must equal an API identifier in Logto exactly (a trailing ` +
          'slash matters): copy it from Logto Console → API resources. For the Management API, ' +
          'leave resource empty.'
  }
  if (status === 403 && ctx.organizationId) {
    return (
      line`App ${ctx.appId} is not a member of organization ${ctx.organizationId}: add the app to ` +
      'the organization (Logto Console → Organizations → Machine-to-machine apps) and give it ' +
      'an organization role.'
    )
  }
  if (error === 'invalid_scope') {
    return 'Check scope: each scope must be defined on the resource in Logto.'
  }
  if (status === 429) {
    return 'Logto is rate limiting this client; raise retries or run fewer jobs at once.'
  }
  if (isServerError(status)) {
    return 'Logto had a server error; it persisted through every retry. Check Logto status.'
  }
  return 'Check endpoint, app-id, app-secret, resource and scope.'
}

/** The message for requested scopes that Logto did not grant. */
export function missingScopesMessage(
  missing: readonly string[],
  ctx: Pick<RequestContext, 'appId' | 'resource' | 'organizationId'>,
  fatal: boolean
): string {
  const list = missing.map((s) => line`"${s}"`).join(', ')
  // An organization role may carry scopes of an API resource: then the resource is named too.
  const on = ctx.resource === undefined ? '' : line` (on resource ${ctx.resource})`
  const where = ctx.organizationId
    ? `an organization role that grants it${on}` +
      line` to app ${ctx.appId} in organization ${ctx.organizationId}`
    : `a machine-to-machine role that grants it${on}` + line` to app ${ctx.appId}`
  const lead = `Logto did not grant ${missing.length === 1 ? 'scope' : 'scopes'} ${list}: it drops scopes the app has no role for, silently.`
  const fix = `Fix: assign ${where} in Logto Console`
  return fatal
    ? `${lead} ${fix}, or set fail-on-missing-scopes: false to go on with fewer scopes.`
    : `${lead} ${fix}.`
}
