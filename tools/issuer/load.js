/**
 * Imports the issuer (tools/issuer/index.js) with oidc-provider's Node-version warning filtered:
 * oidc-provider v9 warns at import on every Node release older than 22, and the issuer runs fine
 * on 20. Other warnings pass through.
 * @returns {Promise<typeof import('./index.js')>}
 */
export async function importIssuer() {
  const warn = console.warn
  console.warn = (...args) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args)
  }
  try {
    return await import('./index.js')
  } finally {
    console.warn = warn
  }
}
