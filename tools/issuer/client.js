/** How a client authenticates to the issuer, for the tests, the benchmark and scripts that act as one. */

/**
 * RFC 6749 §2.3.1: application/x-www-form-urlencoded, as client credentials are encoded before
 * they go into a Basic Authorization header.
 * @param {string} value
 */
export function formEncode(value) {
  return new URLSearchParams([['', value]]).toString().slice(1)
}

/**
 * The Basic Authorization header value for client_secret_basic.
 * @param {string} clientId
 * @param {string} clientSecret
 */
export function basicAuthorization(clientId, clientSecret) {
  const credentials = `${formEncode(clientId)}:${formEncode(clientSecret)}`
  return `Basic ${Buffer.from(credentials).toString('base64')}`
}
