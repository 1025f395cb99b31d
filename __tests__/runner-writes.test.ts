/** writeAllOrNothing: a runner file that refuses a write leaves every output and variable unset. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ActionError } from '../src/errors.js'
import { writeAllOrNothing, type RunnerWrite } from '../src/runner-writes.js'

const dir = mkdtempSync(join(tmpdir(), 'runner-writes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let fileCount = 0
/** A fresh pair of runner files holding what earlier steps (or act's shared files) left there. */
function runnerFiles(): { GITHUB_OUTPUT: string; GITHUB_ENV: string } {
  fileCount++
  const env = {
    GITHUB_OUTPUT: join(dir, `output-${fileCount}`),
    GITHUB_ENV: join(dir, `env-${fileCount}`)
  }
  writeFileSync(env.GITHUB_OUTPUT, 'earlier-output=kept\n')
  writeFileSync(env.GITHUB_ENV, 'EARLIER_VARIABLE=kept\n')
  return env
}
const contents = (env: Record<string, string>) => ({
  output: readFileSync(env.GITHUB_OUTPUT, 'utf8'),
  env: readFileSync(env.GITHUB_ENV, 'utf8')
})

const outputs: RunnerWrite[] = [
  { file: 'GITHUB_OUTPUT', name: 'access-token', value: 'tok' },
  { file: 'GITHUB_OUTPUT', name: 'token-type', value: 'Bearer' },
  { file: 'GITHUB_OUTPUT', name: 'scope', value: 'read' }
]
const variable: RunnerWrite = { file: 'GITHUB_ENV', name: 'LOGTO_ACCESS_TOKEN', value: 'tok' }
const orders: [string, RunnerWrite[]][] = [
  ['outputs first', [...outputs, variable]],
  ['the variable first', [variable, ...outputs]]
]
const enospc = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })

/** Appends each entry as a line; the write numbered `failAt` gets half a line in, then throws. */
function appender(env: Record<string, string>, failAt = -1) {
  let n = 0
  return (entry: RunnerWrite): void => {
    const line = `${entry.name}=${entry.value}\n`
    if (n++ === failAt) {
      appendFileSync(env[entry.file], line.slice(0, 4))
      throw enospc()
    }
    appendFileSync(env[entry.file], line)
  }
}

