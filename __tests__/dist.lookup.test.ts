/**
 * The committed dist/index.js resolves names the system's way (getaddrinfo: hosts file, then the
 * resolv.conf nameservers), and a resolver that never answers cannot keep the step alive past
 * its deadline. Linux as root only: the action runs in its own mount namespace (`unshare`) with
 * resolv.conf, hosts and nsswitch.conf bind-mounted over; the only nameserver listed is a
 * loopback UDP socket of this test, so no query ever leaves the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createSocket, type Socket } from 'node:dgram'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../scripts/lib/runner.js'
import { startFaultyServer, tokenBody } from './support/faulty-server.js'

const UNSHARE = '/usr/bin/unshare'
const usable =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf'].every((file) => existsSync(file)) &&
  spawnSync(UNSHARE, ['--mount', 'true']).status === 0
const onLinuxAsRoot = usable ? describe : describe.skip

const errors = (result: { annotations: { level: string; message: string }[] }): string[] =>
  result.annotations.filter((a) => a.level === 'error').map((a) => a.message)

/** The names asked of a DNS server, read from the question of each query. */
function questionName(packet: Buffer): string {
  const labels: string[] = []
  for (let at = 12; at < packet.length && packet[at] !== 0; at += packet[at] + 1) {
    labels.push(packet.subarray(at + 1, at + 1 + packet[at]).toString('latin1'))
  }
  return labels.join('.')
}

