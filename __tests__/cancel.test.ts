/** The cancellation listener, driven by emitting the signals in-process (no real signal sent). */
import { describe, expect, it, jest } from '@jest/globals'
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cancelExitCode, cancelMessage, exitOnCancel, type CancelSignal } from '../src/cancel.js'
import { runningChildren } from '../src/children.js'
import { getentLookup } from '../src/lookup.js'

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`)
  }
}
const exit = (code: number): never => {
  throw new Exited(code)
}

describe('cancellation', () => {
  it.each([
    ['SIGINT', false, 130, 'The runner cancelled the step (SIGINT); stopped before any output'],
    ['SIGTERM', true, 143, 'The runner cancelled the step (SIGTERM); stopped after the outputs'],
    ['SIGINT', true, 130, 'The runner cancelled the step (SIGINT); stopped after the outputs']
  ] as [CancelSignal, boolean, number, string][])(
    '%s (outputs set: %s) logs what happened and exits %i',
    (signal, handedOver, code, message) => {
      const logged: string[] = []
      const stop = exitOnCancel(
        (m) => logged.push(m),
        () => handedOver,
        exit
      )
      try {
        expect(() => process.emit(signal, signal)).toThrow(new Exited(code))
        expect(logged).toHaveLength(1)
        expect(logged[0]).toContain(message)
        expect(logged[0]).toBe(cancelMessage(signal, handedOver))
      } finally {
        stop()
      }
    }
  )

  it('exit codes are those a shell reports for the signal', () => {
    expect(cancelExitCode('SIGINT')).toBe(130)
    expect(cancelExitCode('SIGTERM')).toBe(143)
  })

  it('removes its listeners when stopped, leaving none behind', () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]
    const stop = exitOnCancel(
      () => undefined,
      () => false,
      exit
    )
    expect(process.listenerCount('SIGINT')).toBe(before[0] + 1)
    expect(process.listenerCount('SIGTERM')).toBe(before[1] + 1)
    stop()
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before)
  })

  it('exits the process itself when given no exit function', () => {
    const spy = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Exited(Number(code))
    })
    const stop = exitOnCancel(
      () => undefined,
      () => false
    )
    try {
      expect(() => process.emit('SIGTERM', 'SIGTERM')).toThrow(new Exited(143))
      expect(spy).toHaveBeenCalledWith(143)
    } finally {
      stop()
      spy.mockRestore()
    }
  })
})

const posix = process.platform === 'win32' ? describe.skip : describe

posix('cancellation during a name lookup', () => {
  // A lookup waiting on a silent resolver: its deadline has not passed, and exit would not end it.
  it('ends a name lookup that is still running before it exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'getent-'))
    const getent = join(dir, 'getent')
    writeFileSync(getent, `#!/bin/sh\necho $$ > "${dir}/pid"\nexec sleep 30\n`)
    chmodSync(getent, 0o755)
    const fallback = () => undefined
    getentLookup(new AbortController().signal, getent, fallback)('a.test', {}, () => undefined)
    const pid = await (async () => {
      for (let i = 0; i < 100; i++) {
        const text = (() => {
          try {
            return readFileSync(join(dir, 'pid'), 'utf8').trim()
          } catch {
            return ''
          }
        })()
        if (text) return Number(text)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error('the stand-in getent did not start')
    })()
    expect(runningChildren()).toBe(1)
    const stop = exitOnCancel(
      () => undefined,
      () => false,
      exit
    )
    try {
      expect(() => process.emit('SIGINT', 'SIGINT')).toThrow(new Exited(130))
    } finally {
      stop()
    }
    expect(runningChildren()).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }))
  })
})
