#!/usr/bin/env node
/**
 * Validates the repository's GitHub YAML files offline:
 *
 * - action.yml and every .github/workflows/*.yml|yaml with @actions/workflow-parser, GitHub's own
 *   parser and schema for action metadata and workflows (scripts/lib/github-parser.js);
 * - .github/dependabot.yml with a structural check (scripts/lib/dependabot.js), because GitHub
 *   publishes no parser for it.
 *
 * Usage: node scripts/validate-schemas.js [FILE...]
 * Without FILE, all of the files above are checked. A file named action.yml / action.yaml is
 * action metadata, one named dependabot.yml / dependabot.yaml is a Dependabot configuration,
 * anything else is a workflow. Exit status: 0 valid, 1 invalid, 2 usage error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkDependabot } from './lib/dependabot.js'
import { checkAction, checkWorkflow } from './lib/github-parser.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** @typedef {'action' | 'workflow' | 'dependabot'} Kind */

/** @returns {string[]} the default set of files, as absolute paths */
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
 * @param {string} file absolute path
 * @param {string} shown the name to use in messages
 * @returns {Promise<string[]>} lines to report; empty when the file is valid
 */
async function validateFile(file, shown) {
  const source = readFileSync(file, 'utf8')
  switch (kindOf(file)) {
    case 'dependabot':
      return checkDependabot(source)
    case 'action':
      return checkAction(shown, source)
    default:
      return checkWorkflow(shown, source)
  }
}

async function main() {
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
    const problems = await validateFile(file, shown)
    if (problems.length === 0) {
      console.log(`ok       ${shown} (${kindOf(file)})`)
    } else {
      failed += 1
      console.error(`invalid  ${shown} (${kindOf(file)})`)
      for (const problem of problems) console.error(`  ${problem.replaceAll('\n', '\n  ')}`)
    }
  }
  if (failed > 0) {
    console.error(`\n${failed} of ${files.length} file(s) failed validation.`)
    return 1
  }
  return 0
}

process.exitCode = await main()
