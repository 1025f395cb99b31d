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

describe('suggestedEndpoint', () => {
  it.each([
    ['https://auth.acme.com/oidc/token', 'https://auth.acme.com'],
    ['/other/oidc/token', 'https://acme.logto.app/other'],
    ['https://acme.logto.app/oidc/token/', 'https://acme.logto.app']
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
    expect(text).toContain('organization role that grants it to app app1 in organization o1')
    expect(text).not.toContain('fail-on-missing-scopes')
  })
})
