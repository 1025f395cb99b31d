/**
 * The proxy variables as settings: HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case forms,
 * read once before any request. Pure: the environment comes in as a value.
 */
import { isIP } from 'node:net'
import { isLoopbackHost } from './endpoint.js'
import { InputError } from './errors.js'
import { quote } from './log-text.js'
import { breaksMaskCommand, unmaskableReason } from './mask-command.js'

/** The proxy a request goes through; `hostname` as a URL writes it (IPv6 in brackets). */
export interface ProxyConfig {
  /** The variable the URL came from, e.g. HTTPS_PROXY or http_proxy. */
  readonly variable: string
  readonly protocol: 'http:' | 'https:'
  readonly hostname: string
  /** Empty for the scheme's default port. */
  readonly port: string
  /** Percent-decoded, as sent in Proxy-Authorization. */
  readonly username: string
  readonly password: string
  /**
   * Every form of the password a peer or a message could show: decoded, as written in the
   * variable, as the URL parser spells it, and the Basic value; none without a password.
   */
  readonly credentialForms: readonly string[]
}

/** What the proxy variables say for one endpoint. */
export interface ProxySettings {
  /** The proxy the endpoint is reached through; undefined: directly. */
  readonly proxy: ProxyConfig | undefined
  /** NO_PROXY entries that match nothing, each named once. */
  readonly warnings: readonly string[]
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i
// http: or https: without //, or any scheme with one slash: a URL with its // cut short.
const HALF_SCHEME = /^(?:https?:(?!\/\/)|[a-z][a-z0-9+.-]*:\/(?!\/))/i
const ACCEPTED =
  'use http://host:port or https://host:port, with credentials percent-encoded as ' +
  'http://user:password@host:port (a value without a scheme is read as http://)'

/**
 * The proxy for `endpoint` and the NO_PROXY warnings. Only the variable of the endpoint's scheme
 * is read, and only when neither the loopback rule nor NO_PROXY sends the endpoint directly: a
 * variable that would be used but cannot be is an InputError naming it, never its value.
 */
export function parseProxySettings(endpoint: URL, env: NodeJS.ProcessEnv): ProxySettings {
  const noProxyVariable = env.no_proxy ? 'no_proxy' : 'NO_PROXY'
  const noProxy = env[noProxyVariable] ?? ''
  const warnings = Object.freeze(noProxyWarnings(noProxyVariable, noProxy))
  const variable = proxyVariable(endpoint.protocol, env)
  if (variable === undefined || bypassesProxy(endpoint, noProxy)) {
    return Object.freeze({ proxy: undefined, warnings })
  }
  return Object.freeze({ proxy: parseProxyUrl(variable, env[variable] ?? ''), warnings })
}

/**
 * The variable a request to a `protocol` URL takes its proxy from, as @actions/http-client and
 * curl choose: the lower-case one when it is set, else the upper-case one; undefined for none.
 */
export function proxyVariable(protocol: string, env: NodeJS.ProcessEnv): string | undefined {
  const upper = protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'
  const lower = upper.toLowerCase()
  if (env[lower]?.trim()) return lower
  return env[upper]?.trim() ? upper : undefined
}

/**
 * A proxy URL, read as curl reads it: without a scheme it is http://. Refused (an InputError
 * naming the variable and the accepted form, never the value or its credentials) when it does not
 * parse, its credentials do not percent-decode, or its scheme is neither http nor https.
 */
export function parseProxyUrl(variable: string, raw: string): ProxyConfig {
  const refuse = (why: string): InputError =>
    new InputError(
      variable,
      `${variable} is not a proxy URL the action can use: ${why}; ${ACCEPTED}.`
    )
  const value = raw.trim()
  // Read as http://, `http:/proxy:3128` would name the host "http", `socks5:/p` "socks5".
  if (HALF_SCHEME.test(value)) throw refuse('its scheme is not followed by //')
  const scheme = SCHEME.exec(value)?.[1].toLowerCase()
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw refuse(`its scheme ${quote(scheme)} is not supported`)
  }
  let url: URL
  try {
    url = new URL(scheme === undefined ? `http://${value}` : value)
  } catch {
    throw refuse('it does not parse as a URL (is the port a number up to 65535?)')
  }
  if (!url.hostname) throw refuse('it names no host')
  let username: string
  let password: string
  try {
    username = decodeURIComponent(url.username)
    password = decodeURIComponent(url.password)
  } catch {
    throw refuse('its user name or password has a % that does not start an escape such as %40')
  }
  const credentialForms =
    password === ''
      ? []
      : [
          ...new Set([
            password,
            url.password,
            writtenPassword(value),
            proxyBasic(username, password)
          ])
        ].filter((form) => form !== '')
  // Refused before anything is masked: the mask command itself would print it on act.
  if (credentialForms.some(breaksMaskCommand)) throw refuse(unmaskableReason('its password'))
  return Object.freeze({
    variable,
    protocol: url.protocol as ProxyConfig['protocol'],
    hostname: url.hostname,
    port: url.port,
    username,
    password,
    credentialForms: Object.freeze(credentialForms)
  })
}

