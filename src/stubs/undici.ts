/**
 * Build stand-in for undici (tsconfig `paths`, which ncc honours). @actions/http-client imports it
 * only for getAgentDispatcher() (proxying fetch), which this action never calls. The action's
 * requests no longer go through @actions/http-client (src/http.ts is its own, on node:http and
 * node:https), so this stand-in is no longer in dist/index.js either; it stays so that a build
 * that reaches undici again gets the error below instead of real undici, which would cost most of
 * the action's start-up time.
 * __tests__/stand-ins.test.ts fails when http-client imports a name that is not exported here.
 */
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled: getAgentDispatcher() is not available in this action')
  }
}
