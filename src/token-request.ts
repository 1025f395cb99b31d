/** Builds the client-credentials request and lists every form the secret takes on the wire. */
import type { Settings } from './settings.js'

/** A form-urlencoded value, as RFC 6749 §2.3.1 asks for Basic credentials. */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}

/** The base64 `Basic` credential for an app ID and secret, each form-encoded first. */
export function basicCredential(appId: string, appSecret: string): string {
  return Buffer.from(`${formEncode(appId)}:${formEncode(appSecret)}`).toString('base64')
}

/** The request's form and headers for the settings' auth method. */
export interface TokenRequest {
  readonly form: URLSearchParams
  readonly headers: Readonly<Record<string, string>>
}

/** The token request's form and headers for the settings' auth method. */
export function buildTokenRequest(settings: Settings): TokenRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' })
  if (settings.resource !== undefined) form.set('resource', settings.resource)
  if (settings.scopes.length > 0) form.set('scope', settings.scopes.join(' '))
  if (settings.organizationId !== undefined) form.set('organization_id', settings.organizationId)
  const headers: Record<string, string> = {}
  if (settings.authMethod === 'client_secret_basic') {
    headers.Authorization = `Basic ${basicCredential(settings.appId, settings.appSecret)}`
  } else {
    form.set('client_id', settings.appId)
    form.set('client_secret', settings.appSecret)
  }
  return { form, headers }
}

/**
 * Every form of a secret that a request carries: the app secret itself, its form encoding (the
 * Basic pair and the client_secret_post value), the base64 Basic credential, and the proxy
 * password's forms (see ProxyConfig.credentialForms), which a proxy may echo as well.
 */
export function secretForms(
  settings: Pick<Settings, 'appId' | 'appSecret'> & Partial<Pick<Settings, 'proxy'>>
): string[] {
  const forms = [
    settings.appSecret,
    formEncode(settings.appSecret),
    basicCredential(settings.appId, settings.appSecret),
    ...(settings.proxy?.credentialForms ?? [])
  ]
  return [...new Set(forms)]
}
