/**
 * `npm start`: runs the committed dist/index.js the way the runner does and prints what a
 * workflow author would see. Without arguments it uses the embedded test issuer; with --endpoint
 * or --tenant-id it asks a real Logto, the app secret coming from LOGTO_APP_SECRET.
 */
import { parseArgs } from 'node:util'
import { columns, exportedVariables, indent, markdownToText } from './lib/present.js'
import { NETWORK_VARIABLES, readManifest, runAction } from './lib/runner.js'
import { decodeJwt, verifyWithIssuerKeys } from './lib/verify.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { importIssuer } from '../tools/issuer/load.js'

const SECRET_VARIABLE = 'LOGTO_APP_SECRET'
// Typed in without echo, so the secret stays out of the screen and the shell history.
const SECRET_PROMPTS = `  bash, zsh:  read -rs ${SECRET_VARIABLE} && export ${SECRET_VARIABLE}
  PowerShell: $env:${SECRET_VARIABLE} = Read-Host -MaskInput 'App secret'   (PowerShell 7.1+)`
const manifest = readManifest()

const USAGE = `Usage:
  npm start
      Run dist/index.js against the embedded test issuer (no network): for the Management API,
      for a custom API, and for the Management API with an app whose secret expires soon (the
      expiry warning), then check each token with the issuer's test API.

  node scripts/start.js --endpoint https://your-tenant.logto.app --app-id ID [options]
      Run dist/index.js once against a real Logto and check the token's signature with the
      issuer's keys. (\`npm start -- …\` works too, but PowerShell's npm.ps1 can drop the --.)
      The app secret is read from ${SECRET_VARIABLE} only: a secret on the command line ends
      up in shell history and in the process list. Set it without echo:
${SECRET_PROMPTS}

Options (any action input, as --name value):
${columns([
  ...Object.entries(manifest.inputs)
    .filter(([name]) => name !== 'app-secret')
    .map(([name, input]) => [
      `  --${name}`,
      input?.default ? `default ${JSON.stringify(String(input.default))}` : ''
    ]),
  ['  --debug', "show the action's debug lines, as step debug logging does"],
  ['  --help', 'show this help']
])}
`

/**
 * @typedef {object} Flow
 * @property {string} title
 * @property {Record<string, string>} inputs
 * @property {(token: string, outputs: Record<string, string>) => Promise<string>} check
 *   Resolves to a line describing what was verified, rejects when the token is not right.
 * @property {readonly string[]} [inherit]
 */

/**
 * Parses the command line into flows, or exits with a usage message.
 * @param {string[]} argv
 * @returns {{ flows?: Flow[], debug: boolean }}
 */
function parseCommandLine(argv) {
  if (argv.some((arg) => arg === '--app-secret' || arg.startsWith('--app-secret='))) {
    usageError(
      `--app-secret is refused: a secret on the command line ends up in shell history and in ` +
        `the process list. Set ${SECRET_VARIABLE} in the environment instead, e.g.\n` +
        SECRET_PROMPTS
    )
  }
  /** @type {Record<string, { type: 'string' }>} */
  const inputOptions = {}
  for (const name of Object.keys(manifest.inputs)) {
    if (name !== 'app-secret') inputOptions[name] = { type: 'string' }
  }
  /** @type {ReturnType<typeof parseArgs>['values']} */
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        ...inputOptions,
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: false
    }))
  } catch (error) {
    usageError(/** @type {Error} */ (error).message)
  }
  if (values.help) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  const debug = values.debug === true
  /** @type {Record<string, string>} */
  const inputs = {}
  for (const name of Object.keys(inputOptions)) {
    const value = values[name]
    if (typeof value === 'string') inputs[name] = value
  }
  if (Object.keys(inputs).length === 0) return { debug }

  if (!inputs.endpoint && !inputs['tenant-id']) {
    usageError('Give --endpoint (or --tenant-id) to run against a real Logto.')
  }
  if (!inputs['app-id']) usageError('Give --app-id, the ID of the machine-to-machine app.')
  const secret = process.env[SECRET_VARIABLE]
  if (!secret) {
    usageError(
      `${SECRET_VARIABLE} is not set: put the app secret in the environment, e.g.\n` +
        `${SECRET_PROMPTS}\n` +
        '(--app-secret is refused: command lines end up in shell history and the process list).'
    )
  }
  inputs['app-secret'] = secret
  return {
    debug,
    flows: [
      {
        title: `Logto at ${inputs.endpoint || `tenant ${inputs['tenant-id']}`}`,
        inputs,
        inherit: NETWORK_VARIABLES,
        check: async (token) => {
          const issuer = `${issuerBase(inputs)}/oidc`
          const claims = await verifyWithIssuerKeys(token, issuer)
          return (
            `signature verified with ${issuer}/jwks: aud ${JSON.stringify(claims.aud)}, ` +
            `scope ${JSON.stringify(claims.scope ?? '')}`
          )
        }
      }
    ]
  }
}

