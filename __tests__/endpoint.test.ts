import { describe, expect, it } from '@jest/globals'
import {
  basePath,
  cloudEndpoint,
  customDomainWarning,
  isLoopbackHost,
  managementApiResource,
  managementApiTenant,
  organizationAudience,
  tenantFromHost,
  unbracket
} from '../src/endpoint.js'

/** A DNS label of `n` characters, the longest a tenant id can be being 63. */
const label = (n: number): string => 'a'.repeat(n)

describe('endpoint rules', () => {
  it.each([
    ['/', ''],
    ['', ''],
    ['/oidc', ''],
    ['/oidc/', ''],
    ['/oidc/token', ''],
    ['/oidc/token/', ''],
    ['/auth/oidc/token', '/auth'],
    ['/oidcx', '/oidcx'],
    ['/oidc/tokenx', '/oidc/tokenx'],
    ['/oidc//', ''],
    ['/oidc/token//', ''],
    ['/x/oidc/a', '/x/oidc/a'],
    ['/a/b/', '/a/b'],
    ['/a//', '/a']
  ])('basePath(%j) = %j', (path, expected) => {
    expect(basePath(path)).toBe(expected)
  })

  it.each([
    ['acme.logto.app', 'acme'],
    ['ACME.logto.app', 'acme'],
    ['a-b1.logto.app', 'a-b1'],
    ['a.logto.app', 'a'],
    ['9.logto.app', '9'],
    [`${label(63)}.logto.app`, label(63)],
    [`${label(64)}.logto.app`, undefined],
    ['-acme.logto.app', undefined],
    ['acme-.logto.app', undefined],
    ['ac_me.logto.app', undefined],
    ['acmexlogto.app', undefined],
    ['acme.logtoxapp', undefined],
    ['logto.app', undefined],
    ['x.acme.logto.app', undefined],
    ['acme.logto.app.evil.com', undefined],
    ['auth.example.com', undefined]
  ])('tenantFromHost(%j) = %j', (host, expected) => {
    expect(tenantFromHost(host)).toBe(expected)
  })

  it.each([
    ['acme', 'https://acme.logto.app/api'],
    [undefined, 'https://default.logto.app/api']
  ])('managementApiResource(%j) = %j', (tenant, expected) => {
    expect(managementApiResource(tenant)).toBe(expected)
  })

  it.each([
    ['https://acme.logto.app/api', 'acme'],
    ['https://default.logto.app/api', 'default'],
    ['https://a.logto.app/api', 'a'],
    [`https://${label(63)}.logto.app/api`, label(63)],
    [`https://${label(64)}.logto.app/api`, undefined],
    ['https://acme-.logto.app/api', undefined],
    ['https://-acme.logto.app/api', undefined],
    ['https://ACME.logto.app/api', undefined],
    ['https://x.acme.logto.app/api', undefined],
    ['https://acmexlogto.app/api', undefined],
    ['https://acme.logtoxapp/api', undefined],
    ['xhttps://acme.logto.app/api', undefined],
    ['https://acme.logto.app/apis', undefined],
    ['https://acme.logto.app/api/', undefined],
    ['http://acme.logto.app/api', undefined],
    ['https://api.example.com', undefined]
  ])('managementApiTenant(%j) = %j', (resource, expected) => {
    expect(managementApiTenant(resource)).toBe(expected)
  })

  it.each([
    ['localhost', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['127.100.20.255', true],
    ['LOCALHOST', true],
    ['App.LocalHost', true],
    ['[::1]', true],
    ['::1', true],
    ['127.0.0', false],
    ['127.0.0.1.2', false],
    ['127.0.0.1234', false],
    ['127.a.0.1', false],
    ['x127.0.0.1', false],
    ['localhostx', false],
    ['notlocalhost', false],
    ['::2', false],
    ['10.0.0.1', false],
    ['logto', false],
    ['127.0.0.1.nip.io', false]
  ])('isLoopbackHost(%j) = %j', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected)
  })

  it('names the cloud endpoint and the organization audience', () => {
    expect(cloudEndpoint('acme')).toBe('https://acme.logto.app')
    expect(organizationAudience('org-1')).toBe('urn:logto:organization:org-1')
  })

  it.each([
    ['https://acme.logto.app/api', 'acme.logto.app'],
    ['https://acme.logto.app/api', 'ACME.logto.app'],
    ['https://default.logto.app/api', 'auth.example.com'],
    ['https://api.example.com', 'auth.example.com'],
    ['https://acme.logto.app/api/', 'auth.example.com']
  ])('customDomainWarning(%j, %j): none', (resource, host) => {
    expect(customDomainWarning(resource, host)).toBeUndefined()
  })

  it.each([
    ['auth.acme.com', 'https://acme.logto.app/api'],
    ['other.logto.app', 'https://acme.logto.app/api']
  ])('customDomainWarning through %s names the tenant and the fix', (host, resource) => {
    expect(customDomainWarning(resource, host)).toBe(
      `The resource https://acme.logto.app/api is the Logto Cloud Management API of tenant "acme", ` +
        `but the endpoint host is ${host}. Logto Cloud only accepts Management API tokens issued ` +
        'by https://acme.logto.app, not through a custom domain: set tenant-id: acme ' +
        '(or endpoint: https://acme.logto.app).'
    )
  })
})

describe('unbracket', () => {
  it.each([
    ['[::1]', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['logto.test', 'logto.test'],
    ['127.0.0.1', '127.0.0.1']
  ])('%s → %s', (hostname, host) => {
    expect(unbracket(hostname)).toBe(host)
  })
})
