/**
 * Build stand-in for @actions/http-client as @actions/core imports it (tsconfig `paths`, which ncc
 * honours). Core uses it only in getIDToken(), which this action never calls, so ncc drops this
 * module: in core's code in dist/index.js `HttpClient` is an unbound name, and getIDToken() would
 * throw a ReferenceError. The action's own request loads the real client through
 * src/deferred/http-client.ts, only when a request is made. __tests__/stand-ins.test.ts fails when
 * core imports a name that is not exported here.
 */
export class HttpClient {
  constructor() {
    throw new Error(
      '@actions/http-client is not loaded at start-up: core.getIDToken() is unavailable'
    )
  }
}
