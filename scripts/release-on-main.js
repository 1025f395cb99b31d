#!/usr/bin/env node
/**
 * Refuses to release a commit that is not on main's own line: its first-parent history, the
 * commits main itself pointed at (each merge or squash of a reviewed pull request, each push the
 * ruleset allowed). An ancestor that is not on that line (a commit inside a merged pull request,
 * which may never have passed CI or review on its own) or a commit only on another branch
 * publishes nothing; the workflow then also requires the commit's CI to have passed. The release
 * workflow checks out with the whole history (`fetch-depth: 0`), so `origin/main` is there.
 *
 * Usage: node scripts/release-on-main.js [COMMIT] [--main REF]
 *   COMMIT defaults to HEAD, REF to refs/remotes/origin/main.
 * Exit status: 0 on main's first-parent line, 1 not on it (or main unknown), 2 usage error.
 */
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'

/**
 * Runs git; its status and trimmed stdout.
 * @param {string[]} args
 */
function git(args) {
  const result = spawnSync('git', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024
  })
  if (result.error) throw result.error
  return { status: result.status, stdout: result.stdout.trim() }
}

function main() {
  let parsed
  try {
    parsed = parseArgs({ options: { main: { type: 'string' } }, allowPositionals: true })
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    return 2
  }
  const { values, positionals } = parsed
  if (positionals.length > 1) {
    console.error('Usage: node scripts/release-on-main.js [COMMIT] [--main REF]')
    return 2
  }
  const mainRef = values.main ?? 'refs/remotes/origin/main'
  const wanted = positionals[0] ?? 'HEAD'
  const commit = git(['rev-parse', '--verify', '--quiet', `${wanted}^{commit}`])
  if (commit.status !== 0) {
    console.error(`${wanted} is not a commit in this repository.`)
    return 1
  }
  const tip = git(['rev-parse', '--verify', '--quiet', `${mainRef}^{commit}`])
  if (tip.status !== 0) {
    console.error(
      `${mainRef} is not in this clone: check out with the whole history (fetch-depth: 0).`
    )
    return 1
  }
  const line = git(['rev-list', '--first-parent', tip.stdout])
  if (line.status !== 0) {
    // A shallow clone without the commits between them, or a corrupt repository.
    console.error(`git rev-list --first-parent failed (${line.status}): fetch-depth: 0?`)
    return 1
  }
  if (!line.stdout.split('\n').includes(commit.stdout)) {
    const ancestor = git(['merge-base', '--is-ancestor', commit.stdout, tip.stdout]).status === 0
    console.error(
      ancestor
        ? `${commit.stdout} is in main's history (${tip.stdout}) but not on its first-parent ` +
            "line: it came in with a merge, and main's CI and review were of the merge, not of " +
            'it. Tag the commit main points at (git log --first-parent main).'
        : `${commit.stdout} is not on the first-parent line of main (${tip.stdout}): merge it ` +
            'into main, wait for CI, and tag the commit on main.'
    )
    return 1
  }
  console.log(`${commit.stdout} is on the first-parent line of main (${tip.stdout}).`)
  return 0
}

process.exitCode = main()
