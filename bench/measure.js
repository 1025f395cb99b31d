/**
 * One Node's share of `npm run bench` (bench/run.js starts it once per Node version): wall time
 * and peak memory of the committed dist/index.js against floors, on one embedded issuer, in
 * interleaved rounds so that drift in machine load hits every variant alike. Every child runs on
 * the Node that runs this script. A benchmark, not a test: it exits 0 whether or not the targets
 * are met. It can also run alone:
 *
 *   node bench/measure.js [--rounds 30] [--warmup 3] [--memory-runs 5] [--entry path/to/index.js]
 *                         [--compare [label=]other/index.js …] [--out file.json]
 *
 * --out writes every sample and statistic as JSON (bench/run.js reads it); without it, the
 * report on stdout is all.
 *
 * --entry benches another bundle as `action`; each --compare adds `action[label]` and
 * `action-fail[label]` rows for another bundle, interleaved with the rest (e.g. a bundle built
 * with other ncc options into a temp dir).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { collectStep, prepareStep, repoRoot, runProcess } from '../scripts/lib/runner.js'
import { basicAuthorization } from '../tools/issuer/client.js'
import { importIssuer } from '../tools/issuer/load.js'
import { directorySize } from './sizes.js'

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    'memory-runs': { type: 'string', default: '5' },
    entry: { type: 'string' },
    compare: { type: 'string', multiple: true },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (args.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0] + '*/\n')
  process.exit(0)
}
const rounds = positiveInteger('rounds', args.rounds)
const warmup = positiveInteger('warmup', args.warmup, 0)
const memoryRuns = positiveInteger('memory-runs', args['memory-runs'], 0)
const entry = args.entry ? resolve(args.entry) : undefined
const compared = (args.compare ?? []).map((spec) => {
  const equals = spec.indexOf('=')
  const file = resolve(equals > 0 ? spec.slice(equals + 1) : spec)
  const label = equals > 0 ? spec.slice(0, equals) : relative(repoRoot, file)
  return { label, file }
})

/**
 * @param {string} name
 * @param {string | undefined} raw
 * @param {number} [min]
 */
function positiveInteger(name, raw, min = 1) {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    process.stderr.write(`--${name} must be a whole number of at least ${min}\n`)
    process.exit(2)
  }
  return value
}

/** @typedef {import('../scripts/lib/runner.js').PreparedStep} PreparedStep */
/** @typedef {import('../scripts/lib/runner.js').ProcessResult} ProcessResult */

/**
 * @typedef {object} Variant
 * @property {string} name
 * @property {string} about
 * @property {() => Promise<{ command: string, args: string[], env: NodeJS.ProcessEnv,
 *   cwd: string, step?: PreparedStep, cleanup: () => Promise<void> }>} prepare
 *   Everything that is not the measured process: temp files, environment.
 * @property {(result: ProcessResult, step: PreparedStep | undefined) => Promise<string | undefined>} verify
 *   Resolves to what went wrong, if anything.
 */

const scratch = mkdtempSync(join(tmpdir(), 'bench-'))
const emptyScript = join(scratch, 'empty.mjs')
writeFileSync(emptyScript, '')
const rssHook = join(scratch, 'rss-hook.mjs')
writeFileSync(
  rssHook,
  "import { writeFileSync } from 'node:fs'\n" +
    "process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)))\n"
)

const { startIssuer, fixtures } = await importIssuer()
const issuer = await startIssuer({ port: 0, host: '127.0.0.1' })
const app = fixtures.apps.m2m
const managementApi = fixtures.resources.management.indicator
const okInputs = {
  endpoint: issuer.endpoint,
  'app-id': app.clientId,
  'app-secret': app.clientSecret
}

/**
 * A variant run as an action step, with the runner's environment and file commands.
 * @param {Record<string, string>} inputs
 * @param {(step: PreparedStep) => { command: string, args: string[], env?: Record<string, string> }} [command]
 * @param {string} [actionEntry] The bundle to run, when not the one under test.
 */
function stepPreparer(inputs, command, actionEntry = entry) {
  return async () => {
    const step = await prepareStep({ inputs, entry: actionEntry })
    const chosen = command ? command(step) : { command: step.command, args: step.args }
    return {
      command: chosen.command,
      args: chosen.args,
      env: { ...step.env, ...chosen.env },
      cwd: step.cwd,
      step,
      cleanup: step.cleanup
    }
  }
}

/**
 * Checks that a successful variant left a token in the outputs and the environment.
 * @param {ProcessResult} result
 * @param {PreparedStep | undefined} step
 */
