import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  holdsForm,
  asLine,
  hasControlCharacter,
  line,
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

/** The reference: every index inside an occurrence of a form, found one index at a time. */
function coveredIndices(text: string, forms: readonly string[]): boolean[] {
  const covered = new Array<boolean>(text.length).fill(false)
  for (const form of forms) {
    if (form === '') continue
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
      for (let i = at; i < at + form.length; i++) covered[i] = true
    }
  }
  return covered
}

/** The uncovered characters as they are, each maximal run of covered ones as one `***`. */
function expectedRedaction(text: string, forms: readonly string[]): string {
  const covered = coveredIndices(text, forms)
  let out = ''
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) out += text[i]
    else if (i === 0 || !covered[i - 1]) out += '***'
  }
  return out
}

// A small alphabet, so forms overlap, nest and repeat in the texts made from them.
const small = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x'), maxLength: 8 })

describe('redact: one primitive that overlapping forms cannot defeat', () => {
  it('replaces every form, whatever the order given', () => {
    expect(redact('x s3cret y s3cret+enc z', ['s3cret', 's3cret+enc'])).toBe('x *** y *** z')
    expect(redact('x s3cret y s3cret+enc z', ['s3cret+enc', 's3cret'])).toBe('x *** y *** z')
    expect(redact('nothing here', [])).toBe('nothing here')
    expect(redact('keep', [''])).toBe('keep')
  })

  // The attack of issue 21: a longer form (the token, a list value) overlapping the end of the
  // secret, replaced first, left the secret's first characters standing.
  it.each([
    [
      'a longer form over the end of the secret',
      'all SECRETtoken',
      ['SECRET', 'ETtoken'],
      'all ***'
    ],
    ['a longer form over its start', 'tokSECRET x', ['SECRET', 'tokSEC'], '*** x'],
    ['nested forms', 'aSECRETb', ['SECRET', 'CRE'], 'a***b'],
    ['repeated, overlapping occurrences', 'aaaaab', ['aaa'], '***b'],
    ['touching occurrences are one run', 'abab-', ['ab'], '***-'],
    ['two separate runs', 'ab-ab', ['ab'], '***-***']
  ])('%s', (_name, text, forms, expected) => {
    expect(redact(text, forms)).toBe(expected)
    expect(redact(text, [...forms].reverse())).toBe(expected)
  })

  it('for any text and forms, no character of an occurrence survives: covered runs become ***', () => {
    fc.assert(
      fc.property(
        fc.array(small, { maxLength: 5 }),
        fc.array(fc.oneof(small, fc.nat(4)), { maxLength: 12 }),
        (forms, pieces) => {
          // Texts made of the forms themselves and of other text, so occurrences abound.
          const text = pieces
            .map((piece) => (typeof piece === 'number' ? (forms[piece] ?? '') : piece))
            .join('')
          expect(redact(text, forms)).toBe(expectedRedaction(text, forms))
        }
      ),
      { numRuns: 2000 }
    )
  })

  it('any string as form and text, surrogates and all', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.array(fc.string(), { maxLength: 4 }),
        (text, forms) => {
          expect(redact(text, forms)).toBe(expectedRedaction(text, forms))
        }
      )
    )
  })

  it('stays linear with many forms over a long text', () => {
    // Thousands of forms and a text of a megabyte: one pass, not one per form.
    const forms = Array.from({ length: 5000 }, (_, i) => `value-${i}-${'a'.repeat(100)}`)
    const text = 'a'.repeat(1 << 20)
    const started = process.hrtime.bigint()
    expect(redact(text, forms)).toBe(text)
    // Generous: a pass per form (the old way) takes minutes here.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(10_000)
  })
})

// Forms of upper-case letters (and the characters the rules act on); other text has none, so an
// upper-case letter in the result is a character of a form that survived.
const formUnit = fc.constantFrom('A', 'B', 'C', ' ', '\n', '#', '[', ':', '\u2028')
const fillerUnit = fc.constantFrom('a', 'b', ' ', '\t', '\n', '\r', '#', '[', ':', '\u0085', '*')

/** Text made of whole forms, forms glued where one's end is the next one's start, and filler. */
const hostileText = fc
  .array(
    fc.string({ unit: formUnit, minLength: 1, maxLength: 10 }).filter((f) => /[ABC]/.test(f)),
    { minLength: 1, maxLength: 4 }
  )
  .chain((forms) =>
    fc
      .array(
        fc.oneof(
          fc.string({ unit: fillerUnit, maxLength: 12 }),
          fc.nat(forms.length - 1).map((i) => forms[i]),
          fc.tuple(fc.nat(forms.length - 1), fc.nat(forms.length - 1)).map(([i, j]) => {
            const [a, b] = [forms[i], forms[j]]
            for (let k = Math.min(a.length, b.length) - 1; k > 0; k--) {
              if (a.endsWith(b.slice(0, k))) return a + b.slice(k)
            }
            return a + b
          })
        ),
        { maxLength: 40 }
      )
      .map((pieces) => ({ forms, text: pieces.join('') }))
  )

