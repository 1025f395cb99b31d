/** Reads a JWT's audience without verifying it: the action only reports it. */

/** The `aud` claim of a JWT (array values joined by spaces), or undefined for a non-JWT. */
export function jwtAudience(token: string): string | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    if (typeof payload !== 'object' || payload === null) return undefined
    const aud = (payload as { aud?: unknown }).aud
    if (typeof aud === 'string') return aud
    if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) return aud.join(' ')
    return undefined
  } catch {
    return undefined
  }
}