describe('writeAllOrNothing', () => {
  it('writes every entry in order when no file refuses', () => {
    const env = runnerFiles()
    writeAllOrNothing([...outputs, variable], { env, write: appender(env) })
    expect(contents(env)).toEqual({
      output: 'earlier-output=kept\naccess-token=tok\ntoken-type=Bearer\nscope=read\n',
      env: 'EARLIER_VARIABLE=kept\nLOGTO_ACCESS_TOKEN=tok\n'
    })
  })

  describe.each(orders)('%s', (_order, entries) => {
    it.each(entries.map((entry, i) => [i, entry.name] as const))(
      'write %i (%s) fails: both files end as they were, half-written line included',
      (failAt) => {
        const env = runnerFiles()
        const before = contents(env)
        expect(() => writeAllOrNothing(entries, { env, write: appender(env, failAt) })).toThrow(
          ActionError
        )
        expect(contents(env)).toEqual(before)
      }
    )
  })

  it('names the output, its variable and the path, and says nothing was set', () => {
    const env = runnerFiles()
    expect(() => writeAllOrNothing(outputs, { env, write: appender(env, 1) })).toThrow(
      `Could not set output token-type: writing to GITHUB_OUTPUT (${JSON.stringify(env.GITHUB_OUTPUT)}) ` +
        'failed: ENOSPC: no space left on device, write. Nothing was set: every runner file is ' +
        'as it was before.'
    )
  })

  it('names an exported variable as a variable', () => {
    const env = { GITHUB_OUTPUT: join(dir, 'unused'), GITHUB_ENV: '/dev/full' }
    expect(() =>
      writeAllOrNothing([variable], {
        env,
        write: () => {
          throw enospc()
        },
        fs: { statSync: () => ({ isFile: () => false, size: 0 }), truncateSync: () => undefined }
      })
    ).toThrow(
      'Could not set variable LOGTO_ACCESS_TOKEN: writing to GITHUB_ENV ("/dev/full") failed: ' +
        'ENOSPC: no space left on device, write. Nothing was set'
    )
  })

  it('cuts back regular files only: a device such as /dev/full held nothing', () => {
    const env = { GITHUB_OUTPUT: '/work/output', GITHUB_ENV: '/dev/full' }
    const truncated: [string, number][] = []
    const stats: Record<string, { isFile: () => boolean; size: number }> = {
      '/work/output': { isFile: () => true, size: 42 },
      '/dev/full': { isFile: () => false, size: 0 }
    }
    expect(() =>
      writeAllOrNothing([...outputs, variable], {
        env,
        write: (entry) => {
          if (entry.file === 'GITHUB_ENV') throw enospc()
        },
        fs: {
          statSync: (path) => stats[path],
          truncateSync: (path, length) => void truncated.push([path, length])
        }
      })
    ).toThrow('Nothing was set')
    expect(truncated).toEqual([['/work/output', 42]])
  })

  it('one file named by both variables is read once and named by the first', () => {
    const stat: string[] = []
    expect(() =>
      writeAllOrNothing([...outputs, variable], {
        env: { GITHUB_OUTPUT: '/same', GITHUB_ENV: '/same' },
        write: (entry) => {
          if (entry.file === 'GITHUB_ENV') throw enospc()
        },
        fs: {
          statSync: (path) => {
            stat.push(path)
            return { isFile: () => true, size: 3 }
          },
          truncateSync: () => {
            throw new Error('EIO')
          }
        }
      })
    ).toThrow('Could not put back GITHUB_OUTPUT ("/same": EIO) as it was')
    expect(stat).toEqual(['/same'])
  })

  it('names an unset variable\'s file as ""', () => {
    const device = {
      statSync: () => ({ isFile: () => false, size: 0 }),
      truncateSync: () => undefined
    }
    expect(() =>
      writeAllOrNothing(outputs, {
        env: {},
        write: () => {
          throw enospc()
        },
        fs: device
      })
    ).toThrow('writing to GITHUB_OUTPUT ("") failed')
    expect(() => writeAllOrNothing([variable], { env: {}, write: () => undefined })).toThrow(
      'Could not read GITHUB_ENV ("") before writing to it'
    )
  })

  it('records one length for both variables when they name the same file', () => {
    const path = join(dir, 'shared')
    writeFileSync(path, 'before\n')
    const env = { GITHUB_OUTPUT: path, GITHUB_ENV: path }
    const truncated: [string, number][] = []
    expect(() =>
      writeAllOrNothing([...outputs, variable], {
        env,
        write: appender(env, 3),
        fs: {
          statSync: (p) => ({ isFile: () => true, size: readFileSync(p).length }),
          truncateSync: (p, length) => void truncated.push([p, length])
        }
      })
    ).toThrow(ActionError)
    expect(truncated).toEqual([[path, 7]])
  })

  it('says which file it could not put back, and that it may hold the token', () => {
    const env = runnerFiles()
    expect(() =>
      writeAllOrNothing([...outputs, variable], {
        env,
        write: appender(env, 3),
        fs: {
          statSync: () => ({ isFile: () => true, size: 0 }),
          truncateSync: (path) => {
            if (path === env.GITHUB_ENV) throw new Error('EROFS: read-only file system')
          }
        }
      })
    ).toThrow(
      `. Could not put back GITHUB_ENV (${JSON.stringify(env.GITHUB_ENV)}: EROFS: read-only file ` +
        'system) as it was, so it may still hold values this step wrote, the token among them.'
    )
  })

  it('names both files when neither can be put back', () => {
    const env = { GITHUB_OUTPUT: '/a', GITHUB_ENV: '/b' }
    expect(() =>
      writeAllOrNothing([...outputs, variable], {
        env,
        write: (entry) => {
          // Not an Error: whatever a write throws is shown as text.
          const refusal: unknown = 'refused'
          if (entry.file === 'GITHUB_ENV') throw refusal
        },
        fs: {
          statSync: () => ({ isFile: () => true, size: 1 }),
          truncateSync: () => {
            throw new Error('EIO')
          }
        }
      })
    ).toThrow(
      'writing to GITHUB_ENV ("/b") failed: refused. Could not put back GITHUB_OUTPUT ("/a": ' +
        'EIO) and GITHUB_ENV ("/b": EIO) as it was'
    )
  })

  it('shows a thrown null as text', () => {
    const env = { GITHUB_OUTPUT: '/a', GITHUB_ENV: '/b' }
    const nothing: unknown = null
    expect(() =>
      writeAllOrNothing([variable], {
        env,
        write: () => {
          throw nothing
        },
        fs: { statSync: () => ({ isFile: () => false, size: 0 }), truncateSync: () => undefined }
      })
    ).toThrow('writing to GITHUB_ENV ("/b") failed: null. Nothing was set')
  })

  it('writes nothing when a file cannot be read before the first write', () => {
    const env = runnerFiles()
    const before = contents(env)
    expect(() =>
      writeAllOrNothing([...outputs, variable], {
        env: { ...env, GITHUB_ENV: join(dir, 'gone') },
        write: appender(env)
      })
    ).toThrow(
      `Could not read GITHUB_ENV (${JSON.stringify(join(dir, 'gone'))}) before writing to it: ` +
        'ENOENT: no such file or directory'
    )
    expect(contents(env)).toEqual(before)
  })

  it('writes nothing for no entries, and reads no file', () => {
    const write = (): void => {
      throw new Error('not expected')
    }
    const fs = {
      statSync: (): never => {
        throw new Error('not expected')
      },
      truncateSync: write
    }
    expect(() => writeAllOrNothing([], { env: {}, write, fs })).not.toThrow()
  })
})
