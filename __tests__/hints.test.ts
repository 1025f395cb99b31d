import { describe, expect, it } from '@jest/globals'
import {
  describeFields,
  hintFor,
  missingScopesMessage,
  suggestedEndpoint,
  type ErrorAnswer,
  type RequestContext
} from '../src/hints.js'

const ctx: RequestContext = {
  tokenUrl: 'https://acme.logto.app/oidc/token',
  appId: 'app1',
  resource: 'https://api.example.com/',
  organizationId: undefined,
  secrets: ['s3cret+x', 's3cret%2Bx', 'YXBwMTpzM2NyZXQlMkJ4']
}
const answer = (status: number, fields: ErrorAnswer['fields'] = {}, extra = {}): ErrorAnswer => ({
  status,
  fields,
  looksLikeHtml: false,
  location: undefined,
  retryAfterMs: undefined,
  ...extra
})

describe('hintFor', () => {
  it.each([
    [
      'wrong secret',
      answer(401, { error: 'invalid_client' }),
      ctx,
      /app-secret is wrong for app app1, or the app is not a machine-to-machine app/
    ],
    [
      'unknown app',
      answer(400, { error: 'invalid_client', errorDescription: 'invalid client app1' }),
      ctx,
      /No app app1 exists at https:\/\/acme.logto.app\/oidc\/token: check app-id, and that endpoint or tenant-id/
    ],
    [
      'not M2M',
      answer(400, {
        error: 'invalid_request',
        errorDescription: 'requested grant type is not allowed for this client'
      }),
      ctx,
      /App app1 is not a machine-to-machine app/
    ],
    [
      'not M2M (library wording)',
      answer(400, { error: 'unauthorized_client' }),
      ctx,
      /not a machine-to-machine app/
    ],
    [
      'unknown resource',
      answer(400, { error: 'invalid_target' }),
      ctx,
      /resource "https:\/\/api.example.com\/" must equal an API identifier in Logto exactly \(a trailing slash matters\)/
    ],
    [
      'not an organization member',
      answer(403, { error: 'access_denied' }),
      { ...ctx, organizationId: 'org9' },
      /App app1 is not a member of organization org9: add the app to the organization/
    ],
    [
      'token quota',
      answer(429, { code: 'auth.exceed_token_limit' }),
      ctx,
      /token quota; retrying will not help/
    ],
    [
      '404',
      answer(404),
      ctx,
      /https:\/\/acme.logto.app\/oidc\/token is not a Logto token endpoint, so endpoint is probably wrong/
    ],
    ['HTML', answer(400, {}, { looksLikeHtml: true }), ctx, /endpoint is probably wrong/],
    [
      'redirect',
      answer(301, {}, { location: 'https://auth.acme.com/oidc/token' }),
      ctx,
      /redirects to https:\/\/auth.acme.com\/oidc\/token; credentials are never sent after a redirect. Set endpoint to https:\/\/auth.acme.com\./
    ],
    ['redirect without location', answer(302), ctx, /set endpoint to the Logto URL itself/],
    ['5xx', answer(503), ctx, /server error/],
    ['other', answer(400, { error: 'invalid_grant' }), ctx, /Check endpoint, app-id/]
  ])('%s', (_name, a, c, expected) => {
    expect(hintFor(a, c)).toMatch(expected)
  })
})

describe('describeFields', () => {
  it.each([
    [401, {}, 'HTTP 401'],
    [401, { error: 'invalid_client' }, 'HTTP 401 invalid_client'],
    [
      400,
      {
        error: 'invalid_target',
        errorDescription: 'resource indicator is missing',
        code: 'oidc.invalid_target'
      },
      'HTTP 400 invalid_target ("resource indicator is missing", code oidc.invalid_target)'
    ],
    [429, { code: 'auth.exceed_token_limit' }, 'HTTP 429 (code auth.exceed_token_limit)']
  ])('%i %j', (status, fields, expected) => {
    expect(describeFields(status, fields, ctx.secrets)).toBe(expected)
  })

  it('removes every form of the secret before cutting an echoed request to length', () => {
    const echo = `Authorization: Basic YXBwMTpzM2NyZXQlMkJ4 body client_secret=s3cret%2Bx ${'x'.repeat(150)} s3cret+x`
    const text = describeFields(
      400,
      { error: 'invalid_request', errorDescription: echo },
      ctx.secrets
    )
    expect(text).toContain('Basic *** body client_secret=***')
    expect(text).not.toMatch(/s3cret|YXBwMTpz/)
  })
})

