import { describe, expect, it } from '@jest/globals'
import { jwtAudience } from '../src/jwt.js'

describe('jwtAudience', () => {
  const segment = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url')
  const jwt = (payload: unknown): string => `eyJhbGciOiJFUzM4NCJ9.${segment(payload)}.sig`
  it.each([
    [jwt({ aud: 'https://api.example.com' }), 'https://api.example.com'],
    [jwt({ aud: ['a', 'b'] }), 'a b'],
    [jwt({ aud: ['a'] }), 'a'],
    [jwt({ aud: ['a', 5] }), undefined],
    [jwt({ aud: [5, 'a'] }), undefined],
    [jwt({ sub: 'x' }), undefined],
    [jwt({ aud: 5 }), undefined],
    [jwt({ aud: null }), undefined],
    [jwt('text'), undefined],
    [jwt(null), undefined],
    [jwt(['aud']), undefined],
    // Only the payload segment counts: an `aud` in the header is not the token's audience.
    [`${segment({ aud: 'header' })}.${segment({ sub: 'x' })}.sig`, undefined],
    [`${segment({ aud: 'one' })}.${segment({ aud: 'two' })}.${segment({ aud: 'three' })}`, 'two'],
    ['opaque-token', undefined],
    [`h.${segment({ aud: 'a' })}`, undefined],
    [`h.${segment({ aud: 'a' })}.s.x`, undefined],
    ['a.%%%.c', undefined],
    [`h.${Buffer.from('{"aud":"a"').toString('base64url')}.s`, undefined]
  ])('%s → %j', (token, expected) => {
    expect(jwtAudience(token)).toBe(expected)
  })
})
