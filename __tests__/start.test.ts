/** `npm start` (scripts/start.js) as a developer runs it: what it prints, and what it refuses. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { fixtures } from '../tools/issuer/fixtures.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

const script = fileURLToPath(new URL('../scripts/start.js', import.meta.url))
const secret = fixtures.apps.m2m.clientSecret
const jwt = /eyJ[\w-]+\.[\w-]+\.[\w-]+/

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function start(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = { ...process.env }
  // jest's --experimental-vm-modules would only add a warning; a developer's secret must not leak in.
  delete base.NODE_OPTIONS
  delete base.LOGTO_APP_SECRET
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function expectNothingLeaked(run: Run): void {
  const text = run.stdout + run.stderr
  expect(text).not.toMatch(jwt)
  expect(text).not.toContain(secret)
  expect(text).not.toContain(encodeURIComponent(secret))
}

describe('npm start with the embedded issuer', () => {
  let run: Run
  beforeAll(async () => {
    run = await start([])
  })

  it('exits 0 after the three flows and their checks worked', () => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('All 3 run(s) worked.')
    expect(run.stdout).not.toContain('FAIL')
    expect(run.stdout.match(/Step succeeded \(exit code 0/g)).toHaveLength(3)
  })

  it('shows the app secret expiry: a line, the output, and the warning with its summary row', () => {
    expect(run.stdout).toMatch(
      /^ {2}The app secret in use, "GitHub Actions", expires on \S+Z, in 180 days\.$/m
    )
    expect(run.stdout).toMatch(/^ {2}secret-expires-at +\d{4}-\d\d-\d\dT[\d:.]+Z$/m)
    expect(run.stdout).toMatch(
      /^ {2}Warning: The app secret in use, "Release pipeline" of app expiring-app, expires on \S+Z, in 10 days\. Rotate it without downtime/m
    )
    expect(run.stdout).toMatch(/^ {2}App secret +Release pipeline: expires on \S+Z, in 10 days$/m)
    expect(run.stdout).not.toContain(fixtures.apps.expiring.clientSecret)
  })

  it('prints the outputs, with the token masked', () => {
    for (const name of ['token-type', 'expires-in', 'expires-at', 'scope', 'audience']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'))
    }
    expect(run.stdout).toMatch(/^ {2}access-token +\*\*\* \(JWT, ES384, \d+ characters\)$/m)
    expect(run.stdout).toMatch(/^ {2}LOGTO_ACCESS_TOKEN=\*\*\*$/m)
    expect(run.stdout).toMatch(/^ {4}app-secret: \*\*\*$/m)
  })

  it('shows the audience and scopes the issuer verified for each flow', () => {
    expect(run.stdout).toContain(
      'PASS GET /api/whoami verified the token: aud https://default.logto.app/api, scope "all"'
    )
    expect(run.stdout).toContain(
      'PASS GET /api/whoami verified the token: aud https://api.example.com/products, ' +
        'scope "read:products write:products"'
    )
  })

  it('renders the job summary as text', () => {
    expect(run.stdout).toMatch(/^ {2}Granted scopes +read:products write:products$/m)
    expect(run.stdout).not.toContain('| --- |')
  })

  it('prints neither the token nor the secret', () => {
    expectNothingLeaked(run)
  })
})

describe('npm start against a given endpoint', () => {
  let issuer: IssuerProcess
  beforeAll(async () => {
    issuer = await startIssuerProcess()
  })
  afterAll(async () => {
    await issuer.close()
  })

  it('takes the secret from LOGTO_APP_SECRET and verifies the token with the JWKS', async () => {
    const run = await start(
      [
        '--endpoint',
        `${issuer.endpoint}/oidc`,
        '--app-id',
        fixtures.apps.m2m.clientId,
        '--resource',
        fixtures.resources.products.indicator,
        '--scope',
        'read:products'
      ],
      { LOGTO_APP_SECRET: secret }
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`PASS signature verified with ${issuer.endpoint}/oidc/jwks`)
    expect(run.stdout).toMatch(/^ {2}scope +read:products$/m)
    expectNothingLeaked(run)
  })

  it('exits 1 and shows the action error when Logto refuses', async () => {
    const run = await start(
      ['--endpoint', issuer.endpoint, '--app-id', fixtures.apps.m2m.clientId, '--retries', '0'],
      { LOGTO_APP_SECRET: 'not-the-secret' }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Error: Logto refused the token request after 1 attempt')
    expect(run.stdout).toContain('Something did not work')
    expect(run.stdout).not.toContain('not-the-secret')
  })
})

describe('npm start with Windows line endings in the action (os.EOL = \\r\\n)', () => {
  it('shows the same masked log and outputs', async () => {
    const run = await start([], { SIMULATE_WINDOWS_EOL: '1' })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('All 3 run(s) worked.')
    expect(run.stdout).not.toContain('\r')
    expect(run.stdout).not.toContain('::')
    expect(run.stdout).toMatch(/^ {2}access-token +\*\*\* \(JWT, ES384, \d+ characters\)$/m)
    expectNothingLeaked(run)
  })
})

describe('npm start refuses', () => {
  it('--app-secret, without echoing it', async () => {
    for (const args of [
      ['--app-secret', 'hunter2-secret'],
      ['--endpoint', 'https://x.logto.app', '--app-id', 'a', '--app-secret=hunter2-secret']
    ]) {
      const run = await start(args, { LOGTO_APP_SECRET: 'from-env' })
      expect(run.code).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).toContain('--app-secret is refused')
      expect(run.stderr).toContain('shell history')
      expect(run.stderr).toContain('LOGTO_APP_SECRET')
      expect(run.stderr).not.toContain('hunter2-secret')
    }
  })

  it('--endpoint without LOGTO_APP_SECRET, saying how to set it in bash and PowerShell', async () => {
    const run = await start(['--endpoint', 'https://x.logto.app', '--app-id', 'a'])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('LOGTO_APP_SECRET is not set')
    expect(run.stderr).toContain('read -rs LOGTO_APP_SECRET && export LOGTO_APP_SECRET')
    expect(run.stderr).toContain("$env:LOGTO_APP_SECRET = Read-Host -MaskInput 'App secret'")
  })

  it('an unknown option', async () => {
    const run = await start(['--app-ID', 'a'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("Unknown option '--app-ID'")
  })
})

describe('npm start --help', () => {
  it('lists every input but app-secret', async () => {
    const run = await start(['--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('--endpoint')
    expect(run.stdout).toContain('--organization-id')
    expect(run.stdout).not.toContain('--app-secret')
  })
})
