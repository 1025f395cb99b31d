/** The proxy variables as settings: which applies, how values are read, what goes around. */
import { describe, expect, it } from '@jest/globals'
import { isLoopbackHost } from '../src/endpoint.js'
import { InputError } from '../src/errors.js'
import {
  bypassesProxy,
  noProxyWarnings,
  parseProxySettings,
  parseProxyUrl,
  proxyVariable
} from '../src/proxy-settings.js'
import { secretForms } from '../src/token-request.js'
import { inputFailure, parse } from './support/settings.js'

const refusal = (variable: string, raw: string): InputError => {
  try {
    parseProxyUrl(variable, raw)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('the loopback rule', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.3.4', true],
    ['[::1]', true],
    ['::1', true],
    ['[0:0:0:0:0:0:0:1]', true],
    // IPv4-mapped: the IPv4 loopback reached through an IPv6 socket.
    ['[::ffff:127.0.0.1]', true],
    ['[::ffff:7f00:1]', true],
    ['[::ffff:7f12:3456]', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['logto.localhost', true],
    ['Logto.LocalHost.', true],
    ['a.b.localhost', true],
    ['.localhost', false],
    ['127.evil.example', false],
    ['127.0.0.1.nip.io', false],
    ['localhost.example', false],
    ['notlocalhost', false],
    ['[::ffff:10.0.0.1]', false],
    ['[::ffff:8000:1]', false],
    ['[::2]', false],
    ['128.0.0.1', false],
    ['10.0.0.1', false]
  ])('isLoopbackHost(%j) = %j', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback)
  })
})

describe('which variable applies', () => {
  it.each([
    ['https:', { HTTPS_PROXY: 'x' }, 'HTTPS_PROXY'],
    ['https:', { HTTPS_PROXY: ' ' }, undefined],
    ['https:', { https_proxy: 'x', HTTPS_PROXY: 'y' }, 'https_proxy'],
    ['https:', { https_proxy: '', HTTPS_PROXY: 'y' }, 'HTTPS_PROXY'],
    ['https:', { https_proxy: ' ', HTTPS_PROXY: 'y' }, 'HTTPS_PROXY'],
    ['https:', { HTTP_PROXY: 'x' }, undefined],
    ['http:', { HTTP_PROXY: 'x' }, 'HTTP_PROXY'],
    ['http:', { http_proxy: 'x', HTTP_PROXY: 'y' }, 'http_proxy'],
    ['http:', { HTTPS_PROXY: 'x' }, undefined],
    ['http:', {}, undefined]
  ])('%s with %j: %s', (protocol, env, variable) => {
    expect(proxyVariable(protocol, env)).toBe(variable)
  })
})

