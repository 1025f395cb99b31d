import { verifyAccessToken } from './jwt.js'

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path
 * @property {string | null} contentType
 * @property {boolean} hasAuthorization
 */

/**
 * What the request log keeps of a request: enough to assert on, never a credential.
 * @param {IncomingMessage} req
 * @param {string} path
 * @returns {RecordedRequest}
 */
export function describeRequest(req, path) {
  return {
    method: req.method ?? 'GET',
    path,
    contentType: req.headers['content-type'] ?? null,
    hasAuthorization: req.headers.authorization !== undefined
  }
}

/**
 * `GET /api/whoami`: a stand-in protected API that accepts this issuer's access tokens.
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {import('./jwt.js').VerifyOptions} verifyOptions
 */
export function whoami(req, res, verifyOptions) {
  const match = /^Bearer ([^\s]+)$/i.exec(req.headers.authorization ?? '')
  if (!match) {
    unauthorized(res, 'invalid_request', 'a Bearer access token is required')
    return
  }
  try {
    const claims = verifyAccessToken(match[1], verifyOptions)
    const { sub, aud, scope, client_id } = claims
    sendJson(res, 200, { sub, aud, scope, client_id })
  } catch (error) {
    unauthorized(res, 'invalid_token', error instanceof Error ? error.message : 'invalid')
  }
}

/**
 * @param {ServerResponse} res
 * @param {string} error
 * @param {string} description
 */
function unauthorized(res, error, description) {
  res.setHeader('WWW-Authenticate', `Bearer error="${error}"`)
  sendJson(res, 401, { error, error_description: description })
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
export function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}
