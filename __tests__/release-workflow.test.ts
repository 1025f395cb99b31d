/**
 * The release workflow (.github/workflows/release.yml): who holds which right, that the attested
 * files are the ones the runner executes, that the checks come before anything is signed or
 * published; and scripts/release-on-main.js, which refuses a commit off main, on a real
 * repository made for the test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { runGit } from './support/git.js'

const root = process.cwd()

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, string | boolean | number>
}
interface Job {
  needs?: string | string[]
  permissions?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

const workflow = parse(
  readFileSync(path.join(root, '.github', 'workflows', 'release.yml'), 'utf8')
) as Workflow
const { jobs } = workflow
const needs = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat())
const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : []))
/** Index of the first step whose run script matches, or -1. */
const stepIndex = (job: Job, pattern: RegExp) =>
  job.steps.findIndex((step) => step.run !== undefined && pattern.test(step.run))

describe('release.yml permissions', () => {
  it('the workflow default is read only', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' })
  })

  it('id-token and attestations are granted to the attest job alone', () => {
    const holders = Object.entries(jobs)
      .filter(([, job]) => job.permissions?.['id-token'] || job.permissions?.attestations)
      .map(([name]) => name)
    expect(holders).toEqual(['attest'])
    expect(jobs.attest.permissions).toEqual({
      contents: 'read',
      'id-token': 'write',
      attestations: 'write'
    })
  })

  it('contents: write is granted to the publish job alone', () => {
    const writers = Object.entries(jobs)
      .filter(([, job]) => Object.values(job.permissions ?? {}).includes('write'))
      .map(([name]) => name)
    expect(writers.sort()).toEqual(['attest', 'publish'])
    expect(jobs.publish.permissions).toEqual({ contents: 'write' })
    expect(jobs.verify.permissions).toEqual({ contents: 'read' })
  })

  it('no job that holds a write right installs or runs dependencies', () => {
    for (const name of ['attest', 'publish']) {
      expect([name, runs(jobs[name]).filter((run) => /\bnpm\b|\bnpx\b/.test(run))]).toEqual([
        name,
        []
      ])
    }
    // The attest job runs nothing of its own: checkout and the signing action.
    expect(runs(jobs.attest)).toEqual([])
  })

  it('no checkout keeps credentials on disk', () => {
    const checkouts = Object.values(jobs).flatMap((job) =>
      job.steps.filter((step) => step.uses?.startsWith('actions/checkout@'))
    )
    expect(checkouts).toHaveLength(3)
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false)
  })
})

describe('release.yml order', () => {
  it('signs only after the checks pass, and publishes only what was signed', () => {
    expect(needs(jobs.verify)).toEqual([])
    expect(needs(jobs.attest)).toEqual(['verify'])
    expect(needs(jobs.publish)).toEqual(['attest'])
  })

  it('attests dist/index.js and action.yml with the pinned attest-build-provenance', () => {
    const attest = jobs.attest.steps.filter((step) =>
      step.uses?.startsWith('actions/attest-build-provenance@')
    )
    expect(attest).toHaveLength(1)
    expect(attest[0].uses).toMatch(/^actions\/attest-build-provenance@[0-9a-f]{40}$/)
    const subjects = String(attest[0].with?.['subject-path'])
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    expect(subjects).toEqual(['dist/index.js', 'action.yml'])
    // What the runner runs: action.yml names dist/index.js.
    expect(readFileSync(path.join(root, 'action.yml'), 'utf8')).toMatch(
      /^ {2}main: dist\/index\.js$/m
    )
  })

  it('verify checks main, the notes and dist/, with the whole history and before npm ci', () => {
    const verify = jobs.verify
    const checkout = verify.steps.find((step) => step.uses?.startsWith('actions/checkout@'))
    expect(checkout?.with?.['fetch-depth']).toBe(0)
    const onMain = stepIndex(
      verify,
      /^node scripts\/release-on-main\.js HEAD --main refs\/remotes\/origin\/main$/m
    )
    const notes = stepIndex(verify, /^node scripts\/release-notes\.js "\$TAG"/m)
    const install = stepIndex(verify, /^npm ci\b/m)
    const dist = stepIndex(verify, /^git diff --exit-code --stat -- dist\/$/m)
    expect([onMain, notes, install, dist].every((index) => index >= 0)).toBe(true)
    expect(onMain).toBeLessThan(install)
    expect(install).toBeLessThan(dist)
    expect(stepIndex(verify, /^npm run build$/m)).toBe(dist)
  })

  it('publish creates the release, then moves the major tag', () => {
    const create = stepIndex(jobs.publish, /gh release create "\$TAG" --verify-tag/)
    const move = stepIndex(jobs.publish, /major="\$\{TAG%%\.\*\}"/)
    expect(create).toBeGreaterThanOrEqual(0)
    expect(move).toBeGreaterThan(create)
  })
})

describe('scripts/release-on-main.js', () => {
  let repo: string
  const git = (...args: string[]) => runGit(repo, ...args).trim()
  const commit = (message: string) => {
    writeFileSync(path.join(repo, 'file.txt'), `${message}\n`)
    git('add', 'file.txt')
    git('commit', '-q', '-m', message)
    return git('rev-parse', 'HEAD')
  }
  const onMain = (...args: string[]) => {
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'scripts', 'release-on-main.js'), ...args],
      { cwd: repo, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }
    )
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }
  let first: string
  let second: string
  let side: string

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'release-on-main-'))
    git('init', '-q')
    git('config', 'commit.gpgsign', 'false')
    first = commit('first')
    second = commit('second')
    // main as the release workflow's clone has it: a remote-tracking ref.
    git('update-ref', 'refs/remotes/origin/main', second)
    git('checkout', '-q', '-b', 'side', first)
    side = commit('side')
  })
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true })
  })

  it.each([
    ['the tip of main', () => second],
    ['an older commit of main', () => first]
  ])('accepts %s', (_label, sha) => {
    const { status, stdout } = onMain(sha())
    expect(stdout).toContain(`${sha()} is on the history of main (${second})`)
    expect(status).toBe(0)
  })

  it('refuses a commit that is only on another branch, saying what to do', () => {
    const { status, stderr } = onMain(side)
    expect(stderr).toContain(`${side} is not on the history of main (${second})`)
    expect(stderr).toContain('merge it into main')
    expect(status).toBe(1)
  })

  it('checks HEAD by default (the tagged commit the workflow checked out)', () => {
    expect(git('rev-parse', 'HEAD')).toBe(side)
    expect(onMain().status).toBe(1)
    git('checkout', '-q', second)
    expect(onMain().status).toBe(0)
  })

  it('refuses when main is not in the clone, naming fetch-depth', () => {
    const { status, stderr } = onMain(second, '--main', 'refs/remotes/upstream/main')
    expect(stderr).toContain('refs/remotes/upstream/main is not in this clone')
    expect(stderr).toContain('fetch-depth: 0')
    expect(status).toBe(1)
  })

  it('refuses something that is not a commit', () => {
    const { status, stderr } = onMain('no-such-ref')
    expect(stderr).toContain('no-such-ref is not a commit in this repository')
    expect(status).toBe(1)
  })

  it('refuses a usage error with status 2', () => {
    expect(onMain(first, second).status).toBe(2)
    expect(onMain('--nope').status).toBe(2)
  })
})
