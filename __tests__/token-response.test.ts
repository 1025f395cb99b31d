/** readTokenAnswer: the token response is checked before anything uses it. */
import { describe, expect, it } from '@jest/globals'
import { ResponseError, TokenEndpointError } from '../src/errors.js'
import type { HttpAnswer } from '../src/http.js'
import { MAX_EXPIRES_IN, readTokenAnswer } from '../src/token-response.js'

const url = 'https://acme.logto.app/oidc/token'
const now = Date.parse('2026-11-21T10:00:00Z')
const secrets = ['s3cret', 'czNjcmV0']
const answer = (body: unknown, status = 200, headers: HttpAnswer['headers'] = {}): HttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body)
})
const token = (extra: Record<string, unknown>) =>
  answer({ access_token: 'a.b.c', token_type: 'Bearer', expires_in: 3600, ...extra })
const read = (a: HttpAnswer) => readTokenAnswer(a, url, secrets, now)
const failure = (a: HttpAnswer): Error => {
  try {
    read(a)
  } catch (error) {
    return error as Error
  }
  throw new Error('no error')
}
const endpointFailure = (a: HttpAnswer): TokenEndpointError => {
  const error = failure(a)
  if (error instanceof TokenEndpointError) return error
  throw error
}

describe('access_token', () => {
  it.each([
    ['a JWT', 'eyJ.eyJ.sig'],
    ['every visible ASCII character but : and %', '!"#$&\'()*+,-./09;<=>?@AZ[\\]^_`az{|}~']
  ])('accepts %s', (_name, value) => {
    expect(read(token({ access_token: value })).accessToken).toBe(value)
  })

  it.each([
    ['missing', undefined, 'has no access_token'],
    ['empty', '', 'has no access_token'],
    ['a number', 42, 'not a valid token'],
    ['an object', { a: 1 }, 'not a valid token'],
    ['with a line break', 'abc\ndef', 'not a valid token'],
    ['with CR', 'abc\rdef', 'not a valid token'],
    ['with a space', 'abc def', 'not a valid token'],
    ['with a tab', 'abc\tdef', 'not a valid token'],
    ['with a NUL', 'abc\u0000', 'not a valid token'],
    ['with DEL', 'abc\u007f', 'not a valid token'],
    ['non-ASCII', 'abcé', 'not a valid token'],
    ['a line separator', 'abc\u2028def', 'not a valid token'],
    // act would read `::add-mask::abc::def` as the command `add-mask::abc` and mask nothing.
    ['with ::', 'abc::def', 'holds a ":" or a "%", which no Logto token does'],
    ['with :', 'abc:def', 'holds a ":" or a "%", which no Logto token does'],
    // act may undo `%250A` (the escaped `%0A`) into a line break and mask another value.
    ['with %0A', 'abc%0Adef', 'holds a ":" or a "%", which no Logto token does'],
    ['with %', 'abc%def', 'holds a ":" or a "%", which no Logto token does']
  ])('refuses %s, without printing it', (_name, value, text) => {
    const error = failure(token({ access_token: value }))
    expect(error).toBeInstanceOf(ResponseError)
    expect(error.message).toContain(text)
    expect(error.message).toContain(`${url} answered HTTP 200`)
    expect(error.message).not.toContain('abc')
  })
})

