/**
 * Checks, before any request, that the runner gave us the files that outputs, the exported
 * variable and the job summary go to. Without them @actions/core falls back to printing
 * `::set-output` / `::set-env` lines, which outside a runner put the token in the log in clear.
 */
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs'
import { line } from './log-text.js'

/** Why a path cannot take appended lines, or undefined when it can. */
export type FileProbe = (path: string) => string | undefined

/** What the runner files allow. */
export interface RunnerFiles {
  /** Set when the step must fail at once: names each unusable variable. */
  readonly error: string | undefined
  /** Things to warn about before the request. */
  readonly warnings: readonly string[]
  /** GITHUB_STEP_SUMMARY is set but cannot be written: do not try after the token exists. */
  readonly skipSummary: boolean
}

/**
 * Decides from the environment and the raw `export-env` / `summary` inputs whether the step can
 * hand the token over safely. An input that is not a boolean counts as on here, so the stricter
 * check wins; parseSettings rejects such a value just after.
 */
export function checkRunnerFiles(
  env: Readonly<Record<string, string | undefined>>,
  read: (name: string) => string,
  probe: FileProbe
): RunnerFiles {
  const on = (name: string): boolean => read(name).trim().toLowerCase() !== 'false'
  const problems: string[] = []
  const required = (variable: string): void => {
    const problem = fileProblem(env[variable], probe)
    if (problem) problems.push(`${variable} ${problem}`)
  }
  required('GITHUB_OUTPUT')
  if (on('export-env')) required('GITHUB_ENV')

  const warnings: string[] = []
  let skipSummary = false
  const summaryPath = env.GITHUB_STEP_SUMMARY
  // Unset is normal for local runs and some runners: the summary is skipped quietly later.
  if (on('summary') && summaryPath) {
    const problem = fileProblem(summaryPath, probe)
    if (problem) {
      skipSummary = true
      warnings.push(`GITHUB_STEP_SUMMARY ${problem}; the job summary is skipped.`)
    }
  }
  return {
    error: problems.length > 0 ? missingFilesMessage(problems) : undefined,
    warnings,
    skipSummary
  }
}

function missingFilesMessage(problems: readonly string[]): string {
  const files = problems.length === 1 ? 'this file' : 'these files'
  return (
    `${problems.join('; ')}. This action must run on a GitHub Actions-compatible runner ` +
    `(GitHub-hosted, a self-hosted actions/runner, act, Gitea or Forgejo Actions), which ` +
    `provides ${files}. It never falls back to the deprecated ::set-output and ::set-env ` +
    'commands, which would print the token in the log.'
  )
}

function fileProblem(path: string | undefined, probe: FileProbe): string | undefined {
  if (!path) return 'is not set'
  const reason = probe(path)
  return reason === undefined ? undefined : line`names ${JSON.stringify(path)}, which ${reason}`
}

/** The file system calls probeFile makes; tests pass errors root never gets. */
export interface ProbeFs {
  readonly statSync: (path: string) => Pick<Stats, 'isDirectory' | 'isFile' | 'isCharacterDevice'>
  readonly accessSync: (path: string, mode: number) => void
  readonly realpathSync: (path: string) => string
}

// Devices that keep nothing written to them. Any other (a terminal, /dev/kmsg) could show or
// keep the token.
const DISCARDING_DEVICES = new Set(['/dev/null', '/dev/full'])

/**
 * The real probe: the file must exist and be writable, as the runner creates it. /dev/null and
 * /dev/full are accepted too (appending to /dev/null works; where it fails, as on /dev/full,
 * writeAllOrNothing takes every write back); other devices, directories, FIFOs and sockets are
 * not, since what is written could be shown, or appending would fail or block.
 */
export function probeFile(
  path: string,
  fs: ProbeFs = { statSync, accessSync, realpathSync }
): string | undefined {
  try {
    const stats = fs.statSync(path)
    if (stats.isDirectory()) return 'is a directory'
    if (stats.isCharacterDevice()) {
      if (!DISCARDING_DEVICES.has(fs.realpathSync(path))) {
        return 'is a device other than /dev/null and /dev/full (what is written to it could be shown or kept)'
      }
    } else if (!stats.isFile()) return 'is not a regular file'
    fs.accessSync(path, constants.W_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return 'does not exist'
    if (code === 'ENOTDIR') return 'is inside something that is not a directory'
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'cannot be written'
    return `cannot be checked (${code ?? (error as Error).message})`
  }
}
