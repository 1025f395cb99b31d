import { describe, expect, it } from '@jest/globals'
import { ActionError, ResponseError, TokenEndpointError, TransportError } from '../src/errors.js'
import { explainFailure, transportAdvice } from '../src/failure.js'
import type { RequestContext } from '../src/hints.js'
import { isUntrustedCertificate, proxyRoute, serverName, transportError } from '../src/http.js'
import { parseProxyUrl } from '../src/proxy-settings.js'

const ctx: RequestContext = {
  tokenUrl: 'https://auth.example.com/oidc/token',
  appId: 'app1',
  resource: 'https://api.example.com',
  organizationId: undefined,
  secrets: []
}
const route = (credentials: boolean) => ({
  address: 'proxy.example:3128',
  variable: 'http_proxy',
  credentials
})
const transport = (failure: ConstructorParameters<typeof TransportError>[0]) =>
  new TransportError(failure)

describe('explainFailure', () => {
  it('a refusal: attempts, what Logto said, and the hint', () => {
    const cause = new TokenEndpointError({
      status: 401,
      fields: { error: 'invalid_client' },
      looksLikeHtml: false,
      message: 'HTTP 401 invalid_client'
    })
    const error = explainFailure(cause, 1, ctx) as ActionError
    expect(error).toBeInstanceOf(ActionError)
    expect(error.cause).toBe(cause)
    expect(error.message).toMatch(
      /^Logto refused the token request after 1 attempt: HTTP 401 invalid_client\. The app-secret is wrong/
    )
  })

  it('no answer: attempts, the cause and the advice', () => {
    const cause = transport({ kind: 'network', code: 'ECONNREFUSED', message: 'ECONNREFUSED: x' })
    const error = explainFailure(cause, 4, ctx) as ActionError
    expect(error.message).toBe(
      'Could not get an answer from https://auth.example.com/oidc/token after 4 attempts: ' +
        'ECONNREFUSED: x. Check endpoint, and the runner network and proxy settings ' +
        '(HTTPS_PROXY, NO_PROXY).'
    )
    expect(error.cause).toBe(cause)
  })

  it('no answer: server text in the cause loses every form of the secret, overlaps and all', () => {
    const cause = transport({
      kind: 'upgrade',
      message: 'the server answered HTTP 101 (Upgrade: s3cretXYZ) instead of a final answer'
    })
    const error = explainFailure(cause, 1, { ...ctx, secrets: ['s3cret', 'cretXYZ'] }) as Error
    expect(error.message).toContain('(Upgrade: ***) instead of a final answer.')
  })

  it('passes other errors through unchanged', () => {
    const error = new ResponseError('x')
    expect(explainFailure(error, 1, ctx)).toBe(error)
  })
})

describe('transportAdvice', () => {
  it.each([
    [{ kind: 'timeout', message: 't' }, 'Raise timeout if Logto is slow, or check endpoint.'],
    [
      { kind: 'proxy', proxyStatus: 407, message: 'p' },
      'The proxy in HTTPS_PROXY or HTTP_PROXY wants credentials: put them in the proxy URL ' +
        '(http://user:password@proxy:port), or add the Logto host to NO_PROXY.'
    ],
    [
      { kind: 'proxy', proxyStatus: 502, message: 'p' },
      'Check the proxy in HTTPS_PROXY or HTTP_PROXY, or add the Logto host to NO_PROXY.'
    ],
    [
      { kind: 'proxy', proxyStatus: 407, proxy: route(false), message: 'p' },
      'The proxy in http_proxy wants credentials: put them in the proxy URL ' +
        '(http://user:password@proxy:port), or add the Logto host to NO_PROXY.'
    ],
    [
      { kind: 'proxy', proxyStatus: 407, proxy: route(true), message: 'p' },
      'The proxy in http_proxy refused the credentials in its URL: check the user name and ' +
        'password there (percent-encoded), or add the Logto host to NO_PROXY.'
    ],
    [
      { kind: 'proxy', proxyStatus: 403, proxy: route(true), message: 'p' },
      'Check the proxy in http_proxy, or add the Logto host to NO_PROXY.'
    ],
    [
      { kind: 'proxy', code: 'ECONNREFUSED', proxy: route(true), message: 'p' },
      'Check the proxy in http_proxy: its host and port, and that it is running and reachable ' +
        'from the runner; or add the Logto host to NO_PROXY.'
    ],
    [
      { kind: 'timeout', proxy: route(false), message: 't' },
      'Check that the proxy in http_proxy is running and reachable from the runner, or raise timeout.'
    ],
    [
      { kind: 'timeout', lookup: true, message: 't' },
      "Check the host name in endpoint and the runner's DNS settings, or raise timeout."
    ],
    [
      { kind: 'timeout', lookup: true, proxy: route(false), message: 't' },
      "Check the proxy host name in http_proxy and the runner's DNS settings, or raise timeout."
    ],
    [
      { kind: 'upgrade', message: 'u' },
      'Check that endpoint points at Logto: the server at that address switches protocols ' +
        '(for example to WebSocket) instead of answering the token request.'
    ],
    ...[
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_UNTRUSTED'
    ].map((code) => [
      { kind: 'tls', code, host: 'auth.example.com', message: 'm' },
      'The TLS certificate of auth.example.com is not trusted by Node.js: if Logto uses a ' +
        "private CA, point NODE_EXTRA_CA_CERTS at the CA's PEM file on the runner."
    ]),
    ...['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER'].map(
      (code) => [
        { kind: 'tls', code, host: 'auth.example.com', message: 'm' },
        'The TLS connection to auth.example.com failed: check that endpoint has the right ' +
          'scheme and host, and that the certificate is valid for that host.'
      ]
    )
  ] as [ConstructorParameters<typeof TransportError>[0], string][])('%j', (failure, advice) => {
    expect(transportAdvice(transport(failure))).toBe(advice)
  })
})

