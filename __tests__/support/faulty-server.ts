/** A scripted HTTP server on loopback that misbehaves on purpose: one behaviour per request. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

/** What the server does with one request. */
export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { reset: true }
  | { stallAfterHeaders: true }
  | { hugeBytes: number; declareLength?: boolean }

/** A request as the server saw it. */
export interface Hit {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
  /** When the request arrived, in ms since the epoch. */
  at: number
}

/** A running faulty server. */
export interface FaultyServer {
  endpoint: string
  port: number
  hits: Hit[]
  close(): Promise<void>
}

/** Answers with a token response body shaped like Logto's. */
export function tokenBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    access_token: 'header.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlLmNvbSJ9.signature',
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'read',
    ...extra
  })
}

/** Starts the server; requests beyond the script get a 500. */
export async function startFaultyServer(script: Behaviour[]): Promise<FaultyServer> {
  const hits: Hit[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      hits.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now()
      })
      const behaviour = script.shift() ?? { status: 500, body: 'script exhausted' }
      if ('reset' in behaviour) {
        req.socket.destroy()
      } else if ('stallAfterHeaders' in behaviour) {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.write('{"access_token":')
      } else if ('hugeBytes' in behaviour) {
        const headers: Record<string, string | number> = { 'Content-Type': 'application/json' }
        if (behaviour.declareLength) headers['Content-Length'] = behaviour.hugeBytes
        res.writeHead(200, headers)
        const chunk = Buffer.alloc(64 * 1024, 0x20)
        let left = behaviour.hugeBytes
        const pump = (): void => {
          while (left > 0) {
            const n = Math.min(left, chunk.length)
            left -= n
            if (!res.write(chunk.subarray(0, n))) {
              res.once('drain', pump)
              return
            }
          }
          res.end()
        }
        pump()
      } else {
        const send = (): void => {
          res.writeHead(behaviour.status, {
            'Content-Type': 'application/json',
            ...behaviour.headers
          })
          res.end(behaviour.body ?? '')
        }
        if (behaviour.delayMs) setTimeout(send, behaviour.delayMs)
        else send()
      }
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

/** A CONNECT proxy on loopback that sends every tunnel to 127.0.0.1, recording the targets. */
export async function startConnectProxy(): Promise<{
  url: string
  targets: string[]
  close(): Promise<void>
}> {
  const targets: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((_req, res) => {
    res.writeHead(405)
    res.end()
  })
  server.on('connect', (req, client: Socket) => {
    targets.push(req.url ?? '')
    sockets.add(client)
    const port = Number((req.url ?? '').split(':').pop())
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
