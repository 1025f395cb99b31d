/** One CI definition: scripts/ci.js holds the checks, and .ci/run and the workflow only call it. */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): string => readFileSync(`${root}/${path}`, 'utf8')
const ci = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/ci.js', ...args], { cwd: root, encoding: 'utf8' })

interface Step {
  run?: string
  uses?: string
  shell?: string
}
interface Job {
  'runs-on': string
  strategy?: { matrix?: { os?: string[] } }
  steps: Step[]
}
const workflow = parse(read('.github/workflows/ci.yml')) as { jobs: Record<string, Job> }
const allOs = ['ubuntu-latest', 'windows-latest', 'macos-latest']

describe('scripts/ci.js', () => {
  it('names every check, the Node 24 test run included', () => {
    const list = ci('--list')
    expect(list.status).toBe(0)
    const steps = list.stdout.split('\n').map((line) => line.split(' ')[0])
    expect(steps.filter(Boolean)).toEqual([
      'format',
      'lint',
      'typecheck',
      'validate',
      'actionlint',
      'readme',
      'dist',
      'test',
      'start',
      'runtime',
      'mutate'
    ])
  })

  it.each(['0', '1.5', 'soon'])(
    'refuses MUTATE_BUDGET_MINUTES=%s before starting Stryker',
    (budget) => {
      const result = spawnSync(process.execPath, ['scripts/ci.js', 'mutate'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, MUTATE_BUDGET_MINUTES: budget, GITHUB_ACTIONS: '' }
      })
      const skipped = process.platform !== 'linux'
      expect(result.status).toBe(skipped ? 0 : 1)
      expect(result.stdout).toContain(
        skipped
          ? 'mutation testing runs on Linux'
          : `MUTATE_BUDGET_MINUTES must be a whole number of minutes, got "${budget}"`
      )
      expect(result.stdout).not.toContain('stryker run')
    }
  )

  it('refuses an unknown step before running anything', () => {
    const result = ci('format', 'nonsense')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('Unknown step(s): nonsense')
    expect(result.stdout).toBe('')
  })
})

describe('what calls it', () => {
  it('.ci/run installs from the lock file without install scripts and runs scripts/ci.js, nothing else', () => {
    const commands = read('.ci/run')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
    expect(commands).toEqual([
      'set -euo pipefail',
      'cd "$(dirname "$0")/.."',
      'npm ci --ignore-scripts --no-audit --no-fund',
      'node scripts/ci.js'
    ])
  })

  it('the check job runs the same script on Ubuntu, Windows and macOS', () => {
    const check = workflow.jobs.check
    expect(check.strategy?.matrix?.os).toEqual(allOs)
    const runs = check.steps.flatMap((step) => (step.run ? [step.run.trim()] : []))
    expect(runs).toEqual(['npm ci --ignore-scripts --no-audit --no-fund', 'node scripts/ci.js'])
  })

  it('every npm install, in .ci/run and in every workflow, runs no install script', () => {
    // esbuild, @parcel/watcher and unrs-resolver have install scripts; the build and the suite
    // need none of them (checked: same dist/ bytes, every test passes).
    const installs = [
      ...read('.ci/run').split('\n'),
      ...['ci.yml', 'release.yml'].flatMap((name) =>
        Object.values(
          (parse(read(`.github/workflows/${name}`)) as { jobs: Record<string, Job> }).jobs
        ).flatMap((job) => job.steps.flatMap((step) => (step.run ?? '').split('\n')))
      )
    ]
      .map((line) => line.trim())
      .filter((line) => /^npm (ci|install|i)\b/.test(line))
    expect(installs.length).toBeGreaterThanOrEqual(4)
    for (const line of installs) expect(line).toMatch(/ --ignore-scripts\b/)
  })

  it('the action itself runs on all three runner OSes', () => {
    const job = workflow.jobs['test-action']
    expect(job['runs-on']).toBe('${{ matrix.os }}')
    expect(job.strategy?.matrix?.os).toEqual(allOs)
    expect(job.steps.filter((step) => step.uses === './').length).toBeGreaterThanOrEqual(3)
  })

  it('npm scripts use no shell syntax, so they run alike in bash, cmd.exe and PowerShell', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    for (const [name, command] of Object.entries(scripts)) {
      // Environment assignments, chaining, pipes, redirection, expansion and quoting differ.
      expect([name, command]).toEqual([name, expect.not.stringMatching(/^\w+=|[&|;<>$`'"]/)])
    }
  })
})
