/**
 * A Node.js of a given major version for checks and the benchmark: this process's own when it is
 * that version, else the `node` package from the npm registry installed under
 * node_modules/.cache/node<major> (ignored by git and every tool; `npm ci` starts it afresh).
 * scripts/ci.js (tests on the action's runtime) and bench/run.js share those installs.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/**
 * Where Node `major` is installed from npm, and the folder of its command.
 * @param {string} root the repository root
 * @param {number} major
 */
export function runtimePaths(root, major) {
  const dir = join(root, 'node_modules', '.cache', `node${major}`)
  return { dir, bin: join(dir, 'node_modules', '.bin') }
}

/**
 * The executable and version of the `node` command found first on PATH with `bin` in front; an
 * empty version when there is none. Through a shell on Windows, where that command is a .cmd.
 * @param {string} bin
 */
function probe(bin) {
  if (!existsSync(bin)) return { path: '', version: '' }
  // No spaces or shell metacharacters: cmd.exe gets the arguments joined, unquoted.
  const result = spawnSync('node', ['-p', "process.execPath+'\\n'+process.version"], {
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    encoding: 'utf8',
    shell: process.platform === 'win32'
  })
  if (result.error || result.status !== 0) return { path: '', version: '' }
  const [path = '', version = ''] = result.stdout.trim().split(/\r?\n/)
  return { path, version }
}

/**
 * A Node of version `major`: `{ path, version, installed }`, where `installed` tells whether it
 * came from node_modules/.cache. Installs `node@<major>` there with `install(args)` (an npm
 * runner that throws on failure) when it is missing; throws when it still does not answer.
 * @param {string} root
 * @param {number} major
 * @param {(args: string[]) => void} install runs `npm` with these arguments
 */
export function nodeOfMajor(root, major, install) {
  if (Number(process.versions.node.split('.')[0]) === major) {
    return { path: process.execPath, version: process.version, installed: false }
  }
  const { dir, bin } = runtimePaths(root, major)
  let found = probe(bin)
  if (!found.version.startsWith(`v${major}.`)) {
    mkdirSync(dir, { recursive: true })
    install([
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `node@${major}`
    ])
    found = probe(bin)
  }
  if (!found.version.startsWith(`v${major}.`)) {
    throw new Error(`node@${major} from npm gave "${found.version}" in ${bin}`)
  }
  return { ...found, installed: true }
}
