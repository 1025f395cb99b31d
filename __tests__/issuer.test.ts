import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'

import { basicAuthorization as basic } from '../tools/issuer/client.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { decodeJwtSegment as decodeSegment } from '../tools/issuer/jwt.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

const { m2m, spa, quota, expired } = fixtures.apps
const managementApi = fixtures.resources.management.indicator
const productsApi = fixtures.resources.products.indicator

interface TokenReply {
  status: number
  headers: Headers
  body: Record<string, unknown>
}

let issuer: IssuerProcess

async function requestToken(
  params: Record<string, string>,
  authorization?: string
): Promise<TokenReply> {
  const response = await fetch(`${issuer.endpoint}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {})
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params })
  })
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>
  }
}

const m2mBasic = (): string => basic(m2m.clientId, m2m.clientSecret)

function expectLogtoError(reply: TokenReply, status: number, error: string): void {
  expect(reply.status).toBe(status)
  expect(reply.body.error).toBe(error)
  expect(reply.body.code).toBe(`oidc.${error}`)
  expect(typeof reply.body.error_description).toBe('string')
  expect(reply.body.message).toBe(reply.body.error_description)
}

beforeAll(async () => {
  issuer = await startIssuerProcess()
})

afterAll(async () => {
  await issuer.close()
})

describe('fixtures', () => {
  it('keeps the values other code relies on', () => {
    expect(managementApi).toBe('https://default.logto.app/api')
    expect(fixtures.resources.management.scopes).toEqual(['all'])
    expect(productsApi).toBe('https://api.example.com/products')
    expect(fixtures.resources.products.scopes).toEqual([
      'read:products',
      'write:products',
      'delete:products'
    ])
    expect([m2m.clientId, m2m.clientSecret]).toEqual(['m2m-app', 'm2m-secret+%:/=&x y'])
    expect([spa.clientId, spa.clientSecret]).toEqual(['spa-app', 'spa-secret'])
    expect([quota.clientId, quota.clientSecret]).toEqual(['quota-app', 'quota-secret'])
    expect(Object.keys(fixtures.organizations)).toEqual(['org-1', 'org-2'])
  })
})

describe('embedded issuer', () => {
  it('serves discovery with the issuer at {endpoint}/oidc', async () => {
    expect(issuer.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${issuer.endpoint}/oidc/.well-known/openid-configuration`)
    const metadata = (await response.json()) as Record<string, unknown>
    expect(metadata.issuer).toBe(`${issuer.endpoint}/oidc`)
    expect(metadata.token_endpoint).toBe(`${issuer.endpoint}/oidc/token`)
  })

  it('issues an ES384 at+jwt for the Management API via client_secret_basic', async () => {
    const reply = await requestToken({ resource: managementApi, scope: 'all' }, m2mBasic())
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({
      access_token: expect.any(String),
      expires_in: 3600,
      scope: 'all',
      token_type: 'Bearer'
    })

    const token = reply.body.access_token as string
    expect(decodeSegment(token, 0)).toEqual({
      alg: 'ES384',
      typ: 'at+jwt',
      kid: expect.any(String)
    })
    const claims = decodeSegment(token, 1)
    expect(claims).toMatchObject({
      iss: `${issuer.endpoint}/oidc`,
      aud: managementApi,
      sub: m2m.clientId,
      client_id: m2m.clientId,
      scope: 'all'
    })
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600)
  })

  it('accepts client_secret_post', async () => {
    const reply = await requestToken({
      client_id: m2m.clientId,
      client_secret: m2m.clientSecret,
      resource: managementApi,
      scope: 'all'
    })
    expect(reply.status).toBe(200)
    expect(reply.body.scope).toBe('all')
  })

  it('rejects a Basic secret that was not form-encoded first', async () => {
    const raw = `Basic ${Buffer.from(`${m2m.clientId}:${m2m.clientSecret}`).toString('base64')}`
    const reply = await requestToken({ resource: managementApi, scope: 'all' }, raw)
    expectLogtoError(reply, 400, 'invalid_request')
  })

  it('drops requested scopes the app has no role for', async () => {
    const reply = await requestToken(
      { resource: productsApi, scope: 'read:products write:products delete:products' },
      m2mBasic()
    )
    expect(reply.status).toBe(200)
    expect(reply.body.scope).toBe('read:products write:products')
    expect(decodeSegment(reply.body.access_token as string, 1).aud).toBe(productsApi)
  })

  it('omits the scope key when no requested scope is granted', async () => {
    const denied = await requestToken(
      { resource: productsApi, scope: 'delete:products' },
      m2mBasic()
    )
    expect(denied.status).toBe(200)
    expect(denied.body).not.toHaveProperty('scope')
    expect(decodeSegment(denied.body.access_token as string, 1)).not.toHaveProperty('scope')

    const unrequested = await requestToken({ resource: productsApi }, m2mBasic())
    expect(unrequested.status).toBe(200)
    expect(unrequested.body).not.toHaveProperty('scope')
  })

  it.each([
    ['an unknown resource', { resource: 'https://unknown.example.com' }],
    ['a resource with an extra trailing slash', { resource: `${productsApi}/` }],
    ['no resource', {}],
    ['an empty resource', { resource: '' }]
  ])('answers invalid_target for %s', async (_case, params: Record<string, string>) => {
    const reply = await requestToken({ scope: 'all', ...params }, m2mBasic())
    expectLogtoError(reply, 400, 'invalid_target')
  })

  it('answers 400 invalid_client for an unknown app', async () => {
    const reply = await requestToken({ resource: managementApi }, basic('no-such-app', 'secret'))
    expectLogtoError(reply, 400, 'invalid_client')
    expect(reply.body.error_description).toMatch(/^invalid client/)
  })

  it('answers 401 invalid_client for a wrong secret', async () => {
    const reply = await requestToken({ resource: managementApi }, basic(m2m.clientId, 'wrong'))
    expectLogtoError(reply, 401, 'invalid_client')
  })

  it('answers invalid_request for an app without the client_credentials grant', async () => {
    const reply = await requestToken(
      { resource: managementApi },
      basic(spa.clientId, spa.clientSecret)
    )
    expectLogtoError(reply, 400, 'invalid_request')
    expect(reply.body.error_description).toBe('requested grant type is not allowed for this client')
  })

  it('issues organization tokens with the organization URN as audience', async () => {
    const reply = await requestToken(
      { organization_id: 'org-1', scope: 'read:members invite:members' },
      m2mBasic()
    )
    expect(reply.status).toBe(200)
    expect(reply.body.scope).toBe('read:members')
    expect(decodeSegment(reply.body.access_token as string, 1).aud).toBe(
      'urn:logto:organization:org-1'
    )
  })

  it('answers 403 access_denied for an organization the app is not a member of', async () => {
    const reply = await requestToken({ organization_id: 'org-2' }, m2mBasic())
    expectLogtoError(reply, 403, 'access_denied')
  })

  it('issues an organization-level API resource token: audience the resource, scopes from the organization role', async () => {
    // The app's own roles hold write:products too; its organization role in org-1 does not.
    expect(m2m.roles[productsApi]).toContain('write:products')
    expect(m2m.organizationResources['org-1'][productsApi]).toEqual(['read:products'])
    const reply = await requestToken(
      { organization_id: 'org-1', resource: productsApi, scope: 'read:products write:products' },
      m2mBasic()
    )
    expect(reply.status).toBe(200)
    expect(reply.body.scope).toBe('read:products')
    const claims = decodeSegment(reply.body.access_token as string, 1)
    expect(claims).toMatchObject({ aud: productsApi, scope: 'read:products' })
  })

  it('omits the scope key when the organization role grants none of the requested scopes', async () => {
    const reply = await requestToken(
      { organization_id: 'org-1', resource: productsApi, scope: 'write:products' },
      m2mBasic()
    )
    expect(reply.status).toBe(200)
    expect(reply.body).not.toHaveProperty('scope')
    const claims = decodeSegment(reply.body.access_token as string, 1)
    expect(claims.aud).toBe(productsApi)
    expect(claims).not.toHaveProperty('scope')
  })

  it.each([
    ['an organization the app is not in', 'org-2', productsApi, 403, 'access_denied'],
    ['an unknown resource', 'org-1', `${productsApi}/`, 400, 'invalid_target']
  ])(
    'refuses an organization-level API resource token for %s',
    async (_case, organization, resource, status, error) => {
      const reply = await requestToken(
        { organization_id: organization, resource, scope: 'read:products' },
        m2mBasic()
      )
      expectLogtoError(reply, status, error)
    }
  )

  it("answers Logto Cloud's token quota 429 without Retry-After", async () => {
    const reply = await requestToken(
      { resource: managementApi, scope: 'all' },
      basic(quota.clientId, quota.clientSecret)
    )
    expect(reply.status).toBe(429)
    expect(reply.headers.get('retry-after')).toBeNull()
    expect(reply.body).toEqual({ code: 'auth.exceed_token_limit', message: expect.any(String) })
  })

  it('answers 400 invalid_request "client secret has expired" for an expired secret', async () => {
    const reply = await requestToken(
      { resource: managementApi, scope: 'all' },
      basic(expired.clientId, expired.clientSecret)
    )
    expectLogtoError(reply, 400, 'invalid_request')
    expect(reply.body.error_description).toBe('client secret has expired')
  })

  it('checks the secret before its expiry: a wrong one is still 401 invalid_client', async () => {
    const reply = await requestToken({ resource: managementApi }, basic(expired.clientId, 'nope'))
    expectLogtoError(reply, 401, 'invalid_client')
  })
})