/** The base64 value of a proxy's `Basic` Proxy-Authorization, from the decoded credentials. */
export function proxyBasic(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64')
}

/** The password as the variable spells it: what an echo of the raw value would show. */
function writtenPassword(value: string): string {
  const authority = value.replace(SCHEME, '').split(/[/?#\\]/, 1)[0]
  const at = authority.lastIndexOf('@')
  if (at < 0) return ''
  const userinfo = authority.slice(0, at)
  const colon = userinfo.indexOf(':')
  return colon < 0 ? '' : userinfo.slice(colon + 1)
}

/**
 * True when `target` is reached directly: loopback (the action's rule), or matched by a NO_PROXY
 * entry as @actions/http-client matches one (name, `.suffix`, `name:port`, `*`; case-insensitive).
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  if (isLoopbackHost(target.hostname)) return true
  if (!target.hostname) return false
  const host = target.hostname.toUpperCase()
  const port = target.port || (target.protocol === 'https:' ? '443' : '80')
  const hosts = [host, `${host}:${port}`]
  return noProxyEntries(noProxy).some(
    (entry) =>
      entry === '*' ||
      hosts.some(
        (candidate) =>
          candidate === entry ||
          candidate.endsWith(`.${entry}`) ||
          (entry.startsWith('.') && candidate.endsWith(entry))
      )
  )
}

/** One warning for each NO_PROXY entry that matches no host (CIDR, bare IPv6, inner `*`). */
export function noProxyWarnings(variable: string, noProxy: string): string[] {
  const seen = new Set<string>()
  const warnings: string[] = []
  for (const entry of noProxy.split(',').map((item) => item.trim())) {
    const problem = entryProblem(entry)
    if (problem === undefined || seen.has(entry)) continue
    seen.add(entry)
    warnings.push(
      `${variable} entry "${quote(entry)}" is ${problem.why}, which NO_PROXY matching does not ` +
        `understand, so ${problem.effect}: list host names (which cover their subdomains), ` +
        '.domain suffixes, host:port, IPv4 addresses, IPv6 addresses in brackets ' +
        '([2001:db8::1]), or * alone.'
    )
  }
  return warnings
}

const NO_HOST = 'it sends no host around the proxy'

function entryProblem(entry: string): { why: string; effect: string } | undefined {
  if (entry.includes('/')) return { why: 'a CIDR range or a URL', effect: NO_HOST }
  if (!entry.startsWith('[') && (isIP(entry) === 6 || /:.*:/.test(entry))) {
    return { why: 'an IPv6 address without brackets', effect: NO_HOST }
  }
  // A URL's host may hold `*`, so the entry matches a host spelled with it, as a name would.
  if (entry.includes('*') && entry !== '*') {
    return {
      why: 'a pattern with *',
      effect:
        'it sends around the proxy only a host spelled with that * itself, not the hosts it stands for'
    }
  }
  return undefined
}

function noProxyEntries(noProxy: string): string[] {
  return noProxy
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter((item) => item)
}
