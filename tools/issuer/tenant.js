import { fixtures } from './fixtures.js'

/** @typedef {import('./fixtures.js').AppFixture} AppFixture */
/** @typedef {import('./fixtures.js').ResourceFixture} ResourceFixture */

/**
 * @typedef {object} Tenant
 * @property {(clientId: string) => AppFixture | undefined} findApp
 * @property {(indicator: string) => ResourceFixture | undefined} findResource
 * @property {(organizationId: string) => { scopes: readonly string[] } | undefined} findOrganization
 */

/**
 * Looks up the fixed fixtures plus any extra apps (an extra app replaces a fixture with its clientId).
 * @param {readonly AppFixture[]} [extraApps]
 * @returns {Tenant}
 */
export function createTenant(extraApps = []) {
  /** @type {Map<string, AppFixture>} */
  const apps = new Map()
  for (const app of [...Object.values(fixtures.apps), ...extraApps]) apps.set(app.clientId, app)

  /** @type {Map<string, ResourceFixture>} */
  const resources = new Map(
    Object.values(fixtures.resources).map((resource) => [resource.indicator, resource])
  )

  /** @type {Map<string, { scopes: readonly string[] }>} */
  const organizations = new Map(Object.entries(fixtures.organizations))

  return {
    findApp: (clientId) => apps.get(clientId),
    // Exact string match on purpose: Logto treats `.../api` and `.../api/` as different resources.
    findResource: (indicator) => resources.get(indicator),
    findOrganization: (organizationId) => organizations.get(organizationId)
  }
}
