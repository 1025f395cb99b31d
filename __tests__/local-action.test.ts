/**
 * `npm run local-action` (scripts/local-action.js around @github/local-action) runs src/main.ts
 * against the embedded issuer on loopback with the inputs of .env.example, as the README says.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

const root = process.cwd()
const script = path.join(root, 'scripts', 'local-action.js')
const example = readFileSync(path.join(root, '.env.example'), 'utf8')
const secret = 'm2m-secret+%:/=&x y'

let issuer: IssuerProcess
let dir: string
beforeAll(async () => {
  issuer = await startIssuerProcess()
  dir = mkdtempSync(path.join(tmpdir(), 'local-action-'))
})
afterAll(async () => {
  await issuer.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Runs local-action on .env.example with the issuer's endpoint and the given changes. */
function localAction(name: string, changes: Record<string, string> = {}) {
  let env = example.replace(/^INPUT_ENDPOINT=.*$/m, `INPUT_ENDPOINT=${issuer.endpoint}`)
  for (const [key, value] of Object.entries(changes)) {
    env = env.replace(new RegExp(`^${key}=.*$`, 'm'), `${key}=${value}`)
  }
  const file = path.join(dir, name)
  writeFileSync(file, env)
  const result = spawnSync(process.execPath, [script, file], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 120_000
  })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

// local-action 7.0.1 mocks @actions/core through quibble, whose loader fails on Node 24 (ENOENT
// for '@actions/core'); the README says so, and `npm start` covers Node 24.
const beforeNode24 = Number(process.versions.node.split('.')[0]) < 24 ? describe : describe.skip

beforeNode24('npm run local-action', () => {
  it('gets a token with the inputs of .env.example and shows the outputs, not the token', () => {
    expect(example).toContain(`INPUT_APP-SECRET='${secret}'`)
    const { status, output } = localAction('ok.env')
    expect(output).toContain('::set-output name=audience::https://api.example.com/products')
    expect(output).toContain('::set-output name=scope::read:products write:products')
    expect(output).toContain('Got a Bearer token for https://api.example.com/products')
    // local-action applies the runner's rule for job outputs to step outputs.
    expect(output).toContain('Skip output access-token since it may contain secret.')
    expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/)
    expect(output).not.toContain(secret)
    expect(status).toBe(0)
  }, 120_000)

  it('shows a failure as the ::error:: line, with exit status 0', () => {
    const { status, output } = localAction('bad.env', {
      'INPUT_APP-SECRET': 'not-the-secret',
      INPUT_RETRIES: '0'
    })
    expect(output).toContain('::error::Logto refused the token request after 1 attempt: HTTP 401')
    expect(output).toContain('No outputs were set!')
    expect(status).toBe(0)
  }, 120_000)
})