describe('expires_in', () => {
  it.each([
    [3600, 3600],
    [0, 0],
    [MAX_EXPIRES_IN, MAX_EXPIRES_IN]
  ])('%j is kept', (value, expected) => {
    const fields = read(token({ expires_in: value }))
    expect(fields.expiresIn).toBe(expected)
    expect(fields.warnings).toEqual([])
  })

  it.each([
    ['missing', undefined, 'the answer has none'],
    ['a string', '3600', '"3600" is not a whole number of seconds'],
    ['a fraction', 1.5, '1.5 is not a whole number of seconds'],
    ['null', null, 'null is not a whole number of seconds'],
    ['negative', -1, '-1 is negative'],
    ['absurd', 1e20, '100000000000000000000 s is more than ten years'],
    ['just beyond ten years', MAX_EXPIRES_IN + 1, `${MAX_EXPIRES_IN + 1} s is more than ten years`],
    ['a string with a command', '\n::error::x', '" ::error::x" is not a whole number of seconds'],
    ['a string with the secret', 'in s3cret s', '"in *** s" is not a whole number of seconds'],
    ['a string with the token', 'a.b.c', '"***" is not a whole number of seconds'],
    ['an object with the secret', { s: 's3cret' }, '{"s":"***"} is not a whole number of seconds']
  ])('%s means unknown, with a warning that says why', (_name, value, why) => {
    const fields = read(token({ expires_in: value }))
    expect(fields.expiresIn).toBeUndefined()
    expect(fields.accessToken).toBe('a.b.c')
    expect(fields.warnings).toHaveLength(1)
    expect(fields.warnings[0]).toContain(`no usable expires_in (${why})`)
    expect(fields.warnings[0]).toContain('expires-in and expires-at are empty')
    expect(fields.warnings[0]).not.toMatch(/[\n\r]|^\s*::|s3cret|a\.b\.c/)
  })

  it('cuts a hidden form out as JSON escapes it, before the quote breaks anything up', () => {
    const hidden = ['first::"sec\nond']
    const a = token({ expires_in: { s: hidden[0] }, token_type: hidden[0] })
    const fields = readTokenAnswer(a, url, hidden, now)
    expect(fields.warnings[0]).toContain('({"s":"***"} is not a whole number of seconds)')
    expect(fields.tokenType).toBe('***')
    expect(
      readTokenAnswer(token({ expires_in: `x ${hidden[0]}` }), url, hidden, now).warnings[0]
    ).toContain('("x ***" is not a whole number of seconds)')
  })
})

describe('expires_in nested deeper than JSON.stringify recurses', () => {
  const depth = 200_000
  it.each([
    ['an array', '['.repeat(depth) + ']'.repeat(depth), 'an array nested too deeply to show'],
    ['an object', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), 'an object nested too deeply']
  ])('%s means unknown, with a warning, not a stack overflow', (_name, nested, why) => {
    const body = `{"access_token":"a.b.c","token_type":"Bearer","expires_in":${nested}}`
    const fields = read(answer(body))
    expect(fields.accessToken).toBe('a.b.c')
    expect(fields.expiresIn).toBeUndefined()
    expect(fields.warnings).toEqual([
      expect.stringContaining(`no usable expires_in (${why}`) as unknown
    ])
  })
})

describe('token_type and scope', () => {
  it.each([
    [undefined, 'Bearer'],
    ['', 'Bearer'],
    [7, 'Bearer'],
    ['DPoP', 'DPoP'],
    ['Bearer\n::error::pwned', 'Bearer ::error::pwned'],
    ['\u0000', 'Bearer'],
    ['s3cret', '***'],
    ['Bearer s3cret czNjcmV0', 'Bearer *** ***'],
    ['Bearer a.b.c', 'Bearer ***'],
    ['s3\ncret', 's3 cret'],
    ['Bearer  \t x', 'Bearer x']
  ])('token_type %j → %j', (value, expected) => {
    expect(read(token({ token_type: value })).tokenType).toBe(expected)
  })

  it.each([
    ['read write', 'read write'],
    [undefined, undefined],
    [5, undefined]
  ])('scope %j → %j', (value, expected) => {
    expect(read(token({ scope: value })).scope).toBe(expected)
  })
})

describe('bodies that are not a token', () => {
  it.each([
    ['not JSON', answer('{oops'), 'with a body that is not JSON; check endpoint.'],
    ['a JSON array', answer([1]), 'with JSON that has no access_token'],
    ['JSON null', answer('null'), 'with JSON that has no access_token'],
    [
      'HTML by content type',
      answer('{}', 200, { 'content-type': 'text/html; charset=utf-8' }),
      'answered with an HTML page'
    ],
    ['HTML by body', answer('<!DOCTYPE html><p>hi', 200, { 'content-type': '' }), 'HTML page'],
    ['HTML by body, lower case', answer('  <html>', 200, { 'content-type': '' }), 'HTML page']
  ])('%s', (_name, a, text) => {
    const error = failure(a)
    expect(error).toBeInstanceOf(ResponseError)
    expect(error.message).toContain(text)
  })
})

