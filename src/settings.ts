/** Parses and validates every input into one read-only settings object, before any request. */
import { InputError } from './errors.js'
import {
  basePath,
  cloudEndpoint,
  customDomainWarning,
  isLoopbackHost,
  managementApiResource,
  managementApiTenant,
  organizationAudience,
  tenantFromHost
} from './endpoint.js'
import { hasControlCharacter } from './log-text.js'
import { parseProxySettings, type ProxyConfig } from './proxy-settings.js'
import { invalidScope, parseScopes } from './scopes.js'
import { MAX_WARNING_DAYS } from './secret-expiry.js'

/** How the app authenticates at the token endpoint. */
export type AuthMethod = 'client_secret_basic' | 'client_secret_post'

/** Everything the action needs, validated. */
export interface Settings {
  /** Base endpoint without the `/oidc` part, e.g. https://tenant.logto.app */
  readonly endpoint: string
  readonly tokenUrl: string
  readonly appId: string
  readonly appSecret: string
  /** The `resource` parameter to send; undefined sends none (organization tokens). */
  readonly resource: string | undefined
  /** The audience the token is for: the resource, or the organization URN. */
  readonly audience: string
  readonly scopes: readonly string[]
  readonly organizationId: string | undefined
  readonly authMethod: AuthMethod
  readonly failOnMissingScopes: boolean
  readonly exportEnv: boolean
  readonly envName: string
  readonly retries: number
  readonly timeoutMs: number
  readonly summary: boolean
  /** Days before the secret's expiry from which to warn; 0 turns the check off. */
  readonly secretExpiryWarningDays: number
  /** The proxy every request to the endpoint goes through; undefined: directly. */
  readonly proxy: ProxyConfig | undefined
  /** Things worth telling the author that do not stop the run. */
  readonly warnings: readonly string[]
}

/** Reads one raw input by its action.yml name; empty string when unset. */
export type InputReader = (name: string) => string

const MAX_RETRIES = 10
const MAX_TIMEOUT_SECONDS = 600
// The deadline is kept in whole milliseconds; a smaller timeout would round to 0 and fail every
// attempt at once.
const MIN_TIMEOUT_SECONDS = 0.001
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
// env-name admits only token names: shells, runtimes and toolchains read their settings from names
// such as PATH, POSIXLY_CORRECT, CLASSPATH, GOFLAGS or OPENSSL_CONF, none of which ends in _TOKEN.
// An allow rule, as a list of refused names is never complete. Among token names, the prefixes
// the runner and GitHub's own tools read tokens from are refused (GITHUB_TOKEN,
// ACTIONS_RUNTIME_TOKEN, gh's GH_TOKEN, the NODE_AUTH_TOKEN that actions/setup-node's .npmrc
// reads). Compared without regard to case, as Windows does.
const ENV_NAME_SUFFIX = '_TOKEN'
const RESERVED_ENV_PREFIXES = ['GITHUB_', 'RUNNER_', 'ACTIONS_', 'INPUT_', 'STATE_', 'GH_', 'NODE_']
const ENV_NAME_FORM =
  'letters, digits and _, not starting with a digit, ending in _TOKEN and not starting with ' +
  'GITHUB_, RUNNER_, ACTIONS_, INPUT_, STATE_, GH_ or NODE_ (in any case), e.g. ' +
  'LOGTO_ACCESS_TOKEN or PRODUCTS_API_TOKEN'
const FORK_HINT =
  'If it comes from a secret: workflows triggered from forks get no secrets, Dependabot runs get ' +
  'only Dependabot secrets (not Actions secrets), and a secret name that does not exist reads as ' +
  'empty.'

/**
 * Builds the settings from raw inputs and the proxy variables of `env`, or throws an InputError
 * naming the bad input or variable.
 */
