import { randomBytes } from 'node:crypto'
import Provider from 'oidc-provider'
import { errors } from 'oidc-provider'

import { createAdapter } from './adapter.js'
import {
  clientCredentialsParameters,
  createClientCredentialsHandler,
  grantedScopes,
  resourceServerInfo
} from './grant.js'
import { logtoErrorBody, renderJsonError } from './logto-errors.js'

/** @typedef {import('./tenant.js').Tenant} Tenant */

/**
 * Configures oidc-provider the way Logto does for machine-to-machine apps.
 * @param {object} options
 * @param {string} options.issuer
 * @param {Tenant} options.tenant
 * @param {Record<string, unknown>} options.signingKey private JWK (ES384)
 */
export function createProvider({ issuer, tenant, signingKey }) {
  const provider = new Provider(issuer, {
    adapter: createAdapter(tenant),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clientDefaults: { id_token_signed_response_alg: 'ES384' },
    enabledJWA: { idTokenSigningAlgValues: ['ES384'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => undefined,
        useGrantedResource: async () => false,
        /**
         * @param {unknown} _ctx
         * @param {string} indicator
         * @param {{ clientId: string }} client
         */
        getResourceServerInfo: async (_ctx, indicator, client) => {
          const resource = tenant.findResource(indicator)
          if (!resource) throw new errors.InvalidTarget()
          const granted = grantedScopes(tenant.findApp(client.clientId), resource)
          return resourceServerInfo(resource.indicator, granted)
        }
      }
    },
    // Every default that oidc-provider would announce as "you SHOULD change it" is set, because its
    // notices go to stdout, which the CLI reserves for its one JSON line.
    ttl: { AccessToken: 3600, ClientCredentials: 3600 },
    clientBasedCORS: () => false,
    renderError: renderJsonError,
    findAccount: async () => undefined
  })

  provider.registerGrantType(
    'client_credentials',
    createClientCredentialsHandler(tenant),
    clientCredentialsParameters,
    ['resource']
  )
  provider.use(logtoErrorBody)
  return provider
}