/**
 * The endpoint the action derives from its inputs (without /oidc), to find the issuer.
 * @param {Record<string, string>} inputs
 */
function issuerBase(inputs) {
  if (inputs['tenant-id']) return `https://${inputs['tenant-id'].trim().toLowerCase()}.logto.app`
  const url = new URL(inputs.endpoint.trim())
  return `${url.origin}${url.pathname.replace(/\/oidc(?:\/token)?\/*$/, '').replace(/\/+$/, '')}`
}

/**
 * @param {string} message
 * @returns {never}
 */
function usageError(message) {
  process.stderr.write(`${message}\nRun node scripts/start.js --help for usage.\n`)
  process.exit(2)
}

/**
 * The flows against the embedded issuer, with a check through its `/api/whoami` test API.
 * @param {string} endpoint
 * @param {{ clientId: string, clientSecret: string }} app
 * @returns {Flow[]}
 */
function embeddedFlows(endpoint, app) {
  /**
   * @param {string} audience
   * @param {string} scope
   */
  const whoami = (audience, scope) => async (/** @type {string} */ token) => {
    const response = await fetch(`${endpoint}/api/whoami`, {
      headers: { Authorization: `Bearer ${token}` }
    })
    const body = /** @type {Record<string, unknown>} */ (await response.json())
    if (!response.ok) {
      throw new Error(`GET /api/whoami answered HTTP ${response.status}: ${String(body.error)}`)
    }
    if (body.aud !== audience) throw new Error(`aud is ${String(body.aud)}, not ${audience}`)
    if (body.scope !== scope) throw new Error(`scope is "${String(body.scope)}", not "${scope}"`)
    return `GET /api/whoami verified the token: aud ${body.aud}, scope "${body.scope}", sub ${String(body.sub)}`
  }
  const base = { endpoint, 'app-id': app.clientId, 'app-secret': app.clientSecret }
  const products = fixtures.resources.products.indicator
  const { expiring } = fixtures.apps
  return [
    {
      title: 'Management API (resource and scope left at their defaults)',
      inputs: base,
      check: whoami(fixtures.resources.management.indicator, 'all')
    },
    {
      title: 'Custom API',
      inputs: { ...base, resource: products, scope: 'read:products write:products' },
      check: whoami(products, 'read:products write:products')
    },
    {
      title: `Management API, app ${expiring.clientId}, whose secret expires within 30 days`,
      inputs: { endpoint, 'app-id': expiring.clientId, 'app-secret': expiring.clientSecret },
      check: whoami(fixtures.resources.management.indicator, 'all')
    }
  ]
}

/**
 * Describes the token without revealing it.
 * @param {string} token
 */
function describeToken(token) {
  const jwt = decodeJwt(token)
  const kind = jwt ? `JWT, ${String(jwt.header.alg)}` : 'not a JWT'
  return `(${kind}, ${token.length} characters)`
}

/**
 * Runs one flow and prints it; resolves to whether everything in it worked.
 * @param {Flow} flow
 * @param {number} index
 * @param {number} count
 * @param {boolean} debug
 */
