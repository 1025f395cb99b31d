/**
 * What differs under dist/ from the commit: changed, deleted and untracked files alike (an
 * untracked file would not be attested, yet a later commit could ship it), as
 * `git status --porcelain` lines. Used by `node scripts/ci.js dist`, which CI and the release
 * workflow's verify job run after `npm run build` has rebuilt dist/ from scratch.
 */
import { spawnSync } from 'node:child_process'

/**
 * The `git status --porcelain` lines for dist/ in the repository at `cwd`; empty when dist/ is
 * exactly what is committed. Throws when git fails.
 * @param {string} cwd
 * @returns {string[]}
 */
export function distChanges(cwd) {
  const result = spawnSync(
    'git',
    ['status', '--porcelain', '--untracked-files=all', '--ignored=no', '--', 'dist/'],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
  )
  if (result.error) throw result.error
  if (result.status !== 0) throw new Error(`git status failed: ${result.stderr.trim()}`)
  return result.stdout.split('\n').filter((line) => line.trim() !== '')
}

/**
 * Every file under dist/, exactly: what `npm run build` writes and the repository commits. The
 * runner loads dist/index.js (action.yml's `main`) and dist/package.json (which makes index.js
 * an ES module); dist/licenses.txt holds the bundled packages' licences. The archive test and the
 * release workflow's attestation (action.yml plus these) are held to this list.
 */
export const DIST_FILES = ['dist/index.js', 'dist/licenses.txt', 'dist/package.json']
