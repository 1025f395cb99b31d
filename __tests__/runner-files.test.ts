/** checkRunnerFiles decides from a table of environments; probeFile is checked on real paths
 * and, for errors root never gets, with a stand-in file system. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  constants,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkRunnerFiles, probeFile } from '../src/runner-files.js'

const realpathSync = (path: string): string => path

const files = { GITHUB_OUTPUT: '/o', GITHUB_ENV: '/e', GITHUB_STEP_SUMMARY: '/s' }
const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''
/** A probe that reports the listed paths as missing. */
const missing =
  (...paths: string[]) =>
  (path: string): string | undefined =>
    paths.includes(path) ? 'does not exist' : undefined

describe('checkRunnerFiles', () => {
  it.each([
    ['all files there', files, {}, missing(), undefined],
    [
      'no GITHUB_OUTPUT',
      { ...files, GITHUB_OUTPUT: undefined },
      {},
      missing(),
      /^GITHUB_OUTPUT is not set\. This action must run on a GitHub Actions-compatible runner .*provides this file\. It never falls back to the deprecated ::set-output and ::set-env commands/
    ],
    [
      'empty GITHUB_OUTPUT',
      { ...files, GITHUB_OUTPUT: '' },
      {},
      missing(),
      /^GITHUB_OUTPUT is not set\./
    ],
    [
      'GITHUB_OUTPUT that does not exist',
      files,
      {},
      missing('/o'),
      /^GITHUB_OUTPUT names "\/o", which does not exist\./
    ],
    [
      'no GITHUB_ENV with export-env on by default',
      { ...files, GITHUB_ENV: undefined },
      {},
      missing(),
      /^GITHUB_ENV is not set\./
    ],
    [
      'no GITHUB_ENV with export-env true',
      { ...files, GITHUB_ENV: undefined },
      { 'export-env': 'TRUE' },
      missing(),
      /^GITHUB_ENV is not set\./
    ],
    [
      'no GITHUB_ENV with an invalid export-env (the stricter reading)',
      { ...files, GITHUB_ENV: undefined },
      { 'export-env': 'yes' },
      missing(),
      /^GITHUB_ENV is not set\./
    ],
    [
      'no GITHUB_ENV with export-env false',
      { ...files, GITHUB_ENV: undefined },
      { 'export-env': ' False ' },
      missing(),
      undefined
    ],
    [
      'neither file',
      {},
      {},
      missing(),
      /^GITHUB_OUTPUT is not set; GITHUB_ENV is not set\. .*provides these files\./
    ]
  ])('%s', (_name, env, values, probe, error) => {
    const result = checkRunnerFiles(env, inputs(values), probe)
    // No error expected: undefined (an empty message would not do either).
    expect(result.error ?? '').toMatch(error ?? /^$/)
    expect(result.error).not.toBe('')
    expect(result.warnings).toEqual([])
    expect(result.skipSummary).toBe(false)
  })

  it.each([
    ['unset: skipped quietly later', { ...files, GITHUB_STEP_SUMMARY: undefined }, {}, false],
    ['writable', files, {}, false],
    ['summary off', files, { summary: 'false' }, false]
  ])('GITHUB_STEP_SUMMARY %s: no warning', (_name, env, values, skip) => {
    const result = checkRunnerFiles(env, inputs(values), missing())
    expect(result).toEqual({ error: undefined, warnings: [], skipSummary: skip })
  })

  it('GITHUB_STEP_SUMMARY set but unwritable: a warning and the summary skipped, not an error', () => {
    const result = checkRunnerFiles(files, inputs({}), missing('/s'))
    expect(result).toEqual({
      error: undefined,
      warnings: [
        'GITHUB_STEP_SUMMARY names "/s", which does not exist; the job summary is skipped.'
      ],
      skipSummary: true
    })
  })

  it('does not probe the summary when summary is off', () => {
    const result = checkRunnerFiles(files, inputs({ summary: 'false' }), missing('/s'))
    expect(result.skipSummary).toBe(false)
    expect(result.warnings).toEqual([])
  })

  it('quotes a path so that it cannot start a line of its own', () => {
    const env = { ...files, GITHUB_OUTPUT: '/x\n::set-output name=a::b' }
    const result = checkRunnerFiles(env, inputs({}), missing(env.GITHUB_OUTPUT))
    expect(result.error).toContain('"/x\\n::set-output name=a::b"')
    expect(result.error).not.toContain('\n')
  })
})