describe('transportError: an AggregateError of several addresses tried', () => {
  const tried = (code: string, address: string, port: number) =>
    Object.assign(new Error(`connect ${code} ${address}:${port}`), { code, address, port })
  it.each([
    [
      [tried('ECONNREFUSED', '127.0.0.1', 3001), tried('ECONNREFUSED', '::1', 3001)],
      'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3001, [::1]:3001'
    ],
    [
      [tried('ECONNREFUSED', '127.0.0.1', 3001), tried('ENETUNREACH', '2001:db8::1', 3001)],
      'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3001, connect ENETUNREACH [2001:db8::1]:3001'
    ],
    [[{ address: '::1', port: 1 }, {}], 'ECONNREFUSED: connect failed [::1]:1'],
    [[{}], 'ECONNREFUSED: AggregateError'],
    [[], 'ECONNREFUSED: AggregateError']
  ])('%j → %s', (errors, message) => {
    const aggregate = Object.assign(new AggregateError(errors, ''), { code: 'ECONNREFUSED' })
    expect(transportError(aggregate, 'h').message).toBe(message)
  })
})

describe('transportError: what kind of failure a Node error is', () => {
  const nodeError = (code: string | undefined, message: string) =>
    Object.assign(new Error(message), code === undefined ? {} : { code })
  it.each([
    ['ECONNRESET', 'socket hang up', 'network', 'ECONNRESET: socket hang up'],
    [
      'ECONNREFUSED',
      'connect ECONNREFUSED 127.0.0.1:1',
      'network',
      'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1'
    ],
    ['ECONNREFUSED', 'ECONNREFUSED already named', 'network', 'ECONNREFUSED already named'],
    [undefined, 'no code at all', 'network', 'no code at all'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'x', 'tls', 'TLS error UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    [
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'x',
      'tls',
      'TLS error UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
    ],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'x', 'tls', 'TLS error SELF_SIGNED_CERT_IN_CHAIN'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'x', 'tls', 'TLS error DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['CERT_UNTRUSTED', 'x', 'tls', 'TLS error CERT_UNTRUSTED'],
    ['CERT_HAS_EXPIRED', 'x', 'tls', 'TLS error CERT_HAS_EXPIRED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'x', 'tls', 'TLS error ERR_TLS_CERT_ALTNAME_INVALID'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'x', 'tls', 'TLS error ERR_SSL_WRONG_VERSION_NUMBER'],
    ['HOSTNAME_MISMATCH', 'x', 'tls', 'TLS error HOSTNAME_MISMATCH'],
    ['EPROTO', 'x', 'tls', 'TLS error EPROTO'],
    ['XCERT_HAS_EXPIRED', 'x', 'network', 'XCERT_HAS_EXPIRED: x']
  ])('%s "%s" → %s', (code, message, kind, text) => {
    const error = transportError(nodeError(code, message), 'auth.example.com')
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ kind, code, message: text })
    expect(Reflect.get(error, 'host')).toBe(kind === 'tls' ? 'auth.example.com' : undefined)
  })

  it('keeps the action’s own errors, and quotes a message on one line', () => {
    const own = new ResponseError('too large')
    expect(transportError(own, 'h')).toBe(own)
    const timeout = new TransportError({ kind: 'timeout', message: 't' })
    expect(transportError(timeout, 'h')).toBe(timeout)
    expect(transportError(nodeError(undefined, 'a\n::error::b'), 'h').message).toBe('a ::error::b')
    expect(transportError(nodeError(undefined, '::error::b'), 'h').message).toBe(': :error::b')
    expect(transportError('plain text', 'h').message).toBe('plain text')
    // Only a string is a code; anything else is left out rather than printed.
    expect(transportError(Object.assign(new Error('x'), { code: 42 }), 'h')).toMatchObject({
      kind: 'network',
      code: undefined,
      message: 'x'
    })
  })

  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', true],
    ['SELF_SIGNED_CERT_IN_CHAIN', true],
    ['CERT_HAS_EXPIRED', false],
    ['ERR_SSL_UNABLE_TO_GET_ISSUER_CERT', false],
    [undefined, false]
  ])('isUntrustedCertificate(%s) is %s', (code, expected) => {
    expect(isUntrustedCertificate(code)).toBe(expected)
  })
})

describe('serverName: SNI inside a proxy tunnel', () => {
  it.each([
    ['logto.test', 'logto.test'],
    ['10.0.0.5', undefined],
    ['2001:db8::1', undefined]
  ])('%s → %s', (host, name) => {
    expect(serverName(host)).toBe(name)
  })
})

describe('proxyRoute: how a proxy is named', () => {
  it.each([
    ['http://u:p@proxy.example', 'proxy.example:80', true],
    ['https://proxy.example', 'proxy.example:443', false],
    ['http://u@[::1]:3128', '[::1]:3128', true],
    ['http://:p@proxy.example:8080', 'proxy.example:8080', true]
  ])('%s is %s, credentials %s', (proxy, address, credentials) => {
    expect(proxyRoute(parseProxyUrl('HTTP_PROXY', proxy))).toEqual({
      address,
      variable: 'HTTP_PROXY',
      credentials
    })
  })
})
