import { describe, expect, it } from '@jest/globals'
import { parseSettings } from '../src/settings.js'
import { codeCell, longestBacktickRun, summaryMarkdown } from '../src/summary.js'
import type { TokenResult } from '../src/token.js'
import { buildTokenRequest, formEncode } from '../src/token-request.js'

const settings = (extra: Record<string, string> = {}) =>
  parseSettings(
    (name) =>
      ({
        endpoint: 'https://acme.logto.app',
        'app-id': 'app1',
        'app-secret': 'p+%:/=& ü',
        ...extra
      })[name] ?? ''
  )

describe('formEncode (RFC 6749 §2.3.1)', () => {
  it.each([
    ['abc123', 'abc123'],
    ['a b', 'a+b'],
    ['+%:/=&', '%2B%25%3A%2F%3D%26'],
    ['ü', '%C3%BC'],
    ['-._*', '-._*']
  ])('%j → %j', (value, expected) => {
    expect(formEncode(value)).toBe(expected)
  })
})

describe('buildTokenRequest', () => {
  it('sends Basic credentials form-encoded and never both methods', () => {
    const { form, headers } = buildTokenRequest(settings())
    const decoded = Buffer.from(headers.Authorization.replace(/^Basic /, ''), 'base64').toString()
    expect(decoded).toBe('app1:p%2B%25%3A%2F%3D%26+%C3%BC')
    expect(form.get('client_id')).toBeNull()
    expect(form.get('client_secret')).toBeNull()
    expect(form.get('grant_type')).toBe('client_credentials')
    expect(form.get('resource')).toBe('https://acme.logto.app/api')
    expect(form.get('scope')).toBe('all')
  })

  it('sends the secret in the body for client_secret_post', () => {
    const { form, headers } = buildTokenRequest(settings({ 'auth-method': 'client_secret_post' }))
    expect(headers.Authorization).toBeUndefined()
    expect(form.get('client_id')).toBe('app1')
    expect(form.get('client_secret')).toBe('p+%:/=& ü')
  })

  it.each([
    [
      { resource: 'https://api.example.com', scope: '' },
      'grant_type=client_credentials&resource=https%3A%2F%2Fapi.example.com'
    ],
    [
      { resource: 'https://api.example.com', scope: 'b, a\nb' },
      'grant_type=client_credentials&resource=https%3A%2F%2Fapi.example.com&scope=b+a'
    ],
    [{ 'organization-id': 'o1' }, 'grant_type=client_credentials&organization_id=o1'],
    [
      { 'organization-id': 'o1', scope: 'read:members' },
      'grant_type=client_credentials&scope=read%3Amembers&organization_id=o1'
    ]
  ])('%j → %s (never an empty resource=)', (extra, body) => {
    expect(buildTokenRequest(settings(extra)).form.toString()).toBe(body)
  })
})

describe('summaryMarkdown', () => {
  const result: TokenResult = {
    accessToken: 'SECRET-TOKEN',
    tokenType: 'Bearer',
    expiresIn: 3600,
    expiresAt: '2026-11-21T11:00:00.000Z',
    scope: 'all',
    audience: 'https://acme.logto.app/api',
    missingScopes: [],
    attempts: 2,
    warnings: []
  }
  it('lists what was obtained, never the token', () => {
    const md = summaryMarkdown(settings(), result)
    expect(md).not.toContain('SECRET-TOKEN')
    expect(md).toBe(
      [
        '### Logto access token',
        '',
        '| | |',
        '| --- | --- |',
        '| Endpoint | `https://acme.logto.app` |',
        '| App ID | `app1` |',
        '| Audience | `https://acme.logto.app/api` |',
        '| Granted scopes | `all` |',
        '| Expires | `2026-11-21T11:00:00.000Z (in 3600 s)` |',
        '| Attempts | `2` |',
        ''
      ].join('\n')
    )
  })

  it('shows the organization, missing scopes and absent values', () => {
    const md = summaryMarkdown(settings({ 'organization-id': 'o|1' }), {
      ...result,
      scope: '',
      missingScopes: ['x', 'y'],
      expiresIn: undefined,
      expiresAt: undefined
    })
    expect(md.split('\n').slice(4)).toEqual([
      '| Endpoint | `https://acme.logto.app` |',
      '| App ID | `app1` |',
      '| Organization | `o\\|1` |',
      '| Audience | `https://acme.logto.app/api` |',
      '| Granted scopes | `(none)` |',
      '| Not granted | `x y` |',
      '| Expires | `(not given)` |',
      '| Attempts | `2` |',
      ''
    ])
  })
})

describe('codeCell: summary values cannot become Markdown or HTML', () => {
  it.each([
    ['plain', 'all', '`all`'],
    ['a pipe', 'a|b', '`a\\|b`'],
    ['a backtick inside', 'a`b', '``a`b``'],
    ['a run of backticks', 'a``b`', '``` a``b` ```'],
    ['a leading backtick', '`x', '`` `x ``'],
    [
      'a link and an image',
      '`[x](https://e.example)![i](https://e.example/i.png)`',
      '`` `[x](https://e.example)![i](https://e.example/i.png)` ``'
    ],
    ['HTML', '<img src=x onerror=alert(1)>', '`<img src=x onerror=alert(1)>`'],
    ['line breaks', 'a\nb\r\nc', '`a b c`']
  ])('%s', (_name, value, cell) => {
    expect(codeCell(value)).toBe(cell)
  })

  it.each([
    ['', 0],
    ['abc', 0],
    ['`', 1],
    ['a``b`', 2],
    ['`a```', 3],
    ['``````', 6]
  ])('longestBacktickRun(%j) is %d', (text, run) => {
    expect(longestBacktickRun(text)).toBe(run)
  })

  it('a value of 200 000 backtick runs: one pass, a fence one longer than the longest', () => {
    const value = `${'`a'.repeat(200_000)}${'`'.repeat(7)}`
    const fence = '`'.repeat(8)
    // Compared as a boolean: a failure would print half a megabyte.
    expect(codeCell(value) === `${fence} ${value} ${fence}`).toBe(true)
  })

  it('escapes every row of the summary', () => {
    const md = summaryMarkdown(settings({ 'app-id': 'a`p[p](x)' }), {
      accessToken: 't',
      tokenType: 'Bearer',
      expiresIn: 1,
      expiresAt: '2026-11-21T11:00:00.000Z',
      missingScopes: [],
      attempts: 1,
      warnings: [],
      scope: 'read `![i](https://e.example/i.png)`',
      audience: 'https://api`<b>x</b>`'
    })
    expect(md).toContain('| App ID | ``a`p[p](x)`` |')
    expect(md).toContain('| Granted scopes | `` read `![i](https://e.example/i.png)` `` |')
    expect(md).toContain('| Audience | `` https://api`<b>x</b>` `` |')
  })
})