describe('a redirect whose Location holds a form of the secret', () => {
  const secretCtx = (secret: string): RequestContext => ({ ...ctx, secrets: [secret] })
  // The URL parser reshapes what it reads; a suggestion derived from a Location that holds a form
  // would show the form reshaped, where redaction no longer finds it.
  it.each([
    [
      'in the host, mixed case',
      'AbCdEfGh12345678XyZ',
      'https://AbCdEfGh12345678XyZ.evil.example/oidc/token'
    ],
    [
      'in the path, with a space and "',
      'ab cd"ef gh ij',
      'https://evil.example/ab cd"ef gh ij/oidc/token'
    ],
    ['in the path, with \\', 'ab\\cdef\\ghij', 'https://evil.example/ab\\cdef\\ghij'],
    ['in dot segments', 'p/../q', 'https://evil.example/p/../q/oidc/token'],
    ['holding a tab itself', 'ab\tcdefghijkl', 'https://evil.example/ab\tcdefghijkl/oidc/token']
  ])('%s: named redacted, no endpoint suggested', (_name, secret, location) => {
    const hint = hintFor(answer(302, {}, { location }), secretCtx(secret))
    expect(hint).toContain('credentials are never sent after a redirect.')
    expect(hint).toContain('***')
    expect(hint).toMatch(/Set endpoint to the Logto base URL it points at\.$/)
    const lower = hint.toLowerCase()
    for (const part of [secret, secret.replace(/\\/g, '/'), encodeURI(secret)]) {
      expect(lower).not.toContain(part.toLowerCase().slice(0, 8))
    }
  })

  // The URL parser drops a tab, percent-decodes the host and drops a soft hyphen from it: the
  // suggestion would show the secret whole (lower-cased, its `"` percent-encoded). The Location
  // itself is quoted as sent, where the secret is split or encoded: no whole form.
  it.each([
    [
      'split by a tab',
      'ab"c=d:efghijklmnopq',
      'http://evil.example/ab"c\t=d:efghijklmnopq/oidc/token'
    ],
    [
      'with a percent-encoded letter in the host',
      'AbCdEfGh12345678IjKlMnOp',
      'https://%41bCdEfGh12345678IjKlMnOp.evil.example/oidc/token'
    ],
    [
      'with a soft hyphen in the host',
      'AbCdEfGh12345678IjKlMnOp',
      'https://Ab\u00adCdEfGh12345678IjKlMnOp.evil.example/oidc/token'
    ]
  ])('a Location that holds a form %s gets no suggestion', (_name, secret, location) => {
    const hint = hintFor(answer(302, {}, { location }), secretCtx(secret))
    expect(hint).toMatch(/Set endpoint to the Logto base URL it points at\.$/)
    const lower = hint.toLowerCase()
    for (const part of [secret, encodeURI(secret)]) expect(lower).not.toContain(part.toLowerCase())
  })

  it('a Location that holds a form in another case gets no suggestion either', () => {
    // Quoted as sent (the server chose that spelling); the parser's lower-casing would make it
    // the secret exactly.
    const hint = hintFor(
      answer(302, {}, { location: 'https://ABCDEFGH12345678XYZ.evil.example/oidc/token' }),
      secretCtx('abcdefgh12345678xyz')
    )
    expect(hint).toMatch(/Set endpoint to the Logto base URL it points at\.$/)
    expect(hint).not.toContain('abcdefgh')
  })

  it('a Location without one still gets its suggestion', () => {
    const hint = hintFor(
      answer(302, {}, { location: 'https://Auth.Acme.com/oidc/token' }),
      secretCtx('AbCdEfGh12345678XyZ')
    )
    expect(hint).toMatch(/Set endpoint to https:\/\/auth\.acme\.com\.$/)
  })
})

describe('suggestedEndpoint', () => {
  it.each([
    ['https://auth.acme.com/oidc/token', 'https://auth.acme.com'],
    ['/other/oidc/token', 'https://acme.logto.app/other'],
    ['https://acme.logto.app/oidc/token/', 'https://acme.logto.app'],
    ['http://[bad', 'http://[bad']
  ])('%s → %s', (location, expected) => {
    expect(suggestedEndpoint(location, ctx.tokenUrl)).toBe(expected)
  })
})

