/**
 * The committed dist/index.js with proxy variables as workflows set them: a value without a
 * scheme reaches the proxy (read as http://, as curl reads it), a broken one fails the step naming
 * the variable and never its credentials, a DNS name that starts with `127.` goes through the
 * proxy, and NO_PROXY entries that match nothing are warned of. Loopback proxies only.
 *
 * No case should look a name up, but a regression would send the endpoint's name to the machine's
 * resolver: where it can (Linux as root), the action runs in its own mount namespace with an
 * nsswitch.conf that reads the hosts file alone, so such a lookup fails (ENOTFOUND) on the machine.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, secretVariants } from '../scripts/lib/runner.js'
import { startConnectProxy, startFaultyServer, tokenBody } from './support/faulty-server.js'
import { startRefusingProxy } from './support/hostile.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const unset = {
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined
}
const UNSHARE = '/usr/bin/unshare'
const isolated =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  ['/etc/hosts', '/etc/nsswitch.conf'].every((file) => existsSync(file)) &&
  spawnSync(UNSHARE, ['--mount', 'true']).status === 0
let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'proxy-'))
  writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost\n::1 localhost\n')
  writeFileSync(join(dir, 'nsswitch.conf'), 'hosts: files\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** How the action's Node is started: in a namespace whose name lookups stay in the hosts file. */
const node = () =>
  isolated
    ? {
        node: UNSHARE,
        nodeArgs: [
          '--mount',
          '--propagation',
          'private',
          'bash',
          '-c',
          'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf && shift 2 && ' +
            'exec "$@"',
          'bash',
          join(dir, 'hosts'),
          join(dir, 'nsswitch.conf'),
          process.execPath
        ]
      }
    : {}

const step = (endpoint: string, env: Record<string, string>, inputs: Record<string, string> = {}) =>
  runAction({
    ...node(),
    inputs: {
      endpoint,
      'app-id': 'm2m-app',
      'app-secret': 'm2m-secret',
      resource: 'https://api.example.com',
      scope: 'read',
      retries: '0',
      ...inputs
    },
    env: { ...unset, ...env },
    timeoutMs: 20_000
  })
const annotations = (result: Awaited<ReturnType<typeof step>>, level: string): string[] =>
  result.annotations.filter((a) => a.level === level).map((a) => a.message)

