/**
 * The repository checks (scripts/validate-schemas.js, scripts/readme-tables.js) pass on the real
 * files and fail, naming the problem, on broken copies. (actionlint: lint-actions.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as prettier from 'prettier'
import { parse } from 'yaml'

const root = process.cwd()
const validateSchemas = path.join(root, 'scripts', 'validate-schemas.js')
const readmeTables = path.join(root, 'scripts', 'readme-tables.js')

function run(script: string, args: string[] = []) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' }
  })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'repo-checks-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Writes `text` to `name` inside the temp dir; returns its path. */
function put(name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

const actionYml = readFileSync(path.join(root, 'action.yml'), 'utf8')

describe('validate-schemas', () => {
  it('accepts action.yml (runs.using: node24), the workflows and dependabot.yml', () => {
    expect(actionYml).toMatch(/^ {2}using: node24$/m)
    const { status, output } = run(validateSchemas)
    expect(output).toContain('ok       action.yml')
    expect(output).toMatch(/ok {7}\.github[\\/]workflows[\\/]ci\.yml/)
    expect(output).toMatch(/ok {7}\.github[\\/]dependabot\.yml/)
    expect(status).toBe(0)
  })

  it('rejects a workflow with an unknown key, naming the line', () => {
    const workflow = readFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'utf8')
    const broken = workflow.replace(/^( {4})runs-on:/m, '$1runz-on: ubuntu-latest\n$1runs-on:')
    expect(broken).not.toBe(workflow)
    const { status, output } = run(validateSchemas, [put('ci.yml', broken)])
    expect(status).toBe(1)
    expect(output).toMatch(/ci\.yml \(Line: \d+, Col: 5\): Unexpected value 'runz-on'/)
  })

  it('rejects a workflow that is not valid YAML', () => {
    const { status, output } = run(validateSchemas, [put('broken.yml', 'on: [push\njobs: {}\n')])
    expect(status).toBe(1)
    expect(output).toContain('invalid  ')
    expect(output).toContain('Flow sequence in block collection')
  })

  it('rejects a workflow whose every job waits on another (a check across jobs)', () => {
    const job = (needs: string) =>
      `  ${needs === 'a' ? 'b' : 'a'}:\n    needs: ${needs}\n    runs-on: ubuntu-latest\n` +
      '    steps:\n      - run: echo\n'
    const file = put('cycle.yml', `on: push\njobs:\n${job('b')}${job('a')}`)
    const { status, output } = run(validateSchemas, [file])
    expect(status).toBe(1)
    expect(output).toContain('at least one job with no dependencies')
  })

  it('rejects action.yml with runs.using: node99', () => {
    const file = put('action.yml', actionYml.replace('using: node24', 'using: node99'))
    const { status, output } = run(validateSchemas, [file])
    expect(status).toBe(1)
    expect(output).toMatch(/action\.yml \(Line: \d+, Col: \d+\): Unexpected value 'node99'/)
  })

  it('rejects action.yml without runs', () => {
    const withoutRuns = actionYml.replace(/^runs:\n(?: {2}.*\n?)*/m, '')
    expect(withoutRuns).not.toMatch(/^runs:/m)
    const { status, output } = run(validateSchemas, [put('action.yml', withoutRuns)])
    expect(status).toBe(1)
    expect(output).toContain('Required property is missing: runs')
  })

  it('rejects a branding icon GitHub does not offer', () => {
    const file = put('action.yml', actionYml.replace(/^( {2}icon:).*$/m, '$1 key'))
    const { status, output } = run(validateSchemas, [file])
    expect(status).toBe(1)
    expect(output).toContain("Unexpected value 'key'")
  })

  it('rejects action.yml with a key GitHub does not know', () => {
    const file = put('action.yml', `${actionYml}outputz: {}\n`)
    const { status, output } = run(validateSchemas, [file])
    expect(status).toBe(1)
    expect(output).toContain("Unexpected value 'outputz'")
  })

  it('rejects a dependabot.yml without a schedule', () => {
    const file = put(
      'dependabot.yml',
      'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n'
    )
    const { status, output } = run(validateSchemas, [file])
    expect(status).toBe(1)
    expect(output).toContain('/updates/0/schedule/interval')
  })

  it('rejects a cooldown key Dependabot does not know, or days out of range', () => {
    const file = put(
      'dependabot.yml',
      'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n' +
        '    schedule:\n      interval: weekly\n    cooldown:\n      default: 7\n' +
        '      semver-major-days: 120\n'
    )
    const { status, output } = run(validateSchemas, [file])
    expect(status).toBe(1)
    expect(output).toContain('/updates/0/cooldown/default: unknown key')
    expect(output).toContain('/updates/0/cooldown/semver-major-days: a whole number of days')
  })

  it('fails on a missing file', () => {
    const { status, output } = run(validateSchemas, [path.join(dir, 'nope.yml')])
    expect(status).toBe(2)
    expect(output).toContain('file not found')
  })
})

/**
 * GitHub Marketplace's publishing form refuses an action.yml whose description has 125
 * characters or more ("Description must be less than 125 characters.").
 */
