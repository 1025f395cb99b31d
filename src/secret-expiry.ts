/** Pure rules of the app secret expiry check: the list, the secret in use, the window, the text. */
import { timingSafeEqual } from 'node:crypto'
import { managementApiTenant } from './endpoint.js'
import { line, quote } from './log-text.js'
import { parseScopes } from './scopes.js'

/** One entry of `GET /api/applications/{id}/secrets`, checked. */
export interface SecretEntry {
  readonly name: string
  readonly value: string
  /** Epoch milliseconds; null when the secret never expires. */
  readonly expiresAt: number | null
}

/** One entry of the list as read: the checked entry, or what is wrong with it. */
export interface ListedEntry {
  /** 1-based, as messages name it. */
  readonly position: number
  /** The entry's string value; empty when it has none. */
  readonly value: string
  readonly entry: SecretEntry | undefined
  /** Why the entry cannot be used; undefined for a checked entry. */
  readonly problem: string | undefined
}

/** The list, or why it cannot be used. */
export type SecretList =
  | { readonly entries: readonly ListedEntry[]; readonly problem?: undefined }
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
 * What a list value must look like to be masked: Logto makes app secrets with its
 * generateStandardSecret, 32 letters and digits. A value the server makes short (`e`) or wordy
 * would, masked, hide that text in every later line of the job; one longer than any secret only
 * costs the runner's masker.
 */
const SECRET_LIKE = /^\S{16,512}$/

/** The most list values masked; Logto's lists hold a few, and a flood of masks garbles the job. */
export const MAX_MASKED_VALUES = 100

/**
 * Every distinct string `value` of the object entries of a list that could be an app secret,
 * whatever else the entries hold: what to mask before the list is looked at any further.
 */
export function secretValues(json: unknown): string[] {
  if (!Array.isArray(json)) return []
  const values = new Set<string>()
  for (const entry of json as unknown[]) {
    if (!isObject(entry)) continue
    const value = entry.value
    if (typeof value === 'string' && SECRET_LIKE.test(value)) values.add(value)
  }
  return [...values]
}

/**
 * Reads a parsed answer: a list whose entries are each checked on their own (a string name and
 * value and a usable expiry), so one odd entry says nothing about the others.
 */
export function readSecretList(json: unknown): SecretList {
  if (!Array.isArray(json)) return { problem: 'the answer is not a list of secrets' }
  return {
    entries: (json as unknown[]).map((entry, index) => {
      const problem = oddEntry(entry)
      const value = isObject(entry) && typeof entry.value === 'string' ? entry.value : ''
      if (problem) return { position: index + 1, value, entry: undefined, problem }
      const { name, expiresAt } = entry as { name: string; expiresAt: number | null }
      return { position: index + 1, value, entry: { name, value, expiresAt }, problem: undefined }
    })
  }
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
export function findSecretInUse<T extends { readonly value: string }>(
  entries: readonly T[],
  secret: string
): T | undefined {
  const wanted = Buffer.from(secret)
  let found: T | undefined
  for (const entry of entries) {
    const candidate = Buffer.from(entry.value)
    const same = candidate.length === wanted.length && timingSafeEqual(candidate, wanted)
    if (same && found === undefined) found = entry
  }
  return found
}

/** What the list tells of the secret in use. */
export interface SecretInUse {
  /** Its entry; undefined with no problem means the legacy secret, which is not listed. */
  readonly entry: SecretEntry | undefined
  /** Why the list cannot tell the secret's expiry, when it cannot. */
  readonly problem: string | undefined
  /** The odd entries that are not the secret in use, for the debug log. */
  readonly skipped: readonly string[]
}

/**
 * Judges the entry in use on its own: an odd entry elsewhere is only skipped, and counts only
 * when it has no value to compare, since then it might be the secret in use.
 */
export function secretInUse(entries: readonly ListedEntry[], secret: string): SecretInUse {
  const found = findSecretInUse(entries, secret)
  // Not found, an entry without a value to compare might be it: then nothing can be said.
  const unsure = found ? undefined : entries.find((listed) => listed.value === '')
  const skipped = entries
    .filter((listed) => listed.problem !== undefined && listed !== found && listed !== unsure)
    .map((listed) => `entry ${listed.position} of the list ${listed.problem}`)
  if (found?.problem !== undefined) {
    return {
      entry: undefined,
      problem: `entry ${found.position} of the list, the secret in use, ${found.problem}`,
      skipped
    }
  }
  if (unsure) {
    return {
      entry: undefined,
      problem: `entry ${unsure.position} of the list ${unsure.problem}, so it may be the secret in use`,
      skipped
    }
  }
  return { entry: found?.entry, problem: undefined, skipped }
}

/**
 * Days from today to the expiry's day, as a person reading the date counts them: UTC calendar
 * days, since the date is printed in UTC (as the runner's log times are). Negative once passed.
 */
export function daysLeft(expiresAt: number, now: number): number {
  return Math.floor(expiresAt / DAY_MS) - Math.floor(now / DAY_MS)
}

/**
 * True when the expiry is within the next `warningDays` days as daysLeft counts them (or has
 * passed), so a warning never says "in N days" with N above the setting; 0 is off.
 */
export function withinWindow(expiresAt: number, now: number, warningDays: number): boolean {
  return warningDays > 0 && daysLeft(expiresAt, now) <= warningDays
}

/** When the expiry comes, in words: "today", "tomorrow" or "in N days" (calendar days, UTC). */
export function daysInWords(days: number): string {
  if (days <= 0) return 'today'
  return days === 1 ? 'tomorrow' : `in ${days} days`
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
    info: [line`The app secret's expiry is unknown: ${reason}.`],
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
        line`The app-secret in use is not in the app's list of secrets: it is app ${ctx.appId}'s ` +
          'legacy secret, which never expires.'
      ],
      warnings: [],
      summary: undefined
    }
  }
  const shown = quote(entry.name, ctx.redact)
  const name = `"${shown}"`
  if (entry.expiresAt === null) {
    return {
      expiresAt: undefined,
      info: [line`The app secret in use, ${name}, has no expiration date.`],
      warnings: [],
      summary: undefined
    }
  }
  const date = new Date(entry.expiresAt).toISOString()
  const when =
    entry.expiresAt <= ctx.now
      ? `expired on ${date}`
      : `expires on ${date}, ${daysInWords(daysLeft(entry.expiresAt, ctx.now))}`
  if (!withinWindow(entry.expiresAt, ctx.now, ctx.warningDays)) {
    return {
      expiresAt: date,
      info: [line`The app secret in use, ${name}, ${when}.`],
      warnings: [],
      summary: undefined
    }
  }
  return {
    expiresAt: date,
    info: [],
    warnings: [
      line`The app secret in use, ${name} of app ${ctx.appId}, ${when}. Rotate it without ` +
        'downtime: in Logto Console (Applications → the app → App secrets) create a new secret, ' +
        'store its value in the GitHub secret that holds app-secret (gh secret set), and once ' +
        line`the workflows run with it, delete ${name}.`
    ],
    summary: `${shown}: ${when}`
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
