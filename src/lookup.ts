/**
 * Name resolution the way the system does it (getaddrinfo: hosts file, search domains), inside the
 * request's deadline. getaddrinfo cannot be cancelled, and Node waits for a running one even in
 * process.exit (it joins its thread pool), so a resolver that never answers would hold the step
 * for 10 s and more after it failed. The lookup runs in a child process instead, ended at once
 * when the deadline passes: glibc's getent where there is one (it starts in about a millisecond,
 * Node in tens), else Node itself.
 */
import { spawn } from 'node:child_process'
import type { LookupAddress } from 'node:dns'
import { existsSync } from 'node:fs'
import { isIP, type LookupFunction } from 'node:net'
import { trackChild } from './children.js'
import { isLoopbackHost } from './endpoint.js'

/** Where glibc installs getent, on every Linux runner image. */
export const GETENT = '/usr/bin/getent'

/** A lookup for one request, and the name it is still waiting for. */
export interface DeadlineLookup {
  readonly lookup: LookupFunction
  /** A name whose lookup has not answered, if any. */
  pending(): string | undefined
}

// The child's whole program: dns.lookup with the options Node's connect asked for, as JSON.
const CHILD =
  'const [h, o] = process.argv.slice(1); require("node:dns").lookup(h, JSON.parse(o), ' +
  '(e, a, f) => process.stdout.write(JSON.stringify(e ? { code: e.code } : { a, f })))'

/**
 * The lookup one request uses until `signal` aborts: `resolve` when given (tests map names to
 * loopback with it), else the system's getaddrinfo in a child process that the abort ends.
 */
export function deadlineLookup(signal: AbortSignal, resolve?: LookupFunction): DeadlineLookup {
  const waiting: string[] = []
  const underlying = resolve ?? systemLookup(signal)
  const lookup: LookupFunction = (hostname, options, callback) => {
    waiting.push(hostname)
    underlying(hostname, options, (...answer: Parameters<typeof callback>) => {
      waiting.splice(waiting.indexOf(hostname), 1)
      callback(...loopbackOnly(hostname, answer))
    })
  }
  return { lookup, pending: () => waiting[0] }
}

type LookupAnswer = Parameters<Parameters<LookupFunction>[2]>

/**
 * A name the loopback rule calls loopback (`localhost`, `*.localhost`) is sent plain http and no
 * proxy on that ground, so it is connected to loopback addresses only, whatever a hosts file or a
 * nameserver answers for it.
 */
export function loopbackOnly(hostname: string, answer: LookupAnswer): LookupAnswer {
  const [error, address] = answer
  if (error || isIP(hostname) !== 0 || !isLoopbackHost(hostname)) return answer
  const list = Array.isArray(address) ? address : [{ address, family: answer[2] ?? 0 }]
  const kept = list.filter((each) => isLoopbackHost(each.address))
  if (kept.length === list.length) return answer
  if (kept.length > 0)
    return Array.isArray(address) ? [null, kept] : [null, kept[0].address, kept[0].family]
  const refused: NodeJS.ErrnoException = new Error(
    `${hostname} resolved to ${list.map((each) => each.address).join(', ')}, not to a loopback ` +
      'address, which localhost names must'
  )
  refused.code = 'ENOTFOUND'
  refused.syscall = 'getaddrinfo'
  return [refused, '']
}

/** The system's getaddrinfo in a child process: getent on Linux when it is there, else Node. */
export function systemLookup(
  signal: AbortSignal,
  getent = process.platform === 'linux' && existsSync(GETENT) ? GETENT : undefined
): LookupFunction {
  const node = childLookup(signal)
  return getent ? getentLookup(signal, getent, node) : node
}

/**
 * getaddrinfo through `getent ahosts` (AI_ADDRCONFIG, as Node's connect asks on Linux), killed when
 * `signal` aborts. Anything but a list of addresses goes to `fallback`, which also tells a name
 * that does not exist (ENOTFOUND) from a resolver that failed for now (EAI_AGAIN, retried): getent
 * exits 2 for both.
 */