describe('proxy URLs', () => {
  it.each([
    ['http://proxy.example:3128', 'http:', 'proxy.example', '3128', '', ''],
    ['https://proxy.example', 'https:', 'proxy.example', '', '', ''],
    // Without a scheme, as curl reads it.
    ['proxy.example:3128', 'http:', 'proxy.example', '3128', '', ''],
    ['user:pass@proxy.example:3128', 'http:', 'proxy.example', '3128', 'user', 'pass'],
    ['127.0.0.1:3128', 'http:', '127.0.0.1', '3128', '', ''],
    ['[::1]:3128', 'http:', '[::1]', '3128', '', ''],
    // A scheme is read only at the start: a later `://` is part of the path.
    ['127.0.0.1:3128/http://x', 'http:', '127.0.0.1', '3128', '', ''],
    // Only a value that starts with http: or https: lacks its //.
    ['myhttp:3128', 'http:', 'myhttp', '3128', '', ''],
    ['127.0.0.1:3128/http:x', 'http:', '127.0.0.1', '3128', '', ''],
    // `:` in a password, once, is no command separator for act.
    ['http://user:pa:ss@proxy.example', 'http:', 'proxy.example', '', 'user', 'pa:ss'],
    ['  HTTP://u%40s:p%3Ass@Proxy.Example:8080/  ', 'http:', 'proxy.example', '8080', 'u@s', 'p:ss']
  ])('%j → %s//%s:%s', (raw, protocol, hostname, port, username, password) => {
    expect(parseProxyUrl('HTTPS_PROXY', raw)).toMatchObject({
      variable: 'HTTPS_PROXY',
      protocol,
      hostname,
      port,
      username,
      password
    })
  })

  const basic = (pair: string): string => Buffer.from(pair).toString('base64')
  // A proxy that echoes Proxy-Authorization, or the URL as written, shows one of these.
  it.each<[string, string[]]>([
    ['http://proxy.example:3128', []],
    ['http://user@proxy.example:3128', []],
    ['http://user:@proxy.example:3128', []],
    ['user:pass@proxy.example', ['pass', basic('user:pass')]],
    [':pass@proxy.example', ['pass', basic(':pass')]],
    ['http://u%40s:p%3Ass@proxy.example', ['p:ss', 'p%3Ass', basic('u@s:p:ss')]],
    // The URL parser spells `"` and a space as %22 and %20; the variable holds them as written.
    ['http://u:a"b c@proxy.example', ['a"b c', 'a%22b%20c', basic('u:a"b c')]],
    ['http://u:p@ss@proxy.example/x?y', ['p@ss', 'p%40ss', basic('u:p@ss')]],
    // As written differs from both the decoded and the parsed password.
    ['http://u:a%22b"c@proxy.example', ['a"b"c', 'a%22b%22c', 'a%22b"c', basic('u:a"b"c')]],
    ['u:a%22b"c@proxy.example/x', ['a"b"c', 'a%22b%22c', 'a%22b"c', basic('u:a"b"c')]],
    ['http://ua%22b"c@proxy.example', []]
  ])('%j: the credential forms to hide are %j', (raw, forms) => {
    expect([...parseProxyUrl('HTTP_PROXY', raw).credentialForms].sort()).toEqual(
      [...new Set(forms)].sort()
    )
  })

  it.each([
    ['http://user:p%zzss@proxy.example:3128', /a % that does not start an escape/],
    ['user:p%zzss@proxy.example:3128', /a % that does not start an escape/],
    ['http://user:pass@proxy.example:31a8', /does not parse as a URL/],
    ['http://proxy.example:99999', /does not parse as a URL/],
    ['socks5://user:pass@proxy.example:1080', /its scheme socks5 is not supported/],
    ['ftp://proxy.example', /its scheme ftp is not supported/],
    ['http://', /does not parse as a URL/],
    // Read as http://, these would name the host "http" or "https".
    ['http:/proxy.example:3128', /its scheme is not followed by \/\//],
    ['HTTPS:proxy.example:3128', /its scheme is not followed by \/\//],
    ['http:user:pass@proxy.example:3128', /its scheme is not followed by \/\//],
    ['socks5:/proxy.example:1080', /its scheme is not followed by \/\//],
    ['proxy.example:/3128', /its scheme is not followed by \/\//],
    ['http://user:p%0Ass@proxy.example', /its password holds "::", "%0A" or "%0D"/],
    // act would print `::add-mask::pa::ss` as an unknown command instead of masking.
    [
      'http://user:pa::ss@proxy.example',
      /its password holds "::", "%0A" or "%0D", or starts with ":"/
    ],
    [
      'http://user:p%3A%3Ass@proxy.example',
      /its password holds "::", "%0A" or "%0D", or starts with ":"/
    ],
    ['user::pass@proxy.example', /its password holds "::", "%0A" or "%0D", or starts with ":"/],
    [
      'http://user:%3Apass@proxy.example',
      /its password holds "::", "%0A" or "%0D", or starts with ":"/
    ]
  ])('%j is refused, naming the variable and the form, never the value', (raw, why) => {
    const error = refusal('https_proxy', raw)
    expect(error.input).toBe('https_proxy')
    expect(error.message).toMatch(/^https_proxy is not a proxy URL the action can use: /)
    expect(error.message).toMatch(why)
    expect(error.message).toContain(
      'use http://host:port or https://host:port, with credentials percent-encoded as ' +
        'http://user:password@host:port (a value without a scheme is read as http://).'
    )
    expect(error.message).not.toMatch(
      /user:pass@|p%zz|zzss|proxy\.example|pa::ss|3Ass|3Apass|::pass|0Ass/
    )
  })
})

describe('NO_PROXY', () => {
  // The NO_PROXY rules of docs/how-it-works.md, as @actions/http-client matches them, and the loopback rule.
  it.each([
    ['https://logto.test', '', false],
    ['https://logto.test', 'logto.test', true],
    ['https://api.logto.test', 'logto.test', true],
    ['https://api.logto.test', '.logto.test', true],
    ['https://logto.test', 'LOGTO.TEST', true],
    ['https://logto.test:8443', 'logto.test:8443', true],
    ['https://logto.test', 'logto.test:8443', false],
    ['https://logto.test', 'logto.test:443', true],
    ['http://logto.test', 'logto.test:80', true],
    ['https://logto.test', 'other.test, logto.test', true],
    ['https://logto.test', '*', true],
    ['https://notlogto.test', 'logto.test', false],
    ['https://10.1.2.3', '10.1.2.3', true],
    ['https://10.1.2.3', '10.0.0.0/8', false],
    ['https://[2001:db8::1]', '2001:db8::1', false],
    ['https://[2001:db8::1]', '[2001:db8::1]', true],
    ['https://127.0.0.1', '', true],
    ['https://127.9.9.9', '', true],
    ['https://localhost', '', true],
    ['http://logto.localhost:3001', '', true],
    ['http://LOGTO.localhost.:3001', '', true],
    ['https://[::1]', '', true],
    ['https://[::ffff:127.0.0.1]', '', true],
    // A DNS name, not an address: @actions/http-client sent it around the proxy.
    ['https://127.evil.example', '', false],
    ['http://127.0.0.1.nip.io', '', false],
    // An empty entry (an empty NO_PROXY, a trailing comma) is no entry, even for a name ending in a dot.
    ['https://logto.test.', '', false],
    ['https://logto.test.', 'other.test,', false],
    // A URL without a host is never sent around the proxy, not even by *.
    ['file:///x', '*', false]
  ])('%s with NO_PROXY=%j goes around the proxy: %s', (url, noProxy, direct) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(direct)
  })

  it('warns once for each entry that matches nothing, naming it and the variable', () => {
    expect(
      noProxyWarnings(
        'no_proxy',
        'ok.test, 10.0.0.0/8, 2001:db8::1, *.example.com, 10.0.0.0/8, [::1], .a.test, *, x:8080'
      )
    ).toEqual(
      [
        ['10.0.0.0/8', 'a CIDR range or a URL', 'it sends no host around the proxy'],
        ['2001:db8::1', 'an IPv6 address without brackets', 'it sends no host around the proxy'],
        [
          '*.example.com',
          'a pattern with *',
          'it sends around the proxy only a host spelled with that * itself, not the hosts it ' +
            'stands for'
        ]
      ].map(
        ([entry, why, effect]) =>
          `no_proxy entry "${entry}" is ${why}, which NO_PROXY matching does not understand, so ` +
          `${effect}: list host names (which cover their subdomains), ` +
          '.domain suffixes, host:port, IPv4 addresses, IPv6 addresses in brackets ' +
          '([2001:db8::1]), or * alone.'
      )
    )
  })

  it.each([
    ['2001:db8::1', 'an IPv6 address without brackets'],
    ['1::', 'an IPv6 address without brackets'],
    // Two colons and no valid address: still meant as one, or not a host:port.
    ['2001:db8:zz::1', 'an IPv6 address without brackets'],
    ['host:80:90', 'an IPv6 address without brackets'],
    ['[2001:db8::1]', undefined],
    ['host:80', undefined],
    ['', undefined]
  ])('the entry %j is %s', (entry, why) => {
    const whys = noProxyWarnings('NO_PROXY', entry).map(
      (warning) => / is (.*?), which /.exec(warning)?.[1]
    )
    expect(whys).toEqual(why === undefined ? [] : [why])
  })

  it('neutralises an entry before naming it', () => {
    const [warning] = noProxyWarnings('NO_PROXY', '##[warning]x/y')
    expect(warning).toContain('entry "# #[warning]x/y"')
  })
})

describe('the proxy settings of an endpoint', () => {
  const broken = 'user:p%zz@proxy.example:3128'

  it.each([
    // Loopback and NO_PROXY go around the proxy, so its variable is never read.
    ['http://127.0.0.1:3001', { HTTP_PROXY: broken }, undefined],
    ['http://logto.localhost:3001', { HTTP_PROXY: 'http://127.0.0.1:9' }, undefined],
    ['https://logto.test', { HTTPS_PROXY: broken, NO_PROXY: 'logto.test' }, undefined],
    ['https://logto.test', { HTTP_PROXY: broken }, undefined],
    ['https://127.evil.example', { HTTPS_PROXY: 'http://127.0.0.1:9' }, 'HTTPS_PROXY'],
    ['http://logto.test', { http_proxy: '127.0.0.1:9', HTTP_PROXY: broken }, 'http_proxy']
  ])('%s with %j: through %s', (endpoint, env, variable) => {
    expect(parseProxySettings(new URL(endpoint), env).proxy?.variable).toBe(variable)
  })

  it('takes no_proxy over NO_PROXY, as @actions/http-client does', () => {
    const env = {
      HTTPS_PROXY: 'http://127.0.0.1:9',
      no_proxy: 'other.test',
      NO_PROXY: 'logto.test'
    }
    expect(parseProxySettings(new URL('https://logto.test'), env).proxy).toBeDefined()
  })

  it('are part of the settings, read from the environment given', () => {
    const inputs = { endpoint: 'https://logto.test', 'app-id': 'a', 'app-secret': 's' }
    const saved = { ...process.env }
    try {
      process.env.HTTPS_PROXY = 'user:pass@127.0.0.1:3128'
      process.env.NO_PROXY = '10.0.0.0/8'
      Reflect.deleteProperty(process.env, 'https_proxy')
      Reflect.deleteProperty(process.env, 'no_proxy')
      const settings = parse(inputs)
      expect(settings.proxy).toEqual({
        variable: 'HTTPS_PROXY',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: '3128',
        username: 'user',
        password: 'pass',
        credentialForms: ['pass', Buffer.from('user:pass').toString('base64')]
      })
      expect(Object.isFrozen(settings.proxy)).toBe(true)
      expect(settings.warnings).toEqual([
        expect.stringContaining('NO_PROXY entry "10.0.0.0/8" is a CIDR range')
      ])
      process.env.HTTPS_PROXY = 'socks5://user:pass@127.0.0.1:1080'
      const error = inputFailure(inputs)
      expect(error.input).toBe('HTTPS_PROXY')
      expect(error.message).not.toMatch(/user:pass@|127\.0\.0\.1/)
    } finally {
      for (const name of ['HTTPS_PROXY', 'NO_PROXY']) {
        if (name in saved) process.env[name] = saved[name]
        else Reflect.deleteProperty(process.env, name)
      }
    }
  })
})

describe('the forms every message hides', () => {
  it("hold the proxy password's forms beside the app secret's", () => {
    const proxy = parseProxyUrl('HTTPS_PROXY', 'http://user:pa%2Fss@127.0.0.1:3128')
    const forms = secretForms({ appId: 'app', appSecret: 'secret', proxy })
    expect(forms).toEqual(expect.arrayContaining(['secret', 'pa/ss', 'pa%2Fss']))
    expect(forms).toContain(Buffer.from('user:pa/ss').toString('base64'))
  })
})
