/**
 * The per-attempt deadline aborts the request in every phase: nothing is left open that would keep
 * the process alive after the step has failed.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { parseSettings } from '../src/settings.js'
import { requestToken } from '../src/token.js'
import { quietDeps as deps } from './support/deps.js'
import { rejection } from './support/outcome.js'
import {
  STALLED_BODY,
  startFullBacklog,
  startSilentServer,
  type HangingPeer
} from './support/hostile.js'
import { silentResolver } from './support/names.js'

let peer: HangingPeer | undefined
afterEach(async () => {
  await peer?.close()
  peer = undefined
})

async function attempt(endpoint: string, retries = '0'): Promise<{ error: Error; ms: number }> {
  const settings = parseSettings(
    (name) =>
      ({ endpoint, 'app-id': 'app', 'app-secret': 'secret', timeout: '0.5', retries })[name] ?? ''
  )
  const started = Date.now()
  const error = await rejection(requestToken(settings, deps))
  return { error, ms: Date.now() - started }
}

// Client sockets still open in this process: a socket that was only ended, not destroyed, waits
// for the server to close its side, and a hung server never does.
const clientSockets = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length - (peer?.held() ?? 0)

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('the deadline aborts the request', () => {
  it('while waiting for headers: no socket is left open after the deadline', async () => {
    peer = await startSilentServer()
    await settle(100)
    const before = clientSockets()
    const { error, ms } = await attempt(peer.endpoint)
    expect(error.message).toContain('no complete answer within 0.5 s (input timeout)')
    expect(ms).toBeLessThan(1500)
    await settle(200)
    expect(clientSockets()).toBe(before)
  })

  it('while reading a body that stalls: no socket is left open after the deadline', async () => {
    peer = await startSilentServer(STALLED_BODY)
    await settle(100)
    const before = clientSockets()
    const { error } = await attempt(peer.endpoint)
    expect(error.message).toContain('no complete answer within 0.5 s')
    await settle(200)
    expect(clientSockets()).toBe(before)
  })

  it('every attempt is closed, not only the last', async () => {
    peer = await startSilentServer()
    await settle(100)
    const before = clientSockets()
    const { error } = await attempt(peer.endpoint, '2')
    expect(error.message).toContain('after 3 attempts')
    await settle(200)
    expect(clientSockets()).toBe(before)
  })
})

// Only Linux drops connection attempts to a full backlog; others refuse or accept them.
const onLinux = process.platform === 'linux' ? describe : describe.skip
onLinux('the deadline aborts a connection attempt', () => {
  it('to a listener that never completes the handshake', async () => {
    peer = await startFullBacklog()
    await settle(100)
    const before = clientSockets()
    const { error, ms } = await attempt(peer.endpoint)
    expect(error.message).toContain('no complete answer within 0.5 s')
    expect(ms).toBeLessThan(1500)
    await settle(200)
    expect(clientSockets()).toBe(before)
  })
})

describe('the deadline covers the name lookup', () => {
  it('a resolver that never answers ends the attempt at the deadline, named', async () => {
    const asked: string[] = []
    const settings = parseSettings(
      (name) =>
        ({
          endpoint: 'http://logto.test:3001',
          'app-id': 'app',
          'app-secret': 'secret',
          timeout: '0.5',
          retries: '1'
        })[name] ?? ''
    )
    const started = Date.now()
    const error = await rejection(
      requestToken(settings, { ...deps, lookup: silentResolver(asked) })
    )
    expect(Date.now() - started).toBeLessThan(2500)
    expect(asked).toEqual(['logto.test', 'logto.test'])
    expect(error.message).toBe(
      'Could not get an answer from http://logto.test:3001/oidc/token after 2 attempts: the name ' +
        'lookup of logto.test did not finish within 0.5 s (input timeout). Check the host name in ' +
        "endpoint and the runner's DNS settings, or raise timeout."
    )
  })
})
