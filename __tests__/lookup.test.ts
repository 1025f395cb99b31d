/** Name lookups inside the deadline: the system's getaddrinfo in a child the deadline ends. */
import { describe, expect, it } from '@jest/globals'
import type { LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { childLookup, deadlineLookup, lookupEnvironment } from '../src/lookup.js'

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

type Reply = { error?: string; address?: string | LookupAddress[]; family?: number }

const ask = (lookup: LookupFunction, name: string, options = {}): Promise<Reply> =>
  new Promise((resolve) =>
    lookup(name, options, (error, address, family) =>
      resolve(error ? { error: error.message } : { address, family })
    )
  )

const processes = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap').length

describe('deadlineLookup', () => {
  it('passes the answer on and names what it still waits for', async () => {
    const held = heldResolver()
    const names = deadlineLookup(new AbortController().signal, held.resolve)
    expect(names.pending()).toBeUndefined()
    const first = ask(names.lookup, 'a.test')
    const second = ask(names.lookup, 'b.test')
    expect(names.pending()).toBe('a.test')
    held.answer()
    expect(names.pending()).toBe('b.test')
    held.answer()
    expect(names.pending()).toBeUndefined()
    expect(await first).toEqual({ address: '127.0.0.1', family: 4 })
    await second
  })
})

// Only `localhost` is looked up for real: no test asks a nameserver (dist.lookup.test.ts stands
// one in on loopback).
describe('childLookup: getaddrinfo in a child process', () => {
  it.each([
    ['one address', {}],
    ['every address', { all: true }]
  ])('answers %s as dns.lookup does', async (_name, options) => {
    const signal = new AbortController().signal
    const reply = await ask(childLookup(signal), 'localhost', options)
    const expected = await ask(
      (hostname, opts, callback) =>
        void import('node:dns').then((dns) => dns.lookup(hostname, opts, callback)),
      'localhost',
      options
    )
    expect(reply).toEqual(expected)
  })

  it('is ended when the deadline passes, and answers nothing', async () => {
    const controller = new AbortController()
    const before = processes()
    let answered = false
    childLookup(controller.signal)('localhost', {}, () => (answered = true))
    expect(processes()).toBe(before + 1)
    controller.abort()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(processes()).toBe(before)
    expect(answered).toBe(false)
  })

  it('a child that cannot start is a lookup error', async () => {
    const reply = await ask(
      childLookup(new AbortController().signal, '/nonexistent/node'),
      'localhost'
    )
    expect(reply.error).toMatch(/ENOENT/)
  })

  it('a child that ends without an answer says so', async () => {
    // dns.lookup throws on an unknown family before it asks anything.
    const reply = await ask(childLookup(new AbortController().signal), 'localhost', { family: 5 })
    expect(reply).toEqual({ error: 'the name lookup of localhost ended without an answer' })
  })

  it('does not pass NODE_OPTIONS on', async () => {
    const saved = process.env.NODE_OPTIONS
    process.env.NODE_OPTIONS = '--require /nonexistent/preload.js'
    try {
      const reply = await ask(childLookup(new AbortController().signal), 'localhost')
      expect(reply.error).toBeUndefined()
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS
      else process.env.NODE_OPTIONS = saved
    }
  })
})

describe('lookupEnvironment', () => {
  it('passes the resolver its variables, never NODE_OPTIONS or an input', () => {
    expect(
      lookupEnvironment({
        PATH: '/usr/bin',
        LOCALDOMAIN: 'corp.example',
        RES_OPTIONS: 'ndots:2',
        SystemRoot: 'C:\\Windows',
        NODE_OPTIONS: '--inspect',
        node_options: '--inspect',
        'INPUT_APP-SECRET': 'secret',
        input_endpoint: 'https://x',
        MY_INPUT_X: 'kept'
      })
    ).toEqual({
      PATH: '/usr/bin',
      LOCALDOMAIN: 'corp.example',
      RES_OPTIONS: 'ndots:2',
      SystemRoot: 'C:\\Windows',
      MY_INPUT_X: 'kept'
    })
  })
})
