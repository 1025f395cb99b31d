/**
 * The release workflow (.github/workflows/release.yml): who holds which right, that the attested
 * files are every file the runner loads, that the checks come before anything is signed or
 * published, that the tag is checked against the verified commit before and after the release
 * and the release must be immutable; scripts/release-on-main.js, which refuses a commit off
 * main's first-parent line, and scripts/major-tag.js, which moves vX only to the highest
 * vX.*.*, each on real repositories made for the test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { DIST_FILES } from '../scripts/lib/dist-status.js'
import { REQUIRED_CHECKS } from '../scripts/lib/release-rules.js'
import { runGit } from './support/git.js'

const root = process.cwd()

interface Step {
  name?: string
  uses?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, string | boolean | number>
}
interface Job {
  name?: string
  needs?: string | string[]
  permissions?: Record<string, string>
  env?: Record<string, string>
  strategy?: { matrix?: { os?: string[] } }
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
  it('the workflow default is read only, and every run step is bash -eo pipefail', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' })
    expect((workflow as { defaults?: unknown }).defaults).toEqual({ run: { shell: 'bash' } })
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

  it('contents: write is granted to the publish job alone; verify reads check runs', () => {
    const writers = Object.entries(jobs)
      .filter(([, job]) => Object.values(job.permissions ?? {}).includes('write'))
      .map(([name]) => name)
    expect(writers.sort()).toEqual(['attest', 'publish'])
    expect(jobs.publish.permissions).toEqual({ contents: 'write' })
    expect(jobs.verify.permissions).toEqual({ contents: 'read', checks: 'read' })
    expect(jobs.prepare.permissions).toEqual({ contents: 'read' })
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

  it('the write token reaches only gh steps: publish has no checkout, no setup, no other action', () => {
    expect(jobs.publish.steps.filter((step) => step.uses !== undefined)).toEqual([])
    expect(jobs.publish.env?.GH_TOKEN).toBeUndefined()
    const withToken = jobs.publish.steps.filter((step) => step.env?.GH_TOKEN !== undefined)
    expect(withToken.length).toBe(3)
    for (const step of withToken) {
      expect([step.name, step.run]).toEqual([step.name, expect.stringMatching(/\bgh /)])
    }
  })

  it('no checkout keeps credentials on disk', () => {
    const checkouts = Object.values(jobs).flatMap((job) =>
      job.steps.filter((step) => step.uses?.startsWith('actions/checkout@'))
    )
    expect(checkouts).toHaveLength(3)
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false)
  })

  it('npm ci runs no install script', () => {
    const installs = runs(jobs.verify).filter((run) => /^npm ci\b/m.test(run))
    expect(installs).toEqual(['npm ci --ignore-scripts --no-audit --no-fund'])
  })
})

describe('release.yml order', () => {
  it('signs only after the checks pass, and publishes only what was signed and prepared', () => {
    expect(needs(jobs.verify)).toEqual([])
    expect(needs(jobs.attest)).toEqual(['verify'])
    expect(needs(jobs.prepare)).toEqual(['verify'])
    expect(needs(jobs.publish).sort()).toEqual(['attest', 'prepare'])
  })

  it('attests action.yml and every file of dist/, exactly the files git has there', () => {
    const attest = jobs.attest.steps.filter((step) =>
      step.uses?.startsWith('actions/attest-build-provenance@')
    )
    expect(attest).toHaveLength(1)
    expect(attest[0].uses).toMatch(/^actions\/attest-build-provenance@[0-9a-f]{40}$/)
    const subjects = String(attest[0].with?.['subject-path'])
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    expect(subjects).toEqual(['action.yml', ...DIST_FILES])
    expect(runGit(root, 'ls-files', '--', 'dist/').trim().split('\n')).toEqual(DIST_FILES)
    // What the runner runs: action.yml names dist/index.js, and nothing else under dist/.
    const action = readFileSync(path.join(root, 'action.yml'), 'utf8')
    expect(action).toMatch(/^ {2}main: dist\/index\.js$/m)
    expect(action).not.toMatch(/^ {2}(pre|post)(-if)?:/m)
  })

  it('verify checks main, CI, the notes and dist/, with the whole history, main and CI before npm ci', () => {
    const verify = jobs.verify
    const checkout = verify.steps.find((step) => step.uses?.startsWith('actions/checkout@'))
    expect(checkout?.with?.['fetch-depth']).toBe(0)
    const onMain = stepIndex(
      verify,
      /^node scripts\/release-on-main\.js HEAD --main refs\/remotes\/origin\/main$/m
    )
    const ci = stepIndex(verify, /commits\/\$GITHUB_SHA\/check-runs\?filter=all/)
    const notes = stepIndex(verify, /^node scripts\/release-notes\.js "\$TAG"/m)
    const install = stepIndex(verify, /^npm ci\b/m)
    const dist = stepIndex(verify, /^node scripts\/ci\.js dist$/m)
    expect([onMain, ci, notes, install, dist].every((index) => index >= 0)).toBe(true)
    expect(onMain).toBeLessThan(install)
    expect(ci).toBeLessThan(install)
    expect(install).toBeLessThan(dist)
    expect(verify.steps[ci].run).toMatch(/\| node scripts\/release-gate\.js checks$/m)
    expect(verify.steps[ci].env).toEqual({ GH_TOKEN: '${{ github.token }}' })
  })

  it('the checks required are every job of ci.yml on every OS of its matrix', () => {
    const ci = parse(readFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'utf8')) as {
      jobs: Record<string, Job>
    }
    const names = Object.values(ci.jobs).flatMap((job) =>
      (job.strategy?.matrix?.os ?? []).map((os) => String(job.name).replace('${{ matrix.os }}', os))
    )
    expect(names.length).toBe(6)
    expect([...REQUIRED_CHECKS].sort()).toEqual(names.sort())
  })

  it('prepare checks the tag ruleset and decides about the major tag', () => {
    expect(
      stepIndex(jobs.prepare, /rulesets\?targets=tag&includes_parents=true/)
    ).toBeGreaterThanOrEqual(0)
    expect(
      stepIndex(jobs.prepare, /\| node scripts\/release-gate\.js tag-ruleset$/m)
    ).toBeGreaterThanOrEqual(0)
    expect(
      stepIndex(jobs.prepare, /node scripts\/release-gate\.js major-tag "\$TAG"/)
    ).toBeGreaterThanOrEqual(0)
  })

  it('publish checks the tag, creates the release, requires it immutable, and moves no tag', () => {
    const publish = jobs.publish
    const tagCheck = stepIndex(publish, /git\/ref\/tags\/\$TAG/)
    const create = stepIndex(publish, /gh release create "\$TAG" --verify-tag/)
    const immutable = stepIndex(publish, /releases\/tags\/\$TAG" --jq '\.immutable'/)
    expect(tagCheck).toBe(0)
    expect(create).toBe(1)
    expect(immutable).toBe(2)
    expect(publish.steps[tagCheck].run).toContain('!= "$GITHUB_SHA"')
    // After the release the (now locked) tag is checked again.
    expect(publish.steps[immutable].run).toContain('!= "$GITHUB_SHA"')
    expect(publish.steps[immutable].run).toContain('Enable release immutability')
    expect(runs(publish).join('\n')).not.toMatch(/--method (PATCH|POST)|git\/refs\b|git push/)
  })
})

describe('scripts/release-on-main.js', () => {
  let repo: string
  const git = (...args: string[]) => runGit(repo, ...args).trim()
  const commit = (message: string) => {
    writeFileSync(path.join(repo, `${message}.txt`), `${message}\n`)
    git('add', `${message}.txt`)
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
  let inside: string
  let merge: string
  let side: string

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'release-on-main-'))
    git('init', '-q', '-b', 'main')
    git('config', 'commit.gpgsign', 'false')
    first = commit('first')
    second = commit('second')
    // A pull request with a commit of its own, merged with a merge commit.
    git('checkout', '-q', '-b', 'feature')
    inside = commit('inside')
    git('checkout', '-q', 'main')
    git('merge', '-q', '--no-ff', '-m', 'Merge pull request', 'feature')
    merge = git('rev-parse', 'HEAD')
    // main as the release workflow's clone has it: a remote-tracking ref.
    git('update-ref', 'refs/remotes/origin/main', merge)
    git('checkout', '-q', '-b', 'side', first)
    side = commit('side')
  })
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true })
  })

  it.each([
    ['the tip of main (a merge commit)', () => merge],
    ['an older commit of main', () => second],
    ['the first commit', () => first]
  ])('accepts %s', (_label, sha) => {
    const { status, stdout } = onMain(sha())
    expect(stdout).toContain(`${sha()} is on the first-parent line of main (${merge})`)
    expect(status).toBe(0)
  })

  it("refuses a commit that came in with a merge: main's history, not its line", () => {
    expect(git('merge-base', '--is-ancestor', inside, merge)).toBe('')
    const { status, stderr } = onMain(inside)
    expect(stderr).toContain(
      `${inside} is in main's history (${merge}) but not on its first-parent line`
    )
    expect(stderr).toContain('git log --first-parent main')
    expect(status).toBe(1)
  })

  it('refuses a commit that is only on another branch, saying what to do', () => {
    const { status, stderr } = onMain(side)
    expect(stderr).toContain(`${side} is not on the first-parent line of main (${merge})`)
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

describe('scripts/major-tag.js, against a remote made for the test', () => {
  let dir: string
  let clone: string
  let origin: string
  const git = (cwd: string, ...args: string[]) => runGit(cwd, ...args).trim()
  const commits: Record<string, string> = {}
  const majorTag = (...args: string[]) => {
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'scripts', 'major-tag.js'), ...args],
      {
        cwd: clone,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' }
      }
    )
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }
  const remoteCommit = (name: string) =>
    git(origin, 'rev-parse', '--verify', '--quiet', `refs/tags/${name}^{commit}`)

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'major-tag-'))
    origin = path.join(dir, 'origin.git')
    clone = path.join(dir, 'clone')
    git(dir, 'init', '-q', '--bare', origin)
    git(dir, 'init', '-q', '-b', 'main', clone)
    git(clone, 'config', 'commit.gpgsign', 'false')
    git(clone, 'config', 'tag.gpgsign', 'false')
    git(clone, 'remote', 'add', 'origin', origin)
    for (const version of ['1.0.0', '1.2.0', '1.1.5', '1.10.0', '2.0.0']) {
      writeFileSync(path.join(clone, 'version.txt'), `${version}\n`)
      git(clone, 'add', 'version.txt')
      git(clone, 'commit', '-q', '-m', version)
      commits[version] = git(clone, 'rev-parse', 'HEAD')
    }
    // Annotated, as RELEASING.md tags; v1.10.0 is not pushed yet.
    for (const version of ['1.0.0', '1.2.0', '1.1.5', '2.0.0']) {
      git(clone, 'tag', '-a', `v${version}`, '-m', `v${version}`, commits[version])
      git(clone, 'push', '-q', 'origin', `v${version}`)
    }
    git(clone, 'push', '-q', 'origin', `${commits['1.0.0']}:refs/tags/v1`)
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('without --push, says which push moves v1 to the highest release, and pushes nothing', () => {
    const { status, stdout } = majorTag('v1.2.0')
    expect(stdout).toContain(`git push --force origin ${commits['1.2.0']}:refs/tags/v1`)
    expect(status).toBe(0)
    expect(remoteCommit('v1')).toBe(commits['1.0.0'])
  })

  it('with --push, moves v1 to the commit of the highest release, not to its tag object', () => {
    const { status, stdout } = majorTag('v1.2.0', '--push')
    expect(stdout).toContain(`v1 now names ${commits['1.2.0']} (v1.2.0) on origin`)
    expect(status).toBe(0)
    expect(remoteCommit('v1')).toBe(commits['1.2.0'])
    expect(majorTag('v1.2.0', '--push').stdout).toContain('v1 already names')
  })

  it('never moves v1 backwards: a backport released after a higher version leaves it', () => {
    const { status, stdout } = majorTag('v1.1.5', '--push')
    expect(stdout).toContain('v1 stays at v1.2.0')
    expect(status).toBe(0)
    expect(remoteCommit('v1')).toBe(commits['1.2.0'])
  })

  it('orders versions as numbers: v1.10.0 is above v1.2.0', () => {
    git(clone, 'tag', '-a', 'v1.10.0', '-m', 'v1.10.0', commits['1.10.0'])
    git(clone, 'push', '-q', 'origin', 'v1.10.0')
    expect(majorTag('v1.10.0', '--push').status).toBe(0)
    expect(remoteCommit('v1')).toBe(commits['1.10.0'])
    expect(majorTag('v1.2.0', '--push').stdout).toContain('v1 stays at v1.10.0')
    expect(remoteCommit('v1')).toBe(commits['1.10.0'])
  })

  it('reads the tags of the remote, not local ones', () => {
    git(clone, 'tag', '-a', 'v1.99.0', '-m', 'local only', commits['1.0.0'])
    const { status, stderr } = majorTag('v1.99.0', '--push')
    expect(stderr).toContain('v1.99.0 is not a tag on origin')
    expect(status).toBe(1)
    expect(remoteCommit('v1')).toBe(commits['1.10.0'])
  })

  it('refuses a usage error with status 2', () => {
    expect(majorTag('v1').status).toBe(2)
    expect(majorTag().status).toBe(2)
  })
})
