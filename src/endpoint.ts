/** Pure rules for Logto endpoints, tenants and the default resource. */

const CLOUD_HOST = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.logto\.app$/
const MANAGEMENT_API = /^https:\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.logto\.app\/api$/
const OIDC_SUFFIX = /\/oidc(?:\/token)?\/*$/

/** The resource a self-hosted Logto uses for its Management API. */
export const SELF_HOSTED_MANAGEMENT_API = 'https://default.logto.app/api'

/** Strips a tolerated `/`, `/oidc` or `/oidc/token` suffix from an endpoint path. */
export function basePath(pathname: string): string {
  return pathname.replace(OIDC_SUFFIX, '').replace(/\/+$/, '')
}

/** The Logto Cloud tenant an endpoint host names, if it is `{tenant}.logto.app`. */
export function tenantFromHost(host: string): string | undefined {
  return CLOUD_HOST.exec(host.toLowerCase())?.[1]
}

/** The endpoint for a Logto Cloud tenant. */
export function cloudEndpoint(tenantId: string): string {
  return `https://${tenantId}.logto.app`
}

/** The Management API resource: the tenant's when known, else the self-hosted one. */
export function managementApiResource(tenantId: string | undefined): string {
  return tenantId ? `https://${tenantId}.logto.app/api` : SELF_HOSTED_MANAGEMENT_API
}

/** The tenant whose Management API a resource names, or undefined for any other resource. */
export function managementApiTenant(resource: string): string | undefined {
  return MANAGEMENT_API.exec(resource)?.[1]
}

/** The audience of an organization token. */
export function organizationAudience(organizationId: string): string {
  return `urn:logto:organization:${organizationId}`
}

/** A URL's hostname without the brackets of an IPv6 literal, as sockets and TLS take it. */
export function unbracket(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '')
}

/** True for hosts that never leave the machine, where plain http is fine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = unbracket(hostname).toLowerCase()
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  )
}

/**
 * Logto Cloud rejects Management API tokens issued through a custom domain: warn when the
 * resource is a cloud tenant's Management API but the endpoint host is not that tenant's.
 */
export function customDomainWarning(resource: string, endpointHost: string): string | undefined {
  const tenant = managementApiTenant(resource)
  if (!tenant || tenant === 'default') return undefined
  if (tenantFromHost(endpointHost) === tenant) return undefined
  return (
    `The resource ${resource} is the Logto Cloud Management API of tenant "${tenant}", but the ` +
    `endpoint host is ${endpointHost}. Logto Cloud only accepts Management API tokens issued by ` +
    `https://${tenant}.logto.app, not through a custom domain: set tenant-id: ${tenant} ` +
    `(or endpoint: https://${tenant}.logto.app).`
  )
}