export function parseSettings(read: InputReader, env: NodeJS.ProcessEnv = process.env): Settings {
  const input = (name: string): string => printableInput(name, read(name).trim())
  const warnings: string[] = []

  const { endpoint, tenant, url } = parseEndpoint(input('endpoint'), input('tenant-id'), warnings)
  const appId = required('app-id', input('app-id'))
  if (/\s/.test(appId)) throw new InputError('app-id', 'Input app-id must not contain whitespace.')
  // Trimmed like any input: a secret pasted with a trailing newline would otherwise fail as 401.
  const appSecret = required('app-secret', input('app-secret'))

  const organizationId = optionalId('organization-id', input('organization-id'))
  const rawResource = input('resource')
  let resource: string | undefined
  if (rawResource) resource = parseResource(rawResource)
  else if (!organizationId) resource = managementApiResource(tenant)

  const rawScope = read('scope')
  // Scopes may be separated by line breaks and tabs; any other control character is refused.
  printableInput('scope', rawScope.replace(/[\t\r\n]/g, ' '))
  let scopes = parseScopes(rawScope)
  const bad = invalidScope(scopes)
  if (bad !== undefined) {
    throw new InputError(
      'scope',
      `Input scope has an invalid scope "${bad}": scopes are separated by spaces, commas or ` +
        `newlines, and may not contain " or \\.`
    )
  }
  // Only separators (", " or blank lines) read as empty, like an unset input.
  if (scopes.length === 0 && resource && managementApiTenant(resource)) {
    scopes = ['all']
  }

  if (resource) {
    const warning = customDomainWarning(resource, url.hostname)
    if (warning) warnings.push(warning)
  }
  const proxySettings = parseProxySettings(url, env)
  warnings.push(...proxySettings.warnings)

  return Object.freeze({
    endpoint,
    tokenUrl: `${endpoint}/oidc/token`,
    appId,
    appSecret,
    resource,
    audience: resource ?? organizationAudience(organizationId as string),
    scopes: Object.freeze(scopes),
    organizationId,
    authMethod: parseAuthMethod(input('auth-method')),
    failOnMissingScopes: parseBoolean(
      'fail-on-missing-scopes',
      input('fail-on-missing-scopes'),
      true
    ),
    exportEnv: parseBoolean('export-env', input('export-env'), true),
    envName: parseEnvName(input('env-name')),
    retries: parseRetries(input('retries')),
    timeoutMs: parseTimeout(input('timeout')),
    summary: parseBoolean('summary', input('summary'), true),
    secretExpiryWarningDays: parseWarningDays(input('secret-expiry-warning-days')),
    proxy: proxySettings.proxy,
    warnings: Object.freeze(warnings)
  })
}

/** The input, unless it holds a control character or line break (app-secret: checked in main). */
function printableInput(name: string, value: string): string {
  if (name === 'app-secret' || !hasControlCharacter(value)) return value
  throw new InputError(
    name,
    `Input ${name} contains a control character or line break, which no ${name} has: give it ` +
      'on one line, without tabs or other control characters.'
  )
}

// Inputs arrive trimmed (see parseSettings).
function required(name: string, value: string): string {
  if (value) return value
  throw new InputError(name, `Input ${name} is required but empty. ${FORK_HINT}`)
}

function parseEndpoint(
  rawEndpoint: string,
  rawTenant: string,
  warnings: string[]
): { endpoint: string; tenant: string | undefined; url: URL } {
  if (rawEndpoint && rawTenant) {
    throw new InputError(
      'endpoint',
      'Inputs endpoint and tenant-id were both given: give endpoint (any Logto URL) or ' +
        'tenant-id (Logto Cloud), not both.'
    )
  }
  if (!rawEndpoint && !rawTenant) {
    throw new InputError(
      'endpoint',
      'Input endpoint or tenant-id is required: endpoint is the Logto URL ' +
        '(e.g. https://your-tenant.logto.app), tenant-id the Logto Cloud tenant ID.'
    )
  }
  if (rawTenant) {
    const tenant = rawTenant.toLowerCase()
    if (!TENANT_ID.test(tenant)) {
      throw new InputError(
        'tenant-id',
        `Input tenant-id "${rawTenant}" is not a Logto Cloud tenant ID: letters, digits and ` +
          'hyphens, as in https://{tenant-id}.logto.app.'
      )
    }
    const endpoint = cloudEndpoint(tenant)
    return { endpoint, tenant, url: new URL(endpoint) }
  }
  const accepted =
    'an http(s) URL such as https://your-tenant.logto.app or https://auth.example.com, ' +
    'optionally ending in /oidc or /oidc/token'
  let url: URL
  try {
    url = new URL(rawEndpoint)
  } catch {
    throw new InputError(
      'endpoint',
      `Input endpoint "${rawEndpoint}" is not a URL: use ${accepted}.`
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('endpoint', `Input endpoint must use http or https: use ${accepted}.`)
  }
  if (url.username || url.password) {
    throw new InputError(
      'endpoint',
      'Input endpoint must not contain credentials: pass them as app-id and app-secret.'
    )
  }
  if (url.search || url.hash) {
    throw new InputError(
      'endpoint',
      `Input endpoint must not have a query or fragment: use ${accepted}.`
    )
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    warnings.push(
      `Input endpoint uses plain http to ${url.host}: the app secret and the token cross the ` +
        'network unencrypted. Use https unless Logto runs as a service container on this runner.'
    )
  }
  const endpoint = `${url.protocol}//${url.host}${basePath(url.pathname)}`
  return { endpoint, tenant: tenantFromHost(url.hostname), url }
}

function parseResource(raw: string): string {
  const accepted = 'an absolute URI without a fragment, exactly as the API identifier in Logto'
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new InputError('resource', `Input resource "${raw}" is not ${accepted}.`)
  }
  if (raw.includes('#') || url.hash) {
    throw new InputError('resource', `Input resource "${raw}" has a fragment: use ${accepted}.`)
  }
  return raw
}

