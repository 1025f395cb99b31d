/**
 * Runs the action the way a GitHub-hosted runner runs a `node24` action, close enough for tests,
 * `npm start` and the benchmark: inputs as INPUT_* variables with action.yml defaults, file
 * commands in temp files, and stdout/stderr turned into the log a workflow author sees, masked.
 *
 * With `runner: 'act'` it runs the action the way nektos/act (v0.2.81+, pkg/runner) does; Gitea's
 * act_runner and the Forgejo runner build on forks of it, which were not compared line by line.
 * The differences reproduced, read from act's source: input names upper-cased with every
 * character outside [A-Z0-9-] turned into `_`; command lines matched by act's pattern (no leading
 * blanks; `::add-mask::a::b` is command `add-mask::a`, so a value holding `::` is not masked); file
 * commands at fixed paths (workflow/outputcmd.txt, envs.txt, statecmd.txt, pathcmd.txt,
 * SUMMARY.md) parsed by act's own parser (no blank lines allowed, leading blank lines of a heredoc
 * value dropped, no NODE_OPTIONS refusal); `ACT=true` and no RUNNER_DEBUG; masks that replace the
 * exact registered value only (no JSON, URI or base64 forms, no per-line masks of a multi-line
 * secret); command data unescaped in the order that turns `%250A` into a newline (act uses a Go
 * map, whose order varies); and the job summary printed into the log. Not reproduced, as they do
 * not change what this action sees or prints: act runs `node` from the job container's PATH
 * instead of a bundled Node 24 (dist/ must therefore also run on Node 20, which CI uses), and
 * honours `::set-env` when ACTIONS_ALLOW_UNSECURE_COMMANDS is true (this action never prints it).
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/** The repository root, where action.yml lives. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/**
 * @typedef {object} ActionInput
 * @property {string} [description]
 * @property {boolean} [required]
 * @property {string | number | boolean} [default] YAML may give a number or a boolean.
 */

/**
 * @typedef {object} ActionManifest
 * @property {Record<string, ActionInput | null>} inputs An input without keys is null in YAML.
 * @property {Record<string, { description?: string }>} outputs
 * @property {{ using: string, main: string }} runs
 */

/** Reads and parses an action.yml (the repository's by default). */
export function readManifest(actionDir = repoRoot) {
  const manifest =
    /** @type {Omit<ActionManifest, 'inputs' | 'outputs'> & Partial<ActionManifest>} */ (
      parse(readFileSync(join(actionDir, 'action.yml'), 'utf8'))
    )
  return { ...manifest, inputs: manifest.inputs ?? {}, outputs: manifest.outputs ?? {} }
}

/** @typedef {'github' | 'act'} RunnerKind Which runner's behaviour to reproduce. */

/**
 * The variable the runner passes an input in: upper-cased, spaces to `_`, hyphens kept; act
 * turns every character outside [A-Z0-9-] into `_`.
 * @param {string} name
 * @param {RunnerKind} [runner]
 */
export function inputVariable(name, runner = 'github') {
  if (runner === 'act') return `INPUT_${name.toUpperCase().replace(/[^A-Z0-9-]/g, '_')}`
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * The INPUT_* variables for `with:` values: every declared input is set, to its action.yml
 * default (or empty) when not given, as the runner does; `required` is not enforced by the
 * runner either. Unknown names are passed on and reported, as the runner's warning does.
 * @param {ActionManifest} manifest
 * @param {Record<string, string | number | boolean>} given
 * @param {RunnerKind} [runner]
 * @returns {{ env: Record<string, string>, unexpected: string[] }}
 */
export function inputEnvironment(manifest, given, runner = 'github') {
  /** @type {Record<string, string>} */
  const env = {}
  for (const [name, input] of Object.entries(manifest.inputs)) {
    env[inputVariable(name, runner)] = input?.default === undefined ? '' : String(input.default)
  }
  const unexpected = []
  for (const [name, value] of Object.entries(given)) {
    if (!(name in manifest.inputs)) unexpected.push(name)
    env[inputVariable(name, runner)] = String(value)
  }
  return { env, unexpected }
}

/** @type {Record<string, string>} */
const RUNNER_OS = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }

// Variables a runner's environment normally has that the action may legitimately read; the rest
// of the caller's environment stays out so that e.g. jest's NODE_OPTIONS never leaks into a run.
const BASE_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'SystemRoot', 'ComSpec']

/** Proxy and CA variables, which a real runner passes on to actions. */
export const NETWORK_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS'
]

