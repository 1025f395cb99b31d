import { errors } from 'oidc-provider'

/** @typedef {import('./tenant.js').Tenant} Tenant */
/** @typedef {import('./fixtures.js').AppFixture} AppFixture */
/** @typedef {Record<string, unknown>} Payload */

/**
 * Builds the oidc-provider storage adapter: clients come from the tenant, anything else the provider
 * wants to keep lives in memory for the life of the process.
 * @param {Tenant} tenant
 */
export function createAdapter(tenant) {
  return class TenantAdapter {
    /** @param {string} model */
    constructor(model) {
      this.model = model
      /** @type {Map<string, Payload>} */
      this.store = new Map()
    }

    /** @param {string} id */
    async find(id) {
      if (this.model !== 'Client') return this.store.get(id)
      const app = tenant.findApp(id)
      // Logto rejects an unknown client_id as 400 "invalid client <id>", not as a failed authentication.
      if (!app) throw new errors.InvalidClient(`invalid client ${id}`)
      return clientMetadata(app)
    }

    /**
     * @param {string} id
     * @param {Payload} payload
     */
    async upsert(id, payload) {
      this.store.set(id, payload)
    }

    /** @param {string} userCode */
    async findByUserCode(userCode) {
      return [...this.store.values()].find((payload) => payload.userCode === userCode)
    }

    /** @param {string} uid */
    async findByUid(uid) {
      return [...this.store.values()].find((payload) => payload.uid === uid)
    }

    /** @param {string} id */
    async consume(id) {
      const payload = this.store.get(id)
      if (payload) payload.consumed = Math.floor(Date.now() / 1000)
    }

    /** @param {string} id */
    async destroy(id) {
      this.store.delete(id)
    }

    /** @param {string} grantId */
    async revokeByGrantId(grantId) {
      for (const [id, payload] of this.store) if (payload.grantId === grantId) this.store.delete(id)
    }
  }
}

/**
 * @param {AppFixture} app
 * @returns {Payload}
 */
function clientMetadata(app) {
  const common = {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    // Basic is only the registered method; oidc-provider accepts client_secret_post for it as well.
    token_endpoint_auth_method: 'client_secret_basic'
  }
  if (app.kind === 'm2m') {
    return { ...common, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] }
  }
  return {
    ...common,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback']
  }
}
