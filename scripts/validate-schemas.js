#!/usr/bin/env node
/**
 * Validates the repository's GitHub YAML files offline:
 *
 * - action.yml and every .github/workflows/*.yml|yaml with @action-validator/core, which embeds
 *   the SchemaStore schemas for action metadata and workflows;
 * - .github/dependabot.yml with a small structural check of its own, because the validator has
 *   no dependabot schema.
 *
 * Usage: node scripts/validate-schemas.js [FILE...]
 * Without FILE, all of the files above are checked. A file named action.yml / action.yaml is
 * action metadata, one named dependabot.yml / dependabot.yaml is a Dependabot configuration,
 * anything else is a workflow. Exit status: 0 valid, 1 invalid, 2 usage error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { validateAction, validateWorkflow } from '@action-validator/core'
import { parseDocument } from 'yaml'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Values GitHub documents that the SchemaStore snapshot inside @action-validator/core 0.6.0
 * predates. Each is swapped for a value of the same shape that the snapshot knows, only for the
 * schema check; any other unknown value still fails.
 * @type {Record<string, { path: string[], accepted: Record<string, string> }>}
 */
const NEWER_THAN_SCHEMA = {
  'runs.using': { path: ['runs', 'using'], accepted: { node24: 'node20' } },
  'branding.color': { path: ['branding', 'color'], accepted: { black: 'white' } },
  'branding.icon': { path: ['branding', 'icon'], accepted: { table: 'grid' } }
}

/** @typedef {'action' | 'workflow' | 'dependabot'} Kind */
/** @typedef {import('@action-validator/core').ValidationError} ValidationError */

/** @returns {string[]} the default set of files, relative to the repository root */
function defaultFiles() {
  /** @type {string[]} */
  const files = []
  for (const name of ['action.yml', 'action.yaml']) {
    if (existsSync(path.join(repoRoot, name))) files.push(name)
  }
  const workflows = path.join(repoRoot, '.github', 'workflows')
  if (existsSync(workflows)) {
    for (const name of readdirSync(workflows).sort()) {
      if (/\.ya?ml$/.test(name)) files.push(path.join('.github', 'workflows', name))
    }
  }
  for (const name of ['dependabot.yml', 'dependabot.yaml']) {
    if (existsSync(path.join(repoRoot, '.github', name))) files.push(path.join('.github', name))
  }
  return files.map((file) => path.join(repoRoot, file))
}

/**
 * @param {string} file
 * @returns {Kind}
 */
function kindOf(file) {
  const base = path.basename(file)
  if (base === 'action.yml' || base === 'action.yaml') return 'action'
  if (base === 'dependabot.yml' || base === 'dependabot.yaml') return 'dependabot'
  return 'workflow'
}

/**
 * The value at a JSON pointer such as /branding/icon, for messages.
 * @param {unknown} data
 * @param {string} pointer
 * @returns {unknown}
 */
function valueAt(data, pointer) {
  let value = data
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(value)) value = value[Number(key)]
    else if (isMap(value)) value = value[key]
    else return undefined
  }
  return value
}

/**
 * Formats the validator's errors, including the alternatives of a failed oneOf.
 * @param {ValidationError[]} errors
 * @param {string} indent
 * @param {unknown} data the parsed file, to show the offending value of an enum or const error
 * @returns {string[]}
 */
function formatErrors(errors, indent, data) {
  /** @type {string[]} */
  const lines = []
  for (const error of errors) {
    const where = 'path' in error && error.path ? `${error.path}: ` : ''
    const at =
      'location' in error && error.location
        ? ` (line ${error.location.line}, column ${error.location.column})`
        : ''
    let detail = error.detail ? ` - ${error.detail}` : ''
    if (!detail && 'path' in error && (error.code === 'enum' || error.code === 'const')) {
      const value = valueAt(data, error.path)
      if (value !== undefined) detail = ` - got ${JSON.stringify(value)}`
    }
    lines.push(`${indent}${where}${error.title}${detail}${at}`)
    const states = 'states' in error ? error.states : undefined
    if (states && states.length > 0) {
      states.forEach((state, i) => {
        lines.push(`${indent}  alternative ${i + 1} of ${states.length}:`)
        lines.push(...formatErrors(state.errors, `${indent}    `, data))
      })
    }
  }
  return lines
}

/**
 * Replaces values newer than the embedded schema (see NEWER_THAN_SCHEMA) in action metadata.
 * @param {string} source
 * @returns {{ source: string, notes: string[] }}
 */
function bridgeNewerValues(source) {
  const doc = parseDocument(source)
  if (doc.errors.length > 0) return { source, notes: [] } // the validator reports parse errors
  /** @type {string[]} */
  const notes = []
  for (const [name, { path: keyPath, accepted }] of Object.entries(NEWER_THAN_SCHEMA)) {
    const value = doc.getIn(keyPath)
    if (typeof value === 'string' && Object.hasOwn(accepted, value)) {
      doc.setIn(keyPath, accepted[value])
      notes.push(
        `${name}: ${value} is newer than the embedded schema; checked as ${accepted[value]}`
      )
    }
  }
  return notes.length > 0 ? { source: doc.toString(), notes } : { source, notes }
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isMap(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The validator has no dependabot schema: check the structure Dependabot requires.
 * @param {string} source
 * @returns {string[]} problems
 */
function checkDependabot(source) {
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

/**
 * @param {string} source
 * @returns {unknown} the YAML as plain data, or undefined when it does not parse
 */
function parsed(source) {
  const doc = parseDocument(source)
  return doc.errors.length > 0 ? undefined : doc.toJS()
}

/**
 * @param {string} file absolute path
 * @returns {string[]} lines to report; empty when the file is valid
 */
function validateFile(file) {
  const kind = kindOf(file)
  const source = readFileSync(file, 'utf8')
  if (kind === 'dependabot') return checkDependabot(source).map((p) => `  ${p}`)
  if (kind === 'action') {
    const bridged = bridgeNewerValues(source)
    const state = validateAction(bridged.source)
    if (state.errors.length === 0) return []
    return [
      ...formatErrors(state.errors, '  ', parsed(source)),
      ...bridged.notes.map((n) => `  note: ${n}`)
    ]
  }
  return formatErrors(validateWorkflow(source).errors, '  ', parsed(source))
}

function main() {
  const args = process.argv.slice(2)
  if (args.includes('--help') || args.includes('-h')) {
    console.log('Usage: node scripts/validate-schemas.js [FILE...]')
    return 0
  }
  const unknown = args.find((arg) => arg.startsWith('-'))
  if (unknown) {
    console.error(`Unknown option: ${unknown}`)
    return 2
  }
  const files = args.length > 0 ? args.map((arg) => path.resolve(arg)) : defaultFiles()
  if (files.length === 0) {
    console.error('No files to validate.')
    return 2
  }
  let failed = 0
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file
    if (!existsSync(file)) {
      console.error(`${shown}: file not found`)
      return 2
    }
    const problems = validateFile(file)
    if (problems.length === 0) {
      console.log(`ok       ${shown} (${kindOf(file)})`)
    } else {
      failed += 1
      console.error(`invalid  ${shown} (${kindOf(file)})`)
      for (const line of problems) console.error(line)
    }
  }
  if (failed > 0) {
    console.error(`\n${failed} of ${files.length} file(s) failed schema validation.`)
    return 1
  }
  return 0
}

process.exitCode = main()