/**
 * @typedef {object} StepOptions
 * @property {Record<string, string | number | boolean>} [inputs] `with:` values by input name.
 * @property {Record<string, string | undefined>} [env] `env:` of the step; undefined removes.
 * @property {string} [cwd] The workspace the action runs in; a fresh temp dir by default.
 * @property {string} [actionDir] Where action.yml and the entry point are; the repository by default.
 * @property {string} [entry] Script to run instead of action.yml's `runs.main` (e.g. another bundle).
 * @property {string[]} [nodeArgs] Extra node flags, e.g. `--cpu-prof`.
 * @property {string} [node] Node executable; the current one by default.
 * @property {readonly string[]} [inherit] Caller variables to pass on besides PATH, HOME and the like.
 * @property {boolean} [debug] Step debug logging, as with the ACTIONS_STEP_DEBUG secret.
 * @property {readonly string[]} [secrets] Values the runner masks from the start, like `secrets.*`.
 * @property {number} [timeoutMs] Kill the action after this long (default 60 s).
 * @property {RunnerKind} [runner] Whose behaviour to reproduce; GitHub's actions/runner by default.
 * @property {(child: import('node:child_process').ChildProcess) => void} [onSpawn] Called with the
 *   started process, e.g. to send it the signals a cancelled step gets.
 * @property {boolean} [windowsEol] Give the action Windows' `os.EOL` (`\r\n`) on any OS; by
 *   default when the environment variable SIMULATE_WINDOWS_EOL is `1`.
 */

/** The preload that sets `os.EOL` to `\r\n` in the action's process. */
export const windowsEolPreload = new URL('windows-eol.js', import.meta.url).href

/**
 * @typedef {object} PreparedStep
 * @property {string} command
 * @property {string[]} args
 * @property {string} cwd
 * @property {Record<string, string>} env
 * @property {{ output: string, env: string, path: string, state: string, summary: string }} files
 * @property {string[]} unexpected Inputs that action.yml does not declare.
 * @property {string[]} declared Inputs that action.yml declares.
 * @property {readonly string[]} secrets
 * @property {boolean} debug
 * @property {RunnerKind} runner
 * @property {string} dir The temp dir holding the files (and the workspace unless cwd was given).
 * @property {() => Promise<void>} cleanup
 */

/** Creates the step's temp files and environment without starting anything. */
export async function prepareStep(/** @type {StepOptions} */ options = {}) {
  const actionDir = options.actionDir ?? repoRoot
  const manifest = readManifest(actionDir)
  const dir = await mkdtemp(join(tmpdir(), 'runner-'))
  const temp = join(dir, 'temp')
  const commands = join(dir, 'file_commands')
  await mkdir(temp)
  await mkdir(commands)
  const runner = options.runner ?? 'github'
  const id = randomUUID()
  const files =
    runner === 'act'
      ? {
          output: join(commands, 'outputcmd.txt'),
          env: join(commands, 'envs.txt'),
          path: join(commands, 'pathcmd.txt'),
          state: join(commands, 'statecmd.txt'),
          summary: join(commands, 'SUMMARY.md')
        }
      : {
          output: join(commands, `set_output_${id}`),
          env: join(commands, `set_env_${id}`),
          path: join(commands, `add_path_${id}`),
          state: join(commands, `save_state_${id}`),
          summary: join(commands, `step_summary_${id}`)
        }
  await Promise.all(Object.values(files).map((file) => writeFile(file, '')))
  let cwd = options.cwd
  if (!cwd) {
    cwd = join(dir, 'workspace')
    await mkdir(cwd)
  }
  const { env: inputs, unexpected } = inputEnvironment(manifest, options.inputs ?? {}, runner)
  /** @type {Record<string, string>} */
  const env = {}
  for (const name of [...BASE_VARIABLES, ...(options.inherit ?? [])]) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  Object.assign(env, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__run',
    GITHUB_WORKSPACE: cwd,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: temp,
    RUNNER_OS: RUNNER_OS[process.platform],
    RUNNER_ARCH: process.arch.toUpperCase(),
    // act never sets RUNNER_DEBUG; it shows ::debug:: lines when run with -v.
    ...(options.debug && runner === 'github' ? { RUNNER_DEBUG: '1' } : {}),
    ...(runner === 'act' ? { ACT: 'true' } : {}),
    ...inputs
  })
  for (const [name, value] of Object.entries(options.env ?? {})) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- env is what spawn takes
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  const entry = options.entry ?? join(actionDir, manifest.runs.main)
  const windowsEol = options.windowsEol ?? process.env.SIMULATE_WINDOWS_EOL === '1'
  return /** @type {PreparedStep} */ ({
    command: options.node ?? process.execPath,
    args: [
      ...(windowsEol ? ['--import', windowsEolPreload] : []),
      ...(options.nodeArgs ?? []),
      resolve(entry)
    ],
    cwd,
    env,
    files,
    unexpected,
    declared: Object.keys(manifest.inputs),
    secrets: options.secrets ?? [],
    debug: options.debug ?? false,
    runner,
    dir,
    cleanup: () => rm(dir, { recursive: true, force: true })
  })
}