const MARKETPLACE_DESCRIPTION_LIMIT = 125
function descriptionProblem(description: unknown): string | undefined {
  if (typeof description !== 'string' || description.trim() === '') return 'no description'
  const { length } = description
  return length < MARKETPLACE_DESCRIPTION_LIMIT
    ? undefined
    : `description has ${length} characters; the Marketplace takes fewer than ${MARKETPLACE_DESCRIPTION_LIMIT}`
}

describe('action.yml for the Marketplace', () => {
  it('has a description shorter than 125 characters', () => {
    const { description } = parse(actionYml) as { description?: unknown }
    expect(descriptionProblem(description)).toBeUndefined()
  })

  it.each([
    [124, undefined],
    [125, 'description has 125 characters; the Marketplace takes fewer than 125'],
    [170, 'description has 170 characters; the Marketplace takes fewer than 125']
  ])('the check on a description of %i characters: %s', (length, expected) => {
    expect(descriptionProblem('x'.repeat(length))).toBe(expected)
  })
})

describe('readme-tables', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const readmeArgs = (file: string) => ['--readme', file, '--action', path.join(root, 'action.yml')]

  it('finds README.md in step with action.yml', () => {
    const { status, output } = run(readmeTables, ['--check'])
    expect(output).toContain('README tables match action.yml')
    expect(status).toBe(0)
  })

  it('names an input missing from the table', () => {
    const broken = readme
      .split('\n')
      .filter((line) => !line.startsWith('| `tenant-id`'))
      .join('\n')
    expect(broken).not.toBe(readme)
    const { status, output } = run(readmeTables, readmeArgs(put('README.md', broken)))
    expect(status).toBe(1)
    expect(output).toContain('input tenant-id is in action.yml but missing from the README table')
  })

  it('names a stale default', () => {
    const broken = readme.replace(/^(\| `retries` +\| )`3`( *)\|/m, '$1`5`$2|')
    expect(broken).not.toBe(readme)
    const { status, output } = run(readmeTables, readmeArgs(put('README.md', broken)))
    expect(status).toBe(1)
    expect(output).toContain('input retries: default is `5` in the README, `3` in action.yml')
  })

  it('names an output action.yml no longer has', () => {
    const action = put(
      'action.yml',
      actionYml.replace(/^ {2}audience:\n {4}description: .*\n/m, '')
    )
    const { status, output } = run(readmeTables, [
      '--readme',
      put('README.md', readme),
      '--action',
      action
    ])
    expect(status).toBe(1)
    expect(output).toContain('output audience is in the README table but not in action.yml')
  })

  it('fails when the markers are missing', () => {
    const { status, output } = run(readmeTables, readmeArgs(put('README.md', '# Title\n')))
    expect(status).toBe(1)
    expect(output).toContain('<!-- inputs:start -->')
  })

  it('--write repairs the tables, keeps the rest, and Prettier accepts the result', async () => {
    const broken = readme
      .replace(/^(\| `retries` +\| )`3`/m, '$1`9`')
      .concat('\nText the lead wrote after the tables.\n')
    const file = put('README.md', broken)
    expect(run(readmeTables, ['--write', ...readmeArgs(file)]).status).toBe(0)
    const written = readFileSync(file, 'utf8')
    expect(written).toContain('Text the lead wrote after the tables.')
    expect(run(readmeTables, ['--check', ...readmeArgs(file)]).status).toBe(0)
    const options = (await prettier.resolveConfig(path.join(root, 'README.md'))) ?? {}
    expect(await prettier.check(written, { ...options, parser: 'markdown' })).toBe(true)
  })

  it('--write creates a placeholder README.md when there is none', () => {
    const missing = path.join(dir, 'README-new.md')
    expect(existsSync(missing)).toBe(false)
    const { status } = run(readmeTables, ['--write', ...readmeArgs(missing)])
    expect(status).toBe(0)
    const created = readFileSync(missing, 'utf8')
    expect(created.startsWith('# Logto M2M token action\n')).toBe(true)
    expect(created).toContain('<!-- inputs:end -->')
    expect(created).toContain('<!-- outputs:end -->')
    expect(run(readmeTables, ['--check', ...readmeArgs(missing)]).status).toBe(0)
  })
})

describe('.github/dependabot.yml', () => {
  interface Update {
    'package-ecosystem': string
    directory?: string
    directories?: string[]
    cooldown?: Record<string, number>
  }
  const config = parse(readFileSync(path.join(root, '.github', 'dependabot.yml'), 'utf8')) as {
    updates: Update[]
  }

  it('gives every ecosystem a cooldown of at least a few days for new versions', () => {
    for (const update of config.updates) {
      expect([update['package-ecosystem'], update.cooldown?.['default-days']]).toEqual([
        update['package-ecosystem'],
        expect.any(Number)
      ])
      expect(update.cooldown?.['default-days']).toBeGreaterThanOrEqual(3)
    }
  })

  it('updates the pinned Node runtimes of tools/node<major>', () => {
    const pinned = readdirSync(path.join(root, 'tools'))
      .filter((name) => /^node\d+$/.test(name))
      .map((name) => `/tools/${name}`)
    expect(pinned.sort()).toEqual(['/tools/node20', '/tools/node24'])
    const watched = config.updates
      .filter((update) => update['package-ecosystem'] === 'npm')
      .flatMap((update) => update.directories ?? [update.directory ?? ''])
    for (const dir of pinned) expect(watched).toContain(dir)
  })
})
