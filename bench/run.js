/**
 * `npm run bench`: the benchmark on each Node version in turn (bench/measure.js, started with
 * that Node), then the sizes of what the runner downloads and runs, then the tables of
 * docs/performance.md, printed in the form that page uses. A benchmark, not a test: it exits 0
 * whether or not the targets are met (2 on a usage error).
 *
 *   npm run bench -- [--node 24 --node 20] [--readme] [--rounds 30] [--warmup 3]
 *                    [--memory-runs 5] [--entry path/to/index.js] [--compare [label=]other.js …]
 *                    [--out bench/results.json]
 *
 * --node: a major version (this Node when it is that version, else the exact version pinned in
 * tools/node<major>, installed under node_modules/.cache/ as `node scripts/ci.js runtime` does)
 * or the path of a Node executable; repeat for several. Default: 24 (the action's runtime) and 20.
 * --readme: also write the tables into docs/performance.md, between the bench markers (the
 * option kept its name from when they were in the README).
 * The other options go to bench/measure.js for every Node.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import * as prettier from 'prettier'
import { archiveUnavailable, gitArchive, tarPaths } from '../scripts/lib/git-archive.js'
import { nodeOfMajor } from '../scripts/lib/node-runtime.js'
import { repoRoot } from '../scripts/lib/runner.js'
import { directorySize } from './sizes.js'

/** Prints `message` and exits 2. @param {string} message @returns {never} */
function usage(message) {
  process.stderr.write(`${message}\n`)
  process.exit(2)
}

/** The parsed command line; exits 2 on an unknown option. */
function commandLine() {
  try {
    return parseArgs({
      options: {
        node: { type: 'string', multiple: true },
        readme: { type: 'boolean' },
        rounds: { type: 'string' },
        warmup: { type: 'string' },
        'memory-runs': { type: 'string' },
        entry: { type: 'string' },
        compare: { type: 'string', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    }).values
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error))
  }
}
const args = commandLine()
if (args.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0] + '*/\n')
  process.exit(0)
}
const out = resolve(args.out ?? join(repoRoot, 'bench', 'results.json'))
const nodeSpecs = args.node ?? ['24', '20']
/** @type {string[]} */
const passed = []
for (const name of /** @type {const} */ (['rounds', 'warmup', 'memory-runs', 'entry'])) {
  const value = args[name]
  if (value !== undefined) passed.push(`--${name}`, value)
}
for (const spec of args.compare ?? []) passed.push('--compare', spec)

/**
 * The Node executable a --node value names.
 * @param {string} spec
 */
function nodeFor(spec) {
  if (!/^\d+$/.test(spec)) return resolve(spec)
  return nodeOfMajor(repoRoot, Number(spec), (npmArgs) => {
    process.stdout.write(`> npm ${npmArgs.join(' ')}\n`)
    const result = spawnSync('npm', npmArgs, {
      cwd: repoRoot,
      stdio: 'inherit',
      shell: process.platform === 'win32'
    })
    if (result.status !== 0) throw new Error(`npm ${npmArgs.join(' ')} failed`)
  }).path
}

/**
 * @typedef {object} RunResult What bench/measure.js writes (the parts used here).
 * @property {string} node
 * @property {Record<string, { medianMs: number } | undefined>} variants
 * @property {Record<string, { value: number, target: number | null, verdict: string } | undefined>} ratios
 * @property {{ variants: Record<string, { medianKB: number } | undefined> }} memory
 */