/**
 * @typedef {object} ProcessResult
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {boolean} timedOut
 * @property {number} durationMs Wall time from spawn to exit.
 * @property {string} stdout
 * @property {string} stderr
 * @property {{ stream: 'stdout' | 'stderr', line: string }[]} lines Output lines in arrival order.
 */

/**
 * Splits output into lines as the runner reads them (.NET `StreamReader.ReadLine`): a line ends
 * at `\n`, `\r\n` or a lone `\r`, whatever the OS. A `\r` at the very end stays in `rest`, as
 * the `\n` of a `\r\n` may arrive in the next chunk.
 * @param {string} text
 * @returns {{ lines: string[], rest: string }}
 */
export function splitLines(text) {
  const lines = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '\r' && i + 1 === text.length) break
    if (char !== '\n' && char !== '\r') continue
    lines.push(text.slice(start, i))
    if (char === '\r' && text[i + 1] === '\n') i++
    start = i + 1
  }
  return { lines, rest: text.slice(start) }
}

/**
 * Spawns a process, collects its output line by line and times it from spawn to exit.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number,
 *   onSpawn?: StepOptions['onSpawn'] }} [options]
 * @returns {Promise<ProcessResult>}
 */
export function runProcess(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    options.onSpawn?.(child)
    let durationMs = 0
    let timedOut = false
    /** @type {ProcessResult['lines']} */
    const lines = []
    const text = { stdout: '', stderr: '' }
    const pending = { stdout: '', stderr: '' }
    for (const stream of /** @type {const} */ (['stdout', 'stderr'])) {
      child[stream].setEncoding('utf8')
      child[stream].on('data', (/** @type {string} */ chunk) => {
        text[stream] += chunk
        const { lines: complete, rest } = splitLines(pending[stream] + chunk)
        pending[stream] = rest
        for (const line of complete) lines.push({ stream, line })
      })
    }
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 60_000)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('exit', () => {
      durationMs = Number(process.hrtime.bigint() - started) / 1e6
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      for (const stream of /** @type {const} */ (['stdout', 'stderr'])) {
        // At the end of the stream a trailing `\r` ends the last line.
        if (pending[stream]) lines.push({ stream, line: pending[stream].replace(/\r$/, '') })
      }
      resolvePromise({ code, signal, timedOut, durationMs, ...text, lines })
    })
  })
}

/**
 * The runner's escaping of workflow command data (the message after `::`).
 * @param {string} value
 */
export function unescapeData(value) {
  return value.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
}

/**
 * The runner's escaping of workflow command property values.
 * @param {string} value
 */
export function unescapeProperty(value) {
  return unescapeData(value).replace(/%3A/gi, ':').replace(/%2C/gi, ',')
}

/**
 * @typedef {object} WorkflowCommand
 * @property {string} command
 * @property {Record<string, string>} properties
 * @property {string} data
 */

/**
 * act's unescaping of command data when it happens to replace `%25` first (its order comes from a Go map), so
 * that `%250A` becomes a newline instead of `%0A`.
 * @param {string} value
 */
export function unescapeDataAct(value) {
  return value.replace(/%25/g, '%').replace(/%0D/g, '\r').replace(/%0A/g, '\n')
}

/**
 * Parses a command line with act's pattern: no leading blanks, and the name runs to the last `::`
 * before the data when there are no properties, so `::add-mask::a::b` is command `add-mask::a`.
 * @param {string} line
 * @returns {WorkflowCommand | undefined}
 */
function parseWorkflowCommandAct(line) {
  const match = /^::([^ ]+)( (.+))?::([^\r\n]*)$/.exec(line)
  if (!match) return undefined
  /** @type {Record<string, string>} */
  const properties = {}
  const props = /** @type {string | undefined} */ (match[3])
  for (const pair of (props ?? '').split(',')) {
    const parts = pair.split('=')
    if (parts.length === 2) properties[parts[0]] = unescapeProperty(parts[1])
  }
  return { command: match[1], properties, data: unescapeDataAct(match[4]) }
}

