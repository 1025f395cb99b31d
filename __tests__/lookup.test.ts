/** Name lookups inside the deadline: the system's getaddrinfo in a child the deadline ends. */
import { describe, expect, it } from '@jest/globals'
import { ADDRCONFIG, type LookupAddress } from 'node:dns'
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import type { LookupFunction } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  childLookup,
  deadlineLookup,
  getentAddresses,
  getentLookup,
  lookupEnvironment,
  loopbackOnly,
  systemLookup
} from '../src/lookup.js'

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
    // A "node" that never answers, so only the abort can end it.
    const hung = process.platform === 'win32' ? process.execPath : fakeProgram('exec sleep 30')
    await new Promise((resolve) => setTimeout(resolve, 200))
    const before = processes()
    let answered = false
    childLookup(controller.signal, hung)('localhost', {}, () => (answered = true))
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

  it('answers once when the child cannot start', async () => {
    // A child that cannot start reports an error and then closes.
    let answers = 0
    childLookup(new AbortController().signal, '/nonexistent/node')('localhost', {}, () => answers++)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(answers).toBe(1)
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

describe('getentAddresses', () => {
  it.each([
    ['no output', '', []],
    [
      'one line per socket type, each address once',
      '127.0.0.1       STREAM localhost\n127.0.0.1       DGRAM  \n127.0.0.1       RAW    \n',
      [{ address: '127.0.0.1', family: 4 }]
    ],
    [
      'the order kept, IPv6 too',
      '::1  STREAM localhost\n::1 DGRAM\n127.0.0.1 STREAM\n127.0.0.1 RAW\n',
      [
        { address: '::1', family: 6 },
        { address: '127.0.0.1', family: 4 }
      ]
    ],
    ['lines that are not addresses', 'getent: oops\n\n  \n', []]
  ])('%s', (_name, output, expected) => {
    expect(getentAddresses(output)).toEqual(expected)
  })
})

// Stand-ins for getent and node are shell scripts; the real one answers only for `localhost`.
const posix = process.platform === 'win32' ? describe.skip : describe

/** An executable script that plays getent, or node. */
function fakeProgram(body: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'getent-')), 'getent')
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

/** A fallback that records each call and answers with a fixed address. */
function recordingFallback(): { lookup: LookupFunction; calls: unknown[][] } {
  const calls: unknown[][] = []
  return {
    calls,
    lookup: (hostname, options, callback) => {
      calls.push([hostname, options])
      callback(null, '127.0.0.99', 4)
    }
  }
}

posix('getentLookup: getaddrinfo through getent', () => {
  const signal = new AbortController().signal
  // Answers only for `a.test` after `--`, with an address that says which database was asked.
  const script = fakeProgram(
    '[ "$2" = "--" ] && [ "$3" = "a.test" ] || exit 2\n' +
      'case "$1" in\n' +
      '  ahostsv4) echo "127.0.0.4       STREAM a.test" ;;\n' +
      '  ahostsv6) echo "::6             STREAM a.test" ;;\n' +
      '  ahosts) printf "127.0.0.1 STREAM a.test\\n127.0.0.1 DGRAM\\n::1 STREAM\\n" ;;\n' +
      'esac'
  )

  it.each([
    ['any family, one address', {}, { address: '127.0.0.1', family: 4 }],
    [
      'any family, every address',
      { all: true },
      {
        address: [
          { address: '127.0.0.1', family: 4 },
          { address: '::1', family: 6 }
        ]
      }
    ],
    ['IPv4 only', { family: 4 }, { address: '127.0.0.4', family: 4 }],
    ['IPv6 only', { family: 6, all: true }, { address: [{ address: '::6', family: 6 }] }]
  ])('%s', async (_name, options, expected) => {
    const fallback = recordingFallback()
    expect(await ask(getentLookup(signal, script, fallback.lookup), 'a.test', options)).toEqual(
      expected
    )
    expect(fallback.calls).toEqual([])
  })

  it.each([
    ['a name getent does not know (exit 2)', script],
    ['getent without the database (exit 1)', fakeProgram('exit 1')],
    ['an answer without addresses', fakeProgram('echo nothing here')],
    ['getent that fails after printing an address', fakeProgram('echo "127.0.0.5 STREAM"; exit 1')],
    ['no getent at all', '/nonexistent/getent']
  ])('%s: the fallback answers, with the same question', async (_name, getent) => {
    const fallback = recordingFallback()
    const reply = await ask(getentLookup(signal, getent, fallback.lookup), 'b.test', {
      family: 4
    })
    expect(reply).toEqual({ address: '127.0.0.99', family: 4 })
    expect(fallback.calls).toEqual([['b.test', { family: 4 }]])
  })

  it('is ended when the deadline passes, and neither answers nor falls back', async () => {
    const controller = new AbortController()
    const fallback = recordingFallback()
    const sleeper = fakeProgram('exec sleep 30')
    // Children of earlier tests may still be closing.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const before = processes()
    let answered = false
    getentLookup(controller.signal, sleeper, fallback.lookup)('a.test', {}, () => (answered = true))
    expect(processes()).toBe(before + 1)
    controller.abort()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(processes()).toBe(before)
    expect(answered).toBe(false)
    expect(fallback.calls).toEqual([])
  })

  it('does not pass the inputs on', async () => {
    process.env['INPUT_APP-SECRET'] = 'the-secret'
    try {
      const echo = fakeProgram('env | grep -q the-secret && exit 2; echo "127.0.0.5 STREAM"')
      const fallback = recordingFallback()
      expect(await ask(getentLookup(signal, echo, fallback.lookup), 'a.test')).toEqual({
        address: '127.0.0.5',
        family: 4
      })
    } finally {
      delete process.env['INPUT_APP-SECRET']
    }
  })

  it('systemLookup asks the getent it is given first', async () => {
    // localhost, so that a systemLookup that skipped getent would still ask no nameserver.
    const localhost = fakeProgram('[ "$3" = localhost ] && echo "127.0.0.77 STREAM localhost"')
    expect(await ask(systemLookup(signal, localhost), 'localhost')).toEqual({
      address: '127.0.0.77',
      family: 4
    })
  })
})

