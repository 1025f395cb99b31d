/** Loopback peers that misbehave below HTTP: silent servers, a full backlog, a refusing proxy. */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage } from 'node:http'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'

/** Headers of a token answer whose body never arrives in full. */
export const STALLED_BODY =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"access_token":'

/** A peer on loopback that the action can only give up on. */
export interface HangingPeer {
  endpoint: string
  /** Sockets of this process that the peer itself holds open (its side of each connection). */
  held(): number
  close(): Promise<void>
}

/**
 * A TCP server that accepts every connection and never finishes an answer: it writes `prelude`
 * (nothing by default; e.g. status line and headers to stall mid-body) and then stays silent.
 */
export async function startSilentServer(prelude = ''): Promise<HangingPeer> {
  const sockets = new Set<Socket>()
  // Half-open allowed: like a hung server, it never closes its side when the client ends its own.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket)
    if (prelude) socket.once('data', () => socket.write(prelude))
    socket.resume()
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    held: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

// A child whose event loop is blocked never accepts, so once its backlog of one is full the
// kernel drops further connection attempts (Linux): connect() neither succeeds nor fails.
const BLOCKED_LISTENER = `
const server = require('node:net').createServer()
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(server.address().port + '\\n')
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
})`

/** A listener on loopback that never completes a new connection (Linux only). */
export async function startFullBacklog(): Promise<HangingPeer> {
  const child = spawn(process.execPath, ['-e', BLOCKED_LISTENER], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'ignore']
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim())))
    child.once('exit', () => reject(new Error('the blocked listener exited')))
  })
  const fillers: Socket[] = []
  for (let i = 0; i < 16; i++) {
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => undefined)
    fillers.push(socket)
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true))
      setTimeout(() => resolve(false), 300)
    })
    if (!connected) break
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    held: () => fillers.length,
    close: async () => {
      for (const s of fillers) s.destroy()
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGKILL')
      await exited
    }
  }
}

/**
 * A proxy on loopback that answers every CONNECT and every forwarded request with `status`, or
 * never when `status` is undefined, recording the targets (CONNECT authorities, and the URLs of
 * forwarded requests) and the Proxy-Authorization headers it was sent.
 */
export async function startRefusingProxy(
  status: number | undefined,
  host = '127.0.0.1'
): Promise<{
  url: string
  targets: string[]
  authorizations: (string | undefined)[]
  close(): Promise<void>
}> {
  const targets: string[] = []
  const authorizations: (string | undefined)[] = []
  const clients = new Set<Socket>()
  const server = createHttpServer((req, res) => {
    targets.push(req.url ?? '')
    authorizations.push(req.headers['proxy-authorization'])
    req.resume()
    if (status === undefined) return
    res.writeHead(status, 'Refused', { 'Proxy-Authenticate': 'Basic realm="proxy"' })
    res.end()
  })
  server.on('connection', (socket: Socket) => clients.add(socket))
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    targets.push(req.url ?? '')
    authorizations.push(req.headers['proxy-authorization'])
    clients.add(client)
    client.on('error', () => undefined)
    if (status === undefined) return
    client.end(`HTTP/1.1 ${status} Refused\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    targets,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy()
        server.close(() => resolve())
      })
  }
}

/** The self-signed test certificate (for 127.0.0.1, localhost and logto.test) and its key. */
export function testCertificate(): { cert: string; key: string; certPath: string } {
  const certPath = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url))
  return {
    cert: readFileSync(certPath, 'utf8'),
    key: readFileSync(fileURLToPath(new URL('../fixtures/tls/key.pem', import.meta.url)), 'utf8'),
    certPath
  }
}