export function getentLookup(
  signal: AbortSignal,
  getent: string,
  fallback: LookupFunction
): LookupFunction {
  return (hostname, options, callback) => {
    const database =
      options.family === 4 ? 'ahostsv4' : options.family === 6 ? 'ahostsv6' : 'ahosts'
    runChild(getent, [database, '--', hostname], signal, (error, code, output) => {
      const addresses = !error && code === 0 ? getentAddresses(output) : []
      if (addresses.length === 0) fallback(hostname, options, callback)
      else if (options.all) callback(null, addresses)
      else callback(null, addresses[0].address, addresses[0].family)
    })
  }
}

/** The addresses of `getent ahosts` output (one line per socket type), each once, in its order. */
export function getentAddresses(output: string): LookupAddress[] {
  const addresses: LookupAddress[] = []
  for (const line of output.split('\n')) {
    const address = line.split(/\s+/)[0]
    const family = isIP(address)
    if (family !== 0 && !addresses.some((known) => known.address === address)) {
      addresses.push({ address, family })
    }
  }
  return addresses
}

/** dns.lookup in a child process (same options, same environment), killed when `signal` aborts. */
export function childLookup(signal: AbortSignal, node = process.execPath): LookupFunction {
  return (hostname, options, callback) => {
    const args = ['-e', CHILD, '--', hostname, JSON.stringify(options)]
    runChild(node, args, signal, (error, _code, output) => {
      const reply = error ? {} : parseReply(output)
      if (error) callback(error, '')
      else if (reply.a === undefined) callback(lookupError(hostname, reply.code), '')
      else if (options.all) callback(null, reply.a)
      else callback(null, reply.a, reply.f)
    })
  }
}

/**
 * Runs a lookup program with the lookup's environment, killed when `signal` aborts, and calls
 * `done` once with its standard output, unless the deadline passed first: then the request is
 * gone, and nobody waits for an answer.
 */
function runChild(
  command: string,
  args: readonly string[],
  signal: AbortSignal,
  done: (error: Error | null, code: number | null, output: string) => void
): void {
  const child = spawn(command, args, {
    env: lookupEnvironment(process.env),
    stdio: ['ignore', 'pipe', 'ignore'],
    windowsHide: true
  })
  // Cancellation exits without waiting for the deadline; it ends the children on this list.
  trackChild(child)
  const stop = (): void => {
    child.kill('SIGKILL')
  }
  signal.addEventListener('abort', stop, { once: true })
  let output = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => (output += chunk))
  let settled = false
  const settle = (error: Error | null, code: number | null): void => {
    signal.removeEventListener('abort', stop)
    if (settled || signal.aborted) return
    settled = true
    done(error, code, output)
  }
  child.once('error', (error) => settle(error, null))
  child.once('close', (code) => settle(null, code))
}

/**
 * The child's environment: the resolver's own variables (LOCALDOMAIN, RES_OPTIONS, HOSTALIASES)
 * and the rest pass on; NODE_OPTIONS (which could load code or open an inspector port) and the
 * inputs, the app secret among them, do not.
 */
export function lookupEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => name.toUpperCase() !== 'NODE_OPTIONS' && !/^INPUT_/i.test(name)
    )
  )
}

interface LookupReply {
  a?: string | LookupAddress[]
  f?: number
  code?: string
}

function parseReply(output: string): LookupReply {
  try {
    return JSON.parse(output) as LookupReply
  } catch {
    return {}
  }
}

/** The error dns.lookup itself gives, or one saying the lookup ended without an answer. */
function lookupError(hostname: string, code: string | undefined): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    code
      ? `getaddrinfo ${code} ${hostname}`
      : `the name lookup of ${hostname} ended without an answer`
  )
  error.code = code
  error.syscall = 'getaddrinfo'
  return error
}
