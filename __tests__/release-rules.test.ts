/**
 * The release rules (scripts/lib/release-rules.js) as tables, and scripts/release-gate.js, which
 * the release workflow feeds GitHub's answers: version order and the major tag that never moves
 * backwards, the commit's CI, the tag ruleset.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import {
  REQUIRED_CHECKS,
  compareVersions,
  failedChecks,
  majorTagDecision,
  parseReleaseTag,
  remoteTags,
  tagRulesetProblems
} from '../scripts/lib/release-rules.js'

const root = process.cwd()
const gate = (input: string, ...args: string[]) => {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'release-gate.js'), ...args],
    {
      cwd: root,
      input,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' }
    }
  )
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('parseReleaseTag', () => {
  it.each([
    ['v1.2.3', { major: 1, minor: 2, patch: 3 }],
    ['v0.0.0', { major: 0, minor: 0, patch: 0 }],
    ['v10.20.30', { major: 10, minor: 20, patch: 30 }]
  ])('%s is a release tag', (tag, version) => {
    expect(parseReleaseTag(tag)).toEqual(version)
  })

  it.each([
    'v1',
    'v1.2',
    '1.2.3',
    'v1.2.3-rc.1',
    'v1.2.3+build',
    'v01.2.3',
    'v1.02.3',
    'V1.2.3',
    'v1.2.3.4',
    ' v1.2.3'
  ])('%s is not', (tag) => {
    expect(parseReleaseTag(tag)).toBeUndefined()
  })
})

describe('compareVersions', () => {
  it.each([
    ['v1.2.3', 'v1.2.3', 0],
    ['v1.10.0', 'v1.9.9', 1],
    ['v1.2.10', 'v1.2.9', 1],
    ['v2.0.0', 'v1.99.99', 1],
    ['v1.1.5', 'v1.2.0', -1]
  ])('%s against %s: %i (numbers, not text)', (a, b, sign) => {
    const parsed = [parseReleaseTag(a), parseReleaseTag(b)]
    if (!parsed[0] || !parsed[1]) throw new Error('bad fixture')
    expect(Math.sign(compareVersions(parsed[0], parsed[1]))).toBe(sign)
  })
})

describe('majorTagDecision: the major tag moves only to the highest vX.*.*', () => {
  const tags = ['v1', 'v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.10.0-rc.1', 'v2', 'v2.0.0', 'latest']
  it.each([
    ['v1.2.1', tags, { major: 'v1', move: true, highest: 'v1.2.1' }],
    ['v1.3.0', [...tags, 'v1.3.0'], { major: 'v1', move: true, highest: 'v1.3.0' }],
    ['v1.1.5', tags, { major: 'v1', move: false, highest: 'v1.2.0' }],
    ['v1.2.0', tags, { major: 'v1', move: true, highest: 'v1.2.0' }],
    ['v1.9.0', [...tags, 'v1.10.0'], { major: 'v1', move: false, highest: 'v1.10.0' }],
    ['v2.0.1', tags, { major: 'v2', move: true, highest: 'v2.0.1' }],
    ['v3.0.0', tags, { major: 'v3', move: true, highest: 'v3.0.0' }],
    ['v1.0.1', ['v2.5.0'], { major: 'v1', move: true, highest: 'v1.0.1' }]
  ])('%s among %j', (tag, list, decision) => {
    expect(majorTagDecision(tag, list)).toEqual(decision)
  })

  it('refuses a tag that is not vX.Y.Z', () => {
    expect(() => majorTagDecision('v1', [])).toThrow('v1 is not a release tag vX.Y.Z')
  })
})

describe('remoteTags', () => {
  it('takes the commit of an annotated tag from its ^{} line, whatever the order', () => {
    const a = 'a'.repeat(40)
    const b = 'b'.repeat(40)
    const c = 'c'.repeat(40)
    const listing = [
      `${a}\trefs/tags/v1.2.3^{}`,
      `${b}\trefs/tags/v1.2.3`,
      `${c}\trefs/tags/v1`,
      'garbage',
      ''
    ].join('\n')
    expect([...remoteTags(listing)]).toEqual([
      ['v1.2.3', a],
      ['v1', c]
    ])
  })
})

type Run = { name: string; status: string; conclusion: string | null; app: string }
const passed = (name: string): Run => ({
  name,
  status: 'completed',
  conclusion: 'success',
  app: 'github-actions'
})

describe('failedChecks: every job of ci.yml passed on the commit', () => {
  const all = REQUIRED_CHECKS.map(passed)

  it('passes when each required check has a successful run', () => {
    expect(failedChecks(all)).toEqual([])
  })

  it('passes with a failed run and a successful re-run, and with the tag run still going', () => {
    const [first] = REQUIRED_CHECKS
    const runs = [
      { ...passed(first), conclusion: 'failure' },
      { ...passed(first), status: 'in_progress', conclusion: null },
      ...all
    ]
    expect(failedChecks(runs)).toEqual([])
  })

  it.each([
    ['missing', all.slice(1), `${REQUIRED_CHECKS[0]}: no check run`],
    [
      'failed',
      [{ ...all[0], conclusion: 'failure' }, ...all.slice(1)],
      `${REQUIRED_CHECKS[0]}: failure`
    ],
    [
      'cancelled',
      [{ ...all[0], conclusion: 'cancelled' }, ...all.slice(1)],
      `${REQUIRED_CHECKS[0]}: cancelled`
    ],
    [
      'skipped',
      [{ ...all[0], conclusion: 'skipped' }, ...all.slice(1)],
      `${REQUIRED_CHECKS[0]}: skipped`
    ],
    [
      'in progress',
      [{ ...all[0], status: 'in_progress', conclusion: null }, ...all.slice(1)],
      `${REQUIRED_CHECKS[0]}: in_progress`
    ],
    [
      'by another app',
      [{ ...all[0], app: 'some-app' }, ...all.slice(1)],
      `${REQUIRED_CHECKS[0]}: no check run`
    ]
  ])('refuses a required check that is %s', (_label, runs, problem) => {
    expect(failedChecks(runs)).toEqual([problem])
  })
})

const rule = (type: string) => ({ type })
const tagRuleset = {
  name: 'release tags',
  target: 'tag',
  enforcement: 'active',
  conditions: { ref_name: { include: ['refs/tags/v*'], exclude: [] } },
  rules: ['creation', 'update', 'deletion', 'non_fast_forward'].map(rule),
  current_user_can_bypass: 'never'
}

describe('tagRulesetProblems: an active tag ruleset keeps v* for release managers', () => {
  it('accepts the ruleset RELEASING.md sets up, or one on every tag', () => {
    expect(tagRulesetProblems([tagRuleset])).toEqual([])
    const everyTag = { ...tagRuleset, conditions: { ref_name: { include: ['~ALL'] } } }
    expect(tagRulesetProblems([everyTag])).toEqual([])
  })

  it('accepts the rules spread over two rulesets', () => {
    const creation = { ...tagRuleset, rules: [rule('creation')] }
    const rest = { ...tagRuleset, rules: [rule('update'), rule('deletion')] }
    expect(tagRulesetProblems([creation, rest])).toEqual([])
  })

  const none = [
    'no active tag ruleset covers refs/tags/v* (include refs/tags/v* or ~ALL, no exclusion)'
  ]
  it.each([
    ['none at all', [], none],
    ['a branch ruleset', [{ ...tagRuleset, target: 'branch' }], none],
    ['one in evaluate mode', [{ ...tagRuleset, enforcement: 'evaluate' }], none],
    ['a disabled one', [{ ...tagRuleset, enforcement: 'disabled' }], none],
    [
      'one on other tags',
      [{ ...tagRuleset, conditions: { ref_name: { include: ['refs/tags/release-*'] } } }],
      none
    ],
    [
      'one that excludes v tags',
      [
        {
          ...tagRuleset,
          conditions: { ref_name: { include: ['~ALL'], exclude: ['refs/tags/v1'] } }
        }
      ],
      none
    ],
    ['one without conditions', [{ ...tagRuleset, conditions: null }], none],
    [
      'one that lets anyone move them',
      [{ ...tagRuleset, rules: [rule('creation'), rule('deletion')] }],
      ['no active tag ruleset covering refs/tags/v* has the rule update']
    ],
    [
      'one the workflow token can bypass',
      [{ ...tagRuleset, current_user_can_bypass: 'always' }],
      [
        'the workflow\'s token can bypass ruleset "release tags" (always): remove GitHub Actions ' +
          'and any app or role it acts as from its bypass list'
      ]
    ]
  ])('refuses %s', (_label, rulesets, problems) => {
    expect(tagRulesetProblems(rulesets)).toEqual(problems)
  })
})

describe('scripts/release-gate.js', () => {
  const lines = (runs: Run[]) => runs.map((run) => JSON.stringify(run)).join('\n')

  it('checks: passes on every required check, fails naming what did not pass', () => {
    const ok = gate(lines(REQUIRED_CHECKS.map(passed)), 'checks')
    expect(ok.stdout).toContain('CI passed on this commit')
    expect(ok.status).toBe(0)
    const failed = gate(lines(REQUIRED_CHECKS.slice(1).map(passed)), 'checks')
    expect(failed.stderr).toContain(`  ${REQUIRED_CHECKS[0]}: no check run`)
    expect(failed.stderr).toContain('Wait for the CI run of main on this commit to pass')
    expect(failed.status).toBe(1)
    expect(gate('', 'checks').status).toBe(1)
  })

  it('tag-ruleset: passes on a protecting ruleset, fails pointing at RELEASING.md', () => {
    expect(gate(JSON.stringify([tagRuleset]), 'tag-ruleset').status).toBe(0)
    const missing = gate('[]\n', 'tag-ruleset')
    expect(missing.stderr).toContain('no active tag ruleset covers refs/tags/v*')
    expect(missing.stderr).toContain('RELEASING.md ("Rulesets")')
    expect(missing.status).toBe(1)
  })

  it('major-tag: move or stay, from the tag names on stdin', () => {
    const tags = 'v1\nv1.0.0\nv1.2.0\n'
    expect(gate(tags, 'major-tag', 'v1.2.1').stdout).toBe('move v1\n')
    expect(gate(tags, 'major-tag', 'v1.1.5').stdout).toBe('stay v1 v1.2.0\n')
  })

  it.each([
    ['no command', []],
    ['an unknown command', ['publish']],
    ['major-tag without a release tag', ['major-tag', 'v1']],
    ['checks with an argument', ['checks', 'x']]
  ])('refuses %s with status 2', (_label, args) => {
    expect(gate('', ...args).status).toBe(2)
  })

  it('refuses input that is not JSON with status 2', () => {
    const result = gate('{not json', 'checks')
    expect(result.stderr).toContain('unreadable input')
    expect(result.status).toBe(2)
  })
})
