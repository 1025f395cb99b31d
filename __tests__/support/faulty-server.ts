/** A scripted HTTP server on loopback that misbehaves on purpose: one behaviour per request. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'

/** What the server does with one request. */
export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { reset: true }
  | { stallAfterHeaders: true }
  | { hugeBytes: number; declareLength?: boolean }
  /** Bytes written as they are, e.g. a 101 or a 1xx; the connection is then closed or kept. */
  | { raw: string; close?: boolean }

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
      } else if ('raw' in behaviour) {
        req.socket.write(behaviour.raw)
        if (behaviour.close) req.socket.end()
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

/** A forward proxy on loopback, as the requests it was sent. */
export interface LoopbackProxy {
  url: string
  /** CONNECT authorities, e.g. `logto.test:443`. */
  targets: string[]
  /** Request lines of absolute-form requests, e.g. `POST http://logto.test:80/oidc/token HTTP/1.1`. */
  forwarded: string[]
  /** The Proxy-Authorization header of each request, CONNECT or forwarded. */
  authorizations: (string | undefined)[]
  close(): Promise<void>
}

/**
 * A proxy on loopback that sends every CONNECT tunnel and every absolute-form request to the
 * target's port on 127.0.0.1 (no name is ever looked up), relaying bytes as they are.
 */
export async function startConnectProxy(): Promise<LoopbackProxy> {
  const targets: string[] = []
  const forwarded: string[] = []
  const authorizations: (string | undefined)[] = []
  const sockets = new Set<Socket>()
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }
  const server = createNetServer((client) => {
    track(client)
    client.on('error', () => undefined)
    let head = Buffer.alloc(0)
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      client.off('data', onData)
      const lines = head.subarray(0, end).toString('latin1').split('\r\n')
      const rest = head.subarray(end + 4)
      const [method = '', uri = '', version = ''] = (lines[0] ?? '').split(' ')
      const auth = lines.find((l) => /^proxy-authorization:/i.test(l))
      authorizations.push(auth?.slice(auth.indexOf(':') + 1).trim())
      const connectTarget = method === 'CONNECT'
      if (connectTarget) targets.push(uri)
      else forwarded.push(lines[0] ?? '')
      const url = connectTarget ? undefined : new URL(uri)
      const port = connectTarget ? Number(uri.split(':').pop()) : Number(url?.port || 80)
      const upstream = connect(port, '127.0.0.1', () => {
        if (connectTarget) {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        } else {
          const kept = lines.slice(1).filter((l) => !/^proxy-authorization:/i.test(l))
          upstream.write(
            [`${method} ${url?.pathname ?? '/'}${url?.search ?? ''} ${version}`, ...kept].join(
              '\r\n'
            ) + '\r\n\r\n'
          )
        }
        if (rest.length > 0) upstream.write(rest)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      track(upstream)
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    }
    client.on('data', onData)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    forwarded,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