async function verifyToken(result, step) {
  if (result.code !== 0) return `exit code ${result.code}: ${result.stdout}${result.stderr}`
  if (!step) return 'no step'
  const collected = await collectStep(step, result)
  const token = collected.outputs['access-token']
  if (!token || !token.startsWith('eyJ')) return 'no access-token output'
  if (collected.env.LOGTO_ACCESS_TOKEN !== token) return 'token not exported'
  if (collected.log.includes(token)) return 'token not masked'
  if (collected.outputs.audience !== managementApi) return 'wrong audience'
  return undefined
}

const failInputs = { endpoint: issuer.endpoint, 'app-secret': app.clientSecret }

// The same run with the endpoint given by host name: each request then resolves it through the
// system (hosts file) in a child process, the cost of keeping the lookup inside the deadline.
const byNameInputs = { ...okInputs, endpoint: issuer.endpoint.replace('127.0.0.1', 'localhost') }

/** @param {ProcessResult} result */
async function verifyFailure(result) {
  return result.code === 1 && result.stdout.includes('::error::Input app-id is required')
    ? undefined
    : `expected exit 1 on the missing app-id, got ${result.code}: ${result.stdout}`
}

const curlScript = `set -euo pipefail
d="ghadelimiter_$RANDOM$RANDOM$RANDOM"
printf 'Authorization: %s\\n' "$BENCH_AUTHORIZATION" |
  curl -sS --fail -H @- -H 'Accept: application/json' -d grant_type=client_credentials \\
    --data-urlencode "resource=$BENCH_RESOURCE" --data-urlencode "scope=$BENCH_SCOPE" \\
    "$BENCH_TOKEN_URL" |
  jq -r --arg d "$d" --arg aud "$BENCH_RESOURCE" '.access_token,
    "access-token<<\\($d)\\n\\(.access_token)\\n\\($d)",
    "token-type<<\\($d)\\n\\(.token_type)\\n\\($d)",
    "expires-in<<\\($d)\\n\\(.expires_in)\\n\\($d)",
    "expires-at<<\\($d)\\n\\(now + .expires_in | todate)\\n\\($d)",
    "scope<<\\($d)\\n\\(.scope // "")\\n\\($d)",
    "audience<<\\($d)\\n\\($aud)\\n\\($d)"' | {
  IFS= read -r token
  echo "::add-mask::$token"
  printf 'LOGTO_ACCESS_TOKEN<<%s\\n%s\\n%s\\n' "$d" "$token" "$d" >> "$GITHUB_ENV"
  while IFS= read -r line; do printf '%s\\n' "$line"; done >> "$GITHUB_OUTPUT"
}
echo "Got a token for $BENCH_RESOURCE."
`

/** @param {string} name */
function hasCommand(name) {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0
}

/** @type {Variant[]} */
const variants = [
  {
    name: 'action',
    about:
      'node dist/index.js, a successful run (token request, expiry check, outputs, env, summary)',
    prepare: stepPreparer(okInputs),
    verify: verifyToken
  },
  {
    name: 'action-by-name',
    about: 'action, with the endpoint as http://localhost:PORT: name lookups in a child process',
    prepare: stepPreparer(byNameInputs),
    verify: verifyToken
  },
  {
    name: 'minimal',
    about: 'node bench/minimal-client.js: the same request and files with built-ins only',
    prepare: stepPreparer(okInputs, () => ({
      command: process.execPath,
      args: [join(repoRoot, 'bench', 'minimal-client.js')]
    })),
    verify: verifyToken
  },
  {
    name: 'empty',
    about: 'node on an empty ES module: the floor for start-up',
    prepare: async () => ({
      command: process.execPath,
      args: [emptyScript],
      env: { PATH: process.env.PATH ?? '' },
      cwd: scratch,
      cleanup: async () => undefined
    }),
    verify: async (result) => (result.code === 0 ? undefined : `exit code ${result.code}`)
  },
  {
    name: 'curl+jq',
    about: "bash -c 'curl … | jq …': the same request and output file from a shell step",
    prepare: stepPreparer(okInputs, () => ({
      command: 'bash',
      args: ['-c', curlScript],
      env: {
        BENCH_AUTHORIZATION: basicAuthorization(app.clientId, app.clientSecret),
        BENCH_TOKEN_URL: `${issuer.endpoint}/oidc/token`,
        BENCH_RESOURCE: managementApi,
        BENCH_SCOPE: 'all'
      }
    })),
    verify: verifyToken
  },
  {
    name: 'action-fail',
    about: 'node dist/index.js failing on a missing input (app-id): start-up alone, exit 1',
    prepare: stepPreparer(failInputs),
    verify: verifyFailure
  },
  ...compared.flatMap(({ label, file }) => [
    {
      name: `action[${label}]`,
      about: `action, with ${relative(repoRoot, file)}`,
      prepare: stepPreparer(okInputs, undefined, file),
      verify: verifyToken
    },
    {
      name: `action-fail[${label}]`,
      about: `action-fail, with ${relative(repoRoot, file)}`,
      prepare: stepPreparer(failInputs, undefined, file),
      verify: verifyFailure
    }
  ])
]

