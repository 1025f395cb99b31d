#!/usr/bin/env node
/**
 * `npm run local-action [-- FILE]`: runs the TypeScript sources (src/index.ts, through tsx, no
 * build) the way the runner runs the bundle, with the inputs of a dotenv file (`.env` by default;
 * `.env.example` shows the form: `INPUT_<NAME>=value`, hyphens kept, as the runner names them),
 * then prints the masked log, the outputs, the environment of later steps and the job summary.
 *
 * It replaces @github/local-action 7.0.1, whose replacement of @actions/core (through quibble's
 * ES module loader) fails on Node 24, the runner's runtime, with `ENOENT … '@actions/core'`.
 * Here @actions/core is the real one, writing to the runner's files (temp files created for the
 * run by scripts/lib/runner.js), so it works on any Node the repository supports.
 *
 * Other variables in the file: ACTIONS_STEP_DEBUG=true shows the debug lines. Exit status 0 when
 * the action succeeded, 1 when it failed, 2 on a usage error.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { columns, exportedVariables, indent, markdownToText } from './lib/present.js'
import { inputVariable, readManifest, repoRoot, runAction } from './lib/runner.js'

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h') || args.length > 1) {
  const usage = 'Usage: npm run local-action [-- FILE]   (FILE: a dotenv file, .env by default)\n'
  process.stdout.write(usage)
  process.exit(args.length > 1 ? 2 : 0)
}
const file = path.resolve(args[0] ?? '.env')
if (!existsSync(file)) {
  process.stderr.write(
    `${path.relative(process.cwd(), file) || file}: file not found. Copy .env.example to .env ` +
      '(cp .env.example .env; in cmd.exe: copy .env.example .env) and edit it.\n'
  )
  process.exit(2)
}

const manifest = readManifest()
const variables = parseEnv(readFileSync(file, 'utf8'))
/** @type {Record<string, string>} */
const inputs = {}
for (const name of Object.keys(manifest.inputs)) {
  const value = variables[inputVariable(name)]
  if (value !== undefined) inputs[name] = value
}
const unknown = Object.keys(variables).filter(
  (key) =>
    key.startsWith('INPUT_') &&
    !Object.keys(manifest.inputs).some((name) => inputVariable(name) === key)
)
const debug = /^true$/i.test(variables.ACTIONS_STEP_DEBUG ?? '')
const secret = inputs['app-secret'] ?? ''

const out = (/** @type {string} */ text = '') => process.stdout.write(`${text}\n`)
out(`Run src/index.ts (through tsx) with the inputs of ${path.relative(process.cwd(), file)}`)
out('  with:')
for (const [name, value] of Object.entries(inputs)) {
  out(`    ${name}: ${name === 'app-secret' ? '***' : value}`)
}
for (const key of unknown) out(`  (${key} is not an input of action.yml: left out)`)

/** tsx runs the TypeScript sources; a devDependency of this repository, installed by `npm ci`. */
let tsx
try {
  tsx = import.meta.resolve('tsx')
} catch {
  process.stderr.write('tsx is not installed: run npm ci first.\n')
  process.exit(2)
}
const result = await runAction({
  inputs,
  entry: path.join(repoRoot, 'src', 'index.ts'),
  nodeArgs: ['--import', tsx],
  debug,
  // The runner masks `${{ secrets.* }}` values from the start; the action masks it too.
  secrets: secret ? [secret] : [],
  timeoutMs: 600_000
})
const { masker } = result
out('\nLog')
out(indent(result.log || '(nothing)', '  '))
const status = result.timedOut ? 'timed out' : `exit code ${result.code ?? result.signal}`
out(`\nStep ${result.conclusion === 'success' ? 'succeeded' : 'FAILED'} (${status})`)
if (result.conclusion === 'success') {
  out('\nOutputs')
  out(
    columns(
      Object.entries(result.outputs).map(([name, value]) => {
        const shown = masker.mask(value)
        return [name, shown === '' ? "''" : shown]
      }),
      '  '
    )
  )
  out('\nEnvironment of later steps')
  out(exportedVariables(result.env, masker))
  out('\nJob summary')
  out(indent(masker.mask(markdownToText(result.summary)) || '(empty)', '  '))
}
process.exitCode = result.conclusion === 'success' ? 0 : 1
