import { describe, expect, it } from '@jest/globals'
import { parse, inputFailure as failure } from './support/settings.js'

const base: Record<string, string> = {
  endpoint: 'https://acme.logto.app',
  'app-id': 'app1',
  'app-secret': 's3cret'
}

describe('parseSettings: endpoint and tenant', () => {
  it.each([
    ['https://acme.logto.app', 'https://acme.logto.app'],
    ['https://acme.logto.app/', 'https://acme.logto.app'],
    ['https://acme.logto.app/oidc', 'https://acme.logto.app'],
    ['https://acme.logto.app/oidc/', 'https://acme.logto.app'],
    ['https://acme.logto.app/oidc/token', 'https://acme.logto.app'],
    ['https://auth.example.com/logto/oidc/token', 'https://auth.example.com/logto'],
    ['http://localhost:3001', 'http://localhost:3001'],
    ['  https://ACME.logto.app  ', 'https://acme.logto.app']
  ])('endpoint %s → %s', (endpoint, expected) => {
    const settings = parse({ ...base, endpoint })
    expect(settings.endpoint).toBe(expected)
    expect(settings.tokenUrl).toBe(`${expected}/oidc/token`)
  })

  it('tenant-id is a shortcut for the cloud endpoint', () => {
    const settings = parse({ ...base, endpoint: '', 'tenant-id': 'acme' })
    expect(settings.endpoint).toBe('https://acme.logto.app')
    expect(settings.resource).toBe('https://acme.logto.app/api')
  })

  it.each([
    [{ endpoint: '', 'tenant-id': '' }, 'endpoint', /endpoint or tenant-id is required/],
    [{ 'tenant-id': 'acme' }, 'endpoint', /both given/],
    [{ endpoint: '', 'tenant-id': 'ac me' }, 'tenant-id', /not a Logto Cloud tenant ID/],
    [{ endpoint: 'acme.logto.app' }, 'endpoint', /is not a URL: use an http\(s\) URL/],
    [{ endpoint: 'ftp://acme.logto.app' }, 'endpoint', /must use http or https/],
    [{ endpoint: 'https://u:p@acme.logto.app' }, 'endpoint', /must not contain credentials/],
    [{ endpoint: 'https://acme.logto.app/?x=1' }, 'endpoint', /query or fragment/],
    [{ endpoint: 'https://acme.logto.app/#x' }, 'endpoint', /query or fragment/]
  ])('%j is refused naming %s', (inputs, input, message) => {
    const error = failure({ ...base, ...inputs })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  it.each([
    ['http://logto:3001', true],
    ['http://10.0.0.5', true],
    ['http://127.0.0.1:3001', false],
    ['http://[::1]:3001', false],
    ['http://localhost', false],
    ['https://logto.internal', false]
  ])('plain http warning for %s: %s', (endpoint, warns) => {
    const { warnings } = parse({ ...base, endpoint })
    expect(warnings.some((w) => /plain http/.test(w))).toBe(warns)
  })
})

describe('parseSettings: app credentials', () => {
  it.each([
    ['app-id', { 'app-id': '' }],
    ['app-id', { 'app-id': '   ' }],
    ['app-secret', { 'app-secret': '' }],
    ['app-secret', { 'app-secret': ' \n ' }]
  ])('an empty %s is named, with the fork hint', (input, inputs) => {
    const error = failure({ ...base, ...inputs })
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input ${input} is required but empty`)
    expect(error.message).toMatch(
      /from forks get no secrets, Dependabot runs get only Dependabot secrets/
    )
  })

  it('keeps inner spaces and special characters of the secret, trimming only its ends', () => {
    expect(parse({ ...base, 'app-secret': ' a b+%:/=&\n' }).appSecret).toBe('a b+%:/=&')
  })

  it('refuses whitespace inside app-id', () => {
    expect(failure({ ...base, 'app-id': 'a b' }).input).toBe('app-id')
  })
})

describe('parseSettings: resource, scope and organization defaults', () => {
  it.each([
    // endpoint, tenant, resource, scope, org → resource, audience, scopes
    [
      'https://acme.logto.app',
      '',
      '',
      '',
      '',
      'https://acme.logto.app/api',
      'https://acme.logto.app/api',
      ['all']
    ],
    ['', 'acme', '', '', '', 'https://acme.logto.app/api', 'https://acme.logto.app/api', ['all']],
    ['', 'a', '', '', '', 'https://a.logto.app/api', 'https://a.logto.app/api', ['all']],
    [
      '',
      'acme',
      '',
      ' ,\n, ',
      '',
      'https://acme.logto.app/api',
      'https://acme.logto.app/api',
      ['all']
    ],
    [
      'https://auth.example.com',
      '',
      '',
      '',
      '',
      'https://default.logto.app/api',
      'https://default.logto.app/api',
      ['all']
    ],
    [
      'http://localhost:3001',
      '',
      '',
      '',
      '',
      'https://default.logto.app/api',
      'https://default.logto.app/api',
      ['all']
    ],
    [
      'https://acme.logto.app',
      '',
      'https://api.example.com',
      '',
      '',
      'https://api.example.com',
      'https://api.example.com',
      []
    ],
    [
      'https://acme.logto.app',
      '',
      'https://api.example.com/',
      'read write',
      '',
      'https://api.example.com/',
      'https://api.example.com/',
      ['read', 'write']
    ],
    [
      'https://acme.logto.app',
      '',
      'https://acme.logto.app/api',
      '',
      '',
      'https://acme.logto.app/api',
      'https://acme.logto.app/api',
      ['all']
    ],
    [
      'https://acme.logto.app',
      '',
      'https://acme.logto.app/api',
      'read:x',
      '',
      'https://acme.logto.app/api',
      'https://acme.logto.app/api',
      ['read:x']
    ],
    ['https://acme.logto.app', '', '', '', 'org1', undefined, 'urn:logto:organization:org1', []],
    [
      'https://acme.logto.app',
      '',
      '',
      'read:members',
      'org1',
      undefined,
      'urn:logto:organization:org1',
      ['read:members']
    ],
    [
      'https://acme.logto.app',
      '',
      'https://api.example.com',
      'read',
      'org1',
      'https://api.example.com',
      'https://api.example.com',
      ['read']
    ]
  ])(
    'endpoint %s tenant %s resource %s scope %s org %s',
    (endpoint, tenant, resource, scope, org, wantResource, wantAudience, wantScopes) => {
      const settings = parse({
        ...base,
        endpoint,
        'tenant-id': tenant,
        resource,
        scope,
        'organization-id': org
      })
      expect(settings.resource).toBe(wantResource)
      expect(settings.audience).toBe(wantAudience)
      expect(settings.scopes).toEqual(wantScopes)
    }
  )

  it.each([
    ['not a uri', /is not an absolute URI/],
    ['/relative/path', /is not an absolute URI/],
    ['https://api.example.com/#frag', /has a fragment/],
    ['https://api.example.com/#', /has a fragment/]
  ])('resource %s is refused', (resource, message) => {
    const error = failure({ ...base, resource })
    expect(error.input).toBe('resource')
    expect(error.message).toMatch(message)
  })

  it.each([
    // The message names the offending scope token itself, not the whole input.
    ['read "write"', 'Input scope has an invalid scope ""write"": '],
    ['a\\b', 'Input scope has an invalid scope "a\\b": ']
  ])('scope %s is refused', (scope, message) => {
    const error = failure({ ...base, resource: 'https://api.example.com', scope })
    expect(error.input).toBe('scope')
    expect(error.message).toContain(message)
    expect(error.message).toContain('may not contain " or \\.')
  })

  it('refuses an organization-id with spaces', () => {
    expect(failure({ ...base, 'organization-id': 'a b' }).input).toBe('organization-id')
  })

  it.each([
    ['https://acme.logto.app/api', 'https://auth.acme.com', true],
    ['https://acme.logto.app/api', 'https://acme.logto.app', false],
    ['https://acme.logto.app/api', 'https://other.logto.app', true],
    ['https://default.logto.app/api', 'https://auth.acme.com', false],
    ['https://api.example.com', 'https://auth.acme.com', false]
  ])('custom-domain warning for resource %s via %s: %s', (resource, endpoint, warns) => {
    const { warnings } = parse({ ...base, endpoint, resource })
    expect(warnings.some((w) => /custom domain/.test(w))).toBe(warns)
  })
})

describe('parseSettings: options', () => {
  it('applies the defaults when inputs are unset', () => {
    const s = parse(base)
    expect(s).toMatchObject({
      authMethod: 'client_secret_basic',
      failOnMissingScopes: true,
      exportEnv: true,
      envName: 'LOGTO_ACCESS_TOKEN',
      retries: 3,
      timeoutMs: 30_000,
      summary: true,
      organizationId: undefined
    })
    expect(Object.isFrozen(s)).toBe(true)
  })

  it.each([
    [{ 'auth-method': 'client_secret_post' }, { authMethod: 'client_secret_post' }],
    [{ 'fail-on-missing-scopes': 'False' }, { failOnMissingScopes: false }],
    [{ 'export-env': 'FALSE' }, { exportEnv: false }],
    [{ summary: 'TRUE' }, { summary: true }],
    [{ 'env-name': 'MY_TOKEN' }, { envName: 'MY_TOKEN' }],
    [{ 'env-name': '_t1_token' }, { envName: '_t1_token' }],
    [{ retries: '0' }, { retries: 0 }],
    [{ retries: '10' }, { retries: 10 }],
    [{ timeout: '5' }, { timeoutMs: 5000 }],
    [{ timeout: '0.25' }, { timeoutMs: 250 }],
    [{ timeout: '600' }, { timeoutMs: 600_000 }],
    [{ timeout: '0.001' }, { timeoutMs: 1 }],
    [{ timeout: ' 5\n' }, { timeoutMs: 5000 }]
  ])('%j', (inputs, expected) => {
    expect(parse({ ...base, ...inputs })).toMatchObject(expected)
  })

  it.each([
    ['auth-method', 'private_key_jwt', /use client_secret_basic or client_secret_post/],
    ['auth-method', 'both', /use client_secret_basic or client_secret_post/],
    ['fail-on-missing-scopes', 'yes', /not a boolean: use true or false/],
    ['export-env', '1', /not a boolean: use true or false/],
    ['summary', 'on', /not a boolean: use true or false/],
    ['env-name', '1TOKEN', /not a valid variable name/],
    ['env-name', 'MY-TOKEN', /not a valid variable name/],
    ['env-name', 'PATH', /does not end in _TOKEN/],
    ['env-name', 'path', /does not end in _TOKEN/],
    ['env-name', 'NODE_OPTIONS', /does not end in _TOKEN/],
    ['env-name', 'BASH_ENV', /does not end in _TOKEN/],
    ['env-name', 'LD_PRELOAD', /does not end in _TOKEN/],
    ['env-name', 'GITHUB_TOKEN', /starts with GITHUB_/],
    ['env-name', 'RUNNER_TEMP', /does not end in _TOKEN/],
    ['retries', 'three', /whole number from 0 to 10/],
    ['retries', '-1', /whole number from 0 to 10/],
    ['retries', '1.5', /whole number from 0 to 10/],
    ['retries', '11', /whole number from 0 to 10/],
    ['timeout', '0', /from 0.001 \(1 ms\) to 600/],
    ['timeout', '-5', /from 0.001 \(1 ms\) to 600/],
    ['timeout', 'ten', /from 0.001 \(1 ms\) to 600/],
    ['timeout', '601', /from 0.001 \(1 ms\) to 600/],
    ['timeout', '+5', /from 0.001 \(1 ms\) to 600/],
    ['timeout', '5.', /from 0.001 \(1 ms\) to 600/],
    ['timeout', '0x10', /from 0.001 \(1 ms\) to 600/],
    ['timeout', '1e2', /from 0.001 \(1 ms\) to 600/],
    ['timeout', '0.0001', /timeout "0.0001" is not accepted: .*from 0.001 \(1 ms\) to 600/],
    ['timeout', '0.0009', /from 0.001 \(1 ms\) to 600/]
  ])('%s=%s is refused', (input, value, message) => {
    const error = failure({ ...base, [input]: value })
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input ${input} "${value}"`)
    expect(error.message).toMatch(message)
  })
})
