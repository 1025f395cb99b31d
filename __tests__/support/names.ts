/** Name resolution for tests, in place of the system's: no test asks the machine's resolver. */
import type { LookupFunction } from 'node:net'

/** A lookup that maps `names` to loopback addresses and answers ENOTFOUND for every other name. */
export function loopbackNames(
  names: Readonly<Partial<Record<string, string>>>,
  asked: string[] = []
): LookupFunction {
  return (hostname, options, callback) => {
    asked.push(hostname)
    const address = names[hostname]
    if (address === undefined) {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`)
      error.code = 'ENOTFOUND'
      error.syscall = 'getaddrinfo'
      process.nextTick(() => callback(error, ''))
      return
    }
    const family = address.includes(':') ? 6 : 4
    process.nextTick(() =>
      options.all ? callback(null, [{ address, family }]) : callback(null, address, family)
    )
  }
}

/** A resolver that never answers, as a hung DNS server looks to getaddrinfo; records the names. */
export function silentResolver(asked: string[] = []): LookupFunction {
  return (hostname) => {
    asked.push(hostname)
  }
}