describe('missingScopesMessage', () => {
  it('names each missing scope, the app and the fix', () => {
    const text = missingScopesMessage(['write:a', 'delete:a'], ctx, true)
    expect(text).toContain('Logto did not grant scopes "write:a", "delete:a"')
    expect(text).toContain('assign a machine-to-machine role that grants it')
    expect(text).toContain('to app app1')
    expect(text).toContain('fail-on-missing-scopes: false')
  })

  it('names the organization for organization tokens', () => {
    const text = missingScopesMessage(['invite:members'], { ...ctx, organizationId: 'o1' }, false)
    expect(text).toContain('scope "invite:members"')
    expect(text).toContain(
      'organization role that grants it (on resource https://api.example.com/) to app app1 in organization o1'
    )
    const noResource = { ...ctx, organizationId: 'o1', resource: undefined }
    expect(missingScopesMessage(['x'], noResource, false)).toContain(
      'Fix: assign an organization role that grants it to app app1 in organization o1 in Logto Console.'
    )
    expect(missingScopesMessage(['x'], { ...ctx, resource: undefined }, false)).toContain(
      'Fix: assign a machine-to-machine role that grants it to app app1 in Logto Console.'
    )
    expect(text).not.toContain('fail-on-missing-scopes')
  })
})

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('hintFor: each hint fires for its error and no other', () => {
  const generic = 'Check endpoint, app-id, app-secret, resource and scope.'
  it.each([
    [
      'expired secret',
      answer(400, { error: 'invalid_request', errorDescription: 'client secret has expired' }),
      'The app-secret of app app1 has expired: create a new secret for the app in Logto Console ' +
        '(Applications → your app → App secrets) and update the repository or environment secret ' +
        'that holds it.'
    ],
    [
      'expired secret, other case',
      answer(400, { error: 'invalid_request', errorDescription: 'Client secret has expired.' }),
      /^The app-secret of app app1 has expired/
    ],
    [
      'expired-secret wording under another error',
      answer(400, { error: 'invalid_grant', errorDescription: 'client secret has expired' }),
      generic
    ],
    ['other invalid_request', answer(400, { error: 'invalid_request' }), generic],
    [
      'invalid_request with another description',
      answer(400, { error: 'invalid_request', errorDescription: 'missing required parameter' }),
      generic
    ],
    [
      'Retry-After beyond the cap',
      answer(503, {}, { retryAfterMs: 120_000 }),
      'Logto asked to wait 120 s before trying again (Retry-After), longer than the 60 s this ' +
        'action waits: run the job again later.'
    ],
    ['Retry-After at the cap', answer(503, {}, { retryAfterMs: 60_000 }), /server error/],
    [
      'quota with a Retry-After',
      answer(429, { code: 'auth.exceed_token_limit' }, { retryAfterMs: 120_000 }),
      /token quota; retrying will not help/
    ],
    [
      'invalid_scope',
      answer(400, { error: 'invalid_scope' }),
      'Check scope: each scope must be defined on the resource in Logto.'
    ],
    [
      '429 rate limit',
      answer(429),
      'Logto is rate limiting this client; raise retries or run fewer jobs at once.'
    ],
    ['403 without an organization', answer(403, { error: 'access_denied' }), generic],
    ['401 without invalid_client', answer(401), generic],
    ['405', answer(405), /is not a Logto token endpoint/],
    ['499', answer(499), generic],
    ['500', answer(500), /server error; it persisted through every retry/],
    ['599', answer(599), /server error; it persisted through every retry/],
    ['600 is no server error', answer(600), generic],
    [
      'redirect echoing the secret',
      answer(302, {}, { location: 'https://x.example/oidc/token?secret=s3cret%2Bx' }),
      /redirects to https:\/\/x.example\/oidc\/token\?secret=\*\*\*;/
    ],
    ['300', answer(300), /answered with a redirect/],
    ['399', answer(399), /answered with a redirect/],
    ['400 is not a redirect', answer(400), generic]
  ])('%s', (_name, a, expected) => {
    // A string must be the whole hint; a pattern, part of it.
    expect(hintFor(a, ctx)).toMatch(
      typeof expected === 'string' ? new RegExp(`^${escapeRegExp(expected)}$`) : expected
    )
  })
})
