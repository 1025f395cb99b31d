import { generateKeyPairSync, randomUUID } from 'node:crypto'

/**
 * A fresh ES384 key pair per run: the private JWK for oidc-provider's keystore and the public key
 * `/api/whoami` verifies with. Nothing persists, so tokens die with the process.
 */
export function generateSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  const kid = randomUUID()
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' }
  return { jwk, publicKey, kid }
}
