/**
 * @typedef {object} AppFixture
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {'m2m' | 'spa'} kind Only `m2m` apps may use the client_credentials grant.
 * @property {Readonly<Record<string, readonly string[]>>} [roles] Scopes granted per resource indicator.
 * @property {Readonly<Record<string, readonly string[]>>} [organizations] Organization scopes per organization the app is a member of.
 * @property {Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>} [organizationResources] API resource scopes that the app's organization roles carry, per organization, then per resource indicator (Logto's organization-level API resources).
 * @property {boolean} [quotaExceeded] Every token request gets Logto Cloud's 429 token quota answer.
 * @property {boolean} [secretExpired] The secret is right but past its expiry date, as Logto allows.
 * @property {readonly SecretFixture[]} [secrets] The app's secrets list (Logto 1.19+), which `GET /api/applications/:id/secrets` serves; a clientSecret not in it is the app's legacy secret.
 */

/**
 * @typedef {object} SecretFixture
 * @property {string} name Its name in Logto Console, unique per app.
 * @property {string} value
 * @property {number | null} expiresInDays Days from the issuer's start, at its time of day, so the action counts that many UTC calendar days (unless a test runs across midnight UTC); null for none.
 */

/**
 * @typedef {object} ResourceFixture
 * @property {string} indicator
 * @property {readonly string[]} scopes
 */

const managementApi = 'https://default.logto.app/api'
const productsApi = 'https://api.example.com/products'

/** The fixed tenant the embedded issuer serves; tests, the benchmark and workflows rely on these values. */
export const fixtures = deepFreeze(
  /** @type {const} */ ({
    resources: {
      management: { indicator: managementApi, scopes: ['all'] },
      products: {
        indicator: productsApi,
        scopes: ['read:products', 'write:products', 'delete:products']
      }
    },
    apps: {
      m2m: {
        clientId: 'm2m-app',
        clientSecret: 'm2m-secret+%:/=&x y',
        kind: 'm2m',
        roles: {
          [managementApi]: ['all'],
          [productsApi]: ['read:products', 'write:products']
        },
        organizations: { 'org-1': ['read:members'] },
        organizationResources: { 'org-1': { [productsApi]: ['read:products'] } },
        // The secret in use is neither first nor the one about to expire.
        secrets: [
          { name: 'Old CI secret', value: 'm2m-old-secret-0123456789abcdef', expiresInDays: 5 },
          { name: 'GitHub Actions', value: 'm2m-secret+%:/=&x y', expiresInDays: 180 },
          { name: 'Local development', value: 'm2m-dev-secret-0123456789abcd', expiresInDays: null }
        ]
      },
      spa: { clientId: 'spa-app', clientSecret: 'spa-secret', kind: 'spa' },
      quota: {
        clientId: 'quota-app',
        clientSecret: 'quota-secret',
        kind: 'm2m',
        quotaExceeded: true
      },
      expired: {
        clientId: 'expired-app',
        clientSecret: 'expired-secret',
        kind: 'm2m',
        roles: { [managementApi]: ['all'] },
        secretExpired: true
      },
      expiring: {
        clientId: 'expiring-app',
        clientSecret: 'expiring-secret-0123456789abcdef',
        kind: 'm2m',
        roles: { [managementApi]: ['all'], [productsApi]: ['read:products'] },
        secrets: [
          { name: 'Release pipeline', value: 'expiring-secret-0123456789abcdef', expiresInDays: 10 }
        ]
      },
      forever: {
        clientId: 'forever-app',
        clientSecret: 'forever-secret-0123456789abcdef',
        kind: 'm2m',
        roles: { [managementApi]: ['all'] },
        secrets: [
          { name: 'No expiry', value: 'forever-secret-0123456789abcdef', expiresInDays: null }
        ]
      },
      legacy: {
        clientId: 'legacy-app',
        clientSecret: 'legacy-secret-0123456789abcdef',
        kind: 'm2m',
        roles: { [managementApi]: ['all'] },
        secrets: [
          { name: 'Newer secret', value: 'legacy-newer-secret-0123456789ab', expiresInDays: 3 }
        ]
      }
    },
    organizations: {
      'org-1': { scopes: ['read:members', 'invite:members'] },
      'org-2': { scopes: ['read:members', 'invite:members'] }
    }
  })
)

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
