/** Pure scope-set handling. */

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/

/** Splits scopes given with spaces, commas or newlines; de-duplicates, keeping the first order. */
export function parseScopes(raw: string): string[] {
  return [...new Set(raw.split(/[\s,]+/).filter((s) => s.length > 0))]
}

/** The first scope that is not a valid RFC 6749 scope token, if any. */
export function invalidScope(scopes: readonly string[]): string | undefined {
  return scopes.find((s) => !SCOPE_TOKEN.test(s))
}

/** Requested scopes missing from the granted `scope` string (absent means none granted). */
export function missingScopes(requested: readonly string[], granted: string | undefined): string[] {
  const have = new Set(parseScopes(granted ?? ''))
  return requested.filter((s) => !have.has(s))
}
