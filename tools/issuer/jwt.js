import { verify } from 'node:crypto'

/**
 * @typedef {object} VerifyOptions
 * @property {string} issuer
 * @property {import('node:crypto').KeyObject} publicKey
 * @property {string} kid
 */

/**
 * Verifies an ES384 `at+jwt` access token issued by this issuer and returns its claims.
 * @param {string} token
 * @param {VerifyOptions} options
 * @returns {Record<string, unknown>}
 */
export function verifyAccessToken(token, { issuer, publicKey, kid }) {
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error('token is not a compact JWS')
  const [encodedHeader, encodedPayload, signature] = parts

  const header = decodeJsonSegment(encodedHeader)
  if (header.alg !== 'ES384') throw new Error('unexpected alg')
  if (header.typ !== 'at+jwt') throw new Error('unexpected typ')
  if (header.kid !== kid) throw new Error('unknown kid')

  const rawSignature = Buffer.from(signature, 'base64url')
  // Node's base64url decoder skips stray characters, so only a canonical encoding is accepted.
  if (rawSignature.toString('base64url') !== signature) throw new Error('malformed signature')
  // JWS carries ECDSA signatures as raw r||s, not DER.
  const valid = verify(
    'sha384',
    Buffer.from(`${encodedHeader}.${encodedPayload}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    rawSignature
  )
  if (!valid) throw new Error('signature verification failed')

  const claims = decodeJsonSegment(encodedPayload)
  if (claims.iss !== issuer) throw new Error('unexpected iss')
  if (typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) {
    throw new Error('token is expired')
  }
  return claims
}

/**
 * Decodes segment `index` of a compact JWS (0 header, 1 claims) without verifying anything.
 * @param {string} token
 * @param {0 | 1} index
 * @returns {Record<string, unknown>}
 */
export function decodeJwtSegment(token, index) {
  return decodeJsonSegment(token.split('.')[index] ?? '')
}

/**
 * Decodes one base64url JSON-object segment of a JWS; throws on anything else.
 * @param {string} segment
 * @returns {Record<string, unknown>}
 */
export function decodeJsonSegment(segment) {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    if (value && typeof value === 'object' && !Array.isArray(value)) return value
  } catch {
    // fall through to the uniform error below
  }
  throw new Error('token segment is not a JSON object')
}
