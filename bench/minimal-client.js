/**
 * The floor for a full run of the action: the same client-credentials request (same form, Basic
 * auth with form-encoded credentials), the same mask, outputs, exported variable and summary,
 * with Node built-ins only and none of the action's input checks, retries or error handling.
 * Reads the INPUT_* variables the runner sets. Not for real use.
 */
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const input = (/** @type {string} */ name) => (process.env[`INPUT_${name}`] ?? '').trim()
const endpoint = input('ENDPOINT').replace(/\/+$/, '')
const resource = input('RESOURCE') || 'https://default.logto.app/api'
const scope = input('SCOPE') || (input('RESOURCE') ? '' : 'all')

const form = new URLSearchParams({ grant_type: 'client_credentials', resource })
if (scope) form.set('scope', scope)
const body = form.toString()
const encode = (/** @type {string} */ value) =>
  new URLSearchParams([['', value]]).toString().slice(1)
const basic = Buffer.from(`${encode(input('APP-ID'))}:${encode(input('APP-SECRET'))}`).toString(
  'base64'
)

const url = new URL(`${endpoint}/oidc/token`)
// require, not import(): on Node 22+ building the ES module namespace of node:http runs its lazy
// WebSocket getters, which load Node's internal undici (~20 ms). Only the module the URL needs:
// node:https pulls in TLS, which a loopback run never uses.
const require = createRequire(import.meta.url)
/** @type {typeof import('node:http')} */
const { request } = require(url.protocol === 'https:' ? 'node:https' : 'node:http')
const answer = await new Promise((resolve, reject) => {
  const req = request(
    url,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
        Accept: 'application/json',
        Authorization: `Basic ${basic}`
      }
    },
    (res) => {
      /** @type {Buffer[]} */
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') })
      )
      res.on('error', reject)
    }
  )
  req.on('error', reject)
  req.end(body)
})

const { status, text } = /** @type {{ status: number, text: string }} */ (answer)
if (status !== 200) {
  process.stdout.write(`::error::HTTP ${status}\n`)
  process.exit(1)
}
const json = JSON.parse(text)
const token = String(json.access_token)
process.stdout.write(`::add-mask::${token}\n`)

const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}')
const outputs = {
  'access-token': token,
  'token-type': String(json.token_type),
  'expires-in': String(json.expires_in),
  'expires-at': new Date(Date.now() + json.expires_in * 1000).toISOString(),
  scope: String(json.scope ?? ''),
  audience: String(claims.aud ?? resource)
}
const heredoc = (/** @type {string} */ name, /** @type {string} */ value) => {
  const delimiter = `ghadelimiter_${randomUUID()}`
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`
}
appendFileSync(
  String(process.env.GITHUB_OUTPUT),
  Object.entries(outputs)
    .map(([name, value]) => heredoc(name, value))
    .join('')
)
appendFileSync(String(process.env.GITHUB_ENV), heredoc('LOGTO_ACCESS_TOKEN', token))
appendFileSync(
  String(process.env.GITHUB_STEP_SUMMARY),
  `### Logto access token\n\n| | |\n| --- | --- |\n| Audience | \`${outputs.audience}\` |\n` +
    `| Granted scopes | \`${outputs.scope}\` |\n| Expires | \`${outputs['expires-at']}\` |\n`
)
process.stdout.write(`Got a ${outputs['token-type']} token for ${outputs.audience}.\n`)
