/**
 * The documentation's snippets (README.md and docs/*.md): every workflow snippet passes GitHub's
 * own parser; the curl seeding step of docs/seeding.md, run by bash as the runner runs it against
 * a Logto-like API on loopback, is idempotent, sends the token only in a header and fails with
 * Logto's error body; and its `seed-logto.mjs` stops with a message when the token is not set.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { asWorkflow, hasUsesStep, yamlSnippets } from '../scripts/lib/readme-snippets.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const docsDir = join(root, 'docs')
/** README.md and every page of docs/, by path relative to the repository. */
const pages = [
  'README.md',
  ...readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`)
].map((name) => ({ name, text: readFileSync(join(root, name), 'utf8') }))
const snippets = pages.flatMap((page) =>
  yamlSnippets(page.text)
    .filter(hasUsesStep)
    .map((snippet) => ({ ...snippet, page: page.name }))
)
const seeding = readFileSync(join(docsDir, 'seeding.md'), 'utf8')

describe('workflow snippets of README.md and docs/', () => {
  it('every one passes GitHub’s workflow parser (scripts/validate-schemas.js)', () => {
    // The parser's loader hooks cannot run inside jest: it runs in a child process, as in CI.
    const dir = mkdtempSync(join(tmpdir(), 'readme-snippets-'))
    try {
      const files = snippets.map((snippet) => {
        const file = join(dir, `${snippet.page.replace(/\W/g, '-')}-line-${snippet.line}.yml`)
        writeFileSync(file, asWorkflow(snippet).workflow)
        return file
      })
      const validate = fileURLToPath(new URL('../scripts/validate-schemas.js', import.meta.url))
      const result = spawnSync(process.execPath, [validate, ...files], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' }
      })
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      expect(result.stdout.match(/^ok /gm)).toHaveLength(snippets.length)
      // The README's four, and those of set-up, versions, tokens and the three of seeding.
      expect(snippets.length).toBeGreaterThanOrEqual(10)
      expect(snippets.filter((s) => s.page === 'docs/seeding.md')).toHaveLength(3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('include the three tools of docs/seeding.md', () => {
    expect(seeding).toContain('Lenstra/terraform-provider-logto')
    // The provider's own variables, never a token from the action.
    for (const name of ['LOGTO_HOSTNAME', 'LOGTO_APPLICATION_ID', 'LOGTO_APPLICATION_SECRET']) {
      expect(seeding).toContain(`${name}: `)
    }
    expect(seeding).not.toMatch(/access_token\s*=|tenant_id\s*=/)
    expect(seeding).toMatch(/createApiClient\(\{\s*baseUrl: [^,]+,\s*getToken: async \(\) =>/)
    expect(seeding).toContain('--fail-with-body')
  })
})

/** The ```js block that follows the line naming `seed-logto.mjs` in docs/seeding.md. */
function seedScript(): string {
  const from = seeding.indexOf('`seed-logto.mjs`, which')
  const open = seeding.indexOf('```js\n', from)
  const close = seeding.indexOf('\n```', open + 6)
  if (from === -1 || open === -1 || close === -1) throw new Error('no seed-logto.mjs in seeding.md')
  return seeding.slice(open + 6, close + 1)
}

describe('seed-logto.mjs of docs/seeding.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seed-logto-'))
  const script = join(dir, 'seed-logto.mjs')
  writeFileSync(script, seedScript())
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  // No @logto/api is installed here: the script must stop on the variables before it loads it.
  it.each([
    ['without LOGTO_ACCESS_TOKEN', { LOGTO_ENDPOINT: 'https://tenant.logto.app' }],
    ['without LOGTO_ENDPOINT', { LOGTO_ACCESS_TOKEN: 'eyJ.x.y' }],
    ['with an empty LOGTO_ACCESS_TOKEN', { LOGTO_ENDPOINT: 'https://t', LOGTO_ACCESS_TOKEN: '' }]
  ])('stops with a message %s, sending nothing', (_label, variables: Record<string, string>) => {
    const result = spawnSync(process.execPath, [script], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...variables }
    })
    expect(result.stderr).toContain('seed-logto.mjs needs LOGTO_ENDPOINT and LOGTO_ACCESS_TOKEN')
    expect(result.stderr).not.toContain('ERR_MODULE_NOT_FOUND')
    expect(result.status).toBe(1)
  })

  it('reaches the import of @logto/api when both are set', () => {
    const result = spawnSync(process.execPath, [script], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', LOGTO_ENDPOINT: 'https://t', LOGTO_ACCESS_TOKEN: 'x' }
    })
    expect(result.stderr).toContain("Cannot find package '@logto/api'")
    expect(result.status).not.toBe(0)
  })
})

