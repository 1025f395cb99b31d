#!/usr/bin/env node
/**
 * Refuses to release a commit that is not on main's history: a tag pushed on a side branch, or
 * on a commit that never went through main's CI and review, publishes nothing. The release
 * workflow checks out with the whole history (`fetch-depth: 0`), so `origin/main` is there.
 *
 * Usage: node scripts/release-on-main.js [COMMIT] [--main REF]
 *   COMMIT defaults to HEAD, REF to refs/remotes/origin/main.
 * Exit status: 0 on main's history, 1 not on it (or main unknown), 2 usage error.
 */
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'

/**
 * Runs git; its status and trimmed stdout.
 * @param {string[]} args
 */
function git(args) {
  const result = spawnSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
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
  const onMain = git(['merge-base', '--is-ancestor', commit.stdout, tip.stdout])
  if (onMain.status === 1) {
    console.error(
      `${commit.stdout} is not on the history of main (${tip.stdout}): merge it into main, ` +
        'wait for CI, and tag the commit on main.'
    )
    return 1
  }
  if (onMain.status !== 0) {
    // 128: a shallow clone without the commits between them, or a corrupt repository.
    console.error(`git merge-base --is-ancestor failed (${onMain.status}): fetch-depth: 0?`)
    return 1
  }
  console.log(`${commit.stdout} is on the history of main (${tip.stdout}).`)
  return 0
}

process.exitCode = main()
