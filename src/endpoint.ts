/** Pure rules for Logto endpoints, tenants and the default resource. */
import { isIP } from 'node:net'

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

/**
 * The one loopback rule, for the plain-http warning and the proxy bypass alike: IP literals in
 * 127.0.0.0/8, `::1` and the IPv4-mapped `::ffff:127.x.y.z` (the same IPv4 loopback through an
 * IPv6 socket), and the names `localhost` and `*.localhost` (RFC 6761), in any case, with or
 * without a trailing dot. A DNS name that merely starts with `127.` is not loopback.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = unbracket(hostname).toLowerCase()
  const family = isIP(host)
  if (family === 4) return host.startsWith('127.')
  if (family === 6) return LOOPBACK_V6.test(canonicalV6(host))
  const name = host.endsWith('.') ? host.slice(0, -1) : host
  return name === 'localhost' || (name.endsWith('.localhost') && !name.startsWith('.'))
}

// ::1, and ::ffff:7f00:0/104 as the URL parser writes IPv4-mapped addresses (::ffff:7f00:1).
const LOOPBACK_V6 = /^(?:::1|::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4})$/

// The URL parser's canonical form (RFC 5952), so that 0:0:0:0:0:0:0:1 and ::ffff:127.0.0.1 match.
function canonicalV6(address: string): string {
  return unbracket(new URL(`http://[${address}]`).hostname)
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
