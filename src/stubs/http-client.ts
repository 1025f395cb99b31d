/**
 * Stand-in for @actions/http-client as @actions/core imports it (for getIDToken(), unused here), so
 * that the HTTP stack is not loaded at start-up. The action's own request imports the real client
 * through src/vendor/http-client.ts, which the bundle loads only when a request is made.
 */
export class HttpClient {
  constructor() {
    throw new Error(
      '@actions/http-client is not loaded at start-up: core.getIDToken() is unavailable'
    )
  }
}