async function runFlow(flow, index, count, debug) {
  const out = (/** @type {string} */ text = '') => process.stdout.write(`${text}\n`)
  out(`\n== ${count > 1 ? `${index + 1}/${count} ` : ''}${flow.title}`)
  out('Run dist/index.js')
  out('  with:')
  for (const [name, value] of Object.entries(flow.inputs)) {
    // The runner shows `${{ secrets.* }}` values as *** here.
    out(`    ${name}: ${name === 'app-secret' ? '***' : value}`)
  }

  const result = await runAction({ inputs: flow.inputs, inherit: flow.inherit, debug })
  const { masker } = result
  out('\nLog')
  out(indent(result.log || '(nothing)', '  '))
  const seconds = (result.durationMs / 1000).toFixed(2)
  const status = result.timedOut ? 'timed out' : `exit code ${result.code ?? result.signal}`
  out(
    `\nStep ${result.conclusion === 'success' ? 'succeeded' : 'FAILED'} (${status}, ${seconds} s)`
  )

  /** @type {string[]} */
  const problems = []
  if (result.conclusion !== 'success') problems.push('the step failed')
  const token = result.outputs['access-token'] ?? ''
  if (result.conclusion === 'success') {
    out('\nOutputs')
    const names = [...new Set([...Object.keys(manifest.outputs), ...Object.keys(result.outputs)])]
    out(
      columns(
        names.map((name) => {
          if (!(name in result.outputs)) {
            problems.push(`output ${name} was not set`)
            return [name, '(not set)']
          }
          const value = result.outputs[name]
          const shown = masker.mask(value)
          const note = name === 'access-token' ? ` ${describeToken(value)}` : ''
          const extra = name in manifest.outputs ? '' : ' (not declared in action.yml)'
          return [name, `${shown === '' ? "''" : shown}${note}${extra}`]
        }),
        '  '
      )
    )
    out('\nEnvironment of later steps')
    const exported = Object.entries(result.env)
    out(exportedVariables(result.env, masker))
    if (flow.inputs['export-env'] !== 'false' && !exported.some(([, v]) => v === token)) {
      problems.push('the token was not exported')
    }
    out('\nJob summary')
    out(indent(masker.mask(markdownToText(result.summary)) || '(empty)', '  '))
  }

  // Masking is the action's own doing here: the secret and the token are not pre-registered.
  for (const [what, text] of [
    ['log', result.log],
    ['job summary', result.summary]
  ]) {
    if (token && text.includes(token)) problems.push(`the token appears in the ${what}`)
    if (text.includes(flow.inputs['app-secret']))
      problems.push(`the app secret appears in the ${what}`)
  }

  out('\nCheck')
  if (token) {
    try {
      out(`  PASS ${await flow.check(token, result.outputs)}`)
    } catch (error) {
      problems.push(
        `the token did not pass the check: ${masker.mask(error instanceof Error ? error.message : String(error))}`
      )
    }
  }
  for (const problem of problems) out(`  FAIL ${problem}`)
  return problems.length === 0
}

/** Starts the embedded issuer in this process. */
async function startEmbeddedIssuer() {
  const { startIssuer } = await importIssuer()
  const issuer = await startIssuer({ port: 0, host: '127.0.0.1' })
  return { issuer, app: fixtures.apps.m2m }
}

// `npm start | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (/** @type {NodeJS.ErrnoException} */ (error).code === 'EPIPE')
    process.exit(process.exitCode ?? 0)
  throw error
})

const { flows: realFlows, debug } = parseCommandLine(process.argv.slice(2))
let flows = realFlows
/** @type {(() => Promise<void>) | undefined} */
let stop
if (!flows) {
  const { issuer, app } = await startEmbeddedIssuer()
  stop = issuer.close
  process.stdout.write(
    `Embedded Logto issuer on ${issuer.endpoint}, test app ${app.clientId}; nothing leaves this ` +
      'machine.\n'
  )
  flows = embeddedFlows(issuer.endpoint, app)
}

let ok = true
try {
  for (const [i, flow] of flows.entries()) {
    if (!(await runFlow(flow, i, flows.length, debug))) ok = false
  }
} finally {
  await stop?.()
}
process.stdout.write(
  ok ? `\nAll ${flows.length} run(s) worked.\n` : '\nSomething did not work; see FAIL above.\n'
)
process.exitCode = ok ? 0 : 1
