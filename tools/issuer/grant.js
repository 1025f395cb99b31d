import { errors } from 'oidc-provider'

/** @typedef {import('./tenant.js').Tenant} Tenant */
/** @typedef {import('./fixtures.js').AppFixture} AppFixture */

/** Parameters the client_credentials grant accepts besides client authentication. */
export const clientCredentialsParameters = ['scope', 'resource', 'organization_id']

/** The 429 Logto Cloud answers once a tenant has used up its token quota (it sends no Retry-After). */
export const quotaExceededBody = {
  code: 'auth.exceed_token_limit',
  message: 'The token usage limit has been exceeded. Please upgrade your plan or contact support.'
}

/**
 * Resource server settings shared by every access token: Logto issues ES384 JWTs valid for an hour.
 * @param {string} audience
 * @param {readonly string[]} scopes
 */
export function resourceServerInfo(audience, scopes) {
  return {
    audience,
    scope: scopes.join(' '),
    accessTokenFormat: 'jwt',
    accessTokenTTL: 3600,
    jwt: { sign: { alg: 'ES384' } }
  }
}

/**
 * Scopes an app holds on a resource through its roles, or through its organization roles in
 * `organizationId` when one is given.
 * @param {AppFixture | undefined} app
 * @param {import('./fixtures.js').ResourceFixture} resource
 * @param {string} [organizationId]
 */
export function grantedScopes(app, resource, organizationId) {
  const held =
    (organizationId === undefined
      ? app?.roles?.[resource.indicator]
      : app?.organizationResources?.[organizationId]?.[resource.indicator]) ?? []
  return resource.scopes.filter((scope) => held.includes(scope))
}

/**
 * Builds Logto's client_credentials grant handler for `provider.registerGrantType`.
 * @param {Tenant} tenant
 */
export function createClientCredentialsHandler(tenant) {
  /** @param {any} ctx koa context carrying oidc-provider's `ctx.oidc` */
  return async function clientCredentials(ctx) {
    const { client, params, provider } = ctx.oidc
    const app = tenant.findApp(client.clientId)

    // Logto checks an app secret's expiry date once the secret itself matched.
    if (app?.secretExpired) throw new errors.InvalidRequest('client secret has expired')

    // Logto Cloud counts tokens per tenant, so the quota answer does not depend on the request.
    if (app?.quotaExceeded) {
      ctx.status = 429
      ctx.body = quotaExceededBody
      return
    }

    const { audience, granted } = resolveAudience(tenant, app, params)
    const requested = new Set(String(params.scope ?? '').split(' '))
    // Logto drops scopes the app has no role for instead of failing with invalid_scope.
    const scope = granted.filter((name) => requested.has(name)).join(' ') || undefined

    const token = new provider.ClientCredentials({ client, scope })
    token.resourceServer = new provider.ResourceServer(
      audience,
      resourceServerInfo(audience, granted)
    )
    ctx.oidc.entity('ClientCredentials', token)
    const accessToken = await token.save()

    ctx.body = {
      access_token: accessToken,
      expires_in: token.expiration,
      ...(scope ? { scope } : {}),
      token_type: token.tokenType
    }
  }
}

/**
 * @param {Tenant} tenant
 * @param {AppFixture | undefined} app
 * @param {Record<string, unknown>} params
 * @returns {{ audience: string, granted: readonly string[] }}
 */
function resolveAudience(tenant, app, params) {
  const resources = [params.resource].flat().filter((value) => typeof value === 'string' && value)
  const organizationId = typeof params.organization_id === 'string' ? params.organization_id : ''

  if (resources.length > 1) {
    throw new errors.InvalidTarget('only a single resource indicator value is supported')
  }

  if (organizationId) {
    const organization = tenant.findOrganization(organizationId)
    const memberScopes = app?.organizations?.[organizationId]
    if (!organization || !memberScopes) {
      const error = new errors.AccessDenied('app is not associated with the organization')
      // Logto answers 403 here, where oidc-provider's access_denied defaults to 400.
      error.status = error.statusCode = 403
      throw error
    }
    // An organization-level API resource: the audience is the resource, the scopes come from the
    // app's organization roles in this organization, not from its own roles.
    if (resources.length) {
      const resource = tenant.findResource(String(resources[0]))
      if (!resource) throw new errors.InvalidTarget()
      return {
        audience: resource.indicator,
        granted: grantedScopes(app, resource, organizationId)
      }
    }
    return {
      audience: `urn:logto:organization:${organizationId}`,
      granted: organization.scopes.filter((name) => memberScopes.includes(name))
    }
  }

  // Logto would fall back to a tenant default API here; this issuer has none, so no resource fails.
  const resource = resources.length ? tenant.findResource(String(resources[0])) : undefined
  if (!resource) throw new errors.InvalidTarget()
  return { audience: resource.indicator, granted: grantedScopes(app, resource) }
}
