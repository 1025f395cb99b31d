/**
 * Build stand-in for undici (tsconfig `paths`, which ncc honours). @actions/http-client imports it
 * only for getAgentDispatcher() (proxying fetch), which this action never calls; its requests go
 * through node:http/https and tunnel. Unlike the other stand-ins this one stays in dist/index.js,
 * because the method that references it belongs to a class the action uses, so a call would throw
 * the error below. Real undici would cost most of the action's start-up time.
 * __tests__/stand-ins.test.ts fails when http-client imports a name that is not exported here.
 */
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled: getAgentDispatcher() is not available in this action')
  }
}
