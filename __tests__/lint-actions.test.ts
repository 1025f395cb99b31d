/**
 * actionlint over the workflows and the documentation's snippets (scripts/lint-actions.js, README.md
 * and docs/*.md): passes on the real files, fails naming file, line and problem on a broken
 * workflow, a broken README or docs/ snippet, or a snippet whose third-party action is not pinned
 * by commit SHA; and the snippet extraction it relies on (scripts/lib/readme-snippets.js).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { unpinnedUses } from '../scripts/lib/pinned-uses.js'
import { asWorkflow, hasUsesStep, yamlSnippets } from '../scripts/lib/readme-snippets.js'

const root = process.cwd()
const script = path.join(root, 'scripts', 'lint-actions.js')
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const docsDir = path.join(root, 'docs')
const docPages = readdirSync(docsDir)
  .filter((name) => name.endsWith('.md'))
  .map((name) => readFileSync(path.join(docsDir, name), 'utf8'))
const snippetCount = [readme, ...docPages]
  .map((page) => yamlSnippets(page).filter(hasUsesStep).length)
  .reduce((a, b) => a + b, 0)

function lint(args: string[] = []) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' }
  })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

let dir: string
let emptyWorkflows: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lint-actions-'))
  emptyWorkflows = path.join(dir, 'none')
  mkdirSync(emptyWorkflows)
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function put(name: string, text: string): string {
  const file = path.join(dir, name)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
  return file
}

describe('readme-snippets', () => {
  const markdown = [
    '# Title', // 1
    '', // 2
    '```yaml', // 3
    '- uses: actions/checkout@v4', // 4
    '- run: echo', // 5
    '```', // 6
    '', // 7
    '```sh', // 8
    'echo not yaml', // 9
    '```', // 10
    '', // 11
    '```yml', // 12
    'on: push', // 13
    'jobs:', // 14
    '  a:', // 15
    '    runs-on: ubuntu-latest', // 16
    '    steps:', // 17
    '      - uses: ./', // 18
    '```', // 19
    '', // 20
    '```yaml', // 21
    'version: 2', // 22
    '```' // 23
  ].join('\n')

  it('finds yaml and yml blocks with the line of their first line', () => {
    expect(yamlSnippets(markdown).map((s) => s.line)).toEqual([4, 13, 22])
  })

  it.each([
    [0, true],
    [1, true],
    [2, false]
  ])('snippet %i has a uses: step: %s', (index, expected) => {
    expect(hasUsesStep(yamlSnippets(markdown)[index])).toBe(expected)
  })

  it('wraps a list of steps in a minimal job, mapping lines back to the Markdown', () => {
    const wrapped = asWorkflow(yamlSnippets(markdown)[0])
    expect(wrapped.kind).toBe('steps')
    const lines = wrapped.workflow.split('\n')
    const at = lines.findIndex((line) => line.includes('actions/checkout')) + 1
    expect(lines[at - 1]).toBe('      - uses: actions/checkout@v4')
    expect(at + wrapped.offset).toBe(4)
  })

  it('keeps a whole workflow as it is', () => {
    const snippet = yamlSnippets(markdown)[1]
    const wrapped = asWorkflow(snippet)
    expect(wrapped.kind).toBe('workflow')
    expect(wrapped.workflow).toBe(snippet.text)
    expect(1 + wrapped.offset).toBe(13)
  })
})

describe('lint-actions', () => {
  it('passes on the workflows and on every README.md and docs/ snippet that has a uses: step', () => {
    // The README's own and those of the pages in docs/ (set-up, versions, tokens, seeding).
    expect(yamlSnippets(readme).filter(hasUsesStep).length).toBeGreaterThanOrEqual(4)
    expect(snippetCount).toBeGreaterThanOrEqual(10)
    const { status, output } = lint()
    expect(output).toMatch(/actionlint: no problems; \d+ file\(s\) and snippet\(s\) linted/)
    expect(output).toContain(
      `, ${snippetCount} of them snippets of ${docPages.length + 1} documentation page(s).`
    )
    expect(status).toBe(0)
  })

  it('fails on a broken workflow, naming file, line and problem', () => {
    const workflow = readFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'utf8')
    const broken = workflow.replace('${{ matrix.os }}', '${{ matrix.system }}')
    expect(broken).not.toBe(workflow)
    const line = broken.split('\n').findIndex((l) => l.includes('matrix.system')) + 1
    put('broken/workflows/ci.yml', broken)
    const { status, output } = lint([
      '--workflows',
      path.join(dir, 'broken', 'workflows'),
      '--readme',
      put('clean.md', '# nothing to lint\n'),
      '--docs',
      emptyWorkflows
    ])
    expect(status).toBe(1)
    expect(output).toMatch(new RegExp(`ci\\.yml:${line}:\\d+: property "system" is not defined`))
  })

  it('fails on a broken README snippet, naming the README line', () => {
    const snippet = yamlSnippets(readme).find(hasUsesStep)
    if (!snippet) throw new Error('the README has no snippet with a uses: step')
    const text = readme.split('\n')
    // An action input may only be given under `with:`: the typo is a key of the step itself.
    const usesLine = text.findIndex((l, i) => i >= snippet.line - 1 && /uses:/.test(l))
    const indent = (/^(\s*)(?:- )?/.exec(text[usesLine])?.[0] ?? '').length
    text.splice(usesLine + 1, 0, `${' '.repeat(indent)}with_: {}`)
    const { status, output } = lint([
      '--workflows',
      emptyWorkflows,
      '--readme',
      put('README.md', text.join('\n')),
      '--docs',
      emptyWorkflows
    ])
    expect(status).toBe(1)
    expect(output).toMatch(new RegExp(`README\\.md:${usesLine + 2}:\\d+: unexpected key "with_"`))
  })

  it('fails on a docs/ snippet that uses an action by tag, naming the page and line', () => {
    const seeding = readFileSync(path.join(docsDir, 'seeding.md'), 'utf8')
    const broken = seeding.replace(
      /actions\/checkout@[0-9a-f]{40} # v[\d.]+/,
      'actions/checkout@v6'
    )
    expect(broken).not.toBe(seeding)
    const line = broken.split('\n').findIndex((l) => l.includes('actions/checkout@v6')) + 1
    mkdirSync(path.join(dir, 'docs-broken'), { recursive: true })
    put('docs-broken/seeding.md', broken)
    const { status, output } = lint([
      '--workflows',
      emptyWorkflows,
      '--readme',
      put('clean-readme.md', '# nothing to lint\n'),
      '--docs',
      path.join(dir, 'docs-broken')
    ])
    expect(status).toBe(1)
    expect(output).toMatch(
      new RegExp(`seeding\\.md:${line}:1: "actions/checkout@v6" is not pinned by a full commit SHA`)
    )
  })
})

describe('unpinnedUses', () => {
  const sha = 'de0fac2e4500dabe0009e67214ff5f5447ce83dd'
  it.each([
    [`- uses: actions/checkout@${sha} # v6.0.2`, []],
    ['- uses: OWNER/logto-m2m-token-action@v1', []],
    [`- uses: OWNER/logto-m2m-token-action@${sha} # v1.2.3`, []],
    ['      - uses: ./', []],
    ['- uses: actions/checkout@v6', ['not pinned by a full commit SHA']],
    ['  uses: "hashicorp/setup-terraform@v3"', ['not pinned by a full commit SHA']],
    [`- uses: actions/checkout@${sha.slice(0, 39)} # v6.0.2`, ['not pinned by a full commit SHA']],
    [`- uses: actions/checkout@${sha}`, ['has no "# vX.Y.Z" comment']],
    [`- uses: actions/checkout@${sha} # pinned`, ['has no "# vX.Y.Z" comment']]
  ])('%s', (line, expected) => {
    const found = unpinnedUses(`- run: echo\n${line}\n`)
    expect(found.map((f) => f.line)).toEqual(expected.map(() => 2))
    expected.forEach((text, i) => expect(found[i].message).toContain(text))
  })
})
