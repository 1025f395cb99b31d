/**
 * Properties over any input: parsing the inputs and reading the token response either succeed or
 * fail with the action's own error naming what was wrong; never an uncaught exception, never a
 * secret in a message, never a line break or workflow command in one.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { InputError, ResponseError, TokenEndpointError } from '../src/errors.js'
import type { HttpAnswer } from '../src/http.js'
import { parseSettings } from '../src/settings.js'
import { secretForms } from '../src/token-request.js'
import { MAX_EXPIRES_IN, readTokenAnswer } from '../src/token-response.js'

const INPUTS = [
  'endpoint',
  'tenant-id',
  'app-id',
  'app-secret',
  'resource',
  'scope',
  'organization-id',
  'auth-method',
  'fail-on-missing-scopes',
  'export-env',
  'env-name',
  'retries',
  'timeout',
  'summary'
] as const

// Strings that reach the interesting branches: URLs, control characters, separators, unicode.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    ' ',
    'https://acme.logto.app',
    'http://127.0.0.1:3001/oidc',
    'http://[::1]:3001',
    'https://u:p@acme.logto.app',
    'https://api.example.com/products',
    'https://acme.logto.app/api',
    'read write',
    'a\n::error::x',
    'true',
    'false',
    '3',
    '0.5',
    'client_secret_post',
    'LOGTO_TOKEN',
    'PATH',
    'org-1',
    'acme'
  ),
  fc.webUrl(),
  // eslint-disable-next-line no-control-regex -- any ASCII, controls included, on purpose
  fc.stringMatching(/^[\x00-\x7f]{0,20}$/)
)
const secret = fc.string({ minLength: 6, maxLength: 40 }).filter((s) => s.trim() === s && s !== '')

// A line break, or a workflow command at the start of a line.
const COMMAND = /(^|[\r\n])\s*::|[\r\n]/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/** What is wrong with the outcome of parsing inputs, if anything. */
function settingsViolation(outcome: unknown, appSecret: string): string | undefined {
  if (outcome instanceof InputError) {
    if (!(INPUTS as readonly string[]).includes(outcome.input))
      return `unknown input ${outcome.input}`
    if (!/^Inputs? /.test(outcome.message))
      return `message does not start with Input: ${outcome.message}`
    if (!outcome.message.includes(outcome.input.split('-')[0]))
      return 'message does not name the input'
    if (outcome.message.includes(appSecret)) return 'message shows the secret'
    return undefined
  }
  if (outcome instanceof Error) return `not an InputError: ${outcome.name}: ${outcome.message}`
  const settings = outcome as { appSecret: string; tokenUrl: string }
  if (settings.appSecret !== appSecret) return 'the secret changed'
  return settings.tokenUrl.endsWith('/oidc/token') ? undefined : `token URL ${settings.tokenUrl}`
}

/** What is wrong with the outcome of reading a token answer, if anything. */
function answerViolation(
  outcome: unknown,
  status: number,
  forms: readonly string[]
): string | undefined {
  if (outcome instanceof TokenEndpointError || outcome instanceof ResponseError) {
    if (forms.some((form) => outcome.message.includes(form))) return 'message shows a secret form'
    return COMMAND.test(outcome.message)
      ? `message is not one safe line: ${outcome.message}`
      : undefined
  }
  if (outcome instanceof Error) return `not the action's error: ${outcome.name}: ${outcome.message}`
  const fields = outcome as ReturnType<typeof readTokenAnswer>
  if (status < 200 || status >= 300) return `HTTP ${status} gave a token`
  if (!/^[\x21-\x7e]+$/.test(fields.accessToken)) return 'the token is not visible ASCII'
  if (CONTROL.test(fields.tokenType)) return 'token_type has control characters'
  const expires = fields.expiresIn
  if (
    expires !== undefined &&
    !(Number.isInteger(expires) && expires >= 0 && expires <= MAX_EXPIRES_IN)
  ) {
    return `expires_in ${expires} was kept`
  }
  return fields.warnings.some((w) => COMMAND.test(w)) ? 'a warning is not one safe line' : undefined
}

const outcomeOf = (action: () => unknown): unknown => {
  try {
    return action()
  } catch (error) {
    return error
  }
}

describe('parseSettings, for any inputs', () => {
  it('returns settings or throws an InputError naming a real input; never leaks the secret', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...INPUTS), text), secret, (inputs, appSecret) => {
        const all: Record<string, string> = { ...inputs, 'app-secret': appSecret }
        const outcome = outcomeOf(() => parseSettings((name) => all[name] ?? ''))
        expect(settingsViolation(outcome, appSecret)).toBeUndefined()
      }),
      { numRuns: 1000 }
    )
  })
})

const status = fc.integer({ min: 100, max: 599 })
const jsonValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 })
)
const tokenish = fc.record(
  {
    access_token: fc.oneof(jsonValue, fc.string({ minLength: 1 }), fc.constant('eyJ.eyJ.sig')),
    token_type: jsonValue,
    expires_in: fc.oneof(jsonValue, fc.integer({ min: -10, max: MAX_EXPIRES_IN + 10 })),
    scope: jsonValue,
    error: jsonValue,
    error_description: jsonValue,
    code: jsonValue
  },
  { requiredKeys: [] }
)
const body = fc.oneof(
  fc.string(),
  tokenish.map((value) => JSON.stringify(value)),
  fc.constantFrom('<!doctype html><p>x', '<html>', 'null', '[]', '{}')
)
const headers = fc.record(
  {
    'content-type': fc.oneof(fc.string(), fc.constantFrom('application/json', 'text/html')),
    'retry-after': fc.oneof(fc.string(), fc.nat().map(String)),
    location: fc.string()
  },
  { requiredKeys: [] }
)

describe('readTokenAnswer, for any status, headers and body', () => {
  it('returns checked fields or throws its own error; messages are one line without secrets', () => {
    fc.assert(
      fc.property(status, headers, body, secret, (code, head, text, appSecret) => {
        const forms = secretForms({ appId: 'app', appSecret })
        // Also as a server that echoes every form of the secret back in its answer.
        for (const answerBody of [text, `${text}${forms.join(' ')}`]) {
          const answer: HttpAnswer = { status: code, headers: head, body: answerBody }
          const outcome = outcomeOf(() =>
            readTokenAnswer(answer, 'https://acme.logto.app/oidc/token', forms, 0)
          )
          expect(answerViolation(outcome, code, forms)).toBeUndefined()
        }
      }),
      { numRuns: 1000 }
    )
  })
})