/** @type {string[]} */
const skipped = []
const active = variants.filter((variant) => {
  if (variant.name !== 'curl+jq') return true
  const missing = ['bash', 'curl', 'jq'].filter((name) => !hasCommand(name))
  if (missing.length === 0) return true
  skipped.push(`curl+jq skipped: ${missing.join(' and ')} not found`)
  return false
})

/**
 * Runs one variant once; returns the wall time from spawn to exit in ms.
 * @param {Variant} variant
 */
async function measure(variant) {
  const prepared = await variant.prepare()
  try {
    const result = await runProcess(prepared.command, prepared.args, {
      env: prepared.env,
      cwd: prepared.cwd,
      timeoutMs: 30_000
    })
    const problem = await variant.verify(result, prepared.step)
    if (problem) throw new Error(`${variant.name}: ${problem}`)
    return result.durationMs
  } finally {
    await prepared.cleanup()
  }
}

/** @type {Record<string, number[]>} */
const samples = Object.fromEntries(active.map((v) => [v.name, []]))
const total = warmup + rounds
process.stdout.write(
  `Benchmark: ${active.map((v) => v.name).join(', ')}; ${warmup} warm-up + ${rounds} interleaved ` +
    `rounds\nissuer ${issuer.endpoint}, node ${process.version}, ${cpus().length} cores` +
    `${entry ? `, action entry ${relative(repoRoot, entry)}` : ''}\n`
)
for (let round = 0; round < total; round++) {
  for (const variant of active) {
    const ms = await measure(variant)
    if (round >= warmup) samples[variant.name].push(ms)
  }
  process.stderr.write(`\rround ${round + 1}/${total}`)
}
process.stderr.write('\n')

/**
 * Nearest-rank percentile.
 * @param {readonly number[]} values
 * @param {number} p
 */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** @param {readonly number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const round2 = (/** @type {number} */ n) => Math.round(n * 100) / 100
const stats = Object.fromEntries(
  Object.entries(samples).map(([name, values]) => [
    name,
    {
      medianMs: round2(median(values)),
      p90Ms: round2(percentile(values, 90)),
      minMs: round2(Math.min(...values)),
      maxMs: round2(Math.max(...values)),
      samplesMs: values.map(round2)
    }
  ])
)

/**
 * @param {string} a
 * @param {string} b
 * @param {number | undefined} target
 */
function ratio(a, b, target) {
  if (!(a in stats) || !(b in stats)) return undefined
  const value = Math.round((stats[a].medianMs / stats[b].medianMs) * 1000) / 1000
  return {
    value,
    target: target ?? null,
    verdict: target === undefined ? 'reference' : value <= target ? 'PASS' : 'MISS'
  }
}
const ratios = {
  'action/minimal': ratio('action', 'minimal', 1.5),
  'action-by-name/action': ratio('action-by-name', 'action', undefined),
  'action-fail/empty': ratio('action-fail', 'empty', 1.6),
  'curl+jq/minimal': ratio('curl+jq', 'minimal', undefined)
}

// Peak memory is measured in separate runs: wrapping a run in a measuring process would add that
// process's start-up to the wall times above.
const memory = await measureMemory([
  'action',
  'minimal',
  'empty',
  ...compared.map(({ label }) => `action[${label}]`)
])

/**
 * Median peak RSS per variant, through GNU time where it exists, else a preloaded exit hook
 * reading process.resourceUsage().maxRSS (which also counts the hook's own small module).
 * @param {string[]} names
 */
async function measureMemory(names) {
  if (memoryRuns === 0) return { method: 'skipped', runs: 0, variants: {} }
  const probe = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' })
  const gnuTime = process.platform === 'linux' && !probe.error && /^\d+\s*$/.test(probe.stderr)
  const method = gnuTime
    ? '/usr/bin/time -f %M (GNU time: the process maximum resident set size)'
    : `node --import <hook>: process.resourceUsage().maxRSS at exit`
  /** @type {Record<string, { medianKB: number, samplesKB: number[] }>} */
  const result = {}
  const rssFile = join(scratch, 'rss')
  for (const name of names) {
    const variant = active.find((v) => v.name === name)
    if (!variant) continue
    /** @type {number[]} */
    const kb = []
    for (let i = 0; i < memoryRuns; i++) {
      const prepared = await variant.prepare()
      try {
        writeFileSync(rssFile, '')
        const [command, runArgs] = gnuTime
          ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, prepared.command, ...prepared.args]]
          : [prepared.command, ['--import', rssHook, ...prepared.args]]
        const run = await runProcess(command, runArgs, {
          env: { ...prepared.env, BENCH_RSS_FILE: rssFile },
          cwd: prepared.cwd
        })
        const problem = await variant.verify(run, prepared.step)
        if (problem) throw new Error(`${name} (memory): ${problem}`)
        kb.push(Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()))
      } finally {
        await prepared.cleanup()
      }
    }
    result[name] = { medianKB: median(kb), samplesKB: kb }
  }
  return { method, runs: memoryRuns, variants: result }
}

