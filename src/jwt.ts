/** Reads a JWT's audience without verifying it: the action only reports it. */

/** The `aud` claim of a JWT (array values joined by spaces), or undefined for a non-JWT. */
export function jwtAudience(token: string): string | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    // A payload that is not JSON, or is JSON null, throws into the catch: no audience.
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as {
      aud?: unknown
    }
    const aud = payload.aud
    if (typeof aud === 'string') return aud
    if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) return aud.join(' ')
    return undefined
  } catch {
    return undefined
  }
}
