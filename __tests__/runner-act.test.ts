/**
 * The act mode of the runner emulation reproduces what nektos/act (pkg/runner, pkg/container)
 * does differently from GitHub's actions/runner, case by case next to the GitHub behaviour.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ActMasker,
  Masker,
  inputVariable,
  parseFileCommand,
  parseFileCommandAct,
  parseWorkflowCommand,
  runAction
} from '../scripts/lib/runner.js'

describe('act mode of the runner emulation', () => {
  it.each([
    ['app-id', 'INPUT_APP-ID', 'INPUT_APP-ID'],
    ['export-env', 'INPUT_EXPORT-ENV', 'INPUT_EXPORT-ENV'],
    ['my input.v2', 'INPUT_MY_INPUT.V2', 'INPUT_MY_INPUT_V2']
  ])('input %s is passed as %s (GitHub) and %s (act)', (name, github, act) => {
    expect(inputVariable(name)).toBe(github)
    expect(inputVariable(name, 'act')).toBe(act)
  })

  it.each([
    ['name=value', [['a', 'b']], [['a', 'b']], 'a=b\n'],
    ['CRLF line ends', [['a', 'b']], [['a', 'b']], 'a=b\r\n'],
    ['a heredoc', [['a', 'x\ny']], [['a', 'x\ny']], 'a<<EOF\nx\ny\nEOF\n'],
    ['a heredoc starting blank', [['a', '\nx']], [['a', 'x']], 'a<<EOF\n\nx\nEOF\n']
  ])('file command with %s', (_name, github, act, content) => {
    expect(parseFileCommand(content)).toEqual(github)
    expect(parseFileCommandAct(content)).toEqual(act)
  })

  it('a blank line in a file command is skipped by GitHub and an error in act', () => {
    expect(parseFileCommand('a=b\n\nc=d\n')).toEqual([
      ['a', 'b'],
      ['c', 'd']
    ])
    expect(() => parseFileCommandAct('a=b\n\nc=d\n')).toThrow("invalid format ''")
  })

  it('act skips a UTF-8 byte order mark (PowerShell 5 writes one)', () => {
    expect(parseFileCommandAct('\uFEFFa=b\n')).toEqual([['a', 'b']])
  })

  it('an unclosed heredoc is an error in both', () => {
    expect(() => parseFileCommand('a<<EOF\nx\n')).toThrow()
    expect(() => parseFileCommandAct('a<<EOF\nx\n')).toThrow("delimiter 'EOF' not found")
  })

  it('act masks the exact value only, GitHub its encodings and lines too', () => {
    const secret = 'first-line-secret\nsecond-line-secret'
    const base64 = Buffer.from(secret).toString('base64')
    const text = `${base64} second-line-secret`
    expect(new Masker([secret]).mask(text)).toBe('*** ***')
    expect(new ActMasker([secret]).mask(text)).toBe(text)
    expect(new ActMasker([secret]).mask(`<${secret}>`)).toBe('<***>')
  })

  it.each([
    ['::add-mask::a::b', ['add-mask', 'a::b'], ['add-mask::a', 'b']],
    ['  ::warning::x', ['warning', 'x'], undefined],
    ['::debug::a%250Ab', ['debug', 'a%0Ab'], ['debug', 'a\nb']],
    ['::set-output name=k%3Av::1', ['set-output', '1'], ['set-output', '1']]
  ])('command line %j', (line, github, act) => {
    const pick = (c: ReturnType<typeof parseWorkflowCommand>) => c && [c.command, c.data]
    expect(pick(parseWorkflowCommand(line))).toEqual(github)
    expect(pick(parseWorkflowCommand(line, 'act'))).toEqual(act)
  })

  describe('a step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-act-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    const entry = join(dir, 'entry.mjs')
    writeFileSync(
      entry,
      [
        "import { appendFileSync } from 'node:fs'",
        "import { basename } from 'node:path'",
        'const env = process.env',
        "console.log('::add-mask::tok-123')",
        'appendFileSync(env.GITHUB_STEP_SUMMARY, "summary with tok-123\\n")',
        'appendFileSync(env.GITHUB_OUTPUT, `act=${env.ACT ?? ""}\\n`)',
        'appendFileSync(env.GITHUB_OUTPUT, `debug=${env.RUNNER_DEBUG ?? ""}\\n`)',
        'appendFileSync(env.GITHUB_OUTPUT, `file=${basename(env.GITHUB_OUTPUT)}\\n`)'
      ].join('\n')
    )

    it('as act: ACT=true, fixed file names, no RUNNER_DEBUG, the summary in the log, masked', async () => {
      const result = await runAction({ entry, runner: 'act', debug: true })
      expect(result.code).toBe(0)
      expect(result.outputs).toEqual({ act: 'true', debug: '', file: 'outputcmd.txt' })
      expect(result.log).toContain('summary with ***')
    })

    it('as GitHub: RUNNER_DEBUG, unique file names, the summary kept out of the log', async () => {
      const result = await runAction({ entry, debug: true })
      expect(result.outputs).toMatchObject({ act: '', debug: '1' })
      expect(result.outputs.file).toMatch(/^set_output_[0-9a-f-]{36}$/)
      expect(result.log).not.toContain('summary with')
    })
  })
})
