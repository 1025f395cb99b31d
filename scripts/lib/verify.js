/**
 * Checks an access token against the issuer's published keys, for `npm start` against a real
 * Logto, where there is no test API to ask. Uses node:crypto only.
 */
import { constants, createPublicKey, verify } from 'node:crypto'
import { decodeJwtSegment } from '../../tools/issuer/jwt.js'

/**
 * @typedef {object} VerifiedToken
 * @property {Record<string, unknown>} header
 * @property {Record<string, unknown>} claims
 */

/**
 * Decodes a compact JWS's header and payload without verifying anything.
 * @param {string} token
 * @returns {VerifiedToken | undefined} undefined when the token is not a JWT.
 */
export function decodeJwt(token) {
  if (token.split('.').length !== 3) return undefined
  try {
    return { header: decodeJwtSegment(token, 0), claims: decodeJwtSegment(token, 1) }
  } catch {
    return undefined
  }
}

const HASHES = /** @type {Record<string, string>} */ ({
  256: 'sha256',
  384: 'sha384',
  512: 'sha512'
})

/**
 * Verifies a JWT's signature with a JWK and returns its claims; throws naming what failed.
 * @param {string} token
 * @param {Record<string, unknown>} jwk
 */
export function verifyWithJwk(token, jwk) {
  const decoded = decodeJwt(token)
  if (!decoded) throw new Error('the token is not a JWT')
  const alg = String(decoded.header.alg)
  const match = /^(ES|RS|PS)(256|384|512)$/.exec(alg)
  if (!match) throw new Error(`unsupported signature algorithm ${alg}`)
  const [encodedHeader, encodedPayload, signature] = token.split('.')
  const key = createPublicKey({
    key: /** @type {import('node:crypto').JsonWebKey} */ (jwk),
    format: 'jwk'
  })
  const data = Buffer.from(`${encodedHeader}.${encodedPayload}`)
  const options =
    match[1] === 'ES'
      ? // JWS carries ECDSA signatures as raw r||s, not DER.
        { key, dsaEncoding: /** @type {const} */ ('ieee-p1363') }
      : match[1] === 'PS'
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(match[2]) / 8 }
        : { key }
  if (!verify(HASHES[match[2]], data, options, Buffer.from(signature, 'base64url'))) {
    throw new Error('the signature does not match the key')
  }
  return decoded.claims
}

/**
 * Fetches `{issuer}/jwks`, picks the token's key and verifies signature, issuer and expiry.
 * @param {string} token
 * @param {string} issuer The expected `iss`, e.g. https://tenant.logto.app/oidc
 * @returns {Promise<Record<string, unknown>>} The verified claims.
 */
export async function verifyWithIssuerKeys(token, issuer) {
  const decoded = decodeJwt(token)
  if (!decoded) throw new Error('the token is not a JWT, so it cannot be checked locally')
  if (decoded.claims.iss !== issuer) {
    throw new Error(`the token's issuer is ${String(decoded.claims.iss)}, not ${issuer}`)
  }
  const response = await fetch(`${issuer}/jwks`, { signal: AbortSignal.timeout(15_000) })
  if (!response.ok) throw new Error(`${issuer}/jwks answered HTTP ${response.status}`)
  const body = /** @type {{ keys?: Record<string, unknown>[] }} */ (await response.json())
  const jwk = (body.keys ?? []).find((k) => k.kid === decoded.header.kid)
  if (!jwk) throw new Error(`${issuer}/jwks has no key ${String(decoded.header.kid)}`)
  const claims = verifyWithJwk(token, jwk)
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
    throw new Error('the token has expired')
  }
  return claims
}
