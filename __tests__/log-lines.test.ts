/**
 * Every line the action prints, walked with hostile values in every input and every server value
 * that reaches a message: none is a workflow command on the runner (a line that starts with `::`
 * after white space, or holds `##[` anywhere) and none spans two lines.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFaultyServer, tokenBody, type Behaviour } from './support/faulty-server.js'

const printed: [string, string][] = []
let inputs: Record<string, string> = {}
const record =
  (kind: string) =>
  (message: unknown): void =>
    void printed.push([kind, String(message)])

jest.unstable_mockModule('@actions/core', () => ({
  getInput: (name: string) => inputs[name] ?? '',
  setSecret: () => undefined,
  setOutput: () => undefined,
  exportVariable: () => undefined,
  setFailed: record('setFailed'),
  error: record('error'),
  warning: record('warning'),
  notice: record('notice'),
  info: record('info'),
  debug: record('debug'),
  summary: {
    addRaw() {
      return this
    },
    write: async () => undefined
  }
}))
const { run } = await import('../src/main.js')

// The forms a value takes to become a command, or to end the line it is printed on.
const HOSTILE = [
  '##[warning]x',
  '::warning::x',
  'a ##[error]x',
  'a\n::error::x',
  'a\r::error::x',
  'a\u2028::error::x'
] as const
// What each shows when printed neutralised: a sign the value reached a line.
const REACHED = /warning\]x|warning::x|error\]x|error::x/

const dir = mkdtempSync(join(tmpdir(), 'log-lines-'))
const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_ENV: join(dir, 'env') }
const saved = { ...process.env }
beforeAll(() => {
  for (const file of Object.values(files)) writeFileSync(file, '')
})
beforeEach(() => {
  printed.length = 0
  Object.assign(process.env, files)
  delete process.env.GITHUB_STEP_SUMMARY
})
afterAll(() => {
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY']) {
    if (saved[name] === undefined) Reflect.deleteProperty(process.env, name)
    else process.env[name] = saved[name]
  }
  rmSync(dir, { recursive: true, force: true })
})

/** Every printed message is one line that the runner reads as no command. */
function expectNoCommand(): void {
  expect(printed.length).toBeGreaterThan(0)
  for (const [kind, message] of printed) {
    const shown = `${kind}: ${message}`
    expect({ shown, lineBreak: /[\n\r\u2028\u2029\u0085]/.test(message) }).toEqual({
      shown,
      lineBreak: false
    })
    expect(message).not.toMatch(/^\s*::/)
    expect(message).not.toContain('##[')
  }
}
const reached = (): boolean => printed.some(([, message]) => REACHED.test(message))

const base = {
  endpoint: 'http://127.0.0.1:9',
  'app-id': 'app',
  'app-secret': 's3cret-value',
  retries: '0'
}

describe('inputs: every refusal that names a value', () => {
  const echoed = [
    'endpoint',
    'tenant-id',
    'resource',
    'organization-id',
    'auth-method',
    'fail-on-missing-scopes',
    'export-env',
    'summary',
    'env-name',
    'retries',
    'timeout',
    'secret-expiry-warning-days',
    'scope',
    'app-id'
  ]
  it.each(echoed.flatMap((input) => HOSTILE.map((value) => [input, value] as const)))(
    'input %s %j',
    async (input, value) => {
      inputs = { ...base, [input]: value }
      if (input === 'endpoint' || input === 'tenant-id') delete inputs.endpoint
      if (input === 'tenant-id') inputs.endpoint = ''
      await run()
      expectNoCommand()
    }
  )
})

describe('runner files named by the environment', () => {
  it.each(HOSTILE)('GITHUB_OUTPUT and GITHUB_STEP_SUMMARY %j', async (value) => {
    inputs = { ...base }
    process.env.GITHUB_STEP_SUMMARY = join(dir, `gone-${value}`, 'summary')
    await run()
    expectNoCommand()
    expect(reached()).toBe(true)
    printed.length = 0
    process.env.GITHUB_OUTPUT = join(dir, `gone-${value}`, 'output')
    await run()
    expectNoCommand()
    expect(reached()).toBe(true)
  })
})

