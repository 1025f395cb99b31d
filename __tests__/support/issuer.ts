import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** A running embedded issuer in a child process (oidc-provider is not loaded inside jest's VM). */
export interface IssuerProcess {
  /** Base URL; the token endpoint is `${endpoint}/oidc/token`. */
  endpoint: string
  /** Requests the issuer has seen, as recorded by its `/__requests` route. */
  requests(): Promise<unknown[]>
  close(): Promise<void>
}

const cli = fileURLToPath(new URL('../../tools/issuer/cli.js', import.meta.url))
const startTimeoutMs = 15_000
const killTimeoutMs = 5_000

/** Spawns `tools/issuer/cli.js` on a free port and resolves once it has printed its endpoint. */
export async function startIssuerProcess(): Promise<IssuerProcess> {
  // jest's --experimental-vm-modules would only make the child print a warning.
  const env = { ...process.env, NODE_OPTIONS: '' }
  const child = spawn(process.execPath, [cli, '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const endpoint = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const settle = (): void => {
      clearTimeout(timer)
      child.off('exit', onExit)
      child.off('error', onError)
    }
    const fail = (reason: string): void => {
      settle()
      child.kill('SIGKILL')
      reject(new Error(`issuer did not start: ${reason}\n${stderr}`))
    }
    const onExit = (code: number | null, signal: string | null): void =>
      fail(`it exited with ${signal ?? code}`)
    const onError = (error: Error): void => fail(error.message)
    const timer = setTimeout(() => fail('timed out'), startTimeoutMs)
    child.once('exit', onExit)
    child.once('error', onError)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      if (stdout.includes('\n')) return
      stdout += chunk
      const newline = stdout.indexOf('\n')
      if (newline === -1) return
      const line = stdout.slice(0, newline)
      try {
        const ready = JSON.parse(line) as { endpoint: string }
        settle()
        resolve(ready.endpoint)
      } catch {
        fail(`unexpected first line ${JSON.stringify(line)}`)
      }
    })
  })

  return {
    endpoint,
    async requests() {
      const response = await fetch(`${endpoint}/__requests`)
      return (await response.json()) as unknown[]
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const timer = setTimeout(() => child.kill('SIGKILL'), killTimeoutMs)
      child.kill('SIGTERM')
      await exited
      clearTimeout(timer)
    }
  }
}
