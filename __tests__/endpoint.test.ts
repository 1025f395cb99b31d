import { describe, expect, it } from '@jest/globals'
import {
  basePath,
  isLoopbackHost,
  managementApiResource,
  managementApiTenant,
  tenantFromHost
} from '../src/endpoint.js'

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
    ['/a/b/', '/a/b']
  ])('basePath(%j) = %j', (path, expected) => {
    expect(basePath(path)).toBe(expected)
  })

  it.each([
    ['acme.logto.app', 'acme'],
    ['ACME.logto.app', 'acme'],
    ['a-b1.logto.app', 'a-b1'],
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
    ['[::1]', true],
    ['::1', true],
    ['10.0.0.1', false],
    ['logto', false],
    ['127.0.0.1.nip.io', false]
  ])('isLoopbackHost(%j) = %j', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected)
  })
})
