/**
 * Name resolution the way the system does it (getaddrinfo: hosts file, search domains), inside the
 * request's deadline. getaddrinfo cannot be cancelled: a lookup given up on still holds the
 * process open until the resolver answers (10 s and more with glibc's defaults), so the action
 * counts such lookups and ends the process itself once it has nothing else to do.
 */
import { lookup as systemLookup } from 'node:dns'
import type { LookupFunction } from 'node:net'

let abandoned = 0

/** Lookups given up on at a deadline whose resolver has not answered yet. */
export function abandonedLookups(): number {
  return abandoned
}

/** A lookup for one request, and the names it is still waiting for. */
export interface DeadlineLookup {
  readonly lookup: LookupFunction
  /** A name whose lookup has not answered, if any. */
  pending(): string | undefined
}

/**
 * Wraps `resolve` (the system's lookup by default) for one request: a lookup still running when
 * `signal` aborts is counted as abandoned until its answer, which then goes nowhere (the
 * request's socket is gone by then and ignores it).
 */
export function deadlineLookup(
  signal: AbortSignal,
  resolve: LookupFunction = systemLookup
): DeadlineLookup {
  const waiting: string[] = []
  const lookup: LookupFunction = (hostname, options, callback) => {
    waiting.push(hostname)
    let givenUp = false
    const giveUp = (): void => {
      givenUp = true
      abandoned++
    }
    if (signal.aborted) giveUp()
    else signal.addEventListener('abort', giveUp, { once: true })
    resolve(hostname, options, (...answer: Parameters<typeof callback>) => {
      signal.removeEventListener('abort', giveUp)
      waiting.splice(waiting.indexOf(hostname), 1)
      if (givenUp) abandoned--
      callback(...answer)
    })
  }
  return { lookup, pending: () => waiting[0] }
}

/**
 * Ends the process when an abandoned lookup is all that could keep it alive, once the action is
 * done: stdout and stderr are flushed first (they are asynchronous on pipes on macOS), and the
 * exit code is the one the action set.
 */
export async function endAbandonedLookups(
  exit: (code: number) => void = (code) => process.exit(code)
): Promise<void> {
  if (abandoned === 0) return
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) => new Promise<void>((done) => stream.write('', () => done()))
    )
  )
  exit(Number(process.exitCode ?? 0))
}
