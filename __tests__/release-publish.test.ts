/**
 * The publish job's own shell steps (.github/workflows/release.yml), run with bash as the runner
 * runs them (`bash -eo pipefail`) against a stand-in `gh` that answers GitHub's REST API from
 * files: the tag must still name the verified commit (lightweight or annotated), the release
 * must be reported immutable, and the major tag is left to a release manager with the command
 * to run; and the verify and prepare jobs' gates (CI passed, tag ruleset, major tag), through
 * scripts/release-gate.js. Skipped on Windows and without jq (the stand-in uses it as gh's --jq
 * does).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { REQUIRED_CHECKS } from '../scripts/lib/release-rules.js'

const root = process.cwd()
interface Step {
  name?: string
  run?: string
}
const workflow = parse(
  readFileSync(path.join(root, '.github', 'workflows', 'release.yml'), 'utf8')
) as { jobs: Record<string, { steps: Step[] }> }
const publish = workflow.jobs.publish.steps
const step = (pattern: RegExp, steps = publish) => {
  const found = steps.find(
    (candidate) => candidate.run !== undefined && pattern.test(candidate.run)
  )
  if (!found?.run) throw new Error(`no publish step matches ${pattern}`)
  return found.run
}

/** gh api [--paginate] PATH [--jq EXPR]: the file named after PATH, through jq; gh release: logged. */
const FAKE_GH = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$FAKE_GH_LOG"
if [ "$1" = release ]; then exit 0; fi
shift
path=''
expr='.'
while [ $# -gt 0 ]; do
  case "$1" in
    --paginate|--silent) shift ;;
    --jq) expr="$2"; shift 2 ;;
    -*) shift 2 ;;
    *) path="$1"; shift ;;
  esac
