import { parseArgs } from 'node:util'

import { importIssuer } from './load.js'

// stdout carries exactly one JSON line for whoever spawned us; anything a library prints goes to stderr.
console.log = console.info = console.debug = console.error

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

const { startIssuer } = await importIssuer()
const issuer = await startIssuer({ port, host: values.host })
process.stdout.write(`${JSON.stringify({ endpoint: issuer.endpoint, port: issuer.port })}\n`)

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void issuer.close().finally(() => process.exit(0))
  })
}
