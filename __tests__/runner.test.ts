/** The runner emulation reads process output the way the runner does on every OS. */
import { describe, expect, it } from '@jest/globals'
import { renderLog, Masker, runProcess, splitLines } from '../scripts/lib/runner.js'

describe('splitLines ends a line at \\n, \\r\\n or a lone \\r, as .NET ReadLine does', () => {
  it.each([
    ['a\nb\n', ['a', 'b'], ''],
    ['a\r\nb\r\n', ['a', 'b'], ''],
    ['a\rb\r\nc', ['a', 'b'], 'c'],
    ['a\n\nb', ['a', ''], 'b'],
    ['a\r', [], 'a\r'],
    ['a\r\r\n', ['a', ''], ''],
    ['', [], '']
  ])('%j', (text, lines, rest) => {
    expect(splitLines(text)).toEqual({ lines, rest })
  })
})

describe('runProcess', () => {
  it('joins a \\r\\n split across chunks and ends the last line at a trailing \\r', async () => {
    const script =
      "process.stdout.write('::add-mask::s3cret\\r');" +
      "setTimeout(() => process.stdout.write('\\nsaw s3cret\\r\\nlast\\r'), 50)"
    const result = await runProcess(process.execPath, ['-e', script])
    expect(result.lines).toEqual([
      { stream: 'stdout', line: '::add-mask::s3cret' },
      { stream: 'stdout', line: 'saw s3cret' },
      { stream: 'stdout', line: 'last' }
    ])
    const { log } = renderLog(result.lines, { masker: new Masker(), debug: false })
    expect(log).toBe('saw ***\nlast')
  })
})
