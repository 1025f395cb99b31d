import { describe, expect, it } from '@jest/globals'
import {
  hasControlCharacter,
  MAX_QUOTE,
  oneLine,
  printable,
  quote,
  redact,
  serverText
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

  // What the runner parses as a command: `::` at the start of a line after whitespace, `##[`
  // anywhere in a line. Exactly those are broken up; every other `::` keeps its form.
  it.each([
    ['Bearer\n::error::pwned', 'Bearer ::error::pwned'],
    ['::error::pwned', ': :error::pwned'],
    ['  \t::warning::x', ': :warning::x'],
    ['\n::add-mask::x', ': :add-mask::x'],
    [':::x', ': ::x'],
    [':x::y', ':x::y'],
    [': :x', ': :x'],
    ['##[set-output name=x]y', '# #[set-output name=x]y'],
    ['a ##[error]b ##[warning]c', 'a # #[error]b # #[warning]c'],
    ['###[x', '## #[x'],
    ['##x #[y', '##x #[y'],
    ['::##[x', ': :# #[x'],
    ['connect ECONNREFUSED ::1:3001', 'connect ECONNREFUSED ::1:3001'],
    ['http://[::1]:3001/oidc/token', 'http://[::1]:3001/oidc/token'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['::1', ': :1'],
    ['urn:a:b', 'urn:a:b'],
    ['a:::b', 'a:::b'],
    ['', '']
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

  // Cut out before neutralising and again after: either order alone lets a form through.
  it.each([
    ['a form with a line break, echoed as is', 'x first\nsecond y', ['first\nsecond'], 'x *** y'],
    ['a form with a space, echoed with a line break', 'x a\nb y', ['a b'], 'x *** y'],
    ['a form with a space, echoed with a run of spaces', 'x a   b y', ['a b'], 'x *** y'],
    ['a form with ::', 'first::second', ['first::second'], '***'],
    ['the longest form first', 'tok tok2', ['tok', 'tok2'], '*** ***'],
    ['nothing hidden', ' a\t\tb ', [], 'a b']
  ])('serverText: %s', (_name, text, hidden, expected) => {
    expect(serverText(text, hidden)).toBe(expected)
  })

  it('quote cuts a form out before breaking up a command', () => {
    expect(quote('::s3::cret', ['::s3::cret'])).toBe('***')
    expect(quote('x\n::s3', ['x ::s3'])).toBe('***')
  })

  it('keeps text on one line and at most MAX_QUOTE characters plus an ellipsis', () => {
    expect(quote('a\n::add-mask::x\r\nb')).toBe('a ::add-mask::x b')
    expect(quote('\n::add-mask::x')).toBe(': :add-mask::x')
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
