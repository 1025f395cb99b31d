/**
 * Every check that decides whether a change lands, in one place: `.ci/run` (after `npm ci`) and
 * the repository workflow (on Ubuntu, Windows and macOS) both run `node scripts/ci.js`. Plain Node,
 * so it needs no POSIX shell on Windows.
 *
 *   node scripts/ci.js            run every step, report all failures, exit 1 if any failed
 *   node scripts/ci.js test dist  run only the named steps
 *   node scripts/ci.js --list     name the steps
 */
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { delimiter } from 'node:path'
import { fileURLToPath } from 'node:url'
import { distChanges } from './lib/dist-status.js'
import { nodeOfMajor, runtimePaths } from './lib/node-runtime.js'

const root = fileURLToPath(new URL('..', import.meta.url))
/** The Node major version the action runs on (`runs.using: node24` in action.yml). */
const RUNTIME_MAJOR = 24
const onGitHub = process.env.GITHUB_ACTIONS === 'true'

class StepFailure extends Error {}

/**
 * Runs a command in the repository root with inherited output, or captured when `capture` is set.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, capture?: boolean }} [options]
 */
function run(command, args, options = {}) {
  process.stdout.write(`> ${[command, ...args].join(' ')}\n`)
  const result = spawnSync(command, args, {
    cwd: root,
    env: options.env ?? process.env,
    stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    // npm is npm.cmd on Windows, which Node only starts through a shell; the arguments here are
    // fixed words, so the shell's quoting rules do not matter.
    shell: process.platform === 'win32' && command === 'npm'
  })
  if (result.error) throw new StepFailure(`${command} did not start: ${result.error.message}`)
  const output = options.capture ? `${result.stdout}${result.stderr}` : ''
  if (result.status !== 0) {
    if (output) process.stdout.write(output)
    throw new StepFailure(`${command} ${args.join(' ')} exited with ${result.status}`)
  }
  return output
}

/**
 * Fails when dist/, rebuilt from scratch (`npm run build` empties it first), differs from the
 * commit in any way: a changed file, a committed file the build no longer writes, or a file that
 * is not committed (untracked files included).
 */
function distIsBuilt() {
  run('npm', ['run', 'build'])
  const changes = distChanges(root)
  if (changes.length > 0) {
    run('git', ['--no-pager', 'diff', '--stat', '--', 'dist/'])
    throw new StepFailure(
      `dist/ is not what the sources build to (git status --porcelain -- dist/):\n` +
        `${changes.join('\n')}\nRun npm run build and commit dist/ as it leaves it.`
    )
  }
}

/** `npm start`, the demo of docs/local.md, runs and shows the token only masked. */
function startShowsTheTokenMasked() {
  const output = run('npm', ['start'], { capture: true })
  process.stdout.write(output)
  if (/eyJ[\w-]+\.[\w-]+\.[\w-]+/.test(output)) {
    throw new StepFailure('npm start printed an unmasked token')
  }
  if (!/^ {2}access-token +\*\*\* /m.test(output)) {
    throw new StepFailure('npm start did not show the masked access-token output')
  }
}

/**
 * Where this machine's Node is not the action's runtime, installs that runtime from the npm
 * registry (the `node` package) and runs `npm test` on it, so the committed bundle and the whole
 * suite are proven on what the runner uses. Only that child gets the runtime first on PATH.
 */