// Other work on the machine slows every variant alike, but the milliseconds show it: the load
// goes into docs/performance.md beside them.
const loadBefore = loadavg()[0]
const scratch = mkdtempSync(join(tmpdir(), 'bench-run-'))
/** @type {(RunResult & Record<string, unknown>)[]} */
const runs = []
try {
  for (const [index, spec] of nodeSpecs.entries()) {
    const node = nodeFor(spec)
    const file = join(scratch, `run-${index}.json`)
    process.stdout.write(`\n=== ${node}\n`)
    const result = spawnSync(
      node,
      [join(repoRoot, 'bench', 'measure.js'), ...passed, '--out', file],
      {
        cwd: repoRoot,
        stdio: 'inherit'
      }
    )
    if (result.status !== 0) usage(`bench/measure.js on ${node} exited with ${result.status}`)
    runs.push(JSON.parse(readFileSync(file, 'utf8')))
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

// Sizes do not depend on the Node version: measured once, of dist/ and of the archive of HEAD
// (the committed files, with the committed .gitattributes; not the working tree).
const entryFile = join(repoRoot, 'dist', 'index.js')
const entryBytes = readFileSync(entryFile)
const unavailable = archiveUnavailable(repoRoot)
const tar = unavailable === undefined ? gitArchive(repoRoot) : undefined
const sizes = {
  distBytes: directorySize(join(repoRoot, 'dist')),
  entryBytes: entryBytes.length,
  entryGzip9Bytes: gzipSync(entryBytes, { level: 9 }).length,
  entryGzip6Bytes: gzipSync(entryBytes, { level: 6 }).length,
  archive: tar && {
    files: tarPaths(tar).filter((path) => !path.endsWith('/')),
    tarBytes: tar.length,
    gzip9Bytes: gzipSync(tar, { level: 9 }).length,
    gzip6Bytes: gzipSync(tar, { level: 6 }).length,
    zipBytes: gitArchive(repoRoot, { format: 'zip' }).length
  },
  archiveUnavailable: unavailable
}

const actionMajor = /^ {2}using: node(\d+)$/m.exec(
  readFileSync(join(repoRoot, 'action.yml'), 'utf8')
)?.[1]
const kB = (/** @type {number} */ bytes) => `${(bytes / 1000).toFixed(1)} kB`
const ms = (/** @type {number | undefined} */ value) =>
  value === undefined ? '–' : `${value.toFixed(1)} ms`
const mb = (/** @type {number | undefined} */ kb) =>
  kb === undefined ? '–' : (kb / 1024).toFixed(1)

/**
 * @param {RunResult} run
 * @param {string} name
 * @param {boolean} bold
 */
function ratioCell(run, name, bold) {
  const ratio = run.ratios[name]
  if (!ratio) return '–'
  return bold ? `**${ratio.value.toFixed(2)}**` : ratio.value.toFixed(2)
}

/** @param {string} name */
const target = (name) => runs.find((run) => run.ratios[name])?.ratios[name]?.target ?? '–'

const header = [
  '',
  ...runs.map((run) => {
    const [major, minor] = run.node.replace(/^v/, '').split('.')
    return `Node ${major}.${minor}${major === actionMajor ? ` (runner \`node${major}\`)` : ''}`
  })
]
const timing = [
  header,
  header.map(() => '---'),
  ['successful run', ...runs.map((run) => ms(run.variants.action?.medianMs))],
  [
    'run failing on an input (start-up alone)',
    ...runs.map((run) => ms(run.variants['action-fail']?.medianMs))
  ],
  [
    `**action / minimal client** (target ${target('action/minimal')})`,
    ...runs.map((run) => ratioCell(run, 'action/minimal', true))
  ],
  [
    `**failing run / empty Node** (target ${target('action-fail/empty')})`,
    ...runs.map((run) => ratioCell(run, 'action-fail/empty', true))
  ],
  [
    'endpoint by host name (`localhost`) / by IP address (reference)',
    ...runs.map((run) => ratioCell(run, 'action-by-name/action', false))
  ],
  [
    'curl + jq / minimal client (reference)',
    ...runs.map((run) => ratioCell(run, 'curl+jq/minimal', false))
  ],
  [
    'peak RSS, action / minimal / empty',
    ...runs.map((run) => {
      const memory = run.memory.variants
      return `${mb(memory.action?.medianKB)} / ${mb(memory.minimal?.medianKB)} / ${mb(memory.empty?.medianKB)} MB`
    })
  ]
]

const { archive } = sizes
const size = [
  ['', 'size', 'gzip -9', 'gzip -6 (default)'],
  ['---', '---', '---', '---'],
  [
    '`dist/index.js`, what the runner runs',
    kB(sizes.entryBytes),
    kB(sizes.entryGzip9Bytes),
    kB(sizes.entryGzip6Bytes)
  ],
  ['`dist/`, all files', kB(sizes.distBytes), '–', '–'],
  ...(archive
    ? [
        [
          `\`git archive HEAD\`, the tarball a runner downloads (${archive.files.length} files)`,
          kB(archive.tarBytes),
          `**${kB(archive.gzip9Bytes)}**`,
          kB(archive.gzip6Bytes)
        ],
        ['`git archive --format=zip HEAD`, the zipball (Windows)', kB(archive.zipBytes), '–', '–']
      ]
    : [['`git archive HEAD`', `not measured: ${String(sizes.archiveUnavailable)}`, '–', '–']])
]

const loadAfter = loadavg()[0]
const machine =
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model.trim() ?? 'an unknown CPU'}, ` +
  `${cpus().length} cores (${process.platform} ${process.arch})` +
  (process.platform === 'win32'
    ? '.'
    : `;\n1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.`)

/** @param {string[][]} rows */
const markdownTable = (rows) => rows.map((row) => `| ${row.join(' | ')} |`).join('\n')
const markdown = await prettier.format(
  `${markdownTable(timing)}\n\n${machine}\n\n${markdownTable(size)}\n`,
  {
    ...((await prettier.resolveConfig(join(repoRoot, 'docs', 'performance.md'))) ?? {}),
    parser: 'markdown'
  }
)

const START = '<!-- bench:start -->'
const END = '<!-- bench:end -->'
process.stdout.write(`\nTables of docs/performance.md:\n\n${START}\n\n${markdown}\n${END}\n`)
if (args.readme) {
  const pageFile = join(repoRoot, 'docs', 'performance.md')
  const page = readFileSync(pageFile, 'utf8')
  const start = page.indexOf(START)
  const end = page.indexOf(END)
  if (start === -1 || end < start) usage(`docs/performance.md has no ${START} … ${END} block`)
  writeFileSync(
    pageFile,
    `${page.slice(0, start + START.length)}\n\n${markdown}\n${page.slice(end)}`
  )
  process.stdout.write('docs/performance.md updated.\n')
}

writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), runs, sizes }, null, 2)}\n`)
process.stdout.write(`Results written to ${relative(process.cwd(), out) || out}\n`)
