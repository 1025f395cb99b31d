/**
 * scripts/lib/node-runtime.js, the Node of a given major version that `scripts/ci.js runtime` and
 * `npm run bench` use: this Node when it is that version, else an install from npm under
 * node_modules/.cache/node<major>, and a clear failure when that install gives no such Node.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
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

  it('installs node@<major> under node_modules/.cache, and fails when that gives none', () => {
    const installs: string[][] = []
    expect(() => nodeOfMajor(root, 99, (args) => installs.push(args))).toThrow(
      `node@99 from npm gave "" in ${runtimePaths(root, 99).bin}`
    )
    expect(installs).toEqual([
      [
        'install',
        '--prefix',
        path.join(root, 'node_modules', '.cache', 'node99'),
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        'node@99'
      ]
    ])
  })
})