/**
 * Gzip -9 size of a file (what a download of it costs).
 * @param {string} file
 */
function gzipSize(file) {
  return gzipSync(readFileSync(file), { level: 9 }).length
}

const distDir = entry ? resolve(entry, '..') : join(repoRoot, 'dist')
const sizes = {
  entry: entry ?? join(repoRoot, 'dist', 'index.js'),
  distDir: relative(repoRoot, distDir) || '.',
  distBytes: directorySize(distDir),
  entryBytes: statSync(entry ?? join(repoRoot, 'dist', 'index.js')).size,
  entryGzipBytes: gzipSize(entry ?? join(repoRoot, 'dist', 'index.js')),
  compared: Object.fromEntries(
    compared.map(({ label, file }) => [
      label,
      {
        dir: resolve(file, '..'),
        dirBytes: directorySize(resolve(file, '..')),
        entryBytes: statSync(file).size,
        entryGzipBytes: gzipSize(file)
      }
    ])
  )
}

await issuer.close()
rmSync(scratch, { recursive: true, force: true })

// Report.
const fmt = (/** @type {number} */ n) => n.toFixed(1)
const lines = [
  '',
  `Wall time, spawn to exit (ms, ${rounds} rounds)`,
  table([
    ['variant', 'median', 'p90', 'min', 'max'],
    ...Object.entries(stats).map(([name, s]) => [
      name,
      fmt(s.medianMs),
      fmt(s.p90Ms),
      fmt(s.minMs),
      fmt(s.maxMs)
    ])
  ]),
  '',
  'Ratios of medians',
  table([
    ['ratio', 'value', 'target', ''],
    ...Object.entries(ratios)
      .filter(([, r]) => r)
      .map(([name, r]) => {
        const it = /** @type {NonNullable<typeof r>} */ (r)
        return [name, it.value.toFixed(2), it.target === null ? '-' : `<= ${it.target}`, it.verdict]
      })
  ]),
  '',
  `Peak RSS (MB, median of ${memory.runs}; ${memory.method})`,
  Object.keys(memory.variants).length
    ? table([
        ['variant', 'MB'],
        ...Object.entries(memory.variants).map(([name, m]) => [
          name,
          (m.medianKB / 1024).toFixed(1)
        ])
      ])
    : '  (skipped)',
  '',
  'Size (bytes)',
  ...[
    [
      `${sizes.distDir}/, all files`,
      sizes.distBytes,
      `(${relative(repoRoot, sizes.entry)} ${sizes.entryBytes}, gzip -9 ${sizes.entryGzipBytes})`
    ],
    ...Object.entries(sizes.compared).map(([label, c]) => [
      `[${label}] ${c.dir}/, all files`,
      c.dirBytes,
      `(gzip -9 of its entry ${c.entryGzipBytes})`
    ])
  ].map(([what, bytes, note]) => `  ${what}: ${bytes.toLocaleString('en-US')} ${note}`),
  ...skipped.map((note) => `\nNote: ${note}`),
  ''
]

/** @param {readonly (readonly string[])[]} rows */
function table(rows) {
  /** @type {number[]} */
  const widths = []
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
        .join('  ')
        .trimEnd()
    )
    .map((line) => `  ${line}`)
    .join('\n')
}
process.stdout.write(lines.join('\n'))

const results = {
  date: new Date().toISOString(),
  node: process.version,
  v8: process.versions.v8,
  platform: `${process.platform} ${process.arch}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  availableParallelism: availableParallelism(),
  rounds,
  warmup,
  entry: relative(repoRoot, entry ?? join(repoRoot, 'dist', 'index.js')),
  variants: Object.fromEntries(active.map((v) => [v.name, { about: v.about, ...stats[v.name] }])),
  ratios,
  memory,
  sizes,
  skipped
}
// bench/run.js collects the results of every Node version into bench/results.json.
if (args.out) writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`)