describe('/api/whoami', () => {
  const whoami = (authorization?: string): Promise<Response> =>
    fetch(`${issuer.endpoint}/api/whoami`, {
      headers: authorization ? { authorization } : {}
    })

  it('returns the claims of a token this issuer signed', async () => {
    const reply = await requestToken({ resource: productsApi, scope: 'read:products' }, m2mBasic())
    const response = await whoami(`Bearer ${reply.body.access_token as string}`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      sub: m2m.clientId,
      aud: productsApi,
      scope: 'read:products',
      client_id: m2m.clientId
    })
  })

  it('answers 401 JSON without a token or with a tampered one', async () => {
    const missing = await whoami()
    expect(missing.status).toBe(401)
    expect(await missing.json()).toHaveProperty('error')

    const reply = await requestToken({ resource: managementApi, scope: 'all' }, m2mBasic())
    const [header, payload, signature] = (reply.body.access_token as string).split('.')
    const forged = Buffer.from(
      JSON.stringify({ ...decodeSegment(`${header}.${payload}`, 1), scope: 'all more' })
    ).toString('base64url')
    for (const token of [
      `${header}.${forged}.${signature}`,
      `${header}.${payload}.${signature}x`
    ]) {
      const response = await whoami(`Bearer ${token}`)
      expect(response.status).toBe(401)
      expect(await response.json()).toHaveProperty('error', 'invalid_token')
    }
  })
})

