/**
 * scripts/lib/node-runtime.js, the Node of a given major version that `scripts/ci.js runtime` and
 * `npm run bench` use: this Node when it is that version, else an install from npm under
 * node_modules/.cache/node<major> of the exact version tools/node<major> pins (npm ci, no install
 * script), and a clear failure when nothing is pinned or the install gives another version.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { nodeOfMajor, runtimePaths } from '../scripts/lib/node-runtime.js'

let root: string
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'node-runtime-'))
})
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('nodeOfMajor', () => {
  it('is this Node when it has that major version, without installing anything', () => {
    const major = Number(process.versions.node.split('.')[0])
    const installs: string[][] = []
    expect(nodeOfMajor(root, major, (args) => installs.push(args))).toEqual({
      path: process.execPath,
      version: process.version,
      installed: false
    })
    expect(installs).toEqual([])
  })

  it('refuses a major version that tools/ pins nothing for, before installing anything', () => {
    const installs: string[][] = []
    expect(() => nodeOfMajor(root, 99, (args) => installs.push(args))).toThrow(
      `no Node 99 is pinned for ${process.platform}-${process.arch} in ${runtimePaths(root, 99).pin}`
    )
    expect(installs).toEqual([])
  })

  it('installs the pin with npm ci --ignore-scripts under node_modules/.cache, and fails when that gives another version', () => {
    const pin = runtimePaths(root, 98).pin
    mkdirSync(pin, { recursive: true })
    const name = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`
    writeFileSync(
      path.join(pin, 'package.json'),
      JSON.stringify({ optionalDependencies: { [name]: '98.1.2' } })
    )
    writeFileSync(path.join(pin, 'package-lock.json'), '{}')
    const installs: string[][] = []
    expect(() => nodeOfMajor(root, 98, (args) => installs.push(args))).toThrow(
      `the Node 98.1.2 pinned in ${pin} gave "" in ${runtimePaths(root, 98).bin}`
    )
    const dir = path.join(root, 'node_modules', '.cache', 'node98')
    expect(installs).toEqual([
      ['ci', '--prefix', dir, '--ignore-scripts', '--no-audit', '--no-fund']
    ])
    // The lock file goes with it: npm ci installs exactly what it names, checked by integrity.
    expect(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')).toBe('{}')
  })
})

describe('the committed pins (tools/node24, tools/node20)', () => {
  it.each([24, 20])(
    'Node %i: one exact version, each platform package locked by integrity, no install script',
    (major) => {
      const pin = runtimePaths(process.cwd(), major).pin
      const manifest = JSON.parse(readFileSync(path.join(pin, 'package.json'), 'utf8')) as {
        dependencies?: unknown
        optionalDependencies: Record<string, string>
      }
      expect(manifest.dependencies).toBeUndefined()
      const versions = new Set(Object.values(manifest.optionalDependencies))
      expect(versions.size).toBe(1)
      const [version] = [...versions]
      expect(version).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`))
      const lock = JSON.parse(readFileSync(path.join(pin, 'package-lock.json'), 'utf8')) as {
        packages: Record<
          string,
          { version?: string; integrity?: string; hasInstallScript?: boolean }
        >
      }
      for (const name of Object.keys(manifest.optionalDependencies)) {
        expect(name).toMatch(/^node-(linux|darwin|win)-(x64|arm64)$/)
        const entry = lock.packages[`node_modules/${name}`]
        expect(entry.version).toBe(version)
        expect(entry.integrity).toMatch(/^sha512-/)
        expect(entry.hasInstallScript).toBeUndefined()
      }
      expect(Object.keys(lock.packages).sort()).toEqual(
        ['', ...Object.keys(manifest.optionalDependencies).map((n) => `node_modules/${n}`)].sort()
      )
    }
  )
})
