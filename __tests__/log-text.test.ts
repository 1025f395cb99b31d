import { describe, expect, it } from '@jest/globals'
import {
  hasControlCharacter,
  MAX_QUOTE,
  oneLine,
  printable,
  quote,
  redact
} from '../src/log-text.js'

describe('printable and oneLine', () => {
  it.each([
    ['plain', 'plain', 'plain'],
    ['line breaks', 'a\nb\r\nc', 'a b c'],
    ['C0, DEL and C1 controls', 'a\u0000b\u001fc\u007fd\u0085e\u009f', 'a b c d e'],
    ['Unicode line separators', 'a\u2028b\u2029c', 'a b c'],
    ['bidi overrides', 'a\u202eb\u2066c\u2069', 'a b c'],
    ['a workflow command', '\n::error::x', '::error::x'],
    ['the old command form', '##[error]x', '##[error]x'],
    ['edges trimmed', ' \t x \n', 'x']
  ])('%s', (_name, text, expected) => {
    expect(printable(text)).toBe(expected)
  })

  it.each([
    ['Bearer\n::error::pwned', 'Bearer : :error: :pwned'],
    ['##[set-output name=x]y', '# #[set-output name=x]y'],
    ['urn:a:b', 'urn:a:b'],
    ['a:::b', 'a: : :b'],
    ['###[x', '## #[x']
  ])('oneLine %j → %j', (text, expected) => {
    expect(oneLine(text)).toBe(expected)
  })
})

describe('redact and quote', () => {
  it('replaces every form, the longest first', () => {
    expect(redact('x s3cret y s3cret+enc z', ['s3cret', 's3cret+enc'])).toBe('x *** y *** z')
    expect(redact('nothing here', [])).toBe('nothing here')
    expect(redact('keep', [''])).toBe('keep')
  })

  it('removes secrets before cutting, so no prefix of one survives the cut', () => {
    const secret = 'S'.repeat(40)
    const text = `${'x'.repeat(MAX_QUOTE - 10)}${secret}`
    const quoted = quote(text, [secret])
    expect(quoted).toBe(`${'x'.repeat(MAX_QUOTE - 10)}***`)
    expect(quote(text)).toContain('SSSSSSSSSS…')
  })

  it('keeps text on one line and at most MAX_QUOTE characters plus an ellipsis', () => {
    expect(quote('a\n::add-mask::x\r\nb')).toBe('a : :add-mask: :x b')
    expect(quote('x'.repeat(500))).toBe(`${'x'.repeat(MAX_QUOTE)}…`)
    expect(quote('x'.repeat(MAX_QUOTE))).toBe('x'.repeat(MAX_QUOTE))
  })
})

describe('hasControlCharacter', () => {
  it.each([
    ['https://api.example.com', false],
    ['héllo wörld', false],
    ['a\nb', true],
    ['a\tb', true],
    ['a\u0085b', true],
    ['a\u2028b', true],
    ['a\u202eb', true]
  ])('%j → %s', (text, expected) => {
    expect(hasControlCharacter(text)).toBe(expected)
  })
})