describe('server values', () => {
  async function expectNoCommandAgainst(
    script: Behaviour[],
    extra: Record<string, string> = {},
    echoes = true
  ) {
    const server = await startFaultyServer(script)
    try {
      inputs = { ...base, endpoint: server.endpoint, retries: '0', timeout: '2', ...extra }
      await run()
    } finally {
      await server.close()
    }
    expectNoCommand()
    expect(reached()).toBe(echoes)
  }
  const managementAud = 'https://default.logto.app/api'
  const managementToken = `e30.${Buffer.from(JSON.stringify({ aud: managementAud })).toString('base64url')}.sig`
  const grantAll = (scope = 'all') =>
    ({
      status: 200,
      body: tokenBody({ access_token: managementToken, scope })
    }) as Behaviour

  it.each(HOSTILE)('an error answer whose every field is %j', async (value) => {
    await expectNoCommandAgainst(
      [
        {
          status: 400,
          body: JSON.stringify({ error: value, error_description: value, code: value })
        }
      ],
      { 'app-id': '##[warning]x' }
    )
  })

  it.each([
    [400, 'invalid_client'],
    [401, 'invalid_client'],
    [400, 'unauthorized_client'],
    [400, 'invalid_target'],
    [403, 'access_denied'],
    [400, 'invalid_scope']
  ])('hint for HTTP %d %s names app-id, resource, organization', async (status, error) => {
    for (const appId of ['##[warning]x', '::warning::x']) {
      await expectNoCommandAgainst(
        [{ status, body: JSON.stringify({ error }) }],
        {
          'app-id': appId,
          ...(status === 403 ? { 'organization-id': 'org-1', resource: '' } : {})
        },
        error !== 'invalid_target' && error !== 'invalid_scope'
      )
    }
  })

  it.each(HOSTILE)('a redirect to %j', async (value) => {
    await expectNoCommandAgainst([
      { status: 302, headers: { Location: `/x${value.replace(/[\n\r\u2028]/g, ' ')}` } }
    ])
  })

  it('a reason phrase and an Upgrade header with commands', async () => {
    await expectNoCommandAgainst(
      [{ raw: 'HTTP/1.1 500 ##[warning]x\r\nContent-Length: 0\r\n\r\n' }],
      {},
      false
    )
    await expectNoCommandAgainst([
      { raw: 'HTTP/1.1 101 ##[warning]x\r\nUpgrade: ##[error]x\r\nConnection: Upgrade\r\n\r\n' }
    ])
  })

  it.each(HOSTILE)('token_type, scope and expires_in of %j', async (value) => {
    await expectNoCommandAgainst(
      [
        {
          status: 200,
          body: tokenBody({ token_type: value, scope: `read ${value}`, expires_in: value })
        }
      ],
      { resource: 'https://api.example.com', scope: 'read' }
    )
  })

  it.each(['##[warning]x', '::warning::x'])(
    'a scope %j that Logto did not grant',
    async (scope) => {
      await expectNoCommandAgainst([{ status: 200, body: tokenBody() }], {
        resource: 'https://api.example.com',
        scope: `read ${scope}`
      })
      printed.length = 0
      await expectNoCommandAgainst([{ status: 200, body: tokenBody() }], {
        resource: 'https://api.example.com',
        scope: `read ${scope}`,
        'fail-on-missing-scopes': 'false'
      })
    }
  )

  it('a retry after a hostile 503', async () => {
    await expectNoCommandAgainst(
      [
        { status: 503, body: JSON.stringify({ error: '##[warning]x' }) },
        { status: 200, body: tokenBody() }
      ],
      { retries: '1', resource: 'https://api.example.com', scope: 'read' },
      false
    )
  })

  // The legacy-secret line of the expiry check printed app-id as given.
  it.each(['##[warning]x', '::warning::x', 'a##[error]x'])(
    'the expiry check with app-id %j: legacy secret, a listed secret, an error answer',
    async (appId) => {
      const name = 'a\n##[warning]x'
      const lists: Behaviour[] = [
        { status: 200, body: '[]' },
        {
          status: 200,
          body: JSON.stringify([
            { name, value: base['app-secret'], expiresAt: Date.now() + 86_400_000 }
          ])
        },
        {
          status: 200,
          body: JSON.stringify([
            { name, value: base['app-secret'], expiresAt: Date.now() + 300 * 86_400_000 }
          ])
        },
        {
          status: 200,
          body: JSON.stringify([{ name, value: base['app-secret'], expiresAt: null }])
        },
        { status: 403, body: JSON.stringify({ code: '##[warning]x', message: '::error::x' }) },
        { status: 200, body: JSON.stringify([{ name: 'odd', value: 'v', expiresAt: 'x' }]) }
      ]
      for (const list of lists) {
        printed.length = 0
        await expectNoCommandAgainst([grantAll(), list], { 'app-id': appId })
      }
    }
  )

  it('the expiry check skipped for a hostile audience and scope', async () => {
    const aud = 'https://api.example.com ##[warning]x'
    const token = `e30.${Buffer.from(JSON.stringify({ aud })).toString('base64url')}.sig`
    await expectNoCommandAgainst(
      [{ status: 200, body: tokenBody({ access_token: token, scope: 'read ::warning::x' }) }],
      { resource: 'https://api.example.com', scope: 'read' }
    )
  })
})

describe('one sink', () => {
  it('only main.ts prints, and only through its log object, which neutralises every line', () => {
    const src = new URL('../src/', import.meta.url)
    const printing = /\bcore\.(info|warning|debug|error|notice|setFailed|startGroup)\(/g
    const calls: Record<string, string[]> = Object.fromEntries(
      readdirSync(src)
        .filter((file) => file.endsWith('.ts'))
        .map((file): [string, string[]] => [
          file,
          readFileSync(new URL(file, src), 'utf8').match(printing) ?? []
        ])
        .filter(([, found]) => found.length > 0)
    )
    expect(calls).toEqual({
      'main.ts': ['core.info(', 'core.warning(', 'core.debug(', 'core.setFailed(']
    })
    const main = readFileSync(new URL('main.ts', src), 'utf8')
    for (const call of calls['main.ts']) expect(main).toContain(`${call}asLine(message))`)
  })
})