describe('dist/index.js with proxy variables', () => {
  it('reads HTTP_PROXY without a scheme as http://, credentials and all', async () => {
    const server = await startFaultyServer([{ status: 200, body: tokenBody() }])
    cleanups.push(() => server.close())
    const proxy = await startConnectProxy()
    cleanups.push(() => proxy.close())
    const schemeless = proxy.url.replace('http://', 'proxy-user:proxy-pass@')
    const result = await step(`http://logto.test:${server.port}`, { HTTP_PROXY: schemeless })
    expect(annotations(result, 'error')).toEqual([])
    expect(result.code).toBe(0)
    expect(proxy.forwarded).toEqual([`POST http://logto.test:${server.port}/oidc/token HTTP/1.1`])
    expect(proxy.authorizations).toEqual([
      `Basic ${Buffer.from('proxy-user:proxy-pass').toString('base64')}`
    ])
    expect(server.hits).toHaveLength(1)
  })

  it.each([
    ['a % that is not an escape', 'http://proxy-user:proxy-p%zzss@127.0.0.1:9', /a % that/],
    ['no scheme, a bad escape', 'proxy-user:proxy-p%zzss@127.0.0.1:9', /a % that/],
    ['a port with letters', 'http://proxy-user:proxy-pass@127.0.0.1:31a8', /does not parse/],
    ['an unsupported scheme', 'socks5://proxy-user:proxy-pass@127.0.0.1:9', /scheme socks5/],
    ['one slash after the scheme', 'http:/proxy-user:proxy-pass@127.0.0.1:9', /not followed by/],
    ['a password with ::', 'http://proxy-user:proxy-pa::ss@127.0.0.1:9', /holds "::", "%0A"/],
    ['a password starting with :', 'proxy-user::proxy-pass@127.0.0.1:9', /holds "::", "%0A"/]
  ])('refuses %s, naming HTTPS_PROXY, never its credentials', async (_name, value, why) => {
    const server = await startFaultyServer([{ status: 200, body: tokenBody() }])
    cleanups.push(() => server.close())
    const result = await step(`https://logto.test:${server.port}`, { HTTPS_PROXY: value })
    expect(result.code).toBe(1)
    const [error, ...others] = annotations(result, 'error')
    expect(others).toEqual([])
    expect(error).toMatch(/^HTTPS_PROXY is not a proxy URL the action can use: /)
    expect(error).toMatch(why)
    expect(error).toContain('(a value without a scheme is read as http://)')
    const printed = `${result.stdout}\n${result.stderr}`
    for (const part of ['proxy-user', 'proxy-p', 'zzss', '127.0.0.1:9', ...secretVariants(value)]) {
      expect(printed).not.toContain(part)
    }
    expect(server.hits).toEqual([])
  })

  it('as act runs it: a proxy password act cannot mask fails the step, and is not shown', async () => {
    const result = await runAction({
      ...node(),
      runner: 'act',
      inputs: {
        endpoint: 'https://logto.test:9',
        'app-id': 'm2m-app',
        'app-secret': 'm2m-secret',
        retries: '0'
      },
      env: { ...unset, HTTPS_PROXY: 'http://proxy-user:pa::ss-word@127.0.0.1:9' },
      timeoutMs: 20_000
    })
    expect(result.code).toBe(1)
    expect(result.log).toContain('HTTPS_PROXY is not a proxy URL the action can use: its password')
    expect(result.log).not.toContain('pa::ss')
    expect(result.log).not.toContain('ss-word')
  })

  it("masks the proxy password's forms before any request and cuts them out of an echo", async () => {
    const echo = createServer((req, res) => {
      const value = req.headers['proxy-authorization'] ?? ''
      const decoded = Buffer.from(value.split(' ')[1] ?? '', 'base64').toString()
      res.writeHead(400, { 'Content-Type': 'application/json' })
      res.end(
        JSON.stringify({
          error: 'proxy_error',
          error_description: `refused ${value} (${decoded}) as written: pr0xy%40Pass`
        })
      )
    })
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => echo.close(() => resolve())))
    const port = (echo.address() as AddressInfo).port
    const result = await step('http://logto.test:9', {
      HTTP_PROXY: `http://proxy-user:pr0xy%40Pass@127.0.0.1:${port}`
    })
    expect(result.code).toBe(1)
    const basic = Buffer.from('proxy-user:pr0xy@Pass').toString('base64')
    const lines = `${result.stdout}\n${result.stderr}`.split(/\r?\n/)
    for (const form of ['pr0xy@Pass', 'pr0xy%40Pass', basic]) {
      const maskAt = lines.indexOf(`::add-mask::${form.replace(/%/g, '%25')}`)
      expect(maskAt).toBeGreaterThanOrEqual(0)
      expect(lines.slice(0, maskAt).filter((line) => line.includes(form))).toEqual([])
    }
    const [error] = annotations(result, 'error')
    expect(error).toContain('refused Basic *** (proxy-user:***) as written: ***')
    expect(error).not.toMatch(/pr0xy/)
  })

  it('sends https://127.evil.example, a DNS name, through HTTPS_PROXY', async () => {
    const proxy = await startRefusingProxy(403)
    cleanups.push(() => proxy.close())
    const result = await step('https://127.evil.example', { HTTPS_PROXY: proxy.url })
    expect(result.code).toBe(1)
    expect(proxy.targets).toEqual(['127.evil.example:443'])
    expect(annotations(result, 'error')).toEqual([
      expect.stringContaining('the proxy refused to open a tunnel to 127.evil.example (HTTP 403)')
    ])
  })

  it('warns once of each NO_PROXY entry that matches nothing', async () => {
    const server = await startFaultyServer([{ status: 200, body: tokenBody() }])
    cleanups.push(() => server.close())
    const result = await step(server.endpoint, {
      NO_PROXY: '10.0.0.0/8, fd00::1, .example.com, 10.0.0.0/8'
    })
    expect(result.code).toBe(0)
    expect(annotations(result, 'warning')).toEqual([
      expect.stringMatching(/^NO_PROXY entry "10\.0\.0\.0\/8" is a CIDR range or a URL, /),
      expect.stringMatching(/^NO_PROXY entry "fd00::1" is an IPv6 address without brackets, /)
    ])
  })
})
