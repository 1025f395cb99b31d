/**
 * Hands values to later steps through the runner's files all together or not at all: when one
 * write fails (a full disk, a quota), every file is put back to the length it had before the
 * first, so no output and no variable is set, the token included.
 */
import { statSync, truncateSync, type Stats } from 'node:fs'
import { ActionError } from './errors.js'
import { line } from './log-text.js'

/** The runner variables naming the files that outputs and exported variables go to. */
export type RunnerFile = 'GITHUB_OUTPUT' | 'GITHUB_ENV'

/** One value for later steps: a step output (GITHUB_OUTPUT) or a variable (GITHUB_ENV). */
export interface RunnerWrite {
  readonly file: RunnerFile
  readonly name: string
  readonly value: string
}

/** The two file system calls a rollback makes; tests pass failures. */
export interface RollbackFs {
  readonly statSync: (path: string) => Pick<Stats, 'isFile' | 'size'>
  readonly truncateSync: (path: string, length: number) => void
}

/** What writeAllOrNothing needs from the outside. */
export interface RunnerWriteDeps {
  /** The environment that names the files (process.env). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Appends one entry to its file, throwing when the file refuses (core.setOutput and the like). */
  readonly write: (entry: RunnerWrite) => void
  readonly fs?: RollbackFs
}

/**
 * Writes the entries in order. If one throws, each file is cut back to its length from before the
 * first write, and the error names the entry, its variable and the file's path. Only regular
 * files are cut back: a character device such as /dev/null or /dev/full keeps nothing written.
 */
export function writeAllOrNothing(entries: readonly RunnerWrite[], deps: RunnerWriteDeps): void {
  const fs = deps.fs ?? { statSync, truncateSync }
  const files = [...new Set(entries.map((entry) => entry.file))]
  const lengths = new Map<string, { file: RunnerFile; length: number }>()
  for (const file of files) {
    const path = deps.env[file] ?? ''
    if (lengths.has(path)) continue
    let stats: Pick<Stats, 'isFile' | 'size'>
    try {
      stats = fs.statSync(path)
    } catch (error) {
      throw new ActionError(
        line`Could not read ${file} (${JSON.stringify(path)}) before writing to it: ` +
          line`${reason(error)}. Nothing was set.`
      )
    }
    if (stats.isFile()) lengths.set(path, { file, length: stats.size })
  }
  for (const entry of entries) {
    try {
      deps.write(entry)
    } catch (error) {
      const what =
        entry.file === 'GITHUB_OUTPUT' ? `output ${entry.name}` : `variable ${entry.name}`
      const path = JSON.stringify(deps.env[entry.file] ?? '')
      throw new ActionError(
        line`Could not set ${what}: writing to ${entry.file} (${path}) failed: ${reason(error)}. ` +
          rollBack(lengths, fs)
      )
    }
  }
}

/** Cuts every regular file back to its recorded length; says what holds afterwards. */
function rollBack(
  lengths: ReadonlyMap<string, { file: RunnerFile; length: number }>,
  fs: RollbackFs
): string {
  const failed: string[] = []
  for (const [path, { file, length }] of lengths) {
    try {
      fs.truncateSync(path, length)
    } catch (error) {
      failed.push(line`${file} (${JSON.stringify(path)}: ${reason(error)})`)
    }
  }
  if (failed.length === 0) return 'Nothing was set: every runner file is as it was before.'
  return (
    `Could not put back ${failed.join(' and ')} as it was, so it may still hold values this ` +
    'step wrote, the token among them.'
  )
}

// Duck-typed: errors from Node's fs may come from another realm (a VM context), where
// instanceof Error is false.
function reason(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message
  return typeof message === 'string' ? message : String(error)
}
