import { verifyAccessToken } from './jwt.js'
import { sendJson } from './routes.js'

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./tenant.js').Tenant} Tenant */

const DAY_MS = 24 * 60 * 60 * 1000
const SECRETS_PATH = /^\/api\/applications\/([^/]+)\/secrets$/

/**
 * @typedef {object} SecretsRouteOptions
 * @property {Tenant} tenant
 * @property {import('./jwt.js').VerifyOptions} verifyOptions
 * @property {string} managementApi The Management API's resource indicator, the audience it accepts.
 * @property {number} startedAt Epoch ms the fixture dates count from.
 */

/**
 * The app ID in a `/api/applications/{id}/secrets` path, or undefined for any other path.
 * @param {string} path
 */
export function secretsPathAppId(path) {
  const match = SECRETS_PATH.exec(path)
  if (!match) return undefined
  try {
    return decodeURIComponent(match[1])
  } catch {
    // A malformed escape is no app ID; the caller answers 404 for the path.
    return undefined
  }
}

/**
 * `GET /api/applications/:id/secrets` as Logto 1.42 answers it: the bearer token must be a
 * Management API token with `all`; errors have Logto's `{ message, code }` bodies.
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {string} appId
 * @param {SecretsRouteOptions} options
 */
export function applicationSecrets(req, res, appId, options) {
  const authorization = req.headers.authorization
  if (!authorization) {
    logtoError(res, 401, 'auth.authorization_header_missing', 'Authorization header is missing.')
    return
  }
  if (!authorization.startsWith('Bearer')) {
    logtoError(
      res,
      401,
      'auth.authorization_token_type_not_supported',
      'Authorization type is not supported.'
    )
    return
  }
  /** @type {Record<string, unknown>} */
  let claims
  try {
    // Logto's koa-auth takes what follows `Bearer ` and lets jose check issuer and audience.
    claims = verifyAccessToken(authorization.slice('Bearer '.length), options.verifyOptions)
    if (claims.aud !== options.managementApi) throw new Error('unexpected aud')
  } catch {
    logtoError(
      res,
      401,
      'auth.unauthorized',
      'Unauthorized. Please check credentials and its scope.'
    )
    return
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : []
  if (!scopes.includes('all')) {
    logtoError(
      res,
      403,
      'auth.forbidden',
      'Forbidden. Please check your user roles and permissions.'
    )
    return
  }
  const app = options.tenant.findApp(appId)
  if (!app) {
    logtoError(
      res,
      404,
      'entity.not_exists_with_id',
      `The applications with ID \`${appId}\` does not exist.`
    )
    return
  }
  const createdAt = options.startedAt - DAY_MS
  sendJson(
    res,
    200,
    (app.secrets ?? []).map((secret) => ({
      tenantId: 'default',
      applicationId: app.clientId,
      name: secret.name,
      value: secret.value,
      createdAt,
      expiresAt:
        secret.expiresInDays === null ? null : options.startedAt + secret.expiresInDays * DAY_MS
    }))
  )
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {string} code
 * @param {string} message
 */
function logtoError(res, status, code, message) {
  sendJson(res, status, { message, code })
}