done
file="$FAKE_GH_DIR/$(printf '%s' "$path" | tr '/?&=' '____').json"
if [ ! -f "$file" ]; then echo "gh: Not Found (HTTP 404) $path" >&2; exit 1; fi
jq -r "$expr" "$file"
`

const unavailable =
  process.platform === 'win32'
    ? 'on Windows'
    : spawnSync('jq', ['--version']).error !== undefined
      ? 'without jq'
      : undefined
const describeHere = unavailable === undefined ? describe : describe.skip

describeHere(
  `publish job steps with a stand-in gh${unavailable ? ` (skipped ${unavailable})` : ''}`,
  () => {
    const sha = 'a'.repeat(40)
    const other = 'b'.repeat(40)
    const tagObject = 'c'.repeat(40)
    let dir: string
    const api = (apiPath: string, body: unknown) =>
      writeFileSync(
        path.join(dir, 'api', `${apiPath.replace(/[/?&=]/g, '_')}.json`),
        JSON.stringify(body)
      )
    const bash = (script: string, env: Record<string, string> = {}) => {
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        cwd: root,
        encoding: 'utf8',
        env: {
          PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
          HOME: dir,
          FAKE_GH_DIR: path.join(dir, 'api'),
          FAKE_GH_LOG: path.join(dir, 'gh.log'),
          GITHUB_REPOSITORY: 'owner/repo',
          GITHUB_SHA: sha,
          GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
          GITHUB_OUTPUT: path.join(dir, 'output.txt'),
          RUNNER_TEMP: dir,
          GH_TOKEN: 'token',
          TAG: 'v1.2.3',
          ...env
        }
      })
      return { status: result.status, out: `${result.stdout}${result.stderr}` }
    }
    const ghCalls = () => readFileSync(path.join(dir, 'gh.log'), 'utf8')

    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'release-publish-'))
      mkdirSync(path.join(dir, 'bin'))
      mkdirSync(path.join(dir, 'api'))
      writeFileSync(path.join(dir, 'bin', 'gh'), FAKE_GH)
      chmodSync(path.join(dir, 'bin', 'gh'), 0o755)
      writeFileSync(path.join(dir, 'gh.log'), '')
    })
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true })
    })

    const tagCheck = step(/git\/ref\/tags\/\$TAG/)
    const immutable = step(/--jq '\.immutable'/)
    const create = step(/gh release create/)
    const major = step(/\$DECISION/)

    describe('the tag still names the verified commit', () => {
      it('passes for a lightweight tag on $GITHUB_SHA', () => {
        api('repos/owner/repo/git/ref/tags/v1.2.3', { object: { type: 'commit', sha } })
        const { status, out } = bash(tagCheck)
        expect(out).toContain(`v1.2.3 names ${sha}, the verified commit`)
        expect(status).toBe(0)
      })

      it('passes for an annotated tag, following the tag object to its commit', () => {
        api('repos/owner/repo/git/ref/tags/v1.2.3', { object: { type: 'tag', sha: tagObject } })
        api(`repos/owner/repo/git/tags/${tagObject}`, { object: { type: 'commit', sha } })
        const { status } = bash(tagCheck)
        expect(status).toBe(0)
        expect(ghCalls()).toContain(`git/tags/${tagObject}`)
      })

      it('fails when the tag was moved after verify, publishing nothing', () => {
        api('repos/owner/repo/git/ref/tags/v1.2.3', { object: { type: 'commit', sha: other } })
        const { status, out } = bash(tagCheck)
        expect(out).toContain(
          `::error::v1.2.3 now names ${other}, not the verified commit ${sha}: nothing was published.`
        )
        expect(status).toBe(1)
        expect(ghCalls()).not.toContain('release')
      })

      it('fails when the tag is gone', () => {
        expect(bash(tagCheck).status).not.toBe(0)
      })
    })

    it('creates the release from the prepared notes, with --verify-tag', () => {
      const { status } = bash(create, { NOTES: '### Fixed\n\n- A thing.' })
      expect(status).toBe(0)
      expect(ghCalls()).toContain(
        `release create v1.2.3 --verify-tag --title v1.2.3 --notes-file ${dir}/release-notes.md`
      )
      expect(readFileSync(path.join(dir, 'release-notes.md'), 'utf8')).toBe(
        '### Fixed\n\n- A thing.\n'
      )
    })

    describe('GitHub reports the release immutable', () => {
      beforeEach(() => {
        api('repos/owner/repo/git/ref/tags/v1.2.3', { object: { type: 'commit', sha } })
      })

      it('passes when the release is immutable and its tag on the verified commit', () => {
        api('repos/owner/repo/releases/tags/v1.2.3', { tag_name: 'v1.2.3', immutable: true })
        const { status, out } = bash(immutable)
        expect(out).toContain(`v1.2.3 is an immutable release of ${sha}`)
        expect(status).toBe(0)
      })

      it.each([
        ['false', { immutable: false }],
        ['missing (an older GitHub)', {}]
      ])('fails loudly, saying what to turn on, when immutable is %s', (_label, release) => {
        api('repos/owner/repo/releases/tags/v1.2.3', { tag_name: 'v1.2.3', ...release })
        const { status, out } = bash(immutable)
        expect(out).toContain(
          '::error::The release v1.2.3 was published but GitHub reports it NOT immutable'
        )
        expect(out).toContain('Settings > General > Releases > Enable release immutability')
        expect(status).toBe(1)
      })

      it('fails when the tag of the immutable release is not the verified commit', () => {
        api('repos/owner/repo/releases/tags/v1.2.3', { immutable: true })
        api('repos/owner/repo/git/ref/tags/v1.2.3', { object: { type: 'commit', sha: other } })
        const { status, out } = bash(immutable)
        expect(out).toContain(`::error::v1.2.3 names ${other}, not the verified commit ${sha}`)
        expect(status).toBe(1)
      })
    })

    it.each([
      [
        'move v1',
        'v1.2.3 is the highest v1.*.*: a release manager moves v1 to it with `node scripts/major-tag.js v1.2.3 --push`'
      ],
      ['stay v1 v1.4.0', 'v1 stays at v1.4.0, a higher release than v1.2.3.']
    ])(
      'says what to do with the major tag for %s, in the job summary, moving nothing',
      (decision, line) => {
        const { status, out } = bash(major, { DECISION: decision })
        expect(status).toBe(0)
        expect(out).toContain(line)
        expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain(line)
        expect(ghCalls()).toBe('')
      }
    )

    describe('the gates before it, on what GitHub answers (verify and prepare jobs)', () => {
      const checks = step(/check-runs/, workflow.jobs.verify.steps)
      const ruleset = step(/tag-ruleset/, workflow.jobs.prepare.steps)
      const majorTag = step(/major-tag/, workflow.jobs.prepare.steps)
      const checkRuns = `repos/owner/repo/commits/${sha}/check-runs?filter=all&per_page=100`
      const run = (name: string, conclusion = 'success') => ({
        name,
        status: 'completed',
        conclusion,
        app: { slug: 'github-actions' }
      })

      it('CI passed: every required check run, read through gh and release-gate.js', () => {
        api(checkRuns, { check_runs: REQUIRED_CHECKS.map((name) => run(name)) })
        const { status, out } = bash(checks)
        expect(out).toContain('CI passed on this commit')
        expect(status).toBe(0)
      })

      it('CI passed: refuses a commit whose check failed', () => {
        const [first, ...rest] = REQUIRED_CHECKS
        api(checkRuns, { check_runs: [run(first, 'failure'), ...rest.map((name) => run(name))] })
        const { status, out } = bash(checks)
        expect(out).toContain(`${first}: failure`)
        expect(status).toBe(1)
      })

      const list = 'repos/owner/repo/rulesets?targets=tag&includes_parents=true&per_page=100'
      const full = {
        id: 7,
        name: 'release tags',
        target: 'tag',
        enforcement: 'active',
        conditions: { ref_name: { include: ['refs/tags/v*'], exclude: [] } },
        rules: [{ type: 'creation' }, { type: 'update' }, { type: 'deletion' }]
      }

      it('tag ruleset: passes on the ruleset RELEASING.md sets up, read by id', () => {
        api(list, [{ id: 7, name: 'release tags', current_user_can_bypass: 'never' }])
        api('repos/owner/repo/rulesets/7', full)
        const { status, out } = bash(ruleset)
        expect(out).toContain('An active tag ruleset restricts creating, moving and deleting')
        expect(status).toBe(0)
      })

      it.each([
        ['there is none', [], undefined, 'no active tag ruleset covers refs/tags/v*'],
        [
          'the workflow token can bypass it',
          [{ id: 7, current_user_can_bypass: 'always' }],
          full,
          'can bypass ruleset "release tags" (always)'
        ],
        [
          'it does not restrict moving tags',
          [{ id: 7 }],
          { ...full, rules: [{ type: 'creation' }, { type: 'deletion' }] },
          'has the rule update'
        ]
      ])('tag ruleset: refuses when %s', (_label, items, ruleset7, problem) => {
        api(list, items)
        if (ruleset7) api('repos/owner/repo/rulesets/7', ruleset7)
        const { status, out } = bash(ruleset)
        expect(out).toContain(problem)
        expect(status).toBe(1)
      })

      it.each([
        ['v1.2.3', 'move v1'],
        ['v1.1.5', 'stay v1 v1.2.0']
      ])('major tag: %s gives "%s" as the job output', (tag, decision) => {
        api(
          'repos/owner/repo/git/matching-refs/tags/v',
          ['v1', 'v1.0.0', 'v1.2.0', tag].map((name) => ({ ref: `refs/tags/${name}` }))
        )
        const { status } = bash(majorTag, { TAG: tag })
        expect(status).toBe(0)
        expect(readFileSync(path.join(dir, 'output.txt'), 'utf8')).toBe(`decision=${decision}\n`)
      })
    })
  }
)