interface SeedStep {
  run: string
  env: Record<string, string>
  shell: string
}

function curlStep(): SeedStep {
  const snippet = snippets.find((s) => s.text.includes('name: Seed with curl'))
  if (!snippet) throw new Error('no curl seeding snippet in docs/seeding.md')
  const steps = parse(snippet.text) as (Partial<SeedStep> & { name?: string })[]
  const step = steps.find((s) => s.name === 'Seed with curl')
  return step as SeedStep
}

interface Seen {
  method: string
  url: string
  authorization: string | undefined
  body: string
}

// Tools the step needs; Windows' curl and Git Bash differ in how they open /dev/fd paths.
const toolsPresent =
  process.platform !== 'win32' &&
  ['bash', 'curl', 'jq'].every(
    (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0
  )

const describeWithTools = toolsPresent ? describe : describe.skip
describeWithTools('docs/seeding.md curl seeding step, run by bash', () => {
  const token = 'eyJ.token-from-the-action.sig'
  const seen: Seen[] = []
  const resources: { name: string; indicator: string }[] = []
  let rolesStatus = 201
  let server: Server
  let api: string
  const dir = mkdtempSync(join(tmpdir(), 'readme-seed-'))
  const step = curlStep()
  const script = join(dir, 'step.sh')
  writeFileSync(script, step.run)

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          body
        })
        const send = (status: number, value: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' })
          res.end(JSON.stringify(value))
        }
        if (req.headers.authorization !== `Bearer ${token}`) {
          return send(401, { code: 'auth.unauthorized', message: 'Unauthorized.' })
        }
        if (req.method === 'GET' && req.url === '/api/resources') return send(200, resources)
        if (req.method === 'POST' && req.url === '/api/resources') {
          resources.push(JSON.parse(body) as { name: string; indicator: string })
          return send(201, resources.at(-1))
        }
        if (req.method === 'POST' && req.url === '/api/applications/deploy-app/roles') {
          return send(rolesStatus, rolesStatus < 300 ? {} : { code: 'role.x', message: 'No.' })
        }
        send(404, { code: 'entity.not_found', message: 'Not found.' })
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(dir, { recursive: true, force: true })
  })

  // As the runner runs a `shell: bash` step; only the variables the step and its tools need.
  function runStep(): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      env: {
        PATH: process.env.PATH ?? '',
        ...step.env,
        API: api,
        APP_ID: 'deploy-app',
        ROLE_ID: 'role-1',
        LOGTO_ACCESS_TOKEN: token
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  }

  it('is a bash step that takes the token from the exported variable, never on a command line', () => {
    expect(step.shell).toBe('bash')
    const uses = step.run.split('\n').filter((line) => line.includes('LOGTO_ACCESS_TOKEN'))
    expect(uses).toEqual([`auth() { printf 'Authorization: Bearer %s\\n' "$LOGTO_ACCESS_TOKEN"; }`])
    // printf is a bash builtin: the token reaches curl through a file descriptor, not argv.
    expect(step.run).toContain('-H @<(auth)')
  })

  it('creates the API resource once and assigns the role on every run, with the bearer token', async () => {
    const first = await runStep()
    expect(first).toMatchObject({ code: 0 })
    const second = await runStep()
    expect(second).toMatchObject({ code: 0 })
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/resources',
      'POST /api/resources',
      'POST /api/applications/deploy-app/roles',
      'GET /api/resources',
      'POST /api/applications/deploy-app/roles'
    ])
    expect(seen.every((s) => s.authorization === `Bearer ${token}`)).toBe(true)
    expect(JSON.parse(seen[1].body)).toEqual({
      name: 'Products API',
      indicator: 'https://api.example.com/products'
    })
    expect(JSON.parse(seen[2].body)).toEqual({ roleIds: ['role-1'] })
    expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}`).not.toContain(token)
  })

  it('fails the step on an error answer and shows Logto’s error body', async () => {
    rolesStatus = 422
    try {
      const result = await runStep()
      expect(result.code).not.toBe(0)
      expect(result.stdout).toContain('{"code":"role.x","message":"No."}')
      expect(result.stderr).toContain('422')
    } finally {
      rolesStatus = 201
    }
  })
})
