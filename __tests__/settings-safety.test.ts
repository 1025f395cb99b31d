/** Inputs that could reach the log as a command, or change how later steps run, are refused. */
import { describe, expect, it } from '@jest/globals'
import { isReservedEnvName } from '../src/settings.js'
import { inputFailure as refusal, parse } from './support/settings.js'

const base: Record<string, string> = {
  endpoint: 'https://acme.logto.app',
  'app-id': 'app1',
  'app-secret': 's3cret'
}

describe('control characters and line breaks', () => {
  const inside = ['\n::error::x', '\r', '\t', '\u0000', '\u0085', '\u2028', '\u202e']
  const cases: [string, string][] = []
  for (const c of inside) {
    cases.push(['endpoint', `https://acme.logto.app/a${c}b`])
    cases.push(['resource', `https://api${c}.example.com`])
    cases.push(['organization-id', `org${c}1`])
    cases.push(['app-id', `app${c}1`])
    cases.push(['env-name', `MY${c}TOKEN`])
    cases.push(['auth-method', `client_secret_basic${c}x`])
    cases.push(['retries', `1${c}2`])
  }
  cases.push(['tenant-id', 'acme\nx'])
  cases.push(['scope', 'read\u0000write'])
  cases.push(['scope', 'read\u0085write'])
  cases.push(['scope', 'read\u2028write'])

  it.each(cases)('%s %j is refused before any request, naming the input', (input, value) => {
    const inputs = { ...base, [input]: value }
    if (input === 'tenant-id') delete inputs.endpoint
    const error = refusal(inputs)
    expect(error.input).toBe(input)
    expect(error.message).toBe(
      `Input ${input} contains a control character or line break, which no ${input} has: give ` +
        'it on one line, without tabs or other control characters.'
    )
  })

  it('the URL parser would have dropped them: the raw string is what is checked', () => {
    expect(new URL('https://api\n.example.com').href).toBe('https://api.example.com/')
    expect(refusal({ ...base, resource: 'https://api\n.example.com' }).input).toBe('resource')
  })

  it.each([
    ['line breaks', 'read\nwrite', ['read', 'write']],
    ['CRLF', 'read\r\nwrite', ['read', 'write']],
    ['tabs', 'read\twrite', ['read', 'write']],
    ['commas and spaces', 'read, write', ['read', 'write']]
  ])('scope may be separated by %s', (_name, scope, scopes) => {
    expect(parse({ ...base, scope }).scopes).toEqual(scopes)
  })

  it('surrounding line breaks are trimmed, as a YAML block scalar leaves them', () => {
    const settings = parse({ ...base, resource: 'https://api.example.com\n', 'app-id': '\napp1\n' })
    expect(settings.resource).toBe('https://api.example.com')
    expect(settings.appId).toBe('app1')
  })

  it('the secret may hold anything: it is masked, never printed', () => {
    expect(parse({ ...base, 'app-secret': 'a\tb\u0001c' }).appSecret).toBe('a\tb\u0001c')
  })
})

describe('env-name', () => {
  it.each([
    // The runner and actions
    'GITHUB_TOKEN',
    'github_env',
    'RUNNER_TEMP',
    'ACTIONS_RUNTIME_TOKEN',
    'INPUT_APP_SECRET',
    'STATE_x',
    // Loaders
    'LD_PRELOAD',
    'DYLD_INSERT_LIBRARIES',
    // Shells and the system, on every runner OS
    'PATH',
    'path',
    'Path',
    'PATHEXT',
    'ComSpec',
    'PSModulePath',
    'SystemRoot',
    'windir',
    'TEMP',
    'TMP',
    'TMPDIR',
    'HOME',
    'USERPROFILE',
    'SHELL',
    'ENV',
    'BASH_ENV',
    'BASHOPTS',
    'SHELLOPTS',
    'CDPATH',
    'IFS',
    'PS4',
    'PROMPT_COMMAND',
    'BASH_FUNC_x',
    'CI',
    // Toolchains
    'NODE_OPTIONS',
    'NODE_PATH',
    'NODE_EXTRA_CA_CERTS',
    'npm_config_registry',
    'GIT_SSH_COMMAND',
    'GIT_CONFIG_GLOBAL',
    'JAVA_TOOL_OPTIONS',
    '_JAVA_OPTIONS',
    'JDK_JAVA_OPTIONS',
    'PYTHONPATH',
    'PYTHONSTARTUP',
    'PERL5OPT',
    'PERL5LIB',
    'RUBYOPT',
    'RUBYLIB',
    'DOTNET_STARTUP_HOOKS',
    // Network and certificates
    'HTTPS_PROXY',
    'http_proxy',
    'NO_PROXY',
    'ALL_PROXY',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'CURL_CA_BUNDLE',
    'REQUESTS_CA_BUNDLE'
  ])('%s is refused, in any case', (name) => {
    expect(isReservedEnvName(name)).toBe(true)
    const error = refusal({ ...base, 'env-name': name })
    expect(error.input).toBe('env-name')
    expect(error.message).toContain(`Input env-name "${name}" would change how later steps run`)
  })

  it.each([
    'LOGTO_ACCESS_TOKEN',
    'MY_TOKEN',
    'TOKEN',
    'GITHUBTOKEN',
    'MY_PATH',
    'PATHS',
    'CI_TOKEN',
    'HOMEPAGE_TOKEN',
    'XNODE_OPTIONS',
    'PROXY',
    'PROXY_TOKEN',
    'TEMPERATURE',
    '_TOKEN'
  ])('%s is accepted', (name) => {
    expect(isReservedEnvName(name)).toBe(false)
    expect(parse({ ...base, 'env-name': name }).envName).toBe(name)
  })
})
