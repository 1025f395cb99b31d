/**
 * `npm run local-action` (scripts/local-action.js) runs the sources (src/index.ts through tsx) as
 * the runner runs the bundle, against the embedded issuer on loopback with the inputs of
 * .env.example, as docs/local.md says; on every Node the suite runs on, Node 24 included.
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

describe('npm run local-action', () => {
  it('gets a token with the inputs of .env.example and shows the outputs, not the token', () => {
    expect(example).toContain(`INPUT_APP-SECRET='${secret}'`)
    const { status, output } = localAction('ok.env')
    expect(output).toContain('Run src/index.ts (through tsx) with the inputs of')
    expect(output).toMatch(/^ {2}audience +https:\/\/api\.example\.com\/products$/m)
    expect(output).toMatch(/^ {2}scope +read:products write:products$/m)
    expect(output).toMatch(/^ {2}access-token +\*\*\*$/m)
    expect(output).toContain('LOGTO_ACCESS_TOKEN=***')
    expect(output).toContain('Got a Bearer token for https://api.example.com/products')
    expect(output).toContain('Step succeeded (exit code 0)')
    expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/)
    expect(output).not.toContain(secret)
    expect(status).toBe(0)
  }, 120_000)

  it('shows a failure as the runner would, with exit status 1', () => {
    const { status, output } = localAction('bad.env', {
      'INPUT_APP-SECRET': 'not-the-m2m-secret',
      INPUT_RETRIES: '0'
    })
    expect(output).toContain('Error: Logto refused the token request after 1 attempt: HTTP 401')
    expect(output).toContain('Step FAILED (exit code 1)')
    expect(output).not.toContain('not-the-m2m-secret')
    expect(status).toBe(1)
  }, 120_000)

  it('names a missing file and how to make it', () => {
    const result = spawnSync(process.execPath, [script, path.join(dir, 'none.env')], {
      cwd: root,
      encoding: 'utf8'
    })
    expect(result.stderr).toContain('file not found. Copy .env.example to .env')
    expect(result.status).toBe(2)
  })
})