function optionalId(name: string, raw: string): string | undefined {
  if (!raw) return undefined
  if (/[\s/?#]/.test(raw)) {
    throw new InputError(name, `Input ${name} "${raw}" must be an ID without spaces, /, ? or #.`)
  }
  return raw
}

function parseAuthMethod(raw: string): AuthMethod {
  if (!raw || raw === 'client_secret_basic') return 'client_secret_basic'
  if (raw === 'client_secret_post') return 'client_secret_post'
  throw new InputError(
    'auth-method',
    `Input auth-method "${raw}" is not supported: use client_secret_basic or client_secret_post.`
  )
}

/** Parses true/false (any case, as @actions/core does); empty gives the default. */
export function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  if (!raw) return fallback
  const value = raw.toLowerCase()
  if (value === 'true') return true
  if (value === 'false') return false
  throw new InputError(name, `Input ${name} "${raw}" is not a boolean: use true or false.`)
}

function parseEnvName(raw: string): string {
  if (!raw) return 'LOGTO_ACCESS_TOKEN'
  const problem = envNameProblem(raw)
  if (problem === undefined) return raw
  throw new InputError('env-name', `Input env-name "${raw}" ${problem}: use ${ENV_NAME_FORM}.`)
}

/** Why env-name refuses a variable name, or undefined when it is accepted. */
export function envNameProblem(name: string): string | undefined {
  if (!IDENTIFIER.test(name)) return 'is not a valid variable name'
  const upper = name.toUpperCase()
  if (!upper.endsWith(ENV_NAME_SUFFIX)) {
    return (
      'does not end in _TOKEN, so the shells, runtimes or toolchains of later steps could read ' +
      'it as a setting'
    )
  }
  const prefix = RESERVED_ENV_PREFIXES.find((p) => upper.startsWith(p))
  return prefix === undefined
    ? undefined
    : `starts with ${prefix}, a prefix the runner or GitHub's tools read tokens from`
}

function parseRetries(raw: string): number {
  if (!raw) return 3
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_RETRIES) {
    throw new InputError(
      'retries',
      `Input retries "${raw}" is not accepted: use a whole number from 0 to ${MAX_RETRIES}.`
    )
  }
  return Number(raw)
}

function parseTimeout(raw: string): number {
  if (!raw) return 30_000
  const seconds = /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : NaN
  if (!(seconds >= MIN_TIMEOUT_SECONDS && seconds <= MAX_TIMEOUT_SECONDS)) {
    throw new InputError(
      'timeout',
      `Input timeout "${raw}" is not accepted: use a number of seconds from ` +
        `${MIN_TIMEOUT_SECONDS} (1 ms) to ${MAX_TIMEOUT_SECONDS}.`
    )
  }
  return Math.round(seconds * 1000)
}

function parseWarningDays(raw: string): number {
  if (!raw) return 30
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_WARNING_DAYS) {
    throw new InputError(
      'secret-expiry-warning-days',
      `Input secret-expiry-warning-days "${raw}" is not accepted: use a whole number of days ` +
        `from 0 to ${MAX_WARNING_DAYS} (0 turns the check off).`
    )
  }
  return Number(raw)
}
