// What src/http.ts imports dynamically, so that the bundle evaluates the HTTP stack only when a
// request is made. Of @actions/http-client only the proxy rules (HTTPS_PROXY, HTTP_PROXY,
// NO_PROXY) are used; the path is relative so that the tsconfig `paths` stand-in for the bare
// specifier (src/stubs/http-client.ts) does not apply here.
export { getProxyUrl } from '../../node_modules/@actions/http-client/lib/proxy.js'
export { request as httpRequest } from 'node:http'
export { request as httpsRequest } from 'node:https'
export { connect as tlsConnect } from 'node:tls'