const dir = mkdtempSync(join(tmpdir(), 'probe-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('probeFile', () => {
  const file = join(dir, 'file')
  writeFileSync(file, '')
  mkdirSync(join(dir, 'sub'))

  it.each([
    ['an existing file', file, undefined],
    ['a missing file', join(dir, 'nope'), 'does not exist'],
    ['a file in a missing directory', join(dir, 'nope', 'file'), 'does not exist'],
    ['a directory', join(dir, 'sub'), 'is a directory'],
    ['a path under a file', join(file, 'x'), 'is inside something that is not a directory']
  ])('%s', (_name, path, reason) => {
    expect(probeFile(path)).toBe(reason)
  })
})

describe('probeFile on errors that root or this OS never gets', () => {
  const plain = join(dir, 'plain')
  writeFileSync(plain, '')
  const fileStats = statSync(plain)
  const failing =
    (code: string | undefined, message = 'boom') =>
    (): never => {
      throw Object.assign(new Error(message), code === undefined ? {} : { code })
    }

  it.each([
    ['EACCES', 'cannot be written'],
    ['EPERM', 'cannot be written'],
    ['EROFS', 'cannot be written'],
    ['EIO', 'cannot be checked (EIO)'],
    ['ENOTDIR', 'is inside something that is not a directory'],
    ['ENOENT', 'does not exist']
  ])('access failing with %s: %s', (code, reason) => {
    expect(
      probeFile('/f', { statSync: () => fileStats, accessSync: failing(code), realpathSync })
    ).toBe(reason)
  })

  it('names the message of an error without a code', () => {
    expect(
      probeFile('/f', {
        statSync: failing(undefined, 'odd'),
        accessSync: () => undefined,
        realpathSync
      })
    ).toBe('cannot be checked (odd)')
  })

  it('checks for writing, on the path it was given', () => {
    const calls: unknown[] = []
    const fs = {
      statSync: (path: string) => (calls.push(['stat', path]), fileStats),
      accessSync: (path: string, mode: number) => void calls.push(['access', path, mode]),
      realpathSync: (path: string) => (calls.push(['realpath', path]), path)
    }
    expect(probeFile('/f', fs)).toBeUndefined()
    expect(calls).toEqual([
      ['stat', '/f'],
      ['access', '/f', constants.W_OK]
    ])
  })

  it('refuses what is neither a file nor a character device (a FIFO or socket)', () => {
    const fifo = { isDirectory: () => false, isFile: () => false, isCharacterDevice: () => false }
    const accessSync = failing('EACCES')
    expect(probeFile('/f', { statSync: () => fifo, accessSync, realpathSync })).toBe(
      'is not a regular file'
    )
  })

  const device = { isDirectory: () => false, isFile: () => false, isCharacterDevice: () => true }
  it.each([
    ['/dev/null', undefined],
    ['/dev/full', undefined],
    [
      '/dev/tty',
      'is a device other than /dev/null and /dev/full (what is written to it could be shown or kept)'
    ],
    [
      '/dev/kmsg',
      'is a device other than /dev/null and /dev/full (what is written to it could be shown or kept)'
    ]
  ])('a character device that resolves to %s: %j', (real, reason) => {
    const seen: string[] = []
    const fs = {
      statSync: () => device,
      accessSync: () => undefined,
      realpathSync: (path: string) => (seen.push(path), real)
    }
    expect(probeFile('/link', fs)).toBe(reason)
    expect(seen).toEqual(['/link'])
  })
})

// mkfifo is a POSIX command; Windows has no FIFOs on a file path.
const posixFifo = process.platform === 'win32' ? describe.skip : describe
posixFifo('probeFile on a real FIFO', () => {
  it('refuses it without blocking', () => {
    const fifo = join(dir, 'fifo')
    const made = spawnSync('mkfifo', [fifo])
    expect(made.status).toBe(0)
    expect(probeFile(fifo)).toBe('is not a regular file')
  })
})

// Windows has no /dev/null path, and root may write to a read-only file.
const posix = process.platform === 'win32' ? describe.skip : describe
const notRoot = process.platform === 'win32' || process.getuid?.() === 0 ? describe.skip : describe
posix('probeFile on POSIX', () => {
  it('accepts /dev/null, which keeps nothing', () => {
    expect(probeFile('/dev/null')).toBeUndefined()
  })

  it('refuses another character device, /dev/zero', () => {
    expect(probeFile('/dev/zero')).toBe(
      'is a device other than /dev/null and /dev/full (what is written to it could be shown or kept)'
    )
  })
})
notRoot('probeFile as a user without root rights', () => {
  it('refuses a read-only file', () => {
    const readOnly = join(dir, 'read-only')
    writeFileSync(readOnly, '')
    chmodSync(readOnly, 0o444)
    expect(probeFile(readOnly)).toBe('cannot be written')
  })
})