posix('childLookup with a stand-in for node', () => {
  const signal = new AbortController().signal

  it("gives the child this process's environment, less what it must not see", async () => {
    process.env.LOOKUP_TEST_ADDRESS = '127.0.0.42'
    try {
      const node = fakeProgram(`printf '{"a":"%s","f":4}' "$LOOKUP_TEST_ADDRESS"`)
      expect(await ask(childLookup(signal, node), 'a.test')).toEqual({
        address: '127.0.0.42',
        family: 4
      })
    } finally {
      delete process.env.LOOKUP_TEST_ADDRESS
    }
  })

  it('fails with the code the child reports, as dns.lookup does', async () => {
    const node = fakeProgram(`printf '{"code":"ENOTFOUND"}'`)
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      childLookup(signal, node)('b.test', {}, resolve)
    )
    expect(error).toMatchObject({
      message: 'getaddrinfo ENOTFOUND b.test',
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo'
    })
  })
})

describe('systemLookup: the real resolver, for localhost only', () => {
  const inProcess: LookupFunction = (hostname, options, callback) =>
    void import('node:dns').then((dns) => dns.lookup(hostname, options, callback))

  // Node's connect asks for AI_ADDRCONFIG on Linux, as getent ahosts does.
  it.each([
    ['one address', { hints: ADDRCONFIG }],
    ['every address', { all: true, hints: ADDRCONFIG }]
  ])('answers %s as dns.lookup does', async (_name, options) => {
    const signal = new AbortController().signal
    expect(await ask(systemLookup(signal), 'localhost', options)).toEqual(
      await ask(inProcess, 'localhost', options)
    )
  })

  it('uses getent on Linux where it is installed, Node elsewhere', async () => {
    // With no Node to start, only getent can answer.
    const saved = process.execPath
    process.execPath = '/nonexistent/node'
    try {
      const reply = await ask(systemLookup(new AbortController().signal), 'localhost')
      // The path itself, not GETENT: a wrong constant must fail here.
      const getent = process.platform === 'linux' && existsSync('/usr/bin/getent')
      expect(reply.error ?? 'answered').toMatch(getent ? /^answered$/ : /ENOENT/)
    } finally {
      process.execPath = saved
    }
  })
})

describe('loopbackOnly: localhost names reach loopback addresses only', () => {
  const v4 = { address: '127.0.0.1', family: 4 }
  const v6 = { address: '::1', family: 6 }
  const away = { address: '192.0.2.1', family: 4 }
  const error = new Error('x')
  it.each([
    ['localhost', [null, [v4, v6]], [null, [v4, v6]]],
    ['logto.localhost', [null, [away, v4]], [null, [v4]]],
    ['logto.localhost', [null, '127.0.0.2', 4], [null, '127.0.0.2', 4]],
    ['LocalHost.', [null, [away, v6]], [null, [v6]]],
    ['logto.test', [null, [away]], [null, [away]]],
    ['127.0.0.1', [null, '127.0.0.1', 4], [null, '127.0.0.1', 4]],
    ['localhost', [error, ''], [error, '']]
  ] as [string, Parameters<typeof loopbackOnly>[1], unknown][])(
    '%s answered %j',
    (hostname, answer, expected) => {
      expect(loopbackOnly(hostname, answer)).toEqual(expected)
    }
  )

  it('refuses a localhost name that resolved elsewhere only, naming every address', () => {
    expect(loopbackOnly('logto.localhost', [null, '192.0.2.1', 4])[0]).toMatchObject({
      code: 'ENOTFOUND',
      message:
        'logto.localhost resolved to 192.0.2.1, not to a loopback address, which localhost names must'
    })
  })

  it('names every address when none is loopback', () => {
    const [refused] = loopbackOnly('localhost', [
      null,
      [away, { address: '2001:db8::1', family: 6 }]
    ])
    expect(refused?.message).toBe(
      'localhost resolved to 192.0.2.1, 2001:db8::1, not to a loopback address, which localhost ' +
        'names must'
    )
  })
})