/**
 * Parses a `::name key=value,…::data` line, or returns undefined for any other line.
 * @param {string} line
 * @param {RunnerKind} [runner]
 * @returns {WorkflowCommand | undefined}
 */
export function parseWorkflowCommand(line, runner = 'github') {
  if (runner === 'act') return parseWorkflowCommandAct(line)
  const text = line.trimStart()
  if (!text.startsWith('::')) return undefined
  const end = text.indexOf('::', 2)
  if (end < 0) return undefined
  const head = text.slice(2, end)
  const space = head.indexOf(' ')
  const command = space < 0 ? head : head.slice(0, space)
  /** @type {Record<string, string>} */
  const properties = {}
  if (space >= 0) {
    for (const pair of head.slice(space + 1).split(',')) {
      const equals = pair.indexOf('=')
      if (equals > 0)
        properties[pair.slice(0, equals).trim()] = unescapeProperty(pair.slice(equals + 1))
    }
  }
  return { command, properties, data: unescapeData(text.slice(end + 2)) }
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE file: `name=value` lines and
 * `name<<DELIMITER` heredocs, with the runner's rules (first `=` or `<<` decides, empty lines
 * skipped, a heredoc must be closed). Throws on what the runner would reject.
 * @param {string} content
 * @returns {[string, string][]} Pairs in file order; a later pair wins when names repeat.
 */