function testsOnTheRuntime() {
  const major = Number(process.versions.node.split('.')[0])
  if (major === RUNTIME_MAJOR) {
    process.stdout.write(`This is Node ${process.version}: the test step ran on the runtime.\n`)
    return
  }
  let runtime
  try {
    runtime = nodeOfMajor(root, RUNTIME_MAJOR, (args) => run('npm', args))
  } catch (error) {
    if (error instanceof StepFailure) throw error
    throw new StepFailure(error instanceof Error ? error.message : String(error))
  }
  const { bin } = runtimePaths(root, RUNTIME_MAJOR)
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` }
  process.stdout.write(
    `Running the tests on Node ${runtime.version} (this machine has ${process.version}).\n`
  )
  run('npm', ['test'], { env })
}

/**
 * `npm run mutate`: StrykerJS, incremental from the committed reports/stryker-incremental.json,
 * so only mutants in changed code, or covered by changed tests, run; fails below 90 %. Linux
 * only: the file is recorded there, and other OSes skip tests (signals, FIFOs, a full backlog),
 * which would send the mutants those tests kill through a re-run for no new answer.
 */
function mutationScore() {
  if (process.platform !== 'linux') {
    process.stdout.write(`Skipped on ${process.platform}: mutation testing runs on Linux.\n`)
    return
  }
  const minutes = mutateBudget(process.env.MUTATE_BUDGET_MINUTES)
  // coreutils timeout: SIGINT lets Stryker stop its workers; SIGKILL a minute later if it hangs.
  const args = ['--signal=INT', '--kill-after=60', `${minutes}m`, 'npm', 'run', 'mutate']
  process.stdout.write(`> timeout ${args.join(' ')}\n`)
  const result = spawnSync('timeout', args, { cwd: root, stdio: 'inherit' })
  if (result.error) throw new StepFailure(`timeout did not start: ${result.error.message}`)
  if (result.status === 124 || result.status === 137) {
    process.stdout.write(
      `\nNO VERDICT: the mutation run did not finish within ${minutes} minutes ` +
        '(MUTATE_BUDGET_MINUTES). The committed reports/stryker-incremental.json is behind the ' +
        'sources: run `npm run mutate` and commit the file it updates.\n'
    )
    return
  }
  if (result.status !== 0) throw new StepFailure(`npm run mutate exited with ${result.status}`)
}

/**
 * The minutes an incremental mutation run may take inside CI's 90: a run that re-tests most of
 * src/ takes longer, and must then be run outside CI and its file committed.
 * @param {string | undefined} raw
 */
function mutateBudget(raw) {
  if (raw === undefined || raw === '') return 50
  const minutes = Number(raw)
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new StepFailure(`MUTATE_BUDGET_MINUTES must be a whole number of minutes, got "${raw}"`)
  }
  return minutes
}

/** @type {[name: string, title: string, action: () => void][]} */
const STEPS = [
  ['format', 'Prettier', () => run('npm', ['run', 'format:check'])],
  ['lint', 'ESLint', () => run('npm', ['run', 'lint'])],
  ['typecheck', 'TypeScript', () => run('npm', ['run', 'typecheck'])],
  [
    'validate',
    "GitHub's parser on action.yml and the workflows; dependabot.yml structure",
    () => run('npm', ['run', 'validate'])
  ],
  [
    'actionlint',
    'actionlint on the workflows and the README and docs/ snippets',
    () => run('npm', ['run', 'lint:actions'])
  ],
  ['readme', 'README tables match action.yml', () => run('npm', ['run', 'readme:check'])],
  ['dist', 'dist/ is what the sources build to', distIsBuilt],
  [
    'test',
    `npm test with coverage on Node ${process.version}`,
    () => run('npm', ['test', '--', '--coverage'])
  ],
  ['start', 'npm start runs and shows the token only masked', startShowsTheTokenMasked],
  ['runtime', `the tests on Node ${RUNTIME_MAJOR}, the action's runtime`, testsOnTheRuntime],
  ['mutate', 'mutation testing of src/, incremental; at least 90 %', mutationScore]
]

const wanted = process.argv.slice(2)
if (wanted.includes('--list')) {
  for (const [name, title] of STEPS) process.stdout.write(`${name.padEnd(10)} ${title}\n`)
  process.exit(0)
}
const unknown = wanted.filter((name) => !STEPS.some(([step]) => step === name))
if (unknown.length > 0) {
  process.stderr.write(`Unknown step(s): ${unknown.join(', ')}. See node scripts/ci.js --list.\n`)
  process.exit(2)
}

/** @type {string[]} */
const report = []
let failed = 0
for (const [name, title, action] of STEPS) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  process.stdout.write(onGitHub ? `::group::${name}: ${title}\n` : `\n=== ${name}: ${title}\n`)
  // Tests print what servers and the action wrote; on a runner none of it may act as a command.
  const resume = randomUUID()
  if (onGitHub) process.stdout.write(`::stop-commands::${resume}\n`)
  const started = Date.now()
  let outcome = 'ok'
  try {
    action()
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error
    failed++
    outcome = 'FAILED'
    process.stdout.write(`${error.message}\n`)
  }
  if (onGitHub) process.stdout.write(`::${resume}::\n::endgroup::\n`)
  if (outcome !== 'ok' && onGitHub) process.stdout.write(`::error::CI step ${name} failed\n`)
  report.push(
    `${outcome.padEnd(6)} ${name.padEnd(10)} ${((Date.now() - started) / 1000).toFixed(1)} s`
  )
}
process.stdout.write(`\n${report.join('\n')}\n`)
process.exit(failed > 0 ? 1 : 0)
