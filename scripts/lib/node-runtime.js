/**
 * A Node.js of a given major version for checks and the benchmark: this process's own when it is
 * that version, else the exact version pinned in tools/node<major>/package-lock.json (the
 * platform package `node-<os>-<cpu>`, whose tarball carries the binary, checked against the lock
 * file's integrity), installed with `npm ci --ignore-scripts` under node_modules/.cache/node<major>
 * (ignored by git and every tool; `npm ci` starts it afresh). No install script runs, and nothing
 * floats: Dependabot proposes new versions of the pin. scripts/ci.js (tests on the action's
 * runtime) and bench/run.js share those installs.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/**
 * Where Node `major` is installed from npm, and the folder of its command.
 * @param {string} root the repository root
 * @param {number} major
 */
export function runtimePaths(root, major) {
  const dir = join(root, 'node_modules', '.cache', `node${major}`)
  return { dir, bin: join(dir, 'node_modules', '.bin'), pin: join(root, 'tools', `node${major}`) }
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
 * The exact version tools/node<major>/package.json pins for this platform, or undefined when it
 * pins none (no such folder, or no package for this OS and CPU).
 * @param {string} pin the folder with the pin's package.json and package-lock.json
 */
export function pinnedVersion(pin, platform = process.platform, arch = process.arch) {
  const manifest = join(pin, 'package.json')
  if (!existsSync(manifest) || !existsSync(join(pin, 'package-lock.json'))) return undefined
  /** @type {{ optionalDependencies?: Record<string, string> }} */
  const json = JSON.parse(readFileSync(manifest, 'utf8'))
  return json.optionalDependencies?.[`node-${platform === 'win32' ? 'win' : platform}-${arch}`]
}

/**
 * A Node of version `major`: `{ path, version, installed }`, where `installed` tells whether it
 * came from node_modules/.cache. Installs the version pinned in tools/node<major> there with
 * `install(args)` (an npm runner that throws on failure) when it is missing; throws when there is
 * no pin for this platform, or the install still does not answer with that version.
 * @param {string} root
 * @param {number} major
 * @param {(args: string[]) => void} install runs `npm` with these arguments
 */
export function nodeOfMajor(root, major, install) {
  if (Number(process.versions.node.split('.')[0]) === major) {
    return { path: process.execPath, version: process.version, installed: false }
  }
  const { dir, bin, pin } = runtimePaths(root, major)
  const version = pinnedVersion(pin)
  if (version === undefined) {
    throw new Error(
      `no Node ${major} is pinned for ${process.platform}-${process.arch} in ${pin}: ` +
        `run this with Node ${major} (as CI does), or add node-<os>-<cpu> to that package.json ` +
        'and its lock file'
    )
  }
  let found = probe(bin)
  if (found.version !== `v${version}`) {
    mkdirSync(dir, { recursive: true })
    for (const name of ['package.json', 'package-lock.json']) {
      copyFileSync(join(pin, name), join(dir, name))
    }
    install(['ci', '--prefix', dir, '--ignore-scripts', '--no-audit', '--no-fund'])
    found = probe(bin)
  }
  if (found.version !== `v${version}`) {
    throw new Error(`the Node ${version} pinned in ${pin} gave "${found.version}" in ${bin}`)
  }
  return { ...found, installed: true }
}
