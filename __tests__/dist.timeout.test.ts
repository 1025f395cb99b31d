/** The committed dist/index.js refuses a timeout below 1 ms, which rounded to a 0 ms deadline. */
import { describe, expect, it } from '@jest/globals'
import { runAction } from '../scripts/lib/runner.js'
import { startFaultyServer, tokenBody } from './support/faulty-server.js'

describe('dist/index.js with a timeout below 1 ms', () => {
  it.each(['0.0001', '0.0009'])(
    'timeout: %s fails naming the input and the accepted form',
    async (timeout) => {
      const server = await startFaultyServer([{ status: 200, body: tokenBody() }])
      try {
        const result = await runAction({
          inputs: {
            endpoint: server.endpoint,
            'app-id': 'm2m-app',
            'app-secret': 'm2m-secret',
            resource: 'https://api.example.com',
            timeout
          },
          timeoutMs: 20_000
        })
        expect(result.code).toBe(1)
        expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual(
          [
            `Input timeout "${timeout}" is not accepted: use a number of seconds from 0.001 (1 ms) to 600.`
          ]
        )
        expect(server.hits).toEqual([])
      } finally {
        await server.close()
      }
    }
  )
})
