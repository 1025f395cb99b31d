/** Name lookups inside the deadline: counted when given up on, and the process ended for them. */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { LookupFunction } from 'node:net'
import { abandonedLookups, deadlineLookup, endAbandonedLookups } from '../src/lookup.js'
import { silentResolver } from './support/names.js'

/** A resolver that answers only when the test says so. */
function heldResolver(): { resolve: LookupFunction; answer: () => void } {
  const waiting: (() => void)[] = []
  return {
    resolve: (_hostname, _options, callback) => {
      waiting.push(() => callback(null, '127.0.0.1', 4))
    },
    answer: () => waiting.shift()?.()
  }
}

const ask = (lookup: LookupFunction, name: string, answers: string[] = []): void =>
  lookup(name, {}, (error, address) => answers.push(error ? 'error' : String(address)))

describe('deadlineLookup', () => {
  it('passes the answer on and names what it still waits for', () => {
    const held = heldResolver()
    const names = deadlineLookup(new AbortController().signal, held.resolve)
    const answers: string[] = []
    expect(names.pending()).toBeUndefined()
    ask(names.lookup, 'logto.test', answers)
    expect(names.pending()).toBe('logto.test')
    held.answer()
    expect(names.pending()).toBeUndefined()
    expect(answers).toEqual(['127.0.0.1'])
    expect(abandonedLookups()).toBe(0)
  })

  it('counts a lookup still running at the deadline until its resolver answers', () => {
    const held = heldResolver()
    const controller = new AbortController()
    const names = deadlineLookup(controller.signal, held.resolve)
    ask(names.lookup, 'a.test')
    ask(names.lookup, 'b.test')
    held.answer()
    expect(abandonedLookups()).toBe(0)
    controller.abort()
    expect(abandonedLookups()).toBe(1)
    expect(names.pending()).toBe('b.test')
    held.answer()
    expect(abandonedLookups()).toBe(0)
  })

  it('counts a lookup started after the deadline', () => {
    const held = heldResolver()
    const controller = new AbortController()
    controller.abort()
    ask(deadlineLookup(controller.signal, held.resolve).lookup, 'late.test')
    expect(abandonedLookups()).toBe(1)
    held.answer()
    expect(abandonedLookups()).toBe(0)
  })
})

describe('endAbandonedLookups', () => {
  const { write: stdoutWrite } = process.stdout
  const { write: stderrWrite } = process.stderr
  const savedCode = process.exitCode
  afterEach(() => {
    Object.assign(process.stdout, { write: stdoutWrite })
    Object.assign(process.stderr, { write: stderrWrite })
    process.exitCode = savedCode
  })

  it('does nothing when no lookup was given up on', async () => {
    const exits: number[] = []
    await endAbandonedLookups((code) => exits.push(code))
    expect(exits).toEqual([])
  })

  it('flushes stdout and stderr, then exits with the code the action set', async () => {
    const controller = new AbortController()
    ask(deadlineLookup(controller.signal, silentResolver()).lookup, 'hung.test')
    controller.abort()
    expect(abandonedLookups()).toBe(1)

    const events: string[] = []
    const flushLater = (name: string) =>
      ((_chunk: unknown, done?: () => void) => {
        events.push(`${name} write`)
        setTimeout(() => {
          events.push(`${name} flushed`)
          done?.()
        }, 20)
        return true
      }) as typeof process.stdout.write
    Object.assign(process.stdout, { write: flushLater('stdout') })
    Object.assign(process.stderr, { write: flushLater('stderr') })
    process.exitCode = 1
    await endAbandonedLookups((code) => events.push(`exit ${code}`))
    expect(events.slice(-1)).toEqual(['exit 1'])
    expect(events).toEqual(
      expect.arrayContaining(['stdout write', 'stdout flushed', 'stderr write', 'stderr flushed'])
    )

    process.exitCode = undefined
    events.length = 0
    await endAbandonedLookups((code) => events.push(`exit ${code}`))
    expect(events.slice(-1)).toEqual(['exit 0'])
  })
})