export function parseFileCommand(content) {
  const lines = content.split(/\r?\n/)
  /** @type {[string, string][]} */
  const pairs = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals)
      if (!name) throw new Error(`Invalid format '${line}'. Name must not be empty`)
      pairs.push([name, line.slice(equals + 1)])
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      if (!name) throw new Error(`Invalid format '${line}'. Name must not be empty`)
      if (!delimiter) throw new Error(`Invalid format '${line}'. Delimiter must not be empty`)
      const value = []
      let closed = false
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true
          break
        }
        value.push(lines[i])
      }
      if (!closed) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`)
      pairs.push([name, value.join('\n')])
    } else {
      throw new Error(`Invalid format '${line}'`)
    }
  }
  return pairs
}

/**
 * Parses a file command as act's parseEnvFile does: a UTF-8 BOM is skipped, every line must hold
 * `=` or `<<` (a blank line is an error), leading blank lines of a heredoc value are dropped.
 * @param {string} content
 * @returns {[string, string][]}
 */
export function parseFileCommandAct(content) {
  const lines = content.replace(/^\uFEFF/, '').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const text = lines.map((line) => line.replace(/\r$/, ''))
  /** @type {[string, string][]} */
  const pairs = []
  for (let i = 0; i < text.length; i++) {
    const line = text[i]
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      pairs.push([line.slice(0, equals), line.slice(equals + 1)])
    } else if (heredoc >= 0) {
      const delimiter = line.slice(heredoc + 2)
      let value = ''
      let closed = false
      for (i++; i < text.length; i++) {
        if (text[i] === delimiter) {
          closed = true
          break
        }
        if (value !== '') value += '\n'
        value += text[i]
      }
      if (!closed) {
        throw new Error(`invalid format delimiter '${delimiter}' not found before end of file`)
      }
      pairs.push([line.slice(0, heredoc), value])
    } else {
      throw new Error(`invalid format '${line}', expected a line with '=' or '<<'`)
    }
  }
  return pairs
}

/**
 * The encodings of a secret the runner masks too (JSON string, URI data, base64 at the three
 * byte offsets it can start at inside a longer base64 string), so that tests see the same `***`.
 * @param {string} secret
 */
export function secretVariants(secret) {
  const variants = new Set([secret])
  variants.add(JSON.stringify(secret).slice(1, -1))
  variants.add(
    encodeURIComponent(secret).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
    )
  )
  const bytes = Buffer.from(secret, 'utf8')
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64')
    // Characters that also carry bits of the neighbouring bytes differ inside a longer string.
    const start = [0, 2, 3][shift]
    const tail = (shift + bytes.length) % 3
    const end = encoded.length - (tail === 0 ? 0 : tail === 1 ? 3 : 2)
    const core = encoded.slice(start, end)
    if (core.length >= 8) variants.add(core)
  }
  return [...variants].filter((v) => v.length > 0)
}

/** A secret masker like the runner's: registered values (and encodings) become `***`. */
export class Masker {
  /** @param {readonly string[]} [secrets] */
  constructor(secrets = []) {
    /** @type {Set<string>} */
    this.values = new Set()
    // Like workflow secrets: a multi-line secret is masked line by line as well.
    for (const secret of secrets) {
      this.add(secret)
      for (const line of secret.split(/\r?\n/)) this.add(line)
    }
  }

  /** Registers a value; empty and whitespace-only values are ignored, as by the runner. */
  add(/** @type {string} */ secret) {
    if (!secret.trim()) return
    for (const variant of secretVariants(secret)) this.values.add(variant)
  }

  /** Replaces every occurrence of a registered value; overlapping matches become one `***`. */
  mask(/** @type {string} */ text) {
    /** @type {[number, number][]} */
    const ranges = []
    for (const value of this.values) {
      for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
        ranges.push([at, at + value.length])
      }
    }
    if (ranges.length === 0) return text
    ranges.sort((a, b) => a[0] - b[0])
    let out = ''
    let cursor = 0
    let [start, end] = ranges[0]
    for (const [s, e] of ranges.slice(1)) {
      if (s <= end) end = Math.max(end, e)
      else {
        out += `${text.slice(cursor, start)}***`
        cursor = end
        ;[start, end] = [s, e]
      }
    }
    return `${out}${text.slice(cursor, start)}***${text.slice(end)}`
  }
}

/** act's masker: the exact registered value (any non-empty string) and nothing derived from it. */
export class ActMasker extends Masker {
  /** @param {readonly string[]} [secrets] */
  constructor(secrets = []) {
    super()
    for (const secret of secrets) this.add(secret)
  }

  /** Registers a value as it is. */
  add(/** @type {string} */ secret) {
    if (secret) this.values.add(secret)
  }
}

/**
 * @typedef {object} Annotation
 * @property {'error' | 'warning' | 'notice'} level
 * @property {string} message Masked, as shown.
 * @property {Record<string, string>} properties
 */

/**
 * @typedef {object} StepResult
 * @property {number | null} code The process exit code.
 * @property {NodeJS.Signals | null} signal
 * @property {boolean} timedOut
 * @property {'success' | 'failure'} conclusion Failure also when a file command is malformed.
 * @property {number} durationMs
 * @property {string} stdout Raw, unmasked.
 * @property {string} stderr Raw, unmasked.
 * @property {ProcessResult['lines']} lines Raw output lines, as the runner reads them.
 * @property {string} log The step log as the runner shows it: commands consumed, secrets masked.
 * @property {Annotation[]} annotations
 * @property {Record<string, string>} outputs Raw values from GITHUB_OUTPUT (and `set-output`).
 * @property {Record<string, string>} env Raw values exported through GITHUB_ENV.
 * @property {string[]} path Entries added through GITHUB_PATH.
 * @property {Record<string, string>} state Raw values from GITHUB_STATE (and `save-state`).
 * @property {string} summary Raw GITHUB_STEP_SUMMARY content (the runner masks it on upload).
 * @property {Masker} masker Every value masked by the end of the step, to mask what you print.
 */

const LEVELS = /** @type {const} */ ({ error: 'Error', warning: 'Warning', notice: 'Notice' })

/**
 * Turns output lines into the runner's log: consumes workflow commands, registers masks (which
 * apply from the next line on), hides debug lines unless debugging, honours stop-commands.
 * @param {readonly { line: string }[]} lines
 * @param {{ masker: Masker, debug: boolean, runner?: RunnerKind }} options
 */
export function renderLog(lines, { masker, debug, runner = 'github' }) {
  /** @type {string[]} */
  const log = []
  /** @type {Annotation[]} */
  const annotations = []
  /** @type {Record<string, string>} */
  const outputs = {}
  /** @type {Record<string, string>} */
  const state = {}
  /** @type {string | undefined} */
  let stopToken
  const show = (/** @type {string} */ text) => {
    for (const line of text.split(/\r\n|\r|\n/)) log.push(masker.mask(line))
  }
  for (const { line } of lines) {
    const command = parseWorkflowCommand(line, runner)
    if (stopToken !== undefined) {
      if (command?.command === stopToken) stopToken = undefined
      else show(line)
      continue
    }
    if (!command) {
      show(line)
      continue
    }
    const { command: name, properties, data } = command
    if (name === 'add-mask') {
      if (data.trim()) masker.add(data)
      else show("Warning: Can't add secret mask for empty string in ##[add-mask] command.")
    } else if (name === 'debug') {
      if (debug) show(`##[debug]${data}`)
    } else if (name === 'error' || name === 'warning' || name === 'notice') {
      const message = masker.mask(data)
      annotations.push({ level: name, message, properties })
      show(`${LEVELS[name]}: ${data}`)
    } else if (name === 'group') {
      show(data)
    } else if (name === 'endgroup' || name === 'echo') {
      // Only affect presentation.
    } else if (name === 'stop-commands') {
      stopToken = data
    } else if (name === 'set-output' && properties.name) {
      outputs[properties.name] = data
      show('Warning: The `set-output` command is deprecated and will be disabled soon.')
    } else if (name === 'save-state' && properties.name) {
      state[properties.name] = data
    } else if (name === 'set-env' || name === 'add-path') {
      show(`Error: Unable to process command '${line}' successfully.`)
      annotations.push({
        level: 'error',
        message: `The \`${name}\` command is disabled.`,
        properties: {}
      })
    } else {
      show(line)
    }
  }
  return { log: log.join('\n'), annotations, outputs, state }
}

