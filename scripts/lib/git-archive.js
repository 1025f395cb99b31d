/**
 * `git archive` of a commit: what the runner downloads for every job that uses the action (a
 * tarball, a zipball on Windows), made with the export-ignore rules of .gitattributes at that
 * commit. Used by the benchmark (its size) and by __tests__/archive.test.ts (its contents).
 */
import { spawnSync } from 'node:child_process'

/**
 * Runs git in `cwd`; the output as a Buffer, or the reason it failed.
 * @param {string} cwd
 * @param {string[]} args
 * @returns {{ ok: true, stdout: Buffer } | { ok: false, reason: string }}
 */
function git(cwd, args) {
  const result = spawnSync('git', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The archive from before export-ignore was 5 MB as tar.
    maxBuffer: 256 * 1024 * 1024
  })
  if (result.error) return { ok: false, reason: `git did not start (${result.error.message})` }
  if (result.status !== 0) {
    const stderr = result.stderr.toString('utf8').trim()
    return { ok: false, reason: `git ${args.join(' ')} exited with ${result.status}: ${stderr}` }
  }
  return { ok: true, stdout: result.stdout }
}

/**
 * Why the archive of HEAD cannot be taken for `root`, or undefined when it can: git is on PATH,
 * `root` is the top of a work tree (not a folder inside another repository) and HEAD is a commit.
 * A shallow clone qualifies; a copy without .git (a downloaded source archive) does not.
 * @param {string} root
 * @returns {string | undefined}
 */
export function archiveUnavailable(root) {
  const prefix = git(root, ['rev-parse', '--show-prefix'])
  if (!prefix.ok) return `${root} is not a git checkout, or git is missing: ${prefix.reason}`
  const inside = prefix.stdout.toString('utf8').trim()
  if (inside) return `${root} is the folder ${inside} of another repository, not its top`
  const head = git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])
  if (!head.ok) return `${root} has no commit at HEAD yet`
  return undefined
}

/**
 * The archive of `ref` as git makes it (uncompressed tar, or zip).
 * `worktreeAttributes` applies the working tree's .gitattributes instead of the commit's, to see
 * what an uncommitted change of that file would do.
 * @param {string} root
 * @param {{ ref?: string, format?: 'tar' | 'zip', worktreeAttributes?: boolean }} [options]
 * @returns {Buffer}
 */
export function gitArchive(root, options = {}) {
  const { ref = 'HEAD', format = 'tar', worktreeAttributes = false } = options
  const args = ['archive', `--format=${format}`]
  if (worktreeAttributes) args.push('--worktree-attributes')
  const result = git(root, [...args, ref])
  if (!result.ok) throw new Error(result.reason)
  return result.stdout
}

/**
 * The entries of a tar archive (ustar with pax headers, as git writes it), in order: files with
 * their contents, directories with a path ending in `/`.
 * @param {Buffer} tar
 * @returns {{ path: string, directory: boolean, data: Buffer }[]}
 */
export function tarEntries(tar) {
  /** @type {{ path: string, directory: boolean, data: Buffer }[]} */
  const entries = []
  /** @type {string | undefined} */
  let paxPath
  let offset = 0
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every((byte) => byte === 0)) break
    const field = (/** @type {number} */ start, /** @type {number} */ length) => {
      const raw = header.subarray(start, start + length)
      const end = raw.indexOf(0)
      return raw.subarray(0, end === -1 ? length : end).toString('utf8')
    }
    const size = parseInt(field(124, 12).trim() || '0', 8)
    const type = field(156, 1)
    const data = tar.subarray(offset + 512, offset + 512 + size)
    offset += 512 + Math.ceil(size / 512) * 512
    if (type === 'g') continue // git's global header: the commit id
    if (type === 'x') {
      // Extended header records: "<length> path=<value>\n" overrides the next entry's name.
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))
      paxPath = match?.[1]
      continue
    }
    const prefix = field(345, 155)
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100))
    paxPath = undefined
    const directory = type === '5'
    entries.push({ path: directory && !name.endsWith('/') ? `${name}/` : name, directory, data })
  }
  return entries
}

/**
 * The paths in a tar archive; directories end in `/`.
 * @param {Buffer} tar
 * @returns {string[]}
 */
export function tarPaths(tar) {
  return tarEntries(tar).map((entry) => entry.path)
}