onLinuxAsRoot('name resolution in the bundle', () => {
  let dir: string
  let resolver: Socket
  const asked: string[] = []
  let nameserver = ''

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lookup-'))
    resolver = createSocket('udp4')
    // A loopback address of its own, port 53 (resolv.conf takes no port): hears, never answers.
    nameserver = `127.83.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`
    resolver.on('message', (packet, from) => {
      const name = questionName(packet)
      asked.push(name)
      // missing.logto.test does not exist (NXDOMAIN); every other name gets no answer at all.
      if (name !== 'missing.logto.test') return
      const reply = Buffer.from(packet)
      reply.writeUInt16BE(0x8183, 2) // a response, recursion available, NXDOMAIN
      reply.writeUInt32BE(0, 6) // no answer, authority or additional records
      reply.writeUInt16BE(0, 10)
      resolver.send(reply, from.port, from.address)
    })
    await new Promise<void>((resolve, reject) => {
      resolver.once('error', reject)
      resolver.bind(53, nameserver, resolve)
    })
    // glibc waits up to 30 s per try: an action that waited for the lookup would be killed.
    writeFileSync(
      join(dir, 'resolv.conf'),
      `nameserver ${nameserver}\noptions timeout:30 attempts:2\n`
    )
    writeFileSync(join(dir, 'nsswitch.conf'), 'hosts: files dns\n')
  })
  afterAll(() => {
    resolver.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Runs the bundle with this test's resolv.conf and nsswitch.conf, and `hosts` as /etc/hosts. */
  const step = (
    endpoint: string,
    hosts: string,
    inputs: Record<string, string>,
    onSpawn?: (child: ChildProcess) => void
  ) => {
    writeFileSync(join(dir, 'hosts'), hosts)
    const mounts =
      'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts && ' +
      'mount --bind "$3" /etc/nsswitch.conf && shift 3 && exec "$@"'
    return runAction({
      node: UNSHARE,
      nodeArgs: [
        '--mount',
        '--propagation',
        'private',
        // bash, not sh: dash drops INPUT_APP-ID and other names with a hyphen from the environment.
        'bash',
        '-c',
        mounts,
        'bash',
        join(dir, 'resolv.conf'),
        join(dir, 'hosts'),
        join(dir, 'nsswitch.conf'),
        process.execPath
      ],
      inputs: { endpoint, 'app-id': 'm2m-app', 'app-secret': 'm2m-app-secret-value', ...inputs },
      timeoutMs: 20_000,
      onSpawn
    })
  }

  it('a name the nameserver says does not exist fails at once (ENOTFOUND), not retried', async () => {
    asked.length = 0
    const result = await step('http://missing.logto.test:3001', '127.0.0.1 localhost\n', {
      retries: '3'
    })
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual([
      'Could not get an answer from http://missing.logto.test:3001/oidc/token after 1 attempt: ' +
        'ENOTFOUND: getaddrinfo ENOTFOUND missing.logto.test. Check endpoint, and the runner ' +
        'network and proxy settings (HTTPS_PROXY, NO_PROXY).'
    ])
    expect(asked).toContain('missing.logto.test')
  })

  it('reads the hosts file, as the system does', async () => {
    const server = await startFaultyServer([{ status: 200, body: tokenBody() }])
    try {
      const result = await step(
        `http://logto.test:${server.port}`,
        '127.0.0.1 localhost logto.test\n',
        { resource: 'https://api.example.com', scope: 'read' }
      )
      expect(result.code).toBe(0)
      expect(result.outputs['access-token']).toContain('header.')
      expect(server.hits).toHaveLength(1)
    } finally {
      await server.close()
    }
  })

  it('nothing listening at localhost, which has two addresses: both are named', async () => {
    const server = await startFaultyServer([])
    const port = server.port
    await server.close()
    const result = await step(`http://localhost:${port}`, '127.0.0.1 localhost\n::1 localhost\n', {
      retries: '0'
    })
    expect(result.code).toBe(1)
    // In the order tried, which the system's address sorting decides.
    const tried = [`127.0.0.1:${port}`, `[::1]:${port}`]
    expect([[...tried], [...tried].reverse()].map((order) => order.join(', '))).toContainEqual(
      /connect ECONNREFUSED (.*)\. Check/.exec(errors(result)[0] ?? '')?.[1]
    )
    expect(errors(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Could not get an answer from http://localhost:${port}/oidc/token after 1 attempt: ` +
            'ECONNREFUSED: connect ECONNREFUSED \\S+, \\S+\\. Check endpoint, and the runner ' +
            'network and proxy settings \\(HTTPS_PROXY, NO_PROXY\\)\\.$'
        )
      )
    ])
  })

  it('a nameserver that never answers: the step ends at the deadline, with nothing left running', async () => {
    asked.length = 0
    const result = await step('http://unknown.logto.test:3001', '127.0.0.1 localhost\n', {
      timeout: '1',
      retries: '1'
    })
    expect(result.timedOut).toBe(false)
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual([
      'Could not get an answer from http://unknown.logto.test:3001/oidc/token after 2 attempts: ' +
        'the name lookup of unknown.logto.test did not finish within 1 s (input timeout). Check ' +
        "the host name in endpoint and the runner's DNS settings, or raise timeout."
    ])
    // The lookup went to this test's nameserver, and the step did not wait for it: two attempts,
    // one backoff wait of at most 1 s, and Node's start-up.
    expect(asked).toContain('unknown.logto.test')
    expect(result.durationMs).toBeLessThan(2 * 1000 + 1000 + 3000)
  })

  it('cancelled (SIGINT) while the lookup waits: the step stops, and its getent with it', async () => {
    const name = `cancel-${process.pid}-${Date.now()}.logto.test`
    let action: ChildProcess | undefined
    const finished = step(
      `https://${name}`,
      '127.0.0.1 localhost\n',
      { timeout: '60', retries: '0' },
      (child) => (action = child)
    )
    // The getent the action started for the name, found by its command line.
    const lookups = (): number[] =>
      readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
            return args.includes(name) && args.some((arg) => arg.endsWith('getent'))
          } catch {
            return false
          }
        })
        .map(Number)
    let pids: number[] = []
    for (let i = 0; i < 200 && (pids.length === 0 || !asked.includes(name)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      pids = lookups()
    }
    expect(pids).toHaveLength(1)
    expect(asked).toContain(name)
    action?.kill('SIGINT')
    const result = await finished
    expect(result.timedOut).toBe(false)
    expect(result.code).toBe(130)
    expect(result.log).toContain('The runner cancelled the step (SIGINT)')
    // Killed by the action, then reaped (by whatever adopted it once the action was gone).
    const alive = (pid: number): boolean => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
      } catch {
        return false
      }
    }
    for (let i = 0; i < 40 && alive(pids[0]); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(alive(pids[0])).toBe(false)
  })
})
