/**
 * The committed dist/index.js where the runner's side is missing or broken: no file commands (a
 * plain shell, another CI system, an old runner), files it cannot write, and a cancelled step.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { join } from 'node:path'
import {
  collectStep,
  prepareStep,
  runAction,
  runProcess,
  type StepOptions
} from '../scripts/lib/runner.js'
import { startIssuerProcess, type IssuerProcess } from './support/issuer.js'

const secret = 'm2m-secret+%:/=&x y'
let issuer: IssuerProcess
beforeAll(async () => {
  issuer = await startIssuerProcess()
})
afterAll(async () => {
  await issuer.close()
})
beforeEach(async () => {
  await fetch(`${issuer.endpoint}/__requests/reset`, { method: 'POST' })
})

const tokenRequests = async (): Promise<number> =>
  (await issuer.requests()).filter((r) => (r as { path: string }).path === '/oidc/token').length

function step(inputs: Record<string, string>, options: StepOptions = {}) {
  return runAction({
    inputs: { endpoint: issuer.endpoint, 'app-id': 'm2m-app', 'app-secret': secret, ...inputs },
    debug: true,
    ...options
  })
}

type Step = Awaited<ReturnType<typeof runAction>>

/** Failed at once: one error naming the variable, no request, nothing printed that a runner would act on. */
async function expectRefused(result: Step, message: RegExp): Promise<void> {
  expect(result.code).toBe(1)
  const errors = result.annotations.filter((a) => a.level === 'error')
  expect(errors).toHaveLength(1)
  expect(errors[0].message).toMatch(message)
  expect(errors[0].message).toContain('GitHub Actions-compatible runner')
  expect(await tokenRequests()).toBe(0)
  const raw = `${result.stdout}\n${result.stderr}`
  expect(raw).not.toContain(secret)
  expect(raw).not.toMatch(/^\s*::(add-mask|set-output|set-env)/m)
  expect(result.outputs).toEqual({})
  expect(result.env).toEqual({})
}

describe('dist/index.js without usable runner files', () => {
  it('GITHUB_OUTPUT unset (a plain shell): fails before masking or any request', async () => {
    const result = await step({}, { env: { GITHUB_OUTPUT: undefined } })
    await expectRefused(result, /^GITHUB_OUTPUT is not set\./)
  })

  it('nothing of a runner at all: names both files, prints neither secret nor set-output', async () => {
    const result = await step(
      {},
      {
        env: { GITHUB_OUTPUT: undefined, GITHUB_ENV: undefined, GITHUB_STEP_SUMMARY: undefined }
      }
    )
    await expectRefused(result, /^GITHUB_OUTPUT is not set; GITHUB_ENV is not set\./)
  })

  it('GITHUB_OUTPUT in a directory that does not exist: fails naming the path', async () => {
    const result = await step({}, { env: { GITHUB_OUTPUT: '/nonexistent-runner-dir/set_output' } })
    await expectRefused(
      result,
      /^GITHUB_OUTPUT names "\/nonexistent-runner-dir\/set_output", which does not exist\./
    )
  })

  it('GITHUB_ENV unset with export-env true: fails naming GITHUB_ENV', async () => {
    const result = await step({ 'export-env': 'true' }, { env: { GITHUB_ENV: undefined } })
    await expectRefused(result, /^GITHUB_ENV is not set\./)
  })

  it('GITHUB_ENV unset with export-env false: not needed, the token goes to the outputs', async () => {
    const result = await step({ 'export-env': 'false' }, { env: { GITHUB_ENV: undefined } })
    expect(result.code).toBe(0)
    expect(result.outputs['access-token']).toMatch(/^eyJ/)
    expect(result.env).toEqual({})
    expect(result.stdout).not.toContain('::set-env')
  })

  it('GITHUB_STEP_SUMMARY it cannot write: warns before the request, skips the summary, succeeds', async () => {
    const prepared = await prepareStep()
    const directory = join(prepared.dir, 'summary-is-a-directory')
    await mkdir(directory)
    try {
      const result = await step({}, { env: { GITHUB_STEP_SUMMARY: directory } })
      expect(result.code).toBe(0)
      const warnings = result.annotations.filter((a) => a.level === 'warning')
      expect(warnings.map((w) => w.message)).toEqual([
        `GITHUB_STEP_SUMMARY names ${JSON.stringify(directory)}, which is a directory; the job ` +
          'summary is skipped.'
      ])
      const log = result.log.split('\n')
      const warnedAt = log.findIndex((l) => l.startsWith('Warning: GITHUB_STEP_SUMMARY'))
      const requestAt = log.findIndex((l) => l.startsWith('##[debug]POST'))
      expect(warnedAt).toBeGreaterThanOrEqual(0)
      expect(warnedAt).toBeLessThan(requestAt)
      expect(result.outputs['access-token']).toMatch(/^eyJ/)
      expect(result.log).not.toContain('Could not write the job summary')
    } finally {
      await prepared.cleanup()
    }
  })
})