describe('the whole message', () => {
  it.each([
    [
      'an HTML page',
      answer('<html>', 200, { 'content-type': 'text/html' }),
      `${url} answered with an HTML page, not a token, so endpoint is probably wrong: use the ` +
        'Logto base URL (e.g. https://your-tenant.logto.app).'
    ],
    [
      'a token that is not a token',
      token({ access_token: 'abc def' }),
      `${url} answered HTTP 200 with an access_token that is not a valid token (a string of ` +
        'visible ASCII characters without spaces or line breaks); check endpoint.'
    ]
  ])('for %s', (_name, a, message) => {
    expect(failure(a).message).toBe(message)
  })
})

describe('error answers', () => {
  it('quotes error, error_description and code with every secret form removed', () => {
    const error = endpointFailure(
      answer(
        {
          error: 'invalid_client',
          error_description: 'got Basic czNjcmV0 and s3cret',
          code: 'oidc.invalid_client',
          message: 'not quoted s3cret'
        },
        401
      )
    )
    expect(error).toBeInstanceOf(TokenEndpointError)
    expect(error.message).toBe(
      'HTTP 401 invalid_client ("got Basic *** and ***", code oidc.invalid_client)'
    )
    expect(error.status).toBe(401)
    expect(error.fields).toEqual({
      error: 'invalid_client',
      errorDescription: 'got Basic czNjcmV0 and s3cret',
      code: 'oidc.invalid_client'
    })
  })

  it.each([
    ['HTML by content type', { 'content-type': 'text/html' }, '{"error":"x"}'],
    ['HTML by body', { 'content-type': 'application/json' }, '<!doctype html>']
  ])('an HTML error page (%s) quotes nothing and says so', (_name, headers, body) => {
    const error = endpointFailure(answer(body, 502, headers))
    expect(error.message).toBe('HTTP 502, an HTML page')
    expect(error.looksLikeHtml).toBe(true)
    expect(error.fields).toEqual({})
  })

  it('reads Retry-After and Location', () => {
    const error = endpointFailure(
      answer('', 503, { 'retry-after': '7', location: 'https://x.example/oidc/token' })
    )
    expect(error.retryAfterMs).toBe(7000)
    expect(error.location).toBe('https://x.example/oidc/token')
    expect(error.looksLikeHtml).toBe(false)
  })

  it.each([199, 300, 302, 400, 500])('HTTP %i is an error answer', (status) => {
    expect(failure(answer({ access_token: 'x' }, status))).toBeInstanceOf(TokenEndpointError)
  })

  it.each([200, 201, 299])('HTTP %i is a token answer', (status) => {
    expect(read(answer({ access_token: 'x' }, status)).accessToken).toBe('x')
  })
})

describe('field sizes', () => {
  const jwt = (aud: string): string =>
    `e30.${Buffer.from(JSON.stringify({ aud })).toString('base64url')}.sig`
  // Logto sends `Bearer`, a resource's scope names and one indicator: anything near these limits
  // is not its answer, and would flood the outputs, a log line and the summary.
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['token_type of 64', { token_type: 'B'.repeat(64) }, undefined],
    ['token_type of 65', { token_type: 'B'.repeat(65) }, 'a token_type that is 65 characters long'],
    ['scope of 16 KiB', { scope: 's'.repeat(16 * 1024) }, undefined],
    [
      'scope of 16 KiB + 1',
      { scope: 's'.repeat(16 * 1024 + 1) },
      'a scope that is 16385 characters long, more than the 16384'
    ],
    ['aud of 2 KiB', { access_token: jwt('a'.repeat(2048)) }, undefined],
    [
      'aud of 2 KiB + 1',
      { access_token: jwt('a'.repeat(2049)) },
      'an access_token whose JWT audience (aud) is 2049 characters long'
    ]
  ])('%s', (_name, extra, refusal) => {
    let outcome = 'read'
    try {
      read(token(extra))
    } catch (error) {
      outcome = (error as Error).message
    }
    expect(outcome).toContain(refusal ?? 'read')
  })
})
