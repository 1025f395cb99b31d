/**
 * Build stand-in for @actions/http-client as @actions/core imports it (tsconfig `paths`, which ncc
 * honours). Core uses it only in getIDToken(), which this action never calls, so ncc drops this
 * module: in core's code in dist/index.js `HttpClient` is an unbound name, and getIDToken() would
 * throw a ReferenceError. Of the real package only the credential handlers core imports from
 * `@actions/http-client/lib/auth` (a subpath these paths do not map) are bundled; the action's own
 * requests and proxy rules do not use it (src/http.ts, src/proxy-settings.ts), and
 * src/deferred/http-client.ts loads only node:http, node:https and node:tls, when a request is
 * made. __tests__/stand-ins.test.ts fails when
 * core imports a name that is not exported here.
 */
export class HttpClient {
  constructor() {
    throw new Error(
      '@actions/http-client is not loaded at start-up: core.getIDToken() is unavailable'
    )
  }
}
