import { createServer } from 'node:http'

import { generateSigningKey } from './keys.js'
import { createProvider } from './provider.js'
import { describeRequest, sendJson, whoami } from './routes.js'
import { applicationSecrets, secretsPathAppId } from './secrets.js'
import { createTenant } from './tenant.js'

import { fixtures } from './fixtures.js'

export { fixtures }

/** @typedef {import('./routes.js').RecordedRequest} RecordedRequest */

/**
 * @typedef {object} StartOptions
 * @property {number} [port] 0 picks a free port.
 * @property {string} [host]
 * @property {readonly import('./fixtures.js').AppFixture[]} [apps] Extra apps; one with a fixture's clientId replaces it.
 */

/**
 * @typedef {object} RunningIssuer
 * @property {string} endpoint Base URL, as a Logto endpoint setting would hold it (issuer is `${endpoint}/oidc`).
 * @property {number} port
 * @property {RecordedRequest[]} requests Live log of requests, the `/__requests` control routes excepted.
 * @property {() => Promise<void>} close
 */

const oidcPrefix = '/oidc'

/**
 * Starts the Logto-compatible issuer on a plain HTTP server.
 * @param {StartOptions} [options]
 * @returns {Promise<RunningIssuer>}
 */
export async function startIssuer({ port = 0, host = '127.0.0.1', apps = [] } = {}) {
  /** @type {RecordedRequest[]} */
  const requests = []
  /** @type {((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined} */
  let handle

  const server = createServer((req, res) => {
    if (handle) return handle(req, res)
    sendJson(res, 503, { error: 'temporarily_unavailable' })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })

  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('issuer is not listening on TCP')
  // The issuer URL embeds the port, so the provider can only be built once the port is known.
  const endpoint = `http://${urlHost(host)}:${address.port}`
  const issuer = `${endpoint}${oidcPrefix}`
  const { jwk, publicKey, kid } = generateSigningKey()
  const tenant = createTenant(apps)
  const oidc = createProvider({ issuer, tenant, signingKey: jwk }).callback()
  const startedAt = Date.now()

  handle = (req, res) => {
    const url = req.url ?? '/'
    const path = url.split('?', 1)[0]
    if (path === '/__requests' && req.method === 'GET') return sendJson(res, 200, requests)
    if (path === '/__requests/reset' && req.method === 'POST') {
      requests.length = 0
      return sendJson(res, 200, { reset: true })
    }

    requests.push(describeRequest(req, path))
    if (path === oidcPrefix || path.startsWith(`${oidcPrefix}/`)) {
      // Mounted the way express does it: oidc-provider routes on `url` and rebuilds the endpoint
      // URLs it advertises from the part of `originalUrl` that `url` lacks.
      Object.assign(req, { originalUrl: url })
      req.url = url.slice(oidcPrefix.length) || '/'
      return oidc(req, res)
    }
    if (path === '/api/whoami' && req.method === 'GET') {
      return whoami(req, res, { issuer, publicKey, kid })
    }
    const secretsOf = secretsPathAppId(path)
    if (secretsOf !== undefined && req.method === 'GET') {
      return applicationSecrets(req, res, secretsOf, {
        tenant,
        verifyOptions: { issuer, publicKey, kid },
        managementApi: fixtures.resources.management.indicator,
        startedAt
      })
    }
    sendJson(res, 404, { error: 'not_found' })
  }

  return {
    endpoint,
    port: address.port,
    requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}

/**
 * A host usable in a URL: wildcard binds are reached via loopback, IPv6 literals need brackets.
 * @param {string} host
 */
function urlHost(host) {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}
