// Loaded on the first request only. A relative path, so that the tsconfig `paths` stand-in for the
// bare specifier does not apply here; only the proxy rules are taken from @actions/http-client.
export { getProxyUrl } from '../../node_modules/@actions/http-client/lib/proxy.js'
export { request as httpRequest } from 'node:http'
export { request as httpsRequest } from 'node:https'
export { connect as tlsConnect } from 'node:tls'