/**
 * Reads what a finished step left behind and renders its log.
 * @param {PreparedStep} step
 * @param {ProcessResult} result
 * @returns {Promise<StepResult>}
 */
export async function collectStep(step, result) {
  const act = step.runner === 'act'
  const masker = act ? new ActMasker(step.secrets) : new Masker(step.secrets)
  const rendered = renderLog(result.lines, {
    masker,
    debug: step.debug,
    runner: step.runner
  })
  const parse = act ? parseFileCommandAct : parseFileCommand
  const before = []
  const extra = []
  if (step.unexpected.length > 0) {
    const message =
      `Unexpected input(s) ${step.unexpected.map((n) => `'${n}'`).join(', ')}, valid inputs are ` +
      `[${step.declared.map((n) => `'${n}'`).join(', ')}]`
    rendered.annotations.unshift({ level: 'warning', message, properties: {} })
    before.push(`Warning: ${message}`)
  }
  let failed = result.code !== 0
  const read = async (/** @type {string} */ file, /** @type {string} */ label) => {
    try {
      return parse(await readFile(file, 'utf8'))
    } catch (error) {
      failed = true
      const message = `${label}: ${/** @type {Error} */ (error).message}`
      rendered.annotations.push({ level: 'error', message: masker.mask(message), properties: {} })
      extra.push(`Error: ${masker.mask(message)}`)
      return []
    }
  }
  const outputs = {
    ...rendered.outputs,
    ...Object.fromEntries(await read(step.files.output, 'GITHUB_OUTPUT'))
  }
  const state = {
    ...rendered.state,
    ...Object.fromEntries(await read(step.files.state, 'GITHUB_STATE'))
  }
  /** @type {Record<string, string>} */
  const env = {}
  for (const [name, value] of await read(step.files.env, 'GITHUB_ENV')) {
    if (!act && name.toUpperCase() === 'NODE_OPTIONS') {
      failed = true
      const message = "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command."
      rendered.annotations.push({ level: 'error', message, properties: {} })
      extra.push(`Error: ${message}`)
    } else env[name] = value
  }
  const path = (await readFile(step.files.path, 'utf8')).split(/\r?\n/).filter(Boolean)
  const summary = await readFile(step.files.summary, 'utf8')
  // act prints a non-empty summary into the step log, through its masker.
  if (act && summary) extra.push(...summary.split('\n').map((line) => masker.mask(line)))
  const log = [...before, rendered.log, ...extra].filter((part) => part !== '').join('\n')
  return {
    code: result.code,
    signal: result.signal,
    timedOut: result.timedOut,
    conclusion: failed ? 'failure' : 'success',
    durationMs: result.durationMs,
    stdout: result.stdout,
    stderr: result.stderr,
    lines: result.lines,
    log,
    annotations: rendered.annotations,
    outputs,
    env,
    path,
    state,
    summary,
    masker
  }
}

/** Runs the action once as the runner would and returns what the workflow author would see. */
export async function runAction(/** @type {StepOptions} */ options = {}) {
  const step = await prepareStep(options)
  try {
    const result = await runProcess(step.command, step.args, {
      env: step.env,
      cwd: step.cwd,
      timeoutMs: options.timeoutMs,
      onSpawn: options.onSpawn
    })
    return await collectStep(step, result)
  } finally {
    await step.cleanup()
  }
}
