import { parseArgs } from 'node:util'

// stdout carries exactly one JSON line for whoever spawned us; anything a library prints goes to stderr.
console.log = console.info = console.debug = console.error
const warn = console.warn
// oidc-provider v9 warns at import on Node older than 22. The project targets 24, but the tooling
// still runs on 20 (the .ci machine's Node), where this issuer works fine.
console.warn = (...args) => {
  if (String(args[0]).includes('Unsupported runtime')) return
  warn(...args)
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' }
  }
})

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port: ${values.port}`)
  process.exit(2)
}

const { startIssuer } = await import('./index.js')
const issuer = await startIssuer({ port, host: values.host })
process.stdout.write(`${JSON.stringify({ endpoint: issuer.endpoint, port: issuer.port })}\n`)

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void issuer.close().finally(() => process.exit(0))
  })
}