// /dev/full passes the start-up check (a writable character device) and fails every write with
// ENOSPC, as a full disk does: Linux only.
const fullDisk = process.platform === 'linux' && existsSync('/dev/full') ? describe : describe.skip

fullDisk('dist/index.js when a runner file refuses the write (/dev/full)', () => {
  it.each([
    ['GITHUB_ENV', 'GITHUB_OUTPUT', 'variable LOGTO_ACCESS_TOKEN', 'output'],
    ['GITHUB_OUTPUT', 'GITHUB_ENV', 'output access-token', 'env']
  ] as const)(
    '%s on a full disk: fails naming it and its path; %s ends as it was',
    async (full, other, what, otherFile) => {
      const prepared = await prepareStep({
        inputs: { endpoint: issuer.endpoint, 'app-id': 'm2m-app', 'app-secret': secret },
        env: { [full]: '/dev/full' },
        debug: true
      })
      try {
        const earlier = `EARLIER_${other}=kept\n`
        await writeFile(prepared.files[otherFile], earlier)
        const result = await runProcess(prepared.command, prepared.args, {
          env: prepared.env,
          cwd: prepared.cwd
        })
        const step = await collectStep(prepared, result)
        expect(step.code).toBe(1)
        expect(await tokenRequests()).toBe(1)
        expect(step.annotations).toEqual([
          expect.objectContaining({
            level: 'error',
            message:
              `Could not set ${what}: writing to ${full} ("/dev/full") failed: ENOSPC: no space ` +
              'left on device, write. Nothing was set: every runner file is as it was before.'
          })
        ])
        expect(await readFile(prepared.files[otherFile], 'utf8')).toBe(earlier)
        expect(step.log).not.toContain('Got a ')
        // The token appears only in the line that masks it.
        const lines = `${result.stdout}\n${result.stderr}`.split(/\r?\n/)
        const unmasked = lines.filter((line) => !line.startsWith('::add-mask::'))
        expect(unmasked.filter((line) => /eyJ[\w-]+\.eyJ/.test(line))).toEqual([])
      } finally {
        await prepared.cleanup()
      }
    }
  )
})

/** A loopback server that accepts connections and reads requests but never answers. */
async function startStallServer() {
  const sockets = new Set<Socket>()
  let onRequest: () => void = () => undefined
  const requested = new Promise<void>((resolve) => (onRequest = resolve))
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('data', () => onRequest())
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

// On Windows a child cannot be sent SIGINT: Node's kill() ends it forcibly whatever the signal,
// and the runner's CTRL_C event needs a shared console, which a test process does not have.
const posix = process.platform === 'win32' ? describe.skip : describe

posix('dist/index.js cancelled by the runner while the request hangs', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)(
    '%s: exits at once (%i), no partial outputs, nothing secret',
    async (signal, code) => {
      const server = await startStallServer()
      const prepared = await prepareStep({
        inputs: {
          endpoint: server.endpoint,
          'app-id': 'm2m-app',
          'app-secret': secret,
          resource: 'https://api.example.com',
          timeout: '30'
        },
        debug: true
      })
      try {
        let child: ChildProcess | undefined
        let signalledAt = 0
        const finished = runProcess(prepared.command, prepared.args, {
          env: prepared.env,
          cwd: prepared.cwd,
          timeoutMs: 20_000,
          onSpawn: (spawned) => (child = spawned)
        })
        await server.requested
        signalledAt = Date.now()
        child?.kill(signal)
        const result = await finished
        const stoppedAfterMs = Date.now() - signalledAt

        expect(result.timedOut).toBe(false)
        expect(result.code).toBe(code)
        expect(stoppedAfterMs).toBeLessThan(2000)
        expect(await readFile(prepared.files.output, 'utf8')).toBe('')
        expect(await readFile(prepared.files.env, 'utf8')).toBe('')
        const step = await collectStep(prepared, result)
        expect(step.log).toContain(
          `The runner cancelled the step (${signal}); stopped before any output or variable was set.`
        )
        expect(step.outputs).toEqual({})
        expect(step.env).toEqual({})
        // The secret appears only escaped, in the line that masks it.
        const raw = `${result.stdout}\n${result.stderr}`
        expect(raw).not.toContain(secret)
        expect(raw.split(/\r?\n/)).toContain(`::add-mask::${secret.replace(/%/g, '%25')}`)
        expect(step.log).not.toContain(secret)
      } finally {
        await prepared.cleanup()
        await server.close()
      }
    }
  )
})
