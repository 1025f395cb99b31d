/**
 * A structural check of .github/dependabot.yml. GitHub publishes no parser or schema package for
 * it, so this checks only what GitHub's documentation marks as required, plus the values that
 * `groups.*.update-types` and `cooldown` accept; anything else is left to Dependabot.
 */
import { parseDocument } from 'yaml'

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isMap(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Problems in a Dependabot configuration; empty when none is found.
 * @param {string} source
 * @returns {string[]}
 */
export function checkDependabot(source) {
  const doc = parseDocument(source)
  if (doc.errors.length > 0) return doc.errors.map((e) => `Parse Error - ${e.message}`)
  const config = doc.toJS()
  if (!isMap(config)) return ['the file must be a mapping']
  /** @type {string[]} */
  const problems = []
  if (config.version !== 2) problems.push('/version: must be 2')
  if (!Array.isArray(config.updates) || config.updates.length === 0) {
    problems.push('/updates: must be a non-empty list')
    return problems
  }
  config.updates.forEach((update, i) => {
    const at = `/updates/${i}`
    if (!isMap(update)) {
      problems.push(`${at}: must be a mapping`)
      return
    }
    if (typeof update['package-ecosystem'] !== 'string') {
      problems.push(`${at}/package-ecosystem: required, a string`)
    }
    if (typeof update.directory !== 'string' && !Array.isArray(update.directories)) {
      problems.push(`${at}: directory (or directories) is required`)
    }
    const schedule = update.schedule
    if (!isMap(schedule) || typeof schedule.interval !== 'string') {
      problems.push(`${at}/schedule/interval: required, a string`)
    }
    if (update.cooldown !== undefined) {
      const cooldown = update.cooldown
      const keys = ['default-days', 'semver-major-days', 'semver-minor-days', 'semver-patch-days']
      if (!isMap(cooldown)) {
        problems.push(`${at}/cooldown: must be a mapping`)
      } else {
        for (const [key, days] of Object.entries(cooldown)) {
          if (key === 'include' || key === 'exclude') continue
          if (!keys.includes(key)) problems.push(`${at}/cooldown/${key}: unknown key`)
          else if (!Number.isInteger(days) || Number(days) < 1 || Number(days) > 90) {
            problems.push(`${at}/cooldown/${key}: a whole number of days from 1 to 90`)
          }
        }
      }
    }
    if (update.groups !== undefined) {
      if (!isMap(update.groups)) {
        problems.push(`${at}/groups: must be a mapping`)
      } else {
        for (const [group, rule] of Object.entries(update.groups)) {
          const types = isMap(rule) ? rule['update-types'] : undefined
          if (types === undefined) continue
          const allowed = ['major', 'minor', 'patch']
          if (!Array.isArray(types) || !types.every((t) => allowed.includes(t))) {
            problems.push(`${at}/groups/${group}/update-types: only ${allowed.join(', ')}`)
          }
        }
      }
    }
  })
  return problems
}
