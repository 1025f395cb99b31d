/** Pure rules of the app secret expiry check: the list, the secret in use, the window, the text. */
import { timingSafeEqual } from 'node:crypto'
import { managementApiTenant } from './endpoint.js'
import { quote } from './log-text.js'
import { parseScopes } from './scopes.js'

/** One entry of `GET /api/applications/{id}/secrets`, checked. */
export interface SecretEntry {
  readonly name: string
  readonly value: string
  /** Epoch milliseconds; null when the secret never expires. */
  readonly expiresAt: number | null
}

/** The list, or why it cannot be used. */
export type SecretList =
  | { readonly entries: readonly SecretEntry[]; readonly problem?: undefined }
  | { readonly entries?: undefined; readonly problem: string }

/** The largest time a Date can hold, in epoch milliseconds. */
const MAX_DATE_MS = 8.64e15
const DAY_MS = 24 * 60 * 60 * 1000

/** The largest secret-expiry-warning-days accepted: ten years. */
export const MAX_WARNING_DAYS = 3650

/** True when a token with this audience and granted scope can read the app's secrets. */
export function isManagementToken(audience: string, grantedScope: string): boolean {
  return managementApiTenant(audience) !== undefined && parseScopes(grantedScope).includes('all')
}

/**
 * Every string `value` of the object entries of a list, whatever else the entries hold: what to
 * mask before the list is looked at any further.
 */
export function secretValues(json: unknown): string[] {
  if (!Array.isArray(json)) return []
  const values: string[] = []
  for (const entry of json as unknown[]) {
    if (!isObject(entry)) continue
    const value = entry.value
    if (typeof value === 'string' && value.length > 0) values.push(value)
  }
  return values
}

/** Checks a parsed answer: a list of entries with a string name and value and a usable expiry. */
export function readSecretList(json: unknown): SecretList {
  if (!Array.isArray(json)) return { problem: 'the answer is not a list of secrets' }
  const entries: SecretEntry[] = []
  for (const [index, entry] of (json as unknown[]).entries()) {
    const odd = oddEntry(entry)
    if (odd) return { problem: `entry ${index + 1} of the list ${odd}` }
    const { name, value, expiresAt } = entry as { name: string; value: string; expiresAt: unknown }
    entries.push({ name, value, expiresAt: expiresAt as number | null })
  }
  return { entries }
}

function oddEntry(entry: unknown): string | undefined {
  if (!isObject(entry)) return 'is not an object'
  if (typeof entry.name !== 'string' || entry.name === '') return 'has no name'
  if (typeof entry.value !== 'string' || entry.value === '') return 'has no value'
  if (entry.expiresAt === null) return undefined
  // Number.isInteger is false for anything but a number.
  const expiresAt = entry.expiresAt as number
  if (!Number.isInteger(expiresAt) || expiresAt < 0 || expiresAt > MAX_DATE_MS) {
    return 'has an expiresAt that is neither null nor a time in epoch milliseconds'
  }
  return undefined
}

/**
 * The entry whose value is the secret, compared in constant time: every entry of the secret's
 * length is compared in full, with no early exit, so timing tells nothing about which matched.
 */
export function findSecretInUse(
  entries: readonly SecretEntry[],
  secret: string
): SecretEntry | undefined {
  const wanted = Buffer.from(secret)
  let found: SecretEntry | undefined
  for (const entry of entries) {
    const candidate = Buffer.from(entry.value)
    const same = candidate.length === wanted.length && timingSafeEqual(candidate, wanted)
    if (same && found === undefined) found = entry
  }
  return found
}

/** Whole days from now until the expiry, rounded down; negative once it has passed. */
export function daysLeft(expiresAt: number, now: number): number {
  return Math.floor((expiresAt - now) / DAY_MS)
}

/** True when the expiry falls within the next `warningDays` days (or has passed); 0 is off. */
export function withinWindow(expiresAt: number, now: number, warningDays: number): boolean {
  return warningDays > 0 && expiresAt - now <= warningDays * DAY_MS
}

/** What the check found, as lines to log; every server string in them is neutralised. */
export interface ExpiryReport {
  /** ISO 8601 UTC expiry of the secret in use; undefined when none is known. */
  readonly expiresAt: string | undefined
  readonly info: readonly string[]
  readonly warnings: readonly string[]
  /** The job summary's row, within the window only. */
  readonly summary: string | undefined
}

/** A report of nothing: the check did not run. */
export const NOTHING: ExpiryReport = Object.freeze({
  expiresAt: undefined,
  info: [],
  warnings: [],
  summary: undefined
})

/** A report saying why the expiry is unknown, in one info line. */
export function unknown(reason: string): ExpiryReport {
  return {
    expiresAt: undefined,
    info: [`The app secret's expiry is unknown: ${reason}.`],
    warnings: [],
    summary: undefined
  }
}

/** What the settings and the moment say about the secret in use. */
export interface ExpiryContext {
  readonly appId: string
  readonly warningDays: number
  readonly now: number
  /** Every string to cut out of a quoted secret name: the token, the secret's forms, the list's values. */
  readonly redact: readonly string[]
}

/** The report for a list that was read: the secret in use found, or the legacy secret. */
export function expiryReport(entry: SecretEntry | undefined, ctx: ExpiryContext): ExpiryReport {
  if (!entry) {
    return {
      expiresAt: undefined,
      info: [
        `The app-secret in use is not in the app's list of secrets: it is app ${ctx.appId}'s ` +
          'legacy secret, which never expires.'
      ],
      warnings: [],
      summary: undefined
    }
  }
  const name = `"${quote(entry.name, ctx.redact)}"`
  if (entry.expiresAt === null) {
    return {
      expiresAt: undefined,
      info: [`The app secret in use, ${name}, has no expiration date.`],
      warnings: [],
      summary: undefined
    }
  }
  const date = new Date(entry.expiresAt).toISOString()
  const left = daysLeft(entry.expiresAt, ctx.now)
  const when =
    entry.expiresAt <= ctx.now
      ? `expired on ${date}`
      : `expires on ${date}, ${left === 0 ? 'in less than a day' : `in ${left} day${left === 1 ? '' : 's'}`}`
  if (!withinWindow(entry.expiresAt, ctx.now, ctx.warningDays)) {
    return {
      expiresAt: date,
      info: [`The app secret in use, ${name}, ${when}.`],
      warnings: [],
      summary: undefined
    }
  }
  return {
    expiresAt: date,
    info: [],
    warnings: [
      `The app secret in use, ${name} of app ${ctx.appId}, ${when}. Rotate it without downtime: ` +
        'in Logto Console (Applications → the app → App secrets) create a new secret, store its ' +
        'value in the GitHub secret that holds app-secret (gh secret set), and once the ' +
        `workflows run with it, delete ${name}.`
    ],
    summary: `${quote(entry.name, ctx.redact)}: ${when}`
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