describe('request log', () => {
  it('records token requests without credentials and can be reset', async () => {
    await fetch(`${issuer.endpoint}/__requests/reset`, { method: 'POST' })
    await requestToken({ resource: managementApi, scope: 'all' }, m2mBasic())
    await requestToken({
      client_id: m2m.clientId,
      client_secret: m2m.clientSecret,
      resource: managementApi
    })

    const recorded = await issuer.requests()
    expect(recorded).toEqual([
      {
        method: 'POST',
        path: '/oidc/token',
        contentType: 'application/x-www-form-urlencoded',
        hasAuthorization: true
      },
      {
        method: 'POST',
        path: '/oidc/token',
        contentType: 'application/x-www-form-urlencoded',
        hasAuthorization: false
      }
    ])
    expect(JSON.stringify(recorded)).not.toContain('secret')

    await fetch(`${issuer.endpoint}/__requests/reset`, { method: 'POST' })
    expect(await issuer.requests()).toEqual([])
  })
})

describe('GET /api/applications/:id/secrets, as Logto 1.42 serves it', () => {
  const { expiring, forever, legacy } = fixtures.apps
  const DAY = 24 * 60 * 60 * 1000

  async function tokenFor(resource: string, scope: string): Promise<string> {
    const reply = await requestToken({ resource, scope }, m2mBasic())
    return reply.body.access_token as string
  }

  async function secrets(appId: string, authorization?: string) {
    const response = await fetch(`${issuer.endpoint}/api/applications/${appId}/secrets`, {
      headers: authorization ? { authorization } : {}
    })
    return { status: response.status, body: await response.json() }
  }

  it('lists the app secrets with epoch-millisecond times, null for none', async () => {
    const before = Date.now()
    const { status, body } = await secrets(
      'm2m-app',
      `Bearer ${await tokenFor(managementApi, 'all')}`
    )
    expect(status).toBe(200)
    const list = body as {
      name: string
      value: string
      expiresAt: number | null
      createdAt: number
    }[]
    expect(list.map((s) => [s.name, s.value])).toEqual(m2m.secrets.map((s) => [s.name, s.value]))
    expect(list[0]).toEqual({
      tenantId: 'default',
      applicationId: 'm2m-app',
      name: 'Old CI secret',
      value: m2m.secrets[0].value,
      createdAt: expect.any(Number),
      expiresAt: expect.any(Number)
    })
    expect(list[0].createdAt).toBeLessThan(before)
    // Five days from the issuer's start, at its time of day (which is before `before`).
    const days = ((list[0].expiresAt as number) - before) / DAY
    expect(days).toBeGreaterThan(4.9)
    expect(days).toBeLessThanOrEqual(5)
    expect(list[2].expiresAt).toBeNull()
  })

  it('serves each app its own list; the legacy secret is not in it', async () => {
    const auth = `Bearer ${await tokenFor(managementApi, 'all')}`
    const names = async (id: string) =>
      ((await secrets(id, auth)).body as { name: string; value: string }[]).map((s) => s.value)
    expect(await names(expiring.clientId)).toEqual([expiring.clientSecret])
    expect(await names(forever.clientId)).toEqual([forever.clientSecret])
    expect(await names(legacy.clientId)).not.toContain(legacy.clientSecret)
    expect(await names(spa.clientId)).toEqual([])
  })

  it.each([
    [
      'no Authorization header',
      undefined,
      'auth.authorization_header_missing',
      'Authorization header is missing.'
    ],
    [
      'a Basic header',
      'Basic abc',
      'auth.authorization_token_type_not_supported',
      'Authorization type is not supported.'
    ],
    [
      'a token that is not a JWT',
      'Bearer abc',
      'auth.unauthorized',
      'Unauthorized. Please check credentials and its scope.'
    ]
  ])("401 for %s, with Logto's body", async (_name, authorization, code, message) => {
    expect(await secrets('m2m-app', authorization)).toEqual({
      status: 401,
      body: { message, code }
    })
  })

  it('401 for a token of another audience', async () => {
    const token = await tokenFor(productsApi, 'read:products')
    expect(await secrets('m2m-app', `Bearer ${token}`)).toEqual({
      status: 401,
      body: {
        message: 'Unauthorized. Please check credentials and its scope.',
        code: 'auth.unauthorized'
      }
    })
  })

  it('403 for a Management API token without all', async () => {
    const token = await tokenFor(managementApi, 'read')
    expect(await secrets('m2m-app', `Bearer ${token}`)).toEqual({
      status: 403,
      body: {
        message: 'Forbidden. Please check your user roles and permissions.',
        code: 'auth.forbidden'
      }
    })
  })

  it('404 for an app that does not exist', async () => {
    const token = await tokenFor(managementApi, 'all')
    expect(await secrets('ghost', `Bearer ${token}`)).toEqual({
      status: 404,
      body: {
        message: 'The applications with ID `ghost` does not exist.',
        code: 'entity.not_exists_with_id'
      }
    })
  })

  it('404 for a malformed app ID escape, without crashing', async () => {
    const token = await tokenFor(managementApi, 'all')
    expect((await secrets('%E0%A4%A', `Bearer ${token}`)).status).toBe(404)
    expect((await secrets('m2m-app', `Bearer ${token}`)).status).toBe(200)
  })
})
