/** Inputs that could reach the log as a command, or change how later steps run, are refused. */
import { describe, expect, it } from '@jest/globals'
import { envNameProblem } from '../src/settings.js'
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

describe("env-name: only token names, and none the runner or GitHub's tools read", () => {
  const form =
    'use letters, digits and _, not starting with a digit, ending in _TOKEN and not starting ' +
    'with GITHUB_, RUNNER_, ACTIONS_, INPUT_, STATE_, GH_ or NODE_ (in any case), e.g. ' +
    'LOGTO_ACCESS_TOKEN or PRODUCTS_API_TOKEN.'
  const notToken =
    'does not end in _TOKEN, so the shells, runtimes or toolchains of later steps could read it ' +
    'as a setting'

  // What shells, runtimes and toolchains on GitHub's runner images read as settings, by family:
  // none ends in _TOKEN, so the rule refuses each without naming it.
  it.each([
    ['shells', ['POSIXLY_CORRECT', 'BASH_ENV', 'ENV', 'ZDOTDIR', 'SHELLOPTS', 'IFS', 'PS4']],
    ['the system, on every runner OS', ['PATH', 'path', 'Path', 'HOME', 'TEMP', 'TMPDIR']],
    ['Windows', ['PATHEXT', 'ComSpec', 'PSModulePath', 'SystemRoot', 'windir', 'USERPROFILE']],
    ['loaders', ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES']],
    ['the JVM', ['CLASSPATH', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS']],
    ['.NET', ['COMPlus_EnableDiagnostics', 'DOTNET_STARTUP_HOOKS', 'CORECLR_PROFILER']],
    ['Go', ['GOPROXY', 'GOFLAGS', 'GOPRIVATE', 'GONOSUMDB', 'GOTOOLCHAIN']],
    ['Rust and Cargo', ['RUSTFLAGS', 'RUSTC_WRAPPER', 'CARGO_HOME', 'RUSTUP_TOOLCHAIN']],
    ['Python', ['PYTHONPATH', 'PYTHONSTARTUP', 'PIP_INDEX_URL', 'PYTHONHTTPSVERIFY']],
    ['Node.js', ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED']],
    ['Ruby', ['RUBYOPT', 'RUBYLIB', 'GEM_HOME', 'BUNDLE_GEMFILE']],
    ['Perl', ['PERL5OPT', 'PERL5LIB']],
    ['OpenSSL and TLS', ['OPENSSL_CONF', 'SSLKEYLOGFILE', 'SSL_CERT_FILE', 'CURL_CA_BUNDLE']],
    ['git', ['GIT_SSH_COMMAND', 'GIT_CONFIG_GLOBAL', 'GIT_ASKPASS']],
    ['package managers', ['npm_config_registry', 'YARN_NPM_REGISTRY_SERVER', 'NUGET_PACKAGES']],
    ['proxies', ['HTTPS_PROXY', 'http_proxy', 'NO_PROXY', 'ALL_PROXY']],
    ['the runner', ['CI', 'GITHUB_ENV', 'RUNNER_TEMP']],
    ['names that only look like one', ['TOKEN', 'MY_TOKENS', 'MYTOKEN', 'TOKEN_X']]
  ])('%s: refused as not a token name', (_family, names) => {
    for (const name of names) {
      expect(envNameProblem(name)).toBe(notToken)
      const error = refusal({ ...base, 'env-name': name })
      expect(error.input).toBe('env-name')
      expect(error.message).toBe(`Input env-name "${name}" ${notToken}: ${form}`)
    }
  })

  it.each([
    ['GITHUB_TOKEN', 'GITHUB_'],
    ['github_token', 'GITHUB_'],
    ['RUNNER_TOKEN', 'RUNNER_'],
    ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_'],
    ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_'],
    ['INPUT_GITHUB_TOKEN', 'INPUT_'],
    ['STATE_TOKEN', 'STATE_'],
    ['GH_TOKEN', 'GH_'],
    ['GH_ENTERPRISE_TOKEN', 'GH_'],
    ['Node_Auth_Token', 'NODE_']
  ])('%s: refused, as %s is a prefix the runner or GitHub’s tools read tokens from', (name, p) => {
    const problem = `starts with ${p}, a prefix the runner or GitHub's tools read tokens from`
    expect(envNameProblem(name)).toBe(problem)
    expect(refusal({ ...base, 'env-name': name }).message).toBe(
      `Input env-name "${name}" ${problem}: ${form}`
    )
  })

  it.each(['1_TOKEN', 'MY-TOKEN', 'MY TOKEN', 'MY.TOKEN', 'TÖKEN_TOKEN'])(
    '%s: refused as not a variable name',
    (name) => {
      expect(envNameProblem(name)).toBe('is not a valid variable name')
      expect(refusal({ ...base, 'env-name': name }).message).toBe(
        `Input env-name "${name}" is not a valid variable name: ${form}`
      )
    }
  )

  it.each([
    'LOGTO_ACCESS_TOKEN',
    'logto_access_token',
    'PRODUCTS_API_TOKEN',
    'API_TOKEN',
    'My_Token',
    '_TOKEN',
    '_1_TOKEN',
    'GITHUBX_TOKEN',
    'GHX_TOKEN',
    'NODEJS_TOKEN',
    'XGITHUB_TOKEN',
    'TOKEN_TOKEN'
  ])('%s is accepted', (name) => {
    expect(envNameProblem(name)).toBeUndefined()
    expect(parse({ ...base, 'env-name': name }).envName).toBe(name)
  })

  it('an empty env-name is the default, LOGTO_ACCESS_TOKEN', () => {
    expect(parse({ ...base, 'env-name': '' }).envName).toBe('LOGTO_ACCESS_TOKEN')
    expect(envNameProblem('LOGTO_ACCESS_TOKEN')).toBeUndefined()
  })
})