describe('serverText and quote keep no character of a form', () => {
  it('serverText: none survives, as sent or with its blank runs made one space', () => {
    fc.assert(
      fc.property(hostileText, ({ forms, text }) => {
        expect(serverText(text, forms)).not.toMatch(/[ABC]/)
      }),
      { numRuns: 3000 }
    )
  })

  it('quote: none survives, on one line without a command, however long the text', () => {
    fc.assert(
      fc.property(hostileText, fc.nat(400), ({ forms, text }, pad) => {
        // Filler before the forms moves them to the cut at MAX_QUOTE characters.
        const quoted = quote(`${'y'.repeat(pad)} ${text}`, forms)
        expect(quoted).not.toMatch(/[ABC]/)
        expect(quoted).not.toMatch(/^\s*::|##\[|[\n\r\u2028]/)
        expect(quoted.replace(/…$/, '').length).toBeLessThanOrEqual(MAX_QUOTE)
      }),
      { numRuns: 3000 }
    )
  })

  it('quote reads only the start it shows: what lies far past it changes nothing', () => {
    const secret = 'S3CRET-0123456789'
    const start = 'x '.repeat(50)
    for (const tail of ['', secret, 'y'.repeat(1 << 20), `${secret.slice(0, 5)}\n`.repeat(1000)]) {
      expect(quote(`${start}${'z'.repeat(300)}${tail}`, [secret])).toBe(
        `${start}${'z'.repeat(MAX_QUOTE - start.length)}…`
      )
    }
  })

  // A form that crosses the cut: cut first and its start would be left at the edge of the text.
  it.each([0, 1, 5, 16, 17, 30])('a form %d characters before the cut is cut out whole', (back) => {
    const secret = 'S3CRET-0123456789'
    const text = `${'x'.repeat(MAX_QUOTE + 20 - back)}${secret}${'y'.repeat(50)}`
    expect(quote(text, [secret])).not.toMatch(/S3|3C|CR|RE|ET|T-|-0/)
  })

  // What is read past the shown start only finds forms: a shorter form inside a longer one that
  // starts there, and runs past what is read, shows nothing of the longer one.
  it('a short form inside a long one past the shown start shows no character of the long one', () => {
    const long = `${'L'.repeat(20)}SHORT${'M'.repeat(5)}`
    // Redaction shortens the shown start to MAX_QUOTE - 1 characters, so more is read.
    const text = `SHORT-${'z'.repeat(MAX_QUOTE - 5)}${long}tail`
    expect(quote(text, [long, 'SHORT'])).toBe(`***-${'z'.repeat(MAX_QUOTE - 5)}*…`)
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

describe('holdsForm', () => {
  it.each<[string, string[], boolean]>([
    ['https://x.example/a', ['secret'], false],
    ['https://SECRET.example/a', ['secret'], true],
    ['https://x.example/SeCrEt', ['sEcReT'], true],
    ['a  b\tc', ['a b c'], true],
    ['no form here', [], false],
    ['no form here', [''], false]
  ])('%j with %j: %s', (text, forms, expected) => {
    expect(holdsForm(text, forms)).toBe(expected)
  })
})

describe('line: the one way to build a log line', () => {
  it.each([
    ['a value with a line break and a command', 'a\n::error::x', 'v a ::error::x.'],
    ['a value that starts with ::', '::warning::x', 'v : :warning::x.'],
    ['a value with ##[', 'x ##[error]y', 'v x # #[error]y.'],
    ['a value with CR', 'a\r::error::x', 'v a ::error::x.'],
    ['a value with U+2028', 'a\u2028::error::x', 'v a ::error::x.']
  ])('%s', (_name, value, expected) => {
    expect(line`v ${value}.`).toBe(expected)
  })

  it('neutralises a command made of two values and the text between them', () => {
    expect(line`${'x#'}${'#[warning]y'}`).toBe('x# #[warning]y')
    expect(line`${':'}${':warning::x'}`).toBe(': :warning::x')
    expect(line`${''}${'::x'}`).toBe(': :x')
    expect(line`  :${':x'}`).toBe('  : :x')
    // Not trimmed: parts of one line join as written.
    expect(line` with ${'x'} `).toBe(' with x ')
  })

  it('asLine neutralises a whole message built elsewhere', () => {
    expect(asLine('##[warning]x\n::error::y')).toBe('# #[warning]x ::error::y')
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
